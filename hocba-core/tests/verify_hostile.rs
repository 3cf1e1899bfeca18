//! No input makes the verifier panic, hang or pass what it cannot decide (issue 7, acceptance
//! 2): every PDF of `fixtures/` verified whole, truncated and with bits flipped; compression
//! bombs; reference loops; a file of 10,000 revisions. Each run is bounded by a generous time
//! limit (hangs, not speed: speed is measured in `benches/verify.rs`).
//!
//! Fail-closed property checked on every mutation: a mutated file passes only when every
//! mutated byte lies in a signature's unsigned gap (the zero padding of `/Contents`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hocba_core::pdf::verify::{
    parse_rfc3339, verify, Indication, SubIndication, VerificationReport, VerifyOptions,
};
use hocba_core::pki::{load_certificates, load_crls};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn options() -> VerifyOptions {
    let mut o = VerifyOptions::new(parse_rfc3339("2026-11-28T00:00:00Z").expect("time"));
    o.trust =
        load_certificates(&read(&root().join("fixtures/pki/trust/bundle.pem"))).expect("anchors");
    o.crls = load_crls(&read(&root().join("fixtures/pki/ca/all-crls.pem"))).expect("CRLs");
    o
}

/// Verifies within the time limit; `None` when the input is not a PDF at all.
fn bounded(pdf: &[u8], o: &VerifyOptions, what: &str) -> Option<VerificationReport> {
    let limit = Duration::from_secs(30);
    let t = Instant::now();
    let r = verify(pdf, o).ok();
    assert!(t.elapsed() < limit, "{what}: took {:?}", t.elapsed());
    r
}

fn pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs(&p, out);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            out.push(p);
        }
    }
}

/// The unsigned gaps (`/ByteRange` b..c) of every signature of `pdf`.
fn gaps(pdf: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&pdf[at..], b"/ByteRange [") {
        let start = at + i + 12;
        let end = start + memchr::memchr(b']', &pdf[start..]).unwrap_or(0);
        let n: Vec<usize> = String::from_utf8_lossy(&pdf[start..end])
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if n.len() == 4 {
            out.push((n[1], n[2]));
        }
        at = end.max(start);
    }
    out
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

#[test]
fn every_fixture_pdf_whole_truncated_and_flipped() {
    let o = options();
    let mut files = Vec::new();
    pdfs(&root().join("fixtures"), &mut files);
    files.sort();
    assert!(files.len() >= 30, "{files:?}");
    let mut rng = Lcg(0x5eed);
    let mut runs = 0;
    for f in &files {
        let pdf = read(f);
        let name = f.display().to_string();
        bounded(&pdf, &o, &name);
        let gaps = gaps(&pdf);
        let in_gap = |pos: usize| gaps.iter().any(|(b, c)| pos > *b && pos + 1 < *c);
        // Truncations: just before the end, inside the last revision, and spread over the file.
        let mut cuts = vec![
            pdf.len() - 1,
            pdf.len().saturating_sub(7),
            pdf.len().saturating_sub(200),
        ];
        cuts.extend((1..6).map(|k| pdf.len() * k / 6));
        for cut in cuts {
            if let Some(r) = bounded(&pdf[..cut], &o, &format!("{name} cut at {cut}")) {
                assert_ne!(
                    r.indication,
                    Indication::TotalPassed,
                    "{name} cut at {cut} passed"
                );
            }
            runs += 1;
        }
        // Bit flips anywhere.
        for _ in 0..6 {
            let pos = rng.next(pdf.len());
            let mut m = pdf.clone();
            m[pos] ^= 1 << rng.next(8);
            if let Some(r) = bounded(&m, &o, &format!("{name} flip at {pos}")) {
                assert!(
                    r.indication != Indication::TotalPassed || in_gap(pos),
                    "{name}: a bit flipped at {pos}, outside every unsigned gap, still passes"
                );
            }
            runs += 1;
        }
    }
    assert!(runs > 300);
}

/// A signed fixture with `update` appended as an incremental update (classic xref table).
fn with_update(base: &[u8], objects: &[(u32, Vec<u8>)], root: &str, size: u32) -> Vec<u8> {
    let prev = {
        let at = memchr::memmem::rfind(base, b"startxref").expect("startxref");
        let rest = String::from_utf8_lossy(&base[at + 9..]).into_owned();
        rest.split_whitespace()
            .next()
            .expect("offset")
            .parse::<usize>()
            .expect("number")
    };
    let mut out = base.to_vec();
    let mut offsets = Vec::new();
    for (num, body) in objects {
        offsets.push((*num, out.len()));
        out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    for (num, off) in &offsets {
        out.extend_from_slice(format!("{num} 1\n{off:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {size} /Root {root} /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("deflate");
    e.finish().expect("deflate")
}

fn signed() -> Vec<u8> {
    read(&root().join("fixtures/pdf/verify/missing-ht.pdf"))
}

fn root_ref(pdf: &[u8]) -> String {
    let at = memchr::memmem::rfind(pdf, b"/Root ").expect("root") + 6;
    let s = String::from_utf8_lossy(&pdf[at..at + 20]).into_owned();
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty())
        .take(2)
        .collect();
    format!("{} {} R", nums[0], nums[1])
}

#[test]
fn compression_bombs_stop_at_the_budget() {
    let base = signed();
    let root = root_ref(&base);
    // 64 MiB of zeros, deflated to a few hundred KiB: beyond the budget of 3 × the file +
    // 16 MiB. First as an object stream nothing refers to.
    let zeros = vec![0u8; 64 << 20];
    let packed = deflate(&zeros);
    drop(zeros);
    let mut stream = format!(
        "<< /Type /ObjStm /N 1 /First 6 /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    stream.extend_from_slice(&packed);
    stream.extend_from_slice(b"\nendstream");
    let bomb = with_update(&base, &[(900, stream)], &root, 901);
    let r = bounded(&bomb, &options(), "object stream bomb").expect("a PDF");
    // An object stream nothing refers to changes nothing.
    assert_eq!(
        r.signatures[0].indication,
        Indication::TotalPassed,
        "{}",
        r.to_json()
    );
    // The embedded record replaced by a bomb: the document check inflates it within the
    // budget only, and reports the record changed; the signature sees a change after signing.
    let at = memchr::memmem::find(&base, b"/Type/EmbeddedFile").expect("embedded file");
    let head = memchr::memmem::rfind(&base[..at], b" 0 obj").expect("obj");
    let start = base[..head]
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let num: u32 = String::from_utf8_lossy(&base[start..head])
        .parse()
        .expect("object number");
    let mut file = format!(
        "<< /Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    file.extend_from_slice(&packed);
    file.extend_from_slice(b"\nendstream");
    let bomb = with_update(&base, &[(num, file)], &root, 901);
    let r = bounded(&bomb, &options(), "embedded file bomb").expect("a PDF");
    assert_eq!(
        (r.signatures[0].indication, r.signatures[0].sub_indication),
        (
            Indication::TotalFailed,
            Some(SubIndication::ModifiedAfterSigning)
        ),
        "{}",
        r.to_json()
    );
    assert!(
        r.document.messages.iter().any(|m| m.code == "xml_changed"),
        "{}",
        r.to_json()
    );
}

#[test]
fn reference_loops_do_not_hang() {
    let base = signed();
    let root = root_ref(&base);
    let objects = vec![
        (900, b"901 0 R".to_vec()),
        (901, b"900 0 R".to_vec()),
        (
            902,
            b"<< /Type /Catalog /AcroForm 900 0 R /Pages 902 0 R /Kids [902 0 R] >>".to_vec(),
        ),
    ];
    for catalog in [root.as_str(), "900 0 R", "902 0 R"] {
        let looped = with_update(&base, &objects, catalog, 903);
        let r = bounded(&looped, &options(), catalog).expect("a PDF");
        assert_ne!(r.indication, Indication::TotalPassed, "{catalog}");
    }
}

#[test]
fn ten_thousand_revisions() {
    let base = signed();
    let root = root_ref(&base);
    // Each update redefines nothing but frees object 0 again (an empty table is not a table).
    let mut pdf = base.clone();
    let mut prev = {
        let at = memchr::memmem::rfind(&base, b"startxref").expect("startxref");
        let rest = String::from_utf8_lossy(&base[at + 9..]).into_owned();
        rest.split_whitespace()
            .next()
            .expect("offset")
            .parse::<usize>()
            .expect("number")
    };
    for _ in 0..10_000 {
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 100 /Root {root} /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n")
                .as_bytes(),
        );
        prev = xref;
    }
    let r = bounded(&pdf, &options(), "10,000 revisions").expect("a PDF");
    assert!(!r.signatures.is_empty(), "{}", r.to_json());
    // Nothing changed after GVCN: its signature still passes; the record lacks HT.
    assert_eq!(
        r.signatures[0].indication,
        Indication::TotalPassed,
        "{}",
        r.to_json()
    );
    assert_eq!(r.signatures[0].modified_after, "SIGNING");
}
