use super::prelude::*;
use kql_syntax::ast::{AstNode, Lambda};

declare_rule! {
    /// A `let` name or function parameter that a column of the same name hides.
    ///
    /// ## What it does
    /// Reports a name that reads a column although a `let` variable or a function parameter of
    /// the same name is in scope: inside an operator, a column wins over a variable, so the
    /// variable's value is silently not used. Every such reference is reported (as Microsoft's
    /// analyzer, KS510, does), with the variable's definition as a label.
    ///
    /// ## Why is this bad?
    /// `let DeviceId = "474908f4…"; … | where DeviceId == DeviceId` compares the column with
    /// itself and keeps every row: the query does not use the value its author set, and nothing
    /// says so.
    ///
    /// ## Example
    /// ```kql
    /// let DeviceId = "474908f457a1dc4c1fab568f808d5f77bf3bb951";
    /// DeviceProcessEvents | where Timestamp > ago(1d) | where DeviceId == DeviceId
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// let TargetDeviceId = "474908f457a1dc4c1fab568f808d5f77bf3bb951";
    /// DeviceProcessEvents | where Timestamp > ago(1d) | where DeviceId == TargetDeviceId
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the column or the variable was meant, and the variable's new name, are
    /// the author's choice.
    ///
    /// ## Compared with Microsoft's analyzer (KS510)
    /// Over `../shared/corpus/valid`: both report the same single file (1 both, 0 Microsoft-only,
    /// 0 kqlkit-only). Where the row schema is not known (an unknown table, after `evaluate`),
    /// nothing is reported: whether a column of that name exists is not known.
    pub struct ColumnShadowsVariable { code: "AH113", name: "column-shadows-variable", category: Suspicious, severity: Warning, fix: None, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let model = cx.model();
    let mut out = Vec::new();
    // The scalar variables and where each is visible.
    let mut variables = Vec::new();
    for symbol in model.symbols() {
        // The statement or parameter that defines the name (found once: `node_at` walks down
        // from the root).
        let Some(owner) = cx.node_at(symbol.definition).and_then(|n| n.parent()) else {
            continue;
        };
        if !is_scalar_variable(cx, symbol, &owner) {
            continue;
        }
        if let Some(scope) = scope_of(&owner) {
            variables.push((symbol, scope));
        }
    }
    let (Some(lo), Some(hi)) = (
        variables.iter().map(|(_, s)| s.start()).min(),
        variables.iter().map(|(_, s)| s.end()).max(),
    ) else {
        return out;
    };
    // Each name in some scope is read once and compared with every variable (preorder, so the
    // names are sorted by start). Only names that may spell a variable's are listed.
    let names: Vec<&str> = variables.iter().map(|(s, _)| s.name.as_str()).collect();
    let refs = cx.name_refs_among(&names);
    let first = refs.partition_point(|n| n.text_range().start() < lo);
    for name_ref in &refs[first..] {
        let range = name_ref.text_range();
        if range.start() >= hi {
            break;
        }
        let Some(text) = name_ref_text(name_ref) else {
            continue;
        };
        for (symbol, scope) in &variables {
            if !scope.contains(range.start())
                || text != symbol.name
                || !reads_a_column(cx, name_ref)
            {
                continue;
            }
            out.push(
                cx.report(
                    format!(
                        "column `{}` hides the variable of the same name; its value is not used",
                        symbol.name
                    ),
                    range,
                )
                .with_label(symbol.definition, "variable defined here")
                .with_help("rename the variable (and its uses) so that no column hides it"),
            );
        }
    }
    out
}

/// Whether `symbol` holds a scalar value: not a function, not a table (a column cannot stand
/// for either, so it hides nothing the author could have meant).
fn is_scalar_variable(cx: &Checker, symbol: &kql_semantic::Symbol, owner: &SyntaxNode) -> bool {
    match owner.kind() {
        SyntaxKind::LET_STMT => {
            let Some(value) = cx.model().let_value(symbol) else {
                return false;
            };
            // The value is a child of the `let` statement.
            let lambda = owner
                .children()
                .find(|c| c.text_range() == value)
                .is_some_and(|v| Lambda::can_cast(v.kind()));
            !lambda && cx.model().result_of(value).is_none()
        }
        // A tabular parameter is written `T:(*)` or `T:(Col:type, ...)`.
        SyntaxKind::PARAM => !owner
            .descendants_with_tokens()
            .any(|e| e.kind() == SyntaxKind::L_PAREN),
        _ => false,
    }
}

/// The range where the name `owner` (a `let` statement or a parameter) defines is visible: from
/// the end of its `let` statement to the end of the enclosing block, or a parameter's function
/// body.
fn scope_of(owner: &SyntaxNode) -> Option<TextRange> {
    match owner.kind() {
        SyntaxKind::LET_STMT => {
            let block = owner.parent()?;
            Some(TextRange::new(
                owner.text_range().end(),
                block.text_range().end(),
            ))
        }
        SyntaxKind::PARAM => {
            let lambda = owner.ancestors().find_map(Lambda::cast)?;
            Some(lambda.body()?.text_range())
        }
        _ => None,
    }
}

/// Whether `name_ref` is a scalar reference that the model bound to a column of the input rows
/// (not to a `let` or parameter, not a table, not a function's name).
fn reads_a_column(cx: &Checker, name_ref: &SyntaxNode) -> bool {
    let model = cx.model();
    if model.referenced_symbol(name_ref.text_range()).is_some()
        || is_tabular_position(name_ref)
        || name_ref
            .parent()
            .is_some_and(|p| p.kind() == SyntaxKind::CALL_EXPR)
    {
        return false;
    }
    let Some(name) = name_ref_text(name_ref) else {
        return false;
    };
    model
        .columns_at(name_ref.text_range().start())
        .is_some_and(|cols| cols.column(&name).is_some())
}
