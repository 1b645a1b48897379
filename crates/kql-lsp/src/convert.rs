//! kqlkit's plain results (byte offsets, `kql_ide` structs, `kql_diagnostics::Diagnostic`) to
//! LSP types, in the negotiated position encoding. Nothing here decides *what* to answer.

use std::collections::HashMap;

use kql_diagnostics::{Severity, TextEdit, TextRange};
use kql_ide::types as ide;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::Uri;

use crate::line_index::LineIndex;

/// Where each lint rule's documentation lives (the rule file's doc comment is its documentation).
const RULE_DOCS: &str = "https://github.com/kqlkit/kqlkit/blob/main/crates/kql-lint/src/rules/";

/// One document's text, line index and URI: what every conversion needs.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub uri: &'a Uri,
    pub text: &'a str,
    pub index: &'a LineIndex,
}

impl Ctx<'_> {
    pub fn range(&self, r: TextRange) -> lsp::Range {
        self.index.range(self.text, r)
    }

    pub fn text_edit(&self, e: &TextEdit) -> lsp::TextEdit {
        lsp::TextEdit::new(self.range(e.range), e.replacement.clone())
    }

    pub fn text_edits(&self, edits: &[TextEdit]) -> Vec<lsp::TextEdit> {
        edits.iter().map(|e| self.text_edit(e)).collect()
    }

    pub fn workspace_edit(&self, edits: &[TextEdit]) -> lsp::WorkspaceEdit {
        let changes = HashMap::from([(self.uri.clone(), self.text_edits(edits))]);
        lsp::WorkspaceEdit::new(changes)
    }

    pub fn location(&self, r: TextRange) -> lsp::Location {
        lsp::Location::new(self.uri.clone(), self.range(r))
    }

    /// A diagnostic as `kql lint` reports it: same code, message and range; a link to the rule's
    /// documentation; labels as related information; unused suppressions tagged `Unnecessary`.
    pub fn diagnostic(&self, d: &kql_diagnostics::Diagnostic) -> lsp::Diagnostic {
        let severity = match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        };
        let code_description = d.rule.as_ref().and_then(|rule| {
            let href = format!("{RULE_DOCS}{}.rs", rule.replace('-', "_"));
            Some(lsp::CodeDescription {
                href: href.parse().ok()?,
            })
        });
        let related = (!d.labels.is_empty()).then(|| {
            d.labels
                .iter()
                .map(|l| lsp::DiagnosticRelatedInformation {
                    location: self.location(l.range),
                    message: l.message.clone(),
                })
                .collect()
        });
        let unnecessary = d.rule.as_deref() == Some(kql_lint::suppress::UNUSED_SUPPRESSION);
        lsp::Diagnostic {
            range: self.range(d.range),
            severity: Some(severity),
            code: Some(lsp::NumberOrString::String(d.code.clone())),
            code_description,
            source: Some("kql".to_string()),
            message: d.message.clone(),
            related_information: related,
            tags: unnecessary.then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
            data: d.rule.as_ref().map(|r| serde_json::json!({ "rule": r })),
        }
    }

    pub fn completion(&self, item: &ide::CompletionItem) -> lsp::CompletionItem {
        use ide::CompletionKind as K;
        use lsp::CompletionItemKind as L;
        let kind = match item.kind {
            K::Table => L::CLASS,
            K::Column => L::FIELD,
            K::Function | K::AggregateFunction | K::UserFunction => L::FUNCTION,
            K::Plugin => L::MODULE,
            K::Variable => L::VARIABLE,
            K::Parameter => L::VARIABLE,
            K::Keyword => L::KEYWORD,
            K::Value => L::ENUM_MEMBER,
        };
        let edit = lsp::TextEdit::new(self.range(item.replace_range), item.insert_text.clone());
        lsp::CompletionItem {
            label: item.label.clone(),
            kind: Some(kind),
            detail: item.detail.clone(),
            documentation: item.documentation.clone().map(markdown_doc),
            sort_text: Some(item.sort_text.clone()),
            filter_text: Some(item.label.clone()),
            insert_text_format: Some(if item.is_snippet {
                lsp::InsertTextFormat::SNIPPET
            } else {
                lsp::InsertTextFormat::PLAIN_TEXT
            }),
            text_edit: Some(lsp::CompletionTextEdit::Edit(edit)),
            ..Default::default()
        }
    }

    pub fn hover(&self, h: &ide::Hover) -> lsp::Hover {
        lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: h.markdown.clone(),
            }),
            range: Some(self.range(h.range)),
        }
    }

    pub fn signature_help(&self, s: &ide::SignatureHelp) -> lsp::SignatureHelp {
        let signatures = s
            .signatures
            .iter()
            .map(|sig| lsp::SignatureInformation {
                label: sig.label.clone(),
                documentation: sig.documentation.clone().map(markdown_doc),
                parameters: Some(
                    sig.parameters
                        .iter()
                        .map(|p| lsp::ParameterInformation {
                            label: lsp::ParameterLabel::LabelOffsets(label_offsets(
                                &sig.label,
                                &p.label_range,
                            )),
                            documentation: p.documentation.clone().map(markdown_doc),
                        })
                        .collect(),
                ),
                active_parameter: None,
            })
            .collect();
        lsp::SignatureHelp {
            signatures,
            active_signature: Some(s.active_signature as u32),
            // Past the last parameter: an index out of range, which clients show as none.
            active_parameter: Some(s.active_parameter.map_or(u32::MAX, |p| p as u32)),
        }
    }

    pub fn highlight(&self, h: &ide::Highlight) -> lsp::DocumentHighlight {
        lsp::DocumentHighlight {
            range: self.range(h.range),
            kind: Some(match h.kind {
                ide::HighlightKind::Read => lsp::DocumentHighlightKind::READ,
                ide::HighlightKind::Write => lsp::DocumentHighlightKind::WRITE,
            }),
        }
    }

    #[allow(deprecated)] // `deprecated` is a required field of the struct.
    pub fn symbol(&self, s: &ide::DocumentSymbol) -> lsp::DocumentSymbol {
        use ide::SymbolKind as K;
        use lsp::SymbolKind as L;
        let kind = match s.kind {
            K::Block => L::NAMESPACE,
            K::Query => L::OBJECT,
            K::Variable => L::VARIABLE,
            K::Function => L::FUNCTION,
            K::Parameter => L::TYPE_PARAMETER,
            K::Column => L::FIELD,
            K::Statement => L::KEY,
        };
        lsp::DocumentSymbol {
            name: if s.name.is_empty() {
                "(query)".to_string()
            } else {
                s.name.clone()
            },
            detail: s.detail.clone(),
            kind,
            tags: None,
            deprecated: None,
            range: self.range(s.range),
            selection_range: self.range(s.selection_range),
            children: (!s.children.is_empty())
                .then(|| s.children.iter().map(|c| self.symbol(c)).collect()),
        }
    }

    pub fn folding_range(&self, f: &ide::Fold) -> lsp::FoldingRange {
        let r = self.range(f.range);
        lsp::FoldingRange {
            start_line: r.start.line,
            start_character: None,
            end_line: r.end.line,
            end_character: None,
            kind: Some(match f.kind {
                ide::FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                ide::FoldKind::Region => lsp::FoldingRangeKind::Region,
            }),
            collapsed_text: None,
        }
    }

    /// Innermost first, each the parent of the previous (`None` for an empty list).
    pub fn selection_range(&self, ranges: &[TextRange]) -> Option<lsp::SelectionRange> {
        let mut parent: Option<Box<lsp::SelectionRange>> = None;
        for r in ranges.iter().rev() {
            parent = Some(Box::new(lsp::SelectionRange {
                range: self.range(*r),
                parent,
            }));
        }
        parent.map(|b| *b)
    }

    /// Tokens in LSP's relative encoding; multi-line tokens split per line unless the client
    /// takes them whole.
    pub fn semantic_tokens(
        &self,
        tokens: &[ide::SemanticToken],
        multiline: bool,
    ) -> Vec<lsp::SemanticToken> {
        let mut out = Vec::with_capacity(tokens.len());
        let (mut prev_line, mut prev_start) = (0u32, 0u32);
        let mut push = |start: lsp::Position, length: u32, t: &ide::SemanticToken| {
            if length == 0 {
                return;
            }
            let delta_line = start.line - prev_line;
            let delta_start = if delta_line == 0 {
                start.character - prev_start
            } else {
                start.character
            };
            out.push(lsp::SemanticToken {
                delta_line,
                delta_start,
                length,
                token_type: t.kind.index(),
                token_modifiers_bitset: t.modifiers.0,
            });
            (prev_line, prev_start) = (start.line, start.character);
        };
        for t in tokens {
            let r = self.range(t.range);
            if r.start.line == r.end.line {
                push(r.start, r.end.character - r.start.character, t);
            } else if multiline {
                push(r.start, self.units(t.range), t);
            } else {
                for line in r.start.line..=r.end.line {
                    let from = if line == r.start.line {
                        r.start
                    } else {
                        lsp::Position::new(line, 0)
                    };
                    let to = if line == r.end.line {
                        r.end
                    } else {
                        self.index.position(
                            self.text,
                            self.index
                                .offset(self.text, lsp::Position::new(line, u32::MAX)),
                        )
                    };
                    push(from, to.character.saturating_sub(from.character), t);
                }
            }
        }
        out
    }

    pub fn inlay_hint(&self, h: &ide::InlayHint) -> lsp::InlayHint {
        lsp::InlayHint {
            position: self.index.position(self.text, h.offset),
            label: lsp::InlayHintLabel::String(h.label.clone()),
            kind: None,
            text_edits: None,
            tooltip: h.tooltip.clone().map(lsp::InlayHintTooltip::String),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        }
    }

    /// A code action; `diagnostic` is the finding it fixes, already converted.
    pub fn code_action(
        &self,
        a: &ide::CodeAction,
        diagnostic: Option<lsp::Diagnostic>,
    ) -> lsp::CodeAction {
        lsp::CodeAction {
            title: a.title.clone(),
            kind: Some(code_action_kind(a.kind)),
            diagnostics: diagnostic.map(|d| vec![d]),
            edit: Some(self.workspace_edit(&a.edits)),
            command: None,
            is_preferred: a.is_preferred.then_some(true),
            disabled: None,
            data: None,
        }
    }

    /// The length of `r` in the encoding's units.
    fn units(&self, r: TextRange) -> u32 {
        let s = &self.text[r];
        match self.index.encoding() {
            crate::line_index::Encoding::Utf8 => s.len() as u32,
            crate::line_index::Encoding::Utf16 => s.encode_utf16().count() as u32,
        }
    }
}

pub fn code_action_kind(k: ide::CodeActionKind) -> lsp::CodeActionKind {
    match k {
        ide::CodeActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ide::CodeActionKind::SourceFixAll => lsp::CodeActionKind::new(SOURCE_FIX_ALL_KQL),
        ide::CodeActionKind::RefactorRewrite => lsp::CodeActionKind::REFACTOR_REWRITE,
    }
}

pub const SOURCE_FIX_ALL_KQL: &str = "source.fixAll.kql";

fn markdown_doc(value: String) -> lsp::Documentation {
    lsp::Documentation::MarkupContent(lsp::MarkupContent {
        kind: lsp::MarkupKind::Markdown,
        value,
    })
}

/// A parameter's place in its signature label, in UTF-16 code units (what `LabelOffsets` counts,
/// whatever the position encoding).
fn label_offsets(label: &str, range: &std::ops::Range<usize>) -> [u32; 2] {
    let clamp = |mut i: usize| {
        i = i.min(label.len());
        while !label.is_char_boundary(i) {
            i -= 1;
        }
        label[..i].encode_utf16().count() as u32
    };
    [clamp(range.start), clamp(range.end)]
}
