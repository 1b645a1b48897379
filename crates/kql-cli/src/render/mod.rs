//! Every output format, the summary line and `--statistics`.

mod ci;
pub mod cost;
pub mod human;
mod machine;
pub mod position;
mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use kql_diagnostics::{Applicability, Severity};
use serde_json::{json, Value};

pub use position::Positions;

use crate::{FileReport, Format};

/// How to print.
pub struct Options {
    pub format: Format,
    /// ANSI colour in the full format.
    pub colour: bool,
    /// The summary line after the findings (human formats only).
    pub summary: bool,
}

/// Writes the reports in `options.format`.
pub fn write_reports(
    reports: &[FileReport],
    options: &Options,
    out: &mut impl Write,
) -> io::Result<()> {
    match options.format {
        Format::Full | Format::Concise => {
            for r in reports {
                let pos = Positions::new(&r.text);
                for d in &r.diagnostics {
                    if options.format == Format::Full {
                        human::full(out, &r.path, &pos, d, human::Paint(options.colour))?;
                    } else {
                        human::concise(out, &r.path, &pos, d)?;
                    }
                }
            }
            if options.summary {
                writeln!(out, "{}", summary(reports))?;
            }
        }
        Format::Json | Format::Gitlab => {
            let all: Vec<Value> = reports
                .iter()
                .flat_map(|r| {
                    let pos = Positions::new(&r.text);
                    let format = options.format;
                    let ids = match format {
                        Format::Gitlab => crate::baseline::identities(r),
                        _ => Vec::new(),
                    };
                    r.diagnostics
                        .iter()
                        .enumerate()
                        .map(move |(i, d)| match format {
                            Format::Json => machine::to_json(r, &pos, d),
                            _ => ci::gitlab(r, &pos, d, &ids[i]),
                        })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &all)?;
            writeln!(out)?;
        }
        Format::JsonLines => {
            for r in reports {
                let pos = Positions::new(&r.text);
                for d in &r.diagnostics {
                    serde_json::to_writer(&mut *out, &machine::to_json(r, &pos, d))?;
                    writeln!(out)?;
                }
            }
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif::sarif(reports))?;
            writeln!(out)?;
        }
        Format::Github => {
            for r in reports {
                let pos = Positions::new(&r.text);
                for d in &r.diagnostics {
                    ci::github(out, r, &pos, d)?;
                }
            }
        }
        Format::Junit => ci::junit(out, reports)?,
    }
    Ok(())
}

/// "Found 3 problems: 1 error, 2 warnings. 1 fixable with `--fix` (1 more with
/// `--unsafe-fixes`)." or "All checks passed!".
pub fn summary(reports: &[FileReport]) -> String {
    let all = || reports.iter().flat_map(|r| &r.diagnostics);
    let total = all().count();
    if total == 0 {
        return "All checks passed!".to_string();
    }
    let count = |s: Severity| all().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (count(Severity::Error), "error", "errors"),
        (count(Severity::Warning), "warning", "warnings"),
        (count(Severity::Info), "info", "info"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    let fixable = |a: Applicability| {
        all()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == a))
            .count()
    };
    let (safe, unsafe_) = (fixable(Applicability::Safe), fixable(Applicability::Unsafe));
    let mut line = format!(
        "Found {total} problem{}: {}.",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    );
    if safe + unsafe_ > 0 {
        line.push_str(&format!(" {safe} fixable with `--fix`"));
        if unsafe_ > 0 {
            line.push_str(&format!(" ({unsafe_} more with `--unsafe-fixes`)"));
        }
        line.push('.');
    }
    line
}

/// Findings per code: count, rule name, how many have a fix.
pub fn write_statistics(
    reports: &[FileReport],
    format: Format,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut rows: BTreeMap<&str, (usize, usize, Option<&str>)> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        let row = rows
            .entry(d.code.as_str())
            .or_insert((0, 0, d.rule.as_deref()));
        row.0 += 1;
        row.1 += usize::from(d.fix.is_some());
    }
    let mut rows: Vec<_> = rows.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let name = |code: &str, rule: Option<&str>| {
        rule.map(str::to_string)
            .or_else(|| kql_diagnostics::codes::checker_code(code).map(|c| c.name.to_string()))
    };
    if matches!(format, Format::Json | Format::JsonLines) {
        let v: Vec<Value> = rows
            .iter()
            .map(|(code, (n, fixable, rule))| {
                json!({"code": code, "name": name(code, *rule), "count": n, "fixable": fixable})
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &v)?;
        return writeln!(out);
    }
    let width = rows
        .iter()
        .map(|r| r.1 .0.to_string().len())
        .max()
        .unwrap_or(1);
    for (code, (n, fixable, rule)) in &rows {
        let fix = if *fixable > 0 {
            format!(" ({fixable} fixable)")
        } else {
            String::new()
        };
        let name = name(code, *rule).unwrap_or_default();
        writeln!(out, "{n:>width$}  {code:<6}  {name}{fix}")?;
    }
    Ok(())
}
