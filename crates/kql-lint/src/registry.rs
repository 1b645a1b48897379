//! The one list of rules, in code order. Each rule declares its own code, name, category,
//! default severity, fix availability and cost weight in its file (`declare_rule!`).

use kql_diagnostics::{Applicability, Diagnostic, Fix, Severity};

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

/// Which fixes a rule may attach: declared once, in the rule's header (see `declare_rule!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    /// The rule never attaches a fix.
    None,
    /// Some of the rule's fixes are safe (others may be unsafe).
    Safe,
    /// The rule attaches only unsafe fixes.
    Unsafe,
}

impl FixAvailability {
    /// Whether a rule declared with this availability may attach `fix`.
    pub fn allows(self, fix: Option<&Fix>) -> bool {
        match (self, fix.map(|f| f.applicability)) {
            (_, None) | (FixAvailability::Safe, Some(_)) => true,
            (FixAvailability::Unsafe, Some(a)) => a == Applicability::Unsafe,
            (FixAvailability::None, Some(_)) => false,
        }
    }
}

/// One registered rule: the metadata its file declares with `declare_rule!`.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// What one finding adds to a file's cost score (0: not about cost).
    pub weight: u32,
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

/// Every rule, in code order. Codes are stable: never reuse one. Each rule's metadata lives in
/// its own file; this list only says which rules exist.
pub static RULES: &[RuleMeta] = &[
    rules::time_beyond_retention::RULE,
    rules::unbounded_result::RULE,
    rules::row_limit_exceeded::RULE,
    rules::missing_time_filter::RULE,
    rules::contains_instead_of_has::RULE,
    rules::join_without_kind::RULE,
    rules::unscoped_search::RULE,
    rules::tolower_equality::RULE,
    rules::isnull_on_string::RULE,
    rules::has_ipv4_literal::RULE,
    rules::short_has_term::RULE,
    rules::format_datetime_in_predicate::RULE,
    rules::let_without_materialize::RULE,
    rules::process_id_without_creation_time::RULE,
    rules::render_not_last::RULE,
    rules::obsolete_function::RULE,
    rules::column_shadows_variable::RULE,
    rules::cross_cluster_reference::RULE,
    rules::unbounded_mv_expand::RULE,
    rules::regex_in_filter::RULE,
    rules::legacy_partition::RULE,
    rules::strlen_on_dynamic::RULE,
    rules::null_in_sum::RULE,
    rules::tobool_on_number::RULE,
    rules::stdev_of_timespan::RULE,
    rules::unbounded_sort::RULE,
    rules::optimized_alternative::RULE,
    rules::function_with_errors::RULE,
    rules::take_without_order::RULE,
    rules::unused_suppression::RULE,
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
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} listed before {}: keep code order",
                pair[0].code,
                pair[1].code
            );
        }
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

    #[test]
    fn fix_availability_allows_only_declared_kinds() {
        let safe = Fix::safe("s", vec![]);
        let unsafe_ = Fix::unsafe_("u", vec![]);
        for a in [
            FixAvailability::None,
            FixAvailability::Safe,
            FixAvailability::Unsafe,
        ] {
            assert!(a.allows(None));
        }
        assert!(!FixAvailability::None.allows(Some(&safe)));
        assert!(!FixAvailability::None.allows(Some(&unsafe_)));
        assert!(!FixAvailability::Unsafe.allows(Some(&safe)));
        assert!(FixAvailability::Unsafe.allows(Some(&unsafe_)));
        assert!(FixAvailability::Safe.allows(Some(&safe)));
        assert!(FixAvailability::Safe.allows(Some(&unsafe_)));
    }
}
