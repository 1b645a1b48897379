//! Reading user schema files: our own JSON/TOML format, Microsoft Sentinel table files, Kusto
//! schema text and scripts, Kusto's own schema dumps and saved Advanced Hunting API responses.
//! See the crate docs for examples.

mod kusto_json;
mod kusto_text;

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::error::{line_col, SchemaError, SchemaErrorKind};
use crate::model::{default_time_column, Column, Function, ParamType, Parameter, Schema, Table};
use crate::ScalarType;

/// The format of a schema text. `Auto` looks at the content (and, through
/// [`SchemaFormat::from_path`], the file extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaFormat {
    /// Decide from the content: JSON shapes are told apart by their keys; other text is TOML when
    /// it looks like TOML, else Kusto schema text.
    Auto,
    /// kqlkit's own JSON format (also accepts a `{"tables": {"T": {"col": "type"}}}` map).
    Json,
    /// kqlkit's own TOML format.
    Toml,
    /// Microsoft Sentinel table files: `{"Name": "T", "Properties": [{"Name", "Type"}]}` or an
    /// array of those.
    Sentinel,
    /// Kusto table-schema text: `T (a:string, b:long)` lines.
    KustoSchema,
    /// The `Schema` array of a saved Advanced Hunting API response (or the bare array); the
    /// table is named after the file stem.
    HuntingResponse,
    /// `.show database schema as json` output: the raw JSON (`{"Databases": …}`) or the saved
    /// result table whose `DatabaseSchema` cell holds it. Tables, materialized views and stored
    /// functions (parameters, defaults, bodies, declared output columns).
    ShowSchemaJson,
    /// The simple map editors take: `{"T": [{"name": "c", "type": "string"}]}`.
    TableMap,
    /// `.show tables details` output (saved JSON result or CSV export): table sizes only.
    TablesDetails,
}

impl SchemaFormat {
    /// The format a file's extension implies: `.toml` → TOML; `.kql`, `.csl`, `.kusto`, `.txt` →
    /// Kusto schema text; anything else (`.json` included, since several formats are JSON) →
    /// `Auto`.
    pub fn from_path(path: &Path) -> SchemaFormat {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("toml") => SchemaFormat::Toml,
            Some("kql" | "csl" | "kusto" | "txt") => SchemaFormat::KustoSchema,
            _ => SchemaFormat::Auto,
        }
    }
}

impl Schema {
    /// Loads a user schema file, choosing the format from the extension and content. The file stem
    /// names the table for formats that carry no table name. Errors carry the path.
    pub fn load_file(path: impl AsRef<Path>) -> Result<Schema, SchemaError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            SchemaError::new(SchemaErrorKind::Io, format!("cannot read schema file: {e}"))
                .with_path(path)
        })?;
        let stem = path.file_stem().and_then(|s| s.to_str());
        Schema::from_str_with_format(&text, SchemaFormat::from_path(path), stem)
            .map_err(|e| e.with_path(path))
    }

    /// Parses schema text in `format`. `table_name` names the table for formats without one (a
    /// bare `(a:string)` schema, an API response); [`Schema::load_file`] passes the file stem.
    pub fn from_str_with_format(
        text: &str,
        format: SchemaFormat,
        table_name: Option<&str>,
    ) -> Result<Schema, SchemaError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let format = match format {
            SchemaFormat::Auto => detect(text)?,
            f => f,
        };
        match format {
            SchemaFormat::Auto | SchemaFormat::Json => parse_native_json(text),
            SchemaFormat::Toml => parse_native_toml(text),
            SchemaFormat::Sentinel => parse_sentinel(text),
            SchemaFormat::KustoSchema => kusto_text::parse_kusto_schema_text(text, table_name),
            SchemaFormat::HuntingResponse => parse_hunting_response(text, table_name),
            SchemaFormat::ShowSchemaJson => kusto_json::parse_show_schema(text),
            SchemaFormat::TableMap => kusto_json::parse_table_map(text),
            SchemaFormat::TablesDetails => kusto_json::parse_tables_details(text),
        }
    }
}

impl Table {
    /// Builds a table from a Kusto schema string such as `(a:string, ['b c']:long)` (the
    /// parentheses are optional). The time column follows the usual default.
    pub fn from_kusto_schema(name: &str, schema: &str) -> Result<Table, SchemaError> {
        let mut p = kusto_text::KustoParser::new(schema);
        p.skip_trivia();
        let paren = p.eat(b'(');
        let columns = p.columns(if paren { Some(b')') } else { None })?;
        p.skip_trivia();
        if !p.at_end() {
            return Err(p.error("unexpected text after the column list"));
        }
        let table = Table::new(name, columns).with_default_time_column();
        validate_table(&table)?;
        Ok(table)
    }
}

/// Tells the formats apart by their shape; a JSON syntax error is reported here, with position.
fn detect(text: &str) -> Result<SchemaFormat, SchemaError> {
    let trimmed = text.trim_start();
    let json_like = trimmed.starts_with('{') || trimmed.starts_with('[');
    if looks_like_toml(text) && !trimmed.starts_with('{') {
        return Ok(SchemaFormat::Toml);
    }
    if !json_like {
        if kusto_json::is_tables_details_csv(text) {
            return Ok(SchemaFormat::TablesDetails);
        }
        return Ok(SchemaFormat::KustoSchema);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(SchemaError::from_json)?;
    let has = |v: &serde_json::Value, k: &str| v.get(k).is_some();
    // An API response's `Schema` key would also read as a one-table map.
    if !has(&value, "Schema") {
        if let Some(format) = kusto_json::detect(&value) {
            return Ok(format);
        }
    }
    let format = match &value {
        serde_json::Value::Object(_) if has(&value, "Schema") => SchemaFormat::HuntingResponse,
        serde_json::Value::Object(_) if has(&value, "Properties") => SchemaFormat::Sentinel,
        serde_json::Value::Object(_) if has(&value, "tables") || has(&value, "functions") => {
            SchemaFormat::Json
        }
        serde_json::Value::Array(items) => match items.first() {
            None => SchemaFormat::Json,
            Some(first) if has(first, "Properties") => SchemaFormat::Sentinel,
            Some(first) if has(first, "Type") || has(first, "type") => {
                SchemaFormat::HuntingResponse
            }
            Some(_) => return Err(unknown_format()),
        },
        _ => return Err(unknown_format()),
    };
    Ok(format)
}

fn unknown_format() -> SchemaError {
    SchemaError::new(
        SchemaErrorKind::UnknownFormat,
        "not a recognised schema format: expected kqlkit JSON/TOML (`tables`, `functions`), a \
         Sentinel table (`Name`, `Properties`), an Advanced Hunting response (`Schema`), \
         `.show database schema as json` output (`Databases`, or a `DatabaseSchema` result), a \
         `{\"Table\": [{\"name\", \"type\"}]}` map, `.show tables details` output, or Kusto \
         schema text `Table (col:type, ...)` / `.create table` and `.create function` commands",
    )
}

/// TOML has `key = value` and `[section]` lines; Kusto schema text never has `=`.
fn looks_like_toml(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("//"))
        .is_some_and(|l| {
            let header = l.starts_with('[')
                && l.ends_with(']')
                && !l.starts_with("['")
                && !l.contains([',', '{', ':']);
            header || l.split('(').next().is_some_and(|head| head.contains('='))
        })
}

// ----- kqlkit's own format -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeFile {
    #[serde(default)]
    tables: TablesDef,
    #[serde(default)]
    functions: Vec<FunctionDef>,
    #[serde(default)]
    renamed: Vec<RenameDef>,
    #[serde(default, rename = "about")]
    _about: Option<String>,
    #[serde(default, rename = "description")]
    _description: Option<String>,
    #[serde(default, rename = "database")]
    _database: Option<String>,
    #[serde(default, rename = "$schema")]
    _schema: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableDef {
    name: String,
    columns: Vec<ColumnDef>,
    #[serde(default)]
    time_column: TimeColumnDef,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    renamed_to: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnDef {
    name: String,
    #[serde(rename = "type")]
    ty: ScalarType,
    #[serde(default, rename = "description")]
    _description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FunctionDef {
    name: String,
    #[serde(default)]
    parameters: Vec<ParamDef>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    columns: Option<Vec<ColumnDef>>,
    #[serde(default)]
    description: Option<String>,
    /// Free text such as "tabular, used with invoke" (the shared schema file has it); ignored.
    #[serde(default, rename = "kind")]
    _kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamDef {
    name: String,
    #[serde(rename = "type")]
    ty: ParamTypeDef,
    #[serde(default)]
    default: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameDef {
    old: String,
    new: String,
}

/// `tables` is a list of table objects, or a map of table name → map of column name → type (the
/// shape of a Kusto database schema dump).
#[derive(Default)]
struct TablesDef(Vec<TableDef>);

impl<'de> Deserialize<'de> for TablesDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TablesDef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of tables or a map of table name to columns")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TablesDef, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(TablesDef)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TablesDef, A::Error> {
                let columns = InOrder {
                    expected: "a map of column name to type",
                    value: PhantomData::<ScalarType>,
                };
                let tables = InOrder {
                    expected: "a map of table name to columns",
                    value: columns,
                };
                let tables = tables
                    .visit_map(map)?
                    .into_iter()
                    .map(|(name, columns)| TableDef {
                        name,
                        columns: columns
                            .into_iter()
                            .map(|(name, ty)| ColumnDef {
                                name,
                                ty,
                                _description: None,
                            })
                            .collect(),
                        time_column: TimeColumnDef::Default,
                        description: None,
                        renamed_to: None,
                    });
                Ok(TablesDef(tables.collect()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a map as its entries in document order (the order of tables and columns), each value
/// with the seed `value`; `expected` is what an error says should have been there.
#[derive(Clone, Copy)]
struct InOrder<S> {
    expected: &'static str,
    value: S,
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for InOrder<S> {
    type Value = Vec<(String, S::Value)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expected)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key()? {
            out.push((key, map.next_value_seed(self.value)?));
        }
        Ok(out)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for InOrder<S> {
    type Value = Vec<(String, S::Value)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

/// `time_column`: absent → default rule; a name; or `null` / `false` / `""` → none (snapshot
/// table). TOML has no null, hence `false` and `""`.
#[derive(Default)]
enum TimeColumnDef {
    #[default]
    Default,
    None,
    Named(String),
}

impl<'de> Deserialize<'de> for TimeColumnDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TimeColumnDef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a column name, or null/false for a table without a time column")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TimeColumnDef, E> {
                Ok(if v.is_empty() {
                    TimeColumnDef::None
                } else {
                    TimeColumnDef::Named(v.to_string())
                })
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TimeColumnDef, E> {
                Ok(if v {
                    TimeColumnDef::Default
                } else {
                    TimeColumnDef::None
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<TimeColumnDef, E> {
                Ok(TimeColumnDef::None)
            }
            fn visit_none<E: de::Error>(self) -> Result<TimeColumnDef, E> {
                Ok(TimeColumnDef::None)
            }
        }
        d.deserialize_any(V)
    }
}

/// A parameter type: a scalar type name, or `tabular` / `table` / `(*)` / `(a:string, …)`.
struct ParamTypeDef(ParamType);

impl<'de> Deserialize<'de> for ParamTypeDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let t = s.trim();
        if t.eq_ignore_ascii_case("tabular")
            || t.eq_ignore_ascii_case("table")
            || t.starts_with('(')
        {
            return Ok(ParamTypeDef(ParamType::Tabular));
        }
        ScalarType::parse(t)
            .map(|ty| ParamTypeDef(ParamType::Scalar(ty)))
            .ok_or_else(|| de::Error::custom(crate::types::unknown_type_message(t)))
    }
}

/// Parses our own JSON format (the built-in schema uses it too).
pub(crate) fn parse_native_json(text: &str) -> Result<Schema, SchemaError> {
    let file: NativeFile = serde_json::from_str(text).map_err(SchemaError::from_json)?;
    build_native(file, text)
}

fn parse_native_toml(text: &str) -> Result<Schema, SchemaError> {
    let file: NativeFile = toml::from_str(text).map_err(|e| SchemaError::from_toml(e, text))?;
    build_native(file, text)
}

fn build_native(file: NativeFile, text: &str) -> Result<Schema, SchemaError> {
    let mut schema = Schema::empty();
    for def in file.tables.0 {
        let columns = columns_of(def.columns);
        let time_column = match def.time_column {
            TimeColumnDef::Default => default_time_column(&columns),
            TimeColumnDef::None => None,
            TimeColumnDef::Named(n) => Some(n),
        };
        let table = Table {
            name: def.name,
            columns,
            time_column,
            renamed_to: def.renamed_to,
            description: def.description,
        };
        add_table(&mut schema, table, text)?;
    }
    for r in file.renamed {
        match schema.tables.get_mut(&r.old) {
            Some(t) => t.renamed_to = Some(r.new),
            None => {
                return Err(locate(
                    SchemaError::invalid(format!(
                        "`renamed` names table `{}`, which this file does not define",
                        r.old
                    )),
                    text,
                    &r.old,
                ))
            }
        }
    }
    for f in file.functions {
        if schema.functions.contains_key(&f.name) {
            return Err(locate(
                SchemaError::invalid(format!("function `{}` is defined twice", f.name)),
                text,
                &f.name,
            ));
        }
        let parameters = f
            .parameters
            .into_iter()
            .map(|p| Parameter {
                name: p.name,
                ty: p.ty.0,
                default: p.default,
            })
            .collect();
        schema.insert_function(Function {
            name: f.name,
            parameters,
            body: f.body,
            columns: f.columns.map(columns_of),
            description: f.description,
        });
    }
    Ok(schema)
}

fn columns_of(defs: Vec<ColumnDef>) -> Vec<Column> {
    defs.into_iter()
        .map(|c| Column::new(c.name, c.ty))
        .collect()
}

/// Checks one table and adds it; problems are located at the table name's first mention.
fn add_table(schema: &mut Schema, table: Table, text: &str) -> Result<(), SchemaError> {
    if schema.tables.contains_key(&table.name) {
        let e = SchemaError::invalid(format!("table `{}` is defined twice", table.name));
        return Err(locate(e, text, &table.name));
    }
    validate_table(&table).map_err(|e| locate(e, text, &table.name))?;
    schema.insert_table(table);
    Ok(())
}

/// The rules every table obeys, whatever file it came from.
fn validate_table(table: &Table) -> Result<(), SchemaError> {
    if table.name.trim().is_empty() {
        return Err(SchemaError::invalid("a table has an empty name"));
    }
    let mut seen = std::collections::HashSet::new();
    for c in &table.columns {
        if c.name.is_empty() {
            return Err(SchemaError::invalid(format!(
                "table `{}` has a column with an empty name",
                table.name
            )));
        }
        if !seen.insert(c.name.as_str()) {
            return Err(SchemaError::invalid(format!(
                "table `{}` has column `{}` twice",
                table.name, c.name
            )));
        }
    }
    if let Some(tc) = &table.time_column {
        match table.column(tc) {
            None => {
                return Err(SchemaError::invalid(format!(
                    "table `{}`: time column `{tc}` is not one of its columns",
                    table.name
                )))
            }
            Some(c) if c.ty != ScalarType::DateTime => {
                return Err(SchemaError::invalid(format!(
                    "table `{}`: time column `{tc}` has type {}, not datetime",
                    table.name, c.ty
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Gives an error found after parsing the position of `needle`'s first quoted mention, so the
/// user is taken near the problem.
fn locate(err: SchemaError, text: &str, needle: &str) -> SchemaError {
    if err.line.is_some() {
        return err;
    }
    let found = ["\"", "'"]
        .iter()
        .find_map(|q| text.find(&format!("{q}{needle}{q}")))
        .or_else(|| text.find(needle));
    match found {
        Some(off) => {
            let (l, c) = line_col(text, off);
            err.at(l, c)
        }
        None => err,
    }
}

// ----- Microsoft Sentinel table files ---------------------------------------------------------

#[derive(Deserialize)]
struct SentinelTable {
    #[serde(rename = "Name", alias = "name")]
    name: String,
    #[serde(rename = "Properties", alias = "properties")]
    properties: Vec<NameType>,
}

/// `{"Name": "c", "Type": "string"}`: Sentinel columns and API response schema entries alike.
#[derive(Deserialize)]
struct NameType {
    #[serde(rename = "Name", alias = "name")]
    name: String,
    #[serde(rename = "Type", alias = "type")]
    ty: ScalarType,
}

fn parse_sentinel(text: &str) -> Result<Schema, SchemaError> {
    // Decide one-or-many from the first character so serde's own positioned error is kept
    // (an untagged enum would hide it).
    let tables: Vec<SentinelTable> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(SchemaError::from_json)?
    } else {
        vec![serde_json::from_str(text).map_err(SchemaError::from_json)?]
    };
    let mut schema = Schema::empty();
    for t in tables {
        let columns = t
            .properties
            .into_iter()
            .map(|c| Column::new(c.name, c.ty))
            .collect();
        add_table(
            &mut schema,
            Table::new(t.name, columns).with_default_time_column(),
            text,
        )?;
    }
    Ok(schema)
}

// ----- Advanced Hunting API responses ---------------------------------------------------------

#[derive(Deserialize)]
struct HuntingResponse {
    #[serde(rename = "Schema")]
    schema: Vec<NameType>,
}

fn parse_hunting_response(text: &str, table_name: Option<&str>) -> Result<Schema, SchemaError> {
    let cols: Vec<NameType> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(SchemaError::from_json)?
    } else {
        serde_json::from_str::<HuntingResponse>(text)
            .map_err(SchemaError::from_json)?
            .schema
    };
    let Some(name) = table_name else {
        return Err(SchemaError::invalid(
            "an Advanced Hunting response has no table name; load it from a file (the file stem \
             names the table) or pass a table name",
        ));
    };
    let columns = cols
        .into_iter()
        .map(|c| Column::new(c.name, c.ty))
        .collect();
    let mut schema = Schema::empty();
    add_table(
        &mut schema,
        Table::new(name, columns).with_default_time_column(),
        text,
    )?;
    Ok(schema)
}

#[cfg(test)]
mod tests;
