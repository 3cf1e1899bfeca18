//! Record format v1 in JSON: the same tree and names as the XML (`format.md`, "Serialisation").

use crate::error::{InputFormat, ParseError, ParseErrorKind as K, Position, Result};
use crate::model::Record;
use crate::xml::ReadOptions;

/// Reads a record from JSON with the default options.
///
/// ```
/// let json = std::fs::read("../fixtures/records/valid/example.json").unwrap();
/// let record = hocba_core::json::from_slice(&json).unwrap();
/// assert_eq!(record.years[0].school_year.as_ref().unwrap().as_str(), "2024-2025");
/// ```
pub fn from_slice(input: &[u8]) -> Result<Record> {
    from_slice_with(input, &ReadOptions::default())
}

/// Reads a record from JSON.
pub fn from_slice_with(input: &[u8], options: &ReadOptions) -> Result<Record> {
    let fail = |kind, offset: usize| -> crate::Error {
        ParseError {
            format: InputFormat::Json,
            kind,
            position: Some(Position::at(input, offset)),
        }
        .into()
    };
    if input.len() > options.max_bytes {
        return Err(fail(
            K::TooLarge {
                limit: options.max_bytes,
            },
            options.max_bytes,
        ));
    }
    let bom = if input.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &input[bom..];
    if let Err(e) = std::str::from_utf8(body) {
        return Err(fail(K::InvalidUtf8, bom + e.valid_up_to()));
    }
    serde_json::from_slice::<Record>(body).map_err(|e| {
        use serde_json::error::Category;
        let kind = match e.classify() {
            Category::Eof => K::UnexpectedEof,
            Category::Syntax | Category::Io => K::Syntax(strip_position(&e)),
            Category::Data => K::JsonShape(strip_position(&e)),
        };
        let offset = offset_of(body, e.line(), e.column());
        fail(kind, bom + offset)
    })
}

/// serde_json appends " at line L column C"; we report the position ourselves.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// Byte offset of serde_json's (line, column) — column counts bytes from 1.
fn offset_of(input: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match input[offset..].iter().position(|b| *b == b'\n') {
            Some(p) => offset += p + 1,
            None => return input.len(),
        }
    }
    (offset + column.saturating_sub(1)).min(input.len())
}

/// Writes the canonical JSON of a record: `phienBan` first, keys in `format.md`'s order, two-space
/// indentation, absent fields and empty lists omitted, a final newline.
///
/// ```
/// let json = std::fs::read("../fixtures/records/valid/example.json").unwrap();
/// let record = hocba_core::json::from_slice(&json).unwrap();
/// assert_eq!(hocba_core::json::to_string(&record).as_bytes(), &json[..]);
/// ```
pub fn to_string(record: &Record) -> String {
    // Serialising plain data into a String cannot fail: every map key is a string.
    let mut s = serde_json::to_string_pretty(record).unwrap_or_default();
    s.push('\n');
    s
}

/// [`to_string`] as bytes.
pub fn to_vec(record: &Record) -> Vec<u8> {
    to_string(record).into_bytes()
}
