//! The one diagnostic type every kqlkit layer reports with.
//!
//! Syntax errors, semantic errors and lint findings all become a [`Diagnostic`]: a stable code, a
//! severity, a message a user understands, a byte range, optional secondary labels and help, and an
//! optional [`Fix`]. Rendering lives at the edges (the CLI, later the LSP); nothing here prints.

pub mod codes;
mod fix;
mod line_index;

pub use fix::{apply_edits, Applicability, Fix, TextEdit};
pub use line_index::{LineCol, LineIndex};
pub use text_size::{TextRange, TextSize};

use serde::Serialize;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The lowercase name used in every machine-readable output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info` (case-insensitive).
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" | "note" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// A secondary location that explains the primary one ("`(` opened here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub range: TextRange,
    pub message: String,
}

/// One finding about a piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code such as `KQL001` (syntax), `KQL2xx` (semantic) or a lint code.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Half-open byte range of the primary location; may be empty (a missing token).
    pub range: TextRange,
    /// The kebab-case rule name, for lint findings only.
    pub rule: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        range: TextRange,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            range,
            rule: None,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn error(code: impl Into<String>, message: impl Into<String>, range: TextRange) -> Self {
        Diagnostic::new(code, Severity::Error, message, range)
    }

    pub fn warning(code: impl Into<String>, message: impl Into<String>, range: TextRange) -> Self {
        Diagnostic::new(code, Severity::Warning, message, range)
    }

    pub fn with_label(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            range,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }

    /// The same diagnostic moved `offset` bytes later (used when a block of a larger file is
    /// parsed on its own).
    pub fn shifted(mut self, offset: TextSize) -> Self {
        self.range += offset;
        for l in &mut self.labels {
            l.range += offset;
        }
        if let Some(fix) = &mut self.fix {
            for e in &mut fix.edits {
                e.range += offset;
            }
        }
        self
    }
}
