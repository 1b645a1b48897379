//! References to other databases and clusters, which Advanced Hunting cannot reach.
//!
//! Kusto's analyzer knows the databases of the cluster it is connected to and no other
//! cluster: `database("Other")` (without `cluster(...)` before it) is an unknown database
//! (its KS208), and a `#connect` client directive names a cluster whose schema it does not
//! have (KS207). Advanced Hunting has one database and no clusters, so both are errors here
//! too. `cluster("c").database("d")` stays allowed (Kusto only warns about it), and so do a
//! database pattern with `*` (it may match the current database) and an `alias database` name.

use super::*;

impl Binder<'_> {
    /// `database("name")` called by its own name: the name is not a database we know.
    pub(super) fn unknown_database(&mut self, name: &str, range: TextRange) {
        if self.fuzzy > 0 || name.contains('*') || self.database_aliases.iter().any(|a| a == name) {
            return;
        }
        self.error(
            codes::UNKNOWN_DATABASE,
            format!("unknown database `{name}`"),
            range,
            Some("Advanced Hunting queries read the tables of its schema; there is no other database".into()),
        );
    }

    /// `alias database name = cluster(...).database(...)`: `database("name")` is known after it.
    pub(super) fn database_alias(&mut self, stmt: &SyntaxNode) {
        if let Some(name) = child(stmt, NAME).and_then(|n| name_text(&n)) {
            self.database_aliases.push(name);
        }
    }

    /// A `#connect` directive: reported when it names a cluster.
    pub(super) fn directive(&mut self, stmt: &SyntaxNode) {
        let text = stmt.text().to_string();
        let Some(target) = text.trim().strip_prefix("#connect") else {
            return;
        };
        let target = target.trim();
        if target.is_empty() || !text.trim_start().starts_with("#connect") {
            return;
        }
        self.error(
            codes::UNKNOWN_CLUSTER,
            format!("`#connect` to `{target}`: a cluster the schema does not have"),
            stmt.text_range(),
            Some(
                "Advanced Hunting runs every query against its own schema; remove the directive"
                    .into(),
            ),
        );
    }
}
