//! Markdown hosts: runbooks with fenced queries, also inside list items and block quotes.

use kql_embed::{apply_edits, extract, EmbedOptions, Embedded, HostKind};

fn all(host: &str) -> Vec<Embedded> {
    extract(HostKind::Markdown, host, &EmbedOptions::default()).expect("markdown always reads")
}

fn host_of<'h>(host: &'h str, e: &Embedded, needle: &str) -> &'h str {
    let at = e.query.find(needle).expect("needle in query");
    &host[e.range_to_host(at..at + needle.len())]
}

fn rewrite(host: &str, e: &Embedded, index: usize, new: &str) -> String {
    let edit = e.replacement(host, new).expect("representable");
    let out = apply_edits(host, vec![edit.clone()]);
    assert_eq!(&out[..edit.range.start], &host[..edit.range.start]);
    assert_eq!(
        &out[edit.range.start + edit.text.len()..],
        &host[edit.range.end..]
    );
    assert_eq!(all(&out)[index].query, new);
    out
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
    let v = all(RUNBOOK);
    let out = rewrite(RUNBOOK, &v[1], 1, "U\n\n| take 1\n");
    assert!(
        out.contains("   ```KQL title=\"x\"\n   U\n\n   | take 1\n   ```\n"),
        "{out}"
    );
    let out = rewrite(RUNBOOK, &v[2], 2, "x\n\ny\n");
    assert!(out.contains("> ~~~kusto\n> x\n>\n> y\n> ~~~\n"), "{out}");
    let out = rewrite(RUNBOOK, &v[3], 3, "E\n");
    assert!(out.ends_with("```csl\nE\n```\n"), "{out}");
}

#[test]
fn content_holding_the_fence_gets_a_longer_fence() {
    let host = "text\n\n```kql\nT\n```\n\nafter\n";
    let e = &all(host)[0];
    let out = rewrite(host, e, 0, "T\n```\n| take 1\n");
    assert_eq!(out, "text\n\n````kql\nT\n```\n| take 1\n````\n\nafter\n");
}

#[test]
fn crlf_and_bom() {
    let host = "\u{feff}# R\r\n\r\n```kql\r\nT\r\n| take 1\r\n```\r\n";
    let e = &all(host)[0];
    assert_eq!(e.query, "T\n| take 1\n");
    assert_eq!(host_of(host, e, "T\n|"), "T\r\n|");
    assert_eq!(e.to_host(0), host.find('T').unwrap());
    let out = rewrite(host, e, 0, "U\n| count\n");
    assert_eq!(out, "\u{feff}# R\r\n\r\n```kql\r\nU\r\n| count\r\n```\r\n");
}

#[test]
fn unrepresentable_without_final_line_break() {
    let e = &all(RUNBOOK)[0];
    let err = e.replacement(RUNBOOK, "T").unwrap_err();
    assert!(err.reason.contains("line break"), "{}", err.reason);
}

#[test]
fn unclosed_fence_runs_to_the_end() {
    let host = "```kql\nT\n| take 1\n";
    let e = &all(host)[0];
    assert_eq!(e.query, "T\n| take 1\n");
    assert_eq!(rewrite(host, e, 0, "U\n"), "```kql\nU\n");
}

#[test]
fn tab_indented_content_in_a_list_item() {
    let host = "- ```kql\n\tT\n  ```\n";
    let e = &all(host)[0];
    assert_eq!(e.query, "  T\n");
    assert_eq!(host_of(host, e, "T"), "T");
}

#[test]
fn tilde_fences_grow_only_for_tilde_lines() {
    let host = "~~~kql\nT\n~~~\n";
    let e = &all(host)[0];
    // Backticks do not close a tilde fence.
    assert_eq!(rewrite(host, e, 0, "```\nT\n"), "~~~kql\n```\nT\n~~~\n");
    assert_eq!(
        rewrite(host, e, 0, "~~~~~\nT\n"),
        "~~~~~~kql\n~~~~~\nT\n~~~~~~\n"
    );
}

#[test]
fn unclosed_fence_grows_its_opening_only() {
    let host = "> ```kql\n> T\n";
    let e = &all(host)[0];
    assert_eq!(e.query, "T\n");
    assert_eq!(rewrite(host, e, 0, "```\n"), "> ````kql\n> ```\n");
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
