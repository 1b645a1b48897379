//! The one error type of schema loading.

use std::fmt;
use std::path::PathBuf;

/// What went wrong while reading a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaErrorKind {
    /// The file could not be read.
    Io,
    /// The text is not well-formed JSON / TOML / Kusto schema text.
    Syntax,
    /// Well-formed, but wrong: unknown type name, missing field, duplicate column, bad time column.
    Invalid,
    /// The content matches none of the supported formats.
    UnknownFormat,
}

/// A schema file that could not be used, with where (file, 1-based line and column when known)
/// and why. Loading never panics; every problem ends up here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub kind: SchemaErrorKind,
    pub path: Option<PathBuf>,
    /// 1-based line, when the problem has a position.
    pub line: Option<usize>,
    /// 1-based column in characters, when the problem has a position.
    pub column: Option<usize>,
    pub message: String,
}

impl SchemaError {
    pub(crate) fn new(kind: SchemaErrorKind, message: impl Into<String>) -> Self {
        SchemaError {
            kind,
            path: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        SchemaError::new(SchemaErrorKind::Invalid, message)
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        if line > 0 {
            self.line = Some(line);
            self.column = Some(column.max(1));
        }
        self
    }

    pub(crate) fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// A serde_json error, keeping its position; syntax and data errors are told apart.
    pub(crate) fn from_json(e: serde_json::Error) -> Self {
        use serde_json::error::Category;
        let kind = match e.classify() {
            Category::Syntax | Category::Eof => SchemaErrorKind::Syntax,
            Category::Io => SchemaErrorKind::Io,
            Category::Data => SchemaErrorKind::Invalid,
        };
        // serde_json appends " at line L column C" to its Display; keep the bare message.
        let full = e.to_string();
        let msg = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        SchemaError::new(kind, msg).at(e.line(), e.column())
    }

    /// A toml error, turning its byte span into a line and column of `text`.
    pub(crate) fn from_toml(e: toml::de::Error, text: &str) -> Self {
        // toml does not say whether the text or the data was wrong; a document that parses as
        // plain TOML was well-formed, so the problem is in its data.
        let kind = if text.parse::<toml::Table>().is_err() {
            SchemaErrorKind::Syntax
        } else {
            SchemaErrorKind::Invalid
        };
        let err = SchemaError::new(kind, e.message().trim().to_string());
        match e.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                err.at(l, c)
            }
            None => err,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{}", p.display())?;
            if let (Some(l), Some(c)) = (self.line, self.column) {
                write!(f, ":{l}:{c}")?;
            }
            write!(f, ": ")?;
        } else if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "line {l}, column {c}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for SchemaError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (2, 4));
        assert_eq!(line_col(t, 8), (3, 1));
        assert_eq!(line_col(t, 100), (3, 2));
    }

    #[test]
    fn display_includes_location() {
        let e = SchemaError::invalid("boom").at(3, 7).with_path("x.json");
        assert_eq!(e.to_string(), "x.json:3:7: boom");
        assert_eq!(
            SchemaError::invalid("boom").at(1, 2).to_string(),
            "line 1, column 2: boom"
        );
        assert_eq!(SchemaError::invalid("boom").to_string(), "boom");
    }
}
