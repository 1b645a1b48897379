//! Marker types for KQL scalar types, and the capability traits that decide which operations
//! exist on an expression of that type.
//!
//! The markers are uninhabited enums: they exist only at the type level, as the `T` in
//! [`Expr<T>`](crate::Expr) and [`Column<T>`](crate::Column). They deliberately shadow
//! `std::string::String` inside this module; refer to them as `types::String` etc.

mod sealed {
    pub trait Sealed {}
}

/// A KQL scalar type. Sealed: the set of KQL types is fixed by the language.
pub trait KqlType: sealed::Sealed + 'static {
    /// The type's name as KQL spells it in `typeof(...)`, `parse` patterns and schemas.
    const NAME: &'static str;
}

macro_rules! markers {
    ($($(#[$m:meta])* $ty:ident => $name:literal),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $ty {}
        impl sealed::Sealed for $ty {}
        impl KqlType for $ty { const NAME: &'static str = $name; }
    )*};
}

markers! {
    /// KQL `string`. KQL strings are never null (an absent value is the empty string).
    String => "string",
    /// KQL `long` (64-bit signed integer); integer literals in KQL text are `long`.
    Long => "long",
    /// KQL `int` (32-bit signed integer).
    Int => "int",
    /// KQL `real` (IEEE 754 double).
    Real => "real",
    /// KQL `bool`.
    Bool => "bool",
    /// KQL `datetime` (UTC, 100 ns ticks, years 0001..=9999).
    DateTime => "datetime",
    /// KQL `timespan` (signed 100 ns ticks).
    TimeSpan => "timespan",
    /// KQL `guid`.
    Guid => "guid",
    /// KQL `dynamic` (JSON-like: property bags, arrays, scalars).
    Dynamic => "dynamic",
}

/// Implements a capability trait for each listed type marker: without items
/// (`Trait: A, B`), or setting the trait's one associated type (`Trait::Assoc: A => X, B => Y`).
macro_rules! capability {
    ($tr:ident: $($ty:ident),* $(,)?) => {$(
        impl $tr for $ty {}
    )*};
    ($tr:ident::$assoc:ident: $($ty:ident => $value:ident),* $(,)?) => {$(
        impl $tr for $ty { type $assoc = $value; }
    )*};
}

/// Types whose values can be compared with `==` / `!=` / `in`. `dynamic` is excluded: KQL
/// rejects equality on `dynamic` without a cast (`tostring(d) == "x"`).
#[diagnostic::on_unimplemented(
    message = "KQL cannot compare `{Self}` values with `==`, `!=` or `in`",
    label = "`{Self}` values cannot be compared for equality",
    note = "`dynamic` values compare after a cast: `tostring(d) == \"x\"`, `toint(d[\"n\"]) == 5`"
)]
pub trait Equatable: KqlType {}
capability! { Equatable: String, Long, Int, Real, Bool, DateTime, TimeSpan, Guid }

/// Types with an order: `<`, `<=`, `>`, `>=`, `between`, `min`/`max`/`arg_max`, `bin`.
/// Strings are excluded on purpose: `between` does not accept them and a lexical `>` on a
/// string column is almost always a bug in a hunting query.
#[diagnostic::on_unimplemented(
    message = "KQL type `{Self}` has no order for `<`, `<=`, `>`, `>=` or `between`",
    label = "ordering needs a number, datetime or timespan",
    note = "compare strings with `eq`/`eq_ci` (`==`/`=~`), `has`, `startswith`, `matches_regex`...",
    note = "text that holds a date or a number: convert first with `todatetime(...)`, `tolong(...)` or `toreal(...)`"
)]
pub trait Ordered: Equatable {}
capability! { Ordered: Long, Int, Real, DateTime, TimeSpan }

/// Types `min`, `max`, `arg_min` and `arg_max` accept: the ordered types and, as KQL allows,
/// strings (compared lexically) and bools.
#[diagnostic::on_unimplemented(
    message = "KQL cannot take the minimum or maximum of `{Self}` values",
    label = "not an ordered type",
    note = "`min`/`max`/`arg_min`/`arg_max` take numbers, datetimes, timespans, strings and bools"
)]
pub trait Extremum: KqlType {}
capability! { Extremum: Long, Int, Real, DateTime, TimeSpan, String, Bool }

/// Numeric types (`sum`, `avg`, arithmetic).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a number",
    label = "KQL needs an int, long or real here",
    note = "convert text with `tolong(...)`/`toreal(...)`; count rows with `count()`/`countif(...)`"
)]
pub trait Numeric: Ordered {
    /// Result type of `sum()` over this type (KQL widens `int` sums to `long`).
    type Sum: KqlType;
}
capability! { Numeric::Sum: Long => Long, Int => Long, Real => Real }

/// Types that have a typed null literal (`long(null)`, `datetime(null)`, ...). `string` has
/// none: KQL strings are never null.
#[diagnostic::on_unimplemented(
    message = "KQL type `{Self}` has no null",
    label = "no typed null for this type",
    note = "KQL strings are never null: an absent string is empty (`is_empty()`)"
)]
pub trait Nullable: KqlType {}
capability! { Nullable: Long, Int, Real, Bool, DateTime, TimeSpan, Guid, Dynamic }

/// Types `bin()` can round, with the type of the bin size: `bin(Timestamp, 1h)`, `bin(Size, 1024)`.
#[diagnostic::on_unimplemented(
    message = "`bin()` cannot round `{Self}` values",
    label = "not a number, datetime or timespan"
)]
pub trait Binnable: Ordered {
    /// The type of the bin-size argument.
    type Size: KqlType;
}
capability! { Binnable::Size:
    DateTime => TimeSpan, TimeSpan => TimeSpan, Long => Long, Int => Long, Real => Real,
}

/// Declares the trait of a binary arithmetic operator: `L op R` is defined in KQL, with result
/// type `Output`. The compiler's message for an undefined pair names the operator.
macro_rules! arithmetic_operator_traits {
    ($($(#[doc = $doc:literal])* $tr:ident, message = $message:literal, label = $label:literal;)*) => {$(
        $(#[doc = $doc])*
        #[diagnostic::on_unimplemented(
            message = $message,
            label = $label,
            note = "datetime - datetime is a timespan, datetime ± timespan a datetime, numbers combine by promotion; convert with `tolong`/`todatetime`/`totimespan` when a value has the wrong type"
        )]
        pub trait $tr<R: KqlType>: KqlType {
            /// Result type.
            type Output: KqlType;
        }
    )*};
}

arithmetic_operator_traits! {
    /// `L + R` is defined in KQL, with this result type.
    AddTy, message = "KQL has no `{Self} + {R}`", label = "`+` is not defined for these types";
    /// `L - R` is defined in KQL, with this result type.
    SubTy, message = "KQL has no `{Self} - {R}`", label = "`-` is not defined for these types";
    /// `L * R` is defined in KQL, with this result type.
    MulTy, message = "KQL has no `{Self} * {R}`", label = "`*` is not defined for these types";
    /// `L / R` is defined in KQL, with this result type.
    DivTy, message = "KQL has no `{Self} / {R}`", label = "`/` is not defined for these types";
    /// `L % R` is defined in KQL, with this result type.
    RemTy, message = "KQL has no `{Self} % {R}`", label = "`%` is not defined for these types";
}

macro_rules! arith {
    ($tr:ident: $($l:ident, $r:ident => $o:ident;)*) => {$(
        impl $tr<$r> for $l { type Output = $o; }
    )*};
}

// Numeric promotion follows KQL: int op int = int, anything with long = long, with real = real.
macro_rules! numeric_arith {
    ($($tr:ident),*) => {$(
        arith! { $tr:
            Int, Int => Int; Int, Long => Long; Long, Int => Long; Long, Long => Long;
            Int, Real => Real; Real, Int => Real; Long, Real => Real; Real, Long => Real;
            Real, Real => Real;
        }
    )*};
}
numeric_arith!(AddTy, SubTy, MulTy, DivTy, RemTy);

arith! { AddTy:
    DateTime, TimeSpan => DateTime;
    TimeSpan, DateTime => DateTime;
    TimeSpan, TimeSpan => TimeSpan;
}
arith! { SubTy:
    DateTime, TimeSpan => DateTime;
    DateTime, DateTime => TimeSpan;
    TimeSpan, TimeSpan => TimeSpan;
}
arith! { MulTy:
    TimeSpan, Long => TimeSpan; TimeSpan, Int => TimeSpan; TimeSpan, Real => TimeSpan;
    Long, TimeSpan => TimeSpan; Int, TimeSpan => TimeSpan; Real, TimeSpan => TimeSpan;
}
arith! { DivTy:
    TimeSpan, TimeSpan => Real;
    TimeSpan, Long => TimeSpan; TimeSpan, Int => TimeSpan; TimeSpan, Real => TimeSpan;
}

/// A `dynamic` array whose elements are all `T` (an IOC list, `make_set(...)` of a column): a
/// `dynamic` to KQL, and also usable wherever a [`Dynamic`] is expected, but `in_` and
/// `has_any` check the element type against the column's.
pub struct Array<T>(
    std::convert::Infallible,
    std::marker::PhantomData<fn() -> T>,
);
impl<T: KqlType> sealed::Sealed for Array<T> {}
impl<T: KqlType> KqlType for Array<T> {
    const NAME: &'static str = "dynamic";
}
