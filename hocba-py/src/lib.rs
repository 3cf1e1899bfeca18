//! # hocba-py
//!
//! The private extension module `hocba._hocba`: pyo3 glue over `hocba-core` for the Python
//! package `hocba` (Học bạ số cấp Tiểu học — Vietnam's digital primary-school record).
//!
//! Everything here is glue: parsing, writing, validation and schemas are `hocba-core`'s. The
//! public package (`python/hocba/__init__.py`) re-exports these names; the stubs are
//! `python/hocba/_hocba.pyi`.
//!
//! Conventions (`design.md`, "Python"):
//! - `Record`, `Report`, `Finding` and `YearSummary` are frozen classes: immutable, shareable
//!   between threads. Their getters return fresh Python objects (a `context` dict, a list of
//!   findings), so changing what a getter returned never changes the object.
//! - Rust errors become Python exceptions in one place, [`to_py_err`].
//! - Calls whose cost grows with the input (parsing, writing, validating) release the GIL
//!   (`py.detach`).

use std::borrow::Cow;

use hocba_core::model::YearResult;
use hocba_core::rules;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyInt, PyIterator, PyList, PyString, PyTuple, PyType,
};
use serde_json::{Map, Value};

mod class;

create_exception!(
    hocba,
    HocbaError,
    PyException,
    "Lỗi — the base class of this library's operational errors.\n\n\
     Attributes: ``message`` (English), ``message_vi`` (Vietnamese), and ``line``, ``column``\n\
     (from 1, the column in characters) and ``offset`` (bytes, from 0) of the input, or ``None``\n\
     when unknown."
);
create_exception!(
    hocba,
    ParseError,
    HocbaError,
    "Lỗi đọc — the input cannot be read: a record (not XML or JSON of format v1), or a class\n\
     summary table, pupil list or class information (``docs/class.md``)."
);

create_exception!(
    hocba,
    RenderError,
    HocbaError,
    "Lỗi xuất PDF — a document cannot be rendered (no such school year, ``year`` needed, an\n\
     unusable font, ``require_valid`` and the record has errors)."
);
create_exception!(
    hocba,
    ExtractError,
    HocbaError,
    "Lỗi trích xuất — the record cannot be read out of a PDF (not a PDF, damaged, or no\n\
     embedded ``hocba.xml``)."
);

create_exception!(
    hocba,
    SigningError,
    HocbaError,
    "Lỗi ký số — a document cannot be signed (out of order, already signed, no such field, a\n\
     record with errors, an unusable key or certificate, a signature that does not verify)."
);

create_exception!(
    hocba,
    VerificationError,
    HocbaError,
    "Lỗi kiểm tra — the input of a verification cannot be used at all (not a PDF, an unreadable\n\
     certificate or CRL, a bad option). A bad signature is never an exception: it is a\n\
     ``VerificationReport`` whose ``indication`` is not ``TOTAL_PASSED``."
);

/// A signing error as a `SigningError` (no position: ``line``, ``column``, ``offset`` are
/// ``None``).
fn sign_err(py: Python<'_>, err: &hocba_core::pdf::sign::SignError) -> PyErr {
    let message = err.message();
    let py_err = SigningError::new_err(message.clone());
    let annotate = || -> PyResult<()> {
        let value = py_err.value(py);
        value.setattr("message", message.as_str())?;
        value.setattr("message_vi", err.message_vi())?;
        value.setattr("line", py.None())?;
        value.setattr("column", py.None())?;
        value.setattr("offset", py.None())?;
        Ok(())
    };
    match annotate() {
        Ok(()) => py_err,
        Err(e) => e,
    }
}

/// The one place where a `hocba-core` error becomes a Python exception.
///
/// The exception's `args` is `(message,)`, so `str(exc)` is the English message; the attributes
/// `message`, `message_vi`, `line`, `column` and `offset` are set on the instance.
fn to_py_err(py: Python<'_>, err: hocba_core::Error) -> PyErr {
    let message = err.message();
    let py_err = match &err {
        hocba_core::Error::Parse(_) => ParseError::new_err(message.clone()),
        hocba_core::Error::Render(_) => RenderError::new_err(message.clone()),
        hocba_core::Error::Extract(_) => ExtractError::new_err(message.clone()),
        _ => HocbaError::new_err(message.clone()),
    };
    let position = err.position();
    let annotate = || -> PyResult<()> {
        let value = py_err.value(py);
        value.setattr("message", message.as_str())?;
        value.setattr("message_vi", err.message_vi())?;
        value.setattr("line", position.map(|p| p.line))?;
        value.setattr("column", position.map(|p| p.column))?;
        value.setattr("offset", position.map(|p| p.offset))?;
        Ok(())
    };
    match annotate() {
        Ok(()) => py_err,
        Err(e) => e,
    }
}

/// Input given as `bytes` or `str` (a `str` is read as its UTF-8 encoding).
fn bytes_or_str<'a>(data: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = data.cast::<PyBytes>() {
        Ok(Cow::Borrowed(b.as_bytes()))
    } else if let Ok(s) = data.cast::<PyString>() {
        Ok(Cow::Owned(s.to_cow()?.into_owned().into_bytes()))
    } else {
        Err(PyTypeError::new_err(format!(
            "expected bytes or str, got {}",
            data.get_type().name()?
        )))
    }
}

/// Runs a reader with the GIL released and maps its error.
fn read_with(
    py: Python<'_>,
    input: &[u8],
    reader: fn(&[u8]) -> hocba_core::Result<hocba_core::Record>,
) -> PyResult<Record> {
    py.detach(|| reader(input))
        .map(|inner| Record { inner })
        .map_err(|e| to_py_err(py, e))
}

/// Học bạ — the record of one pupil at one school (format v1).
///
/// Immutable. Read one with ``Record.from_xml``, ``Record.from_json``, ``Record.parse`` or
/// ``Record.from_dict``; write it with ``to_xml``, ``to_json`` or ``to_dict``. Two records are
/// equal when their content is; records pickle through their canonical JSON.
#[pyclass(frozen, eq, module = "hocba")]
#[derive(Debug, PartialEq)]
pub struct Record {
    inner: hocba_core::Record,
}

#[pymethods]
impl Record {
    /// Reads a record from XML (format v1, UTF-8).
    ///
    /// Raises ``ParseError`` when the input is not a well-formed record of format v1.
    #[classmethod]
    fn from_xml(_cls: &Bound<'_, PyType>, py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        read_with(py, data, hocba_core::xml::from_slice)
    }

    /// Reads a record from JSON (format v1), given as ``bytes`` (UTF-8) or ``str``.
    ///
    /// Raises ``ParseError`` when the input is not a record of format v1.
    #[classmethod]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let input = bytes_or_str(data)?;
        read_with(py, &input, hocba_core::json::from_slice)
    }

    /// Reads a record in XML or JSON, detected from its first non-blank character.
    ///
    /// Raises ``ParseError`` when the input is neither, or not a record of format v1.
    #[classmethod]
    fn parse(_cls: &Bound<'_, PyType>, py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        read_with(py, data, hocba_core::read_record)
    }

    /// Reads a record from a dict shaped like its JSON (as ``to_dict`` returns).
    ///
    /// Raises ``ParseError`` (without a position) when the dict is not a record of format v1,
    /// and ``TypeError`` or ``ValueError`` when it holds values JSON cannot represent.
    #[classmethod]
    fn from_dict(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        d: &Bound<'_, PyDict>,
    ) -> PyResult<Self> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("ensure_ascii", false)?;
        let text = py
            .import("json")?
            .call_method("dumps", (d,), Some(&kwargs))?
            .cast_into::<PyString>()?;
        let text = text.to_cow()?;
        let input = text.as_bytes();
        py.detach(|| hocba_core::json::from_slice(input))
            .map(|inner| Record { inner })
            .map_err(|e| {
                // A position in the dumped JSON text means nothing to the caller.
                let e = match e {
                    hocba_core::Error::Parse(mut p) => {
                        p.position = None;
                        hocba_core::Error::Parse(p)
                    }
                    other => other,
                };
                to_py_err(py, e)
            })
    }

    /// The canonical XML of the record (UTF-8, with the XML declaration and a final newline).
    fn to_xml<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let xml = py.detach(|| hocba_core::xml::to_string(&self.inner));
        PyBytes::new(py, xml.as_bytes())
    }

    /// The canonical JSON of the record (two-space indentation, a final newline).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| hocba_core::json::to_string(&self.inner))
    }

    /// The record as plain Python data: exactly ``json.loads(self.to_json())``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let json = self.to_json(py);
        Ok(py
            .import("json")?
            .call_method1("loads", (json,))?
            .cast_into::<PyDict>()?)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let id = self.inner.record_id.as_ref().map(|t| t.as_str());
        let name = self
            .inner
            .pupil
            .as_ref()
            .and_then(|p| p.full_name.as_ref())
            .map(|t| t.as_str());
        Ok(format!(
            "<Record maDinhDanhHocBa={} hoVaTen={}>",
            py_repr(py, id)?,
            py_repr(py, name)?
        ))
    }

    /// Validates the record against every rule of the catalogue: the same as
    /// ``hocba.validate(record)``.
    fn validate(&self, py: Python<'_>) -> Report {
        validate_record(py, &self.inner)
    }

    /// Pickling: ``(Record.from_json, (canonical JSON,))``.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let constructor = slf.get_type().getattr("from_json")?;
        let json = slf.get().to_json(py);
        Ok((constructor, PyTuple::new(py, [json])?))
    }
}

// --- JSON values between Rust and Python --------------------------------------------------------

/// A JSON value as plain Python data, as ``json.loads`` gives it (object keys keep their order).
fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

/// A JSON object as a Python dict, in key order.
fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in map {
        dict.set_item(key, json_to_py(py, value)?)?;
    }
    Ok(dict)
}

/// A JSON object (as `Serialize` gives it) as a Python dict.
fn object_to_py<'py>(py: Python<'py>, value: Value) -> PyResult<Bound<'py, PyDict>> {
    match value {
        Value::Object(map) => map_to_py(py, &map),
        _ => Err(PyValueError::new_err("internal error: not a JSON object")),
    }
}

/// Plain Python data (``None``, ``bool``, ``int``, ``float``, ``str``, ``list``, ``tuple``,
/// ``dict`` with ``str`` keys) as a JSON value. Floats are taken exactly, not re-read from text.
fn py_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if let Ok(i) = obj.cast::<PyInt>() {
        match i.extract::<i64>() {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => Ok(Value::from(i.extract::<u64>()?)),
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity are not JSON numbers"))
    } else if let Ok(s) = obj.cast::<PyString>() {
        Ok(Value::String(s.to_cow()?.into_owned()))
    } else if let Ok(list) = obj.cast::<PyList>() {
        list.iter().map(|item| py_to_json(&item)).collect()
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        tuple.iter().map(|item| py_to_json(&item)).collect()
    } else if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, value) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("a JSON object's keys must be str"))?;
            map.insert(key.to_cow()?.into_owned(), py_to_json(&value)?);
        }
        Ok(Value::Object(map))
    } else {
        Err(PyTypeError::new_err(format!(
            "{} is not JSON data",
            obj.get_type().name()?
        )))
    }
}

// --- Reading a report back from its JSON (unpickling) -------------------------------------------

/// The error of a dict that is not (part of) a validation report.
fn not_a_report(what: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("not a validation report: {what}"))
}

/// The members of `value`, an object with exactly `keys`.
fn members<'a>(value: &'a Value, what: &str, keys: &[&str]) -> PyResult<&'a Map<String, Value>> {
    let map = value
        .as_object()
        .ok_or_else(|| not_a_report(format!("{what} is not an object")))?;
    if map.len() != keys.len() || !keys.iter().all(|k| map.contains_key(*k)) {
        return Err(not_a_report(format!(
            "{what} must have exactly the keys {}",
            keys.join(", ")
        )));
    }
    Ok(map)
}

/// The string member `key` (`None` when it is `null` and `nullable`).
fn string_member<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    nullable: bool,
) -> PyResult<Option<&'a str>> {
    match map.get(key) {
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Null) if nullable => Ok(None),
        _ => Err(not_a_report(format!("{key} is not a string"))),
    }
}

fn required_string<'a>(map: &'a Map<String, Value>, key: &str) -> PyResult<&'a str> {
    string_member(map, key, false)?.ok_or_else(|| not_a_report(format!("{key} is missing")))
}

const FINDING_KEYS: [&str; 7] = [
    "code",
    "severity",
    "path",
    "message",
    "messageVi",
    "clause",
    "context",
];

fn finding_from_json(value: &Value) -> PyResult<rules::Finding> {
    let m = members(value, "a finding", &FINDING_KEYS)?;
    let name = required_string(m, "code")?;
    let code = rules::codes::find(name)
        .ok_or_else(|| not_a_report(format!("{name:?} is not a finding code")))?;
    if required_string(m, "severity")? != code.severity.as_str() {
        return Err(not_a_report(format!(
            "the severity of {name} is {}",
            code.severity.as_str()
        )));
    }
    if required_string(m, "clause")? != code.clause {
        return Err(not_a_report(format!(
            "the clause of {name} is {:?}",
            code.clause
        )));
    }
    let context = m["context"]
        .as_object()
        .ok_or_else(|| not_a_report("context is not an object"))?
        .clone();
    Ok(rules::Finding {
        code: code.code,
        severity: code.severity,
        path: required_string(m, "path")?.to_owned(),
        message: required_string(m, "message")?.to_owned(),
        message_vi: required_string(m, "messageVi")?.to_owned(),
        clause: code.clause,
        context,
    })
}

fn year_from_json(value: &Value) -> PyResult<rules::YearSummary> {
    let m = members(value, "a year", &["schoolYear", "grade", "derivedResult"])?;
    let grade = match &m["grade"] {
        Value::Null => None,
        v => Some(
            v.as_i64()
                .ok_or_else(|| not_a_report("grade is not an integer"))?,
        ),
    };
    let derived_result = match string_member(m, "derivedResult", true)? {
        None => None,
        Some(s) => Some(
            Some(YearResult::parse(s))
                .filter(|r| r.is_known() && r.as_str() == s)
                .ok_or_else(|| not_a_report(format!("{s:?} is not a year-end result")))?,
        ),
    };
    Ok(rules::YearSummary {
        school_year: string_member(m, "schoolYear", true)?.map(str::to_owned),
        grade,
        derived_result,
    })
}

fn report_from_json(value: &Value) -> PyResult<rules::Report> {
    let m = members(value, "the report", &["valid", "years", "findings"])?;
    let valid = m["valid"]
        .as_bool()
        .ok_or_else(|| not_a_report("valid is not a bool"))?;
    let list = |key: &str| {
        m[key]
            .as_array()
            .ok_or_else(|| not_a_report(format!("{key} is not a list")))
    };
    Ok(rules::Report {
        valid,
        years: list("years")?
            .iter()
            .map(year_from_json)
            .collect::<PyResult<_>>()?,
        findings: list("findings")?
            .iter()
            .map(finding_from_json)
            .collect::<PyResult<_>>()?,
    })
}

/// Pickling support: `(cls._from_dict, (self.to_dict(),))`.
fn reduce_via_dict<'py>(
    obj: &Bound<'py, PyAny>,
    dict: Bound<'py, PyDict>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
    let constructor = obj.get_type().getattr("_from_dict")?;
    Ok((constructor, PyTuple::new(obj.py(), [dict])?))
}

/// Quotes an optional string as Python's ``repr`` does.
fn py_repr(py: Python<'_>, s: Option<&str>) -> PyResult<String> {
    match s {
        Some(s) => Ok(PyString::new(py, s).repr()?.to_cow()?.into_owned()),
        None => Ok("None".to_owned()),
    }
}

// --- Validation ---------------------------------------------------------------------------------

/// Runs the rule engine with the GIL released.
fn validate_record(py: Python<'_>, record: &hocba_core::Record) -> Report {
    Report {
        inner: py.detach(|| rules::validate(record)),
    }
}

/// Báo cáo kiểm tra — the validation report of one record.
///
/// ``valid`` is true when no finding has severity ``"error"``. ``findings`` are in document order
/// of their paths, then code; ``years`` summarise each school year. ``len(report)`` is the number
/// of findings and iterating a report gives them (so test ``report.valid``, not ``bool(report)``).
/// Immutable; reports compare equal when their content is, and pickle through ``to_dict``.
#[pyclass(frozen, eq, module = "hocba")]
#[derive(Debug, PartialEq)]
pub struct Report {
    inner: rules::Report,
}

impl Report {
    fn with_severity(&self, severity: rules::Severity) -> Vec<Finding> {
        self.inner
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(Finding::from_core)
            .collect()
    }
}

#[pymethods]
impl Report {
    /// True when no finding has severity ``"error"``.
    #[getter]
    fn valid(&self) -> bool {
        self.inner.valid
    }

    /// One summary per school year, in record order.
    #[getter]
    fn years(&self) -> Vec<YearSummary> {
        self.inner
            .years
            .iter()
            .map(|y| YearSummary { inner: y.clone() })
            .collect()
    }

    /// Every finding, in document order of their paths, then code (a new list on each access).
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.inner.findings.iter().map(Finding::from_core).collect()
    }

    /// The findings of severity ``"error"``, in order.
    #[getter]
    fn errors(&self) -> Vec<Finding> {
        self.with_severity(rules::Severity::Error)
    }

    /// The findings of severity ``"warning"``, in order.
    #[getter]
    fn warnings(&self) -> Vec<Finding> {
        self.with_severity(rules::Severity::Warning)
    }

    /// The report as plain Python data, keyed as ``format.md``'s report (the CLI's JSON without
    /// ``file``): ``valid``, ``years`` and ``findings``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        object_to_py(py, self.inner.to_json_value())
    }

    /// The report as JSON (two-space indentation, a final newline): ``to_dict`` as text.
    fn to_json(&self) -> String {
        format!("{:#}\n", self.inner.to_json_value())
    }

    fn __len__(&self) -> usize {
        self.inner.findings.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        PyList::new(py, self.findings())?.try_iter()
    }

    fn __repr__(&self) -> String {
        let title = |b: bool| if b { "True" } else { "False" };
        format!(
            "<Report valid={} years={} errors={} warnings={}>",
            title(self.inner.valid),
            self.inner.years.len(),
            self.inner.count(rules::Severity::Error),
            self.inner.count(rules::Severity::Warning),
        )
    }

    /// Rebuilds a report from ``to_dict()`` (private: the unpickling constructor).
    ///
    /// Raises ``ValueError`` when the dict is not a validation report.
    #[classmethod]
    fn _from_dict(_cls: &Bound<'_, PyType>, d: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(Report {
            inner: report_from_json(&py_to_json(d.as_any())?)?,
        })
    }

    /// Pickling: ``(Report._from_dict, (self.to_dict(),))``.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        reduce_via_dict(slf.as_any(), slf.get().to_dict(py)?)
    }
}

/// Phát hiện — one finding: a rule the record breaks, where, and what to do.
///
/// Immutable; findings compare equal when their content is, and pickle through ``to_dict``.
#[pyclass(frozen, eq, module = "hocba")]
#[derive(Debug, PartialEq)]
pub struct Finding {
    inner: rules::Finding,
}

impl Finding {
    fn from_core(inner: &rules::Finding) -> Self {
        Finding {
            inner: inner.clone(),
        }
    }
}

#[pymethods]
impl Finding {
    /// The stable code (``rules.md``), e.g. ``"score_out_of_range"``.
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code
    }

    /// ``"error"`` (the record is not valid) or ``"warning"``.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// The offending field: wire names and list indexes, dot-separated
    /// (``"namHoc.0.monHoc.1.diem"``).
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    /// What is wrong and what to do, in English.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// What is wrong and what to do, in Vietnamese.
    #[getter]
    fn message_vi(&self) -> &str {
        &self.inner.message_vi
    }

    /// The clause the rule implements (the source column of ``rules.md``).
    #[getter]
    fn clause(&self) -> &'static str {
        self.inner.clause
    }

    /// The values involved, as plain Python data (a new dict on each access).
    #[getter]
    fn context<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.inner.context)
    }

    /// The finding as plain Python data, keyed as in the report: ``code``, ``severity``,
    /// ``path``, ``message``, ``messageVi``, ``clause``, ``context``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        object_to_py(py, serde_json::to_value(&self.inner).unwrap_or(Value::Null))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<Finding {} {} at {}>",
            self.inner.severity.as_str(),
            self.inner.code,
            py_repr(py, Some(&self.inner.path))?
        ))
    }

    /// Rebuilds a finding from ``to_dict()`` (private: the unpickling constructor).
    ///
    /// Raises ``ValueError`` when the dict is not a finding of the catalogue.
    #[classmethod]
    fn _from_dict(_cls: &Bound<'_, PyType>, d: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(Finding {
            inner: finding_from_json(&py_to_json(d.as_any())?)?,
        })
    }

    /// Pickling: ``(Finding._from_dict, (self.to_dict(),))``.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        reduce_via_dict(slf.as_any(), slf.get().to_dict(py)?)
    }
}

/// What the rules derive for one school year.
///
/// Immutable; summaries compare equal when their content is, and pickle through ``to_dict``.
#[pyclass(frozen, eq, module = "hocba")]
#[derive(Debug, PartialEq)]
pub struct YearSummary {
    inner: rules::YearSummary,
}

#[pymethods]
impl YearSummary {
    /// The school year as written (``"2024-2025"``), or ``None`` when absent.
    #[getter]
    fn school_year(&self) -> Option<&str> {
        self.inner.school_year.as_deref()
    }

    /// The grade when it is a whole number, else ``None``.
    #[getter]
    fn grade(&self) -> Option<i64> {
        self.inner.grade
    }

    /// The Article 9 result derived from the assessments (``"HTXS"``, ``"HTT"``, ``"HT"`` or
    /// ``"CHT"``), whatever was entered; ``None`` when the year is exempt or its grade is not 1–5.
    #[getter]
    fn derived_result(&self) -> Option<&str> {
        self.inner.derived_result.as_ref().map(|r| r.as_str())
    }

    /// The summary as plain Python data, keyed as in the report: ``schoolYear``, ``grade``,
    /// ``derivedResult``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        object_to_py(py, serde_json::to_value(&self.inner).unwrap_or(Value::Null))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "<YearSummary school_year={} grade={} derived_result={}>",
            py_repr(py, self.school_year())?,
            self.inner
                .grade
                .map_or_else(|| "None".to_owned(), |g| g.to_string()),
            py_repr(py, self.derived_result())?
        ))
    }

    /// Rebuilds a summary from ``to_dict()`` (private: the unpickling constructor).
    ///
    /// Raises ``ValueError`` when the dict is not a year summary.
    #[classmethod]
    fn _from_dict(_cls: &Bound<'_, PyType>, d: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(YearSummary {
            inner: year_from_json(&py_to_json(d.as_any())?)?,
        })
    }

    /// Pickling: ``(YearSummary._from_dict, (self.to_dict(),))``.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        reduce_via_dict(slf.as_any(), slf.get().to_dict(py)?)
    }
}

/// Validates a record against every rule of the catalogue (Circular 27/2020/TT-BGDĐT and format
/// v1). Never raises for a record; the GIL is released while the rules run.
#[pyfunction]
fn validate(py: Python<'_>, record: PyRef<'_, Record>) -> Report {
    validate_record(py, &record.inner)
}

/// The year-end result Article 9 derives for the school year at index ``year`` (negative indexes
/// count from the end, as for a list): ``"HTXS"``, ``"HTT"``, ``"HT"`` or ``"CHT"``, or ``None``
/// when the year is exempt or its grade is not 1–5.
///
/// Raises ``IndexError`` when the record has no school year at that index.
#[pyfunction]
#[pyo3(signature = (record, year = 0))]
fn derive_result(record: PyRef<'_, Record>, year: isize) -> PyResult<Option<String>> {
    let years = &record.inner.years;
    let index = if year < 0 {
        isize::try_from(years.len())
            .ok()
            .and_then(|n| n.checked_add(year))
    } else {
        Some(year)
    };
    let school_year = index
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| years.get(i))
        .ok_or_else(|| {
            PyIndexError::new_err(format!(
                "school year index {year} out of range: the record has {} school years",
                years.len()
            ))
        })?;
    Ok(rules::derive_result(school_year).map(|r| r.as_str().to_owned()))
}

/// The catalogue of finding codes, in the order of ``rules.md``: one dict per code with
/// ``code``, ``severity``, ``clause``, ``topic`` and the message templates ``message`` (English)
/// and ``messageVi`` (Vietnamese), whose ``{name}`` placeholders are the finding's ``context``
/// values (``{path}`` its path).
#[pyfunction]
fn codes(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for code in rules::codes::ALL.iter().chain(rules::codes::TABLE) {
        let d = PyDict::new(py);
        d.set_item("code", code.code)?;
        d.set_item("severity", code.severity.as_str())?;
        d.set_item("clause", code.clause)?;
        d.set_item("topic", code.topic)?;
        d.set_item("message", code.en)?;
        d.set_item("messageVi", code.vi)?;
        list.append(d)?;
    }
    Ok(list)
}

// --- Rendering ----------------------------------------------------------------------------------

/// Renders one school year of a record as a PDF/A-3b document (bytes): cover, pupil information
/// with the photo, learning history and the year page, the record cut down to that year embedded
/// as ``hocba.xml``, and the empty signature fields ``GVCN``, ``HT`` (and ``DAU`` for the seal).
///
/// The keyword arguments are the CLI's ``hocba render`` options: ``year`` (``"2024-2025"``,
/// required when the record has several), ``seal`` (``"auto"``: for public schools, ``"yes"``,
/// ``"no"``), ``font`` (a TrueType/OpenType font: its bytes, or the path of its file),
/// ``debug`` (uncompressed output) and ``require_valid`` (refuse a record with findings of
/// severity error). The same record and options give the same bytes. The GIL is released while
/// the document is rendered.
///
/// Raises ``RenderError`` when the document cannot be rendered, ``ValueError`` for an unknown
/// ``seal``, ``OSError`` when the font file cannot be read.
#[pyfunction]
#[pyo3(signature = (record, *, year = None, seal = "auto", font = None, debug = false, require_valid = false))]
fn render_pdf<'py>(
    py: Python<'py>,
    record: PyRef<'_, Record>,
    year: Option<String>,
    seal: &str,
    font: Option<&Bound<'py, PyAny>>,
    debug: bool,
    require_valid: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    use hocba_core::pdf::{RenderSettings, SealMode};
    let seal = match seal {
        "auto" => SealMode::Auto,
        "yes" => SealMode::Yes,
        "no" => SealMode::No,
        other => {
            return Err(PyValueError::new_err(format!(
                "seal must be \"auto\", \"yes\" or \"no\", not {other:?}"
            )))
        }
    };
    let font = match font {
        None => None,
        Some(f) if f.is_none() => None,
        Some(f) => Some(if let Ok(b) = f.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else {
            let path: std::path::PathBuf = py
                .import("os")?
                .call_method1("fspath", (f,))
                .map_err(|_| {
                    PyTypeError::new_err("font must be bytes (the font) or a path to a font file")
                })?
                .extract()?;
            py.detach(|| std::fs::read(&path)).map_err(PyErr::from)?
        }),
    };
    let settings = RenderSettings {
        year,
        seal,
        font,
        debug,
        require_valid,
        ..RenderSettings::default()
    };
    let record = &record.inner;
    let pdf = py
        .detach(|| hocba_core::pdf::render(record, &settings))
        .map_err(|e| to_py_err(py, e.into()))?;
    Ok(PyBytes::new(py, &pdf))
}

/// The record embedded in a rendered (or signed) PDF: the bytes of its ``hocba.xml``, as stored
/// (the canonical XML of the record cut down to the document's school year). The GIL is released
/// while the PDF is read.
///
/// Raises ``ExtractError`` when the input is not a PDF, cannot be read, or has no embedded record.
#[pyfunction]
fn extract_xml<'py>(py: Python<'py>, pdf: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let xml = py
        .detach(|| hocba_core::pdf::extract_xml(pdf))
        .map_err(|e| to_py_err(py, e.into()))?;
    Ok(PyBytes::new(py, &xml))
}

// --- Signing ------------------------------------------------------------------------------------

/// The request of `sign_pdf` and `prepare_signature` from their keyword arguments.
fn sign_request(
    role: &str,
    time: &str,
    reason: Option<String>,
    allow_invalid: bool,
) -> PyResult<hocba_core::pdf::sign::SignRequest> {
    use hocba_core::pdf::sign::{Role, SignRequest};
    let role: Role = role.parse().map_err(|_| {
        PyValueError::new_err(format!(
            "role must be \"GVCN\", \"HT\" or \"DAU\", not {role:?}"
        ))
    })?;
    let instant = hocba_core::model::Timestamp::from(time)
        .to_instant()
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "time must be an RFC 3339 time with an offset (e.g. \"2025-05-28T08:00:00+07:00\"), \
                 not {time:?}"
            ))
        })?;
    let mut request = SignRequest::new(role, instant);
    request.reason = reason;
    request.allow_invalid = allow_invalid;
    Ok(request)
}

/// Adds one signature to a rendered document and returns the signed document (``bytes``): a
/// PAdES B-B signature in the field of ``role`` (``"GVCN"`` first, then ``"HT"``, then
/// ``"DAU"``), appended as an incremental update, so ``pdf`` is a prefix of the result.
///
/// ``key_pem`` is the signer's RSA private key: PKCS#8 PEM (unencrypted), with ``chain_pem``
/// the signer's certificate (PEM) followed by its intermediates; or the bytes of a PKCS#12 file
/// (``.p12``/``.pfx``, told apart by content) opened with ``password``, whose certificates are
/// the chain (``chain_pem`` may add more, or be empty). ``time`` (RFC 3339 with an offset)
/// is written as the signing time; ``reason`` replaces the default (which role confirms which
/// school year); ``allow_invalid`` signs even when the embedded record has errors. Signing is
/// deterministic. The GIL is released while signing. To sign many documents with one key, load
/// it once as a ``SigningKey`` and pass ``key=`` instead of ``key_pem``/``chain_pem``/``password``.
///
/// ``timestamp``, when given, makes the signature PAdES B-T: a callable that receives the
/// SHA-256 message imprint of the signature value (32 ``bytes``) and returns the RFC 3161
/// ``TimeStampToken`` or whole ``TimeStampResp`` of the school's time-stamping authority
/// (``bytes``, DER). It is called once, with the GIL held; an exception it raises becomes the
/// ``__cause__`` of the ``SigningError``.
///
/// Raises ``SigningError`` when the document cannot be signed (out of order, already signed, a
/// record with errors, an unusable key or certificate, an unusable timestamp), ``ValueError``
/// for an unknown ``role``, a ``time`` that is not RFC 3339, or not exactly one of ``key_pem``
/// and ``key``.
#[pyfunction]
#[pyo3(signature = (pdf, *, role, key_pem = None, chain_pem = None, time, reason = None, allow_invalid = false, password = None, timestamp = None, key = None))]
#[allow(clippy::too_many_arguments)]
fn sign_pdf<'py>(
    py: Python<'py>,
    pdf: &[u8],
    role: &str,
    key_pem: Option<&[u8]>,
    chain_pem: Option<&[u8]>,
    time: &str,
    reason: Option<String>,
    allow_invalid: bool,
    password: Option<String>,
    timestamp: Option<Py<PyAny>>,
    key: Option<PyRef<'_, SigningKey>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let request = sign_request(role, time, reason, allow_invalid)?;
    let tsa = timestamp.map(PyTimestampClient::new).transpose()?;
    let loaded;
    let key: &hocba_core::pdf::sign::SigningKey = match (key_pem, &key) {
        (Some(key_pem), None) => {
            let text = key_text(key_pem)?;
            let chain_pem = chain_pem.unwrap_or_default();
            loaded = py
                .detach(|| load_key(key_pem, text, chain_pem, password.as_deref()))
                .map_err(|e| sign_err(py, &e))?;
            &loaded
        }
        (None, Some(key)) => {
            if chain_pem.is_some() || password.is_some() {
                return Err(PyValueError::new_err(
                    "chain_pem and password belong to the SigningKey given as key=",
                ));
            }
            &key.inner
        }
        _ => {
            return Err(PyValueError::new_err(
                "give exactly one of key_pem= and key= (a hocba.SigningKey)",
            ))
        }
    };
    let signed = py
        .detach(|| match &tsa {
            Some(tsa) => hocba_core::pdf::sign::sign_timestamped(pdf, &request, key, tsa),
            None => hocba_core::pdf::sign::sign(pdf, &request, key),
        })
        .map_err(|e| PyTimestampClient::error(tsa.as_ref(), py, &e))?;
    Ok(PyBytes::new(py, &signed))
}

/// `Some(text)` when `key_pem` is PEM text, `None` when it is binary (a PKCS#12 file).
fn key_text(key_pem: &[u8]) -> PyResult<Option<&str>> {
    let is_pem = key_pem
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .is_some_and(|i| key_pem[i..].starts_with(b"-----BEGIN"));
    if !is_pem {
        return Ok(None);
    }
    std::str::from_utf8(key_pem)
        .map(Some)
        .map_err(|_| PyValueError::new_err("key_pem is not PEM text (UTF-8)"))
}

fn load_key(
    key_pem: &[u8],
    text: Option<&str>,
    chain_pem: &[u8],
    password: Option<&str>,
) -> Result<hocba_core::pdf::sign::SigningKey, hocba_core::pdf::sign::SignError> {
    use hocba_core::pdf::sign::SigningKey;
    match text {
        Some(text) => SigningKey::from_pkcs8_pem(text, chain_pem),
        None => {
            SigningKey::from_pkcs12_with_certificates(key_pem, password.unwrap_or(""), chain_pem)
        }
    }
}

/// Khóa ký — a software signing key loaded once, for signing many documents with
/// ``sign_pdf(..., key=signing_key)`` without reading the key file on every call.
///
/// ``key_pem`` is the signer's RSA private key as PKCS#8 PEM (unencrypted) with ``chain_pem``
/// the signer's certificate and intermediates, or the bytes of a PKCS#12 file opened with
/// ``password`` (its certificates form the chain; ``chain_pem`` may add more). Immutable and
/// usable from several threads at once. Not picklable: a private key is not copied to other
/// processes behind the caller's back (load it in each process).
///
/// Raises ``SigningError`` when the key or certificates cannot be used (as ``sign_pdf``).
#[pyclass(frozen, module = "hocba")]
#[derive(Debug)]
pub struct SigningKey {
    inner: hocba_core::pdf::sign::SigningKey,
}

#[pymethods]
impl SigningKey {
    #[new]
    #[pyo3(signature = (key_pem, *, chain_pem = None, password = None))]
    fn new(
        py: Python<'_>,
        key_pem: &[u8],
        chain_pem: Option<&[u8]>,
        password: Option<String>,
    ) -> PyResult<Self> {
        let text = key_text(key_pem)?;
        let chain_pem = chain_pem.unwrap_or_default();
        py.detach(|| load_key(key_pem, text, chain_pem, password.as_deref()))
            .map(|inner| SigningKey { inner })
            .map_err(|e| sign_err(py, &e))
    }

    /// The signer certificate's subject common name (CN), or ``None``.
    #[getter]
    fn common_name(&self) -> Option<String> {
        self.inner.common_name()
    }

    /// The signer certificate's subject (RFC 4514).
    #[getter]
    fn subject(&self) -> String {
        self.inner.subject()
    }

    /// The signer certificate (DER).
    #[getter]
    fn certificate<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.certificate_der())
    }

    fn __repr__(&self) -> String {
        format!("hocba.SigningKey(subject={:?})", self.inner.subject())
    }
}

/// A document prepared for an external signer (USB token, HSM, remote signing service), between
/// ``prepare_signature`` and ``complete_signature``.
///
/// Immutable. The signer signs ``digest`` (SHA-256 of ``signed_attributes``) with RSA PKCS#1
/// v1.5; ``digest_info`` is the DER ``DigestInfo`` for raw mechanisms (PKCS#11
/// ``CKM_RSA_PKCS``). ``to_json``/``from_json`` store it between the two steps;
/// ``complete_signature`` checks it again, so an altered document is refused, never signed.
#[pyclass(frozen, eq, module = "hocba")]
#[derive(Debug, PartialEq)]
pub struct PreparedSignature {
    inner: hocba_core::pdf::sign::PreparedSignature,
}

#[pymethods]
impl PreparedSignature {
    /// SHA-256 of ``signed_attributes`` (32 bytes): the hash the signer signs.
    #[getter]
    fn digest<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.digest)
    }

    /// The DER ``DigestInfo`` (SHA-256) of ``digest``: what a raw RSA PKCS#1 v1.5 mechanism
    /// signs when it is not given the hash algorithm.
    #[getter]
    fn digest_info<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.digest_info())
    }

    /// The DER ``SET OF Attribute`` (content-type, message-digest, signing-certificate-v2) that
    /// is signed with RSA PKCS#1 v1.5 and SHA-256.
    #[getter]
    fn signed_attributes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.signed_attributes_der)
    }

    /// The prepared signature as JSON, to store between the two steps (``from_json`` reads it).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| serde_json::to_string(&self.inner))
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Reads a prepared signature from ``to_json()``.
    ///
    /// Raises ``ValueError`` when the text is not a prepared signature.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, py: Python<'_>, data: &str) -> PyResult<Self> {
        py.detach(|| serde_json::from_str(data))
            .map(|inner| PreparedSignature { inner })
            .map_err(|e| PyValueError::new_err(format!("not a prepared signature: {e}")))
    }

    fn __repr__(&self) -> String {
        let hex: String = self
            .inner
            .digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "<PreparedSignature digest={hex} document={} bytes>",
            self.inner.document.len()
        )
    }
}

/// Step 1 of external signing: the document with the field of ``role`` filled and a placeholder
/// for the signature, and what the signer must sign (a ``PreparedSignature``).
///
/// ``chain_pem`` is the signer's certificate (PEM, RSA) followed by its intermediates; the other
/// arguments are ``sign_pdf``'s. Give what the signer returns to ``complete_signature``: with the
/// same key and time the result is byte for byte ``sign_pdf``'s. The GIL is released.
///
/// A remote signing service that signs a SHA-256 hash with RSA PKCS#1 v1.5::
///
///     def remote_sign(digest: bytes) -> bytes:
///         # e.g. POST the base64 of the hash to the service, get back the raw signature
///         response = session.post(url, json={"hash": base64.b64encode(digest).decode(),
///                                            "algorithm": "SHA256withRSA"})
///         return base64.b64decode(response.json()["signature"])
///
///     prepared = hocba.prepare_signature(pdf, role="GVCN", chain_pem=chain,
///                                        time="2025-05-26T16:30:00+07:00")
///     stored = prepared.to_json()  # keep it while the signer confirms on their phone
///     prepared = hocba.PreparedSignature.from_json(stored)
///     signed = hocba.complete_signature(prepared, signature=remote_sign(prepared.digest))
///
/// A raw mechanism (PKCS#11 ``CKM_RSA_PKCS``) signs ``prepared.digest_info`` instead; a service
/// that returns a whole detached CMS is given ``cms=`` instead of ``signature=``.
///
/// Raises ``SigningError`` as ``sign_pdf`` does (plus a certificate without an RSA key),
/// ``ValueError`` for an unknown ``role`` or a ``time`` that is not RFC 3339.
#[pyfunction]
#[pyo3(signature = (pdf, *, role, chain_pem, time, reason = None, allow_invalid = false))]
fn prepare_signature(
    py: Python<'_>,
    pdf: &[u8],
    role: &str,
    chain_pem: &[u8],
    time: &str,
    reason: Option<String>,
    allow_invalid: bool,
) -> PyResult<PreparedSignature> {
    let request = sign_request(role, time, reason, allow_invalid)?;
    py.detach(|| hocba_core::pdf::sign::prepare(pdf, &request, chain_pem))
        .map(|inner| PreparedSignature { inner })
        .map_err(|e| sign_err(py, &e))
}

/// Step 2 of external signing: writes what the signer returned into the prepared document and
/// returns the signed document (``bytes``).
///
/// Give exactly one of ``signature`` (the raw RSA PKCS#1 v1.5 signature over ``digest``; checked
/// with the certificate's public key first) or ``cms`` (a whole detached CMS ``ContentInfo``
/// whose message digest is the document's). The GIL is released.
///
/// ``timestamp`` adds a signature timestamp (PAdES B-T) as in ``sign_pdf``; with ``cms``, the
/// token is added to that CMS's SignerInfo.
///
/// Raises ``SigningError`` when the signature does not verify, the CMS does not fit the
/// document, the prepared signature was altered, or the timestamp is unusable; ``ValueError``
/// unless exactly one of ``signature`` and ``cms`` is given.
#[pyfunction]
#[pyo3(signature = (prepared, *, signature = None, cms = None, timestamp = None))]
fn complete_signature<'py>(
    py: Python<'py>,
    prepared: PyRef<'_, PreparedSignature>,
    signature: Option<&[u8]>,
    cms: Option<&[u8]>,
    timestamp: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    use hocba_core::pdf::sign::SignatureValue;
    let value = match (signature, cms) {
        (Some(s), None) => SignatureValue::Raw(s.to_vec()),
        (None, Some(c)) => SignatureValue::Cms(c.to_vec()),
        _ => {
            return Err(PyValueError::new_err(
                "give exactly one of signature= and cms=",
            ))
        }
    };
    let prepared = prepared.inner.clone();
    let tsa = timestamp.map(PyTimestampClient::new).transpose()?;
    let signed = py
        .detach(|| match &tsa {
            Some(tsa) => hocba_core::pdf::sign::complete_timestamped(prepared, value, tsa),
            None => hocba_core::pdf::sign::complete(prepared, value),
        })
        .map_err(|e| PyTimestampClient::error(tsa.as_ref(), py, &e))?;
    Ok(PyBytes::new(py, &signed))
}

/// A Python callable as the time-stamping authority of a signature: called with the imprint
/// (``bytes``) with the GIL taken back, its exception kept for the ``SigningError``'s cause.
struct PyTimestampClient {
    callable: Py<PyAny>,
    raised: std::sync::Mutex<Option<PyErr>>,
}

impl PyTimestampClient {
    fn new(callable: Py<PyAny>) -> PyResult<Self> {
        let callable_ok = Python::attach(|py| callable.bind(py).is_callable());
        if !callable_ok {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "timestamp must be a callable taking the imprint (bytes) and returning bytes",
            ));
        }
        Ok(PyTimestampClient {
            callable,
            raised: std::sync::Mutex::new(None),
        })
    }

    /// The `SigningError` of `err`, caused by what the callable raised, if it raised.
    fn error(
        tsa: Option<&PyTimestampClient>,
        py: Python<'_>,
        err: &hocba_core::pdf::sign::SignError,
    ) -> PyErr {
        let e = sign_err(py, err);
        let raised = tsa.and_then(|t| t.raised.lock().ok().and_then(|mut r| r.take()));
        if let Some(cause) = raised {
            e.set_cause(py, Some(cause));
        }
        e
    }
}

impl hocba_core::pdf::sign::TimestampClient for PyTimestampClient {
    fn timestamp(&self, imprint: &[u8; 32]) -> Result<Vec<u8>, String> {
        Python::attach(|py| {
            let answer = self
                .callable
                .bind(py)
                .call1((PyBytes::new(py, imprint),))
                .and_then(|r| {
                    r.cast::<PyBytes>()
                        .map(|b| b.as_bytes().to_vec())
                        .map_err(|_| {
                            pyo3::exceptions::PyTypeError::new_err(
                                "the timestamp callable must return bytes",
                            )
                        })
                });
            answer.map_err(|e| {
                let message = format!("the timestamp callable raised {e}");
                if let Ok(mut slot) = self.raised.lock() {
                    *slot = Some(e);
                }
                message
            })
        })
    }
}

/// The verification report of a signed document (``signing.md``): the overall ``indication``
/// (``TOTAL_PASSED``, ``TOTAL_FAILED`` or ``INDETERMINATE``) and ``sub_indication``, one entry
/// per signature, and the document checks.
///
/// Immutable and picklable. ``to_dict()`` has exactly the keys of ``hocba verify --format json``
/// (without ``file``); the attributes are conveniences on top of it.
#[pyclass(frozen, module = "hocba")]
#[derive(Debug)]
pub struct VerificationReport {
    inner: hocba_core::pdf::verify::VerificationReport,
}

fn verification_error(en: impl std::fmt::Display, vi: impl std::fmt::Display) -> PyErr {
    let err = VerificationError::new_err(en.to_string());
    Python::attach(|py| {
        let v = err.value(py);
        let _ = v.setattr("message", en.to_string());
        let _ = v.setattr("message_vi", vi.to_string());
        for k in ["line", "column", "offset"] {
            let _ = v.setattr(k, py.None());
        }
    });
    err
}

#[pymethods]
impl VerificationReport {
    /// ``TOTAL_PASSED``, ``TOTAL_FAILED`` or ``INDETERMINATE``: the worst of the signatures'
    /// and the document's.
    #[getter]
    fn indication(&self) -> &'static str {
        self.inner.indication.as_str()
    }

    /// The sub-indication (``HASH_FAILURE``, ``MODIFIED_AFTER_SIGNING``, …), ``None`` when
    /// the document passed.
    #[getter]
    fn sub_indication(&self) -> Option<String> {
        self.inner
            .sub_indication
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// Whether the overall indication is ``TOTAL_PASSED``.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed()
    }

    /// The validation time (RFC 3339, UTC).
    #[getter]
    fn validation_time(&self) -> &str {
        &self.inner.validation_time
    }

    /// One dict per signature (and document timestamp), in revision order (keys of
    /// ``signing.md``: ``field``, ``role``, ``indication``, ``signer``, ``chain``, …).
    #[getter]
    fn signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(
            py,
            &serde_json::to_value(&self.inner.signatures).unwrap_or(Value::Null),
        )
    }

    /// The document checks (``profile``, ``roles``, ``embeddedXml``, ``validation``, …).
    #[getter]
    fn document<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(
            py,
            &serde_json::to_value(&self.inner.document).unwrap_or(Value::Null),
        )
    }

    /// The report as a dict, exactly the CLI's JSON (without ``file``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        object_to_py(py, serde_json::to_value(&self.inner).unwrap_or(Value::Null))
    }

    /// The report as JSON text (the CLI's ``--format json``, without ``file``).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The report for people: Vietnamese, or English with ``english=True``.
    #[pyo3(signature = (english = false))]
    fn to_text(&self, english: bool) -> String {
        hocba_core::pdf::verify::to_text(&self.inner, english)
    }

    fn __repr__(&self) -> String {
        format!(
            "VerificationReport(indication={:?}, sub_indication={:?}, signatures={})",
            self.inner.indication.as_str(),
            self.sub_indication(),
            self.inner.signatures.len()
        )
    }

    /// Rebuilds a report from its JSON (used by pickling).
    #[classmethod]
    fn _from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(|inner| VerificationReport { inner })
            .map_err(|e| PyValueError::new_err(format!("not a verification report: {e}")))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let cls = slf.get_type().getattr("_from_json")?;
        Ok((cls, (slf.get().inner.to_json(),)))
    }
}

/// Bytes, or a sequence of bytes, as a list of byte strings.
fn byte_items(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<Vec<u8>>> {
    let Some(obj) = obj else {
        return Ok(Vec::new());
    };
    if obj.is_none() {
        return Ok(Vec::new());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(vec![b.as_bytes().to_vec()]);
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(vec![obj.extract::<String>()?.into_bytes()]);
    }
    let mut out = Vec::new();
    for item in obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what}: give bytes (PEM or DER) or a sequence of bytes"
        ))
    })? {
        let item = item?;
        if let Ok(b) = item.cast::<PyBytes>() {
            out.push(b.as_bytes().to_vec());
        } else if item.is_instance_of::<PyString>() {
            out.push(item.extract::<String>()?.into_bytes());
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what}: every item must be bytes (PEM or DER)"
            )));
        }
    }
    Ok(out)
}

/// The values of ``revocation=``, ``seal=`` and ``profile=``: both directions (parsing the
/// arguments, and giving them back for pickling and the repr) read these tables.
const REVOCATION: [(&str, hocba_core::pdf::verify::RevocationPolicy); 3] = {
    use hocba_core::pdf::verify::RevocationPolicy as R;
    [
        ("require", R::Require),
        ("prefer", R::Prefer),
        ("off", R::Off),
    ]
};
const SEAL: [(&str, hocba_core::pdf::verify::SealPolicy); 3] = {
    use hocba_core::pdf::verify::SealPolicy as S;
    [
        ("auto", S::Auto),
        ("required", S::Required),
        ("optional", S::Optional),
    ]
};
const PROFILE: [(&str, hocba_core::pdf::verify::ProfilePolicy); 3] = {
    use hocba_core::pdf::verify::ProfilePolicy as P;
    [
        ("auto", P::Auto),
        ("hocba", P::Hocba),
        ("generic", P::Generic),
    ]
};

/// The policy named `given` in `table` (a `ValueError` naming the argument otherwise).
fn policy<T: Copy>(table: &[(&'static str, T)], arg: &str, given: &str) -> PyResult<T> {
    table
        .iter()
        .find(|(name, _)| *name == given)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let names: Vec<String> = table.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            let (last, first) = names.split_last().map_or(("", &[][..]), |(l, f)| (l, f));
            PyValueError::new_err(format!(
                "{arg}={given:?}: give {} or {last}",
                first.join(", ")
            ))
        })
}

/// The name of `value` in `table` (the argument that gives it).
fn policy_name<T: PartialEq>(table: &[(&'static str, T)], value: &T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| v == value)
        .map_or("", |(name, _)| name)
}

/// Certificates (PEM, PEM bundles or DER) read into `out`; an unreadable item is a
/// `VerificationError` naming the argument and the item's index.
fn load_certs(
    items: &[Vec<u8>],
    what: &str,
    out: &mut Vec<hocba_core::pki::Certificate>,
) -> PyResult<()> {
    for (i, item) in items.iter().enumerate() {
        match hocba_core::pki::load_certificates(item) {
            Ok(c) => out.extend(c),
            Err(e) => {
                return Err(verification_error(
                    format!("{what}[{i}]: {}", e.message()),
                    format!("{what}[{i}]: {}", e.message_vi()),
                ))
            }
        }
    }
    Ok(())
}

/// ``at=`` of a verification: ``None`` or ``"now"`` (the clock at each call), ``"claimed"``, an
/// RFC 3339 string or a timezone-aware ``datetime``.
fn parse_at(at: Option<&Bound<'_, PyAny>>) -> PyResult<hocba_core::pdf::verify::At> {
    use hocba_core::pdf::verify::{parse_rfc3339, At};
    let Some(a) = at.filter(|a| !a.is_none()) else {
        return Ok(At::Now);
    };
    if let Ok(s) = a.extract::<String>() {
        return Ok(match s.as_str() {
            "claimed" => At::Claimed,
            "now" => At::Now,
            t => At::Time(parse_rfc3339(t).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "at={t:?}: give None, a timezone-aware datetime, \"claimed\" or an RFC 3339 time"
                ))
            })?),
        });
    }
    if a.hasattr("timestamp")? && a.hasattr("tzinfo")? {
        if a.getattr("tzinfo")?.is_none() {
            return Err(PyValueError::new_err(
                "at: a naive datetime is ambiguous; give a timezone-aware datetime",
            ));
        }
        let t: f64 = a.call_method0("timestamp")?.extract()?;
        return Ok(At::Time(t.floor() as i64));
    }
    Err(PyTypeError::new_err(
        "at: give None, a timezone-aware datetime, \"claimed\" or an RFC 3339 string",
    ))
}

/// The current time, Unix seconds (the validation time of ``at=None``).
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Verifies signed records (or any signed PDFs) with the same trust anchors, intermediates, CRLs
/// and policies; see ``_hocba.pyi`` for the arguments.
///
/// The certificates and CRLs are read once, when the verifier is made, and one signature cache
/// is shared by all its verifications (the CA certificates and CRLs common to the files are
/// verified once; sharing never changes a verdict). Immutable: one verifier may be used from
/// several threads at once. Picklable (rebuilt from the arguments it was given).
#[pyclass(frozen, module = "hocba")]
#[derive(Debug)]
pub struct Verifier {
    /// The parsed arguments and the shared cache; `validation_time` is set at each call.
    options: hocba_core::pdf::verify::VerifyOptions,
    /// The arguments as given (each item's bytes), to rebuild the verifier when unpickling.
    trust: Vec<Vec<u8>>,
    intermediates: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
}

impl Verifier {
    /// Reads the arguments of ``Verifier(...)`` and ``verify_pdf``.
    fn build(
        trust: &Bound<'_, PyAny>,
        intermediates: Option<&Bound<'_, PyAny>>,
        crls: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        revocation: &str,
        seal: &str,
        profile: &str,
    ) -> PyResult<Self> {
        use hocba_core::pdf::verify::VerifyOptions;
        let mut options = VerifyOptions::new(0);
        let trust = byte_items(Some(trust), "trust")?;
        load_certs(&trust, "trust", &mut options.trust)?;
        let intermediates = byte_items(intermediates, "intermediates")?;
        load_certs(&intermediates, "intermediates", &mut options.intermediates)?;
        let crls = byte_items(crls, "crls")?;
        for (i, item) in crls.iter().enumerate() {
            match hocba_core::pki::load_crls(item) {
                Ok(c) => options.crls.extend(c),
                Err(e) => {
                    return Err(verification_error(
                        format!("crls[{i}]: {}", e.message()),
                        format!("crls[{i}]: {}", e.message_vi()),
                    ))
                }
            }
        }
        options.at = parse_at(at)?;
        options.revocation = policy(&REVOCATION, "revocation", revocation)?;
        options.seal = policy(&SEAL, "seal", seal)?;
        options.profile = policy(&PROFILE, "profile", profile)?;
        options.shared_cache = Some(std::sync::Arc::new(hocba_core::pki::SignatureCache::new()));
        Ok(Verifier {
            options,
            trust,
            intermediates,
            crls,
        })
    }

    /// Verifies `pdf` with the GIL released, judged now (the clock is read at each call, as
    /// ``verify_pdf`` does) unless ``at`` gave a time.
    fn run(&self, py: Python<'_>, pdf: &[u8]) -> PyResult<VerificationReport> {
        let options = &self.options;
        py.detach(|| {
            // Cheap: certificates, CRLs and the cache are shared (`Arc`).
            let mut options = options.clone();
            options.validation_time = now();
            hocba_core::pdf::verify::verify(pdf, &options)
        })
        .map(|inner| VerificationReport { inner })
        .map_err(|e| verification_error(e.message(), e.message_vi()))
    }

    /// ``at`` as given back to the constructor: ``None`` (now), ``"claimed"`` or RFC 3339.
    fn at_arg(&self) -> Option<String> {
        use hocba_core::pdf::verify::{rfc3339, At};
        match self.options.at {
            At::Now => None,
            At::Claimed => Some("claimed".into()),
            At::Time(t) => Some(rfc3339(t)),
        }
    }
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (*, trust, intermediates = None, crls = None, at = None, revocation = "require", seal = "auto", profile = "auto"))]
    fn new(
        trust: &Bound<'_, PyAny>,
        intermediates: Option<&Bound<'_, PyAny>>,
        crls: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        revocation: &str,
        seal: &str,
        profile: &str,
    ) -> PyResult<Self> {
        Verifier::build(trust, intermediates, crls, at, revocation, seal, profile)
    }

    /// Verifies every signature of ``pdf`` and returns the report, exactly as ``verify_pdf`` with
    /// this verifier's arguments would. The GIL is released while verifying.
    ///
    /// Raises ``VerificationError`` only when ``pdf`` is not a PDF at all.
    fn verify(&self, py: Python<'_>, pdf: &[u8]) -> PyResult<VerificationReport> {
        self.run(py, pdf)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let o = &self.options;
        Ok(format!(
            "<Verifier trust={} intermediates={} crls={} at={} revocation={} seal={} profile={}>",
            o.trust.len(),
            o.intermediates.len(),
            o.crls.len(),
            py_repr(py, self.at_arg().as_deref())?,
            py_repr(py, Some(policy_name(&REVOCATION, &o.revocation)))?,
            py_repr(py, Some(policy_name(&SEAL, &o.seal)))?,
            py_repr(py, Some(policy_name(&PROFILE, &o.profile)))?,
        ))
    }

    /// Rebuilds a verifier from its arguments, in the constructor's order (private: the
    /// unpickling constructor).
    #[classmethod]
    #[allow(clippy::too_many_arguments)]
    fn _from_args(
        _cls: &Bound<'_, PyType>,
        trust: &Bound<'_, PyAny>,
        intermediates: &Bound<'_, PyAny>,
        crls: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        revocation: &str,
        seal: &str,
        profile: &str,
    ) -> PyResult<Self> {
        Verifier::build(
            trust,
            Some(intermediates),
            Some(crls),
            Some(at),
            revocation,
            seal,
            profile,
        )
    }

    /// Pickling: ``(Verifier._from_args, (trust, intermediates, crls, at, revocation, seal,
    /// profile))``, the certificates and CRLs as the bytes given (the cache is not kept).
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let constructor = slf.get_type().getattr("_from_args")?;
        let this = slf.get();
        let items = |list: &[Vec<u8>]| PyTuple::new(py, list.iter().map(|b| PyBytes::new(py, b)));
        let o = &this.options;
        let args = (
            items(&this.trust)?,
            items(&this.intermediates)?,
            items(&this.crls)?,
            this.at_arg(),
            policy_name(&REVOCATION, &o.revocation),
            policy_name(&SEAL, &o.seal),
            policy_name(&PROFILE, &o.profile),
        );
        Ok((constructor, args.into_pyobject(py)?))
    }
}

/// Verifies every signature of a signed record (or of any signed PDF) and returns the
/// verification report; see ``_hocba.pyi`` for the arguments. A one-shot ``Verifier``.
#[pyfunction]
#[pyo3(signature = (pdf, *, trust, intermediates = None, crls = None, at = None, revocation = "require", seal = "auto", profile = "auto"))]
#[allow(clippy::too_many_arguments)]
fn verify_pdf(
    py: Python<'_>,
    pdf: &[u8],
    trust: &Bound<'_, PyAny>,
    intermediates: Option<&Bound<'_, PyAny>>,
    crls: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    revocation: &str,
    seal: &str,
    profile: &str,
) -> PyResult<VerificationReport> {
    Verifier::build(trust, intermediates, crls, at, revocation, seal, profile)?.run(py, pdf)
}

/// The JSON Schema (draft 2020-12) of record format v1.
#[pyfunction]
fn json_schema() -> String {
    hocba_core::schema::json_schema()
}

/// The XML Schema (XSD 1.0) of record format v1.
#[pyfunction]
fn xsd() -> &'static str {
    hocba_core::schema::XSD
}

/// Học bạ số cấp Tiểu học — the native part of the ``hocba`` package (import ``hocba`` instead).
#[pymodule]
mod _hocba {
    #[pymodule_export]
    use super::{
        codes, complete_signature, derive_result, extract_xml, json_schema, prepare_signature,
        render_pdf, sign_pdf, validate, verify_pdf, xsd, ExtractError, Finding, HocbaError,
        ParseError, PreparedSignature, Record, RenderError, Report, SigningError, SigningKey,
        VerificationError, VerificationReport, Verifier, YearSummary,
    };

    #[pymodule_export]
    use super::class::{build_class, check_table, ClassBuild};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", hocba_core::VERSION)
    }
}
