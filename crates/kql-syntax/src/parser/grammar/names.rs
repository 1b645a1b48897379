//! Names: plain and bracketed names, references, and the words Kusto reserves.

use super::Parser;
use crate::parser::CompletedMarker;
use crate::SyntaxKind::*;

/// Words Kusto reserves: they cannot name a column or variable unless bracketed (`['title']`).
/// Learned from Microsoft's parser; many other keywords (`count`, `kind`, `on`, `extend`) stay
/// usable as names.
/// (A `match` compiles to a length-and-byte dispatch, much cheaper than a list search.)
pub(super) fn is_reserved(w: &str) -> bool {
    matches!(
        w,
        "3Dchart"
            | "accumulate"
            | "and"
            | "anomalychart"
            | "areachart"
            | "as"
            | "asc"
            | "assert-schema"
            | "bagexpansion"
            | "barchart"
            | "between"
            | "boolean"
            | "by"
            | "card"
            | "columnchart"
            | "contains"
            | "contains_cs"
            | "containscs"
            | "cycles"
            | "datatable"
            | "date"
            | "datetime"
            | "decimal"
            | "decodeblocks"
            | "desc"
            | "double"
            | "dynamic"
            | "endswith"
            | "endswith_cs"
            | "execute-and-cache"
            | "external_data"
            | "externaldata"
            | "false"
            | "find"
            | "first"
            | "flags"
            | "graph-mark-components"
            | "graph-match"
            | "graph-shortest-paths"
            | "graph-to-table"
            | "has"
            | "has_all"
            | "has_any"
            | "has_cs"
            | "hasprefix"
            | "hasprefix_cs"
            | "hassuffix"
            | "hassuffix_cs"
            | "in"
            | "int"
            | "int32"
            | "int64"
            | "invoke"
            | "isfuzzy"
            | "ladderchart"
            | "last"
            | "like"
            | "likecs"
            | "linechart"
            | "long"
            | "macro-expand"
            | "make-graph"
            | "make-series"
            | "materialize"
            | "mv-apply"
            | "mv-expand"
            | "notcontains"
            | "notcontainscs"
            | "notlike"
            | "notlikecs"
            | "of"
            | "or"
            | "others"
            | "parse-kv"
            | "parse-where"
            | "piechart"
            | "pivotchart"
            | "print"
            | "project"
            | "project-away"
            | "project-by-names"
            | "project-keep"
            | "project-rename"
            | "project-reorder"
            | "project-smart"
            | "real"
            | "relaxed"
            | "sample"
            | "sample-distinct"
            | "scatterchart"
            | "search"
            | "set"
            | "simple"
            | "stackedareachart"
            | "startswith"
            | "startswith_cs"
            | "string"
            | "time"
            | "timechart"
            | "timepivot"
            | "timespan"
            | "title"
            | "to"
            | "top-hitters"
            | "top-nested"
            | "toscalar"
            | "treemap"
            | "true"
            | "union"
            | "uniqueid"
            | "where"
            | "with_itemindex"
            | "with_match_id"
    )
}

/// Reserved words that also cannot be assigned to, declared as columns or parameters, or used
/// as argument names (`extend project = 1` is an error, while `extend by = 1` is fine); learned
/// from Microsoft's parser.
pub(crate) fn is_reserved_assignment_target(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "asc"
            | "between"
            | "contains_cs"
            | "date"
            | "datetime"
            | "decimal"
            | "desc"
            | "double"
            | "dynamic"
            | "endswith"
            | "false"
            | "first"
            | "has_all"
            | "has_any"
            | "hasprefix"
            | "hassuffix"
            | "int"
            | "kind"
            | "last"
            | "like"
            | "long"
            | "make-series"
            | "mv-apply"
            | "mv-expand"
            | "notcontains"
            | "or"
            | "project"
            | "project-away"
            | "project-rename"
            | "real"
            | "startswith"
            | "string"
            | "time"
            | "timespan"
            | "true"
            | "union"
    )
}

/// Reserved words that are still called like functions: `toscalar(...)`, `int(x)`.
pub(super) const CALLABLE_KEYWORDS: &[&str] = &[
    "toscalar",
    "materialize",
    "datetime",
    "timespan",
    "time",
    "int",
    "long",
    "real",
    "double",
    "decimal",
    "string",
    "date",
    "int64",
    "int32",
    "boolean",
    "uniqueid",
    "dynamic",
    "datatable",
    "externaldata",
    "external_data",
];

/// Reports a reserved word used as a name (it is still consumed as one, so the tree is intact).
pub(crate) fn check_not_reserved(p: &mut Parser<'_>) {
    if p.at(IDENT) && is_reserved(p.nth_text(0)) {
        report_reserved(p);
    }
}

/// [`check_not_reserved`] for names being declared or assigned (see
/// [`is_reserved_assignment_target`]).
pub(crate) fn check_not_reserved_target(p: &mut Parser<'_>) {
    if p.at(IDENT) && is_reserved_assignment_target(p.nth_text(0)) {
        report_reserved(p);
    }
}

pub(super) fn report_reserved(p: &mut Parser<'_>) {
    let w = p.nth_text(0);
    p.error_here_with_help(
        "KQL007",
        format!("`{w}` is a keyword and cannot be used as a name here"),
        format!("write `['{w}']` to use it as a name"),
    );
}

/// A name: a word (keywords are contextual) or a bracketed `['name']`.
pub(crate) fn name(p: &mut Parser<'_>) -> bool {
    let m = p.start();
    let ok = name_contents(p);
    m.complete(p, NAME);
    ok
}

/// A reference to a name: a `NAME_REF` holding the name's tokens directly. References are the
/// most common node in real queries, so they carry no inner `NAME` node.
pub(crate) fn name_ref(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    name_contents(p);
    m.complete(p, NAME_REF)
}

/// The tokens of a name: an identifier or `['quoted']`; a missing identifier otherwise.
pub(super) fn name_contents(p: &mut Parser<'_>) -> bool {
    match p.current() {
        IDENT => {
            p.bump_any();
            true
        }
        L_BRACK if p.nth_at(1, STRING_LITERAL) => {
            bracketed_inner(p);
            true
        }
        _ => {
            p.missing(IDENT, "a name");
            false
        }
    }
}

pub(super) fn bracketed_name(p: &mut Parser<'_>) {
    let m = p.start();
    bracketed_inner(p);
    m.complete(p, NAME);
}

pub(super) fn bracketed_inner(p: &mut Parser<'_>) {
    let open = p.current_range();
    p.bump_any();
    p.expect(STRING_LITERAL, "a quoted name");
    while p.at(STRING_LITERAL) {
        p.bump_any();
    }
    p.expect_closing(R_BRACK, open);
}

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_words() {
        for w in [
            "title",
            "where",
            "by",
            "and",
            "project-away",
            "true",
            "3Dchart",
        ] {
            assert!(super::is_reserved(w), "{w}");
        }
        for w in ["count", "kind", "on", "extend", "Timestamp"] {
            assert!(!super::is_reserved(w), "{w}");
        }
    }
}
