//! YAML hosts: Sentinel analytic rules and hunting queries in every scalar form.

use kql_embed::{apply_edits, extract, EmbedOptions, Embedded, HostKind};

fn all(host: &str) -> Vec<Embedded> {
    extract(HostKind::Yaml, host, &EmbedOptions::default()).expect("parses")
}

fn one(host: &str) -> Embedded {
    let mut v = all(host);
    assert_eq!(v.len(), 1, "{v:?}");
    v.remove(0)
}

/// The host text at the mapped range of the first occurrence of `needle` in the query.
fn host_of<'h>(host: &'h str, e: &Embedded, needle: &str) -> &'h str {
    let at = e.query.find(needle).expect("needle in query");
    &host[e.range_to_host(at..at + needle.len())]
}

/// Replaces the query, checks the edit re-extracts exactly and only touched the value.
fn rewrite(host: &str, e: &Embedded, new: &str) -> String {
    let edit = e.replacement(host, new).expect("representable");
    assert!(
        edit.range.start >= e.host_range.start
            && edit.range.end <= e.host_range.end.max(edit.range.end)
    );
    let out = apply_edits(host, vec![edit.clone()]);
    assert_eq!(&out[..edit.range.start], &host[..edit.range.start]);
    assert_eq!(
        &out[edit.range.start + edit.text.len()..],
        &host[edit.range.end..]
    );
    let again = all(&out);
    assert_eq!(again[0].query, new);
    out
}

const RULE: &str = "id: 7b0\nname: Rare process\nqueryFrequency: 1h\nqueryPeriod: 14d\nquery: |\n  DeviceProcessEvents\n  | where FileName == \"x.exe\"\n  | take 10\nentityMappings: []\n";

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
fn crlf_block_maps_line_breaks_to_crlf_and_keeps_them() {
    let host = "name: r\r\nquery: |\r\n  T\r\n  | take 1\r\nkind: Scheduled\r\n";
    let e = one(host);
    assert_eq!(e.query, "T\n| take 1\n");
    assert_eq!(host_of(host, &e, "T\n|"), "T\r\n  |");
    assert_eq!(host_of(host, &e, "\n"), "\r\n");
    let out = rewrite(host, &e, "T\n| take 2\n| count\n");
    assert_eq!(
        out,
        "name: r\r\nquery: |\r\n  T\r\n  | take 2\r\n  | count\r\nkind: Scheduled\r\n"
    );
}

#[test]
fn bom_counts_in_host_offsets() {
    let host = "\u{feff}query: |\n  T\n";
    let e = one(host);
    assert_eq!(e.query, "T\n");
    assert_eq!(e.to_host(0), 3 + "query: |\n  ".len());
    assert_eq!(&host[e.range_to_host(0..1)], "T");
    let out = rewrite(host, &e, "U\n");
    assert!(out.starts_with('\u{feff}'));
}

#[test]
fn indentation_indicator_and_chomping() {
    let host = "- query: |1-\n    a\n   b\n  x: 1\n";
    let e = one(host);
    assert_eq!(e.query, " a\nb");
    assert_eq!(host_of(host, &e, "b"), "b");
    assert_eq!(host_of(host, &e, " a"), " a");
    // A first line with leading spaces needs an indicator when written back.
    let out = rewrite(host, &e, "  c\nd\n");
    assert_eq!(out, "- query: |1\n     c\n   d\n  x: 1\n");
    let keep = one("query: |+\n  a\n\n");
    assert_eq!(keep.query, "a\n\n");
    let strip = one("query: >-\n  a\n\nnext: 1\n");
    assert_eq!(strip.query, "a");
}

#[test]
fn chomping_follows_the_new_query() {
    let host = "query: |\n  a\n\nnext: 1\n";
    let e = one(host);
    assert_eq!(rewrite(host, &e, "b"), "query: |-\n  b\n\nnext: 1\n");
    let tight = "query: |\n  a\nnext: 1\n";
    let e = one(tight);
    assert_eq!(rewrite(tight, &e, "b\n\n"), "query: |+\n  b\n\nnext: 1\n");
    assert_eq!(rewrite(tight, &e, ""), "query: |-\nnext: 1\n");
    // Blank lines after the block would be taken into a keeping block.
    let e = one(host);
    let err = e.replacement(host, "b\n\n").unwrap_err();
    assert!(err.reason.contains("blank lines"), "{}", err.reason);
}

#[test]
fn header_comment_and_tag_survive() {
    let host = "query: !!str |  # the query\n  a\n";
    let e = one(host);
    assert_eq!(e.query, "a\n");
    assert_eq!(
        rewrite(host, &e, "b\n"),
        "query: !!str |  # the query\n  b\n"
    );
}

#[test]
fn folded_block() {
    let host = "query: >\n  T\n  | take 1\n\n  | count\n";
    let e = one(host);
    assert_eq!(e.query, "T | take 1\n| count\n");
    assert_eq!(host_of(host, &e, "take 1"), "take 1");
    assert_eq!(host_of(host, &e, "T | take"), "T\n  | take");
    let err = e.replacement(host, "T\n| take 2\n").unwrap_err();
    assert!(err.reason.contains("folded"), "{}", err.reason);
    assert_eq!(
        rewrite(host, &e, "T | take 2\n"),
        "query: >\n  T | take 2\n"
    );
}

#[test]
fn plain_scalars_fold_and_requote() {
    let host = "query: T\n  | take 1\nnext: 1\n";
    let e = one(host);
    assert_eq!(e.query, "T | take 1");
    assert_eq!(host_of(host, &e, " | take"), "\n  | take");
    assert_eq!(
        rewrite(host, &e, "T | take 2"),
        "query: T | take 2\nnext: 1\n"
    );
    // Needs quoting: `: `, a leading `|`, a line break.
    assert_eq!(
        rewrite(host, &e, "T | where a: 1"),
        "query: \"T | where a: 1\"\nnext: 1\n"
    );
    assert_eq!(
        rewrite(host, &e, "T\n| take 1"),
        "query: |-\n  T\n  | take 1\nnext: 1\n"
    );
    assert_eq!(
        rewrite(host, &e, " T\n| take 1"),
        "query: \" T\\n| take 1\"\nnext: 1\n"
    );
    assert_eq!(rewrite(host, &e, "true"), "query: \"true\"\nnext: 1\n");
    let flow = "rule: {query: T, x: 1}\n";
    let e = one(flow);
    assert_eq!(
        rewrite(flow, &e, "T | project a, b"),
        "rule: {query: \"T | project a, b\", x: 1}\n"
    );
    // No block scalars in flow context.
    let flow = "rule: {x: 1, query: T}\n";
    let e = one(flow);
    assert_eq!(
        rewrite(flow, &e, "T\nU"),
        "rule: {x: 1, query: \"T\\nU\"}\n"
    );
}

#[test]
fn double_quoted_escapes_map_to_whole_sequences() {
    let host = r#"query: "T | where A == \"x\"\t| extend B = \u0041\\ ""#;
    let e = one(host);
    assert_eq!(e.query, "T | where A == \"x\"\t| extend B = A\\ ");
    assert_eq!(host_of(host, &e, "\"x\""), r#"\"x\""#);
    assert_eq!(host_of(host, &e, "\t"), r"\t");
    assert_eq!(host_of(host, &e, "= A"), r"= \u0041");
    let at = e.query.find("A\\").unwrap();
    assert_eq!(e.to_host(at), host.find(r"\u0041").unwrap());
    let out = rewrite(host, &e, "say \"hi\"\\\n");
    assert_eq!(out, r#"query: "say \"hi\"\\\n""#);
}

#[test]
fn multi_line_double_quoted_folds_and_escaped_breaks() {
    let host = "query: \"T\n  | take\\\n  1\n\n  | count\"\n";
    let e = one(host);
    assert_eq!(e.query, "T | take1\n| count");
    assert_eq!(host_of(host, &e, "count"), "count");
}

#[test]
fn single_quoted() {
    let host = "query: 'T | where A == ''x'''\n";
    let e = one(host);
    assert_eq!(e.query, "T | where A == 'x'");
    assert_eq!(host_of(host, &e, "'x'"), "''x''");
    assert_eq!(rewrite(host, &e, "it's"), "query: 'it''s'\n");
    // A multi-line query becomes a literal block where the scalar ends its line.
    assert_eq!(rewrite(host, &e, "a\nb"), "query: |-\n  a\n  b\n");
    assert_eq!(rewrite(host, &e, "a\nb\n"), "query: |\n  a\n  b\n");
    let commented = "- query: 'a' # note\n";
    let e = one(commented);
    assert_eq!(
        rewrite(commented, &e, "a\nb"),
        "- query: \"a\\nb\" # note\n"
    );
    let crlf = "- query: \"a\"\r\n  x: 1\r\n";
    let e = one(crlf);
    assert_eq!(
        rewrite(crlf, &e, "a\n\nb"),
        "- query: |-\r\n    a\r\n\r\n    b\r\n  x: 1\r\n"
    );
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

#[test]
fn unicode_before_and_inside_the_query() {
    let host = "name: Überwachung — ü\nquery: |\n  T | where N == \"é😀\"\n  | take 1\n";
    let e = one(host);
    assert_eq!(host_of(host, &e, "\"é😀\""), "\"é😀\"");
    assert_eq!(host_of(host, &e, "take"), "take");
}

#[test]
fn empty_block_gets_content() {
    let host = "- query: |\n  name: x\n";
    let e = one(host);
    assert_eq!(e.query, "");
    assert_eq!(rewrite(host, &e, "T\n"), "- query: |\n    T\n  name: x\n");
}

#[test]
fn crlf_folds_and_plain_continuations_map_to_their_breaks() {
    let host = "query: >-\r\n  T\r\n  | take 1\r\n\r\n  | count\r\nnext: x\r\n";
    let e = one(host);
    assert_eq!(e.query, "T | take 1\n| count");
    assert_eq!(host_of(host, &e, " | take"), "\r\n  | take");
    assert_eq!(host_of(host, &e, "1\n|"), "1\r\n\r\n  |");
    let plain = "query: T\r\n  | take 1\r\n";
    let e = one(plain);
    assert_eq!(e.query, "T | take 1");
    assert_eq!(host_of(plain, &e, "T |"), "T\r\n  |");
    assert_eq!(
        rewrite(plain, &e, "T\n| take 2"),
        "query: |-\r\n  T\r\n  | take 2\r\n"
    );
}

#[test]
fn empty_values() {
    let host = "a:\n  query: \"\"\n  b: 1\n";
    let e = one(host);
    assert_eq!(e.query, "");
    assert_eq!(e.to_host(0), host.find("\"\"").unwrap() + 1);
    assert_eq!(rewrite(host, &e, "T"), "a:\n  query: \"T\"\n  b: 1\n");
    let keep = "query: |+\n\nnext: 1\n";
    let e = one(keep);
    assert_eq!(e.query, "\n");
}
