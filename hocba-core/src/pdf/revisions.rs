//! A signed PDF split into its revisions (`signing.md`, "Verification", step 1), and the
//! objects of each revision ([`Resolver`]).
//!
//! # Splitting
//!
//! [`split`] reads the last `startxref` of the file (searched backwards from the end), then
//! follows the chain of cross-reference sections by `/Prev`: classic tables (ISO 32000-1
//! §7.5.4), cross-reference streams (§7.5.8) and hybrid-reference files (§7.5.8.4, a table
//! whose trailer has `/XRefStm`). Each section must be followed (after white space and
//! comments) by `startxref`, its own offset and `%%EOF`: the revision ends just after that
//! `%%EOF` and at most one CR, LF or CR LF. Nothing is searched for, rebuilt or repaired;
//! anything unexpected is a [`StructureError`] (the verifier reports every one of them as
//! `UNSUPPORTED_STRUCTURE`):
//!
//! - an offset (`startxref`, `/Prev`, `/XRefStm`) outside the file, or not at `xref` or at an
//!   `N G obj` cross-reference stream (white space before them is skipped);
//! - a `/Prev` chain that loops, or revisions that overlap (revision *k* must end at or before
//!   every cross-reference section of revision *k*+1; a `/Prev` pointing forward fails this);
//! - two candidates for the end of one revision: another `%%EOF` or `startxref` right after a
//!   revision's end (only white space between), or a last `startxref` of the file that is not
//!   the one that follows the newest section;
//! - an in-use entry pointing at or beyond the end of its revision (the revision's objects
//!   would not be covered by a signature over it);
//! - `/Encrypt` in any trailer ([`StructureErrorKind::Encrypted`]);
//! - a spent [`Budget`].
//!
//! **Hybrid files.** The entries of the `/XRefStm` stream belong to the revision of the table.
//! ISO 32000-1 §7.5.8.4 has readers look in the table first, then in the stream, then in
//! `/Prev`; the objects only the stream describes ("hidden" objects, in object streams) are
//! marked free in the table, or left out of it, so that readers without stream support skip
//! them. So: an in-use entry of the table wins over the stream's; a free or missing entry of
//! the table is replaced by the stream's entry. The stream's own `/Prev` is ignored; the table
//! trailer's `/Prev` continues the chain. `/XRefStm` must lie inside the revision.
//!
//! **Linearized files** (Annex F). Their last `startxref` points at the first-page section near
//! the start of the file, whose `/Prev` points *forward* to the main section at the end. A
//! forward `/Prev` is accepted only in exactly this shape: it is the last step of the chain
//! (the main section has no `/Prev`), the first object of the file (after the header and
//! comments) is a dictionary with `/Linearized`, and the first-page section is the first thing
//! after that object. The two sections then form revision 1 (the first-page section's entries
//! win where both list an object; its trailer is the revision's trailer); revision 1 ends at the
//! `%%EOF` after the main section, whose `startxref` may name either section (writers name the
//! first-page one). The `startxref 0 %%EOF` after the first-page section is inside revision 1.
//!
//! # Objects
//!
//! [`Resolver`] reads objects as a reader of one revision sees them: the entry in effect is the
//! one of the latest revision at or before it that lists the object number. Objects are parsed
//! once and memoised; objects in object streams are found through the object stream in effect
//! at the revision being read, which is decoded once (bounded by the budget).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::{Deref, Range};
use std::rc::Rc;
use std::sync::Arc;

pub use super::syntax::Budget;
use super::syntax::{
    decode_stream, is_whitespace, keyword_at, object_header, parse_indirect, parse_indirect_with,
    parse_object, skip_whitespace_and_comments, unsigned_at, Dict, ObjRef, Object, Resource,
    SyntaxError, SyntaxErrorKind,
};

/// The revisions of a file, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Revisions {
    /// The revisions, oldest (the original document) first. Revision numbers count from 1: the
    /// revision number of `revisions[i]` is `i + 1`.
    pub revisions: Vec<Revision>,
    /// What follows the end of the last revision.
    pub after_last: Trailing,
    /// Whether revision 1 is a linearized file's two sections (see the module's notes).
    pub linearized: bool,
}

/// What follows the last revision's end (after `%%EOF` and at most one end of line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trailing {
    /// Nothing: the file ends with the last revision.
    None,
    /// Only white space or NUL bytes (a note in the report).
    Blank {
        /// Where they start.
        start: usize,
        /// How many bytes.
        len: usize,
    },
    /// Anything else (a modification after the last revision).
    Data {
        /// Where it starts.
        start: usize,
        /// How many bytes.
        len: usize,
    },
}

/// The kind of cross-reference data of a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XrefKind {
    /// A classic table (`xref` … `trailer`).
    Table,
    /// A cross-reference stream (`/Type /XRef`).
    Stream,
    /// A table whose trailer has `/XRefStm`.
    Hybrid,
}

/// One entry of a cross-reference section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// A free (deleted, or never used) object number; a reference to it is `null`.
    Free {
        /// The generation for the next use of the number.
        gen: u16,
    },
    /// An object at a byte offset of the file.
    InFile {
        /// The offset of its `N G obj` header.
        offset: usize,
        /// Its generation.
        gen: u16,
    },
    /// An object inside an object stream (generation 0).
    Compressed {
        /// The object stream's number.
        stream: u32,
        /// The object's index in the stream.
        index: u32,
    },
}

/// One revision: the original document or one incremental update.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// Where the revision's bytes start: 0, or the previous revision's end.
    pub start: usize,
    /// The offset of its cross-reference section (`xref`, or the `N G obj` of the stream; for
    /// a linearized revision 1, the first-page section), as named by `startxref` and `/Prev`.
    pub xref_offset: usize,
    /// The offset of the `startxref` keyword that ends the revision.
    pub startxref_offset: usize,
    /// Just after `%%EOF` and at most one CR, LF or CR LF: where the bytes of this revision
    /// end (the end a signature over it covers).
    pub end: usize,
    /// Table, stream or hybrid.
    pub kind: XrefKind,
    /// The table's trailer dictionary, or the cross-reference stream's dictionary.
    pub trailer: Dict,
    /// The objects this revision defines, redefines or frees (for a hybrid file, the table's
    /// entries merged with the `/XRefStm` stream's).
    pub entries: BTreeMap<u32, Entry>,
    /// The trailer's `/Prev`.
    pub prev: Option<usize>,
    /// Every cross-reference section of the revision: the main one first, then the `/XRefStm`
    /// stream, then (linearized revision 1) the main section at the end of the file.
    pub sections: Vec<usize>,
}

impl Revisions {
    /// How many revisions.
    pub fn len(&self) -> usize {
        self.revisions.len()
    }

    /// Whether there is no revision (never true for a value [`split`] returned).
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }

    /// Revision `number` (counted from 1).
    pub fn get(&self, number: usize) -> Option<&Revision> {
        number.checked_sub(1).and_then(|i| self.revisions.get(i))
    }

    /// The number (from 1) of the revision whose bytes end exactly at `end`, if any.
    pub fn ending_at(&self, end: usize) -> Option<usize> {
        self.revisions
            .iter()
            .position(|r| r.end == end)
            .map(|i| i + 1)
    }
}

/// Why a file cannot be split into revisions unambiguously.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct StructureError {
    /// What is wrong.
    pub kind: StructureErrorKind,
}

/// What is wrong in a [`StructureError`] (English `Display`; [`StructureError::message_vi`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StructureErrorKind {
    /// The file has no `startxref`.
    #[error("the file has no startxref")]
    NoStartxref,
    /// `startxref` is not followed by an offset, or a section is not followed by
    /// `startxref` and its own offset.
    #[error("missing or wrong startxref at byte {offset}")]
    BadStartxref {
        /// Where `startxref` is, or should be.
        offset: usize,
    },
    /// `startxref N` is not followed by `%%EOF`.
    #[error("no %%EOF after the startxref at byte {offset}")]
    NoEof {
        /// The offset of `startxref`.
        offset: usize,
    },
    /// An offset (`startxref`, `/Prev`, `/XRefStm`) outside the file.
    #[error("cross-reference offset {offset} is outside the file")]
    OffsetOutOfFile {
        /// The offset.
        offset: u64,
    },
    /// A cross-reference section that cannot be read.
    #[error("bad cross-reference section at byte {offset}: {problem}")]
    BadXref {
        /// The section's offset.
        offset: usize,
        /// What is wrong.
        problem: XrefProblem,
    },
    /// The `/Prev` chain comes back to a section already read.
    #[error("the /Prev chain loops at byte {offset}")]
    PrevLoop {
        /// The offset met twice.
        offset: usize,
    },
    /// A revision ends after a cross-reference section of the next one (or a `/Prev` points
    /// forward outside a linearized file's first revision).
    #[error("revision {revision} overlaps the next one")]
    Overlap {
        /// The revision (from 1).
        revision: usize,
    },
    /// Two candidates for the end of one revision.
    #[error("ambiguous end of revision at byte {offset}")]
    AmbiguousEnd {
        /// The offset of the second candidate.
        offset: usize,
    },
    /// The file is encrypted (`/Encrypt` in a trailer).
    #[error("the file is encrypted")]
    Encrypted,
    /// The budget for a resource is spent.
    #[error("budget exceeded: {what}")]
    BudgetExceeded {
        /// Which resource.
        what: Resource,
    },
}

/// What is wrong with a cross-reference section.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum XrefProblem {
    /// The offset points at neither `xref` nor an `N G obj` cross-reference stream.
    #[error("not a cross-reference section")]
    NotXref,
    /// A subsection header or entry of a table does not parse.
    #[error("malformed subsection or entry")]
    BadEntry,
    /// No `trailer` dictionary after the table.
    #[error("missing or malformed trailer")]
    BadTrailer,
    /// `/Prev` or `/XRefStm` is not a non-negative integer.
    #[error("/Prev or /XRefStm is not a non-negative integer")]
    BadPrev,
    /// The cross-reference stream's `/W`, `/Index` or `/Size` is malformed, or its data too
    /// short.
    #[error("malformed cross-reference stream")]
    BadStream,
    /// An object number listed twice in one section.
    #[error("object {object} listed twice")]
    DuplicateEntry {
        /// The object number.
        object: u32,
    },
    /// An in-use entry at or beyond the end of its revision.
    #[error("object {object} is outside its revision")]
    EntryOutsideRevision {
        /// The object number.
        object: u32,
    },
    /// A cross-reference stream entry of a type other than 0, 1, 2.
    #[error("object {object} has entry type {kind}")]
    UnknownEntryType {
        /// The object number.
        object: u32,
        /// The type.
        kind: u64,
    },
    /// The section's objects do not parse.
    #[error("{0}")]
    Syntax(SyntaxError),
}

impl StructureError {
    fn new(kind: StructureErrorKind) -> StructureError {
        StructureError { kind }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        use StructureErrorKind as K;
        match &self.kind {
            K::NoStartxref => "tệp không có startxref".to_owned(),
            K::BadStartxref { offset } => format!("startxref bị thiếu hoặc sai tại byte {offset}"),
            K::NoEof { offset } => format!("không có %%EOF sau startxref tại byte {offset}"),
            K::OffsetOutOfFile { offset } => {
                format!("vị trí bảng tham chiếu chéo {offset} nằm ngoài tệp")
            }
            K::BadXref { offset, problem } => format!(
                "bảng tham chiếu chéo tại byte {offset} bị lỗi: {}",
                problem.message_vi()
            ),
            K::PrevLoop { offset } => format!("chuỗi /Prev lặp vòng tại byte {offset}"),
            K::Overlap { revision } => {
                format!("phiên bản {revision} chồng lên phiên bản tiếp theo")
            }
            K::AmbiguousEnd { offset } => {
                format!("không xác định được duy nhất điểm kết thúc phiên bản (byte {offset})")
            }
            K::Encrypted => "tệp được mã hóa".to_owned(),
            K::BudgetExceeded { what } => {
                format!("vượt quá giới hạn xử lý: {}", what.name_vi())
            }
        }
    }
}

impl XrefProblem {
    /// The description in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            XrefProblem::NotXref => "không phải bảng tham chiếu chéo".to_owned(),
            XrefProblem::BadEntry => "tiêu đề phân đoạn hoặc mục sai cú pháp".to_owned(),
            XrefProblem::BadTrailer => "thiếu hoặc sai từ điển trailer".to_owned(),
            XrefProblem::BadPrev => "/Prev hoặc /XRefStm không phải số nguyên không âm".to_owned(),
            XrefProblem::BadStream => "luồng tham chiếu chéo sai cấu trúc".to_owned(),
            XrefProblem::DuplicateEntry { object } => {
                format!("đối tượng {object} được liệt kê hai lần")
            }
            XrefProblem::EntryOutsideRevision { object } => {
                format!("đối tượng {object} nằm ngoài phiên bản của nó")
            }
            XrefProblem::UnknownEntryType { object, kind } => {
                format!("đối tượng {object} có loại mục {kind}")
            }
            XrefProblem::Syntax(e) => e.message_vi(),
        }
    }
}

fn bad(offset: usize, problem: XrefProblem) -> StructureError {
    StructureError::new(StructureErrorKind::BadXref { offset, problem })
}

/// A syntax error met while reading the section at `offset`.
fn syntax(offset: usize, e: SyntaxError) -> StructureError {
    match e.kind {
        SyntaxErrorKind::BudgetExceeded { what } => {
            StructureError::new(StructureErrorKind::BudgetExceeded { what })
        }
        _ => bad(offset, XrefProblem::Syntax(e)),
    }
}

fn charge(budget: &Budget, what: Resource) -> Result<(), StructureError> {
    budget
        .charge(what, 1)
        .map_err(|what| StructureError::new(StructureErrorKind::BudgetExceeded { what }))
}

/// One cross-reference section as read.
struct Section {
    offset: usize,
    kind: XrefKind,
    trailer: Dict,
    entries: BTreeMap<u32, Entry>,
    prev: Option<usize>,
    /// Just after the trailer dictionary or the stream's `endobj`.
    body_end: usize,
    /// The `/XRefStm` stream's offset (hybrid).
    xref_stream: Option<usize>,
}

/// `startxref N %%EOF` at `at` (which holds `startxref`): N, and the end of the revision.
fn read_startxref(file: &[u8], at: usize) -> Result<(u64, usize, usize), StructureError> {
    let p = skip_whitespace_and_comments(file, at + b"startxref".len());
    let (value, end) = unsigned_at(file, p)
        .ok_or_else(|| StructureError::new(StructureErrorKind::BadStartxref { offset: at }))?;
    let mut q = end;
    while file.get(q).is_some_and(|&b| is_whitespace(b)) {
        q += 1;
    }
    if !file.get(q..).is_some_and(|r| r.starts_with(b"%%EOF")) {
        return Err(StructureError::new(StructureErrorKind::NoEof {
            offset: at,
        }));
    }
    let mut eof_end = q + b"%%EOF".len();
    match (file.get(eof_end), file.get(eof_end + 1)) {
        (Some(b'\r'), Some(b'\n')) => eof_end += 2,
        (Some(b'\r' | b'\n'), _) => eof_end += 1,
        _ => {}
    }
    Ok((value, end, eof_end))
}

fn to_offset(file: &[u8], value: u64) -> Result<usize, StructureError> {
    usize::try_from(value)
        .ok()
        .filter(|&v| v < file.len())
        .ok_or_else(|| StructureError::new(StructureErrorKind::OffsetOutOfFile { offset: value }))
}

/// A trailer entry holding an offset (`/Prev`, `/XRefStm`).
fn offset_entry(
    file: &[u8],
    dict: &Dict,
    key: &[u8],
    section: usize,
) -> Result<Option<usize>, StructureError> {
    match dict.get(key) {
        None => Ok(None),
        Some(Object::Integer(v)) => {
            let v = u64::try_from(*v).map_err(|_| bad(section, XrefProblem::BadPrev))?;
            to_offset(file, v).map(Some)
        }
        Some(_) => Err(bad(section, XrefProblem::BadPrev)),
    }
}

/// Reads the section at `offset`: a table (`xref`) or a cross-reference stream.
fn read_section(file: &[u8], offset: usize, budget: &Budget) -> Result<Section, StructureError> {
    charge(budget, Resource::XrefSections)?;
    let p = skip_whitespace_and_comments(file, offset);
    if keyword_at(file, p, b"xref") {
        read_table(file, offset, p + b"xref".len(), budget)
    } else if file.get(p).is_some_and(u8::is_ascii_digit) {
        read_xref_stream(file, offset, budget)
    } else {
        Err(bad(offset, XrefProblem::NotXref))
    }
}

fn read_table(
    file: &[u8],
    offset: usize,
    mut p: usize,
    budget: &Budget,
) -> Result<Section, StructureError> {
    let entry_err = |_| bad(offset, XrefProblem::BadEntry);
    let mut entries = BTreeMap::new();
    loop {
        p = skip_whitespace_and_comments(file, p);
        if keyword_at(file, p, b"trailer") {
            p += b"trailer".len();
            break;
        }
        let (start, e) = unsigned_at(file, p).ok_or(()).map_err(entry_err)?;
        let (count, e) = unsigned_at(file, skip_whitespace_and_comments(file, e))
            .ok_or(())
            .map_err(entry_err)?;
        p = e;
        let last = start
            .checked_add(count)
            .filter(|&l| l <= u64::from(u32::MAX) + 1)
            .ok_or(())
            .map_err(entry_err)?;
        for num in start..last {
            let (value, e) = unsigned_at(file, skip_whitespace_and_comments(file, p))
                .ok_or(())
                .map_err(entry_err)?;
            let (gen, e) = unsigned_at(file, skip_whitespace_and_comments(file, e))
                .ok_or(())
                .map_err(entry_err)?;
            let k = skip_whitespace_and_comments(file, e);
            let gen = u16::try_from(gen).map_err(|_| bad(offset, XrefProblem::BadEntry))?;
            let entry = if keyword_at(file, k, b"n") {
                let offset = usize::try_from(value)
                    .ok()
                    .filter(|&o| o < file.len())
                    .ok_or(())
                    .map_err(entry_err)?;
                Entry::InFile { offset, gen }
            } else if keyword_at(file, k, b"f") {
                Entry::Free { gen }
            } else {
                return Err(bad(offset, XrefProblem::BadEntry));
            };
            p = k + 1;
            // `num < last <= 2^32`.
            let num = u32::try_from(num).map_err(|_| bad(offset, XrefProblem::BadEntry))?;
            if entries.insert(num, entry).is_some() {
                return Err(bad(offset, XrefProblem::DuplicateEntry { object: num }));
            }
        }
    }
    let (trailer, body_end) = match parse_object(file, p, &budget.limits) {
        Ok((Object::Dict(d), end)) => (d, end),
        Ok(_) => return Err(bad(offset, XrefProblem::BadTrailer)),
        Err(e) => return Err(syntax(offset, e)),
    };
    let prev = offset_entry(file, &trailer, b"Prev", offset)?;
    let xref_stream = offset_entry(file, &trailer, b"XRefStm", offset)?;
    Ok(Section {
        offset,
        kind: if xref_stream.is_some() {
            XrefKind::Hybrid
        } else {
            XrefKind::Table
        },
        trailer,
        entries,
        prev,
        body_end,
        xref_stream,
    })
}

fn read_xref_stream(
    file: &[u8],
    offset: usize,
    budget: &Budget,
) -> Result<Section, StructureError> {
    let object = match parse_indirect(file, offset, &budget.limits) {
        Ok(o) => o,
        Err(SyntaxError {
            kind: SyntaxErrorKind::BadObjectHeader,
            ..
        }) => return Err(bad(offset, XrefProblem::NotXref)),
        Err(e) => return Err(syntax(offset, e)),
    };
    charge(budget, Resource::Objects)?;
    let Object::Stream(stream) = &object.object else {
        return Err(bad(offset, XrefProblem::NotXref));
    };
    let dict = &stream.dict;
    if dict.get_name(b"Type") != Some(b"XRef") {
        return Err(bad(offset, XrefProblem::NotXref));
    }
    let bad_stream = || bad(offset, XrefProblem::BadStream);
    let widths: Vec<usize> = dict
        .get_array(b"W")
        .filter(|w| w.len() == 3)
        .ok_or_else(bad_stream)?
        .iter()
        .map(|o| {
            o.as_int()
                .and_then(|v| usize::try_from(v).ok())
                .filter(|&v| v <= 8)
                .ok_or_else(bad_stream)
        })
        .collect::<Result<_, _>>()?;
    let size = dict
        .get_int(b"Size")
        .and_then(|s| u64::try_from(s).ok())
        .ok_or_else(bad_stream)?;
    let index: Vec<(u64, u64)> = match dict.get(b"Index") {
        None => vec![(0, size)],
        Some(Object::Array(a)) if a.len() % 2 == 0 => a
            .chunks_exact(2)
            .map(|pair| {
                match (
                    pair[0].as_int().and_then(|v| u64::try_from(v).ok()),
                    pair[1].as_int().and_then(|v| u64::try_from(v).ok()),
                ) {
                    (Some(s), Some(c)) => Ok((s, c)),
                    _ => Err(bad_stream()),
                }
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad_stream()),
    };
    let data = decode_stream(file, stream, budget).map_err(|e| syntax(offset, e))?;
    let row: usize = widths.iter().sum();
    if row == 0 {
        return Err(bad_stream());
    }
    let mut rows = data.chunks_exact(row);
    let mut entries = BTreeMap::new();
    let field = |bytes: &[u8]| bytes.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
    for (start, count) in index {
        let last = start
            .checked_add(count)
            .filter(|&l| l <= u64::from(u32::MAX) + 1)
            .ok_or_else(bad_stream)?;
        for num in start..last {
            let r = rows.next().ok_or_else(bad_stream)?;
            let (f1, rest) = r.split_at(widths[0]);
            let (f2, f3) = rest.split_at(widths[1]);
            let kind = if widths[0] == 0 { 1 } else { field(f1) };
            let (f2, f3) = (field(f2), field(f3));
            let num = u32::try_from(num).map_err(|_| bad_stream())?;
            let entry = match kind {
                0 => Entry::Free {
                    gen: u16::try_from(f3).map_err(|_| bad_stream())?,
                },
                1 => Entry::InFile {
                    offset: usize::try_from(f2)
                        .ok()
                        .filter(|&o| o < file.len())
                        .ok_or_else(bad_stream)?,
                    gen: u16::try_from(f3).map_err(|_| bad_stream())?,
                },
                2 => Entry::Compressed {
                    stream: u32::try_from(f2).map_err(|_| bad_stream())?,
                    index: u32::try_from(f3).map_err(|_| bad_stream())?,
                },
                other => {
                    return Err(bad(
                        offset,
                        XrefProblem::UnknownEntryType {
                            object: num,
                            kind: other,
                        },
                    ))
                }
            };
            if entries.insert(num, entry).is_some() {
                return Err(bad(offset, XrefProblem::DuplicateEntry { object: num }));
            }
        }
    }
    let prev = offset_entry(file, dict, b"Prev", offset)?;
    Ok(Section {
        offset,
        kind: XrefKind::Stream,
        trailer: dict.clone(),
        entries,
        prev,
        body_end: object.span.end,
        xref_stream: None,
    })
}

/// The `startxref` that must follow a section: its offset, value, end of value, and the
/// revision's end.
fn section_end(file: &[u8], section: &Section) -> Result<(usize, u64, usize), StructureError> {
    let at = skip_whitespace_and_comments(file, section.body_end);
    if !keyword_at(file, at, b"startxref") {
        return Err(StructureError::new(StructureErrorKind::BadStartxref {
            offset: at,
        }));
    }
    let (value, _, end) = read_startxref(file, at)?;
    Ok((at, value, end))
}

/// The offset of a linearized file's first-page cross-reference section: the first thing after
/// the first object, when that object is a dictionary with `/Linearized`.
fn linearized_first_section(file: &[u8], budget: &Budget) -> Option<usize> {
    let p = skip_whitespace_and_comments(file, 0);
    let first = parse_indirect(file, p, &budget.limits).ok()?;
    first
        .object
        .as_dict()
        .filter(|d| d.contains_key(b"Linearized"))?;
    Some(skip_whitespace_and_comments(file, first.span.end))
}

fn check_encrypt(dict: &Dict) -> Result<(), StructureError> {
    if dict.contains_key(b"Encrypt") {
        return Err(StructureError::new(StructureErrorKind::Encrypted));
    }
    Ok(())
}

/// Splits a file into its revisions (see the module's notes for the rules).
pub fn split(file: &[u8], budget: &Budget) -> Result<Revisions, StructureError> {
    let last = memchr::memmem::rfind(file, b"startxref")
        .ok_or_else(|| StructureError::new(StructureErrorKind::NoStartxref))?;
    let (first_offset, _, file_end) = read_startxref(file, last)?;
    let first_offset = to_offset(file, first_offset)?;

    // The chain, newest first.
    let mut chain: Vec<Section> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    let mut next = Some(first_offset);
    while let Some(offset) = next {
        if !seen.insert(offset) {
            return Err(StructureError::new(StructureErrorKind::PrevLoop { offset }));
        }
        let mut section = read_section(file, offset, budget)?;
        check_encrypt(&section.trailer)?;
        if let Some(x) = section.xref_stream {
            if !seen.insert(x) {
                return Err(StructureError::new(StructureErrorKind::PrevLoop {
                    offset: x,
                }));
            }
            charge(budget, Resource::XrefSections)?;
            let p = skip_whitespace_and_comments(file, x);
            if !file.get(p).is_some_and(u8::is_ascii_digit) {
                return Err(bad(x, XrefProblem::NotXref));
            }
            let stream = read_xref_stream(file, x, budget)?;
            check_encrypt(&stream.trailer)?;
            for (num, e) in stream.entries {
                match section.entries.get(&num) {
                    None | Some(Entry::Free { .. }) => {
                        section.entries.insert(num, e);
                    }
                    Some(_) => {} // the table's in-use entry wins
                }
            }
        }
        next = section.prev;
        chain.push(section);
    }
    chain.reverse(); // oldest first

    // A linearized file: the oldest two sections are the main one (at the end) and the
    // first-page one (near the start) whose /Prev points forward to it.
    let mut linearized = false;
    if chain.len() >= 2 && chain[1].prev.is_some_and(|p| p > chain[1].offset) {
        if linearized_first_section(file, budget) == Some(chain[1].offset) {
            linearized = true;
        } else {
            return Err(StructureError::new(StructureErrorKind::Overlap {
                revision: 1,
            }));
        }
    }

    let mut revisions: Vec<Revision> = Vec::with_capacity(chain.len());
    let mut sections = chain.into_iter();
    let mut start = 0usize;
    while let Some(section) = sections.next() {
        let (main, extra) = if linearized && revisions.is_empty() {
            // `section` is the main section at the end; the next is the first-page one.
            match sections.next() {
                Some(first_page) => (first_page, Some(section)),
                None => (section, None),
            }
        } else {
            (section, None)
        };
        let ender = extra.as_ref().unwrap_or(&main);
        let (startxref_offset, value, end) = section_end(file, ender)?;
        let names_section = usize::try_from(value)
            .is_ok_and(|v| v == ender.offset || (extra.is_some() && v == main.offset));
        if !names_section {
            return Err(StructureError::new(StructureErrorKind::BadStartxref {
                offset: startxref_offset,
            }));
        }
        let mut offsets = vec![main.offset];
        offsets.extend(main.xref_stream);
        let mut entries = main.entries;
        if let Some(x) = &extra {
            offsets.push(x.offset);
            offsets.extend(x.xref_stream);
            for (num, e) in &x.entries {
                entries.entry(*num).or_insert(*e);
            }
        }
        let number = revisions.len() + 1;
        if let Some(previous) = revisions.last_mut() {
            if offsets.iter().any(|&o| o < previous.end) {
                return Err(StructureError::new(StructureErrorKind::Overlap {
                    revision: number - 1,
                }));
            }
        }
        if offsets.iter().any(|&o| o >= startxref_offset) {
            return Err(StructureError::new(StructureErrorKind::Overlap {
                revision: number,
            }));
        }
        for (num, e) in &entries {
            if let Entry::InFile { offset, .. } = e {
                if *offset >= startxref_offset {
                    return Err(bad(
                        main.offset,
                        XrefProblem::EntryOutsideRevision { object: *num },
                    ));
                }
            }
        }
        // Another end candidate right after this end?
        let after = {
            let mut q = end;
            while file.get(q).is_some_and(|&b| is_whitespace(b)) {
                q += 1;
            }
            q
        };
        if file.get(after..).is_some_and(|r| r.starts_with(b"%%EOF"))
            || keyword_at(file, after, b"startxref")
        {
            return Err(StructureError::new(StructureErrorKind::AmbiguousEnd {
                offset: after,
            }));
        }
        revisions.push(Revision {
            start,
            xref_offset: main.offset,
            startxref_offset,
            end,
            kind: main.kind,
            trailer: main.trailer,
            entries,
            prev: if extra.is_some() { None } else { main.prev },
            sections: offsets,
        });
        start = end;
    }

    let Some(newest) = revisions.last() else {
        return Err(StructureError::new(StructureErrorKind::NoStartxref));
    };
    if newest.startxref_offset != last || newest.end != file_end {
        return Err(StructureError::new(StructureErrorKind::AmbiguousEnd {
            offset: last,
        }));
    }
    let rest = &file[file_end.min(file.len())..];
    let after_last = if rest.is_empty() {
        Trailing::None
    } else if rest.iter().all(|&b| is_whitespace(b)) {
        Trailing::Blank {
            start: file_end,
            len: rest.len(),
        }
    } else {
        Trailing::Data {
            start: file_end,
            len: rest.len(),
        }
    };
    Ok(Revisions {
        revisions,
        after_last,
        linearized,
    })
}

/// Where an object was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An indirect object of the file.
    File {
        /// From its object number to just after `endobj`.
        span: Range<usize>,
    },
    /// An object inside an object stream; its spans are positions in the stream's decoded data.
    ObjectStream {
        /// The object stream's number.
        stream: u32,
        /// The object's index in it.
        index: u32,
        /// The revision (from 1) that defines the object stream read (the one in effect at the
        /// revision being read). An old object can change through a new object stream.
        stream_defined_in: usize,
    },
}

/// An object as read at a revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The object (shared with the resolver's cache).
    pub object: Arc<Object>,
    /// Where it was read.
    pub source: Source,
    /// The revision (from 1) whose cross-reference entry defines it.
    pub defined_in: usize,
}

/// A value after following references: the direct object itself, or the indirect object it
/// referred to.
#[derive(Debug, Clone)]
pub enum Resolved<'o> {
    /// The object was not a reference (or referred to a free or missing object: `null`).
    Direct(&'o Object),
    /// The object referred (through one or more references) to this indirect object.
    Indirect {
        /// The last reference followed.
        id: ObjRef,
        /// The object.
        located: Located,
    },
}

impl Deref for Resolved<'_> {
    type Target = Object;
    fn deref(&self) -> &Object {
        match self {
            Resolved::Direct(o) => o,
            Resolved::Indirect { located, .. } => &located.object,
        }
    }
}

static NULL: Object = Object::Null;
static EMPTY_DICT: Dict = Dict {
    entries: Vec::new(),
    span: 0..0,
};

/// A dictionary as read at a revision, without a copy: a direct dictionary borrowed from the
/// object that holds it, or an indirect one shared with the resolver's cache (a stream's
/// dictionary included). Dereferences to [`Dict`].
#[derive(Debug, Clone)]
pub struct DictRef<'o>(Resolved<'o>);

impl<'o> DictRef<'o> {
    /// The dictionary of `resolved` (a dictionary or a stream), or `None`.
    pub fn new(resolved: Resolved<'o>) -> Option<DictRef<'o>> {
        matches!(&*resolved, Object::Dict(_) | Object::Stream(_)).then_some(DictRef(resolved))
    }

    /// A copy of the dictionary.
    pub fn into_owned(self) -> Dict {
        (*self).clone()
    }
}

impl Deref for DictRef<'_> {
    type Target = Dict;
    fn deref(&self) -> &Dict {
        match &*self.0 {
            Object::Dict(d) => d,
            Object::Stream(s) => &s.dict,
            // Not built from anything else (see `new`).
            _ => &EMPTY_DICT,
        }
    }
}

/// The most references followed in one chain, and the deepest nesting of lookups (an indirect
/// `/Length` inside an object stream's lookup, …).
const MAX_REF_CHAIN: usize = 32;
const MAX_NESTED_LOOKUPS: usize = 16;

/// A decoded object stream: its data, `/First`, and the (number, offset) pairs of its header.
#[derive(Debug)]
struct ObjectStream {
    data: Vec<u8>,
    first: usize,
    objects: Vec<(u32, usize)>,
}

/// Reads the objects of a split file at any revision (see the module's notes).
///
/// Lookups are memoised; the resolver is cheap to create and meant for one verification.
#[derive(Debug)]
pub struct Resolver<'a> {
    file: &'a [u8],
    revs: &'a Revisions,
    budget: &'a Budget,
    /// Every entry of every revision as (object number, revision from 1, entry), sorted by
    /// number then revision: one binary search finds the entry in effect at a revision, and
    /// its position names the parsed object in `slots`.
    index: Vec<(u32, usize, Entry)>,
    /// For each position of `index` whose entry is in the file, where its parsed object is in
    /// `parsed` (`u32::MAX`: not parsed yet).
    slots: RefCell<Vec<u32>>,
    /// The objects parsed from the file, in the order they were first read.
    parsed: RefCell<Vec<Located>>,
    /// Objects parsed from object streams, by (number, revision defining the entry, revision
    /// defining the object stream).
    cache: RefCell<HashMap<(u32, usize, usize), Located>>,
    /// Decoded object streams by (number, revision defining it).
    streams: RefCell<HashMap<(u32, usize), Rc<ObjectStream>>>,
    /// Lookups in progress (loop and depth guard).
    active: RefCell<Vec<ObjRef>>,
    /// Streams decoded by [`Resolver::decode_stream`], by the file offset of their data (the
    /// embedded record is read at every signed revision, where it is usually the same object;
    /// the data's place decides the dictionary before it, so the filters too),
    /// with the bytes they hold together.
    decoded: RefCell<DecodedStreams>,
}

/// Decoded streams by their data's place in the file, and the bytes they hold together.
type DecodedStreams = (HashMap<(usize, usize), Rc<[u8]>>, usize);

/// What [`Resolver::decode_stream`] keeps: streams up to 1 MiB, 4 MiB in all.
const MAX_MEMO_STREAM: usize = 1 << 20;
const MAX_MEMO_TOTAL: usize = 4 << 20;

/// Pops the lookup from the active stack when dropped.
struct ActiveGuard<'r>(&'r RefCell<Vec<ObjRef>>);

impl Drop for ActiveGuard<'_> {
    fn drop(&mut self) {
        self.0.borrow_mut().pop();
    }
}

impl<'a> Resolver<'a> {
    /// A resolver over `file` as split into `revs`, charging `budget`.
    pub fn new(file: &'a [u8], revs: &'a Revisions, budget: &'a Budget) -> Resolver<'a> {
        // One vector for every entry, sorted once (each revision's table is already in number
        // order, so a stable sort by number keeps the revisions ascending within a number).
        let total = revs.revisions.iter().map(|r| r.entries.len()).sum();
        let mut index: Vec<(u32, usize, Entry)> = Vec::with_capacity(total);
        for (i, rev) in revs.revisions.iter().enumerate() {
            index.extend(rev.entries.iter().map(|(&num, &entry)| (num, i + 1, entry)));
        }
        index.sort_by_key(|&(num, _, _)| num);
        let slots = vec![u32::MAX; index.len()];
        // The parsed objects' start is capped for files of many objects, which a verification
        // reads only in part.
        let parsed = Vec::with_capacity(index.len().min(256));
        Resolver {
            file,
            revs,
            budget,
            index,
            slots: RefCell::new(slots),
            parsed: RefCell::new(parsed),
            cache: RefCell::new(HashMap::new()),
            streams: RefCell::new(HashMap::new()),
            active: RefCell::new(Vec::new()),
            decoded: RefCell::new((HashMap::new(), 0)),
        }
    }

    /// The entry in effect for object number `num` at `revision` (from 1): the one of the
    /// latest revision at or before it that lists the number, with that revision's number.
    /// `None` when no revision up to it lists the number (or `revision` is 0).
    pub fn lookup(&self, num: u32, revision: usize) -> Option<(usize, Entry)> {
        self.position(num, revision).map(|i| {
            let (_, rev, entry) = self.index[i];
            (rev, entry)
        })
    }

    /// The position in `index` of [`Resolver::lookup`]'s entry.
    fn position(&self, num: u32, revision: usize) -> Option<usize> {
        let n = self
            .index
            .partition_point(|&(n, r, _)| n < num || (n == num && r <= revision));
        let i = n.checked_sub(1)?;
        (self.index[i].0 == num).then_some(i)
    }

    /// The indirect object `r` as seen at `revision` (from 1). `None` when it is free or
    /// missing, or its generation differs from the entry's (ISO 32000-1 §7.3.10: such a
    /// reference is to the null object). An object whose header is not `r`, that extends past
    /// its revision, or that does not parse is an error.
    pub fn get(&self, r: ObjRef, revision: usize) -> Result<Option<Located>, SyntaxError> {
        if revision == 0 || revision > self.revs.revisions.len() {
            return Err(SyntaxError::new(
                0,
                SyntaxErrorKind::NoRevision { revision },
            ));
        }
        let Some(position) = self.position(r.num, revision) else {
            return Ok(None);
        };
        let (_, defined_in, entry) = self.index[position];
        match entry {
            Entry::Free { .. } => Ok(None),
            Entry::InFile { offset, gen } => {
                if gen != r.gen {
                    return Ok(None);
                }
                self.in_file(r, offset, defined_in, position).map(Some)
            }
            Entry::Compressed { stream, index } => {
                if r.gen != 0 {
                    return Ok(None);
                }
                self.compressed(r.num, defined_in, stream, index, revision)
                    .map(Some)
            }
        }
    }

    fn enter(&self, r: ObjRef, at: usize) -> Result<ActiveGuard<'_>, SyntaxError> {
        let mut active = self.active.borrow_mut();
        if active.contains(&r) {
            return Err(SyntaxError::new(at, SyntaxErrorKind::RefLoop { at: r }));
        }
        if active.len() >= MAX_NESTED_LOOKUPS {
            return Err(SyntaxError::new(at, SyntaxErrorKind::TooManyRefs));
        }
        active.push(r);
        Ok(ActiveGuard(&self.active))
    }

    fn charge_object(&self, at: usize) -> Result<(), SyntaxError> {
        self.budget
            .charge(Resource::Objects, 1)
            .map_err(|what| SyntaxError::new(at, SyntaxErrorKind::BudgetExceeded { what }))
    }

    /// Charges the bytes a parse from `start` scanned: to its end, or to where it failed.
    fn charge_parsed<T>(
        &self,
        start: usize,
        parsed: Result<T, SyntaxError>,
        end: impl Fn(&T) -> usize,
    ) -> Result<T, SyntaxError> {
        let stop = match &parsed {
            Ok(v) => end(v),
            Err(e) => e.offset,
        };
        self.budget
            .charge(Resource::ParsedBytes, stop.saturating_sub(start))
            .map_err(|what| SyntaxError::new(start, SyntaxErrorKind::BudgetExceeded { what }))?;
        parsed
    }

    /// The object of the entry at `position` of `index` (`r`, at `offset`, listed by
    /// revision `defined_in`), parsed once.
    fn in_file(
        &self,
        r: ObjRef,
        offset: usize,
        defined_in: usize,
        position: usize,
    ) -> Result<Located, SyntaxError> {
        let slot = self.slots.borrow().get(position).copied();
        if let Some(hit) = slot.and_then(|s| self.parsed.borrow().get(s as usize).cloned()) {
            return Ok(hit);
        }
        let _guard = self.enter(r, offset)?;
        self.charge_object(offset)?;
        // The header first: a wrong object is refused before its body is read.
        let (found, _, _) = object_header(self.file, offset)?;
        if found != r {
            return Err(SyntaxError::new(
                offset,
                SyntaxErrorKind::WrongObject { expected: r, found },
            ));
        }
        let parsed = parse_indirect_with(
            self.file,
            offset,
            &self.budget.limits,
            &mut |length: ObjRef| {
                // The length as seen by the revision that defines the stream.
                match self.get(length, defined_in)? {
                    Some(l) => l
                        .object
                        .as_int()
                        .ok_or(SyntaxError::new(offset, SyntaxErrorKind::BadStreamLength)),
                    None => Err(SyntaxError::new(offset, SyntaxErrorKind::BadStreamLength)),
                }
            },
        );
        let parsed = self.charge_parsed(offset, parsed, |o| o.span.end)?;
        let revision_end = self
            .revs
            .get(defined_in)
            .map_or(0, |rev| rev.startxref_offset);
        if parsed.span.end > revision_end {
            return Err(SyntaxError::new(
                offset,
                SyntaxErrorKind::OutsideRevision { object: r },
            ));
        }
        let located = Located {
            object: Arc::new(parsed.object),
            source: Source::File { span: parsed.span },
            defined_in,
        };
        let mut store = self.parsed.borrow_mut();
        if let (Ok(at), Some(slot)) = (
            u32::try_from(store.len()),
            self.slots.borrow_mut().get_mut(position),
        ) {
            if at != u32::MAX {
                *slot = at;
                store.push(located.clone());
            }
        }
        Ok(located)
    }

    fn compressed(
        &self,
        num: u32,
        defined_in: usize,
        stream: u32,
        index: u32,
        revision: usize,
    ) -> Result<Located, SyntaxError> {
        let bad_stream = || SyntaxError::new(0, SyntaxErrorKind::BadObjectStream { stream });
        // The object stream in effect at the revision being read.
        let (stream_defined_in, stream_entry) =
            self.lookup(stream, revision).ok_or_else(bad_stream)?;
        let key = (num, defined_in, stream_defined_in);
        if let Some(hit) = self.cache.borrow().get(&key) {
            return Ok(hit.clone());
        }
        let Entry::InFile { .. } = stream_entry else {
            return Err(bad_stream());
        };
        let r = ObjRef::new(num, 0);
        let _guard = self.enter(r, 0)?;
        let objstm = self.object_stream(stream, stream_defined_in, revision)?;
        let (listed, rel) = objstm
            .objects
            .get(usize::try_from(index).unwrap_or(usize::MAX))
            .copied()
            .ok_or_else(bad_stream)?;
        if listed != num {
            return Err(SyntaxError::new(
                0,
                SyntaxErrorKind::ObjectStreamMismatch {
                    stream,
                    index,
                    expected: num,
                    found: listed,
                },
            ));
        }
        let at = objstm.first.checked_add(rel).ok_or_else(bad_stream)?;
        if at > objstm.data.len() {
            return Err(bad_stream());
        }
        self.charge_object(at)?;
        let parsed = parse_object(&objstm.data, at, &self.budget.limits);
        let (object, end) = self.charge_parsed(at, parsed, |(_, end)| *end)?;
        if keyword_at(
            &objstm.data,
            skip_whitespace_and_comments(&objstm.data, end),
            b"stream",
        ) {
            return Err(SyntaxError::new(end, SyntaxErrorKind::StreamInObjectStream));
        }
        let located = Located {
            object: Arc::new(object),
            source: Source::ObjectStream {
                stream,
                index,
                stream_defined_in,
            },
            defined_in,
        };
        self.cache.borrow_mut().insert(key, located.clone());
        Ok(located)
    }

    fn object_stream(
        &self,
        stream: u32,
        stream_defined_in: usize,
        revision: usize,
    ) -> Result<Rc<ObjectStream>, SyntaxError> {
        if let Some(hit) = self.streams.borrow().get(&(stream, stream_defined_in)) {
            return Ok(Rc::clone(hit));
        }
        let bad_stream = |at| SyntaxError::new(at, SyntaxErrorKind::BadObjectStream { stream });
        let located = self
            .get(ObjRef::new(stream, 0), revision)?
            .ok_or_else(|| bad_stream(0))?;
        let Object::Stream(s) = &*located.object else {
            return Err(bad_stream(0));
        };
        let at = s.dict.span.start;
        if s.dict.get_name(b"Type") != Some(b"ObjStm") {
            return Err(bad_stream(at));
        }
        let n = s
            .dict
            .get_int(b"N")
            .and_then(|n| usize::try_from(n).ok())
            .filter(|&n| n <= self.budget.limits.max_objects_per_stream)
            .ok_or_else(|| bad_stream(at))?;
        let first = s
            .dict
            .get_int(b"First")
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| bad_stream(at))?;
        let data = decode_stream(self.file, s, self.budget)?;
        if first > data.len() {
            return Err(bad_stream(at));
        }
        let header = &data[..first];
        let mut objects = Vec::with_capacity(n.min(header.len() / 4 + 1));
        let mut p = 0;
        for _ in 0..n {
            let (num, e) = unsigned_at(header, skip_whitespace_and_comments(header, p))
                .ok_or_else(|| bad_stream(at))?;
            let (off, e) = unsigned_at(header, skip_whitespace_and_comments(header, e))
                .ok_or_else(|| bad_stream(at))?;
            let num = u32::try_from(num).map_err(|_| bad_stream(at))?;
            let off = usize::try_from(off).map_err(|_| bad_stream(at))?;
            objects.push((num, off));
            p = e;
        }
        let decoded = Rc::new(ObjectStream {
            data,
            first,
            objects,
        });
        self.streams
            .borrow_mut()
            .insert((stream, stream_defined_in), Rc::clone(&decoded));
        Ok(decoded)
    }

    /// Follows references from `o` at `revision`: `o` itself when it is not a reference, the
    /// object it leads to, or `null` for a free or missing object. A loop or a chain longer
    /// than 32 references is an error.
    pub fn resolve<'o>(
        &'o self,
        o: &'o Object,
        revision: usize,
    ) -> Result<Resolved<'o>, SyntaxError> {
        let Object::Ref(mut r) = o else {
            return Ok(Resolved::Direct(o));
        };
        let mut seen: Vec<ObjRef> = Vec::new();
        for _ in 0..MAX_REF_CHAIN {
            seen.push(r);
            let Some(located) = self.get(r, revision)? else {
                return Ok(Resolved::Direct(&NULL));
            };
            match &*located.object {
                Object::Ref(next) => {
                    if seen.contains(next) {
                        return Err(SyntaxError::new(0, SyntaxErrorKind::RefLoop { at: *next }));
                    }
                    r = *next;
                }
                _ => return Ok(Resolved::Indirect { id: r, located }),
            }
        }
        Err(SyntaxError::new(0, SyntaxErrorKind::TooManyRefs))
    }

    /// The trailer of `revision` (from 1): the table's trailer or the stream's dictionary.
    pub fn trailer(&self, revision: usize) -> Option<&'a Dict> {
        self.revs.get(revision).map(|r| &r.trailer)
    }

    /// The document catalog at `revision`: the dictionary `/Root` refers to. `/Root` is taken
    /// from the revision's trailer or, when an update's trailer lacks it (ISO 32000-1 §7.5.6
    /// requires it, readers carry on), from the latest earlier trailer that has it.
    pub fn catalog(&self, revision: usize) -> Result<DictRef<'static>, SyntaxError> {
        if revision == 0 || revision > self.revs.revisions.len() {
            return Err(SyntaxError::new(
                0,
                SyntaxErrorKind::NoRevision { revision },
            ));
        }
        let root = self.revs.revisions[..revision]
            .iter()
            .rev()
            .find_map(|r| r.trailer.get(b"Root"))
            .ok_or(SyntaxError::new(
                0,
                SyntaxErrorKind::WrongType {
                    expected: "/Root reference",
                    found: "nothing",
                },
            ))?;
        let Object::Ref(_) = root else {
            return Err(SyntaxError::new(
                0,
                SyntaxErrorKind::WrongType {
                    expected: "/Root reference",
                    found: root.type_name(),
                },
            ));
        };
        let resolved = self.resolve(root, revision)?;
        match &*resolved {
            Object::Dict(_) => match resolved {
                Resolved::Indirect { id, located } => {
                    Ok(DictRef(Resolved::Indirect { id, located }))
                }
                // A reference resolves to an indirect object or to null, never to a direct
                // dictionary; refused rather than read as an empty catalog.
                Resolved::Direct(_) => Err(SyntaxError::new(
                    0,
                    SyntaxErrorKind::WrongType {
                        expected: "catalog dictionary",
                        found: "direct object",
                    },
                )),
            },
            other => Err(SyntaxError::new(
                0,
                SyntaxErrorKind::WrongType {
                    expected: "catalog dictionary",
                    found: other.type_name(),
                },
            )),
        }
    }

    /// The file the resolver reads.
    pub fn file(&self) -> &'a [u8] {
        self.file
    }

    /// The revisions the resolver reads.
    pub fn revisions(&self) -> &'a Revisions {
        self.revs
    }

    /// How many revisions there are (the last one's number).
    pub fn revision_count(&self) -> usize {
        self.revs.revisions.len()
    }

    /// The budget the resolver charges.
    pub fn budget(&self) -> &'a Budget {
        self.budget
    }

    /// The decoded data of a stream of the file, charged to the budget. A stream decoded
    /// before by this resolver (the same data in the file) is not decoded or charged again.
    pub fn decode_stream(&self, stream: &super::syntax::Stream) -> Result<Rc<[u8]>, SyntaxError> {
        let key = (stream.data.start, stream.data.end);
        if let Some(hit) = self.decoded.borrow().0.get(&key) {
            return Ok(Rc::clone(hit));
        }
        let data: Rc<[u8]> = super::syntax::decode_stream(self.file, stream, self.budget)?.into();
        let mut memo = self.decoded.borrow_mut();
        if data.len() <= MAX_MEMO_STREAM && memo.1 + data.len() <= MAX_MEMO_TOTAL {
            memo.1 += data.len();
            memo.0.insert(key, Rc::clone(&data));
        }
        Ok(data)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::fmt::Write as _;
    use std::io::Write as _;

    /// Writes small PDFs by hand, with exact offsets.
    struct Builder {
        buf: Vec<u8>,
        pending: Vec<(u32, u16, usize)>,
        last_xref: Option<usize>,
        size: u32,
    }

    impl Builder {
        fn new() -> Builder {
            Builder {
                buf: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
                pending: Vec::new(),
                last_xref: None,
                size: 1,
            }
        }

        fn raw(&mut self, bytes: &[u8]) -> &mut Builder {
            self.buf.extend_from_slice(bytes);
            self
        }

        fn obj_gen(&mut self, num: u32, gen: u16, body: &[u8]) -> usize {
            let at = self.buf.len();
            writeln!(self.buf, "{num} {gen} obj").unwrap();
            self.buf.extend_from_slice(body);
            self.buf.extend_from_slice(b"\nendobj\n");
            self.pending.push((num, gen, at));
            self.size = self.size.max(num + 1);
            at
        }

        fn obj(&mut self, num: u32, body: &str) -> usize {
            self.obj_gen(num, 0, body.as_bytes())
        }

        fn stream(&mut self, num: u32, dict: &str, data: &[u8]) -> usize {
            let mut body = format!("<<{dict} /Length {}>>\nstream\n", data.len()).into_bytes();
            body.extend_from_slice(data);
            body.extend_from_slice(b"\nendstream");
            self.obj_gen(num, 0, &body)
        }

        /// The subsections of a table for `entries` (number, line).
        fn subsections(mut entries: Vec<(u32, String)>) -> String {
            entries.sort();
            let mut out = String::new();
            let mut i = 0;
            while i < entries.len() {
                let mut j = i + 1;
                while j < entries.len() && entries[j].0 == entries[j - 1].0 + 1 {
                    j += 1;
                }
                writeln!(out, "{} {}", entries[i].0, j - i).unwrap();
                for (_, line) in &entries[i..j] {
                    out.push_str(line);
                }
                i = j;
            }
            out
        }

        /// The pending objects' table lines, plus object 0 in the first revision.
        fn take_lines(&mut self) -> Vec<(u32, String)> {
            let mut lines: Vec<(u32, String)> = self
                .pending
                .drain(..)
                .map(|(n, g, at)| (n, format!("{at:010} {g:05} n\r\n")))
                .collect();
            if self.last_xref.is_none() {
                lines.push((0, "0000000000 65535 f\r\n".to_owned()));
            }
            lines
        }

        /// A classic xref section for the pending objects, trailer, startxref, %%EOF, `eol`.
        fn table_with(&mut self, extra: &[(u32, String)], trailer: &str, eol: &str) -> usize {
            let mut lines = self.take_lines();
            lines.extend(extra.iter().cloned());
            let at = self.buf.len();
            let prev = self
                .last_xref
                .map_or(String::new(), |p| format!(" /Prev {p}"));
            write!(
                self.buf,
                "xref\n{}trailer\n<</Size {}{prev} {trailer}>>\nstartxref\n{at}\n%%EOF{eol}",
                Builder::subsections(lines),
                self.size
            )
            .unwrap();
            self.last_xref = Some(at);
            at
        }

        fn table(&mut self, trailer: &str) -> usize {
            self.table_with(&[], trailer, "\n")
        }

        /// An xref stream (object `num`) for the pending objects plus `extra` entries,
        /// `/W [1 4 2]`, deflated, with predictor 12 when `predict`.
        fn xref_stream(
            &mut self,
            num: u32,
            extra: &[(u32, Entry)],
            dict: &str,
            predict: bool,
        ) -> usize {
            let at = self.buf.len();
            let mut entries: Vec<(u32, Entry)> = self
                .pending
                .drain(..)
                .map(|(n, gen, offset)| (n, Entry::InFile { offset, gen }))
                .collect();
            entries.push((num, Entry::InFile { offset: at, gen: 0 }));
            if self.last_xref.is_none() {
                entries.push((0, Entry::Free { gen: 65535 }));
            }
            entries.extend_from_slice(extra);
            entries.sort_by_key(|e| e.0);
            self.size = self.size.max(num + 1);
            let mut rows = Vec::new();
            let mut index = String::new();
            let mut i = 0;
            while i < entries.len() {
                let mut j = i + 1;
                while j < entries.len() && entries[j].0 == entries[j - 1].0 + 1 {
                    j += 1;
                }
                write!(index, "{} {} ", entries[i].0, j - i).unwrap();
                i = j;
            }
            for (_, e) in &entries {
                let (t, f2, f3): (u8, u32, u16) = match *e {
                    Entry::Free { gen } => (0, 0, gen),
                    Entry::InFile { offset, gen } => (1, u32::try_from(offset).unwrap(), gen),
                    Entry::Compressed { stream, index } => {
                        (2, stream, u16::try_from(index).unwrap())
                    }
                };
                let mut row = vec![t];
                row.extend_from_slice(&f2.to_be_bytes());
                row.extend_from_slice(&f3.to_be_bytes());
                rows.push(row);
            }
            let (data, parms) = if predict {
                let mut out = Vec::new();
                let mut prev = vec![0u8; 7];
                for row in &rows {
                    out.push(2);
                    out.extend(row.iter().zip(&prev).map(|(a, b)| a.wrapping_sub(*b)));
                    prev.clone_from(row);
                }
                (out, " /DecodeParms <</Predictor 12 /Columns 7>>")
            } else {
                (rows.concat(), "")
            };
            let prev = self
                .last_xref
                .map_or(String::new(), |p| format!(" /Prev {p}"));
            let z = zlib(&data);
            write!(
                self.buf,
                "{num} 0 obj\n<</Type /XRef /Size {} /W [1 4 2] /Index [{index}] /Filter /FlateDecode{parms}{prev} {dict} /Length {}>>\nstream\n",
                self.size,
                z.len()
            )
            .unwrap();
            self.buf.extend_from_slice(&z);
            write!(self.buf, "\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").unwrap();
            self.last_xref = Some(at);
            at
        }

        /// An object stream (object `num`) holding `objects`; returns their entries.
        fn object_stream(&mut self, num: u32, objects: &[(u32, &str)]) -> Vec<(u32, Entry)> {
            let mut header = String::new();
            let mut body = String::new();
            for (n, text) in objects {
                write!(header, "{n} {} ", body.len()).unwrap();
                body.push_str(text);
                body.push('\n');
            }
            let data = format!("{header}{body}");
            let z = zlib(data.as_bytes());
            self.stream(
                num,
                &format!(
                    "/Type /ObjStm /N {} /First {} /Filter /FlateDecode",
                    objects.len(),
                    header.len()
                ),
                &z,
            );
            objects
                .iter()
                .enumerate()
                .map(|(i, (n, _))| {
                    self.size = self.size.max(n + 1);
                    (
                        *n,
                        Entry::Compressed {
                            stream: num,
                            index: u32::try_from(i).unwrap(),
                        },
                    )
                })
                .collect()
        }

        fn bytes(&self) -> Vec<u8> {
            self.buf.clone()
        }
    }

    /// Bytes as text, one char per byte (edits keep byte positions once converted back).
    fn latin1(b: &[u8]) -> String {
        b.iter().map(|&c| char::from(c)).collect()
    }

    fn bytes_of(s: &str) -> Vec<u8> {
        s.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn split_ok(file: &[u8]) -> Revisions {
        split(file, &Budget::for_file(file.len()))
            .unwrap_or_else(|e| panic!("{e}\n{}", latin1(file)))
    }

    fn split_err(file: &[u8]) -> StructureErrorKind {
        match split(file, &Budget::for_file(file.len())) {
            Ok(r) => panic!("split: {r:?}"),
            Err(e) => e.kind,
        }
    }

    /// A document of three objects in one revision.
    fn base() -> Builder {
        let mut b = Builder::new();
        b.obj(1, "<</Type /Catalog /Pages 2 0 R>>");
        b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>");
        b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>");
        b.table("/Root 1 0 R");
        b
    }

    fn r(num: u32) -> ObjRef {
        ObjRef::new(num, 0)
    }

    /// Every object of every revision resolves.
    fn resolve_all(file: &[u8], revs: &Revisions) {
        let budget = Budget::for_file(file.len());
        let resolver = Resolver::new(file, revs, &budget);
        for n in 1..=revs.len() {
            resolver.catalog(n).unwrap();
            let nums: Vec<u32> = revs.revisions[..n]
                .iter()
                .flat_map(|r| r.entries.keys().copied())
                .collect();
            for num in nums {
                let Some((_, entry)) = resolver.lookup(num, n) else {
                    panic!("{num} at {n}")
                };
                let gen = match entry {
                    Entry::InFile { gen, .. } => gen,
                    _ => 0,
                };
                let got = resolver.get(ObjRef::new(num, gen), n).unwrap();
                assert_eq!(
                    got.is_some(),
                    !matches!(entry, Entry::Free { .. }),
                    "{num} at {n}"
                );
            }
        }
    }

    #[test]
    fn one_classic_revision() {
        let b = base();
        let file = b.bytes();
        let revs = split_ok(&file);
        assert_eq!(revs.len(), 1);
        assert!(!revs.is_empty());
        let rev = &revs.revisions[0];
        assert_eq!(rev.kind, XrefKind::Table);
        assert_eq!(rev.start, 0);
        assert_eq!(rev.end, file.len());
        assert_eq!(rev.prev, None);
        assert_eq!(&file[rev.xref_offset..rev.xref_offset + 4], b"xref");
        assert_eq!(
            &file[rev.startxref_offset..rev.startxref_offset + 9],
            b"startxref"
        );
        assert_eq!(rev.sections, vec![rev.xref_offset]);
        assert_eq!(rev.entries.len(), 4);
        assert_eq!(rev.entries[&0], Entry::Free { gen: 65535 });
        assert_eq!(rev.trailer.get_ref(b"Root"), Some(r(1)));
        assert_eq!(revs.after_last, Trailing::None);
        assert!(!revs.linearized);
        assert_eq!(revs.ending_at(file.len()), Some(1));
        assert_eq!(revs.ending_at(10), None);

        let budget = Budget::default();
        let resolver = Resolver::new(&file, &revs, &budget);
        let catalog = resolver.catalog(1).unwrap();
        assert_eq!(catalog.get_name(b"Type"), Some(&b"Catalog"[..]));
        let pages = resolver.resolve(catalog.get(b"Pages").unwrap(), 1).unwrap();
        assert_eq!(pages.dict().unwrap().get_int(b"Count"), Some(1));
        let Resolved::Indirect { id, located } = &pages else {
            panic!("indirect")
        };
        assert_eq!(*id, r(2));
        assert_eq!(located.defined_in, 1);
        let Source::File { span } = &located.source else {
            panic!("in the file")
        };
        assert!(file[span.clone()].starts_with(b"2 0 obj"));
        assert!(file[span.clone()].ends_with(b"endobj"));
        // Free, missing, wrong generation: null.
        assert!(resolver.get(r(0), 1).unwrap().is_none());
        assert!(resolver.get(r(9), 1).unwrap().is_none());
        assert!(resolver.get(ObjRef::new(2, 1), 1).unwrap().is_none());
        assert!(resolver.resolve(&Object::Ref(r(9)), 1).unwrap().is_null());
        let direct = Object::Integer(5);
        assert!(matches!(
            resolver.resolve(&direct, 1).unwrap(),
            Resolved::Direct(_)
        ));
        // Memoised: the same allocation.
        let a = resolver.get(r(2), 1).unwrap().unwrap();
        let b = resolver.get(r(2), 1).unwrap().unwrap();
        assert!(Arc::ptr_eq(&a.object, &b.object));
        assert_eq!(budget.used(Resource::Objects), 2);
        // Revision numbers out of range.
        assert!(matches!(
            resolver.get(r(1), 0).unwrap_err().kind,
            SyntaxErrorKind::NoRevision { revision: 0 }
        ));
        assert!(resolver.get(r(1), 2).is_err());
        assert!(resolver.catalog(2).is_err());
        assert!(resolver.trailer(2).is_none());
        assert_eq!(resolver.trailer(1).unwrap().get_int(b"Size"), Some(4));
        assert_eq!(resolver.lookup(1, 0), None);
    }

    #[test]
    fn incremental_updates() {
        let mut b = base();
        let ends1 = b.buf.len();
        // Update 1: a new object, the catalog changed.
        b.obj(4, "<</Info (update 1)>>");
        b.obj(1, "<</Type /Catalog /Pages 2 0 R /Extra 4 0 R>>");
        b.table("/Root 1 0 R");
        let ends2 = b.buf.len();
        let one_update = b.bytes();
        // Update 2: the page changed with a new generation.
        b.obj_gen(3, 1, b"<</Type /Page /Parent 2 0 R /Rotate 90>>");
        b.table_with(&[], "/Root 1 0 R", "\r\n");
        let ends3 = b.buf.len();
        // Update 3: object 4 freed.
        b.table_with(
            &[(4, "0000000000 00001 f\r\n".to_owned())],
            "/Root 1 0 R",
            "",
        );
        let file = b.bytes();

        let revs = split_ok(&one_update);
        assert_eq!(revs.len(), 2);
        assert_eq!(revs.revisions[0].end, ends1);
        assert_eq!(revs.revisions[1].end, ends2);

        let revs = split_ok(&file);
        assert_eq!(revs.len(), 4);
        let ends: Vec<usize> = revs.revisions.iter().map(|r| r.end).collect();
        assert_eq!(ends, vec![ends1, ends2, ends3, file.len()]);
        assert!(file[..ends3].ends_with(b"%%EOF\r\n"));
        assert!(file.ends_with(b"%%EOF"));
        for (i, rev) in revs.revisions.iter().enumerate() {
            assert_eq!(rev.start, if i == 0 { 0 } else { ends[i - 1] });
            assert_eq!(
                rev.prev,
                if i == 0 {
                    None
                } else {
                    Some(revs.revisions[i - 1].xref_offset)
                }
            );
        }
        assert_eq!(
            revs.revisions[1]
                .entries
                .keys()
                .copied()
                .collect::<Vec<_>>(),
            vec![1, 4]
        );
        assert_eq!(revs.revisions[3].entries[&4], Entry::Free { gen: 1 });
        assert_eq!(revs.after_last, Trailing::None);

        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        assert_eq!(res.lookup(1, 1).map(|e| e.0), Some(1));
        assert_eq!(res.lookup(1, 2).map(|e| e.0), Some(2));
        assert_eq!(res.lookup(1, 4).map(|e| e.0), Some(2));
        assert_eq!(res.lookup(4, 1), None);
        assert_eq!(res.lookup(3, 3).map(|e| e.0), Some(3));
        assert!(!res.catalog(1).unwrap().contains_key(b"Extra"));
        assert!(res.catalog(2).unwrap().contains_key(b"Extra"));
        assert!(res.catalog(4).unwrap().contains_key(b"Extra"));
        assert!(res.get(r(4), 1).unwrap().is_none());
        assert!(res.get(r(4), 2).unwrap().is_some());
        assert!(res.get(r(4), 4).unwrap().is_none());
        // The page: generation 0 until revision 3, generation 1 from then.
        assert!(res.get(r(3), 2).unwrap().is_some());
        assert!(res.get(r(3), 3).unwrap().is_none());
        let page = res.get(ObjRef::new(3, 1), 3).unwrap().unwrap();
        assert_eq!(page.defined_in, 3);
        assert_eq!(page.object.dict().unwrap().get_int(b"Rotate"), Some(90));
        // The sorted index agrees with the definition: the entry of the latest revision at or
        // before the one asked that lists the number; a second read is the cached object.
        for num in 0..8 {
            for revision in 0..=revs.len() + 1 {
                let naive = (1..=revision.min(revs.len()))
                    .rev()
                    .find_map(|i| revs.revisions[i - 1].entries.get(&num).map(|e| (i, *e)));
                assert_eq!(res.lookup(num, revision), naive, "{num} at {revision}");
            }
        }
        let again = res.get(ObjRef::new(3, 1), 3).unwrap().unwrap();
        assert!(Arc::ptr_eq(&page.object, &again.object));
        let old_page = res.get(r(3), 2).unwrap().unwrap();
        assert!(!Arc::ptr_eq(&page.object, &old_page.object));
        resolve_all(&file, &revs);
    }

    #[test]
    fn what_follows_the_last_eof() {
        for (eol, tail, want_end, trailing) in [
            ("\r\n", "", 0, Trailing::None),
            ("\n", "", 0, Trailing::None),
            ("\r", "", 0, Trailing::None),
            ("", "", 0, Trailing::None),
            (
                "\n",
                "  \0\r\n\t\x0c",
                0,
                Trailing::Blank { start: 0, len: 7 },
            ),
            ("", " ", 0, Trailing::Blank { start: 0, len: 1 }),
            ("\r\n", "\r\n", 0, Trailing::Blank { start: 0, len: 2 }),
            ("\n", "garbage", 0, Trailing::Data { start: 0, len: 7 }),
            (
                "\n",
                "\n\n1 0 obj <<>> endobj\n",
                0,
                Trailing::Data { start: 0, len: 22 },
            ),
            ("", "x", 0, Trailing::Data { start: 0, len: 1 }),
        ] {
            let _ = want_end;
            let mut b = base();
            b.buf.truncate(b.buf.len() - 1); // the table's "\n" after %%EOF
            b.raw(eol.as_bytes()).raw(tail.as_bytes());
            let file = b.bytes();
            let revs = split_ok(&file);
            let end = file.len() - tail.len();
            assert_eq!(revs.revisions[0].end, end, "{eol:?} {tail:?}");
            let fixed = match trailing {
                Trailing::None => Trailing::None,
                Trailing::Blank { len, .. } => Trailing::Blank { start: end, len },
                Trailing::Data { len, .. } => Trailing::Data { start: end, len },
            };
            assert_eq!(revs.after_last, fixed, "{eol:?} {tail:?}");
        }
    }

    #[test]
    fn xref_stream_and_object_stream() {
        for predict in [false, true] {
            let mut b = Builder::new();
            b.obj(3, "<</Type /Page /Parent 2 0 R>>");
            let compressed = b.object_stream(
                5,
                &[
                    (1, "<</Type /Catalog /Pages 2 0 R>>"),
                    (2, "<</Type /Pages /Kids [3 0 R] /Count 1>>"),
                ],
            );
            b.xref_stream(6, &compressed, "/Root 1 0 R", predict);
            let one = b.bytes();
            let revs = split_ok(&one);
            assert_eq!(revs.len(), 1);
            let rev = &revs.revisions[0];
            assert_eq!(rev.kind, XrefKind::Stream);
            assert_eq!(rev.end, one.len());
            assert_eq!(rev.trailer.get_name(b"Type"), Some(&b"XRef"[..]));
            assert_eq!(
                rev.entries[&1],
                Entry::Compressed {
                    stream: 5,
                    index: 0
                }
            );
            assert_eq!(
                rev.entries[&2],
                Entry::Compressed {
                    stream: 5,
                    index: 1
                }
            );
            assert!(matches!(rev.entries[&6], Entry::InFile { .. }));
            assert_eq!(rev.entries[&0], Entry::Free { gen: 65535 });

            let budget = Budget::default();
            let res = Resolver::new(&one, &revs, &budget);
            let catalog = res.catalog(1).unwrap();
            assert_eq!(catalog.get_name(b"Type"), Some(&b"Catalog"[..]));
            let pages = res.get(r(2), 1).unwrap().unwrap();
            assert_eq!(
                pages.source,
                Source::ObjectStream {
                    stream: 5,
                    index: 1,
                    stream_defined_in: 1
                }
            );
            assert_eq!(pages.object.dict().unwrap().get_int(b"Count"), Some(1));
            // Compressed objects have generation 0.
            assert!(res.get(ObjRef::new(2, 1), 1).unwrap().is_none());
            resolve_all(&one, &revs);

            // An update with another xref stream: object 2 now in the file.
            b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1 /Updated true>>");
            b.xref_stream(7, &[], "/Root 1 0 R", predict);
            let two = b.bytes();
            let revs = split_ok(&two);
            assert_eq!(revs.len(), 2);
            assert_eq!(revs.revisions[1].prev, Some(revs.revisions[0].xref_offset));
            assert_eq!(revs.revisions[0].end, one.len());
            let res = Resolver::new(&two, &revs, &budget);
            assert!(res
                .get(r(2), 2)
                .unwrap()
                .unwrap()
                .object
                .dict()
                .unwrap()
                .contains_key(b"Updated"));
            assert!(!res
                .get(r(2), 1)
                .unwrap()
                .unwrap()
                .object
                .dict()
                .unwrap()
                .contains_key(b"Updated"));
            resolve_all(&two, &revs);
        }
    }

    #[test]
    fn an_object_stream_redefined_later() {
        let mut b = Builder::new();
        let c = b.object_stream(5, &[(1, "<</Type /Catalog /V 1>>")]);
        b.xref_stream(6, &c, "/Root 1 0 R", true);
        b.object_stream(5, &[(1, "<</Type /Catalog /V 2>>")]);
        b.xref_stream(7, &[], "/Root 1 0 R", true);
        let file = b.bytes();
        let revs = split_ok(&file);
        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        let at1 = res.get(r(1), 1).unwrap().unwrap();
        let at2 = res.get(r(1), 2).unwrap().unwrap();
        assert_eq!(at1.object.dict().unwrap().get_int(b"V"), Some(1));
        assert_eq!(at2.object.dict().unwrap().get_int(b"V"), Some(2));
        // Both defined by revision 1's entry, read through different object streams.
        assert_eq!((at1.defined_in, at2.defined_in), (1, 1));
        assert_eq!(
            at2.source,
            Source::ObjectStream {
                stream: 5,
                index: 0,
                stream_defined_in: 2
            }
        );
    }

    #[test]
    fn object_stream_errors() {
        // The index names another object; a stream inside; a bad /Type.
        let mut b = Builder::new();
        b.object_stream(5, &[(1, "<</Type /Catalog>>"), (2, "<</Length 1>> stream")]);
        b.stream(8, "/Type /XObject /N 1 /First 4", b"1 0 <<>>");
        b.xref_stream(
            6,
            &[
                (
                    1,
                    Entry::Compressed {
                        stream: 5,
                        index: 0,
                    },
                ),
                (
                    2,
                    Entry::Compressed {
                        stream: 5,
                        index: 1,
                    },
                ),
                (
                    3,
                    Entry::Compressed {
                        stream: 5,
                        index: 0,
                    },
                ),
                (
                    4,
                    Entry::Compressed {
                        stream: 5,
                        index: 7,
                    },
                ),
                (
                    9,
                    Entry::Compressed {
                        stream: 8,
                        index: 0,
                    },
                ),
                (
                    10,
                    Entry::Compressed {
                        stream: 77,
                        index: 0,
                    },
                ),
            ],
            "/Root 1 0 R",
            false,
        );
        let file = b.bytes();
        let revs = split_ok(&file);
        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        assert!(res.get(r(1), 1).unwrap().is_some());
        let kind = |n| res.get(r(n), 1).unwrap_err().kind;
        assert_eq!(kind(2), SyntaxErrorKind::StreamInObjectStream);
        assert_eq!(
            kind(3),
            SyntaxErrorKind::ObjectStreamMismatch {
                stream: 5,
                index: 0,
                expected: 3,
                found: 1
            }
        );
        assert_eq!(kind(4), SyntaxErrorKind::BadObjectStream { stream: 5 });
        assert_eq!(kind(9), SyntaxErrorKind::BadObjectStream { stream: 8 });
        assert_eq!(kind(10), SyntaxErrorKind::BadObjectStream { stream: 77 });
    }

    #[test]
    fn hybrid_reference_file() {
        let mut b = base();
        let rev1_end = b.buf.len();
        // Update: object stream 10 with objects 11 and 12, the xref stream 13 listing them
        // (and a bogus entry for 14 that the table's in-use entry overrides), then the table.
        let mut hidden = b.object_stream(10, &[(11, "<</Hidden 1>>"), (12, "<</Hidden 2>>")]);
        let o14 = b.obj(14, "<</Visible true>>");
        let stm_entries = {
            hidden.push((
                14,
                Entry::Compressed {
                    stream: 10,
                    index: 0,
                },
            ));
            hidden
        };
        // The xref stream, written without startxref (it is not the revision's main section).
        let stm_at = b.buf.len();
        let mut rows = Vec::new();
        let mut index = String::new();
        for (n, e) in &stm_entries {
            let Entry::Compressed { stream, index: i } = e else {
                unreachable!()
            };
            write!(index, "{n} 1 ").unwrap();
            rows.extend_from_slice(&[
                2,
                0,
                0,
                0,
                u8::try_from(*stream).unwrap(),
                0,
                u8::try_from(*i).unwrap(),
            ]);
        }
        write!(
            b.buf,
            "13 0 obj\n<</Type /XRef /Size 15 /W [1 4 2] /Index [{index}] /Length {}>>\nstream\n",
            rows.len()
        )
        .unwrap();
        b.buf.extend_from_slice(&rows);
        b.buf.extend_from_slice(b"\nendstream\nendobj\n");
        b.pending.retain(|(n, _, _)| *n == 10 || *n == 14);
        b.size = 15;
        let table_at = b.table_with(
            &[
                (11, "0000000000 00000 f\r\n".to_owned()),
                (12, "0000000000 00000 f\r\n".to_owned()),
                (13, format!("{stm_at:010} 00000 n\r\n")),
            ],
            &format!("/Root 1 0 R /XRefStm {stm_at}"),
            "\n",
        );
        let file = b.bytes();
        let revs = split_ok(&file);
        assert_eq!(revs.len(), 2);
        let rev = &revs.revisions[1];
        assert_eq!(rev.kind, XrefKind::Hybrid);
        assert_eq!(rev.xref_offset, table_at);
        assert_eq!(rev.sections, vec![table_at, stm_at]);
        assert_eq!(rev.start, rev1_end);
        assert_eq!(
            rev.entries[&11],
            Entry::Compressed {
                stream: 10,
                index: 0
            }
        );
        assert_eq!(
            rev.entries[&12],
            Entry::Compressed {
                stream: 10,
                index: 1
            }
        );
        assert_eq!(
            rev.entries[&14],
            Entry::InFile {
                offset: o14,
                gen: 0
            }
        );
        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        assert_eq!(
            res.get(r(12), 2)
                .unwrap()
                .unwrap()
                .object
                .dict()
                .unwrap()
                .get_int(b"Hidden"),
            Some(2)
        );
        assert!(res.get(r(12), 1).unwrap().is_none());
        assert_eq!(
            res.get(r(14), 2)
                .unwrap()
                .unwrap()
                .object
                .dict()
                .unwrap()
                .get(b"Visible"),
            Some(&Object::Bool(true))
        );
        resolve_all(&file, &revs);

        // /XRefStm at something that is not an xref stream.
        let bad = latin1(&file).replace(&format!("/XRefStm {stm_at}"), &format!("/XRefStm {o14}"));
        assert!(matches!(
            split_err(&bytes_of(&bad)),
            StructureErrorKind::BadXref {
                problem: XrefProblem::NotXref,
                ..
            }
        ));
    }

    /// A linearized-looking file, laid out as qpdf writes one.
    fn linearized() -> (Vec<u8>, usize, usize) {
        let mut buf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let lin_at = buf.len();
        buf.extend_from_slice(
            b"4 0 obj\n<</Linearized 1 /L 0000 /O 5 /E 0 /N 1 /T 0>>\nendobj\n   \n",
        );
        let first_xref = buf.len();
        // The first-page section: placeholders for 4 and 5, patched below.
        let first_template = "xref\n4 2\n{4}\n{5}\ntrailer\n<</Size 6 /Root 5 0 R /Prev {P}          >>\nstartxref\n0\n%%EOF\n";
        let placeholder_len = first_template
            .replace("{4}", &"0".repeat(19))
            .replace("{5}", &"0".repeat(19))
            .replace("{P}", "0")
            .len();
        buf.extend(std::iter::repeat_n(b' ', placeholder_len));
        let o5 = buf.len();
        buf.extend_from_slice(b"5 0 obj\n<</Type /Catalog /Pages 1 0 R>>\nendobj\n");
        let o1 = buf.len();
        buf.extend_from_slice(b"1 0 obj\n<</Type /Pages /Kids [2 0 R] /Count 1>>\nendobj\n");
        let o2 = buf.len();
        buf.extend_from_slice(b"2 0 obj\n<</Type /Page /Parent 1 0 R>>\nendobj\n");
        let main_xref = buf.len();
        write!(
            buf,
            "xref\n0 3\n0000000000 65535 f\r\n{o1:010} 00000 n\r\n{o2:010} 00000 n\r\ntrailer\n<</Size 3>>\nstartxref\n{first_xref}\n%%EOF\n"
        )
        .unwrap();
        let first = first_template
            .replace("{4}", &format!("{lin_at:010} 00000 n"))
            .replace("{5}", &format!("{o5:010} 00000 n"))
            .replace("{P}", &format!("{main_xref}"));
        let mut first = first.into_bytes();
        first.resize(placeholder_len, b' ');
        // Keep the layout: the padding goes inside the trailer dictionary.
        let first = String::from_utf8(first).unwrap();
        let first = first.trim_end().to_owned() + "\n";
        let padded = {
            let pad = placeholder_len - first.len();
            first.replacen(
                ">>\nstartxref",
                &format!("{}>>\nstartxref", " ".repeat(pad)),
                1,
            )
        };
        buf[first_xref..first_xref + placeholder_len].copy_from_slice(padded.as_bytes());
        (buf, first_xref, main_xref)
    }

    #[test]
    fn linearized_file() {
        let (file, first_xref, main_xref) = linearized();
        let revs = split_ok(&file);
        assert!(revs.linearized);
        assert_eq!(revs.len(), 1);
        let rev = &revs.revisions[0];
        assert_eq!(rev.xref_offset, first_xref);
        assert_eq!(rev.sections, vec![first_xref, main_xref]);
        assert_eq!(rev.end, file.len());
        assert_eq!(rev.prev, None);
        assert_eq!(rev.trailer.get_ref(b"Root"), Some(r(5)));
        assert_eq!(
            rev.entries.keys().copied().collect::<Vec<_>>(),
            vec![0, 1, 2, 4, 5]
        );
        resolve_all(&file, &revs);

        // An incremental update on top (its /Prev names the first-page section).
        let mut b = Builder::new();
        b.buf = file.clone();
        b.last_xref = Some(first_xref);
        b.size = 6;
        b.obj(2, "<</Type /Page /Parent 1 0 R /Rotate 180>>");
        b.table("/Root 5 0 R");
        let updated = b.bytes();
        let revs = split_ok(&updated);
        assert!(revs.linearized);
        assert_eq!(revs.len(), 2);
        assert_eq!(revs.revisions[0].end, file.len());
        assert_eq!(revs.revisions[1].start, file.len());
        resolve_all(&updated, &revs);

        // Without /Linearized, the forward /Prev is refused.
        let plain = latin1(&file).replace("/Linearized 1", "/Linearizex 1");
        assert_eq!(
            split_err(&bytes_of(&plain)),
            StructureErrorKind::Overlap { revision: 1 }
        );
    }

    #[test]
    fn structure_errors() {
        let good = base().bytes();
        let text = latin1(&good);
        let xref_at = split_ok(&good).revisions[0].xref_offset;

        // No startxref at all; a truncated file.
        assert_eq!(
            split_err(&bytes_of(&text.replace("startxref", "startxrex"))),
            StructureErrorKind::NoStartxref
        );
        assert_eq!(
            split_err(&good[..xref_at + 30]),
            StructureErrorKind::NoStartxref
        );
        assert_eq!(split_err(b""), StructureErrorKind::NoStartxref);
        let cut = good.len() - "%%EOF\n".len();
        assert!(matches!(
            split_err(&good[..cut]),
            StructureErrorKind::NoEof { .. }
        ));
        assert!(matches!(
            split_err(&good[..cut - 1]),
            StructureErrorKind::NoEof { .. }
        ));
        assert!(matches!(
            split_err(&bytes_of(&text.replace("startxref\n", "startxref\nx"))),
            StructureErrorKind::BadStartxref { .. }
        ));

        // Offsets outside the file, or at garbage.
        let with_startxref = |v: &str| {
            bytes_of(&text.replace(
                &format!("startxref\n{xref_at}\n"),
                &format!("startxref\n{v}\n"),
            ))
        };
        assert_eq!(
            split_err(&with_startxref("999999")),
            StructureErrorKind::OffsetOutOfFile { offset: 999_999 }
        );
        assert!(matches!(
            split_err(&with_startxref("99999999999999999999")),
            StructureErrorKind::BadStartxref { .. }
        ));
        assert_eq!(
            split_err(&with_startxref("20")),
            StructureErrorKind::BadXref {
                offset: 20,
                problem: XrefProblem::NotXref
            }
        );
        assert_eq!(
            split_err(&with_startxref("22")),
            StructureErrorKind::BadXref {
                offset: 22,
                problem: XrefProblem::NotXref
            }
        );
        assert_eq!(
            split_err(&with_startxref("0")),
            StructureErrorKind::BadXref {
                offset: 0,
                problem: XrefProblem::NotXref
            }
        );

        // /Encrypt.
        assert_eq!(
            split_err(&bytes_of(
                &text.replace("/Root 1 0 R", "/Root 1 0 R /Encrypt 9 0 R")
            )),
            StructureErrorKind::Encrypted
        );

        // A malformed table.
        let broken = bytes_of(&text.replace("0000000000 65535 f", "000000000x 65535 f"));
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::BadXref {
                offset: xref_at,
                problem: XrefProblem::BadEntry
            }
        );
        let broken = bytes_of(&text.replace("65535 f", "65535 q"));
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::BadXref {
                offset: xref_at,
                problem: XrefProblem::BadEntry
            }
        );
        let broken = bytes_of(&text.replace("65535 f", "65536 f"));
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::BadXref {
                offset: xref_at,
                problem: XrefProblem::BadEntry
            }
        );
        let broken = bytes_of(
            &text
                .replace("trailer\n<<", "trailer\n[")
                .replace(">>\nstartxref", "]\nstartxref"),
        );
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::BadXref {
                offset: xref_at,
                problem: XrefProblem::BadTrailer
            }
        );
        let broken = bytes_of(&text.replace("0 4\n", "0 5\n"));
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::BadXref {
                offset: xref_at,
                problem: XrefProblem::BadEntry
            }
        );
        let broken = bytes_of(&text.replace("/Root 1 0 R", "/Root 1 0 R /Prev -5"));
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::BadXref {
                offset: xref_at,
                problem: XrefProblem::BadPrev
            }
        );
        let broken = bytes_of(&text.replace("/Root 1 0 R", "/Root 1 0 R /Prev (5)"));
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::BadXref {
                offset: xref_at,
                problem: XrefProblem::BadPrev
            }
        );
        let broken = bytes_of(&text.replace("/Root 1 0 R", "/Root 1 0 R /Prev 99999"));
        assert_eq!(
            split_err(&broken),
            StructureErrorKind::OffsetOutOfFile { offset: 99_999 }
        );

        // An object listed twice.
        let mut b = base();
        b.obj(4, "<<>>");
        b.table_with(
            &[(4, "0000000010 00000 n\r\n".to_owned())],
            "/Root 1 0 R",
            "\n",
        );
        assert_eq!(
            split_err(&b.bytes()),
            StructureErrorKind::BadXref {
                offset: b.last_xref.unwrap(),
                problem: XrefProblem::DuplicateEntry { object: 4 }
            }
        );

        // An entry of revision 1 pointing into revision 2.
        let build = |late: usize| {
            let mut b = Builder::new();
            b.obj(1, "<</Type /Catalog>>");
            b.table_with(
                &[(9, format!("{late:010} 00000 n\r\n"))],
                "/Root 1 0 R",
                "\n",
            );
            let rev1 = b.buf.len();
            b.obj(9, "<<>>");
            b.table("/Root 1 0 R");
            (b.bytes(), rev1)
        };
        let (_, rev1) = build(0);
        let (file, _) = build(rev1);
        assert_eq!(&file[rev1..rev1 + 7], b"9 0 obj");
        assert!(matches!(
            split_err(&file),
            StructureErrorKind::BadXref {
                problem: XrefProblem::EntryOutsideRevision { object: 9 },
                ..
            }
        ));
    }

    #[test]
    fn prev_loops_and_overlaps() {
        // /Prev naming the section itself.
        let mut b = base();
        b.obj(4, "<<>>");
        b.last_xref = Some(b.buf.len());
        b.table("/Root 1 0 R");
        assert_eq!(
            split_err(&b.bytes()),
            StructureErrorKind::PrevLoop {
                offset: b.last_xref.unwrap()
            }
        );

        // A → B → A: the first trailer's /Prev (zero-padded) names the second section.
        let mut b = Builder::new();
        b.obj(1, "<</Type /Catalog>>");
        b.table("/Root 1 0 R /Prev 9999999");
        b.obj(4, "<<>>");
        let second = b.table("/Root 1 0 R");
        let text = latin1(&b.bytes()).replace("/Prev 9999999", &format!("/Prev {second:07}"));
        assert_eq!(
            split_err(&bytes_of(&text)),
            StructureErrorKind::PrevLoop { offset: second }
        );

        // A forward /Prev outside a linearized file: 3 → 1 → 2.
        let mut b = Builder::new();
        b.obj(1, "<</Type /Catalog>>");
        b.table("/Root 1 0 R /Prev 9999999");
        b.obj(4, "<<>>");
        b.last_xref = None; // revision 2 without /Prev
        let x2 = b.table("/Root 1 0 R");
        b.obj(5, "<<>>");
        b.table("/Root 1 0 R");
        let text = latin1(&b.bytes());
        let revs_text = text.replace("/Prev 9999999", &format!("/Prev {x2:07}"));
        let first_xref = memchr::memmem::find(&bytes_of(&revs_text), b"xref\n").unwrap();
        let width = x2.to_string().len();
        let patched = revs_text.replace(
            &format!("/Prev {x2} /Root"),
            &format!("/Prev {first_xref:0width$} /Root"),
        );
        assert_ne!(patched, revs_text);
        assert_eq!(
            split_err(&bytes_of(&patched)),
            StructureErrorKind::Overlap { revision: 1 }
        );
    }

    #[test]
    fn ambiguous_ends() {
        let good = base().bytes();
        let xref_at = split_ok(&good).revisions[0].xref_offset;
        // A second `%%EOF`, or a repeated `startxref … %%EOF`, after a revision.
        let mut twice = good.clone();
        twice.extend_from_slice(b"%%EOF\n");
        assert!(matches!(
            split_err(&twice),
            StructureErrorKind::AmbiguousEnd { .. }
        ));
        let mut twice = good.clone();
        twice.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
        assert!(matches!(
            split_err(&twice),
            StructureErrorKind::AmbiguousEnd { .. }
        ));
        let mut twice = good.clone();
        twice.extend_from_slice(format!("garbage startxref\n{xref_at}\n%%EOF\n").as_bytes());
        assert!(matches!(
            split_err(&twice),
            StructureErrorKind::AmbiguousEnd { .. }
        ));
        // Between revisions too.
        let mut b = base();
        b.raw(b"\n%%EOF\n");
        b.obj(4, "<<>>");
        b.table("/Root 1 0 R");
        assert!(matches!(
            split_err(&b.bytes()),
            StructureErrorKind::AmbiguousEnd { .. }
        ));
        // But a comment that is not %%EOF is part of the next revision.
        let mut b = base();
        b.raw(b"% an update\n");
        b.obj(4, "<<>>");
        b.table("/Root 1 0 R");
        assert_eq!(split_ok(&b.bytes()).len(), 2);
    }

    #[test]
    fn objects_are_checked() {
        let mut b = base();
        // Object 4's entry points at object 3; object 5 is a reference loop with 6; object 7 is
        // a stream whose /Length is object 8; object 9's /Length is itself.
        b.obj(5, "6 0 R");
        b.obj(6, "5 0 R");
        b.obj(10, "10 0 R");
        b.obj(11, "5 0 R");
        b.obj(7, "<</Length 8 0 R>>\nstream\nabcd\nendstream");
        b.obj(8, "4");
        b.obj(9, "<</Length 9 0 R>>\nstream\nabcd\nendstream");
        b.obj(12, "<</Length 13 0 R>>\nstream\nabcd\nendstream");
        b.obj(13, "(four)");
        b.obj(14, "<</Length 15 0 R>>\nstream\nabcd\nendstream");
        b.table_with(
            &[(4, "0000000015 00000 n\r\n".to_owned())],
            "/Root 1 0 R",
            "\n",
        );
        let file = b.bytes();
        let revs = split_ok(&file);
        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        let kind = |n| res.get(r(n), 2).unwrap_err().kind;
        // Offset 15 is object 1's header.
        assert_eq!(
            kind(4),
            SyntaxErrorKind::WrongObject {
                expected: r(4),
                found: r(1)
            }
        );
        let loop_kind = res.resolve(&Object::Ref(r(5)), 2).unwrap_err().kind;
        assert!(
            matches!(loop_kind, SyntaxErrorKind::RefLoop { .. }),
            "{loop_kind:?}"
        );
        assert!(matches!(
            res.resolve(&Object::Ref(r(10)), 2).unwrap_err().kind,
            SyntaxErrorKind::RefLoop { .. }
        ));
        assert!(matches!(
            res.resolve(&Object::Ref(r(11)), 2).unwrap_err().kind,
            SyntaxErrorKind::RefLoop { .. }
        ));
        let stream = res.get(r(7), 2).unwrap().unwrap();
        let Object::Stream(s) = &*stream.object else {
            panic!("stream")
        };
        assert_eq!(&file[s.data.clone()], b"abcd");
        assert_eq!(decode_stream(&file, s, &budget).unwrap(), b"abcd");
        assert_eq!(kind(9), SyntaxErrorKind::RefLoop { at: r(9) });
        assert_eq!(kind(12), SyntaxErrorKind::BadStreamLength);
        assert_eq!(kind(14), SyntaxErrorKind::BadStreamLength);
    }

    #[test]
    fn wrong_object_at_offset() {
        let mut b = base();
        let o3 = {
            let text = b.bytes();
            memchr::memmem::find(&text, b"3 0 obj").unwrap()
        };
        b.table_with(&[(4, format!("{o3:010} 00000 n\r\n"))], "/Root 1 0 R", "\n");
        let file = b.bytes();
        let revs = split_ok(&file);
        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        assert_eq!(
            res.get(r(4), 2).unwrap_err().kind,
            SyntaxErrorKind::WrongObject {
                expected: r(4),
                found: r(3)
            }
        );
        // Never searched elsewhere, even though object 4 is not in the file at all.
        assert!(res.get(r(3), 2).unwrap().is_some());
    }

    #[test]
    fn a_reference_loop_through_the_catalog() {
        let mut b = Builder::new();
        b.obj(1, "2 0 R");
        b.obj(2, "1 0 R");
        b.table("/Root 1 0 R");
        let file = b.bytes();
        let revs = split_ok(&file);
        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        assert!(matches!(
            res.catalog(1).unwrap_err().kind,
            SyntaxErrorKind::RefLoop { .. }
        ));
        assert!(matches!(
            res.resolve(&Object::Ref(r(1)), 1).unwrap_err().kind,
            SyntaxErrorKind::RefLoop { .. }
        ));
    }

    #[test]
    fn catalog_from_an_earlier_trailer() {
        let mut b = base();
        b.obj(4, "<<>>");
        b.table("");
        let file = b.bytes();
        let revs = split_ok(&file);
        assert!(revs.revisions[1].trailer.get(b"Root").is_none());
        let budget = Budget::default();
        let res = Resolver::new(&file, &revs, &budget);
        assert_eq!(
            res.catalog(2).unwrap().get_name(b"Type"),
            Some(&b"Catalog"[..])
        );
        let mut b = Builder::new();
        b.obj(1, "<</Type /Catalog>>");
        b.table("/Root 1 0 R");
        let text = latin1(&b.bytes()).replace("/Root 1 0 R", "/Root 1    ");
        let file = bytes_of(&text);
        let revs = split_ok(&file);
        let res = Resolver::new(&file, &revs, &budget);
        assert!(matches!(
            res.catalog(1).unwrap_err().kind,
            SyntaxErrorKind::WrongType { .. }
        ));
    }

    /// Deflate (zlib) of `n` zero bytes, written by hand with fixed Huffman codes: one literal
    /// 0, then copies of 258 bytes at distance 1 (13 bits each).
    fn zeros_deflate(n: usize) -> Vec<u8> {
        struct Bits {
            out: Vec<u8>,
            acc: u64,
            len: u32,
        }
        impl Bits {
            fn put(&mut self, value: u64, n: u32) {
                self.acc |= value << self.len;
                self.len += n;
                while self.len >= 8 {
                    self.out.push((self.acc & 0xff) as u8);
                    self.acc >>= 8;
                    self.len -= 8;
                }
            }
            /// A Huffman code, most significant bit first.
            fn code(&mut self, code: u64, n: u32) {
                let mut rev = 0;
                for i in 0..n {
                    rev |= ((code >> i) & 1) << (n - 1 - i);
                }
                self.put(rev, n);
            }
        }
        let mut bits = Bits {
            out: vec![0x78, 0x9c],
            acc: 0,
            len: 0,
        };
        bits.put(1, 1); // final block
        bits.put(1, 2); // fixed Huffman
        bits.code(0x30, 8); // literal 0
        let mut left = n - 1;
        while left >= 258 {
            bits.code(0xC5, 8); // length 258 (code 285)
            bits.code(0, 5); // distance 1
            left -= 258;
        }
        for _ in 0..left {
            bits.code(0x30, 8);
        }
        bits.code(0, 7); // end of block
        bits.put(0, 7);
        let mut out = bits.out;
        let adler: u32 = ((u32::try_from(n % 65521).unwrap()) << 16) | 1;
        out.extend_from_slice(&adler.to_be_bytes());
        out
    }

    #[test]
    fn compression_bomb() {
        // The hand-made deflate is right.
        let small = zeros_deflate(100_000);
        let mut d = flate2::read::ZlibDecoder::new(&small[..]);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut d, &mut out).unwrap();
        assert_eq!(out.len(), 100_000);
        assert!(out.iter().all(|&b| b == 0));

        // 100 MB of zeros as an object stream.
        let bomb = zeros_deflate(100_000_000);
        assert!(bomb.len() < 1_000_000);
        let mut b = Builder::new();
        b.stream(5, "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &bomb);
        b.xref_stream(
            6,
            &[(
                1,
                Entry::Compressed {
                    stream: 5,
                    index: 0,
                },
            )],
            "/Root 1 0 R",
            false,
        );
        let file = b.bytes();
        let revs = split_ok(&file);
        let budget = Budget::for_file(file.len());
        let res = Resolver::new(&file, &revs, &budget);
        let e = res.get(r(1), 1).unwrap_err();
        assert_eq!(
            e.kind,
            SyntaxErrorKind::BudgetExceeded {
                what: Resource::DecompressedBytes
            }
        );
        assert!(budget.used(Resource::DecompressedBytes) <= budget.max_decompressed);

        // The same bomb as an xref stream.
        let mut file = b"%PDF-1.7\n".to_vec();
        let at = file.len();
        write!(
            file,
            "1 0 obj\n<</Type /XRef /Size 2 /W [1 4 2] /Filter /FlateDecode /Length {}>>\nstream\n",
            bomb.len()
        )
        .unwrap();
        file.extend_from_slice(&bomb);
        write!(file, "\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").unwrap();
        assert_eq!(
            split_err(&file),
            StructureErrorKind::BudgetExceeded {
                what: Resource::DecompressedBytes
            }
        );
    }

    #[test]
    fn ten_thousand_revisions() {
        let mut b = base();
        for i in 0..10_000 {
            b.obj(4, &format!("<</N {i}>>"));
            b.table("/Root 1 0 R");
        }
        let file = b.bytes();
        let budget = Budget::for_file(file.len());
        let revs = split(&file, &budget).unwrap();
        assert_eq!(revs.len(), 10_001);
        // Linear: each section read once, each xref stream object parsed once.
        assert_eq!(budget.used(Resource::XrefSections), 10_001);
        assert_eq!(budget.used(Resource::Objects), 0);
        let res = Resolver::new(&file, &revs, &budget);
        assert_eq!(
            res.get(r(4), 5001)
                .unwrap()
                .unwrap()
                .object
                .dict()
                .unwrap()
                .get_int(b"N"),
            Some(4999)
        );
        assert!(res.get(r(4), 1).unwrap().is_none());
        assert_eq!(
            res.catalog(10_001).unwrap().get_name(b"Type"),
            Some(&b"Catalog"[..])
        );
        assert_eq!(budget.used(Resource::Objects), 2);
        for w in revs.revisions.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }

        // The section budget.
        let mut small = Budget::for_file(file.len());
        small.max_xref_sections = 5000;
        assert_eq!(
            split(&file, &small).unwrap_err().kind,
            StructureErrorKind::BudgetExceeded {
                what: Resource::XrefSections
            }
        );
    }

    /// A deterministic generator for the robustness tests.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// Splits and reads everything; any result is fine, a panic is not.
    fn exercise(file: &[u8]) {
        let budget = Budget::for_file(file.len());
        let Ok(revs) = split(file, &budget) else {
            return;
        };
        let res = Resolver::new(file, &revs, &budget);
        for n in 1..=revs.len() {
            let _ = res.catalog(n);
            for num in 0..20 {
                for gen in 0..2 {
                    if let Ok(Some(l)) = res.get(ObjRef::new(num, gen), n) {
                        if let Object::Stream(s) = &*l.object {
                            let _ = decode_stream(file, s, &budget);
                        }
                        if let Some(d) = l.object.dict() {
                            for (_, v) in &d.entries {
                                let _ = res.resolve(v, n);
                            }
                        }
                    }
                }
            }
        }
    }

    fn small_multi_revision_file() -> Vec<u8> {
        let mut b = Builder::new();
        b.obj(3, "<</Type /Page /Parent 2 0 R>>");
        let c = b.object_stream(
            5,
            &[
                (1, "<</Type /Catalog /Pages 2 0 R>>"),
                (2, "<</Type /Pages /Kids [3 0 R] /Count 1>>"),
            ],
        );
        b.xref_stream(6, &c, "/Root 1 0 R", true);
        b.obj(7, "<</Length 8 0 R>>\nstream\nxyz\nendstream");
        b.obj(8, "3");
        b.table("/Root 1 0 R");
        b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1 /S (a\\)b)>>");
        b.table("/Root 1 0 R");
        b.bytes()
    }

    #[test]
    fn every_truncation_and_bit_flips() {
        let file = small_multi_revision_file();
        let revs = split_ok(&file);
        assert_eq!(revs.len(), 3);
        resolve_all(&file, &revs);
        for end in 0..file.len() {
            exercise(&file[..end]);
        }
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let bits = u64::try_from(file.len() * 8).unwrap();
        for _ in 0..400 {
            let bit = usize::try_from(rng.next() % bits).unwrap();
            let mut flipped = file.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            exercise(&flipped);
        }
        // Some byte replacements with PDF delimiters and digits.
        for _ in 0..300 {
            let at = usize::try_from(rng.next() % u64::try_from(file.len()).unwrap()).unwrap();
            let mut changed = file.clone();
            changed[at] = b"()<>[]/%0123456789 \n"[usize::try_from(rng.next() % 20).unwrap()];
            exercise(&changed);
        }
    }

    fn fixture(path: &str) -> Vec<u8> {
        let p = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    /// The rendered example signed by GVCN then HT: the three documents.
    fn signed_example() -> [Vec<u8>; 3] {
        use crate::pdf::sign::{sign, Role, SignRequest, SigningKey};
        let record = crate::read_record(&fixture("fixtures/records/valid/example.xml")).unwrap();
        let pdf = crate::pdf::render(&record, &crate::pdf::RenderSettings::default()).unwrap();
        let key = |id: &str| {
            let pem = String::from_utf8(fixture(&format!("fixtures/pki/ee/{id}/key.pem"))).unwrap();
            SigningKey::from_pkcs8_pem(&pem, &fixture(&format!("fixtures/pki/ee/{id}/chain.pem")))
                .unwrap()
        };
        let time = crate::model::Timestamp::from("2025-05-26T16:30:00+07:00")
            .to_instant()
            .unwrap();
        let s1 = sign(
            &pdf,
            &SignRequest::new(Role::Gvcn, time),
            &key("example-gvcn"),
        )
        .unwrap();
        let s2 = sign(&s1, &SignRequest::new(Role::Ht, time), &key("example-ht")).unwrap();
        [pdf, s1, s2]
    }

    /// The signature fields at `revision`: (name, end of the /ByteRange or None when unsigned).
    fn signature_fields(res: &Resolver<'_>, revision: usize) -> Vec<(Vec<u8>, Option<usize>)> {
        let catalog = res.catalog(revision).unwrap();
        let form = res
            .resolve(catalog.get(b"AcroForm").unwrap(), revision)
            .unwrap();
        let fields = res
            .resolve(form.dict().unwrap().get(b"Fields").unwrap(), revision)
            .unwrap();
        let mut out = Vec::new();
        for f in fields.as_array().unwrap() {
            let field = res.resolve(f, revision).unwrap();
            let d = field.dict().unwrap();
            if d.get_name(b"FT") != Some(b"Sig") {
                continue;
            }
            let name = d.get_string(b"T").unwrap().bytes.clone();
            let end = match d.get(b"V") {
                None => None,
                Some(v) => {
                    let sig = res.resolve(v, revision).unwrap();
                    let br: Vec<usize> = sig
                        .dict()
                        .unwrap()
                        .get_array(b"ByteRange")
                        .unwrap()
                        .iter()
                        .map(|o| usize::try_from(o.as_int().unwrap()).unwrap())
                        .collect();
                    assert_eq!(br.len(), 4);
                    assert_eq!(br[0], 0);
                    Some(br[2] + br[3])
                }
            };
            out.push((name, end));
        }
        out
    }

    #[test]
    fn a_real_signed_document() {
        let [pdf, s1, s2] = signed_example();
        let revs = split_ok(&s2);
        assert_eq!(revs.len(), 3);
        assert_eq!(revs.after_last, Trailing::None);
        assert!(revs.revisions.iter().all(|r| r.kind == XrefKind::Table));
        // The rendered file may end without an end of line; the signer adds one.
        assert!(revs.revisions[0].end == pdf.len() || revs.revisions[0].end == pdf.len() + 1);
        assert_eq!(revs.revisions[1].end, s1.len());
        assert_eq!(revs.revisions[2].end, s2.len());
        // Each prefix splits into the revisions it has.
        assert_eq!(split_ok(&s1).revisions[..], revs.revisions[..2]);

        let budget = Budget::for_file(s2.len());
        let res = Resolver::new(&s2, &revs, &budget);
        let started = std::time::Instant::now();
        let at3 = signature_fields(&res, 3);
        let elapsed = started.elapsed();
        let end_of = |fields: &[(Vec<u8>, Option<usize>)], name: &[u8]| {
            fields.iter().find(|(n, _)| n == name).unwrap().1
        };
        assert_eq!(end_of(&at3, b"GVCN"), Some(revs.revisions[1].end));
        assert_eq!(end_of(&at3, b"HT"), Some(revs.revisions[2].end));
        assert_eq!(revs.ending_at(end_of(&at3, b"GVCN").unwrap()), Some(2));
        let at2 = signature_fields(&res, 2);
        assert_eq!(end_of(&at2, b"GVCN"), Some(revs.revisions[1].end));
        assert_eq!(end_of(&at2, b"HT"), None);
        let at1 = signature_fields(&res, 1);
        assert!(at1.iter().all(|(_, end)| end.is_none()));
        assert!(at1.iter().any(|(n, _)| n == b"GVCN"));
        // Informational timing (not asserted): the fastest of a few runs of the split, and of a
        // fresh resolver reading the form (two signature dictionaries with 32 KiB of hex each).
        let fastest = |f: &dyn Fn()| {
            (0..20)
                .map(|_| {
                    let t = std::time::Instant::now();
                    f();
                    t.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let split_time = fastest(&|| {
            split(&s2, &Budget::for_file(s2.len())).unwrap();
        });
        let form_time = fastest(&|| {
            let budget = Budget::for_file(s2.len());
            let res = Resolver::new(&s2, &revs, &budget);
            assert_eq!(signature_fields(&res, 3).len(), at3.len());
        });
        eprintln!(
            "first read of the form: {elapsed:?}, {} objects parsed; fastest split {split_time:?}, fastest form read {form_time:?} ({} bytes)",
            budget.used(Resource::Objects),
            s2.len()
        );
        resolve_all(&s2, &revs);
    }

    fn have_qpdf() -> bool {
        std::process::Command::new("qpdf")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// The signed example rewritten by qpdf (xref streams, object streams, linearization):
    /// skipped when qpdf is not installed.
    #[test]
    fn files_written_by_qpdf() {
        if !have_qpdf() {
            eprintln!("qpdf not installed: skipped");
            return;
        }
        let [_, _, s2] = signed_example();
        let dir = std::env::temp_dir().join(format!("hocba-revisions-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.pdf");
        std::fs::write(&input, &s2).unwrap();
        for (name, args, linearized) in [
            ("objstm.pdf", &["--object-streams=generate"][..], false),
            ("lin.pdf", &["--linearize"][..], true),
            (
                "lin-objstm.pdf",
                &["--linearize", "--object-streams=generate"][..],
                true,
            ),
        ] {
            let out = dir.join(name);
            let status = std::process::Command::new("qpdf")
                .args(args)
                .arg(&input)
                .arg(&out)
                .status()
                .unwrap();
            // 0, or 3 (warnings).
            assert!(matches!(status.code(), Some(0 | 3)), "{name}: {status}");
            let file = std::fs::read(&out).unwrap();
            let revs = split_ok(&file);
            assert_eq!(revs.len(), 1, "{name}");
            assert_eq!(revs.linearized, linearized, "{name}");
            if args.contains(&"--object-streams=generate") {
                assert_eq!(revs.revisions[0].kind, XrefKind::Stream, "{name}");
                assert!(revs.revisions[0]
                    .entries
                    .values()
                    .any(|e| matches!(e, Entry::Compressed { .. })));
            }
            resolve_all(&file, &revs);
            let budget = Budget::for_file(file.len());
            let res = Resolver::new(&file, &revs, &budget);
            let fields = signature_fields(&res, 1);
            assert_eq!(
                fields.iter().filter(|(_, e)| e.is_some()).count(),
                2,
                "{name}"
            );

            // An incremental update on top of qpdf's output.
            let mut b = Builder::new();
            b.buf.clone_from(&file);
            b.last_xref = Some(revs.revisions[0].xref_offset);
            let size = u32::try_from(revs.revisions[0].trailer.get_int(b"Size").unwrap()).unwrap();
            b.size = size;
            b.obj(size, "<</Added true>>");
            let root = revs.revisions[0].trailer.get_ref(b"Root").unwrap();
            b.table(&format!("/Root {} {} R", root.num, root.gen));
            let updated = b.bytes();
            let revs2 = split_ok(&updated);
            assert_eq!(revs2.len(), 2, "{name}");
            assert_eq!(revs2.revisions[0], revs.revisions[0], "{name}");
            resolve_all(&updated, &revs2);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn overlapping_objects_cannot_make_parsing_quadratic() {
        // Objects nested in each other's unterminated strings: each parse would scan to the end.
        let mut b = Builder::new();
        b.obj(1, "<</Type /Catalog>>");
        let mut nested = String::new();
        let mut lines = Vec::new();
        let base = b.buf.len();
        for n in 2..2002u32 {
            lines.push((n, format!("{:010} 00000 n\r\n", base + nested.len())));
            write!(nested, "{n} 0 obj (").unwrap();
        }
        b.raw(nested.as_bytes()).raw(b"\n");
        b.table_with(&lines, "/Root 1 0 R", "\n");
        let file = b.bytes();
        let revs = split_ok(&file);
        let mut budget = Budget::for_file(file.len());
        budget.max_parsed = 1_000_000;
        let res = Resolver::new(&file, &revs, &budget);
        let mut exhausted = 0;
        for n in 2..2002 {
            match res.get(r(n), 1).unwrap_err().kind {
                SyntaxErrorKind::UnterminatedString => {}
                SyntaxErrorKind::BudgetExceeded {
                    what: Resource::ParsedBytes,
                } => exhausted += 1,
                other => panic!("{n}: {other:?}"),
            }
        }
        assert!(exhausted > 1000, "{exhausted}");
        assert!(budget.used(Resource::ParsedBytes) <= budget.max_parsed);
        // Once spent, nothing more is parsed.
        assert!(matches!(
            res.get(r(1), 1).unwrap_err().kind,
            SyntaxErrorKind::BudgetExceeded { .. }
        ));
    }

    #[test]
    fn messages() {
        let e = StructureError::new(StructureErrorKind::BadXref {
            offset: 7,
            problem: XrefProblem::NotXref,
        });
        assert_eq!(
            e.to_string(),
            "bad cross-reference section at byte 7: not a cross-reference section"
        );
        assert!(e.message_vi().contains("byte 7"));
        for kind in [
            StructureErrorKind::NoStartxref,
            StructureErrorKind::Encrypted,
            StructureErrorKind::PrevLoop { offset: 1 },
            StructureErrorKind::AmbiguousEnd { offset: 1 },
            StructureErrorKind::Overlap { revision: 1 },
            StructureErrorKind::BudgetExceeded {
                what: Resource::XrefSections,
            },
        ] {
            let e = StructureError::new(kind);
            assert!(!e.to_string().is_empty());
            assert_ne!(e.message_vi(), e.to_string());
        }
    }
}
