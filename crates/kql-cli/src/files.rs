//! Turning command-line paths into texts: files, folders (walked with the `ignore` crate, as
//! ripgrep and ruff do: `.gitignore`, `.ignore` and hidden folders are skipped by default, and so
//! are the `exclude`/`extend-exclude` globs of the nearest `kql.toml`) and standard input.
//!
//! A file that cannot be read as UTF-8 text is not an error of the run: it becomes one `KQL000`
//! finding for that file, and every other file is still checked. Only a path given explicitly
//! that does not exist or cannot be opened stops the run (exit status 2).
//!
//! Besides query files (`*.kql`, `*.csl`, `*.kusto`), the checking commands read host files that
//! embed queries (`*.yaml`, `*.yml`, `*.md`, `*.markdown`, `*.json`; see [`crate::embedded`]),
//! whether given explicitly or found in folders. Any other extension given explicitly is read as
//! a query file, as before.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use kql_diagnostics::{Diagnostic, TextRange, TextSize};
use kql_embed::HostKind;
use kql_lint::Config;

use crate::CliError;

/// One text to process.
pub struct Input {
    /// The path as shown in findings.
    pub path: String,
    /// The text, without a leading byte-order mark (empty or a valid prefix when unreadable).
    pub text: String,
    /// Whether the file starts with a UTF-8 byte-order mark.
    pub bom: bool,
    /// Where configuration is looked up and `[[overrides]]` paths are matched: the file itself,
    /// `--stdin-filename`, or the current folder for standard input.
    pub anchor: PathBuf,
    /// Standard input (fixed text goes to standard output, never to a file).
    pub is_stdin: bool,
    /// Why the file could not be read as text (reported instead of its findings).
    pub problem: Option<Diagnostic>,
    /// The bytes as read when they are not text (so `lint --fix -` can give them back as is).
    pub raw: Option<Vec<u8>>,
    /// What kind of file holds the queries: a query file, or a host (YAML, Markdown, JSON).
    pub kind: HostKind,
    /// Named on the command line (or standard input), not found by a folder walk: a host file
    /// that cannot be parsed is reported even when it names no query key.
    pub explicit: bool,
}

/// How to walk folders.
pub struct Discovery<'a> {
    pub respect_gitignore: bool,
    pub stdin_filename: Option<&'a str>,
    /// `--config`: its excludes apply to every folder; otherwise the nearest kql.toml's.
    pub config: Option<&'a Config>,
    /// Whether host files (YAML, Markdown, JSON) are read for their embedded queries; when not,
    /// folder walks find query files only and every explicit file is a query file.
    pub embedded: bool,
}

/// Extensions of query files.
pub const EXTENSIONS: &[&str] = &["kql", "csl", "kusto"];
/// Extensions of host files whose embedded queries are checked.
pub const HOST_EXTENSIONS: &[&str] = &["yaml", "yml", "md", "markdown", "json"];

/// The kind of file at `path` (by extension); anything that is not a host is a query file.
fn kind_of(path: &Path, embedded: bool) -> HostKind {
    match HostKind::from_path(path) {
        Some(k) if embedded => k,
        _ => HostKind::Kql,
    }
}

/// Reads every path. `warn` receives notes about paths given twice and folders without queries.
pub fn collect(
    paths: &[String],
    discovery: &Discovery,
    warn: &mut dyn FnMut(&str),
) -> Result<Vec<Input>, CliError> {
    let mut inputs = Vec::new();
    let mut seen_args = HashSet::new();
    let mut seen_files = HashSet::new();
    for p in paths {
        if p == "-" {
            if !seen_args.insert(PathBuf::from("-")) {
                warn("standard input (`-`) given more than once; read once");
                continue;
            }
            let mut input = read_stdin(discovery.stdin_filename)?;
            if let Some(name) = discovery.stdin_filename {
                input.kind = kind_of(Path::new(name), discovery.embedded);
            }
            inputs.push(input);
            continue;
        }
        let path = Path::new(p);
        let meta = std::fs::metadata(path)
            .map_err(|e| CliError::Usage(format!("cannot read `{p}`: {e}")))?;
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !seen_args.insert(key.clone()) {
            warn(&format!("`{p}` given more than once; checked once"));
            continue;
        }
        if meta.is_dir() {
            let files = walk(path, discovery)?;
            if files.is_empty() {
                let hosts = if discovery.embedded {
                    " or files with embedded queries (*.yaml, *.yml, *.md, *.json)"
                } else {
                    ""
                };
                warn(&format!(
                    "no KQL files (*.kql, *.csl, *.kusto){hosts} found under `{p}`"
                ));
            }
            for f in files {
                let key = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
                if seen_files.insert(key) {
                    let mut input = read_file(&f, display(&f));
                    input.kind = kind_of(&f, discovery.embedded);
                    input.explicit = false;
                    inputs.push(input);
                }
            }
        } else {
            std::fs::File::open(path)
                .map_err(|e| CliError::Usage(format!("cannot read `{p}`: {e}")))?;
            if seen_files.insert(key) {
                let mut input = read_file(path, p.clone());
                input.kind = kind_of(path, discovery.embedded);
                inputs.push(input);
            }
        }
    }
    Ok(inputs)
}

fn read_stdin(stdin_filename: Option<&str>) -> Result<Input, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Usage(format!("cannot read standard input: {e}")))?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let (path, anchor) = match stdin_filename {
        Some(name) => (display(Path::new(name)), cwd.join(name)),
        None => ("-".to_string(), cwd.join("-")),
    };
    let mut input = decode(bytes, path);
    input.anchor = anchor;
    input.is_stdin = true;
    Ok(input)
}

/// The query files under `dir`, sorted, honouring ignore files and exclude globs.
fn walk(dir: &Path, discovery: &Discovery) -> Result<Vec<PathBuf>, CliError> {
    let discovered;
    let config = match discovery.config {
        Some(c) => Some(c),
        None => match Config::discover(dir) {
            Some(p) => {
                discovered = Config::load(&p).map_err(CliError::Usage)?;
                Some(&discovered)
            }
            None => None,
        },
    };
    let globs = match config {
        Some(c) => c.exclude_globs(),
        None => kql_lint::config::DEFAULT_EXCLUDE
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let root = config
        .and_then(|c| c.root.clone())
        .and_then(|r| std::fs::canonicalize(r).ok());
    let globs: Vec<String> = globs
        .iter()
        .map(|g| g.trim_end_matches('/').to_string())
        .collect();
    let excluded = move |path: &Path| {
        if globs.is_empty() {
            return false;
        }
        // Paths are resolved only when a kql.toml root makes them relative to it.
        let abs = root
            .as_deref()
            .map(|_| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
        let rel = match (root.as_deref(), abs.as_deref()) {
            (Some(r), Some(a)) => a.strip_prefix(r).unwrap_or(path),
            _ => path,
        };
        let rel = display_cow(rel);
        globs.iter().any(|g| kql_lint::config::glob_match(g, &rel))
    };
    let respect = discovery.respect_gitignore;
    let embedded = discovery.embedded;
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(respect)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .parents(respect)
        .require_git(false)
        .filter_entry(move |e| e.depth() == 0 || !excluded(e.path()))
        .build();
    let mut files = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                eprintln!(
                    "kql: warning: skipped while walking `{}`: {e}",
                    dir.display()
                );
                continue;
            }
        };
        let is_file = entry
            .file_type()
            .is_some_and(|t| t.is_file() || t.is_symlink());
        if is_file && has_query_extension(entry.path(), embedded) {
            files.push(entry.into_path());
        }
    }
    // Path order (component by component) without comparing `Path`s: every path is `dir` joined
    // with names, so their bytes with separators as 0 (below any name byte) sort the same way.
    files.sort_by_cached_key(|f| {
        let mut key = f.as_os_str().as_encoded_bytes().to_vec();
        for b in &mut key {
            if std::path::is_separator(char::from(*b)) {
                *b = 0;
            }
        }
        key
    });
    debug_assert!(files.is_sorted());
    Ok(files)
}

fn has_query_extension(path: &Path, embedded: bool) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        let e = e.to_ascii_lowercase();
        EXTENSIONS.contains(&e.as_str()) || (embedded && HOST_EXTENSIONS.contains(&e.as_str()))
    })
}

fn read_file(path: &Path, shown: String) -> Input {
    match std::fs::read(path) {
        Ok(bytes) => {
            let mut input = decode(bytes, shown);
            input.anchor = path.to_path_buf();
            input
        }
        Err(e) => {
            let mut input = decode(Vec::new(), shown);
            input.anchor = path.to_path_buf();
            input.problem = Some(unreadable(0, format!("cannot read the file: {e}")));
            input
        }
    }
}

fn unreadable(at: usize, message: String) -> Diagnostic {
    let at = TextSize::from(at as u32);
    Diagnostic::error("KQL000", message, TextRange::empty(at))
        .with_help("kql reads UTF-8 text; the file was skipped and the others were checked")
}

/// UTF-8 text (an optional byte-order mark dropped), or a `KQL000` finding saying why not.
pub fn decode(bytes: Vec<u8>, path: String) -> Input {
    let mut input = Input {
        path,
        text: String::new(),
        bom: false,
        anchor: PathBuf::new(),
        is_stdin: false,
        problem: None,
        raw: None,
        kind: HostKind::Kql,
        explicit: true,
    };
    decode_into(&bytes, &mut input);
    if input.problem.is_some() {
        input.raw = Some(bytes);
    }
    input
}

fn decode_into(bytes: &[u8], input: &mut Input) {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let which = if bytes[0] == 0xFF { "LE" } else { "BE" };
        input.problem = Some(unreadable(
            0,
            format!("not UTF-8; UTF-16 {which} with BOM detected — re-save as UTF-8"),
        ));
        return;
    }
    let body = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            input.bom = true;
            rest
        }
        None => bytes,
    };
    if let Some(nul) = body.iter().position(|&b| b == 0) {
        input.text = String::from_utf8_lossy(&body[..nul]).into_owned();
        input.problem = Some(unreadable(
            input.text.len(),
            format!("binary file (a NUL byte at byte {}); not a query", nul),
        ));
        if input.text.len() != nul {
            input.text.clear();
            input.problem = Some(unreadable(0, "binary file; not a query".into()));
        }
        return;
    }
    match std::str::from_utf8(body) {
        Ok(text) => input.text = text.to_string(),
        Err(e) => {
            let valid = e.valid_up_to();
            input.text = std::str::from_utf8(&body[..valid])
                .unwrap_or_default()
                .to_string();
            input.problem = Some(unreadable(
                valid,
                format!(
                    "not UTF-8: invalid byte 0x{:02X} — re-save as UTF-8",
                    body[valid]
                ),
            ));
        }
    }
}

/// Paths as shown in output: forward slashes on every platform.
pub fn display(path: &Path) -> String {
    display_cow(path).into_owned()
}

/// [`display`] without copying a path that is already UTF-8 with forward slashes.
fn display_cow(path: &Path) -> std::borrow::Cow<'_, str> {
    let text = path.to_string_lossy();
    if text.contains('\\') {
        text.replace('\\', "/").into()
    } else {
        text
    }
}
