//! The committed header `include/hocba.h` is what cbindgen generates from this crate.
//!
//! `HOCBA_UPDATE_HEADER=1 cargo test -p hocba-ffi --test header` rewrites it; review the diff.

use std::path::PathBuf;

fn header_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("include/hocba.h")
}

fn generate() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(format!("{dir}/cbindgen.toml"))
        .expect("hocba-ffi/cbindgen.toml reads");
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).expect("the header is UTF-8")
}

#[test]
fn committed_header_is_up_to_date() {
    let generated = generate();
    let path = header_path();
    if std::env::var_os("HOCBA_UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write include/hocba.h");
        eprintln!("rewrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let first_difference = committed
            .lines()
            .zip(generated.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map_or_else(
                || "one is a prefix of the other".to_owned(),
                |(i, (a, b))| format!("line {}:\n  committed: {a}\n  generated: {b}", i + 1),
            );
        panic!(
            "{} is missing or out of date ({first_difference}).\n\
             Regenerate it with: HOCBA_UPDATE_HEADER=1 cargo test -p hocba-ffi --test header",
            path.display()
        );
    }
}

/// The value of `#define NAME value` in the header.
fn define(header: &str, name: &str) -> Option<String> {
    header.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("#define") && words.next() == Some(name))
            .then(|| words.collect::<Vec<_>>().join(" "))
    })
}

#[test]
fn version_macros_match_cargo_toml() {
    let header = std::fs::read_to_string(header_path()).expect("include/hocba.h exists");
    for (name, expected) in [
        ("HOCBA_VERSION_MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
        ("HOCBA_VERSION_MINOR", env!("CARGO_PKG_VERSION_MINOR")),
        ("HOCBA_VERSION_PATCH", env!("CARGO_PKG_VERSION_PATCH")),
    ] {
        assert_eq!(
            define(&header, name).as_deref(),
            Some(expected),
            "{name} in include/hocba.h must match version {} of Cargo.toml: update \
             HOCBA_VERSION_* in hocba-ffi/src/lib.rs and regenerate the header",
            env!("CARGO_PKG_VERSION")
        );
    }
    // SAFETY: hocba_version returns a static NUL-terminated string.
    let runtime = unsafe { std::ffi::CStr::from_ptr(hocba::hocba_version()) };
    assert_eq!(runtime.to_str(), Ok(env!("CARGO_PKG_VERSION")));
}

#[test]
fn every_exported_function_is_declared() {
    let header = std::fs::read_to_string(header_path()).expect("include/hocba.h exists");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut exported = Vec::new();
    for entry in std::fs::read_dir(&src).expect("src/") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() == "#[unsafe(no_mangle)]" {
                let signature = lines.next().unwrap_or_default();
                let name = signature
                    .split("fn ")
                    .nth(1)
                    .and_then(|s| s.split('(').next())
                    .unwrap_or_default();
                exported.push(name.to_owned());
            }
        }
    }
    assert!(exported.len() >= 14, "found only {exported:?}");
    for name in &exported {
        assert!(name.starts_with("hocba_"), "{name} lacks the hocba_ prefix");
        assert!(
            header.contains(&format!(" {name}(")) || header.contains(&format!("*{name}(")),
            "{name} is not declared in include/hocba.h"
        );
    }
}
