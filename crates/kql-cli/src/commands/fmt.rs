//! `kql fmt`: lays out queries the canonical way (kql-fmt), as `cargo fmt` and `ruff format` do.
//!
//! * Without `--check`/`--diff`, changed files are rewritten atomically (temporary file, then a
//!   rename; byte-order mark and permissions kept). A file already formatted is not written, so
//!   its modification time stays.
//! * `--check` lists the files that would change; `--diff` prints a unified diff. Both write
//!   nothing and exit 1 when something would change.
//! * A file with a syntax error is not formatted: its path and first error go to standard error,
//!   the file is left as it is, and the exit status is 1.
//! * `-` reads standard input and writes the formatted text to standard output.
//!
//! * Host files (YAML, Markdown, JSON; see `kql_cli::embedded`) have each embedded query
//!   formatted and written back in host form (re-indented, re-escaped); every byte outside the
//!   queries stays. A host with a syntax error in any query is left as it is (reported like a
//!   query file). A query whose formatted text its host form cannot hold (a folded `>` scalar
//!   gaining line breaks) is left as it is, with a note naming the file and line; that alone
//!   does not fail the run. Host files without queries are skipped.
//!
//! Options come from the `[format]` table of `--config` or of the nearest `kql.toml` (and the
//! keys that hold queries from its `[embedded]` table).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use kql_cli::embedded::{self, Change, Host, Queries};
use kql_diagnostics::{LineIndex, TextRange, TextSize};
use kql_embed::EmbedOptions;
use kql_fmt::{FormatError, FormatOptions};
use kql_lint::Config;
use rayon::prelude::*;

use crate::files::{self, Input};
use crate::fix::{write_atomic, write_diff};
use crate::CliError;

#[derive(clap::Args)]
pub(crate) struct FmtArgs {
    /// Files or directories (recursing over *.kql, *.csl, *.kusto, and *.yaml, *.yml, *.md,
    /// *.json with embedded queries); `-` formats standard input to standard output.
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Write nothing; list the files that would change and exit 1 if any would.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print a unified diff of the changes and exit 1 if there are any.
    #[arg(long)]
    pub diff: bool,
    /// Format each blank-line-separated block as its own query, as Kusto's editors split files.
    #[arg(long)]
    pub blocks: bool,
    /// Configuration file whose `[format]` table applies (default: the nearest `kql.toml`).
    #[arg(long)]
    pub config: Option<String>,
    /// Also format files that .gitignore, .ignore or hidden folders would skip.
    #[arg(long)]
    pub no_respect_gitignore: bool,
}

/// What happened to one input (with notes about queries left as they were).
enum Outcome {
    Unchanged(String),
    Changed(String, Vec<String>),
    NotFormatted(String),
    /// A host file without queries.
    Skipped,
}

pub(crate) fn run(args: FmtArgs) -> Result<ExitCode, CliError> {
    let explicit = match &args.config {
        Some(p) => Some(Config::load(Path::new(p)).map_err(CliError::Usage)?),
        None => None,
    };
    let explicit_options = match &explicit {
        Some(c) => Some((
            c.format_section::<FormatOptions>().map_err(|e| {
                CliError::Usage(format!("{}: {e}", args.config.as_deref().unwrap_or("")))
            })?,
            embedded::options(Some(c)),
        )),
        None => None,
    };
    let discovery = files::Discovery {
        respect_gitignore: !args.no_respect_gitignore,
        stdin_filename: None,
        config: explicit.as_ref(),
        embedded: true,
    };
    let inputs = files::collect(&args.paths, &discovery, &mut |m| {
        eprintln!("kql: warning: {m}")
    })?;
    let options = OptionsCache::default();
    let results: Vec<Result<Outcome, CliError>> = inputs
        .par_iter()
        .map(|input| {
            let (opts, embed) = match &explicit_options {
                Some(o) => o.clone(),
                None => options.for_file(input)?,
            };
            Ok(format_input(input, &opts, &embed, args.blocks))
        })
        .collect();

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut changed, mut unchanged, mut failed) = (0usize, 0usize, 0usize);
    for (input, result) in inputs.iter().zip(results) {
        match result? {
            Outcome::Skipped => {}
            Outcome::NotFormatted(why) => {
                failed += 1;
                eprintln!("kql fmt: {}: {why} (not formatted)", input.path);
            }
            Outcome::Unchanged(text) => {
                unchanged += 1;
                if input.is_stdin && !args.check && !args.diff {
                    out.write_all(text.as_bytes())?;
                }
            }
            Outcome::Changed(text, notes) => {
                for note in notes {
                    eprintln!("kql fmt: note: {note}");
                }
                if text == input.text {
                    unchanged += 1;
                    continue;
                }
                changed += 1;
                if args.check {
                    writeln!(out, "Would reformat: {}", input.path)?;
                } else if args.diff {
                    write_diff(&mut out, &input.path, &input.text, &text)?;
                } else if input.is_stdin {
                    out.write_all(text.as_bytes())?;
                } else if let Err(e) = write_atomic(&input.anchor, &text) {
                    changed -= 1;
                    failed += 1;
                    eprintln!("kql fmt: {e}");
                }
            }
        }
    }
    out.flush()?;
    if inputs.iter().any(|i| !i.is_stdin) {
        eprintln!(
            "{}",
            summary(changed, unchanged, failed, args.check || args.diff)
        );
    }
    let would_change = (args.check || args.diff) && changed > 0;
    Ok(if failed > 0 || would_change {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn format_input(
    input: &Input,
    options: &FormatOptions,
    embed: &EmbedOptions,
    blocks: bool,
) -> Outcome {
    if let Some(problem) = &input.problem {
        return Outcome::NotFormatted(problem.message.clone());
    }
    let format = |text: &str| {
        if blocks {
            kql_fmt::format_blocks(text, options)
        } else {
            kql_fmt::format_text(text, options)
        }
    };
    let queries = match embedded::queries(input, embed) {
        Queries::Whole => {
            return match format(&input.text) {
                Ok(text) if text == input.text => Outcome::Unchanged(text),
                Ok(text) => Outcome::Changed(text, Vec::new()),
                Err(e) => Outcome::NotFormatted(describe(&input.text, &e)),
            }
        }
        Queries::Broken(d) => {
            let at = LineIndex::new(&input.text).line_col(&input.text, d.range.start());
            return Outcome::NotFormatted(format!("{}:{}: {}", at.line, at.column, d.message));
        }
        Queries::Embedded(q) if q.is_empty() => return Outcome::Skipped,
        Queries::Embedded(q) => q,
    };
    // Every query is formatted before anything is written: one that does not parse leaves the
    // whole file as it is.
    let mut changes = Vec::new();
    for (index, e) in queries.iter().enumerate() {
        match format(&e.query) {
            Ok(text) if text == e.query => {}
            Ok(text) => changes.push(Change {
                index,
                new_query: text,
            }),
            Err(err) => {
                let at = e.to_host(usize::from(err.range.start()));
                let err = FormatError {
                    range: TextRange::empty(TextSize::from(at as u32)),
                    ..err
                };
                return Outcome::NotFormatted(describe(&input.text, &err));
            }
        }
    }
    if changes.is_empty() {
        return Outcome::Unchanged(input.text.clone());
    }
    let host = Host {
        path: &input.path,
        text: &input.text,
        kind: input.kind,
        opts: embed,
        queries: &queries,
    };
    let (text, _, notes) = host.write_back(&input.path, &changes);
    Outcome::Changed(text, notes)
}

/// `line:column: message` of the error that stopped formatting.
fn describe(text: &str, e: &FormatError) -> String {
    let at = LineIndex::new(text).line_col(text, e.range.start());
    format!("{}:{}: {}", at.line, at.column, e.message)
}

fn summary(changed: usize, unchanged: usize, failed: usize, dry_run: bool) -> String {
    let files = |n: usize| {
        if n == 1 {
            "1 file".to_string()
        } else {
            format!("{n} files")
        }
    };
    let mut parts = Vec::new();
    if changed > 0 {
        let verb = if dry_run {
            "would be reformatted"
        } else {
            "reformatted"
        };
        parts.push(format!("{} {verb}", files(changed)));
    }
    if unchanged > 0 || parts.is_empty() {
        let verb = if dry_run {
            "already formatted"
        } else {
            "left unchanged"
        };
        parts.push(format!("{} {verb}", files(unchanged)));
    }
    if failed > 0 {
        parts.push(format!("{} not formatted (errors above)", files(failed)));
    }
    parts.join(", ")
}

/// The `[format]` options (and `[embedded]` keys) of the nearest `kql.toml`, looked up once per
/// folder.
#[derive(Default)]
struct OptionsCache {
    folders: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    configs: Mutex<HashMap<PathBuf, (FormatOptions, EmbedOptions)>>,
}

impl OptionsCache {
    fn for_file(&self, input: &Input) -> Result<(FormatOptions, EmbedOptions), CliError> {
        let folder = input
            .anchor
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let found = self
            .folders
            .lock()
            .expect("folder cache")
            .entry(folder)
            .or_insert_with(|| Config::discover(&input.anchor))
            .clone();
        let Some(path) = found else {
            return Ok((FormatOptions::default(), EmbedOptions::default()));
        };
        if let Some(o) = self.configs.lock().expect("config cache").get(&path) {
            return Ok(o.clone());
        }
        let config = Config::load(&path).map_err(CliError::Usage)?;
        let format = config
            .format_section::<FormatOptions>()
            .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
        let options = (format, embedded::options(Some(&config)));
        self.configs
            .lock()
            .expect("config cache")
            .insert(path, options.clone());
        Ok(options)
    }
}
