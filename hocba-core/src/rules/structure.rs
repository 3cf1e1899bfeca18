//! Structure and values (`rules.md`): field_missing, field_too_long, too_many_items,
//! invalid_code, invalid_date (dates that are not real dates; the cross-date rules are in
//! `years`).

use super::{blank, ctx, is_khong, lists, Findings};
use crate::model::trim;
use crate::model::*;
use crate::rules::codes as c;

/// Text limits of `format.md`, in Unicode scalar values.
const NAME: usize = 150;
const LONG: usize = 1000;
const TEXT: usize = 255;

pub(crate) fn check(r: &Record, out: &mut Findings) {
    let mut w = Walker { out };
    w.text(
        At("", "maDinhDanhHocBa"),
        r.record_id.as_ref(),
        64,
        Need::Required,
    );
    match &r.pupil {
        None => w.missing(At("", "hocSinh")),
        Some(p) => w.pupil(p),
    }
    match &r.school {
        None => w.missing(At("", "truong")),
        Some(s) => w.school(s),
    }
    w.list(At("", "quaTrinhHocTap"), r.history.len(), 10);
    for (i, h) in r.history.iter().enumerate() {
        let p = format!("quaTrinhHocTap.{i}");
        w.label(At(&p, "namHoc"), h.school_year.as_ref());
        w.text(At(&p, "lop"), h.class_name.as_ref(), 20, Need::Required);
        w.text(
            At(&p, "tenTruong"),
            h.school_name.as_ref(),
            TEXT,
            Need::Required,
        );
        w.text(
            At(&p, "soDangBo"),
            h.registration_number.as_ref(),
            TEXT,
            Need::Required,
        );
        w.date(At(&p, "ngayNhapHoc"), h.enrolment_date.as_ref(), true);
    }
    w.list(At("", "namHoc"), r.years.len(), 10);
    for (i, y) in r.years.iter().enumerate() {
        w.year(&format!("namHoc.{i}"), y);
    }
    for (i, a) in r.audit.iter().enumerate() {
        let p = format!("nhatKy.{i}");
        match &a.timestamp {
            None => w.missing(At(&p, "thoiDiem")),
            Some(t) if trim(t.as_str()).is_empty() => w.missing(At(&p, "thoiDiem")),
            Some(t) if t.to_instant().is_none() => w.out.push(
                &c::INVALID_DATE,
                format!("{p}.thoiDiem"),
                ctx! {
                    "value" => t.as_str(),
                    "reason" => "not an RFC 3339 timestamp with an offset (2025-05-20T16:30:00+07:00)",
                    "reasonVi" => "không đúng dạng thời điểm RFC 3339 có múi giờ (2025-05-20T16:30:00+07:00)",
                },
            ),
            Some(_) => {}
        }
        w.text(
            At(&p, "nguoiThucHien"),
            a.actor.as_ref(),
            NAME,
            Need::Required,
        );
        w.code(At(&p, "vaiTro"), a.role.as_ref(), true);
        w.code(At(&p, "hanhDong"), a.action.as_ref(), true);
        w.text(At(&p, "duongDan"), a.path.as_ref(), TEXT, Need::Required);
        w.text(
            At(&p, "giaTriCu"),
            a.old_value.as_ref(),
            LONG,
            Need::Optional,
        );
        w.text(
            At(&p, "giaTriMoi"),
            a.new_value.as_ref(),
            LONG,
            Need::Optional,
        );
        w.text(
            At(&p, "bienBan"),
            a.authorization.as_ref(),
            TEXT,
            Need::Optional,
        );
        if blank(a.hash.as_deref()) {
            w.missing(At(&p, "bam"));
        }
    }
}

/// A path built only when a finding needs it: `base.leaf` (or `leaf` at the root).
#[derive(Clone, Copy)]
struct At<'a>(&'a str, &'a str);

/// A list item (`base.list.index`), and the path of one of its members, built on demand.
#[derive(Clone, Copy)]
struct Item<'a> {
    base: &'a str,
    list: &'static str,
    index: usize,
}

/// `Item` + member name.
#[derive(Clone, Copy)]
struct ItemAt<'a>(Item<'a>, &'static str);

impl<'a> Item<'a> {
    fn at(self, leaf: &'static str) -> ItemAt<'a> {
        ItemAt(self, leaf)
    }
}

impl std::fmt::Display for ItemAt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.0.base, self.0.list, self.0.index, self.1
        )
    }
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str(self.1)
        } else {
            write!(f, "{}.{}", self.0, self.1)
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Required,
    /// Required; `không` is an acceptable value (a parent or guardian who does not apply).
    RequiredKhongAllowed,
    Optional,
}

struct Walker<'o> {
    out: &'o mut Findings,
}

impl Walker<'_> {
    fn missing(&mut self, path: impl std::fmt::Display) {
        self.out.push(&c::FIELD_MISSING, path.to_string(), ctx!());
    }

    fn text(&mut self, path: impl std::fmt::Display, t: Option<&Text>, limit: usize, need: Need) {
        let Some(t) = t else {
            if need != Need::Optional {
                self.missing(path);
            }
            return;
        };
        if need != Need::Optional && (t.is_blank() || (need == Need::Required && is_khong(t))) {
            self.missing(path);
            return;
        }
        // A text of at most `limit` bytes has at most `limit` characters: count only longer ones.
        let n = if t.len() > limit { t.char_len() } else { 0 };
        if n > limit {
            self.out.push(
                &c::FIELD_TOO_LONG,
                path.to_string(),
                ctx! { "length" => n, "limit" => limit },
            );
        }
    }

    fn list(&mut self, path: impl std::fmt::Display, len: usize, limit: usize) {
        if len == 0 {
            self.missing(path);
        } else if len > limit {
            self.out.push(
                &c::TOO_MANY_ITEMS,
                path.to_string(),
                ctx! { "count" => len, "limit" => limit },
            );
        }
    }

    /// A code: missing or blank is `field_missing` (when required), unknown is `invalid_code`.
    fn code<T: CodeList>(&mut self, path: impl std::fmt::Display, v: Option<&T>, required: bool) {
        match v {
            None => {
                if required {
                    self.missing(path);
                }
            }
            Some(v) if trim(v.raw()).is_empty() || is_khong(v.raw()) => {
                if required {
                    self.missing(path);
                }
            }
            Some(v) if !v.known() => self.invalid_code(path, v.raw(), T::codes().join(", ")),
            Some(_) => {}
        }
    }

    fn invalid_code(&mut self, path: impl std::fmt::Display, value: &str, allowed: String) {
        self.out.push(
            &c::INVALID_CODE,
            path.to_string(),
            ctx! { "value" => value, "allowed" => allowed },
        );
    }

    /// A school-year label: only presence here (its syntax is `school_year_invalid`).
    fn label(&mut self, path: impl std::fmt::Display, v: Option<&SchoolYearLabel>) {
        if blank(v.map(|s| s.as_str())) {
            self.missing(path);
        }
    }

    fn date(&mut self, path: impl std::fmt::Display, d: Option<&Date>, required: bool) {
        match d {
            None => {
                if required {
                    self.missing(path);
                }
            }
            Some(d) if trim(d.as_str()).is_empty() => {
                if required {
                    self.missing(path);
                }
            }
            Some(d) if d.to_calendar().is_none() => self.out.push(
                &c::INVALID_DATE,
                path.to_string(),
                ctx! {
                    "value" => d.as_str(),
                    "reason" => "not a real calendar date written YYYY-MM-DD",
                    "reasonVi" => "không phải ngày có thật viết theo dạng YYYY-MM-DD",
                },
            ),
            Some(_) => {}
        }
    }

    fn flag(&mut self, path: impl std::fmt::Display, v: Option<bool>) {
        if v.is_none() {
            self.missing(path);
        }
    }

    fn pupil(&mut self, p: &Pupil) {
        let k = Need::RequiredKhongAllowed;
        self.text(
            At("hocSinh", "hoVaTen"),
            p.full_name.as_ref(),
            NAME,
            Need::Required,
        );
        self.code(At("hocSinh", "gioiTinh"), p.sex.as_ref(), true);
        self.date(At("hocSinh", "ngaySinh"), p.date_of_birth.as_ref(), true);
        match p.ethnicity.as_ref() {
            Some(e) if !e.is_blank() && !is_khong(e) && lists::ethnicity(e).is_none() => self
                .invalid_code(
                    At("hocSinh", "danToc"),
                    e,
                    "01–55 (danh mục dân tộc của Tổng cục Thống kê)".into(),
                ),
            e => self.text(At("hocSinh", "danToc"), e, usize::MAX, Need::Required),
        }
        match p.nationality.as_ref() {
            Some(n) if !n.is_blank() && !is_khong(n) && !lists::is_country(n) => self.invalid_code(
                At("hocSinh", "quocTich"),
                n,
                "ISO 3166-1 alpha-2 (VN, …)".into(),
            ),
            n => self.text(At("hocSinh", "quocTich"), n, usize::MAX, Need::Required),
        }
        self.text(
            At("hocSinh", "noiSinh"),
            p.place_of_birth.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text(
            At("hocSinh", "queQuan"),
            p.hometown.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text(
            At("hocSinh", "noiOHienNay"),
            p.current_address.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text(At("hocSinh", "hoTenCha"), p.father_name.as_ref(), NAME, k);
        self.text(At("hocSinh", "hoTenMe"), p.mother_name.as_ref(), NAME, k);
        self.text(
            At("hocSinh", "nguoiGiamHo"),
            p.guardian_name.as_ref(),
            NAME,
            k,
        );
        // `không` in soDinhDanh is judged by personal_id_invalid.
        self.text(
            At("hocSinh", "soDinhDanh"),
            p.personal_id.as_ref(),
            usize::MAX,
            k,
        );
        self.text(
            At("hocSinh", "maHocSinh"),
            p.student_code.as_ref(),
            20,
            Need::Required,
        );
        if let Some(photo) = &p.photo {
            self.code(At("hocSinh.anh", "dinhDang"), photo.format.as_ref(), true);
            if blank(photo.data.as_deref()) {
                self.missing(At("hocSinh.anh", "duLieu"));
            }
        }
    }

    fn school(&mut self, s: &School) {
        self.text(
            At("truong", "maTruong"),
            s.code.as_ref(),
            20,
            Need::Required,
        );
        self.text(
            At("truong", "tenTruong"),
            s.name.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text(
            At("truong", "xaPhuong"),
            s.commune.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text(
            At("truong", "tinhThanh"),
            s.province.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text(
            At("truong", "quanHuyen"),
            s.district.as_ref(),
            TEXT,
            Need::Optional,
        );
        self.code(At("truong", "loaiHinh"), s.kind.as_ref(), true);
    }

    fn year(&mut self, p: &str, y: &SchoolYear) {
        self.label(At(p, "namHoc"), y.school_year.as_ref());
        match &y.grade {
            None => self.missing(At(p, "khoi")),
            Some(g) if !matches!(g.as_integer(), Some(1..=5)) => {
                self.invalid_code(At(p, "khoi"), &g.to_string(), "1, 2, 3, 4, 5".into())
            }
            Some(_) => {}
        }
        self.text(At(p, "lop"), y.class_name.as_ref(), 20, Need::Required);
        self.text(
            At(p, "giaoVienChuNhiem"),
            y.homeroom_teacher.as_ref(),
            NAME,
            Need::Required,
        );
        self.text(
            At(p, "hieuTruong"),
            y.principal.as_ref(),
            NAME,
            Need::Required,
        );
        self.code(At(p, "chucVuNguoiKy"), y.signer_title.as_ref(), true);
        let needed = !y.exempt;
        if needed && y.subjects.is_empty() {
            self.missing(At(p, "monHoc"));
        }
        for (i, s) in y.subjects.iter().enumerate() {
            self.subject(
                Item {
                    base: p,
                    list: "monHoc",
                    index: i,
                },
                s,
                true,
            );
        }
        if needed && y.qualities.is_empty() {
            self.missing(At(p, "phamChat"));
        }
        for (i, q) in y.qualities.iter().enumerate() {
            self.item(
                Item {
                    base: p,
                    list: "phamChat",
                    index: i,
                },
                q.code.as_ref(),
                q.level.as_ref(),
                q.comment.as_ref(),
            );
        }
        if needed && y.competencies.is_empty() {
            self.missing(At(p, "nangLuc"));
        }
        for (i, q) in y.competencies.iter().enumerate() {
            self.item(
                Item {
                    base: p,
                    list: "nangLuc",
                    index: i,
                },
                q.code.as_ref(),
                q.level.as_ref(),
                q.comment.as_ref(),
            );
        }
        self.code(At(p, "ketQua"), y.result.as_ref(), needed);
        if let Some(s) = &y.supplementary {
            let sp = format!("{p}.danhGiaBoSung");
            self.date(At(&sp, "ngay"), s.date.as_ref(), true);
            if s.subjects.is_empty() {
                self.missing(At(&sp, "monHoc"));
            }
            for (i, m) in s.subjects.iter().enumerate() {
                self.subject(
                    Item {
                        base: &sp,
                        list: "monHoc",
                        index: i,
                    },
                    m,
                    false,
                );
            }
        }
        for (i, k) in y.commendations.iter().enumerate() {
            self.code(
                At(&format!("{p}.khenThuong.{i}"), "loai"),
                k.kind.as_ref(),
                true,
            );
            self.text(
                At(&format!("{p}.khenThuong.{i}"), "noiDung"),
                k.content.as_ref(),
                LONG,
                Need::Required,
            );
        }
        self.flag(At(p, "hoanThanhChuongTrinhLop"), y.completed_grade);
        self.flag(At(p, "lenLop"), y.promoted);
        if y.grade.as_ref().and_then(Number::as_integer) == Some(5) {
            self.flag(At(p, "hoanThanhChuongTrinhTieuHoc"), y.completed_primary);
        }
        for (i, d) in y.periods.iter().enumerate() {
            let dp = format!("{p}.dinhKy.{i}");
            self.code(At(&dp, "ky"), d.period.as_ref(), true);
            for (j, s) in d.subjects.iter().enumerate() {
                self.subject(
                    Item {
                        base: &dp,
                        list: "monHoc",
                        index: j,
                    },
                    s,
                    false,
                );
            }
            for (j, q) in d.qualities.iter().enumerate() {
                self.item(
                    Item {
                        base: &dp,
                        list: "phamChat",
                        index: j,
                    },
                    q.code.as_ref(),
                    q.level.as_ref(),
                    q.comment.as_ref(),
                );
            }
            for (j, q) in d.competencies.iter().enumerate() {
                self.item(
                    Item {
                        base: &dp,
                        list: "nangLuc",
                        index: j,
                    },
                    q.code.as_ref(),
                    q.level.as_ref(),
                    q.comment.as_ref(),
                );
            }
        }
        self.text(
            At(p, "diaDanh"),
            y.place_name.as_ref(),
            TEXT,
            Need::Required,
        );
        self.date(At(p, "ngayXacNhan"), y.confirmation_date.as_ref(), true);
    }

    fn subject(&mut self, p: Item<'_>, s: &SubjectResult, comment_required: bool) {
        self.code(p.at("ma"), s.code.as_ref(), true);
        self.text(
            p.at("tenNgonNgu"),
            s.language_name.as_ref(),
            TEXT,
            Need::Optional,
        );
        self.code(p.at("mucDat"), s.level.as_ref(), true);
        let need = if comment_required {
            Need::Required
        } else {
            Need::Optional
        };
        self.text(p.at("nhanXet"), s.comment.as_ref(), LONG, need);
    }

    fn item<C: CodeList>(
        &mut self,
        p: Item<'_>,
        code: Option<&C>,
        level: Option<&ItemLevel>,
        comment: Option<&Text>,
    ) {
        self.code(p.at("ma"), code, true);
        self.code(p.at("mucDat"), level, true);
        self.text(p.at("nhanXet"), comment, LONG, Need::Optional);
    }
}
