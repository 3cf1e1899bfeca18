//! Findings: what the rule engine reports about a record.

use serde::Serialize;
use serde_json::{Map, Value};

use super::codes::Code;
use crate::xml::names;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Lỗi — the record is not valid.
    Error,
    /// Cảnh báo — worth a look; the record stays valid.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding: a rule the record breaks, where, and what to do.
///
/// Serialises exactly as `format.md`'s report: `code`, `severity`, `path`, `message`,
/// `messageVi`, `clause`, `context`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The stable code (`rules.md`).
    pub code: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The offending field: wire names and list indexes, dot-separated (`namHoc.0.monHoc.1.diem`).
    pub path: String,
    /// What is wrong and what to do, in English.
    pub message: String,
    /// The same in Vietnamese.
    #[serde(rename = "messageVi")]
    pub message_vi: String,
    /// The clause the rule implements (the source column of `rules.md`).
    pub clause: &'static str,
    /// The values involved.
    pub context: Map<String, Value>,
}

impl Finding {
    /// A finding of `code` at `path` with `context`; the messages are rendered from the
    /// catalogue's templates.
    pub fn new(code: &'static Code, path: String, context: Map<String, Value>) -> Self {
        let message = render(code.en, &path, &context);
        let message_vi = render(code.vi, &path, &context);
        Finding {
            code: code.code,
            severity: code.severity,
            path,
            message,
            message_vi,
            clause: code.clause,
            context,
        }
    }
}

/// Replaces `{key}` with the context value (strings bare, lists joined with ", ") and `{path}`.
fn render(template: &str, path: &str, ctx: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].bytes().all(|b| b.is_ascii_alphanumeric()) => {
                let key = &after[..close];
                if key == "path" {
                    out.push_str(path);
                } else if let Some(v) = ctx.get(key) {
                    push_value(&mut out, v);
                } else {
                    out.push('{');
                    out.push_str(key);
                    out.push('}');
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn push_value(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_value(out, item);
            }
        }
        Value::Null => out.push('-'),
        other => out.push_str(&other.to_string()),
    }
}

/// The sort key of a path in document order: each name becomes its position among its parent
/// entity's members (`format.md` order), each index stays a number.
pub(crate) fn path_key(path: &str) -> Vec<u32> {
    let mut key = Vec::with_capacity(8);
    let mut entity: &[&str] = names::HOC_BA;
    for seg in path.split('.') {
        if let Ok(i) = seg.parse::<u32>() {
            key.push(i);
            continue;
        }
        let pos = entity
            .iter()
            .position(|n| *n == seg)
            .map_or(u32::MAX, |p| p as u32);
        key.push(pos);
        entity = child_entity(entity, seg);
    }
    key
}

fn child_entity(parent: &'static [&'static str], name: &str) -> &'static [&'static str] {
    match name {
        "hocSinh" => names::HOC_SINH,
        "anh" => names::ANH,
        "truong" => names::TRUONG,
        "quaTrinhHocTap" => names::QUA_TRINH,
        // `namHoc` is both a list of years (at the root) and a text member of a year or row.
        "namHoc" if std::ptr::eq(parent, names::HOC_BA) => names::NAM_HOC,
        "monHoc" => names::MON_HOC,
        "phamChat" | "nangLuc" => names::MUC_DANH_GIA,
        "khenThuong" => names::KHEN_THUONG,
        "danhGiaBoSung" => names::DANH_GIA_BO_SUNG,
        "dinhKy" => names::DINH_KY,
        "nhatKy" => names::NHAT_KY,
        _ => &[],
    }
}

/// Sorts findings by document order of their paths, then code; input order otherwise.
pub(crate) fn sort(findings: &mut [Finding]) {
    let mut keyed: Vec<(Vec<u32>, usize)> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (path_key(&f.path), i))
        .collect();
    keyed.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| findings[a.1].code.cmp(findings[b.1].code))
            .then(a.1.cmp(&b.1))
    });
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    let sorted: Vec<Finding> = order.iter().map(|i| findings[*i].clone()).collect();
    findings.clone_from_slice(&sorted);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_order() {
        let mut paths = vec![
            "nhatKy.0.bam",
            "namHoc.0.monHoc.10.diem",
            "namHoc.0.monHoc.2.diem",
            "namHoc.0.monHoc",
            "namHoc.0.namHoc",
            "hocSinh.anh",
            "hocSinh.hoVaTen",
            "quaTrinhHocTap",
            "maDinhDanhHocBa",
            "namHoc.0.ngayXacNhan",
            "namHoc.0.khoi",
        ];
        paths.sort_by_key(|p| path_key(p));
        assert_eq!(
            paths,
            [
                "maDinhDanhHocBa",
                "hocSinh.hoVaTen",
                "hocSinh.anh",
                "quaTrinhHocTap",
                "namHoc.0.namHoc",
                "namHoc.0.khoi",
                "namHoc.0.monHoc",
                "namHoc.0.monHoc.2.diem",
                "namHoc.0.monHoc.10.diem",
                "namHoc.0.ngayXacNhan",
                "nhatKy.0.bam",
            ]
        );
    }

    #[test]
    fn templates() {
        let mut ctx = Map::new();
        ctx.insert("value".into(), Value::from("11"));
        ctx.insert("allowed".into(), serde_json::json!(["T", "H", "C"]));
        assert_eq!(
            render("{path}: {value} not in {allowed} {x} {", "a.b", &ctx),
            "a.b: 11 not in T, H, C {x} {"
        );
    }
}
