//! Data-driven parser tests in the rust-analyzer style.
//!
//! * `tests/data/ok/*.kql` must parse without errors (warnings such as the control-command
//!   warning are allowed); Microsoft's parser accepts each of them too.
//! * `tests/data/err/*.kql` must give at least one error; Microsoft's parser rejects each of them.
//!
//! Every fixture's tree and diagnostics are snapshot-tested (`tests/snapshots/`); review changes
//! with `cargo insta review`. CI never writes snapshots.

mod common;

use common::{check_invariants, fixtures, nodes_of_kind, snapshot_text};
use kql_syntax::{Severity, SyntaxKind};

#[test]
fn fixture_trees_are_lossless() {
    let mut failures = Vec::new();
    for sub in ["ok", "err"] {
        for f in fixtures(sub) {
            let parse = kql_syntax::parse(&f.text);
            if let Err(e) = check_invariants(&f.text, &parse) {
                failures.push(format!("{sub}/{}: {e}", f.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "invariant violations:\n{}",
        failures.join("\n")
    );
}

#[test]
fn ok_fixtures_have_no_errors() {
    let mut failures = Vec::new();
    for f in fixtures("ok") {
        let parse = kql_syntax::parse(&f.text);
        let errors: Vec<_> = parse
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            let first = errors[0];
            let start = u32::from(first.range.start()) as usize;
            let end = u32::from(first.range.end()) as usize;
            failures.push(format!(
                "ok/{}.kql: {} error(s), first {} at {start}..{end} {:?}: {}",
                f.name,
                errors.len(),
                first.code,
                &f.text[start..end.max(start)],
                first.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} ok fixture(s) have errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn err_fixtures_have_errors() {
    let failures: Vec<String> = fixtures("err")
        .into_iter()
        .filter(|f| !kql_syntax::parse(&f.text).has_errors())
        .map(|f| format!("err/{}.kql", f.name))
        .collect();
    assert!(
        failures.is_empty(),
        "err fixture(s) without any error:\n{}",
        failures.join("\n")
    );
}

/// An error early in a pipeline must not swallow the operators after it: every err fixture whose
/// text has a `| project` after the first error still has a `PROJECT_OP` node starting there.
#[test]
fn recovery_keeps_later_operators() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for f in fixtures("err") {
        let parse = kql_syntax::parse(&f.text);
        let Some(first_error) = parse
            .diagnostics()
            .iter()
            .find(|d| d.severity == Severity::Error)
        else {
            continue;
        };
        let err_start = u32::from(first_error.range.start()) as usize;
        // The last `| project` line in the text, if it comes after the error.
        let Some(project_line) = f.text.rfind("\n| project") else {
            continue;
        };
        let project_kw = project_line + "\n| ".len();
        if project_kw < err_start {
            continue;
        }
        checked += 1;
        let root = parse.syntax();
        let found = nodes_of_kind(&root, SyntaxKind::PROJECT_OP)
            .iter()
            .any(|n| u32::from(n.text_range().start()) as usize >= project_kw - 2);
        if !found {
            failures.push(format!(
                "err/{}.kql: no PROJECT_OP after the error at {err_start} ({}: {})",
                f.name, first_error.code, first_error.message
            ));
        }
    }
    assert!(checked >= 10, "only {checked} recovery fixtures checked");
    assert!(
        failures.is_empty(),
        "recovery lost the `project` after an error:\n{}",
        failures.join("\n")
    );
}

/// Unclosed brackets point back at the opening bracket with an "opened here" label.
#[test]
fn unclosed_brackets_label_the_opener() {
    for name in [
        "unclosed_call",
        "unclosed_in_list",
        "unclosed_nested_parens",
        "unclosed_bracket",
        "unclosed_brace",
        "recovery_where_unclosed_paren",
    ] {
        let f = fixtures("err")
            .into_iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("missing fixture {name}"));
        let parse = kql_syntax::parse(&f.text);
        let labelled = parse.diagnostics().iter().any(|d| {
            d.labels.iter().any(|l| {
                let s = u32::from(l.range.start()) as usize;
                l.message.contains("opened here")
                    && matches!(f.text.as_bytes().get(s), Some(b'(' | b'[' | b'{'))
            })
        });
        assert!(
            labelled,
            "err/{name}.kql: no \"opened here\" label on a bracket; diagnostics:\n{}",
            common::render_diagnostics(parse.diagnostics())
        );
    }
}

/// A control command is one warning, not an error and not a cascade.
#[test]
fn control_command_is_one_warning() {
    let parse = kql_syntax::parse(".show tables\n");
    assert!(!parse.has_errors(), "{:?}", parse.diagnostics());
    let warnings: Vec<_> = parse
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", parse.diagnostics());
    assert_eq!(parse.diagnostics().len(), 1, "{:?}", parse.diagnostics());
}

#[test]
fn fixture_snapshots() {
    for sub in ["ok", "err"] {
        for f in fixtures(sub) {
            let parse = kql_syntax::parse(&f.text);
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_suffix(format!("{sub}__{}", f.name));
            settings.set_input_file(&f.path);
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.bind(|| {
                insta::assert_snapshot!("parse", snapshot_text(&parse));
            });
        }
    }
}
