//! Kusto schema text: `T (a:string)` lines and the control commands that define tables and
//! stored functions (`.show database schema as csl script` output).

use crate::error::{line_col, SchemaError, SchemaErrorKind};
use crate::model::{Column, Function, ParamType, Parameter, Schema, Table};
use crate::ScalarType;

use super::validate_table;

/// `T (a:string, b:long)` or `T: (…)` entries, one or more, separated by newlines, commas or
/// semicolons; a bare `(a:string)` takes `table_name`. `//` comments are skipped.
///
/// Control commands are read too, so the output of `.show database schema as csl script`,
/// `.show table T cslschema` or a create script can be loaded as it is: `.create[-merge]
/// table(s)` and `.alter table` definitions (their `with (...)` properties are skipped),
/// `.create[-or-alter] function [with (...)] F(params) { body }` stored functions, and any other
/// command (policies, principals, materialized views…) is skipped up to the next line that
/// starts with `.`.
pub(super) fn parse_kusto_schema_text(
    text: &str,
    table_name: Option<&str>,
) -> Result<Schema, SchemaError> {
    let mut p = KustoParser::new(text);
    let mut schema = Schema::empty();
    loop {
        p.skip_separators();
        if p.at_end() {
            break;
        }
        let start = p.pos;
        if p.peek() == Some(b'.') {
            match p.command() {
                Command::Table => p.skip_separators(),
                Command::Function => {
                    let f = p.function()?;
                    if schema.functions.contains_key(&f.name) {
                        let (l, c) = line_col(text, start);
                        return Err(SchemaError::invalid(format!(
                            "function `{}` is defined twice",
                            f.name
                        ))
                        .at(l, c));
                    }
                    schema.insert_function(f);
                    continue;
                }
                Command::Other => {
                    p.skip_command();
                    continue;
                }
            }
        }
        let name = if p.peek() == Some(b'(') {
            match table_name {
                Some(n) => n.to_string(),
                None => return Err(p.error("a column list without a table name")),
            }
        } else {
            let n = p.name().ok_or_else(|| p.error("expected a table name"))?;
            p.skip_trivia();
            p.eat(b':');
            n
        };
        p.skip_trivia();
        if !p.eat(b'(') {
            return Err(p.error(&format!("expected `(` after table name `{name}`")));
        }
        let columns = p.columns(Some(b')'))?;
        p.skip_with_properties()?;
        let table = Table::new(name, columns).with_default_time_column();
        if schema.tables.contains_key(&table.name) {
            let (l, c) = line_col(text, start);
            return Err(
                SchemaError::invalid(format!("table `{}` is defined twice", table.name)).at(l, c),
            );
        }
        validate_table(&table).map_err(|e| {
            let (l, c) = line_col(text, start);
            e.at(l, c)
        })?;
        schema.insert_table(table);
    }
    if schema.tables.is_empty() && schema.functions.is_empty() {
        return Err(SchemaError::invalid("no table found in Kusto schema text"));
    }
    Ok(schema)
}

/// What a control command defines.
enum Command {
    /// A table definition follows: `T (cols)`.
    Table,
    /// A stored function follows: `[with (...)] F(params) { body }`.
    Function,
    /// Something else, skipped.
    Other,
}

/// A small hand-written scanner: the grammar is tiny and we want exact error positions.
pub(super) struct KustoParser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> KustoParser<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        KustoParser { text, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub(super) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn error(&self, msg: &str) -> SchemaError {
        let (l, c) = line_col(self.text, self.pos);
        let found = match self.text[self.pos..].chars().next() {
            Some(ch) => format!(" (found `{ch}`)"),
            None => " (found end of text)".to_string(),
        };
        SchemaError::new(SchemaErrorKind::Syntax, format!("{msg}{found}")).at(l, c)
    }

    pub(super) fn skip_trivia(&mut self) {
        loop {
            let rest = &self.text[self.pos..];
            if rest.starts_with("//") {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if let Some(ch) = rest.chars().next().filter(|c| c.is_whitespace()) {
                self.pos += ch.len_utf8();
            } else {
                return;
            }
        }
    }

    fn skip_separators(&mut self) {
        loop {
            self.skip_trivia();
            if !(self.eat(b',') || self.eat(b';')) {
                return;
            }
        }
    }

    /// Reads `.verb object` and says what follows. `.create`/`.alter` commands on `table(s)`
    /// define tables when a column list follows the name; on `function`, a function.
    fn command(&mut self) -> Command {
        let start = self.pos;
        self.pos += 1;
        let verb = self.word();
        self.skip_trivia();
        let object = self.word();
        let defines = verb.starts_with("create") || verb.starts_with("alter");
        match object {
            "function" if defines => Command::Function,
            "table" | "tables" if defines => {
                // `.alter table T policy …` names a table but defines nothing.
                let after = self.pos;
                self.skip_trivia();
                let defines_columns = self.name().is_some() && {
                    self.skip_trivia();
                    self.eat(b':');
                    self.skip_trivia();
                    self.peek() == Some(b'(')
                };
                self.pos = after;
                if defines_columns {
                    Command::Table
                } else {
                    self.pos = start;
                    Command::Other
                }
            }
            _ => {
                self.pos = start;
                Command::Other
            }
        }
    }

    /// A run of letters, digits, `-` and `_` (a command word).
    fn word(&mut self) -> &'a str {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    /// Skips a command up to the next line that starts with `.` (or the end).
    fn skip_command(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.find("\n.").map_or(rest.len(), |i| i + 1);
    }

    /// Skips `with (name = value, …)` after a definition.
    fn skip_with_properties(&mut self) -> Result<(), SchemaError> {
        let before = self.pos;
        self.skip_trivia();
        if self.word() == "with" {
            self.skip_trivia();
            if self.peek() == Some(b'(') {
                self.balanced()?;
                return Ok(());
            }
        }
        self.pos = before;
        Ok(())
    }

    /// The text of a bracketed group starting at the current `(`, `[` or `{`, brackets
    /// included; strings and `//` comments inside may hold any bracket.
    fn balanced(&mut self) -> Result<&'a str, SchemaError> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos += 1;
                        return Ok(&self.text[start..self.pos]);
                    }
                }
                b'\'' | b'"' => {
                    self.string()?;
                    continue;
                }
                b'/' if self.text[self.pos..].starts_with("//") => {
                    self.skip_trivia();
                    continue;
                }
                _ => {}
            }
            self.pos += 1;
        }
        self.pos = start;
        Err(self.error("unclosed bracket"))
    }

    /// `[with (...)] Name(params) { body }` after `.create function`.
    fn function(&mut self) -> Result<Function, SchemaError> {
        self.skip_with_properties()?;
        self.skip_trivia();
        let name = self
            .name()
            .ok_or_else(|| self.error("expected a function name"))?;
        self.skip_trivia();
        if !self.eat(b'(') {
            return Err(self.error(&format!("expected `(` after function name `{name}`")));
        }
        let mut parameters = Vec::new();
        loop {
            self.skip_trivia();
            if self.eat(b')') {
                break;
            }
            if !parameters.is_empty() {
                if !self.eat(b',') {
                    return Err(self.error("expected `,` between parameters"));
                }
                self.skip_trivia();
            }
            parameters.push(self.parameter()?);
        }
        self.skip_trivia();
        if self.peek() != Some(b'{') {
            return Err(self.error(&format!("expected `{{` and the body of `{name}`")));
        }
        let body = self.balanced()?.to_string();
        Ok(Function {
            name,
            parameters,
            body: Some(body),
            columns: None,
            description: None,
        })
    }

    /// `name:type [= default]`, or a table `name:(*)` / `name:(a:string, …)`.
    fn parameter(&mut self) -> Result<Parameter, SchemaError> {
        let name = self.declared_name("parameter")?;
        let ty = if self.peek() == Some(b'(') {
            self.balanced()?;
            ParamType::Tabular
        } else {
            ParamType::Scalar(self.scalar_type()?)
        };
        self.skip_trivia();
        let default = if self.eat(b'=') {
            self.skip_trivia();
            let start = self.pos;
            while let Some(b) = self.peek() {
                match b {
                    b',' | b')' => break,
                    b'\'' | b'"' => self.string()?,
                    b'(' | b'[' | b'{' => {
                        self.balanced()?;
                    }
                    _ => self.pos += 1,
                }
            }
            Some(self.text[start..self.pos].trim().to_string())
        } else {
            None
        };
        Ok(Parameter { name, ty, default })
    }

    /// Skips the quoted string at the current `'` or `"` (backslash escapes inside).
    fn string(&mut self) -> Result<(), SchemaError> {
        let start = self.pos;
        let quote = self.peek();
        self.pos += 1;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'\\' {
                self.pos += 1;
            } else if Some(c) == quote {
                return Ok(());
            }
        }
        self.pos = start;
        Err(self.error("unclosed string"))
    }

    /// An identifier, or a bracketed name `['a b']` / `["a b"]`.
    fn name(&mut self) -> Option<String> {
        let rest = &self.text[self.pos..];
        if let Some(inner) = rest.strip_prefix('[') {
            let q = inner.chars().next().filter(|c| *c == '\'' || *c == '"')?;
            let body = &inner[1..];
            let end = body.find(q)?;
            if !body[end + 1..].starts_with(']') {
                return None;
            }
            self.pos += 1 + 1 + end + 1 + 1;
            return Some(body[..end].to_string());
        }
        self.run_of(|c| c.is_alphanumeric() || c == '_' || c == '$')
            .map(str::to_string)
    }

    /// `name:type, …` up to `close` (or the end of text when `None`).
    pub(super) fn columns(&mut self, close: Option<u8>) -> Result<Vec<Column>, SchemaError> {
        let mut cols = Vec::new();
        loop {
            self.skip_trivia();
            match close {
                Some(c) if self.eat(c) => return Ok(cols),
                None if self.at_end() => return Ok(cols),
                Some(_) if self.at_end() => return Err(self.error("missing `)`")),
                _ => {}
            }
            if !cols.is_empty() {
                if !self.eat(b',') {
                    return Err(self.error("expected `,` between columns"));
                }
                self.skip_trivia();
            }
            let name = self.declared_name("column")?;
            let ty = self.scalar_type()?;
            cols.push(Column::new(name, ty));
        }
    }

    /// `name :` before a type (`what` is "column" or "parameter", for messages).
    fn declared_name(&mut self, what: &str) -> Result<String, SchemaError> {
        let name = self
            .name()
            .ok_or_else(|| self.error(&format!("expected a {what} name")))?;
        self.skip_trivia();
        if !self.eat(b':') {
            return Err(self.error(&format!("expected `:type` after {what} `{name}`")));
        }
        self.skip_trivia();
        Ok(name)
    }

    /// A type name, which may be dotted (`System.String`).
    fn scalar_type(&mut self) -> Result<ScalarType, SchemaError> {
        let start = self.pos;
        let text = self
            .run_of(|c| c.is_alphanumeric() || c == '_' || c == '.')
            .ok_or_else(|| self.error("expected a type name"))?;
        ScalarType::parse(text).ok_or_else(|| {
            let (l, c) = line_col(self.text, start);
            SchemaError::invalid(crate::types::unknown_type_message(text)).at(l, c)
        })
    }

    /// The longest non-empty run of characters that `keep` accepts.
    fn run_of(&mut self, keep: impl Fn(char) -> bool) -> Option<&'a str> {
        let rest = &self.text[self.pos..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !keep(*c))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }
}
