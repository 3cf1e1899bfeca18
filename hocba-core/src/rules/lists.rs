//! Code lists kept as data files in the crate (`hocba-core/data/`): ethnicities, countries,
//! subjects per grade and their tests. Parsed once, on first use.

use std::sync::OnceLock;

use crate::model::{Period, SubjectCode};

const ETHNICITIES: &str = include_str!("../../data/ethnicities.txt");
const COUNTRIES: &str = include_str!("../../data/countries.txt");
const SUBJECTS: &str = include_str!("../../data/subjects.txt");

fn lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The name of the ethnicity with this code (`01` Kinh … `55` foreigner), if the code exists.
pub fn ethnicity(code: &str) -> Option<&'static str> {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        lines(ETHNICITIES)
            .filter_map(|l| l.split_once('\t'))
            .collect()
    })
    .iter()
    .find(|(c, _)| *c == code)
    .map(|(_, n)| *n)
}

/// True for an ISO 3166-1 alpha-2 country code.
pub fn is_country(code: &str) -> bool {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| lines(COUNTRIES).collect())
        .binary_search(&code)
        .is_ok()
}

/// A subject's place in the programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectInfo {
    /// The code.
    pub code: SubjectCode,
    /// The official name.
    pub name: &'static str,
    compulsory: GradeSet,
    optional: GradeSet,
    tested: GradeSet,
    mid_term_tested: GradeSet,
}

/// A set of grades 1–5 as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GradeSet(u8);

impl GradeSet {
    fn parse(s: &str) -> GradeSet {
        let Some((a, b)) = s.split_once('-').filter(|_| s != "-") else {
            return GradeSet(0);
        };
        let (Ok(a), Ok(b)) = (a.parse::<u8>(), b.parse::<u8>()) else {
            return GradeSet(0);
        };
        GradeSet((a..=b.min(7)).fold(0, |m, g| m | (1 << g)))
    }
    fn has(self, grade: u8) -> bool {
        grade < 8 && self.0 & (1 << grade) != 0
    }
}

impl SubjectInfo {
    /// Compulsory in this grade.
    pub fn compulsory_in(&self, grade: u8) -> bool {
        self.compulsory.has(grade)
    }
    /// Taught in this grade (compulsory or optional).
    pub fn taught_in(&self, grade: u8) -> bool {
        self.compulsory.has(grade) || self.optional.has(grade)
    }
    /// Has an end-of-year (and end-of-term-I) test in this grade: its score counts in Article 9.
    pub fn tested_in(&self, grade: u8) -> bool {
        self.tested.has(grade)
    }
    /// Has a test at this period in this grade.
    pub fn tested_at(&self, period: &Period, grade: u8) -> bool {
        match period {
            Period::EndOfTerm1 | Period::EndOfYear => self.tested.has(grade),
            Period::MidTerm1 | Period::MidTerm2 => self.mid_term_tested.has(grade),
            Period::Other(_) => false,
        }
    }
}

/// Every subject and activity, in the order of `domain.md`.
pub fn subjects() -> &'static [SubjectInfo] {
    static LIST: OnceLock<Vec<SubjectInfo>> = OnceLock::new();
    LIST.get_or_init(|| {
        lines(SUBJECTS)
            .filter_map(|l| {
                let f: Vec<&'static str> = l.split('\t').collect();
                let [code, name, comp, opt, tested, mid] = f[..] else {
                    return None;
                };
                Some(SubjectInfo {
                    code: SubjectCode::parse(code),
                    name,
                    compulsory: GradeSet::parse(comp),
                    optional: GradeSet::parse(opt),
                    tested: GradeSet::parse(tested),
                    mid_term_tested: GradeSet::parse(mid),
                })
            })
            .collect()
    })
}

/// The programme entry of a known subject code.
pub fn subject(code: &SubjectCode) -> Option<&'static SubjectInfo> {
    subjects().iter().find(|s| &s.code == code)
}

/// Vietnamese names of the qualities, by code.
pub fn quality_name(code: &str) -> &'static str {
    match code {
        "YEU_NUOC" => "Yêu nước",
        "NHAN_AI" => "Nhân ái",
        "CHAM_CHI" => "Chăm chỉ",
        "TRUNG_THUC" => "Trung thực",
        "TRACH_NHIEM" => "Trách nhiệm",
        _ => "",
    }
}

/// Vietnamese names of the competencies, by code.
pub fn competency_name(code: &str) -> &'static str {
    match code {
        "TU_CHU_TU_HOC" => "Tự chủ và tự học",
        "GIAO_TIEP_HOP_TAC" => "Giao tiếp và hợp tác",
        "GQVD_SANG_TAO" => "Giải quyết vấn đề và sáng tạo",
        "NGON_NGU" => "Ngôn ngữ",
        "TINH_TOAN" => "Tính toán",
        "KHOA_HOC" => "Khoa học",
        "CONG_NGHE" => "Công nghệ",
        "TIN_HOC" => "Tin học",
        "THAM_MI" => "Thẩm mĩ",
        "THE_CHAT" => "Thể chất",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        assert_eq!(ethnicity("01"), Some("Kinh"));
        assert_eq!(ethnicity("55"), Some("Người nước ngoài"));
        assert_eq!(ethnicity("56"), None);
        assert!(is_country("VN") && is_country("US") && !is_country("XX") && !is_country("vn"));
        assert_eq!(subjects().len(), SubjectCode::CODES.len());
        for (s, c) in subjects().iter().zip(SubjectCode::CODES) {
            assert_eq!(s.code.as_str(), *c);
        }
        let nn1 = subject(&SubjectCode::ForeignLanguage).expect("NN1");
        assert!(!nn1.compulsory_in(2) && nn1.taught_in(2) && nn1.compulsory_in(3));
        assert!(!nn1.tested_in(2) && nn1.tested_in(3));
        let tv = subject(&SubjectCode::Vietnamese).expect("TV");
        assert!(tv.tested_at(&Period::MidTerm1, 4) && !tv.tested_at(&Period::MidTerm1, 3));
        assert!(!subject(&SubjectCode::EthnicLanguage)
            .expect("TDT")
            .compulsory_in(1));
    }
}
