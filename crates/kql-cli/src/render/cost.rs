//! `kql lint --max-cost N` (or `max-cost = N` in the file's `kql.toml`, which the flag
//! overrides): each file's cost score (see [`kql_lint::cost`]) beside its findings.
//!
//! The score is shown only for a file with such a limit, so output without it stays as it was:
//! human formats print a line per file over the limit and a summary line; JSON and JSON lines
//! give each finding its `cost` and its file's `file_cost` object; SARIF gives each file an
//! artifact whose `properties` hold its score, and each result its `cost`; `github` annotates
//! each file over the limit. The other formats (whose standard output is data) name those files
//! on standard error.

use std::io::{self, Write};

use kql_diagnostics::Diagnostic;
use kql_lint::cost::{file_cost, finding_cost, FileCost};
use kql_schema::Schema;
use serde_json::{json, Value};

use crate::FileReport;

/// A file's score against `--max-cost`.
#[derive(Debug, Clone)]
pub struct Cost {
    pub file: FileCost,
    pub max: u64,
    /// Each finding's points, in the order of the report's diagnostics.
    pub points: Vec<u64>,
}

impl Cost {
    pub fn exceeded(&self) -> bool {
        self.file.score > self.max
    }

    /// The points of `d`, one of the report's own diagnostics.
    pub fn points_of(&self, r: &FileReport, d: &Diagnostic) -> u64 {
        r.diagnostics
            .iter()
            .position(|x| std::ptr::eq(x, d))
            .and_then(|i| self.points.get(i).copied())
            .unwrap_or(0)
    }

    /// The per-file score object of the JSON formats.
    pub fn json(&self) -> Value {
        json!({"score": self.file.score, "max": self.max, "exceeded": self.exceeded()})
    }
}

/// Scores every report that has a `max_cost` (its findings as they will be reported) against it.
pub fn attach(reports: &mut [FileReport], schema: &Schema) {
    for r in reports {
        let Some(max) = r.max_cost else {
            continue;
        };
        let points = r
            .diagnostics
            .iter()
            .map(|d| finding_cost(d, &r.text, schema).points)
            .collect();
        let file = file_cost(&r.diagnostics, &r.text, schema);
        r.cost = Some(Cost { file, max, points });
    }
}

/// Whether any file's score is over its limit.
pub fn any_exceeded(reports: &[FileReport]) -> bool {
    reports
        .iter()
        .any(|r| r.cost.as_ref().is_some_and(Cost::exceeded))
}

/// `a.kql: cost 12 exceeds --max-cost 10 (missing-time-filter 10, unbounded-sort 2)`.
fn over_line(r: &FileReport, c: &Cost) -> String {
    let parts: Vec<String> = c
        .file
        .by_rule
        .iter()
        .map(|(rule, points)| format!("{rule} {points}"))
        .collect();
    format!(
        "{}: cost {} exceeds --max-cost {} ({})",
        r.path,
        c.file.score,
        c.max,
        parts.join(", ")
    )
}

/// The lines of the human formats: one per file over the limit, then (with `summary`) a
/// summary line. Nothing without `--max-cost`.
pub fn write_human(reports: &[FileReport], summary: bool, out: &mut impl Write) -> io::Result<()> {
    let scored = || reports.iter().filter_map(|r| Some((r, r.cost.as_ref()?)));
    let Some((_, first)) = scored().next() else {
        return Ok(());
    };
    // One limit, named; or files under different `kql.toml`s with limits of their own.
    let limit = if scored().all(|(_, c)| c.max == first.max) {
        format!("--max-cost {}", first.max)
    } else {
        "their max-cost".to_string()
    };
    let mut over = 0;
    for (r, c) in scored().filter(|(_, c)| c.exceeded()) {
        writeln!(out, "{}", over_line(r, c))?;
        over += 1;
    }
    if !summary {
        return Ok(());
    }
    let top = scored().max_by_key(|(_, c)| c.file.score);
    let highest = match top {
        Some((r, c)) if c.file.score > 0 => format!("highest {} in {}", c.file.score, r.path),
        _ => "highest 0".to_string(),
    };
    match over {
        0 => writeln!(out, "Cost: every file within {limit} ({highest})."),
        n => writeln!(
            out,
            "Cost: {n} file{} over {limit} ({highest}).",
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// GitHub Actions: an error annotation on each file over the limit.
pub fn write_github(reports: &[FileReport], out: &mut impl Write) -> io::Result<()> {
    let esc = |t: &str| {
        t.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    for r in reports {
        if let Some(c) = r.cost.as_ref().filter(|c| c.exceeded()) {
            let file = esc(&r.path).replace(':', "%3A").replace(',', "%2C");
            writeln!(
                out,
                "::error file={file},title=kql cost::{}",
                esc(&over_line(r, c))
            )?;
        }
    }
    Ok(())
}

/// For the other formats whose standard output is data: each file over the limit, on standard error.
pub fn note_exceeded(reports: &[FileReport]) {
    for r in reports {
        if let Some(c) = r.cost.as_ref().filter(|c| c.exceeded()) {
            eprintln!("kql: error: {}", over_line(r, c));
        }
    }
}
