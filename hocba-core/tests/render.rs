//! Rendering (`signing.md`, "Container"): every valid fixture renders to a PDF/A-3b document that
//! qpdf accepts, whose fonts are embedded subsets with ToUnicode, whose text extracts exactly,
//! which embeds the cut-down record byte for byte, carries the empty signature fields on the
//! year page, and comes out identical when rendered twice.
//!
//! External tools (qpdf, pdffonts, pdftotext from poppler-utils) are skipped when missing,
//! unless `CI` is set. `HOCBA_RENDER_OUT=dir` also writes the rendered documents there (used by
//! `scripts/render-previews.sh`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use hocba_core::model::Record;
use hocba_core::pdf::{self, RenderError, RenderSettings, SealMode};
use lopdf::{Document, Object};

/// True when the tool can run; panics when it cannot and `CI` is set.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("{tool} is required when CI is set (apt-get install qpdf poppler-utils)");
    }
    if !ok {
        eprintln!("skipping the {tool} checks: {tool} is not installed");
    }
    ok
}

fn tmp_pdf(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("render");
    std::fs::create_dir_all(&dir).expect("create the temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

fn run(tool: &str, args: &[&str], path: &Path, after: &[&str]) -> (bool, String) {
    let out = Command::new(tool)
        .args(args)
        .arg(path)
        .args(after)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// Every (fixture, school year, record) to render.
fn cases() -> Vec<(String, String, Record)> {
    let mut cases = Vec::new();
    for path in common::valid_fixtures("xml") {
        let record = hocba_core::read_record(&common::read(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("record")
            .to_owned();
        for year in &record.years {
            let label = year
                .school_year
                .as_ref()
                .map(|y| y.as_str().to_owned())
                .expect("valid fixtures have school years");
            cases.push((stem.clone(), label, record.clone()));
        }
    }
    cases
}

fn settings(year: &str) -> RenderSettings {
    RenderSettings {
        year: Some(year.to_owned()),
        ..RenderSettings::default()
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The texts of the year page a reader must find in the PDF.
fn expected_texts(cut: &Record) -> Vec<String> {
    let mut texts: Vec<String> = [
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "HỌC BẠ",
        "TIỂU HỌC",
        "Họ và tên học sinh:",
        "THÔNG TIN HỌC SINH",
        "QUÁ TRÌNH HỌC TẬP",
        "1. Các môn học và hoạt động giáo dục",
        "2. Những phẩm chất chủ yếu",
        "3. Những năng lực cốt lõi",
        "Năng lực chung",
        "Năng lực đặc thù",
        "4. Đánh giá kết quả giáo dục:",
        "5. Khen thưởng:",
        "XÁC NHẬN CỦA HIỆU TRƯỞNG",
        "GIÁO VIÊN CHỦ NHIỆM",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let mut push = |t: Option<&hocba_core::model::Text>| {
        if let Some(t) = t {
            texts.push(t.as_str().to_owned());
        }
    };
    let pupil = cut.pupil.as_ref().expect("pupil");
    push(pupil.full_name.as_ref());
    push(pupil.father_name.as_ref());
    push(pupil.mother_name.as_ref());
    push(pupil.current_address.as_ref());
    push(pupil.place_of_birth.as_ref());
    push(pupil.hometown.as_ref());
    push(pupil.personal_id.as_ref());
    let school = cut.school.as_ref().expect("school");
    push(school.name.as_ref());
    push(school.commune.as_ref());
    push(school.province.as_ref());
    for h in &cut.history {
        push(h.class_name.as_ref());
        push(h.school_name.as_ref());
        push(h.registration_number.as_ref());
    }
    let year = &cut.years[0];
    push(year.class_name.as_ref());
    push(year.homeroom_teacher.as_ref());
    push(year.principal.as_ref());
    push(year.place_name.as_ref());
    for s in &year.subjects {
        push(s.comment.as_ref());
        if let Some(code) = &s.code {
            if let Some(info) = hocba_core::rules::lists::subject(code) {
                push(Some(&hocba_core::model::Text::from(info.name)));
            }
        }
    }
    for q in &year.qualities {
        push(q.comment.as_ref());
    }
    for q in &year.competencies {
        push(q.comment.as_ref());
    }
    for k in &year.commendations {
        push(k.content.as_ref());
    }
    texts.into_iter().filter(|t| !t.trim().is_empty()).collect()
}

#[test]
fn every_fixture_year_renders_valid_and_deterministic() {
    let out_dir = std::env::var_os("HOCBA_RENDER_OUT").map(PathBuf::from);
    let (qpdf, pdffonts, pdftotext) = (have("qpdf"), have("pdffonts"), have("pdftotext"));
    for (stem, year, record) in cases() {
        let name = format!("{stem}-{year}.pdf");
        let s = settings(&year);
        let bytes = pdf::render(&record, &s).unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = pdf::render(&record, &s).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(bytes == again, "{name}: two renderings differ");
        assert!(bytes.starts_with(b"%PDF-1.7\n%"), "{name}: header");
        let cut = pdf::cut_to_year(&record, Some(&year)).expect("cut");
        check_structure(&name, &bytes, &cut);
        if let Some(dir) = &out_dir {
            std::fs::create_dir_all(dir).expect("create HOCBA_RENDER_OUT");
            std::fs::write(dir.join(&name), &bytes).expect("write");
        }
        let path = tmp_pdf(&name, &bytes);
        if qpdf {
            let (ok, text) = run("qpdf", &["--check"], &path, &[]);
            assert!(ok, "{name}: qpdf --check failed:\n{text}");
        }
        if pdffonts {
            let (ok, text) = run("pdffonts", &[], &path, &[]);
            assert!(ok, "{name}: pdffonts failed:\n{text}");
            let rows: Vec<&str> = text.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{name}: no font");
            for row in rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                // name type encoding emb sub uni object ID
                let n = cols.len();
                assert!(n >= 7, "{name}: pdffonts row {row}");
                assert_eq!(
                    &cols[n - 5..n - 2],
                    &["yes", "yes", "yes"],
                    "{name}: font not embedded+subset+ToUnicode: {row}"
                );
                assert!(
                    cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
                    "{name}: font name without a subset tag: {row}"
                );
            }
        }
        if pdftotext {
            let (ok, text) = run("pdftotext", &["-enc", "UTF-8"], &path, &["-"]);
            assert!(ok, "{name}: pdftotext failed");
            let all = collapse(&text);
            for want in expected_texts(&cut) {
                assert!(
                    all.contains(&collapse(&want)),
                    "{name}: pdftotext output lacks {want:?}"
                );
            }
        }
    }
}

/// The embedded file, the XMP and the signature fields, read back with lopdf.
fn check_structure(name: &str, bytes: &[u8], cut: &Record) {
    let doc = Document::load_mem(bytes).unwrap_or_else(|e| panic!("{name}: lopdf: {e}"));
    let catalog = doc.catalog().expect("catalog");

    // Embedded hocba.xml: /Names /EmbeddedFiles and /AF point at the same file specification.
    let names = deref_dict(&doc, catalog.get(b"Names").expect("/Names"));
    let ef_tree = deref_dict(&doc, names.get(b"EmbeddedFiles").expect("/EmbeddedFiles"));
    let entries = ef_tree
        .get(b"Names")
        .and_then(Object::as_array)
        .expect("name tree /Names");
    assert_eq!(entries.len(), 2, "{name}: one embedded file");
    assert_eq!(
        entries[0].as_str().expect("file name"),
        b"hocba.xml",
        "{name}: embedded file name"
    );
    let spec_ref = entries[1].as_reference().expect("file spec reference");
    let af = catalog
        .get(b"AF")
        .and_then(Object::as_array)
        .expect("catalog /AF");
    assert!(
        af.iter().any(|o| o.as_reference().ok() == Some(spec_ref)),
        "{name}: /AF lacks the file specification"
    );
    let spec = doc.get_dictionary(spec_ref).expect("file spec");
    assert_eq!(
        spec.get(b"F").and_then(Object::as_str).ok(),
        Some(&b"hocba.xml"[..])
    );
    assert!(spec.get(b"UF").is_ok(), "{name}: /UF");
    assert!(spec.get(b"Desc").is_ok(), "{name}: /Desc");
    assert_eq!(
        spec.get(b"AFRelationship").and_then(Object::as_name).ok(),
        Some(&b"Data"[..]),
        "{name}: /AFRelationship"
    );
    let ef = deref_dict(&doc, spec.get(b"EF").expect("/EF"));
    let stream_ref = ef.get(b"F").and_then(Object::as_reference).expect("/EF /F");
    let stream = doc
        .get_object(stream_ref)
        .and_then(Object::as_stream)
        .expect("embedded file stream");
    assert_eq!(
        stream.dict.get(b"Subtype").and_then(Object::as_name).ok(),
        Some(&b"text/xml"[..]),
        "{name}: /Subtype"
    );
    let params = deref_dict(&doc, stream.dict.get(b"Params").expect("/Params"));
    assert!(params.get(b"ModDate").is_ok(), "{name}: /Params /ModDate");
    let xml = hocba_core::xml::to_string(cut);
    assert_eq!(
        params.get(b"Size").and_then(Object::as_i64).ok(),
        Some(xml.len() as i64),
        "{name}: /Params /Size"
    );
    let content = if stream.dict.get(b"Filter").is_ok() {
        stream.decompressed_content().expect("decompress")
    } else {
        stream.content.clone()
    };
    assert!(
        content == xml.as_bytes(),
        "{name}: the embedded XML differs from the cut-down canonical XML"
    );
    assert!(
        pdf::extract_xml(bytes).expect("extract_xml") == xml.as_bytes(),
        "{name}: extract_xml differs from the cut-down canonical XML"
    );
    let back = hocba_core::read_record(&content).expect("embedded XML parses");
    assert_eq!(back.years.len(), 1, "{name}: one school year embedded");

    // XMP: PDF/A-3b and the hb: schema.
    let meta_ref = catalog
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .expect("/Metadata");
    let meta = doc
        .get_object(meta_ref)
        .and_then(Object::as_stream)
        .expect("metadata stream");
    let xmp = String::from_utf8(meta.content.clone()).expect("XMP is UTF-8");
    for want in [
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<pdfaSchema:namespaceURI>urn:hocba:pdfa:1#</pdfaSchema:namespaceURI>",
        "<pdfaSchema:prefix>hb</pdfaSchema:prefix>",
        "<hb:DocumentFileName>hocba.xml</hb:DocumentFileName>",
        "<hb:DocumentType>HOC_BA_TIEU_HOC</hb:DocumentType>",
        "<hb:Version>1</hb:Version>",
    ] {
        assert!(xmp.contains(want), "{name}: XMP lacks {want}");
    }
    let year = cut.years[0].school_year.as_ref().expect("year").as_str();
    assert!(xmp.contains(&format!("<hb:SchoolYear>{year}</hb:SchoolYear>")));
    let id = cut.record_id.as_ref().expect("id").as_str();
    assert!(xmp.contains(&format!("<hb:RecordId>{id}</hb:RecordId>")));
    assert!(
        catalog.get(b"OutputIntents").is_ok(),
        "{name}: output intent"
    );

    // Signature fields GVCN, HT (and DAU for a public school) on the last page.
    let pages = doc.get_pages();
    let (&last_no, &last) = pages.iter().next_back().expect("pages");
    assert!(last_no >= 4, "{name}: at least four pages");
    let form = deref_dict(&doc, catalog.get(b"AcroForm").expect("/AcroForm"));
    let fields = form
        .get(b"Fields")
        .and_then(Object::as_array)
        .expect("/Fields");
    let public = cut
        .school
        .as_ref()
        .and_then(|s| s.kind.as_ref())
        .is_some_and(|k| k.as_str() == "1");
    let mut names_found = Vec::new();
    let annots: Vec<lopdf::ObjectId> = doc
        .get_dictionary(last)
        .expect("page")
        .get(b"Annots")
        .and_then(Object::as_array)
        .expect("/Annots")
        .iter()
        .filter_map(|o| o.as_reference().ok())
        .collect();
    for f in fields {
        let id = f.as_reference().expect("field reference");
        let d = doc.get_dictionary(id).expect("field");
        assert_eq!(
            d.get(b"FT").and_then(Object::as_name).ok(),
            Some(&b"Sig"[..])
        );
        assert_eq!(
            d.get(b"Subtype").and_then(Object::as_name).ok(),
            Some(&b"Widget"[..])
        );
        assert_eq!(d.get(b"F").and_then(Object::as_i64).ok(), Some(4));
        assert_eq!(d.get(b"P").and_then(Object::as_reference).ok(), Some(last));
        assert!(d.get(b"V").is_err(), "{name}: the field is empty");
        assert!(
            annots.contains(&id),
            "{name}: widget not in the page's /Annots"
        );
        let ap = deref_dict(&doc, d.get(b"AP").expect("/AP"));
        assert!(ap.get(b"N").and_then(Object::as_reference).is_ok());
        let rect: Vec<f32> = d
            .get(b"Rect")
            .and_then(Object::as_array)
            .expect("/Rect")
            .iter()
            .map(|o| o.as_float().expect("number"))
            .collect();
        assert!(rect[0] >= 0.0 && rect[1] >= 0.0 && rect[2] <= 595.3 && rect[3] <= 842.0);
        assert!(rect[2] > rect[0] + 50.0 && rect[3] > rect[1] + 40.0);
        names_found.push(
            String::from_utf8_lossy(d.get(b"T").and_then(Object::as_str).expect("/T")).into_owned(),
        );
    }
    let want: Vec<&str> = if public {
        vec!["GVCN", "HT", "DAU"]
    } else {
        vec!["GVCN", "HT"]
    };
    assert_eq!(names_found, want, "{name}: signature fields");
}

fn deref_dict<'a>(doc: &'a Document, o: &'a Object) -> &'a lopdf::Dictionary {
    match o {
        Object::Reference(id) => doc.get_dictionary(*id).expect("dictionary"),
        Object::Dictionary(d) => d,
        _ => panic!("not a dictionary: {o:?}"),
    }
}

#[test]
fn several_years_need_a_choice() {
    let path = common::root().join("fixtures/records/valid/grade-5.xml");
    let mut record = hocba_core::read_record(&common::read(&path)).expect("read");
    let mut earlier = record.years[0].clone();
    earlier.school_year = Some("2023-2024".into());
    record.years.insert(0, earlier);
    pdf::render(&record, &settings("2023-2024")).expect("the earlier year renders");
    let err = pdf::render(&record, &RenderSettings::default()).expect_err("several years");
    assert!(matches!(err, RenderError::YearRequired { .. }), "{err:?}");
    assert!(err.message().contains("--year"));
    assert!(err.message_vi().contains("--year"));
    let err = pdf::render(&record, &settings("1999-2000")).expect_err("unknown year");
    assert!(matches!(err, RenderError::YearNotFound { .. }), "{err:?}");
}

#[test]
fn seal_mode_and_caller_font() {
    let path = common::root().join("fixtures/records/valid/example.xml");
    let record = hocba_core::read_record(&common::read(&path)).expect("read");
    let count_fields = |bytes: &[u8]| {
        let doc = Document::load_mem(bytes).expect("lopdf");
        let catalog = doc.catalog().expect("catalog");
        let form = deref_dict(&doc, catalog.get(b"AcroForm").expect("form"));
        form.get(b"Fields")
            .and_then(Object::as_array)
            .expect("fields")
            .len()
    };
    let base = RenderSettings::default();
    assert_eq!(count_fields(&pdf::render(&record, &base).expect("auto")), 3);
    let no = RenderSettings {
        seal: SealMode::No,
        ..base.clone()
    };
    assert_eq!(
        count_fields(&pdf::render(&record, &no).expect("no seal")),
        2
    );
    let font = RenderSettings {
        font: Some(pdf::FONT_BOLD.to_vec()),
        ..base.clone()
    };
    pdf::render(&record, &font).expect("caller font");
    let bad = RenderSettings {
        font: Some(b"not a font".to_vec()),
        ..base.clone()
    };
    assert!(matches!(
        pdf::render(&record, &bad),
        Err(RenderError::Font { .. })
    ));
    let debug = RenderSettings {
        debug: true,
        ..base
    };
    let bytes = pdf::render(&record, &debug).expect("debug");
    let doc = Document::load_mem(&bytes).expect("lopdf");
    // Page contents are readable (fonts, the ICC profile and the photo stay compressed).
    for (_, page) in doc.get_pages() {
        for content in doc.get_page_contents(page) {
            let stream = doc
                .get_object(content)
                .and_then(Object::as_stream)
                .expect("content stream");
            assert!(
                stream.dict.get(b"Filter").is_err(),
                "debug output has a compressed page content stream"
            );
        }
    }
    assert!(String::from_utf8_lossy(&bytes).contains("<hb:Version>1</hb:Version>"));
}

/// Acceptance 4: very long comments, the longest names and a grade-5 page with every optional
/// subject render without overflow: every word pdftotext finds lies inside the page body (or the
/// continuation line in the top margin), and the long texts come back whole.
const LONG_NAME: &str = "Tôn Nữ Hoàng Phương Thảo Nguyên Khánh Linh Diệu Huyền Trâm Anh Bảo Ngọc Minh Châu Thiên Kim Quỳnh Như Mỹ Duyên Thục Đoan Vy";
const SENTENCE: &str = "Em đọc to, rõ ràng, diễn cảm; viết đúng chính tả, chữ viết đều và đẹp; biết dùng từ ngữ phù hợp, đặt câu đúng ngữ pháp; tích cực phát biểu xây dựng bài. ";
const UNBREAKABLE: &str = "Siêuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu dài.";

fn long_comment() -> String {
    let long_comment: String = SENTENCE.repeat(8).chars().take(1000).collect();
    long_comment.trim().to_owned()
}

/// The stress record of acceptance 4: grade 5, the longest names, 1,000-character comments on
/// every subject, quality and competency, and every optional subject (the ethnic language with
/// an unbreakable comment).
fn stress_record() -> Record {
    use hocba_core::model::{SubjectResult, Text};
    let path = common::root().join("fixtures/records/valid/grade-5.xml");
    let mut record = hocba_core::read_record(&common::read(&path)).expect("read");
    let long_name = LONG_NAME;
    assert!(long_name.chars().count() <= 150);
    let sentence = SENTENCE;
    let long_comment = long_comment();
    let unbreakable = UNBREAKABLE;
    {
        let p = record.pupil.as_mut().expect("pupil");
        p.full_name = Some(Text::from(long_name));
        p.father_name = Some(Text::from(long_name));
        p.current_address = Some(Text::from(sentence.repeat(2).trim()));
    }
    let year = &mut record.years[0];
    year.homeroom_teacher = Some(Text::from(long_name));
    year.principal = Some(Text::from(long_name));
    for s in &mut year.subjects {
        s.comment = Some(Text::from(long_comment.as_str()));
    }
    year.subjects.push(SubjectResult {
        code: Some("TDT".into()),
        language_name: Some(Text::from("Tiếng Chăm")),
        level: Some("T".into()),
        score: None,
        comment: Some(Text::from(unbreakable)),
    });
    for q in &mut year.qualities {
        q.comment = Some(Text::from(long_comment.as_str()));
    }
    for q in &mut year.competencies {
        q.comment = Some(Text::from(long_comment.as_str()));
    }
    record
}

#[test]
fn long_texts_stay_inside_the_page() {
    let record = stress_record();
    let long_name = LONG_NAME;
    let long_comment = long_comment();
    let bytes = pdf::render(&record, &RenderSettings::default()).expect("render");
    let cut = pdf::cut_to_year(&record, None).expect("cut");
    check_structure("long.pdf", &bytes, &cut);
    let path = tmp_pdf("long.pdf", &bytes);
    if have("qpdf") {
        let (ok, text) = run("qpdf", &["--check"], &path, &[]);
        assert!(ok, "qpdf --check failed:\n{text}");
    }
    if !have("pdftotext") {
        return;
    }
    let (ok, text) = run("pdftotext", &["-enc", "UTF-8"], &path, &["-"]);
    assert!(ok);
    let all = collapse(&text);
    for want in [
        long_name,
        long_comment.as_str(),
        "Tiếng dân tộc thiểu số (Tiếng Chăm)",
    ] {
        assert!(all.contains(&collapse(want)), "lacks {want:?}");
    }
    // Word boxes: inside the page body (x) and the page (y).
    let (ok, html) = run("pdftotext", &["-bbox", "-enc", "UTF-8"], &path, &["-"]);
    assert!(ok);
    let mut words = 0;
    for line in html
        .lines()
        .filter(|l| l.trim_start().starts_with("<word "))
    {
        let attr = |name: &str| -> f32 {
            let key = format!("{name}=\"");
            let start = line.find(&key).expect("attribute") + key.len();
            let end = start + line[start..].find('"').expect("quote");
            line[start..end].parse().expect("number")
        };
        let (x0, y0, x1, y1) = (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"));
        assert!(
            x0 >= 61.0 && x1 <= 595.3 - 44.0 && y0 >= 15.0 && y1 <= 841.9 - 44.0,
            "a word outside the page body: {line}"
        );
        words += 1;
    }
    assert!(words > 500);
}

/// One word of `pdftotext -bbox`: its page (from 0), box (points, top-left origin) and text.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The words of every page, with `pdftotext -bbox`.
fn bbox_words(path: &Path) -> Vec<Word> {
    let (ok, html) = run("pdftotext", &["-bbox", "-enc", "UTF-8"], path, &["-"]);
    assert!(ok, "pdftotext -bbox failed");
    let mut words = Vec::new();
    let mut page = 0usize;
    let mut pages_seen = 0usize;
    for line in html.lines().map(str::trim_start) {
        if line.starts_with("<page ") {
            page = pages_seen;
            pages_seen += 1;
            continue;
        }
        if !line.starts_with("<word ") {
            continue;
        }
        let attr = |name: &str| -> f32 {
            let key = format!("{name}=\"");
            let start = line.find(&key).expect("attribute") + key.len();
            let end = start + line[start..].find('"').expect("quote");
            line[start..end].parse().expect("number")
        };
        let open = line.find('>').expect("tag end") + 1;
        let close = line.rfind("</word>").expect("closing tag");
        words.push(Word {
            page,
            x0: attr("xMin"),
            y0: attr("yMin"),
            x1: attr("xMax"),
            y1: attr("yMax"),
            text: unescape(&line[open..close]),
        });
    }
    words
}

/// Acceptance 4, cell by cell: on the stress record, every word of the year page's three
/// tables (header, names, levels, scores, comments) lies inside the cell of the column it starts
/// in (within the cell padding), and the comment columns hold exactly the comments, whole.
#[test]
fn comments_stay_inside_their_cells() {
    use hocba_core::pdf::layout;
    let record = stress_record();
    let bytes = pdf::render(&record, &RenderSettings::default()).expect("render");
    let path = tmp_pdf("cells.pdf", &bytes);
    if !have("pdftotext") {
        return;
    }
    let mut words = bbox_words(&path);
    // Reading order: page, line (the bottom of the box: the same for one font size), x.
    words.sort_by(|a, b| {
        (a.page, (a.y1 * 4.0).round() as i64)
            .cmp(&(b.page, (b.y1 * 4.0).round() as i64))
            .then(a.x0.total_cmp(&b.x0))
    });
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Section {
        Before,
        Subjects,
        Qualities,
        Competencies,
        After,
    }
    let subject_cols = layout::subject_columns();
    let item_cols = layout::item_columns();
    let pad = layout::CELL_PADDING;
    let tolerance = 0.6;
    let mut section = Section::Before;
    let mut heading_line: Option<(usize, i64)> = None;
    let mut comments: Vec<(Section, String)> = Vec::new();
    let mut checked = 0usize;
    for (i, w) in words.iter().enumerate() {
        let next = |k: usize| words.get(i + k).map_or("", |w| w.text.as_str());
        let line = (w.page, (w.y1 * 4.0).round() as i64);
        let at_margin = (w.x0 - 62.0).abs() < 2.0;
        let switch = match (w.text.as_str(), next(1), next(2)) {
            ("1.", "Các", "môn") if at_margin && w.page >= 3 => Some(Section::Subjects),
            ("2.", "Những", "phẩm") if at_margin && section == Section::Subjects => {
                Some(Section::Qualities)
            }
            ("3.", "Những", "năng") if at_margin && section == Section::Qualities => {
                Some(Section::Competencies)
            }
            ("4.", "Đánh", "giá") if at_margin && section == Section::Competencies => {
                Some(Section::After)
            }
            _ => None,
        };
        if let Some(s) = switch {
            section = s;
            heading_line = Some(line);
            continue;
        }
        // The heading's own line, and the continuation line in the top margin, are not cells.
        if heading_line == Some(line) || w.y0 < 45.0 {
            continue;
        }
        let cols: &[(f32, f32)] = match section {
            Section::Subjects => &subject_cols,
            Section::Qualities | Section::Competencies => &item_cols,
            Section::Before | Section::After => continue,
        };
        let Some(col) = cols
            .iter()
            .position(|(l, r)| w.x0 >= *l - tolerance && w.x0 < *r)
        else {
            panic!("{section:?}: a word left of the table or right of it: {w:?}");
        };
        let (left, right) = cols[col];
        assert!(
            w.x0 >= left + pad - tolerance && w.x1 <= right - pad + tolerance,
            "{section:?}: a word outside its cell (column {col}, {left}..{right}): {w:?}"
        );
        checked += 1;
        if col == cols.len() - 1 {
            comments.push((section, w.text.clone()));
        }
    }
    assert_eq!(
        section,
        Section::After,
        "the three tables were not all found"
    );
    assert!(checked > 1000, "only {checked} words checked");

    // The comment columns hold the comments whole (the header "Nhận xét" repeats on every page
    // the table continues on).
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let column_text = |which: Section| {
        squash(
            &comments
                .iter()
                .filter(|(s, _)| *s == which)
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .concat(),
        )
        .replace("Nhậnxét", "")
    };
    let year = &record.years[0];
    let long = squash(&long_comment());
    let subjects = column_text(Section::Subjects);
    let unbreakable = squash(UNBREAKABLE);
    assert!(subjects.contains(&unbreakable), "the unbreakable comment");
    assert_eq!(
        subjects.replacen(&unbreakable, "", 1),
        long.repeat(year.subjects.len() - 1),
        "the subjects' comment column"
    );
    assert_eq!(
        column_text(Section::Qualities),
        long.repeat(year.qualities.len()),
        "the qualities' comment column"
    );
    assert_eq!(
        column_text(Section::Competencies),
        long.repeat(year.competencies.len()),
        "the competencies' comment column"
    );
}

/// Acceptance 3: the debug profile of two fixtures, byte for byte (`HOCBA_UPDATE_GOLDEN=1`
/// rewrites the files).
#[test]
fn debug_profile_golden_files() {
    let update = std::env::var_os("HOCBA_UPDATE_GOLDEN").is_some();
    let dir = common::root().join("fixtures/pdf/golden");
    for stem in ["grade-1", "example"] {
        let path = common::root().join(format!("fixtures/records/valid/{stem}.xml"));
        let record = hocba_core::read_record(&common::read(&path)).expect("read");
        let settings = RenderSettings {
            debug: true,
            ..RenderSettings::default()
        };
        let bytes = pdf::render(&record, &settings).expect("render");
        let golden = dir.join(format!("{stem}.debug.pdf"));
        if update {
            std::fs::create_dir_all(&dir).expect("create the golden directory");
            std::fs::write(&golden, &bytes).expect("write the golden file");
            continue;
        }
        let want = std::fs::read(&golden).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run HOCBA_UPDATE_GOLDEN=1 cargo test -p hocba-core --test render",
                golden.display()
            )
        });
        if bytes != want {
            let at = bytes
                .iter()
                .zip(&want)
                .position(|(a, b)| a != b)
                .unwrap_or(bytes.len().min(want.len()));
            let from = at.saturating_sub(80);
            panic!(
                "{}: the rendering differs from the golden file at byte {at} (sizes {} and {}):\n\
                 now:    {:?}\ngolden: {:?}\n\
                 if the change is intended, run HOCBA_UPDATE_GOLDEN=1 cargo test -p hocba-core --test render",
                golden.display(),
                bytes.len(),
                want.len(),
                String::from_utf8_lossy(&bytes[from..(at + 80).min(bytes.len())]),
                String::from_utf8_lossy(&want[from..(at + 80).min(want.len())]),
            );
        }
        assert_eq!(
            pdf::extract_xml(&want).expect("extract from the golden file"),
            hocba_core::xml::to_string(&record).into_bytes(),
            "{stem}: the golden file embeds the canonical XML"
        );
    }
}

/// `extract_xml` on what is not a rendered document: a clean error, never a panic.
#[test]
fn extract_refuses_hostile_input_cleanly() {
    use hocba_core::pdf::ExtractError;
    assert_eq!(pdf::extract_xml(b""), Err(ExtractError::NotPdf));
    assert_eq!(
        pdf::extract_xml(b"<HocBa xmlns=\"urn:hocba:tieu-hoc:1\"/>"),
        Err(ExtractError::NotPdf)
    );
    assert!(matches!(
        pdf::extract_xml(b"%PDF-1.7\ngarbage"),
        Err(ExtractError::Unreadable { .. })
    ));
    let big = vec![b' '; pdf::MAX_PDF_BYTES + 1];
    assert!(matches!(
        pdf::extract_xml(&big),
        Err(ExtractError::TooLarge { .. })
    ));
    let path = common::root().join("fixtures/records/valid/example.xml");
    let record = hocba_core::read_record(&common::read(&path)).expect("read");
    let good = pdf::render(&record, &RenderSettings::default()).expect("render");
    // A PDF without the attachment.
    let mut doc = Document::load_mem(&good).expect("lopdf");
    doc.catalog_mut().expect("catalog").remove(b"Names");
    doc.catalog_mut().expect("catalog").remove(b"AF");
    let mut stripped = Vec::new();
    doc.save_to(&mut stripped).expect("save");
    assert_eq!(
        pdf::extract_xml(&stripped),
        Err(ExtractError::NoEmbeddedRecord)
    );
    // Only /AF left: still found.
    let mut doc = Document::load_mem(&good).expect("lopdf");
    doc.catalog_mut().expect("catalog").remove(b"Names");
    let mut af_only = Vec::new();
    doc.save_to(&mut af_only).expect("save");
    assert_eq!(
        pdf::extract_xml(&af_only).expect("found through /AF"),
        hocba_core::xml::to_vec(&record)
    );
    // Truncations and corrupted bytes (a deterministic walk): Ok or Err, never a panic.
    for cut in [10, 100, 1000, good.len() / 2, good.len() - 30] {
        let _ = pdf::extract_xml(&good[..cut]);
    }
    let mut state = 0x2545_f491_u32;
    for round in 0..200 {
        let mut bad = good.clone();
        for _ in 0..(1 + round % 8) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let i = state as usize % bad.len();
            bad[i] = (state >> 24) as u8;
        }
        if let Ok(xml) = pdf::extract_xml(&bad) {
            assert!(xml.len() <= pdf::MAX_XML_BYTES);
        }
    }
    // The errors reach hocba_core::Error with both languages.
    let e = hocba_core::Error::from(ExtractError::NoEmbeddedRecord);
    assert_eq!(e.kind_name(), "extract");
    assert!(e.message().contains("hocba.xml") && e.message_vi().contains("hocba.xml"));
    let e = hocba_core::Error::from(RenderError::NoSchoolYear);
    assert_eq!(e.kind_name(), "render");
    assert!(e.position().is_none());
    assert_ne!(e.message(), e.message_vi());
}

/// `require_valid` refuses a record with errors, and only then.
#[test]
fn require_valid_refuses_records_with_errors() {
    let strict = RenderSettings {
        require_valid: true,
        ..RenderSettings::default()
    };
    let path = common::root().join("fixtures/records/valid/grade-3.xml");
    let record = hocba_core::read_record(&common::read(&path)).expect("read");
    pdf::render(&record, &strict).expect("a valid record renders");
    let mut broken = record.clone();
    broken.years[0].subjects[0].score = Some(hocba_core::model::Number::from(11));
    let err = pdf::render(&broken, &strict).expect_err("an invalid record is refused");
    assert!(
        matches!(err, RenderError::Invalid { errors, .. } if errors >= 1),
        "{err:?}"
    );
    pdf::render(&broken, &RenderSettings::default()).expect("drafts still render");
}

/// Text outside the built-in fonts' fixed subset (Cyrillic, `ß`) and a character the font lacks
/// (drawn as `?`) come back exactly from `pdftotext`: the document gets a subset of its own and
/// `/ActualText` where a glyph does not stand for its own text. Decomposed Vietnamese (base
/// letter + combining marks, which the shaper draws with the precomposed glyph) comes back as
/// itself or in its composed form (poppler composes; the two are canonically equivalent).
#[test]
fn text_outside_the_fixed_subset_extracts_exactly() {
    let path = common::root().join("fixtures/records/valid/example.xml");
    let mut record = hocba_core::read_record(&common::read(&path)).expect("read");
    let name = "Жанна Ёлкина Straße 中 Nguye\u{302}\u{303}n";
    if let Some(pupil) = record.pupil.as_mut() {
        pupil.full_name = Some(hocba_core::model::Text::from(name));
    }
    let settings = RenderSettings::default();
    let bytes = pdf::render(&record, &settings).expect("renders");
    assert!(bytes == pdf::render(&record, &settings).expect("again"));
    let plain = pdf::render(
        &hocba_core::read_record(&common::read(&path)).expect("read"),
        &settings,
    )
    .expect("renders");
    assert!(bytes.len() > plain.len(), "a subset of its own");
    let file = tmp_pdf("outside-subset.pdf", &bytes);
    if have("qpdf") {
        let (ok, text) = run("qpdf", &["--check"], &file, &[]);
        assert!(ok, "qpdf --check failed:\n{text}");
    }
    if have("pdftotext") {
        let (ok, text) = run("pdftotext", &["-enc", "UTF-8"], &file, &["-"]);
        assert!(ok, "pdftotext failed");
        let all = collapse(&text);
        for want in ["Жанна Ёлкина Straße", "中"] {
            assert!(all.contains(want), "pdftotext output lacks {want:?}");
        }
        assert!(
            all.contains("Nguye\u{302}\u{303}n") || all.contains("Nguy\u{1ec5}n"),
            "pdftotext output lacks the decomposed name: {all}"
        );
    }
}
