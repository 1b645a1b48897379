//! Symbols.

use crate::*;

pub(crate) fn document_symbols(_a: &Analysis) -> Vec<DocumentSymbol> {
    Vec::new()
}
