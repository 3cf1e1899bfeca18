//! Criterion benchmarks of the XML reader and writer on the grade-5 fixture (one school year,
//! four periods, a real JPEG portrait). Throughput is in records (elements) per second.
//!
//! `cargo bench -p hocba-core --bench xml`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn fixture() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/records/valid/grade-5.xml"
    );
    match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => panic!("{path}: {e}"),
    }
}

fn benches(c: &mut Criterion) {
    let xml = fixture();
    let record = match hocba_core::xml::from_slice(&xml) {
        Ok(r) => r,
        Err(e) => panic!("grade-5.xml: {e}"),
    };
    let json = hocba_core::json::to_vec(&record);

    let mut g = c.benchmark_group("record");
    g.throughput(Throughput::Elements(1));
    g.bench_function("xml_read", |b| {
        b.iter(|| hocba_core::xml::from_slice(black_box(&xml)))
    });
    // The floor: quick-xml's namespace-resolving tokenizer alone over the same bytes.
    g.bench_function("xml_tokenize_floor", |b| {
        b.iter(|| {
            let mut r = quick_xml::NsReader::from_reader(black_box(&xml[..]));
            let mut n = 0usize;
            while !matches!(
                r.read_resolved_event(),
                Ok((_, quick_xml::events::Event::Eof)) | Err(_)
            ) {
                n += 1;
            }
            n
        })
    });
    g.bench_function("xml_write", |b| {
        b.iter(|| hocba_core::xml::to_string(black_box(&record)))
    });
    g.bench_function("json_read", |b| {
        b.iter(|| hocba_core::json::from_slice(black_box(&json)))
    });
    g.bench_function("json_write", |b| {
        b.iter(|| hocba_core::json::to_string(black_box(&record)))
    });
    g.finish();
}

criterion_group!(xml, benches);
criterion_main!(xml);
