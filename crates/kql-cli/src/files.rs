//! Turning command-line paths into texts: files, directories (recursively, in a stable order) and
//! standard input.

use std::io::Read;
use std::path::Path;

use crate::CliError;

/// One text to process, with the path to show for it.
pub(crate) struct Input {
    pub path: String,
    pub text: String,
}

const EXTENSIONS: &[&str] = &["kql", "csl", "kusto"];

pub(crate) fn collect(paths: &[String]) -> Result<Vec<Input>, CliError> {
    let mut inputs = Vec::new();
    for p in paths {
        if p == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| CliError::Usage(format!("cannot read standard input: {e}")))?;
            inputs.push(Input {
                path: "-".to_string(),
                text,
            });
            continue;
        }
        let path = Path::new(p);
        let meta = std::fs::metadata(path)
            .map_err(|e| CliError::Usage(format!("cannot read `{p}`: {e}")))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            for f in files {
                let text = read(&f)?;
                inputs.push(Input {
                    path: display(&f),
                    text,
                });
            }
        } else {
            inputs.push(Input {
                path: p.clone(),
                text: read(path)?,
            });
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), CliError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::Usage(format!("cannot read directory `{}`: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| CliError::Usage(e.to_string()))?;
        let path = entry.path();
        let file_type = entry
            .file_type()
            .map_err(|e| CliError::Usage(e.to_string()))?;
        if file_type.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::Usage(format!("cannot read `{}`: {e}", path.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Usage(format!("`{}` is not UTF-8 text", path.display())))?;
    // A byte-order mark is not part of the query.
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
