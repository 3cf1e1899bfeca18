//! The pupil's photo as a PDF image XObject.
//!
//! - A baseline or progressive JPEG with 8-bit samples and one or three components is embedded
//!   as it is (`/DCTDecode`): no decoding, no quality lost.
//! - A PNG is decoded (8-bit, palette expanded, 16-bit samples reduced), its alpha channel, if
//!   any, composited over white (a photo on a white page looks the same, and the page needs no
//!   transparency group), and the samples compressed with `/FlateDecode`.
//! - Anything else — a CMYK JPEG (PDF/A with an sRGB output intent cannot show `DeviceCMYK`),
//!   12-bit JPEG, a damaged file, an image of more than [`MAX_PIXELS`] pixels — is not drawn;
//!   the page shows the empty photo frame, as for a record without a photo (the rules report
//!   the photo's problems).

/// The largest image decoded: a 3×4 portrait needs far less; this bounds the memory a hostile
/// PNG can ask for (3 bytes a pixel).
pub(crate) const MAX_PIXELS: u64 = 4_000_000;

/// The colour space of the samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Colour {
    Gray,
    Rgb,
}

/// How the samples are stored in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Samples {
    /// A JPEG file, as it is.
    Jpeg(Vec<u8>),
    /// Raw 8-bit samples, row by row (compressed when written).
    Raw(Vec<u8>),
}

/// An image ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Photo {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) colour: Colour,
    pub(crate) samples: Samples,
}

/// The photo of a decoded file (`None` when it cannot be shown; see the module's notes).
pub(crate) fn from_bytes(data: Vec<u8>) -> Option<Photo> {
    if data.starts_with(&[0xFF, 0xD8]) {
        let frame = jpeg_frame(&data)?;
        let colour = match frame.components {
            1 => Colour::Gray,
            3 => Colour::Rgb,
            _ => return None,
        };
        if frame.precision != 8
            || frame.width == 0
            || frame.height == 0
            || u64::from(frame.width) * u64::from(frame.height) > MAX_PIXELS
        {
            return None;
        }
        Some(Photo {
            width: u32::from(frame.width),
            height: u32::from(frame.height),
            colour,
            samples: Samples::Jpeg(data),
        })
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(&data)
    } else {
        None
    }
}

/// What the frame header (SOF) of a JPEG says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Frame {
    precision: u8,
    height: u16,
    width: u16,
    components: u8,
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

/// Walks the marker segments up to the first frame header. Every step moves forward, so the
/// walk ends on any input.
fn jpeg_frame(d: &[u8]) -> Option<Frame> {
    let mut i = 2usize;
    loop {
        if *d.get(i)? != 0xFF {
            return None;
        }
        // Fill bytes.
        while d.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let marker = *d.get(i + 1)?;
        match marker {
            0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            // End of image or start of scan before any frame header.
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = usize::from(be16(d, i + 2)?);
        if len < 2 {
            return None;
        }
        // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). Only the DCT processes PDF's
        // DCTDecode reads: baseline, extended and progressive Huffman (C0–C2).
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            if !matches!(marker, 0xC0..=0xC2) {
                return None;
            }
            let seg = d.get(i + 4..i + 2 + len)?;
            return Some(Frame {
                precision: *seg.first()?,
                height: be16(seg, 1)?,
                width: be16(seg, 3)?,
                components: *seg.get(5)?,
            });
        }
        i += 2 + len;
    }
}

/// Decodes a PNG to 8-bit gray or RGB samples, compositing any alpha over white.
fn png(data: &[u8]) -> Option<Photo> {
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(data),
        png::Limits {
            bytes: usize::try_from(MAX_PIXELS * 8).unwrap_or(usize::MAX),
        },
    );
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    {
        let info = reader.info();
        if info.width == 0
            || info.height == 0
            || u64::from(info.width) * u64::from(info.height) > MAX_PIXELS
        {
            return None;
        }
    }
    let mut buf = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut buf).ok()?;
    buf.truncate(frame.buffer_size());
    if frame.bit_depth != png::BitDepth::Eight {
        return None;
    }
    let (colour, samples) = match frame.color_type {
        png::ColorType::Grayscale => (Colour::Gray, buf),
        png::ColorType::Rgb => (Colour::Rgb, buf),
        png::ColorType::GrayscaleAlpha => (
            Colour::Gray,
            buf.chunks_exact(2)
                .map(|p| over_white(p[0], p[1]))
                .collect(),
        ),
        png::ColorType::Rgba => (
            Colour::Rgb,
            buf.chunks_exact(4)
                .flat_map(|p| {
                    [
                        over_white(p[0], p[3]),
                        over_white(p[1], p[3]),
                        over_white(p[2], p[3]),
                    ]
                })
                .collect(),
        ),
        // EXPAND turns a palette into RGB(A); nothing else remains.
        png::ColorType::Indexed => return None,
    };
    Some(Photo {
        width: frame.width,
        height: frame.height,
        colour,
        samples: Samples::Raw(samples),
    })
}

/// A sample with coverage `alpha` over white, rounded.
fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    // v·a/255 + 255·(255 − a)/255, rounded.
    let mixed = (v * a + 255 * (255 - a) + 127) / 255;
    u8::try_from(mixed).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sof(marker: u8, precision: u8, h: u16, w: u16, components: u8) -> Vec<u8> {
        let mut d = vec![0xFF, 0xD8];
        // An APP0 segment first, as in a JFIF file.
        d.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        d.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let len = 8 + 3 * u16::from(components);
        d.extend_from_slice(&[0xFF, marker]);
        d.extend_from_slice(&len.to_be_bytes());
        d.push(precision);
        d.extend_from_slice(&h.to_be_bytes());
        d.extend_from_slice(&w.to_be_bytes());
        d.push(components);
        for c in 0..components {
            d.extend_from_slice(&[c + 1, 0x11, 0]);
        }
        d.extend_from_slice(&[0xFF, 0xD9]);
        d
    }

    #[test]
    fn jpeg_frames_are_read_and_only_what_pdf_shows_is_kept() {
        let rgb = from_bytes(sof(0xC0, 8, 400, 300, 3)).expect("RGB baseline");
        assert_eq!((rgb.width, rgb.height, rgb.colour), (300, 400, Colour::Rgb));
        let gray = from_bytes(sof(0xC2, 8, 40, 30, 1)).expect("gray progressive");
        assert_eq!(gray.colour, Colour::Gray);
        assert!(matches!(gray.samples, Samples::Jpeg(_)));
        // CMYK, 12-bit, arithmetic coding, lossless, empty, too many pixels: not drawn.
        assert_eq!(from_bytes(sof(0xC0, 8, 40, 30, 4)), None);
        assert_eq!(from_bytes(sof(0xC1, 12, 40, 30, 3)), None);
        assert_eq!(from_bytes(sof(0xC9, 8, 40, 30, 3)), None);
        assert_eq!(from_bytes(sof(0xC3, 8, 40, 30, 3)), None);
        assert_eq!(from_bytes(sof(0xC0, 8, 0, 30, 3)), None);
        assert_eq!(from_bytes(sof(0xC0, 8, 65_535, 65_535, 3)), None);
    }

    #[test]
    fn damaged_jpegs_end_the_walk() {
        let good = sof(0xC0, 8, 400, 300, 3);
        for cut in 0..good.len() - 2 {
            let _ = from_bytes(good[..cut].to_vec());
        }
        assert_eq!(from_bytes(vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), None);
        assert_eq!(from_bytes(vec![0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), None);
        assert_eq!(from_bytes(vec![0xFF, 0xD8, 0x00]), None);
        assert_eq!(from_bytes(vec![0xFF, 0xD8, 0xFF, 0xFF, 0xFF]), None);
    }

    fn encode_png(w: u32, h: u32, colour: png::ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut e = png::Encoder::new(&mut out, w, h);
            e.set_color(colour);
            e.set_depth(png::BitDepth::Eight);
            let mut writer = e.write_header().expect("header");
            writer.write_image_data(data).expect("data");
        }
        out
    }

    #[test]
    fn png_alpha_is_composited_over_white() {
        let rgba = encode_png(
            2,
            1,
            png::ColorType::Rgba,
            &[255, 0, 0, 255, 0, 0, 0, 0], // opaque red, transparent black
        );
        let photo = from_bytes(rgba).expect("decodes");
        assert_eq!(photo.colour, Colour::Rgb);
        assert_eq!(photo.samples, Samples::Raw(vec![255, 0, 0, 255, 255, 255]));
        let ga = encode_png(1, 1, png::ColorType::GrayscaleAlpha, &[0, 128]);
        let photo = from_bytes(ga).expect("decodes");
        assert_eq!(photo.samples, Samples::Raw(vec![127]));
        let gray = encode_png(1, 2, png::ColorType::Grayscale, &[7, 9]);
        let photo = from_bytes(gray).expect("decodes");
        assert_eq!(
            (photo.colour, photo.samples),
            (Colour::Gray, Samples::Raw(vec![7, 9]))
        );
    }

    #[test]
    fn broken_pngs_are_not_drawn() {
        let good = encode_png(3, 3, png::ColorType::Rgb, &[9; 27]);
        for cut in [8, 20, 33, good.len() - 13] {
            assert_eq!(from_bytes(good[..cut].to_vec()), None, "cut at {cut}");
        }
        assert_eq!(from_bytes(b"GIF89a".to_vec()), None);
    }
}
