//! Reading the class workflow's inputs from files' bytes, the way the command line, Python and
//! C do it: CSV or XLSX by content, the period of a table from the caller, its title, its sheet's
//! name or its file's name, the class information from JSON or a `Lop` sheet; and the build's
//! report in the shape `hocba class build --format json` prints.

use serde_json::{json, Value};

use super::build::{BuildError, Built, ClassInfo, PupilList};
use super::sheet::{self, Sheet, SheetError, TableOptions};
use super::ClassTable;
use crate::model::Period;

/// Why an input of the class workflow cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClassError {
    /// The spreadsheet cannot be read (or written).
    Sheet(SheetError),
    /// The pupil list or the class information is not usable.
    Build(BuildError),
    /// The period of a table is not known.
    NoPeriod {
        /// The file's name.
        name: String,
    },
    /// The text given as a period is not one.
    BadPeriod(String),
    /// No sheet of that name (or no sheet at all).
    NoSheet {
        /// The file's name.
        name: String,
        /// The sheet asked for (empty: any).
        wanted: String,
        /// The sheets the workbook has.
        available: Vec<String>,
    },
}

impl ClassError {
    /// The English message: what is wrong, where, and what to do.
    pub fn message(&self) -> String {
        match self {
            ClassError::Sheet(e) => e.message(),
            ClassError::Build(e) => e.message(),
            ClassError::NoPeriod { name } => format!(
                "{name}: the period of this table is not known; give it (GHK1, CHK1, GHK2 or CN), or name the file or sheet after it (CN.xlsx)"
            ),
            ClassError::BadPeriod(text) => {
                format!("\"{text}\" is not a period; use GHK1, CHK1, GHK2 or CN")
            }
            ClassError::NoSheet {
                name,
                wanted,
                available,
            } => format!(
                "{name}: no sheet \"{wanted}\"; the workbook has: {}",
                available.join(", ")
            ),
        }
    }

    /// The Vietnamese message: what is wrong, where, and what to do.
    pub fn message_vi(&self) -> String {
        match self {
            ClassError::Sheet(e) => e.message_vi(),
            ClassError::Build(e) => e.message_vi(),
            ClassError::NoPeriod { name } => format!(
                "{name}: không xác định được kỳ của bảng; hãy ghi kỳ (GHK1, CHK1, GHK2 hoặc CN), hoặc đặt tên tệp hay trang tính theo kỳ (CN.xlsx)"
            ),
            ClassError::BadPeriod(text) => {
                format!("\"{text}\" không phải kỳ đánh giá; dùng GHK1, CHK1, GHK2 hoặc CN")
            }
            ClassError::NoSheet {
                name,
                wanted,
                available,
            } => format!(
                "{name}: không có trang tính \"{wanted}\"; tệp có: {}",
                available.join(", ")
            ),
        }
    }
}

impl std::fmt::Display for ClassError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ClassError {}

impl From<SheetError> for ClassError {
    fn from(e: SheetError) -> Self {
        ClassError::Sheet(e)
    }
}

impl From<BuildError> for ClassError {
    fn from(e: BuildError) -> Self {
        ClassError::Build(e)
    }
}

/// A period from its code, in any case (`cn`, ` GHK1 `).
///
/// ```
/// use hocba_core::class::files::parse_period;
/// use hocba_core::model::Period;
/// assert_eq!(parse_period(" chk1 ").unwrap(), Period::EndOfTerm1);
/// assert!(parse_period("HK3").is_err());
/// ```
pub fn parse_period(text: &str) -> Result<Period, ClassError> {
    let p = Period::parse(text.trim().to_uppercase().as_str());
    if p.is_known() {
        Ok(p)
    } else {
        Err(ClassError::BadPeriod(text.to_owned()))
    }
}

/// The period a file's or sheet's name gives: `CN.csv`, `4A-GHK1.xlsx`, `4A_CHK1`, `CN`.
///
/// ```
/// use hocba_core::class::files::period_of_name;
/// use hocba_core::model::Period;
/// assert_eq!(period_of_name("bang/4A-GHK1.xlsx"), Some(Period::MidTerm1));
/// assert_eq!(period_of_name("CN"), Some(Period::EndOfYear));
/// assert_eq!(period_of_name("bang.csv"), None);
/// ```
pub fn period_of_name(name: &str) -> Option<Period> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match file.rsplit_once('.') {
        Some((s, ext)) if matches!(ext.to_lowercase().as_str(), "csv" | "xlsx" | "txt") => s,
        _ => file,
    };
    let stem = stem.to_uppercase();
    let last = stem.rsplit(['-', '_', ' ', '.']).next().unwrap_or(&stem);
    let p = Period::parse(last);
    p.is_known().then_some(p)
}

/// Whether the bytes are a ZIP archive (an XLSX workbook) rather than text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The sheets of a file: every worksheet of an XLSX workbook, or the one sheet of a CSV file
/// (named `name`).
pub fn read_sheets(bytes: &[u8], name: &str) -> Result<Vec<Sheet>, ClassError> {
    if is_xlsx(bytes) {
        Ok(sheet::read_xlsx(bytes)?)
    } else {
        Ok(vec![sheet::read_csv(bytes, name)?])
    }
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Reads a class summary table from a file's bytes (CSV or XLSX by content; `sheet` chooses a
/// worksheet, by default the first). The period is `options.period`, else the title's, else
/// the sheet's name, else the file's name (`name`); a table whose period stays unknown is
/// refused.
///
/// ```
/// use hocba_core::class::files::read_table_file;
/// let csv = "Mã học sinh,Họ và tên\nHS1,An\n";
/// let t = read_table_file(csv.as_bytes(), "lop/4A-CN.csv", &Default::default(), None).unwrap();
/// assert_eq!(t.period.map(|p| p.as_str().to_owned()).as_deref(), Some("CN"));
/// assert!(read_table_file(csv.as_bytes(), "bang.csv", &Default::default(), None).is_err());
/// ```
pub fn read_table_file(
    bytes: &[u8],
    name: &str,
    options: &TableOptions,
    sheet_name: Option<&str>,
) -> Result<ClassTable, ClassError> {
    let sheets = read_sheets(bytes, base_name(name))?;
    let chosen = match sheet_name {
        None => sheets.first(),
        Some(n) => sheets.iter().find(|s| s.name == n).or_else(|| {
            sheets
                .iter()
                .find(|s| s.name.trim().eq_ignore_ascii_case(n))
        }),
    };
    let Some(s) = chosen else {
        return Err(ClassError::NoSheet {
            name: name.to_owned(),
            wanted: sheet_name.unwrap_or("").to_owned(),
            available: sheets.iter().map(|s| s.name.clone()).collect(),
        });
    };
    let mut table = sheet::read_table(s, options)?;
    if table.period.is_none() {
        table.period = period_of_name(&s.name).or_else(|| period_of_name(name));
    }
    if table.period.is_none() {
        return Err(ClassError::NoPeriod {
            name: name.to_owned(),
        });
    }
    Ok(table)
}

fn named<'a>(sheets: &'a [Sheet], name: &str) -> Option<&'a Sheet> {
    sheets
        .iter()
        .find(|s| s.name.trim().eq_ignore_ascii_case(name))
}

/// Reads the pupil list from a file's bytes: a CSV file, or the `HocSinh` sheet of a workbook
/// (else its first sheet that is not `Lop`); with the workbook's `Lop` sheet as the class
/// information when it has one.
///
/// ```
/// use hocba_core::class::files::read_pupils;
/// let (list, info) = read_pupils(b"maHocSinh,hoVaTen\nHS1,An\n", "hs.csv").unwrap();
/// assert_eq!(list.pupils.len(), 1);
/// assert!(info.is_none());
/// ```
pub fn read_pupils(bytes: &[u8], name: &str) -> Result<(PupilList, Option<ClassInfo>), ClassError> {
    let sheets = read_sheets(bytes, base_name(name))?;
    let list = named(&sheets, "HocSinh")
        .or_else(|| {
            sheets
                .iter()
                .find(|s| !s.name.trim().eq_ignore_ascii_case("Lop"))
        })
        .ok_or_else(|| ClassError::NoSheet {
            name: name.to_owned(),
            wanted: "HocSinh".into(),
            available: sheets.iter().map(|s| s.name.clone()).collect(),
        })?;
    let pupils = PupilList::from_rows(&list.name, &list.rows)?;
    let info = match named(&sheets, "Lop") {
        Some(s) if is_xlsx(bytes) => Some(ClassInfo::from_rows(&s.name, &s.rows)?),
        _ => None,
    };
    Ok((pupils, info))
}

/// Reads the class information from a file's bytes: a JSON object, or a two-column CSV or
/// workbook (its `Lop` sheet, else its first).
///
/// ```
/// use hocba_core::class::files::read_class_info;
/// let a = read_class_info(br#"{"lop": "4A"}"#, "lop.json").unwrap();
/// let b = read_class_info("lop,4A\n".as_bytes(), "lop.csv").unwrap();
/// assert_eq!(a, b);
/// ```
pub fn read_class_info(bytes: &[u8], name: &str) -> Result<ClassInfo, ClassError> {
    if crate::detect_format(bytes) == Some(crate::InputFormat::Json) {
        return Ok(ClassInfo::from_json(bytes)?);
    }
    let sheets = read_sheets(bytes, base_name(name))?;
    let s = named(&sheets, "Lop")
        .or(sheets.first())
        .ok_or_else(|| ClassError::NoSheet {
            name: name.to_owned(),
            wanted: "Lop".into(),
            available: Vec::new(),
        })?;
    Ok(ClassInfo::from_rows(&s.name, &s.rows)?)
}

/// The report of a build, as `hocba class build --format json` prints it (without the files):
/// `valid` (no error in the tables nor in any record), `findings` (the tables' and the pupil
/// list's), and `records`, one per pupil in the list's order with `maHocSinh` and the record's
/// validation report (`valid`, `years`, `findings`).
///
/// ```
/// use hocba_core::class::build::{build_records, ClassInfo, PupilList};
/// use hocba_core::class::files::build_report;
/// let rows = vec![vec!["maHocSinh".to_owned()], vec!["HS1".to_owned()]];
/// let pupils = PupilList::from_rows("HocSinh", &rows).unwrap();
/// let built = build_records(&pupils, &ClassInfo::default(), &[], &mut |_| Err(String::new())).unwrap();
/// let report = build_report(&built);
/// assert_eq!(report["valid"], false);
/// assert_eq!(report["records"][0]["maHocSinh"], "HS1");
/// ```
pub fn build_report(built: &Built) -> Value {
    let mut valid = !built
        .findings
        .iter()
        .any(|f| f.severity == crate::rules::Severity::Error);
    let records: Vec<Value> = built
        .records
        .iter()
        .map(|(code, record)| {
            let report = crate::rules::validate(record);
            valid &= report.valid;
            let mut map = serde_json::Map::new();
            map.insert("maHocSinh".into(), code.as_str().into());
            if let Value::Object(body) = report.to_json_value() {
                map.extend(body);
            }
            Value::Object(map)
        })
        .collect();
    json!({
        "valid": valid,
        "findings": serde_json::to_value(&built.findings).unwrap_or(Value::Null),
        "records": records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_bilingual() {
        let errors = [
            ClassError::NoPeriod {
                name: "bang.csv".into(),
            },
            ClassError::BadPeriod("HK3".into()),
            ClassError::NoSheet {
                name: "a.xlsx".into(),
                wanted: "CN".into(),
                available: vec!["GHK1".into()],
            },
        ];
        for e in errors {
            assert!(!e.message().is_empty());
            assert_ne!(e.message(), e.message_vi());
            assert_eq!(e.to_string(), e.message());
        }
        let e = read_table_file(
            b"PK\x03\x04garbage",
            "x.xlsx",
            &TableOptions::default(),
            None,
        )
        .expect_err("garbage");
        assert!(matches!(e, ClassError::Sheet(_)));
    }
}
