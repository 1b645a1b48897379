//! Shared analyses for the mission rules: [`time`] bounds a predicate puts on a table's time
//! column, [`paths`] the paths a read's rows take to a result (through `let` names and user
//! functions) with the bounds along each, and [`rows`]: an upper bound on the rows a tabular
//! expression returns. All read names, tables and `let` values from the semantic model (through
//! [`crate::Checker`]).

pub mod paths;
pub mod rows;
pub mod time;

pub use paths::*;
pub use rows::*;
pub use time::*;
