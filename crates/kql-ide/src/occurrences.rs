//! What the name under the cursor refers to, and every place that names the same thing.
//!
//! `let` names, `as` names and parameters come from the semantic model's symbols. Columns are
//! followed here, along a pipeline: a column is defined where an operator (or the source,
//! `print x = …`, `datatable(x:long)`) assigns it, and referenced by the operators after it until
//! one assigns it again or drops it (the model's row schema after that operator no longer has
//! it). Columns of a table have no definition in the document but still have references. A
//! column assigned in a `let`'s pipeline is followed into the pipelines that read that name.

use kql_semantic::names::{name_ref_text, name_text};
use kql_syntax::ast::{AstNode, PipeExpr};
use kql_syntax::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use crate::names::{enclosing_operator, name_node_at, pipeline_of, trimmed_range};
use crate::Analysis;

/// What a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetKind {
    /// A `let`/`as` name or a parameter.
    Symbol,
    Column,
}

/// A name's definition (if in the document) and references, each the range of the name.
#[derive(Debug, Clone)]
pub(crate) struct Occurrences {
    pub name: String,
    pub kind: TargetKind,
    pub definition: Option<TextRange>,
    pub references: Vec<TextRange>,
}

/// The occurrences of the name at `offset`.
pub(crate) fn occurrences_at(a: &Analysis, offset: TextSize) -> Option<Occurrences> {
    let node = name_node_at(&a.root(), offset)?;
    let range = trimmed_range(&node);
    let model = a.model();
    if let Some(s) = model
        .symbol_defined_at(range)
        .or_else(|| model.referenced_symbol(range))
    {
        return Some(Occurrences {
            name: s.name.clone(),
            kind: TargetKind::Symbol,
            definition: Some(s.definition),
            references: s.references.clone(),
        });
    }
    column_occurrences(a, &node)
}

/// The pieces of a pipeline in order: its source, then each operator.
fn segments(pipe: &SyntaxNode) -> Vec<SyntaxNode> {
    let pipe = PipeExpr::cast(pipe.clone());
    let mut out: Vec<SyntaxNode> = pipe.iter().filter_map(PipeExpr::source).collect();
    // `operators()` lists a source that is itself an operator (`print`, `range`) too.
    let source = out.first().cloned();
    out.extend(
        pipe.iter()
            .flat_map(PipeExpr::operators)
            .filter(|op| Some(op) != source.as_ref()),
    );
    out
}

/// The segment (source or operator) of `pipe` a node belongs to: the nearest operator around
/// it, or the source when no operator of this pipeline encloses it.
fn segment_index(segments: &[SyntaxNode], node: &SyntaxNode) -> Option<usize> {
    let op = enclosing_operator(node)?;
    if let Some(i) = segments.iter().position(|s| *s == op) {
        return Some(i);
    }
    let source = segments.first()?;
    source
        .text_range()
        .contains_range(node.text_range())
        .then_some(0)
}

/// How many `let` hops a column is followed through (`let a = T | extend c = 1; let b = a; b`).
const MAX_LET_HOPS: usize = 8;

fn column_occurrences(a: &Analysis, node: &SyntaxNode) -> Option<Occurrences> {
    let (name, is_def) = match node.kind() {
        SyntaxKind::NAME if defines_column(node) => (name_text(node)?, true),
        SyntaxKind::NAME if is_left_member(node) => (name_text(node)?, false),
        SyntaxKind::NAME_REF if reads_column(a, node) => (name_ref_text(node)?, false),
        _ => return None,
    };
    let op = enclosing_operator(node)?;
    let segs = match pipeline_of(&op) {
        Some(p) => segments(&p),
        None => vec![op.clone()],
    };
    let here = segment_index(&segs, node)?;
    let def = if is_def {
        Some(node.clone())
    } else {
        let before = node.text_range().start();
        find_definition(&segs[..=here], before, Some(node), &name)
            .or_else(|| definition_upstream(a, segs.first()?, &name, 0))
    };
    let mut references = Vec::new();
    match &def {
        Some(d) => {
            let op = enclosing_operator(d)?;
            let def_segs = match pipeline_of(&op) {
                Some(p) => segments(&p),
                None => vec![op],
            };
            let start = segment_index(&def_segs, d)?;
            collect_references(a, &def_segs, start, Some(d), &name, &mut references, 0);
        }
        None => collect_references(a, &segs, 0, None, &name, &mut references, 0),
    }
    references.sort_by_key(|r| r.start());
    references.dedup();
    Some(Occurrences {
        name,
        kind: TargetKind::Column,
        definition: def.as_ref().map(trimmed_range),
        references,
    })
}

/// The references to column `name` in `segs` from segment `start` on, until an operator assigns
/// it again or drops it; when the pipeline is a `let` value, on into every pipeline that reads
/// that `let` name.
fn collect_references(
    a: &Analysis,
    segs: &[SyntaxNode],
    start: usize,
    def: Option<&SyntaxNode>,
    name: &str,
    out: &mut Vec<TextRange>,
    hops: usize,
) {
    for (i, seg) in segs.iter().enumerate().skip(start) {
        let mut redefined = false;
        for n in names_in(seg) {
            // In the defining operator, only what comes after the whole assignment reads it.
            if let Some(d) = def.filter(|_| i == start) {
                let assignment = d.parent().map_or(d.text_range(), |p| p.text_range());
                if n.text_range().start() < assignment.end() {
                    continue;
                }
            }
            let same = match n.kind() {
                SyntaxKind::NAME => name_text(&n),
                _ => name_ref_text(&n),
            }
            .is_some_and(|t| t == name);
            if !same {
                continue;
            }
            if n.kind() == SyntaxKind::NAME && defines_column(&n) {
                redefined |= i > start || def.is_none();
            } else if (n.kind() == SyntaxKind::NAME && is_left_member(&n))
                || (n.kind() == SyntaxKind::NAME_REF && reads_column(a, &n))
            {
                out.push(trimmed_range(&n));
            }
        }
        let dropped = a
            .model()
            .result_of(seg.text_range())
            .is_some_and(|s| !s.open && s.column(name).is_none());
        if redefined || dropped {
            return;
        }
    }
    if hops >= MAX_LET_HOPS {
        return;
    }
    for source in let_readers(a, segs) {
        let Some(pipe) = pipeline_of(&source) else {
            continue;
        };
        collect_references(a, &segments(&pipe), 1, None, name, out, hops + 1);
    }
}

/// When `segs` is the value of a `let`, the `NAME_REF`s that read that name as a pipeline's
/// source.
fn let_readers(a: &Analysis, segs: &[SyntaxNode]) -> Vec<SyntaxNode> {
    let Some(last) = segs.last() else {
        return Vec::new();
    };
    let Some(let_stmt) = last
        .ancestors()
        .find(|n| n.kind() != SyntaxKind::PIPE_EXPR && !n.kind().is_tabular_operator())
        .filter(|n| n.kind() == SyntaxKind::LET_STMT)
    else {
        return Vec::new();
    };
    let Some(name) = let_stmt.children().find(|c| c.kind() == SyntaxKind::NAME) else {
        return Vec::new();
    };
    let range = trimmed_range(&name);
    let root = a.root();
    a.model()
        .symbols()
        .iter()
        .filter(|s| s.definition == range)
        .flat_map(|s| s.references.iter())
        .filter_map(|r| match root.covering_element(*r) {
            rowan::NodeOrToken::Node(n) => Some(n),
            rowan::NodeOrToken::Token(t) => t.parent(),
        })
        .filter_map(|n| n.ancestors().find(|x| x.kind() == SyntaxKind::NAME_REF))
        .filter(|n| {
            n.parent().is_some_and(|p| {
                p.kind() == SyntaxKind::PIPE_EXPR && p.first_child().as_ref() == Some(n)
            })
        })
        .collect()
}

/// The assignment of `name` in the `let` value a pipeline's source names, when the column comes
/// from there (`let x = T | extend c = 1; x | where c > 0`).
fn definition_upstream(
    a: &Analysis,
    source: &SyntaxNode,
    name: &str,
    hops: usize,
) -> Option<SyntaxNode> {
    if hops >= MAX_LET_HOPS || source.kind() != SyntaxKind::NAME_REF {
        return None;
    }
    let range = trimmed_range(source);
    let symbol = a
        .model()
        .symbols()
        .iter()
        .find(|s| s.references.contains(&range))?;
    let decl = crate::names::declaration_of(&a.root(), symbol.definition)?;
    let value = <kql_syntax::ast::LetStmt as AstNode>::cast(decl)?.value()?;
    let segs = match value.kind() {
        SyntaxKind::PIPE_EXPR => segments(&value),
        _ => vec![value],
    };
    let end = segs.last()?.text_range().end();
    find_definition(&segs, end, None, name)
        .or_else(|| definition_upstream(a, segs.first()?, name, hops + 1))
}

/// The latest assignment of `name` in `segs` before offset `before`, not the one `at` sits
/// inside (`extend x = x + 1` reads the earlier `x`).
fn find_definition(
    segs: &[SyntaxNode],
    before: TextSize,
    at: Option<&SyntaxNode>,
    name: &str,
) -> Option<SyntaxNode> {
    for seg in segs.iter().rev() {
        let found = names_in(seg)
            .filter(|n| n.kind() == SyntaxKind::NAME && defines_column(n))
            .filter(|n| n.text_range().start() < before)
            .filter(|n| {
                at.is_none_or(|at| {
                    n.parent()
                        .is_none_or(|p| !p.text_range().contains_range(at.text_range()))
                })
            })
            .filter(|n| name_text(n).as_deref() == Some(name))
            .last();
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The `NAME`/`NAME_REF` nodes that belong to a segment (not to a nested pipeline's operator).
fn names_in(seg: &SyntaxNode) -> impl Iterator<Item = SyntaxNode> + '_ {
    let own_op = seg.kind().is_tabular_operator();
    seg.descendants()
        .filter(|n| matches!(n.kind(), SyntaxKind::NAME | SyntaxKind::NAME_REF))
        .filter(move |n| {
            let op = enclosing_operator(n);
            if own_op {
                op.as_ref() == Some(seg)
            } else {
                op.is_none_or(|op| !seg.text_range().contains_range(op.text_range()))
            }
        })
}

/// A `NAME` that introduces a column: the target of an assignment (`extend x = …`, `summarize
/// (a, b) = …`), or a declared column (`datatable(x:long)`, `parse … with x:long`).
pub(crate) fn defines_column(name: &SyntaxNode) -> bool {
    let Some(parent) = name.parent() else {
        return false;
    };
    match parent.kind() {
        SyntaxKind::ASSIGNMENT | SyntaxKind::TUPLE_NAMES | SyntaxKind::COLUMN_DECL => {
            // Not a `let`'s or a lambda's declaration, nor a named argument.
            !parent
                .ancestors()
                .any(|n| matches!(n.kind(), SyntaxKind::PARAM_LIST | SyntaxKind::WITH_CLAUSE))
                && parent.ancestors().any(|n| n.kind().is_tabular_operator())
        }
        _ => false,
    }
}

/// The `x` of `$left.x`.
fn is_left_member(name: &SyntaxNode) -> bool {
    side_member(name).is_some_and(|(_, right)| !right)
}

/// Whether a `NAME_REF` reads a column of the row (not a function, table, `let` name or side).
pub(crate) fn reads_column(a: &Analysis, name_ref: &SyntaxNode) -> bool {
    let Some(text) = name_ref_text(name_ref) else {
        return false;
    };
    if text.starts_with('$') {
        return false;
    }
    if let Some(parent) = name_ref.parent() {
        let first = parent.first_child().as_ref() == Some(name_ref);
        match parent.kind() {
            SyntaxKind::CALL_EXPR if first => return false,
            SyntaxKind::MEMBER_EXPR if !first => return false,
            SyntaxKind::JOIN_OP
            | SyntaxKind::LOOKUP_OP
            | SyntaxKind::UNION_OP
            | SyntaxKind::OPERATOR_PARAM
            | SyntaxKind::PIPE_EXPR
            | SyntaxKind::QUERY_STMT => return false,
            // `union T1, T2` names tables; `project-away a, b` names columns.
            SyntaxKind::NAME_LIST
                if parent
                    .parent()
                    .is_some_and(|p| p.kind() == SyntaxKind::UNION_OP) =>
            {
                return false
            }
            _ => {}
        }
    }
    !is_symbol_reference(a, name_ref) && enclosing_operator(name_ref).is_some()
}

/// Whether a `NAME_REF` refers to a `let` or `as` name or a parameter (per the model).
pub(crate) fn is_symbol_reference(a: &Analysis, name_ref: &SyntaxNode) -> bool {
    a.model()
        .referenced_symbol(trimmed_range(name_ref))
        .is_some()
}

/// The row schema of the left (`$left`, the operator's input) or right side of a `join` or
/// `lookup` node.
pub(crate) fn join_side<'m>(
    model: &'m kql_semantic::Model,
    join: &SyntaxNode,
    right: bool,
) -> Option<&'m kql_semantic::RowSchema> {
    if !right {
        return model.columns_at(join.text_range().start());
    }
    let side = join.children().find(|c| {
        !matches!(
            c.kind(),
            SyntaxKind::OPERATOR_PARAM | SyntaxKind::ON_CLAUSE | SyntaxKind::ERROR
        )
    })?;
    let mut node = Some(side);
    while let Some(n) = node {
        if let Some(s) = model
            .result_of(n.text_range())
            .or_else(|| model.result_of(trimmed_range(&n)))
        {
            return Some(s);
        }
        node = n.first_child();
    }
    None
}

/// For the `x` of `$left.x` / `$right.x`: the join or lookup node and which side it names.
pub(crate) fn side_member(name: &SyntaxNode) -> Option<(SyntaxNode, bool)> {
    let member = name
        .parent()
        .filter(|p| p.kind() == SyntaxKind::MEMBER_EXPR)?;
    let right = match name_ref_text(&member.first_child()?)?.as_str() {
        "$left" => false,
        "$right" => true,
        _ => return None,
    };
    let join = member
        .ancestors()
        .find(|n| matches!(n.kind(), SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP))?;
    Some((join, right))
}
