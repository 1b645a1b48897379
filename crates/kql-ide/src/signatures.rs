//! Function signatures as text, shared by completion, hover and signature help: built-in
//! functions (every overload), stored functions of the schema, and `let` functions.

use kql_schema::{FunctionCatalog, FunctionKind, FunctionSig, ReturnRule, Schema};
use kql_semantic::names::name_text;
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::types::{ParameterInfo, SignatureInfo};

/// One parameter as signature text: its name and `name:type` label.
pub(crate) struct ParamText {
    pub name: String,
    pub label: String,
    pub required: bool,
}

/// Builds `name(a:type, b:type?) -> result` and the byte range of each parameter in it.
pub(crate) fn signature_info(
    name: &str,
    params: &[ParamText],
    result: Option<&str>,
    documentation: Option<String>,
) -> SignatureInfo {
    let mut label = format!("{name}(");
    let mut parameters = Vec::new();
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            label.push_str(", ");
        }
        let start = label.len();
        label.push_str(&p.label);
        parameters.push(ParameterInfo {
            label: p.label.clone(),
            label_range: start..label.len(),
            documentation: None,
        });
    }
    label.push(')');
    if let Some(r) = result {
        label.push_str(" -> ");
        label.push_str(r);
    }
    SignatureInfo {
        label,
        documentation,
        parameters,
    }
}

/// Every overload of a built-in function.
pub(crate) fn builtin_signatures(f: &FunctionSig) -> Vec<SignatureInfo> {
    f.signatures
        .iter()
        .map(|s| {
            let params: Vec<ParamText> = s
                .params
                .iter()
                .map(|p| ParamText {
                    name: p.name.clone(),
                    label: format!("{}:{}{}", p.name, p.ty, p.repetition()),
                    required: p.min_occurs > 0,
                })
                .collect();
            let result = match &s.returns {
                ReturnRule::Fixed(t) => Some(t.as_str().to_string()),
                ReturnRule::Tabular => Some("table".to_string()),
                _ => None,
            };
            signature_info(&f.name, &params, result.as_deref(), Some(builtin_note(f)))
        })
        .collect()
}

/// What kind of function it is, and its replacement when deprecated.
pub(crate) fn builtin_note(f: &FunctionSig) -> String {
    let kind = match f.kind {
        FunctionKind::Scalar => "Scalar function",
        FunctionKind::Aggregate => "Aggregation function (in `summarize`, `make-series`)",
        FunctionKind::Window => "Window function (needs serialized rows)",
        FunctionKind::Plugin => "Plugin (after `evaluate`)",
        FunctionKind::Graph => "Graph function (in `graph-match`)",
        FunctionKind::Tabular => "Tabular function",
    };
    match &f.deprecated_by {
        Some(new) => format!("{kind}. Deprecated: use `{new}`."),
        None => kind.to_string(),
    }
}

/// The parameters of a stored function of the schema.
pub(crate) fn stored_params(f: &kql_schema::Function) -> Vec<ParamText> {
    f.parameters
        .iter()
        .map(|p| {
            let ty = &p.ty;
            let opt = if p.default.is_some() { "?" } else { "" };
            ParamText {
                name: p.name.clone(),
                label: format!("{}:{ty}{opt}", p.name),
                required: p.default.is_none(),
            }
        })
        .collect()
}

pub(crate) fn stored_signature(f: &kql_schema::Function) -> SignatureInfo {
    signature_info(&f.name, &stored_params(f), None, f.description.clone())
}

/// The parameters of a `LAMBDA` (`(a:long, b:string = "x")`), as written.
pub(crate) fn lambda_params(lambda: &SyntaxNode) -> Vec<ParamText> {
    param_nodes(lambda)
        .map(|p| {
            let name = p
                .children()
                .find(|c| c.kind() == SyntaxKind::NAME)
                .and_then(|n| name_text(&n))
                .unwrap_or_default();
            let required = !p.children_with_tokens().any(|e| e.kind() == SyntaxKind::EQ);
            ParamText {
                name,
                label: p.text().to_string().trim().to_string(),
                required,
            }
        })
        .collect()
}

/// The `PARAM` nodes of a `LAMBDA`.
pub(crate) fn param_nodes(lambda: &SyntaxNode) -> impl Iterator<Item = SyntaxNode> {
    lambda
        .children()
        .filter(|c| c.kind() == SyntaxKind::PARAM_LIST)
        .flat_map(|list| list.children())
        .filter(|c| c.kind() == SyntaxKind::PARAM)
}

/// What a called name resolves to.
pub(crate) enum Callee<'a> {
    /// A `let f = (…) { … }` (its `LAMBDA`).
    Let(SyntaxNode),
    Stored(&'a kql_schema::Function),
    Builtin(&'static FunctionSig),
}

/// Resolves `name` called at `at`: a `let` function in scope wins over the schema's stored
/// functions, which win over built-ins.
pub(crate) fn resolve_callee<'a>(
    schema: &'a Schema,
    name: &str,
    at: &SyntaxNode,
) -> Option<Callee<'a>> {
    if let Some(value) = kql_semantic::fold::find_let(at, name) {
        if value.kind() == SyntaxKind::LAMBDA {
            return Some(Callee::Let(value));
        }
    }
    if let Some(f) = schema.function(name) {
        return Some(Callee::Stored(f));
    }
    FunctionCatalog::builtin().lookup(name).map(Callee::Builtin)
}

/// The signatures of a callee.
pub(crate) fn callee_signatures(name: &str, callee: &Callee) -> Vec<SignatureInfo> {
    match callee {
        Callee::Let(lambda) => vec![signature_info(name, &lambda_params(lambda), None, None)],
        Callee::Stored(f) => vec![stored_signature(f)],
        Callee::Builtin(f) => builtin_signatures(f),
    }
}

/// A snippet calling `name` with a placeholder for each required parameter.
pub(crate) fn call_snippet(name: &str, params: &[ParamText]) -> String {
    let required: Vec<String> = params
        .iter()
        .filter(|p| p.required)
        .enumerate()
        .map(|(i, p)| format!("${{{}:{}}}", i + 1, snippet_escape(&p.name)))
        .collect();
    if required.is_empty() {
        if params.is_empty() {
            format!("{name}()$0")
        } else {
            format!("{name}($1)$0")
        }
    } else {
        format!("{name}({})$0", required.join(", "))
    }
}

fn snippet_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}
