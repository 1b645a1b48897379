//! One end-to-end test per defect of issue 15 (the numbers are the issue's), each reproducing
//! what went wrong: lost output, silent no-ops, misleading columns and messages.

use kqlkit_tests::{
    assert_contains, assert_lacks, fixtures, kql, kql_in, kql_stdin, kql_stdin_in, scratch,
    scratch_text, stderr, stdout, NOW,
};

/// A query with one safe fix (`join` without `kind=`) and nothing else to report.
const JOIN: &str = "DeviceLogonEvents\n| where Timestamp > ago(1d)\n| project DeviceId, AccountName\n| join (DeviceNetworkEvents | where Timestamp > ago(1d) | project DeviceId, RemoteIP) on DeviceId\n| take 10\n";

/// A query with one finding and no fix.
const NO_FILTER: &str = "DeviceRegistryEvents\n| take 10\n";

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

// 1. `kql lint --fix -` prints the text, and only the text; findings go to standard error.

#[test]
fn d1_stdin_fix_prints_the_fixed_text_and_reports_what_remains() {
    let input = JOIN.to_string();
    let out = kql_stdin(&["lint", "--now", NOW, "--fix", "-"], &input);
    let fixed = stdout(&out);
    assert_contains(&fixed, "join kind=innerunique (");
    assert_eq!(fixed.replace("join kind=innerunique (", "join ("), input);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(&stderr(&out), "All checks passed!");

    // A fix applied and a finding left: the text on stdout, the finding on stderr, status 1.
    let both = format!("{}{}", JOIN.replace("| take 10\n", ""), "| take 500000\n");
    let out = kql_stdin(&["lint", "--now", NOW, "--fix", "-"], &both);
    assert!(stdout(&out).contains("join kind=innerunique ("));
    assert!(
        !stdout(&out).contains("AH003"),
        "findings leak into the text"
    );
    assert_contains(&stderr(&out), "row-limit-exceeded");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn d1_stdin_fix_with_nothing_to_fix_echoes_the_text() {
    for (input, status) in [
        (NO_FILTER, 1),
        ("DeviceEvents\n| where Timestamp > ago(1d)\n| take 10\n", 0),
    ] {
        for format in ["full", "json"] {
            let out = kql_stdin(
                &[
                    "lint",
                    "--now",
                    NOW,
                    "--fix",
                    "--output-format",
                    format,
                    "-",
                ],
                input,
            );
            assert_eq!(stdout(&out), input, "{format}: only the text on stdout");
            assert_eq!(
                out.status.code(),
                Some(status),
                "{format}: {}",
                stderr(&out)
            );
            if format == "json" {
                let findings = json(&stderr(&out));
                assert_eq!(findings.as_array().map(Vec::len), Some(status as usize));
            }
        }
    }
    // A syntax error left behind is a finding: status 1, text unchanged.
    let broken = "DeviceEvents\n| where\n";
    let out = kql_stdin(&["lint", "--now", NOW, "--fix", "-"], broken);
    assert_eq!(stdout(&out), broken);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stderr(&out), "KQL001");
}

#[test]
fn d1_stdin_fix_gives_back_a_byte_order_mark_and_bytes_that_are_not_text() {
    let with_bom = format!("\u{feff}{JOIN}");
    let out = kql_stdin(&["lint", "--now", NOW, "--fix", "-"], &with_bom);
    assert!(
        stdout(&out).starts_with("\u{feff}DeviceLogonEvents"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("join kind=innerunique ("));
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("DeviceEvents".encode_utf16().flat_map(u16::to_le_bytes));
    let out = kql_stdin_in(&fixtures(), &["lint", "--fix", "-"], &utf16);
    assert_eq!(out.stdout, utf16, "the input comes back unchanged");
    assert_contains(&stderr(&out), "UTF-16 LE with BOM detected");
    assert_eq!(out.status.code(), Some(1));
}

// 2. One unreadable file gets one finding; every other file is still checked.

#[test]
fn d2_unreadable_files_are_findings_and_the_rest_is_checked() {
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("DeviceEvents".encode_utf16().flat_map(u16::to_le_bytes));
    let dir = scratch(
        "unreadable",
        &[
            ("a_utf16.kql", &utf16),
            ("b_binary.kql", b"DeviceEvents\x00\x01\x02"),
            (
                "c_latin1.kql",
                b"DeviceEvents\n| where DeviceName == \"caf\xE9\"\n",
            ),
            ("d_good.kql", NO_FILTER.as_bytes()),
        ],
    );
    for format in ["sarif", "json", "junit", "full"] {
        let out = kql_in(
            dir.path(),
            &["lint", "--now", NOW, "--output-format", format, "."],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("UTF-16 LE with BOM detected"),
            "{format}: {text}"
        );
        assert!(text.contains("AH004"), "{format}: the good file is checked");
        if format == "sarif" || format == "json" {
            json(&text);
        }
    }
    let out = kql_in(
        dir.path(),
        &["lint", "--now", NOW, "--output-format", "json-lines", "."],
    );
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(json).collect();
    let at = |file: &str| {
        lines
            .iter()
            .find(|l| l["file"].as_str().is_some_and(|f| f.ends_with(file)))
            .unwrap_or_else(|| panic!("{file} reported"))
    };
    assert_eq!(at("a_utf16.kql")["code"], "KQL000");
    assert_eq!(at("b_binary.kql")["code"], "KQL000");
    // The invalid byte is located: line 2, after `| where DeviceName == "caf`.
    assert_eq!(at("c_latin1.kql")["line"], 2);
    assert_eq!(at("c_latin1.kql")["start"], 39);
    // An explicit path that does not exist is still a usage error.
    let out = kql_in(dir.path(), &["lint", "no-such.kql"]);
    assert_eq!(out.status.code(), Some(2));
}

// 3. Human output is linear and capped (timing is measured by `cargo bench -p kql-cli`).

#[test]
fn d3_a_finding_over_many_lines_prints_its_first_and_last_lines() {
    let columns = "DeviceName,\n".repeat(50_000);
    let query =
        format!("DeviceLogonEvents\n| where Timestamp > ago(1d)\n| project {columns}AccountName\n");
    let out = kql_stdin(
        &["lint", "--now", NOW, "--select", "unbounded-result", "-"],
        &query,
    );
    let text = stdout(&out);
    assert!(text.len() < 2_000, "{} bytes printed", text.len());
    assert_contains(&text, "3 | | project DeviceName,");
    assert_contains(&text, "\n...\n");
    assert_contains(&text, "50003 | AccountName");
}

#[test]
fn d3_a_long_line_is_shown_as_a_window() {
    let long = format!(
        "DeviceEvents | where Timestamp > ago(1d) | where {} | take 10\n",
        "DeviceName == \"x\" or ".repeat(5_000) + "DeviceNme == \"y\""
    );
    let out = kql_stdin(&["check", "-"], &long);
    let text = stdout(&out);
    assert_contains(&text, "unknown column `DeviceNme`");
    assert!(text.lines().all(|l| l.len() < 400), "{text}");
}

// 4. `--fix` follows symbolic links and leaves files it may not write alone.

#[cfg(unix)]
#[test]
fn d4_fix_follows_links_and_respects_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch_text("links", &[("real/query.kql", JOIN), ("locked.kql", JOIN)]);
    std::os::unix::fs::symlink("real/query.kql", dir.path().join("link.kql")).expect("symlink");
    let out = kql_in(dir.path(), &["lint", "--now", NOW, "--fix", "link.kql"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(dir.path().join("link.kql")).expect("link");
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let fixed = std::fs::read_to_string(dir.path().join("real/query.kql")).expect("target");
    assert!(
        fixed.contains("join kind=innerunique"),
        "the target is fixed: {fixed}"
    );

    let locked = dir.path().join("locked.kql");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = kql_in(dir.path(), &["lint", "--now", NOW, "--fix", "locked.kql"]);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stderr(&out), "not writable");
    assert!(
        stdout(&out).contains("join-without-kind"),
        "the unfixed finding is reported: {}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&locked).expect("locked"), JOIN);
}

// 5. Checker codes are first-class: selection, suppression, documentation, fixes.

const TYPO: &str =
    "DeviceLogonEvents\n| where Timestamp > ago(1d)\n| where AccountNam == \"admin\"\n| take 10\n";

#[test]
fn d5_checker_codes_can_be_ignored_selected_and_suppressed() {
    let out = kql_stdin(&["lint", "--now", NOW, "--ignore", "KQL202", "-"], TYPO);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = kql_stdin(
        &[
            "lint",
            "--now",
            NOW,
            "--select",
            "KQL2",
            "--output-format",
            "concise",
            "-",
        ],
        TYPO,
    );
    assert_eq!(
        stdout(&out).lines().next(),
        Some("-:3:9: KQL202 unknown column `AccountNam`")
    );

    let suppressed = TYPO.replace(
        "| where AccountNam",
        "// kql-lint: disable-next-line KQL202\n| where AccountNam",
    );
    let out = kql_stdin(
        &["lint", "--now", NOW, "--output-format", "concise", "-"],
        &suppressed,
    );
    assert_eq!(stdout(&out), "All checks passed!\n");
    let unused = TYPO.replace("| take", "// kql-lint: disable-next-line KQL201\n| take");
    let out = kql_stdin(
        &["lint", "--now", NOW, "--output-format", "concise", "-"],
        &unused,
    );
    let text = stdout(&out);
    assert_contains(&text, "suppression of `KQL201` suppresses nothing");
    assert_lacks(&text, "unknown rule");

    let dir = scratch(
        "codes",
        &[
            ("kql.toml", b"ignore = [\"KQL202\"]\n"),
            ("q.kql", TYPO.as_bytes()),
        ],
    );
    let out = kql_in(dir.path(), &["lint", "--now", NOW, "q.kql"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let out = kql(&["rule", "KQL202"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).starts_with("# unknown-column (KQL202)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn d5_renamed_table_fix_is_applied_and_diffed() {
    let query = "AADSignInEventsBeta\n| where Timestamp > ago(1d)\n| take 10\n";
    let out = kql_stdin(&["lint", "--now", NOW, "--diff", "-"], query);
    assert_contains(&stdout(&out), "+EntraIdSignInEvents");
    let out = kql_stdin(&["lint", "--now", NOW, "--fix", "-"], query);
    assert_eq!(
        stdout(&out),
        query.replace("AADSignInEventsBeta", "EntraIdSignInEvents")
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// 6. One column everywhere; offsets count a byte-order mark.

#[test]
fn d6_human_and_machine_columns_agree_with_tabs_and_bom() {
    let query = "DeviceLogonEvents\n| where Timestamp > ago(1d)\n|\twhere\tAccountNam == \"admin\"\n| take 10\n";
    let human = stdout(&kql_stdin(&["check", "-"], query));
    let jsonl = stdout(&kql_stdin(
        &["check", "--output-format", "json-lines", "-"],
        query,
    ));
    let v = json(jsonl.lines().next().expect("one finding"));
    assert_eq!(v["column"], 9, "a tab is one column");
    assert_contains(&human, " --> -:3:9\n");
    let github = stdout(&kql_stdin(
        &["check", "--output-format", "github", "-"],
        query,
    ));
    assert_contains(&github, "line=3,col=9,");

    let with_bom = format!("\u{feff}{JOIN}");
    let dir = scratch_text("bom", &[("q.kql", &with_bom)]);
    let out = kql_in(
        dir.path(),
        &["lint", "--now", NOW, "--output-format", "json", "q.kql"],
    );
    let v = json(&stdout(&out));
    let join_at = with_bom.find("join").expect("join") as u64;
    assert_eq!(v[0]["start"], join_at, "offsets into the file's bytes");
    assert_eq!(v[0]["fix"]["edits"][0]["start"], join_at + 4);
    assert_eq!(v[0]["line"], 4);
    assert_eq!(v[0]["column"], 3);
    kql_in(dir.path(), &["lint", "--now", NOW, "--fix", "q.kql"]);
    let fixed = std::fs::read_to_string(dir.path().join("q.kql")).expect("fixed");
    assert!(
        fixed.starts_with("\u{feff}DeviceLogonEvents") && fixed.contains("join kind=innerunique ("),
        "{fixed}"
    );
}

// 7. kql.toml is validated, with locations.

#[test]
fn d7_config_mistakes_are_located() {
    let cases: [(&[u8], &str); 4] = [
        (b"[[overrides]]\npath = \"old/*\"\nignore = [\"missing-time-filtr\"]\n", "kql.toml:3:11: unknown rule, code or category `missing-time-filtr` (did you mean `missing-time-filter`?)"),
        (b"[severity]\nunbounded-result = \"eror\"\n", "kql.toml:2:20: unknown severity `eror` (did you mean `error`?)"),
        (b"[limits]\nretention-days = 0\n", "kql.toml:2:18: `retention-days` must be between 1 and 3650, not 0"),
        (b"[limits]\nmax-rows = 20000000\n", "kql.toml:2:12: `max-rows` must be between 1 and 10000000, not 20000000"),
    ];
    for (config, expected) in cases {
        let dir = scratch(
            "config",
            &[("kql.toml", config), ("q.kql", NO_FILTER.as_bytes())],
        );
        let out = kql_in(dir.path(), &["lint", "q.kql"]);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert_contains(&err, expected);
    }
}

// 8. `--stdin-filename` names standard input; without it, discovery starts in the folder.

#[test]
fn d8_stdin_filename_drives_config_and_names() {
    let config = b"[[overrides]]\npath = \"legacy/*\"\nignore = [\"missing-time-filter\"]\n";
    let dir = scratch("stdin-name", &[("kql.toml", config)]);
    let args = ["lint", "--now", NOW, "--output-format", "concise"];
    let out = kql_stdin_in(
        dir.path(),
        &[&args[..], &["--stdin-filename", "legacy/old.kql", "-"]].concat(),
        NO_FILTER.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "the override applies: {}",
        stdout(&out)
    );
    let out = kql_stdin_in(
        dir.path(),
        &[&args[..], &["--stdin-filename", "new/q.kql", "-"]].concat(),
        NO_FILTER.as_bytes(),
    );
    assert!(
        stdout(&out).starts_with("new/q.kql:1:1: AH004"),
        "{}",
        stdout(&out)
    );

    let dir = scratch(
        "stdin-cwd",
        &[("kql.toml", b"ignore = [\"missing-time-filter\"]\n")],
    );
    let out = kql_stdin_in(
        dir.path(),
        &[&args[..], &["-"]].concat(),
        NO_FILTER.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "kql.toml of the current folder: {}",
        stdout(&out)
    );
}

// 9. `kql request` takes --schema and refuses what is not a query.

#[test]
fn d9_request_schema_and_refusals() {
    for empty in ["", "  \n", "// only a comment\n"] {
        let out = kql_stdin(&["request", "-"], empty);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(stdout(&out), "", "no {{\"Query\":\"\"}}");
        assert_contains(&stderr(&out), "the query is empty");
    }
    let custom = fixtures().join("custom_schema/tables.kql");
    let query =
        std::fs::read_to_string(fixtures().join("custom_schema/vpn_exfil.kql")).expect("fixture");
    let without = kql_stdin(&["request", "--fail-on", "error", "-"], &query);
    assert_eq!(
        without.status.code(),
        Some(1),
        "unknown table without --schema"
    );
    let with = kql_stdin(
        &[
            "request",
            "--fail-on",
            "error",
            "--schema",
            custom.to_str().expect("path"),
            "-",
        ],
        &query,
    );
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    assert!(stdout(&with).starts_with("{\"Query\":"));
}

// 10. No silent no-ops.

#[test]
fn d10_no_silent_no_ops() {
    let dir = scratch(
        "noops",
        &[
            ("empty/readme.txt", b"no queries"),
            ("q.kql", NO_FILTER.as_bytes()),
        ],
    );
    let out = kql_in(dir.path(), &["lint", "empty"]);
    assert_contains(&stderr(&out), "no KQL files");
    let out = kql_in(
        dir.path(),
        &[
            "lint",
            "--now",
            NOW,
            "--output-format",
            "json-lines",
            "q.kql",
            "./q.kql",
        ],
    );
    assert_contains(&stderr(&out), "given more than once");
    assert_eq!(stdout(&out).lines().count(), 1, "checked once");
    let out = kql_in(dir.path(), &["lint", "--now", NOW, "--diff", "q.kql"]);
    assert_contains(&stderr(&out), "no fixes available");
    for usage in [
        &["lint", "--unsafe-fixes", "q.kql"][..],
        &["lint", "--diff", "--output-format", "json", "q.kql"],
        &["rule", "--all", "time-beyond-retention"],
    ] {
        let out = kql_in(dir.path(), usage);
        assert_eq!(out.status.code(), Some(2), "{usage:?}: {}", stderr(&out));
    }
}

// 11. Messages a user reads once.

#[test]
fn d11_headers_summary_datetimes_now_and_suggestions() {
    let query = "DeviceLogonEvents\n| where Timestamp > ago(45d)\n| take 500000\n";
    let out = kql_stdin(
        &["lint", "--now", "2026-11-27T02:00:00.5+02:00", "-"],
        query,
    );
    let text = stdout(&out);
    assert!(text.starts_with("warning[AH001] time-beyond-retention: time filter reaches back 45 days (to 2026-10-13T00:00:00Z)"), "{text}");
    assert_eq!(
        text.matches("reaches back 45 days").count(),
        1,
        "the label does not repeat the message"
    );
    let lines: Vec<&str> = text.lines().collect();
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("warning[") || lines[i].starts_with("error["))
        .collect();
    assert!(headers.len() >= 2, "{text}");
    for &h in &headers[1..] {
        assert_eq!(lines[h - 1], "", "one blank line between findings: {text}");
        assert_ne!(lines[h - 2], "", "one blank line between findings: {text}");
    }
    // `take 500000` has an unsafe fix (lower the count) and nothing has a safe one.
    let summary = format!(
        "Found {} problems: {} warnings. 0 fixable with `--fix` (1 more with `--unsafe-fixes`).",
        headers.len(),
        headers.len()
    );
    assert_eq!(lines.last(), Some(&summary.as_str()), "{text}");
    let out = kql_stdin(&["lint", "--now", "27/11/2026", "-"], query);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "RFC 3339");
    let out = kql(&["rule", "time-beyond-retension"]);
    assert_contains(&stderr(&out), "did you mean `time-beyond-retention`?");
}
