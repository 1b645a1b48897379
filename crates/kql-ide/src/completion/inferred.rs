//! Columns of an input whose schema is not known (a table missing from the schema, an
//! `externaldata` without columns): the names the pipeline already used as its columns. The
//! query itself is the best witness of them, as in Kusto's editor.

use std::collections::BTreeSet;

use kql_semantic::names::name_ref_text;
use kql_syntax::{SyntaxKind, SyntaxToken, TextSize};

use crate::names::{enclosing_operator, pipeline_of};
use crate::Analysis;

/// The names used before `before` in the pipeline of the operator whose keyword is `op` that
/// read a column of an open schema and are not columns of `scope`, sorted.
pub(super) fn used_columns(
    a: &Analysis,
    op: &SyntaxToken,
    before: TextSize,
    scope: &kql_semantic::RowSchema,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Some(pipeline) = op
        .parent()
        .and_then(|n| enclosing_operator(&n))
        .and_then(|n| pipeline_of(&n))
    else {
        return out;
    };
    let model = a.model();
    for node in pipeline.descendants() {
        let range = node.text_range();
        if range.start() >= before {
            break;
        }
        if node.kind() != SyntaxKind::NAME_REF || range.end() > before {
            continue;
        }
        // Not a function being called, a pipeline's source (a table), an operator parameter's
        // value (`hint.strategy=native`), or a `let` name.
        let not_column = node.parent().is_some_and(|p| match p.kind() {
            SyntaxKind::CALL_EXPR | SyntaxKind::PIPE_EXPR => p.first_child() == Some(node.clone()),
            SyntaxKind::OPERATOR_PARAM => true,
            _ => false,
        });
        if not_column {
            continue;
        }
        let Some(name) = name_ref_text(&node) else {
            continue;
        };
        // The cheap checks first: the model's lookups below scan the whole document.
        if out.contains(&name) || scope.column(&name).is_some() || a.schema().table(&name).is_some()
        {
            continue;
        }
        if model.symbol_at(range.start()).is_some() {
            continue;
        }
        let read_open = model
            .columns_at(range.start())
            .is_some_and(|s| s.open && s.column(&name).is_none());
        if read_open {
            out.insert(name);
        }
    }
    out
}
