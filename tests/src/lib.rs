//! End-to-end tests live in `tests/`; this library holds only what they share: building and
//! running the `kql` binary, and copying fixture trees.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The `--now` every time-sensitive end-to-end test uses, so snapshots do not age.
pub const NOW: &str = "2026-11-27T00:00:00Z";

/// Builds the `kql` binary once (with the same cargo that runs the tests) and returns its path.
pub fn kql_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = workspace_root();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-q", "-p", "kql-cli", "--bin", "kql"])
            .current_dir(&root)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building kql failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        let target = if target.is_absolute() {
            target
        } else {
            root.join(target)
        };
        target
            .join("debug")
            .join(format!("kql{}", std::env::consts::EXE_SUFFIX))
    })
}

/// The workspace root (the parent of `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    workspace_root().join("tests").join("fixtures")
}

/// Runs `kql` with `args` from `tests/fixtures`, so paths in the output are short and stable.
pub fn kql(args: &[&str]) -> Output {
    kql_in(&fixtures(), args)
}

/// Runs `kql` with `args` from `dir`, without colour.
pub fn kql_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(kql_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("kql runs")
}

/// Runs `kql` with `args` from `tests/fixtures`, feeding `input` on standard input.
pub fn kql_stdin(args: &[&str], input: &str) -> Output {
    kql_stdin_in(&fixtures(), args, input.as_bytes())
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 output")
}

/// A fresh, empty scratch directory under the system temporary directory (removed on drop).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kqlkit-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies the directory tree `from` to `to` (created).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Runs `kql` with `args` from `dir`, feeding `input` on standard input.
pub fn kql_stdin_in(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(kql_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kql runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("kql finishes")
}

/// Writes `files` (relative path, bytes) under a fresh scratch folder.
pub fn scratch(tag: &str, files: &[(&str, &[u8])]) -> TempDir {
    let dir = TempDir::new(tag);
    for (path, bytes) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("create dir");
        std::fs::write(p, bytes).expect("write file");
    }
    dir
}

/// Runs `kql lint --now NOW` followed by `args` from `dir`: lint tests pin the clock so that
/// time-window findings do not age.
pub fn lint_in(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["lint", "--now", NOW];
    all.extend_from_slice(args);
    kql_in(dir, &all)
}

/// [`lint_in`] with `--output-format concise --quiet`: one line a finding and no summary.
pub fn lint_concise_in(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--output-format", "concise", "--quiet"];
    all.extend_from_slice(args);
    lint_in(dir, &all)
}

/// Fails, showing all of `text`, unless `text` contains `needle`.
#[track_caller]
pub fn assert_contains(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} is not in:\n{text}");
}

/// Fails, showing all of `text`, if `text` contains `needle`.
#[track_caller]
pub fn assert_lacks(text: &str, needle: &str) {
    assert!(!text.contains(needle), "{needle:?} is in:\n{text}");
}

/// Runs `kql` with `args` from `tests/fixtures`, checks that it exits with `code`, and returns
/// its standard output.
#[track_caller]
pub fn kql_stdout(args: &[&str], code: i32) -> String {
    let out = kql(args);
    assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
    stdout(&out)
}

/// [`scratch`] for text files: `files` is (relative path, text).
pub fn scratch_text(tag: &str, files: &[(&str, &str)]) -> TempDir {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    scratch(tag, &files)
}
