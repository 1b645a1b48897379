//! `kql rule NAME` prints a rule's or a checker code's documentation; `kql rule --all` lists
//! them all (`--output-format json` for tools).

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use serde_json::json;

use crate::CliError;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum ListFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
pub(crate) struct RuleArgs {
    /// Rule name (kebab-case) or code (`AH001`, `KQL202`).
    #[arg(conflicts_with = "all", required_unless_present = "all")]
    pub name: Option<String>,
    /// List every rule and checker code: code, name, category, default severity, fix availability.
    #[arg(long)]
    pub all: bool,
    /// Output format (`--format` is an alias).
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = ListFormat::Text)]
    pub output_format: ListFormat,
}

pub(crate) fn run(args: RuleArgs) -> Result<ExitCode, CliError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let json = args.output_format == ListFormat::Json;
    let Some(name) = args.name.filter(|_| !args.all) else {
        if json {
            write_json(&mut out, &all_entries())?;
        } else {
            write_table(&mut out)?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(r) = kql_lint::registry::by_name(&name) {
        if json {
            write_json(&mut out, &rule_entry(r, true))?;
        } else {
            writeln!(out, "# {} ({})\n", r.name, r.code)?;
            writeln!(
                out,
                "Category: {} · default severity: {} · cost weight: {}{}\n",
                r.category.as_str(),
                r.severity.as_str(),
                r.weight,
                if kql_lint::cost::SCALED.contains(&r.name) {
                    " (× table size, see `kql lint --max-cost`)"
                } else {
                    ""
                }
            )?;
            writeln!(out, "{}", r.documentation().trim_end())?;
        }
    } else if let Some(c) = kql_diagnostics::codes::checker_code(&name) {
        if json {
            write_json(&mut out, &code_entry(c))?;
        } else {
            writeln!(out, "# {} ({})\n", c.name, c.code)?;
            writeln!(
                out,
                "Category: {} · reported by `kql {}`\n",
                c.category,
                reporter(c)
            )?;
            writeln!(out, "{}\n\n{}", c.summary, c.details)?;
            writeln!(
                out,
                "\nSelect or ignore it with `{}` in --select/--ignore or kql.toml; silence one \
                 with `// kql-lint: disable-next-line {}`.",
                c.code, c.code
            )?;
        }
    } else {
        let hint = kql_lint::config::suggest_selector(&name)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(CliError::Usage(format!(
            "unknown rule `{name}`{hint} (see `kql rule --all`)"
        )));
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_json(out: &mut impl Write, value: &serde_json::Value) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

fn reporter(c: &kql_diagnostics::codes::CodeDoc) -> &'static str {
    match c.category {
        "semantic" => "check` and `kql lint",
        _ => "parse`, `kql check` and `kql lint",
    }
}

fn fix_kind(fix: kql_lint::FixAvailability) -> &'static str {
    match fix {
        kql_lint::FixAvailability::Safe => "fix",
        kql_lint::FixAvailability::Unsafe => "unsafe-fix",
        kql_lint::FixAvailability::None => "-",
    }
}

fn write_table(out: &mut impl Write) -> std::io::Result<()> {
    for r in kql_lint::RULES {
        writeln!(
            out,
            "{:<6} {:<34} {:<12} {:<8} {:<10} {}",
            r.code,
            r.name,
            r.category.as_str(),
            r.severity.as_str(),
            fix_kind(r.fix),
            r.summary()
        )?;
    }
    for c in kql_diagnostics::codes::CHECKER_CODES {
        let severity = if c.code == "KQL010" || c.code == "KQL206" {
            "warning"
        } else {
            "error"
        };
        let fix = if c.code == "KQL206" { "fix" } else { "-" };
        writeln!(
            out,
            "{:<6} {:<34} {:<12} {:<8} {:<10} {}",
            c.code, c.name, c.category, severity, fix, c.summary
        )?;
    }
    Ok(())
}

fn rule_entry(r: &kql_lint::RuleMeta, doc: bool) -> serde_json::Value {
    let mut v = json!({
        "code": r.code,
        "name": r.name,
        "category": r.category.as_str(),
        "severity": r.severity.as_str(),
        "fix": fix_kind(r.fix),
        "weight": r.weight,
        "summary": r.summary(),
    });
    if doc {
        v["documentation"] = json!(r.documentation());
    }
    v
}

fn code_entry(c: &kql_diagnostics::codes::CodeDoc) -> serde_json::Value {
    json!({
        "code": c.code,
        "name": c.name,
        "category": c.category,
        "fix": if c.code == "KQL206" { "fix" } else { "-" },
        "summary": c.summary,
        "documentation": c.details,
    })
}

fn all_entries() -> serde_json::Value {
    let rules = kql_lint::RULES.iter().map(|r| rule_entry(r, true));
    let codes = kql_diagnostics::codes::CHECKER_CODES.iter().map(code_entry);
    serde_json::Value::Array(rules.chain(codes).collect())
}
