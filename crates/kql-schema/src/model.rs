//! The schema model: tables, columns, user functions, and lookups over them.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::suggest::suggest;
use crate::ScalarType;

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ScalarType,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: ScalarType) -> Self {
        Column {
            name: name.into(),
            ty,
        }
    }
}

/// A table a query can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    /// In declaration order (the order `getschema` and `project *` use).
    pub columns: Vec<Column>,
    /// The datetime column the service filters on (`Timestamp` in Advanced Hunting); `None` for
    /// snapshot tables such as `DeviceTvmSoftwareInventory`, which have no time filter.
    pub time_column: Option<String>,
    /// The table's new name when Microsoft has renamed it (the old name still works for now).
    pub renamed_to: Option<String>,
    pub description: Option<String>,
}

impl Table {
    /// A table with no time column and no rename; see [`Table::with_default_time_column`].
    pub fn new(name: impl Into<String>, columns: Vec<Column>) -> Self {
        Table {
            name: name.into(),
            columns,
            time_column: None,
            renamed_to: None,
            description: None,
        }
    }

    /// Sets the time column to `Timestamp` or else `TimeGenerated` when the table has it as a
    /// datetime column: the conventions of Advanced Hunting and of Log Analytics / Sentinel.
    pub fn with_default_time_column(mut self) -> Self {
        self.time_column = default_time_column(&self.columns);
        self
    }

    /// The column named exactly `name` (KQL names are case-sensitive).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column name closest to `name`, for "did you mean".
    pub fn suggest_column(&self, name: &str) -> Option<&str> {
        suggest(name, self.columns.iter().map(|c| c.name.as_str()))
    }
}

pub(crate) fn default_time_column(columns: &[Column]) -> Option<String> {
    ["Timestamp", "TimeGenerated"]
        .into_iter()
        .find(|n| {
            columns
                .iter()
                .any(|c| c.name == *n && c.ty == ScalarType::DateTime)
        })
        .map(str::to_string)
}

/// The type of a function parameter: a scalar, or a table (`T:(*)` in KQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Scalar(ScalarType),
    Tabular,
}

impl std::fmt::Display for ParamType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamType::Scalar(t) => write!(f, "{t}"),
            ParamType::Tabular => f.write_str("(*)"),
        }
    }
}

/// One parameter of a user or schema function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub ty: ParamType,
    /// KQL text of the default value; a parameter with a default is optional.
    pub default: Option<String>,
}

/// A stored (user-defined or schema) function, such as Advanced Hunting's `FileProfile`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub parameters: Vec<Parameter>,
    /// The KQL body, `{ ... }` included or not, when known: lets analysis expand the function.
    pub body: Option<String>,
    /// The columns of the table the function returns, when declared (it may return a scalar, or
    /// the output may only be known by analysing the body).
    pub columns: Option<Vec<Column>>,
    pub description: Option<String>,
}

impl Function {
    /// Number of parameters without a default.
    pub fn min_args(&self) -> usize {
        self.parameters
            .iter()
            .filter(|p| p.default.is_none())
            .count()
    }

    /// Whether the first parameter is a table, so the function is called with `invoke`
    /// (the piped input fills it).
    pub fn takes_table_input(&self) -> bool {
        self.parameters
            .first()
            .is_some_and(|p| p.ty == ParamType::Tabular)
    }
}

/// Everything a query can refer to besides built-ins: tables and stored functions.
///
/// Keys are exact names; KQL name resolution is case-sensitive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    pub functions: BTreeMap<String, Function>,
    /// Sizes of tables, by name, from `.show tables details` output; for cost estimates (a full
    /// scan of a large table costs more). A table may have sizes without columns, and not
    /// every table has sizes.
    pub table_stats: BTreeMap<String, TableStats>,
}

/// How big a table is, as `.show tables details` reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableStats {
    pub row_count: Option<u64>,
    /// Compressed size of the table's data.
    pub extent_size_bytes: Option<u64>,
    /// Size of the data as ingested.
    pub original_size_bytes: Option<u64>,
}

static ADVANCED_HUNTING: OnceLock<Schema> = OnceLock::new();

/// The built-in schema file, ours, in our own JSON format.
const ADVANCED_HUNTING_JSON: &str = include_str!("../data/advanced_hunting.json");

impl Schema {
    /// The Microsoft Defender Advanced Hunting schema (64 tables and the `FileProfile`,
    /// `DeviceFromIP` and `AssignedIPAddresses` functions), parsed once on first use.
    pub fn advanced_hunting() -> &'static Schema {
        ADVANCED_HUNTING.get_or_init(|| {
            // The file is ours and checked by tests, so failing here is a build defect.
            crate::load::parse_native_json(ADVANCED_HUNTING_JSON)
                .expect("built-in data/advanced_hunting.json is valid")
        })
    }

    /// A schema with nothing in it: every table name is unknown.
    pub fn empty() -> Schema {
        Schema::default()
    }

    /// The table named exactly `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        if let Some(builtin) = self.as_builtin() {
            static INDEX: BuiltinIndex<Table> = OnceLock::new();
            return lookup_builtin(&INDEX, &builtin.tables, name);
        }
        self.tables.get(name)
    }

    /// The stored function named exactly `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        if let Some(builtin) = self.as_builtin() {
            static INDEX: BuiltinIndex<Function> = OnceLock::new();
            return lookup_builtin(&INDEX, &builtin.functions, name);
        }
        self.functions.get(name)
    }

    /// Adds or replaces a table.
    pub fn insert_table(&mut self, table: Table) {
        self.tables.insert(table.name.clone(), table);
    }

    /// Adds or replaces a function.
    pub fn insert_function(&mut self, function: Function) {
        self.functions.insert(function.name.clone(), function);
    }

    /// Adds `other` to this schema; `other`'s tables and functions replace same-named ones, so a
    /// user file can override a built-in table.
    pub fn merge(&mut self, other: Schema) {
        self.tables.extend(other.tables);
        self.functions.extend(other.functions);
        self.table_stats.extend(other.table_stats);
    }

    /// The sizes of the table named exactly `name`, when a `.show tables details` file gave them.
    pub fn table_stats(&self, name: &str) -> Option<&TableStats> {
        self.table_stats.get(name)
    }

    /// The closest table name, for "did you mean".
    pub fn suggest_table(&self, name: &str) -> Option<&str> {
        if let Some(builtin) = self.as_builtin() {
            return builtin_suggestion(Lookup::Table, name, || {
                suggest(name, builtin.tables.keys().map(String::as_str))
            });
        }
        suggest(name, self.tables.keys().map(String::as_str))
    }

    /// Whether `self` is the built-in schema, which never changes: callers may cache what they
    /// derive from it for the life of the process.
    pub fn is_builtin(&self) -> bool {
        self.as_builtin().is_some()
    }

    /// `self` when it is the built-in schema (immutable, so answers about it can be cached).
    fn as_builtin(&self) -> Option<&'static Schema> {
        ADVANCED_HUNTING.get().filter(|b| std::ptr::eq(*b, self))
    }

    /// The closest stored function name, for "did you mean".
    pub fn suggest_function(&self, name: &str) -> Option<&str> {
        suggest(name, self.functions.keys().map(String::as_str))
    }

    /// The closest table or function name, for "did you mean" where either may appear.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        if let Some(builtin) = self.as_builtin() {
            return builtin_suggestion(Lookup::TableOrFunction, name, || {
                builtin.suggest_uncached(name)
            });
        }
        self.suggest_uncached(name)
    }

    fn suggest_uncached(&self, name: &str) -> Option<&str> {
        suggest(
            name,
            self.tables
                .keys()
                .chain(self.functions.keys())
                .map(String::as_str),
        )
    }

    /// `(old, new)` pairs of renamed tables.
    pub fn renamed_tables(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tables
            .values()
            .filter_map(|t| Some((t.name.as_str(), t.renamed_to.as_deref()?)))
    }
}

/// A hash index over one of the built-in schema's maps, built on first use.
type BuiltinIndex<T> = OnceLock<rustc_hash::FxHashMap<&'static str, &'static T>>;

/// `map[name]` through `index`. Every name a query reads (and every function it calls) is looked
/// up here: hashing the name once is cheaper than a walk down the B-tree comparing strings.
fn lookup_builtin<T>(
    index: &'static BuiltinIndex<T>,
    map: &'static BTreeMap<String, T>,
    name: &str,
) -> Option<&'static T> {
    let index = index.get_or_init(|| map.iter().map(|(k, v)| (k.as_str(), v)).collect());
    index.get(name).copied()
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lookup {
    Table,
    TableOrFunction,
}

/// "Did you mean" answers about the built-in schema, by unknown name. The same few unknown names
/// (Sentinel tables such as `SecurityEvent`) come back file after file, and each search scans
/// every name. Only the built-in schema is cached: a user's `Schema` can change.
fn builtin_suggestion(
    lookup: Lookup,
    name: &str,
    search: impl FnOnce() -> Option<&'static str>,
) -> Option<&'static str> {
    type Cache = BTreeMap<(Lookup, String), Option<&'static str>>;
    static CACHE: Mutex<Cache> = Mutex::new(BTreeMap::new());
    let lock = || CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    let key = (lookup, name.to_string());
    if let Some(hit) = lock().get(&key) {
        return *hit;
    }
    let found = search();
    let mut cache = lock();
    // Bounded: a long-running process (an editor server) sees ever new names.
    if cache.len() >= 4096 {
        cache.clear();
    }
    cache.insert(key, found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn builtin_schema_is_consistent() {
        let s = Schema::advanced_hunting();
        assert_eq!(s.tables.len(), 64);
        for t in s.tables.values() {
            assert!(!t.columns.is_empty(), "{} has no columns", t.name);
            let mut seen = HashSet::new();
            for c in &t.columns {
                assert!(seen.insert(&c.name), "{}.{} duplicated", t.name, c.name);
                assert_ne!(c.ty, ScalarType::Unknown);
            }
            if let Some(tc) = &t.time_column {
                let c = t
                    .column(tc)
                    .unwrap_or_else(|| panic!("{}: no {tc}", t.name));
                assert_eq!(c.ty, ScalarType::DateTime, "{}.{tc}", t.name);
            }
            if let Some(new) = &t.renamed_to {
                assert!(
                    s.table(new).is_some(),
                    "{} renamed to missing {new}",
                    t.name
                );
            }
        }
        let renamed: Vec<_> = s.renamed_tables().collect();
        assert!(renamed.contains(&("AADSignInEventsBeta", "EntraIdSignInEvents")));
        assert_eq!(renamed.len(), 3);
    }

    #[test]
    fn builtin_schema_matches_shared_facts() {
        let s = Schema::advanced_hunting();
        let t = s.table("DeviceProcessEvents").unwrap();
        assert_eq!(t.time_column.as_deref(), Some("Timestamp"));
        assert_eq!(
            t.column("ProcessCommandLine").unwrap().ty,
            ScalarType::String
        );
        assert!(t.column("processcommandline").is_none(), "case-sensitive");
        let snap = s.table("DeviceTvmSoftwareInventory").unwrap();
        assert_eq!(snap.time_column, None);
        let fp = s.function("FileProfile").unwrap();
        assert!(fp.takes_table_input());
        assert_eq!(fp.min_args(), 1);
        assert!(fp
            .columns
            .as_ref()
            .unwrap()
            .iter()
            .any(|c| c.name == "GlobalPrevalence"));
        assert!(s.function("DeviceFromIP").is_some());
        assert!(s.function("AssignedIPAddresses").is_some());
        assert!(std::ptr::eq(s, Schema::advanced_hunting()), "parsed once");
    }

    #[test]
    fn lookup_and_suggest() {
        let s = Schema::advanced_hunting();
        assert!(s.table("deviceprocessevents").is_none());
        assert_eq!(
            s.suggest_table("deviceprocessevents"),
            Some("DeviceProcessEvents")
        );
        assert_eq!(
            s.suggest_table("DeviceProcesEvent"),
            Some("DeviceProcessEvents")
        );
        assert_eq!(s.suggest("FileProfil"), Some("FileProfile"));
        assert_eq!(s.suggest_function("fileprofile"), Some("FileProfile"));
        assert_eq!(s.suggest_table("Zzzzzzzz"), None);
        let t = s.table("DeviceProcessEvents").unwrap();
        assert_eq!(t.suggest_column("FileNme"), Some("FileName"));
    }

    #[test]
    fn merge_replaces_same_named_tables() {
        let mut s = Schema::advanced_hunting().clone();
        let mut user = Schema::empty();
        user.insert_table(Table::new(
            "DeviceEvents",
            vec![Column::new("Only", ScalarType::Long)],
        ));
        user.insert_table(
            Table::new(
                "SigninLogs",
                vec![Column::new("TimeGenerated", ScalarType::DateTime)],
            )
            .with_default_time_column(),
        );
        s.merge(user);
        assert_eq!(s.tables.len(), 65);
        assert_eq!(s.table("DeviceEvents").unwrap().columns.len(), 1);
        assert_eq!(
            s.table("SigninLogs").unwrap().time_column.as_deref(),
            Some("TimeGenerated")
        );
        assert!(Schema::empty().tables.is_empty());
    }

    #[test]
    fn default_time_column_needs_datetime() {
        let t = Table::new("T", vec![Column::new("Timestamp", ScalarType::String)])
            .with_default_time_column();
        assert_eq!(t.time_column, None);
        let t = Table::new(
            "T",
            vec![
                Column::new("TimeGenerated", ScalarType::DateTime),
                Column::new("Timestamp", ScalarType::DateTime),
            ],
        )
        .with_default_time_column();
        assert_eq!(t.time_column.as_deref(), Some("Timestamp"));
    }
}
