//! `kql parse`: syntax diagnostics, or the syntax tree with `--tree`.

use std::io::Write;
use std::process::ExitCode;

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
    let stdout = std::io::stdout();
    let colour = args.common.color.resolve(&stdout);
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.tree {
        for input in &inputs {
            let parse = parse_text(&input.text, args.common.blocks);
            if inputs.len() > 1 {
                writeln!(out, "# {}", input.path)?;
            }
            out.write_all(kql_syntax::debug_tree(&parse.syntax()).as_bytes())?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let reports: Vec<FileReport> = inputs
        .into_iter()
        .map(|input| {
            let diagnostics = parse_text(&input.text, args.common.blocks).into_diagnostics();
            FileReport::new(input, diagnostics)
        })
        .collect();
    finish(&reports, &args.common, colour, &mut out)
}
