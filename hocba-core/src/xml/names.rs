//! The element names of format v1, per entity, in canonical order.
//!
//! The writer emits children in this order, the reader lists them in errors, and tests check
//! them against `schemas/hocba-1.xsd` and the JSON Schema.

/// The XML namespace of format v1.
pub const NAMESPACE: &str = "urn:hocba:tieu-hoc:1";
/// The root element.
pub const ROOT: &str = "HocBa";

/// `HocBa`.
pub const HOC_BA: &[&str] = &[
    "maDinhDanhHocBa",
    "hocSinh",
    "truong",
    "quaTrinhHocTap",
    "namHoc",
    "nhatKy",
];
/// `HocSinh`.
pub const HOC_SINH: &[&str] = &[
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
/// `Anh`.
pub const ANH: &[&str] = &["dinhDang", "duLieu"];
/// `Truong`.
pub const TRUONG: &[&str] = &[
    "maTruong",
    "tenTruong",
    "xaPhuong",
    "tinhThanh",
    "quanHuyen",
    "loaiHinh",
];
/// `QuaTrinh`.
pub const QUA_TRINH: &[&str] = &["namHoc", "lop", "tenTruong", "soDangBo", "ngayNhapHoc"];
/// `NamHoc`.
pub const NAM_HOC: &[&str] = &[
    "namHoc",
    "khoi",
    "lop",
    "giaoVienChuNhiem",
    "hieuTruong",
    "chucVuNguoiKy",
    "khongDanhGia",
    "monHoc",
    "phamChat",
    "nangLuc",
    "ketQua",
    "danhGiaBoSung",
    "khenThuong",
    "hoanThanhChuongTrinhLop",
    "lenLop",
    "hoanThanhChuongTrinhTieuHoc",
    "dinhKy",
    "diaDanh",
    "ngayXacNhan",
];
/// `MonHoc`.
pub const MON_HOC: &[&str] = &["ma", "tenNgonNgu", "mucDat", "diem", "nhanXet"];
/// `MucDanhGia` (qualities and competencies).
pub const MUC_DANH_GIA: &[&str] = &["ma", "mucDat", "nhanXet"];
/// `KhenThuong`.
pub const KHEN_THUONG: &[&str] = &["loai", "noiDung"];
/// `DanhGiaBoSung`.
pub const DANH_GIA_BO_SUNG: &[&str] = &["ngay", "monHoc"];
/// `DinhKy`.
pub const DINH_KY: &[&str] = &["ky", "monHoc", "phamChat", "nangLuc"];
/// `NhatKy`.
pub const NHAT_KY: &[&str] = &[
    "thoiDiem",
    "nguoiThucHien",
    "vaiTro",
    "hanhDong",
    "duongDan",
    "giaTriCu",
    "giaTriMoi",
    "bienBan",
    "bam",
];

/// Every entity: its XSD complex type name and its children in canonical order.
pub const ENTITIES: &[(&str, &[&str])] = &[
    ("HocBa", HOC_BA),
    ("HocSinh", HOC_SINH),
    ("Anh", ANH),
    ("Truong", TRUONG),
    ("QuaTrinh", QUA_TRINH),
    ("NamHoc", NAM_HOC),
    ("MonHoc", MON_HOC),
    ("MucDanhGia", MUC_DANH_GIA),
    ("KhenThuong", KHEN_THUONG),
    ("DanhGiaBoSung", DANH_GIA_BO_SUNG),
    ("DinhKy", DINH_KY),
    ("NhatKy", NHAT_KY),
];
