//! Builds the C and C++ programs of `tests/c/` (and the vendor example of `examples/cmake/`)
//! against the freshly built `libhocba.a` and the committed header, then runs them: once built
//! with AddressSanitizer and UndefinedBehaviorSanitizer (leaks included), once built plainly and
//! run under Valgrind when it is installed (sanitizers and Valgrind do not mix).
//!
//! The compilers are `$CC` (default `cc`) and `$CXX` (default `c++`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// Compiles and links one program; returns the executable's path.
fn compile(source: &Path, build: Build) -> PathBuf {
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
fn test_threads_with_sanitizers() {
    let (xml, _) = example_record();
    let exe = compile(&c_source("test_threads.c"), Build::Sanitized);
    let mut command = sanitized(&exe);
    command.arg(&xml);
    assert_success(command);
}

#[test]
fn test_threads_under_valgrind() {
    let (xml, _) = example_record();
    let exe = compile(&c_source("test_threads.c"), Build::Plain);
    if let Some(mut command) = valgrind() {
        command.arg(&exe).arg(&xml);
        assert_success(command);
    }
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

    let bad = out_dir().join("bad-record.xml");
    std::fs::write(
        &bad,
        "<HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">\n  <x/>\n",
    )
    .expect("write a bad record");
    let mut command = sanitized(&exe);
    command.arg(&bad);
    let output = run(command);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("dòng 2, cột 3: "), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// `docs/c-api.md` shows the vendor example verbatim.
#[test]
fn guide_shows_the_example_program() {
    let guide = std::fs::read_to_string(crate_dir().join("../docs/c-api.md"))
        .expect("docs/c-api.md exists");
    let example = std::fs::read_to_string(crate_dir().join("examples/cmake/main.c"))
        .expect("examples/cmake/main.c exists");
    assert!(
        guide.contains(&format!("```c\n{example}```")),
        "docs/c-api.md must contain hocba-ffi/examples/cmake/main.c verbatim in a ```c block"
    );
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
        .args(flags.split_whitespace());
    assert_success(command);
    let (xml, json) = example_record();
    let mut command = Command::new(&exe);
    command.arg(&xml);
    let output = assert_success(command);
    assert!(output.stdout == std::fs::read(&json).expect("read the example JSON"));
}
