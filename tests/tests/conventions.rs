//! ruff's conventions, end to end: output formats, `--statistics`, `--exit-zero`, `--quiet`,
//! `--silent`, `--color`, `--show-settings`, `--extend-select`, file discovery (`.gitignore`,
//! hidden folders, `exclude`/`extend-exclude`) and JSON for tools (`rule --all`, `schema`).

use kqlkit_tests::{
    assert_contains, assert_lacks, kql, kql_in, scratch, scratch_text, stderr, stdout, NOW,
};

fn lint(args: &[&str]) -> std::process::Output {
    kql(&[&["lint", "--now", NOW][..], args, &["lint"]].concat())
}

/// The findings over `tests/fixtures/lint`, as JSON objects (what the other formats must match).
fn findings() -> Vec<serde_json::Value> {
    let out = lint(&["--output-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    v.as_array().expect("an array").clone()
}

#[test]
fn concise_is_one_line_a_finding_and_format_is_an_alias() {
    let out = lint(&["--output-format", "concise"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[..lines.len() - 1]
            .iter()
            .all(|l| l.starts_with("lint/") && l.contains(": ")),
        "{text}"
    );
    assert!(
        text.contains(
            "lint/findings/join_without_kind.kql:6:3: AH102 [join-without-kind] [*] `join` without"
        ),
        "{text}"
    );
    let n = findings().len();
    assert_eq!(lines.len(), n + 1, "{text}");
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with(&format!("Found {n} problems: 1 error, "))),
        "{text}"
    );
    insta::assert_snapshot!(text);
    let alias = lint(&["--format", "concise"]);
    assert_eq!(stdout(&alias), text);
}

/// GitLab's fingerprint of each finding, in report order.
fn gitlab_fingerprints(dir: &std::path::Path) -> Vec<String> {
    let out = kql_in(
        dir,
        &["lint", "--now", NOW, "--output-format", "gitlab", "q.kql"],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    v.as_array()
        .expect("an array")
        .iter()
        .map(|i| {
            i["fingerprint"]
                .as_str()
                .expect("a fingerprint")
                .to_string()
        })
        .collect()
}

#[test]
fn gitlab_fingerprints_are_unique_and_survive_edits_above() {
    let query = "DeviceProcessEvents\n| where ProcessCommandLine contains \"mimikatz\"\n\
                 | where FileName contains \"rundll32\"\n";
    let before = scratch_text("gitlab-fp", &[("q.kql", query)]);
    let edited = format!("// Reviewed.\n\n{query}");
    let after = scratch_text("gitlab-fp2", &[("q.kql", &edited)]);
    let (a, b) = (
        gitlab_fingerprints(before.path()),
        gitlab_fingerprints(after.path()),
    );
    assert!(a.len() >= 3, "{a:?}");
    let unique: std::collections::HashSet<_> = a.iter().collect();
    assert_eq!(unique.len(), a.len(), "one fingerprint per finding: {a:?}");
    assert_eq!(a, b, "lines added above do not change fingerprints");
}

#[test]
fn gitlab_and_junit_reports() {
    let out = lint(&["--output-format", "gitlab"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let issues = v.as_array().expect("an array");
    let n = findings().len();
    assert_eq!(issues.len(), n);
    for i in issues {
        assert!(
            i["fingerprint"].as_str().is_some_and(|f| f.len() == 16),
            "{i}"
        );
        assert!(i["location"]["lines"]["begin"].as_u64().is_some(), "{i}");
        assert!(
            ["info", "minor", "major"].contains(&i["severity"].as_str().unwrap_or("")),
            "{i}"
        );
    }
    let again = lint(&["--output-format", "gitlab"]);
    assert_eq!(stdout(&again), stdout(&out), "fingerprints are stable");

    let out = lint(&["--output-format", "junit"]);
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains(&format!(r#"failures="{n}">"#)), "{xml}");
    assert!(
        xml.contains(
            r#"<testcase name="no findings" classname="lint/clean/encoded_powershell.kql"/>"#
        ),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), n);
}

#[test]
fn statistics_exit_zero_quiet_silent() {
    let out = lint(&["--statistics"]);
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.trim_start() == "1  AH102   join-without-kind (1 fixable)"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
    let all = findings();
    let out = lint(&["--statistics", "--output-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let rows = v.as_array().expect("an array");
    let counted: u64 = rows.iter().filter_map(|r| r["count"].as_u64()).sum();
    assert_eq!(counted as usize, all.len());
    let counts: Vec<u64> = rows.iter().filter_map(|r| r["count"].as_u64()).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most frequent first: {v}"
    );

    assert_eq!(lint(&["--exit-zero"]).status.code(), Some(0));
    let quiet = stdout(&lint(&["--quiet", "--output-format", "concise"]));
    assert_lacks(&quiet, "Found ");
    assert_eq!(quiet.lines().count(), all.len());
    let silent = lint(&["--silent"]);
    assert_eq!(stdout(&silent), "");
    assert_eq!(silent.status.code(), Some(1));
}

#[test]
fn color_always_and_never() {
    let coloured = stdout(&lint(&["--color", "always"]));
    assert_contains(&coloured, "\x1b[1;33mwarning[AH102]\x1b[0m");
    let plain = stdout(&lint(&["--color", "never"]));
    assert!(!plain.contains('\x1b'));
    // Piped output has no colour by default.
    assert!(!stdout(&lint(&[])).contains('\x1b'));
}

#[test]
fn extend_select_and_show_settings() {
    // kql.toml ignores short-has-term; --extend-select brings it back.
    let out = kql(&["lint", "--show-settings", "lint/findings/suppressed.kql"]);
    let text = stdout(&out);
    assert!(
        text.contains("configuration: ") && text.contains("kql.toml"),
        "{text}"
    );
    assert_contains(&text, "short-has-term                     off");
    assert_contains(&text, "row-limit-exceeded                 error");
    let out = kql(&[
        "lint",
        "--show-settings",
        "--extend-select",
        "short-has-term",
        "lint/findings/suppressed.kql",
    ]);
    assert_lacks(&stdout(&out), "short-has-term                     off");
    let legacy = stdout(&kql(&[
        "lint",
        "--show-settings",
        "lint/legacy/usb_devices.kql",
    ]));
    assert!(
        legacy.contains("missing-time-filter                off"),
        "the override: {legacy}"
    );
}

#[test]
fn show_settings_prints_the_embedded_keys_in_force() {
    // `[embedded]` of the file's kql.toml, the defaults for keys it leaves out; and those are
    // the keys the checking commands read (a `detection:` key holds the query here).
    let rule: &[u8] = b"detection: |\n  DeviceEventz\n  | take 1\n";
    let dir = scratch(
        "show-settings-embedded",
        &[
            (
                "kql.toml",
                b"[embedded]\nyaml-keys = [\"query\", \"detection\"]\nmarkdown-tags = []\n",
            ),
            ("rule.yaml", rule),
            ("plain/rule.yaml", rule),
            ("plain/kql.toml", b"max-cost = 5\n"),
        ],
    );
    let shown = |file: &str| {
        let out = kql_in(dir.path(), &["lint", "--show-settings", file]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let configured = shown("rule.yaml");
    assert!(
        configured.ends_with(
            "  embedded:\n    yaml-keys     [\"query\", \"detection\"]\n    \
             json-keys     [\"query\"]\n    markdown-tags []\n"
        ),
        "{configured}"
    );
    let defaults = shown("plain/rule.yaml");
    assert!(
        defaults.ends_with(
            "  embedded:\n    yaml-keys     [\"query\"]\n    json-keys     [\"query\"]\n    \
             markdown-tags [\"kql\", \"kusto\", \"csl\"]\n"
        ),
        "{defaults}"
    );
    // What is shown is what is used: the configured key's query is checked, the default's not.
    let check = |file: &str| {
        stdout(&kql_in(
            dir.path(),
            &["check", "--output-format", "concise", file],
        ))
    };
    assert!(
        check("rule.yaml").contains("KQL201"),
        "{}",
        check("rule.yaml")
    );
    assert!(
        !check("plain/rule.yaml").contains("KQL201"),
        "{}",
        check("plain/rule.yaml")
    );
}

#[test]
fn discovery_respects_gitignore_hidden_folders_and_excludes() {
    let q: &[u8] = b"DeviceRegistryEvents\n| take 10\n";
    let dir = scratch(
        "discovery",
        &[
            (".gitignore", b"ignored/\n"),
            ("kql.toml", b"extend-exclude = [\"generated/**\"]\n"),
            ("kept.kql", q),
            ("ignored/a.kql", q),
            (".hidden/b.kql", q),
            ("generated/c.kql", q),
            ("node_modules/d.kql", q),
        ],
    );
    let files = |args: &[&str]| {
        let out = kql_in(
            dir.path(),
            &[
                &["lint", "--now", NOW, "--output-format", "concise"][..],
                args,
            ]
            .concat(),
        );
        let mut f: Vec<String> = stdout(&out)
            .lines()
            .filter(|l| l.contains(".kql:"))
            .map(|l| l.split(':').next().unwrap_or_default().to_string())
            .collect();
        f.sort();
        f
    };
    assert_eq!(files(&["."]), ["./kept.kql"]);
    assert_eq!(
        files(&["--no-respect-gitignore", "."]),
        ["./.hidden/b.kql", "./ignored/a.kql", "./kept.kql"]
    );
    // A file named explicitly is always checked.
    assert_eq!(files(&["generated/c.kql"]), ["generated/c.kql"]);
}

#[test]
fn rules_and_schema_as_json_for_tools() {
    let out = kql(&["rule", "--all", "--output-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let all = v.as_array().expect("array");
    assert!(all
        .iter()
        .any(|r| r["code"] == "AH001" && r["name"] == "time-beyond-retention"));
    assert!(all
        .iter()
        .any(|r| r["code"] == "KQL202" && r["name"] == "unknown-column"));
    let out = kql(&["schema", "--output-format", "json", "DeviceLogonEvents"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["name"], "DeviceLogonEvents");
    assert_eq!(v["time_column"], "Timestamp");
    assert!(v["columns"].as_array().is_some_and(|c| c
        .iter()
        .any(|c| c["name"] == "AccountName" && c["type"] == "string")));
    let out = kql(&["schema", "--output-format", "json"]);
    assert!(stderr(&out).is_empty());
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert!(v.as_array().is_some_and(|t| t.len() >= 64));
}

#[test]
fn show_fixes_lists_fixes_available_and_applied() {
    let join = std::fs::read(kqlkit_tests::fixtures().join("lint/findings/join_without_kind.kql"))
        .expect("fixture");
    let dir = scratch(
        "show-fixes",
        &[
            ("join.kql", &join),
            (
                "renamed.kql",
                b"AADSignInEventsBeta\n| where Timestamp > ago(1d)\n| take 10\n",
            ),
        ],
    );
    let args = [
        "lint",
        "--now",
        NOW,
        "--show-fixes",
        "--output-format",
        "concise",
        ".",
    ];
    let text = stdout(&kql_in(dir.path(), &args));
    assert_contains(
        &text,
        "Fixes available:\n  ./join.kql: AH102 join-without-kind: ",
    );
    assert_contains(
        &text,
        "  ./renamed.kql: KQL206: use `EntraIdSignInEvents` (safe)",
    );
    let out = kql_in(dir.path(), &[&args[..], &["--fix"]].concat());
    let text = stdout(&out);
    assert!(text.ends_with("All checks passed!\nFixed 2 findings:\n  ./join.kql: AH102 join-without-kind: Make the default `kind=innerunique` explicit\n  ./renamed.kql: KQL206: use `EntraIdSignInEvents`\n"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}
