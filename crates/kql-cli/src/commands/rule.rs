//! `kql rule NAME` prints a lint rule's documentation; `kql rule --all` lists every rule.

use std::io::Write;
use std::process::ExitCode;

use crate::CliError;

#[derive(clap::Args)]
pub(crate) struct RuleArgs {
    /// Rule name (kebab-case) or code (`AH001`).
    pub name: Option<String>,
    /// List every rule: code, name, category, default severity, fix availability.
    #[arg(long)]
    pub all: bool,
}

pub(crate) fn run(args: RuleArgs) -> Result<ExitCode, CliError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.all || args.name.is_none() {
        for r in kql_lint::RULES {
            let fix = match r.fix {
                Some(true) => "fix",
                Some(false) => "unsafe-fix",
                None => "-",
            };
            writeln!(
                out,
                "{:<6} {:<34} {:<12} {:<8} {:<10} {}",
                r.code,
                r.name,
                r.category.as_str(),
                r.severity.as_str(),
                fix,
                r.summary()
            )?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.name.unwrap_or_default();
    let Some(r) = kql_lint::registry::by_name(&name) else {
        return Err(CliError::Usage(format!(
            "unknown rule `{name}` (see `kql rule --all`)"
        )));
    };
    writeln!(out, "# {} ({})\n", r.name, r.code)?;
    writeln!(
        out,
        "Category: {} · default severity: {}\n",
        r.category.as_str(),
        r.severity.as_str()
    )?;
    writeln!(out, "{}", r.documentation().trim_end())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
