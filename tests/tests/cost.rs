//! `kql lint --max-cost N` over `tests/fixtures/cost`: a full scan with an unbounded sort, a
//! scoped query that costs nothing, and a file whose full read is suppressed. The cost score is
//! the summed rule weights of the findings a file reports; `tables_details.csv` (our own
//! `.show tables details` export) makes full reads of big tables cost more.

use std::path::Path;
use std::process::Output;

use kqlkit_tests::{
    assert_contains, assert_lacks, fixtures, kql_in, lint_in, scratch, stderr, stdout,
};
use serde_json::Value;

/// `kql lint --now NOW` with `args` and then `paths`, from `dir`.
fn lint_at(dir: &Path, args: &[&str], paths: &[&str]) -> Output {
    lint_in(dir, &[args, paths].concat())
}

/// Lints the fixture's `queries` folder with `extra`.
fn lint(extra: &[&str]) -> Output {
    lint_at(&fixtures().join("cost"), extra, &["queries"])
}

/// Concise output whose exit status only the cost limit decides (`--fail-on never`).
fn cost_only(dir: &Path, extra: &[&str], paths: &[&str]) -> Output {
    let args = [&["--format", "concise", "--fail-on", "never"], extra].concat();
    lint_at(dir, &args, paths)
}

fn json(extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = lint(&args);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON output");
    v.as_array().expect("an array of diagnostics").clone()
}

/// The `file_cost.score` of `file` in JSON output, checked to be the sum of its findings'
/// `cost` and the same object on each of them.
fn score_of(diagnostics: &[Value], file: &str) -> u64 {
    let of_file: Vec<&Value> = diagnostics.iter().filter(|d| d["file"] == file).collect();
    assert!(!of_file.is_empty(), "no finding in {file}");
    let sum: u64 = of_file
        .iter()
        .map(|d| d["cost"].as_u64().expect("cost"))
        .sum();
    for d in &of_file {
        assert_eq!(d["file_cost"], of_file[0]["file_cost"], "{d}");
    }
    let score = of_file[0]["file_cost"]["score"].as_u64().expect("score");
    assert_eq!(
        score, sum,
        "{file}: the score is the sum of its findings' costs"
    );
    score
}

#[test]
fn a_file_over_the_limit_fails_with_its_score_even_when_findings_would_not() {
    let cost = fixtures().join("cost");
    let out = cost_only(&cost, &["--max-cost", "8"], &["queries"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));

    let out = cost_only(&cost, &["--max-cost", "11"], &["queries"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).ends_with(
        "Cost: every file within --max-cost 11 (highest 11 in queries/full_scan.kql).\n"
    ));

    let out = lint(&["--format", "concise", "--exit-zero", "--max-cost", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Cost: 2 files over --max-cost 0"));
}

#[test]
fn quiet_keeps_the_lines_of_failing_files_and_drops_the_summary() {
    let out = lint(&["--format", "concise", "--quiet", "--max-cost", "8"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_contains(&text, "queries/full_scan.kql: cost 11 exceeds --max-cost 8");
    assert_lacks(&text, "Cost:");
}

#[test]
fn ignored_and_suppressed_findings_do_not_count() {
    let all = json(&["--max-cost", "100"]);
    assert_eq!(score_of(&all, "queries/full_scan.kql"), 11);
    // Only `contains` is left in suppressed.kql: its full read is suppressed inline.
    assert_eq!(score_of(&all, "queries/suppressed.kql"), 1);
    assert!(all.iter().all(|d| d["file"] != "queries/scoped.kql"));

    let ignored = json(&["--max-cost", "100", "--ignore", "missing-time-filter"]);
    assert_eq!(score_of(&ignored, "queries/full_scan.kql"), 6);
    let out = cost_only(
        &fixtures().join("cost"),
        &["--max-cost", "8", "--ignore", "missing-time-filter"],
        &["queries"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let selected = json(&["--max-cost", "100", "--select", "unbounded-sort"]);
    assert_eq!(score_of(&selected, "queries/full_scan.kql"), 3);
}

#[test]
fn json_and_json_lines_carry_the_score_and_name_failing_files_on_stderr() {
    let out = lint(&["--format", "json", "--max-cost", "8"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "kql: error: queries/full_scan.kql: cost 11 exceeds --max-cost 8 \
         (missing-time-filter 5, unbounded-result 3, unbounded-sort 3)\n"
    );
    insta::assert_snapshot!(stdout(&out));

    let out = lint(&["--format", "jsonl", "--max-cost", "8"]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    assert_eq!(score_of(&lines, "queries/full_scan.kql"), 11);
    assert_eq!(lines[0]["file_cost"]["max"], 8);
    assert_eq!(lines[0]["file_cost"]["exceeded"], true);
}

#[test]
fn github_annotates_each_file_over_the_limit() {
    let out = lint(&["--format", "github", "--max-cost", "8"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.ends_with(
            "::error file=queries/full_scan.kql,title=kql cost::queries/full_scan.kql: cost 11 \
             exceeds --max-cost 8 (missing-time-filter 5, unbounded-result 3, unbounded-sort 3)\n"
        ),
        "{text}"
    );
    assert_eq!(text.matches("title=kql cost").count(), 1, "{text}");
}

#[test]
fn without_max_cost_the_output_is_as_before() {
    for d in json(&[]) {
        assert!(
            d.get("cost").is_none() && d.get("file_cost").is_none(),
            "{d}"
        );
    }
    let out = lint(&["--format", "concise"]);
    assert!(!stdout(&out).contains("Cost"));
    let out = lint(&["--format", "sarif"]);
    let log: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    assert!(log["runs"][0].get("artifacts").is_none());
    assert!(log["runs"][0].get("properties").is_none());
}

#[test]
fn sarif_carries_the_score_per_artifact_and_stays_valid() {
    let out = lint(&["--format", "sarif", "--max-cost", "8"]);
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
    let text = std::fs::read_to_string(fixtures().join("sarif/sarif-schema-2.1.0.json"))
        .expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");

    let run = &log["runs"][0];
    assert_eq!(run["properties"]["maxCost"], 8);
    assert_eq!(run["properties"]["filesOverMaxCost"], 1);
    let artifacts = run["artifacts"].as_array().expect("artifacts");
    let props = |uri: &str| {
        artifacts
            .iter()
            .find(|a| a["location"]["uri"] == uri)
            .map(|a| a["properties"].clone())
            .unwrap_or_else(|| panic!("no artifact {uri}"))
    };
    assert_eq!(props("queries/full_scan.kql")["costScore"], 11);
    assert_eq!(props("queries/full_scan.kql")["costExceeded"], true);
    assert_eq!(props("queries/suppressed.kql")["costScore"], 1);
    // A file without findings is an artifact too, scoring 0.
    assert_eq!(props("queries/scoped.kql")["costScore"], 0);
    let costs: u64 = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "queries/full_scan.kql"
        })
        .map(|r| r["properties"]["cost"].as_u64().expect("cost"))
        .sum();
    assert_eq!(costs, 11);
}

#[test]
fn table_sizes_from_show_tables_details_scale_full_reads() {
    // DeviceProcessEvents has 2.5 billion rows: floor(log10) - 5 = 4 times the weight of the
    // full read (missing-time-filter 5) and of the unbounded result (3); the sort is not a
    // read of the table and keeps its 3. EmailEvents (850,000 rows) is not scaled.
    let sizes = ["--schema", "tables_details.csv", "--max-cost", "30"];
    let out = lint(&[&["--format", "concise"][..], &sizes].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(
        &stdout(&out),
        "queries/full_scan.kql: cost 35 exceeds --max-cost 30 \
         (missing-time-filter 20, unbounded-result 12, unbounded-sort 3)",
    );
    let sized = json(&sizes);
    assert_eq!(score_of(&sized, "queries/full_scan.kql"), 35);
    assert_eq!(score_of(&sized, "queries/suppressed.kql"), 1);
}

/// README's weight table lists every rule, in code order, with the weight its header declares
/// (`kql rule --all --output-format json`), and `×size` exactly on the rules scaled by table size.
#[test]
fn readme_weight_table_matches_the_rules() {
    let readme = std::fs::read_to_string(kqlkit_tests::workspace_root().join("README.md"))
        .expect("README.md");
    let section = readme
        .split("#### Cost score (`--max-cost`)")
        .nth(1)
        .and_then(|s| s.split("\n#### ").next())
        .expect("a Cost score section");
    let rows: Vec<(String, String, String)> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('`').to_string(),
                cells[2].to_string(),
                cells[3].to_string(),
            )
        })
        .collect();
    let out = kqlkit_tests::kql(&["rule", "--all", "--output-format", "json"]);
    let all: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let rules: Vec<&Value> = all
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e.get("weight").is_some())
        .collect();
    let listed: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let names: Vec<&str> = rules.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        listed, names,
        "README's weight table lists every rule in code order"
    );
    for ((name, code, weight), rule) in rows.iter().zip(&rules) {
        assert_eq!(code, rule["code"].as_str().unwrap(), "{name}");
        let scaled = kql_lint::cost::SCALED.contains(&name.as_str());
        let expected = format!("{}{}", rule["weight"], if scaled { " ×size" } else { "" });
        assert_eq!(weight, &expected, "README weight of {name}");
    }
}

/// The fixture's full scan (score 11 without the fixture's table sizes).
const FULL_SCAN: &[u8] =
    b"DeviceProcessEvents\n| where FileName =~ \"rundll32.exe\"\n| sort by Timestamp desc\n";

#[test]
fn max_cost_in_kql_toml_applies_and_the_flag_overrides_it() {
    let dir = scratch(
        "max-cost-key",
        &[("kql.toml", b"max-cost = 8\n"), ("q.kql", FULL_SCAN)],
    );
    let out = cost_only(dir.path(), &[], &["q.kql"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(&text, "q.kql: cost 11 exceeds --max-cost 8");
    assert!(
        text.ends_with("Cost: 1 file over --max-cost 8 (highest 11 in q.kql).\n"),
        "{text}"
    );

    let out = cost_only(dir.path(), &["--max-cost", "11"], &["q.kql"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("Cost: every file within --max-cost 11 (highest 11 in q.kql).\n")
    );

    // (the flags `--show-settings` runs with, the limit it shows)
    for (flags, shown) in [(&[][..], "8"), (&["--max-cost", "3"], "3")] {
        let args = [&["lint", "--show-settings"][..], flags, &["q.kql"]].concat();
        let out = stdout(&kql_in(dir.path(), &args));
        assert_contains(&out, &format!("\n  max-cost: {shown}\n"));
    }
}

#[test]
fn each_kql_toml_sets_the_limit_of_its_own_files() {
    let dir = scratch(
        "max-cost-folders",
        &[
            ("tight/kql.toml", b"max-cost = 2\n"),
            ("tight/q.kql", FULL_SCAN),
            ("loose/kql.toml", b"max-cost = 50\n"),
            ("loose/q.kql", FULL_SCAN),
            ("none/q.kql", FULL_SCAN),
        ],
    );
    let out = lint_at(
        dir.path(),
        &["--format", "json", "--exit-zero"],
        &["tight", "loose", "none"],
    );
    let all: Vec<Value> = serde_json::from_str(&stdout(&out)).expect("JSON output");
    let max_of = |file: &str| {
        let d = all.iter().find(|d| d["file"] == file).expect("a finding");
        d["file_cost"]["max"].clone()
    };
    assert_eq!(max_of("tight/q.kql"), 2);
    assert_eq!(max_of("loose/q.kql"), 50);
    // No limit, no score: the output is as it was.
    assert_eq!(max_of("none/q.kql"), Value::Null);
    let out = cost_only(dir.path(), &[], &["tight", "loose"]);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stdout(&out), "Cost: 1 file over their max-cost");
}

#[test]
fn a_bad_max_cost_is_a_usage_error_at_its_line_and_column() {
    for (toml, want) in [
        (
            "select = [\"all\"]\nmax-cost = -1\n",
            "kql.toml:2:12: `max-cost` must be a whole number, 0 or more",
        ),
        (
            "max-cost = \"ten\"\n",
            "kql.toml:1:12: `max-cost` must be a whole number",
        ),
        ("max-cots = 3\n", "kql.toml:1:1: unknown field `max-cots`"),
    ] {
        let dir = scratch(
            "max-cost-bad",
            &[("kql.toml", toml.as_bytes()), ("q.kql", FULL_SCAN)],
        );
        let out = lint_at(dir.path(), &[], &["q.kql"]);
        assert_eq!(out.status.code(), Some(2), "{toml}");
        assert!(stderr(&out).contains(want), "{toml}: {}", stderr(&out));
    }
}
