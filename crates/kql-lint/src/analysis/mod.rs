//! Shared analyses for the mission rules: [`time`] bounds a predicate puts on a table's time
//! column, [`paths`] the paths a read's rows take to a result (through `let` names and user
//! functions) with the bounds along each, [`rows`]: an upper bound on the rows a tabular
//! expression returns, and [`window`]: the time window of the rows reaching an operator (for
//! time-bin groups). All read names, tables and `let` values from the semantic model (through
//! [`crate::Checker`]).

pub mod paths;
pub mod rows;
pub mod time;
pub mod window;

pub use paths::*;
pub use rows::*;
pub use time::*;
pub use window::*;
