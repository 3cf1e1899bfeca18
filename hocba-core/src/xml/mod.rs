//! Record format v1 in XML: a strict reader and the canonical writer.
//!
//! The reader accepts child elements in any order, `D` for `Đ` and case variants of the fixed
//! values, normalises text to NFC, and refuses DTDs, entities other than the five predefined
//! ones, unknown elements and attributes, and inputs over [`ReadOptions::max_bytes`]. Its errors
//! carry the line and column and say what was expected.

mod lex;
pub mod names;
mod read;
mod write;

pub use read::{from_slice, from_slice_with, ReadOptions, DEFAULT_MAX_BYTES};
pub use write::{to_string, to_vec};
