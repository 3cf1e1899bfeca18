//! # hocba-py
//!
//! The private extension module `hocba._hocba`: pyo3 glue over `hocba-core` for the Python
//! package `hocba` (Học bạ số cấp Tiểu học — Vietnam's digital primary-school record).
//!
//! Everything here is glue: parsing, writing and schemas are `hocba-core`'s. The public package
//! (`python/hocba/__init__.py`) re-exports these names; the stubs are `python/hocba/_hocba.pyi`.
//!
//! Conventions (`design.md`, "Python"):
//! - `Record` is a frozen class: it is immutable and may be shared between threads.
//! - Rust errors become Python exceptions in one place, [`to_py_err`].
//! - Calls whose cost grows with the input (parsing, writing) release the GIL (`py.detach`).

use std::borrow::Cow;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple, PyType};

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
    "Lỗi đọc — the input cannot be read as a record (not XML or JSON of format v1)."
);

/// The one place where a `hocba-core` error becomes a Python exception.
///
/// The exception's `args` is `(message,)`, so `str(exc)` is the English message; the attributes
/// `message`, `message_vi`, `line`, `column` and `offset` are set on the instance.
fn to_py_err(py: Python<'_>, err: hocba_core::Error) -> PyErr {
    let message = err.message();
    let py_err = match &err {
        hocba_core::Error::Parse(_) => ParseError::new_err(message.clone()),
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
        let quoted = |s: Option<&str>| -> PyResult<String> {
            match s {
                Some(s) => Ok(PyString::new(py, s).repr()?.to_cow()?.into_owned()),
                None => Ok("None".to_owned()),
            }
        };
        let id = self.inner.record_id.as_ref().map(|t| t.as_str());
        let name = self
            .inner
            .pupil
            .as_ref()
            .and_then(|p| p.full_name.as_ref())
            .map(|t| t.as_str());
        Ok(format!(
            "<Record maDinhDanhHocBa={} hoVaTen={}>",
            quoted(id)?,
            quoted(name)?
        ))
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
    use super::{json_schema, xsd, HocbaError, ParseError, Record};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", hocba_core::VERSION)
    }
}
