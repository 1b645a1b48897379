//! CI formats: GitHub Actions annotations, GitLab Code Quality, JUnit XML.

use std::io::{self, Write};

use kql_diagnostics::{Diagnostic, Severity};
use serde_json::{json, Value};

use super::position::Positions;
use crate::FileReport;

/// The message with its help and fix, as one text (annotations have no separate help field).
fn message_with_help(d: &Diagnostic) -> String {
    let mut m = d.message.clone();
    if let Some(help) = &d.help {
        m = format!("{m}\nhelp: {help}");
    }
    if let Some(fix) = &d.fix {
        m = format!("{m}\nfix ({}): {}", fix.applicability.as_str(), fix.message);
    }
    m
}

/// One GitHub Actions workflow command (`::warning file=...::message`).
pub fn github(
    out: &mut impl Write,
    r: &FileReport,
    pos: &Positions,
    d: &Diagnostic,
) -> io::Result<()> {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let s = pos.line_col(d.range.start());
    let e = pos.line_col(d.range.end());
    let esc_msg = |t: &str| {
        t.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let esc_prop = |t: &str| esc_msg(t).replace(':', "%3A").replace(',', "%2C");
    let title = match &d.rule {
        Some(rule) => format!("{} ({rule})", d.code),
        None => d.code.clone(),
    };
    writeln!(
        out,
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        esc_prop(&r.path),
        s.line,
        s.column,
        e.line,
        e.column,
        esc_prop(&title),
        esc_msg(&message_with_help(d))
    )
}

/// A GitLab Code Quality issue. Its fingerprint is the finding's [baseline](crate::baseline)
/// identity (the covered text, its lines and its occurrence), not its offset or message, so an
/// edit elsewhere in the file does not make GitLab see a new issue.
pub fn gitlab(r: &FileReport, pos: &Positions, d: &Diagnostic, identity: &str) -> Value {
    let s = pos.line_col(d.range.start());
    let e = pos.line_col(d.range.end());
    let severity = match d.severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    };
    let check = match &d.rule {
        Some(rule) => format!("{} {rule}", d.code),
        None => d.code.clone(),
    };
    let key = format!("{}\0{}\0{identity}", r.path, d.code);
    json!({
        "description": message_with_help(d),
        "check_name": check,
        "fingerprint": crate::baseline::fingerprint(&key),
        "severity": severity,
        "location": {"path": r.path, "lines": {"begin": s.line, "end": e.line}},
    })
}

/// A JUnit XML report: a test suite per file, a failing test case per finding (a file without
/// findings has one passing case, so CI dashboards count it).
pub fn junit(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    let total: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let failures: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="kql" tests="{total}" failures="{failures}">"#
    )?;
    for r in reports {
        let path = xml(&r.path);
        let n = r.diagnostics.len();
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{n}">"#,
            n.max(1)
        )?;
        if n == 0 {
            writeln!(
                out,
                r#"    <testcase name="no findings" classname="{path}"/>"#
            )?;
        }
        let pos = Positions::new(&r.text);
        for d in &r.diagnostics {
            let at = pos.line_col(d.range.start());
            writeln!(
                out,
                r#"    <testcase name="{} at line {} column {}" classname="{path}">"#,
                xml(&d.code),
                at.line,
                at.column
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{path}:{}:{}: {}</failure>"#,
                xml(&d.message),
                xml(&d.code),
                at.line,
                at.column,
                xml(&message_with_help(d))
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if c.is_control() && c != '\t' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}
