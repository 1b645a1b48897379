//! Folding.

use crate::*;

pub(crate) fn folding_ranges(_a: &Analysis) -> Vec<Fold> {
    Vec::new()
}
