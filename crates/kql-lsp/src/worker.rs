//! The analysis thread: it owns every open document's [`kql_ide::Analysis`] (which is not
//! `Send`, since the semantic model uses `Rc`) and runs all analysis off the async executor.
//!
//! Jobs arrive over a channel in the order the handlers sent them, so a request always sees the
//! text of every `didChange` the client sent before it. Each wake-up drains the queue: a document
//! update followed by a newer update of the same document in the queue is stored but not
//! analysed (stale work is dropped), and analysis is otherwise lazy (built when a job asks).
//! A panic inside a job is caught: the job answers with an error, the thread goes on.
//!
//! Only the [`KEPT_ANALYSES`] most recently used analyses are kept (the semantic model of a long
//! query is large); the others keep their text and published diagnostics and are analysed again
//! when a request needs them, which takes about a millisecond for a query-sized document.

use std::collections::{HashMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;

use kql_ide::Analysis;
use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::ls_types::{self as lsp, MessageType, Uri};

use crate::convert::Ctx;
use crate::line_index::{Encoding, LineIndex};
use crate::settings::{check_config_text, ConfigStore};

/// How many documents keep their analysis between requests.
pub const KEPT_ANALYSES: usize = 16;

/// What the thread tells the async side (sent in order, forwarded to the client in order).
#[derive(Debug)]
pub enum Event {
    Publish {
        uri: Uri,
        version: Option<i32>,
        diagnostics: Vec<lsp::Diagnostic>,
    },
    Message(MessageType, String),
    Log(MessageType, String),
}

/// A closure run on the analysis thread with the whole state.
pub type Task = Box<dyn FnOnce(&mut World) + Send>;

pub enum Job {
    Update {
        uri: Uri,
        version: i32,
        text: Arc<str>,
    },
    Close(Uri),
    Run(Task),
}

impl Job {
    fn updates(&self, other: &Uri) -> bool {
        matches!(self, Job::Update { uri, .. } | Job::Close(uri) if uri == other)
    }
}

/// What the client can take, as far as answers are shaped by it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCaps {
    pub snippets: bool,
    pub multiline_tokens: bool,
}

/// One open document on the analysis thread.
pub struct Doc {
    pub version: i32,
    pub text: Arc<str>,
    pub index: LineIndex,
    pub path: Option<PathBuf>,
    analysis: Option<Analysis>,
}

/// Everything the analysis thread owns.
pub struct World {
    pub encoding: Encoding,
    pub caps: ClientCaps,
    pub config: ConfigStore,
    docs: HashMap<Uri, Doc>,
    /// Documents with an analysis, most recently used first.
    recent: VecDeque<Uri>,
    events: UnboundedSender<Event>,
}

/// A document with its (fresh) analysis, handed to request closures.
pub struct DocView<'a> {
    pub uri: &'a Uri,
    pub doc: &'a Doc,
    pub analysis: &'a Analysis,
    pub caps: ClientCaps,
}

impl DocView<'_> {
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            uri: self.uri,
            text: &self.doc.text,
            index: &self.doc.index,
        }
    }

    pub fn offset(&self, pos: lsp::Position) -> kql_diagnostics::TextSize {
        self.doc.index.offset(&self.doc.text, pos)
    }

    pub fn text_range(&self, range: lsp::Range) -> kql_diagnostics::TextRange {
        self.doc.index.text_range(&self.doc.text, range)
    }
}

/// Starts the analysis thread; it ends when every sender of the returned channel is dropped.
pub fn spawn(events: UnboundedSender<Event>) -> mpsc::Sender<Job> {
    let (tx, rx) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("kql-analysis".into())
        .spawn(move || {
            let mut world = World {
                encoding: Encoding::default(),
                caps: ClientCaps::default(),
                config: ConfigStore::default(),
                docs: HashMap::new(),
                recent: VecDeque::new(),
                events,
            };
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                batch.extend(rx.try_iter());
                world.run_batch(batch);
            }
        })
        .expect("spawn the analysis thread");
    tx
}

impl World {
    fn run_batch(&mut self, batch: Vec<Job>) {
        let mut jobs = batch.into_iter().map(Some).collect::<Vec<_>>();
        for i in 0..jobs.len() {
            let Some(job) = jobs[i].take() else { continue };
            match job {
                Job::Update { uri, version, text } => {
                    let superseded = jobs[i + 1..].iter().flatten().any(|j| j.updates(&uri));
                    self.store(uri.clone(), version, text);
                    if !superseded {
                        self.publish(&uri);
                    }
                }
                Job::Close(uri) => {
                    self.docs.remove(&uri);
                    self.recent.retain(|u| *u != uri);
                    self.send(Event::Publish {
                        uri,
                        version: None,
                        diagnostics: Vec::new(),
                    });
                }
                Job::Run(task) => {
                    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| task(self))) {
                        let msg = format!("kql-lsp: a request panicked: {}", panic_text(&*panic));
                        self.send(Event::Log(MessageType::ERROR, msg));
                    }
                }
            }
        }
    }

    fn store(&mut self, uri: Uri, version: i32, text: Arc<str>) {
        let index = LineIndex::new(&text, self.encoding);
        let path = uri.to_file_path().map(|p| p.into_owned());
        self.recent.retain(|u| *u != uri);
        self.docs.insert(
            uri,
            Doc {
                version,
                text,
                index,
                path,
                analysis: None,
            },
        );
    }

    pub fn send(&self, event: Event) {
        let _ = self.events.send(event);
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.docs.keys().cloned().collect()
    }

    pub fn doc(&self, uri: &Uri) -> Option<&Doc> {
        self.docs.get(uri)
    }

    /// Forgets every analysis (settings changed) and publishes fresh diagnostics for all.
    pub fn recheck_all(&mut self) {
        for doc in self.docs.values_mut() {
            doc.analysis = None;
        }
        self.recent.clear();
        for uri in self.uris() {
            self.publish(&uri);
        }
    }

    /// Sets the position encoding (at `initialize`, before any document is open).
    pub fn set_encoding(&mut self, encoding: Encoding) {
        self.encoding = encoding;
        for doc in self.docs.values_mut() {
            doc.index = LineIndex::new(&doc.text, encoding);
        }
    }

    /// Runs `f` over the document's fresh analysis (`Ok(None)`: the document is not open). A
    /// panic while analysing is caught and becomes an `Err`.
    pub fn with_doc<T>(
        &mut self,
        uri: &Uri,
        f: impl FnOnce(DocView<'_>) -> T,
    ) -> Result<Option<T>, String> {
        if self.ensure_analysis(uri)?.is_none() {
            return Ok(None);
        }
        let caps = self.caps;
        let Some(doc) = self.docs.get(uri) else {
            return Ok(None);
        };
        let Some(analysis) = doc.analysis.as_ref() else {
            return Ok(None);
        };
        Ok(Some(f(DocView {
            uri,
            doc,
            analysis,
            caps,
        })))
    }

    /// Builds the analysis of `uri` if it is stale. `Ok(None)`: not open (or not KQL).
    fn ensure_analysis(&mut self, uri: &Uri) -> Result<Option<()>, String> {
        let Some(doc) = self.docs.get(uri) else {
            return Ok(None);
        };
        if is_config_file(doc) {
            return Ok(None);
        }
        if doc.analysis.is_some() {
            self.touch(uri);
            return Ok(Some(()));
        }
        let (config, problem) = self.config.ide_config(doc.path.as_deref());
        if let Some(p) = problem {
            self.send(Event::Message(MessageType::ERROR, p));
        }
        let text = doc.text.clone();
        match catch_unwind(AssertUnwindSafe(|| Analysis::new(&text, &config))) {
            Ok(a) => {
                if let Some(doc) = self.docs.get_mut(uri) {
                    doc.analysis = Some(a);
                }
                self.touch(uri);
                Ok(Some(()))
            }
            Err(panic) => {
                let msg = format!(
                    "kql-lsp: analysing {} panicked: {}",
                    uri.as_str(),
                    panic_text(&*panic)
                );
                self.send(Event::Log(MessageType::ERROR, msg.clone()));
                Err(msg)
            }
        }
    }

    /// Marks `uri`'s analysis as just used and drops the least recently used ones past
    /// [`KEPT_ANALYSES`].
    fn touch(&mut self, uri: &Uri) {
        if self.recent.front() != Some(uri) {
            self.recent.retain(|u| u != uri);
            self.recent.push_front(uri.clone());
        }
        while self.recent.len() > KEPT_ANALYSES {
            if let Some(old) = self.recent.pop_back() {
                if let Some(doc) = self.docs.get_mut(&old) {
                    doc.analysis = None;
                }
            }
        }
    }

    /// Analyses `uri` (if needed) and publishes its diagnostics, stamped with its version.
    fn publish(&mut self, uri: &Uri) {
        let diagnostics = match self.docs.get(uri) {
            Some(doc) if is_config_file(doc) => config_diagnostics(doc),
            Some(_) => match self.with_doc(uri, |v| {
                let ctx = v.ctx();
                v.analysis
                    .diagnostics()
                    .iter()
                    .map(|d| ctx.diagnostic(d))
                    .collect::<Vec<_>>()
            }) {
                Ok(Some(d)) => d,
                _ => return,
            },
            None => return,
        };
        let version = self.docs.get(uri).map(|d| d.version);
        self.send(Event::Publish {
            uri: uri.clone(),
            version,
            diagnostics,
        });
    }
}

/// A `kql.toml` open in the editor: checked as configuration, not analysed as KQL.
fn is_config_file(doc: &Doc) -> bool {
    doc.path
        .as_deref()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "kql.toml")
}

fn config_diagnostics(doc: &Doc) -> Vec<lsp::Diagnostic> {
    let Some((message, span)) = check_config_text(&doc.text) else {
        return Vec::new();
    };
    let clamp = |i: usize| kql_diagnostics::TextSize::from(i.min(doc.text.len()) as u32);
    let range = kql_diagnostics::TextRange::new(clamp(span.start), clamp(span.end.max(span.start)));
    vec![lsp::Diagnostic {
        range: doc.index.range(&doc.text, range),
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some("kql".into()),
        message: format!("{message} (the previous configuration stays in force)"),
        ..Default::default()
    }]
}

/// The message of a caught panic.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> (World, tokio::sync::mpsc::UnboundedReceiver<Event>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut world = World {
            encoding: Encoding::Utf16,
            caps: ClientCaps::default(),
            config: ConfigStore::default(),
            docs: HashMap::new(),
            recent: VecDeque::new(),
            events: tx,
        };
        world
            .config
            .set_client(&serde_json::json!({"now": "2026-11-27T00:00:00Z"}))
            .unwrap();
        (world, rx)
    }

    fn update(uri: &Uri, version: i32, text: &str) -> Job {
        Job::Update {
            uri: uri.clone(),
            version,
            text: text.into(),
        }
    }

    #[test]
    fn an_update_superseded_in_the_same_batch_is_not_analysed() {
        let (mut world, mut events) = world();
        let a: Uri = "file:///a.kql".parse().unwrap();
        let b: Uri = "file:///b.kql".parse().unwrap();
        world.run_batch(vec![
            update(&a, 1, "DeviceEvents | take 1"),
            update(&b, 1, "DeviceInfo | take 1"),
            update(&a, 2, "DeviceEvents | where"),
        ]);
        let mut published = Vec::new();
        while let Ok(Event::Publish { uri, version, .. }) = events.try_recv() {
            published.push((uri.as_str().to_string(), version));
        }
        assert_eq!(
            published,
            [
                ("file:///b.kql".to_string(), Some(1)),
                ("file:///a.kql".to_string(), Some(2))
            ]
        );
        assert_eq!(&*world.doc(&a).unwrap().text, "DeviceEvents | where");
    }
}
