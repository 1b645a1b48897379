//! The open documents' texts and versions, as the client last sent them.
//!
//! `didChange` handlers apply their edits here synchronously, before their first `.await`, so
//! the order of edits is the order the client sent them even though handlers run concurrently.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::line_index::{Encoding, LineIndex};

#[derive(Debug)]
pub struct Document {
    pub version: i32,
    pub text: Arc<str>,
}

/// Why a change was not applied.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeError {
    NotOpen,
    /// The change is for a version not newer than the one we hold.
    Stale {
        have: i32,
        got: i32,
    },
}

#[derive(Debug, Default)]
pub struct Documents {
    docs: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, version: i32, text: String) -> Arc<str> {
        let text: Arc<str> = text.into();
        self.docs.insert(
            uri,
            Document {
                version,
                text: text.clone(),
            },
        );
        text
    }

    pub fn close(&mut self, uri: &Uri) {
        self.docs.remove(uri);
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub fn uris(&self) -> impl Iterator<Item = &Uri> {
        self.docs.keys()
    }

    /// Applies `changes` in order (each range is relative to the text after the previous
    /// change) and returns the new text.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Result<Arc<str>, ChangeError> {
        let doc = self.docs.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        if version <= doc.version {
            return Err(ChangeError::Stale {
                have: doc.version,
                got: version,
            });
        }
        let mut text = doc.text.to_string();
        for change in changes {
            apply_change(&mut text, change, encoding);
        }
        doc.version = version;
        doc.text = text.into();
        Ok(doc.text.clone())
    }
}

/// Applies one content change: a range replacement, or the whole text when it has no range.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        Some(range) => {
            let index = LineIndex::new(text, encoding);
            let r = index.text_range(text, range);
            text.replace_range(
                u32::from(r.start()) as usize..u32::from(r.end()) as usize,
                &change.text,
            );
        }
        None => *text = change.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn batched_changes_apply_in_order_and_old_versions_are_refused() {
        let uri: Uri = "file:///q.kql".parse().unwrap();
        let mut docs = Documents::default();
        docs.open(uri.clone(), 1, "T\n| take 1".into());
        let text = docs
            .change(
                &uri,
                2,
                vec![edit(1, 7, 1, 8, "10"), edit(0, 1, 0, 1, "able")],
                Encoding::Utf16,
            )
            .unwrap();
        assert_eq!(&*text, "Table\n| take 10");
        let stale = docs.change(&uri, 2, vec![edit(0, 0, 0, 0, "x")], Encoding::Utf16);
        assert_eq!(stale, Err(ChangeError::Stale { have: 2, got: 2 }));
        assert_eq!(&*docs.get(&uri).unwrap().text, "Table\n| take 10");
    }
}
