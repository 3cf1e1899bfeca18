//! Builds the C and C++ programs of `tests/c/` (and the vendor examples of `examples/cmake/`)
//! against the freshly built `libhocba.a` and the committed header, then runs them: once built
//! with AddressSanitizer and UndefinedBehaviorSanitizer (leaks included), once built plainly and
//! run under Valgrind when it is installed (sanitizers and Valgrind do not mix).
//!
//! The validation report and the code catalogue of the C API are also compared with those of
//! the command line (`target/<profile>/hocba`, built by `cargo test --workspace`).
//!
//! The compilers are `$CC` (default `cc`) and `$CXX` (default `c++`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

const C_FLAGS: &[&str] = &[
    "-std=c11",
    "-Wall",
    "-Wextra",
    "-Wpedantic",
    "-Werror",
    "-g",
];
const CXX_FLAGS: &[&str] = &[
    "-std=c++17",
    "-Wall",
    "-Wextra",
    "-Wpedantic",
    "-Werror",
    "-g",
];
const SANITIZE: &[&str] = &[
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    "-fno-omit-frame-pointer",
];
/// The system libraries the Rust standard library needs in a static link
/// (`rustc --print native-static-libs`).
const SYSTEM_LIBS: &[&str] = &["-lpthread", "-ldl", "-lm"];
/// Drops the parts of the static library a program does not call: the programs stay small
/// (every one links the whole library, and a CI machine's disk is not always large).
const LINK_FLAGS: &[&str] = &["-Wl,--gc-sections"];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `libhocba.a` of this very build: cargo writes it to `deps/`, next to this test's
/// executable, when it builds the library for the tests (`deps/..` holds a copy only after a
/// plain `cargo build`, which may be older).
fn static_lib() -> PathBuf {
    let exe = std::env::current_exe().expect("path of the test executable");
    let deps = exe.parent().expect("the test executable is in deps/");
    let candidates = [
        deps.join("libhocba.a"),
        deps.parent()
            .map_or_else(PathBuf::new, |d| d.join("libhocba.a")),
    ];
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| panic!("libhocba.a not found at {candidates:?}"))
}

/// The canonical XML and JSON forms of one record: the repository's fixture when it exists,
/// else the specification's example beside the repository.
fn example_record() -> (PathBuf, PathBuf) {
    let fixtures = crate_dir().join("../fixtures/records/valid");
    let (xml, json) = (fixtures.join("example.xml"), fixtures.join("example.json"));
    if xml.is_file() && json.is_file() {
        return (xml, json);
    }
    let spec = crate_dir().join("../../shared/spec/examples");
    let (xml, json) = (
        spec.join("hocba-example.xml"),
        spec.join("hocba-example.json"),
    );
    assert!(
        xml.is_file() && json.is_file(),
        "no example record: neither fixtures/records/valid/example.{{xml,json}} nor {}",
        spec.display()
    );
    (xml, json)
}

/// Every valid fixture that has both forms (`NAME.xml` and `NAME.json`), at least the example.
fn all_records() -> Vec<(PathBuf, PathBuf)> {
    let example = example_record();
    let mut pairs: Vec<(PathBuf, PathBuf)> =
        std::fs::read_dir(crate_dir().join("../fixtures/records/valid"))
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let xml = entry.ok()?.path();
                let json = xml.with_extension("json");
                (xml.extension()? == "xml" && json.is_file()).then_some((xml, json))
            })
            .filter(|(xml, _)| *xml != example.0)
            .collect();
    pairs.sort();
    pairs.insert(0, example);
    pairs
}

/// Every file of a fixtures folder (`valid`, `invalid`), sorted; none when it does not exist.
fn fixture_files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(crate_dir().join("../fixtures/records").join(folder))
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let hidden = path.file_name()?.to_string_lossy().starts_with('.');
                (path.is_file() && !hidden).then_some(path)
            })
            .collect();
    files.sort();
    files
}

/// The valid records in XML and JSON: the example, then every file of `fixtures/records/valid/`.
fn valid_files() -> Vec<PathBuf> {
    let example = example_record();
    let mut files = vec![example.0.clone(), example.1.clone()];
    files.extend(
        fixture_files("valid")
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
            .filter(|p| *p != example.0 && *p != example.1),
    );
    files
}

/// The example record with its first score of 9 changed to 11: one `score_out_of_range` at
/// `namHoc.0.monHoc.0.diem`.
fn score_of_eleven() -> PathBuf {
    let xml = std::fs::read_to_string(example_record().0).expect("read the example XML");
    assert!(
        xml.contains("<diem>9</diem>"),
        "no <diem>9</diem> in the example"
    );
    write_file(
        "score-11.xml",
        &xml.replacen("<diem>9</diem>", "<diem>11</diem>", 1),
    )
}

/// A file that is not a record: an unknown element on line 2, column 3.
fn bad_record() -> PathBuf {
    write_file(
        "bad-record.xml",
        "<HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">\n  <x/>\n",
    )
}

/// Writes `contents` to `name` in the output directory, atomically (the tests run in parallel
/// and may write and read the same file at once); returns its path.
fn write_file(name: &str, contents: &str) -> PathBuf {
    let path = out_dir().join(name);
    let temporary = out_dir().join(format!("{name}.{:?}.tmp", std::thread::current().id()));
    std::fs::write(&temporary, contents).expect("write a test file");
    std::fs::rename(&temporary, &path).expect("rename a test file");
    path
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hocba-ffi-c");
    std::fs::create_dir_all(&dir).expect("create the output directory");
    dir
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(mut command: Command) -> Output {
    let text = describe(&command);
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{text}`: {e}"));
    eprintln!("$ {text}\n{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn assert_success(command: Command) -> Output {
    let text = describe(&command);
    let output = run(command);
    assert!(
        output.status.success(),
        "`{text}` failed: {}",
        output.status
    );
    output
}

#[derive(Clone, Copy, PartialEq)]
enum Build {
    /// With AddressSanitizer (and LeakSanitizer) and UndefinedBehaviorSanitizer.
    Sanitized,
    /// Without instrumentation, for Valgrind.
    Plain,
}

/// Compiles and links one program, once per test process (tests run in parallel and may want
/// the same program); returns the executable's path.
fn compile(source: &Path, build: Build) -> PathBuf {
    static BUILT: Mutex<Vec<(PathBuf, bool, PathBuf)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    let key = (source.to_path_buf(), build == Build::Sanitized);
    if let Some((_, _, exe)) = built.iter().find(|(s, b, _)| (s, b) == (&key.0, &key.1)) {
        return exe.clone();
    }
    let exe = compile_now(source, build);
    built.push((key.0, key.1, exe.clone()));
    exe
}

fn compile_now(source: &Path, build: Build) -> PathBuf {
    let cxx = source.extension().is_some_and(|e| e == "cpp");
    let compiler = if cxx {
        std::env::var("CXX").unwrap_or_else(|_| "c++".into())
    } else {
        std::env::var("CC").unwrap_or_else(|_| "cc".into())
    };
    let stem = source.file_stem().expect("file name").to_string_lossy();
    let suffix = match build {
        Build::Sanitized => "asan",
        Build::Plain => "plain",
    };
    let exe = out_dir().join(format!("{stem}-{suffix}"));
    let mut command = Command::new(compiler);
    command.args(if cxx { CXX_FLAGS } else { C_FLAGS });
    if build == Build::Sanitized {
        command.args(SANITIZE);
    }
    command
        .arg("-pthread")
        .arg("-I")
        .arg(crate_dir().join("include"))
        .arg("-I")
        .arg(crate_dir().join("tests/c"))
        .arg(source)
        .arg(static_lib())
        .args(SYSTEM_LIBS)
        .args(LINK_FLAGS)
        .arg("-o")
        .arg(&exe);
    assert_success(command);
    exe
}

fn c_source(name: &str) -> PathBuf {
    crate_dir().join("tests/c").join(name)
}

fn sanitized(exe: &Path) -> Command {
    let mut command = Command::new(exe);
    command
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=1:abort_on_error=0:exitcode=86",
        )
        .env(
            "UBSAN_OPTIONS",
            "print_stacktrace=1:halt_on_error=1:exitcode=87",
        );
    command
}

/// `valgrind` when it is installed; `None` (after a note) otherwise.
fn valgrind() -> Option<Command> {
    let found = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("note: valgrind is not installed; skipping the Valgrind run");
        return None;
    }
    let mut command = Command::new("valgrind");
    command.args([
        "--quiet",
        "--leak-check=full",
        "--show-leak-kinds=definite,indirect,possible",
        "--errors-for-leak-kinds=definite,indirect,possible",
        "--error-exitcode=1",
    ]);
    Some(command)
}

#[test]
fn test_record_with_sanitizers() {
    let exe = compile(&c_source("test_record.c"), Build::Sanitized);
    for (xml, json) in all_records() {
        let mut command = sanitized(&exe);
        command.arg(&xml).arg(&json);
        assert_success(command);
    }
}

#[test]
fn test_record_under_valgrind() {
    let (xml, json) = example_record();
    let exe = compile(&c_source("test_record.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).arg(&xml).arg(&json);
        assert_success(command);
    }
}

#[test]
fn test_report_with_sanitizers() {
    let exe = compile(&c_source("test_report.c"), Build::Sanitized);
    let mut command = sanitized(&exe);
    command.args(valid_files());
    let output = assert_success(command);
    assert!(String::from_utf8_lossy(&output.stdout).contains("test_report: all checks passed"));
}

#[test]
fn test_report_under_valgrind() {
    let exe = compile(&c_source("test_report.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).args(valid_files());
        assert_success(command);
    }
}

/// The arguments of `test_render.c`: a one-year canonical record, one with an error, a font.
fn render_args() -> Vec<PathBuf> {
    let valid = crate_dir().join("../fixtures/records/valid/grade-3.xml");
    let font = crate_dir().join("../hocba-core/fonts/LiberationSerif-Bold.ttf");
    vec![valid, score_of_eleven(), font]
}

#[test]
fn test_render_with_sanitizers() {
    let exe = compile(&c_source("test_render.c"), Build::Sanitized);
    let mut command = sanitized(&exe);
    command.args(render_args());
    let output = assert_success(command);
    assert!(String::from_utf8_lossy(&output.stdout).contains("test_render: all checks passed"));
}

#[test]
fn test_render_under_valgrind() {
    let exe = compile(&c_source("test_render.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).args(render_args());
        assert_success(command);
    }
}

/// The arguments of `test_sign.c`: the example record, the GVCN and HT keys and chains of the
/// test PKI.
fn sign_args() -> Vec<PathBuf> {
    let ee = crate_dir().join("../fixtures/pki/ee");
    vec![
        example_record().0,
        ee.join("example-gvcn/key.pem"),
        ee.join("example-gvcn/chain.pem"),
        ee.join("example-ht/key.pem"),
        ee.join("example-ht/chain.pem"),
    ]
}

#[test]
fn test_sign_with_sanitizers() {
    let exe = compile(&c_source("test_sign.c"), Build::Sanitized);
    let mut command = sanitized(&exe);
    command.args(sign_args()).arg(p12_arg());
    let output = assert_success(command);
    assert!(String::from_utf8_lossy(&output.stdout).contains("test_sign: all checks passed"));
}

#[test]
fn test_sign_under_valgrind() {
    let exe = compile(&c_source("test_sign.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).args(sign_args()).arg(p12_arg());
        assert_success(command);
    }
}

/// The last argument of `test_sign.c`: the GVCN identity as PKCS#12 (password `hocba-test`).
fn p12_arg() -> PathBuf {
    crate_dir().join("../fixtures/pki/ee/example-gvcn/identity.p12")
}

/// The arguments of `test_timestamp.c`: the example record, the GVCN key and chain, the test
/// TSA's certificate and key, an empty work directory, the trust anchors and the CRLs. `None`
/// when `openssl` (the time-stamping authority of the test) is missing, outside CI.
fn timestamp_args(run: &str) -> Option<Vec<PathBuf>> {
    let found = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl is required when CI is set (apt-get install openssl)"
        );
        eprintln!("note: openssl is not installed; skipping test_timestamp");
        return None;
    }
    let pki = crate_dir().join("../fixtures/pki");
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("timestamp-{run}"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("create the work directory");
    Some(vec![
        example_record().0,
        pki.join("ee/example-gvcn/key.pem"),
        pki.join("ee/example-gvcn/chain.pem"),
        pki.join("ee/tsa/cert.pem"),
        pki.join("ee/tsa/key.pem"),
        work,
        pki.join("trust/bundle.pem"),
        pki.join("ca/all-crls.pem"),
    ])
}

#[test]
fn test_timestamp_with_sanitizers() {
    let Some(args) = timestamp_args("sanitized") else {
        return;
    };
    let exe = compile(&c_source("test_timestamp.c"), Build::Sanitized);
    let mut command = sanitized(&exe);
    command.args(args);
    let output = assert_success(command);
    assert!(String::from_utf8_lossy(&output.stdout).contains("test_timestamp: all checks passed"));
}

#[test]
fn test_timestamp_under_valgrind() {
    let Some(args) = timestamp_args("valgrind") else {
        return;
    };
    let exe = compile(&c_source("test_timestamp.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).args(args);
        assert_success(command);
    }
}

/// The arguments of `test_verify.c`: those of `test_sign.c`, the trust anchors and the CRLs.
fn verify_args() -> Vec<PathBuf> {
    let pki = crate_dir().join("../fixtures/pki");
    let mut args = sign_args();
    args.push(pki.join("trust/bundle.pem"));
    args.push(pki.join("ca/all-crls.pem"));
    args
}

#[test]
fn test_verify_with_sanitizers() {
    let exe = compile(&c_source("test_verify.c"), Build::Sanitized);
    let mut command = sanitized(&exe);
    command.args(verify_args());
    let output = assert_success(command);
    assert!(String::from_utf8_lossy(&output.stdout).contains("test_verify: all checks passed"));
}

#[test]
fn test_verify_under_valgrind() {
    let exe = compile(&c_source("test_verify.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).args(verify_args());
        assert_success(command);
    }
}

/// The fixture class of `test_class.c` (`hoc-sinh.csv`, `lop.json`, the four period tables).
fn class_dir() -> PathBuf {
    crate_dir().join("../fixtures/class/4A")
}

#[test]
fn test_class_with_sanitizers() {
    let exe = compile(&c_source("test_class.c"), Build::Sanitized);
    let mut command = sanitized(&exe);
    command.arg(class_dir());
    let output = assert_success(command);
    assert!(String::from_utf8_lossy(&output.stdout).contains("test_class: all checks passed"));
}

#[test]
fn test_class_under_valgrind() {
    let exe = compile(&c_source("test_class.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).arg(class_dir());
        assert_success(command);
    }
}

/// The threads share a valid record (no finding) and one with a finding.
#[test]
fn test_threads_with_sanitizers() {
    let (xml, _) = example_record();
    let exe = compile(&c_source("test_threads.c"), Build::Sanitized);
    for record in [xml, score_of_eleven()] {
        let mut command = sanitized(&exe);
        command.arg(&record);
        assert_success(command);
    }
}

#[test]
fn test_threads_under_valgrind() {
    let (xml, _) = example_record();
    let exe = compile(&c_source("test_threads.c"), Build::Plain);
    for record in [xml, score_of_eleven()] {
        let Some(mut command) = valgrind() else {
            return;
        };
        command.arg(&exe).arg(&record);
        assert_success(command);
    }
}

/// The command line `hocba` of this build (`target/<profile>/hocba`, next to `deps/`), when it
/// is there and up to date (no source file listed in its `hocba.d` is newer); `None` (after a
/// note) otherwise: `cargo test --workspace` builds it, `cargo test -p hocba-ffi` does not.
fn cli() -> Option<PathBuf> {
    let exe = std::env::current_exe().expect("path of the test executable");
    let dir = exe.parent()?.parent()?;
    let cli = dir.join(format!("hocba{}", std::env::consts::EXE_SUFFIX));
    let skip = |why: &str| {
        eprintln!(
            "note: {} {why} (run `cargo test --workspace` or `cargo build -p hocba-cli`); \
             skipping the comparison with the command line",
            cli.display()
        );
        None
    };
    let Ok(built) = cli.metadata().and_then(|m| m.modified()) else {
        return skip("is absent");
    };
    // The dependency file cargo writes beside the binary: "target: source source ...", with
    // the spaces inside a path escaped as "\ ".
    let sources = std::fs::read_to_string(dir.join("hocba.d")).unwrap_or_default();
    let sources = sources
        .split_once(": ")
        .map_or("", |(_, s)| s)
        .replace("\\ ", "\0");
    let stale = sources
        .split_whitespace()
        .map(|s| PathBuf::from(s.replace('\0', " ")))
        .filter_map(|s| s.metadata().and_then(|m| m.modified()).ok())
        .any(|modified| modified > built);
    if stale {
        return skip("is older than its sources");
    }
    Some(cli)
}

/// For every file of `fixtures/records/valid/` and `fixtures/records/invalid/`:
/// `hocba_report_to_json` gives the same JSON, byte for byte, as
/// `hocba --format json validate FILE` without its `"file"` member, and the same exit status
/// (0 valid, 1 errors, 2 unreadable); an unreadable file gives the same messages.
#[test]
fn report_json_matches_the_command_line() {
    let Some(cli) = cli() else { return };
    let exe = compile(&c_source("report_json.c"), Build::Sanitized);
    let mut files = fixture_files("valid");
    files.extend(fixture_files("invalid"));
    files.push(score_of_eleven());
    files.push(bad_record());
    let mut mismatches = Vec::new();
    for file in &files {
        let mut command = Command::new(&cli);
        command.args(["--format", "json", "validate"]).arg(file);
        let by_cli = run(command);
        let mut command = sanitized(&exe);
        command.arg(file);
        let by_c = run(command);
        if let Err(why) = compare_reports(&by_cli, &by_c) {
            mismatches.push(format!("{}: {why}", file.display()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "the C API and the command line differ:\n{}",
        mismatches.join("\n")
    );
}

/// For every document of `fixtures/pdf/verify/`:
/// `hocba_verify`'s report JSON equals `hocba --format json verify FILE` without its `"file"`
/// member, with the same anchors, CRLs and validation time; the CLI exits 0 exactly when the
/// report says TOTAL_PASSED.
#[test]
fn verify_json_matches_the_command_line() {
    let Some(cli) = cli() else { return };
    let fixtures = crate_dir().join("../fixtures");
    let trust = fixtures.join("pki/trust/bundle.pem");
    let crls = fixtures.join("pki/ca/all-crls.pem");
    let expected: serde_json::Value = serde_json::from_slice(
        &std::fs::read(fixtures.join("pdf/verify/expected.json")).expect("expected.json"),
    )
    .expect("json");
    let at = expected["validationTime"].as_str().expect("validationTime");
    let options = serde_json::json!({
        "trust": [std::fs::read_to_string(&trust).expect("trust")],
        "crl": [std::fs::read_to_string(&crls).expect("crls")],
        "at": at,
    })
    .to_string();
    let options = std::ffi::CString::new(options).expect("options");
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(fixtures.join("pdf/verify"))
        .expect("fixtures/pdf/verify")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert!(pdfs.len() >= 30, "{pdfs:?}");
    let mut mismatches = Vec::new();
    for pdf in &pdfs {
        let bytes = std::fs::read(pdf).expect("pdf");
        let mut out: *mut hocba::hocba_buffer = std::ptr::null_mut();
        // SAFETY: valid pointers and lengths for the call.
        let result = unsafe {
            hocba::hocba_verify(
                bytes.as_ptr(),
                bytes.len(),
                options.as_ptr(),
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(result, hocba::hocba_result::Ok, "{}", pdf.display());
        // SAFETY: a buffer returned by the library, read then freed once.
        let by_c: serde_json::Value = unsafe {
            let data = hocba::hocba_buffer_data(out);
            let len = hocba::hocba_buffer_len(out);
            let v = serde_json::from_slice(std::slice::from_raw_parts(data, len)).expect("JSON");
            hocba::hocba_buffer_free(out);
            v
        };
        let mut command = Command::new(&cli);
        command
            .args(["--format", "json", "verify", "--at", at, "--trust"])
            .arg(&trust)
            .arg("--crl")
            .arg(&crls)
            .arg(pdf);
        let output = run(command);
        let mut by_cli: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("CLI JSON");
        if let Some(m) = by_cli.as_object_mut() {
            m.remove("file");
        }
        let passed = by_c["indication"] == "TOTAL_PASSED";
        if by_cli != by_c || output.status.code() != Some(if passed { 0 } else { 1 }) {
            mismatches.push(pdf.display().to_string());
        }
    }
    assert!(
        mismatches.is_empty(),
        "the C API and the command line differ for: {mismatches:?}"
    );
}

/// Compares the outputs of `hocba --format json validate FILE` and of `report_json FILE`.
fn compare_reports(by_cli: &Output, by_c: &Output) -> Result<(), String> {
    let (cli_code, c_code) = (by_cli.status.code(), by_c.status.code());
    if !matches!(c_code, Some(0..=2)) {
        return Err(format!("report_json failed: {}", by_c.status));
    }
    if cli_code != c_code {
        return Err(format!("exit status {cli_code:?} (CLI) != {c_code:?} (C)"));
    }
    let mut cli_json: serde_json::Value = serde_json::from_slice(&by_cli.stdout)
        .map_err(|e| format!("the CLI's output is not JSON: {e}"))?;
    let object = cli_json
        .as_object_mut()
        .ok_or("the CLI's output is not a JSON object")?;
    let file = object.shift_remove("file");
    if c_code == Some(2) {
        // Unreadable: the CLI says "FILE: message"; the C API gives the message.
        let stderr = String::from_utf8_lossy(&by_c.stderr);
        let mut lines = stderr.lines();
        let (en, vi) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""));
        let error = object
            .get("error")
            .ok_or("no \"error\" in the CLI's output")?;
        let file = file.as_ref().and_then(|f| f.as_str()).unwrap_or("");
        for (key, c_message) in [("message", en), ("messageVi", vi)] {
            let cli_message = error[key].as_str().unwrap_or("");
            let cli_message = cli_message
                .strip_prefix(file)
                .and_then(|m| m.strip_prefix(": "))
                .unwrap_or(cli_message);
            if c_message.is_empty() || cli_message != c_message {
                return Err(format!(
                    "error.{key}: {cli_message:?} (CLI) != {c_message:?} (C)"
                ));
            }
        }
        return Ok(());
    }
    let mut expected =
        serde_json::to_string_pretty(&cli_json).map_err(|e| format!("re-serialising: {e}"))?;
    expected.push('\n');
    if by_c.stdout != expected.as_bytes() {
        let c = String::from_utf8_lossy(&by_c.stdout);
        let line = expected
            .lines()
            .zip(c.lines())
            .position(|(a, b)| a != b)
            .map_or(expected.lines().count().min(c.lines().count()), |i| i);
        return Err(format!(
            "the reports differ from line {}:\n  CLI: {:?}\n  C:   {:?}",
            line + 1,
            expected.lines().nth(line),
            c.lines().nth(line)
        ));
    }
    Ok(())
}

/// For each period table of the fixture class: the JSON of `hocba_class_check`'s report
/// (`hocba_report_to_json`) is, byte for byte, `hocba --format json class check FILE` without
/// its `"file"` member, and the exit status agrees (0 valid, 1 errors).
#[test]
fn class_check_json_matches_the_command_line() {
    let Some(cli) = cli() else { return };
    let mut mismatches = Vec::new();
    for period in ["GHK1", "CHK1", "GHK2", "CN"] {
        let file = class_dir().join(format!("{period}.csv"));
        let mut command = Command::new(&cli);
        command
            .args(["--format", "json", "class", "check"])
            .arg(&file);
        let by_cli = run(command);
        let mut cli_json: serde_json::Value =
            serde_json::from_slice(&by_cli.stdout).expect("the CLI prints JSON");
        cli_json
            .as_object_mut()
            .expect("a JSON object")
            .shift_remove("file");
        let mut expected = serde_json::to_string_pretty(&cli_json).expect("JSON");
        expected.push('\n');

        let bytes = std::fs::read(&file).expect("read the table");
        let name = std::ffi::CString::new(file.to_string_lossy().into_owned()).expect("no NUL");
        let mut report = std::ptr::null_mut();
        let mut buffer = std::ptr::null_mut();
        // SAFETY: a valid slice and string, writable out pointers; each object freed once.
        let (c_json, valid) = unsafe {
            assert_eq!(
                hocba::hocba_class_check(
                    bytes.as_ptr(),
                    bytes.len(),
                    name.as_ptr(),
                    std::ptr::null(),
                    &mut report,
                    std::ptr::null_mut(),
                ),
                hocba::hocba_result::Ok
            );
            assert_eq!(
                hocba::hocba_report_to_json(report, &mut buffer),
                hocba::hocba_result::Ok
            );
            let json = std::slice::from_raw_parts(
                hocba::hocba_buffer_data(buffer),
                hocba::hocba_buffer_len(buffer),
            )
            .to_vec();
            let valid = hocba::hocba_report_valid(report);
            hocba::hocba_buffer_free(buffer);
            hocba::hocba_report_free(report);
            (json, valid)
        };
        if c_json != expected.as_bytes() {
            mismatches.push(format!("{period}: the reports differ"));
        }
        if by_cli.status.code() != Some(i32::from(!valid)) {
            mismatches.push(format!("{period}: exit status {:?}", by_cli.status.code()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "hocba_class_check and the command line differ:\n{}",
        mismatches.join("\n")
    );
}

/// `hocba_codes_json` gives the same bytes as `hocba --format json codes`.
#[test]
fn codes_json_matches_the_command_line() {
    let Some(cli) = cli() else { return };
    let exe = compile(&c_source("report_json.c"), Build::Sanitized);
    let mut command = Command::new(&cli);
    command.args(["--format", "json", "codes"]);
    let by_cli = assert_success(command);
    let mut command = sanitized(&exe);
    command.arg("--codes");
    let by_c = assert_success(command);
    assert!(
        by_cli.stdout == by_c.stdout,
        "hocba_codes_json differs from `hocba --format json codes`"
    );
    let list: serde_json::Value = serde_json::from_slice(&by_c.stdout).expect("JSON");
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(
            hocba_core::rules::codes::ALL.len()
                + hocba_core::rules::codes::TABLE.len()
                + hocba_core::pdf::verify::messages::ALL.len()
        )
    );
}

#[test]
fn cpp_smoke_test() {
    let exe = compile(&c_source("smoke.cpp"), Build::Sanitized);
    let output = assert_success(sanitized(&exe));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("smoke: hocba "));
}

/// The vendor example (`examples/cmake/main.c`, also printed in `docs/c-api.md`) builds,
/// converts the example record to its canonical JSON, and reports an error in Vietnamese.
#[test]
fn vendor_example_program() {
    let (xml, json) = example_record();
    let exe = compile(&crate_dir().join("examples/cmake/main.c"), Build::Sanitized);

    let mut command = sanitized(&exe);
    command.arg(&xml);
    let output = assert_success(command);
    let expected = std::fs::read(&json).expect("read the example JSON");
    assert!(output.stdout == expected, "the JSON differs from {json:?}");

    let mut command = sanitized(&exe);
    command.arg(bad_record());
    let output = run(command);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("dòng 2, cột 3: "), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// The validation example (`examples/cmake/validate.c`, also printed in `docs/c-api.md`)
/// prints the findings in Vietnamese, with exit status 0 (valid), 1 (errors) or 2 (unreadable).
#[test]
fn vendor_validate_example_program() {
    let (xml, json) = example_record();
    let exe = compile(
        &crate_dir().join("examples/cmake/validate.c"),
        Build::Sanitized,
    );

    for record in [&xml, &json] {
        let mut command = sanitized(&exe);
        command.arg(record);
        let output = assert_success(command);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            stdout,
            format!("{}: hợp lệ, 0 phát hiện\n", record.display())
        );
    }

    let bad_score = score_of_eleven();
    let mut command = sanitized(&exe);
    command.arg(&bad_score);
    let output = run(command);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "lỗi namHoc.0.monHoc.0.diem: điểm 11 không phải số nguyên từ 0 đến 10; hãy sửa lại \
             (score_out_of_range, TT27 Điều 7)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "{}: không hợp lệ, {} phát hiện\n",
            bad_score.display(),
            stdout.lines().count() - 1
        )),
        "{stdout}"
    );

    let mut command = sanitized(&exe);
    command.arg(bad_record());
    let output = run(command);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("dòng 2, cột 3: "));
    assert!(output.stdout.is_empty());
}

/// The verification example (`examples/cmake/verify.c`, also printed in `docs/c-api.md`)
/// validates the example record and verifies signed fixtures: exit 0 for a valid document, 1 for
/// a modified one, 2 for a file that is not a PDF.
#[test]
fn vendor_verify_example_program() {
    let (xml, _) = example_record();
    let exe = compile(
        &crate_dir().join("examples/cmake/verify.c"),
        Build::Sanitized,
    );
    let fixtures = crate_dir().join("../fixtures");
    for (pdf, code) in [
        ("pdf/verify/valid-gvcn-ht-dau.pdf", 0),
        ("pdf/verify/page-content-changed.pdf", 1),
        ("records/valid/example.xml", 2),
    ] {
        let mut command = sanitized(&exe);
        command
            .arg(&xml)
            .arg(fixtures.join(pdf))
            .arg(fixtures.join("pki/trust/bundle.pem"))
            .arg(fixtures.join("pki/ca/all-crls.pem"));
        let output = run(command);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{pdf}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("record valid"), "{stdout}");
        if code < 2 {
            assert!(stdout.contains("\"signatures\""), "{stdout}");
        }
    }
}

/// `docs/c-api.md` shows the vendor examples verbatim.
#[test]
fn guide_shows_the_example_programs() {
    let guide = std::fs::read_to_string(crate_dir().join("../docs/c-api.md"))
        .expect("docs/c-api.md exists");
    for name in ["main.c", "validate.c", "verify.c"] {
        let example = std::fs::read_to_string(crate_dir().join("examples/cmake").join(name))
            .unwrap_or_else(|e| panic!("examples/cmake/{name}: {e}"));
        assert!(
            guide.contains(&format!("```c\n{example}```")),
            "docs/c-api.md must contain hocba-ffi/examples/cmake/{name} verbatim in a ```c block"
        );
    }
}

/// `hocba.pc.in`, filled in for an install prefix holding the header and the static library,
/// gives pkg-config the flags a vendor's build needs to compile and link the example.
#[test]
fn pkg_config_template_links_the_example() {
    let found = Command::new("pkg-config")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("note: pkg-config is not installed; skipping the pkg-config test");
        return;
    }
    let prefix = out_dir().join("prefix");
    let _ = std::fs::remove_dir_all(&prefix);
    for dir in ["include", "lib", "lib/pkgconfig"] {
        std::fs::create_dir_all(prefix.join(dir)).expect("create the install prefix");
    }
    std::fs::copy(
        crate_dir().join("include/hocba.h"),
        prefix.join("include/hocba.h"),
    )
    .expect("install hocba.h");
    std::os::unix::fs::symlink(static_lib(), prefix.join("lib/libhocba.a"))
        .expect("install libhocba.a");
    let template =
        std::fs::read_to_string(crate_dir().join("hocba.pc.in")).expect("read hocba.pc.in");
    let pc = template
        .replace("@prefix@", &prefix.to_string_lossy())
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"));
    assert!(!pc.contains('@'), "unfilled placeholder in hocba.pc.in");
    std::fs::write(prefix.join("lib/pkgconfig/hocba.pc"), pc).expect("write hocba.pc");

    let mut command = Command::new("pkg-config");
    command
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .args(["--static", "--cflags", "--libs", "hocba"]);
    let flags = String::from_utf8(assert_success(command).stdout).expect("UTF-8 flags");
    let mut command = Command::new("pkg-config");
    command
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .args(["--modversion", "hocba"]);
    let version = assert_success(command).stdout;
    assert_eq!(
        String::from_utf8_lossy(&version).trim(),
        env!("CARGO_PKG_VERSION")
    );

    let exe = out_dir().join("example-pkg-config");
    let mut command = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    command
        .args(C_FLAGS)
        .arg(crate_dir().join("examples/cmake/main.c"))
        .arg("-o")
        .arg(&exe)
        .args(flags.split_whitespace())
        .args(LINK_FLAGS);
    assert_success(command);
    let (xml, json) = example_record();
    let mut command = Command::new(&exe);
    command.arg(&xml);
    let output = assert_success(command);
    assert!(output.stdout == std::fs::read(&json).expect("read the example JSON"));
}
