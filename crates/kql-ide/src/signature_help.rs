//! Signature help.

use crate::*;

pub(crate) fn signature_help(_a: &Analysis, _offset: TextSize) -> Option<SignatureHelp> {
    None
}
