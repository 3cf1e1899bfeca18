//! PDF objects as a signature verifier reads them: a strict lexer and parser of ISO 32000-1
//! §7.2 (lexical conventions) and §7.3 (objects), indirect objects with their streams (§7.3.8,
//! §7.3.10), and the only stream filter a verifier needs, `FlateDecode` with the PNG
//! predictors (§7.4.4).
//!
//! The input may be hostile. Nothing here panics, guesses or repairs:
//!
//! - every error is a [`SyntaxError`] with the byte offset where reading stopped;
//! - nesting is bounded ([`Limits::max_depth`]), numbers that do not fit are errors, never
//!   approximations;
//! - a stream's data is located by its `/Length` and must be followed by `endstream`: a length
//!   that disagrees with the keyword is an error, never corrected by searching;
//! - decompression is bounded by a shared [`Budget`]: a compression bomb stops with
//!   [`SyntaxErrorKind::BudgetExceeded`] after at most the remaining budget has been produced.
//!
//! Values keep where they came from: [`PdfString::span`], [`Dict::span`] and [`Stream::data`]
//! are byte ranges of the buffer they were parsed from (the file, or for an object inside an
//! object stream, that stream's decoded data). Dictionaries keep duplicate keys in file order;
//! [`Dict::get`] returns the last one (as most readers do) and [`Dict::duplicate_keys`] lets the
//! verifier refuse them where they matter.

use std::cell::Cell;
use std::io::Read;
use std::ops::Range;

/// A reference to an indirect object: object number and generation (`12 0 R`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjRef {
    /// The object number.
    pub num: u32,
    /// The generation number.
    pub gen: u16,
}

impl ObjRef {
    /// A reference to object `num`, generation `gen`.
    pub const fn new(num: u32, gen: u16) -> ObjRef {
        ObjRef { num, gen }
    }
}

impl std::fmt::Display for ObjRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} R", self.num, self.gen)
    }
}

/// A PDF object (ISO 32000-1 §7.3).
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits in an `i64`.
    Integer(i64),
    /// A real number (`+.5`, `-3.`, `0.25`).
    Real(f64),
    /// A name, without the `/`, with `#xx` escapes decoded.
    Name(Vec<u8>),
    /// A literal or hexadecimal string.
    String(PdfString),
    /// An array.
    Array(Vec<Object>),
    /// A dictionary.
    Dict(Dict),
    /// A stream: its dictionary and where its (encoded) data is.
    Stream(Stream),
    /// An indirect reference (`12 0 R`).
    Ref(ObjRef),
}

/// A string object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfString {
    /// The decoded bytes (escapes of a literal string, or the hex digits).
    pub bytes: Vec<u8>,
    /// Written as a hexadecimal string (`<…>`) rather than a literal one (`(…)`).
    pub hex: bool,
    /// From the opening `(` or `<` to just after the closing `)` or `>`, in the source buffer.
    pub span: Range<usize>,
}

/// A dictionary: its entries in source order, duplicate keys included.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict {
    /// The entries in source order: key (without `/`, decoded) and value.
    pub entries: Vec<(Vec<u8>, Object)>,
    /// From `<<` to just after `>>`, in the source buffer.
    pub span: Range<usize>,
}

/// A stream object (ISO 32000-1 §7.3.8).
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// The stream dictionary.
    pub dict: Dict,
    /// The raw (still encoded) data: `/Length` bytes after the end of line that follows
    /// `stream`, in the source buffer.
    pub data: Range<usize>,
}

/// An indirect object as written in the file (`12 0 obj … endobj`).
#[derive(Debug, Clone, PartialEq)]
pub struct IndirectObject {
    /// The object number and generation of the header.
    pub id: ObjRef,
    /// The object.
    pub object: Object,
    /// From the first digit of the object number to just after `endobj`.
    pub span: Range<usize>,
}

impl Dict {
    /// The value of the **last** entry with this key (ISO 32000 leaves duplicate keys undefined;
    /// most readers keep the last). Check [`Dict::count`] or [`Dict::duplicate_keys`] where a
    /// duplicate would matter.
    pub fn get(&self, key: &[u8]) -> Option<&Object> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// How many entries have this key.
    pub fn count(&self, key: &[u8]) -> usize {
        self.entries.iter().filter(|(k, _)| k == key).count()
    }

    /// The keys that occur more than once, each once, in order of first occurrence.
    pub fn duplicate_keys(&self) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = Vec::new();
        for (i, (k, _)) in self.entries.iter().enumerate() {
            if !out.contains(k) && self.entries[i + 1..].iter().any(|(k2, _)| k2 == k) {
                out.push(k.clone());
            }
        }
        out
    }

    /// Whether the key is present (with any value, `null` included).
    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// The value as a name, when it is a direct name.
    pub fn get_name(&self, key: &[u8]) -> Option<&[u8]> {
        self.get(key).and_then(Object::as_name)
    }

    /// The value as an integer, when it is a direct integer.
    pub fn get_int(&self, key: &[u8]) -> Option<i64> {
        self.get(key).and_then(Object::as_int)
    }

    /// The value as a reference, when it is one.
    pub fn get_ref(&self, key: &[u8]) -> Option<ObjRef> {
        self.get(key).and_then(Object::as_ref)
    }

    /// The value as a dictionary, when it is a direct dictionary.
    pub fn get_dict(&self, key: &[u8]) -> Option<&Dict> {
        self.get(key).and_then(Object::as_dict)
    }

    /// The value as an array, when it is a direct array.
    pub fn get_array(&self, key: &[u8]) -> Option<&[Object]> {
        self.get(key).and_then(Object::as_array)
    }

    /// The value as a string, when it is a direct string.
    pub fn get_string(&self, key: &[u8]) -> Option<&PdfString> {
        self.get(key).and_then(Object::as_string)
    }
}

impl Object {
    /// The integer, for [`Object::Integer`].
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Object::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The number, for [`Object::Integer`] or [`Object::Real`].
    pub fn as_number(&self) -> Option<f64> {
        match self {
            // Precision loss above 2^53 is acceptable for a number read as a real.
            Object::Integer(i) => Some(*i as f64),
            Object::Real(r) => Some(*r),
            _ => None,
        }
    }

    /// The boolean, for [`Object::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Object::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The name's bytes, for [`Object::Name`].
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    /// The string, for [`Object::String`].
    pub fn as_string(&self) -> Option<&PdfString> {
        match self {
            Object::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, for [`Object::Array`].
    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The dictionary, for [`Object::Dict`] only (see [`Object::dict`] for streams too).
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            _ => None,
        }
    }

    /// The stream, for [`Object::Stream`].
    pub fn as_stream(&self) -> Option<&Stream> {
        match self {
            Object::Stream(s) => Some(s),
            _ => None,
        }
    }

    /// The dictionary of a [`Object::Dict`] or of a [`Object::Stream`].
    pub fn dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    /// The reference, for [`Object::Ref`].
    pub fn as_ref(&self) -> Option<ObjRef> {
        match self {
            Object::Ref(r) => Some(*r),
            _ => None,
        }
    }

    /// Whether this is [`Object::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Object::Null)
    }

    /// The kind of object, in English (`dictionary`, `integer`, …), for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Object::Null => "null",
            Object::Bool(_) => "boolean",
            Object::Integer(_) => "integer",
            Object::Real(_) => "real",
            Object::Name(_) => "name",
            Object::String(_) => "string",
            Object::Array(_) => "array",
            Object::Dict(_) => "dictionary",
            Object::Stream(_) => "stream",
            Object::Ref(_) => "reference",
        }
    }

    /// Whether two objects have the same value, ignoring where they were written (spans) and
    /// whether strings were literal or hexadecimal. Dictionaries compare entry by entry in
    /// order (duplicates included); streams compare their dictionaries and their raw data bytes,
    /// read from `file` (streams only ever live in the file). Numbers compare by value (`523`
    /// equals `523.0`).
    pub fn equivalent(&self, other: &Object, file: &[u8]) -> bool {
        match (self, other) {
            (Object::String(a), Object::String(b)) => a.bytes == b.bytes,
            (Object::Array(a), Object::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equivalent(y, file))
            }
            (Object::Dict(a), Object::Dict(b)) => dicts_equivalent(a, b, file),
            (Object::Stream(a), Object::Stream(b)) => {
                dicts_equivalent(&a.dict, &b.dict, file)
                    && match (file.get(a.data.clone()), file.get(b.data.clone())) {
                        (Some(x), Some(y)) => x == y,
                        _ => false,
                    }
            }
            (Object::Null, Object::Null) => true,
            (Object::Bool(a), Object::Bool(b)) => a == b,
            (Object::Integer(a), Object::Integer(b)) => a == b,
            (Object::Real(a), Object::Real(b)) => a == b,
            // 523 and 523.0 are the same number (writers differ in how they print reals).
            (Object::Integer(a), Object::Real(b)) | (Object::Real(b), Object::Integer(a)) => {
                *a as f64 == *b
            }
            (Object::Name(a), Object::Name(b)) => a == b,
            (Object::Ref(a), Object::Ref(b)) => a == b,
            _ => false,
        }
    }
}

fn dicts_equivalent(a: &Dict, b: &Dict, file: &[u8]) -> bool {
    a.entries.len() == b.entries.len()
        && a.entries
            .iter()
            .zip(&b.entries)
            .all(|((ka, va), (kb, vb))| ka == kb && va.equivalent(vb, file))
}

/// Structural limits of one parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The deepest nesting of arrays and dictionaries (64; Adobe's implementation limit is 28
    /// in ISO 32000-1 Annex C).
    pub max_depth: usize,
    /// The most bytes one stream may decode to (32 MiB). The total over a verification is
    /// bounded by [`Budget::max_decompressed`].
    pub max_decompressed: usize,
    /// The most objects an object stream may declare in `/N` (100 000).
    pub max_objects_per_stream: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_decompressed: 32 * 1024 * 1024,
            max_objects_per_stream: 100_000,
        }
    }
}

/// A resource a [`Budget`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resource {
    /// Cross-reference sections read (tables, streams, `/XRefStm`).
    XrefSections,
    /// Indirect objects parsed (from the file or from object streams).
    Objects,
    /// Bytes produced by stream decoding.
    DecompressedBytes,
    /// Bytes scanned while parsing objects (so that overlapping objects cannot make parsing
    /// quadratic).
    ParsedBytes,
}

impl Resource {
    /// The resource in English.
    pub fn name(self) -> &'static str {
        match self {
            Resource::XrefSections => "cross-reference sections",
            Resource::Objects => "objects parsed",
            Resource::DecompressedBytes => "decompressed bytes",
            Resource::ParsedBytes => "bytes parsed",
        }
    }

    /// The resource in Vietnamese.
    pub fn name_vi(self) -> &'static str {
        match self {
            Resource::XrefSections => "số bảng tham chiếu chéo",
            Resource::Objects => "số đối tượng được đọc",
            Resource::DecompressedBytes => "số byte giải nén",
            Resource::ParsedBytes => "số byte được phân tích",
        }
    }
}

impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The work allowed for reading one file, shared by the revision splitter, the resolver and the
/// verifier: limits plus counters of what has been used (interior mutability, so one `&Budget`
/// is passed everywhere; not `Sync`).
///
/// Build it with [`Budget::for_file`] (or [`Default`], which assumes an empty file and so
/// allows 16 MiB of decompressed data).
#[derive(Debug, Clone)]
pub struct Budget {
    /// Structural limits of each parse.
    pub limits: Limits,
    /// The most cross-reference sections read (20 000).
    pub max_xref_sections: usize,
    /// The most indirect objects parsed (250 000; memoised objects count once).
    pub max_objects: usize,
    /// The most bytes decoded from streams, in total (3 × the file's length + 16 MiB).
    pub max_decompressed: usize,
    /// The most bytes scanned by object parsing, in total (4 × the file's length + 16 MiB;
    /// a well-formed file needs at most its length plus its decoded object streams, since
    /// every object is parsed once).
    pub max_parsed: usize,
    used_sections: Cell<usize>,
    used_objects: Cell<usize>,
    used_decompressed: Cell<usize>,
    used_parsed: Cell<usize>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::for_file(0)
    }
}

impl Budget {
    /// The default budget for a file of `len` bytes.
    pub fn for_file(len: usize) -> Budget {
        Budget {
            limits: Limits::default(),
            max_xref_sections: 20_000,
            max_objects: 250_000,
            max_decompressed: len.saturating_mul(3).saturating_add(16 * 1024 * 1024),
            max_parsed: len.saturating_mul(4).saturating_add(16 * 1024 * 1024),
            used_sections: Cell::new(0),
            used_objects: Cell::new(0),
            used_decompressed: Cell::new(0),
            used_parsed: Cell::new(0),
        }
    }

    fn cell(&self, what: Resource) -> (&Cell<usize>, usize) {
        match what {
            Resource::XrefSections => (&self.used_sections, self.max_xref_sections),
            Resource::Objects => (&self.used_objects, self.max_objects),
            Resource::DecompressedBytes => (&self.used_decompressed, self.max_decompressed),
            Resource::ParsedBytes => (&self.used_parsed, self.max_parsed),
        }
    }

    /// How much of a resource has been used.
    pub fn used(&self, what: Resource) -> usize {
        self.cell(what).0.get()
    }

    /// How much of a resource is left.
    pub fn remaining(&self, what: Resource) -> usize {
        let (cell, max) = self.cell(what);
        max.saturating_sub(cell.get())
    }

    /// Uses `amount` of a resource; `Err(what)` (and nothing used) when that would exceed the
    /// limit.
    pub fn charge(&self, what: Resource, amount: usize) -> Result<(), Resource> {
        let (cell, max) = self.cell(what);
        match cell.get().checked_add(amount) {
            Some(total) if total <= max => {
                cell.set(total);
                Ok(())
            }
            _ => Err(what),
        }
    }
}

/// Why an object could not be read: where, and what.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind} (at byte {offset})")]
pub struct SyntaxError {
    /// The byte offset in the buffer being read (the file, or an object stream's decoded data
    /// for the objects it holds) where reading stopped.
    pub offset: usize,
    /// What is wrong.
    pub kind: SyntaxErrorKind,
}

/// What is wrong in a [`SyntaxError`] (English `Display`; [`SyntaxError::message_vi`] in
/// Vietnamese).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    /// The data ends inside an object.
    #[error("unexpected end of data")]
    UnexpectedEof,
    /// A byte that cannot start or continue what is being read.
    #[error("unexpected byte 0x{byte:02x}")]
    UnexpectedByte {
        /// The byte.
        byte: u8,
    },
    /// A keyword where an object was expected (`endobj`, `R`, `obj`, an unknown word).
    #[error("unexpected keyword {keyword:?}")]
    UnexpectedKeyword {
        /// The keyword (lossy UTF-8, at most 32 bytes).
        keyword: String,
    },
    /// A malformed number (`1.2.3`, `--1`, `12abc`).
    #[error("malformed number")]
    BadNumber,
    /// A number that does not fit (an integer beyond `i64`, an object number beyond `u32`, a
    /// generation beyond 65535, an offset or length beyond the file).
    #[error("number out of range")]
    NumberOutOfRange,
    /// A name with a `#` not followed by two hexadecimal digits.
    #[error("malformed name escape")]
    BadName,
    /// A hexadecimal string with a character that is neither a hex digit nor white space.
    #[error("malformed hexadecimal string")]
    BadHexString,
    /// A string without its closing `)` or `>` (the error's offset is the end of the data).
    #[error("unterminated string")]
    UnterminatedString,
    /// A dictionary key that is not a name.
    #[error("dictionary key is not a name")]
    KeyNotName,
    /// A dictionary key without a value.
    #[error("dictionary key without a value")]
    MissingValue,
    /// Arrays and dictionaries nested deeper than the limit.
    #[error("objects nested deeper than {max}")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// No `N G obj` header where an indirect object should start.
    #[error("no indirect object header (N G obj)")]
    BadObjectHeader,
    /// The header names another object than the one looked up.
    #[error("expected object {expected}, found object {found}")]
    WrongObject {
        /// The object looked up.
        expected: ObjRef,
        /// The object found at its offset.
        found: ObjRef,
    },
    /// An indirect object not closed by `endobj`.
    #[error("missing endobj")]
    MissingEndobj,
    /// A stream whose `/Length` is missing, negative, not an integer, or beyond the data.
    #[error("stream /Length missing, invalid, or beyond the data")]
    BadStreamLength,
    /// A stream whose `/Length` is an indirect reference, read without a resolver.
    #[error("stream /Length is an indirect reference ({length})")]
    IndirectLength {
        /// The reference.
        length: ObjRef,
    },
    /// `endstream` does not follow the `/Length` bytes of data.
    #[error("stream /Length does not end at endstream")]
    StreamLengthMismatch,
    /// `stream` not followed by an end of line, or following something that is not a
    /// dictionary.
    #[error("malformed stream keyword")]
    BadStreamKeyword,
    /// A stream filter other than `FlateDecode` (or an external `/F` stream).
    #[error("unsupported stream filter {filter}")]
    UnsupportedFilter {
        /// The filter's name (lossy UTF-8).
        filter: String,
    },
    /// A predictor other than none (1) and PNG (10–15).
    #[error("unsupported predictor {predictor}")]
    UnsupportedPredictor {
        /// The `/Predictor` value.
        predictor: i64,
    },
    /// `/Filter` or `/DecodeParms` malformed (wrong types, `/Columns` out of range, …).
    #[error("malformed /Filter or /DecodeParms")]
    BadDecodeParms,
    /// Compressed data that does not decode (corrupt deflate data, a bad PNG row tag).
    #[error("corrupt stream data: {detail}")]
    CorruptData {
        /// What the decoder said.
        detail: String,
    },
    /// The budget for a resource is spent.
    #[error("budget exceeded: {what}")]
    BudgetExceeded {
        /// Which resource.
        what: Resource,
    },
    /// A chain of references that comes back to itself.
    #[error("reference loop at {at}")]
    RefLoop {
        /// A reference on the loop.
        at: ObjRef,
    },
    /// A chain of references (or of nested lookups) longer than the limit.
    #[error("too many nested references")]
    TooManyRefs,
    /// A malformed object stream (`/Type /ObjStm`, `/N`, `/First`, its header of numbers).
    #[error("malformed object stream {stream}")]
    BadObjectStream {
        /// The object stream's number.
        stream: u32,
    },
    /// The object stream lists another object at the index the cross-reference gives.
    #[error("object stream {stream} holds object {found} at index {index}, not {expected}")]
    ObjectStreamMismatch {
        /// The object stream's number.
        stream: u32,
        /// The index.
        index: u32,
        /// The object looked up.
        expected: u32,
        /// The object listed there.
        found: u32,
    },
    /// A stream inside an object stream (forbidden by ISO 32000-1 §7.5.7).
    #[error("stream inside an object stream")]
    StreamInObjectStream,
    /// An object whose bytes extend beyond the end of the revision that defines it.
    #[error("object {object} extends beyond its revision")]
    OutsideRevision {
        /// The object.
        object: ObjRef,
    },
    /// A revision number that the file does not have.
    #[error("no revision {revision}")]
    NoRevision {
        /// The revision asked for (1-based).
        revision: usize,
    },
    /// An object of the wrong type where the structure requires a given one.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What was required.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
}

impl SyntaxError {
    /// An error of `kind` at `offset`.
    pub fn new(offset: usize, kind: SyntaxErrorKind) -> SyntaxError {
        SyntaxError { offset, kind }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        format!("{} (tại byte {})", self.kind.message_vi(), self.offset)
    }
}

impl SyntaxErrorKind {
    /// The description in Vietnamese.
    pub fn message_vi(&self) -> String {
        use SyntaxErrorKind as K;
        match self {
            K::UnexpectedEof => "dữ liệu kết thúc đột ngột".to_owned(),
            K::UnexpectedByte { byte } => format!("byte không hợp lệ 0x{byte:02x}"),
            K::UnexpectedKeyword { keyword } => format!("từ khóa không đúng chỗ {keyword:?}"),
            K::BadNumber => "số viết sai cú pháp".to_owned(),
            K::NumberOutOfRange => "số vượt quá giới hạn cho phép".to_owned(),
            K::BadName => "tên có mã thoát # sai".to_owned(),
            K::BadHexString => "chuỗi thập lục phân sai cú pháp".to_owned(),
            K::UnterminatedString => "chuỗi không có dấu đóng".to_owned(),
            K::KeyNotName => "khóa của từ điển không phải là tên".to_owned(),
            K::MissingValue => "khóa của từ điển không có giá trị".to_owned(),
            K::TooDeep { max } => format!("đối tượng lồng nhau sâu quá {max} mức"),
            K::BadObjectHeader => "không có tiêu đề đối tượng gián tiếp (N G obj)".to_owned(),
            K::WrongObject { expected, found } => {
                format!("cần đối tượng {expected} nhưng gặp đối tượng {found}")
            }
            K::MissingEndobj => "thiếu endobj".to_owned(),
            K::BadStreamLength => {
                "/Length của luồng bị thiếu, sai hoặc vượt quá dữ liệu".to_owned()
            }
            K::IndirectLength { length } => {
                format!("/Length của luồng là tham chiếu gián tiếp ({length})")
            }
            K::StreamLengthMismatch => "/Length của luồng không kết thúc tại endstream".to_owned(),
            K::BadStreamKeyword => "từ khóa stream sai cú pháp".to_owned(),
            K::UnsupportedFilter { filter } => format!("bộ lọc luồng {filter} không được hỗ trợ"),
            K::UnsupportedPredictor { predictor } => {
                format!("bộ dự đoán {predictor} không được hỗ trợ")
            }
            K::BadDecodeParms => "/Filter hoặc /DecodeParms sai".to_owned(),
            K::CorruptData { detail } => format!("dữ liệu luồng bị hỏng: {detail}"),
            K::BudgetExceeded { what } => {
                format!("vượt quá giới hạn xử lý: {}", what.name_vi())
            }
            K::RefLoop { at } => format!("tham chiếu vòng tại {at}"),
            K::TooManyRefs => "quá nhiều tham chiếu lồng nhau".to_owned(),
            K::BadObjectStream { stream } => format!("luồng đối tượng {stream} sai cấu trúc"),
            K::ObjectStreamMismatch {
                stream,
                index,
                expected,
                found,
            } => format!(
                "luồng đối tượng {stream} chứa đối tượng {found} ở vị trí {index}, không phải {expected}"
            ),
            K::StreamInObjectStream => "luồng nằm trong luồng đối tượng".to_owned(),
            K::OutsideRevision { object } => {
                format!("đối tượng {object} vượt ra ngoài phiên bản định nghĩa nó")
            }
            K::NoRevision { revision } => format!("không có phiên bản {revision}"),
            K::WrongType { expected, found } => format!("cần {expected}, gặp {found}"),
        }
    }
}

fn err<T>(offset: usize, kind: SyntaxErrorKind) -> Result<T, SyntaxError> {
    Err(SyntaxError { offset, kind })
}

/// White space (ISO 32000-1 Table 1): NUL, TAB, LF, FF, CR, SPACE.
pub fn is_whitespace(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

/// Delimiters (ISO 32000-1 Table 2).
pub fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    REGULAR[usize::from(b)]
}

/// Regular characters (neither white space nor delimiters), by byte value.
const REGULAR: [bool; 256] = {
    let mut t = [true; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
            || matches!(
                c,
                b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
            )
        {
            t[b] = false;
        }
        b += 1;
    }
    t
};

/// The position of the first byte at or after `pos` that is neither white space nor inside a
/// comment (`%` to the end of the line).
pub fn skip_whitespace_and_comments(src: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = src.get(pos) {
        if is_whitespace(b) {
            pos += 1;
        } else if b == b'%' {
            while let Some(&c) = src.get(pos) {
                if c == b'\r' || c == b'\n' {
                    break;
                }
                pos += 1;
            }
        } else {
            break;
        }
    }
    pos
}

fn skip_whitespace(src: &[u8], mut pos: usize) -> usize {
    while src.get(pos).is_some_and(|&b| is_whitespace(b)) {
        pos += 1;
    }
    pos
}

/// Whether `src[pos..]` starts with the keyword `word` followed by a non-regular byte or the
/// end of the data.
pub fn keyword_at(src: &[u8], pos: usize, word: &[u8]) -> bool {
    src.get(pos..).is_some_and(|rest| rest.starts_with(word))
        && src.get(pos + word.len()).is_none_or(|&b| !is_regular(b))
}

/// The end of the run of regular bytes starting at `pos`.
fn token_end(src: &[u8], pos: usize) -> usize {
    let mut end = pos;
    while src.get(end).is_some_and(|&b| is_regular(b)) {
        end += 1;
    }
    end
}

/// An unsigned decimal integer of digits only at `pos` (no sign, no point), ending at a
/// non-regular byte: its value and end. `None` when the token is anything else.
pub(crate) fn unsigned_at(src: &[u8], pos: usize) -> Option<(u64, usize)> {
    let end = token_end(src, pos);
    let token = src.get(pos..end)?;
    if token.is_empty() || token.len() > 19 || !token.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in token {
        v = v * 10 + u64::from(d - b'0');
    }
    Some((v, end))
}

/// The value of each byte as a hexadecimal digit, 0xFF when it is not one.
const HEX: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Eight ASCII hex digits, read as a little-endian word, decoded to four bytes (first digit
/// pair in the low byte); `None` when any byte is not a hex digit. Works on all eight bytes at
/// once: with every byte below 0x80, adding a constant to the word sets a byte's top bit exactly
/// when the byte is at least 0x80 minus the constant, and no carry crosses into the next byte.
fn hex8(x: u64) -> Option<u32> {
    const TOP: u64 = 0x8080_8080_8080_8080;
    const fn each(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    if x & TOP != 0 {
        return None;
    }
    let at_least = |x: u64, b: u8| x.wrapping_add(each(0x80 - b)) & TOP;
    let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
    let lower = x | each(0x20);
    let letter = at_least(lower, b'a') & !at_least(lower, b'f' + 1);
    if (digit | letter) != TOP {
        return None;
    }
    // Digits are their low nibble; letters (either case) their low nibble + 9.
    let v = (x & each(0x0F)) + (letter >> 7) * 9;
    // Byte 2k: high digit << 4 | low digit (every nibble value is below 16, so no spill).
    let t = ((v << 4) | (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    let t = (t | (t >> 8)) & 0x0000_FFFF_0000_FFFF;
    Some(((t | (t >> 16)) & 0xFFFF_FFFF) as u32)
}

struct Parser<'a> {
    src: &'a [u8],
    max_depth: usize,
}

impl Parser<'_> {
    /// Parses one object starting at or after `pos` (after white space and comments); `depth`
    /// is the number of enclosing arrays and dictionaries.
    fn object(&self, pos: usize, depth: usize) -> Result<(Object, usize), SyntaxError> {
        let p = skip_whitespace_and_comments(self.src, pos);
        let Some(&b) = self.src.get(p) else {
            return err(p, SyntaxErrorKind::UnexpectedEof);
        };
        match b {
            b'/' => {
                let (name, end) = self.name(p)?;
                Ok((Object::Name(name), end))
            }
            b'(' => {
                let (s, end) = self.literal_string(p)?;
                Ok((Object::String(s), end))
            }
            b'<' if self.src.get(p + 1) == Some(&b'<') => {
                if depth >= self.max_depth {
                    return err(
                        p,
                        SyntaxErrorKind::TooDeep {
                            max: self.max_depth,
                        },
                    );
                }
                let (d, end) = self.dict(p, depth + 1)?;
                Ok((Object::Dict(d), end))
            }
            b'<' => {
                let (s, end) = self.hex_string(p)?;
                Ok((Object::String(s), end))
            }
            b'[' => {
                if depth >= self.max_depth {
                    return err(
                        p,
                        SyntaxErrorKind::TooDeep {
                            max: self.max_depth,
                        },
                    );
                }
                self.array(p, depth + 1)
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number_or_ref(p),
            _ if is_regular(b) => {
                let end = token_end(self.src, p);
                match &self.src[p..end] {
                    b"true" => Ok((Object::Bool(true), end)),
                    b"false" => Ok((Object::Bool(false), end)),
                    b"null" => Ok((Object::Null, end)),
                    word => err(
                        p,
                        SyntaxErrorKind::UnexpectedKeyword {
                            keyword: String::from_utf8_lossy(&word[..word.len().min(32)])
                                .into_owned(),
                        },
                    ),
                }
            }
            _ => err(p, SyntaxErrorKind::UnexpectedByte { byte: b }),
        }
    }

    /// A name at `p` (which holds `/`).
    fn name(&self, p: usize) -> Result<(Vec<u8>, usize), SyntaxError> {
        let start = p + 1;
        let end = token_end(self.src, start);
        let raw = &self.src[start..end];
        if memchr::memchr(b'#', raw).is_none() {
            return Ok((raw.to_vec(), end));
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'#' {
                match (
                    raw.get(i + 1).copied().and_then(hex_value),
                    raw.get(i + 2).copied().and_then(hex_value),
                ) {
                    (Some(h), Some(l)) => {
                        out.push((h << 4) | l);
                        i += 3;
                    }
                    _ => return err(start + i, SyntaxErrorKind::BadName),
                }
            } else {
                out.push(raw[i]);
                i += 1;
            }
        }
        Ok((out, end))
    }

    /// A literal string at `p` (which holds `(`).
    fn literal_string(&self, p: usize) -> Result<(PdfString, usize), SyntaxError> {
        let src = self.src;
        let mut out = Vec::new();
        let mut nesting = 0usize;
        let mut i = p + 1;
        loop {
            let Some(&b) = src.get(i) else {
                return err(i, SyntaxErrorKind::UnterminatedString);
            };
            i += 1;
            match b {
                b'\\' => {
                    let Some(&e) = src.get(i) else {
                        return err(i, SyntaxErrorKind::UnterminatedString);
                    };
                    i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match src.get(i) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            // High-order overflow is ignored (ISO 32000-1 §7.3.4.2).
                            out.push((v & 0xFF) as u8);
                        }
                        b'\r' => {
                            // Line continuation: the backslash and the end of line vanish.
                            if src.get(i) == Some(&b'\n') {
                                i += 1;
                            }
                        }
                        b'\n' => {}
                        // `\(`, `\)`, `\\`, and any other character: the backslash is ignored.
                        other => out.push(other),
                    }
                }
                b'(' => {
                    nesting += 1;
                    out.push(b);
                }
                b')' => {
                    if nesting == 0 {
                        return Ok((
                            PdfString {
                                bytes: out,
                                hex: false,
                                span: p..i,
                            },
                            i,
                        ));
                    }
                    nesting -= 1;
                    out.push(b);
                }
                b'\r' => {
                    // An unescaped end of line of any kind reads as one LF.
                    if src.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
    }

    /// A hexadecimal string at `p` (which holds `<`, not followed by `<`).
    fn hex_string(&self, p: usize) -> Result<(PdfString, usize), SyntaxError> {
        let rest = &self.src[p + 1..];
        // Fast path: eight digits at a time (`/Contents <3082…>` is tens of thousands of
        // them); the first group holding anything else, and the tail, go through the general
        // loop below, which starts with no pending digit. The output grows as it is written:
        // sizing it by a search for the closing `>` would read past a bad string to the end of
        // the file, once per string, on hostile input.
        let mut out = Vec::new();
        // A run of '0' digits (the zero padding after a signature's DER, most of a reserved
        // `/Contents`) is counted and written as zero bytes in one step.
        const ZEROS: u64 = u64::from_le_bytes(*b"00000000");
        let mut done = 0;
        let mut zeros = 0;
        for group in rest.chunks_exact(8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(group);
            let word = u64::from_le_bytes(word);
            if word == ZEROS {
                zeros += 4;
                done += 8;
                continue;
            }
            let Some(bytes) = hex8(word) else {
                break;
            };
            out.resize(out.len() + zeros, 0);
            zeros = 0;
            out.extend_from_slice(&bytes.to_le_bytes());
            done += 8;
        }
        out.resize(out.len() + zeros, 0);
        let mut high: Option<u8> = None;
        for (i, &b) in rest.iter().enumerate().skip(done) {
            match HEX[usize::from(b)] {
                v @ 0..16 => match high.take() {
                    Some(h) => out.push((h << 4) | v),
                    None => high = Some(v),
                },
                _ if b == b'>' => {
                    if let Some(h) = high {
                        out.push(h << 4); // an odd number of digits: the last one is followed by 0
                    }
                    let end = p + i + 2;
                    let string = PdfString {
                        bytes: out,
                        hex: true,
                        span: p..end,
                    };
                    return Ok((string, end));
                }
                _ if is_whitespace(b) => {}
                _ => return err(p + 1 + i, SyntaxErrorKind::BadHexString),
            }
        }
        err(self.src.len(), SyntaxErrorKind::UnterminatedString)
    }

    fn array(&self, p: usize, depth: usize) -> Result<(Object, usize), SyntaxError> {
        let mut items = Vec::new();
        let mut i = p + 1;
        loop {
            i = skip_whitespace_and_comments(self.src, i);
            match self.src.get(i) {
                None => return err(i, SyntaxErrorKind::UnexpectedEof),
                Some(b']') => return Ok((Object::Array(items), i + 1)),
                Some(_) => {
                    let (o, end) = self.object(i, depth)?;
                    items.push(o);
                    i = end;
                }
            }
        }
    }

    /// A dictionary at `p` (which holds `<<`).
    fn dict(&self, p: usize, depth: usize) -> Result<(Dict, usize), SyntaxError> {
        let mut entries = Vec::new();
        let mut i = p + 2;
        loop {
            i = skip_whitespace_and_comments(self.src, i);
            match self.src.get(i) {
                None => return err(i, SyntaxErrorKind::UnexpectedEof),
                Some(b'>') if self.src.get(i + 1) == Some(&b'>') => {
                    return Ok((
                        Dict {
                            entries,
                            span: p..i + 2,
                        },
                        i + 2,
                    ));
                }
                Some(b'/') => {
                    let (key, end) = self.name(i)?;
                    let v = skip_whitespace_and_comments(self.src, end);
                    if self.src.get(v) == Some(&b'>') && self.src.get(v + 1) == Some(&b'>') {
                        return err(v, SyntaxErrorKind::MissingValue);
                    }
                    let (value, end) = self.object(v, depth)?;
                    entries.push((key, value));
                    i = end;
                }
                Some(_) => return err(i, SyntaxErrorKind::KeyNotName),
            }
        }
    }

    /// A number at `p`, or a reference `N G R` when `p` starts an unsigned integer followed by
    /// another and `R`.
    fn number_or_ref(&self, p: usize) -> Result<(Object, usize), SyntaxError> {
        let src = self.src;
        let end = token_end(src, p);
        let token = &src[p..end];
        let (negative, body) = match token.first() {
            Some(b'-') => (true, &token[1..]),
            Some(b'+') => (false, &token[1..]),
            _ => (false, token),
        };
        let mut digits = 0usize;
        let mut dots = 0usize;
        // The integer's value, built as the digits are checked (`None` past the i64 range;
        // a negative one is built downwards so that i64::MIN fits).
        let mut value: Option<i64> = Some(0);
        for &c in body {
            match c {
                b'0'..=b'9' => {
                    digits += 1;
                    let d = i64::from(c - b'0');
                    value = value.and_then(|v| v.checked_mul(10)).and_then(|v| {
                        if negative {
                            v.checked_sub(d)
                        } else {
                            v.checked_add(d)
                        }
                    });
                }
                b'.' => dots += 1,
                _ => return err(p, SyntaxErrorKind::BadNumber),
            }
        }
        if digits == 0 || dots > 1 {
            return err(p, SyntaxErrorKind::BadNumber);
        }
        if dots == 1 {
            // `token` is ASCII digits, sign and point only.
            let text = std::str::from_utf8(token).map_err(|_| SyntaxError {
                offset: p,
                kind: SyntaxErrorKind::BadNumber,
            })?;
            let v: f64 = text.parse().map_err(|_| SyntaxError {
                offset: p,
                kind: SyntaxErrorKind::BadNumber,
            })?;
            if !v.is_finite() {
                return err(p, SyntaxErrorKind::NumberOutOfRange);
            }
            return Ok((Object::Real(v), end));
        }
        if body.len() == token.len() {
            // Unsigned: maybe `N G R`.
            let g = skip_whitespace_and_comments(src, end);
            if g > end && src.get(g).is_some_and(u8::is_ascii_digit) {
                if let Some((gen, gen_end)) = unsigned_at(src, g) {
                    let r = skip_whitespace_and_comments(src, gen_end);
                    if r > gen_end && keyword_at(src, r, b"R") {
                        let num = value.and_then(|v| u32::try_from(v).ok());
                        let gen = u16::try_from(gen).ok();
                        return match (num, gen) {
                            (Some(num), Some(gen)) => Ok((Object::Ref(ObjRef { num, gen }), r + 1)),
                            _ => err(p, SyntaxErrorKind::NumberOutOfRange),
                        };
                    }
                }
            }
        }
        match value {
            Some(v) => Ok((Object::Integer(v), end)),
            None => err(p, SyntaxErrorKind::NumberOutOfRange),
        }
    }
}

/// Parses one direct object at `pos` (after any white space and comments): its value and the
/// position just after it. Streams are not recognised here (see [`parse_indirect`]).
pub fn parse_object(
    src: &[u8],
    pos: usize,
    limits: &Limits,
) -> Result<(Object, usize), SyntaxError> {
    Parser {
        src,
        max_depth: limits.max_depth,
    }
    .object(pos, 0)
}

/// Parses the indirect object `N G obj … endobj` at `offset` (white space before the object
/// number is skipped; anything else there is [`SyntaxErrorKind::BadObjectHeader`]).
///
/// A stream's `/Length` must be a direct integer; an indirect one gives
/// [`SyntaxErrorKind::IndirectLength`] (use [`parse_indirect_with`]).
pub fn parse_indirect(
    src: &[u8],
    offset: usize,
    limits: &Limits,
) -> Result<IndirectObject, SyntaxError> {
    parse_indirect_with(src, offset, limits, &mut |r| {
        err(offset, SyntaxErrorKind::IndirectLength { length: r })
    })
}

/// [`parse_indirect`], with `length` giving the value of an indirect `/Length` (the resolver
/// passes itself here; it must return the integer the reference resolves to).
///
/// The stream data starts after `stream` and its end of line (CR LF or LF; a lone CR is
/// accepted), is `/Length` bytes long, and must be followed by optional white space and
/// `endstream`, then `endobj`.
pub fn parse_indirect_with(
    src: &[u8],
    offset: usize,
    limits: &Limits,
    length: &mut dyn FnMut(ObjRef) -> Result<i64, SyntaxError>,
) -> Result<IndirectObject, SyntaxError> {
    let (id, start, body) = object_header(src, offset)?;
    let (object, end) = parse_object(src, body, limits)?;
    let mut p = skip_whitespace_and_comments(src, end);
    let object = if keyword_at(src, p, b"stream") {
        let Object::Dict(dict) = object else {
            return err(p, SyntaxErrorKind::BadStreamKeyword);
        };
        let mut data_start = p + b"stream".len();
        match (src.get(data_start), src.get(data_start + 1)) {
            (Some(b'\r'), Some(b'\n')) => data_start += 2,
            (Some(b'\n' | b'\r'), _) => data_start += 1,
            _ => return err(data_start, SyntaxErrorKind::BadStreamKeyword),
        }
        let len = match dict.get(b"Length") {
            Some(Object::Integer(n)) => *n,
            Some(Object::Ref(r)) => length(*r)?,
            _ => return err(dict.span.start, SyntaxErrorKind::BadStreamLength),
        };
        let data_end = usize::try_from(len)
            .ok()
            .and_then(|n| data_start.checked_add(n))
            .filter(|&e| e <= src.len())
            .ok_or(SyntaxError {
                offset: data_start,
                kind: SyntaxErrorKind::BadStreamLength,
            })?;
        let e = skip_whitespace(src, data_end);
        if !keyword_at(src, e, b"endstream") {
            return err(data_end, SyntaxErrorKind::StreamLengthMismatch);
        }
        p = skip_whitespace_and_comments(src, e + b"endstream".len());
        Object::Stream(Stream {
            dict,
            data: data_start..data_end,
        })
    } else {
        object
    };
    if !keyword_at(src, p, b"endobj") {
        return err(p, SyntaxErrorKind::MissingEndobj);
    }
    Ok(IndirectObject {
        id,
        object,
        span: start..p + b"endobj".len(),
    })
}

/// The header `N G obj` of the indirect object at `offset` (white space before it skipped): the
/// object's id, where its number starts, and the position just after `obj`.
pub fn object_header(src: &[u8], offset: usize) -> Result<(ObjRef, usize, usize), SyntaxError> {
    let start = skip_whitespace(src, offset);
    let header = || SyntaxError {
        offset: start,
        kind: SyntaxErrorKind::BadObjectHeader,
    };
    let (num, num_end) = unsigned_at(src, start).ok_or_else(header)?;
    let g = skip_whitespace_and_comments(src, num_end);
    if g == num_end {
        return Err(header());
    }
    let (gen, gen_end) = unsigned_at(src, g).ok_or_else(header)?;
    let o = skip_whitespace_and_comments(src, gen_end);
    if o == gen_end || !keyword_at(src, o, b"obj") {
        return Err(header());
    }
    match (u32::try_from(num), u16::try_from(gen)) {
        (Ok(num), Ok(gen)) => Ok((ObjRef { num, gen }, start, o + 3)),
        _ => err(start, SyntaxErrorKind::NumberOutOfRange),
    }
}

/// The names of a stream's filters and their parameters (`/Filter`, `/DecodeParms`).
/// A filter's name and its parameters.
type Stage<'d> = (Vec<u8>, Option<&'d Dict>);

fn filters(dict: &Dict, at: usize) -> Result<Vec<Stage<'_>>, SyntaxError> {
    let bad = || SyntaxError {
        offset: at,
        kind: SyntaxErrorKind::BadDecodeParms,
    };
    let names: Vec<Vec<u8>> = match dict.get(b"Filter") {
        None | Some(Object::Null) => Vec::new(),
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a
            .iter()
            .map(|o| o.as_name().map(<[u8]>::to_vec).ok_or_else(bad))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad()),
    };
    let parms: Vec<Option<&Dict>> = match dict.get(b"DecodeParms") {
        None | Some(Object::Null) => vec![None; names.len()],
        Some(Object::Dict(d)) if names.len() == 1 => vec![Some(d)],
        Some(Object::Array(a)) if a.len() == names.len() => a
            .iter()
            .map(|o| match o {
                Object::Null => Ok(None),
                Object::Dict(d) => Ok(Some(d)),
                _ => Err(bad()),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad()),
    };
    Ok(names.into_iter().zip(parms).collect())
}

/// Decodes a stream's data: no filter, or `FlateDecode` (with `/DecodeParms` `/Predictor` 1 or
/// 10–15, `/Colors`, `/BitsPerComponent`, `/Columns`), possibly repeated. Any other filter, an
/// external stream (`/F`), or another predictor is [`SyntaxErrorKind::UnsupportedFilter`] or
/// [`SyntaxErrorKind::UnsupportedPredictor`].
///
/// Every byte produced is charged to the budget's [`Resource::DecompressedBytes`] (an
/// unfiltered stream is charged its length); one stream produces at most
/// [`Limits::max_decompressed`] bytes. Decoding stops as soon as either limit is passed, so a
/// compression bomb costs at most the remaining budget.
pub fn decode_stream(
    file: &[u8],
    stream: &Stream,
    budget: &Budget,
) -> Result<Vec<u8>, SyntaxError> {
    let at = stream.dict.span.start;
    if stream.dict.contains_key(b"F") {
        return err(
            at,
            SyntaxErrorKind::UnsupportedFilter {
                filter: "external file (/F)".to_owned(),
            },
        );
    }
    let raw = file.get(stream.data.clone()).ok_or(SyntaxError {
        offset: stream.data.start,
        kind: SyntaxErrorKind::BadStreamLength,
    })?;
    let stages = filters(&stream.dict, at)?;
    if stages.is_empty() {
        charge_decompressed(budget, raw.len(), at)?;
        return Ok(raw.to_vec());
    }
    let mut data: Option<Vec<u8>> = None;
    for (name, parms) in stages {
        if name != b"FlateDecode" {
            return err(
                at,
                SyntaxErrorKind::UnsupportedFilter {
                    filter: String::from_utf8_lossy(&name).into_owned(),
                },
            );
        }
        let input: &[u8] = data.as_deref().unwrap_or(raw);
        let cap = budget
            .limits
            .max_decompressed
            .min(budget.remaining(Resource::DecompressedBytes));
        let inflated = inflate(input, cap, at)?;
        charge_decompressed(budget, inflated.len(), at)?;
        data = Some(match parms {
            Some(p) => unpredict(inflated, p, at)?,
            None => inflated,
        });
    }
    Ok(data.unwrap_or_default())
}

fn charge_decompressed(budget: &Budget, n: usize, at: usize) -> Result<(), SyntaxError> {
    budget
        .charge(Resource::DecompressedBytes, n)
        .map_err(|what| SyntaxError {
            offset: at,
            kind: SyntaxErrorKind::BudgetExceeded { what },
        })
}

/// Inflates zlib data, producing at most `cap` bytes (one more is an error).
fn inflate(input: &[u8], cap: usize, at: usize) -> Result<Vec<u8>, SyntaxError> {
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let mut out = Vec::with_capacity(input.len().saturating_mul(4).min(cap).min(1 << 20));
    let mut decoder = flate2::read::ZlibDecoder::new(input).take(limit);
    decoder.read_to_end(&mut out).map_err(|e| SyntaxError {
        offset: at,
        kind: SyntaxErrorKind::CorruptData {
            detail: e.to_string(),
        },
    })?;
    if out.len() > cap {
        return err(
            at,
            SyntaxErrorKind::BudgetExceeded {
                what: Resource::DecompressedBytes,
            },
        );
    }
    Ok(out)
}

/// Undoes a PNG predictor (ISO 32000-1 §7.4.4.4, RFC 2083 filter types 0–4).
fn unpredict(data: Vec<u8>, parms: &Dict, at: usize) -> Result<Vec<u8>, SyntaxError> {
    let int = |key: &[u8], default: i64| match parms.get(key) {
        None | Some(Object::Null) => Ok(default),
        Some(Object::Integer(i)) => Ok(*i),
        Some(_) => err(at, SyntaxErrorKind::BadDecodeParms),
    };
    let predictor = int(b"Predictor", 1)?;
    match predictor {
        1 => return Ok(data),
        10..=15 => {}
        other => {
            return err(
                at,
                SyntaxErrorKind::UnsupportedPredictor { predictor: other },
            )
        }
    }
    let colors = int(b"Colors", 1)?;
    let bpc = int(b"BitsPerComponent", 8)?;
    let columns = int(b"Columns", 1)?;
    if !(1..=32).contains(&colors)
        || ![1, 2, 4, 8, 16].contains(&bpc)
        || !(1..=1 << 24).contains(&columns)
    {
        return err(at, SyntaxErrorKind::BadDecodeParms);
    }
    // Bounded above: 32 × 16 × 2^24 bits fits easily.
    let bits_per_pixel = usize::try_from(colors * bpc).unwrap_or(usize::MAX);
    let bpp = bits_per_pixel.div_ceil(8).max(1);
    let row = usize::try_from(colors * bpc * columns)
        .unwrap_or(usize::MAX)
        .div_ceil(8);
    let stride = row + 1;
    if !data.len().is_multiple_of(stride) {
        return err(
            at,
            SyntaxErrorKind::CorruptData {
                detail: format!(
                    "predicted data of {} bytes is not a whole number of {}-byte rows",
                    data.len(),
                    stride
                ),
            },
        );
    }
    let rows = data.len() / stride;
    let mut out = vec![0u8; rows * row];
    let mut prev_start: Option<usize> = None;
    for (r, chunk) in data.chunks_exact(stride).enumerate() {
        let tag = chunk[0];
        let line = &chunk[1..];
        let base = r * row;
        for i in 0..row {
            let left = if i >= bpp { out[base + i - bpp] } else { 0 };
            let up = prev_start.map_or(0, |p| out[p + i]);
            let up_left = match prev_start {
                Some(p) if i >= bpp => out[p + i - bpp],
                _ => 0,
            };
            let pred = match tag {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                other => {
                    return err(
                        at,
                        SyntaxErrorKind::CorruptData {
                            detail: format!("PNG row filter {other}"),
                        },
                    )
                }
            };
            out[base + i] = line[i].wrapping_add(pred);
        }
        prev_start = Some(base);
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let pa = (p - i16::from(a)).abs();
    let pb = (p - i16::from(b)).abs();
    let pc = (p - i16::from(c)).abs();
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(src: &[u8]) -> Result<Object, SyntaxError> {
        parse_object(src, 0, &Limits::default()).map(|(o, _)| o)
    }

    fn kind(src: &[u8]) -> SyntaxErrorKind {
        parse(src).unwrap_err().kind
    }

    fn string(src: &[u8]) -> Vec<u8> {
        match parse(src).unwrap() {
            Object::String(s) => s.bytes,
            other => panic!("not a string: {other:?}"),
        }
    }

    fn name(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }

    #[test]
    fn whitespace_and_comments() {
        assert_eq!(parse(b"\0\t\x0c\r\n 42").unwrap(), Object::Integer(42));
        assert_eq!(
            parse(b"% a comment\r% another\n  7 ").unwrap(),
            Object::Integer(7)
        );
        assert_eq!(
            parse(b"[1%c\n2]").unwrap(),
            Object::Array(vec![Object::Integer(1), Object::Integer(2)])
        );
        assert_eq!(kind(b"% only a comment"), SyntaxErrorKind::UnexpectedEof);
        assert_eq!(kind(b""), SyntaxErrorKind::UnexpectedEof);
        assert_eq!(kind(b"   \0 "), SyntaxErrorKind::UnexpectedEof);
    }

    #[test]
    fn keywords() {
        assert_eq!(parse(b"true").unwrap(), Object::Bool(true));
        assert_eq!(parse(b"false]").unwrap(), Object::Bool(false));
        assert_eq!(parse(b"null").unwrap(), Object::Null);
        for word in [&b"endobj"[..], b"R", b"obj", b"nulls", b"True"] {
            assert!(
                matches!(kind(word), SyntaxErrorKind::UnexpectedKeyword { .. }),
                "{word:?}"
            );
        }
        assert_eq!(kind(b")"), SyntaxErrorKind::UnexpectedByte { byte: b')' });
        assert_eq!(kind(b"{"), SyntaxErrorKind::UnexpectedByte { byte: b'{' });
        assert_eq!(kind(b">>"), SyntaxErrorKind::UnexpectedByte { byte: b'>' });
    }

    #[test]
    fn numbers() {
        for (src, v) in [
            (&b"123"[..], 123),
            (b"43445", 43445),
            (b"+17", 17),
            (b"-98", -98),
            (b"0", 0),
            (b"007", 7),
            (b"9223372036854775807", i64::MAX),
            (b"-9223372036854775808", i64::MIN),
        ] {
            assert_eq!(parse(src).unwrap(), Object::Integer(v), "{src:?}");
        }
        for (src, v) in [
            (&b"34.5"[..], 34.5),
            (b"-3.62", -3.62),
            (b"+123.6", 123.6),
            (b"4.", 4.0),
            (b"-3.", -3.0),
            (b"-.002", -0.002),
            (b"+.5", 0.5),
            (b".5", 0.5),
            (b"0.0", 0.0),
        ] {
            assert_eq!(parse(src).unwrap(), Object::Real(v), "{src:?}");
        }
        for src in [
            &b"1.2.3"[..],
            b"--1",
            b"+-1",
            b"12abc",
            b"-",
            b".",
            b"+",
            b"1e5",
            b"4-",
        ] {
            assert_eq!(kind(src), SyntaxErrorKind::BadNumber, "{src:?}");
        }
        assert_eq!(
            kind(b"9223372036854775808"),
            SyntaxErrorKind::NumberOutOfRange
        );
        let huge = format!("{}.0", "9".repeat(400));
        assert_eq!(kind(huge.as_bytes()), SyntaxErrorKind::NumberOutOfRange);
        // The end position is just after the token.
        assert_eq!(
            parse_object(b" 12/A", 0, &Limits::default()).unwrap(),
            (Object::Integer(12), 3)
        );
    }

    #[test]
    fn references() {
        let r = |num, gen| Object::Ref(ObjRef { num, gen });
        assert_eq!(parse(b"12 0 R").unwrap(), r(12, 0));
        assert_eq!(parse(b"12\n3 %c\n R").unwrap(), r(12, 3));
        assert_eq!(
            parse_object(b"12 0 R]", 0, &Limits::default()).unwrap().1,
            6
        );
        assert_eq!(
            parse(b"[1 0 R 2 3 4 0 R]").unwrap(),
            Object::Array(vec![
                r(1, 0),
                Object::Integer(2),
                Object::Integer(3),
                r(4, 0)
            ])
        );
        assert_eq!(
            parse(b"[1 2]").unwrap(),
            Object::Array(vec![Object::Integer(1), Object::Integer(2)])
        );
        // Not references: an object header, a signed or real number, `R` glued to a word.
        assert_eq!(
            parse_object(b"1 0 obj", 0, &Limits::default()).unwrap(),
            (Object::Integer(1), 1)
        );
        assert_eq!(parse(b"-1 0 R").unwrap(), Object::Integer(-1));
        assert_eq!(parse(b"1 0.0 R").unwrap(), Object::Integer(1));
        assert_eq!(parse(b"1 0 RG").unwrap(), Object::Integer(1));
        assert_eq!(parse(b"4294967295 65535 R").unwrap(), r(u32::MAX, u16::MAX));
        assert_eq!(kind(b"4294967296 0 R"), SyntaxErrorKind::NumberOutOfRange);
        assert_eq!(kind(b"1 65536 R"), SyntaxErrorKind::NumberOutOfRange);
        assert_eq!(ObjRef::new(3, 1).to_string(), "3 1 R");
    }

    #[test]
    fn names() {
        assert_eq!(parse(b"/Name1").unwrap(), name("Name1"));
        assert_eq!(
            parse(b"/A;Name_With-Various***Characters?").unwrap(),
            name("A;Name_With-Various***Characters?")
        );
        assert_eq!(parse(b"/1.2").unwrap(), name("1.2"));
        assert_eq!(parse(b"/").unwrap(), name(""));
        assert_eq!(parse(b"/lime#20Green").unwrap(), name("lime Green"));
        assert_eq!(
            parse(b"/paired#28#29parentheses").unwrap(),
            name("paired()parentheses")
        );
        assert_eq!(
            parse(b"/The_Key_of_F#23_Minor").unwrap(),
            name("The_Key_of_F#_Minor")
        );
        assert_eq!(parse(b"/A#42").unwrap(), name("AB"));
        assert_eq!(parse(b"/text#2fxml").unwrap(), name("text/xml"));
        assert_eq!(parse(b"/Ab/Cd").unwrap(), name("Ab"));
        for src in [&b"/A#4"[..], b"/A#zz", b"/A#", b"/A#4 "] {
            assert_eq!(kind(src), SyntaxErrorKind::BadName, "{src:?}");
        }
    }

    #[test]
    fn literal_strings() {
        assert_eq!(string(b"(This is a string)"), b"This is a string");
        assert_eq!(string(b"()"), b"");
        assert_eq!(
            string(b"(Strings may contain balanced parentheses ( ) and special characters (*!&}^% and so on).)"),
            &b"Strings may contain balanced parentheses ( ) and special characters (*!&}^% and so on)."[..]
        );
        assert_eq!(string(b"(a(b(c))d)"), b"a(b(c))d");
        assert_eq!(string(br"(\n\r\t\b\f\(\)\\)"), b"\n\r\t\x08\x0c()\\");
        assert_eq!(string(br"(unbalanced \( ok)"), b"unbalanced ( ok");
        // Octal: one to three digits, high-order overflow ignored.
        assert_eq!(string(br"(\101\1018\0053\7\777)"), b"AA8\x053\x07\xff");
        assert_eq!(string(br"(\53x)"), b"+x");
        // Line continuation after a backslash, with LF, CR, or CR LF.
        assert_eq!(string(b"(ab\\\ncd)"), b"abcd");
        assert_eq!(string(b"(ab\\\rcd)"), b"abcd");
        assert_eq!(string(b"(ab\\\r\ncd)"), b"abcd");
        // An unescaped end of line reads as one LF.
        assert_eq!(string(b"(a\r\nb)"), b"a\nb");
        assert_eq!(string(b"(a\rb)"), b"a\nb");
        assert_eq!(string(b"(a\nb)"), b"a\nb");
        assert_eq!(string(b"(a\n\rb)"), b"a\n\nb");
        // An unknown escape keeps the character.
        assert_eq!(string(br"(\q\%)"), b"q%");
        // Binary bytes pass through.
        assert_eq!(string(b"(\x00\xff)"), b"\x00\xff");
        for src in [&b"(abc"[..], b"(a(b)", b"(abc\\", b"(abc\\)"] {
            assert_eq!(kind(src), SyntaxErrorKind::UnterminatedString, "{src:?}");
        }
        let Object::String(s) = parse_object(b"  (a(b)c) ", 0, &Limits::default())
            .unwrap()
            .0
        else {
            panic!("string")
        };
        assert_eq!((s.span, s.hex), (2..9, false));
    }

    #[test]
    fn hex_strings() {
        assert_eq!(
            string(b"<4E6F762073686D6F7A206B6120706F702E>"),
            b"Nov shmoz ka pop."
        );
        assert_eq!(string(b"<48 65\n6c\t6C\r\n6F\x0c\x00>"), b"Hello");
        assert_eq!(string(b"<901FA3>"), b"\x90\x1f\xa3");
        assert_eq!(string(b"<901FA>"), b"\x90\x1f\xa0");
        assert_eq!(string(b"<>"), b"");
        assert_eq!(string(b"< >"), b"");
        assert_eq!(kind(b"<4G>"), SyntaxErrorKind::BadHexString);
        assert_eq!(kind(b"<41(>"), SyntaxErrorKind::BadHexString);
        assert_eq!(kind(b"<41"), SyntaxErrorKind::UnterminatedString);
        let Object::String(s) = parse(b"<00ff>").unwrap() else {
            panic!("string")
        };
        assert_eq!((s.span, s.hex), (0..6, true));
    }

    #[test]
    fn regular_table_matches_the_classes() {
        for b in 0..=255u8 {
            assert_eq!(
                is_regular(b),
                !is_whitespace(b) && !is_delimiter(b),
                "{b:#04x}"
            );
        }
    }

    /// The eight-digit decoder agrees with the table for every byte value at every place.
    #[test]
    fn hex8_agrees_with_the_table() {
        let filler = b"0aF93cE7";
        for place in 0..8 {
            for b in 0..=255u8 {
                let mut w = *filler;
                w[place] = b;
                let table: Option<Vec<u8>> = w
                    .chunks(2)
                    .map(|p| {
                        let (h, l) = (HEX[usize::from(p[0])], HEX[usize::from(p[1])]);
                        (h < 16 && l < 16).then_some((h << 4) | l)
                    })
                    .collect();
                let got = hex8(u64::from_le_bytes(w)).map(|v| v.to_le_bytes().to_vec());
                assert_eq!(got, table, "byte {b:#04x} at {place}");
            }
        }
    }

    /// The block decoder of long hex strings agrees with a digit-by-digit reading, wherever a
    /// space, an odd digit, a bad character or the end falls relative to its 8-digit groups.
    #[test]
    fn long_hex_strings_agree_with_a_simple_reading() {
        fn simple(body: &[u8]) -> Result<Vec<u8>, ()> {
            let digits: Vec<u8> = body
                .iter()
                .filter(|b| !is_whitespace(**b))
                .map(|&b| match HEX[usize::from(b)] {
                    v @ 0..16 => Ok(v),
                    _ => Err(()),
                })
                .collect::<Result<_, _>>()?;
            Ok(digits
                .chunks(2)
                .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
                .collect())
        }
        let digits = b"0123456789abcdefABCDEF";
        let mut bodies: Vec<Vec<u8>> = [0usize, 1, 31, 32, 33, 63, 64, 65, 95, 96, 200]
            .iter()
            .map(|&len| (0..len).map(|i| digits[(i * 7) % digits.len()]).collect())
            .collect();
        // Zero padding: runs of '0' before, between and after other digits.
        for (lead, zeros, tail) in [(4, 64, 0), (0, 40, 3), (9, 17, 8), (16, 8, 16), (0, 0, 0)] {
            let mut b: Vec<u8> = (0..lead).map(|i| digits[(i * 5 + 1) % 21]).collect();
            b.extend(std::iter::repeat_n(b'0', zeros));
            b.extend((0..tail).map(|i| digits[(i * 3 + 2) % 21]));
            b.extend(std::iter::repeat_n(b'0', zeros / 2));
            bodies.push(b);
        }
        for body in bodies {
            for at in [
                None,
                Some(0),
                Some(5),
                Some(31),
                Some(32),
                Some(40),
                Some(64),
            ] {
                for insert in [b' ', b'\n', b'G', b'(', b'\x80'] {
                    let mut b = body.clone();
                    if let Some(at) = at {
                        if at > b.len() {
                            continue;
                        }
                        b.insert(at, insert);
                    }
                    let mut src = vec![b'<'];
                    src.extend_from_slice(&b);
                    src.push(b'>');
                    let got = match parse(&src) {
                        Ok(Object::String(s)) => {
                            assert_eq!((s.span.clone(), s.hex), (0..src.len(), true));
                            Ok(s.bytes)
                        }
                        Ok(other) => panic!("not a string: {other:?}"),
                        Err(e) => {
                            assert_eq!(e.kind, SyntaxErrorKind::BadHexString, "{src:?}");
                            Err(())
                        }
                    };
                    assert_eq!(got, simple(&b), "{:?}", String::from_utf8_lossy(&src));
                }
            }
        }
    }

    #[test]
    fn arrays_and_dictionaries() {
        let o =
            parse(b"<</Type/Example/Sub<</Item1 0.4/Item2 true>>/Arr[1(x)/N null<ab>]/Ref 3 0 R>>")
                .unwrap();
        let d = o.as_dict().unwrap();
        assert_eq!(d.get_name(b"Type"), Some(&b"Example"[..]));
        assert_eq!(
            d.get_dict(b"Sub").unwrap().get(b"Item1"),
            Some(&Object::Real(0.4))
        );
        assert_eq!(
            d.get_dict(b"Sub").unwrap().get(b"Item2").unwrap().as_bool(),
            Some(true)
        );
        let arr = d.get_array(b"Arr").unwrap();
        assert_eq!(arr.len(), 5);
        assert_eq!(arr[1].as_string().unwrap().bytes, b"x");
        assert!(arr[3].is_null());
        assert_eq!(d.get_ref(b"Ref"), Some(ObjRef::new(3, 0)));
        assert_eq!(d.get_int(b"Type"), None);
        assert_eq!(d.get(b"Missing"), None);
        assert_eq!(d.span, 0..o.as_dict().unwrap().span.end);
        assert_eq!(
            parse(b"<<>>").unwrap(),
            Object::Dict(Dict {
                entries: vec![],
                span: 0..4
            })
        );
        assert_eq!(parse(b"[]").unwrap(), Object::Array(vec![]));
        assert_eq!(
            parse(b"[[]]").unwrap(),
            Object::Array(vec![Object::Array(vec![])])
        );
        // Spans are positions in the source.
        let src = b"xx <</K <</L 1>> >>";
        let (o, end) = parse_object(src, 2, &Limits::default()).unwrap();
        assert_eq!(end, src.len());
        let d = o.as_dict().unwrap();
        assert_eq!(d.span, 3..src.len());
        assert_eq!(d.get_dict(b"K").unwrap().span, 8..16);
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let o = parse(b"<</A 1 /B 2 /A 3 /C 4 /B 5 /A 6>>").unwrap();
        let d = o.as_dict().unwrap();
        assert_eq!(d.entries.len(), 6);
        assert_eq!(d.get_int(b"A"), Some(6));
        assert_eq!(d.get_int(b"B"), Some(5));
        assert_eq!(d.count(b"A"), 3);
        assert_eq!(d.count(b"C"), 1);
        assert_eq!(d.count(b"Z"), 0);
        assert_eq!(d.duplicate_keys(), vec![b"A".to_vec(), b"B".to_vec()]);
        assert!(parse(b"<</A 1>>")
            .unwrap()
            .as_dict()
            .unwrap()
            .duplicate_keys()
            .is_empty());
    }

    #[test]
    fn malformed_containers() {
        assert_eq!(kind(b"<</A>>"), SyntaxErrorKind::MissingValue);
        assert_eq!(kind(b"<</A 1 /B>>"), SyntaxErrorKind::MissingValue);
        assert_eq!(kind(b"<<1 2>>"), SyntaxErrorKind::KeyNotName);
        assert_eq!(kind(b"<<(A) 2>>"), SyntaxErrorKind::KeyNotName);
        assert_eq!(kind(b"<</A 1"), SyntaxErrorKind::UnexpectedEof);
        assert_eq!(kind(b"<</A 1 >"), SyntaxErrorKind::KeyNotName);
        assert_eq!(kind(b"[1 2"), SyntaxErrorKind::UnexpectedEof);
        assert_eq!(
            kind(b"[1 endobj]"),
            SyntaxErrorKind::UnexpectedKeyword {
                keyword: "endobj".into()
            }
        );
        assert_eq!(
            kind(b"[1 )]"),
            SyntaxErrorKind::UnexpectedByte { byte: b')' }
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let limits = Limits::default();
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse(ok.as_bytes()).is_ok());
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert_eq!(kind(deep.as_bytes()), SyntaxErrorKind::TooDeep { max: 64 });
        let dicts = "<</A ".repeat(100);
        assert_eq!(kind(dicts.as_bytes()), SyntaxErrorKind::TooDeep { max: 64 });
        // No stack overflow, whatever the input.
        let hostile = "[<</A ".repeat(200_000);
        assert!(matches!(
            parse_object(hostile.as_bytes(), 0, &limits)
                .unwrap_err()
                .kind,
            SyntaxErrorKind::TooDeep { .. }
        ));
        let shallow = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        assert!(parse_object(b"[[1]]", 0, &shallow).is_ok());
        assert!(parse_object(b"[[[1]]]", 0, &shallow).is_err());
    }

    #[test]
    fn indirect_objects() {
        let limits = Limits::default();
        let src = b"\n 12 3 obj\n<</A 1>>\nendobj\n";
        let o = parse_indirect(src, 0, &limits).unwrap();
        assert_eq!(o.id, ObjRef::new(12, 3));
        assert_eq!(o.span, 2..src.len() - 1);
        assert_eq!(o.object.as_dict().unwrap().get_int(b"A"), Some(1));
        let o = parse_indirect(b"1 0 obj(x)endobj", 0, &limits).unwrap();
        assert_eq!(o.object.as_string().unwrap().bytes, b"x");
        assert_eq!(
            parse_indirect(b"1 0 obj 5 0 R endobj", 0, &limits)
                .unwrap()
                .object,
            Object::Ref(ObjRef::new(5, 0))
        );
        for (src, want) in [
            (&b"1 obj 2 endobj"[..], SyntaxErrorKind::BadObjectHeader),
            (b"x 1 0 obj 2 endobj", SyntaxErrorKind::BadObjectHeader),
            (b"1 0 objx 2 endobj", SyntaxErrorKind::BadObjectHeader),
            (b"-1 0 obj 2 endobj", SyntaxErrorKind::BadObjectHeader),
            (b"1 0 obj 2 endob", SyntaxErrorKind::MissingEndobj),
            (b"1 0 obj 2", SyntaxErrorKind::MissingEndobj),
            (b"1 0 obj 2 3 endobj", SyntaxErrorKind::MissingEndobj),
            (
                b"4294967296 0 obj 2 endobj",
                SyntaxErrorKind::NumberOutOfRange,
            ),
            (
                b"1 0 obj [1] stream\nabc\nendstream endobj",
                SyntaxErrorKind::BadStreamKeyword,
            ),
        ] {
            assert_eq!(
                parse_indirect(src, 0, &limits).unwrap_err().kind,
                want,
                "{src:?}"
            );
        }
    }

    #[test]
    fn streams() {
        let limits = Limits::default();
        for (src, data) in [
            (
                &b"1 0 obj<</Length 3>>stream\nabc\nendstream\nendobj"[..],
                &b"abc"[..],
            ),
            (
                b"1 0 obj<</Length 3>>stream\r\nabc\r\nendstream endobj",
                b"abc",
            ),
            (b"1 0 obj<</Length 3>> stream\rabcendstream\nendobj", b"abc"),
            (b"1 0 obj<</Length 0>>stream\n\nendstream\nendobj", b""),
            (
                b"1 0 obj<</Length 4>>stream\nab\nc\nendstream\nendobj",
                b"ab\nc",
            ),
        ] {
            let o = parse_indirect(src, 0, &limits).unwrap();
            let s = o.object.as_stream().unwrap();
            assert_eq!(&src[s.data.clone()], data, "{src:?}");
            assert_eq!(o.span.end, src.len());
            assert_eq!(
                o.object.dict().unwrap().get_int(b"Length"),
                Some(i64::try_from(data.len()).unwrap())
            );
        }
        for (src, want) in [
            // /Length disagrees with endstream: never corrected.
            (
                &b"1 0 obj<</Length 2>>stream\nabc\nendstream\nendobj"[..],
                SyntaxErrorKind::StreamLengthMismatch,
            ),
            (
                b"1 0 obj<</Length 5>>stream\nabc\nendstream\nendobj",
                SyntaxErrorKind::StreamLengthMismatch,
            ),
            (
                b"1 0 obj<</Length 500>>stream\nabc\nendstream\nendobj",
                SyntaxErrorKind::BadStreamLength,
            ),
            (
                b"1 0 obj<</Length -1>>stream\nabc\nendstream\nendobj",
                SyntaxErrorKind::BadStreamLength,
            ),
            (
                b"1 0 obj<</Length 1.5>>stream\nabc\nendstream\nendobj",
                SyntaxErrorKind::BadStreamLength,
            ),
            (
                b"1 0 obj<<>>stream\nabc\nendstream\nendobj",
                SyntaxErrorKind::BadStreamLength,
            ),
            (
                b"1 0 obj<</Length 3>>stream abc\nendstream\nendobj",
                SyntaxErrorKind::BadStreamKeyword,
            ),
            (
                b"1 0 obj<</Length 3>>stream\nabc\nendstream\n",
                SyntaxErrorKind::MissingEndobj,
            ),
            (
                b"1 0 obj<</Length 3>>stream\nabc",
                SyntaxErrorKind::StreamLengthMismatch,
            ),
            (
                b"1 0 obj<</Length 9 0 R>>stream\nabc\nendstream\nendobj",
                SyntaxErrorKind::IndirectLength {
                    length: ObjRef::new(9, 0),
                },
            ),
        ] {
            assert_eq!(
                parse_indirect(src, 0, &limits).unwrap_err().kind,
                want,
                "{src:?}"
            );
        }
        // An indirect /Length through the callback.
        let src = b"1 0 obj<</Length 9 0 R>>stream\nabc\nendstream\nendobj";
        let mut asked = Vec::new();
        let o = parse_indirect_with(src, 0, &limits, &mut |r| {
            asked.push(r);
            Ok(3)
        })
        .unwrap();
        assert_eq!(asked, vec![ObjRef::new(9, 0)]);
        assert_eq!(&src[o.object.as_stream().unwrap().data.clone()], b"abc");
        let e = parse_indirect_with(src, 0, &limits, &mut |_| Ok(2)).unwrap_err();
        assert_eq!(e.kind, SyntaxErrorKind::StreamLengthMismatch);
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// A stream object over `data` in `file`, with a dictionary parsed from `dict`.
    fn stream(dict: &str, data_len: usize) -> Stream {
        let d = parse(dict.as_bytes()).unwrap().as_dict().unwrap().clone();
        Stream {
            dict: d,
            data: 0..data_len,
        }
    }

    /// PNG-predicts rows of `row` bytes with the given filter type.
    fn png_encode(data: &[u8], row: usize, bpp: usize, filter: u8) -> Vec<u8> {
        let mut out = Vec::new();
        let mut prev = vec![0u8; row];
        for line in data.chunks(row) {
            out.push(filter);
            for i in 0..row {
                let left = if i >= bpp { line[i - bpp] } else { 0 };
                let up = prev[i];
                let ul = if i >= bpp { prev[i - bpp] } else { 0 };
                let pred = match filter {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                    _ => paeth(left, up, ul),
                };
                out.push(line[i].wrapping_sub(pred));
            }
            prev = line.to_vec();
        }
        out
    }

    #[test]
    fn decoding() {
        let budget = Budget::default();
        let raw = b"plain data";
        assert_eq!(
            decode_stream(raw, &stream("<</Length 10>>", 10), &budget).unwrap(),
            raw
        );
        assert_eq!(budget.used(Resource::DecompressedBytes), 10);

        let text = b"Hello, compressed world! Hello, compressed world!".repeat(20);
        let z = zlib(&text);
        for dict in [
            "<</Filter/FlateDecode>>",
            "<</Filter[/FlateDecode]>>",
            "<</Filter/FlateDecode/DecodeParms null>>",
            "<</Filter[/FlateDecode]/DecodeParms[<</Predictor 1>>]>>",
        ] {
            assert_eq!(
                decode_stream(&z, &stream(dict, z.len()), &budget).unwrap(),
                text,
                "{dict}"
            );
        }
        let zz = zlib(&z);
        assert_eq!(
            decode_stream(
                &zz,
                &stream("<</Filter[/FlateDecode/FlateDecode]>>", zz.len()),
                &budget
            )
            .unwrap(),
            text
        );

        // PNG predictors: rows of 7 bytes (an xref stream with /W [1 4 2]).
        let rows: Vec<u8> = (0u8..7 * 9).map(|i| i.wrapping_mul(37) ^ 0x5a).collect();
        for filter in 0..=4 {
            let z = zlib(&png_encode(&rows, 7, 1, filter));
            let dict = "<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 7>>>>";
            assert_eq!(
                decode_stream(&z, &stream(dict, z.len()), &budget).unwrap(),
                rows,
                "filter {filter}"
            );
        }
        // Three colours of 8 bits: 3 bytes per pixel.
        let z = zlib(&png_encode(&rows, 21, 3, 4));
        let dict = "<</Filter/FlateDecode/DecodeParms<</Predictor 15/Colors 3/Columns 7/BitsPerComponent 8>>>>";
        assert_eq!(
            decode_stream(&z, &stream(dict, z.len()), &budget).unwrap(),
            rows
        );
        // Mixed filters per row.
        let mut mixed = Vec::new();
        for (i, line) in rows.chunks(7).enumerate() {
            let prev_all = if i == 0 {
                Vec::new()
            } else {
                rows[..i * 7].to_vec()
            };
            let mut both = prev_all[prev_all.len().saturating_sub(7)..].to_vec();
            both.extend_from_slice(line);
            let enc = png_encode(&both, 7, 1, u8::try_from(i % 5).unwrap());
            mixed.extend_from_slice(&enc[enc.len() - 8..]);
        }
        let z = zlib(&mixed);
        let dict = "<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 7>>>>";
        assert_eq!(
            decode_stream(&z, &stream(dict, z.len()), &budget).unwrap(),
            rows
        );

        let err = |data: &[u8], dict: &str| {
            decode_stream(data, &stream(dict, data.len()), &budget)
                .unwrap_err()
                .kind
        };
        let z = zlib(&png_encode(&rows, 7, 1, 2));
        assert!(matches!(
            err(
                &z,
                "<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 6>>>>"
            ),
            SyntaxErrorKind::CorruptData { .. }
        ));
        assert_eq!(
            err(
                &z,
                "<</Filter/FlateDecode/DecodeParms<</Predictor 2/Columns 7>>>>"
            ),
            SyntaxErrorKind::UnsupportedPredictor { predictor: 2 }
        );
        assert_eq!(
            err(
                &z,
                "<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 0>>>>"
            ),
            SyntaxErrorKind::BadDecodeParms
        );
        assert_eq!(
            err(
                &z,
                "<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns(7)>>>>"
            ),
            SyntaxErrorKind::BadDecodeParms
        );
        assert_eq!(
            err(&z, "<</Filter/FlateDecode/DecodeParms[]>>"),
            SyntaxErrorKind::BadDecodeParms
        );
        let bad_tag = zlib(&[7, 1, 2, 3]);
        assert!(matches!(
            err(
                &bad_tag,
                "<</Filter/FlateDecode/DecodeParms<</Predictor 12/Columns 3>>>>"
            ),
            SyntaxErrorKind::CorruptData { .. }
        ));
        assert_eq!(
            err(&z, "<</Filter/DCTDecode>>"),
            SyntaxErrorKind::UnsupportedFilter {
                filter: "DCTDecode".into()
            }
        );
        assert_eq!(
            err(&z, "<</Filter[/FlateDecode/LZWDecode]>>"),
            SyntaxErrorKind::UnsupportedFilter {
                filter: "LZWDecode".into()
            }
        );
        assert_eq!(err(&z, "<</Filter 3>>"), SyntaxErrorKind::BadDecodeParms);
        assert!(matches!(
            err(&z, "<</F(external.dat)>>"),
            SyntaxErrorKind::UnsupportedFilter { .. }
        ));
        assert!(matches!(
            err(b"not deflate at all", "<</Filter/FlateDecode>>"),
            SyntaxErrorKind::CorruptData { .. }
        ));
        let mut corrupt = zlib(&text);
        let n = corrupt.len();
        corrupt[n - 6] ^= 0xff;
        assert!(decode_stream(&corrupt, &stream("<</Filter/FlateDecode>>", n), &budget).is_err());
        let out_of_file = Stream {
            dict: Dict::default(),
            data: 5..50,
        };
        assert_eq!(
            decode_stream(b"short", &out_of_file, &budget)
                .unwrap_err()
                .kind,
            SyntaxErrorKind::BadStreamLength
        );
    }

    #[test]
    fn decoding_is_bounded() {
        let big = vec![b'a'; 100_000];
        let z = zlib(&big);
        // The per-stream limit.
        let mut budget = Budget::for_file(0);
        budget.limits.max_decompressed = 50_000;
        let e =
            decode_stream(&z, &stream("<</Filter/FlateDecode>>", z.len()), &budget).unwrap_err();
        assert_eq!(
            e.kind,
            SyntaxErrorKind::BudgetExceeded {
                what: Resource::DecompressedBytes
            }
        );
        // The shared total.
        let mut budget = Budget::for_file(0);
        budget.max_decompressed = 250_000;
        for _ in 0..2 {
            decode_stream(&z, &stream("<</Filter/FlateDecode>>", z.len()), &budget).unwrap();
        }
        assert_eq!(budget.used(Resource::DecompressedBytes), 200_000);
        assert_eq!(budget.remaining(Resource::DecompressedBytes), 50_000);
        let e =
            decode_stream(&z, &stream("<</Filter/FlateDecode>>", z.len()), &budget).unwrap_err();
        assert_eq!(
            e.kind,
            SyntaxErrorKind::BudgetExceeded {
                what: Resource::DecompressedBytes
            }
        );
        let e = decode_stream(&big, &stream("<<>>", big.len()), &budget).unwrap_err();
        assert_eq!(
            e.kind,
            SyntaxErrorKind::BudgetExceeded {
                what: Resource::DecompressedBytes
            }
        );
        assert_eq!(
            budget.charge(Resource::Objects, usize::MAX),
            Err(Resource::Objects)
        );
        assert_eq!(
            Budget::for_file(100).max_decompressed,
            300 + 16 * 1024 * 1024
        );
    }

    #[test]
    fn equivalence_ignores_spans() {
        let file = b"<</A (x) /B [1 2.5 /N] /C 3 0 R>>  <</A <78> /B [1 2.5 /N] /C 3 0 R>>";
        let (a, end) = parse_object(file, 0, &Limits::default()).unwrap();
        let (b, _) = parse_object(file, end, &Limits::default()).unwrap();
        assert_ne!(a, b);
        assert!(a.equivalent(&b, file));
        assert!(!a.equivalent(&Object::Null, file));
        // Numbers compare by value: writers print 523.0 as 523 (pyHanko does).
        assert!(Object::Integer(1).equivalent(&Object::Real(1.0), file));
        assert!(Object::Real(523.0).equivalent(&Object::Integer(523), file));
        assert!(!Object::Integer(1).equivalent(&Object::Real(1.5), file));
        let s = |data| {
            Object::Stream(Stream {
                dict: Dict::default(),
                data,
            })
        };
        let file = b"abcabcabd";
        assert!(s(0..3).equivalent(&s(3..6), file));
        assert!(!s(0..3).equivalent(&s(6..9), file));
        assert!(!s(0..3).equivalent(&s(6..90), file));
    }

    #[test]
    fn messages() {
        let e = SyntaxError::new(12, SyntaxErrorKind::StreamLengthMismatch);
        assert_eq!(
            e.to_string(),
            "stream /Length does not end at endstream (at byte 12)"
        );
        assert!(e.message_vi().contains("endstream"));
        assert!(e.message_vi().contains("tại byte 12"));
        let e = SyntaxError::new(
            0,
            SyntaxErrorKind::BudgetExceeded {
                what: Resource::DecompressedBytes,
            },
        );
        assert_eq!(
            e.to_string(),
            "budget exceeded: decompressed bytes (at byte 0)"
        );
        assert!(e.message_vi().contains("giải nén"));
    }

    #[test]
    fn no_panic_on_any_prefix() {
        let src: &[u8] = b"1 0 obj <</A [1 2.5 (s\\)t(r)) <4142> /N#41 true null 3 0 R] /Length 3>> stream\r\nabc\nendstream endobj";
        let limits = Limits::default();
        for end in 0..=src.len() {
            let _ = parse_indirect(&src[..end], 0, &limits);
            for start in 0..end {
                let _ = parse_object(&src[..end], start, &limits);
            }
        }
        assert!(parse_indirect(src, 0, &limits).is_ok());
        let _ = parse_object(src, src.len() + 10, &limits);
        let _ = parse_indirect(src, src.len() + 10, &limits);
    }
}
