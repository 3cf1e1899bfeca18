//! Times of the verifier: Unix seconds (UTC) everywhere, RFC 3339 for reports, PDF dates and
//! ASN.1 times on input.

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The calendar date at +07:00 (Vietnam) of an instant, as `YYYY-MM-DD`.
pub(crate) fn date_vn(t: i64) -> String {
    let (y, m, d) = civil_from_days((t + 7 * 3600).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// An RFC 3339 time (`2026-11-28T00:00:00Z`, `…+07:00`) as Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let i = crate::model::Timestamp::from(s).to_instant()?;
    Some(i.unix().0)
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u32, |a, d| {
        a.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

fn checked(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    if !(1..=12).contains(&mo) || d == 0 || d > 31 || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    if civil_from_days(days) != (y, mo, d) {
        return None;
    }
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + s.min(59)))
}

/// A PDF date (ISO 32000-1 7.9.4: `D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year optional)
/// as Unix seconds; a missing offset is read as UTC.
pub fn parse_pdf_date(bytes: &[u8]) -> Option<i64> {
    let b = bytes.strip_prefix(b"D:").unwrap_or(bytes);
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits < 4 || digits % 2 != 0 || digits > 14 {
        return None;
    }
    let part = |i: usize, default: u32| {
        if digits > i {
            num(&b[i..i + 2])
        } else {
            Some(default)
        }
    };
    let y = i64::from(num(&b[0..4])?);
    let t = checked(
        y,
        part(4, 1)?,
        part(6, 1)?,
        part(8, 0)?,
        part(10, 0)?,
        part(12, 0)?,
    )?;
    let rest = &b[digits..];
    let offset = match rest.first() {
        None | Some(b'Z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let r = &rest[1..];
            let oh = num(r.get(0..2)?)?;
            let r = &r[2..];
            let r = r.strip_prefix(b"'").unwrap_or(r);
            let om = match r.get(0..2) {
                Some(x) if x.iter().all(u8::is_ascii_digit) => num(x)?,
                _ => 0,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let v = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -v
            } else {
                v
            }
        }
        Some(_) => return None,
    };
    Some(t - offset)
}

/// An ASN.1 UTCTime (`YYMMDDHHMMSSZ`, RFC 5280 4.1.2.5.1: years 50–99 are 19xx) as Unix seconds.
pub(crate) fn parse_utc_time(b: &[u8]) -> Option<i64> {
    if b.len() != 13 || b[12] != b'Z' {
        return None;
    }
    let yy = i64::from(num(&b[0..2])?);
    let y = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    checked(
        y,
        num(&b[2..4])?,
        num(&b[4..6])?,
        num(&b[6..8])?,
        num(&b[8..10])?,
        num(&b[10..12])?,
    )
}

/// An ASN.1 GeneralizedTime (`YYYYMMDDHHMMSS[.f]Z`) as Unix seconds (fractions dropped).
pub(crate) fn parse_generalized_time(b: &[u8]) -> Option<i64> {
    if b.len() < 15 || b.last() != Some(&b'Z') {
        return None;
    }
    let frac = &b[14..b.len() - 1];
    if !frac.is_empty()
        && (frac[0] != b'.' || frac.len() < 2 || !frac[1..].iter().all(u8::is_ascii_digit))
    {
        return None;
    }
    checked(
        i64::from(num(&b[0..4])?),
        num(&b[4..6])?,
        num(&b[6..8])?,
        num(&b[8..10])?,
        num(&b[10..12])?,
        num(&b[12..14])?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for t in [0i64, 951_782_400, 1_732_752_000, 2_524_607_999, -86_400] {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        }
        assert_eq!(rfc3339(1_764_288_000), "2025-11-28T00:00:00Z");
    }

    #[test]
    fn pdf_dates() {
        let z = parse_pdf_date(b"D:20250528080000Z");
        assert_eq!(z, parse_rfc3339("2025-05-28T08:00:00Z"));
        assert_eq!(parse_pdf_date(b"D:20250528150000+07'00'"), z);
        assert_eq!(parse_pdf_date(b"D:20250528150000+07'00"), z);
        assert_eq!(
            parse_pdf_date(b"D:2025"),
            parse_rfc3339("2025-01-01T00:00:00Z")
        );
        assert_eq!(parse_pdf_date(b"D:20251332"), None);
        assert_eq!(parse_pdf_date(b"D:20250229"), None);
        assert_eq!(parse_pdf_date(b"garbage"), None);
    }

    #[test]
    fn asn1_times() {
        assert_eq!(
            parse_utc_time(b"491231235959Z"),
            parse_rfc3339("2049-12-31T23:59:59Z")
        );
        assert_eq!(
            parse_utc_time(b"500101000000Z"),
            parse_rfc3339("1950-01-01T00:00:00Z")
        );
        assert_eq!(
            parse_generalized_time(b"20601231235959Z"),
            parse_rfc3339("2060-12-31T23:59:59Z")
        );
        assert_eq!(
            parse_generalized_time(b"20601231235959.123Z"),
            parse_rfc3339("2060-12-31T23:59:59Z")
        );
        assert_eq!(parse_generalized_time(b"2060123123595"), None);
        assert_eq!(
            date_vn(parse_rfc3339("2025-05-27T18:00:00Z").unwrap_or(0)),
            "2025-05-28"
        );
    }
}
