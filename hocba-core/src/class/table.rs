//! One class's summary table for one period.

use std::collections::BTreeMap;

use crate::model::Period;
use crate::model::{CompetencyAssessment, QualityAssessment, SubjectResult};

/// Where a value came from in a spreadsheet: the sheet (the file name for CSV), the 1-based row
/// and the column letters (`A`, `B`, …, `AA`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// The sheet's name (for CSV: the file name, or `csv` when read from memory).
    pub sheet: String,
    /// The row, counted from 1 as spreadsheets show it.
    pub row: u32,
    /// The column letters, as spreadsheets show them.
    pub column: String,
}

impl CellRef {
    /// `Sheet1!C7`, as spreadsheets write a reference.
    pub fn a1(&self) -> String {
        format!("{}!{}{}", self.sheet, self.column, self.row)
    }

    /// The column letters of a 0-based column index (`0` → `A`, `26` → `AA`).
    pub fn column_letters(index: u32) -> String {
        let mut n = u64::from(index) + 1;
        let mut letters = Vec::new();
        while n > 0 {
            let rem = ((n - 1) % 26) as u8;
            letters.push(char::from(b'A' + rem));
            n = (n - 1) / 26;
        }
        letters.iter().rev().collect()
    }
}

/// The class summary table of one class for one period: one row per pupil.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassTable {
    /// The period (`GHK1`, `CHK1`, `GHK2`, `CN`), when known (from the caller, or the title).
    pub period: Option<Period>,
    /// The grade (1–5), when known.
    pub grade: Option<u8>,
    /// The class name (`4A`), when known.
    pub class_name: Option<String>,
    /// The pupils, in the order of the table.
    pub rows: Vec<TableRow>,
}

/// One pupil's row of a class summary table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRow {
    /// Mã học sinh — the pupil's code (`maHocSinh`), the key that joins tables and the pupil list.
    pub student_code: String,
    /// Họ và tên — the pupil's full name as written in the table.
    pub full_name: String,
    /// Môn học — one entry per subject column group, in the order of `domain.md`; `level`,
    /// `score` and `comment` left `None` for blank cells.
    pub subjects: Vec<SubjectResult>,
    /// Phẩm chất — the qualities, in the order of `format.md`.
    pub qualities: Vec<QualityAssessment>,
    /// Năng lực — the competencies, in the order of `format.md`.
    pub competencies: Vec<CompetencyAssessment>,
    /// Cells whose text could not be read as the column's kind of value (a level that is not
    /// `T`/`H`/`C`, a score that is not a number…): kept here, reported by the checks.
    pub invalid: Vec<InvalidCell>,
    /// Where each value came from, by its path inside the row (`monHoc.TOAN.diem`,
    /// `phamChat.YEU_NUOC.mucDat`, `hoTen`, `maHocSinh`); empty for tables built in memory.
    pub cells: BTreeMap<String, CellRef>,
}

/// A cell whose text is not a value of its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCell {
    /// The path inside the row (`monHoc.TOAN.diem`).
    pub field: String,
    /// The cell's text, as read.
    pub text: String,
    /// Where it is.
    pub cell: Option<CellRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(CellRef::column_letters(0), "A");
        assert_eq!(CellRef::column_letters(25), "Z");
        assert_eq!(CellRef::column_letters(26), "AA");
        assert_eq!(CellRef::column_letters(701), "ZZ");
        assert_eq!(CellRef::column_letters(702), "AAA");
    }
}
