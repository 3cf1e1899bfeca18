//! A loop for profilers (`valgrind --tool=callgrind`, `perf`): verifies one signed PDF N times
//! with the test PKI's anchors and CRLs.
//! `cargo run --release -p hocba-core --example profile_verify -- [FILE] [N] [full|floor|ratio] [RECORD]`
//!
//! `floor` runs the raw cryptography floor of `benches/verify.rs` instead (SHA-256 of the
//! covered ranges and each distinct RSA verification once; FILE must then be RECORD signed
//! GVCN → HT → DAU by the test PKI's `RECORD-gvcn`, `RECORD-ht` and `RECORD-dau`; RECORD is
//! `example` by default, `grade-1` for `valid-one-ca.pdf`). `ratio` alternates blocks of ten
//! full verifications and ten floor passes, N blocks each, and prints the fastest block of each
//! and their ratio, the median blocks, and the median of the ratios of blocks run side by side:
//! on a busy machine the fastest blocks are the ones nothing interrupted, so their ratio holds
//! where criterion's means drift. `spread` times each verification alone and prints the
//! fastest, the quartiles and the mean.

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
        let (mut fulls, mut floors) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let t = std::time::Instant::now();
            for _ in 0..10 {
                std::hint::black_box(hocba_core::pdf::verify::verify(&pdf, &options).is_ok());
            }
            fulls.push(t.elapsed().as_secs_f64() / 10.0 * 1e3);
            let t = std::time::Instant::now();
            for _ in 0..10 {
                floor.run(&pdf);
            }
            floors.push(t.elapsed().as_secs_f64() / 10.0 * 1e3);
        }
        // Each pair of blocks ran in the same moment: the median of the pairs' ratios is the
        // ratio a disturbance shared by both leaves alone.
        let mut ratios: Vec<f64> = fulls.iter().zip(&floors).map(|(a, b)| a / b).collect();
        fulls.sort_by(f64::total_cmp);
        floors.sort_by(f64::total_cmp);
        ratios.sort_by(f64::total_cmp);
        let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
        let (rsa, big) = floor.composition();
        println!(
            "fastest blocks: full {:.3} ms, floor {:.3} ms ({rsa} RSA verifications, {big} of them RSA-4096), ratio {:.3}; \
             median blocks: full {:.3} ms, floor {:.3} ms; median of the pairs' ratios {:.3}",
            fulls[0],
            floors[0],
            fulls[0] / floors[0],
            median(&fulls),
            median(&floors),
            median(&ratios)
        );
        return;
    }
    if mode == "spread" {
        // Each verification timed alone: the fastest, the quartiles and the mean.
        let mut t: Vec<f64> = (0..n)
            .map(|_| {
                let s = std::time::Instant::now();
                std::hint::black_box(hocba_core::pdf::verify::verify(&pdf, &options).is_ok());
                s.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        t.sort_by(f64::total_cmp);
        let q = |f: f64| t[((t.len() - 1) as f64 * f) as usize];
        println!(
            "{n} verifications: fastest {:.3} ms, quartiles {:.3} / {:.3} / {:.3} ms, mean {:.3} ms",
            q(0.0),
            q(0.25),
            q(0.5),
            q(0.75),
            t.iter().sum::<f64>() / t.len() as f64
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
