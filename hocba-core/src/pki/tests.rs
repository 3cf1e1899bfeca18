//! Tests of the certificate layer against the test PKI of `fixtures/pki/` (driven by its
//! `manifest.json`, so regenerating the PKI does not break them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use der::{Decode, Encode};
use serde_json::Value;

use super::*;

const NOW: i64 = 1_795_824_000; // 2026-11-28T00:00:00Z
const Y2022: i64 = 1_654_041_600; // 2022-06-01T00:00:00Z
const Y2024: i64 = 1_717_200_000; // 2024-06-01T00:00:00Z
const Y2020: i64 = 1_590_969_600; // 2020-06-01T00:00:00Z

fn read(rel: &str) -> Vec<u8> {
    let path = format!("{}/../fixtures/pki/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn manifest() -> Value {
    serde_json::from_slice(&read("manifest.json")).unwrap()
}

fn entity<'a>(m: &'a Value, id: &str) -> &'a Value {
    m["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn cert(id_dir: &str) -> Certificate {
    Certificate::from_der(&read(&format!("{id_dir}/cert.der"))).unwrap()
}

fn ee(id: &str) -> Certificate {
    cert(&format!("ee/{id}"))
}

fn ca(id: &str) -> Certificate {
    cert(&format!("ca/{id}"))
}

fn chain(id: &str) -> Vec<Certificate> {
    load_certificates(&read(&format!("ee/{id}/chain.pem"))).unwrap()
}

fn bundle_store(extra_anchors: &[Certificate], intermediates: Vec<Certificate>) -> TrustStore {
    let mut anchors = load_certificates(&read("trust/bundle.pem")).unwrap();
    anchors.extend(extra_anchors.iter().cloned());
    TrustStore::new(anchors, intermediates)
}

fn build(id: &str, store: &TrustStore, time: i64, purpose: Purpose) -> Result<CertPath, PathError> {
    let certs = chain(id);
    build_path(
        &certs[0],
        &certs[1..],
        store,
        &PathOptions::new(time, purpose),
        &SignatureCache::new(),
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ` to Unix seconds (proleptic Gregorian, H. Hinnant's algorithm).
fn unix(iso: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| iso[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)
}

#[test]
fn unix_helper() {
    assert_eq!(unix("2026-11-28T00:00:00Z"), NOW);
    assert_eq!(unix("1970-01-01T00:00:00Z"), 0);
}

/// Every certificate's parsed fields agree with the manifest.
#[test]
fn certificates_match_the_manifest() {
    let m = manifest();
    for e in m["entities"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let c = cert(e["dir"].as_str().unwrap());
        let pem =
            load_certificates(&read(&format!("{}/cert.pem", e["dir"].as_str().unwrap()))).unwrap();
        assert_eq!(pem.len(), 1);
        assert_eq!(pem[0], c, "{id}: PEM and DER differ");
        assert_eq!(c.subject(), e["subject"].as_str().unwrap(), "{id}");
        assert_eq!(c.issuer(), e["issuer"].as_str().unwrap(), "{id}");
        assert_eq!(c.common_name().as_deref(), e["subjectCN"].as_str(), "{id}");
        // The manifest writes the serial as an integer (no leading zero nibble).
        assert_eq!(
            c.serial_hex().trim_start_matches('0'),
            e["serial"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(c.serial_hex().len() % 2, 0);
        assert_eq!(c.sha256_hex(), e["sha256"].as_str().unwrap(), "{id}");
        assert_eq!(
            c.not_before(),
            unix(e["notBefore"].as_str().unwrap()),
            "{id}"
        );
        assert_eq!(c.not_after(), unix(e["notAfter"].as_str().unwrap()), "{id}");
        assert_eq!(
            c.public_key().kind_name(),
            e["key"].as_str().unwrap(),
            "{id}"
        );
        let alg = c.signature_algorithm().unwrap();
        let expected = match e["signature"].as_str().unwrap() {
            "RSA/SHA-256" => SignatureAlgorithm::RsaPkcs1v15(Hash::Sha256),
            "RSA/SHA-1" => SignatureAlgorithm::RsaPkcs1v15(Hash::Sha1),
            other => panic!("{id}: signature {other}"),
        };
        assert_eq!(alg, expected, "{id}");
        assert_eq!(c.is_self_issued(), e["kind"] == "root", "{id}");
        assert_eq!(
            &c.der()[c.der().len() - c.signature_value().len()..],
            c.signature_value()
        );
        assert!(c.tbs_der().len() < c.der().len());
        assert_eq!(
            c.unknown_critical_extensions().is_empty(),
            id != "bad-unknown-critical-ext"
        );
        if e["kind"] != "ee" {
            assert!(c.is_ca(), "{id}");
            let ku = c.key_usage().unwrap();
            assert!(ku.key_cert_sign && ku.crl_sign, "{id}");
            assert!(c.subject_key_id().is_some(), "{id}");
        }
        if e["kind"] != "root" {
            assert!(c.authority_key_id().is_some(), "{id}");
        }
    }
}

#[test]
fn names_identities_and_extensions() {
    let gvcn = ee("example-gvcn");
    assert_eq!(gvcn.common_name().as_deref(), Some("Đặng Thị Thu Hà"));
    assert_eq!(gvcn.uid().as_deref(), Some("CCCD:079185001234"));
    assert_eq!(gvcn.organization(), None);
    assert!(!gvcn.is_organization());
    let ku = gvcn.key_usage().unwrap();
    assert!(ku.digital_signature && ku.non_repudiation && !ku.key_cert_sign);
    assert_eq!(
        gvcn.basic_constraints(),
        Some(BasicConstraints {
            ca: false,
            path_len: None
        })
    );
    assert_eq!(gvcn.extended_key_usage(), None);
    assert!(!gvcn.has_eku_time_stamping());
    assert_eq!(gvcn.authority_key_id(), ca("vnpt-ca").subject_key_id());
    assert_eq!(gvcn.issuer_raw(), ca("vnpt-ca").subject_raw());

    let dau = ee("example-dau");
    assert_eq!(dau.uid().as_deref(), Some("MST:4500123456"));
    assert_eq!(
        dau.organization().as_deref(),
        Some("Trường Tiểu học Tri Hải")
    );
    assert!(dau.is_organization());
    assert!(ee("grade-1-dau").is_organization());

    let tsa = ee("tsa");
    assert!(tsa.has_eku_time_stamping());
    assert_eq!(tsa.extended_key_usage(), Some(vec![EKU_TIME_STAMPING]));
    assert!(
        tsa.is_organization(),
        "an O without a personal id is an organisation"
    );

    assert_eq!(
        ca("vnpt-ca").basic_constraints(),
        Some(BasicConstraints {
            ca: true,
            path_len: Some(0)
        })
    );
    assert_eq!(ee("bad-no-key-usage").key_usage(), None);
    assert_eq!(
        ee("bad-unknown-critical-ext").unknown_critical_extensions(),
        vec!["2.25.190349318620418045296516512744346925057".to_owned()]
    );
    assert_eq!(
        anchor_display_name(&ca("neac-root")),
        "Vietnam National Root CA (TEST)"
    );
    assert_eq!(official_root_name(&ca("neac-root").sha256()), None);
}

#[test]
fn tsa_is_organization_by_o() {
    // The TSA has O and no personal identifier: it counts as an organisation certificate.
    assert!(ee("tsa").organization().is_some());
}

/// The outcome classes of the manifest's `expect` texts.
#[derive(Debug, PartialEq)]
enum Class {
    Passed,
    Expired,
    NotYetValid,
    Chain,
    Crypto,
    NoChain,
}

fn class_of(expect: &str) -> Class {
    if expect.contains("NO_CERTIFICATE_CHAIN_FOUND") {
        Class::NoChain
    } else if expect.contains("OUT_OF_BOUNDS_NO_POE") {
        Class::Expired
    } else if expect.contains("NOT_YET_VALID") {
        Class::NotYetValid
    } else if expect.contains("CHAIN_CONSTRAINTS_FAILURE") {
        Class::Chain
    } else if expect.contains("CRYPTO_CONSTRAINTS_FAILURE") {
        Class::Crypto
    } else {
        // TOTAL_PASSED, REVOKED (a revocation matter, the path is fine), valid TSA
        Class::Passed
    }
}

fn classify(result: &Result<CertPath, PathError>) -> Class {
    match result {
        Err(PathError::NoChain { .. }) => Class::NoChain,
        Err(e) => panic!("unexpected {e}"),
        Ok(p) if p.problems.is_empty() => Class::Passed,
        Ok(p) => {
            let subs: Vec<&str> = p.problems.iter().map(PathProblem::sub_indication).collect();
            if subs.contains(&"NOT_YET_VALID") {
                Class::NotYetValid
            } else if subs.contains(&"OUT_OF_BOUNDS_NO_POE") {
                Class::Expired
            } else if subs.contains(&"CHAIN_CONSTRAINTS_FAILURE") {
                Class::Chain
            } else {
                Class::Crypto
            }
        }
    }
}

/// Every end entity of the manifest gives its expected outcome class.
#[test]
fn every_end_entity_gives_its_expected_class() {
    let m = manifest();
    let store = bundle_store(&[], Vec::new());
    let mut checked = 0;
    for e in m["entities"].as_array().unwrap() {
        if e["kind"] != "ee" {
            continue;
        }
        let id = e["id"].as_str().unwrap();
        let expect = e["expect"].as_str().unwrap();
        let purpose = if id.starts_with("tsa") {
            Purpose::TimeStamping
        } else {
            Purpose::DocumentSigning
        };
        let (store, time) = match id {
            // Legacy TSA: its SHA-1 root must be supplied as an anchor; judged at a token time.
            "tsa-legacy" => (bundle_store(&[ca("mic-sha1-root")], Vec::new()), Y2020),
            _ => (store.clone(), NOW),
        };
        let result = build(id, &store, time, purpose);
        assert_eq!(
            classify(&result),
            class_of(expect),
            "{id}: {expect}: {result:?}"
        );
        if let Ok(path) = &result {
            let ids: Vec<&str> = e["chain"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(path.certs.len(), ids.len() + 1, "{id}");
            for (c, want) in path.certs[1..].iter().zip(&ids) {
                assert_eq!(
                    c.sha256_hex(),
                    entity(&m, want)["sha256"].as_str().unwrap(),
                    "{id}"
                );
            }
        }
        if class_of(expect) == Class::Expired {
            // Good at a time inside its validity.
            let at = build(id, &store, Y2022, purpose);
            assert_eq!(classify(&at), Class::Passed, "{id} in 2022: {at:?}");
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} end entities");
}

fn problems(id: &str) -> Vec<PathProblem> {
    build(
        id,
        &bundle_store(&[], Vec::new()),
        NOW,
        Purpose::DocumentSigning,
    )
    .unwrap()
    .problems
}

#[test]
fn each_bad_certificate_gives_its_own_problem() {
    assert_eq!(
        problems("bad-no-key-usage"),
        vec![PathProblem::SignerKeyUsage {
            index: 0,
            key_usage: None
        }]
    );
    assert!(matches!(
        problems("bad-key-usage-certsign").as_slice(),
        [PathProblem::SignerKeyUsage { index: 0, key_usage: Some(k) }] if k.key_cert_sign
    ));
    assert!(problems("bad-ca-signer").contains(&PathProblem::CaAsSigner));
    assert_eq!(
        problems("bad-unknown-critical-ext"),
        vec![PathProblem::UnknownCriticalExtension {
            index: 0,
            oid: "2.25.190349318620418045296516512744346925057".to_owned()
        }]
    );
    assert_eq!(
        problems("bad-pathlen"),
        vec![PathProblem::PathLength { index: 2 }]
    );
    assert_eq!(
        problems("bad-sha1"),
        vec![PathProblem::WeakAlgorithm {
            index: 0,
            algorithm: "rsa-pkcs1v15 with sha1".to_owned()
        }]
    );
    assert_eq!(
        problems("bad-rsa-1024"),
        vec![PathProblem::WeakKey {
            index: 0,
            bits: 1024
        }]
    );
    let expired = ee("bad-expired");
    assert_eq!(
        problems("bad-expired"),
        vec![PathProblem::Expired {
            index: 0,
            not_after: expired.not_after(),
            at: NOW
        }]
    );
    let nyv = ee("bad-not-yet-valid");
    assert_eq!(
        problems("bad-not-yet-valid"),
        vec![PathProblem::NotYetValid {
            index: 0,
            not_before: nyv.not_before(),
            at: NOW
        }]
    );
    for p in problems("bad-ca-signer") {
        assert!(!p.message().is_empty() && !p.message_vi().is_empty());
        assert_eq!(p.index(), 0);
    }
}

#[test]
fn no_chain_reasons() {
    let store = bundle_store(
        &[],
        load_certificates(&read("ca/intermediates.pem")).unwrap(),
    );
    // The impostor's leaf: vnpt-ca has its name but another key id; nothing else fits.
    match build("bad-impostor-issuer", &store, NOW, Purpose::DocumentSigning) {
        Err(PathError::NoChain {
            reason: NoChainReason::IssuerNotFound { issuer },
            leaf_subject,
        }) => {
            assert_eq!(issuer, ca("vnpt-ca").subject());
            assert_eq!(leaf_subject, ee("bad-impostor-issuer").subject());
        }
        other => panic!("{other:?}"),
    }
    // With the impostor supplied: it signed the leaf, but it is no anchor.
    let leaf = ee("bad-impostor-issuer");
    let opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    let r = build_path(
        &leaf,
        &[ca("impostor-vnpt-ca")],
        &store,
        &opts,
        &SignatureCache::new(),
    );
    assert!(
        matches!(&r, Err(PathError::NoChain { reason: NoChainReason::UntrustedRoot { root }, .. }) if *root == ca("vnpt-ca").subject()),
        "{r:?}"
    );
    // Unknown issuer, with and without its root.
    let r = build("bad-unknown-issuer", &store, NOW, Purpose::DocumentSigning);
    assert!(
        matches!(
            &r,
            Err(PathError::NoChain {
                reason: NoChainReason::IssuerNotFound { .. },
                ..
            })
        ),
        "{r:?}"
    );
    let leaf = ee("bad-unknown-issuer");
    let r = build_path(
        &leaf,
        &[ca("untrusted-root")],
        &store,
        &opts,
        &SignatureCache::new(),
    );
    assert!(
        matches!(
            &r,
            Err(PathError::NoChain {
                reason: NoChainReason::UntrustedRoot { .. },
                ..
            })
        ),
        "{r:?}"
    );
    // A damaged signature: the issuer is found by name and key id, and fails on the signature.
    let mut der = ee("example-gvcn").der().to_vec();
    let last = der.len() - 1;
    der[last] ^= 1;
    let damaged = Certificate::from_der(&der).unwrap();
    let r = build_path(
        &damaged,
        &chain("example-gvcn")[1..],
        &store,
        &opts,
        &SignatureCache::new(),
    );
    match r {
        Err(
            e @ PathError::NoChain {
                reason: NoChainReason::SignatureInvalid { .. },
                ..
            },
        ) => {
            assert!(e.message().contains("VNPT-CA TEST"));
            assert!(!e.message_vi().is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn time_stamping_purpose() {
    let store = bundle_store(&[], Vec::new());
    assert!(build("tsa", &store, NOW, Purpose::TimeStamping)
        .unwrap()
        .problems
        .is_empty());
    assert_eq!(
        build("example-gvcn", &store, NOW, Purpose::TimeStamping)
            .unwrap()
            .problems,
        vec![PathProblem::MissingTimeStampingEku { index: 0 }]
    );
    // The legacy TSA: only with its SHA-1 root as an anchor, whose own algorithm is not judged.
    let r = build("tsa-legacy", &store, Y2020, Purpose::TimeStamping);
    assert!(matches!(r, Err(PathError::NoChain { .. })), "{r:?}");
    let legacy = bundle_store(&[ca("mic-sha1-root")], Vec::new());
    let path = build("tsa-legacy", &legacy, Y2020, Purpose::TimeStamping).unwrap();
    assert!(path.problems.is_empty(), "{:?}", path.problems);
    assert_eq!(
        path.anchor().unwrap().sha256(),
        ca("mic-sha1-root").sha256()
    );
    let now = build("tsa-legacy", &legacy, NOW, Purpose::TimeStamping).unwrap();
    assert!(matches!(
        now.problems.as_slice(),
        [PathProblem::Expired { index: 0, .. }]
    ));
}

#[test]
fn anchors_supplied_as_intermediates_and_anchor_leaves() {
    let store = bundle_store(&[], Vec::new());
    let opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    // The CMS carries the root too: the copy is the anchor, the path ends there.
    let mut extra = chain("example-gvcn");
    extra.push(ca("neac-root"));
    let path = build_path(
        &extra[0].clone(),
        &extra,
        &store,
        &opts,
        &SignatureCache::new(),
    )
    .unwrap();
    assert_eq!(path.certs.len(), 3);
    assert!(path.problems.is_empty());
    assert_eq!(path.non_anchor().len(), 2);
    // An anchor used as a signer: a path of one, judged only for its use.
    let root = ca("neac-root");
    let path = build_path(&root, &[], &store, &opts, &SignatureCache::new()).unwrap();
    assert_eq!(path.certs.len(), 1);
    assert!(path.problems.contains(&PathProblem::CaAsSigner));
    assert!(check_revocation(&path, &[], NOW, NOW, &SignatureCache::new()).is_empty());
    // Intermediates from the store instead of the CMS.
    let store = bundle_store(
        &[],
        load_certificates(&read("ca/intermediates.pem")).unwrap(),
    );
    let path = build_path(
        &ee("example-dau"),
        &[],
        &store,
        &opts,
        &SignatureCache::new(),
    )
    .unwrap();
    assert!(path.problems.is_empty());
    assert_eq!(path.certs.len(), 3);
}

#[test]
fn budgets_bound_the_work() {
    let store = bundle_store(&[], Vec::new());
    let certs = chain("example-gvcn");
    let mut opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    opts.max_signature_checks = 1;
    let r = build_path(
        &certs[0],
        &certs[1..],
        &store,
        &opts,
        &SignatureCache::new(),
    );
    assert_eq!(
        r.unwrap_err(),
        PathError::BudgetExceeded {
            what: "signature checks"
        }
    );
    let mut opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    opts.max_candidates = 1;
    let r = build_path(
        &certs[0],
        &certs[1..],
        &store,
        &opts,
        &SignatureCache::new(),
    );
    assert_eq!(
        r.unwrap_err(),
        PathError::BudgetExceeded {
            what: "issuer candidates"
        }
    );
    let mut opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    opts.max_depth = 1;
    let r = build_path(
        &certs[0],
        &certs[1..],
        &store,
        &opts,
        &SignatureCache::new(),
    );
    assert!(
        matches!(
            r,
            Err(PathError::NoChain {
                reason: NoChainReason::DepthExceeded,
                ..
            })
        ),
        "{r:?}"
    );

    // Many lookalike issuers (same name, no key identifiers to tell them apart would still be
    // cut by the budget): 100 copies of the impostor are deduplicated to one candidate.
    let extra = vec![ca("impostor-vnpt-ca"); 100];
    let opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    let r = build_path(
        &ee("bad-impostor-issuer"),
        &extra,
        &store,
        &opts,
        &SignatureCache::new(),
    );
    assert!(matches!(r, Err(PathError::NoChain { .. })));
}

#[test]
fn signature_cache_verifies_each_pair_once() {
    let store = bundle_store(&[], Vec::new());
    let cache = SignatureCache::new();
    let opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    for _round in 0..2 {
        for id in ["example-gvcn", "example-ht", "example-dau"] {
            let certs = chain(id);
            let path = build_path(&certs[0], &certs[1..], &store, &opts, &cache).unwrap();
            assert!(path.problems.is_empty());
        }
    }
    // gvcn←vnpt, ht←vnpt, vnpt←neac-root, dau←cipher-g2, cipher-g2←cipher-root
    assert_eq!(cache.verifications(), 5);
    assert_eq!(cache.len(), 5);
    // CRLs too: the three paths need vnpt-ca's, cipher-g2-ca's, and each root's CRL once.
    let crls = load_crls(&read("ca/all-crls.pem")).unwrap();
    for _round in 0..2 {
        for id in ["example-gvcn", "example-ht", "example-dau"] {
            let certs = chain(id);
            let path = build_path(&certs[0], &certs[1..], &store, &opts, &cache).unwrap();
            let statuses = check_revocation(&path, &crls, NOW, NOW, &cache);
            assert_eq!(statuses.len(), 2);
            assert!(
                statuses
                    .iter()
                    .all(|s| matches!(s, RevocationStatus::Good { .. })),
                "{statuses:?}"
            );
        }
    }
    // vnpt-ca's CRL, neac-root's, cipher-g2-ca's, cipher-root's.
    assert_eq!(cache.verifications(), 9);
    fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<SignatureCache>();
    is_send_sync::<Certificate>();
    is_send_sync::<TrustStore>();
}

#[test]
fn crls_match_the_manifest_and_verify() {
    let m = manifest();
    let all = load_crls(&read("ca/all-crls.pem")).unwrap();
    let mut seen = 0;
    for e in m["entities"].as_array().unwrap() {
        let Some(info) = e.get("crl").filter(|c| !c.is_null()) else {
            continue;
        };
        let dir = e["dir"].as_str().unwrap();
        let crl = Crl::from_der(&read(&format!("{dir}/crl.der"))).unwrap();
        let pem = load_crls(&read(&format!("{dir}/crl.pem"))).unwrap();
        assert_eq!(pem[0].sha256(), crl.sha256());
        assert!(all.iter().any(|c| c.sha256() == crl.sha256()));
        assert_eq!(crl.issuer(), e["subject"].as_str().unwrap());
        assert_eq!(
            crl.this_update(),
            unix(info["thisUpdate"].as_str().unwrap())
        );
        assert_eq!(
            crl.next_update(),
            Some(unix(info["nextUpdate"].as_str().unwrap()))
        );
        let number = u64::from_str_radix(&crl.crl_number_hex().unwrap(), 16).unwrap();
        assert_eq!(Some(number), info["number"].as_u64());
        let issuer = cert(dir);
        assert_eq!(crl.authority_key_id(), issuer.subject_key_id());
        assert!(crl.verify_signed_by(&issuer).is_ok(), "{dir}");
        assert!(crl.unknown_critical_extensions().is_empty());
        let revoked = info["revoked"].as_array().unwrap();
        assert_eq!(crl.revoked().len(), revoked.len());
        for r in revoked {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default();
            let serial = r
                .get("serial")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| entity(&m, id)["serial"].as_str().unwrap().to_owned());
            let entry = crl
                .revoked()
                .iter()
                .find(|x| super::rawder::hex(&x.serial).trim_start_matches('0') == serial)
                .unwrap();
            assert_eq!(entry.reason.as_deref(), r["reason"].as_str());
            assert_eq!(entry.at, unix(r["date"].as_str().unwrap()));
            assert_eq!(crl.find(&entry.serial), Some(entry));
        }
        seen += 1;
    }
    assert_eq!(seen, all.len());
}

#[test]
fn revocation_of_bad_revoked() {
    let store = bundle_store(&[], Vec::new());
    let path = build("bad-revoked", &store, NOW, Purpose::DocumentSigning).unwrap();
    assert!(path.problems.is_empty());
    let crls = load_crls(&read("ca/all-crls.pem")).unwrap();
    let cache = SignatureCache::new();
    let revoked_at = unix("2025-01-01T00:00:00Z");
    let g2_this_update = unix("2025-01-02T00:00:00Z");
    // Now: revoked (keyCompromise) on 2025-01-01.
    let s = check_revocation(&path, &crls, NOW, NOW, &cache);
    assert_eq!(
        s,
        vec![
            RevocationStatus::Revoked {
                at: revoked_at,
                reason: Some("keyCompromise".to_owned())
            },
            RevocationStatus::Good {
                crl_this_update: unix("2019-01-01T00:00:00Z")
            },
        ]
    );
    assert!(s[0].message().contains("keyCompromise") && !s[0].message_vi().is_empty());
    // Signed in 2024 (time used), validated now: the 2025 CRL lists it as revoked later: good.
    let s = check_revocation(&path, &crls, Y2024, NOW, &cache);
    assert_eq!(
        s[0],
        RevocationStatus::Good {
            crl_this_update: g2_this_update
        }
    );
    // Validated in 2024 itself: the only CRL is from 2025, not usable yet.
    let s = check_revocation(&path, &crls, Y2024, Y2024, &cache);
    assert_eq!(
        s[0],
        RevocationStatus::Unknown {
            reason: UnknownReason::NotFresh {
                this_update: g2_this_update,
                next_update: Some(unix("2059-12-31T23:59:59Z"))
            }
        }
    );
    // Without CRLs.
    let s = check_revocation(&path, &[], NOW, NOW, &cache);
    assert_eq!(
        s,
        vec![
            RevocationStatus::Unknown {
                reason: UnknownReason::NoCrl
            };
            2
        ]
    );
    // Only the CRL of the other G2 branch: no CRL for the leaf's issuer.
    let only_root = load_crls(&read("ca/cipher-root/crl.pem")).unwrap();
    let s = check_revocation(&path, &only_root, NOW, NOW, &cache);
    assert!(matches!(
        s[0],
        RevocationStatus::Unknown {
            reason: UnknownReason::NoCrl
        }
    ));
    assert!(matches!(s[1], RevocationStatus::Good { .. }));
}

#[test]
fn crl_from_an_impostor_is_not_used() {
    let store = bundle_store(&[], Vec::new());
    let path = build("example-gvcn", &store, NOW, Purpose::DocumentSigning).unwrap();
    // The impostor's CRL has vnpt-ca's name but another key (and key id).
    let impostor = load_crls(&read("ca/impostor-vnpt-ca/crl.pem")).unwrap();
    let s = check_revocation(&path, &impostor, NOW, NOW, &SignatureCache::new());
    assert_eq!(
        s[0],
        RevocationStatus::Unknown {
            reason: UnknownReason::SignatureInvalid
        }
    );
    // Its signature does not verify with vnpt-ca's key either.
    assert!(impostor[0].verify_signed_by(&ca("vnpt-ca")).is_err());
    // Old CRL at a time after its nextUpdate: the mic root's CRL ends in 2040.
    let legacy = bundle_store(&[ca("mic-sha1-root")], Vec::new());
    let path = build("tsa-legacy", &legacy, Y2020, Purpose::TimeStamping).unwrap();
    let crls = load_crls(&read("ca/all-crls.pem")).unwrap();
    let late = unix("2041-01-01T00:00:00Z");
    let s = check_revocation(&path, &crls, late, late, &SignatureCache::new());
    assert!(matches!(
        s[0],
        RevocationStatus::Unknown {
            reason: UnknownReason::NotFresh { .. }
        }
    ));
    let s = check_revocation(&path, &crls, Y2020, NOW, &SignatureCache::new());
    assert!(matches!(s[0], RevocationStatus::Good { .. }));
}

/// The EC private scalar of a PKCS#8 `PRIVATE KEY` PEM (SEC 1 `ECPrivateKey` inside).
fn ec_scalar(pem: &str) -> Vec<u8> {
    let (_, doc) = rsa::pkcs8::SecretDocument::from_pem(pem.trim()).unwrap();
    let info = rsa::pkcs8::PrivateKeyInfoRef::from_der(doc.as_bytes()).unwrap();
    let sec1 = info.private_key.as_bytes();
    let outer = super::rawder::read_tlv(sec1, 0).unwrap();
    let fields = super::rawder::children(sec1, outer.content).unwrap();
    sec1[fields[1].content.clone()].to_vec()
}

fn rsa_key(id: &str) -> rsa::PrivateKey {
    let pem = String::from_utf8(read(&format!("ee/{id}/key.pem"))).unwrap();
    let (_, doc) = rsa::pkcs8::SecretDocument::from_pem(pem.trim()).unwrap();
    let info = rsa::pkcs8::PrivateKeyInfoRef::from_der(doc.as_bytes()).unwrap();
    rsa::PrivateKey::try_from(info).unwrap()
}

#[test]
fn ecdsa_p256_key_of_the_test_pki() {
    use ecdsa::signature::hazmat::PrehashSigner;
    use ecdsa::signature::Signer;
    let cert = ee("ecdsa-p256");
    assert_eq!(cert.public_key().kind(), &PublicKeyKind::EcP256);
    assert_eq!(cert.public_key().bits(), 256);
    let pem = String::from_utf8(read("ee/ecdsa-p256/key.pem")).unwrap();
    let key = p256::ecdsa::SigningKey::from_slice(&ec_scalar(&pem)).unwrap();
    let message = b"hocba: signed attributes stand-in";
    let sig: p256::ecdsa::Signature = key.sign(message);
    let der = sig.to_der();
    let alg = SignatureAlgorithm::Ecdsa(Hash::Sha256);
    assert_eq!(alg.report_name(cert.public_key()), "ecdsa-p256");
    assert_eq!(
        verify_signature(cert.public_key(), alg, message, der.as_bytes()),
        Ok(())
    );
    assert_eq!(
        verify_signature(cert.public_key(), alg, b"other", der.as_bytes()),
        Err(SignatureError::Invalid)
    );
    assert!(matches!(
        verify_signature(cert.public_key(), alg, message, &sig.to_bytes()),
        Err(SignatureError::MalformedSignature { .. })
    ));
    // SHA-384 digest signed on P-256 (truncated per FIPS 186-4), through the prehash entry.
    let d384 = digest(Hash::Sha384, &[message]);
    let sig: p256::ecdsa::Signature = key.sign_prehash(&d384).unwrap();
    assert_eq!(
        verify_prehashed(
            cert.public_key(),
            SignatureAlgorithm::Ecdsa(Hash::Sha384),
            &d384,
            sig.to_der().as_bytes()
        ),
        Ok(())
    );
    // Its certificate chains (signed by vnpt-ca with RSA) and is fine.
    let store = bundle_store(&[], Vec::new());
    assert!(build("ecdsa-p256", &store, NOW, Purpose::DocumentSigning)
        .unwrap()
        .problems
        .is_empty());
    // An RSA algorithm with the EC key is refused.
    assert!(matches!(
        verify_signature(
            cert.public_key(),
            SignatureAlgorithm::RsaPkcs1v15(Hash::Sha256),
            message,
            der.as_bytes()
        ),
        Err(SignatureError::Unsupported { .. })
    ));
}

#[test]
fn ecdsa_p384_key() {
    use ecdsa::signature::Signer;
    let key = p384::ecdsa::SigningKey::from_slice(&[7u8; 48]).unwrap();
    let point = key.verifying_key().to_sec1_bytes();
    let spki = spki::SubjectPublicKeyInfoOwned {
        algorithm: spki::AlgorithmIdentifierOwned {
            oid: algorithm::oids::EC_PUBLIC_KEY,
            parameters: Some(der::Any::from(algorithm::oids::P384)),
        },
        subject_public_key: der::asn1::BitString::from_bytes(&point).unwrap(),
    }
    .to_der()
    .unwrap();
    let info = PublicKeyInfo::from_spki_der(&spki).unwrap();
    assert_eq!(info.kind(), &PublicKeyKind::EcP384);
    assert_eq!(info.kind_name(), "ECDSA P-384");
    let sig: p384::ecdsa::Signature = key.sign(b"record");
    // ecdsa-with-SHA384 from its AlgorithmIdentifier, hint ignored.
    let alg_id = spki::AlgorithmIdentifierOwned {
        oid: algorithm::oids::ECDSA_SHA384,
        parameters: None,
    };
    let alg = SignatureAlgorithm::from_algorithm_identifier(&alg_id, Some(Hash::Sha1)).unwrap();
    assert_eq!(alg, SignatureAlgorithm::Ecdsa(Hash::Sha384));
    assert_eq!(alg.report_name(&info), "ecdsa-p384");
    assert_eq!(
        verify_signature(&info, alg, b"record", sig.to_der().as_bytes()),
        Ok(())
    );
    assert_eq!(
        verify_signature(&info, alg, b"recorD", sig.to_der().as_bytes()),
        Err(SignatureError::Invalid)
    );
}

/// RSASSA-PSS `AlgorithmIdentifier` with SHA-256, MGF1-SHA-256, salt 32 (RFC 4055 §3.1).
const PSS_SHA256: &str = "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn rsa_pss_and_pkcs1_with_a_test_pki_key() {
    let cert = ee("example-gvcn");
    let key = rsa_key("example-gvcn");
    let message = b"hocba signed attributes";

    // PSS: parameters read from the AlgorithmIdentifier; the signature made with the test key.
    let alg_id = spki::AlgorithmIdentifierOwned::from_der(&unhex(PSS_SHA256)).unwrap();
    let alg = SignatureAlgorithm::from_algorithm_identifier(&alg_id, None).unwrap();
    assert_eq!(alg, SignatureAlgorithm::RsaPss(Hash::Sha256));
    assert_eq!(alg.report_name(cert.public_key()), "rsa-pss");
    let sig = key.pss_sign::<sha2::Sha256>(message).unwrap();
    assert_eq!(
        verify_signature(cert.public_key(), alg, message, &sig),
        Ok(())
    );
    assert_eq!(
        verify_signature(cert.public_key(), alg, b"tampered", &sig),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        verify_signature(ee("example-ht").public_key(), alg, message, &sig),
        Err(SignatureError::Invalid)
    );
    // Default parameters (empty SEQUENCE) mean SHA-1.
    let default =
        spki::AlgorithmIdentifierOwned::from_der(&unhex("300d06092a864886f70d01010a3000")).unwrap();
    assert_eq!(
        SignatureAlgorithm::from_algorithm_identifier(&default, None),
        Ok(SignatureAlgorithm::RsaPss(Hash::Sha1))
    );
    // MGF1 with another digest than the message's: unsupported.
    let mut mixed = unhex(PSS_SHA256);
    let n = mixed.len();
    mixed[n - 9] = 0x03; // the MGF1 digest becomes SHA-512
    let mixed = spki::AlgorithmIdentifierOwned::from_der(&mixed).unwrap();
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(&mixed, None),
        Err(SignatureError::Unsupported { .. })
    ));

    // PKCS#1 v1.5 as CMS names it: rsaEncryption, the digest from digestAlgorithm.
    let rsa_enc = spki::AlgorithmIdentifierOwned {
        oid: algorithm::oids::RSA_ENCRYPTION,
        parameters: Some(der::Any::null()),
    };
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(&rsa_enc, None),
        Err(SignatureError::Unsupported { .. })
    ));
    let alg = SignatureAlgorithm::from_algorithm_identifier(&rsa_enc, Some(Hash::Sha256)).unwrap();
    assert_eq!(alg, SignatureAlgorithm::RsaPkcs1v15(Hash::Sha256));
    assert_eq!(alg.report_name(cert.public_key()), "rsa-pkcs1v15");
    let sig = key.pkcs1v15_sign::<sha2::Sha256>(message).unwrap();
    assert_eq!(
        verify_signature(cert.public_key(), alg, message, &sig),
        Ok(())
    );
    let d = digest(Hash::Sha256, &[message]);
    assert_eq!(verify_prehashed(cert.public_key(), alg, &d, &sig), Ok(()));
    assert!(matches!(
        verify_prehashed(cert.public_key(), alg, &d[1..], &sig),
        Err(SignatureError::MalformedSignature { .. })
    ));
    assert_eq!(
        verify_signature(
            cert.public_key(),
            SignatureAlgorithm::RsaPkcs1v15(Hash::Sha384),
            message,
            &sig
        ),
        Err(SignatureError::Invalid)
    );
    assert_eq!(cert.public_key().bits(), 2048);
    assert!(!cert.public_key().is_weak());
    let weak = ee("bad-rsa-1024");
    assert!(weak.public_key().is_weak());
    // The weak key still verifies (weakness is judged by the path layer).
    let weak_key = rsa_key("bad-rsa-1024");
    let sig = weak_key.pkcs1v15_sign::<sha2::Sha256>(message).unwrap();
    assert_eq!(
        verify_signature(weak.public_key(), alg, message, &sig),
        Ok(())
    );
    // Unknown algorithm.
    let unknown = spki::AlgorithmIdentifierOwned {
        oid: der::asn1::ObjectIdentifier::new_unwrap("1.3.101.112"),
        parameters: None,
    };
    assert!(matches!(
        SignatureAlgorithm::from_algorithm_identifier(&unknown, Some(Hash::Sha256)),
        Err(SignatureError::Unsupported { .. })
    ));
}

#[test]
fn sha1_certificate_signature_verifies() {
    // bad-sha1 is properly signed with SHA-1 by vnpt-ca: it verifies, and is judged weak elsewhere.
    let leaf = ee("bad-sha1");
    assert_eq!(
        leaf.signature_algorithm(),
        Ok(SignatureAlgorithm::RsaPkcs1v15(Hash::Sha1))
    );
    assert_eq!(leaf.verify_signed_by(&ca("vnpt-ca")), Ok(()));
    assert_eq!(
        ca("mic-sha1-root").verify_signed_by(&ca("mic-sha1-root")),
        Ok(())
    );
    assert_eq!(
        leaf.verify_signed_by(&ca("neac-root")),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn loading_pem_der_bundles_and_garbage() {
    let der = read("ee/example-gvcn/cert.der");
    let pem = read("ee/example-gvcn/cert.pem");
    let one = load_certificates(&der).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(load_certificates(&pem).unwrap(), one);
    assert_eq!(chain("example-gvcn").len(), 2);
    assert_eq!(
        load_certificates(&read("trust/bundle.pem")).unwrap().len(),
        2
    );
    // Keys and CRLs are skipped in a PEM bundle.
    let mut mixed = read("ee/example-gvcn/key.pem");
    mixed.extend(read("ca/vnpt-ca/crl.pem"));
    mixed.extend(&pem);
    assert_eq!(load_certificates(&mixed).unwrap(), one);
    // Concatenated DER.
    let mut two = der.clone();
    two.extend(read("ca/vnpt-ca/cert.der"));
    assert_eq!(load_certificates(&two).unwrap().len(), 2);
    // Errors, never panics.
    assert_eq!(
        load_certificates(&read("ee/example-gvcn/key.pem")),
        Err(PkiError::NoCertificate)
    );
    assert_eq!(
        load_certificates(&read("ca/vnpt-ca/crl.pem")),
        Err(PkiError::NoCertificate)
    );
    assert!(matches!(
        load_certificates(b""),
        Err(PkiError::NotDerOrPem { .. })
    ));
    assert!(matches!(
        load_certificates(b"hello"),
        Err(PkiError::NotDerOrPem { .. })
    ));
    assert!(matches!(
        load_certificates(&[0xff, 0xfe, 0x00]),
        Err(PkiError::NotDerOrPem { .. })
    ));
    assert!(matches!(
        load_certificates(&[0x30, 0x82, 0xff]),
        Err(PkiError::NotDerOrPem { .. })
    ));
    assert!(matches!(
        load_certificates(b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
        Err(PkiError::Pem { .. })
    ));
    assert!(matches!(
        load_certificates(b"-----BEGIN CERTIFICATE-----\nMIIB\n"),
        Err(PkiError::Pem { .. })
    ));
    assert!(matches!(
        load_certificates(b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"),
        Err(PkiError::MalformedCertificate { index: 0, .. })
    ));
    let mut bad_second = pem.clone();
    bad_second.extend(b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
    let e = load_certificates(&bad_second).unwrap_err();
    assert!(matches!(e, PkiError::MalformedCertificate { index: 1, .. }));
    assert!(e.message().contains("#2") && e.message_vi().contains("thứ 2"));
    assert_eq!(load_crls(&pem), Err(PkiError::NoCrl));
    assert_eq!(load_crls(&read("ca/all-crls.pem")).unwrap().len(), 8);
    assert_eq!(load_crls(&read("ca/vnpt-ca/crl.der")).unwrap().len(), 1);
    for e in [
        PkiError::NoCertificate,
        PkiError::NoCrl,
        PkiError::NotDerOrPem { detail: "x".into() },
        PkiError::Pem { detail: "x".into() },
        PkiError::MalformedCrl {
            index: 0,
            detail: "x".into(),
        },
    ] {
        assert!(!e.message().is_empty() && !e.message_vi().is_empty());
        assert_eq!(e.to_string(), e.message());
    }
}

/// Exercises every accessor of a certificate that parsed (after damage), and the path builder.
fn exercise(c: &Certificate, store: &TrustStore, cache: &SignatureCache) {
    let _ = (
        c.subject(),
        c.issuer(),
        c.common_name(),
        c.organization(),
        c.uid(),
    );
    let _ = (
        c.serial_hex(),
        c.key_usage(),
        c.basic_constraints(),
        c.extended_key_usage(),
    );
    let _ = (
        c.unknown_critical_extensions(),
        c.signature_algorithm(),
        c.is_organization(),
    );
    let _ = (
        c.public_key().kind_name(),
        c.sha256_hex(),
        c.is_self_issued(),
    );
    let opts = PathOptions::new(NOW, Purpose::DocumentSigning);
    let _ = build_path(c, &[], store, &opts, cache);
}

#[test]
fn damaged_certificates_and_crls_never_panic() {
    let store = bundle_store(
        &[],
        load_certificates(&read("ca/intermediates.pem")).unwrap(),
    );
    let cache = SignatureCache::new();
    let der = read("ee/example-gvcn/cert.der");
    for len in 0..der.len() {
        assert!(Certificate::from_der(&der[..len]).is_err());
        let _ = load_certificates(&der[..len]);
    }
    let mut parsed = 0;
    for i in 0..der.len() {
        for bit in [0x01u8, 0x80] {
            let mut d = der.clone();
            d[i] ^= bit;
            if let Ok(c) = Certificate::from_der(&d) {
                exercise(&c, &store, &cache);
                parsed += 1;
            }
        }
    }
    assert!(parsed > 0);
    let crl = read("ca/cipher-g2-ca/crl.der");
    let path = build("bad-revoked", &store, NOW, Purpose::DocumentSigning).unwrap();
    for len in 0..crl.len() {
        assert!(Crl::from_der(&crl[..len]).is_err());
    }
    for i in 0..crl.len() {
        let mut d = crl.clone();
        d[i] ^= 0x01;
        if let Ok(c) = Crl::from_der(&d) {
            let _ = check_revocation(&path, &[c], NOW, NOW, &cache);
        }
    }
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = load_certificates(&bytes);
            let _ = load_crls(&bytes);
            let _ = PublicKeyInfo::from_spki_der(&bytes);
        }

        #[test]
        fn splices_into_a_certificate_never_panic(
            at in 0usize..1400,
            junk in proptest::collection::vec(any::<u8>(), 1..8),
        ) {
            let mut der = read("ee/example-dau/cert.der");
            let at = at.min(der.len());
            der.splice(at..(at + junk.len()).min(der.len()), junk);
            if let Ok(c) = Certificate::from_der(&der) {
                let store = bundle_store(&[], Vec::new());
                exercise(&c, &store, &SignatureCache::new());
            }
        }
    }
}

#[test]
fn arc_paths_share_certificates() {
    let store = bundle_store(&[], Vec::new());
    let path = build("example-dau", &store, NOW, Purpose::DocumentSigning).unwrap();
    let anchor: &Arc<Certificate> = path.anchor().unwrap();
    assert!(Arc::ptr_eq(anchor, &store.anchors()[0]) || Arc::ptr_eq(anchor, &store.anchors()[1]));
    assert_eq!(
        path.leaf().unwrap().common_name().as_deref(),
        Some("Trường Tiểu học Tri Hải")
    );
}

/// The example of the module documentation, run as a unit test too.
#[test]
fn module_doc_example() {
    let read = |p: &str| read(p);
    let anchors = load_certificates(&read("trust/bundle.pem")).unwrap();
    let chain = load_certificates(&read("ee/example-gvcn/chain.pem")).unwrap();
    let store = TrustStore::new(anchors, Vec::new());
    let cache = SignatureCache::new();
    let at = 1_795_824_000;
    let opts = PathOptions::new(at, Purpose::DocumentSigning);
    let path = build_path(&chain[0], &chain[1..], &store, &opts, &cache).unwrap();
    assert!(path.problems.is_empty());
    assert_eq!(path.certs.len(), 3);
    let crls = load_crls(&read("ca/all-crls.pem")).unwrap();
    let statuses = check_revocation(&path, &crls, at, at, &cache);
    assert_eq!(statuses.len(), 2);
    assert!(statuses
        .iter()
        .all(|s| matches!(s, RevocationStatus::Good { .. })));
    let bad = build("bad-pathlen", &store, at, Purpose::DocumentSigning).unwrap();
    assert_eq!(
        bad.problem_subject(&bad.problems[0]),
        Some(ca("vnpt-ca").subject())
    );
}

/// The variable-time PKCS#1 v1.5 path rejects every altered input, on RSA-2048 and RSA-4096
/// keys (the test PKI's roots are 4096-bit).
#[test]
fn pkcs1v15_rejects_altered_signatures_and_digests() {
    for (id, cert) in [("example-gvcn", ee("example-gvcn"))] {
        let key = rsa_key(id);
        let alg = SignatureAlgorithm::RsaPkcs1v15(Hash::Sha256);
        let message = b"hocba";
        let sig = key.pkcs1v15_sign::<sha2::Sha256>(message).unwrap();
        assert_eq!(
            verify_signature(cert.public_key(), alg, message, &sig),
            Ok(())
        );
        for i in [0, 1, 100, sig.len() - 1] {
            let mut bad = sig.clone();
            bad[i] ^= 0x10;
            assert_eq!(
                verify_signature(cert.public_key(), alg, message, &bad),
                Err(SignatureError::Invalid),
                "byte {i}"
            );
        }
        // A signature value not below the modulus, too short, too long.
        assert!(verify_signature(cert.public_key(), alg, message, &vec![0xff; sig.len()]).is_err());
        assert!(verify_signature(cert.public_key(), alg, message, &sig[1..]).is_err());
        let mut long = vec![0u8];
        long.extend_from_slice(&sig);
        assert!(verify_signature(cert.public_key(), alg, message, &long).is_err());
        // The same signature read with another hash's DigestInfo.
        assert!(verify_signature(
            cert.public_key(),
            SignatureAlgorithm::RsaPkcs1v15(Hash::Sha1),
            message,
            &sig
        )
        .is_err());
    }
    // Every certificate of the test PKI signed by a 4096-bit root verifies with it.
    let root = ca("neac-root");
    assert_eq!(ca("vnpt-ca").verify_signed_by(&root), Ok(()));
    assert_eq!(
        ca("cipher-g2-ca").verify_signed_by(&root),
        Err(SignatureError::Invalid)
    );
}
