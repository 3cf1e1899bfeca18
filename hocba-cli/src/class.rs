//! `hocba class`: class summary tables (check, build, template, convert).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use hocba_core::class::build::build_records;
use hocba_core::class::check::check_table;
use hocba_core::class::files::{self, ClassError};
use hocba_core::class::sheet::{self, TableOptions};
use hocba_core::class::ClassTable;
use hocba_core::model::Period;
use hocba_core::rules::{Finding, Report, Severity};
use serde_json::{json, Value};

use super::{emit, fail, text_report, Cli, Format, Lang};

#[derive(Debug, Subcommand)]
pub(crate) enum ClassCommand {
    /// Check class summary tables (CSV or XLSX, layout of docs/class.md) against the rules of
    /// their period; findings name the pupil and the cell (lop.<maHocSinh>.<ky>.…).
    ///
    /// Exit code: 0 no error, 1 a finding of severity error, 2 a table cannot be read.
    Check {
        /// Tables (CSV or XLSX).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The period (GHK1, CHK1, GHK2, CN); default: from the title row, the sheet name or
        /// the file name.
        #[arg(long, value_name = "KY")]
        period: Option<String>,
        /// The grade (1–5); default: from the title row or the class name.
        #[arg(long, value_name = "N")]
        grade: Option<u8>,
        /// The XLSX sheet to read (default: the first).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
    },
    /// Build each pupil's record (DIR/<maHocSinh>.xml, canonical) from the four period tables,
    /// the pupil list and the class information, then validate every record.
    ///
    /// Exit code: 0 every record valid and no table error, 1 errors, 2 an input cannot be read.
    Build {
        /// The pupil list (CSV or XLSX): HocSinh wire names as column headers (docs/class.md).
        #[arg(long, value_name = "FILE")]
        pupils: PathBuf,
        /// The class information: JSON, or a two-column CSV/XLSX (key, value); default: the
        /// `Lop` sheet of the pupil list's workbook.
        #[arg(long = "class", value_name = "FILE")]
        class_info: Option<PathBuf>,
        /// The period tables (CSV or XLSX), each `FILE` or `KY=FILE`; the period of a plain
        /// FILE comes from its title row, sheet name or file name.
        #[arg(long, value_name = "[KY=]FILE", num_args = 1.., required = true)]
        tables: Vec<String>,
        /// The directory to write the records to (created if needed).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Write an empty, formatted class summary table to fill in (XLSX).
    Template {
        /// The grade (1–5).
        #[arg(long, value_name = "N")]
        grade: u8,
        /// The period (GHK1, CHK1, GHK2, CN).
        #[arg(long, value_name = "KY")]
        period: String,
        /// The class name printed in the title (4A).
        #[arg(long = "class", value_name = "NAME")]
        class_name: Option<String>,
        /// The workbook to write.
        #[arg(short, long, value_name = "FILE.xlsx")]
        output: PathBuf,
    },
    /// Convert a class summary table between CSV and XLSX (by the output's extension).
    Convert {
        /// The table (CSV or XLSX).
        file: PathBuf,
        /// The period, when the table does not say.
        #[arg(long, value_name = "KY")]
        period: Option<String>,
        /// The grade, when the table does not say.
        #[arg(long, value_name = "N")]
        grade: Option<u8>,
        /// The file to write: .csv or .xlsx.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// A message in both languages.
struct Msg {
    en: String,
    vi: String,
}

impl Msg {
    fn show(&self, cli: &Cli) {
        fail(cli, &self.en, &self.vi);
    }
}

fn cannot_read(path: &Path, e: &std::io::Error) -> Msg {
    Msg {
        en: format!(
            "{}: cannot open the file ({e}); check the path",
            path.display()
        ),
        vi: format!(
            "{}: không mở được tệp ({e}); hãy kiểm tra đường dẫn",
            path.display()
        ),
    }
}

fn class_error(path: &Path, e: &ClassError) -> Msg {
    Msg {
        en: format!("{}: {}", path.display(), e.message()),
        vi: format!("{}: {}", path.display(), e.message_vi()),
    }
}

fn parse_period(text: &str) -> Result<Period, Msg> {
    files::parse_period(text).map_err(|e| Msg {
        en: e.message(),
        vi: e.message_vi(),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, Msg> {
    std::fs::read(path).map_err(|e| cannot_read(path, &e))
}

/// Reads one table; its period from the option, else the title, else the sheet's or the file's
/// name.
fn read_table(
    path: &Path,
    period: Option<Period>,
    grade: Option<u8>,
    sheet_name: Option<&str>,
) -> Result<ClassTable, Msg> {
    let bytes = read(path)?;
    let options = TableOptions {
        period,
        grade,
        class_name: None,
    };
    let name = path.to_string_lossy();
    files::read_table_file(&bytes, &name, &options, sheet_name).map_err(|e| match e {
        // The file's name is already in these messages.
        ClassError::NoPeriod { .. } | ClassError::NoSheet { .. } => Msg {
            en: e.message(),
            vi: e.message_vi(),
        },
        e => class_error(path, &e),
    })
}

pub(crate) fn run(cli: &Cli, command: &ClassCommand) -> u8 {
    let result = match command {
        ClassCommand::Check {
            files,
            period,
            grade,
            sheet,
        } => check(cli, files, period.as_deref(), *grade, sheet.as_deref()),
        ClassCommand::Build {
            pupils,
            class_info,
            tables,
            output,
        } => build(cli, pupils, class_info.as_deref(), tables, output),
        ClassCommand::Template {
            grade,
            period,
            class_name,
            output,
        } => template(*grade, period, class_name.as_deref(), output),
        ClassCommand::Convert {
            file,
            period,
            grade,
            output,
        } => convert(file, period.as_deref(), *grade, output),
    };
    match result {
        Ok(code) => code,
        Err(m) => {
            m.show(cli);
            2
        }
    }
}

fn check(
    cli: &Cli,
    files: &[PathBuf],
    period: Option<&str>,
    grade: Option<u8>,
    sheet_name: Option<&str>,
) -> Result<u8, Msg> {
    let period = period.map(parse_period).transpose()?;
    let en = cli.lang == Lang::En;
    let mut worst = 0u8;
    let mut values = Vec::new();
    let mut text = String::new();
    for file in files {
        let shown = file.display().to_string();
        match read_table(file, period.clone(), grade, sheet_name) {
            Err(m) => {
                m.show(cli);
                worst = 2;
                values.push(
                    json!({ "file": shown, "error": { "message": m.en, "messageVi": m.vi } }),
                );
            }
            Ok(table) => {
                let report = check_table(&table);
                worst = worst.max(u8::from(!report.valid));
                text.push_str(&text_report(&shown, &report, en));
                values.push(with_file(&shown, &report));
            }
        }
    }
    let out = match cli.format {
        Format::Text => text,
        Format::Json => {
            let v = if values.len() == 1 {
                values.remove(0)
            } else {
                Value::Array(values)
            };
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    };
    Ok(worst.max(emit(cli, out.as_bytes())))
}

fn with_file(file: &str, report: &Report) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("file".into(), file.into());
    if let Value::Object(body) = report.to_json_value() {
        map.extend(body);
    }
    Value::Object(map)
}

fn build(
    cli: &Cli,
    pupils_path: &Path,
    class_path: Option<&Path>,
    tables: &[String],
    output: &Path,
) -> Result<u8, Msg> {
    let en = cli.lang == Lang::En;
    let (pupils, beside) = files::read_pupils(&read(pupils_path)?, &pupils_path.to_string_lossy())
        .map_err(|e| class_error(pupils_path, &e))?;
    let info = match (class_path, beside) {
        (Some(path), _) => files::read_class_info(&read(path)?, &path.to_string_lossy())
            .map_err(|e| class_error(path, &e))?,
        (None, Some(info)) => info,
        (None, None) => {
            return Err(Msg {
                en: format!(
                    "{}: no `Lop` sheet with the class information; add one or give --class FILE",
                    pupils_path.display()
                ),
                vi: format!(
                "{}: không có trang tính `Lop` chứa thông tin lớp; hãy thêm hoặc dùng --class TỆP",
                pupils_path.display()
            ),
            })
        }
    };
    let mut read = Vec::new();
    for spec in tables {
        let (period, file) = match spec.split_once('=') {
            Some((k, f)) if Period::parse(k.trim().to_uppercase().as_str()).is_known() => {
                (Some(parse_period(k)?), PathBuf::from(f))
            }
            _ => (None, PathBuf::from(spec)),
        };
        read.push(read_table(&file, period, info.grade(), None)?);
    }
    let base = pupils_path
        .parent()
        .map_or_else(PathBuf::new, Path::to_path_buf);
    let built = build_records(&pupils, &info, &read, &mut |p: &str| {
        std::fs::read(base.join(p)).map_err(|e| e.to_string())
    })
    .map_err(|e| class_error(pupils_path, &ClassError::Build(e)))?;

    std::fs::create_dir_all(output).map_err(|e| cannot_read(output, &e))?;
    let mut worst = u8::from(built.findings.iter().any(|f| f.severity == Severity::Error));
    let table_report = Report {
        valid: worst == 0,
        years: Vec::new(),
        findings: built.findings.clone(),
    };
    let mut text = String::new();
    if !built.findings.is_empty() {
        text.push_str(&text_report(
            &pupils_path.display().to_string(),
            &table_report,
            en,
        ));
    }
    let mut records = Vec::new();
    for (code, record) in &built.records {
        let path = output.join(format!("{}.xml", safe_file_name(code)));
        std::fs::write(&path, hocba_core::xml::to_string(record)).map_err(|e| Msg {
            en: format!("{}: cannot write the record ({e})", path.display()),
            vi: format!("{}: không ghi được học bạ ({e})", path.display()),
        })?;
        let report = hocba_core::rules::validate(record);
        worst = worst.max(u8::from(!report.valid));
        let shown = path.display().to_string();
        text.push_str(&text_report(&shown, &report, en));
        let mut v = with_file(&shown, &report);
        if let Value::Object(m) = &mut v {
            m.insert("maHocSinh".into(), code.as_str().into());
        }
        records.push(v);
    }
    let out = match cli.format {
        Format::Text => text,
        Format::Json => {
            let v = json!({
                "valid": worst == 0,
                "findings": findings_json(&built.findings),
                "records": records,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    };
    Ok(worst.max(emit(cli, out.as_bytes())))
}

fn findings_json(findings: &[Finding]) -> Value {
    serde_json::to_value(findings).unwrap_or(Value::Null)
}

/// A pupil code as a file name: characters other than letters, digits, `-` and `_` replaced.
fn safe_file_name(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn write(path: &Path, bytes: &[u8]) -> Result<u8, Msg> {
    std::fs::write(path, bytes).map_err(|e| Msg {
        en: format!("{}: cannot write the file ({e})", path.display()),
        vi: format!("{}: không ghi được tệp ({e})", path.display()),
    })?;
    Ok(0)
}

fn template(grade: u8, period: &str, class_name: Option<&str>, output: &Path) -> Result<u8, Msg> {
    let period = parse_period(period)?;
    let bytes = sheet::template_xlsx(grade, period, class_name)
        .map_err(|e| class_error(output, &e.into()))?;
    write(output, &bytes)
}

fn convert(file: &Path, period: Option<&str>, grade: Option<u8>, output: &Path) -> Result<u8, Msg> {
    let period = period.map(parse_period).transpose()?;
    let table = read_table(file, period, grade, None)?;
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let bytes = match ext.as_str() {
        "xlsx" => sheet::write_table_xlsx(&table).map_err(|e| class_error(output, &e.into()))?,
        "csv" => sheet::write_table_csv(&table),
        _ => {
            return Err(Msg {
                en: format!("{}: write .csv or .xlsx", output.display()),
                vi: format!("{}: hãy ghi tệp .csv hoặc .xlsx", output.display()),
            })
        }
    };
    write(output, &bytes)
}
