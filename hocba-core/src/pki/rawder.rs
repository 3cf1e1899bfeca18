//! A minimal DER walker over bytes that x509-cert has already accepted: it finds the raw bytes of
//! the fields whose exact encoding matters (the signed `tbsCertificate`, the issuer and subject
//! `Name`s) and reads names attribute by attribute. Every function returns `None` on anything
//! unexpected instead of panicking.

use std::borrow::Cow;
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

/// One attribute of a distinguished name, borrowed from the name's DER where it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameAttr<'a> {
    /// The RDN it belongs to (0 for the first, least specific, RDN of the DER).
    pub(crate) rdn: usize,
    /// The attribute type, dotted.
    pub(crate) oid: Cow<'static, str>,
    /// The value as text when it is a string type; `None` otherwise.
    pub(crate) text: Option<Cow<'a, str>>,
    /// The whole DER of the value (for the `#hex` form of RFC 4514).
    pub(crate) value_der: &'a [u8],
}

/// The dotted forms of the attribute types met in nearly every name, by their content octets
/// (each a valid minimal encoding, so [`oid_string`] gives the same text).
const COMMON_OIDS: [(&[u8], &str); 12] = [
    (&[0x55, 0x04, 0x03], "2.5.4.3"),
    (&[0x55, 0x04, 0x05], "2.5.4.5"),
    (&[0x55, 0x04, 0x06], "2.5.4.6"),
    (&[0x55, 0x04, 0x07], "2.5.4.7"),
    (&[0x55, 0x04, 0x08], "2.5.4.8"),
    (&[0x55, 0x04, 0x09], "2.5.4.9"),
    (&[0x55, 0x04, 0x0a], "2.5.4.10"),
    (&[0x55, 0x04, 0x0b], "2.5.4.11"),
    (&[0x55, 0x04, 0x0c], "2.5.4.12"),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01],
        "0.9.2342.19200300.100.1.1",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
        "0.9.2342.19200300.100.1.25",
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01],
        "1.2.840.113549.1.9.1",
    ),
];

/// [`oid_string`], without allocating for the common attribute types.
fn attr_oid(content: &[u8]) -> Option<Cow<'static, str>> {
    match COMMON_OIDS.iter().find(|(der, _)| *der == content) {
        Some((_, dotted)) => Some(Cow::Borrowed(dotted)),
        None => oid_string(content).map(Cow::Owned),
    }
}

/// The children of a constructed element's content, one at a time (`Some(None)` for one that
/// cannot be read or that overruns the content; the caller gives up there).
fn each_child(input: &[u8], content: Range<usize>) -> impl Iterator<Item = Option<Tlv>> + '_ {
    let mut pos = content.start;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || pos >= content.end {
            return None;
        }
        let tlv = read_tlv(input, pos).filter(|t| t.whole.end <= content.end);
        match &tlv {
            Some(t) => pos = t.whole.end,
            None => failed = true,
        }
        Some(tlv)
    })
}

/// A `Name` read attribute by attribute: every attribute in DER order (least specific RDN
/// first), each with the index of its RDN, and how many RDNs there are (an empty RDN has no
/// attribute but still counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rdns<'a> {
    pub(crate) attrs: Vec<NameAttr<'a>>,
    pub(crate) count: usize,
}

impl<'a> Rdns<'a> {
    /// The RDNs, most specific first, each its attributes in DER order.
    pub(crate) fn most_specific_first(&self) -> impl Iterator<Item = &[NameAttr<'a>]> {
        (0..self.count).rev().map(move |r| {
            let lo = self.attrs.partition_point(|a| a.rdn < r);
            let hi = self.attrs.partition_point(|a| a.rdn <= r);
            &self.attrs[lo..hi]
        })
    }
}

/// Reads a `Name` (`None` when anything in it cannot be read).
pub(crate) fn name_rdns(name_der: &[u8]) -> Option<Rdns<'_>> {
    let outer = read_tlv(name_der, 0)?;
    if outer.tag != 0x30 {
        return None;
    }
    let mut attrs = Vec::new();
    let mut count = 0;
    for set in each_child(name_der, outer.content) {
        let set = set?;
        if set.tag != 0x31 {
            return None;
        }
        let rdn = count;
        count += 1;
        for atv in each_child(name_der, set.content) {
            let atv = atv?;
            if atv.tag != 0x30 {
                return None;
            }
            let mut parts = each_child(name_der, atv.content);
            let (Some(oid), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
                return None;
            };
            let (oid, value) = (oid?, value?);
            if oid.tag != 0x06 {
                return None;
            }
            let oid = attr_oid(name_der.get(oid.content.clone())?)?;
            let content = name_der.get(value.content.clone())?;
            attrs.push(NameAttr {
                rdn,
                oid,
                text: decode_string(value.tag, content),
                value_der: name_der.get(value.whole.clone())?,
            });
        }
    }
    Some(Rdns { attrs, count })
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
fn push_decimal(out: &mut String, v: u128) {
    out.push_str(itoa::Buffer::new().format(v));
}

/// Decodes the ASN.1 string types met in names (borrowed when the DER holds UTF-8).
fn decode_string(tag: u8, content: &[u8]) -> Option<Cow<'_, str>> {
    match tag {
        // UTF8String, NumericString, PrintableString, IA5String, VisibleString
        0x0c | 0x12 | 0x13 | 0x16 | 0x1a => std::str::from_utf8(content).ok().map(Cow::Borrowed),
        // TeletexString: read as Latin-1, what real-world encoders put there
        0x14 => Some(Cow::Owned(content.iter().map(|&b| char::from(b)).collect())),
        // BMPString: UTF-16BE
        0x1e => {
            if !content.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = content
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok().map(Cow::Owned)
        }
        // UniversalString: UTF-32BE
        0x1c => {
            if !content.len().is_multiple_of(4) {
                return None;
            }
            content
                .chunks_exact(4)
                .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
                .collect::<Option<String>>()
                .map(Cow::Owned)
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
    // Most values need no escape: written whole.
    let plain = |b: &u8| !matches!(b, b'\\' | b'"' | b'+' | b',' | b';' | b'<' | b'>' | b'\0');
    if value.bytes().all(|b| plain(&b)) && !value.starts_with(['#', ' ']) && !value.ends_with(' ') {
        out.push_str(value);
        return;
    }
    escape_chars(value, out);
}

/// The escape of RFC 4514 §2.4 character by character (what [`escape_value`] does when the
/// value needs an escape).
fn escape_chars(value: &str, out: &mut String) {
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
pub(crate) fn rdns_to_string(rdns: &Rdns<'_>) -> String {
    let mut out = String::new();
    for (i, rdn) in rdns.most_specific_first().enumerate() {
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
                    out.push_str(&hex(attr.value_der));
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

    #[test]
    fn common_oids_are_their_dotted_form() {
        for (der, dotted) in COMMON_OIDS {
            assert_eq!(oid_string(der).as_deref(), Some(dotted));
            assert_eq!(attr_oid(der).as_deref(), Some(dotted));
        }
        // Not in the table: computed.
        assert_eq!(attr_oid(&[0x2a, 0x03]).as_deref(), Some("1.2.3"));
        assert_eq!(attr_oid(&[0x2a, 0x80, 0x01]), None);
    }

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, content.len() as u8];
        out.extend_from_slice(content);
        out
    }

    #[test]
    fn names_keep_empty_rdns_multi_valued_rdns_and_order() {
        let cn = tlv(
            0x30,
            &[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x0c, b"A")].concat(),
        );
        let o = tlv(
            0x30,
            &[tlv(0x06, &[0x55, 0x04, 0x0a]), tlv(0x13, b"B,")].concat(),
        );
        let other = tlv(
            0x30,
            &[tlv(0x06, &[0x2a, 0x03]), tlv(0x04, &[0xab])].concat(),
        );
        let latin1 = tlv(
            0x30,
            &[tlv(0x06, &[0x55, 0x04, 0x07]), tlv(0x14, &[0xe9])].concat(),
        );
        let name = tlv(
            0x30,
            &[
                tlv(0x31, &cn),
                tlv(0x31, &[]),
                tlv(0x31, &[o, other].concat()),
                tlv(0x31, &latin1),
            ]
            .concat(),
        );
        let Some(rdns) = name_rdns(&name) else {
            panic!("the name is readable")
        };
        assert_eq!(rdns.count, 4);
        assert_eq!(rdns.attrs.len(), 4);
        let rdn_sizes: Vec<usize> = rdns.most_specific_first().map(<[_]>::len).collect();
        assert_eq!(rdn_sizes, [1, 2, 0, 1]);
        assert_eq!(name_to_string(&name), "L=\u{e9},O=B\\,+1.2.3=#0401ab,,CN=A");
        // Anything unreadable anywhere: no name.
        let bad_set = tlv(0x30, &[tlv(0x31, &cn), tlv(0x30, &[])].concat());
        assert!(name_rdns(&bad_set).is_none());
        let three = tlv(
            0x30,
            &tlv(
                0x31,
                &tlv(
                    0x30,
                    &[
                        tlv(0x06, &[0x55, 0x04, 0x03]),
                        tlv(0x0c, b"A"),
                        tlv(0x0c, b"B"),
                    ]
                    .concat(),
                ),
            ),
        );
        assert!(name_rdns(&three).is_none());
        let overrun = tlv(0x30, &[0x31, 0x05, 0x30, 0x00]);
        assert!(name_rdns(&overrun).is_none());
        assert!(name_rdns(&tlv(0x30, &[])).is_some_and(|r| r.count == 0));
    }

    #[test]
    fn escaping_fast_path_agrees_with_the_loop() {
        for v in [
            "",
            " ",
            "  ",
            "#",
            "a#",
            "a ",
            "a b",
            "Nguyễn Văn A",
            "Trường Tiểu học ",
            "ễ ",
            " ễ",
            "x\0y",
            "a,b",
            "a;b<c>d\"e\\f+g",
            "CCCD:001234567890",
        ] {
            let (mut fast, mut slow) = (String::new(), String::new());
            escape_value(v, &mut fast);
            escape_chars(v, &mut slow);
            assert_eq!(fast, slow, "{v:?}");
        }
    }
}
