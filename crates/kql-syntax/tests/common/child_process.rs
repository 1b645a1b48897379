//! Runs one test case in a child process on a 2 MiB stack: a stack overflow aborts the whole
//! process, so the case runs in this same test binary re-run for that test alone, and a crash
//! fails that one test instead of the run. Shared by kql-syntax's `deep_nesting` and kql-lint's
//! `long_chains` (included there by path).

use std::process::Command;

/// In the child (the environment variable `case_var` names `test_name`): runs `case` on a
/// thread with a 2 MiB stack. In the parent: re-runs this test binary for `test_name` alone
/// and fails with the end of the child's stderr when the child fails.
pub fn run_in_child_process(case_var: &str, test_name: &str, case: impl FnOnce() + Send + 'static) {
    if std::env::var(case_var).as_deref() == Ok(test_name) {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(case)
            .expect("spawn")
            .join()
            .expect("case thread panicked");
        return;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let out = Command::new(exe)
        .args([test_name, "--exact", "--test-threads=1", "--nocapture"])
        .env(case_var, test_name)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("re-run test binary");
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(8).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!(
            "{test_name}: child process failed ({}):\n{}",
            out.status,
            tail.join("\n")
        );
    }
}
