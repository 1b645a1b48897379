//! The library half of the `kql` command: reading inputs, running the checks, rendering every
//! output format. The binary (`main.rs`) holds the subcommands; this half exists so benchmarks
//! can measure rendering and linting without spawning processes.

pub mod analysis;
pub mod baseline;
pub mod common;
pub mod embedded;
pub mod error;
pub mod files;
pub mod fix;
pub mod render;
pub mod settings;

pub use common::{FileReport, Format};
pub use error::CliError;
