//! `hocba`: the command-line tool of the digital primary-school record.
//!
//! Exit codes (`format.md`): 0 success / valid, 1 findings of severity error, 2 unreadable input
//! or a usage error. Errors go to stderr as one line, in Vietnamese unless `--lang en`.

mod class;

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
    /// Check records (XML or JSON, detected from the content) against format v1 and the rules
    /// of Circular 27; print the validation report.
    ///
    /// Exit code: 0 every record valid, 1 a finding of severity error, 2 a file cannot be read.
    Validate {
        /// Record files (XML or JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Files checked in parallel (default: the number of CPUs).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
    /// List every finding code with its severity, clause and message.
    Codes,
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
    /// Render one school year of a record as a PDF/A-3b document with the record (cut down to
    /// that year) embedded as hocba.xml and empty signature fields GVCN, HT (and DAU).
    ///
    /// Exit code: 0 written, 1 --require-valid and the record has errors (nothing written),
    /// 2 the record cannot be read or the document cannot be written.
    Render {
        /// The record (XML or JSON).
        file: PathBuf,
        /// The PDF to write.
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
        /// The school year (YYYY-YYYY); required when the record has several.
        #[arg(long, value_name = "YYYY-YYYY")]
        year: Option<String>,
        /// A signature field for the school seal (DAU): auto = for public schools.
        #[arg(long, value_enum, default_value_t = Seal::Auto)]
        seal: Seal,
        /// A TrueType/OpenType font to use instead of the bundled Liberation Serif.
        #[arg(long, value_name = "TTF")]
        font: Option<PathBuf>,
        /// Uncompressed, readable output (for inspection and golden files).
        #[arg(long)]
        debug: bool,
        /// Refuse (exit 1, no output) a record with findings of severity error.
        #[arg(long)]
        require_valid: bool,
    },
    /// Write the record embedded in a rendered (or signed) PDF (hocba.xml) to stdout.
    ///
    /// Exit code: 0 written, 2 the file is not a PDF or has no embedded record.
    Extract {
        /// The PDF.
        file: PathBuf,
    },
    /// Add one signature (GVCN first, then HT, then DAU) to a rendered document, as an
    /// incremental update. Software keys: PKCS#8 PEM with --cert, or PKCS#12 (.p12/.pfx) with
    /// --password-env.
    ///
    /// Exit code: 0 signed, 2 refused or cannot read (the message says why).
    Sign {
        /// The document (rendered, or already signed by the roles before this one).
        file: PathBuf,
        /// The role: gvcn (homeroom teacher), ht (principal), dau (school seal).
        #[arg(long, value_parser = ["gvcn", "ht", "dau"])]
        role: String,
        /// The private key: PKCS#8 PEM, or a PKCS#12 file (.p12/.pfx; told apart by content).
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// The signer's certificate (PEM); required with a PEM key, optional with a PKCS#12 file
        /// (whose certificate is used).
        #[arg(long, value_name = "CERT")]
        cert: Option<PathBuf>,
        /// Intermediate certificates to include (PEM, one file or a bundle).
        #[arg(long, value_name = "CERTS")]
        chain: Option<PathBuf>,
        /// Environment variable holding the PKCS#12 file's password (default: no password).
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        /// The signing time written in the document (RFC 3339); default: now.
        #[arg(long, value_name = "RFC3339")]
        time: Option<String>,
        /// The reason shown with the signature (default: which role confirms which year).
        #[arg(long)]
        reason: Option<String>,
        /// Sign even when the embedded record has findings of severity error.
        #[arg(long)]
        allow_invalid: bool,
        /// The signed document.
        #[arg(short, long, value_name = "OUT.pdf")]
        output: PathBuf,
    },
    /// Class summary tables: check them, build each pupil's record from them, write an empty
    /// one to fill in, convert between CSV and XLSX (docs/class.md).
    Class {
        #[command(subcommand)]
        command: class::ClassCommand,
    },
    /// Verify the signatures of signed records (or of any signed PDF) and print the
    /// verification report (signing.md). Nothing is fetched from the network.
    ///
    /// Exit code: 0 TOTAL_PASSED, 1 TOTAL_FAILED or INDETERMINATE, 2 a file cannot be read (or
    /// is not a PDF); with several files the highest.
    Verify {
        /// Signed PDF files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Trust anchors (PEM, DER or a PEM bundle); repeat for several files.
        #[arg(long, value_name = "F")]
        trust: Vec<PathBuf>,
        /// Extra intermediate certificates (PEM, DER or a bundle); repeat for several files.
        #[arg(long, value_name = "F")]
        intermediates: Vec<PathBuf>,
        /// CRLs (PEM, DER or a bundle); repeat for several files.
        #[arg(long, value_name = "F")]
        crl: Vec<PathBuf>,
        /// The time to judge certificates at: an RFC 3339 time, or `claimed` (each signature's
        /// claimed signing time, on your responsibility); default: now.
        #[arg(long, value_name = "TIME|claimed")]
        at: Option<String>,
        /// Revocation policy: require (default; no valid without a CRL check), prefer, off.
        #[arg(long, value_enum, default_value_t = RevocationArg::Require)]
        revocation: RevocationArg,
        /// Seal policy: auto (required for public schools), required, optional.
        #[arg(long, value_enum, default_value_t = SealArg::Auto)]
        seal: SealArg,
        /// Profile: auto, hocba (record checks), generic (signatures only).
        #[arg(long, value_enum, default_value_t = ProfileArg::Auto)]
        profile: ProfileArg,
        /// Files verified in parallel (default: the number of CPUs).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RevocationArg {
    Require,
    Prefer,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SealArg {
    Auto,
    Required,
    Optional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProfileArg {
    Auto,
    Hocba,
    Generic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Seal {
    Auto,
    Yes,
    No,
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
        Command::Validate { files, jobs } => validate(&cli, files, *jobs),
        Command::Codes => codes(&cli),
        Command::Schema { kind } => {
            let text = match kind {
                SchemaKind::Xsd => hocba_core::schema::XSD.to_owned(),
                SchemaKind::Json => hocba_core::schema::json_schema(),
            };
            emit(&cli, text.as_bytes())
        }
        Command::Convert { file, to, output } => convert(&cli, file, *to, output.as_ref()),
        Command::Render {
            file,
            output,
            year,
            seal,
            font,
            debug,
            require_valid,
        } => render(
            &cli,
            file,
            output,
            RenderArgs {
                year: year.clone(),
                seal: *seal,
                font: font.clone(),
                debug: *debug,
                require_valid: *require_valid,
            },
        ),
        Command::Extract { file } => extract(&cli, file),
        Command::Sign { .. } => sign(&cli),
        Command::Verify { .. } => verify(&cli),
        Command::Class { command } => class::run(&cli, command),
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

/// The outcome of validating one file, ready to print.
struct Checked {
    /// The report, pretty-printed (and indented as an array element when `nested`).
    json: String,
    text: String,
    stderr: Option<String>,
    code: u8,
}

fn check_file(cli: &Cli, file: &PathBuf, nested: bool) -> Checked {
    let mut c = check_record_file(cli, file);
    if cli.format == Format::Json {
        // Serialised here, on the worker thread, so that --jobs scales.
        let pretty = serde_json::to_string_pretty(&c.value).unwrap_or_default();
        c.json = if nested { indent(&pretty) } else { pretty };
    }
    c.text_or_json()
}

/// A checked file before serialisation.
struct CheckedValue {
    value: Value,
    text: String,
    stderr: Option<String>,
    code: u8,
    json: String,
}

impl CheckedValue {
    fn text_or_json(self) -> Checked {
        Checked {
            json: self.json,
            text: self.text,
            stderr: self.stderr,
            code: self.code,
        }
    }
}

fn check_record_file(cli: &Cli, file: &PathBuf) -> CheckedValue {
    let shown = file.display().to_string();
    let en = cli.lang == Lang::En;
    match load(file) {
        Err(u) => CheckedValue {
            value: json!({ "file": shown, "error": { "message": u.en, "messageVi": u.vi } }),
            text: String::new(),
            stderr: Some(if en { u.en } else { u.vi }),
            code: 2,
            json: String::new(),
        },
        Ok(record) => {
            let report = hocba_core::rules::validate(&record);
            let mut json = serde_json::Map::new();
            json.insert("file".into(), Value::from(shown.clone()));
            if let Value::Object(body) = report.to_json_value() {
                json.extend(body);
            }
            CheckedValue {
                text: if cli.format == Format::Text {
                    text_report(&shown, &report, en)
                } else {
                    String::new()
                },
                code: u8::from(!report.valid),
                value: Value::Object(json),
                stderr: None,
                json: String::new(),
            }
        }
    }
}

fn text_report(file: &str, report: &hocba_core::rules::Report, en: bool) -> String {
    use hocba_core::rules::Severity;
    use std::fmt::Write as _;
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let mut s = String::new();
    let verdict = match (report.valid, en) {
        (true, true) => "valid".to_owned(),
        (true, false) => "hợp lệ".to_owned(),
        (false, true) => "NOT valid".to_owned(),
        (false, false) => "KHÔNG hợp lệ".to_owned(),
    };
    let counts = if en {
        format!("{errors} error(s), {warnings} warning(s)")
    } else {
        format!("{errors} lỗi, {warnings} cảnh báo")
    };
    let _ = writeln!(s, "{file}: {verdict} ({counts})");
    for y in &report.years {
        let result = y.derived_result.as_ref().map_or("-", |r| r.as_str());
        let sy = y.school_year.as_deref().unwrap_or("?");
        let grade = y.grade.map_or_else(|| "?".to_owned(), |g| g.to_string());
        let line = if en {
            format!("  school year {sy}, grade {grade}: derived result {result}")
        } else {
            format!("  năm học {sy}, khối {grade}: kết quả theo quy định {result}")
        };
        let _ = writeln!(s, "{line}");
    }
    for f in &report.findings {
        let sev = match (f.severity, en) {
            (Severity::Error, true) => "error  ",
            (Severity::Warning, true) => "warning",
            (Severity::Error, false) => "lỗi     ",
            (Severity::Warning, false) => "cảnh báo",
        };
        let msg = if en { &f.message } else { &f.message_vi };
        let _ = writeln!(s, "  {sev}  {}  [{}] {msg} ({})", f.path, f.code, f.clause);
    }
    s
}

/// Indents every line of a pretty-printed JSON value by two spaces (an element of an array).
fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn validate(cli: &Cli, files: &[PathBuf], jobs: Option<usize>) -> u8 {
    batch(cli, files, jobs, 1024, |f, nested| {
        check_file(cli, f, nested)
    })
}

/// Runs `work` on every file with `jobs` threads (default: the number of CPUs), a chunk at a
/// time, and prints the results in argument order (JSON: an object for one file, an array for
/// several) so memory stays flat however many files there are; returns the highest exit code.
fn batch(
    cli: &Cli,
    files: &[PathBuf],
    jobs: Option<usize>,
    chunk: usize,
    work: impl Fn(&PathBuf, bool) -> Checked + Sync,
) -> u8 {
    use rayon::prelude::*;
    let jobs = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(p) => p,
        Err(e) => {
            fail(
                cli,
                &format!("cannot start {jobs} threads: {e}"),
                &format!("không khởi tạo được {jobs} luồng: {e}"),
            );
            return 2;
        }
    };
    let single = files.len() == 1;
    let mut worst = 0u8;
    let mut first = true;
    if cli.format == Format::Json && !single && emit(cli, b"[\n") != 0 {
        return 2;
    }
    for chunk in files.chunks(chunk) {
        let results: Vec<Checked> =
            pool.install(|| chunk.par_iter().map(|f| work(f, !single)).collect());
        let mut out = String::new();
        for r in results {
            worst = worst.max(r.code);
            if let Some(line) = &r.stderr {
                eprintln!("hocba: {line}");
            }
            match cli.format {
                Format::Text => out.push_str(&r.text),
                Format::Json => {
                    if !single && !first {
                        out.push_str(",\n");
                    }
                    out.push_str(&r.json);
                    if single {
                        out.push('\n');
                    }
                }
            }
            first = false;
        }
        if emit(cli, out.as_bytes()) != 0 {
            return 2;
        }
    }
    if cli.format == Format::Json && !single && emit(cli, b"\n]\n") != 0 {
        return 2;
    }
    worst
}

fn codes(cli: &Cli) -> u8 {
    let mut list = hocba_core::rules::codes::to_json();
    if let (Value::Array(a), Value::Array(b)) =
        (&mut list, hocba_core::pdf::verify::messages::to_json())
    {
        a.extend(b);
    }
    let out = match cli.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = String::new();
            for c in hocba_core::rules::codes::ALL
                .iter()
                .chain(hocba_core::rules::codes::TABLE)
            {
                let (sev, msg) = match (cli.lang, c.severity) {
                    (Lang::En, sev) => (sev.as_str(), c.en),
                    (Lang::Vi, hocba_core::rules::Severity::Error) => ("lỗi", c.vi),
                    (Lang::Vi, hocba_core::rules::Severity::Warning) => ("cảnh báo", c.vi),
                };
                s.push_str(&format!(
                    "{:<34} {:<8} {:<45} {}\n",
                    c.code, sev, c.clause, msg
                ));
            }
            for c in hocba_core::pdf::verify::messages::ALL {
                use hocba_core::pdf::verify::messages::MessageSeverity as S;
                let (sev, msg) = match (cli.lang, c.severity) {
                    (Lang::En, sev) => (sev.as_str(), c.en),
                    (Lang::Vi, S::Error) => ("lỗi", c.vi),
                    (Lang::Vi, S::Warning) => ("cảnh báo", c.vi),
                    (Lang::Vi, S::Note) => ("ghi chú", c.vi),
                };
                s.push_str(&format!(
                    "{:<34} {:<8} {:<45} {}\n",
                    c.code, sev, c.clause, msg
                ));
            }
            s
        }
    };
    emit(cli, out.as_bytes())
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

/// The options of `render` besides the files.
struct RenderArgs {
    year: Option<String>,
    seal: Seal,
    font: Option<PathBuf>,
    debug: bool,
    require_valid: bool,
}

fn cannot_open(cli: &Cli, path: &std::path::Path, e: &std::io::Error) {
    fail(
        cli,
        &format!(
            "{}: cannot open the file ({e}); check the path",
            path.display()
        ),
        &format!(
            "{}: không mở được tệp ({e}); hãy kiểm tra đường dẫn",
            path.display()
        ),
    );
}

fn render(cli: &Cli, file: &PathBuf, output: &PathBuf, args: RenderArgs) -> u8 {
    use hocba_core::pdf::{RenderError, RenderSettings, SealMode};
    let record = match load(file) {
        Ok(r) => r,
        Err(u) => {
            fail(cli, &u.en, &u.vi);
            return 2;
        }
    };
    let font = match &args.font {
        None => None,
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                cannot_open(cli, path, &e);
                return 2;
            }
        },
    };
    let settings = RenderSettings {
        year: args.year,
        seal: match args.seal {
            Seal::Auto => SealMode::Auto,
            Seal::Yes => SealMode::Yes,
            Seal::No => SealMode::No,
        },
        font,
        debug: args.debug,
        require_valid: args.require_valid,
        ..RenderSettings::default()
    };
    let pdf = match hocba_core::pdf::render(&record, &settings) {
        Ok(pdf) => pdf,
        Err(e) => {
            fail(
                cli,
                &format!("{}: {}", file.display(), e.message()),
                &format!("{}: {}", file.display(), e.message_vi()),
            );
            return if matches!(e, RenderError::Invalid { .. }) {
                1
            } else {
                2
            };
        }
    };
    match std::fs::write(output, &pdf) {
        Ok(()) => 0,
        Err(e) => {
            fail(
                cli,
                &format!("{}: cannot write the file ({e})", output.display()),
                &format!("{}: không ghi được tệp ({e})", output.display()),
            );
            2
        }
    }
}

fn extract(cli: &Cli, file: &PathBuf) -> u8 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            cannot_open(cli, file, &e);
            return 2;
        }
    };
    match hocba_core::pdf::extract_xml(&bytes) {
        Ok(xml) => emit(cli, &xml),
        Err(e) => {
            fail(
                cli,
                &format!("{}: {}", file.display(), e.message()),
                &format!("{}: {}", file.display(), e.message_vi()),
            );
            2
        }
    }
}

/// Now as an RFC 3339 instant in UTC (the CLI may read the clock; the library never does).
fn now() -> Option<hocba_core::model::Instant> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let days = i64::try_from(secs / 86_400).ok()?;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let rest = secs % 86_400;
    let text = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    hocba_core::model::Timestamp::from(text.as_str()).to_instant()
}

fn sign(cli: &Cli) -> u8 {
    use hocba_core::pdf::sign::{Role, SignRequest, SigningKey};
    let Command::Sign {
        file,
        role,
        key,
        cert,
        chain,
        password_env,
        time,
        reason,
        allow_invalid,
        output,
    } = &cli.command
    else {
        return 2;
    };
    let read = |p: &PathBuf| -> Option<Vec<u8>> {
        match std::fs::read(p) {
            Ok(b) => Some(b),
            Err(e) => {
                cannot_open(cli, p, &e);
                None
            }
        }
    };
    let (Some(pdf), Some(key_bytes)) = (read(file), read(key)) else {
        return 2;
    };
    let mut certs = Vec::new();
    for path in cert.iter().chain(chain.iter()) {
        let Some(more) = read(path) else { return 2 };
        certs.extend_from_slice(&more);
        certs.push(b'\n');
    }
    // The key's format by content: PEM text starts with `-----BEGIN`, PKCS#12 is DER.
    let is_pem = key_bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .is_some_and(|i| key_bytes[i..].starts_with(b"-----BEGIN"));
    if is_pem && cert.is_none() {
        fail(
            cli,
            "--cert is required with a PEM key: give the signer's certificate (or sign with a PKCS#12 file)",
            "cần --cert khi dùng khóa PEM: hãy đưa chứng thư số của người ký (hoặc ký bằng tệp PKCS#12)",
        );
        return 2;
    }
    let password = match password_env {
        None => String::new(),
        Some(var) => match std::env::var(var) {
            Ok(p) => p,
            Err(_) => {
                fail(
                    cli,
                    &format!("--password-env: the environment variable {var} is not set (or not UTF-8); set it to the key file's password"),
                    &format!("--password-env: biến môi trường {var} chưa được đặt (hoặc không phải UTF-8); hãy đặt nó bằng mật khẩu của tệp khóa"),
                );
                return 2;
            }
        },
    };
    let time = match time {
        Some(t) => hocba_core::model::Timestamp::from(t.as_str()).to_instant(),
        None => now(),
    };
    let Some(time) = time else {
        fail(
            cli,
            "--time must be an RFC 3339 time with an offset, e.g. 2025-05-28T08:00:00+07:00",
            "--time phải là thời điểm RFC 3339 có múi giờ, ví dụ 2025-05-28T08:00:00+07:00",
        );
        return 2;
    };
    let refuse = |en: String, vi: String| {
        fail(cli, &en, &vi);
        2
    };
    let role: Role = match role.parse() {
        Ok(r) => r,
        Err(e) => return refuse(e.message(), e.message_vi()),
    };
    let loaded = if is_pem {
        SigningKey::from_pkcs8_pem(&String::from_utf8_lossy(&key_bytes), &certs)
    } else {
        SigningKey::from_pkcs12_with_certificates(&key_bytes, &password, &certs)
    };
    let key = match loaded {
        Ok(k) => k,
        Err(e) => {
            return refuse(
                format!("{}: {}", key.display(), e.message()),
                format!("{}: {}", key.display(), e.message_vi()),
            )
        }
    };
    let mut request = SignRequest::new(role, time);
    request.reason = reason.clone();
    request.allow_invalid = *allow_invalid;
    match hocba_core::pdf::sign::sign(&pdf, &request, &key) {
        Ok(signed) => match std::fs::write(output, &signed) {
            Ok(()) => {
                let who = key.common_name().unwrap_or_else(|| key.subject());
                let line = if cli.lang == Lang::En {
                    format!(
                        "{}: signed as {} by {who}\n",
                        output.display(),
                        role.field_name()
                    )
                } else {
                    format!(
                        "{}: đã ký với vai trò {} bởi {who}\n",
                        output.display(),
                        role.field_name()
                    )
                };
                emit(cli, line.as_bytes())
            }
            Err(e) => refuse(
                format!("{}: cannot write the file ({e})", output.display()),
                format!("{}: không ghi được tệp ({e})", output.display()),
            ),
        },
        Err(e) => refuse(
            format!("{}: {}", file.display(), e.message()),
            format!("{}: {}", file.display(), e.message_vi()),
        ),
    }
}

/// Reads every file of a repeatable option with `load` (PEM, DER or bundle).
fn load_all<T>(
    cli: &Cli,
    what: (&str, &str),
    files: &[PathBuf],
    load: impl Fn(&[u8]) -> Result<Vec<T>, hocba_core::pki::PkiError>,
) -> Option<Vec<T>> {
    let mut out = Vec::new();
    for f in files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                cannot_open(cli, f, &e);
                return None;
            }
        };
        match load(&bytes) {
            Ok(items) => out.extend(items),
            Err(e) => {
                fail(
                    cli,
                    &format!("{} ({}): {}", f.display(), what.0, e.message()),
                    &format!("{} ({}): {}", f.display(), what.1, e.message_vi()),
                );
                return None;
            }
        }
    }
    Some(out)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn verify_file(
    cli: &Cli,
    file: &std::path::Path,
    options: &hocba_core::pdf::verify::VerifyOptions,
    nested: bool,
) -> Checked {
    let en = cli.lang == Lang::En;
    let name = file.display().to_string();
    let error = |en_msg: String, vi_msg: String| {
        let value = json!({ "file": name, "error": { "message": en_msg, "messageVi": vi_msg } });
        let json = pretty(&value, nested);
        let line = if en { en_msg } else { vi_msg };
        Checked {
            json,
            text: format!("{name}: {line}\n"),
            stderr: Some(format!("{name}: {line}")),
            code: 2,
        }
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            return error(
                format!("cannot open the file ({e}); check the path"),
                format!("không mở được tệp ({e}); hãy kiểm tra đường dẫn"),
            )
        }
    };
    match hocba_core::pdf::verify::verify(&bytes, options) {
        Err(e) => error(e.message(), e.message_vi()),
        Ok(mut report) => {
            report.file = Some(name);
            let code = u8::from(!report.passed());
            let json = match serde_json::to_value(&report) {
                Ok(v) => pretty(&v, nested),
                Err(_) => String::new(),
            };
            Checked {
                json,
                text: hocba_core::pdf::verify::to_text(&report, en),
                stderr: None,
                code,
            }
        }
    }
}

fn pretty(value: &Value, nested: bool) -> String {
    let s = serde_json::to_string_pretty(value).unwrap_or_default();
    if nested {
        indent(&s)
    } else {
        s
    }
}

fn verify(cli: &Cli) -> u8 {
    use hocba_core::pdf::verify::{
        parse_rfc3339, At, ProfilePolicy, RevocationPolicy, SealPolicy, VerifyOptions,
    };
    let Command::Verify {
        files,
        trust,
        intermediates,
        crl,
        at,
        revocation,
        seal,
        profile,
        jobs,
    } = &cli.command
    else {
        return 2;
    };
    let mut options = VerifyOptions::new(unix_now());
    let certs = |f: &[u8]| hocba_core::pki::load_certificates(f);
    let Some(anchors) = load_all(cli, ("trust anchors", "chứng thư gốc"), trust, certs) else {
        return 2;
    };
    let Some(extra) = load_all(
        cli,
        ("intermediates", "chứng thư trung gian"),
        intermediates,
        certs,
    ) else {
        return 2;
    };
    let Some(crls) = load_all(cli, ("CRL", "CRL"), crl, |f: &[u8]| {
        hocba_core::pki::load_crls(f)
    }) else {
        return 2;
    };
    options.trust = anchors;
    options.intermediates = extra;
    options.crls = crls;
    options.at = match at.as_deref() {
        None | Some("now") => At::Now,
        Some("claimed") => At::Claimed,
        Some(t) => match parse_rfc3339(t) {
            Some(v) => At::Time(v),
            None => {
                fail(
                    cli,
                    &format!("--at {t}: not an RFC 3339 time (e.g. 2026-11-28T00:00:00Z) nor `claimed`"),
                    &format!("--at {t}: không phải thời điểm RFC 3339 (ví dụ 2026-11-28T00:00:00Z) hay `claimed`"),
                );
                return 2;
            }
        },
    };
    options.revocation = match revocation {
        RevocationArg::Require => RevocationPolicy::Require,
        RevocationArg::Prefer => RevocationPolicy::Prefer,
        RevocationArg::Off => RevocationPolicy::Off,
    };
    options.seal = match seal {
        SealArg::Auto => SealPolicy::Auto,
        SealArg::Required => SealPolicy::Required,
        SealArg::Optional => SealPolicy::Optional,
    };
    options.profile = match profile {
        ProfileArg::Auto => ProfilePolicy::Auto,
        ProfileArg::Hocba => ProfilePolicy::Hocba,
        ProfileArg::Generic => ProfilePolicy::Generic,
    };
    // One signature cache for the whole batch: the CA certificates and CRLs shared by the files
    // are verified once.
    options.shared_cache = Some(std::sync::Arc::new(hocba_core::pki::SignatureCache::new()));
    if options.trust.is_empty() {
        fail(
            cli,
            "no trust anchor given (--trust): every signature will be INDETERMINATE",
            "chưa cung cấp chứng thư gốc tin cậy (--trust): mọi chữ ký sẽ ở trạng thái CHƯA XÁC ĐỊNH",
        );
    }
    batch(cli, files, *jobs, 256, |f, nested| {
        verify_file(cli, f, &options, nested)
    })
}
