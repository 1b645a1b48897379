//! The `[format]` options of `kql.toml`. Few on purpose, as with `ruff format`: each option is a
//! layout that has to be kept working.

use serde::Deserialize;

/// How queries are laid out.
///
/// ```toml
/// [format]
/// indent-width = 4      # spaces per indentation level
/// line-width = 100      # lists and `and`/`or` chains longer than this are wrapped
/// pipe-style = "leading"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FormatOptions {
    pub indent_width: usize,
    pub line_width: usize,
    pub pipe_style: PipeStyle,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            indent_width: 4,
            line_width: 100,
            pipe_style: PipeStyle::Leading,
        }
    }
}

/// Where the `|` between tabular operators goes.
///
/// `Leading` (`| where ...` starting each line) is what Microsoft's documentation, the Advanced
/// Hunting query examples and Kusto's own formatter write; `Trailing` (`T |` at the end of the
/// line) exists for teams that prefer SQL-like layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PipeStyle {
    #[default]
    Leading,
    Trailing,
}
