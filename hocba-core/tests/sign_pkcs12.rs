//! PKCS#12 software keys (`signing.md`, "Keys"): the test PKI's `identity.p12` (OpenSSL 3
//! default: PBES2, AES-256-CBC, HMAC-SHA256), `identity-legacy-3des.p12` (3DES, HMAC-SHA1) and
//! `identity-legacy-rc2.p12` (RC2-40 certificates, 3DES key, HMAC-SHA1) give the same key and
//! chain as `key.pem` with the chain and root, hence the same signed bytes. A wrong password, an
//! altered MAC, missing parts and damaged files are refused with typed errors, never a panic.

use std::path::{Path, PathBuf};

use hocba_core::model::Timestamp;
use hocba_core::pdf::sign::{sign, Role, SignError, SignRequest, SigningKey};
use hocba_core::pdf::{render, RenderSettings};

const PASSWORD: &str = "hocba-test";
const FILES: [&str; 3] = [
    "identity.p12",
    "identity-legacy-3des.p12",
    "identity-legacy-rc2.p12",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn p12(name: &str) -> Vec<u8> {
    read(&format!("fixtures/pki/ee/example-gvcn/{name}"))
}

/// key.pem with chain.pem and the root: what the .p12 files hold.
fn pem_key() -> SigningKey {
    let pem = String::from_utf8(read("fixtures/pki/ee/example-gvcn/key.pem")).expect("PEM text");
    let mut chain = read("fixtures/pki/ee/example-gvcn/chain.pem");
    chain.extend(read("fixtures/pki/ca/neac-root/cert.pem"));
    SigningKey::from_pkcs8_pem(&pem, &chain).expect("the PEM key loads")
}

fn rendered() -> Vec<u8> {
    let xml = read("fixtures/records/valid/example.xml");
    let record = hocba_core::read_record(&xml).expect("the example parses");
    render(&record, &RenderSettings::default()).expect("the example renders")
}

fn request() -> SignRequest {
    let time = Timestamp::from("2025-05-26T16:30:00+07:00")
        .to_instant()
        .expect("a valid instant");
    SignRequest::new(Role::Gvcn, time)
}

#[test]
fn every_profile_signs_like_the_pem_key() {
    let pdf = rendered();
    let expected = sign(&pdf, &request(), &pem_key()).expect("signs with key.pem");
    for name in FILES {
        let key =
            SigningKey::from_pkcs12(&p12(name), PASSWORD).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.common_name().as_deref(), Some("Đặng Thị Thu Hà"));
        assert_eq!(
            key.certificate_der(),
            read("fixtures/pki/ee/example-gvcn/cert.der").as_slice()
        );
        let signed = sign(&pdf, &request(), &key).expect("signs with the .p12");
        assert!(signed == expected, "{name}: other bytes than with key.pem");
    }
}

#[test]
fn extra_certificates_are_added_once() {
    // The chain file repeats the leaf and the intermediate: nothing changes.
    let chain = read("fixtures/pki/ee/example-gvcn/chain.pem");
    let key = SigningKey::from_pkcs12_with_certificates(&p12("identity.p12"), PASSWORD, &chain)
        .expect("loads");
    let pdf = rendered();
    assert_eq!(
        sign(&pdf, &request(), &key).expect("signs"),
        sign(&pdf, &request(), &pem_key()).expect("signs")
    );
}

#[test]
fn wrong_password() {
    for name in FILES {
        for password in ["", "hocba-Test", "hocba-test "] {
            let err = SigningKey::from_pkcs12(&p12(name), password).expect_err("refused");
            assert_eq!(err, SignError::Pkcs12Password, "{name} {password:?}");
            assert!(!err.message_vi().is_empty());
        }
    }
}

/// Offsets of the MAC digest: the last OCTET STRING of the MacData, near the end of the file.
fn mac_digest_range(der: &[u8], len: usize) -> std::ops::Range<usize> {
    // MacData ends with salt (8 bytes, 04 08 …) and iterations (02 02 08 00 for 2048).
    let tail = der.len() - (2 + 8) - 4;
    tail - len..tail
}

#[test]
fn altered_mac_with_right_password() {
    for (name, len) in [
        ("identity.p12", 32),
        ("identity-legacy-3des.p12", 20),
        ("identity-legacy-rc2.p12", 20),
    ] {
        let mut der = p12(name);
        let range = mac_digest_range(&der, len);
        assert_eq!(der[range.start - 2], 0x04, "{name}: the MAC digest's tag");
        der[range.start] ^= 1;
        assert_eq!(
            SigningKey::from_pkcs12(&der, PASSWORD).expect_err("refused"),
            SignError::Pkcs12Mac,
            "{name}"
        );
    }
}

#[test]
fn not_pkcs12() {
    for bytes in [
        &b""[..],
        b"-----BEGIN PRIVATE KEY-----",
        &read("fixtures/pki/ee/example-gvcn/cert.der"),
    ] {
        assert!(matches!(
            SigningKey::from_pkcs12(bytes, PASSWORD),
            Err(SignError::Pkcs12 { .. })
        ));
    }
}

#[test]
fn truncated_and_flipped_never_panic() {
    for name in FILES {
        let der = p12(name);
        // Truncations and bit flips spread over the file (a few dozen, to keep the test short
        // in debug builds): an error or, for flips in unused bytes, a key — never a panic.
        for len in (0..der.len()).step_by(29) {
            assert!(SigningKey::from_pkcs12(&der[..len], PASSWORD).is_err());
        }
        for i in (0..der.len()).step_by(der.len() / 40) {
            let mut bad = der.clone();
            bad[i] ^= 0x10;
            if let Ok(key) = SigningKey::from_pkcs12(&bad, PASSWORD) {
                assert_eq!(key.common_name().as_deref(), Some("Đặng Thị Thu Hà"));
            }
        }
    }
}

#[test]
fn huge_iteration_counts_are_refused_quickly() {
    // The MAC's iteration count (02 02 08 00 at the end) raised to 0x7fffffff: refused before
    // any work.
    let mut der = p12("identity.p12");
    let n = der.len();
    assert_eq!(&der[n - 4..], &[0x02, 0x02, 0x08, 0x00]);
    // MacData: 30 41 (DigestInfo, 51 bytes) (04 08 salt) (02 02 08 00), the PFX's last part.
    assert_eq!(&der[n - 67..n - 65], &[0x30, 0x41]);
    assert_eq!(&der[..2], &[0x30, 0x82]);
    der.truncate(n - 4);
    der.extend_from_slice(&[0x02, 0x04, 0x7f, 0xff, 0xff, 0xff]);
    der[n - 66] += 2;
    let outer = u16::from_be_bytes([der[2], der[3]]) + 2;
    der[2..4].copy_from_slice(&outer.to_be_bytes());
    let start = std::time::Instant::now();
    let err = SigningKey::from_pkcs12(&der, PASSWORD).expect_err("refused");
    assert!(
        matches!(&err, SignError::Pkcs12 { reason } if reason.contains("iterations")),
        "{err:?}"
    );
    assert!(start.elapsed().as_secs() < 5);
}
