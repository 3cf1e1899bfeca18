//! Text: shaping with the font's own tables (rustybuzz), measuring, and wrapping into lines.
//!
//! Every line drawn is measured with the very glyph advances that are drawn, so a line that fits
//! its box on paper fits it in the PDF.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

/// Texts up to this many bytes shaped with a built-in font are kept for the next documents:
/// the template's labels, table headings, subject names and levels recur in every document
/// of a class, and shaping them again would cost a fifth of a document's time. Longer texts
/// (comments) are shaped every time.
const KEEP_TEXT_BYTES: usize = 64;
/// At most this many texts are kept per face and thread (about 1 MB at worst); the store is
/// emptied when it is full.
const KEEP_ENTRIES: usize = 2048;

/// Shaped texts by text, one map per built-in face.
type Kept = [HashMap<Box<str>, Rc<[Glyph]>>; 2];

thread_local! {
    /// Shaped short texts of the two built-in faces (regular, bold). The result of shaping
    /// depends on the font and the text only, so keeping it never changes a document.
    static KEPT: RefCell<Kept> =
        RefCell::new([HashMap::new(), HashMap::new()]);
}

/// One shaped glyph: its id in the whole font, its advance and offsets (in em), and the bytes of
/// the text it stands for (its cluster).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    pub(crate) id: u16,
    pub(crate) x_advance: f32,
    pub(crate) x_offset: f32,
    pub(crate) y_offset: f32,
    pub(crate) text_range: Range<usize>,
}

/// A font: its bytes (for the subset) and the parsed face (for shaping and metrics).
pub(crate) struct Face<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) shaper: rustybuzz::Face<'a>,
    units_per_em: f32,
    /// Ascent, as a fraction of the font size.
    pub(crate) ascent: f32,
    /// Descent (positive), as a fraction of the font size.
    pub(crate) descent: f32,
    fallback: u16,
    /// Which store of shaped texts this face uses (`None`: a caller's font, not kept).
    kept: Option<usize>,
    /// Shape plans built so far, by script and language (building one costs more than shaping a
    /// line with it; a document needs one or two per face).
    plans: RefCell<Vec<PlanEntry>>,
}

/// A shape plan and the segment properties it was built for.
struct PlanEntry {
    script: rustybuzz::Script,
    language: Option<rustybuzz::Language>,
    plan: rustybuzz::ShapePlan,
}

impl<'a> Face<'a> {
    /// Parses a TrueType/OpenType font; `None` when the parser refuses it.
    pub(crate) fn new(data: &'a [u8]) -> Option<Self> {
        let shaper = rustybuzz::Face::from_slice(data, 0)?;
        let units_per_em = shaper.units_per_em().max(1) as f32;
        let ascent = f32::from(shaper.ascender()) / units_per_em;
        let descent = -f32::from(shaper.descender()) / units_per_em;
        let fallback = shaper
            .glyph_index('?')
            .or_else(|| shaper.glyph_index(' '))
            .map_or(0, |g| g.0);
        // The built-in fonts are statics: the same bytes at the same address for the whole run.
        let kept = if std::ptr::eq(data, crate::pdf::FONT_REGULAR) {
            Some(0)
        } else if std::ptr::eq(data, crate::pdf::FONT_BOLD) {
            Some(1)
        } else {
            None
        };
        Some(Face {
            data,
            shaper,
            kept,
            units_per_em,
            ascent,
            descent,
            fallback,
            plans: RefCell::new(Vec::new()),
        })
    }

    /// True when the font maps every one of these characters to a glyph.
    pub(crate) fn covers(&self, s: &str) -> bool {
        s.chars().all(|c| self.shaper.glyph_index(c).is_some())
    }

    /// Font units per em.
    pub(crate) fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The advance of a glyph in the font's own metrics (`hmtx`), in font units: what a PDF
    /// reader takes from `/W`.
    pub(crate) fn advance_units(&self, id: u16) -> f32 {
        self.shaper
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(id))
            .map_or(0.0, f32::from)
    }

    /// Shapes a buffer whose segment properties are set, with the plan for its script and
    /// language (as `rustybuzz::shape` would build it, but built once).
    fn shape_buffer(&self, buffer: rustybuzz::UnicodeBuffer) -> rustybuzz::GlyphBuffer {
        let script = buffer.script();
        let language = buffer.language();
        let Ok(mut plans) = self.plans.try_borrow_mut() else {
            return rustybuzz::shape(&self.shaper, &[], buffer);
        };
        let at = match plans
            .iter()
            .position(|p| p.script == script && p.language == language)
        {
            Some(at) => at,
            None => {
                // `guess_segment_properties` leaves the script unset when the text has no letter
                // of any script (digits, punctuation): `script()` reads that as UNKNOWN.
                let plan_script = (script != rustybuzz::script::UNKNOWN).then_some(script);
                let plan = rustybuzz::ShapePlan::new(
                    &self.shaper,
                    rustybuzz::Direction::LeftToRight,
                    plan_script,
                    language.as_ref(),
                    &[],
                );
                plans.push(PlanEntry {
                    script,
                    language,
                    plan,
                });
                plans.len() - 1
            }
        };
        match plans.get(at) {
            Some(entry) => rustybuzz::shape_with_plan(&self.shaper, &entry.plan, buffer),
            None => rustybuzz::shape(&self.shaper, &[], buffer),
        }
    }

    /// Shapes one paragraph (no line breaks inside). Glyphs the font lacks are drawn as its `?`
    /// (PDF/A forbids `.notdef`); their text still maps to the original characters.
    pub(crate) fn shape(&self, text: &str) -> Vec<Glyph> {
        let Some(slot) = self.kept.filter(|_| text.len() <= KEEP_TEXT_BYTES) else {
            return self.shape_now(text);
        };
        let found = KEPT.with(|kept| {
            let kept = kept.try_borrow().ok()?;
            kept.get(slot)?.get(text).map(|g| g.to_vec())
        });
        if let Some(glyphs) = found {
            return glyphs;
        }
        let glyphs = self.shape_now(text);
        KEPT.with(|kept| {
            if let Ok(mut kept) = kept.try_borrow_mut() {
                if let Some(map) = kept.get_mut(slot) {
                    if map.len() >= KEEP_ENTRIES {
                        map.clear();
                    }
                    map.insert(text.into(), glyphs.as_slice().into());
                }
            }
        });
        glyphs
    }

    fn shape_now(&self, text: &str) -> Vec<Glyph> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let output = self.shape_buffer(buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let upem = self.units_per_em;
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // The cluster ends where the next different cluster starts (left to right).
            let end = infos[i + 1..]
                .iter()
                .map(|n| n.cluster as usize)
                .find(|&c| c != start)
                .unwrap_or(text.len());
            let (id, advance) = if info.glyph_id == 0 {
                let id = self.fallback;
                let adv = self
                    .shaper
                    .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(id))
                    .map_or(upem / 2.0, f32::from);
                (id, adv)
            } else {
                // Glyph ids of a TrueType font fit 16 bits; anything else is drawn as `?`.
                match u16::try_from(info.glyph_id) {
                    Ok(id) => (id, pos.x_advance as f32),
                    Err(_) => (self.fallback, pos.x_advance as f32),
                }
            };
            glyphs.push(Glyph {
                id,
                x_advance: advance / upem,
                x_offset: pos.x_offset as f32 / upem,
                y_offset: pos.y_offset as f32 / upem,
                text_range: start..end.max(start),
            });
        }
        glyphs
    }
}

/// One line of text, ready to draw: the text and its glyphs (ranges relative to `text`).
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) glyphs: Vec<Glyph>,
    /// Width in points at the size it was set.
    pub(crate) width: f32,
}

/// Replaces characters that must not reach the page (controls, tabs) with spaces.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Wraps a text into lines no wider than `max_width` points: breaks at spaces, after a hyphen or
/// slash when needed, and inside a word only when the word alone is too wide. Explicit line
/// breaks are kept. An empty text gives no line.
pub(crate) fn wrap(face: &Face<'_>, text: &str, size: f32, max_width: f32) -> Vec<Line> {
    let text = clean(text);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        wrap_paragraph(face, paragraph, size, max_width.max(size), &mut lines);
    }
    lines
}

fn wrap_paragraph(face: &Face<'_>, text: &str, size: f32, max_width: f32, out: &mut Vec<Line>) {
    let glyphs = face.shape(text);
    let widths: Vec<f32> = glyphs.iter().map(|g| g.x_advance * size).collect();
    let bytes = text.as_bytes();
    let mut start = 0; // first glyph of the current line
    while start < glyphs.len() {
        // Skip spaces at the start of a line.
        while start < glyphs.len() && is_space_glyph(bytes, &glyphs[start]) {
            start += 1;
        }
        if start >= glyphs.len() {
            break;
        }
        let mut width = 0.0;
        let mut end = start;
        let mut last_break: Option<usize> = None; // glyph index after which we may break
        while end < glyphs.len() {
            let w = widths[end];
            if width + w > max_width && end > start {
                break;
            }
            width += w;
            if is_space_glyph(bytes, &glyphs[end]) {
                last_break = Some(end); // break before this space
            } else if is_soft_break_after(bytes, &glyphs[end]) {
                last_break = Some(end + 1);
            }
            end += 1;
        }
        let stop = if end >= glyphs.len() {
            end
        } else {
            match last_break {
                Some(b) if b > start => b,
                _ => end, // a word wider than the line: break inside it
            }
        };
        // Trim trailing spaces.
        let mut trimmed = stop;
        while trimmed > start && is_space_glyph(bytes, &glyphs[trimmed - 1]) {
            trimmed -= 1;
        }
        if trimmed > start {
            out.push(make_line(text, &glyphs[start..trimmed], size));
        }
        start = stop.max(start + 1);
    }
}

fn is_space_glyph(bytes: &[u8], g: &Glyph) -> bool {
    bytes
        .get(g.text_range.clone())
        .is_some_and(|b| b.iter().all(|c| *c == b' '))
        && !g.text_range.is_empty()
}

fn is_soft_break_after(bytes: &[u8], g: &Glyph) -> bool {
    matches!(bytes.get(g.text_range.clone()), Some(b"-" | b"/" | b","))
}

/// A line from a slice of shaped glyphs: the covered text, ranges rebased to it.
fn make_line(text: &str, glyphs: &[Glyph], size: f32) -> Line {
    let lo = glyphs.iter().map(|g| g.text_range.start).min().unwrap_or(0);
    let hi = glyphs.iter().map(|g| g.text_range.end).max().unwrap_or(lo);
    let range: Range<usize> = lo..hi.max(lo);
    let line_text = text.get(range).unwrap_or_default().to_owned();
    let glyphs: Vec<Glyph> = glyphs
        .iter()
        .map(|g| {
            let mut g = g.clone();
            g.text_range = (g.text_range.start - lo)..(g.text_range.end - lo);
            g
        })
        .collect();
    let width = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size;
    Line {
        text: line_text,
        glyphs,
        width,
    }
}

/// One line without wrapping (a label, a heading).
pub(crate) fn single(face: &Face<'_>, text: &str, size: f32) -> Line {
    let text = clean(text).replace('\n', " ");
    let glyphs = face.shape(&text);
    let width = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size;
    Line {
        text,
        glyphs,
        width,
    }
}
