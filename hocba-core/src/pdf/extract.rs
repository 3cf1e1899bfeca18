//! Reading the embedded record back out of a document (`signing.md`, "Container"): the file
//! specification named `hocba.xml` in `/Names /EmbeddedFiles` (else in the catalog's `/AF`), its
//! embedded file stream decoded (Flate or none).
//!
//! The input may be hostile: its size is bounded ([`MAX_PDF_BYTES`]), every decompression is
//! bounded ([`MAX_XML_BYTES`]), the name tree walk is bounded in depth and nodes, and a parser
//! failure (or a panic inside the PDF parser) is a clean [`ExtractError`].

use std::collections::HashSet;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::EMBEDDED_FILE_NAME;

/// The largest PDF [`extract_xml`] reads (64 MiB).
pub const MAX_PDF_BYTES: usize = 64 * 1024 * 1024;
/// The largest embedded record [`extract_xml`] decodes: the readers' limit
/// ([`crate::xml::DEFAULT_MAX_BYTES`], 16 MiB).
pub const MAX_XML_BYTES: usize = crate::xml::DEFAULT_MAX_BYTES;
/// How deep a name tree may nest, and how many nodes it may have, before it is refused.
const MAX_TREE_DEPTH: usize = 32;
const MAX_TREE_NODES: usize = 4096;

/// Why the embedded record could not be read from a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("{}", self.message())]
pub enum ExtractError {
    /// The input is larger than [`MAX_PDF_BYTES`].
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The input does not start like a PDF (no `%PDF-` in its first 1,024 bytes).
    NotPdf,
    /// The PDF cannot be parsed (damaged, truncated or encrypted).
    Unreadable {
        /// The parser's description.
        reason: String,
    },
    /// The document has no embedded `hocba.xml`.
    NoEmbeddedRecord,
    /// The embedded `hocba.xml` is there but cannot be decoded (unknown filter, corrupt data, or
    /// larger than [`MAX_XML_BYTES`] once decoded).
    Undecodable {
        /// What is wrong.
        reason: String,
    },
}

impl ExtractError {
    /// The message in English.
    pub fn message(&self) -> String {
        match self {
            ExtractError::TooLarge { limit } => format!(
                "the file is larger than {limit} bytes, the limit for one document; check that it is a single record's PDF"
            ),
            ExtractError::NotPdf => {
                "the file is not a PDF (no %PDF- header in its first 1024 bytes); give the PDF rendered by hocba render".to_owned()
            }
            ExtractError::Unreadable { reason } => format!(
                "the PDF cannot be read ({reason}); the file may be damaged or encrypted, get the document again"
            ),
            ExtractError::NoEmbeddedRecord => format!(
                "the PDF has no embedded record {EMBEDDED_FILE_NAME}; it was not made by hocba render (or the attachment was removed)"
            ),
            ExtractError::Undecodable { reason } => format!(
                "the embedded record {EMBEDDED_FILE_NAME} cannot be decoded ({reason}); the file may be damaged, get the document again"
            ),
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            ExtractError::TooLarge { limit } => format!(
                "tệp lớn hơn {limit} byte, giới hạn cho một văn bản; kiểm tra tệp chỉ là PDF học bạ của một học sinh"
            ),
            ExtractError::NotPdf => {
                "tệp không phải PDF (không có phần đầu %PDF- trong 1024 byte đầu tiên); hãy dùng tệp PDF do hocba render tạo ra".to_owned()
            }
            ExtractError::Unreadable { reason } => format!(
                "không đọc được tệp PDF ({reason}); tệp có thể bị hỏng hoặc bị mã hóa, hãy lấy lại văn bản"
            ),
            ExtractError::NoEmbeddedRecord => format!(
                "tệp PDF không có học bạ đính kèm {EMBEDDED_FILE_NAME}; tệp không do hocba render tạo ra (hoặc tệp đính kèm đã bị gỡ)"
            ),
            ExtractError::Undecodable { reason } => format!(
                "không giải mã được học bạ đính kèm {EMBEDDED_FILE_NAME} ({reason}); tệp có thể bị hỏng, hãy lấy lại văn bản"
            ),
        }
    }
}

fn unreadable(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Unreadable {
        reason: e.to_string(),
    }
}

/// The bytes of the record embedded in a document rendered by [`super::render`] (or signed
/// since): the file `hocba.xml` found through `/Names /EmbeddedFiles`, else through `/AF`,
/// decoded. The bytes are returned as stored; they are not parsed.
///
/// ```
/// use hocba_core::pdf::{extract_xml, render, RenderSettings};
/// let xml = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
/// let record = hocba_core::read_record(&xml).unwrap();
/// let pdf = render(&record, &RenderSettings::default()).unwrap();
/// assert_eq!(extract_xml(&pdf).unwrap(), xml);
/// ```
pub fn extract_xml(pdf: &[u8]) -> Result<Vec<u8>, ExtractError> {
    if pdf.len() > MAX_PDF_BYTES {
        return Err(ExtractError::TooLarge {
            limit: MAX_PDF_BYTES,
        });
    }
    let head = &pdf[..pdf.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(ExtractError::NotPdf);
    }
    // The parser is not ours: a panic inside it on a crafted file is reported as unreadable.
    std::panic::catch_unwind(|| extract_inner(pdf)).unwrap_or_else(|_| {
        Err(ExtractError::Unreadable {
            reason: "the PDF parser failed".to_owned(),
        })
    })
}

fn extract_inner(pdf: &[u8]) -> Result<Vec<u8>, ExtractError> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_XML_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(pdf, options).map_err(unreadable)?;
    xml_of(&doc)
}

/// The embedded record of a document already loaded (with streams decoded to at most
/// [`MAX_XML_BYTES`]), as [`extract_xml`] finds it.
pub(crate) fn xml_of(doc: &Document) -> Result<Vec<u8>, ExtractError> {
    let catalog = doc.catalog().map_err(unreadable)?;

    let spec = embedded_files_spec(doc, catalog).or_else(|| af_spec(doc, catalog));
    let Some(spec) = spec else {
        return Err(ExtractError::NoEmbeddedRecord);
    };
    let ef = spec
        .get(b"EF")
        .ok()
        .and_then(|o| resolve_dict(doc, o))
        .ok_or(ExtractError::NoEmbeddedRecord)?;
    let stream_obj = ef
        .get(b"UF")
        .or_else(|_| ef.get(b"F"))
        .map_err(|_| ExtractError::NoEmbeddedRecord)?;
    let stream = resolve(doc, stream_obj)
        .and_then(|o| o.as_stream().ok())
        .ok_or(ExtractError::NoEmbeddedRecord)?;
    let bytes = stream
        .decompressed_content_with_limit(MAX_XML_BYTES)
        .map_err(|e| ExtractError::Undecodable {
            reason: e.to_string(),
        })?;
    Ok(bytes)
}

/// Follows references (a bounded number of times).
fn resolve<'a>(doc: &'a Document, mut o: &'a Object) -> Option<&'a Object> {
    for _ in 0..8 {
        match o {
            Object::Reference(id) => o = doc.get_object(*id).ok()?,
            _ => return Some(o),
        }
    }
    None
}

fn resolve_dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    resolve(doc, o).and_then(|o| o.as_dict().ok())
}

/// A PDF text string (PDFDocEncoding/ASCII, or UTF-16BE with a byte-order mark) is `name`.
fn text_is(bytes: &[u8], name: &str) -> bool {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        if utf16.len() % 2 != 0 {
            return false;
        }
        let units = utf16
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]));
        return char::decode_utf16(units)
            .map(|c| c.ok())
            .collect::<Option<String>>()
            .is_some_and(|s| s == name);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8 == name.as_bytes();
    }
    bytes == name.as_bytes()
}

/// The file specification named `hocba.xml` in the `/EmbeddedFiles` name tree.
fn embedded_files_spec<'a>(doc: &'a Document, catalog: &'a Dictionary) -> Option<&'a Dictionary> {
    let names = resolve_dict(doc, catalog.get(b"Names").ok()?)?;
    let root = resolve_dict(doc, names.get(b"EmbeddedFiles").ok()?)?;
    let mut seen: HashSet<ObjectId> = HashSet::new();
    // (node, depth): an explicit stack, so a deep or cyclic tree cannot exhaust the call stack.
    let mut stack: Vec<(&Dictionary, usize)> = vec![(root, 0)];
    let mut nodes = 0usize;
    while let Some((node, depth)) = stack.pop() {
        nodes += 1;
        if nodes > MAX_TREE_NODES {
            return None;
        }
        if let Some(entries) = node
            .get(b"Names")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            for pair in entries.chunks_exact(2) {
                let key = resolve(doc, &pair[0]).and_then(|o| o.as_str().ok());
                if key.is_some_and(|k| text_is(k, super::EMBEDDED_FILE_NAME)) {
                    if let Some(spec) = resolve_dict(doc, &pair[1]) {
                        return Some(spec);
                    }
                }
            }
        }
        if depth >= MAX_TREE_DEPTH {
            continue;
        }
        if let Some(kids) = node
            .get(b"Kids")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            // Pushed in reverse so the leftmost kid is visited first.
            for kid in kids.iter().rev() {
                if let Object::Reference(id) = kid {
                    if !seen.insert(*id) {
                        continue;
                    }
                }
                if let Some(d) = resolve_dict(doc, kid) {
                    stack.push((d, depth + 1));
                }
            }
        }
    }
    None
}

/// The file specification in the catalog's `/AF` whose `/UF` or `/F` is `hocba.xml`.
fn af_spec<'a>(doc: &'a Document, catalog: &'a Dictionary) -> Option<&'a Dictionary> {
    let af = resolve(doc, catalog.get(b"AF").ok()?)?.as_array().ok()?;
    af.iter()
        .take(MAX_TREE_NODES)
        .filter_map(|o| resolve_dict(doc, o))
        .find(|spec| {
            [&b"UF"[..], &b"F"[..]].iter().any(|key| {
                spec.get(key)
                    .ok()
                    .and_then(|o| resolve(doc, o))
                    .and_then(|o| o.as_str().ok())
                    .is_some_and(|s| text_is(s, super::EMBEDDED_FILE_NAME))
            })
        })
}
