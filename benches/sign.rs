//! Criterion benchmark of signing: the rendered example signed as GVCN with the test PKI's
//! software RSA-2048 key (`fixtures/pki/ee/example-gvcn`). Target (performance.md): ≤ 3 ms.
//!
//! `cargo bench -p hocba-core --bench sign`

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use hocba_core::model::Timestamp;
use hocba_core::pdf::sign::{sign, Role, SignRequest, SigningKey};
use hocba_core::pdf::{render, RenderSettings};

fn read(path: &str) -> Vec<u8> {
    let p = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn benches(c: &mut Criterion) {
    let record = hocba_core::read_record(&read("fixtures/records/valid/example.xml"))
        .unwrap_or_else(|e| panic!("example: {e}"));
    let pdf = render(&record, &RenderSettings::default())
        .unwrap_or_else(|e| panic!("render: {}", e.message()));
    let pem = String::from_utf8_lossy(&read("fixtures/pki/ee/example-gvcn/key.pem")).into_owned();
    let key = SigningKey::from_pkcs8_pem(&pem, &read("fixtures/pki/ee/example-gvcn/chain.pem"))
        .unwrap_or_else(|e| panic!("key: {}", e.message()));
    let time = Timestamp::from("2025-05-26T16:30:00+07:00")
        .to_instant()
        .unwrap_or_else(|| panic!("time"));
    let request = SignRequest::new(Role::Gvcn, time);
    let mut g = c.benchmark_group("sign");
    g.bench_function("gvcn_rsa2048", |b| {
        b.iter(|| sign(black_box(&pdf), &request, &key))
    });
    g.finish();
}

criterion_group!(sign_benches, benches);
criterion_main!(sign_benches);
