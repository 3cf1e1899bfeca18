//! A loop for profilers (`valgrind --tool=callgrind`, `perf`): signs the rendered example as
//! GVCN N times with the test PKI's software RSA-2048 key, the work of `benches/sign.rs`.
//! `cargo run --profile profiling -p hocba-core --example profile_sign -- [N]`
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let read = |p: &str| {
        std::fs::read(p).unwrap_or_else(|e| {
            eprintln!("{p}: {e}");
            std::process::exit(2)
        })
    };
    let fail = |what: &str| -> ! {
        eprintln!("{what}");
        std::process::exit(2)
    };
    let record = hocba_core::read_record(&read("fixtures/records/valid/example.xml"))
        .unwrap_or_else(|_| fail("the example does not parse"));
    let pdf = hocba_core::pdf::render(&record, &hocba_core::pdf::RenderSettings::default())
        .unwrap_or_else(|_| fail("the example does not render"));
    let pem = String::from_utf8_lossy(&read("fixtures/pki/ee/example-gvcn/key.pem")).into_owned();
    let key = hocba_core::pdf::sign::SigningKey::from_pkcs8_pem(
        &pem,
        &read("fixtures/pki/ee/example-gvcn/chain.pem"),
    )
    .unwrap_or_else(|_| fail("the key does not load"));
    let time = hocba_core::model::Timestamp::from("2025-05-26T16:30:00+07:00")
        .to_instant()
        .unwrap_or_else(|| fail("bad time"));
    let request = hocba_core::pdf::sign::SignRequest::new(hocba_core::pdf::sign::Role::Gvcn, time);
    let mut bytes = 0usize;
    for _ in 0..n {
        bytes += hocba_core::pdf::sign::sign(&pdf, &request, &key)
            .map(|s| s.len())
            .unwrap_or_else(|e| fail(&e.message()));
    }
    println!("{n} signatures, {bytes} bytes");
}
