//! The XML reader: quick-xml events → [`Record`], strict about structure, lenient about values.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

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
    let text = match std::str::from_utf8(&input[bom..]) {
        Ok(t) => t,
        Err(e) => return Err(fail(K::InvalidUtf8, Some(bom + e.valid_up_to())).into()),
    };
    let mut c = Cursor::new(input, text, bom);
    c.read_document()
}

/// What [`Cursor::next_child`] found: a child element of format v1 (its name from the list).
struct Child {
    name: &'static str,
}

struct Cursor<'i> {
    input: &'i [u8],
    r: NsReader<&'i [u8]>,
    /// Offset of the input's text within `input` (the BOM's length).
    base: usize,
    /// Offset where the last event started.
    event_start: usize,
    /// Scratch buffer for text content.
    buf: String,
}

impl<'i> Cursor<'i> {
    fn new(input: &'i [u8], text: &'i str, base: usize) -> Self {
        let mut r = NsReader::from_reader(text.as_bytes());
        let cfg = r.config_mut();
        cfg.expand_empty_elements = true;
        cfg.check_end_names = true;
        cfg.check_comments = true;
        cfg.trim_text(false);
        Cursor {
            input,
            r,
            base,
            event_start: 0,
            buf: String::new(),
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
        usize::try_from(self.r.buffer_position()).unwrap_or(usize::MAX)
    }

    /// The next event, with quick-xml's errors turned into ours.
    fn event(&mut self) -> Result<(bool, Event<'i>)> {
        self.event_start = self.pos();
        match self.r.read_resolved_event() {
            Ok((ns, ev)) => {
                let ours = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == names::NAMESPACE);
                Ok((ours, ev))
            }
            Err(e) => {
                let at = usize::try_from(self.r.error_position()).unwrap_or(self.event_start);
                let kind = match &e {
                    quick_xml::Error::Syntax(_) if self.pos() >= self.input.len() - self.base => {
                        K::UnexpectedEof
                    }
                    _ => K::Syntax(e.to_string()),
                };
                Err(self.err_at(kind, at))
            }
        }
    }

    fn read_document(&mut self) -> Result<Record> {
        // Prolog: declaration, comments, processing instructions, white space.
        loop {
            let (ours, ev) = self.event()?;
            match ev {
                Event::Decl(d) => {
                    if let Some(Ok(enc)) = d.encoding() {
                        if !enc.eq_ignore_ascii_case("utf-8") && !enc.eq_ignore_ascii_case("utf8") {
                            return Err(self.err(K::UnsupportedEncoding {
                                encoding: enc.into_owned(),
                            }));
                        }
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                Event::DocType(_) => return Err(self.err(K::DoctypeNotAllowed)),
                Event::Start(s) => {
                    let record = self.read_root(ours, &s)?;
                    self.read_epilog()?;
                    return Ok(record);
                }
                Event::Eof => return Err(self.err(K::UnexpectedEof)),
                Event::GeneralRef(r) => {
                    return Err(self.err(K::EntityNotAllowed {
                        name: r.to_string(),
                    }))
                }
                _ => {
                    return Err(self.err(K::WrongRoot {
                        found: "text".into(),
                    }))
                }
            }
        }
    }

    fn read_epilog(&mut self) -> Result<()> {
        loop {
            let (_, ev) = self.event()?;
            match ev {
                Event::Eof => return Ok(()),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if is_blank(&t) => {}
                Event::DocType(_) => return Err(self.err(K::DoctypeNotAllowed)),
                _ => return Err(self.err(K::TrailingContent)),
            }
        }
    }

    fn read_root(&mut self, ours: bool, start: &BytesStart<'_>) -> Result<Record> {
        let local = start.local_name().as_ref().to_owned();
        if local != names::ROOT {
            return Err(self.err(K::WrongRoot {
                found: format!("<{local}>"),
            }));
        }
        if !ours {
            let found = match self.r.resolver().resolve_element(start.name()).0 {
                ResolveResult::Bound(n) => Some(n.as_ref().to_owned()),
                _ => None,
            };
            return Err(self.err(K::WrongNamespace { found }));
        }
        let mut version = None;
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.err(K::Syntax(e.to_string())))?;
            let key = attr.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            if key == "phienBan" {
                version = Some(attr.value.trim().to_owned());
            } else {
                return Err(self.err(K::UnexpectedAttribute {
                    name: key.to_owned(),
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
            let (ours, ev) = self.event()?;
            match ev {
                Event::Start(s) => {
                    let local = s.local_name();
                    let known = allowed.iter().copied().find(|a| *a == local.as_ref());
                    if !ours && known.is_some() {
                        let namespace = match self.r.resolver().resolve_element(s.name()).0 {
                            ResolveResult::Bound(n) => Some(n.as_ref().to_owned()),
                            _ => None,
                        };
                        return Err(self.err(K::ForeignElement {
                            name: s.name().as_ref().to_owned(),
                            namespace,
                        }));
                    }
                    let Some(name) = known.filter(|_| ours) else {
                        let shown = s.name().as_ref().to_owned();
                        return Err(self.err(K::UnknownElement {
                            name: shown,
                            parent: parent.into(),
                            expected: allowed.to_vec(),
                        }));
                    };
                    self.check_no_attributes(&s, name)?;
                    return Ok(Some(Child { name }));
                }
                Event::End(_) => return Ok(None),
                Event::Text(t) if is_blank(&t) => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::CData(c) if c.trim().is_empty() => {}
                Event::Eof => return Err(self.err(K::UnexpectedEof)),
                Event::DocType(_) => return Err(self.err(K::DoctypeNotAllowed)),
                Event::GeneralRef(r) if !is_known_ref(&r) => {
                    return Err(self.err(K::EntityNotAllowed {
                        name: r.to_string(),
                    }))
                }
                _ => {
                    return Err(self.err(K::UnexpectedText {
                        element: parent.into(),
                    }))
                }
            }
        }
    }

    fn check_no_attributes(&self, s: &BytesStart<'_>, element: &str) -> Result<()> {
        for attr in s.attributes() {
            let attr = attr.map_err(|e| self.err(K::Syntax(e.to_string())))?;
            let key = attr.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            return Err(self.err(K::UnexpectedAttribute {
                name: key.to_owned(),
                element: element.into(),
            }));
        }
        Ok(())
    }

    /// The text content of the element just opened, up to its end tag (normalised, NFC).
    fn raw_text(&mut self, element: &str) -> Result<String> {
        self.buf.clear();
        let start = self.pos();
        loop {
            let (_, ev) = self.event()?;
            match ev {
                Event::Text(t) => self.buf.push_str(&t.xml10_content()),
                Event::CData(c) => self.buf.push_str(&c.xml10_content()),
                Event::GeneralRef(r) => {
                    let ch = match r.resolve_char_ref() {
                        Ok(Some(ch)) => ch,
                        Ok(None) => match &*r {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "quot" => '"',
                            "apos" => '\'',
                            other => {
                                return Err(self.err(K::EntityNotAllowed { name: other.into() }))
                            }
                        },
                        Err(e) => return Err(self.err(K::Syntax(e.to_string()))),
                    };
                    self.buf.push(ch);
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::End(_) => break,
                Event::Start(s) | Event::Empty(s) => {
                    return Err(self.err(K::ElementInText {
                        element: element.into(),
                        child: s.name().as_ref().to_owned(),
                    }))
                }
                Event::Eof => return Err(self.err(K::UnexpectedEof)),
                Event::DocType(_) => return Err(self.err(K::DoctypeNotAllowed)),
                Event::Decl(_) => {
                    return Err(self.err(K::Syntax("misplaced XML declaration".into())))
                }
            }
        }
        match normalize_text(&self.buf) {
            Ok(t) => Ok(t.into_owned()),
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
        Ok(Text::from_normalized(s))
    }

    fn code<T: for<'a> From<&'a str>>(&mut self, element: &str) -> Result<T> {
        let s = self.raw_text(element)?;
        Ok(T::from(s.as_str()))
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
                    value: s,
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
                    value: s,
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
                "quaTrinhHocTap" => r.history.push(self.read_history()?),
                "namHoc" => r.years.push(self.read_year()?),
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
                    // Base64 is read without NFC work: it is ASCII (anything else is kept and
                    // reported by the rules as photo_invalid).
                    let x = self.text(n)?;
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
                "monHoc" => v.subjects.push(self.read_subject(n)?),
                "phamChat" => v.qualities.push(self.read_quality(n)?),
                "nangLuc" => v.competencies.push(self.read_competency(n)?),
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
                "dinhKy" => v.periods.push(self.read_period()?),
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
                "monHoc" => v.subjects.push(self.read_subject(n)?),
                "phamChat" => v.qualities.push(self.read_quality(n)?),
                _ => v.competencies.push(self.read_competency(n)?),
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

fn is_known_ref(r: &str) -> bool {
    r.starts_with('#') || matches!(r, "lt" | "gt" | "amp" | "quot" | "apos")
}
