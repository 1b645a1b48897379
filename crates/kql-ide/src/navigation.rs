//! Go to definition, references, document highlights and rename, over [`occurrences_at`].

use crate::names::{parse_new_name, quote_name};
use crate::occurrences::{occurrences_at, Occurrences, TargetKind};
use crate::*;

pub(crate) fn goto_definition(a: &Analysis, offset: TextSize) -> Vec<TextRange> {
    occurrences_at(a, offset)
        .and_then(|o| o.definition)
        .into_iter()
        .collect()
}

pub(crate) fn references(
    a: &Analysis,
    offset: TextSize,
    include_declaration: bool,
) -> Vec<TextRange> {
    let Some(o) = occurrences_at(a, offset) else {
        return Vec::new();
    };
    let mut out = o.references;
    if include_declaration {
        out.extend(o.definition);
    }
    sorted(out)
}

pub(crate) fn highlights(a: &Analysis, offset: TextSize) -> Vec<Highlight> {
    let Some(o) = occurrences_at(a, offset) else {
        return Vec::new();
    };
    let mut out: Vec<Highlight> = o
        .references
        .iter()
        .map(|&range| Highlight {
            range,
            kind: HighlightKind::Read,
        })
        .chain(o.definition.map(|range| Highlight {
            range,
            kind: HighlightKind::Write,
        }))
        .collect();
    out.sort_by_key(|h| h.range.start());
    out.dedup_by_key(|h| h.range);
    out
}

/// The name's range at `offset` when it can be renamed: a `let`/`as` name, a parameter, or a
/// column defined in the document (a table's column is the table's to name).
pub(crate) fn prepare_rename(a: &Analysis, offset: TextSize) -> Result<TextRange, String> {
    let o = renameable(a, offset)?;
    let node = crate::names::name_node_at(&a.root(), offset)
        .ok_or_else(|| "no name at the cursor".to_string())?;
    let range = crate::names::trimmed_range(&node);
    debug_assert!(o.definition.is_some());
    Ok(range)
}

pub(crate) fn rename(
    a: &Analysis,
    offset: TextSize,
    new_name: &str,
) -> Result<Vec<TextEdit>, String> {
    let o = renameable(a, offset)?;
    let name =
        parse_new_name(new_name).ok_or_else(|| format!("`{new_name}` is not a valid KQL name"))?;
    let text = quote_name(&name);
    let ranges = sorted(o.references.into_iter().chain(o.definition).collect());
    Ok(ranges
        .into_iter()
        .map(|r| TextEdit::replace(r, text.clone()))
        .collect())
}

fn renameable(a: &Analysis, offset: TextSize) -> Result<Occurrences, String> {
    let o =
        occurrences_at(a, offset).ok_or_else(|| "no name to rename at the cursor".to_string())?;
    if o.definition.is_none() {
        return Err(match o.kind {
            TargetKind::Column => format!(
                "`{}` is a column of the source table; it is not defined in this query",
                o.name
            ),
            TargetKind::Symbol => format!("`{}` is not defined in this query", o.name),
        });
    }
    Ok(o)
}

fn sorted(mut ranges: Vec<TextRange>) -> Vec<TextRange> {
    ranges.sort_by_key(|r| (r.start(), r.end()));
    ranges.dedup();
    ranges
}
