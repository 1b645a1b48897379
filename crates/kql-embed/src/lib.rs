//! KQL queries embedded in host files: finding them ([`extract`]), mapping positions between
//! the query and the host ([`Embedded::to_host`], [`Embedded::range_to_host`]), and writing a
//! changed query back ([`Embedded::replacement`], [`apply_edits`]).
//!
//! Security teams keep hunting queries in detection repositories rather than in `.kql` files:
//! Sentinel analytic rules and hunting queries (YAML), ARM templates and Defender exports (JSON),
//! runbooks (Markdown). This crate lets the linter, checker and formatter treat every such file
//! like a query file, with every position reported in the host file.
//!
//! # What is read
//! | host | extensions | queries | metadata |
//! |---|---|---|---|
//! | [`HostKind::Kql`] | `.kql` `.csl` `.kusto` | the whole file (identity map; a BOM is not part of the query) | — |
//! | [`HostKind::Yaml`] | `.yaml` `.yml` | the scalar value of every key in [`EmbedOptions::yaml_keys`] (default `query`) at any depth, in every document of the stream | `queryPeriod` |
//! | [`HostKind::Json`] | `.json` | the string value of every key in [`EmbedOptions::json_keys`] (default `query`) at any depth | `queryPeriod` |
//! | [`HostKind::Markdown`] | `.md` `.markdown` | fenced code blocks (```` ``` ```` or `~~~`) whose info string's first word is in [`EmbedOptions::markdown_tags`] (default `kql`, `kusto`, `csl`; case-insensitive), also inside list items and block quotes | — |
//!
//! - YAML values may be literal (`|`) or folded (`>`) block scalars with any chomping (`-`, `+`)
//!   and indentation indicator (`|2-`), plain scalars (also over several lines), single-quoted
//!   (`''`) and double-quoted scalars (every YAML escape, escaped line breaks, folding). Values
//!   that are not scalars (a sequence, a mapping, an alias) are skipped.
//! - JSON is strict JSON plus the comments and trailing commas ARM templates allow. Escapes
//!   (`\n`, `\"`, `\\`, `\u0041`, surrogate pairs) are decoded.
//! - Metadata ([`Metadata::query_period`]): Sentinel's `queryPeriod` when it is a sibling key of the
//!   query key in the same YAML mapping or JSON object, as its decoded text (`14d`, `PT14H`) and
//!   host range. It is returned as written; interpreting it is the caller's business.
//! - The query text is what the host's own parser reads: YAML line breaks are `\n` even in a CRLF
//!   file (YAML normalises them), a Markdown fence's content is CommonMark's (each line ends with
//!   `\n`, container prefixes removed), a JSON string's value is its decoded text.
//!
//! # Positions
//! Every offset is a byte offset into the host text **as stored**: [`extract`] takes the file's
//! text with its UTF-8 BOM if it has one, and the BOM's three bytes count. Text without the BOM
//! works as well (offsets are then into that text): the crate expects the text as stored, but
//! the CLI passes its `Input` text, from which the BOM was stripped, and adds the BOM's 3 bytes
//! to every offset itself where it reports byte offsets (`FileReport::offset_base`).
//!
//! - [`Embedded::to_host`] maps each query offset to the host offset of the byte that produced it;
//!   the query's end maps to the end of the value's content. A byte produced by an escape (`\n`
//!   in JSON, `''` in YAML), a CRLF read as `\n`, or a folded line break maps to the start of its
//!   whole source sequence.
//! - [`Embedded::range_to_host`] maps a query range to the host range covering exactly its source
//!   bytes: a range ending inside an escape covers the whole escape; a range across lines of a
//!   block scalar or fence covers the indentation / container prefixes between them (slicing the
//!   host there and decoding, that is removing those prefixes and unescaping, gives the query
//!   slice back; the property tests check this).
//! - [`Embedded::host_range`]: for a YAML block scalar, from the `|`/`>` indicator to the end of
//!   the last line that belongs to the value (its line break included; for `|+` the kept blank
//!   lines too); for a flow scalar or JSON string the scalar with its quotes; for a Markdown
//!   fence the content lines (with their prefixes) between the fence lines.
//!
//! # Writing back
//! [`Embedded::replacement`] returns one [`HostEdit`] that rewrites the whole value (callers that
//! show or apply small edits trim its unchanged ends themselves); every byte outside it is
//! unchanged, and
//! before returning it the edit is applied and the host extracted again: the edit is only given
//! when that reads back exactly `new_query` (so the host still parses). Line endings follow the
//! host (a CRLF file stays CRLF).
//! - YAML block scalars keep their style, indentation and header comment; the chomping and
//!   indentation indicators are rewritten to fit the new text (`|-` when it has no final line
//!   break, `|+` for several, `|2` when its first line starts with a space).
//! - YAML plain and quoted scalars: a query with line breaks becomes a literal block (`|`/`|-`,
//!   indented two columns under its key) when the scalar ends its line and is not inside a flow
//!   collection; otherwise plain and single-quoted scalars keep their style when the new text can
//!   be written in it, and become double-quoted (one line, escapes) when it cannot (a `: `, a
//!   ` #`, a line break, a value that would read as a bool or a number...).
//! - JSON strings are re-escaped (`"`, `\`, control characters; other characters as they are).
//! - Markdown fences get the new lines with the container prefix of the opening fence line
//!   (list indentation, `> `); when a new line would close the fence, both fences are lengthened
//!   (the edit then covers them too).
//!
//! [`Unrepresentable`] (the caller skips the change with a note) when:
//! - a line break inside a folded `>` scalar: it would be folded into a space;
//! - a carriage return or a control character in a YAML block scalar (YAML would read a line
//!   break / cannot hold it), or a carriage return in a Markdown fence;
//! - a non-empty Markdown query that does not end with a line break (fence content always does);
//! - a YAML query ending in several line breaks (`|+`) when blank lines follow the block (they
//!   would join the value);
//! - a query whose first line starts with spaces in a block nested so deep the indentation
//!   indicator would exceed 9;
//! - a value this crate reads but does not map byte by byte (some exotic YAML form where our
//!   decoding disagrees with the parser's value: it is then read with a coarse map, every offset
//!   at the value's start, and never written back);
//! - any edit that would not read back exactly (the final check).
//!
//! # Errors
//! [`extract`] fails only when the host does not parse: [`EmbedError`] with a code, a message
//! and the host offset. `EMB001` YAML syntax error; `EMB002` a tab where YAML forbids one (tab
//! indentation), at the first tab of the line the parser stopped on; `EMB003` JSON syntax error.
//! Markdown always parses.
//!
//! # Parsers, and why
//! - YAML: **saphyr-parser** (0.3), the maintained successor of yaml-rust / yaml-rust2's parser
//!   (YAML 1.2, passes the YAML test suite), with two small dependencies, pure Rust, fast to
//!   build. Its events carry spans (character index, line, column); serde_yaml is archived and
//!   gives no positions. The parser gives each scalar's start and decoded value; we re-derive the
//!   value from the raw lines to get the per-byte map and compare it with the parser's value.
//! - Markdown: **pulldown-cmark** (0.13, `default-features = false`: no HTML renderer, no
//!   getopts), the CommonMark parser rustdoc and mdBook use; its offset iterator gives the host
//!   range of each piece of fence content with container prefixes already removed.
//! - JSON: **jsonc-parser** (0.34, dprint's, no default dependencies): its AST carries the byte
//!   range of every string literal and accepts the comments and trailing commas that ARM
//!   templates use; serde_json has no spans. We decode the raw literal ourselves for the map.
//!
//! All three make one pass over the host; building the map is linear in the value's size.

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
use yaml_scalar::{BlockInfo, FlowStyle};

/// How a query is written in its host: what [`Embedded::replacement`] needs to write it back.
#[derive(Debug, Clone)]
enum Form {
    Kql,
    YamlBlock(BlockInfo),
    YamlFlow {
        style: FlowStyle,
        flow_context: bool,
        key_col: usize,
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

    /// The host edit that replaces this query by `new_query`, for `host`, the text [`extract`]
    /// read this query from: re-indented for a YAML block scalar, re-escaped for JSON or a quoted
    /// YAML scalar, the fence content for Markdown. The edit covers the whole value (plus the
    /// block header, or both fences when they must grow). It is checked before it is returned:
    /// applied to `host`, the host parses and the same query reads back as exactly `new_query`.
    /// `Err` when the host form cannot hold `new_query` (see the crate docs for the cases).
    pub fn replacement(&self, host: &str, new_query: &str) -> Result<HostEdit, Unrepresentable> {
        if let Form::YamlFlow {
            flow_context: false,
            key_col,
            ..
        } = &self.form
        {
            let block =
                yaml_write::flow_as_block(host, self.host_range.clone(), *key_col, new_query);
            if let Some(Ok(edit)) = block.map(|edit| self.check(host, new_query, edit)) {
                return Ok(edit);
            }
        }
        let edit = match &self.form {
            Form::Kql => Ok(HostEdit {
                range: self.host_range.clone(),
                text: new_query.to_string(),
            }),
            Form::YamlBlock(info) => {
                yaml_write::block(host, self.host_range.clone(), info, new_query)
            }
            Form::YamlFlow {
                style,
                flow_context,
                ..
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
