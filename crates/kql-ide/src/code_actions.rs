//! Code actions.

use crate::*;

pub(crate) fn code_actions(_a: &Analysis, _r: TextRange) -> Vec<CodeAction> {
    Vec::new()
}
