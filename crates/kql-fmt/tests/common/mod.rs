//! Shared by the tests and the benchmark: the query files under a folder.

use std::path::{Path, PathBuf};

/// Every `*.kql`, `*.csl` and `*.kusto` file under `dir` (recursively), sorted; none when `dir`
/// does not exist.
pub fn kql_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for p in entries.flatten().map(|e| e.path()) {
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .is_some_and(|x| x == "kql" || x == "csl" || x == "kusto")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
