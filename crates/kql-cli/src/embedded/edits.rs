//! Host edits for a changed query, as small as the host form allows.
//!
//! kql-embed's [`Embedded::replacement`] rewrites a query's whole value in host form (a JSON
//! string re-escaped, a block scalar re-indented); applied as it is, it would also rewrite what
//! did not change (`\u0070` becoming `p`). So each change is tried three ways, and the first whose
//! result reads back (extracting the queries again) as exactly the new query wins:
//! 1. *verbatim*: each query edit on one line, whose host bytes are the query's bytes, is made
//!    at the same host bytes (what a rename or `kind=` insertion usually is), first as given,
//!    then as a byte diff of the old and new query (smaller edits that miss escaped quotes);
//! 2. *per edit*: each query edit through `replacement`, trimmed to the bytes it changes;
//! 3. *whole*: `replacement` of the whole value.
//!
//! The read-back check costs an extraction of the host per attempt; it runs only for findings
//! with fixes and for queries that `--fix` or `fmt` change.

use std::ops::Range;

use kql_embed::{Embedded, HostEdit, Unrepresentable};

use super::Host;

/// A change to query text: replace query bytes `range` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryEdit {
    pub range: Range<usize>,
    pub text: String,
}

/// The edits that turn `old` into `new`: a byte-level diff, grouped, on character boundaries.
pub fn diff(old: &str, new: &str) -> Vec<QueryEdit> {
    use similar::{Algorithm, DiffTag};
    let ops = similar::capture_diff_slices(Algorithm::Myers, old.as_bytes(), new.as_bytes());
    let mut spans: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for op in ops {
        let (tag, mut o, mut n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        // The bytes around a change are equal in both texts, so both sides widen alike.
        while !old.is_char_boundary(o.start) || !new.is_char_boundary(n.start) {
            o.start -= 1;
            n.start -= 1;
        }
        while !old.is_char_boundary(o.end) || !new.is_char_boundary(n.end) {
            o.end += 1;
            n.end += 1;
        }
        match spans.last_mut() {
            Some((lo, ln)) if o.start <= lo.end => {
                lo.end = lo.end.max(o.end);
                ln.end = ln.end.max(n.end);
            }
            _ => spans.push((o, n)),
        }
    }
    spans
        .into_iter()
        .map(|(o, n)| QueryEdit {
            range: o,
            text: new[n].to_string(),
        })
        .collect()
}

impl Host<'_> {
    /// Host edits that make query `i` read `new_query` (reached from the query by `edits`).
    pub(super) fn edits_for(
        &self,
        i: usize,
        new_query: &str,
        edits: &[QueryEdit],
    ) -> Result<Vec<HostEdit>, Unrepresentable> {
        let e = &self.queries[i];
        // The edits as given, then the byte diff (`tolower(A) == 'x'` -> `A =~ 'x'` as three
        // small edits that avoid the quotes a host form may escape).
        let first = verbatim(self.text, e, edits);
        if let Some(v) = first.filter(|v| self.reads_back(i, new_query, v)) {
            return Ok(v);
        }
        let diffed = diff(&e.query, new_query);
        if diffed.as_slice() != edits {
            if let Some(v) = verbatim(self.text, e, &diffed) {
                if self.reads_back(i, new_query, &v) {
                    return Ok(v);
                }
            }
        }
        let per_edit: Result<Vec<HostEdit>, Unrepresentable> = edits
            .iter()
            .map(|edit| {
                let mut one = e.query.clone();
                one.replace_range(edit.range.clone(), &edit.text);
                let whole = e.replacement(self.text, &one)?;
                Ok(minimal(
                    self.text,
                    whole,
                    e.range_to_host(edit.range.clone()),
                ))
            })
            .collect();
        let per_edit = per_edit?;
        if !overlapping(&per_edit) && self.reads_back(i, new_query, &per_edit) {
            return Ok(per_edit);
        }
        let whole = vec![e.replacement(self.text, new_query)?];
        if self.reads_back(i, new_query, &whole) {
            return Ok(whole);
        }
        Err(Unrepresentable {
            reason: "the host file would not read back as the new query".into(),
        })
    }

    /// Whether the host with `edits` applied holds the same queries, query `i` reading `new`.
    fn reads_back(&self, i: usize, new: &str, edits: &[HostEdit]) -> bool {
        let text = kql_embed::apply_edits(self.text, edits.to_vec());
        match kql_embed::extract(self.kind, &text, self.opts) {
            Ok(found) => {
                found.len() == self.queries.len()
                    && found
                        .iter()
                        .zip(self.queries)
                        .enumerate()
                        .all(|(j, (f, q))| {
                            if j == i {
                                f.query == new
                            } else {
                                f.query == q.query
                            }
                        })
            }
            Err(_) => false,
        }
    }
}

/// The edits made at the same host bytes, when each is on one line and its query bytes are the
/// host's bytes one for one.
fn verbatim(host: &str, e: &Embedded, edits: &[QueryEdit]) -> Option<Vec<HostEdit>> {
    edits
        .iter()
        .map(|edit| {
            if edit.text.contains(['\n', '\r']) {
                return None;
            }
            let h = e.range_to_host(edit.range.clone());
            (host.get(h.clone())? == e.query.get(edit.range.clone())?).then(|| HostEdit {
                range: h,
                text: edit.text.clone(),
            })
        })
        .collect()
}

fn overlapping(edits: &[HostEdit]) -> bool {
    let mut ranges: Vec<&Range<usize>> = edits.iter().map(|e| &e.range).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges.windows(2).any(|w| w[1].start < w[0].end)
}

/// `edit` without the bytes it leaves as they are at either end (on character boundaries), but
/// still covering `keep` (the host bytes of the query edit, so `contains` -> `has` stays that
/// rather than `contain` -> `ha`).
fn minimal(host: &str, edit: HostEdit, keep: Range<usize>) -> HostEdit {
    let old = &host[edit.range.clone()];
    let new = edit.text.as_str();
    let max_pre = keep.start.saturating_sub(edit.range.start);
    let mut pre = alike(old.bytes().zip(new.bytes()), max_pre);
    while !old.is_char_boundary(pre) || !new.is_char_boundary(pre) {
        pre -= 1;
    }
    let max_suf = (old.len().min(new.len()) - pre).min(edit.range.end.saturating_sub(keep.end));
    let mut suf = alike(old.bytes().rev().zip(new.bytes().rev()), max_suf);
    while !old.is_char_boundary(old.len() - suf) || !new.is_char_boundary(new.len() - suf) {
        suf -= 1;
    }
    HostEdit {
        range: edit.range.start + pre..edit.range.end - suf,
        text: new[pre..new.len() - suf].to_string(),
    }
}

/// How many of the byte pairs are alike before the first that differs, `max` at most.
fn alike(pairs: impl Iterator<Item = (u8, u8)>, max: usize) -> usize {
    pairs.take(max).take_while(|(a, b)| a == b).count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn diffs_apply_and_respect_characters() {
        for (old, new) in [
            ("T | where tolower(A) == \"x\"", "T | where A =~ \"x\""),
            ("T | join (U) on K", "T | join kind=innerunique (U) on K"),
            ("é | è", "è | é"),
            ("", "T"),
            ("T", ""),
            ("T\n| take 1", "T\n| take 1\n| take 2"),
        ] {
            let edits = diff(old, new);
            let mut text = old.to_string();
            for e in edits.iter().rev() {
                text.replace_range(e.range.clone(), &e.text);
            }
            assert_eq!(text, new, "{old:?} -> {new:?}: {edits:?}");
        }
        assert_eq!(
            diff("T | join (U)", "T | join kind=inner (U)"),
            vec![QueryEdit {
                range: 9..9,
                text: "kind=inner ".into()
            }]
        );
    }
}
