//! End-to-end tests of `kql lint` (every output format, `--diff`, `--fix`), `kql check`,
//! `kql schema` and `kql rule` over `tests/fixtures/lint`: a hunting team's folder of queries with
//! a `kql.toml` (an ignored rule, a severity override, a per-directory override) and inline
//! suppressions. Time rules are pinned with `--now`.

use kqlkit_tests::{
    assert_contains, copy_tree, fixtures, kql, kql_in, kql_stdout, stderr, stdout, TempDir, NOW,
};

/// Standard output of `kql lint --now NOW --format FORMAT lint`, which fails (it has findings).
fn lint(format: &str) -> String {
    kql_stdout(&["lint", "--now", NOW, "--format", format, "lint"], 1)
}

/// The rule names reported in `--format jsonl` output.
fn rules_in(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let start = l.find("\"rule\":\"").map(|i| i + 8);
            start
                .map(|s| l[s..].split('"').next().unwrap_or_default().to_string())
                .unwrap_or_else(|| "-".into())
        })
        .collect()
}

/// The formats snapshot as they are, one snapshot each (`lint_FORMAT`).
#[test]
fn lint_formats() {
    for format in ["human", "json"] {
        insta::assert_snapshot!(format!("lint_{format}"), lint(format));
    }
}

#[test]
fn lint_jsonl_reports_each_problem_once_and_honours_config_and_suppressions() {
    let text = lint("jsonl");
    let rules = rules_in(&text);
    for expected in [
        "time-beyond-retention",
        "unbounded-result",
        "row-limit-exceeded",
        "missing-time-filter",
        "join-without-kind",
        "unused-suppression",
    ] {
        assert!(
            rules.iter().any(|r| r == expected),
            "{expected} missing: {text}"
        );
    }
    // The clean queries, the suppressed `AlertInfo` read and the `legacy/*` override are quiet.
    for quiet in ["lint/clean/", "suppressed.kql", "lint/legacy/"] {
        assert!(!text.contains(quiet), "{quiet} reported: {text}");
    }
    // `[severity] row-limit-exceeded = "error"` from kql.toml.
    assert!(text
        .lines()
        .any(|l| l.contains("\"rule\":\"row-limit-exceeded\"")
            && l.contains("\"severity\":\"error\"")));
    insta::assert_snapshot!(text);
}

#[test]
fn lint_sarif() {
    let text = lint("sarif");
    // The rule table carries every rule's full documentation; snapshot the results and the
    // rule ids, not the prose (which has its own snapshots in kql-lint and via `kql rule`).
    let v: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let mut trimmed = v.clone();
    let rules = trimmed["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("rules");
    for r in rules.iter_mut() {
        let id = r["id"].clone();
        let name = r["name"].clone();
        let level = r["defaultConfiguration"]["level"].clone();
        *r = serde_json::json!({"id": id, "name": name, "defaultConfiguration": {"level": level}});
    }
    trimmed["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    insta::assert_snapshot!(serde_json::to_string_pretty(&trimmed).expect("JSON"));
}

#[test]
fn lint_github_annotations() {
    let text = lint("github");
    for line in text.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "one workflow command a line: {line}"
        );
    }
    insta::assert_snapshot!(text);
}

#[test]
fn lint_diff_shows_fixes_and_writes_nothing() {
    let before = std::fs::read_to_string(fixtures().join("lint/findings/join_without_kind.kql"))
        .expect("fixture");
    let out = kql(&["lint", "--now", NOW, "--diff", "lint"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let after = std::fs::read_to_string(fixtures().join("lint/findings/join_without_kind.kql"))
        .expect("fixture");
    assert_eq!(before, after, "--diff must not write");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn lint_unsafe_diff_includes_unsafe_fixes() {
    let args = ["lint", "--now", NOW, "--diff", "--unsafe-fixes", "lint"];
    insta::assert_snapshot!(kql_stdout(&args, 1));
}

#[test]
fn lint_fix_rewrites_a_copy_and_the_rule_goes_quiet() {
    let tmp = TempDir::new("lint-fix");
    copy_tree(&fixtures().join("lint"), &tmp.path().join("lint"));
    let file = tmp.path().join("lint/findings/join_without_kind.kql");
    let original = std::fs::read_to_string(&file).expect("copy");

    let out = kql_in(tmp.path(), &["lint", "--now", NOW, "--fix", "lint"]);
    // Findings without a safe fix remain, so the run still fails.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let fixed = std::fs::read_to_string(&file).expect("fixed file");
    assert_ne!(original, fixed, "the join file changed");
    assert_contains(&fixed, "join kind=innerunique (");
    // Only the join line changed.
    let changed: Vec<_> = original
        .lines()
        .zip(fixed.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(original.lines().count(), fixed.lines().count());
    // The remaining report no longer has the rule, and re-linting agrees.
    assert!(!stdout(&out).contains("join-without-kind"));
    let again = kql_in(
        tmp.path(),
        &["lint", "--now", NOW, "--format", "jsonl", "lint"],
    );
    let rules = rules_in(&stdout(&again));
    assert!(!rules.iter().any(|r| r == "join-without-kind"), "{rules:?}");
    assert!(rules.iter().any(|r| r == "time-beyond-retention"));
    // Unsafe fixes were not applied without --unsafe-fixes.
    let take = std::fs::read_to_string(tmp.path().join("lint/findings/row_limit_exceeded.kql"))
        .expect("copy");
    assert!(take.contains("take 500000"));
    // A second --fix has nothing left to do.
    let second = kql_in(tmp.path(), &["lint", "--now", NOW, "--diff", "lint"]);
    assert_eq!(stdout(&second), "", "fixes are stable");
    insta::assert_snapshot!(fixed);
}

#[test]
fn check_is_clean_for_valid_names() {
    // `kql check` has no lint rules: the fixture queries use real tables and columns.
    let out = kql(&["check", "lint", "request/powershell_downloads.kql"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "All checks passed!\n");
}

#[test]
fn check_reports_unknown_names() {
    let out = kql_stdin_check(
        "DeviceLogonEvents\n| where Timestamp > ago(1d)\n| where AccountNam == \"admin\"\n| project Timestamp, DeviceNme\n| take 10\n",
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

fn kql_stdin_check(query: &str) -> std::process::Output {
    kqlkit_tests::kql_stdin(&["check", "-"], query)
}

/// `kql schema` and `kql rule` pages, one snapshot each (named after the case).
#[test]
fn reference_pages() {
    let cases: [(&str, &[&str]); 3] = [
        (
            "schema_device_logon_events",
            &["schema", "DeviceLogonEvents"],
        ),
        ("rule_all", &["rule", "--all"]),
        (
            "rule_time_beyond_retention",
            &["rule", "time-beyond-retention"],
        ),
    ];
    for (name, args) in cases {
        insta::assert_snapshot!(name, kql_stdout(args, 0));
    }
}

#[test]
fn lint_takes_user_schemas_like_check() {
    let query = "custom_schema/vpn_exfil.kql";
    let without = lint_jsonl(&[query]);
    assert!(
        without.contains("\"code\":\"KQL201\""),
        "the built-in schema does not know VpnSessions: {without}"
    );
    let out = lint_jsonl(&["--schema", "custom_schema/tables.kql", query]);
    assert!(
        !out.contains("\"code\":\"KQL2"),
        "no semantic errors with the schema: {out}"
    );
}

#[test]
fn time_rules_cover_user_schema_tables() {
    // VpnSessions has a `Timestamp` column, so the schema file gives it a time column.
    let query = "custom_schema/vpn_old.kql";
    let without = lint_jsonl(&[query]);
    assert!(
        !without.contains("\"code\":\"AH001\""),
        "an unknown table has no time column: {without}"
    );
    let with = lint_jsonl(&["--schema", "custom_schema/tables.kql", query]);
    assert!(
        with.contains("\"code\":\"AH001\""),
        "45 days of a user table reach past retention: {with}"
    );
}

/// `kql lint --now NOW --format jsonl ARGS...` over the fixtures; its standard output.
fn lint_jsonl(args: &[&str]) -> String {
    let mut all = vec!["lint", "--now", NOW, "--format", "jsonl"];
    all.extend_from_slice(args);
    stdout(&kql(&all))
}
