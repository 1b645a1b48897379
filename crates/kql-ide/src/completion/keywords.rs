//! Fixed words: tabular operators, statement starters, chart types, and what may follow an
//! expression in each operator.

/// Tabular operators offered after `|`, with a one-line description, the most used first (the
/// list's order is its relevance order).
pub(super) const OPERATORS: &[(&str, &str)] = &[
    ("where", "Filters rows by a predicate"),
    ("project", "Selects, renames and computes columns"),
    ("extend", "Adds computed columns"),
    ("summarize", "Aggregates rows into groups"),
    ("join", "Merges rows with another table by matching keys"),
    ("take", "Returns up to N rows"),
    ("order by", "Sorts the rows"),
    ("sort by", "Sorts the rows"),
    ("top", "The first N rows by an order"),
    ("distinct", "Distinct combinations of columns"),
    ("count", "Counts the rows"),
    ("limit", "Returns up to N rows"),
    ("lookup", "Extends rows with values from a dimension table"),
    ("union", "Rows of several tables"),
    ("mv-expand", "One row per element of a dynamic array or bag"),
    ("parse", "Extracts columns from a string by a pattern"),
    ("project-away", "Removes columns"),
    ("project-rename", "Renames columns"),
    ("project-keep", "Keeps only the named columns"),
    ("project-reorder", "Reorders columns"),
    ("render", "Chooses a chart"),
    ("make-series", "Builds series of aggregated values"),
    ("evaluate", "Runs a plugin"),
    ("as", "Names the tabular result"),
    ("invoke", "Calls a function with the input as its table"),
    ("mv-apply", "Applies a subquery to each record's array"),
    ("parse-where", "Like parse, dropping rows that do not match"),
    ("parse-kv", "Extracts key/value pairs"),
    ("sample", "N random rows"),
    ("sample-distinct", "N distinct random values"),
    ("serialize", "Marks the rows as ordered"),
    ("search", "Searches text across columns"),
    ("getschema", "The schema of the input"),
    ("top-nested", "Hierarchical top results"),
    ("top-hitters", "Approximate most frequent values"),
    ("scan", "Matches sequences of rows"),
    ("partition", "Runs a subquery per partition"),
    ("fork", "Runs several subqueries on the input"),
    ("facet", "Counts per value of several columns"),
    ("reduce", "Groups strings by similarity"),
    ("consume", "Reads the input and returns nothing"),
    ("make-graph", "Builds a graph from edge rows"),
    (
        "graph-match",
        "Finds patterns of nodes and edges in a graph",
    ),
    (
        "graph-shortest-paths",
        "Shortest paths between nodes of a graph",
    ),
    ("graph-to-table", "The nodes or edges of a graph as rows"),
    (
        "graph-mark-components",
        "Labels the connected components of a graph",
    ),
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
    "evaluate",
];

/// Words that start a scalar value but are not functions of the catalog: typed literals
/// (`datetime(…)`, `dynamic([…])`) and `toscalar(…)`.
pub(super) const SCALAR_STARTS: &[&str] = &[
    "datetime", "decimal", "double", "dynamic", "guid", "int", "long", "real", "timespan",
    "toscalar",
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

/// Operators that may follow a value of type `ty` in a predicate (Kusto offers the string
/// operators after strings, comparisons after numbers and dates), then `and`/`or` after a
/// value that may be a bool.
pub(super) fn predicate_operators(ty: Option<kql_schema::ScalarType>) -> Vec<String> {
    use kql_schema::ScalarType as T;
    let mut out: Vec<String> = Vec::new();
    let string_ops = ty.is_none_or(|t| matches!(t, T::String | T::Dynamic | T::Unknown));
    let ordered_ops = ty.is_none_or(|t| {
        t.is_numeric() || matches!(t, T::DateTime | T::TimeSpan | T::Dynamic | T::Unknown)
    });
    for op in ["==", "!="] {
        out.push(op.to_string());
    }
    if string_ops {
        out.extend(["=~", "!~"].map(String::from));
        for base in [
            "has",
            "contains",
            "startswith",
            "endswith",
            "hasprefix",
            "hassuffix",
        ] {
            for cs in ["", "_cs"] {
                out.push(format!("{base}{cs}"));
                out.push(format!("!{base}{cs}"));
            }
        }
        out.extend(["has_any", "has_all", "matches regex", "in~", "!in~"].map(String::from));
    }
    if ordered_ops {
        out.extend(["<", "<=", ">", ">=", "between", "!between"].map(String::from));
    }
    out.extend(["in", "!in"].map(String::from));
    // `and`/`or` join predicates: after a value of another type they are a type error.
    if ty.is_none_or(|t| matches!(t, T::Bool | T::Dynamic | T::Unknown)) {
        out.extend(["and", "or"].map(String::from));
    }
    out
}

/// What may follow a complete expression inside operator `op` (its keyword, lowercase),
/// other than predicate operators.
pub(super) fn after_expression(op: Option<&str>) -> &'static [&'static str] {
    match op {
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
