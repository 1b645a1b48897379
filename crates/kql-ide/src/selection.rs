//! Selection.

use crate::*;

pub(crate) fn selection_ranges(_a: &Analysis, _o: TextSize) -> Vec<TextRange> {
    Vec::new()
}
