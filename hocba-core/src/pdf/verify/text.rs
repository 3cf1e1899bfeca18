//! The text form of the verification report, for people: one line per signature first (role,
//! signer, verdict in words), details after. Vietnamese by default, English on request.

use std::fmt::Write as _;

use super::messages::MessageSeverity;
use super::report::{Indication, Message, VerificationReport};

fn words(i: Indication, en: bool) -> &'static str {
    if en {
        i.words_en()
    } else {
        i.words_vi()
    }
}

fn severity(s: MessageSeverity, en: bool) -> &'static str {
    match (s, en) {
        (MessageSeverity::Error, false) => "lỗi",
        (MessageSeverity::Warning, false) => "cảnh báo",
        (MessageSeverity::Note, false) => "ghi chú",
        (s, true) => s.as_str(),
    }
}

fn push_messages(out: &mut String, messages: &[Message], en: bool) {
    for m in messages {
        let text = if en { &m.message } else { &m.message_vi };
        let _ = writeln!(
            out,
            "    - {}: {} [{}]",
            severity(m.severity, en),
            text,
            m.code
        );
    }
}

/// Vietnamese words for the report's enumerated values (the value itself when unknown).
fn vi(word: &str) -> &str {
    match word {
        "SIGNATURE" => "chữ ký",
        "DOC_TIMESTAMP" => "dấu thời gian tài liệu",
        "ENTIRE_FILE" => "toàn bộ tệp",
        "ENTIRE_REVISION" => "trọn phiên bản",
        "PARTIAL" => "một phần",
        "INVALID" => "không hợp lệ",
        "claimed" => "thời điểm khai báo",
        "timestamp" => "dấu thời gian",
        "validation" => "thời điểm kiểm tra",
        "GOOD" => "chưa bị thu hồi",
        "REVOKED" => "đã bị thu hồi",
        "UNKNOWN" => "không xác định",
        "NOT_CHECKED" => "không kiểm tra",
        "NONE" => "không có",
        "SIGNING" => "chỉ ký tiếp",
        "OTHER" => "có thay đổi khác",
        "exact" => "trùng khớp",
        "ignoring_diacritics" => "khớp khi bỏ dấu",
        "mismatch" => "không khớp",
        "present" => "có",
        "absent" => "thiếu",
        "not_required" => "không bắt buộc",
        "out_of_order" => "sai thứ tự",
        "hocba" => "học bạ",
        "generic" => "tài liệu chung",
        other => other,
    }
}

/// The report as text; `english` selects English instead of Vietnamese.
pub fn to_text(report: &VerificationReport, english: bool) -> String {
    let en = english;
    let mut out = String::new();
    let verdict = |i: Indication, sub: Option<super::SubIndication>| -> String {
        match sub
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
        {
            Some(s) => format!("{} ({} / {s})", words(i, en), i.as_str()),
            None => format!("{} ({})", words(i, en), i.as_str()),
        }
    };
    if let Some(f) = &report.file {
        let _ = writeln!(out, "{}: {f}", if en { "File" } else { "Tệp" });
    }
    let _ = writeln!(
        out,
        "{}: {}",
        if en { "Result" } else { "Kết quả" },
        verdict(report.indication, report.sub_indication)
    );
    let _ = writeln!(out, "{}:", if en { "Signatures" } else { "Chữ ký" });
    if report.signatures.is_empty() {
        let _ = writeln!(out, "  {}", if en { "(none)" } else { "(không có)" });
    }
    for (i, s) in report.signatures.iter().enumerate() {
        let who = s
            .signer
            .as_ref()
            .map(|x| x.common_name.clone().unwrap_or_else(|| x.subject.clone()))
            .unwrap_or_else(|| "?".into());
        let label = s
            .role
            .clone()
            .or_else(|| s.field.clone())
            .unwrap_or_else(|| "?".into());
        let _ = writeln!(
            out,
            "  {}. {:<5} {}  {}",
            i + 1,
            label,
            who,
            verdict(s.indication, s.sub_indication)
        );
    }
    let _ = writeln!(out, "{}:", if en { "Details" } else { "Chi tiết" });
    for s in &report.signatures {
        let label = s
            .role
            .clone()
            .or_else(|| s.field.clone())
            .unwrap_or_else(|| "?".into());
        let none = || "—".to_owned();
        if en {
            let _ = writeln!(
                out,
                "  [{label}] {}, revision {}, coverage {}, signed {}, judged at {} ({}), anchor {}, revocation {}, changes after {}{}",
                s.kind,
                s.revision.map_or_else(none, |r| r.to_string()),
                s.coverage,
                s.signing_time.clone().unwrap_or_else(none),
                s.time_used.clone().unwrap_or_else(none),
                s.time_source.clone().unwrap_or_else(none),
                s.trust_anchor.clone().unwrap_or_else(none),
                s.revocation,
                s.modified_after,
                s.identity.as_ref().map(|i| format!(", identity {i}")).unwrap_or_default(),
            );
        } else {
            let _ = writeln!(
                out,
                "  [{label}] {}, phiên bản {}, phạm vi {}, ký lúc {}, kiểm tra tại {} ({}), gốc tin cậy {}, thu hồi: {}, thay đổi sau khi ký: {}{}",
                vi(&s.kind),
                s.revision.map_or_else(none, |r| r.to_string()),
                vi(&s.coverage),
                s.signing_time.clone().unwrap_or_else(none),
                s.time_used.clone().unwrap_or_else(none),
                s.time_source.as_deref().map_or_else(none, |t| vi(t).to_owned()),
                s.trust_anchor.clone().unwrap_or_else(none),
                vi(&s.revocation),
                vi(&s.modified_after),
                s.identity.as_ref().map(|i| format!(", danh tính: {}", vi(i))).unwrap_or_default(),
            );
        }
        push_messages(&mut out, &s.messages, en);
    }
    let d = &report.document;
    let _ = write!(
        out,
        "{} ({}): {}",
        if en { "Document" } else { "Tài liệu" },
        if en {
            d.profile.as_str()
        } else {
            vi(&d.profile)
        },
        verdict(d.indication, d.sub_indication)
    );
    if let Some(id) = &d.record_id {
        let _ = write!(out, "; {} {id}", if en { "record" } else { "học bạ" });
    }
    if let Some(y) = &d.school_year {
        let _ = write!(out, ", {} {y}", if en { "school year" } else { "năm học" });
    }
    if let Some(r) = &d.roles {
        if en {
            let _ = write!(out, "; GVCN {}, HT {}, DAU {}", r.gvcn, r.ht, r.dau);
        } else {
            let _ = write!(
                out,
                "; GVCN: {}, HT: {}, DAU: {}",
                vi(&r.gvcn),
                vi(&r.ht),
                vi(&r.dau)
            );
        }
    }
    out.push('\n');
    push_messages(&mut out, &d.messages, en);
    out
}
