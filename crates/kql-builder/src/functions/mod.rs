//! Every built-in KQL function the builder can type, generated from the function catalog
//! `kql-schema` ships (the one `kql check` uses), plus a few written by hand.
//!
//! ```
//! use kql_builder::functions as f;
//! use kql_builder::tables::DeviceNetworkEvents as N;
//! let e = f::ipv4_is_private(N::RemoteIP).not();
//! assert_eq!(e.to_kql(), "not(ipv4_is_private(RemoteIP))");
//! let d = f::format_datetime(N::Timestamp, "yyyy-MM-dd");
//! assert_eq!(d.to_kql(), "format_datetime(Timestamp, \"yyyy-MM-dd\")");
//! ```
//!
//! # How names and types follow the catalog
//! * One Rust function per function and shape: the form with the fewest arguments is `name`,
//!   forms with more (optional parameters given from the left, another overload) are
//!   `name_N`, N being the argument count: `extract_all(regex, text)` and
//!   `extract_all_3(regex, groups, text)`; `series_decompose_anomalies(s)`,
//!   `series_decompose_anomalies_2(s, threshold)`...
//! * Overloads of one shape are merged: a parameter accepts the union of the overloads' types
//!   (`abs` takes any number or a timespan), expressed by a bound ([`NumericOrTimeSpan`],
//!   [`StringOrDynamic`], [`Numeric`](crate::types::Numeric), any [`KqlType`]).
//! * The result is the catalog's: a fixed type, or the type of the argument it follows
//!   (`coalesce`, `iff`, `max`: the other arguments must convert to it).
//! * Repeated parameters take an iterator of one type, or a tuple of mixed types ([`Arg`])
//!   when any scalar fits (`strcat((a, "-", b))`). Count limits (`{2,64}`) are not checked.
//! * Aggregates return [`Agg`], so they only fit `summarize`.
//! * Not generated (see `tests/generated_functions.rs`, which prints the count): hidden
//!   functions, plugins (`evaluate`) and tabular functions, graph-only functions, forms with
//!   lambdas, `any`/column-list parameters or decimal values, repeated parameter groups, and
//!   results Kusto computes in code. [`case`] and [`toscalar`] are written here by hand; the
//!   crate root's aggregates ([`arg_max`](crate::arg_max)...) cover `any` column lists.

use crate::agg::Agg;
use crate::expr::{Column, Expr, IntoExpr, Node, TypedExpr};
use crate::list::Subquery;
use crate::types::{self as ty, KqlType};

/// Declares the typed wrappers of `generated.rs`, one line each:
/// `fn name<A0: Bound, ...>(param: kind X, ...) -> Result = call("kql_name");` (`agg` for
/// aggregates). A parameter's kind says how it is taken and turned into an argument:
/// * `expr T`: `impl IntoExpr<ty::T>`;
/// * `any A0`: the generic `A0: TypedExpr<Type: Bound>` declared after the name;
/// * `like A0`: `impl IntoExpr<A0::Type>`, converted to the type of generic `A0`;
/// * `exprs T`: an iterator of `impl IntoExpr<ty::T>` (a repeated parameter);
/// * `anys I0`: an iterator of the generic `I0` (a repeated parameter the result follows);
/// * `items Arg`: `impl Items<Arg>`, a tuple of mixed scalars (a repeated `scalar` parameter).
macro_rules! functions {
    ($(
        $(#[$meta:meta])*
        fn $name:ident $(<$($generic:ident: $bound:ident),*>)?
            ($($param:ident: $kind:ident $of:ident),*) -> $result:ty = $ctor:ident($kql:literal);
    )*) => {$(
        $(#[$meta])*
        pub fn $name$(<$($generic: TypedExpr<Type: $bound>),*>)?(
            $($param: param_type!($kind $of)),*
        ) -> $result {
            let args: Vec<Node> = std::iter::empty()$(.chain(arg_nodes!($kind $param)))*.collect();
            $ctor($kql, args)
        }
    )*};
}

/// The Rust type of a [`functions!`] parameter of this kind.
macro_rules! param_type {
    (expr $t:ident) => { impl IntoExpr<ty::$t> };
    (any $generic:ident) => { $generic };
    (like $generic:ident) => { impl IntoExpr<$generic::Type> };
    (exprs $t:ident) => { impl IntoIterator<Item = impl IntoExpr<ty::$t>> };
    (anys $generic:ident) => { impl IntoIterator<Item = $generic> };
    (items Arg) => { impl Items<Arg> };
}

/// The argument nodes a [`functions!`] parameter of this kind gives.
macro_rules! arg_nodes {
    (expr $p:ident) => {
        std::iter::once($p.into_expr().node)
    };
    (any $p:ident) => {
        std::iter::once($p.typed().node)
    };
    (like $p:ident) => {
        std::iter::once($p.into_expr().node)
    };
    (exprs $p:ident) => {
        $p.into_iter().map(|a| a.into_expr().node)
    };
    (anys $p:ident) => {
        $p.into_iter().map(|a| a.typed().node)
    };
    (items $p:ident) => {
        $p.into_items().into_iter().map(|a| a.0)
    };
}

#[rustfmt::skip]
#[allow(clippy::too_many_arguments, non_snake_case, deprecated)]
mod generated;
pub use generated::*;

pub(crate) fn call<T>(name: &'static str, args: Vec<Node>) -> Expr<T> {
    Expr::from_node(Node::call(name, args))
}

pub(crate) fn agg<T: KqlType>(name: &'static str, args: Vec<Node>) -> Agg<T> {
    Agg::from_node(Node::call(name, args))
}

/// Types a `numeric|timespan` parameter accepts.
pub trait NumericOrTimeSpan: KqlType {}
impl NumericOrTimeSpan for ty::Int {}
impl NumericOrTimeSpan for ty::Long {}
impl NumericOrTimeSpan for ty::Real {}
impl NumericOrTimeSpan for ty::TimeSpan {}

/// Types a `numeric|bool` parameter accepts.
pub trait NumericOrBool: KqlType {}
impl NumericOrBool for ty::Int {}
impl NumericOrBool for ty::Long {}
impl NumericOrBool for ty::Real {}
impl NumericOrBool for ty::Bool {}

/// Types a `string|dynamic` parameter accepts (`parse_json`, `has_any_index`...).
pub trait StringOrDynamic: KqlType {}
impl StringOrDynamic for ty::String {}
impl StringOrDynamic for ty::Dynamic {}
impl<T: KqlType> StringOrDynamic for ty::Array<T> {}

/// One argument of any scalar type, for repeated `scalar` parameters (`strcat`, `pack_array`):
/// pass a tuple of mixed columns, expressions and literals.
#[derive(Debug, Clone)]
pub struct Arg(pub(crate) Node);

impl<T: KqlType> From<Expr<T>> for Arg {
    fn from(e: Expr<T>) -> Self {
        Arg(e.node)
    }
}
impl<T: KqlType> From<&Expr<T>> for Arg {
    fn from(e: &Expr<T>) -> Self {
        Arg(e.node.clone())
    }
}
impl<T: KqlType> From<Column<T>> for Arg {
    fn from(c: Column<T>) -> Self {
        Arg(c.expr().node)
    }
}
impl<T: KqlType> From<&Column<T>> for Arg {
    fn from(c: &Column<T>) -> Self {
        Arg(c.expr().node)
    }
}
macro_rules! literal_args {
    ($($rust:ty),*) => {$(
        impl From<$rust> for Arg {
            fn from(v: $rust) -> Self { Arg(v.typed().node) }
        }
    )*};
}
literal_args!(&str, String, i64, i32, f64, bool);

/// `case(p1, v1, p2, v2, ..., otherwise)`: the value of the first true predicate. The values
/// share the first one's type (KQL's rule); `branches` may be empty.
///
/// ```
/// use kql_builder::{functions::case, Column, types};
/// let port = Column::<types::Long>::new("RemotePort");
/// let e = case([(port.eq(443), "https"), (port.eq(80), "http")], "other");
/// assert_eq!(e.to_kql(), r#"case(RemotePort == 443, "https", RemotePort == 80, "http", "other")"#);
/// ```
pub fn case<V: IntoExpr<R>, R: KqlType>(
    branches: impl IntoIterator<Item = (Expr<ty::Bool>, V)>,
    otherwise: impl IntoExpr<R>,
) -> Expr<R> {
    let mut args = Vec::new();
    for (when, then) in branches {
        args.push(when.node);
        args.push(then.into_expr().node);
    }
    args.push(otherwise.into_expr().node);
    call("case", args)
}

/// `toscalar(subquery)`: the first value of a one-column subquery, as a scalar of its type.
pub fn toscalar<T: KqlType>(query: Subquery<T>) -> Expr<T> {
    call("toscalar", vec![query.node])
}

// Keep `TypedExpr` in scope for the literal conversions above.
#[allow(unused_imports)]
use TypedExpr as _;
