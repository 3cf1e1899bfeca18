//! Document checks of profile `hocba` (`signing.md`, "Document checks"): the embedded record,
//! the roles and their order, the signers' names, the seal.

use super::fields::{self, Found};
use super::identity::{compare_names, Identity};
use super::messages as m;
use super::report::{DocumentReport, Message, RolesReport, SubIndication, Verdict};
use super::signature::Checked;
use super::time::date_vn;
use super::{Context, ProfilePolicy, SealPolicy};
use crate::model::{Record, SchoolKind};
use crate::pdf::revisions::Resolver;
use crate::pdf::syntax::Object;
use crate::pdf::EMBEDDED_FILE_NAME;
use std::rc::Rc;

/// The profile used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    Hocba,
    Generic,
}

impl Profile {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Profile::Hocba => "hocba",
            Profile::Generic => "generic",
        }
    }
}

const HB_NAMESPACE: &[u8] = b"urn:hocba:pdfa:1#";

/// `auto`: `hocba` when any revision embeds `hocba.xml`, carries `hb:` XMP, or has both `GVCN`
/// and `HT` fields — so a record whose XML was stripped never passes as a generic PDF.
///
/// The revisions looked at are `revisions` (the original, the signed ones and the last: where a
/// record's data must be), so a file of 10,000 revisions is not read 10,000 times.
pub(crate) fn choose_profile(
    resolver: &Resolver<'_>,
    found: &Found,
    policy: ProfilePolicy,
    revisions: &[usize],
) -> Profile {
    match policy {
        ProfilePolicy::Hocba => return Profile::Hocba,
        ProfilePolicy::Generic => return Profile::Generic,
        ProfilePolicy::Auto => {}
    }
    let names: Vec<&str> = found.fields.iter().map(|f| f.name.as_str()).collect();
    if names.contains(&"GVCN") && names.contains(&"HT") {
        return Profile::Hocba;
    }
    for &rev in revisions {
        if embedded_xml(resolver, rev).is_some() {
            return Profile::Hocba;
        }
        if xmp(resolver, rev).is_some_and(|x| memchr::memmem::find(&x, HB_NAMESPACE).is_some()) {
            return Profile::Hocba;
        }
    }
    Profile::Generic
}

/// The decoded XMP packet of a revision's catalog.
fn xmp(resolver: &Resolver<'_>, rev: usize) -> Option<Rc<[u8]>> {
    let catalog = resolver.catalog(rev).ok()?;
    let meta = resolver.resolve(catalog.get(b"Metadata")?, rev).ok()?;
    match &*meta {
        Object::Stream(s) => resolver.decode_stream(s).ok(),
        _ => None,
    }
}

/// The text of an `hb:` property in an XMP packet (element form, as the renderer writes it, or
/// attribute form).
fn xmp_property(xmp: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(xmp).ok()?;
    let open = format!("<hb:{name}>");
    if let Some(i) = text.find(&open) {
        let rest = &text[i + open.len()..];
        let end = rest.find("</hb:")?;
        return Some(rest[..end].trim().to_owned());
    }
    let attr = format!("hb:{name}=\"");
    let i = text.find(&attr)?;
    let rest = &text[i + attr.len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// The bytes of the embedded `hocba.xml` of a revision: `Some(Ok)` found and decoded,
/// `Some(Err)` found but unreadable, `None` absent. Looked up in `/Names /EmbeddedFiles`, then
/// in the catalog's `/AF`.
pub(crate) fn embedded_xml(
    resolver: &Resolver<'_>,
    rev: usize,
) -> Option<Result<Rc<[u8]>, String>> {
    let catalog = resolver.catalog(rev).ok()?;
    let mut specs: Vec<Object> = Vec::new();
    if let Some(names) = catalog
        .get(b"Names")
        .and_then(|n| fields::dict(resolver, n, rev))
    {
        if let Some(tree) = names.get(b"EmbeddedFiles") {
            let mut stack = vec![tree.clone()];
            let mut steps = 0;
            while let Some(node) = stack.pop() {
                steps += 1;
                if steps > 1000 {
                    break;
                }
                let Some(d) = fields::dict(resolver, &node, rev) else {
                    continue;
                };
                if let Some(pairs) = d
                    .get(b"Names")
                    .and_then(|a| fields::array(resolver, a, rev))
                {
                    for pair in pairs.chunks(2) {
                        if let [Object::String(k), v] = pair {
                            if crate::pdf::sign::decode_pdf_text(&k.bytes) == EMBEDDED_FILE_NAME {
                                specs.push(v.clone());
                            }
                        }
                    }
                }
                if let Some(kids) = d.get(b"Kids").and_then(|a| fields::array(resolver, a, rev)) {
                    stack.extend(kids.iter().cloned());
                }
            }
        }
    }
    if let Some(af) = catalog
        .get(b"AF")
        .and_then(|a| fields::array(resolver, a, rev))
    {
        for spec in af.iter() {
            let named = fields::dict(resolver, spec, rev).is_some_and(|d| {
                [&b"UF"[..], b"F"].iter().any(|k| {
                    d.get(k).and_then(Object::as_string).is_some_and(|s| {
                        crate::pdf::sign::decode_pdf_text(&s.bytes) == EMBEDDED_FILE_NAME
                    })
                })
            });
            if named {
                specs.push(spec.clone());
            }
        }
    }
    let spec = specs.first()?;
    let read = || -> Result<Rc<[u8]>, String> {
        let d = fields::dict(resolver, spec, rev)
            .ok_or("the file specification is not a dictionary")?;
        let ef = d
            .get(b"EF")
            .and_then(|e| fields::dict(resolver, e, rev))
            .ok_or("the file specification has no /EF")?;
        let stream = ef
            .get(b"F")
            .or_else(|| ef.get(b"UF"))
            .ok_or("/EF has no /F")?;
        match resolver.resolve(stream, rev).as_deref() {
            Ok(Object::Stream(s)) => resolver.decode_stream(s).map_err(|e| e.to_string()),
            _ => Err("the embedded file is not a stream".into()),
        }
    };
    Some(read())
}

/// The revisions a record's data is checked at: every signed revision and the last one, sorted.
pub(crate) fn signed_revisions(checked: &[Checked], last: usize) -> Vec<usize> {
    let mut revs: Vec<usize> = checked.iter().filter_map(|c| c.report.revision).collect();
    revs.push(last);
    revs.sort_unstable();
    revs.dedup();
    revs
}

fn role_vi(role: &str) -> &'static str {
    match role {
        "GVCN" => "giáo viên chủ nhiệm (GVCN)",
        "HT" => "hiệu trưởng (HT)",
        _ => "con dấu của trường (DAU)",
    }
}

fn role_en(role: &str) -> &'static str {
    match role {
        "GVCN" => "homeroom teacher (GVCN)",
        "HT" => "principal (HT)",
        _ => "school seal (DAU)",
    }
}

/// Runs the document checks; fills `doc` and the signatures' `identity`; returns the document
/// verdict.
pub(crate) fn check(
    ctx: &Context<'_>,
    resolver: &Resolver<'_>,
    found: &Found,
    checked: &mut [Checked],
    doc: &mut DocumentReport,
) -> Verdict {
    let mut errors = 0usize;
    let mut push = |doc: &mut DocumentReport, msg: Message| {
        if msg.severity == super::messages::MessageSeverity::Error {
            errors += 1;
        }
        doc.messages.push(msg);
    };
    let last = resolver.revision_count();
    let signed = signed_revisions(checked, last);
    let first_signed = checked
        .iter()
        .filter(|c| c.report.kind == "SIGNATURE")
        .filter_map(|c| c.report.revision)
        .min();

    // The embedded record.
    let mut record: Option<Record> = None;
    if let Some(r1) = first_signed {
        match embedded_xml(resolver, r1) {
            None => {
                let later = signed
                    .iter()
                    .copied()
                    .filter(|r| *r > r1)
                    .find(|r| embedded_xml(resolver, *r).is_some());
                let (en, vi) = match later {
                    Some(r) => (
                        format!(
                            " in the first signed revision ({r1}); it appears only in revision {r}"
                        ),
                        format!(
                            " ở phiên bản ký đầu tiên ({r1}); tệp chỉ xuất hiện từ phiên bản {r}"
                        ),
                    ),
                    None => (String::new(), String::new()),
                };
                push(
                    doc,
                    Message::new(&m::XML_MISSING, &[("detail", &en), ("detailVi", &vi)]),
                );
            }
            Some(Err(e)) => push(
                doc,
                Message::new(&m::XML_UNREADABLE, &[("detail", &e), ("detailVi", &e)]),
            ),
            Some(Ok(bytes)) => {
                doc.embedded_xml = true;
                if let Some(changed_at) =
                    signed.iter().copied().filter(|r| *r > r1).find(
                        |r| !matches!(embedded_xml(resolver, *r), Some(Ok(ref b)) if Rc::ptr_eq(b, &bytes) || *b == bytes),
                    )
                {
                    let (f, t) = (r1.to_string(), changed_at.to_string());
                    push(
                        doc,
                        Message::new(&m::XML_CHANGED, &[("from", &f), ("to", &t)]),
                    );
                }
                match crate::read_record(&bytes) {
                    Err(e) => {
                        let (en, vi) = (e.to_string(), e.message_vi());
                        push(
                            doc,
                            Message::new(&m::XML_UNREADABLE, &[("detail", &en), ("detailVi", &vi)]),
                        );
                    }
                    Ok(rec) => {
                        doc.record_id = rec.record_id.as_ref().map(|t| t.as_str().to_owned());
                        doc.school_year = rec
                            .years
                            .first()
                            .and_then(|y| y.school_year.as_ref())
                            .map(|s| s.as_str().to_owned());
                        if rec.years.len() != 1 {
                            let n = rec.years.len().to_string();
                            push(doc, Message::new(&m::XML_YEAR_COUNT, &[("count", &n)]));
                        }
                        let packet = xmp(resolver, r1);
                        for (name, value) in [
                            ("RecordId", doc.record_id.clone()),
                            ("SchoolYear", doc.school_year.clone()),
                        ] {
                            let in_xmp = packet.as_deref().and_then(|p| xmp_property(p, name));
                            if in_xmp.as_deref() != value.as_deref() {
                                let x = in_xmp.unwrap_or_else(|| "(absent)".into());
                                let v = value.unwrap_or_default();
                                push(
                                    doc,
                                    Message::new(
                                        &m::XMP_MISMATCH,
                                        &[("name", name), ("xmp", &x), ("record", &v)],
                                    ),
                                );
                            }
                        }
                        let report = crate::rules::validate(&rec);
                        let n = report.count(crate::rules::Severity::Error);
                        doc.validation = Some(report.to_json_value());
                        if n > 0 {
                            push(
                                doc,
                                Message::new(&m::XML_INVALID, &[("count", &n.to_string())]),
                            );
                        }
                        record = Some(rec);
                    }
                }
            }
        }
    }

    // Roles and their order.
    let seal_required = match ctx.options.seal {
        SealPolicy::Required => true,
        SealPolicy::Optional => false,
        SealPolicy::Auto => match &record {
            Some(r) => r.school.as_ref().and_then(|s| s.kind.as_ref()) == Some(&SchoolKind::Public),
            None => found.fields.iter().any(|f| f.name == "DAU"),
        },
    };
    // A role is present when its field holds a signature, whether or not that signature's
    // revision could be determined (a broken signature is judged on its own line, not
    // reported missing); the order is checked between signatures whose revisions are known.
    let signed_in = |role: &str| -> bool {
        checked
            .iter()
            .any(|c| c.report.kind == "SIGNATURE" && c.report.field.as_deref() == Some(role))
    };
    let revision_of = |role: &str| -> Option<usize> {
        checked
            .iter()
            .filter(|c| c.report.kind == "SIGNATURE" && c.report.field.as_deref() == Some(role))
            .filter_map(|c| c.report.revision)
            .min()
    };
    let (g, h, d) = (revision_of("GVCN"), revision_of("HT"), revision_of("DAU"));
    let mut status = |role: &str,
                      rev: Option<usize>,
                      required: bool,
                      before: &[(&str, Option<usize>)],
                      doc: &mut DocumentReport|
     -> String {
        match rev {
            None if signed_in(role) => "present".into(),
            None if required => {
                push(
                    doc,
                    Message::new(
                        &m::ROLE_MISSING,
                        &[
                            ("role", role_en(role)),
                            ("roleVi", role_vi(role)),
                            ("detail", ""),
                            ("detailVi", ""),
                        ],
                    ),
                );
                "absent".into()
            }
            None => if role == "DAU" {
                "not_required"
            } else {
                "absent"
            }
            .into(),
            Some(r) => {
                for (other, orev) in before {
                    if let Some(o) = orev {
                        if *o >= r {
                            push(
                                doc,
                                Message::new(
                                    &m::ROLE_OUT_OF_ORDER,
                                    &[
                                        ("role", role_en(role)),
                                        ("roleVi", role_vi(role)),
                                        ("revision", &r.to_string()),
                                        ("before", role_en(other)),
                                        ("beforeVi", role_vi(other)),
                                    ],
                                ),
                            );
                            return "out_of_order".into();
                        }
                    }
                }
                "present".into()
            }
        }
    };
    let gvcn = status("GVCN", g, true, &[], doc);
    let ht = status("HT", h, true, &[("GVCN", g)], doc);
    let dau = status("DAU", d, seal_required, &[("GVCN", g), ("HT", h)], doc);
    doc.roles = Some(RolesReport { gvcn, ht, dau });

    // Identity of the signers, the seal, signing dates.
    if let Some(rec) = &record {
        let year = rec.years.first();
        let school_name = rec
            .school
            .as_ref()
            .and_then(|s| s.name.as_ref())
            .map(|t| t.as_str().to_owned());
        for c in checked.iter_mut() {
            let Some(role) = c.report.role.clone() else {
                continue;
            };
            let Some(cert) = &c.signer else { continue };
            let expected = match role.as_str() {
                "GVCN" => year
                    .and_then(|y| y.homeroom_teacher.as_ref())
                    .map(|t| t.as_str().to_owned()),
                "HT" => year
                    .and_then(|y| y.principal.as_ref())
                    .map(|t| t.as_str().to_owned()),
                _ => school_name.clone(),
            };
            let Some(expected) = expected else { continue };
            let mut names: Vec<String> = cert.common_name().into_iter().collect();
            if role == "DAU" {
                names.extend(cert.organization());
            }
            let best = names
                .iter()
                .map(|n| (compare_names(n, &expected), n.clone()))
                .min_by_key(|(i, _)| match i {
                    Identity::Exact => 0,
                    Identity::IgnoringDiacritics => 1,
                    Identity::Mismatch => 2,
                });
            let (identity, shown) = best.unwrap_or((Identity::Mismatch, cert.subject()));
            c.report.identity = Some(identity.as_str().into());
            let args = [
                ("role", role_en(&role)),
                ("roleVi", role_vi(&role)),
                ("certificate", shown.as_str()),
                ("record", expected.as_str()),
            ];
            match identity {
                Identity::Exact => {}
                Identity::IgnoringDiacritics => {
                    push(doc, Message::new(&m::IDENTITY_DIACRITICS, &args))
                }
                Identity::Mismatch => push(doc, Message::new(&m::IDENTITY_MISMATCH, &args)),
            }
            if role == "DAU" && !cert.is_organization() {
                push(
                    doc,
                    Message::new(&m::SEAL_NOT_ORGANIZATION, &[("subject", &cert.subject())]),
                );
            }
            let confirmed = year
                .and_then(|y| y.confirmation_date.as_ref())
                .map(|d| d.as_str().to_owned());
            if let (Some(t), Some(conf)) = (c.claimed, confirmed) {
                let date = date_vn(t);
                if date < conf {
                    push(
                        doc,
                        Message::new(
                            &m::SIGNED_BEFORE_CONFIRMATION,
                            &[
                                ("role", role_en(&role)),
                                ("roleVi", role_vi(&role)),
                                ("date", &date),
                                ("ngayXacNhan", &conf),
                            ],
                        ),
                    );
                }
            }
        }
    }
    if errors > 0 {
        Verdict::of(SubIndication::SigConstraintsFailure)
    } else {
        Verdict::PASSED
    }
}
