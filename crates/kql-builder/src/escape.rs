//! The one place where text is turned into KQL string literals and identifiers.
//!
//! Every literal and every identifier the builder emits goes through this module; nothing else
//! in the crate writes a quote character.

use std::fmt::Write as _;

/// A KQL string literal whose value is exactly `value`, for any Unicode input.
///
/// Form: a double-quoted literal (`"..."`), as in Microsoft's documentation queries. Escapes:
/// `\"`, `\\`, `\n`, `\r`, `\t`; every other control character (Unicode category Cc, which
/// includes NUL) and the line/paragraph separators U+2028, U+2029 plus U+FEFF as `\uXXXX`
/// (all of them are in the Basic Multilingual Plane, so four hex digits always suffice).
/// Everything else, including non-BMP characters, is written as itself: KQL text is Unicode.
///
/// Verbatim literals (`@"..."`) are never used: they cannot hold a newline, and one form is
/// easier to audit than two.
///
/// ```
/// assert_eq!(kql_builder::escape_string("it's \"x\"\n"), r#""it's \"x\"\n""#);
/// assert_eq!(kql_builder::escape_string("a\0b"), r#""a\u0000b""#);
/// ```
pub fn escape_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    write_string_literal(&mut out, value, '"');
    out
}

/// `value` as a literal delimited by `quote` (`"` or `'`), escaping as [`escape_string`] documents.
pub(crate) fn write_string_literal(out: &mut String, value: &str, quote: char) {
    out.push(quote);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                // `is_control` is category Cc: U+0000..U+001F and U+007F..U+009F, all BMP.
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Words that cannot be used as a bare column or table name somewhere in a query.
///
/// Measured with Microsoft's parser (Kusto.Language): each candidate was tried as a bare name in
/// `project X`, `extend X = 1`, `where X == 1`, `summarize count() by X` and `order by X desc`;
/// every word that failed in any position is here, plus the remaining query keywords (`let`,
/// `not`, `null`, `with`, `on`, `kind`, ...) so that a name never depends on its position.
/// Quoting more than necessary is harmless (`['count']` is the column `count`); quoting less is
/// a syntax error.
const KEYWORDS: &[&str] = &[
    "and",
    "as",
    "asc",
    "bagexpansion",
    "between",
    "boolean",
    "by",
    "contains",
    "contains_cs",
    "datatable",
    "date",
    "datetime",
    "decimal",
    "desc",
    "double",
    "dynamic",
    "endswith",
    "endswith_cs",
    "external_data",
    "externaldata",
    "false",
    "find",
    "first",
    "float",
    "has",
    "has_all",
    "has_any",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "in",
    "int",
    "int64",
    "invoke",
    "isfuzzy",
    "kind",
    "last",
    "let",
    "like",
    "likecs",
    "long",
    "macro-expand",
    "make-series",
    "materialize",
    "mv-apply",
    "mv-expand",
    "mvapply",
    "mvexpand",
    "not",
    "notcontains",
    "notcontains_cs",
    "notlike",
    "notlikecs",
    "null",
    "of",
    "on",
    "or",
    "parse-kv",
    "parse-where",
    "print",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "real",
    "sample",
    "sample-distinct",
    "search",
    "set",
    "startswith",
    "startswith_cs",
    "string",
    "time",
    "timespan",
    "title",
    "to",
    "top-hitters",
    "top-nested",
    "true",
    "typeof",
    "union",
    "uniqueid",
    "where",
    "with",
    "with_itemindex",
    "with_match_id",
    "with_source",
    "withsource",
];

/// Whether `name` can be written bare: an ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`) that is
/// not a keyword. Non-ASCII letters are quoted too: KQL accepts some, but a reader (and a
/// terminal) is better served by an explicit quote than by guessing.
pub(crate) fn is_bare_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with("__") // reserved by Kusto for internal names (`__id`, ...)
        && !is_keyword(name)
}

fn is_keyword(name: &str) -> bool {
    // Keywords are case-sensitive in KQL (`Last`, `Where`, `Project` are plain names, measured),
    // except the boolean literals, which Microsoft's parser reads in any case (`True`, `FALSE`).
    KEYWORDS.binary_search(&name).is_ok()
        || name.eq_ignore_ascii_case("true")
        || name.eq_ignore_ascii_case("false")
}

/// A KQL name (column, table, let name) for `name`: bare when it is a plain identifier and not a
/// keyword, otherwise the bracketed form `['...']` with the inside escaped like a string literal.
///
/// ```
/// assert_eq!(kql_builder::escape_identifier("FileName"), "FileName");
/// assert_eq!(kql_builder::escape_identifier("where"), "['where']");
/// assert_eq!(kql_builder::escape_identifier("Bob's col"), r"['Bob\'s col']");
/// ```
pub fn escape_identifier(name: &str) -> String {
    if is_bare_identifier(name) {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len() + 4);
    out.push('[');
    write_string_literal(&mut out, name, '\'');
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_table_is_sorted_and_lowercase() {
        let mut sorted = KEYWORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted, KEYWORDS,
            "KEYWORDS must stay sorted and unique (binary search)"
        );
        assert!(KEYWORDS.iter().all(|k| k.to_ascii_lowercase() == *k));
    }

    #[test]
    fn strings() {
        assert_eq!(escape_string(""), r#""""#);
        assert_eq!(escape_string("plain"), r#""plain""#);
        assert_eq!(escape_string(r"C:\Windows"), r#""C:\\Windows""#);
        assert_eq!(escape_string("'''"), r#""'''""#);
        assert_eq!(escape_string("\"\"\""), r#""\"\"\"""#);
        assert_eq!(escape_string("a\r\n\tb"), r#""a\r\n\tb""#);
        assert_eq!(
            escape_string("\u{1}\u{7f}\u{85}"),
            r#""\u0001\u007f\u0085""#
        );
        assert_eq!(escape_string("\u{2028}"), r#""\u2028""#);
        assert_eq!(escape_string("é😀"), "\"é😀\"");
    }

    #[test]
    fn identifiers() {
        for bare in ["Timestamp", "_x", "a1", "DeviceId", "Count_"] {
            assert_eq!(escape_identifier(bare), bare);
        }
        assert_eq!(escape_identifier("and"), "['and']");
        assert_eq!(escape_identifier("AND"), "AND");
        assert_eq!(escape_identifier("Last"), "Last");
        assert_eq!(escape_identifier("True"), "['True']");
        assert_eq!(escape_identifier("FALSE"), "['FALSE']");
        assert_eq!(escape_identifier("project-away"), "['project-away']");
        assert_eq!(escape_identifier("1a"), "['1a']");
        assert_eq!(escape_identifier(""), "['']");
        assert_eq!(escape_identifier("a b"), "['a b']");
        assert_eq!(escape_identifier("__id"), "['__id']");
        assert_eq!(escape_identifier("é"), "['é']");
        assert_eq!(escape_identifier("x'\"\n"), r#"['x\'"\n']"#);
    }
}
