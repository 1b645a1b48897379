//! Suppression comments naming parser or checker codes (`KQL202`) are applied by the library
//! (`check_and_lint`), so every client (CLI, editor, `snapshot`) reports the same: a used one
//! hides the finding, an unused one is reported as `unused-suppression` with the CLI's message.

use std::collections::HashMap;

use kql_diagnostics::Diagnostic;
use kql_lint::{check_and_lint, lint_text, snapshot, Settings};

/// `AccountNam` is not a column of DeviceLogonEvents: KQL202 on line 3.
const TYPO: &str =
    "DeviceLogonEvents\n| where Timestamp > ago(1d)\n| where AccountNam == \"admin\"\n| take 10\n";

fn settings() -> Settings {
    Settings::at_unix_ticks(kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").unwrap())
        .expect("now within years 1..=9999")
}

fn report(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let parse = kql_syntax::parse(text);
    check_and_lint(
        text,
        &parse,
        settings,
        kql_schema::Schema::advanced_hunting(),
    )
    .diagnostics
}

/// `code message` of each finding.
fn lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

#[test]
fn the_typo_is_reported_without_a_suppression() {
    let codes: Vec<String> = report(TYPO, &settings())
        .into_iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["KQL202"]);
}

#[test]
fn a_checker_code_suppression_hides_the_finding_by_code_or_name() {
    for name in ["KQL202", "kql202", "unknown-column"] {
        let text = TYPO.replace(
            "| where AccountNam",
            &format!("// kql-lint: disable-next-line {name}\n| where AccountNam"),
        );
        assert_eq!(
            lines(&report(&text, &settings())),
            Vec::<String>::new(),
            "{name}"
        );
        let snap = snapshot::lint_snapshot(
            "q.kql",
            &text,
            &settings(),
            kql_schema::Schema::advanced_hunting(),
        );
        assert_eq!(snap, "", "{name}");
    }
}

#[test]
fn a_checker_code_suppression_on_another_line_hides_nothing_and_is_reported() {
    let text = TYPO.replace("| take", "// kql-lint: disable-next-line KQL201\n| take");
    let got = report(&text, &settings());
    assert_eq!(
        lines(&got),
        [
            "KQL202 unknown column `AccountNam`",
            "AH900 suppression of `KQL201` suppresses nothing",
        ]
    );
    assert_eq!(got[1].rule.as_deref(), Some("unused-suppression"));
    let comment = text.find("// kql-lint").unwrap();
    assert_eq!(usize::from(got[1].range.start()), comment);
}

#[test]
fn disable_file_and_all_cover_checker_findings() {
    for head in [
        "// kql-lint: disable-file KQL202\n",
        "// kql-lint: disable-file all\n",
    ] {
        let text = format!("{head}{TYPO}");
        assert_eq!(
            lines(&report(&text, &settings())),
            Vec::<String>::new(),
            "{head}"
        );
    }
}

#[test]
fn rules_alone_do_not_judge_checker_code_suppressions() {
    // `lint` sees no checker finding: it can tell neither "used" nor "unknown rule".
    let text = TYPO.replace(
        "| where AccountNam",
        "// kql-lint: disable-next-line KQL202\n| where AccountNam",
    );
    assert_eq!(lines(&lint_text(&text, &settings())), Vec::<String>::new());
    let unknown = TYPO.replace(
        "| take",
        "// kql-lint: disable-next-line no-such-rule\n| take",
    );
    assert_eq!(
        lines(&lint_text(&unknown, &settings())),
        ["AH900 suppression names unknown rule `no-such-rule`"]
    );
}

#[test]
fn an_ignored_code_is_not_reported_and_its_suppression_not_judged() {
    let mut s = settings();
    s.apply_selection(None, &["KQL202".to_string()], &HashMap::new());
    assert_eq!(lines(&report(TYPO, &s)), Vec::<String>::new());
    let text = TYPO.replace(
        "| where AccountNam",
        "// kql-lint: disable-next-line KQL202\n| where AccountNam",
    );
    assert_eq!(lines(&report(&text, &s)), Vec::<String>::new());
}
