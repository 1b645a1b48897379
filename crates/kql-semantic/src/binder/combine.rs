//! Row-schema rules of the operators that combine tables: join, lookup and union.

use super::*;

impl Binder<'_> {
    pub(super) fn join(&mut self, op: &SyntaxNode, left: &RowSchema) -> RowSchema {
        let right = op
            .children()
            .find(|c| {
                matches!(
                    c.kind(),
                    PAREN_EXPR | NAME_REF | PIPE_EXPR | CALL_EXPR | MEMBER_EXPR
                )
            })
            .map(|c| self.table(&c))
            .unwrap_or_else(unknown_row);
        let kind = op_param(op, "kind")
            .map(|(k, _)| k.to_ascii_lowercase())
            .unwrap_or_default();
        let is_lookup = op.kind() == LOOKUP_OP;
        let mut keys = Vec::new();
        if let Some(on) = ast::on_clause(op) {
            let row = Row {
                row: left,
                left: Some(left),
                right: Some(&right),
            };
            for c in on.children() {
                if c.kind() == NAME_REF {
                    if let Some(n) = name_text(&c) {
                        for (side, what) in [(left, "left"), (&*right, "right")] {
                            if side.column(&n).is_none() && !side.open {
                                self.error(
                                    codes::UNKNOWN_COLUMN,
                                    format!("unknown column `{n}` on the {what} side of the join"),
                                    c.text_range(),
                                    None,
                                );
                                break;
                            }
                        }
                        keys.push(n);
                    }
                } else if is_expr(c.kind()) {
                    self.expr_value(&c, Some(row));
                }
            }
        }
        match kind.as_str() {
            "leftanti" | "anti" | "leftantisemi" | "leftsemi" => return left.clone(),
            "rightanti" | "rightantisemi" | "rightsemi" => return (*right).clone(),
            _ => {}
        }
        // Room for every right column, so the pushes below do not reallocate.
        let mut out = RowSchema {
            columns: Vec::with_capacity(left.columns.len() + right.columns.len()),
            open: left.open | right.open,
        };
        out.columns.extend_from_slice(&left.columns);
        let mut names = OutputNames::new(&out, right.columns.len());
        for c in &right.columns {
            if !names.contains(&out, &c.name) {
                names.insert(&c.name);
                out.columns.push(c.clone());
            } else if is_lookup && keys.iter().any(|k| **k == *c.name) {
                continue;
            } else {
                let mut i = 1;
                while names.contains(&out, &format!("{}{i}", c.name)) {
                    i += 1;
                }
                let name: Rc<str> = format!("{}{i}", c.name).into();
                names.insert(&name);
                out.columns.push(col(name, c.ty));
            }
        }
        out
    }

    pub(super) fn union(&mut self, op: &SyntaxNode, input: &RowSchema) -> RowSchema {
        let mut inputs: Vec<Rc<RowSchema>> = Vec::new();
        let starts_query = op
            .parent()
            .is_none_or(|p| p.kind() != PIPE_EXPR || p.children().next().as_ref() == Some(op));
        if !starts_query {
            inputs.push(Rc::new(input.clone()));
        }
        let mut open = false;
        let fuzzy = op_param(op, "isfuzzy").is_some_and(|(v, _)| v.eq_ignore_ascii_case("true"));
        if fuzzy {
            self.fuzzy += 1;
        }
        let items: Vec<SyntaxNode> = match ast::name_list(op) {
            Some(l) => l.children().collect(),
            None => op
                .children()
                .filter(|c| c.kind() != OPERATOR_PARAM)
                .collect(),
        };
        for item in items {
            match item.kind() {
                WILDCARD_NAME => {
                    let pat: String = item.text().to_string().split_whitespace().collect();
                    let schema = self.schema;
                    let tables: Vec<_> = schema
                        .tables
                        .values()
                        .filter(|t| glob_match(&pat, &t.name))
                        .map(|t| self.table_row(t))
                        .collect();
                    let lets = self
                        .scopes
                        .iter()
                        .any(|s| s.keys().any(|k| glob_match(&pat, k)));
                    if tables.is_empty() {
                        open = true;
                        if !lets {
                            self.error(
                                codes::UNKNOWN_TABLE,
                                format!("no table matches `{pat}`"),
                                item.text_range(),
                                None,
                            );
                        }
                    }
                    inputs.extend(tables);
                }
                k if is_expr(k) || k.is_tabular_operator() => inputs.push(self.table(&item)),
                _ => {}
            }
        }
        if fuzzy {
            self.fuzzy -= 1;
        }
        let mut out = RowSchema::default();
        if let Some((name, _)) = op_param(op, "withsource").or_else(|| op_param(op, "source")) {
            if name.is_empty() {
                open = true;
            } else {
                out.set(name, ScalarType::String);
            }
        }
        // The output's columns by name, once there are many: a union of wide tables has
        // hundreds, too many to scan once per input column (a few are cheaper to scan than hash).
        let mut index: Option<FastMap<Rc<str>, usize>> = None;
        for t in &inputs {
            open |= t.open;
            for c in &t.columns {
                if index.is_none() && out.columns.len() >= UNION_SCAN_LIMIT {
                    let mut map = FastMap::with_capacity_and_hasher(
                        out.columns.len() + t.columns.len(),
                        Default::default(),
                    );
                    for (i, c) in out.columns.iter().enumerate() {
                        map.entry(c.name.clone()).or_insert(i);
                    }
                    index = Some(map);
                }
                let found = match &index {
                    Some(map) => map.get(&c.name).copied(),
                    None => out.columns.iter().position(|x| x.name == c.name),
                };
                match found {
                    Some(i) => {
                        let x = &mut out.columns[i];
                        if x.ty != c.ty {
                            // Decision: like Microsoft's analyzer, keep one column of unknown type.
                            x.ty = ScalarType::Unknown;
                        }
                    }
                    None => {
                        if let Some(map) = &mut index {
                            map.insert(c.name.clone(), out.columns.len());
                        }
                        out.columns.push(c.clone());
                    }
                }
            }
        }
        if inputs.is_empty() {
            open = true;
        }
        out.open = open;
        out
    }
}

/// How many output columns a union scans before it indexes them by name.
const UNION_SCAN_LIMIT: usize = 16;

/// The names of a join's output while the right side's columns are added. Joining wide tables
/// would be quadratic, so they get a hash set; when few columns meet (most joins have a narrow
/// side), scanning the output is cheaper than hashing every name.
enum OutputNames {
    Scan,
    Set(FastSet<Rc<str>>),
}

impl OutputNames {
    fn new(out: &RowSchema, more: usize) -> OutputNames {
        if out.columns.len() * more <= 256 {
            return OutputNames::Scan;
        }
        let mut names =
            FastSet::with_capacity_and_hasher(out.columns.len() + more, Default::default());
        names.extend(out.columns.iter().map(|c| c.name.clone()));
        OutputNames::Set(names)
    }

    fn contains(&self, out: &RowSchema, name: &str) -> bool {
        match self {
            OutputNames::Scan => out.column(name).is_some(),
            OutputNames::Set(names) => names.contains(name),
        }
    }

    fn insert(&mut self, name: &Rc<str>) {
        if let OutputNames::Set(names) = self {
            names.insert(name.clone());
        }
    }
}
