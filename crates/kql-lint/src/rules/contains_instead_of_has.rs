use super::prelude::*;
use kql_syntax::ast::{AstNode, PipeExpr};

declare_rule! {
    /// `contains` on a table's column, where `has` would use the term index.
    ///
    /// ## What it does
    /// Reports `contains`/`!contains` (and `_cs`) whose left side is a column as a table stores
    /// it (read from the table, kept through `where`, `project`, `summarize … by`, `join`; not
    /// computed or renamed by an earlier operator) and whose right side is a string literal of
    /// 3 or more characters, inside a row filter: `where`/`filter`, `search`, and the condition of
    /// `countif`-style aggregations. In `extend`/`project` values and `iff`/`case` no term index
    /// is used.
    ///
    /// ## Why is this bad?
    /// `has` looks whole terms up in the column's term index; `contains` scans every string. For
    /// a whole word, or a file name such as `teamviewer.exe`, the two usually agree.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where ProcessCommandLine contains "mimikatz"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where ProcessCommandLine has "mimikatz"
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `has` matches whole terms only, so `contains "kat"` matching inside `mimikatz`
    /// would stop matching. No fix when the literal starts or ends with punctuation (`"-enc"`,
    /// `".xlsm"`): whether the author meant a term boundary there is not clear.
    ///
    /// ## Compared with Microsoft's analyzer (KS500)
    /// Microsoft reports `contains` on a table's column anywhere (also in `extend` values and
    /// `iff` arguments), with any right side of 3+ characters (also a non-literal). kqlkit
    /// follows it on which columns (only a stored column has a term index: after `extend`,
    /// `parse_json(...).x` or on an unknown table `has` gains nothing) and on punctuated
    /// literals (`contains "teamviewer.exe"` is the common hunting case), and keeps two
    /// deliberate differences that serve an analyst: only row filters are reported (elsewhere
    /// the index is not used, and `has` only changes the value), and only literals (a value the
    /// query computes cannot be judged). Over `../shared/corpus/valid` see the README's
    /// comparison table: each remaining difference is one of these two.
    pub struct ContainsInsteadOfHas { code: "AH101", name: "contains-instead-of-has", category: Performance, severity: Info, fix: Unsafe, weight: 1 }
}

/// Each `contains` operator and the `has` operator that would use the term index.
const CONTAINS_TO_HAS: &[(&str, &str)] = &[
    ("contains", "has"),
    ("!contains", "!has"),
    ("contains_cs", "has_cs"),
    ("!contains_cs", "!has_cs"),
];

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (bin, op, op_range, replacement) in cx.bin_ops_to_swap(CONTAINS_TO_HAS) {
        let Some(v) = bin.children().nth(1).and_then(|r| string_value(&r)) else {
            continue;
        };
        if v.chars().count() < 3 || !in_filter(bin) {
            continue;
        }
        let Some(left) = bin.first_child() else {
            continue;
        };
        if !is_stored_column(cx, &left) {
            continue;
        }
        let mut d = cx.report(
            format!("`{op} \"{v}\"` scans every string; `{replacement}` uses the term index"),
            op_range,
        );
        let edge = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
        if edge(v.chars().next()) && edge(v.chars().last()) {
            d = d.with_fix(Fix::unsafe_(
                format!("Replace `{op}` with `{replacement}`"),
                vec![TextEdit::replace(op_range, replacement)],
            ));
        }
        out.push(d);
    }
    out
}

/// Whether `operand` is a column as a table stores it: a plain column name (not a `let` name or
/// parameter) that a table read by the operator's pipeline has, and that no earlier operator of
/// that pipeline computes or renames (`extend Name = ...`, `project-rename Name = ...`).
fn is_stored_column(cx: &Checker, operand: &SyntaxNode) -> bool {
    let operand = unparen(operand.clone());
    if operand.kind() != SyntaxKind::NAME_REF
        || cx.model().referenced_symbol(operand.text_range()).is_some()
    {
        return false;
    }
    let Some(name) = name_ref_text(&operand) else {
        return false;
    };
    let Some(op) = operand.ancestors().find(|a| a.kind().is_tabular_operator()) else {
        return false;
    };
    let Some(pipe) = op.parent().and_then(PipeExpr::cast) else {
        return false;
    };
    let ops = pipe.operators();
    let Some(at) = ops.iter().position(|o| *o == op) else {
        return false;
    };
    let computed = ops[..at].iter().any(|o| {
        o.descendants()
            .filter(|n| n.kind() == SyntaxKind::NAME)
            .any(|n| kql_syntax::names::name_is(&n, &name))
    });
    if computed {
        return false;
    }
    let mut feeding: Vec<TextRange> = ops[..at].iter().map(|o| o.text_range()).collect();
    if let Some(source) = pipe.source() {
        source_ranges(cx, source, &mut feeding, 0);
    }
    cx.model()
        .table_reads()
        .iter()
        .filter(|r| feeding.iter().any(|f| f.contains_range(r.range)))
        .any(|r| {
            cx.schema
                .table(&r.table)
                .is_some_and(|t| t.column(&name).is_some())
        })
}

/// The ranges whose table reads feed a pipeline's source: the source, and through `let` names
/// the values they stand for (and their sources in turn).
fn source_ranges(cx: &Checker, source: SyntaxNode, out: &mut Vec<TextRange>, depth: u32) {
    if depth > 16 {
        return;
    }
    let source = unparen(source);
    out.push(source.text_range());
    let next = match source.kind() {
        SyntaxKind::NAME_REF => cx.let_value(&source),
        SyntaxKind::PIPE_EXPR => PipeExpr::cast(source).and_then(|p| p.source()),
        _ => None,
    };
    if let Some(next) = next {
        source_ranges(cx, next, out, depth + 1);
    }
}

/// Whether `node` is part of a row filter: the predicate of `where`/`filter`/`search`, or of an
/// aggregation's `…if` condition (`countif`, `dcountif`, …). Only there can the term index be
/// used; in `extend`/`project` values or `case` arms `has` buys nothing and changes the value.
fn in_filter(node: &SyntaxNode) -> bool {
    for up in node.ancestors().skip(1) {
        match up.kind() {
            SyntaxKind::WHERE_OP | SyntaxKind::SEARCH_OP => return true,
            SyntaxKind::CALL_EXPR => {
                let name = call_name(&up).unwrap_or_default().to_ascii_lowercase();
                if name.ends_with("if") && name != "iif" && name != "iff" {
                    return true;
                }
                if matches!(name.as_str(), "iif" | "iff" | "case") {
                    return false;
                }
            }
            kind if kind.is_tabular_operator() || kind == SyntaxKind::LET_STMT => return false,
            _ => {}
        }
    }
    false
}
