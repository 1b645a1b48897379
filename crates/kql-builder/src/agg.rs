//! Typed aggregation functions for `summarize`.
//!
//! An aggregate is an [`Agg<T>`], not an [`Expr<T>`](crate::Expr): it can only appear in
//! `summarize`, so `where_(count().gt(5))` does not compile.

use std::marker::PhantomData;

use crate::expr::{AliasName, IntoExpr, Named, Node, TypedExpr};
use crate::items::Items;
use crate::types::{self as ty, Extremum, KqlType, Numeric};

/// A typed aggregate (`count()`, `dcount(DeviceId)`, ...).
pub struct Agg<T> {
    node: Node,
    _type: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Agg<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Agg({})", self.node.to_raw_text())
    }
}

impl<T> Clone for Agg<T> {
    fn clone(&self) -> Self {
        Agg {
            node: self.node.clone(),
            _type: PhantomData,
        }
    }
}

impl<T: KqlType> Agg<T> {
    pub(crate) fn from_node(node: Node) -> Self {
        Agg {
            node,
            _type: PhantomData,
        }
    }

    fn new(name: &'static str, args: Vec<Node>) -> Self {
        Agg {
            node: Node::call(name, args),
            _type: PhantomData,
        }
    }

    /// `name = aggregate`. With a typed [`Column`](crate::Column) as the name, the column's type
    /// must match the aggregate's.
    pub fn as_(self, name: impl AliasName<T>) -> AggItem {
        AggItem(Named {
            name: Some(name.alias()),
            node: self.node,
        })
    }
}

/// One item of a `summarize` aggregation list: an aggregate with an optional output name,
/// written like a [`Named`] row expression, kept a type of its own so that only aggregates fit
/// `summarize`.
#[derive(Debug, Clone)]
pub struct AggItem(pub(crate) Named);

impl AggItem {
    fn unnamed(node: Node) -> Self {
        AggItem(Named { name: None, node })
    }
}

impl<T: KqlType> From<Agg<T>> for AggItem {
    fn from(a: Agg<T>) -> Self {
        AggItem::unnamed(a.node)
    }
}

/// `count()`.
pub fn count() -> Agg<ty::Long> {
    Agg::new("count", vec![])
}

/// `countif(cond)`.
pub fn countif(cond: impl IntoExpr<ty::Bool>) -> Agg<ty::Long> {
    Agg::new("countif", vec![cond.into_expr().node])
}

/// `dcount(e)`: estimated distinct count (HyperLogLog; not exact for large sets).
pub fn dcount(e: impl TypedExpr) -> Agg<ty::Long> {
    Agg::new("dcount", vec![e.typed().node])
}

/// `dcountif(e, cond)`.
pub fn dcountif(e: impl TypedExpr, cond: impl IntoExpr<ty::Bool>) -> Agg<ty::Long> {
    Agg::new("dcountif", vec![e.typed().node, cond.into_expr().node])
}

/// `sum(e)`; the sum of `int` is `long`, as in KQL.
pub fn sum<E: TypedExpr>(e: E) -> Agg<<E::Type as Numeric>::Sum>
where
    E::Type: Numeric,
{
    Agg::new("sum", vec![e.typed().node])
}

/// `sumif(e, cond)`.
pub fn sumif<E: TypedExpr>(e: E, cond: impl IntoExpr<ty::Bool>) -> Agg<<E::Type as Numeric>::Sum>
where
    E::Type: Numeric,
{
    Agg::new("sumif", vec![e.typed().node, cond.into_expr().node])
}

/// `avg(e)`.
pub fn avg<E: TypedExpr>(e: E) -> Agg<ty::Real>
where
    E::Type: Numeric,
{
    Agg::new("avg", vec![e.typed().node])
}

/// `min(e)`.
pub fn min<E: TypedExpr>(e: E) -> Agg<E::Type>
where
    E::Type: Extremum,
{
    Agg::new("min", vec![e.typed().node])
}

/// `max(e)`.
pub fn max<E: TypedExpr>(e: E) -> Agg<E::Type>
where
    E::Type: Extremum,
{
    Agg::new("max", vec![e.typed().node])
}

/// `percentile(e, p)`.
pub fn percentile<E: TypedExpr>(e: E, p: f64) -> Agg<E::Type>
where
    E::Type: Numeric,
{
    Agg::new(
        "percentile",
        vec![e.typed().node, crate::value::real_node(p)],
    )
}

/// `take_any(e)`: an arbitrary value of the group.
pub fn take_any<E: TypedExpr>(e: E) -> Agg<E::Type> {
    Agg::new("take_any", vec![e.typed().node])
}

/// `make_set(e)`: distinct values as a `dynamic` array (KQL caps it at 1,048,576 by default).
pub fn make_set(e: impl TypedExpr) -> Agg<ty::Dynamic> {
    collect("make_set", e, None)
}

/// `make_set(e, max_size)`.
pub fn make_set_max(e: impl TypedExpr, max_size: i64) -> Agg<ty::Dynamic> {
    collect("make_set", e, Some(max_size))
}

/// `make_list(e)`: all values as a `dynamic` array.
pub fn make_list(e: impl TypedExpr) -> Agg<ty::Dynamic> {
    collect("make_list", e, None)
}

/// `make_list(e, max_size)`.
pub fn make_list_max(e: impl TypedExpr, max_size: i64) -> Agg<ty::Dynamic> {
    collect("make_list", e, Some(max_size))
}

/// `make_set`/`make_list` with an optional size cap.
fn collect(name: &'static str, e: impl TypedExpr, max_size: Option<i64>) -> Agg<ty::Dynamic> {
    let mut args = vec![e.typed().node];
    args.extend(max_size.map(crate::value::long_node));
    Agg::new(name, args)
}

fn arg(name: &'static str, by: Node, columns: Vec<Named>) -> AggItem {
    let mut args = vec![by];
    if columns.is_empty() {
        args.push(Node::Star);
    } else {
        args.extend(columns.into_iter().map(|c| match c.name {
            // `arg_max(T, Alias = expr)` is valid KQL; keep the alias by rendering it as text.
            Some(_) => {
                let mut text = String::new();
                c.write(&mut text);
                Node::lit(text)
            }
            None => c.node,
        }));
    }
    AggItem::unnamed(Node::call(name, args))
}

/// `arg_max(by, columns...)`: the row with the largest `by`; an empty column list is `*` (all
/// columns), e.g. `arg_max(Timestamp, *)` for "latest row per group".
pub fn arg_max<E: TypedExpr>(by: E, columns: impl Items<Named>) -> AggItem
where
    E::Type: Extremum,
{
    arg("arg_max", by.typed().node, columns.into_items())
}

/// `arg_min(by, columns...)`; an empty column list is `*`.
pub fn arg_min<E: TypedExpr>(by: E, columns: impl Items<Named>) -> AggItem
where
    E::Type: Extremum,
{
    arg("arg_min", by.typed().node, columns.into_items())
}

/// Never implemented: the bound that makes an aggregate used as a row expression fail to
/// compile with a message that names KQL's rule.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "aggregate `{Self}` used outside `summarize`",
    label = "aggregates (count(), sum(), dcount()...) are only valid in `summarize` and `make-series`",
    note = "summarize first (`.summarize_by(count().as_(\"n\"), keys)`), then filter on the result column (`.where_(Column::<types::Long>::named(\"n\").gt(5))`); a per-row condition inside the aggregate is `countif(...)`/`sumif(...)`"
)]
pub trait OnlyInSummarize {}

impl<T: KqlType, U: KqlType> IntoExpr<U> for Agg<T>
where
    Agg<T>: OnlyInSummarize,
{
    fn into_expr(self) -> crate::Expr<U> {
        crate::Expr::from_node(self.node)
    }
}

impl<T: KqlType> TypedExpr for Agg<T>
where
    Agg<T>: OnlyInSummarize,
{
    type Type = T;
    fn typed(self) -> crate::Expr<T> {
        crate::Expr::from_node(self.node)
    }
}
