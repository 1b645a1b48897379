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

use kql_diagnostics::{Diagnostic, Fix, LineIndex, TextEdit, TextRange, TextSize};
use kql_embed::{EmbedOptions, Embedded, HostEdit, HostKind};
use kql_lint::Settings;

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

impl Queries {
    /// Whether the file has nothing to check and nothing to report (a host without queries).
    pub fn is_empty(&self) -> bool {
        matches!(self, Queries::Embedded(q) if q.is_empty())
    }
}

/// The queries of `input` (a query file's text is used as it is; an unreadable file is `Whole`,
/// its problem is reported by the caller).
pub fn queries(input: &Input, opts: &EmbedOptions) -> Queries {
    if input.kind == HostKind::Kql || input.problem.is_some() {
        return Queries::Whole;
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

fn text_range(r: std::ops::Range<usize>) -> TextRange {
    TextRange::new(TextSize::from(r.start as u32), TextSize::from(r.end as u32))
}

/// The host range of query range `r`.
pub fn range_to_host(e: &Embedded, r: TextRange) -> TextRange {
    text_range(e.range_to_host(usize::from(r.start())..usize::from(r.end())))
}

/// `d` (positions in `e`'s query) at host positions: range, labels and fix. A fix the host form
/// cannot represent is removed and the help says why.
pub fn to_host(e: &Embedded, host: &str, mut d: Diagnostic) -> Diagnostic {
    d.range = range_to_host(e, d.range);
    for l in &mut d.labels {
        l.range = range_to_host(e, l.range);
    }
    if let Some(fix) = d.fix.take() {
        match fix_to_host(e, host, &fix) {
            Ok(edits) => d.fix = Some(Fix { edits, ..fix }),
            Err(why) => {
                let note = format!(
                    "fix not available in this file: {} cannot be written back ({why})",
                    fix.message
                );
                d.help = Some(match d.help.take() {
                    Some(h) => format!("{h}\n{note}"),
                    None => note,
                });
            }
        }
    }
    d
}

/// Each edit of `fix` as the smallest host edit that makes the same change in host form.
fn fix_to_host(
    e: &Embedded,
    host: &str,
    fix: &Fix,
) -> Result<Vec<TextEdit>, kql_embed::Unrepresentable> {
    let mut out = Vec::with_capacity(fix.edits.len());
    for edit in &fix.edits {
        let (new_query, _) = kql_diagnostics::apply_edits(&e.query, std::slice::from_ref(edit));
        let whole = e.replacement(host, &new_query)?;
        let keep = e.range_to_host(usize::from(edit.range.start())..usize::from(edit.range.end()));
        let small = minimal(host, whole, keep);
        out.push(TextEdit::replace(text_range(small.range), small.text));
    }
    Ok(out)
}

/// `edit` without the bytes it leaves as they are at either end (on character boundaries), but
/// still covering `keep` (the host bytes of the query edit, so `contains` -> `has` stays that
/// rather than `contain` -> `ha`).
fn minimal(host: &str, edit: HostEdit, keep: std::ops::Range<usize>) -> HostEdit {
    let old = &host[edit.range.clone()];
    let new = edit.text.as_str();
    let max_pre = keep.start.saturating_sub(edit.range.start);
    let mut pre = old
        .bytes()
        .zip(new.bytes())
        .take(max_pre)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(pre) || !new.is_char_boundary(pre) {
        pre -= 1;
    }
    let max_suf = (old.len().min(new.len()) - pre).min(edit.range.end.saturating_sub(keep.end));
    let mut suf = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suf)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suf) || !new.is_char_boundary(new.len() - suf) {
        suf -= 1;
    }
    HostEdit {
        range: edit.range.start + pre..edit.range.end - suf,
        text: new[pre..new.len() - suf].to_string(),
    }
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

/// One query's new text, to write back.
pub struct Change<'a> {
    pub query: &'a Embedded,
    pub new_query: String,
}

/// `host` with the changed queries written back, which changes were written (by index), and a
/// note (`path:line: ...`) for each that the host form cannot represent (left as it was).
pub fn write_back(host: &str, path: &str, changes: &[Change]) -> (String, Vec<bool>, Vec<String>) {
    let mut edits = Vec::new();
    let mut written = Vec::with_capacity(changes.len());
    let mut notes = Vec::new();
    let mut lines: Option<LineIndex> = None;
    for c in changes {
        match c.query.replacement(host, &c.new_query) {
            Ok(edit) => {
                edits.push(edit);
                written.push(true);
            }
            Err(why) => {
                let index = lines.get_or_insert_with(|| LineIndex::new(host));
                let at = TextSize::from(c.query.host_range.start.min(host.len()) as u32);
                let line = index.line_col(host, at).line;
                notes.push(format!(
                    "{path}:{line}: {} left unchanged: {why}",
                    c.query.label
                ));
                written.push(false);
            }
        }
    }
    let text = if edits.is_empty() {
        host.to_string()
    } else {
        kql_embed::apply_edits(host, edits)
    };
    (text, written, notes)
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
    fn minimal_edits_keep_unchanged_ends() {
        let edit = |range, text: &str| HostEdit {
            range,
            text: text.into(),
        };
        let e = minimal("a: x == y\n", edit(3..9, "x =~ y"), 6..7);
        assert_eq!((e.range, e.text.as_str()), (6..7, "~"));
        let e = minimal("a: x contains y", edit(3..15, "x has y"), 5..13);
        assert_eq!((e.range, e.text.as_str()), (5..13, "has"));
        let e = minimal("é", edit(0..2, "è"), 0..2);
        assert_eq!((e.range, e.text.as_str()), (0..2, "è"));
        let e = minimal("aa", edit(0..2, "aaa"), 2..2);
        assert_eq!((e.range, e.text.as_str()), (2..2, "a"));
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
