//! The canonical layout of KQL queries.
//!
//! ```
//! let out = kql_fmt::format_text("T|where a>1|project a,b", &Default::default()).unwrap();
//! assert_eq!(out, "T\n| where a > 1\n| project a, b\n");
//! ```

mod options;

pub use options::{FormatOptions, PipeStyle};

use kql_diagnostics::TextEdit;
use kql_syntax::TextRange;

/// Why a text was not formatted: its first syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub message: String,
    pub range: TextRange,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormatError {}

/// Formats the whole text as one query (what the hunting API receives).
pub fn format_text(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    let _ = options;
    Ok(text.to_string())
}

/// Formats each blank-line-separated block on its own (Kusto's editors' view of a file).
pub fn format_blocks(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    let _ = options;
    Ok(text.to_string())
}

/// Formats the smallest enclosing statement(s) covering `range`; edits against `text`.
pub fn format_range(
    text: &str,
    range: TextRange,
    options: &FormatOptions,
) -> Result<Vec<TextEdit>, FormatError> {
    let _ = (text, range, options);
    Ok(Vec::new())
}
