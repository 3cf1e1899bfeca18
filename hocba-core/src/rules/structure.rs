//! Structure and values (`rules.md`): field_missing, field_too_long, too_many_items,
//! invalid_code, invalid_date (dates that are not real dates; the cross-date rules are in
//! `years`).

use super::{blank, ctx, is_khong, lists, Findings};
use crate::model::*;
use crate::rules::codes as c;

/// Text limits of `format.md`, in Unicode scalar values.
const NAME: usize = 150;
const LONG: usize = 1000;
const TEXT: usize = 255;

pub(crate) fn check(r: &Record, out: &mut Findings) {
    let mut w = Walker { out };
    w.text("maDinhDanhHocBa", r.record_id.as_ref(), 64, Need::Required);
    match &r.pupil {
        None => w.missing("hocSinh"),
        Some(p) => w.pupil(p),
    }
    match &r.school {
        None => w.missing("truong"),
        Some(s) => w.school(s),
    }
    w.list("quaTrinhHocTap", r.history.len(), 10);
    for (i, h) in r.history.iter().enumerate() {
        let p = format!("quaTrinhHocTap.{i}");
        w.label(&format!("{p}.namHoc"), h.school_year.as_ref());
        w.text(
            &format!("{p}.lop"),
            h.class_name.as_ref(),
            20,
            Need::Required,
        );
        w.text(
            &format!("{p}.tenTruong"),
            h.school_name.as_ref(),
            TEXT,
            Need::Required,
        );
        w.text(
            &format!("{p}.soDangBo"),
            h.registration_number.as_ref(),
            TEXT,
            Need::Required,
        );
        w.date(&format!("{p}.ngayNhapHoc"), h.enrolment_date.as_ref(), true);
    }
    w.list("namHoc", r.years.len(), 10);
    for (i, y) in r.years.iter().enumerate() {
        w.year(&format!("namHoc.{i}"), y);
    }
    for (i, a) in r.audit.iter().enumerate() {
        let p = format!("nhatKy.{i}");
        match &a.timestamp {
            None => w.missing(&format!("{p}.thoiDiem")),
            Some(t) if t.as_str().trim().is_empty() => w.missing(&format!("{p}.thoiDiem")),
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
            &format!("{p}.nguoiThucHien"),
            a.actor.as_ref(),
            NAME,
            Need::Required,
        );
        w.code(&format!("{p}.vaiTro"), a.role.as_ref(), true);
        w.code(&format!("{p}.hanhDong"), a.action.as_ref(), true);
        w.text(
            &format!("{p}.duongDan"),
            a.path.as_ref(),
            TEXT,
            Need::Required,
        );
        w.text(
            &format!("{p}.giaTriCu"),
            a.old_value.as_ref(),
            LONG,
            Need::Optional,
        );
        w.text(
            &format!("{p}.giaTriMoi"),
            a.new_value.as_ref(),
            LONG,
            Need::Optional,
        );
        w.text(
            &format!("{p}.bienBan"),
            a.authorization.as_ref(),
            TEXT,
            Need::Optional,
        );
        if blank(a.hash.as_deref()) {
            w.missing(&format!("{p}.bam"));
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
    fn missing(&mut self, path: &str) {
        self.out.push(&c::FIELD_MISSING, path, ctx!());
    }

    fn text(&mut self, path: &str, t: Option<&Text>, limit: usize, need: Need) {
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
        let n = t.char_len();
        if n > limit {
            self.out.push(
                &c::FIELD_TOO_LONG,
                path,
                ctx! { "length" => n, "limit" => limit },
            );
        }
    }

    fn list(&mut self, path: &str, len: usize, limit: usize) {
        if len == 0 {
            self.missing(path);
        } else if len > limit {
            self.out.push(
                &c::TOO_MANY_ITEMS,
                path,
                ctx! { "count" => len, "limit" => limit },
            );
        }
    }

    /// A code: missing or blank is `field_missing` (when required), unknown is `invalid_code`.
    fn code<T: CodeList>(&mut self, path: &str, v: Option<&T>, required: bool) {
        match v {
            None => {
                if required {
                    self.missing(path);
                }
            }
            Some(v) if v.raw().trim().is_empty() || is_khong(v.raw()) => {
                if required {
                    self.missing(path);
                }
            }
            Some(v) if !v.known() => self.invalid_code(path, v.raw(), T::codes().join(", ")),
            Some(_) => {}
        }
    }

    fn invalid_code(&mut self, path: &str, value: &str, allowed: String) {
        self.out.push(
            &c::INVALID_CODE,
            path,
            ctx! { "value" => value, "allowed" => allowed },
        );
    }

    /// A school-year label: only presence here (its syntax is `school_year_invalid`).
    fn label(&mut self, path: &str, v: Option<&SchoolYearLabel>) {
        if blank(v.map(|s| s.as_str())) {
            self.missing(path);
        }
    }

    fn date(&mut self, path: &str, d: Option<&Date>, required: bool) {
        match d {
            None => {
                if required {
                    self.missing(path);
                }
            }
            Some(d) if d.as_str().trim().is_empty() => {
                if required {
                    self.missing(path);
                }
            }
            Some(d) if d.to_calendar().is_none() => self.out.push(
                &c::INVALID_DATE,
                path,
                ctx! {
                    "value" => d.as_str(),
                    "reason" => "not a real calendar date written YYYY-MM-DD",
                    "reasonVi" => "không phải ngày có thật viết theo dạng YYYY-MM-DD",
                },
            ),
            Some(_) => {}
        }
    }

    fn flag(&mut self, path: &str, v: Option<bool>) {
        if v.is_none() {
            self.missing(path);
        }
    }

    fn pupil(&mut self, p: &Pupil) {
        let k = Need::RequiredKhongAllowed;
        self.text(
            "hocSinh.hoVaTen",
            p.full_name.as_ref(),
            NAME,
            Need::Required,
        );
        self.code("hocSinh.gioiTinh", p.sex.as_ref(), true);
        self.date("hocSinh.ngaySinh", p.date_of_birth.as_ref(), true);
        match p.ethnicity.as_ref() {
            Some(e) if !e.is_blank() && !is_khong(e) && lists::ethnicity(e).is_none() => self
                .invalid_code(
                    "hocSinh.danToc",
                    e,
                    "01–55 (danh mục dân tộc của Tổng cục Thống kê)".into(),
                ),
            e => self.text("hocSinh.danToc", e, usize::MAX, Need::Required),
        }
        match p.nationality.as_ref() {
            Some(n) if !n.is_blank() && !is_khong(n) && !lists::is_country(n) => {
                self.invalid_code("hocSinh.quocTich", n, "ISO 3166-1 alpha-2 (VN, …)".into())
            }
            n => self.text("hocSinh.quocTich", n, usize::MAX, Need::Required),
        }
        self.text(
            "hocSinh.noiSinh",
            p.place_of_birth.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text("hocSinh.queQuan", p.hometown.as_ref(), TEXT, Need::Required);
        self.text(
            "hocSinh.noiOHienNay",
            p.current_address.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text("hocSinh.hoTenCha", p.father_name.as_ref(), NAME, k);
        self.text("hocSinh.hoTenMe", p.mother_name.as_ref(), NAME, k);
        self.text("hocSinh.nguoiGiamHo", p.guardian_name.as_ref(), NAME, k);
        // `không` in soDinhDanh is judged by personal_id_invalid.
        self.text("hocSinh.soDinhDanh", p.personal_id.as_ref(), usize::MAX, k);
        self.text(
            "hocSinh.maHocSinh",
            p.student_code.as_ref(),
            20,
            Need::Required,
        );
        if let Some(photo) = &p.photo {
            self.code("hocSinh.anh.dinhDang", photo.format.as_ref(), true);
            if blank(photo.data.as_deref()) {
                self.missing("hocSinh.anh.duLieu");
            }
        }
    }

    fn school(&mut self, s: &School) {
        self.text("truong.maTruong", s.code.as_ref(), 20, Need::Required);
        self.text("truong.tenTruong", s.name.as_ref(), TEXT, Need::Required);
        self.text("truong.xaPhuong", s.commune.as_ref(), TEXT, Need::Required);
        self.text(
            "truong.tinhThanh",
            s.province.as_ref(),
            TEXT,
            Need::Required,
        );
        self.text(
            "truong.quanHuyen",
            s.district.as_ref(),
            TEXT,
            Need::Optional,
        );
        self.code("truong.loaiHinh", s.kind.as_ref(), true);
    }

    fn year(&mut self, p: &str, y: &SchoolYear) {
        self.label(&format!("{p}.namHoc"), y.school_year.as_ref());
        match &y.grade {
            None => self.missing(&format!("{p}.khoi")),
            Some(g) if !matches!(g.as_integer(), Some(1..=5)) => {
                self.invalid_code(&format!("{p}.khoi"), &g.to_string(), "1, 2, 3, 4, 5".into())
            }
            Some(_) => {}
        }
        self.text(
            &format!("{p}.lop"),
            y.class_name.as_ref(),
            20,
            Need::Required,
        );
        self.text(
            &format!("{p}.giaoVienChuNhiem"),
            y.homeroom_teacher.as_ref(),
            NAME,
            Need::Required,
        );
        self.text(
            &format!("{p}.hieuTruong"),
            y.principal.as_ref(),
            NAME,
            Need::Required,
        );
        self.code(&format!("{p}.chucVuNguoiKy"), y.signer_title.as_ref(), true);
        let needed = !y.exempt;
        if needed && y.subjects.is_empty() {
            self.missing(&format!("{p}.monHoc"));
        }
        for (i, s) in y.subjects.iter().enumerate() {
            self.subject(&format!("{p}.monHoc.{i}"), s, true);
        }
        if needed && y.qualities.is_empty() {
            self.missing(&format!("{p}.phamChat"));
        }
        for (i, q) in y.qualities.iter().enumerate() {
            self.item(
                &format!("{p}.phamChat.{i}"),
                q.code.as_ref(),
                q.level.as_ref(),
                q.comment.as_ref(),
            );
        }
        if needed && y.competencies.is_empty() {
            self.missing(&format!("{p}.nangLuc"));
        }
        for (i, q) in y.competencies.iter().enumerate() {
            self.item(
                &format!("{p}.nangLuc.{i}"),
                q.code.as_ref(),
                q.level.as_ref(),
                q.comment.as_ref(),
            );
        }
        self.code(&format!("{p}.ketQua"), y.result.as_ref(), needed);
        if let Some(s) = &y.supplementary {
            let sp = format!("{p}.danhGiaBoSung");
            self.date(&format!("{sp}.ngay"), s.date.as_ref(), true);
            if s.subjects.is_empty() {
                self.missing(&format!("{sp}.monHoc"));
            }
            for (i, m) in s.subjects.iter().enumerate() {
                self.subject(&format!("{sp}.monHoc.{i}"), m, false);
            }
        }
        for (i, k) in y.commendations.iter().enumerate() {
            self.code(&format!("{p}.khenThuong.{i}.loai"), k.kind.as_ref(), true);
            self.text(
                &format!("{p}.khenThuong.{i}.noiDung"),
                k.content.as_ref(),
                LONG,
                Need::Required,
            );
        }
        self.flag(&format!("{p}.hoanThanhChuongTrinhLop"), y.completed_grade);
        self.flag(&format!("{p}.lenLop"), y.promoted);
        if y.grade.as_ref().and_then(Number::as_integer) == Some(5) {
            self.flag(
                &format!("{p}.hoanThanhChuongTrinhTieuHoc"),
                y.completed_primary,
            );
        }
        for (i, d) in y.periods.iter().enumerate() {
            let dp = format!("{p}.dinhKy.{i}");
            self.code(&format!("{dp}.ky"), d.period.as_ref(), true);
            for (j, s) in d.subjects.iter().enumerate() {
                self.subject(&format!("{dp}.monHoc.{j}"), s, false);
            }
            for (j, q) in d.qualities.iter().enumerate() {
                self.item(
                    &format!("{dp}.phamChat.{j}"),
                    q.code.as_ref(),
                    q.level.as_ref(),
                    q.comment.as_ref(),
                );
            }
            for (j, q) in d.competencies.iter().enumerate() {
                self.item(
                    &format!("{dp}.nangLuc.{j}"),
                    q.code.as_ref(),
                    q.level.as_ref(),
                    q.comment.as_ref(),
                );
            }
        }
        self.text(
            &format!("{p}.diaDanh"),
            y.place_name.as_ref(),
            TEXT,
            Need::Required,
        );
        self.date(
            &format!("{p}.ngayXacNhan"),
            y.confirmation_date.as_ref(),
            true,
        );
    }

    fn subject(&mut self, p: &str, s: &SubjectResult, comment_required: bool) {
        self.code(&format!("{p}.ma"), s.code.as_ref(), true);
        self.text(
            &format!("{p}.tenNgonNgu"),
            s.language_name.as_ref(),
            TEXT,
            Need::Optional,
        );
        self.code(&format!("{p}.mucDat"), s.level.as_ref(), true);
        let need = if comment_required {
            Need::Required
        } else {
            Need::Optional
        };
        self.text(&format!("{p}.nhanXet"), s.comment.as_ref(), LONG, need);
    }

    fn item<C: CodeList>(
        &mut self,
        p: &str,
        code: Option<&C>,
        level: Option<&ItemLevel>,
        comment: Option<&Text>,
    ) {
        self.code(&format!("{p}.ma"), code, true);
        self.code(&format!("{p}.mucDat"), level, true);
        self.text(&format!("{p}.nhanXet"), comment, LONG, Need::Optional);
    }
}
