//! Queries embedded in host files (Sentinel YAML, ARM JSON, Markdown fences), as the checking
//! commands see them: which queries a file holds, where their findings are in the host file, the
//! settings each query is linted with, and writing changed queries back.
//!
//! Extraction and the offset maps are kql-embed's; this module decides what the command line does
//! with them:
//! * A host file without a query is skipped silently (a detection repository has many YAML and
//!   JSON files that are not rules). A host file that cannot be parsed is reported (one finding
//!   with the parser's code, `EMB001`..`EMB003`, at the error's position) only when it was named
//!   on the command line or when its text names a configured key (`query:` in YAML, `"query"` in
//!   JSON): a folder walk does not report unrelated broken files.
//! * Every finding is moved to host positions: its range, its labels, and its fix, whose edits
//!   become host edits in host form (re-indented, re-escaped) computed by
//!   [`kql_embed::Embedded::replacement`]. A fix that the host form cannot represent is dropped
//!   from the finding (so nothing counts it as fixable) and the help says why.
//! * A query's settings are the file's, plus its Sentinel `queryPeriod` as the request window
//!   (like `--timespan`, which it overrides for that query: it is the window the rule runs over).
//!   A `queryPeriod` past retention is reported at the `queryPeriod` value, as
//!   `time-beyond-retention`.
//! * Written-back text keeps every byte outside the changed queries.

mod edits;

use kql_diagnostics::{Applicability, Diagnostic, Fix, LineIndex, TextEdit, TextRange, TextSize};
use kql_embed::{EmbedOptions, Embedded, HostKind};
use kql_lint::Settings;

use edits::QueryEdit;

use crate::files::Input;

/// The `[embedded]` keys of a configuration (the defaults without one).
pub fn options(config: Option<&kql_lint::Config>) -> EmbedOptions {
    match config {
        Some(c) => EmbedOptions {
            yaml_keys: c.embedded.yaml_keys(),
            json_keys: c.embedded.json_keys(),
            markdown_tags: c.embedded.markdown_tags(),
        },
        None => EmbedOptions::default(),
    }
}

/// What a file holds for the checking commands.
pub enum Queries {
    /// A query file (or standard input): the whole text is one query, positions are its own.
    Whole,
    /// A host file's queries, in host order (none: the file is skipped).
    Embedded(Vec<Embedded>),
    /// A host file that cannot be parsed: this finding instead of its queries.
    Broken(Diagnostic),
}

/// The queries of `input` (a query file's text is used as it is; an unreadable file is `Whole`,
/// its problem is reported by the caller).
pub fn queries(input: &Input, opts: &EmbedOptions) -> Queries {
    if input.kind == HostKind::Kql || input.problem.is_some() {
        return Queries::Whole;
    }
    // A folder walk meets many YAML/JSON files that are not rules (a 10 MB package-lock.json):
    // one that does not even contain a key or fence marker is not parsed.
    if !input.explicit && !may_hold_queries(input.kind, &input.text, opts) {
        return Queries::Embedded(Vec::new());
    }
    match kql_embed::extract(input.kind, &input.text, opts) {
        Ok(found) => Queries::Embedded(found),
        Err(e) if input.explicit || names_a_key(input.kind, &input.text, opts) => {
            let at = TextSize::from(e.offset.min(input.text.len()) as u32);
            let what = match input.kind {
                HostKind::Json => "JSON",
                HostKind::Markdown => "Markdown",
                _ => "YAML",
            };
            Queries::Broken(
                Diagnostic::error(e.code, e.message, TextRange::empty(at)).with_help(format!(
                    "the file is not valid {what}, so its queries were not checked"
                )),
            )
        }
        Err(_) => Queries::Embedded(Vec::new()),
    }
}

/// Whether a host text could hold a query at all: it contains a configured key (YAML, JSON) or a
/// fence marker (Markdown) somewhere.
fn may_hold_queries(kind: HostKind, text: &str, opts: &EmbedOptions) -> bool {
    match kind {
        HostKind::Yaml => opts.yaml_keys.iter().any(|k| text.contains(k.as_str())),
        HostKind::Json => opts.json_keys.iter().any(|k| text.contains(k.as_str())),
        HostKind::Markdown => {
            !opts.markdown_tags.is_empty() && (text.contains("```") || text.contains("~~~"))
        }
        HostKind::Kql => true,
    }
}

/// Whether a host text names one of the configured query keys: a YAML line starting with
/// `key:` (plain or quoted, also after `- `), or a JSON `"key"`.
fn names_a_key(kind: HostKind, text: &str, opts: &EmbedOptions) -> bool {
    match kind {
        HostKind::Yaml => text.lines().any(|line| {
            let t = line.trim_start_matches([' ', '\t']);
            let t = t.strip_prefix("- ").map_or(t, str::trim_start);
            opts.yaml_keys.iter().any(|k| {
                [format!("{k}:"), format!("\"{k}\":"), format!("'{k}':")]
                    .iter()
                    .any(|p| t.starts_with(p.as_str()))
            })
        }),
        HostKind::Json => opts
            .json_keys
            .iter()
            .any(|k| text.contains(&format!("\"{k}\""))),
        _ => false,
    }
}

pub(crate) fn text_range(r: std::ops::Range<usize>) -> TextRange {
    TextRange::new(TextSize::from(r.start as u32), TextSize::from(r.end as u32))
}

/// The host range of query range `r`.
pub fn range_to_host(e: &Embedded, r: TextRange) -> TextRange {
    text_range(e.range_to_host(usize::from(r.start())..usize::from(r.end())))
}

/// A host file's text and queries, with what reading it again takes (a write-back is checked
/// by extracting the queries from the result).
pub struct Host<'a> {
    /// The path as shown (for notes).
    pub path: &'a str,
    pub text: &'a str,
    pub kind: HostKind,
    pub opts: &'a EmbedOptions,
    pub queries: &'a [Embedded],
}

impl Host<'_> {
    /// `d`, a finding of query `i`, at host positions: range, labels and fix. A fix the host form
    /// cannot represent is removed and the help says why.
    pub fn diagnostic(&self, i: usize, d: Diagnostic) -> Diagnostic {
        self.diagnostic_noted(i, d).0
    }

    /// [`Host::diagnostic`], and when its fix was removed, the fix's applicability and a note
    /// (`path:line:column: ...`) saying why (for `--fix`, which skips it).
    pub fn diagnostic_noted(
        &self,
        i: usize,
        mut d: Diagnostic,
    ) -> (Diagnostic, Option<(Applicability, String)>) {
        let mut dropped = None;
        let e = &self.queries[i];
        d.range = range_to_host(e, d.range);
        for l in &mut d.labels {
            l.range = range_to_host(e, l.range);
        }
        if let Some(fix) = d.fix.take() {
            let edits: Vec<QueryEdit> = fix
                .edits
                .iter()
                .map(|t| QueryEdit {
                    range: usize::from(t.range.start())..usize::from(t.range.end()),
                    text: t.replacement.clone(),
                })
                .collect();
            let (new_query, _) = kql_diagnostics::apply_edits(&e.query, &fix.edits);
            match self.edits_for(i, &new_query, &edits) {
                Ok(host_edits) => {
                    let edits = host_edits
                        .into_iter()
                        .map(|h| TextEdit::replace(text_range(h.range), h.text))
                        .collect();
                    d.fix = Some(Fix { edits, ..fix });
                }
                Err(why) => {
                    let help = format!(
                        "fix not available in this file: {} cannot be written back ({why})",
                        fix.message
                    );
                    d.help = Some(match d.help.take() {
                        Some(h) => format!("{h}\n{help}"),
                        None => help,
                    });
                    let at = LineIndex::new(self.text).line_col(self.text, d.range.start());
                    let note = format!(
                        "{}:{}:{}: {} fix not applied ({}): {why}",
                        self.path, at.line, at.column, d.code, fix.message
                    );
                    dropped = Some((fix.applicability, note));
                }
            }
        }
        (d, dropped)
    }

    /// `host` with the changed queries written back, which changes were written (in order), and
    /// a note (`path:line: ...`) for each that the host form cannot represent (left as it was).
    pub fn write_back(&self, path: &str, changes: &[Change]) -> (String, Vec<bool>, Vec<String>) {
        let mut edits = Vec::new();
        let mut written = Vec::with_capacity(changes.len());
        let mut notes = Vec::new();
        for c in changes {
            let e = &self.queries[c.index];
            let diff = edits::diff(&e.query, &c.new_query);
            match self.edits_for(c.index, &c.new_query, &diff) {
                Ok(mut host_edits) => {
                    edits.append(&mut host_edits);
                    written.push(true);
                }
                Err(why) => {
                    let at = TextSize::from(e.host_range.start.min(self.text.len()) as u32);
                    let line = LineIndex::new(self.text).line_col(self.text, at).line;
                    notes.push(format!("{path}:{line}: {} left unchanged: {why}", e.label));
                    written.push(false);
                }
            }
        }
        let text = if edits.is_empty() {
            self.text.to_string()
        } else {
            kql_embed::apply_edits(self.text, edits)
        };
        (text, written, notes)
    }
}

/// One query's new text, to write back: the index of the query in [`Host::queries`].
pub struct Change {
    pub index: usize,
    pub new_query: String,
}

/// Sentinel's `queryPeriod` (`5m`, `1h`, `14d`, or ISO 8601 `P14D`/`PT5H`) as a request window;
/// `None` when it is not one of those forms.
pub fn query_period(text: &str) -> Option<kql_hunting_api::Timespan> {
    let t = text.trim();
    if t.starts_with(['P', 'p']) {
        return t.parse().ok();
    }
    let unit = t.chars().last()?;
    let n: u64 = t[..t.len() - unit.len_utf8()].parse().ok()?;
    let iso = match unit.to_ascii_lowercase() {
        'd' => format!("P{n}D"),
        'h' => format!("PT{n}H"),
        'm' => format!("PT{n}M"),
        's' => format!("PT{n}S"),
        _ => return None,
    };
    iso.parse().ok()
}

/// The settings `e`'s query is linted with: `base`, with its `queryPeriod` as the window.
pub fn query_settings(base: &Settings, e: &Embedded) -> Settings {
    let Some(v) = &e.metadata.query_period else {
        return base.clone();
    };
    match query_period(&v.text) {
        Some(ts) => base
            .clone()
            .with_window(&ts, v.text.trim())
            .unwrap_or_else(|_| base.clone()),
        None => base.clone(),
    }
}

/// The linter reports a request window past retention at the query's start; when the window is
/// the query's `queryPeriod`, the finding belongs at the `queryPeriod` value (host positions).
pub fn relocate_period(e: &Embedded, mut d: Diagnostic) -> Diagnostic {
    let Some(v) = &e.metadata.query_period else {
        return d;
    };
    let prefix = format!("request timespan `{}`", v.text.trim());
    if d.rule.as_deref() == Some("time-beyond-retention") && d.message.starts_with(&prefix) {
        d.message = d
            .message
            .replacen(&prefix, &format!("queryPeriod `{}`", v.text.trim()), 1);
        d.range = text_range(v.range.clone());
        d.help = Some(
            "the rule runs over this window, but Advanced Hunting returns only the days it keeps; shorten queryPeriod"
                .into(),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_periods() {
        let now = kql_hunting_api::UtcDateTime::from_unix_ticks(0).unwrap();
        let days = |t: &str| {
            let ts = query_period(t).unwrap();
            ts.lookback(now).unwrap().as_secs() / 3600
        };
        assert_eq!(days("14d"), 14 * 24);
        assert_eq!(days("1h"), 1);
        assert_eq!(days("P45D"), 45 * 24);
        assert_eq!(days("PT5H"), 5);
        assert!(query_period("5m").is_some());
        assert!(query_period("fortnight").is_none());
        assert!(query_period("").is_none());
        assert!(query_period("d").is_none());
    }

    #[test]
    fn hosts_without_a_key_or_fence_are_not_parsed() {
        let opts = EmbedOptions::default();
        assert!(!may_hold_queries(HostKind::Json, "{\"name\": 1}", &opts));
        assert!(may_hold_queries(
            HostKind::Json,
            "{\"query\": \"T\"}",
            &opts
        ));
        assert!(!may_hold_queries(HostKind::Yaml, "on: push\n", &opts));
        assert!(may_hold_queries(
            HostKind::Markdown,
            "~~~kql\nT\n~~~\n",
            &opts
        ));
        assert!(!may_hold_queries(HostKind::Markdown, "# Notes\n", &opts));
    }

    #[test]
    fn keys_are_recognised_in_broken_hosts() {
        let opts = EmbedOptions::default();
        assert!(names_a_key(HostKind::Yaml, "name: x\n\tquery: |\n", &opts));
        assert!(names_a_key(HostKind::Yaml, "- query: T\n", &opts));
        assert!(!names_a_key(HostKind::Yaml, "queries: 3\n", &opts));
        assert!(names_a_key(HostKind::Json, "{\"query\": ", &opts));
        assert!(!names_a_key(HostKind::Json, "{\"name\": ", &opts));
    }
}
