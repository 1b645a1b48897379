//! Typed scalar expressions: [`Expr<T>`], [`Column<T>`], their methods, operators and functions.
//!
//! Internally an expression is an untyped [`Node`] tree; the type parameter exists only at
//! compile time. Text is produced by [`Node::write`], which adds parentheses only where KQL's
//! precedence requires them.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::escape::{escape_identifier, write_string_literal};
use crate::lets::{add_let, LetDef, Names};
use crate::types::{self as ty, Binnable, Equatable, KqlType, Nullable};
use crate::value::{self, DateTimeValue, GuidValue, TimeSpanValue};

/// KQL binary-operator precedence, loosest first. Unary minus binds tightest; `not` is a
/// function in KQL (`not(x)`), so it never needs precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Prec {
    Or,
    And,
    /// `==`, `<`, `has`, `contains`, `in`, `between`, `=~`, ... (non-associative).
    Cmp,
    Add,
    Mul,
    Unary,
    Atom,
}

impl Prec {
    fn next(self) -> Prec {
        match self {
            Prec::Or => Prec::And,
            Prec::And => Prec::Cmp,
            Prec::Cmp => Prec::Add,
            Prec::Add => Prec::Mul,
            Prec::Mul => Prec::Unary,
            Prec::Unary | Prec::Atom => Prec::Atom,
        }
    }
}

/// Untyped expression tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A literal's text. `negative` literals (`-5`) start with unary minus and bind like it.
    Lit { text: String, negative: bool },
    /// An `int` literal: `int(5)`, but a bare `5` as an operand of a comparison, `in` or
    /// `between`, where KQL compares numbers by value and the type wrapper is noise.
    IntLit(i32),
    /// An already-escaped name (column, let name, `$left.x`).
    Name(String),
    /// `name(args)`.
    Call {
        name: Cow<'static, str>,
        args: Vec<Node>,
    },
    /// Prefix operator (`-`).
    Unary {
        op: &'static str,
        operand: Box<Node>,
    },
    Binary {
        op: &'static str,
        prec: Prec,
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    /// `lhs op (items...)`: `in`, `!in`, `in~`, `has_any`, `has_all`.
    List {
        lhs: Box<Node>,
        op: &'static str,
        items: Vec<Node>,
    },
    /// `lhs between (lo .. hi)`.
    Between {
        lhs: Box<Node>,
        op: &'static str,
        lo: Box<Node>,
        hi: Box<Node>,
    },
    /// `base[index]`.
    Index { base: Box<Node>, index: Box<Node> },
    /// `*` (as in `arg_max(Timestamp, *)`).
    Star,
    /// User text checked by the parser; always parenthesized since its precedence is unknown.
    Raw(String),
    /// A reference to a `let` binding (written as a placeholder until the query's names are
    /// chosen, see `lets`).
    Let(Arc<LetDef>),
    /// A tabular subquery's text (as in `in (T | project c)`, `toscalar(T | count)`), with the
    /// bindings it uses.
    Tabular {
        text: String,
        lets: Vec<Arc<LetDef>>,
    },
}

impl Node {
    pub(crate) fn lit(text: String) -> Node {
        Node::Lit {
            text,
            negative: false,
        }
    }
    pub(crate) fn lit_signed(text: String, negative: bool) -> Node {
        Node::Lit { text, negative }
    }
    pub(crate) fn name(name: &str) -> Node {
        Node::Name(escape_identifier(name))
    }
    pub(crate) fn string(value: &str) -> Node {
        let mut text = String::new();
        write_string_literal(&mut text, value, '"');
        Node::lit(text)
    }
    pub(crate) fn call(name: &'static str, args: Vec<Node>) -> Node {
        Node::Call {
            name: Cow::Borrowed(name),
            args,
        }
    }
    pub(crate) fn binary(op: &'static str, prec: Prec, lhs: Node, rhs: Node) -> Node {
        Node::Binary {
            op,
            prec,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        }
    }

    fn prec(&self) -> Prec {
        match self {
            Node::Lit { negative: true, .. } | Node::Unary { .. } => Prec::Unary,
            Node::IntLit(_) => Prec::Atom,
            Node::Lit { .. }
            | Node::Name(_)
            | Node::Call { .. }
            | Node::Index { .. }
            | Node::Star
            | Node::Raw(_)
            | Node::Let(_)
            | Node::Tabular { .. } => Prec::Atom,
            Node::Binary { prec, .. } => *prec,
            Node::List { .. } | Node::Between { .. } => Prec::Cmp,
        }
    }

    /// Writes `self` where the context needs at least precedence `min`.
    fn write_at(&self, out: &mut String, min: Prec) {
        if self.prec() < min {
            out.push('(');
            self.write(out);
            out.push(')');
        } else {
            self.write(out);
        }
    }

    /// Writes `self` as an operand of a comparison (see [`Node::IntLit`]).
    fn write_compared(&self, out: &mut String, min: Prec) {
        match self {
            Node::IntLit(v) => out.push_str(&v.to_string()),
            _ => self.write_at(out, min),
        }
    }

    pub(crate) fn write(&self, out: &mut String) {
        match self {
            Node::IntLit(v) => {
                out.push_str("int(");
                out.push_str(&v.to_string());
                out.push(')');
            }
            Node::Lit { text, .. } | Node::Name(text) => out.push_str(text),
            Node::Star => out.push('*'),
            Node::Let(def) => out.push_str(&def.placeholder()),
            Node::Tabular { text, .. } => out.push_str(text),
            Node::Raw(text) => {
                out.push('(');
                out.push_str(text);
                out.push(')');
            }
            Node::Call { name, args } => {
                out.push_str(name);
                out.push('(');
                write_list(out, args);
                out.push(')');
            }
            Node::Unary { op, operand } => {
                out.push_str(op);
                // Atom-only operand: `-(a + b)`, and `-(-5)` rather than `--5`.
                operand.write_at(out, Prec::Atom);
            }
            Node::Binary { op, prec, lhs, rhs } => {
                // `and`/`or` are associative; arithmetic is left-associative (`a - (b - c)`);
                // comparisons do not chain, so a comparison operand is always parenthesized.
                let (left_min, right_min) = match prec {
                    Prec::And | Prec::Or => (*prec, *prec),
                    Prec::Cmp => (Prec::Add, Prec::Add),
                    p => (*p, p.next()),
                };
                if *prec == Prec::Cmp {
                    lhs.write_compared(out, left_min);
                } else {
                    lhs.write_at(out, left_min);
                }
                out.push(' ');
                out.push_str(op);
                out.push(' ');
                if *prec == Prec::Cmp {
                    rhs.write_compared(out, right_min);
                } else {
                    rhs.write_at(out, right_min);
                }
            }
            Node::List { lhs, op, items } => {
                lhs.write_compared(out, Prec::Add);
                out.push(' ');
                out.push_str(op);
                out.push_str(" (");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_compared(out, Prec::Or);
                }
                out.push(')');
            }
            Node::Between { lhs, op, lo, hi } => {
                lhs.write_compared(out, Prec::Add);
                out.push(' ');
                out.push_str(op);
                out.push_str(" (");
                lo.write_compared(out, Prec::Add);
                out.push_str(" .. ");
                hi.write_compared(out, Prec::Add);
                out.push(')');
            }
            Node::Index { base, index } => {
                base.write_at(out, Prec::Atom);
                out.push('[');
                index.write(out);
                out.push(']');
            }
        }
    }

    /// The text with `let` placeholders (resolved when the query is written).
    pub(crate) fn to_raw_text(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    /// The text on its own: `let` references by their names.
    pub(crate) fn to_kql(&self) -> String {
        let mut lets = Vec::new();
        self.collect_lets(&mut lets);
        Names::assign(&lets).resolve(&self.to_raw_text())
    }

    /// Adds the `let` bindings this expression refers to (and theirs) to `out`.
    pub(crate) fn collect_lets(&self, out: &mut Vec<Arc<LetDef>>) {
        match self {
            Node::Let(def) => add_let(out, def),
            Node::Tabular { lets, .. } => lets.iter().for_each(|d| add_let(out, d)),
            Node::Lit { .. } | Node::IntLit(_) | Node::Name(_) | Node::Star | Node::Raw(_) => {}
            Node::Call { args, .. } => args.iter().for_each(|a| a.collect_lets(out)),
            Node::Unary { operand, .. } => operand.collect_lets(out),
            Node::Binary { lhs, rhs, .. } => {
                lhs.collect_lets(out);
                rhs.collect_lets(out);
            }
            Node::List { lhs, items, .. } => {
                lhs.collect_lets(out);
                items.iter().for_each(|i| i.collect_lets(out));
            }
            Node::Between { lhs, lo, hi, .. } => {
                for n in [lhs, lo, hi] {
                    n.collect_lets(out);
                }
            }
            Node::Index { base, index } => {
                base.collect_lets(out);
                index.collect_lets(out);
            }
        }
    }
}

pub(crate) fn write_list(out: &mut String, items: &[Node]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.write(out);
    }
}

/// A typed KQL scalar expression. `T` is a marker from [`crate::types`]; it decides which
/// methods exist (`has` only on strings, `gt` only on ordered types, ...), so an ill-typed
/// query does not compile.
///
/// ```
/// use kql_builder::{ago, days, Column, types};
/// let name = Column::<types::String>::new("FileName");
/// let time = Column::<types::DateTime>::new("Timestamp");
/// let cond = name.eq_ci("powershell.exe").and(time.gt(ago(days(7))));
/// assert_eq!(cond.to_kql(), r#"FileName =~ "powershell.exe" and Timestamp > ago(7d)"#);
/// ```
pub struct Expr<T> {
    pub(crate) node: Node,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Expr<T> {
    fn clone(&self) -> Self {
        Expr::from_node(self.node.clone())
    }
}

impl<T> fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expr({})", self.node.to_kql())
    }
}

impl<T: KqlType> fmt::Display for Expr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.node.to_kql())
    }
}

impl<T> Expr<T> {
    pub(crate) fn from_node(node: Node) -> Self {
        Expr {
            node,
            _type: PhantomData,
        }
    }
}

impl<T: KqlType> Expr<T> {
    /// The expression's KQL text.
    pub fn to_kql(&self) -> String {
        self.node.to_kql()
    }

    /// A literal or any value convertible to this type (`Expr::<types::Long>::lit(5)`).
    pub fn lit(value: impl IntoExpr<T>) -> Self {
        value.into_expr()
    }

    /// Escape hatch: KQL expression text the builder cannot express, typed by the caller.
    ///
    /// The text is parsed with `kql_syntax` as `print x = (TEXT)` and rejected when it has
    /// syntax errors. It is always emitted in parentheses. The type `T` is the caller's claim;
    /// nothing checks it. The check is for syntax only: text that closes the parenthesis and
    /// continues the pipeline (`x) | take 1 | where (y`) still parses, so never pass untrusted
    /// input here; use literals ([`lit`], [`escape_string`](crate::escape_string)) for values.
    pub fn raw(text: &str) -> Result<Self, crate::RawError> {
        crate::query::check_raw(&format!("print __kqlbuilder_raw = ({text})"), text)?;
        Ok(Expr::from_node(Node::Raw(text.to_owned())))
    }
}

/// A typed column reference. `const`-constructible so generated tables expose columns as
/// associated constants (`DeviceProcessEvents::FileName`).
pub struct Column<T> {
    name: Cow<'static, str>,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        Column {
            name: self.name.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Column({})", self.name)
    }
}

impl<T: KqlType> Column<T> {
    /// A column with a static name (usable in `const`).
    pub const fn new(name: &'static str) -> Self {
        Column {
            name: Cow::Borrowed(name),
            _type: PhantomData,
        }
    }

    /// A column whose name is only known at run time (a `summarize` alias, a user table).
    pub fn named(name: impl Into<String>) -> Self {
        Column {
            name: Cow::Owned(name.into()),
            _type: PhantomData,
        }
    }

    /// The column's KQL name, unescaped.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// As an expression.
    pub fn expr(&self) -> Expr<T> {
        Expr::from_node(Node::name(&self.name))
    }

    /// `Name = expr` in `project`/`extend`/`summarize by`: a new column computed from `expr`.
    pub fn set(&self, expr: impl IntoExpr<T>) -> Named {
        Named {
            name: Some(self.name.to_string()),
            node: expr.into_expr().node,
        }
    }

    /// `NewName = self` in `project-rename`.
    pub fn rename_to(&self, new_name: impl AliasName<T>) -> Rename {
        Rename {
            new: new_name.alias(),
            old: self.name.to_string(),
        }
    }

    /// `$left.Column` in a join condition.
    pub fn left(&self) -> JoinSide<T> {
        JoinSide {
            side: "$left",
            name: self.name.to_string(),
            _type: PhantomData,
        }
    }

    /// `$right.Column` in a join condition.
    pub fn right(&self) -> JoinSide<T> {
        JoinSide {
            side: "$right",
            name: self.name.to_string(),
            _type: PhantomData,
        }
    }
}

impl<T: KqlType> Expr<T> {
    /// As an expression (identity; exists so that `Column` and `Expr` share method bodies).
    pub fn expr(&self) -> Expr<T> {
        self.clone()
    }
}

/// One side of a join condition: `$left.Name` / `$right.Name`.
pub struct JoinSide<T> {
    side: &'static str,
    name: String,
    _type: PhantomData<fn() -> T>,
}

impl<T: Equatable> JoinSide<T> {
    /// `$left.a == $right.b`.
    pub fn eq(self, other: JoinSide<T>) -> crate::query::JoinOn {
        let text = |s: &JoinSide<T>| format!("{}.{}", s.side, escape_identifier(&s.name));
        crate::query::JoinOn::from_text(format!("{} == {}", text(&self), text(&other)))
    }
}

/// Anything that can stand where an `Expr<T>` is expected: expressions, columns, literals.
///
/// Implicit widening follows KQL: an `int` expression is accepted where a `long` or `real` is
/// expected, a `long` where a `real` is. Integer literals are `long` (`5`); an `i32` used as an
/// `int` becomes `int(5)` because KQL has no `int` literal syntax.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a KQL expression of type `{T}`",
    label = "expected a `{T}` here",
    note = "KQL converts only int → long → real implicitly; a string is not a datetime: write `DateTimeValue::from_ymd_hms(2024, 1, 1, 0, 0, 0)` (emits `datetime(2024-01-01)`) or `todatetime(\"2024-01-01\")`, and convert other values with `tolong(...)`, `tostring(...)`",
    note = "aggregates (`count()`, `sum(...)`) are not row expressions: use them in `summarize`, then refer to the result column"
)]
pub trait IntoExpr<T> {
    /// Converts into a typed expression.
    fn into_expr(self) -> Expr<T>;
}

impl<T: KqlType> IntoExpr<T> for Expr<T> {
    fn into_expr(self) -> Expr<T> {
        self
    }
}
impl<T: KqlType> IntoExpr<T> for &Expr<T> {
    fn into_expr(self) -> Expr<T> {
        self.clone()
    }
}
impl<T: KqlType> IntoExpr<T> for Column<T> {
    fn into_expr(self) -> Expr<T> {
        self.expr()
    }
}
impl<T: KqlType> IntoExpr<T> for &Column<T> {
    fn into_expr(self) -> Expr<T> {
        self.expr()
    }
}

macro_rules! widen {
    ($($from:ident => $to:ident),*) => {$(
        impl IntoExpr<ty::$to> for Expr<ty::$from> {
            fn into_expr(self) -> Expr<ty::$to> { Expr::from_node(self.node) }
        }
        impl IntoExpr<ty::$to> for Column<ty::$from> {
            fn into_expr(self) -> Expr<ty::$to> { Expr::from_node(self.expr().node) }
        }
        impl IntoExpr<ty::$to> for &Column<ty::$from> {
            fn into_expr(self) -> Expr<ty::$to> { Expr::from_node(self.expr().node) }
        }
    )*};
}
widen!(Int => Long, Int => Real, Long => Real);

macro_rules! literal {
    ($($rust:ty => $kql:ident |$v:ident| $node:expr;)*) => {$(
        impl IntoExpr<ty::$kql> for $rust {
            fn into_expr(self) -> Expr<ty::$kql> { let $v = self; Expr::from_node($node) }
        }
    )*};
}
literal! {
    &str => String |v| Node::string(v);
    String => String |v| Node::string(&v);
    &String => String |v| Node::string(v);
    i64 => Long |v| value::long_node(v);
    i32 => Long |v| value::long_node(v as i64);
    u32 => Long |v| value::long_node(v as i64);
    i32 => Int |v| value::int_node(v);
    f64 => Real |v| value::real_node(v);
    i32 => Real |v| value::real_node(v as f64);
    bool => Bool |v| Node::lit(v.to_string());
    DateTimeValue => DateTime |v| Node::lit(v.to_string());
    TimeSpanValue => TimeSpan |v| v.node();
    GuidValue => Guid |v| Node::lit(v.to_string());
    serde_json::Value => Dynamic |v| value::dynamic_node(&v);
    &serde_json::Value => Dynamic |v| value::dynamic_node(v);
}

/// `None` is the typed null (`long(null)`, `datetime(null)`, ...); `Some(x)` is `x`.
impl<T: Nullable, X: IntoExpr<T>> IntoExpr<T> for Option<X> {
    fn into_expr(self) -> Expr<T> {
        match self {
            Some(x) => x.into_expr(),
            None => Expr::from_node(Node::lit(format!("{}(null)", T::NAME))),
        }
    }
}

/// An expression whose KQL type is known from the Rust type alone (columns, expressions and
/// literals; not the widening conversions of [`IntoExpr`]). Generic functions such as
/// [`tostring`] and [`bin`] take it so that the type is inferred without annotations.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a typed KQL expression",
    label = "expected a column, an expression or a literal",
    note = "aggregates (`count()`, `sum(...)`) belong in `summarize`"
)]
pub trait TypedExpr {
    /// The KQL type.
    type Type: KqlType;
    /// Converts into the typed expression.
    fn typed(self) -> Expr<Self::Type>;
}

impl<T: KqlType> TypedExpr for Expr<T> {
    type Type = T;
    fn typed(self) -> Expr<T> {
        self
    }
}
impl<T: KqlType> TypedExpr for &Expr<T> {
    type Type = T;
    fn typed(self) -> Expr<T> {
        self.clone()
    }
}
impl<T: KqlType> TypedExpr for Column<T> {
    type Type = T;
    fn typed(self) -> Expr<T> {
        self.expr()
    }
}
impl<T: KqlType> TypedExpr for &Column<T> {
    type Type = T;
    fn typed(self) -> Expr<T> {
        self.expr()
    }
}
macro_rules! typed_literal {
    ($($rust:ty => $kql:ident),*) => {$(
        impl TypedExpr for $rust {
            type Type = ty::$kql;
            fn typed(self) -> Expr<ty::$kql> { IntoExpr::<ty::$kql>::into_expr(self) }
        }
    )*};
}
typed_literal!(&str => String, String => String, i64 => Long, i32 => Long, f64 => Real, bool => Bool,
    DateTimeValue => DateTime, TimeSpanValue => TimeSpan, GuidValue => Guid, serde_json::Value => Dynamic);

/// A name for a computed column: a `&str`/`String`, or a typed [`Column`] (which also checks
/// that the value's type matches the column's).
pub trait AliasName<T> {
    /// The unescaped name.
    fn alias(self) -> String;
}
impl<T> AliasName<T> for &str {
    fn alias(self) -> String {
        self.to_owned()
    }
}
impl<T> AliasName<T> for String {
    fn alias(self) -> String {
        self
    }
}
impl<T: KqlType> AliasName<T> for Column<T> {
    fn alias(self) -> String {
        self.name.into_owned()
    }
}
impl<T: KqlType> AliasName<T> for &Column<T> {
    fn alias(self) -> String {
        self.name.to_string()
    }
}

/// An expression with an optional output name: an item of `project`, `extend`, `distinct`,
/// `summarize ... by`, `mv-expand`.
#[derive(Debug, Clone)]
pub struct Named {
    pub(crate) name: Option<String>,
    pub(crate) node: Node,
}

impl Named {
    pub(crate) fn write(&self, out: &mut String) {
        if let Some(name) = &self.name {
            out.push_str(&escape_identifier(name));
            out.push_str(" = ");
        }
        self.node.write(out);
    }
}

impl<T: KqlType> From<Expr<T>> for Named {
    fn from(e: Expr<T>) -> Self {
        Named {
            name: None,
            node: e.node,
        }
    }
}
impl<T: KqlType> From<Column<T>> for Named {
    fn from(c: Column<T>) -> Self {
        Named {
            name: None,
            node: c.expr().node,
        }
    }
}
impl<T: KqlType> From<&Column<T>> for Named {
    fn from(c: &Column<T>) -> Self {
        Named {
            name: None,
            node: c.expr().node,
        }
    }
}

/// A bare column name (`project-away`).
#[derive(Debug, Clone)]
pub struct ColumnName(pub(crate) String);

impl<T: KqlType> From<Column<T>> for ColumnName {
    fn from(c: Column<T>) -> Self {
        ColumnName(c.name.into_owned())
    }
}
impl<T: KqlType> From<&Column<T>> for ColumnName {
    fn from(c: &Column<T>) -> Self {
        ColumnName(c.name.to_string())
    }
}
impl From<&str> for ColumnName {
    fn from(c: &str) -> Self {
        ColumnName(c.to_owned())
    }
}

/// `NewName = OldName` in `project-rename`.
#[derive(Debug, Clone)]
pub struct Rename {
    pub(crate) new: String,
    pub(crate) old: String,
}

/// A sort key for `order by`/`sort by`/`top`: an expression with optional direction and null
/// placement. Without a direction KQL sorts **descending**; the builder keeps what was asked.
#[derive(Debug, Clone)]
pub struct SortKey {
    pub(crate) node: Node,
    pub(crate) dir: Option<&'static str>,
    pub(crate) nulls: Option<&'static str>,
}

impl SortKey {
    /// `nulls first`.
    pub fn nulls_first(mut self) -> Self {
        self.nulls = Some("nulls first");
        self
    }
    /// `nulls last`.
    pub fn nulls_last(mut self) -> Self {
        self.nulls = Some("nulls last");
        self
    }
    pub(crate) fn write(&self, out: &mut String) {
        self.node.write(out);
        for part in [self.dir, self.nulls].into_iter().flatten() {
            out.push(' ');
            out.push_str(part);
        }
    }
}

impl<T: KqlType> From<Expr<T>> for SortKey {
    fn from(e: Expr<T>) -> Self {
        SortKey {
            node: e.node,
            dir: None,
            nulls: None,
        }
    }
}
impl<T: KqlType> From<Column<T>> for SortKey {
    fn from(c: Column<T>) -> Self {
        c.expr().into()
    }
}
impl<T: KqlType> From<&Column<T>> for SortKey {
    fn from(c: &Column<T>) -> Self {
        c.expr().into()
    }
}

// ---------------------------------------------------------------- functions

/// `not(e)`: KQL's `not` is a function, so it never needs precedence parentheses.
pub fn not(e: impl IntoExpr<ty::Bool>) -> Expr<ty::Bool> {
    Expr::from_node(Node::call("not", vec![e.into_expr().node]))
}

/// `ago(span)`: now minus `span`.
///
/// ```
/// use kql_builder::{ago, days};
/// assert_eq!(ago(days(7)).to_kql(), "ago(7d)");
/// ```
pub fn ago(span: impl IntoExpr<ty::TimeSpan>) -> Expr<ty::DateTime> {
    Expr::from_node(Node::call("ago", vec![span.into_expr().node]))
}

/// `now()`.
pub fn now() -> Expr<ty::DateTime> {
    Expr::from_node(Node::call("now", vec![]))
}

/// `bin(value, size)`: rounds down to a multiple of `size` (`bin(Timestamp, 1h)`).
pub fn bin<E: TypedExpr>(
    value: E,
    size: impl IntoExpr<<E::Type as Binnable>::Size>,
) -> Expr<E::Type>
where
    E::Type: Binnable,
{
    Expr::from_node(Node::call(
        "bin",
        vec![value.typed().node, size.into_expr().node],
    ))
}

/// `startofday(t)`.
pub fn startofday(t: impl IntoExpr<ty::DateTime>) -> Expr<ty::DateTime> {
    Expr::from_node(Node::call("startofday", vec![t.into_expr().node]))
}

/// `iff(cond, then, else)`; the result has `then`'s type, and `otherwise` must convert to it.
pub fn iff<E: TypedExpr>(
    cond: impl IntoExpr<ty::Bool>,
    then: E,
    otherwise: impl IntoExpr<E::Type>,
) -> Expr<E::Type> {
    Expr::from_node(Node::call(
        "iff",
        vec![
            cond.into_expr().node,
            then.typed().node,
            otherwise.into_expr().node,
        ],
    ))
}

/// `strcat(parts...)`.
pub fn strcat<I: IntoExpr<ty::String>>(parts: impl IntoIterator<Item = I>) -> Expr<ty::String> {
    Expr::from_node(Node::call(
        "strcat",
        parts.into_iter().map(|p| p.into_expr().node).collect(),
    ))
}

/// `extract(regex, group, text)`: the regex's capture group, or the empty string.
pub fn extract(regex: &str, group: i64, text: impl IntoExpr<ty::String>) -> Expr<ty::String> {
    Expr::from_node(Node::call(
        "extract",
        vec![
            Node::string(regex),
            value::long_node(group),
            text.into_expr().node,
        ],
    ))
}

/// `parse_json(text)`: a `dynamic` from JSON text.
pub fn parse_json(text: impl IntoExpr<ty::String>) -> Expr<ty::Dynamic> {
    Expr::from_node(Node::call("parse_json", vec![text.into_expr().node]))
}

macro_rules! conversions {
    ($($(#[$m:meta])* $name:ident $kql:literal -> $to:ident;)*) => {$(
        $(#[$m])*
        pub fn $name(e: impl TypedExpr) -> Expr<ty::$to> {
            Expr::from_node(Node::call($kql, vec![e.typed().node]))
        }
    )*};
}
conversions! {
    /// `tostring(e)`.
    tostring "tostring" -> String;
    /// `tolong(e)`: null when not convertible.
    tolong "tolong" -> Long;
    /// `toint(e)`: null when not convertible.
    toint "toint" -> Int;
    /// `toreal(e)`: null when not convertible.
    toreal "toreal" -> Real;
    /// `tobool(e)`.
    tobool "tobool" -> Bool;
    /// `todatetime(e)`.
    todatetime "todatetime" -> DateTime;
    /// `totimespan(e)`.
    totimespan "totimespan" -> TimeSpan;
    /// `toguid(e)`.
    toguid "toguid" -> Guid;
}

/// A typed literal expression: `lit(5)` (a `long`), `lit("x")`, `lit(days(1))`.
pub fn lit<T: KqlType>(value: impl IntoExpr<T>) -> Expr<T> {
    value.into_expr()
}
