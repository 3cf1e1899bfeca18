//! Certificate path building and validation (*xây dựng chuỗi chứng thực*), a subset of
//! RFC 5280 §6 in the style of rustls-webpki: candidates by name and key identifier, accepted only
//! when their key verifies the child's signature, depth-first, bounded by budgets.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::cache::SignatureCache;
use super::cert::{Certificate, KeyUsage};

/// Positions of certificates by a key (subject DER or key identifier).
type Index = HashMap<Vec<u8>, Vec<usize>>;

/// What the end-entity certificate is used for (*mục đích*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Signing a document (PAdES signature): key usage digitalSignature or nonRepudiation, not a
    /// CA, no keyCertSign (`signing.md`, step 5).
    DocumentSigning,
    /// Signing RFC 3161 timestamps (*dấu thời gian*): extended key usage id-kp-timeStamping.
    TimeStamping,
}

/// Inputs of [`build_path`] besides the certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathOptions {
    /// The time at which validity is judged, Unix seconds UTC (the core never reads the clock).
    pub time: i64,
    /// What the leaf is used for.
    pub purpose: Purpose,
    /// The most issuer candidates considered in one call (default 64).
    pub max_candidates: usize,
    /// The most issuers above the leaf (intermediates and anchor) in a path (default 8).
    pub max_depth: usize,
    /// The most signature checks (cached or not) in one call (default 64).
    pub max_signature_checks: usize,
}

impl PathOptions {
    /// Options with the default budgets.
    pub fn new(time: i64, purpose: Purpose) -> Self {
        PathOptions {
            time,
            purpose,
            max_candidates: 64,
            max_depth: 8,
            max_signature_checks: 64,
        }
    }
}

/// Trust anchors (*chứng thư số gốc tin cậy*) and known intermediate certificates, indexed by
/// subject name and subject key identifier.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Arc<Certificate>>,
    intermediates: Vec<Arc<Certificate>>,
    anchor_hashes: HashSet<[u8; 32]>,
    anchors_by_subject: HashMap<Vec<u8>, Vec<usize>>,
    anchors_by_ski: HashMap<Vec<u8>, Vec<usize>>,
    intermediates_by_subject: HashMap<Vec<u8>, Vec<usize>>,
    intermediates_by_ski: HashMap<Vec<u8>, Vec<usize>>,
}

fn index(certs: &[Arc<Certificate>]) -> (Index, Index) {
    let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    let mut by_ski: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    for (i, c) in certs.iter().enumerate() {
        by_subject
            .entry(c.subject_raw().to_vec())
            .or_default()
            .push(i);
        if let Some(ski) = c.subject_key_id() {
            by_ski.entry(ski.to_vec()).or_default().push(i);
        }
    }
    (by_subject, by_ski)
}

impl TrustStore {
    /// A store of `anchors` and `intermediates` (duplicates removed; an intermediate byte-equal to
    /// an anchor is the anchor).
    pub fn new(anchors: Vec<Certificate>, intermediates: Vec<Certificate>) -> Self {
        let mut anchor_hashes = HashSet::new();
        let anchors: Vec<Arc<Certificate>> = anchors
            .into_iter()
            .filter(|c| anchor_hashes.insert(c.sha256()))
            .map(Arc::new)
            .collect();
        let mut seen = anchor_hashes.clone();
        let intermediates: Vec<Arc<Certificate>> = intermediates
            .into_iter()
            .filter(|c| seen.insert(c.sha256()))
            .map(Arc::new)
            .collect();
        let (anchors_by_subject, anchors_by_ski) = index(&anchors);
        let (intermediates_by_subject, intermediates_by_ski) = index(&intermediates);
        TrustStore {
            anchors,
            intermediates,
            anchor_hashes,
            anchors_by_subject,
            anchors_by_ski,
            intermediates_by_subject,
            intermediates_by_ski,
        }
    }

    /// The trust anchors, in input order.
    pub fn anchors(&self) -> &[Arc<Certificate>] {
        &self.anchors
    }

    /// The intermediates, in input order.
    pub fn intermediates(&self) -> &[Arc<Certificate>] {
        &self.intermediates
    }

    /// Whether `cert` is byte-equal to a trust anchor.
    pub fn is_anchor(&self, cert: &Certificate) -> bool {
        self.anchor_hashes.contains(&cert.sha256())
    }

    /// Anchors whose subject is `name_der` or whose subject key identifier is `key_id`, in input
    /// order.
    pub fn anchors_for(&self, name_der: &[u8], key_id: Option<&[u8]>) -> Vec<Arc<Certificate>> {
        lookup(
            &self.anchors,
            &self.anchors_by_subject,
            &self.anchors_by_ski,
            name_der,
            key_id,
        )
    }

    /// Intermediates whose subject is `name_der` or whose subject key identifier is `key_id`.
    pub fn intermediates_for(
        &self,
        name_der: &[u8],
        key_id: Option<&[u8]>,
    ) -> Vec<Arc<Certificate>> {
        lookup(
            &self.intermediates,
            &self.intermediates_by_subject,
            &self.intermediates_by_ski,
            name_der,
            key_id,
        )
    }
}

fn lookup(
    certs: &[Arc<Certificate>],
    by_subject: &HashMap<Vec<u8>, Vec<usize>>,
    by_ski: &HashMap<Vec<u8>, Vec<usize>>,
    name_der: &[u8],
    key_id: Option<&[u8]>,
) -> Vec<Arc<Certificate>> {
    let mut idx: Vec<usize> = by_subject.get(name_der).cloned().unwrap_or_default();
    if let Some(k) = key_id.and_then(|k| by_ski.get(k)) {
        idx.extend(k);
    }
    idx.sort_unstable();
    idx.dedup();
    idx.into_iter()
        .filter_map(|i| certs.get(i).cloned())
        .collect()
}

/// A certification path, leaf first and trust anchor last, with what is wrong with it at the
/// time it was judged ([`PathOptions::time`]).
#[derive(Debug, Clone)]
pub struct CertPath {
    /// The certificates, leaf first, the trust anchor last.
    pub certs: Vec<Arc<Certificate>>,
    /// The problems found (empty for a valid path).
    pub problems: Vec<PathProblem>,
}

impl CertPath {
    /// The end-entity certificate.
    pub fn leaf(&self) -> Option<&Arc<Certificate>> {
        self.certs.first()
    }

    /// The trust anchor.
    pub fn anchor(&self) -> Option<&Arc<Certificate>> {
        self.certs.last()
    }

    /// Every certificate but the anchor, leaf first (those whose validity, algorithms and
    /// revocation are judged).
    pub fn non_anchor(&self) -> &[Arc<Certificate>] {
        let n = self.certs.len().saturating_sub(1);
        self.certs.get(..n).unwrap_or_default()
    }

    /// The subject (RFC 4514) of the certificate a problem is about.
    pub fn problem_subject(&self, problem: &PathProblem) -> Option<String> {
        self.certs.get(problem.index()).map(|c| c.subject())
    }

    /// No problems.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What is wrong with a complete path (each names the certificate by its index in
/// [`CertPath::certs`], 0 being the leaf).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathProblem {
    /// The certificate expired before the time (*hết hạn*): `OUT_OF_BOUNDS_NO_POE`.
    Expired {
        /// Index in the path.
        index: usize,
        /// Its notAfter.
        not_after: i64,
        /// The time judged.
        at: i64,
    },
    /// The certificate is not valid yet at the time (*chưa có hiệu lực*): `NOT_YET_VALID`.
    NotYetValid {
        /// Index in the path.
        index: usize,
        /// Its notBefore.
        not_before: i64,
        /// The time judged.
        at: i64,
    },
    /// The signer's key usage allows neither digitalSignature nor nonRepudiation, is missing,
    /// or includes keyCertSign.
    SignerKeyUsage {
        /// Index in the path (0).
        index: usize,
        /// The key usage found (`None`: no extension).
        key_usage: Option<KeyUsage>,
    },
    /// The signer's certificate (index 0) is a CA certificate (basic constraints CA:true).
    CaAsSigner,
    /// A CA certificate's key usage lacks keyCertSign.
    CaKeyUsage {
        /// Index in the path.
        index: usize,
    },
    /// An issuer certificate is not a CA (no basic constraints CA:true).
    NotCa {
        /// Index in the path.
        index: usize,
    },
    /// More non-self-issued intermediates follow a CA than its pathLenConstraint allows.
    PathLength {
        /// Index of the CA whose constraint is broken.
        index: usize,
    },
    /// A critical extension this library does not process.
    UnknownCriticalExtension {
        /// Index in the path.
        index: usize,
        /// The extension's dotted OID.
        oid: String,
    },
    /// A certificate (not the anchor) is signed with SHA-1 or MD5.
    WeakAlgorithm {
        /// Index in the path.
        index: usize,
        /// E.g. `rsa-pkcs1v15 with sha1`.
        algorithm: String,
    },
    /// A certificate (not the anchor) has an RSA key under 2048 bits.
    WeakKey {
        /// Index in the path.
        index: usize,
        /// The modulus length.
        bits: usize,
    },
    /// [`Purpose::TimeStamping`]: the leaf lacks extended key usage id-kp-timeStamping.
    MissingTimeStampingEku {
        /// Index in the path (0).
        index: usize,
    },
}

impl PathProblem {
    /// The index of the certificate concerned in [`CertPath::certs`].
    pub fn index(&self) -> usize {
        match self {
            PathProblem::Expired { index, .. }
            | PathProblem::NotYetValid { index, .. }
            | PathProblem::SignerKeyUsage { index, .. }
            | PathProblem::CaKeyUsage { index }
            | PathProblem::NotCa { index }
            | PathProblem::PathLength { index }
            | PathProblem::UnknownCriticalExtension { index, .. }
            | PathProblem::WeakAlgorithm { index, .. }
            | PathProblem::WeakKey { index, .. }
            | PathProblem::MissingTimeStampingEku { index } => *index,
            PathProblem::CaAsSigner => 0,
        }
    }

    /// The ETSI sub-indication of `signing.md` "Indications": `OUT_OF_BOUNDS_NO_POE`,
    /// `NOT_YET_VALID`, `CRYPTO_CONSTRAINTS_FAILURE` or `CHAIN_CONSTRAINTS_FAILURE`.
    pub fn sub_indication(&self) -> &'static str {
        match self {
            PathProblem::Expired { .. } => "OUT_OF_BOUNDS_NO_POE",
            PathProblem::NotYetValid { .. } => "NOT_YET_VALID",
            PathProblem::WeakAlgorithm { .. } | PathProblem::WeakKey { .. } => {
                "CRYPTO_CONSTRAINTS_FAILURE"
            }
            _ => "CHAIN_CONSTRAINTS_FAILURE",
        }
    }

    /// The message in English.
    pub fn message(&self) -> String {
        let who = |i: usize| {
            if i == 0 {
                "the signer's certificate".to_owned()
            } else {
                format!("certificate {i} of the path (0 = signer)")
            }
        };
        match self {
            PathProblem::Expired { index, not_after, at } => {
                format!("{} expired at {not_after}, before {at} (Unix time)", who(*index))
            }
            PathProblem::NotYetValid { index, not_before, at } => format!(
                "{} is valid only from {not_before}, after {at} (Unix time)",
                who(*index)
            ),
            PathProblem::SignerKeyUsage { key_usage: None, .. } => {
                "the signer's certificate has no key usage; digitalSignature or nonRepudiation is required".to_owned()
            }
            PathProblem::SignerKeyUsage { .. } => "the signer's key usage must include digitalSignature or nonRepudiation and not keyCertSign".to_owned(),
            PathProblem::CaAsSigner => {
                "the signer's certificate is a CA certificate".to_owned()
            }
            PathProblem::CaKeyUsage { index } => {
                format!("{} is a CA without key usage keyCertSign", who(*index))
            }
            PathProblem::NotCa { index } => {
                format!("{} issues certificates but is not a CA", who(*index))
            }
            PathProblem::PathLength { index } => {
                format!("{} allows fewer intermediate CAs below it (path length)", who(*index))
            }
            PathProblem::UnknownCriticalExtension { index, oid } => {
                format!("{} has a critical extension {oid} that is not understood", who(*index))
            }
            PathProblem::WeakAlgorithm { index, algorithm } => {
                format!("{} is signed with a weak algorithm ({algorithm})", who(*index))
            }
            PathProblem::WeakKey { index, bits } => {
                format!("{} has a weak RSA-{bits} key (at least 2048 bits required)", who(*index))
            }
            PathProblem::MissingTimeStampingEku { .. } => {
                "the timestamp authority's certificate lacks extended key usage timeStamping"
                    .to_owned()
            }
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        let who = |i: usize| {
            if i == 0 {
                "chứng thư số của người ký".to_owned()
            } else {
                format!("chứng thư số thứ {i} trong chuỗi (0 = người ký)")
            }
        };
        match self {
            PathProblem::Expired { index, not_after, at } => {
                format!("{} đã hết hạn lúc {not_after}, trước {at} (giờ Unix)", who(*index))
            }
            PathProblem::NotYetValid { index, not_before, at } => format!(
                "{} chỉ có hiệu lực từ {not_before}, sau {at} (giờ Unix)",
                who(*index)
            ),
            PathProblem::SignerKeyUsage { key_usage: None, .. } => "chứng thư số của người ký không có mục đích sử dụng khóa; cần digitalSignature hoặc nonRepudiation".to_owned(),
            PathProblem::SignerKeyUsage { .. } => "mục đích sử dụng khóa của người ký phải có digitalSignature hoặc nonRepudiation và không có keyCertSign".to_owned(),
            PathProblem::CaAsSigner => {
                "chứng thư số của người ký là chứng thư số của tổ chức chứng thực (CA)".to_owned()
            }
            PathProblem::CaKeyUsage { index } => {
                format!("{} là CA nhưng không có mục đích keyCertSign", who(*index))
            }
            PathProblem::NotCa { index } => {
                format!("{} cấp chứng thư số nhưng không phải là CA", who(*index))
            }
            PathProblem::PathLength { index } => {
                format!("{} vượt giới hạn độ dài chuỗi (pathLenConstraint)", who(*index))
            }
            PathProblem::UnknownCriticalExtension { index, oid } => {
                format!("{} có phần mở rộng bắt buộc {oid} không được hỗ trợ", who(*index))
            }
            PathProblem::WeakAlgorithm { index, algorithm } => {
                format!("{} được ký bằng thuật toán yếu ({algorithm})", who(*index))
            }
            PathProblem::WeakKey { index, bits } => {
                format!("{} dùng khóa RSA-{bits} yếu (cần ít nhất 2048 bit)", who(*index))
            }
            PathProblem::MissingTimeStampingEku { .. } => {
                "chứng thư số của đơn vị cấp dấu thời gian không có mục đích timeStamping"
                    .to_owned()
            }
        }
    }
}

/// Why no path to a trust anchor was found, the most specific reason among the candidates tried.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoChainReason {
    /// No certificate with the issuer's name (or key identifier) was supplied.
    IssuerNotFound {
        /// The issuer name sought (RFC 4514).
        issuer: String,
    },
    /// A certificate with the issuer's name was found but its key does not verify the signature
    /// (an impostor CA, or a damaged certificate).
    SignatureInvalid {
        /// The subject of the candidate whose key failed.
        issuer: String,
    },
    /// The path ends at a self-issued certificate that is not a trust anchor.
    UntrustedRoot {
        /// Its subject.
        root: String,
    },
    /// Paths longer than [`PathOptions::max_depth`] were cut.
    DepthExceeded,
}

impl NoChainReason {
    fn rank(&self) -> u8 {
        match self {
            NoChainReason::SignatureInvalid { .. } => 3,
            NoChainReason::UntrustedRoot { .. } => 2,
            NoChainReason::DepthExceeded => 1,
            NoChainReason::IssuerNotFound { .. } => 0,
        }
    }
}

/// Why [`build_path`] found no complete path (`NO_CERTIFICATE_CHAIN_FOUND`), or gave up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// No path from the leaf to a trust anchor.
    #[error(
        "no certificate chain to a trust anchor for {leaf_subject}: {}",
        reason_text(reason)
    )]
    NoChain {
        /// The leaf's subject.
        leaf_subject: String,
        /// The most specific reason.
        reason: NoChainReason,
    },
    /// A work budget of [`PathOptions`] was exhausted before any complete path was found.
    #[error("certificate path building gave up: too many {what}")]
    BudgetExceeded {
        /// Which budget: `issuer candidates`, `signature checks`.
        what: &'static str,
    },
}

fn reason_text(reason: &NoChainReason) -> String {
    match reason {
        NoChainReason::IssuerNotFound { issuer } => {
            format!("the issuer {issuer} was not supplied and is not a trust anchor")
        }
        NoChainReason::SignatureInvalid { issuer } => {
            format!("{issuer} has the issuer's name but its key does not verify the signature")
        }
        NoChainReason::UntrustedRoot { root } => format!("the root {root} is not trusted"),
        NoChainReason::DepthExceeded => "the path is too long".to_owned(),
    }
}

impl PathError {
    /// The message in English.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            PathError::NoChain {
                leaf_subject,
                reason,
            } => {
                let why = match reason {
                    NoChainReason::IssuerNotFound { issuer } => format!(
                        "không có chứng thư số của tổ chức cấp {issuer}; hãy cung cấp chứng thư số trung gian hoặc chứng thư số gốc"
                    ),
                    NoChainReason::SignatureInvalid { issuer } => format!(
                        "{issuer} trùng tên tổ chức cấp nhưng khóa của nó không xác thực được chữ ký"
                    ),
                    NoChainReason::UntrustedRoot { root } => {
                        format!("chứng thư số gốc {root} không nằm trong danh sách tin cậy")
                    }
                    NoChainReason::DepthExceeded => "chuỗi chứng thực quá dài".to_owned(),
                };
                format!("không xây dựng được chuỗi chứng thực tới chứng thư số gốc tin cậy cho {leaf_subject}: {why}")
            }
            PathError::BudgetExceeded { what } => {
                format!("dừng xây dựng chuỗi chứng thực: vượt giới hạn ({what})")
            }
        }
    }
}

/// Builds the path from `leaf` to a trust anchor of `store`, with `extra` certificates (those of
/// the CMS) and the store's intermediates as possible intermediates, and judges it at
/// `opts.time` for `opts.purpose`.
///
/// Candidates for the issuer of a certificate C are the certificates whose subject DER equals
/// C's issuer DER, or whose subject key identifier equals C's authority key identifier (some
/// Vietnamese roots spell their name differently in different places); a candidate whose key
/// identifier differs from C's authority key identifier is skipped without a signature check.
/// Candidates are tried anchors first, then `extra`, then the store's intermediates (input
/// order), and accepted only when their key verifies C's signature (through `cache`). A
/// certificate byte-equal to an anchor is the anchor; the anchor's own validity, signature and
/// key are not judged. No certificate appears twice in a path.
///
/// The first complete path without problems is returned; otherwise the complete path with the
/// fewest problems (the first found among equals). Without any complete path:
/// [`PathError::NoChain`] with the most specific reason (a candidate whose signature failed, then
/// an untrusted root, then a cut depth, then a missing issuer). When a budget runs out, the best
/// complete path found so far is returned, or else [`PathError::BudgetExceeded`].
pub fn build_path(
    leaf: &Certificate,
    extra: &[Certificate],
    store: &TrustStore,
    opts: &PathOptions,
    cache: &SignatureCache,
) -> Result<CertPath, PathError> {
    let leaf = Arc::new(leaf.clone());
    if store.is_anchor(&leaf) {
        let certs = vec![leaf];
        let problems = evaluate(&certs, opts);
        return Ok(CertPath { certs, problems });
    }
    let mut search = Search {
        store,
        extra: extra.iter().cloned().map(Arc::new).collect(),
        opts,
        cache,
        candidates: 0,
        signature_checks: 0,
        best: None,
        reason: None,
    };
    let mut chain = vec![leaf.clone()];
    let outcome = search.extend(&mut chain);
    match (search.best, outcome) {
        (Some(best), _) => Ok(best),
        (None, Err(what)) => Err(PathError::BudgetExceeded { what }),
        (None, Ok(_)) => Err(PathError::NoChain {
            leaf_subject: leaf.subject(),
            reason: search.reason.unwrap_or(NoChainReason::IssuerNotFound {
                issuer: leaf.issuer(),
            }),
        }),
    }
}

struct Search<'a> {
    store: &'a TrustStore,
    extra: Vec<Arc<Certificate>>,
    opts: &'a PathOptions,
    cache: &'a SignatureCache,
    candidates: usize,
    signature_checks: usize,
    best: Option<CertPath>,
    reason: Option<NoChainReason>,
}

impl Search<'_> {
    fn note(&mut self, reason: NoChainReason) {
        if self
            .reason
            .as_ref()
            .is_none_or(|current| reason.rank() > current.rank())
        {
            self.reason = Some(reason);
        }
    }

    /// Candidates for the issuer of `child`: (certificate, is an anchor), anchors first.
    fn issuers_of(&self, child: &Certificate) -> Vec<(Arc<Certificate>, bool)> {
        let name = child.issuer_raw();
        let aki = child.authority_key_id();
        let matches = |c: &Certificate| {
            let key_id_ok = match (aki, c.subject_key_id()) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            };
            key_id_ok && (c.subject_raw() == name || aki.is_some() && c.subject_key_id() == aki)
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for c in self.store.anchors_for(name, aki) {
            if matches(&c) && seen.insert(c.sha256()) {
                out.push((c, true));
            }
        }
        let extra = self.extra.iter().filter(|c| matches(c)).cloned();
        for c in extra.chain(self.store.intermediates_for(name, aki)) {
            if matches(&c) && !self.store.is_anchor(&c) && seen.insert(c.sha256()) {
                out.push((c, false));
            }
        }
        out
    }

    /// Depth-first extension of `chain`; `Ok(true)` when a path without problems was found,
    /// `Err(budget)` when a budget ran out.
    fn extend(&mut self, chain: &mut Vec<Arc<Certificate>>) -> Result<bool, &'static str> {
        let Some(child) = chain.last().cloned() else {
            return Ok(false);
        };
        if child.is_self_issued() {
            // A self-signed certificate that is not an anchor is an untrusted root: its issuer
            // is itself, and other certificates of the same name are not looked for.
            self.signature_checks += 1;
            if self.signature_checks > self.opts.max_signature_checks {
                return Err("signature checks");
            }
            if self.cache.verify_cert_signature(&child, &child) {
                self.note(NoChainReason::UntrustedRoot {
                    root: child.subject(),
                });
                return Ok(false);
            }
        }
        let in_chain: HashSet<[u8; 32]> = chain.iter().map(|c| c.sha256()).collect();
        let candidates: Vec<_> = self
            .issuers_of(&child)
            .into_iter()
            .filter(|(c, _)| !in_chain.contains(&c.sha256()))
            .collect();
        if candidates.is_empty() {
            self.note(if child.is_self_issued() {
                NoChainReason::UntrustedRoot {
                    root: child.subject(),
                }
            } else {
                NoChainReason::IssuerNotFound {
                    issuer: child.issuer(),
                }
            });
            return Ok(false);
        }
        if chain.len() > self.opts.max_depth {
            self.note(NoChainReason::DepthExceeded);
            return Ok(false);
        }
        for (candidate, is_anchor) in candidates {
            self.candidates += 1;
            if self.candidates > self.opts.max_candidates {
                return Err("issuer candidates");
            }
            self.signature_checks += 1;
            if self.signature_checks > self.opts.max_signature_checks {
                return Err("signature checks");
            }
            if !self.cache.verify_cert_signature(&candidate, &child) {
                self.note(NoChainReason::SignatureInvalid {
                    issuer: candidate.subject(),
                });
                continue;
            }
            chain.push(candidate);
            let done = if is_anchor {
                let problems = evaluate(chain, self.opts);
                let perfect = problems.is_empty();
                if self
                    .best
                    .as_ref()
                    .is_none_or(|b| problems.len() < b.problems.len())
                {
                    self.best = Some(CertPath {
                        certs: chain.clone(),
                        problems,
                    });
                }
                perfect
            } else {
                self.extend(chain)?
            };
            chain.pop();
            if done {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The problems of a complete path (anchor last) at `opts.time` (RFC 5280 §6.1.3–6.1.4 subset
/// and `signing.md` step 5).
fn evaluate(certs: &[Arc<Certificate>], opts: &PathOptions) -> Vec<PathProblem> {
    let mut problems = Vec::new();
    let at = opts.time;
    let n = certs.len();
    let non_anchor = n.saturating_sub(1);
    for (index, cert) in certs.iter().enumerate().take(non_anchor) {
        check_validity(index, cert, at, &mut problems);
        for oid in cert.unknown_critical_extensions() {
            problems.push(PathProblem::UnknownCriticalExtension { index, oid });
        }
        if let (Ok(alg), Some(issuer)) = (cert.signature_algorithm(), certs.get(index + 1)) {
            if alg.hash().is_weak() {
                problems.push(PathProblem::WeakAlgorithm {
                    index,
                    algorithm: format!(
                        "{} with {}",
                        alg.report_name(issuer.public_key()),
                        alg.hash().name()
                    ),
                });
            }
        }
        if cert.public_key().is_weak() {
            problems.push(PathProblem::WeakKey {
                index,
                bits: cert.public_key().bits(),
            });
        }
        if index == 0 {
            check_leaf(cert, opts.purpose, &mut problems);
        } else {
            check_ca(index, certs, &mut problems);
        }
    }
    if n == 1 {
        // The leaf is itself an anchor: only its use is judged.
        if let Some(leaf) = certs.first() {
            check_leaf(leaf, opts.purpose, &mut problems);
        }
    }
    problems
}

/// RFC 5280 §6.1.3 (a)(2): the validity period contains the time.
fn check_validity(index: usize, cert: &Certificate, at: i64, problems: &mut Vec<PathProblem>) {
    if at < cert.not_before() {
        problems.push(PathProblem::NotYetValid {
            index,
            not_before: cert.not_before(),
            at,
        });
    }
    if at > cert.not_after() {
        problems.push(PathProblem::Expired {
            index,
            not_after: cert.not_after(),
            at,
        });
    }
}

/// The signer (`signing.md` step 5) or the TSA (RFC 3161 §2.3).
fn check_leaf(cert: &Certificate, purpose: Purpose, problems: &mut Vec<PathProblem>) {
    if cert.is_ca() {
        problems.push(PathProblem::CaAsSigner);
    }
    let ku = cert.key_usage();
    let ku_bad = match ku {
        Some(k) => !(k.digital_signature || k.non_repudiation) || k.key_cert_sign,
        // hocba's policy: a document signer must say digitalSignature or nonRepudiation;
        // RFC 3161 asks nothing of a TSA's key usage.
        None => purpose == Purpose::DocumentSigning,
    };
    if ku_bad {
        problems.push(PathProblem::SignerKeyUsage {
            index: 0,
            key_usage: ku,
        });
    }
    if purpose == Purpose::TimeStamping && !cert.has_eku_time_stamping() {
        problems.push(PathProblem::MissingTimeStampingEku { index: 0 });
    }
}

/// RFC 5280 §6.1.4 (k), (l), (m), (n) for the issuer at `index` (not the anchor).
fn check_ca(index: usize, certs: &[Arc<Certificate>], problems: &mut Vec<PathProblem>) {
    let Some(cert) = certs.get(index) else {
        return;
    };
    let bc = cert.basic_constraints();
    if !bc.is_some_and(|b| b.ca) {
        problems.push(PathProblem::NotCa { index });
    }
    if cert.key_usage().is_some_and(|k| !k.key_cert_sign) {
        problems.push(PathProblem::CaKeyUsage { index });
    }
    if let Some(limit) = bc.and_then(|b| b.path_len) {
        let below = certs
            .get(1..index)
            .unwrap_or_default()
            .iter()
            .filter(|c| !c.is_self_issued())
            .count();
        if below > limit as usize {
            problems.push(PathProblem::PathLength { index });
        }
    }
}
