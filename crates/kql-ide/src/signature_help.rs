//! Signature help: the signatures of the call around the cursor and the parameter its argument
//! binds to.

use kql_semantic::names::call_name;
use kql_syntax::{SyntaxKind, TextSize};

use crate::signatures::{callee_signatures, resolve_callee};
use crate::{Analysis, SignatureHelp};

pub(crate) fn signature_help(a: &Analysis, offset: TextSize) -> Option<SignatureHelp> {
    let root = a.root();
    let mut token = root.token_at_offset(offset).left_biased()?;
    // Trailing whitespace of unfinished text lies outside the argument list.
    if token.kind().is_trivia() {
        token = crate::names::prev_significant(&token).unwrap_or(token);
    }
    // The innermost argument list whose `(` is before the cursor and that is still open there.
    let args = token.parent_ancestors().find(|n| {
        n.kind() == SyntaxKind::ARG_LIST
            && n.first_token()
                .is_some_and(|t| t.kind() == SyntaxKind::L_PAREN && t.text_range().end() <= offset)
            && n.last_token().is_none_or(|t| {
                t.kind() != SyntaxKind::R_PAREN
                    || t.text().is_empty()
                    || offset <= t.text_range().start()
            })
    })?;
    let call = args.parent()?;
    let name = call_name(&call)?;
    let callee = resolve_callee(a.schema(), &name, &call)?;
    let signatures = callee_signatures(&name, &callee);
    // The argument index: commas directly in the list before the cursor.
    let index = args
        .children_with_tokens()
        .filter(|e| e.kind() == SyntaxKind::COMMA && e.text_range().end() <= offset)
        .count();
    let arg_count = args
        .children_with_tokens()
        .filter(|e| e.kind() == SyntaxKind::COMMA)
        .count()
        + 1;
    let (active_signature, active_parameter) = match &callee {
        crate::signatures::Callee::Builtin(f) => {
            let pick = f
                .signatures
                .iter()
                .position(|s| s.fits_count(arg_count.max(index + 1)))
                .unwrap_or(0);
            (pick, f.signatures[pick].param_index_for(index, arg_count))
        }
        _ => {
            let n = signatures.first().map_or(0, |s| s.parameters.len());
            (0, (index < n).then_some(index))
        }
    };
    Some(SignatureHelp {
        signatures,
        active_signature,
        active_parameter,
    })
}
