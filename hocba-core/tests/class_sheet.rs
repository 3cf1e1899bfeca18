//! Class summary tables: CSV and XLSX reading and writing (`docs/class.md`).

use hocba_core::class::sheet::{
    read_csv, read_table, read_table_csv, read_table_xlsx, read_xlsx, template_xlsx,
    write_table_csv, write_table_xlsx, Limit, SheetError, SheetErrorKind, TableOptions,
};
use hocba_core::class::{ClassTable, TableRow};
use hocba_core::model::{
    CompetencyAssessment, CompetencyCode, ItemLevel, Number, Period, QualityAssessment,
    QualityCode, SubjectCode, SubjectLevel, SubjectResult, Text,
};
use hocba_core::rules::lists::subjects;

const NAMES: [&str; 6] = [
    "Nguyễn Văn An",
    "Trần Thị Bích Ngọc",
    "Lê Hoàng Phúc",
    "Phạm Thuỳ Dương",
    "Hà Anh \"Bống\" Vũ",
    "Đặng Quốc Huy",
];

const COMMENTS: [&str; 6] = [
    "Đọc to, rõ ràng; viết đúng chính tả.",
    "Em tính nhanh, \"chính xác\".\nCần trình bày bài sạch hơn.",
    "Tích cực phát biểu; hợp tác tốt với bạn, nhóm.",
    "",
    "Hoàn thành tốt; chữ viết đẹp, đều nét",
    "Còn chậm\tkhi làm bài; cần cố gắng.",
];

fn level(i: usize, j: usize) -> Option<SubjectLevel> {
    match (i + j) % 4 {
        0 => Some(SubjectLevel::CompletedWell),
        1 => Some(SubjectLevel::Completed),
        2 => Some(SubjectLevel::NotCompleted),
        _ => None,
    }
}

fn item(i: usize, j: usize) -> Option<ItemLevel> {
    match (i * 3 + j) % 4 {
        0 => Some(ItemLevel::Good),
        1 => Some(ItemLevel::Satisfactory),
        2 => Some(ItemLevel::NeedsEffort),
        _ => None,
    }
}

/// A grade-4 table in memory, every subject of the grade, every quality and competency.
fn sample(period: Period) -> ClassTable {
    let grade = 4;
    let rows = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let subjects = subjects()
                .iter()
                .filter(|s| s.taught_in(grade))
                .enumerate()
                .map(|(j, s)| {
                    let tested = s.tested_at(&period, grade);
                    let language = match s.code {
                        SubjectCode::ForeignLanguage if i != 2 => Some(Text::from("Tiếng Anh")),
                        SubjectCode::EthnicLanguage if i == 1 => Some(Text::from("Tiếng Mông")),
                        _ => None,
                    };
                    let comment = COMMENTS[(i + j) % COMMENTS.len()];
                    SubjectResult {
                        code: Some(s.code.clone()),
                        language_name: language,
                        level: level(i, j),
                        score: (tested && i != 3).then(|| Number::Integer(((i + j) % 11) as i64)),
                        comment: (!comment.is_empty()).then(|| Text::from(comment)),
                    }
                })
                .collect();
            TableRow {
                student_code: format!("HS{:03}", i + 1),
                full_name: name.to_string(),
                subjects,
                qualities: QualityCode::CODES
                    .iter()
                    .enumerate()
                    .map(|(j, c)| QualityAssessment {
                        code: Some(QualityCode::parse(c)),
                        level: item(i, j),
                        comment: None,
                    })
                    .collect(),
                competencies: CompetencyCode::CODES
                    .iter()
                    .enumerate()
                    .map(|(j, c)| CompetencyAssessment {
                        code: Some(CompetencyCode::parse(c)),
                        level: item(i, j + 1),
                        comment: None,
                    })
                    .collect(),
                ..TableRow::default()
            }
        })
        .collect();
    ClassTable {
        period: Some(period),
        grade: Some(grade),
        class_name: Some("4A".into()),
        rows,
    }
}

fn without_cells(mut t: ClassTable) -> ClassTable {
    for r in &mut t.rows {
        r.cells.clear();
        for c in &mut r.invalid {
            c.cell = None;
        }
    }
    t
}

fn opts(t: &ClassTable) -> TableOptions {
    TableOptions {
        period: t.period.clone(),
        grade: t.grade,
        class_name: t.class_name.clone(),
    }
}

#[test]
fn round_trip_xlsx_is_lossless() {
    for period in [Period::EndOfYear, Period::MidTerm1] {
        let table = sample(period.clone());
        let book = write_table_xlsx(&table).expect("write");
        // The period, grade and class come back from the title rows.
        let back = read_table_xlsx(&book, None, &TableOptions::default()).expect("read");
        assert_eq!(without_cells(back.clone()), table, "{period}");
        assert_eq!(write_table_xlsx(&back).expect("write again"), book);
        assert_eq!(
            write_table_xlsx(&table).expect("write"),
            book,
            "deterministic"
        );
        // Every value's cell is recorded.
        let row = &back.rows[0];
        assert_eq!(
            row.cells["maHocSinh"].a1(),
            format!("{}!B6", period.as_str())
        );
        assert!(row.cells.contains_key("monHoc.TOAN.mucDat"));
        assert!(row.cells.contains_key("nangLuc.THE_CHAT.mucDat"));
    }
}

#[test]
fn round_trip_csv_is_lossless() {
    for period in [Period::EndOfYear, Period::MidTerm1] {
        let table = sample(period.clone());
        let csv = write_table_csv(&table);
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let back = read_table_csv(&csv, "4A.csv", &opts(&table)).expect("read");
        assert_eq!(without_cells(back.clone()), table, "{period}");
        assert_eq!(write_table_csv(&back), csv);
    }
}

#[test]
fn scores_written_only_where_tested() {
    let mid = String::from_utf8(write_table_csv(&sample(Period::MidTerm1))).expect("utf8");
    let header = mid
        .lines()
        .find(|l| l.contains("Mã học sinh"))
        .expect("header");
    assert!(header.contains("Toán - Điểm"));
    assert!(!header.contains("Khoa học - Điểm"));
    assert!(header.contains("Ngoại ngữ 1 - Ngôn ngữ"));
    let end = String::from_utf8(write_table_csv(&sample(Period::EndOfYear))).expect("utf8");
    assert!(end.contains("Khoa học - Điểm"));
    assert!(!end.contains("Đạo đức - Điểm"));
}

fn one_row(csv: &str) -> TableRow {
    let table = read_table_csv(csv.as_bytes(), "t.csv", &TableOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(table.rows.len(), 1, "{table:?}");
    table.rows.into_iter().next().expect("row")
}

fn subject<'a>(row: &'a TableRow, code: &str) -> &'a SubjectResult {
    row.subjects
        .iter()
        .find(|s| s.code.as_ref().map(SubjectCode::as_str) == Some(code))
        .unwrap_or_else(|| panic!("no {code} in {row:?}"))
}

#[test]
fn separators_and_bom() {
    for sep in [",", ";", "\t"] {
        let csv = format!(
            "\u{feff}Mã học sinh{sep}Họ và tên{sep}Toán - Điểm{sep}Toán - Nhận xét\n\
             HS1{sep}An{sep}8{sep}\"Tốt{sep} chăm\"\n"
        );
        let row = one_row(&csv);
        assert_eq!(row.student_code, "HS1");
        assert_eq!(subject(&row, "TOAN").score, Some(Number::Integer(8)));
        assert_eq!(
            subject(&row, "TOAN").comment.as_deref(),
            Some(format!("Tốt{sep} chăm").as_str())
        );
    }
}

#[test]
fn two_row_header_with_blank_continuation_cells() {
    let csv = "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC\n\
               Lớp: 4B; Giữa học kỳ II\n\
               \n\
               STT,Mã học sinh,Họ và tên,Tiếng Việt,,,Phẩm chất,,Năng lực\n\
               ,,,Mức đạt,Điểm,Nhận xét,Yêu nước,Nhân ái,Thể chất\n\
               1,HS1,An,T,9,Tốt,T,Đ,C\n\
               2,HS2,Bình,h,7,,D,t,\n\
               3,,,,,,,,\n\
               ,,,,,,,,\n";
    let table = read_table_csv(csv.as_bytes(), "t.csv", &TableOptions::default()).expect("read");
    assert_eq!(table.period, Some(Period::MidTerm2));
    assert_eq!(table.class_name.as_deref(), Some("4B"));
    assert_eq!(table.grade, Some(4));
    assert_eq!(table.rows.len(), 2);
    let row = &table.rows[1];
    assert_eq!(subject(row, "TV").level, Some(SubjectLevel::Completed));
    assert_eq!(row.qualities[0].level, Some(ItemLevel::Satisfactory));
    assert_eq!(row.qualities[1].level, Some(ItemLevel::Good));
    assert_eq!(row.competencies.len(), 1);
    assert_eq!(row.competencies[0].level, None);
    assert_eq!(row.cells["phamChat.NHAN_AI.mucDat"].a1(), "t.csv!H7");
}

#[test]
fn tolerated_oddities() {
    let csv = "  Mã   học sinh ,Ho va ten,Mỹ thuật - Mức đạt,Lịch sử và Địa lý - Điểm,\
               Âm nhạc: Mức đạt,TIẾNG VIỆT / ĐIỂM,Phẩm chất - Trung thực,Năng lực - Tin học,\
               Tin học - Mức đạt,Hoạt động trải nghiệm - Nhận xét\n\
               \x20HS7 , Lê  Hoà ,t, 8.0 ,c,\" 10 \",d,T,H,  Tích cực  \n\n\n,,,\n";
    let row = one_row(csv);
    assert_eq!(row.student_code, "HS7");
    assert_eq!(row.full_name, "Lê  Hoà");
    assert_eq!(subject(&row, "MT").level, Some(SubjectLevel::CompletedWell));
    assert_eq!(subject(&row, "LSDL").score, Some(Number::Integer(8)));
    assert_eq!(subject(&row, "AN").level, Some(SubjectLevel::NotCompleted));
    assert_eq!(subject(&row, "TV").score, Some(Number::Integer(10)));
    assert_eq!(subject(&row, "TIN").level, Some(SubjectLevel::Completed));
    assert_eq!(subject(&row, "HDTN").comment.as_deref(), Some("Tích cực"));
    assert_eq!(row.qualities[0].code, Some(QualityCode::Honesty));
    assert_eq!(row.qualities[0].level, Some(ItemLevel::Satisfactory));
    assert_eq!(row.competencies[0].code, Some(CompetencyCode::Informatics));
    // Subjects in the order of domain.md.
    let order: Vec<&str> = row
        .subjects
        .iter()
        .filter_map(|s| s.code.as_ref().map(SubjectCode::as_str))
        .collect();
    assert_eq!(order, ["TV", "LSDL", "TIN", "AN", "MT", "HDTN"]);
    assert!(row.invalid.is_empty(), "{:?}", row.invalid);
}

#[test]
fn decimals_and_out_of_range_scores_are_kept_for_the_checks() {
    let row = one_row("Mã học sinh,Toán - Điểm,Tiếng Việt - Điểm\nHS1,8.5,11\n");
    assert_eq!(subject(&row, "TOAN").score, Some(Number::Decimal(8.5)));
    assert_eq!(subject(&row, "TV").score, Some(Number::Integer(11)));
}

#[test]
fn invalid_cells_are_kept_with_their_place() {
    let csv = "Mã học sinh,Toán - Mức đạt,Toán - Điểm,Tiếng Việt - Điểm,Năng lực - Thể chất\n\
               HS1,X,mười,\"8,5\",Tốt\n";
    let row = one_row(csv);
    let found: Vec<(&str, &str, String)> = row
        .invalid
        .iter()
        .map(|c| {
            (
                c.field.as_str(),
                c.text.as_str(),
                c.cell.as_ref().map(|r| r.a1()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("monHoc.TOAN.mucDat", "X", "t.csv!B2".to_owned()),
            ("monHoc.TOAN.diem", "mười", "t.csv!C2".to_owned()),
            ("monHoc.TV.diem", "8,5", "t.csv!D2".to_owned()),
            ("nangLuc.THE_CHAT.mucDat", "Tốt", "t.csv!E2".to_owned()),
        ]
    );
    assert_eq!(subject(&row, "TOAN").level, None);
    // Written back as they were, so a write → read loses nothing.
    let table = ClassTable {
        rows: vec![row.clone()],
        ..ClassTable::default()
    };
    let back =
        read_table_csv(&write_table_csv(&table), "t.csv", &TableOptions::default()).expect("read");
    let texts: Vec<&str> = back.rows[0]
        .invalid
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    // Columns are written in the order of domain.md: Tiếng Việt before Toán.
    assert_eq!(texts, ["8,5", "X", "mười", "Tốt"]);
}

#[test]
fn numbers_stored_as_text_and_as_numbers_in_xlsx() {
    // A workbook written by us holds scores as numbers; text "8" and "8.0" are read alike.
    let mut table = sample(Period::EndOfYear);
    table.rows.truncate(1);
    let book = write_table_xlsx(&table).expect("write");
    let sheets = read_xlsx(&book).expect("read");
    let sheet = &sheets[0];
    let header = &sheet.rows[4];
    let col = header
        .iter()
        .position(|h| h == "Điểm")
        .expect("score column");
    let score = &sheet.rows[5][col];
    assert!(!score.ends_with(".0"), "{score}");
    let mut edited = sheet.clone();
    edited.rows[5][col] = "8.0".into();
    let t = read_table(&edited, &TableOptions::default()).expect("table");
    assert_eq!(t.rows[0].subjects[0].score, Some(Number::Integer(8)));
}

#[test]
fn template_reads_back_empty() {
    let book = template_xlsx(3, Period::EndOfTerm1, Some("3C")).expect("template");
    assert_eq!(
        book,
        template_xlsx(3, Period::EndOfTerm1, Some("3C")).expect("again")
    );
    let t = read_table_xlsx(&book, Some("chk1"), &TableOptions::default()).expect("read");
    assert_eq!(t.period, Some(Period::EndOfTerm1));
    assert_eq!(t.class_name.as_deref(), Some("3C"));
    assert!(t.rows.is_empty());
    let sheets = read_xlsx(&book).expect("sheets");
    assert_eq!(sheets[0].cell(44, 0), "40");
}

fn assert_error(err: &SheetError, sheet: &str, row: Option<u32>, column: Option<&str>) {
    assert_eq!(err.sheet.as_deref(), Some(sheet), "{err}");
    assert_eq!(err.row, row, "{err}");
    assert_eq!(err.column.as_deref(), column, "{err}");
    let (en, vi) = (err.message(), err.message_vi());
    assert!(en.contains(sheet) && vi.contains(sheet), "{en} / {vi}");
    if let Some(r) = row {
        assert!(en.contains(&format!("row {r}")), "{en}");
        assert!(vi.contains(&format!("dòng {r}")), "{vi}");
    }
    if let Some(c) = column {
        assert!(en.contains(&format!("column {c}")), "{en}");
        assert!(vi.contains(&format!("cột {c}")), "{vi}");
    }
    assert_ne!(en, vi);
    assert_eq!(err.to_string(), en);
}

fn csv_error(csv: &[u8]) -> SheetError {
    read_table_csv(csv, "lop.csv", &TableOptions::default()).expect_err("should fail")
}

#[test]
fn error_no_header() {
    let err = csv_error("Họ và tên,Toán\nAn,T\n".as_bytes());
    assert_eq!(err.kind, SheetErrorKind::NoHeader);
    assert_error(&err, "lop.csv", None, None);
    assert!(err.message().contains("Mã học sinh"));
}

#[test]
fn error_unknown_column() {
    let err = csv_error("Mã học sinh,Họ và tên,Ghi chú\nHS1,An,x\n".as_bytes());
    assert_eq!(
        err.kind,
        SheetErrorKind::UnknownColumn {
            header: "Ghi chú".into()
        }
    );
    assert_error(&err, "lop.csv", Some(1), Some("C"));
    // A subject without a sub-header, and a sub-header the subject does not have.
    let err = csv_error("Mã học sinh,Toán\nHS1,T\n".as_bytes());
    assert!(matches!(err.kind, SheetErrorKind::UnknownColumn { .. }));
    let err = csv_error("Mã học sinh,Toán - Ngôn ngữ\nHS1,T\n".as_bytes());
    assert!(matches!(err.kind, SheetErrorKind::UnknownColumn { .. }));
    // In a two-row header, the sub-header is named.
    let err = csv_error("Mã học sinh,Toán,\n,Mức đạt,Hạnh kiểm\nHS1,T,\n".as_bytes());
    assert_eq!(
        err.kind,
        SheetErrorKind::UnknownColumn {
            header: "Hạnh kiểm".into()
        }
    );
    assert_error(&err, "lop.csv", Some(2), Some("C"));
}

#[test]
fn error_duplicate_column() {
    let err = csv_error("Mã học sinh,Mĩ thuật - Mức đạt,Mỹ thuật - Mức đạt\nHS1,T,T\n".as_bytes());
    assert_eq!(
        err.kind,
        SheetErrorKind::DuplicateColumn {
            header: "Nghệ thuật (Mĩ thuật) - Mức đạt".into(),
            first: "B".into()
        }
    );
    assert_error(&err, "lop.csv", Some(1), Some("C"));
}

#[test]
fn error_row_without_code() {
    let err = csv_error("Mã học sinh,Họ và tên,Toán - Mức đạt\nHS1,An,T\n,Bình,H\n".as_bytes());
    assert_eq!(err.kind, SheetErrorKind::MissingCode);
    assert_error(&err, "lop.csv", Some(3), Some("A"));
}

#[test]
fn error_not_utf8() {
    // "Mã học sinh" in Windows-1258.
    let err = csv_error(b"STT,M\xE3 h\xF2c sinh\n1,HS1\n");
    assert_eq!(err.kind, SheetErrorKind::NotUtf8 { offset: 5 });
    assert_error(&err, "lop.csv", Some(1), None);
    assert!(err.message().contains("CSV UTF-8"));
    assert!(err.message_vi().contains("CSV UTF-8"));
}

#[test]
fn error_too_many_rows() {
    let mut csv = String::from("Mã học sinh\n");
    for i in 0..100_000 {
        csv.push_str(&format!("HS{i}\n"));
    }
    let err = csv_error(csv.as_bytes());
    assert_eq!(err.kind, SheetErrorKind::TooLarge { limit: Limit::Rows });
    assert!(err.message().contains("100000 rows"));
    assert!(err.message_vi().contains("100000 dòng"));
    let err = read_csv(&vec![b'a'; 64 * 1024 * 1024 + 1], "big.csv").expect_err("too big");
    assert_eq!(
        err.kind,
        SheetErrorKind::TooLarge {
            limit: Limit::Bytes
        }
    );
}

fn xlsx_error(bytes: &[u8]) -> SheetError {
    read_table_xlsx(bytes, None, &TableOptions::default()).expect_err("should fail")
}

#[test]
fn error_malformed_xlsx() {
    let random: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for bytes in [
        &random[..],
        b"",
        b"PK\x03\x04",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest",
    ] {
        let err = xlsx_error(bytes);
        assert!(
            matches!(err.kind, SheetErrorKind::Unreadable { .. }),
            "{err:?}"
        );
        assert!(err.message().contains(".xlsx") && err.message_vi().contains(".xlsx"));
    }
    let book = write_table_xlsx(&sample(Period::EndOfYear)).expect("write");
    let err = xlsx_error(&book[..book.len() / 2]);
    assert!(
        matches!(err.kind, SheetErrorKind::Unreadable { .. }),
        "{err:?}"
    );
    // A zip that is not a workbook: a zip with one stored file.
    let err = xlsx_error(&stored_zip("hello.txt", b"hello"));
    assert!(
        matches!(err.kind, SheetErrorKind::Unreadable { .. }),
        "{err:?}"
    );
    // A named sheet that does not exist.
    let err = read_table_xlsx(&book, Some("GHK1"), &TableOptions::default()).expect_err("no sheet");
    assert_eq!(
        err.kind,
        SheetErrorKind::NoSheet {
            name: Some("GHK1".into()),
            available: vec!["CN".into()]
        }
    );
    assert!(err.message().contains("“CN”") && err.message_vi().contains("“CN”"));
}

#[test]
fn truncated_xlsx_never_panics() {
    let mut table = sample(Period::EndOfYear);
    table.rows.truncate(2);
    let book = write_table_xlsx(&table).expect("write");
    for len in (0..book.len()).step_by(97) {
        let _ = read_xlsx(&book[..len]);
    }
    // Bytes flipped here and there, too.
    for i in (0..book.len()).step_by(389) {
        let mut bad = book.clone();
        bad[i] ^= 0x5A;
        let _ = read_table_xlsx(&bad, None, &TableOptions::default());
    }
}

/// A minimal zip archive holding one stored (uncompressed) file.
fn stored_zip(name: &str, data: &[u8]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for b in data {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let crc = crc32(data);
    let n = name.len() as u16;
    let size = data.len() as u32;
    let mut out = Vec::new();
    out.extend_from_slice(b"PK\x03\x04");
    out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    let central = out.len() as u32;
    out.extend_from_slice(b"PK\x01\x02");
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&[0; 12]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let central_size = out.len() as u32 - central;
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
