//! SARIF 2.1.0: one run; a rule entry (help text and URI) for every code the results use, lint
//! rules and parser/checker codes alike; fixes as `fixes`; with `kql lint --max-cost`, each
//! file's cost score in its artifact's `properties`. Each result's `partialFingerprints` holds
//! its baseline identity (see [`crate::baseline`]) under [`FINGERPRINT_KEY`]: a hash of the text
//! it covers, of its lines and its occurrence index, never its line number, so GitHub code
//! scanning does not open a new alert when lines are added above a finding.
//!
//! With `kql lint --baseline`, each result has `"baselineState": "new"`: the findings the
//! baseline matches are left out (as in every format), not reported as `"unchanged"`. GitHub
//! code scanning does not read `baselineState`, so an `"unchanged"` result would be an open
//! alert for every accepted finding; viewers that do read it (the SARIF viewer, sarif-multitool)
//! see that the run was compared and that what it lists is new. Stale entries are not `"absent"`
//! results either: they have no location in today's text, and GitHub would show them as alerts.

use std::collections::BTreeMap;

use kql_diagnostics::{Severity, TextRange};
use serde_json::{json, Value};

use super::position::Positions;
use crate::FileReport;

const DOCS: &str = "https://github.com/kqlkit/kqlkit#the-kql-command";

/// The `partialFingerprints` key (versioned: a change of the hash is a new key).
pub const FINGERPRINT_KEY: &str = "kqlkitFindingHash/v1";

/// A rule entry for `code`, from the lint registry or the checker code table.
fn rule_entry(code: &str) -> Value {
    if let Some(r) = kql_lint::RULES.iter().find(|r| r.code == code) {
        return json!({
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary()},
            "fullDescription": {"text": r.summary()},
            "help": {"text": r.documentation(), "markdown": r.documentation()},
            "helpUri": DOCS,
            "defaultConfiguration": {"level": level(r.severity)},
            "properties": {"category": r.category.as_str()},
        });
    }
    match kql_diagnostics::codes::checker_code(code) {
        Some(c) => json!({
            "id": c.code,
            "name": c.name,
            "shortDescription": {"text": c.summary},
            "fullDescription": {"text": c.summary},
            "help": {"text": format!("{}\n\n{}", c.summary, c.details)},
            "helpUri": DOCS,
            "properties": {"category": c.category},
        }),
        None => json!({"id": code, "helpUri": DOCS}),
    }
}

pub fn sarif(reports: &[FileReport]) -> Value {
    // Every code reported, in a stable order, each with its index in `rules`.
    let codes: BTreeMap<&str, usize> = {
        let mut set: Vec<&str> = reports
            .iter()
            .flat_map(|r| r.diagnostics.iter().map(|d| d.code.as_str()))
            .collect();
        set.sort_unstable();
        set.dedup();
        set.into_iter().enumerate().map(|(i, c)| (c, i)).collect()
    };
    let rules: Vec<Value> = codes.keys().map(|c| rule_entry(c)).collect();
    let mut results = Vec::new();
    for r in reports {
        let pos = Positions::new(&r.text);
        let region = |range: TextRange| {
            let s = pos.line_col(range.start());
            let e = pos.line_col(range.end());
            json!({
                "startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column,
            })
        };
        let identities = crate::baseline::identities(r);
        for (d, identity) in r.diagnostics.iter().zip(identities) {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message = format!("{message}\n{help}");
            }
            let mut res = json!({
                "ruleId": d.code,
                "ruleIndex": codes[d.code.as_str()],
                "level": level(d.severity),
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": r.path},
                    "region": region(d.range),
                }}],
                "partialFingerprints": {FINGERPRINT_KEY: identity},
            });
            if r.compared_to_baseline {
                // Matched findings are not reported, so every result left is new.
                res["baselineState"] = json!("new");
            }
            if let Some(fix) = &d.fix {
                res["fixes"] = json!([{
                    "description": {"text": fix.message},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": r.path},
                        "replacements": fix.edits.iter().map(|e| json!({
                            "deletedRegion": region(e.range),
                            "insertedContent": {"text": e.replacement},
                        })).collect::<Vec<_>>(),
                    }],
                }]);
                res["properties"] = json!({"applicability": fix.applicability.as_str()});
            }
            if let Some(cost) = &r.cost {
                res["properties"]["cost"] = json!(cost.points_of(r, d));
            }
            results.push(res);
        }
    }
    let mut run = json!({
        "tool": {"driver": {
            "name": "kqlkit",
            "informationUri": "https://github.com/kqlkit/kqlkit",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    add_costs(&mut run, reports);
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}

/// With `--max-cost`: an artifact per file whose `properties` hold its score (`costScore`,
/// `maxCost`, `costExceeded`), and the limit in the run's `properties`.
fn add_costs(run: &mut Value, reports: &[FileReport]) {
    let artifacts: Vec<Value> = reports
        .iter()
        .filter_map(|r| {
            let c = r.cost.as_ref()?;
            Some(json!({
                "location": {"uri": r.path},
                "properties": {
                    "costScore": c.file.score,
                    "maxCost": c.max,
                    "costExceeded": c.exceeded(),
                },
            }))
        })
        .collect();
    let Some(max) = reports.iter().find_map(|r| r.cost.as_ref()).map(|c| c.max) else {
        return;
    };
    let over = reports
        .iter()
        .filter(|r| r.cost.as_ref().is_some_and(|c| c.exceeded()))
        .count();
    run["artifacts"] = json!(artifacts);
    run["properties"] = json!({"maxCost": max, "filesOverMaxCost": over});
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
