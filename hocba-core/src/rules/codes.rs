//! The catalogue of finding codes (`rules.md`): each code declared once with its severity, the
//! clause it implements (exactly the source column of `rules.md`) and its message templates.
//!
//! Templates name context values in braces (`{value}`); `{path}` is the finding's path. A code is
//! never renamed and never reused.

use super::finding::Severity;

/// One finding code of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The stable snake_case code.
    pub code: &'static str,
    /// Severity: an `error` makes the record invalid.
    pub severity: Severity,
    /// The source (`rules.md`), exactly.
    pub clause: &'static str,
    /// The topic (the `rules.md` section).
    pub topic: &'static str,
    /// English message template.
    pub en: &'static str,
    /// Vietnamese message template.
    pub vi: &'static str,
}

use Severity::{Error as E, Warning as W};

macro_rules! codes {
    ($(#[doc = $doc:literal])+ $list:ident; $( $id:ident = ($code:literal, $sev:expr, $clause:literal, $topic:literal, $en:literal, $vi:literal); )+) => {
        $(
            #[doc = concat!("`", $code, "`: ", $en)]
            pub const $id: Code = Code { code: $code, severity: $sev, clause: $clause, topic: $topic, en: $en, vi: $vi };
        )+
        $(#[doc = $doc])+
        pub const $list: &[Code] = &[$($id),+];
    };
}

codes! {
    /// Every code of a record's validation, in the order of `rules.md`.
    ALL;
    FIELD_MISSING = ("field_missing", E, "provincial plan: no field left blank", "structure",
        "{path} is missing or blank; every field of the record must be filled in (write \"không\" only for a parent or guardian who does not apply)",
        "{path} bị thiếu hoặc để trống; mọi trường của học bạ phải được điền (chỉ ghi \"không\" cho cha, mẹ hoặc người giám hộ không có)");
    FIELD_TOO_LONG = ("field_too_long", E, "format", "structure",
        "{path} has {length} characters, more than the limit of {limit}; shorten it",
        "{path} dài {length} ký tự, vượt giới hạn {limit}; hãy rút gọn");
    TOO_MANY_ITEMS = ("too_many_items", E, "format", "structure",
        "{path} has {count} entries, more than the limit of {limit}; remove the extra entries",
        "{path} có {count} mục, vượt giới hạn {limit}; hãy xóa các mục thừa");
    INVALID_CODE = ("invalid_code", E, "format", "structure",
        "{path} is \"{value}\", which is not a valid code; use one of: {allowed}",
        "{path} có giá trị \"{value}\" không phải mã hợp lệ; hãy dùng một trong các mã: {allowed}");
    INVALID_DATE = ("invalid_date", E, "format", "structure",
        "{path} is \"{value}\": {reason}; correct the date",
        "{path} có giá trị \"{value}\": {reasonVi}; hãy sửa lại ngày");
    PERSONAL_ID_INVALID = ("personal_id_invalid", E, "Ministry of Public Security rules on personal identification numbers", "pupil",
        "the personal identification number \"{value}\" is not 12 digits (\"không\" is allowed only for a pupil whose nationality is not VN); copy it from the birth certificate",
        "số định danh cá nhân \"{value}\" không gồm đúng 12 chữ số (chỉ được ghi \"không\" khi học sinh không có quốc tịch Việt Nam); hãy ghi lại theo giấy khai sinh");
    PERSONAL_ID_SEX_MISMATCH = ("personal_id_sex_mismatch", E, "same", "pupil",
        "the 4th digit of the personal identification number ({digit}) means {idSex}, but the sex is {sex}; check the number and the sex against the birth certificate",
        "chữ số thứ 4 của số định danh ({digit}) ứng với giới tính {idSexVi}, nhưng giới tính ghi là {sexVi}; hãy đối chiếu với giấy khai sinh");
    PERSONAL_ID_BIRTH_YEAR_MISMATCH = ("personal_id_birth_year_mismatch", E, "same", "pupil",
        "the personal identification number encodes the birth year {idYear}, but the date of birth is in {birthYear}; check both against the birth certificate",
        "số định danh mã hóa năm sinh {idYear}, nhưng ngày sinh thuộc năm {birthYear}; hãy đối chiếu cả hai với giấy khai sinh");
    PHOTO_MISSING = ("photo_missing", E, "provincial plan: 100 % with 3x4 photo", "pupil",
        "the record has no portrait photo; add a 3x4 photo of the pupil",
        "học bạ chưa có ảnh; hãy bổ sung ảnh 3x4 của học sinh");
    PHOTO_INVALID = ("photo_invalid", E, "format", "pupil",
        "the photo cannot be used: {reason}; attach the photo again as a JPEG or PNG of at most 1 MiB",
        "ảnh không dùng được: {reasonVi}; hãy đính kèm lại ảnh dạng JPEG hoặc PNG, tối đa 1 MiB");
    PHOTO_ASPECT_RATIO = ("photo_aspect_ratio", E, "provincial plan", "pupil",
        "the photo is {width}x{height} pixels, not a 3x4 portrait (width/height {ratio}, expected 0.75 within 5 %); crop it to 3x4",
        "ảnh có kích thước {width}x{height} điểm ảnh, không đúng tỉ lệ 3x4 (rộng/cao {ratio}, cần 0,75 sai lệch không quá 5 %); hãy cắt ảnh theo tỉ lệ 3x4");
    PHOTO_TOO_SMALL = ("photo_too_small", W, "format", "pupil",
        "the photo is {width}x{height} pixels, smaller than 240x320; it may print blurred, use a larger photo",
        "ảnh chỉ có {width}x{height} điểm ảnh, nhỏ hơn 240x320; ảnh in ra có thể bị mờ, hãy dùng ảnh lớn hơn");
    AGE_UNUSUAL_FOR_GRADE = ("age_unusual_for_grade", W, "Education Law: grade 1 in the year the child turns 6", "pupil",
        "a pupil born in {birthYear} is unusually {direction} for grade {grade} in {schoolYear}; check the date of birth and the grade",
        "học sinh sinh năm {birthYear} {directionVi} so với lớp {grade} năm học {schoolYear}; hãy kiểm tra ngày sinh và khối lớp");
    SCHOOL_YEAR_INVALID = ("school_year_invalid", E, "format", "school_years",
        "the school year \"{value}\" is not written YYYY-YYYY with consecutive years (e.g. 2024-2025); correct it",
        "năm học \"{value}\" không đúng dạng YYYY-YYYY với hai năm liên tiếp (ví dụ 2024-2025); hãy sửa lại");
    SCHOOL_YEAR_DUPLICATE = ("school_year_duplicate", E, "format", "school_years",
        "the school year {schoolYear} appears twice (also at {first}); keep one entry per school year",
        "năm học {schoolYear} xuất hiện hai lần (cả ở {first}); mỗi năm học chỉ được có một mục");
    CLASS_GRADE_MISMATCH = ("class_grade_mismatch", E, "format", "school_years",
        "the class \"{class}\" starts with {digit} but the grade is {grade}; correct the class or the grade",
        "lớp \"{class}\" bắt đầu bằng số {digit} nhưng khối là {grade}; hãy sửa lớp hoặc khối");
    HISTORY_MISSING_YEAR = ("history_missing_year", E, "template", "school_years",
        "the learning history has no row for the school year {schoolYear}; add the row (class, school, registration number, enrolment date)",
        "quá trình học tập chưa có dòng cho năm học {schoolYear}; hãy bổ sung (lớp, trường, số đăng bộ, ngày nhập học)");
    DATE_OUTSIDE_SCHOOL_YEAR = ("date_outside_school_year", W, "template", "school_years",
        "the confirmation date {value} is {reason}; check the date of the year page",
        "ngày xác nhận {value} {reasonVi}; hãy kiểm tra ngày của trang năm học");
    SUBJECT_MISSING = ("subject_missing", E, "TT32/2018", "subjects",
        "{name} ({ma}) is compulsory in grade {grade} but has no result; add its level, comment and, if tested, score",
        "{name} ({ma}) là môn bắt buộc ở lớp {grade} nhưng chưa có kết quả; hãy nhập mức đạt, nhận xét và điểm (nếu có kiểm tra)");
    SUBJECT_NOT_IN_GRADE = ("subject_not_in_grade", E, "TT32/2018", "subjects",
        "{name} ({ma}) is not taught in grade {grade}; remove it",
        "{name} ({ma}) không có trong chương trình lớp {grade}; hãy xóa");
    SUBJECT_DUPLICATE = ("subject_duplicate", E, "format", "subjects",
        "{ma} appears twice (first at {first}, which counts); remove the duplicate",
        "môn {ma} xuất hiện hai lần (lần đầu ở {first} được tính); hãy xóa mục trùng");
    SCORE_MISSING = ("score_missing", E, "TT27 Điều 7", "subjects",
        "{ma} is tested in grade {grade} but has no score; enter the test score (0-10)",
        "môn {ma} có bài kiểm tra ở lớp {grade} nhưng chưa có điểm; hãy nhập điểm kiểm tra (0-10)");
    SCORE_NOT_EXPECTED = ("score_not_expected", E, "TT27 Điều 7", "subjects",
        "{ma} has no periodic test in grade {grade}, so it takes no score; remove the score {value}",
        "môn {ma} không có bài kiểm tra định kỳ ở lớp {grade} nên không có điểm; hãy xóa điểm {value}");
    SCORE_OUT_OF_RANGE = ("score_out_of_range", E, "TT27 Điều 7", "subjects",
        "the score {value} is not a whole number from 0 to 10; correct it",
        "điểm {value} không phải số nguyên từ 0 đến 10; hãy sửa lại");
    LANGUAGE_NAME_MISSING = ("language_name_missing", E, "template", "subjects",
        "{ma} needs the name of the language (tenNgonNgu), e.g. \"Tiếng Anh\"; add it",
        "môn {ma} cần ghi tên ngôn ngữ (tenNgonNgu), ví dụ \"Tiếng Anh\"; hãy bổ sung");
    LEVEL_SCORE_INCONSISTENT = ("level_score_inconsistent", W, "TT27 Điều 7", "subjects",
        "{ma} has level {level} with a score of {score}; check the level and the score",
        "môn {ma} có mức đạt {level} nhưng điểm là {score}; hãy kiểm tra lại mức đạt và điểm");
    QUALITY_MISSING = ("quality_missing", E, "TT27 Điều 8", "qualities",
        "the quality {name} ({ma}) has no level; rate it T, Đ or C",
        "phẩm chất {name} ({ma}) chưa được đánh giá; hãy ghi mức T, Đ hoặc C");
    COMPETENCY_MISSING = ("competency_missing", E, "TT27 Điều 8", "qualities",
        "the competency {name} ({ma}) has no level; rate it T, Đ or C",
        "năng lực {name} ({ma}) chưa được đánh giá; hãy ghi mức T, Đ hoặc C");
    ASSESSMENT_ITEM_DUPLICATE = ("assessment_item_duplicate", E, "format", "qualities",
        "{ma} is assessed twice (first at {first}, which counts); remove the duplicate",
        "{ma} được đánh giá hai lần (lần đầu ở {first} được tính); hãy xóa mục trùng");
    RESULT_MISMATCH = ("result_mismatch", E, "TT27 Điều 9", "result",
        "the year-end result entered is {entered}, but the assessments give {derived} (Article 9); correct the result or the assessments",
        "kết quả cuối năm ghi là {entered}, nhưng theo các mức đánh giá phải là {derived} (Điều 9); hãy sửa kết quả hoặc các mức đánh giá");
    COMPLETION_INCONSISTENT = ("completion_inconsistent", E, "TT27 Điều 11", "result",
        "\"completed the grade\" is {entered} but the result {result} means {expected}; correct it",
        "\"hoàn thành chương trình lớp\" ghi {entered} nhưng kết quả {result} nghĩa là {expected}; hãy sửa lại");
    PROMOTION_INCONSISTENT = ("promotion_inconsistent", E, "TT27 Điều 11", "result",
        "promotion (lenLop) is {entered}, {reason}; correct it",
        "lên lớp (lenLop) ghi {entered}, {reasonVi}; hãy sửa lại");
    PRIMARY_COMPLETION_INCONSISTENT = ("primary_completion_inconsistent", E, "TT27 Điều 11", "result",
        "\"completed primary school\" is {entered}: {reason}; correct it",
        "\"hoàn thành chương trình tiểu học\" ghi {entered}: {reasonVi}; hãy sửa lại");
    COMMENDATION_INCONSISTENT = ("commendation_inconsistent", E, "TT27 Điều 13", "result",
        "the commendation {loai} requires the result {required}, but the result is {result}; remove the commendation or correct the result",
        "khen thưởng {loai} chỉ dành cho kết quả {required}, nhưng kết quả là {result}; hãy xóa khen thưởng hoặc sửa kết quả");
    COMMENDATION_MISSING = ("commendation_missing", W, "TT27 Điều 13", "result",
        "the result is HTXS but there is no \"Học sinh Xuất sắc\" (XUAT_SAC) commendation; add it",
        "kết quả là HTXS nhưng chưa có khen thưởng \"Học sinh Xuất sắc\" (XUAT_SAC); hãy bổ sung");
    SUPPLEMENTARY_WITHOUT_NEED = ("supplementary_without_need", W, "TT27 Điều 11", "result",
        "a supplementary re-assessment is recorded although the result before it is {derived}, not CHT; check whether it belongs to this pupil",
        "có đánh giá bổ sung dù kết quả trước đó là {derived}, không phải CHT; hãy kiểm tra lại");
    EXEMPT_WITH_RESULTS = ("exempt_with_results", W, "TT27 (pupils with disabilities)", "result",
        "the pupil is exempt from assessment (khongDanhGia) but results are recorded ({present}); remove them or the exemption",
        "học sinh được miễn đánh giá (khongDanhGia) nhưng vẫn có kết quả ({present}); hãy xóa kết quả hoặc bỏ miễn đánh giá");
    PERIOD_DUPLICATE = ("period_duplicate", E, "format", "periods",
        "the period {ky} appears twice (first at {first}); keep one",
        "kỳ đánh giá {ky} xuất hiện hai lần (lần đầu ở {first}); hãy giữ một");
    PERIOD_SCORE_MISSING = ("period_score_missing", E, "TT27 Điều 7", "periods",
        "{ma} is tested at {ky} in grade {grade} but has no score; enter the test score",
        "môn {ma} có bài kiểm tra kỳ {ky} ở lớp {grade} nhưng chưa có điểm; hãy nhập điểm");
    PERIOD_SCORE_NOT_EXPECTED = ("period_score_not_expected", E, "TT27 Điều 7", "periods",
        "{ma} has no test at {ky} in grade {grade}; remove the score {value}",
        "môn {ma} không có bài kiểm tra kỳ {ky} ở lớp {grade}; hãy xóa điểm {value}");
    PERIOD_DISAGREES_WITH_YEAR = ("period_disagrees_with_year", E, "template", "periods",
        "the end-of-year period (CN) gives {ma} {periodValue}, but the year's result says {yearValue}; make them agree",
        "kỳ cuối năm (CN) ghi {ma} là {periodValue}, nhưng kết quả năm học ghi {yearValue}; hãy thống nhất");
    AUDIT_CHAIN_BROKEN = ("audit_chain_broken", E, "provincial plan: every intervention traceable", "audit",
        "audit entry {path} does not match its hash ({reason}): the trail was altered or written wrongly; restore it from the management system",
        "mục nhật ký {path} không khớp mã băm ({reasonVi}): nhật ký đã bị sửa hoặc ghi sai; hãy khôi phục từ phần mềm quản lý");
    AUDIT_OUT_OF_ORDER = ("audit_out_of_order", E, "same", "audit",
        "audit entry {path} is dated {value}, before the previous entry ({previous}); entries must be in time order",
        "mục nhật ký {path} có thời điểm {value}, trước mục liền trước ({previous}); các mục phải theo thứ tự thời gian");
    AUDIT_CHANGE_AFTER_LOCK = ("audit_change_after_lock", E, "same", "audit",
        "{target} was changed while {scope} was locked {reason}; a change after locking needs the principal (HT) and the reference of a written record (bienBan)",
        "{target} bị sửa khi {scope} đã khóa {reasonVi}; sửa sau khi khóa cần hiệu trưởng (HT) thực hiện và có số biên bản (bienBan)");
    AUDIT_ROLE_NOT_ALLOWED = ("audit_role_not_allowed", E, "provincial plan: rights by assignment", "audit",
        "a {role} may not {action}; {who}",
        "{roleVi} không được {actionVi}; {whoVi}");
}

codes! {
    /// The codes of class summary tables and of building records from them (`hocba class`,
    /// `docs/class.md`): hocba's own additions to `rules.md`, under its rules for codes (stable,
    /// bilingual, documented). Their clause is the document that asks for the check.
    TABLE;
    TABLE_CELL_INVALID = ("table_cell_invalid", E, "format", "table",
        "{path} ({cell}) holds \"{value}\", which is not {expected}; correct the cell",
        "{path} (ô {cell}) ghi \"{value}\", không phải {expectedVi}; hãy sửa ô này");
    TABLE_PUPIL_DUPLICATE = ("table_pupil_duplicate", E, "format", "table",
        "pupil {maHocSinh} appears twice in the {ky} table (rows {firstRow} and {row}); keep one row per pupil",
        "học sinh {maHocSinh} xuất hiện hai lần trong bảng {ky} (dòng {firstRow} và {row}); mỗi học sinh chỉ một dòng");
    TABLE_PUPIL_NOT_IN_LIST = ("table_pupil_not_in_list", E, "provincial plan: class summary table → digital record", "table",
        "pupil {maHocSinh} of the {ky} table is not in the pupil list; add the pupil to the list or correct the code",
        "học sinh {maHocSinh} trong bảng {ky} không có trong danh sách học sinh; hãy thêm vào danh sách hoặc sửa mã");
    TABLE_PUPIL_MISSING = ("table_pupil_missing", E, "provincial plan: class summary table → digital record", "table",
        "pupil {maHocSinh} of the pupil list has no row in the {ky} table; add the row",
        "học sinh {maHocSinh} trong danh sách không có dòng nào trong bảng {ky}; hãy thêm dòng");
    TABLE_NAME_MISMATCH = ("table_name_mismatch", W, "provincial plan: class summary table → digital record", "table",
        "pupil {maHocSinh} is \"{tableName}\" in the {ky} table but \"{listName}\" in the pupil list; check the code and the name",
        "học sinh {maHocSinh} tên là \"{tableName}\" trong bảng {ky} nhưng là \"{listName}\" trong danh sách; hãy kiểm tra mã và tên");
    TABLE_PERIOD_MISSING = ("table_period_missing", E, "TT27 Điều 6", "table",
        "no {ky} table was given; building the school year needs the tables of GHK1, CHK1, GHK2 and CN",
        "thiếu bảng tổng hợp kỳ {ky}; cần đủ bảng các kỳ GHK1, CHK1, GHK2 và CN để lập học bạ năm học");
    TABLE_PERIOD_DUPLICATE = ("table_period_duplicate", E, "TT27 Điều 6", "table",
        "two tables were given for {ky}; give one table per period",
        "có hai bảng cho kỳ {ky}; mỗi kỳ chỉ một bảng");
    TABLE_PROMOTION_UNDECIDED = ("table_promotion_undecided", W, "TT27 Điều 11", "table",
        "pupil {maHocSinh} has not completed the grade and the pupil list has no lenLop decision; the record says not promoted (ở lại lớp) until the principal decides",
        "học sinh {maHocSinh} chưa hoàn thành chương trình lớp học và danh sách chưa có quyết định lenLop; học bạ ghi ở lại lớp cho đến khi hiệu trưởng quyết định");
}

/// The code with this name (record validation or class tables).
pub fn find(code: &str) -> Option<&'static Code> {
    ALL.iter().chain(TABLE).find(|c| c.code == code)
}

/// The catalogue as JSON, as `hocba codes --format json` prints it: one object per code with
/// `code`, `severity`, `clause`, `topic`, `message` and `messageVi` (the templates).
///
/// ```
/// let list = hocba_core::rules::codes::to_json();
/// assert_eq!(list[0]["code"], "field_missing");
/// ```
pub fn to_json() -> serde_json::Value {
    ALL.iter()
        .chain(TABLE)
        .map(|c| {
            serde_json::json!({
                "code": c.code,
                "severity": c.severity.as_str(),
                "clause": c.clause,
                "topic": c.topic,
                "message": c.en,
                "messageVi": c.vi,
            })
        })
        .collect()
}
