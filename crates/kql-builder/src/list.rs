//! The right-hand side of `in`, `!in`, `in~`, `has_any`, `has_all`: literal values, a `dynamic`
//! array (typed [`types::Array`](crate::types::Array) or untyped `dynamic`), or a one-column
//! subquery ([`Subquery`]).

use std::marker::PhantomData;
use std::sync::Arc;

use crate::expr::{Column, Expr, IntoExpr, Node};
use crate::lets::LetDef;
use crate::query::Query;
use crate::types::{self as ty, KqlType};

/// What follows `in` / `has_any`: a list of values, or one array or subquery. Built by
/// [`InList`]; not constructed directly.
#[doc(hidden)]
pub struct ListArg(pub(crate) ListKind);

pub(crate) enum ListKind {
    /// `(a, b, c)`; an empty list folds to a constant.
    Values(Vec<Node>),
    /// `(array)` or `(subquery)`.
    One(Node),
}

/// Values an `in`-style operator of a `T` column accepts: any iterator of values of type `T`
/// (`["a", "b"]`, a `Vec<String>`, columns), a typed array `Expr<types::Array<T>>` (from
/// [`Lets::array`](crate::Lets::array) or [`array`](fn@array)), an untyped `Expr<types::Dynamic>`
/// (element type unchecked, as in KQL), or a [`Subquery<T>`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the list of an `in`/`has_any` over a `{T}` column",
    label = "not a list of `{T}` values",
    note = "pass values of the column's type (`[\"a\", \"b\"]`), a `let` array of that type (`Lets::array`), a `dynamic` expression, or a one-column subquery (`query.select(&Table::Column)`) whose column has that type"
)]
pub trait InList<T> {
    /// The list.
    #[doc(hidden)]
    fn into_list(self) -> ListArg;
}

impl<T: KqlType, I> InList<T> for I
where
    I: IntoIterator,
    I::Item: IntoExpr<T>,
{
    fn into_list(self) -> ListArg {
        let nodes = self.into_iter().map(|v| v.into_expr().node).collect();
        ListArg(ListKind::Values(nodes))
    }
}

macro_rules! one {
    ($([$($g:tt)*] $t:ty => |$v:ident| $node:expr;)*) => {$(
        impl<$($g)*> InList<T> for $t {
            fn into_list(self) -> ListArg {
                let $v = self;
                ListArg(ListKind::One($node))
            }
        }
    )*};
}
one! {
    [T: KqlType] Expr<ty::Dynamic> => |e| e.node;
    [T: KqlType] &Expr<ty::Dynamic> => |e| e.node.clone();
    [T: KqlType] Expr<ty::Array<T>> => |e| e.node;
    [T: KqlType] &Expr<ty::Array<T>> => |e| e.node.clone();
    [T: KqlType] Subquery<T> => |q| q.node;
    [T: KqlType] &Subquery<T> => |q| q.node.clone();
}

// KQL compares numbers by value in `in`: an array or subquery of one number type fits a
// column of another.
macro_rules! numeric_lists {
    ($($elem:ident => $col:ident),*) => {$(
        impl InList<ty::$col> for Expr<ty::Array<ty::$elem>> {
            fn into_list(self) -> ListArg { ListArg(ListKind::One(self.node)) }
        }
        impl InList<ty::$col> for &Expr<ty::Array<ty::$elem>> {
            fn into_list(self) -> ListArg { ListArg(ListKind::One(self.node.clone())) }
        }
        impl InList<ty::$col> for Subquery<ty::$elem> {
            fn into_list(self) -> ListArg { ListArg(ListKind::One(self.node)) }
        }
    )*};
}
numeric_lists!(Long => Int, Long => Real, Int => Long, Int => Real, Real => Long, Real => Int);

impl<T: KqlType> IntoExpr<ty::Dynamic> for Expr<ty::Array<T>> {
    fn into_expr(self) -> Expr<ty::Dynamic> {
        Expr::from_node(self.node)
    }
}
impl<T: KqlType> IntoExpr<ty::Dynamic> for &Expr<ty::Array<T>> {
    fn into_expr(self) -> Expr<ty::Dynamic> {
        Expr::from_node(self.node.clone())
    }
}

/// A Rust value that can be an element of a `dynamic([...])` literal of `T`s.
pub trait ArrayElement<T> {
    /// The element as JSON.
    fn to_json(self) -> serde_json::Value;
}

macro_rules! element {
    ($($rust:ty => $kql:ident),*) => {$(
        impl ArrayElement<ty::$kql> for $rust {
            fn to_json(self) -> serde_json::Value { self.into() }
        }
    )*};
}
element!(&str => String, String => String, i64 => Long, i32 => Long, f64 => Real, bool => Bool);
impl ArrayElement<ty::String> for &String {
    fn to_json(self) -> serde_json::Value {
        self.as_str().into()
    }
}

pub(crate) fn array_node<T, V: ArrayElement<T>>(values: impl IntoIterator<Item = V>) -> Node {
    let json = serde_json::Value::Array(values.into_iter().map(|v| v.to_json()).collect());
    crate::value::dynamic_node(&json)
}

/// `dynamic([...])`: a typed array literal (see [`Lets::array`](crate::Lets::array) to bind it
/// to a name, which keeps a long IOC list out of the `where` line).
pub fn array<T: KqlType, V: ArrayElement<T>>(
    values: impl IntoIterator<Item = V>,
) -> Expr<ty::Array<T>> {
    Expr::from_node(array_node(values))
}

/// A tabular query with one column of type `T`: the right-hand side of
/// `| where DeviceId in (DeviceInfo | where ... | project DeviceId)`, or the argument of
/// [`toscalar`](crate::toscalar).
pub struct Subquery<T> {
    pub(crate) node: Node,
    _type: PhantomData<fn() -> T>,
}

impl<T> Subquery<T> {
    fn from_node(node: Node) -> Self {
        Subquery {
            node,
            _type: PhantomData,
        }
    }
}

impl<T> Clone for Subquery<T> {
    fn clone(&self) -> Self {
        Subquery::from_node(self.node.clone())
    }
}

impl<T> std::fmt::Debug for Subquery<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Subquery({})", self.node.to_raw_text())
    }
}

impl<T: KqlType> Subquery<T> {
    pub(crate) fn new(query: Query) -> Self {
        let (lets, text): (Vec<Arc<LetDef>>, String) = query.into_binding();
        Subquery::from_node(Node::Tabular { text, lets })
    }
}

impl Query {
    /// `query | project Column`: a one-column subquery of the column's type, for `in_`,
    /// `has_any` and [`toscalar`](crate::toscalar).
    ///
    /// ```
    /// use kql_builder::tables::{DeviceInfo as I, DeviceNetworkEvents as N};
    /// let exposed = I::query().where_(I::IsInternetFacing.eq(true)).select(&I::DeviceId);
    /// let q = N::query().where_(N::DeviceId.in_(exposed));
    /// assert_eq!(q.to_kql(), "DeviceNetworkEvents\n| where DeviceId in (DeviceInfo | where IsInternetFacing == true | project DeviceId)");
    /// ```
    pub fn select<T: KqlType>(self, column: &Column<T>) -> Subquery<T> {
        Subquery::new(self.project(column))
    }

    /// The query as a one-column subquery whose only column is `column`, without adding a
    /// `project` (for a query that already ends in `distinct Column` or
    /// `summarize by Column`). The column's type is the caller's claim.
    pub fn as_column<T: KqlType>(self, column: &Column<T>) -> Subquery<T> {
        let _ = column;
        Subquery::new(self)
    }
}
