//! A typed builder for KQL as used in Microsoft Defender Advanced Hunting.
//!
//! ```
//! use kql_builder::tables::DeviceProcessEvents as P;
//!
//! let q = P::query()
//!     .where_(P::InitiatingProcessFileName.eq_ci("powershell.exe"))
//!     .project((P::Timestamp, P::FileName, P::InitiatingProcessFileName))
//!     .order_by(P::Timestamp.desc())
//!     .limit(2);
//! assert_eq!(
//!     q.to_kql(),
//!     "DeviceProcessEvents\n| where InitiatingProcessFileName =~ \"powershell.exe\"\n\
//!      | project Timestamp, FileName, InitiatingProcessFileName\n| order by Timestamp desc\n| limit 2"
//! );
//! ```
//!
//! # Types
//! [`Expr<T>`] and [`Column<T>`] carry a KQL type as a marker from [`types`] (after diesel): string
//! operators (`has`, `contains`, `=~` as [`eq_ci`](Expr::eq_ci), ...) exist only on strings,
//! ordering (`gt`, `between`, ...) only on numbers, datetimes and timespans, `and`/`or` only on
//! bools, arithmetic has KQL's result types (`datetime - timespan` is a `datetime`,
//! `datetime - datetime` a `timespan`), [`Query::where_`] accepts only a `bool`, and aggregates
//! ([`Agg<T>`]) only appear in `summarize`. A query that KQL would reject for these reasons does
//! not compile (see `tests/compile_fail`). Which *table* a column belongs to is not tracked.
//!
//! # Text
//! - **Parentheses** come from precedence only (after sea-query). KQL's binary precedence,
//!   tightest first: unary `-`; `*` `/` `%`; `+` `-`; comparisons and string operators (`==`,
//!   `<`, `has`, `in`, `between`, ...; these do not chain, so a comparison inside a comparison is
//!   parenthesized); `and`; `or`. `not` is a function in KQL (`not(x)`).
//! - **Names** are written bare when they are ASCII identifiers and not keywords, otherwise as
//!   `['name']` ([`escape_identifier`]). The keyword list was measured with Microsoft's parser.
//! - **Strings** are `"..."` with backslash escapes; control characters as `\uXXXX`
//!   ([`escape_string`]). All literal text is produced in two modules (`escape`, `value`).
//! - **Literals**: `long` `5`, `int` `int(5)` (KQL has no int literal), `real` shortest
//!   round-trip (`0.1`, `1e300`, `real(nan)`, `real(+inf)`), `datetime` to the tick
//!   (`datetime(2024-01-02T03:04:05.1234567Z)`), `timespan` in the largest exact unit (`7d`,
//!   `5microseconds`, never a rounded fraction), `guid(...)`, `dynamic(<JSON>)`, typed nulls
//!   (`long(null)`) from `None`.
//! - **Layout**: `let` statements, then the source, then one `| operator` per line; nested
//!   queries on one line in parentheses. `join` and `lookup` always spell out `kind=`.
//! - **`let` names** are unique in a query: a binding travels with the expressions and
//!   subqueries that use it, and a second, different binding of a name is written as
//!   `name_2` ([`Lets`]), so two joined subqueries each keep their own `since`.
//!
//! # Lists, subqueries, functions, results
//! - `in_`, `not_in`, `in_ci`, `has_any`, `has_all` take values, a typed `let` array
//!   ([`Lets::array`]), a `dynamic`, or a one-column [`Subquery`] ([`Query::select`]).
//! - [`functions`]: typed wrappers generated from the function catalog `kql check` uses.
//! - [`results`]: result rows read by builder column, values converted back into literals.
//! - **Escape hatches** ([`Query::raw`], [`Query::raw_operator`], [`Expr::raw`]) are parsed with
//!   `kql_syntax` and rejected when they have syntax errors.
//!
//! # Features
//! - `lint`: [`Query::check`] (syntax and semantic checks against the built-in or a given
//!   schema), [`Query::lint`] (the same diagnostics `kql lint` gives for the emitted text) and
//!   [`Query::checked_graph_request`] (refuses a query or window the linter flags, such as a
//!   45-day `Timespan`), in [`check`].

extern crate self as kql_builder;

mod agg;
#[cfg(feature = "lint")]
pub mod check;
pub mod codegen;
mod escape;
mod expr;
pub mod functions;
mod items;
mod lets;
mod list;
mod methods;
mod operators;
mod query;
pub mod results;
pub mod tables;
pub mod types;
mod value;

pub use agg::{
    arg_max, arg_min, avg, count, countif, dcount, dcountif, make_list, make_list_max, make_set,
    make_set_max, max, min, percentile, sum, sumif, take_any, Agg, AggItem,
};
pub use escape::{escape_identifier, escape_string};
pub use expr::{
    ago, bin, extract, iff, lit, not, now, parse_json, startofday, strcat, tobool, todatetime,
    toguid, toint, tolong, toreal, tostring, totimespan, AliasName, Column, ColumnName, Expr,
    IntoExpr, JoinSide, Named, Rename, SortKey, TypedExpr,
};
pub use functions::toscalar;
pub use items::Items;
pub use kql_hunting_api::{Guid, RunHuntingQueryRequest, RunQueryRequest, Timespan, UtcDateTime};
pub use lets::Lets;
pub use list::{array, ArrayElement, InList, Subquery};
pub use operators::{BagExpansion, ColumnDecl, MakeSeries, MakeSeriesOn, MvExpand, TopNested};
pub use query::{materialize, JoinKind, JoinOn, LookupKind, ParsePattern, Query, RawError};
pub use value::{
    days, hours, micros, millis, minutes, seconds, ticks, DateTimeValue, GuidValue, TimeSpanValue,
    ValueError,
};

/// A table known at compile time (implemented by generated code, see [`codegen`]).
pub trait Table {
    /// KQL table name.
    const NAME: &'static str;
    /// The column the table is filtered on by time, if any.
    const TIME_COLUMN: Option<&'static str>;
    /// `(name, KQL type)` of every column, in schema order.
    const COLUMNS: &'static [(&'static str, &'static str)];
}
