//! A loop for profilers (`perf`, `valgrind --tool=callgrind`): reads and validates one record
//! file N times. `cargo run --release -p hocba-core --example profile -- FILE [N] [read|validate|both]`
fn main() {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .unwrap_or_else(|| "fixtures/records/valid/grade-3.xml".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let what = args.next().unwrap_or_else(|| "both".into());
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{file}: {e}");
            std::process::exit(2);
        }
    };
    let mut valid = 0usize;
    let record = hocba_core::read_record(&bytes).ok();
    for _ in 0..n {
        match what.as_str() {
            "read" => valid += usize::from(hocba_core::read_record(&bytes).is_ok()),
            "validate" => {
                valid += record
                    .as_ref()
                    .map_or(0, |r| usize::from(hocba_core::rules::validate(r).valid))
            }
            _ => {
                if let Ok(r) = hocba_core::read_record(&bytes) {
                    valid += usize::from(hocba_core::rules::validate(&r).valid);
                }
            }
        }
    }
    println!("{valid} of {n}");
}
