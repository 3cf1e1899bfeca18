//! Sixteen pupils of one class, made from one fixture for the rendering benchmark and its
//! profiling loop: each has their own name, mother's name, birth date, numbers, address,
//! record ID and comments (every `nhanXet` starts with the pupil's given name), while the
//! school, subjects, levels and scores stay those of the class. Rendering the same record over
//! and over would let whatever a renderer keeps between documents (shaped text, say) serve the
//! pupil's own texts too, which a real class never allows.

use hocba_core::model::Record;

const NAMES: [(&str, &str); 16] = [
    ("Nguyễn Văn An", "Nguyễn Thị Hoa"),
    ("Trần Thị Bích Ngọc", "Lê Thị Hạnh"),
    ("Phạm Minh Khôi", "Đỗ Thị Lụa"),
    ("Hoàng Gia Bảo", "Vũ Thị Mai"),
    ("Võ Thị Thu Hà", "Phan Thị Nga"),
    ("Đặng Quốc Huy", "Trịnh Thị Oanh"),
    ("Bùi Ngọc Lan Anh", "Hồ Thị Phượng"),
    ("Đỗ Trọng Nghĩa", "Mai Thị Quyên"),
    ("Hồ Thị Mỹ Duyên", "Lương Thị Sen"),
    ("Ngô Đức Thịnh", "Tạ Thị Thắm"),
    ("Dương Khánh Linh", "Châu Thị Uyên"),
    ("Lý Hoàng Nam", "Quách Thị Vân"),
    ("Trương Thị Kim Oanh", "Kiều Thị Xuân"),
    ("Phan Tuấn Kiệt", "Âu Thị Yến"),
    ("Vũ Hải Yến", "Đàm Thị Ánh"),
    ("Đinh Công Tuấn", "Lã Thị Bình"),
];

/// Replaces the text of the first `<tag>` element.
fn set(xml: &str, tag: &str, value: &str) -> String {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    match (xml.find(&open), xml.find(&close)) {
        (Some(a), Some(b)) if a < b => format!("{}{open}{value}{}", &xml[..a], &xml[b..]),
        _ => xml.to_owned(),
    }
}

/// The class made from one fixture's XML.
pub fn classmates(xml: &str) -> Vec<Record> {
    NAMES
        .iter()
        .enumerate()
        .map(|(k, (name, mother))| {
            let given = name.rsplit(' ').next().unwrap_or(name);
            let mut x = set(xml, "hoVaTen", name);
            x = set(&x, "hoTenMe", mother);
            x = set(
                &x,
                "ngaySinh",
                &format!("2017-{:02}-{:02}", 1 + k % 12, 3 + k),
            );
            x = set(&x, "soDinhDanh", &format!("0562170{:05}", 4000 + 37 * k));
            x = set(&x, "maHocSinh", &format!("56023{:05}", 18_000 + 13 * k));
            x = set(
                &x,
                "maDinhDanhHocBa",
                &format!("HB-56-2026-{:06}", 8315 + k),
            );
            x = set(
                &x,
                "noiOHienNay",
                &format!(
                    "Tổ {}, thôn Phú Ân Nam, xã Diên Khánh, tỉnh Khánh Hòa",
                    k + 1
                ),
            );
            let x = x.replace("<nhanXet>", &format!("<nhanXet>{given}: "));
            hocba_core::xml::from_slice(x.as_bytes())
                .unwrap_or_else(|e| panic!("classmate {k}: {e}"))
        })
        .collect()
}
