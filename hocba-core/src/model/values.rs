//! Lenient value types: text, numbers, dates and code lists that keep what was written.
//!
//! A record read from a file may hold anything a clerk typed. These types keep the raw value so
//! that the rule engine can report it (`invalid_code`, `invalid_date`, `score_out_of_range`), and
//! offer checked accessors for the code that needs a typed value.

use std::borrow::Cow;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Why a piece of text cannot be held by a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    /// A character that XML 1.0 cannot carry (a control character, U+FFFE, U+FFFF).
    IllegalChar(char),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::IllegalChar(c) => write!(
                f,
                "character U+{:04X} cannot appear in a record (not allowed in XML 1.0)",
                *c as u32
            ),
        }
    }
}

/// Is `c` a character XML 1.0 allows in text?
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// True when `b` (valid UTF-8) is text that every reader keeps as it is: legal XML characters,
/// no `\r`, and only characters that are NFC whatever follows them (below U+0300: ASCII and
/// Latin letters; U+1E00–U+1EFF: the precomposed Vietnamese letters). Works on bytes: 64 at a
/// time where none is a control character or above 0x7F (a loop the compiler vectorises: base64
/// photos are ~40 KB), by byte pairs otherwise (Vietnamese text), never decoding a character.
pub(crate) fn plain_text(b: &[u8]) -> bool {
    // `x - 0x20` (wrapping) is at least 0x60 exactly for control characters and non-ASCII bytes.
    let unusual = |chunk: &[u8]| {
        chunk
            .iter()
            .fold(0u8, |acc, &x| acc | u8::from(x.wrapping_sub(0x20) >= 0x60))
            != 0
    };
    let mut chunks = b.chunks_exact(64);
    let mut at = 0;
    for chunk in &mut chunks {
        if unusual(chunk) && !plain_bytes(b, at, chunk) {
            return false;
        }
        at += 64;
    }
    let rest = chunks.remainder();
    !unusual(rest) || plain_bytes(b, at, rest)
}

/// The byte rule of [`plain_text`] for `chunk`, which starts at `at` in `b`: each byte with the
/// one after it, branch-free so that the compiler vectorises it.
fn plain_bytes(b: &[u8], at: usize, chunk: &[u8]) -> bool {
    let next = b.get(at + 1..).unwrap_or_default();
    let m = chunk.len().min(next.len());
    let bad = |x: u8, y: u8| {
        // Control characters other than tab and line feed (`\r` included).
        let control = (x < 0x20) & (x != b'\t') & (x != b'\n');
        // Lead bytes of U+0300 and above, except U+1E00–U+1EFF (E1 B8..BB xx). Continuation
        // bytes and the leads of U+0080–U+02FF (C2..CB) pass: their lead byte decides.
        let high = (x >= 0xCC) & !((x == 0xE1) & (y.wrapping_sub(0xB8) < 4));
        u8::from(control | high)
    };
    let acc = chunk[..m]
        .iter()
        .zip(&next[..m])
        .fold(0u8, |acc, (&x, &y)| acc | bad(x, y));
    // The input's last byte has no successor.
    let last = chunk[m..].iter().fold(0u8, |acc, &x| acc | bad(x, 0));
    acc | last == 0
}

/// Normalise text as every reader does: line ends to `\n`, NFC; refuse characters XML cannot carry.
pub fn normalize_text(s: &str) -> Result<Cow<'_, str>, TextError> {
    // Fast path: ASCII text (codes, dates, base64 photos) and Vietnamese text written with
    // precomposed letters (U+00C0–U+024F, U+1E00–U+1EFF) are legal and already NFC; only text
    // with anything else (control characters, `\r`, combining marks, other scripts) needs the
    // full check.
    if plain_text(s.as_bytes()) {
        return Ok(Cow::Borrowed(s));
    }
    let mut simple = true;
    for c in s.chars() {
        if !is_xml_char(c) {
            return Err(TextError::IllegalChar(c));
        }
        simple &= c < '\u{0300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c);
    }
    if simple && memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return Ok(Cow::Borrowed(s));
    }
    let s: Cow<'_, str> = if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    };
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Ok(s)
    } else {
        Ok(Cow::Owned(s.nfc().collect()))
    }
}

/// `s.trim()`, without a search when the text neither starts nor ends with white space: most
/// values start and end with a printable ASCII character (codes, dates), the others (names
/// ending in a Vietnamese letter, the level code `Đ`) are settled by their first and last
/// characters.
pub(crate) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if (0x21..0x80).contains(first) && (0x21..0x80).contains(last) => s,
        [only] if (0x21..0x80).contains(only) => s,
        _ if !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace) => s,
        _ => s.trim(),
    }
}

/// Text as written, NFC-normalised, with line ends as `\n`.
///
/// Văn bản — the value of a text field. Construct it with [`Text::new`] (which normalises) or
/// `From<&str>` (which also normalises; it replaces characters XML cannot carry with U+FFFD so
/// that building a record in code never panics).
#[derive(Clone, Default)]
pub struct Text {
    s: Box<str>,
    /// What the XML reader already checked about the text (the rules skip those checks);
    /// nothing for text built any other way. A `Text` cannot be changed, so these stay true.
    facts: Facts,
}

/// Facts about a [`Text`]'s characters established while reading (a bit set).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Facts(u8);

impl Facts {
    /// Canonical base64: one or more groups of four characters of the base64 alphabet
    /// (`A–Z a–z 0–9 + /`), with at most two `=` at the end only and no white space.
    const BASE64: u8 = 1;
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.s == other.s
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.s.hash(state)
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.s.cmp(&other.s)
    }
}

impl Text {
    /// Normalises `s` (NFC, `\n` line ends); refuses characters XML 1.0 cannot carry.
    ///
    /// ```
    /// use hocba_core::model::Text;
    /// // "Việt" written with a combining dot below is stored precomposed (NFC).
    /// let t = Text::new("Vie\u{0323}\u{0302}t").unwrap();
    /// assert_eq!(t.as_str(), "Việt");
    /// assert!(Text::new("bad\u{0001}").is_err());
    /// ```
    pub fn new(s: &str) -> Result<Self, TextError> {
        Ok(Text::from_normalized(normalize_text(s)?.into_owned()))
    }

    /// Wraps a string the caller has already passed through [`normalize_text`].
    pub(crate) fn from_normalized(s: String) -> Self {
        Text {
            s: s.into_boxed_str(),
            facts: Facts::default(),
        }
    }

    /// Wraps text the caller has found to be canonical base64 (the XML reader's `Lexer::base64_text`): it is
    /// ASCII without control characters, so already normalised.
    pub(crate) fn from_base64(s: &str) -> Self {
        Text {
            s: s.into(),
            facts: Facts(Facts::BASE64),
        }
    }

    /// True when the reader found the text to be canonical base64 (groups of four alphabet
    /// characters, `=` padding only at the end, no white space). False means "not checked".
    pub(crate) fn known_base64(&self) -> bool {
        self.facts.0 & Facts::BASE64 != 0
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.s
    }

    /// True when empty after trimming white space (the rules' "blank").
    pub fn is_blank(&self) -> bool {
        trim(&self.s).is_empty()
    }

    /// Length in Unicode scalar values (the unit of `format.md`'s text limits).
    pub fn char_len(&self) -> usize {
        self.s.chars().count()
    }

    /// The owned string.
    pub fn into_string(self) -> String {
        self.s.into_string()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        match Text::new(s) {
            Ok(t) => t,
            Err(_) => {
                let cleaned: String = s
                    .chars()
                    .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
                    .collect();
                Text::from_normalized(
                    normalize_text(&cleaned)
                        .map(Cow::into_owned)
                        .unwrap_or_default(),
                )
            }
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::from(s.as_str())
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.s
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.s
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.s, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.s)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.s == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.s == *other
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.s)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Text::new(&s).map_err(de::Error::custom)
    }
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// Declares a newtype over [`Text`] for a value with a syntax of its own (dates, school years).
macro_rules! text_newtype {
    ($(#[$m:meta])* $name:ident, $schema:tt) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Text);

        impl $name {
            /// The value as written.
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(Text::from(s))
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

text_newtype!(
    /// A calendar date `YYYY-MM-DD`, kept as written; [`Date::to_calendar`] checks it.
    ///
    /// ```
    /// use hocba_core::model::Date;
    /// assert_eq!(Date::from("2016-03-14").to_calendar().map(|d| d.year), Some(2016));
    /// assert_eq!(Date::from("2025-02-30").to_calendar(), None);
    /// ```
    Date,
    { "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }
);

text_newtype!(
    /// An RFC 3339 timestamp with an offset (`2025-05-20T16:30:00+07:00`), kept as written;
    /// [`Timestamp::to_instant`] checks it.
    Timestamp,
    { "type": "string", "format": "date-time" }
);

text_newtype!(
    /// A school year `YYYY-YYYY` (năm học), kept as written; [`SchoolYearLabel::years`] checks it.
    ///
    /// ```
    /// use hocba_core::model::SchoolYearLabel;
    /// assert_eq!(SchoolYearLabel::from("2024-2025").years(), Some((2024, 2025)));
    /// assert_eq!(SchoolYearLabel::from("2024-2026").years(), None);
    /// ```
    SchoolYearLabel,
    { "type": "string", "pattern": "^[0-9]{4}-[0-9]{4}$" }
);

/// A checked calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    /// Year (1–9999).
    pub year: u16,
    /// Month (1–12).
    pub month: u8,
    /// Day of the month (1–31).
    pub day: u8,
}

impl CalendarDate {
    /// A checked date, or `None` when it does not exist (30 February).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(CalendarDate { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits<const N: usize>(b: &[u8]) -> Option<u32> {
    if b.len() != N || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
}

fn parse_date(s: &str) -> Option<CalendarDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = u16::try_from(digits::<4>(&b[0..4])?).ok()?;
    let m = u8::try_from(digits::<2>(&b[5..7])?).ok()?;
    let d = u8::try_from(digits::<2>(&b[8..10])?).ok()?;
    CalendarDate::new(y, m, d)
}

impl Date {
    /// The date, or `None` when it is not a real `YYYY-MM-DD` calendar date.
    pub fn to_calendar(&self) -> Option<CalendarDate> {
        parse_date(self.as_str())
    }
}

/// A checked RFC 3339 instant: the local date and time plus its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    /// The local calendar date as written.
    pub date: CalendarDate,
    /// Seconds since local midnight (0–86400, a leap second allowed).
    pub seconds_of_day: u32,
    /// Nanoseconds.
    pub nanos: u32,
    /// Offset from UTC in minutes.
    pub offset_minutes: i32,
}

impl Instant {
    /// Seconds since 1970-01-01T00:00:00Z, plus nanoseconds: compares instants across offsets.
    pub fn unix(&self) -> (i64, u32) {
        let local = self.date.days_since_epoch() * 86_400 + i64::from(self.seconds_of_day);
        (local - i64::from(self.offset_minutes) * 60, self.nanos)
    }
}

impl Timestamp {
    /// The instant, or `None` when it is not an RFC 3339 date-time with an offset.
    ///
    /// ```
    /// use hocba_core::model::Timestamp;
    /// let a = Timestamp::from("2025-05-20T16:30:00+07:00").to_instant().unwrap();
    /// let b = Timestamp::from("2025-05-20T09:30:00Z").to_instant().unwrap();
    /// assert_eq!(a.unix(), b.unix());
    /// assert!(Timestamp::from("2025-05-20 16:30").to_instant().is_none());
    /// ```
    pub fn to_instant(&self) -> Option<Instant> {
        let s = self.as_str();
        let b = s.as_bytes();
        if b.len() < 20 || !matches!(b[10], b'T' | b't') {
            return None;
        }
        let date = parse_date(s.get(0..10)?)?;
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let h = digits::<2>(&b[11..13])?;
        let mi = digits::<2>(&b[14..16])?;
        let se = digits::<2>(&b[17..19])?;
        if h > 23 || mi > 59 || se > 60 {
            return None;
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b[i] == b'.' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j == start || j - start > 9 {
                return None;
            }
            let frac = digits_any(&b[start..j])?;
            nanos = frac * 10u32.pow(u32::try_from(9 - (j - start)).ok()?);
            i = j;
        }
        let rest = &b[i..];
        let offset_minutes = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let oh = digits::<2>(&[*h1, *h2])?;
                let om = digits::<2>(&[*m1, *m2])?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let v = i32::try_from(oh * 60 + om).ok()?;
                if *sign == b'-' {
                    -v
                } else {
                    v
                }
            }
            _ => return None,
        };
        Some(Instant {
            date,
            seconds_of_day: h * 3600 + mi * 60 + se,
            nanos,
            offset_minutes,
        })
    }
}

fn digits_any(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

impl SchoolYearLabel {
    /// `(first, second)` when the label is `YYYY-YYYY` with consecutive years.
    pub fn years(&self) -> Option<(u16, u16)> {
        let (a, b) = self.split()?;
        (u32::from(b) == u32::from(a) + 1).then_some((a, b))
    }

    /// `(first, second)` when the label has the shape `YYYY-YYYY`, consecutive or not.
    pub fn split(&self) -> Option<(u16, u16)> {
        let b = self.as_str().as_bytes();
        if b.len() != 9 || b[4] != b'-' {
            return None;
        }
        let a = u16::try_from(digits::<4>(&b[0..4])?).ok()?;
        let c = u16::try_from(digits::<4>(&b[5..9])?).ok()?;
        Some((a, c))
    }
}

/// A number as written in the record (`khoi`, `diem`): an integer or a finite decimal.
///
/// Kept even when the rules will refuse it (a score of 8.5 or 11), so that the finding can
/// name it. Integral values are always stored as [`Number::Integer`], so `8.0` and `8` are equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A whole number.
    Integer(i64),
    /// A finite number with a fractional part.
    Decimal(f64),
}

/// Largest magnitude kept exactly (2^53): beyond it a number is refused as unrepresentable.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

impl Number {
    /// A number from a float; `None` for NaN, infinities and magnitudes over 2^53.
    pub fn from_f64(v: f64) -> Option<Self> {
        if !v.is_finite() || v.abs() > MAX_EXACT {
            return None;
        }
        if v.fract() == 0.0 {
            // In range by the check above, so the conversion is exact.
            #[allow(clippy::cast_possible_truncation)]
            Some(Number::Integer(v as i64))
        } else {
            Some(Number::Decimal(v))
        }
    }

    /// Parses the decimal syntax of XML Schema (`-12`, `8.5`, `+3`, `.5`); no exponents.
    ///
    /// ```
    /// use hocba_core::model::Number;
    /// assert_eq!(Number::parse_decimal(" 9 "), Some(Number::Integer(9)));
    /// assert_eq!(Number::parse_decimal("8.50"), Some(Number::Decimal(8.5)));
    /// assert_eq!(Number::parse_decimal("9.0"), Some(Number::Integer(9)));
    /// assert_eq!(Number::parse_decimal("chín"), None);
    /// ```
    pub fn parse_decimal(s: &str) -> Option<Self> {
        let t = s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        // Fast path: a short run of digits (every score and grade).
        if !t.is_empty() && t.len() <= 15 && t.bytes().all(|b| b.is_ascii_digit()) {
            let v = t
                .bytes()
                .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
            return Some(Number::Integer(v));
        }
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        if body.is_empty() || body.len() > 40 {
            return None;
        }
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: f64 = t.parse().ok()?;
        Number::from_f64(v)
    }

    /// The value as an integer, when it is one.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Number::Integer(i) => Some(*i),
            Number::Decimal(_) => None,
        }
    }

    /// The value as a float.
    pub fn as_f64(&self) -> f64 {
        match self {
            // Integers are bounded by 2^53, so this is exact.
            #[allow(clippy::cast_precision_loss)]
            Number::Integer(i) => *i as f64,
            Number::Decimal(d) => *d,
        }
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        Number::Integer(v)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Integer(i) => write!(f, "{i}"),
            // Rust prints the shortest representation that reads back to the same float.
            Number::Decimal(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Number::Integer(i) => s.serialize_i64(*i),
            Number::Decimal(d) => s.serialize_f64(*d),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                #[allow(clippy::cast_precision_loss)]
                Number::from_f64(v as f64)
                    .map(|_| Number::Integer(v))
                    .ok_or_else(|| E::custom("number too large"))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom("number too large"))
                    .and_then(|v| self.visit_i64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Number::from_f64(v).ok_or_else(|| E::custom("number too large"))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer" })
    }
}

/// What the rule engine needs of any code list.
pub trait CodeList {
    /// Every canonical code of the list, in order.
    fn codes() -> &'static [&'static str];
    /// The canonical code, or the raw value of an unknown one.
    fn raw(&self) -> &str;
    /// True for a code of the list.
    fn known(&self) -> bool;
}

/// Declares a code list: an enum of the known codes that keeps any other value as written.
///
/// Reading accepts the exact code, its listed aliases, and case variants of either; writing
/// always gives the canonical code.
macro_rules! code_list {
    (
        $(#[$m:meta])*
        $name:ident {
            $( $(#[$vm:meta])* $var:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        pub enum $name {
            $( $(#[$vm])* $var, )+
            /// A value outside the list, kept as written (reported as `invalid_code`).
            Other(Text),
        }

        impl $name {
            /// Every canonical code of the list, in order.
            pub const CODES: &'static [&'static str] = &[$($wire),+];

            /// The code for `s`: exact, alias, or case variant; anything else is kept as
            /// [`Self::Other`].
            pub fn parse(s: &str) -> Self {
                match s {
                    $( $wire $(| $alias)* => return $name::$var, )+
                    _ => {}
                }
                let lower = s.to_lowercase();
                $(
                    if lower == $wire.to_lowercase() $(|| lower == $alias.to_lowercase())* {
                        return $name::$var;
                    }
                )+
                $name::Other(Text::from(s))
            }

            /// The canonical code, or the raw value for [`Self::Other`].
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$var => $wire, )+
                    $name::Other(t) => t.as_str(),
                }
            }

            /// True for a code of the list.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl CodeList for $name {
            fn codes() -> &'static [&'static str] {
                $name::CODES
            }
            fn raw(&self) -> &str {
                self.as_str()
            }
            fn known(&self) -> bool {
                self.is_known()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let t = Text::deserialize(d)?;
                Ok($name::parse(t.as_str()))
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "enum": $name::CODES })
            }
        }
    };
}

code_list!(
    /// Giới tính — sex (QCVN 109:2017/BTTTT).
    Sex {
        /// `1` Nam — male.
        Male = "1",
        /// `2` Nữ — female.
        Female = "2",
    }
);

code_list!(
    /// Loại hình trường — kind of school.
    SchoolKind {
        /// `1` Công lập — public (signs with the school seal).
        Public = "1",
        /// `2` Dân lập — community.
        Community = "2",
        /// `3` Tư thục — private.
        Private = "3",
    }
);

code_list!(
    /// Chức vụ người ký — title of the school leader who signs the year page.
    SignerTitle {
        /// Hiệu trưởng — principal.
        Principal = "Hiệu trưởng",
        /// Phó Hiệu trưởng — deputy principal.
        DeputyPrincipal = "Phó Hiệu trưởng",
    }
);

code_list!(
    /// Mã môn học / hoạt động giáo dục — subject or educational activity (Circular 32/2018).
    SubjectCode {
        /// Tiếng Việt.
        Vietnamese = "TV",
        /// Toán — mathematics.
        Mathematics = "TOAN",
        /// Đạo đức — ethics.
        Ethics = "DD",
        /// Ngoại ngữ 1 — first foreign language.
        ForeignLanguage = "NN1",
        /// Tự nhiên và Xã hội — nature and society.
        NatureAndSociety = "TNXH",
        /// Lịch sử và Địa lí — history and geography.
        HistoryAndGeography = "LSDL",
        /// Khoa học — science.
        Science = "KH",
        /// Tin học và Công nghệ (Tin học) — informatics.
        Informatics = "TIN",
        /// Tin học và Công nghệ (Công nghệ) — technology.
        Technology = "CNGHE",
        /// Giáo dục thể chất — physical education.
        PhysicalEducation = "GDTC",
        /// Nghệ thuật (Âm nhạc) — music.
        Music = "AN",
        /// Nghệ thuật (Mĩ thuật) — fine arts.
        FineArts = "MT",
        /// Hoạt động trải nghiệm — experiential activities.
        ExperientialActivities = "HDTN",
        /// Tiếng dân tộc thiểu số — ethnic minority language.
        EthnicLanguage = "TDT",
    }
);

code_list!(
    /// Mức đạt của môn học — subject level.
    SubjectLevel {
        /// `T` Hoàn thành tốt — completed well.
        CompletedWell = "T",
        /// `H` Hoàn thành — completed.
        Completed = "H",
        /// `C` Chưa hoàn thành — not completed.
        NotCompleted = "C",
    }
);

code_list!(
    /// Phẩm chất — quality.
    QualityCode {
        /// Yêu nước — patriotism.
        Patriotism = "YEU_NUOC",
        /// Nhân ái — kindness.
        Kindness = "NHAN_AI",
        /// Chăm chỉ — diligence.
        Diligence = "CHAM_CHI",
        /// Trung thực — honesty.
        Honesty = "TRUNG_THUC",
        /// Trách nhiệm — responsibility.
        Responsibility = "TRACH_NHIEM",
    }
);

code_list!(
    /// Năng lực — competency (3 general, 7 specific).
    CompetencyCode {
        /// Tự chủ và tự học — autonomy and self-learning (general).
        SelfLearning = "TU_CHU_TU_HOC",
        /// Giao tiếp và hợp tác — communication and collaboration (general).
        Communication = "GIAO_TIEP_HOP_TAC",
        /// Giải quyết vấn đề và sáng tạo — problem solving and creativity (general).
        ProblemSolving = "GQVD_SANG_TAO",
        /// Ngôn ngữ — language.
        Language = "NGON_NGU",
        /// Tính toán — numeracy.
        Numeracy = "TINH_TOAN",
        /// Khoa học — science.
        Science = "KHOA_HOC",
        /// Công nghệ — technology.
        Technology = "CONG_NGHE",
        /// Tin học — informatics.
        Informatics = "TIN_HOC",
        /// Thẩm mĩ — aesthetics.
        Aesthetics = "THAM_MI",
        /// Thể chất — physical.
        Physical = "THE_CHAT",
    }
);

code_list!(
    /// Mức đạt của phẩm chất, năng lực — level of a quality or competency.
    ///
    /// Readers accept `D` for `Đ`; writers always write `Đ`.
    ItemLevel {
        /// `T` Tốt — good.
        Good = "T",
        /// `Đ` Đạt — satisfactory.
        Satisfactory = "Đ" | "D",
        /// `C` Cần cố gắng — needs effort.
        NeedsEffort = "C",
    }
);

code_list!(
    /// Kết quả giáo dục cuối năm — year-end result (Circular 27, Article 9).
    YearResult {
        /// `HTXS` Hoàn thành xuất sắc — completed with excellence.
        Excellent = "HTXS",
        /// `HTT` Hoàn thành tốt — completed well.
        Good = "HTT",
        /// `HT` Hoàn thành — completed.
        Completed = "HT",
        /// `CHT` Chưa hoàn thành — not completed.
        NotCompleted = "CHT",
    }
);

code_list!(
    /// Loại khen thưởng — kind of commendation (Circular 27, Article 13).
    CommendationKind {
        /// Học sinh Xuất sắc — excellent pupil.
        Excellent = "XUAT_SAC",
        /// Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện — exemplary pupil.
        Exemplary = "TIEU_BIEU",
        /// Khen thưởng đột xuất — ad-hoc commendation.
        AdHoc = "DOT_XUAT",
        /// Khác — other.
        Miscellaneous = "KHAC",
    }
);

code_list!(
    /// Kỳ đánh giá — assessment period.
    Period {
        /// Giữa học kỳ I — mid-term I.
        MidTerm1 = "GHK1",
        /// Cuối học kỳ I — end of term I.
        EndOfTerm1 = "CHK1",
        /// Giữa học kỳ II — mid-term II.
        MidTerm2 = "GHK2",
        /// Cuối năm học — end of year.
        EndOfYear = "CN",
    }
);

code_list!(
    /// Vai trò — role of the person in an audit entry.
    AuditRole {
        /// Giáo viên bộ môn — subject teacher.
        SubjectTeacher = "GVBM",
        /// Giáo viên chủ nhiệm — homeroom teacher.
        HomeroomTeacher = "GVCN",
        /// Tổ trưởng chuyên môn — head of department.
        HeadOfDepartment = "TTCM",
        /// Hiệu trưởng — principal.
        Principal = "HT",
    }
);

code_list!(
    /// Hành động — action of an audit entry.
    AuditAction {
        /// Nhập — enter.
        Enter = "NHAP",
        /// Sửa — change.
        Change = "SUA",
        /// Khóa — lock.
        Lock = "KHOA",
        /// Mở khóa — unlock.
        Unlock = "MO_KHOA",
        /// Ký — sign.
        Sign = "KY",
    }
);

code_list!(
    /// Định dạng ảnh — photo format (media type).
    PhotoFormat {
        /// JPEG.
        Jpeg = "image/jpeg",
        /// PNG.
        Png = "image/png",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character definition `plain_text` must agree with.
    fn plain_reference(s: &str) -> bool {
        s.chars().all(|c| {
            is_xml_char(c)
                && c != '\r'
                && (c < '\u{0300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c))
        })
    }

    #[test]
    fn plain_text_agrees_with_the_character_rule() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            for s in [
                c.to_string(),
                format!("Vi\u{1EC7}t {c}"),
                format!("{}{c}", "x".repeat(31)),
                format!("{}{c}a", "y".repeat(30)),
            ] {
                assert_eq!(plain_text(s.as_bytes()), plain_reference(&s), "{c:?}");
            }
        }
    }
}
