//! A loop for profilers (`perf`, `valgrind --tool=callgrind`): reads and validates one record
//! file N times, and prints the time per record of the fastest and the median batch of 1,000. `cargo run --release -p hocba-core --example profile -- FILE [N] [read|validate|both]`
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
    // Batches of 1,000: the fastest batch is the figure least disturbed by other processes.
    let mut batches = Vec::new();
    let mut started = std::time::Instant::now();
    for i in 0..n {
        if i % 1000 == 0 && i > 0 {
            batches.push(started.elapsed());
            started = std::time::Instant::now();
        }
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
    batches.sort();
    if let (Some(min), Some(median)) = (batches.first(), batches.get(batches.len() / 2)) {
        println!(
            "{valid} of {n}; per record: fastest batch {:.2} µs, median batch {:.2} µs",
            min.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3
        );
    } else {
        println!("{valid} of {n}");
    }
}
