//! The portrait photo, checked from its header only (`format.md`, `Anh`): valid base64, a JPEG
//! (SOF) or PNG (IHDR) header matching `dinhDang`, at most 1 MiB decoded, a 3:4 aspect ratio
//! within 5 % after the EXIF orientation, and at least 240×320 pixels.
//!
//! The image is never fully decoded: only as much base64 as the header needs.

use base64::Engine;

use super::{ctx, Findings};
use crate::model::{Photo, PhotoFormat, Text};
use crate::rules::codes as c;

/// Largest decoded photo: 1 MiB.
pub const MAX_PHOTO_BYTES: usize = 1_048_576;

const PATH_DATA: &str = "hocSinh.anh.duLieu";
const PATH: &str = "hocSinh.anh";

pub(crate) fn check(photo: &Photo, out: &mut Findings) {
    let Some(data) = photo.data.as_ref().filter(|d| !d.is_blank()) else {
        return;
    };
    let invalid = |out: &mut Findings, en: String, vi: String| {
        out.push(
            &c::PHOTO_INVALID,
            PATH_DATA,
            ctx! { "reason" => en, "reasonVi" => vi },
        );
    };
    let b64 = match Base64::of(data) {
        Some(b) => b,
        None => {
            return invalid(
                out,
                "the data is not valid base64".into(),
                "dữ liệu không phải base64 hợp lệ".into(),
            )
        }
    };
    if b64.decoded_len > MAX_PHOTO_BYTES {
        return invalid(
            out,
            format!(
                "the image is {} bytes, more than 1 MiB (1,048,576 bytes)",
                b64.decoded_len
            ),
            format!(
                "ảnh có {} byte, lớn hơn 1 MiB (1.048.576 byte)",
                b64.decoded_len
            ),
        );
    }
    let header = match read_header(&b64) {
        Ok(h) => h,
        Err(reason) => {
            let (en, vi) = reason.text();
            return invalid(out, en.into(), vi.into());
        }
    };
    if let Some(declared @ (PhotoFormat::Jpeg | PhotoFormat::Png)) = &photo.format {
        if *declared != header.format {
            return invalid(
                out,
                format!(
                    "the data is a {} image but dinhDang says {}",
                    kind(&header.format),
                    declared.as_str()
                ),
                format!(
                    "dữ liệu là ảnh {} nhưng dinhDang ghi {}",
                    kind(&header.format),
                    declared.as_str()
                ),
            );
        }
    }
    let (w, h) = if header.orientation >= 5 {
        (header.height, header.width)
    } else {
        (header.width, header.height)
    };
    if w == 0 || h == 0 {
        return invalid(
            out,
            "the image has no pixels".into(),
            "ảnh không có điểm ảnh nào".into(),
        );
    }
    let ratio = f64::from(w) / f64::from(h);
    if (ratio / 0.75 - 1.0).abs() > 0.05 {
        out.push(
            &c::PHOTO_ASPECT_RATIO,
            PATH,
            ctx! { "width" => w, "height" => h, "ratio" => format!("{ratio:.3}") },
        );
    }
    if w < 240 || h < 320 {
        out.push(
            &c::PHOTO_TOO_SMALL,
            PATH,
            ctx! { "width" => w, "height" => h },
        );
    }
}

fn kind(f: &PhotoFormat) -> &'static str {
    if *f == PhotoFormat::Png {
        "PNG"
    } else {
        "JPEG"
    }
}

/// Base64 text checked for its alphabet and padding, decodable piece by piece.
struct Base64<'a> {
    /// The characters without white space (borrowed when there was none).
    chars: std::borrow::Cow<'a, [u8]>,
    decoded_len: usize,
}

impl<'a> Base64<'a> {
    /// The photo's text: what the XML reader found to be canonical base64 needs no scan.
    fn of(text: &'a Text) -> Option<Self> {
        if text.known_base64() {
            let chars = text.as_bytes();
            let pad = chars.iter().rev().take_while(|b| **b == b'=').count();
            return Some(Base64 {
                decoded_len: chars.len() / 4 * 3 - pad,
                chars: chars.into(),
            });
        }
        Self::new(text.as_bytes())
    }

    fn new(text: &'a [u8]) -> Option<Self> {
        let (bad, spaces) = scan(text);
        let chars: std::borrow::Cow<'a, [u8]> = if spaces {
            text.iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect::<Vec<u8>>()
                .into()
        } else {
            text.into()
        };
        let n = chars.len();
        if n == 0 || !n.is_multiple_of(4) {
            return None;
        }
        let pad = chars.iter().rev().take_while(|b| **b == b'=').count();
        if pad > 2 {
            return None;
        }
        // `=` is only allowed as the padding at the end.
        let interior_pad = memchr::memchr(b'=', &chars[..n - pad]).is_some();
        if bad || interior_pad {
            return None;
        }
        Some(Base64 {
            decoded_len: n / 4 * 3 - pad,
            chars,
        })
    }

    /// Decodes at least the first `bytes` bytes (or everything).
    fn prefix(&self, bytes: usize) -> Option<Vec<u8>> {
        let quads = bytes.div_ceil(3);
        let end = (quads * 4).min(self.chars.len());
        base64::engine::general_purpose::STANDARD
            .decode(&self.chars[..end])
            .ok()
    }
}

/// One pass over base64 text: (has a byte outside the alphabet, `=` and white space; has white
/// space). Written without early exits so that the compiler vectorises it: photos are ~40 KB.
fn scan(text: &[u8]) -> (bool, bool) {
    let mut bad = false;
    let mut spaces = false;
    for chunk in text.chunks(512) {
        let mut b_acc = 0u8;
        let mut s_acc = 0u8;
        for &b in chunk {
            let alpha = (b.wrapping_sub(b'A') < 26)
                | (b.wrapping_sub(b'a') < 26)
                | (b.wrapping_sub(b'0') < 10);
            let sym = (b == b'+') | (b == b'/') | (b == b'=');
            let ws = (b == b' ') | (b == b'\n') | (b == b'\r') | (b == b'\t');
            b_acc |= u8::from(!(alpha | sym | ws));
            s_acc |= u8::from(ws);
        }
        bad |= b_acc != 0;
        spaces |= s_acc != 0;
        if bad {
            break;
        }
    }
    (bad, spaces)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Unreadable,
    NoFrame,
    Truncated,
}

impl Problem {
    fn text(self) -> (&'static str, &'static str) {
        match self {
            Problem::Unreadable => (
                "the image header cannot be read: the data is neither a JPEG nor a PNG image",
                "không đọc được phần đầu ảnh: dữ liệu không phải ảnh JPEG hay PNG",
            ),
            Problem::NoFrame => (
                "the JPEG image has no frame header (SOF), so its size is unknown",
                "ảnh JPEG không có phần khung (SOF) nên không biết kích thước",
            ),
            Problem::Truncated => (
                "the image is cut short before its header ends",
                "ảnh bị cắt cụt trước khi hết phần đầu",
            ),
        }
    }
}

struct Header {
    format: PhotoFormat,
    width: u32,
    height: u32,
    orientation: u16,
}

/// Outcome of parsing a prefix: done, or how many bytes are needed.
enum Parse {
    Done(Header),
    Need(usize),
}

fn read_header(b64: &Base64<'_>) -> Result<Header, Problem> {
    let mut want = 1024usize;
    // A JFIF header usually ends within 256 bytes: try those first when that is a strict prefix
    // of what the first 1,024-byte attempt decodes. The JPEG parser reads segments in order and
    // stops only on bytes it has, so a shorter prefix that settles the header settles it the
    // same way; one that does not changes nothing (the loop below starts at 1,024 as before).
    if b64.chars.starts_with(b"/9j/") && b64.chars.len() > 1024usize.div_ceil(3) * 4 {
        if let Some(bytes) = b64.prefix(256) {
            if let Parse::Done(h) = parse(&bytes)? {
                return Ok(h);
            }
        }
    }
    loop {
        let bytes = b64.prefix(want).ok_or(Problem::Unreadable)?;
        let complete = bytes.len() >= b64.decoded_len;
        match parse(&bytes)? {
            Parse::Done(h) => return Ok(h),
            Parse::Need(n) if complete => {
                let _ = n;
                return Err(Problem::Truncated);
            }
            Parse::Need(n) => want = n.max(want.saturating_mul(2)).min(b64.decoded_len),
        }
    }
}

fn parse(d: &[u8]) -> Result<Parse, Problem> {
    if d.starts_with(&[0xFF, 0xD8]) {
        jpeg(d)
    } else if d.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(d)
    } else if d.len() < 8 {
        Ok(Parse::Need(8))
    } else {
        Err(Problem::Unreadable)
    }
}

fn be16(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(i)?, *d.get(i + 1)?]))
}

fn be32(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(i)?,
        *d.get(i + 1)?,
        *d.get(i + 2)?,
        *d.get(i + 3)?,
    ]))
}

fn jpeg(d: &[u8]) -> Result<Parse, Problem> {
    let mut i = 2usize;
    let mut orientation = 1;
    loop {
        if d.len() < i + 2 {
            return Ok(Parse::Need(i + 4));
        }
        if d[i] != 0xFF {
            return Err(Problem::Unreadable);
        }
        while i + 2 < d.len() && d[i + 1] == 0xFF {
            i += 1;
        }
        let marker = d[i + 1];
        if d.len() < i + 4 && !matches!(marker, 0x01 | 0xD0..=0xD7 | 0xD9 | 0xDA) {
            return Ok(Parse::Need(i + 4));
        }
        match marker {
            0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            0xD9 | 0xDA => return Err(Problem::NoFrame),
            _ => {}
        }
        let len = usize::from(be16(d, i + 2).ok_or(Problem::Truncated)?);
        if len < 2 {
            return Err(Problem::Unreadable);
        }
        let end = i + 2 + len;
        if d.len() < end {
            return Ok(Parse::Need(end));
        }
        let seg = &d[i + 4..end];
        if marker == 0xE1 && seg.starts_with(b"Exif\0\0") {
            orientation = tiff_orientation(&seg[6..]).unwrap_or(1);
        }
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let height = u32::from(be16(seg, 1).ok_or(Problem::Truncated)?);
            let width = u32::from(be16(seg, 3).ok_or(Problem::Truncated)?);
            return Ok(Parse::Done(Header {
                format: PhotoFormat::Jpeg,
                width,
                height,
                orientation,
            }));
        }
        i = end;
    }
}

fn png(d: &[u8]) -> Result<Parse, Problem> {
    if d.len() < 33 {
        return Ok(Parse::Need(33));
    }
    if &d[12..16] != b"IHDR" {
        return Err(Problem::Unreadable);
    }
    let width = be32(d, 16).ok_or(Problem::Truncated)?;
    let height = be32(d, 20).ok_or(Problem::Truncated)?;
    // An eXIf chunk (before the image data) may rotate the image.
    let mut i = 33usize;
    let mut orientation = 1;
    loop {
        if d.len() < i + 8 {
            // The chunk list ends with the data: nothing more to learn past here.
            if i >= d.len() {
                break;
            }
            return Ok(Parse::Need(i + 8));
        }
        let len = be32(d, i).map_or(usize::MAX, |l| l as usize);
        let kind = &d[i + 4..i + 8];
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        let end = i.saturating_add(12).saturating_add(len);
        if kind == b"eXIf" {
            if d.len() < end {
                return Ok(Parse::Need(end));
            }
            orientation = tiff_orientation(&d[i + 8..end - 4]).unwrap_or(1);
            break;
        }
        i = end;
    }
    Ok(Parse::Done(Header {
        format: PhotoFormat::Png,
        width,
        height,
        orientation,
    }))
}

/// The Orientation tag (0x0112) of IFD0 of a TIFF structure (EXIF), 1–8.
fn tiff_orientation(t: &[u8]) -> Option<u16> {
    let le = match t.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |i: usize| -> Option<u16> {
        let b = [*t.get(i)?, *t.get(i + 1)?];
        Some(if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b = [*t.get(i)?, *t.get(i + 1)?, *t.get(i + 2)?, *t.get(i + 3)?];
        Some(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    for k in 0..count.min(512) {
        let e = ifd + 2 + k * 12;
        if u16_at(e)? == 0x0112 {
            let v = u16_at(e + 8)?;
            return (1..=8).contains(&v).then_some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(bytes: &[u8]) -> Result<Header, Problem> {
        let text = base64::engine::general_purpose::STANDARD.encode(bytes);
        read_header(&Base64::new(text.as_bytes()).ok_or(Problem::Unreadable)?)
    }

    #[test]
    fn base64_rules() {
        assert!(Base64::new(b"QUJD").is_some());
        assert!(Base64::new(b"QUI=").is_some());
        assert!(Base64::new(b"QU==").is_some());
        assert!(
            Base64::new(b"QU\nJD").is_some(),
            "line breaks are tolerated"
        );
        assert!(Base64::new(b"QUJ").is_none());
        assert!(Base64::new(b"Q===").is_none());
        assert!(Base64::new(b"QU*D").is_none());
        assert!(Base64::new(b"QU=D").is_none());
        assert_eq!(Base64::new(b"QUI=").map(|b| b.decoded_len), Some(2));
    }

    #[test]
    fn png_and_jpeg_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&300u32.to_be_bytes());
        png.extend_from_slice(&400u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        png.extend_from_slice(b"\0\0\0\0IDAT\0\0\0\0");
        let h = header(&png).expect("png");
        assert_eq!((h.width, h.height, h.format), (300, 400, PhotoFormat::Png));
        // SOI, APP1 EXIF with orientation 6 (rotate 90°), SOF0 of 400x300.
        let mut jpg = vec![0xFF, 0xD8];
        let tiff: Vec<u8> = [
            &b"MM\0\x2a\0\0\0\x08"[..],
            &[0, 1],
            &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0],
            &[0, 0, 0, 0],
        ]
        .concat();
        let app1_len = (2 + 6 + tiff.len()) as u16;
        jpg.extend_from_slice(&[0xFF, 0xE1]);
        jpg.extend_from_slice(&app1_len.to_be_bytes());
        jpg.extend_from_slice(b"Exif\0\0");
        jpg.extend_from_slice(&tiff);
        jpg.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0x01, 0x2C, 0x01, 0x90, 3, 1, 0x22, 0]);
        let h = header(&jpg).expect("jpeg");
        assert_eq!((h.width, h.height, h.orientation), (400, 300, 6));
        assert_eq!(
            header(&jpg[..jpg.len() - 6]).err(),
            Some(Problem::Truncated)
        );
        assert_eq!(header(b"GIF89a....").err(), Some(Problem::Unreadable));
        assert_eq!(
            header(&[0xFF, 0xD8, 0xFF, 0xD9]).err(),
            Some(Problem::NoFrame)
        );
    }
}
