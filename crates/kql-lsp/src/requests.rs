//! One function per LSP request: convert the position in, ask `kql_ide`, convert the answer out.
//! Each is named after its `LanguageServer` method and runs on the analysis thread over the
//! document's fresh analysis ([`Backend::answer`]), routed by the table in [`crate::server`]. A
//! request for a document that is not open answers `null`.

use kql_diagnostics::TextSize;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use crate::server::{internal, Backend};
use crate::worker::DocView;

/// The params of an LSP request about one document.
pub(crate) trait DocumentRequest: Send + 'static {
    /// The document the request is about.
    fn uri(&self) -> &Uri;
}

/// Implements [`DocumentRequest`] for params types: `Params => path.to.text_document;`.
macro_rules! document_requests {
    ($($params:ty => $($field:ident).+;)+) => {
        $(
            impl DocumentRequest for $params {
                fn uri(&self) -> &Uri {
                    &self.$($field).+.uri
                }
            }
        )+
    };
}

document_requests! {
    CompletionParams => text_document_position.text_document;
    HoverParams => text_document_position_params.text_document;
    SignatureHelpParams => text_document_position_params.text_document;
    GotoDefinitionParams => text_document_position_params.text_document;
    ReferenceParams => text_document_position.text_document;
    DocumentHighlightParams => text_document_position_params.text_document;
    TextDocumentPositionParams => text_document;
    RenameParams => text_document_position.text_document;
    DocumentSymbolParams => text_document;
    FoldingRangeParams => text_document;
    SelectionRangeParams => text_document;
    SemanticTokensParams => text_document;
    SemanticTokensRangeParams => text_document;
    InlayHintParams => text_document;
    CodeActionParams => text_document;
    DocumentFormattingParams => text_document;
    DocumentRangeFormattingParams => text_document;
}

/// An answer that may be refused with a reason (a name that cannot be renamed, text that does
/// not parse).
type Refusable<T> = Option<std::result::Result<T, String>>;

impl Backend {
    /// Runs `f` over the fresh analysis of `uri` on the analysis thread.
    pub(crate) async fn on_doc<T: Send + 'static>(
        &self,
        uri: Uri,
        f: impl FnOnce(DocView<'_>) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        match self.run(move |w| w.with_doc(&uri, f)).await? {
            Ok(answer) => Ok(answer.flatten()),
            Err(panic) => Err(internal(&panic)),
        }
    }

    /// Answers `p` with `handler` (one of this module's functions) over its document.
    pub(crate) async fn answer<P: DocumentRequest, T: Send + 'static>(
        &self,
        p: P,
        handler: fn(DocView<'_>, P) -> Option<T>,
    ) -> Result<Option<T>> {
        self.on_doc(p.uri().clone(), move |v| handler(v, p)).await
    }

    /// A refusal answered as an `InvalidParams` error with the reason, which clients show.
    pub(crate) async fn invalid_params<T>(&self, why: String) -> Result<Option<T>> {
        Err(Error::invalid_params(why))
    }

    /// Text the formatter refuses (syntax errors) is left as it is, without an error popup on
    /// every format-on-save: the reason goes to the log.
    pub(crate) async fn not_formatted<T>(&self, why: String) -> Result<Option<T>> {
        let msg = format!("kql-lsp: not formatted: {why}");
        self.log(MessageType::INFO, msg).await;
        Ok(None)
    }
}

/// The byte offset of `at`'s position.
fn offset(v: &DocView<'_>, at: &TextDocumentPositionParams) -> TextSize {
    v.offset(at.position)
}

pub(crate) fn completion(v: DocView<'_>, p: CompletionParams) -> Option<CompletionResponse> {
    let ctx = v.ctx();
    let items = v
        .analysis
        .completions(offset(&v, &p.text_document_position), v.caps.snippets);
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items: items.iter().map(|i| ctx.completion(i)).collect(),
    }))
}

pub(crate) fn hover(v: DocView<'_>, p: HoverParams) -> Option<Hover> {
    let h = v
        .analysis
        .hover(offset(&v, &p.text_document_position_params))?;
    Some(v.ctx().hover(&h))
}

pub(crate) fn signature_help(v: DocView<'_>, p: SignatureHelpParams) -> Option<SignatureHelp> {
    let at = offset(&v, &p.text_document_position_params);
    Some(v.ctx().signature_help(&v.analysis.signature_help(at)?))
}

pub(crate) fn goto_definition(
    v: DocView<'_>,
    p: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let ctx = v.ctx();
    let targets: Vec<Location> = v
        .analysis
        .goto_definition(offset(&v, &p.text_document_position_params))
        .into_iter()
        .map(|r| ctx.location(r))
        .collect();
    (!targets.is_empty()).then_some(GotoDefinitionResponse::Array(targets))
}

pub(crate) fn references(v: DocView<'_>, p: ReferenceParams) -> Option<Vec<Location>> {
    let at = offset(&v, &p.text_document_position);
    let refs = v.analysis.references(at, p.context.include_declaration);
    Some(refs.into_iter().map(|r| v.ctx().location(r)).collect())
}

pub(crate) fn document_highlight(
    v: DocView<'_>,
    p: DocumentHighlightParams,
) -> Option<Vec<DocumentHighlight>> {
    let hs = v
        .analysis
        .highlights(offset(&v, &p.text_document_position_params));
    Some(hs.iter().map(|h| v.ctx().highlight(h)).collect())
}

pub(crate) fn prepare_rename(
    v: DocView<'_>,
    p: TextDocumentPositionParams,
) -> Refusable<PrepareRenameResponse> {
    let range = v.analysis.prepare_rename(offset(&v, &p));
    Some(range.map(|r| PrepareRenameResponse::Range(v.ctx().range(r))))
}

pub(crate) fn rename(v: DocView<'_>, p: RenameParams) -> Refusable<WorkspaceEdit> {
    let at = offset(&v, &p.text_document_position);
    let edits = v.analysis.rename(at, &p.new_name);
    Some(edits.map(|e| v.ctx().workspace_edit(&e)))
}

pub(crate) fn document_symbol(
    v: DocView<'_>,
    _: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let ctx = v.ctx();
    let symbols = v.analysis.document_symbols();
    Some(DocumentSymbolResponse::Nested(
        symbols.iter().map(|s| ctx.symbol(s)).collect(),
    ))
}

pub(crate) fn folding_range(v: DocView<'_>, _: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let folds = v.analysis.folding_ranges();
    Some(folds.iter().map(|f| v.ctx().folding_range(f)).collect())
}

pub(crate) fn selection_range(
    v: DocView<'_>,
    p: SelectionRangeParams,
) -> Option<Vec<SelectionRange>> {
    let ctx = v.ctx();
    let ranges = p.positions.iter().map(|pos| {
        let offset = v.offset(*pos);
        ctx.selection_range(&v.analysis.selection_ranges(offset))
            .unwrap_or(SelectionRange {
                range: Range::new(*pos, *pos),
                parent: None,
            })
    });
    Some(ranges.collect())
}

/// The semantic tokens of `range` (`None`: the whole document).
fn semantic_tokens(v: DocView<'_>, range: Option<Range>) -> SemanticTokens {
    let range = range.map(|r| v.text_range(r));
    let tokens = v.analysis.semantic_tokens(range);
    SemanticTokens {
        result_id: None,
        data: v.ctx().semantic_tokens(&tokens, v.caps.multiline_tokens),
    }
}

pub(crate) fn semantic_tokens_full(
    v: DocView<'_>,
    _: SemanticTokensParams,
) -> Option<SemanticTokensResult> {
    Some(semantic_tokens(v, None).into())
}

pub(crate) fn semantic_tokens_range(
    v: DocView<'_>,
    p: SemanticTokensRangeParams,
) -> Option<SemanticTokensRangeResult> {
    Some(semantic_tokens(v, Some(p.range)).into())
}

pub(crate) fn inlay_hint(v: DocView<'_>, p: InlayHintParams) -> Option<Vec<InlayHint>> {
    let hints = v.analysis.inlay_hints(v.text_range(p.range));
    Some(hints.iter().map(|h| v.ctx().inlay_hint(h)).collect())
}

pub(crate) fn code_action(v: DocView<'_>, p: CodeActionParams) -> Option<CodeActionResponse> {
    let ctx = v.ctx();
    let only = p.context.only;
    let findings = v.analysis.diagnostics();
    let actions = v
        .analysis
        .code_actions(v.text_range(p.range))
        .iter()
        .filter(|a| {
            let kind = crate::convert::code_action_kind(a.kind);
            only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        })
        .map(|a| {
            let finding = a.diagnostic.and_then(|i| findings.get(i));
            let action = ctx.code_action(a, finding.map(|d| ctx.diagnostic(d)));
            CodeActionOrCommand::CodeAction(action)
        })
        .collect();
    Some(actions)
}

pub(crate) fn formatting(v: DocView<'_>, _: DocumentFormattingParams) -> Refusable<Vec<TextEdit>> {
    Some(v.analysis.format().map(|e| v.ctx().text_edits(&e)))
}

pub(crate) fn range_formatting(
    v: DocView<'_>,
    p: DocumentRangeFormattingParams,
) -> Refusable<Vec<TextEdit>> {
    let edits = v.analysis.format_range(v.text_range(p.range));
    Some(edits.map(|e| v.ctx().text_edits(&e)))
}
