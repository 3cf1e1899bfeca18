//! Criterion benchmarks of the rule engine: parse + validate of a one-year record with a 30 KB
//! JPEG portrait (grade 3), and validate alone. Throughput in records per second.
//!
//! `cargo bench -p hocba-core --bench validate`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/records/valid/grade-3.xml"
    );
    let xml = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let record = hocba_core::xml::from_slice(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(hocba_core::rules::validate(&record).valid);
    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse_and_validate", |b| {
        b.iter(|| {
            let r = hocba_core::xml::from_slice(black_box(&xml))
                .map(|r| hocba_core::rules::validate(&r));
            black_box(r.map(|rep| rep.valid))
        })
    });
    g.bench_function("validate", |b| {
        b.iter(|| hocba_core::rules::validate(black_box(&record)))
    });
    g.finish();
}

criterion_group!(validate, benches);
criterion_main!(validate);
