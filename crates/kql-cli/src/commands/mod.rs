//! One module per subcommand; each has its clap arguments and a `run`.

pub(crate) mod parse;
