//! Criterion benchmark of rendering (issue 4, acceptance 5): the document of a one-year record
//! with a 30 KB JPEG portrait (grade 3), in the default (compressed) profile, for sixteen pupils
//! of a class in turn (`classmates.rs`: their own names, numbers and comments). Throughput in
//! documents per second; the size of one document is printed once.
//!
//! `cargo bench -p hocba-core --bench render -- --warm-up-time 1 --measurement-time 5`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hocba_core::pdf::{render, RenderSettings};
use std::hint::black_box;

#[path = "classmates.rs"]
mod classmates;

fn benches(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/records/valid/grade-3.xml"
    );
    let xml = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let class = classmates::classmates(&String::from_utf8_lossy(&xml));
    let settings = RenderSettings::default();
    let pdf = render(&class[0], &settings).unwrap_or_else(|e| panic!("{path}: {e}"));
    println!(
        "render: grade-3 (record {} bytes) -> {} bytes per document ({:.1} KiB)",
        xml.len(),
        pdf.len(),
        pdf.len() as f64 / 1024.0
    );
    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(1));
    let mut next = class.iter().cycle();
    g.bench_function("grade_3_document", |b| {
        b.iter(|| {
            let record = next.next().unwrap_or(&class[0]);
            render(black_box(record), black_box(&settings)).map(|p| p.len())
        })
    });
    g.bench_function("extract_xml", |b| {
        b.iter(|| hocba_core::pdf::extract_xml(black_box(&pdf)).map(|x| x.len()))
    });
    g.finish();
}

criterion_group!(render_bench, benches);
criterion_main!(render_bench);
