//! `kql check --select/--extend-select/--ignore`: the flags of `kql lint`, for the codes `check`
//! reports (parser `KQL0xx`, checker `KQL2xx`, host file `EMB0xx`), with the same meaning as in
//! `kql lint`; a selector that names only lint rules is a usage error.

use kqlkit_tests::{kql_in, scratch, stderr, stdout, TempDir, NOW};
use serde_json::Value;

/// A finding as compared here: file, line, code.
type Finding = (String, u64, String);

/// Queries with a syntax error (`KQL001`), an unknown table (`KQL201`), unknown columns
/// (`KQL202`) and a wrong argument count (`KQL204`), in query files and a YAML rule; and a YAML
/// rule that is not valid YAML (`EMB001`).
fn repo() -> TempDir {
    scratch(
        "check-selection",
        &[
            ("syntax.kql", b"DeviceEvents\n| where\n| take 10\n".as_slice()),
            ("table.kql", b"DeviceEventz\n| take 10\n"),
            (
                "columns.kql",
                b"DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where FileNam == \"a\"\n\
                  | project DeviceNam, strlen(FileName, 1)\n| take 10\n",
            ),
            (
                "rules/rule.yaml",
                b"name: Example\nquery: |\n  DeviceLogonEvents\n  | where AccountNam == \"x\"\n  | take 10\n",
            ),
            ("rules/broken.yaml", b"name: Broken\nquery: [DeviceEvents\n"),
        ],
    )
}

/// `(file, line, code)` of every finding a JSON run prints, sorted.
fn findings(dir: &TempDir, cmd: &str, extra: &[&str]) -> Vec<Finding> {
    let mut args = vec![cmd, "--output-format", "json"];
    if cmd == "lint" {
        args.extend(["--now", NOW]);
    }
    args.extend_from_slice(extra);
    args.push(".");
    let out = kql_in(dir.path(), &args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        stderr(&out)
    );
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON output");
    let mut all: Vec<Finding> = json
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().expect("file").to_string(),
                f["line"].as_u64().expect("line"),
                f["code"].as_str().expect("code").to_string(),
            )
        })
        .collect();
    all.sort();
    all
}

fn codes(found: &[Finding]) -> Vec<&str> {
    let mut codes: Vec<&str> = found.iter().map(|(_, _, c)| c.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[test]
fn without_flags_check_reports_every_code() {
    let dir = repo();
    let all = findings(&dir, "check", &[]);
    assert_eq!(
        codes(&all),
        ["EMB001", "KQL001", "KQL201", "KQL202", "KQL204"],
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|(f, _, c)| f.ends_with("rules/rule.yaml") && c == "KQL202"),
        "the YAML rule is checked: {all:?}"
    );
}

#[test]
fn ignore_select_and_extend_select_pick_codes() {
    let dir = repo();
    let all = findings(&dir, "check", &[]);
    let without = |drop: &[&str]| -> Vec<Finding> {
        all.iter()
            .filter(|(_, _, c)| !drop.contains(&c.as_str()))
            .cloned()
            .collect()
    };
    let only = |keep: &[&str]| -> Vec<Finding> {
        all.iter()
            .filter(|(_, _, c)| keep.contains(&c.as_str()))
            .cloned()
            .collect()
    };
    // (flags, what remains of the unfiltered run)
    let cases: &[(&[&str], Vec<Finding>)] = &[
        (&["--ignore", "KQL202"], without(&["KQL202"])),
        (&["--ignore", "unknown-column"], without(&["KQL202"])),
        (
            &["--ignore", "KQL202,KQL001"],
            without(&["KQL202", "KQL001"]),
        ),
        (&["--ignore", "KQL2"], only(&["KQL001", "EMB001"])),
        (&["--ignore", "EMB"], without(&["EMB001"])),
        (&["--ignore", "invalid-yaml"], without(&["EMB001"])),
        (&["--select", "KQL2"], without(&["KQL001", "EMB001"])),
        (&["--select", "KQL201"], only(&["KQL201"])),
        (&["--select", "all"], all.clone()),
        (
            &["--select", "KQL201", "--extend-select", "KQL204"],
            only(&["KQL201", "KQL204"]),
        ),
        (
            &["--select", "KQL2", "--ignore", "KQL202"],
            only(&["KQL201", "KQL204"]),
        ),
    ];
    for (flags, expected) in cases {
        assert_eq!(
            &findings(&dir, "check", flags),
            expected,
            "kql check {flags:?}"
        );
    }
}

#[test]
fn check_and_lint_select_the_same_codes() {
    // `--select` with codes only runs no lint rule, so `kql lint` then reports what `kql check`
    // does: the two commands share the flags and the selection, and must not drift.
    let dir = repo();
    for flags in [
        ["--select", "KQL"],
        ["--select", "KQL2"],
        ["--select", "KQL201,KQL001"],
        ["--select", "unknown-column"],
        ["--select", "EMB,KQL204"],
    ] {
        for extra in [
            &[][..],
            &["--ignore", "KQL202"],
            &["--extend-select", "KQL001"],
        ] {
            let args: Vec<&str> = flags.iter().chain(extra).copied().collect();
            let check = findings(&dir, "check", &args);
            assert_eq!(check, findings(&dir, "lint", &args), "{args:?}");
        }
    }
}

#[test]
fn rule_selectors_and_unknown_names_are_usage_errors() {
    let dir = repo();
    // (flags, what standard error must say)
    let cases: &[(&[&str], &str)] = &[
        (&["--ignore", "AH001"], "selects lint rules only"),
        (&["--ignore", "time-beyond-retention"], "use `kql lint`"),
        (&["--select", "performance"], "selects lint rules only"),
        (&["--extend-select", "AH1"], "selects lint rules only"),
        (&["--ignore", "all"], "would hide every finding"),
        (&["--ignore", "KQL2O2"], "did you mean `KQL202`?"),
        (
            &["--select", "unknown-colum"],
            "did you mean `unknown-column`?",
        ),
    ];
    for (flags, message) in cases {
        let mut args = vec!["check"];
        args.extend_from_slice(flags);
        args.push(".");
        let out = kql_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "kql check {flags:?}");
        assert!(
            stderr(&out).contains(message),
            "kql check {flags:?}: {}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "", "kql check {flags:?}");
    }
}

#[test]
fn ignoring_every_reported_code_passes() {
    let dir = repo();
    let out = kql_in(
        dir.path(),
        &[
            "check",
            "--ignore",
            "KQL0,KQL2,EMB",
            "--output-format",
            "concise",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out).trim(), "All checks passed!");
}
