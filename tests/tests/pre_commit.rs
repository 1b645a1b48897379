//! `.pre-commit-hooks.yaml`: the hooks parse, name `kql` commands that exist, and do their job
//! when run the way pre-commit runs them (the entry, then the staged files its `files` pattern
//! selects, from the repository root).

use std::collections::BTreeMap;

use kqlkit_tests::{kql, kql_bin, scratch, scratch_text, stdout, workspace_root};

/// One hook: its keys and scalar values.
type Hook = BTreeMap<String, String>;

/// Reads the hook list with a YAML parser: a top-level sequence of mappings whose values are
/// scalars (a nested value, or a document pre-commit could not read, fails the test).
fn hooks() -> Vec<Hook> {
    use saphyr_parser::{Event, Parser};
    let text =
        std::fs::read_to_string(workspace_root().join(".pre-commit-hooks.yaml")).expect("file");
    let mut hooks: Vec<Hook> = Vec::new();
    let mut depth = 0;
    let mut key: Option<String> = None;
    for event in Parser::new_from_str(&text) {
        let (event, _) = event.unwrap_or_else(|e| panic!("not valid YAML: {e}"));
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                assert!(depth <= 2, "hooks hold only scalar values");
                if depth == 2 {
                    hooks.push(Hook::new());
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth -= 1,
            Event::Scalar(value, ..) => {
                assert_eq!(depth, 2, "a scalar outside a hook: {value}");
                match key.take() {
                    None => key = Some(value.to_string()),
                    Some(k) => {
                        let hook = hooks.last_mut().expect("inside a hook");
                        assert!(
                            hook.insert(k.clone(), value.to_string()).is_none(),
                            "{k} twice"
                        );
                    }
                }
            }
            _ => {}
        }
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
/// `query` as a Sentinel-style rule's block scalar.
fn yaml(query: &str) -> String {
    let body: String = query.lines().map(|l| format!("  {l}\n")).collect();
    format!("name: hunt\nquery: |\n{body}")
}

const MESSY: &str = "DeviceProcessEvents|where Timestamp>ago(7d)|take 10\n";

#[test]
fn the_lint_hook_passes_clean_files_and_fails_findings() {
    let lint = hook("kql-lint");
    let repo = scratch(
        "pre-commit-lint",
        &[
            ("hunts/clean.kql", CLEAN.as_bytes()),
            ("hunts/old.csl", OLD.as_bytes()),
            ("rules/clean.yaml", yaml(CLEAN).as_bytes()),
            ("rules/old.yml", yaml(OLD).as_bytes()),
            (
                "package.json",
                b"{\"name\": \"hunts\", \"private\": true}\n",
            ),
            ("notes.txt", b"not a query"),
        ],
    );
    let staged = [
        "hunts/clean.kql",
        "rules/clean.yaml",
        "package.json",
        "notes.txt",
    ];
    let (status, files) = run_hook(&lint, repo.path(), &staged);
    assert_eq!(
        files,
        ["hunts/clean.kql", "rules/clean.yaml", "package.json"],
        "query files and hosts are passed"
    );
    assert_eq!(
        status,
        Some(0),
        "a host without queries is skipped silently"
    );
    let (status, _) = run_hook(&lint, repo.path(), &["hunts/clean.kql", "hunts/old.csl"]);
    assert_eq!(status, Some(1), "a finding fails the commit");
    let (status, _) = run_hook(&lint, repo.path(), &["rules/clean.yaml", "rules/old.yml"]);
    assert_eq!(
        status,
        Some(1),
        "a finding in an embedded query fails the commit"
    );
}

#[test]
fn the_fmt_hook_rewrites_files_and_then_leaves_them_alone() {
    let fmt = hook("kql-fmt");
    let repo = scratch_text("pre-commit-fmt", &[("q.kql", MESSY)]);
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
