//! What each document is analysed with: the client's settings, the nearest `kql.toml` and the
//! schema files, resolved into a [`kql_ide::IdeConfig`].
//!
//! Order of precedence (the same as `kql lint`, where client settings play the command-line
//! flags): built-in defaults, then the nearest `kql.toml` (with its overrides for the file), then
//! the client's limits, `select`, `ignore` and `severity`. `kql.toml` is found by walking up from
//! the document's directory, stopping at the root of the workspace folder that holds it.
//!
//! Bad input never replaces good: a `kql.toml` that fails to load, a schema file that fails to
//! parse, or client settings that name unknown rules are reported (the caller shows the message)
//! and the last good value stays in force.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kql_ide::IdeConfig;
use kql_lint::{Config, Settings};
use kql_schema::Schema;
use serde::Deserialize;

/// The client's settings (`initializationOptions`, `workspace/didChangeConfiguration`), either
/// at the top level or under a `kql` key. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ClientSettings {
    /// User schema files merged over the built-in schema (relative to the first workspace folder).
    pub schema_files: Vec<String>,
    /// Start from an empty schema instead of the built-in Advanced Hunting one.
    pub no_builtin_schema: bool,
    pub retention_days: Option<u32>,
    pub max_rows: Option<u64>,
    /// Rules to enable (replacing the configured set), as `kql lint --select`.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    /// Rule (name, code, prefix or category) → `error` / `warning` / `info`.
    pub severity: HashMap<String, String>,
    /// Split documents into blank-line-separated queries, as `kql lint --blocks`.
    pub blocks: bool,
    /// Show the time-window and row-bound inlay hints.
    pub inlay_hints: Option<bool>,
    /// "Now" for the time rules (ISO 8601); default: the clock at each analysis.
    pub now: Option<String>,
    /// The request `Timespan` the time rules assume (`P7D`, `start/end`), as `kql lint --timespan`.
    pub timespan: Option<String>,
}

impl ClientSettings {
    /// Reads settings from a JSON value (`{"kql": {...}}` or `{...}`); `null` gives defaults.
    pub fn from_json(value: &serde_json::Value) -> Result<ClientSettings, String> {
        if value.is_null() {
            return Ok(ClientSettings::default());
        }
        let inner = value.get("kql").unwrap_or(value);
        let s: ClientSettings = serde_json::from_value(inner.clone())
            .map_err(|e| format!("invalid kql settings: {e}"))?;
        s.validate()?;
        Ok(s)
    }

    fn validate(&self) -> Result<(), String> {
        let selectors = self.select.iter().flatten().chain(&self.ignore);
        for sel in selectors.chain(self.severity.keys()) {
            if !kql_lint::RULES.iter().any(|r| r.matches(sel)) {
                return Err(format!(
                    "invalid kql settings: unknown rule, code or category `{sel}`"
                ));
            }
        }
        for sev in self.severity.values() {
            kql_diagnostics::Severity::parse(sev)
                .ok_or_else(|| format!("invalid kql settings: unknown severity `{sev}`"))?;
        }
        if let Some(now) = &self.now {
            kql_semantic::fold::parse_datetime(now)
                .ok_or_else(|| format!("invalid kql settings: `now` is not a datetime: `{now}`"))?;
        }
        if let Some(ts) = &self.timespan {
            Settings::default().with_timespan(ts)?;
        }
        Ok(())
    }
}

/// A message for the user about configuration (shown with `window/showMessage`).
pub type Problem = String;

/// Client settings, schema, workspace folders and `kql.toml` files, with last-good fallbacks.
#[derive(Debug)]
pub struct ConfigStore {
    client: ClientSettings,
    schema: Arc<Schema>,
    roots: Vec<PathBuf>,
    /// Directory → the `kql.toml` that governs it (cleared when watched files change).
    discovered: HashMap<PathBuf, Option<PathBuf>>,
    /// Last good configuration of each `kql.toml` seen.
    loaded: HashMap<PathBuf, Config>,
    /// `kql.toml` files whose current content failed to load (and was reported).
    failed: HashMap<PathBuf, String>,
}

impl Default for ConfigStore {
    fn default() -> Self {
        ConfigStore {
            client: ClientSettings::default(),
            schema: kql_ide::builtin_schema(),
            roots: Vec::new(),
            discovered: HashMap::new(),
            loaded: HashMap::new(),
            failed: HashMap::new(),
        }
    }
}

impl ConfigStore {
    pub fn client(&self) -> &ClientSettings {
        &self.client
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    pub fn set_roots(&mut self, roots: Vec<PathBuf>) {
        self.roots = roots;
        self.discovered.clear();
    }

    /// Takes new client settings; reloads the schema when its files changed. On error the
    /// previous settings (and schema) stay.
    pub fn set_client(&mut self, value: &serde_json::Value) -> Result<(), Problem> {
        let new = ClientSettings::from_json(value)?;
        let schema_changed = new.schema_files != self.client.schema_files
            || new.no_builtin_schema != self.client.no_builtin_schema;
        let old = std::mem::replace(&mut self.client, new);
        if schema_changed {
            if let Err(e) = self.reload_schema() {
                self.client = old;
                return Err(e);
            }
        }
        Ok(())
    }

    /// Rebuilds the schema from the schema files (after one of them changed on disk).
    pub fn reload_schema(&mut self) -> Result<(), Problem> {
        if self.client.schema_files.is_empty() && !self.client.no_builtin_schema {
            self.schema = kql_ide::builtin_schema();
            return Ok(());
        }
        let mut schema = if self.client.no_builtin_schema {
            Schema::empty()
        } else {
            Schema::advanced_hunting().clone()
        };
        for file in &self.client.schema_files {
            let path = self.resolve(file);
            let user = Schema::load_file(&path)
                .map_err(|e| format!("kql: schema file `{}`: {e}", path.display()))?;
            schema.merge(user);
        }
        self.schema = Arc::new(schema);
        Ok(())
    }

    /// The schema files, as absolute paths (for watching).
    pub fn schema_paths(&self) -> Vec<PathBuf> {
        self.client
            .schema_files
            .iter()
            .map(|f| self.resolve(f))
            .collect()
    }

    /// Forgets discovered and loaded `kql.toml` files, so the next analysis reads them again.
    pub fn forget_files(&mut self) {
        self.discovered.clear();
        self.loaded.clear();
        self.failed.clear();
    }

    /// The configuration for the document at `path` (`None`: not a file), and a problem to
    /// report when its `kql.toml` failed to load just now.
    pub fn ide_config(&mut self, path: Option<&Path>) -> (IdeConfig, Option<Problem>) {
        let now = match self.client.now.as_deref() {
            Some(n) => kql_semantic::fold::parse_datetime(n).unwrap_or_default(),
            None => Settings::default().now,
        };
        let mut lint = Settings::at_unix_ticks(now).unwrap_or_default();
        if let Some(ts) = &self.client.timespan {
            if let Ok(s) = lint.clone().with_timespan(ts) {
                lint = s;
            }
        }
        let mut problem = None;
        if let Some(path) = path {
            let (config, p) = self.config_for(path);
            problem = p;
            if let Some(config) = config {
                lint = config.settings_for(Some(path), lint);
            }
        }
        let c = &self.client;
        if let Some(days) = c.retention_days {
            lint.retention_days = days;
        }
        if let Some(rows) = c.max_rows {
            lint.max_rows = rows;
        }
        lint.apply_selection(c.select.as_deref(), &c.ignore, &c.severity);
        let config = IdeConfig {
            lint,
            schema: self.schema.clone(),
            blocks: c.blocks,
            inlay_hints: c.inlay_hints.unwrap_or(true),
            format: Default::default(),
        };
        (config, problem)
    }

    fn config_for(&mut self, file: &Path) -> (Option<Config>, Option<Problem>) {
        let dir = file.parent().unwrap_or(Path::new("/")).to_path_buf();
        let found = match self.discovered.get(&dir) {
            Some(f) => f.clone(),
            None => {
                let f = self.discover(&dir);
                self.discovered.insert(dir, f.clone());
                f
            }
        };
        let Some(toml) = found else {
            return (None, None);
        };
        if self.loaded.contains_key(&toml) || self.failed.contains_key(&toml) {
            return (self.loaded.get(&toml).cloned(), None);
        }
        match Config::load(&toml) {
            Ok(c) => {
                self.loaded.insert(toml, c.clone());
                (Some(c), None)
            }
            Err(e) => {
                self.failed.insert(toml.clone(), e.clone());
                let msg = format!("kql: {e} (the previous configuration stays in force)");
                (self.loaded.get(&toml).cloned(), Some(msg))
            }
        }
    }

    /// Re-reads one `kql.toml` that changed on disk, keeping its last good content on error.
    pub fn reload_config(&mut self, toml: &Path) -> Option<Problem> {
        self.discovered.clear();
        self.failed.remove(toml);
        match Config::load(toml) {
            Ok(c) => {
                self.loaded.insert(toml.to_path_buf(), c);
                None
            }
            Err(e) if toml.exists() => {
                self.failed.insert(toml.to_path_buf(), e.clone());
                Some(format!(
                    "kql: {e} (the previous configuration stays in force)"
                ))
            }
            Err(_) => {
                self.loaded.remove(toml);
                None
            }
        }
    }

    /// The nearest `kql.toml` at or above `dir`, not above the workspace folder holding `dir`.
    fn discover(&self, dir: &Path) -> Option<PathBuf> {
        let root = self
            .roots
            .iter()
            .filter(|r| dir.starts_with(r))
            .max_by_key(|r| r.as_os_str().len());
        let mut cur = Some(dir);
        while let Some(d) = cur {
            let candidate = d.join("kql.toml");
            if candidate.is_file() {
                return Some(candidate);
            }
            if Some(d) == root.map(PathBuf::as_path) {
                return None;
            }
            cur = d.parent();
        }
        None
    }

    fn resolve(&self, file: &str) -> PathBuf {
        let p = Path::new(file);
        match self.roots.first() {
            Some(root) if p.is_relative() => root.join(p),
            _ => p.to_path_buf(),
        }
    }
}

/// Checks the text of a `kql.toml` open in the editor: the message and the byte range to mark.
pub fn check_config_text(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    if let Err(e) = toml::from_str::<Config>(text) {
        let span = e.span().unwrap_or(0..0);
        return Some((e.message().to_string(), span));
    }
    Config::parse(text).err().map(|e| (e, 0..0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_settings_nested_or_flat_and_validated() {
        let s = ClientSettings::from_json(&json!({"kql": {"retentionDays": 7, "blocks": true}}))
            .unwrap();
        assert_eq!(s.retention_days, Some(7));
        assert!(s.blocks);
        let s = ClientSettings::from_json(&json!({"maxRows": 10})).unwrap();
        assert_eq!(s.max_rows, Some(10));
        assert!(ClientSettings::from_json(&json!({"ignore": ["no-such-rule"]})).is_err());
        assert!(ClientSettings::from_json(&json!({"retentionDays": "x"})).is_err());
    }

    #[test]
    fn bad_kql_toml_keeps_the_last_good_one() {
        let dir = std::env::temp_dir().join(format!("kql-lsp-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let toml = dir.join("kql.toml");
        let file = dir.join("q.kql");
        std::fs::write(&toml, "[limits]\nmax-rows = 5\n").unwrap();
        let mut store = ConfigStore::default();
        store.set_roots(vec![dir.clone()]);
        let (c, p) = store.ide_config(Some(&file));
        assert_eq!((c.lint.max_rows, p), (5, None));
        std::fs::write(&toml, "[limits\n").unwrap();
        let problem = store.reload_config(&toml).expect("reported");
        assert!(problem.contains("kql.toml"), "{problem}");
        let (c, p) = store.ide_config(Some(&file));
        assert_eq!((c.lint.max_rows, p), (5, None));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(check_config_text("[limits]\nmax-rowz = 1\n").is_some());
        assert!(check_config_text("ignore = [\"nope\"]").is_some());
        assert!(check_config_text("[limits]\nmax-rows = 1\n").is_none());
    }
}
