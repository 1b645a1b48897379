//! User functions: `let f = (a:long, T:(*)) { ... }` in the query, and stored functions from a
//! schema file (`Schema::function`, with parameters and a body).
//!
//! A call is checked against the parameters (KQL204; a parameter with a default may be left out,
//! and `invoke`'s piped input fills a tabular first parameter). The body is bound once with the
//! declared parameter types: for a `let` function where it is written, for a stored function by
//! parsing its text and binding it apart, once per analysis (a cache), with no access to the
//! query's names. That binding gives the body's errors (see [`crate::FunctionCall`]) and the
//! call's schema when the function does not declare its output columns. A call that passes a
//! known table to a tabular first parameter binds the body again with that table, so the call's
//! schema follows its input; those bindings report nothing (the body's errors were reported once).
//!
//! Guards: a stored function reached again while its own body is being bound (directly or through
//! other functions) is unknown at that point, and re-bindings nest at most [`MAX_REBIND_DEPTH`]
//! deep, so mutual recursion and chains of functions cannot loop or blow up.

use super::*;
use crate::{FunctionBody, FunctionCall};

/// How deep re-bindings of function bodies for one call may nest.
const MAX_REBIND_DEPTH: u32 = 4;

/// One parameter of a user function.
#[derive(Debug, Clone)]
pub(super) struct ParamSig {
    name: String,
    /// `Value::Scalar(declared type)` or an open `Value::Table`.
    value: Value,
    tabular: bool,
    optional: bool,
}

/// A user function: its parameters, what a call returns, and how to bind its body again.
#[derive(Debug)]
pub(super) struct UserFunction {
    name: String,
    /// `None` when unknown (`declare pattern`): calls are not checked.
    params: Option<Vec<ParamSig>>,
    /// The body's value with the declared parameter types.
    result: Value,
    body: Option<Body>,
}

#[derive(Debug)]
enum Body {
    /// The `FUNCTION_BODY` node of a `let` function and the names in scope at its definition
    /// (kept only when the first parameter is a table, the one case that re-binds).
    Let {
        node: SyntaxNode,
        env: Option<Vec<NameMap<Binding>>>,
    },
    /// The parsed body of a stored function, its text as the schema gave it, and its errors
    /// (offsets into that text).
    Stored {
        root: SyntaxNode,
        text: Rc<str>,
        /// Where the parsed text starts in `text` (after the opening brace).
        offset: TextSize,
        errors: Rc<[Diagnostic]>,
    },
}

/// State shared by a binder and the binders it starts for function bodies.
#[derive(Default)]
pub(super) struct Shared {
    /// Stored functions analyzed so far, by name.
    stored: NameMap<Rc<UserFunction>>,
    /// Stored functions whose bodies are being bound (the recursion guard).
    active: Vec<String>,
    /// How many re-bindings are nested right now.
    depth: u32,
}

impl UserFunction {
    /// An unknown function (`declare pattern`): any call is accepted and returns an unknown table.
    pub(super) fn opaque(name: String) -> UserFunction {
        UserFunction {
            name,
            params: None,
            result: Value::Table(unknown_row()),
            body: None,
        }
    }

    /// What the function returns when nothing is known about its arguments.
    pub(super) fn result(&self) -> &Value {
        &self.result
    }

    /// Whether a call may leave out every argument (so naming the function calls it).
    pub(super) fn takes_no_arguments(&self) -> bool {
        self.params
            .as_ref()
            .is_some_and(|p| p.iter().all(|p| p.optional))
    }

    fn first_is_table(&self) -> bool {
        self.params
            .as_ref()
            .and_then(|p| p.first())
            .is_some_and(|p| p.tabular)
    }
}

/// A binding for the captured environment of a function: no symbol (references made while
/// re-binding belong to no model).
fn detached(scopes: &[NameMap<Binding>]) -> Vec<NameMap<Binding>> {
    scopes
        .iter()
        .map(|s| {
            s.iter()
                .map(|(k, b)| {
                    (
                        k.clone(),
                        Binding {
                            value: b.value.clone(),
                            symbol: None,
                        },
                    )
                })
                .collect()
        })
        .collect()
}

/// The body text without its braces (and where the rest starts in `text`).
fn strip_braces(text: &str) -> (&str, usize) {
    let trimmed = text.trim_start();
    let start = text.len() - trimmed.len();
    let trimmed = trimmed.trim_end();
    match trimmed.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        Some(inner) => (inner, start + 1),
        None => (trimmed, start),
    }
}

impl<'s> Binder<'s> {
    /// A binder for a function body: the same schema and shared state, its own model.
    fn sub_binder(&self, scopes: Vec<NameMap<Binding>>) -> Binder<'s> {
        Binder {
            schema: self.schema,
            catalog: self.catalog,
            scopes,
            tables: NameMap::default(),
            model: Model::default(),
            fuzzy: 0,
            database_aliases: self.database_aliases.clone(),
            shared: self.shared.clone(),
        }
    }

    /// The parameters of a `PARAM_LIST`, in order.
    fn param_sigs(params: Option<&SyntaxNode>) -> Vec<ParamSig> {
        let Some(params) = params else {
            return Vec::new();
        };
        params
            .children()
            .filter(|c| c.kind() == PARAM)
            .map(|p| {
                let name = child(&p, NAME)
                    .and_then(|n| name_text(&n))
                    .unwrap_or_default();
                let tabular = child(&p, SCHEMA).is_some();
                let value = if tabular {
                    Value::Table(unknown_row())
                } else {
                    Value::Scalar(type_ref(&p))
                };
                let optional = p.children_with_tokens().any(|e| e.kind() == EQ);
                ParamSig {
                    name,
                    value,
                    tabular,
                    optional,
                }
            })
            .collect()
    }

    /// `let name = (params) { body }` (`lambda` is the `LAMBDA` node): binds the body where it
    /// is written, with the declared parameters (its diagnostics are the query's), and returns
    /// the function.
    pub(super) fn let_function(&mut self, name: &str, lambda: &SyntaxNode) -> UserFunction {
        let param_list = child(lambda, PARAM_LIST);
        let params = Self::param_sigs(param_list.as_ref());
        let env = params
            .first()
            .is_some_and(|p| p.tabular)
            .then(|| detached(&self.scopes));
        let body = child(lambda, FUNCTION_BODY);
        self.scopes.push(NameMap::default());
        if let Some(list) = &param_list {
            self.bind_params(list);
        }
        let value = match &body {
            Some(b) => self.statements(b),
            None => Value::Unknown,
        };
        self.scopes.pop();
        UserFunction {
            name: name.to_string(),
            params: Some(params),
            result: function_result(value),
            body: body.map(|node| Body::Let { node, env }),
        }
    }

    /// The stored function `name` of the schema, its body analyzed (once per analysis).
    pub(super) fn stored_function(&mut self, name: &str) -> Option<Rc<UserFunction>> {
        let f = self.schema.function(name)?;
        if let Some(done) = self.shared.borrow().stored.get(name) {
            return Some(done.clone());
        }
        let params: Vec<ParamSig> = f
            .parameters
            .iter()
            .map(|p| {
                let tabular = p.ty == ParamType::Tabular;
                ParamSig {
                    name: p.name.clone(),
                    value: match p.ty {
                        ParamType::Scalar(t) => Value::Scalar(t),
                        ParamType::Tabular => Value::Table(unknown_row()),
                    },
                    tabular,
                    optional: p.default.is_some(),
                }
            })
            .collect();
        let declared = f.columns.as_ref().map(|cols| {
            Value::Table(Rc::new(RowSchema::closed(
                cols.iter().map(|c| col(c.name.clone(), c.ty)).collect(),
            )))
        });
        let recursive = self.shared.borrow().active.iter().any(|a| a == name);
        let Some(text) = f.body.as_deref().filter(|_| !recursive) else {
            // No body, or reached again from its own body: what is declared, else unknown.
            let unknown = UserFunction {
                name: name.to_string(),
                params: Some(params),
                result: declared.unwrap_or(Value::Table(unknown_row())),
                body: None,
            };
            let unknown = Rc::new(unknown);
            if !recursive {
                self.shared
                    .borrow_mut()
                    .stored
                    .insert(name.to_string(), unknown.clone());
            }
            return Some(unknown);
        };
        let (inner, offset) = strip_braces(text);
        let parse = kql_syntax::parse(inner);
        let root = parse.syntax();
        let mut errors: Vec<Diagnostic> = parse
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        self.shared.borrow_mut().active.push(name.to_string());
        let mut sub = self.sub_binder(vec![NameMap::default()]);
        for p in &params {
            sub.define_detached(&p.name, p.value.clone());
        }
        let value = sub.statements(&root);
        self.shared.borrow_mut().active.pop();
        errors.extend(
            sub.model
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error),
        );
        let offset = TextSize::from(offset as u32);
        let errors: Rc<[Diagnostic]> = errors.into_iter().map(|d| d.shifted(offset)).collect();
        let function = Rc::new(UserFunction {
            name: name.to_string(),
            params: Some(params),
            result: declared.unwrap_or_else(|| function_result(value)),
            body: Some(Body::Stored {
                root,
                text: Rc::from(text),
                offset,
                errors,
            }),
        });
        self.shared
            .borrow_mut()
            .stored
            .insert(name.to_string(), function.clone());
        Some(function)
    }

    /// Defines a name with no symbol (parameters of a body bound apart from the query).
    fn define_detached(&mut self, name: &str, value: Value) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(
                name.to_string(),
                Binding {
                    value,
                    symbol: None,
                },
            );
        }
    }

    /// A call of the user function `f`: binds the arguments, checks their number, records the
    /// call, and returns the call's value. `input` is `invoke`'s piped table.
    pub(super) fn call_user(
        &mut self,
        f: &Rc<UserFunction>,
        call: &SyntaxNode,
        row: Option<Row>,
        input: Option<&Rc<RowSchema>>,
    ) -> Value {
        let args = call_args(call);
        // A named argument (`name = value`) is bound by its value, and fills no position.
        let values: Vec<Option<Value>> = args
            .iter()
            .map(|a| match a.kind() {
                NAMED_ARG => {
                    if let Some(v) = a.children().filter(|c| c.kind() != NAME).last() {
                        self.expr_value(&v, row);
                    }
                    None
                }
                _ => Some(self.expr_value(a, row)),
            })
            .collect();
        let callee = call
            .children()
            .next()
            .map_or(call.text_range(), |c| c.text_range());
        let recorded = self.record_call(f, callee);
        let Some(params) = &f.params else {
            return f.result.clone();
        };
        // `invoke` fills the first parameter when it is a table.
        let piped = usize::from(input.is_some() && f.first_is_table());
        let min = params.iter().filter(|p| !p.optional).count();
        let max = params.len();
        let n = args.len() + piped;
        if n < min || n > max {
            let (min, max) = (min.saturating_sub(piped), max - piped);
            let expected = if min == max {
                format!("{max}")
            } else {
                format!("{min} to {max}")
            };
            let after = if piped == 1 {
                " after its piped input"
            } else {
                ""
            };
            let plural = if expected == "1" { "" } else { "s" };
            self.error(
                codes::WRONG_ARG_COUNT,
                format!(
                    "function `{}` takes {expected} argument{plural}{after}, got {}",
                    f.name,
                    args.len()
                ),
                call.text_range(),
                None,
            );
            return f.result.clone();
        }
        // The table the first parameter gets, when known: bind the body again with it.
        let table = match (input, values.first()) {
            (Some(t), _) if piped == 1 => Some(t.clone()),
            (None, Some(Some(Value::Table(t)))) if f.first_is_table() => Some(t.clone()),
            _ => None,
        };
        match table {
            Some(t) if !t.open || !t.columns.is_empty() => match self.rebind(f, t) {
                Some((value, errors)) => {
                    if let Some(i) = recorded {
                        self.model.function_calls[i].call_errors = errors;
                    }
                    value
                }
                None => f.result.clone(),
            },
            _ => f.result.clone(),
        }
    }

    /// Records a call of `f` at `callee` for the model ([`crate::Model::function_calls`]).
    pub(super) fn record_call(&mut self, f: &UserFunction, callee: TextRange) -> Option<usize> {
        let body = match &f.body {
            Some(Body::Let { node, .. }) => FunctionBody::Let {
                body: node.text_range(),
            },
            Some(Body::Stored { text, errors, .. }) => FunctionBody::Stored {
                text: text.clone(),
                errors: errors.clone(),
            },
            None => return None,
        };
        self.model.function_calls.push(FunctionCall {
            callee,
            name: f.name.clone(),
            body,
            call_errors: Vec::new(),
        });
        Some(self.model.function_calls.len() - 1)
    }

    /// The body of `f` bound again with `table` as its first parameter (the other parameters
    /// keep their declared types): its value and errors; `None` when it cannot be (too deep,
    /// recursive, no body).
    fn rebind(
        &mut self,
        f: &UserFunction,
        table: Rc<RowSchema>,
    ) -> Option<(Value, Vec<Diagnostic>)> {
        let params = f.params.as_ref()?;
        if self.shared.borrow().depth >= MAX_REBIND_DEPTH {
            return None;
        }
        let (scopes, node, stored, offset) = match f.body.as_ref()? {
            Body::Let { node, env } => (env.clone()?, node.clone(), false, TextSize::from(0)),
            Body::Stored { root, offset, .. } => {
                if self.shared.borrow().active.contains(&f.name) {
                    return None;
                }
                (Vec::new(), root.clone(), true, *offset)
            }
        };
        let mut sub = self.sub_binder(scopes);
        sub.scopes.push(NameMap::default());
        for (i, p) in params.iter().enumerate() {
            let value = if i == 0 {
                Value::Table(table.clone())
            } else {
                p.value.clone()
            };
            sub.define_detached(&p.name, value);
        }
        self.shared.borrow_mut().depth += 1;
        if stored {
            self.shared.borrow_mut().active.push(f.name.clone());
        }
        let value = sub.statements(&node);
        if stored {
            self.shared.borrow_mut().active.pop();
        }
        self.shared.borrow_mut().depth -= 1;
        let errors = sub
            .model
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.shifted(offset))
            .collect();
        Some((function_result(value), errors))
    }

    /// `input | invoke f(args)`: a user function gets `input` as its first parameter; a stored
    /// function that declares its columns (Advanced Hunting's `FileProfile`) adds them to the
    /// input. A `let` function's arguments are not in the input's row context (as in Kusto: a
    /// column name there is unknown).
    pub(super) fn invoke(&mut self, call: &SyntaxNode, input: &RowSchema) -> RowSchema {
        let open = RowSchema::unknown();
        let r = Row {
            row: &open,
            left: None,
            right: None,
        };
        let name = call_name(call);
        let callee = call.children().next();
        let function = match (&name, &callee) {
            (Some(n), Some(c)) => match self.lookup_silent(n).map(|b| &b.value) {
                Some(Value::Function(_)) => match self.lookup(n, c.text_range()) {
                    Some(Value::Function(f)) => Some(f),
                    _ => None,
                },
                Some(_) => None,
                None => self.stored_function(n),
            },
            _ => None,
        };
        let Some(f) = function else {
            return match self.call(call, Some(r)) {
                Value::Table(t) => (*t).clone(),
                _ => RowSchema::unknown(),
            };
        };
        let declared_additions = name
            .as_deref()
            .and_then(|n| self.schema.function(n))
            .is_some_and(|sf| sf.columns.is_some() && sf.takes_table_input())
            && matches!(f.body, None | Some(Body::Stored { .. }));
        let input = Rc::new(input.clone());
        // A stored function may take a column of the input by name (`invoke FileProfile(SHA1)`):
        // its arguments see an open row.
        let row = (!matches!(f.body, Some(Body::Let { .. }))).then_some(r);
        match self.call_user(&f, call, row, Some(&input)) {
            Value::Table(t) if declared_additions => {
                let mut out = (*input).clone();
                out.open |= t.open;
                for c in &t.columns {
                    out.set(c.name.clone(), c.ty);
                }
                out
            }
            Value::Table(t) => (*t).clone(),
            _ => RowSchema::unknown(),
        }
    }

    /// Whether `name` is a `let` name or parameter in scope (without recording a reference).
    pub(super) fn lookup_silent(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }
}

/// A function's result as a call sees it. The columns a body returns follow from the declared
/// parameter types (a table parameter is open, and so is what is built from it); a scalar
/// result's type is not relied on.
fn function_result(value: Value) -> Value {
    match value {
        Value::Scalar(_) => Value::Scalar(ScalarType::Unknown),
        other => other,
    }
}

#[cfg(test)]
#[path = "functions_tests.rs"]
mod tests;
