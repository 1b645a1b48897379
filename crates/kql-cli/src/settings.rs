//! The lint settings of each file: `--now`/`--timespan`, the `kql.toml` that applies (given with
//! `--config`, else the nearest one above the file, found once per folder), its per-path
//! overrides, then the command line's `--select`/`--extend-select`/`--ignore`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kql_embed::EmbedOptions;
use kql_lint::{Config, Settings};

use crate::common::SelectionArgs;
use crate::files::Input;
use crate::CliError;

// Ticks in a second: "now" is kept to whole seconds, so messages show datetimes to the second.
use kql_calendar::TICKS_PER_SECOND;

/// The clock, to the second.
pub fn clock_now() -> i64 {
    let now = Settings::default().now;
    now - now.rem_euclid(TICKS_PER_SECOND)
}

/// `--now` as RFC 3339 (any UTC offset), or a plain date (`2026-11-27`, midnight UTC); to the
/// second.
pub fn parse_now(text: &str) -> Result<i64, CliError> {
    match text.parse::<kql_hunting_api::UtcDateTime>() {
        Ok(t) => Ok(t.unix_ticks() - t.unix_ticks().rem_euclid(TICKS_PER_SECOND)),
        Err(e) => kql_calendar::parse_datetime(text)
            .ok()
            .filter(|_| !text.contains('T') && !text.contains('t'))
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "--now: {e} (use RFC 3339: `2026-11-27T00:00:00Z` or `2026-11-27T02:00:00+02:00`)"
                ))
            }),
    }
}

/// Every rule selector given on the command line must exist.
pub fn check_selectors<'a>(
    selectors: impl IntoIterator<Item = &'a String>,
) -> Result<(), CliError> {
    for sel in selectors {
        if !kql_lint::config::is_known_selector(sel) {
            return Err(CliError::Usage(kql_lint::config::unknown_selector_message(
                sel,
            )));
        }
    }
    Ok(())
}

/// `kql check`'s selectors: known, and each naming a code `check` reports (parser `KQL0xx`,
/// checker `KQL2xx`, host file `EMB0xx`); `all` may be selected (every code) but not ignored.
/// A lint rule's name, code or category would change nothing there, so it is refused.
pub fn check_code_selectors(selection: &SelectionArgs) -> Result<(), CliError> {
    use kql_diagnostics::codes::selects_checker_code;
    check_selectors(selection.all())?;
    let is_all = |s: &str| s.trim().eq_ignore_ascii_case("all");
    let selecting = selection.select.iter().chain(&selection.extend_select);
    if let Some(s) = selecting
        .filter(|s| !is_all(s))
        .find(|s| !selects_checker_code(s))
    {
        return Err(CliError::Usage(format!(
            "`{s}` selects lint rules only; `kql check` reports parser, checker and host-file \
             codes (KQL0xx, KQL2xx, EMB0xx): use `kql lint` for rules"
        )));
    }
    if let Some(s) = selection.ignore.iter().find(|s| !selects_checker_code(s)) {
        let why = if is_all(s) {
            "would hide every finding of `kql check`; name the codes to hide".to_string()
        } else {
            "selects lint rules only, which `kql check` does not run (use `kql lint`)".to_string()
        };
        return Err(CliError::Usage(format!("--ignore `{s}` {why}")));
    }
    Ok(())
}

/// Resolves and caches settings per file.
pub struct Resolver {
    explicit: Option<(Config, PathBuf)>,
    base: Settings,
    selection: SelectionArgs,
    folders: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    configs: Mutex<HashMap<PathBuf, Config>>,
}

impl Resolver {
    pub fn new(
        config: Option<&str>,
        base: Settings,
        selection: SelectionArgs,
    ) -> Result<Resolver, CliError> {
        let explicit = match config {
            Some(p) => Some((
                Config::load(Path::new(p)).map_err(CliError::Usage)?,
                PathBuf::from(p),
            )),
            None => None,
        };
        Ok(Resolver {
            explicit,
            base,
            selection,
            folders: Mutex::default(),
            configs: Mutex::default(),
        })
    }

    /// No `--config` and default settings: for the commands that read only a file's embedding
    /// options from the nearest `kql.toml` (`check`, `parse`).
    pub fn with_default_settings() -> Result<Resolver, CliError> {
        Resolver::new(None, Settings::default(), SelectionArgs::default())
    }

    /// `--config`'s configuration, if given.
    pub fn explicit(&self) -> Option<&Config> {
        self.explicit.as_ref().map(|(c, _)| c)
    }

    /// The configuration for the file at `anchor` (`--config`, else the nearest `kql.toml`),
    /// and where it comes from.
    fn config_for(&self, anchor: &Path) -> Result<(Option<Config>, Option<PathBuf>), CliError> {
        Ok(match &self.explicit {
            Some((c, p)) => (Some(c.clone()), Some(p.clone())),
            None => match self.discover(anchor) {
                Some(p) => (Some(self.load(&p)?), Some(p)),
                None => (None, None),
            },
        })
    }

    /// Where queries sit in `input` when it is a host file: the `[embedded]` keys of its
    /// configuration (defaults for query files, which do not need them).
    pub fn embed_options_for(&self, input: &Input) -> Result<EmbedOptions, CliError> {
        if input.kind == kql_embed::HostKind::Kql {
            return Ok(EmbedOptions::default());
        }
        self.embed_options_at(&input.anchor)
    }

    /// The `[embedded]` keys in force for a file at `anchor`, whatever its kind
    /// (`--show-settings` prints them for every file).
    pub fn embed_options_at(&self, anchor: &Path) -> Result<EmbedOptions, CliError> {
        let (config, _) = self.config_for(anchor)?;
        Ok(crate::embedded::options(config.as_ref()))
    }

    /// The settings for the file at `anchor`, and the `kql.toml` they come from.
    pub fn settings_for(&self, anchor: &Path) -> Result<(Settings, Option<PathBuf>), CliError> {
        let (config, source) = self.config_for(anchor)?;
        let mut s = match config {
            Some(c) => c.settings_for(Some(anchor), self.base.clone()),
            None => self.base.clone(),
        };
        self.selection.apply(&mut s);
        Ok((s, source))
    }

    /// One discovery per folder, not per file; a path that does not exist (standard input's
    /// `--stdin-filename`) is looked up from its folder.
    fn discover(&self, anchor: &Path) -> Option<PathBuf> {
        let dir = anchor.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut folders = self.folders.lock().expect("folder cache");
        folders
            .entry(dir.clone())
            .or_insert_with(|| {
                // The nearest folder that exists (`--stdin-filename` may name a new file).
                let existing = anchor.ancestors().find(|a| a.exists());
                match existing.filter(|e| !e.as_os_str().is_empty()) {
                    Some(e) => Config::discover(e),
                    None => Config::discover(Path::new(".")),
                }
            })
            .clone()
    }

    fn load(&self, path: &Path) -> Result<Config, CliError> {
        let mut configs = self.configs.lock().expect("config cache");
        if let Some(c) = configs.get(path) {
            return Ok(c.clone());
        }
        let c = Config::load(path).map_err(CliError::Usage)?;
        configs.insert(path.to_path_buf(), c.clone());
        Ok(c)
    }
}

/// What `--show-settings` prints for one file: the limits, every rule's and code's state, and
/// the `[embedded]` keys in force (defaults included), in the order kql.toml documents them.
pub fn describe(
    path: &str,
    settings: &Settings,
    embedded: &EmbedOptions,
    source: Option<&Path>,
) -> String {
    let from = source.map_or("built-in defaults (no kql.toml found)".to_string(), |p| {
        p.display().to_string()
    });
    let mut out = format!(
        "{path}\n  configuration: {from}\n  retention-days: {}\n  max-rows: {}\n",
        settings.retention_days, settings.max_rows
    );
    if let Some((.., text)) = &settings.timespan {
        out.push_str(&format!("  timespan: {text}\n"));
    }
    if let Some(max) = settings.max_cost {
        out.push_str(&format!("  max-cost: {max}\n"));
    }
    out.push_str("  rules:\n");
    for r in kql_lint::RULES {
        let state = if settings.is_enabled(r) {
            settings.severity_of(r).as_str()
        } else {
            "off"
        };
        out.push_str(&format!("    {:<6} {:<34} {state}\n", r.code, r.name));
    }
    out.push_str("  checker codes:\n");
    for c in kql_diagnostics::codes::CHECKER_CODES {
        let state = if settings.is_code_enabled(c.code) {
            "on"
        } else {
            "off"
        };
        out.push_str(&format!("    {:<6} {:<34} {state}\n", c.code, c.name));
    }
    out.push_str("  embedded:\n");
    for (key, values) in [
        ("yaml-keys", &embedded.yaml_keys),
        ("json-keys", &embedded.json_keys),
        ("markdown-tags", &embedded.markdown_tags),
    ] {
        // As a TOML array (`[]` when a form is off), so it can be pasted into kql.toml.
        let quoted: Vec<String> = values
            .iter()
            .map(|v| serde_json::to_string(v).expect("a string serializes"))
            .collect();
        out.push_str(&format!("    {key:<13} [{}]\n", quoted.join(", ")));
    }
    out
}
