//! The canonical layout of KQL queries, as printed by `kql fmt`.
//!
//! ```
//! let out = kql_fmt::format_text("T|where a>1|project a,b", &Default::default()).unwrap();
//! assert_eq!(out, "T\n| where a > 1\n| project a, b\n");
//! ```
//!
//! * **Meaning never changes.** Only whitespace between tokens is rewritten: every result is
//!   checked to have the input's tokens, comments included, in the same order (otherwise the
//!   text is refused with an error rather than changed).
//! * **Text with syntax errors is not formatted** ([`FormatError`] holds the first error), as
//!   with `ruff format`: a broken tree has no reliable layout.
//! * **Comments stay where they were written**: a comment at the end of a line stays at the end
//!   of that token's line; a comment on its own line stays on its own line before the same token.
//!   Blank lines are kept (at most one) between statements and between the operators of a
//!   pipeline, and nowhere else; none is ever added inside a query.
//! * Layout: see the README's `kql fmt` section, which lists each rule and the differences from
//!   Kusto's own formatter.
//!
//! The `[format]` table of `kql.toml` deserializes into [`FormatOptions`]; `kql-lint`'s `Config`
//! carries that table unread, so the linter does not depend on this crate.

mod doc;
mod layout;
mod options;
mod range;
mod spacing;
mod trivia;
mod verify;

pub use options::{FormatOptions, PipeStyle};
pub use range::{format_range, format_range_blocks};

use kql_syntax::{Parse, Severity, TextRange, TextSize};

/// Why a text was not formatted: its first syntax error (or, should the formatter ever fail to
/// keep the tokens, a message saying so, with the whole text as range).
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
    format_parse(text, &kql_syntax::parse(text), options)
}

/// Formats each blank-line-separated block on its own, as Kusto's editors see a file of several
/// queries; blocks are separated by one blank line. An error's range is in `text`.
pub fn format_blocks(text: &str, options: &FormatOptions) -> Result<String, FormatError> {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for range in kql_syntax::block_ranges(text) {
        let block = &text[range];
        let formatted = format_text(block, options).map_err(|e| FormatError {
            range: e.range + range.start(),
            ..e
        })?;
        if !out.is_empty() && !formatted.is_empty() {
            out.push('\n');
        }
        out.push_str(&formatted);
    }
    Ok(out)
}

/// Formats an already parsed text (`parse` must be `kql_syntax::parse(text)`).
pub(crate) fn format_parse(
    text: &str,
    parse: &Parse,
    options: &FormatOptions,
) -> Result<String, FormatError> {
    if let Some(d) = parse
        .diagnostics()
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        return Err(FormatError {
            message: d.message.clone(),
            range: d.range,
        });
    }
    let root = parse.syntax();
    let mut layout = layout::Layout::new(text, options);
    layout.root(&root);
    // A file written with Windows line ends keeps them.
    let eol = match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    let out = doc::print(
        &layout.pieces,
        options.indent_width,
        options.line_width,
        eol,
    );
    if layout.out_of_order || !verify::output_matches(&layout.pieces, &out) {
        return Err(FormatError {
            message: "kql-fmt could not lay out this text without changing its tokens (a bug in \
                      kql-fmt; the text is left as it is)"
                .to_string(),
            range: TextRange::new(TextSize::from(0), TextSize::of(text)),
        });
    }
    Ok(out)
}
