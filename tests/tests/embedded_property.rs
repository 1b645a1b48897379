//! Property test of issue #16's "What it must show": for random KQL embedded in random YAML,
//! JSON and Markdown wrappers, every diagnostic the CLI reports at host positions covers host
//! text that decodes to exactly the query text the same diagnostic covers when the extracted
//! query is linted on its own.
//!
//! The host side runs what `kql lint` runs (`kql_cli::files::decode`, then
//! `kql_cli::analysis::lint_input`); the query side lints each extracted query directly with
//! `kql_lint::check_and_lint`. Diagnostics are paired by query, code and order; the primary
//! range and every related location (label) are checked. The decoders below are written here,
//! independently of kql-embed: line prefixes removed for block scalars and fences, serde_json
//! for JSON strings, the YAML parser itself for quoted scalars.

use std::ops::Range;

use kql_cli::analysis::{lint_input, LintJob};
use kql_diagnostics::{Diagnostic, TextRange};
use kql_embed::{EmbedOptions, HostKind};
use kql_lint::Settings;
use proptest::prelude::*;

/// The decoders kql-embed's own property tests use (independent of the crate's offset map).
#[path = "../../crates/kql-embed/tests/support/host_decode.rs"]
mod host_decode;
use host_decode::{decode, Decode};
/// The escaper for JSON strings and YAML double-quoted scalars those tests use too.
#[path = "../../crates/kql-embed/tests/support/host_encode.rs"]
mod host_encode;
use host_encode::escape;

/// One pipeline stage; most have a finding (a `contains`, a window past retention, a `take`
/// over the row cap, an unknown column, a `render` that is not last, a shadowed `let`), and the
/// strings carry quotes, backslashes and non-ASCII text.
const STAGES: &[&str] = &[
    r#"where FileName contains "x""#,
    "where Timestamp > ago(45d)",
    "take 500000",
    r#"where ProcessCommandLine has "a\"b\\c""#,
    r#"where FolderPath startswith @"C:\Temp""#,
    r"where FileName =~ 'it\'s'",
    r#"where AccountName == "é😀ü""#,
    r#"where InitiatingProcessFileName contains "ü\u00e9 #x""#,
    "extend Len = strlen(ProcessCommandLine)",
    "where NoSuchColumn == 1",
    "project Timestamp, DeviceName, FileName",
    "summarize count() by bin(Timestamp, 1h)",
    "render timechart",
    "sort by Timestamp desc",
    "where DeviceName == DeviceName",
    "where FileName contains \"😀\" and ProcessId > 4",
];

const TABLES: &[&str] = &[
    "DeviceProcessEvents",
    "DeviceFileEvents",
    "DeviceNetworkEvents",
];

/// Between stages: on one line, or a new line starting with `|` (indented or not), sometimes
/// after a line comment.
const SEPARATORS: &[&str] = &[" | ", "\n| ", "\n    | ", " // note \"q\"\n| "];

/// A query with findings, ending with or without a line break.
fn query() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        proptest::sample::select(TABLES),
        proptest::collection::vec(
            (
                proptest::sample::select(SEPARATORS),
                proptest::sample::select(STAGES),
            ),
            1..6,
        ),
        any::<bool>(),
    )
        .prop_map(|(prelude, table, stages, final_newline)| {
            let mut q = String::new();
            if prelude {
                q.push_str("let DeviceName = \"host-1\";\n");
            }
            q.push_str(table);
            for (sep, stage) in stages {
                q.push_str(sep);
                q.push_str(stage);
            }
            if final_newline {
                q.push('\n');
            }
            q
        })
}

/// One query written in its host form: the value text (for YAML, what follows `query: `; for
/// JSON, the string literal; for Markdown, the whole fence) and its decoder.
struct Written {
    text: String,
    decode: Decode,
    /// The query as the host holds it (a fence's content ends with a line break).
    query: String,
}

/// Whether `q` can be a YAML plain scalar as it is.
fn plain_ok(q: &str) -> bool {
    !q.contains(['\n', '\t', '#'])
        && !q.contains(": ")
        && !q.ends_with([' ', ':'])
        && q.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A YAML block scalar (`|`, `|-`, `|4`, `|4-`, or `>` for one line) under a key at column
/// `col`, with its line break after the last line.
fn yaml_block(q: &str, col: usize, form: u8) -> Option<Written> {
    let body = q.strip_suffix('\n').unwrap_or(q);
    if body.contains('\n') && form == 2 {
        return None; // folded: a line break would become a space
    }
    let chomp = if q.ends_with('\n') { "" } else { "-" };
    let (indicator, indent) = match form {
        0 => (String::new(), col + 2),
        1 => ("4".to_string(), col + 4),
        _ => (String::new(), col + 2),
    };
    let style = if form == 2 { '>' } else { '|' };
    let mut text = format!("{style}{indicator}{chomp}\n");
    for line in body.split('\n') {
        text.push_str(&" ".repeat(indent));
        text.push_str(line);
        text.push('\n');
    }
    Some(Written {
        text,
        decode: Decode::Lines(" ".repeat(indent)),
        query: q.to_string(),
    })
}

fn yaml_value(q: &str, col: usize, form: u8, unicode: bool) -> Option<Written> {
    match form {
        0..=2 => yaml_block(q, col, form),
        3 => Some(Written {
            text: format!("\"{}\"\n", escape(q, true, unicode, false, false)),
            decode: Decode::YamlQuoted('"'),
            query: q.to_string(),
        }),
        4 if !q.contains('\n') => Some(Written {
            text: format!("'{}'\n", q.replace('\'', "''")),
            decode: Decode::YamlQuoted('\''),
            query: q.to_string(),
        }),
        5 if plain_ok(q) => Some(Written {
            text: format!("{q}\n"),
            decode: Decode::Identity,
            query: q.to_string(),
        }),
        _ => None,
    }
}

/// A fence tagged `kql`/`kusto` at the top level, in a bullet or numbered list item, or in a
/// block quote.
fn markdown_fence(q: &str, container: u8, tilde: bool) -> Written {
    let mut content = q.to_string();
    if !content.ends_with('\n') {
        content.push('\n');
    }
    let (first, prefix) = match container {
        0 => ("", ""),
        1 => ("- ", "  "),
        2 => ("1. ", "   "),
        _ => ("> ", "> "),
    };
    let (open, close) = if tilde {
        ("~~~kusto", "~~~")
    } else {
        ("```kql", "```")
    };
    let mut text = format!("{first}{open}\n");
    for line in content.lines() {
        text.push_str(prefix);
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(&format!("{prefix}{close}\n"));
    Written {
        text,
        decode: Decode::Lines(prefix.to_string()),
        query: content,
    }
}

/// A random host file holding one or two queries, each in its own random form.
#[derive(Debug, Clone)]
struct Case {
    kind: HostKind,
    host: String,
    decoders: Vec<Decode>,
    queries: Vec<String>,
}

/// Per query: its text, a form number and two flags (their meaning depends on the host kind).
type Piece = (String, u8, bool, bool);

fn build(kind: u8, pieces: Vec<Piece>, crlf: bool) -> Option<Case> {
    let mut host = String::new();
    let mut decoders = Vec::new();
    let mut queries = Vec::new();
    let kind = match kind {
        0 => {
            for (i, (q, form, nested, unicode)) in pieces.into_iter().enumerate() {
                let col = if nested { 2 } else { 0 };
                let w = yaml_value(&q, col, form % 6, unicode)?;
                host.push_str(&format!("---\nid: rule-{i}\nname: 'Rule {i}'\n"));
                if nested {
                    host.push_str("rule:\n  severity: High\n  query: ");
                } else {
                    host.push_str("query: ");
                }
                host.push_str(&w.text);
                host.push_str("tactics:\n  - Execution\n");
                decoders.push(w.decode);
                queries.push(w.query);
            }
            HostKind::Yaml
        }
        1 => {
            let mut items = Vec::new();
            for (i, (q, form, unicode, slash)) in pieces.into_iter().enumerate() {
                // JSON strings hold CRLF only as escapes: the query itself may have them.
                let q = if crlf { q.replace('\n', "\r\n") } else { q };
                let escaped = escape(&q, false, unicode, form % 2 == 1, slash);
                items.push(format!(
                    "    {{\"name\": \"r{i}\", \"properties\": {{\"severity\": \"High\", \"query\": \"{escaped}\", \"enabled\": true}}}}"
                ));
                decoders.push(Decode::Json);
                queries.push(q);
            }
            host = format!("{{\n  \"resources\": [\n{}\n  ]\n}}\n", items.join(",\n"));
            HostKind::Json
        }
        _ => {
            host.push_str("# Runbook\n\nSteps:\n\n");
            for (q, form, tilde, _) in pieces {
                let w = markdown_fence(&q, form % 4, tilde);
                host.push_str(&w.text);
                host.push_str("\nThen look at the results.\n\n");
                decoders.push(w.decode);
                queries.push(w.query);
            }
            HostKind::Markdown
        }
    };
    if crlf && kind != HostKind::Json {
        host = host.replace('\n', "\r\n");
    }
    Some(Case {
        kind,
        host,
        decoders,
        queries,
    })
}

fn case() -> impl Strategy<Value = Case> {
    let piece = (query(), 0u8..12, any::<bool>(), any::<bool>());
    (
        0u8..3,
        proptest::collection::vec(piece, 1..3),
        any::<bool>(),
    )
        .prop_filter_map(
            "query not representable in that form",
            |(kind, pieces, crlf)| build(kind, pieces, crlf),
        )
}

fn span(r: TextRange) -> Range<usize> {
    usize::from(r.start())..usize::from(r.end())
}

/// The plain-query findings of `query`, ordered and deduplicated as the CLI orders a host's.
fn query_findings(query: &str, settings: &Settings) -> Vec<Diagnostic> {
    let schema = kql_schema::Schema::advanced_hunting();
    let parse = kql_syntax::parse(query);
    let mut out = kql_lint::check_and_lint(query, &parse, settings, schema).diagnostics;
    out.sort_by_key(|d| (d.range.start(), d.range.end()));
    out.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
    out
}

fn check(case: &Case, bom: bool) -> Result<(), TestCaseError> {
    let now: kql_hunting_api::UtcDateTime = kqlkit_tests::NOW.parse().expect("RFC 3339");
    let settings = Settings::new(now);
    let name = match case.kind {
        HostKind::Yaml => "rule.yaml",
        HostKind::Json => "template.json",
        _ => "runbook.md",
    };
    let mut bytes = Vec::new();
    if bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(case.host.as_bytes());
    let mut input = kql_cli::files::decode(bytes, name.into());
    input.kind = case.kind;
    let opts = EmbedOptions::default();
    let job = LintJob {
        blocks: false,
        settings: &settings,
        schema: kql_schema::Schema::advanced_hunting(),
        fix: None,
        relint: false,
    };
    let host = &input.text;
    let outcome = lint_input(&input, &opts, &job)
        .ok_or_else(|| TestCaseError::fail(format!("no query found in {host:?}")))?;
    // The queries as the CLI sees them (its `Input` text has no BOM).
    let found = kql_embed::extract(case.kind, host, &opts)
        .map_err(|e| TestCaseError::fail(format!("{e} in {host:?}")))?;
    prop_assert_eq!(found.len(), case.queries.len(), "{:?}", host);
    for (e, q) in found.iter().zip(&case.queries) {
        prop_assert_eq!(&e.query, q, "host {:?}", host);
    }
    // Host findings grouped by the query they belong to, in the CLI's order.
    let mut host_side: Vec<Vec<&Diagnostic>> = vec![Vec::new(); found.len()];
    for d in &outcome.diagnostics {
        let r = span(d.range);
        let i = found
            .iter()
            .position(|e| e.host_range.start <= r.start && r.end <= e.host_range.end);
        let Some(i) = i else {
            return Err(TestCaseError::fail(format!(
                "{} at {r:?} is outside every query of {host:?}",
                d.code
            )));
        };
        host_side[i].push(d);
    }
    let mut total = 0;
    for (i, e) in found.iter().enumerate() {
        let plain = query_findings(&e.query, &settings);
        total += plain.len();
        let codes = |ds: &mut dyn Iterator<Item = &Diagnostic>| {
            ds.map(|d| d.code.clone()).collect::<Vec<_>>()
        };
        let mut by_code: Vec<&Diagnostic> = host_side[i].clone();
        by_code.sort_by(|a, b| a.code.cmp(&b.code));
        let mut plain_by_code: Vec<&Diagnostic> = plain.iter().collect();
        plain_by_code.sort_by(|a, b| a.code.cmp(&b.code));
        prop_assert_eq!(
            codes(&mut by_code.iter().copied()),
            codes(&mut plain_by_code.iter().copied()),
            "query {:?} in {:?}",
            e.query,
            host
        );
        for (hd, qd) in by_code.iter().zip(&plain_by_code) {
            prop_assert_eq!(&hd.message, &qd.message);
            let mut pairs = vec![(hd.range, qd.range)];
            prop_assert_eq!(hd.labels.len(), qd.labels.len(), "{} labels", &hd.code);
            pairs.extend(
                hd.labels
                    .iter()
                    .zip(&qd.labels)
                    .map(|(h, q)| (h.range, q.range)),
            );
            for (h, q) in pairs {
                let (h, q) = (span(h), span(q));
                let slice = &host[h.clone()];
                prop_assert_eq!(
                    decode(&case.decoders[i], slice),
                    &e.query[q.clone()],
                    "{}: query {:?} -> host {:?} = {:?}\nquery {:?}\nhost {:?}",
                    &hd.code,
                    q,
                    h,
                    slice,
                    e.query,
                    host
                );
            }
        }
    }
    // The generator makes queries with findings: a case without any would check nothing.
    prop_assert!(total > 0, "no findings for {:?}", case.queries);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn host_ranges_decode_to_the_query_text_of_each_finding(case in case(), bom: bool) {
        check(&case, bom)?;
    }
}
