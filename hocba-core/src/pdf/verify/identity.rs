//! The signer's name against the names in the record (`signing.md`, document checks).

use unicode_normalization::UnicodeNormalization;

/// How a certificate name compares with a name of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// Equal after NFC, lower case and collapsing white space.
    Exact,
    /// Equal only after removing diacritics (combining marks U+0300–U+036F, and đ → d).
    IgnoringDiacritics,
    /// Different.
    Mismatch,
}

impl Identity {
    /// `exact`, `ignoring_diacritics` or `mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Exact => "exact",
            Identity::IgnoringDiacritics => "ignoring_diacritics",
            Identity::Mismatch => "mismatch",
        }
    }
}

fn normal(s: &str) -> String {
    let lower: String = s.nfc().collect::<String>().to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn bare(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect::<String>()
}

/// Compares a certificate's name with the record's name.
///
/// ```
/// use hocba_core::pdf::verify::{compare_names, Identity};
/// assert_eq!(compare_names("Nguyễn  Thị Lan", "nguyễn thị lan"), Identity::Exact);
/// assert_eq!(compare_names("Nguyen Thi Lan", "Nguyễn Thị Lan"), Identity::IgnoringDiacritics);
/// assert_eq!(compare_names("Đỗ Văn Hùng", "Do Van Hung"), Identity::IgnoringDiacritics);
/// assert_eq!(compare_names("Trần Văn Nam", "Nguyễn Thị Lan"), Identity::Mismatch);
/// ```
pub fn compare_names(certificate: &str, record: &str) -> Identity {
    let (a, b) = (normal(certificate), normal(record));
    if a.is_empty() || b.is_empty() {
        return Identity::Mismatch;
    }
    if a == b {
        Identity::Exact
    } else if bare(&a) == bare(&b) {
        Identity::IgnoringDiacritics
    } else {
        Identity::Mismatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_input_is_exact() {
        assert_eq!(
            compare_names("Nguye\u{302}\u{303}n", "Nguyễn"),
            Identity::Exact
        );
        assert_eq!(compare_names("", ""), Identity::Mismatch);
        assert_eq!(compare_names("ĐẶNG", "đặng"), Identity::Exact);
    }
}
