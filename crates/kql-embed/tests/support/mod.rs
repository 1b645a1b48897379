//! What the host tests share: extracting with the default options, the host text a part of a
//! query maps to, the row-table check, and replacing a query with the checks every edit must pass.
// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use kql_embed::{apply_edits, extract, EmbedOptions, Embedded, HostKind};

/// Every query of `host`, read with the default options.
pub fn all(kind: HostKind, host: &str) -> Vec<Embedded> {
    extract(kind, host, &EmbedOptions::default()).expect("host reads")
}

/// The one query of `host`.
pub fn one(kind: HostKind, host: &str) -> Embedded {
    let mut v = all(kind, host);
    assert_eq!(v.len(), 1, "{host:?}: {v:?}");
    v.remove(0)
}

/// The host text at the mapped range of the first occurrence of `needle` in the query.
pub fn host_of<'h>(host: &'h str, e: &Embedded, needle: &str) -> &'h str {
    let at = e.query.find(needle).expect("needle in query");
    &host[e.range_to_host(at..at + needle.len())]
}

/// Replaces query `index` of `host` with `new` and returns the host after the edit; an error
/// when the query cannot be written, or the edit changed more than its own range, or the query
/// does not read back as `new`.
pub fn try_rewrite(kind: HostKind, host: &str, index: usize, new: &str) -> Result<String, String> {
    let e = &all(kind, host)[index];
    let edit = e.replacement(host, new).map_err(|e| e.reason)?;
    // A Markdown fence may grow, so only there may an edit start before the query's value.
    if kind != HostKind::Markdown && edit.range.start < e.host_range.start {
        return Err(format!("{edit:?} starts before the value"));
    }
    let out = apply_edits(host, vec![edit.clone()]);
    let end = edit.range.start + edit.text.len();
    if out[..edit.range.start] != host[..edit.range.start] || out[end..] != host[edit.range.end..] {
        return Err(format!("{out:?} changed more than {edit:?}"));
    }
    let again =
        extract(kind, &out, &EmbedOptions::default()).map_err(|e| format!("{out:?}: {e:?}"))?;
    match again.get(index) {
        Some(a) if a.query == new => Ok(out),
        other => Err(format!("{out:?} reads back as {other:?}")),
    }
}

/// [`try_rewrite`], failing the test on an error.
pub fn rewrite(kind: HostKind, host: &str, index: usize, new: &str) -> String {
    try_rewrite(kind, host, index, new).unwrap_or_else(|e| panic!("{host:?} with {new:?}: {e}"))
}

/// Runs `check` on every row and fails naming each row whose check returned an error.
pub fn check_rows<R: std::fmt::Debug>(rows: &[R], check: impl Fn(&R) -> Result<(), String>) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| check(r).err().map(|e| format!("{r:?}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `Ok` when `got` is `want`, else an error saying both.
pub fn same<T: PartialEq + std::fmt::Debug>(got: T, want: T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("want {want:?}, got {got:?}"))
    }
}
