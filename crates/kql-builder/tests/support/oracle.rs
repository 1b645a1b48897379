//! Microsoft's parser (`../shared/oracle`, Kusto.Language compiled to JavaScript) as a check on
//! emitted text. Run `../shared/oracle/setup` once. Without Node or the oracle the check is
//! skipped with a message, except under CI (`CI` set), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn oracle_js() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/oracle/oracle.js")
}

/// Fails unless Microsoft's parser finds no syntax error in any of `texts` (`(label, text)`).
/// Returns how many texts it checked (0 when skipped).
pub fn assert_microsoft_parses(texts: &[(String, String)]) -> usize {
    run(texts, false)
}

/// As [`assert_microsoft_parses`], and Microsoft's analyzer finds no name or type error
/// against the Advanced Hunting schema (`../shared/schema/oracle_schema.json`).
pub fn assert_microsoft_accepts(texts: &[(String, String)]) -> usize {
    run(texts, true)
}

fn run(texts: &[(String, String)], semantic: bool) -> usize {
    let js = oracle_js();
    let node_ok = Command::new("node").arg("--version").output().is_ok();
    if !js.exists() || !node_ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "Microsoft's parser is needed: node and {} (run ../shared/oracle/setup)",
            js.display()
        );
        eprintln!(
            "skipped: Microsoft's parser not available ({})",
            js.display()
        );
        return 0;
    }
    let dir = std::env::temp_dir().join(format!(
        "kql-builder-oracle-{}-{}",
        std::process::id(),
        texts.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, (_, text)) in texts.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:04}.kql")), text).unwrap();
    }
    let mut cmd = Command::new("node");
    cmd.arg(&js).args(["check", "--bytes"]);
    if semantic {
        let shared = js.parent().and_then(Path::parent).unwrap_or(Path::new("."));
        let schema = shared.join("schema/oracle_schema.json");
        cmd.arg("--semantic").arg("--schema").arg(schema);
    }
    let out = cmd.arg(&dir).output().expect("running node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() || !stdout.is_empty(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        checked += 1;
        let semantic_errors = v["semantic_errors"].as_u64().unwrap_or(0);
        if v["syntax_errors"].as_u64() != Some(0) || semantic_errors != 0 {
            let file = v["file"].as_str().unwrap_or_default();
            let i: usize = Path::new(file)
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse().ok())
                .unwrap_or(usize::MAX);
            let (label, text) = texts.get(i).cloned().unwrap_or_default();
            failures.push(format!("{label}:\n{text}\n{}", v["diagnostics"]));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "Microsoft's parser rejects:\n{}",
        failures.join("\n\n")
    );
    assert_eq!(checked, texts.len(), "oracle output:\n{stdout}");
    checked
}
