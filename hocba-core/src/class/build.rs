//! Each pupil's record from the class's four period tables, the pupil list and the class
//! information: the school year (`NamHoc`) with its end-of-year results taken from the `CN`
//! table, the four periods (`dinhKy`), the derived result (Article 9), completion, promotion
//! and the `XUAT_SAC` commendation. What needs a person is left as entered: comments (from the
//! tables), `TIEU_BIEU` (the pupil list's `tieuBieu` column), the principal's promotion decision
//! for pupils who did not complete the grade (`lenLop`).
//!
//! The pupil list is a sheet whose header row holds the `HocSinh` wire names of `format.md`
//! (`hoVaTen`, `gioiTinh`, `ngaySinh`, … `maHocSinh`, `anh`), plus the optional columns listed
//! in [`PUPIL_EXTRA_COLUMNS`]. The class information is a two-column sheet (`Lop`: a wire name,
//! its value) or a JSON object with the keys of [`CLASS_KEYS`].

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use serde_json::{Map, Value};

use super::check::{cell_context, check_table_except, period_result};
use super::table::{CellRef, ClassTable, TableRow};
use crate::model::Period;
use crate::model::*;
use crate::rules::codes as c;
use crate::rules::{derive_result, Finding};

/// The pupil list's columns besides the `HocSinh` wire names: `soDangBo` and `ngayNhapHoc` (this
/// year's learning-history row), `maDinhDanhHocBa` (the record's identifier; by default
/// `<maTruong>-<maHocSinh>`), `khongDanhGia` (exempt from assessment), `lenLop` (the principal's
/// promotion decision for a pupil who did not complete the grade), `tieuBieu` (the class chose
/// the pupil for the `TIEU_BIEU` commendation), `khenThuongKhac` (another commendation, its
/// wording), and `STT` (ignored).
pub const PUPIL_EXTRA_COLUMNS: &[&str] = &[
    "STT",
    "soDangBo",
    "ngayNhapHoc",
    "maDinhDanhHocBa",
    "khongDanhGia",
    "lenLop",
    "tieuBieu",
    "khenThuongKhac",
];

/// The `HocSinh` wire names a pupil list may have as columns.
pub const PUPIL_COLUMNS: &[&str] = crate::xml::names::HOC_SINH;

/// The keys of the class information (`Lop`): the school (`Truong`), then the year's class,
/// people and confirmation. `quanHuyen` is optional.
pub const CLASS_KEYS: &[&str] = &[
    "maTruong",
    "tenTruong",
    "xaPhuong",
    "tinhThanh",
    "quanHuyen",
    "loaiHinh",
    "namHoc",
    "khoi",
    "lop",
    "giaoVienChuNhiem",
    "hieuTruong",
    "chucVuNguoiKy",
    "diaDanh",
    "ngayXacNhan",
];

/// Why the inputs of a build could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// What is wrong.
    pub kind: BuildErrorKind,
    /// Where, when it is a cell.
    pub cell: Option<CellRef>,
}

/// The kinds of [`BuildError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// The pupil list has no header row with a `maHocSinh` column.
    NoPupilHeader,
    /// A column of the pupil list is not a `HocSinh` wire name nor an extra column.
    UnknownPupilColumn(String),
    /// The same column twice in the pupil list.
    DuplicatePupilColumn(String),
    /// A pupil row with data but no `maHocSinh`.
    MissingPupilCode,
    /// The same `maHocSinh` twice in the pupil list.
    DuplicatePupil(String),
    /// A key of the class information that is not one of [`CLASS_KEYS`].
    UnknownClassKey(String),
    /// A required key of the class information is missing or blank.
    MissingClassKey(String),
    /// The class information in JSON is not an object of strings and numbers.
    ClassJson(String),
    /// A table without its period.
    TableWithoutPeriod,
}

impl BuildError {
    fn new(kind: BuildErrorKind, cell: Option<CellRef>) -> Self {
        BuildError { kind, cell }
    }

    fn at(&self) -> (String, String) {
        match &self.cell {
            Some(c) => (format!(" (at {})", c.a1()), format!(" (tại ô {})", c.a1())),
            None => (String::new(), String::new()),
        }
    }

    /// The English message: what is wrong, where, and what to do.
    pub fn message(&self) -> String {
        use BuildErrorKind as K;
        let (at, _) = self.at();
        match &self.kind {
            K::NoPupilHeader => "the pupil list has no header row with a maHocSinh column; the first row of the list must hold the HocSinh wire names (hoVaTen, gioiTinh, …, maHocSinh)".to_owned(),
            K::UnknownPupilColumn(h) => format!("the pupil list has a column \"{h}\"{at} that is not a HocSinh wire name nor one of {}; rename or remove it", PUPIL_EXTRA_COLUMNS.join(", ")),
            K::DuplicatePupilColumn(h) => format!("the pupil list has the column \"{h}\" twice{at}; keep one"),
            K::MissingPupilCode => format!("a pupil row has data but no maHocSinh{at}; fill in the code or delete the row"),
            K::DuplicatePupil(code) => format!("the pupil {code} appears twice in the pupil list{at}; keep one row per pupil"),
            K::UnknownClassKey(k) => format!("the class information has a key \"{k}\"{at} that is not one of {}; correct it", CLASS_KEYS.join(", ")),
            K::MissingClassKey(k) => format!("the class information lacks \"{k}\"; add it"),
            K::ClassJson(e) => format!("the class information is not a JSON object of texts and numbers: {e}"),
            K::TableWithoutPeriod => "a class summary table has no period; give its period (GHK1, CHK1, GHK2 or CN)".to_owned(),
        }
    }

    /// The Vietnamese message: what is wrong, where, and what to do.
    pub fn message_vi(&self) -> String {
        use BuildErrorKind as K;
        let (_, at) = self.at();
        match &self.kind {
            K::NoPupilHeader => "danh sách học sinh không có dòng tiêu đề với cột maHocSinh; dòng đầu của danh sách phải ghi tên trường dữ liệu HocSinh (hoVaTen, gioiTinh, …, maHocSinh)".to_owned(),
            K::UnknownPupilColumn(h) => format!("danh sách học sinh có cột \"{h}\"{at} không phải tên trường của HocSinh hay một trong {}; hãy đổi tên hoặc xóa cột", PUPIL_EXTRA_COLUMNS.join(", ")),
            K::DuplicatePupilColumn(h) => format!("danh sách học sinh có hai cột \"{h}\"{at}; chỉ giữ một"),
            K::MissingPupilCode => format!("một dòng học sinh có dữ liệu nhưng thiếu maHocSinh{at}; hãy điền mã hoặc xóa dòng"),
            K::DuplicatePupil(code) => format!("học sinh {code} xuất hiện hai lần trong danh sách{at}; mỗi học sinh chỉ một dòng"),
            K::UnknownClassKey(k) => format!("thông tin lớp có khóa \"{k}\"{at} không thuộc {}; hãy sửa lại", CLASS_KEYS.join(", ")),
            K::MissingClassKey(k) => format!("thông tin lớp thiếu \"{k}\"; hãy bổ sung"),
            K::ClassJson(e) => format!("thông tin lớp không phải đối tượng JSON gồm văn bản và số: {e}"),
            K::TableWithoutPeriod => "một bảng tổng hợp không có kỳ đánh giá; hãy ghi kỳ (GHK1, CHK1, GHK2 hoặc CN)".to_owned(),
        }
    }
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for BuildError {}

/// One pupil of the pupil list: the cell texts by column, and where each came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PupilRow {
    /// Cell texts (trimmed, blank cells left out) by wire name.
    pub values: BTreeMap<String, String>,
    /// The cell of each value.
    pub cells: BTreeMap<String, CellRef>,
}

impl PupilRow {
    /// The pupil's code.
    pub fn code(&self) -> &str {
        self.values.get("maHocSinh").map_or("", String::as_str)
    }
    fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

/// The pupil list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PupilList {
    /// The pupils, in the list's order.
    pub pupils: Vec<PupilRow>,
}

impl PupilList {
    /// Reads a pupil list from a sheet's cells (`rows[i][j]`, the texts of row i + 1, column j);
    /// `sheet` names it in errors. Rows above the header (the first row with a cell
    /// `maHocSinh`) are skipped, blank rows ignored.
    ///
    /// ```
    /// use hocba_core::class::build::PupilList;
    /// let rows = vec![
    ///     vec!["maHocSinh".to_owned(), "hoVaTen".to_owned()],
    ///     vec!["HS001".to_owned(), " Lê Văn An ".to_owned()],
    /// ];
    /// let list = PupilList::from_rows("HocSinh", &rows).unwrap();
    /// assert_eq!(list.pupils[0].values["hoVaTen"], "Lê Văn An");
    /// ```
    pub fn from_rows(sheet: &str, rows: &[Vec<String>]) -> Result<Self, BuildError> {
        let cell = |r: usize, col: usize| CellRef {
            sheet: sheet.to_owned(),
            row: u32::try_from(r + 1).unwrap_or(u32::MAX),
            column: CellRef::column_letters(u32::try_from(col).unwrap_or(u32::MAX)),
        };
        let Some(h) = rows
            .iter()
            .position(|r| r.iter().any(|c| c.trim() == "maHocSinh"))
        else {
            return Err(BuildError::new(BuildErrorKind::NoPupilHeader, None));
        };
        let mut columns: Vec<Option<String>> = Vec::new();
        for (j, text) in rows[h].iter().enumerate() {
            let name = text.trim();
            if name.is_empty() {
                columns.push(None);
                continue;
            }
            let known = PUPIL_COLUMNS
                .iter()
                .chain(PUPIL_EXTRA_COLUMNS)
                .find(|k| k.eq_ignore_ascii_case(name));
            let Some(known) = known else {
                return Err(BuildError::new(
                    BuildErrorKind::UnknownPupilColumn(name.to_owned()),
                    Some(cell(h, j)),
                ));
            };
            if columns.iter().flatten().any(|c| c == known) {
                return Err(BuildError::new(
                    BuildErrorKind::DuplicatePupilColumn((*known).to_owned()),
                    Some(cell(h, j)),
                ));
            }
            columns.push(Some((*known).to_owned()));
        }
        let mut pupils = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, row) in rows.iter().enumerate().skip(h + 1) {
            let mut p = PupilRow::default();
            for (j, text) in row.iter().enumerate() {
                let Some(Some(name)) = columns.get(j) else {
                    continue;
                };
                let value = crate::model::normalize_text(text.trim())
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| text.trim().to_owned());
                let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
                if value.is_empty() || name == "STT" {
                    continue;
                }
                p.cells.insert(name.clone(), cell(i, j));
                p.values.insert(name.clone(), value);
            }
            if p.values.is_empty() {
                continue;
            }
            let code_col = columns
                .iter()
                .position(|c| c.as_deref() == Some("maHocSinh"))
                .unwrap_or(0);
            if p.code().is_empty() {
                return Err(BuildError::new(
                    BuildErrorKind::MissingPupilCode,
                    Some(cell(i, code_col)),
                ));
            }
            if !seen.insert(p.code().to_owned()) {
                return Err(BuildError::new(
                    BuildErrorKind::DuplicatePupil(p.code().to_owned()),
                    Some(cell(i, code_col)),
                ));
            }
            pupils.push(p);
        }
        Ok(PupilList { pupils })
    }
}

/// The class information: the school, the class and school year, the people who sign, the place
/// and date of the year page. Values as written (the records' rules check them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassInfo {
    /// The values by key (one of [`CLASS_KEYS`]).
    pub values: BTreeMap<String, String>,
}

impl ClassInfo {
    /// From a two-column sheet: a key in the first column, its value in the second (a first row
    /// `khóa | giá trị` or any row whose first cell is blank is skipped).
    ///
    /// ```
    /// use hocba_core::class::build::ClassInfo;
    /// let rows = vec![vec!["lop".to_owned(), "4A".to_owned()], vec!["khoi".to_owned(), "4".to_owned()]];
    /// let info = ClassInfo::from_rows("Lop", &rows).unwrap();
    /// assert_eq!(info.values["lop"], "4A");
    /// ```
    pub fn from_rows(sheet: &str, rows: &[Vec<String>]) -> Result<Self, BuildError> {
        let mut values = BTreeMap::new();
        for (i, row) in rows.iter().enumerate() {
            let key = row.first().map_or("", |k| k.trim());
            let known = CLASS_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key));
            // A blank first cell, or a heading row (`khóa | giá trị`) before the first key.
            if key.is_empty() || (known.is_none() && values.is_empty() && i == 0) {
                continue;
            }
            let Some(known) = known else {
                return Err(BuildError::new(
                    BuildErrorKind::UnknownClassKey(key.to_owned()),
                    Some(CellRef {
                        sheet: sheet.to_owned(),
                        row: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        column: "A".into(),
                    }),
                ));
            };
            let value = row.get(1).map_or("", |v| v.trim());
            if !value.is_empty() {
                values.insert((*known).to_owned(), value.to_owned());
            }
        }
        Ok(ClassInfo { values })
    }

    /// From a JSON object (`{"maTruong": "…", "khoi": 4, …}`).
    ///
    /// ```
    /// use hocba_core::class::build::ClassInfo;
    /// let info = ClassInfo::from_json(br#"{"lop": "4A", "khoi": 4}"#).unwrap();
    /// assert_eq!(info.values["khoi"], "4");
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Self, BuildError> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| BuildError::new(BuildErrorKind::ClassJson(e.to_string()), None))?;
        let Value::Object(map) = value else {
            return Err(BuildError::new(
                BuildErrorKind::ClassJson("not an object".into()),
                None,
            ));
        };
        let mut values = BTreeMap::new();
        for (k, v) in map {
            if !CLASS_KEYS.contains(&k.as_str()) {
                return Err(BuildError::new(BuildErrorKind::UnknownClassKey(k), None));
            }
            let text = match v {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                Value::Null => continue,
                other => {
                    return Err(BuildError::new(
                        BuildErrorKind::ClassJson(format!("\"{k}\" is {other}")),
                        None,
                    ))
                }
            };
            if !text.is_empty() {
                values.insert(k, text);
            }
        }
        Ok(ClassInfo { values })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// The grade, when `khoi` is a whole number 1–5.
    pub fn grade(&self) -> Option<u8> {
        self.get("khoi")
            .and_then(|k| k.trim().parse::<u8>().ok())
            .filter(|g| (1..=5).contains(g))
    }
}

/// What a build produced: one record per pupil of the list (in its order) and the findings
/// about the tables and the inputs. Each record still has to be validated (`rules::validate`).
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    /// `(maHocSinh, record)`, in the order of the pupil list.
    pub records: Vec<(String, Record)>,
    /// Findings about the tables (paths `lop.<maHocSinh>.<ky>.…`) and the pupil list
    /// (`lop.<maHocSinh>.<column>`), in the order of the periods, then the rows.
    pub findings: Vec<Finding>,
}

/// Reads a photo named in the pupil list's `anh` column (a path relative to the list).
pub type PhotoLoader<'a> = dyn FnMut(&str) -> Result<Vec<u8>, String> + 'a;

/// Builds each pupil's record. Never reads a file itself: `photo` loads the `anh` paths.
///
/// ```
/// use hocba_core::class::build::{build_records, ClassInfo, PupilList};
/// let rows = vec![vec!["maHocSinh".to_owned()], vec!["HS001".to_owned()]];
/// let pupils = PupilList::from_rows("HocSinh", &rows).unwrap();
/// let info = ClassInfo::from_json(br#"{"khoi": 4, "lop": "4A", "namHoc": "2024-2025"}"#).unwrap();
/// let built = build_records(&pupils, &info, &[], &mut |_| Err("no photos".into())).unwrap();
/// assert_eq!(built.records.len(), 1);
/// // No table was given: each of the four periods is reported missing.
/// assert_eq!(built.findings.iter().filter(|f| f.code == "table_period_missing").count(), 4);
/// ```
pub fn build_records(
    pupils: &PupilList,
    class: &ClassInfo,
    tables: &[ClassTable],
    photo: &mut PhotoLoader<'_>,
) -> Result<Built, BuildError> {
    let mut findings = Vec::new();
    let grade = class.grade();
    // The tables by period, in period order; the class's grade where a table has none.
    let order = [
        Period::MidTerm1,
        Period::EndOfTerm1,
        Period::MidTerm2,
        Period::EndOfYear,
    ];
    let mut by_period: Vec<(Period, ClassTable)> = Vec::new();
    for t in tables {
        let Some(p) = t.period.clone().filter(|p| p.is_known()) else {
            return Err(BuildError::new(BuildErrorKind::TableWithoutPeriod, None));
        };
        if by_period.iter().any(|(q, _)| *q == p) {
            findings.push(Finding::new(
                &c::TABLE_PERIOD_DUPLICATE,
                format!("lop.{}", p.as_str()),
                ctx1("ky", p.as_str()),
            ));
            continue;
        }
        let mut t = t.clone();
        if t.grade.is_none() {
            t.grade = grade;
        }
        by_period.push((p, t));
    }
    by_period.sort_by_key(|(p, _)| order.iter().position(|o| o == p));
    for p in &order {
        if !by_period.iter().any(|(q, _)| q == p) {
            findings.push(Finding::new(
                &c::TABLE_PERIOD_MISSING,
                format!("lop.{}", p.as_str()),
                ctx1("ky", p.as_str()),
            ));
        }
    }

    let exempt: BTreeSet<String> = pupils
        .pupils
        .iter()
        .filter(|p| p.get("khongDanhGia").and_then(yes_no) == Some(true))
        .map(|p| p.code().to_owned())
        .collect();
    let listed: BTreeMap<&str, &PupilRow> = pupils.pupils.iter().map(|p| (p.code(), p)).collect();
    // Each table's rows by pupil code (the first row of a code counts; a second one is
    // `table_pupil_duplicate`), so that finding a pupil's row is not a search per pupil.
    let rows_by_code: Vec<BTreeMap<&str, &TableRow>> = by_period
        .iter()
        .map(|(_, t)| {
            let mut m = BTreeMap::new();
            for r in &t.rows {
                m.entry(r.student_code.as_str()).or_insert(r);
            }
            m
        })
        .collect();
    for ((p, t), rows) in by_period.iter().zip(&rows_by_code) {
        findings.extend(check_table_except(t, &exempt).findings);
        for row in &t.rows {
            let base = format!("lop.{}.{}", row.student_code, p.as_str());
            match listed.get(row.student_code.as_str()) {
                None => {
                    let mut ctx = cell_context(row.cells.get("maHocSinh"));
                    ctx.insert("maHocSinh".into(), row.student_code.clone().into());
                    ctx.insert("ky".into(), p.as_str().into());
                    findings.push(Finding::new(&c::TABLE_PUPIL_NOT_IN_LIST, base, ctx));
                }
                Some(listed) => {
                    let list_name = listed.get("hoVaTen").unwrap_or("");
                    if !row.full_name.is_empty()
                        && !list_name.is_empty()
                        && !same_name(&row.full_name, list_name)
                    {
                        let mut ctx = cell_context(row.cells.get("hoTen"));
                        ctx.insert("maHocSinh".into(), row.student_code.clone().into());
                        ctx.insert("ky".into(), p.as_str().into());
                        ctx.insert("tableName".into(), row.full_name.clone().into());
                        ctx.insert("listName".into(), list_name.into());
                        findings.push(Finding::new(
                            &c::TABLE_NAME_MISMATCH,
                            format!("{base}.hoTen"),
                            ctx,
                        ));
                    }
                }
            }
        }
        for pupil in &pupils.pupils {
            if !rows.contains_key(pupil.code()) {
                let mut ctx = cell_context(pupil.cells.get("maHocSinh"));
                ctx.insert("maHocSinh".into(), pupil.code().into());
                ctx.insert("ky".into(), p.as_str().into());
                findings.push(Finding::new(
                    &c::TABLE_PUPIL_MISSING,
                    format!("lop.{}.{}", pupil.code(), p.as_str()),
                    ctx,
                ));
            }
        }
    }

    let mut records = Vec::with_capacity(pupils.pupils.len());
    for pupil in &pupils.pupils {
        let rows: Vec<(&Period, &TableRow)> = by_period
            .iter()
            .zip(&rows_by_code)
            .filter_map(|((p, _), rows)| rows.get(pupil.code()).map(|r| (p, *r)))
            .collect();
        let record = build_one(pupil, class, grade, &rows, photo, &mut findings);
        records.push((pupil.code().to_owned(), record));
    }
    Ok(Built { records, findings })
}

fn build_one(
    pupil: &PupilRow,
    class: &ClassInfo,
    grade: Option<u8>,
    rows: &[(&Period, &TableRow)],
    photo: &mut PhotoLoader<'_>,
    findings: &mut Vec<Finding>,
) -> Record {
    let code = pupil.code();
    let text = |v: Option<&str>| v.map(Text::from);

    // The pupil: every HocSinh column as written, with what spreadsheets do to codes undone.
    let mut p = Pupil {
        full_name: text(pupil.get("hoVaTen")),
        sex: pupil
            .get("gioiTinh")
            .map(|s| Sex::parse(s.trim_end_matches(".0"))),
        date_of_birth: pupil.get("ngaySinh").map(|d| Date::from(date(d).as_str())),
        ethnicity: pupil.get("danToc").map(|d| Text::from(pad(d, 2).as_str())),
        nationality: pupil
            .get("quocTich")
            .map(|q| Text::from(q.to_uppercase().as_str())),
        place_of_birth: text(pupil.get("noiSinh")),
        hometown: text(pupil.get("queQuan")),
        current_address: text(pupil.get("noiOHienNay")),
        father_name: text(pupil.get("hoTenCha")),
        mother_name: text(pupil.get("hoTenMe")),
        guardian_name: text(pupil.get("nguoiGiamHo")),
        personal_id: pupil
            .get("soDinhDanh")
            .map(|d| Text::from(personal_id(d).as_str())),
        student_code: Some(Text::from(code)),
        photo: None,
    };
    if let Some(path) = pupil.get("anh") {
        match photo(path) {
            Ok(bytes) => {
                let format = if bytes.starts_with(b"\xFF\xD8") {
                    Some(PhotoFormat::Jpeg)
                } else if bytes.starts_with(b"\x89PNG") {
                    Some(PhotoFormat::Png)
                } else {
                    None
                };
                p.photo = Some(Photo {
                    format,
                    data: Some(Text::from(
                        base64::engine::general_purpose::STANDARD
                            .encode(&bytes)
                            .as_str(),
                    )),
                });
            }
            Err(reason) => {
                let mut ctx = cell_context(pupil.cells.get("anh"));
                ctx.insert("value".into(), path.into());
                ctx.insert(
                    "expected".into(),
                    format!("a readable JPEG or PNG file ({reason})").into(),
                );
                ctx.insert(
                    "expectedVi".into(),
                    format!("tệp ảnh JPEG hoặc PNG đọc được ({reason})").into(),
                );
                if !ctx.contains_key("cell") {
                    ctx.insert("cell".into(), "?".into());
                }
                findings.push(Finding::new(
                    &c::TABLE_CELL_INVALID,
                    format!("lop.{code}.anh"),
                    ctx,
                ));
            }
        }
    }

    let school = School {
        code: text(class.get("maTruong")),
        name: text(class.get("tenTruong")),
        commune: text(class.get("xaPhuong")),
        province: text(class.get("tinhThanh")),
        district: text(class.get("quanHuyen")),
        kind: class
            .get("loaiHinh")
            .map(|k| SchoolKind::parse(k.trim_end_matches(".0"))),
    };
    let history = HistoryRow {
        school_year: class.get("namHoc").map(SchoolYearLabel::from),
        class_name: text(class.get("lop")),
        school_name: text(class.get("tenTruong")),
        registration_number: text(pupil.get("soDangBo")),
        enrolment_date: pupil
            .get("ngayNhapHoc")
            .map(|d| Date::from(date(d).as_str())),
    };

    let exempt = pupil.get("khongDanhGia").and_then(yes_no) == Some(true);
    let mut year = SchoolYear {
        school_year: class.get("namHoc").map(SchoolYearLabel::from),
        grade: grade
            .map(|g| Number::from(i64::from(g)))
            .or_else(|| class.get("khoi").and_then(Number::parse_decimal)),
        class_name: text(class.get("lop")),
        homeroom_teacher: text(class.get("giaoVienChuNhiem")),
        principal: text(class.get("hieuTruong")),
        signer_title: class.get("chucVuNguoiKy").map(SignerTitle::parse),
        exempt,
        place_name: text(class.get("diaDanh")),
        confirmation_date: class
            .get("ngayXacNhan")
            .map(|d| Date::from(date(d).as_str())),
        ..SchoolYear::default()
    };
    for (period, row) in rows {
        let results = period_result(row, period);
        if **period == Period::EndOfYear && !exempt {
            year.subjects = results.subjects.clone();
            year.qualities = results.qualities.clone();
            year.competencies = results.competencies.clone();
        }
        year.periods.push(results);
    }
    let decision = pupil.get("lenLop").and_then(yes_no);
    if exempt {
        year.completed_grade = Some(decision.unwrap_or(false));
        year.promoted = Some(decision.unwrap_or(false));
    } else {
        year.result = derive_result(&year);
        let completed = matches!(
            year.result,
            Some(YearResult::Excellent | YearResult::Good | YearResult::Completed)
        );
        year.completed_grade = Some(completed);
        year.promoted = Some(if grade == Some(5) {
            completed
        } else if completed {
            true
        } else {
            if decision.is_none() {
                let mut ctx = cell_context(pupil.cells.get("maHocSinh"));
                ctx.insert("maHocSinh".into(), code.into());
                findings.push(Finding::new(
                    &c::TABLE_PROMOTION_UNDECIDED,
                    format!("lop.{code}.lenLop"),
                    ctx,
                ));
            }
            decision.unwrap_or(false)
        });
    }
    if grade == Some(5) {
        year.completed_primary = year.completed_grade;
    }
    if year.result == Some(YearResult::Excellent) {
        year.commendations.push(Commendation {
            kind: Some(CommendationKind::Excellent),
            content: Some(Text::from("Học sinh Xuất sắc")),
        });
    }
    if pupil.get("tieuBieu").and_then(yes_no) == Some(true) {
        year.commendations.push(Commendation {
            kind: Some(CommendationKind::Exemplary),
            content: Some(Text::from(
                "Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện",
            )),
        });
    }
    if let Some(other) = pupil.get("khenThuongKhac") {
        year.commendations.push(Commendation {
            kind: Some(CommendationKind::Miscellaneous),
            content: Some(Text::from(other)),
        });
    }

    let record_id = pupil.get("maDinhDanhHocBa").map_or_else(
        || format!("{}-{code}", class.get("maTruong").unwrap_or("")),
        str::to_owned,
    );
    Record {
        record_id: Some(Text::from(record_id.as_str())),
        pupil: Some(p),
        school: Some(school),
        history: vec![history],
        years: vec![year],
        ..Record::default()
    }
}

fn ctx1(key: &str, value: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(key.into(), value.into());
    m
}

/// Names compared ignoring case and spacing.
fn same_name(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    key(a) == key(b)
}

/// A yes/no cell: `true`, `1`, `x`, `có`, `lên lớp` / `false`, `0`, `không`, `ở lại lớp`.
fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "1" | "x" | "có" | "co" | "yes" | "lên lớp" | "đúng" => Some(true),
        "false" | "0" | "không" | "khong" | "no" | "ở lại lớp" | "sai" => Some(false),
        _ => None,
    }
}

/// A code whose leading zeros a spreadsheet dropped (`5` for ethnicity `05`).
fn pad(s: &str, width: usize) -> String {
    let s = s.trim().trim_end_matches(".0");
    if !s.is_empty() && s.len() < width && s.bytes().all(|b| b.is_ascii_digit()) {
        format!("{s:0>width$}")
    } else {
        s.to_owned()
    }
}

/// A personal identification number stored as a number: its leading zeros (the province codes
/// 001–096 start with 0) restored when 10 or 11 digits remain.
fn personal_id(s: &str) -> String {
    let t = s.trim().trim_end_matches(".0");
    if (10..12).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{t:0>12}")
    } else {
        t.to_owned()
    }
}

/// A date as `YYYY-MM-DD`: kept when it is; `d/m/yyyy` and `d-m-yyyy` (the Vietnamese order)
/// rewritten; anything else kept as written for the rules to report.
fn date(s: &str) -> String {
    let t = s.trim();
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if let [d, m, y] = parts[..] {
        if y.len() == 4
            && d.len() <= 2
            && m.len() <= 2
            && [d, m, y]
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return format!("{y}-{m:0>2}-{d:0>2}");
        }
    }
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_values_are_undone() {
        assert_eq!(pad("5", 2), "05");
        assert_eq!(pad("5.0", 2), "05");
        assert_eq!(pad("12", 2), "12");
        assert_eq!(personal_id("1215001234"), "001215001234");
        assert_eq!(personal_id("79215001234"), "079215001234");
        assert_eq!(personal_id("079215001234"), "079215001234");
        assert_eq!(personal_id("không"), "không");
        assert_eq!(date("2/3/2015"), "2015-03-02");
        assert_eq!(date("14-03-2016"), "2016-03-14");
        assert_eq!(date("2016-03-14"), "2016-03-14");
        assert_eq!(date("hôm qua"), "hôm qua");
        assert_eq!(yes_no(" X "), Some(true));
        assert_eq!(yes_no("Ở lại lớp"), Some(false));
        assert_eq!(yes_no("?"), None);
    }

    #[test]
    fn pupil_list_errors_name_the_cell() {
        let rows = |v: &[&[&str]]| -> Vec<Vec<String>> {
            v.iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect()
        };
        let e = PupilList::from_rows("HS", &rows(&[&["hoVaTen"], &["An"]])).expect_err("refused");
        assert_eq!(e.kind, BuildErrorKind::NoPupilHeader);
        let e = PupilList::from_rows("HS", &rows(&[&["maHocSinh", "hoTen"]])).expect_err("refused");
        assert_eq!(e.kind, BuildErrorKind::UnknownPupilColumn("hoTen".into()));
        assert!(e.message().contains("HS!B1"), "{}", e.message());
        assert!(e.message_vi().contains("HS!B1"));
        let e = PupilList::from_rows(
            "HS",
            &rows(&[&["maHocSinh", "hoVaTen"], &["A1", "An"], &["", "Bình"]]),
        )
        .expect_err("refused");
        assert_eq!(e.kind, BuildErrorKind::MissingPupilCode);
        assert_eq!(e.cell.map(|c| c.a1()), Some("HS!A3".to_owned()));
        let e = PupilList::from_rows("HS", &rows(&[&["maHocSinh"], &["A1"], &["A1"]]))
            .expect_err("refused");
        assert_eq!(e.kind, BuildErrorKind::DuplicatePupil("A1".into()));
        let e = ClassInfo::from_rows("Lop", &rows(&[&["khoa", "gia tri"], &["lopp", "4A"]]))
            .expect_err("refused");
        assert_eq!(e.kind, BuildErrorKind::UnknownClassKey("lopp".into()));
        assert!(ClassInfo::from_json(b"[1]").is_err());
        assert!(ClassInfo::from_json(br#"{"lop": [1]}"#).is_err());
    }
}
