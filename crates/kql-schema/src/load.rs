//! Reading user schema files: our own JSON/TOML format, Microsoft Sentinel table files, Kusto
//! table-schema text and saved Advanced Hunting API responses. See the crate docs for examples.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
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
            SchemaFormat::KustoSchema => parse_kusto_schema_text(text, table_name),
            SchemaFormat::HuntingResponse => parse_hunting_response(text, table_name),
        }
    }
}

impl Table {
    /// Builds a table from a Kusto schema string such as `(a:string, ['b c']:long)` (the
    /// parentheses are optional). The time column follows the usual default.
    pub fn from_kusto_schema(name: &str, schema: &str) -> Result<Table, SchemaError> {
        let mut p = KustoParser::new(schema);
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
        return Ok(SchemaFormat::KustoSchema);
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(SchemaError::from_json)?;
    let has = |v: &serde_json::Value, k: &str| v.get(k).is_some();
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
         Sentinel table (`Name`, `Properties`), an Advanced Hunting response (`Schema`), or Kusto \
         schema text `Table (col:type, ...)`",
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
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TablesDef, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<TableDef>()? {
                    out.push(t);
                }
                Ok(TablesDef(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TablesDef, A::Error> {
                let mut out = Vec::new();
                while let Some((name, cols)) = map.next_entry::<String, OrderedColumns>()? {
                    out.push(TableDef {
                        name,
                        columns: cols.0,
                        time_column: TimeColumnDef::Default,
                        description: None,
                        renamed_to: None,
                    });
                }
                Ok(TablesDef(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A map of column name → type, kept in document order.
struct OrderedColumns(Vec<ColumnDef>);

impl<'de> Deserialize<'de> for OrderedColumns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedColumns;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of column name to type")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedColumns, A::Error> {
                let mut out = Vec::new();
                while let Some((name, ty)) = map.next_entry::<String, ScalarType>()? {
                    out.push(ColumnDef {
                        name,
                        ty,
                        _description: None,
                    });
                }
                Ok(OrderedColumns(out))
            }
        }
        d.deserialize_map(V)
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

// ----- Kusto table-schema text ----------------------------------------------------------------

/// `T (a:string, b:long)` or `T: (…)` entries, one or more, separated by newlines, commas or
/// semicolons; a leading `.create table` / `.create-merge tables` is accepted so the output of
/// `.show table T cslschema` or a create command can be pasted. A bare `(a:string)` takes
/// `table_name`. `//` comments are skipped.
fn parse_kusto_schema_text(text: &str, table_name: Option<&str>) -> Result<Schema, SchemaError> {
    let mut p = KustoParser::new(text);
    let mut schema = Schema::empty();
    loop {
        p.skip_separators();
        if p.at_end() {
            break;
        }
        let start = p.pos;
        if p.peek() == Some(b'.') {
            p.skip_command_prefix();
            p.skip_separators();
        }
        let name = if p.peek() == Some(b'(') {
            match table_name {
                Some(n) => n.to_string(),
                None => return Err(p.error("a column list without a table name")),
            }
        } else {
            let n = p.name().ok_or_else(|| p.error("expected a table name"))?;
            p.skip_trivia();
            p.eat(b':');
            n
        };
        p.skip_trivia();
        if !p.eat(b'(') {
            return Err(p.error(&format!("expected `(` after table name `{name}`")));
        }
        let columns = p.columns(Some(b')'))?;
        let table = Table::new(name, columns).with_default_time_column();
        if schema.tables.contains_key(&table.name) {
            let (l, c) = line_col(text, start);
            return Err(
                SchemaError::invalid(format!("table `{}` is defined twice", table.name)).at(l, c),
            );
        }
        validate_table(&table).map_err(|e| {
            let (l, c) = line_col(text, start);
            e.at(l, c)
        })?;
        schema.insert_table(table);
    }
    if schema.tables.is_empty() {
        return Err(SchemaError::invalid("no table found in Kusto schema text"));
    }
    Ok(schema)
}

/// A small hand-written scanner: the grammar is tiny and we want exact error positions.
struct KustoParser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> KustoParser<'a> {
    fn new(text: &'a str) -> Self {
        KustoParser { text, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error(&self, msg: &str) -> SchemaError {
        let (l, c) = line_col(self.text, self.pos);
        let found = match self.text[self.pos..].chars().next() {
            Some(ch) => format!(" (found `{ch}`)"),
            None => " (found end of text)".to_string(),
        };
        SchemaError::new(SchemaErrorKind::Syntax, format!("{msg}{found}")).at(l, c)
    }

    fn skip_trivia(&mut self) {
        loop {
            let rest = &self.text[self.pos..];
            if rest.starts_with("//") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if let Some(ch) = rest.chars().next().filter(|c| c.is_whitespace()) {
                self.pos += ch.len_utf8();
            } else {
                return;
            }
        }
    }

    fn skip_separators(&mut self) {
        loop {
            self.skip_trivia();
            if !(self.eat(b',') || self.eat(b';')) {
                return;
            }
        }
    }

    /// Skips `.create table`, `.create-merge tables`, `.alter table` and the like.
    fn skip_command_prefix(&mut self) {
        self.pos += 1;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.skip_trivia();
        for kw in ["tables", "table"] {
            let rest = &self.text[self.pos..];
            if rest.starts_with(kw)
                && !rest[kw.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                self.pos += kw.len();
                return;
            }
        }
    }

    /// An identifier, or a bracketed name `['a b']` / `["a b"]`.
    fn name(&mut self) -> Option<String> {
        let rest = &self.text[self.pos..];
        if let Some(inner) = rest.strip_prefix('[') {
            let q = inner.chars().next().filter(|c| *c == '\'' || *c == '"')?;
            let body = &inner[1..];
            let end = body.find(q)?;
            if !body[end + 1..].starts_with(']') {
                return None;
            }
            self.pos += 1 + 1 + end + 1 + 1;
            return Some(body[..end].to_string());
        }
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(rest[..len].to_string())
    }

    /// `name:type, …` up to `close` (or the end of text when `None`).
    fn columns(&mut self, close: Option<u8>) -> Result<Vec<Column>, SchemaError> {
        let mut cols = Vec::new();
        loop {
            self.skip_trivia();
            match close {
                Some(c) if self.eat(c) => return Ok(cols),
                None if self.at_end() => return Ok(cols),
                Some(_) if self.at_end() => return Err(self.error("missing `)`")),
                _ => {}
            }
            if !cols.is_empty() {
                if !self.eat(b',') {
                    return Err(self.error("expected `,` between columns"));
                }
                self.skip_trivia();
            }
            let name = self
                .name()
                .ok_or_else(|| self.error("expected a column name"))?;
            self.skip_trivia();
            if !self.eat(b':') {
                return Err(self.error(&format!("expected `:type` after column `{name}`")));
            }
            self.skip_trivia();
            let ty_start = self.pos;
            let ty_text = self
                .name_dotted()
                .ok_or_else(|| self.error("expected a type name"))?;
            let ty = ScalarType::parse(&ty_text).ok_or_else(|| {
                let (l, c) = line_col(self.text, ty_start);
                SchemaError::invalid(crate::types::unknown_type_message(&ty_text)).at(l, c)
            })?;
            cols.push(Column::new(name, ty));
        }
    }

    /// A type name, which may be dotted (`System.String`).
    fn name_dotted(&mut self) -> Option<String> {
        let rest = &self.text[self.pos..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(rest[..len].to_string())
    }
}

#[cfg(test)]
mod tests;
