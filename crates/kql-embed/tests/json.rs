//! JSON hosts: ARM templates with escaped query strings.

use kql_embed::{apply_edits, extract, EmbedOptions, Embedded, HostKind};

fn all(host: &str) -> Vec<Embedded> {
    extract(HostKind::Json, host, &EmbedOptions::default()).expect("parses")
}

fn host_of<'h>(host: &'h str, e: &Embedded, needle: &str) -> &'h str {
    let at = e.query.find(needle).expect("needle in query");
    &host[e.range_to_host(at..at + needle.len())]
}

const ARM: &str = r#"{
  // ARM templates may carry comments
  "resources": [
    {
      "type": "Microsoft.OperationalInsights/workspaces/providers/alertRules",
      "properties": {
        "displayName": "Rare process",
        "queryPeriod": "PT14H",
        "query": "DeviceProcessEvents\r\n| where FileName == \"x.exe\"\n| extend P = \"C:\\\\Temp\", A = \u0041\n| take 10",
      }
    }
  ]
}
"#;

#[test]
fn arm_template_query_with_escapes() {
    let v = all(ARM);
    assert_eq!(v.len(), 1);
    let e = &v[0];
    assert_eq!(
        e.query,
        "DeviceProcessEvents\r\n| where FileName == \"x.exe\"\n| extend P = \"C:\\\\Temp\", A = A\n| take 10"
    );
    assert_eq!(e.label, "resources[0].properties.query");
    assert!(ARM[e.host_range.clone()].starts_with("\"DeviceProcessEvents"));
    assert!(ARM[e.host_range.clone()].ends_with("take 10\""));
    assert_eq!(host_of(ARM, e, "\r\n"), r"\r\n");
    assert_eq!(host_of(ARM, e, "\"x.exe\""), r#"\"x.exe\""#);
    assert_eq!(host_of(ARM, e, "\\\\Temp"), r"\\\\Temp");
    assert_eq!(host_of(ARM, e, "= A\n"), r"= \u0041\n");
    assert_eq!(e.to_host(0), ARM.find("DeviceProcessEvents").unwrap());
    assert_eq!(e.to_host(e.query.len()), e.host_range.end - 1);
    let p = e.metadata.query_period.as_ref().unwrap();
    assert_eq!(p.text, "PT14H");
    assert_eq!(&ARM[p.range.clone()], "\"PT14H\"");
}

#[test]
fn surrogate_pairs_map_to_both_escapes() {
    let host = r#"{"query": "T | where N == \"\ud83d\ude00\" and M == 'é'"}"#;
    let e = &all(host)[0];
    assert_eq!(e.query, "T | where N == \"😀\" and M == 'é'");
    assert_eq!(host_of(host, e, "😀"), r"\ud83d\ude00");
    assert_eq!(host_of(host, e, "'é'"), "'é'");
}

#[test]
fn replacement_re_escapes_and_reads_back() {
    let e = &all(ARM)[0];
    let new = "T\n| where A == \"q\\\\\" and B == '\t'\u{1}";
    let edit = e.replacement(ARM, new).unwrap();
    assert_eq!(edit.range, e.host_range);
    assert_eq!(
        edit.text,
        r#""T\n| where A == \"q\\\\\" and B == '\t'\u0001""#
    );
    let out = apply_edits(ARM, vec![edit.clone()]);
    assert_eq!(all(&out)[0].query, new);
    assert_eq!(&out[..edit.range.start], &ARM[..edit.range.start]);
    assert_eq!(
        &out[edit.range.start + edit.text.len()..],
        &ARM[edit.range.end..]
    );
    // An independent strict parser reads the same string back.
    let strict = r#"{"query": "a", "n": 1}"#;
    let e = &all(strict)[0];
    let out = apply_edits(strict, vec![e.replacement(strict, new).unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["query"], new);
}

#[test]
fn keys_at_any_depth_and_bom() {
    let host = "\u{feff}[{\"query\": \"a\"}, {\"x\": {\"query\": \"b\", \"queryPeriod\": \"P1D\"}}, {\"query\": 3}]";
    let v = all(host);
    let q: Vec<_> = v
        .iter()
        .map(|e| (e.query.as_str(), e.label.as_str()))
        .collect();
    assert_eq!(q, [("a", "[0].query"), ("b", "[1].x.query")]);
    assert_eq!(&host[v[0].range_to_host(0..1)], "a");
    assert!(v[0].metadata.query_period.is_none());
    assert_eq!(v[1].metadata.query_period.as_ref().unwrap().text, "P1D");
}

#[test]
fn syntax_error_has_code_and_offset() {
    let host = "{\"query\": \"a\" \"b\"}";
    let err = extract(HostKind::Json, host, &EmbedOptions::default()).unwrap_err();
    assert_eq!(err.code, "EMB003");
    assert!(err.offset >= host.find("\"b\"").unwrap() - 1, "{err:?}");
}
