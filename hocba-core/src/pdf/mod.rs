//! The signed-ready PDF/A-3b document of one school year (`signing.md`, "The signed unit" and
//! "Container"): cover, pupil information with the photo, learning history and the year page,
//! the record cut down to that year embedded as `hocba.xml`, and the empty signature fields
//! `GVCN`, `HT` and (for the seal) `DAU` on the year page.
//!
//! ```
//! use hocba_core::pdf::{render, RenderSettings};
//! let xml = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
//! let record = hocba_core::read_record(&xml).unwrap();
//! let pdf = render(&record, &RenderSettings::default()).unwrap();
//! assert!(pdf.starts_with(b"%PDF-1.7"));
//! ```
//!
//! Rendering is deterministic: the same record and settings give the same bytes (dates come from
//! the year's `ngayXacNhan`, identifiers from the content). The design notes are in `docs/pdf.md`.

mod extract;
mod render;
pub mod revisions;
pub mod sign;
pub mod syntax;
pub mod verify;

pub use extract::{extract_xml, ExtractError, MAX_PDF_BYTES, MAX_XML_BYTES};

use crate::model::{Instant, Record, SchoolKind};

/// The bundled font, Liberation Serif 2.1.5 Regular (SIL OFL 1.1, metrics of Times New Roman).
/// A `static`, so that the renderer recognises it by address and reuses its subset between
/// documents.
pub static FONT_REGULAR: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");
/// The bundled font, Liberation Serif 2.1.5 Bold (SIL OFL 1.1).
pub static FONT_BOLD: &[u8] = include_bytes!("../../fonts/LiberationSerif-Bold.ttf");

/// Six capital letters naming a font subset (ISO 32000-1, 9.6.4), from its glyph ids in the
/// order of their new ids: two subsets with the same tag hold the same glyphs in the same order.
/// Used by the renderer and the signature appearance.
pub(crate) fn subset_tag(gids: &[u16]) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for g in gids {
        h.update(g.to_be_bytes());
    }
    h.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// The name of the embedded record (`signing.md`).
pub const EMBEDDED_FILE_NAME: &str = "hocba.xml";

/// The layout's geometry, for tests that check where text lands (not a stable API).
#[doc(hidden)]
pub mod layout {
    /// The cells' x-ranges (left border, right border; points from the page's left edge) of the
    /// subjects table: name, level, score, comment.
    pub fn subject_columns() -> [(f32, f32); 4] {
        super::render::geometry::subject_columns()
    }
    /// The cells' x-ranges of the qualities and competencies tables: name, level, comment.
    pub fn item_columns() -> [(f32, f32); 3] {
        super::render::geometry::item_columns()
    }
    /// The horizontal padding inside a cell, in points.
    pub const CELL_PADDING: f32 = super::render::geometry::CELL_PADDING;
}

/// Whether the document carries a field for the school seal (`DAU`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SealMode {
    /// Con dấu khi trường công lập — a seal field when `truong.loaiHinh` is `1` (public school).
    #[default]
    Auto,
    /// Always a seal field.
    Yes,
    /// Never a seal field.
    No,
}

/// Options of [`render`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderSettings {
    /// Năm học — the school year to render (`2024-2025`); required when the record has several.
    pub year: Option<String>,
    /// The seal field (`DAU`).
    pub seal: SealMode,
    /// A TrueType/OpenType font to use instead of the bundled Liberation Serif (used for both
    /// regular and bold text).
    pub font: Option<Vec<u8>>,
    /// Uncompressed, indented output, for reading and golden files.
    pub debug: bool,
    /// The document's date (`/ModDate`, XMP, the embedded file's date); by default the year's
    /// `ngayXacNhan` at 00:00+07:00.
    pub date: Option<Instant>,
    /// Refuse a record with findings of severity error ([`RenderError::Invalid`]): the record
    /// the document embeds (cut to the year) is checked with [`crate::rules::validate`].
    pub require_valid: bool,
}

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("{}", self.message())]
pub enum RenderError {
    /// The record has no school year (`namHoc`).
    NoSchoolYear,
    /// The record has several school years and none was chosen.
    YearRequired {
        /// The school years of the record, in order.
        available: Vec<String>,
    },
    /// The chosen school year is not in the record.
    YearNotFound {
        /// The year asked for.
        year: String,
        /// The school years of the record, in order.
        available: Vec<String>,
    },
    /// The caller's font cannot be used.
    Font {
        /// What is wrong with it.
        reason: String,
    },
    /// `require_valid` was set and the record has findings of severity error.
    Invalid {
        /// How many findings of severity error.
        errors: usize,
        /// The first of them, as `code at path` (at most five).
        first: Vec<String>,
    },
    /// The PDF writer refused the document (PDF/A validation or a limit).
    Pdf {
        /// The writer's description.
        reason: String,
    },
}

impl RenderError {
    /// The message in English.
    pub fn message(&self) -> String {
        match self {
            RenderError::NoSchoolYear => {
                "the record has no school year (namHoc): nothing to render".to_owned()
            }
            RenderError::YearRequired { available } => format!(
                "the record has several school years ({}): choose one with --year",
                available.join(", ")
            ),
            RenderError::YearNotFound { year, available } => format!(
                "the record has no school year {year}; its school years: {}",
                available.join(", ")
            ),
            RenderError::Font { reason } => format!("the font cannot be used: {reason}"),
            RenderError::Invalid { errors, first } => format!(
                "the record has {errors} error(s) ({}{}): correct them (hocba validate lists them) or render without --require-valid",
                first.join(", "),
                if *errors > first.len() { ", …" } else { "" }
            ),
            RenderError::Pdf { reason } => format!("the PDF could not be written: {reason}"),
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            RenderError::NoSchoolYear => {
                "học bạ không có năm học nào (namHoc): không có gì để xuất".to_owned()
            }
            RenderError::YearRequired { available } => format!(
                "học bạ có nhiều năm học ({}): hãy chọn một năm bằng --year",
                available.join(", ")
            ),
            RenderError::YearNotFound { year, available } => format!(
                "học bạ không có năm học {year}; các năm học có trong học bạ: {}",
                available.join(", ")
            ),
            RenderError::Font { reason } => format!("không dùng được phông chữ: {reason}"),
            RenderError::Invalid { errors, first } => format!(
                "học bạ có {errors} lỗi ({}{}): hãy sửa các lỗi (hocba validate liệt kê chúng) hoặc xuất không dùng --require-valid",
                first.join(", "),
                if *errors > first.len() { ", …" } else { "" }
            ),
            RenderError::Pdf { reason } => format!("không ghi được tệp PDF: {reason}"),
        }
    }
}

/// The record cut down to one school year (`namHoc` holds only that year; everything else as
/// in the record): what the document embeds.
pub fn cut_to_year(record: &Record, year: Option<&str>) -> Result<Record, RenderError> {
    let index = select_year(record, year)?;
    let mut cut = record.clone();
    cut.years = vec![record.years[index].clone()];
    Ok(cut)
}

fn year_label(record: &Record, i: usize) -> String {
    record.years[i]
        .school_year
        .as_ref()
        .map_or_else(String::new, |y| y.as_str().to_owned())
}

fn select_year(record: &Record, year: Option<&str>) -> Result<usize, RenderError> {
    let available: Vec<String> = (0..record.years.len())
        .map(|i| year_label(record, i))
        .collect();
    match year {
        Some(wanted) => {
            let wanted = wanted.trim();
            available
                .iter()
                .position(|y| y == wanted)
                .ok_or_else(|| RenderError::YearNotFound {
                    year: wanted.to_owned(),
                    available,
                })
        }
        None => match record.years.len() {
            0 => Err(RenderError::NoSchoolYear),
            1 => Ok(0),
            _ => Err(RenderError::YearRequired { available }),
        },
    }
}

/// Whether the document gets a seal field.
fn uses_seal(record: &Record, mode: SealMode) -> bool {
    match mode {
        SealMode::Yes => true,
        SealMode::No => false,
        SealMode::Auto => record
            .school
            .as_ref()
            .and_then(|s| s.kind.as_ref())
            .is_some_and(|k| *k == SchoolKind::Public),
    }
}

/// [`RenderError::Invalid`] when the record has findings of severity error.
fn check_valid(record: &Record) -> Result<(), RenderError> {
    use crate::rules::Severity;
    let report = crate::rules::validate(record);
    if report.valid {
        return Ok(());
    }
    let errors: Vec<&crate::rules::Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    Err(RenderError::Invalid {
        errors: errors.len(),
        first: errors
            .iter()
            .take(5)
            .map(|f| format!("{} at {}", f.code, f.path))
            .collect(),
    })
}

/// Renders the signed-ready PDF/A-3b document of one school year of a record.
///
/// Any parseable record renders (drafts are reviewed on paper); missing values print as blanks.
/// The embedded `hocba.xml` is [`crate::xml::to_string`] of [`cut_to_year`].
pub fn render(record: &Record, settings: &RenderSettings) -> Result<Vec<u8>, RenderError> {
    let cut = cut_to_year(record, settings.year.as_deref())?;
    if settings.require_valid {
        check_valid(&cut)?;
    }
    let xml = crate::xml::to_string(&cut);
    let seal = uses_seal(&cut, settings.seal);
    render::document(&cut, xml.into_bytes(), seal, settings)
}
