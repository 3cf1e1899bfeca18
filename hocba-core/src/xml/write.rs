//! The canonical XML writer (`format.md`, "Canonical XML").

use super::names;
use crate::model::*;

/// Writes the canonical XML of a record.
///
/// Canonical: UTF-8, the XML declaration and a newline, two-space indentation, one element per
/// line, children in the order of `format.md`, text escaped with the predefined entities only,
/// absent optional fields and `khongDanhGia` false omitted, a final newline. The same record
/// always gives the same bytes.
///
/// ```
/// let xml = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
/// let record = hocba_core::xml::from_slice(&xml).unwrap();
/// assert_eq!(hocba_core::xml::to_string(&record).as_bytes(), &xml[..]);
/// ```
pub fn to_string(record: &Record) -> String {
    let mut w = W {
        out: String::with_capacity(estimate(record)),
        depth: 0,
    };
    w.out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
    w.out.push_str(names::ROOT);
    w.out.push_str(" xmlns=\"");
    w.out.push_str(names::NAMESPACE);
    w.out.push_str("\" phienBan=\"");
    w.out.push_str(&record.format_version.number().to_string());
    w.out.push_str("\">\n");
    w.depth = 1;
    w.record(record);
    w.out.push_str("</");
    w.out.push_str(names::ROOT);
    w.out.push_str(">\n");
    w.out
}

/// [`to_string`] as bytes.
pub fn to_vec(record: &Record) -> Vec<u8> {
    to_string(record).into_bytes()
}

fn estimate(record: &Record) -> usize {
    let photo = record
        .pupil
        .as_ref()
        .and_then(|p| p.photo.as_ref())
        .and_then(|p| p.data.as_ref())
        .map_or(0, |d| d.len());
    photo + 4096 + record.years.len() * 12_288 + record.audit.len() * 512
}

struct W {
    out: String,
    depth: usize,
}

impl W {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, name: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn leaf(&mut self, name: &str, value: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        escape_into(&mut self.out, value);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn opt<T: AsWire>(&mut self, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            let s = v.wire();
            self.leaf(name, &s);
        }
    }

    fn record(&mut self, r: &Record) {
        self.opt("maDinhDanhHocBa", &r.record_id);
        if let Some(p) = &r.pupil {
            self.pupil(p);
        }
        if let Some(s) = &r.school {
            self.school(s);
        }
        for h in &r.history {
            self.history(h);
        }
        for y in &r.years {
            self.year(y);
        }
        for a in &r.audit {
            self.audit(a);
        }
    }

    fn pupil(&mut self, p: &Pupil) {
        self.open("hocSinh");
        self.opt("hoVaTen", &p.full_name);
        self.opt("gioiTinh", &p.sex);
        self.opt("ngaySinh", &p.date_of_birth);
        self.opt("danToc", &p.ethnicity);
        self.opt("quocTich", &p.nationality);
        self.opt("noiSinh", &p.place_of_birth);
        self.opt("queQuan", &p.hometown);
        self.opt("noiOHienNay", &p.current_address);
        self.opt("hoTenCha", &p.father_name);
        self.opt("hoTenMe", &p.mother_name);
        self.opt("nguoiGiamHo", &p.guardian_name);
        self.opt("soDinhDanh", &p.personal_id);
        self.opt("maHocSinh", &p.student_code);
        if let Some(photo) = &p.photo {
            self.open("anh");
            self.opt("dinhDang", &photo.format);
            self.opt("duLieu", &photo.data);
            self.close("anh");
        }
        self.close("hocSinh");
    }

    fn school(&mut self, s: &School) {
        self.open("truong");
        self.opt("maTruong", &s.code);
        self.opt("tenTruong", &s.name);
        self.opt("xaPhuong", &s.commune);
        self.opt("tinhThanh", &s.province);
        self.opt("quanHuyen", &s.district);
        self.opt("loaiHinh", &s.kind);
        self.close("truong");
    }

    fn history(&mut self, h: &HistoryRow) {
        self.open("quaTrinhHocTap");
        self.opt("namHoc", &h.school_year);
        self.opt("lop", &h.class_name);
        self.opt("tenTruong", &h.school_name);
        self.opt("soDangBo", &h.registration_number);
        self.opt("ngayNhapHoc", &h.enrolment_date);
        self.close("quaTrinhHocTap");
    }

    fn year(&mut self, y: &SchoolYear) {
        self.open("namHoc");
        self.opt("namHoc", &y.school_year);
        self.opt("khoi", &y.grade);
        self.opt("lop", &y.class_name);
        self.opt("giaoVienChuNhiem", &y.homeroom_teacher);
        self.opt("hieuTruong", &y.principal);
        self.opt("chucVuNguoiKy", &y.signer_title);
        if y.exempt {
            self.leaf("khongDanhGia", "true");
        }
        for s in &y.subjects {
            self.subject("monHoc", s);
        }
        for q in &y.qualities {
            self.item("phamChat", &q.code, &q.level, &q.comment);
        }
        for c in &y.competencies {
            self.item("nangLuc", &c.code, &c.level, &c.comment);
        }
        self.opt("ketQua", &y.result);
        if let Some(s) = &y.supplementary {
            self.open("danhGiaBoSung");
            self.opt("ngay", &s.date);
            for m in &s.subjects {
                self.subject("monHoc", m);
            }
            self.close("danhGiaBoSung");
        }
        for k in &y.commendations {
            self.open("khenThuong");
            self.opt("loai", &k.kind);
            self.opt("noiDung", &k.content);
            self.close("khenThuong");
        }
        self.opt("hoanThanhChuongTrinhLop", &y.completed_grade);
        self.opt("lenLop", &y.promoted);
        self.opt("hoanThanhChuongTrinhTieuHoc", &y.completed_primary);
        for p in &y.periods {
            self.open("dinhKy");
            self.opt("ky", &p.period);
            for s in &p.subjects {
                self.subject("monHoc", s);
            }
            for q in &p.qualities {
                self.item("phamChat", &q.code, &q.level, &q.comment);
            }
            for c in &p.competencies {
                self.item("nangLuc", &c.code, &c.level, &c.comment);
            }
            self.close("dinhKy");
        }
        self.opt("diaDanh", &y.place_name);
        self.opt("ngayXacNhan", &y.confirmation_date);
        self.close("namHoc");
    }

    fn subject(&mut self, name: &str, s: &SubjectResult) {
        self.open(name);
        self.opt("ma", &s.code);
        self.opt("tenNgonNgu", &s.language_name);
        self.opt("mucDat", &s.level);
        self.opt("diem", &s.score);
        self.opt("nhanXet", &s.comment);
        self.close(name);
    }

    fn item<C: AsWire>(
        &mut self,
        name: &str,
        code: &Option<C>,
        level: &Option<ItemLevel>,
        comment: &Option<Text>,
    ) {
        self.open(name);
        self.opt("ma", code);
        self.opt("mucDat", level);
        self.opt("nhanXet", comment);
        self.close(name);
    }

    fn audit(&mut self, a: &AuditEntry) {
        self.open("nhatKy");
        self.opt("thoiDiem", &a.timestamp);
        self.opt("nguoiThucHien", &a.actor);
        self.opt("vaiTro", &a.role);
        self.opt("hanhDong", &a.action);
        self.opt("duongDan", &a.path);
        self.opt("giaTriCu", &a.old_value);
        self.opt("giaTriMoi", &a.new_value);
        self.opt("bienBan", &a.authorization);
        self.opt("bam", &a.hash);
        self.close("nhatKy");
    }
}

/// Escapes text content: `&`, `<` and `>` (the last so that `]]>` never appears).
fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for i in memchr::memchr3_iter(b'&', b'<', b'>', s.as_bytes()) {
        out.push_str(&s[last..i]);
        out.push_str(match s.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            _ => "&gt;",
        });
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// A value's text on the wire.
trait AsWire {
    fn wire(&self) -> std::borrow::Cow<'_, str>;
}

impl AsWire for Text {
    fn wire(&self) -> std::borrow::Cow<'_, str> {
        self.as_str().into()
    }
}

impl AsWire for bool {
    fn wire(&self) -> std::borrow::Cow<'_, str> {
        if *self { "true" } else { "false" }.into()
    }
}

impl AsWire for Number {
    fn wire(&self) -> std::borrow::Cow<'_, str> {
        self.to_string().into()
    }
}

macro_rules! as_wire_str {
    ($($t:ty),*) => {$(
        impl AsWire for $t {
            fn wire(&self) -> std::borrow::Cow<'_, str> {
                self.as_str().into()
            }
        }
    )*};
}

as_wire_str!(
    Date,
    Timestamp,
    SchoolYearLabel,
    Sex,
    SchoolKind,
    SignerTitle,
    SubjectCode,
    SubjectLevel,
    QualityCode,
    CompetencyCode,
    ItemLevel,
    YearResult,
    CommendationKind,
    Period,
    AuditRole,
    AuditAction,
    PhotoFormat
);
