//! Layout (the template's pages) → krilla (PDF/A-3b, fonts subset with ToUnicode, the embedded
//! record) → a small post-step (signature fields and the `hb:` XMP schema, see `form.rs`).

mod canvas;
mod form;
mod pages;
mod text;

use krilla::configure::{Archival, ConfigurationBuilder, PdfVersion};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::{Document, SerializeSettings};

use self::canvas::{Canvas, Fonts, Op, PAGE_H, PAGE_W};
use self::text::Face;
use super::{RenderError, RenderSettings, EMBEDDED_FILE_NAME, FONT_BOLD, FONT_REGULAR};
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
const VIETNAMESE: &str = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ\
AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ0123456789";

/// The date of the document: the caller's, else the year's `ngayXacNhan` at 00:00+07:00, else
/// 1 January of the school year's second calendar year, else 2000-01-01 (never the clock).
fn document_date(record: &Record, settings: &RenderSettings) -> DateTime {
    if let Some(i) = settings.date {
        return to_datetime(&i);
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
    let (y, m, d) = day.map_or((2000, 1, 1), |c| (c.year, c.month, c.day));
    DateTime::new(y)
        .month(m)
        .day(d)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(7)
        .utc_offset_minute(0)
}

fn to_datetime(i: &Instant) -> DateTime {
    let secs = i.seconds_of_day.min(86_399);
    let offset = i.offset_minutes.clamp(-23 * 60 - 59, 23 * 60 + 59);
    DateTime::new(i.date.year)
        .month(i.date.month)
        .day(i.date.day)
        .hour((secs / 3600) as u8)
        .minute((secs / 60 % 60) as u8)
        .second((secs % 60) as u8)
        .utc_offset_hour((offset / 60) as i8)
        .utc_offset_minute((offset.abs() % 60) as u8)
}

fn pdf_error(e: impl std::fmt::Debug) -> RenderError {
    RenderError::Pdf {
        reason: format!("{e:?}"),
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
    let (regular_shared, bold_shared): (krilla::Data, krilla::Data) = match &settings.font {
        Some(font) => {
            let shared = krilla::Data::from(font.clone());
            (shared.clone(), shared)
        }
        None => (FONT_REGULAR.into(), FONT_BOLD.into()),
    };
    let krilla_regular = krilla::text::Font::new(regular_shared, 0)
        .ok_or_else(|| font_error("not a TrueType/OpenType font"))?;
    let krilla_bold = krilla::text::Font::new(bold_shared, 0)
        .ok_or_else(|| font_error("not a TrueType/OpenType font"))?;
    let fonts = Fonts {
        regular: Face::new(regular_data, krilla_regular)
            .ok_or_else(|| font_error("not a TrueType/OpenType font"))?,
        bold: Face::new(bold_data, krilla_bold)
            .ok_or_else(|| font_error("not a TrueType/OpenType font"))?,
    };
    if !fonts.regular.covers(VIETNAMESE) {
        return Err(font_error("it lacks some Vietnamese letters"));
    }

    // Layout.
    let mut canvas = Canvas::new(&fonts);
    pages::cover(&mut canvas, record);
    pages::pupil_page(&mut canvas, record, year);
    pages::history_page(&mut canvas, record);
    pages::year_page(&mut canvas, record, year, seal);

    // krilla: PDF 1.7, PDF/A-3b.
    let configuration = ConfigurationBuilder::new()
        .with_version(PdfVersion::Pdf17)
        .with_archival_validator(Archival::A3_B)
        .finish()
        .map_err(pdf_error)?;
    let serialize = SerializeSettings {
        pretty: settings.debug,
        compress_content_streams: !settings.debug,
        ascii_compatible: false,
        configuration,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(serialize);
    let date = document_date(record, settings);
    let pupil_name = record
        .pupil
        .as_ref()
        .and_then(|p| p.full_name.as_ref())
        .map_or("", |n| n.as_str());
    let year_label = year.school_year.as_ref().map_or("", |y| y.as_str());
    let title = format!("Học bạ Tiểu học — {pupil_name} — năm học {year_label}");
    doc.set_metadata(
        Metadata::new()
            .title(title)
            .language("vi".to_owned())
            .creator(format!("hocba {}", crate::VERSION))
            .producer(format!("hocba {}", crate::VERSION))
            .creation_date(date),
    );
    for page_ops in &canvas.pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| pdf_error("page"))?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        for op in page_ops {
            draw(&mut surface, &fonts, op);
        }
        surface.finish();
        page.finish();
    }
    let description = format!("Học bạ số (định dạng hocba v1), năm học {year_label}");
    doc.embed_file(EmbeddedFile {
        path: EMBEDDED_FILE_NAME.to_owned(),
        mime_type: MimeType::new("text/xml"),
        description: Some(description),
        association_kind: AssociationKind::Data,
        data: xml.into(),
        modification_date: Some(date),
        compress: Some(!settings.debug),
        location: None,
    })
    .ok_or_else(|| pdf_error("the embedded file"))?;
    let bytes = doc.finish().map_err(pdf_error)?;

    let record_id = record.record_id.as_ref().map_or("", |r| r.as_str());
    form::finish(
        &bytes,
        &canvas.boxes,
        &form::XmpFields {
            record_id,
            school_year: year_label,
        },
        settings.debug,
    )
}

fn draw(surface: &mut krilla::surface::Surface<'_>, fonts: &Fonts<'_>, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            bold,
            size,
            line,
        } => {
            if line.glyphs.is_empty() {
                return;
            }
            surface.set_stroke(None);
            surface.set_fill(Some(Fill::default()));
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &line.glyphs,
                fonts.face(*bold).krilla.clone(),
                &line.text,
                *size,
                false,
            );
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            width,
            gray,
        } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            let Some(path) = pb.finish() else { return };
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                width: *width,
                paint: if *gray {
                    krilla::color::luma::Color::new(140).into()
                } else {
                    krilla::color::luma::Color::black().into()
                },
                ..Stroke::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
        Op::Image { x, y, w, h, image } => {
            let Some(size) = Size::from_wh(*w, *h) else {
                return;
            };
            surface.push_transform(&Transform::from_translate(*x, *y));
            surface.draw_image(image.clone(), size);
            surface.pop();
        }
    }
}
