//! Semantic tokens, inlay hints and code actions.

use kql_ide::{Analysis, CodeActionKind, SemanticTokenKind, TextRange, TextSize};

use crate::fixture::config;

#[test]
fn semantic_tokens_classify_names_by_meaning() {
    let text = "let lookback = 7d; // window\nlet f = (n:long) { n };\nDeviceProcessEvents\n| where Timestamp > ago(lookback) and FileName has \"cmd\"\n| extend Cmd = tolower(ProcessCommandLine), k = f(2)\n| where Timestamp < datetime(2024-10-01)";
    let a = Analysis::new(text, &config());
    let tokens = a.semantic_tokens(None);
    for w in tokens.windows(2) {
        assert!(
            w[0].range.end() <= w[1].range.start(),
            "sorted, non-overlapping"
        );
    }
    let lines: Vec<String> = tokens
        .iter()
        .map(|t| {
            let mods: Vec<&str> = (0..3)
                .filter(|i| t.modifiers.0 & (1 << i) != 0)
                .map(|i| kql_ide::SemanticTokenModifiers::LEGEND[i])
                .collect();
            format!("{:?} {} {}", &text[t.range], t.kind.name(), mods.join(","))
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
    // A range request returns only the tokens overlapping it.
    let some = a.semantic_tokens(Some(TextRange::new(0.into(), 12.into())));
    assert_eq!(some.len(), 2);
    assert_eq!(some[1].kind, SemanticTokenKind::Variable);
}

#[test]
fn legend_names_are_standard_where_they_exist() {
    assert_eq!(SemanticTokenKind::Table.name(), "class");
    assert_eq!(SemanticTokenKind::Column.name(), "property");
    assert_eq!(
        SemanticTokenKind::LEGEND.len(),
        SemanticTokenKind::Type as usize + 1
    );
}

fn hints(text: &str) -> String {
    let a = Analysis::new(text, &config());
    let all = TextRange::up_to(TextSize::of(text));
    a.inlay_hints(all)
        .iter()
        .map(|h| {
            format!(
                "{:?} after {:?}: {}",
                h.kind,
                &text[..usize::from(h.offset)].lines().last().unwrap_or(""),
                h.label
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn inlay_hints_show_time_windows_and_row_bounds() {
    insta::assert_snapshot!(hints("DeviceProcessEvents\n| where Timestamp > ago(7d)\n| take 10;\nDeviceLogonEvents\n| where Timestamp between (datetime(2024-09-01) .. datetime(2024-09-03))\n| summarize count() by DeviceName;\nDeviceInfo | where Timestamp > ago(90d)"));
}

#[test]
fn inlay_hints_can_be_turned_off() {
    let cfg = kql_ide::IdeConfig {
        inlay_hints: false,
        ..config()
    };
    let text = "DeviceInfo | where Timestamp > ago(1d) | take 1";
    let a = Analysis::new(text, &cfg);
    assert!(a
        .inlay_hints(TextRange::up_to(TextSize::of(text)))
        .is_empty());
}

fn actions(text: &str, at: &str) -> String {
    let a = Analysis::new(text, &config());
    let start = text.find(at).expect("marker text") as u32;
    let range = TextRange::at(start.into(), TextSize::of(at));
    a.code_actions(range)
        .iter()
        .map(|c| {
            let (after, _) = kql_diagnostics::apply_edits(text, &c.edits);
            format!(
                "{:?} {:?}{} [{}]\n{}",
                c.kind,
                c.title,
                if c.is_preferred { " (preferred)" } else { "" },
                c.code.as_deref().unwrap_or("-"),
                after
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn lint_fix_did_you_mean_and_suppress() {
    insta::assert_snapshot!(actions("DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where FileName contains \"cmd\"\n| take 10", "contains"));
}

#[test]
fn did_you_mean_for_unknown_names() {
    insta::assert_snapshot!(
        "unknown_table",
        actions(
            "DeviceProcesEvents | where Timestamp > ago(1d) | take 1",
            "DeviceProcesEvents"
        )
    );
    insta::assert_snapshot!(
        "unknown_column",
        actions(
            "DeviceInfo | where Timestamp > ago(1d) | project DevicName | take 1",
            "DevicName"
        )
    );
    insta::assert_snapshot!(
        "unknown_function",
        actions("print strlenn(\"a\")", "strlenn")
    );
}

#[test]
fn fix_all_applies_every_safe_fix() {
    let text = "DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where tolower(FileName) == \"cmd.exe\"\n| join (DeviceInfo | where Timestamp > ago(1d)) on DeviceId\n| take 10";
    let a = Analysis::new(text, &config());
    let all = a
        .code_actions(TextRange::empty(0.into()))
        .into_iter()
        .find(|c| c.kind == CodeActionKind::SourceFixAll);
    if let Some(all) = all {
        let (after, _) = kql_diagnostics::apply_edits(text, &all.edits);
        let again = Analysis::new(&after, &config());
        assert!(
            again.diagnostics().iter().all(|d| d
                .fix
                .as_ref()
                .is_none_or(|f| f.applicability != kql_diagnostics::Applicability::Safe)),
            "{after}"
        );
        insta::assert_snapshot!(after);
    } else {
        panic!("no fix-all action: {:?}", a.diagnostics());
    }
}
