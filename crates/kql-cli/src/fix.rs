//! Writing fixed files and printing diffs.
//!
//! A fixed file is written atomically (a temporary file beside it, then a rename) and keeps what
//! the reader dropped or the rename would lose: its byte-order mark and permissions. A symbolic
//! link is followed: the file it points to is rewritten and the link stays a link. A file the
//! user may not write is left alone and reported, although renaming over it would succeed.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `text` (plus the original's byte-order mark) over `path`.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let target = resolve_links(path)?;
    let meta =
        std::fs::metadata(&target).map_err(|e| format!("cannot fix `{}`: {e}", path.display()))?;
    if meta.permissions().readonly() || !writable(&target) {
        return Err(format!(
            "cannot fix `{}`: the file is not writable (left unchanged)",
            path.display()
        ));
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kql-lint.{}.tmp", std::process::id()));
    let original = std::fs::read(&target).unwrap_or_default();
    let bom = if original.starts_with(b"\xEF\xBB\xBF") {
        "\u{feff}"
    } else {
        ""
    };
    std::fs::write(&tmp, format!("{bom}{text}"))
        .map_err(|e| format!("cannot write `{}`: {e}", tmp.display()))?;
    let _ = std::fs::set_permissions(&tmp, meta.permissions());
    std::fs::rename(&tmp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot replace `{}`: {e}", path.display())
    })
}

/// The file a path finally names, following symbolic links (relative targets resolved against
/// the link's folder).
fn resolve_links(path: &Path) -> Result<PathBuf, String> {
    let mut cur = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&cur)
                    .map_err(|e| format!("cannot follow `{}`: {e}", cur.display()))?;
                cur = match cur.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            Ok(_) => return Ok(cur),
            Err(e) => return Err(format!("cannot fix `{}`: {e}", path.display())),
        }
    }
    Err(format!(
        "cannot fix `{}`: too many symbolic links",
        path.display()
    ))
}

/// Whether this process may write the file (opening it for writing, without changing it).
fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().append(true).open(path).is_ok()
}

/// A standard unified diff (3 lines of context), so `patch` and review tools read it.
pub fn write_diff(out: &mut impl Write, path: &str, old: &str, new: &str) -> std::io::Result<()> {
    let diff = similar::TextDiff::from_lines(old, new);
    write!(
        out,
        "{}",
        diff.unified_diff().context_radius(3).header(path, path)
    )
}
