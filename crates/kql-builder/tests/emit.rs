//! Emitted KQL for every operator and expression form: exact strings and insta snapshots.
//! Every query goes through `kql()`, which also asserts that kqlkit's parser finds no syntax
//! error in it (so "every query the tests emit parses" is checked query by query).

use kql_builder::tables::{
    DeviceFileEvents as F, DeviceInfo as I, DeviceNetworkEvents as N, DeviceProcessEvents as P,
};
use kql_builder::types::{self as ty};
use kql_builder::*;

/// The query's text, after checking that it parses without errors. With `KQL_BUILDER_DUMP=DIR`
/// each text is also written to DIR (one `.kql` file each) for Microsoft's parser to check.
fn kql(q: &Query) -> String {
    let text = q.to_kql();
    check_parses(&text);
    text
}

fn check_parses(text: &str) {
    let parse = kql_syntax::parse(text);
    assert!(
        !parse.has_errors(),
        "syntax errors in emitted KQL:\n{text}\n{:#?}",
        parse.diagnostics()
    );
    if let Some(dir) = std::env::var_os("KQL_BUILDER_DUMP") {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        let path = std::path::Path::new(&dir).join(format!("{:016x}.kql", h.finish()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// An expression's text, checked inside `T | where` / `print`.
fn expr<T: ty::KqlType>(e: &Expr<T>) -> String {
    let text = e.to_kql();
    check_parses(&format!("print x = {text}"));
    text
}

fn s(name: &'static str) -> Column<ty::String> {
    Column::new(name)
}
fn l(name: &'static str) -> Column<ty::Long> {
    Column::new(name)
}
fn b(name: &'static str) -> Column<ty::Bool> {
    Column::new(name)
}

#[allow(dead_code)]
#[path = "../examples/advanced_hunting.rs"]
mod advanced_hunting;

/// The `advanced_hunting` example builds the query of Microsoft's documentation.
#[test]
fn microsoft_documentation_query() {
    let q = advanced_hunting::build();
    assert_eq!(
        kql(&q),
        "DeviceProcessEvents\n\
         | where InitiatingProcessFileName =~ \"powershell.exe\"\n\
         | project Timestamp, FileName, InitiatingProcessFileName\n\
         | order by Timestamp desc\n\
         | limit 2"
    );
    insta::assert_snapshot!(
        "defender_request",
        serde_json::to_string_pretty(&q.to_request()).unwrap()
    );
    let graph = q.to_graph_request("P7D".parse().unwrap());
    insta::assert_snapshot!(
        "graph_request",
        serde_json::to_string_pretty(&graph).unwrap()
    );
}

#[test]
fn precedence_parentheses_only_where_needed() {
    let (a, b_, c) = (l("a"), l("b"), l("c"));
    assert_eq!(expr(&(a.clone() + b_.clone() * c.clone())), "a + b * c");
    assert_eq!(expr(&((a.clone() + b_.clone()) * c.clone())), "(a + b) * c");
    assert_eq!(expr(&(a.clone() - b_.clone() - c.clone())), "a - b - c");
    assert_eq!(expr(&(a.clone() - (b_.clone() - c.clone()))), "a - (b - c)");
    assert_eq!(expr(&(a.clone() / (b_.clone() * c.clone()))), "a / (b * c)");
    assert_eq!(expr(&(a.clone() % 7)), "a % 7");
    assert_eq!(expr(&-(a.clone() + 1)), "-(a + 1)");
    assert_eq!(expr(&-a.clone()), "-a");
    assert_eq!(expr(&-(-a.clone())), "-(-a)");
    assert_eq!(expr(&(a.clone() - -5)), "a - -5");
    assert_eq!(expr(&-lit::<ty::Long>(-5)), "-(-5)");
    assert_eq!(expr(&(a.clone() * -2.5)), "a * -2.5");

    let (x, y, z) = (b("x"), b("y"), b("z"));
    assert_eq!(expr(&x.and(&y).or(&z)), "x and y or z");
    assert_eq!(expr(&x.and(y.or(&z))), "x and (y or z)");
    assert_eq!(expr(&x.or(y.and(&z))), "x or y and z");
    assert_eq!(expr(&x.and(&y).and(&z)), "x and y and z");
    assert_eq!(expr(&x.and(y.and(&z))), "x and y and z");
    assert_eq!(expr(&not(x.or(&y))), "not(x or y)");
    assert_eq!(
        expr(&(!x.clone() & y.clone() | z.clone())),
        "not(x) and y or z"
    );

    assert_eq!(expr(&(a.clone() + 1).gt(b_.clone() * 2)), "a + 1 > b * 2");
    // A comparison as an operand of a comparison (bool == bool) needs parentheses.
    assert_eq!(expr(&a.gt(1).eq(b_.lt(2))), "(a > 1) == (b < 2)");
    assert_eq!(expr(&x.eq(y.and(&z))), "x == (y and z)");
    assert_eq!(
        expr(&(a.clone() + 1).between(0, c.clone() - 1)),
        "a + 1 between (0 .. c - 1)"
    );
    assert_eq!(expr(&(a.clone() * 2).in_([1, 2, 3])), "a * 2 in (1, 2, 3)");
}

#[test]
fn typed_arithmetic() {
    let t: Column<ty::DateTime> = Column::new("Timestamp");
    let u: Column<ty::DateTime> = Column::new("Other");
    let since: Expr<ty::DateTime> = t.clone() - days(1);
    assert_eq!(expr(&since), "Timestamp - 1d");
    let gap: Expr<ty::TimeSpan> = t.clone() - u.clone();
    assert_eq!(expr(&gap.gt(minutes(5))), "Timestamp - Other > 5m");
    let ratio: Expr<ty::Real> = (t.clone() - u) / hours(1);
    assert_eq!(expr(&ratio), "(Timestamp - Other) / 1h");
    let span: Expr<ty::TimeSpan> = lit(hours(1)) * 3;
    assert_eq!(expr(&span), "1h * 3");
    let int_col: Column<ty::Int> = Column::new("ErrorCode");
    let widened: Expr<ty::Long> = int_col.clone() + 1;
    assert_eq!(expr(&widened), "ErrorCode + 1");
    let real: Expr<ty::Real> = int_col.clone() * 0.5;
    assert_eq!(expr(&real), "ErrorCode * 0.5");
    assert_eq!(
        expr(&int_col.eq(0)),
        "ErrorCode == 0",
        "int literal compared: no int() wrapper"
    );
    assert_eq!(expr(&int_col.between(-1, 5)), "ErrorCode between (-1 .. 5)");
    assert_eq!(expr(&int_col.in_([1, -2])), "ErrorCode in (1, -2)");
    assert_eq!(
        expr(&iff(b("x"), int_col.clone(), 7)),
        "iff(x, ErrorCode, int(7))",
        "elsewhere the type is kept"
    );
    assert_eq!(expr(&l("Size").eq(&int_col)), "Size == ErrorCode");
}

#[test]
fn string_operators() {
    let f = s("FileName");
    let cases: Vec<(Expr<ty::Bool>, &str)> = vec![
        (f.eq("a"), r#"FileName == "a""#),
        (f.ne("a"), r#"FileName != "a""#),
        (f.eq_ci("a"), r#"FileName =~ "a""#),
        (f.ne_ci("a"), r#"FileName !~ "a""#),
        (f.has("a"), r#"FileName has "a""#),
        (f.not_has("a"), r#"FileName !has "a""#),
        (f.has_cs("a"), r#"FileName has_cs "a""#),
        (f.not_has_cs("a"), r#"FileName !has_cs "a""#),
        (f.hasprefix("a"), r#"FileName hasprefix "a""#),
        (f.hassuffix("a"), r#"FileName hassuffix "a""#),
        (f.contains("a"), r#"FileName contains "a""#),
        (f.not_contains("a"), r#"FileName !contains "a""#),
        (f.contains_cs("a"), r#"FileName contains_cs "a""#),
        (f.not_contains_cs("a"), r#"FileName !contains_cs "a""#),
        (f.startswith("a"), r#"FileName startswith "a""#),
        (f.not_startswith("a"), r#"FileName !startswith "a""#),
        (f.startswith_cs("a"), r#"FileName startswith_cs "a""#),
        (f.endswith("a"), r#"FileName endswith "a""#),
        (f.not_endswith("a"), r#"FileName !endswith "a""#),
        (f.endswith_cs("a"), r#"FileName endswith_cs "a""#),
        (
            f.matches_regex(r"^\w+$"),
            r#"FileName matches regex "^\\w+$""#,
        ),
        (f.in_(["a", "b"]), r#"FileName in ("a", "b")"#),
        (f.not_in(["a"]), r#"FileName !in ("a")"#),
        (f.in_ci(["a"]), r#"FileName in~ ("a")"#),
        (f.not_in_ci(["a"]), r#"FileName !in~ ("a")"#),
        (f.has_any(["a", "b"]), r#"FileName has_any ("a", "b")"#),
        (f.has_all(["a", "b"]), r#"FileName has_all ("a", "b")"#),
        (f.is_empty(), "isempty(FileName)"),
        (f.is_not_empty(), "isnotempty(FileName)"),
        (f.to_lower().eq("a"), r#"tolower(FileName) == "a""#),
        (f.len().gt(3), "strlen(FileName) > 3"),
        (f.in_(Vec::<&str>::new()), "false"),
        (f.not_in(Vec::<&str>::new()), "true"),
        (f.eq(f.to_upper()), "FileName == toupper(FileName)"),
    ];
    for (e, want) in cases {
        assert_eq!(expr(&e), want);
    }
}

#[test]
fn literals() {
    let d = DateTimeValue::from_ymd_hms(2024, 1, 2, 3, 4, 5)
        .unwrap()
        .with_subsec_ticks(1_234_567)
        .unwrap();
    assert_eq!(expr(&lit(d)), "datetime(2024-01-02T03:04:05.1234567Z)");
    assert_eq!(expr(&lit(micros(5))), "5microseconds");
    assert_eq!(expr(&lit(-minutes(5))), "-5m");
    assert_eq!(
        expr(&lit(ticks(i64::MIN))),
        "-9223372036854775807ticks - 1tick"
    );
    assert_eq!(
        expr(&lit::<ty::Long>(i64::MIN)),
        "long(-9223372036854775808)"
    );
    assert_eq!(expr(&lit::<ty::Long>(-1)), "-1");
    assert_eq!(expr(&lit::<ty::Int>(7)), "int(7)");
    assert_eq!(expr(&lit(1e300)), "1e300");
    assert_eq!(expr(&lit(0.1)), "0.1");
    assert_eq!(expr(&lit(1.0)), "1.0");
    assert_eq!(expr(&lit(5e-324)), "5e-324");
    assert_eq!(expr(&lit(-0.0)), "-0.0");
    assert_eq!(expr(&lit(f64::NAN)), "real(nan)");
    assert_eq!(expr(&lit(f64::INFINITY)), "real(+inf)");
    assert_eq!(expr(&lit(f64::NEG_INFINITY)), "real(-inf)");
    assert_eq!(expr(&lit(true)), "true");
    assert_eq!(
        expr(&lit(GuidValue::parse(
            "6F0A4C8E-1E9A-4F6C-9D8A-2F3B4C5D6E7F"
        )
        .unwrap())),
        "guid(6f0a4c8e-1e9a-4f6c-9d8a-2f3b4c5d6e7f)"
    );
    assert_eq!(
        expr(&lit(serde_json::json!({"a": [1, 2.5, "x\"y", null, true]}))),
        r#"dynamic({"a":[1,2.5,"x\"y",null,true]})"#
    );
    assert_eq!(expr(&lit::<ty::Long>(None::<i64>)), "long(null)");
    assert_eq!(
        expr(&lit::<ty::DateTime>(None::<DateTimeValue>)),
        "datetime(null)"
    );
    assert_eq!(expr(&lit("it's \"q\"\n\\")), r#""it's \"q\"\n\\""#);
}

#[test]
fn functions_and_dynamic() {
    let t: Column<ty::DateTime> = Column::new("Timestamp");
    let fields: Column<ty::Dynamic> = Column::new("AdditionalFields");
    assert_eq!(expr(&bin(&t, hours(1))), "bin(Timestamp, 1h)");
    assert_eq!(expr(&bin(l("Size"), 1024)), "bin(Size, 1024)");
    assert_eq!(expr(&startofday(now())), "startofday(now())");
    assert_eq!(
        expr(&tostring(fields.get("Command Line")).has("x")),
        r#"tostring(AdditionalFields["Command Line"]) has "x""#
    );
    assert_eq!(
        expr(&tolong(fields.get("a").at(-1))),
        r#"tolong(AdditionalFields["a"][-1])"#
    );
    assert_eq!(
        expr(&fields.array_length().gt(0)),
        "array_length(AdditionalFields) > 0"
    );
    assert_eq!(expr(&iff(b("x"), "yes", "no")), r#"iff(x, "yes", "no")"#);
    assert_eq!(
        expr(&strcat([s("a").expr(), lit("-"), s("b").expr()])),
        r#"strcat(a, "-", b)"#
    );
    assert_eq!(
        expr(&extract(r"(\d+)", 1, s("a"))),
        r#"extract("(\\d+)", 1, a)"#
    );
    assert_eq!(expr(&parse_json(s("a")).get("k")), r#"parse_json(a)["k"]"#);
    assert_eq!(expr(&fields.is_null()), "isnull(AdditionalFields)");
    assert_eq!(
        expr(&todatetime("2024-01-01").lt(ago(days(1)))),
        r#"todatetime("2024-01-01") < ago(1d)"#
    );
}

#[test]
fn quoted_names() {
    let weird: Column<ty::String> = Column::named("where");
    let spaced: Column<ty::Long> = Column::named("Bytes Sent");
    let q = Query::table("T")
        .where_(weird.eq("x"))
        .project((weird.clone(), spaced.as_("project")));
    assert_eq!(
        kql(&q),
        "T\n| where ['where'] == \"x\"\n| project ['where'], ['project'] = ['Bytes Sent']"
    );
}

#[test]
fn every_operator_snapshot() {
    let a = s("AccountName");
    let count_col: Column<ty::Long> = Column::named("Count");
    let user: Column<ty::String> = Column::new("User");
    let port: Column<ty::Long> = Column::new("Port");
    let ops: Vec<(&str, Query)> = vec![
        (
            "where",
            P::query().where_(
                P::FileName
                    .has("mimikatz")
                    .and(P::Timestamp.gt(ago(days(7)))),
            ),
        ),
        (
            "project",
            P::query().project((
                P::Timestamp,
                P::FileName.as_("Name"),
                P::FileSize.set(P::FileSize.clone() / 1024),
            )),
        ),
        (
            "project_away",
            P::query().project_away((P::SHA1, P::MD5, ColumnName::from("SHA256"))),
        ),
        (
            "project_rename",
            P::query().project_rename((
                P::FileName.rename_to("Image"),
                P::DeviceName.rename_to("Host"),
            )),
        ),
        (
            "extend",
            P::query().extend((
                Column::<ty::Long>::named("KB").set(P::FileSize.clone() / 1024),
                P::FileName.to_lower().as_("lower"),
            )),
        ),
        ("summarize", P::query().summarize(count())),
        (
            "summarize_by",
            P::query().summarize_by(
                (
                    count().as_(&count_col),
                    dcount(&P::DeviceId).as_("Devices"),
                    max(&P::Timestamp).as_("Last"),
                ),
                (P::FileName, bin(&P::Timestamp, hours(1)).as_("Hour")),
            ),
        ),
        (
            "summarize_by_only",
            P::query().summarize_by((), (P::DeviceName, P::FileName)),
        ),
        (
            "summarize_aggregates",
            P::query().summarize_by(
                (
                    countif(P::FileName.has("a")).as_("c"),
                    dcountif(&P::DeviceId, P::FileName.has("b")).as_("d"),
                    sum(&P::FileSize).as_("s"),
                    sumif(&P::FileSize, P::FileName.has("c")).as_("si"),
                    avg(&P::FileSize).as_("av"),
                    min(&P::Timestamp).as_("first"),
                    percentile(&P::FileSize, 95.0).as_("p95"),
                    take_any(&P::FolderPath).as_("any"),
                    make_set(&P::FileName).as_("names"),
                    make_set_max(&P::SHA256, 100).as_("hashes"),
                    make_list(&P::ProcessId).as_("pids"),
                    make_list_max(&P::ProcessCommandLine, 10).as_("cmds"),
                ),
                P::DeviceId,
            ),
        ),
        (
            "arg_max_star",
            P::query().summarize_by(arg_max(&P::Timestamp, ()), P::DeviceId),
        ),
        (
            "arg_min_columns",
            P::query().summarize_by(
                arg_min(&P::Timestamp, (P::FileName, P::FolderPath)),
                P::DeviceId,
            ),
        ),
        (
            "order_by",
            P::query().order_by((
                P::Timestamp.desc().nulls_last(),
                P::FileName.asc().nulls_first(),
                P::DeviceName,
            )),
        ),
        ("sort_by", P::query().sort_by(P::Timestamp.asc())),
        ("take", P::query().take(10)),
        ("limit", P::query().limit(10)),
        ("top", P::query().top(5, P::FileSize.desc())),
        (
            "distinct",
            P::query().distinct((P::DeviceName, P::FileName)),
        ),
        ("count", P::query().where_(P::FileName.eq("x")).count()),
        (
            "join_on_same_column",
            P::query().join(
                JoinKind::Inner,
                N::query().where_(N::RemotePort.eq(443)),
                N::DeviceId,
            ),
        ),
        (
            "join_left_right",
            P::query().join(
                JoinKind::LeftOuter,
                F::query(),
                (P::DeviceId, P::SHA256.left().eq(F::SHA256.right())),
            ),
        ),
        ("join_kinds", {
            let mut q = P::query();
            for kind in [
                JoinKind::InnerUnique,
                JoinKind::RightOuter,
                JoinKind::FullOuter,
                JoinKind::LeftAnti,
                JoinKind::RightAnti,
                JoinKind::LeftSemi,
                JoinKind::RightSemi,
            ] {
                q = q.join(kind, I::query(), I::DeviceId);
            }
            q
        }),
        (
            "lookup",
            P::query().lookup(
                LookupKind::LeftOuter,
                I::query().project((I::DeviceId, I::OSPlatform)),
                I::DeviceId,
            ),
        ),
        (
            "lookup_inner",
            P::query().lookup(LookupKind::Inner, I::query(), I::DeviceId),
        ),
        (
            "union_operator",
            P::query().union([F::query(), N::query().where_(N::RemotePort.eq(3389))]),
        ),
        (
            "union_source",
            Query::union_of([P::query(), F::query().take(1)]),
        ),
        (
            "union_with_source",
            Query::union_of_with_source("SourceTable", [P::query(), F::query()]).count(),
        ),
        (
            "mv_expand",
            Query::table("T").mv_expand(Column::<ty::Dynamic>::named("Items")),
        ),
        (
            "mv_expand_to",
            Query::table("T").mv_expand_to::<ty::String>(Column::<ty::Dynamic>::named("Items")),
        ),
        (
            "parse",
            Query::table("T").parse(
                &a,
                ParsePattern::new()
                    .any()
                    .text("user=")
                    .column(&user)
                    .text(" port=")
                    .column(&port)
                    .any(),
            ),
        ),
        (
            "raw_operator",
            P::query().raw_operator("render timechart").unwrap(),
        ),
        (
            "raw_source",
            Query::raw("DeviceEvents | where ActionType == 'x'")
                .unwrap()
                .take(1),
        ),
        (
            "raw_expression",
            P::query().where_(
                Expr::<ty::Bool>::raw("ipv4_is_private(RemoteIP)")
                    .unwrap()
                    .and(P::FileName.has("x")),
            ),
        ),
    ];
    let mut text = String::new();
    for (name, q) in &ops {
        text.push_str(&format!("-- {name}\n{}\n\n", kql(q)));
    }
    insta::assert_snapshot!("every_operator", text);
}

#[test]
fn let_and_materialize() {
    let mut lets = Lets::new();
    let since = lets.scalar("since", ago(days(7)));
    let suspicious = lets.scalar::<ty::String>("tool", "mimikatz.exe");
    let procs = lets.tabular(
        "procs",
        materialize(P::query().where_(P::Timestamp.gt(&since).and(P::FileName.eq_ci(&suspicious)))),
    );
    let q = lets.query(
        procs
            .clone()
            .summarize_by(count().as_("n"), P::DeviceId)
            .join(
                JoinKind::Inner,
                procs.project((P::DeviceId, P::FileName)),
                P::DeviceId,
            ),
    );
    assert_eq!(
        kql(&q),
        "let since = ago(7d);\n\
         let tool = \"mimikatz.exe\";\n\
         let procs = materialize(DeviceProcessEvents | where Timestamp > since and FileName =~ tool);\n\
         procs\n\
         | summarize n = count() by DeviceId\n\
         | join kind=inner (procs | project DeviceId, FileName) on DeviceId"
    );
}

#[test]
fn raw_is_checked_by_the_parser() {
    // These rejections need kql-syntax's real parser (the stub reported no errors).
    assert!(Query::raw("DeviceEvents | where").is_err());
    assert!(Query::table("T").raw_operator("where (").is_err());
    assert!(Expr::<ty::Bool>::raw("a ==").is_err());
    let err = Query::raw("T | where").unwrap_err();
    assert_eq!(err.text, "T | where");
    assert!(!err.messages.is_empty());
    assert!(err.to_string().contains("syntax errors"));
}

#[test]
fn generated_tables_cover_the_schema() {
    assert_eq!(<P as Table>::NAME, "DeviceProcessEvents");
    assert_eq!(<P as Table>::TIME_COLUMN, Some("Timestamp"));
    assert!(<P as Table>::COLUMNS.contains(&("ProcessCommandLine", "string")));
    assert_eq!(P::ProcessId.name(), "ProcessId");
}
