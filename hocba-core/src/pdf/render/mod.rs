//! Layout (the template's pages) → the PDF/A-3b file, written directly (`write.rs`): fonts
//! subset with ToUnicode, the photo, the embedded record, the signature fields and the XMP.
//! `docs/pdf.md` says why the file is written by this crate rather than through a document
//! library.

mod canvas;
mod icc;
mod pages;
mod photo;
mod text;
mod write;

use self::canvas::{Canvas, Fonts};
use self::text::Face;
use self::write::{Meta, Moment};
use super::{RenderError, RenderSettings, FONT_BOLD, FONT_REGULAR};
use crate::model::{Instant, Record};

/// The geometry of the year page's tables, for tests that check where text lands.
pub(crate) mod geometry {
    use super::canvas::{MARGIN_L, PAD_X};
    use super::pages::{ITEM_WIDTHS, SUBJECT_WIDTHS};

    fn ranges<const N: usize>(widths: [f32; N]) -> [(f32, f32); N] {
        let mut x = MARGIN_L;
        widths.map(|w| {
            let cell = (x, x + w);
            x += w;
            cell
        })
    }

    pub(crate) fn subject_columns() -> [(f32, f32); 4] {
        ranges(SUBJECT_WIDTHS)
    }

    pub(crate) fn item_columns() -> [(f32, f32); 3] {
        ranges(ITEM_WIDTHS)
    }

    pub(crate) const CELL_PADDING: f32 = PAD_X;
}

/// The letters a caller's font must have (every Vietnamese letter, both cases).
pub(crate) const VIETNAMESE: &str = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ\
AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ0123456789";

/// The date of the document: the caller's, else the year's `ngayXacNhan` at 00:00+07:00, else
/// 1 January of the school year's second calendar year, else 2000-01-01 (never the clock).
fn document_date(record: &Record, settings: &RenderSettings) -> Moment {
    if let Some(i) = settings.date {
        return to_moment(&i);
    }
    let year = record.years.first();
    let day = year
        .and_then(|y| y.confirmation_date.as_ref())
        .and_then(|d| d.to_calendar())
        .or_else(|| {
            year.and_then(|y| y.school_year.as_ref())
                .and_then(|l| l.years())
                .and_then(|(_, second)| crate::model::CalendarDate::new(second, 1, 1))
        });
    let (year, month, day) = day.map_or((2000, 1, 1), |c| (c.year, c.month, c.day));
    Moment {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        offset_minutes: 7 * 60,
    }
}

fn to_moment(i: &Instant) -> Moment {
    let secs = i.seconds_of_day.min(86_399);
    let offset = i.offset_minutes.clamp(-23 * 60 - 59, 23 * 60 + 59);
    Moment {
        year: i.date.year.min(9999),
        month: i.date.month,
        day: i.date.day,
        hour: (secs / 3600) as u8,
        minute: (secs / 60 % 60) as u8,
        second: (secs % 60) as u8,
        offset_minutes: i16::try_from(offset).unwrap_or(0),
    }
}

/// Renders the cut-down record (exactly one school year) with its canonical XML.
pub(crate) fn document(
    record: &Record,
    xml: Vec<u8>,
    seal: bool,
    settings: &RenderSettings,
) -> Result<Vec<u8>, RenderError> {
    let Some(year) = record.years.first() else {
        return Err(RenderError::NoSchoolYear);
    };
    // Fonts.
    let (regular_data, bold_data): (&[u8], &[u8]) = match &settings.font {
        Some(font) => (font, font),
        None => (FONT_REGULAR, FONT_BOLD),
    };
    let font_error = |reason: &str| RenderError::Font {
        reason: reason.to_owned(),
    };
    let fonts = Fonts {
        regular: Face::new(regular_data)
            .ok_or_else(|| font_error("not a TrueType/OpenType font"))?,
        bold: Face::new(bold_data).ok_or_else(|| font_error("not a TrueType/OpenType font"))?,
    };
    if !fonts.regular.covers(VIETNAMESE) {
        return Err(font_error("it lacks some Vietnamese letters"));
    }

    // Layout.
    let photo = pages::photo(record);
    let mut canvas = Canvas::new(&fonts);
    pages::cover(&mut canvas, record);
    pages::pupil_page(&mut canvas, record, year, photo.as_ref());
    pages::history_page(&mut canvas, record);
    pages::year_page(&mut canvas, record, year, seal);

    // The file.
    let pupil_name = record
        .pupil
        .as_ref()
        .and_then(|p| p.full_name.as_ref())
        .map_or("", |n| n.as_str());
    let year_label = year.school_year.as_ref().map_or("", |y| y.as_str());
    let title = format!("Học bạ Tiểu học — {pupil_name} — năm học {year_label}");
    let tool = format!("hocba {}", crate::VERSION);
    let file_description = format!("Học bạ số (định dạng hocba v1), năm học {year_label}");
    let meta = Meta {
        title: &title,
        tool: &tool,
        date: document_date(record, settings),
        file_description: &file_description,
        record_id: record.record_id.as_ref().map_or("", |r| r.as_str()),
        school_year: year_label,
    };
    write::document(
        &canvas.pages,
        &canvas.boxes,
        &fonts,
        photo.as_ref(),
        &xml,
        &meta,
        settings.debug,
    )
}
