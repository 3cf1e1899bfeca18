//! The audit trail (`nhatKy`, `rules.md`): the hash chain, time order, changes after a lock, and
//! rights by role.
//!
//! # The chain's canonical form
//!
//! `bam` is the lowercase hex SHA-256 of the UTF-8 bytes of: the previous entry's `bam` as
//! written (64 `0` characters for the first entry), a newline (`\n`), then one line
//! `name=value\n` for each other field present, in the order `thoiDiem`, `nguoiThucHien`,
//! `vaiTro`, `hanhDong`, `duongDan`, `giaTriCu`, `giaTriMoi`, `bienBan`, with the wire name and
//! the value as the record holds it (NFC, no escaping; codes in their canonical spelling). A
//! value containing a newline cannot be hashed: the chain is broken there. Each entry is checked
//! against the `bam` written on the entry before it, so one altered entry is reported where it is.
//!
//! ```
//! use hocba_core::rules::audit::entry_hash;
//! let bytes = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
//! let record = hocba_core::read_record(&bytes).unwrap();
//! let first = &record.audit[0];
//! let genesis = "0".repeat(64);
//! assert_eq!(entry_hash(&genesis, first).as_deref(), first.hash.as_deref());
//! ```

use sha2::{Digest, Sha256};

use super::{blank, ctx, Findings};
use crate::model::*;
use crate::rules::codes as c;

/// The `bam` of `entry` after an entry whose `bam` is `previous`; `None` when a value contains a
/// newline.
pub fn entry_hash(previous: &str, entry: &AuditEntry) -> Option<String> {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    let fields: [(&str, Option<&str>); 8] = [
        ("thoiDiem", entry.timestamp.as_ref().map(|t| t.as_str())),
        ("nguoiThucHien", entry.actor.as_deref()),
        ("vaiTro", entry.role.as_ref().map(|r| r.as_str())),
        ("hanhDong", entry.action.as_ref().map(|a| a.as_str())),
        ("duongDan", entry.path.as_deref()),
        ("giaTriCu", entry.old_value.as_deref()),
        ("giaTriMoi", entry.new_value.as_deref()),
        ("bienBan", entry.authorization.as_deref()),
    ];
    for (name, value) in fields {
        let Some(v) = value else { continue };
        if v.contains('\n') {
            return None;
        }
        h.update(name.as_bytes());
        h.update(b"=");
        h.update(v.as_bytes());
        h.update(b"\n");
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        hex.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(b & 0xF), 16).unwrap_or('0'));
    }
    Some(hex)
}

pub(crate) fn check(r: &Record, out: &mut Findings) {
    chain(r, out);
    order(r, out);
    locks_and_roles(r, out);
}

fn chain(r: &Record, out: &mut Findings) {
    let mut previous = "0".repeat(64);
    for (i, e) in r.audit.iter().enumerate() {
        let path = format!("nhatKy.{i}.bam");
        let computed = entry_hash(&previous, e);
        let written = e.hash.as_ref().filter(|h| !h.is_blank());
        match (&computed, written) {
            (None, _) => out.push(
                &c::AUDIT_CHAIN_BROKEN,
                path,
                ctx! {
                    "reason" => "a value contains a line break, which the chain cannot hold",
                    "reasonVi" => "một giá trị có chứa dấu xuống dòng, chuỗi băm không chấp nhận",
                },
            ),
            (Some(want), Some(found)) if want.as_str() != found.as_str() => out.push(
                &c::AUDIT_CHAIN_BROKEN,
                path,
                ctx! {
                    "expected" => want.as_str(),
                    "found" => found.as_str(),
                    "reason" => format!("expected bam {want}"),
                    "reasonVi" => format!("bam đúng phải là {want}"),
                },
            ),
            _ => {}
        }
        previous = link(previous, written, computed);
    }
}

/// The `bam` the entry after `e` chains from: the one written on `e`, else the computed one,
/// else (no hash can be computed) the one before.
fn link(previous: String, written: Option<&Text>, computed: Option<String>) -> String {
    match (written, computed) {
        (Some(w), _) => w.as_str().to_owned(),
        (None, Some(c)) => c,
        (None, None) => previous,
    }
}

/// The `bam` a new entry appended to `entries` chains from, as [`check`] replays the chain (64
/// `0` characters for an empty trail).
pub(crate) fn chain_head(entries: &[AuditEntry]) -> String {
    let mut previous = "0".repeat(64);
    for e in entries {
        let written = e.hash.as_ref().filter(|h| !h.is_blank());
        let computed = if written.is_some() {
            None
        } else {
            entry_hash(&previous, e)
        };
        previous = link(previous, written, computed);
    }
    previous
}

fn order(r: &Record, out: &mut Findings) {
    for (i, pair) in r.audit.windows(2).enumerate() {
        let (Some(a), Some(b)) = (
            pair[0].timestamp.as_ref().and_then(Timestamp::to_instant),
            pair[1].timestamp.as_ref().and_then(Timestamp::to_instant),
        ) else {
            continue;
        };
        if b.unix() < a.unix() {
            out.push(
                &c::AUDIT_OUT_OF_ORDER,
                format!("nhatKy.{}.thoiDiem", i + 1),
                ctx! {
                    "value" => pair[1].timestamp.as_ref().map_or("", |t| t.as_str()),
                    "previous" => pair[0].timestamp.as_ref().map_or("", |t| t.as_str()),
                },
            );
        }
    }
}

/// Is the field `path` inside the scope `scope` (the scope itself or below it)?
pub(crate) fn inside(path: &str, scope: &str) -> bool {
    path == scope
        || path
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Paths a subject teacher may not change: qualities, competencies, pupil data.
pub(crate) fn reserved_for_homeroom(path: &str) -> bool {
    path == "hocSinh"
        || path.starts_with("hocSinh.")
        || path
            .split('.')
            .any(|seg| seg == "phamChat" || seg == "nangLuc")
}

/// The role, action and trimmed non-blank path of an entry the lock replay considers.
pub(crate) fn replayed(e: &AuditEntry) -> Option<(&AuditRole, &AuditAction, &str)> {
    let (Some(role), Some(action)) = (&e.role, &e.action) else {
        return None;
    };
    let target = e
        .path
        .as_ref()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())?;
    Some((role, action, target))
}

/// One step of the lock replay: a `KHOA` of `target` by anyone locks it (failing safe), a
/// `MO_KHOA` by `HT` unlocks exactly that scope; other actions change nothing.
pub(crate) fn lock_step<'a>(
    locked: &mut Vec<&'a str>,
    role: &AuditRole,
    action: &AuditAction,
    target: &'a str,
) {
    match action {
        AuditAction::Lock if !locked.contains(&target) => locked.push(target),
        AuditAction::Unlock if *role == AuditRole::Principal => {
            locked.retain(|s| *s != target);
        }
        _ => {}
    }
}

fn locks_and_roles(r: &Record, out: &mut Findings) {
    let mut locked: Vec<&str> = Vec::new();
    for (i, e) in r.audit.iter().enumerate() {
        let Some((role, action, target)) = replayed(e) else {
            continue;
        };
        let principal = *role == AuditRole::Principal;
        match action {
            AuditAction::Lock | AuditAction::Unlock => {
                if !principal && role.is_known() {
                    out.push(
                        &c::AUDIT_ROLE_NOT_ALLOWED,
                        format!("nhatKy.{i}.vaiTro"),
                        ctx! {
                            "vaiTro" => role.as_str(),
                            "role" => role_en(role), "roleVi" => role_vi(role),
                            "action" => format!("lock or unlock {target} ({})", action.as_str()),
                            "actionVi" => format!("khóa hoặc mở khóa {target} ({})", action.as_str()),
                            "who" => "only the principal (HT) locks and unlocks",
                            "whoVi" => "chỉ hiệu trưởng (HT) được khóa và mở khóa",
                        },
                    );
                }
                // A lock holds even when it was not the principal's: failing safe.
                lock_step(&mut locked, role, action, target);
            }
            AuditAction::Change | AuditAction::Enter => {
                if *role == AuditRole::SubjectTeacher && reserved_for_homeroom(target) {
                    out.push(
                        &c::AUDIT_ROLE_NOT_ALLOWED,
                        format!("nhatKy.{i}.vaiTro"),
                        ctx! {
                            "vaiTro" => role.as_str(),
                            "role" => role_en(role), "roleVi" => role_vi(role),
                            "action" => format!("change {target} (qualities, competencies and pupil data)"),
                            "actionVi" => format!("sửa {target} (phẩm chất, năng lực và thông tin học sinh)"),
                            "who" => "the homeroom teacher (GVCN) or the principal (HT) enters them",
                            "whoVi" => "giáo viên chủ nhiệm (GVCN) hoặc hiệu trưởng (HT) nhập các mục này",
                        },
                    );
                }
                if *action == AuditAction::Change {
                    if let Some(scope) = locked.iter().find(|s| inside(target, s)) {
                        let no_record = blank(e.authorization.as_deref());
                        if !principal || no_record {
                            let (en, vi) = match (principal, no_record) {
                                (false, true) => ("by someone other than the principal and without a written record", "bởi người không phải hiệu trưởng và không có biên bản"),
                                (false, false) => ("by someone other than the principal", "bởi người không phải hiệu trưởng"),
                                _ => ("without a written record (bienBan)", "mà không có biên bản (bienBan)"),
                            };
                            out.push(
                                &c::AUDIT_CHANGE_AFTER_LOCK,
                                format!("nhatKy.{i}.duongDan"),
                                ctx! {
                                    "target" => target,
                                    "scope" => *scope,
                                    "vaiTro" => role.as_str(),
                                    "reason" => en,
                                    "reasonVi" => vi,
                                },
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn role_en(r: &AuditRole) -> &'static str {
    match r {
        AuditRole::SubjectTeacher => "subject teacher (GVBM)",
        AuditRole::HomeroomTeacher => "homeroom teacher (GVCN)",
        AuditRole::HeadOfDepartment => "head of department (TTCM)",
        AuditRole::Principal => "principal (HT)",
        AuditRole::Other(_) => "person",
    }
}

fn role_vi(r: &AuditRole) -> &'static str {
    match r {
        AuditRole::SubjectTeacher => "giáo viên bộ môn (GVBM)",
        AuditRole::HomeroomTeacher => "giáo viên chủ nhiệm (GVCN)",
        AuditRole::HeadOfDepartment => "tổ trưởng chuyên môn (TTCM)",
        AuditRole::Principal => "hiệu trưởng (HT)",
        AuditRole::Other(_) => "người này",
    }
}
