//! `kql lint`: syntax and semantic diagnostics plus the lint rules, with fixes.
//!
//! Files are linted in parallel (rayon); output order is the input order. `--fix` writes files
//! atomically (temporary file + rename) and only with `--fix`; `--diff` prints what the fixes
//! would change without writing. Fixes are re-applied until the text is stable (at most 10
//! rounds); a round whose result has more syntax errors than its input is discarded.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use kql_diagnostics::{apply_edits, Applicability, Diagnostic, TextEdit};
use kql_lint::{Config, Settings};
use rayon::prelude::*;

use crate::commands::check::SchemaSourceArgs;
use crate::common::{finish, parse_text, CommonArgs, FileReport};
use crate::{files, CliError};

#[derive(clap::Args)]
pub(crate) struct LintArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub schema: SchemaSourceArgs,
    /// Apply safe fixes to the files.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply unsafe fixes.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the diff the fixes would make instead of diagnostics; writes nothing.
    #[arg(long)]
    pub diff: bool,
    /// Rules to enable (names, codes, code prefixes, categories), replacing the configured set.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// "Now" for time rules, as ISO 8601 (`2026-11-27T00:00:00Z`); default: the clock.
    #[arg(long)]
    pub now: Option<String>,
    /// The request's `Timespan` (`P7D`, `start/end`), as sent to the Graph API.
    #[arg(long)]
    pub timespan: Option<String>,
    /// Configuration file (default: the nearest `kql.toml` above each file).
    #[arg(long)]
    pub config: Option<String>,
}

pub(crate) fn run(args: LintArgs) -> Result<ExitCode, CliError> {
    let schema = args.schema.load()?;
    let now = match &args.now {
        Some(s) => kql_semantic::fold::parse_datetime(s)
            .ok_or_else(|| CliError::Usage(format!("invalid --now `{s}`")))?,
        None => kql_hunting_api_now(),
    };
    let mut base = Settings::new(now);
    if let Some(ts) = &args.timespan {
        base = base.with_timespan(ts).map_err(CliError::Usage)?;
    }
    let explicit = match &args.config {
        Some(p) => Some(Config::load(Path::new(p)).map_err(CliError::Usage)?),
        None => None,
    };
    for sel in args.select.iter().chain(&args.ignore) {
        if !kql_lint::RULES.iter().any(|r| r.matches(sel)) {
            return Err(CliError::Usage(format!(
                "unknown rule, code or category `{sel}`"
            )));
        }
    }
    let inputs = files::collect(&args.common.paths)?;
    let cache = std::sync::Mutex::new(std::collections::HashMap::<
        std::path::PathBuf,
        Option<Config>,
    >::new());
    let dir_cache = std::sync::Mutex::new(std::collections::HashMap::<
        std::path::PathBuf,
        Option<std::path::PathBuf>,
    >::new());
    let settings_for = |path: &str| -> Result<Settings, CliError> {
        let config = if let Some(c) = &explicit {
            Some(c.clone())
        } else if path == "-" {
            None
        } else {
            // One discovery per directory, not per file.
            let dir = Path::new(path)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let found = {
                let mut dirs = dir_cache.lock().expect("dir cache");
                dirs.entry(dir)
                    .or_insert_with(|| Config::discover(Path::new(path)))
                    .clone()
            };
            match found {
                Some(p) => {
                    let mut cache = cache.lock().expect("config cache");
                    if !cache.contains_key(&p) {
                        cache.insert(p.clone(), Some(Config::load(&p).map_err(CliError::Usage)?));
                    }
                    cache[&p].clone()
                }
                None => None,
            }
        };
        let mut s = match config {
            Some(c) => c.settings_for((path != "-").then(|| Path::new(path)), base.clone()),
            None => base.clone(),
        };
        let select = (!args.select.is_empty()).then_some(args.select.as_slice());
        s.apply_selection(select, &args.ignore, &Default::default());
        Ok(s)
    };
    let blocks = args.common.blocks;
    let fixing = args.fix || args.diff;
    let results: Vec<Result<(FileReport, Option<String>), CliError>> = inputs
        .into_par_iter()
        .map(|input| {
            let settings = settings_for(&input.path)?;
            let diagnostics = lint_all(&input.text, blocks, &settings, &schema);
            let fixed = if fixing {
                let f =
                    fix_until_stable(&input.text, blocks, &settings, &schema, args.unsafe_fixes);
                (f != input.text).then_some(f)
            } else {
                None
            };
            Ok((FileReport::new(input, diagnostics), fixed))
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut reports = Vec::new();
    for r in results {
        let (mut report, fixed) = r?;
        if let Some(new_text) = fixed {
            if args.diff {
                write_diff(&mut out, &report.path, &report.text, &new_text)?;
            } else if report.path != "-" {
                write_atomic(Path::new(&report.path), &new_text)?;
                // Report what remains after fixing.
                let settings = settings_for(&report.path)?;
                report.diagnostics = lint_all(&new_text, blocks, &settings, &schema);
                report.text = new_text;
            } else {
                // Standard input: the fixed text goes to standard output instead of diagnostics.
                out.write_all(new_text.as_bytes())?;
                report.diagnostics.clear();
            }
        }
        reports.push(report);
    }
    if args.diff {
        out.flush()?;
        let any = reports.iter().any(|r| !r.diagnostics.is_empty());
        return Ok(if any {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    finish(&reports, &args.common, &mut out)
}

fn kql_hunting_api_now() -> i64 {
    Settings::default().now
}

/// Syntax, semantic and lint diagnostics of one text.
pub(crate) fn lint_all(
    text: &str,
    blocks: bool,
    settings: &Settings,
    schema: &kql_schema::Schema,
) -> Vec<Diagnostic> {
    let parse = parse_text(text, blocks);
    kql_lint::check_and_lint(text, &parse, settings, schema).diagnostics
}

/// Applies fixes until nothing changes (10 rounds at most). A round that adds syntax errors is
/// dropped.
pub(crate) fn fix_until_stable(
    text: &str,
    blocks: bool,
    settings: &Settings,
    schema: &kql_schema::Schema,
    unsafe_fixes: bool,
) -> String {
    let mut cur = text.to_string();
    for _ in 0..10 {
        let parse = parse_text(&cur, blocks);
        let errors = parse.diagnostics().len();
        let edits: Vec<TextEdit> = kql_lint::lint_with_schema(&cur, &parse, settings, schema)
            .into_iter()
            .filter_map(|d| d.fix)
            .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe)
            .flat_map(|f| f.edits)
            .collect();
        if edits.is_empty() {
            break;
        }
        let (next, _) = apply_edits(&cur, &edits);
        if next == cur || parse_text(&next, blocks).diagnostics().len() > errors {
            break;
        }
        cur = next;
    }
    cur
}

fn write_atomic(path: &Path, text: &str) -> Result<(), CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kql-lint.{}.tmp", std::process::id()));
    // Keep what the reader dropped or the rename would lose: a byte-order mark, permissions.
    let original = std::fs::read(path).unwrap_or_default();
    let bom = if original.starts_with("\u{feff}".as_bytes()) {
        "\u{feff}"
    } else {
        ""
    };
    std::fs::write(&tmp, format!("{bom}{text}"))
        .map_err(|e| CliError::Usage(format!("cannot write `{}`: {e}", tmp.display())))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CliError::Usage(format!("cannot replace `{}`: {e}", path.display()))
    })
}

/// The diff `--diff` prints for one file.
pub(crate) fn write_diff(
    out: &mut impl Write,
    path: &str,
    old: &str,
    new: &str,
) -> std::io::Result<()> {
    // A standard unified diff (3 lines of context), so `patch` and review tools read it.
    let diff = similar::TextDiff::from_lines(old, new);
    write!(
        out,
        "{}",
        diff.unified_diff().context_radius(3).header(path, path)
    )
}
