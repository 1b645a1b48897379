//! Folding ranges: blocks, statements, subqueries, argument lists and strings that span lines,
//! and runs of line comments.

use kql_syntax::{SyntaxKind, TextRange};

use crate::names::trimmed_range;
use crate::{Analysis, Fold, FoldKind};

pub(crate) fn folding_ranges(a: &Analysis) -> Vec<Fold> {
    let text = a.text();
    let multi_line = |r: TextRange| text[r].contains('\n');
    let mut out = Vec::new();
    let mut comment_run: Option<(TextRange, usize)> = None;
    let root = a.root();
    for element in root.descendants_with_tokens() {
        match element {
            rowan::NodeOrToken::Node(n) => {
                let foldable = matches!(
                    n.kind(),
                    SyntaxKind::QUERY_BLOCK
                        | SyntaxKind::LET_STMT
                        | SyntaxKind::QUERY_STMT
                        | SyntaxKind::PAREN_EXPR
                        | SyntaxKind::ARG_LIST
                        | SyntaxKind::FUNCTION_BODY
                        | SyntaxKind::SUBQUERY
                        | SyntaxKind::DATATABLE_OP
                        | SyntaxKind::JSON_OBJECT
                        | SyntaxKind::JSON_ARRAY
                        | SyntaxKind::LIST_EXPR
                );
                let r = trimmed_range(&n);
                if foldable && multi_line(r) {
                    out.push(Fold {
                        range: r,
                        kind: FoldKind::Region,
                    });
                }
            }
            rowan::NodeOrToken::Token(t) => match t.kind() {
                SyntaxKind::COMMENT if t.text().starts_with("//") => {
                    let r = t.text_range();
                    // Joined to the run when only whitespace with one line break separates them.
                    comment_run = match comment_run {
                        Some((run, n))
                            if text[TextRange::new(run.end(), r.start())].trim().is_empty()
                                && text[TextRange::new(run.end(), r.start())]
                                    .matches('\n')
                                    .count()
                                    == 1 =>
                        {
                            Some((run.cover(r), n + 1))
                        }
                        other => {
                            flush(&mut out, other);
                            Some((r, 1))
                        }
                    };
                }
                SyntaxKind::COMMENT | SyntaxKind::STRING_LITERAL if multi_line(t.text_range()) => {
                    let kind = if t.kind() == SyntaxKind::COMMENT {
                        FoldKind::Comment
                    } else {
                        FoldKind::Region
                    };
                    out.push(Fold {
                        range: t.text_range(),
                        kind,
                    });
                }
                _ => {}
            },
        }
    }
    flush(&mut out, comment_run);
    out.sort_by_key(|f| (f.range.start(), std::cmp::Reverse(f.range.end())));
    out.dedup_by_key(|f| f.range);
    out
}

fn flush(out: &mut Vec<Fold>, run: Option<(TextRange, usize)>) {
    if let Some((range, n)) = run {
        if n > 1 {
            out.push(Fold {
                range,
                kind: FoldKind::Comment,
            });
        }
    }
}
