//! Fixed words: tabular operators, statement starters, chart types, and what may follow an
//! expression in each operator.

/// Tabular operators offered after `|`, with a one-line description.
pub(super) const OPERATORS: &[(&str, &str)] = &[
    ("where", "Filters rows by a predicate"),
    ("project", "Selects, renames and computes columns"),
    ("project-away", "Removes columns"),
    ("project-keep", "Keeps only the named columns"),
    ("project-rename", "Renames columns"),
    ("project-reorder", "Reorders columns"),
    ("extend", "Adds computed columns"),
    ("summarize", "Aggregates rows into groups"),
    ("count", "Counts the rows"),
    ("take", "Returns up to N rows"),
    ("limit", "Returns up to N rows"),
    ("top", "The first N rows by an order"),
    ("top-nested", "Hierarchical top results"),
    ("top-hitters", "Approximate most frequent values"),
    ("order by", "Sorts the rows"),
    ("sort by", "Sorts the rows"),
    ("distinct", "Distinct combinations of columns"),
    ("join", "Merges rows with another table by matching keys"),
    ("lookup", "Extends rows with values from a dimension table"),
    ("union", "Rows of several tables"),
    ("mv-expand", "One row per element of a dynamic array or bag"),
    ("mv-apply", "Applies a subquery to each record's array"),
    ("parse", "Extracts columns from a string by a pattern"),
    ("parse-where", "Like parse, dropping rows that do not match"),
    ("parse-kv", "Extracts key/value pairs"),
    ("evaluate", "Runs a plugin"),
    ("make-series", "Builds series of aggregated values"),
    ("as", "Names the tabular result"),
    ("render", "Chooses a chart"),
    ("sample", "N random rows"),
    ("sample-distinct", "N distinct random values"),
    ("serialize", "Marks the rows as ordered"),
    ("search", "Searches text across columns"),
    ("getschema", "The schema of the input"),
    ("facet", "Counts per value of several columns"),
    ("fork", "Runs several subqueries on the input"),
    ("partition", "Runs a subquery per partition"),
    ("invoke", "Calls a function with the input as its table"),
    ("scan", "Matches sequences of rows"),
    ("reduce", "Groups strings by similarity"),
    ("consume", "Reads the input and returns nothing"),
];

/// Words that start a query or statement.
pub(super) const QUERY_START: &[&str] = &[
    "let",
    "print",
    "datatable",
    "range",
    "union",
    "search",
    "find",
    "externaldata",
    "materialize",
    "set",
    "declare",
];

/// `render` chart types.
pub(super) const CHARTS: &[&str] = &[
    "timechart",
    "barchart",
    "columnchart",
    "piechart",
    "areachart",
    "linechart",
    "scatterchart",
    "stackedareachart",
    "anomalychart",
    "card",
    "table",
    "pivotchart",
    "treemap",
];

const PREDICATE_OPERATORS: &[&str] = &[
    "and",
    "or",
    "==",
    "!=",
    "=~",
    "!~",
    "has",
    "!has",
    "has_cs",
    "has_any",
    "has_all",
    "contains",
    "!contains",
    "contains_cs",
    "startswith",
    "!startswith",
    "endswith",
    "!endswith",
    "matches regex",
    "in",
    "!in",
    "in~",
    "between",
    "!between",
];

/// What may follow a complete expression inside operator `op` (its keyword, lowercase).
pub(super) fn after_expression(op: Option<&str>) -> &'static [&'static str] {
    match op {
        Some("where" | "filter") => PREDICATE_OPERATORS,
        Some("summarize" | "make-series") => &["by"],
        Some("top" | "top-hitters" | "top-nested") => {
            &["by", "asc", "desc", "nulls first", "nulls last"]
        }
        Some("order" | "sort") => &["asc", "desc", "nulls first", "nulls last"],
        Some("join" | "lookup") => &["on"],
        Some("parse" | "parse-where") => &["with"],
        Some("mv-expand") => &["to typeof", "limit"],
        Some("render") => &["with"],
        _ => &[],
    }
}
