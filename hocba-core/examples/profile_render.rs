//! A loop for profilers (`valgrind --tool=callgrind`, `perf`): renders one record's document N
//! times in the default (compressed) profile, the work of `benches/render.rs`: sixteen pupils of
//! a class made from it in turn (`benches/classmates.rs`).
//! `HOCBA_PROFILE_OUT=doc.pdf` also writes one document out.
//! `cargo run --profile profiling -p hocba-core --example profile_render -- [FILE] [N]`
#[path = "../../benches/classmates.rs"]
mod classmates;

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .unwrap_or_else(|| "fixtures/records/valid/grade-3.xml".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let fail = |what: &str| -> ! {
        eprintln!("{what}");
        std::process::exit(2)
    };
    let bytes = std::fs::read(&file).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
    let class = classmates::classmates(&String::from_utf8_lossy(&bytes));
    let record = &class[0];
    let settings = hocba_core::pdf::RenderSettings::default();
    if let Ok(out) = std::env::var("HOCBA_PROFILE_OUT") {
        // One document written out, to inspect (`qpdf --check`, object sizes).
        let pdf = hocba_core::pdf::render(record, &settings)
            .unwrap_or_else(|e| fail(&format!("{file}: {e}")));
        std::fs::write(&out, pdf).unwrap_or_else(|e| fail(&format!("{out}: {e}")));
    }
    let mut total = 0usize;
    for record in class.iter().cycle().take(n) {
        total += hocba_core::pdf::render(record, &settings)
            .map(|p| p.len())
            .unwrap_or_else(|e| fail(&format!("{file}: {e}")));
    }
    println!("{n} documents, {total} bytes");
}
