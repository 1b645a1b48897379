//! `tests/detection-repo/`: a small detection repository of our own, tested the way such a
//! repository tests itself — one insta snapshot per rule file, rendered by the library
//! (`kql_lint::snapshot`), with "now" fixed and the repository's `kql.toml` applied.
//!
//! Query files (`.kql`) go through `kql_lint::snapshot::lint_snapshot` alone. Host files (a
//! Sentinel analytic rule in YAML, an ARM template in JSON, a Markdown runbook) need the
//! queries found and the findings placed at host positions, with `queryPeriod` as the window:
//! `kql_cli::analysis::lint_input` does that (it is what `kql lint` runs), and
//! `kql_lint::snapshot::render` renders the result.
//!
//! The CLI equivalent (see README, "Snapshot tests of a detection repository"):
//!
//! ```text
//! cd tests/detection-repo
//! kql lint --output-format concise --quiet --now 2026-01-01T00:00:00Z rules runbooks > expected.txt
//! ```
//!
//! The last test checks that both give the same text, and that `expected.txt` is up to date.

use std::path::{Path, PathBuf};

use kql_cli::analysis::{lint_input, LintJob};
use kql_embed::HostKind;
use kql_lint::{Config, Settings};
use kqlkit_tests::{kql_in, stdout, workspace_root};

/// The "now" of every run here, so the snapshots never age.
const NOW: &str = "2026-01-01T00:00:00Z";

fn repo() -> PathBuf {
    workspace_root().join("tests").join("detection-repo")
}

/// The repository's kql.toml, if `file` has one above it.
fn config_for(file: &Path) -> Option<Config> {
    Config::discover(file).map(|toml| Config::load(&toml).expect("valid kql.toml"))
}

/// The settings `kql lint --now NOW` uses for `file`: the repository's kql.toml over defaults.
fn settings_for(file: &Path) -> Settings {
    let now: kql_hunting_api::UtcDateTime = NOW.parse().expect("RFC 3339");
    let base = Settings::new(now);
    match config_for(file) {
        Some(config) => config.settings_for(Some(file), base),
        None => base,
    }
}

/// The snapshot text of one file, named as the CLI shows it from the repository root.
fn render(name: &str) -> String {
    let file = repo().join(name);
    let settings = settings_for(&file);
    let schema = kql_schema::Schema::advanced_hunting();
    let kind = HostKind::from_path(&file).expect("a query or host file");
    if kind == HostKind::Kql {
        let text = std::fs::read_to_string(&file).expect("rule file");
        return kql_lint::snapshot::lint_snapshot(name, &text, &settings, schema);
    }
    let mut input = kql_cli::files::decode(std::fs::read(&file).expect("host file"), name.into());
    input.kind = kind;
    input.anchor = file.clone();
    let options = kql_cli::embedded::options(config_for(&file).as_ref());
    let job = LintJob {
        blocks: false,
        settings: &settings,
        schema,
        fix: None,
        relint: false,
    };
    let findings = lint_input(&input, &options, &job).map_or(Vec::new(), |o| o.diagnostics);
    kql_lint::snapshot::render(name, &input.text, &findings)
}

/// The files under `rules/` and `runbooks/`, sorted as the CLI walks them.
fn rule_files() -> Vec<String> {
    let mut names = Vec::new();
    for folder in ["rules", "runbooks"] {
        let mut here: Vec<String> = std::fs::read_dir(repo().join(folder))
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| HostKind::from_path(Path::new(n)).is_some())
            .map(|n| format!("{folder}/{n}"))
            .collect();
        here.sort();
        names.extend(here);
    }
    names
}

macro_rules! snapshot_tests {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                insta::assert_snapshot!(render($file));
            }
        )*

        #[test]
        fn every_rule_file_has_a_snapshot_test() {
            let tested = vec![$($file.to_string()),*];
            assert_eq!(tested, rule_files());
        }
    };
}

snapshot_tests! {
    encoded_powershell => "rules/encoded_powershell.kql",
    failed_logons => "rules/failed_logons.kql",
    lsass_access => "rules/lsass_access.kql",
    network_beacons => "rules/network_beacons.kql",
    office_child_process => "rules/office_child_process.json",
    rundll32_url => "rules/rundll32_url.yaml",
    credential_theft_runbook => "runbooks/credential_theft.md",
}

#[test]
fn the_cli_prints_what_the_library_renders_and_expected_txt_is_current() {
    let out = kql_in(
        &repo(),
        &[
            "lint",
            "--output-format",
            "concise",
            "--quiet",
            "--now",
            NOW,
            "rules",
            "runbooks",
        ],
    );
    let cli = stdout(&out);
    let library: String = rule_files().iter().map(|f| render(f)).collect();
    assert!(!library.is_empty(), "the example repository has findings");
    assert_eq!(cli, library);
    let expected = std::fs::read_to_string(repo().join("expected.txt")).expect("expected.txt");
    assert_eq!(
        expected, cli,
        "regenerate tests/detection-repo/expected.txt with the command in this file's docs"
    );
}
