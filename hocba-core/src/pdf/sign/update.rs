//! Reading the document's form and writing the incremental update (ISO 32000-1, 7.5.6): the new
//! signature dictionary, the field with its `/V`, the AcroForm with `/SigFlags 3`, the catalog
//! with `/Perms /DocMDP` for a certification signature, a classic xref section with `/Prev`, the
//! trailer and `%%EOF`. Earlier bytes are never rewritten.

use std::collections::HashSet;
use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat, Writer};

use super::SignError;

/// How deep `/Kids` may nest and how many fields are visited before the form is refused.
const MAX_FIELD_DEPTH: usize = 16;
const MAX_FIELDS: usize = 4096;

pub(crate) fn unreadable(e: impl std::fmt::Display) -> SignError {
    SignError::Unreadable {
        reason: e.to_string(),
    }
}

/// A terminal form field.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) id: ObjectId,
    pub(crate) dict: Dictionary,
}

impl Field {
    pub(crate) fn is_signature(&self) -> bool {
        matches!(self.dict.get(b"FT"), Ok(Object::Name(n)) if n == b"Sig")
    }
    pub(crate) fn is_signed(&self) -> bool {
        self.dict.get(b"V").is_ok_and(|v| !v.is_null())
    }
}

/// The document as loaded, with what signing needs.
pub(crate) struct Loaded {
    pub(crate) doc: Document,
    pub(crate) fields: Vec<Field>,
    /// The offset of the last cross-reference section (`startxref`).
    pub(crate) prev_xref: usize,
}

/// A PDF text string as Rust text (PDFDocEncoding read as Latin-1, or UTF-16BE with a BOM).
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units = utf16
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]));
        return char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A PDF text string: literal when ASCII, else UTF-16BE with a BOM (hex).
pub(crate) fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The value of the last `startxref` of the file.
fn last_startxref(pdf: &[u8]) -> Result<usize, SignError> {
    let at = memchr::memmem::rfind(pdf, b"startxref").ok_or_else(|| unreadable("no startxref"))?;
    let rest = &pdf[at + b"startxref".len()..];
    let digits: Vec<u8> = rest
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits)
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&x| x < pdf.len())
        .ok_or_else(|| unreadable("startxref is not a file offset"))
}

fn resolve<'a>(doc: &'a Document, mut o: &'a Object) -> Option<&'a Object> {
    for _ in 0..8 {
        match o {
            Object::Reference(id) => o = doc.get_object(*id).ok()?,
            _ => return Some(o),
        }
    }
    None
}

/// Loads the document and lists the terminal fields of `/AcroForm /Fields` (through `/Kids`).
pub(crate) fn load(pdf: &[u8]) -> Result<Loaded, SignError> {
    // Streams decoded to at most the size of an embedded record: enough for object streams and
    // for `hocba.xml`, which signing reads from this same load.
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(crate::pdf::extract::MAX_XML_BYTES),
        ..lopdf::LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(pdf, options).map_err(unreadable)?;
    if doc.xref_recovery.is_some() {
        return Err(unreadable("its cross-reference table is damaged"));
    }
    if doc.trailer.has(b"Encrypt") {
        return Err(unreadable("it is encrypted"));
    }
    let prev_xref = last_startxref(pdf)?;
    let mut fields = Vec::new();
    let catalog = doc.catalog().map_err(unreadable)?;
    let form = catalog
        .get(b"AcroForm")
        .ok()
        .and_then(|o| resolve(&doc, o))
        .and_then(|o| o.as_dict().ok());
    if let Some(form) = form {
        let roots = form
            .get(b"Fields")
            .ok()
            .and_then(|o| resolve(&doc, o))
            .and_then(|o| o.as_array().ok())
            .cloned()
            .unwrap_or_default();
        // (object, parent's full name, depth)
        let mut stack: Vec<(Object, String, usize)> = roots
            .into_iter()
            .rev()
            .map(|o| (o, String::new(), 0))
            .collect();
        let mut seen: HashSet<ObjectId> = HashSet::new();
        while let Some((object, parent, depth)) = stack.pop() {
            if seen.len() >= MAX_FIELDS || depth > MAX_FIELD_DEPTH {
                return Err(unreadable(
                    "the form has too many or too deeply nested fields",
                ));
            }
            let Object::Reference(id) = object else {
                continue; // fields are indirect objects (ISO 32000-1, 12.7.3.1)
            };
            if !seen.insert(id) {
                continue;
            }
            let Ok(dict) = doc.get_dictionary(id) else {
                continue;
            };
            let partial = dict
                .get(b"T")
                .ok()
                .and_then(|t| t.as_str().ok())
                .map(decode_text);
            let name = match (&partial, parent.is_empty()) {
                (Some(p), true) => p.clone(),
                (Some(p), false) => format!("{parent}.{p}"),
                (None, _) => parent.clone(),
            };
            let kids = dict
                .get(b"Kids")
                .ok()
                .and_then(|o| resolve(&doc, o))
                .and_then(|o| o.as_array().ok());
            // Kids with a /T are fields; without, they are widgets of this field.
            let field_kids: Vec<Object> = kids
                .map(|k| {
                    k.iter()
                        .filter(|kid| {
                            kid.as_reference()
                                .ok()
                                .and_then(|kid| doc.get_dictionary(kid).ok())
                                .is_some_and(|d| d.has(b"T"))
                        })
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            if field_kids.is_empty() {
                fields.push(Field {
                    name,
                    id,
                    dict: dict.clone(),
                });
            } else {
                for kid in field_kids.into_iter().rev() {
                    stack.push((kid, name.clone(), depth + 1));
                }
            }
        }
    }
    Ok(Loaded {
        doc,
        fields,
        prev_xref,
    })
}

/// What the update writes besides the signature dictionary.
pub(crate) struct UpdatePlan<'a> {
    pub(crate) field: &'a Field,
    /// Add `/Perms << /DocMDP sig >>` to the catalog and a DocMDP reference to the signature.
    pub(crate) certify_p: Option<u8>,
    /// The signature dictionary's entries after `/Contents`, in order (`/M`, `/Name`, ...).
    pub(crate) entries: Vec<(&'static str, Object)>,
    /// Bytes reserved for the DER signature (the hex string is twice as long).
    pub(crate) reserve: usize,
    /// The visible appearance: new objects numbered from [`next_number`] + 1, and the form
    /// XObject the field's `/AP /N` now names.
    pub(crate) appearance: Option<super::appearance::AppearanceObjects>,
}

/// The number of the update's first new object (the signature dictionary).
pub(crate) fn next_number(loaded: &Loaded) -> u32 {
    let doc = &loaded.doc;
    let size = doc
        .trailer
        .get(b"Size")
        .ok()
        .and_then(|s| s.as_i64().ok())
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0);
    size.max(doc.max_id.saturating_add(1))
}

/// The width and height of the field's widget when the field is its own widget (as hocba
/// renders it) and has a `/Rect`; `None` otherwise (the signature is then not drawn).
pub(crate) fn widget_size(loaded: &Loaded, field: &Field) -> Option<(f32, f32)> {
    let doc = &loaded.doc;
    if !matches!(field.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Widget") {
        return None;
    }
    let rect = field.dict.get(b"Rect").ok().and_then(|o| resolve(doc, o))?;
    let values: Vec<f32> = rect
        .as_array()
        .ok()?
        .iter()
        .map(|v| resolve(doc, v).and_then(|v| v.as_float().ok()))
        .collect::<Option<_>>()?;
    let [x1, y1, x2, y2] = values.as_slice() else {
        return None;
    };
    Some(((x2 - x1).abs(), (y2 - y1).abs()))
}

/// The update written with placeholders: the whole new file, and where to patch it.
pub(crate) struct Prepared {
    pub(crate) bytes: Vec<u8>,
    /// Offset of the `/ByteRange` array's placeholder (inside `[` … `]`) and its width.
    pub(crate) byte_range_at: usize,
    pub(crate) byte_range_width: usize,
    /// Offset of `<` and one past `>` of `/Contents`.
    pub(crate) contents_start: usize,
    pub(crate) contents_end: usize,
}

fn write_obj(out: &mut Vec<u8>, object: &Object) -> Result<(), SignError> {
    Writer::write_object(out, object).map_err(unreadable)
}

fn write_indirect(
    out: &mut Vec<u8>,
    offsets: &mut Vec<(ObjectId, usize)>,
    id: ObjectId,
    object: &Object,
) -> Result<(), SignError> {
    offsets.push((id, out.len()));
    writeln!(out, "{} {} obj", id.0, id.1).map_err(unreadable)?;
    write_obj(out, object)?;
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

const BYTE_RANGE_WIDTH: usize = 40;

/// Writes the incremental update after `pdf` with `/ByteRange` and `/Contents` placeholders.
pub(crate) fn prepare(
    pdf: &[u8],
    loaded: &Loaded,
    plan: &UpdatePlan<'_>,
) -> Result<Prepared, SignError> {
    let doc = &loaded.doc;
    let sig_number = next_number(loaded);
    let sig_id: ObjectId = (sig_number, 0);
    let mut last_number = sig_number;

    let mut out = Vec::with_capacity(pdf.len() + plan.reserve * 2 + 4096);
    out.extend_from_slice(pdf);
    if !matches!(pdf.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    let mut offsets: Vec<(ObjectId, usize)> = Vec::new();

    // The signature dictionary, written by hand to know where the placeholders are.
    offsets.push((sig_id, out.len()));
    write!(
        out,
        "{} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [",
        sig_number
    )
    .map_err(unreadable)?;
    let byte_range_at = out.len();
    out.extend(std::iter::repeat_n(b' ', BYTE_RANGE_WIDTH));
    out.extend_from_slice(b"] /Contents ");
    let contents_start = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', plan.reserve * 2));
    out.push(b'>');
    let contents_end = out.len();
    if let Some(p) = plan.certify_p {
        write!(
            out,
            " /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P {p} /V /1.2 >> >>]"
        )
        .map_err(unreadable)?;
    }
    for (key, value) in &plan.entries {
        write!(out, " /{key} ").map_err(unreadable)?;
        write_obj(&mut out, value)?;
    }
    out.extend_from_slice(b" >>\nendobj\n");

    // The appearance's objects, then the field, now with its value (and appearance).
    let mut field = plan.field.dict.clone();
    field.set("V", Object::Reference(sig_id));
    if let Some(appearance) = &plan.appearance {
        for (id, object) in &appearance.objects {
            if id.0 <= sig_number || id.1 != 0 {
                return Err(unreadable("the appearance objects are misnumbered"));
            }
            last_number = last_number.max(id.0);
            write_indirect(&mut out, &mut offsets, *id, object)?;
        }
        let mut ap = Dictionary::new();
        ap.set("N", Object::Reference(appearance.form));
        field.set("AP", Object::Dictionary(ap));
    }
    write_indirect(
        &mut out,
        &mut offsets,
        plan.field.id,
        &Object::Dictionary(field),
    )?;

    // The AcroForm (with /SigFlags 3: signatures exist, append only) and the catalog.
    let root_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(unreadable)?;
    let mut catalog = doc.catalog().map_err(unreadable)?.clone();
    let mut catalog_changed = false;
    match catalog.get(b"AcroForm") {
        Ok(Object::Reference(form_id)) => {
            let form_id = *form_id;
            let mut form = doc.get_dictionary(form_id).map_err(unreadable)?.clone();
            if form.get(b"SigFlags").ok().and_then(|f| f.as_i64().ok()) != Some(3) {
                form.set("SigFlags", 3);
                write_indirect(&mut out, &mut offsets, form_id, &Object::Dictionary(form))?;
            }
        }
        Ok(Object::Dictionary(form)) => {
            let mut form = form.clone();
            if form.get(b"SigFlags").ok().and_then(|f| f.as_i64().ok()) != Some(3) {
                form.set("SigFlags", 3);
                catalog.set("AcroForm", Object::Dictionary(form));
                catalog_changed = true;
            }
        }
        _ => return Err(unreadable("the document has no AcroForm")),
    }
    if plan.certify_p.is_some() {
        let mut perms = match catalog.get(b"Perms").ok().and_then(|o| resolve(doc, o)) {
            Some(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        perms.set("DocMDP", Object::Reference(sig_id));
        catalog.set("Perms", Object::Dictionary(perms));
        catalog_changed = true;
    }
    if catalog_changed {
        write_indirect(
            &mut out,
            &mut offsets,
            root_id,
            &Object::Dictionary(catalog),
        )?;
    }

    // The cross-reference section: one subsection per run of consecutive object numbers.
    let xref_at = out.len();
    offsets.sort_by_key(|(id, _)| id.0);
    out.extend_from_slice(b"xref\n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i + 1;
        while j < offsets.len() && offsets[j].0 .0 == offsets[j - 1].0 .0 + 1 {
            j += 1;
        }
        writeln!(out, "{} {}", offsets[i].0 .0, j - i).map_err(unreadable)?;
        for ((_, generation), offset) in &offsets[i..j] {
            write!(out, "{offset:010} {generation:05} n\r\n").map_err(unreadable)?;
        }
        i = j;
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", i64::from(last_number) + 1);
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            trailer.set(key.to_vec(), value.clone());
        }
    }
    trailer.set("Prev", i64::try_from(loaded.prev_xref).map_err(unreadable)?);
    out.extend_from_slice(b"trailer\n");
    write_obj(&mut out, &Object::Dictionary(trailer))?;
    write!(out, "\nstartxref\n{xref_at}\n%%EOF\n").map_err(unreadable)?;

    Ok(Prepared {
        bytes: out,
        byte_range_at,
        byte_range_width: BYTE_RANGE_WIDTH,
        contents_start,
        contents_end,
    })
}

impl Prepared {
    /// Fills `/ByteRange` and returns it.
    pub(crate) fn fill_byte_range(&mut self) -> Result<[usize; 4], SignError> {
        let len = self.bytes.len();
        let range = [
            0,
            self.contents_start,
            self.contents_end,
            len - self.contents_end,
        ];
        let text = format!("{} {} {} {}", range[0], range[1], range[2], range[3]);
        if text.len() > self.byte_range_width {
            return Err(unreadable("the document is too large for the /ByteRange"));
        }
        let slot = &mut self.bytes[self.byte_range_at..self.byte_range_at + self.byte_range_width];
        slot[..text.len()].copy_from_slice(text.as_bytes());
        Ok(range)
    }

    /// The bytes the signature covers: everything but the `/Contents` string.
    pub(crate) fn covered(&self) -> (&[u8], &[u8]) {
        (
            &self.bytes[..self.contents_start],
            &self.bytes[self.contents_end..],
        )
    }
}

/// Writes the DER signature into the `/Contents` hex string `bytes[start..end]` (`<` … `>`), the
/// rest of the reserve left as zeros.
pub(crate) fn fill_contents(
    bytes: &mut [u8],
    start: usize,
    end: usize,
    der: &[u8],
) -> Result<(), SignError> {
    let reserved = (end - start - 2) / 2;
    if der.len() > reserved {
        return Err(SignError::ContentsTooSmall {
            needed: der.len(),
            reserved,
        });
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let slot = &mut bytes[start + 1..end - 1];
    for (i, b) in der.iter().enumerate() {
        slot[2 * i] = HEX[usize::from(b >> 4)];
        slot[2 * i + 1] = HEX[usize::from(b & 0x0F)];
    }
    Ok(())
}
