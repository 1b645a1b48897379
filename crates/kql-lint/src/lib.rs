//! Lint rules for KQL in Microsoft Defender Advanced Hunting.
//!
//! The shape follows ruff: each rule lives in its own file under `rules/` with a doc comment that
//! *is* its documentation (what it does, why it matters, example, use instead, fix safety), a
//! struct named after the pattern it flags, its message, and one reporting function. Its header
//! (`declare_rule!`) declares its stable code, kebab-case name, category, default severity, fix
//! availability and cost weight; [`registry::RULES`] lists the rules, one line each.
//! Rules never edit text: a fix is data ([`kql_diagnostics::Fix`]) attached to the diagnostic.
//!
//! Entry point: [`lint`] (rules + suppressions over one parsed text) with [`Settings`] ("now",
//! limits, `--timespan`, selected rules, severities), usually built from a [`config::Config`].
//!
//! Inline suppressions (see [`suppress`]): `// kql-lint: disable-next-line rule-a, rule-b` and
//! `// kql-lint: disable-file rule-a` (rule names or codes; `all` for every rule).
//!
//! Snapshot tests (see [`snapshot`]): `snapshot::lint_snapshot(path, text, &settings, schema)`
//! renders a file's findings as stable plain text, one `concise` line each (the CLI's own
//! `--output-format concise` line), for insta snapshots of detection repositories.

pub mod analysis;
pub mod checker;
pub mod config;
pub mod cost;
pub mod registry;
pub mod rules;
pub mod snapshot;
pub mod suppress;

pub use checker::Checker;
pub use config::{Config, Settings};
pub use registry::{Category, FixAvailability, RuleMeta, RULES};

use kql_diagnostics::Diagnostic;

/// Runs every enabled rule over `parse` (the parse of `text`), applies inline suppressions and
/// reports unused ones (entries naming parser or checker codes are judged by
/// [`check_and_lint`], which has those findings). Diagnostics come sorted by position. Tables and their time columns come
/// from the built-in Advanced Hunting schema; see [`lint_with_schema`] for others.
pub fn lint(text: &str, parse: &kql_syntax::Parse, settings: &Settings) -> Vec<Diagnostic> {
    lint_with_schema(
        text,
        parse,
        settings,
        kql_schema::Schema::advanced_hunting(),
    )
}

/// [`lint`] with the tables (and time columns) of `schema`, e.g. the built-in schema merged with
/// a user's own tables, so the time rules cover those tables too.
pub fn lint_with_schema(
    text: &str,
    parse: &kql_syntax::Parse,
    settings: &Settings,
    schema: &kql_schema::Schema,
) -> Vec<Diagnostic> {
    let model = kql_semantic::analyze(parse, schema);
    lint_with_model(text, parse, settings, schema, &model)
}

/// [`lint_with_schema`] over the semantic `model` the caller already built for `parse` against
/// `schema` (with [`kql_semantic::analyze`]): the rules ask it for types, tables and names.
pub fn lint_with_model(
    text: &str,
    parse: &kql_syntax::Parse,
    settings: &Settings,
    schema: &kql_schema::Schema,
    model: &kql_semantic::Model,
) -> Vec<Diagnostic> {
    let checker = Checker::with_model(text, parse.syntax(), settings, schema, model);
    let out = rule_findings(&checker, parse);
    sorted(suppress::apply(
        text,
        &parse.syntax(),
        out,
        settings,
        suppress::Given::RuleFindings,
    ))
}

/// The findings of the rules `checker.settings` enables over `parse` (the checker's tree),
/// before suppressions.
fn rule_findings(checker: &Checker, parse: &kql_syntax::Parse) -> Vec<Diagnostic> {
    let settings = checker.settings;
    let mut out = Vec::new();
    for rule in RULES {
        if !settings.is_enabled(rule) || rule.name == suppress::UNUSED_SUPPRESSION {
            continue;
        }
        let severity = settings.severity_of(rule);
        for d in (rule.check)(checker) {
            debug_assert!(
                rule.fix.allows(d.fix.as_ref()),
                "{} attached a fix its header does not declare (fix: {:?}): {:?}",
                rule.name,
                rule.fix,
                d.fix
            );
            let mut d = d.with_rule(rule.name);
            d.code = rule.code.to_string();
            d.severity = severity;
            out.push(d);
        }
    }
    out.extend(checker.timespan_diagnostics().into_iter().filter_map(|d| {
        let rule = registry::by_name(d.rule.as_deref()?)?;
        settings.is_enabled(rule).then(|| {
            let mut d = d;
            d.code = rule.code.to_string();
            d.severity = settings.severity_of(rule);
            d
        })
    }));
    // Nothing about a statement the parser cut short (KQL004): the rules would judge text it
    // never read.
    if let Some(cut) = kql_semantic::cut_short_at(parse) {
        out.retain(|d| d.range.end() <= cut);
    }
    out
}

/// Rule findings by position, each reported once.
fn sorted(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // Compared in place: a key function would clone the code for every comparison.
    out.sort_by(|a, b| {
        (a.range.start(), a.range.end(), &a.code).cmp(&(b.range.start(), b.range.end(), &b.code))
    });
    out.dedup_by(|a, b| a.code == b.code && a.range == b.range && a.message == b.message);
    out
}

/// What `kql lint` knows about one parsed text: the semantic model and every diagnostic, in the
/// order the CLI reports them (syntax, then semantic, then rules). The CLI and the editor
/// features both start here, so an editor shows exactly what `kql lint` prints.
#[derive(Debug)]
pub struct LintReport {
    pub model: kql_semantic::Model,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the semantic checker and the rules over `parse` (the parse of `text`) against `schema`.
/// Parser and checker findings (`KQL0xx`, `KQL2xx`) follow the selection
/// ([`Settings::is_code_enabled`]) and the suppression comments as rule findings do, and an
/// unused suppression of such a code is reported: this is the one place that does it, so the
/// CLI, the editor and [`snapshot`] agree.
pub fn check_and_lint(
    text: &str,
    parse: &kql_syntax::Parse,
    settings: &Settings,
    schema: &kql_schema::Schema,
) -> LintReport {
    let model = kql_semantic::analyze(parse, schema);
    let mut all: Vec<Diagnostic> = parse
        .diagnostics()
        .iter()
        .chain(model.diagnostics())
        .filter(|d| settings.is_code_enabled(&d.code))
        .cloned()
        .collect();
    let checker = Checker::with_model(text, parse.syntax(), settings, schema, &model);
    all.extend(rule_findings(&checker, parse));
    // The checker borrows the model, which the report takes.
    drop(checker);
    let kept = suppress::apply(
        text,
        &parse.syntax(),
        all,
        settings,
        suppress::Given::Everything,
    );
    // Syntax and semantic findings first, in their order; then the rules', by position.
    let (mut diagnostics, rules): (Vec<_>, Vec<_>) =
        kept.into_iter().partition(|d| d.rule.is_none());
    diagnostics.extend(sorted(rules));
    LintReport { model, diagnostics }
}

/// Parses and lints `text` with the given settings (rules only, no syntax diagnostics).
pub fn lint_text(text: &str, settings: &Settings) -> Vec<Diagnostic> {
    lint(text, &kql_syntax::parse(text), settings)
}
