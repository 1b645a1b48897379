//! `kql request`: check one query and print the JSON body to send to the hunting API.
//!
//! * The input is one query (a file or `-`), sent as one query: the API takes a single query, so
//!   there is no `--blocks`. Leading byte-order mark and trailing whitespace are not sent.
//! * An empty or comment-only query is refused (the API would run nothing), and so is a control
//!   command (`KQL010`: the API runs queries only), each with its own message.
//! * Any other syntax diagnostic refuses the request: the diagnostics go to standard error, nothing goes
//!   to standard output, and the exit status is 1. A control command (`KQL010`) counts, since the
//!   API does not run control commands.
//! * Otherwise the semantic checks (against the built-in schema and any `--schema` files) and
//!   the lint rules run (configuration from `--config` or the
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
use kql_cli::settings::Resolver;
use kql_hunting_api::{RunHuntingQueryRequest, RunQueryRequest, Timespan};
use kql_syntax::SyntaxKind;

use crate::commands::check::SchemaSourceArgs;
use crate::common::{ColorChoice, FailOn, FileReport, NowArgs};
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
    #[command(flatten)]
    pub now: NowArgs,
    /// Configuration file (default: the nearest `kql.toml` above the file).
    #[arg(long)]
    pub config: Option<String>,
    /// Lowest lint severity that makes the exit status 1 (the body is printed regardless).
    #[arg(long, value_enum, default_value_t = FailOn::Never)]
    pub fail_on: FailOn,
    /// Pretty-print the JSON body.
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub schema: SchemaSourceArgs,
    /// Colour of the findings on standard error.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
    let mut base = args.now.settings()?;
    if let Some(t) = &args.timespan {
        base = base
            .with_timespan(t)
            .map_err(|e| CliError::Usage(format!("--timespan: {e}")))?;
    }
    let schema = args.schema.load()?;
    let resolver = Resolver::new(args.config.as_deref(), base, Default::default())?;
    let discovery = files::Discovery {
        respect_gitignore: false,
        stdin_filename: None,
        config: resolver.explicit(),
        embedded: false,
    };
    if Path::new(&args.path).is_dir() {
        return Err(CliError::Usage(format!(
            "`{}` is a folder; kql request takes one query file",
            args.path
        )));
    }
    let mut inputs = files::collect(std::slice::from_ref(&args.path), &discovery, &mut |_| {})?;
    let input = inputs.remove(0);
    let (settings, _) = resolver.settings_for(&input.anchor)?;
    let stderr = std::io::stderr();
    // Diagnostics go to stderr (stdout carries the request body): colour follows stderr.
    let options = render::Options {
        format: Format::Full,
        colour: args.color.resolve(&stderr),
        summary: false,
    };
    let mut err = stderr.lock();
    if input.problem.is_some() {
        render::write_reports(&[FileReport::new(input, vec![])], &options, &mut err)?;
        return Ok(ExitCode::from(1));
    }
    let parse = kql_syntax::parse(&input.text);
    if let Some(refusal) = refusal(&parse) {
        if refusal.1 {
            let report = FileReport::new(input, parse.into_diagnostics());
            render::write_reports(&[report], &options, &mut err)?;
        }
        writeln!(err, "kql: {}; no request body printed", refusal.0)?;
        return Ok(ExitCode::from(1));
    }
    let diagnostics = kql_cli::analysis::lint_file(&input.text, false, &settings, &schema);
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
    render::write_reports(&[report], &options, &mut err)?;
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

/// Why a text cannot be sent, and whether its findings explain it: nothing but comments and
/// blanks, a control command, or syntax errors.
fn refusal(parse: &kql_syntax::Parse) -> Option<(&'static str, bool)> {
    let root = parse.syntax();
    let only_trivia = root
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .all(|t| t.kind().is_trivia() || t.kind() == SyntaxKind::EOF);
    if only_trivia {
        return Some((
            "the query is empty (nothing but blanks and comments)",
            false,
        ));
    }
    let diagnostics = parse.diagnostics();
    if diagnostics.iter().any(|d| d.code == "KQL010") {
        return Some((
            "this is a control command, not a query (the hunting API runs queries only)",
            false,
        ));
    }
    (!diagnostics.is_empty()).then_some(("syntax errors", true))
}
