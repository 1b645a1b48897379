use super::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

use kql_schema::{FunctionCatalog, FunctionKind};

declare_rule! {
    /// A call to a deprecated built-in function.
    ///
    /// ## What it does
    /// Reports a call to a built-in function that Kusto marks deprecated (`makeset`, `any`,
    /// `parsejson`, `replace`, `argmax`…), naming its replacement, and the one-argument form
    /// `count(predicate)`, whose replacement is `countif(predicate)`. The list is Microsoft's
    /// function catalog (`kql-schema`'s `FunctionSig::deprecated_by`), so it is the list of
    /// Microsoft's analyzer (KS507), plus the aliases our catalog overlay marks deprecated
    /// (`array_strcat`, `extractjson`, `toboolean`, `tdigest_merge`, `parse_urlquery`). A call to a
    /// user function of the same name (a `let` or parameter) is not reported.
    ///
    /// ## Why is this bad?
    /// Deprecated functions are hidden from completion and documentation and may be removed; the
    /// replacements are the maintained spelling that readers and other tools know.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | summarize Files = makeset(FileName) by DeviceId
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(1d) | summarize Files = make_set(FileName) by DeviceId
    /// ```
    ///
    /// ## Fix safety
    /// The fix renames the call where the replacement takes the same arguments in the same order
    /// and computes the same value. It is safe, except for an aggregation without a column name
    /// (`summarize makeset(x)`): the default name of the result column comes from the function's
    /// name (`argmax` also names the returned columns differently), so later operators that use
    /// it may break; that fix is unsafe. `summarize count(Column)` is the exception: its fix
    /// names the result with the old automatic name (`count_Column = countif(Column)`), so it
    /// stays safe. `replace(regex, rewrite, text)` becomes
    /// `replace_regex(text, regex, rewrite)` (the arguments move; safe). No fix where the
    /// replacement differs: `row_rank` (its `dense` flag), `parse_urlquery` (`parse_url` takes a
    /// whole URL), `ai_embed_text`, `weekofyear` (documented as an alias of `week_of_year`, but
    /// Kusto obsoleted it for its week numbering, so the author should check).
    ///
    /// ## Compared with Microsoft's analyzer (KS507)
    /// Over `../shared/corpus/valid`: both report 38 files, Microsoft only 0, kqlkit only 12. The
    /// 12 use the aliases Microsoft's documentation lists as deprecated but its analyzer's catalog
    /// does not flag (`extractjson`, `array_strcat`, `toboolean`, `tdigest_merge`,
    /// `parse_urlquery`): a deliberate choice, since the documented name is what readers find.
    pub struct ObsoleteFunction { code: "AH112", name: "obsolete-function", category: Suspicious, severity: Warning, fix: Safe, weight: 0 }
}

/// Replacements that are not a plain rename of the call.
const NO_FIX: &[&str] = &["row_rank", "parse_urlquery", "ai_embed_text", "weekofyear"];

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let catalog = FunctionCatalog::builtin();
    let mut out = Vec::new();
    for (call, name, callee) in cx.builtin_calls() {
        // Most calls are of functions with no replacement: the arguments are read only after.
        let replacement = if name == "count" && call_args(call).len() == 1 {
            "countif".to_string()
        } else {
            match deprecated_by(catalog, call, name) {
                Some(r) => r,
                None => continue,
            }
        };
        let args = call_args(call);
        let form = if name == "count" {
            "count(predicate)"
        } else {
            name
        };
        let mut d = cx.report(
            format!("`{form}` is deprecated; use `{replacement}`"),
            callee.text_range(),
        );
        if let Some(fix) = fix(call, &callee, name, &replacement, &args) {
            d = d.with_fix(fix);
        } else {
            d = d.with_help(format!(
                "`{replacement}` is not a plain rename of `{name}`: check its arguments and result, then rewrite the call"
            ));
        }
        out.push(d);
    }
    out
}

/// The replacement of the deprecated function `name` called at `call`. A name Kusto has in two
/// kinds (`any`: a graph pattern function, and the deprecated aggregate) is looked up in the kind
/// the call's position allows.
fn deprecated_by(catalog: &FunctionCatalog, call: &SyntaxNode, name: &str) -> Option<String> {
    if let Some(r) = catalog.lookup(name)?.deprecated_by.clone() {
        return Some(r);
    }
    let replacement = deprecated_aggregate(name)?;
    let in_graph = call.ancestors().any(|a| {
        matches!(
            a.kind(),
            SyntaxKind::GRAPH_MATCH_OP | SyntaxKind::GRAPH_SHORTEST_PATHS_OP
        )
    });
    (!in_graph).then(|| replacement.to_string())
}

/// The replacement of the built-in aggregate `name` (what `lookup_kind(name, Aggregate)` says),
/// from a map made once: the catalog's `lookup_kind` scans every function, and this is asked
/// for nearly every call.
fn deprecated_aggregate(name: &str) -> Option<&'static str> {
    static BY_NAME: OnceLock<HashMap<&'static str, Option<&'static str>>> = OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        let mut map = HashMap::new();
        let aggregates = FunctionCatalog::builtin()
            .iter()
            .filter(|f| f.kind == FunctionKind::Aggregate);
        for f in aggregates {
            // The first of a name, as `lookup_kind` finds.
            map.entry(f.name.as_str())
                .or_insert(f.deprecated_by.as_deref());
        }
        map
    });
    by_name.get(name).copied().flatten()
}

fn fix(
    call: &SyntaxNode,
    callee: &SyntaxNode,
    name: &str,
    replacement: &str,
    args: &[SyntaxNode],
) -> Option<Fix> {
    if NO_FIX.contains(&name) {
        return None;
    }
    if name == "replace" {
        let [regex, rewrite, text] = args else {
            return None;
        };
        if args.iter().any(|a| a.kind() == SyntaxKind::NAMED_ARG) {
            return None;
        }
        let new = format!(
            "replace_regex({}, {}, {})",
            text.text(),
            regex.text(),
            rewrite.text()
        );
        return Some(Fix::safe(
            "Use `replace_regex` (arguments reordered)",
            vec![TextEdit::replace(call.text_range(), new)],
        ));
    }
    let message = format!("Use `{replacement}`");
    if !names_a_column(call) {
        let edits = vec![TextEdit::replace(callee.text_range(), replacement)];
        return Some(Fix::safe(message, edits));
    }
    // The result column keeps its old automatic name when we know it, so later operators that
    // read it still find it.
    if let Some(column) = count_column_name(name, args) {
        let edits = vec![TextEdit::replace(
            callee.text_range(),
            format!("{column} = {replacement}"),
        )];
        return Some(Fix::safe(message, edits));
    }
    let edits = vec![TextEdit::replace(callee.text_range(), replacement)];
    Some(Fix::unsafe_(message, edits))
}

/// The automatic column name Kusto gives `count(Column)`: `count_Column` (checked with
/// Microsoft's analyzer). Only for a plain column name, where the name is certain.
fn count_column_name(name: &str, args: &[SyntaxNode]) -> Option<String> {
    let [arg] = args else { return None };
    if name != "count" || arg.kind() != SyntaxKind::NAME_REF {
        return None;
    }
    let column = arg.text().to_string();
    let plain = column
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| format!("count_{column}"))
}

/// Whether `call` is an aggregation whose result column takes its name from the function:
/// directly an item of `summarize` (or a similar operator), without `Name =`.
fn names_a_column(call: &SyntaxNode) -> bool {
    call.parent().is_some_and(|p| {
        matches!(
            p.kind(),
            SyntaxKind::SUMMARIZE_OP | SyntaxKind::MAKE_SERIES_OP | SyntaxKind::BY_CLAUSE
        )
    })
}
