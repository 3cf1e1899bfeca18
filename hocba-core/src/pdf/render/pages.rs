//! The pages of the template of Circular 27 (Appendix), in order: cover, pupil information,
//! learning history, and the page of the school year.

use super::canvas::{
    Align, Canvas, Col, Op, Row, SignatureBox, BODY_W, MARGIN_B, MARGIN_L, MARGIN_T, PAGE_H,
};
use super::photo::Photo;
use super::text;
use crate::model::{
    CompetencyCode, Date, ItemLevel, Record, SchoolYear, Sex, SignerTitle, SubjectResult,
    SupplementaryAssessment, Text, YearResult,
};
use crate::rules::lists;

/// Body text size.
const BODY: f32 = 12.0;
/// Table text size.
const TABLE: f32 = 10.5;

fn t(v: &Option<Text>) -> &str {
    v.as_ref().map_or("", |t| t.as_str())
}

/// `14/03/2016`, or the text as written when it is not a date.
fn date(d: &Option<Date>) -> String {
    match d {
        None => String::new(),
        Some(d) => match d.to_calendar() {
            Some(c) => format!("{:02}/{:02}/{:04}", c.day, c.month, c.year),
            None => d.as_str().to_owned(),
        },
    }
}

/// `Ninh Hải, ngày 25 tháng 5 năm 2025` (days before 10, January and February with a zero,
/// as Decree 30/2020 writes dates).
pub(crate) fn place_and_date(place: &str, d: &Option<Date>) -> String {
    let when = match d.as_ref().and_then(Date::to_calendar) {
        Some(c) => {
            let month = if c.month <= 2 {
                format!("{:02}", c.month)
            } else {
                c.month.to_string()
            };
            format!("ngày {:02} tháng {} năm {}", c.day, month, c.year)
        }
        None => match d {
            Some(raw) => format!("ngày {}", raw.as_str()),
            None => "ngày … tháng … năm …".to_owned(),
        },
    };
    if place.trim().is_empty() {
        when
    } else {
        format!("{}, {}", place.trim(), when)
    }
}

/// 1. Cover.
pub(crate) fn cover(c: &mut Canvas<'_, '_>, record: &Record) {
    c.new_page();
    // Double frame.
    for (inset, width) in [(18.0, 1.6), (23.0, 0.6)] {
        c.push(Op::Rect {
            x: MARGIN_L - inset,
            y: MARGIN_T - inset + 10.0,
            w: BODY_W + 2.0 * inset,
            h: PAGE_H - MARGIN_T - MARGIN_B + 2.0 * inset - 20.0,
            width,
            gray: false,
        });
    }
    c.y = MARGIN_T + 30.0;
    c.paragraph(
        MARGIN_L,
        BODY_W,
        Align::Center,
        true,
        14.0,
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
    );
    c.y = 250.0;
    c.paragraph(MARGIN_L, BODY_W, Align::Center, true, 54.0, "HỌC BẠ");
    c.y += 8.0;
    c.paragraph(MARGIN_L, BODY_W, Align::Center, true, 24.0, "TIỂU HỌC");
    let pupil = record.pupil.clone().unwrap_or_default();
    let school = record.school.clone().unwrap_or_default();
    c.y = 480.0;
    let x = MARGIN_L + 40.0;
    let w = BODY_W - 80.0;
    c.field(x, w, 14.0, "Họ và tên học sinh:", t(&pupil.full_name));
    c.y += 6.0;
    c.field(x, w, 14.0, "Trường:", t(&school.name));
    c.y += 6.0;
    c.field(x, w, 14.0, "Xã (Phường, Đặc khu):", t(&school.commune));
    if let Some(district) = &school.district {
        c.y += 6.0;
        c.field(
            x,
            w,
            14.0,
            "Huyện (Quận, Thị xã, Thành phố):",
            district.as_str(),
        );
    }
    c.y += 6.0;
    c.field(x, w, 14.0, "Tỉnh (Thành phố):", t(&school.province));
}

fn sex_name(s: &Option<Sex>) -> &str {
    match s {
        Some(Sex::Male) => "Nam",
        Some(Sex::Female) => "Nữ",
        Some(Sex::Other(raw)) => raw.as_str(),
        None => "",
    }
}

fn nationality_name(code: &str) -> &str {
    if code == "VN" {
        "Việt Nam"
    } else {
        code
    }
}

/// The pupil's photo, ready to embed (`None` when absent or not drawable; see `photo.rs`). The
/// format is decided by the bytes, not the declared type (the rules report a mismatch).
pub(crate) fn photo(record: &Record) -> Option<Photo> {
    use base64::Engine as _;
    let photo = record.pupil.as_ref()?.photo.as_ref()?;
    let data = base64::engine::general_purpose::STANDARD
        .decode(photo.data.as_ref()?.as_str())
        .ok()?;
    super::photo::from_bytes(data)
}

/// The signer block of the principal: `HIỆU TRƯỞNG`, or `KT. HIỆU TRƯỞNG` / `PHÓ HIỆU TRƯỞNG`.
fn principal_titles(title: &Option<SignerTitle>) -> Vec<String> {
    match title {
        Some(SignerTitle::DeputyPrincipal) => {
            vec!["KT. HIỆU TRƯỞNG".to_owned(), "PHÓ HIỆU TRƯỞNG".to_owned()]
        }
        Some(SignerTitle::Other(raw)) => vec![raw.as_str().to_uppercase()],
        _ => vec!["HIỆU TRƯỞNG".to_owned()],
    }
}

/// 2. Pupil information, with the photo.
pub(crate) fn pupil_page(
    c: &mut Canvas<'_, '_>,
    record: &Record,
    year: &SchoolYear,
    photo: Option<&Photo>,
) {
    c.new_page();
    let pupil = record.pupil.clone().unwrap_or_default();
    c.paragraph(MARGIN_L, BODY_W, Align::Center, true, 15.0, "HỌC BẠ");
    c.paragraph(
        MARGIN_L,
        BODY_W,
        Align::Center,
        true,
        13.0,
        "THÔNG TIN HỌC SINH",
    );
    c.y += 14.0;
    // Photo 3×4 cm.
    let (pw, ph) = (85.0, 113.4);
    let top = c.y;
    c.push(Op::Rect {
        x: MARGIN_L,
        y: top,
        w: pw,
        h: ph,
        width: 0.6,
        gray: false,
    });
    match photo {
        Some(image) => {
            let (iw, ih) = (image.width.max(1) as f32, image.height.max(1) as f32);
            let scale = (pw / iw).min(ph / ih);
            let (w, h) = (iw * scale, ih * scale);
            c.push(Op::Image {
                x: MARGIN_L + (pw - w) / 2.0,
                y: top + (ph - h) / 2.0,
                w,
                h,
            });
        }
        None => {
            let line = text::single(&c.fonts.regular, "Ảnh 3×4", 10.0);
            c.draw_line(
                MARGIN_L,
                top + ph / 2.0 - 6.0,
                pw,
                Align::Center,
                false,
                10.0,
                line,
            );
        }
    }
    let x = MARGIN_L + pw + 18.0;
    let w = BODY_W - pw - 18.0;
    c.field(x, w, BODY, "Họ và tên:", t(&pupil.full_name));
    c.y += 4.0;
    c.field(x, w, BODY, "Giới tính:", sex_name(&pupil.sex));
    c.y += 4.0;
    c.field(
        x,
        w,
        BODY,
        "Ngày, tháng, năm sinh:",
        &date(&pupil.date_of_birth),
    );
    c.y += 4.0;
    let ethnicity = t(&pupil.ethnicity);
    c.field(
        x,
        w,
        BODY,
        "Dân tộc:",
        lists::ethnicity(ethnicity).unwrap_or(ethnicity),
    );
    c.y += 4.0;
    c.field(
        x,
        w,
        BODY,
        "Quốc tịch:",
        nationality_name(t(&pupil.nationality)),
    );
    c.y = c.y.max(top + ph) + 16.0;
    let rows: [(&str, &str); 8] = [
        ("Số định danh cá nhân:", t(&pupil.personal_id)),
        ("Mã học sinh:", t(&pupil.student_code)),
        ("Nơi sinh:", t(&pupil.place_of_birth)),
        ("Quê quán:", t(&pupil.hometown)),
        ("Nơi ở hiện nay:", t(&pupil.current_address)),
        ("Họ và tên cha:", t(&pupil.father_name)),
        ("Họ và tên mẹ:", t(&pupil.mother_name)),
        ("Người giám hộ (nếu có):", t(&pupil.guardian_name)),
    ];
    for (label, value) in rows {
        c.field(MARGIN_L, BODY_W, BODY, label, value);
        c.y += 5.0;
    }
    // Place, date and the principal (signs on paper with the seal; digitally on the year page).
    c.y += 18.0;
    let col_x = MARGIN_L + BODY_W / 2.0;
    let col_w = BODY_W / 2.0;
    c.ensure(150.0);
    c.paragraph(
        col_x,
        col_w,
        Align::Center,
        false,
        BODY,
        &place_and_date(t(&year.place_name), &year.confirmation_date),
    );
    for title in principal_titles(&year.signer_title) {
        c.paragraph(col_x, col_w, Align::Center, true, BODY, &title);
    }
    c.paragraph(
        col_x,
        col_w,
        Align::Center,
        false,
        10.5,
        "(Ký, ghi rõ họ tên và đóng dấu)",
    );
    c.y += 62.0;
    c.paragraph(col_x, col_w, Align::Center, true, BODY, t(&year.principal));
}

/// 3. Learning history.
pub(crate) fn history_page(c: &mut Canvas<'_, '_>, record: &Record) {
    c.new_page();
    c.paragraph(
        MARGIN_L,
        BODY_W,
        Align::Center,
        true,
        15.0,
        "QUÁ TRÌNH HỌC TẬP",
    );
    c.y += 14.0;
    let cols = [
        Col {
            width: 70.0,
            title: "Năm học",
            align: Align::Center,
        },
        Col {
            width: 55.0,
            title: "Lớp",
            align: Align::Center,
        },
        Col {
            width: BODY_W - 70.0 - 55.0 - 85.0 - 95.0,
            title: "Tên trường",
            align: Align::Left,
        },
        Col {
            width: 85.0,
            title: "Số đăng bộ",
            align: Align::Center,
        },
        Col {
            width: 95.0,
            title: "Ngày nhập học/ chuyển đến",
            align: Align::Center,
        },
    ];
    let rows: Vec<Row> = record
        .history
        .iter()
        .map(|h| {
            Row::Cells(vec![
                h.school_year
                    .as_ref()
                    .map_or(String::new(), |y| y.as_str().to_owned()),
                t(&h.class_name).to_owned(),
                t(&h.school_name).to_owned(),
                t(&h.registration_number).to_owned(),
                date(&h.enrolment_date),
            ])
        })
        .collect();
    c.table(MARGIN_L, &cols, &rows, 11.0);
}

/// The printed name of a subject: the official spelling, with the language for NN1 and TDT.
pub(crate) fn subject_name(s: &SubjectResult) -> String {
    let Some(code) = &s.code else {
        return String::new();
    };
    let name = lists::subject(code).map_or(code.as_str(), |i| i.name);
    match &s.language_name {
        Some(lang) if !lang.is_blank() => format!("{name} ({})", lang.as_str()),
        _ => name.to_owned(),
    }
}

/// The year's subjects in the programme's order, with the summer re-assessment applied (the
/// page prints the final values).
pub(crate) fn final_subjects(
    year: &SchoolYear,
    extra: &Option<SupplementaryAssessment>,
) -> Vec<SubjectResult> {
    let mut subjects = year.subjects.clone();
    if let Some(extra) = extra {
        for re in &extra.subjects {
            if let Some(s) = subjects
                .iter_mut()
                .find(|s| s.code == re.code && re.code.is_some())
            {
                if re.level.is_some() {
                    s.level = re.level.clone();
                }
                if re.score.is_some() {
                    s.score = re.score;
                }
                if re.comment.is_some() {
                    s.comment = re.comment.clone();
                }
            }
        }
    }
    let order = |s: &SubjectResult| {
        s.code
            .as_ref()
            .and_then(|code| lists::subjects().iter().position(|i| &i.code == code))
            .unwrap_or(usize::MAX)
    };
    subjects.sort_by_key(order);
    subjects
}

fn item_level(l: &Option<ItemLevel>) -> String {
    l.as_ref().map_or(String::new(), |l| l.as_str().to_owned())
}

/// The year-end result in words.
pub(crate) fn result_name(r: &Option<YearResult>) -> String {
    match r {
        Some(YearResult::Excellent) => "Hoàn thành xuất sắc".to_owned(),
        Some(YearResult::Good) => "Hoàn thành tốt".to_owned(),
        Some(YearResult::Completed) => "Hoàn thành".to_owned(),
        Some(YearResult::NotCompleted) => "Chưa hoàn thành".to_owned(),
        Some(YearResult::Other(raw)) => raw.as_str().to_owned(),
        None => String::new(),
    }
}

/// The completion line (Article 11).
pub(crate) fn completion_line(year: &SchoolYear) -> String {
    let grade = year.grade.as_ref().map_or(String::new(), |g| g.to_string());
    if year.completed_primary == Some(true) {
        return "Hoàn thành chương trình tiểu học".to_owned();
    }
    match (year.completed_grade, year.promoted) {
        (Some(true), _) => format!("Hoàn thành chương trình lớp {grade}"),
        (Some(false), Some(true)) => {
            format!("Chưa hoàn thành chương trình lớp {grade}; Được lên lớp")
        }
        (Some(false), Some(false)) => {
            format!("Chưa hoàn thành chương trình lớp {grade}; Ở lại lớp")
        }
        (Some(false), None) => format!("Chưa hoàn thành chương trình lớp {grade}"),
        (None, _) => String::new(),
    }
}

/// The column widths of the subjects table (name, level, score, comment).
pub(crate) const SUBJECT_WIDTHS: [f32; 4] = [140.0, 50.0, 44.0, BODY_W - 140.0 - 50.0 - 44.0];
/// The column widths of the qualities and competencies tables (name, level, comment).
pub(crate) const ITEM_WIDTHS: [f32; 3] = [140.0, 50.0, BODY_W - 190.0];

/// 4. The page of the school year, with the signature boxes at its end.
pub(crate) fn year_page(c: &mut Canvas<'_, '_>, record: &Record, year: &SchoolYear, seal: bool) {
    c.new_page();
    let pupil_name = record
        .pupil
        .as_ref()
        .map_or("", |p| t(&p.full_name))
        .to_owned();
    let school_year = year
        .school_year
        .as_ref()
        .map_or(String::new(), |y| y.as_str().to_owned());
    c.field(MARGIN_L, BODY_W, BODY, "Họ và tên học sinh:", &pupil_name);
    let half = BODY_W / 2.0;
    let top = c.y;
    c.field(MARGIN_L, half, BODY, "Lớp:", t(&year.class_name));
    let after_class = c.y;
    c.y = top;
    c.field(MARGIN_L + half, half, BODY, "Năm học:", &school_year);
    c.y = c.y.max(after_class) + 8.0;
    c.continuation = Some(format!(
        "Năm học {school_year} — Lớp {} — {pupil_name} (tiếp theo)",
        t(&year.class_name)
    ));

    if year.exempt {
        c.paragraph(
            MARGIN_L,
            BODY_W,
            Align::Left,
            false,
            BODY,
            "Học sinh thuộc diện không đánh giá kết quả giáo dục theo quy định (học sinh khuyết tật học theo kế hoạch giáo dục cá nhân).",
        );
        c.y += 6.0;
    } else {
        // (1) Subjects and activities.
        heading(c, "1. Các môn học và hoạt động giáo dục");
        let cols = [
            Col {
                width: SUBJECT_WIDTHS[0],
                title: "Môn học và hoạt động giáo dục",
                align: Align::Left,
            },
            Col {
                width: SUBJECT_WIDTHS[1],
                title: "Mức đạt được",
                align: Align::Center,
            },
            Col {
                width: SUBJECT_WIDTHS[2],
                title: "Điểm KTĐK",
                align: Align::Center,
            },
            Col {
                width: SUBJECT_WIDTHS[3],
                title: "Nhận xét",
                align: Align::Left,
            },
        ];
        let rows: Vec<Row> = final_subjects(year, &year.supplementary)
            .iter()
            .map(|s| {
                Row::Cells(vec![
                    subject_name(s),
                    s.level
                        .as_ref()
                        .map_or(String::new(), |l| l.as_str().to_owned()),
                    s.score.as_ref().map_or(String::new(), |n| n.to_string()),
                    t(&s.comment).to_owned(),
                ])
            })
            .collect();
        c.table(MARGIN_L, &cols, &rows, TABLE);
        c.y += 8.0;

        // (2) Qualities.
        heading(c, "2. Những phẩm chất chủ yếu");
        let cols = [
            Col {
                width: ITEM_WIDTHS[0],
                title: "Phẩm chất chủ yếu",
                align: Align::Left,
            },
            Col {
                width: ITEM_WIDTHS[1],
                title: "Mức đạt được",
                align: Align::Center,
            },
            Col {
                width: ITEM_WIDTHS[2],
                title: "Nhận xét",
                align: Align::Left,
            },
        ];
        let mut qualities = year.qualities.clone();
        qualities.sort_by_key(|q| {
            q.code
                .as_ref()
                .and_then(|c| {
                    crate::model::QualityCode::CODES
                        .iter()
                        .position(|k| *k == c.as_str())
                })
                .unwrap_or(usize::MAX)
        });
        let rows: Vec<Row> = qualities
            .iter()
            .map(|q| {
                let code = q.code.as_ref().map_or("", |c| c.as_str());
                let name = lists::quality_name(code);
                Row::Cells(vec![
                    if name.is_empty() { code } else { name }.to_owned(),
                    item_level(&q.level),
                    t(&q.comment).to_owned(),
                ])
            })
            .collect();
        c.table(MARGIN_L, &cols, &rows, TABLE);
        c.y += 8.0;

        // (3) Competencies: general, then specific.
        heading(c, "3. Những năng lực cốt lõi");
        let cols = [
            Col {
                width: ITEM_WIDTHS[0],
                title: "Năng lực cốt lõi",
                align: Align::Left,
            },
            Col {
                width: ITEM_WIDTHS[1],
                title: "Mức đạt được",
                align: Align::Center,
            },
            Col {
                width: ITEM_WIDTHS[2],
                title: "Nhận xét",
                align: Align::Left,
            },
        ];
        let mut competencies = year.competencies.clone();
        competencies.sort_by_key(|q| {
            q.code
                .as_ref()
                .and_then(|c| CompetencyCode::CODES.iter().position(|k| *k == c.as_str()))
                .unwrap_or(usize::MAX)
        });
        let general = |c: &Option<CompetencyCode>| {
            matches!(
                c,
                Some(
                    CompetencyCode::SelfLearning
                        | CompetencyCode::Communication
                        | CompetencyCode::ProblemSolving
                )
            )
        };
        let mut rows = vec![Row::Section("Năng lực chung".to_owned())];
        let row = |q: &crate::model::CompetencyAssessment| {
            let code = q.code.as_ref().map_or("", |c| c.as_str());
            let name = lists::competency_name(code);
            Row::Cells(vec![
                if name.is_empty() { code } else { name }.to_owned(),
                item_level(&q.level),
                t(&q.comment).to_owned(),
            ])
        };
        rows.extend(competencies.iter().filter(|q| general(&q.code)).map(row));
        rows.push(Row::Section("Năng lực đặc thù".to_owned()));
        rows.extend(competencies.iter().filter(|q| !general(&q.code)).map(row));
        c.table(MARGIN_L, &cols, &rows, TABLE);
        c.y += 8.0;
    }

    // (4) Result, (5) commendations, (6) completion.
    c.ensure(60.0);
    c.field_with(
        MARGIN_L,
        BODY_W,
        BODY,
        "4. Đánh giá kết quả giáo dục:",
        &result_name(&year.result),
        true,
    );
    c.y += 3.0;
    if year.commendations.is_empty() {
        c.field_with(MARGIN_L, BODY_W, BODY, "5. Khen thưởng:", "không", true);
    } else {
        heading(c, "5. Khen thưởng:");
        for k in &year.commendations {
            c.field_with(
                MARGIN_L + 14.0,
                BODY_W - 14.0,
                BODY,
                "-",
                t(&k.content),
                true,
            );
        }
    }
    c.y += 3.0;
    heading(
        c,
        "6. Hoàn thành chương trình lớp học/chương trình tiểu học:",
    );
    c.paragraph(
        MARGIN_L + 14.0,
        BODY_W - 14.0,
        Align::Left,
        false,
        BODY,
        &completion_line(year),
    );

    signatures(c, year, seal);
}

fn heading(c: &mut Canvas<'_, '_>, title: &str) {
    // Keep a heading with what follows it.
    c.ensure(Canvas::line_height(BODY) * 3.0);
    c.paragraph(MARGIN_L, BODY_W, Align::Left, true, BODY, title);
    c.y += 2.0;
}

/// Place and date, the principal's confirmation (with the seal box) and the homeroom teacher.
fn signatures(c: &mut Canvas<'_, '_>, year: &SchoolYear, seal: bool) {
    // "XÁC NHẬN CỦA HIỆU TRƯỞNG" says it for a principal; a deputy signs "KT. HIỆU TRƯỞNG".
    let titles = match &year.signer_title {
        Some(SignerTitle::Principal) | None => Vec::new(),
        other => principal_titles(other),
    };
    let lh = Canvas::line_height(BODY);
    let box_h = 70.0;
    let need = lh * (3.0 + titles.len() as f32) + 12.0 + box_h + 8.0 + lh * 3.0;
    c.y += 10.0;
    c.ensure(need);
    let half = BODY_W / 2.0;
    let right = MARGIN_L + half;
    c.paragraph(
        right,
        half,
        Align::Center,
        false,
        BODY,
        &place_and_date(t(&year.place_name), &year.confirmation_date),
    );
    c.y += 2.0;
    let top = c.y;
    // Left: the principal.
    c.paragraph(
        MARGIN_L,
        half,
        Align::Center,
        true,
        BODY,
        "XÁC NHẬN CỦA HIỆU TRƯỞNG",
    );
    for title in &titles {
        c.paragraph(MARGIN_L, half, Align::Center, true, BODY, title);
    }
    c.paragraph(
        MARGIN_L,
        half,
        Align::Center,
        false,
        10.5,
        "(Ký, ghi rõ họ tên và đóng dấu)",
    );
    let left_boxes = c.y + 6.0;
    // Right: the homeroom teacher.
    c.y = top;
    c.paragraph(
        right,
        half,
        Align::Center,
        true,
        BODY,
        "GIÁO VIÊN CHỦ NHIỆM",
    );
    c.paragraph(
        right,
        half,
        Align::Center,
        false,
        10.5,
        "(Ký và ghi rõ họ tên)",
    );
    let boxes_top = left_boxes.max(c.y + 6.0);
    let page = c.page_index();
    let add_box = |c: &mut Canvas<'_, '_>, name: &'static str, x: f32, w: f32| {
        c.push(Op::Rect {
            x,
            y: boxes_top,
            w,
            h: box_h,
            width: 0.4,
            gray: true,
        });
        c.boxes.push(SignatureBox {
            name,
            page,
            x,
            y: boxes_top,
            w,
            h: box_h,
        });
    };
    let sig_w = 170.0;
    if seal {
        let seal_w = box_h;
        let gap = 6.0;
        let x0 = MARGIN_L + (half - seal_w - gap - sig_w) / 2.0;
        add_box(c, "DAU", x0, seal_w);
        add_box(c, "HT", x0 + seal_w + gap, sig_w);
    } else {
        add_box(c, "HT", MARGIN_L + (half - sig_w) / 2.0, sig_w);
    }
    add_box(c, "GVCN", right + (half - sig_w) / 2.0, sig_w);
    c.y = boxes_top + box_h + 6.0;
    let names_top = c.y;
    c.paragraph(
        MARGIN_L,
        half,
        Align::Center,
        true,
        BODY,
        t(&year.principal),
    );
    let after = c.y;
    c.y = names_top;
    c.paragraph(
        right,
        half,
        Align::Center,
        true,
        BODY,
        t(&year.homeroom_teacher),
    );
    c.y = c.y.max(after);
}
