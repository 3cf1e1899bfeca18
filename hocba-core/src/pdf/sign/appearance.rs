//! The visible appearance of a signature (`signing.md`, "Signing": "a visible appearance in the
//! widget shows the signer's name, role and signing time").
//!
//! The appearance is a form XObject the size of the widget's `/Rect`, with its text centred in
//! lines that wrap at spaces and shrink (from 9 pt down to 4 pt) until they fit the box. Its font
//! is a subset of the Liberation Serif shipped with the library, made for the glyphs of this
//! appearance only and embedded as PDF/A requires: a `Type0` font (`/Identity-H`) over a
//! `CIDFontType2` with its widths, a `FontFile2` and a `ToUnicode` map, so that text extraction
//! gives the text back. The subset's tag is derived from the glyphs, never from a clock, so the
//! same signature gives the same bytes.
//!
//! The objects are new objects of the signature's incremental update, reached only through the
//! field's `/AP`: the changes a verifier allows after an earlier signature (`signing.md`,
//! "Verification", step 7).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::{Arc, Mutex};

use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream, StringFormat};
use ttf_parser::{Face, GlyphId};
use unicode_normalization::UnicodeNormalization;

use super::Role;
use crate::model::Instant;

/// The largest and smallest font sizes tried, in points, and the step between them.
const MAX_SIZE: f32 = 9.0;
const MIN_SIZE: f32 = 4.0;
const SIZE_STEP: f32 = 0.5;
/// Space kept free inside the box on each side, in points.
const PADDING: f32 = 3.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.2;
/// Characters of text drawn at most (a name is far shorter; a hostile certificate is not).
const MAX_CHARS: usize = 400;

/// What the appearance says, one entry per paragraph (each may wrap).
pub(crate) fn paragraphs(role: Role, name: Option<&str>, time: &Instant) -> Vec<String> {
    let who = name.map(str::trim).filter(|n| !n.is_empty());
    let mut out = Vec::with_capacity(3);
    match role {
        Role::Dau => {
            out.push(match who {
                Some(n) => n.to_owned(),
                None => "Con dấu của nhà trường".to_owned(),
            });
            out.push("Đã đóng dấu số".to_owned());
        }
        Role::Gvcn | Role::Ht => {
            out.push(match who {
                Some(n) => format!("Đã ký số: {n}"),
                None => "Đã ký số".to_owned(),
            });
            out.push(
                match role {
                    Role::Gvcn => "Giáo viên chủ nhiệm",
                    _ => "Hiệu trưởng",
                }
                .to_owned(),
            );
        }
    }
    out.push(format!("Thời gian: {}", local_time(time)));
    out
}

/// `16:30:00 26/05/2025 (UTC+07:00)`: the time as the signer gave it, with its offset.
fn local_time(t: &Instant) -> String {
    let s = t.seconds_of_day.min(86_399);
    let offset = t.offset_minutes.unsigned_abs();
    format!(
        "{:02}:{:02}:{:02} {:02}/{:02}/{:04} (UTC{}{:02}:{:02})",
        s / 3600,
        s / 60 % 60,
        s % 60,
        t.date.day,
        t.date.month,
        t.date.year,
        if t.offset_minutes < 0 { '-' } else { '+' },
        offset / 60,
        offset % 60
    )
}

/// One glyph of the text: the character it shows and its glyph id in the whole font.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    ch: char,
    gid: u16,
    /// Advance width in font units.
    advance: u16,
}

/// The text laid out: lines of glyphs at a font size.
struct Layout {
    size: f32,
    lines: Vec<Vec<Glyph>>,
}

fn shape(face: &Face<'_>, text: &str) -> Vec<Glyph> {
    let fallback = face.glyph_index('?').unwrap_or(GlyphId(0));
    text.nfc()
        .filter(|c| !c.is_control())
        .take(MAX_CHARS)
        .map(|ch| {
            let (ch, gid) = match face.glyph_index(ch) {
                Some(g) if g.0 != 0 => (ch, g),
                _ => ('?', fallback),
            };
            Glyph {
                ch,
                gid: gid.0,
                advance: face.glyph_hor_advance(gid).unwrap_or(0),
            }
        })
        .collect()
}

fn width(glyphs: &[Glyph]) -> u32 {
    glyphs.iter().map(|g| u32::from(g.advance)).sum()
}

/// Breaks a paragraph into lines no wider than `max` font units, at spaces where possible (a
/// word wider than a line is cut).
fn wrap(glyphs: &[Glyph], max: u32) -> Vec<Vec<Glyph>> {
    let space = glyphs.iter().find(|g| g.ch == ' ').copied();
    let space_w = space.map_or(0, |g| u32::from(g.advance));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    let mut line: Vec<Glyph> = Vec::new();
    let mut line_w = 0u32;
    for word in glyphs.split(|g| g.ch == ' ').filter(|w| !w.is_empty()) {
        let word_w = width(word);
        let joined = if line.is_empty() {
            word_w
        } else {
            line_w + space_w + word_w
        };
        if joined <= max {
            if let (false, Some(sp)) = (line.is_empty(), space) {
                line.push(sp);
            }
            line.extend_from_slice(word);
            line_w = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the line is cut where it overflows.
        let mut start = 0;
        let mut acc = 0u32;
        for (i, g) in word.iter().enumerate() {
            if acc + u32::from(g.advance) > max && i > start {
                lines.push(word[start..i].to_vec());
                start = i;
                acc = 0;
            }
            acc += u32::from(g.advance);
        }
        line.extend_from_slice(&word[start..]);
        line_w = acc;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The largest size (from [`MAX_SIZE`] down) at which every paragraph, wrapped, fits the box;
/// at [`MIN_SIZE`], the lines that fit.
fn layout(face: &Face<'_>, paragraphs: &[String], w: f32, h: f32) -> Layout {
    let units = f32::from(face.units_per_em().max(16));
    let shaped: Vec<Vec<Glyph>> = paragraphs.iter().map(|p| shape(face, p)).collect();
    let inner_w = (w - 2.0 * PADDING).max(1.0);
    let inner_h = (h - 2.0 * PADDING).max(1.0);
    let mut size = MAX_SIZE;
    loop {
        // Font units available per line at this size.
        let max = (inner_w / size * units) as u32;
        let lines: Vec<Vec<Glyph>> = shaped.iter().flat_map(|p| wrap(p, max)).collect();
        let height = lines.len() as f32 * size * LEADING;
        if height <= inner_h || size - SIZE_STEP < MIN_SIZE {
            let fit = ((inner_h / (size * LEADING)) as usize).max(1);
            let lines = lines.into_iter().take(fit).collect();
            return Layout { size, lines };
        }
        size -= SIZE_STEP;
    }
}

/// A number for a PDF content stream or array: at most two decimals, no trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, std::io::Error> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data)?;
    e.finish()
}

/// A font subset, compressed, and its uncompressed length (`/Length1`).
struct FontFile {
    deflated: Arc<[u8]>,
    raw_len: usize,
}

/// Subsets at most this many glyph sets are kept (a school signs class after class with the
/// same few signers).
const CACHE_ENTRIES: usize = 32;

type Cache = Mutex<Vec<(Vec<u16>, Arc<[u8]>, usize)>>;

static SUBSETS: Cache = Mutex::new(Vec::new());

/// The compressed subset of `gids`: from the cache when the same glyphs were subset before,
/// else made (subsetting and compressing cost more than the rest of the appearance). The
/// result depends only on the glyph set, so caching never changes the bytes.
fn subset_font(font: &[u8], gids: &[u16], remapper: &subsetter::GlyphRemapper) -> Option<FontFile> {
    if let Ok(mut cache) = SUBSETS.lock() {
        if let Some(i) = cache.iter().position(|(k, _, _)| k == gids) {
            let entry = cache.remove(i);
            let file = FontFile {
                deflated: Arc::clone(&entry.1),
                raw_len: entry.2,
            };
            cache.insert(0, entry);
            return Some(file);
        }
    }
    let subset = subsetter::subset(font, 0, remapper).ok()?;
    let deflated: Arc<[u8]> = deflate(&subset).ok()?.into();
    if let Ok(mut cache) = SUBSETS.lock() {
        cache.insert(0, (gids.to_vec(), Arc::clone(&deflated), subset.len()));
        cache.truncate(CACHE_ENTRIES);
    }
    Some(FontFile {
        deflated,
        raw_len: subset.len(),
    })
}

/// The ToUnicode CMap of the subset (ISO 32000-1, 9.10.3): new glyph id → the character.
fn to_unicode(map: &BTreeMap<u16, char>) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = map.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (gid, ch) in chunk {
            let mut units = [0u16; 2];
            let hex: String = ch
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(s, "<{gid:04X}> <{hex}>");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

/// The objects of an appearance, numbered from `first`: the form XObject (`first`), the Type0
/// font, the CIDFont, its descriptor, the font file and the ToUnicode map.
pub(crate) struct AppearanceObjects {
    pub(crate) objects: Vec<(ObjectId, Object)>,
    /// The form XObject, for the widget's `/AP /N`.
    pub(crate) form: ObjectId,
}

/// Builds the appearance of a `w` × `h` box showing `paragraphs`, its objects numbered from
/// `first`. `None` when the box has no area (an invisible signature) or the font cannot be
/// subset (the signature is then made without a visible appearance rather than refused).
pub(crate) fn build(
    paragraphs: &[String],
    w: f32,
    h: f32,
    first: u32,
) -> Option<AppearanceObjects> {
    if !(w.is_finite() && h.is_finite()) || w < 1.0 || h < 1.0 || w > 14_400.0 || h > 14_400.0 {
        return None;
    }
    let font_data = crate::pdf::FONT_REGULAR;
    let face = Face::parse(font_data, 0).ok()?;
    let units = f32::from(face.units_per_em().max(16));
    let lay = layout(&face, paragraphs, w, h);

    // The subset: the glyphs drawn plus the digits (so that the signing time does not change
    // the subset, which is then shared by every signature of the same signer), numbered in
    // increasing order of their ids in the whole font.
    let digits = shape(&face, "0123456789");
    let mut gids: Vec<u16> = lay
        .lines
        .iter()
        .flatten()
        .chain(digits.iter())
        .map(|g| g.gid)
        .collect();
    gids.sort_unstable();
    gids.dedup();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
    let mut chars: BTreeMap<u16, char> = BTreeMap::new();
    let mut advances: BTreeMap<u16, u16> = BTreeMap::new();
    for g in lay.lines.iter().flatten().chain(digits.iter()) {
        let new = remapper.get(g.gid)?;
        chars.entry(new).or_insert(g.ch);
        advances.entry(new).or_insert(g.advance);
    }
    let font_file = subset_font(font_data, &gids, &remapper)?;

    // The content: each line centred, the block centred vertically.
    let line_h = lay.size * LEADING;
    let block = lay.lines.len() as f32 * line_h;
    let ascent = f32::from(face.ascender()) / units * lay.size;
    let descent = f32::from(face.descender()) / units * lay.size;
    let glyph_h = ascent - descent;
    let mut y = (h + block) / 2.0 - (line_h - glyph_h) / 2.0 - ascent;
    let mut content = format!("q\n0 g\nBT\n/F1 {} Tf\n", num(lay.size));
    let mut last_x = 0.0f32;
    let mut last_y = 0.0f32;
    for line in &lay.lines {
        let line_w = width(line) as f32 / units * lay.size;
        let x = ((w - line_w) / 2.0).max(PADDING);
        let _ = write!(content, "{} {} Td <", num(x - last_x), num(y - last_y));
        for g in line {
            let new = remapper.get(g.gid).unwrap_or(0);
            let _ = write!(content, "{new:04X}");
        }
        content.push_str("> Tj\n");
        (last_x, last_y) = (x, y);
        y -= line_h;
    }
    content.push_str("ET\nQ\n");

    let base_font = format!("{}+LiberationSerif", crate::pdf::subset_tag(&gids));
    let scale = |v: i16| (f32::from(v) / units * 1000.0).round() as i64;
    let bbox = face.global_bounding_box();
    let id = |k: u32| (first + k, 0u16);
    let (form_id, type0_id, cid_id, descriptor_id, file_id, cmap_id) =
        (id(0), id(1), id(2), id(3), id(4), id(5));

    let widths: Vec<Object> = advances
        .values()
        .map(|&a| Object::Integer((f32::from(a) / units * 1000.0).round() as i64))
        .collect();
    let mut w_array: Vec<Object> = Vec::new();
    if let Some(&first_gid) = advances.keys().next() {
        // New ids are 1..n in order (0 is .notdef): one run.
        w_array.push(Object::Integer(i64::from(first_gid)));
        w_array.push(Object::Array(widths));
    }

    let form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)],
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => type0_id },
            },
        },
        content.into_bytes(),
    )
    .with_compression(false);
    let type0 = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => Object::Name(base_font.clone().into_bytes()),
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid_id)],
        "ToUnicode" => cmap_id,
    };
    let cid = dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => Object::Name(base_font.clone().into_bytes()),
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::String(b"Adobe".to_vec(), StringFormat::Literal),
            "Ordering" => Object::String(b"Identity".to_vec(), StringFormat::Literal),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor_id,
        "DW" => 0,
        "W" => w_array,
        "CIDToGIDMap" => "Identity",
    };
    let descriptor = dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(base_font.into_bytes()),
        "Flags" => 6,
        "FontBBox" => vec![
            scale(bbox.x_min).into(),
            scale(bbox.y_min).into(),
            scale(bbox.x_max).into(),
            scale(bbox.y_max).into(),
        ],
        "ItalicAngle" => 0,
        "Ascent" => scale(face.ascender()),
        "Descent" => scale(face.descender()),
        "CapHeight" => scale(face.capital_height().unwrap_or(face.ascender())),
        "StemV" => 80,
        "FontFile2" => file_id,
    };
    let subset_len = i64::try_from(font_file.raw_len).ok()?;
    let file = Stream::new(
        dictionary! { "Length1" => subset_len, "Filter" => "FlateDecode" },
        font_file.deflated.to_vec(),
    )
    .with_compression(false);
    let cmap = Stream::new(Dictionary::new(), to_unicode(&chars)).with_compression(false);

    Some(AppearanceObjects {
        objects: vec![
            (form_id, Object::Stream(form)),
            (type0_id, Object::Dictionary(type0)),
            (cid_id, Object::Dictionary(cid)),
            (descriptor_id, Object::Dictionary(descriptor)),
            (file_id, Object::Stream(file)),
            (cmap_id, Object::Stream(cmap)),
        ],
        form: form_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face() -> Face<'static> {
        Face::parse(crate::pdf::FONT_REGULAR, 0).unwrap_or_else(|e| panic!("font: {e}"))
    }

    fn time() -> Instant {
        crate::model::Timestamp::from("2025-05-26T16:30:05+07:00")
            .to_instant()
            .unwrap_or_else(|| panic!("time"))
    }

    #[test]
    fn paragraphs_say_name_role_and_time() {
        let p = paragraphs(Role::Gvcn, Some("Nguyễn Thị Hương"), &time());
        assert_eq!(
            p,
            [
                "Đã ký số: Nguyễn Thị Hương",
                "Giáo viên chủ nhiệm",
                "Thời gian: 16:30:05 26/05/2025 (UTC+07:00)"
            ]
        );
        let p = paragraphs(Role::Dau, None, &time());
        assert_eq!(p[0], "Con dấu của nhà trường");
        assert_eq!(paragraphs(Role::Ht, Some("  "), &time())[0], "Đã ký số");
    }

    #[test]
    fn every_vietnamese_letter_has_a_glyph() {
        let f = face();
        let letters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợ\
                       pqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
        for c in letters.chars().chain(letters.to_uppercase().chars()) {
            assert!(
                f.glyph_index(c).is_some_and(|g| g.0 != 0),
                "no glyph for {c}"
            );
        }
        // A character the font lacks is drawn as '?', never dropped silently.
        let g = shape(&f, "a\u{4E2D}");
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].ch, '?');
    }

    #[test]
    fn wrapping_keeps_every_word_and_fits() {
        let f = face();
        let text = "Trường Tiểu học Nguyễn Văn Trỗi thành phố Hồ Chí Minh";
        let glyphs = shape(&f, text);
        let max = width(&glyphs) / 3;
        let lines = wrap(&glyphs, max);
        assert!(lines.len() >= 3);
        for l in &lines {
            assert!(width(l) <= max, "line too wide");
        }
        let joined: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|g| g.ch).collect())
            .collect();
        assert_eq!(joined.join(" "), text);
        // A word wider than the line is cut, not lost.
        let long = shape(&f, "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        let cut = wrap(&long, width(&long) / 4);
        assert!(cut.len() >= 4);
        assert_eq!(cut.iter().map(Vec::len).sum::<usize>(), long.len());
    }

    #[test]
    fn layout_shrinks_to_fit_the_box() {
        let f = face();
        let p = paragraphs(Role::Dau, Some("Trường Tiểu học Nguyễn Văn Trỗi"), &time());
        let wide = layout(&f, &p, 170.0, 70.0);
        let square = layout(&f, &p, 70.0, 70.0);
        assert!(square.size < wide.size || square.lines.len() > wide.lines.len());
        let units = f32::from(f.units_per_em());
        for lay in [&wide, &square] {
            assert!(lay.lines.len() as f32 * lay.size * LEADING <= 70.0 - 2.0 * PADDING + 0.01);
        }
        for line in &square.lines {
            assert!(width(line) as f32 / units * square.size <= 70.0 - 2.0 * PADDING + 0.01);
        }
        // Every character of the three paragraphs is drawn in the square box.
        let drawn: usize = square.lines.iter().map(Vec::len).sum();
        let spaces_between_lines = square.lines.len() - p.len();
        let wanted: usize = p.iter().map(|s| s.nfc().count()).sum();
        assert_eq!(drawn + spaces_between_lines, wanted);
    }

    #[test]
    fn objects_are_deterministic_and_empty_boxes_have_none() {
        let p = paragraphs(Role::Ht, Some("Lê Văn Bình"), &time());
        let a = build(&p, 170.0, 70.0, 40).unwrap_or_else(|| panic!("appearance"));
        let b = build(&p, 170.0, 70.0, 40).unwrap_or_else(|| panic!("appearance"));
        assert_eq!(format!("{:?}", a.objects), format!("{:?}", b.objects));
        assert_eq!(a.form, (40, 0));
        assert_eq!(a.objects.len(), 6);
        assert!(build(&p, 0.0, 70.0, 40).is_none());
        assert!(build(&p, f32::NAN, 70.0, 40).is_none());
    }

    /// The font subset depends on the signer, not on the time: two signatures of the same
    /// person at different times share the same (cached) font file.
    #[test]
    fn the_font_subset_does_not_depend_on_the_time() {
        let other_time = crate::model::Timestamp::from("2026-01-09T07:05:59+07:00")
            .to_instant()
            .unwrap_or_else(|| panic!("time"));
        let a = build(
            &paragraphs(Role::Gvcn, Some("Phạm Thu Trang"), &time()),
            170.0,
            70.0,
            9,
        )
        .unwrap_or_else(|| panic!("appearance"));
        let b = build(
            &paragraphs(Role::Gvcn, Some("Phạm Thu Trang"), &other_time),
            170.0,
            70.0,
            9,
        )
        .unwrap_or_else(|| panic!("appearance"));
        let content = |o: &AppearanceObjects, i: usize| match &o.objects[i].1 {
            Object::Stream(s) => s.content.clone(),
            _ => panic!("object {i} is not a stream"),
        };
        assert_ne!(content(&a, 0), content(&b, 0), "the text differs");
        assert_eq!(content(&a, 4), content(&b, 4), "the font file");
        let c = build(
            &paragraphs(Role::Gvcn, Some("Đỗ Văn Ư"), &time()),
            170.0,
            70.0,
            9,
        )
        .unwrap_or_else(|| panic!("appearance"));
        assert_ne!(content(&a, 4), content(&c, 4), "another signer");
    }

    #[test]
    fn to_unicode_maps_each_glyph() {
        let map: BTreeMap<u16, char> = [(1, 'Đ'), (2, 'ã'), (3, '😀')].into_iter().collect();
        let text = String::from_utf8(to_unicode(&map)).unwrap_or_default();
        assert!(text.contains("<0001> <0110>"));
        assert!(text.contains("<0002> <00E3>"));
        assert!(text.contains("<0003> <D83DDE00>"));
        assert!(text.contains("3 beginbfchar"));
    }
}
