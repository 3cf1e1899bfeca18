//! The post-step after krilla: what krilla 0.8 cannot write.
//!
//! - the empty signature fields `GVCN`, `HT` (and `DAU`): merged field/widget dictionaries with
//!   `/FT /Sig`, `/F 4` (print, as PDF/A requires), `/P`, and an empty appearance stream, listed
//!   in `/AcroForm /Fields` and in the year page's `/Annots`;
//! - the `hb:` properties and their PDF/A extension schema declaration in the XMP packet.
//!
//! The file is read back with lopdf and written again in one piece (no incremental update: the
//! rendered document is a single revision, so the first signature covers one clean revision).
//! lopdf keeps object numbers, dictionary order and the trailer `/ID`; the output depends only on
//! its input, so rendering stays deterministic.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::canvas::{SignatureBox, PAGE_H};
use crate::pdf::RenderError;

/// The values of the `hb:` XMP properties.
pub(crate) struct XmpFields<'a> {
    pub(crate) record_id: &'a str,
    pub(crate) school_year: &'a str,
}

fn post_error(e: impl std::fmt::Display) -> RenderError {
    RenderError::Pdf {
        reason: format!("post-processing: {e}"),
    }
}

/// A text string in UTF-16BE with a byte-order mark.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
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
fn r2(v: f32) -> Object {
    Object::Real(((v * 100.0).round() / 100.0) as _)
}

/// Adds the signature fields and the `hb:` XMP to krilla's output.
pub(crate) fn finish(
    pdf: &[u8],
    boxes: &[SignatureBox],
    xmp: &XmpFields<'_>,
    _debug: bool,
) -> Result<Vec<u8>, RenderError> {
    let mut doc = Document::load_mem(pdf).map_err(post_error)?;
    let pages = doc.get_pages();

    // Fields in signing order: GVCN, HT, DAU.
    let order = |name: &str| match name {
        "GVCN" => 0,
        "HT" => 1,
        _ => 2,
    };
    let mut sorted: Vec<&SignatureBox> = boxes.iter().collect();
    sorted.sort_by_key(|b| order(b.name));
    let mut fields: Vec<Object> = Vec::new();
    for b in sorted {
        let page_number = u32::try_from(b.page + 1).map_err(post_error)?;
        let Some(&page_id) = pages.get(&page_number) else {
            return Err(post_error("a signature box is on no page"));
        };
        let appearance = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => vec![r2(0.0), r2(0.0), r2(b.w), r2(b.h)],
                "Resources" => Dictionary::new(),
            },
            Vec::new(),
        );
        let appearance_id = doc.add_object(appearance);
        let rect = vec![
            r2(b.x),
            r2(PAGE_H - (b.y + b.h)),
            r2(b.x + b.w),
            r2(PAGE_H - b.y),
        ];
        let field = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Widget",
            "FT" => "Sig",
            "T" => Object::string_literal(b.name),
            "TU" => text_string(role_description(b.name)),
            "F" => 4,
            "Rect" => rect,
            "P" => page_id,
            "AP" => dictionary! { "N" => appearance_id },
        };
        let field_id = doc.add_object(field);
        add_annotation(&mut doc, page_id, field_id)?;
        fields.push(Object::Reference(field_id));
    }
    if !fields.is_empty() {
        let form = doc.add_object(dictionary! { "Fields" => fields });
        doc.catalog_mut()
            .map_err(post_error)?
            .set("AcroForm", Object::Reference(form));
    }

    add_xmp_schema(&mut doc, xmp)?;

    let mut out = Vec::with_capacity(pdf.len() + 4096);
    doc.save_to(&mut out).map_err(post_error)?;
    out.push(b'\n');
    Ok(out)
}

fn add_annotation(
    doc: &mut Document,
    page_id: ObjectId,
    annot: ObjectId,
) -> Result<(), RenderError> {
    // `/Annots` may be a direct array or a reference to one.
    let existing = doc
        .get_dictionary(page_id)
        .map_err(post_error)?
        .get(b"Annots")
        .ok()
        .cloned();
    match existing {
        Some(Object::Reference(id)) => {
            if let Ok(Object::Array(a)) = doc.get_object_mut(id) {
                a.push(Object::Reference(annot));
                return Ok(());
            }
            Err(post_error("the page's /Annots is not an array"))
        }
        Some(Object::Array(mut a)) => {
            a.push(Object::Reference(annot));
            doc.get_dictionary_mut(page_id)
                .map_err(post_error)?
                .set("Annots", Object::Array(a));
            Ok(())
        }
        _ => {
            doc.get_dictionary_mut(page_id)
                .map_err(post_error)?
                .set("Annots", vec![Object::Reference(annot)]);
            Ok(())
        }
    }
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
            _ => out.push(c),
        }
    }
    out
}

/// The PDF/A extension schema declaring the `hb:` properties (ISO 19005-3, 6.6.2.3), and the
/// properties themselves.
fn hb_description(xmp: &XmpFields<'_>) -> String {
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
    format!(
        "<rdf:Description rdf:about=\"\" \
xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\
<pdfaSchema:schema>hocba digital primary-school record</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>urn:hocba:pdfa:1#</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>hb</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\
<rdf:Description rdf:about=\"\" xmlns:hb=\"urn:hocba:pdfa:1#\">\
<hb:DocumentFileName>hocba.xml</hb:DocumentFileName>\
<hb:DocumentType>HOC_BA_TIEU_HOC</hb:DocumentType>\
<hb:Version>1</hb:Version>\
<hb:RecordId>{}</hb:RecordId>\
<hb:SchoolYear>{}</hb:SchoolYear>\
</rdf:Description>",
        xml_escape(xmp.record_id),
        xml_escape(xmp.school_year)
    )
}

fn add_xmp_schema(doc: &mut Document, xmp: &XmpFields<'_>) -> Result<(), RenderError> {
    let metadata_id = doc
        .catalog()
        .map_err(post_error)?
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .map_err(post_error)?;
    let Ok(Object::Stream(stream)) = doc.get_object_mut(metadata_id) else {
        return Err(post_error("the XMP metadata is not a stream"));
    };
    if stream.dict.get(b"Filter").is_ok() {
        return Err(post_error("the XMP metadata is compressed"));
    }
    let packet = String::from_utf8(stream.content.clone()).map_err(post_error)?;
    let Some(at) = packet.rfind("</rdf:RDF>") else {
        return Err(post_error("the XMP metadata has no rdf:RDF element"));
    };
    let mut updated = String::with_capacity(packet.len() + 2048);
    updated.push_str(&packet[..at]);
    updated.push_str(&hb_description(xmp));
    updated.push_str(&packet[at..]);
    stream.set_content(updated.into_bytes());
    Ok(())
}
