//! `kql lint --format sarif` validated against the official SARIF 2.1.0 JSON schema (vendored in
//! `tests/fixtures/sarif`, see its README), plus the cross-references a schema cannot express.

use kqlkit_tests::{fixtures, kql, kql_in, scratch_text, stderr, stdout, NOW};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(fixtures().join("sarif/sarif-schema-2.1.0.json"))
        .expect("vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn sarif_of(args: &[&str]) -> Value {
    let out = kql(args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("SARIF output is JSON")
}

fn assert_valid(log: &Value) {
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

/// What the schema cannot check: `ruleIndex` points at the rule named by `ruleId`, regions are
/// 1-based and ordered, every result has a location and a message.
fn assert_consistent(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(!rules.is_empty());
    for result in run["results"].as_array().expect("results") {
        let id = result["ruleId"].as_str().expect("ruleId");
        if let Some(i) = result.get("ruleIndex") {
            let i = i.as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[i]["id"], id, "ruleIndex of {result}");
        } else {
            assert!(
                id.starts_with("KQL"),
                "lint results carry ruleIndex: {result}"
            );
        }
        assert!(!result["message"]["text"].as_str().unwrap_or("").is_empty());
        let region = &result["locations"][0]["physicalLocation"]["region"];
        let (sl, sc) = (region["startLine"].as_u64(), region["startColumn"].as_u64());
        let (el, ec) = (region["endLine"].as_u64(), region["endColumn"].as_u64());
        let (sl, sc, el, ec) = (
            sl.expect("startLine"),
            sc.expect("startColumn"),
            el.expect("endLine"),
            ec.expect("endColumn"),
        );
        assert!(sl >= 1 && sc >= 1, "{region}");
        assert!((el, ec) >= (sl, sc), "{region}");
    }
}

#[test]
fn lint_sarif_is_valid_sarif_2_1_0() {
    let log = sarif_of(&["lint", "--now", NOW, "--format", "sarif", "lint"]);
    assert!(log["runs"][0]["results"]
        .as_array()
        .is_some_and(|r| r.len() >= 6));
    assert!(
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .any(|r| r.get("fixes").is_some()),
        "the fixture has fixes, so `fixes` is validated too"
    );
    assert_valid(&log);
    assert_consistent(&log);
}

#[test]
fn sarif_with_syntax_errors_and_no_results_is_valid() {
    // Syntax and semantic diagnostics (codes without a rule entry), and an empty run.
    let broken = sarif_of(&["lint", "--now", NOW, "--format", "sarif", "hunting"]);
    assert_valid(&broken);
    assert_consistent(&broken);
    let clean = sarif_of(&["lint", "--now", NOW, "--format", "sarif", "lint/clean"]);
    assert_eq!(clean["runs"][0]["results"], serde_json::json!([]));
    assert_valid(&clean);
}

#[test]
fn the_validator_rejects_invalid_sarif() {
    // Guards against a validator that accepts everything.
    let mut log = sarif_of(&["lint", "--now", NOW, "--format", "sarif", "lint"]);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .expect("driver")
        .remove("name");
    log["version"] = "2.0.0".into();
    let errors = validator().iter_errors(&log).count();
    assert!(errors >= 3, "{errors} errors");
}

/// Each result's `(ruleId, partialFingerprints, startLine)`, in order.
fn fingerprints(log: &Value) -> Vec<(String, Value, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let line = &r["locations"][0]["physicalLocation"]["region"]["startLine"];
            (
                r["ruleId"].as_str().expect("ruleId").to_string(),
                r["partialFingerprints"].clone(),
                line.as_u64().expect("startLine"),
            )
        })
        .collect()
}

#[test]
fn partial_fingerprints_are_the_baseline_identity_and_survive_edits_above() {
    // Three `contains` findings over the same text; two of them on identical lines too.
    let query = "DeviceProcessEvents\n| where ProcessCommandLine contains \"rundll32\"\n\
                 | where FileName contains \"rundll32\"\n| where FileName contains \"rundll32\"\n\
                 | sort by Timestamp desc\n";
    let dir = scratch_text("sarif-fingerprints", &[("q.kql", query)]);
    let lint = |dir: &std::path::Path| {
        let out = kql_in(dir, &["lint", "--now", NOW, "--format", "sarif", "q.kql"]);
        let log: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
        assert_valid(&log);
        log
    };
    let before = fingerprints(&lint(dir.path()));
    assert_eq!(before.len(), 6, "{before:?}");
    // Every result has one, and no two results share one under the same rule.
    let mut ids: Vec<(String, String)> = before
        .iter()
        .map(|(rule, fp, _)| {
            let v = fp["kqlkitFindingHash/v1"].as_str().expect("the key");
            (rule.clone(), v.to_string())
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), before.len(), "{before:?}");

    // The identity `--baseline` matches on: fingerprint, context and occurrence.
    let out = kql_in(
        dir.path(),
        &["lint", "--now", NOW, "--write-baseline", "b.json", "q.kql"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("b.json")).expect("baseline");
    let baseline: Value = serde_json::from_str(&text).expect("baseline is JSON");
    let mut entries: Vec<(String, String)> = baseline["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|e| {
            let id = format!(
                "{}:{}:{}",
                e["fingerprint"].as_str().unwrap(),
                e["context"].as_str().unwrap(),
                e["occurrence"]
            );
            (e["code"].as_str().unwrap().to_string(), id)
        })
        .collect();
    entries.sort();
    assert_eq!(ids, entries);

    // Lines added above move every result, and change no fingerprint.
    let edited = format!("// Hunting: rundll32.\n\n{query}");
    std::fs::write(dir.path().join("q.kql"), edited).expect("write");
    let after = fingerprints(&lint(dir.path()));
    assert_eq!(after.len(), before.len());
    for ((rule_a, fp_a, line_a), (rule_b, fp_b, line_b)) in before.iter().zip(&after) {
        assert_eq!((rule_a, fp_a), (rule_b, fp_b));
        assert_eq!(line_a + 2, *line_b);
    }
}

#[test]
fn with_a_baseline_results_are_new_and_baselined_findings_are_left_out() {
    // Two old findings (recorded), then a new one added to the file.
    let old =
        "DeviceLogonEvents\n| where Timestamp > ago(90d)\n| where ActionType == \"LogonFailed\"\n";
    let dir = scratch_text("sarif-baseline", &[("q.kql", old)]);
    let sarif = |extra: &[&str]| {
        let args = [
            &["lint", "--now", NOW, "--format", "sarif"][..],
            extra,
            &["q.kql"],
        ]
        .concat();
        let out = kql_in(dir.path(), &args);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let log: Value = serde_json::from_str(&stdout(&out)).expect("SARIF is JSON");
        assert_valid(&log);
        if log["runs"][0]["results"] != serde_json::json!([]) {
            assert_consistent(&log);
        }
        log
    };
    let results = |log: &Value| {
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .clone()
    };
    let out = kql_in(
        dir.path(),
        &["lint", "--now", NOW, "--write-baseline", "b.json", "q.kql"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recorded = results(&sarif(&[]));
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    // Without a baseline, results were not compared: no baselineState.
    assert!(
        recorded.iter().all(|r| r.get("baselineState").is_none()),
        "{recorded:?}"
    );

    let new = old.replace(
        "\"LogonFailed\"",
        "\"LogonFailed\"\n| where AccountName contains \"adm\"",
    );
    std::fs::write(dir.path().join("q.kql"), new).expect("write");
    let all = results(&sarif(&[]));
    let compared = results(&sarif(&["--baseline", "b.json"]));
    // Only the finding the baseline does not hold, marked new; nothing else changes.
    let added: Vec<&Value> = all
        .iter()
        .filter(|r| {
            !recorded
                .iter()
                .any(|o| o["partialFingerprints"] == r["partialFingerprints"])
        })
        .collect();
    assert_eq!(added.len(), 1, "{all:?}");
    assert_eq!(compared.len(), 1, "{compared:?}");
    assert_eq!(compared[0]["baselineState"], "new");
    // The same result otherwise (`ruleIndex` aside: the run lists fewer rules).
    let mut expected = added[0].clone();
    expected["baselineState"] = "new".into();
    let mut got = compared[0].clone();
    for r in [&mut expected, &mut got] {
        r.as_object_mut().expect("a result").remove("ruleIndex");
    }
    assert_eq!(got, expected);

    // Nothing new: an empty, valid run.
    std::fs::write(dir.path().join("q.kql"), old).expect("write");
    assert_eq!(
        results(&sarif(&["--baseline", "b.json"])),
        Vec::<Value>::new()
    );
}
