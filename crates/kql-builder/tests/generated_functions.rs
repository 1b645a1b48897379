//! Typed wrappers for every built-in function of the catalog `kql-schema` ships (the one the
//! checker uses), generated into `src/functions/generated.rs`; this test fails when the
//! checked-in file differs from what the catalog gives (regenerate with
//! `KQL_BUILDER_BLESS=1 cargo test -p kql-builder --test generated_functions`).
//!
//! How a catalog entry becomes Rust (the rules are also in `src/functions/mod.rs`):
//! * an overload's optional parameters give one form per number of them given (from the
//!   left, as KQL fills them); forms with the same shape are merged parameter by parameter
//!   (the union of the accepted types), so `abs` is one function over `numeric|timespan`;
//! * the form with the fewest arguments is `name`, the others `name_N` (N = argument count);
//! * a parameter of one type takes `impl IntoExpr<T>`; a union or `scalar` is a generic
//!   `TypedExpr` bounded by a trait of the union; `int|long` takes a `long` (ints widen);
//!   a repeated parameter takes an iterator (typed) or an `Items<Arg>` tuple (any scalar);
//! * the result type: a fixed type, or the type of the argument it follows (`$1`,
//!   `$common(..)`, whose other arguments must convert to that type, `$numeric`, `$widen`);
//! * left out (counted below): hidden functions, plugins and tabular functions (they are
//!   operators' business: `evaluate`, `invoke`), graph-only functions, and forms with a
//!   lambda, tabular, `any`, `decimal`, repeated parameter groups or a result Kusto computes
//!   in code; some of these are written by hand in `src/functions/mod.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use kql_schema::{ArgType, FunctionCatalog, FunctionKind, Param, ReturnRule, ScalarType};

fn marker(t: ScalarType) -> Option<&'static str> {
    Some(match t {
        ScalarType::String => "String",
        ScalarType::Long => "Long",
        ScalarType::Int => "Int",
        ScalarType::Real => "Real",
        ScalarType::Bool => "Bool",
        ScalarType::DateTime => "DateTime",
        ScalarType::TimeSpan => "TimeSpan",
        ScalarType::Guid => "Guid",
        ScalarType::Dynamic => "Dynamic",
        ScalarType::Decimal | ScalarType::Unknown => return None,
    })
}

/// The set of types a parameter accepts; `None` is "any scalar".
fn accepted(ty: &ArgType) -> Option<Option<BTreeSet<&'static str>>> {
    let numbers = || ["Int", "Long", "Real"].into_iter().collect::<BTreeSet<_>>();
    Some(match ty {
        ArgType::Exact(ScalarType::Decimal) => return None,
        ArgType::Exact(t) => Some([marker(*t)?].into_iter().collect()),
        ArgType::OneOf(ts) => {
            let mut set = BTreeSet::new();
            for t in ts {
                match t {
                    // `numeric` unions list decimal too; the builder has no decimal values.
                    ScalarType::Decimal => {}
                    t => {
                        set.insert(marker(*t)?);
                    }
                }
            }
            Some(set)
        }
        ArgType::Numeric => Some(numbers()),
        ArgType::Scalar => None,
        ArgType::Any | ArgType::Tabular | ArgType::Lambda => return None,
    })
}

/// How a merged parameter is taken in Rust.
#[derive(Clone, PartialEq)]
enum Kind {
    Typed(&'static str),
    /// A generic `TypedExpr` whose type has this bound.
    Generic(&'static str),
    /// Converts to the type of the generic parameter at this index.
    SameAs(usize),
}

fn kind_of(set: &Option<BTreeSet<&'static str>>) -> Kind {
    let Some(set) = set else {
        return Kind::Generic("KqlType");
    };
    let within = |allowed: &[&str]| set.iter().all(|t| allowed.contains(t));
    if set.len() == 1 {
        return Kind::Typed(set.iter().next().unwrap());
    }
    if within(&["Int", "Long"]) {
        Kind::Typed("Long")
    } else if within(&["Int", "Long", "Real"]) {
        Kind::Generic("Numeric")
    } else if within(&["Int", "Long", "Real", "TimeSpan"]) {
        Kind::Generic("NumericOrTimeSpan")
    } else if within(&["Int", "Long", "Real", "Bool"]) {
        Kind::Generic("NumericOrBool")
    } else if within(&["String", "Dynamic"]) {
        Kind::Generic("StringOrDynamic")
    } else {
        Kind::Generic("KqlType")
    }
}

/// One form of an overload: each parameter once (or repeated, `variadic`).
#[derive(Clone)]
struct Form {
    params: Vec<(String, Option<BTreeSet<&'static str>>, bool)>,
    returns: ReturnRule,
}

impl Form {
    fn shape(&self) -> Vec<bool> {
        self.params.iter().map(|p| p.2).collect()
    }
}

fn forms(params: &[Param], returns: &ReturnRule) -> Result<Vec<Form>, &'static str> {
    let variadic = params.iter().filter(|p| p.variadic).count();
    if variadic > 1 {
        return Err("repeated parameter group");
    }
    let mut out = Vec::new();
    let optional = params.iter().filter(|p| p.optional && !p.variadic).count();
    // One form per number of optional parameters given, in order (KQL fills them from the
    // left): `series_decompose_anomalies(s)`, `(s, threshold)`, ...
    for given in 0..=optional {
        let mut ps = Vec::new();
        let mut seen = 0;
        for p in params {
            if p.optional && !p.variadic {
                seen += 1;
                if seen > given {
                    continue;
                }
            }
            let set = accepted(&p.ty).ok_or("lambda, tabular, any or decimal parameter")?;
            ps.push((p.name.clone(), set, p.variadic));
        }
        out.push(Form {
            params: ps,
            returns: returns.clone(),
        });
    }
    Ok(out)
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    const KEYWORDS: &[&str] = &[
        "if", "else", "type", "match", "in", "fn", "loop", "ref", "move", "mod", "use", "where",
        "as", "box", "let", "for", "impl", "self", "struct", "true", "false", "return", "const",
        "static", "trait", "enum", "dyn", "async", "await", "try", "gen", "yield", "abstract",
    ];
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// The Rust code of one merged form, or why it cannot be written.
fn emit(
    kql: &str,
    rust: &str,
    kind: FunctionKind,
    forms: &[Form],
    doc: &str,
    deprecated: Option<&str>,
) -> Result<String, &'static str> {
    let first = &forms[0];
    let n = first.params.len();
    // Merge types position by position.
    let mut sets: Vec<Option<BTreeSet<&'static str>>> =
        first.params.iter().map(|p| p.1.clone()).collect();
    for f in &forms[1..] {
        for (i, p) in f.params.iter().enumerate() {
            sets[i] = match (&sets[i], &p.1) {
                (Some(a), Some(b)) => Some(a.union(b).copied().collect()),
                _ => None,
            };
        }
    }
    let mut kinds: Vec<Kind> = sets.iter().map(kind_of).collect();
    // The result rule: one fixed type for all, else the first rule that follows an argument.
    let fixed: BTreeSet<Option<&str>> = forms
        .iter()
        .map(|f| match &f.returns {
            ReturnRule::Fixed(t) => marker(*t).map(Some).unwrap_or(Some("?")),
            _ => None,
        })
        .collect();
    let rule = if fixed.len() == 1 && fixed.iter().next().unwrap().is_some() {
        forms[0].returns.clone()
    } else {
        forms
            .iter()
            .map(|f| f.returns.clone())
            .find(|r| !matches!(r, ReturnRule::Fixed(_)))
            .ok_or("overloads with different fixed results")?
    };
    let in_range = |i: usize| {
        if i < n {
            Ok(())
        } else {
            Err("result follows a missing parameter")
        }
    };
    let result: String = match &rule {
        ReturnRule::Fixed(t) => format!(
            "ty::{}",
            marker(*t).ok_or("result computed in code or decimal")?
        ),
        ReturnRule::Tabular => return Err("tabular result"),
        ReturnRule::SameAs(i) | ReturnRule::Widen(i) => {
            in_range(*i)?;
            let base = match &kinds[*i] {
                Kind::Typed(t) => format!("ty::{t}"),
                _ if first.params[*i].2 => format!("<I{i} as TypedExpr>::Type"),
                _ => format!("A{i}::Type"),
            };
            if matches!(rule, ReturnRule::Widen(_)) {
                if let Kind::Generic(b) = kinds[*i] {
                    if b != "Numeric" && b != "NumericOrTimeSpan" {
                        return Err("widened result of a non-numeric argument");
                    }
                    kinds[*i] = Kind::Generic("Numeric");
                }
                format!("<{base} as Numeric>::Sum")
            } else {
                base
            }
        }
        ReturnRule::Common(ix) => {
            let lead = *ix.first().ok_or("empty common rule")?;
            in_range(lead)?;
            for &j in &ix[1..] {
                if j < n
                    && !first.params[j].2
                    && matches!(kinds[j], Kind::Generic(_))
                    && !first.params[lead].2
                {
                    kinds[j] = Kind::SameAs(lead);
                }
            }
            match &kinds[lead] {
                Kind::Typed(t) => format!("ty::{t}"),
                _ if first.params[lead].2 => format!("<I{lead} as TypedExpr>::Type"),
                _ => format!("A{lead}::Type"),
            }
        }
        ReturnRule::Numeric => {
            let i = kinds
                .iter()
                .position(|k| matches!(k, Kind::Generic(_)))
                .ok_or("numeric result without a numeric argument")?;
            match &kinds[i] {
                _ if first.params[i].2 => format!("<I{i} as TypedExpr>::Type"),
                _ => format!("A{i}::Type"),
            }
        }
    };
    let mut generics = Vec::new();
    let mut args = Vec::new();
    for (i, (pname, _, variadic)) in first.params.iter().enumerate() {
        let p = snake(pname);
        let p = if args
            .iter()
            .any(|a: &String| a.starts_with(&format!("{p}:")))
        {
            format!("{p}_{i}")
        } else {
            p
        };
        match (&kinds[i], variadic) {
            (Kind::Typed(t), false) => {
                args.push(format!("{p}: expr {t}"));
            }
            (Kind::Generic(b), false) => {
                generics.push(format!("A{i}: {b}"));
                args.push(format!("{p}: any A{i}"));
            }
            (Kind::SameAs(j), false) => {
                args.push(format!("{p}: like A{j}"));
            }
            (Kind::Typed(t), true) => args.push(format!("{p}: exprs {t}")),
            (Kind::Generic(b), true) => {
                if result.contains(&format!("I{i} ")) {
                    generics.push(format!("I{i}: {b}"));
                    args.push(format!("{p}: anys I{i}"));
                } else {
                    args.push(format!("{p}: items Arg"));
                }
            }
            (Kind::SameAs(_), true) => return Err("repeated parameter following another"),
        }
    }
    let (wrapper, ctor) = match kind {
        FunctionKind::Aggregate => ("Agg", "agg"),
        _ => ("Expr", "call"),
    };
    let mut out = String::new();
    writeln!(out, "    /// {doc}").unwrap();
    if let Some(note) = deprecated {
        writeln!(out, "    #[deprecated(note = \"{note}\")]").unwrap();
    }
    let generics = if generics.is_empty() {
        String::new()
    } else {
        format!("<{}>", generics.join(", "))
    };
    writeln!(
        out,
        "    fn {rust}{generics}({}) -> {wrapper}<{result}> = {ctor}(\"{kql}\");",
        args.join(", ")
    )
    .unwrap();
    Ok(out)
}

/// A literal of a type the parameter accepts (a few parameters take only certain values:
/// a date part, a property bag, a column).
fn sample_arg(param: &str, set: &Option<BTreeSet<&'static str>>) -> &'static str {
    let p = param.to_ascii_lowercase();
    let dynamic_only = set
        .as_ref()
        .is_some_and(|s| s.len() == 1 && s.contains("Dynamic"));
    if p == "part" || p == "period" || p == "unit" {
        return "\"day\"";
    }
    if dynamic_only
        && !(p.contains("array")
            || p.contains("series")
            || p.contains("values")
            || p.contains("set"))
    {
        return "dynamic({\"a\": 1})";
    }
    let pick = match set {
        None => "Long",
        Some(s) if s.contains("Long") => "Long",
        Some(s) => s.iter().next().copied().unwrap_or("Long"),
    };
    match pick {
        "String" => "\"a\"",
        "Long" => "1",
        "Int" => "int(1)",
        "Real" => "1.5",
        "Bool" => "true",
        "DateTime" => "datetime(2024-01-01)",
        "TimeSpan" => "1h",
        "Guid" => "guid(00000000-0000-0000-0000-000000000001)",
        _ => "dynamic([1, 2])",
    }
}

/// `name(args)` in a query where a function of this kind is valid.
fn sample_call(name: &str, kind: FunctionKind, form: &Form) -> String {
    let mut args = Vec::new();
    for (i, (param, set, variadic)) in form.params.iter().enumerate() {
        // Window functions read a column of the serialized input.
        let arg = if kind == FunctionKind::Window && i == 0 {
            "x"
        } else {
            sample_arg(param, set)
        };
        args.push(arg);
        if *variadic {
            args.push(arg);
        }
    }
    let call = format!("{name}({})", args.join(", "));
    match kind {
        FunctionKind::Aggregate => format!("range x from 1 to 3 step 1 | summarize r = {call}"),
        FunctionKind::Window => {
            format!("range x from 1 to 3 step 1 | serialize | extend r = {call}")
        }
        _ => format!("print r = {call}"),
    }
}

struct Generated {
    code: String,
    /// One KQL query calling each generated form with literal arguments of its first
    /// overload's types, for Microsoft's analyzer.
    samples: Vec<(String, String)>,
    covered: BTreeSet<String>,
    skipped: BTreeMap<String, &'static str>,
    total: usize,
}

fn generate(catalog: &FunctionCatalog) -> Generated {
    let mut code = String::from(
        "// GENERATED by tests/generated_functions.rs from kql-schema's function catalog. Do not edit:\n\
         // KQL_BUILDER_BLESS=1 cargo test -p kql-builder --test generated_functions\n\n\
         use super::{agg, call, Arg, NumericOrBool, NumericOrTimeSpan, StringOrDynamic};\n\
         use crate::agg::Agg;\n\
         use crate::expr::{IntoExpr, Node, TypedExpr};\n\
         use crate::items::Items;\n\
         use crate::types::{self as ty, KqlType, Numeric};\n\
         use crate::Expr;\n\n\
         functions! {\n",
    );
    let mut covered = BTreeSet::new();
    let mut samples = Vec::new();
    let mut skipped = BTreeMap::new();
    let mut total = 0;
    let mut seen = BTreeSet::new();
    for f in catalog.iter() {
        if !seen.insert(f.name.clone()) {
            continue;
        }
        total += 1;
        let f = catalog.lookup(&f.name).unwrap();
        let why = match f.kind {
            _ if f.hidden => Some("hidden"),
            FunctionKind::Plugin | FunctionKind::Tabular => Some("plugin or tabular function"),
            FunctionKind::Graph => Some("graph-only function"),
            _ => None,
        };
        if let Some(why) = why {
            skipped.insert(f.name.clone(), why);
            continue;
        }
        // A name Kusto has both as a scalar/graph function and an aggregate: the aggregate.
        let sigs: Vec<_> = match catalog.lookup_kind(&f.name, FunctionKind::Aggregate) {
            Some(a) if f.kind == FunctionKind::Aggregate => a.signatures.clone(),
            _ => f.signatures.clone(),
        };
        let mut all_forms = Vec::new();
        let mut last_err = None;
        for s in &sigs {
            match forms(&s.params, &s.returns) {
                Ok(fs) => all_forms.extend(fs),
                Err(e) => last_err = Some(e),
            }
        }
        // Group forms by shape, fewest arguments first.
        let mut groups: Vec<(Vec<bool>, Vec<Form>)> = Vec::new();
        for form in all_forms {
            match groups.iter_mut().find(|(s, _)| *s == form.shape()) {
                Some((_, g)) => g.push(form),
                None => groups.push((form.shape(), vec![form])),
            }
        }
        groups.sort_by_key(|(s, _)| (s.len(), s.iter().filter(|v| **v).count()));
        let deprecated = if f.obsolete || f.deprecated_by.is_some() {
            Some(match &f.deprecated_by {
                Some(r) => format!("obsolete in KQL; use {r}"),
                None => "obsolete in KQL".to_owned(),
            })
        } else {
            None
        };
        let mut any = false;
        let mut taken = BTreeSet::new();
        for (shape, group) in &groups {
            let base = snake(&f.name);
            let rust = if !any && taken.is_empty() {
                base.clone()
            } else {
                format!("{}_{}", base.trim_end_matches('_'), shape.len())
            };
            if !taken.insert(rust.clone()) {
                continue;
            }
            let doc_sig: Vec<String> = group
                .iter()
                .map(|g| {
                    let ps: Vec<String> = g
                        .params
                        .iter()
                        .map(|(n, _, v)| if *v { format!("{n}...") } else { n.clone() })
                        .collect();
                    format!("{}({})", f.name, ps.join(", "))
                })
                .collect();
            let mut doc_sig = doc_sig;
            doc_sig.dedup();
            let doc = format!("`{}` ({})", doc_sig.join("`, `"), f.kind.as_str());
            match emit(&f.name, &rust, f.kind, group, &doc, deprecated.as_deref()) {
                Ok(text) => {
                    code.push_str(&text);
                    any = true;
                    samples.push((rust.clone(), sample_call(&f.name, f.kind, &group[0])));
                }
                Err(e) => last_err = Some(e),
            }
        }
        if any {
            covered.insert(f.name.clone());
        } else {
            skipped.insert(f.name.clone(), last_err.unwrap_or("no form"));
        }
    }
    code.push_str("}\n");
    Generated {
        code,
        samples,
        covered,
        skipped,
        total,
    }
}

#[test]
fn generated_functions_are_up_to_date() {
    let g = generate(FunctionCatalog::builtin());
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for why in g.skipped.values() {
        *reasons.entry(why).or_default() += 1;
    }
    eprintln!(
        "catalog: {} names; typed wrappers for {}; left out: {:?}",
        g.total,
        g.covered.len(),
        reasons
    );
    support::generated::assert_current_or_bless(
        "src/functions/generated.rs",
        &g.code,
        "generated_functions",
    );
}

mod support;

/// Microsoft's parser and analyzer on one call of every generated form: every name is a
/// function Kusto knows (except those kqlkit's overlay adds, newer than the pinned package),
/// and no call has a wrong argument count or a type error. What remains are constraints on
/// literal values the samples do not meet (a date part must be `"day"`, a bag where an array
/// is given, a column where a literal is given).
#[test]
fn microsoft_accepts_a_call_of_every_generated_form() {
    let g = generate(FunctionCatalog::builtin());
    let Some(found) = support::oracle::diagnostics(&g.samples, true) else {
        return;
    };
    const VALUE_CONSTRAINTS: &[&str] = &[
        "KS107", "KS109", "KS127", "KS134", "KS137", "KS140", "KS233", "KS234", "KS235",
    ];
    let overlay = include_str!("../../kql-schema/data/functions.txt");
    let mut value_only = 0;
    let mut newer = 0;
    let mut failures = Vec::new();
    for ((rust, text), diags) in g.samples.iter().zip(&found) {
        if diags.is_empty() {
            continue;
        }
        let kql_name = text
            .split("r = ")
            .nth(1)
            .and_then(|c| c.split('(').next())
            .unwrap_or("");
        let from_overlay = overlay
            .lines()
            .any(|l| l.starts_with(&format!("{kql_name}(")));
        // `node_id` is listed as a scalar by Kusto but only resolves inside `graph-match`.
        let graph_only = kql_name == "node_id";
        if diags.iter().all(|(code, _)| code == "KS211") && (from_overlay || graph_only) {
            newer += 1;
        } else if diags
            .iter()
            .all(|(code, _)| VALUE_CONSTRAINTS.contains(&code.as_str()))
        {
            value_only += 1;
        } else {
            failures.push(format!("{rust}: {text}\n{diags:?}"));
        }
    }
    eprintln!(
        "{} calls: {} accepted, {value_only} only short of a literal-value constraint, {newer} newer than the pinned package or graph-only",
        g.samples.len(),
        g.samples.len() - value_only - newer - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
