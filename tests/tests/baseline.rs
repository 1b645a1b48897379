//! `kql lint --write-baseline` / `--baseline`: gradual adoption in CI. Findings recorded in the
//! baseline are not reported again, even after unrelated edits move them; new findings are; entries
//! that no longer match are listed so the baseline shrinks.

use std::process::Output;

use kqlkit_tests::{assert_contains, assert_lacks, lint_in, scratch_text, stderr, stdout, TempDir};

/// A query with one `contains-instead-of-has` finding (and nothing else).
const QUERY: &str = "DeviceProcessEvents
| where Timestamp > ago(7d)
| where ProcessCommandLine contains \"mimikatz\"
| project Timestamp, DeviceName, ProcessCommandLine
| take 100
";

/// A second query with an `unbounded-result` and a `time-beyond-retention` finding.
const OLD: &str = "DeviceLogonEvents
| where Timestamp > ago(90d)
| where ActionType == \"LogonFailed\"
";

fn repo() -> TempDir {
    scratch_text(
        "baseline",
        &[("rules/process.kql", QUERY), ("rules/logons.kql", OLD)],
    )
}

fn lint(dir: &TempDir, extra: &[&str]) -> Output {
    // `contains-instead-of-has` is an info: make every finding count for the exit status.
    let mut args = vec!["--output-format", "concise", "-q", "--fail-on", "info"];
    args.extend_from_slice(extra);
    lint_in(dir.path(), &args)
}

/// Lints `paths` against `kql-baseline.json` and returns the one finding it reports (the run
/// fails).
fn the_one_new_finding(dir: &TempDir, paths: &[&str]) -> String {
    let mut args = vec!["--baseline", "kql-baseline.json"];
    args.extend_from_slice(paths);
    let out = lint(dir, &args);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "only the new finding: {text}");
    text
}

/// A run against the baseline that reports nothing and finds no entry stale.
fn assert_all_baselined(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", stdout(out));
    assert_eq!(stdout(out), "");
    assert_lacks(&stderr(out), "no longer match");
}

fn write_baseline(dir: &TempDir) {
    let out = lint(dir, &["--write-baseline", "kql-baseline.json", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "findings are recorded, not printed");
    assert_contains(&stderr(&out), "to baseline `kql-baseline.json`");
}

fn edit(dir: &TempDir, file: &str, f: impl FnOnce(&str) -> String) {
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, f(&text)).expect("write");
}

#[test]
fn the_repo_has_findings_without_a_baseline() {
    let dir = repo();
    let out = lint(&dir, &["rules"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("rules/process.kql:3:") && text.contains("AH101"),
        "{text}"
    );
    assert!(text.contains("rules/logons.kql:2:") && text.contains("AH001"));
}

#[test]
fn baselined_findings_are_not_reported() {
    let dir = repo();
    write_baseline(&dir);
    let out = lint(&dir, &["--baseline", "kql-baseline.json", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    // Machine formats carry only the new findings too.
    let json = lint_in(
        dir.path(),
        &[
            "--output-format",
            "json",
            "--baseline",
            "kql-baseline.json",
            "rules",
        ],
    );
    assert_eq!(json.status.code(), Some(0));
    assert_eq!(stdout(&json).trim(), "[]");
}

#[test]
fn edits_above_a_finding_do_not_resurrect_it() {
    let dir = repo();
    write_baseline(&dir);
    edit(&dir, "rules/process.kql", |t| {
        format!("// Hunting for credential theft tools.\n// Reviewed by the SOC.\n\n{t}")
    });
    // The same finding, re-laid out: still the same finding.
    edit(&dir, "rules/logons.kql", |t| {
        t.replace("ago(90d)", "ago( 90d )")
            .replace("\n| where", "\n    | where")
    });
    assert_all_baselined(&lint(&dir, &["--baseline", "kql-baseline.json", "rules"]));
}

/// A new `contains` line in `process.kql` after a baseline: it alone is reported, where it is.
#[test]
fn new_findings_of_a_baselined_rule_are_reported() {
    // (case, the text the new line goes before, the new line, where it is reported, what it
    // says or "" for anything).
    let cases = [
        // Above the old one: the new finding is reported where it is, not the old one moved down.
        (
            "same rule, same file",
            "| where ProcessCommandLine",
            "| where InitiatingProcessFileName contains \"rundll32\"\n",
            "rules/process.kql:3:",
            "`contains \"rundll32\"`",
        ),
        // The same covered text twice: the occurrence index tells them apart.
        (
            "second identical finding",
            "| project",
            "| where ProcessCommandLine contains \"mimikatz\"\n",
            "rules/process.kql:4:",
            "",
        ),
    ];
    for (case, before, line, at, says) in cases {
        let dir = repo();
        write_baseline(&dir);
        edit(&dir, "rules/process.kql", |t| {
            t.replace(before, &format!("{line}{before}"))
        });
        let text = the_one_new_finding(&dir, &["rules"]);
        assert!(
            text.starts_with(at) && text.contains(says),
            "{case}: {text}"
        );
    }
}

#[test]
fn stale_entries_are_listed_and_do_not_fail() {
    let dir = repo();
    write_baseline(&dir);
    edit(&dir, "rules/process.kql", |t| t.replace("contains", "has"));
    let out = lint(&dir, &["--baseline", "kql-baseline.json", "rules"]);
    assert_eq!(out.status.code(), Some(0), "fixing never fails the run");
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert_contains(
        &err,
        "1 baseline entry in `kql-baseline.json` no longer matches",
    );
    assert_contains(&err, "rules/process.kql: AH101 contains-instead-of-has #0");
    assert_lacks(&err, "logons.kql");
    // A file not linted in this run is not stale; a deleted file is.
    let only_one = lint(
        &dir,
        &["--baseline", "kql-baseline.json", "rules/logons.kql"],
    );
    assert!(!stderr(&only_one).contains("no longer match"));
    std::fs::remove_file(dir.path().join("rules/process.kql")).expect("remove");
    let deleted = lint(
        &dir,
        &["--baseline", "kql-baseline.json", "rules/logons.kql"],
    );
    assert_contains(&stderr(&deleted), "rules/process.kql: AH101");
    // Writing the baseline again drops the entry.
    write_baseline(&dir);
    let text = std::fs::read_to_string(dir.path().join("kql-baseline.json")).expect("baseline");
    assert_lacks(&text, "process.kql");
}

#[test]
fn write_baseline_is_deterministic_sorted_and_documented_shape() {
    let dir = repo();
    write_baseline(&dir);
    let first = std::fs::read(dir.path().join("kql-baseline.json")).expect("baseline");
    write_baseline(&dir);
    let second = std::fs::read(dir.path().join("kql-baseline.json")).expect("baseline");
    assert_eq!(first, second, "same findings, same bytes");
    let text = String::from_utf8(first).expect("UTF-8");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["version"], 1);
    let findings = v["findings"].as_array().expect("findings");
    assert!(findings.len() >= 3, "{text}");
    let keys: Vec<(String, String, String, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["file"].as_str().expect("file").to_string(),
                f["code"].as_str().expect("code").to_string(),
                f["fingerprint"].as_str().expect("fingerprint").to_string(),
                f["occurrence"].as_u64().expect("occurrence"),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "entries sorted by file, code, fingerprint");
    // One entry a line, so a review diff shows one line per finding.
    let entry_lines = text
        .lines()
        .filter(|l| l.contains("\"fingerprint\""))
        .count();
    assert_eq!(entry_lines, findings.len(), "{text}");
    assert!(
        !text.contains(dir.path().to_str().expect("path")),
        "no absolute paths"
    );
    let contains = findings
        .iter()
        .find(|f| f["code"] == "AH101")
        .expect("AH101 entry");
    assert_eq!(contains["file"], "rules/process.kql");
    assert_eq!(contains["rule"], "contains-instead-of-has");
    assert_eq!(contains["occurrence"], 0);
}

#[test]
fn paths_are_relative_to_the_baseline_folder() {
    let dir = repo();
    write_baseline(&dir);
    // Run from inside rules/: the baseline's paths still match.
    let sub = dir.path().join("rules");
    let out = lint_in(
        &sub,
        &[
            "-q",
            "--output-format",
            "concise",
            "--baseline",
            "../kql-baseline.json",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_lacks(&stderr(&out), "no longer match");
}

#[test]
fn a_missing_or_foreign_baseline_is_a_usage_error() {
    let dir = repo();
    let missing = lint(&dir, &["--baseline", "nope.json", "rules"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("--write-baseline"));
    std::fs::write(
        dir.path().join("future.json"),
        "{\"version\": 99, \"findings\": []}",
    )
    .expect("write");
    let future = lint(&dir, &["--baseline", "future.json", "rules"]);
    assert_eq!(future.status.code(), Some(2));
    assert_contains(&stderr(&future), "version 99");
    let both = lint(
        &dir,
        &[
            "--baseline",
            "a.json",
            "--write-baseline",
            "b.json",
            "rules",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
}

/// A Sentinel-style analytic rule with a `contains` finding in its block-scalar query.
const RULE_YAML: &str = "id: 3f6c9a52-0d7e-4b8f-9c21-5a4e7d2b1c90
name: Rundll32 fetching a URL
queryPeriod: 1d
query: |
  DeviceProcessEvents
  | where Timestamp > ago(1d)
  | where ProcessCommandLine contains \"http\"
  | take 100
";

/// A runbook whose fenced query reads 90 days.
const RUNBOOK_MD: &str = "# Failed logons

```kql
DeviceLogonEvents
| where Timestamp > ago(90d)
| take 10
```
";

#[test]
fn embedded_findings_are_keyed_by_host_file_and_survive_edits_around_the_query() {
    let dir = scratch_text(
        "baseline-embedded",
        &[
            ("rules/rundll32.yaml", RULE_YAML),
            ("docs/runbook.md", RUNBOOK_MD),
        ],
    );
    let first = lint(&dir, &["rules", "docs"]);
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    let out = lint(
        &dir,
        &["--write-baseline", "kql-baseline.json", "rules", "docs"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("kql-baseline.json")).expect("baseline");
    assert_contains(
        &text,
        "\"file\": \"rules/rundll32.yaml\", \"code\": \"AH101\"",
    );
    assert_contains(&text, "\"file\": \"docs/runbook.md\", \"code\": \"AH001\"");
    // Re-indent the YAML block and add keys above it; add prose above the fence.
    edit(&dir, "rules/rundll32.yaml", |t| {
        t.replace("\n  ", "\n    ").replace(
            "queryPeriod: 1d\n",
            "description: |\n  Rundll32 rarely downloads anything.\nseverity: Medium\nqueryPeriod: 1d\n",
        )
    });
    edit(&dir, "docs/runbook.md", |t| {
        t.replace("# Failed logons\n", "# Failed logons\n\nRun this first.\n")
    });
    assert_all_baselined(&lint(
        &dir,
        &["--baseline", "kql-baseline.json", "rules", "docs"],
    ));
    // A new finding of the same rule in the same host file is reported, at its host line.
    edit(&dir, "rules/rundll32.yaml", |t| {
        t.replace(
            "    | take 100",
            "    | where InitiatingProcessFileName contains \"rundll\"\n    | take 100",
        )
    });
    let text = the_one_new_finding(&dir, &["rules", "docs"]);
    assert!(text.starts_with("rules/rundll32.yaml:11:"), "{text}");
}

#[test]
fn fix_still_fixes_baselined_findings_and_their_entries_become_stale() {
    let dir = repo();
    write_baseline(&dir);
    let out = lint(
        &dir,
        &[
            "--fix",
            "--unsafe-fixes",
            "--baseline",
            "kql-baseline.json",
            "rules/process.kql",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let fixed = std::fs::read_to_string(dir.path().join("rules/process.kql")).expect("file");
    assert_contains(&fixed, "has \"mimikatz\"");
    let err = stderr(&out);
    assert_contains(&err, "rules/process.kql: AH101 contains-instead-of-has");
    assert_contains(&err, "no longer match");
}
