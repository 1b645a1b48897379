//! KQL queries embedded in host files: finding them, mapping positions between the query and the
//! host, and writing changed queries back. (Full documentation follows with the implementation.)

use std::ops::Range;
use std::path::Path;

mod json;
mod map;
mod markdown;
mod yaml;
mod yaml_scalar;
mod yaml_write;

use std::sync::Arc;

use map::OffsetMap;
use yaml_scalar::{BlockInfo, Chomp, FlowStyle};

/// How a query is written in its host: what [`Embedded::replacement`] needs to write it back.
#[derive(Debug, Clone)]
enum Form {
    Kql,
    YamlBlock {
        info: BlockInfo,
        #[allow(dead_code)] // read by tests and kept for notes
        chomp: Chomp,
    },
    YamlFlow {
        style: FlowStyle,
        flow_context: bool,
    },
    Json,
    Markdown(markdown::Fence),
    /// A form we read but cannot write back: the reason.
    Opaque(String),
}

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
    form: Form,
    /// Position in the list `extract` returned, and how it was called (to check a replacement by
    /// extracting again).
    index: usize,
    kind: HostKind,
    opts: Arc<EmbedOptions>,
}

impl Embedded {
    fn new(
        query: String,
        label: String,
        host_range: Range<usize>,
        map: OffsetMap,
        form: Form,
    ) -> Self {
        Embedded {
            query,
            label,
            host_range,
            metadata: Metadata::default(),
            map,
            form,
            index: 0,
            kind: HostKind::Kql,
            opts: Arc::default(),
        }
    }

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
        let edit = match &self.form {
            Form::Kql => Ok(HostEdit {
                range: self.host_range.clone(),
                text: new_query.to_string(),
            }),
            Form::YamlBlock { info, .. } => {
                yaml_write::block(host, self.host_range.clone(), info, new_query)
            }
            Form::YamlFlow {
                style,
                flow_context,
            } => yaml_write::flow(self.host_range.clone(), *style, *flow_context, new_query),
            Form::Json => Ok(json::write(self.host_range.clone(), new_query)),
            Form::Markdown(fence) => {
                markdown::write(host, self.host_range.clone(), fence, new_query)
            }
            Form::Opaque(reason) => Err(Unrepresentable {
                reason: reason.clone(),
            }),
        }?;
        self.check(host, new_query, edit)
    }

    /// Extracts again from the edited host: the edit stands only if it gives back `new_query`.
    fn check(
        &self,
        host: &str,
        new_query: &str,
        edit: HostEdit,
    ) -> Result<HostEdit, Unrepresentable> {
        let edited = apply_edits(host, vec![edit.clone()]);
        let again = extract(self.kind, &edited, &self.opts).map_err(|e| Unrepresentable {
            reason: format!("the edited host would not parse ({e})"),
        })?;
        match again.get(self.index) {
            Some(e) if e.query == new_query => Ok(edit),
            _ => Err(Unrepresentable {
                reason: "writing the query back would not read back as the same query".into(),
            }),
        }
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
    let mut found = match kind {
        HostKind::Kql => {
            let start = if host.starts_with('\u{feff}') { 3 } else { 0 };
            vec![Embedded::new(
                host[start..].to_string(),
                "file".into(),
                start..host.len(),
                OffsetMap::identity(start, host.len() - start),
                Form::Kql,
            )]
        }
        HostKind::Yaml => yaml::extract(host, opts)?,
        HostKind::Json => json::extract(host, opts)?,
        HostKind::Markdown => markdown::extract(host, opts),
    };
    let opts = Arc::new(opts.clone());
    for (i, e) in found.iter_mut().enumerate() {
        e.index = i;
        e.kind = kind;
        e.opts = Arc::clone(&opts);
    }
    Ok(found)
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
