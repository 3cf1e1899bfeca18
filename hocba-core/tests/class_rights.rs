//! Rights by assignment, locks and the audit trail (`hocba_core::class::rights`).

mod common;

use hocba_core::class::rights::{
    apply, can, Action, Actor, ApplyError, Assignments, Change, Edit, ItemValue, LockState,
    PupilField, Refusal, Scope, SubjectValue,
};
use hocba_core::model::{
    AuditRole, CompetencyCode, ItemLevel, Period, QualityCode, Record, SubjectCode, SubjectLevel,
    Text, Timestamp,
};
use hocba_core::rules::audit::entry_hash;

const CLASS: &str = "4/4";
const HT: &str = "Trần Quốc Huy";
const GVCN: &str = "Nguyễn Thị Thanh Tâm";
const GVCN_OTHER: &str = "Phạm Thị Lan";
const GVBM: &str = "Lê Thị Hoài Thu"; // TOAN in 4/4
const GVBM_OTHER_SUBJECT: &str = "Vũ Thị Hạnh"; // TV in 4/4
const GVBM_OTHER_CLASS: &str = "Đỗ Minh"; // TOAN in 4/3
const TTCM: &str = "Phan Văn Tổ"; // head of department, no teaching assignment

fn school() -> Assignments {
    Assignments::from_json(
        r#"{
            "hieuTruong": ["Trần Quốc Huy"],
            "chuNhiem": {"4/4": "Nguyễn Thị Thanh Tâm", "4/3": "Phạm Thị Lan"},
            "giangDay": [
                {"giaoVien": "Lê Thị Hoài Thu", "lop": "4/4", "monHoc": ["TOAN"]},
                {"giaoVien": "Vũ Thị Hạnh", "lop": "4/4", "monHoc": ["TV"]},
                {"giaoVien": "Đỗ Minh", "lop": "4/3", "monHoc": ["TOAN"]},
                {"giaoVien": "Hồ Văn Khải", "lop": "4/4", "monHoc": ["KH", "TIN", "CNGHE"]},
                {"giaoVien": "Nguyễn Thị Thanh Tâm", "lop": "4/4", "monHoc": ["DD", "HDTN"]}
            ]
        }"#,
    )
    .expect("assignments")
}

fn grade4() -> Record {
    let p = common::root().join("fixtures/records/valid/grade-4.xml");
    hocba_core::read_record(&common::read(&p)).expect("grade-4 fixture")
}

/// grade-4 with only its first four entries: periods GHK1 and CHK1 locked, the rest open.
fn grade4_open() -> Record {
    let mut r = grade4();
    r.audit.truncate(4);
    r
}

fn audit_findings(r: &Record) -> Vec<(String, String)> {
    hocba_core::rules::validate(r)
        .findings
        .into_iter()
        .filter(|f| f.code.starts_with("audit_"))
        .map(|f| (f.code.to_owned(), f.path))
        .collect()
}

fn xml(r: &Record) -> String {
    hocba_core::xml::to_string(r)
}

// ---------------------------------------------------------------------------------------------
// Authorisation: every role × action.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Ok(&'static str),
    NotAssigned,
    NotHomeroom,
    OnlyPrincipal,
    Locked,
    WrittenRecordMissing,
}

fn kind(r: &Refusal) -> Want {
    match r {
        Refusal::NotAssigned { .. } => Want::NotAssigned,
        Refusal::NotHomeroomTeacher { .. } => Want::NotHomeroom,
        Refusal::OnlyPrincipal { .. } => Want::OnlyPrincipal,
        Refusal::Locked { .. } => Want::Locked,
        Refusal::WrittenRecordMissing { .. } => Want::WrittenRecordMissing,
        other => panic!("unexpected refusal {other:?}"),
    }
}

/// The action's name, the action, the locks in force and the `bienBan` given.
fn actions() -> Vec<(&'static str, Action, LockState, Option<&'static str>)> {
    let open = LockState::default;
    let period_locked = || LockState::from_scopes(["namHoc.0.dinhKy.1"]);
    let subject = |path: &str, edit| Action::Subject {
        class: CLASS.into(),
        subject: SubjectCode::Mathematics,
        path: path.into(),
        edit,
    };
    vec![
        (
            "enter subject",
            subject("namHoc.0.dinhKy.2.monHoc.1.diem", Edit::Enter),
            open(),
            None,
        ),
        (
            "change subject",
            subject("namHoc.0.dinhKy.2.monHoc.1.diem", Edit::Change),
            open(),
            None,
        ),
        (
            "enter qualities",
            Action::Quality {
                class: CLASS.into(),
                path: "namHoc.0.dinhKy.2.phamChat.0.mucDat".into(),
                edit: Edit::Enter,
            },
            open(),
            None,
        ),
        (
            "enter competencies",
            Action::Competency {
                class: CLASS.into(),
                path: "namHoc.0.dinhKy.2.nangLuc.0.mucDat".into(),
                edit: Edit::Enter,
            },
            open(),
            None,
        ),
        (
            "change pupil data",
            Action::Pupil {
                class: CLASS.into(),
                path: "hocSinh.noiOHienNay".into(),
                edit: Edit::Change,
            },
            open(),
            None,
        ),
        (
            "lock period",
            Action::Lock(Scope::Period { year: 0, period: 2 }),
            open(),
            None,
        ),
        (
            "unlock period",
            Action::Unlock(Scope::Period { year: 0, period: 1 }),
            period_locked(),
            None,
        ),
        (
            "lock year",
            Action::Lock(Scope::Year { year: 0 }),
            open(),
            None,
        ),
        (
            "change subject in locked period, no bienBan",
            subject("namHoc.0.dinhKy.1.monHoc.1.diem", Edit::Change),
            period_locked(),
            None,
        ),
        (
            "change subject in locked period, with bienBan",
            subject("namHoc.0.dinhKy.1.monHoc.1.diem", Edit::Change),
            period_locked(),
            Some("BB-01/2025"),
        ),
        (
            "change quality in locked period, no bienBan",
            Action::Quality {
                class: CLASS.into(),
                path: "namHoc.0.dinhKy.1.phamChat.2.mucDat".into(),
                edit: Edit::Change,
            },
            period_locked(),
            None,
        ),
        (
            "change quality in locked period, with bienBan",
            Action::Quality {
                class: CLASS.into(),
                path: "namHoc.0.dinhKy.1.phamChat.2.mucDat".into(),
                edit: Edit::Change,
            },
            period_locked(),
            Some("BB-01/2025"),
        ),
        (
            "sign",
            Action::Sign {
                class: CLASS.into(),
                scope: Scope::Year { year: 0 },
            },
            LockState::from_scopes(["namHoc.0"]),
            None,
        ),
    ]
}

fn expectations() -> Vec<(&'static str, [Want; 13])> {
    use Want::*;
    let outsider = [
        NotAssigned,
        NotAssigned,
        NotHomeroom,
        NotHomeroom,
        NotHomeroom,
        OnlyPrincipal,
        OnlyPrincipal,
        OnlyPrincipal,
        NotAssigned,
        NotAssigned,
        NotHomeroom,
        NotHomeroom,
        NotHomeroom,
    ];
    vec![
        (
            GVBM,
            [
                Ok("GVBM"),
                Ok("GVBM"),
                NotHomeroom,
                NotHomeroom,
                NotHomeroom,
                OnlyPrincipal,
                OnlyPrincipal,
                OnlyPrincipal,
                Locked,
                Locked,
                NotHomeroom,
                NotHomeroom,
                NotHomeroom,
            ],
        ),
        (GVBM_OTHER_SUBJECT, outsider),
        (GVBM_OTHER_CLASS, outsider),
        (
            GVCN,
            [
                NotAssigned, // TOAN is not assigned to the homeroom teacher
                NotAssigned,
                Ok("GVCN"),
                Ok("GVCN"),
                Ok("GVCN"),
                OnlyPrincipal,
                OnlyPrincipal,
                OnlyPrincipal,
                NotAssigned,
                NotAssigned,
                Locked,
                Locked,
                Ok("GVCN"),
            ],
        ),
        (GVCN_OTHER, outsider),
        (TTCM, outsider),
        (
            HT,
            [
                Ok("HT"),
                Ok("HT"),
                Ok("HT"),
                Ok("HT"),
                Ok("HT"),
                Ok("HT"),
                Ok("HT"),
                Ok("HT"),
                WrittenRecordMissing,
                Ok("HT"),
                WrittenRecordMissing,
                Ok("HT"),
                Ok("HT"),
            ],
        ),
    ]
}

#[test]
fn every_role_and_action() {
    let school = school();
    let actions = actions();
    let mut checked = 0;
    for (who, wants) in expectations() {
        let actor = Actor::new(who);
        for ((name, action, locks, bien_ban), want) in actions.iter().zip(wants) {
            let got = can(&school, locks, &actor, action, *bien_ban);
            let label = format!("{who} / {name}");
            match (want, &got) {
                (Want::Ok(role), Ok(r)) => assert_eq!(r.as_str(), role, "{label}"),
                (Want::Ok(_), Err(e)) => panic!("{label}: refused: {}", e.message()),
                (_, Ok(r)) => panic!("{label}: allowed as {r}, expected {want:?}"),
                (_, Err(e)) => {
                    assert_eq!(kind(e), want, "{label}: {}", e.message());
                    check_refusal(e, action, who, &label);
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 7 * 13);
}

/// The refusal names who may do it, in both languages, and the path or scope.
fn check_refusal(e: &Refusal, action: &Action, actor: &str, label: &str) {
    let expected_who: Vec<&str> = match e {
        Refusal::NotAssigned { .. } => vec![GVBM, HT],
        Refusal::NotHomeroomTeacher { .. } => vec![GVCN, HT],
        Refusal::OnlyPrincipal { .. } | Refusal::Locked { .. } => vec![HT],
        Refusal::WrittenRecordMissing { .. } => vec![HT],
        other => panic!("{label}: {other:?}"),
    };
    assert_eq!(e.who(), expected_who, "{label}");
    let (en, vi) = (e.message(), e.message_vi());
    for name in &expected_who {
        assert!(en.contains(name), "{label}: {en}");
        assert!(vi.contains(name), "{label}: {vi}");
    }
    let path = action.path();
    assert!(en.contains(&path), "{label}: {en}");
    assert!(vi.contains(&path), "{label}: {vi}");
    match e {
        Refusal::NotAssigned { .. } => {
            for m in [&en, &vi] {
                assert!(m.contains("TOAN") && m.contains(CLASS), "{label}: {m}");
            }
        }
        Refusal::NotHomeroomTeacher { .. } => {
            assert!(
                en.contains("homeroom teacher of class 4/4"),
                "{label}: {en}"
            );
            assert!(vi.contains("chủ nhiệm lớp 4/4"), "{label}: {vi}");
        }
        Refusal::Locked { .. } | Refusal::WrittenRecordMissing { .. } => {
            assert!(en.contains("bienBan") && vi.contains("biên bản"), "{label}");
        }
        _ => {}
    }
    if !matches!(e, Refusal::WrittenRecordMissing { .. }) {
        assert!(en.starts_with(actor) || en.contains(actor), "{label}: {en}");
    }
}

#[test]
fn homeroom_teacher_enters_the_subjects_assigned_to_them() {
    let action = Action::Subject {
        class: CLASS.into(),
        subject: SubjectCode::Ethics,
        path: "namHoc.0.monHoc.7.mucDat".into(),
        edit: Edit::Change,
    };
    let got = can(
        &school(),
        &LockState::default(),
        &Actor::new(GVCN),
        &action,
        None,
    );
    assert_eq!(got, Ok(AuditRole::HomeroomTeacher));
}

#[test]
fn a_subject_action_on_a_homeroom_field_is_judged_as_that_field() {
    let action = Action::Subject {
        class: CLASS.into(),
        subject: SubjectCode::Mathematics,
        path: "namHoc.0.phamChat.0.mucDat".into(),
        edit: Edit::Change,
    };
    let got = can(
        &school(),
        &LockState::default(),
        &Actor::new(GVBM),
        &action,
        None,
    );
    assert!(matches!(got, Err(Refusal::NotHomeroomTeacher { .. })));
}

#[test]
fn locks_twice_and_unlocks_what_is_not_locked() {
    let school = school();
    let ht = Actor::new(HT);
    let year = LockState::from_scopes(["namHoc.0"]);
    let period = Scope::Period { year: 0, period: 1 };
    let got = can(&school, &year, &ht, &Action::Lock(period), None);
    let Err(e @ Refusal::AlreadyLocked { .. }) = got else {
        panic!("{got:?}")
    };
    assert!(e.message().contains("namHoc.0.dinhKy.1") && e.message().contains("year namHoc.0"));
    let got = can(
        &school,
        &year,
        &ht,
        &Action::Lock(Scope::Year { year: 0 }),
        None,
    );
    assert!(matches!(got, Err(Refusal::AlreadyLocked { .. })));
    let got = can(&school, &year, &ht, &Action::Unlock(period), None);
    let Err(e @ Refusal::NotLocked { .. }) = got else {
        panic!("{got:?}")
    };
    assert!(e.message().contains("unlock that") && e.message_vi().contains("mở khóa namHoc.0"));
    let got = can(
        &school,
        &LockState::default(),
        &ht,
        &Action::Unlock(Scope::Year { year: 0 }),
        None,
    );
    assert!(matches!(got, Err(Refusal::NotLocked { .. })));
}

#[test]
fn lock_state_replays_as_the_rule_engine() {
    let r = grade4();
    let locks = LockState::from_record(&r);
    assert_eq!(
        locks.locked(),
        ["namHoc.0.dinhKy.0", "namHoc.0.dinhKy.1", "namHoc.0"]
    );
    // A lock by someone other than the principal holds (failing safe); their unlock does not.
    let mut entries = r.audit[..1].to_vec();
    let mut lock = r.audit[1].clone();
    lock.role = Some(AuditRole::SubjectTeacher);
    entries.push(lock.clone());
    let mut unlock = lock.clone();
    unlock.action = Some(hocba_core::model::AuditAction::Unlock);
    entries.push(unlock.clone());
    assert_eq!(
        LockState::from_entries(&entries).locked(),
        ["namHoc.0.dinhKy.0"]
    );
    unlock.role = Some(AuditRole::Principal);
    entries.push(unlock);
    assert!(LockState::from_entries(&entries).locked().is_empty());
}

// ---------------------------------------------------------------------------------------------
// apply

fn ts(s: &str) -> Timestamp {
    Timestamp::from(s)
}

/// Who, the change, when, the `bienBan`, and the expected `vaiTro` and `hanhDong`.
type Step = (
    &'static str,
    Change,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
);

#[test]
fn allowed_changes_keep_the_trail_valid() {
    let school = school();
    let mut r = grade4_open();
    assert!(audit_findings(&r).is_empty());
    let steps: Vec<Step> = vec![
        (
            GVBM,
            Change::Subject {
                year: 0,
                period: Some(Period::MidTerm2),
                subject: SubjectCode::Mathematics,
                value: SubjectValue::Score(7),
            },
            "2025-03-20T10:00:00+07:00",
            None,
            "GVBM",
            "SUA",
        ),
        (
            GVCN,
            Change::Quality {
                year: 0,
                period: Some(Period::MidTerm2),
                quality: QualityCode::Honesty,
                value: ItemValue::Comment("Luôn nói thật.".into()),
            },
            "2025-03-20T10:00:00+07:00", // the same instant keeps file order
            None,
            "GVCN",
            "NHAP",
        ),
        (
            GVCN,
            Change::Competency {
                year: 0,
                period: Some(Period::MidTerm2),
                competency: CompetencyCode::Numeracy,
                value: ItemValue::Level(ItemLevel::Satisfactory),
            },
            "2025-03-20T03:05:00Z",
            None,
            "GVCN",
            "SUA",
        ),
        (
            HT,
            Change::Lock(Scope::Period { year: 0, period: 2 }),
            "2025-03-25T17:00:00+07:00",
            None,
            "HT",
            "KHOA",
        ),
        (
            HT,
            Change::Subject {
                year: 0,
                period: Some(Period::MidTerm2),
                subject: SubjectCode::Mathematics,
                value: SubjectValue::Score(8),
            },
            "2025-03-28T08:00:00+07:00",
            Some("BB-01/2025 ngày 27/3/2025"),
            "HT",
            "SUA",
        ),
        (
            "Hồ Văn Khải",
            Change::Subject {
                year: 0,
                period: None,
                subject: SubjectCode::Informatics,
                value: SubjectValue::Comment("Thực hành thành thạo.".into()),
            },
            "2025-05-14T08:00:00+07:00",
            None,
            "GVBM",
            "SUA",
        ),
        (
            GVCN,
            Change::Subject {
                year: 0,
                period: None,
                subject: SubjectCode::ExperientialActivities,
                value: SubjectValue::Comment("Tích cực, sáng tạo trong mọi hoạt động.".into()),
            },
            "2025-05-14T09:00:00+07:00",
            None,
            "GVCN",
            "SUA",
        ),
        (
            HT,
            Change::Lock(Scope::Year { year: 0 }),
            "2025-05-20T17:00:00+07:00",
            None,
            "HT",
            "KHOA",
        ),
        (
            GVCN,
            Change::Sign(Scope::Year { year: 0 }),
            "2025-05-27T08:00:00+07:00",
            None,
            "GVCN",
            "KY",
        ),
        (
            HT,
            Change::Sign(Scope::Year { year: 0 }),
            "2025-05-27T10:00:00+07:00",
            None,
            "HT",
            "KY",
        ),
        (
            HT,
            Change::Unlock(Scope::Period { year: 0, period: 2 }),
            "2025-06-01T08:00:00+07:00",
            None,
            "HT",
            "MO_KHOA",
        ),
        (
            GVCN,
            Change::Pupil {
                field: PupilField::CurrentAddress,
                value: "  Số 12 đường Lê Lợi, phường Phước Mỹ  ".into(),
            },
            "2025-06-02T08:00:00+07:00",
            None,
            "GVCN",
            "SUA",
        ),
    ];
    for (i, (who, change, at, bien_ban, role, action)) in steps.into_iter().enumerate() {
        let before = r.audit.len();
        let entry = apply(&mut r, &school, &Actor::new(who), change, ts(at), bien_ban)
            .unwrap_or_else(|e| panic!("step {i}: {}", e.message()))
            .clone();
        assert_eq!(r.audit.len(), before + 1, "step {i}");
        assert_eq!(
            entry.role.as_ref().map(|x| x.as_str()),
            Some(role),
            "step {i}"
        );
        assert_eq!(
            entry.action.as_ref().map(|x| x.as_str()),
            Some(action),
            "step {i}"
        );
        assert_eq!(entry.authorization.as_deref(), bien_ban, "step {i}");
        let previous = r.audit[before - 1].hash.as_ref().expect("bam");
        assert_eq!(
            entry_hash(previous.as_str(), &entry).as_deref(),
            entry.hash.as_deref(),
            "step {i}"
        );
        assert_eq!(audit_findings(&r), vec![], "step {i}");
    }
    let y = &r.years[0];
    assert_eq!(
        y.periods[2].subjects[1]
            .score
            .as_ref()
            .and_then(|s| s.as_integer()),
        Some(8)
    );
    let address = r.pupil.as_ref().and_then(|p| p.current_address.as_deref());
    assert_eq!(address, Some("Số 12 đường Lê Lợi, phường Phước Mỹ"));
    // The trail survives writing and reading.
    let back = hocba_core::read_record(xml(&r).as_bytes()).expect("read back");
    assert_eq!(back, r);
    assert!(audit_findings(&back).is_empty());
    // The rule engine's other findings are unchanged by these edits (the fixture is valid).
    assert!(hocba_core::rules::validate(&back).valid);
}

#[test]
fn entering_an_absent_field_is_nhap_and_new_rows_are_appended() {
    let school = school();
    let mut r = grade4_open();
    let n = r.years[0].periods[2].subjects.len();
    // A subject row that does not exist yet.
    let school = school.with_teaching(GVBM, CLASS, &[SubjectCode::EthnicLanguage]);
    let entry = apply(
        &mut r,
        &school,
        &Actor::new(GVBM),
        Change::Subject {
            year: 0,
            period: Some(Period::MidTerm2),
            subject: SubjectCode::EthnicLanguage,
            value: SubjectValue::Level(SubjectLevel::Completed),
        },
        ts("2025-03-20T10:00:00+07:00"),
        None,
    )
    .expect("apply")
    .clone();
    assert_eq!(entry.action.as_ref().map(|a| a.as_str()), Some("NHAP"));
    assert_eq!(entry.old_value, None);
    assert_eq!(entry.new_value.as_deref(), Some("H"));
    let want = format!("namHoc.0.dinhKy.2.monHoc.{n}.mucDat");
    assert_eq!(entry.path.as_deref(), Some(want.as_str()));
    assert_eq!(
        r.years[0].periods[2].subjects[n].code,
        Some(SubjectCode::EthnicLanguage)
    );
    assert!(audit_findings(&r).is_empty());
}

#[test]
fn a_new_period_is_created_when_absent() {
    let school = school();
    let mut r = grade4_open();
    // A record without GHK2: drop it, then enter into it.
    r.years[0]
        .periods
        .retain(|p| p.period != Some(Period::MidTerm2));
    let n = r.years[0].periods.len();
    let entry = apply(
        &mut r,
        &school,
        &Actor::new(GVCN),
        Change::Quality {
            year: 0,
            period: Some(Period::MidTerm2),
            quality: QualityCode::Patriotism,
            value: ItemValue::Level(ItemLevel::Good),
        },
        ts("2025-03-20T10:00:00+07:00"),
        None,
    )
    .expect("apply")
    .clone();
    let want = format!("namHoc.0.dinhKy.{n}.phamChat.0.mucDat");
    assert_eq!(entry.path.as_deref(), Some(want.as_str()));
    assert_eq!(r.years[0].periods[n].period, Some(Period::MidTerm2));
    assert!(audit_findings(&r).is_empty());
}

/// Applies `change` and checks it is refused as `check` says, with the record byte-identical.
fn refused(
    r: &mut Record,
    who: &str,
    change: Change,
    at: &str,
    bien_ban: Option<&str>,
    check: impl FnOnce(&ApplyError) -> bool,
) {
    let before = xml(r);
    let got = apply(r, &school(), &Actor::new(who), change, ts(at), bien_ban).cloned();
    match got {
        Ok(e) => panic!("allowed: {e:?}"),
        Err(e) => {
            assert!(check(&e), "{e:?}");
            assert!(!e.message().is_empty() && !e.message_vi().is_empty());
        }
    }
    assert_eq!(xml(r), before, "the record changed on refusal");
}

#[test]
fn refusals_leave_the_record_untouched() {
    let toan = |period, value| Change::Subject {
        year: 0,
        period,
        subject: SubjectCode::Mathematics,
        value,
    };
    let mut r = grade4(); // the whole year locked
    let late = "2025-06-02T08:00:00+07:00";
    refused(
        &mut r,
        GVBM,
        toan(Some(Period::EndOfYear), SubjectValue::Score(6)),
        late,
        None,
        |e| matches!(e.refusal(), Some(Refusal::Locked { .. })),
    );
    refused(
        &mut r,
        HT,
        toan(Some(Period::EndOfYear), SubjectValue::Score(6)),
        late,
        Some("   "),
        |e| matches!(e.refusal(), Some(Refusal::WrittenRecordMissing { .. })),
    );
    refused(
        &mut r,
        GVBM_OTHER_SUBJECT,
        toan(None, SubjectValue::Score(6)),
        late,
        None,
        |e| matches!(e.refusal(), Some(Refusal::NotAssigned { .. })),
    );
    refused(
        &mut r,
        GVBM,
        Change::Competency {
            year: 0,
            period: None,
            competency: CompetencyCode::Numeracy,
            value: ItemValue::Level(ItemLevel::Good),
        },
        late,
        None,
        |e| matches!(e.refusal(), Some(Refusal::NotHomeroomTeacher { .. })),
    );
    refused(
        &mut r,
        GVCN,
        Change::Unlock(Scope::Year { year: 0 }),
        late,
        None,
        |e| matches!(e.refusal(), Some(Refusal::OnlyPrincipal { .. })),
    );
    refused(
        &mut r,
        HT,
        Change::Lock(Scope::Period { year: 0, period: 3 }),
        late,
        None,
        |e| matches!(e.refusal(), Some(Refusal::AlreadyLocked { .. })),
    );
    refused(
        &mut r,
        HT,
        Change::Unlock(Scope::Period { year: 0, period: 3 }),
        late,
        None,
        |e| matches!(e.refusal(), Some(Refusal::NotLocked { .. })),
    );
    // Line breaks, in the value, the bienBan or the name, are refused before anything changes.
    refused(
        &mut r,
        HT,
        toan(None, SubjectValue::Comment("dòng 1\ndòng 2".into())),
        late,
        Some("BB-9"),
        |e| matches!(e, ApplyError::LineBreak { field: "giaTriMoi" }),
    );
    refused(
        &mut r,
        HT,
        toan(None, SubjectValue::Comment("Tiến bộ".into())),
        late,
        Some("BB-9\r\nngày 1/6"),
        |e| matches!(e, ApplyError::LineBreak { field: "bienBan" }),
    );
    refused(
        &mut r,
        "Trần Quốc\nHuy",
        Change::Sign(Scope::Year { year: 0 }),
        late,
        None,
        |e| {
            matches!(
                e,
                ApplyError::LineBreak {
                    field: "nguoiThucHien"
                }
            )
        },
    );
    // Time must not go backwards; it must be a timestamp.
    refused(
        &mut r,
        HT,
        Change::Unlock(Scope::Year { year: 0 }),
        "2025-05-27T10:14:59+07:00",
        None,
        |e| matches!(e, ApplyError::TimeBeforeLast { .. }),
    );
    refused(
        &mut r,
        HT,
        Change::Unlock(Scope::Year { year: 0 }),
        "2025-06-02 08:00",
        None,
        |e| matches!(e, ApplyError::InvalidTime { .. }),
    );
    // Bad values and addresses.
    refused(
        &mut r,
        HT,
        toan(None, SubjectValue::Score(11)),
        late,
        Some("BB-9"),
        |e| matches!(e, ApplyError::InvalidValue { .. }),
    );
    refused(
        &mut r,
        HT,
        toan(None, SubjectValue::Level(SubjectLevel::parse("X"))),
        late,
        Some("BB-9"),
        |e| matches!(e, ApplyError::InvalidValue { .. }),
    );
    refused(
        &mut r,
        HT,
        toan(None, SubjectValue::Comment("  ".into())),
        late,
        Some("BB-9"),
        |e| matches!(e, ApplyError::InvalidValue { .. }),
    );
    refused(
        &mut r,
        GVCN,
        Change::Pupil {
            field: PupilField::Sex,
            value: "0".into(),
        },
        late,
        None,
        |e| matches!(e, ApplyError::InvalidValue { .. }),
    );
    refused(
        &mut r,
        HT,
        Change::Lock(Scope::Period { year: 0, period: 9 }),
        late,
        None,
        |e| matches!(e, ApplyError::NoSuchPeriod { .. }),
    );
    refused(
        &mut r,
        HT,
        Change::Sign(Scope::Year { year: 3 }),
        late,
        None,
        |e| matches!(e, ApplyError::NoSuchYear { year: 3 }),
    );
    let current = r.years[0].subjects[1]
        .score
        .as_ref()
        .and_then(|s| s.as_integer())
        .and_then(|s| u8::try_from(s).ok())
        .expect("TOAN score");
    refused(
        &mut r,
        HT,
        toan(None, SubjectValue::Score(current)),
        late,
        Some("BB-9"),
        |e| matches!(e, ApplyError::Unchanged { .. }),
    );
    assert!(audit_findings(&r).is_empty());
}

#[test]
fn the_principal_corrects_a_locked_year_with_a_written_record() {
    let mut r = grade4();
    let entry = apply(
        &mut r,
        &school(),
        &Actor::new(HT),
        Change::Subject {
            year: 0,
            period: Some(Period::EndOfYear),
            subject: SubjectCode::Mathematics,
            value: SubjectValue::Comment("Tính toán nhanh, chính xác.".into()),
        },
        ts("2025-06-02T08:00:00+07:00"),
        Some("BB-05/2025 ngày 1/6/2025"),
    )
    .expect("apply")
    .clone();
    assert_eq!(entry.role, Some(AuditRole::Principal));
    assert_eq!(
        entry.authorization.as_deref(),
        Some("BB-05/2025 ngày 1/6/2025")
    );
    assert!(audit_findings(&r).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Tampering is caught by the rule engine.

fn codes(r: &Record) -> Vec<(String, String)> {
    audit_findings(r)
}

#[test]
fn a_changed_value_breaks_the_chain() {
    let mut r = grade4();
    r.audit[0].new_value = Some(Text::from("10"));
    assert_eq!(
        codes(&r),
        vec![("audit_chain_broken".to_owned(), "nhatKy.0.bam".to_owned())]
    );
}

#[test]
fn a_deleted_entry_breaks_the_chain() {
    let mut r = grade4();
    r.audit.remove(2);
    assert_eq!(
        codes(&r),
        vec![("audit_chain_broken".to_owned(), "nhatKy.2.bam".to_owned())]
    );
}

#[test]
fn reordered_entries_break_the_chain_and_the_order() {
    let mut r = grade4();
    r.audit.swap(3, 4);
    assert_eq!(
        codes(&r),
        vec![
            // Each moved entry, and the one after them (it chains from the moved one).
            ("audit_chain_broken".to_owned(), "nhatKy.3.bam".to_owned()),
            (
                "audit_out_of_order".to_owned(),
                "nhatKy.4.thoiDiem".to_owned()
            ),
            ("audit_chain_broken".to_owned(), "nhatKy.4.bam".to_owned()),
            ("audit_chain_broken".to_owned(), "nhatKy.5.bam".to_owned()),
        ]
    );
}

#[test]
fn a_rehashed_forgery_is_caught_by_the_rights_checks() {
    // Someone rewrites the trail with valid hashes: a subject teacher changing a locked score,
    // and unlocking it. The chain holds, the rights checks do not.
    let mut r = grade4();
    let mut forged = r.audit[4].clone();
    forged.timestamp = Some(ts("2025-06-02T08:00:00+07:00"));
    forged.action = Some(hocba_core::model::AuditAction::Change);
    forged.old_value = Some(Text::from("10"));
    forged.new_value = Some(Text::from("9"));
    let previous = r.audit[r.audit.len() - 1].hash.clone().expect("bam");
    forged.hash = entry_hash(previous.as_str(), &forged).map(Text::from);
    r.audit.push(forged);
    let mut unlock = r.audit[5].clone();
    unlock.timestamp = Some(ts("2025-06-03T08:00:00+07:00"));
    unlock.actor = Some(Text::from(GVBM));
    unlock.role = Some(AuditRole::SubjectTeacher);
    unlock.action = Some(hocba_core::model::AuditAction::Unlock);
    let previous = r.audit[r.audit.len() - 1].hash.clone().expect("bam");
    unlock.hash = entry_hash(previous.as_str(), &unlock).map(Text::from);
    r.audit.push(unlock);
    assert_eq!(
        codes(&r),
        vec![
            (
                "audit_change_after_lock".to_owned(),
                "nhatKy.9.duongDan".to_owned()
            ),
            (
                "audit_role_not_allowed".to_owned(),
                "nhatKy.10.vaiTro".to_owned()
            ),
        ]
    );
}
