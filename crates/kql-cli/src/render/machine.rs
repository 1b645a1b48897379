//! The machine-readable diagnostic object of the command-line contract (`json`, `json-lines`).
//!
//! `start`/`end` and fix-edit offsets are byte offsets into the file as stored (a byte-order
//! mark counts); `line`/`column` are 1-based, columns counting Unicode scalar values. With
//! `kql lint --max-cost`, `cost` is the finding's share of its file's score and `file_cost` the
//! file's score object (`score`, `max`, `exceeded`), the same on every finding of the file.

use kql_diagnostics::Diagnostic;
use serde_json::{json, Value};

use super::position::Positions;
use crate::FileReport;

pub fn to_json(r: &FileReport, pos: &Positions, d: &Diagnostic) -> Value {
    let lc = pos.line_col(d.range.start());
    let end = pos.line_col(d.range.end());
    let base = r.offset_base;
    let mut v = json!({
        "file": r.path,
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "start": u32::from(d.range.start()) + base,
        "end": u32::from(d.range.end()) + base,
        "line": lc.line,
        "column": lc.column,
        "end_line": end.line,
        "end_column": end.column,
    });
    if let Some(rule) = &d.rule {
        v["rule"] = json!(rule);
    }
    if let Some(help) = &d.help {
        v["help"] = json!(help);
    }
    if let Some(cost) = &r.cost {
        v["cost"] = json!(cost.points_of(r, d));
        v["file_cost"] = cost.json();
    }
    if let Some(fix) = &d.fix {
        v["fix"] = json!({
            "message": fix.message,
            "applicability": fix.applicability.as_str(),
            "edits": fix.edits.iter().map(|e| json!({
                "start": u32::from(e.range.start()) + base,
                "end": u32::from(e.range.end()) + base,
                "replacement": e.replacement,
            })).collect::<Vec<_>>(),
        });
    }
    v
}
