//! The laid-out pages → a PDF/A-3b file, written directly with `pdf-writer`.
//!
//! What is written (ISO 19005-3 and `signing.md`, "Container"):
//! - one Type0 font per face used (`CIDFontType2`, `Identity-H`, `CIDToGIDMap /Identity`): the
//!   glyphs drawn subset from the face (`subsetter`), numbered in the order they are first
//!   drawn, with their widths from the font's own `hmtx` and a `ToUnicode` map; lines whose
//!   glyphs do not map one-to-one to their text (a fallback `?`, a cluster of several glyphs)
//!   carry `/ActualText`, so text extraction returns the text exactly;
//! - the page content in PDF's own coordinates, gray (`DeviceGray`, allowed with an output
//!   intent), each text run positioned by `TJ` with the shaped advances;
//! - the photo (see `photo.rs`);
//! - the embedded `hocba.xml` as an associated file (`/AF`, `/AFRelationship /Data`, `/Params
//!   /ModDate /Size`, `/Subtype /text#2Fxml`) listed in `/Names /EmbeddedFiles`;
//! - the output intent with this crate's sRGB profile (`icc.rs`), the XMP packet with `pdfaid`,
//!   the `hb:` properties and their extension schema, and the document information dictionary
//!   it mirrors;
//! - the empty signature fields, merged field and widget dictionaries with `/FT /Sig`, `/F 4`
//!   (print), `/P` and an empty appearance stream, in `/AcroForm /Fields` and in the page's
//!   `/Annots`, in signing order.
//!
//! Every stream but the debug profile's is compressed at [`LEVEL`] by one reused encoder. The
//! trailer `/ID` (and the XMP's document and instance IDs) is the SHA-256 of every object
//! written before it, so it derives from the content alone and the output is deterministic.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use super::canvas::{Fonts, Op, SignatureBox, PAGE_H, PAGE_W};
use super::photo::{Colour, Photo, Samples};
use super::text::{Face, Line};
use crate::pdf::{RenderError, EMBEDDED_FILE_NAME};

/// The Deflate level of every stream. Level 1 costs a third of the default level's time on the
/// fonts and the embedded record, for a few percent more bytes (the size target is met with
/// room; see `docs/pdf.md`).
pub(crate) const LEVEL: u32 = 1;

/// A moment of the document, with its offset (for `/ModDate`, `/CreationDate` and the XMP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moment {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
    pub(crate) hour: u8,
    pub(crate) minute: u8,
    pub(crate) second: u8,
    /// Minutes east of UTC.
    pub(crate) offset_minutes: i16,
}

impl Moment {
    /// `D:YYYYMMDDHHmmSS+HH'mm'` (ISO 32000-1, 7.9.4).
    fn pdf(&self) -> String {
        self.written(["D:", "", "", "", "'", "'"])
    }

    /// `YYYY-MM-DDTHH:mm:SS+HH:mm` (XMP).
    fn xmp(&self) -> String {
        self.written(["", "-", "T", ":", ":", ""])
    }

    /// The fields with the separators of one format: before the year, between the date's
    /// fields, between date and time, between the time's fields, between the offset's hours
    /// and minutes, after them.
    fn written(&self, [lead, date, mid, time, zone, end]: [&str; 6]) -> String {
        let (sign, off) = self.sign_and_offset();
        format!(
            "{lead}{:04}{date}{:02}{date}{:02}{mid}{:02}{time}{:02}{time}{:02}{sign}{:02}{zone}{:02}{end}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            off / 60,
            off % 60
        )
    }

    fn sign_and_offset(&self) -> (char, u16) {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        (sign, self.offset_minutes.unsigned_abs())
    }
}

/// The document's metadata.
pub(crate) struct Meta<'a> {
    pub(crate) title: &'a str,
    pub(crate) tool: &'a str,
    pub(crate) date: Moment,
    pub(crate) file_description: &'a str,
    pub(crate) record_id: &'a str,
    pub(crate) school_year: &'a str,
}

fn pdf_error(reason: impl Into<String>) -> RenderError {
    RenderError::Pdf {
        reason: reason.into(),
    }
}

thread_local! {
    /// One raw Deflate encoder per thread, reset for each stream (setting one up costs more
    /// than compressing a small stream). The zlib framing is written around its output.
    static ENCODER: RefCell<zlib_rs::Deflate> =
        RefCell::new(zlib_rs::Deflate::new(LEVEL as i32, false, 15));
}

/// `data` in the zlib format (`/FlateDecode`), at [`LEVEL`].
pub(crate) fn deflate(data: &[u8]) -> Result<Vec<u8>, RenderError> {
    deflate_parts(&[Part::Compress(data)])
}

/// A piece of a stream and how it is coded.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'a> {
    /// Compressed at [`LEVEL`] (its own Deflate segment, ended by a sync flush).
    Compress(&'a [u8]),
    /// Base64 text: one Huffman block with 6-bit codes for the alphabet (`base64_block`);
    /// stored when anything else is in it.
    Base64(&'a [u8]),
}

/// The parts one after the other in one zlib stream (RFC 1950). Every part ends on a byte
/// boundary, so the next one starts a fresh Deflate block.
pub(crate) fn deflate_parts(parts: &[Part<'_>]) -> Result<Vec<u8>, RenderError> {
    let fail = |e: zlib_rs::DeflateError| pdf_error(format!("compression: {}", e.as_str()));
    ENCODER.with(|cell| {
        let mut encoder = cell
            .try_borrow_mut()
            .map_err(|_| pdf_error("the compressor is busy"))?;
        // zlib's compressBound, plus the stored blocks' headers, the flushes and the framing.
        let total: usize = parts
            .iter()
            .map(|p| match p {
                Part::Compress(d) | Part::Base64(d) => d.len(),
            })
            .sum();
        let bound = total + (total >> 12) + (total >> 14) + (total >> 25) + 16 * parts.len() + 64;
        let mut out = vec![0u8; bound];
        // CMF: Deflate, 32 KiB window; FLG: fastest level, check bits.
        out[0] = 0x78;
        out[1] = 0x01;
        let mut written = 2usize;
        let mut adler = 1u32;
        for (k, part) in parts.iter().enumerate() {
            let last = k + 1 == parts.len();
            let data = match *part {
                Part::Compress(data) => data,
                Part::Base64(data) => {
                    adler = zlib_rs::adler32::adler32(adler, data);
                    out.truncate(written);
                    if !base64_block(data, last, &mut out) {
                        stored_blocks(data, last, &mut out);
                    }
                    written = out.len();
                    continue;
                }
            };
            adler = zlib_rs::adler32::adler32(adler, data);
            encoder.reset();
            let flush = if last {
                zlib_rs::DeflateFlush::Finish
            } else {
                zlib_rs::DeflateFlush::SyncFlush
            };
            let mut consumed = 0usize;
            loop {
                if written + 64 > out.len() {
                    out.resize(out.len() * 2 + 64, 0);
                }
                let (in_before, out_before) = (encoder.total_in(), encoder.total_out());
                let status = encoder
                    .compress(
                        data.get(consumed..).unwrap_or_default(),
                        out.get_mut(written..).unwrap_or_default(),
                        flush,
                    )
                    .map_err(fail)?;
                consumed += usize::try_from(encoder.total_in() - in_before).unwrap_or(0);
                written += usize::try_from(encoder.total_out() - out_before).unwrap_or(0);
                let done = if last {
                    status == zlib_rs::Status::StreamEnd
                } else {
                    // A flush is complete when it left room in the output.
                    consumed >= data.len() && written < out.len()
                };
                if done {
                    break;
                }
            }
        }
        out.truncate(written);
        out.extend_from_slice(&adler.to_be_bytes());
        Ok(out)
    })
}

/// Stored blocks (RFC 1951, 3.2.4): a header byte (BFINAL, BTYPE 00), LEN and its complement.
fn stored_blocks(data: &[u8], last: bool, out: &mut Vec<u8>) {
    let mut chunks = data.chunks(0xFFFF).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[u8::from(last), 0, 0, 0xFF, 0xFF]);
    }
    while let Some(chunk) = chunks.next() {
        let final_block = last && chunks.peek().is_none();
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.push(u8::from(final_block));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

/// Bits written least significant first (RFC 1951, 3.1.1).
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, whose bits go most significant first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    /// Pads to a byte boundary.
    fn align(&mut self) {
        if self.n > 0 {
            self.put(0, 8 - self.n);
        }
    }
}

/// The 7-bit literals of the base64 block: two of the alphabet, the padding and the end of the
/// block. The other 62 characters take 6 bits (62/64 + 4/128 = 1: a complete code).
const LONG_LITERALS: [u16; 4] = [b'+' as u16, b'/' as u16, b'=' as u16, 256];

/// Literal code lengths of the base64 block (0: not in the code).
fn base64_length(symbol: u16) -> u32 {
    if LONG_LITERALS.contains(&symbol) {
        7
    } else if symbol < 256 && (symbol as u8).is_ascii_alphanumeric() {
        6
    } else {
        0
    }
}

/// Base64 text as one Deflate block with a fixed dynamic Huffman code (RFC 1951, 3.2.7): 6 bits
/// a character instead of the 8 of a stored block, for a table lookup a byte — three quarters of
/// the size, where a general compressor at a fast level saves nothing. The block is followed by
/// an empty stored block so the stream ends on a byte boundary (marked final when `last`).
/// `false`, with nothing written, when the text has a byte outside the alphabet.
fn base64_block(data: &[u8], last: bool, out: &mut Vec<u8>) -> bool {
    if data.is_empty() {
        return false;
    }
    // Canonical codes (RFC 1951, 3.2.2): 6-bit codes 0.. in symbol order, 7-bit codes from
    // (62 << 1) = 124 on; kept bit-reversed, as they are written (length 0: not in the code).
    let mut codes = [(0u32, 0u32); 257];
    let (mut next6, mut next7) = (0u32, 124u32);
    for symbol in 0..=256u16 {
        let len = base64_length(symbol);
        let next = match len {
            6 => &mut next6,
            7 => &mut next7,
            _ => continue,
        };
        codes[usize::from(symbol)] = (next.reverse_bits() >> (32 - len), len);
        *next += 1;
    }
    let start = out.len();
    out.reserve(data.len() * 7 / 8 + 64);
    let mut bits = Bits { out, acc: 0, n: 0 };
    // Header: not final, dynamic codes; 257 literal/length codes, 2 distance codes (lengths 1
    // and 1: none is used, but the code must be valid), 18 code length codes.
    bits.put(0, 1);
    bits.put(2, 2);
    bits.put(0, 5);
    bits.put(1, 5);
    bits.put(14, 4);
    // The code length code: 6 and 18 take 2 bits, 0, 1, 7 and 17 take 3 (a complete code),
    // listed in the order of 3.2.7.
    const ORDER: [u8; 18] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    let cl_len = |s: u8| match s {
        6 | 18 => 2,
        0 | 1 | 7 | 17 => 3,
        _ => 0,
    };
    for s in ORDER {
        bits.put(cl_len(s), 3);
    }
    // Its canonical codes: 6 → 00, 18 → 01; 0 → 100, 1 → 101, 7 → 110, 17 → 111.
    let cl_code = |s: u8| -> (u32, u32) {
        match s {
            6 => (0b00, 2),
            18 => (0b01, 2),
            0 => (0b100, 3),
            1 => (0b101, 3),
            7 => (0b110, 3),
            _ => (0b111, 3), // 17
        }
    };
    // The 257 literal lengths, runs of zeros as 17 (3–10) or 18 (11–138), then the two
    // distance lengths.
    let mut symbol = 0u16;
    while symbol <= 256 {
        let len = base64_length(symbol);
        if len != 0 {
            let (c, l) = cl_code(len as u8);
            bits.code(c, l);
            symbol += 1;
            continue;
        }
        let mut run = 0u16;
        while symbol + run <= 256 && base64_length(symbol + run) == 0 && run < 138 {
            run += 1;
        }
        if run >= 11 {
            let (c, l) = cl_code(18);
            bits.code(c, l);
            bits.put(u32::from(run - 11), 7);
        } else if run >= 3 {
            let (c, l) = cl_code(17);
            bits.code(c, l);
            bits.put(u32::from(run - 3), 3);
        } else {
            let (c, l) = cl_code(0);
            for _ in 0..run {
                bits.code(c, l);
            }
        }
        symbol += run;
    }
    for _ in 0..2 {
        let (c, l) = cl_code(1);
        bits.code(c, l);
    }
    // The text, 32 bits at a time; a byte outside the alphabet undoes the block.
    let (mut acc, mut n) = (bits.acc, bits.n);
    for &b in data {
        let (code, len) = codes[usize::from(b)];
        if len == 0 {
            out.truncate(start);
            return false;
        }
        acc |= u64::from(code) << n;
        n += len;
        if n >= 32 {
            bits.out.extend_from_slice(&(acc as u32).to_le_bytes());
            acc >>= 32;
            n -= 32;
        }
    }
    (bits.acc, bits.n) = (acc, n);
    // The end of the block.
    let (code, len) = codes[256];
    bits.put(code, len);
    // An empty stored block to reach a byte boundary.
    bits.put(u32::from(last), 1);
    bits.put(0, 2);
    bits.align();
    out.extend_from_slice(&[0, 0, 0xFF, 0xFF]);
    debug_assert!(out.len() > start);
    true
}

/// The embedded record compressed: the base64 photo (`<duLieu>`), which a general compressor
/// at a fast level cannot make smaller (its characters are all about equally likely, and a
/// fast level codes literals with fixed 8-bit codes), is coded at 6 bits a character by
/// [`base64_block`]; the rest is compressed. A quarter smaller than compressing the whole file
/// at [`LEVEL`], for a fraction of the time.
fn deflate_record(xml: &[u8]) -> Result<Vec<u8>, RenderError> {
    let open = memchr::memmem::find(xml, b"<duLieu>").map(|at| at + b"<duLieu>".len());
    let close = open
        .and_then(|from| memchr::memmem::find(xml.get(from..)?, b"</duLieu>").map(|at| from + at));
    match (open, close) {
        (Some(a), Some(b)) if b - a >= 1024 => deflate_parts(&[
            Part::Compress(&xml[..a]),
            Part::Base64(&xml[a..b]),
            Part::Compress(&xml[b..]),
        ]),
        _ => deflate(xml),
    }
}

/// The output intent's profile, compressed once per process.
fn srgb_profile() -> &'static (Vec<u8>, Vec<u8>) {
    static PROFILE: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    PROFILE.get_or_init(|| {
        let raw = super::icc::srgb();
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let compressed = std::io::Write::write_all(&mut e, &raw)
            .and_then(|()| e.finish())
            .unwrap_or_default();
        (raw, compressed)
    })
}

/// Reference numbers, handed out in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// The glyphs of one face drawn so far: new ids (CIDs) and the text each one stands for.
#[derive(Clone)]
struct FontUse {
    /// Whole-font glyph id → CID (0: none yet; glyph 0 is CID 0).
    cid_of: Vec<u16>,
    /// CID → whole-font glyph id (CID 0 is `.notdef`).
    gids: Vec<u16>,
    /// CID → the text it maps to (`None`: no mapping yet).
    /// Shared, so that a document's copy of the prepared subset clones no strings.
    text: Vec<Option<Arc<str>>>,
}

impl FontUse {
    /// Nothing drawn yet; CIDs in the order of first use.
    fn empty(face: &Face<'_>) -> Self {
        FontUse {
            cid_of: vec![0; usize::from(face.shaper.number_of_glyphs())],
            gids: vec![0],
            text: vec![None],
        }
    }

    fn cid(&mut self, gid: u16) -> u16 {
        let Some(&cid) = self.cid_of.get(usize::from(gid)) else {
            return 0; // not a glyph of the font (the shaper never gives one)
        };
        if cid != 0 || gid == 0 {
            return cid;
        }
        // At most 65,535 glyphs in a font, so the CID always fits.
        let cid = u16::try_from(self.gids.len()).unwrap_or(u16::MAX);
        self.cid_of[usize::from(gid)] = cid;
        self.gids.push(gid);
        self.text.push(None);
        cid
    }

    fn used(&self) -> bool {
        self.gids.len() > 1
    }
}

/// The characters whose glyphs every document of the built-in fonts carries: printable ASCII,
/// every Vietnamese letter, the combining tone marks, and the punctuation the template and
/// school records use. With the same glyphs in every document, the subset, its compression,
/// widths and ToUnicode map are made once per process instead of once per document — at the
/// price of ~16 KB a document for glyphs it does not draw (`docs/pdf.md`). A document that
/// draws a glyph outside this set gets a subset of its own.
const REPERTOIRE_EXTRA: &str = "–—…“”‘’«»×·°•№€\u{300}\u{301}\u{303}\u{309}\u{323}";

/// A face's fixed subset, made once per process (the built-in fonts only).
struct Prepared {
    font_use: FontUse,
    file: FontFile,
    /// The ToUnicode map, plain and compressed.
    cmap: Vec<u8>,
    cmap_packed: Vec<u8>,
}

/// A subset font program, compressed, with its name.
struct FontFile {
    packed: Vec<u8>,
    raw_len: usize,
    base_font: String,
}

fn prepare(face: &Face<'_>) -> Option<Prepared> {
    let mut font_use = FontUse::empty(face);
    let letters = (' '..='~')
        .chain(super::VIETNAMESE.chars())
        .chain(REPERTOIRE_EXTRA.chars());
    let mut mapped: Vec<(u16, char)> = letters
        .filter_map(|c| Some((face.shaper.glyph_index(c)?.0, c)))
        .collect();
    // CIDs in increasing order of glyph id; a glyph shared by two characters maps to the first.
    mapped.sort_by_key(|&(g, _)| g);
    mapped.dedup_by_key(|&mut (g, _)| g);
    for (gid, c) in mapped {
        let cid = font_use.cid(gid);
        if let Some(slot) = font_use.text.get_mut(usize::from(cid)) {
            *slot = Some(c.to_string().into());
        }
    }
    let file = subset(face, &font_use, true).ok()?;
    let cmap = to_unicode(&font_use);
    let cmap_packed = deflate(&cmap).ok()?;
    Some(Prepared {
        font_use,
        file,
        cmap,
        cmap_packed,
    })
}

/// The prepared subset of a built-in face (`None` for a caller's font).
fn prepared(face: &Face<'_>) -> Option<&'static Prepared> {
    static REGULAR: OnceLock<Option<Prepared>> = OnceLock::new();
    static BOLD: OnceLock<Option<Prepared>> = OnceLock::new();
    // The built-in fonts are statics (not constants): the same address for the whole run.
    let is = |font: &[u8]| std::ptr::eq(face.data, font);
    let cell = if is(crate::pdf::FONT_REGULAR) {
        &REGULAR
    } else if is(crate::pdf::FONT_BOLD) {
        &BOLD
    } else {
        return None;
    };
    cell.get_or_init(|| prepare(face)).as_ref()
}

/// Subsets the face to the glyphs of `font_use` (CIDs become the subset's glyph ids) and
/// compresses the result.
fn subset(face: &Face<'_>, font_use: &FontUse, best: bool) -> Result<FontFile, RenderError> {
    let mut remapper = subsetter::GlyphRemapper::new();
    for &gid in &font_use.gids {
        remapper.remap(gid);
    }
    let subset = subsetter::subset(face.data, 0, &remapper)
        .map_err(|e| pdf_error(format!("the font could not be subset: {e:?}")))?;
    let packed = if best {
        let level = flate2::Compression::best();
        let mut e = flate2::write::ZlibEncoder::new(Vec::with_capacity(subset.len()), level);
        std::io::Write::write_all(&mut e, &subset)
            .and_then(|()| e.finish())
            .map_err(|e| pdf_error(format!("compression: {e}")))?
    } else {
        deflate(&subset)?
    };
    Ok(FontFile {
        packed,
        raw_len: subset.len(),
        base_font: format!(
            "{}+{}",
            crate::pdf::subset_tag(&font_use.gids),
            postscript_name(face)
        ),
    })
}

/// A number for the content stream: rounded to 1/1000, no exponent, no trailing zeros.
fn num(out: &mut Vec<u8>, v: f32) {
    let v = if v.is_finite() { v } else { 0.0 };
    let milli = (f64::from(v) * 1000.0).round() as i64;
    if milli < 0 {
        out.push(b'-');
    }
    let m = milli.unsigned_abs();
    out.extend_from_slice(itoa::Buffer::new().format(m / 1000).as_bytes());
    let frac = m % 1000;
    if frac != 0 {
        out.push(b'.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let keep = if frac.is_multiple_of(100) {
            1
        } else if frac.is_multiple_of(10) {
            2
        } else {
            3
        };
        for d in &digits[..keep] {
            out.push(b'0' + *d as u8);
        }
    }
}

fn hex4(out: &mut Vec<u8>, v: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((v >> shift) & 0xF)]);
    }
}

/// A UTF-16BE text string with its byte-order mark, as hex.
fn utf16_hex(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(b"<FEFF");
    for unit in s.encode_utf16() {
        hex4(out, unit);
    }
    out.push(b'>');
}

/// The drawing state of a content stream, so that nothing is set twice.
struct Pen {
    out: Vec<u8>,
    in_text: bool,
    font: Option<(bool, u32)>,
    line_width: Option<u32>,
    stroke_gray: Option<bool>,
}

impl Pen {
    fn end_text(&mut self) {
        if self.in_text {
            self.out.extend_from_slice(b"ET\n");
            self.in_text = false;
        }
    }
}

/// Writes one page's content, recording the glyphs it draws.
fn page_content(ops: &[Op], fonts: &Fonts<'_>, uses: &mut [FontUse; 2]) -> Vec<u8> {
    let mut pen = Pen {
        out: Vec::with_capacity(16 * 1024),
        in_text: false,
        font: None,
        line_width: None,
        stroke_gray: None,
    };
    // Text is black; the fill colour never changes.
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                bold,
                size,
                line,
            } => {
                if line.glyphs.is_empty() {
                    continue;
                }
                let face = fonts.face(*bold);
                let face_use = &mut uses[usize::from(*bold)];
                text_line(
                    &mut pen,
                    face,
                    face_use,
                    *bold,
                    *x,
                    PAGE_H - *y,
                    *size,
                    line,
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
                pen.end_text();
                let key = (f64::from(*width) * 1000.0).round() as u32;
                if pen.line_width != Some(key) {
                    num(&mut pen.out, *width);
                    pen.out.extend_from_slice(b" w\n");
                    pen.line_width = Some(key);
                }
                if pen.stroke_gray != Some(*gray) {
                    pen.out
                        .extend_from_slice(if *gray { b"0.549 G\n" } else { b"0 G\n" });
                    pen.stroke_gray = Some(*gray);
                }
                for (k, v) in [*x, PAGE_H - *y - *h, *w, *h].into_iter().enumerate() {
                    if k > 0 {
                        pen.out.push(b' ');
                    }
                    num(&mut pen.out, v);
                }
                pen.out.extend_from_slice(b" re S\n");
            }
            Op::Image { x, y, w, h, .. } => {
                pen.end_text();
                pen.out.extend_from_slice(b"q ");
                for v in [*w, 0.0, 0.0, *h, *x, PAGE_H - *y - *h] {
                    num(&mut pen.out, v);
                    pen.out.push(b' ');
                }
                pen.out.extend_from_slice(b"cm /Im0 Do Q\n");
            }
        }
    }
    pen.end_text();
    pen.out
}

/// One line of text at baseline `(x, y)` (PDF coordinates).
#[allow(clippy::too_many_arguments)] // a text run: its pen, face, position, size and line
fn text_line(
    pen: &mut Pen,
    face: &Face<'_>,
    face_use: &mut FontUse,
    bold: bool,
    x: f32,
    y: f32,
    size: f32,
    line: &Line,
) {
    // Map the glyphs; the line needs /ActualText unless each glyph stands for its own, non-empty
    // piece of text and that piece is what its CID maps to.
    let mut exact = true;
    let mut cids = Vec::with_capacity(line.glyphs.len());
    let mut previous: Option<&std::ops::Range<usize>> = None;
    for g in &line.glyphs {
        let cid = face_use.cid(g.id);
        cids.push(cid);
        let piece = line.text.get(g.text_range.clone()).unwrap_or_default();
        if piece.is_empty() || previous == Some(&g.text_range) || cid == 0 {
            exact = false;
        } else {
            match &mut face_use.text[usize::from(cid)] {
                Some(mapped) => exact &= **mapped == *piece,
                slot @ None => *slot = Some(piece.into()),
            }
        }
        previous = Some(&g.text_range);
    }

    if !pen.in_text {
        pen.out.extend_from_slice(b"BT\n");
        pen.in_text = true;
    }
    let size_key = (f64::from(size) * 1000.0).round() as u32;
    if pen.font != Some((bold, size_key)) {
        pen.out
            .extend_from_slice(if bold { b"/F1 " } else { b"/F0 " });
        num(&mut pen.out, size);
        pen.out.extend_from_slice(b" Tf\n");
        pen.font = Some((bold, size_key));
    }
    if !exact {
        pen.out.extend_from_slice(b"/Span <</ActualText ");
        utf16_hex(&mut pen.out, &line.text);
        pen.out.extend_from_slice(b">> BDC\n");
    }
    let vertical = line.glyphs.iter().any(|g| g.y_offset != 0.0);
    if vertical {
        // Marks moved up or down: each glyph placed on its own.
        let mut pen_x = x;
        for (g, cid) in line.glyphs.iter().zip(&cids) {
            pen.out.extend_from_slice(b"1 0 0 1 ");
            num(&mut pen.out, pen_x + g.x_offset * size);
            pen.out.push(b' ');
            num(&mut pen.out, y + g.y_offset * size);
            pen.out.extend_from_slice(b" Tm <");
            hex4(&mut pen.out, *cid);
            pen.out.extend_from_slice(b"> Tj\n");
            pen_x += g.x_advance * size;
        }
    } else {
        pen.out.extend_from_slice(b"1 0 0 1 ");
        num(&mut pen.out, x);
        pen.out.push(b' ');
        num(&mut pen.out, y);
        pen.out.extend_from_slice(b" Tm [<");
        // After each glyph a reader moves by its /W width; the shaped advance (kerning) and
        // offsets are the difference, in thousandths of the size (positive moves left).
        let mut carry = 0.0f32;
        for (g, cid) in line.glyphs.iter().zip(&cids) {
            let adjust = carry - g.x_offset * 1000.0;
            if (adjust * 1000.0).round() != 0.0 {
                pen.out.extend_from_slice(b"> ");
                num(&mut pen.out, adjust);
                pen.out.extend_from_slice(b" <");
            }
            hex4(&mut pen.out, *cid);
            let width = pdf_width(face, g.id) / 1000.0;
            carry = (width - g.x_advance) * 1000.0 + g.x_offset * 1000.0;
        }
        pen.out.extend_from_slice(b">] TJ\n");
    }
    if !exact {
        pen.out.extend_from_slice(b"EMC\n");
    }
}

/// A glyph's width as `/W` gives it: the font's advance in thousandths of the em, rounded to a
/// whole number (within the one unit PDF/A allows; the text's positions use this very width).
fn pdf_width(face: &Face<'_>, gid: u16) -> f32 {
    (face.advance_units(gid) / face.units_per_em() * 1000.0).round()
}

/// The ToUnicode CMap of a subset (ISO 32000-1, 9.10.3): CID → text.
fn to_unicode(face_use: &FontUse) -> Vec<u8> {
    let mut s = Vec::with_capacity(256 + 24 * face_use.text.len());
    s.extend_from_slice(
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, &str)> = face_use
        .text
        .iter()
        .enumerate()
        .filter_map(|(cid, t)| Some((u16::try_from(cid).ok()?, t.as_deref()?)))
        .collect();
    for chunk in entries.chunks(100) {
        s.extend_from_slice(chunk.len().to_string().as_bytes());
        s.extend_from_slice(b" beginbfchar\n");
        for (cid, text) in chunk {
            s.push(b'<');
            hex4(&mut s, *cid);
            s.extend_from_slice(b"> <");
            for unit in text.encode_utf16() {
                hex4(&mut s, unit);
            }
            s.extend_from_slice(b">\n");
        }
        s.extend_from_slice(b"endbfchar\n");
    }
    s.extend_from_slice(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// The face's PostScript name (name ID 6), reduced to characters a PDF name keeps readable.
fn postscript_name(face: &Face<'_>) -> String {
    let name: String = face
        .shaper
        .names()
        .into_iter()
        .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect();
    if name.is_empty() {
        "Font".to_owned()
    } else {
        name
    }
}

/// Writes the five objects of one face: Type0 font (`type0`), CIDFont, descriptor, font file
/// and ToUnicode map. The prepared subset is used when the document drew nothing outside it.
fn write_font(
    pdf: &mut Pdf,
    refs: &mut Refs,
    type0: Ref,
    face: &Face<'_>,
    face_use: &FontUse,
    debug: bool,
) -> Result<(), RenderError> {
    let (cid_ref, descriptor_ref, file_ref, cmap_ref) =
        (refs.next(), refs.next(), refs.next(), refs.next());
    let own;
    let (file, cmap, cmap_packed) = match prepared(face) {
        Some(p) if p.font_use.gids.len() == face_use.gids.len() => {
            (&p.file, &p.cmap[..], Some(&p.cmap_packed[..]))
        }
        _ => {
            own = (subset(face, face_use, false)?, to_unicode(face_use));
            (&own.0, &own.1[..], None)
        }
    };
    let base_font = file.base_font.as_bytes();
    let upem = face.units_per_em();
    let scale = |v: f32| (v / upem * 1000.0 * 1000.0).round() / 1000.0;

    pdf.indirect(type0)
        .dict()
        .pair(Name(b"Type"), Name(b"Font"))
        .pair(Name(b"Subtype"), Name(b"Type0"))
        .pair(Name(b"BaseFont"), Name(base_font))
        .pair(Name(b"Encoding"), Name(b"Identity-H"))
        .pair(Name(b"ToUnicode"), cmap_ref)
        .insert(Name(b"DescendantFonts"))
        .array()
        .item(cid_ref);

    {
        let mut cid = pdf.indirect(cid_ref).dict();
        cid.pair(Name(b"Type"), Name(b"Font"))
            .pair(Name(b"Subtype"), Name(b"CIDFontType2"))
            .pair(Name(b"BaseFont"), Name(base_font));
        cid.insert(Name(b"CIDSystemInfo"))
            .dict()
            .pair(Name(b"Registry"), Str(b"Adobe"))
            .pair(Name(b"Ordering"), Str(b"Identity"))
            .pair(Name(b"Supplement"), 0);
        cid.pair(Name(b"FontDescriptor"), descriptor_ref)
            .pair(Name(b"DW"), 0)
            .pair(Name(b"CIDToGIDMap"), Name(b"Identity"));
        let mut w = cid.insert(Name(b"W")).array();
        w.item(0);
        w.push()
            .array()
            .items(face_use.gids.iter().map(|&g| pdf_width(face, g)));
    }

    let shaper = &face.shaper;
    let bbox = shaper.global_bounding_box();
    let ascent = f32::from(shaper.ascender());
    let descent = f32::from(shaper.descender());
    let cap = shaper.capital_height().map_or(ascent, f32::from);
    let weight = f32::from(shaper.weight().to_number());
    let italic = shaper.italic_angle();
    let mut flags = pdf_writer::types::FontFlags::SYMBOLIC;
    if italic != 0.0 {
        flags |= pdf_writer::types::FontFlags::ITALIC;
    }
    pdf.indirect(descriptor_ref)
        .start::<pdf_writer::writers::FontDescriptor>()
        .name(Name(base_font))
        .flags(flags)
        .bbox(Rect::new(
            scale(f32::from(bbox.x_min)),
            scale(f32::from(bbox.y_min)),
            scale(f32::from(bbox.x_max)),
            scale(f32::from(bbox.y_max)),
        ))
        .italic_angle(italic)
        .ascent(scale(ascent))
        .descent(scale(descent))
        .cap_height(scale(cap))
        // The usual estimate from the weight class (no standard source in a TrueType font).
        .stem_v((10.0 + 0.244 * (weight - 50.0)).max(10.0).round())
        .font_file2(file_ref);

    let raw_len = i32::try_from(file.raw_len).map_err(|_| pdf_error("the font is too large"))?;
    pdf.stream(file_ref, &file.packed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), raw_len);

    if debug {
        pdf.stream(cmap_ref, cmap);
    } else {
        let own_packed;
        let packed = match cmap_packed {
            Some(p) => p,
            None => {
                own_packed = deflate(cmap)?;
                &own_packed[..]
            }
        };
        pdf.stream(cmap_ref, packed).filter(Filter::FlateDecode);
    }
    Ok(())
}

/// Writes the photo's image XObject.
fn write_image(pdf: &mut Pdf, id: Ref, photo: &Photo) -> Result<(), RenderError> {
    let too_large = || pdf_error("the photo is too large");
    let width = i32::try_from(photo.width).map_err(|_| too_large())?;
    let height = i32::try_from(photo.height).map_err(|_| too_large())?;
    let packed;
    let (data, filter) = match &photo.samples {
        Samples::Jpeg(data) => (data.as_slice(), Filter::DctDecode),
        Samples::Raw(raw) => {
            packed = deflate(raw)?;
            (packed.as_slice(), Filter::FlateDecode)
        }
    };
    pdf.stream(id, data)
        .filter(filter)
        .pair(Name(b"Type"), Name(b"XObject"))
        .pair(Name(b"Subtype"), Name(b"Image"))
        .pair(Name(b"Width"), width)
        .pair(Name(b"Height"), height)
        .pair(
            Name(b"ColorSpace"),
            Name(match photo.colour {
                Colour::Gray => &b"DeviceGray"[..],
                Colour::Rgb => b"DeviceRGB",
            }),
        )
        .pair(Name(b"BitsPerComponent"), 8);
    Ok(())
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow (control characters) are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            _ => out.push(c),
        }
    }
    out
}

/// The XMP packet (ISO 16684-1) with the PDF/A identification and the `hb:` properties.
fn xmp(meta: &Meta<'_>, id_hex: &str) -> String {
    let date = meta.date.xmp();
    let property = |name: &str, description: &str| {
        format!(
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
<pdfaProperty:valueType>Text</pdfaProperty:valueType>\
<pdfaProperty:category>external</pdfaProperty:category>\
<pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        )
    };
    let properties = [
        property("DocumentFileName", "Name of the embedded record file"),
        property("DocumentType", "Type of the document"),
        property("Version", "Version of the record format"),
        property("RecordId", "Identifier of the record (maDinhDanhHocBa)"),
        property("SchoolYear", "School year of the document (namHoc)"),
    ]
    .concat();
    let uuid = format!(
        "uuid:{}-{}-{}-{}-{}",
        &id_hex[0..8],
        &id_hex[8..12],
        &id_hex[12..16],
        &id_hex[16..20],
        &id_hex[20..32]
    );
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" \
xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\" \
xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\
<dc:format>application/pdf</dc:format>\
<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\
<dc:language><rdf:Bag><rdf:li>vi</rdf:li></rdf:Bag></dc:language>\
<xmp:CreatorTool>{tool}</xmp:CreatorTool>\
<xmp:CreateDate>{date}</xmp:CreateDate>\
<xmp:ModifyDate>{date}</xmp:ModifyDate>\
<pdf:Producer>{tool}</pdf:Producer>\
<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>\
<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>\
<pdfaid:part>3</pdfaid:part>\
<pdfaid:conformance>B</pdfaid:conformance>\
</rdf:Description>\n\
<rdf:Description rdf:about=\"\" \
xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\
<pdfaSchema:schema>hocba digital primary-school record</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>urn:hocba:pdfa:1#</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>hb</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\n\
<rdf:Description rdf:about=\"\" xmlns:hb=\"urn:hocba:pdfa:1#\">\
<hb:DocumentFileName>{file}</hb:DocumentFileName>\
<hb:DocumentType>HOC_BA_TIEU_HOC</hb:DocumentType>\
<hb:Version>1</hb:Version>\
<hb:RecordId>{record}</hb:RecordId>\
<hb:SchoolYear>{year}</hb:SchoolYear>\
</rdf:Description>\n\
</rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"r\"?>",
        title = xml_escape(meta.title),
        tool = xml_escape(meta.tool),
        file = EMBEDDED_FILE_NAME,
        record = xml_escape(meta.record_id),
        year = xml_escape(meta.school_year),
    )
}

fn role_description(name: &str) -> &'static str {
    match name {
        "GVCN" => "Chữ ký của giáo viên chủ nhiệm",
        "HT" => "Chữ ký của hiệu trưởng (hoặc phó hiệu trưởng)",
        "DAU" => "Chữ ký số của nhà trường (con dấu)",
        _ => "Chữ ký số",
    }
}

/// Rounds to 1/100 pt so the numbers in the file are short and stable.
fn r2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Writes the whole document.
pub(crate) fn document(
    pages: &[Vec<Op>],
    boxes: &[SignatureBox],
    fonts: &Fonts<'_>,
    photo: Option<&Photo>,
    xml: &[u8],
    meta: &Meta<'_>,
    debug: bool,
) -> Result<Vec<u8>, RenderError> {
    if pages.is_empty() {
        return Err(pdf_error("no page was laid out"));
    }
    let mut refs = Refs(0);
    let catalog_ref = refs.next();
    let pages_ref = refs.next();
    let resources_ref = refs.next();
    let page_refs: Vec<Ref> = pages.iter().map(|_| refs.next()).collect();
    let content_refs: Vec<Ref> = pages.iter().map(|_| refs.next()).collect();
    let font_refs = [refs.next(), refs.next()];
    let image_ref = refs.next();
    let profile_ref = refs.next();
    let file_ref = refs.next();
    let spec_ref = refs.next();
    let info_ref = refs.next();
    let form_ref = refs.next();

    let mut pdf = Pdf::with_settings_and_capacity(
        pdf_writer::Settings { pretty: debug },
        64 * 1024 + xml.len() + 2 * 32 * 1024,
    );
    pdf.set_binary_marker(b"\xE2\xE3\xCF\xD3");

    // Pages and their content (this also collects the glyphs of each face).
    let start = |face: &Face<'_>| match prepared(face) {
        Some(p) => p.font_use.clone(),
        None => FontUse::empty(face),
    };
    let mut uses = [start(&fonts.regular), start(&fonts.bold)];
    for (k, ops) in pages.iter().enumerate() {
        let content = page_content(ops, fonts, &mut uses);
        if debug {
            pdf.stream(content_refs[k], &content);
        } else {
            let packed = deflate(&content)?;
            pdf.stream(content_refs[k], &packed)
                .filter(Filter::FlateDecode);
        }
    }

    // Signature fields in signing order: GVCN, HT, DAU.
    let order = |name: &str| match name {
        "GVCN" => 0,
        "HT" => 1,
        _ => 2,
    };
    let mut sorted: Vec<&SignatureBox> = boxes.iter().collect();
    sorted.sort_by_key(|b| order(b.name));
    let mut annots: Vec<Vec<Ref>> = vec![Vec::new(); pages.len()];
    let mut fields = Vec::with_capacity(sorted.len());
    for b in sorted {
        let page = *page_refs
            .get(b.page)
            .ok_or_else(|| pdf_error("a signature box is on no page"))?;
        let (field, appearance) = (refs.next(), refs.next());
        pdf.stream(appearance, &[])
            .pair(Name(b"Type"), Name(b"XObject"))
            .pair(Name(b"Subtype"), Name(b"Form"))
            .pair(Name(b"BBox"), Rect::new(0.0, 0.0, r2(b.w), r2(b.h)))
            .insert(Name(b"Resources"))
            .dict();
        {
            let mut d = pdf.indirect(field).dict();
            d.pair(Name(b"Type"), Name(b"Annot"))
                .pair(Name(b"Subtype"), Name(b"Widget"))
                .pair(Name(b"FT"), Name(b"Sig"))
                .pair(Name(b"T"), Str(b.name.as_bytes()))
                .pair(Name(b"TU"), TextStr(role_description(b.name)))
                .pair(Name(b"F"), 4)
                .pair(
                    Name(b"Rect"),
                    Rect::new(
                        r2(b.x),
                        r2(PAGE_H - (b.y + b.h)),
                        r2(b.x + b.w),
                        r2(PAGE_H - b.y),
                    ),
                )
                .pair(Name(b"P"), page);
            d.insert(Name(b"AP")).dict().pair(Name(b"N"), appearance);
        }
        annots[b.page].push(field);
        fields.push(field);
    }

    // Page tree and the shared resources.
    pdf.pages(pages_ref)
        .kids(page_refs.iter().copied())
        .count(i32::try_from(pages.len()).map_err(|_| pdf_error("too many pages"))?);
    for (k, &page_ref) in page_refs.iter().enumerate() {
        let mut page = pdf.page(page_ref);
        page.parent(pages_ref)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(content_refs[k]);
        page.pair(Name(b"Resources"), resources_ref);
        if !annots[k].is_empty() {
            page.insert(Name(b"Annots"))
                .array()
                .items(annots[k].iter().copied());
        }
    }
    {
        let mut res = pdf.indirect(resources_ref).dict();
        if uses.iter().any(FontUse::used) {
            let mut font = res.insert(Name(b"Font")).dict();
            for (k, name) in [&b"F0"[..], b"F1"].into_iter().enumerate() {
                if uses[k].used() {
                    font.pair(Name(name), font_refs[k]);
                }
            }
        }
        if photo.is_some() {
            res.insert(Name(b"XObject"))
                .dict()
                .pair(Name(b"Im0"), image_ref);
        }
    }

    // Fonts, photo, output intent profile.
    for (k, face_use) in uses.iter().enumerate() {
        if face_use.used() {
            write_font(
                &mut pdf,
                &mut refs,
                font_refs[k],
                fonts.face(k == 1),
                face_use,
                debug,
            )?;
        }
    }
    if let Some(photo) = photo {
        write_image(&mut pdf, image_ref, photo)?;
    }
    let (profile_raw, profile) = srgb_profile();
    if profile.is_empty() || profile_raw.is_empty() {
        return Err(pdf_error("the sRGB profile could not be compressed"));
    }
    pdf.stream(profile_ref, profile)
        .filter(Filter::FlateDecode)
        .pair(Name(b"N"), 3);

    // The embedded record.
    let date = meta.date.pdf();
    let size = i32::try_from(xml.len()).map_err(|_| pdf_error("the record is too large"))?;
    let packed;
    let file_data = if debug {
        xml
    } else {
        packed = deflate_record(xml)?;
        packed.as_slice()
    };
    {
        let mut file = pdf.stream(file_ref, file_data);
        if !debug {
            file.filter(Filter::FlateDecode);
        }
        file.pair(Name(b"Type"), Name(b"EmbeddedFile"))
            .pair(Name(b"Subtype"), Name(b"text/xml"));
        file.insert(Name(b"Params"))
            .dict()
            .pair(Name(b"Size"), size)
            .pair(Name(b"ModDate"), Str(date.as_bytes()));
    }
    {
        let mut spec = pdf.indirect(spec_ref).dict();
        spec.pair(Name(b"Type"), Name(b"Filespec"))
            .pair(Name(b"F"), Str(EMBEDDED_FILE_NAME.as_bytes()))
            .pair(Name(b"UF"), TextStr(EMBEDDED_FILE_NAME))
            .pair(Name(b"Desc"), TextStr(meta.file_description))
            .pair(Name(b"AFRelationship"), Name(b"Data"));
        spec.insert(Name(b"EF"))
            .dict()
            .pair(Name(b"F"), file_ref)
            .pair(Name(b"UF"), file_ref);
    }

    // Document information (mirrored in the XMP).
    pdf.document_info(info_ref)
        .pair(Name(b"Title"), TextStr(meta.title))
        .pair(Name(b"Creator"), TextStr(meta.tool))
        .pair(Name(b"Producer"), TextStr(meta.tool))
        .pair(Name(b"CreationDate"), Str(date.as_bytes()))
        .pair(Name(b"ModDate"), Str(date.as_bytes()));

    // The form.
    pdf.indirect(form_ref)
        .dict()
        .insert(Name(b"Fields"))
        .array()
        .items(fields.iter().copied());

    // The file's identity: everything written so far, then the XMP and the catalog.
    let digest = Sha256::digest(pdf.as_bytes());
    let id: Vec<u8> = digest[..16].to_vec();
    let id_hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let metadata_ref = refs.next();
    let packet = xmp(meta, &id_hex);
    pdf.stream(metadata_ref, packet.as_bytes())
        .pair(Name(b"Type"), Name(b"Metadata"))
        .pair(Name(b"Subtype"), Name(b"XML"));
    {
        let mut catalog = pdf.catalog(catalog_ref);
        catalog
            .pair(Name(b"Pages"), pages_ref)
            .pair(Name(b"Metadata"), metadata_ref)
            .pair(Name(b"Lang"), TextStr("vi"));
        {
            let mut intents = catalog.insert(Name(b"OutputIntents")).array();
            let mut intent = intents.push().dict();
            intent
                .pair(Name(b"Type"), Name(b"OutputIntent"))
                .pair(Name(b"S"), Name(b"GTS_PDFA1"))
                .pair(
                    Name(b"OutputConditionIdentifier"),
                    TextStr("sRGB IEC61966-2.1"),
                )
                .pair(Name(b"Info"), TextStr("sRGB IEC61966-2.1"))
                .pair(Name(b"DestOutputProfile"), profile_ref);
            intent.finish();
        }
        catalog
            .insert(Name(b"Names"))
            .dict()
            .insert(Name(b"EmbeddedFiles"))
            .dict()
            .insert(Name(b"Names"))
            .array()
            .item(Str(EMBEDDED_FILE_NAME.as_bytes()))
            .item(spec_ref);
        catalog.insert(Name(b"AF")).array().item(spec_ref);
        if !fields.is_empty() {
            catalog.pair(Name(b"AcroForm"), form_ref);
        }
    }
    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_in_both_formats() {
        let m = |offset_minutes| Moment {
            year: 2025,
            month: 5,
            day: 7,
            hour: 9,
            minute: 3,
            second: 1,
            offset_minutes,
        };
        assert_eq!(m(420).pdf(), "D:20250507090301+07'00'");
        assert_eq!(m(420).xmp(), "2025-05-07T09:03:01+07:00");
        assert_eq!(m(-330).pdf(), "D:20250507090301-05'30'");
        assert_eq!(m(-330).xmp(), "2025-05-07T09:03:01-05:30");
        assert_eq!(m(0).xmp(), "2025-05-07T09:03:01+00:00");
    }
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .expect("a valid zlib stream");
        out
    }

    fn noise(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                    [(x % 64) as usize]
            })
            .collect()
    }

    #[test]
    fn parts_coded_in_several_ways_make_one_stream() {
        use Part::{Base64 as B, Compress as C};
        let text = b"<hocSinh><hoVaTen>Nguy\xe1\xbb\x85n V\xc4\x83n An</hoVaTen>".repeat(40);
        let photo = noise(70_000, 7);
        for parts in [
            vec![C(&text), B(&photo), C(&text)],
            vec![B(&photo)],
            vec![C(&text)],
            vec![C(&[])],
            vec![B(&[])],
            vec![C(&text), B(&[])],
            vec![B(&text), C(&text)],
            vec![C(&[]), B(&[]), C(&text)],
            vec![C(&photo), B(&photo), C(&photo), B(b"QUJD=="), B(b"+/+/=")],
            vec![B(&photo[..200_000.min(photo.len())])],
        ] {
            let want: Vec<u8> = parts
                .iter()
                .flat_map(|p| match p {
                    C(d) | B(d) => d.iter().copied(),
                })
                .collect();
            let packed = deflate_parts(&parts).expect("compresses");
            assert_eq!(inflate(&packed), want);
            assert_eq!(
                deflate_parts(&parts).expect("again"),
                packed,
                "deterministic"
            );
        }
        // The encoder is reused between streams.
        assert_eq!(
            deflate(&text).expect("plain"),
            deflate(&text).expect("again")
        );
    }

    #[test]
    fn the_record_stores_its_photo_and_compresses_the_rest() {
        let photo = String::from_utf8(noise(40_000, 3)).expect("ASCII");
        let head = "<HocBa><hocSinh><hoVaTen>Lê Hoàng Phúc</hoVaTen>".repeat(100);
        let xml = format!("{head}<anh><duLieu>{photo}</duLieu></anh></hocSinh></HocBa>");
        let packed = deflate_record(xml.as_bytes()).expect("compresses");
        assert_eq!(inflate(&packed), xml.as_bytes());
        // The head shrinks; the photo takes about 6 bits a character.
        assert!(
            packed.len() < photo.len() * 6 / 8 + 2_000,
            "{}",
            packed.len()
        );
        // Without a photo, or with a tiny one, the whole record is compressed.
        let odd = format!(
            "{head}<duLieu>{}\n{}</duLieu>",
            &photo[..2000],
            &photo[2000..]
        );
        for xml in [
            head.clone(),
            format!("{head}<duLieu>QUJD</duLieu>"),
            "<duLieu>".repeat(3),
            odd,
        ] {
            let packed = deflate_record(xml.as_bytes()).expect("compresses");
            assert_eq!(inflate(&packed), xml.as_bytes());
        }
    }

    #[test]
    fn numbers_are_short_and_exact_to_a_thousandth() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (12.0, "12"),
            (56.368_828, "56.369"),
            (841.89, "841.89"),
            (0.5, "0.5"),
            (-3.25, "-3.25"),
            (0.0004, "0"),
            (-0.0004, "0"),
            (1.0006, "1.001"),
            (2.9996, "3"),
            (f32::NAN, "0"),
            (f32::INFINITY, "0"),
        ];
        for (v, want) in cases {
            let mut out = Vec::new();
            num(&mut out, v);
            assert_eq!(String::from_utf8(out).expect("ASCII"), want, "{v}");
        }
    }

    #[test]
    fn to_unicode_maps_every_cid_with_text() {
        let face = Face::new(crate::pdf::FONT_REGULAR).expect("font");
        let mut font_use = FontUse::empty(&face);
        let a = font_use.cid(face.shaper.glyph_index('A').expect("A").0);
        let d = font_use.cid(face.shaper.glyph_index('Đ').expect("Đ").0);
        assert_eq!((a, d), (1, 2));
        assert_eq!(font_use.cid(face.shaper.glyph_index('A').expect("A").0), 1);
        assert_eq!(font_use.cid(0), 0, "notdef stays CID 0");
        assert_eq!(font_use.cid(u16::MAX), 0, "no such glyph");
        font_use.text[1] = Some("A".into());
        font_use.text[2] = Some("Đ".into());
        let cmap = String::from_utf8(to_unicode(&font_use)).expect("ASCII");
        assert!(cmap.contains("2 beginbfchar\n<0001> <0041>\n<0002> <0110>\nendbfchar"));
    }

    #[test]
    fn the_builtin_subset_covers_every_vietnamese_letter() {
        for data in [crate::pdf::FONT_REGULAR, crate::pdf::FONT_BOLD] {
            let face = Face::new(data).expect("font");
            let prepared = prepared(&face).expect("prepared");
            for c in super::super::VIETNAMESE.chars().chain(' '..='~') {
                let gid = face.shaper.glyph_index(c).expect("glyph").0;
                let cid = prepared.font_use.cid_of[usize::from(gid)];
                assert!(cid != 0, "{c:?} is in the subset");
                assert!(prepared.font_use.text[usize::from(cid)].is_some());
            }
            assert!(prepared.file.base_font.as_bytes()[6] == b'+');
            assert_eq!(inflate(&prepared.file.packed).len(), prepared.file.raw_len);
        }
    }
}
