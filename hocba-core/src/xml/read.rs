//! The XML reader: quick-xml events → [`Record`], strict about structure, lenient about values.

use std::borrow::Cow;

use super::lex::{self, Lexer, Tok};
use super::names;
use crate::error::{InputFormat, ParseError, ParseErrorKind as K, Position, Result};
use crate::model::*;

/// Default limit on the size of one input: 16 MiB.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// Options of the readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Inputs larger than this many bytes are refused before parsing.
    pub max_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Reads a record from XML with the default options.
///
/// ```
/// let xml = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
/// let record = hocba_core::xml::from_slice(&xml).unwrap();
/// assert_eq!(record.pupil.unwrap().full_name.unwrap(), "Trần Gia Bảo");
///
/// let err = hocba_core::xml::from_slice(b"<HocBa phienBan=\"1\"/>").unwrap_err();
/// assert!(err.message().contains("urn:hocba:tieu-hoc:1"));
/// ```
pub fn from_slice(input: &[u8]) -> Result<Record> {
    from_slice_with(input, &ReadOptions::default())
}

/// Reads a record from XML.
pub fn from_slice_with(input: &[u8], options: &ReadOptions) -> Result<Record> {
    let fail = |kind, offset: Option<usize>| ParseError {
        format: InputFormat::Xml,
        kind,
        position: offset.map(|o| Position::at(input, o)),
    };
    if input.len() > options.max_bytes {
        return Err(fail(
            K::TooLarge {
                limit: options.max_bytes,
            },
            Some(options.max_bytes),
        )
        .into());
    }
    let bom = if input.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let text = match simdutf8::basic::from_utf8(&input[bom..]) {
        Ok(t) => t,
        Err(_) => {
            // The fast check says only "invalid"; the standard one says where.
            let at = std::str::from_utf8(&input[bom..]).map_or_else(|e| e.valid_up_to(), |_| 0);
            return Err(fail(K::InvalidUtf8, Some(bom + at)).into());
        }
    };
    let mut c = Cursor::new(input, text, bom);
    c.read_document()
}

/// What [`Cursor::next_child`] found: a child element of format v1 (its name from the list).
struct Child {
    name: &'static str,
}

/// One step of the reader: a token with its namespace resolved and its end tag matched.
enum Ev<'i> {
    Start {
        qname: &'i str,
        local: &'i str,
        ours: bool,
    },
    End,
    /// Character data, raw; `refs`: it has an `&` (references to decode).
    Text(&'i str, bool),
    /// White space only, before markup (between elements, or an element's blank content).
    Space(&'i str),
    CData(&'i str),
    Comment,
    Decl(&'i str),
    DocType,
    Eof,
}

struct Cursor<'i> {
    input: &'i [u8],
    lex: Lexer<'i>,
    /// Offset of the input's text within `input` (the BOM's length).
    base: usize,
    /// Offset where the last event started.
    event_start: usize,
    /// Scratch buffer for text content.
    buf: String,
    /// Open elements: qualified name and the namespace scope depth when opened.
    open: Vec<(&'i str, usize)>,
    /// Namespace bindings in scope: prefix (`""` for the default), URI, and whether the URI is
    /// format v1's (compared once, when bound).
    ns: Vec<(&'i str, Cow<'i, str>, bool)>,
    /// The attributes (other than namespace declarations) of the last start tag.
    attrs: Vec<(&'i str, Cow<'i, str>)>,
    /// An empty element (`<a/>`) owes its end.
    pending_end: bool,
    /// Index of the last member found in its parent's list (a search hint).
    hint: usize,
}

impl<'i> Cursor<'i> {
    fn new(input: &'i [u8], text: &'i str, base: usize) -> Self {
        Cursor {
            input,
            lex: Lexer::new(text),
            base,
            event_start: 0,
            buf: String::new(),
            open: Vec::with_capacity(8),
            ns: Vec::with_capacity(4),
            attrs: Vec::new(),
            pending_end: false,
            hint: 0,
        }
    }

    fn err(&self, kind: K) -> crate::Error {
        self.err_at(kind, self.event_start)
    }

    fn err_at(&self, kind: K, offset: usize) -> crate::Error {
        ParseError {
            format: InputFormat::Xml,
            kind,
            position: Some(Position::at(self.input, self.base + offset)),
        }
        .into()
    }

    fn pos(&self) -> usize {
        self.lex.pos()
    }

    /// The next event, with end tags matched and namespaces resolved.
    fn event(&mut self) -> Result<Ev<'i>> {
        if self.pending_end {
            self.pending_end = false;
            if let Some((_, scope)) = self.open.pop() {
                self.ns.truncate(scope);
            }
            return Ok(Ev::End);
        }
        self.event_start = self.lex.pos();
        if let Some(&(open, scope)) = self.open.last() {
            if self.lex.end_tag_of(open) {
                self.open.pop();
                self.ns.truncate(scope);
                return Ok(Ev::End);
            }
        }
        let tok = self.lex.next().map_err(|(k, at)| self.err_at(k, at))?;
        Ok(match tok {
            Tok::Start { name, attrs, empty } => {
                let scope = self.ns.len();
                let attr_base = self.event_start + 1 + name.len();
                self.attrs.clear();
                if !attrs.is_empty() {
                    let parsed =
                        lex::attributes(attrs).map_err(|(k, at)| self.err_at(k, attr_base + at))?;
                    for (k, v) in parsed {
                        if k == "xmlns" {
                            let ours = v == names::NAMESPACE;
                            self.ns.push(("", v, ours));
                        } else if let Some(prefix) = k.strip_prefix("xmlns:") {
                            let ours = v == names::NAMESPACE;
                            self.ns.push((prefix, v, ours));
                        } else {
                            self.attrs.push((k, v));
                        }
                    }
                }
                let (prefix, local) = match name.bytes().position(|b| b == b':') {
                    Some(i) => (&name[..i], &name[i + 1..]),
                    None => ("", name),
                };
                let ours = self
                    .ns
                    .iter()
                    .rev()
                    .find(|(p, _, _)| lex::same(p.as_bytes(), prefix.as_bytes()))
                    .is_some_and(|(_, _, ours)| *ours);
                self.open.push((name, scope));
                self.pending_end = empty;
                Ev::Start {
                    qname: name,
                    local,
                    ours,
                }
            }
            Tok::End(name) => match self.open.pop() {
                Some((open, scope)) if open == name => {
                    self.ns.truncate(scope);
                    Ev::End
                }
                Some((open, _)) => {
                    return Err(self.err(K::Syntax(format!("expected </{open}>, found </{name}>"))))
                }
                None => return Err(self.err(K::Syntax(format!("unexpected end tag </{name}>")))),
            },
            Tok::Text { raw, refs } => Ev::Text(raw, refs),
            Tok::Space(t) => Ev::Space(t),
            Tok::CData(t) => Ev::CData(t),
            Tok::Comment | Tok::Pi => Ev::Comment,
            Tok::Decl(d) => Ev::Decl(d),
            Tok::DocType => Ev::DocType,
            Tok::Eof => {
                if self.open.is_empty() {
                    Ev::Eof
                } else {
                    return Err(self.err(K::UnexpectedEof));
                }
            }
        })
    }

    /// The namespace URI bound to the prefix of `qname`, for messages.
    fn namespace_of(&self, qname: &str) -> Option<String> {
        let prefix = qname.split_once(':').map_or("", |(p, _)| p);
        self.ns
            .iter()
            .rev()
            .find(|(p, _, _)| *p == prefix)
            .map(|(_, u, _)| u.to_string())
            .filter(|u| !u.is_empty())
    }

    fn read_document(&mut self) -> Result<Record> {
        let mut first = true;
        loop {
            let ev = self.event()?;
            match ev {
                Ev::Decl(d) => {
                    if !first {
                        return Err(
                            self.err(K::Syntax("the XML declaration must come first".into()))
                        );
                    }
                    self.check_declaration(d)?;
                }
                Ev::Comment => {}
                Ev::Space(_) => {}
                Ev::Text(t, _) if is_blank(t) => {}
                Ev::DocType => return Err(self.err(K::DoctypeNotAllowed)),
                Ev::Start { qname, local, ours } => {
                    let record = self.read_root(qname, local, ours)?;
                    self.read_epilog()?;
                    return Ok(record);
                }
                Ev::Eof => return Err(self.err(K::UnexpectedEof)),
                Ev::Text(t, _) if t.trim_start().starts_with('&') => {
                    let name = t.trim_start()[1..]
                        .split(';')
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    return Err(self.err(K::EntityNotAllowed { name }));
                }
                _ => {
                    return Err(self.err(K::WrongRoot {
                        found: "text".into(),
                    }))
                }
            }
            first = false;
        }
    }

    fn check_declaration(&self, d: &str) -> Result<()> {
        let attrs =
            lex::attributes(d).map_err(|(k, at)| self.err_at(k, self.event_start + 5 + at))?;
        for (k, v) in attrs {
            match k {
                "version" if v != "1.0" => {
                    return Err(self.err(K::Syntax(format!(
                        "XML version {v} is not supported; records are XML 1.0"
                    ))))
                }
                "encoding"
                    if !v.eq_ignore_ascii_case("utf-8") && !v.eq_ignore_ascii_case("utf8") =>
                {
                    return Err(self.err(K::UnsupportedEncoding {
                        encoding: v.into_owned(),
                    }))
                }
                "version" | "encoding" | "standalone" => {}
                other => {
                    return Err(self.err(K::Syntax(format!(
                        "unknown pseudo-attribute '{other}' in the XML declaration"
                    ))))
                }
            }
        }
        Ok(())
    }

    fn read_epilog(&mut self) -> Result<()> {
        loop {
            match self.event()? {
                Ev::Eof => return Ok(()),
                Ev::Comment => {}
                Ev::Space(_) => {}
                Ev::Text(t, _) if is_blank(t) => {}
                Ev::DocType => return Err(self.err(K::DoctypeNotAllowed)),
                _ => return Err(self.err(K::TrailingContent)),
            }
        }
    }

    fn read_root(&mut self, qname: &str, local: &str, ours: bool) -> Result<Record> {
        if local != names::ROOT {
            return Err(self.err(K::WrongRoot {
                found: format!("<{qname}>"),
            }));
        }
        if !ours {
            return Err(self.err(K::WrongNamespace {
                found: self.namespace_of(qname),
            }));
        }
        let mut version = None;
        for (k, v) in &self.attrs {
            if *k == "phienBan" {
                version = Some(v.trim().to_owned());
            } else {
                return Err(self.err(K::UnexpectedAttribute {
                    name: (*k).to_owned(),
                    element: names::ROOT.into(),
                }));
            }
        }
        match version.as_deref() {
            None => return Err(self.err(K::MissingVersion)),
            Some("1") => {}
            Some(v) => return Err(self.err(K::UnsupportedVersion { found: v.into() })),
        }
        self.read_record()
    }

    /// The next child element of `parent`, or `None` at its end tag.
    fn next_child(
        &mut self,
        parent: &str,
        allowed: &'static [&'static str],
    ) -> Result<Option<Child>> {
        loop {
            // Indentation would be a `Space` event, which is ignored here: skip it unseen.
            if !self.pending_end {
                self.lex.skip_indent();
                if let Some(child) = self.next_child_fast(allowed) {
                    return Ok(child);
                }
            }
            match self.event()? {
                Ev::Start { qname, local, ours } => {
                    // Canonical documents list members in order: try the one after the last
                    // match first.
                    let hint = self.hint.min(allowed.len());
                    let index = (hint..allowed.len())
                        .chain(0..hint)
                        .find(|&k| lex::same(allowed[k].as_bytes(), local.as_bytes()));
                    if let Some(k) = index {
                        self.hint = k;
                    }
                    let known = index.map(|k| allowed[k]);
                    if !ours && known.is_some() {
                        return Err(self.err(K::ForeignElement {
                            name: qname.to_owned(),
                            namespace: self.namespace_of(qname),
                        }));
                    }
                    let Some(name) = known.filter(|_| ours) else {
                        return Err(self.err(K::UnknownElement {
                            name: qname.to_owned(),
                            parent: parent.into(),
                            expected: allowed.to_vec(),
                        }));
                    };
                    if let Some((k, _)) = self.attrs.first() {
                        return Err(self.err(K::UnexpectedAttribute {
                            name: (*k).to_owned(),
                            element: name.into(),
                        }));
                    }
                    return Ok(Some(Child { name }));
                }
                Ev::End => return Ok(None),
                Ev::Space(_) => {}
                Ev::Text(t, _) if is_blank(t) => {}
                Ev::CData(t) if is_blank(t) => {}
                Ev::Comment => {}
                Ev::Eof => return Err(self.err(K::UnexpectedEof)),
                Ev::DocType => return Err(self.err(K::DoctypeNotAllowed)),
                Ev::Text(t, _) if t.trim_start().starts_with('&') => {
                    // An entity where only elements may stand: say which entity.
                    let at = self.event_start + (t.len() - t.trim_start().len());
                    lex::decode(t.trim()).map_err(|(k, off)| self.err_at(k, at + off))?;
                    return Err(self.err(K::UnexpectedText {
                        element: parent.into(),
                    }));
                }
                _ => {
                    return Err(self.err(K::UnexpectedText {
                        element: parent.into(),
                    }))
                }
            }
        }
    }

    /// [`Cursor::next_child`] for the common markup, without an event: the parent's end tag
    /// (`Some(None)`), or a start tag without attributes or prefix for a member of `allowed`
    /// in format v1's default namespace (`Some(Some(child))`). The state afterwards (open
    /// elements, scopes, attributes, `event_start`, the search hint) is what the events would
    /// leave. `None`, with nothing moved, for anything else.
    fn next_child_fast(&mut self, allowed: &'static [&'static str]) -> Option<Option<Child>> {
        let at = self.lex.pos();
        let &(open, scope) = self.open.last()?;
        if self.lex.end_tag_of(open) {
            self.event_start = at;
            self.open.pop();
            self.ns.truncate(scope);
            return Some(None);
        }
        // A name without prefix is in the innermost default namespace.
        let ours = self
            .ns
            .iter()
            .rev()
            .find(|(p, _, _)| p.is_empty())
            .is_some_and(|(_, _, ours)| *ours);
        if !ours {
            return None;
        }
        let (k, empty) = self.lex.start_tag_of(allowed, self.hint)?;
        let name = allowed[k];
        self.event_start = at;
        self.attrs.clear();
        self.open.push((name, self.ns.len()));
        self.pending_end = empty;
        self.hint = k;
        Some(Some(Child { name }))
    }

    /// The text content of the element just opened, up to its end tag (normalised, NFC);
    /// borrowed from the input when it is one plain text token (the common case), so that codes,
    /// numbers and booleans cost no allocation.
    fn raw_text(&mut self, element: &str) -> Result<Cow<'i, str>> {
        // The common leaf, `<a>plain text</a>`: the text and the end tag at once, with the same
        // result (and the same `event_start`, the end tag's, for a later duplicate error) as the
        // events below.
        if !self.pending_end {
            if let Some(&(open, scope)) = self.open.last() {
                if let Some((text, end_at)) = self.lex.plain_text_then_end(open) {
                    self.open.pop();
                    self.ns.truncate(scope);
                    self.event_start = end_at;
                    return Ok(Cow::Borrowed(text));
                }
            }
        }
        let start = self.pos();
        // Most fields are one text token: keep it borrowed and copy once at the end.
        let mut single: Option<Cow<'i, str>> = None;
        let mut many = false;
        loop {
            let piece: Cow<'i, str> = match self.event()? {
                Ev::Text(t, false) | Ev::Space(t) => Cow::Borrowed(t),
                Ev::Text(t, true) => {
                    let at = self.event_start;
                    match lex::decode(t) {
                        Ok(s) => s,
                        Err((K::IllegalCharacter { character, .. }, off)) => {
                            return Err(self.err_at(
                                K::IllegalCharacter {
                                    element: element.into(),
                                    character,
                                },
                                at + off,
                            ))
                        }
                        Err((k, off)) => return Err(self.err_at(k, at + off)),
                    }
                }
                Ev::CData(t) => Cow::Borrowed(t),
                Ev::Comment => continue,
                Ev::End => break,
                Ev::Start { qname, .. } => {
                    return Err(self.err(K::ElementInText {
                        element: element.into(),
                        child: qname.to_owned(),
                    }))
                }
                Ev::Eof => return Err(self.err(K::UnexpectedEof)),
                Ev::DocType => return Err(self.err(K::DoctypeNotAllowed)),
                Ev::Decl(_) => return Err(self.err(K::Syntax("misplaced XML declaration".into()))),
            };
            match (&single, many) {
                (None, false) => single = Some(piece),
                (Some(first), false) => {
                    self.buf.clear();
                    self.buf.push_str(first);
                    self.buf.push_str(&piece);
                    many = true;
                }
                _ => self.buf.push_str(&piece),
            }
        }
        let normalized = if many {
            normalize_text(&self.buf).map(|t| Cow::Owned(t.into_owned()))
        } else {
            match single {
                None => Ok(Cow::Borrowed("")),
                Some(Cow::Borrowed(t)) => normalize_text(t),
                Some(Cow::Owned(t)) => match normalize_text(&t) {
                    Ok(Cow::Borrowed(_)) => Ok(Cow::Owned(t)),
                    other => other.map(|n| Cow::Owned(n.into_owned())),
                },
            }
        };
        match normalized {
            Ok(t) => Ok(t),
            Err(TextError::IllegalChar(character)) => Err(self.err_at(
                K::IllegalCharacter {
                    element: element.into(),
                    character,
                },
                start,
            )),
        }
    }

    fn text(&mut self, element: &str) -> Result<Text> {
        let s = self.raw_text(element)?;
        Ok(Text::from_normalized(s.into_owned()))
    }

    /// Base64 content (the photo): canonical base64 is taken in one pass and marked as such,
    /// so that the photo rule does not scan it again; anything else (white space, a comment,
    /// a character outside the alphabet) is read as any text and checked fully by the rule.
    fn base64_text(&mut self, element: &str) -> Result<Text> {
        if !self.pending_end {
            if let Some(t) = self.lex.base64_text() {
                // The lexer stopped at `</`: the element's end tag (or a mismatched one).
                return match self.event()? {
                    Ev::End => Ok(Text::from_base64(t)),
                    _ => Err(self.err(K::Syntax("expected an end tag".into()))),
                };
            }
        }
        self.text(element)
    }

    fn code<T: for<'a> From<&'a str>>(&mut self, element: &str) -> Result<T> {
        let s = self.raw_text(element)?;
        Ok(T::from(&s))
    }

    /// A number; an empty element is read as absent (the rules report a missing value).
    fn number(&mut self, element: &str) -> Result<Option<Number>> {
        let start = self.event_start;
        let s = self.raw_text(element)?;
        if is_blank(&s) {
            return Ok(None);
        }
        match Number::parse_decimal(&s) {
            Some(n) => Ok(Some(n)),
            None => Err(self.err_at(
                K::InvalidNumber {
                    element: element.into(),
                    value: s.into_owned(),
                },
                start,
            )),
        }
    }

    /// A boolean (`true`/`false`, or XML Schema's `1`/`0`); an empty element is read as absent.
    fn boolean(&mut self, element: &str) -> Result<Option<bool>> {
        let start = self.event_start;
        let s = self.raw_text(element)?;
        match s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
            "" => Ok(None),
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            _ => Err(self.err_at(
                K::InvalidBoolean {
                    element: element.into(),
                    value: s.into_owned(),
                },
                start,
            )),
        }
    }

    /// Stores a value read from an element that may be empty (empty: nothing stored).
    fn set_opt<T>(
        &self,
        slot: &mut Option<T>,
        value: Option<T>,
        name: &str,
        parent: &str,
    ) -> Result<()> {
        match value {
            Some(v) => set(slot, v, || self.duplicate(name, parent)),
            None => Ok(()),
        }
    }

    fn duplicate(&self, name: &str, parent: &str) -> crate::Error {
        self.err(K::DuplicateElement {
            name: name.into(),
            parent: parent.into(),
        })
    }

    fn read_record(&mut self) -> Result<Record> {
        let mut r = Record::default();
        let p = names::ROOT;
        while let Some(ch) = self.next_child(p, names::HOC_BA)? {
            match ch.name {
                "maDinhDanhHocBa" => set(&mut r.record_id, self.text("maDinhDanhHocBa")?, || {
                    self.duplicate("maDinhDanhHocBa", p)
                })?,
                "hocSinh" => {
                    let v = self.read_pupil()?;
                    set(&mut r.pupil, v, || self.duplicate("hocSinh", p))?
                }
                "truong" => {
                    let v = self.read_school()?;
                    set(&mut r.school, v, || self.duplicate("truong", p))?
                }
                "quaTrinhHocTap" => push(&mut r.history, self.read_history()?, 5),
                "namHoc" => push(&mut r.years, self.read_year()?, 5),
                _ => r.audit.push(self.read_audit()?),
            }
        }
        Ok(r)
    }

    fn read_pupil(&mut self) -> Result<Pupil> {
        let mut v = Pupil::default();
        let p = "hocSinh";
        while let Some(ch) = self.next_child(p, names::HOC_SINH)? {
            let n = ch.name;
            let dup = |c: &Self| c.duplicate(n, p);
            match n {
                "hoVaTen" => {
                    let x = self.text(n)?;
                    set(&mut v.full_name, x, || dup(self))?
                }
                "gioiTinh" => {
                    let x = self.code(n)?;
                    set(&mut v.sex, x, || dup(self))?
                }
                "ngaySinh" => {
                    let x = Date(self.text(n)?);
                    set(&mut v.date_of_birth, x, || dup(self))?
                }
                "danToc" => {
                    let x = self.text(n)?;
                    set(&mut v.ethnicity, x, || dup(self))?
                }
                "quocTich" => {
                    let x = self.text(n)?;
                    set(&mut v.nationality, x, || dup(self))?
                }
                "noiSinh" => {
                    let x = self.text(n)?;
                    set(&mut v.place_of_birth, x, || dup(self))?
                }
                "queQuan" => {
                    let x = self.text(n)?;
                    set(&mut v.hometown, x, || dup(self))?
                }
                "noiOHienNay" => {
                    let x = self.text(n)?;
                    set(&mut v.current_address, x, || dup(self))?
                }
                "hoTenCha" => {
                    let x = self.text(n)?;
                    set(&mut v.father_name, x, || dup(self))?
                }
                "hoTenMe" => {
                    let x = self.text(n)?;
                    set(&mut v.mother_name, x, || dup(self))?
                }
                "nguoiGiamHo" => {
                    let x = self.text(n)?;
                    set(&mut v.guardian_name, x, || dup(self))?
                }
                "soDinhDanh" => {
                    let x = self.text(n)?;
                    set(&mut v.personal_id, x, || dup(self))?
                }
                "maHocSinh" => {
                    let x = self.text(n)?;
                    set(&mut v.student_code, x, || dup(self))?
                }
                _ => {
                    let x = self.read_photo()?;
                    set(&mut v.photo, x, || dup(self))?
                }
            }
        }
        Ok(v)
    }

    fn read_photo(&mut self) -> Result<Photo> {
        let mut v = Photo::default();
        let p = "anh";
        while let Some(ch) = self.next_child(p, names::ANH)? {
            let n = ch.name;
            match n {
                "dinhDang" => {
                    let x = self.code(n)?;
                    set(&mut v.format, x, || self.duplicate(n, p))?
                }
                _ => {
                    let x = self.base64_text(n)?;
                    set(&mut v.data, x, || self.duplicate(n, p))?
                }
            }
        }
        Ok(v)
    }

    fn read_school(&mut self) -> Result<School> {
        let mut v = School::default();
        let p = "truong";
        while let Some(ch) = self.next_child(p, names::TRUONG)? {
            let n = ch.name;
            let dup = |c: &Self| c.duplicate(n, p);
            match n {
                "maTruong" => {
                    let x = self.text(n)?;
                    set(&mut v.code, x, || dup(self))?
                }
                "tenTruong" => {
                    let x = self.text(n)?;
                    set(&mut v.name, x, || dup(self))?
                }
                "xaPhuong" => {
                    let x = self.text(n)?;
                    set(&mut v.commune, x, || dup(self))?
                }
                "tinhThanh" => {
                    let x = self.text(n)?;
                    set(&mut v.province, x, || dup(self))?
                }
                "quanHuyen" => {
                    let x = self.text(n)?;
                    set(&mut v.district, x, || dup(self))?
                }
                _ => {
                    let x = self.code(n)?;
                    set(&mut v.kind, x, || dup(self))?
                }
            }
        }
        Ok(v)
    }

    fn read_history(&mut self) -> Result<HistoryRow> {
        let mut v = HistoryRow::default();
        let p = "quaTrinhHocTap";
        while let Some(ch) = self.next_child(p, names::QUA_TRINH)? {
            let n = ch.name;
            let dup = |c: &Self| c.duplicate(n, p);
            match n {
                "namHoc" => {
                    let x = SchoolYearLabel(self.text(n)?);
                    set(&mut v.school_year, x, || dup(self))?
                }
                "lop" => {
                    let x = self.text(n)?;
                    set(&mut v.class_name, x, || dup(self))?
                }
                "tenTruong" => {
                    let x = self.text(n)?;
                    set(&mut v.school_name, x, || dup(self))?
                }
                "soDangBo" => {
                    let x = self.text(n)?;
                    set(&mut v.registration_number, x, || dup(self))?
                }
                _ => {
                    let x = Date(self.text(n)?);
                    set(&mut v.enrolment_date, x, || dup(self))?
                }
            }
        }
        Ok(v)
    }

    fn read_year(&mut self) -> Result<SchoolYear> {
        let mut v = SchoolYear::default();
        let p = "namHoc";
        let mut exempt_seen = false;
        while let Some(ch) = self.next_child(p, names::NAM_HOC)? {
            let n = ch.name;
            let dup = |c: &Self| c.duplicate(n, p);
            match n {
                "namHoc" => {
                    let x = SchoolYearLabel(self.text(n)?);
                    set(&mut v.school_year, x, || dup(self))?
                }
                "khoi" => {
                    let x = self.number(n)?;
                    self.set_opt(&mut v.grade, x, n, p)?
                }
                "lop" => {
                    let x = self.text(n)?;
                    set(&mut v.class_name, x, || dup(self))?
                }
                "giaoVienChuNhiem" => {
                    let x = self.text(n)?;
                    set(&mut v.homeroom_teacher, x, || dup(self))?
                }
                "hieuTruong" => {
                    let x = self.text(n)?;
                    set(&mut v.principal, x, || dup(self))?
                }
                "chucVuNguoiKy" => {
                    let x = self.code(n)?;
                    set(&mut v.signer_title, x, || dup(self))?
                }
                "khongDanhGia" => {
                    if std::mem::replace(&mut exempt_seen, true) {
                        return Err(dup(self));
                    }
                    v.exempt = self.boolean(n)?.unwrap_or(false);
                }
                "monHoc" => push(&mut v.subjects, self.read_subject(n)?, 14),
                "phamChat" => push(&mut v.qualities, self.read_quality(n)?, 5),
                "nangLuc" => push(&mut v.competencies, self.read_competency(n)?, 10),
                "ketQua" => {
                    let x = self.code(n)?;
                    set(&mut v.result, x, || dup(self))?
                }
                "danhGiaBoSung" => {
                    let x = self.read_supplementary()?;
                    set(&mut v.supplementary, x, || dup(self))?
                }
                "khenThuong" => v.commendations.push(self.read_commendation()?),
                "hoanThanhChuongTrinhLop" => {
                    let x = self.boolean(n)?;
                    self.set_opt(&mut v.completed_grade, x, n, p)?
                }
                "lenLop" => {
                    let x = self.boolean(n)?;
                    self.set_opt(&mut v.promoted, x, n, p)?
                }
                "hoanThanhChuongTrinhTieuHoc" => {
                    let x = self.boolean(n)?;
                    self.set_opt(&mut v.completed_primary, x, n, p)?
                }
                "dinhKy" => push(&mut v.periods, self.read_period()?, 4),
                "diaDanh" => {
                    let x = self.text(n)?;
                    set(&mut v.place_name, x, || dup(self))?
                }
                _ => {
                    let x = Date(self.text(n)?);
                    set(&mut v.confirmation_date, x, || dup(self))?
                }
            }
        }
        Ok(v)
    }

    fn read_subject(&mut self, p: &str) -> Result<SubjectResult> {
        let mut v = SubjectResult::default();
        while let Some(ch) = self.next_child(p, names::MON_HOC)? {
            let n = ch.name;
            let dup = |c: &Self| c.duplicate(n, p);
            match n {
                "ma" => {
                    let x = self.code(n)?;
                    set(&mut v.code, x, || dup(self))?
                }
                "tenNgonNgu" => {
                    let x = self.text(n)?;
                    set(&mut v.language_name, x, || dup(self))?
                }
                "mucDat" => {
                    let x = self.code(n)?;
                    set(&mut v.level, x, || dup(self))?
                }
                "diem" => {
                    let x = self.number(n)?;
                    self.set_opt(&mut v.score, x, n, p)?
                }
                _ => {
                    let x = self.text(n)?;
                    set(&mut v.comment, x, || dup(self))?
                }
            }
        }
        Ok(v)
    }

    fn read_item<C: for<'a> From<&'a str>>(
        &mut self,
        p: &str,
    ) -> Result<(Option<C>, Option<ItemLevel>, Option<Text>)> {
        let (mut code, mut level, mut comment) = (None, None, None);
        while let Some(ch) = self.next_child(p, names::MUC_DANH_GIA)? {
            let n = ch.name;
            let dup = |c: &Self| c.duplicate(n, p);
            match n {
                "ma" => {
                    let x = self.code(n)?;
                    set(&mut code, x, || dup(self))?
                }
                "mucDat" => {
                    let x = self.code(n)?;
                    set(&mut level, x, || dup(self))?
                }
                _ => {
                    let x = self.text(n)?;
                    set(&mut comment, x, || dup(self))?
                }
            }
        }
        Ok((code, level, comment))
    }

    fn read_quality(&mut self, p: &str) -> Result<QualityAssessment> {
        let (code, level, comment) = self.read_item(p)?;
        Ok(QualityAssessment {
            code,
            level,
            comment,
        })
    }

    fn read_competency(&mut self, p: &str) -> Result<CompetencyAssessment> {
        let (code, level, comment) = self.read_item(p)?;
        Ok(CompetencyAssessment {
            code,
            level,
            comment,
        })
    }

    fn read_commendation(&mut self) -> Result<Commendation> {
        let mut v = Commendation::default();
        let p = "khenThuong";
        while let Some(ch) = self.next_child(p, names::KHEN_THUONG)? {
            let n = ch.name;
            match n {
                "loai" => {
                    let x = self.code(n)?;
                    set(&mut v.kind, x, || self.duplicate(n, p))?
                }
                _ => {
                    let x = self.text(n)?;
                    set(&mut v.content, x, || self.duplicate(n, p))?
                }
            }
        }
        Ok(v)
    }

    fn read_supplementary(&mut self) -> Result<SupplementaryAssessment> {
        let mut v = SupplementaryAssessment::default();
        let p = "danhGiaBoSung";
        while let Some(ch) = self.next_child(p, names::DANH_GIA_BO_SUNG)? {
            let n = ch.name;
            match n {
                "ngay" => {
                    let x = Date(self.text(n)?);
                    set(&mut v.date, x, || self.duplicate(n, p))?
                }
                _ => v.subjects.push(self.read_subject(n)?),
            }
        }
        Ok(v)
    }

    fn read_period(&mut self) -> Result<PeriodResult> {
        let mut v = PeriodResult::default();
        let p = "dinhKy";
        while let Some(ch) = self.next_child(p, names::DINH_KY)? {
            let n = ch.name;
            match n {
                "ky" => {
                    let x = self.code(n)?;
                    set(&mut v.period, x, || self.duplicate(n, p))?
                }
                "monHoc" => push(&mut v.subjects, self.read_subject(n)?, 8),
                "phamChat" => push(&mut v.qualities, self.read_quality(n)?, 5),
                _ => push(&mut v.competencies, self.read_competency(n)?, 10),
            }
        }
        Ok(v)
    }

    fn read_audit(&mut self) -> Result<AuditEntry> {
        let mut v = AuditEntry::default();
        let p = "nhatKy";
        while let Some(ch) = self.next_child(p, names::NHAT_KY)? {
            let n = ch.name;
            let dup = |c: &Self| c.duplicate(n, p);
            match n {
                "thoiDiem" => {
                    let x = Timestamp(self.text(n)?);
                    set(&mut v.timestamp, x, || dup(self))?
                }
                "nguoiThucHien" => {
                    let x = self.text(n)?;
                    set(&mut v.actor, x, || dup(self))?
                }
                "vaiTro" => {
                    let x = self.code(n)?;
                    set(&mut v.role, x, || dup(self))?
                }
                "hanhDong" => {
                    let x = self.code(n)?;
                    set(&mut v.action, x, || dup(self))?
                }
                "duongDan" => {
                    let x = self.text(n)?;
                    set(&mut v.path, x, || dup(self))?
                }
                "giaTriCu" => {
                    let x = self.text(n)?;
                    set(&mut v.old_value, x, || dup(self))?
                }
                "giaTriMoi" => {
                    let x = self.text(n)?;
                    set(&mut v.new_value, x, || dup(self))?
                }
                "bienBan" => {
                    let x = self.text(n)?;
                    set(&mut v.authorization, x, || dup(self))?
                }
                _ => {
                    let x = self.text(n)?;
                    set(&mut v.hash, x, || dup(self))?
                }
            }
        }
        Ok(v)
    }
}

/// Appends to a list of the model, sized at its first item for the usual count (a year's 11–14
/// subjects, 5 qualities, 10 competencies) instead of growing from 4 to 8 to 16 with copies.
fn push<T>(list: &mut Vec<T>, item: T, usual: usize) {
    if list.capacity() == 0 {
        list.reserve_exact(usual);
    }
    list.push(item);
}

/// Stores a single-valued field; a second value is an error.
fn set<T>(slot: &mut Option<T>, value: T, dup: impl FnOnce() -> crate::Error) -> Result<()> {
    if slot.is_some() {
        return Err(dup());
    }
    *slot = Some(value);
    Ok(())
}

fn is_blank(t: &str) -> bool {
    t.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}
