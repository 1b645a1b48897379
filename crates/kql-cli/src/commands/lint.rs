//! `kql lint`: syntax and semantic findings plus the lint rules, with fixes.
//!
//! Files are linted in parallel (rayon); output order is the input order. `--fix` writes files
//! (see [`crate::fix`]) and reports what remains; `--diff` prints what the fixes would change
//! without writing. With `--fix`, standard input's fixed text (or its text unchanged) is the
//! only thing on standard output, and the remaining findings go to standard error.

use std::io::Write;
use std::process::ExitCode;

use kql_cli::analysis::{applicable, lint_input, Fixed, LintJob};
use kql_cli::baseline::{self, Baseline};
use kql_cli::settings::{check_selectors, describe, Resolver};
use kql_diagnostics::Diagnostic;
use rayon::prelude::*;

use crate::commands::check::SchemaSourceArgs;
use crate::common::{
    collect_inputs, exit_status, finish, CommonArgs, FileReport, NowArgs, SelectionArgs,
};
use crate::{fix, CliError};

#[derive(clap::Args)]
#[command(
    after_help = "Configuration: kql.toml (every key) and suppression comments \
(`// kql-lint: disable-next-line RULE`) are described in the README, \
https://github.com/kqlkit/kqlkit#configuration-kqltoml"
)]
pub(crate) struct LintArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub schema: SchemaSourceArgs,
    /// Apply safe fixes to the files (standard input: print the fixed text).
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply unsafe fixes.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the diff the fixes would make instead of findings; writes nothing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// After the findings, list the fixes applied (with --fix) or available.
    #[arg(long)]
    pub show_fixes: bool,
    #[command(flatten)]
    pub selection: SelectionArgs,
    #[command(flatten)]
    pub now: NowArgs,
    /// The request's `Timespan` (`P7D`, `start/end`), as sent to the Graph API.
    #[arg(long)]
    pub timespan: Option<String>,
    /// Configuration file (default: the nearest `kql.toml` above each file).
    #[arg(long)]
    pub config: Option<String>,
    /// Print the resolved settings for each file (and where they come from) instead of linting.
    #[arg(long)]
    pub show_settings: bool,
    /// Report only findings not in this baseline file; list its entries that no longer match.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<std::path::PathBuf>,
    /// Record every finding in this baseline file (sorted JSON) instead of reporting them.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub write_baseline: Option<std::path::PathBuf>,
    /// Fail a file whose cost score (the summed weights of its findings) exceeds N; show scores.
    /// Overrides `max-cost` in kql.toml.
    #[arg(long, value_name = "N")]
    pub max_cost: Option<u64>,
}

/// One linted file: its report, the fixed text (with `--fix`/`--diff`), and the findings that
/// remain once the fixed text is written.
type Linted = (FileReport, Option<Fixed>, Vec<Diagnostic>);

pub(crate) fn run(args: LintArgs) -> Result<ExitCode, CliError> {
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return Err(CliError::Usage(
            "--unsafe-fixes applies only with --fix or --diff".into(),
        ));
    }
    if args.diff && !args.common.output_format.is_human() {
        return Err(CliError::Usage(
            "--diff prints a unified diff; it cannot be combined with --output-format".into(),
        ));
    }
    check_selectors(args.selection.all())?;
    let schema = args.schema.load()?;
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let mut base = args.now.settings()?;
    if let Some(ts) = &args.timespan {
        base = base.with_timespan(ts).map_err(CliError::Usage)?;
    }
    let resolver = Resolver::new(args.config.as_deref(), base, args.selection.clone())?;
    let inputs = collect_inputs(&args.common, resolver.explicit())?;
    if args.show_settings {
        let mut out = std::io::stdout().lock();
        for input in &inputs {
            let (mut settings, source) = resolver.settings_for(&input.anchor)?;
            settings.max_cost = args.max_cost.or(settings.max_cost);
            let embedded = resolver.embed_options_at(&input.anchor)?;
            let text = describe(&input.path, &settings, &embedded, source.as_deref());
            out.write_all(text.as_bytes())?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let blocks = args.common.blocks;
    let fixing = args.fix || args.diff;
    let results: Vec<Result<Option<Linted>, CliError>> = inputs
        .into_par_iter()
        .map(|input| {
            if input.problem.is_some() {
                let mut report = FileReport::new(input, Vec::new());
                report.max_cost = args.max_cost;
                return Ok(Some((report, None, Vec::new())));
            }
            let (mut settings, _) = resolver.settings_for(&input.anchor)?;
            settings.max_cost = args.max_cost.or(settings.max_cost);
            let opts = resolver.embed_options_for(&input)?;
            let job = LintJob {
                blocks,
                settings: &settings,
                schema: &schema,
                fix: fixing.then_some(args.unsafe_fixes),
                // What remains once the fixes are written (reported only if they are).
                relint: args.fix,
            };
            // `None`: a host file (YAML, Markdown, JSON) without queries, skipped.
            let Some(o) = lint_input(&input, &opts, &job) else {
                return Ok(None);
            };
            let mut report = FileReport::new(input, o.diagnostics);
            report.notes = o.notes;
            report.max_cost = settings.max_cost;
            Ok(Some((report, o.fixed, o.remaining)))
        })
        .collect();
    let stdin_fix = args.fix && args.common.paths.iter().any(|p| p == "-");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut reports = Vec::new();
    let mut diffs = 0;
    let mut unwritable = false;
    for r in results {
        let Some((mut report, fixed, remaining)) = r? else {
            continue;
        };
        for note in report.notes.iter().filter(|_| !args.common.silent) {
            eprintln!("kql: note: {note}");
        }
        match fixed {
            Some(f) if args.diff => {
                fix::write_diff(&mut out, &report.path, &report.text, &f.text)?;
                diffs += 1;
            }
            Some(f) => {
                let written = stdin_is(&report, &args.common)
                    || fix::write_atomic(std::path::Path::new(&report.path), &f.text)
                        .map_err(|e| eprintln!("kql: error: {e}"))
                        .is_ok();
                if written {
                    // `lint_file` returns findings sorted, as reports keep them.
                    report.text = f.text;
                    report.diagnostics = remaining;
                    report.applied = f.applied;
                } else {
                    unwritable = true;
                }
            }
            None => {}
        }
        if args.fix && stdin_is(&report, &args.common) {
            // The text, and only the text, on standard output: fixed or unchanged (with its
            // byte-order mark; bytes that are not text come back as they were).
            match &report.raw {
                Some(raw) => out.write_all(raw)?,
                None => {
                    if report.offset_base > 0 {
                        out.write_all("\u{feff}".as_bytes())?;
                    }
                    out.write_all(report.text.as_bytes())?;
                }
            }
        }
        reports.push(report);
    }
    if let Some(path) = &args.write_baseline {
        return baseline::write_and_note(path, &reports, &args.common);
    }
    if let (Some(b), Some(path)) = (&baseline, &args.baseline) {
        baseline::apply_and_note(b, path, &mut reports, &args.common);
    }
    kql_cli::render::cost::attach(&mut reports, &schema);
    if args.diff {
        out.flush()?;
        if !args.common.silent {
            let without: usize = reports
                .iter()
                .flat_map(|r| &r.diagnostics)
                .filter(|d| !applicable(d, args.unsafe_fixes))
                .count();
            if diffs == 0 {
                eprintln!(
                    "kql: no fixes available ({without} finding{} without an applicable fix)",
                    plural(without)
                );
            } else {
                eprintln!("kql: {diffs} file{} would be changed; {without} finding{} without an applicable fix", plural(diffs), plural(without));
            }
        }
        return Ok(exit_status(&reports, &args.common));
    }
    let colour;
    let status = if stdin_fix {
        out.flush()?;
        let stderr = std::io::stderr();
        colour = args.common.color.resolve(&stderr);
        let mut err = stderr.lock();
        let status = finish(&reports, &args.common, colour, &mut err)?;
        show_fixes(&args, &reports, &mut err)?;
        status
    } else {
        colour = args.common.color.resolve(&stdout);
        let status = finish(&reports, &args.common, colour, &mut out)?;
        show_fixes(&args, &reports, &mut out)?;
        out.flush()?;
        status
    };
    Ok(if unwritable {
        ExitCode::from(1)
    } else {
        status
    })
}

fn stdin_is(report: &FileReport, common: &CommonArgs) -> bool {
    let shown = common
        .stdin_filename
        .as_deref()
        .map(|p| p.replace('\\', "/"));
    report.path == "-" || shown.as_deref() == Some(report.path.as_str())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// After `--fix` in a human format, how many findings were fixed; with `--show-fixes`, the
/// fixes applied (or, without `--fix`, those available).
fn show_fixes(
    args: &LintArgs,
    reports: &[FileReport],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let human = args.common.output_format.is_human() && !args.common.statistics;
    if args.common.silent || !(args.show_fixes || (args.fix && human && !args.common.quiet)) {
        return Ok(());
    }
    if args.fix {
        let n: usize = reports.iter().map(|r| r.applied.len()).sum();
        let colon = if args.show_fixes && n > 0 { ":" } else { "." };
        writeln!(out, "Fixed {n} finding{}{colon}", plural(n))?;
        for r in reports.iter().filter(|_| args.show_fixes) {
            for (code, rule, message) in &r.applied {
                let rule = rule.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
                writeln!(out, "  {}: {code}{rule}: {message}", r.path)?;
            }
        }
    } else {
        writeln!(out, "Fixes available:")?;
        for r in reports {
            for d in r.diagnostics.iter().filter(|d| d.fix.is_some()) {
                let fix = d.fix.as_ref().expect("filtered");
                let rule = d
                    .rule
                    .as_deref()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "  {}: {}{rule}: {} ({})",
                    r.path,
                    d.code,
                    fix.message,
                    fix.applicability.as_str()
                )?;
            }
        }
    }
    Ok(())
}
