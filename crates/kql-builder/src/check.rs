//! Checking and linting a built query in-process (feature `lint`): the same diagnostics
//! `kql check` and `kql lint` print for the query's text, so a program can refuse to send a
//! query that reads beyond the 30-day retention or returns an unbounded number of rows.

use std::fmt;

pub use kql_diagnostics::{Diagnostic, Severity};
pub use kql_lint::Settings;
pub use kql_schema::Schema;

use crate::{DateTimeValue, Query, Timespan};

/// The diagnostics for a built query's text (byte ranges are into [`Report::text`]).
#[derive(Debug, Clone)]
pub struct Report {
    /// The query text that was checked.
    pub text: String,
    /// Syntax, then semantic, then lint findings, as `kql lint` reports them.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Findings at `Severity::Error`.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// No findings at all.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// Whether a finding comes from the lint rule with this kebab-case name
    /// (`time-beyond-retention`) or has this code (`KQL202`).
    pub fn has(&self, rule_or_code: &str) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code == rule_or_code || d.rule.as_deref() == Some(rule_or_code))
    }
}

impl fmt::Display for Report {
    /// One finding a line: `line:column severity code [rule] message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            let start = usize::from(d.range.start()).min(self.text.len());
            let before = &self.text[..start];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            let severity = d.severity.as_str();
            write!(f, "{line}:{column} {severity} {}", d.code)?;
            if let Some(rule) = &d.rule {
                write!(f, " [{rule}]")?;
            }
            writeln!(f, " {}", d.message)?;
        }
        Ok(())
    }
}

/// Lint settings with every rule on and "now" fixed (the linter's time rules measure windows
/// from it); use `Settings::default()` for the current time.
pub fn settings_at(now: DateTimeValue) -> Settings {
    Settings::new(now.into())
}

impl Query {
    /// Syntax and semantic checks (names, types) against Advanced Hunting's built-in schema:
    /// what `kql check` reports for [`Query::to_kql`].
    pub fn check(&self) -> Report {
        self.check_with(Schema::advanced_hunting())
    }

    /// [`Query::check`] against another schema (custom tables, Sentinel).
    pub fn check_with(&self, schema: &Schema) -> Report {
        let text = self.to_kql();
        let parse = kql_syntax::parse(&text);
        let model = kql_semantic::analyze(&parse, schema);
        let mut diagnostics = parse.diagnostics().to_vec();
        diagnostics.extend(model.diagnostics().iter().cloned());
        Report { text, diagnostics }
    }

    /// Checks and lint rules: what `kql lint` reports for [`Query::to_kql`] with `settings`,
    /// against the built-in schema.
    pub fn lint(&self, settings: &Settings) -> Report {
        self.lint_with(settings, Schema::advanced_hunting())
    }

    /// [`Query::lint`] against another schema.
    pub fn lint_with(&self, settings: &Settings, schema: &Schema) -> Report {
        let text = self.to_kql();
        let parse = kql_syntax::parse(&text);
        let report = kql_lint::check_and_lint(&text, &parse, settings, schema);
        Report {
            text,
            diagnostics: report.diagnostics,
        }
    }

    /// Lints the query as it would run in a Microsoft Graph request over `timespan` (the
    /// window is resolved against the settings' "now"), so a window beyond the service's
    /// retention is reported (`time-beyond-retention`), and returns the request when nothing
    /// at or above `fail_on` was found, else the report.
    pub fn checked_graph_request(
        &self,
        timespan: Timespan,
        settings: &Settings,
        fail_on: Severity,
    ) -> Result<kql_hunting_api::RunHuntingQueryRequest, Report> {
        let report = self.lint_graph_request(timespan.clone(), settings);
        if report.diagnostics.iter().any(|d| d.severity >= fail_on) {
            return Err(report);
        }
        Ok(self.to_graph_request(timespan))
    }

    /// [`Query::lint`] with the request's `timespan` applied to the settings.
    pub fn lint_graph_request(&self, timespan: Timespan, settings: &Settings) -> Report {
        match settings
            .clone()
            .with_window(&timespan, &timespan.to_string())
        {
            Ok(settings) => self.lint(&settings),
            Err(message) => {
                let mut report = self.lint(settings);
                report.diagnostics.push(Diagnostic::new(
                    "KQL000",
                    Severity::Error,
                    message,
                    Default::default(),
                ));
                report
            }
        }
    }
}
