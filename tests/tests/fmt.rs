//! End-to-end tests of `kql fmt`: what it writes, what it refuses to touch, what it prints and
//! its exit statuses (0 nothing to do or done, 1 would change or syntax error, 2 usage error).

use std::path::Path;

use kqlkit_tests::{
    assert_contains, fixtures, kql_in, kql_stdin_in, scratch, scratch_text, stderr, stdout,
};

const MESSY: &str =
    "DeviceProcessEvents|where Timestamp>ago(1d)// recent\n|project Timestamp,FileName";
const MESSY_FORMATTED: &str =
    "DeviceProcessEvents\n| where Timestamp > ago(1d) // recent\n| project Timestamp, FileName\n";
const BROKEN: &str = "DeviceProcessEvents\n| where Timestamp >\n| take 1\n";

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).expect("file exists")
}

#[test]
fn formatted_examples_pass_check() {
    let out = kql_in(&fixtures(), &["fmt", "--check", "fmt/formatted"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "2 files already formatted\n");
}

#[test]
fn check_lists_files_that_would_change_and_writes_nothing() {
    let dir = scratch_text("fmt-check", &[("a.kql", MESSY), ("b.kql", MESSY_FORMATTED)]);
    let out = kql_in(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "Would reformat: ./a.kql\n");
    assert_eq!(
        stderr(&out),
        "1 file would be reformatted, 1 file already formatted\n"
    );
    assert_eq!(read(dir.path(), "a.kql"), MESSY.as_bytes());
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = scratch_text("fmt-diff", &[("a.kql", MESSY)]);
    let out = kql_in(dir.path(), &["fmt", "--diff", "a.kql"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
    assert_eq!(read(dir.path(), "a.kql"), MESSY.as_bytes());
}

#[test]
fn rewrites_changed_files_only_keeping_bom_and_permissions() {
    let bom_messy = [b"\xEF\xBB\xBF".as_slice(), MESSY.as_bytes()].concat();
    let dir = scratch(
        "fmt-write",
        &[
            ("bom.kql", &bom_messy),
            ("done.kql", MESSY_FORMATTED.as_bytes()),
        ],
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = std::fs::Permissions::from_mode(0o640);
        std::fs::set_permissions(dir.path().join("bom.kql"), p).unwrap();
    }
    let before = std::fs::metadata(dir.path().join("done.kql"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = kql_in(dir.path(), &["fmt", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "1 file reformatted, 1 file left unchanged\n");
    let expected = [b"\xEF\xBB\xBF".as_slice(), MESSY_FORMATTED.as_bytes()].concat();
    assert_eq!(read(dir.path(), "bom.kql"), expected, "BOM kept");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("bom.kql"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept");
    }
    let after = std::fs::metadata(dir.path().join("done.kql"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "an already formatted file is not written");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    // Formatting again changes nothing.
    let again = kql_in(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(again.status.code(), Some(0));
}

#[test]
fn syntax_errors_leave_the_file_untouched_and_fail() {
    let dir = scratch_text("fmt-broken", &[("broken.kql", BROKEN), ("ok.kql", MESSY)]);
    let out = kql_in(dir.path(), &["fmt", "."]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&out));
    assert_eq!(read(dir.path(), "broken.kql"), BROKEN.as_bytes());
    assert_eq!(read(dir.path(), "ok.kql"), MESSY_FORMATTED.as_bytes());
}

#[test]
fn standard_input_goes_to_standard_output() {
    let out = kql_stdin_in(&fixtures(), &["fmt", "-"], MESSY.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), MESSY_FORMATTED);
    assert_eq!(stderr(&out), "", "no summary for standard input");
    let broken = kql_stdin_in(&fixtures(), &["fmt", "-"], BROKEN.as_bytes());
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        stdout(&broken),
        "",
        "nothing to standard output on an error"
    );
    assert_contains(&stderr(&broken), "-: 2:");
    let check = kql_stdin_in(&fixtures(), &["fmt", "--check", "-"], MESSY.as_bytes());
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn blocks_formats_each_block_on_its_own() {
    let text = "T|take 1\n\n\n\nU|where a>1|count\n";
    let dir = scratch_text("fmt-blocks", &[("two.kql", text)]);
    let whole = kql_in(dir.path(), &["fmt", "two.kql"]);
    assert_eq!(
        whole.status.code(),
        Some(1),
        "two queries are not one query"
    );
    let out = kql_in(dir.path(), &["fmt", "--blocks", "two.kql"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(read(dir.path(), "two.kql")).unwrap(),
        "T\n| take 1\n\nU\n| where a > 1\n| count\n"
    );
}

#[test]
fn format_options_come_from_the_nearest_kql_toml() {
    let dir = fixtures().join("fmt").join("options");
    let out = kql_in(&dir, &["fmt", "--diff", "narrow.kql"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn an_unknown_format_option_is_a_usage_error() {
    let dir = scratch(
        "fmt-config",
        &[
            ("kql.toml", b"[format]\nindent = 2\n".as_slice()),
            ("a.kql", MESSY.as_bytes()),
        ],
    );
    let out = kql_in(dir.path(), &["fmt", "a.kql"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "unknown field `indent`");
    assert_eq!(read(dir.path(), "a.kql"), MESSY.as_bytes());
}
