//! Output formats: human (miette code frames), JSON and JSON lines.

use std::io::Write;

use kql_diagnostics::{Diagnostic, LineIndex};
use serde_json::{json, Value};

use crate::{CliError, FileReport, Format};

/// Whether human output to `stream` gets colour: only on a terminal, and never with `NO_COLOR`.
pub(crate) fn use_colour(stream: &impl std::io::IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Writes the reports to `out`; `colour` says whether human output may use colour (see
/// [`use_colour`] for the stream `out` writes to).
pub(crate) fn write_reports(
    reports: &[FileReport],
    format: Format,
    colour: bool,
    out: &mut impl Write,
) -> Result<(), CliError> {
    match format {
        Format::Human => {
            let mut total = 0;
            for r in reports {
                for d in &r.diagnostics {
                    out.write_all(human(r, d, colour).as_bytes())?;
                    total += 1;
                }
            }
            if total > 0 {
                writeln!(
                    out,
                    "{total} diagnostic{} found",
                    if total == 1 { "" } else { "s" }
                )?;
            }
        }
        Format::Json => {
            let all: Vec<Value> = reports
                .iter()
                .flat_map(|r| {
                    let idx = LineIndex::new(&r.text);
                    r.diagnostics
                        .iter()
                        .map(move |d| to_json(&r.path, &r.text, &idx, d))
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &all).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for r in reports {
                let idx = LineIndex::new(&r.text);
                for d in &r.diagnostics {
                    serde_json::to_writer(&mut *out, &to_json(&r.path, &r.text, &idx, d))
                        .map_err(std::io::Error::from)?;
                    writeln!(out)?;
                }
            }
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(reports))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        Format::Github => {
            for r in reports {
                let idx = LineIndex::new(&r.text);
                for d in &r.diagnostics {
                    out.write_all(github(r, &idx, d).as_bytes())?;
                }
            }
        }
    }
    Ok(())
}

/// One GitHub Actions workflow command (`::warning file=...::message`).
pub(crate) fn github(r: &FileReport, idx: &LineIndex, d: &Diagnostic) -> String {
    let level = match d.severity {
        kql_diagnostics::Severity::Error => "error",
        kql_diagnostics::Severity::Warning => "warning",
        kql_diagnostics::Severity::Info => "notice",
    };
    let s = idx.line_col(&r.text, d.range.start());
    let e = idx.line_col(&r.text, d.range.end());
    let esc_prop = |t: &str| {
        t.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C")
    };
    let esc_msg = |t: &str| {
        t.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let title = match &d.rule {
        Some(rule) => format!("{} ({rule})", d.code),
        None => d.code.clone(),
    };
    format!(
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        esc_prop(&r.path),
        s.line,
        s.column,
        e.line,
        e.column,
        esc_prop(&title),
        esc_msg(&d.message)
    )
}

/// A SARIF 2.1.0 log: one run, the lint rules as `tool.driver.rules`, fixes as `fixes`.
pub(crate) fn sarif(reports: &[FileReport]) -> Value {
    let rules: Vec<Value> = kql_lint::RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": r.summary()},
                "help": {"text": r.documentation(), "markdown": r.documentation()},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"category": r.category.as_str()},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let idx = LineIndex::new(&r.text);
        let region = |range: kql_diagnostics::TextRange| {
            let s = idx.line_col(&r.text, range.start());
            let e = idx.line_col(&r.text, range.end());
            json!({
                "startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column,
            })
        };
        for d in &r.diagnostics {
            let mut res = json!({
                "ruleId": d.code,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": r.path},
                    "region": region(d.range),
                }}],
            });
            if let Some(i) = kql_lint::RULES.iter().position(|m| m.code == d.code) {
                res["ruleIndex"] = json!(i);
            }
            if let Some(fix) = &d.fix {
                res["fixes"] = json!([{
                    "description": {"text": fix.message},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": r.path},
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": region(e.range),
                            "insertedContent": {"text": e.replacement},
                        })).collect::<Vec<_>>(),
                    }],
                }]);
                res["properties"] = json!({"applicability": fix.applicability.as_str()});
            }
            results.push(res);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kqlkit",
                "informationUri": "https://github.com/kqlkit/kqlkit",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn sarif_level(s: kql_diagnostics::Severity) -> &'static str {
    match s {
        kql_diagnostics::Severity::Error => "error",
        kql_diagnostics::Severity::Warning => "warning",
        kql_diagnostics::Severity::Info => "note",
    }
}

/// The machine-readable diagnostic object of the command-line contract.
pub(crate) fn to_json(path: &str, text: &str, idx: &LineIndex, d: &Diagnostic) -> Value {
    let lc = idx.line_col(text, d.range.start());
    let end = idx.line_col(text, d.range.end());
    let mut v = json!({
        "file": path,
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "start": u32::from(d.range.start()),
        "end": u32::from(d.range.end()),
        "line": lc.line,
        "column": lc.column,
        "end_line": end.line,
        "end_column": end.column,
    });
    if let Some(rule) = &d.rule {
        v["rule"] = json!(rule);
    }
    if let Some(help) = &d.help {
        v["help"] = json!(help);
    }
    if let Some(fix) = &d.fix {
        v["fix"] = json!({
            "message": fix.message,
            "applicability": fix.applicability.as_str(),
            "edits": fix.edits.iter().map(|e| json!({
                "start": u32::from(e.range.start()),
                "end": u32::from(e.range.end()),
                "replacement": e.replacement,
            })).collect::<Vec<_>>(),
        });
    }
    v
}

/// A miette diagnostic borrowing ours, so the graphical handler can draw it.
struct Report<'a> {
    d: &'a Diagnostic,
    source: miette::NamedSource<String>,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let code = match &self.d.rule {
            Some(rule) => format!("{}({})", self.d.code, rule),
            None => self.d.code.clone(),
        };
        Some(Box::new(code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            kql_diagnostics::Severity::Error => miette::Severity::Error,
            kql_diagnostics::Severity::Warning => miette::Severity::Warning,
            kql_diagnostics::Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let fix = self
            .d
            .fix
            .as_ref()
            .map(|f| format!("fix ({}): {}", f.applicability.as_str(), f.message));
        match (&self.d.help, fix) {
            (Some(h), Some(f)) => Some(Box::new(format!("{h}\n{f}"))),
            (Some(h), None) => Some(Box::new(h.clone())),
            (None, Some(f)) => Some(Box::new(f)),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let primary = miette::LabeledSpan::new_primary_with_span(
            Some(self.d.message.clone()),
            span(self.d.range),
        );
        let others =
            self.d.labels.iter().map(|l| {
                miette::LabeledSpan::new_with_span(Some(l.message.clone()), span(l.range))
            });
        Some(Box::new(std::iter::once(primary).chain(others)))
    }
}

fn span(r: kql_diagnostics::TextRange) -> miette::SourceSpan {
    (usize::from(r.start()), usize::from(r.len())).into()
}

/// Renders one diagnostic as a code frame.
pub(crate) fn human(r: &FileReport, d: &Diagnostic, colour: bool) -> String {
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let report = Report {
        d,
        source: miette::NamedSource::new(&r.path, r.text.clone()),
    };
    let mut s = String::new();
    if handler.render_report(&mut s, &report).is_err() {
        s = format!("{}: {} {}\n", r.path, d.code, d.message);
    }
    s
}
