//! The catalog of built-in KQL functions: scalar, aggregation, window and graph functions and
//! `evaluate` plugins, with parameters and a rule for the result type.
//!
//! The catalog is data (`data/functions.txt`), parsed once. Its line format:
//!
//! ```text
//! [scalar]                                   section: scalar | aggregate | window | plugin | graph | tabular
//! # comment
//! substring(source:string, start:long, length:long?) -> string
//! strcat(arg:scalar+) -> string
//! iff(if:bool, then:scalar, else:scalar) -> $common(2,3)
//! makeset(expr:any, max:long?) -> dynamic ~make_set
//! ```
//!
//! * A parameter is `name:type` followed by `?` (optional), `*` (repeated, zero or more) or `+`
//!   (repeated, one or more). Types: a [`ScalarType`] name, a `|` union (`string|dynamic`),
//!   `numeric`, `scalar` (any scalar), `any`, `tabular`, or `lambda`.
//! * The result is a type name, `tabular` (plugins), `$N` (the type of argument N, 1-based),
//!   `$common(A,B,…)` / `$common(A..)` (the common type of those arguments: promoted when all are
//!   numeric, else the first known one), `$numeric` (promotion of every numeric argument),
//!   `$widen(N)` (argument N with `int`/`bool` widened to `long`, as `sum` does), or `$case`
//!   (the common type of `case`'s value arguments).
//! * `~name` marks a deprecated function and names its replacement.

use std::fmt;
use std::sync::OnceLock;

use crate::suggest::suggest;
use crate::ScalarType;

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
                        types.extend([
                            ScalarType::Int,
                            ScalarType::Long,
                            ScalarType::Real,
                            ScalarType::Decimal,
                        ]);
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
        if ty == ScalarType::Unknown {
            return true;
        }
        let fits = |want: ScalarType| want == ty || (want.is_numeric() && ty.is_numeric());
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgType::Exact(t) => write!(f, "{t}"),
            ArgType::OneOf(ts) => {
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str("|")?;
                    }
                    write!(f, "{t}")?;
                }
                Ok(())
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
    pub optional: bool,
    /// May be given several times (`strcat(a, b, c…)`).
    pub variadic: bool,
}

/// How the result type follows from the arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnRule {
    Fixed(ScalarType),
    /// A table (plugins, tabular functions): columns are the analyser's business.
    Tabular,
    /// The type of the argument at this 0-based index.
    SameAs(usize),
    /// The common type of the arguments at these 0-based indexes.
    Common(Vec<usize>),
    /// The common type of every argument from this 0-based index on.
    CommonFrom(usize),
    /// Numeric promotion of all arguments.
    Numeric,
    /// The argument at this index with int/bool widened to long (`sum`).
    Widen(usize),
    /// `case(p1, v1, p2, v2, …, else)`: the common type of the values.
    Case,
}

/// The signature of a built-in function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSig {
    pub name: String,
    pub kind: FunctionKind,
    pub params: Vec<Param>,
    pub returns: ReturnRule,
    /// The function to use instead, when this one is deprecated.
    pub deprecated_by: Option<String>,
}

impl FunctionSig {
    /// Fewest arguments a call needs.
    pub fn min_args(&self) -> usize {
        // A `+` parameter is required once; `?` and `*` ones may be left out.
        self.params.iter().filter(|p| !p.optional).count()
    }

    /// Most arguments a call may have; `None` when a parameter repeats.
    pub fn max_args(&self) -> Option<usize> {
        if self.params.iter().any(|p| p.variadic) {
            None
        } else {
            Some(self.params.len())
        }
    }

    /// The parameter that argument `index` of a call with `arg_count` arguments binds to.
    /// Parameters after a repeated one bind from the end (`case`'s `else`).
    pub fn param_for(&self, index: usize, arg_count: usize) -> Option<&Param> {
        let Some(v) = self.params.iter().position(|p| p.variadic) else {
            return self.params.get(index);
        };
        let after = self.params.len() - v - 1;
        if index < v {
            self.params.get(index)
        } else if index + after >= arg_count && arg_count > v + after {
            self.params.get(self.params.len() - (arg_count - index))
        } else {
            self.params.get(v)
        }
    }

    /// The result type for arguments of these types (`Unknown` where an argument's type is
    /// unknown or missing). Tabular results give `Unknown`.
    pub fn return_type(&self, arg_types: &[ScalarType]) -> ScalarType {
        let arg = |i: usize| arg_types.get(i).copied().unwrap_or(ScalarType::Unknown);
        match &self.returns {
            ReturnRule::Fixed(t) => *t,
            ReturnRule::Tabular => ScalarType::Unknown,
            ReturnRule::SameAs(i) => arg(*i),
            ReturnRule::Common(ix) => common(ix.iter().map(|i| arg(*i))),
            ReturnRule::CommonFrom(i) => common(arg_types.iter().skip(*i).copied()),
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
            ReturnRule::Widen(i) => match arg(*i) {
                ScalarType::Int | ScalarType::Bool => ScalarType::Long,
                t => t,
            },
            ReturnRule::Case => {
                let n = arg_types.len();
                common(
                    arg_types
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == 1 || *i + 1 == n)
                        .map(|(_, t)| *t),
                )
            }
        }
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

impl fmt::Display for FunctionSig {
    /// `name(param:type, opt:type?, rest:type*)`, for hover and signature help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}:{}", p.name, p.ty)?;
            match (p.optional, p.variadic) {
                (true, true) => f.write_str("*")?,
                (false, true) => f.write_str("+")?,
                (true, false) => f.write_str("?")?,
                (false, false) => {}
            }
        }
        f.write_str(")")
    }
}

/// A set of function signatures with lookup by exact name.
#[derive(Debug, Clone, Default)]
pub struct FunctionCatalog {
    functions: Vec<FunctionSig>,
    /// FxHash: looked up for every call in every query, with short keys.
    index: rustc_hash::FxHashMap<String, usize>,
}

/// A line of `functions.txt` that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "functions catalog line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CatalogError {}

const BUILTIN: &str = include_str!("../data/functions.txt");
static BUILTIN_CATALOG: OnceLock<FunctionCatalog> = OnceLock::new();

impl FunctionCatalog {
    /// The built-in KQL functions, parsed once on first use.
    pub fn builtin() -> &'static FunctionCatalog {
        BUILTIN_CATALOG.get_or_init(|| {
            // The data file is ours and checked by tests, so failing here is a build defect.
            FunctionCatalog::parse(BUILTIN).expect("built-in data/functions.txt is valid")
        })
    }

    /// Parses catalog text in the format described in the module docs. Duplicate names are
    /// errors.
    pub fn parse(text: &str) -> Result<FunctionCatalog, CatalogError> {
        let mut cat = FunctionCatalog::default();
        let mut kind = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let err = |m: String| CatalogError {
                line: line_no,
                message: m,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(sec) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                kind = Some(
                    FunctionKind::from_section(sec)
                        .ok_or_else(|| err(format!("unknown section `{sec}`")))?,
                );
                continue;
            }
            let kind = kind.ok_or_else(|| err("function before any [section]".into()))?;
            let sig = parse_line(line, kind).map_err(err)?;
            if cat.index.contains_key(&sig.name) {
                return Err(err(format!("`{}` is listed twice", sig.name)));
            }
            cat.index.insert(sig.name.clone(), cat.functions.len());
            cat.functions.push(sig);
        }
        Ok(cat)
    }

    /// The function named exactly `name` (KQL function names are case-sensitive).
    pub fn lookup(&self, name: &str) -> Option<&FunctionSig> {
        self.index.get(name).map(|&i| &self.functions[i])
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

    /// Every function, in catalog order.
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

fn parse_line(line: &str, kind: FunctionKind) -> Result<FunctionSig, String> {
    let (sig, deprecated_by) = match line.split_once('~') {
        Some((s, rep)) => (s.trim(), Some(rep.trim().to_string())),
        None => (line, None),
    };
    let (head, ret) = sig
        .split_once("->")
        .ok_or("missing `-> return type`".to_string())?;
    let head = head.trim();
    let open = head.find('(').ok_or("missing `(`")?;
    let name = head[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("bad function name `{name}`"));
    }
    let inner = head[open + 1..]
        .strip_suffix(')')
        .ok_or("missing `)` at the end of the parameter list")?;
    let mut params = Vec::new();
    for p in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (pname, pty) = p
            .split_once(':')
            .ok_or_else(|| format!("parameter `{p}` has no `:type`"))?;
        let (pty, optional, variadic) = match pty.trim() {
            t if t.ends_with('?') => (&t[..t.len() - 1], true, false),
            t if t.ends_with('*') => (&t[..t.len() - 1], true, true),
            t if t.ends_with('+') => (&t[..t.len() - 1], false, true),
            t => (t, false, false),
        };
        let ty = ArgType::parse(pty).ok_or_else(|| format!("unknown parameter type `{pty}`"))?;
        params.push(Param {
            name: pname.trim().to_string(),
            ty,
            optional,
            variadic,
        });
    }
    if params.iter().filter(|p| p.variadic).count() > 1 {
        return Err("more than one repeated parameter".into());
    }
    Ok(FunctionSig {
        name: name.to_string(),
        kind,
        params,
        returns: parse_return(ret.trim())?,
        deprecated_by,
    })
}

fn parse_return(s: &str) -> Result<ReturnRule, String> {
    let index = |n: &str| -> Result<usize, String> {
        match n.trim().parse::<usize>() {
            Ok(i) if i >= 1 => Ok(i - 1),
            _ => Err(format!("bad argument number `{n}` (1-based)")),
        }
    };
    if s == "tabular" {
        return Ok(ReturnRule::Tabular);
    }
    if let Some(t) = ScalarType::parse(s) {
        return Ok(ReturnRule::Fixed(t));
    }
    let Some(rule) = s.strip_prefix('$') else {
        return Err(format!("unknown return type `{s}`"));
    };
    if rule == "numeric" {
        return Ok(ReturnRule::Numeric);
    }
    if rule == "case" {
        return Ok(ReturnRule::Case);
    }
    if let Some(args) = rule
        .strip_prefix("common(")
        .and_then(|r| r.strip_suffix(')'))
    {
        if let Some(from) = args.strip_suffix("..") {
            return Ok(ReturnRule::CommonFrom(index(from)?));
        }
        return Ok(ReturnRule::Common(
            args.split(',').map(index).collect::<Result<_, _>>()?,
        ));
    }
    if let Some(n) = rule
        .strip_prefix("widen(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return Ok(ReturnRule::Widen(index(n)?));
    }
    Ok(ReturnRule::SameAs(index(rule)?))
}

#[cfg(test)]
mod tests;
