//! Rights by assignment (*phân công*), period and year locks, and changes applied to a record
//! with their hash-chained audit entry (`nhatKy`).
//!
//! # Who may do what
//!
//! | role | may | entry's `vaiTro` |
//! | --- | --- | --- |
//! | subject teacher (*giáo viên bộ môn*) | enter and change the subjects they are assigned to in the classes they are assigned to (`giangDay`) | `GVBM` |
//! | homeroom teacher (*giáo viên chủ nhiệm*) | enter and change qualities, competencies and the pupil's data of their class (`chuNhiem`); subjects they are assigned to teach there; sign the year | `GVCN` |
//! | head of department (*tổ trưởng chuyên môn*) | check and propose corrections: the role itself grants no right to write. A head of department who teaches a class enters that subject as `GVBM` under the teaching assignment | never |
//! | principal (*hiệu trưởng*, `hieuTruong`) | everything above; lock and unlock periods and years; change data inside a locked scope, and only with the reference of a written record (`bienBan`); sign | `HT` |
//!
//! Inside a locked scope every write (`NHAP` or `SUA`) is the principal's with a `bienBan`, under
//! the role `HT`, whatever other assignment the principal has. This is stricter than the rule
//! engine (which only judges `SUA` there), so anything [`can`] allows, `rules::validate` accepts:
//! a `GVBM` never writes qualities, competencies or pupil data, only `HT` locks and unlocks, and a
//! `SUA` inside a locked scope is always `HT` with a `bienBan`.
//!
//! # Locks
//!
//! [`LockState`] replays a record's `nhatKy` exactly as the rule engine does
//! (`audit_change_after_lock`): in file order, a `KHOA` of a scope by anyone locks it (failing
//! safe), a `MO_KHOA` of the same scope by `HT` unlocks it. Scopes are a year `namHoc.N` or a
//! period `namHoc.N.dinhKy.M`; a field is inside a scope when its path is the scope or starts with
//! the scope and a dot (so a locked year covers its periods, and a locked period covers only
//! itself, not the year's own `monHoc`).
//!
//! # The assignments file
//!
//! One JSON object for the school; every member is optional:
//!
//! ```json
//! {
//!   "hieuTruong": ["Trần Quốc Huy"],
//!   "chuNhiem": { "4/4": "Nguyễn Thị Thanh Tâm" },
//!   "giangDay": [ { "giaoVien": "Hồ Văn Khải", "lop": "4/4", "monHoc": ["TIN", "CNGHE"] } ]
//! }
//! ```
//!
//! - `hieuTruong`: the principal(s), by full name;
//! - `chuNhiem`: class name (as in `namHoc.N.lop`) → the homeroom teacher's full name;
//! - `giangDay`: teaching assignments: `giaoVien` (full name), `lop` (class name), `monHoc`
//!   (subject codes of `domain.md`).
//!
//! People are identified by name, as `nguoiThucHien` is; names and class names compare after
//! trimming and NFC normalisation.
//!
//! # Example
//!
//! ```
//! use hocba_core::class::rights::{apply, Actor, Assignments, Change, SubjectValue};
//! use hocba_core::model::{SubjectCode, Timestamp};
//!
//! let bytes = std::fs::read("../fixtures/records/valid/grade-4.xml").unwrap();
//! let mut record = hocba_core::read_record(&bytes).unwrap();
//! record.audit.truncate(4); // periods GHK1 and CHK1 locked; GHK2, CN and the year open
//! let school = Assignments::from_json(r#"{
//!     "hieuTruong": ["Trần Quốc Huy"],
//!     "chuNhiem": {"4/4": "Nguyễn Thị Thanh Tâm"},
//!     "giangDay": [{"giaoVien": "Hồ Văn Khải", "lop": "4/4", "monHoc": ["TIN", "CNGHE"]}]
//! }"#).unwrap();
//! let change = Change::Subject {
//!     year: 0,
//!     period: None,
//!     subject: SubjectCode::Informatics,
//!     value: SubjectValue::Comment("Thực hành tốt.".into()),
//! };
//! let at = Timestamp::from("2025-05-15T08:00:00+07:00");
//! let entry = apply(&mut record, &school, &Actor::new("Hồ Văn Khải"), change, at, None).unwrap();
//! assert_eq!(entry.role.as_ref().map(|r| r.as_str()), Some("GVBM"));
//! assert!(hocba_core::rules::validate(&record)
//!     .findings.iter().all(|f| !f.code.starts_with("audit_")));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{
    normalize_text, AuditAction, AuditEntry, AuditRole, CompetencyAssessment, CompetencyCode, Date,
    ItemLevel, Number, Period, PeriodResult, Pupil, QualityAssessment, QualityCode, Record,
    SchoolYear, Sex, SubjectCode, SubjectLevel, SubjectResult, Text, Timestamp,
};
use crate::rules::audit::{
    chain_head, entry_hash, inside, lock_step, replayed, reserved_for_homeroom,
};

/// Names and class names compare after trimming and NFC normalisation.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a == b {
        return true;
    }
    match (normalize_text(a), normalize_text(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Phân công — the school's assignments: principals, homeroom teachers and teaching.
///
/// Read from the JSON file described in the [module documentation](self), or built in code:
///
/// ```
/// use hocba_core::class::rights::Assignments;
/// use hocba_core::model::SubjectCode;
/// let a = Assignments::default()
///     .with_principal("Trần Văn B")
///     .with_homeroom("4A", "Nguyễn Thị C")
///     .with_teaching("Lê D", "4A", &[SubjectCode::Mathematics]);
/// let b = Assignments::from_json(r#"{"hieuTruong": ["Trần Văn B"],
///     "chuNhiem": {"4A": "Nguyễn Thị C"},
///     "giangDay": [{"giaoVien": "Lê D", "lop": "4A", "monHoc": ["TOAN"]}]}"#).unwrap();
/// assert_eq!(a, b);
/// assert!(a.teaches("Lê D", "4A", &SubjectCode::Mathematics));
/// assert!(!a.teaches("Lê D", "4B", &SubjectCode::Mathematics));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignments {
    /// `hieuTruong` — the principal(s), by full name.
    #[serde(rename = "hieuTruong", default)]
    pub principals: Vec<String>,
    /// `chuNhiem` — class name → homeroom teacher (giáo viên chủ nhiệm).
    #[serde(rename = "chuNhiem", default)]
    pub homeroom: BTreeMap<String, String>,
    /// `giangDay` — teaching assignments (phân công giảng dạy).
    #[serde(rename = "giangDay", default)]
    pub teaching: Vec<Teaching>,
}

/// Phân công giảng dạy — one teacher's subjects in one class.
///
/// ```
/// use hocba_core::class::rights::Teaching;
/// let t: Teaching = serde_json::from_str(
///     r#"{"giaoVien": "Lê D", "lop": "4A", "monHoc": ["TOAN", "TV"]}"#).unwrap();
/// assert_eq!(t.subjects.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Teaching {
    /// `giaoVien` — the teacher's full name.
    #[serde(rename = "giaoVien")]
    pub teacher: String,
    /// `lop` — the class name, as in `namHoc.N.lop`.
    #[serde(rename = "lop")]
    pub class: String,
    /// `monHoc` — the subjects taught there.
    #[serde(rename = "monHoc", default)]
    pub subjects: Vec<SubjectCode>,
}

impl Assignments {
    /// Reads the JSON shape of the [module documentation](self).
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// let a = Assignments::from_json(r#"{"hieuTruong": ["Trần Văn B"]}"#).unwrap();
    /// assert!(a.is_principal("Trần Văn B"));
    /// assert!(Assignments::from_json(r#"{"hieuTruongX": []}"#).is_err());
    /// ```
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Adds a principal.
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// assert!(Assignments::default().with_principal("B").is_principal("B"));
    /// ```
    pub fn with_principal(mut self, name: &str) -> Self {
        self.principals.push(name.to_owned());
        self
    }

    /// Sets the homeroom teacher of a class.
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// let a = Assignments::default().with_homeroom("4A", "C");
    /// assert_eq!(a.homeroom_teacher("4A"), Some("C"));
    /// ```
    pub fn with_homeroom(mut self, class: &str, name: &str) -> Self {
        self.homeroom.insert(class.to_owned(), name.to_owned());
        self
    }

    /// Adds a teaching assignment.
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// use hocba_core::model::SubjectCode;
    /// let a = Assignments::default().with_teaching("D", "4A", &[SubjectCode::Vietnamese]);
    /// assert_eq!(a.teachers_of("4A", &SubjectCode::Vietnamese), vec!["D"]);
    /// ```
    pub fn with_teaching(mut self, teacher: &str, class: &str, subjects: &[SubjectCode]) -> Self {
        self.teaching.push(Teaching {
            teacher: teacher.to_owned(),
            class: class.to_owned(),
            subjects: subjects.to_vec(),
        });
        self
    }

    /// Is `name` one of the principals?
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// let a = Assignments::default().with_principal("Trần Văn B");
    /// assert!(a.is_principal(" Trần Văn B "));
    /// assert!(!a.is_principal("Lê D"));
    /// ```
    pub fn is_principal(&self, name: &str) -> bool {
        self.principals.iter().any(|p| same(p, name))
    }

    /// The homeroom teacher of `class`.
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// let a = Assignments::default().with_homeroom("4A", "C");
    /// assert_eq!(a.homeroom_teacher("4B"), None);
    /// ```
    pub fn homeroom_teacher(&self, class: &str) -> Option<&str> {
        self.homeroom
            .iter()
            .find(|(c, _)| same(c, class))
            .map(|(_, t)| t.as_str())
    }

    /// Is `name` the homeroom teacher of `class`?
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// let a = Assignments::default().with_homeroom("4A", "C");
    /// assert!(a.is_homeroom("C", "4A") && !a.is_homeroom("C", "4B"));
    /// ```
    pub fn is_homeroom(&self, name: &str, class: &str) -> bool {
        self.homeroom_teacher(class).is_some_and(|t| same(t, name))
    }

    /// Is `name` assigned to teach `subject` in `class`?
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// use hocba_core::model::SubjectCode;
    /// let a = Assignments::default().with_teaching("D", "4A", &[SubjectCode::Mathematics]);
    /// assert!(!a.teaches("D", "4A", &SubjectCode::Vietnamese));
    /// ```
    pub fn teaches(&self, name: &str, class: &str, subject: &SubjectCode) -> bool {
        self.teaching.iter().any(|t| {
            same(&t.teacher, name) && same(&t.class, class) && t.subjects.contains(subject)
        })
    }

    /// The teachers assigned to `subject` in `class`, in file order.
    ///
    /// ```
    /// use hocba_core::class::rights::Assignments;
    /// use hocba_core::model::SubjectCode;
    /// let a = Assignments::default();
    /// assert!(a.teachers_of("4A", &SubjectCode::Mathematics).is_empty());
    /// ```
    pub fn teachers_of(&self, class: &str, subject: &SubjectCode) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.teaching {
            if same(&t.class, class)
                && t.subjects.contains(subject)
                && !out.iter().any(|o| same(o, &t.teacher))
            {
                out.push(t.teacher.as_str());
            }
        }
        out
    }
}

/// Người thực hiện — the person acting, identified by full name (as `nguoiThucHien` is).
///
/// ```
/// use hocba_core::class::rights::Actor;
/// assert_eq!(Actor::new("Lê D").name, "Lê D");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Full name.
    pub name: String,
}

impl Actor {
    /// The person called `name`.
    ///
    /// ```
    /// use hocba_core::class::rights::Actor;
    /// let a = Actor::new(String::from("Trần Văn B"));
    /// assert_eq!(a.name, "Trần Văn B");
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Actor { name: name.into() }
    }
}

/// Phạm vi khóa — a scope that can be locked, unlocked or signed: a year or one of its periods,
/// by index in the record.
///
/// ```
/// use hocba_core::class::rights::Scope;
/// assert_eq!(Scope::Year { year: 0 }.path(), "namHoc.0");
/// assert_eq!(Scope::Period { year: 0, period: 2 }.path(), "namHoc.0.dinhKy.2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A school year: `namHoc.N`.
    Year {
        /// Index in `namHoc`.
        year: usize,
    },
    /// A period of a year: `namHoc.N.dinhKy.M`.
    Period {
        /// Index in `namHoc`.
        year: usize,
        /// Index in that year's `dinhKy`.
        period: usize,
    },
}

impl Scope {
    /// The scope's path, as `duongDan` holds it.
    ///
    /// ```
    /// use hocba_core::class::rights::Scope;
    /// assert_eq!(Scope::Year { year: 1 }.path(), "namHoc.1");
    /// ```
    pub fn path(&self) -> String {
        match self {
            Scope::Year { year } => format!("namHoc.{year}"),
            Scope::Period { year, period } => format!("namHoc.{year}.dinhKy.{period}"),
        }
    }

    /// The index of the year.
    ///
    /// ```
    /// use hocba_core::class::rights::Scope;
    /// assert_eq!(Scope::Period { year: 1, period: 3 }.year(), 1);
    /// ```
    pub fn year(&self) -> usize {
        match self {
            Scope::Year { year } | Scope::Period { year, .. } => *year,
        }
    }
}

/// Nhập or sửa — entering a value where there was none, or changing one.
///
/// ```
/// use hocba_core::class::rights::Edit;
/// assert_eq!(Edit::Change.audit_action().as_str(), "SUA");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edit {
    /// `NHAP`: the field was absent.
    Enter,
    /// `SUA`: the field had a value.
    Change,
}

impl Edit {
    /// The entry's `hanhDong`.
    ///
    /// ```
    /// use hocba_core::class::rights::Edit;
    /// assert_eq!(Edit::Enter.audit_action().as_str(), "NHAP");
    /// ```
    pub fn audit_action(self) -> AuditAction {
        match self {
            Edit::Enter => AuditAction::Enter,
            Edit::Change => AuditAction::Change,
        }
    }
}

/// What someone wants to do, as [`can`] judges it. Paths are full field paths
/// (`namHoc.0.dinhKy.2.monHoc.1.diem`), the `duongDan` of the entry.
///
/// ```
/// use hocba_core::class::rights::{Action, Edit, Scope};
/// use hocba_core::model::SubjectCode;
/// let a = Action::Subject {
///     class: "4A".into(),
///     subject: SubjectCode::Mathematics,
///     path: "namHoc.0.dinhKy.2.monHoc.1.diem".into(),
///     edit: Edit::Enter,
/// };
/// assert_eq!(a.path(), "namHoc.0.dinhKy.2.monHoc.1.diem");
/// assert_eq!(Action::Lock(Scope::Year { year: 0 }).audit_action().as_str(), "KHOA");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Enter or change a subject's level, score or comment, in the year's `monHoc` or a period's.
    Subject {
        /// The class (`namHoc.N.lop`).
        class: String,
        /// The subject.
        subject: SubjectCode,
        /// The field's path.
        path: String,
        /// Enter or change.
        edit: Edit,
    },
    /// Enter or change a quality (`phamChat`).
    Quality {
        /// The class.
        class: String,
        /// The field's path.
        path: String,
        /// Enter or change.
        edit: Edit,
    },
    /// Enter or change a competency (`nangLuc`).
    Competency {
        /// The class.
        class: String,
        /// The field's path.
        path: String,
        /// Enter or change.
        edit: Edit,
    },
    /// Enter or change the pupil's data (`hocSinh`).
    Pupil {
        /// The pupil's class.
        class: String,
        /// The field's path.
        path: String,
        /// Enter or change.
        edit: Edit,
    },
    /// Lock a period or a year (`KHOA`).
    Lock(Scope),
    /// Unlock a period or a year (`MO_KHOA`).
    Unlock(Scope),
    /// Sign a year or a period (`KY`).
    Sign {
        /// The class.
        class: String,
        /// What is signed.
        scope: Scope,
    },
}

impl Action {
    /// The entry's `duongDan`: the field, or the scope.
    ///
    /// ```
    /// use hocba_core::class::rights::{Action, Scope};
    /// assert_eq!(Action::Unlock(Scope::Period { year: 0, period: 1 }).path(), "namHoc.0.dinhKy.1");
    /// ```
    pub fn path(&self) -> String {
        match self {
            Action::Subject { path, .. }
            | Action::Quality { path, .. }
            | Action::Competency { path, .. }
            | Action::Pupil { path, .. } => path.clone(),
            Action::Lock(s) | Action::Unlock(s) | Action::Sign { scope: s, .. } => s.path(),
        }
    }

    /// The entry's `hanhDong`.
    ///
    /// ```
    /// use hocba_core::class::rights::{Action, Scope};
    /// let sign = Action::Sign { class: "4A".into(), scope: Scope::Year { year: 0 } };
    /// assert_eq!(sign.audit_action().as_str(), "KY");
    /// ```
    pub fn audit_action(&self) -> AuditAction {
        match self {
            Action::Subject { edit, .. }
            | Action::Quality { edit, .. }
            | Action::Competency { edit, .. }
            | Action::Pupil { edit, .. } => edit.audit_action(),
            Action::Lock(_) => AuditAction::Lock,
            Action::Unlock(_) => AuditAction::Unlock,
            Action::Sign { .. } => AuditAction::Sign,
        }
    }
}

/// The locked scopes of a record at the end of its `nhatKy`, replayed as the rule engine does.
///
/// ```
/// use hocba_core::class::rights::LockState;
/// let bytes = std::fs::read("../fixtures/records/valid/grade-4.xml").unwrap();
/// let record = hocba_core::read_record(&bytes).unwrap();
/// let locks = LockState::from_record(&record);
/// assert_eq!(locks.locked(), ["namHoc.0.dinhKy.0", "namHoc.0.dinhKy.1", "namHoc.0"]);
/// assert_eq!(locks.covering("namHoc.0.dinhKy.3.monHoc.0.diem"), Some("namHoc.0"));
/// assert!(LockState::from_entries(&record.audit[..1]).locked().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockState {
    locked: Vec<String>,
}

impl LockState {
    /// Replays `entries` in order.
    ///
    /// ```
    /// use hocba_core::class::rights::LockState;
    /// assert!(LockState::from_entries(&[]).locked().is_empty());
    /// ```
    pub fn from_entries(entries: &[AuditEntry]) -> Self {
        let mut locked: Vec<&str> = Vec::new();
        for e in entries {
            if let Some((role, action, target)) = replayed(e) {
                lock_step(&mut locked, role, action, target);
            }
        }
        LockState {
            locked: locked.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Replays the record's `nhatKy`.
    ///
    /// ```
    /// use hocba_core::class::rights::LockState;
    /// let record = hocba_core::Record::default();
    /// assert_eq!(LockState::from_record(&record), LockState::default());
    /// ```
    pub fn from_record(record: &Record) -> Self {
        Self::from_entries(&record.audit)
    }

    /// A state with exactly these scopes locked (for planning and tests).
    ///
    /// ```
    /// use hocba_core::class::rights::LockState;
    /// let l = LockState::from_scopes(["namHoc.0.dinhKy.1"]);
    /// assert!(l.is_locked("namHoc.0.dinhKy.1"));
    /// ```
    pub fn from_scopes<I, S>(scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut locked: Vec<String> = Vec::new();
        for s in scopes {
            let s = s.into();
            if !locked.contains(&s) {
                locked.push(s);
            }
        }
        LockState { locked }
    }

    /// The locked scopes, in the order they were locked.
    ///
    /// ```
    /// use hocba_core::class::rights::LockState;
    /// assert_eq!(LockState::from_scopes(["namHoc.0"]).locked(), ["namHoc.0"]);
    /// ```
    pub fn locked(&self) -> &[String] {
        &self.locked
    }

    /// Is exactly this scope locked?
    ///
    /// ```
    /// use hocba_core::class::rights::LockState;
    /// let l = LockState::from_scopes(["namHoc.0"]);
    /// assert!(l.is_locked("namHoc.0") && !l.is_locked("namHoc.0.dinhKy.1"));
    /// ```
    pub fn is_locked(&self, scope: &str) -> bool {
        self.locked.iter().any(|s| s == scope)
    }

    /// The first locked scope `path` is inside, as the rule engine finds it.
    ///
    /// ```
    /// use hocba_core::class::rights::LockState;
    /// let l = LockState::from_scopes(["namHoc.0.dinhKy.1"]);
    /// assert_eq!(l.covering("namHoc.0.dinhKy.1.phamChat.0.mucDat"), Some("namHoc.0.dinhKy.1"));
    /// assert_eq!(l.covering("namHoc.0.dinhKy.10.monHoc.0.diem"), None);
    /// assert_eq!(l.covering("namHoc.0.monHoc.0.diem"), None);
    /// ```
    pub fn covering(&self, path: &str) -> Option<&str> {
        self.locked
            .iter()
            .find(|s| inside(path, s))
            .map(String::as_str)
    }
}

/// What the homeroom teacher (or the principal) does and a subject teacher may not.
///
/// ```
/// use hocba_core::class::rights::HomeroomTask;
/// assert_eq!(HomeroomTask::Qualities.describe_vi(), "nhập phẩm chất");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HomeroomTask {
    /// Qualities (`phamChat`).
    Qualities,
    /// Competencies (`nangLuc`).
    Competencies,
    /// The pupil's data (`hocSinh`).
    PupilData,
    /// Signing (`KY`).
    Signing,
}

impl HomeroomTask {
    /// In English, as a verb phrase.
    ///
    /// ```
    /// use hocba_core::class::rights::HomeroomTask;
    /// assert_eq!(HomeroomTask::Signing.describe(), "sign");
    /// ```
    pub fn describe(self) -> &'static str {
        match self {
            HomeroomTask::Qualities => "enter qualities",
            HomeroomTask::Competencies => "enter competencies",
            HomeroomTask::PupilData => "change the pupil's data",
            HomeroomTask::Signing => "sign",
        }
    }

    /// In Vietnamese, as a verb phrase.
    ///
    /// ```
    /// use hocba_core::class::rights::HomeroomTask;
    /// assert_eq!(HomeroomTask::PupilData.describe_vi(), "sửa thông tin học sinh");
    /// ```
    pub fn describe_vi(self) -> &'static str {
        match self {
            HomeroomTask::Qualities => "nhập phẩm chất",
            HomeroomTask::Competencies => "nhập năng lực",
            HomeroomTask::PupilData => "sửa thông tin học sinh",
            HomeroomTask::Signing => "ký",
        }
    }

    fn of_path(path: &str) -> Self {
        if path == "hocSinh" || path.starts_with("hocSinh.") {
            HomeroomTask::PupilData
        } else if path.split('.').any(|s| s == "nangLuc") {
            HomeroomTask::Competencies
        } else {
            HomeroomTask::Qualities
        }
    }
}

/// Why [`can`] refuses, with who may do it instead.
///
/// ```
/// use hocba_core::class::rights::Refusal;
/// let r = Refusal::OnlyPrincipal {
///     actor: "Lê D".into(), scope: "namHoc.0".into(), unlock: false,
///     principals: vec!["Trần Văn B".into()],
/// };
/// assert_eq!(r.who(), vec!["Trần Văn B"]);
/// assert!(r.message().contains("Trần Văn B") && r.message_vi().contains("Trần Văn B"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The actor is not assigned to teach the subject in the class.
    NotAssigned {
        /// Who asked.
        actor: String,
        /// The class.
        class: String,
        /// The subject.
        subject: SubjectCode,
        /// The field.
        path: String,
        /// The teachers assigned to it.
        teachers: Vec<String>,
        /// The principals.
        principals: Vec<String>,
    },
    /// Qualities, competencies, pupil data and signing are the homeroom teacher's (or the
    /// principal's), and the actor is neither.
    NotHomeroomTeacher {
        /// Who asked.
        actor: String,
        /// The class.
        class: String,
        /// What was asked.
        task: HomeroomTask,
        /// The field or the scope.
        path: String,
        /// The class's homeroom teacher, if assigned.
        homeroom: Option<String>,
        /// The principals.
        principals: Vec<String>,
    },
    /// Only the principal locks and unlocks.
    OnlyPrincipal {
        /// Who asked.
        actor: String,
        /// The scope.
        scope: String,
        /// Unlocking (else locking).
        unlock: bool,
        /// The principals.
        principals: Vec<String>,
    },
    /// The field is inside a locked scope: only the principal, with a written record.
    Locked {
        /// Who asked.
        actor: String,
        /// The field.
        path: String,
        /// The locked scope.
        scope: String,
        /// The principals.
        principals: Vec<String>,
    },
    /// The principal changes a field inside a locked scope without a written record (`bienBan`).
    WrittenRecordMissing {
        /// The principal.
        actor: String,
        /// The field.
        path: String,
        /// The locked scope.
        scope: String,
    },
    /// The scope is already locked, itself or through the year containing it.
    AlreadyLocked {
        /// The scope asked for.
        scope: String,
        /// The locked scope covering it (the same one, or its year).
        by: String,
    },
    /// The scope is not locked: nothing to unlock.
    NotLocked {
        /// The scope asked for.
        scope: String,
        /// A locked scope containing it (its year), which is what to unlock.
        covered_by: Option<String>,
    },
}

fn list(names: &[String], none: &str) -> String {
    if names.is_empty() {
        none.to_owned()
    } else {
        names.join(", ")
    }
}

fn scope_en(scope: &str) -> String {
    if scope.contains(".dinhKy.") {
        format!("period {scope}")
    } else {
        format!("year {scope}")
    }
}

fn scope_vi(scope: &str) -> String {
    if scope.contains(".dinhKy.") {
        format!("kỳ {scope}")
    } else {
        format!("năm học {scope}")
    }
}

impl Refusal {
    /// The names of the people who may do it (empty when nobody may, as for a scope already
    /// locked).
    ///
    /// ```
    /// use hocba_core::class::rights::Refusal;
    /// let r = Refusal::NotLocked { scope: "namHoc.0".into(), covered_by: None };
    /// assert!(r.who().is_empty());
    /// ```
    pub fn who(&self) -> Vec<&str> {
        match self {
            Refusal::NotAssigned {
                teachers,
                principals,
                ..
            } => teachers
                .iter()
                .chain(principals)
                .map(String::as_str)
                .collect(),
            Refusal::NotHomeroomTeacher {
                homeroom,
                principals,
                ..
            } => homeroom
                .iter()
                .chain(principals)
                .map(String::as_str)
                .collect(),
            Refusal::OnlyPrincipal { principals, .. } | Refusal::Locked { principals, .. } => {
                principals.iter().map(String::as_str).collect()
            }
            Refusal::WrittenRecordMissing { actor, .. } => vec![actor.as_str()],
            Refusal::AlreadyLocked { .. } | Refusal::NotLocked { .. } => Vec::new(),
        }
    }

    /// The explanation in English, naming the class, subject, path or scope and who may do it.
    ///
    /// ```
    /// use hocba_core::class::rights::Refusal;
    /// let r = Refusal::AlreadyLocked { scope: "namHoc.0.dinhKy.1".into(), by: "namHoc.0".into() };
    /// assert_eq!(r.message(),
    ///     "period namHoc.0.dinhKy.1 is already locked: it is inside year namHoc.0, which is locked");
    /// ```
    pub fn message(&self) -> String {
        match self {
            Refusal::NotAssigned {
                actor,
                class,
                subject,
                path,
                teachers,
                principals,
            } => format!(
                "{actor} is not assigned to teach {subject} in class {class}, so cannot enter or change {path}: the teacher assigned to it ({}) or the principal ({}) may",
                list(teachers, "nobody is assigned"),
                list(principals, "none listed"),
            ),
            Refusal::NotHomeroomTeacher {
                actor,
                class,
                task,
                path,
                homeroom,
                principals,
            } => format!(
                "{actor} is not the homeroom teacher of class {class}, so cannot {} ({path}): the homeroom teacher ({}) or the principal ({}) may",
                task.describe(),
                homeroom.as_deref().unwrap_or("none assigned"),
                list(principals, "none listed"),
            ),
            Refusal::OnlyPrincipal {
                actor,
                scope,
                unlock,
                principals,
            } => format!(
                "{actor} cannot {} {}: only the principal ({}) locks and unlocks periods and years",
                if *unlock { "unlock" } else { "lock" },
                scope_en(scope),
                list(principals, "none listed"),
            ),
            Refusal::Locked {
                actor,
                path,
                scope,
                principals,
            } => format!(
                "{path} is inside {}, which is locked, so {actor} cannot change it: only the principal ({}) may, with the reference of a written record (bienBan)",
                scope_en(scope),
                list(principals, "none listed"),
            ),
            Refusal::WrittenRecordMissing {
                actor,
                path,
                scope,
            } => format!(
                "{path} is inside {}, which is locked: the principal ({actor}) may change it only with the reference of a written record (bienBan)",
                scope_en(scope),
            ),
            Refusal::AlreadyLocked { scope, by } if scope == by => {
                format!("{} is already locked", scope_en(scope))
            }
            Refusal::AlreadyLocked { scope, by } => format!(
                "{} is already locked: it is inside {}, which is locked",
                scope_en(scope),
                scope_en(by)
            ),
            Refusal::NotLocked {
                scope,
                covered_by: None,
            } => format!("{} is not locked: there is nothing to unlock", scope_en(scope)),
            Refusal::NotLocked {
                scope,
                covered_by: Some(by),
            } => format!(
                "{} is not locked itself: it is inside {}, which is; unlock that",
                scope_en(scope),
                scope_en(by)
            ),
        }
    }

    /// The explanation in Vietnamese.
    ///
    /// ```
    /// use hocba_core::class::rights::Refusal;
    /// let r = Refusal::NotLocked { scope: "namHoc.0".into(), covered_by: None };
    /// assert_eq!(r.message_vi(), "năm học namHoc.0 chưa khóa: không có gì để mở khóa");
    /// ```
    pub fn message_vi(&self) -> String {
        match self {
            Refusal::NotAssigned {
                actor,
                class,
                subject,
                path,
                teachers,
                principals,
            } => format!(
                "{actor} không được phân công dạy {subject} ở lớp {class} nên không được nhập hoặc sửa {path}: giáo viên được phân công ({}) hoặc hiệu trưởng ({}) mới được",
                list(teachers, "chưa phân công"),
                list(principals, "chưa có trong danh sách"),
            ),
            Refusal::NotHomeroomTeacher {
                actor,
                class,
                task,
                path,
                homeroom,
                principals,
            } => format!(
                "{actor} không phải giáo viên chủ nhiệm lớp {class} nên không được {} ({path}): giáo viên chủ nhiệm ({}) hoặc hiệu trưởng ({}) mới được",
                task.describe_vi(),
                homeroom.as_deref().unwrap_or("chưa phân công"),
                list(principals, "chưa có trong danh sách"),
            ),
            Refusal::OnlyPrincipal {
                actor,
                scope,
                unlock,
                principals,
            } => format!(
                "{actor} không được {} {}: chỉ hiệu trưởng ({}) được khóa và mở khóa kỳ, năm học",
                if *unlock { "mở khóa" } else { "khóa" },
                scope_vi(scope),
                list(principals, "chưa có trong danh sách"),
            ),
            Refusal::Locked {
                actor,
                path,
                scope,
                principals,
            } => format!(
                "{path} thuộc {} đã khóa nên {actor} không được sửa: chỉ hiệu trưởng ({}) được sửa, kèm số biên bản (bienBan)",
                scope_vi(scope),
                list(principals, "chưa có trong danh sách"),
            ),
            Refusal::WrittenRecordMissing {
                actor,
                path,
                scope,
            } => format!(
                "{path} thuộc {} đã khóa: hiệu trưởng ({actor}) chỉ được sửa khi có số biên bản (bienBan)",
                scope_vi(scope),
            ),
            Refusal::AlreadyLocked { scope, by } if scope == by => {
                format!("{} đã khóa", scope_vi(scope))
            }
            Refusal::AlreadyLocked { scope, by } => format!(
                "{} đã khóa: thuộc {} đã khóa",
                scope_vi(scope),
                scope_vi(by)
            ),
            Refusal::NotLocked {
                scope,
                covered_by: None,
            } => format!("{} chưa khóa: không có gì để mở khóa", scope_vi(scope)),
            Refusal::NotLocked {
                scope,
                covered_by: Some(by),
            } => format!(
                "{} không tự khóa: nó thuộc {} đã khóa; hãy mở khóa {}",
                scope_vi(scope),
                scope_vi(by),
                by
            ),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Refusal {}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// May `actor` do `action`, given the school's `assignments`, the `locks` at this moment, and the
/// reference of a written record (`authorisation`, the entry's `bienBan`)? `Ok` holds the role
/// under which it is done (the entry's `vaiTro`); see the [module documentation](self) for the
/// table of rights.
///
/// ```
/// use hocba_core::class::rights::{can, Action, Actor, Assignments, Edit, LockState, Refusal};
/// use hocba_core::model::{AuditRole, SubjectCode};
/// let school = Assignments::default()
///     .with_principal("Trần Văn B")
///     .with_homeroom("4A", "Nguyễn Thị C")
///     .with_teaching("Lê D", "4A", &[SubjectCode::Mathematics]);
/// let score = Action::Subject {
///     class: "4A".into(),
///     subject: SubjectCode::Mathematics,
///     path: "namHoc.0.dinhKy.1.monHoc.1.diem".into(),
///     edit: Edit::Change,
/// };
/// let open = LockState::default();
/// assert_eq!(can(&school, &open, &Actor::new("Lê D"), &score, None), Ok(AuditRole::SubjectTeacher));
///
/// let closed = LockState::from_scopes(["namHoc.0.dinhKy.1"]);
/// let refused = can(&school, &closed, &Actor::new("Lê D"), &score, None).unwrap_err();
/// assert!(matches!(refused, Refusal::Locked { .. }));
/// assert_eq!(refused.who(), vec!["Trần Văn B"]);
/// let principal = Actor::new("Trần Văn B");
/// assert!(matches!(can(&school, &closed, &principal, &score, None),
///     Err(Refusal::WrittenRecordMissing { .. })));
/// assert_eq!(can(&school, &closed, &principal, &score, Some("BB-01/2025")), Ok(AuditRole::Principal));
/// ```
// A refusal is the cold path, and its typed fields (who may do it) are the point of it: it is
// returned by value rather than boxed.
#[allow(clippy::result_large_err)]
pub fn can(
    assignments: &Assignments,
    locks: &LockState,
    actor: &Actor,
    action: &Action,
    authorisation: Option<&str>,
) -> Result<AuditRole, Refusal> {
    let name = actor.name.as_str();
    let principal = assignments.is_principal(name);
    let principals = || assignments.principals.clone();
    let homeroom_task = |class: &str, task: HomeroomTask, path: String| {
        if assignments.is_homeroom(name, class) {
            Ok(AuditRole::HomeroomTeacher)
        } else if principal {
            Ok(AuditRole::Principal)
        } else {
            Err(Refusal::NotHomeroomTeacher {
                actor: name.to_owned(),
                class: class.to_owned(),
                task,
                path,
                homeroom: assignments.homeroom_teacher(class).map(str::to_owned),
                principals: principals(),
            })
        }
    };
    let (role, path) = match action {
        Action::Lock(scope) | Action::Unlock(scope) => {
            let unlock = matches!(action, Action::Unlock(_));
            let path = scope.path();
            if !principal {
                return Err(Refusal::OnlyPrincipal {
                    actor: name.to_owned(),
                    scope: path,
                    unlock,
                    principals: principals(),
                });
            }
            if unlock {
                if !locks.is_locked(&path) {
                    let covered_by = locks.covering(&path).map(str::to_owned);
                    return Err(Refusal::NotLocked {
                        scope: path,
                        covered_by,
                    });
                }
            } else if let Some(by) = locks.covering(&path) {
                return Err(Refusal::AlreadyLocked {
                    by: by.to_owned(),
                    scope: path,
                });
            }
            return Ok(AuditRole::Principal);
        }
        Action::Sign { class, scope } => {
            return homeroom_task(class, HomeroomTask::Signing, scope.path());
        }
        Action::Subject {
            class,
            subject,
            path,
            ..
        } => {
            if reserved_for_homeroom(path) {
                // Not a subject's field, whatever the caller called it.
                (
                    homeroom_task(class, HomeroomTask::of_path(path), path.clone())?,
                    path,
                )
            } else if assignments.teaches(name, class, subject) {
                let role = if assignments.is_homeroom(name, class) {
                    AuditRole::HomeroomTeacher
                } else {
                    AuditRole::SubjectTeacher
                };
                (role, path)
            } else if principal {
                (AuditRole::Principal, path)
            } else {
                return Err(Refusal::NotAssigned {
                    actor: name.to_owned(),
                    class: class.clone(),
                    subject: subject.clone(),
                    path: path.clone(),
                    teachers: assignments
                        .teachers_of(class, subject)
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    principals: principals(),
                });
            }
        }
        Action::Quality { class, path, .. } => (
            homeroom_task(class, HomeroomTask::Qualities, path.clone())?,
            path,
        ),
        Action::Competency { class, path, .. } => (
            homeroom_task(class, HomeroomTask::Competencies, path.clone())?,
            path,
        ),
        Action::Pupil { class, path, .. } => (
            homeroom_task(class, HomeroomTask::PupilData, path.clone())?,
            path,
        ),
    };
    let Some(scope) = locks.covering(path.trim()) else {
        return Ok(role);
    };
    if !principal {
        return Err(Refusal::Locked {
            actor: name.to_owned(),
            path: path.clone(),
            scope: scope.to_owned(),
            principals: principals(),
        });
    }
    if blank(authorisation) {
        return Err(Refusal::WrittenRecordMissing {
            actor: name.to_owned(),
            path: path.clone(),
            scope: scope.to_owned(),
        });
    }
    Ok(AuditRole::Principal)
}

/// A value of a subject's row (`MonHoc`).
///
/// ```
/// use hocba_core::class::rights::SubjectValue;
/// use hocba_core::model::SubjectLevel;
/// assert_eq!(SubjectValue::Level(SubjectLevel::Completed).field(), "mucDat");
/// assert_eq!(SubjectValue::Score(9).field(), "diem");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum SubjectValue {
    /// `mucDat`: `T`, `H` or `C`.
    Level(SubjectLevel),
    /// `diem`: 0–10.
    Score(u8),
    /// `nhanXet`.
    Comment(String),
}

impl SubjectValue {
    /// The field's wire name.
    ///
    /// ```
    /// use hocba_core::class::rights::SubjectValue;
    /// assert_eq!(SubjectValue::Comment("Tốt".into()).field(), "nhanXet");
    /// ```
    pub fn field(&self) -> &'static str {
        match self {
            SubjectValue::Level(_) => "mucDat",
            SubjectValue::Score(_) => "diem",
            SubjectValue::Comment(_) => "nhanXet",
        }
    }
}

/// A value of a quality's or competency's row (`MucDanhGia`).
///
/// ```
/// use hocba_core::class::rights::ItemValue;
/// use hocba_core::model::ItemLevel;
/// assert_eq!(ItemValue::Level(ItemLevel::Good).field(), "mucDat");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ItemValue {
    /// `mucDat`: `T`, `Đ` or `C`.
    Level(ItemLevel),
    /// `nhanXet`.
    Comment(String),
}

impl ItemValue {
    /// The field's wire name.
    ///
    /// ```
    /// use hocba_core::class::rights::ItemValue;
    /// assert_eq!(ItemValue::Comment("Mạnh dạn".into()).field(), "nhanXet");
    /// ```
    pub fn field(&self) -> &'static str {
        match self {
            ItemValue::Level(_) => "mucDat",
            ItemValue::Comment(_) => "nhanXet",
        }
    }
}

/// A field of the pupil's data (`hocSinh`) that [`apply`] can set (the photo is not one: it is
/// too large for an audit entry).
///
/// ```
/// use hocba_core::class::rights::PupilField;
/// assert_eq!(PupilField::FatherName.wire_name(), "hoTenCha");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PupilField {
    /// `hoVaTen`.
    FullName,
    /// `gioiTinh` (`1` or `2`).
    Sex,
    /// `ngaySinh` (`YYYY-MM-DD`).
    DateOfBirth,
    /// `danToc`.
    Ethnicity,
    /// `quocTich`.
    Nationality,
    /// `noiSinh`.
    PlaceOfBirth,
    /// `queQuan`.
    Hometown,
    /// `noiOHienNay`.
    CurrentAddress,
    /// `hoTenCha`.
    FatherName,
    /// `hoTenMe`.
    MotherName,
    /// `nguoiGiamHo`.
    GuardianName,
    /// `soDinhDanh`.
    PersonalId,
    /// `maHocSinh`.
    StudentCode,
}

impl PupilField {
    /// The wire name.
    ///
    /// ```
    /// use hocba_core::class::rights::PupilField;
    /// assert_eq!(PupilField::CurrentAddress.wire_name(), "noiOHienNay");
    /// ```
    pub fn wire_name(self) -> &'static str {
        match self {
            PupilField::FullName => "hoVaTen",
            PupilField::Sex => "gioiTinh",
            PupilField::DateOfBirth => "ngaySinh",
            PupilField::Ethnicity => "danToc",
            PupilField::Nationality => "quocTich",
            PupilField::PlaceOfBirth => "noiSinh",
            PupilField::Hometown => "queQuan",
            PupilField::CurrentAddress => "noiOHienNay",
            PupilField::FatherName => "hoTenCha",
            PupilField::MotherName => "hoTenMe",
            PupilField::GuardianName => "nguoiGiamHo",
            PupilField::PersonalId => "soDinhDanh",
            PupilField::StudentCode => "maHocSinh",
        }
    }

    fn get(self, p: &Pupil) -> Option<String> {
        let text = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().to_owned());
        match self {
            PupilField::FullName => text(&p.full_name),
            PupilField::Sex => p.sex.as_ref().map(|s| s.as_str().to_owned()),
            PupilField::DateOfBirth => p.date_of_birth.as_ref().map(|d| d.as_str().to_owned()),
            PupilField::Ethnicity => text(&p.ethnicity),
            PupilField::Nationality => text(&p.nationality),
            PupilField::PlaceOfBirth => text(&p.place_of_birth),
            PupilField::Hometown => text(&p.hometown),
            PupilField::CurrentAddress => text(&p.current_address),
            PupilField::FatherName => text(&p.father_name),
            PupilField::MotherName => text(&p.mother_name),
            PupilField::GuardianName => text(&p.guardian_name),
            PupilField::PersonalId => text(&p.personal_id),
            PupilField::StudentCode => text(&p.student_code),
        }
    }

    fn set(self, p: &mut Pupil, v: &str) {
        let t = Some(Text::from(v));
        match self {
            PupilField::FullName => p.full_name = t,
            PupilField::Sex => p.sex = Some(Sex::parse(v)),
            PupilField::DateOfBirth => p.date_of_birth = Some(Date::from(v)),
            PupilField::Ethnicity => p.ethnicity = t,
            PupilField::Nationality => p.nationality = t,
            PupilField::PlaceOfBirth => p.place_of_birth = t,
            PupilField::Hometown => p.hometown = t,
            PupilField::CurrentAddress => p.current_address = t,
            PupilField::FatherName => p.father_name = t,
            PupilField::MotherName => p.mother_name = t,
            PupilField::GuardianName => p.guardian_name = t,
            PupilField::PersonalId => p.personal_id = t,
            PupilField::StudentCode => p.student_code = t,
        }
    }

    /// The value as it will be stored, or why it cannot be.
    fn check(self, v: &str) -> Result<String, (&'static str, &'static str)> {
        match self {
            PupilField::Sex => {
                let s = Sex::parse(v);
                if s.is_known() {
                    Ok(s.as_str().to_owned())
                } else {
                    Err((
                        "the sex is 1 (male) or 2 (female)",
                        "giới tính là 1 (nam) hoặc 2 (nữ)",
                    ))
                }
            }
            PupilField::DateOfBirth => {
                let d = Date::from(v);
                if d.to_calendar().is_some() {
                    Ok(d.as_str().to_owned())
                } else {
                    Err((
                        "a date is a real calendar date YYYY-MM-DD",
                        "ngày phải là ngày có thật, dạng YYYY-MM-DD",
                    ))
                }
            }
            _ => Ok(v.to_owned()),
        }
    }
}

/// A change [`apply`] makes to a record, with its audit entry.
///
/// `year` is the index in `namHoc`; `period` selects the `dinhKy` with that `ky` (appended when
/// the year has none yet), `None` the year's own lists. A subject, quality or competency row
/// missing from the list is appended with its code.
///
/// ```
/// use hocba_core::class::rights::{Change, ItemValue, Scope};
/// use hocba_core::model::{ItemLevel, Period, QualityCode};
/// let c = Change::Quality {
///     year: 0,
///     period: Some(Period::MidTerm2),
///     quality: QualityCode::Honesty,
///     value: ItemValue::Level(ItemLevel::Good),
/// };
/// let lock = Change::Lock(Scope::Period { year: 0, period: 2 });
/// assert_ne!(c, lock);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// Set a subject's level, score or comment.
    Subject {
        /// Index in `namHoc`.
        year: usize,
        /// The period (`dinhKy`), or `None` for the year's `monHoc`.
        period: Option<Period>,
        /// The subject.
        subject: SubjectCode,
        /// The value.
        value: SubjectValue,
    },
    /// Set a quality's level or comment.
    Quality {
        /// Index in `namHoc`.
        year: usize,
        /// The period, or `None` for the year's `phamChat`.
        period: Option<Period>,
        /// The quality.
        quality: QualityCode,
        /// The value.
        value: ItemValue,
    },
    /// Set a competency's level or comment.
    Competency {
        /// Index in `namHoc`.
        year: usize,
        /// The period, or `None` for the year's `nangLuc`.
        period: Option<Period>,
        /// The competency.
        competency: CompetencyCode,
        /// The value.
        value: ItemValue,
    },
    /// Set a field of the pupil's data; the pupil's class is the one of the record's last year.
    Pupil {
        /// The field.
        field: PupilField,
        /// The value.
        value: String,
    },
    /// Lock a period or a year (`KHOA`).
    Lock(Scope),
    /// Unlock a period or a year (`MO_KHOA`).
    Unlock(Scope),
    /// Record a signature (`KY`) of a year or a period.
    Sign(Scope),
}

/// Why [`apply`] changed nothing.
///
/// ```
/// use hocba_core::class::rights::ApplyError;
/// let e = ApplyError::LineBreak { field: "giaTriMoi" };
/// assert!(e.message().contains("giaTriMoi") && e.message_vi().contains("giaTriMoi"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApplyError {
    /// The actor may not do it ([`ApplyError::refusal`] borrows the reason).
    Refused(Box<Refusal>),
    /// No year at that index.
    NoSuchYear {
        /// The index asked for.
        year: usize,
    },
    /// No period at that index (locking, unlocking and signing need an existing period).
    NoSuchPeriod {
        /// The scope asked for.
        scope: String,
    },
    /// The year (or, for pupil data, the last year) has no class name (`lop`), so rights by
    /// class cannot be judged.
    NoClass {
        /// The year's path.
        path: String,
    },
    /// `thoiDiem` is not an RFC 3339 timestamp with an offset.
    InvalidTime {
        /// The value given.
        value: String,
    },
    /// `thoiDiem` is earlier than the last entry's: the trail would be out of order.
    TimeBeforeLast {
        /// The value given.
        at: String,
        /// The last entry's `thoiDiem`.
        last: String,
    },
    /// A value (or the actor's name, or the `bienBan`) contains a line break, which the chain
    /// cannot hold.
    LineBreak {
        /// The entry field holding it.
        field: &'static str,
    },
    /// The value cannot be stored in that field.
    InvalidValue {
        /// The field.
        path: String,
        /// The value given.
        value: String,
        /// Why, in English.
        reason: &'static str,
        /// Why, in Vietnamese.
        reason_vi: &'static str,
    },
    /// The field already holds that value: nothing to record.
    Unchanged {
        /// The field.
        path: String,
        /// Its value.
        value: String,
    },
}

impl ApplyError {
    /// The refusal, when the rights refused.
    ///
    /// ```
    /// use hocba_core::class::rights::{ApplyError, Refusal};
    /// let e = ApplyError::from(Refusal::NotLocked { scope: "namHoc.0".into(), covered_by: None });
    /// assert!(matches!(e.refusal(), Some(Refusal::NotLocked { .. })));
    /// assert!(ApplyError::NoSuchYear { year: 1 }.refusal().is_none());
    /// ```
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            ApplyError::Refused(r) => Some(r),
            _ => None,
        }
    }

    /// The explanation in English.
    ///
    /// ```
    /// use hocba_core::class::rights::ApplyError;
    /// assert_eq!(ApplyError::NoSuchYear { year: 2 }.message(), "the record has no year namHoc.2");
    /// ```
    pub fn message(&self) -> String {
        match self {
            ApplyError::Refused(r) => r.message(),
            ApplyError::NoSuchYear { year } => format!("the record has no year namHoc.{year}"),
            ApplyError::NoSuchPeriod { scope } => format!("the record has no period {scope}"),
            ApplyError::NoClass { path } => format!(
                "{path} has no class name (lop): rights by class cannot be judged"
            ),
            ApplyError::InvalidTime { value } => format!(
                "the time {value:?} is not an RFC 3339 timestamp with an offset (2025-05-20T16:30:00+07:00)"
            ),
            ApplyError::TimeBeforeLast { at, last } => format!(
                "the time {at} is earlier than the last audit entry's ({last}): entries must not go back in time"
            ),
            ApplyError::LineBreak { field } => format!(
                "the value of {field} contains a line break, which the audit chain cannot hold"
            ),
            ApplyError::InvalidValue {
                path,
                value,
                reason,
                ..
            } => format!("{value:?} cannot be stored in {path}: {reason}"),
            ApplyError::Unchanged { path, value } => {
                format!("{path} already holds {value:?}: nothing to change")
            }
        }
    }

    /// The explanation in Vietnamese.
    ///
    /// ```
    /// use hocba_core::class::rights::ApplyError;
    /// assert_eq!(ApplyError::NoSuchYear { year: 2 }.message_vi(), "học bạ không có năm học namHoc.2");
    /// ```
    pub fn message_vi(&self) -> String {
        match self {
            ApplyError::Refused(r) => r.message_vi(),
            ApplyError::NoSuchYear { year } => format!("học bạ không có năm học namHoc.{year}"),
            ApplyError::NoSuchPeriod { scope } => format!("học bạ không có kỳ {scope}"),
            ApplyError::NoClass { path } => format!(
                "{path} không có tên lớp (lop): không xác định được quyền theo lớp"
            ),
            ApplyError::InvalidTime { value } => format!(
                "thời điểm {value:?} không đúng dạng RFC 3339 có múi giờ (2025-05-20T16:30:00+07:00)"
            ),
            ApplyError::TimeBeforeLast { at, last } => format!(
                "thời điểm {at} sớm hơn mục nhật ký cuối ({last}): nhật ký không được lùi thời gian"
            ),
            ApplyError::LineBreak { field } => format!(
                "giá trị của {field} có dấu xuống dòng, chuỗi băm nhật ký không chấp nhận"
            ),
            ApplyError::InvalidValue {
                path,
                value,
                reason_vi,
                ..
            } => format!("không ghi được {value:?} vào {path}: {reason_vi}"),
            ApplyError::Unchanged { path, value } => {
                format!("{path} đã có giá trị {value:?}: không có gì để sửa")
            }
        }
    }
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApplyError {}

impl From<Refusal> for ApplyError {
    fn from(r: Refusal) -> Self {
        ApplyError::Refused(Box::new(r))
    }
}

/// What a data change resolves to, before anything is changed.
struct Plan {
    action: Action,
    path: String,
    old: Option<String>,
    new: Option<String>,
}

fn year_of(record: &Record, year: usize) -> Result<&SchoolYear, ApplyError> {
    record
        .years
        .get(year)
        .ok_or(ApplyError::NoSuchYear { year })
}

fn class_of(y: &SchoolYear, index: usize) -> Result<String, ApplyError> {
    y.class_name
        .as_ref()
        .filter(|c| !c.is_blank())
        .map(|c| c.as_str().trim().to_owned())
        .ok_or(ApplyError::NoClass {
            path: format!("namHoc.{index}"),
        })
}

/// The path of the year or of its period `p` (the index a new period would get), and the
/// period's index if it exists.
fn base_of(y: &SchoolYear, year: usize, p: Option<&Period>) -> (String, Option<usize>) {
    match p {
        None => (format!("namHoc.{year}"), None),
        Some(p) => {
            let i = y.periods.iter().position(|d| d.period.as_ref() == Some(p));
            (
                format!("namHoc.{year}.dinhKy.{}", i.unwrap_or(y.periods.len())),
                i,
            )
        }
    }
}

/// A value as the record and the entry will hold it: NFC, trimmed, no line break, not blank.
fn text_value(path: &str, v: &str) -> Result<String, ApplyError> {
    let invalid = |reason, reason_vi| ApplyError::InvalidValue {
        path: path.to_owned(),
        value: v.to_owned(),
        reason,
        reason_vi,
    };
    if v.contains(['\n', '\r']) {
        return Err(ApplyError::LineBreak { field: "giaTriMoi" });
    }
    let t = normalize_text(v.trim()).map_err(|_| {
        invalid(
            "it holds a character a record cannot carry",
            "có ký tự học bạ không chứa được",
        )
    })?;
    if t.trim().is_empty() {
        return Err(invalid("the value is blank", "giá trị để trống"));
    }
    Ok(t.trim().to_owned())
}

fn subject_new(path: &str, v: &SubjectValue) -> Result<String, ApplyError> {
    let invalid = |value: String, reason, reason_vi| ApplyError::InvalidValue {
        path: path.to_owned(),
        value,
        reason,
        reason_vi,
    };
    match v {
        SubjectValue::Level(l) if l.is_known() => Ok(l.as_str().to_owned()),
        SubjectValue::Level(l) => Err(invalid(
            l.as_str().to_owned(),
            "a subject level is T, H or C",
            "mức đạt của môn học là T, H hoặc C",
        )),
        SubjectValue::Score(s) if *s <= 10 => Ok(s.to_string()),
        SubjectValue::Score(s) => Err(invalid(
            s.to_string(),
            "a score is a whole number from 0 to 10",
            "điểm là số nguyên từ 0 đến 10",
        )),
        SubjectValue::Comment(c) => text_value(path, c),
    }
}

fn item_new(path: &str, v: &ItemValue) -> Result<String, ApplyError> {
    match v {
        ItemValue::Level(l) if l.is_known() => Ok(l.as_str().to_owned()),
        ItemValue::Level(l) => Err(ApplyError::InvalidValue {
            path: path.to_owned(),
            value: l.as_str().to_owned(),
            reason: "a quality or competency level is T, Đ or C",
            reason_vi: "mức đạt của phẩm chất, năng lực là T, Đ hoặc C",
        }),
        ItemValue::Comment(c) => text_value(path, c),
    }
}

fn subject_old(s: &SubjectResult, v: &SubjectValue) -> Option<String> {
    match v {
        SubjectValue::Level(_) => s.level.as_ref().map(|l| l.as_str().to_owned()),
        SubjectValue::Score(_) => s.score.as_ref().map(Number::to_string),
        SubjectValue::Comment(_) => s.comment.as_ref().map(|c| c.as_str().to_owned()),
    }
}

fn item_old(level: Option<&ItemLevel>, comment: Option<&Text>, v: &ItemValue) -> Option<String> {
    match v {
        ItemValue::Level(_) => level.map(|l| l.as_str().to_owned()),
        ItemValue::Comment(_) => comment.map(|c| c.as_str().to_owned()),
    }
}

fn edit_of(old: &Option<String>) -> Edit {
    if old.is_some() {
        Edit::Change
    } else {
        Edit::Enter
    }
}

fn plan(record: &Record, change: &Change) -> Result<Plan, ApplyError> {
    let scope_plan = |scope: &Scope, action: Action| -> Result<Plan, ApplyError> {
        let y = year_of(record, scope.year())?;
        if let Scope::Period { period, .. } = scope {
            if *period >= y.periods.len() {
                return Err(ApplyError::NoSuchPeriod {
                    scope: scope.path(),
                });
            }
        }
        Ok(Plan {
            path: scope.path(),
            action,
            old: None,
            new: None,
        })
    };
    match change {
        Change::Lock(s) => scope_plan(s, Action::Lock(*s)),
        Change::Unlock(s) => scope_plan(s, Action::Unlock(*s)),
        Change::Sign(s) => {
            let class = class_of(year_of(record, s.year())?, s.year())?;
            scope_plan(s, Action::Sign { class, scope: *s })
        }
        Change::Subject {
            year,
            period,
            subject,
            value,
        } => {
            let y = year_of(record, *year)?;
            let class = class_of(y, *year)?;
            let (base, p) = base_of(y, *year, period.as_ref());
            let list: &[SubjectResult] = match p {
                Some(i) => &y.periods[i].subjects,
                None if period.is_some() => &[],
                None => &y.subjects,
            };
            let found = list.iter().position(|s| s.code.as_ref() == Some(subject));
            let path = format!(
                "{base}.monHoc.{}.{}",
                found.unwrap_or(list.len()),
                value.field()
            );
            let old = found.and_then(|i| subject_old(&list[i], value));
            let new = subject_new(&path, value)?;
            Ok(Plan {
                action: Action::Subject {
                    class,
                    subject: subject.clone(),
                    path: path.clone(),
                    edit: edit_of(&old),
                },
                path,
                old,
                new: Some(new),
            })
        }
        Change::Quality {
            year,
            period,
            quality,
            value,
        } => {
            let y = year_of(record, *year)?;
            let class = class_of(y, *year)?;
            let (base, p) = base_of(y, *year, period.as_ref());
            let list: &[QualityAssessment] = match p {
                Some(i) => &y.periods[i].qualities,
                None if period.is_some() => &[],
                None => &y.qualities,
            };
            let found = list.iter().position(|s| s.code.as_ref() == Some(quality));
            let path = format!(
                "{base}.phamChat.{}.{}",
                found.unwrap_or(list.len()),
                value.field()
            );
            let old = found
                .and_then(|i| item_old(list[i].level.as_ref(), list[i].comment.as_ref(), value));
            let new = item_new(&path, value)?;
            Ok(Plan {
                action: Action::Quality {
                    class,
                    path: path.clone(),
                    edit: edit_of(&old),
                },
                path,
                old,
                new: Some(new),
            })
        }
        Change::Competency {
            year,
            period,
            competency,
            value,
        } => {
            let y = year_of(record, *year)?;
            let class = class_of(y, *year)?;
            let (base, p) = base_of(y, *year, period.as_ref());
            let list: &[CompetencyAssessment] = match p {
                Some(i) => &y.periods[i].competencies,
                None if period.is_some() => &[],
                None => &y.competencies,
            };
            let found = list
                .iter()
                .position(|s| s.code.as_ref() == Some(competency));
            let path = format!(
                "{base}.nangLuc.{}.{}",
                found.unwrap_or(list.len()),
                value.field()
            );
            let old = found
                .and_then(|i| item_old(list[i].level.as_ref(), list[i].comment.as_ref(), value));
            let new = item_new(&path, value)?;
            Ok(Plan {
                action: Action::Competency {
                    class,
                    path: path.clone(),
                    edit: edit_of(&old),
                },
                path,
                old,
                new: Some(new),
            })
        }
        Change::Pupil { field, value } => {
            let last = record
                .years
                .len()
                .checked_sub(1)
                .ok_or(ApplyError::NoClass {
                    path: "namHoc".to_owned(),
                })?;
            let class = class_of(&record.years[last], last)?;
            let path = format!("hocSinh.{}", field.wire_name());
            let new = field
                .check(&text_value(&path, value)?)
                .map_err(|(reason, reason_vi)| ApplyError::InvalidValue {
                    path: path.clone(),
                    value: value.clone(),
                    reason,
                    reason_vi,
                })?;
            let old = record.pupil.as_ref().and_then(|p| field.get(p));
            Ok(Plan {
                action: Action::Pupil {
                    class,
                    path: path.clone(),
                    edit: edit_of(&old),
                },
                path,
                old,
                new: Some(new),
            })
        }
    }
}

fn find_or_push<'a, T, C: PartialEq>(
    list: &'a mut Vec<T>,
    code: &C,
    get: impl Fn(&T) -> Option<&C>,
    make: impl FnOnce() -> T,
) -> &'a mut T {
    let i = match list.iter().position(|x| get(x) == Some(code)) {
        Some(i) => i,
        None => {
            list.push(make());
            list.len() - 1
        }
    };
    &mut list[i]
}

fn period_mut<'a>(y: &'a mut SchoolYear, p: &Period) -> &'a mut PeriodResult {
    find_or_push(
        &mut y.periods,
        p,
        |d| d.period.as_ref(),
        || PeriodResult {
            period: Some(p.clone()),
            ..PeriodResult::default()
        },
    )
}

/// Writes the planned value (already checked) into the record.
fn write(record: &mut Record, change: &Change, new: &str) {
    match change {
        Change::Subject {
            year,
            period,
            subject,
            value,
        } => {
            let Some(y) = record.years.get_mut(*year) else {
                return;
            };
            let list = match period {
                Some(p) => &mut period_mut(y, p).subjects,
                None => &mut y.subjects,
            };
            let row = find_or_push(
                list,
                subject,
                |s| s.code.as_ref(),
                || SubjectResult {
                    code: Some(subject.clone()),
                    ..SubjectResult::default()
                },
            );
            match value {
                SubjectValue::Level(l) => row.level = Some(l.clone()),
                SubjectValue::Score(s) => row.score = Some(Number::from(i64::from(*s))),
                SubjectValue::Comment(_) => row.comment = Some(Text::from(new)),
            }
        }
        Change::Quality {
            year,
            period,
            quality,
            value,
        } => {
            let Some(y) = record.years.get_mut(*year) else {
                return;
            };
            let list = match period {
                Some(p) => &mut period_mut(y, p).qualities,
                None => &mut y.qualities,
            };
            let row = find_or_push(
                list,
                quality,
                |s| s.code.as_ref(),
                || QualityAssessment {
                    code: Some(quality.clone()),
                    ..QualityAssessment::default()
                },
            );
            match value {
                ItemValue::Level(l) => row.level = Some(l.clone()),
                ItemValue::Comment(_) => row.comment = Some(Text::from(new)),
            }
        }
        Change::Competency {
            year,
            period,
            competency,
            value,
        } => {
            let Some(y) = record.years.get_mut(*year) else {
                return;
            };
            let list = match period {
                Some(p) => &mut period_mut(y, p).competencies,
                None => &mut y.competencies,
            };
            let row = find_or_push(
                list,
                competency,
                |s| s.code.as_ref(),
                || CompetencyAssessment {
                    code: Some(competency.clone()),
                    ..CompetencyAssessment::default()
                },
            );
            match value {
                ItemValue::Level(l) => row.level = Some(l.clone()),
                ItemValue::Comment(_) => row.comment = Some(Text::from(new)),
            }
        }
        Change::Pupil { field, .. } => {
            field.set(record.pupil.get_or_insert_with(Pupil::default), new);
        }
        Change::Lock(_) | Change::Unlock(_) | Change::Sign(_) => {}
    }
}

/// A text of the entry: NFC, trimmed, without line breaks.
fn entry_text(field: &'static str, v: &str) -> Result<Text, ApplyError> {
    if v.contains(['\n', '\r']) {
        return Err(ApplyError::LineBreak { field });
    }
    let t = normalize_text(v.trim()).map_err(|_| ApplyError::InvalidValue {
        path: field.to_owned(),
        value: v.to_owned(),
        reason: "it holds a character a record cannot carry",
        reason_vi: "có ký tự học bạ không chứa được",
    })?;
    Ok(Text::from(t.trim()))
}

/// Applies `change` to `record` for `actor` at the time `at` (the caller's clock: the library
/// reads none), and appends its hash-chained `nhatKy` entry: `vaiTro` from [`can`], `hanhDong`
/// `NHAP` when the field was absent and `SUA` when it had a value (`KHOA`, `MO_KHOA`, `KY` for
/// scopes), `giaTriCu` and `giaTriMoi`, `bienBan` when given, and `bam` chained from the last
/// entry. Returns the new entry.
///
/// Refuses, changing nothing, when [`can`] refuses (given the locks replayed from the record's
/// own `nhatKy`), when `at` is not a timestamp or earlier than the last entry's, when a value
/// contains a line break, when a value cannot be stored, or when the field already holds it.
///
/// ```
/// use hocba_core::class::rights::{apply, Actor, ApplyError, Assignments, Change, ItemValue, Refusal, Scope};
/// use hocba_core::model::{ItemLevel, QualityCode, Timestamp};
///
/// let bytes = std::fs::read("../fixtures/records/valid/grade-4.xml").unwrap();
/// let mut record = hocba_core::read_record(&bytes).unwrap(); // year namHoc.0 locked
/// let school = Assignments::default()
///     .with_principal("Trần Quốc Huy")
///     .with_homeroom("4/4", "Nguyễn Thị Thanh Tâm");
/// let change = Change::Quality {
///     year: 0,
///     period: None,
///     quality: QualityCode::Honesty,
///     value: ItemValue::Level(ItemLevel::Satisfactory),
/// };
/// let at = Timestamp::from("2025-06-02T09:00:00+07:00");
/// let teacher = Actor::new("Nguyễn Thị Thanh Tâm");
/// let before = record.clone();
/// let err = apply(&mut record, &school, &teacher, change.clone(), at.clone(), None).unwrap_err();
/// assert!(matches!(err.refusal(), Some(Refusal::Locked { .. })));
/// assert_eq!(record, before);
///
/// let principal = Actor::new("Trần Quốc Huy");
/// let entry = apply(&mut record, &school, &principal, change, at, Some("BB-03/2025")).unwrap();
/// assert_eq!(entry.action.as_ref().map(|a| a.as_str()), Some("SUA"));
/// assert_eq!(entry.path.as_deref(), Some("namHoc.0.phamChat.3.mucDat"));
/// assert!(hocba_core::rules::validate(&record).findings.iter().all(|f| !f.code.starts_with("audit_")));
///
/// let unlock = Change::Unlock(Scope::Year { year: 0 });
/// let at = Timestamp::from("2025-06-01T09:00:00+07:00"); // earlier than the last entry
/// assert!(matches!(apply(&mut record, &school, &principal, unlock, at, None),
///     Err(ApplyError::TimeBeforeLast { .. })));
/// ```
pub fn apply<'r>(
    record: &'r mut Record,
    assignments: &Assignments,
    actor: &Actor,
    change: Change,
    at: Timestamp,
    bien_ban: Option<&str>,
) -> Result<&'r AuditEntry, ApplyError> {
    let Some(instant) = at.to_instant() else {
        return Err(ApplyError::InvalidTime {
            value: at.as_str().to_owned(),
        });
    };
    if let Some(last) = record.audit.last().and_then(|e| e.timestamp.as_ref()) {
        if let Some(l) = last.to_instant() {
            if instant.unix() < l.unix() {
                return Err(ApplyError::TimeBeforeLast {
                    at: at.as_str().to_owned(),
                    last: last.as_str().to_owned(),
                });
            }
        }
    }
    let name = entry_text("nguoiThucHien", &actor.name)?;
    let bien_ban = match bien_ban {
        Some(b) => Some(entry_text("bienBan", b)?).filter(|t| !t.is_blank()),
        None => None,
    };
    let plan = plan(record, &change)?;
    let locks = LockState::from_record(record);
    let acting = Actor::new(name.as_str());
    let role = can(
        assignments,
        &locks,
        &acting,
        &plan.action,
        bien_ban.as_ref().map(Text::as_str),
    )?;
    if let (Some(old), Some(new)) = (&plan.old, &plan.new) {
        if old == new {
            return Err(ApplyError::Unchanged {
                path: plan.path,
                value: new.clone(),
            });
        }
    }
    let old = match &plan.old {
        Some(o) => Some(entry_text("giaTriCu", o)?),
        None => None,
    };
    let mut entry = AuditEntry {
        timestamp: Some(at),
        actor: Some(name),
        role: Some(role),
        action: Some(plan.action.audit_action()),
        path: Some(Text::from(plan.path.as_str())),
        old_value: old,
        new_value: plan.new.as_deref().map(Text::from),
        authorization: bien_ban,
        hash: None,
    };
    let previous = chain_head(&record.audit);
    let hash = entry_hash(&previous, &entry).ok_or(ApplyError::LineBreak { field: "giaTriCu" })?;
    entry.hash = Some(Text::from(hash));
    if let Some(new) = &plan.new {
        write(record, &change, new);
    }
    let n = record.audit.len();
    record.audit.push(entry);
    Ok(&record.audit[n])
}
