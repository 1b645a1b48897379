//! `let` statements whose names never collide.
//!
//! A binding made with [`Lets`] is a [`LetDef`] with a process-unique id. Text that refers to it
//! carries a placeholder for that id, not the name; the name is chosen only when the whole query
//! is written ([`Query::to_kql`](crate::Query::to_kql)), once every binding the query uses is
//! known. Decision (the issue left the choice open): two *different* bindings that asked for
//! the same name get distinct names — the first keeps it, later ones get `name_2`, `name_3`…
//! — instead of an error, because the builder's operators cannot fail and a program that joins
//! two independently built subqueries should not have to know their internals. Two bindings
//! with the same name and the same value are one statement.
//!
//! Bindings travel with the expressions and queries that use them, so a query that uses a
//! `let` name always carries its statement (in an order where every statement comes after the
//! ones it refers to).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::escape::escape_identifier;
use crate::expr::{Expr, IntoExpr, Node};
use crate::list::{array_node, ArrayElement};
use crate::query::Query;
use crate::types::{self as ty, KqlType};

/// Starts a placeholder in text that is not written yet; control characters never appear raw
/// in emitted text (string literals escape them, raw text containing them is refused).
pub(crate) const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One `let name = value;` binding.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LetDef {
    id: u64,
    /// The name asked for (unescaped).
    name: String,
    /// The value's text, with placeholders for the bindings it refers to.
    value: String,
    /// Bindings the value refers to, in statement order.
    deps: Vec<Arc<LetDef>>,
}

impl LetDef {
    fn new(name: &str, value: String, deps: Vec<Arc<LetDef>>) -> Arc<LetDef> {
        Arc::new(LetDef {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            name: name.to_owned(),
            value,
            deps,
        })
    }

    /// The text standing for this binding's name until the query is written.
    pub(crate) fn placeholder(&self) -> String {
        format!("{OPEN}{}{CLOSE}", self.id)
    }
}

/// Adds `def` (after the bindings it needs) to `list` unless it is there already.
pub(crate) fn add_let(list: &mut Vec<Arc<LetDef>>, def: &Arc<LetDef>) {
    if list.iter().any(|d| d.id == def.id) {
        return;
    }
    for dep in &def.deps {
        add_let(list, dep);
    }
    list.push(def.clone());
}

/// The final names of a query's bindings and the statements to write.
pub(crate) struct Names {
    by_id: HashMap<u64, String>,
    /// `(final name, value with placeholders)` of each statement, in order.
    statements: Vec<(String, String)>,
}

impl Names {
    /// Chooses names for `lets` (in statement order): the name asked for when free, else the
    /// same binding already written under it, else `name_2`, `name_3`…
    pub(crate) fn assign(lets: &[Arc<LetDef>]) -> Names {
        let mut names = Names {
            by_id: HashMap::new(),
            statements: Vec::new(),
        };
        let mut requested: Vec<&str> = Vec::new();
        for def in lets {
            let same = names
                .statements
                .iter()
                .zip(&requested)
                .find(|((_, value), asked)| **asked == def.name && *value == def.value);
            if let Some(((name, _), _)) = same {
                names.by_id.insert(def.id, name.clone());
                continue;
            }
            let mut name = def.name.clone();
            let mut n = 2;
            while names.statements.iter().any(|(taken, _)| *taken == name) {
                name = format!("{}_{n}", def.name);
                n += 1;
            }
            names.by_id.insert(def.id, name.clone());
            names.statements.push((name, def.value.clone()));
            requested.push(&def.name);
        }
        names
    }

    /// The `let` statements, one per line.
    pub(crate) fn write_statements(&self, out: &mut String) {
        for (name, value) in &self.statements {
            out.push_str("let ");
            out.push_str(&escape_identifier(name));
            out.push_str(" = ");
            self.write_resolved(out, value);
            out.push_str(";\n");
        }
    }

    /// `text` with every placeholder replaced by its binding's escaped name.
    pub(crate) fn write_resolved(&self, out: &mut String, text: &str) {
        let mut rest = text;
        while let Some(start) = rest.find(OPEN) {
            out.push_str(&rest[..start]);
            let after = &rest[start + OPEN.len_utf8()..];
            let Some(end) = after.find(CLOSE) else {
                out.push_str(&rest[start..]);
                return;
            };
            let id = after[..end].parse::<u64>().ok();
            match id.and_then(|id| self.by_id.get(&id)) {
                Some(name) => out.push_str(&escape_identifier(name)),
                // Not reachable through the public API (every reference carries its binding).
                None => out.push_str(&after[..end]),
            }
            rest = &after[end + CLOSE.len_utf8()..];
        }
        out.push_str(rest);
    }

    /// `text` resolved, as a new string.
    pub(crate) fn resolve(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.write_resolved(&mut out, text);
        out
    }
}

/// Builds `let` statements and hands back references to them.
///
/// The references carry their statements: a query that uses one gets the statement written
/// before it, with a name that no other binding in the query uses (see the module docs).
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
    lets: Vec<Arc<LetDef>>,
}

impl Lets {
    /// No statements yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `let name = expr;` and an expression referring to it.
    pub fn scalar<T: KqlType>(&mut self, name: &str, value: impl IntoExpr<T>) -> Expr<T> {
        let node = value.into_expr().node;
        let mut deps = Vec::new();
        node.collect_lets(&mut deps);
        let def = LetDef::new(name, node.to_raw_text(), deps);
        add_let(&mut self.lets, &def);
        Expr::from_node(Node::Let(def))
    }

    /// `let name = dynamic([...]);`: a typed list of literal values (an IOC list), usable with
    /// `in_`, `has_any` and friends of columns of the element type.
    ///
    /// ```
    /// use kql_builder::{Lets, Column, types};
    /// let sha = Column::<types::String>::new("SHA256");
    /// let mut lets = Lets::new();
    /// let iocs = lets.array("iocs", ["e3b0c442", "5d41402a"]);
    /// let q = kql_builder::Query::table("DeviceFileEvents").where_(sha.in_(&iocs));
    /// assert_eq!(q.to_kql(), "let iocs = dynamic([\"e3b0c442\",\"5d41402a\"]);\nDeviceFileEvents\n| where SHA256 in (iocs)");
    /// ```
    pub fn array<T: KqlType, V: ArrayElement<T>>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Expr<ty::Array<T>> {
        self.scalar(name, Expr::<ty::Array<T>>::from_node(array_node(values)))
    }

    /// `let name = query;` and a query starting from `name`. The returned query carries the
    /// statements it needs, so it is complete on its own.
    pub fn tabular(&mut self, name: &str, query: Query) -> Query {
        let (deps, body) = query.into_binding();
        let def = LetDef::new(name, body, deps);
        add_let(&mut self.lets, &def);
        Query::from_let(def)
    }

    /// `query` preceded by every statement made so far (also those it does not use).
    pub fn query(&self, query: Query) -> Query {
        query.with_lets_first(&self.lets)
    }
}
