//! Completion: what may be written at the cursor, from its [`context`], the semantic model's
//! columns in scope, the schema and the function catalog.
//!
//! Relevance (`sort_text`): inside predicates and values, columns come first, then `let` names
//! and parameters, then functions; where aggregations go, aggregation functions first. Items are
//! not filtered by the word typed so far: clients filter (and re-filter as the user types).

mod context;
mod inferred;
mod keywords;

use kql_schema::{FunctionCatalog, FunctionKind};
use kql_syntax::ast::AstNode;
use kql_syntax::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use crate::names::{quote_name, trimmed_range};
use crate::signatures::{
    builtin_signatures, call_snippet, lambda_params, stored_params, ParamText,
};
use crate::{Analysis, CompletionItem, CompletionKind};
use context::{Clause, Position};

pub(crate) fn completions(a: &Analysis, offset: TextSize, snippets: bool) -> Vec<CompletionItem> {
    let root = a.root();
    let cx = context::context(&root, offset, a.config().blocks);
    let mut out = Items {
        replace: cx.replace,
        snippets,
        items: Vec::new(),
    };
    match &cx.position {
        Position::Nothing => {}
        Position::QueryStart | Position::LetValue => {
            for t in a.schema().tables.values() {
                let detail = match &t.time_column {
                    Some(c) => format!("table · {} columns · time column {c}", t.columns.len()),
                    None => format!("table · {} columns", t.columns.len()),
                };
                out.push(&t.name, CompletionKind::Table, Some(detail), "1");
            }
            let want = if cx.position == Position::LetValue {
                LetUse::Value
            } else {
                LetUse::Tabular
            };
            lets(a, &root, offset, &mut out, want);
            for f in a.schema().functions.values() {
                if !f.takes_table_input() {
                    out.call(
                        &f.name,
                        CompletionKind::UserFunction,
                        &stored_params(f),
                        "2",
                    );
                }
            }
            for k in keywords::QUERY_START {
                out.keyword(k, "3");
            }
            if cx.position == Position::LetValue {
                functions(&mut out, |k| k == FunctionKind::Scalar, "4");
                for k in keywords::SCALAR_STARTS {
                    out.keyword(k, "4");
                }
            }
        }
        Position::AfterPipe => {
            for (i, (k, detail)) in keywords::OPERATORS.iter().enumerate() {
                let rank = format!("{i:02}");
                out.push(k, CompletionKind::Keyword, Some(detail.to_string()), &rank);
            }
        }
        Position::KindValue(values) => {
            for v in *values {
                out.push(v, CompletionKind::Value, None, "0");
            }
        }
        Position::Side { right } => {
            let schema = cx
                .operator
                .as_ref()
                .and_then(|op| side_schema(a.model(), op, *right));
            if let Some(schema) = schema {
                columns(&schema.columns, &mut out, "0");
            }
        }
        Position::Plugin => {
            functions(&mut out, |k| k == FunctionKind::Plugin, "0");
        }
        Position::Chart => {
            for c in keywords::CHARTS {
                out.push(c, CompletionKind::Value, None, "0");
            }
        }
        Position::Invoke => {
            for f in a.schema().functions.values() {
                if f.takes_table_input() {
                    out.call(
                        &f.name,
                        CompletionKind::UserFunction,
                        &stored_params(f),
                        "0",
                    );
                }
            }
            lets(a, &root, offset, &mut out, LetUse::Function);
        }
        Position::AfterExpr => {
            let op = cx.operator.as_ref().map(|o| o.text().to_ascii_lowercase());
            if matches!(op.as_deref(), Some("where" | "filter")) {
                let words = match cx.before.as_ref() {
                    Some(t) if ends_predicate(t) => vec!["and".to_string(), "or".to_string()],
                    t => {
                        let ty = t.and_then(|t| a.model().type_at(t.text_range().start()));
                        keywords::predicate_operators(ty)
                    }
                };
                for (i, k) in words.iter().enumerate() {
                    out.keyword(k, &format!("{i:03}"));
                }
            }
            for k in keywords::after_expression(op.as_deref()) {
                out.keyword(k, "0");
            }
        }
        Position::Value(clause) => {
            let scope_at = cx
                .operator
                .as_ref()
                .map_or(offset, |op| op.text_range().start());
            let scope = a.model().columns_at(scope_at).cloned();
            let scope = match clause {
                Clause::Count => None,
                Clause::JoinKeys => scope.map(|left| {
                    // Keys both sides have, when the right side's columns are known.
                    let right = cx
                        .operator
                        .as_ref()
                        .and_then(|op| side_schema(a.model(), op, true));
                    match right.filter(|r| !r.open) {
                        Some(r) => kql_semantic::RowSchema::closed(
                            left.columns
                                .into_iter()
                                .filter(|c| r.column(&c.name).is_some())
                                .collect(),
                        ),
                        None => left,
                    }
                }),
                _ => scope,
            };
            if let Some(scope) = scope {
                let rank = if *clause == Clause::Aggregate {
                    "1"
                } else {
                    "0"
                };
                columns(&scope.columns, &mut out, rank);
                if let (true, Some(op)) = (scope.open, cx.operator.as_ref()) {
                    for name in inferred::used_columns(a, op, cx.replace.start(), &scope) {
                        out.push(
                            &name,
                            CompletionKind::Column,
                            Some("column used above".into()),
                            rank,
                        );
                    }
                }
            }
            if !matches!(clause, Clause::Names | Clause::JoinKeys) {
                lets(a, &root, offset, &mut out, LetUse::Scalar);
            }
            if *clause == Clause::JoinKeys {
                out.keyword("$left", "1");
                out.keyword("$right", "1");
            }
            if !matches!(clause, Clause::Names | Clause::JoinKeys) {
                for k in keywords::SCALAR_STARTS {
                    out.keyword(k, "3");
                }
            }
            match clause {
                Clause::Aggregate => {
                    functions(&mut out, |k| k == FunctionKind::Aggregate, "0");
                    functions(&mut out, |k| k == FunctionKind::Scalar, "3");
                }
                Clause::Scalar => functions(
                    &mut out,
                    |k| matches!(k, FunctionKind::Scalar | FunctionKind::Window),
                    "2",
                ),
                Clause::Columns => functions(&mut out, |k| k == FunctionKind::Scalar, "2"),
                Clause::Names | Clause::JoinKeys => {}
                Clause::Count => {
                    for n in ["10", "100", "1000"] {
                        out.push(n, CompletionKind::Value, None, "0");
                    }
                    functions(&mut out, |k| k == FunctionKind::Scalar, "2");
                }
            }
        }
    }
    out.items
}

/// Whether `last` ends a whole predicate (`a == "x"`, `b in (1, 2)`, `c between (…)`), after
/// which only `and`/`or` may follow, rather than an operand that still wants its operator.
fn ends_predicate(last: &kql_syntax::SyntaxToken) -> bool {
    let end = last.text_range().end();
    last.parent_ancestors()
        .take_while(|n| n.text_range().end() == end && !n.kind().is_tabular_operator())
        .any(|n| match n.kind() {
            SyntaxKind::IN_EXPR | SyntaxKind::BETWEEN_EXPR => true,
            SyntaxKind::BIN_EXPR => kql_syntax::ast::BinExpr::cast(n)
                .and_then(|b| b.op())
                .is_some_and(|op| {
                    let t = op.text().to_ascii_lowercase();
                    !matches!(t.as_str(), "+" | "-" | "*" | "/" | "%")
                }),
            _ => false,
        })
}

/// Collects items; every item replaces the same range.
struct Items {
    replace: TextRange,
    snippets: bool,
    items: Vec<CompletionItem>,
}

impl Items {
    fn push(&mut self, label: &str, kind: CompletionKind, detail: Option<String>, rank: &str) {
        self.items.push(CompletionItem {
            label: label.to_string(),
            kind,
            detail,
            documentation: None,
            insert_text: match kind {
                CompletionKind::Keyword | CompletionKind::Value => label.to_string(),
                _ => quote_name(label),
            },
            is_snippet: false,
            replace_range: self.replace,
            sort_text: format!("{rank}{}", label.to_ascii_lowercase()),
        });
    }

    fn keyword(&mut self, k: &str, rank: &str) {
        self.push(k, CompletionKind::Keyword, None, rank);
    }

    /// A function item, completed with its parameters as a snippet when the client takes them.
    fn call(&mut self, name: &str, kind: CompletionKind, params: &[ParamText], rank: &str) {
        let labels: Vec<&str> = params.iter().map(|p| p.label.as_str()).collect();
        self.push(
            name,
            kind,
            Some(format!("{name}({})", labels.join(", "))),
            rank,
        );
        if self.snippets {
            if let Some(item) = self.items.last_mut() {
                item.insert_text = call_snippet(&quote_name(name), params);
                item.is_snippet = true;
            }
        }
    }
}

fn columns(cols: &[kql_semantic::ColumnInfo], out: &mut Items, rank: &str) {
    for c in cols {
        out.push(
            &c.name,
            CompletionKind::Column,
            Some(c.ty.as_str().to_string()),
            rank,
        );
    }
}

/// One built-in function as a completion item (its replace range and rank are set per use),
/// with its snippet text.
struct FunctionItem {
    kind: FunctionKind,
    item: CompletionItem,
    snippet: String,
}

/// The catalog's functions as items, made once: the catalog never changes, and formatting
/// every signature on each keystroke would be most of completion's time.
fn function_items() -> &'static [FunctionItem] {
    static ITEMS: std::sync::OnceLock<Vec<FunctionItem>> = std::sync::OnceLock::new();
    ITEMS.get_or_init(|| {
        FunctionCatalog::builtin()
            .iter()
            .filter(|f| !f.hidden && f.deprecated_by.is_none())
            .map(|f| {
                let sig = builtin_signatures(f).into_iter().next();
                let params: Vec<ParamText> = f
                    .params()
                    .iter()
                    .map(|p| ParamText {
                        name: p.name.clone(),
                        label: String::new(),
                        required: p.min_occurs > 0,
                    })
                    .collect();
                FunctionItem {
                    kind: f.kind,
                    item: CompletionItem {
                        label: f.name.clone(),
                        kind: match f.kind {
                            FunctionKind::Aggregate => CompletionKind::AggregateFunction,
                            FunctionKind::Plugin => CompletionKind::Plugin,
                            _ => CompletionKind::Function,
                        },
                        detail: sig.as_ref().map(|s| s.label.clone()),
                        documentation: sig.and_then(|s| s.documentation),
                        insert_text: f.name.clone(),
                        is_snippet: false,
                        replace_range: TextRange::default(),
                        sort_text: f.name.to_ascii_lowercase(),
                    },
                    snippet: call_snippet(&f.name, &params),
                }
            })
            .collect()
    })
}

/// Built-in functions of the kinds `keep` accepts (not those Kusto hides from completion).
fn functions(out: &mut Items, keep: impl Fn(FunctionKind) -> bool, rank: &str) {
    for f in function_items().iter().filter(|f| keep(f.kind)) {
        let mut item = f.item.clone();
        item.replace_range = out.replace;
        item.sort_text.insert_str(0, rank);
        if out.snippets {
            item.insert_text.clone_from(&f.snippet);
            item.is_snippet = true;
        }
        out.items.push(item);
    }
}

/// Which `let` names fit a position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LetUse {
    Tabular,
    Scalar,
    /// Tabular or scalar (a `let` value, a function body's start).
    Value,
    Function,
}

/// The `let` names and parameters visible at `offset` that fit `want`.
fn lets(a: &Analysis, root: &SyntaxNode, offset: TextSize, out: &mut Items, want: LetUse) {
    let model = a.model();
    for s in model.symbols() {
        if s.definition.end() > offset {
            continue;
        }
        let Some(decl) = crate::names::declaration_of(root, s.definition) else {
            continue;
        };
        match decl.kind() {
            SyntaxKind::PARAM => {
                // Visible inside its function only; a table parameter (`T:(*)`) where tables go.
                let body = decl.ancestors().find(|n| n.kind() == SyntaxKind::LAMBDA);
                let inside = body.is_some_and(|b| lambda_contains(&b, offset));
                let ty = decl
                    .children()
                    .find(|c| matches!(c.kind(), SyntaxKind::TYPE_REF | SyntaxKind::SCHEMA));
                let tabular = ty.as_ref().is_some_and(|t| t.kind() == SyntaxKind::SCHEMA);
                let fits = match want {
                    LetUse::Tabular => tabular,
                    LetUse::Scalar => !tabular,
                    LetUse::Value => true,
                    LetUse::Function => false,
                };
                if inside && fits {
                    let detail = ty.map(|t| t.text().to_string());
                    let rank = if tabular { "0" } else { "1" };
                    out.push(&s.name, CompletionKind::Parameter, detail, rank);
                }
            }
            SyntaxKind::AS_OP => {
                if want == LetUse::Tabular {
                    out.push(&s.name, CompletionKind::Variable, Some("as".into()), "0");
                }
            }
            _ => {
                if !in_scope(&decl, offset) {
                    continue;
                }
                let Some(value) =
                    kql_syntax::ast::LetStmt::cast(decl.clone()).and_then(|l| l.value())
                else {
                    continue;
                };
                if value.kind() == SyntaxKind::LAMBDA {
                    // Not inside its own body (KQL functions do not recurse).
                    if lambda_contains(&value, offset) {
                        continue;
                    }
                    let params = lambda_params(&value);
                    out.call(&s.name, CompletionKind::UserFunction, &params, "1");
                    continue;
                }
                // The syntax settles most values; the model's (slower) lookup the rest.
                let tabular = match value.kind() {
                    SyntaxKind::PIPE_EXPR => true,
                    k if k.is_tabular_operator() => true,
                    SyntaxKind::LITERAL | SyntaxKind::BIN_EXPR | SyntaxKind::PREFIX_EXPR => false,
                    _ => {
                        model.result_of(value.text_range()).is_some()
                            || model.result_of(trimmed_range(&value)).is_some()
                    }
                };
                let fits = match want {
                    LetUse::Tabular => tabular,
                    LetUse::Scalar => !tabular,
                    LetUse::Value => true,
                    LetUse::Function => false,
                };
                if fits {
                    let detail = model
                        .type_at(value.text_range().start())
                        .map(|t| t.as_str().to_string());
                    out.push(
                        &s.name,
                        CompletionKind::Variable,
                        detail,
                        if tabular { "0" } else { "1" },
                    );
                }
            }
        }
    }
}

/// Whether `offset` is inside a function's parameters or body; a body not closed yet (the
/// user is typing it) runs on to the end of the text.
fn lambda_contains(lambda: &SyntaxNode, offset: TextSize) -> bool {
    let range = lambda.text_range();
    let open = lambda
        .last_token()
        .is_some_and(|t| t.kind() == SyntaxKind::R_CURLY && t.text().is_empty());
    range.start() < offset && (offset < range.end() || open)
}

/// Whether a `let` statement is visible at `offset`: `offset` is inside the scope holding it.
fn in_scope(let_stmt: &SyntaxNode, offset: TextSize) -> bool {
    let_stmt
        .parent()
        .is_some_and(|scope| scope.text_range().contains_inclusive(offset))
}

/// The row schema of a side of the join whose keyword is `op`.
fn side_schema(
    model: &kql_semantic::Model,
    op: &kql_syntax::SyntaxToken,
    right: bool,
) -> Option<kql_semantic::RowSchema> {
    crate::occurrences::join_side(model, &op.parent()?, right).cloned()
}
