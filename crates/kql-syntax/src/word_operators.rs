//! The comparison operators spelled as words (`has`, `contains`, `in`, `between` ...), in one
//! place: the lexer glues the negatable ones to `!` (`!has`), the parser gives all of them the
//! comparison precedence, and the linter reads the `has` family.

/// The `has` family, which match whole terms (Kusto's term index serves them), with their
/// case-sensitive forms. All come negated with `!` too (`!has`, `!has_any`).
pub const HAS_WORDS: &[&str] = &[
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "has_any",
    "has_all",
];

/// The other word operators that also come negated with `!` (`!contains`, `!in`, `!between` ...).
pub const OTHER_NEGATABLE_WORDS: &[&str] = &[
    "contains",
    "contains_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "in",
    "between",
    "matches",
];

/// Legacy spellings that have no `!` form.
pub const LEGACY_WORDS: &[&str] = &[
    "containscs",
    "notcontains",
    "notcontainscs",
    "like",
    "notlike",
    "likecs",
    "notlikecs",
    "notbetween",
];

/// Whether `!w` is one operator token.
pub(crate) fn is_negatable(w: &str) -> bool {
    HAS_WORDS.contains(&w) || OTHER_NEGATABLE_WORDS.contains(&w)
}

/// Whether `w` is a word comparison operator.
pub(crate) fn is_word_operator(w: &str) -> bool {
    // Every word operator starts with one of these letters; most identifiers are ruled out at once.
    matches!(
        w.as_bytes().first(),
        Some(b'b' | b'c' | b'e' | b'h' | b'i' | b'l' | b'm' | b'n' | b's')
    ) && (is_negatable(w) || LEGACY_WORDS.contains(&w))
}
