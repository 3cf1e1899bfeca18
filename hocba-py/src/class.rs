//! Class summary tables (*bảng tổng hợp kết quả đánh giá giáo dục của lớp*): `check_table`,
//! `build_class` and `ClassBuild`, glue over `hocba_core::class` (`docs/class.md`).
//!
//! Inputs are read the way `hocba class check|build` reads them (`hocba_core::class::files`);
//! files are read, tables parsed and checked, and records built and validated with the GIL
//! released. Reports have the CLI's JSON shape (without `file`).

use std::borrow::Cow;
use std::path::PathBuf;

use hocba_core::class::build::{build_records, ClassInfo};
use hocba_core::class::files::{self, ClassError};
use hocba_core::class::sheet::TableOptions;
use hocba_core::model::Period;
use hocba_core::rules;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde_json::{json, Map, Value};

use super::{
    finding_from_json, members, not_a_report, object_to_py, py_to_json, report_from_json, Finding,
    ParseError, Record, Report,
};

/// A file given as its content or its path.
enum Source {
    Bytes(Vec<u8>),
    Path(PathBuf),
}

impl Source {
    /// `bytes` as the content; `str` or `os.PathLike` as a path.
    fn from_py(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Source> {
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(Source::Bytes(b.as_bytes().to_vec()));
        }
        obj.extract::<PathBuf>().map(Source::Path).map_err(|_| {
            let kind = obj
                .get_type()
                .name()
                .map_or_else(|_| "?".to_owned(), |n| n.to_string());
            PyTypeError::new_err(format!(
                "{what}: give bytes (the file's content) or a path (str or os.PathLike), not {kind}"
            ))
        })
    }

    /// The name of the file in messages and cell references: the path as given, else `default`.
    fn name(&self, default: &str) -> String {
        match self {
            Source::Bytes(_) => default.to_owned(),
            Source::Path(p) => p.to_string_lossy().into_owned(),
        }
    }

    /// The content (reads the file; call with the GIL released).
    fn read(&self) -> Result<Cow<'_, [u8]>, Failure> {
        match self {
            Source::Bytes(b) => Ok(Cow::Borrowed(b)),
            Source::Path(p) => std::fs::read(p)
                .map(Cow::Owned)
                .map_err(|e| Failure::Io(p.clone(), e)),
        }
    }
}

/// Why a call failed, built without the GIL and raised after.
enum Failure {
    /// A file cannot be read: `OSError` (its subclass by errno) with the file name.
    Io(PathBuf, std::io::Error),
    /// An input cannot be read: `ParseError`.
    Parse { en: String, vi: String },
    /// An argument is wrong or missing: `ValueError`.
    Value { en: String, vi: String },
}

impl Failure {
    fn parse(en: String, vi: String) -> Self {
        Failure::Parse { en, vi }
    }

    fn value(en: String, vi: String) -> Self {
        Failure::Value { en, vi }
    }

    /// The error of reading the input `name`, worded as the CLI words it: the name first
    /// unless the message has it; a bad period is a `ValueError`.
    fn class(name: &str, e: &ClassError) -> Self {
        match e {
            ClassError::BadPeriod(_) => Failure::value(e.message(), e.message_vi()),
            ClassError::NoPeriod { .. } | ClassError::NoSheet { .. } => {
                Failure::parse(e.message(), e.message_vi())
            }
            _ => Failure::parse(
                format!("{name}: {}", e.message()),
                format!("{name}: {}", e.message_vi()),
            ),
        }
    }

    /// The Python exception: ``str(exc)`` is the English message; ``message`` and
    /// ``message_vi`` are set (and, for ``ParseError``, ``line``, ``column``, ``offset`` are
    /// ``None``, as for the other errors without a position).
    fn into_py(self, py: Python<'_>) -> PyErr {
        let (err, en, vi, position) = match self {
            Failure::Io(path, e) => {
                let file = path.to_string_lossy().into_owned();
                return match e.raw_os_error() {
                    Some(code) => PyOSError::new_err((code, e.to_string(), file)),
                    None => PyOSError::new_err(format!("{file}: {e}")),
                };
            }
            Failure::Parse { en, vi } => (ParseError::new_err(en.clone()), en, vi, true),
            Failure::Value { en, vi } => (PyValueError::new_err(en.clone()), en, vi, false),
        };
        let annotate = || -> PyResult<()> {
            let value = err.value(py);
            value.setattr("message", en.as_str())?;
            value.setattr("message_vi", vi.as_str())?;
            if position {
                for key in ["line", "column", "offset"] {
                    value.setattr(key, py.None())?;
                }
            }
            Ok(())
        };
        match annotate() {
            Ok(()) => err,
            Err(e) => e,
        }
    }
}

/// A period from its code in any case; a `ValueError` (bilingual) for anything else.
fn period(py: Python<'_>, text: &str) -> PyResult<Period> {
    files::parse_period(text).map_err(|e| Failure::class("", &e).into_py(py))
}

/// Kiểm tra bảng tổng hợp kết quả đánh giá giáo dục — checks one class summary table (one class,
/// one period; ``docs/class.md``) against the rules of its period (*kỳ đánh giá*: ``GHK1``,
/// ``CHK1``, ``GHK2``, ``CN``), as ``hocba class check`` does, and returns the ``Report``.
///
/// ``table`` is the file's content (``bytes``) or its path; CSV or XLSX is told by content.
/// ``period`` (any case): by default the title row's, else the sheet's name, else the file's
/// name (``CN.csv``). ``grade`` (*khối*): by default from the title row or the class name.
/// ``sheet``: the worksheet (default: the first). ``name`` names the file in messages, cell
/// references and period detection (default: the path, or ``"table.csv"`` for bytes).
/// Findings have paths ``lop.<maHocSinh>.<ky>.<field>`` and the ``sheet``, ``row``, ``column``
/// and ``cell`` in ``context``. The GIL is released.
///
/// Raises ``ParseError`` when the table cannot be read, ``ValueError`` for a bad ``period``,
/// ``OSError`` when the file cannot be opened.
#[pyfunction]
#[pyo3(signature = (table, *, period = None, grade = None, sheet = None, name = None))]
pub(crate) fn check_table(
    py: Python<'_>,
    table: &Bound<'_, PyAny>,
    period: Option<&str>,
    grade: Option<u8>,
    sheet: Option<String>,
    name: Option<String>,
) -> PyResult<Report> {
    let source = Source::from_py(table, "table")?;
    let period = period.map(|p| self::period(py, p)).transpose()?;
    let name = name.unwrap_or_else(|| source.name("table.csv"));
    let options = TableOptions {
        period,
        grade,
        class_name: None,
    };
    py.detach(|| -> Result<rules::Report, Failure> {
        let bytes = source.read()?;
        let table = files::read_table_file(&bytes, &name, &options, sheet.as_deref())
            .map_err(|e| Failure::class(&name, &e))?;
        Ok(hocba_core::class::check::check_table(&table))
    })
    .map(|inner| Report { inner })
    .map_err(|f| f.into_py(py))
}

/// One table of `build_class`: where it is and the period the caller gave.
struct TableSpec {
    index: usize,
    period: Option<Period>,
    source: Source,
}

/// The class information as given to `build_class`.
enum InfoSource {
    None,
    File(Source),
    Given(ClassInfo),
}

/// The tables argument: a sequence of sources or `(period, source)` pairs.
fn table_specs(py: Python<'_>, tables: &Bound<'_, PyAny>) -> PyResult<Vec<TableSpec>> {
    let wrong = || {
        PyTypeError::new_err(
            "tables: give a sequence of tables, each bytes, a path, or a (period, bytes or path) pair",
        )
    };
    if tables.is_instance_of::<PyBytes>() || tables.is_instance_of::<PyString>() {
        return Err(wrong());
    }
    let mut specs = Vec::new();
    for (index, item) in tables.try_iter().map_err(|_| wrong())?.enumerate() {
        let item = item?;
        let what = format!("tables[{index}]");
        if let Ok(pair) = item.cast::<PyTuple>() {
            if pair.len() != 2 {
                return Err(PyTypeError::new_err(format!(
                    "{what}: a pair is (period, bytes or path), not a tuple of {}",
                    pair.len()
                )));
            }
            let code: String = pair.get_item(0)?.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{what}: the period is a str (GHK1, CHK1, GHK2, CN)"
                ))
            })?;
            specs.push(TableSpec {
                index,
                period: Some(period(py, &code)?),
                source: Source::from_py(&pair.get_item(1)?, &what)?,
            });
        } else {
            specs.push(TableSpec {
                index,
                period: None,
                source: Source::from_py(&item, &what)?,
            });
        }
    }
    Ok(specs)
}

/// The class_info argument: `None`, a mapping of the keys of `CLASS_KEYS`, bytes or a path.
fn info_source(py: Python<'_>, info: Option<&Bound<'_, PyAny>>) -> PyResult<InfoSource> {
    let Some(info) = info.filter(|i| !i.is_none()) else {
        return Ok(InfoSource::None);
    };
    if info.is_instance_of::<PyBytes>() || info.is_instance_of::<PyString>() {
        return Source::from_py(info, "class_info").map(InfoSource::File);
    }
    let Ok(mapping) = info.cast::<PyMapping>() else {
        return Source::from_py(info, "class_info").map(InfoSource::File);
    };
    let mut map = Map::new();
    for item in mapping.items()?.iter() {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let key: String = key
            .extract()
            .map_err(|_| PyTypeError::new_err("class_info: the keys are str"))?;
        let value = if value.is_none() {
            Value::Null
        } else if value.is_instance_of::<PyBool>() {
            return Err(PyTypeError::new_err(format!(
                "class_info[{key:?}]: give a str or an int, not a bool"
            )));
        } else if let Ok(i) = value.cast::<PyInt>() {
            Value::from(i.extract::<i64>()?)
        } else if let Ok(s) = value.cast::<PyString>() {
            Value::String(s.to_cow()?.into_owned())
        } else {
            return Err(PyTypeError::new_err(format!(
                "class_info[{key:?}]: give a str or an int, not {}",
                value.get_type().name()?
            )));
        };
        map.insert(key, value);
    }
    let bytes = serde_json::to_vec(&Value::Object(map))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    ClassInfo::from_json(&bytes)
        .map(InfoSource::Given)
        .map_err(|e| {
            Failure::value(
                format!("class_info: {}", e.message()),
                format!("class_info: {}", e.message_vi()),
            )
            .into_py(py)
        })
}

/// Lập học bạ cả lớp — builds each pupil's record from the pupil list (*danh sách học sinh*), the
/// class information (*thông tin lớp*) and the class summary tables of the periods, and validates
/// every record, as ``hocba class build`` does; returns a ``ClassBuild``.
///
/// ``pupils``: content or path (CSV, or a workbook whose ``Lop`` sheet may hold the class
/// information). ``tables``: each a table's content or path, or a ``(period, content or path)``
/// pair. ``class_info``: a path, content (JSON or a two-column sheet) or a mapping of the keys of
/// ``Lop`` (``maTruong``, ``khoi``, ``lop``, …); required unless the pupils' workbook has a
/// ``Lop`` sheet. ``photo_dir``: the folder of the ``anh`` paths (default: the pupil list's
/// folder when it is a path; else each photo is a finding). The GIL is released.
///
/// Raises ``ParseError`` when an input cannot be read, ``ValueError`` when the class
/// information is missing or wrong or a period is not one, ``OSError`` when a file cannot be
/// opened.
#[pyfunction]
#[pyo3(signature = (pupils, tables, *, class_info = None, photo_dir = None))]
pub(crate) fn build_class(
    py: Python<'_>,
    pupils: &Bound<'_, PyAny>,
    tables: &Bound<'_, PyAny>,
    class_info: Option<&Bound<'_, PyAny>>,
    photo_dir: Option<PathBuf>,
) -> PyResult<ClassBuild> {
    let pupils = Source::from_py(pupils, "pupils")?;
    let specs = table_specs(py, tables)?;
    let info = info_source(py, class_info)?;
    let photo_dir = photo_dir.or_else(|| match &pupils {
        Source::Path(p) => Some(p.parent().map(PathBuf::from).unwrap_or_default()),
        Source::Bytes(_) => None,
    });
    py.detach(|| -> Result<ClassBuild, Failure> {
        let pupils_name = pupils.name("hoc-sinh.csv");
        let (list, beside) = files::read_pupils(&pupils.read()?, &pupils_name)
            .map_err(|e| Failure::class(&pupils_name, &e))?;
        let info = match (info, beside) {
            (InfoSource::Given(info), _) => info,
            (InfoSource::File(source), _) => {
                let name = source.name("lop.csv");
                files::read_class_info(&source.read()?, &name)
                    .map_err(|e| Failure::class(&name, &e))?
            }
            (InfoSource::None, Some(info)) => info,
            (InfoSource::None, None) => {
                return Err(Failure::value(
                    format!(
                        "{pupils_name}: no `Lop` sheet with the class information; add one or give class_info="
                    ),
                    format!(
                        "{pupils_name}: không có trang tính `Lop` chứa thông tin lớp; hãy thêm hoặc dùng class_info="
                    ),
                ))
            }
        };
        let grade = info.grade();
        let mut read = Vec::with_capacity(specs.len());
        for spec in &specs {
            let default = spec
                .period
                .as_ref()
                .map_or_else(|| "table.csv".to_owned(), |p| format!("{}.csv", p.as_str()));
            let name = spec.source.name(&default);
            let options = TableOptions {
                period: spec.period.clone(),
                grade,
                class_name: None,
            };
            let table = files::read_table_file(&spec.source.read()?, &name, &options, None)
                .map_err(|e| match (Failure::class(&name, &e), &spec.source) {
                    // Say which of the tables given as bytes it is.
                    (Failure::Parse { en, vi }, Source::Bytes(_)) => Failure::parse(
                        format!("tables[{}]: {en}", spec.index),
                        format!("tables[{}]: {vi}", spec.index),
                    ),
                    (f, _) => f,
                })?;
            read.push(table);
        }
        let built = build_records(&list, &info, &read, &mut |p: &str| match &photo_dir {
            Some(dir) => std::fs::read(dir.join(p)).map_err(|e| e.to_string()),
            None => Err("photo_dir=None".to_owned()),
        })
        .map_err(|e| Failure::class(&pupils_name, &ClassError::Build(e)))?;
        let reports = built
            .records
            .iter()
            .map(|(_, record)| rules::validate(record))
            .collect();
        Ok(ClassBuild {
            records: built.records,
            reports,
            findings: built.findings,
        })
    })
    .map_err(|f| f.into_py(py))
}

/// Kết quả lập học bạ cả lớp — what ``build_class`` built: one record per pupil of the list (in
/// its order) with its validation report, and the findings about the tables and the pupil list.
///
/// Immutable and picklable; two builds are equal when their content is. ``to_dict()`` is the
/// CLI's ``hocba class build --format json`` (without the files).
#[pyclass(frozen, eq, module = "hocba")]
#[derive(Debug, PartialEq)]
pub struct ClassBuild {
    records: Vec<(String, hocba_core::Record)>,
    reports: Vec<rules::Report>,
    findings: Vec<rules::Finding>,
}

impl ClassBuild {
    fn is_valid(&self) -> bool {
        !self
            .findings
            .iter()
            .any(|f| f.severity == rules::Severity::Error)
            && self.reports.iter().all(|r| r.valid)
    }

    /// The shape of `hocba_core::class::files::build_report`.
    fn to_value(&self) -> Value {
        let records: Vec<Value> = self
            .records
            .iter()
            .zip(&self.reports)
            .map(|((code, _), report)| {
                let mut map = Map::new();
                map.insert("maHocSinh".into(), code.as_str().into());
                if let Value::Object(body) = report.to_json_value() {
                    map.extend(body);
                }
                Value::Object(map)
            })
            .collect();
        json!({
            "valid": self.is_valid(),
            "findings": serde_json::to_value(&self.findings).unwrap_or(Value::Null),
            "records": records,
        })
    }
}

#[pymethods]
impl ClassBuild {
    /// True when no finding about the tables and no record has a finding of severity
    /// ``"error"``.
    #[getter]
    fn valid(&self) -> bool {
        self.is_valid()
    }

    /// The findings about the tables and the pupil list (paths ``lop.<maHocSinh>.<ky>.…``, the
    /// cell in ``context``), in the order of the periods, then the rows (a new list on each
    /// access). The records' own findings are in ``reports``.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.findings.iter().map(Finding::from_core).collect()
    }

    /// ``(maHocSinh, Record)`` pairs, in the order of the pupil list (a new list on each access).
    #[getter]
    fn records(&self) -> Vec<(String, Record)> {
        self.records
            .iter()
            .map(|(code, record)| {
                (
                    code.clone(),
                    Record {
                        inner: record.clone(),
                    },
                )
            })
            .collect()
    }

    /// Each record's validation report, in the order of ``records``.
    #[getter]
    fn reports(&self) -> Vec<Report> {
        self.reports
            .iter()
            .map(|r| Report { inner: r.clone() })
            .collect()
    }

    /// The build as plain Python data, the CLI's ``hocba class build --format json`` without the
    /// files: ``valid``, ``findings`` and ``records`` (one per pupil: ``maHocSinh`` and the
    /// record's ``valid``, ``years``, ``findings``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        object_to_py(py, self.to_value())
    }

    /// ``to_dict`` as JSON text (two-space indentation, a final newline).
    fn to_json(&self) -> String {
        format!("{:#}\n", self.to_value())
    }

    /// The number of records.
    fn __len__(&self) -> usize {
        self.records.len()
    }

    fn __repr__(&self) -> String {
        let title = |b: bool| if b { "True" } else { "False" };
        format!(
            "<ClassBuild valid={} records={} findings={} invalid_records={}>",
            title(self.is_valid()),
            self.records.len(),
            self.findings.len(),
            self.reports.iter().filter(|r| !r.valid).count(),
        )
    }

    /// Rebuilds a build from ``to_dict()`` and the records' canonical JSON (private: the
    /// unpickling constructor).
    ///
    /// Raises ``ValueError`` when they are not a build's.
    #[classmethod]
    fn _from_state(
        _cls: &Bound<'_, PyType>,
        report: &Bound<'_, PyDict>,
        records: Vec<String>,
    ) -> PyResult<Self> {
        let value = py_to_json(report.as_any())?;
        let m = members(&value, "the build", &["valid", "findings", "records"])?;
        let findings = m["findings"]
            .as_array()
            .ok_or_else(|| not_a_report("findings is not a list"))?
            .iter()
            .map(finding_from_json)
            .collect::<PyResult<Vec<_>>>()?;
        let entries = m["records"]
            .as_array()
            .ok_or_else(|| not_a_report("records is not a list"))?;
        if entries.len() != records.len() {
            return Err(not_a_report("one record's JSON per entry of records"));
        }
        let mut built = ClassBuild {
            records: Vec::with_capacity(records.len()),
            reports: Vec::with_capacity(records.len()),
            findings,
        };
        for (entry, json) in entries.iter().zip(&records) {
            let mut entry = entry
                .as_object()
                .ok_or_else(|| not_a_report("a record entry is not an object"))?
                .clone();
            let code = match entry.remove("maHocSinh") {
                Some(Value::String(s)) => s,
                _ => return Err(not_a_report("maHocSinh is not a string")),
            };
            built.reports.push(report_from_json(&Value::Object(entry))?);
            let record = hocba_core::json::from_slice(json.as_bytes())
                .map_err(|e| not_a_report(format!("the record of {code}: {}", e.message())))?;
            built.records.push((code, record));
        }
        if m["valid"].as_bool() != Some(built.is_valid()) {
            return Err(not_a_report("valid does not match the findings"));
        }
        Ok(built)
    }

    /// Pickling: ``(ClassBuild._from_state, (self.to_dict(), [each record's canonical JSON]))``.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let constructor = slf.get_type().getattr("_from_state")?;
        let this = slf.get();
        let jsons: Vec<String> = py.detach(|| {
            this.records
                .iter()
                .map(|(_, r)| hocba_core::json::to_string(r))
                .collect()
        });
        let args = (this.to_dict(py)?, PyList::new(py, jsons)?);
        Ok((constructor, args.into_pyobject(py)?))
    }
}
