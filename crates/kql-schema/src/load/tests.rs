use super::*;
use ScalarType::*;

fn parse(text: &str) -> Result<Schema, SchemaError> {
    Schema::from_str_with_format(text, SchemaFormat::Auto, None)
}

fn cols(t: &Table) -> Vec<(&str, ScalarType)> {
    t.columns.iter().map(|c| (c.name.as_str(), c.ty)).collect()
}

/// Writes `text` to a fresh file named `name` in a private temp directory.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kql-schema-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn native_json() {
    let s = parse(
        r#"{"tables": [
            {"name": "MyEvents", "columns": [{"name": "Timestamp", "type": "datetime"}, {"name": "N", "type": "Int64"}]},
            {"name": "Inv", "time_column": null, "columns": [{"name": "Timestamp", "type": "datetime"}]},
            {"name": "Custom", "time_column": "At", "description": "mine", "columns": [{"name": "At", "type": "date"}]}
           ],
           "functions": [{"name": "F", "parameters": [{"name": "T", "type": "(*)"}, {"name": "n", "type": "long", "default": "10"}],
                          "body": "T | take n", "columns": [{"name": "x", "type": "string"}]}],
           "renamed": [{"old": "Inv", "new": "Inventory"}]}"#,
    )
    .unwrap();
    let t = s.table("MyEvents").unwrap();
    assert_eq!(cols(t), [("Timestamp", DateTime), ("N", Long)]);
    assert_eq!(t.time_column.as_deref(), Some("Timestamp"), "defaulted");
    assert_eq!(s.table("Inv").unwrap().time_column, None, "null = snapshot");
    assert_eq!(
        s.table("Inv").unwrap().renamed_to.as_deref(),
        Some("Inventory")
    );
    let c = s.table("Custom").unwrap();
    assert_eq!(c.time_column.as_deref(), Some("At"));
    assert_eq!(c.description.as_deref(), Some("mine"));
    let f = s.function("F").unwrap();
    assert_eq!(f.parameters[0].ty, ParamType::Tabular);
    assert_eq!(f.parameters[1].ty, ParamType::Scalar(Long));
    assert_eq!(f.parameters[1].default.as_deref(), Some("10"));
    assert_eq!(f.min_args(), 1);
    assert_eq!(f.body.as_deref(), Some("T | take n"));
    assert_eq!(f.columns.as_ref().unwrap()[0].name, "x");
}

#[test]
fn json_database_map_keeps_column_order() {
    let s = parse(r#"{"database": "db", "tables": {"T": {"z": "string", "a": "long", "TimeGenerated": "datetime"}}}"#)
        .unwrap();
    let t = s.table("T").unwrap();
    assert_eq!(
        cols(t),
        [("z", String), ("a", Long), ("TimeGenerated", DateTime)]
    );
    assert_eq!(t.time_column.as_deref(), Some("TimeGenerated"));
}

#[test]
fn native_toml() {
    let s = parse(
        r#"
[[tables]]
name = "MyEvents"
columns = [ { name = "TimeGenerated", type = "datetime" }, { name = "User", type = "string" } ]

[[tables]]
name = "Inv"
time_column = false
columns = [ { name = "Timestamp", type = "datetime" } ]

[[functions]]
name = "Recent"
parameters = [ { name = "lookback", type = "timespan", default = "1d" } ]
body = "DeviceLogonEvents | where Timestamp > ago(lookback)"
"#,
    )
    .unwrap();
    assert_eq!(
        s.table("MyEvents").unwrap().time_column.as_deref(),
        Some("TimeGenerated")
    );
    assert_eq!(s.table("Inv").unwrap().time_column, None);
    assert_eq!(s.function("Recent").unwrap().min_args(), 0);
}

#[test]
fn toml_errors_have_positions() {
    let e = Schema::from_str_with_format(
        "[[tables]]\nname = \"T\"\ncolumns = [ { name = \"a\", type = \"strng\" } ]\n",
        SchemaFormat::Toml,
        None,
    )
    .unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::Invalid);
    assert!(e.message.contains("unknown type `strng`"), "{e}");
    assert_eq!(e.line, Some(3), "{e}");
    let e =
        Schema::from_str_with_format("[[tables]\nname = ", SchemaFormat::Toml, None).unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::Syntax);
    assert_eq!(e.line, Some(1), "{e}");
}

#[test]
fn sentinel_single_and_array() {
    let s = parse(
        r#"{"Name": "SigninLogs", "Properties": [{"Name": "TimeGenerated", "Type": "datetime"}, {"Name": "UserPrincipalName", "Type": "string"}], "Extra": 1}"#,
    )
    .unwrap();
    let t = s.table("SigninLogs").unwrap();
    assert_eq!(t.time_column.as_deref(), Some("TimeGenerated"));
    assert_eq!(t.columns.len(), 2);
    let s = parse(
        r#"[{"Name": "A", "Properties": [{"Name": "x", "Type": "int"}]},
            {"Name": "B", "Properties": [{"Name": "y", "Type": "dynamic"}]}]"#,
    )
    .unwrap();
    assert_eq!(s.tables.len(), 2);
    assert_eq!(cols(s.table("B").unwrap()), [("y", Dynamic)]);
}

#[test]
fn kusto_schema_text() {
    let text = "// exported\nMyEvents (TimeGenerated:datetime, User:string)\nOther: (['Col with space']:long, [\"q\"]:System.String)\n.create table Third (a:int)\n";
    let s = Schema::from_str_with_format(text, SchemaFormat::KustoSchema, None).unwrap();
    assert_eq!(s.tables.len(), 3);
    assert_eq!(
        s.table("MyEvents").unwrap().time_column.as_deref(),
        Some("TimeGenerated")
    );
    assert_eq!(
        cols(s.table("Other").unwrap()),
        [("Col with space", Long), ("q", String)]
    );
    assert_eq!(cols(s.table("Third").unwrap()), [("a", Int)]);
    // auto-detected too
    assert_eq!(parse(text).unwrap(), s);
}

#[test]
fn kusto_bare_column_list_takes_the_given_name() {
    let s =
        Schema::from_str_with_format("(a:string, b:long)", SchemaFormat::KustoSchema, Some("T"))
            .unwrap();
    assert_eq!(cols(s.table("T").unwrap()), [("a", String), ("b", Long)]);
    let e =
        Schema::from_str_with_format("(a:string)", SchemaFormat::KustoSchema, None).unwrap_err();
    assert!(e.message.contains("without a table name"), "{e}");
}

#[test]
fn table_from_kusto_schema() {
    let t = Table::from_kusto_schema("T", "(Timestamp:datetime, ['b c']:long)").unwrap();
    assert_eq!(cols(&t), [("Timestamp", DateTime), ("b c", Long)]);
    assert_eq!(t.time_column.as_deref(), Some("Timestamp"));
    let t = Table::from_kusto_schema("T", "a:string").unwrap();
    assert_eq!(cols(&t), [("a", String)]);
    assert!(Table::from_kusto_schema("T", "(a:string) junk").is_err());
    assert!(Table::from_kusto_schema("T", "(a:string, a:long)")
        .unwrap_err()
        .message
        .contains("twice"));
}

#[test]
fn kusto_errors_have_positions() {
    let e =
        Schema::from_str_with_format("T (a:string,\n   b:strin)", SchemaFormat::KustoSchema, None)
            .unwrap_err();
    assert!(e.message.contains("unknown type `strin`"), "{e}");
    assert_eq!((e.line, e.column), (Some(2), Some(6)));
    let e = Schema::from_str_with_format("T (a:string b:long)", SchemaFormat::KustoSchema, None)
        .unwrap_err();
    assert!(e.message.contains("expected `,`"), "{e}");
    assert_eq!((e.line, e.column), (Some(1), Some(13)));
    let e =
        Schema::from_str_with_format("T (a:string", SchemaFormat::KustoSchema, None).unwrap_err();
    assert!(e.message.contains("missing `)`"), "{e}");
    let e =
        Schema::from_str_with_format("T (a string)", SchemaFormat::KustoSchema, None).unwrap_err();
    assert!(e.message.contains("expected `:type`"), "{e}");
    let e =
        Schema::from_str_with_format("// nothing", SchemaFormat::KustoSchema, None).unwrap_err();
    assert!(e.message.contains("no table"), "{e}");
}

#[test]
fn hunting_response_from_file_stem() {
    let p = temp_file(
        "SuspiciousLogons.json",
        r#"{"Stats": {}, "Schema": [{"Name": "Timestamp", "Type": "DateTime"}, {"Name": "DeviceName", "Type": "String"}, {"Name": "Count", "Type": "Int64"}, {"Name": "Ok", "Type": "SByte"}, {"Name": "Extra", "Type": "Object"}],
            "Results": [{"Timestamp": "2024-01-01T00:00:00Z"}]}"#,
    );
    let s = Schema::load_file(&p).unwrap();
    let t = s.table("SuspiciousLogons").unwrap();
    assert_eq!(
        cols(t),
        [
            ("Timestamp", DateTime),
            ("DeviceName", String),
            ("Count", Long),
            ("Ok", Bool),
            ("Extra", Dynamic)
        ]
    );
    assert_eq!(t.time_column.as_deref(), Some("Timestamp"));
    let p = temp_file("Bare.json", r#"[{"Name": "x", "Type": "System.Double"}]"#);
    assert_eq!(
        cols(Schema::load_file(&p).unwrap().table("Bare").unwrap()),
        [("x", Real)]
    );
    let e = parse(r#"{"Schema": [{"Name": "x", "Type": "Double"}]}"#).unwrap_err();
    assert!(e.message.contains("no table name"), "{e}");
}

#[test]
fn load_file_picks_format_by_extension_and_reports_path() {
    let p = temp_file("MyTable.kql", "(a:string, Timestamp:datetime)");
    let s = Schema::load_file(&p).unwrap();
    assert_eq!(
        s.table("MyTable").unwrap().time_column.as_deref(),
        Some("Timestamp")
    );
    let p = temp_file("s.toml", "[[tables]]\nname = \"T\"\ncolumns = []\n");
    assert!(Schema::load_file(&p)
        .unwrap()
        .table("T")
        .unwrap()
        .columns
        .is_empty());

    let p = temp_file(
        "bad.json",
        "{\n  \"tables\": [\n    {\"name\": \"T\", \"columns\": [}\n  ]\n}",
    );
    let e = Schema::load_file(&p).unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::Syntax);
    assert_eq!(e.path.as_deref(), Some(p.as_path()));
    assert_eq!(e.line, Some(3));
    let shown = e.to_string();
    assert!(shown.starts_with(&format!("{}:3:", p.display())), "{shown}");

    let e = Schema::load_file(p.with_file_name("missing.json")).unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::Io);
    assert!(e.to_string().contains("missing.json"), "{e}");
}

#[test]
fn malformed_json_files() {
    // wrong type of value
    let e = parse(r#"{"tables": [{"name": "T", "columns": "a:string"}]}"#).unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::Invalid);
    assert_eq!(e.line, Some(1));
    // unknown type name, with the position of the value
    let e = parse("{\"tables\": [\n {\"name\": \"T\", \"columns\": [{\"name\": \"a\", \"type\": \"varchar\"}]}]}")
        .unwrap_err();
    assert!(e.message.contains("unknown type `varchar`"), "{e}");
    assert_eq!(e.line, Some(2));
    // typo in a key is reported, not ignored
    let e = parse(r#"{"tables": [{"name": "T", "colums": []}]}"#).unwrap_err();
    assert!(e.message.contains("colums"), "{e}");
    // missing field
    let e = parse(r#"{"tables": [{"columns": []}]}"#).unwrap_err();
    assert!(e.message.contains("name"), "{e}");
    // sentinel with a bad type
    let e = parse(r#"{"Name": "T", "Properties": [{"Name": "x", "Type": "blob"}]}"#).unwrap_err();
    assert!(e.message.contains("unknown type `blob`"), "{e}");
    // unrecognised shape
    let e = parse(r#"{"hello": 1}"#).unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::UnknownFormat);
    let e = parse("[1, 2]").unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::UnknownFormat);
    // truncated
    let e = parse(r#"{"tables": ["#).unwrap_err();
    assert_eq!(e.kind, SchemaErrorKind::Syntax);
    assert!(e.line.is_some());
}

#[test]
fn semantic_validation_errors_are_located() {
    let text = "{\"tables\": [\n {\"name\": \"T\", \"time_column\": \"When\",\n  \"columns\": [{\"name\": \"a\", \"type\": \"string\"}]}]}";
    let e = parse(text).unwrap_err();
    assert!(
        e.message
            .contains("time column `When` is not one of its columns"),
        "{e}"
    );
    assert_eq!(e.line, Some(2));
    let e = parse(r#"{"tables": [{"name": "T", "time_column": "a", "columns": [{"name": "a", "type": "string"}]}]}"#)
        .unwrap_err();
    assert!(e.message.contains("not datetime"), "{e}");
    let e = parse(r#"{"tables": [{"name": "T", "columns": [{"name": "a", "type": "string"}, {"name": "a", "type": "long"}]}]}"#)
        .unwrap_err();
    assert!(e.message.contains("column `a` twice"), "{e}");
    let e = parse(r#"{"tables": [{"name": "T", "columns": []}, {"name": "T", "columns": []}]}"#)
        .unwrap_err();
    assert!(e.message.contains("defined twice"), "{e}");
    let e = parse(r#"{"tables": [], "renamed": [{"old": "X", "new": "Y"}]}"#).unwrap_err();
    assert!(e.message.contains("does not define"), "{e}");
    let e =
        parse(r#"{"functions": [{"name": "F", "parameters": [{"name": "x", "type": "nope"}]}]}"#)
            .unwrap_err();
    assert!(e.message.contains("unknown type `nope`"), "{e}");
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "",
        " ",
        "{",
        "[",
        "}",
        "(",
        ")",
        "T (",
        "T (a:",
        "T ([",
        "T (['x",
        "T (['x']",
        "\u{feff}{}",
        "[[tables]]",
        "[tables]\nx = 1",
        "ä (ö:string)",
        "T: (a:string,)",
        ".create",
        ".create table",
        "{\"tables\": {\"T\": 5}}",
        "{\"tables\": 5}",
        "{\"Schema\": 1}",
        "[{\"Type\": 1}]",
        "null",
        "1",
    ];
    for text in inputs {
        let _ = parse(text);
        for f in [
            SchemaFormat::Json,
            SchemaFormat::Toml,
            SchemaFormat::Sentinel,
            SchemaFormat::KustoSchema,
            SchemaFormat::HuntingResponse,
        ] {
            let _ = Schema::from_str_with_format(text, f, Some("T"));
        }
    }
}

#[test]
fn function_kind_note_is_accepted() {
    let s = parse(r#"{"functions": [{"name": "DeviceFromIP", "kind": "tabular"}]}"#).unwrap();
    assert_eq!(s.function("DeviceFromIP").unwrap().parameters.len(), 0);
}

#[test]
fn user_schema_merges_over_builtin() {
    let mut s = Schema::advanced_hunting().clone();
    let user = parse(
        r#"{"Name": "DeviceEvents", "Properties": [{"Name": "Timestamp", "Type": "datetime"}]}"#,
    )
    .unwrap();
    s.merge(user);
    assert_eq!(s.table("DeviceEvents").unwrap().columns.len(), 1);
    assert_eq!(s.tables.len(), 64);
}
