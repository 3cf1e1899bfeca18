//! DER building blocks and a test time-stamping authority (RFC 3161) over the test PKI, shared
//! by the signing and verification tests.
#![allow(dead_code)]

use std::fs::read;

use hocba_core::pki::load_certificates;

use super::root;

/// A DER TLV.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A DER OBJECT IDENTIFIER.
pub fn oid(dotted: &str) -> Vec<u8> {
    let o = der::asn1::ObjectIdentifier::new(dotted).expect("OID");
    tlv(0x06, o.as_bytes())
}

/// A DER INTEGER from big-endian magnitude bytes.
pub fn integer(bytes: &[u8]) -> Vec<u8> {
    let mut v = bytes.to_vec();
    if v.first().is_some_and(|b| b & 0x80 != 0) {
        v.insert(0, 0);
    }
    tlv(0x02, &v)
}

/// An RFC 3161 `TimeStampToken` (a CMS ContentInfo) over `imprint` — SHA-1 when it is 20 bytes,
/// SHA-256 when 32 — at `gen_time` (`YYYYMMDDHHMMSSZ`), signed by the test PKI's `tsa` identity
/// (`fixtures/pki/ee/<tsa>`): the test's time-stamping authority.
pub fn timestamp_token(tsa: &str, imprint: &[u8], gen_time: &str) -> Vec<u8> {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    use sha2::Digest;
    let cert_der = load_certificates(
        &read(root().join(format!("fixtures/pki/ee/{tsa}/cert.pem"))).expect("cert file"),
    )
    .expect("cert")
    .remove(0);
    let key_pem = String::from_utf8(
        read(root().join(format!("fixtures/pki/ee/{tsa}/key.pem"))).expect("key"),
    )
    .expect("PEM");
    let key = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::from_pkcs8_pem(&key_pem).expect("key");
    let hash = match imprint.len() {
        20 => "1.3.14.3.2.26",
        _ => "2.16.840.1.101.3.4.2.1",
    };
    let tst_info = tlv(
        0x30,
        &[
            integer(&[1]),
            oid("1.2.3.4.1"),
            tlv(
                0x30,
                &[
                    tlv(0x30, &[oid(hash), vec![0x05, 0x00]].concat()),
                    tlv(0x04, imprint),
                ]
                .concat(),
            ),
            integer(&[42]),
            tlv(0x18, gen_time.as_bytes()),
        ]
        .concat(),
    );
    let attrs = [
        tlv(
            0x30,
            &[
                oid("1.2.840.113549.1.9.3"),
                tlv(0x31, &oid("1.2.840.113549.1.9.16.1.4")),
            ]
            .concat(),
        ),
        tlv(
            0x30,
            &[
                oid("1.2.840.113549.1.9.4"),
                tlv(0x31, &tlv(0x04, &sha2::Sha256::digest(&tst_info))),
            ]
            .concat(),
        ),
    ]
    .concat();
    let signature = key.sign(&tlv(0x31, &attrs)).to_vec();
    let signer_info = tlv(
        0x30,
        &[
            integer(&[1]),
            tlv(
                0x30,
                &[
                    cert_der.issuer_raw().to_vec(),
                    integer(cert_der.serial_bytes()),
                ]
                .concat(),
            ),
            tlv(0x30, &oid("2.16.840.1.101.3.4.2.1")),
            tlv(0xA0, &attrs),
            tlv(
                0x30,
                &[oid("1.2.840.113549.1.1.1"), vec![0x05, 0x00]].concat(),
            ),
            tlv(0x04, &signature),
        ]
        .concat(),
    );
    let signed_data = tlv(
        0x30,
        &[
            integer(&[3]),
            tlv(0x31, &tlv(0x30, &oid("2.16.840.1.101.3.4.2.1"))),
            tlv(
                0x30,
                &[
                    oid("1.2.840.113549.1.9.16.1.4"),
                    tlv(0xA0, &tlv(0x04, &tst_info)),
                ]
                .concat(),
            ),
            tlv(0xA0, cert_der.der()),
            tlv(0x31, &signer_info),
        ]
        .concat(),
    );
    tlv(
        0x30,
        &[oid("1.2.840.113549.1.7.2"), tlv(0xA0, &signed_data)].concat(),
    )
}
