//! The one table of rules: stable code ↔ kebab-case name ↔ category ↔ default severity.

use kql_diagnostics::{Diagnostic, Severity};

use crate::rules;
use crate::Checker;

/// What a rule is about; usable in `select`/`ignore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// The query silently returns less than it asks for (API limits).
    Correctness,
    /// The query is slower or costlier than it needs to be.
    Performance,
    /// The query is likely to mean something other than what it says.
    Suspicious,
    /// Lint machinery itself (suppressions).
    Meta,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Performance => "performance",
            Category::Suspicious => "suspicious",
            Category::Meta => "meta",
        }
    }
}

/// One registered rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Whether the rule can attach a fix (`Some(true)` safe, `Some(false)` unsafe only).
    pub fix: Option<bool>,
    /// Markdown documentation: the rule file's doc comment.
    pub doc: &'static str,
    pub check: fn(&Checker) -> Vec<Diagnostic>,
}

impl RuleMeta {
    /// The first line of the documentation.
    pub fn summary(&self) -> &'static str {
        self.doc
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    }

    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn documentation(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Whether `selector` (a rule name, code, code prefix, category or `all`) picks this rule.
    pub fn matches(&self, selector: &str) -> bool {
        let s = selector.trim();
        s.eq_ignore_ascii_case("all")
            || s == self.name
            || s.eq_ignore_ascii_case(self.code)
            || s.eq_ignore_ascii_case(self.category.as_str())
            || (s.len() >= 2
                && s.chars().all(|c| c.is_ascii_alphanumeric())
                && self
                    .code
                    .to_ascii_uppercase()
                    .starts_with(&s.to_ascii_uppercase()))
    }
}

macro_rules! rule {
    ($code:literal, $name:literal, $cat:ident, $sev:ident, $fix:expr, $module:ident) => {
        RuleMeta {
            code: $code,
            name: $name,
            category: Category::$cat,
            severity: Severity::$sev,
            fix: $fix,
            doc: rules::$module::DOC,
            check: rules::$module::check,
        }
    };
}

/// Every rule, in code order. Codes are stable: never reuse one.
pub static RULES: &[RuleMeta] = &[
    rule!(
        "AH001",
        "time-beyond-retention",
        Correctness,
        Warning,
        None,
        time_beyond_retention
    ),
    rule!(
        "AH002",
        "unbounded-result",
        Correctness,
        Warning,
        Some(false),
        unbounded_result
    ),
    rule!(
        "AH003",
        "row-limit-exceeded",
        Correctness,
        Warning,
        Some(false),
        row_limit_exceeded
    ),
    rule!(
        "AH004",
        "missing-time-filter",
        Performance,
        Warning,
        None,
        missing_time_filter
    ),
    rule!(
        "AH101",
        "contains-instead-of-has",
        Performance,
        Info,
        Some(false),
        contains_instead_of_has
    ),
    rule!(
        "AH102",
        "join-without-kind",
        Suspicious,
        Warning,
        Some(true),
        join_without_kind
    ),
    rule!(
        "AH103",
        "unscoped-search",
        Performance,
        Warning,
        None,
        unscoped_search
    ),
    rule!(
        "AH104",
        "tolower-equality",
        Performance,
        Info,
        Some(true),
        tolower_equality
    ),
    rule!(
        "AH105",
        "isnull-on-string",
        Suspicious,
        Warning,
        Some(false),
        isnull_on_string
    ),
    rule!(
        "AH106",
        "has-ipv4-literal",
        Performance,
        Info,
        Some(false),
        has_ipv4_literal
    ),
    rule!(
        "AH107",
        "short-has-term",
        Performance,
        Info,
        None,
        short_has_term
    ),
    rule!(
        "AH108",
        "format-datetime-in-predicate",
        Performance,
        Info,
        None,
        format_datetime_in_predicate
    ),
    rule!(
        "AH109",
        "let-without-materialize",
        Performance,
        Info,
        Some(true),
        let_without_materialize
    ),
    rule!(
        "AH110",
        "process-id-without-creation-time",
        Suspicious,
        Warning,
        None,
        process_id_without_creation_time
    ),
    rule!(
        "AH111",
        "render-not-last",
        Suspicious,
        Warning,
        None,
        render_not_last
    ),
    rule!(
        "AH112",
        "obsolete-function",
        Suspicious,
        Warning,
        Some(true),
        obsolete_function
    ),
    rule!(
        "AH113",
        "column-shadows-variable",
        Suspicious,
        Warning,
        None,
        column_shadows_variable
    ),
    rule!(
        "AH114",
        "cross-cluster-reference",
        Correctness,
        Warning,
        None,
        cross_cluster_reference
    ),
    rule!(
        "AH115",
        "unbounded-mv-expand",
        Performance,
        Info,
        Some(false),
        unbounded_mv_expand
    ),
    rule!(
        "AH116",
        "regex-in-filter",
        Performance,
        Info,
        None,
        regex_in_filter
    ),
    rule!(
        "AH117",
        "legacy-partition",
        Performance,
        Info,
        None,
        legacy_partition
    ),
    rule!(
        "AH118",
        "strlen-on-dynamic",
        Performance,
        Info,
        None,
        strlen_on_dynamic
    ),
    rule!(
        "AH119",
        "null-in-sum",
        Suspicious,
        Warning,
        None,
        null_in_sum
    ),
    rule!(
        "AH120",
        "tobool-on-number",
        Suspicious,
        Warning,
        None,
        tobool_on_number
    ),
    rule!(
        "AH121",
        "stdev-of-timespan",
        Suspicious,
        Info,
        None,
        stdev_of_timespan
    ),
    rule!(
        "AH122",
        "unbounded-sort",
        Performance,
        Info,
        None,
        unbounded_sort
    ),
    rule!(
        "AH123",
        "optimized-alternative",
        Performance,
        Info,
        Some(false),
        optimized_alternative
    ),
    rule!(
        "AH900",
        "unused-suppression",
        Meta,
        Warning,
        None,
        unused_suppression
    ),
];

/// The rule with this kebab-case name or code.
pub fn by_name(name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .find(|r| r.name == name || r.code.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_consistent() {
        let mut codes = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for r in RULES {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert!(
                r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                r.name
            );
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix safety",
            ] {
                assert!(r.doc.contains(section), "{} lacks `{section}`", r.name);
            }
            assert!(std::ptr::eq(by_name(r.name).unwrap(), r));
            assert!(std::ptr::eq(by_name(r.code).unwrap(), r));
        }
    }
}
