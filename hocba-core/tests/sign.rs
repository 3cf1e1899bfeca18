//! Signing (`signing.md`, "Signing"): the example record rendered, then signed GVCN → HT → DAU
//! with the test PKI (`fixtures/pki/`). Each signature is an incremental update (the earlier
//! bytes are the new file's prefix) that qpdf accepts, whose `/ByteRange` covers the whole file
//! but the `/Contents` string, whose CMS has one SignerInfo with the digest of the covered bytes
//! and signing-certificate-v2, and whose signature verifies with the signer's public key.
//! Out-of-order and repeated signing are refused. The external two-step path (prepare, a "token"
//! signs the hash, complete) gives the same bytes as the one-step path.
//!
//! qpdf is skipped when missing, unless `CI` is set.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode, SliceReader};
use hocba_core::model::{Instant, Timestamp};
use hocba_core::pdf::sign::{
    complete, complete_timestamped, prepare, sign, sign_timestamped, PreparedSignature, Role,
    SignError, SignRequest, SignatureValue, SigningKey,
};
use hocba_core::pdf::{render, RenderSettings, SealMode};
use lopdf::{Dictionary, Document, Object};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::hazmat::PrehashSigner;
use rsa::signature::{SignatureEncoding, Verifier};
use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn rendered(seal: SealMode) -> Vec<u8> {
    let xml = read("fixtures/records/valid/example.xml");
    let record = hocba_core::read_record(&xml).expect("the example parses");
    render(
        &record,
        &RenderSettings {
            seal,
            ..RenderSettings::default()
        },
    )
    .expect("the example renders")
}

fn key(id: &str) -> SigningKey {
    let pem = String::from_utf8(read(&format!("fixtures/pki/ee/{id}/key.pem"))).expect("PEM text");
    SigningKey::from_pkcs8_pem(&pem, &read(&format!("fixtures/pki/ee/{id}/chain.pem")))
        .expect("the key loads")
}

fn time(s: &str) -> Instant {
    Timestamp::from(s).to_instant().expect("a valid instant")
}

fn request(role: Role) -> SignRequest {
    SignRequest::new(role, time("2025-05-26T16:30:00+07:00"))
}

fn have_qpdf() -> bool {
    let ok = Command::new("qpdf").arg("--version").output().is_ok();
    if !ok && std::env::var_os("CI").is_some() {
        panic!("qpdf is required when CI is set (apt-get install qpdf)");
    }
    if !ok {
        eprintln!("skipping the qpdf checks: qpdf is not installed");
    }
    ok
}

fn qpdf_check(name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sign");
    std::fs::create_dir_all(&dir).expect("create the temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("run qpdf");
    assert!(
        out.status.success(),
        "qpdf --check {name}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn field<'a>(doc: &'a Document, name: &str) -> &'a Dictionary {
    let catalog = doc.catalog().expect("catalog");
    let form_id = catalog
        .get(b"AcroForm")
        .and_then(Object::as_reference)
        .expect("AcroForm reference");
    let form = doc.get_dictionary(form_id).expect("AcroForm");
    let fields = form
        .get(b"Fields")
        .and_then(Object::as_array)
        .expect("Fields");
    fields
        .iter()
        .filter_map(|f| f.as_reference().ok())
        .filter_map(|id| doc.get_dictionary(id).ok())
        .find(|d| d.get(b"T").and_then(Object::as_str).ok() == Some(name.as_bytes()))
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn sig_dict<'a>(doc: &'a Document, name: &str) -> (lopdf::ObjectId, &'a Dictionary) {
    let id = field(doc, name)
        .get(b"V")
        .and_then(Object::as_reference)
        .unwrap_or_else(|_| panic!("{name} has no /V reference"));
    (
        id,
        doc.get_dictionary(id).expect("the signature dictionary"),
    )
}

fn hex_decode(hex: &[u8]) -> Vec<u8> {
    let val = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not hex: {c}"),
    };
    hex.chunks_exact(2)
        .map(|p| (val(p[0]) << 4) | val(p[1]))
        .collect()
}

/// Checks the newest signature (in field `name`) of `bytes` against the signer `id`.
fn check_signature(bytes: &[u8], name: &str, id: &str) {
    let doc = Document::load_mem(bytes).expect("the signed PDF loads");
    let (_, sig) = sig_dict(&doc, name);
    assert_eq!(
        sig.get(b"Type").and_then(Object::as_name).ok(),
        Some(&b"Sig"[..])
    );
    assert_eq!(
        sig.get(b"Filter").and_then(Object::as_name).ok(),
        Some(&b"Adobe.PPKLite"[..])
    );
    assert_eq!(
        sig.get(b"SubFilter").and_then(Object::as_name).ok(),
        Some(&b"ETSI.CAdES.detached"[..])
    );
    for key in [&b"M"[..], b"Name", b"Reason", b"Location"] {
        assert!(sig.has(key), "{name}: no /{}", String::from_utf8_lossy(key));
    }

    // ByteRange: the whole file but the Contents hex string (with its delimiters).
    let range: Vec<usize> = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .expect("ByteRange")
        .iter()
        .map(|o| usize::try_from(o.as_i64().expect("an integer")).expect("non-negative"))
        .collect();
    assert_eq!(range.len(), 4);
    assert_eq!(range[0], 0);
    assert_eq!(
        range[2] + range[3],
        bytes.len(),
        "{name}: the range ends at EOF"
    );
    assert_eq!(bytes[range[1]], b'<');
    assert_eq!(bytes[range[2] - 1], b'>');
    let hex = &bytes[range[1] + 1..range[2] - 1];
    assert!(hex.iter().all(u8::is_ascii_hexdigit));
    let contents = sig
        .get(b"Contents")
        .and_then(Object::as_str)
        .expect("Contents");
    assert_eq!(contents, hex_decode(hex).as_slice());
    assert_eq!(contents.len(), 16 * 1024, "the default reserve");

    let mut hasher = Sha256::new();
    hasher.update(&bytes[..range[1]]);
    hasher.update(&bytes[range[2]..]);
    let digest = hasher.finalize();

    // The CMS (trailing zeros of the reserve left over).
    let mut reader = SliceReader::new(contents).expect("reader");
    let ci = ContentInfo::decode(&mut reader).expect("a ContentInfo");
    assert_eq!(ci.content_type.to_string(), "1.2.840.113549.1.7.2");
    assert!(
        contents[usize::try_from(u32::from(ci.encoded_len().expect("len"))).expect("len")..]
            .iter()
            .all(|&b| b == 0)
    );
    let sd: SignedData = ci.content.decode_as().expect("SignedData");
    assert!(sd.encap_content_info.econtent.is_none(), "detached");
    assert_eq!(
        sd.encap_content_info.econtent_type.to_string(),
        "1.2.840.113549.1.7.1"
    );
    let chain_len =
        x509_cert::Certificate::load_pem_chain(&read(&format!("fixtures/pki/ee/{id}/chain.pem")))
            .expect("chain")
            .len();
    assert_eq!(
        sd.certificates.as_ref().expect("certificates").0.len(),
        chain_len
    );
    assert_eq!(sd.signer_infos.0.len(), 1, "one SignerInfo");
    let si = sd.signer_infos.0.get(0).expect("a SignerInfo");
    assert_eq!(si.digest_alg.oid.to_string(), "2.16.840.1.101.3.4.2.1");
    let attrs = si.signed_attrs.as_ref().expect("signed attributes");
    let attr = |oid: &str| {
        attrs
            .iter()
            .find(|a| a.oid.to_string() == oid)
            .unwrap_or_else(|| panic!("no attribute {oid}"))
    };
    let content_type = attr("1.2.840.113549.1.9.3");
    assert_eq!(
        content_type
            .values
            .get(0)
            .expect("a value")
            .decode_as::<der::asn1::ObjectIdentifier>()
            .expect("an OID")
            .to_string(),
        "1.2.840.113549.1.7.1"
    );
    let md = attr("1.2.840.113549.1.9.4");
    let md = md
        .values
        .get(0)
        .expect("a value")
        .decode_as::<der::asn1::OctetString>()
        .expect("an OCTET STRING");
    assert_eq!(md.as_bytes(), digest.as_slice(), "{name}: message digest");
    // signing-certificate-v2 holds the SHA-256 of the signer certificate.
    let cert_der = read(&format!("fixtures/pki/ee/{id}/cert.der"));
    let ess = attr("1.2.840.113549.1.9.16.2.47")
        .values
        .get(0)
        .expect("a value")
        .to_der()
        .expect("DER");
    let cert_hash = Sha256::digest(&cert_der);
    assert!(
        ess.windows(cert_hash.len())
            .any(|w| w == cert_hash.as_slice()),
        "{name}: signing-certificate-v2 names the signer certificate"
    );
    assert!(
        attrs
            .iter()
            .all(|a| a.oid.to_string() != "1.2.840.113549.1.9.5"),
        "no signing-time attribute (PAdES uses /M)"
    );

    // The signature value verifies with the certificate's public key.
    let cert = x509_cert::Certificate::from_der(&cert_der).expect("certificate");
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .expect("SPKI");
    let public = rsa::PublicKey::from_public_key_der(&spki).expect("an RSA key");
    let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(public);
    let signature =
        rsa::pkcs1v15::Signature::try_from(si.signature.as_bytes()).expect("signature bytes");
    verifier
        .verify(&attrs.to_der().expect("DER"), &signature)
        .unwrap_or_else(|e| panic!("{name}: the signature does not verify: {e}"));
}

/// Signs GVCN → HT → DAU; returns the four documents.
fn sign_all() -> [Vec<u8>; 4] {
    let pdf = rendered(SealMode::Auto);
    let s1 = sign(&pdf, &request(Role::Gvcn), &key("example-gvcn")).expect("GVCN signs");
    let s2 = sign(&s1, &request(Role::Ht), &key("example-ht")).expect("HT signs");
    let s3 = sign(&s2, &request(Role::Dau), &key("example-dau")).expect("DAU signs");
    [pdf, s1, s2, s3]
}

#[test]
fn gvcn_ht_dau_each_an_incremental_update() {
    let docs = sign_all();
    let qpdf = have_qpdf();
    let steps = [
        ("GVCN", "example-gvcn"),
        ("HT", "example-ht"),
        ("DAU", "example-dau"),
    ];
    for (i, (name, id)) in steps.iter().enumerate() {
        let (before, after) = (&docs[i], &docs[i + 1]);
        assert!(
            after.starts_with(before),
            "{name}: the earlier bytes are unchanged"
        );
        assert!(after.ends_with(b"%%EOF\n"));
        check_signature(after, name, id);
        if qpdf {
            qpdf_check(&format!("example-{i}-{name}.pdf"), after);
        }
    }
    // Every earlier signature still covers exactly its own revision.
    let last = &docs[3];
    let doc = Document::load_mem(last).expect("loads");
    for (i, (name, _)) in steps.iter().enumerate() {
        let (_, sig) = sig_dict(&doc, name);
        let range: Vec<i64> = sig
            .get(b"ByteRange")
            .and_then(Object::as_array)
            .expect("ByteRange")
            .iter()
            .map(|o| o.as_i64().expect("integer"))
            .collect();
        assert_eq!(
            usize::try_from(range[2] + range[3]).expect("size"),
            docs[i + 1].len(),
            "{name} covers its revision"
        );
    }
}

#[test]
fn gvcn_is_a_certification_signature_with_docmdp_p2() {
    let pdf = rendered(SealMode::Auto);
    let s1 = sign(&pdf, &request(Role::Gvcn), &key("example-gvcn")).expect("GVCN signs");
    let doc = Document::load_mem(&s1).expect("loads");
    let (sig_id, sig) = sig_dict(&doc, "GVCN");
    let reference = sig
        .get(b"Reference")
        .and_then(Object::as_array)
        .expect("/Reference");
    let sigref = reference[0].as_dict().expect("SigRef");
    assert_eq!(
        sigref
            .get(b"TransformMethod")
            .and_then(Object::as_name)
            .ok(),
        Some(&b"DocMDP"[..])
    );
    let params = sigref
        .get(b"TransformParams")
        .and_then(Object::as_dict)
        .expect("TransformParams");
    assert_eq!(params.get(b"P").and_then(Object::as_i64).ok(), Some(2));
    let perms = doc
        .catalog()
        .expect("catalog")
        .get(b"Perms")
        .and_then(Object::as_dict)
        .expect("/Perms");
    assert_eq!(
        perms.get(b"DocMDP").and_then(Object::as_reference).ok(),
        Some(sig_id)
    );
    let form_id = doc
        .catalog()
        .expect("catalog")
        .get(b"AcroForm")
        .and_then(Object::as_reference)
        .expect("AcroForm");
    let form = doc.get_dictionary(form_id).expect("AcroForm");
    assert_eq!(form.get(b"SigFlags").and_then(Object::as_i64).ok(), Some(3));

    // HT is an approval signature.
    let s2 = sign(&s1, &request(Role::Ht), &key("example-ht")).expect("HT signs");
    let doc = Document::load_mem(&s2).expect("loads");
    let (_, sig) = sig_dict(&doc, "HT");
    assert!(!sig.has(b"Reference"));
    let reason = sig.get(b"Reason").and_then(Object::as_str).expect("Reason");
    let units: Vec<u16> = reason[2..]
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(
        String::from_utf16(&units).expect("UTF-16"),
        "Hiệu trưởng xác nhận học bạ năm học 2024-2025"
    );
}

#[test]
fn signing_is_deterministic() {
    let pdf = rendered(SealMode::Auto);
    let k = key("example-gvcn");
    let a = sign(&pdf, &request(Role::Gvcn), &k).expect("signs");
    let b = sign(&pdf, &request(Role::Gvcn), &k).expect("signs");
    assert_eq!(a, b);
    let later = SignRequest::new(Role::Gvcn, time("2025-05-27T08:00:00+07:00"));
    assert_ne!(a, sign(&pdf, &later, &k).expect("signs"));
}

#[test]
fn out_of_order_and_repeated_signing_are_refused() {
    let [pdf, s1, s2, s3] = sign_all();
    let ht = key("example-ht");
    let dau = key("example-dau");
    let gvcn = key("example-gvcn");
    let refused =
        |doc: &[u8], role: Role, k: &SigningKey| sign(doc, &request(role), k).expect_err("refused");
    let out_of_order = |field: &str, requires: &str| SignError::OutOfOrder {
        field: field.to_owned(),
        requires: requires.to_owned(),
    };
    assert_eq!(refused(&pdf, Role::Ht, &ht), out_of_order("HT", "GVCN"));
    assert_eq!(refused(&pdf, Role::Dau, &dau), out_of_order("DAU", "GVCN"));
    assert_eq!(refused(&s1, Role::Dau, &dau), out_of_order("DAU", "HT"));
    let already = |field: &str| SignError::AlreadySigned {
        field: field.to_owned(),
    };
    assert_eq!(refused(&s1, Role::Gvcn, &gvcn), already("GVCN"));
    assert_eq!(refused(&s2, Role::Ht, &ht), already("HT"));
    assert_eq!(refused(&s3, Role::Dau, &dau), already("DAU"));
    assert_eq!(refused(&s3, Role::Gvcn, &gvcn), already("GVCN"));
    for e in [out_of_order("HT", "GVCN"), already("DAU")] {
        assert!(!e.message().is_empty() && !e.message_vi().is_empty());
        assert_ne!(e.message(), e.message_vi());
    }
}

#[test]
fn missing_field_unknown_role_and_bad_inputs_are_refused() {
    let no_seal = rendered(SealMode::No);
    let s1 = sign(&no_seal, &request(Role::Gvcn), &key("example-gvcn")).expect("GVCN signs");
    let s2 = sign(&s1, &request(Role::Ht), &key("example-ht")).expect("HT signs");
    assert_eq!(
        sign(&s2, &request(Role::Dau), &key("example-dau")).expect_err("no DAU field"),
        SignError::FieldMissing {
            field: "DAU".to_owned()
        }
    );
    let e = Role::from_field_name("XYZ").expect_err("unknown role");
    assert!(matches!(e, SignError::UnknownRole { .. }));
    assert!(e.message_vi().contains("GVCN"));
    assert_eq!("ht".parse::<Role>().ok(), Some(Role::Ht));

    assert_eq!(
        sign(b"hello", &request(Role::Gvcn), &key("example-gvcn")).expect_err("not a PDF"),
        SignError::NotPdf
    );
    let mut small = request(Role::Gvcn);
    small.reserve = 256;
    assert!(matches!(
        sign(&no_seal, &small, &key("example-gvcn")).expect_err("too small"),
        SignError::ContentsTooSmall { reserved: 256, .. }
    ));
}

#[test]
fn keys_are_checked() {
    let pem =
        |id: &str| String::from_utf8(read(&format!("fixtures/pki/ee/{id}/key.pem"))).expect("PEM");
    let chain = |id: &str| read(&format!("fixtures/pki/ee/{id}/chain.pem"));
    assert_eq!(
        SigningKey::from_pkcs8_pem(&pem("example-gvcn"), &chain("example-ht"))
            .expect_err("mismatch"),
        SignError::KeyMismatch
    );
    assert!(matches!(
        SigningKey::from_pkcs8_pem(&pem("ecdsa-p256"), &chain("ecdsa-p256")).expect_err("ECDSA"),
        SignError::UnsupportedKey { .. }
    ));
    assert!(matches!(
        SigningKey::from_pkcs8_pem(&pem("example-gvcn"), b"").expect_err("no chain"),
        SignError::Certificate { .. }
    ));
    let k = key("example-gvcn");
    assert_eq!(k.common_name().as_deref(), Some("Đặng Thị Thu Hà"));
    assert_eq!(
        k.certificate_der(),
        read("fixtures/pki/ee/example-gvcn/cert.der")
    );
}

#[test]
fn a_record_with_errors_is_refused_unless_allowed() {
    let xml = read("fixtures/records/invalid/assessment_item_duplicate.xml");
    let record = hocba_core::read_record(&xml).expect("the fixture parses");
    let pdf = render(&record, &RenderSettings::default()).expect("any parseable record renders");
    let k = key("example-gvcn");
    let e = sign(&pdf, &request(Role::Gvcn), &k).expect_err("refused");
    let SignError::InvalidRecord { errors, first } = &e else {
        panic!("expected InvalidRecord, got {e:?}");
    };
    assert!(*errors >= 1);
    assert!(first[0].starts_with("assessment_item_duplicate at "));
    assert!(e.message().contains("--allow-invalid") && e.message_vi().contains("--allow-invalid"));
    let mut insist = request(Role::Gvcn);
    insist.allow_invalid = true;
    let signed = sign(&pdf, &insist, &k).expect("signs when the caller insists");
    assert!(signed.starts_with(&pdf));
}

/// A "token": the signer's key used only to sign a SHA-256 hash (as a USB token, an HSM or a
/// remote signing service does).
fn token(id: &str) -> impl Fn(&[u8; 32]) -> Vec<u8> {
    let pem = String::from_utf8(read(&format!("fixtures/pki/ee/{id}/key.pem"))).expect("PEM");
    let k = rsa::pkcs1v15::SigningKey::<Sha256>::from_pkcs8_pem(&pem).expect("the key loads");
    move |hash| k.sign_prehash(hash).expect("the token signs").to_vec()
}

fn chain_pem(id: &str) -> Vec<u8> {
    read(&format!("fixtures/pki/ee/{id}/chain.pem"))
}

/// The whole `/Contents` of the signature in field `name` (the CMS and the zero padding).
fn contents_of(bytes: &[u8], name: &str) -> Vec<u8> {
    let doc = Document::load_mem(bytes).expect("loads");
    let (_, sig) = sig_dict(&doc, name);
    sig.get(b"Contents")
        .and_then(Object::as_str)
        .expect("Contents")
        .to_vec()
}

#[test]
fn external_two_step_signing_is_identical_to_one_step() {
    let pdf = rendered(SealMode::Auto);
    let steps = [
        (Role::Gvcn, "example-gvcn"),
        (Role::Ht, "example-ht"),
        (Role::Dau, "example-dau"),
    ];
    let (mut one, mut two) = (pdf.clone(), pdf);
    for (role, id) in steps {
        one = sign(&one, &request(role), &key(id)).expect("one step signs");
        let prepared = prepare(&two, &request(role), &chain_pem(id)).expect("prepares");
        assert!(prepared.document.starts_with(&two));
        assert_eq!(
            prepared.digest.as_slice(),
            Sha256::digest(&prepared.signed_attributes_der).as_slice()
        );
        assert_eq!(prepared.digest_info().len(), 51);
        assert!(prepared.digest_info().ends_with(&prepared.digest));
        // Stored between the two steps (e.g. while a remote service asks the signer).
        let stored = serde_json::to_vec(&prepared).expect("serialises");
        let restored: PreparedSignature = serde_json::from_slice(&stored).expect("deserialises");
        assert_eq!(restored, prepared);
        let raw = token(id)(&restored.digest);
        two = complete(restored, SignatureValue::Raw(raw)).expect("completes");
        assert_eq!(one, two, "{id}: the two paths give the same bytes");
        check_signature(&two, role.field_name(), id);
    }
}

#[test]
fn a_complete_cms_is_accepted_when_it_signs_the_prepared_document() {
    let pdf = rendered(SealMode::Auto);
    let k = key("example-gvcn");
    let one_step = sign(&pdf, &request(Role::Gvcn), &k).expect("signs");
    // The CMS a remote service would return for this document: the one-step path's.
    let cms = contents_of(&one_step, "GVCN");
    let prepared = prepare(&pdf, &request(Role::Gvcn), &chain_pem("example-gvcn")).expect("ok");
    let done = complete(prepared, SignatureValue::Cms(cms)).expect("completes with the CMS");
    assert_eq!(done, one_step);
}

#[test]
fn a_cms_for_another_document_is_refused() {
    let pdf = rendered(SealMode::Auto);
    let k = key("example-gvcn");
    let later = SignRequest::new(Role::Gvcn, time("2025-05-27T08:00:00+07:00"));
    let other = sign(&pdf, &later, &k).expect("signs");
    let cms = contents_of(&other, "GVCN");
    let prepared = prepare(&pdf, &request(Role::Gvcn), &chain_pem("example-gvcn")).expect("ok");
    assert_eq!(
        complete(prepared.clone(), SignatureValue::Cms(cms)).expect_err("another document"),
        SignError::CmsMismatch
    );
    assert!(matches!(
        complete(prepared.clone(), SignatureValue::Cms(b"not a CMS".to_vec()))
            .expect_err("garbage"),
        SignError::BadCms { .. }
    ));
    // A raw value given as a CMS is not a CMS.
    let raw = token("example-gvcn")(&prepared.digest);
    assert!(matches!(
        complete(prepared, SignatureValue::Cms(raw)).expect_err("raw as CMS"),
        SignError::BadCms { .. }
    ));
}

#[test]
fn a_wrong_raw_signature_is_refused() {
    let pdf = rendered(SealMode::Auto);
    let prepared = prepare(&pdf, &request(Role::Gvcn), &chain_pem("example-gvcn")).expect("ok");
    let wrong_key = token("example-ht")(&prepared.digest);
    let refused = |value: Vec<u8>| {
        complete(prepared.clone(), SignatureValue::Raw(value)).expect_err("refused")
    };
    assert_eq!(refused(wrong_key), SignError::SignatureMismatch);
    let mut damaged = token("example-gvcn")(&prepared.digest);
    damaged[10] ^= 1;
    assert_eq!(refused(damaged), SignError::SignatureMismatch);
    assert_eq!(refused(Vec::new()), SignError::SignatureMismatch);
    // The hash of something else, with the right key.
    let other = token("example-gvcn")(&[7; 32]);
    assert_eq!(refused(other), SignError::SignatureMismatch);
    let e = SignError::SignatureMismatch;
    assert!(!e.message().is_empty() && e.message() != e.message_vi());

    // An altered prepared document is refused, not signed.
    let good = token("example-gvcn")(&prepared.digest);
    let mut altered = prepared.clone();
    let at = altered.contents_start - 40;
    altered.document[at] ^= 0x20;
    assert!(matches!(
        complete(altered, SignatureValue::Raw(good.clone())).expect_err("altered"),
        SignError::BadPrepared { .. }
    ));
    let mut moved = prepared.clone();
    moved.contents_start += 2;
    assert!(matches!(
        complete(moved, SignatureValue::Raw(good)).expect_err("moved"),
        SignError::BadPrepared { .. }
    ));
}

#[test]
fn prepare_refuses_what_sign_refuses_and_non_rsa_signers() {
    let pdf = rendered(SealMode::Auto);
    assert!(matches!(
        prepare(&pdf, &request(Role::Ht), &chain_pem("example-ht")).expect_err("order"),
        SignError::OutOfOrder { .. }
    ));
    assert!(matches!(
        prepare(&pdf, &request(Role::Gvcn), &chain_pem("ecdsa-p256")).expect_err("ECDSA"),
        SignError::UnsupportedKey { .. }
    ));
    assert!(matches!(
        prepare(&pdf, &request(Role::Gvcn), b"").expect_err("no chain"),
        SignError::Certificate { .. }
    ));
}

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("-v").output().is_ok();
    if !ok && std::env::var_os("CI").is_some() {
        panic!("{name} is required when CI is set (apt-get install poppler-utils)");
    }
    ok
}

fn run_tool(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} failed");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// `signing.md`: "A visible appearance in the widget shows the signer's name, role and signing
/// time." Each signed field's `/AP /N` is a new form XObject the size of the widget, whose font
/// is an embedded subset with a ToUnicode map: poppler draws and extracts the text, pdffonts
/// lists the fonts as embedded subsets with ToUnicode.
#[test]
fn each_signature_has_a_visible_appearance_with_name_role_and_time() {
    let docs = sign_all();
    let last = &docs[3];
    let doc = Document::load_mem(last).expect("loads");
    let before = Document::load_mem(&docs[0]).expect("loads");
    for name in ["GVCN", "HT", "DAU"] {
        let f = field(&doc, name);
        let n = f
            .get(b"AP")
            .and_then(Object::as_dict)
            .and_then(|ap| ap.get(b"N"))
            .and_then(Object::as_reference)
            .expect("/AP /N");
        let old = field(&before, name)
            .get(b"AP")
            .and_then(Object::as_dict)
            .and_then(|ap| ap.get(b"N"))
            .and_then(Object::as_reference)
            .expect("rendered /AP /N");
        assert_ne!(
            n, old,
            "{name}: a new appearance, not the rendered empty one"
        );
        let stream = doc
            .get_object(n)
            .and_then(Object::as_stream)
            .expect("stream");
        assert!(!stream.content.is_empty(), "{name}: the appearance draws");
        let rect: Vec<f32> = f
            .get(b"Rect")
            .and_then(Object::as_array)
            .expect("Rect")
            .iter()
            .map(|v| v.as_float().expect("number"))
            .collect();
        let bbox: Vec<f32> = stream
            .dict
            .get(b"BBox")
            .and_then(Object::as_array)
            .expect("BBox")
            .iter()
            .map(|v| v.as_float().expect("number"))
            .collect();
        assert!(
            (bbox[2] - (rect[2] - rect[0])).abs() < 0.01,
            "{name}: width"
        );
        assert!(
            (bbox[3] - (rect[3] - rect[1])).abs() < 0.01,
            "{name}: height"
        );
    }
    if !(tool("pdftotext") && tool("pdffonts")) {
        eprintln!("skipping the poppler checks: poppler-utils is not installed");
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sign");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join("appearance.pdf");
    std::fs::write(&path, last).expect("write");
    // The signers of the example (fixtures/pki/manifest.json) and the request's time.
    let text = run_tool("pdftotext", &["-enc", "UTF-8"], &path);
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    for want in [
        "Đã ký số:",
        "Giáo viên chủ nhiệm",
        "Hiệu trưởng",
        "Đã đóng dấu số",
        "Thời gian: 16:30:00 26/05/2025 (UTC+07:00)",
    ] {
        assert!(joined.contains(want), "the appearances show {want:?}");
    }
    for id in ["example-gvcn", "example-ht", "example-dau"] {
        let cn = common_name(id);
        let cn_words: Vec<&str> = cn.split_whitespace().collect();
        assert!(
            joined.contains(&cn_words.join(" ")),
            "{id}: the appearance shows the signer {cn:?}"
        );
    }
    let fonts = run_tool("pdffonts", &[], &path);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 7, "pdffonts line {line:?}");
        // name type encoding emb sub uni object generation
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{line}");
    }
    let unsigned = dir.join("appearance-unsigned.pdf");
    std::fs::write(&unsigned, &docs[0]).expect("write");
    let page_fonts = run_tool("pdffonts", &[], &unsigned);
    assert_eq!(
        fonts.lines().count(),
        page_fonts.lines().count() + 3,
        "one font per appearance, besides the page's"
    );
}

/// The subject common name of a test PKI entity, from `fixtures/pki/manifest.json`.
fn common_name(id: &str) -> String {
    let manifest: serde_json::Value =
        serde_json::from_slice(&read("fixtures/pki/manifest.json")).expect("manifest JSON");
    manifest["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .find(|e| e["id"] == id)
        .and_then(|e| e["subjectCN"].as_str())
        .unwrap_or_else(|| panic!("{id}: no subjectCN in the manifest"))
        .to_owned()
}

/// The test PKI's TSA (`fixtures/pki/ee/tsa`, under the NEAC-like root) as a client: it stamps
/// the imprint it is given at 2025-05-26T09:30:05Z.
fn test_tsa(imprint: &[u8; 32]) -> Result<Vec<u8>, String> {
    Ok(common::tsa::timestamp_token(
        "tsa",
        imprint,
        "20250526093005Z",
    ))
}

fn verify_options() -> hocba_core::pdf::verify::VerifyOptions {
    use hocba_core::pdf::verify::{parse_rfc3339, VerifyOptions};
    use hocba_core::pki::{load_certificates, load_crls};
    let mut o = VerifyOptions::new(parse_rfc3339("2026-11-28T00:00:00Z").expect("time"));
    o.trust = load_certificates(&read("fixtures/pki/trust/bundle.pem")).expect("anchors");
    o.crls = load_crls(&read("fixtures/pki/ca/all-crls.pem")).expect("CRLs");
    o
}

/// PAdES B-T (`signing.md`: "an optional RFC 3161 timestamp token from a caller-supplied TSA
/// client"): the token over the signature value is added as an unsigned attribute, and the
/// verifier takes its time as the proof of existence.
#[test]
fn a_timestamp_from_the_callers_tsa_is_the_proof_of_existence() {
    use hocba_core::pdf::verify::{verify, Indication};
    let pdf = rendered(SealMode::Auto);
    let s1 = sign_timestamped(&pdf, &request(Role::Gvcn), &key("example-gvcn"), &test_tsa)
        .expect("GVCN signs with a timestamp");
    assert!(s1.starts_with(&pdf));
    let plain = sign(&pdf, &request(Role::Gvcn), &key("example-gvcn")).expect("signs");
    assert_eq!(s1.len(), plain.len(), "the token fits in the same reserve");
    assert_ne!(s1, plain);
    let s2 = sign_timestamped(&s1, &request(Role::Ht), &key("example-ht"), &test_tsa).expect("HT");
    let s3 =
        sign_timestamped(&s2, &request(Role::Dau), &key("example-dau"), &test_tsa).expect("DAU");
    let report = verify(&s3, &verify_options()).expect("a PDF");
    assert_eq!(
        report.indication,
        Indication::TotalPassed,
        "{}",
        report.to_json()
    );
    for sig in &report.signatures {
        assert_eq!(
            sig.time_source.as_deref(),
            Some("timestamp"),
            "{}",
            report.to_json()
        );
        assert_eq!(sig.time_used.as_deref(), Some("2025-05-26T09:30:05Z"));
    }
    // The CMS holds the token in id-aa-signatureTimeStampToken, after the signature value.
    let cms = contents_of(&s1, "GVCN");
    let mut reader = SliceReader::new(&cms).expect("reader");
    let ci = ContentInfo::decode(&mut reader).expect("ContentInfo");
    let sd: SignedData = ci.content.decode_as().expect("SignedData");
    let si = sd.signer_infos.0.get(0).expect("a SignerInfo");
    let unsigned = si.unsigned_attrs.as_ref().expect("unsigned attributes");
    assert_eq!(unsigned.len(), 1);
    let attr = unsigned.get(0).expect("attribute");
    assert_eq!(attr.oid.to_string(), "1.2.840.113549.1.9.16.2.14");
    // Deterministic, like signing without one.
    let again = sign_timestamped(&pdf, &request(Role::Gvcn), &key("example-gvcn"), &test_tsa)
        .expect("signs");
    assert_eq!(again, s1);
}

/// A whole `TimeStampResp` is accepted as well as a bare token; a refusal, a token for another
/// imprint or with another hash, garbage and the client's own failure are refused with
/// [`SignError::Timestamp`], nothing written.
#[test]
fn what_the_tsa_returns_is_checked() {
    use common::tsa::{integer, tlv};
    let pdf = rendered(SealMode::Auto);
    let k = key("example-gvcn");
    let r = request(Role::Gvcn);
    let response = |status: u8, token: Option<Vec<u8>>| {
        let status_info = tlv(0x30, &integer(&[status]));
        tlv(0x30, &[status_info, token.unwrap_or_default()].concat())
    };
    let granted =
        |imprint: &[u8; 32]| -> Result<Vec<u8>, String> { Ok(response(0, test_tsa(imprint).ok())) };
    let with_response = sign_timestamped(&pdf, &r, &k, &granted).expect("a TimeStampResp");
    let with_token = sign_timestamped(&pdf, &r, &k, &test_tsa).expect("a token");
    assert_eq!(
        with_response, with_token,
        "the response's token is what is embedded"
    );

    let refused = |_: &[u8; 32]| -> Result<Vec<u8>, String> { Ok(response(2, None)) };
    let other_imprint = |_: &[u8; 32]| -> Result<Vec<u8>, String> { test_tsa(&[7u8; 32]) };
    let sha1 = |imprint: &[u8; 32]| -> Result<Vec<u8>, String> {
        Ok(common::tsa::timestamp_token(
            "tsa",
            &imprint[..20],
            "20250526093005Z",
        ))
    };
    let garbage = |_: &[u8; 32]| -> Result<Vec<u8>, String> { Ok(b"<html>502</html>".to_vec()) };
    let empty = |_: &[u8; 32]| -> Result<Vec<u8>, String> { Ok(Vec::new()) };
    let down = |_: &[u8; 32]| -> Result<Vec<u8>, String> { Err("connection refused".into()) };
    let cases: [(&str, &dyn hocba_core::pdf::sign::TimestampClient, &str); 6] = [
        ("refused", &refused, "PKIStatus 2"),
        (
            "other imprint",
            &other_imprint,
            "not the hash of this signature value",
        ),
        ("SHA-1", &sha1, "not the SHA-256"),
        ("garbage", &garbage, "not DER"),
        ("empty", &empty, "not DER"),
        ("down", &down, "connection refused"),
    ];
    for (what, tsa, says) in cases {
        match sign_timestamped(&pdf, &r, &k, tsa) {
            Err(e @ SignError::Timestamp { .. }) => {
                assert!(e.message().contains(says), "{what}: {}", e.message());
                assert!(e.message_vi().contains("dấu thời gian"), "{what}");
            }
            other => panic!("{what}: expected a timestamp error, got {other:?}"),
        }
    }
}

/// The two-step path with a timestamp gives the same bytes as the one-step path, from a raw
/// value; a complete CMS from the device gets the token added to its SignerInfo.
#[test]
fn two_step_signing_with_a_timestamp() {
    let pdf = rendered(SealMode::Auto);
    let r = request(Role::Gvcn);
    let one_step = sign_timestamped(&pdf, &r, &key("example-gvcn"), &test_tsa).expect("signs");
    let prepared = prepare(&pdf, &r, &chain_pem("example-gvcn")).expect("prepares");
    let raw = token("example-gvcn")(&prepared.digest);
    let two_step = complete_timestamped(prepared.clone(), SignatureValue::Raw(raw), &test_tsa)
        .expect("completes");
    assert_eq!(two_step, one_step);

    // A whole CMS (here: the one of a plain signature of the same prepared document).
    let plain = complete(
        prepared.clone(),
        SignatureValue::Raw(token("example-gvcn")(&prepared.digest)),
    )
    .expect("completes");
    let cms = contents_of(&plain, "GVCN");
    let stamped = complete_timestamped(prepared.clone(), SignatureValue::Cms(cms), &test_tsa)
        .expect("a CMS gets its token");
    assert_eq!(stamped, one_step, "the same CMS, re-encoded with the token");
    // A CMS that already carries a timestamp is not stamped twice.
    let twice = complete_timestamped(
        prepared,
        SignatureValue::Cms(contents_of(&one_step, "GVCN")),
        &test_tsa,
    );
    assert!(
        matches!(twice, Err(SignError::Timestamp { .. })),
        "{twice:?}"
    );
}
