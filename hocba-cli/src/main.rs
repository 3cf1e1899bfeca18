//! `hocba`: the command-line tool of the digital primary-school record.
//!
//! Exit codes (`format.md`): 0 success / valid, 1 findings of severity error, 2 unreadable input
//! or a usage error. Errors go to stderr as one line, in Vietnamese unless `--lang en`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use hocba_core::Record;
use serde_json::{json, Value};

/// Học bạ số cấp Tiểu học — read, check and convert digital primary-school records.
#[derive(Debug, Parser)]
#[command(name = "hocba", version, about, max_term_width = 100)]
struct Cli {
    /// Language of messages: vi (Vietnamese, default) or en (English).
    #[arg(long, global = true, value_enum, default_value_t = Lang::Vi)]
    lang: Lang,
    /// Output format: text for people, json for programs.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Lang {
    Vi,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read records (XML or JSON, detected from the content) and report what is wrong.
    ///
    /// This version checks that each file is a readable record of format v1; the rules of
    /// Circular 27 are checked by the rule engine (coming next).
    Validate {
        /// Record files (XML or JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a schema of record format v1.
    Schema {
        /// Which schema: xsd (XML Schema) or json (JSON Schema).
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Convert a record between XML and JSON (canonical output on stdout, or -o FILE).
    Convert {
        /// The record (XML or JSON).
        file: PathBuf,
        /// Output form.
        #[arg(long, value_enum)]
        to: Target,
        /// Write to this file instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaKind {
    Xsd,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Target {
    Xml,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Validate { files } => validate(&cli, files),
        Command::Schema { kind } => {
            let text = match kind {
                SchemaKind::Xsd => hocba_core::schema::XSD.to_owned(),
                SchemaKind::Json => hocba_core::schema::json_schema(),
            };
            emit(&cli, text.as_bytes())
        }
        Command::Convert { file, to, output } => convert(&cli, file, *to, output.as_ref()),
    };
    ExitCode::from(code)
}

/// Writes to stdout; a closed pipe is not an error worth a message.
fn emit(cli: &Cli, bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            fail(
                cli,
                &format!("cannot write the output: {e}"),
                &format!("không ghi được kết quả: {e}"),
            );
            2
        }
    }
}

fn fail(cli: &Cli, en: &str, vi: &str) {
    let msg = if cli.lang == Lang::En { en } else { vi };
    eprintln!("hocba: {msg}");
}

/// A file that could not be read as a record: messages in both languages.
struct Unreadable {
    en: String,
    vi: String,
}

fn load(file: &PathBuf) -> Result<Record, Unreadable> {
    let bytes = std::fs::read(file).map_err(|e| Unreadable {
        en: format!(
            "{}: cannot open the file ({e}); check the path",
            file.display()
        ),
        vi: format!(
            "{}: không mở được tệp ({e}); hãy kiểm tra đường dẫn",
            file.display()
        ),
    })?;
    hocba_core::read_record(&bytes).map_err(|e| Unreadable {
        en: format!("{}: {}", file.display(), e.message()),
        vi: format!("{}: {}", file.display(), e.message_vi()),
    })
}

fn validate(cli: &Cli, files: &[PathBuf]) -> u8 {
    let mut worst = 0u8;
    let mut reports = Vec::with_capacity(files.len());
    let mut text = String::new();
    for file in files {
        let shown = file.display().to_string();
        match load(file) {
            Ok(record) => {
                let years: Vec<Value> = record
                    .years
                    .iter()
                    .map(|y| {
                        json!({
                            "schoolYear": y.school_year.as_ref().map(|s| s.as_str()),
                            "grade": y.grade.as_ref().and_then(|g| g.as_integer()),
                            "derivedResult": Value::Null,
                        })
                    })
                    .collect();
                reports
                    .push(json!({ "file": shown, "valid": true, "years": years, "findings": [] }));
                let line = if cli.lang == Lang::En {
                    format!("{shown}: readable record of format v1 (Circular 27 rules not checked in this version)\n")
                } else {
                    format!("{shown}: học bạ đọc được, đúng định dạng phiên bản 1 (phiên bản này chưa kiểm tra các quy định của Thông tư 27)\n")
                };
                text.push_str(&line);
            }
            Err(u) => {
                worst = worst.max(2);
                fail(cli, &u.en, &u.vi);
                reports.push(
                    json!({ "file": shown, "error": { "message": u.en, "messageVi": u.vi } }),
                );
            }
        }
    }
    let out = match cli.format {
        Format::Json => {
            let v = if reports.len() == 1 {
                reports.swap_remove(0)
            } else {
                Value::Array(reports)
            };
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => text,
    };
    worst.max(emit(cli, out.as_bytes()))
}

fn convert(cli: &Cli, file: &PathBuf, to: Target, output: Option<&PathBuf>) -> u8 {
    let record = match load(file) {
        Ok(r) => r,
        Err(u) => {
            fail(cli, &u.en, &u.vi);
            return 2;
        }
    };
    let bytes = match to {
        Target::Xml => hocba_core::xml::to_vec(&record),
        Target::Json => hocba_core::json::to_vec(&record),
    };
    match output {
        None => emit(cli, &bytes),
        Some(path) => match std::fs::write(path, &bytes) {
            Ok(()) => 0,
            Err(e) => {
                fail(
                    cli,
                    &format!("{}: cannot write the file ({e})", path.display()),
                    &format!("{}: không ghi được tệp ({e})", path.display()),
                );
                2
            }
        },
    }
}
