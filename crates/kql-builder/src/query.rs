//! Tabular queries: a source, a pipeline of operators, and the `let` statements they need.

use std::fmt;

use crate::agg::AggItem;
use crate::escape::{escape_identifier, write_string_literal};
use crate::expr::{Column, ColumnName, Expr, IntoExpr, Named, Node, Rename, SortKey, TypedExpr};
use crate::items::Items;
use crate::types::{self as ty, KqlType};

/// A tabular KQL query.
///
/// Operators are methods that consume and return the query (`q.where_(..).take(10)`). The text
/// is produced by [`to_kql`](Query::to_kql): one operator per line, each starting with `| `
/// (the layout of Microsoft's documentation and of Defender's editor), `let` statements first.
/// Sub-queries (`join`, `lookup`, `union`) are written on one line inside parentheses.
///
/// ```
/// use kql_builder::{ago, days, Query, Column, types};
/// let q = Query::table("DeviceProcessEvents")
///     .where_(Column::<types::DateTime>::new("Timestamp").gt(ago(days(1))))
///     .take(10);
/// assert_eq!(q.to_kql(), "DeviceProcessEvents\n| where Timestamp > ago(1d)\n| take 10");
/// ```
#[derive(Debug, Clone)]
pub struct Query {
    /// `(name, statement text)`; hoisted from sub-queries, deduplicated.
    lets: Vec<(String, String)>,
    source: String,
    /// True when `source` is one name (no parentheses needed when nested).
    source_is_name: bool,
    ops: Vec<String>,
}

/// Text given to a `raw` escape hatch has syntax errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawError {
    /// The text as given.
    pub text: String,
    /// The parser's messages.
    pub messages: Vec<String>,
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "raw KQL {:?} has syntax errors: {}",
            self.text,
            self.messages.join("; ")
        )
    }
}

impl std::error::Error for RawError {}

/// Parses `wrapped` (which embeds `text`) and fails when it has syntax errors.
pub(crate) fn check_raw(wrapped: &str, text: &str) -> Result<(), RawError> {
    let parse = kql_syntax::parse(wrapped);
    if parse.has_errors() {
        let messages = parse
            .diagnostics()
            .iter()
            .filter(|d| d.severity == kql_diagnostics::Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        return Err(RawError {
            text: text.to_owned(),
            messages,
        });
    }
    Ok(())
}

/// Join flavours. The builder always writes `kind=...`: KQL's default (`innerunique`) silently
/// deduplicates the left side, which is rarely what a hunting query means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `kind=inner`.
    Inner,
    /// `kind=innerunique` (KQL's default).
    InnerUnique,
    /// `kind=leftouter`.
    LeftOuter,
    /// `kind=rightouter`.
    RightOuter,
    /// `kind=fullouter`.
    FullOuter,
    /// `kind=leftanti`.
    LeftAnti,
    /// `kind=rightanti`.
    RightAnti,
    /// `kind=leftsemi`.
    LeftSemi,
    /// `kind=rightsemi`.
    RightSemi,
}

impl JoinKind {
    fn as_str(self) -> &'static str {
        match self {
            JoinKind::Inner => "inner",
            JoinKind::InnerUnique => "innerunique",
            JoinKind::LeftOuter => "leftouter",
            JoinKind::RightOuter => "rightouter",
            JoinKind::FullOuter => "fullouter",
            JoinKind::LeftAnti => "leftanti",
            JoinKind::RightAnti => "rightanti",
            JoinKind::LeftSemi => "leftsemi",
            JoinKind::RightSemi => "rightsemi",
        }
    }
}

/// `lookup` flavours (written explicitly, like [`JoinKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupKind {
    /// `kind=leftouter` (KQL's default for `lookup`).
    LeftOuter,
    /// `kind=inner`.
    Inner,
}

/// One `join`/`lookup` key: a column present on both sides (`DeviceId`), or
/// `$left.a == $right.b` from [`Column::left`] / [`Column::right`].
#[derive(Debug, Clone)]
pub struct JoinOn(String);

impl JoinOn {
    pub(crate) fn from_text(text: String) -> Self {
        JoinOn(text)
    }
}

impl<T: KqlType> From<Column<T>> for JoinOn {
    fn from(c: Column<T>) -> Self {
        JoinOn(escape_identifier(c.name()))
    }
}
impl<T: KqlType> From<&Column<T>> for JoinOn {
    fn from(c: &Column<T>) -> Self {
        JoinOn(escape_identifier(c.name()))
    }
}

/// A `parse` pattern: literal text, typed column captures and `*` wildcards, in order.
///
/// ```
/// use kql_builder::{ParsePattern, Column, types};
/// let user = Column::<types::String>::new("User");
/// let port = Column::<types::Long>::new("Port");
/// let p = ParsePattern::new().any().text("user=").column(&user).text(" port=").column(&port);
/// assert_eq!(p.to_kql(), r#"* "user=" User:string " port=" Port:long"#);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ParsePattern {
    parts: Vec<String>,
}

impl ParsePattern {
    /// An empty pattern.
    pub fn new() -> Self {
        Self::default()
    }
    /// Literal text to match.
    pub fn text(mut self, text: &str) -> Self {
        let mut s = String::new();
        write_string_literal(&mut s, text, '"');
        self.parts.push(s);
        self
    }
    /// A capture into a new typed column.
    pub fn column<T: KqlType>(mut self, column: &Column<T>) -> Self {
        self.parts
            .push(format!("{}:{}", escape_identifier(column.name()), T::NAME));
        self
    }
    /// `*`: skip any text.
    pub fn any(mut self) -> Self {
        self.parts.push("*".to_owned());
        self
    }
    /// The pattern's text.
    pub fn to_kql(&self) -> String {
        self.parts.join(" ")
    }
}

/// Builds `let` statements and hands back references to them.
///
/// ```
/// use kql_builder::{ago, days, materialize, Lets, Query, Column, types};
/// let ts = Column::<types::DateTime>::new("Timestamp");
/// let mut lets = Lets::new();
/// let since = lets.scalar("since", ago(days(7)));
/// let events = lets.tabular("events", materialize(Query::table("DeviceEvents").where_(ts.gt(&since))));
/// let q = lets.query(events.count());
/// assert_eq!(
///     q.to_kql(),
///     "let since = ago(7d);\nlet events = materialize(DeviceEvents | where Timestamp > since);\nevents\n| count"
/// );
/// ```
#[derive(Debug, Clone, Default)]
pub struct Lets {
    lets: Vec<(String, String)>,
}

impl Lets {
    /// No statements yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `let name = expr;` and an expression referring to `name`.
    pub fn scalar<T: KqlType>(&mut self, name: &str, value: impl IntoExpr<T>) -> Expr<T> {
        let e = value.into_expr();
        self.push(name, e.node.to_text());
        Expr::from_node(Node::name(name))
    }

    /// `let name = query;` and a query starting from `name`. The returned query carries the
    /// statements made so far, so it is complete on its own.
    pub fn tabular(&mut self, name: &str, query: Query) -> Query {
        for (n, text) in &query.lets {
            self.push_raw(n, text.clone());
        }
        self.push(name, query.inline_body());
        Query {
            lets: self.lets.clone(),
            source: escape_identifier(name),
            source_is_name: true,
            ops: Vec::new(),
        }
    }

    /// `query` preceded by every statement made so far.
    pub fn query(&self, query: Query) -> Query {
        let mut lets = self.lets.clone();
        for (n, text) in query.lets {
            if !lets.iter().any(|(m, t)| *m == n && *t == text) {
                lets.push((n, text));
            }
        }
        Query { lets, ..query }
    }

    fn push(&mut self, name: &str, value: String) {
        let text = format!("let {} = {};", escape_identifier(name), value);
        self.push_raw(name, text);
    }

    fn push_raw(&mut self, name: &str, text: String) {
        if !self.lets.iter().any(|(n, t)| n == name && *t == text) {
            self.lets.push((name.to_owned(), text));
        }
    }
}

/// `materialize(query)`: evaluate once, reuse in several places (use as a [`Lets::tabular`] value).
pub fn materialize(query: Query) -> Query {
    Query {
        source: format!("materialize({})", query.inline_body()),
        source_is_name: false,
        lets: query.lets,
        ops: Vec::new(),
    }
}

impl Query {
    /// A query over a table (or any tabular name: a function, a `let` name).
    pub fn table(name: &str) -> Query {
        Query {
            lets: Vec::new(),
            source: escape_identifier(name),
            source_is_name: true,
            ops: Vec::new(),
        }
    }

    /// Escape hatch: a whole tabular query as text, checked with `kql_syntax::parse` and rejected
    /// when it has syntax errors. Operators can be appended as usual.
    pub fn raw(text: &str) -> Result<Query, RawError> {
        check_raw(text, text)?;
        Ok(Query {
            lets: Vec::new(),
            source: format!("({text})"),
            source_is_name: false,
            ops: Vec::new(),
        })
    }

    /// `union A, (B | ...)`, as a source.
    pub fn union_of(queries: impl IntoIterator<Item = Query>) -> Query {
        Self::union_source(None, queries)
    }

    /// `union withsource=Column A, B`: also adds a column naming each row's source table.
    pub fn union_of_with_source(column: &str, queries: impl IntoIterator<Item = Query>) -> Query {
        Self::union_source(Some(column), queries)
    }

    fn union_source(with_source: Option<&str>, queries: impl IntoIterator<Item = Query>) -> Query {
        let mut q = Query {
            lets: Vec::new(),
            source: String::new(),
            source_is_name: false,
            ops: Vec::new(),
        };
        let mut text = String::from("union ");
        if let Some(c) = with_source {
            text.push_str(&format!("withsource={} ", escape_identifier(c)));
        }
        text.push_str(&q.nested_list(queries));
        q.source = text;
        q
    }

    /// The KQL text: `let` statements, then the source, then one `| operator` per line.
    pub fn to_kql(&self) -> String {
        let mut out = String::new();
        for (_, text) in &self.lets {
            out.push_str(text);
            out.push('\n');
        }
        out.push_str(&self.source);
        for op in &self.ops {
            out.push_str("\n| ");
            out.push_str(op);
        }
        out
    }

    /// The Defender API request (`POST /api/advancedhunting/run`); serializes as
    /// `{"Query": "..."}`.
    pub fn to_request(&self) -> kql_hunting_api::RunQueryRequest {
        kql_hunting_api::RunQueryRequest::new(self.to_kql())
    }

    /// The Microsoft Graph request (`POST /security/runHuntingQuery`); serializes as
    /// `{"Query": "...", "Timespan": "P30D"}`. The service keeps 30 days of data: a longer
    /// window silently returns less.
    pub fn to_graph_request(
        &self,
        timespan: kql_hunting_api::Timespan,
    ) -> kql_hunting_api::RunHuntingQueryRequest {
        kql_hunting_api::RunHuntingQueryRequest::new(self.to_kql()).with_timespan(timespan)
    }

    /// The query without `let`s on one line, for use inside another query.
    fn inline_body(&self) -> String {
        let mut out = self.source.clone();
        for op in &self.ops {
            out.push_str(" | ");
            out.push_str(op);
        }
        out
    }

    /// `q` as an operand of `join`/`lookup`/`union`: bare when it is just a name, otherwise in
    /// parentheses. Its `let`s move to `self`.
    fn nested(&mut self, q: Query) -> String {
        for (name, text) in &q.lets {
            if !self.lets.iter().any(|(n, t)| n == name && t == text) {
                self.lets.push((name.clone(), text.clone()));
            }
        }
        if q.source_is_name && q.ops.is_empty() {
            q.source
        } else {
            format!("({})", q.inline_body())
        }
    }

    fn nested_list(&mut self, queries: impl IntoIterator<Item = Query>) -> String {
        let parts: Vec<String> = queries.into_iter().map(|q| self.nested(q)).collect();
        parts.join(", ")
    }

    fn op(mut self, text: String) -> Self {
        self.ops.push(text);
        self
    }

    fn named_list(items: Vec<Named>) -> String {
        let mut s = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            item.write(&mut s);
        }
        s
    }

    /// `| where cond`. Only a `bool` expression is accepted.
    pub fn where_(self, cond: impl IntoExpr<ty::Bool>) -> Self {
        let text = format!("where {}", cond.into_expr().node.to_text());
        self.op(text)
    }

    /// `| project A, B, Alias = expr`.
    pub fn project(self, items: impl Items<Named>) -> Self {
        let text = format!("project {}", Self::named_list(items.into_items()));
        self.op(text)
    }

    /// `| project-away A, B`.
    pub fn project_away(self, columns: impl Items<ColumnName>) -> Self {
        let names: Vec<String> = columns
            .into_items()
            .iter()
            .map(|c| escape_identifier(&c.0))
            .collect();
        self.op(format!("project-away {}", names.join(", ")))
    }

    /// `| project-rename New = Old` (see [`Column::rename_to`]).
    pub fn project_rename(self, renames: impl Items<Rename>) -> Self {
        let parts: Vec<String> = renames
            .into_items()
            .iter()
            .map(|r| {
                format!(
                    "{} = {}",
                    escape_identifier(&r.new),
                    escape_identifier(&r.old)
                )
            })
            .collect();
        self.op(format!("project-rename {}", parts.join(", ")))
    }

    /// `| extend Name = expr, ...`.
    pub fn extend(self, items: impl Items<Named>) -> Self {
        let text = format!("extend {}", Self::named_list(items.into_items()));
        self.op(text)
    }

    /// `| summarize aggregates` (no grouping).
    pub fn summarize(self, aggregates: impl Items<AggItem>) -> Self {
        self.summarize_by(aggregates, ())
    }

    /// `| summarize aggregates by keys` (`bin(Timestamp, 1h)` is a typical key). With no
    /// aggregates it is `summarize by keys` (distinct groups).
    pub fn summarize_by(self, aggregates: impl Items<AggItem>, by: impl Items<Named>) -> Self {
        let mut text = String::from("summarize");
        let aggs = aggregates.into_items();
        for (i, a) in aggs.iter().enumerate() {
            text.push_str(if i == 0 { " " } else { ", " });
            a.write(&mut text);
        }
        let by = by.into_items();
        if !by.is_empty() {
            text.push_str(" by ");
            text.push_str(&Self::named_list(by));
        }
        self.op(text)
    }

    fn sort_op(self, keyword: &str, keys: Vec<SortKey>) -> Self {
        let mut text = String::from(keyword);
        for (i, k) in keys.iter().enumerate() {
            text.push_str(if i == 0 { " " } else { ", " });
            k.write(&mut text);
        }
        self.op(text)
    }

    /// `| order by keys` (a key without `.asc()`/`.desc()` sorts descending, KQL's default).
    pub fn order_by(self, keys: impl Items<SortKey>) -> Self {
        self.sort_op("order by", keys.into_items())
    }

    /// `| sort by keys` (same as `order by`).
    pub fn sort_by(self, keys: impl Items<SortKey>) -> Self {
        self.sort_op("sort by", keys.into_items())
    }

    /// `| take n`.
    pub fn take(self, n: u64) -> Self {
        self.op(format!("take {n}"))
    }

    /// `| limit n` (same as `take`).
    pub fn limit(self, n: u64) -> Self {
        self.op(format!("limit {n}"))
    }

    /// `| top n by key`.
    pub fn top(self, n: u64, key: impl Into<SortKey>) -> Self {
        let mut text = format!("top {n} by ");
        key.into().write(&mut text);
        self.op(text)
    }

    /// `| distinct A, B`.
    pub fn distinct(self, items: impl Items<Named>) -> Self {
        let text = format!("distinct {}", Self::named_list(items.into_items()));
        self.op(text)
    }

    /// `| count`.
    pub fn count(self) -> Self {
        self.op("count".to_owned())
    }

    /// `| join kind=KIND (right) on keys`.
    pub fn join(mut self, kind: JoinKind, right: Query, on: impl Items<JoinOn>) -> Self {
        let right = self.nested(right);
        let on: Vec<String> = on.into_items().into_iter().map(|o| o.0).collect();
        let text = format!("join kind={} {right} on {}", kind.as_str(), on.join(", "));
        self.op(text)
    }

    /// `| lookup kind=KIND (right) on keys`: a join against a small dimension table.
    pub fn lookup(mut self, kind: LookupKind, right: Query, on: impl Items<JoinOn>) -> Self {
        let right = self.nested(right);
        let kind = match kind {
            LookupKind::LeftOuter => "leftouter",
            LookupKind::Inner => "inner",
        };
        let on: Vec<String> = on.into_items().into_iter().map(|o| o.0).collect();
        let text = format!("lookup kind={kind} {right} on {}", on.join(", "));
        self.op(text)
    }

    /// `| union A, (B | ...)`.
    pub fn union(mut self, others: impl IntoIterator<Item = Query>) -> Self {
        let text = format!("union {}", self.nested_list(others));
        self.op(text)
    }

    /// `| mv-expand A, B = expr`: one row per element of `dynamic` arrays/bags.
    pub fn mv_expand(self, items: impl Items<Named>) -> Self {
        let text = format!("mv-expand {}", Self::named_list(items.into_items()));
        self.op(text)
    }

    /// `| mv-expand A to typeof(T)`: expanded values typed as `T`.
    pub fn mv_expand_to<T: KqlType>(self, items: impl Items<Named>) -> Self {
        let parts: Vec<String> = items
            .into_items()
            .into_iter()
            .map(|n| format!("{} to typeof({})", Self::named_list(vec![n]), T::NAME))
            .collect();
        self.op(format!("mv-expand {}", parts.join(", ")))
    }

    /// `| parse source with pattern`.
    pub fn parse(self, source: impl TypedExpr, pattern: ParsePattern) -> Self {
        let text = format!(
            "parse {} with {}",
            source.typed().node.to_text(),
            pattern.to_kql()
        );
        self.op(text)
    }

    /// Escape hatch: one operator as text (without the leading `|`), checked with
    /// `kql_syntax::parse` as `T | TEXT` and rejected when that has syntax errors.
    pub fn raw_operator(self, text: &str) -> Result<Self, RawError> {
        check_raw(&format!("T | {text}"), text)?;
        Ok(self.op(text.to_owned()))
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_kql())
    }
}
