//! `kql request`: check one query and print the JSON body to send to the hunting API.
//!
//! * The input is one query (a file or `-`), sent as one query: the API takes a single query, so
//!   there is no `--blocks`. Leading byte-order mark and trailing whitespace are not sent.
//! * Any syntax diagnostic refuses the request: the diagnostics go to standard error, nothing goes
//!   to standard output, and the exit status is 1. A control command (`KQL010`) counts, since the
//!   API does not run control commands.
//! * Otherwise the semantic checks and the lint rules run (configuration from `--config` or the
//!   nearest `kql.toml`, as with `kql lint`), their findings go to standard error in the human
//!   format, and the body goes to standard output. Findings do not fail the command unless
//!   `--fail-on` says so (default `never`: the body was produced, and `kql lint` is the gate).
//!   With a failing finding the body is still printed, and the exit status is 1.
//! * `--api defender` (default) prints `{"Query":"..."}` for `POST /api/advancedhunting/run`;
//!   `--api graph` prints `{"Query":"...","Timespan":"..."}` for Microsoft Graph
//!   `POST /security/runHuntingQuery`, `Timespan` only when `--timespan` is given (the service's
//!   default is 30 days). The timespan is validated (exit 2 when invalid) and also given to the
//!   linter, so `time-beyond-retention` judges the window actually requested. The Defender API has
//!   no timespan parameter, so `--timespan` with `--api defender` is a usage error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use kql_hunting_api::{RunHuntingQueryRequest, RunQueryRequest, Timespan};
use kql_lint::{Config, Settings};

use crate::common::{check_diagnostics, FailOn, FileReport};
use crate::{files, render, CliError, Format};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Api {
    /// Defender `POST /api/advancedhunting/run`: `{"Query": ...}`.
    Defender,
    /// Microsoft Graph `POST /security/runHuntingQuery`: `{"Query": ..., "Timespan": ...}`.
    Graph,
}

#[derive(clap::Args)]
pub(crate) struct RequestArgs {
    /// The query file, or `-` for standard input.
    pub path: String,
    /// Which API the body is for.
    #[arg(long, value_enum, default_value_t = Api::Defender)]
    pub api: Api,
    /// The Graph request's `Timespan` (`P7D`, `start/end`, `P7D/end`, `start/P7D`, `start`).
    #[arg(long)]
    pub timespan: Option<String>,
    /// "Now" for time rules, as ISO 8601 (`2026-11-27T00:00:00Z`); default: the clock.
    #[arg(long)]
    pub now: Option<String>,
    /// Configuration file (default: the nearest `kql.toml` above the file).
    #[arg(long)]
    pub config: Option<String>,
    /// Lowest lint severity that makes the exit status 1 (the body is printed regardless).
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub fail_on: FailOn,
    /// Pretty-print the JSON body.
    #[arg(long)]
    pub pretty: bool,
}

pub(crate) fn run(args: RequestArgs) -> Result<ExitCode, CliError> {
    let timespan = match (&args.timespan, args.api) {
        (Some(_), Api::Defender) => {
            return Err(CliError::Usage(
                "--timespan applies to --api graph only (the Defender API has no timespan)".into(),
            ))
        }
        (Some(t), Api::Graph) => Some(
            t.parse::<Timespan>()
                .map_err(|e| CliError::Usage(format!("--timespan: {e}")))?,
        ),
        (None, _) => None,
    };
    let now = match &args.now {
        Some(s) => kql_semantic::fold::parse_datetime(s)
            .ok_or_else(|| CliError::Usage(format!("invalid --now `{s}`")))?,
        None => Settings::default().now,
    };
    let mut settings = Settings::new(now);
    if let Some(t) = &args.timespan {
        settings = settings
            .with_timespan(t)
            .map_err(|e| CliError::Usage(format!("--timespan: {e}")))?;
    }
    let config = match &args.config {
        Some(p) => Some(Config::load(Path::new(p)).map_err(CliError::Usage)?),
        None if args.path == "-" => None,
        None => match Config::discover(Path::new(&args.path)) {
            Some(p) => Some(Config::load(&p).map_err(CliError::Usage)?),
            None => None,
        },
    };
    if let Some(c) = config {
        settings = c.settings_for((args.path != "-").then(|| Path::new(&args.path)), settings);
    }

    let mut inputs = files::collect(std::slice::from_ref(&args.path))?;
    if inputs.len() != 1 || Path::new(&args.path).is_dir() {
        return Err(CliError::Usage(format!(
            "`{}` is not one query file (kql request takes one query)",
            args.path
        )));
    }
    let input = inputs.remove(0);
    let parse = kql_syntax::parse(&input.text);
    let stderr = std::io::stderr();
    // Diagnostics go to stderr (stdout carries the request body): colour follows stderr.
    let colour = render::use_colour(&stderr);
    let mut err = stderr.lock();
    if !parse.diagnostics().is_empty() {
        let report = FileReport::new(input, parse.into_diagnostics());
        render::write_reports(&[report], Format::Human, colour, &mut err)?;
        writeln!(err, "kql: syntax errors; no request body printed")?;
        return Ok(ExitCode::from(1));
    }
    let mut diagnostics = check_diagnostics(&parse, kql_schema::Schema::advanced_hunting());
    diagnostics.extend(kql_lint::lint(&input.text, &parse, &settings));
    let failed = diagnostics.iter().any(|d| args.fail_on.fails(d.severity));

    let query = input.text.trim_end().to_string();
    let body = match args.api {
        Api::Defender => serde_json::to_value(RunQueryRequest::new(query)),
        Api::Graph => {
            let mut req = RunHuntingQueryRequest::new(query);
            if let Some(t) = timespan {
                req = req.with_timespan(t);
            }
            serde_json::to_value(req)
        }
    }
    .map_err(|e| CliError::Usage(format!("cannot serialise the request: {e}")))?;

    let report = FileReport::new(input, diagnostics);
    render::write_reports(&[report], Format::Human, colour, &mut err)?;
    err.flush()?;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let text = if args.pretty {
        serde_json::to_string_pretty(&body)
    } else {
        serde_json::to_string(&body)
    }
    .map_err(std::io::Error::from)?;
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
