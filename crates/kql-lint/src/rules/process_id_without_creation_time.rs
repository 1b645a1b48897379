use super::prelude::*;

declare_rule! {
    /// Join or summary by process ID without its creation time or device.
    ///
    /// ## What it does
    /// Reports `join ... on` and `summarize ... by` that use `ProcessId` or `InitiatingProcessId` without `ProcessCreationTime`/`InitiatingProcessCreationTime` or `DeviceId`.
    ///
    /// ## Why is this bad?
    /// Process IDs are reused over time and across machines: keyed on the ID alone, unrelated processes are merged.
    ///
    /// ## Example
    /// ```kql
    /// A | join kind=inner (B) on ProcessId
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// A | join kind=inner (B) on DeviceId, ProcessId, ProcessCreationTime
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub struct ProcessIdWithoutCreationTime { code: "AH110", name: "process-id-without-creation-time", category: Suspicious, severity: Warning, fix: None, weight: 0 }
}

const PID: &[&str] = &["ProcessId", "InitiatingProcessId"];
const QUALIFIERS: &[&str] = &[
    "ProcessCreationTime",
    "InitiatingProcessCreationTime",
    "DeviceId",
    "DeviceName",
];

fn names_in(node: &SyntaxNode) -> Vec<String> {
    node.descendants()
        .filter_map(|n| match n.kind() {
            SyntaxKind::NAME_REF => name_ref_text(&n),
            SyntaxKind::NAME
                if n.parent()
                    .is_some_and(|p| p.kind() == SyntaxKind::MEMBER_EXPR) =>
            {
                name_text(&n)
            }
            _ => None,
        })
        .collect()
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let on = cx.nodes(SyntaxKind::ON_CLAUSE);
    let by = cx.nodes(SyntaxKind::BY_CLAUSE).filter(|n| {
        n.parent()
            .is_some_and(|p| p.kind() == SyntaxKind::SUMMARIZE_OP)
    });
    for clause in on.chain(by) {
        let names = names_in(&clause);
        let Some(pid) = names.iter().find(|n| PID.contains(&n.as_str())) else {
            continue;
        };
        if names.iter().any(|n| QUALIFIERS.contains(&n.as_str())) {
            continue;
        }
        let what = if clause.kind() == SyntaxKind::ON_CLAUSE {
            "join"
        } else {
            "summary"
        };
        out.push(
            cx.report(format!("{what} keyed on `{pid}` without a creation time or `DeviceId`: process IDs are reused"), clause.text_range())
                .with_help("add `DeviceId` and `ProcessCreationTime` (or `InitiatingProcessCreationTime`) to the keys"),
        );
    }
    out
}
