//! `kql.toml` and the resolved [`Settings`] a lint run uses.
//!
//! ```toml
//! select = ["all"]                 # rule names, codes (or code prefixes) or categories
//! ignore = ["short-has-term"]
//! [severity]
//! unbounded-result = "error"
//! [limits]
//! retention-days = 30
//! max-rows = 100000
//! [[overrides]]
//! path = "legacy/*"                # glob (`*`, `**`, `?`) relative to the kql.toml directory
//! ignore = ["missing-time-filter"]
//! ```
//! The file is found by walking up from the linted file; `--config` names one explicitly.
//! Command-line `--select`/`--ignore` apply after the file's settings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kql_diagnostics::Severity;
use serde::Deserialize;

use crate::registry::{RuleMeta, RULES};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: HashMap<String, String>,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub overrides: Vec<Override>,
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

impl Config {
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        for sel in config
            .select
            .iter()
            .flatten()
            .chain(&config.ignore)
            .chain(config.severity.keys())
        {
            if !RULES.iter().any(|r| r.matches(sel)) {
                return Err(format!("unknown rule, code or category `{sel}`"));
            }
        }
        for sev in config.severity.values() {
            Severity::parse(sev).ok_or_else(|| format!("unknown severity `{sev}`"))?;
        }
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let mut c = Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
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
        s.apply_selection(self.select.as_deref(), &self.ignore, &self.severity);
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
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p {
            [] => s.is_empty(),
            [b'*', b'*', rest @ ..] => {
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (0..=s.len()).any(|i| go(rest, &s[i..]))
            }
            [b'*', rest @ ..] => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != b'/')
                .any(|i| go(rest, &s[i..])),
            [b'?', rest @ ..] => !s.is_empty() && s[0] != b'/' && go(rest, &s[1..]),
            [c, rest @ ..] => !s.is_empty() && s[0] == *c && go(rest, &s[1..]),
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
        || go(format!("**/{pattern}").as_bytes(), path.as_bytes())
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
    enabled: Vec<bool>,
    severities: Vec<Option<Severity>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::new(kql_hunting_api::UtcDateTime::now().unix_ticks())
    }
}

impl Settings {
    /// Defaults (every rule on, Advanced Hunting limits) with "now" fixed.
    pub fn new(now: i64) -> Self {
        Settings {
            now,
            retention_days: kql_hunting_api::limits::RETENTION_DAYS as u32,
            max_rows: kql_hunting_api::limits::MAX_ROWS,
            timespan: None,
            enabled: vec![true; RULES.len()],
            severities: vec![None; RULES.len()],
        }
    }

    /// Sets the request timespan (`P7D`, `start/end` ...), resolved against `now`.
    pub fn with_timespan(mut self, text: &str) -> Result<Self, String> {
        let ts: kql_hunting_api::Timespan = text
            .parse()
            .map_err(|e| format!("invalid timespan `{text}`: {e}"))?;
        let now =
            kql_hunting_api::UtcDateTime::from_unix_ticks(self.now).ok_or("`now` out of range")?;
        let (start, end) = ts
            .window(now)
            .ok_or_else(|| format!("timespan `{text}` is out of range"))?;
        self.timespan = Some((start.unix_ticks(), end.unix_ticks(), text.to_string()));
        Ok(self)
    }

    fn index(rule: &RuleMeta) -> usize {
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

    /// `select` (when given) replaces the enabled set; `ignore` removes from it.
    pub fn apply_selection(
        &mut self,
        select: Option<&[String]>,
        ignore: &[String],
        severity: &HashMap<String, String>,
    ) {
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
        let s = c.settings_for(None, Settings::new(0));
        assert_eq!(s.max_rows, 10);
        let r = crate::registry::by_name("missing-time-filter").unwrap();
        assert!(!s.is_enabled(r));
        let r = crate::registry::by_name("time-beyond-retention").unwrap();
        assert_eq!(s.severity_of(r), Severity::Error);
        assert!(Config::parse("ignore = [\"no-such-rule\"]").is_err());
    }
}
