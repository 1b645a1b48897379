//! Baselines for gradual adoption: `kql lint --write-baseline FILE` records today's findings,
//! `kql lint --baseline FILE` reports only the others and lists the entries that no longer match.
//!
//! A finding is identified by its code, its file (relative to the baseline file's folder, with
//! `/` separators), a fingerprint of the text it covers and an occurrence index — never by its
//! line, so adding lines above a finding (or re-laying out the query with `kql fmt`) does not
//! bring it back:
//!
//! * **fingerprint**: FNV-1a (64 bits, 16 hex digits) of the covered text with every whitespace
//!   character removed (layout, YAML indentation and line ends do not count). A finding that
//!   covers no text (a zero-width range, or only whitespace) is fingerprinted by the text of the
//!   line it starts on instead. The message is not part of it: messages may name dates that
//!   depend on "now".
//! * **context**: the same hash of the whole lines the finding touches. Many findings cover a
//!   keyword (`contains`) that recurs; the context tells which one is new.
//! * **occurrence**: among findings with the same code, file, fingerprint and context, their
//!   index in position order (0, 1, ...).
//!
//! Matching runs in two passes: first on all four, then, for the findings and entries left, on
//! code, file and fingerprint alone, in position order. So a new `contains` on a line of its own
//! is reported where it is, while a finding whose line was re-laid out (`kql fmt`) or edited
//! around it still matches its entry. A third identical finding where the baseline holds two is
//! reported.
//!
//! Findings in queries embedded in a host file (YAML, Markdown, JSON) are identified the same way:
//! the file is the host file, the fingerprint is of the text the finding covers.
//!
//! The file is pretty JSON with one entry a line, sorted by file, code, fingerprint, context and
//! occurrence, so the same findings always give the same bytes and a review diff shows one line
//! per finding added or fixed:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"file": "rules/logons.kql", "code": "AH001", "rule": "time-beyond-retention", "fingerprint": "a3c0e1d24b6f7789", "context": "0d1f4a5e1f0b9c27", "occurrence": 0, "text": "| where Timestamp > ago(90d)"}
//!   ]
//! }
//! ```
//!
//! `rule` and `text` (the finding's lines, whitespace collapsed, cut at 80 characters) are there
//! for reviewers; matching ignores them. A file with another `version` is refused.
//!
//! The same identity (fingerprint, context, occurrence: [`identities`]) is each SARIF result's
//! `partialFingerprints`, so code scanning too keeps one alert for a finding after edits around it.
//!
//! An entry is *stale* when its file was linted in this run and no finding matched it, or when
//! its file no longer exists. Stale entries are listed on standard error and do not change the
//! exit status: fixing an old finding must never fail a CI job. New findings decide the status,
//! as usual (`--fail-on`).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

use kql_diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::common::CommonArgs;
use crate::{CliError, FileReport};

/// The format version this build reads and writes.
pub const VERSION: u32 = 1;

/// Characters of covered text kept in an entry's `text`.
const EXCERPT: usize = 80;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub file: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub fingerprint: String,
    pub context: String,
    pub occurrence: u32,
    #[serde(default)]
    pub text: String,
}

impl Entry {
    /// What identifies the finding (`rule` and `text` are for people).
    fn key(&self) -> Key {
        Key {
            file: self.file.clone(),
            code: self.code.clone(),
            fingerprint: self.fingerprint.clone(),
            context: self.context.clone(),
            occurrence: self.occurrence,
        }
    }
}

/// A finding's identity; the derived order is the file's entry order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    file: String,
    code: String,
    fingerprint: String,
    context: String,
    occurrence: u32,
}

impl Key {
    /// What the second matching pass compares.
    fn loose(&self) -> (&str, &str, &str) {
        (&self.file, &self.code, &self.fingerprint)
    }
}

#[derive(Deserialize)]
struct File {
    version: u32,
    #[serde(default)]
    findings: Vec<Entry>,
}

/// A loaded baseline.
pub struct Baseline {
    /// The folder entries' paths are relative to.
    dir: PathBuf,
    entries: Vec<Entry>,
}

/// What applying a baseline did.
pub struct Outcome {
    /// Findings removed from the reports.
    pub suppressed: usize,
    /// Entries that no longer match, sorted.
    pub stale: Vec<Entry>,
}

impl Baseline {
    /// Reads `path`; a missing or malformed file is a usage error (exit status 2).
    pub fn load(path: &Path) -> Result<Baseline, CliError> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::Usage(format!(
                "cannot read baseline `{shown}`: {e} (create it with --write-baseline)"
            ))
        })?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| CliError::Usage(format!("baseline `{shown}` is not valid: {e}")))?;
        if file.version != VERSION {
            return Err(CliError::Usage(format!(
                "baseline `{shown}` has version {}; this kql reads version {VERSION}",
                file.version
            )));
        }
        Ok(Baseline {
            dir: folder_of(path)?,
            entries: file.findings,
        })
    }

    /// Removes the findings the baseline holds from `reports` (marking each report as compared,
    /// so what it keeps is new) and finds the stale entries.
    pub fn apply(&self, reports: &mut [FileReport]) -> Outcome {
        let mut remaining: BTreeSet<Key> = self.entries.iter().map(Entry::key).collect();
        let mut suppressed = 0;
        let mut linted = HashSet::new();
        for report in reports.iter_mut() {
            let file = relative_name(&self.dir, &report.path);
            let keys = keys(&file, report);
            linted.insert(file);
            report.compared_to_baseline = true;
            // Pass 1: exact identity. Pass 2: the findings left, in position order, take the
            // first entry left with the same code, file and fingerprint.
            let mut known: Vec<bool> = keys.iter().map(|k| remaining.remove(k)).collect();
            for (k, known) in keys.iter().zip(known.iter_mut()).filter(|(_, m)| !**m) {
                // Keys sort by file, code, fingerprint first: the first key at or after this
                // prefix is the one to take, if it has the same prefix.
                let from = Key {
                    context: String::new(),
                    occurrence: 0,
                    ..k.clone()
                };
                let loose = remaining
                    .range(from..)
                    .next()
                    .filter(|e| e.loose() == k.loose())
                    .cloned();
                if let Some(entry) = loose {
                    remaining.remove(&entry);
                    *known = true;
                }
            }
            suppressed += known.iter().filter(|m| **m).count();
            let mut known = known.into_iter();
            report
                .diagnostics
                .retain(|_| !known.next().expect("one flag a finding"));
        }
        let mut stale: Vec<Entry> = self
            .entries
            .iter()
            .filter(|e| remaining.contains(&e.key()))
            .filter(|e| linted.contains(&e.file) || !self.dir.join(&e.file).exists())
            .cloned()
            .collect();
        stale.sort();
        stale.dedup();
        Outcome { suppressed, stale }
    }
}

/// Writes every finding of `reports` to `path` as a baseline; returns the number of entries.
pub fn write(path: &Path, reports: &[FileReport]) -> Result<usize, CliError> {
    let dir = folder_of(path)?;
    let mut entries = Vec::new();
    for report in reports {
        let file = relative_name(&dir, &report.path);
        for (d, k) in report.diagnostics.iter().zip(keys(&file, report)) {
            entries.push(Entry {
                file: k.file,
                code: k.code,
                rule: d.rule.clone(),
                fingerprint: k.fingerprint,
                context: k.context,
                occurrence: k.occurrence,
                text: excerpt(&report.text, d),
            });
        }
    }
    let n = entries.len();
    let text = render(entries);
    std::fs::write(path, text)
        .map_err(|e| CliError::Usage(format!("cannot write `{}`: {e}", path.display())))?;
    Ok(n)
}

/// The baseline file's text: sorted entries, one a line.
pub fn render(mut entries: Vec<Entry>) -> String {
    entries.sort();
    entries.dedup();
    let mut out = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
    for (i, e) in entries.iter().enumerate() {
        let line = serde_json::to_string(e).expect("an entry serializes");
        // `{"file":"a",...}` as `{"file": "a", ...}`: the spacing of the rest of the file.
        let line = spaced(&line);
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(&line);
    }
    out.push_str(if entries.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

/// A note for standard error about stale entries (empty when there are none).
pub fn stale_note(baseline: &Path, stale: &[Entry]) -> String {
    if stale.is_empty() {
        return String::new();
    }
    let n = stale.len();
    let mut out = format!(
        "kql: note: {n} baseline entr{} in `{}` no longer match{} (fixed, or the text changed); \
run `kql lint --write-baseline {}` to drop {}:\n",
        if n == 1 { "y" } else { "ies" },
        baseline.display(),
        if n == 1 { "es" } else { "" },
        baseline.display(),
        if n == 1 { "it" } else { "them" },
    );
    for e in stale {
        let name = e
            .rule
            .as_deref()
            .map(|r| format!(" {r}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}: {}{name} #{} `{}`\n",
            e.file, e.code, e.occurrence, e.text
        ));
    }
    out
}

/// `--baseline`: removes the baselined findings from `reports`, then notes on standard error
/// (unless `--silent`) how many were hidden (human formats, unless `--quiet`) and which entries
/// are stale.
pub fn apply_and_note(
    baseline: &Baseline,
    path: &Path,
    reports: &mut [FileReport],
    common: &CommonArgs,
) {
    let outcome = baseline.apply(reports);
    if common.silent {
        return;
    }
    if outcome.suppressed > 0 && common.output_format.is_human() && !common.quiet {
        let n = outcome.suppressed;
        eprintln!(
            "kql: {n} finding{} in baseline `{}` not shown",
            if n == 1 { "" } else { "s" },
            path.display()
        );
    }
    eprint!("{}", stale_note(path, &outcome.stale));
}

/// `--write-baseline`: writes the findings of `reports` to `path` and says so on standard error
/// (unless `--silent`). The run succeeds: the findings are accepted.
pub fn write_and_note(
    path: &Path,
    reports: &[FileReport],
    common: &CommonArgs,
) -> Result<std::process::ExitCode, CliError> {
    let n = write(path, reports)?;
    if !common.silent {
        eprintln!(
            "kql: wrote {n} finding{} to baseline `{}`",
            if n == 1 { "" } else { "s" },
            path.display()
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// The identity of each finding of `report`, in its order (reports are sorted by position, so
/// occurrence indexes count in position order).
fn keys(file: &str, report: &FileReport) -> Vec<Key> {
    let mut seen: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let fp = fingerprint(covered(&report.text, d));
            let context = fingerprint(lines_of(&report.text, d));
            let n = seen
                .entry((d.code.clone(), fp.clone(), context.clone()))
                .or_insert(0);
            let key = Key {
                file: file.to_string(),
                code: d.code.clone(),
                fingerprint: fp,
                context,
                occurrence: *n,
            };
            *n += 1;
            key
        })
        .collect()
}

/// Each finding's identity in `report` as one string, `fingerprint:context:occurrence` (the
/// file and code are the SARIF result's own location and rule), in the report's order.
pub(crate) fn identities(report: &FileReport) -> Vec<String> {
    keys(&report.path, report)
        .into_iter()
        .map(|k| format!("{}:{}:{}", k.fingerprint, k.context, k.occurrence))
        .collect()
}

/// The whole lines `d`'s range touches.
fn lines_of<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    let start = floor(text, usize::from(d.range.start()));
    let end = floor(text, usize::from(d.range.end())).max(start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    &text[line_start..line_end]
}

/// The text `d` covers, or the text of its line when it covers nothing but whitespace.
fn covered<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    let start = floor(text, usize::from(d.range.start()));
    let end = floor(text, usize::from(d.range.end())).max(start);
    let inside = &text[start..end];
    if !inside.trim().is_empty() {
        return inside;
    }
    lines_of(text, d)
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// FNV-1a, 64 bits, of `text` without whitespace, as 16 hex digits.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        for b in c.encode_utf8(&mut buf).bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// A finding's lines for people, whitespace runs as one space: all of them when short, else
/// [`EXCERPT`] characters from a little before the finding (a JSON host holds a whole query on
/// one line), with `…` where cut.
fn excerpt(text: &str, d: &Diagnostic) -> String {
    let lines = lines_of(text, d);
    let lines_start = lines.as_ptr() as usize - text.as_ptr() as usize;
    let at = floor(text, usize::from(d.range.start())).max(lines_start) - lines_start;
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let all = collapse(lines);
    if all.chars().count() <= EXCERPT {
        return all;
    }
    let before: Vec<char> = collapse(&lines[..at]).chars().collect();
    let lead = before.len().saturating_sub(EXCERPT / 4);
    let mut out = String::new();
    if lead > 0 {
        out.push('…');
    }
    out.extend(all.chars().skip(lead).take(EXCERPT - 2));
    if all.chars().count() > lead + EXCERPT - 2 {
        out.push('…');
    }
    out
}

/// `{"a":1,"b":"x"}` → `{"a": 1, "b": "x"}` (outside strings only).
fn spaced(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        out.push(c);
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ':' || c == ',' {
            out.push(' ');
        }
    }
    out
}

/// The absolute folder holding `file` (symbolic links in it resolved).
fn folder_of(file: &Path) -> Result<PathBuf, CliError> {
    let cwd = std::env::current_dir()?;
    let parent = cwd.join(file);
    let parent = parent.parent().unwrap_or(&cwd);
    std::fs::canonicalize(parent).map_err(|e| {
        CliError::Usage(format!(
            "cannot use baseline `{}`: its folder: {e}",
            file.display()
        ))
    })
}

/// A report's path as stored in the baseline: relative to `dir`, `/`-separated. Standard input
/// without `--stdin-filename` is `-`.
fn relative_name(dir: &Path, shown: &str) -> String {
    if shown == "-" {
        return shown.to_string();
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = normalize(&cwd.join(shown));
    // Resolve links in the folder, not in the file name (a linked file keeps its own name).
    let abs = match (abs.parent(), abs.file_name()) {
        (Some(p), Some(name)) => std::fs::canonicalize(p)
            .map(|p| p.join(name))
            .unwrap_or(abs.clone()),
        _ => abs,
    };
    let (a, b): (Vec<Component>, Vec<Component>) =
        (dir.components().collect(), abs.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `a/./b/../c` → `a/c`, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kql_diagnostics::TextRange;

    #[test]
    fn fingerprint_ignores_layout_only() {
        assert_eq!(fingerprint("ago( 90d )"), fingerprint("ago(90d)"));
        assert_eq!(
            fingerprint("a\n    | where x"),
            fingerprint("a\r\n| where x")
        );
        assert_ne!(fingerprint("ago(90d)"), fingerprint("ago(60d)"));
        // Known FNV-1a 64 values: the empty text is the offset basis; "a" is published.
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn render_is_sorted_one_entry_a_line_and_parses_back() {
        let e = |file: &str, code: &str, occurrence| Entry {
            file: file.into(),
            code: code.into(),
            rule: Some("r".into()),
            fingerprint: "00".into(),
            context: "11".into(),
            occurrence,
            text: "say \"hi\", ok: yes".into(),
        };
        let text = render(vec![
            e("b.kql", "AH1", 0),
            e("a.kql", "AH2", 1),
            e("a.kql", "AH2", 0),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8, "{text}");
        assert!(lines[3].starts_with("    {\"file\": \"a.kql\", \"code\": \"AH2\""));
        assert!(lines[3].contains("\"occurrence\": 0"));
        assert!(lines[5].contains("b.kql"));
        let back: File = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back.findings[0].text, "say \"hi\", ok: yes");
        assert_eq!(
            render(Vec::new()),
            "{\n  \"version\": 1,\n  \"findings\": []\n}\n"
        );
    }

    #[test]
    fn excerpt_collapses_whitespace_and_cuts_long_lines_around_the_finding() {
        let at = |text: &str, a: u32, b: u32| {
            let d = Diagnostic::warning("AH1", "m", TextRange::new(a.into(), b.into()));
            excerpt(text, &d)
        };
        assert_eq!(at("T\n| where  x\n| take 1", 10, 11), "| where x");
        let long = format!("{}needle{}", "a ".repeat(100), "b ".repeat(100));
        let cut = at(&long, 200, 206);
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(cut.contains("needle"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT, "{cut}");
    }

    #[test]
    fn relative_names_use_slashes_and_climb_when_needed() {
        let dir = std::env::current_dir().expect("cwd");
        let dir = std::fs::canonicalize(dir).expect("canonical");
        assert_eq!(relative_name(&dir, "src/x.kql"), "src/x.kql");
        assert_eq!(relative_name(&dir, "./src/../y.kql"), "y.kql");
        assert_eq!(relative_name(&dir.join("sub"), "z.kql"), "../z.kql");
        assert_eq!(relative_name(&dir, "-"), "-");
    }
}
