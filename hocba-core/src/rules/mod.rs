//! The rule engine: Circular 27/2020/TT-BGDĐT and format v1 checked on a [`Record`].
//!
//! Rules are small pure functions grouped by topic; they report [`Finding`]s and never fail.
//! [`validate`] runs them all and returns a [`Report`] whose findings are in document order of
//! their paths, then code. Each code is declared once in [`codes`].
//!
//! ```
//! let bytes = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
//! let mut record = hocba_core::read_record(&bytes).unwrap();
//! assert!(hocba_core::rules::validate(&record).valid);
//!
//! // A score of 11 is read (so it can be reported), and reported.
//! record.years[0].subjects[0].score = Some(hocba_core::model::Number::Integer(11));
//! let report = hocba_core::rules::validate(&record);
//! assert!(!report.valid);
//! assert_eq!(report.findings[0].code, "score_out_of_range");
//! assert_eq!(report.findings[0].path, "namHoc.0.monHoc.0.diem");
//! ```

pub mod audit;
pub mod codes;
mod finding;
pub mod lists;
mod photo;
mod pupil;
mod result;
mod structure;
pub(crate) mod subjects;
mod years;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::trim;
use crate::model::{Record, SchoolYear, YearResult};
pub use codes::Code;
pub use finding::{Finding, Severity};
pub use result::derive_result;

/// The validation report of one record (`format.md`, "Reports").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// No finding of severity error.
    pub valid: bool,
    /// One summary per school year, in record order.
    pub years: Vec<YearSummary>,
    /// Every finding, in document order of their paths, then code.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The number of findings of this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The report as the JSON object of `format.md` (without `file`).
    pub fn to_json_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// What the rules derive for one school year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearSummary {
    /// The school year as written (`null` when absent).
    #[serde(rename = "schoolYear")]
    pub school_year: Option<String>,
    /// The grade when it is a whole number.
    pub grade: Option<i64>,
    /// The Article 9 result derived from the assessments (`null` when the year is exempt or its
    /// grade is not 1–5), whatever was entered.
    #[serde(rename = "derivedResult", serialize_with = "ser_result")]
    pub derived_result: Option<YearResult>,
}

fn ser_result<S: serde::Serializer>(r: &Option<YearResult>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_str(r.as_str()),
        None => s.serialize_none(),
    }
}

/// Validates a record against every rule of the catalogue. Never fails; deterministic.
pub fn validate(record: &Record) -> Report {
    let mut out = Findings::default();
    structure::check(record, &mut out);
    pupil::check(record, &mut out);
    years::check(record, &mut out);
    // Each year's derived result, worked out once for its rules and its summary.
    let mut derived = Vec::with_capacity(record.years.len());
    for (i, year) in record.years.iter().enumerate() {
        let y = YearCtx::new(i, year);
        subjects::check(&y, &mut out);
        let d = derive_result(year);
        result::check(&y, d.as_ref(), &mut out);
        derived.push(d);
    }
    audit::check(record, &mut out);
    let mut findings = out.0;
    finding::sort(&mut findings);
    let valid = !findings.iter().any(|f| f.severity == Severity::Error);
    let years = record
        .years
        .iter()
        .zip(derived)
        .map(|(y, derived_result)| YearSummary {
            school_year: y.school_year.as_ref().map(|s| s.as_str().to_owned()),
            grade: y.grade.as_ref().and_then(|g| g.as_integer()),
            derived_result,
        })
        .collect();
    Report {
        valid,
        years,
        findings,
    }
}

/// Findings being collected.
#[derive(Debug, Default)]
pub(crate) struct Findings(Vec<Finding>);

impl Findings {
    pub(crate) fn push(
        &mut self,
        code: &'static Code,
        path: impl Into<String>,
        context: Map<String, Value>,
    ) {
        self.0.push(Finding::new(code, path.into(), context));
    }
}

/// Builds a context map: `ctx! { "value" => v, "limit" => 150 }`.
macro_rules! ctx {
    () => { serde_json::Map::new() };
    ($($k:literal => $v:expr),+ $(,)?) => {{
        let mut m = serde_json::Map::new();
        $( m.insert($k.to_owned(), serde_json::Value::from($v)); )+
        m
    }};
}
pub(crate) use ctx;

/// One school year and the facts the rules share about it.
pub(crate) struct YearCtx<'a> {
    pub(crate) index: usize,
    pub(crate) year: &'a SchoolYear,
    /// The grade when it is 1–5.
    pub(crate) grade: Option<u8>,
}

impl<'a> YearCtx<'a> {
    pub(crate) fn new(index: usize, year: &'a SchoolYear) -> Self {
        let grade = year
            .grade
            .as_ref()
            .and_then(|g| g.as_integer())
            .filter(|g| (1..=5).contains(g))
            .and_then(|g| u8::try_from(g).ok());
        YearCtx { index, year, grade }
    }

    pub(crate) fn path(&self, rest: &str) -> String {
        if rest.is_empty() {
            format!("namHoc.{}", self.index)
        } else {
            format!("namHoc.{}.{rest}", self.index)
        }
    }
}

/// Blank: absent, or empty after trimming white space.
pub(crate) fn blank(t: Option<&str>) -> bool {
    t.is_none_or(|s| trim(s).is_empty())
}

/// `không` ("none"), matched case-insensitively after trimming.
pub(crate) fn is_khong(s: &str) -> bool {
    let t = trim(s);
    // "không" in any case is 6 bytes of UTF-8 (NFC): only those need lower-casing.
    t.len() == "không".len() && (t == "không" || t.to_lowercase() == "không")
}
