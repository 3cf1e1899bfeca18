//! The checks of one signature (`signing.md`, Verification steps 3–7), each a small function
//! citing its clause; the driver [`check`] runs them in order and keeps the worst verdict.

use der::Decode;

use super::cms::{self, SignedData, SignerId};
use super::diff::Analysis;
use super::fields::FoundSignature;
use super::messages as m;
use super::report::{Message, SignatureReport, SignerReport, SubIndication, Verdict};
use super::time::{parse_pdf_date, rfc3339};
use super::{At, Context, RevocationPolicy};
use crate::pdf::revisions::{Resolver, Source};
use crate::pdf::syntax::{Dict, ObjRef, Object};
use crate::pki::{
    self, CertPath, Certificate, Crl, Hash, PathError, PathOptions, PathProblem, Purpose,
    RevocationStatus, SignatureAlgorithm, UnknownReason,
};

/// A signature after its checks.
#[derive(Debug)]
pub(crate) struct Checked {
    pub report: SignatureReport,
    pub order: usize,
    /// The signer's certificate, when found.
    pub signer: Option<Certificate>,
    /// The claimed signing time.
    pub claimed: Option<i64>,
}

/// Accumulates the verdict and messages of one signature.
struct Acc {
    verdict: Verdict,
    messages: Vec<Message>,
}

impl Acc {
    fn fail(&mut self, sub: SubIndication, msg: Message) {
        self.verdict = self.verdict.worst(Verdict::of(sub));
        self.messages.push(msg);
    }
    fn note(&mut self, msg: Message) {
        self.messages.push(msg);
    }
}

fn empty_report(sig: &FoundSignature) -> SignatureReport {
    SignatureReport {
        kind: "SIGNATURE".into(),
        field: sig.field.clone(),
        role: sig
            .field
            .as_deref()
            .filter(|f| matches!(*f, "GVCN" | "HT" | "DAU"))
            .map(str::to_owned),
        revision: None,
        indication: super::Indication::TotalPassed,
        sub_indication: None,
        indication_at_claimed_time: None,
        signer: None,
        trust_anchor: None,
        signing_time: None,
        time_used: None,
        time_source: None,
        sub_filter: None,
        digest_algorithm: None,
        signature_algorithm: None,
        coverage: "INVALID".into(),
        modified_after: "NONE".into(),
        changed_objects: Vec::new(),
        chain: Vec::new(),
        revocation: "NOT_CHECKED".into(),
        identity: None,
        messages: Vec::new(),
    }
}

fn field_label(sig: &FoundSignature) -> String {
    match (&sig.field, sig.dict) {
        (Some(f), _) => f.clone(),
        (None, Some(r)) => format!("(object {} {})", r.num, r.gen),
        (None, None) => "(unnamed)".into(),
    }
}

/// Runs every check of one signature.
pub(crate) fn check(
    ctx: &Context<'_>,
    resolver: &Resolver<'_>,
    sig: &FoundSignature,
    analysis: &Analysis<'_, '_>,
    trailing: Option<(usize, usize)>,
) -> Checked {
    let mut report = empty_report(sig);
    let mut acc = Acc {
        verdict: Verdict::PASSED,
        messages: Vec::new(),
    };
    let field = field_label(sig);
    let mut out = Checked {
        report: empty_report(sig),
        order: sig.order,
        signer: None,
        claimed: None,
    };
    run(
        ctx,
        resolver,
        sig,
        analysis,
        trailing,
        &field,
        &mut report,
        &mut acc,
        &mut out,
    );
    report.indication = acc.verdict.indication;
    report.sub_indication = acc.verdict.sub;
    // Errors first, then warnings, then notes (stable within each).
    acc.messages.sort_by_key(|m| m.severity);
    report.messages = acc.messages;
    out.report = report;
    out
}

#[allow(clippy::too_many_arguments)]
fn run(
    ctx: &Context<'_>,
    resolver: &Resolver<'_>,
    sig: &FoundSignature,
    analysis: &Analysis<'_, '_>,
    trailing: Option<(usize, usize)>,
    field: &str,
    report: &mut SignatureReport,
    acc: &mut Acc,
    out: &mut Checked,
) {
    let last = resolver.revision_count();
    // Step 2: reachable from the form, one field per dictionary.
    if sig.field.is_none() {
        let object = sig
            .dict
            .map(|r| format!("{} {} R", r.num, r.gen))
            .unwrap_or_default();
        acc.fail(
            SubIndication::FormatFailure,
            Message::new(&m::SIGNATURE_UNREACHABLE, &[("object", &object)]),
        );
    }
    if !sig.shared_with.is_empty() {
        let object = sig
            .dict
            .map(|r| format!("{} {} R", r.num, r.gen))
            .unwrap_or_default();
        let mut fields = vec![field.to_owned()];
        fields.extend(sig.shared_with.iter().cloned());
        acc.fail(
            SubIndication::FormatFailure,
            Message::new(
                &m::SIGNATURE_SHARED,
                &[("object", &object), ("fields", &fields.join(", "))],
            ),
        );
    }
    let malformed = |acc: &mut Acc, en: &str, vi: &str| {
        acc.fail(
            SubIndication::FormatFailure,
            Message::new(
                &m::SIGNATURE_DICT_MALFORMED,
                &[("field", field), ("detail", en), ("detailVi", vi)],
            ),
        );
    };
    let Some(dict_ref) = sig.dict else {
        malformed(
            acc,
            "/V is not a reference to a signature dictionary",
            "/V không phải tham chiếu tới từ điển chữ ký",
        );
        return;
    };
    let located = match resolver.get(dict_ref, last) {
        Ok(Some(l)) => l,
        _ => {
            malformed(
                acc,
                "the signature dictionary cannot be read",
                "không đọc được từ điển chữ ký",
            );
            return;
        }
    };
    let Object::Dict(dict) = &*located.object else {
        malformed(
            acc,
            "the value is not a dictionary",
            "giá trị không phải từ điển",
        );
        return;
    };
    let dict: &Dict = dict;
    let sub_filter = dict
        .get(b"SubFilter")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned());
    let is_doc_ts = dict.get(b"Type").and_then(Object::as_name) == Some(&b"DocTimeStamp"[..])
        || sub_filter.as_deref() == Some("ETSI.RFC3161");
    if is_doc_ts {
        report.kind = "DOC_TIMESTAMP".into();
        report.role = None;
    }
    report.sub_filter = sub_filter.clone();
    for key in [
        &b"ByteRange"[..],
        b"Contents",
        b"SubFilter",
        b"Filter",
        b"Type",
        b"M",
    ] {
        if dict.count(key) > 1 {
            let k = String::from_utf8_lossy(key).into_owned();
            malformed(
                acc,
                &format!("the key /{k} appears twice"),
                &format!("khóa /{k} xuất hiện hai lần"),
            );
            return;
        }
    }

    // Step 3: /ByteRange and /Contents.
    let Some(range) = check_byte_range(dict, ctx.file.len(), field, acc) else {
        return;
    };
    let [_, b, c, d] = range;
    let end = c + d;
    let contents = match dict.get(b"Contents") {
        Some(Object::String(s)) if s.hex => s,
        _ => {
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::CONTENTS_MISMATCH,
                    &[
                        ("field", field),
                        ("detail", "/Contents is not a direct hex string"),
                        ("detailVi", "/Contents không phải chuỗi hex trực tiếp"),
                    ],
                ),
            );
            return;
        }
    };
    let dict_span = match &located.source {
        Source::File { span } => Some(span.clone()),
        Source::ObjectStream { .. } => None,
    };
    match &dict_span {
        Some(_) if contents.span.start == b && contents.span.end == c => {}
        Some(_) => {
            let detail = format!(
                "the gap is {b}..{c}, the string is at {}..{}",
                contents.span.start, contents.span.end
            );
            let vi = format!(
                "khoảng trống là {b}..{c}, chuỗi nằm ở {}..{}",
                contents.span.start, contents.span.end
            );
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::CONTENTS_MISMATCH,
                    &[("field", field), ("detail", &detail), ("detailVi", &vi)],
                ),
            );
            return;
        }
        None => {
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::CONTENTS_MISMATCH,
                    &[
                        ("field", field),
                        (
                            "detail",
                            "the signature dictionary is inside a compressed object stream",
                        ),
                        (
                            "detailVi",
                            "từ điển chữ ký nằm trong một luồng đối tượng nén",
                        ),
                    ],
                ),
            );
            return;
        }
    }
    // The dictionary lies inside the signed bytes: it starts before the gap and ends after it,
    // within the covered end.
    if let Some(span) = &dict_span {
        if !(span.start < b && span.end > c && span.end <= end) {
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(&m::SIGNATURE_DICT_OUTSIDE, &[("field", field)]),
            );
        }
    }
    let revision = resolver.revisions().ending_at(end);
    match revision {
        Some(r) => {
            report.revision = Some(r);
            report.coverage = if r == last && end == ctx.file.len() {
                "ENTIRE_FILE"
            } else {
                "ENTIRE_REVISION"
            }
            .into();
        }
        None => {
            report.coverage = "PARTIAL".into();
            let e = end.to_string();
            let rewritten = ctx.file.get(..end).is_some_and(|s| {
                let t = s.trim_ascii_end();
                t.ends_with(b"%%EOF")
            });
            if rewritten {
                acc.fail(
                    SubIndication::FormatFailure,
                    Message::new(&m::FILE_REWRITTEN, &[("field", field)]),
                );
            } else {
                acc.fail(
                    SubIndication::FormatFailure,
                    Message::new(&m::COVERAGE_PARTIAL, &[("field", field), ("end", &e)]),
                );
            }
        }
    }

    // Claimed time: the signing-time attribute, else /M.
    let m_time = dict
        .get(b"M")
        .and_then(Object::as_string)
        .and_then(|s| parse_pdf_date(&s.bytes));

    // Step 4: the CMS.
    if is_doc_ts {
        check_changes(
            ctx, resolver, dict_ref, report, acc, analysis, trailing, field,
        );
        check_document_timestamp(
            ctx,
            &contents.bytes,
            [&ctx.file[..b], &ctx.file[c..end]],
            field,
            report,
            acc,
        );
        return;
    }
    match sub_filter.as_deref() {
        Some("ETSI.CAdES.detached" | "adbe.pkcs7.detached") => {}
        other => {
            let v = other
                .map(|s| format!("/{s}"))
                .unwrap_or_else(|| "(none)".into());
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::SUBFILTER_UNSUPPORTED,
                    &[("field", field), ("value", &v)],
                ),
            );
            return;
        }
    }
    let sd = match cms::parse(&contents.bytes) {
        Ok(sd) => sd,
        Err(e) => {
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::CMS_MALFORMED,
                    &[("field", field), ("detail", &e.0), ("detailVi", &e.0)],
                ),
            );
            return;
        }
    };
    if !sd.padding_is_zero {
        acc.note(Message::new(&m::CONTENTS_PADDING, &[("field", field)]));
    }
    let covered = [&ctx.file[..b], &ctx.file[c..end]];
    let signer = check_cms(ctx, &sd, &covered, field, report, acc);
    let claimed = sd.signer.attrs.signing_time.or(m_time);
    // PAdES (ETSI.CAdES.detached) forbids the attribute and uses /M; note its absence only for
    // adbe.pkcs7.detached.
    if sd.signer.attrs.signing_time.is_none()
        && sub_filter.as_deref() == Some("adbe.pkcs7.detached")
    {
        acc.note(Message::new(&m::NO_SIGNING_TIME, &[("field", field)]));
    }
    report.signing_time = claimed.map(rfc3339);
    out.claimed = claimed;
    // The signature timestamp (PAdES B-T), the best proof of existence when it verifies.
    let proof = sd.signer.timestamp_tokens.first().and_then(|token| {
        match super::timestamp::check_token(ctx, token, &[sd.signer.signature]).and_then(|t| {
            super::timestamp::check_tsa_at_gen_time(ctx, &t, &sd_certs(ctx, &sd))
                .map(|tsa| (t, tsa))
        }) {
            Ok((t, tsa)) => {
                let at = rfc3339(t.gen_time);
                acc.note(Message::new(
                    &m::TIMESTAMP_USED,
                    &[("field", field), ("tsa", &tsa), ("at", &at)],
                ));
                if t.imprint_hash.is_weak() {
                    acc.note(Message::new(
                        &m::TIMESTAMP_WEAK_IMPRINT,
                        &[("field", field), ("algorithm", t.imprint_hash.name())],
                    ));
                }
                if let Some(c) = claimed {
                    timing_notes(c, t.gen_time, field, acc);
                }
                Some(t.gen_time)
            }
            Err(w) => {
                acc.note(Message::new(
                    &m::TIMESTAMP_INVALID,
                    &[("field", field), ("detail", &w.en), ("detailVi", &w.vi)],
                ));
                None
            }
        }
    });

    // Step 7 (before the certificates: a modified document fails whatever its signer).
    check_changes(
        ctx, resolver, dict_ref, report, acc, analysis, trailing, field,
    );

    // Steps 5 and 6: the signer's certificate path and revocation.
    let Some(signer) = signer else { return };
    let base = acc.verdict;
    let options = ctx.options;
    let (time, source) = match (proof, options.at, claimed) {
        (Some(t), _, _) => (t, "timestamp"),
        (None, At::Claimed, Some(t)) => (t, "claimed"),
        _ => (options.effective_validation_time(), "validation"),
    };
    if options.at == At::Claimed && source == "claimed" {
        let at = rfc3339(time);
        acc.note(Message::new(&m::CLAIMED_TIME_ONLY, &[("at", &at)]));
    }
    report.time_used = Some(rfc3339(time));
    report.time_source = Some(source.into());
    let extra = sd_certs(ctx, &sd);
    let crls = ctx.crls_with(sd.crls.iter().chain(sd.signer.attrs.adbe_crls.iter()));
    if sd.signer.attrs.adbe_ocsp > 0 {
        let n = sd.signer.attrs.adbe_ocsp.to_string();
        acc.note(Message::new(&m::OCSP_NOT_CHECKED, &[("count", &n)]));
    }
    let (path, chain_verdict, chain_msgs, revocation) = check_certificates(
        ctx,
        &signer,
        &extra,
        &crls,
        time,
        Purpose::DocumentSigning,
        field,
    );
    if let Some(p) = &path {
        report.chain = p.certs.iter().map(|c| c.subject()).collect();
        report.trust_anchor = p.certs.last().map(|c| pki::anchor_display_name(c));
    }
    report.revocation = revocation.into();
    acc.verdict = acc.verdict.worst(chain_verdict);
    acc.messages.extend(chain_msgs);
    // Expired without proof of existence: what the verdict would be at the claimed time.
    if chain_verdict.sub == Some(SubIndication::OutOfBoundsNoPoe) && source == "validation" {
        if let Some(t) = claimed {
            let (_, v, _, _) = check_certificates(
                ctx,
                &signer,
                &extra,
                &crls,
                t,
                Purpose::DocumentSigning,
                field,
            );
            let at_claimed = base.worst(v);
            report.indication_at_claimed_time = Some(at_claimed.indication);
            let at = rfc3339(t);
            acc.note(Message::new(
                &m::VALID_AT_CLAIMED_TIME,
                &[("at", &at), ("indication", at_claimed.indication.as_str())],
            ));
        }
    }
    out.signer = Some(signer);
}

/// `signing.md` step 3 (ISO 32000-1 12.8.1): `/ByteRange` is exactly four non-negative
/// integers, starting at 0, inside the file, in order.
fn check_byte_range(dict: &Dict, len: usize, field: &str, acc: &mut Acc) -> Option<[usize; 4]> {
    let fail = |acc: &mut Acc, en: &str, vi: &str| {
        acc.fail(
            SubIndication::FormatFailure,
            Message::new(
                &m::BYTE_RANGE_INVALID,
                &[("field", field), ("detail", en), ("detailVi", vi)],
            ),
        );
        None
    };
    let Some(Object::Array(items)) = dict.get(b"ByteRange") else {
        return fail(
            acc,
            "it is missing or not a direct array",
            "thiếu hoặc không phải mảng trực tiếp",
        );
    };
    if items.len() != 4 {
        return fail(
            acc,
            &format!("it has {} numbers instead of 4", items.len()),
            &format!("có {} số thay vì 4", items.len()),
        );
    }
    let mut v = [0usize; 4];
    for (slot, item) in v.iter_mut().zip(items) {
        match item {
            Object::Integer(i) if *i >= 0 => match usize::try_from(*i) {
                Ok(u) => *slot = u,
                Err(_) => return fail(acc, "a number is too large", "có số quá lớn"),
            },
            _ => {
                return fail(
                    acc,
                    "it holds something other than non-negative integers",
                    "chứa giá trị không phải số nguyên không âm",
                )
            }
        }
    }
    let [a, b, c, d] = v;
    if a != 0 {
        return fail(acc, "it does not start at 0", "không bắt đầu từ 0");
    }
    if b == 0 || c <= b {
        return fail(
            acc,
            "its ranges are out of order or overlap",
            "các đoạn sai thứ tự hoặc chồng nhau",
        );
    }
    match c.checked_add(d) {
        Some(e) if e <= len => Some(v),
        _ => fail(
            acc,
            "it reaches past the end of the file",
            "vượt quá cuối tệp",
        ),
    }
}

fn sd_certs(ctx: &Context<'_>, sd: &SignedData<'_>) -> Vec<Certificate> {
    sd.certificates
        .iter()
        .filter_map(|raw| ctx.certificate(raw))
        .collect()
}

fn serial_norm(s: &[u8]) -> &[u8] {
    let mut s = s;
    while s.len() > 1 && s[0] == 0 {
        s = &s[1..];
    }
    s
}

/// Finds the signer's certificate by the SignerInfo's identifier among the CMS certificates,
/// the supplied intermediates and the anchors.
pub(crate) fn find_signer(ctx: &Context<'_>, sd: &SignedData<'_>) -> Option<Certificate> {
    let matches = |c: &Certificate| match sd.signer.sid {
        SignerId::IssuerSerial { issuer, serial } => {
            c.issuer_raw() == issuer && c.serial_bytes() == serial_norm(serial)
        }
        SignerId::KeyId(id) => c.subject_key_id() == Some(id),
    };
    for raw in &sd.certificates {
        if let Some(c) = ctx.certificate(raw) {
            if matches(&c) {
                return Some(c);
            }
        }
    }
    ctx.options
        .intermediates
        .iter()
        .chain(ctx.options.trust.iter())
        .find(|c| matches(c))
        .cloned()
}

/// `signing.md` step 4 (RFC 5652 5.3–5.6, RFC 5035, ETSI EN 319 142-1 5.1): one SignerInfo,
/// detached, content-type and message-digest attributes, the digest of the covered bytes, the
/// signing-certificate(-v2) attribute, the signature value, weak algorithms and keys.
fn check_cms(
    ctx: &Context<'_>,
    sd: &SignedData<'_>,
    covered: &[&[u8]; 2],
    field: &str,
    report: &mut SignatureReport,
    acc: &mut Acc,
) -> Option<Certificate> {
    if sd.signer_count != 1 {
        let n = sd.signer_count.to_string();
        acc.fail(
            SubIndication::FormatFailure,
            Message::new(&m::CMS_SIGNER_COUNT, &[("field", field), ("count", &n)]),
        );
    }
    if sd.econtent || sd.econtent_type != cms::OID_DATA {
        acc.fail(
            SubIndication::FormatFailure,
            Message::new(&m::CMS_ECONTENT, &[("field", field)]),
        );
    }
    let si = &sd.signer;
    for p in &si.attrs.problems {
        acc.fail(
            SubIndication::FormatFailure,
            Message::new(
                &m::CMS_MALFORMED,
                &[("field", field), ("detail", p), ("detailVi", p)],
            ),
        );
    }
    let hash = cms::algorithm_oid(si.digest_algorithm)
        .ok()
        .and_then(pki::hash_from_oid);
    let Some(hash) = hash else {
        acc.fail(
            SubIndication::CryptoConstraintsFailure,
            Message::new(
                &m::CMS_MALFORMED,
                &[
                    ("field", field),
                    ("detail", "unknown digest algorithm"),
                    ("detailVi", "thuật toán băm không xác định"),
                ],
            ),
        );
        return None;
    };
    report.digest_algorithm = Some(hash.name().into());
    // The covered bytes are `file[..b]` and `file[c..end]` (built so in `run`): the prefix is
    // continued from the digest of the signature before, not hashed again.
    let digest = ctx.digest(hash, &covered[..]);
    let signed_attrs = si.signed_attrs_for_verification();
    if signed_attrs.is_some() {
        if si.attrs.content_type.is_none() {
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::ATTRIBUTES_MISSING,
                    &[("field", field), ("attribute", "content-type")],
                ),
            );
        } else if si.attrs.content_type != Some(sd.econtent_type) {
            acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::CMS_MALFORMED,
                    &[
                        ("field", field),
                        (
                            "detail",
                            "the content-type attribute differs from the content type",
                        ),
                        ("detailVi", "thuộc tính content-type khác loại nội dung"),
                    ],
                ),
            );
        }
        match si.attrs.message_digest {
            None => acc.fail(
                SubIndication::FormatFailure,
                Message::new(
                    &m::ATTRIBUTES_MISSING,
                    &[("field", field), ("attribute", "message-digest")],
                ),
            ),
            Some(md) if md != digest.as_slice() => acc.fail(
                SubIndication::HashFailure,
                Message::new(&m::DIGEST_MISMATCH, &[("field", field)]),
            ),
            Some(_) => {}
        }
    }
    if hash.is_weak() {
        acc.fail(
            SubIndication::CryptoConstraintsFailure,
            Message::new(
                &m::WEAK_ALGORITHM,
                &[
                    ("what", "the digest"),
                    ("whatVi", "thuật toán băm"),
                    ("field", field),
                    ("algorithm", hash.name()),
                ],
            ),
        );
    }
    let Some(signer) = find_signer(ctx, sd) else {
        acc.fail(
            SubIndication::NoCertificateChainFound,
            Message::new(&m::SIGNER_CERT_MISSING, &[("field", field)]),
        );
        return None;
    };
    report.signer = Some(SignerReport {
        common_name: signer.common_name(),
        uid: signer.uid(),
        subject: signer.subject(),
        issuer: signer.issuer(),
        serial: signer.serial_hex(),
        sha256: signer.sha256_hex(),
    });
    // The signing-certificate(-v2) attribute, when present, names this certificate.
    match cms::signing_cert_hash(&si.attrs) {
        Ok(Some((alg, h))) => {
            let ok = pki::hash_from_oid(alg).map(|a| pki::digest(a, &[signer.der()])) == Some(h);
            if !ok {
                acc.fail(
                    SubIndication::FormatFailure,
                    Message::new(&m::SIGNING_CERTIFICATE_MISMATCH, &[("field", field)]),
                );
            }
        }
        Ok(None) => {}
        Err(e) => acc.fail(
            SubIndication::FormatFailure,
            Message::new(
                &m::CMS_MALFORMED,
                &[("field", field), ("detail", &e.0), ("detailVi", &e.0)],
            ),
        ),
    }
    let alg = spki::AlgorithmIdentifierOwned::from_der(si.signature_algorithm)
        .map_err(|e| pki::SignatureError::Unsupported {
            what: e.to_string(),
        })
        .and_then(|a| SignatureAlgorithm::from_algorithm_identifier(&a, Some(hash)));
    let alg = match alg {
        Ok(a) => a,
        Err(e) => {
            let d = e.to_string();
            acc.fail(
                SubIndication::CryptoConstraintsFailure,
                Message::new(
                    &m::SIGNATURE_INVALID,
                    &[("field", field), ("detail", &d), ("detailVi", &d)],
                ),
            );
            return Some(signer);
        }
    };
    report.signature_algorithm = Some(alg.report_name(signer.public_key()).into());
    let result = match &signed_attrs {
        Some(msg) => pki::verify_signature(signer.public_key(), alg, msg, si.signature),
        None => pki::verify_prehashed(signer.public_key(), alg, &digest, si.signature),
    };
    match result {
        Ok(()) => {}
        Err(pki::SignatureError::Invalid) => acc.fail(
            SubIndication::SigCryptoFailure,
            Message::new(
                &m::SIGNATURE_INVALID,
                &[
                    ("field", field),
                    ("detail", "invalid signature"),
                    ("detailVi", "chữ ký sai"),
                ],
            ),
        ),
        Err(e) => {
            let d = e.to_string();
            let sub = match e {
                pki::SignatureError::MalformedSignature { .. } => SubIndication::SigCryptoFailure,
                _ => SubIndication::CryptoConstraintsFailure,
            };
            acc.fail(
                sub,
                Message::new(
                    &m::SIGNATURE_INVALID,
                    &[("field", field), ("detail", &d), ("detailVi", &d)],
                ),
            );
        }
    }
    if alg_hash(alg).is_weak() {
        acc.fail(
            SubIndication::CryptoConstraintsFailure,
            Message::new(
                &m::WEAK_ALGORITHM,
                &[
                    ("what", "the signature"),
                    ("whatVi", "chữ ký"),
                    ("field", field),
                    ("algorithm", alg_hash(alg).name()),
                ],
            ),
        );
    }
    Some(signer)
}

fn alg_hash(a: SignatureAlgorithm) -> Hash {
    match a {
        SignatureAlgorithm::RsaPkcs1v15(h)
        | SignatureAlgorithm::RsaPss(h)
        | SignatureAlgorithm::Ecdsa(h) => h,
    }
}

/// `signing.md` steps 5 and 6 (RFC 5280 6.1 path validation, 6.3 CRLs) at one time: the
/// verdict of the path and its revocation, its messages, and the report's revocation word.
fn check_certificates(
    ctx: &Context<'_>,
    signer: &Certificate,
    extra: &[Certificate],
    crls: &[Crl],
    time: i64,
    purpose: Purpose,
    field: &str,
) -> (Option<CertPath>, Verdict, Vec<Message>, &'static str) {
    let mut acc = Acc {
        verdict: Verdict::PASSED,
        messages: Vec::new(),
    };
    let options = PathOptions::new(time, purpose);
    let path = match pki::build_path(signer, extra, &ctx.store, &options, &ctx.cache) {
        Ok(p) => p,
        Err(PathError::BudgetExceeded { what }) => {
            acc.fail(
                SubIndication::NoCertificateChainFound,
                Message::new(&m::PATH_BUDGET, &[("field", field), ("what", what)]),
            );
            return (None, acc.verdict, acc.messages, "NOT_CHECKED");
        }
        Err(e) => {
            let (d, dv) = (e.message(), e.message_vi());
            acc.fail(
                SubIndication::NoCertificateChainFound,
                Message::new(
                    &m::NO_CHAIN,
                    &[
                        ("field", field),
                        ("subject", &signer.subject()),
                        ("detail", &d),
                        ("detailVi", &dv),
                    ],
                ),
            );
            return (None, acc.verdict, acc.messages, "NOT_CHECKED");
        }
    };
    let at = rfc3339(time);
    for p in &path.problems {
        let subject = |i: usize| path.certs.get(i).map(|c| c.subject()).unwrap_or_default();
        match p {
            PathProblem::Expired {
                index, not_after, ..
            } => acc.fail(
                SubIndication::OutOfBoundsNoPoe,
                Message::new(
                    &m::CERT_EXPIRED,
                    &[
                        ("subject", &subject(*index)),
                        ("notAfter", &rfc3339(*not_after)),
                        ("at", &at),
                    ],
                ),
            ),
            PathProblem::NotYetValid {
                index, not_before, ..
            } => acc.fail(
                SubIndication::NotYetValid,
                Message::new(
                    &m::CERT_NOT_YET_VALID,
                    &[
                        ("subject", &subject(*index)),
                        ("notBefore", &rfc3339(*not_before)),
                        ("at", &at),
                    ],
                ),
            ),
            PathProblem::WeakAlgorithm { index, algorithm } => acc.fail(
                SubIndication::CryptoConstraintsFailure,
                Message::new(
                    &m::WEAK_ALGORITHM,
                    &[
                        ("what", &format!("the certificate {}", subject(*index))),
                        ("whatVi", &format!("chứng thư số {}", subject(*index))),
                        ("field", field),
                        ("algorithm", algorithm),
                    ],
                ),
            ),
            PathProblem::WeakKey { index, bits } => acc.fail(
                SubIndication::CryptoConstraintsFailure,
                Message::new(
                    &m::WEAK_KEY,
                    &[("subject", &subject(*index)), ("bits", &bits.to_string())],
                ),
            ),
            other => {
                let (en, vi) = problem_words(other);
                let index = other.index();
                acc.fail(
                    SubIndication::ChainConstraintsFailure,
                    Message::new(
                        &m::CHAIN_CONSTRAINTS,
                        &[
                            ("subject", &subject(index)),
                            ("detail", &en),
                            ("detailVi", &vi),
                        ],
                    ),
                );
            }
        }
    }
    // Step 6: revocation of every non-anchor certificate.
    let word = match ctx.options.revocation {
        RevocationPolicy::Off => {
            acc.note(Message::new(&m::REVOCATION_OFF, &[]));
            "NOT_CHECKED"
        }
        policy => {
            let statuses = pki::check_revocation(
                &path,
                crls,
                time,
                ctx.options.effective_validation_time(),
                &ctx.cache,
            );
            let mut word = "GOOD";
            for (i, s) in statuses.iter().enumerate() {
                let subject = path.certs.get(i).map(|c| c.subject()).unwrap_or_default();
                match s {
                    RevocationStatus::Good { .. } => {}
                    RevocationStatus::Revoked { at: when, .. } => {
                        word = "REVOKED";
                        acc.fail(
                            SubIndication::Revoked,
                            Message::new(
                                &m::CERT_REVOKED,
                                &[
                                    ("subject", &subject),
                                    ("revokedAt", &rfc3339(*when)),
                                    ("at", &at),
                                ],
                            ),
                        );
                    }
                    RevocationStatus::Unknown { reason } => {
                        if word == "GOOD" {
                            word = "UNKNOWN";
                        }
                        let (d, dv) = match reason {
                            UnknownReason::NotFresh { this_update, .. } => (
                                format!("the newest CRL (issued {}) is not usable at the time used; supply a newer CRL", rfc3339(*this_update)),
                                format!("CRL mới nhất (ban hành {}) không dùng được tại thời điểm kiểm tra; hãy cung cấp CRL mới hơn", rfc3339(*this_update)),
                            ),
                            _ => (s.message(), s.message_vi()),
                        };
                        if policy == RevocationPolicy::Require {
                            acc.fail(
                                SubIndication::TryLater,
                                Message::new(
                                    &m::REVOCATION_MISSING,
                                    &[("subject", &subject), ("detail", &d), ("detailVi", &dv)],
                                ),
                            );
                        } else {
                            acc.note(Message::new(
                                &m::REVOCATION_UNCHECKED,
                                &[("subject", &subject), ("detail", &d), ("detailVi", &dv)],
                            ));
                        }
                    }
                }
            }
            word
        }
    };
    (Some(path), acc.verdict, acc.messages, word)
}

fn problem_words(p: &PathProblem) -> (String, String) {
    match p {
        PathProblem::SignerKeyUsage { .. } => (
            "a signer's certificate needs the key usage digitalSignature or nonRepudiation, and no keyCertSign".into(),
            "chứng thư số của người ký phải có mục đích digitalSignature hoặc nonRepudiation và không có keyCertSign".into(),
        ),
        PathProblem::CaAsSigner => (
            "it is a CA certificate used to sign a document".into(),
            "đây là chứng thư số của CA nhưng được dùng để ký tài liệu".into(),
        ),
        PathProblem::CaKeyUsage { .. } => (
            "a CA certificate without the key usage keyCertSign issued a certificate".into(),
            "chứng thư số CA không có mục đích keyCertSign nhưng đã cấp chứng thư".into(),
        ),
        PathProblem::NotCa { .. } => (
            "a certificate that is not a CA (basic constraints) issued a certificate".into(),
            "chứng thư số không phải CA (basic constraints) nhưng đã cấp chứng thư".into(),
        ),
        PathProblem::PathLength { .. } => (
            "the path is longer than a CA's path length constraint allows".into(),
            "đường dẫn dài hơn giới hạn pathLen của CA".into(),
        ),
        PathProblem::UnknownCriticalExtension { oid, .. } => (
            format!("it has a critical extension {oid} that is not understood"),
            format!("có phần mở rộng bắt buộc {oid} không được hỗ trợ"),
        ),
        PathProblem::MissingTimeStampingEku { .. } => (
            "a timestamping authority's certificate needs the extended key usage timeStamping".into(),
            "chứng thư số của đơn vị cấp dấu thời gian phải có mục đích timeStamping".into(),
        ),
        other => (other.message(), other.message_vi()),
    }
}

/// `signing.md` step 7 and step 1's trailing bytes (ISO 32000-1 12.8.2.2 for DocMDP): changes
/// after the signed revision.
#[allow(clippy::too_many_arguments)]
fn check_changes(
    ctx: &Context<'_>,
    resolver: &Resolver<'_>,
    dict_ref: ObjRef,
    report: &mut SignatureReport,
    acc: &mut Acc,
    analysis: &Analysis<'_, '_>,
    trailing: Option<(usize, usize)>,
    field: &str,
) {
    let _ = ctx;
    if let Some((start, len)) = trailing {
        report.modified_after = "OTHER".into();
        acc.fail(
            SubIndication::ModifiedAfterSigning,
            Message::new(
                &m::TRAILING_DATA,
                &[("length", &len.to_string()), ("offset", &start.to_string())],
            ),
        );
    }
    let Some(r) = report.revision else { return };
    if r == resolver.revision_count() {
        return;
    }
    let result = analysis.after(r);
    if report.modified_after != "OTHER" {
        report.modified_after = if result.changed.is_empty() {
            "SIGNING"
        } else {
            "OTHER"
        }
        .into();
    }
    if result.metadata_updated {
        acc.note(Message::new(&m::METADATA_UPDATED, &[("field", field)]));
    }
    if !result.changed.is_empty() {
        let by_rev = result
            .changed
            .iter()
            .map(|c| c.revision)
            .max()
            .unwrap_or(r + 1);
        let (en, vi) = Analysis::describe(&result.changed, result.total);
        acc.fail(
            SubIndication::ModifiedAfterSigning,
            Message::new(
                &m::MODIFIED_AFTER_SIGNING,
                &[
                    ("revision", &by_rev.to_string()),
                    ("field", field),
                    ("changes", &en),
                    ("changesVi", &vi),
                ],
            ),
        );
        report.changed_objects = result.changed.clone();
    }
    // DocMDP (ISO 32000-1 12.8.2.2) of a certification signature.
    if let Some(p) = analysis.docmdp_p(dict_ref, r) {
        if p == 1 {
            let next = (r + 1).to_string();
            acc.fail(
                SubIndication::ModifiedAfterSigning,
                Message::new(
                    &m::DOCMDP_VIOLATION,
                    &[
                        ("revision", &next),
                        ("field", field),
                        ("p", "1"),
                        ("changes", "any change is forbidden"),
                        ("changesVi", "mọi thay đổi đều bị cấm"),
                    ],
                ),
            );
        }
    }
}

/// Notes on a claimed time against a timestamp's (signing.md, real files): local time written as
/// UTC (seven hours ahead of the token), or a token slightly earlier than the claim. Neither
/// makes a signature invalid.
fn timing_notes(claimed: i64, gen_time: i64, field: &str, acc: &mut Acc) {
    let ahead = claimed - gen_time;
    if (7 * 3600 - 900..=7 * 3600 + 900).contains(&ahead) {
        acc.note(Message::new(
            &m::CLAIMED_TIME_LOCAL,
            &[
                ("field", field),
                ("claimed", &rfc3339(claimed)),
                ("at", &rfc3339(gen_time)),
            ],
        ));
    } else if ahead > 0 {
        acc.note(Message::new(
            &m::TIMESTAMP_BEFORE_CLAIMED,
            &[
                ("field", field),
                ("claimed", &rfc3339(claimed)),
                ("at", &rfc3339(gen_time)),
            ],
        ));
    }
}

/// A document timestamp (`/ETSI.RFC3161`, ISO 32000-2 12.8.5): the token stamps the covered
/// bytes; its TSA is judged like a signer (timeStamping purpose) at the validation time.
fn check_document_timestamp(
    ctx: &Context<'_>,
    token: &[u8],
    covered: [&[u8]; 2],
    field: &str,
    report: &mut SignatureReport,
    acc: &mut Acc,
) {
    let t = match super::timestamp::check_token(ctx, token, &covered) {
        Ok(t) => t,
        Err(w) => {
            use super::timestamp::Fault;
            let sub = match w.fault {
                Fault::Imprint => SubIndication::HashFailure,
                Fault::Signature => SubIndication::SigCryptoFailure,
                Fault::Certificate => SubIndication::NoCertificateChainFound,
                Fault::Format => SubIndication::FormatFailure,
            };
            acc.fail(
                sub,
                Message::new(
                    &m::TIMESTAMP_INVALID,
                    &[("field", field), ("detail", &w.en), ("detailVi", &w.vi)],
                ),
            );
            return;
        }
    };
    report.digest_algorithm = Some(t.imprint_hash.name().into());
    report.signing_time = Some(rfc3339(t.gen_time));
    report.signer = Some(SignerReport {
        common_name: t.tsa.common_name(),
        uid: t.tsa.uid(),
        subject: t.tsa.subject(),
        issuer: t.tsa.issuer(),
        serial: t.tsa.serial_hex(),
        sha256: t.tsa.sha256_hex(),
    });
    if t.imprint_hash.is_weak() {
        acc.note(Message::new(
            &m::TIMESTAMP_WEAK_IMPRINT,
            &[("field", field), ("algorithm", t.imprint_hash.name())],
        ));
    }
    let time = ctx.options.effective_validation_time();
    report.time_used = Some(rfc3339(time));
    report.time_source = Some("validation".into());
    let crls = ctx.crls_with(std::iter::empty());
    let (path, verdict, msgs, revocation) = check_certificates(
        ctx,
        &t.tsa,
        &t.certificates,
        &crls,
        time,
        Purpose::TimeStamping,
        field,
    );
    if let Some(p) = &path {
        report.chain = p.certs.iter().map(|c| c.subject()).collect();
        report.trust_anchor = p.certs.last().map(|c| pki::anchor_display_name(c));
    }
    report.revocation = revocation.into();
    acc.verdict = acc.verdict.worst(verdict);
    acc.messages.extend(msgs);
}
