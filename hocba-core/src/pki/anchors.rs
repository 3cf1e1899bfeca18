//! Vietnam's official root certificates (*chứng thư số gốc*), recognised by fingerprint so
//! reports can name them (`domain.md`, "Official roots ... SHA-256").

use super::cert::Certificate;

/// The official roots: (name, SHA-256 of the DER certificate, uppercase hex as published).
const OFFICIAL_ROOTS: [(&str, &str); 6] = [
    (
        "RootCA chuyên dùng Chính phủ G2 (Ban Cơ yếu Chính phủ)",
        "F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8",
    ),
    (
        "Vietnam National Root CA (NEAC, G2)",
        "BAC8BF609AB420A8EE1780D74F4DE5C7F7184959D2A7375B0A75E4C29F0908E7",
    ),
    (
        "Vietnam National Root CA G3",
        "7B3269E7D79AEBBFAE5095F45BBB7074771E690CB7DF02B441062B12F7690ECE",
    ),
    (
        "MIC National Root CA (legacy, SHA-1)",
        "CA918D635BB130BEC97639E6AABF7EDBC4EB1310F8058B9419F467AE0230AD8C",
    ),
    (
        "VIETNAM NATIONAL ROOT CA - RS",
        "12AFEBA2545F6FC0F31EC130F31BF2D16184A2B5B7CEBCB43CFD1BA35DD4EA46",
    ),
    (
        "VIETNAM NATIONAL ROOT CA - EMA",
        "0D765AEDFE7B12C7D11C7B5737507F24DB22F8AFE24BE140EB5801CB0853A8F9",
    ),
];

/// The name of an official Vietnamese root from its SHA-256 fingerprint (as in the first column
/// of `domain.md`'s table), `None` for any other certificate.
pub fn official_root_name(sha256: &[u8; 32]) -> Option<&'static str> {
    let hex = super::rawder::hex(sha256);
    OFFICIAL_ROOTS
        .iter()
        .find(|(_, fp)| fp.eq_ignore_ascii_case(&hex))
        .map(|(name, _)| *name)
}

/// How a trust anchor is named in reports: its official name, else its common name, else its
/// subject (RFC 4514).
pub fn anchor_display_name(cert: &Certificate) -> String {
    official_root_name(&cert.sha256())
        .map(str::to_owned)
        .or_else(|| cert.common_name())
        .unwrap_or_else(|| cert.subject())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_official_root_is_recognised() {
        for (name, fp) in OFFICIAL_ROOTS {
            let mut bytes = [0u8; 32];
            for (i, b) in bytes.iter_mut().enumerate() {
                let pair = fp.get(2 * i..2 * i + 2).unwrap_or("zz");
                *b = u8::from_str_radix(pair, 16).unwrap_or_default();
            }
            assert_eq!(super::super::rawder::hex(&bytes), fp.to_ascii_lowercase());
            assert_eq!(official_root_name(&bytes), Some(name));
        }
        assert_eq!(official_root_name(&[0; 32]), None);
    }
}
