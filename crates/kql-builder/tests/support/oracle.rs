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
    let Some(found) = diagnostics(texts, semantic) else {
        return 0;
    };
    let failures: Vec<String> = found
        .iter()
        .zip(texts)
        .filter(|(d, _)| !d.is_empty())
        .map(|(d, (label, text))| format!("{label}:\n{text}\n{d:?}"))
        .collect();
    assert!(
        failures.is_empty(),
        "Microsoft's parser rejects:\n{}",
        failures.join("\n\n")
    );
    texts.len()
}

/// Microsoft's error diagnostics (`(code, message)`) for each of `texts`, in order; `None`
/// when the oracle is not available (outside CI).
pub fn diagnostics(
    texts: &[(String, String)],
    semantic: bool,
) -> Option<Vec<Vec<(String, String)>>> {
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
        return None;
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
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut found = vec![Vec::new(); texts.len()];
    let mut seen = 0;
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = v["file"].as_str().unwrap_or_default();
        let i: usize = Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse().ok())
            .expect("oracle names the file");
        seen += 1;
        for d in v["diagnostics"].as_array().into_iter().flatten() {
            if d["severity"] == "Error" {
                found[i].push((
                    d["code"].as_str().unwrap_or_default().to_owned(),
                    d["message"].as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    assert_eq!(
        seen,
        texts.len(),
        "oracle output:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(found)
}
