//! Criterion benchmark of verification (performance.md): a record signed GVCN → HT → DAU (chains
//! of 3 under RSA-4096 roots, CRLs, revision diff, embedded XML validated) verified fully, and
//! in the same run the raw cryptography floor of that file as performance.md defines it:
//! SHA-256 over every signature's covered bytes plus each distinct RSA verification once (a
//! certificate or CRL shared by the chains counted once). Target: verify ≤ 1.5 × floor.
//!
//! Two files: `valid-gvcn-ht-dau.pdf` (`gvcn_ht_dau_*`: the seal under a second root, 12 RSA
//! verifications, 6 of them RSA-4096) and `valid-one-ca.pdf` (`one_ca_*`: every signer under
//! VNPT-CA, one root, 9 RSA verifications, 2 of them RSA-4096 — the file whose floor is the
//! "≈ 1 ms" of performance.md at its reference costs). Also the first file with a signature
//! cache shared by the calls (a batch's, or one Python `hocba.Verifier`'s).
//!
//! `cargo bench -p hocba-core --bench verify`

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use hocba_core::pdf::verify::{parse_rfc3339, verify, VerifyOptions};
use hocba_core::pki::{load_certificates, load_crls, SignatureCache};

#[path = "floor.rs"]
mod floor;

fn read(path: &str) -> Vec<u8> {
    let p = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn benches(c: &mut Criterion) {
    let mut options = VerifyOptions::new(parse_rfc3339("2026-11-28T00:00:00Z").unwrap_or(0));
    options.trust = load_certificates(&read("fixtures/pki/trust/bundle.pem")).unwrap_or_default();
    options.crls = load_crls(&read("fixtures/pki/ca/all-crls.pem")).unwrap_or_default();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut g = c.benchmark_group("verify");
    for (name, file, record) in [
        ("gvcn_ht_dau", "valid-gvcn-ht-dau.pdf", "example"),
        ("one_ca", "valid-one-ca.pdf", "grade-1"),
    ] {
        let pdf = read(&format!("fixtures/pdf/verify/{file}"));
        let report = verify(&pdf, &options).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.passed(), "{}", report.to_json());
        // The floor's inputs, gathered outside the timed loop.
        let floor = floor::Floor::new(&pdf, &options, root, record);
        let (rsa, big) = floor.composition();
        eprintln!("{file}: the floor has {rsa} RSA verifications, {big} of them RSA-4096");
        g.bench_function(format!("{name}_full"), |b| {
            b.iter(|| verify(black_box(&pdf), &options).map(|r| r.passed()))
        });
        g.bench_function(format!("{name}_raw_crypto_floor"), |b| {
            b.iter(|| floor.run(black_box(&pdf)))
        });
        if name == "gvcn_ht_dau" {
            // The same verification with a signature cache shared by the calls, as a batch (the
            // CLI's `verify` of many files, Python's `hocba.Verifier`) verifies: after the first
            // call the CA certificates' and CRLs' signatures are cache hits.
            let mut shared = options.clone();
            shared.shared_cache = Some(std::sync::Arc::new(SignatureCache::new()));
            g.bench_function("gvcn_ht_dau_shared_cache", |b| {
                b.iter(|| verify(black_box(&pdf), &shared).map(|r| r.passed()))
            });
        }
    }
    g.finish();
}

criterion_group!(verify_benches, benches);
criterion_main!(verify_benches);
