//! One handler per LSP request: convert the position in, ask `kql_ide` on the analysis thread,
//! convert the answer out. A request for a document that is not open answers `null`.

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use crate::server::{internal, Backend};
use crate::worker::DocView;

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

    pub(crate) async fn completion_request(
        &self,
        p: CompletionParams,
    ) -> Result<Option<CompletionResponse>> {
        let at = p.text_document_position;
        self.on_doc(at.text_document.uri, move |v| {
            let ctx = v.ctx();
            let items = v
                .analysis
                .completions(v.offset(at.position), v.caps.snippets)
                .iter()
                .map(|i| ctx.completion(i))
                .collect();
            Some(CompletionResponse::List(CompletionList {
                is_incomplete: false,
                items,
            }))
        })
        .await
    }

    pub(crate) async fn hover_request(&self, p: HoverParams) -> Result<Option<Hover>> {
        let at = p.text_document_position_params;
        self.on_doc(at.text_document.uri, move |v| {
            let h = v.analysis.hover(v.offset(at.position))?;
            Some(v.ctx().hover(&h))
        })
        .await
    }

    pub(crate) async fn signature_help_request(
        &self,
        p: SignatureHelpParams,
    ) -> Result<Option<SignatureHelp>> {
        let at = p.text_document_position_params;
        self.on_doc(at.text_document.uri, move |v| {
            let s = v.analysis.signature_help(v.offset(at.position))?;
            Some(v.ctx().signature_help(&s))
        })
        .await
    }

    pub(crate) async fn definition_request(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = p.text_document_position_params;
        self.on_doc(at.text_document.uri, move |v| {
            let ctx = v.ctx();
            let targets: Vec<Location> = v
                .analysis
                .goto_definition(v.offset(at.position))
                .into_iter()
                .map(|r| ctx.location(r))
                .collect();
            (!targets.is_empty()).then_some(GotoDefinitionResponse::Array(targets))
        })
        .await
    }

    pub(crate) async fn references_request(
        &self,
        p: ReferenceParams,
    ) -> Result<Option<Vec<Location>>> {
        let at = p.text_document_position;
        let include = p.context.include_declaration;
        self.on_doc(at.text_document.uri, move |v| {
            let ctx = v.ctx();
            let refs = v.analysis.references(v.offset(at.position), include);
            Some(refs.into_iter().map(|r| ctx.location(r)).collect())
        })
        .await
    }

    pub(crate) async fn highlight_request(
        &self,
        p: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let at = p.text_document_position_params;
        self.on_doc(at.text_document.uri, move |v| {
            let ctx = v.ctx();
            let hs = v.analysis.highlights(v.offset(at.position));
            Some(hs.iter().map(|h| ctx.highlight(h)).collect())
        })
        .await
    }

    pub(crate) async fn prepare_rename_request(
        &self,
        p: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let answer = self
            .on_doc(p.text_document.uri, move |v| {
                Some(
                    v.analysis
                        .prepare_rename(v.offset(p.position))
                        .map(|r| v.ctx().range(r)),
                )
            })
            .await?;
        match answer {
            Some(Ok(range)) => Ok(Some(PrepareRenameResponse::Range(range))),
            Some(Err(why)) => Err(Error::invalid_params(why)),
            None => Ok(None),
        }
    }

    pub(crate) async fn rename_request(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = p.text_document_position;
        let answer = self
            .on_doc(at.text_document.uri, move |v| {
                Some(
                    v.analysis
                        .rename(v.offset(at.position), &p.new_name)
                        .map(|edits| v.ctx().workspace_edit(&edits)),
                )
            })
            .await?;
        match answer {
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(why)) => Err(Error::invalid_params(why)),
            None => Ok(None),
        }
    }

    pub(crate) async fn symbols_request(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.on_doc(p.text_document.uri, |v| {
            let ctx = v.ctx();
            let symbols = v.analysis.document_symbols();
            Some(DocumentSymbolResponse::Nested(
                symbols.iter().map(|s| ctx.symbol(s)).collect(),
            ))
        })
        .await
    }

    pub(crate) async fn folding_request(
        &self,
        p: FoldingRangeParams,
    ) -> Result<Option<Vec<FoldingRange>>> {
        self.on_doc(p.text_document.uri, |v| {
            let ctx = v.ctx();
            let folds = v.analysis.folding_ranges();
            Some(folds.iter().map(|f| ctx.folding_range(f)).collect())
        })
        .await
    }

    pub(crate) async fn selection_request(
        &self,
        p: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        self.on_doc(p.text_document.uri, move |v| {
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
        })
        .await
    }

    pub(crate) async fn semantic_tokens_request(
        &self,
        uri: Uri,
        range: Option<Range>,
    ) -> Result<Option<SemanticTokens>> {
        self.on_doc(uri, move |v| {
            let range = range.map(|r| v.text_range(r));
            let tokens = v.analysis.semantic_tokens(range);
            Some(SemanticTokens {
                result_id: None,
                data: v.ctx().semantic_tokens(&tokens, v.caps.multiline_tokens),
            })
        })
        .await
    }

    pub(crate) async fn inlay_hint_request(
        &self,
        p: InlayHintParams,
    ) -> Result<Option<Vec<InlayHint>>> {
        self.on_doc(p.text_document.uri, move |v| {
            let ctx = v.ctx();
            let hints = v.analysis.inlay_hints(v.text_range(p.range));
            Some(hints.iter().map(|h| ctx.inlay_hint(h)).collect())
        })
        .await
    }

    pub(crate) async fn code_action_request(
        &self,
        p: CodeActionParams,
    ) -> Result<Option<CodeActionResponse>> {
        let only = p.context.only.clone();
        self.on_doc(p.text_document.uri, move |v| {
            let ctx = v.ctx();
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
        })
        .await
    }

    pub(crate) async fn formatting_request(
        &self,
        uri: Uri,
        range: Option<Range>,
    ) -> Result<Option<Vec<TextEdit>>> {
        let answer = self
            .on_doc(uri, move |v| {
                let edits = match range {
                    Some(r) => v.analysis.format_range(v.text_range(r)),
                    None => v.analysis.format(),
                };
                Some(edits.map(|e| v.ctx().text_edits(&e)))
            })
            .await?;
        match answer {
            Some(Ok(edits)) => Ok(Some(edits)),
            Some(Err(why)) => {
                // Text the formatter refuses (syntax errors) is left as it is, without an error
                // popup on every format-on-save.
                let msg = format!("kql-lsp: not formatted: {why}");
                self.log(MessageType::INFO, msg).await;
                Ok(None)
            }
            None => Ok(None),
        }
    }
}
