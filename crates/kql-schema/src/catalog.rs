//! The catalog of built-in KQL functions: scalar, aggregation, window and graph functions and
//! `evaluate` plugins, with their signatures (overloads, parameters, repetition) and a rule for
//! the result type.
//!
//! # Where the data comes from
//!
//! * `data/kusto_functions.txt` is **generated** by `scripts/gen_catalog.js` from Microsoft's
//!   Kusto.Language (the analyzer behind Kusto's editors and Advanced Hunting): every function,
//!   aggregate and plugin it knows, with every overload. Facts only; do not edit it, regenerate
//!   it (`node crates/kql-schema/scripts/gen_catalog.js`, after `../shared/oracle/setup`).
//!   `data/kusto_function_names.txt` is the list of names written by the same run; a test fails
//!   when the catalog lacks one of them.
//! * `data/functions.txt` is **ours**, applied on top ([`FunctionCatalog::apply_overlay`]):
//!   which functions are window or graph functions, result rules where Kusto computes the type
//!   in code (`$unknown` in the generated file), and functions newer than the pinned package.
//!
//! Microsoft's package carries no descriptions, so the catalog has none; hover can show the
//! signatures ([`Signature::label`]).
//!
//! # Line format
//!
//! ```text
//! [scalar]                                   section: scalar | aggregate | window | plugin | graph | tabular
//! # comment
//! substring(source:string, start:int|long, length:int|long?) -> string
//! strcat(arg:scalar{1,64}) -> string
//! bin(value:numeric, roundTo:numeric) -> $numeric
//! bin(value:datetime, roundTo:timespan) -> datetime        the same name again: another overload
//! case(predicate:bool+, then:scalar+, else:scalar) -> $common(2,3)
//! makeset(expr:scalar, maxSize:int|long?) -> dynamic ~make_set !obsolete !hidden
//! ```
//!
//! * A parameter is `name:type` followed by nothing (exactly once), `?` (optional), `*` (zero
//!   or more), `+` (one or more) or `{min,max}` / `{min,}` (a count range), then ` !literal`
//!   when Kusto takes only a literal there (`datetime_diff(part:string !literal, ...)`). Consecutive repeated
//!   parameters repeat together (`case`'s predicate/then pairs). Types: a [`ScalarType`] name, a
//!   `|` union (`string|dynamic`), `numeric`, `scalar` (any scalar), `any`, `tabular`, `lambda`.
//! * The result is a type name, `tabular`, `$unknown` (Kusto computes it in code), `$N` (the
//!   type of the argument bound to parameter N, 1-based), `$common(A,B,…)` (the common type of
//!   the arguments bound to those parameters: promoted when all are numeric, else the first
//!   known one), `$numeric` (promotion of every argument) or `$widen(N)` (parameter N's argument
//!   with `int`/`bool` widened to `long`, as `sum` does).
//! * `~name` names the replacement of a deprecated function; `!obsolete` and `!hidden` are
//!   Kusto's flags (hidden functions are valid but not offered by completion).
//!
//! In the overlay (`data/functions.txt`) a line may also be a bare name with an optional
//! `-> rule` and `~replacement`: the function keeps its generated signatures and takes the
//! section's kind, and the rule (for every overload) and replacement when given.

use std::fmt;
use std::sync::OnceLock;

use crate::suggest::suggest;
use crate::ScalarType;

mod parse;

pub use parse::CatalogError;

/// What a function is and where it may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// Usable in any expression.
    Scalar,
    /// Only in `summarize`, `make-series` and friends.
    Aggregate,
    /// Needs serialized (ordered) input: `row_number`, `prev`, `next`…
    Window,
    /// Only after `evaluate`.
    Plugin,
    /// Only inside `graph-match` / `graph-shortest-paths` expressions.
    Graph,
    /// A tabular function usable as a query source (`stored_query_result`).
    Tabular,
}

impl FunctionKind {
    fn from_section(s: &str) -> Option<FunctionKind> {
        Some(match s {
            "scalar" => FunctionKind::Scalar,
            "aggregate" => FunctionKind::Aggregate,
            "window" => FunctionKind::Window,
            "plugin" => FunctionKind::Plugin,
            "graph" => FunctionKind::Graph,
            "tabular" => FunctionKind::Tabular,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FunctionKind::Scalar => "scalar",
            FunctionKind::Aggregate => "aggregate",
            FunctionKind::Window => "window",
            FunctionKind::Plugin => "plugin",
            FunctionKind::Graph => "graph",
            FunctionKind::Tabular => "tabular",
        }
    }
}

/// What a parameter accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgType {
    /// Exactly this type (the analyser may still allow implicit int → long → real widening).
    Exact(ScalarType),
    /// One of these types.
    OneOf(Vec<ScalarType>),
    /// int, long, real or decimal.
    Numeric,
    /// Any scalar type, dynamic included.
    Scalar,
    /// Anything, including a column list or `*` (as in `arg_max(x, *)`).
    Any,
    /// A table (plugins taking a table argument).
    Tabular,
    /// A lambda, as in `series_apply`-style plugins (`(x) { … }`).
    Lambda,
}

const NUMERIC: [ScalarType; 4] = [
    ScalarType::Int,
    ScalarType::Long,
    ScalarType::Real,
    ScalarType::Decimal,
];

impl ArgType {
    fn parse(s: &str) -> Option<ArgType> {
        Some(match s {
            "numeric" => ArgType::Numeric,
            "scalar" => ArgType::Scalar,
            "any" => ArgType::Any,
            "tabular" => ArgType::Tabular,
            "lambda" => ArgType::Lambda,
            _ if s.contains('|') => {
                let mut types = Vec::new();
                for part in s.split('|') {
                    if part == "numeric" {
                        types.extend(NUMERIC);
                    } else {
                        types.push(ScalarType::parse(part)?);
                    }
                }
                ArgType::OneOf(types)
            }
            _ => ArgType::Exact(ScalarType::parse(s)?),
        })
    }

    /// Whether an argument of type `ty` fits. `Unknown` fits everything (no cascade of errors),
    /// and a number fits wherever any number does (KQL converts int/long/real implicitly).
    pub fn accepts(&self, ty: ScalarType) -> bool {
        self.fits(ty, false)
    }

    /// Whether `ty` is one of the listed types, without number conversions (overload choice
    /// tries this first, so `abs(real)` picks the `real` overload, not the `long` one).
    pub fn accepts_exactly(&self, ty: ScalarType) -> bool {
        self.fits(ty, true)
    }

    fn fits(&self, ty: ScalarType, exactly: bool) -> bool {
        if ty == ScalarType::Unknown {
            return true;
        }
        let fits =
            |want: ScalarType| want == ty || (!exactly && want.is_numeric() && ty.is_numeric());
        match self {
            ArgType::Exact(t) => fits(*t),
            ArgType::OneOf(ts) => ts.iter().any(|t| fits(*t)),
            ArgType::Numeric => ty.is_numeric(),
            ArgType::Scalar | ArgType::Any => true,
            ArgType::Tabular | ArgType::Lambda => false,
        }
    }
}

impl fmt::Display for ArgType {
    /// The catalog's spelling; a union holding every number type shows them as `numeric`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgType::Exact(t) => write!(f, "{t}"),
            ArgType::OneOf(ts) => {
                let all_numbers = NUMERIC.iter().all(|n| ts.contains(n));
                let mut words: Vec<&str> = Vec::new();
                for t in ts {
                    if all_numbers && t.is_numeric() {
                        if !words.contains(&"numeric") {
                            words.push("numeric");
                        }
                    } else {
                        words.push(t.as_str());
                    }
                }
                f.write_str(&words.join("|"))
            }
            ArgType::Numeric => f.write_str("numeric"),
            ArgType::Scalar => f.write_str("scalar"),
            ArgType::Any => f.write_str("any"),
            ArgType::Tabular => f.write_str("tabular"),
            ArgType::Lambda => f.write_str("lambda"),
        }
    }
}

/// One parameter of a built-in function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub ty: ArgType,
    /// May be left out (`min_occurs == 0`).
    pub optional: bool,
    /// May be given more than once (`max_occurs != Some(1)`), as in `strcat(a, b, c…)`.
    pub variadic: bool,
    /// Fewest arguments this parameter takes.
    pub min_occurs: u32,
    /// Most arguments this parameter takes; `None`: no limit.
    pub max_occurs: Option<u32>,
    /// Kusto takes only a literal here (`datetime_diff`'s part, `format_datetime`'s format),
    /// not a variable or an expression.
    pub literal: bool,
}

impl Param {
    /// `?`, `*`, `+`, `{2,64}` or nothing: how the catalog writes this parameter's repetition.
    pub fn repetition(&self) -> String {
        match (self.min_occurs, self.max_occurs) {
            (1, Some(1)) => String::new(),
            (0, Some(1)) => "?".into(),
            (0, None) => "*".into(),
            (1, None) => "+".into(),
            (min, None) => format!("{{{min},}}"),
            (min, Some(max)) => format!("{{{min},{max}}}"),
        }
    }
}

/// How the result type follows from the arguments. Indexes are 0-based parameter indexes;
/// the arguments bound to a parameter are found with [`Signature::param_index_for`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnRule {
    /// This type; `Fixed(Unknown)` when Kusto computes it in code.
    Fixed(ScalarType),
    /// A table (plugins, tabular functions): columns are the analyser's business.
    Tabular,
    /// The type of the (first) argument bound to this parameter.
    SameAs(usize),
    /// The common type of the arguments bound to these parameters.
    Common(Vec<usize>),
    /// Numeric promotion of all arguments.
    Numeric,
    /// The argument bound to this parameter with int/bool widened to long (`sum`).
    Widen(usize),
}

/// One overload of a built-in function: its parameters and result rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<Param>,
    pub returns: ReturnRule,
}

impl Signature {
    /// Fewest arguments a call needs.
    pub fn min_args(&self) -> usize {
        self.params.iter().map(|p| p.min_occurs as usize).sum()
    }

    /// Most arguments a call may have; `None` when a parameter repeats without limit.
    pub fn max_args(&self) -> Option<usize> {
        self.params
            .iter()
            .try_fold(0usize, |n, p| Some(n + p.max_occurs? as usize))
    }

    /// Whether a call with `n` arguments fits this overload's arity.
    pub fn fits_count(&self, n: usize) -> bool {
        n >= self.min_args() && self.max_args().is_none_or(|m| n <= m)
    }

    /// The index of the parameter that argument `index` of a call with `arg_count` arguments
    /// binds to. Repeated parameters repeat as a group; parameters after the group bind from
    /// the end (`case`'s `else`).
    pub fn param_index_for(&self, index: usize, arg_count: usize) -> Option<usize> {
        let Some(first) = self.params.iter().position(|p| p.variadic) else {
            return (index < self.params.len()).then_some(index);
        };
        let group = self.params[first..]
            .iter()
            .take_while(|p| p.variadic)
            .count();
        let after = self.params.len() - first - group;
        if index < first {
            Some(index)
        } else if index + after >= arg_count && arg_count >= first + after {
            Some(self.params.len() - (arg_count - index))
        } else {
            Some(first + (index - first) % group)
        }
    }

    /// The parameter that argument `index` of a call with `arg_count` arguments binds to.
    pub fn param_for(&self, index: usize, arg_count: usize) -> Option<&Param> {
        self.param_index_for(index, arg_count)
            .and_then(|i| self.params.get(i))
    }

    /// Whether every argument type fits its parameter (`Unknown` fits anything).
    pub fn accepts(&self, arg_types: &[ScalarType]) -> bool {
        self.accepts_args(arg_types, false)
    }

    fn accepts_args(&self, arg_types: &[ScalarType], exactly: bool) -> bool {
        self.fits_count(arg_types.len())
            && arg_types.iter().enumerate().all(|(i, t)| {
                self.param_for(i, arg_types.len())
                    .is_some_and(|p| p.ty.fits(*t, exactly))
            })
    }

    /// The result type for arguments of these types (`Unknown` where an argument's type is
    /// unknown or missing). Tabular results give `Unknown`.
    pub fn return_type(&self, arg_types: &[ScalarType]) -> ScalarType {
        let n = arg_types.len();
        let bound_to = |param: usize| {
            arg_types
                .iter()
                .enumerate()
                .filter(move |(i, _)| self.param_index_for(*i, n) == Some(param))
                .map(|(_, t)| *t)
        };
        let first_of = |param: usize| bound_to(param).next().unwrap_or(ScalarType::Unknown);
        match &self.returns {
            ReturnRule::Fixed(t) => *t,
            ReturnRule::Tabular => ScalarType::Unknown,
            ReturnRule::SameAs(i) => first_of(*i),
            ReturnRule::Common(ix) => common(ix.iter().flat_map(|i| bound_to(*i))),
            ReturnRule::Numeric => {
                let known: Vec<_> = arg_types
                    .iter()
                    .copied()
                    .filter(|t| *t != ScalarType::Unknown)
                    .collect();
                if known.is_empty() || !known.iter().all(|t| t.is_numeric()) {
                    return ScalarType::Unknown;
                }
                common(known.into_iter())
            }
            ReturnRule::Widen(i) => match first_of(*i) {
                ScalarType::Int | ScalarType::Bool => ScalarType::Long,
                t => t,
            },
        }
    }

    /// `name(param:type, opt:type?, rest:type*)`, for hover and signature help.
    pub fn label(&self, name: &str) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{}:{}{}", p.name, p.ty, p.repetition()))
            .collect();
        format!("{name}({})", params.join(", "))
    }
}

/// Common type: promotion when every known type is numeric, else the first known one.
fn common(types: impl Iterator<Item = ScalarType>) -> ScalarType {
    let known: Vec<_> = types.filter(|t| *t != ScalarType::Unknown).collect();
    let Some(first) = known.first().copied() else {
        return ScalarType::Unknown;
    };
    known
        .iter()
        .skip(1)
        .try_fold(first, |acc, t| ScalarType::promote(acc, *t))
        .unwrap_or(first)
}

/// A built-in function: its name, kind and overloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSig {
    pub name: String,
    pub kind: FunctionKind,
    /// Every overload, in Kusto's order (at least one).
    pub signatures: Vec<Signature>,
    /// The function to use instead, when this one is deprecated.
    pub deprecated_by: Option<String>,
    /// Kusto marks it obsolete (it still works).
    pub obsolete: bool,
    /// Kusto hides it from completion (it still works).
    pub hidden: bool,
    /// Added by our overlay (a function the pinned package lacks): its parameter types are
    /// our reading of the docs, not Kusto's, so checks that need Kusto's exact rules skip it.
    pub from_overlay: bool,
    /// Some overload has a parameter that takes only a literal ([`Param::literal`]), so the
    /// binder looks at the arguments of a call only then.
    pub takes_literal: bool,
}

impl FunctionSig {
    /// The parameters of the first overload.
    pub fn params(&self) -> &[Param] {
        &self.signatures[0].params
    }

    /// Fewest arguments any overload needs.
    pub fn min_args(&self) -> usize {
        self.signatures
            .iter()
            .map(Signature::min_args)
            .min()
            .unwrap_or(0)
    }

    /// Most arguments any overload takes; `None` when a parameter repeats without limit.
    pub fn max_args(&self) -> Option<usize> {
        self.signatures
            .iter()
            .try_fold(0, |m, s| Some(m.max(s.max_args()?)))
    }

    /// The overloads a call with these argument types may use, best first: those taking the
    /// types as they are, else those taking them after number conversions.
    fn candidates(&self, arg_types: &[ScalarType]) -> Vec<&Signature> {
        for exactly in [true, false] {
            let fitting: Vec<_> = self
                .signatures
                .iter()
                .filter(|s| s.accepts_args(arg_types, exactly))
                .collect();
            if !fitting.is_empty() {
                return fitting;
            }
        }
        Vec::new()
    }

    /// The overload a call with these argument types uses (the active one in signature help):
    /// the best that accepts them, else the first whose arity fits, else the first.
    pub fn signature_for(&self, arg_types: &[ScalarType]) -> &Signature {
        let n = arg_types.len();
        self.candidates(arg_types)
            .first()
            .copied()
            .or_else(|| self.signatures.iter().find(|s| s.fits_count(n)))
            .unwrap_or(&self.signatures[0])
    }

    /// The parameter that argument `index` of a call with `arg_count` arguments binds to, in
    /// the first overload whose arity fits.
    pub fn param_for(&self, index: usize, arg_count: usize) -> Option<&Param> {
        self.signatures
            .iter()
            .find(|s| s.fits_count(arg_count))
            .unwrap_or(&self.signatures[0])
            .param_for(index, arg_count)
    }

    /// The result type for arguments of these types. When an unknown argument leaves several
    /// overloads with different results open, the result is `Unknown` rather than a guess.
    pub fn return_type(&self, arg_types: &[ScalarType]) -> ScalarType {
        if self.signatures.len() == 1 {
            return self.signatures[0].return_type(arg_types);
        }
        let candidates = self.candidates(arg_types);
        let Some(first) = candidates.first() else {
            return ScalarType::Unknown;
        };
        let ty = first.return_type(arg_types);
        let open = arg_types.contains(&ScalarType::Unknown);
        if !open || candidates.iter().all(|s| s.return_type(arg_types) == ty) {
            ty
        } else {
            ScalarType::Unknown
        }
    }
}

impl fmt::Display for FunctionSig {
    /// The first overload's [`Signature::label`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.signatures[0].label(&self.name))
    }
}

/// A set of function signatures with lookup by exact name.
#[derive(Debug, Clone, Default)]
pub struct FunctionCatalog {
    /// One entry per name and kind, in catalog order.
    functions: Vec<FunctionSig>,
    /// One entry per name: what [`FunctionCatalog::lookup`] answers.
    by_name: Vec<FunctionSig>,
    /// Name → `by_name` index. FxHash: looked up for every call in every query.
    index: rustc_hash::FxHashMap<String, usize>,
}

const GENERATED: &str = include_str!("../data/kusto_functions.txt");
const OVERLAY: &str = include_str!("../data/functions.txt");
static BUILTIN_CATALOG: OnceLock<FunctionCatalog> = OnceLock::new();

impl FunctionCatalog {
    /// The built-in KQL functions (Kusto's catalog with kqlkit's overlay), parsed once.
    pub fn builtin() -> &'static FunctionCatalog {
        BUILTIN_CATALOG.get_or_init(|| {
            // The data files are checked by tests, so failing here is a build defect.
            let mut cat = FunctionCatalog::parse(GENERATED).expect("data/kusto_functions.txt");
            cat.apply_overlay(OVERLAY).expect("data/functions.txt");
            cat
        })
    }

    /// Parses catalog text in the format described in the module docs. A name listed again in
    /// the same section, not right after its previous line, is an error.
    pub fn parse(text: &str) -> Result<FunctionCatalog, CatalogError> {
        let mut cat = FunctionCatalog::default();
        parse::read(text, false, |entry| cat.add(entry))?;
        cat.index_names();
        Ok(cat)
    }

    /// Applies overlay text (module docs): full lines add functions the catalog lacks; a bare
    /// name amends the function of that name and the section's kind, else the first of that
    /// name (so a `[window]` line re-kinds a scalar function).
    pub fn apply_overlay(&mut self, text: &str) -> Result<(), CatalogError> {
        let read = parse::read(text, true, |entry| match entry {
            parse::Entry::Full(mut sig, continues) => {
                sig.from_overlay = true;
                self.add(parse::Entry::Full(sig, continues))
            }
            parse::Entry::Amend(amend) => {
                let named = |f: &FunctionSig| f.name == amend.name;
                let i = (self.functions.iter())
                    .position(|f| named(f) && f.kind == amend.kind)
                    .or_else(|| self.functions.iter().position(named))
                    .ok_or_else(|| format!("`{}` is not in the catalog", amend.name))?;
                let f = &mut self.functions[i];
                f.kind = amend.kind;
                if let Some(rule) = amend.returns {
                    for s in &mut f.signatures {
                        s.returns = rule.clone();
                    }
                }
                if amend.deprecated_by.is_some() {
                    f.deprecated_by = amend.deprecated_by;
                }
                Ok(())
            }
        });
        self.index_names();
        read
    }

    /// Builds the one-entry-per-name view. A name Kusto has in two kinds (`any`, `hll_merge`,
    /// `tdigest_merge`, `merge_tdigest`: a scalar or graph function and an aggregate) becomes
    /// one aggregate entry with the overloads of both, so a call of either shape is accepted
    /// and typed by the overload its arguments fit.
    fn index_names(&mut self) {
        self.by_name.clear();
        self.index.clear();
        for f in &self.functions {
            match self.index.get(&f.name) {
                Some(&i) => {
                    let entry = &mut self.by_name[i];
                    if f.kind == FunctionKind::Aggregate {
                        entry.kind = f.kind;
                    }
                    entry.takes_literal |= f.takes_literal;
                    entry.signatures.extend(f.signatures.iter().cloned());
                }
                None => {
                    self.index.insert(f.name.clone(), self.by_name.len());
                    self.by_name.push(f.clone());
                }
            }
        }
    }

    fn add(&mut self, entry: parse::Entry) -> Result<(), String> {
        let parse::Entry::Full(sig, continues) = entry else {
            return Err("a bare name is only allowed in an overlay".into());
        };
        if continues {
            if let Some(last) = self.functions.last_mut() {
                last.takes_literal |= sig.takes_literal;
                last.signatures.extend(sig.signatures);
                return Ok(());
            }
        }
        if self
            .functions
            .iter()
            .any(|f| f.name == sig.name && f.kind == sig.kind)
        {
            return Err(format!("`{}` is listed twice", sig.name));
        }
        self.functions.push(sig);
        Ok(())
    }

    /// The function named exactly `name` (KQL function names are case-sensitive). A name Kusto
    /// has in two kinds gives one aggregate entry with both kinds' overloads
    /// ([`FunctionCatalog::lookup_kind`] tells them apart).
    pub fn lookup(&self, name: &str) -> Option<&FunctionSig> {
        self.index.get(name).map(|&i| &self.by_name[i])
    }

    /// The function named `name` of this kind (the aggregate `hll_merge`, say).
    pub fn lookup_kind(&self, name: &str, kind: FunctionKind) -> Option<&FunctionSig> {
        self.functions
            .iter()
            .find(|f| f.kind == kind && f.name == name)
    }

    /// The closest function name, for "did you mean".
    pub fn suggest(&self, name: &str) -> Option<&str> {
        suggest(name, self.functions.iter().map(|f| f.name.as_str()))
    }

    /// The closest function name of one kind (only plugins after `evaluate`, say).
    pub fn suggest_kind(&self, name: &str, kind: FunctionKind) -> Option<&str> {
        suggest(
            name,
            self.functions
                .iter()
                .filter(|f| f.kind == kind)
                .map(|f| f.name.as_str()),
        )
    }

    /// Every function, in catalog order (a name may appear once per kind).
    pub fn iter(&self) -> impl Iterator<Item = &FunctionSig> {
        self.functions.iter()
    }

    pub fn len(&self) -> usize {
        self.functions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
    }
}

#[cfg(test)]
mod tests;
