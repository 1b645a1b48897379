//! Tabular queries: a source, a pipeline of operators, and the `let` statements they need.

use std::fmt;
use std::sync::Arc;

use crate::agg::AggItem;
use crate::escape::{escape_identifier, write_string_literal};
use crate::expr::{Column, ColumnName, IntoExpr, Named, Node, Rename, SortKey, TypedExpr};
use crate::items::Items;
use crate::lets::{add_let, LetDef, Names, OPEN};
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
    /// The `let` bindings the query uses, in statement order (hoisted from sub-queries and
    /// expressions; names are chosen in `to_kql`).
    lets: Vec<Arc<LetDef>>,
    /// Text below has placeholders for `let` names (see `lets`).
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
    if text.contains(OPEN) {
        return Err(RawError {
            text: text.to_owned(),
            messages: vec!["raw text may not contain the control character U+0001".to_owned()],
        });
    }
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

/// `materialize(query)`: evaluate once, reuse in several places (use as a [`Lets::tabular`](crate::Lets::tabular) value).
pub fn materialize(query: Query) -> Query {
    let (lets, body) = query.into_binding();
    Query {
        source: format!("materialize({body})"),
        source_is_name: false,
        lets,
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
        let names = Names::assign(&self.lets);
        let mut out = String::new();
        names.write_statements(&mut out);
        names.write_resolved(&mut out, &self.source);
        for op in &self.ops {
            out.push_str("\n| ");
            names.write_resolved(&mut out, op);
        }
        out
    }

    /// The bindings the query uses and its one-line body (for `let x = ...`, subqueries).
    pub(crate) fn into_binding(self) -> (Vec<Arc<LetDef>>, String) {
        let body = self.inline_body();
        (self.lets, body)
    }

    /// A query starting from a tabular `let` binding.
    pub(crate) fn from_let(def: Arc<LetDef>) -> Query {
        let mut lets = Vec::new();
        add_let(&mut lets, &def);
        Query {
            lets,
            source: def.placeholder(),
            source_is_name: true,
            ops: Vec::new(),
        }
    }

    /// The query with `first` written before its own bindings.
    pub(crate) fn with_lets_first(mut self, first: &[Arc<LetDef>]) -> Query {
        let mut lets = Vec::new();
        for def in first.iter().chain(&self.lets) {
            add_let(&mut lets, def);
        }
        self.lets = lets;
        self
    }

    /// Takes on the bindings an expression refers to.
    pub(crate) fn absorb(&mut self, node: &Node) {
        node.collect_lets(&mut self.lets);
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
            if !out.is_empty() {
                out.push_str(" | ");
            }
            out.push_str(op);
        }
        out
    }

    /// A pipeline without a source, for `mv-apply ... on (where ... | take 1)`.
    pub(crate) fn fragment() -> Query {
        Query {
            lets: Vec::new(),
            source: String::new(),
            source_is_name: false,
            ops: Vec::new(),
        }
    }

    /// A query whose source is `text` (already escaped), with the bindings `nodes` use.
    pub(crate) fn from_source(text: String, nodes: &[&Node]) -> Query {
        let mut q = Query {
            lets: Vec::new(),
            source: text,
            source_is_name: false,
            ops: Vec::new(),
        };
        for n in nodes {
            q.absorb(n);
        }
        q
    }

    /// `q` as an operand of `join`/`lookup`/`union`: bare when it is just a name, otherwise in
    /// parentheses. Its `let`s move to `self`.
    pub(crate) fn nested(&mut self, q: Query) -> String {
        let bare = q.source_is_name && q.ops.is_empty();
        let body = self.nested_body(q);
        if bare {
            body
        } else {
            format!("({body})")
        }
    }

    /// `q`'s one-line body for use inside an operator's parentheses; its `let`s move to `self`.
    pub(crate) fn nested_body(&mut self, q: Query) -> String {
        for def in &q.lets {
            add_let(&mut self.lets, def);
        }
        q.inline_body()
    }

    fn nested_list(&mut self, queries: impl IntoIterator<Item = Query>) -> String {
        let parts: Vec<String> = queries.into_iter().map(|q| self.nested(q)).collect();
        parts.join(", ")
    }

    pub(crate) fn op(mut self, text: String) -> Self {
        self.ops.push(text);
        self
    }

    /// `A, B = expr, ...`, taking on the bindings the items use.
    pub(crate) fn named_list(&mut self, items: Vec<Named>) -> String {
        let mut s = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            self.absorb(&item.node);
            item.write(&mut s);
        }
        s
    }

    /// An expression's text, taking on the bindings it uses.
    pub(crate) fn expr_text(&mut self, node: &Node) -> String {
        self.absorb(node);
        node.to_raw_text()
    }

    /// `| where cond`. Only a `bool` expression is accepted.
    pub fn where_(mut self, cond: impl IntoExpr<ty::Bool>) -> Self {
        let text = format!("where {}", self.expr_text(&cond.into_expr().node));
        self.op(text)
    }

    /// `| project A, B, Alias = expr`.
    pub fn project(mut self, items: impl Items<Named>) -> Self {
        let text = format!("project {}", self.named_list(items.into_items()));
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
    pub fn extend(mut self, items: impl Items<Named>) -> Self {
        let text = format!("extend {}", self.named_list(items.into_items()));
        self.op(text)
    }

    /// `| summarize aggregates` (no grouping).
    pub fn summarize(self, aggregates: impl Items<AggItem>) -> Self {
        self.summarize_by(aggregates, ())
    }

    /// `| summarize aggregates by keys` (`bin(Timestamp, 1h)` is a typical key). With no
    /// aggregates it is `summarize by keys` (distinct groups).
    pub fn summarize_by(mut self, aggregates: impl Items<AggItem>, by: impl Items<Named>) -> Self {
        let mut text = String::from("summarize");
        let aggs = aggregates.into_items();
        for (i, a) in aggs.iter().enumerate() {
            text.push_str(if i == 0 { " " } else { ", " });
            self.absorb(&a.0.node);
            a.0.write(&mut text);
        }
        let by = by.into_items();
        if !by.is_empty() {
            text.push_str(" by ");
            let by = self.named_list(by);
            text.push_str(&by);
        }
        self.op(text)
    }

    fn sort_op(mut self, keyword: &str, keys: Vec<SortKey>) -> Self {
        let mut text = String::from(keyword);
        for (i, k) in keys.iter().enumerate() {
            text.push_str(if i == 0 { " " } else { ", " });
            self.absorb(&k.node);
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
    pub fn top(mut self, n: u64, key: impl Into<SortKey>) -> Self {
        let mut text = format!("top {n} by ");
        let key = key.into();
        self.absorb(&key.node);
        key.write(&mut text);
        self.op(text)
    }

    /// `| distinct A, B`.
    pub fn distinct(mut self, items: impl Items<Named>) -> Self {
        let text = format!("distinct {}", self.named_list(items.into_items()));
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
    pub fn mv_expand(mut self, items: impl Items<Named>) -> Self {
        let text = format!("mv-expand {}", self.named_list(items.into_items()));
        self.op(text)
    }

    /// `| mv-expand A to typeof(T)`: expanded values typed as `T`.
    pub fn mv_expand_to<T: KqlType>(mut self, items: impl Items<Named>) -> Self {
        let parts: Vec<String> = items
            .into_items()
            .into_iter()
            .map(|n| format!("{} to typeof({})", self.named_list(vec![n]), T::NAME))
            .collect();
        self.op(format!("mv-expand {}", parts.join(", ")))
    }

    /// `| parse source with pattern`.
    pub fn parse(mut self, source: impl TypedExpr, pattern: ParsePattern) -> Self {
        let text = format!(
            "parse {} with {}",
            self.expr_text(&source.typed().node),
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
