use super::prelude::*;
use kql_syntax::ast::{self, AstNode, OperatorInPipe, PipeExpr};

declare_rule! {
    /// `take`/`limit` that keeps arbitrary rows where the query needs particular ones.
    ///
    /// ## What it does
    /// `take N` (and its alias `limit N`) returns *some* N rows, in no guaranteed order; a
    /// different run may return different rows. Most uses are deliberate samples ("show me a
    /// few rows"), so this rule reports only the two shapes where the query shows that it wants
    /// particular rows:
    ///
    /// 1. **Sorted after the cut**: a `sort`/`order by`/`top` orders the rows the `take` kept,
    ///    with only row-keeping operators (`where`, `project`, `extend`, …) between them, and
    ///    nothing ordered the rows before the `take`. The author expects the first N in that
    ///    order, and gets N arbitrary rows, then ordered.
    /// 2. **One arbitrary row used as a value**: `take 1` whose result is not the query's output
    ///    but a value the query goes on using: a `let` value, `toscalar(...)`, the right side
    ///    of a `join`/`lookup`, an `in (...)` list, or a function's result. That is how "the
    ///    latest logon", "the current owner" is written by mistake; the row is not the latest,
    ///    just one.
    ///
    /// Not reported: a `take` at the end of a query's output (sampling, the common use); a
    /// `take` after a `sort`/`order by`/`top` with only row-keeping operators between; a `take
    /// 1` of a single row (`count`, `summarize` without `by`) or of a `datatable`, `print` or
    /// `range` (whose order is the written one); `take` inside `mv-apply` (array elements keep
    /// their order), `partition` and `union` legs (one row per part, as `take_any` would).
    ///
    /// ## Why is this bad?
    /// The result changes from run to run without any change in the data, and silently: an
    /// alert built on "the latest" value reads an arbitrary one.
    ///
    /// ## Example
    /// ```kql
    /// let lastLogon = DeviceLogonEvents | where AccountName == "alice" | take 1;
    /// DeviceProcessEvents | where Timestamp > ago(1d) | take 10 | sort by Timestamp desc
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// let lastLogon = DeviceLogonEvents | where AccountName == "alice" | top 1 by Timestamp desc;
    /// DeviceProcessEvents | where Timestamp > ago(1d) | top 10 by Timestamp desc
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe (the result changes, on purpose): `take N | sort by K` right after each other
    /// become `top N by K`; `take 1` used as a value becomes `top 1 by Timestamp desc` when the
    /// table's time column (`Timestamp`, or `TimeGenerated` for Sentinel tables) is known and
    /// still in scope at the `take`. Otherwise no fix: which row is wanted is the author's call
    /// (`arg_max`, `top 1 by`).
    ///
    /// ## Coverage
    /// Chosen from real queries. Over `../shared/corpus/valid` (2,077 files) there are 80
    /// `take`/`limit` operators in 78 files: 60 end a query's output (or come just before
    /// `render`), 14 of them straight after a `sort`; 15 cut a query's input before
    /// `extend`/`project`/`invoke`/`make-series` (demo-sized samples); 4 are in `facet` or
    /// `mv-apply` subqueries; 1 caps a `let` at 10,000 rows before a random pick. None is
    /// sorted after the cut and none is a `take 1` used as a value, so the rule reports **0
    /// findings** there, as intended: it reports the bug, not the sampling habit (reporting every
    /// `take` not right after a `sort` would flag 65 of the 80, all deliberate). Also considered and
    /// left out: a `take` after a `sort` whose order an operator in between lost (`sort |
    /// summarize make_list(...) | take 10` is a correct idiom: the sort orders the lists; no
    /// corpus file has the shape either way), and `take N > 1` in a `let` (a size cap on a
    /// join's input is usually deliberate). kql-guard's KQL013 (NonDeterministicTake) reports
    /// every `take` of a query that has no `sort`/`top` anywhere: 60 findings in 58 corpus files,
    /// every one a sample. Microsoft's analyzer has no such rule.
    pub struct TakeWithoutOrder { code: "AH125", name: "take-without-order", category: Suspicious, severity: Warning, fix: Unsafe, weight: 0 }
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for take in cx.nodes(SyntaxKind::TAKE_OP) {
        let Some(place) = OperatorInPipe::of(&take) else {
            continue;
        };
        let pipe = &place.pipe;
        if input_is_ordered(pipe, place.before()) {
            continue;
        }
        let Some(keyword) = tokens(&take).next() else {
            continue;
        };
        let count = ast::TakeOp::cast(take.clone()).and_then(|t| t.count());
        let count_text = count.as_ref().map(|c| c.text().to_string());
        let word = keyword.text().to_ascii_lowercase();
        let shown = format!("{word} {}", count_text.as_deref().unwrap_or("N"));
        // 1. Sorted after the cut.
        if let Some((i, sorter)) = place
            .after()
            .iter()
            .enumerate()
            .find(|(_, op)| !keeps_order(op.kind()))
            .filter(|(_, op)| matches!(op.kind(), SyntaxKind::ORDER_OP | SyntaxKind::TOP_OP))
        {
            let what = tokens(sorter)
                .next()
                .map_or("sort".to_string(), |t| t.text().to_ascii_lowercase());
            let mut d = cx
                .report(
                    format!(
                        "`{shown}` keeps arbitrary rows, and the `{what}` after it orders only \
                         those: the result is not the first rows in that order"
                    ),
                    keyword.text_range(),
                )
                .with_label(
                    sorter.text_range(),
                    format!("`{what}` orders the rows the `{word}` kept"),
                )
                .with_help(format!(
                    "use `top {} by …` instead, or sort before the `{word}`",
                    count_text.as_deref().unwrap_or("N")
                ));
            if i == 0 && sorter.kind() == SyntaxKind::ORDER_OP {
                if let Some(fix) = top_fix(&take, sorter, count_text.as_deref()) {
                    d = d.with_fix(fix);
                }
            }
            out.push(d);
            continue;
        }
        // 2. One arbitrary row used as a value.
        let one = count
            .as_ref()
            .and_then(|c| c.text().to_string().trim().parse::<u64>().ok())
            == Some(1);
        if !one || single_row_input(place.before()) {
            continue;
        }
        let Some(used_as) = used_as_value(pipe.syntax()) else {
            continue;
        };
        let time = time_column_in_scope(cx, pipe, &take);
        let mut d = cx
            .report(
                format!("`{shown}` picks an arbitrary row, and the query uses it as {used_as}"),
                keyword.text_range(),
            )
            .with_help(match &time {
                Some(t) => format!("for the latest row use `top 1 by {t} desc` (or `arg_max`)"),
                None => "say which row: `top 1 by …` or `arg_max(…)`".to_string(),
            });
        if let Some(t) = time {
            d = d.with_fix(Fix::unsafe_(
                format!("use `top 1 by {t} desc`"),
                vec![TextEdit::replace(
                    take.text_range(),
                    format!("top 1 by {t} desc"),
                )],
            ));
        }
        out.push(d);
    }
    out
}

/// Whether `kind` keeps its input rows in their order (filters and column changes).
fn keeps_order(kind: SyntaxKind) -> bool {
    use SyntaxKind::*;
    matches!(
        kind,
        WHERE_OP
            | PROJECT_OP
            | PROJECT_AWAY_OP
            | PROJECT_KEEP_OP
            | PROJECT_RENAME_OP
            | PROJECT_REORDER_OP
            | EXTEND_OP
            | PARSE_OP
            | SERIALIZE_OP
            | AS_OP
    )
}

/// Whether the rows reaching the operator after `before` are in a defined order: a
/// `sort`/`top` with only order-keeping operators after it, or a source whose order is written
/// (`datatable`, `range`, `print`).
fn input_is_ordered(pipe: &PipeExpr, before: &[SyntaxNode]) -> bool {
    for op in before.iter().rev() {
        match op.kind() {
            SyntaxKind::ORDER_OP | SyntaxKind::TOP_OP | SyntaxKind::TOP_NESTED_OP => return true,
            k if keeps_order(k) || k == SyntaxKind::TAKE_OP => continue,
            _ => return false,
        }
    }
    pipe.source().is_some_and(|s| {
        matches!(
            unparen(s).kind(),
            SyntaxKind::DATATABLE_OP | SyntaxKind::RANGE_OP | SyntaxKind::PRINT_OP
        )
    })
}

/// Whether at most one row reaches the operator after `before` (`count`, `summarize` without
/// `by`, an earlier `take 1`).
fn single_row_input(before: &[SyntaxNode]) -> bool {
    before
        .iter()
        .rev()
        .find(|op| !keeps_order(op.kind()))
        .is_some_and(|op| match op.kind() {
            SyntaxKind::COUNT_OP => true,
            SyntaxKind::SUMMARIZE_OP => {
                ast::SummarizeOp::cast(op.clone()).is_some_and(|s| s.by().is_none())
            }
            _ => false,
        })
}

/// What a pipeline's result is used as, when it is a value the query goes on using rather than
/// its output (see the rule's documentation).
fn used_as_value(pipe: &SyntaxNode) -> Option<&'static str> {
    let mut node = pipe.clone();
    loop {
        let parent = node.parent()?;
        match parent.kind() {
            SyntaxKind::PAREN_EXPR => {}
            // The source of an outer pipeline: `(T | take 1) | project a`.
            SyntaxKind::PIPE_EXPR if parent.first_child().as_ref() == Some(&node) => {}
            SyntaxKind::LET_STMT => return Some("a `let` value"),
            SyntaxKind::QUERY_STMT => {
                return parent
                    .parent()
                    .is_some_and(|p| p.kind() == SyntaxKind::FUNCTION_BODY)
                    .then_some("a function's result");
            }
            SyntaxKind::ARG_LIST => {
                let call = parent.parent()?;
                match call_name(&call)?.as_str() {
                    "toscalar" => return Some("a scalar (`toscalar`)"),
                    "materialize" => node = call,
                    _ => return None,
                }
                continue;
            }
            SyntaxKind::JOIN_OP | SyntaxKind::LOOKUP_OP => return Some("the right side of a join"),
            SyntaxKind::IN_EXPR | SyntaxKind::LIST_EXPR => return Some("an `in (...)` list"),
            _ => return None,
        }
        node = parent;
    }
}

/// The time column of the table the pipeline reads (through `let` names), when it is still a
/// datetime column in scope at `take`.
fn time_column_in_scope(cx: &Checker, pipe: &PipeExpr, take: &SyntaxNode) -> Option<String> {
    let mut source = unparen(pipe.source()?);
    let mut depth = 0;
    let column = loop {
        depth += 1;
        if depth > 16 {
            return None;
        }
        match source.kind() {
            SyntaxKind::NAME_REF => {
                if let Some(read) = cx.table_read(&source) {
                    break read.time_column.clone()?;
                }
                source = unparen(cx.let_value(&source)?);
            }
            SyntaxKind::PIPE_EXPR => source = unparen(PipeExpr::cast(source)?.source()?),
            _ => return None,
        }
    };
    let scope = cx.model().columns_at(take.text_range().start())?;
    scope
        .column(&column)
        .filter(|c| c.ty == kql_semantic::ScalarType::DateTime)
        .map(|_| column)
}

/// `take N | sort by K` → `top N by K` (the sort's keys as written).
fn top_fix(take: &SyntaxNode, sort: &SyntaxNode, count: Option<&str>) -> Option<Fix> {
    let count = count?;
    let first_key = sort.children().find(|c| c.kind() == SyntaxKind::SORT_KEY)?;
    let keys = TextRange::new(first_key.text_range().start(), sort.text_range().end());
    let keys_text =
        &sort.text().to_string()[usize::from(keys.start() - sort.text_range().start())..];
    // Operator parameters (`hint.…`) between `sort` and `by` would be lost: no fix then.
    if sort
        .children()
        .any(|c| c.kind() == SyntaxKind::OPERATOR_PARAM)
    {
        return None;
    }
    Some(Fix::unsafe_(
        format!("use `top {count} by …`"),
        vec![TextEdit::replace(
            TextRange::new(take.text_range().start(), sort.text_range().end()),
            format!("top {count} by {keys_text}"),
        )],
    ))
}
