//! One module per subcommand; each has its clap arguments and a `run`.

pub(crate) mod check;
pub(crate) mod fmt;
pub(crate) mod lint;
pub(crate) mod lsp;
pub(crate) mod parse;
pub(crate) mod request;
pub(crate) mod rule;
pub(crate) mod schema;
