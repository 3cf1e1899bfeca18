//! A loop for profilers (`valgrind --tool=callgrind`, `perf`): verifies one signed PDF N times
//! with the test PKI's anchors and CRLs.
//! `cargo run --release -p hocba-core --example profile_verify -- [FILE] [N] [full|floor|ratio] [RECORD]`
//!
//! `floor` runs the raw cryptography floor of `benches/verify.rs` instead (SHA-256 of the
//! covered ranges and each distinct RSA verification once; FILE must then be RECORD signed
//! GVCN → HT → DAU by the test PKI's `RECORD-gvcn`, `RECORD-ht` and `RECORD-dau`; RECORD is
//! `example` by default, `grade-1` for `valid-one-ca.pdf`). `ratio` alternates blocks of ten full verifications and ten floor passes, N blocks
//! each, and prints the fastest block of each and their ratio: on a busy machine the fastest
//! blocks are the ones nothing interrupted, so the ratio holds where criterion's means drift.

#[path = "../../benches/floor.rs"]
mod floor;

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .unwrap_or_else(|| "fixtures/pdf/verify/valid-gvcn-ht-dau.pdf".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let mode = args.next().unwrap_or_else(|| "full".into());
    let record = args.next().unwrap_or_else(|| "example".into());
    let read = |p: &str| {
        std::fs::read(p).unwrap_or_else(|e| {
            eprintln!("{p}: {e}");
            std::process::exit(2)
        })
    };
    let pdf = read(&file);
    let mut options = hocba_core::pdf::verify::VerifyOptions::new(1_795_824_000);
    options.trust = hocba_core::pki::load_certificates(&read("fixtures/pki/trust/bundle.pem"))
        .unwrap_or_default();
    options.crls =
        hocba_core::pki::load_crls(&read("fixtures/pki/ca/all-crls.pem")).unwrap_or_default();
    if mode == "ratio" {
        let floor = floor::Floor::new(
            &pdf,
            &options,
            concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
            &record,
        );
        let (mut best_full, mut best_floor) = (f64::MAX, f64::MAX);
        for _ in 0..n {
            let t = std::time::Instant::now();
            for _ in 0..10 {
                std::hint::black_box(hocba_core::pdf::verify::verify(&pdf, &options).is_ok());
            }
            best_full = best_full.min(t.elapsed().as_secs_f64() / 10.0);
            let t = std::time::Instant::now();
            for _ in 0..10 {
                floor.run(&pdf);
            }
            best_floor = best_floor.min(t.elapsed().as_secs_f64() / 10.0);
        }
        let (rsa, big) = floor.composition();
        println!(
            "full {:.3} ms, floor {:.3} ms ({rsa} RSA verifications, {big} of them RSA-4096), ratio {:.3}",
            best_full * 1e3,
            best_floor * 1e3,
            best_full / best_floor
        );
        return;
    }
    if mode == "floor" {
        let floor = floor::Floor::new(
            &pdf,
            &options,
            concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
            &record,
        );
        for _ in 0..n {
            floor.run(&pdf);
        }
        println!("{n} floor passes");
        return;
    }
    let mut passed = 0usize;
    for _ in 0..n {
        passed +=
            usize::from(hocba_core::pdf::verify::verify(&pdf, &options).is_ok_and(|r| r.passed()));
    }
    println!("{passed}/{n} passed");
}
