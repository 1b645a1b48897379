//! Shared by the tests and the benchmark: the query files under a folder.

use std::path::{Path, PathBuf};

/// Every `*.kql`, `*.csl` and `*.kusto` file under `dir` (recursively), sorted; none when `dir`
/// does not exist.
pub fn kql_files(dir: &Path) -> Vec<PathBuf> {
    kql_syntax::corpus::files_with_extensions(dir, &["kql", "csl", "kusto"])
}
