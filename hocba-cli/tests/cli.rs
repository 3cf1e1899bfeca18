//! The `hocba` binary against the CLI contract of `format.md`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn hocba(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hocba"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("hocba runs")
}

fn tmp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hocba-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}

#[test]
fn validate_a_readable_record_exits_0_with_the_report_shape() {
    let out = hocba(&[
        "--format",
        "json",
        "validate",
        "fixtures/records/valid/grade-3.xml",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["file"], "fixtures/records/valid/grade-3.xml");
    assert_eq!(v["valid"], true);
    assert_eq!(v["years"][0]["grade"], 3);
    assert!(v["years"][0]["schoolYear"].is_string());
    assert!(v["findings"].as_array().is_some());
}

#[test]
fn several_files_give_an_array_in_argument_order_and_the_highest_exit_code() {
    let bad = tmp("bad.xml", b"<HocBa phienBan=\"1\"></HocBa>");
    let bad = bad.to_str().expect("utf-8 path");
    let out = hocba(&[
        "--format",
        "json",
        "validate",
        "fixtures/records/valid/grade-1.json",
        bad,
        "fixtures/records/valid/grade-2.xml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let a = v.as_array().expect("array");
    assert_eq!(a.len(), 3);
    assert_eq!(a[0]["valid"], true);
    assert_eq!(a[1]["file"], bad);
    assert!(a[1]["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("line 1, column 1")));
    assert!(a[1]["error"]["messageVi"]
        .as_str()
        .is_some_and(|m| m.contains("dòng 1, cột 1")));
    assert_eq!(a[2]["years"][0]["grade"], 2);
    // One line on stderr per unreadable file, in Vietnamese by default.
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("không gian tên"), "{err}");
}

#[test]
fn errors_in_english_with_lang_en_and_missing_files() {
    let out = hocba(&["--lang", "en", "validate", "does/not/exist.xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open the file"), "{err}");
}

#[test]
fn schema_commands_print_the_schemas() {
    let out = hocba(&["schema", "xsd"]);
    assert_eq!(out.status.code(), Some(0));
    let xsd = std::fs::read(root().join("schemas/hocba-1.xsd")).expect("xsd");
    assert_eq!(out.stdout, xsd);
    let out = hocba(&["schema", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json = std::fs::read(root().join("schemas/hocba-1.schema.json")).expect("json schema");
    assert_eq!(out.stdout, json);
}

#[test]
fn convert_between_xml_and_json_is_canonical() {
    let out = hocba(&[
        "convert",
        "fixtures/records/valid/grade-4.xml",
        "--to",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json = std::fs::read(root().join("fixtures/records/valid/grade-4.json")).expect("json");
    assert_eq!(out.stdout, json);
    let out = hocba(&[
        "convert",
        "fixtures/records/valid/grade-4.json",
        "--to",
        "xml",
    ]);
    let xml = std::fs::read(root().join("fixtures/records/valid/grade-4.xml")).expect("xml");
    assert_eq!(out.stdout, xml);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(hocba(&["validate"]).status.code(), Some(2));
    assert_eq!(hocba(&["schema", "yaml"]).status.code(), Some(2));
    assert_eq!(hocba(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_record_that_breaks_a_rule_exits_1_with_findings() {
    let xml = std::fs::read_to_string(root().join("fixtures/records/valid/example.xml"))
        .expect("example")
        .replacen("<diem>9</diem>", "<diem>11</diem>", 1);
    let f = tmp("score11.xml", xml.as_bytes());
    let f = f.to_str().expect("utf-8 path");
    let out = hocba(&["--format", "json", "validate", f]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["valid"], false);
    let findings = v["findings"].as_array().expect("findings");
    assert!(findings.iter().any(|f| f["code"] == "score_out_of_range"
        && f["path"] == "namHoc.0.monHoc.0.diem"
        && f["clause"] == "TT27 Điều 7"
        && f["severity"] == "error"));
    // Text form: Vietnamese by default, English on request.
    let vi = hocba(&["validate", f]);
    assert_eq!(vi.status.code(), Some(1));
    let text = String::from_utf8_lossy(&vi.stdout);
    assert!(
        text.contains("KHÔNG hợp lệ") && text.contains("score_out_of_range"),
        "{text}"
    );
    let en = hocba(&["--lang", "en", "validate", f]);
    assert!(String::from_utf8_lossy(&en.stdout).contains("NOT valid"));
}

#[test]
fn jobs_do_not_change_the_output() {
    let files: Vec<String> = std::fs::read_dir(root().join("fixtures/records/valid"))
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut args1 = vec!["--format", "json", "validate", "--jobs", "1"];
    args1.extend(files.iter().map(String::as_str));
    let mut args2 = vec!["--format", "json", "validate", "--jobs", "2"];
    args2.extend(files.iter().map(String::as_str));
    let a = hocba(&args1);
    let b = hocba(&args2);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("a JSON array");
    assert_eq!(v.as_array().map(Vec::len), Some(files.len()));
}

#[test]
fn codes_lists_the_catalogue() {
    let out = hocba(&["--format", "json", "codes"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes = v.as_array().expect("array");
    assert!(codes.len() >= 43);
    assert!(codes
        .iter()
        .any(|c| c["code"] == "result_mismatch" && c["clause"] == "TT27 Điều 9"));
    let text = hocba(&["codes"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("field_missing"));
}

#[test]
fn render_then_extract_gives_the_canonical_xml_of_the_cut_record() {
    let dir = std::env::temp_dir().join(format!("hocba-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let pdf = dir.join("grade-2.pdf");
    let pdf_s = pdf.to_str().expect("utf-8 path");
    let out = hocba(&[
        "render",
        "fixtures/records/valid/grade-2.json",
        "-o",
        pdf_s,
        "--seal",
        "no",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let bytes = std::fs::read(&pdf).expect("the PDF is written");
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let out = hocba(&["extract", pdf_s]);
    assert_eq!(out.status.code(), Some(0));
    // The fixture has one school year: the cut record is the record itself.
    let xml = std::fs::read(root().join("fixtures/records/valid/grade-2.xml")).expect("xml");
    assert!(out.stdout == xml, "extract differs from the canonical XML");

    // A two-year record: --year is required; the embedded XML is the chosen year only.
    let mut record = hocba_core::read_record(&xml).expect("read");
    let mut earlier = record.years[0].clone();
    earlier.school_year = Some("2023-2024".into());
    record.years.insert(0, earlier);
    let two = tmp("two-years.xml", &hocba_core::xml::to_vec(&record));
    let two = two.to_str().expect("utf-8 path");
    let out2 = dir.join("two.pdf");
    let out2_s = out2.to_str().expect("utf-8 path");
    let out = hocba(&["render", two, "-o", out2_s]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--year") && err.contains("nhiều năm học"),
        "{err}"
    );
    assert!(!out2.exists(), "nothing written on an error");
    let out = hocba(&["--lang", "en", "render", two, "-o", out2_s]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("several school years"));
    let out = hocba(&[
        "render",
        two,
        "-o",
        out2_s,
        "--year",
        "2023-2024",
        "--debug",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = hocba(&["extract", out2_s]);
    assert_eq!(out.status.code(), Some(0));
    let cut = hocba_core::pdf::cut_to_year(&record, Some("2023-2024")).expect("cut");
    assert!(out.stdout == hocba_core::xml::to_vec(&cut));
}

#[test]
fn render_require_valid_refuses_an_invalid_record_with_exit_1() {
    let dir = std::env::temp_dir().join(format!("hocba-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let pdf = dir.join("invalid.pdf");
    let pdf_s = pdf.to_str().expect("utf-8 path");
    let invalid = "fixtures/records/invalid/score_out_of_range.xml";
    let out = hocba(&["render", invalid, "-o", pdf_s, "--require-valid"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("score_out_of_range"), "{err}");
    assert!(
        err.starts_with("hocba: ") && err.lines().count() == 1,
        "{err}"
    );
    assert!(!pdf.exists(), "no output for a refused record");
    // Without the option the draft renders.
    let out = hocba(&["render", invalid, "-o", pdf_s]);
    assert_eq!(out.status.code(), Some(0));
    assert!(pdf.exists());
    // A valid record passes the check.
    let out = hocba(&[
        "render",
        "fixtures/records/valid/grade-3.xml",
        "-o",
        pdf_s,
        "--require-valid",
    ]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn extract_of_what_is_not_a_rendered_pdf_exits_2() {
    let out = hocba(&["extract", "fixtures/records/valid/grade-1.xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("không phải PDF"), "{err}");
    let fake = tmp("fake.pdf", b"%PDF-1.7\nnot really");
    let out = hocba(&[
        "--lang",
        "en",
        "extract",
        fake.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be read"));
    let out = hocba(&["extract", "does/not/exist.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    // Bad options and a missing font file are usage errors.
    let out = hocba(&[
        "render",
        "fixtures/records/valid/grade-1.xml",
        "-o",
        "/dev/null",
        "--seal",
        "maybe",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = hocba(&[
        "render",
        "fixtures/records/valid/grade-1.xml",
        "-o",
        "/dev/null",
        "--font",
        "no/such/font.ttf",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sign_gvcn_then_ht_then_dau_and_refuse_out_of_order() {
    let dir = std::env::temp_dir().join(format!("hocba-cli-sign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let out = hocba(&[
        "render",
        "fixtures/records/valid/example.xml",
        "-o",
        &p("r.pdf"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sign = |input: &str, role: &str, output: &str| {
        let key = format!("fixtures/pki/ee/example-{role}/key.pem");
        let cert = format!("fixtures/pki/ee/example-{role}/cert.pem");
        let chain = format!("fixtures/pki/ee/example-{role}/chain.pem");
        hocba(&[
            "--lang",
            "en",
            "sign",
            input,
            "--role",
            role,
            "--key",
            &key,
            "--cert",
            &cert,
            "--chain",
            &chain,
            "--time",
            "2025-05-28T08:00:00+07:00",
            "-o",
            output,
        ])
    };
    // HT before GVCN is refused with a message that names the order.
    let out = sign(&p("r.pdf"), "ht", &p("x.pdf"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("GVCN"));
    let mut prev = p("r.pdf");
    for role in ["gvcn", "ht", "dau"] {
        let next = p(&format!("{role}.pdf"));
        let out = sign(&prev, role, &next);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{role}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let before = std::fs::read(&prev).expect("before");
        let after = std::fs::read(&next).expect("after");
        assert!(after.starts_with(&before), "{role}: earlier bytes are kept");
        prev = next;
    }
    // Twice in one field is refused; the record is still extractable from the signed file.
    assert_eq!(sign(&prev, "dau", &p("y.pdf")).status.code(), Some(2));
    let xml = hocba(&["extract", &prev]);
    assert_eq!(xml.status.code(), Some(0));
    assert_eq!(
        xml.stdout,
        std::fs::read(root().join("fixtures/records/valid/example.xml")).expect("example")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sign_with_pkcs12_and_password_env() {
    let dir = std::env::temp_dir().join(format!("hocba-cli-p12-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let p = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let out = hocba(&[
        "render",
        "fixtures/records/valid/example.xml",
        "-o",
        &p("r.pdf"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let ee = "fixtures/pki/ee/example-gvcn";
    let sign = |key: &str, extra: &[&str], env: Option<(&str, &str)>, output: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hocba"));
        cmd.current_dir(root()).env_remove("HOCBA_TEST_P12");
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        cmd.args([
            "--lang",
            "en",
            "sign",
            &p("r.pdf"),
            "--role",
            "gvcn",
            "--key",
            key,
        ])
        .args(extra)
        .args(["--time", "2025-05-28T08:00:00+07:00", "-o", output])
        .output()
        .expect("runs hocba")
    };
    // key.pem with the chain and the root = the .p12 files' contents.
    std::fs::write(
        p("chain+root.pem"),
        [
            std::fs::read(root().join(format!("{ee}/chain.pem"))).expect("chain"),
            std::fs::read(root().join("fixtures/pki/ca/neac-root/cert.pem")).expect("root"),
        ]
        .concat(),
    )
    .expect("write");
    let out = sign(
        &format!("{ee}/key.pem"),
        &[
            "--cert",
            &format!("{ee}/cert.pem"),
            "--chain",
            &p("chain+root.pem"),
        ],
        None,
        &p("pem.pdf"),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = std::fs::read(p("pem.pdf")).expect("signed");
    for name in [
        "identity.p12",
        "identity-legacy-3des.p12",
        "identity-legacy-rc2.p12",
    ] {
        let out = sign(
            &format!("{ee}/{name}"),
            &["--password-env", "HOCBA_TEST_P12"],
            Some(("HOCBA_TEST_P12", "hocba-test")),
            &p("p12.pdf"),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::read(p("p12.pdf")).expect("signed") == expected,
            "{name}"
        );
    }
    // A missing variable, a wrong password, a PEM key without --cert: exit 2, a clear message.
    let key = format!("{ee}/identity.p12");
    let out = sign(
        &key,
        &["--password-env", "HOCBA_TEST_P12"],
        None,
        &p("x.pdf"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HOCBA_TEST_P12 is not set"));
    let out = sign(
        &key,
        &["--password-env", "HOCBA_TEST_P12"],
        Some(("HOCBA_TEST_P12", "wrong")),
        &p("x.pdf"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));
    let out = sign(&format!("{ee}/key.pem"), &[], None, &p("x.pdf"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--cert"));
    let _ = std::fs::remove_dir_all(&dir);
}

// --- hocba verify (format.md, CLI contract; signing.md) -------------------------------------

const TRUST: &str = "fixtures/pki/trust/bundle.pem";
const CRLS: &str = "fixtures/pki/ca/all-crls.pem";
const AT: &str = "2026-11-28T00:00:00Z";

fn verify(files: &[&str], extra: &[&str]) -> Output {
    let mut args = vec!["verify"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--trust", TRUST, "--crl", CRLS, "--at", AT]);
    args.extend_from_slice(extra);
    hocba(&args)
}

#[test]
fn verify_exit_codes_follow_the_verdict() {
    let ok = verify(&["fixtures/pdf/verify/valid-gvcn-ht-dau.pdf"], &[]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(text.contains("Kết quả: HỢP LỆ (TOTAL_PASSED)"), "{text}");
    let bad = verify(
        &["fixtures/pdf/verify/page-content-changed.pdf"],
        &["--lang", "en"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("MODIFIED_AFTER_SIGNING"));
    // Not a PDF, or no such file: 2, with a message on stderr.
    let not_pdf = verify(&["fixtures/records/valid/example.xml"], &[]);
    assert_eq!(not_pdf.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_pdf.stderr).contains("PDF"));
    let missing = verify(&["no-such.pdf"], &[]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn verify_several_files_prints_an_array_in_argument_order() {
    let out = verify(
        &[
            "fixtures/pdf/verify/valid-gvcn-ht-dau.pdf",
            "fixtures/pdf/verify/bad-expired.pdf",
            "no-such.pdf",
        ],
        &["--format", "json", "--jobs", "2"],
    );
    assert_eq!(out.status.code(), Some(2), "the highest exit code");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let list = v.as_array().expect("array");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["indication"], "TOTAL_PASSED");
    assert_eq!(list[0]["file"], "fixtures/pdf/verify/valid-gvcn-ht-dau.pdf");
    assert_eq!(
        list[1]["signatures"][0]["subIndication"],
        "OUT_OF_BOUNDS_NO_POE"
    );
    assert_eq!(list[1]["policy"]["at"], AT);
    assert!(list[2]["error"]["messageVi"].is_string());
}

#[test]
fn verify_policies_and_times() {
    let gh = "fixtures/pdf/verify/valid-gvcn-ht-no-seal.pdf";
    assert_eq!(verify(&[gh], &[]).status.code(), Some(1));
    assert_eq!(
        verify(&[gh], &["--seal", "optional"]).status.code(),
        Some(0)
    );
    let json = verify(
        &[gh],
        &[
            "--seal",
            "optional",
            "--format",
            "json",
            "--revocation",
            "off",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["signatures"][0]["revocation"], "NOT_CHECKED");
    assert_eq!(v["policy"]["revocation"], "off");
    // Without CRLs, revocation=require cannot pass.
    let out = hocba(&[
        "verify", gh, "--trust", TRUST, "--at", AT, "--seal", "optional",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("TRY_LATER"));
    let expired = "fixtures/pdf/verify/bad-expired.pdf";
    let out = hocba(&[
        "verify", expired, "--trust", TRUST, "--crl", CRLS, "--at", "claimed",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("claimed_time_only"));
    let out = hocba(&["verify", gh, "--trust", TRUST, "--at", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    let out = hocba(&[
        "verify",
        gh,
        "--trust",
        "fixtures/records/valid/example.xml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
}

#[test]
fn codes_lists_the_verification_messages_too() {
    let out = hocba(&["--format", "json", "codes"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    for code in [
        "modified_after_signing",
        "digest_mismatch",
        "role_missing",
        "field_missing",
    ] {
        assert!(codes.contains(&code), "{code}");
    }
}

/// The README shows the Vietnamese text form of a verification report: exactly what the CLI
/// prints for that fixture.
#[test]
fn readme_shows_the_verification_text_form() {
    let out = verify(&["fixtures/pdf/verify/valid-gvcn-ht-dau.pdf"], &[]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(
        readme.contains(&format!("```\n{text}```")),
        "README.md must show:\n{text}"
    );
}

// --- hocba class -----------------------------------------------------------------------------

const CLASS: &str = "fixtures/class/4A";

#[test]
fn class_build_writes_one_valid_record_per_pupil() {
    let out_dir = std::env::temp_dir().join(format!("hocba-cli-class-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let out = hocba(&[
        "--format",
        "json",
        "class",
        "build",
        "--pupils",
        &format!("{CLASS}/hoc-sinh.csv"),
        "--class",
        &format!("{CLASS}/lop.json"),
        "--tables",
        &format!("{CLASS}/CN.csv"),
        &format!("GHK1={CLASS}/GHK1.csv"),
        &format!("{CLASS}/CHK1.csv"),
        &format!("{CLASS}/GHK2.csv"),
        "-o",
        out_dir.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["valid"], true);
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));
    let records = v["records"].as_array().expect("records");
    assert_eq!(records.len(), 32);
    assert_eq!(records[0]["maHocSinh"], "HS4A01");
    assert_eq!(records[0]["years"][0]["derivedResult"], "HTXS");
    let files = std::fs::read_dir(&out_dir).expect("out dir").count();
    assert_eq!(files, 32);
    // Each written record is canonical and valid on its own.
    let one = out_dir.join("HS4A09.xml");
    let check = hocba(&["validate", one.to_str().expect("path")]);
    assert_eq!(check.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[test]
fn class_check_names_the_pupil_and_the_cell_and_exits_1() {
    let cn = std::fs::read_to_string(root().join(CLASS).join("CN.csv")).expect("CN.csv");
    // HS4A05's Tiếng Việt score (column E) becomes a word.
    let broken: String = cn
        .lines()
        .map(|l| {
            if l.starts_with("5,HS4A05,") {
                let mut cells: Vec<&str> = l.splitn(6, ',').collect();
                cells[4] = "mười";
                cells.join(",")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = tmp("4A-CN.csv", broken.as_bytes());
    let out = hocba(&[
        "--format",
        "json",
        "class",
        "check",
        file.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["valid"], false);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "table_cell_invalid");
    assert_eq!(f["path"], "lop.HS4A05.CN.monHoc.TV.diem");
    assert_eq!(f["context"]["cell"], "4A-CN.csv!E8");
    assert!(f["messageVi"]
        .as_str()
        .is_some_and(|m| m.contains("điểm số nguyên")));
}

#[test]
fn class_template_and_convert_round_trip() {
    let dir = std::env::temp_dir().join(format!("hocba-cli-tpl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let book = dir.join("CN.xlsx");
    let out = hocba(&[
        "class",
        "template",
        "--grade",
        "4",
        "--period",
        "CN",
        "--class",
        "4A",
        "-o",
        book.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read(&book).expect("xlsx").starts_with(b"PK"));
    // CSV → XLSX → CSV gives the committed table's values back.
    let xlsx = dir.join("table.xlsx");
    let csv = dir.join("table.csv");
    let csv_path = format!("{CLASS}/CN.csv");
    for (from, to) in [
        (csv_path.as_str(), &xlsx),
        (xlsx.to_str().expect("path"), &csv),
    ] {
        let out = hocba(&[
            "class",
            "convert",
            from,
            "--period",
            "CN",
            "--grade",
            "4",
            "-o",
            to.to_str().expect("path"),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let a = hocba(&["--format", "json", "class", "check", &csv_path]);
    let b = hocba(&[
        "--format",
        "json",
        "class",
        "check",
        csv.to_str().expect("path"),
    ]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(b.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn class_usage_errors_exit_2_with_a_bilingual_message() {
    let file = tmp("bang.csv", "Mã học sinh,Họ và tên\nHS1,An\n".as_bytes());
    let out = hocba(&["class", "check", file.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không xác định được kỳ"));
    let out = hocba(&["--lang", "en", "class", "check", "--period", "HK3", "x.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a period"));
    let out = hocba(&[
        "--lang",
        "en",
        "class",
        "check",
        "--period",
        "CN",
        "missing.xlsx",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open"));
}
