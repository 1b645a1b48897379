//! The README is part of the interface: its command reference must match `--help`, its
//! `kql.toml` example must be a valid configuration, and its first set-up command must show what
//! kql is for.

use kqlkit_tests::{assert_contains, kql, kql_in, scratch, stderr, stdout, workspace_root};

fn readme() -> String {
    std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md")
}

/// The long options of a `--help` text (without `--help` and `--version`).
fn help_options(help: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in help.lines() {
        let t = line.trim_start();
        let t = if t.len() > 4 && t.starts_with('-') && &t[2..4] == ", " {
            &t[4..]
        } else {
            t
        };
        if let Some(rest) = t.strip_prefix("--") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !name.is_empty() && name != "help" && name != "version" && line.starts_with("  ") {
                out.push(format!("--{name}"));
            }
        }
    }
    out
}

/// The subcommands `kql --help` lists (so new commands are covered as soon as they exist).
fn commands() -> Vec<String> {
    let help = stdout(&kql(&["--help"]));
    let list = help
        .split("Commands:")
        .nth(1)
        .and_then(|s| s.split("Options:").next())
        .expect("a command list");
    list.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The README text of every section whose heading names `kql CMD`.
fn sections_for(readme: &str, cmd: &str) -> String {
    let tag = format!("`kql {cmd}`");
    let mut out = String::new();
    let mut inside: Option<usize> = None;
    let mut fenced = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        let level = line.chars().take_while(|c| *c == '#').count();
        if !fenced && level > 0 && line[level..].starts_with(' ') {
            if inside.is_some_and(|l| level <= l) {
                inside = None;
            }
            if inside.is_none() && line.contains(&tag) {
                inside = Some(level);
            }
        }
        if inside.is_some() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Whether `text` mentions `option` as a whole word (`--fix` is not found in `--fixes`).
fn mentions(text: &str, option: &str) -> bool {
    text.match_indices(option).any(|(i, _)| {
        !text[i + option.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[test]
fn readme_command_reference_matches_help() {
    let readme = readme();
    let mut problems = Vec::new();
    for cmd in commands() {
        let mut section = sections_for(&readme, &cmd);
        // `[parse options]` in a synopsis brings in the options `kql parse` documents.
        for other in commands() {
            if other != cmd && section.contains(&format!("[{other} options]")) {
                section.push_str(&sections_for(&readme, &other));
            }
        }
        if section.is_empty() {
            problems.push(format!(
                "README has no section whose heading names `kql {cmd}`"
            ));
            continue;
        }
        let help = stdout(&kql(&[&cmd, "--help"]));
        let options = help_options(&help);
        for option in &options {
            if !mentions(&section, option) {
                problems.push(format!("`kql {cmd} {option}` is not in the README"));
            }
        }
        // Options in the README's synopsis lines for this command must exist.
        let mut synopsis = false;
        for line in section.lines() {
            if line.starts_with(&format!("kql {cmd}")) {
                synopsis = true;
            } else if !line.starts_with(' ') {
                synopsis = false;
            }
            if !synopsis {
                continue;
            }
            let words = line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
            for word in words.filter(|w| w.starts_with("--") && w.len() > 2) {
                if !options.iter().any(|o| o == word) {
                    problems.push(format!(
                        "README shows `kql {cmd} {word}`, which --help does not list"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn readme_kql_toml_example_is_a_valid_configuration() {
    let readme = readme();
    let example = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a kql.toml example");
    let dir = scratch(
        "readme-config",
        &[
            ("kql.toml", example.as_bytes()),
            ("q.kql", b"DeviceEvents | take 1\n"),
        ],
    );
    let out = kql_in(dir.path(), &["lint", "--show-settings", "q.kql"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(&stdout(&out), "short-has-term");
}

#[test]
fn readme_first_command_shows_the_mission_findings() {
    let readme = readme();
    let first = readme
        .lines()
        .find(|l| l.starts_with("cargo run -q -p kql-cli -- "))
        .expect("a first command");
    let args: Vec<&str> = first
        .trim_start_matches("cargo run -q -p kql-cli -- ")
        .split_whitespace()
        .collect();
    assert_eq!(
        args.first(),
        Some(&"lint"),
        "the first command runs the main job"
    );
    let out = kql_in(&workspace_root(), &args);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for expected in [
        "warning[AH001] time-beyond-retention: ",
        "row-limit-exceeded",
        "= fix (safe): ",
        "1 fixable with `--fix`",
    ] {
        assert!(text.contains(expected), "{expected} missing: {text}");
    }
    assert!(
        text.lines().last().is_some_and(|l| l.starts_with("Found ")),
        "{text}"
    );
}
