//! One file per rule. Each declares its documented struct with [`declare_rule!`]: the doc comment
//! becomes the rule's documentation (printed by `kql rule NAME`), the header fields its metadata,
//! and the macro makes the file's `RULE` (a [`crate::RuleMeta`] whose `check` is the file's
//! `check` function) that the registry lists.

/// ```ignore
/// declare_rule! {
///     /// doc comment: the rule's documentation
///     pub struct UnboundedSort { code: "AH122", name: "unbounded-sort", category: Performance, severity: Info, fix: None, weight: 3 }
/// }
/// ```
/// The header stays on one line: all of a rule's metadata reads as one row, and the rule files
/// do not repeat a multi-line header shape.
/// `category` is a [`crate::Category`], `severity` a [`kql_diagnostics::Severity`] (the
/// default), `fix` a [`crate::FixAvailability`] (the only place fix availability is stated;
/// the lint driver asserts in debug builds that every fix the rule attaches fits it), `weight`
/// the rule's share of a file's cost score (`kql lint --max-cost`).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            category: $category:ident,
            severity: $severity:ident,
            fix: $fix:ident,
            weight: $weight:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug)]
        pub struct $name;
        /// The rule's documentation (its doc comment).
        pub const DOC: &str = concat!($($doc, "\n"),*);
        /// The rule's entry in [`crate::registry::RULES`].
        pub const RULE: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
            code: $code,
            name: $rule_name,
            category: $crate::registry::Category::$category,
            severity: ::kql_diagnostics::Severity::$severity,
            fix: $crate::registry::FixAvailability::$fix,
            weight: $weight,
            doc: DOC,
            check,
        };
    };
}

pub(crate) mod prelude {
    pub(crate) use super::time_reads;
    pub use crate::analysis::*;
    pub use crate::checker::*;
    pub use kql_diagnostics::{Diagnostic, Fix, TextEdit, TextRange};
    pub use kql_syntax::{SyntaxKind, SyntaxNode};
}

pub mod column_shadows_variable;
pub mod contains_instead_of_has;
pub mod cross_cluster_reference;
pub mod format_datetime_in_predicate;
pub mod function_with_errors;
pub mod has_ipv4_literal;
pub mod isnull_on_string;
pub mod join_without_kind;
pub mod legacy_partition;
pub mod let_without_materialize;
pub mod missing_time_filter;
pub mod null_in_sum;
pub mod obsolete_function;
pub mod optimized_alternative;
pub mod process_id_without_creation_time;
pub mod regex_in_filter;
pub mod render_not_last;
pub mod row_limit_exceeded;
pub mod short_has_term;
pub mod stdev_of_timespan;
pub mod strlen_on_dynamic;
pub mod take_without_order;
pub mod time_beyond_retention;
pub mod tobool_on_number;
pub mod tolower_equality;
pub mod unbounded_mv_expand;
pub mod unbounded_result;
pub mod unbounded_sort;
pub mod unscoped_search;
pub mod unused_suppression;

use crate::Checker;

/// Every read of rows with a time column, with its time column and the intervals along each
/// path to a result ([`crate::analysis::time_reads`]), computed once for the time rules.
pub(crate) fn time_reads<'c>(cx: &'c Checker) -> &'c [crate::checker::TimeRead] {
    cx.time_reads
        .get_or_init(|| crate::analysis::time_reads(cx))
}
