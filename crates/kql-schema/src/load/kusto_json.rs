//! Schema files Kusto itself writes: `.show database schema as json` (raw, or as the one-cell
//! result table a client saves), `.show tables details` results (JSON or CSV), and the simple
//! `{"Table": [{"name": "c", "type": "string"}]}` map editors take.

use serde_json::{Map, Value};

use crate::error::SchemaError;
use crate::model::{Column, Function, ParamType, Parameter, Schema, Table, TableStats};
use crate::ScalarType;

/// Which of these formats a JSON value is, if any.
pub(super) fn detect(value: &Value) -> Option<super::SchemaFormat> {
    use super::SchemaFormat;
    if value.get("Databases").is_some_and(Value::is_object) {
        return Some(SchemaFormat::ShowSchemaJson);
    }
    for table in result_tables(value) {
        if table.column("DatabaseSchema").is_some() {
            return Some(SchemaFormat::ShowSchemaJson);
        }
        if table.column("TableName").is_some() && table.column("TotalRowCount").is_some() {
            return Some(SchemaFormat::TablesDetails);
        }
    }
    let is_column = |c: &Value| {
        c.is_object()
            && field(c, "name").is_some_and(Value::is_string)
            && field(c, "type").is_some_and(Value::is_string)
    };
    match value {
        Value::Object(map)
            if !map.is_empty()
                && map.values().all(|v| {
                    v.as_array()
                        .is_some_and(|cols| !cols.is_empty() && cols.iter().all(is_column))
                }) =>
        {
            Some(SchemaFormat::TableMap)
        }
        _ => None,
    }
}

/// `obj[name]`, trying the name as given, lower-case and capitalised (`name`/`Name`).
fn field<'v>(obj: &'v Value, name: &str) -> Option<&'v Value> {
    let lower = name.to_ascii_lowercase();
    let mut upper = lower.clone();
    upper[..1].make_ascii_uppercase();
    obj.get(name)
        .or_else(|| obj.get(&lower))
        .or_else(|| obj.get(&upper))
}

fn string<'v>(obj: &'v Value, name: &str) -> Option<&'v str> {
    field(obj, name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A column's type: `CslType` (`string`) or else `Type` (`System.String`).
fn column_type(obj: &Value, owner: &str) -> Result<ScalarType, SchemaError> {
    let name = string(obj, "CslType")
        .or_else(|| string(obj, "Type"))
        .ok_or_else(|| SchemaError::invalid(format!("{owner}: a column has no type")))?;
    ScalarType::parse(name).ok_or_else(|| {
        SchemaError::invalid(format!(
            "{owner}: {}",
            crate::types::unknown_type_message(name)
        ))
    })
}

fn columns(list: Option<&Value>, owner: &str) -> Result<Vec<Column>, SchemaError> {
    let mut out = Vec::new();
    for c in list.and_then(Value::as_array).into_iter().flatten() {
        let name = string(c, "Name")
            .ok_or_else(|| SchemaError::invalid(format!("{owner}: a column has no name")))?;
        out.push(Column::new(
            name,
            column_type(c, &format!("{owner}.{name}"))?,
        ));
    }
    Ok(out)
}

// ----- .show database schema as json ---------------------------------------------------------

/// The raw JSON (`{"Databases": {...}}`) or a result table whose `DatabaseSchema` cell holds it.
pub(super) fn parse_show_schema(text: &str) -> Result<Schema, SchemaError> {
    let value: Value = serde_json::from_str(text).map_err(SchemaError::from_json)?;
    if value.get("Databases").is_some() {
        return schema_of_databases(&value);
    }
    let cell = result_tables(&value)
        .into_iter()
        .find_map(|t| {
            let i = t.column("DatabaseSchema")?;
            t.rows.first()?.get(i).cloned()
        })
        .ok_or_else(|| SchemaError::invalid("no `DatabaseSchema` cell in the result table"))?;
    let inner: Value = match cell {
        Value::String(s) => serde_json::from_str(&s).map_err(|e| {
            SchemaError::invalid(format!("the `DatabaseSchema` cell is not JSON: {e}"))
        })?,
        other => other,
    };
    schema_of_databases(&inner)
}

/// Every database's tables, materialized views and stored functions. External tables are left
/// out: queries reach them only through `external_table()`, which the schema does not model.
fn schema_of_databases(value: &Value) -> Result<Schema, SchemaError> {
    let databases = value
        .get("Databases")
        .and_then(Value::as_object)
        .ok_or_else(|| SchemaError::invalid("`Databases` is not an object"))?;
    let mut schema = Schema::empty();
    for db in databases.values() {
        for key in ["Tables", "MaterializedViews"] {
            for t in entries(db.get(key)) {
                let name = string(t, "Name")
                    .ok_or_else(|| SchemaError::invalid(format!("a {key} entry has no `Name`")))?;
                let cols = columns(t.get("OrderedColumns"), name)?;
                let mut table = Table::new(name, cols).with_default_time_column();
                table.description = string(t, "DocString").map(str::to_string);
                super::validate_table(&table)?;
                schema.insert_table(table);
            }
        }
        for f in entries(db.get("Functions")) {
            schema.insert_function(function(f)?);
        }
    }
    if schema.tables.is_empty() && schema.functions.is_empty() {
        return Err(SchemaError::invalid(
            "the database schema has no tables and no functions",
        ));
    }
    Ok(schema)
}

/// The values of a `{"Name": {...}}` map (or of a list, which some exports write).
fn entries(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Object(m)) => m.values().collect(),
        Some(Value::Array(a)) => a.iter().collect(),
        _ => Vec::new(),
    }
}

fn function(f: &Value) -> Result<Function, SchemaError> {
    let name = string(f, "Name").ok_or_else(|| SchemaError::invalid("a function has no `Name`"))?;
    let mut parameters = Vec::new();
    for p in f
        .get("InputParameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let pname = string(p, "Name").ok_or_else(|| {
            SchemaError::invalid(format!("function `{name}`: a parameter has no name"))
        })?;
        // A tabular parameter lists its columns (or none, for `T:(*)`) instead of a type.
        let tabular = p.get("Columns").is_some()
            || (string(p, "CslType").is_none() && string(p, "Type").is_none());
        let ty = if tabular {
            ParamType::Tabular
        } else {
            ParamType::Scalar(column_type(
                p,
                &format!("function `{name}`, parameter `{pname}`"),
            )?)
        };
        parameters.push(Parameter {
            name: pname.to_string(),
            ty,
            default: string(p, "CslDefaultValue").map(str::to_string),
        });
    }
    let output = columns(f.get("OutputColumns"), name)?;
    Ok(Function {
        name: name.to_string(),
        parameters,
        body: string(f, "Body").map(str::to_string),
        columns: (!output.is_empty()).then_some(output),
        description: string(f, "DocString").map(str::to_string),
    })
}

// ----- {"Table": [{"name", "type"}]} ----------------------------------------------------------

pub(super) fn parse_table_map(text: &str) -> Result<Schema, SchemaError> {
    let value: Value = serde_json::from_str(text).map_err(SchemaError::from_json)?;
    let map = value
        .as_object()
        .ok_or_else(|| SchemaError::invalid("expected an object of table name → column list"))?;
    let mut schema = Schema::empty();
    for (name, cols) in map {
        let mut list = Vec::new();
        for c in cols.as_array().into_iter().flatten() {
            let cname = string(c, "name").ok_or_else(|| {
                SchemaError::invalid(format!("table `{name}`: a column has no `name`"))
            })?;
            let ty = string(c, "type").unwrap_or_default();
            let ty = ScalarType::parse(ty).ok_or_else(|| {
                SchemaError::invalid(format!(
                    "{name}.{cname}: {}",
                    crate::types::unknown_type_message(ty)
                ))
            })?;
            list.push(Column::new(cname, ty));
        }
        super::add_table(
            &mut schema,
            Table::new(name.clone(), list).with_default_time_column(),
            text,
        )?;
    }
    Ok(schema)
}

// ----- .show tables details ---------------------------------------------------------------------

/// Table sizes from `.show tables details` (a saved JSON result or a CSV export). The tables'
/// columns are not in it: it is meant to be given together with a schema file.
pub(super) fn parse_tables_details(text: &str) -> Result<Schema, SchemaError> {
    let trimmed = text.trim_start();
    let table = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value: Value = serde_json::from_str(text).map_err(SchemaError::from_json)?;
        result_tables(&value)
            .into_iter()
            .find(|t| t.column("TableName").is_some())
    } else {
        csv_table(text)
    }
    .ok_or_else(|| SchemaError::invalid("no result table with a `TableName` column"))?;
    let name_at = table.column("TableName").expect("found by it");
    let number = |row: &[Value], column: &str| -> Option<u64> {
        match row.get(table.column(column)?)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let mut schema = Schema::empty();
    for row in &table.rows {
        let Some(name) = row.get(name_at).and_then(Value::as_str) else {
            continue;
        };
        let stats = TableStats {
            row_count: number(row, "TotalRowCount"),
            extent_size_bytes: number(row, "TotalExtentSize"),
            original_size_bytes: number(row, "TotalOriginalSize"),
        };
        schema.table_stats.insert(name.to_string(), stats);
    }
    if schema.table_stats.is_empty() {
        return Err(SchemaError::invalid(
            "`.show tables details` output without rows",
        ));
    }
    Ok(schema)
}

/// Whether CSV text is a `.show tables details` export (its header names the columns).
pub(super) fn is_tables_details_csv(text: &str) -> bool {
    let header = text.lines().next().unwrap_or_default();
    header.contains("TableName") && header.contains("TotalRowCount")
}

// ----- result tables ---------------------------------------------------------------------------

/// A query result: column names and rows of JSON cells.
struct ResultTable {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl ResultTable {
    fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// The result tables in a saved Kusto response: REST v1 (`{"Tables": [{Columns, Rows}]}`),
/// REST v2 (an array of frames, `DataTable` ones holding rows), or an array of row objects
/// (what editors copy as JSON).
fn result_tables(value: &Value) -> Vec<ResultTable> {
    let table_of = |t: &Value| -> Option<ResultTable> {
        let columns = t
            .get("Columns")?
            .as_array()?
            .iter()
            .map(|c| string(c, "ColumnName").unwrap_or_default().to_string())
            .collect();
        let rows = t
            .get("Rows")?
            .as_array()?
            .iter()
            .filter_map(|r| r.as_array().cloned())
            .collect();
        Some(ResultTable { columns, rows })
    };
    match value {
        Value::Object(o) => o
            .get("Tables")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(table_of)
            .collect(),
        Value::Array(items) if items.iter().any(|f| f.get("FrameType").is_some()) => items
            .iter()
            .filter(|f| f.get("FrameType").and_then(Value::as_str) == Some("DataTable"))
            .filter_map(table_of)
            .collect(),
        Value::Array(items) if items.first().is_some_and(Value::is_object) => {
            let columns: Vec<String> = items[0]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            let rows = items
                .iter()
                .filter_map(Value::as_object)
                .map(|o: &Map<String, Value>| {
                    columns
                        .iter()
                        .map(|c| o.get(c).cloned().unwrap_or(Value::Null))
                        .collect()
                })
                .collect();
            vec![ResultTable { columns, rows }]
        }
        _ => Vec::new(),
    }
}

/// A CSV export: a header record, then rows; `"..."` fields may hold commas, line breaks and
/// `""` quotes (policies in `.show tables details` are multi-line JSON).
fn csv_table(text: &str) -> Option<ResultTable> {
    let mut records = csv_records(text).into_iter();
    let columns = records.next()?;
    let rows = records
        .map(|r| r.into_iter().map(Value::String).collect())
        .collect();
    Some(ResultTable { columns, rows })
}

fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => record.push(std::mem::take(&mut field).trim().to_string()),
            '\n' if !quoted => {
                record.push(std::mem::take(&mut field).trim().to_string());
                let record = std::mem::take(&mut record);
                if record.iter().any(|f| !f.is_empty()) {
                    records.push(record);
                }
            }
            _ => field.push(c),
        }
    }
    record.push(field.trim().to_string());
    if record.iter().any(|f| !f.is_empty()) {
        records.push(record);
    }
    records
}
