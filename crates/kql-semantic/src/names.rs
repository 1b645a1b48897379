//! Name text: re-exported from [`kql_syntax::names`], where the one implementation lives (kept
//! here so existing `kql_semantic::names::*` paths keep working).

pub use kql_syntax::names::{call_name, call_name_str, name_ref_text, name_str, name_text};
