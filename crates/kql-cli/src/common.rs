//! What every checking command shares: input paths, output options, failing level, and the
//! final printing and exit status.

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use kql_diagnostics::{Diagnostic, Severity};

use crate::{render, CliError};

/// `--now`, for the commands that run the time rules (`lint`, `request`).
#[derive(clap::Args)]
pub struct NowArgs {
    /// "Now" for time rules, RFC 3339 (`2026-11-27T00:00:00Z`, `...+02:00`); default: the clock.
    #[arg(long)]
    pub now: Option<String>,
}

impl NowArgs {
    /// Lint settings at this "now", before any `kql.toml` or `--timespan`.
    pub fn settings(&self) -> Result<kql_lint::Settings, CliError> {
        let now = match &self.now {
            Some(s) => crate::settings::parse_now(s)?,
            None => crate::settings::clock_now(),
        };
        kql_lint::Settings::at_unix_ticks(now)
            .ok_or_else(|| CliError::Usage("`--now` is outside the years 1 to 9999".into()))
    }
}

/// `--select`/`--extend-select`/`--ignore`: one struct for `lint` and `check`, so the two
/// commands cannot disagree on the flags' names, syntax or help.
#[derive(clap::Args, Clone, Default)]
pub struct SelectionArgs {
    /// Rules or codes to enable (names, codes, code prefixes, categories), replacing the configured set.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Rules or codes to enable in addition to the configured set.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules or codes to disable.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
}

impl SelectionArgs {
    /// Every selector given, in flag order.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.select
            .iter()
            .chain(&self.extend_select)
            .chain(&self.ignore)
    }

    /// `settings` with these flags applied on top (after any `kql.toml`), as `kql lint` does.
    pub fn apply(&self, settings: &mut kql_lint::Settings) {
        let select = (!self.select.is_empty()).then_some(self.select.as_slice());
        settings.apply_selection(select, &self.ignore, &Default::default());
        settings.extend_selection(&self.extend_select);
    }
}

/// Inputs and output options of `parse`, `check` and `lint`.
#[derive(clap::Args, Clone)]
pub struct CommonArgs {
    /// Files or directories (recursing over *.kql, *.csl, *.kusto, and *.yaml, *.yml, *.md,
    /// *.json with embedded queries); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Split each file into queries at blank lines, as Kusto's editors do.
    #[arg(long)]
    pub blocks: bool,
    /// Output format (`--format` is an alias).
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = Format::Full)]
    pub output_format: Format,
    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Exit with status 0 even when findings remain (usage errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print findings per code (count, fixable) instead of each finding.
    #[arg(long)]
    pub statistics: bool,
    /// Print findings but not the summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print nothing (the exit status still tells).
    #[arg(long, conflicts_with = "quiet")]
    pub silent: bool,
    /// Colour in the full format: auto (a terminal without NO_COLOR, or FORCE_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// The path standard input (`-`) stands for: shown in findings, used to find kql.toml.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Also check files that .gitignore, .ignore or hidden folders would skip.
    #[arg(long)]
    pub no_respect_gitignore: bool,
}

impl CommonArgs {
    /// Buffered standard output, and whether it gets colour (`--color`).
    pub fn stdout_writer(&self) -> (bool, std::io::BufWriter<std::io::StdoutLock<'static>>) {
        let stdout = std::io::stdout();
        let colour = self.color.resolve(&stdout);
        (colour, std::io::BufWriter::new(stdout.lock()))
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    /// Code frames with the finding's header, help and fix, and a summary line.
    #[value(alias = "human")]
    Full,
    /// `file:line:col: CODE [rule] message`, one a line, no colour.
    Concise,
    /// One JSON array of findings.
    Json,
    /// One JSON object a line.
    #[value(alias = "jsonl")]
    JsonLines,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// JUnit XML test report.
    Junit,
}

impl Format {
    /// Formats read by people: they get a summary line.
    pub fn is_human(self) -> bool {
        matches!(self, Format::Full | Format::Concise)
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether output to `stream` gets colour: `NO_COLOR` wins over `FORCE_COLOR`, which wins
    /// over the terminal test (see no-color.org and force-color.org).
    pub fn resolve(self, stream: &impl std::io::IsTerminal) -> bool {
        let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR") => false,
            ColorChoice::Auto if set("FORCE_COLOR") => true,
            ColorChoice::Auto => stream.is_terminal(),
        }
    }
}

/// A file's findings, ready to print.
pub struct FileReport {
    /// The path as shown (as given, or found under a folder given).
    pub path: String,
    /// The text the findings' ranges point into (without a byte-order mark).
    pub text: String,
    /// Bytes before `text` in the file as stored (3 for a UTF-8 byte-order mark): machine
    /// formats report offsets into the file's bytes.
    pub offset_base: u32,
    /// Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Fixes applied to the file by `--fix` (for `--show-fixes`): code, rule, fix message.
    pub applied: Vec<(String, Option<String>, String)>,
    /// The bytes of a file that is not text, as read.
    pub raw: Option<Vec<u8>>,
    /// Notes for standard error about this file (a fix that its host form cannot hold).
    pub notes: Vec<String>,
    /// The highest cost score the file may have (`--max-cost`, else its `kql.toml`'s `max-cost`).
    pub max_cost: Option<u64>,
    /// The file's cost score, when it has a `max_cost`.
    pub cost: Option<crate::render::cost::Cost>,
    /// Its findings were compared with a `--baseline` (those left are new ones): SARIF results
    /// then say `"baselineState": "new"`.
    pub compared_to_baseline: bool,
}

impl FileReport {
    pub fn new(input: crate::files::Input, mut diagnostics: Vec<Diagnostic>) -> FileReport {
        let bom = input.bom;
        if let Some(problem) = input.problem {
            diagnostics = vec![problem];
        }
        diagnostics.sort_by_key(|d| (d.range.start(), d.range.end()));
        FileReport {
            path: input.path,
            offset_base: if bom { 3 } else { 0 },
            text: input.text,
            diagnostics,
            applied: Vec::new(),
            raw: input.raw,
            notes: Vec::new(),
            max_cost: None,
            cost: None,
            compared_to_baseline: false,
        }
    }
}

/// Syntax diagnostics followed by the semantic checker's: what `kql check` reports.
pub fn check_diagnostics(
    parse: &kql_syntax::Parse,
    schema: &kql_schema::Schema,
) -> Vec<Diagnostic> {
    let mut all = parse.diagnostics().to_vec();
    all.extend(kql_semantic::analyze(parse, schema).into_diagnostics());
    all
}

pub fn parse_text(text: &str, blocks: bool) -> kql_syntax::Parse {
    if blocks {
        kql_syntax::parse_blocks(text)
    } else {
        kql_syntax::parse(text)
    }
}

/// Prints the reports to `out` in the chosen format (and the summary line for people), and
/// computes the exit status.
pub fn finish(
    reports: &[FileReport],
    common: &CommonArgs,
    colour: bool,
    out: &mut impl Write,
) -> Result<ExitCode, CliError> {
    if !common.silent {
        let options = render::Options {
            format: common.output_format,
            colour,
            summary: !common.quiet,
        };
        if common.statistics {
            render::write_statistics(reports, common.output_format, out)?;
        } else {
            render::write_reports(reports, &options, out)?;
        }
        match common.output_format {
            f if f.is_human() => render::cost::write_human(reports, !common.quiet, out)?,
            Format::Github => render::cost::write_github(reports, out)?,
            _ => render::cost::note_exceeded(reports),
        }
    }
    out.flush()?;
    Ok(exit_status(reports, common))
}

/// 1 when a finding reaches the failing level, or a file's cost is over `--max-cost` (unless
/// `--exit-zero`), else 0.
pub fn exit_status(reports: &[FileReport], common: &CommonArgs) -> ExitCode {
    let failed = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| common.fail_on.fails(d.severity))
        || render::cost::any_exceeded(reports);
    if failed && !common.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A note on standard error (unless `--silent`): something the user should know that is not a
/// finding (a path given twice, a folder without queries).
pub fn warn(common: &CommonArgs, message: &str) {
    if !common.silent {
        eprintln!("kql: warning: {message}");
    }
}

/// Reads every input path of `common` (`config`: `--config`, whose excludes apply everywhere).
pub fn collect_inputs(
    common: &CommonArgs,
    config: Option<&kql_lint::Config>,
) -> Result<Vec<crate::files::Input>, CliError> {
    let discovery = crate::files::Discovery {
        respect_gitignore: !common.no_respect_gitignore,
        stdin_filename: common.stdin_filename.as_deref(),
        config,
        embedded: true,
    };
    crate::files::collect(&common.paths, &discovery, &mut |m| warn(common, m))
}
