//! Tables, columns and types for KQL analysis, and the catalog of built-in KQL functions.
//!
//! The crate knows nothing of syntax: it answers "is there a table `T`?", "what type is column
//! `c`?", "how many arguments does `strcat` take and what does it return?".
//!
//! * [`Schema::advanced_hunting`]: the Microsoft Defender Advanced Hunting schema, built in.
//! * [`Schema::load_file`]: a user schema file (formats below), to [`Schema::merge`] on top.
//! * [`FunctionCatalog::builtin`]: every scalar, aggregation, window and graph function and
//!   `evaluate` plugin Microsoft's analyzer knows, with overloads, parameters and result types.
//! * [`render_table_list`] / [`render_table`]: text for a `kql schema [TABLE]` command.
//!
//! Name lookups are case-sensitive, as in KQL; `suggest` methods find the closest name
//! (case-insensitive edit distance) for "did you mean".
//!
//! # User schema formats
//!
//! [`Schema::load_file`] picks the format from the extension (`.toml`; `.kql` / `.csl` /
//! `.kusto` / `.txt` are Kusto schema text) and otherwise from the content. Every problem is a
//! [`SchemaError`] with the path, and a 1-based line and column when one is known.
//!
//! ## kqlkit JSON (the built-in schema is written in it)
//!
//! ```json
//! {
//!   "tables": [
//!     { "name": "MyEvents",
//!       "time_column": "EventTime",
//!       "columns": [ { "name": "EventTime", "type": "datetime" },
//!                    { "name": "User", "type": "string" } ] },
//!     { "name": "Inventory", "time_column": null,
//!       "columns": [ { "name": "Host", "type": "string" } ] }
//!   ],
//!   "functions": [
//!     { "name": "RecentLogons",
//!       "parameters": [ { "name": "lookback", "type": "timespan", "default": "1d" } ],
//!       "body": "DeviceLogonEvents | where Timestamp > ago(lookback)",
//!       "columns": [ { "name": "DeviceName", "type": "string" } ] }
//!   ],
//!   "renamed": [ { "old": "Inventory", "new": "Assets" } ]
//! }
//! ```
//!
//! * `time_column` absent: `Timestamp`, else `TimeGenerated`, when the table has it as a
//!   `datetime` column (the Advanced Hunting and Sentinel conventions); `null`, `false` or `""`:
//!   no time column (a snapshot table). A named time column must exist and be `datetime`.
//! * Types are KQL names or aliases or .NET names ([`ScalarType::parse`]); an unknown type name is
//!   an error, never a silent `dynamic`.
//! * Parameter types are scalar type names or `tabular` / `(*)` for a table parameter (the first
//!   parameter of a function called with `invoke`). `default` is KQL text and makes the
//!   parameter optional. `body` and `columns` are optional.
//! * `tables` may instead be a map `{"T": {"col": "type", ...}}` (a Kusto database schema dump).
//! * Unknown keys are errors, so a typo such as `colums` is reported rather than ignored.
//!
//! ## kqlkit TOML: the same structure
//!
//! ```toml
//! [[tables]]
//! name = "MyEvents"
//! columns = [ { name = "TimeGenerated", type = "datetime" }, { name = "User", type = "string" } ]
//!
//! [[tables]]
//! name = "Inventory"
//! time_column = false
//! columns = [ { name = "Host", type = "string" } ]
//!
//! [[functions]]
//! name = "RecentLogons"
//! parameters = [ { name = "lookback", type = "timespan", default = "1d" } ]
//! body = "DeviceLogonEvents | where Timestamp > ago(lookback)"
//! ```
//!
//! ## Microsoft Sentinel table files
//!
//! `{"Name": "SigninLogs", "Properties": [{"Name": "TimeGenerated", "Type": "datetime"}]}`, or
//! an array of such objects. Other keys are ignored.
//!
//! ## Kusto table-schema text (`.kql`, `.csl`, `.kusto`, `.txt`)
//!
//! ```text
//! // one table per entry; a `:` after the name and a `.create table` prefix are accepted
//! MyEvents (TimeGenerated:datetime, User:string)
//! Other: (['Column with space']:long, Payload:dynamic)
//! ```
//!
//! A bare `(a:string, b:long)` names the table after the file stem; in code use
//! [`Table::from_kusto_schema`].
//!
//! ## Kusto control commands (`.show database schema as csl script`)
//!
//! The same text format also reads `.create[-merge] table T (…) with (…)` and
//! `.create[-or-alter] function [with (…)] F(a:string, t:(*), n:long = 5) { body }`; other
//! commands (policies, principals, materialized views) are skipped up to the next line that
//! starts with `.`.
//!
//! ## `.show database schema as json`
//!
//! The raw JSON (`{"Databases": {"db": {"Tables": …, "Functions": …}}}`), or the saved result
//! of the command: a REST v1 response (`{"Tables": [{"Columns": …, "Rows": …}]}`), REST v2
//! frames, or an array of row objects, whose `DatabaseSchema` cell holds the JSON. Tables and
//! materialized views become tables; stored functions keep parameters (tabular ones included),
//! defaults, bodies, descriptions and declared output columns. External tables are left out.
//!
//! ## The simple table map
//!
//! `{"MyEvents": [{"name": "TimeGenerated", "type": "datetime"}, …], "Other": […]}`.
//!
//! ## `.show tables details`
//!
//! Its saved result (JSON as above, or a CSV export with a header row): table sizes only
//! (`TotalRowCount`, `TotalExtentSize`, `TotalOriginalSize`), in [`Schema::table_stats`], for
//! cost estimates. Give it together with a file that has the columns.
//!
//! ## Saved Advanced Hunting API responses
//!
//! `{"Schema": [{"Name": "Timestamp", "Type": "DateTime"}], "Results": [...]}` or the bare
//! `Schema` array. The table is named after the file stem; .NET type names are mapped.
//!
//! # Function catalog
//!
//! `data/kusto_functions.txt` is generated from Microsoft's Kusto.Language by
//! `scripts/gen_catalog.js` (facts only: names, parameters, result types); `data/functions.txt`
//! is kqlkit's overlay (window and graph kinds, result rules Kusto computes in code, functions
//! newer than the pinned package). See [`catalog`] for the line format and how to regenerate.
//!
//! What editors read from it (all plain data, no LSP types):
//! * [`FunctionCatalog::iter`] for completion: [`FunctionSig::kind`] says where a function may
//!   be used (aggregates only in `summarize`, plugins only after `evaluate`);
//!   [`FunctionSig::hidden`] functions are valid but should not be offered.
//! * [`FunctionSig::signatures`] for hover and signature help: one [`Signature`] per overload,
//!   [`Signature::label`] its text, [`Param::repetition`] how often a parameter may be given,
//!   [`FunctionSig::signature_for`] the active overload for the argument types so far, and
//!   [`Signature::param_for`] the active parameter (repeated parameters repeat as a group).
//! * [`FunctionSig::deprecated_by`] / [`FunctionSig::obsolete`] for strike-through and fixes.
//!
//! Microsoft's package carries no function descriptions, so the catalog has none.
//!
//! Stored functions that belong to a schema (Advanced Hunting's `FileProfile`,
//! `DeviceFromIP`, `AssignedIPAddresses`) are [`Function`]s of the [`Schema`], not catalog
//! entries.

pub mod catalog;
mod error;
mod load;
mod model;
mod render;
mod suggest;
mod types;

pub use catalog::{
    ArgType, CatalogError, FunctionCatalog, FunctionKind, FunctionSig, Param, ReturnRule, Signature,
};
pub use error::{SchemaError, SchemaErrorKind};
pub use load::SchemaFormat;
pub use model::{Column, Function, ParamType, Parameter, Schema, Table, TableStats};
pub use render::{render_table, render_table_list};
pub use suggest::suggest;
pub use types::ScalarType;
