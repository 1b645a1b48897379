//! The codes the parser and the semantic checker report (`KQL0xx`, `KQL2xx`), and those of host
//! files whose embedded queries cannot be read (`EMB0xx`), documented in one table so that they
//! are as first-class as lint rules: selectable in `--select`/`--ignore` and `kql.toml`,
//! suppressible inline (the `KQL` codes: suppression comments live in queries), listed by
//! `kql rule`, and described in SARIF.

/// One checker code: what `kql rule CODE` prints and SARIF's rule entry.
#[derive(Debug, Clone, Copy)]
pub struct CodeDoc {
    pub code: &'static str,
    /// Kebab-case name, like a lint rule's.
    pub name: &'static str,
    /// `syntax`, `semantic`, `input` or `host` (a YAML/JSON file holding queries).
    pub category: &'static str,
    /// One sentence: what the code reports.
    pub summary: &'static str,
    /// Why it matters and what to do about it.
    pub details: &'static str,
}

/// Every code reported outside the lint rules, in code order.
pub const CHECKER_CODES: &[CodeDoc] = &[
    CodeDoc { code: "EMB001", name: "invalid-yaml", category: "host",
        summary: "A YAML file that should hold queries is not valid YAML.",
        details: "Reported at the YAML parser's error, once for the file, instead of its queries: none of them was checked. Reported for a file named on the command line, or found in a folder when it has a line starting with a query key (`query:`). Fix the YAML (an unclosed quote, a bad indentation, a `: ` in a plain scalar); `--ignore EMB001` hides the finding, not the problem." },
    CodeDoc { code: "EMB002", name: "yaml-tab-indentation", category: "host",
        summary: "A YAML file that should hold queries is indented with a tab.",
        details: "YAML forbids tabs in indentation, so the file cannot be read and none of its queries was checked. Reported at the first tab of the line the parser stopped on. Indent with spaces (a tab inside a block scalar's text, after the indentation, is fine)." },
    CodeDoc { code: "EMB003", name: "invalid-json", category: "host",
        summary: "A JSON file that should hold queries is not valid JSON.",
        details: "Reported at the JSON parser's error, once for the file, instead of its queries: none of them was checked. Comments and trailing commas are accepted (ARM templates use them). Reported for a file named on the command line, or found in a folder when its text has a query key (`\"query\"`)." },
    CodeDoc { code: "KQL000", name: "unreadable-file", category: "input",
        summary: "The file cannot be read as UTF-8 text (binary, invalid UTF-8 or UTF-16).",
        details: "Kusto query files are UTF-8. The file is reported once and skipped; every other file is still checked. Re-save it as UTF-8 (a byte-order mark is fine)." },
    CodeDoc { code: "KQL001", name: "expected-syntax", category: "syntax",
        summary: "Something the grammar requires is missing here.",
        details: "The parser expected a token or an expression (a name, an operator, `)`...) and did not find it. The query would be rejected by the service." },
    CodeDoc { code: "KQL002", name: "unclosed-bracket", category: "syntax",
        summary: "A bracket is opened and never closed.",
        details: "The label shows where the bracket was opened. Close it, or remove it." },
    CodeDoc { code: "KQL003", name: "unexpected-tokens", category: "syntax",
        summary: "Tokens that do not fit the grammar were skipped.",
        details: "Parsing resumed at the next `|`, `;` or closing bracket; the skipped text is not part of the query's meaning." },
    CodeDoc { code: "KQL004", name: "nesting-too-deep", category: "syntax",
        summary: "Brackets or operators nest deeper than kqlkit follows.",
        details: "Reported once instead of overflowing the stack. Such a query is beyond what the service accepts too; flatten it." },
    CodeDoc { code: "KQL005", name: "unterminated-literal", category: "syntax",
        summary: "A string or raw guid literal has no end.",
        details: "Close the literal with its quote; everything after it was read as part of the literal." },
    CodeDoc { code: "KQL007", name: "reserved-keyword-as-name", category: "syntax",
        summary: "A reserved keyword is used as a name.",
        details: "Quote the name as `['name']` to use a keyword as a column or variable name." },
    CodeDoc { code: "KQL008", name: "unknown-type-name", category: "syntax",
        summary: "A type name that Kusto does not know.",
        details: "Scalar types are bool, datetime, decimal, dynamic, guid, int, long, real, string and timespan." },
    CodeDoc { code: "KQL010", name: "control-command", category: "syntax",
        summary: "A control command (text starting with `.`): valid Kusto that Advanced Hunting does not run.",
        details: "The hunting API runs queries only; `.show`, `.create` and the like are refused by the service." },
    CodeDoc { code: "KQL201", name: "unknown-table", category: "semantic",
        summary: "A table that is not in the schema.",
        details: "Check the spelling (a close name is suggested), or add the table with `--schema FILE`." },
    CodeDoc { code: "KQL202", name: "unknown-column", category: "semantic",
        summary: "A column that is not in scope at this point of the pipeline.",
        details: "Columns in scope change after `project`, `summarize`, `extend` and joins. Check the spelling (a close name is suggested) or the operator that dropped the column." },
    CodeDoc { code: "KQL203", name: "unknown-function", category: "semantic",
        summary: "A function that is neither built in nor defined with `let`.",
        details: "Check the spelling (a close name is suggested)." },
    CodeDoc { code: "KQL204", name: "wrong-argument-count", category: "semantic",
        summary: "A function is called with too few or too many arguments.",
        details: "The message gives the counts the function accepts." },
    CodeDoc { code: "KQL205", name: "non-boolean-predicate", category: "semantic",
        summary: "A `where` predicate that is not boolean.",
        details: "`where` keeps rows whose predicate is true; a string or number predicate is an error in Kusto." },
    CodeDoc { code: "KQL206", name: "renamed-table", category: "semantic",
        summary: "A table that Advanced Hunting renamed; the old name is deprecated.",
        details: "Fix (safe): the new name replaces the old one. `kql lint --fix` applies it." },
    CodeDoc { code: "KQL207", name: "unknown-graph", category: "semantic",
        summary: "A graph reference that is not defined.",
        details: "Define the graph (`make-graph`, or `let` bound to a graph) before using it." },
    CodeDoc { code: "KQL208", name: "unknown-database", category: "semantic",
        summary: "A `database(\"name\")` reference to a database the schema does not have.",
        details: "Advanced Hunting has one database: its tables are read by name. Kusto's analyzer rejects a database of the current cluster that it does not know (`cluster(\"c\").database(\"d\")` and `*` patterns are not reported). Read the table directly." },
    CodeDoc { code: "KQL209", name: "connect-directive", category: "semantic",
        summary: "A `#connect` client directive names a cluster the schema does not have.",
        details: "`#connect` is a Kusto.Explorer directive that switches clusters; Kusto's analyzer rejects a cluster whose schema it lacks, and Advanced Hunting runs every query against its own schema. Remove the directive." },
    CodeDoc { code: "KQL210", name: "argument-type", category: "semantic",
        summary: "A literal argument of a type the built-in function's parameter does not take.",
        details: "Kusto converts arguments only upwards among numbers (int to long, int or long to real): `ago(5)` needs a timespan (`5m`), `base64_encode_fromguid(\"...\")` a guid, and a parameter of type int rejects the long literal `5` (write `int(5)`). Only literal arguments are checked." },
    CodeDoc { code: "KQL211", name: "literal-argument", category: "semantic",
        summary: "A name or expression where the built-in function takes only a literal.",
        details: "Some parameters are read when the query is compiled: `datetime_diff`'s and `datetime_add`'s part, `format_datetime`'s and `format_timespan`'s format, `countof`'s kind. Kusto rejects a `let` name, a function parameter, a column or an expression there (even `(\"day\")`); write the literal (`datetime_diff(\"day\", a, b)`)." },
];

/// The documentation of a checker code (`KQL202`) or name (`unknown-column`), case-insensitive.
pub fn checker_code(name_or_code: &str) -> Option<&'static CodeDoc> {
    let s = name_or_code.trim();
    CHECKER_CODES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(s) || c.name == s)
}

/// Whether `selector` (a code, a code prefix such as `KQL2`, or a name) picks the checker code
/// `code`. `all` picks every code.
pub fn selector_matches_code(selector: &str, code: &str) -> bool {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return true;
    }
    if checker_code(s).is_some_and(|c| c.code.eq_ignore_ascii_case(code)) {
        return true;
    }
    s.len() >= 3
        && s.chars().all(|c| c.is_ascii_alphanumeric())
        && code
            .to_ascii_uppercase()
            .starts_with(&s.to_ascii_uppercase())
}

/// Whether `selector` names at least one checker code (not counting `all`).
pub fn selects_checker_code(selector: &str) -> bool {
    !selector.trim().eq_ignore_ascii_case("all")
        && CHECKER_CODES
            .iter()
            .any(|c| selector_matches_code(selector, c.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        assert!(selector_matches_code("KQL202", "KQL202"));
        assert!(selector_matches_code("kql2", "KQL202"));
        assert!(selector_matches_code("unknown-column", "KQL202"));
        assert!(!selector_matches_code("KQL201", "KQL202"));
        assert!(selects_checker_code("KQL"));
        assert!(!selects_checker_code("AH001"));
        assert!(!selects_checker_code("all"));
        assert!(CHECKER_CODES.windows(2).all(|w| w[0].code < w[1].code));
        assert!(selector_matches_code("EMB", "EMB003"));
        assert!(selector_matches_code("invalid-json", "EMB003"));
        assert!(!selector_matches_code("invalid-yaml", "EMB003"));
        assert!(selects_checker_code("EMB002"));
    }
}
