//! The host-independent parts of the API: host kinds, the Kql identity, edits, fallbacks.

use std::path::Path;

use kql_embed::{apply_edits, extract, EmbedOptions, HostEdit, HostKind};

mod support;
use support::{one, rewrite};

#[test]
fn host_kind_from_extension() {
    let kinds: Vec<_> = [
        "a.kql",
        "b.CSL",
        "c.kusto",
        "d.yaml",
        "e.YML",
        "f.md",
        "g.markdown",
        "h.json",
        "i.txt",
        "j",
    ]
    .iter()
    .map(|p| HostKind::from_path(Path::new(p)))
    .collect();
    use HostKind::*;
    assert_eq!(
        kinds,
        [
            Some(Kql),
            Some(Kql),
            Some(Kql),
            Some(Yaml),
            Some(Yaml),
            Some(Markdown),
            Some(Markdown),
            Some(Json),
            None,
            None
        ]
    );
}

#[test]
fn kql_file_is_the_identity_after_the_bom() {
    let host = "\u{feff}T\r\n| take 1\r\n";
    let v = extract(HostKind::Kql, host, &EmbedOptions::default()).unwrap();
    assert_eq!(v.len(), 1);
    let e = &v[0];
    assert_eq!(e.query, "T\r\n| take 1\r\n");
    assert_eq!(e.host_range, 3..host.len());
    assert_eq!(e.to_host(0), 3);
    assert_eq!(e.range_to_host(1..3), 4..6);
    let edit = e.replacement(host, "U\n").unwrap();
    assert_eq!(apply_edits(host, vec![edit]), "\u{feff}U\n");
}

#[test]
fn edits_apply_in_any_order() {
    let host = "0123456789";
    let edits = vec![
        HostEdit {
            range: 7..9,
            text: "b".into(),
        },
        HostEdit {
            range: 0..0,
            text: "<".into(),
        },
        HostEdit {
            range: 2..4,
            text: "a".into(),
        },
        HostEdit {
            range: 10..10,
            text: ">".into(),
        },
    ];
    assert_eq!(apply_edits(host, edits), "<01a456b9>");
}

#[test]
fn several_queries_in_one_host_are_fixed_together() {
    let host = "---\nquery: |\n  A\n---\nquery: 'B'\n...\n";
    let v = extract(HostKind::Yaml, host, &EmbedOptions::default()).unwrap();
    assert_eq!(
        v.iter().map(|e| e.query.as_str()).collect::<Vec<_>>(),
        ["A\n", "B"]
    );
    let edits = vec![
        v[1].replacement(host, "B2").unwrap(),
        v[0].replacement(host, "A2\n").unwrap(),
    ];
    let out = apply_edits(host, edits);
    assert_eq!(out, "---\nquery: |\n  A2\n---\nquery: 'B2'\n...\n");
}

#[test]
fn unmapped_yaml_forms_are_read_coarsely_and_not_written() {
    // An explicit key (`? query`): read, mapped to the whole value, never written back.
    let host = "? query\n: |\n  T | take 1\n";
    let e = one(HostKind::Yaml, host);
    assert_eq!(e.query, "T | take 1\n");
    let r = e.range_to_host(4..8);
    assert!(r.start <= host.find("take").unwrap() && r.end >= host.find("take").unwrap() + 4);
    let err = e.replacement(host, "U\n").unwrap_err();
    assert!(err.reason.contains("not mapped"), "{}", err.reason);
}

#[test]
fn block_scalars_refuse_what_yaml_cannot_hold() {
    let host = "query: |\n  T\n";
    let e = one(HostKind::Yaml, host);
    assert!(e.replacement(host, "T\r\n").is_err());
    assert!(e.replacement(host, "T\u{1}\n").is_err());
    // Quoted forms can hold both.
    assert_eq!(
        rewrite(HostKind::Yaml, "query: \"T\"\n", 0, "T\r\n\u{1}"),
        "query: \"T\\r\\n\\x01\"\n"
    );
}

#[test]
fn quoted_keys_and_comments_before_the_block() {
    let host = "\"query\": # the rule's query\n  |\n  T\n";
    assert_eq!(one(HostKind::Yaml, host).query, "T\n");
    assert_eq!(
        rewrite(HostKind::Yaml, host, 0, "U\n"),
        "\"query\": # the rule's query\n  |\n  U\n"
    );
}

#[test]
fn odd_line_breaks_do_not_panic() {
    // A lone CR after a quoted scalar (found by the no-panic property test).
    let host = "query: \n '' \r";
    if let Ok(v) = extract(HostKind::Yaml, host, &EmbedOptions::default()) {
        for e in &v {
            assert!(e.range_to_host(0..e.query.len()).end <= host.len());
        }
    }
}
