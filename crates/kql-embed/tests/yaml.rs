//! YAML hosts: Sentinel analytic rules and hunting queries in every scalar form.

use kql_embed::{extract, EmbedOptions, HostKind};

mod support;
use support::{check_rows, host_of, same, try_rewrite};

fn all(host: &str) -> Vec<kql_embed::Embedded> {
    support::all(HostKind::Yaml, host)
}

fn one(host: &str) -> kql_embed::Embedded {
    support::one(HostKind::Yaml, host)
}

const RULE: &str = "id: 7b0\nname: Rare process\nqueryFrequency: 1h\nqueryPeriod: 14d\nquery: |\n  DeviceProcessEvents\n  | where FileName == \"x.exe\"\n  | take 10\nentityMappings: []\n";

// The hosts that three or more rows use.

/// A literal block with CRLF line breaks.
const CRLF_BLOCK: &str = "name: r\r\nquery: |\r\n  T\r\n  | take 1\r\nkind: Scheduled\r\n";
/// A literal block after a byte-order mark.
const BOM: &str = "\u{feff}query: |\n  T\n";
/// An indentation indicator and strip chomping.
const INDICATOR: &str = "- query: |1-\n    a\n   b\n  x: 1\n";
/// A folded block.
const FOLDED: &str = "query: >\n  T\n  | take 1\n\n  | count\n";
/// A folded block with CRLF line breaks.
const CRLF_FOLDED: &str = "query: >-\r\n  T\r\n  | take 1\r\n\r\n  | count\r\nnext: x\r\n";
/// A plain scalar continued on the next line.
const PLAIN: &str = "query: T\n  | take 1\nnext: 1\n";
/// A plain scalar continued after a CRLF.
const CRLF_PLAIN: &str = "query: T\r\n  | take 1\r\n";
/// A double-quoted scalar with escapes.
const ESCAPED: &str = r#"query: "T | where A == \"x\"\t| extend B = \u0041\\ ""#;
/// A single-quoted scalar with a doubled quote.
const SINGLE_QUOTED: &str = "query: 'T | where A == ''x'''\n";
/// An empty double-quoted value.
const EMPTY_QUOTED: &str = "a:\n  query: \"\"\n  b: 1\n";

/// Each row: a host holding one query, and the query read from it.
const READS: &[(&str, &str)] = &[
    // Literal blocks: CRLF reads as LF, indentation indicators, chomping.
    (CRLF_BLOCK, "T\n| take 1\n"),
    (BOM, "T\n"),
    (INDICATOR, " a\nb"),
    ("query: |+\n  a\n\n", "a\n\n"),
    ("query: >-\n  a\n\nnext: 1\n", "a"),
    ("query: !!str |  # the query\n  a\n", "a\n"),
    ("- query: |\n  name: x\n", ""),
    ("query: |+\n\nnext: 1\n", "\n"),
    // Folded blocks and plain scalars fold their line breaks.
    (FOLDED, "T | take 1\n| count\n"),
    (CRLF_FOLDED, "T | take 1\n| count"),
    (PLAIN, "T | take 1"),
    (CRLF_PLAIN, "T | take 1"),
    // Quoted scalars: escapes, folds, escaped line breaks.
    (ESCAPED, "T | where A == \"x\"\t| extend B = A\\ "),
    (
        "query: \"T\n  | take\\\n  1\n\n  | count\"\n",
        "T | take1\n| count",
    ),
    (SINGLE_QUOTED, "T | where A == 'x'"),
    (EMPTY_QUOTED, ""),
];

#[test]
fn every_scalar_form_reads() {
    check_rows(READS, |&(host, query)| {
        same(one(host).query.as_str(), query)
    });
}

/// Each row: a host holding one query, a part of that query, and the host text it maps to.
const MAPS: &[(&str, &str, &str)] = &[
    (CRLF_BLOCK, "T\n|", "T\r\n  |"),
    (CRLF_BLOCK, "\n", "\r\n"),
    (BOM, "T", "T"),
    (INDICATOR, "b", "b"),
    (INDICATOR, " a", " a"),
    (FOLDED, "take 1", "take 1"),
    (FOLDED, "T | take", "T\n  | take"),
    (PLAIN, " | take", "\n  | take"),
    (ESCAPED, "\"x\"", r#"\"x\""#),
    (ESCAPED, "\t", r"\t"),
    (ESCAPED, "= A", r"= \u0041"),
    (
        "query: \"T\n  | take\\\n  1\n\n  | count\"\n",
        "count",
        "count",
    ),
    (SINGLE_QUOTED, "'x'", "''x''"),
    (
        "name: Überwachung — ü\nquery: |\n  T | where N == \"é😀\"\n  | take 1\n",
        "\"é😀\"",
        "\"é😀\"",
    ),
    (
        "name: Überwachung — ü\nquery: |\n  T | where N == \"é😀\"\n  | take 1\n",
        "take",
        "take",
    ),
    // CRLF folds and plain continuations map to their line breaks.
    (CRLF_FOLDED, " | take", "\r\n  | take"),
    (CRLF_FOLDED, "1\n|", "1\r\n\r\n  |"),
    (CRLF_PLAIN, "T |", "T\r\n  |"),
];

#[test]
fn parts_of_the_query_map_to_the_host_text_they_come_from() {
    check_rows(MAPS, |&(host, part, text)| {
        same(host_of(host, &one(host), part), text)
    });
}

/// Each row: a host holding one query, a new query, and the host after the replacement.
const REWRITES: &[(&str, &str, &str)] = &[
    // Literal blocks keep their line breaks (CRLF), BOM, header comment and tag.
    (
        CRLF_BLOCK,
        "T\n| take 2\n| count\n",
        "name: r\r\nquery: |\r\n  T\r\n  | take 2\r\n  | count\r\nkind: Scheduled\r\n",
    ),
    (BOM, "U\n", "\u{feff}query: |\n  U\n"),
    (
        "query: !!str |  # the query\n  a\n",
        "b\n",
        "query: !!str |  # the query\n  b\n",
    ),
    (
        "- query: |\n  name: x\n",
        "T\n",
        "- query: |\n    T\n  name: x\n",
    ),
    // A first line with leading spaces needs an indicator when written back.
    (INDICATOR, "  c\nd\n", "- query: |1\n     c\n   d\n  x: 1\n"),
    // Chomping follows the new query.
    (
        "query: |\n  a\n\nnext: 1\n",
        "b",
        "query: |-\n  b\n\nnext: 1\n",
    ),
    (
        "query: |\n  a\nnext: 1\n",
        "b\n\n",
        "query: |+\n  b\n\nnext: 1\n",
    ),
    ("query: |\n  a\nnext: 1\n", "", "query: |-\nnext: 1\n"),
    (FOLDED, "T | take 2\n", "query: >\n  T | take 2\n"),
    // Plain scalars stay plain or are quoted: `: `, a leading `|`, a line break.
    (PLAIN, "T | take 2", "query: T | take 2\nnext: 1\n"),
    (
        PLAIN,
        "T | where a: 1",
        "query: \"T | where a: 1\"\nnext: 1\n",
    ),
    (
        PLAIN,
        "T\n| take 1",
        "query: |-\n  T\n  | take 1\nnext: 1\n",
    ),
    (PLAIN, " T\n| take 1", "query: \" T\\n| take 1\"\nnext: 1\n"),
    (PLAIN, "true", "query: \"true\"\nnext: 1\n"),
    (
        CRLF_PLAIN,
        "T\n| take 2",
        "query: |-\r\n  T\r\n  | take 2\r\n",
    ),
    // No block scalars in flow context.
    (
        "rule: {query: T, x: 1}\n",
        "T | project a, b",
        "rule: {query: \"T | project a, b\", x: 1}\n",
    ),
    (
        "rule: {x: 1, query: T}\n",
        "T\nU",
        "rule: {x: 1, query: \"T\\nU\"}\n",
    ),
    // Quoted scalars.
    (ESCAPED, "say \"hi\"\\\n", r#"query: "say \"hi\"\\\n""#),
    (SINGLE_QUOTED, "it's", "query: 'it''s'\n"),
    // A multi-line query becomes a literal block where the scalar ends its line.
    (SINGLE_QUOTED, "a\nb", "query: |-\n  a\n  b\n"),
    (SINGLE_QUOTED, "a\nb\n", "query: |\n  a\n  b\n"),
    (
        "- query: 'a' # note\n",
        "a\nb",
        "- query: \"a\\nb\" # note\n",
    ),
    (
        "- query: \"a\"\r\n  x: 1\r\n",
        "a\n\nb",
        "- query: |-\r\n    a\r\n\r\n    b\r\n  x: 1\r\n",
    ),
    (EMPTY_QUOTED, "T", "a:\n  query: \"T\"\n  b: 1\n"),
];

#[test]
fn replacements_write_the_new_query_in_place() {
    check_rows(REWRITES, |&(host, new, out)| {
        same(try_rewrite(HostKind::Yaml, host, 0, new)?.as_str(), out)
    });
}

/// Each row: a host holding one query, a new query it cannot hold, and a word of the reason.
const REFUSALS: &[(&str, &str, &str)] = &[
    // Blank lines after the block would be taken into a keeping block.
    ("query: |\n  a\n\nnext: 1\n", "b\n\n", "blank lines"),
    (FOLDED, "T\n| take 2\n", "folded"),
];

#[test]
fn replacements_yaml_cannot_hold_are_refused_with_a_reason() {
    check_rows(REFUSALS, |&(host, new, reason)| {
        match one(host).replacement(host, new) {
            Ok(edit) => Err(format!("written as {edit:?}")),
            Err(e) if e.reason.contains(reason) => Ok(()),
            Err(e) => Err(format!("refused for another reason: {}", e.reason)),
        }
    });
}

#[test]
fn sentinel_rule_literal_block() {
    let e = one(RULE);
    assert_eq!(
        e.query,
        "DeviceProcessEvents\n| where FileName == \"x.exe\"\n| take 10\n"
    );
    assert_eq!(e.label, "query");
    assert_eq!(
        &RULE[e.host_range.clone()],
        "|\n  DeviceProcessEvents\n  | where FileName == \"x.exe\"\n  | take 10\n"
    );
    assert_eq!(host_of(RULE, &e, "| where"), "| where");
    assert_eq!(host_of(RULE, &e, "Events\n| where"), "Events\n  | where");
    assert_eq!(e.to_host(0), RULE.find("DeviceProcessEvents").unwrap());
    assert_eq!(
        e.to_host(e.query.len()),
        RULE.find("entityMappings").unwrap()
    );
    let period = e.metadata.query_period.expect("queryPeriod read");
    assert_eq!(period.text, "14d");
    assert_eq!(&RULE[period.range], "14d");
}

#[test]
fn offsets_count_the_bom_escapes_and_quotes() {
    assert_eq!(one(BOM).to_host(0), 3 + "query: |\n  ".len());
    let e = one(ESCAPED);
    let at = e.query.find("A\\").unwrap();
    assert_eq!(e.to_host(at), ESCAPED.find(r"\u0041").unwrap());
    let at = EMPTY_QUOTED.find("\"\"").unwrap() + 1;
    assert_eq!(one(EMPTY_QUOTED).to_host(0), at);
}

#[test]
fn keys_at_any_depth_with_paths_and_periods() {
    let host = "rules:\n  - name: a\n    query: |-\n      T | take 1\n    queryPeriod: '2d' # two days\n  - name: b\n    nested:\n      query: 'U'\n";
    let v = all(host);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].query, "T | take 1");
    assert_eq!(v[0].label, "rules[0].query");
    let period = v[0].metadata.query_period.as_ref().unwrap();
    assert_eq!(period.text, "2d");
    assert_eq!(&host[period.range.clone()], "'2d'");
    assert_eq!(v[1].query, "U");
    assert_eq!(v[1].label, "rules[1].nested.query");
    assert!(v[1].metadata.query_period.is_none());
    assert_eq!(host_of(host, &v[1], "U"), "U");
}

#[test]
fn configured_keys() {
    let opts = EmbedOptions {
        yaml_keys: vec!["kql".into(), "q2".into()],
        ..EmbedOptions::default()
    };
    let v = extract(HostKind::Yaml, "query: a\nkql: b\nx:\n  q2: c\n", &opts).unwrap();
    let q: Vec<_> = v.iter().map(|e| e.query.as_str()).collect();
    assert_eq!(q, ["b", "c"]);
}

#[test]
fn non_scalar_values_are_skipped() {
    assert!(all("query:\n  - a\n  - b\nother: 1\n").is_empty());
    assert!(all("base: &q T\nquery: *q\n").is_empty());
}

#[test]
fn tab_indentation_is_an_error_with_its_place() {
    let host = "name: r\nrule:\n\tquery: T\n";
    let err = extract(HostKind::Yaml, host, &EmbedOptions::default()).unwrap_err();
    assert_eq!(err.code, "EMB002");
    assert_eq!(err.offset, host.find('\t').unwrap());
    let bom = format!("\u{feff}{host}");
    let err = extract(HostKind::Yaml, &bom, &EmbedOptions::default()).unwrap_err();
    assert_eq!(err.offset, bom.find('\t').unwrap());
}

#[test]
fn other_syntax_errors() {
    let err = extract(
        HostKind::Yaml,
        "query: [a\nb: c: d\n",
        &EmbedOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code, "EMB001");
}
