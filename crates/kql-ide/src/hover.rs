//! Hover.

use crate::*;

pub(crate) fn hover(_a: &Analysis, _offset: TextSize) -> Option<Hover> {
    None
}
