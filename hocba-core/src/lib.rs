//! # hocba-core
//!
//! The shared engine of Vietnam's digital primary-school record (*Học bạ số cấp Tiểu học*,
//! Circular 27/2020/TT-BGDĐT): the record model, its XML and JSON forms, and (as they land)
//! validation, PDF/A-3 rendering, PAdES signing and verification.
//!
//! ```
//! // Read a record (XML or JSON, detected from the content), write it back canonically.
//! let bytes = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
//! let record = hocba_core::read_record(&bytes).unwrap();
//! assert_eq!(hocba_core::xml::to_string(&record).as_bytes(), &bytes[..]);
//! let json = hocba_core::json::to_string(&record);
//! assert_eq!(hocba_core::json::from_slice(json.as_bytes()).unwrap(), record);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod class;
pub mod error;
pub mod json;
pub mod model;
pub mod pdf;
pub mod pki;
pub mod rules;
pub mod schema;
pub mod xml;

pub use error::{Error, InputFormat, ParseError, ParseErrorKind, Position, Result};
pub use model::Record;

/// The library's version (`Cargo.toml`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The format of an input, from its first non-blank character (after an optional UTF-8 BOM):
/// `<` is XML, `{` or `[` is JSON; `None` otherwise.
///
/// ```
/// use hocba_core::{detect_format, InputFormat};
/// assert_eq!(detect_format(b"\n  <?xml version=\"1.0\"?>"), Some(InputFormat::Xml));
/// assert_eq!(detect_format(b"{\"phienBan\": 1}"), Some(InputFormat::Json));
/// assert_eq!(detect_format(b"%PDF-1.7"), None);
/// ```
pub fn detect_format(input: &[u8]) -> Option<InputFormat> {
    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    match body
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?
    {
        b'<' => Some(InputFormat::Xml),
        b'{' | b'[' => Some(InputFormat::Json),
        _ => None,
    }
}

/// Reads a record in XML or JSON, detected from the content, with the default options.
pub fn read_record(input: &[u8]) -> Result<Record> {
    read_record_with(input, &xml::ReadOptions::default())
}

/// Reads a record in XML or JSON, detected from the content.
pub fn read_record_with(input: &[u8], options: &xml::ReadOptions) -> Result<Record> {
    // Refuse an oversized input before looking at it (both readers check again).
    let format = if input.len() > options.max_bytes {
        Some(InputFormat::Xml)
    } else {
        detect_format(input)
    };
    match format {
        Some(InputFormat::Xml) => xml::from_slice_with(input, options),
        Some(InputFormat::Json) => json::from_slice_with(input, options),
        None => Err(ParseError {
            format: InputFormat::Xml,
            kind: ParseErrorKind::UnknownFormat,
            position: Some(Position::at(input, 0)),
        }
        .into()),
    }
}
