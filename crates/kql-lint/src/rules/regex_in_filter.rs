use super::prelude::*;
use kql_syntax::ast::{AstNode, PipeExpr};
use kql_syntax::word_operators::HAS_WORDS;

declare_rule! {
    /// A regular expression over rows that no cheaper term filter has narrowed.
    ///
    /// ## What it does
    /// Reports `matches regex`, `extract(...)` or `extract_all(...)` inside a `where`, and
    /// `parse kind=regex`, when no term filter comes first: a `has`-family, `startswith`,
    /// `endswith`, `==`, `=~`, `in` or `in~` comparison joined by `and` to the regex in the same
    /// `where`, or in an earlier `where` of the same pipeline. A condition inside `or` or `not`
    /// does not count: it does not remove rows before the regex runs.
    ///
    /// ## Why is this bad?
    /// A regular expression runs over every row's full text and cannot use Kusto's term index;
    /// `has` can, and discards most rows before the regex sees them. Regex-heavy queries cost
    /// run time against the Advanced Hunting quotas (kql-guard counts them as a cost).
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | where ProcessCommandLine matches regex @"-enc\s+[A-Za-z0-9+/=]{40,}"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | where ProcessCommandLine has "-enc" and ProcessCommandLine matches regex @"-enc\s+[A-Za-z0-9+/=]{40,}"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which term every match must contain is the author's knowledge.
    ///
    /// ## Coverage
    /// Microsoft's analyzer has no such rule. A term filter in the same `where` counts even when
    /// written after the regex: conditions joined by `and` are applied together, and Kusto uses
    /// the term index for any of them. Over `../shared/corpus/valid`: 20 findings in 15 files
    /// (16 `matches regex`, 3 `parse kind=regex`, 1 `extract`).
    pub struct RegexInFilter { code: "AH116", name: "regex-in-filter", category: Performance, severity: Info, fix: None, weight: 2 }
}

/// Comparisons besides the `has` family ([`HAS_WORDS`]) that can use the term index (or an exact
/// match) and so narrow rows cheaply.
const OTHER_TERM_OPERATORS: &[&str] = &[
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "==",
    "=~",
    "in",
    "in~",
];

/// Whether `op` (lowercase) narrows rows by term: the `has` family or [`OTHER_TERM_OPERATORS`].
fn is_term_operator(op: &str) -> bool {
    HAS_WORDS.contains(&op) || OTHER_TERM_OPERATORS.contains(&op)
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut report = |at: TextRange, what: &str, op: &SyntaxNode| {
        if !has_term_prefilter(op) {
            out.push(
                cx.report(
                    format!("{what} runs over rows no `has` filter has narrowed"),
                    at,
                )
                .with_help("add a `has` (or `startswith`, `==`) condition on a term every match contains, before or beside the regex"),
            );
        }
    };
    for (bin, op, op_range) in cx.bin_ops() {
        if op == "matches" {
            if let Some(filter) = enclosing_filter(bin) {
                let at = TextRange::new(op_range.start(), bin.text_range().end());
                report(at, "`matches regex`", &filter);
            }
        }
    }
    for (call, name) in cx.calls() {
        if name == "extract" || name == "extract_all" {
            if let Some(filter) = enclosing_filter(call) {
                report(call.text_range(), &format!("`{name}`"), &filter);
            }
        }
    }
    for parse in cx.nodes(SyntaxKind::PARSE_OP) {
        let regex_kind = parse
            .children()
            .filter(|c| c.kind() == SyntaxKind::OPERATOR_PARAM)
            .any(|p| {
                let text = p.text().to_string().to_ascii_lowercase();
                text.replace(' ', "") == "kind=regex"
            });
        if regex_kind {
            report(parse.text_range(), "`parse kind=regex`", &parse);
        }
    }
    out
}

/// The `where` whose predicate holds `node`, when the nearest enclosing operator is one.
fn enclosing_filter(node: &SyntaxNode) -> Option<SyntaxNode> {
    let op = node.ancestors().find(|a| {
        a.parent()
            .is_some_and(|p| p.kind() == SyntaxKind::PIPE_EXPR)
            && a.kind() != SyntaxKind::PIPE_EXPR
    })?;
    matches!(op.kind(), SyntaxKind::WHERE_OP).then_some(op)
}

/// Whether `op` (a `where` or `parse`) or an earlier `where` of its pipeline narrows rows with a
/// term comparison joined by `and`.
fn has_term_prefilter(op: &SyntaxNode) -> bool {
    if op.kind() == SyntaxKind::WHERE_OP && narrows_by_term(op) {
        return true;
    }
    let Some(pipe) = op.parent().and_then(PipeExpr::cast) else {
        return false;
    };
    pipe.operators()
        .iter()
        .take_while(|o| *o != op)
        .filter(|o| o.kind() == SyntaxKind::WHERE_OP)
        .any(narrows_by_term)
}

/// Whether the predicate of `filter` has a term comparison reached only through `and`.
fn narrows_by_term(filter: &SyntaxNode) -> bool {
    filter.descendants().any(|n| {
        let op = match n.kind() {
            SyntaxKind::BIN_EXPR => bin_op(&n).map(|(op, _)| op),
            SyntaxKind::IN_EXPR => tokens(&n).next().map(|t| t.text().to_ascii_lowercase()),
            _ => None,
        };
        op.is_some_and(|op| is_term_operator(&op)) && only_and_above(&n, filter)
    })
}

/// Whether every node between `n` and `filter` is an `and` or parentheses.
fn only_and_above(n: &SyntaxNode, filter: &SyntaxNode) -> bool {
    n.ancestors()
        .skip(1)
        .take_while(|a| a != filter)
        .all(|a| match a.kind() {
            SyntaxKind::PAREN_EXPR => true,
            SyntaxKind::BIN_EXPR => bin_op(&a).is_some_and(|(op, _)| op == "and"),
            _ => false,
        })
}
