//! Criterion benchmark of the class workflow: 1,000 pupils of grade 4 (the fixture class 4A's
//! 32 pupils repeated under new codes), their four period tables as XLSX workbooks (written by
//! hocba), the pupil list as CSV: read the tables and the list, build every record, validate it
//! and write its canonical XML. Throughput in pupils per second.
//!
//! `cargo bench -p hocba-core --bench class`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

use hocba_core::class::build::{build_records, ClassInfo, PupilList};
use hocba_core::class::sheet::{self, TableOptions};
use hocba_core::class::ClassTable;

const PUPILS: usize = 1_000;

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/class/4A")
}

fn read(name: &str) -> Vec<u8> {
    let p = dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The fixture's rows repeated up to `PUPILS`, the pupil code made unique.
fn scale(rows: &[Vec<String>], header: usize, code_col: usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = rows[..=header].to_vec();
    let body = &rows[header + 1..];
    for i in 0..PUPILS {
        let mut r = body[i % body.len()].clone();
        r[code_col] = format!("HS{i:05}");
        if let Some(stt) = r.first_mut().filter(|_| code_col != 0) {
            *stt = (i + 1).to_string();
        }
        out.push(r);
    }
    out
}

fn benches(c: &mut Criterion) {
    // Inputs: four XLSX tables, a CSV pupil list, the class information.
    let mut workbooks = Vec::new();
    for period in ["GHK1", "CHK1", "GHK2", "CN"] {
        let s = sheet::read_csv(&read(&format!("{period}.csv")), "t.csv").expect("csv");
        let header = s
            .rows
            .iter()
            .position(|r| r.iter().any(|c| c == "Mã học sinh"))
            .expect("header");
        let big = sheet::Sheet {
            name: s.name.clone(),
            rows: scale(&s.rows, header, 1),
        };
        let table = sheet::read_table(&big, &TableOptions::default()).expect("table");
        assert_eq!(table.rows.len(), PUPILS);
        workbooks.push(sheet::write_table_xlsx(&table).expect("xlsx"));
    }
    let list = sheet::read_csv(&read("hoc-sinh.csv"), "hoc-sinh.csv").expect("list");
    let list_rows = scale(&list.rows, 0, 1);
    let info = ClassInfo::from_json(&read("lop.json")).expect("lop.json");
    let photo = std::fs::read(dir().join("../../photos/portrait-1.jpg")).expect("photo");

    let run = || {
        let tables: Vec<ClassTable> = workbooks
            .iter()
            .map(|b| sheet::read_table_xlsx(b, None, &TableOptions::default()).expect("read"))
            .collect();
        let pupils = PupilList::from_rows("hoc-sinh.csv", &list_rows).expect("list");
        let built =
            build_records(&pupils, &info, &tables, &mut |_| Ok(photo.clone())).expect("build");
        let mut valid = 0usize;
        let mut bytes = 0usize;
        for (_, record) in &built.records {
            valid += usize::from(hocba_core::rules::validate(record).valid);
            bytes += hocba_core::xml::to_string(record).len();
        }
        (valid, bytes)
    };
    let (valid, _) = run();
    assert_eq!(valid, PUPILS, "every built record is valid");

    let mut g = c.benchmark_group("class");
    g.sample_size(10);
    g.throughput(Throughput::Elements(PUPILS as u64));
    g.bench_function("build_1000_pupils_from_xlsx", |b| {
        b.iter(|| black_box(run()))
    });
    g.finish();
}

criterion_group!(class, benches);
criterion_main!(class);
