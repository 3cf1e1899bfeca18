//! Verification (`signing.md`, "Verification" and "Indications"): documents made by the
//! project's own tools, for each attack and fault, each asserting the exact indication and
//! sub-indication. Certificates, CRLs and keys come from the test PKI (`fixtures/pki/`); the
//! validation time is fixed (2026-11-28), so nothing expires.
//!
//! Attacks are built here, from a freshly signed document: incremental updates written by hand
//! (`append_update`), in-place edits of the signature dictionary, and CMS structures rebuilt
//! with a few lines of DER.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::tsa::{oid, timestamp_token, tlv};
use hocba_core::model::Timestamp;
use hocba_core::pdf::revisions::{self, Budget, Resolver, Source};
use hocba_core::pdf::sign::{sign, Role, SignRequest, SigningKey};
use hocba_core::pdf::syntax::{ObjRef, Object};
use hocba_core::pdf::verify::{
    parse_rfc3339, verify, At, Indication, ProfilePolicy, RevocationPolicy, SealPolicy,
    SubIndication, VerificationReport, VerifyOptions,
};
use hocba_core::pdf::{render, RenderSettings};
use hocba_core::pki::{load_certificates, load_crls};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

const NOW: &str = "2026-11-28T00:00:00Z";

fn options() -> VerifyOptions {
    let mut o = VerifyOptions::new(parse_rfc3339(NOW).expect("time"));
    o.trust = load_certificates(&read("fixtures/pki/trust/bundle.pem")).expect("anchors");
    o.crls = load_crls(&read("fixtures/pki/ca/all-crls.pem")).expect("CRLs");
    o
}

fn key(id: &str) -> SigningKey {
    let pem = String::from_utf8(read(&format!("fixtures/pki/ee/{id}/key.pem"))).expect("PEM");
    SigningKey::from_pkcs8_pem(&pem, &read(&format!("fixtures/pki/ee/{id}/chain.pem")))
        .expect("the key loads")
}

fn rendered(record: &str) -> Vec<u8> {
    let xml = read(&format!("fixtures/records/valid/{record}.xml"));
    let record = hocba_core::read_record(&xml).expect("parses");
    render(&record, &RenderSettings::default()).expect("renders")
}

const TIMES: [&str; 3] = [
    "2025-05-26T16:30:00+07:00",
    "2025-05-27T09:00:00+07:00",
    "2025-05-27T10:00:00+07:00",
];

fn sign_as(pdf: &[u8], role: Role, id: &str, when: &str) -> Vec<u8> {
    let time = Timestamp::from(when).to_instant().expect("time");
    let mut request = SignRequest::new(role, time);
    request.allow_invalid = true;
    sign(pdf, &request, &key(id)).unwrap_or_else(|e| panic!("sign {id}: {}", e.message()))
}

struct Docs {
    unsigned: Vec<u8>,
    g: Vec<u8>,
    gh: Vec<u8>,
    ghd: Vec<u8>,
}

fn docs() -> &'static Docs {
    static DOCS: OnceLock<Docs> = OnceLock::new();
    DOCS.get_or_init(|| {
        let unsigned = rendered("example");
        let g = sign_as(&unsigned, Role::Gvcn, "example-gvcn", TIMES[0]);
        let gh = sign_as(&g, Role::Ht, "example-ht", TIMES[1]);
        let ghd = sign_as(&gh, Role::Dau, "example-dau", TIMES[2]);
        Docs {
            unsigned,
            g,
            gh,
            ghd,
        }
    })
}

/// grade-1 signed GVCN → HT → DAU, every signer's certificate issued by VNPT-CA.
fn one_ca() -> Vec<u8> {
    let xml = read("fixtures/records/valid/grade-1.xml");
    let record = hocba_core::read_record(&xml).expect("parses");
    // A private school: its year page has a seal field only when asked for.
    let settings = RenderSettings {
        seal: hocba_core::pdf::SealMode::Yes,
        ..RenderSettings::default()
    };
    let unsigned = render(&record, &settings).expect("renders");
    let g = sign_as(&unsigned, Role::Gvcn, "grade-1-gvcn", TIMES[0]);
    let gh = sign_as(&g, Role::Ht, "grade-1-ht", TIMES[1]);
    sign_as(&gh, Role::Dau, "grade-1-dau", TIMES[2])
}

fn run(pdf: &[u8], o: &VerifyOptions) -> VerificationReport {
    verify(pdf, o).expect("a PDF")
}

fn codes(r: &VerificationReport) -> Vec<String> {
    let mut v: Vec<String> = r
        .signatures
        .iter()
        .flat_map(|s| s.messages.iter().map(|m| m.code.clone()))
        .chain(r.document.messages.iter().map(|m| m.code.clone()))
        .collect();
    v.sort();
    v.dedup();
    v
}

#[track_caller]
fn assert_overall(r: &VerificationReport, ind: Indication, sub: Option<SubIndication>) {
    assert_eq!(
        (r.indication, r.sub_indication),
        (ind, sub),
        "report: {}",
        r.to_json()
    );
}

#[track_caller]
fn assert_sig(r: &VerificationReport, i: usize, ind: Indication, sub: Option<SubIndication>) {
    let s = r
        .signatures
        .get(i)
        .unwrap_or_else(|| panic!("no signature {i}: {}", r.to_json()));
    assert_eq!(
        (s.indication, s.sub_indication),
        (ind, sub),
        "signature {i}: {}",
        r.to_json()
    );
}

// ---------------------------------------------------------------------------------------------
// Tools to build attacks.

/// The revisions and a resolver over `pdf`, for the duration of `f`.
fn with_resolver<T>(pdf: &[u8], f: impl FnOnce(&Resolver<'_>, usize) -> T) -> T {
    let budget = Budget::for_file(pdf.len());
    let revs = revisions::split(pdf, &budget).expect("splits");
    let resolver = Resolver::new(pdf, &revs, &budget);
    f(&resolver, revs.len())
}

/// The raw text of object `num` as currently defined (must be in the file, not compressed).
fn object_text(pdf: &[u8], num: u32) -> (ObjRef, Vec<u8>) {
    with_resolver(pdf, |r, last| {
        let (_, entry) = r.lookup(num, last).expect("object exists");
        let gen = match entry {
            revisions::Entry::InFile { gen, .. } => gen,
            _ => 0,
        };
        let id = ObjRef::new(num, gen);
        let loc = r.get(id, last).expect("reads").expect("present");
        match loc.source {
            Source::File { span } => (id, pdf[span].to_vec()),
            other => panic!("object {num} is not in the file: {other:?}"),
        }
    })
}

/// The body of an object's text (between `N G obj` and `endobj`).
fn body(text: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(text);
    let start = s.find("obj").expect("obj") + 3;
    let end = s.rfind("endobj").expect("endobj");
    s[start..end].trim().as_bytes().to_vec()
}

/// Appends an incremental update defining `objects` (number, body) with a classic xref table.
fn append_update(pdf: &[u8], objects: &[(u32, Vec<u8>)], extra_trailer: &str) -> Vec<u8> {
    let (prev, size, root_ref) = with_resolver(pdf, |r, last| {
        let rev = r.revisions().get(last).expect("last");
        let t = &rev.trailer;
        let size = t.get(b"Size").and_then(Object::as_int).expect("size");
        let root = match t.get(b"Root") {
            Some(Object::Ref(x)) => *x,
            _ => panic!("root"),
        };
        let info = match t.get(b"Info") {
            Some(Object::Ref(x)) => format!("/Info {} {} R", x.num, x.gen),
            _ => String::new(),
        };
        (rev.xref_offset, size, (root, info))
    });
    let (root_ref, info) = root_ref;
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = Vec::new();
    for (num, body) in objects {
        offsets.push((*num, out.len()));
        out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    offsets.sort();
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    for (num, off) in &offsets {
        out.extend_from_slice(format!("{num} 1\n{off:010} 00000 n\r\n").as_bytes());
    }
    let max = offsets
        .iter()
        .map(|(n, _)| i64::from(*n) + 1)
        .max()
        .unwrap_or(0)
        .max(size);
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {max} /Root {} {} R {info} /Prev {prev} {extra_trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            root_ref.num, root_ref.gen
        )
        .as_bytes(),
    );
    out
}

/// The object number of the form field named `name` (a top-level field of `/AcroForm`).
fn field_object(pdf: &[u8], name: &[u8]) -> u32 {
    with_resolver(pdf, |r, last| {
        let catalog = r.catalog(last).expect("catalog");
        let form = r
            .resolve(catalog.get(b"AcroForm").expect("form"), last)
            .expect("form");
        let fields = form
            .as_dict()
            .and_then(|d| d.get_array(b"Fields"))
            .expect("fields")
            .to_vec();
        fields
            .iter()
            .filter_map(Object::as_ref)
            .find(|f| {
                r.get(*f, last).ok().flatten().is_some_and(|l| {
                    l.object
                        .as_dict()
                        .and_then(|d| d.get_string(b"T"))
                        .is_some_and(|t| t.bytes == name)
                })
            })
            .unwrap_or_else(|| panic!("no field {}", String::from_utf8_lossy(name)))
            .num
    })
}

/// The first page's object number and its `/Contents` reference.
fn first_page(pdf: &[u8]) -> (u32, u32) {
    with_resolver(pdf, |r, last| {
        let catalog = r.catalog(last).expect("catalog");
        let pages = r
            .resolve(catalog.get(b"Pages").expect("pages"), last)
            .expect("pages");
        let kids = pages
            .as_dict()
            .and_then(|d| d.get_array(b"Kids"))
            .expect("kids")
            .to_vec();
        let Object::Ref(page) = kids[0] else {
            panic!("page ref")
        };
        let p = r.get(page, last).expect("page").expect("page");
        let contents = p
            .object
            .as_dict()
            .and_then(|d| d.get(b"Contents"))
            .cloned()
            .expect("contents");
        let c = match contents {
            Object::Ref(x) => x.num,
            Object::Array(a) => a[0].as_ref().expect("ref").num,
            _ => panic!("contents"),
        };
        (page.num, c)
    })
}

/// The object numbers of objects whose dictionary has `/Type /<ty>` at the last revision.
fn objects_of_type(pdf: &[u8], ty: &[u8]) -> Vec<u32> {
    with_resolver(pdf, |r, last| {
        let mut nums: Vec<u32> = r
            .revisions()
            .revisions
            .iter()
            .flat_map(|x| x.entries.keys().copied())
            .collect();
        nums.sort_unstable();
        nums.dedup();
        nums.into_iter()
            .filter(|n| {
                let Some((_, e)) = r.lookup(*n, last) else { return false };
                let gen = match e {
                    revisions::Entry::InFile { gen, .. } => gen,
                    revisions::Entry::Compressed { .. } => 0,
                    revisions::Entry::Free { .. } => return false,
                };
                matches!(r.get(ObjRef::new(*n, gen), last), Ok(Some(l)) if l.object.dict().and_then(|d| d.get_name(b"Type")) == Some(ty))
            })
            .collect()
    })
}

/// The next free object number.
fn next_num(pdf: &[u8]) -> u32 {
    with_resolver(pdf, |r, last| {
        let size = r
            .trailer(last)
            .and_then(|t| t.get_int(b"Size"))
            .expect("size");
        u32::try_from(size).expect("size")
    })
}

/// `(start, end)` of the hex `/Contents` of the last signature dictionary (the bytes between
/// `<` and `>`).
fn last_contents(pdf: &[u8]) -> (usize, usize) {
    let s = pdf.len()
        - memchr::memmem::rfind(pdf, b"/Contents <")
            .map(|i| pdf.len() - i)
            .expect("contents");
    let start = s + b"/Contents <".len();
    let end = start + pdf[start..].iter().position(|b| *b == b'>').expect(">");
    (start, end)
}

fn unhex(h: &[u8]) -> Vec<u8> {
    h.chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).expect("ascii"), 16).expect("hex"))
        .collect()
}

/// Replaces the CMS of the last signature in place (same reserved size, zero padding).
fn replace_cms(pdf: &[u8], cms: &[u8]) -> Vec<u8> {
    let (start, end) = last_contents(pdf);
    let mut hex: Vec<u8> = cms
        .iter()
        .flat_map(|b| format!("{b:02X}").into_bytes())
        .collect();
    assert!(hex.len() <= end - start, "the new CMS fits");
    hex.resize(end - start, b'0');
    let mut out = pdf.to_vec();
    out[start..end].copy_from_slice(&hex);
    out
}

fn last_cms(pdf: &[u8]) -> Vec<u8> {
    let (start, end) = last_contents(pdf);
    let mut bytes = unhex(&pdf[start..end]);
    // Trim the zero padding after the outer element.
    let len = der_len(&bytes);
    bytes.truncate(len);
    bytes
}

// A few lines of DER: enough to take a SignedData apart and put it back together.
fn der_len(b: &[u8]) -> usize {
    let (len, header) = header(b);
    header + len
}

fn header(b: &[u8]) -> (usize, usize) {
    let first = b[1];
    if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        (
            b[2..2 + n]
                .iter()
                .fold(0usize, |a, x| (a << 8) | usize::from(*x)),
            2 + n,
        )
    }
}

fn children(v: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = v;
    while !rest.is_empty() {
        let l = der_len(rest);
        out.push(rest[..l].to_vec());
        rest = &rest[l..];
    }
    out
}

fn value(tlv: &[u8]) -> Vec<u8> {
    let (len, h) = header(tlv);
    tlv[h..h + len].to_vec()
}

/// Applies `f` to the fields of the SignedData of `cms` (version, digestAlgorithms,
/// encapContentInfo, [0] certificates, [1] crls?, signerInfos).
fn edit_signed_data(cms: &[u8], f: impl FnOnce(&mut Vec<Vec<u8>>)) -> Vec<u8> {
    let ci = children(&value(cms));
    let sd = value(&ci[1]);
    let mut fields = children(&value(&sd));
    f(&mut fields);
    let sd = tlv(0x30, &fields.concat());
    tlv(0x30, &[ci[0].clone(), tlv(0xA0, &sd)].concat())
}

// ---------------------------------------------------------------------------------------------
// The good path.

#[test]
fn three_signatures_pass() {
    let r = run(&docs().ghd, &options());
    assert_overall(&r, Indication::TotalPassed, None);
    assert_eq!(r.signatures.len(), 3);
    let roles: Vec<_> = r
        .signatures
        .iter()
        .map(|s| s.role.clone().unwrap_or_default())
        .collect();
    assert_eq!(roles, ["GVCN", "HT", "DAU"]);
    assert_eq!(r.signatures[0].revision, Some(2));
    assert_eq!(r.signatures[0].coverage, "ENTIRE_REVISION");
    assert_eq!(r.signatures[0].modified_after, "SIGNING");
    assert_eq!(r.signatures[2].coverage, "ENTIRE_FILE");
    assert_eq!(r.signatures[2].modified_after, "NONE");
    for s in &r.signatures {
        assert_eq!(s.revocation, "GOOD");
        assert_eq!(s.identity.as_deref(), Some("exact"));
        assert_eq!(s.chain.len(), 3, "{}", r.to_json());
        assert_eq!(s.digest_algorithm.as_deref(), Some("sha256"));
        assert_eq!(s.signature_algorithm.as_deref(), Some("rsa-pkcs1v15"));
        assert_eq!(s.time_source.as_deref(), Some("validation"));
    }
    let roles = r.document.roles.as_ref().expect("roles");
    assert_eq!(
        (roles.gvcn.as_str(), roles.ht.as_str(), roles.dau.as_str()),
        ("present", "present", "present")
    );
    assert!(r.document.embedded_xml);
    assert_eq!(r.document.school_year.as_deref(), Some("2024-2025"));
    assert_eq!(r.document.profile, "hocba");
}

#[test]
fn same_input_same_report() {
    let a = run(&docs().ghd, &options()).to_json();
    let b = run(&docs().ghd, &options()).to_json();
    assert_eq!(a, b);
}

#[test]
fn unsigned_document_is_signed_data_not_found() {
    let r = run(&docs().unsigned, &options());
    assert_overall(
        &r,
        Indication::Indeterminate,
        Some(SubIndication::SignedDataNotFound),
    );
    assert!(r.signatures.is_empty());
}

#[test]
fn not_a_pdf_is_an_error() {
    assert!(verify(b"hello", &options()).is_err());
}

// ---------------------------------------------------------------------------------------------
// Bytes and structure.

/// One bit flipped inside the first page's content stream data (structure intact).
fn byte_changed() -> Vec<u8> {
    let mut pdf = docs().ghd.clone();
    let (_, contents) = first_page(&pdf);
    let (_, text) = object_text(&pdf, contents);
    let at = memchr::memmem::find(&pdf, &text).expect("object text") + text.len() - 30;
    pdf[at] ^= 0x01;
    pdf
}

#[test]
fn byte_changed_inside_signed_range_is_hash_failure() {
    let r = run(&byte_changed(), &options());
    for i in 0..3 {
        assert_sig(
            &r,
            i,
            Indication::TotalFailed,
            Some(SubIndication::HashFailure),
        );
    }
    assert!(codes(&r).contains(&"digest_mismatch".to_owned()));
}

fn garbage_after_eof() -> Vec<u8> {
    let mut pdf = docs().ghd.clone();
    pdf.extend_from_slice(b"% appended\n");
    pdf
}

#[test]
fn garbage_after_eof_is_modified_after_signing() {
    let r = run(&garbage_after_eof(), &options());
    assert_overall(
        &r,
        Indication::TotalFailed,
        Some(SubIndication::ModifiedAfterSigning),
    );
    assert!(codes(&r).contains(&"trailing_data".to_owned()));
}

#[test]
fn blank_after_eof_is_a_note() {
    let mut pdf = docs().ghd.clone();
    pdf.extend_from_slice(b"\n\n  \0\0");
    let r = run(&pdf, &options());
    assert_overall(&r, Indication::TotalPassed, None);
    assert!(codes(&r).contains(&"trailing_blank".to_owned()));
    assert_eq!(r.signatures[2].coverage, "ENTIRE_REVISION");
}

fn in_place(pdf: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len(), "same length");
    let at = memchr::memmem::rfind(pdf, from)
        .unwrap_or_else(|| panic!("{}", String::from_utf8_lossy(from)));
    let mut out = pdf.to_vec();
    out[at..at + from.len()].copy_from_slice(to);
    out
}

/// The `/ByteRange [...]` text of the last signature.
fn last_byte_range(pdf: &[u8]) -> Vec<u8> {
    let at = memchr::memmem::rfind(pdf, b"/ByteRange [").expect("byte range");
    let end = at + pdf[at..].iter().position(|b| *b == b']').expect("]") + 1;
    pdf[at..end].to_vec()
}

/// The GVCN signature's `/ByteRange` key renamed in place (universal signature forgery).
fn byte_range_missing() -> Vec<u8> {
    let pdf = &docs().g;
    let br = last_byte_range(pdf);
    let mut v = br.clone();
    v[1..10].copy_from_slice(b"ByteRangX");
    in_place(pdf, &br, &v)
}

#[test]
fn universal_forgery_variants_are_format_failures() {
    let pdf = &docs().g;
    let br = last_byte_range(pdf);
    let n = br.len();
    let pad = |s: &str| {
        let mut v = s.as_bytes().to_vec();
        v.resize(n, b' ');
        v
    };
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("missing /ByteRange", {
            let mut v = br.clone();
            v[1..10].copy_from_slice(b"ByteRangX");
            v
        }),
        ("null /ByteRange", pad("/ByteRange null")),
        ("empty /ByteRange", pad("/ByteRange []")),
        ("zero /ByteRange", pad("/ByteRange [0 0 0 0]")),
        (
            "/ByteRange past the end",
            pad("/ByteRange [0 10 20 99999999]"),
        ),
        ("/ByteRange not from 0", pad("/ByteRange [5 10 20 30]")),
        ("negative /ByteRange", pad("/ByteRange [0 -1 20 30]")),
        ("/ByteRange with three numbers", pad("/ByteRange [0 10 20]")),
    ];
    for (what, replacement) in variants {
        let forged = in_place(pdf, &br, &replacement);
        let r = run(&forged, &options());
        assert_ne!(r.indication, Indication::TotalPassed, "{what}");
        assert_sig(
            &r,
            0,
            Indication::TotalFailed,
            Some(SubIndication::FormatFailure),
        );
    }
    // /Contents missing, null, or not hex.
    let (start, end) = last_contents(pdf);
    for (what, key) in [
        ("missing /Contents", &b"/Contentz <"[..]),
        ("literal /Contents", b"/Contents ("),
    ] {
        let mut forged = pdf.clone();
        forged[start - 11..start].copy_from_slice(key);
        if key.ends_with(b"(") {
            forged[end] = b')';
        }
        let r = run(&forged, &options());
        assert_sig(
            &r,
            0,
            Indication::TotalFailed,
            Some(SubIndication::FormatFailure),
        );
        assert_ne!(r.indication, Indication::TotalPassed, "{what}");
    }
}

/// The signature dictionary redefined after signing with a /ByteRange whose second range is a
/// copy of the originally signed tail placed further on: the digest still matches the signed
/// bytes, but the gap is no longer the dictionary's /Contents.
fn signature_wrapping() -> Vec<u8> {
    let pdf = &docs().g;
    let sig_num = objects_of_type(pdf, b"Sig")[0];
    let (_, text) = object_text(pdf, sig_num);
    let old = body(&text);
    let br = last_byte_range(pdf);
    let nums: Vec<usize> = String::from_utf8_lossy(&br[12..br.len() - 1])
        .split_whitespace()
        .map(|x| x.parse().expect("number"))
        .collect();
    let (b, c, d) = (nums[1], nums[2], nums[3]);
    let tail = pdf[c..c + d].to_vec();
    // Place the copied tail inside a stream object of the update; compute where it lands.
    let filler_num = next_num(pdf);
    let prefix_len = pdf.len() + format!("{filler_num} 0 obj\n<< /Length {} >>\nstream\n", d).len();
    let new_br = format!("/ByteRange [0 {b} {prefix_len} {d}]");
    let mut new_body =
        String::from_utf8_lossy(&old).replace(std::str::from_utf8(&br).expect("ascii"), &new_br);
    new_body.push(' ');
    let mut stream = format!("<< /Length {d} >>\nstream\n").into_bytes();
    stream.extend_from_slice(&tail);
    stream.extend_from_slice(b"\nendstream");
    append_update(
        pdf,
        &[
            (filler_num, stream[..].to_vec()),
            (sig_num, new_body.into_bytes()),
        ],
        "",
    )
}

#[test]
fn signature_wrapping_is_a_format_failure() {
    let r = run(&signature_wrapping(), &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
    assert_overall(
        &r,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
}

fn encrypted() -> Vec<u8> {
    append_update(&docs().g, &[], "/Encrypt << /Filter /Standard /V 1 /R 2 >>")
}

#[test]
fn encrypted_file_is_unsupported_structure() {
    let r = run(&encrypted(), &options());
    assert_overall(
        &r,
        Indication::Indeterminate,
        Some(SubIndication::UnsupportedStructure),
    );
    assert!(codes(&r).contains(&"encrypted".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// Changes after signing (incremental updates).

#[track_caller]
fn assert_modified(pdf: &[u8], kind: &str) -> VerificationReport {
    let r = run(pdf, &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::ModifiedAfterSigning),
    );
    assert_eq!(r.signatures[0].modified_after, "OTHER");
    assert!(
        r.signatures[0]
            .changed_objects
            .iter()
            .any(|c| c.kind == kind),
        "expected a change of kind {kind}: {}",
        r.to_json()
    );
    r
}

fn page_content_changed() -> Vec<u8> {
    let pdf = &docs().gh;
    let (_, contents) = first_page(pdf);
    let content = b"q 1 0 0 rg 100 100 200 50 re f Q";
    let body = [
        format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
        content,
        b"\nendstream",
    ]
    .concat();
    append_update(pdf, &[(contents, body)], "")
}

#[test]
fn update_changing_page_content() {
    let r = assert_modified(&page_content_changed(), "page content");
    assert_sig(
        &r,
        1,
        Indication::TotalFailed,
        Some(SubIndication::ModifiedAfterSigning),
    );
}

fn font_changed() -> Vec<u8> {
    let pdf = &docs().g;
    let font = objects_of_type(pdf, b"Font")[0];
    let (_, text) = object_text(pdf, font);
    let mut b = body(&text);
    let at = b.windows(2).rposition(|w| w == b">>").expect(">>");
    b.splice(at..at, b" /Hocba_Test 1 ".iter().copied());
    append_update(pdf, &[(font, b)], "")
}

#[test]
fn update_changing_a_font() {
    assert_modified(&font_changed(), "font");
}

fn annotation_added() -> Vec<u8> {
    let pdf = &docs().g;
    let (page, _) = first_page(pdf);
    let (_, text) = object_text(pdf, page);
    let annot = next_num(pdf);
    let mut b = String::from_utf8_lossy(&body(&text)).into_owned();
    b = match b.find("/Annots [") {
        Some(i) => {
            let mut s = b.clone();
            s.insert_str(i + 9, &format!("{annot} 0 R "));
            s
        }
        None => b.replacen("<<", &format!("<< /Annots [{annot} 0 R]"), 1),
    };
    let note =
        b"<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (sua diem) >>".to_vec();
    append_update(pdf, &[(page, b.into_bytes()), (annot, note)], "")
}

#[test]
fn update_adding_an_annotation() {
    let r = assert_modified(&annotation_added(), "page");
    assert!(
        r.signatures[0]
            .changed_objects
            .iter()
            .any(|c| c.kind == "new annotation"),
        "{}",
        r.to_json()
    );
}

fn xml_changed() -> Vec<u8> {
    let pdf = &docs().gh;
    let file = objects_of_type(pdf, b"EmbeddedFile")[0];
    let xml = hocba_core::pdf::extract_xml(pdf).expect("xml");
    let changed = String::from_utf8(xml)
        .expect("utf8")
        .replacen("<diem>", "<diem>1", 1)
        .into_bytes();
    let b = [
        format!(
            "<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length {} >>\nstream\n",
            changed.len()
        )
        .as_bytes(),
        &changed,
        b"\nendstream",
    ]
    .concat();
    append_update(pdf, &[(file, b)], "")
}

#[test]
fn update_changing_the_embedded_xml() {
    let r = assert_modified(&xml_changed(), "embedded file");
    assert!(
        codes(&r).contains(&"xml_changed".to_owned()),
        "{}",
        r.to_json()
    );
    assert_eq!(r.document.indication, Indication::TotalFailed);
}

fn page_added() -> Vec<u8> {
    let pdf = &docs().g;
    let pages = objects_of_type(pdf, b"Pages")[0];
    let (_, text) = object_text(pdf, pages);
    let new_page = next_num(pdf);
    let b = String::from_utf8_lossy(&body(&text)).into_owned();
    let count_at = b.find("/Count").expect("count") + 6;
    let count_at = count_at
        + b[count_at..]
            .find(|c: char| c.is_ascii_digit())
            .expect("digit");
    let count_end = count_at
        + b[count_at..]
            .find(|c: char| !c.is_ascii_digit())
            .expect("end");
    let count: u32 = b[count_at..count_end].parse().expect("count");
    let mut nb = format!("{}{}{}", &b[..count_at], count + 1, &b[count_end..]);
    let kids = nb.find("/Kids").expect("kids") + 5;
    let kids = kids + nb[kids..].find('[').expect("[") + 1;
    nb.insert_str(kids, &format!("{new_page} 0 R "));
    let page_body = format!("<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] >>");
    append_update(
        pdf,
        &[(pages, nb.into_bytes()), (new_page, page_body.into_bytes())],
        "",
    )
}

#[test]
fn update_adding_a_page() {
    let r = assert_modified(&page_added(), "page tree");
    assert!(
        r.signatures[0]
            .changed_objects
            .iter()
            .any(|c| c.kind == "new page"),
        "{}",
        r.to_json()
    );
}

/// An update defines an object number that the signed revision never defined, and points an
/// existing page at it: a new object reachable outside the whitelist.
fn shadow_object() -> (Vec<u8>, u32) {
    let pdf = &docs().g;
    let (page, _) = first_page(pdf);
    let (_, text) = object_text(pdf, page);
    let shadow = next_num(pdf);
    let b = String::from_utf8_lossy(&body(&text)).replacen(
        "<<",
        &format!("<< /PieceInfo {shadow} 0 R"),
        1,
    );
    let out = append_update(
        pdf,
        &[(page, b.into_bytes()), (shadow, b"<< /X 1 >>".to_vec())],
        "",
    );
    (out, shadow)
}

#[test]
fn shadow_object_filling_a_dangling_reference_is_caught() {
    let (pdf, shadow) = shadow_object();
    let r = assert_modified(&pdf, "page");
    assert!(
        r.signatures[0]
            .changed_objects
            .iter()
            .any(|c| c.object == shadow),
        "{}",
        r.to_json()
    );
}

/// An update whose trailer carries an array too long for the reachability walk's budget (and
/// a new object besides): the walk is cut short, and the cut is reported as a change, never
/// taken for a clean result.
#[test]
fn a_walk_over_its_budget_is_reported() {
    let pdf = &docs().g;
    let extra = next_num(pdf);
    let mut big = String::from("/Big [");
    for i in 0..200_010 {
        big.push_str(&format!("{} ", i % 10));
    }
    big.push(']');
    let out = append_update(pdf, &[(extra, b"<< /X 1 >>".to_vec())], &big);
    let r = run(&out, &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::ModifiedAfterSigning),
    );
    assert!(
        r.signatures[0]
            .changed_objects
            .iter()
            .any(|c| c.kind == "analysis budget exceeded"),
        "{}",
        r.to_json()
    );
}

/// The GVCN field's value removed after signing: the signature dictionary is no longer
/// reachable from the form.
fn unreachable_signature() -> Vec<u8> {
    let pdf = &docs().g;
    let field = field_object(pdf, b"GVCN");
    let (_, text) = object_text(pdf, field);
    let b = String::from_utf8_lossy(&body(&text)).into_owned();
    let v = b.find("/V ").expect("/V");
    let v_end = v + 3 + b[v + 3..].find('R').expect("R") + 1;
    let nb = format!("{}{}", &b[..v], &b[v_end..]);
    append_update(pdf, &[(field, nb.into_bytes())], "")
}

#[test]
fn unreachable_signature_is_a_format_failure() {
    let r = run(&unreachable_signature(), &options());
    let s = r
        .signatures
        .iter()
        .find(|s| s.field.is_none())
        .unwrap_or_else(|| panic!("{}", r.to_json()));
    assert_eq!(
        (s.indication, s.sub_indication),
        (Indication::TotalFailed, Some(SubIndication::FormatFailure))
    );
    assert!(codes(&r).contains(&"signature_unreachable".to_owned()));
    assert_ne!(r.indication, Indication::TotalPassed);
}

// ---------------------------------------------------------------------------------------------
// CMS.

fn two_signer_infos() -> Vec<u8> {
    let pdf = &docs().g;
    let cms = edit_signed_data(&last_cms(pdf), |f| {
        let last = f.len() - 1;
        let set = f[last].clone();
        let infos = children(&value(&set));
        let doubled = tlv(0x31, &[infos[0].clone(), infos[0].clone()].concat());
        f[last] = doubled;
    });
    replace_cms(pdf, &cms)
}

#[test]
fn two_signer_infos_is_a_format_failure() {
    let r = run(&two_signer_infos(), &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
    assert!(codes(&r).contains(&"cms_signer_count".to_owned()));
}

fn econtent_present() -> Vec<u8> {
    let pdf = &docs().g;
    let cms = edit_signed_data(&last_cms(pdf), |f| {
        let eci = children(&value(&f[2]));
        let with = tlv(
            0x30,
            &[eci[0].clone(), tlv(0xA0, &tlv(0x04, b"hocba"))].concat(),
        );
        f[2] = with;
    });
    replace_cms(pdf, &cms)
}

#[test]
fn econtent_present_is_a_format_failure() {
    let r = run(&econtent_present(), &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
    assert!(codes(&r).contains(&"cms_econtent".to_owned()));
}

/// Edits the fields of the (first) SignerInfo of the last signature with `f`.
fn edit_signer_info(pdf: &[u8], f: impl FnOnce(&mut Vec<Vec<u8>>)) -> Vec<u8> {
    let cms = edit_signed_data(&last_cms(pdf), |fields| {
        let last = fields.len() - 1;
        let infos = children(&value(&fields[last]));
        let mut si = children(&value(&infos[0]));
        f(&mut si);
        fields[last] = tlv(0x31, &tlv(0x30, &si.concat()));
    });
    replace_cms(pdf, &cms)
}

fn wrong_message_digest() -> Vec<u8> {
    edit_signer_info(&docs().g, |si| {
        // signedAttrs is the [0] element (tag 0xA0): flip the last byte of the messageDigest.
        let i = si.iter().position(|x| x[0] == 0xA0).expect("signed attrs");
        let attrs = children(&value(&si[i]));
        let md_oid = [
            0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04,
        ];
        let new: Vec<Vec<u8>> = attrs
            .into_iter()
            .map(|a| {
                if a.windows(md_oid.len()).any(|w| w == md_oid) {
                    let mut a = a;
                    let l = a.len();
                    a[l - 1] ^= 0xff;
                    a
                } else {
                    a
                }
            })
            .collect();
        si[i] = tlv(0xA0, &new.concat());
    })
}

#[test]
fn wrong_message_digest_is_hash_failure() {
    let r = run(&wrong_message_digest(), &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::HashFailure),
    );
}

fn wrong_signature_value() -> Vec<u8> {
    edit_signer_info(&docs().g, |si| {
        let i = si.iter().rposition(|x| x[0] == 0x04).expect("signature");
        let mut v = value(&si[i]);
        v[10] ^= 0x55;
        si[i] = tlv(0x04, &v);
    })
}

#[test]
fn wrong_signature_value_is_sig_crypto_failure() {
    let r = run(&wrong_signature_value(), &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::SigCryptoFailure),
    );
}

// ---------------------------------------------------------------------------------------------
// Certificates and revocation.

fn signed_by(id: &str) -> Vec<u8> {
    sign_as(&docs().unsigned, Role::Gvcn, id, TIMES[0])
}

#[test]
fn bad_certificates_give_their_indications() {
    let cases: &[(&str, Indication, SubIndication)] = &[
        (
            "bad-expired",
            Indication::Indeterminate,
            SubIndication::OutOfBoundsNoPoe,
        ),
        (
            "bad-not-yet-valid",
            Indication::TotalFailed,
            SubIndication::NotYetValid,
        ),
        (
            "bad-revoked",
            Indication::TotalFailed,
            SubIndication::Revoked,
        ),
        (
            "bad-no-key-usage",
            Indication::Indeterminate,
            SubIndication::ChainConstraintsFailure,
        ),
        (
            "bad-key-usage-certsign",
            Indication::Indeterminate,
            SubIndication::ChainConstraintsFailure,
        ),
        (
            "bad-ca-signer",
            Indication::Indeterminate,
            SubIndication::ChainConstraintsFailure,
        ),
        (
            "bad-pathlen",
            Indication::Indeterminate,
            SubIndication::ChainConstraintsFailure,
        ),
        // bad-unknown-critical-ext cannot be loaded by the signer (x509-cert refuses its OID
        // arc above 32 bits); it is signed with pyHanko in hocba-py/tests/test_verify.py.
        (
            "bad-sha1",
            Indication::Indeterminate,
            SubIndication::CryptoConstraintsFailure,
        ),
        (
            "bad-rsa-1024",
            Indication::Indeterminate,
            SubIndication::CryptoConstraintsFailure,
        ),
        (
            "bad-unknown-issuer",
            Indication::Indeterminate,
            SubIndication::NoCertificateChainFound,
        ),
        (
            "bad-impostor-issuer",
            Indication::Indeterminate,
            SubIndication::NoCertificateChainFound,
        ),
    ];
    for (id, ind, sub) in cases {
        let pdf = signed_by(id);
        let r = run(&pdf, &options());
        assert_eq!(
            (r.signatures[0].indication, r.signatures[0].sub_indication),
            (*ind, Some(*sub)),
            "{id}: {}",
            r.to_json()
        );
        assert_ne!(r.indication, Indication::TotalPassed, "{id}");
    }
}

#[test]
fn expired_certificate_reports_the_claimed_time_verdict() {
    // bad-expired expired at the end of 2023; sign with a claimed time inside its validity.
    let pdf = sign_as(
        &docs().unsigned,
        Role::Gvcn,
        "bad-expired",
        "2023-06-01T09:00:00+07:00",
    );
    let r = run(&pdf, &options());
    let s = &r.signatures[0];
    assert_eq!(
        (s.indication, s.sub_indication),
        (
            Indication::Indeterminate,
            Some(SubIndication::OutOfBoundsNoPoe)
        ),
        "{}",
        r.to_json()
    );
    assert_eq!(
        s.indication_at_claimed_time,
        Some(Indication::TotalPassed),
        "{}",
        r.to_json()
    );
    let mut o = options();
    o.at = At::Claimed;
    let r = run(&pdf, &o);
    assert_eq!(r.signatures[0].time_source.as_deref(), Some("claimed"));
    assert_eq!(
        r.signatures[0].indication,
        Indication::TotalPassed,
        "{}",
        r.to_json()
    );
    assert!(codes(&r).contains(&"claimed_time_only".to_owned()));
}

#[test]
fn revoked_only_after_the_time_used() {
    // bad-revoked is revoked on 2025-01-01 (CRL of 2025-01-02): judged at a claimed time of
    // 2024-06-01 with today's CRL it was good then; judged today it is revoked.
    let pdf = sign_as(
        &docs().unsigned,
        Role::Gvcn,
        "bad-revoked",
        "2024-06-01T09:00:00+07:00",
    );
    let mut o = options();
    o.at = At::Claimed;
    let r = run(&pdf, &o);
    assert_eq!(r.signatures[0].revocation, "GOOD", "{}", r.to_json());
    assert_sig(&r, 0, Indication::TotalPassed, None);
    let r = run(&pdf, &options());
    assert_eq!(r.signatures[0].revocation, "REVOKED", "{}", r.to_json());
    // Judged in 2024 itself, the CRL of 2025 does not exist yet: no usable revocation data.
    let mut o = options();
    o.at = At::Time(parse_rfc3339("2024-06-01T00:00:00Z").expect("time"));
    let r = run(&pdf, &o);
    assert_sig(
        &r,
        0,
        Indication::Indeterminate,
        Some(SubIndication::TryLater),
    );
}

#[test]
fn missing_crl_under_each_policy() {
    let pdf = &docs().g;
    let mut o = options();
    o.crls.clear();
    let r = run(pdf, &o);
    assert_sig(
        &r,
        0,
        Indication::Indeterminate,
        Some(SubIndication::TryLater),
    );
    assert_eq!(r.signatures[0].revocation, "UNKNOWN");
    o.revocation = RevocationPolicy::Prefer;
    let r = run(pdf, &o);
    assert_sig(&r, 0, Indication::TotalPassed, None);
    assert!(codes(&r).contains(&"revocation_unchecked".to_owned()));
    o.revocation = RevocationPolicy::Off;
    let r = run(pdf, &o);
    assert_sig(&r, 0, Indication::TotalPassed, None);
    assert_eq!(r.signatures[0].revocation, "NOT_CHECKED");
}

#[test]
fn untrusted_without_anchors() {
    let mut o = options();
    o.trust.clear();
    let r = run(&docs().g, &o);
    assert_sig(
        &r,
        0,
        Indication::Indeterminate,
        Some(SubIndication::NoCertificateChainFound),
    );
}

// ---------------------------------------------------------------------------------------------
// Document checks.

#[test]
fn missing_ht_fails_the_document() {
    let r = run(&docs().g, &options());
    assert_sig(&r, 0, Indication::TotalPassed, None);
    assert_eq!(r.document.indication, Indication::TotalFailed);
    assert_eq!(
        r.document.sub_indication,
        Some(SubIndication::SigConstraintsFailure)
    );
    assert_overall(
        &r,
        Indication::TotalFailed,
        Some(SubIndication::SigConstraintsFailure),
    );
    assert_eq!(
        r.document.roles.as_ref().map(|x| x.ht.as_str()),
        Some("absent")
    );
    assert!(codes(&r).contains(&"role_missing".to_owned()));
}

#[test]
fn seal_policy() {
    // The example is a public school: the seal is required (auto) unless optional.
    let mut o = options();
    let r = run(&docs().gh, &o);
    assert_overall(
        &r,
        Indication::TotalFailed,
        Some(SubIndication::SigConstraintsFailure),
    );
    o.seal = SealPolicy::Optional;
    let r = run(&docs().gh, &o);
    assert_overall(&r, Indication::TotalPassed, None);
    assert_eq!(
        r.document.roles.as_ref().map(|x| x.dau.as_str()),
        Some("not_required")
    );
}

#[test]
fn name_mismatch_fails_the_document() {
    let pdf = sign_as(&docs().unsigned, Role::Gvcn, "grade-1-gvcn", TIMES[0]);
    let r = run(&pdf, &options());
    assert_eq!(
        r.signatures[0].identity.as_deref(),
        Some("mismatch"),
        "{}",
        r.to_json()
    );
    assert!(codes(&r).contains(&"identity_mismatch".to_owned()));
    assert_eq!(r.document.indication, Indication::TotalFailed);
}

#[test]
fn generic_profile_skips_document_checks() {
    let mut o = options();
    o.profile = ProfilePolicy::Generic;
    let r = run(&docs().g, &o);
    assert_overall(&r, Indication::TotalPassed, None);
    assert_eq!(r.document.profile, "generic");
    assert!(r.document.roles.is_none());
}

#[test]
fn text_form_in_both_languages() {
    let r = run(&docs().ghd, &options());
    let vi = hocba_core::pdf::verify::to_text(&r, false);
    let en = hocba_core::pdf::verify::to_text(&r, true);
    assert!(vi.contains("HỢP LỆ") && vi.contains("GVCN"), "{vi}");
    assert!(en.contains("VALID") && en.contains("Signatures"), "{en}");
}

// ---------------------------------------------------------------------------------------------
// Committed fixtures: the documents above, written to fixtures/pdf/verify/ (HOCBA_UPDATE_GOLDEN=1
// rewrites them) with expected.json — the verdicts declared here, not the engine's output — for
// the pyHanko comparison (hocba-py/tests/test_verify.py) and the robustness runs. Three full
// reports are kept as golden files.

struct Case {
    name: &'static str,
    pdf: Vec<u8>,
    /// The overall verdict with the default options (anchors, CRLs, 2026-11-28).
    overall: (Indication, Option<SubIndication>),
    /// Each signature's verdict, in revision order.
    signatures: Vec<(Indication, Option<SubIndication>)>,
}

const P: (Indication, Option<SubIndication>) = (Indication::TotalPassed, None);

fn f(sub: SubIndication) -> (Indication, Option<SubIndication>) {
    (sub.indication(), Some(sub))
}

fn cases() -> Vec<Case> {
    use SubIndication::*;
    let d = docs();
    let case = |name, pdf, overall, signatures| Case {
        name,
        pdf,
        overall,
        signatures,
    };
    let mut v = vec![
        case("valid-gvcn-ht-dau", d.ghd.clone(), P, vec![P, P, P]),
        // The private school of grade-1 bought its seal from the teachers' CA: all three chains
        // are VNPT-CA (RSA-2048) under one RSA-4096 root, the common shape of a real record (the
        // second file of the verification benchmark).
        case("valid-one-ca", one_ca(), P, vec![P, P, P]),
        case(
            "valid-gvcn-ht-no-seal",
            d.gh.clone(),
            f(SigConstraintsFailure),
            vec![P, P],
        ),
        case("missing-ht", d.g.clone(), f(SigConstraintsFailure), vec![P]),
        case(
            "unsigned",
            d.unsigned.clone(),
            f(SignedDataNotFound),
            vec![],
        ),
        case(
            "byte-changed",
            byte_changed(),
            f(HashFailure),
            vec![f(HashFailure); 3],
        ),
        case(
            "garbage-after-eof",
            garbage_after_eof(),
            f(ModifiedAfterSigning),
            vec![f(ModifiedAfterSigning); 3],
        ),
        case(
            "byte-range-missing",
            byte_range_missing(),
            f(FormatFailure),
            vec![f(FormatFailure)],
        ),
        case(
            "signature-wrapping",
            signature_wrapping(),
            f(FormatFailure),
            vec![f(FormatFailure)],
        ),
        case("encrypted", encrypted(), f(UnsupportedStructure), vec![]),
        case(
            "page-content-changed",
            page_content_changed(),
            f(ModifiedAfterSigning),
            vec![f(ModifiedAfterSigning); 2],
        ),
        case(
            "font-changed",
            font_changed(),
            f(ModifiedAfterSigning),
            vec![f(ModifiedAfterSigning)],
        ),
        case(
            "annotation-added",
            annotation_added(),
            f(ModifiedAfterSigning),
            vec![f(ModifiedAfterSigning)],
        ),
        case(
            "xml-changed",
            xml_changed(),
            f(ModifiedAfterSigning),
            vec![f(ModifiedAfterSigning); 2],
        ),
        case(
            "page-added",
            page_added(),
            f(ModifiedAfterSigning),
            vec![f(ModifiedAfterSigning)],
        ),
        case(
            "shadow-object",
            shadow_object().0,
            f(ModifiedAfterSigning),
            vec![f(ModifiedAfterSigning)],
        ),
        case(
            "signature-unreachable",
            unreachable_signature(),
            f(FormatFailure),
            vec![f(FormatFailure)],
        ),
        case(
            "two-signer-infos",
            two_signer_infos(),
            f(FormatFailure),
            vec![f(FormatFailure)],
        ),
        case(
            "econtent-present",
            econtent_present(),
            f(FormatFailure),
            vec![f(FormatFailure)],
        ),
        case(
            "wrong-message-digest",
            wrong_message_digest(),
            f(HashFailure),
            vec![f(HashFailure)],
        ),
        case(
            "wrong-signature-value",
            wrong_signature_value(),
            f(SigCryptoFailure),
            vec![f(SigCryptoFailure)],
        ),
        case(
            "name-mismatch",
            sign_as(&d.unsigned, Role::Gvcn, "grade-1-gvcn", TIMES[0]),
            f(SigConstraintsFailure),
            vec![P],
        ),
    ];
    for (id, sub) in [
        ("bad-expired", OutOfBoundsNoPoe),
        ("bad-not-yet-valid", NotYetValid),
        ("bad-revoked", Revoked),
        ("bad-no-key-usage", ChainConstraintsFailure),
        ("bad-ca-signer", ChainConstraintsFailure),
        ("bad-pathlen", ChainConstraintsFailure),
        ("bad-sha1", CryptoConstraintsFailure),
        ("bad-rsa-1024", CryptoConstraintsFailure),
        ("bad-unknown-issuer", NoCertificateChainFound),
    ] {
        // The document checks fail too (HT missing): TOTAL_FAILED wins unless the signature's
        // own verdict is a TOTAL_FAILED that comes first in the table.
        let overall = f(sub).0;
        let overall = if overall == Indication::TotalFailed {
            f(sub)
        } else {
            f(SigConstraintsFailure)
        };
        v.push(case(id, signed_by(id), overall, vec![f(sub)]));
    }
    v
}

fn verdict_json(v: (Indication, Option<SubIndication>)) -> serde_json::Value {
    serde_json::json!({
        "indication": v.0,
        "subIndication": v.1,
    })
}

#[test]
fn cases_give_their_declared_verdicts() {
    for c in cases() {
        let r = run(&c.pdf, &options());
        assert_eq!(
            (r.indication, r.sub_indication),
            c.overall,
            "{}: {}",
            c.name,
            r.to_json()
        );
        let got: Vec<_> = r
            .signatures
            .iter()
            .map(|s| (s.indication, s.sub_indication))
            .collect();
        assert_eq!(got, c.signatures, "{}: {}", c.name, r.to_json());
    }
}

#[test]
fn committed_fixtures_are_current() {
    let dir = root().join("fixtures/pdf/verify");
    let update = std::env::var_os("HOCBA_UPDATE_GOLDEN").is_some();
    if update {
        std::fs::create_dir_all(&dir).expect("mkdir");
    }
    let mut expected = serde_json::Map::new();
    let mut stale = Vec::new();
    let check = |name: String, bytes: &[u8], stale: &mut Vec<String>| {
        let path = dir.join(&name);
        if update {
            std::fs::write(&path, bytes).expect("write");
        } else if std::fs::read(&path).ok().as_deref() != Some(bytes) {
            stale.push(name);
        }
    };
    for c in cases() {
        check(format!("{}.pdf", c.name), &c.pdf, &mut stale);
        let mut e = verdict_json(c.overall);
        e["signatures"] = c.signatures.iter().map(|v| verdict_json(*v)).collect();
        expected.insert(c.name.to_owned(), e);
    }
    let mut text = serde_json::to_string_pretty(&serde_json::json!({
        "validationTime": NOW,
        "trust": "fixtures/pki/trust/bundle.pem",
        "crls": "fixtures/pki/ca/all-crls.pem",
        "cases": expected,
    }))
    .expect("json");
    text.push('\n');
    check("expected.json".to_owned(), text.as_bytes(), &mut stale);
    for name in ["valid-gvcn-ht-dau", "page-content-changed", "bad-expired"] {
        let pdf = read(&format!("fixtures/pdf/verify/{name}.pdf"));
        let mut report = run(&pdf, &options()).to_json();
        report.push('\n');
        check(format!("{name}.report.json"), report.as_bytes(), &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale or missing files in fixtures/pdf/verify: {stale:?}; review and rewrite with HOCBA_UPDATE_GOLDEN=1"
    );
}

// ---------------------------------------------------------------------------------------------
// More faults.

#[test]
fn update_changing_an_existing_annotation() {
    // The HT widget (an annotation of the year page, still unsigned) is moved after GVCN signed:
    // only its value and appearance may change.
    let pdf = &docs().g;
    let widget = field_object(pdf, b"HT");
    let (_, text) = object_text(pdf, widget);
    let b = String::from_utf8_lossy(&body(&text)).into_owned();
    let rect = b.find("/Rect").expect("rect");
    let end = rect + b[rect..].find(']').expect("]") + 1;
    let nb = format!("{}/Rect [0 0 595 842]{}", &b[..rect], &b[end..]);
    let r = assert_modified(
        &append_update(pdf, &[(widget, nb.into_bytes())], ""),
        "form field",
    );
    assert_eq!(r.signatures[0].changed_objects.len(), 1, "{}", r.to_json());
}

#[test]
fn contents_null_and_dictionary_outside_the_signed_bytes() {
    let pdf = &docs().g;
    // /Contents <…> replaced in place by null and spaces.
    let (start, end) = last_contents(pdf);
    let mut forged = pdf.clone();
    forged[start - 1..start + 4].copy_from_slice(b"null ");
    for b in &mut forged[start + 4..=end] {
        *b = b' ';
    }
    let r = run(&forged, &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
    assert!(
        codes(&r).contains(&"contents_mismatch".to_owned()),
        "{}",
        r.to_json()
    );
    // The second range shortened in place: the covered bytes now end inside the signature
    // dictionary, which is no longer inside the signed bytes.
    let br = last_byte_range(pdf);
    let text = String::from_utf8_lossy(&br).into_owned();
    let nums: Vec<&str> = text[12..text.len() - 1].split_whitespace().collect();
    let mut short = format!("/ByteRange [{} {} {} 10]", nums[0], nums[1], nums[2]).into_bytes();
    short.resize(br.len(), b' ');
    let r = run(&in_place(pdf, &br, &short), &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
    let got = codes(&r);
    assert!(
        got.contains(&"signature_dict_outside".to_owned()),
        "{}",
        r.to_json()
    );
    assert!(
        got.contains(&"coverage_partial".to_owned()) || got.contains(&"file_rewritten".to_owned())
    );
}

#[test]
fn seal_signed_with_a_personal_certificate() {
    // The principal's personal certificate used for the school seal: not an organisation, and
    // not the school's name.
    let pdf = sign_as(&docs().gh, Role::Dau, "example-ht", TIMES[2]);
    let r = run(&pdf, &options());
    assert_sig(&r, 2, Indication::TotalPassed, None);
    let got = codes(&r);
    assert!(
        got.contains(&"seal_not_organization".to_owned()),
        "{}",
        r.to_json()
    );
    assert!(got.contains(&"identity_mismatch".to_owned()));
    assert_overall(
        &r,
        Indication::TotalFailed,
        Some(SubIndication::SigConstraintsFailure),
    );
}

#[test]
fn signing_before_the_confirmation_date_is_a_warning() {
    // The example's year page is confirmed on 2025-05-26; GVCN signs on 2025-05-20.
    let g = sign_as(
        &docs().unsigned,
        Role::Gvcn,
        "example-gvcn",
        "2025-05-20T10:00:00+07:00",
    );
    let gh = sign_as(&g, Role::Ht, "example-ht", TIMES[1]);
    let ghd = sign_as(&gh, Role::Dau, "example-dau", TIMES[2]);
    let r = run(&ghd, &options());
    assert_overall(&r, Indication::TotalPassed, None);
    assert!(
        codes(&r).contains(&"signed_before_confirmation".to_owned()),
        "{}",
        r.to_json()
    );
}

#[test]
fn intermediates_from_the_caller() {
    // Anchors given as DER, one by one; the chain in the CMS is enough here, and extra
    // intermediates do not change the verdict.
    let mut o = options();
    o.trust = [
        "fixtures/pki/trust/cipher-root.der",
        "fixtures/pki/trust/neac-root.der",
    ]
    .iter()
    .flat_map(|p| load_certificates(&read(p)).expect("DER"))
    .collect();
    o.intermediates = load_certificates(&read("fixtures/pki/ca/intermediates.pem")).expect("PEM");
    let r = run(&docs().ghd, &o);
    assert_overall(&r, Indication::TotalPassed, None);
}

#[test]
fn a_real_encrypted_file_is_unsupported_structure() {
    let Some(qpdf) = which("qpdf") else {
        assert!(std::env::var_os("CI").is_none(), "qpdf is required in CI");
        eprintln!("note: qpdf not found; skipped");
        return;
    };
    let dir = std::env::temp_dir().join(format!("hocba-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let (input, output) = (dir.join("in.pdf"), dir.join("enc.pdf"));
    std::fs::write(&input, &docs().ghd).expect("write");
    let status = std::process::Command::new(qpdf)
        .args(["--encrypt", "user", "owner", "256", "--"])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("qpdf runs");
    assert!(status.success());
    let r = run(&std::fs::read(&output).expect("read"), &options());
    assert_overall(
        &r,
        Indication::Indeterminate,
        Some(SubIndication::UnsupportedStructure),
    );
    assert!(
        codes(&r).contains(&"encrypted".to_owned()),
        "{}",
        r.to_json()
    );
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
    })
}

/// `docs/verification-codes.md`, generated from the catalogue of verification message codes.
fn codes_doc() -> String {
    use hocba_core::pdf::verify::messages::ALL;
    let mut s = String::from(
        "# Verification message codes\n\n\
         Generated from `hocba-core/src/pdf/verify/messages.rs` by `cargo test -p hocba-core --test verify`\n\
         (`HOCBA_UPDATE_GOLDEN=1` rewrites it); a test fails when it is stale. `hocba codes` lists\n\
         them after the finding codes. Messages appear in a report's `signatures[].messages` and\n\
         `document.messages` (see `verification.md`).\n\n\
         | code | severity | clause | topic | message | thông báo |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for c in ALL {
        let esc = |t: &str| t.replace('|', "\\|");
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            c.code,
            c.severity.as_str(),
            esc(c.clause),
            c.topic,
            esc(c.en),
            esc(c.vi)
        ));
    }
    s
}

#[test]
fn docs_list_every_verification_code() {
    let path = root().join("docs/verification-codes.md");
    let text = codes_doc();
    if std::env::var_os("HOCBA_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).expect("write");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "docs/verification-codes.md is stale; rewrite with HOCBA_UPDATE_GOLDEN=1"
    );
}

#[test]
fn a_shared_cache_changes_no_verdict_and_saves_work() {
    let cache = std::sync::Arc::new(hocba_core::pki::SignatureCache::new());
    let mut shared = options();
    shared.shared_cache = Some(std::sync::Arc::clone(&cache));
    for c in cases() {
        assert_eq!(
            run(&c.pdf, &shared).to_json(),
            run(&c.pdf, &options()).to_json(),
            "{}",
            c.name
        );
    }
    // Everything this file needs is in the cache now: verifying it again checks no certificate
    // or CRL signature.
    let before = cache.verifications();
    assert!(run(&docs().ghd, &shared).passed());
    assert_eq!(cache.verifications(), before);
}

#[test]
fn duplicate_keys_lenient_in_content_strict_in_signatures() {
    // A document whose information dictionary has a duplicate key (Word and scanners write
    // such files): signed and verified normally.
    let dup = in_place(
        &docs().unsigned,
        b"/Creator(hocba 0.1.0)",
        b"/Creator(a)/Creator()",
    );
    let signed = sign_as(&dup, Role::Gvcn, "example-gvcn", TIMES[0]);
    let r = run(&signed, &options());
    assert_sig(&r, 0, Indication::TotalPassed, None);
    // A second /ByteRange in the signature dictionary (a reader that takes the first and one
    // that takes the last would check different bytes): never valid.
    let forged = in_place(
        &docs().g,
        b"/Filter /Adobe.PPKLite",
        b"/ByteRange [0 0 0 00] ",
    );
    let r = run(&forged, &options());
    assert_sig(
        &r,
        0,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
    assert!(
        codes(&r).contains(&"signature_dict_malformed".to_owned()),
        "{}",
        r.to_json()
    );
}

// ---------------------------------------------------------------------------------------------
// A SHA-1 timestamp imprint from a TSA under an older root (signing.md, real files): the token
// is built here with the test PKI's legacy TSA key and added to the signature's unsigned
// attributes (which the signature does not cover).

#[test]
fn sha1_timestamp_from_a_tsa_under_an_older_root() {
    use sha1::Digest;
    // bad-expired (valid until the end of 2023) signs; tsa-legacy (2015–2025, under the SHA-1
    // MIC root) stamps the signature value on 2023-06-01 with a SHA-1 imprint.
    let pdf = sign_as(
        &docs().unsigned,
        Role::Gvcn,
        "bad-expired",
        "2023-06-01T09:00:00+07:00",
    );
    let stamped = edit_signer_info(&pdf, |si| {
        let sig = si.iter().rposition(|x| x[0] == 0x04).expect("signature");
        let imprint = sha1::Sha1::digest(value(&si[sig])).to_vec();
        let token = timestamp_token("tsa-legacy", &imprint, "20230601020000Z");
        let attr = tlv(
            0x30,
            &[oid("1.2.840.113549.1.9.16.2.14"), tlv(0x31, &token)].concat(),
        );
        si.push(tlv(0xA1, &attr));
    });
    let mut o = options();
    o.trust
        .extend(load_certificates(&read("fixtures/pki/ca/mic-sha1-root/cert.pem")).expect("root"));
    let r = run(&stamped, &o);
    let s = &r.signatures[0];
    assert_eq!(
        (s.indication, s.time_source.as_deref()),
        (Indication::TotalPassed, Some("timestamp")),
        "{}",
        r.to_json()
    );
    assert_eq!(s.time_used.as_deref(), Some("2023-06-01T02:00:00Z"));
    let got = codes(&r);
    assert!(
        got.contains(&"timestamp_used".to_owned())
            && got.contains(&"timestamp_weak_imprint".to_owned()),
        "{got:?}"
    );
    // The same token with a wrong imprint is not used: expired, no proof of existence.
    let forged = edit_signer_info(&pdf, |si| {
        let token = timestamp_token("tsa-legacy", &[7u8; 20], "20230601020000Z");
        si.push(tlv(
            0xA1,
            &tlv(
                0x30,
                &[oid("1.2.840.113549.1.9.16.2.14"), tlv(0x31, &token)].concat(),
            ),
        ));
    });
    let r = run(&forged, &o);
    assert_sig(
        &r,
        0,
        Indication::Indeterminate,
        Some(SubIndication::OutOfBoundsNoPoe),
    );
    assert!(codes(&r).contains(&"timestamp_invalid".to_owned()));
}

/// Appends a hybrid-reference update (a classic table whose trailer has /XRefStm, as Word
/// writes): object `num` is listed only in the cross-reference stream.
fn hybrid_update(pdf: &[u8], num: u32) -> Vec<u8> {
    let (prev, root, info) = with_resolver(pdf, |r, last| {
        let rev = r.revisions().get(last).expect("last");
        let t = &rev.trailer;
        (
            rev.xref_offset,
            t.get_ref(b"Root").expect("root"),
            t.get_ref(b"Info"),
        )
    });
    let mut out = pdf.to_vec();
    let obj_at = out.len();
    out.extend_from_slice(format!("{num} 0 obj\n<< /HybridTest 1 >>\nendobj\n").as_bytes());
    let stm = num + 1;
    let stm_at = out.len();
    let mut row = vec![1u8];
    row.extend_from_slice(&u32::try_from(obj_at).expect("offset").to_be_bytes());
    row.extend_from_slice(&[0, 0]);
    out.extend_from_slice(
        format!("{stm} 0 obj\n<< /Type /XRef /Size {} /W [1 4 2] /Index [{num} 1] /Length {} >>\nstream\n", stm + 1, row.len())
            .as_bytes(),
    );
    out.extend_from_slice(&row);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = out.len();
    let info = info
        .map(|i| format!("/Info {} {} R", i.num, i.gen))
        .unwrap_or_default();
    out.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f\r\n{stm} 1\n{stm_at:010} 00000 n\r\ntrailer\n<< /Size {} /Root {} {} R {info} /Prev {prev} /XRefStm {stm_at} >>\nstartxref\n{xref}\n%%EOF\n",
            stm + 1,
            root.num,
            root.gen
        )
        .as_bytes(),
    );
    out
}

#[test]
fn hybrid_reference_files() {
    // A hybrid update appended after signing: read unambiguously, nothing changed.
    let g = &docs().g;
    let after = hybrid_update(g, next_num(g));
    let r = run(&after, &options());
    assert_sig(&r, 0, Indication::TotalPassed, None);
    with_resolver(&after, |res, last| {
        assert_eq!(
            res.revisions().get(last).map(|x| x.kind),
            Some(hocba_core::pdf::revisions::XrefKind::Hybrid)
        );
    });
    // A hybrid original (Word's way), then signed GVCN, HT, DAU.
    let unsigned = hybrid_update(&docs().unsigned, next_num(&docs().unsigned));
    let s1 = sign_as(&unsigned, Role::Gvcn, "example-gvcn", TIMES[0]);
    let s2 = sign_as(&s1, Role::Ht, "example-ht", TIMES[1]);
    let s3 = sign_as(&s2, Role::Dau, "example-dau", TIMES[2]);
    let r = run(&s3, &options());
    assert_overall(&r, Indication::TotalPassed, None);
}

#[test]
fn dss_with_crls_and_ocsp_responses_after_signing() {
    // A /DSS added after GVCN signed (what PAdES B-LT tools do): allowed; its CRLs are used
    // (no CRL is given by the caller here) and its OCSP responses are reported as not checked.
    let pdf = &docs().g;
    let catalog = with_resolver(pdf, |r, last| {
        r.trailer(last)
            .and_then(|t| t.get_ref(b"Root"))
            .expect("root")
    });
    let (_, text) = object_text(pdf, catalog.num);
    let n = next_num(pdf);
    let b = String::from_utf8_lossy(&body(&text)).replacen("<<", &format!("<< /DSS {n} 0 R"), 1);
    let crls = read("fixtures/pki/ca/all-crls.pem");
    let der: Vec<Vec<u8>> = load_crls(&crls)
        .expect("CRLs")
        .iter()
        .map(|c| c.der().to_vec())
        .collect();
    let mut objects = vec![(catalog.num, b.into_bytes())];
    let mut refs = String::new();
    for (i, d) in der.iter().enumerate() {
        let num = n + 2 + u32::try_from(i).expect("small");
        refs.push_str(&format!("{num} 0 R "));
        objects.push((
            num,
            [
                format!("<< /Length {} >>\nstream\n", d.len()).as_bytes(),
                d,
                b"\nendstream",
            ]
            .concat(),
        ));
    }
    objects.push((
        n + 1,
        b"<< /Length 3 >>\nstream\n0\x01\x02\nendstream".to_vec(),
    ));
    objects.push((
        n,
        format!("<< /CRLs [{refs}] /OCSPs [{} 0 R] >>", n + 1).into_bytes(),
    ));
    let with_dss = append_update(pdf, &objects, "");
    let mut o = options();
    o.crls.clear();
    let r = run(&with_dss, &o);
    assert_sig(&r, 0, Indication::TotalPassed, None);
    assert_eq!(r.signatures[0].revocation, "GOOD", "{}", r.to_json());
    assert!(
        codes(&r).contains(&"ocsp_not_checked".to_owned()),
        "{}",
        r.to_json()
    );
}
