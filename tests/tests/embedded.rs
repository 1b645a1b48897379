//! End-to-end tests of queries embedded in host files, over `tests/fixtures/embedded`: a
//! detection repository of our own (Sentinel-style analytic rules in every YAML scalar style, a
//! CRLF file, a byte-order mark, a tab-indented broken file, a hunting query, a Markdown runbook,
//! an ARM template, and unrelated YAML/JSON that must be skipped).
//!
//! Every output format is snapshot; positions are checked against the host bytes; `--fix` and
//! `kql fmt` are checked by reading the queries back out of the rewritten files.

use std::path::Path;

use kql_embed::{EmbedOptions, HostKind};
use kqlkit_tests::{
    assert_contains, assert_lacks, copy_tree, fixtures, kql, kql_in, kql_stdin_in, lint_concise_in,
    lint_in, scratch, stderr, stdout, TempDir, NOW,
};
use serde_json::Value;

fn lint(format: &str) -> std::process::Output {
    kql(&["lint", "--now", NOW, "--output-format", format, "embedded"])
}

/// A JSON file that does not parse (and has no queries), left out of folder walks.
const BROKEN_HOST: &str = "embedded/misc/broken_settings.json";

/// `kql lint --output-format concise` with `args`, from `tests/fixtures` (no `--now`).
fn concise(args: &[&str]) -> std::process::Output {
    kql(&[&["lint", "--output-format", "concise"][..], args].concat())
}

fn lint_ok(format: &str) -> String {
    let out = lint(format);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stdout(&out)
}

/// Every text format over the whole tree, one snapshot a format (named after it, `-` as `_`).
#[test]
fn text_formats() {
    for format in [
        "full",
        "concise",
        "json",
        "json-lines",
        "github",
        "gitlab",
        "junit",
    ] {
        insta::assert_snapshot!(format.replace('-', "_"), lint_ok(format));
    }
}

#[test]
fn sarif() {
    let v: Value = serde_json::from_str(&lint_ok("sarif")).expect("SARIF is JSON");
    // Results only: the rule table's prose has its own snapshots.
    let mut trimmed = v["runs"][0]["results"].clone();
    for r in trimmed.as_array_mut().expect("results") {
        r["message"] = r["message"]["text"].as_str().unwrap_or("").into();
        // Fingerprints are the baseline's business (tested with it), not positions.
        if let Some(o) = r.as_object_mut() {
            o.remove("partialFingerprints");
        }
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&trimmed).expect("JSON"));
}

/// Line and column (1-based, columns in characters) of byte `offset` of `text`.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, column as u64)
}

/// Every finding's `start`/`end` are byte offsets of the host file as stored (a byte-order mark
/// counts), its line and column are those of the host text, and the bytes it covers are what it
/// is about.
#[test]
fn positions_are_host_positions() {
    let all: Vec<Value> = serde_json::from_str(&lint_ok("json")).expect("JSON array");
    assert!(all.len() > 10, "{all:?}");
    let mut seen = std::collections::BTreeSet::new();
    for d in &all {
        let file = d["file"].as_str().expect("file");
        let bytes = std::fs::read(fixtures().join(file)).expect("fixture");
        let base = if bytes.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let text = std::str::from_utf8(&bytes[base..]).expect("UTF-8");
        let (start, end) = (
            d["start"].as_u64().expect("start") as usize,
            d["end"].as_u64().expect("end") as usize,
        );
        assert!(base <= start && start <= end && end <= bytes.len(), "{d}");
        let (line, column) = line_col(text, start - base);
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line), Some(column)),
            "{d}"
        );
        let (end_line, end_column) = line_col(text, end - base);
        assert_eq!(
            (d["end_line"].as_u64(), d["end_column"].as_u64()),
            (Some(end_line), Some(end_column)),
            "{d}"
        );
        let covered = &text[start - base..end - base];
        let code = d["code"].as_str().expect("code");
        let ok = match code {
            "AH102" => covered.starts_with("join"),
            "AH104" => covered.starts_with("tolower("),
            "AH101" => covered == "contains",
            "AH123" => covered == "count_distinct",
            "AH001"
                if d["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("queryPeriod")) =>
            {
                covered == "45d"
            }
            "AH001" => covered.starts_with("Timestamp > ago("),
            _ => true,
        };
        assert!(ok, "{code} covers {covered:?}: {d}");
        seen.insert((
            file.rsplit('/').next().unwrap_or(file).to_string(),
            code.to_string(),
        ));
        // A fix's edits are host edits too: inside the file, in host form.
        for e in d["fix"]["edits"].as_array().into_iter().flatten() {
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert!(base <= s && s <= t && t <= bytes.len(), "{d}");
        }
    }
    // The JSON string's escapes are inside the range: `\"\u0070owershell.exe\"` as written.
    let arm = all
        .iter()
        .find(|d| d["code"] == "AH104" && d["file"] == "embedded/arm/custom_detection.json")
        .expect("the ARM template's tolower finding");
    let text =
        std::fs::read_to_string(fixtures().join("embedded/arm/custom_detection.json")).unwrap();
    let covered =
        &text[arm["start"].as_u64().unwrap() as usize..arm["end"].as_u64().unwrap() as usize];
    assert!(
        covered.ends_with("\\\"\\u0070owershell.exe\\\""),
        "{covered}"
    );
    for (file, code) in [
        ("crlf_rule.yaml", "AH102"),
        ("bom_rule.yaml", "AH002"),
        ("double_quoted.yaml", "AH101"),
        ("folded_logons.yaml", "AH104"),
        ("single_quoted.yaml", "AH104"),
        ("plain_query.yaml", "AH002"),
        ("tab_indented.yaml", "EMB002"),
        ("rare_parent_process.yaml", "AH123"),
        ("triage.md", "AH001"),
        ("custom_detection.json", "AH102"),
    ] {
        assert!(
            seen.contains(&(file.to_string(), code.to_string())),
            "{file} {code}: {seen:?}"
        );
    }
}

#[test]
fn folder_walks_skip_hosts_without_queries_and_their_errors() {
    let text = lint_ok("concise");
    assert_lacks(&text, "embedded/misc/");
    assert_lacks(&text, "parameters.json");
    // Named explicitly, a broken host is reported; a host without queries is quietly clean.
    let out = concise(&[BROKEN_HOST]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("{BROKEN_HOST}:3:20: EMB003 ")),
        "{text}"
    );
    let out = kql(&[
        "lint",
        "embedded/misc/notes.yaml",
        "embedded/arm/parameters.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn host_parse_errors_follow_the_selection_and_are_documented() {
    let file = BROKEN_HOST;
    for ignore in ["EMB003", "invalid-json", "EMB"] {
        let out = concise(&["--ignore", ignore, file]);
        assert_eq!(out.status.code(), Some(0), "{ignore}: {}", stderr(&out));
        assert_lacks(&stdout(&out), "EMB003");
    }
    // Selecting a KQL code only leaves EMB003 out too; selecting it keeps it.
    let out = kql(&["lint", "--select", "KQL2", file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = concise(&["--select", "EMB", file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(&stdout(&out), " EMB003 ");
    let out = kql(&["rule", "EMB002"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = stdout(&out);
    assert_contains(&doc, "yaml-tab-indentation");
    assert_contains(&doc, "YAML forbids tabs in indentation");
}

#[test]
fn query_period_is_the_window_and_follows_the_selection() {
    let concise = |args: &[&str]| stdout(&lint_concise_in(&fixtures(), args));
    let file = "embedded/rules/long_lookback.yaml";
    let text = concise(&["--select", "time-beyond-retention", file]);
    assert!(
        text.contains(&format!(
            "{file}:6:14: AH001 [time-beyond-retention] queryPeriod `45d`"
        )),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");
    assert_eq!(concise(&["--ignore", "AH001", file]), "");

    // A query without a time filter runs over its queryPeriod: no missing-time-filter finding,
    // which the same query as a .kql file gets.
    let query = "DeviceEvents\n| where ActionType == \"ServiceInstalled\"\n| take 10\n";
    let rule = format!(
        "name: x\nqueryPeriod: 2d\nquery: |\n  {}\n",
        query.trim_end().replace('\n', "\n  ")
    );
    let long = rule.replace("2d", "60d");
    let dir = scratch(
        "embedded-period",
        &[
            ("rule.yaml", rule.as_bytes()),
            ("long.yaml", long.as_bytes()),
            ("query.kql", query.as_bytes()),
            (
                "strict/kql.toml",
                b"[severity]\ntime-beyond-retention = \"error\"\n",
            ),
            ("strict/long.yaml", long.as_bytes()),
            (
                "arm.json",
                b"{\n  \"properties\": {\n    \"query\": \"DeviceEvents | take 10\",\n    \"queryPeriod\": \"P60D\"\n  }\n}\n",
            ),
        ],
    );
    let run = |path: &str| stdout(&lint_concise_in(dir.path(), &[path]));
    assert!(run("query.kql").contains("AH004"));
    assert_eq!(run("rule.yaml"), "");
    assert_eq!(
        run("long.yaml"),
        "long.yaml:2:14: AH001 [time-beyond-retention] queryPeriod `60d` reaches back 60 days, past the 30-day retention window\n"
    );
    // ARM templates write it in ISO 8601.
    assert_eq!(
        run("arm.json"),
        "arm.json:4:20: AH001 [time-beyond-retention] queryPeriod `P60D` reaches back 60 days, past the 30-day retention window\n"
    );
    let out = lint_in(dir.path(), &["--output-format", "json", "strict/long.yaml"]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v[0]["severity"], "error", "{v}");
}

#[test]
fn embedded_keys_come_from_kql_toml() {
    let dir = scratch(
        "embedded-keys",
        &[
            ("kql.toml", b"[embedded]\nyaml-keys = [\"detection\"]\nmarkdown-tags = [\"hunting\"]\njson-keys = []\n"),
            ("rule.yaml", b"query: DeviceEvents | take 10\ndetection: |\n  DeviceEvents\n  | where Timestamp > ago(90d)\n  | take 10\n"),
            ("notes.md", b"```kql\nDeviceEvents | where Timestamp > ago(90d) | take 1\n```\n\n```hunting\nDeviceEvents\n| where Timestamp > ago(60d)\n| take 1\n```\n"),
            ("rule.json", b"{\"query\": \"DeviceEvents | where Timestamp > ago(90d) | take 1\"}"),
        ],
    );
    let out = lint_concise_in(dir.path(), &["."]);
    assert_eq!(
        stdout(&out),
        "./notes.md:7:9: AH001 [time-beyond-retention] time filter reaches back 60 days (to 2026-09-28T00:00:00Z), past the 30-day retention window: older rows are silently missing\n\
         ./rule.yaml:4:11: AH001 [time-beyond-retention] time filter reaches back 90 days (to 2026-08-29T00:00:00Z), past the 30-day retention window: older rows are silently missing\n",
        "{}",
        stderr(&out)
    );
    std::fs::write(
        dir.path().join("kql.toml"),
        "[embedded]\nyaml-key = [\"query\"]\n",
    )
    .unwrap();
    let out = kql_in(dir.path(), &["lint", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &stderr(&out),
        "2:1: unknown key `yaml-key` in [embedded] (did you mean `yaml-keys`?)",
    );
}

/// The host files of a tree that hold queries, with their kind.
fn hosts(root: &Path) -> Vec<(String, HostKind)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(kind) = HostKind::from_path(&path).filter(|k| *k != HostKind::Kql) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, kind));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The text a file's queries are read from (no byte-order mark), and the mark.
fn host_text(path: &Path) -> (String, bool) {
    let bytes = std::fs::read(path).expect("host");
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[if bom { 3 } else { 0 }..].to_vec()).expect("UTF-8");
    (text, bom)
}

/// What `args` (`lint --fix ...` or `fmt`) makes of `query` as a plain query file.
fn as_query_file(dir: &Path, args: &[&str], query: &str) -> String {
    let out = kql_stdin_in(dir, args, query.as_bytes());
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Runs `command` over a copy of the fixtures, then checks every host: it still parses as
/// YAML/JSON/Markdown, each query reads back as exactly what `expected` makes of the original
/// query as a plain file, and every byte outside the queries is unchanged.
fn check_write_back(command: &[&str], expected: &[&str]) -> TempDir {
    let tmp = TempDir::new("embedded-write");
    copy_tree(&fixtures().join("embedded"), &tmp.path().join("embedded"));
    std::fs::remove_dir_all(tmp.path().join("embedded/rules/broken")).expect("drop broken");
    let root = tmp.path().join("embedded");
    let opts = EmbedOptions::default();
    let before: Vec<_> = hosts(&root)
        .into_iter()
        .map(|(rel, kind)| {
            let (text, bom) = host_text(&root.join(&rel));
            (rel, kind, text, bom)
        })
        .collect();
    let out = kql_in(tmp.path(), command);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let mut changed = 0;
    for (rel, kind, old, bom) in &before {
        let (new, new_bom) = host_text(&root.join(rel));
        assert_eq!(*bom, new_bom, "{rel}: byte-order mark kept");
        // Files without queries (or unrelated broken ones) are not touched.
        if kql_embed::extract(*kind, old, &opts).map_or(true, |q| q.is_empty()) {
            assert_eq!(old, &new, "{rel}");
            continue;
        }
        if *kind == HostKind::Json {
            serde_json::from_str::<Value>(&new).unwrap_or_else(|e| panic!("{rel} is JSON: {e}"));
        }
        let old_q = kql_embed::extract(*kind, old, &opts).expect("original parses");
        let new_q = kql_embed::extract(*kind, &new, &opts)
            .unwrap_or_else(|e| panic!("{rel} no longer parses: {e}\n{new}"));
        assert_eq!(old_q.len(), new_q.len(), "{rel}");
        changed += usize::from(*old != new);
        // Bytes before, between and after the queries are unchanged.
        let mut at = (0, 0);
        for (o, n) in old_q.iter().zip(&new_q) {
            let want = as_query_file(tmp.path(), expected, &o.query);
            // A folded scalar cannot take the formatter's line breaks: that query stays (with a
            // note).
            if !(rel.contains("folded") && n.query == o.query) {
                assert_eq!(n.query, want, "{rel}: {}", o.label);
            }
            assert_eq!(
                old[at.0..o.host_range.start],
                new[at.1..n.host_range.start],
                "{rel}"
            );
            at = (o.host_range.end, n.host_range.end);
            // A quoted or plain value rewritten as a block scalar owns its line break: the
            // value's range then ends after it.
            let eol =
                |t: &str, i: usize| ["\r\n", "\n"].into_iter().find(|e| t[i..].starts_with(e));
            if let (Some(e), None) = (eol(old, at.0), eol(&new, at.1)) {
                if new[..at.1].ends_with(e) {
                    at.0 += e.len();
                }
            }
        }
        assert_eq!(old[at.0..], new[at.1..], "{rel}");
        if rel.contains("crlf") {
            assert!(
                !new.replace("\r\n", "").contains('\n'),
                "{rel}: CRLF kept\n{new:?}"
            );
        }
    }
    assert!(changed >= 4, "{changed} hosts changed\n{}", stderr(&out));
    tmp
}

#[test]
fn lint_fix_writes_back_into_hosts() {
    let tmp = check_write_back(
        &["lint", "--now", NOW, "--fix", "embedded"],
        &[
            "lint",
            "--now",
            NOW,
            "--fix",
            "--stdin-filename",
            "q.kql",
            "-",
        ],
    );
    // The fixed findings are gone from the hosts.
    let out = lint_in(
        tmp.path(),
        &[
            "--output-format",
            "concise",
            "--select",
            "AH102,AH104",
            "embedded",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn fmt_writes_back_into_hosts() {
    let tmp = check_write_back(&["fmt", "embedded"], &["fmt", "-"]);
    let out = kql_in(tmp.path(), &["fmt", "--check", "embedded"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_contains(&stderr(&out), "embedded/rules/folded_logons.yaml:10: query left unchanged: a line break inside a folded `>` scalar");
}

#[test]
fn a_fix_the_host_cannot_hold_is_skipped_with_a_note() {
    let tmp = TempDir::new("embedded-folded");
    copy_tree(
        &fixtures().join("embedded/rules"),
        &tmp.path().join("rules"),
    );
    let out = lint_in(
        tmp.path(),
        &["--fix", "--unsafe-fixes", "rules/folded_logons.yaml"],
    );
    assert_contains(&stderr(&out), "kql: note: rules/folded_logons.yaml:15:5: AH002 fix not applied (Add `| take 100000`): a line break inside a folded `>` scalar");
    let fixed = std::fs::read_to_string(tmp.path().join("rules/folded_logons.yaml")).unwrap();
    assert_contains(&fixed, "  | where AccountName =~ \"administrator\"\n");
    assert_lacks(&fixed, "take");
}

#[test]
fn diff_and_fmt_check_show_host_changes_and_write_nothing() {
    let before = std::fs::read(fixtures().join("embedded/arm/custom_detection.json")).unwrap();
    let out = kql(&["lint", "--now", NOW, "--diff", "embedded"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let diff = stdout(&out);
    let out = kql(&["fmt", "--check", "embedded"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(fixtures().join("embedded/arm/custom_detection.json")).unwrap(),
        before
    );
    insta::assert_snapshot!(format!(
        "{diff}\n--- fmt --check ---\n{}{}",
        stdout(&out),
        stderr(&out)
    ));
}

#[test]
fn check_and_parse_report_at_host_lines() {
    let dir = scratch(
        "embedded-check",
        &[("rule.yaml", b"name: x\nquery: |\n  DeviceEvents\n  | where Timestamp > ago(1d)\n  | project DeviceNmae\n  | where (\n")],
    );
    let concise = |command: &str| {
        let args = [
            command,
            "--output-format",
            "concise",
            "--quiet",
            "rule.yaml",
        ];
        stdout(&kql_in(dir.path(), &args))
    };
    let text = concise("check");
    assert_contains(&text, "rule.yaml:5:13: KQL202 ");
    assert_contains(&text, "rule.yaml:6:");
    let text = concise("parse");
    assert!(text.starts_with("rule.yaml:6:"), "{text}");
    assert_lacks(&text, "KQL202");
}

#[test]
fn standard_input_is_a_host_when_stdin_filename_names_one() {
    let rule = "name: x\nquery: |\n  DeviceEvents\n  | where Timestamp > ago(1d)\n  | join (DeviceInfo | where Timestamp > ago(1d)) on DeviceId\n  | take 1\n";
    // `rule.yaml` on standard input, linted with `args` first.
    let lint_rule = |args: &[&str]| {
        let mut all = vec!["lint", "--now", NOW];
        all.extend_from_slice(args);
        all.extend(["--stdin-filename", "rule.yaml", "-"]);
        stdout(&kql_stdin_in(&fixtures(), &all, rule.as_bytes()))
    };
    assert_eq!(
        lint_rule(&["--output-format", "concise", "--quiet"]),
        "rule.yaml:5:5: AH102 [join-without-kind] [*] `join` without `kind=` uses `innerunique`, which drops duplicate left keys\n"
    );
    // `--fix -` prints the fixed host text, and only it, on standard output.
    assert_eq!(
        lint_rule(&["--fix"]),
        rule.replace("join (", "join kind=innerunique (")
    );
}
