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
/// operators after strings, comparisons after numbers and dates), then `and`/`or`.
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
    out.extend(["in", "!in", "and", "or"].map(String::from));
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
