//! [`Items`]: lists of heterogeneous operator arguments (`project((A, B, C.as_("x")))`).

use crate::agg::{Agg, AggItem};
use crate::expr::{Column, ColumnName, Expr, Named, Rename, SortKey};
use crate::query::JoinOn;
use crate::types::KqlType;

/// A list of operator arguments of kind `I`: a single item, a tuple of up to 12 items of
/// different types, an array, a `Vec`, or `()` for none.
pub trait Items<I> {
    /// The items, in order.
    fn into_items(self) -> Vec<I>;
}

impl<I> Items<I> for () {
    fn into_items(self) -> Vec<I> {
        Vec::new()
    }
}

impl<I, E: Into<I>> Items<I> for Vec<E> {
    fn into_items(self) -> Vec<I> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<I, E: Into<I>, const N: usize> Items<I> for [E; N] {
    fn into_items(self) -> Vec<I> {
        self.into_iter().map(Into::into).collect()
    }
}

macro_rules! single {
    ($([$($g:tt)*] $t:ty),* $(,)?) => {$(
        impl<I, $($g)*> Items<I> for $t where $t: Into<I> {
            fn into_items(self) -> Vec<I> { vec![self.into()] }
        }
    )*};
}
single! {
    [T: KqlType] Column<T>,
    [T: KqlType] Expr<T>,
    [T: KqlType] Agg<T>,
    [] Named,
    [] SortKey,
    [] AggItem,
    [] Rename,
    [] JoinOn,
    [] ColumnName,
}

impl<'a, I, T: KqlType> Items<I> for &'a Column<T>
where
    &'a Column<T>: Into<I>,
{
    fn into_items(self) -> Vec<I> {
        vec![self.into()]
    }
}

macro_rules! tuples {
    ($(($($n:ident),+))*) => {$(
        impl<I, $($n: Into<I>),+> Items<I> for ($($n,)+) {
            #[allow(non_snake_case)]
            fn into_items(self) -> Vec<I> {
                let ($($n,)+) = self;
                vec![$($n.into()),+]
            }
        }
    )*};
}
tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
    (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H)
    (A, B, C, D, E, F, G, H, J)
    (A, B, C, D, E, F, G, H, J, K)
    (A, B, C, D, E, F, G, H, J, K, L)
    (A, B, C, D, E, F, G, H, J, K, L, M)
}

impl<'a, I> Items<I> for &'a str
where
    &'a str: Into<I>,
{
    fn into_items(self) -> Vec<I> {
        vec![self.into()]
    }
}
