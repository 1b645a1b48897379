//! The comparison operators spelled as words (`has`, `contains`, `in`, `between` ...), in one
//! place: the lexer glues the negatable ones to `!` (`!has`), the parser gives all of them the
//! comparison precedence.

/// Word operators that also come negated with `!` (`!has`, `!in~`, `!between` ...).
const NEGATABLE: &[&str] = &[
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "contains",
    "contains_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "in",
    "between",
    "matches",
    "has_any",
    "has_all",
];

/// Legacy spellings that have no `!` form.
const LEGACY: &[&str] = &[
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
    NEGATABLE.contains(&w)
}

/// Whether `w` is a word comparison operator.
pub(crate) fn is_word_operator(w: &str) -> bool {
    // Every word operator starts with one of these letters; most identifiers are ruled out at once.
    matches!(
        w.as_bytes().first(),
        Some(b'b' | b'c' | b'e' | b'h' | b'i' | b'l' | b'm' | b'n' | b's')
    ) && (NEGATABLE.contains(&w) || LEGACY.contains(&w))
}
