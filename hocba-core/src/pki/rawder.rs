//! A minimal DER walker over bytes that x509-cert has already accepted: it finds the raw bytes of
//! the fields whose exact encoding matters (the signed `tbsCertificate`, the issuer and subject
//! `Name`s) and reads names attribute by attribute. Every function returns `None` on anything
//! unexpected instead of panicking.

use std::ops::Range;

/// One TLV: its tag byte, the range of the whole element and the range of its content, both
/// relative to the slice it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tlv {
    pub(crate) tag: u8,
    pub(crate) whole: Range<usize>,
    pub(crate) content: Range<usize>,
}

/// Reads the TLV starting at `pos` in `input` (single-byte tags, definite lengths of at most four
/// length octets).
pub(crate) fn read_tlv(input: &[u8], pos: usize) -> Option<Tlv> {
    let tag = *input.get(pos)?;
    if tag & 0x1f == 0x1f {
        return None; // multi-byte tags do not occur in the structures read here
    }
    let first = *input.get(pos.checked_add(1)?)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2usize)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..count {
            let b = *input.get(pos.checked_add(2 + i)?)?;
            len = len.checked_mul(256)?.checked_add(usize::from(b))?;
        }
        (len, 2 + count)
    };
    let start = pos.checked_add(header)?;
    let end = start.checked_add(len)?;
    if end > input.len() {
        return None;
    }
    Some(Tlv {
        tag,
        whole: pos..end,
        content: start..end,
    })
}

/// The children of a constructed element's content.
pub(crate) fn children(input: &[u8], content: Range<usize>) -> Option<Vec<Tlv>> {
    let mut out = Vec::new();
    let mut pos = content.start;
    while pos < content.end {
        let tlv = read_tlv(input, pos)?;
        if tlv.whole.end > content.end {
            return None;
        }
        pos = tlv.whole.end;
        out.push(tlv);
    }
    Some(out)
}

/// Ranges inside a CRL's DER.
#[derive(Debug, Clone)]
pub(crate) struct SignedRanges {
    /// The signed part (`tbsCertList`), tag and length included.
    pub(crate) tbs: Range<usize>,
    /// The issuer `Name`.
    pub(crate) issuer: Range<usize>,
}

/// Finds the TBS and issuer of a CRL.
pub(crate) fn crl_ranges(der: &[u8]) -> Option<SignedRanges> {
    let outer = read_tlv(der, 0)?;
    let parts = children(der, outer.content)?;
    let tbs = parts.first()?.clone();
    let fields = children(der, tbs.content.clone())?;
    // version INTEGER is optional; then signature, issuer.
    let skip = usize::from(fields.first()?.tag == 0x02);
    let issuer = fields.get(skip + 1)?;
    if issuer.tag != 0x30 {
        return None;
    }
    Some(SignedRanges {
        tbs: tbs.whole,
        issuer: issuer.whole.clone(),
    })
}

/// One attribute of a distinguished name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameAttr {
    /// The attribute type, dotted.
    pub(crate) oid: String,
    /// The value as text when it is a string type; `None` otherwise.
    pub(crate) text: Option<String>,
    /// The whole DER of the value (for the `#hex` form of RFC 4514).
    pub(crate) value_der: Vec<u8>,
}

/// The RDNs of a `Name` in DER order (least specific first); each RDN is its attributes.
pub(crate) fn name_rdns(name_der: &[u8]) -> Option<Vec<Vec<NameAttr>>> {
    let outer = read_tlv(name_der, 0)?;
    if outer.tag != 0x30 {
        return None;
    }
    let mut out = Vec::new();
    for set in children(name_der, outer.content)? {
        if set.tag != 0x31 {
            return None;
        }
        let mut rdn = Vec::new();
        for atv in children(name_der, set.content)? {
            if atv.tag != 0x30 {
                return None;
            }
            let parts = children(name_der, atv.content)?;
            let [oid, value] = parts.as_slice() else {
                return None;
            };
            if oid.tag != 0x06 {
                return None;
            }
            let oid = oid_string(name_der.get(oid.content.clone())?)?;
            let content = name_der.get(value.content.clone())?;
            rdn.push(NameAttr {
                oid,
                text: decode_string(value.tag, content),
                value_der: name_der.get(value.whole.clone())?.to_vec(),
            });
        }
        out.push(rdn);
    }
    Some(out)
}

/// The dotted form of an OBJECT IDENTIFIER's content octets. Unlike `const-oid`, arcs up to
/// 128 bits are accepted (the `2.25.<UUID>` arcs of X.667); non-minimal or longer arcs are not.
pub(crate) fn oid_string(content: &[u8]) -> Option<String> {
    let mut arcs: Vec<u128> = Vec::new();
    let mut current: u128 = 0;
    let mut fresh = true;
    for &b in content {
        if fresh && b == 0x80 {
            return None; // non-minimal encoding
        }
        current = current
            .checked_mul(128)?
            .checked_add(u128::from(b & 0x7f))?;
        fresh = b & 0x80 == 0;
        if fresh {
            arcs.push(current);
            current = 0;
        }
    }
    if !fresh || arcs.is_empty() {
        return None;
    }
    let first = arcs.remove(0);
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut out = String::with_capacity(4 * arcs.len() + 4);
    push_decimal(&mut out, a);
    for arc in std::iter::once(b).chain(arcs) {
        out.push('.');
        push_decimal(&mut out, arc);
    }
    Some(out)
}

/// Appends `v` in decimal (no formatting machinery: OIDs are turned to text for every name
/// attribute of every certificate read).
fn push_decimal(out: &mut String, mut v: u128) {
    let mut digits = [0u8; 40];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// Decodes the ASN.1 string types met in names.
fn decode_string(tag: u8, content: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, NumericString, PrintableString, IA5String, VisibleString
        0x0c | 0x12 | 0x13 | 0x16 | 0x1a => std::str::from_utf8(content).ok().map(str::to_owned),
        // TeletexString: read as Latin-1, what real-world encoders put there
        0x14 => Some(content.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE
        0x1e => {
            if !content.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = content
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString: UTF-32BE
        0x1c => {
            if !content.len().is_multiple_of(4) {
                return None;
            }
            content
                .chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect()
        }
        _ => None,
    }
}

/// Short names of RFC 4514 §3 (plus `UID`), the only ones written by name; others are dotted.
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.6" => "C",
        "2.5.4.9" => "STREET",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => return None,
    })
}

/// Escapes an attribute value per RFC 4514 §2.4 (UTF-8 kept).
fn escape_value(value: &str, out: &mut String) {
    let count = value.chars().count();
    for (i, c) in value.chars().enumerate() {
        match c {
            '\\' | '"' | '+' | ',' | ';' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i + 1 == count => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            _ => out.push(c),
        }
    }
}

/// The RFC 4514 string of a `Name` (most specific RDN first). A name that cannot be read gives
/// the `#hex` of its DER prefixed with `?`, so a report still shows something.
pub(crate) fn name_to_string(name_der: &[u8]) -> String {
    match name_rdns(name_der) {
        Some(rdns) => rdns_to_string(&rdns),
        None => format!("?#{}", hex(name_der)),
    }
}

/// [`name_to_string`] of a name already split by [`name_rdns`].
pub(crate) fn rdns_to_string(rdns: &[Vec<NameAttr>]) -> String {
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match (short_name(&attr.oid), &attr.text) {
                (Some(name), Some(text)) => {
                    out.push_str(name);
                    out.push('=');
                    escape_value(text, &mut out);
                }
                (None, Some(text)) => {
                    out.push_str(&attr.oid);
                    out.push('=');
                    escape_value(text, &mut out);
                }
                (name, None) => {
                    out.push_str(name.unwrap_or(&attr.oid));
                    out.push_str("=#");
                    out.push_str(&hex(&attr.value_der));
                }
            }
        }
    }
    out
}

/// Lowercase hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_rejects_truncation_and_long_lengths() {
        assert!(read_tlv(&[0x30], 0).is_none());
        assert!(read_tlv(&[0x30, 0x05, 0x00], 0).is_none());
        assert!(read_tlv(&[0x30, 0x85, 1, 1, 1, 1, 1], 0).is_none());
        assert!(read_tlv(&[0x30, 0x80], 0).is_none());
        let t = read_tlv(&[0x04, 0x81, 0x01, 0xaa], 0);
        assert_eq!(t.map(|t| t.content), Some(3..4));
    }

    #[test]
    fn oids_with_uuid_arcs() {
        assert_eq!(oid_string(&[0x2a, 0x86, 0x48]).as_deref(), Some("1.2.840"));
        assert_eq!(
            oid_string(&[0x55, 0x1d, 0x0f]).as_deref(),
            Some("2.5.29.15")
        );
        assert_eq!(oid_string(&[0x88, 0x37, 0x01]).as_deref(), Some("2.999.1"));
        assert_eq!(oid_string(&[0x2a, 0x80, 0x01]), None);
        assert_eq!(oid_string(&[0x2a, 0x86]), None);
        assert_eq!(oid_string(&[]), None);
        assert_eq!(oid_string(&[0xff; 20]), None);
        // X.667's example UUID arc (f81d4fae-7dec-11d0-a765-00a0c91e6bf6), and arc 0.
        assert_eq!(
            oid_string(&[
                0x69, 0x83, 0xf0, 0x9d, 0xa7, 0xeb, 0xcf, 0xde, 0xe0, 0xc7, 0xa1, 0xa7, 0xb2, 0xc0,
                0x94, 0x8c, 0xc8, 0xf9, 0xd7, 0x76
            ])
            .as_deref(),
            Some("2.25.329800735698586629295641978511506172918")
        );
        assert_eq!(oid_string(&[0x00]).as_deref(), Some("0.0"));
    }

    #[test]
    fn escaping_follows_rfc_4514() {
        let mut s = String::new();
        escape_value("#a, b+c ", &mut s);
        assert_eq!(s, "\\#a\\, b\\+c\\ ");
    }
}
