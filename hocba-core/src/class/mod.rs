//! The class workflow: from the class summary table (*bảng tổng hợp kết quả đánh giá giáo dục
//! của lớp*) of each period to each pupil's record, with teaching assignments, period locks and
//! the hash-chained audit trail.
//!
//! - [`table`]: one class's table for one period ([`ClassTable`]), as read from or written to a
//!   spreadsheet, with the position of every cell;
//! - [`sheet`]: CSV and XLSX import and export of tables, tolerant of what spreadsheets do;
//! - [`check`]: the checks of one table (finding codes of `rules.md` plus the `table_*` codes);
//! - [`build`]: each pupil's school year (`NamHoc`) from the four period tables and the pupil list;
//! - [`rights`]: who may enter, change, lock and unlock what; changes applied to a record with
//!   their audit entry.
//!
//! Findings about a table use paths `lop.<maHocSinh>.<ky>.<field>` (for example
//! `lop.HS001.CN.monHoc.TOAN.diem`) and carry the sheet, row and column in their `context`.
//!
//! The column layout is documented in `docs/class.md`.

pub mod build;
pub mod check;
pub mod files;
pub mod rights;
pub mod sheet;
pub mod table;

pub use table::{CellRef, ClassTable, TableRow};
