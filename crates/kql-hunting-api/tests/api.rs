//! End-to-end behaviour of the public API over documented and hand-written bodies.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::Duration;

use kql_hunting_api::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

const DEFENDER_EXAMPLE: &str = include_str!("fixtures/defender_run_response.json");
const GRAPH_EXAMPLE: &str = include_str!("fixtures/graph_run_hunting_query_response.json");

fn dt(s: &str) -> UtcDateTime {
    s.parse().unwrap()
}

/// serialize → deserialize gives back an equal value, and serialising again gives equal JSON.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let json = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, value);
    assert_eq!(serde_json::to_value(&back).unwrap(), json);
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
struct ProcessEvent {
    timestamp: UtcDateTime,
    file_name: String,
    initiating_process_file_name: String,
}

#[test]
fn documented_defender_example() {
    let r: QueryResponse = serde_json::from_str(DEFENDER_EXAMPLE).unwrap();
    let stats = r.stats.as_ref().unwrap();
    assert_eq!(stats.execution_time_secs, Some(4.621215));
    assert_eq!(
        stats.execution_time(),
        Some(Duration::from_secs_f64(4.621215))
    );
    let usage = stats.resource_usage.as_ref().unwrap();
    let cache = usage.cache.as_ref().unwrap();
    assert_eq!(
        (cache.memory.hits, cache.memory.misses, cache.memory.total),
        (773461, 4481, 777942)
    );
    assert_eq!(
        (cache.disk.hits, cache.disk.misses, cache.disk.total),
        (994, 197, 1191)
    );
    let cpu = usage.cpu.as_ref().unwrap();
    assert_eq!(cpu.user, Duration::from_nanos(19_046_875_000));
    assert_eq!(cpu.kernel, Duration::from_nanos(15_625_000));
    assert_eq!(cpu.total, Duration::from_nanos(19_062_500_000));
    assert_eq!(usage.memory.as_ref().unwrap().peak_per_node, 236_822_432);
    assert_eq!(stats.dataset_statistics.len(), 1);
    assert_eq!(stats.dataset_statistics[0].table_row_count, 2);
    assert_eq!(stats.dataset_statistics[0].table_size, 102);

    assert_eq!(
        r.schema,
        vec![
            SchemaColumn::new("Timestamp", ColumnType::DateTime),
            SchemaColumn::new("FileName", ColumnType::String),
            SchemaColumn::new("InitiatingProcessFileName", ColumnType::String),
        ]
    );
    assert_eq!(r.results.len(), 2);
    assert!(!r.hit_row_limit());
    assert!(r.extra.is_empty());

    let rows: Vec<ProcessEvent> = r.rows().unwrap();
    assert_eq!(
        rows[0],
        ProcessEvent {
            timestamp: dt("2020-08-30T06:38:35.7664356Z"),
            file_name: "conhost.exe".into(),
            initiating_process_file_name: "powershell.exe".into(),
        }
    );
    assert_eq!(
        rows[1].timestamp.to_string(),
        "2020-08-30T06:38:30.5163363Z"
    );

    // Serialising gives back the documented document, byte-for-byte equal as JSON values.
    let original: Value = serde_json::from_str(DEFENDER_EXAMPLE).unwrap();
    assert_eq!(serde_json::to_value(&r).unwrap(), original);
    round_trip(&r);
}

#[test]
fn documented_graph_example() {
    let r: HuntingQueryResults = serde_json::from_str(GRAPH_EXAMPLE).unwrap();
    assert_eq!(r.schema.len(), 3);
    assert_eq!(r.schema[0].column_type, ColumnType::DateTime);
    assert_eq!(
        r.extra["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults"
    );
    let rows: Vec<ProcessEvent> = r.rows().unwrap();
    assert_eq!(rows[0].file_name, "cmd.exe");
    let original: Value = serde_json::from_str(GRAPH_EXAMPLE).unwrap();
    assert_eq!(serde_json::to_value(&r).unwrap(), original);
    round_trip(&r);

    // Either API's casing is accepted by either type (Graph's docs show PascalCase too).
    let as_defender: QueryResponse = serde_json::from_str(GRAPH_EXAMPLE).unwrap();
    assert_eq!(as_defender.stats, None);
    assert_eq!(HuntingQueryResults::from(as_defender), r);
    let as_graph: HuntingQueryResults = serde_json::from_str(DEFENDER_EXAMPLE).unwrap();
    assert_eq!(as_graph.schema.len(), 3);
    // Stats is not a Graph field; it is kept, not dropped.
    assert!(as_graph.extra.contains_key("Stats"));
    let mixed: QueryResponse =
        serde_json::from_str(r#"{"SCHEMA": [{"nAmE": "a", "TYPE": "Int64"}], "results": []}"#)
            .unwrap();
    assert_eq!(
        mixed.schema,
        vec![SchemaColumn::new("a", ColumnType::Int64)]
    );
}

#[test]
fn response_shape_errors_are_reported() {
    let e = serde_json::from_str::<QueryResponse>(r#"{"Schema": []}"#).unwrap_err();
    assert!(e.to_string().contains("missing field `Results`"), "{e}");
    let e = serde_json::from_str::<QueryResponse>(r#"{"Results": [1]}"#).unwrap_err();
    assert!(e.to_string().contains("Results"), "{e}");
    let e = serde_json::from_str::<QueryResponse>(r#"{"Results": [], "Schema": [{"Name": "a"}]}"#)
        .unwrap_err();
    assert!(e.to_string().contains("Type"), "{e}");
    let e = serde_json::from_str::<QueryResponse>(
        r#"{"Results": [], "Stats": {"resource_usage": {"cpu": {"user": "soon"}}}}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains(".NET timespan"), "{e}");
    assert!(serde_json::from_str::<QueryResponse>("[]").is_err());
}

#[test]
fn column_types_round_trip_exactly() {
    let names = [
        "DateTime", "String", "Int64", "Int32", "Boolean", "Double", "Guid", "Object", "Dynamic",
        "TimeSpan", "SByte", "Decimal", "long", "datetime", "",
    ];
    for name in names {
        let t = ColumnType::from(name);
        assert_eq!(t.as_str(), name);
        assert_eq!(t.to_string(), name);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<ColumnType>(&json).unwrap(), t);
    }
    assert_eq!(ColumnType::from("Int64"), ColumnType::Int64);
    assert_eq!(
        ColumnType::from("int64"),
        ColumnType::Other("int64".to_string())
    );
    round_trip(&SchemaColumn::new("x", ColumnType::Other("Decimal".into())));
}

fn table(schema: &[(&str, &str)], rows: Value) -> QueryResponse {
    let schema: Vec<Value> = schema
        .iter()
        .map(|(n, t)| json!({"Name": n, "Type": t}))
        .collect();
    serde_json::from_value(json!({"Schema": schema, "Results": rows})).unwrap()
}

#[derive(Debug, Deserialize, PartialEq)]
struct Typed {
    #[serde(rename = "Timestamp")]
    timestamp: UtcDateTime,
    #[serde(rename = "TimestampText")]
    timestamp_text: String,
    #[serde(rename = "Count")]
    count: i64,
    #[serde(rename = "Small")]
    small: i32,
    #[serde(rename = "Ratio")]
    ratio: f64,
    #[serde(rename = "Flag")]
    flag: bool,
    #[serde(rename = "Other")]
    other: Option<bool>,
    #[serde(rename = "AdditionalFields")]
    additional_fields: Value,
    #[serde(rename = "Elapsed", with = "serde_dotnet_timespan")]
    elapsed: Duration,
    #[serde(rename = "Id")]
    id: String,
}

const TYPED_SCHEMA: &[(&str, &str)] = &[
    ("Timestamp", "DateTime"),
    ("TimestampText", "DateTime"),
    ("Count", "Int64"),
    ("Small", "Int32"),
    ("Ratio", "Double"),
    ("Flag", "Boolean"),
    ("Other", "Boolean"),
    ("AdditionalFields", "Dynamic"),
    ("Elapsed", "TimeSpan"),
    ("Id", "Guid"),
];

#[test]
fn row_decoding_normalises_service_encodings() {
    let r = table(
        TYPED_SCHEMA,
        json!([
            {
                "Timestamp": "2024-05-01T10:11:12.1234567Z",
                "TimestampText": "2024-05-01T10:11:12.1234560Z",
                "Count": "9007199254740993",
                "Small": 7,
                "Ratio": "0.25",
                "Flag": 1,
                "Other": "True",
                "AdditionalFields": "{\"Command\":\"whoami\",\"Depth\":2}",
                "Elapsed": "1.02:03:04.5",
                "Id": "9b1d8f0e-0000-4000-8000-000000000000"
            },
            {
                "Timestamp": "2024-05-01T10:11:12Z",
                "TimestampText": "x",
                "Count": 5,
                "Small": "-3",
                "Ratio": 1.5,
                "Flag": "False",
                "Other": null,
                "AdditionalFields": {"already": "json"},
                "Elapsed": "00:00:00.3750024",
                "Id": ""
            },
            {
                "Timestamp": "2024-05-01T10:11:12Z",
                "TimestampText": "",
                "Count": 5.0,
                "Small": 0,
                "Ratio": "1e3",
                "Flag": "0",
                "AdditionalFields": "not json",
                "Elapsed": "00:00:00",
                "Id": ""
            }
        ]),
    );
    let rows: Vec<Typed> = r.rows().unwrap();
    assert_eq!(rows[0].timestamp, dt("2024-05-01T10:11:12.1234567Z"));
    // DateTime text stays untouched when decoded into a String.
    assert_eq!(rows[0].timestamp_text, "2024-05-01T10:11:12.1234560Z");
    // Above 2^53: exact, because the string goes straight to i64.
    assert_eq!(rows[0].count, 9_007_199_254_740_993);
    assert_eq!(rows[0].ratio, 0.25);
    assert!(rows[0].flag);
    assert_eq!(rows[0].other, Some(true));
    assert_eq!(
        rows[0].additional_fields,
        json!({"Command": "whoami", "Depth": 2})
    );
    assert_eq!(rows[0].elapsed, Duration::from_millis(93_784_500));
    assert_eq!((rows[1].count, rows[1].small), (5, -3));
    assert!(!rows[1].flag);
    assert_eq!(rows[1].other, None);
    assert_eq!(rows[1].additional_fields, json!({"already": "json"}));
    assert_eq!(rows[2].count, 5);
    assert_eq!(rows[2].ratio, 1000.0);
    assert!(!rows[2].flag);
    assert_eq!(rows[2].other, None); // column absent from the row
    assert_eq!(rows[2].additional_fields, json!("not json"));
}

#[test]
fn rows_as_tuples_maps_and_values() {
    let r = table(
        &[("B", "Int64"), ("A", "String")],
        json!([{"A": "x", "B": "1"}, {"A": "y", "B": 2}]),
    );
    // Tuples follow the schema order, not the alphabetical order of the JSON object.
    let tuples: Vec<(i64, String)> = r.rows().unwrap();
    assert_eq!(tuples, vec![(1, "x".into()), (2, "y".into())]);
    let maps: Vec<BTreeMap<String, Value>> = r.rows().unwrap();
    assert_eq!(maps[0]["B"], json!(1));
    let values: Vec<Value> = r.rows().unwrap();
    assert_eq!(values[1], json!({"A": "y", "B": 2}));
    let vecs: Vec<Vec<Value>> = r.rows().unwrap();
    assert_eq!(vecs[0], vec![json!(1), json!("x")]);
}

#[test]
fn decode_errors_name_row_column_and_type() {
    let r = table(
        &[("Count", "Int64"), ("Name", "String")],
        json!([{"Count": "1", "Name": "a"}, {"Count": "twelve", "Name": "b"}]),
    );
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        #[serde(rename = "Count")]
        count: i64,
        #[serde(rename = "Name")]
        name: String,
    }
    let e = r.rows::<Row>().unwrap_err();
    assert_eq!(e.row, 1);
    assert_eq!(e.column.as_deref(), Some("Count"));
    assert_eq!(e.expected, Some(ColumnType::Int64));
    assert_eq!(
        e.to_string(),
        "row 1, column `Count` (Int64): cannot read \"twelve\" as Int64"
    );

    // A type mismatch found by serde is attributed to its column too.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Wrong {
        #[serde(rename = "Name")]
        name: u8,
    }
    let e = r.rows::<Wrong>().unwrap_err();
    assert_eq!((e.row, e.column.as_deref()), (0, Some("Name")));
    assert_eq!(e.expected, Some(ColumnType::String));
    assert!(e.message.contains("invalid type"), "{e}");

    // A datetime that is not one, decoded into UtcDateTime.
    let r = table(&[("T", "DateTime")], json!([{"T": "yesterday"}]));
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct T {
        #[serde(rename = "T")]
        t: UtcDateTime,
    }
    let e = r.rows::<T>().unwrap_err();
    assert_eq!(e.column.as_deref(), Some("T"));
    assert!(e.to_string().contains("invalid datetime"), "{e}");

    // Missing columns name no single value.
    let e = r.rows::<Row>().unwrap_err();
    assert_eq!(e.column, None);
    assert!(e.message.contains("missing field `Count`"), "{e}");

    for (ty, bad) in [
        ("Boolean", json!(2)),
        ("Boolean", json!("yes")),
        ("Int32", json!(1.5)),
        ("Int64", json!(true)),
        ("Double", json!("fast")),
        ("Int64", json!([1])),
    ] {
        let r = table(&[("C", ty)], json!([{ "C": bad }]));
        let e = r.rows::<Value>().unwrap_err();
        assert_eq!(e.column.as_deref(), Some("C"), "{ty} {bad}");
    }
}

#[test]
fn stats_round_trip_and_extras_are_kept() {
    let body = json!({
        "ExecutionTime": 0.1,
        "resource_usage": {
            "cache": {"memory": {"hits": 1, "misses": 2, "total": 3}, "disk": {"hits": 0, "misses": 0, "total": 0}},
            "cpu": {"user": "1.02:03:04.5000000", "kernel": "00:00:00", "total cpu": "00:00:00.3750024"},
            "memory": {"peak_per_node": 5},
            "network": {"cross_cluster_total_bytes": 0}
        },
        "dataset_statistics": [{"table_row_count": 1, "table_size": 2}],
        "input_dataset_statistics": {"extents": {"total": 1}}
    });
    let stats: Stats = serde_json::from_value(body.clone()).unwrap();
    assert!(stats.extra.contains_key("input_dataset_statistics"));
    assert!(stats
        .resource_usage
        .as_ref()
        .unwrap()
        .extra
        .contains_key("network"));
    assert_eq!(serde_json::to_value(&stats).unwrap(), body);
    round_trip(&stats);
    round_trip(&Stats::default());
    round_trip(&CpuUsage {
        user: Duration::from_millis(1),
        kernel: Duration::ZERO,
        total: Duration::from_secs(90_000),
    });
    round_trip(&CacheCounters {
        hits: 1,
        misses: 2,
        total: 3,
    });
}

#[test]
fn requests_serialise_as_documented() {
    let d = RunQueryRequest::new("DeviceInfo | take 1");
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        json!({"Query": "DeviceInfo | take 1"})
    );
    round_trip(&d);
    let g = RunHuntingQueryRequest::new("DeviceInfo");
    assert_eq!(
        serde_json::to_value(&g).unwrap(),
        json!({"Query": "DeviceInfo"})
    );
    round_trip(&g);
    let g = g.with_timespan("P90D".parse().unwrap());
    assert_eq!(
        serde_json::to_value(&g).unwrap(),
        json!({"Query": "DeviceInfo", "Timespan": "P90D"})
    );
    round_trip(&g);
    let bad = serde_json::from_value::<RunHuntingQueryRequest>(
        json!({"Query": "x", "Timespan": "90 days"}),
    )
    .unwrap_err();
    assert!(bad.to_string().contains("invalid timespan"), "{bad}");
    assert_eq!(
        RunHuntingQueryRequest::from(RunQueryRequest::new("q")).query,
        "q"
    );
    assert!(DEFENDER_RUN_URL.ends_with("/api/advancedhunting/run"));
    assert!(GRAPH_RUN_HUNTING_QUERY_URL.ends_with("/v1.0/security/runHuntingQuery"));
}

#[test]
fn timespan_and_datetime_round_trip() {
    for t in [
        "P30D",
        "PT12H",
        "P1DT2H30M",
        "2024-01-01T00:00:00Z/2024-01-08T00:00:00Z",
        "P7D/2024-01-08T00:00:00Z",
        "2024-01-01T00:00:00Z/P7D",
        "2024-01-01T00:00:00Z",
    ] {
        round_trip(&t.parse::<Timespan>().unwrap());
    }
    round_trip(&"P1Y2M3W4DT5H6M7.5S".parse::<IsoDuration>().unwrap());
    round_trip(&dt("2020-08-30T06:38:35.7664356Z"));
    round_trip(&UtcDateTime::MIN);
    round_trip(&UtcDateTime::MAX);
}

#[test]
fn defender_error_body() {
    let body = r#"{"error": {"code": "InvalidRequestBody", "message": "Request body is incorrect", "target": "43f4cb08-8fac-4b65-9db1-745c2ae65f3a"}}"#;
    let e = ErrorResponse::from_json(body).unwrap();
    assert_eq!(e.error.code, "InvalidRequestBody");
    assert_eq!(e.error.message, "Request body is incorrect");
    assert_eq!(
        e.error.target.as_deref(),
        Some("43f4cb08-8fac-4b65-9db1-745c2ae65f3a")
    );
    assert_eq!(e.error.inner_error, None);
    assert_eq!(
        e.to_string(),
        "InvalidRequestBody: Request body is incorrect"
    );
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        serde_json::from_str::<Value>(body).unwrap()
    );
    round_trip(&e);
}

#[test]
fn graph_error_body() {
    let body = json!({"error": {
        "code": "BadRequest",
        "message": "Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again.",
        "innerError": {"date": "2024-03-26T09:39:50", "request-id": "r-1", "client-request-id": "c-1"},
        "details": []
    }});
    let e: ErrorResponse = serde_json::from_value(body.clone()).unwrap();
    let inner = e.error.inner_error.as_ref().unwrap();
    assert_eq!(inner.date.as_deref(), Some("2024-03-26T09:39:50"));
    assert_eq!(inner.request_id.as_deref(), Some("r-1"));
    assert_eq!(inner.client_request_id.as_deref(), Some("c-1"));
    assert_eq!(e.error.extra["details"], json!([]));
    assert_eq!(serde_json::to_value(&e).unwrap(), body);
    round_trip(&e);

    // `innererror` (lower case) and a numeric code are read too.
    let e = ErrorResponse::from_json(
        r#"{"error": {"code": 429, "message": "m", "innererror": {"request-id": "x"}}}"#,
    )
    .unwrap();
    assert_eq!(e.error.code, "429");
    assert_eq!(
        e.error.inner_error.unwrap().request_id.as_deref(),
        Some("x")
    );
    assert!(ErrorResponse::from_json("{}").is_err());
    assert!(ErrorResponse::from_json("not json").is_err());
}

#[test]
fn quota_429_calls_per_minute_and_hour() {
    let now = dt("2024-01-01T00:00:00Z");
    let body = r#"{"error": {"code": "429", "message": "API calls quota exceeded! maximum allowed 45 per 00:01:00", "target": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"}}"#;
    let q = QuotaExceeded::from_response(body, None);
    assert_eq!(q.resource, QuotaResource::Calls);
    assert_eq!(q.allowed, Some(Allowance::Calls(45)));
    assert_eq!(q.window, Some(Duration::from_secs(60)));
    assert_eq!(q.kind(), QuotaKind::CallsPerMinute);
    assert_eq!(q.code.as_deref(), Some("429"));
    // No Retry-After: the window bounds the wait.
    assert_eq!(q.retry_at(now), Some(dt("2024-01-01T00:01:00Z")));
    assert_eq!(
        q.to_string(),
        "API call quota exceeded (45 calls per 00:01:00): API calls quota exceeded! maximum allowed 45 per 00:01:00"
    );

    let body = r#"{"error": {"code": "429", "message": "API calls quota exceeded! maximum allowed 1500 per 01:00:00"}}"#;
    let q = QuotaExceeded::from_response(body, Some("Mon, 01 Jan 2024 00:20:00 GMT"));
    assert_eq!(q.kind(), QuotaKind::CallsPerHour);
    assert_eq!(q.allowed, Some(Allowance::Calls(1500)));
    assert_eq!(
        q.retry_after,
        Some(RetryAfter::At(dt("2024-01-01T00:20:00Z")))
    );
    assert_eq!(q.retry_at(now), Some(dt("2024-01-01T00:20:00Z")));
}

#[test]
fn quota_429_cpu_and_unknown_shapes() {
    let now = dt("2024-01-01T00:00:00Z");
    // CPU shapes are undocumented; these follow the calls message's pattern.
    let q =
        QuotaExceeded::from_message("CPU quota exceeded! maximum allowed 00:10:00 per 01:00:00");
    assert_eq!(q.resource, QuotaResource::Cpu);
    assert_eq!(q.allowed, Some(Allowance::Time(Duration::from_secs(600))));
    assert_eq!(q.kind(), QuotaKind::CpuPerHour);
    let q = QuotaExceeded::from_message(
        "Exceeded allowed running time: maximum allowed 03:00:00 per 1.00:00:00.",
    );
    assert_eq!(q.kind(), QuotaKind::CpuPerDay);
    let q = QuotaExceeded::from_message("Quota exceeded, maximum allowed 00:10:00 per hour");
    assert_eq!(
        (q.resource, q.kind()),
        (QuotaResource::Cpu, QuotaKind::CpuPerHour)
    );

    // Graph's generic throttling body: nothing to parse but the header.
    let body = r#"{"error":{"code":"TooManyRequests","message":"Too many requests.","innerError":{"date":"2022-07-14T06:22:45","request-id":"a","client-request-id":"b"}}}"#;
    let q = QuotaExceeded::from_response(body, Some("30"));
    assert_eq!(q.resource, QuotaResource::Calls);
    assert_eq!(q.kind(), QuotaKind::Other);
    assert_eq!(q.window, None);
    assert_eq!(q.code.as_deref(), Some("TooManyRequests"));
    assert_eq!(
        q.retry_after,
        Some(RetryAfter::Delay(Duration::from_secs(30)))
    );
    assert_eq!(q.retry_at(now), Some(dt("2024-01-01T00:00:30Z")));

    // Not JSON, bad header: nothing panics, raw text kept.
    let q = QuotaExceeded::from_response("<html>slow down</html>", Some("soon"));
    assert_eq!(q.resource, QuotaResource::Unknown);
    assert_eq!(q.retry_after, None);
    assert_eq!(q.retry_at(now), None);
    assert_eq!(q.message, "<html>slow down</html>");
    let q = QuotaExceeded::from_response("", None);
    assert_eq!(
        (q.resource, q.allowed, q.window),
        (QuotaResource::Unknown, None, None)
    );
}

#[test]
fn retry_after_header_values() {
    assert_eq!(
        "120".parse::<RetryAfter>().unwrap(),
        RetryAfter::Delay(Duration::from_secs(120))
    );
    assert_eq!(
        " 0 ".parse::<RetryAfter>().unwrap(),
        RetryAfter::Delay(Duration::ZERO)
    );
    assert_eq!(
        "Sun, 06 Nov 1994 08:49:37 GMT"
            .parse::<RetryAfter>()
            .unwrap(),
        RetryAfter::At(dt("1994-11-06T08:49:37Z"))
    );
    for bad in [
        "",
        "-1",
        "1.5",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49 GMT",
        "99999999999999999999999",
    ] {
        let e = bad.parse::<RetryAfter>().unwrap_err();
        assert!(
            e.to_string().starts_with("invalid Retry-After"),
            "{bad:?}: {e}"
        );
    }
}

#[test]
fn limits_are_consistent() {
    use kql_hunting_api::limits::*;
    assert_eq!(RETENTION, Duration::from_secs(30 * 24 * 3600));
    assert_eq!(MAX_ROWS, 100_000);
    assert_eq!(MAX_RESULT_BYTES, 130_023_424);
    assert!(DEFENDER_RUN_TIME_PER_HOUR < DEFENDER_RUN_TIME_PER_DAY);
    assert!(u64::from(DEFENDER_CALLS_PER_MINUTE) * 60 >= u64::from(DEFENDER_CALLS_PER_HOUR));
    assert_eq!(GRAPH_DEFAULT_TIMESPAN_DAYS, RETENTION_DAYS);
    assert!(GRAPH_REQUEST_TIMEOUT <= DEFENDER_REQUEST_TIMEOUT);
    assert_eq!(LEGACY_CALLS_PER_MINUTE, 10);

    let rows: Vec<Value> = (0..MAX_ROWS).map(|_| json!({})).collect();
    let r: QueryResponse = serde_json::from_value(json!({"Results": rows})).unwrap();
    assert!(r.hit_row_limit());
}

#[test]
fn parsers_never_panic_on_garbage() {
    let seeds = [
        "",
        "P",
        "T",
        "/",
        "//",
        "é",
        "Pé",
        "PTé",
        "P1é",
        "2024-01-01Té",
        "2024-01-01T00:00:00é",
        "P1D/é",
        "é/P1D",
        "00:00:00.é",
        "é.00:00:00",
        "1.",
        ".1",
        "::",
        "P.5D",
        "P1,D",
        "2024-01-01T00:00:00.1234567+23:59",
        "9999-12-31T23:59:59.9999999-23:59",
        "0001-01-01T00:00:00+00:01",
        "Sun, 06 Nov 1994 08:49:37 GMT extra",
        "ÿ, 06 Nov 1994",
        "P18446744073709551615D",
        "P18446744073709551616D",
        "PT18446744073709551615S",
        "P9223372036854775807Y",
        "P1Y/9999-12-31T00:00:00Z",
        "0001-01-01T00:00:00Z/P1Y",
    ];
    for s in seeds {
        for cut in 0..=s.len() {
            let Some(t) = s.get(..cut) else { continue };
            let _ = t.parse::<UtcDateTime>();
            let _ = t
                .parse::<IsoDuration>()
                .map(|d| (d.to_std(), d.to_string()));
            if let Ok(ts) = t.parse::<Timespan>() {
                let _ = (
                    ts.duration(),
                    ts.window(UtcDateTime::MAX),
                    ts.window(UtcDateTime::MIN),
                );
                assert_eq!(ts.to_string().parse::<Timespan>().unwrap(), ts, "{t}");
            }
            let _ = parse_dotnet_timespan(t);
            let _ = t.parse::<RetryAfter>();
            let _ = QuotaExceeded::from_message(t);
        }
    }
}

#[test]
fn datetime_display_parse_round_trip_over_many_instants() {
    // A deterministic spread of instants across the whole range, tick precise.
    let span = (UtcDateTime::MAX.unix_ticks() - UtcDateTime::MIN.unix_ticks()) as u64;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let t = UtcDateTime::from_unix_ticks(UtcDateTime::MIN.unix_ticks() + (x % span) as i64)
            .unwrap();
        let text = t.to_string();
        assert_eq!(text.parse::<UtcDateTime>().unwrap(), t, "{text}");
        assert_eq!(UtcDateTime::from_parts(t.date(), t.time()), Some(t));
    }
}

#[test]
fn non_finite_doubles_and_guids_decode() {
    use kql_hunting_api::{decode_rows, decode_value, ColumnType, Guid, Row, SchemaColumn};
    let schema = vec![
        SchemaColumn::new("Score", ColumnType::Double),
        SchemaColumn::new("Id", ColumnType::Guid),
    ];
    let rows: Vec<Row> = serde_json::from_str(
        r#"[{"Score": "NaN", "Id": "6a8c7b1e-0000-4c3b-9f00-0123456789ab"},
            {"Score": "Infinity", "Id": "{6A8C7B1E-0000-4C3B-9F00-0123456789AB}"},
            {"Score": "-Infinity", "Id": "00000000-0000-0000-0000-000000000000"},
            {"Score": 1.5, "Id": "00000000-0000-0000-0000-000000000001"},
            {"Score": null, "Id": "00000000-0000-0000-0000-000000000001"}]"#,
    )
    .unwrap();
    let decoded: Vec<(Option<f64>, Guid)> = decode_rows(&schema, &rows).unwrap();
    assert!(decoded[0].0.unwrap().is_nan());
    assert_eq!(decoded[1].0, Some(f64::INFINITY));
    assert_eq!(decoded[2].0, Some(f64::NEG_INFINITY));
    assert_eq!(decoded[3].0, Some(1.5));
    assert_eq!(decoded[4].0, None);
    assert_eq!(decoded[0].1, decoded[1].1);
    assert_eq!(
        decoded[0].1.as_u128(),
        0x6a8c7b1e_0000_4c3b_9f00_0123456789ab
    );
    // The text stays available as a string.
    let text: Vec<(String, String)> = decode_rows(&schema, &rows[..1]).unwrap();
    assert_eq!(text[0].0, "NaN");
    // A bad GUID names its row and column.
    let bad: Vec<Row> = serde_json::from_str(r#"[{"Score": 1, "Id": "nope"}]"#).unwrap();
    let err = decode_rows::<(f64, Guid)>(&schema, &bad).unwrap_err();
    assert_eq!(err.column.as_deref(), Some("Id"));
    // One cell at a time.
    let n: i64 = decode_value(&serde_json::json!("12"), &ColumnType::Int64).unwrap();
    assert_eq!(n, 12);
    let f: f64 = decode_value(&serde_json::json!("-Infinity"), &ColumnType::Double).unwrap();
    assert_eq!(f, f64::NEG_INFINITY);
}

#[test]
fn guid_text_must_be_hex_digits_in_every_place() {
    use kql_hunting_api::Guid;
    for text in [
        "+aaaaaaa-0000-4c3b-9f00-0123456789ab",
        "6a8c7b1e-+000-4c3b-9f00-0123456789ab",
        "6a8c7b1e-0000-4c3b-9f00-0123456789ag",
        "6a8c7b1e00004c3b9f000123456789ab",
    ] {
        assert!(text.parse::<Guid>().is_err(), "{text} was accepted");
    }
    assert!("6A8C7B1E-0000-4C3B-9F00-0123456789AB"
        .parse::<Guid>()
        .is_ok());
}
