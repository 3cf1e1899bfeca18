//! The schemas cannot drift from the code: the JSON Schema is a golden file of what the model
//! generates, the XSD's element lists and required members match the model's, the writer emits
//! that order, and every valid fixture validates against the XSD with xmllint.
//! (JSON fixtures are validated against the JSON Schema by the Python suite, with `jsonschema`.)
//!
//! `HOCBA_UPDATE_GOLDEN=1` rewrites `schemas/hocba-1.schema.json` for review.

mod common;

use std::collections::BTreeMap;

use hocba_core::xml::names;
use quick_xml::events::Event;
use serde_json::Value;

#[test]
fn json_schema_file_is_generated_from_the_model() {
    let path = common::root().join("schemas/hocba-1.schema.json");
    let generated = hocba_core::schema::json_schema();
    if std::env::var_os("HOCBA_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/hocba-1.schema.json differs from the model: run HOCBA_UPDATE_GOLDEN=1 cargo test and review"
    );
}

/// XSD complex type → (children in order, children with minOccurs ≥ 1).
fn xsd_types() -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut r = quick_xml::Reader::from_str(hocba_core::schema::XSD);
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut depth_in_type = 0usize;
    loop {
        match r.read_event().expect("the XSD is well-formed") {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "complexType" => {
                let name = e
                    .try_get_attribute("name")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned());
                if let Some(n) = name {
                    out.insert(n.clone(), (Vec::new(), Vec::new()));
                    current = Some(n);
                    depth_in_type = 0;
                }
            }
            Event::Start(e) if current.is_some() => {
                depth_in_type += 1;
                if e.local_name().as_ref() == "element" {
                    element(&mut out, current.as_deref(), &e);
                }
            }
            Event::Empty(e) if current.is_some() && e.local_name().as_ref() == "element" => {
                element(&mut out, current.as_deref(), &e);
            }
            Event::End(e) if current.is_some() => {
                if e.local_name().as_ref() == "complexType" && depth_in_type == 0 {
                    current = None;
                } else {
                    depth_in_type = depth_in_type.saturating_sub(1);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn element(
    out: &mut BTreeMap<String, (Vec<String>, Vec<String>)>,
    current: Option<&str>,
    e: &quick_xml::events::BytesStart<'_>,
) {
    let attr = |n: &str| {
        e.try_get_attribute(n)
            .ok()
            .flatten()
            .map(|a| a.value.into_owned())
    };
    let (Some(ty), Some(name)) = (current, attr("name")) else {
        return;
    };
    let entry = out.get_mut(ty).expect("type");
    if attr("minOccurs").as_deref() != Some("0") {
        entry.1.push(name.clone());
    }
    entry.0.push(name);
}

#[test]
fn xsd_declares_the_model_elements_in_canonical_order() {
    let xsd = xsd_types();
    for (ty, children) in names::ENTITIES {
        let (found, _) = xsd
            .get(*ty)
            .unwrap_or_else(|| panic!("XSD has no complexType {ty}"));
        assert_eq!(
            found, children,
            "complexType {ty} of the XSD differs from the model"
        );
    }
}

#[test]
fn json_schema_and_xsd_agree_on_members_and_required_fields() {
    let schema: Value = serde_json::from_str(&hocba_core::schema::json_schema()).expect("json");
    let defs = &schema["$defs"];
    let xsd = xsd_types();
    let pairs: &[(&str, &Value)] = &[
        ("HocBa", &schema),
        ("HocSinh", &defs["HocSinh"]),
        ("Anh", &defs["Anh"]),
        ("Truong", &defs["Truong"]),
        ("QuaTrinh", &defs["QuaTrinh"]),
        ("NamHoc", &defs["NamHoc"]),
        ("MonHoc", &defs["MonHoc"]),
        ("MucDanhGia", &defs["MucDanhGiaPhamChat"]),
        ("MucDanhGia", &defs["MucDanhGiaNangLuc"]),
        ("KhenThuong", &defs["KhenThuong"]),
        ("DanhGiaBoSung", &defs["DanhGiaBoSung"]),
        ("DinhKy", &defs["DinhKy"]),
        ("NhatKy", &defs["NhatKy"]),
    ];
    for (ty, def) in pairs {
        let props: Vec<&str> = def["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{ty} has properties"))
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "phienBan")
            .collect();
        let (children, required) = &xsd[*ty];
        assert_eq!(&props, children, "JSON Schema and XSD members of {ty}");
        let mut json_required: Vec<&str> = def["required"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter(|k| *k != "phienBan")
                    .collect()
            })
            .unwrap_or_default();
        let mut xsd_required: Vec<&str> = required.iter().map(String::as_str).collect();
        json_required.sort_unstable();
        xsd_required.sort_unstable();
        assert_eq!(json_required, xsd_required, "required members of {ty}");
    }
}

/// A record with every optional member present, to check the writer's order.
fn maximal_record() -> hocba_core::Record {
    use hocba_core::model::*;
    let bytes = common::read(&common::root().join("fixtures/records/valid/example.xml"));
    let mut r = hocba_core::xml::from_slice(&bytes).expect("example");
    if let Some(s) = r.school.as_mut() {
        s.district = Some("Ninh Hải".into());
    }
    let y = &mut r.years[0];
    y.exempt = true;
    y.supplementary = Some(SupplementaryAssessment {
        date: Some("2025-07-20".into()),
        subjects: vec![y.subjects[0].clone()],
    });
    y.commendations.push(Commendation {
        kind: Some(CommendationKind::AdHoc),
        content: Some("Đạt giải Ba cuộc thi Viết chữ đẹp cấp huyện".into()),
    });
    y.completed_primary = Some(false);
    let mut p = y.periods[0].clone();
    p.period = Some(Period::EndOfTerm1);
    y.periods.insert(0, p);
    r.audit[0].old_value = Some("a".into());
    r.audit[0].new_value = Some("b".into());
    r.audit[0].authorization = Some("BB-01".into());
    r
}

#[test]
fn writer_emits_the_canonical_order() {
    let xml = hocba_core::xml::to_string(&maximal_record());
    // Collect, for each element path, the sequence of distinct child names.
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut stack: Vec<(String, Vec<String>)> = Vec::new();
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    loop {
        match r.read_event().expect("well-formed") {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                if let Some((_, kids)) = stack.last_mut() {
                    if kids.last() != Some(&name) {
                        kids.push(name.clone());
                    }
                }
                stack.push((name, Vec::new()));
            }
            Event::End(_) => {
                let (name, kids) = stack.pop().expect("balanced");
                let parent = stack.last().map(|(n, _)| n.clone()).unwrap_or_default();
                if !kids.is_empty() {
                    seen.push((format!("{parent}/{name}"), kids));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let expect = |path: &str, names: &[&str]| {
        let (_, kids) = seen
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("{path}"));
        assert_eq!(kids, names, "{path}");
    };
    expect("/HocBa", names::HOC_BA);
    expect("HocBa/hocSinh", names::HOC_SINH);
    expect("hocSinh/anh", names::ANH);
    expect("HocBa/truong", names::TRUONG);
    expect("HocBa/quaTrinhHocTap", names::QUA_TRINH);
    expect("HocBa/namHoc", names::NAM_HOC);
    expect("namHoc/monHoc", &["ma", "mucDat", "diem", "nhanXet"]);
    expect("namHoc/phamChat", names::MUC_DANH_GIA);
    expect("namHoc/khenThuong", names::KHEN_THUONG);
    expect("namHoc/danhGiaBoSung", names::DANH_GIA_BO_SUNG);
    expect("namHoc/dinhKy", names::DINH_KY);
    expect("HocBa/nhatKy", names::NHAT_KY);
    assert!(xml.contains("<tenNgonNgu>Tiếng Anh</tenNgonNgu>"));
}

fn xmllint() -> Option<std::path::PathBuf> {
    let found = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok();
    if found {
        return Some("xmllint".into());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "xmllint is required in CI (Debian package libxml2-utils)"
    );
    eprintln!(
        "note: xmllint not installed; XSD validation skipped (apt-get install libxml2-utils)"
    );
    None
}

#[test]
fn valid_fixtures_validate_against_the_xsd() {
    let Some(lint) = xmllint() else { return };
    let xsd = common::root().join("schemas/hocba-1.xsd");
    let mut files = common::valid_fixtures("xml");
    files.push(common::root().join("../shared/spec/examples/hocba-example.xml"));
    for f in files.iter().filter(|f| f.exists()) {
        let out = std::process::Command::new(&lint)
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(f)
            .output()
            .expect("xmllint runs");
        assert!(
            out.status.success(),
            "{} does not validate: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn xsd_rejects_what_it_should() {
    let Some(lint) = xmllint() else { return };
    let xml = std::fs::read_to_string(common::root().join("fixtures/records/valid/example.xml"))
        .expect("example");
    let bad = xml.replacen("<diem>9</diem>", "<diem>11</diem>", 1);
    let dir = std::env::temp_dir().join(format!("hocba-xsd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let f = dir.join("bad.xml");
    std::fs::write(&f, bad).expect("write");
    let out = std::process::Command::new(&lint)
        .arg("--noout")
        .arg("--schema")
        .arg(common::root().join("schemas/hocba-1.xsd"))
        .arg(&f)
        .output()
        .expect("xmllint runs");
    assert!(
        !out.status.success(),
        "a score of 11 must not validate against the XSD"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
