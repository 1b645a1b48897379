//! Markdown hosts: runbooks with fenced queries, also inside list items and block quotes.

use kql_embed::{extract, HostKind};

mod support;
use support::{check_rows, host_of, one, rewrite, same, try_rewrite};

const MD: HostKind = HostKind::Markdown;

fn all(host: &str) -> Vec<kql_embed::Embedded> {
    support::all(MD, host)
}

const RUNBOOK: &str = "# Triage\n\nFirst:\n\n```kql\nDeviceProcessEvents\n| take 10\n```\n\n```python\nprint(1)\n```\n\n1. Then, in a list:\n\n   ```KQL title=\"x\"\n   T\n\n     | count\n   ```\n\n> ~~~kusto\n> a\n>\n> b\n> ~~~\n\n```csl\n```\n";

#[test]
fn fences_by_tag_case_insensitive() {
    let v = all(RUNBOOK);
    let q: Vec<_> = v.iter().map(|e| e.query.as_str()).collect();
    assert_eq!(
        q,
        [
            "DeviceProcessEvents\n| take 10\n",
            "T\n\n  | count\n",
            "a\n\nb\n",
            ""
        ]
    );
    assert_eq!(v[0].label, "```kql fence at line 5");
    assert_eq!(v[1].label, "```KQL fence at line 16");
    assert_eq!(v[2].label, "~~~kusto fence at line 22");
}

#[test]
fn list_item_and_block_quote_maps_skip_prefixes() {
    let v = all(RUNBOOK);
    assert_eq!(
        host_of(RUNBOOK, &v[1], "T\n\n  | count"),
        "T\n\n     | count"
    );
    assert_eq!(
        v[1].to_host(v[1].query.find('|').unwrap()),
        RUNBOOK.find("| count").unwrap()
    );
    assert_eq!(host_of(RUNBOOK, &v[2], "a\n\nb"), "a\n>\n> b");
    assert_eq!(
        &RUNBOOK[v[0].host_range.clone()],
        "DeviceProcessEvents\n| take 10\n"
    );
}

#[test]
fn replacement_keeps_prefixes() {
    let out = rewrite(MD, RUNBOOK, 1, "U\n\n| take 1\n");
    assert!(
        out.contains("   ```KQL title=\"x\"\n   U\n\n   | take 1\n   ```\n"),
        "{out}"
    );
    let out = rewrite(MD, RUNBOOK, 2, "x\n\ny\n");
    assert!(out.contains("> ~~~kusto\n> x\n>\n> y\n> ~~~\n"), "{out}");
    let out = rewrite(MD, RUNBOOK, 3, "E\n");
    assert!(out.ends_with("```csl\nE\n```\n"), "{out}");
}

#[test]
fn other_tags_are_configurable() {
    let opts = kql_embed::EmbedOptions {
        markdown_tags: vec!["kusto-explorer".into()],
        ..Default::default()
    };
    let v = extract(
        HostKind::Markdown,
        "```kql\nA\n```\n```Kusto-Explorer x\nB\n```\n",
        &opts,
    )
    .unwrap();
    assert_eq!(
        v.iter().map(|e| e.query.as_str()).collect::<Vec<_>>(),
        ["B\n"]
    );
}

const CRLF_BOM: &str = "\u{feff}# R\r\n\r\n```kql\r\nT\r\n| take 1\r\n```\r\n";

/// Each row: a host holding one fence, and the query read from it.
const READS: &[(&str, &str)] = &[
    (CRLF_BOM, "T\n| take 1\n"),
    // An unclosed fence runs to the end.
    ("```kql\nT\n| take 1\n", "T\n| take 1\n"),
    ("> ```kql\n> T\n", "T\n"),
    // A tab in a list item's content counts to the next tab stop.
    ("- ```kql\n\tT\n  ```\n", "  T\n"),
];

#[test]
fn fences_read() {
    check_rows(READS, |&(host, query)| {
        same(one(MD, host).query.as_str(), query)
    });
}

/// Each row: a host holding one fence, a part of its query, and the host text it maps to.
const MAPS: &[(&str, &str, &str)] = &[
    (CRLF_BOM, "T\n|", "T\r\n|"),
    ("- ```kql\n\tT\n  ```\n", "T", "T"),
];

#[test]
fn parts_of_the_query_map_to_the_host_text_they_come_from() {
    check_rows(MAPS, |&(host, part, text)| {
        same(host_of(host, &one(MD, host), part), text)
    });
    assert_eq!(one(MD, CRLF_BOM).to_host(0), CRLF_BOM.find('T').unwrap());
}

/// Each row: a host holding one fence, a new query, and the host after the replacement.
const REWRITES: &[(&str, &str, &str)] = &[
    (
        CRLF_BOM,
        "U\n| count\n",
        "\u{feff}# R\r\n\r\n```kql\r\nU\r\n| count\r\n```\r\n",
    ),
    // Content holding the fence gets a longer fence.
    (
        "text\n\n```kql\nT\n```\n\nafter\n",
        "T\n```\n| take 1\n",
        "text\n\n````kql\nT\n```\n| take 1\n````\n\nafter\n",
    ),
    ("```kql\nT\n| take 1\n", "U\n", "```kql\nU\n"),
    // An unclosed fence grows its opening only.
    ("> ```kql\n> T\n", "```\n", "> ````kql\n> ```\n"),
    // Tilde fences grow only for tilde lines: backticks do not close them.
    ("~~~kql\nT\n~~~\n", "```\nT\n", "~~~kql\n```\nT\n~~~\n"),
    (
        "~~~kql\nT\n~~~\n",
        "~~~~~\nT\n",
        "~~~~~~kql\n~~~~~\nT\n~~~~~~\n",
    ),
];

#[test]
fn replacements_write_the_new_query_in_place() {
    check_rows(REWRITES, |&(host, new, out)| {
        same(try_rewrite(MD, host, 0, new)?.as_str(), out)
    });
}

#[test]
fn unrepresentable_without_final_line_break() {
    let e = &all(RUNBOOK)[0];
    let err = e.replacement(RUNBOOK, "T").unwrap_err();
    assert!(err.reason.contains("line break"), "{}", err.reason);
}
