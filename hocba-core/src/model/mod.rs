//! The record (Học bạ) of format v1: serde and JSON Schema types, no I/O and no rules.
//!
//! Every field a clerk may leave out or mistype is kept as read: required fields are `Option`s
//! (a missing one is reported as `field_missing` by the rules, not refused by the reader), codes
//! are [code lists](values) that keep unknown values, dates and numbers keep what was written.
//! Wire names (Vietnamese camelCase, `format.md`) are given by serde renames; Rust names are
//! English with the Vietnamese term in the doc comment.
//!
//! ```
//! use hocba_core::model::{Record, SubjectCode};
//! let xml = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
//! let record = hocba_core::xml::from_slice(&xml).unwrap();
//! let year = &record.years[0];
//! assert_eq!(year.grade.and_then(|g| g.as_integer()), Some(3));
//! assert_eq!(year.subjects[1].code, Some(SubjectCode::Mathematics));
//! ```

mod values;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) use values::{is_xml_char, plain_text, trim};
pub use values::{
    normalize_text, AuditAction, AuditRole, CalendarDate, CodeList, CommendationKind,
    CompetencyCode, Date, Instant, ItemLevel, Number, Period, PhotoFormat, QualityCode, SchoolKind,
    SchoolYearLabel, Sex, SignerTitle, SubjectCode, SubjectLevel, Text, TextError, Timestamp,
    YearResult,
};

/// Adds `required` (the wire names of a type's required members) to a generated JSON Schema.
///
/// The Rust types hold missing fields (so the rules can report them); the schema says what a
/// complete record has.
fn require(names: &'static [&'static str]) -> impl FnMut(&mut schemars::Schema) {
    move |schema: &mut schemars::Schema| {
        schema.insert("required".to_owned(), serde_json::json!(names));
    }
}

// The required members of each entity (`format.md`, "req." column), by wire name.
const REQ_HOC_BA: &[&str] = &[
    "phienBan",
    "maDinhDanhHocBa",
    "hocSinh",
    "truong",
    "quaTrinhHocTap",
    "namHoc",
];
const REQ_HOC_SINH: &[&str] = &[
    "hoVaTen",
    "gioiTinh",
    "ngaySinh",
    "danToc",
    "quocTich",
    "noiSinh",
    "queQuan",
    "noiOHienNay",
    "hoTenCha",
    "hoTenMe",
    "nguoiGiamHo",
    "soDinhDanh",
    "maHocSinh",
    "anh",
];
const REQ_ANH: &[&str] = &["dinhDang", "duLieu"];
const REQ_TRUONG: &[&str] = &["maTruong", "tenTruong", "xaPhuong", "tinhThanh", "loaiHinh"];
const REQ_QUA_TRINH: &[&str] = &["namHoc", "lop", "tenTruong", "soDangBo", "ngayNhapHoc"];
const REQ_NAM_HOC: &[&str] = &[
    "namHoc",
    "khoi",
    "lop",
    "giaoVienChuNhiem",
    "hieuTruong",
    "chucVuNguoiKy",
    "hoanThanhChuongTrinhLop",
    "lenLop",
    "diaDanh",
    "ngayXacNhan",
];
const REQ_MON_HOC: &[&str] = &["ma", "mucDat"];
const REQ_MUC_DANH_GIA_PHAM_CHAT: &[&str] = &["ma", "mucDat"];
const REQ_MUC_DANH_GIA_NANG_LUC: &[&str] = &["ma", "mucDat"];
const REQ_KHEN_THUONG: &[&str] = &["loai", "noiDung"];
const REQ_DANH_GIA_BO_SUNG: &[&str] = &["ngay", "monHoc"];
const REQ_DINH_KY: &[&str] = &["ky"];
const REQ_NHAT_KY: &[&str] = &[
    "thoiDiem",
    "nguoiThucHien",
    "vaiTro",
    "hanhDong",
    "duongDan",
    "bam",
];

/// `phienBan` — the format version; only `1` exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FormatVersion {
    /// Format v1 (`phienBan="1"`).
    #[default]
    V1,
}

impl FormatVersion {
    /// The number written on the wire.
    pub fn number(self) -> u32 {
        1
    }
}

impl Serialize for FormatVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.number())
    }
}

impl<'de> Deserialize<'de> for FormatVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(d)?;
        if v == 1 {
            Ok(FormatVersion::V1)
        } else {
            Err(serde::de::Error::custom(format_args!(
                "unsupported format version {v} (this library reads phienBan 1)"
            )))
        }
    }
}

impl JsonSchema for FormatVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FormatVersion".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "const": 1 })
    }
}

/// Học bạ — the record of one pupil at one school.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "HocBa",
    title = "Học bạ số cấp Tiểu học — format v1",
    transform = require(REQ_HOC_BA)
)]
pub struct Record {
    /// Phiên bản — format version (always 1).
    #[serde(rename = "phienBan")]
    pub format_version: FormatVersion,
    /// Mã định danh học bạ — record identifier (1–64 characters).
    #[serde(
        rename = "maDinhDanhHocBa",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 64))]
    pub record_id: Option<Text>,
    /// Học sinh — the pupil.
    #[serde(rename = "hocSinh", default, skip_serializing_if = "Option::is_none")]
    pub pupil: Option<Pupil>,
    /// Trường — the school issuing this record.
    #[serde(rename = "truong", default, skip_serializing_if = "Option::is_none")]
    pub school: Option<School>,
    /// Quá trình học tập — learning history rows, oldest first (1–10).
    #[serde(
        rename = "quaTrinhHocTap",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(length(min = 1, max = 10))]
    pub history: Vec<HistoryRow>,
    /// Năm học — one entry per school year (1–10).
    #[serde(rename = "namHoc", default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1, max = 10))]
    pub years: Vec<SchoolYear>,
    /// Nhật ký — audit trail.
    #[serde(rename = "nhatKy", default, skip_serializing_if = "Vec::is_empty")]
    pub audit: Vec<AuditEntry>,
}

/// Học sinh — the pupil.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "HocSinh",
    transform = require(REQ_HOC_SINH)
)]
pub struct Pupil {
    /// Họ và tên — full name as on the birth certificate.
    #[serde(rename = "hoVaTen", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 150))]
    pub full_name: Option<Text>,
    /// Giới tính — sex.
    #[serde(rename = "gioiTinh", default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Ngày sinh — date of birth.
    #[serde(rename = "ngaySinh", default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Date>,
    /// Dân tộc — ethnicity code `01`–`55` (General Statistics Office list).
    #[serde(rename = "danToc", default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^(0[1-9]|[1-4][0-9]|5[0-5])$"))]
    pub ethnicity: Option<Text>,
    /// Quốc tịch — nationality, ISO 3166-1 alpha-2 (`VN`).
    #[serde(rename = "quocTich", default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub nationality: Option<Text>,
    /// Nơi sinh — place of birth.
    #[serde(rename = "noiSinh", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub place_of_birth: Option<Text>,
    /// Quê quán — hometown.
    #[serde(rename = "queQuan", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub hometown: Option<Text>,
    /// Nơi ở hiện nay — current address.
    #[serde(
        rename = "noiOHienNay",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 255))]
    pub current_address: Option<Text>,
    /// Họ tên cha — father's name, or `không`.
    #[serde(rename = "hoTenCha", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 150))]
    pub father_name: Option<Text>,
    /// Họ tên mẹ — mother's name, or `không`.
    #[serde(rename = "hoTenMe", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 150))]
    pub mother_name: Option<Text>,
    /// Người giám hộ — guardian's name, or `không`.
    #[serde(
        rename = "nguoiGiamHo",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 150))]
    pub guardian_name: Option<Text>,
    /// Số định danh cá nhân — personal identification number (12 digits; `không` for a foreigner).
    #[serde(
        rename = "soDinhDanh",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(regex(pattern = r"^([0-9]{12}|không)$"))]
    pub personal_id: Option<Text>,
    /// Mã học sinh — sector student code (1–20 characters).
    #[serde(rename = "maHocSinh", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 20))]
    pub student_code: Option<Text>,
    /// Ảnh — portrait photo (3×4).
    #[serde(rename = "anh", default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
}

/// Ảnh — a portrait photo.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Anh", transform = require(REQ_ANH))]
pub struct Photo {
    /// Định dạng — media type, `image/jpeg` or `image/png`.
    #[serde(rename = "dinhDang", default, skip_serializing_if = "Option::is_none")]
    pub format: Option<PhotoFormat>,
    /// Dữ liệu — the image, base64 on one line.
    #[serde(rename = "duLieu", default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9+/]*={0,2}$"))]
    pub data: Option<Text>,
}

/// Trường — the school.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Truong",
    transform = require(REQ_TRUONG)
)]
pub struct School {
    /// Mã trường — school code (1–20 characters).
    #[serde(rename = "maTruong", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 20))]
    pub code: Option<Text>,
    /// Tên trường — school name.
    #[serde(rename = "tenTruong", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub name: Option<Text>,
    /// Xã/phường — commune or ward.
    #[serde(rename = "xaPhuong", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub commune: Option<Text>,
    /// Tỉnh/thành phố — province or city.
    #[serde(rename = "tinhThanh", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub province: Option<Text>,
    /// Quận/huyện — district (abolished in 2025; present on older records).
    #[serde(rename = "quanHuyen", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub district: Option<Text>,
    /// Loại hình — public, community or private.
    #[serde(rename = "loaiHinh", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SchoolKind>,
}

/// Quá trình học tập — one row of the learning history.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "QuaTrinh",
    transform = require(REQ_QUA_TRINH)
)]
pub struct HistoryRow {
    /// Năm học — school year `YYYY-YYYY`.
    #[serde(rename = "namHoc", default, skip_serializing_if = "Option::is_none")]
    pub school_year: Option<SchoolYearLabel>,
    /// Lớp — class name (1–20 characters).
    #[serde(rename = "lop", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 20))]
    pub class_name: Option<Text>,
    /// Tên trường — school name.
    #[serde(rename = "tenTruong", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub school_name: Option<Text>,
    /// Số đăng bộ — registration number.
    #[serde(rename = "soDangBo", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub registration_number: Option<Text>,
    /// Ngày nhập học — date of enrolment or transfer.
    #[serde(
        rename = "ngayNhapHoc",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub enrolment_date: Option<Date>,
}

/// Năm học — one school year of the record (the year page).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "NamHoc",
    transform = require(REQ_NAM_HOC)
)]
pub struct SchoolYear {
    /// Năm học — school year `YYYY-YYYY`; second year = first + 1.
    #[serde(rename = "namHoc", default, skip_serializing_if = "Option::is_none")]
    pub school_year: Option<SchoolYearLabel>,
    /// Khối — grade (1–5).
    #[serde(rename = "khoi", default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 5))]
    pub grade: Option<Number>,
    /// Lớp — class name; a leading digit is the grade.
    #[serde(rename = "lop", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 20))]
    pub class_name: Option<Text>,
    /// Giáo viên chủ nhiệm — homeroom teacher's full name.
    #[serde(
        rename = "giaoVienChuNhiem",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 150))]
    pub homeroom_teacher: Option<Text>,
    /// Hiệu trưởng — name of the school leader who signs.
    #[serde(
        rename = "hieuTruong",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 150))]
    pub principal: Option<Text>,
    /// Chức vụ người ký — title of that leader.
    #[serde(
        rename = "chucVuNguoiKy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub signer_title: Option<SignerTitle>,
    /// Không đánh giá — exempt from assessment (disability, individual plan).
    #[serde(rename = "khongDanhGia", default, skip_serializing_if = "is_false")]
    pub exempt: bool,
    /// Môn học và hoạt động giáo dục — end-of-year result per subject or activity.
    #[serde(rename = "monHoc", default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<SubjectResult>,
    /// Phẩm chất — the 5 qualities.
    #[serde(rename = "phamChat", default, skip_serializing_if = "Vec::is_empty")]
    pub qualities: Vec<QualityAssessment>,
    /// Năng lực — the 10 competencies.
    #[serde(rename = "nangLuc", default, skip_serializing_if = "Vec::is_empty")]
    pub competencies: Vec<CompetencyAssessment>,
    /// Kết quả — the year-end result as entered (final, after any re-assessment).
    #[serde(rename = "ketQua", default, skip_serializing_if = "Option::is_none")]
    pub result: Option<YearResult>,
    /// Đánh giá bổ sung — supplementary (summer) re-assessment.
    #[serde(
        rename = "danhGiaBoSung",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub supplementary: Option<SupplementaryAssessment>,
    /// Khen thưởng — commendations.
    #[serde(rename = "khenThuong", default, skip_serializing_if = "Vec::is_empty")]
    pub commendations: Vec<Commendation>,
    /// Hoàn thành chương trình lớp — completed the grade's programme (final).
    #[serde(
        rename = "hoanThanhChuongTrinhLop",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_grade: Option<bool>,
    /// Lên lớp — promoted (final).
    #[serde(rename = "lenLop", default, skip_serializing_if = "Option::is_none")]
    pub promoted: Option<bool>,
    /// Hoàn thành chương trình tiểu học — completed primary school (grade 5 only).
    #[serde(
        rename = "hoanThanhChuongTrinhTieuHoc",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_primary: Option<bool>,
    /// Định kỳ — period results from the class summary table.
    #[serde(rename = "dinhKy", default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodResult>,
    /// Địa danh — place name printed before the date.
    #[serde(rename = "diaDanh", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub place_name: Option<Text>,
    /// Ngày xác nhận — date of the year page.
    #[serde(
        rename = "ngayXacNhan",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub confirmation_date: Option<Date>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Môn học — the result of one subject or activity.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MonHoc", transform = require(REQ_MON_HOC))]
pub struct SubjectResult {
    /// Mã — subject code.
    #[serde(rename = "ma", default, skip_serializing_if = "Option::is_none")]
    pub code: Option<SubjectCode>,
    /// Tên ngôn ngữ — the language (NN1 and TDT only).
    #[serde(
        rename = "tenNgonNgu",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 255))]
    pub language_name: Option<Text>,
    /// Mức đạt — level.
    #[serde(rename = "mucDat", default, skip_serializing_if = "Option::is_none")]
    pub level: Option<SubjectLevel>,
    /// Điểm — test score (whole number 0–10) for subjects tested in that grade.
    #[serde(rename = "diem", default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 10))]
    pub score: Option<Number>,
    /// Nhận xét — comment.
    #[serde(rename = "nhanXet", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 1000))]
    pub comment: Option<Text>,
}

/// Mức đánh giá phẩm chất — the assessment of one quality.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MucDanhGiaPhamChat", transform = require(REQ_MUC_DANH_GIA_PHAM_CHAT))]
pub struct QualityAssessment {
    /// Mã — quality code.
    #[serde(rename = "ma", default, skip_serializing_if = "Option::is_none")]
    pub code: Option<QualityCode>,
    /// Mức đạt — level.
    #[serde(rename = "mucDat", default, skip_serializing_if = "Option::is_none")]
    pub level: Option<ItemLevel>,
    /// Nhận xét — comment.
    #[serde(rename = "nhanXet", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 1000))]
    pub comment: Option<Text>,
}

/// Mức đánh giá năng lực — the assessment of one competency.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MucDanhGiaNangLuc", transform = require(REQ_MUC_DANH_GIA_NANG_LUC))]
pub struct CompetencyAssessment {
    /// Mã — competency code.
    #[serde(rename = "ma", default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CompetencyCode>,
    /// Mức đạt — level.
    #[serde(rename = "mucDat", default, skip_serializing_if = "Option::is_none")]
    pub level: Option<ItemLevel>,
    /// Nhận xét — comment.
    #[serde(rename = "nhanXet", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 1000))]
    pub comment: Option<Text>,
}

/// Khen thưởng — a commendation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "KhenThuong", transform = require(REQ_KHEN_THUONG))]
pub struct Commendation {
    /// Loại — kind.
    #[serde(rename = "loai", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CommendationKind>,
    /// Nội dung — text of the commendation.
    #[serde(rename = "noiDung", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 1000))]
    pub content: Option<Text>,
}

/// Đánh giá bổ sung — the supplementary (summer) re-assessment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DanhGiaBoSung", transform = require(REQ_DANH_GIA_BO_SUNG))]
pub struct SupplementaryAssessment {
    /// Ngày — date of the re-assessment.
    #[serde(rename = "ngay", default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Môn học — the re-assessed subjects only, with their new level and score.
    #[serde(rename = "monHoc", default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<SubjectResult>,
}

/// Định kỳ — the results of one assessment period (class summary table).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DinhKy", transform = require(REQ_DINH_KY))]
pub struct PeriodResult {
    /// Kỳ — the period.
    #[serde(rename = "ky", default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Môn học — subjects, with `diem` exactly where the period has a test.
    #[serde(rename = "monHoc", default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<SubjectResult>,
    /// Phẩm chất — qualities.
    #[serde(rename = "phamChat", default, skip_serializing_if = "Vec::is_empty")]
    pub qualities: Vec<QualityAssessment>,
    /// Năng lực — competencies.
    #[serde(rename = "nangLuc", default, skip_serializing_if = "Vec::is_empty")]
    pub competencies: Vec<CompetencyAssessment>,
}

/// Nhật ký — one entry of the hash-chained audit trail.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "NhatKy",
    transform = require(REQ_NHAT_KY)
)]
pub struct AuditEntry {
    /// Thời điểm — when (RFC 3339 with offset).
    #[serde(rename = "thoiDiem", default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Người thực hiện — who.
    #[serde(
        rename = "nguoiThucHien",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(length(min = 1, max = 150))]
    pub actor: Option<Text>,
    /// Vai trò — role.
    #[serde(rename = "vaiTro", default, skip_serializing_if = "Option::is_none")]
    pub role: Option<AuditRole>,
    /// Hành động — action.
    #[serde(rename = "hanhDong", default, skip_serializing_if = "Option::is_none")]
    pub action: Option<AuditAction>,
    /// Đường dẫn — the field changed, or the locked scope (`namHoc.0`).
    #[serde(rename = "duongDan", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub path: Option<Text>,
    /// Giá trị cũ — old value.
    #[serde(rename = "giaTriCu", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub old_value: Option<Text>,
    /// Giá trị mới — new value.
    #[serde(rename = "giaTriMoi", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub new_value: Option<Text>,
    /// Biên bản — reference of the written record authorising a change inside a locked scope.
    #[serde(rename = "bienBan", default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 255))]
    pub authorization: Option<Text>,
    /// Băm — the chain hash, 64 lowercase hex digits.
    #[serde(rename = "bam", default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub hash: Option<Text>,
}
