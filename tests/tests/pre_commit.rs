//! `.pre-commit-hooks.yaml`: the hooks parse, name `kql` commands that exist, and do their job
//! when run the way pre-commit runs them (the entry, then the staged files its `files` pattern
//! selects, from the repository root).

use std::collections::BTreeMap;

use kqlkit_tests::{kql, kql_bin, scratch, stdout, workspace_root};

/// One hook: its keys and values (this file uses only `key: value` lines).
type Hook = BTreeMap<String, String>;

/// Reads the hook list. A small reader for the subset the file uses (a top-level sequence of
/// flat mappings with plain or single-quoted values); anything else fails the test.
fn hooks() -> Vec<Hook> {
    let text =
        std::fs::read_to_string(workspace_root().join(".pre-commit-hooks.yaml")).expect("file");
    let mut hooks: Vec<Hook> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (item, rest) = match line.strip_prefix("- ") {
            Some(rest) => (true, rest),
            None => (
                false,
                line.strip_prefix("  ")
                    .unwrap_or_else(|| panic!("line {}: unexpected indentation", n + 1)),
            ),
        };
        if item {
            hooks.push(Hook::new());
        }
        let (key, value) = rest
            .split_once(": ")
            .unwrap_or_else(|| panic!("line {}: not `key: value`", n + 1));
        let value = match value.strip_prefix('\'') {
            Some(v) => v
                .strip_suffix('\'')
                .expect("closing quote")
                .replace("''", "'"),
            None => value.to_string(),
        };
        let hook = hooks.last_mut().expect("a hook started with `- `");
        assert!(
            hook.insert(key.to_string(), value).is_none(),
            "line {}: duplicate key",
            n + 1
        );
    }
    hooks
}

fn hook(id: &str) -> Hook {
    hooks()
        .into_iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("no hook `{id}`"))
}

#[test]
fn hooks_name_kql_commands_that_exist() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["kql-lint", "kql-fmt"]);
    let help = stdout(&kql(&["--help"]));
    for h in &hooks {
        for key in ["name", "entry", "language", "files"] {
            assert!(h.contains_key(key), "hook {} has no {key}", h["id"]);
        }
        assert!(["system", "rust"].contains(&h["language"].as_str()));
        let words: Vec<&str> = h["entry"].split_whitespace().collect();
        assert_eq!(words[0], "kql", "{:?}", h["entry"]);
        let listed = help
            .lines()
            .any(|l| l.split_whitespace().next() == Some(words[1]));
        assert!(listed, "`kql {}` is not a command", words[1]);
        regex::Regex::new(&h["files"]).expect("`files` is a valid regex");
    }
}

/// Runs `hook` as pre-commit does: its entry, with the staged files its `files` pattern keeps,
/// from the repository root. Returns the exit status and the files passed.
fn run_hook(hook: &Hook, root: &std::path::Path, staged: &[&str]) -> (Option<i32>, Vec<String>) {
    let pattern = regex::Regex::new(&hook["files"]).expect("regex");
    let files: Vec<String> = staged
        .iter()
        .filter(|f| pattern.is_match(f))
        .map(|f| f.to_string())
        .collect();
    let mut words = hook["entry"].split_whitespace();
    assert_eq!(words.next(), Some("kql"));
    let status = std::process::Command::new(kql_bin())
        .args(words)
        .args(&files)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("kql runs")
        .status
        .code();
    (status, files)
}

const CLEAN: &str = "DeviceProcessEvents\n| where Timestamp > ago(7d)\n| take 10\n";
const OLD: &str = "DeviceProcessEvents\n| where Timestamp > ago(90d)\n| take 10\n";
const MESSY: &str = "DeviceProcessEvents|where Timestamp>ago(7d)|take 10\n";

#[test]
fn the_lint_hook_passes_clean_files_and_fails_findings() {
    let lint = hook("kql-lint");
    let repo = scratch(
        "pre-commit-lint",
        &[
            ("hunts/clean.kql", CLEAN.as_bytes()),
            ("hunts/old.csl", OLD.as_bytes()),
            ("notes.txt", b"not a query"),
        ],
    );
    let (status, files) = run_hook(&lint, repo.path(), &["hunts/clean.kql", "notes.txt"]);
    assert_eq!(files, ["hunts/clean.kql"], "only query files are passed");
    assert_eq!(status, Some(0));
    let (status, _) = run_hook(&lint, repo.path(), &["hunts/clean.kql", "hunts/old.csl"]);
    assert_eq!(status, Some(1), "a finding fails the commit");
}

#[test]
fn the_fmt_hook_rewrites_files_and_then_leaves_them_alone() {
    let fmt = hook("kql-fmt");
    let repo = scratch("pre-commit-fmt", &[("q.kql", MESSY.as_bytes())]);
    let (status, _) = run_hook(&fmt, repo.path(), &["q.kql"]);
    assert_eq!(status, Some(0));
    let once = std::fs::read_to_string(repo.path().join("q.kql")).expect("q.kql");
    assert_ne!(
        once, MESSY,
        "pre-commit sees the file changed and fails the commit"
    );
    run_hook(&fmt, repo.path(), &["q.kql"]);
    let twice = std::fs::read_to_string(repo.path().join("q.kql")).expect("q.kql");
    assert_eq!(once, twice, "a formatted file stays as it is");
}
