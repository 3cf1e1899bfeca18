//! Operational errors: the input cannot be read as a record at all, a document cannot be
//! rendered, or the record cannot be read back out of a document.
//!
//! A record that reads but breaks a rule is not an error: it is a finding of the rule engine.
//! Every error has an English and a Vietnamese message that names what is wrong, where, and what
//! to do; parse errors carry the line and column where they were found.

use std::fmt;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The format an input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// XML (`urn:hocba:tieu-hoc:1`).
    Xml,
    /// JSON.
    Json,
}

impl InputFormat {
    /// `"XML"` or `"JSON"`.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Xml => "XML",
            InputFormat::Json => "JSON",
        }
    }
}

/// Where in the input an error was found. Lines and columns count from 1; the column counts
/// Unicode characters; `offset` is the byte offset from the start of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// Line, from 1.
    pub line: u64,
    /// Column in characters, from 1.
    pub column: u64,
    /// Byte offset, from 0.
    pub offset: u64,
}

impl Position {
    /// The position of byte `offset` of `input` (clamped to its length).
    pub fn at(input: &[u8], offset: usize) -> Self {
        let offset = offset.min(input.len());
        let before = &input[..offset];
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        // Count characters, not bytes: continuation bytes of UTF-8 are not counted.
        let column = before[line_start..]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count() as u64
            + 1;
        Position {
            line,
            column,
            offset: offset as u64,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// What made an input unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The input is larger than the reader's limit.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// The content is neither XML nor JSON.
    UnknownFormat,
    /// The XML or JSON is not well-formed; the underlying parser's message.
    Syntax(String),
    /// The input ends before the record does.
    UnexpectedEof,
    /// A document type declaration (`<!DOCTYPE`): refused, as it can define entities.
    DoctypeNotAllowed,
    /// An entity reference other than the five predefined ones.
    EntityNotAllowed {
        /// The entity's name.
        name: String,
    },
    /// An encoding other than UTF-8 declared.
    UnsupportedEncoding {
        /// The declared encoding.
        encoding: String,
    },
    /// The root element is not `HocBa` (or the JSON root is not an object).
    WrongRoot {
        /// What was found.
        found: String,
    },
    /// The root element is not in namespace `urn:hocba:tieu-hoc:1`.
    WrongNamespace {
        /// The namespace found (`None`: no namespace).
        found: Option<String>,
    },
    /// `phienBan` is missing.
    MissingVersion,
    /// `phienBan` is not `1`.
    UnsupportedVersion {
        /// The value found.
        found: String,
    },
    /// An element (or JSON key) that format v1 does not define here.
    UnknownElement {
        /// The name found.
        name: String,
        /// The element that contains it.
        parent: String,
        /// The names allowed there.
        expected: Vec<&'static str>,
    },
    /// An element of format v1's name in another namespace (or in none).
    ForeignElement {
        /// The name found.
        name: String,
        /// Its namespace (`None`: no namespace).
        namespace: Option<String>,
    },
    /// A field that holds one value given twice.
    DuplicateElement {
        /// The field.
        name: String,
        /// The element that contains it.
        parent: String,
    },
    /// The JSON is well-formed but does not match format v1 (wrong type, unknown or duplicate
    /// key); the JSON parser's message.
    JsonShape(String),
    /// An attribute on an element that takes none (or an unknown one on the root).
    UnexpectedAttribute {
        /// The attribute's name.
        name: String,
        /// The element carrying it.
        element: String,
    },
    /// Text directly inside an element that only holds elements.
    UnexpectedText {
        /// The element.
        element: String,
    },
    /// An element inside a field that holds text.
    ElementInText {
        /// The field.
        element: String,
        /// The element found inside it.
        child: String,
    },
    /// Text where a number is required.
    InvalidNumber {
        /// The field.
        element: String,
        /// The text found.
        value: String,
    },
    /// Text where a boolean (`true`/`false`) is required.
    InvalidBoolean {
        /// The field.
        element: String,
        /// The text found.
        value: String,
    },
    /// A character XML 1.0 cannot carry.
    IllegalCharacter {
        /// The field.
        element: String,
        /// The character.
        character: char,
    },
    /// Elements nested deeper than the format allows.
    TooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// Content after the root element ends.
    TrailingContent,
}

/// An input that cannot be read as a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The format the input was read as.
    pub format: InputFormat,
    /// What is wrong.
    pub kind: ParseErrorKind,
    /// Where, when known.
    pub position: Option<Position>,
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("<{n}>"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ParseError {
    /// The English message (without the position).
    pub fn message_en(&self) -> String {
        use ParseErrorKind as K;
        let f = self.format.name();
        match &self.kind {
            K::TooLarge { limit } => format!(
                "the file is larger than {limit} bytes, the limit for one record; check that it is a single record (a photo should be at most 1 MiB)"
            ),
            K::InvalidUtf8 => "the file is not valid UTF-8 text; save it again as UTF-8".into(),
            K::UnknownFormat => "the file is neither XML nor JSON; give a record in format v1 (XML starting with '<', or JSON starting with '{')".into(),
            K::Syntax(m) => format!("the {f} is not well-formed ({m}); correct it or export the record again"),
            K::UnexpectedEof => format!("the {f} ends before the record is complete; the file may be truncated, export it again"),
            K::DoctypeNotAllowed => "a <!DOCTYPE> declaration is not allowed in a record; remove it".into(),
            K::EntityNotAllowed { name } => format!(
                "the entity reference &{name}; is not allowed; only &amp; &lt; &gt; &quot; &apos; and character references may be used"
            ),
            K::UnsupportedEncoding { encoding } => format!(
                "the declared encoding '{encoding}' is not supported; save the file as UTF-8"
            ),
            K::WrongRoot { found } => format!(
                "the root is '{found}', not a record; a record's root is <HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\"> (JSON: an object)"
            ),
            K::WrongNamespace { found } => format!(
                "<HocBa> is in namespace '{}' instead of 'urn:hocba:tieu-hoc:1'; add xmlns=\"urn:hocba:tieu-hoc:1\" to the root",
                found.as_deref().unwrap_or("(none)")
            ),
            K::MissingVersion => "the format version phienBan is missing; add phienBan=\"1\" (JSON: \"phienBan\": 1)".into(),
            K::UnsupportedVersion { found } => format!(
                "format version phienBan '{found}' is not supported; this library reads version 1"
            ),
            K::UnknownElement { name, parent, expected } => format!(
                "unknown element <{name}> in <{parent}>; expected one of {}",
                list(expected)
            ),
            K::ForeignElement { name, namespace } => format!(
                "<{name}> is in namespace '{}', not 'urn:hocba:tieu-hoc:1'; declare xmlns=\"urn:hocba:tieu-hoc:1\" on the root and do not redeclare it",
                namespace.as_deref().unwrap_or("(none)")
            ),
            K::DuplicateElement { name, parent } => format!(
                "<{name}> appears twice in <{parent}>, which holds one; keep only the right value"
            ),
            K::JsonShape(m) => format!("the JSON does not match record format v1: {m}"),
            K::UnexpectedAttribute { name, element } => format!(
                "the attribute '{name}' is not allowed on <{element}>; remove it"
            ),
            K::UnexpectedText { element } => format!(
                "text directly inside <{element}>, which holds only elements; move it into the right field"
            ),
            K::ElementInText { element, child } => format!(
                "<{child}> inside <{element}>, which holds text only; remove the element"
            ),
            K::InvalidNumber { element, value } => format!(
                "<{element}> must be a number, found '{value}'"
            ),
            K::InvalidBoolean { element, value } => format!(
                "<{element}> must be true or false, found '{value}'"
            ),
            K::IllegalCharacter { element, character } => format!(
                "<{element}> contains the character U+{:04X}, which a record cannot hold; remove it",
                *character as u32
            ),
            K::TooDeep { limit } => format!(
                "elements are nested deeper than {limit} levels; this is not a record"
            ),
            K::TrailingContent => "there is content after the end of the record; remove it".into(),
        }
    }

    /// The Vietnamese message (without the position).
    pub fn message_vi(&self) -> String {
        use ParseErrorKind as K;
        let f = self.format.name();
        match &self.kind {
            K::TooLarge { limit } => format!(
                "tệp lớn hơn {limit} byte, giới hạn cho một học bạ; kiểm tra tệp chỉ chứa một học bạ (ảnh tối đa 1 MiB)"
            ),
            K::InvalidUtf8 => "tệp không phải văn bản UTF-8 hợp lệ; hãy lưu lại tệp theo mã UTF-8".into(),
            K::UnknownFormat => "tệp không phải XML hay JSON; hãy cung cấp học bạ định dạng phiên bản 1 (XML bắt đầu bằng '<' hoặc JSON bắt đầu bằng '{')".into(),
            K::Syntax(m) => format!("{f} không đúng cú pháp ({m}); hãy sửa hoặc xuất lại học bạ"),
            K::UnexpectedEof => format!("{f} kết thúc trước khi học bạ đầy đủ; tệp có thể bị cắt cụt, hãy xuất lại"),
            K::DoctypeNotAllowed => "không được dùng khai báo <!DOCTYPE> trong học bạ; hãy xóa nó".into(),
            K::EntityNotAllowed { name } => format!(
                "không được dùng tham chiếu thực thể &{name}; chỉ dùng &amp; &lt; &gt; &quot; &apos; và tham chiếu ký tự"
            ),
            K::UnsupportedEncoding { encoding } => format!(
                "bảng mã khai báo '{encoding}' không được hỗ trợ; hãy lưu tệp theo UTF-8"
            ),
            K::WrongRoot { found } => format!(
                "phần tử gốc là '{found}', không phải học bạ; gốc của học bạ là <HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\"> (JSON: một đối tượng)"
            ),
            K::WrongNamespace { found } => format!(
                "<HocBa> thuộc không gian tên '{}' thay vì 'urn:hocba:tieu-hoc:1'; thêm xmlns=\"urn:hocba:tieu-hoc:1\" vào phần tử gốc",
                found.as_deref().unwrap_or("(không có)")
            ),
            K::MissingVersion => "thiếu phiên bản định dạng phienBan; thêm phienBan=\"1\" (JSON: \"phienBan\": 1)".into(),
            K::UnsupportedVersion { found } => format!(
                "phiên bản định dạng phienBan '{found}' không được hỗ trợ; thư viện này đọc phiên bản 1"
            ),
            K::UnknownElement { name, parent, expected } => format!(
                "phần tử <{name}> trong <{parent}> không có trong định dạng; phần tử hợp lệ: {}",
                list(expected)
            ),
            K::ForeignElement { name, namespace } => format!(
                "<{name}> thuộc không gian tên '{}', không phải 'urn:hocba:tieu-hoc:1'; khai báo xmlns=\"urn:hocba:tieu-hoc:1\" ở phần tử gốc và không khai báo lại",
                namespace.as_deref().unwrap_or("(không có)")
            ),
            K::DuplicateElement { name, parent } => format!(
                "<{name}> xuất hiện hai lần trong <{parent}> nhưng chỉ được có một; hãy giữ lại giá trị đúng"
            ),
            K::JsonShape(m) => format!("JSON không khớp với định dạng học bạ phiên bản 1: {m}"),
            K::UnexpectedAttribute { name, element } => format!(
                "không được dùng thuộc tính '{name}' trên <{element}>; hãy xóa nó"
            ),
            K::UnexpectedText { element } => format!(
                "có văn bản nằm trực tiếp trong <{element}>, phần tử chỉ chứa phần tử con; hãy chuyển vào đúng trường"
            ),
            K::ElementInText { element, child } => format!(
                "có <{child}> bên trong <{element}>, trường chỉ chứa văn bản; hãy xóa phần tử đó"
            ),
            K::InvalidNumber { element, value } => format!(
                "<{element}> phải là một số, nhưng có giá trị '{value}'"
            ),
            K::InvalidBoolean { element, value } => format!(
                "<{element}> phải là true hoặc false, nhưng có giá trị '{value}'"
            ),
            K::IllegalCharacter { element, character } => format!(
                "<{element}> chứa ký tự U+{:04X} mà học bạ không thể lưu; hãy xóa ký tự đó",
                *character as u32
            ),
            K::TooDeep { limit } => format!(
                "các phần tử lồng nhau sâu hơn {limit} cấp; đây không phải học bạ"
            ),
            K::TrailingContent => "có nội dung sau phần kết thúc của học bạ; hãy xóa phần đó".into(),
        }
    }
}

fn with_position(msg: String, pos: Option<Position>, vi: bool) -> String {
    match (pos, vi) {
        (Some(p), false) => format!("line {}, column {}: {msg}", p.line, p.column),
        (Some(p), true) => format!("dòng {}, cột {}: {msg}", p.line, p.column),
        (None, _) => msg,
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&with_position(self.message_en(), self.position, false))
    }
}

impl std::error::Error for ParseError {}

/// An operational error of this library.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input cannot be read as a record.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// A document could not be rendered.
    #[error("{0}")]
    Render(#[from] crate::pdf::RenderError),
    /// The record could not be read out of a document.
    #[error("{0}")]
    Extract(#[from] crate::pdf::ExtractError),
}

impl Error {
    /// The English message, with the position when there is one.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The Vietnamese message, with the position when there is one.
    pub fn message_vi(&self) -> String {
        match self {
            Error::Parse(p) => with_position(p.message_vi(), p.position, true),
            Error::Render(e) => e.message_vi(),
            Error::Extract(e) => e.message_vi(),
        }
    }

    /// Where in the input the error was found, when known.
    pub fn position(&self) -> Option<Position> {
        match self {
            Error::Parse(p) => p.position,
            Error::Render(_) | Error::Extract(_) => None,
        }
    }

    /// A stable identifier of the kind of error, for programs (`parse`, `render`, `extract`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::Parse(_) => "parse",
            Error::Render(_) => "render",
            Error::Extract(_) => "extract",
        }
    }
}
