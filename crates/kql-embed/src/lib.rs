//! KQL queries embedded in host files: finding them, mapping positions between the query and the
//! host, and writing changed queries back. (Full documentation follows with the implementation.)

use std::ops::Range;
use std::path::Path;

#[allow(dead_code)] // used by the host parsers, which follow
mod map;

use map::OffsetMap;

/// The kind of file a query is embedded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostKind {
    /// A plain query file: the whole file is one query (identity map).
    Kql,
    /// YAML (Sentinel analytic rules, hunting queries).
    Yaml,
    /// Markdown with fenced code blocks.
    Markdown,
    /// JSON (ARM templates, Defender exports); comments and trailing commas are accepted.
    Json,
}

impl HostKind {
    /// The host kind for a file name by its extension (case-insensitive): `.kql`/`.csl`/`.kusto`,
    /// `.yaml`/`.yml`, `.md`/`.markdown`, `.json`.
    pub fn from_path(path: &Path) -> Option<HostKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "kql" | "csl" | "kusto" => Some(HostKind::Kql),
            "yaml" | "yml" => Some(HostKind::Yaml),
            "md" | "markdown" => Some(HostKind::Markdown),
            "json" => Some(HostKind::Json),
            _ => None,
        }
    }
}

/// Which keys and fence tags hold queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedOptions {
    /// YAML mapping keys whose values are queries, at any depth. Default `["query"]`.
    pub yaml_keys: Vec<String>,
    /// JSON object keys whose string values are queries, at any depth. Default `["query"]`.
    pub json_keys: Vec<String>,
    /// Markdown fence info-string first words (case-insensitive). Default `["kql", "kusto", "csl"]`.
    pub markdown_tags: Vec<String>,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            yaml_keys: vec!["query".into()],
            json_keys: vec!["query".into()],
            markdown_tags: vec!["kql".into(), "kusto".into(), "csl".into()],
        }
    }
}

/// A value read from the host next to a query, with its host byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostValue {
    /// The decoded value (a YAML scalar's value, a JSON string's contents).
    pub text: String,
    /// Host bytes of the value as written (including quotes).
    pub range: Range<usize>,
}

/// Metadata read next to a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Sentinel's `queryPeriod`: a sibling key of the query key in the same YAML mapping or JSON
    /// object, when its value is a scalar / string.
    pub query_period: Option<HostValue>,
}

/// One query found in a host file.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The decoded query text (what the linter sees).
    pub query: String,
    /// Where it came from, for notes: `query` key path, or "```kql fence at line 12".
    pub label: String,
    /// Host bytes the value occupies.
    pub host_range: Range<usize>,
    /// Metadata read next to the query.
    pub metadata: Metadata,
    map: OffsetMap,
}

impl Embedded {
    /// The host byte offset (as stored, a BOM counts) of the byte that produced query byte
    /// `query_offset`; `query.len()` maps to the end of the value's content.
    pub fn to_host(&self, query_offset: usize) -> usize {
        self.map.to_host(query_offset)
    }

    /// The host range covering exactly the source bytes of query range `r`.
    pub fn range_to_host(&self, r: Range<usize>) -> Range<usize> {
        self.map.range_to_host(r)
    }

    /// The host edit that replaces this query by `new_query`.
    pub fn replacement(&self, host: &str, new_query: &str) -> Result<HostEdit, Unrepresentable> {
        let _ = (host, new_query);
        Err(Unrepresentable {
            reason: "not implemented yet".into(),
        })
    }
}

/// A replacement of host bytes `range` by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEdit {
    /// Host bytes replaced.
    pub range: Range<usize>,
    /// The new text.
    pub text: String,
}

/// Why a query cannot be written back into its host form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrepresentable {
    /// A sentence for a note.
    pub reason: String,
}

impl std::fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

/// A host file that cannot be read (a YAML or JSON syntax error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedError {
    /// What is wrong.
    pub message: String,
    /// Host byte offset (as stored, a BOM counts).
    pub offset: usize,
    /// `EMB001` YAML syntax error, `EMB002` tab indentation in YAML, `EMB003` JSON syntax error.
    pub code: &'static str,
}

impl std::fmt::Display for EmbedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EmbedError {}

/// The queries embedded in `host` (the file's text as stored, BOM included if present).
pub fn extract(
    kind: HostKind,
    host: &str,
    opts: &EmbedOptions,
) -> Result<Vec<Embedded>, EmbedError> {
    let _ = opts;
    match kind {
        HostKind::Kql => {
            let start = if host.starts_with('\u{feff}') { 3 } else { 0 };
            Ok(vec![Embedded {
                query: host[start..].to_string(),
                label: "file".into(),
                host_range: start..host.len(),
                metadata: Metadata::default(),
                map: OffsetMap::identity(start, host.len() - start),
            }])
        }
        _ => Ok(Vec::new()),
    }
}

/// `host` with `edits` applied. Edits must not overlap; they may come in any order.
pub fn apply_edits(host: &str, mut edits: Vec<HostEdit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(host.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&host[at..e.range.start]);
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(&host[at..]);
    out
}
