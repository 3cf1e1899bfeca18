//! CSV and XLSX import and export of class summary tables, tolerant of what spreadsheets do.
//!
//! Three layers:
//!
//! - a generic reader, [`read_csv`] and [`read_xlsx`], that turns a file into [`Sheet`]s of cell
//!   text (for the tables, and for pupil lists and class-information sheets);
//! - the table reader, [`read_table`] (and [`read_table_csv`], [`read_table_xlsx`]), that finds
//!   the header and reads one [`ClassTable`] with the position of every cell;
//! - the writers, [`write_table_csv`], [`write_table_xlsx`] and [`template_xlsx`].
//!
//! The column layout is documented in `docs/class.md`. Reading is bounded (64 MB, 100,000 rows,
//! 1,000 columns) and never panics: anything it cannot read is a [`SheetError`] naming the sheet,
//! the row and the column, in English and Vietnamese.
//!
//! ```
//! use hocba_core::class::sheet::{read_table_csv, write_table_csv, TableOptions};
//! let csv = "Mã học sinh,Họ và tên,Toán - Mức đạt,Toán - Điểm\nHS001,Lê Thị Hoà,T,9\n";
//! let table = read_table_csv(csv.as_bytes(), "4A.csv", &TableOptions::default()).unwrap();
//! assert_eq!(table.rows[0].student_code, "HS001");
//! assert_eq!(table.rows[0].subjects[0].score.and_then(|n| n.as_integer()), Some(9));
//! let again = read_table_csv(&write_table_csv(&table), "4A.csv", &TableOptions::default());
//! assert_eq!(again.unwrap().rows[0].full_name, "Lê Thị Hoà");
//! ```

use std::fmt;
use std::io::Cursor;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::table::{CellRef, ClassTable, InvalidCell, TableRow};
use crate::model::{
    CompetencyAssessment, CompetencyCode, ItemLevel, Number, Period, QualityAssessment,
    QualityCode, SubjectCode, SubjectLevel, SubjectResult, Text,
};
use crate::rules::lists::{competency_name, quality_name, subject, subjects};

/// The largest input read, in bytes (64 MB).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The most rows a sheet may have.
pub const MAX_ROWS: usize = 100_000;
/// The most columns a sheet may have.
pub const MAX_COLUMNS: usize = 1_000;
/// The most cells (row lengths added up) a file may hold, all sheets together.
pub const MAX_CELLS: usize = 4_000_000;
/// The most bytes the parts of an XLSX workbook may unpack to, as its zip directory declares.
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Sheets
// ---------------------------------------------------------------------------------------------

/// One sheet of a spreadsheet as text: `rows[i][j]` is the cell in row `i + 1` and column `j`
/// (`A` = 0), as the spreadsheet program shows it.
///
/// Numbers are written without a trailing `.0` when whole (`8`, `8.5`), dates as `YYYY-MM-DD`,
/// booleans as `true`/`false`, empty cells as `""`. Rows may have different lengths.
///
/// ```
/// use hocba_core::class::sheet::read_csv;
/// let sheet = read_csv(b"a;b\n1;2\n", "lop.csv").unwrap();
/// assert_eq!(sheet.rows[1], ["1", "2"]);
/// assert_eq!(sheet.cell(1, 1), "2");
/// assert_eq!(sheet.cell_ref(1, 1).a1(), "lop.csv!B2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// The sheet's name (for CSV: the name given by the caller, usually the file name).
    pub name: String,
    /// The cells' text, row by row.
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// The reference of the cell at 0-based `row_index` and `col_index` (`(0, 2)` → `C1`).
    ///
    /// ```
    /// use hocba_core::class::sheet::Sheet;
    /// let s = Sheet { name: "CN".into(), rows: vec![] };
    /// assert_eq!(s.cell_ref(6, 27).a1(), "CN!AB7");
    /// ```
    pub fn cell_ref(&self, row_index: usize, col_index: usize) -> CellRef {
        CellRef {
            sheet: self.name.clone(),
            row: u32::try_from(row_index.saturating_add(1)).unwrap_or(u32::MAX),
            column: CellRef::column_letters(u32::try_from(col_index).unwrap_or(u32::MAX)),
        }
    }

    /// The text of a cell, `""` outside the sheet.
    ///
    /// ```
    /// use hocba_core::class::sheet::Sheet;
    /// let s = Sheet { name: "CN".into(), rows: vec![vec!["x".into()]] };
    /// assert_eq!((s.cell(0, 0), s.cell(5, 5)), ("x", ""));
    /// ```
    pub fn cell(&self, row_index: usize, col_index: usize) -> &str {
        self.rows
            .get(row_index)
            .and_then(|r| r.get(col_index))
            .map_or("", String::as_str)
    }

    /// The number of columns of the widest row.
    ///
    /// ```
    /// use hocba_core::class::sheet::read_csv;
    /// assert_eq!(read_csv(b"a\nb,c,d\n", "x").unwrap().width(), 3);
    /// ```
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// True when every cell of the row is blank (white space only) or the row does not exist.
    ///
    /// ```
    /// use hocba_core::class::sheet::read_csv;
    /// let s = read_csv(b"a\n , \n", "x").unwrap();
    /// assert!(!s.is_blank_row(0) && s.is_blank_row(1) && s.is_blank_row(9));
    /// ```
    pub fn is_blank_row(&self, row_index: usize) -> bool {
        self.rows
            .get(row_index)
            .is_none_or(|r| r.iter().all(|c| c.trim().is_empty()))
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Which bound a too-large input exceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`MAX_BYTES`].
    Bytes,
    /// [`MAX_ROWS`].
    Rows,
    /// [`MAX_COLUMNS`].
    Columns,
    /// [`MAX_CELLS`].
    Cells,
    /// [`MAX_UNPACKED`].
    Unpacked,
}

impl Limit {
    fn max(self) -> usize {
        match self {
            Limit::Bytes => MAX_BYTES,
            Limit::Rows => MAX_ROWS,
            Limit::Columns => MAX_COLUMNS,
            Limit::Cells => MAX_CELLS,
            Limit::Unpacked => usize::try_from(MAX_UNPACKED).unwrap_or(usize::MAX),
        }
    }
}

/// What is wrong with a spreadsheet (see [`SheetError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SheetErrorKind {
    /// A CSV file that is not UTF-8 text; `offset` is the first bad byte.
    NotUtf8 {
        /// Byte offset of the first byte that is not UTF-8.
        offset: usize,
    },
    /// A file that cannot be read as CSV or XLSX (not a zip, truncated, not a workbook…).
    Unreadable {
        /// What the parser said (English, technical).
        reason: String,
    },
    /// An input over one of the bounds.
    TooLarge {
        /// Which bound.
        limit: Limit,
    },
    /// No worksheet (none at all, or none of the requested name).
    NoSheet {
        /// The requested name, if any.
        name: Option<String>,
        /// The sheets the workbook has.
        available: Vec<String>,
    },
    /// No row with a `Mã học sinh` cell.
    NoHeader,
    /// A header that names no column of the layout.
    UnknownColumn {
        /// The header's text.
        header: String,
    },
    /// A header that could name more than one column (a name written without diacritics that
    /// fits two names).
    AmbiguousColumn {
        /// The header's text.
        header: String,
    },
    /// The same column twice.
    DuplicateColumn {
        /// The header's text.
        header: String,
        /// The column letters of the first one.
        first: String,
    },
    /// A required column is missing (for readers of other sheets, such as pupil lists).
    MissingColumn {
        /// The missing header.
        header: String,
    },
    /// A row with values but no pupil code.
    MissingCode,
    /// The workbook could not be written.
    Unwritable {
        /// What the writer said.
        reason: String,
    },
}

/// A spreadsheet that cannot be read (or written): what is wrong and where.
///
/// [`message`](Self::message) (English, also `Display`) and [`message_vi`](Self::message_vi)
/// (Vietnamese) name the place, the problem and what to do.
///
/// ```
/// use hocba_core::class::sheet::{read_table_csv, SheetErrorKind, TableOptions};
/// let err = read_table_csv(b"Ten,Lop\nAn,4A\n", "4A.csv", &TableOptions::default()).unwrap_err();
/// assert_eq!(err.kind, SheetErrorKind::NoHeader);
/// assert!(err.message().contains("4A.csv"));
/// assert!(err.message_vi().contains("Mã học sinh"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    /// What is wrong.
    pub kind: SheetErrorKind,
    /// The sheet (the file name for CSV), when known.
    pub sheet: Option<String>,
    /// The 1-based row, when known.
    pub row: Option<u32>,
    /// The column letters, when known.
    pub column: Option<String>,
}

impl SheetError {
    fn new(kind: SheetErrorKind) -> Self {
        SheetError {
            kind,
            sheet: None,
            row: None,
            column: None,
        }
    }

    fn in_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_owned());
        self
    }

    fn at(kind: SheetErrorKind, cell: CellRef) -> Self {
        SheetError {
            kind,
            sheet: Some(cell.sheet),
            row: Some(cell.row),
            column: Some(cell.column),
        }
    }

    fn unreadable(reason: impl fmt::Display) -> Self {
        SheetError::new(SheetErrorKind::Unreadable {
            reason: reason.to_string(),
        })
    }

    fn unwritable(reason: impl fmt::Display) -> Self {
        SheetError::new(SheetErrorKind::Unwritable {
            reason: reason.to_string(),
        })
    }

    /// The cell, when sheet, row and column are all known.
    ///
    /// ```
    /// use hocba_core::class::sheet::read_table_csv;
    /// let err = read_table_csv(b"Ma hoc sinh,Toan - Muc dat\n,T\n", "x.csv", &Default::default())
    ///     .unwrap_err();
    /// assert_eq!(err.cell().map(|c| c.a1()), Some("x.csv!A2".to_owned()));
    /// ```
    pub fn cell(&self) -> Option<CellRef> {
        Some(CellRef {
            sheet: self.sheet.clone()?,
            row: self.row?,
            column: self.column.clone()?,
        })
    }

    fn place_en(&self) -> String {
        self.place(["sheet", "row", "column", "The file"])
    }

    fn place_vi(&self) -> String {
        self.place(["trang tính", "dòng", "cột", "Tệp"])
    }

    /// `Sheet “CN”, row 7, column F` in the language of `words` (sheet, row, column, the whole
    /// file), capitalised.
    fn place(&self, [sheet, row, column, file]: [&str; 4]) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.sheet {
            parts.push(format!("{sheet} “{s}”"));
        }
        if let Some(r) = self.row {
            parts.push(format!("{row} {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("{column} {c}"));
        }
        if parts.is_empty() {
            file.to_owned()
        } else {
            let s = parts.join(", ");
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or(s)
        }
    }

    /// The message in English: where, what is wrong, what to do.
    ///
    /// ```
    /// use hocba_core::class::sheet::read_csv;
    /// let err = read_csv(b"M\xE3 h\xF3c sinh\n", "lop.csv").unwrap_err();
    /// assert!(err.message().contains("CSV UTF-8"));
    /// ```
    pub fn message(&self) -> String {
        let at = self.place_en();
        match &self.kind {
            SheetErrorKind::NotUtf8 { offset } => format!(
                "{at}: the file is not UTF-8 text (byte {offset} is not). Save it from the \
                 spreadsheet program as “CSV UTF-8 (Comma delimited)” and try again."
            ),
            SheetErrorKind::Unreadable { reason } => format!(
                "{at}: cannot be read as a spreadsheet ({reason}). Open it in a spreadsheet \
                 program and save it again as an Excel workbook (.xlsx) or as CSV UTF-8."
            ),
            SheetErrorKind::TooLarge { limit } => {
                let what = match limit {
                    Limit::Bytes => "bytes",
                    Limit::Rows => "rows",
                    Limit::Columns => "columns",
                    Limit::Cells => "cells",
                    Limit::Unpacked => "bytes once unpacked",
                };
                format!(
                    "{at}: too large, more than {} {what}. Keep one class per file and delete \
                     unused rows and columns.",
                    limit.max()
                )
            }
            SheetErrorKind::NoSheet { name, available } => {
                let list = if available.is_empty() {
                    "it has no worksheet".to_owned()
                } else {
                    format!("its sheets are {}", quote_list(available))
                };
                match name {
                    Some(n) => format!(
                        "{at}: the workbook has no sheet named “{n}” ({list}). Give the name of \
                         one of its sheets."
                    ),
                    None => format!(
                        "{at}: the workbook has no worksheet to read ({list}). Put the table on \
                         a worksheet."
                    ),
                }
            }
            SheetErrorKind::NoHeader => format!(
                "{at}: no header row: no cell reads “Mã học sinh”. Add the header row of the \
                 class table (STT, Mã học sinh, Họ và tên, then the subjects) above the pupils."
            ),
            SheetErrorKind::UnknownColumn { header } => format!(
                "{at}: the header “{header}” is not a column of the class table. Write a \
                 subject, “Phẩm chất” or “Năng lực” with its sub-header (Mức đạt, Điểm, Nhận \
                 xét, Ngôn ngữ, or the quality or competency), or delete the column."
            ),
            SheetErrorKind::AmbiguousColumn { header } => format!(
                "{at}: the header “{header}” could name more than one column. Write the name \
                 in full, with its diacritics."
            ),
            SheetErrorKind::DuplicateColumn { header, first } => format!(
                "{at}: the column “{header}” appears twice (first in column {first}). Delete \
                 one of the two."
            ),
            SheetErrorKind::MissingColumn { header } => {
                format!("{at}: the column “{header}” is missing. Add it to the header row.")
            }
            SheetErrorKind::MissingCode => format!(
                "{at}: this row has values but no pupil code (Mã học sinh). Enter the pupil's \
                 code, or delete the row."
            ),
            SheetErrorKind::Unwritable { reason } => {
                format!("{at}: the workbook cannot be written ({reason}).")
            }
        }
    }

    /// The message in Vietnamese: where, what is wrong, what to do.
    ///
    /// ```
    /// use hocba_core::class::sheet::read_csv;
    /// let err = read_csv(b"M\xE3 h\xF3c sinh\n", "lop.csv").unwrap_err();
    /// assert!(err.message_vi().contains("không phải văn bản UTF-8"));
    /// ```
    pub fn message_vi(&self) -> String {
        let at = self.place_vi();
        match &self.kind {
            SheetErrorKind::NotUtf8 { offset } => format!(
                "{at}: tệp không phải văn bản UTF-8 (byte thứ {offset}). Hãy lưu lại từ chương \
                 trình bảng tính với kiểu “CSV UTF-8 (Comma delimited)” rồi thử lại."
            ),
            SheetErrorKind::Unreadable { reason } => format!(
                "{at}: không đọc được như một bảng tính ({reason}). Hãy mở bằng chương trình \
                 bảng tính và lưu lại dưới dạng sổ làm việc Excel (.xlsx) hoặc CSV UTF-8."
            ),
            SheetErrorKind::TooLarge { limit } => {
                let what = match limit {
                    Limit::Bytes => "byte",
                    Limit::Rows => "dòng",
                    Limit::Columns => "cột",
                    Limit::Cells => "ô",
                    Limit::Unpacked => "byte khi giải nén",
                };
                format!(
                    "{at}: quá lớn, hơn {} {what}. Mỗi tệp chỉ nên chứa một lớp; hãy xoá các \
                     dòng và cột không dùng.",
                    limit.max()
                )
            }
            SheetErrorKind::NoSheet { name, available } => {
                let list = if available.is_empty() {
                    "sổ không có trang tính nào".to_owned()
                } else {
                    format!("các trang tính: {}", quote_list(available))
                };
                match name {
                    Some(n) => format!(
                        "{at}: sổ làm việc không có trang tính tên “{n}” ({list}). Hãy chọn tên \
                         một trang tính có trong sổ."
                    ),
                    None => format!(
                        "{at}: sổ làm việc không có trang tính nào để đọc ({list}). Hãy đặt \
                         bảng vào một trang tính."
                    ),
                }
            }
            SheetErrorKind::NoHeader => format!(
                "{at}: không có dòng tiêu đề: không ô nào ghi “Mã học sinh”. Hãy thêm dòng tiêu \
                 đề của bảng tổng hợp (STT, Mã học sinh, Họ và tên, rồi các môn học) phía trên \
                 danh sách học sinh."
            ),
            SheetErrorKind::UnknownColumn { header } => format!(
                "{at}: tiêu đề “{header}” không phải một cột của bảng tổng hợp. Hãy ghi tên môn \
                 học, “Phẩm chất” hoặc “Năng lực” kèm tiêu đề phụ (Mức đạt, Điểm, Nhận xét, \
                 Ngôn ngữ, hoặc tên phẩm chất, năng lực), hoặc xoá cột này."
            ),
            SheetErrorKind::AmbiguousColumn { header } => format!(
                "{at}: tiêu đề “{header}” có thể chỉ nhiều cột khác nhau. Hãy ghi đầy đủ tên, \
                 có dấu."
            ),
            SheetErrorKind::DuplicateColumn { header, first } => format!(
                "{at}: cột “{header}” xuất hiện hai lần (lần đầu ở cột {first}). Hãy xoá một \
                 trong hai cột."
            ),
            SheetErrorKind::MissingColumn { header } => {
                format!("{at}: thiếu cột “{header}”. Hãy thêm cột này vào dòng tiêu đề.")
            }
            SheetErrorKind::MissingCode => format!(
                "{at}: dòng này có dữ liệu nhưng không có mã học sinh (Mã học sinh). Hãy nhập \
                 mã học sinh, hoặc xoá dòng."
            ),
            SheetErrorKind::Unwritable { reason } => {
                format!("{at}: không ghi được sổ làm việc ({reason}).")
            }
        }
    }
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("“{s}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SheetError {}

// ---------------------------------------------------------------------------------------------
// CSV reading
// ---------------------------------------------------------------------------------------------

/// Reads a CSV file (UTF-8, with or without a byte-order mark) into a [`Sheet`] named `name`.
///
/// The separator is the one of `,`, `;` and tab that occurs most often (outside quotes) in the
/// header row: the first line that mentions `Mã học sinh` or `maHocSinh`, else the first
/// non-blank line. Fields may be quoted (`"a, b"`, `""` for a quote, line breaks inside quotes).
/// Blank lines are kept as empty rows, so row numbers are those a spreadsheet program shows.
///
/// ```
/// use hocba_core::class::sheet::read_csv;
/// let s = read_csv("\u{feff}Mã học sinh\tGhi chú\nHS1\t\"a\tb\"\n".as_bytes(), "t.csv").unwrap();
/// assert_eq!(s.rows[1], ["HS1", "a\tb"]);
/// ```
pub fn read_csv(bytes: &[u8], name: &str) -> Result<Sheet, SheetError> {
    if bytes.len() > MAX_BYTES {
        return Err(SheetError::new(SheetErrorKind::TooLarge {
            limit: Limit::Bytes,
        })
        .in_sheet(name));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
        SheetError {
            kind: SheetErrorKind::NotUtf8 { offset },
            sheet: Some(name.to_owned()),
            row: u32::try_from(line).ok(),
            column: None,
        }
    })?;
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cells = 0usize;
    // Line breaks inside quoted fields so far: a record's row is its line minus those.
    let mut embedded = 0u64;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let row = e
                    .position()
                    .and_then(|p| u32::try_from(p.line().saturating_sub(embedded)).ok());
                return Err(SheetError {
                    row,
                    ..SheetError::unreadable(e).in_sheet(name)
                });
            }
        }
        // The reader skips empty lines and reports the line after the previous record: count
        // the empty lines it skipped before this one.
        let line = record.position().map_or(rows.len() as u64 + 1, |p| {
            let start = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            let rest = text.as_bytes().get(start..).unwrap_or_default();
            let blank = rest
                .iter()
                .take_while(|b| matches!(b, b'\n' | b'\r'))
                .count();
            p.line() + line_breaks(text.get(start..start + blank).unwrap_or(""))
        });
        let index = usize::try_from(line.saturating_sub(embedded).max(1) - 1).unwrap_or(usize::MAX);
        if index >= MAX_ROWS {
            return Err(
                SheetError::new(SheetErrorKind::TooLarge { limit: Limit::Rows }).in_sheet(name),
            );
        }
        if record.len() > MAX_COLUMNS {
            return Err(SheetError {
                row: u32::try_from(index + 1).ok(),
                ..SheetError::new(SheetErrorKind::TooLarge {
                    limit: Limit::Columns,
                })
                .in_sheet(name)
            });
        }
        cells += record.len();
        if cells > MAX_CELLS {
            return Err(SheetError::new(SheetErrorKind::TooLarge {
                limit: Limit::Cells,
            })
            .in_sheet(name));
        }
        let mut row = Vec::with_capacity(record.len());
        for field in &record {
            embedded += line_breaks(field);
            row.push(field.to_owned());
        }
        if rows.len() < index {
            rows.resize_with(index, Vec::new);
        }
        rows.push(row);
    }
    Ok(Sheet {
        name: name.to_owned(),
        rows,
    })
}

/// Line breaks as the CSV reader counts lines (`\n`, and `\r` not followed by `\n`).
fn line_breaks(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut n = 0u64;
    for (i, c) in b.iter().enumerate() {
        if *c == b'\n' || (*c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// The separator of the header line: the most frequent of `,`, `;`, tab outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let lines = || text.lines().take(200);
    let header = lines()
        .find(|l| {
            let k = loose_key(l);
            k.contains("ma hoc sinh") || k.contains("mahocsinh")
        })
        .or_else(|| lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    seps[best]
}

// ---------------------------------------------------------------------------------------------
// XLSX reading
// ---------------------------------------------------------------------------------------------

/// Reads every worksheet of an XLSX workbook, in order.
///
/// Merged cells hold their value in the top-left cell only (the others read as blank). A file
/// that is not an XLSX workbook (random bytes, a truncated file, an old `.xls`, a zip of
/// something else) is an [`SheetErrorKind::Unreadable`] error.
///
/// ```
/// use hocba_core::class::sheet::{read_xlsx, template_xlsx};
/// use hocba_core::model::Period;
/// let sheets = read_xlsx(&template_xlsx(4, Period::EndOfYear, Some("4A")).unwrap()).unwrap();
/// assert_eq!(sheets[0].name, "CN");
/// assert!(read_xlsx(b"not a workbook").is_err());
/// ```
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    if bytes.len() > MAX_BYTES {
        return Err(SheetError::new(SheetErrorKind::TooLarge {
            limit: Limit::Bytes,
        }));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(SheetError::unreadable(
            "an old Excel 97–2003 .xls file, not .xlsx",
        ));
    }
    if declared_unpacked_size(bytes) > MAX_UNPACKED {
        return Err(SheetError::new(SheetErrorKind::TooLarge {
            limit: Limit::Unpacked,
        }));
    }
    // The parser is third-party code: a panic on a hostile file becomes an error.
    std::panic::catch_unwind(|| read_xlsx_inner(bytes))
        .unwrap_or_else(|_| Err(SheetError::unreadable("the workbook is malformed")))
}

fn read_xlsx_inner(bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    use calamine::{DataRef, Reader, Xlsx};
    let mut book: Xlsx<Cursor<&[u8]>> =
        Xlsx::new(Cursor::new(bytes)).map_err(SheetError::unreadable)?;
    let names = book.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    let mut cells = 0usize;
    for name in names {
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a dialog sheet: no cells to read.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(SheetError::unreadable(e).in_sheet(&name)),
        };
        let mut rows: Vec<Vec<String>> = Vec::new();
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return Err(SheetError::unreadable(e).in_sheet(&name)),
            };
            let text = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::Int(i) => i.to_string(),
                DataRef::Float(f) => number_text(*f),
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
                DataRef::SharedString(s) => (*s).to_owned(),
                DataRef::Bool(b) => b.to_string(),
                DataRef::DateTime(d) => {
                    if d.is_datetime() {
                        let (y, mo, da, h, mi, s, ms) = d.to_ymd_hms_milli();
                        if (h, mi, s, ms) == (0, 0, 0, 0) {
                            format!("{y:04}-{mo:02}-{da:02}")
                        } else {
                            format!("{y:04}-{mo:02}-{da:02}T{h:02}:{mi:02}:{s:02}")
                        }
                    } else {
                        number_text(d.as_f64())
                    }
                }
                DataRef::Error(e) => e.to_string(),
            };
            if text.is_empty() {
                continue;
            }
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            let here = || Sheet {
                name: name.clone(),
                rows: Vec::new(),
            };
            if r >= MAX_ROWS {
                return Err(SheetError::at(
                    SheetErrorKind::TooLarge { limit: Limit::Rows },
                    here().cell_ref(r, c),
                ));
            }
            if c >= MAX_COLUMNS {
                return Err(SheetError::at(
                    SheetErrorKind::TooLarge {
                        limit: Limit::Columns,
                    },
                    here().cell_ref(r, c),
                ));
            }
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let row = &mut rows[r];
            if row.len() <= c {
                cells += c + 1 - row.len();
                if cells > MAX_CELLS {
                    return Err(SheetError::new(SheetErrorKind::TooLarge {
                        limit: Limit::Cells,
                    })
                    .in_sheet(&name));
                }
                row.resize_with(c + 1, String::new);
            }
            row[c] = text;
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// The unpacked size of a zip archive's members as its central directory declares them (0 when
/// there is no readable directory: the zip reader reports that). A member in ZIP64 form counts as
/// `u64::MAX`: workbooks of a class never need it.
fn declared_unpacked_size(bytes: &[u8]) -> u64 {
    let u16_at = |i: usize| -> Option<usize> {
        bytes
            .get(i..i + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |i: usize| -> Option<u32> {
        bytes
            .get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    // The end-of-central-directory record: in the last 22 + 65,535 bytes.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let Some(eocd) = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|i| bytes.get(*i..*i + 4) == Some(b"PK\x05\x06"))
    else {
        return 0;
    };
    let (Some(count), Some(offset)) = (u16_at(eocd + 10), u32_at(eocd + 16)) else {
        return 0;
    };
    let mut at = usize::try_from(offset).unwrap_or(usize::MAX);
    let mut total = 0u64;
    for _ in 0..count {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02") {
            break;
        }
        let (Some(size), Some(n), Some(m), Some(k)) = (
            u32_at(at + 24),
            u16_at(at + 28),
            u16_at(at + 30),
            u16_at(at + 32),
        ) else {
            break;
        };
        total = total.saturating_add(if size == u32::MAX {
            u64::MAX
        } else {
            u64::from(size)
        });
        at = at.saturating_add(46 + n + m + k);
    }
    total
}

/// A number's text: whole numbers without `.0`.
fn number_text(f: f64) -> String {
    match Number::from_f64(f) {
        Some(n) => n.to_string(),
        None => f.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// NFC, lower case, white space collapsed, `y` folded to `i` (`Mỹ`/`Mĩ`, `lý`/`lí`).
fn exact_key(s: &str) -> String {
    let lower = s.nfc().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for word in lower.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            out.push(match c {
                'y' => 'i',
                'ý' => 'í',
                'ỳ' => 'ì',
                'ỷ' => 'ỉ',
                'ỹ' => 'ĩ',
                'ỵ' => 'ị',
                c => c,
            });
        }
    }
    out
}

/// [`exact_key`] without diacritics (`đ` → `d`): old and new tone placement, names typed
/// without diacritics.
fn loose_key(s: &str) -> String {
    exact_key(s)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The value matched by `text` among `(name, value)` pairs: exact key first, then loose key.
enum Match<T> {
    One(T),
    Ambiguous,
    None,
}

/// Names with their keys computed once.
struct NameList<T> {
    items: Vec<(String, String, T)>,
}

impl<T: Copy + PartialEq> NameList<T> {
    fn new(names: Vec<(&str, T)>) -> Self {
        NameList {
            items: names
                .into_iter()
                .map(|(n, v)| (exact_key(n), loose_key(n), v))
                .collect(),
        }
    }

    fn find(&self, text: &str) -> Match<T> {
        fn pick<T: Copy + PartialEq>(found: impl Iterator<Item = T>) -> Option<Match<T>> {
            let mut found = found;
            let first = found.next()?;
            if found.all(|v| v == first) {
                Some(Match::One(first))
            } else {
                Some(Match::Ambiguous)
            }
        }
        // Headers are short: a long cell is data, not a name.
        if text.len() > 120 {
            return Match::None;
        }
        let k = exact_key(text);
        if k.is_empty() {
            return Match::None;
        }
        let exact = self.items.iter().filter(|(e, _, _)| *e == k).map(|x| x.2);
        if let Some(m) = pick(exact) {
            return m;
        }
        let l = loose_key(text);
        let loose = self.items.iter().filter(|(_, o, _)| *o == l).map(|x| x.2);
        pick(loose).unwrap_or(Match::None)
    }
}

/// A column group (header row 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Stt,
    Code,
    Name,
    /// Index into `SubjectCode::CODES`.
    Subject(usize),
    Qualities,
    Competencies,
}

/// The part of a subject a column holds (header row 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Part {
    Language,
    Level,
    Score,
    Comment,
}

/// A column of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    Stt,
    Code,
    Name,
    Subject(usize, Part),
    Quality(usize),
    Competency(usize),
}

fn subject_code(i: usize) -> SubjectCode {
    SubjectCode::parse(SubjectCode::CODES.get(i).copied().unwrap_or(""))
}

fn subject_index(code: &SubjectCode) -> Option<usize> {
    SubjectCode::CODES.iter().position(|c| *c == code.as_str())
}

fn has_language(i: usize) -> bool {
    matches!(
        subject_code(i),
        SubjectCode::ForeignLanguage | SubjectCode::EthnicLanguage
    )
}

fn part_label(p: Part) -> &'static str {
    match p {
        Part::Language => "Ngôn ngữ",
        Part::Level => "Mức đạt",
        Part::Score => "Điểm",
        Part::Comment => "Nhận xét",
    }
}

fn part_wire(p: Part) -> &'static str {
    match p {
        Part::Language => "tenNgonNgu",
        Part::Level => "mucDat",
        Part::Score => "diem",
        Part::Comment => "nhanXet",
    }
}

impl Field {
    /// The path of the field inside a row (`monHoc.TOAN.diem`); `None` for `STT`.
    fn path(self) -> Option<String> {
        Some(match self {
            Field::Stt => return None,
            Field::Code => "maHocSinh".to_owned(),
            Field::Name => "hoTen".to_owned(),
            Field::Subject(i, p) => format!(
                "monHoc.{}.{}",
                SubjectCode::CODES.get(i).copied().unwrap_or(""),
                part_wire(p)
            ),
            Field::Quality(i) => format!(
                "phamChat.{}.mucDat",
                QualityCode::CODES.get(i).copied().unwrap_or("")
            ),
            Field::Competency(i) => format!(
                "nangLuc.{}.mucDat",
                CompetencyCode::CODES.get(i).copied().unwrap_or("")
            ),
        })
    }

    /// The header labels the writers use: (group, sub-header).
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Field::Stt => ("STT", ""),
            Field::Code => ("Mã học sinh", ""),
            Field::Name => ("Họ và tên", ""),
            Field::Subject(i, p) => (
                subject(&subject_code(i)).map_or("", |s| s.name),
                part_label(p),
            ),
            Field::Quality(i) => (
                "Phẩm chất",
                quality_name(QualityCode::CODES.get(i).copied().unwrap_or("")),
            ),
            Field::Competency(i) => (
                "Năng lực",
                competency_name(CompetencyCode::CODES.get(i).copied().unwrap_or("")),
            ),
        }
    }
}

fn group_names() -> Vec<(&'static str, Group)> {
    let mut v: Vec<(&'static str, Group)> = vec![
        ("STT", Group::Stt),
        ("TT", Group::Stt),
        ("Số thứ tự", Group::Stt),
        ("Mã học sinh", Group::Code),
        ("Mã HS", Group::Code),
        ("maHocSinh", Group::Code),
        ("Họ và tên", Group::Name),
        ("Họ tên", Group::Name),
        ("Họ và tên học sinh", Group::Name),
        ("hoTen", Group::Name),
        ("hoVaTen", Group::Name),
        ("Phẩm chất", Group::Qualities),
        ("Phẩm chất chủ yếu", Group::Qualities),
        ("phamChat", Group::Qualities),
        ("Năng lực", Group::Competencies),
        ("Năng lực cốt lõi", Group::Competencies),
        ("Năng lực chung", Group::Competencies),
        ("Năng lực đặc thù", Group::Competencies),
        ("nangLuc", Group::Competencies),
    ];
    for s in subjects() {
        let Some(idx) = subject_index(&s.code) else {
            continue;
        };
        let g = Group::Subject(idx);
        v.push((s.name, g));
        v.push((SubjectCode::CODES.get(idx).copied().unwrap_or(""), g));
        // `Nghệ thuật (Âm nhạc)` is also `Âm nhạc`.
        if let Some((_, short)) = s.name.split_once('(') {
            v.push((short.trim_end_matches(')'), g));
        }
    }
    v.extend([
        ("Tiếng dân tộc", Group::Subject(13)),
        ("Ngoại ngữ", Group::Subject(3)),
        ("Lịch sử - Địa lí", Group::Subject(5)),
        ("Lịch sử & Địa lí", Group::Subject(5)),
        ("Hoạt động trải nghiệm, hướng nghiệp", Group::Subject(12)),
    ]);
    v
}

fn part_names() -> Vec<(&'static str, Part)> {
    vec![
        ("Mức đạt", Part::Level),
        ("Mức", Part::Level),
        ("Mức độ", Part::Level),
        ("mucDat", Part::Level),
        ("Điểm", Part::Score),
        ("Điểm KTĐK", Part::Score),
        ("Điểm kiểm tra", Part::Score),
        ("Điểm KT", Part::Score),
        ("diem", Part::Score),
        ("Nhận xét", Part::Comment),
        ("nhanXet", Part::Comment),
        ("Ngôn ngữ", Part::Language),
        ("Tên ngôn ngữ", Part::Language),
        ("tenNgonNgu", Part::Language),
    ]
}

fn quality_names() -> Vec<(&'static str, usize)> {
    QualityCode::CODES
        .iter()
        .enumerate()
        .flat_map(|(i, c)| [(quality_name(c), i), (*c, i)])
        .collect()
}

fn competency_names() -> Vec<(&'static str, usize)> {
    CompetencyCode::CODES
        .iter()
        .enumerate()
        .flat_map(|(i, c)| [(competency_name(c), i), (*c, i)])
        .collect()
}

/// The names the header matcher knows, built once per table.
struct Names {
    groups: NameList<Group>,
    parts: NameList<Part>,
    qualities: NameList<usize>,
    competencies: NameList<usize>,
}

/// Why a header could not be placed.
enum HeaderProblem {
    Unknown,
    Ambiguous,
}

impl Names {
    fn new() -> Self {
        Names {
            groups: NameList::new(group_names()),
            parts: NameList::new(part_names()),
            qualities: NameList::new(quality_names()),
            competencies: NameList::new(competency_names()),
        }
    }

    fn group(&self, text: &str) -> Result<Option<Group>, HeaderProblem> {
        match self.groups.find(text) {
            Match::One(g) => Ok(Some(g)),
            Match::Ambiguous => Err(HeaderProblem::Ambiguous),
            Match::None => Ok(None),
        }
    }

    /// The column of sub-header `sub` in group `group`.
    fn field(&self, group: Group, sub: &str) -> Result<Field, HeaderProblem> {
        let m = |m: Match<Field>| match m {
            Match::One(f) => Ok(f),
            Match::Ambiguous => Err(HeaderProblem::Ambiguous),
            Match::None => Err(HeaderProblem::Unknown),
        };
        match group {
            Group::Stt => Ok(Field::Stt),
            Group::Code => Ok(Field::Code),
            Group::Name => Ok(Field::Name),
            Group::Subject(i) => match self.parts.find(sub) {
                Match::One(Part::Language) if !has_language(i) => Err(HeaderProblem::Unknown),
                other => m(map_match(other, |p| Field::Subject(i, p))),
            },
            Group::Qualities => m(map_match(self.qualities.find(sub), Field::Quality)),
            Group::Competencies => m(map_match(self.competencies.find(sub), Field::Competency)),
        }
    }

    /// True when `text` reads as a sub-header (of a subject, a quality or a competency).
    fn is_sub_header(&self, text: &str) -> bool {
        !matches!(self.parts.find(text), Match::None)
            || !matches!(self.qualities.find(text), Match::None)
            || !matches!(self.competencies.find(text), Match::None)
    }

    /// A one-row header cell: `STT`, `Mã học sinh`, `Toán - Mức đạt`, `Phẩm chất: Yêu nước`,
    /// `Toán/Điểm`, or a wire path `monHoc.TOAN.diem`. `Ok(None)`: a group needing a sub-header.
    fn combined(&self, text: &str) -> Result<Option<Field>, HeaderProblem> {
        let mut problem = HeaderProblem::Unknown;
        match self.group(text) {
            Ok(Some(g @ (Group::Stt | Group::Code | Group::Name))) => {
                return self.field(g, "").map(Some)
            }
            Ok(Some(_)) => return Ok(None),
            Ok(None) => {}
            Err(p) => problem = p,
        }
        // A wire path: `monHoc.TOAN.diem`, `phamChat.YEU_NUOC.mucDat`, `nangLuc.TIN_HOC.mucDat`.
        let dotted: Vec<&str> = text.trim().split('.').collect();
        if let [area, code, part] = dotted[..] {
            let field = match area {
                "monHoc" => match self.group(code) {
                    Ok(Some(g @ Group::Subject(_))) => self.field(g, part).ok(),
                    _ => None,
                },
                "phamChat" if part == "mucDat" => self.field(Group::Qualities, code).ok(),
                "nangLuc" if part == "mucDat" => self.field(Group::Competencies, code).ok(),
                _ => None,
            };
            if let Some(f) = field {
                return Ok(Some(f));
            }
        }
        for sep in [" - ", " – ", ": ", ":", "/", " -", "- ", "-"] {
            // The last separator: names may hold a hyphen (`Lịch sử - Địa lí - Mức đạt`).
            let Some((g, s)) = text.rsplit_once(sep) else {
                continue;
            };
            let (g, s) = (g.trim(), s.trim());
            match self.group(g) {
                Ok(Some(group)) => match self.field(group, s) {
                    Ok(f) => return Ok(Some(f)),
                    Err(p) => problem = p,
                },
                Ok(None) => {}
                Err(p) => problem = p,
            }
        }
        Err(problem)
    }
}

fn map_match<T, U>(m: Match<T>, f: impl FnOnce(T) -> U) -> Match<U> {
    match m {
        Match::One(v) => Match::One(f(v)),
        Match::Ambiguous => Match::Ambiguous,
        Match::None => Match::None,
    }
}

// ---------------------------------------------------------------------------------------------
// Table reading
// ---------------------------------------------------------------------------------------------

/// What the caller knows of a table; what it leaves `None` is taken from the title rows when
/// they say it (`Cuối năm học`, `Lớp: 4A`, `Khối: 4`).
///
/// ```
/// use hocba_core::class::sheet::TableOptions;
/// use hocba_core::model::Period;
/// let o = TableOptions { period: Some(Period::EndOfYear), grade: Some(4), class_name: None };
/// assert_eq!(o.grade, Some(4));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableOptions {
    /// The period of the table.
    pub period: Option<Period>,
    /// The grade (1–5).
    pub grade: Option<u8>,
    /// The class name (`4A`).
    pub class_name: Option<String>,
}

/// Reads a class summary table from a sheet (layout: `docs/class.md`).
///
/// Title rows are skipped: the header is the first row with a cell `Mã học sinh`. The header
/// has two rows (groups, then sub-headers; a blank group cell continues the group to its left)
/// when the next row holds sub-headers and no pupil code, else one row (`Toán - Mức đạt`).
/// Every row with a pupil code is a pupil; blank rows (and rows with only `STT`) are skipped.
/// Values that are not values of their column go to [`TableRow::invalid`].
///
/// ```
/// use hocba_core::class::sheet::{read_csv, read_table, TableOptions};
/// let csv = "BẢNG TỔNG HỢP\nMã học sinh;Họ và tên;Toán;\n;;Mức đạt;Điểm\nHS1;An;t;mười\n";
/// let sheet = read_csv(csv.as_bytes(), "4A.csv").unwrap();
/// let table = read_table(&sheet, &TableOptions::default()).unwrap();
/// let row = &table.rows[0];
/// assert_eq!(row.subjects[0].level.as_ref().map(|l| l.as_str()), Some("T"));
/// assert_eq!(row.invalid[0].field, "monHoc.TOAN.diem");
/// assert_eq!(row.cells["monHoc.TOAN.mucDat"].a1(), "4A.csv!C4");
/// ```
pub fn read_table(sheet: &Sheet, options: &TableOptions) -> Result<ClassTable, SheetError> {
    let names = Names::new();
    let header = find_header(sheet, &names)?;
    let code_col = header.code_col;
    let mut table = ClassTable {
        period: options.period.clone(),
        grade: options.grade,
        class_name: options.class_name.clone(),
        rows: Vec::new(),
    };
    read_title(sheet, header.row, &mut table);

    // Subjects, qualities and competencies with a column, in the order of the lists.
    let mut subject_set: Vec<usize> = Vec::new();
    let mut quality_set: Vec<usize> = Vec::new();
    let mut competency_set: Vec<usize> = Vec::new();
    for (_, f) in &header.columns {
        match *f {
            Field::Subject(i, _) => subject_set.push(i),
            Field::Quality(i) => quality_set.push(i),
            Field::Competency(i) => competency_set.push(i),
            _ => {}
        }
    }
    for v in [&mut subject_set, &mut quality_set, &mut competency_set] {
        v.sort_unstable();
        v.dedup();
    }

    for r in header.first_data..sheet.rows.len() {
        let has_data = header
            .columns
            .iter()
            .any(|(c, f)| *f != Field::Stt && !sheet.cell(r, *c).trim().is_empty());
        if !has_data {
            continue;
        }
        let code = sheet.cell(r, code_col).trim();
        if code.is_empty() {
            return Err(SheetError::at(
                SheetErrorKind::MissingCode,
                sheet.cell_ref(r, code_col),
            ));
        }
        let mut row = TableRow {
            student_code: Text::from(code).into_string(),
            subjects: subject_set
                .iter()
                .map(|i| SubjectResult {
                    code: Some(subject_code(*i)),
                    ..SubjectResult::default()
                })
                .collect(),
            qualities: quality_set
                .iter()
                .map(|i| QualityAssessment {
                    code: Some(QualityCode::parse(
                        QualityCode::CODES.get(*i).copied().unwrap_or(""),
                    )),
                    ..QualityAssessment::default()
                })
                .collect(),
            competencies: competency_set
                .iter()
                .map(|i| CompetencyAssessment {
                    code: Some(CompetencyCode::parse(
                        CompetencyCode::CODES.get(*i).copied().unwrap_or(""),
                    )),
                    ..CompetencyAssessment::default()
                })
                .collect(),
            ..TableRow::default()
        };
        for (c, field) in &header.columns {
            let Some(path) = field.path() else {
                continue;
            };
            let cell = sheet.cell_ref(r, *c);
            let text = sheet.cell(r, *c).trim();
            row.cells.insert(path.clone(), cell.clone());
            if text.is_empty() {
                continue;
            }
            let mut invalid = || {
                row_invalid(&mut row.invalid, &path, text, &cell);
            };
            match *field {
                Field::Stt | Field::Code => {}
                Field::Name => row.full_name = Text::from(text).into_string(),
                Field::Subject(i, part) => {
                    let pos = subject_set.iter().position(|s| *s == i);
                    let Some(result) = pos.and_then(|p| row.subjects.get_mut(p)) else {
                        continue;
                    };
                    match part {
                        Part::Language => result.language_name = Some(Text::from(text)),
                        Part::Comment => result.comment = Some(Text::from(text)),
                        Part::Level => {
                            let level = SubjectLevel::parse(text);
                            if level.is_known() {
                                result.level = Some(level);
                            } else {
                                invalid();
                            }
                        }
                        Part::Score => match Number::parse_decimal(text) {
                            Some(n) => result.score = Some(n),
                            None => invalid(),
                        },
                    }
                }
                Field::Quality(i) => {
                    let pos = quality_set.iter().position(|s| *s == i);
                    let level = ItemLevel::parse(text);
                    match pos.and_then(|p| row.qualities.get_mut(p)) {
                        Some(q) if level.is_known() => q.level = Some(level),
                        _ => invalid(),
                    }
                }
                Field::Competency(i) => {
                    let pos = competency_set.iter().position(|s| *s == i);
                    let level = ItemLevel::parse(text);
                    match pos.and_then(|p| row.competencies.get_mut(p)) {
                        Some(q) if level.is_known() => q.level = Some(level),
                        _ => invalid(),
                    }
                }
            }
        }
        table.rows.push(row);
    }
    Ok(table)
}

fn row_invalid(list: &mut Vec<InvalidCell>, path: &str, text: &str, cell: &CellRef) {
    list.push(InvalidCell {
        field: path.to_owned(),
        text: Text::from(text).into_string(),
        cell: Some(cell.clone()),
    });
}

/// Reads a class summary table from a CSV file (see [`read_csv`] and [`read_table`]).
///
/// ```
/// use hocba_core::class::sheet::read_table_csv;
/// let t = read_table_csv("Mã học sinh\nHS1\nHS2\n".as_bytes(), "4A.csv", &Default::default());
/// assert_eq!(t.unwrap().rows.len(), 2);
/// ```
pub fn read_table_csv(
    bytes: &[u8],
    name: &str,
    options: &TableOptions,
) -> Result<ClassTable, SheetError> {
    read_table(&read_csv(bytes, name)?, options)
}

/// Reads a class summary table from a sheet of an XLSX workbook: the sheet named `sheet`
/// (compared as header names are), or the first.
///
/// ```
/// use hocba_core::class::sheet::{read_table_xlsx, template_xlsx};
/// use hocba_core::model::Period;
/// let book = template_xlsx(4, Period::MidTerm1, Some("4A")).unwrap();
/// let t = read_table_xlsx(&book, None, &Default::default()).unwrap();
/// assert_eq!((t.period, t.grade, t.rows.len()), (Some(Period::MidTerm1), Some(4), 0));
/// assert!(read_table_xlsx(&book, Some("CN"), &Default::default()).is_err());
/// ```
pub fn read_table_xlsx(
    bytes: &[u8],
    sheet: Option<&str>,
    options: &TableOptions,
) -> Result<ClassTable, SheetError> {
    let sheets = read_xlsx(bytes)?;
    let available = || sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    let chosen = match sheet {
        None => sheets.first(),
        Some(name) => sheets.iter().find(|s| s.name == name).or_else(|| {
            sheets
                .iter()
                .find(|s| exact_key(&s.name) == exact_key(name))
        }),
    };
    match chosen {
        Some(s) => read_table(s, options),
        None => Err(SheetError::new(SheetErrorKind::NoSheet {
            name: sheet.map(str::to_owned),
            available: available(),
        })),
    }
}

/// Where the header is and what each column holds.
struct Header {
    row: usize,
    first_data: usize,
    code_col: usize,
    columns: Vec<(usize, Field)>,
}

fn find_header(sheet: &Sheet, names: &Names) -> Result<Header, SheetError> {
    let is_code = |t: &str| matches!(names.group(t), Ok(Some(Group::Code)));
    let found = sheet.rows.iter().enumerate().find_map(|(r, row)| {
        row.iter()
            .position(|c| !c.trim().is_empty() && is_code(c))
            .map(|c| (r, c))
    });
    let Some((h, code_col)) = found else {
        return Err(SheetError::new(SheetErrorKind::NoHeader).in_sheet(&sheet.name));
    };
    let width = sheet.rows.get(h).map_or(0, Vec::len);
    let next = h + 1;
    let two_rows = sheet.cell(next, code_col).trim().is_empty()
        && sheet
            .rows
            .get(next)
            .is_some_and(|row| row.iter().any(|c| names.is_sub_header(c)));
    let width = if two_rows {
        width.max(sheet.rows.get(next).map_or(0, Vec::len))
    } else {
        width
    };
    let problem = |p: HeaderProblem, header: &str, r: usize, c: usize| {
        let header = header.trim().to_owned();
        let kind = match p {
            HeaderProblem::Unknown => SheetErrorKind::UnknownColumn { header },
            HeaderProblem::Ambiguous => SheetErrorKind::AmbiguousColumn { header },
        };
        SheetError::at(kind, sheet.cell_ref(r, c))
    };
    let mut columns: Vec<(usize, Field)> = Vec::new();
    let mut current: Option<Group> = None;
    for c in 0..width {
        let top = sheet.cell(h, c).trim();
        let sub = if two_rows {
            sheet.cell(next, c).trim()
        } else {
            ""
        };
        let field = if !two_rows || sub.is_empty() {
            if top.is_empty() {
                // A blank column; with two header rows, it ends no group (merged cells).
                continue;
            }
            match names.combined(top) {
                Ok(Some(f)) => {
                    current = None;
                    f
                }
                Ok(None) => {
                    // A group whose sub-header is missing.
                    if two_rows {
                        current = names.group(top).ok().flatten();
                        continue;
                    }
                    return Err(problem(HeaderProblem::Unknown, top, h, c));
                }
                Err(p) => return Err(problem(p, top, h, c)),
            }
        } else {
            let group = if top.is_empty() {
                current
            } else {
                match names.group(top) {
                    Ok(Some(g)) => Some(g),
                    Ok(None) => {
                        // `Toán - Mức đạt` over a repeated sub-header still reads.
                        if let Ok(Some(f)) = names.combined(top) {
                            push_column(sheet, &mut columns, c, f, h)?;
                            current = None;
                            continue;
                        }
                        return Err(problem(HeaderProblem::Unknown, top, h, c));
                    }
                    Err(p) => return Err(problem(p, top, h, c)),
                }
            };
            current = group;
            let (header_text, r) = if top.is_empty() {
                (sub, next)
            } else {
                (top, h)
            };
            match group {
                None => return Err(problem(HeaderProblem::Unknown, sub, next, c)),
                Some(g @ (Group::Stt | Group::Code | Group::Name)) => {
                    // A single column with a sub-header repeating its name is fine.
                    if matches!(names.group(sub), Ok(Some(x)) if x == g) {
                        current = None;
                        names
                            .field(g, "")
                            .map_err(|p| problem(p, header_text, r, c))?
                    } else {
                        return Err(problem(HeaderProblem::Unknown, sub, next, c));
                    }
                }
                Some(g) => names.field(g, sub).map_err(|p| problem(p, sub, next, c))?,
            }
        };
        push_column(sheet, &mut columns, c, field, h)?;
    }
    Ok(Header {
        row: h,
        first_data: if two_rows { h + 2 } else { h + 1 },
        code_col,
        columns,
    })
}

fn push_column(
    sheet: &Sheet,
    columns: &mut Vec<(usize, Field)>,
    c: usize,
    field: Field,
    h: usize,
) -> Result<(), SheetError> {
    if let Some((first, _)) = columns.iter().find(|(_, f)| *f == field) {
        let (g, s) = field.labels();
        let header = if s.is_empty() {
            g.to_owned()
        } else {
            format!("{g} - {s}")
        };
        return Err(SheetError::at(
            SheetErrorKind::DuplicateColumn {
                header,
                first: CellRef::column_letters(u32::try_from(*first).unwrap_or(u32::MAX)),
            },
            sheet.cell_ref(h, c),
        ));
    }
    columns.push((c, field));
    Ok(())
}

/// The period, class and grade from the rows above the header, where the caller gave none.
fn read_title(sheet: &Sheet, header_row: usize, table: &mut ClassTable) {
    for row in sheet.rows.iter().take(header_row) {
        for cell in row {
            if cell.trim().is_empty() {
                continue;
            }
            if table.period.is_none() {
                table.period = period_in(cell);
            }
            let words: Vec<&str> = cell.split_whitespace().collect();
            for pair in words.windows(2) {
                let key = loose_key(pair[0].trim_end_matches(':'));
                let value = pair[1].trim_end_matches([',', ';', '.', ')']);
                if !value.starts_with(|c: char| c.is_ascii_digit()) {
                    continue;
                }
                let digit = value.chars().next().and_then(|c| c.to_digit(10));
                let grade = digit
                    .and_then(|d| u8::try_from(d).ok())
                    .filter(|d| (1..=5).contains(d));
                if key == "lop" && table.class_name.is_none() {
                    table.class_name = Some(Text::from(value).into_string());
                    if table.grade.is_none() {
                        table.grade = grade;
                    }
                }
                if key == "khoi" && table.grade.is_none() {
                    table.grade = grade;
                }
            }
        }
    }
}

fn period_in(text: &str) -> Option<Period> {
    let k = loose_key(text);
    let k = format!(" {} ", k.replace(['(', ')', ',', ';', ':', '-'], " "));
    if k.contains("giua hoc ki ii ") || k.contains("giua hk ii ") || k.contains(" ghk2 ") {
        Some(Period::MidTerm2)
    } else if k.contains("giua hoc ki i ") || k.contains("giua hk i ") || k.contains(" ghk1 ") {
        Some(Period::MidTerm1)
    } else if k.contains("cuoi hoc ki ii ") || k.contains("cuoi nam") || k.contains(" cn ") {
        Some(Period::EndOfYear)
    } else if k.contains("cuoi hoc ki i ") || k.contains("cuoi hk i ") || k.contains(" chk1 ") {
        Some(Period::EndOfTerm1)
    } else {
        None
    }
}

fn period_title(p: &Period) -> &'static str {
    match p {
        Period::MidTerm1 => "Giữa học kỳ I",
        Period::EndOfTerm1 => "Cuối học kỳ I",
        Period::MidTerm2 => "Giữa học kỳ II",
        Period::EndOfYear => "Cuối năm học",
        Period::Other(_) => "",
    }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// The columns a writer writes for `table`.
fn layout(table: &ClassTable) -> Vec<Field> {
    let mut fields = vec![Field::Stt, Field::Code, Field::Name];
    let present = |i: usize| {
        let code = subject_code(i);
        table
            .rows
            .iter()
            .any(|r| r.subjects.iter().any(|s| s.code.as_ref() == Some(&code)))
    };
    let invalid_at = |path: &str| {
        table
            .rows
            .iter()
            .any(|r| r.invalid.iter().any(|c| c.field == path))
    };
    for (i, info) in subjects().iter().enumerate() {
        let taught = table.grade.is_some_and(|g| info.taught_in(g));
        if !taught && !present(i) {
            continue;
        }
        if has_language(i) {
            fields.push(Field::Subject(i, Part::Language));
        }
        fields.push(Field::Subject(i, Part::Level));
        let tested = match (&table.period, table.grade) {
            (Some(p), Some(g)) => info.tested_at(p, g),
            _ => false,
        };
        let code = subject_code(i);
        let scored = table.rows.iter().any(|r| {
            r.subjects
                .iter()
                .any(|s| s.code.as_ref() == Some(&code) && s.score.is_some())
        }) || Field::Subject(i, Part::Score)
            .path()
            .is_some_and(|p| invalid_at(&p));
        if tested || scored {
            fields.push(Field::Subject(i, Part::Score));
        }
        fields.push(Field::Subject(i, Part::Comment));
    }
    fields.extend((0..QualityCode::CODES.len()).map(Field::Quality));
    fields.extend((0..CompetencyCode::CODES.len()).map(Field::Competency));
    fields
}

/// A cell's value for writing.
enum Value {
    Blank,
    Number(Number),
    Text(String),
}

fn value_of(row: &TableRow, index: usize, field: Field) -> Value {
    let text = |t: Option<&str>| match t {
        Some(s) if !s.is_empty() => Value::Text(s.to_owned()),
        _ => Value::Blank,
    };
    let value = match field {
        Field::Stt => return Value::Number(Number::Integer(index as i64 + 1)),
        Field::Code => text(Some(&row.student_code)),
        Field::Name => text(Some(&row.full_name)),
        Field::Subject(i, part) => {
            let code = subject_code(i);
            match row.subjects.iter().find(|s| s.code.as_ref() == Some(&code)) {
                None => Value::Blank,
                Some(s) => match part {
                    Part::Language => text(s.language_name.as_deref()),
                    Part::Level => text(s.level.as_ref().map(SubjectLevel::as_str)),
                    Part::Score => s.score.map_or(Value::Blank, Value::Number),
                    Part::Comment => text(s.comment.as_deref()),
                },
            }
        }
        Field::Quality(i) => {
            let code = QualityCode::parse(QualityCode::CODES.get(i).copied().unwrap_or(""));
            text(
                row.qualities
                    .iter()
                    .find(|q| q.code.as_ref() == Some(&code))
                    .and_then(|q| q.level.as_ref())
                    .map(ItemLevel::as_str),
            )
        }
        Field::Competency(i) => {
            let code = CompetencyCode::parse(CompetencyCode::CODES.get(i).copied().unwrap_or(""));
            text(
                row.competencies
                    .iter()
                    .find(|q| q.code.as_ref() == Some(&code))
                    .and_then(|q| q.level.as_ref())
                    .map(ItemLevel::as_str),
            )
        }
    };
    if !matches!(value, Value::Blank) {
        return value;
    }
    // A value that could not be read is written back as it was, so that nothing is lost.
    let path = field.path();
    row.invalid
        .iter()
        .find(|c| Some(&c.field) == path.as_ref())
        .map_or(Value::Blank, |c| Value::Text(c.text.clone()))
}

/// Writes a table as CSV: UTF-8 with a byte-order mark (so that Excel reads the diacritics),
/// `,` as the separator, the title and a line `Lớp: 4A; Khối: 4; Kỳ đánh giá: Cuối năm học (CN)`
/// when any of them is known (so that they read back), one header row (`Toán - Mức đạt`), CRLF
/// line ends (RFC 4180; line
/// breaks inside comments stay `\n`, inside quotes). Fields are quoted when they hold a
/// separator, a quote, a line break or surrounding spaces.
///
/// Columns: `STT`, `Mã học sinh`, `Họ và tên`, then every subject taught in the grade (or, with
/// no grade, present in a row) with `Ngôn ngữ` (NN1, TDT), `Mức đạt`, `Điểm` (when tested at the
/// period in the grade, or when a row has a score) and `Nhận xét`; then the five qualities and
/// the ten competencies. Quality and competency comments are not part of the table.
///
/// ```
/// use hocba_core::class::sheet::write_table_csv;
/// use hocba_core::class::{ClassTable, TableRow};
/// let t = ClassTable { grade: Some(1), rows: vec![TableRow {
///     student_code: "HS1".into(), full_name: "Hà, An".into(), ..Default::default() }],
///     ..Default::default() };
/// let csv = String::from_utf8(write_table_csv(&t)).unwrap();
/// assert!(csv.starts_with("\u{feff}BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC\r\nKhối: 1\r\n"));
/// assert!(csv.contains("\r\nSTT,Mã học sinh,Họ và tên,Tiếng Việt - Mức đạt,"));
/// assert!(csv.contains("\r\n1,HS1,\"Hà, An\","));
/// ```
pub fn write_table_csv(table: &ClassTable) -> Vec<u8> {
    let fields = layout(table);
    let mut out = String::from("\u{feff}");
    // The title lines, as in the workbook: the class, grade and period read back from them.
    if let Some(line) = title_line(table) {
        push_csv_line(
            &mut out,
            ["BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC"].into_iter(),
        );
        push_csv_line(&mut out, [line.as_str()].into_iter());
    }
    let header: Vec<String> = fields
        .iter()
        .map(|f| match f.labels() {
            (g, "") => g.to_owned(),
            (g, s) => format!("{g} - {s}"),
        })
        .collect();
    push_csv_line(&mut out, header.iter().map(String::as_str));
    for (i, row) in table.rows.iter().enumerate() {
        let values: Vec<String> = fields
            .iter()
            .map(|f| match value_of(row, i, *f) {
                Value::Blank => String::new(),
                Value::Number(n) => n.to_string(),
                Value::Text(t) => t,
            })
            .collect();
        push_csv_line(&mut out, values.iter().map(String::as_str));
    }
    out.into_bytes()
}

/// The line under the title: `Lớp: 4A; Khối: 4; Kỳ đánh giá: Cuối năm học (CN)` (what is
/// known of it), which [`read_table`] reads back.
fn title_line(table: &ClassTable) -> Option<String> {
    let mut line = Vec::new();
    if let Some(c) = &table.class_name {
        line.push(format!("Lớp: {c}"));
    }
    if let Some(g) = table.grade {
        line.push(format!("Khối: {g}"));
    }
    if let Some(p) = table.period.as_ref().filter(|p| p.is_known()) {
        line.push(format!("Kỳ đánh giá: {} ({})", period_title(p), p.as_str()));
    }
    (!line.is_empty()).then(|| line.join("; "))
}

fn push_csv_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let quote =
            f.contains([',', ';', '\t', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ');
        if quote {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

/// The fixed creation date written into every workbook, so that output is reproducible.
const FIXED_YEAR: u16 = 2020;

/// Writes a table as an XLSX workbook of one sheet, named after the period (`CN`; `Bang` when
/// the period is unknown): the title `BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC`, a line with the
/// class, grade and period, the two-row header (groups merged across their columns), then one
/// row per pupil. Scores are numbers, everything else text. Columns as [`write_table_csv`].
///
/// The output is deterministic: the same table gives the same bytes.
///
/// ```
/// use hocba_core::class::sheet::{read_table_xlsx, write_table_xlsx};
/// use hocba_core::class::{ClassTable, TableRow};
/// use hocba_core::model::Period;
/// let t = ClassTable { period: Some(Period::EndOfYear), grade: Some(4), class_name: Some("4A".into()),
///     rows: vec![TableRow { student_code: "HS1".into(), full_name: "An".into(), ..Default::default() }] };
/// let book = write_table_xlsx(&t).unwrap();
/// assert_eq!(book, write_table_xlsx(&t).unwrap());
/// let back = read_table_xlsx(&book, Some("CN"), &Default::default()).unwrap();
/// assert_eq!((back.rows[0].full_name.as_str(), back.grade), ("An", Some(4)));
/// ```
pub fn write_table_xlsx(table: &ClassTable) -> Result<Vec<u8>, SheetError> {
    workbook(table, 0)
}

/// An empty workbook to fill in for a class at a period: the layout of [`write_table_xlsx`] for
/// the grade's subjects, 40 numbered empty rows, and lists (`T`/`H`/`C`, `T`/`Đ`/`C`) and a whole
/// number 0–10 check on the cells where the spreadsheet program offers them.
///
/// ```
/// use hocba_core::class::sheet::{read_table_xlsx, template_xlsx};
/// use hocba_core::model::Period;
/// let book = template_xlsx(5, Period::EndOfYear, None).unwrap();
/// assert!(read_table_xlsx(&book, None, &Default::default()).unwrap().rows.is_empty());
/// assert!(template_xlsx(6, Period::EndOfYear, None).is_err());
/// ```
pub fn template_xlsx(
    grade: u8,
    period: Period,
    class_name: Option<&str>,
) -> Result<Vec<u8>, SheetError> {
    if !(1..=5).contains(&grade) || !period.is_known() {
        return Err(SheetError::unwritable(
            "the grade must be 1–5 and the period GHK1, CHK1, GHK2 or CN",
        ));
    }
    let table = ClassTable {
        period: Some(period),
        grade: Some(grade),
        class_name: class_name.map(str::to_owned),
        rows: Vec::new(),
    };
    workbook(&table, 40)
}

const HEADER_ROW: u32 = 3;
const FIRST_DATA_ROW: u32 = 5;

fn workbook(table: &ClassTable, empty_rows: usize) -> Result<Vec<u8>, SheetError> {
    use rust_xlsxwriter::{
        DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
        FormatBorder, Workbook,
    };
    let fields = layout(table);
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(FIXED_YEAR, 1, 1).map_err(SheetError::unwritable)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC")
            .set_creation_datetime(&created),
    );
    let sheet = book.add_worksheet();
    let name = match &table.period {
        Some(p) if p.is_known() => p.as_str().to_owned(),
        _ => "Bang".to_owned(),
    };
    sheet.set_name(name).map_err(SheetError::unwritable)?;

    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let text = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("@");
    let comment = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("@")
        .set_text_wrap();
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let code_fmt = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("@")
        .set_align(FormatAlign::Center);

    sheet
        .write_string_with_format(0, 0, "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC", &title)
        .map_err(SheetError::unwritable)?;
    if let Some(line) = title_line(table) {
        sheet
            .write_string(1, 0, line)
            .map_err(SheetError::unwritable)?;
    }

    // The header: single columns merged over the two rows, groups merged across.
    let sub_row = HEADER_ROW + 1;
    let mut c = 0usize;
    while c < fields.len() {
        let (group, sub) = fields[c].labels();
        let col = u16::try_from(c).map_err(SheetError::unwritable)?;
        if sub.is_empty() {
            sheet
                .merge_range(HEADER_ROW, col, sub_row, col, group, &head)
                .map_err(SheetError::unwritable)?;
            c += 1;
            continue;
        }
        let mut end = c;
        while end + 1 < fields.len() && fields[end + 1].labels().0 == group {
            end += 1;
        }
        let end_col = u16::try_from(end).map_err(SheetError::unwritable)?;
        if end_col > col {
            sheet
                .merge_range(HEADER_ROW, col, HEADER_ROW, end_col, group, &head)
                .map_err(SheetError::unwritable)?;
        } else {
            sheet
                .write_string_with_format(HEADER_ROW, col, group, &head)
                .map_err(SheetError::unwritable)?;
        }
        for (k, f) in fields.iter().enumerate().take(end + 1).skip(c) {
            let kc = u16::try_from(k).map_err(SheetError::unwritable)?;
            sheet
                .write_string_with_format(sub_row, kc, f.labels().1, &head)
                .map_err(SheetError::unwritable)?;
        }
        c = end + 1;
    }

    let rows = table.rows.len().max(empty_rows);
    for r in 0..rows {
        let xr = FIRST_DATA_ROW + u32::try_from(r).map_err(SheetError::unwritable)?;
        let row = table.rows.get(r);
        for (k, f) in fields.iter().enumerate() {
            let xc = u16::try_from(k).map_err(SheetError::unwritable)?;
            let value = match row {
                Some(row) => value_of(row, r, *f),
                None if *f == Field::Stt => Value::Number(Number::Integer(r as i64 + 1)),
                None => Value::Blank,
            };
            let fmt = match f {
                Field::Stt => &number,
                Field::Code => &code_fmt,
                Field::Subject(_, Part::Comment) => &comment,
                Field::Subject(_, Part::Score) => &number,
                Field::Subject(_, Part::Level) | Field::Quality(_) | Field::Competency(_) => {
                    &code_fmt
                }
                _ => &text,
            };
            match value {
                Value::Blank => sheet.write_blank(xr, xc, fmt),
                Value::Number(n) => sheet.write_number_with_format(xr, xc, n.as_f64(), fmt),
                Value::Text(t) => sheet.write_string_with_format(xr, xc, t, fmt),
            }
            .map_err(SheetError::unwritable)?;
        }
    }

    for (k, f) in fields.iter().enumerate() {
        let xc = u16::try_from(k).map_err(SheetError::unwritable)?;
        let width = match f {
            Field::Stt => 5.0,
            Field::Code => 14.0,
            Field::Name => 26.0,
            Field::Subject(_, Part::Comment) => 30.0,
            Field::Subject(_, Part::Language) => 12.0,
            Field::Subject(..) => 8.0,
            Field::Quality(_) | Field::Competency(_) => 11.0,
        };
        sheet
            .set_column_width(xc, width)
            .map_err(SheetError::unwritable)?;
    }
    sheet
        .set_freeze_panes(FIRST_DATA_ROW, 3)
        .map_err(SheetError::unwritable)?;

    if rows > 0 {
        let last = FIRST_DATA_ROW + u32::try_from(rows - 1).map_err(SheetError::unwritable)?;
        let subject_levels = DataValidation::new()
            .allow_list_strings(&["T", "H", "C"])
            .map_err(SheetError::unwritable)?;
        let item_levels = DataValidation::new()
            .allow_list_strings(&["T", "Đ", "C"])
            .map_err(SheetError::unwritable)?;
        let scores = DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 10));
        for (k, f) in fields.iter().enumerate() {
            let xc = u16::try_from(k).map_err(SheetError::unwritable)?;
            let dv = match f {
                Field::Subject(_, Part::Level) => &subject_levels,
                Field::Subject(_, Part::Score) => &scores,
                Field::Quality(_) | Field::Competency(_) => &item_levels,
                _ => continue,
            };
            sheet
                .add_data_validation(FIRST_DATA_ROW, xc, last, xc, dv)
                .map_err(SheetError::unwritable)?;
        }
    }
    book.save_to_buffer().map_err(SheetError::unwritable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_spelling_variants() {
        assert_eq!(exact_key("  Mỹ   thuật "), exact_key("Mĩ thuật"));
        assert_eq!(exact_key("Địa lý"), exact_key("địa lí"));
        assert_eq!(loose_key("Hoà"), loose_key("Hòa"));
        assert_eq!(loose_key("Đạo đức"), "dao duc");
    }

    #[test]
    fn names_match_short_and_loose_forms() {
        let n = Names::new();
        let g = |t: &str| match n.group(t) {
            Ok(Some(Group::Subject(i))) => SubjectCode::CODES[i],
            _ => "?",
        };
        assert_eq!(g("Âm nhạc"), "AN");
        assert_eq!(g("Mỹ thuật"), "MT");
        assert_eq!(g("Lịch sử và Địa lý"), "LSDL");
        assert_eq!(g("TIN HOC"), "TIN");
        assert_eq!(g("Tiếng dân tộc"), "TDT");
        assert!(matches!(
            n.combined("Toan - Muc dat"),
            Ok(Some(Field::Subject(1, Part::Level)))
        ));
        assert!(matches!(
            n.combined("monHoc.TOAN.diem"),
            Ok(Some(Field::Subject(1, Part::Score)))
        ));
        assert!(n.combined("Toán - Ngôn ngữ").is_err());
        assert!(matches!(
            n.combined("Năng lực: Khoa học"),
            Ok(Some(Field::Competency(5)))
        ));
    }

    #[test]
    fn periods_from_titles() {
        assert_eq!(period_in("Giữa học kỳ II"), Some(Period::MidTerm2));
        assert_eq!(period_in("GIỮA HỌC KỲ I"), Some(Period::MidTerm1));
        assert_eq!(
            period_in("Cuối học kì I năm học 2024-2025"),
            Some(Period::EndOfTerm1)
        );
        assert_eq!(period_in("Cuối năm học"), Some(Period::EndOfYear));
        assert_eq!(period_in("Danh sách"), None);
    }

    #[test]
    fn declared_sizes_of_zip_members() {
        let book = template_xlsx(2, Period::MidTerm1, None).expect("template");
        let size = declared_unpacked_size(&book);
        assert!(size > 1000 && size < 1_000_000, "{size}");
        assert_eq!(declared_unpacked_size(b"PK\x05\x06"), 0);
        // A directory that declares a 4 GB member is refused before it is unpacked.
        let mut bomb = book.clone();
        let cd = (0..bomb.len())
            .find(|i| bomb.get(*i..*i + 4) == Some(b"PK\x01\x02"))
            .expect("central directory");
        bomb[cd + 24..cd + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let err = read_xlsx(&bomb).expect_err("bomb");
        assert_eq!(
            err.kind,
            SheetErrorKind::TooLarge {
                limit: Limit::Unpacked
            }
        );
    }

    #[test]
    fn numbers_render_without_trailing_zero() {
        assert_eq!(number_text(8.0), "8");
        assert_eq!(number_text(8.5), "8.5");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn csv_rows_keep_spreadsheet_numbering() {
        let s = read_csv(b"a\n\n\"x\ny\",b\nc\n", "t").expect("csv");
        let t = read_csv(b"a\r\n\r\n\r\nb\r\n\"\r\n\",c\r\nd", "t").expect("csv");
        let expected: [&[&str]; 6] = [&["a"], &[], &[], &["b"], &["\r\n", "c"], &["d"]];
        assert_eq!(t.rows, expected);
        assert_eq!(s.rows.len(), 4);
        assert_eq!(s.rows[2], ["x\ny", "b"]);
        assert_eq!(s.rows[3], ["c"]);
        assert!(s.rows[1].is_empty());
    }
}
