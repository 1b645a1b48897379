//! One fixture per rule (`tests/fixtures/<rule-name>.kql`): an insta snapshot of the rule's
//! diagnostics and of the diff its fixes (unsafe included) make, and a harness that re-applies
//! every rule's fixes until the text is stable and fails if a fix adds a syntax or semantic
//! diagnostic or never converges.

use kql_lint::{lint, Settings, RULES};

mod support;
use support::{errors, fix_round, settings};

fn only(rule: &str) -> Settings {
    let mut s = settings();
    s.apply_selection(Some(&[rule.to_string()]), &[], &Default::default());
    s
}

/// Applies all fixes until stable; panics when a fix adds a syntax or semantic diagnostic (those
/// after the fixes must be a subset of those before) or the fixes do not converge.
fn fix_until_stable(text: &str, settings: &Settings) -> String {
    let mut cur = text.to_string();
    let before = errors(text);
    for _ in 0..10 {
        let added: Vec<_> = errors(&cur).difference(&before).cloned().collect();
        assert!(
            added.is_empty(),
            "a fix introduced a syntax or semantic error:\n{cur}\n{added:?}"
        );
        let Some(next) = fix_round(&cur, settings) else {
            return cur;
        };
        cur = next;
    }
    panic!("fixes did not converge:\n{cur}");
}

fn diff(old: &str, new: &str) -> String {
    let mut out = String::new();
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    for l in &a[prefix..a.len() - suffix] {
        out.push_str(&format!("-{l}\n"));
    }
    for l in &b[prefix..b.len() - suffix] {
        out.push_str(&format!("+{l}\n"));
    }
    out
}

fn render(text: &str, settings: &Settings) -> String {
    let parse = kql_syntax::parse(text);
    let idx = kql_diagnostics::LineIndex::new(text);
    let mut out = String::new();
    for d in lint(text, &parse, settings) {
        let lc = idx.line_col(text, d.range.start());
        out.push_str(&format!(
            "{}:{} {} {} [{}] {}\n",
            lc.line,
            lc.column,
            d.code,
            d.severity.as_str(),
            d.rule.as_deref().unwrap_or(""),
            d.message
        ));
        out.push_str(&format!(
            "    | {}\n",
            &text[d.range].replace('\n', "\n    | ")
        ));
        if let Some(f) = &d.fix {
            out.push_str(&format!(
                "    fix ({}): {}\n",
                f.applicability.as_str(),
                f.message
            ));
        }
    }
    out
}

/// `tests/fixtures/<rule-name>.kql`.
fn fixture_path(rule: &str) -> String {
    format!("{}/tests/fixtures/{rule}.kql", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_rule_has_a_fixture() {
    for r in RULES {
        let path = fixture_path(r.name);
        assert!(
            std::path::Path::new(&path).exists(),
            "missing fixture {path}"
        );
    }
}

#[test]
fn rule_fixtures() {
    for r in RULES {
        let path = fixture_path(r.name);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !kql_syntax::parse(&text).has_errors(),
            "{path} has syntax errors"
        );
        // Whether a suppression is used depends on the other rules: run them all for this one.
        let s = if r.name == "unused-suppression" {
            settings()
        } else {
            only(r.name)
        };
        let diagnostics = render(&text, &s);
        assert!(
            diagnostics.contains(r.code),
            "fixture for {} triggers nothing",
            r.name
        );
        let fixed = fix_until_stable(&text, &s);
        let snapshot = format!("{diagnostics}\n--- fix diff ---\n{}", diff(&text, &fixed));
        insta::assert_snapshot!(r.name, snapshot);
    }
}

#[test]
fn all_fixes_together_converge() {
    for r in RULES {
        let path = fixture_path(r.name);
        let text = std::fs::read_to_string(&path).unwrap();
        fix_until_stable(&text, &settings());
    }
}

#[test]
fn suppressions() {
    let s = settings();
    let text = "// kql-lint: disable-file unbounded-result, AH004\nDeviceProcessEvents\n| where FileName == 'a'";
    let d = kql_lint::lint_text(text, &s);
    assert!(d.is_empty(), "{d:?}");
    let text = "// kql-lint: disable-next-line missing-time-filter\n\nDeviceProcessEvents | take 1";
    let d = kql_lint::lint_text(text, &s);
    assert!(d.is_empty(), "{d:?}");
    let text = "// kql-lint: disable-next-line no-such-rule\nprint 1";
    let d = kql_lint::lint_text(text, &s);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("unknown rule"));
}
