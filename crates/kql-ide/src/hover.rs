//! Hover: what the name under the cursor is (column, table, function, `let` name) and the
//! lint findings there, as Markdown.

use kql_schema::FunctionCatalog;
use kql_semantic::names::{call_name, name_ref_text, name_text};
use kql_syntax::{SyntaxKind, SyntaxNode, TextSize};

use crate::names::{name_node_at, trimmed_range};
use crate::occurrences::{occurrences_at, TargetKind};
use crate::signatures::{callee_signatures, resolve_callee};
use crate::{Analysis, Hover};

pub(crate) fn hover(a: &Analysis, offset: TextSize) -> Option<Hover> {
    let mut sections = Vec::new();
    let mut range = None;
    let name = name_node_at(&a.root(), offset);
    // A name's own description says what it is; a call's also gets the value it folds to.
    let is_callee = name.as_ref().is_some_and(|n| {
        n.parent().is_some_and(|p| {
            p.kind() == SyntaxKind::CALL_EXPR && p.first_child().as_ref() == Some(n)
        })
    });
    if let Some(node) = name {
        if let Some(text) = describe_name(a, &node) {
            sections.push(text);
            range = Some(trimmed_range(&node));
        }
    }
    if sections.is_empty() || is_callee {
        if let Some((r, text)) = time_value(a, offset) {
            sections.push(text);
            range.get_or_insert(r);
        }
    }
    for d in a
        .diagnostics()
        .iter()
        .filter(|d| d.range.contains_inclusive(offset))
    {
        let rule = d.rule.as_deref().and_then(kql_lint::registry::by_name);
        let mut text = format!("**{}** {}", d.code, d.message);
        if let Some(rule) = rule {
            text.push_str(&format!("\n\n`{}`: {}", rule.name, rule.summary()));
        }
        if let Some(help) = &d.help {
            text.push_str(&format!("\n\n{help}"));
        }
        sections.push(text);
        range.get_or_insert(d.range);
    }
    Some(Hover {
        range: range?,
        markdown: sections.join("\n\n---\n\n"),
    })
}

/// The value of the time expression under the cursor (`ago(7d)`, `1h`, `datetime(…) + 1d`),
/// folded as the time rules fold it, with its distance from "now".
fn time_value(a: &Analysis, offset: TextSize) -> Option<(kql_syntax::TextRange, String)> {
    use kql_semantic::fold::{fold, format_datetime, Value, TICKS_PER_DAY};
    let token = a.root().token_at_offset(offset).right_biased()?;
    let now = a.config().lint.now;
    let days = |t: i64| format!("{:.1}", t as f64 / TICKS_PER_DAY as f64).replace(".0", "");
    for node in token.parent_ancestors().take(4) {
        if !matches!(
            node.kind(),
            SyntaxKind::LITERAL
                | SyntaxKind::CALL_EXPR
                | SyntaxKind::BIN_EXPR
                | SyntaxKind::PAREN_EXPR
        ) {
            continue;
        }
        let text = match fold(&node, now)? {
            Value::DateTime(t) => {
                let rel = if t <= now {
                    format!("{} days before now", days(now - t))
                } else {
                    format!("{} days after now", days(t - now))
                };
                format!(
                    "{}\n\n{rel}",
                    code(&format!("datetime({})", format_datetime(t)))
                )
            }
            Value::TimeSpan(t) => code(&format!("timespan: {} days", days(t))),
            _ => return None,
        };
        return Some((trimmed_range(&node), text));
    }
    None
}

fn code(text: &str) -> String {
    format!("```kql\n{text}\n```")
}

fn describe_name(a: &Analysis, node: &SyntaxNode) -> Option<String> {
    let parent = node.parent();
    // A call's name: its signatures.
    if let Some(call) = parent
        .as_ref()
        .filter(|p| p.kind() == SyntaxKind::CALL_EXPR && p.first_child().as_ref() == Some(node))
    {
        let name = call_name(call)?;
        let callee = resolve_callee(a.schema(), &name, call)?;
        let sigs = callee_signatures(&name, &callee);
        let labels: Vec<String> = sigs.iter().map(|s| s.label.clone()).collect();
        let mut text = code(&labels.join("\n"));
        // What this call returns, when the signatures leave it open (`iff`, `case`, `sum`).
        let returns = a
            .model()
            .type_of(trimmed_range(call))
            .filter(|t| *t != kql_schema::ScalarType::Unknown)
            .map(|t| t.as_str())
            .filter(|t| !labels.iter().all(|l| l.ends_with(&format!("-> {t}"))));
        if let Some(ty) = returns {
            text.push_str(&format!("\n\nReturns `{ty}` here."));
        }
        if let Some(doc) = sigs.first().and_then(|s| s.documentation.clone()) {
            text.push_str(&format!("\n\n{doc}"));
        }
        return Some(text);
    }
    // `$right.x`: the right side's column.
    if let Some((join, true)) = crate::occurrences::side_member(node) {
        let name = name_text(node)?;
        let ty = crate::occurrences::join_side(a.model(), &join, true)?
            .column(&name)
            .map_or("unknown", |c| c.ty.as_str());
        return Some(code(&format!(
            "(column of the right side) {}: {ty}",
            crate::names::quote_name(&name)
        )));
    }
    if let Some(o) = occurrences_at(a, trimmed_range(node).start()) {
        return Some(match o.kind {
            TargetKind::Symbol => describe_symbol(a, &o.name, o.definition?),
            TargetKind::Column => describe_column(a, node, &o.name, o.definition),
        });
    }
    // A table.
    if node.kind() == SyntaxKind::NAME_REF {
        let name = name_ref_text(node)?;
        if let Some(t) = a.schema().table(&name) {
            let mut text = code(&format!("table {}", t.name));
            let cols = t.columns.len();
            match &t.time_column {
                Some(c) => text.push_str(&format!("\n\n{cols} columns · time column `{c}`")),
                None => text.push_str(&format!("\n\n{cols} columns · no time column")),
            }
            if let Some(d) = &t.description {
                text.push_str(&format!("\n\n{d}"));
            }
            if let Some(new) = &t.renamed_to {
                text.push_str(&format!("\n\nRenamed to `{new}`."));
            }
            if a.schema().is_builtin() {
                text.push_str(&format!(
                    "\n\n[Microsoft's reference](https://learn.microsoft.com/en-us/defender-xdr/advanced-hunting-{}-table)",
                    t.name.to_ascii_lowercase()
                ));
            }
            return Some(text);
        }
        if let Some(f) = FunctionCatalog::builtin().lookup(&name) {
            return Some(code(&crate::signatures::builtin_signatures(f)[0].label));
        }
    }
    None
}

fn describe_symbol(a: &Analysis, name: &str, definition: kql_syntax::TextRange) -> String {
    let root = a.root();
    let decl = crate::names::declaration_of(&root, definition);
    let Some(decl) = decl else {
        return code(name);
    };
    match decl.kind() {
        SyntaxKind::PARAM => code(&format!("(parameter) {}", decl.text().to_string().trim())),
        SyntaxKind::AS_OP => {
            let schema = a.model().result_of(decl.text_range()).map(schema_summary);
            code(&format!(
                "(as) {name}{}",
                schema.map(|s| format!(": {s}")).unwrap_or_default()
            ))
        }
        _ => {
            let value = <kql_syntax::ast::LetStmt as kql_syntax::ast::AstNode>::cast(decl.clone())
                .and_then(|l| l.value());
            let ty = value.as_ref().and_then(|v| {
                a.model()
                    .result_of(v.text_range())
                    .map(schema_summary)
                    .or_else(|| {
                        a.model()
                            .type_at(v.text_range().start())
                            .map(|t| t.as_str().to_string())
                    })
            });
            let mut text = code(&short(&decl.text().to_string()));
            if let Some(ty) = ty {
                text.push_str(&format!("\n\nType: `{ty}`"));
            }
            text
        }
    }
}

fn describe_column(
    a: &Analysis,
    node: &SyntaxNode,
    name: &str,
    definition: Option<kql_syntax::TextRange>,
) -> String {
    let at = trimmed_range(node).start();
    let model = a.model();
    let input = || {
        model
            .columns_at(at)
            .and_then(|s| s.column(name))
            .map(|c| c.ty)
    };
    // Where the column is made (`extend x = …`, `datatable(x: long)`), the operator's input
    // does not have it yet (or has an older `x`): its type is the output's.
    let output = || {
        crate::names::enclosing_operator(node)
            .and_then(|op| model.result_of(op.text_range()))
            .and_then(|s| s.column(name))
            .map(|c| c.ty)
    };
    let made_here = definition.is_some_and(|d| d.contains_inclusive(at));
    let ty = if made_here {
        output().or_else(input)
    } else {
        input()
    }
    .or_else(|| model.type_at(at));
    let mut text = code(&format!(
        "(column) {}: {}",
        crate::names::quote_name(name),
        ty.map_or("unknown", |t| t.as_str())
    ));
    match definition {
        Some(def) => {
            let line = a.text()[..usize::from(def.start())].matches('\n').count() + 1;
            text.push_str(&format!("\n\nDefined on line {line}."));
        }
        None => {
            // The table the pipeline reads, when it has the column.
            let source = node
                .ancestors()
                .filter(|n| n.kind() == SyntaxKind::PIPE_EXPR)
                .last()
                .and_then(|p| {
                    <kql_syntax::ast::PipeExpr as kql_syntax::ast::AstNode>::cast(p)?.source()
                })
                .and_then(|s| name_ref_text(&s).or_else(|| name_text(&s)));
            if let Some(t) = source.and_then(|s| a.schema().table(&s)) {
                if t.column(name).is_some() {
                    text.push_str(&format!("\n\nFrom table `{}`.", t.name));
                }
            }
        }
    }
    text
}

/// A row schema as `(a: long, b: string, … 30 more)`: the first columns and how many follow.
fn schema_summary(s: &kql_semantic::RowSchema) -> String {
    const SHOWN: usize = 8;
    let mut parts: Vec<String> = s
        .columns
        .iter()
        .take(SHOWN)
        .map(|c| format!("{}: {}", crate::names::quote_name(&c.name), c.ty.as_str()))
        .collect();
    if s.columns.len() > SHOWN {
        parts.push(format!("… {} more", s.columns.len() - SHOWN));
    }
    if s.open {
        parts.push("…".to_string());
    }
    format!("({})", parts.join(", "))
}

/// The first line of a definition, shortened.
fn short(text: &str) -> String {
    let text = text.trim();
    let first = text.lines().next().unwrap_or("");
    if first.chars().count() > 120 || text.lines().nth(1).is_some() {
        let cut: String = first.chars().take(120).collect();
        format!("{cut} …")
    } else {
        first.to_string()
    }
}
