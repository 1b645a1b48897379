//! The operators beyond the basic pipeline: `make-series`, `mv-expand` options, `mv-apply`,
//! `datatable`, `project-keep`/`project-reorder`, `sample`, `sample-distinct`, `top-nested`,
//! `invoke` and Advanced Hunting's functions, `evaluate bag_unpack`/`pivot`, `parse-where`,
//! `parse-kv`, `as`.

use crate::agg::AggItem;
use crate::escape::{escape_identifier, write_string_literal};
use crate::expr::{Column, ColumnName, IntoExpr, Named, Node, TypedExpr};
use crate::functions::Arg;
use crate::items::Items;
use crate::query::{ParsePattern, Query};
use crate::types::{self as ty, Binnable, KqlType};

/// `make-series`: aggregates as arrays over a regular axis (a time series per group).
///
/// ```
/// use kql_builder::{ago, count, days, hours, now, MakeSeries};
/// use kql_builder::tables::DeviceNetworkEvents as N;
/// let q = N::query().make_series(
///     MakeSeries::new(count().as_("Connections"))
///         .default_value(0)
///         .on(&N::Timestamp)
///         .range(ago(days(7)), now(), hours(1))
///         .by(N::DeviceId),
/// );
/// assert_eq!(q.to_kql(), "DeviceNetworkEvents\n| make-series Connections = count() default=0 on Timestamp from ago(7d) to now() step 1h by DeviceId");
/// ```
#[derive(Debug, Clone)]
pub struct MakeSeries {
    aggregates: Vec<(AggItem, Option<Node>)>,
    axis: Option<Node>,
    from: Option<Node>,
    to: Option<Node>,
    step: Option<Node>,
    by: Vec<Named>,
}

impl MakeSeries {
    /// The series' aggregates (`count()`, `avg(x)`...).
    pub fn new(aggregates: impl Items<AggItem>) -> Self {
        MakeSeries {
            aggregates: aggregates
                .into_items()
                .into_iter()
                .map(|a| (a, None))
                .collect(),
            axis: None,
            from: None,
            to: None,
            step: None,
            by: Vec::new(),
        }
    }

    /// `default=value` for the aggregates so far (the value of an empty bin; KQL's default is
    /// 0 for numbers).
    pub fn default_value(mut self, value: impl TypedExpr) -> Self {
        let node = value.typed().node;
        for (_, d) in &mut self.aggregates {
            d.get_or_insert_with(|| node.clone());
        }
        self
    }

    /// `on Axis` and `step`: the axis column (a datetime or number) without bounds.
    pub fn on<T: Binnable>(mut self, axis: &Column<T>) -> MakeSeriesOn<T> {
        self.axis = Some(axis.expr().node);
        MakeSeriesOn {
            series: self,
            _axis: std::marker::PhantomData,
        }
    }
}

/// A [`MakeSeries`] with its axis: the range and grouping are typed by the axis.
#[derive(Debug, Clone)]
pub struct MakeSeriesOn<T> {
    series: MakeSeries,
    _axis: std::marker::PhantomData<fn() -> T>,
}

impl<T: Binnable> MakeSeriesOn<T> {
    /// `from start to end step step`.
    pub fn range(
        mut self,
        from: impl IntoExpr<T>,
        to: impl IntoExpr<T>,
        step: impl IntoExpr<T::Size>,
    ) -> Self {
        self.series.from = Some(from.into_expr().node);
        self.series.to = Some(to.into_expr().node);
        self.series.step = Some(step.into_expr().node);
        self
    }

    /// `step step` only (the range is the data's).
    pub fn step(mut self, step: impl IntoExpr<T::Size>) -> Self {
        self.series.step = Some(step.into_expr().node);
        self
    }

    /// `by keys`.
    pub fn by(mut self, keys: impl Items<Named>) -> Self {
        self.series.by = keys.into_items();
        self
    }
}

/// `bagexpansion=` of `mv-expand`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BagExpansion {
    /// One row per property (`bagexpansion=bag`, KQL's default).
    Bag,
    /// One `[key, value]` array per property (`bagexpansion=array`).
    Array,
}

/// `mv-expand` with its options.
///
/// ```
/// use kql_builder::{MvExpand, BagExpansion, Column, types};
/// let tags = Column::<types::Dynamic>::new("Tags");
/// let q = kql_builder::Query::table("T").mv_expand_with(
///     MvExpand::new().column_to::<types::String>(&tags).with_itemindex("i").bagexpansion(BagExpansion::Array).limit(10),
/// );
/// assert_eq!(q.to_kql(), "T\n| mv-expand bagexpansion=array with_itemindex=i Tags to typeof(string) limit 10");
/// ```
#[derive(Debug, Clone, Default)]
pub struct MvExpand {
    columns: Vec<(Named, Option<&'static str>)>,
    bagexpansion: Option<BagExpansion>,
    itemindex: Option<String>,
    limit: Option<u64>,
}

impl MvExpand {
    /// No columns yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Expands a `dynamic` column or expression (`Name = expr` with [`Column::set`]).
    pub fn column(mut self, column: impl Into<Named>) -> Self {
        self.columns.push((column.into(), None));
        self
    }
    /// Expands to values typed `T` (`to typeof(T)`).
    pub fn column_to<T: KqlType>(mut self, column: impl Into<Named>) -> Self {
        self.columns.push((column.into(), Some(T::NAME)));
        self
    }
    /// `bagexpansion=bag|array`.
    pub fn bagexpansion(mut self, mode: BagExpansion) -> Self {
        self.bagexpansion = Some(mode);
        self
    }
    /// `with_itemindex=Name`: a column with each element's index.
    pub fn with_itemindex(mut self, name: &str) -> Self {
        self.itemindex = Some(name.to_owned());
        self
    }
    /// `limit n`: at most `n` rows per input row.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }
}

/// One level of `top-nested`: `top-nested N of Key by Aggregate`.
#[derive(Debug, Clone)]
pub struct TopNested {
    n: Option<u64>,
    of: Named,
    with_others: Option<Node>,
    by: AggItem,
    desc: bool,
}

impl TopNested {
    /// `top-nested n of key by aggregate` (the top `n` values of `key` by `aggregate`).
    pub fn new(n: u64, of: impl Into<Named>, by: impl Into<AggItem>) -> Self {
        TopNested {
            n: Some(n),
            of: of.into(),
            with_others: None,
            by: by.into(),
            desc: true,
        }
    }
    /// Every value of `key` (no count).
    pub fn all(of: impl Into<Named>, by: impl Into<AggItem>) -> Self {
        TopNested {
            n: None,
            ..TopNested::new(0, of, by)
        }
    }
    /// `with others = value`: one more row aggregating the rest.
    pub fn with_others(mut self, value: impl TypedExpr) -> Self {
        self.with_others = Some(value.typed().node);
        self
    }
    /// `asc`: the bottom values instead of the top.
    pub fn asc(mut self) -> Self {
        self.desc = false;
        self
    }
}

/// A column declaration of `datatable` and `parse-kv`: `Name:type`.
#[derive(Debug, Clone)]
pub struct ColumnDecl(String);

impl<T: KqlType> From<&Column<T>> for ColumnDecl {
    fn from(c: &Column<T>) -> Self {
        ColumnDecl(format!("{}:{}", escape_identifier(c.name()), T::NAME))
    }
}
impl<T: KqlType> From<Column<T>> for ColumnDecl {
    fn from(c: Column<T>) -> Self {
        ColumnDecl::from(&c)
    }
}

fn string_lit(value: &str) -> String {
    let mut s = String::new();
    write_string_literal(&mut s, value, '"');
    s
}

fn names(columns: Vec<ColumnName>) -> String {
    let parts: Vec<String> = columns.iter().map(|c| escape_identifier(&c.0)).collect();
    parts.join(", ")
}

impl Query {
    /// `| make-series ...` (see [`MakeSeries`]).
    pub fn make_series<T: Binnable>(mut self, series: MakeSeriesOn<T>) -> Self {
        let s = series.series;
        let mut text = String::from("make-series ");
        for (i, (agg, default)) in s.aggregates.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            self.absorb(&agg.0.node);
            agg.0.write(&mut text);
            if let Some(d) = default {
                text.push_str(" default=");
                text.push_str(&self.expr_text(d));
            }
        }
        let bound = |q: &mut Query, text: &mut String, word: &str, node: &Option<Node>| {
            if let Some(n) = node {
                text.push_str(word);
                text.push_str(&q.expr_text(n));
            }
        };
        bound(&mut self, &mut text, " on ", &s.axis);
        bound(&mut self, &mut text, " from ", &s.from);
        bound(&mut self, &mut text, " to ", &s.to);
        bound(&mut self, &mut text, " step ", &s.step);
        if !s.by.is_empty() {
            text.push_str(" by ");
            let by = self.named_list(s.by);
            text.push_str(&by);
        }
        self.op(text)
    }

    /// `| mv-expand` with options (see [`MvExpand`]).
    pub fn mv_expand_with(mut self, expand: MvExpand) -> Self {
        let mut text = String::from("mv-expand ");
        if let Some(mode) = expand.bagexpansion {
            text.push_str(match mode {
                BagExpansion::Bag => "bagexpansion=bag ",
                BagExpansion::Array => "bagexpansion=array ",
            });
        }
        if let Some(i) = &expand.itemindex {
            text.push_str(&format!("with_itemindex={} ", escape_identifier(i)));
        }
        let parts: Vec<String> = expand
            .columns
            .into_iter()
            .map(|(named, to)| {
                let mut part = self.named_list(vec![named]);
                if let Some(t) = to {
                    part.push_str(&format!(" to typeof({t})"));
                }
                part
            })
            .collect();
        text.push_str(&parts.join(", "));
        if let Some(n) = expand.limit {
            text.push_str(&format!(" limit {n}"));
        }
        self.op(text)
    }

    /// A pipeline without a source, for [`Query::mv_apply`]: `Query::pipe().where_(..).take(1)`.
    pub fn pipe() -> Query {
        Query::fragment()
    }

    /// `| mv-apply Item to typeof(T) on (subquery)`: runs `subquery` (built from
    /// [`Query::pipe`]) over each row's array elements.
    ///
    /// ```
    /// use kql_builder::{Query, Column, types};
    /// let ports = Column::<types::Dynamic>::new("Ports");
    /// let port = Column::<types::Long>::new("Ports");
    /// let q = Query::table("T").mv_apply::<types::Long>(&ports, Query::pipe().where_(port.gt(1024)).take(1));
    /// assert_eq!(q.to_kql(), "T\n| mv-apply Ports to typeof(long) on (where Ports > 1024 | take 1)");
    /// ```
    pub fn mv_apply<T: KqlType>(mut self, item: impl Into<Named>, subquery: Query) -> Self {
        let item = self.named_list(vec![item.into()]);
        let body = self.nested_body(subquery);
        self.op(format!(
            "mv-apply {item} to typeof({}) on ({body})",
            T::NAME
        ))
    }

    /// `datatable(Name:type, ...) [values...]`: an inline table. Rows are tuples of values in
    /// column order.
    ///
    /// ```
    /// use kql_builder::{Query, Column, types};
    /// let ip = Column::<types::String>::new("IP");
    /// let score = Column::<types::Long>::new("Score");
    /// let q = Query::datatable((&ip, &score), [("10.0.0.1", 5i64), ("10.0.0.2", 9)]);
    /// assert_eq!(q.to_kql(), "datatable(IP:string, Score:long) [\"10.0.0.1\", 5, \"10.0.0.2\", 9]");
    /// ```
    pub fn datatable<R: Items<Arg>>(
        columns: impl Items<ColumnDecl>,
        rows: impl IntoIterator<Item = R>,
    ) -> Query {
        let decls: Vec<String> = columns.into_items().into_iter().map(|c| c.0).collect();
        let values: Vec<Node> = rows
            .into_iter()
            .flat_map(|r| r.into_items().into_iter().map(|a| a.0))
            .collect();
        let texts: Vec<String> = values.iter().map(Node::to_raw_text).collect();
        let text = format!("datatable({}) [{}]", decls.join(", "), texts.join(", "));
        Query::from_source(text, &values.iter().collect::<Vec<_>>())
    }

    /// `| project-keep A, B`: keeps these columns (in table order).
    pub fn project_keep(self, columns: impl Items<ColumnName>) -> Self {
        let text = format!("project-keep {}", names(columns.into_items()));
        self.op(text)
    }

    /// `| project-reorder A, B`: these columns first.
    pub fn project_reorder(self, columns: impl Items<ColumnName>) -> Self {
        let text = format!("project-reorder {}", names(columns.into_items()));
        self.op(text)
    }

    /// `| sample n`: `n` rows picked at random.
    pub fn sample(self, n: u64) -> Self {
        self.op(format!("sample {n}"))
    }

    /// `| sample-distinct n of Column`: up to `n` distinct values of the column.
    pub fn sample_distinct(mut self, n: u64, of: impl TypedExpr) -> Self {
        let of = self.expr_text(&of.typed().node);
        self.op(format!("sample-distinct {n} of {of}"))
    }

    /// `| top-nested ...`: hierarchical top values (see [`TopNested`]).
    pub fn top_nested(mut self, levels: impl IntoIterator<Item = TopNested>) -> Self {
        let mut parts = Vec::new();
        for level in levels {
            let mut part = String::from("top-nested ");
            if let Some(n) = level.n {
                part.push_str(&format!("{n} "));
            }
            part.push_str("of ");
            part.push_str(&self.named_list(vec![level.of]));
            if let Some(o) = &level.with_others {
                part.push_str(" with others = ");
                part.push_str(&self.expr_text(o));
            }
            part.push_str(" by ");
            self.absorb(&level.by.0.node);
            level.by.0.write(&mut part);
            if !level.desc {
                part.push_str(" asc");
            }
            parts.push(part);
        }
        self.op(parts.join(", "))
    }

    /// `| invoke FileProfile(Column, max)`: Advanced Hunting's file enrichment (signer,
    /// prevalence...) keyed by a SHA1 or SHA256 column of the input. Output columns are in
    /// [`crate::tables::FileProfile`].
    pub fn invoke_file_profile(self, id_column: &Column<ty::String>, max_records: u32) -> Self {
        let text = format!(
            "invoke FileProfile({}, {max_records})",
            escape_identifier(id_column.name())
        );
        self.op(text)
    }

    /// `| invoke Function(args...)` for another function taking the piped table.
    pub fn invoke(mut self, function: &str, args: impl Items<Arg>) -> Self {
        let args: Vec<Node> = args.into_items().into_iter().map(|a| a.0).collect();
        let texts: Vec<String> = args.iter().map(|a| self.expr_text(a)).collect();
        let text = format!(
            "invoke {}({})",
            escape_identifier(function),
            texts.join(", ")
        );
        self.op(text)
    }

    /// `DeviceFromIP(ip, at)`: the devices that had an IP address at a time (Advanced Hunting's
    /// function; columns in [`crate::tables::DeviceFromIP`]).
    pub fn device_from_ip(ip: impl IntoExpr<ty::String>, at: impl IntoExpr<ty::DateTime>) -> Query {
        Self::hunting_function("DeviceFromIP", ip.into_expr().node, at.into_expr().node)
    }

    /// `AssignedIPAddresses(device, at)`: the addresses a device had at a time (Advanced
    /// Hunting's function; columns in [`crate::tables::AssignedIPAddresses`]).
    pub fn assigned_ip_addresses(
        device_name: impl IntoExpr<ty::String>,
        at: impl IntoExpr<ty::DateTime>,
    ) -> Query {
        Self::hunting_function(
            "AssignedIPAddresses",
            device_name.into_expr().node,
            at.into_expr().node,
        )
    }

    fn hunting_function(name: &str, a: Node, b: Node) -> Query {
        let text = format!("{name}({}, {})", a.to_raw_text(), b.to_raw_text());
        Query::from_source(text, &[&a, &b])
    }

    /// `| evaluate bag_unpack(Column)`: one column per property of a `dynamic` bag. The
    /// resulting columns depend on the data (an open row schema): refer to them with
    /// [`Column::named`].
    pub fn bag_unpack(mut self, bag: impl IntoExpr<ty::Dynamic>, prefix: Option<&str>) -> Self {
        let mut text = format!(
            "evaluate bag_unpack({}",
            self.expr_text(&bag.into_expr().node)
        );
        if let Some(p) = prefix {
            text.push_str(", ");
            text.push_str(&string_lit(p));
        }
        text.push(')');
        self.op(text)
    }

    /// `| evaluate pivot(Column, aggregate, by...)`: one column per value of `column` (an open
    /// row schema, as [`Query::bag_unpack`]).
    pub fn pivot(
        mut self,
        column: impl TypedExpr,
        aggregate: Option<AggItem>,
        by: impl Items<ColumnName>,
    ) -> Self {
        let mut text = format!("evaluate pivot({}", self.expr_text(&column.typed().node));
        if let Some(a) = aggregate {
            self.absorb(&a.0.node);
            text.push_str(", ");
            a.0.write(&mut text);
        }
        let by = by.into_items();
        if !by.is_empty() {
            text.push_str(", ");
            text.push_str(&names(by));
        }
        text.push(')');
        self.op(text)
    }

    /// `| parse-where source with pattern`: as [`Query::parse`], dropping rows that do not match.
    pub fn parse_where(mut self, source: impl TypedExpr, pattern: ParsePattern) -> Self {
        let source = self.expr_text(&source.typed().node);
        self.op(format!("parse-where {source} with {}", pattern.to_kql()))
    }

    /// `| parse-kv source as (Key:type, ...) with (pair_delimiter=..., kv_delimiter=...)`:
    /// typed columns from `key=value` text.
    ///
    /// ```
    /// use kql_builder::{Query, Column, types};
    /// let line = Column::<types::String>::new("Line");
    /// let user = Column::<types::String>::new("user");
    /// let port = Column::<types::Long>::new("port");
    /// let q = Query::table("T").parse_kv(&line, (&user, &port), ";", "=");
    /// assert_eq!(q.to_kql(), "T\n| parse-kv Line as (user:string, port:long) with (pair_delimiter=\";\", kv_delimiter=\"=\")");
    /// ```
    pub fn parse_kv(
        mut self,
        source: impl IntoExpr<ty::String>,
        keys: impl Items<ColumnDecl>,
        pair_delimiter: &str,
        kv_delimiter: &str,
    ) -> Self {
        let source = self.expr_text(&source.into_expr().node);
        let keys: Vec<String> = keys.into_items().into_iter().map(|k| k.0).collect();
        self.op(format!(
            "parse-kv {source} as ({}) with (pair_delimiter={}, kv_delimiter={})",
            keys.join(", "),
            string_lit(pair_delimiter),
            string_lit(kv_delimiter)
        ))
    }

    /// `| as Name`: names the result so far (for `union withsource`, `find`, later `let`s).
    pub fn as_(self, name: &str) -> Self {
        let text = format!("as {}", escape_identifier(name));
        self.op(text)
    }
}
