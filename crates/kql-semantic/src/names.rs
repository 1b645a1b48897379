//! Name text: re-exported from [`kql_syntax::names`], where the one implementation lives (kept
//! here so existing `kql_semantic::names::*` paths keep working).

pub use kql_syntax::names::{call_name, name_ref_text, name_text};
