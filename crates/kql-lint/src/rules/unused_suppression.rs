use super::prelude::*;

declare_rule! {
    /// Suppression comment that suppresses nothing.
    ///
    /// ## What it does
    /// Reports a `// kql-lint: disable-next-line ...` or `// kql-lint: disable-file ...` entry that matched no finding, or names an unknown rule.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide future findings and mislead readers.
    ///
    /// ## Example
    /// ```kql
    /// // kql-lint: disable-next-line unbounded-result
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// delete the comment
    /// ```
    ///
    /// ## Fix safety
    /// No fix.
    pub struct UnusedSuppression { code: "AH900", name: "unused-suppression", category: Meta, severity: Warning, fix: None, weight: 0 }
}

/// Reported by the suppression pass itself ([`crate::suppress`]), not here.
pub fn check(_cx: &Checker) -> Vec<Diagnostic> {
    Vec::new()
}
