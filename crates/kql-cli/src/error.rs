//! The two ways a `kql` run ends early.

/// Why a command stopped before finishing its output.
#[derive(Debug)]
pub enum CliError {
    /// The reader of our output went away (`kql ... | head`): stop quietly.
    BrokenPipe,
    /// Bad arguments or an unusable path given explicitly (exit status 2).
    Usage(String),
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Usage(e.to_string())
        }
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::from(std::io::Error::from(e))
    }
}
