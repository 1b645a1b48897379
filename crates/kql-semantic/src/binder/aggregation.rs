//! Row-schema rules of aggregations: summarize (automatic column names) and make-series.

use super::*;

impl Binder<'_> {
    pub(super) fn summarize(&mut self, op: &SyntaxNode, s: &RowSchema) -> RowSchema {
        let row = Row {
            row: s,
            left: None,
            right: None,
        };
        // `by` columns come first.
        let mut out = match ast::by_clause(op) {
            Some(by) => self.summarize_by(&by, row),
            None => RowSchema::default(),
        };
        for c in op.children() {
            if c.kind() == ASSIGNMENT {
                let (names, ty, known) = self.assignment(&c, row);
                let is_arg = c
                    .children()
                    .last()
                    .and_then(|e| {
                        call_name(&e).map(|f| f.starts_with("arg_") || f.starts_with("take_any"))
                    })
                    .unwrap_or(false);
                if !known || is_arg || names.len() != 1 {
                    out.open = true;
                }
                names.each(|n| out.set(n, ty));
            } else if is_expr(c.kind()) {
                let ty = self.scalar(&c, Some(row));
                let fname = call_name(&c).unwrap_or_default();
                if matches!(
                    &*fname,
                    "arg_max" | "arg_min" | "argmax" | "argmin" | "take_any" | "take_anyif"
                ) && c.kind() == CALL_EXPR
                {
                    let mut args = call_args(&c);
                    if fname == "take_anyif" {
                        args.truncate(1);
                    }
                    for a in &args {
                        if a.kind() == STAR_EXPR {
                            for col in &s.columns {
                                if out.column(&col.name).is_none() {
                                    out.set(col.name.clone(), col.ty);
                                }
                            }
                            out.open |= s.open;
                        } else if let Some(n) = implicit_name(a) {
                            let t = self.model_type(a);
                            if out.column(&n).is_none() {
                                out.set(n, t);
                            }
                        } else {
                            out.open = true;
                        }
                    }
                    continue;
                }
                match aggregate_name(&c) {
                    Some(n) => {
                        // Automatic names are made unique: `count_`, `count_1`.
                        let mut name = n.clone();
                        let mut i = 1;
                        while out.column(&name).is_some() {
                            name = format!("{n}{i}");
                            i += 1;
                        }
                        out.set(name, ty);
                    }
                    None => out.open = true,
                }
            }
        }
        out
    }

    /// The `by` columns of summarize / make-series.
    pub(super) fn summarize_by(&mut self, by: &SyntaxNode, row: Row) -> RowSchema {
        let mut out = RowSchema::default();
        for c in by.children() {
            if c.kind() == ASSIGNMENT {
                let (names, ty, known) = self.assignment(&c, row);
                if !known {
                    out.open = true;
                }
                names.each(|n| out.set(n, ty));
            } else if is_expr(c.kind()) {
                let ty = self.scalar(&c, Some(row));
                let name = implicit_name(&c).or_else(|| {
                    let f = call_name(&c)?;
                    if matches!(&*f, "bin" | "floor" | "bin_at" | "bin_auto") {
                        call_args(&c)
                            .first()
                            .and_then(|a| implicit_name(a).map(|n| Cow::Owned(n.into_owned())))
                    } else {
                        None
                    }
                });
                match name {
                    Some(n) => out.set(n, ty),
                    None => out.open = true,
                }
            }
        }
        out
    }

    /// `make-series agg(...) [default=v], ... on Axis [from a to b step c | in range(...)] by ...`
    pub(super) fn make_series(&mut self, op: &SyntaxNode, s: &RowSchema) -> RowSchema {
        let row = Row {
            row: s,
            left: None,
            right: None,
        };
        let mut out = RowSchema::default();
        if let Some(by) = ast::by_clause(op) {
            let by_cols = self.summarize_by(&by, row);
            out.open |= by_cols.open;
            out.columns.extend(by_cols.columns);
        }
        let mut phase = 0;
        let mut after_default = false;
        for el in op.children_with_tokens() {
            if let Some(t) = el.as_token().filter(|t| t.kind() == IDENT) {
                match t.text().to_ascii_lowercase().as_str() {
                    "on" => phase = 1,
                    "from" | "to" | "step" | "in" => phase = 2,
                    "default" => after_default = true,
                    _ => {}
                }
                continue;
            }
            match el.into_node() {
                Some(c) if c.kind() == ASSIGNMENT || is_expr(c.kind()) => {
                    if after_default {
                        after_default = false;
                        self.expr_value(&c, Some(row));
                        continue;
                    }
                    match phase {
                        0 => {
                            let (names, _, known) = self.assignment(&c, row);
                            let names = if c.kind() == ASSIGNMENT {
                                names
                            } else {
                                aggregate_name(&c).into_iter().collect()
                            };
                            if (c.kind() == ASSIGNMENT && !known) || names.is_empty() {
                                out.open = true;
                            }
                            names.each(|n| out.set(n, ScalarType::Dynamic));
                        }
                        1 => {
                            self.expr_value(&c, Some(row));
                            match implicit_name(&c) {
                                Some(n) => out.set(n, ScalarType::Dynamic),
                                None => out.open = true,
                            }
                            phase = 2;
                        }
                        _ => {
                            self.expr_value(&c, Some(row));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    pub(super) fn model_type(&self, node: &SyntaxNode) -> ScalarType {
        self.model
            .types
            .iter()
            .rev()
            .find(|(r, _)| *r == node.text_range())
            .map(|(_, t)| *t)
            .unwrap_or(ScalarType::Unknown)
    }
}
