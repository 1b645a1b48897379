//! The methods and operators of [`Expr<T>`] and [`Column<T>`]: comparisons, string operators,
//! `in`-style lists, `and`/`or`, arithmetic. Each exists only for the types KQL allows, which is
//! what makes an ill-typed query fail to compile.

use crate::expr::{not, AliasName, Column, Expr, IntoExpr, Named, Node, Prec, SortKey};
use crate::list::{InList, ListKind};
use crate::types::{self as ty, Equatable, KqlType, Nullable, Numeric, Ordered};
use crate::value::{self, TimeSpanValue};

fn bool_expr(node: Node) -> Expr<ty::Bool> {
    Expr::from_node(node)
}

fn cmp<T>(lhs: Expr<T>, op: &'static str, rhs: Node) -> Expr<ty::Bool> {
    bool_expr(Node::binary(op, Prec::Cmp, lhs.node, rhs))
}

/// `lhs and rhs` / `lhs or rhs` (`prec` says which).
fn logical(
    lhs: Expr<ty::Bool>,
    op: &'static str,
    prec: Prec,
    rhs: impl IntoExpr<ty::Bool>,
) -> Expr<ty::Bool> {
    bool_expr(Node::binary(op, prec, lhs.node, rhs.into_expr().node))
}

/// `lhs op (items)`; an empty list of values has no KQL syntax, so it folds to the constant the
/// operator would give (`in ()` matches nothing, `!in ()` everything).
fn list<T, U>(
    lhs: Expr<T>,
    op: &'static str,
    items: impl InList<U>,
    empty: bool,
) -> Expr<ty::Bool> {
    let items = match items.into_list().0 {
        ListKind::Values(items) if items.is_empty() => {
            return bool_expr(Node::lit(empty.to_string()));
        }
        ListKind::Values(items) => items,
        ListKind::One(node) => vec![node],
    };
    bool_expr(Node::List {
        lhs: Box::new(lhs.node),
        op,
        items,
    })
}

// Methods are written once and instantiated for both `Expr<T>` and `Column<T>`, so that a
// generated column constant has the same fluent API as an expression.
macro_rules! methods_for {
    ($recv:ident) => {
        impl<T: KqlType> $recv<T> {
            /// `self` named `name` (`name = self`) in `project`, `extend`, `summarize by`.
            pub fn as_(&self, name: impl AliasName<T>) -> Named {
                Named {
                    name: Some(name.alias()),
                    node: self.expr().node,
                }
            }
            /// Ascending sort key.
            pub fn asc(&self) -> SortKey {
                SortKey {
                    node: self.expr().node,
                    dir: Some("asc"),
                    nulls: None,
                }
            }
            /// Descending sort key.
            pub fn desc(&self) -> SortKey {
                SortKey {
                    node: self.expr().node,
                    dir: Some("desc"),
                    nulls: None,
                }
            }
        }

        impl<T: Nullable> $recv<T> {
            /// `isnull(self)`.
            pub fn is_null(&self) -> Expr<ty::Bool> {
                bool_expr(Node::call("isnull", vec![self.expr().node]))
            }
            /// `isnotnull(self)`.
            pub fn is_not_null(&self) -> Expr<ty::Bool> {
                bool_expr(Node::call("isnotnull", vec![self.expr().node]))
            }
        }

        impl<T: KqlType> $recv<T> {
            cmp_ops! { T: Equatable;
                /// `self == rhs`.
                eq "==";
                /// `self != rhs`.
                ne "!=";
            }
            /// `self in (items...)`; an empty list is `false`.
            pub fn in_(&self, items: impl InList<T>) -> Expr<ty::Bool>
            where
                T: Equatable,
            {
                list(self.expr(), "in", items, false)
            }
            /// `self !in (items...)`; an empty list is `true`.
            pub fn not_in(&self, items: impl InList<T>) -> Expr<ty::Bool>
            where
                T: Equatable,
            {
                list(self.expr(), "!in", items, true)
            }
        }

        impl<T: KqlType> $recv<T> {
            cmp_ops! { T: Ordered;
                /// `self > rhs`.
                gt ">";
                /// `self >= rhs`.
                ge ">=";
                /// `self < rhs`.
                lt "<";
                /// `self <= rhs`.
                le "<=";
            }
            /// `self between (lo .. hi)` (inclusive).
            pub fn between(&self, lo: impl IntoExpr<T>, hi: impl IntoExpr<T>) -> Expr<ty::Bool>
            where
                T: Ordered,
            {
                self.between_op("between", lo, hi)
            }
            /// `self !between (lo .. hi)`.
            pub fn not_between(&self, lo: impl IntoExpr<T>, hi: impl IntoExpr<T>) -> Expr<ty::Bool>
            where
                T: Ordered,
            {
                self.between_op("!between", lo, hi)
            }
            fn between_op(
                &self,
                op: &'static str,
                lo: impl IntoExpr<T>,
                hi: impl IntoExpr<T>,
            ) -> Expr<ty::Bool>
            where
                T: Ordered,
            {
                bool_expr(Node::Between {
                    lhs: Box::new(self.expr().node),
                    op,
                    lo: Box::new(lo.into_expr().node),
                    hi: Box::new(hi.into_expr().node),
                })
            }
        }

        impl $recv<ty::String> {
            cmp_ops! {
                /// `self =~ rhs` (case-insensitive equality).
                eq_ci "=~";
                /// `self !~ rhs` (case-insensitive inequality).
                ne_ci "!~";
                /// `self has rhs`: whole-term match, case-insensitive; uses the term index.
                has "has";
                /// `self !has rhs`.
                not_has "!has";
                /// `self has_cs rhs`.
                has_cs "has_cs";
                /// `self !has_cs rhs`.
                not_has_cs "!has_cs";
                /// `self hasprefix rhs`.
                hasprefix "hasprefix";
                /// `self hassuffix rhs`.
                hassuffix "hassuffix";
                /// `self contains rhs`: substring, case-insensitive (slower than `has`).
                contains "contains";
                /// `self !contains rhs`.
                not_contains "!contains";
                /// `self contains_cs rhs`.
                contains_cs "contains_cs";
                /// `self !contains_cs rhs`.
                not_contains_cs "!contains_cs";
                /// `self startswith rhs`.
                startswith "startswith";
                /// `self !startswith rhs`.
                not_startswith "!startswith";
                /// `self startswith_cs rhs`.
                startswith_cs "startswith_cs";
                /// `self endswith rhs`.
                endswith "endswith";
                /// `self !endswith rhs`.
                not_endswith "!endswith";
                /// `self endswith_cs rhs`.
                endswith_cs "endswith_cs";
                /// `self matches regex rhs` (RE2 syntax).
                matches_regex "matches regex";
            }
            /// `self in~ (items...)` (case-insensitive); an empty list is `false`.
            pub fn in_ci(&self, items: impl InList<ty::String>) -> Expr<ty::Bool> {
                list(self.expr(), "in~", items, false)
            }
            /// `self !in~ (items...)`; an empty list is `true`.
            pub fn not_in_ci(&self, items: impl InList<ty::String>) -> Expr<ty::Bool> {
                list(self.expr(), "!in~", items, true)
            }
            /// `self has_any (items...)`; an empty list is `false`.
            pub fn has_any(&self, items: impl InList<ty::String>) -> Expr<ty::Bool> {
                list(self.expr(), "has_any", items, false)
            }
            /// `self has_all (items...)`; an empty list is `true` (all of nothing).
            pub fn has_all(&self, items: impl InList<ty::String>) -> Expr<ty::Bool> {
                list(self.expr(), "has_all", items, true)
            }
            /// `isempty(self)`.
            pub fn is_empty(&self) -> Expr<ty::Bool> {
                bool_expr(Node::call("isempty", vec![self.expr().node]))
            }
            /// `isnotempty(self)`.
            pub fn is_not_empty(&self) -> Expr<ty::Bool> {
                bool_expr(Node::call("isnotempty", vec![self.expr().node]))
            }
            /// `tolower(self)`.
            pub fn to_lower(&self) -> Expr<ty::String> {
                Expr::from_node(Node::call("tolower", vec![self.expr().node]))
            }
            /// `toupper(self)`.
            pub fn to_upper(&self) -> Expr<ty::String> {
                Expr::from_node(Node::call("toupper", vec![self.expr().node]))
            }
            /// `strlen(self)`.
            pub fn len(&self) -> Expr<ty::Long> {
                Expr::from_node(Node::call("strlen", vec![self.expr().node]))
            }
        }

        impl $recv<ty::Bool> {
            /// `self and rhs`.
            pub fn and(&self, rhs: impl IntoExpr<ty::Bool>) -> Expr<ty::Bool> {
                logical(self.expr(), "and", Prec::And, rhs)
            }
            /// `self or rhs`.
            pub fn or(&self, rhs: impl IntoExpr<ty::Bool>) -> Expr<ty::Bool> {
                logical(self.expr(), "or", Prec::Or, rhs)
            }
            /// `not(self)`.
            pub fn not(&self) -> Expr<ty::Bool> {
                not(self.expr())
            }
        }

        impl $recv<ty::Dynamic> {
            /// `self["key"]`: a property of a property bag (any key, escaped).
            pub fn get(&self, key: &str) -> Expr<ty::Dynamic> {
                Expr::from_node(Node::Index {
                    base: Box::new(self.expr().node),
                    index: Box::new(Node::string(key)),
                })
            }
            /// `self[i]`: an array element (negative counts from the end).
            pub fn at(&self, index: i64) -> Expr<ty::Dynamic> {
                Expr::from_node(Node::Index {
                    base: Box::new(self.expr().node),
                    index: Box::new(value::long_node(index)),
                })
            }
            /// `self has rhs`: a whole term anywhere in the value's text (KQL allows `has` on
            /// `dynamic`).
            pub fn has(&self, rhs: impl IntoExpr<ty::String>) -> Expr<ty::Bool> {
                cmp(self.expr(), "has", rhs.into_expr().node)
            }
            /// `self contains rhs` over the value's text.
            pub fn contains(&self, rhs: impl IntoExpr<ty::String>) -> Expr<ty::Bool> {
                cmp(self.expr(), "contains", rhs.into_expr().node)
            }
            /// `self has_any (items...)`.
            pub fn has_any(&self, items: impl InList<ty::String>) -> Expr<ty::Bool> {
                list(self.expr(), "has_any", items, false)
            }
            /// `array_length(self)`.
            pub fn array_length(&self) -> Expr<ty::Long> {
                Expr::from_node(Node::call("array_length", vec![self.expr().node]))
            }
        }
    };
}

/// Binary comparison methods `self op rhs`: `T: Capability;` first for a right-hand side of the
/// receiver's type `T` (which must have the capability), else a string right-hand side.
macro_rules! cmp_ops {
    (T: $bound:ident; $($(#[$m:meta])* $name:ident $op:literal;)*) => {$(
        $(#[$m])*
        pub fn $name(&self, rhs: impl IntoExpr<T>) -> Expr<ty::Bool>
        where
            T: $bound,
        {
            cmp(self.expr(), $op, rhs.into_expr().node)
        }
    )*};
    ($($(#[$m:meta])* $name:ident $op:literal;)*) => {$(
        $(#[$m])*
        pub fn $name(&self, rhs: impl IntoExpr<ty::String>) -> Expr<ty::Bool> {
            cmp(self.expr(), $op, rhs.into_expr().node)
        }
    )*};
}

methods_for!(Expr);
methods_for!(Column);

// ---------------------------------------------------------------- operators

macro_rules! arith_op {
    ($($tr:ident $method:ident $tytr:ident $op:literal $prec:ident;)*) => {$(
        impl<L: ty::$tytr<R>, R: KqlType> std::ops::$tr<Expr<R>> for Expr<L> {
            type Output = Expr<<L as ty::$tytr<R>>::Output>;
            fn $method(self, rhs: Expr<R>) -> Self::Output {
                Expr::from_node(Node::binary($op, Prec::$prec, self.node, rhs.node))
            }
        }
        impl<L: ty::$tytr<R>, R: KqlType> std::ops::$tr<Column<R>> for Expr<L> {
            type Output = Expr<<L as ty::$tytr<R>>::Output>;
            fn $method(self, rhs: Column<R>) -> Self::Output {
                std::ops::$tr::$method(self, rhs.expr())
            }
        }
        impl<L: ty::$tytr<R>, R: KqlType> std::ops::$tr<Expr<R>> for Column<L> {
            type Output = Expr<<L as ty::$tytr<R>>::Output>;
            fn $method(self, rhs: Expr<R>) -> Self::Output {
                std::ops::$tr::$method(self.expr(), rhs)
            }
        }
        impl<L: ty::$tytr<R>, R: KqlType> std::ops::$tr<Column<R>> for Column<L> {
            type Output = Expr<<L as ty::$tytr<R>>::Output>;
            fn $method(self, rhs: Column<R>) -> Self::Output {
                std::ops::$tr::$method(self.expr(), rhs.expr())
            }
        }
        arith_op!(@lit $tr $method $tytr; i64 => Long, f64 => Real, TimeSpanValue => TimeSpan);
    )*};
    (@lit $tr:ident $method:ident $tytr:ident; $($rust:ty => $kql:ident),*) => {$(
        impl<L: ty::$tytr<ty::$kql>> std::ops::$tr<$rust> for Expr<L> {
            type Output = Expr<<L as ty::$tytr<ty::$kql>>::Output>;
            fn $method(self, rhs: $rust) -> Self::Output {
                std::ops::$tr::$method(self, IntoExpr::<ty::$kql>::into_expr(rhs))
            }
        }
        impl<L: ty::$tytr<ty::$kql>> std::ops::$tr<$rust> for Column<L> {
            type Output = Expr<<L as ty::$tytr<ty::$kql>>::Output>;
            fn $method(self, rhs: $rust) -> Self::Output {
                std::ops::$tr::$method(self.expr(), IntoExpr::<ty::$kql>::into_expr(rhs))
            }
        }
    )*};
}

arith_op! {
    Add add AddTy "+" Add;
    Sub sub SubTy "-" Add;
    Mul mul MulTy "*" Mul;
    Div div DivTy "/" Mul;
    Rem rem RemTy "%" Mul;
}

impl<T: Numeric> std::ops::Neg for Expr<T> {
    type Output = Expr<T>;
    fn neg(self) -> Expr<T> {
        Expr::from_node(Node::Unary {
            op: "-",
            operand: Box::new(self.node),
        })
    }
}
impl<T: Numeric> std::ops::Neg for Column<T> {
    type Output = Expr<T>;
    fn neg(self) -> Expr<T> {
        -self.expr()
    }
}

macro_rules! bool_ops {
    ($($recv:ty),*) => {$(
        impl<R: IntoExpr<ty::Bool>> std::ops::BitAnd<R> for $recv {
            type Output = Expr<ty::Bool>;
            /// `a & b` is `a and b`.
            fn bitand(self, rhs: R) -> Expr<ty::Bool> { self.and(rhs) }
        }
        impl<R: IntoExpr<ty::Bool>> std::ops::BitOr<R> for $recv {
            type Output = Expr<ty::Bool>;
            /// `a | b` is `a or b`.
            fn bitor(self, rhs: R) -> Expr<ty::Bool> { self.or(rhs) }
        }
        impl std::ops::Not for $recv {
            type Output = Expr<ty::Bool>;
            /// `!a` is `not(a)`.
            fn not(self) -> Expr<ty::Bool> { not(self) }
        }
    )*};
}
bool_ops!(Expr<ty::Bool>, Column<ty::Bool>);
