use super::prelude::*;

declare_rule! {
    /// `cluster()` or `database()` in a query meant for Advanced Hunting.
    ///
    /// ## What it does
    /// Reports each cross-cluster or cross-database reference (`cluster("c").database("d").T`,
    /// `database("d").T`) once, over the whole reference. A user function or parameter named
    /// `cluster` or `database` is not reported.
    ///
    /// ## Why is this bad?
    /// Advanced Hunting runs over one tenant's Defender data: it has no other clusters or
    /// databases, so the query fails there. In Azure Data Explorer the same reference also adds a
    /// remote query, which is why kql-guard counts it as a cost; in Advanced Hunting it is simply
    /// not available.
    ///
    /// ## Example
    /// ```kql
    /// cluster("help").database("Samples").StormEvents | take 10
    /// ```
    ///
    /// ## Use instead
    /// Query the Defender tables themselves, or bring the outside data with `externaldata`:
    /// ```kql
    /// DeviceInfo | where Timestamp > ago(1d) | take 10
    /// ```
    ///
    /// ## Fix safety
    /// No fix: what the query should read instead is the author's choice.
    ///
    /// ## Coverage
    /// Microsoft's analyzer has no such rule (Kusto's editors serve clusters that have others).
    /// Over `../shared/corpus/valid`, 25 of the 27 files with a `cluster(`/`database(` call are
    /// reported (all from the Azure Data Explorer docs); the other two hold the references in a
    /// `macro-expand` entity group and a `declare pattern` body, which our parser keeps as plain
    /// tokens. A `#connect cluster(...)` line is a client directive, not a query, and is not
    /// reported.
    pub struct CrossClusterReference { code: "AH114", name: "cross-cluster-reference", category: Correctness, severity: Warning, fix: None, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (call, name, _) in cx.builtin_calls() {
        if name != "cluster" && name != "database" {
            continue;
        }
        out.push(
            cx.report(
                format!("`{name}()` is not available in Advanced Hunting: it has no other clusters or databases"),
                whole_reference(call).text_range(),
            )
            .with_help("read the Defender tables directly, or load outside data with `externaldata`"),
        );
    }
    out
}

/// The reference `call` starts: `cluster("c").database("d").T` from its `cluster("c")`.
fn whole_reference(call: &SyntaxNode) -> SyntaxNode {
    let mut node = call.clone();
    while let Some(parent) = node.parent() {
        let continues = matches!(
            parent.kind(),
            SyntaxKind::MEMBER_EXPR | SyntaxKind::CALL_EXPR
        ) && parent.first_child().as_ref() == Some(&node);
        if !continues {
            break;
        }
        node = parent;
    }
    node
}
