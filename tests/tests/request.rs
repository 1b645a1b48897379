//! End-to-end tests of `kql request`: the Defender and Graph bodies, lint findings on standard
//! error, and the refusals (syntax errors, bad timespans).

use std::process::Output;

use kqlkit_tests::{assert_contains, assert_lacks, kql, kql_stdin, stderr, stdout, NOW};

/// The clean fixture query.
const DOWNLOADS: &str = "request/powershell_downloads.kql";

/// `kql request --now NOW` with `args`, from `tests/fixtures`.
fn request(args: &[&str]) -> Output {
    kql(&[&["request", "--now", NOW][..], args].concat())
}

/// Standard output and standard error of one run, for one snapshot.
fn both(o: &std::process::Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

#[test]
fn defender_body() {
    let out = request(&[DOWNLOADS]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "a clean query has no findings");
    let body: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON body");
    let query = body["Query"].as_str().expect("Query");
    assert!(query.starts_with("// PowerShell downloading"));
    assert!(query.ends_with("| take 100"), "trailing newline not sent");
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn graph_body_with_timespan() {
    let out = request(&["--api", "graph", "--timespan", "P7D", DOWNLOADS]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON body");
    assert_eq!(body["Timespan"], "P7D");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn graph_body_without_timespan_leaves_it_to_the_service() {
    let out = request(&["--api", "graph", "--pretty", DOWNLOADS]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON body");
    assert!(body.get("Timespan").is_none(), "{body}");
}

#[test]
fn graph_timespan_past_retention_is_a_finding_not_a_refusal() {
    let out = request(&["--api", "graph", "--timespan", "P45D", DOWNLOADS]);
    insta::assert_snapshot!(both(&out));
}

#[test]
fn lint_findings_go_to_stderr_and_fail_on_decides_the_status() {
    let out = request(&["request/unbounded.kql"]);
    assert_eq!(out.status.code(), Some(0), "--fail-on never is the default");
    insta::assert_snapshot!(both(&out));
    let strict = request(&["--fail-on", "warning", "request/unbounded.kql"]);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(
        stdout(&strict),
        stdout(&out),
        "the body is printed regardless"
    );
}

#[test]
fn syntax_error_refuses_without_a_body() {
    for api in ["defender", "graph"] {
        let out = request(&["--api", api, "request/syntax_error.kql"]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(stdout(&out), "", "no body on stdout");
        if api == "defender" {
            insta::assert_snapshot!(stderr(&out));
        }
    }
}

#[test]
fn control_command_refuses() {
    let out = kql_stdin(&["request", "-"], ".show tables\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    // Refused as what it is, not as "syntax errors".
    let err = stderr(&out);
    assert_contains(&err, "a control command, not a query");
    assert_lacks(&err, "syntax errors");
}

#[test]
fn stdin_query() {
    let out = kql_stdin(
        &[
            "request",
            "--api",
            "graph",
            "--timespan",
            "2026-11-20T00:00:00Z/2026-11-27T00:00:00Z",
            "--now",
            NOW,
            "-",
        ],
        "DeviceEvents | where ActionType == \"UsbDriveMounted\" | take 10\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "{\"Query\":\"DeviceEvents | where ActionType == \\\"UsbDriveMounted\\\" | take 10\",\"Timespan\":\"2026-11-20T00:00:00Z/2026-11-27T00:00:00Z\"}\n"
    );
}

#[test]
fn invalid_timespan_is_a_usage_error() {
    let out = kql(&["request", "--api", "graph", "--timespan", "P7X", DOWNLOADS]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    insta::assert_snapshot!(stderr(&out));
}

#[test]
fn timespan_with_defender_is_a_usage_error() {
    let out = kql(&["request", "--timespan", "P7D", DOWNLOADS]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "--api graph");
}

#[test]
fn a_directory_is_a_usage_error() {
    let out = kql(&["request", "request"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert_contains(&stderr(&out), "one query");
}
