//! The formats people read: `full` (a header, a code frame, help and fix) and `concise` (one
//! line a finding).
//!
//! The code frame is drawn here rather than by a generic report library because it must stay
//! linear in the file size plus the findings: only the lines a finding touches are read (found
//! by binary search), a long line is shown as a window around the finding, and a span over many
//! lines shows its first and last lines with an ellipsis between.
//!
//! ```text
//! warning[AH001] time-beyond-retention: the query reads 90 days; the service keeps 30
//!  --> queries/review.kql:3:21
//!   |
//! 3 | | where Timestamp > ago(90d)
//!   |                     ^^^^^^^^
//!   = help: ...
//!   = fix (safe): ...
//! ```

use std::io::{self, Write};

use kql_diagnostics::{Diagnostic, Severity, TextRange};

use super::position::Positions;

/// Bytes of a line shown around a finding; longer lines are cut with `…` on either side.
const WINDOW: usize = 120;
/// Bytes shown before the finding's start in a cut line.
const LEAD: usize = 40;

/// ANSI styling, or none.
#[derive(Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, s: Severity, text: &str) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.wrap(code, text)
    }

    fn gutter(self, text: &str) -> String {
        self.wrap("1;34", text)
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
}

/// `path:line:col: CODE [rule] [*] message`: the line comes from kql-lint's snapshot renderer,
/// so `kql lint --output-format concise` and snapshot tests built on the library cannot drift.
pub fn concise(
    out: &mut impl Write,
    path: &str,
    pos: &Positions,
    d: &Diagnostic,
) -> io::Result<()> {
    let at = pos.line_col(d.range.start());
    writeln!(out, "{}", kql_lint::snapshot::concise_line(path, at, d))
}

/// One finding as a header, a code frame, help and fix, followed by a blank line.
pub fn full(
    out: &mut impl Write,
    path: &str,
    pos: &Positions,
    d: &Diagnostic,
    paint: Paint,
) -> io::Result<()> {
    let at = pos.line_col(d.range.start());
    let head = format!("{}[{}]", d.severity.as_str(), d.code);
    let rule = d.rule.as_ref().map(|r| format!(" {r}")).unwrap_or_default();
    writeln!(
        out,
        "{}{}: {}",
        paint.severity(d.severity, &head),
        paint.bold(&rule),
        paint.bold(&d.message)
    )?;
    // Annotations in position order: the finding (carets, no text: the header says it) and its
    // labels (dashes with their text).
    let mut marks: Vec<(TextRange, Option<&str>, char)> = vec![(d.range, None, '^')];
    marks.extend(
        d.labels
            .iter()
            .map(|l| (l.range, Some(l.message.as_str()), '-')),
    );
    marks.sort_by_key(|m| m.0.start());
    let last_line = marks
        .iter()
        .map(|m| pos.line_of(usize::from(m.0.end())))
        .max()
        .unwrap_or(0);
    let width = (last_line + 1).to_string().len();
    let pad = " ".repeat(width);
    writeln!(
        out,
        "{pad}{} {path}:{}:{}",
        paint.gutter("-->"),
        at.line,
        at.column
    )?;
    writeln!(out, "{pad} {}", paint.gutter("|"))?;
    let mut shown_until: Option<usize> = None;
    for (range, label, mark) in marks {
        let frame = Frame {
            pos,
            paint,
            width,
            mark,
        };
        shown_until = Some(frame.draw(out, range, label, shown_until)?);
    }
    if let Some(help) = &d.help {
        note(out, &pad, paint, "help", help)?;
    }
    if let Some(fix) = &d.fix {
        let kind = format!("fix ({})", fix.applicability.as_str());
        note(out, &pad, paint, &kind, &fix.message)?;
    }
    writeln!(out)
}

fn note(out: &mut impl Write, pad: &str, paint: Paint, kind: &str, text: &str) -> io::Result<()> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    writeln!(out, "{pad} {} {kind}: {first}", paint.gutter("="))?;
    let indent = " ".repeat(kind.len() + 4);
    for l in lines {
        writeln!(out, "{pad}{indent}{l}")?;
    }
    Ok(())
}

/// Draws the source lines of one annotation.
struct Frame<'a, 'b> {
    pos: &'a Positions<'b>,
    paint: Paint,
    width: usize,
    mark: char,
}

impl Frame<'_, '_> {
    /// Draws `range`; returns the last line shown. `shown_until` is the last line already shown
    /// (a second mark on it gets its own marker line without repeating the source).
    fn draw(
        &self,
        out: &mut impl Write,
        range: TextRange,
        label: Option<&str>,
        shown_until: Option<usize>,
    ) -> io::Result<usize> {
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        let first = self.pos.line_of(start);
        let mut last = self.pos.line_of(end);
        // A span ending right after a newline ends on the line before.
        if last > first && end == self.pos.line_start(last) {
            last -= 1;
        }
        if shown_until.is_some_and(|s| first > s + 1) {
            writeln!(out, "{}", self.paint.gutter("..."))?;
        }
        if first == last {
            let repeat = shown_until == Some(first);
            self.line(out, first, start, end.max(start), label, repeat)?;
        } else {
            let first_end = self.pos.line_end(first);
            self.line(
                out,
                first,
                start,
                first_end,
                None,
                shown_until == Some(first),
            )?;
            if last > first + 1 {
                writeln!(out, "{}", self.paint.gutter("..."))?;
            }
            let last_start = self.pos.line_start(last);
            self.line(out, last, last_start, end, label, false)?;
        }
        Ok(last)
    }

    /// One source line (a window of it when long) and its marker line under bytes `from..to`.
    fn line(
        &self,
        out: &mut impl Write,
        line: usize,
        from: usize,
        to: usize,
        label: Option<&str>,
        marker_only: bool,
    ) -> io::Result<()> {
        let text = self.pos.text();
        let (ls, le) = (self.pos.line_start(line), self.pos.line_end(line));
        let from = from.clamp(ls, le);
        let to = to.clamp(from, le.max(from));
        let (mut ws, mut we) = (ls, le);
        if le - ls > WINDOW {
            ws = floor_boundary(text, from.saturating_sub(LEAD).max(ls));
            we = floor_boundary(text, (ws + WINDOW).min(le));
        }
        let cut_left = if ws > ls { "…" } else { "" };
        let cut_right = if we < le { "…" } else { "" };
        let gutter_pad = " ".repeat(self.width);
        if !marker_only {
            let number = format!("{:>w$}", line + 1, w = self.width);
            let shown = visible(&text[ws..we]);
            writeln!(
                out,
                "{} {} {cut_left}{shown}{cut_right}",
                self.paint.gutter(&number),
                self.paint.gutter("|")
            )?;
        }
        let lead = cut_left.chars().count() + visible(&text[ws..from.min(we)]).chars().count();
        let span = visible(&text[from.min(we)..to.min(we)])
            .chars()
            .count()
            .max(1);
        let marks: String = std::iter::repeat_n(self.mark, span).collect();
        let label = label.map(|l| format!(" {l}")).unwrap_or_default();
        writeln!(
            out,
            "{gutter_pad} {} {}{}",
            self.paint.gutter("|"),
            " ".repeat(lead),
            self.paint.bold(&format!("{marks}{label}"))
        )
    }
}

/// A line as shown: a tab as four spaces, other control characters as `?`.
fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
