//! Successful responses: Defender's `QueryResponse` and Graph's `huntingQueryResults`.
//!
//! Defender answers in PascalCase (`Stats`, `Schema`, `Results`, `Name`, `Type`), Graph in
//! camelCase (`schema`, `results`, `name`, `type`) — and Graph's own documentation shows both.
//! Field names of these containers are therefore matched ASCII-case-insensitively when reading;
//! when writing, each type uses its API's documented spelling. Unknown fields (such as Graph's
//! `@odata.context`) are kept in `extra` so nothing is lost on a round trip. SchemaColumn names inside
//! result rows are data and stay exactly as the service sent them.

use std::fmt;
use std::time::Duration;

use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, SeqAccess};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::cell::{deserialize_methods, Cell};
use crate::dotnet::serde_dotnet_timespan;
use crate::limits;

/// One result row: column name → JSON value, as sent by the service.
pub type Row = Map<String, Value>;

/// Query performance statistics (`Stats`), only returned by the Defender API.
///
/// Names follow the documented example; fields the documentation does not show are kept in
/// `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Stats {
    /// Run time in seconds (`ExecutionTime`); see [`Stats::execution_time`].
    #[serde(
        rename = "ExecutionTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub execution_time_secs: Option<f64>,
    /// Cache, CPU and memory usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_usage: Option<ResourceUsage>,
    /// Per-table row counts and sizes of the result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dataset_statistics: Vec<DatasetStatistics>,
    /// Fields not documented (yet).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Stats {
    /// `ExecutionTime` as a duration (`None` when absent, negative or not finite).
    pub fn execution_time(&self) -> Option<Duration> {
        Duration::try_from_secs_f64(self.execution_time_secs?).ok()
    }
}

/// `Stats.resource_usage`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResourceUsage {
    /// Extent cache hits and misses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheUsage>,
    /// CPU time spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuUsage>,
    /// Memory used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemoryUsage>,
    /// Fields not documented (yet).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `resource_usage.cache`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CacheUsage {
    /// Memory cache.
    #[serde(default)]
    pub memory: CacheCounters,
    /// Disk cache.
    #[serde(default)]
    pub disk: CacheCounters,
    /// Fields not documented (yet).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Hits, misses and their total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CacheCounters {
    /// Cache hits.
    #[serde(default)]
    pub hits: u64,
    /// Cache misses.
    #[serde(default)]
    pub misses: u64,
    /// Hits plus misses.
    #[serde(default)]
    pub total: u64,
}

/// `resource_usage.cpu`: .NET `TimeSpan` strings parsed to durations.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CpuUsage {
    /// User-mode CPU time.
    #[serde(default, with = "serde_dotnet_timespan")]
    pub user: Duration,
    /// Kernel-mode CPU time.
    #[serde(default, with = "serde_dotnet_timespan")]
    pub kernel: Duration,
    /// Total CPU time (`"total cpu"`, with a space) — what the CPU quotas count.
    #[serde(rename = "total cpu", default, with = "serde_dotnet_timespan")]
    pub total: Duration,
}

/// `resource_usage.memory`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemoryUsage {
    /// Peak memory per node, in bytes.
    #[serde(default)]
    pub peak_per_node: u64,
    /// Fields not documented (yet).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One entry of `dataset_statistics`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DatasetStatistics {
    /// Rows in the result table.
    #[serde(default)]
    pub table_row_count: u64,
    /// Size of the result table, in bytes.
    #[serde(default)]
    pub table_size: u64,
    /// Fields not documented (yet).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The type of a result column as the service names it (.NET type names).
///
/// An open enum: names it does not know are kept verbatim in [`ColumnType::Other`], and every
/// value prints back to exactly the text it was read from. Known variants match only their
/// exact spelling so that round trip stays exact; decoding still recognises Kusto's own names
/// (`long`, `bool`, `dynamic`, …) in `Other` case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// `DateTime`: text like `2020-08-30T06:38:35.7664356Z`.
    DateTime,
    /// `String`.
    String,
    /// `Int64` (Kusto `long`); may arrive as a JSON string.
    Int64,
    /// `Int32` (Kusto `int`).
    Int32,
    /// `Boolean`; may arrive as `0`/`1` or `"True"`.
    Boolean,
    /// `Double` (Kusto `real`).
    Double,
    /// `Guid`.
    Guid,
    /// `Object`: a Kusto `dynamic`, often sent as JSON text.
    Object,
    /// `Dynamic`.
    Dynamic,
    /// `TimeSpan`: .NET `TimeSpan` text.
    TimeSpan,
    /// Any other name, verbatim.
    Other(String),
}

/// How a column's values are converted before they reach `Deserialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conversion {
    Integer,
    Real,
    Bool,
    Dynamic,
    None,
}

impl ColumnType {
    /// The name as the service writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ColumnType::DateTime => "DateTime",
            ColumnType::String => "String",
            ColumnType::Int64 => "Int64",
            ColumnType::Int32 => "Int32",
            ColumnType::Boolean => "Boolean",
            ColumnType::Double => "Double",
            ColumnType::Guid => "Guid",
            ColumnType::Object => "Object",
            ColumnType::Dynamic => "Dynamic",
            ColumnType::TimeSpan => "TimeSpan",
            ColumnType::Other(s) => s,
        }
    }

    fn conversion(&self) -> Conversion {
        match self {
            ColumnType::Int64 | ColumnType::Int32 => Conversion::Integer,
            ColumnType::Double => Conversion::Real,
            ColumnType::Boolean => Conversion::Bool,
            ColumnType::Object | ColumnType::Dynamic => Conversion::Dynamic,
            ColumnType::DateTime | ColumnType::String | ColumnType::Guid | ColumnType::TimeSpan => {
                Conversion::None
            }
            ColumnType::Other(name) => match name.to_ascii_lowercase().as_str() {
                "long" | "int" | "int64" | "int32" | "int16" | "byte" | "uint64" | "uint32" => {
                    Conversion::Integer
                }
                "real" | "double" | "single" | "float" => Conversion::Real,
                "bool" | "boolean" => Conversion::Bool,
                "dynamic" | "object" => Conversion::Dynamic,
                _ => Conversion::None,
            },
        }
    }
}

impl From<&str> for ColumnType {
    fn from(s: &str) -> Self {
        match s {
            "DateTime" => ColumnType::DateTime,
            "String" => ColumnType::String,
            "Int64" => ColumnType::Int64,
            "Int32" => ColumnType::Int32,
            "Boolean" => ColumnType::Boolean,
            "Double" => ColumnType::Double,
            "Guid" => ColumnType::Guid,
            "Object" => ColumnType::Object,
            "Dynamic" => ColumnType::Dynamic,
            "TimeSpan" => ColumnType::TimeSpan,
            other => ColumnType::Other(other.to_string()),
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ColumnType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ColumnType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(ColumnType::from(
            String::deserialize(deserializer)?.as_str(),
        ))
    }
}

/// One schema entry: a column's name and type. (Named `SchemaColumn` so that it does not
/// clash with `kql_builder::Column` when both crates are glob-imported.) Reads `Name`/`Type` in any letter case;
/// writes PascalCase (Defender's spelling; [`HuntingQueryResults`] writes camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SchemaColumn {
    /// SchemaColumn name, as in the rows.
    pub name: String,
    /// SchemaColumn type.
    pub column_type: ColumnType,
}

impl SchemaColumn {
    /// A column.
    pub fn new(name: impl Into<String>, column_type: ColumnType) -> Self {
        SchemaColumn {
            name: name.into(),
            column_type,
        }
    }

    fn serialize_with<S: Serializer>(
        &self,
        serializer: S,
        keys: (&str, &str),
    ) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(2))?;
        m.serialize_entry(keys.0, &self.name)?;
        m.serialize_entry(keys.1, &self.column_type)?;
        m.end()
    }
}

impl Serialize for SchemaColumn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_with(serializer, ("Name", "Type"))
    }
}

impl<'de> Deserialize<'de> for SchemaColumn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::deserialize(deserializer)?;
        let name = required(&mut map, "Name")?;
        let column_type = required(&mut map, "Type")?;
        Ok(SchemaColumn { name, column_type })
    }
}

/// Removes `name` from `map`, matching keys ASCII-case-insensitively.
fn take_ci(map: &mut Map<String, Value>, name: &str) -> Option<Value> {
    let key = map.keys().find(|k| k.eq_ignore_ascii_case(name))?.clone();
    map.remove(&key)
}

fn required<T: DeserializeOwned, E: de::Error>(
    map: &mut Map<String, Value>,
    name: &'static str,
) -> Result<T, E> {
    let v = take_ci(map, name).ok_or_else(|| E::missing_field(name))?;
    serde_json::from_value(v).map_err(|e| E::custom(format_args!("field `{name}`: {e}")))
}

fn optional<T: DeserializeOwned, E: de::Error>(
    map: &mut Map<String, Value>,
    name: &'static str,
) -> Result<Option<T>, E> {
    match take_ci(map, name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| E::custom(format_args!("field `{name}`: {e}"))),
    }
}

/// The Defender API's answer to `POST /api/advancedhunting/run`.
///
/// ```
/// use kql_hunting_api::QueryResponse;
/// #[derive(serde::Deserialize)]
/// struct Event {
///     #[serde(rename = "FileName")]
///     file_name: String,
///     #[serde(rename = "Count")]
///     count: i64,
/// }
/// let body = r#"{"Stats": {"ExecutionTime": 0.5},
///     "Schema": [{"Name": "FileName", "Type": "String"}, {"Name": "Count", "Type": "Int64"}],
///     "Results": [{"FileName": "conhost.exe", "Count": "12"}]}"#;
/// let response: QueryResponse = serde_json::from_str(body).unwrap();
/// let events: Vec<Event> = response.rows().unwrap();
/// assert_eq!(events[0].count, 12); // Int64 sent as a string, decoded as a number
/// assert_eq!(events[0].file_name, "conhost.exe");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryResponse {
    /// Performance statistics (`Stats`), if sent.
    pub stats: Option<Stats>,
    /// Columns of the result (`Schema`).
    pub schema: Vec<SchemaColumn>,
    /// The rows (`Results`).
    pub results: Vec<Row>,
    /// Other top-level fields.
    pub extra: Map<String, Value>,
}

/// Microsoft Graph's `huntingQueryResults`, the answer to `POST /security/runHuntingQuery`.
///
/// ```
/// use kql_hunting_api::HuntingQueryResults;
/// let body = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults",
///     "schema": [{"name": "Timestamp", "type": "DateTime"}],
///     "results": [{"Timestamp": "2024-03-26T09:39:50.7688641Z"}]}"#;
/// let r: HuntingQueryResults = serde_json::from_str(body).unwrap();
/// let rows: Vec<(kql_hunting_api::UtcDateTime,)> = r.rows().unwrap(); // tuples follow the schema order
/// assert_eq!(rows[0].0.to_string(), "2024-03-26T09:39:50.7688641Z");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HuntingQueryResults {
    /// Columns of the result (`schema`).
    pub schema: Vec<SchemaColumn>,
    /// The rows (`results`).
    pub results: Vec<Row>,
    /// Other top-level fields, such as `@odata.context`.
    pub extra: Map<String, Value>,
}

impl QueryResponse {
    /// Decodes every row into `T`, converting values by the schema (see [`decode_rows`]).
    pub fn rows<T: DeserializeOwned>(&self) -> Result<Vec<T>, DecodeError> {
        decode_rows(&self.schema, &self.results)
    }

    /// Whether the row count reached [`limits::MAX_ROWS`]: the result was probably cut off
    /// silently.
    pub fn hit_row_limit(&self) -> bool {
        self.results.len() as u64 >= limits::MAX_ROWS
    }
}

impl HuntingQueryResults {
    /// Decodes every row into `T`, converting values by the schema (see [`decode_rows`]).
    pub fn rows<T: DeserializeOwned>(&self) -> Result<Vec<T>, DecodeError> {
        decode_rows(&self.schema, &self.results)
    }

    /// Whether the row count reached [`limits::MAX_ROWS`]: the result was probably cut off
    /// silently.
    pub fn hit_row_limit(&self) -> bool {
        self.results.len() as u64 >= limits::MAX_ROWS
    }
}

impl From<QueryResponse> for HuntingQueryResults {
    /// Drops `Stats`, which Graph does not send.
    fn from(r: QueryResponse) -> Self {
        HuntingQueryResults {
            schema: r.schema,
            results: r.results,
            extra: r.extra,
        }
    }
}

impl From<HuntingQueryResults> for QueryResponse {
    fn from(r: HuntingQueryResults) -> Self {
        QueryResponse {
            stats: None,
            schema: r.schema,
            results: r.results,
            extra: r.extra,
        }
    }
}

struct Schema<'a>(&'a [SchemaColumn], (&'static str, &'static str));

impl Serialize for Schema<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct One<'a>(&'a SchemaColumn, (&'static str, &'static str));
        impl Serialize for One<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize_with(serializer, self.1)
            }
        }
        serializer.collect_seq(self.0.iter().map(|c| One(c, self.1)))
    }
}

impl Serialize for QueryResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        if let Some(stats) = &self.stats {
            m.serialize_entry("Stats", stats)?;
        }
        m.serialize_entry("Schema", &Schema(&self.schema, ("Name", "Type")))?;
        m.serialize_entry("Results", &self.results)?;
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for QueryResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::deserialize(deserializer)?;
        Ok(QueryResponse {
            stats: optional(&mut map, "Stats")?,
            schema: optional(&mut map, "Schema")?.unwrap_or_default(),
            results: required(&mut map, "Results")?,
            extra: map,
        })
    }
}

impl Serialize for HuntingQueryResults {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("schema", &Schema(&self.schema, ("name", "type")))?;
        m.serialize_entry("results", &self.results)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for HuntingQueryResults {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::deserialize(deserializer)?;
        Ok(HuntingQueryResults {
            schema: optional(&mut map, "schema")?.unwrap_or_default(),
            results: required(&mut map, "results")?,
            extra: map,
        })
    }
}

/// A row that could not be decoded: which row, which column, which type was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Zero-based row index in `results`.
    pub row: usize,
    /// The column whose value failed, when known (a missing field names no single value).
    pub column: Option<String>,
    /// The column's schema type, when the column is in the schema.
    pub expected: Option<ColumnType>,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column `{c}`")?;
        }
        if let Some(t) = &self.expected {
            write!(f, " ({t})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes result rows into `T` using the schema to normalise values first:
///
/// - `Int64`/`Int32` sent as strings (`"12"`) become numbers;
/// - `Double` sent as strings become numbers; `"NaN"`, `"Infinity"` and `"-Infinity"` (which
///   JSON numbers cannot hold) decode into `f64`/`f32` fields as those values, and into a
///   `String` as the text;
/// - `Boolean` sent as `0`/`1`, `"0"`/`"1"` or `"True"`/`"false"` become booleans;
/// - `Object`/`Dynamic` sent as JSON text become the JSON value (text that is not JSON stays a
///   string, since a dynamic can hold a plain string);
/// - `DateTime`, `TimeSpan`, `Guid` and `String` stay strings: decode them into `String`, or into
///   [`crate::UtcDateTime`], [`crate::Guid`], or a `Duration` with [`crate::serde_dotnet_timespan`].
///
/// `T` can be a struct or map (by column name) or a tuple or `Vec` (by schema order; without a
/// schema, by column name order). Never panics on bad data: the first failing row is reported
/// with its index, column and expected type.
pub fn decode_rows<T: DeserializeOwned>(
    schema: &[SchemaColumn],
    rows: &[Row],
) -> Result<Vec<T>, DecodeError> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| decode_row(schema, i, row))
        .collect()
}

fn decode_row<T: DeserializeOwned>(
    schema: &[SchemaColumn],
    index: usize,
    row: &Row,
) -> Result<T, DecodeError> {
    let type_of = |name: &str| {
        schema
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.column_type.clone())
    };
    let mut entries = Vec::with_capacity(row.len().max(schema.len()));
    let mut take = |name: &str, value: &Value, ty: Option<&ColumnType>| {
        let converted = match ty {
            Some(ty) => convert(value, ty).map_err(|message| DecodeError {
                row: index,
                column: Some(name.to_string()),
                expected: Some(ty.clone()),
                message,
            })?,
            None => value.clone(),
        };
        entries.push((name.to_string(), converted));
        Ok::<_, DecodeError>(())
    };
    for col in schema {
        match row.get(&col.name) {
            Some(v) => take(&col.name, v, Some(&col.column_type))?,
            // Absent from this row: positional decoding still needs a slot.
            None => take(&col.name, &Value::Null, None)?,
        }
    }
    for (name, v) in row {
        if !schema.iter().any(|c| &c.name == name) {
            take(name, v, None)?;
        }
    }
    let mut failed = None;
    T::deserialize(RowDeserializer {
        entries,
        failed: &mut failed,
    })
    .map_err(|e| DecodeError {
        row: index,
        expected: failed.as_deref().and_then(type_of),
        column: failed,
        message: e.to_string(),
    })
}

/// Decodes one cell sent for a column of type `ty` into `T`, with the conversions of
/// [`decode_rows`] (a `"12"` for an `Int64`, `"NaN"` for a `Double`, JSON text for a `Dynamic`).
pub fn decode_value<T: DeserializeOwned>(value: &Value, ty: &ColumnType) -> Result<T, String> {
    let converted = convert(value, ty)?;
    T::deserialize(Cell(converted)).map_err(|e| e.to_string())
}

fn describe(v: &Value) -> String {
    let mut s = v.to_string();
    if s.len() > 60 {
        let mut cut = 57;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str("...");
    }
    s
}

fn convert(v: &Value, ty: &ColumnType) -> Result<Value, String> {
    let bad = || format!("cannot read {} as {ty}", describe(v));
    Ok(match (ty.conversion(), v) {
        (_, Value::Null) | (Conversion::None, _) => v.clone(),
        (Conversion::Integer, Value::Number(n)) => {
            if n.is_i64() || n.is_u64() {
                v.clone()
            } else {
                match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
                    _ => return Err(bad()),
                }
            }
        }
        (Conversion::Integer, Value::String(s)) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Value::from(i)
            } else if let Ok(u) = t.parse::<u64>() {
                Value::from(u)
            } else {
                return Err(bad());
            }
        }
        (Conversion::Real, Value::Number(_)) => v.clone(),
        (Conversion::Real, Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Value::from(f),
            Ok(_) => v.clone(),
            Err(_) => return Err(bad()),
        },
        (Conversion::Bool, Value::Bool(_)) => v.clone(),
        (Conversion::Bool, Value::Number(n)) => match n.as_i64() {
            Some(0) => Value::Bool(false),
            Some(1) => Value::Bool(true),
            _ => return Err(bad()),
        },
        (Conversion::Bool, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => return Err(bad()),
        },
        (Conversion::Dynamic, Value::String(s)) => {
            serde_json::from_str(s).unwrap_or_else(|_| v.clone())
        }
        (Conversion::Dynamic, _) => v.clone(),
        _ => return Err(bad()),
    })
}

/// Presents one converted row to `Deserialize`, remembering which column's value failed.
struct RowDeserializer<'a> {
    entries: Vec<(String, Value)>,
    failed: &'a mut Option<String>,
}

impl<'a> RowDeserializer<'a> {
    fn cells(self) -> RowCells<'a> {
        RowCells {
            iter: self.entries.into_iter(),
            pending: None,
            failed: self.failed,
        }
    }
}

impl<'de> Deserializer<'de> for RowDeserializer<'_> {
    type Error = serde_json::Error;

    deserialize_methods! { self, visitor;
        deserialize_any() => visitor.visit_map(self.cells());
        deserialize_seq() => visitor.visit_seq(self.cells());
        deserialize_tuple(_len: usize) => self.deserialize_seq(visitor);
        deserialize_tuple_struct(_name: &'static str, _len: usize) => self.deserialize_seq(visitor);
        deserialize_option() => visitor.visit_some(self);
        deserialize_newtype_struct(_name: &'static str) => visitor.visit_newtype_struct(self);
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct map struct enum identifier ignored_any
    }
}

/// The cells of one row, handed out by column name (a map) or in order (a sequence).
struct RowCells<'a> {
    iter: std::vec::IntoIter<(String, Value)>,
    /// The entry whose key the map has handed out and whose value it has not.
    pending: Option<(String, Value)>,
    failed: &'a mut Option<String>,
}

impl RowCells<'_> {
    /// Decodes one cell; when that fails, remembers its column for the [`DecodeError`].
    fn cell<'de, T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
        (column, value): (String, Value),
    ) -> Result<T::Value, serde_json::Error> {
        seed.deserialize(Cell(value))
            .inspect_err(|_| *self.failed = Some(column))
    }
}

impl<'de> MapAccess<'de> for RowCells<'_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((k, v)) = self.iter.next() else {
            return Ok(None);
        };
        let name: de::value::StrDeserializer<'_, serde_json::Error> =
            k.as_str().into_deserializer();
        let key = seed.deserialize(name)?;
        self.pending = Some((k, v));
        Ok(Some(key))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let entry = self
            .pending
            .take()
            .ok_or_else(|| de::Error::custom("value requested before its key"))?;
        self.cell(seed, entry)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

impl<'de> SeqAccess<'de> for RowCells<'_> {
    type Error = serde_json::Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        match self.iter.next() {
            Some(entry) => self.cell(seed, entry).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}
