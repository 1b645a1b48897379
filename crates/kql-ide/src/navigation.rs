//! Navigation.

use crate::*;

pub(crate) fn goto_definition(_a: &Analysis, _o: TextSize) -> Vec<TextRange> {
    Vec::new()
}
pub(crate) fn references(_a: &Analysis, _o: TextSize, _d: bool) -> Vec<TextRange> {
    Vec::new()
}
pub(crate) fn highlights(_a: &Analysis, _o: TextSize) -> Vec<Highlight> {
    Vec::new()
}
pub(crate) fn prepare_rename(_a: &Analysis, _o: TextSize) -> Result<TextRange, String> {
    Err("not a name".into())
}
pub(crate) fn rename(_a: &Analysis, _o: TextSize, _n: &str) -> Result<Vec<TextEdit>, String> {
    Err("not a name".into())
}
