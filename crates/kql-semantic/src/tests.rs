//! Data-driven tests: `check(input, expect)` compares rendered diagnostics, `schema_after`
//! compares the row schema produced by the last query.

use kql_schema::Schema;

use crate::analyze;

/// `text` parsed and analyzed against the built-in schema.
fn model(text: &str) -> crate::Model {
    analyze(&kql_syntax::parse(text), Schema::advanced_hunting())
}

fn diags(input: &str) -> String {
    model(input)
        .diagnostics()
        .iter()
        .map(|d| {
            let r = d.range;
            format!(
                "{} {}..{} {}{}",
                d.code,
                u32::from(r.start()),
                u32::from(r.end()),
                d.message,
                d.help
                    .as_ref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(input: &str, expect: &str) {
    assert_eq!(diags(input), expect.trim(), "input: {input}");
}

fn clean(input: &str) {
    check(input, "");
}

/// The row schema of the whole last query statement.
fn schema_after(input: &str) -> String {
    let parse = kql_syntax::parse(input);
    let model = analyze(&parse, Schema::advanced_hunting());
    let root = parse.syntax();
    let stmt = root
        .children()
        .filter(|c| c.kind() == kql_syntax::SyntaxKind::QUERY_STMT)
        .last()
        .expect("query");
    let expr = stmt.children().next().expect("expr");
    model
        .result_of(expr.text_range())
        .map(|s| s.render())
        .unwrap_or_else(|| "none".into())
}

#[test]
fn unknown_table_with_suggestion() {
    check(
        "DeviceEvent | take 1",
        "KQL201 0..11 unknown table `DeviceEvent` (did you mean `DeviceEvents`?)",
    );
    check(
        "SigninLogs | take 1",
        "KQL201 0..10 unknown table `SigninLogs`",
    );
}

#[test]
fn unknown_column() {
    check(
        "DeviceEvents | where TimeGenerated > ago(1d)",
        "KQL202 21..34 unknown column `TimeGenerated`",
    );
    check(
        "DeviceEvents | project DeviceNme",
        "KQL202 23..32 unknown column `DeviceNme` (did you mean `DeviceName`?)",
    );
}

#[test]
fn columns_are_case_sensitive() {
    check(
        "DeviceEvents | project devicename",
        "KQL202 23..33 unknown column `devicename` (did you mean `DeviceName`?)",
    );
}

#[test]
fn unknown_function_and_arg_count() {
    check(
        "print tolowr('A')",
        "KQL203 6..12 unknown function `tolowr` (did you mean `tolower`?)",
    );
    check(
        "print tolower('a', 'b')",
        "KQL204 6..23 function `tolower` takes 1 arguments, got 2",
    );
    check(
        "print my_thing_fl(1)",
        "KQL203 6..17 unknown function `my_thing_fl` (functions-library `_fl` functions must be defined with `let` or in a `--schema` file)",
    );
    clean("let my_thing_fl = (x:long) { x * 2 }; print my_thing_fl(1)");
}

#[test]
fn non_bool_where() {
    check(
        "DeviceEvents | where DeviceName",
        "KQL205 21..31 `where` needs a bool predicate, this is string",
    );
    clean("DeviceEvents | where DeviceName has 'x' and isnotempty(AccountName)");
}

/// `where Name = predicate` names the predicate (Kusto's parser reads a named expression): the
/// name is no column reference, and the predicate after `=` is what must be bool.
#[test]
fn named_where_predicate() {
    clean("DeviceEvents | where IsPs = FileName =~ 'powershell.exe'");
    clean("DeviceEvents | where NoSuchColumn = 1 > 0");
    check(
        "DeviceEvents | where ActionType = 'x'",
        "KQL205 34..37 `where` needs a bool predicate, this is string (a single `=` in `where` names the predicate that follows it; compare with `==`)",
    );
}

#[test]
fn no_errors_when_open() {
    clean("DeviceEvents | evaluate bag_unpack(AdditionalFields) | where Foo == 1");
    clean("cluster('c').database('d').Foo | where Bar == 1");
    // A function of a table is open on its own...
    clean("let f = (T:(*)) { T | where X > 1 }; print 1");
    clean("DeviceEvents | extend P = parse_json(AdditionalFields) | where P.Foo.Bar == 1");
    clean("externaldata(a:string, *)[h'x'] | where b == 1");
}

#[test]
fn function_of_a_table_is_bound_with_its_input() {
    // ...but a call gets its input's columns, as in Kusto, which reports `Y` too (and `X`,
    // an error of the body with that input, which this binding does not report).
    check(
        "let f = (T:(*)) { T | where X > 1 }; DeviceEvents | invoke f() | where Y == 2",
        "KQL202 71..72 unknown column `Y`",
    );
}

#[test]
fn lets_and_params() {
    clean("let x = 3d; let T = DeviceEvents | where Timestamp > ago(x); T | project DeviceName");
    check(
        "let T = DeviceEvents | project DeviceName; T | project DeviceId",
        "KQL202 55..63 unknown column `DeviceId`",
    );
    clean("let f = (n:string) { DeviceEvents | where DeviceName == n }; f('a') | take 1");
}

#[test]
fn renamed_table_fix() {
    let schema = Schema::advanced_hunting();
    if let Some((old, new)) = schema.renamed_tables().next() {
        let text = format!("{old} | take 1");
        let parse = kql_syntax::parse(&text);
        let model = analyze(&parse, schema);
        let d = &model.diagnostics()[0];
        assert_eq!(d.code, "KQL206");
        let fix = d.fix.as_ref().expect("fix");
        assert_eq!(fix.edits[0].replacement, new);
    }
}

#[test]
fn row_schema_after_operators() {
    assert_eq!(
        schema_after("DeviceEvents | project DeviceName, T = Timestamp, n = 1"),
        "(DeviceName: string, T: datetime, n: long)"
    );
    assert_eq!(
        schema_after("DeviceEvents | summarize count(), dcount(DeviceName) by ActionType, bin(Timestamp, 1h)"),
        "(ActionType: string, Timestamp: datetime, count_: long, dcount_DeviceName: long)"
    );
    assert_eq!(
        schema_after("DeviceEvents | project DeviceId, A = 1 | join (DeviceInfo | project DeviceId, OSPlatform) on DeviceId"),
        "(DeviceId: string, A: long, DeviceId1: string, OSPlatform: string)"
    );
    assert_eq!(
        schema_after("DeviceEvents | project DeviceId, A = 1 | lookup (DeviceInfo | project DeviceId, OSPlatform) on DeviceId"),
        "(DeviceId: string, A: long, OSPlatform: string)"
    );
    assert_eq!(
        schema_after(
            "DeviceEvents | project DeviceId | join kind=leftanti (DeviceInfo) on DeviceId"
        ),
        "(DeviceId: string)"
    );
    assert_eq!(
        schema_after("datatable(a:int, b:string)[1, 'x'] | extend c = a * 2.0 | project-away b | project-rename d = c"),
        "(a: int, d: real)"
    );
    assert_eq!(
        schema_after("print x = 1, 'a'"),
        "(x: long, print_1: string)"
    );
    assert_eq!(schema_after("range i from 1 to 3 step 1"), "(i: long)");
    assert_eq!(
        schema_after("union withsource=Src (print a = 1), (print b = 'x')"),
        "(Src: string, a: long, b: string)"
    );
    assert_eq!(
        schema_after("print d = dynamic([1]) | mv-expand with_itemindex=i d to typeof(long)"),
        "(d: long, i: long)"
    );
    assert_eq!(
        schema_after("print s = 'a=1' | parse s with 'a=' v:long"),
        "(s: string, v: long)"
    );
    assert_eq!(
        schema_after("DeviceEvents | getschema"),
        "(ColumnName: string, ColumnOrdinal: int, DataType: string, ColumnType: string)"
    );
    assert_eq!(
        schema_after(
            "DeviceEvents | evaluate bag_unpack(AdditionalFields) | project-keep DeviceName"
        ),
        "(DeviceName: string)"
    );
    assert_eq!(schema_after("DeviceEvents | count"), "(Count: long)");
}

#[test]
fn arg_max_star() {
    let s = schema_after("DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId");
    assert!(
        s.starts_with("(DeviceId: string, Timestamp: datetime, "),
        "{s}"
    );
}

#[test]
fn expression_types() {
    let text = "print a = now() - ago(1d), b = 1 + 2.5, c = 'x' has 'y', d = toint('1'), e = datetime(2024-01-01) + 1h";
    assert_eq!(
        schema_after(text),
        "(a: timespan, b: real, c: bool, d: int, e: datetime)"
    );
}

#[test]
fn type_and_columns_at_offset() {
    let text = "DeviceEvents | where DeviceName has 'x'";
    let model = model(text);
    let cols = model.columns_at(22.into()).expect("scope");
    assert!(cols.column("DeviceName").is_some());
    assert_eq!(model.type_at(23.into()), Some(crate::ScalarType::String));
}

#[test]
fn let_definition_and_references() {
    let text = "let x = 1d; DeviceEvents | where Timestamp > ago(x) | where Timestamp < now(x)";
    let model = model(text);
    let sym = model.symbol_at(49.into()).expect("symbol");
    assert_eq!(sym.name, "x");
    assert_eq!(u32::from(sym.definition.start()), 4);
    assert_eq!(sym.references.len(), 2);
}

#[test]
fn make_series_schema_and_columns() {
    assert_eq!(
        schema_after("DeviceEvents | make-series c = count() default = 0, avg(ReportId) on Timestamp from ago(1d) to now() step 1h by DeviceName"),
        "(DeviceName: string, c: dynamic, avg_ReportId: dynamic, Timestamp: dynamic)"
    );
    check(
        "DeviceEvents | make-series count() on TimeGenerated step 1h",
        "KQL202 38..51 unknown column `TimeGenerated`",
    );
}

#[test]
fn union_schemas() {
    clean("union DeviceEvents, DeviceNetworkInfo | project IPAddresses, AdditionalFields");
    check(
        "union DeviceEvents, DeviceNetworkInfo | project Foo",
        "KQL202 48..51 unknown column `Foo`",
    );
    check("union Nope*", "KQL201 6..11 no table matches `Nope*`");
    clean("union isfuzzy=true (Nope | take 1), (DeviceInfo | take 1)");
    clean("let View_1 = view () { print x=1 }; union View*");
}

#[test]
fn entity_functions() {
    check(
        "graph('G') | graph-match (a)-->(b) project a",
        "KQL207 6..9 unknown graph model `G`",
    );
    check(
        "table('Nope') | take 1",
        "KQL201 6..12 unknown table `Nope`",
    );
    clean("table('DeviceInfo') | project DeviceId");
}

#[test]
fn invoke_and_patterns() {
    clean("let f = (T:(*)) { T | extend z = 1 }; DeviceInfo | invoke f() | where z == 1");
    check(
        "DeviceInfo | invoke nope_fl()",
        "KQL203 20..27 unknown function `nope_fl` (functions-library `_fl` functions must be defined with `let` or in a `--schema` file)",
    );
    clean("print x = True, y = FALSE");
}

#[test]
fn join_on_sides() {
    check(
        "DeviceInfo | join (DeviceEvents) on $left.DeviceId == $right.DevId",
        "KQL202 61..66 unknown column `DevId`",
    );
    check(
        "DeviceInfo | join (DeviceEvents | project DeviceName) on DeviceId",
        "KQL202 57..65 unknown column `DeviceId` on the right side of the join",
    );
}

#[test]
fn summarize_automatic_names() {
    assert_eq!(
        schema_after("DeviceEvents | summarize count(), count(), take_any(DeviceName, ActionType), make_set(FileName), any(ReportId)"),
        "(count_: long, count_1: long, DeviceName: string, ActionType: string, set_FileName: dynamic, any_ReportId: long)"
    );
    // The deprecated `count(Column)` names its column after the column, as Kusto does; its
    // argument is a predicate, so a string column there is an error (Microsoft's KS107).
    check(
        "DeviceEvents | summarize count(DeviceName) by ActionType | where count_DeviceName > 1",
        "KQL205 31..41 `count`/`countif` needs a bool predicate, this is string",
    );
    clean("DeviceEvents | summarize count(DeviceName == 'a'), countif(isnotempty(DeviceName))");
    // Names we are not sure of make the schema open rather than wrong.
    clean("DeviceEvents | summarize percentile(ReportId, 50) | project percentile_ReportId_50");
}

#[test]
fn find_search_partition() {
    check(
        "find in (Nope, DeviceInfo) where X == 1",
        "KQL201 9..13 unknown table `Nope`",
    );
    clean("search in (DeviceInfo) \"x\"");
    // Without `in`, the columns of every table are searched (see find_and_search_columns).
    check(
        "search \"x\" and Whatever > 1",
        "KQL202 15..23 unknown column `Whatever`",
    );
    clean("range x from 1 to 2 step 1 | partition hint.strategy=legacy by x {DeviceInfo | where x == 1}");
    check(
        "range x from 1 to 2 step 1 | partition hint.strategy=legacy by x {Nope | where x == 1}",
        "KQL201 66..70 unknown table `Nope`",
    );
}

#[test]
fn later_items_see_earlier_ones() {
    clean("DeviceEvents | extend a = 1, b = a + 1 | project a, b");
    clean("DeviceEvents | project a = 1, b = a + 1");
    clean("print a = 1, b = a + 1");
    clean("let DeviceName = 'x'; DeviceEvents | where DeviceName == 'y' | project DeviceName");
}

#[test]
fn unknown_name_in_scalar_position() {
    check(
        "let f = (x:string) { strcat(x, Nope) }; print f('a')",
        "KQL202 31..35 unknown name `Nope`: not a column, table, function or `let` name",
    );
    check("let T = Nope; T", "KQL201 8..12 unknown table `Nope`");
}

#[test]
fn stored_functions() {
    clean("DeviceEvents | invoke FileProfile(SHA1, 100) | project DeviceName, GlobalPrevalence");
    check(
        "DeviceEvents | invoke FileProfile(SHA1, 100) | project Nope",
        "KQL202 55..59 unknown column `Nope`",
    );
    clean("DeviceFromIP('10.0.0.1', now()) | project DeviceId");
}

/// Constructs Microsoft's analyzer accepts: no diagnostics from us either.
#[test]
fn accepted_constructs() {
    clean("DeviceEvents | project-reorder Device* asc");
    clean("DeviceEvents | summarize count() by DeviceName | top 10 by count_ desc");
    clean("DeviceEvents | parse kind=regex AdditionalFields with \"a=\" v:long | project v");
    clean("DeviceEvents | parse-kv AdditionalFields as (a:string, b:long) with (pair_delimiter=\",\", kv_delimiter=\"=\") | project a, b");
    clean("DeviceEvents | mv-apply e = parse_json(AdditionalFields) to typeof(dynamic) on (summarize make_list(e)) | project list_e, DeviceName");
    clean("DeviceEvents | scan with (step s1: ActionType == \"x\";) | project DeviceName");
    clean("DeviceEvents | top-hitters 5 of DeviceName | project DeviceName, approximate_count_DeviceName");
    clean("DeviceEvents | join hint.strategy=broadcast kind=rightouter (DeviceInfo) on DeviceId | project DeviceId, DeviceId1, OSPlatform");
    clean("DeviceEvents | sample 10 | sort by Timestamp asc nulls first | project Timestamp");
    clean("DeviceEvents | distinct * | project DeviceName");
    clean("DeviceEvents | summarize Count = count() by bin(Timestamp, 1d), DeviceName | extend Timestamp = format_datetime(Timestamp, \"yyyy\") | project Timestamp, Count");
    clean("DeviceEvents | extend ['Some Col'] = 1 | project ['Some Col']");
    clean(
        "DeviceEvents | summarize (MaxT, Dev) = arg_max(Timestamp, DeviceName) | project MaxT, Dev",
    );
    clean(
        "DeviceEvents | summarize percentiles(ReportId, 50, 90) | project percentile_ReportId_50",
    );
    clean("let T = DeviceEvents | take 10; union T, (DeviceInfo | take 1) | project DeviceName, OSPlatform");
    clean("DeviceEvents | lookup kind=inner (DeviceInfo | project DeviceId, OSPlatform) on $left.DeviceId == $right.DeviceId | project OSPlatform");
    clean("DeviceEvents | where Timestamp > ago(1d) | summarize arg_min(Timestamp, *) by DeviceId | project-away Timestamp | project DeviceName");
    clean("DeviceEvents | summarize dcount(DeviceId), avg(toint(ReportId)) by ActionType | project dcount_DeviceId, ActionType");
}

#[test]
fn query_parameters_are_variables() {
    clean(
        "declare query_parameters(deviceName: string = \"host-1\", since: datetime);\n\
         DeviceProcessEvents | where DeviceName == deviceName and Timestamp > since | take 10",
    );
}

#[test]
fn table_reads_and_let_definitions() {
    let text = "let DeviceEvents = DeviceProcessEvents | take 1;\nDeviceEvents | union DeviceNetworkEvents";
    let model = model(text);
    let reads: Vec<(&str, Option<&str>)> = model
        .table_reads()
        .iter()
        .map(|t| (&text[t.range], t.time_column.as_deref()))
        .collect();
    // The `let` shadows the table of the same name: its use is not a table read.
    assert_eq!(
        reads,
        [
            ("DeviceProcessEvents", Some("Timestamp")),
            ("DeviceNetworkEvents", Some("Timestamp"))
        ]
    );
    let use_at = text.rfind("DeviceEvents |").unwrap();
    let range = kql_diagnostics::TextRange::at((use_at as u32).into(), 12.into());
    assert!(model.table_read_at(range).is_none());
    let symbol = model.referenced_symbol(range).expect("the let name");
    assert_eq!(symbol.name, "DeviceEvents");
    let value = model.let_value(symbol).expect("its value");
    assert_eq!(&text[value], "DeviceProcessEvents | take 1");
}

#[test]
fn type_of_a_name_is_its_type_in_scope() {
    let text = "DeviceProcessEvents | extend AccountName = 1 | where AccountName > 0";
    let model = model(text);
    let at = text.rfind("AccountName").unwrap() as u32;
    let range = kql_diagnostics::TextRange::at(at.into(), 11.into());
    assert_eq!(model.type_of(range), Some(crate::ScalarType::Long));
}

/// The codes `input` gets, in order (for tables of cases where the code is the point).
fn codes_of(input: &str) -> Vec<String> {
    model(input)
        .diagnostics()
        .iter()
        .map(|d| d.code.to_string())
        .collect()
}

/// Each case: the query and the codes Kusto's analyzer agrees on (an error there, or none).
fn check_codes(cases: &[(&str, &[&str])]) {
    for (input, want) in cases {
        assert_eq!(&codes_of(input), want, "input: {input}");
    }
}

#[test]
fn other_databases_and_clusters() {
    check(
        "database('db').SigninLogs | take 1",
        "KQL208 9..13 unknown database `db` (Advanced Hunting queries read the tables of its \
         schema; there is no other database)",
    );
    check(
        "#connect \"https://help.kusto.windows.net/Samples\"\nDeviceEvents | take 1",
        "KQL209 0..49 `#connect` to `\"https://help.kusto.windows.net/Samples\"`: a cluster the \
         schema does not have (Advanced Hunting runs every query against its own schema; remove \
         the directive)",
    );
    check_codes(&[
        ("database('x').Foo | where Bar == 1", &["KQL208"]),
        (
            "union DeviceEvents, database(\"Other\").DeviceEvents",
            &["KQL208"],
        ),
        ("#connect cluster('help').database('Samples')", &["KQL209"]),
        // Kusto only warns about another cluster's database.
        ("cluster('c').database('d').Foo | where Bar == 1", &[]),
        // A pattern may match the current database: not judged.
        ("union withsource=T database(\"d*\").DeviceEvents", &[]),
        ("let database_name = 'x'; print database_name", &[]),
        (
            "alias database other = cluster(\"https://c.kusto.windows.net\").database(\"d\");\n\
             database(\"other\").Events | take 1",
            &[],
        ),
        // A `#connect` that names nothing is not judged (nor does Kusto).
        ("#connect\nDeviceEvents | take 1", &[]),
    ]);
}

#[test]
fn literal_arguments_against_kusto_parameter_types() {
    check(
        "print base64_encode_fromguid(\"abcd\")",
        "KQL210 29..35 `base64_encode_fromguid` expects guid for parameter `guid`, not this \
         string literal",
    );
    check_codes(&[
        (
            "print base64_encode_fromguid(guid(00000000-0000-0000-0000-000000000001))",
            &[],
        ),
        // A long does not narrow to an int parameter; `int(2)` fits.
        (
            "print series_fit_poly(dynamic([1,2,3]), dynamic([1,2,3]), 2)",
            &["KQL210"],
        ),
        (
            "print series_fit_poly(dynamic([1,2,3]), dynamic([1,2,3]), int(2))",
            &[],
        ),
        ("print ago(5)", &["KQL210"]),
        ("print ago(5m)", &[]),
        (
            "print format_datetime(datetime(2024-01-01), 42)",
            &["KQL210"],
        ),
        (
            "print format_datetime(\"2024-01-01\", \"yyyy\")",
            &["KQL210"],
        ),
        ("print exp(true)", &["KQL210"]),
        ("print exp(2), exp(int(2)), exp(2.5)", &[]),
        ("print repeat(\"a\", 2.5)", &["KQL210"]),
        ("print repeat(\"a\", 2), repeat(\"a\", int(2))", &[]),
        // int and long widen to real; decimal does not.
        ("print convert_angle(1, \"Degree\", \"Radian\")", &[]),
        (
            "print convert_angle(decimal(1), \"Degree\", \"Radian\")",
            &["KQL210"],
        ),
        ("print iff(\"yes\", 1, 2)", &["KQL210"]),
        ("print iff(true, \"a\", \"b\")", &[]),
        ("print strlen(42)", &["KQL210"]),
        ("print strlen(\"abc\"), strlen(dynamic([\"a\"]))", &[]),
        ("print substring(\"abc\", 1.5)", &["KQL210"]),
        ("print array_length(\"abc\")", &["KQL210"]),
        (
            "print datetime_add(\"day\", 1, now()), datetime_add(\"day\", 1.5, now())",
            &["KQL210"],
        ),
        // Summable parameters take a datetime too: not judged.
        ("print bin_at(now(), datetime(2024-01-01), now())", &[]),
        // An overload that takes the literal: fine.
        ("print bin(now(), 1h), bin(1.5, 1)", &[]),
        ("print round(2.5, 1), round(2.5, int(1))", &[]),
        (
            "print strcat_array(dynamic([\"a\"]), \",\"), split(\"a,b\", \",\", 0)",
            &[],
        ),
        ("print datetime_diff(\"day\", now(), ago(1d))", &[]),
        // Parameters after a repeated one: which one a literal binds to is not judged.
        (
            "print array_sort_asc(dynamic([2,1])), array_sort_asc(dynamic([2,1]), dynamic([1,2]))",
            &[],
        ),
    ]);
}

#[test]
fn dynamic_predicates() {
    check(
        "DeviceEvents | where todynamic(AdditionalFields)",
        "KQL205 21..48 `where` needs a bool predicate, this is dynamic",
    );
    check_codes(&[
        (
            "DeviceEvents | summarize countif(parse_json(AdditionalFields).x)",
            &["KQL205"],
        ),
        (
            "DeviceEvents | extend d = todynamic(DeviceName) | summarize count(d)",
            &["KQL205"],
        ),
        (
            "DeviceEvents | where todynamic(AdditionalFields).x == 1 and true",
            &[],
        ),
        ("DeviceEvents | summarize count(DeviceName == \"a\")", &[]),
        (
            "DeviceEvents | where tobool(todynamic(AdditionalFields).x)",
            &[],
        ),
    ]);
}

#[test]
fn unknown_plugins() {
    check(
        "DeviceEvents | evaluate bag_unpak(AdditionalFields)",
        "KQL203 24..33 unknown plugin `bag_unpak` (did you mean `bag_unpack`?)",
    );
    check_codes(&[
        ("DeviceEvents | evaluate nosuch()", &["KQL203"]),
        (
            "DeviceEvents | extend d = todynamic(AdditionalFields) | evaluate bag_unpack(d)",
            &[],
        ),
    ]);
}

#[test]
fn literal_only_parameters() {
    check(
        "let p = \"day\"; print datetime_diff(p, now(), ago(1d))",
        "KQL211 35..36 `datetime_diff` takes only a literal for parameter `part`, not an \
         expression or a name",
    );
    check_codes(&[
        ("let f = (p:string) { print datetime_diff(p, now(), now()) }; f(\"day\")", &["KQL211"]),
        ("print datetime_diff((\"day\"), now(), now())", &["KQL211"]),
        ("print format_datetime(now(), strcat(\"yy\", \"yy\"))", &["KQL211"]),
        ("DeviceEvents | project format_datetime(Timestamp, DeviceName)", &["KQL211"]),
        ("let k = \"normal\"; print countof(\"aaa\", \"a\", k)", &["KQL211"]),
        ("print datetime_diff(\"da\" \"y\", now(), now()), datetime_diff(@\"day\", now(), now())", &[]),
        ("print datetime_add('day', 1, now()), format_datetime(now(), \"yyyy\")", &[]),
        ("print countof(\"aaa\", \"a\", \"normal\")", &[]),
        // `typeof(...)` is how a type parameter is written.
        ("print extract(\"a(b)\", 1, \"ab\", typeof(string))", &[]),
    ]);
}

#[test]
fn find_and_search_columns() {
    check(
        "find where DeviceName == \"x\" or NoSuchCol == 1",
        "KQL202 32..41 unknown column `NoSuchCol`",
    );
    check_codes(&[
        ("find NoSuchCol == 1", &["KQL202"]),
        ("search NoSuchCol == 1", &["KQL202"]),
        ("search \"abc\" and NoSuchCol > 1", &["KQL202"]),
        ("search NoSuchCol:\"abc\"", &["KQL202"]),
        ("search Hughes", &["KQL202"]),
        ("DeviceEvents | search NoSuchCol == 1", &["KQL202"]),
        ("DeviceEvents | find where NoSuchCol == 1", &["KQL202"]),
        (
            "find withsource=T where NoSuchCol == 1 project DeviceName",
            &["KQL202"],
        ),
        // The query's own tables are not searched.
        (
            "let T = datatable(Zed:long)[1];\nfind where Zed == 1",
            &["KQL202"],
        ),
        // A `view` is searched too.
        (
            "let V = view () { range Zed from 1 to 2 step 1 };\nsearch Zed == 1",
            &[],
        ),
        ("find where DeviceName == \"x\"", &[]),
        (
            "find where AccountUpn == \"x\" and ActionType == \"y\"",
            &[],
        ),
        ("search \"abc\"", &[]),
        ("search DeviceName:\"abc\"", &[]),
        (
            "search kind=case_sensitive \"abc\" and DeviceName:\"abc\"",
            &[],
        ),
        ("DeviceEvents | search FileName == \"a\"", &[]),
        ("search * has \"x\"", &[]),
        (
            "find where DeviceName has \"x\" and Timestamp > ago(1d) and ActionType == \"a\"",
            &[],
        ),
    ]);
}
