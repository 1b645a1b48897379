//! Shared analyses for the mission rules: [`time`] bounds on a table's time column along every
//! path its rows take to a result, and [`rows`]: an upper bound on the rows a tabular expression
//! returns. Both read names, tables and `let` values from the semantic model (through
//! [`crate::Checker`]).

pub mod rows;
pub mod time;

pub use rows::*;
pub use time::*;
