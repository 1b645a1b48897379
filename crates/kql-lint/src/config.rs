//! `kql.toml` and the resolved [`Settings`] a lint run uses.
//!
//! ```toml
//! select = ["all"]                 # rule names, codes (or code prefixes) or categories
//! ignore = ["short-has-term"]
//! max-cost = 20                    # `kql lint --max-cost` (the flag wins): fail a costlier file
//! [severity]
//! unbounded-result = "error"
//! [limits]
//! retention-days = 30
//! max-rows = 100000
//! [[overrides]]
//! path = "legacy/*"                # glob (`*`, `**`, `?`) relative to the kql.toml directory
//! ignore = ["missing-time-filter"]
//! [format]                         # kql fmt's options, read by kql-fmt (Config::format_section)
//! line-width = 100
//! [embedded]                       # where queries sit in YAML, JSON and Markdown files
//! yaml-keys = ["query"]
//! json-keys = ["query"]
//! markdown-tags = ["kql", "kusto", "csl"]
//! ```
//! `extend-select` adds to `select`; `exclude` (replacing the default list) and `extend-exclude`
//! are globs of paths that folder walks skip. Besides rules, selectors may name the parser's and
//! checker's codes (`KQL202`, `KQL2`, `unknown-column`): those codes are reported unless ignored,
//! and when a `select` names any of them, only the named ones are reported.
//!
//! Every name, severity and limit is validated when the file is read, with the line and column
//! of the mistake and a "did you mean" when a close name exists.
//! The file is found by walking up from the linted file; `--config` names one explicitly.
//! Command-line `--select`/`--ignore` apply after the file's settings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kql_diagnostics::Severity;
use serde::Deserialize;

use crate::registry::{RuleMeta, RULES};

/// The contents of a `kql.toml`; a missing key takes its value from [`Config::default`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: HashMap<String, String>,
    pub limits: Limits,
    /// The highest cost score a file may have (`kql lint --max-cost`, which overrides it).
    #[serde(deserialize_with = "max_cost")]
    pub max_cost: Option<u64>,
    /// Globs of paths folder walks skip, replacing [`DEFAULT_EXCLUDE`].
    pub exclude: Option<Vec<String>>,
    /// Globs of paths folder walks skip, in addition to `exclude`.
    pub extend_exclude: Vec<String>,
    pub overrides: Vec<Override>,
    /// The `[format]` table, kept unread: `kql-fmt`'s options interpret it (see
    /// [`Config::format_section`]), so the linter does not depend on the formatter.
    pub format: Option<toml::Table>,
    /// The `[embedded]` table: which keys and fence tags hold queries in host files.
    pub embedded: Embedded,
    /// Directory the file was found in (for override paths).
    #[serde(skip)]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    pub retention_days: Option<u32>,
    pub max_rows: Option<u64>,
}

/// `[embedded]`: the YAML keys, JSON keys and Markdown fence tags whose values are queries
/// (`None`: the defaults, [`DEFAULT_QUERY_KEYS`] and [`DEFAULT_MARKDOWN_TAGS`]). An empty list
/// turns that host form off. Unknown keys are refused by the located validation (with "did you
/// mean"), not by serde.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Embedded {
    pub yaml_keys: Option<Vec<String>>,
    pub json_keys: Option<Vec<String>>,
    pub markdown_tags: Option<Vec<String>>,
}

/// The YAML and JSON keys whose values are queries unless `[embedded]` says otherwise.
pub const DEFAULT_QUERY_KEYS: &[&str] = &["query"];
/// The Markdown fence tags (info strings) of query blocks unless `[embedded]` says otherwise.
pub const DEFAULT_MARKDOWN_TAGS: &[&str] = &["kql", "kusto", "csl"];

impl Embedded {
    /// The YAML keys in force.
    pub fn yaml_keys(&self) -> Vec<String> {
        or_default(&self.yaml_keys, DEFAULT_QUERY_KEYS)
    }

    /// The JSON keys in force.
    pub fn json_keys(&self) -> Vec<String> {
        or_default(&self.json_keys, DEFAULT_QUERY_KEYS)
    }

    /// The Markdown fence tags in force.
    pub fn markdown_tags(&self) -> Vec<String> {
        or_default(&self.markdown_tags, DEFAULT_MARKDOWN_TAGS)
    }
}

fn or_default(list: &Option<Vec<String>>, default: &[&str]) -> Vec<String> {
    match list {
        Some(l) => l.clone(),
        None => default.iter().map(|s| s.to_string()).collect(),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    pub path: String,
    #[serde(default)]
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: HashMap<String, String>,
}

/// `max-cost`: a whole number, 0 or more (an error at the value's line and column otherwise).
fn max_cost<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = toml::Value::deserialize(d)?;
    match v.as_integer().map(u64::try_from) {
        Some(Ok(n)) => Ok(Some(n)),
        _ => Err(serde::de::Error::custom(format!(
            "`max-cost` must be a whole number, 0 or more (the highest cost score a file may \
             have), not {v}"
        ))),
    }
}

/// Paths folder walks skip unless `exclude` says otherwise (hidden folders and `.gitignore`d
/// paths are skipped too, by the walker).
pub const DEFAULT_EXCLUDE: &[&str] = &["node_modules", "target", "dist", "build"];

/// Whether `selector` names a rule, a category, a code (or code prefix) or `all`.
pub fn is_known_selector(selector: &str) -> bool {
    RULES.iter().any(|r| r.matches(selector))
        || kql_diagnostics::codes::selects_checker_code(selector)
}

/// The closest known rule name, code or category to `selector`, for "did you mean".
pub fn suggest_selector(selector: &str) -> Option<&'static str> {
    let names = RULES
        .iter()
        .flat_map(|r| [r.name, r.code, r.category.as_str()]);
    let codes = kql_diagnostics::codes::CHECKER_CODES
        .iter()
        .flat_map(|c| [c.name, c.code]);
    kql_schema::suggest(selector, names.chain(codes))
}

/// "unknown rule, code or category `x` (did you mean `y`?)".
pub fn unknown_selector_message(selector: &str) -> String {
    let hint = suggest_selector(selector)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    format!("unknown rule, code or category `{selector}`{hint}")
}

impl Config {
    /// Reads a `kql.toml` text; errors start with `line:column: `.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| located::line_col(text, s.start));
            match at {
                Some((l, c)) => format!("{l}:{c}: {}", e.message().trim_end()),
                None => e.message().trim_end().to_string(),
            }
        })?;
        located::validate(text)?;
        Ok(config)
    }

    /// The `[format]` table as `T` (`kql_fmt::FormatOptions`), or `T::default()` without one.
    pub fn format_section<T: serde::de::DeserializeOwned + Default>(&self) -> Result<T, String> {
        match &self.format {
            Some(table) => table
                .clone()
                .try_into()
                .map_err(|e| format!("[format]: {}", e.message().trim_end())),
            None => Ok(T::default()),
        }
    }

    /// The exclude globs in force: `exclude` (or the defaults) plus `extend-exclude`.
    pub fn exclude_globs(&self) -> Vec<String> {
        let base = match &self.exclude {
            Some(list) => list.clone(),
            None => DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect(),
        };
        base.into_iter()
            .chain(self.extend_exclude.iter().cloned())
            .collect()
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let mut c = Config::parse(&text).map_err(|e| format!("{}:{e}", path.display()))?;
        c.root = path.parent().map(Path::to_path_buf);
        Ok(c)
    }

    /// The nearest `kql.toml` in the directory of `file` or above.
    pub fn discover(file: &Path) -> Option<PathBuf> {
        let abs = std::fs::canonicalize(file).ok()?;
        let mut dir = if abs.is_dir() {
            Some(abs.as_path())
        } else {
            abs.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join("kql.toml");
            if candidate.is_file() {
                return Some(candidate);
            }
            dir = d.parent();
        }
        None
    }

    /// Settings for linting `file` (overrides whose glob matches it applied in order).
    pub fn settings_for(&self, file: Option<&Path>, base: Settings) -> Settings {
        let mut s = base;
        if let Some(d) = self.limits.retention_days {
            s.retention_days = d;
        }
        if let Some(m) = self.limits.max_rows {
            s.max_rows = m;
        }
        if let Some(m) = self.max_cost {
            s.max_cost = Some(m);
        }
        s.apply_selection(self.select.as_deref(), &self.ignore, &self.severity);
        s.extend_selection(&self.extend_select);
        if let Some(file) = file {
            let rel = relative(file, self.root.as_deref());
            for o in &self.overrides {
                if glob_match(&o.path, &rel) {
                    s.apply_selection(o.select.as_deref(), &o.ignore, &o.severity);
                }
            }
        }
        s
    }
}

fn relative(file: &Path, root: Option<&Path>) -> String {
    let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let rel = root
        .and_then(|r| std::fs::canonicalize(r).ok())
        .and_then(|r| abs.strip_prefix(r).ok().map(Path::to_path_buf))
        .unwrap_or(abs);
    rel.to_string_lossy().replace('\\', "/")
}

/// Glob match with `*` (within a path segment), `**` (across segments) and `?`.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    // A match anywhere is a match of `**/pattern`: the pattern against every suffix of the path
    // (the whole path included). Every match ends with the pattern's literal tail, so paths that
    // do not are rejected without trying each suffix; a pattern without wildcards is that tail.
    let (p, s) = (pattern.as_bytes(), path.as_bytes());
    let tail = match p.iter().rposition(|&c| c == b'*' || c == b'?') {
        None => p,
        Some(i) => {
            // `**` swallows the `/` after it: an even run of stars ends in `**`.
            let stars = p[..=i].iter().rev().take_while(|&&c| c == b'*').count();
            let rest = &p[i + 1..];
            match rest.strip_prefix(b"/") {
                Some(r) if stars > 0 && stars % 2 == 0 => r,
                _ => rest,
            }
        }
    };
    if !s.ends_with(tail) {
        return false;
    }
    if tail.len() == p.len() {
        return true;
    }
    (0..=s.len()).any(|i| glob_match_whole(p, &s[i..]))
}

/// Whether glob `p` matches all of `s` (no implied `**/` in front).
fn glob_match_whole(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', rest @ ..] => {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=s.len()).any(|i| glob_match_whole(rest, &s[i..]))
        }
        [b'*', rest @ ..] => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| glob_match_whole(rest, &s[i..])),
        [b'?', rest @ ..] => !s.is_empty() && s[0] != b'/' && glob_match_whole(rest, &s[1..]),
        [c, rest @ ..] => !s.is_empty() && s[0] == *c && glob_match_whole(rest, &s[1..]),
    }
}

/// Everything one lint run needs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// "Now" in ticks since the Unix epoch.
    pub now: i64,
    pub retention_days: u32,
    pub max_rows: u64,
    /// The request's `Timespan` window `(start, end)` in ticks, and its text.
    pub timespan: Option<(i64, i64, String)>,
    /// The highest cost score a file may have (`max-cost`; `None`: scores are not shown).
    pub max_cost: Option<u64>,
    enabled: Vec<bool>,
    severities: Vec<Option<Severity>>,
    /// The `select` entries naming parser/checker codes (`None`: every such code is reported).
    selected_codes: Option<Vec<String>>,
    /// The `ignore` entries that name parser/checker codes.
    ignored_codes: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::new(kql_hunting_api::UtcDateTime::now())
    }
}

impl Settings {
    /// Defaults (every rule on, Advanced Hunting limits) with "now" fixed: a typed instant, so
    /// a caller cannot pass ticks of the wrong epoch.
    pub fn new(now: kql_hunting_api::UtcDateTime) -> Self {
        Settings {
            now: now.unix_ticks(),
            retention_days: kql_hunting_api::limits::RETENTION_DAYS as u32,
            max_rows: kql_hunting_api::limits::MAX_ROWS,
            timespan: None,
            max_cost: None,
            enabled: vec![true; RULES.len()],
            severities: vec![None; RULES.len()],
            selected_codes: None,
            ignored_codes: Vec::new(),
        }
    }

    /// Sets the request timespan from its text (`P7D`, `start/end` ...), resolved against `now`.
    pub fn with_timespan(self, text: &str) -> Result<Self, String> {
        let ts: kql_hunting_api::Timespan = text
            .parse()
            .map_err(|e| format!("invalid timespan `{text}`: {e}"))?;
        self.with_window(&ts, text)
    }

    /// Sets the request timespan (the Graph API's `Timespan`), resolved against `now`; `text` is
    /// how messages name it.
    pub fn with_window(
        mut self,
        window: &kql_hunting_api::Timespan,
        text: &str,
    ) -> Result<Self, String> {
        let now =
            kql_hunting_api::UtcDateTime::from_unix_ticks(self.now).ok_or("`now` out of range")?;
        let (start, end) = window
            .window(now)
            .ok_or_else(|| format!("timespan `{text}` is out of range"))?;
        self.timespan = Some((start.unix_ticks(), end.unix_ticks(), text.to_string()));
        Ok(self)
    }

    /// [`Settings::new`] for "now" given as ticks since the Unix epoch (what `fold` computes);
    /// `None` outside the years 1..=9999.
    pub fn at_unix_ticks(ticks: i64) -> Option<Self> {
        kql_hunting_api::UtcDateTime::from_unix_ticks(ticks).map(Settings::new)
    }

    fn index(rule: &RuleMeta) -> usize {
        // A rule is nearly always an element of `RULES`, so its address gives its index without
        // a search (the linter asks twice per rule per file).
        let offset = (rule as *const RuleMeta as usize).wrapping_sub(RULES.as_ptr() as usize);
        let i = offset / std::mem::size_of::<RuleMeta>();
        if i < RULES.len() && std::ptr::eq(&RULES[i], rule) {
            return i;
        }
        RULES
            .iter()
            .position(|r| std::ptr::eq(r, rule))
            .unwrap_or(0)
    }

    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        self.enabled[Self::index(rule)]
    }

    pub fn severity_of(&self, rule: &RuleMeta) -> Severity {
        self.severities[Self::index(rule)].unwrap_or(rule.severity)
    }

    /// Whether a parser or checker finding with `code` (`KQL202`) is reported.
    pub fn is_code_enabled(&self, code: &str) -> bool {
        use kql_diagnostics::codes::selector_matches_code;
        let selected = self
            .selected_codes
            .as_ref()
            .is_none_or(|sel| sel.iter().any(|s| selector_matches_code(s, code)));
        selected
            && !self
                .ignored_codes
                .iter()
                .any(|s| selector_matches_code(s, code))
    }

    /// `extend-select`: enables more rules (and codes) on top of the current selection.
    pub fn extend_selection(&mut self, extra: &[String]) {
        for (i, r) in RULES.iter().enumerate() {
            if extra.iter().any(|s| r.matches(s)) {
                self.enabled[i] = true;
            }
        }
        let codes: Vec<String> = extra
            .iter()
            .filter(|s| kql_diagnostics::codes::selects_checker_code(s))
            .cloned()
            .collect();
        if let Some(sel) = &mut self.selected_codes {
            sel.extend(codes.iter().cloned());
        }
        self.ignored_codes.retain(|i| !codes.contains(i));
    }

    /// `select` (when given) replaces the enabled set; `ignore` removes from it.
    pub fn apply_selection(
        &mut self,
        select: Option<&[String]>,
        ignore: &[String],
        severity: &HashMap<String, String>,
    ) {
        use kql_diagnostics::codes::selects_checker_code;
        if let Some(sel) = select {
            let codes: Vec<String> = sel
                .iter()
                .filter(|s| selects_checker_code(s))
                .cloned()
                .collect();
            self.selected_codes = (!codes.is_empty()).then_some(codes);
        }
        self.ignored_codes
            .extend(ignore.iter().filter(|s| selects_checker_code(s)).cloned());
        for (i, r) in RULES.iter().enumerate() {
            if let Some(sel) = select {
                self.enabled[i] = sel.iter().any(|s| r.matches(s));
            }
            if ignore.iter().any(|s| r.matches(s)) {
                self.enabled[i] = false;
            }
            for (k, v) in severity {
                if r.matches(k) {
                    if let Some(sev) = Severity::parse(v) {
                        self.severities[i] = Some(sev);
                    }
                }
            }
        }
    }

    /// The oldest instant the service still holds.
    pub fn retention_start(&self) -> i64 {
        self.now - i64::from(self.retention_days) * kql_semantic::fold::TICKS_PER_DAY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matcher as first written (every suffix by prefixing `**/`, no tail shortcuts), to
    /// compare against.
    fn glob_reference(pattern: &str, path: &str) -> bool {
        glob_match_whole(pattern.as_bytes(), path.as_bytes())
            || glob_match_whole(format!("**/{pattern}").as_bytes(), path.as_bytes())
    }

    #[test]
    fn glob_shortcuts_agree_with_full_matching() {
        let patterns = [
            "node_modules",
            "target",
            "legacy/*",
            "legacy/**",
            "legacy/**/",
            "**/",
            "***/a.kql",
            "****/a.kql",
            "*/",
            "a?",
            "?",
            "*",
            "**",
            "*.kql",
            "legacy/**/a.kql",
            "x/*/y",
            "/",
            "",
            "a/",
            "b.kql",
        ];
        let paths = [
            "",
            "a",
            "a/",
            "b.kql",
            "legacy",
            "legacy/",
            "legacy/a.kql",
            "legacy/x/a.kql",
            "deep/node_modules",
            "deep/xnode_modules",
            "node_modules/a.kql",
            "x/1/y",
            "x/1/2/y",
            "ab",
            "../corpus/target",
            "/",
        ];
        for p in patterns {
            for s in paths {
                assert_eq!(
                    glob_match(p, s),
                    glob_reference(p, s),
                    "{p:?} against {s:?}"
                );
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("legacy/*", "legacy/a.kql"));
        assert!(!glob_match("legacy/*", "legacy/x/a.kql"));
        assert!(glob_match("legacy/**", "legacy/x/a.kql"));
        assert!(glob_match("*.kql", "deep/dir/a.kql"));
        assert!(!glob_match("a?.kql", "a.kql"));
    }

    #[test]
    fn config_selection() {
        let c = Config::parse(
            "ignore = [\"performance\"]\n[severity]\nAH001 = \"error\"\n[limits]\nmax-rows = 10\n",
        )
        .unwrap();
        let s = c.settings_for(None, Settings::at_unix_ticks(0).unwrap());
        assert_eq!(s.max_rows, 10);
        let r = crate::registry::by_name("missing-time-filter").unwrap();
        assert!(!s.is_enabled(r));
        let r = crate::registry::by_name("time-beyond-retention").unwrap();
        assert_eq!(s.severity_of(r), Severity::Error);
        assert!(Config::parse("ignore = [\"no-such-rule\"]").is_err());
    }

    /// Each row: a config with one mistake, the line and column the error starts with, and a
    /// fragment of its message (a suggestion where there is one).
    const MISTAKES: &[(&str, (u32, u32), &str)] = &[
        (
            "select = [\"all\"]\nignore = [\"time-beyond-retension\"]\n",
            (2, 11),
            "did you mean `time-beyond-retention`",
        ),
        (
            "[[overrides]]\npath = \"a/*\"\n[overrides.severity]\nAH001 = \"eror\"\n",
            (4, 9),
            "did you mean `error`",
        ),
        ("[limits]\nretention-days = 0\n", (2, 18), ""),
        ("[severity]\nKQL202 = \"info\"\n", (2, 1), "not a lint rule"),
        ("select = [\"all\"]\nmax-cost = -3\n", (2, 12), "0 or more"),
        ("max-cost = \"ten\"\n", (1, 12), "whole number"),
        ("max-cots = 3\n", (1, 1), "max-cost"),
        (
            "[embedded]\nyaml-key = [\"query\"]\n",
            (2, 1),
            "did you mean `yaml-keys`",
        ),
        ("[embedded]\njson-keys = [\"\"]\n", (2, 1), "non-empty"),
        ("[embedded]\nmarkdown-tags = \"kql\"\n", (2, 17), "sequence"),
    ];

    #[test]
    fn mistakes_are_located_with_a_suggestion() {
        let failures: Vec<String> = MISTAKES
            .iter()
            .filter_map(|&(toml, (line, col), says)| match Config::parse(toml) {
                Ok(_) => Some(format!("{toml:?}: accepted")),
                Err(e) if e.starts_with(&format!("{line}:{col}: ")) && e.contains(says) => None,
                Err(e) => Some(format!("{toml:?}: want {line}:{col}: ..{says}.., got {e}")),
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(Config::parse("[limits]\nmax-rows = 20000000\n").is_err());
        assert!(Config::parse("[limits]\nmax-rows = 500000\n").is_ok());
    }

    #[test]
    fn max_cost_key() {
        let c = Config::parse("max-cost = 12\n").unwrap();
        assert_eq!(c.max_cost, Some(12));
        let s = c.settings_for(None, Settings::at_unix_ticks(0).unwrap());
        assert_eq!(s.max_cost, Some(12));
        let none = Config::parse("").unwrap();
        assert_eq!(none.settings_for(None, s.clone()).max_cost, Some(12));
        assert_eq!(Config::parse("max-cost = 0\n").unwrap().max_cost, Some(0));
    }

    #[test]
    fn embedded_section() {
        let c = Config::parse("[embedded]\nyaml-keys = [\"query\", \"kql\"]\nmarkdown-tags = []\n")
            .unwrap();
        assert_eq!(c.embedded.yaml_keys(), ["query", "kql"]);
        assert_eq!(c.embedded.json_keys(), ["query"]);
        assert!(c.embedded.markdown_tags().is_empty());
    }

    #[test]
    fn checker_codes_are_selectable() {
        let c = Config::parse("ignore = [\"KQL202\"]\n").unwrap();
        let s = c.settings_for(None, Settings::at_unix_ticks(0).unwrap());
        assert!(!s.is_code_enabled("KQL202"));
        assert!(s.is_code_enabled("KQL201"));
        let c = Config::parse("select = [\"AH\", \"KQL2\"]\n").unwrap();
        let s = c.settings_for(None, Settings::at_unix_ticks(0).unwrap());
        assert!(s.is_code_enabled("KQL206") && !s.is_code_enabled("KQL001"));
        let c = Config::parse("select = [\"AH\"]\n").unwrap();
        assert!(c
            .settings_for(None, Settings::at_unix_ticks(0).unwrap())
            .is_code_enabled("KQL001"));
    }
}

/// Validation that needs positions: every selector, severity and limit, with its line and column.
mod located {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use toml::Spanned;

    use crate::registry::RULES;

    /// The longest retention and the largest row cap accepted (ten years; 100 times the API's cap).
    pub const MAX_RETENTION_DAYS: i64 = 3650;
    pub const MAX_MAX_ROWS: i64 = 10_000_000;

    type Names = Vec<Spanned<String>>;
    type Severities = BTreeMap<Spanned<String>, Spanned<String>>;

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "kebab-case")]
    struct Located {
        #[serde(default)]
        select: Names,
        #[serde(default)]
        extend_select: Names,
        #[serde(default)]
        ignore: Names,
        #[serde(default)]
        severity: Severities,
        #[serde(default)]
        limits: Option<Limits>,
        #[serde(default)]
        overrides: Vec<Override>,
        #[serde(default)]
        embedded: Option<BTreeMap<Spanned<String>, toml::Value>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "kebab-case")]
    struct Limits {
        retention_days: Option<Spanned<i64>>,
        max_rows: Option<Spanned<i64>>,
    }

    #[derive(Deserialize)]
    struct Override {
        #[serde(default)]
        select: Names,
        #[serde(default)]
        ignore: Names,
        #[serde(default)]
        severity: Severities,
    }

    pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, col)
    }

    pub fn validate(text: &str) -> Result<(), String> {
        let Ok(c) = toml::from_str::<Located>(text) else {
            return Ok(());
        };
        let at = |span: std::ops::Range<usize>, msg: String| {
            let (l, col) = line_col(text, span.start);
            Err(format!("{l}:{col}: {msg}"))
        };
        let lists = [(&c.select, &c.ignore, &c.severity)].into_iter().chain(
            c.overrides
                .iter()
                .map(|o| (&o.select, &o.ignore, &o.severity)),
        );
        for (select, ignore, severity) in lists {
            let names = select.iter().chain(ignore).chain(severity.keys());
            for name in names.chain(&c.extend_select) {
                if !super::is_known_selector(name.get_ref()) {
                    return at(name.span(), super::unknown_selector_message(name.get_ref()));
                }
            }
            // Severities apply to rules; a checker code's severity is fixed, so naming one would
            // do nothing.
            for key in severity.keys() {
                if !RULES.iter().any(|r| r.matches(key.get_ref())) {
                    let msg = format!(
                        "`{}` is not a lint rule: only rules take a severity",
                        key.get_ref()
                    );
                    return at(key.span(), msg);
                }
            }
            for sev in severity.values() {
                if kql_diagnostics::Severity::parse(sev.get_ref()).is_none() {
                    let hint = kql_schema::suggest(sev.get_ref(), ["error", "warning", "info"])
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    let msg = format!(
                        "unknown severity `{}`{hint}; use error, warning or info",
                        sev.get_ref()
                    );
                    return at(sev.span(), msg);
                }
            }
        }
        let limits = c.limits.iter().flat_map(|l| {
            [
                (&l.retention_days, "retention-days", MAX_RETENTION_DAYS),
                (&l.max_rows, "max-rows", MAX_MAX_ROWS),
            ]
        });
        for (value, key, max) in limits {
            if let Some(v) = value.as_ref().filter(|v| !(1..=max).contains(v.get_ref())) {
                return at(
                    v.span(),
                    format!("`{key}` must be between 1 and {max}, not {}", v.get_ref()),
                );
            }
        }
        if let Some(embedded) = &c.embedded {
            embedded_keys(text, embedded)?;
        }
        Ok(())
    }

    /// `[embedded]`: known keys (with "did you mean"), each a list of non-empty names without
    /// spaces (a YAML/JSON key or a fence tag is one word).
    fn embedded_keys(
        text: &str,
        table: &BTreeMap<Spanned<String>, toml::Value>,
    ) -> Result<(), String> {
        const KEYS: [&str; 3] = ["yaml-keys", "json-keys", "markdown-tags"];
        let at = |span: std::ops::Range<usize>, msg: String| {
            let (l, col) = line_col(text, span.start);
            Err(format!("{l}:{col}: {msg}"))
        };
        for (key, value) in table {
            let name = key.get_ref();
            if !KEYS.contains(&name.as_str()) {
                let hint = kql_schema::suggest(name, KEYS)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                let msg = format!(
                    "unknown key `{name}` in [embedded]{hint}; expected yaml-keys, json-keys or markdown-tags"
                );
                return at(key.span(), msg);
            }
            let entries = value.as_array().map(|a| a.iter().map(|v| v.as_str()));
            let valid = entries.is_some_and(|mut e| {
                e.all(|v| v.is_some_and(|v| !v.is_empty() && !v.contains(char::is_whitespace)))
            });
            if !valid {
                let msg = format!(
                    "`{name}` must be a list of non-empty names without spaces, such as [\"query\"]"
                );
                return at(key.span(), msg);
            }
        }
        Ok(())
    }
}
