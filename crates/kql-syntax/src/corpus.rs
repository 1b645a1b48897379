//! Folders of queries on disk: what the benches, examples and corpus tests of every crate read
//! (the `kql` binary has its own walker, which also honours `.gitignore`).

use std::path::{Path, PathBuf};

/// The folder a bench reads: the one `KQL_BENCH_DIR` names, else `default` (the crate's own
/// fixtures). Cargo runs a bench in its crate's folder, so a relative `KQL_BENCH_DIR` is read
/// from there.
pub fn bench_dir(default: PathBuf) -> PathBuf {
    std::env::var_os("KQL_BENCH_DIR").map_or(default, PathBuf::from)
}

/// Every `*.kql` file under `dir`, recursively, sorted by path. Folders that cannot be read are
/// passed over, so a missing `dir` gives no files (callers that need some say so).
pub fn kql_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extensions(dir, &["kql"])
}

/// [`kql_files`] for any of `extensions` (`["kql", "csl", "kusto"]`: every query file the `kql`
/// binary reads in a folder).
pub fn files_with_extensions(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| extensions.iter().any(|e| ext == *e))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The text of every file [`kql_files`] lists that is valid UTF-8, in the same order.
pub fn kql_texts(dir: &Path) -> Vec<String> {
    kql_files(dir)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_kql_files_recursively_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let files = kql_files(&dir);
        assert!(files
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "kql")));
        assert!(files.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(
            files.iter().any(|p| p.parent() != Some(dir.as_path())),
            "files in subfolders are found"
        );
        assert_eq!(kql_texts(&dir).len(), files.len());
        assert!(kql_files(&dir.join("no-such-folder")).is_empty());
        assert!(files_with_extensions(&dir, &["kql", "rs"]).len() > files.len());
    }
}
