//! `kql parse`: syntax diagnostics, or the syntax tree with `--tree`.

use std::io::Write;
use std::process::ExitCode;

use kql_cli::analysis::check_input;
use kql_cli::embedded::{self, Queries};
use kql_cli::settings::Resolver;

use crate::common::{collect_inputs, finish, parse_text, CommonArgs, FileReport};
use crate::CliError;

#[derive(clap::Args)]
pub(crate) struct ParseArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Print the syntax tree instead of diagnostics.
    #[arg(long)]
    pub tree: bool,
}

pub(crate) fn run(args: ParseArgs) -> Result<ExitCode, CliError> {
    let inputs = collect_inputs(&args.common, None)?;
    let (colour, mut out) = args.common.stdout_writer();
    let blocks = args.common.blocks;
    let resolver = Resolver::with_default_settings()?;
    if args.tree {
        for input in &inputs {
            let opts = resolver.embed_options_for(input)?;
            // A host file's queries each get a tree, headed by where they are.
            let queries = match embedded::queries(input, &opts) {
                Queries::Embedded(q) => q.into_iter().map(|e| (Some(e.label), e.query)).collect(),
                _ => vec![(None, input.text.clone())],
            };
            for (label, query) in queries {
                let parse = parse_text(&query, blocks);
                match label {
                    Some(l) => writeln!(out, "# {}: {l}", input.path)?,
                    None if inputs.len() > 1 => writeln!(out, "# {}", input.path)?,
                    None => {}
                }
                out.write_all(kql_syntax::debug_tree(&parse.syntax()).as_bytes())?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut reports = Vec::new();
    for input in inputs {
        let opts = resolver.embed_options_for(&input)?;
        let found = check_input(&input, &opts, |query| {
            parse_text(query, blocks).into_diagnostics()
        });
        if let Some(diagnostics) = found {
            reports.push(FileReport::new(input, diagnostics));
        }
    }
    finish(&reports, &args.common, colour, &mut out)
}
