//! End-to-end tests of the `kql` binary over `tests/fixtures/`, the way users run it in CI:
//! output in every format is snapshot-tested, and exit statuses are checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Builds the `kql` binary once (with the same cargo that runs the tests) and returns its path.
fn kql_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = workspace_root();
        let status = Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", "kql-cli", "--bin", "kql"])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building kql failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        let target = if target.is_absolute() {
            target
        } else {
            root.join(target)
        };
        target
            .join("debug")
            .join(format!("kql{}", std::env::consts::EXE_SUFFIX))
    })
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

/// Runs `kql` with `args` from `tests/fixtures` so paths in the output are short and stable.
fn kql(args: &[&str]) -> Output {
    Command::new(kql_bin())
        .args(args)
        .current_dir(workspace_root().join("tests").join("fixtures"))
        .env("NO_COLOR", "1")
        .output()
        .expect("kql runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn parse_json_over_a_directory() {
    let out = kql(&["parse", "--format", "json", "hunting"]);
    assert_eq!(out.status.code(), Some(1), "syntax errors fail the run");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn parse_jsonl_over_a_directory() {
    let out = kql(&["parse", "--format", "jsonl", "hunting"]);
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
    let out = kql(&[
        "parse",
        "hunting/broken_where.kql",
        "hunting/unclosed_paren.kql",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn clean_files_exit_zero() {
    let out = kql(&[
        "parse",
        "hunting/powershell_downloads.kql",
        "hunting/logon_failures.kql",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn blocks_mode_accepts_blank_line_separated_queries() {
    let whole = kql(&["parse", "--format", "jsonl", "hunting/blocks"]);
    assert_eq!(
        whole.status.code(),
        Some(1),
        "two queries without `;` are one bad query"
    );
    let blocks = kql(&["parse", "--blocks", "--format", "jsonl", "hunting/blocks"]);
    assert_eq!(blocks.status.code(), Some(0));
    assert_eq!(stdout(&blocks), "");
}

#[test]
fn control_command_is_a_warning_and_fail_on_changes_the_status() {
    let out = kql(&["parse", "--format", "jsonl", "hunting/control_command.kql"]);
    assert_eq!(out.status.code(), Some(1), "warnings fail by default");
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "one warning, no cascade: {text}");
    assert!(text.contains("\"severity\":\"warning\""));
    let lenient = kql(&["parse", "--fail-on", "error", "hunting/control_command.kql"]);
    assert_eq!(lenient.status.code(), Some(0));
}

#[test]
fn stdin_and_tree() {
    let mut child = Command::new(kql_bin())
        .args(["parse", "--tree", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("kql runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(b"DeviceEvents | take 1")
            .expect("write stdin");
    }
    let out = child.wait_with_output().expect("kql finishes");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = kql(&["parse", "no/such/file.kql"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}
