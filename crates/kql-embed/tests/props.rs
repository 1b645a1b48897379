//! Property tests: random KQL-ish text in random YAML / JSON / Markdown wrappers.
//! (1) extraction gives the text back; (2) for random query ranges, decoding the host slice at
//! `range_to_host` (with a decoder per wrapper, written here independently of the crate) gives
//! the query slice; (3) `replacement` with another random query reads back exactly, leaves the
//! bytes outside the edit alone, keeps CRLF hosts CRLF, and the host still parses.

use kql_embed::{apply_edits, extract, EmbedOptions, HostKind};
use proptest::prelude::*;

#[path = "support/host_decode.rs"]
mod host_decode;
use host_decode::{decode, Decode};
#[path = "support/host_encode.rs"]
mod host_encode;
use host_encode::escape;

/// KQL-ish text: quotes, backslashes, newlines, unicode, `#`, `: `, backticks, tabs.
fn query() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(vec![
                "T", "where", " ", " ", "|", "\n", "\"", "'", "\\", "#", ": ", ":", "`", "```", "é", "😀",
                "\t", "-", ">", "{", "}", "[", "]", ",", "~~~", "0", "  ", "x == \"a\"", "//",
            ]),
            1 => "[a-z0-9]{1,6}".prop_map(|s| Box::leak(s.into_boxed_str()) as &str),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

struct Wrapped {
    host: String,
    kind: HostKind,
    decode: Decode,
    /// The query as the host holds it (a Markdown fence's content ends with a line break).
    query: String,
    /// Some replacements are documented as unrepresentable: when this says so, an error is fine.
    may_refuse: fn(&str) -> bool,
}

fn never(_: &str) -> bool {
    false
}

fn inner_newline(s: &str) -> bool {
    s.trim_end_matches('\n').contains('\n')
}

fn plain_ok(q: &str) -> bool {
    q.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && !q.ends_with([' ', ':'])
        && !q.contains(['\n', '\t'])
        && !q.contains(": ")
        && !q.contains(" #")
}

/// A YAML literal block for `q` under a key at column `col`.
fn literal(q: &str, col: usize) -> String {
    let body = q.trim_end_matches('\n');
    let trailing = q.len() - body.len();
    let chomp = match (body.is_empty(), trailing) {
        (_, 0) => "-",
        (false, 1) => "",
        _ => "+",
    };
    // The first line that is not empty sets the indentation unless an indicator does.
    let spaced = body.trim_start_matches('\n').starts_with(' ');
    let mut s = format!("|{}{chomp}\n", if spaced { "2" } else { "" });
    // `body` has no final line break: an empty body has no lines.
    for l in body.split_terminator('\n') {
        if !l.is_empty() {
            s.push_str(&" ".repeat(col + 2));
            s.push_str(l);
        }
        s.push('\n');
    }
    let extra = if body.is_empty() {
        trailing
    } else {
        trailing.saturating_sub(1)
    };
    s.push_str(&"\n".repeat(extra));
    s
}

fn yaml(q: &str, form: u8, nested: bool, comment: bool) -> Option<Wrapped> {
    let col = if nested { 4 } else { 0 };
    let (value, decode, may_refuse): (String, Decode, fn(&str) -> bool) = match form {
        0 => (literal(q, col), Decode::Lines(" ".repeat(col + 2)), never),
        1 => (
            format!("\"{}\"\n", escape(q, false, false, false, false)),
            Decode::YamlQuoted('"'),
            never,
        ),
        2 => {
            // Double-quoted, folded at single spaces between words.
            let e = escape(q, false, false, false, false);
            let b = e.as_bytes();
            let mut s = String::from("\"");
            for (i, ch) in e.char_indices() {
                let fold = ch == ' '
                    && i > 0
                    && i + 1 < b.len()
                    && !matches!(b[i - 1], b' ' | b'\t' | b'\\')
                    && !matches!(b[i + 1], b' ' | b'\t');
                if fold {
                    s.push('\n');
                    s.push_str(&" ".repeat(col + 4));
                } else {
                    s.push(ch);
                }
            }
            s.push_str("\"\n");
            (s, Decode::YamlQuoted('"'), never)
        }
        3 if !q.contains('\n') => (
            format!("'{}'\n", q.replace('\'', "''")),
            Decode::YamlQuoted('\''),
            never,
        ),
        4 if plain_ok(q) => (format!("{q}\n"), Decode::Identity, never),
        5 if !inner_newline(q)
            && !q.starts_with([' ', '\t'])
            && !q.trim_end_matches('\n').is_empty() =>
        {
            let mut s = literal(q, col);
            s.replace_range(0..1, ">");
            (s, Decode::Lines(" ".repeat(col + 2)), inner_newline)
        }
        _ => return None,
    };
    let value = match (comment, value.find('\n')) {
        (true, Some(i)) if value.starts_with(['|', '>']) => {
            format!("{} # header{}", &value[..i], &value[i..])
        }
        (true, _) => format!("{} # note\n", value.trim_end_matches('\n')),
        (false, _) => value,
    };
    let host = if nested {
        format!("rules:\n  - name: a\n    query: {value}    queryPeriod: 2d\n  - name: b\n")
    } else {
        format!("id: 1\nquery: {value}kind: Scheduled\n")
    };
    Some(Wrapped {
        host,
        kind: HostKind::Yaml,
        decode,
        query: q.to_string(),
        may_refuse,
    })
}

fn json(q: &str, unicode: bool) -> Wrapped {
    Wrapped {
        host: format!(
            "{{\"a\": [1, {{\"query\": \"{}\", \"x\": true}}]}}\n",
            escape(q, false, unicode, false, false)
        ),
        kind: HostKind::Json,
        decode: Decode::Json,
        query: q.to_string(),
        may_refuse: never,
    }
}

fn markdown(q: &str, container: u8) -> Wrapped {
    let mut content = q.replace('\t', " ");
    if !content.is_empty() && !content.ends_with('\n') {
        content.push('\n');
    }
    let longest = content
        .split('\n')
        .map(|l| l.trim_start().bytes().take_while(|&b| b == b'`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let (first, prefix) = match container {
        0 => ("", ""),
        1 => ("- ", "  "),
        2 => ("1. ", "   "),
        _ => ("> ", "> "),
    };
    let mut host = format!("# Runbook\n\n{first}{fence}kql\n");
    for line in content.lines() {
        host.push_str(if line.is_empty() {
            prefix.trim_end()
        } else {
            prefix
        });
        host.push_str(line);
        host.push('\n');
    }
    host.push_str(&format!("{prefix}{fence}\n\nAfter.\n"));
    Wrapped {
        host,
        kind: HostKind::Markdown,
        decode: Decode::Lines(prefix.to_string()),
        query: content,
        may_refuse: |s| !s.is_empty() && !s.ends_with('\n'),
    }
}

fn boundary(s: &str, mut i: usize) -> usize {
    i %= s.len() + 1;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn check(
    w: Wrapped,
    crlf: bool,
    bom: bool,
    new: &str,
    a: usize,
    b: usize,
) -> Result<(), TestCaseError> {
    let mut host = if crlf {
        w.host.replace('\n', "\r\n")
    } else {
        w.host.clone()
    };
    if bom {
        host.insert(0, '\u{feff}');
    }
    let opts = EmbedOptions::default();
    let found = extract(w.kind, &host, &opts)
        .map_err(|e| TestCaseError::fail(format!("{e} in {host:?}")))?;
    prop_assert_eq!(found.len(), 1, "{:?}", host);
    let e = &found[0];
    // (1) the text comes back.
    prop_assert_eq!(&e.query, &w.query, "host {:?}", host);
    // (2) host slices decode to query slices.
    let (a, b) = (boundary(&e.query, a), boundary(&e.query, b));
    let r = a.min(b)..a.max(b);
    let hr = e.range_to_host(r.clone());
    prop_assert!(
        hr.start >= e.host_range.start && hr.end <= e.host_range.end,
        "{:?} outside {:?}",
        hr,
        e.host_range
    );
    let slice = &host[hr.clone()];
    prop_assert_eq!(
        decode(&w.decode, slice),
        &e.query[r.clone()],
        "range {:?} -> {:?} = {:?} in {:?}",
        r,
        hr,
        slice,
        host
    );
    prop_assert_eq!(e.to_host(r.start), hr.start);
    // (3) a replacement reads back exactly.
    let new = if w.kind == HostKind::Markdown && !new.is_empty() && !new.ends_with('\n') {
        format!("{new}\n")
    } else {
        new.to_string()
    };
    match e.replacement(&host, &new) {
        Ok(edit) => {
            let out = apply_edits(&host, vec![edit.clone()]);
            prop_assert_eq!(&out[..edit.range.start], &host[..edit.range.start]);
            prop_assert_eq!(
                &out[edit.range.start + edit.text.len()..],
                &host[edit.range.end..]
            );
            let again = extract(w.kind, &out, &opts)
                .map_err(|e| TestCaseError::fail(format!("{e} in {out:?}")))?;
            prop_assert_eq!(&again[0].query, &new, "{:?}", out);
            if crlf {
                prop_assert!(
                    !out.replace("\r\n", "").contains('\n'),
                    "bare LF in {:?}",
                    out
                );
            }
            if w.kind == HostKind::Json {
                let v: serde_json::Value =
                    serde_json::from_str(out.trim_start_matches('\u{feff}')).unwrap();
                prop_assert_eq!(v["a"][1]["query"].as_str(), Some(new.as_str()));
            }
        }
        Err(why) => prop_assert!((w.may_refuse)(&new), "refused {:?}: {}", new, why.reason),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn yaml_round_trips(q in query(), new in query(), form in 0u8..6, nested: bool, comment: bool, crlf: bool, bom: bool, a: usize, b: usize) {
        if let Some(w) = yaml(&q, form, nested, comment) {
            check(w, crlf, bom, &new, a, b)?;
        }
    }

    #[test]
    fn json_round_trips(q in query(), new in query(), unicode: bool, bom: bool, a: usize, b: usize) {
        check(json(&q, unicode), false, bom, &new, a, b)?;
    }

    #[test]
    fn markdown_round_trips(q in query(), new in query(), container in 0u8..4, crlf: bool, bom: bool, a: usize, b: usize) {
        check(markdown(&q, container), crlf, bom, &new, a, b)?;
    }

    #[test]
    fn kql_is_the_identity(q in query(), new in query(), bom: bool, a: usize, b: usize) {
        let w = Wrapped { host: q.clone(), kind: HostKind::Kql, decode: Decode::Identity, query: q, may_refuse: never };
        check(w, false, bom, &new, a, b)?;
    }
}

/// Text made of the pieces host syntax is made of, to look for panics.
fn hostish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec![
            "query",
            "queryPeriod",
            ": ",
            ":",
            "\n",
            "\r\n",
            "  ",
            " ",
            "\t",
            "|",
            "|-",
            "|+",
            "|2",
            ">",
            ">-",
            "- ",
            "'",
            "''",
            "\"",
            "\\",
            "\\u00",
            "\\ud83d",
            "#",
            "{",
            "}",
            "[",
            "]",
            ",",
            "---",
            "...",
            "```",
            "```kql",
            "~~~kusto",
            "> ",
            "1. ",
            "é",
            "😀",
            "\u{feff}",
            "T",
            "x",
            "&a",
            "*a",
            "!!str",
            "? ",
            "\\n",
            "\\\n",
        ]),
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// YAML-ish lines: random indentation, random pieces, a query key somewhere.
fn yamlish() -> impl Strategy<Value = String> {
    let line = (0usize..7, hostish()).prop_map(|(n, t)| {
        format!(
            "{}{}",
            " ".repeat(n),
            t.replace(['\n', '\t', '\u{feff}'], "")
        )
    });
    (
        proptest::sample::select(vec![
            "query: |",
            "query: >-",
            "query: |2+",
            "query: ",
            "query: '",
            "query: \"",
            "- query: |",
            "k:\n  query: >",
        ]),
        proptest::collection::vec(line, 0..6),
        proptest::sample::select(vec!["", "'", "\"", "\nnext: 1\n", "\n\n", "\r\n"]),
    )
        .prop_map(|(head, lines, tail)| format!("{head}\n{}{tail}", lines.join("\n")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Any text in any host kind: extraction and mapping never panic, ranges stay in the host,
    /// and a replacement is either refused or reads back.
    #[test]
    fn arbitrary_hosts_never_panic(rest in hostish(), yaml in yamlish(), new in query(), kind in 0u8..4, a: usize, b: usize) {
        let (kind, text) = match kind {
            0 => (HostKind::Yaml, yaml),
            1 => (HostKind::Json, format!("{{\"query\": \"{}\"}}", rest.replace('"', "\\\""))),
            2 => (HostKind::Markdown, format!("```kql\n{rest}\n```\n")),
            _ => (HostKind::Kql, rest),
        };
        let opts = EmbedOptions::default();
        if let Ok(found) = extract(kind, &text, &opts) {
            for (i, e) in found.iter().enumerate() {
                prop_assert!(e.host_range.start <= e.host_range.end && e.host_range.end <= text.len());
                let (a, b) = (boundary(&e.query, a), boundary(&e.query, b));
                let r = e.range_to_host(a.min(b)..a.max(b));
                prop_assert!(r.start <= r.end && r.end <= text.len(), "{:?} in {:?}", r, text);
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                if let Ok(edit) = e.replacement(&text, &new) {
                    let out = apply_edits(&text, vec![edit]);
                    let again = extract(kind, &out, &opts).unwrap();
                    prop_assert_eq!(&again[i].query, &new);
                }
            }
        }
    }
}
