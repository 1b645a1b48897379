//! End-to-end tests of the `kql` binary over `tests/fixtures/`, the way users run it in CI:
//! output in every format is snapshot-tested, and exit statuses are checked.

use std::process::Output;

use kqlkit_tests::{kql, kql_stdin, kql_stdout, stdout};

/// `kql parse` with `args`, from `tests/fixtures`.
fn parse(args: &[&str]) -> Output {
    kql(&[&["parse"][..], args].concat())
}

#[test]
fn parse_json_over_a_directory() {
    let out = parse(&["--format", "json", "hunting"]);
    assert_eq!(out.status.code(), Some(1), "syntax errors fail the run");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn parse_jsonl_over_a_directory() {
    let out = parse(&["--format", "jsonl", "hunting"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for line in text.lines() {
        assert!(
            line.starts_with('{') && line.ends_with('}'),
            "one object a line: {line}"
        );
    }
    insta::assert_snapshot!(text);
}

#[test]
fn parse_human_shows_code_frames() {
    let args = [
        "parse",
        "hunting/broken_where.kql",
        "hunting/unclosed_paren.kql",
    ];
    insta::assert_snapshot!(kql_stdout(&args, 1));
}

#[test]
fn clean_files_exit_zero() {
    let args = [
        "parse",
        "hunting/powershell_downloads.kql",
        "hunting/logon_failures.kql",
    ];
    assert_eq!(kql_stdout(&args, 0), "All checks passed!\n");
}

#[test]
fn blocks_mode_accepts_blank_line_separated_queries() {
    let whole = parse(&["--format", "jsonl", "hunting/blocks"]);
    assert_eq!(
        whole.status.code(),
        Some(1),
        "two queries without `;` are one bad query"
    );
    let blocks = parse(&["--blocks", "--format", "jsonl", "hunting/blocks"]);
    assert_eq!(blocks.status.code(), Some(0));
    assert_eq!(stdout(&blocks), "");
}

#[test]
fn control_command_is_a_warning_and_fail_on_changes_the_status() {
    let out = parse(&["--format", "jsonl", "hunting/control_command.kql"]);
    assert_eq!(out.status.code(), Some(1), "warnings fail by default");
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "one warning, no cascade: {text}");
    assert!(text.contains("\"severity\":\"warning\""));
    let lenient = parse(&["--fail-on", "error", "hunting/control_command.kql"]);
    assert_eq!(lenient.status.code(), Some(0));
}

#[test]
fn stdin_and_tree() {
    let out = kql_stdin(&["parse", "--tree", "-"], "DeviceEvents | take 1");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = parse(&["no/such/file.kql"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}
