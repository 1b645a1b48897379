//! Reading catalog text, line by line (format: the `catalog` module docs).

use std::fmt;

use super::{ArgType, FunctionKind, FunctionSig, Param, ReturnRule, Signature};
use crate::ScalarType;

/// A line of catalog text that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "functions catalog line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CatalogError {}

/// What one line says.
pub(super) enum Entry {
    /// A function with one signature; `true` when it is another overload of the previous line.
    Full(FunctionSig, bool),
    /// An overlay's bare name: new kind, and result rule and replacement when given.
    Amend(Amend),
}

pub(super) struct Amend {
    pub name: String,
    pub kind: FunctionKind,
    pub returns: Option<ReturnRule>,
    pub deprecated_by: Option<String>,
}

/// Reads `text`, handing each function line to `each`; `overlay` allows bare-name lines.
pub(super) fn read(
    text: &str,
    overlay: bool,
    mut each: impl FnMut(Entry) -> Result<(), String>,
) -> Result<(), CatalogError> {
    let mut kind = None;
    let mut previous: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let err = |message: String| CatalogError {
            line: i + 1,
            message,
        };
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(sec) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            kind = Some(
                FunctionKind::from_section(sec)
                    .ok_or_else(|| err(format!("unknown section `{sec}`")))?,
            );
            previous = None;
            continue;
        }
        let kind = kind.ok_or_else(|| err("function before any [section]".into()))?;
        let entry = if overlay && !line.contains('(') {
            previous = None;
            Entry::Amend(parse_amend(line, kind).map_err(err)?)
        } else {
            let sig = parse_line(line, kind).map_err(err)?;
            let continues = previous.as_deref() == Some(sig.name.as_str());
            previous = Some(sig.name.clone());
            Entry::Full(sig, continues)
        };
        each(entry).map_err(err)?;
    }
    Ok(())
}

/// `name [-> rule] [~replacement]`.
fn parse_amend(line: &str, kind: FunctionKind) -> Result<Amend, String> {
    let (rest, deprecated_by) = split_replacement(line);
    let (name, returns) = match rest.split_once("->") {
        Some((n, r)) => (n.trim(), Some(parse_return(r.trim())?)),
        None => (rest.trim(), None),
    };
    check_name(name)?;
    Ok(Amend {
        name: name.to_string(),
        kind,
        returns,
        deprecated_by,
    })
}

fn split_replacement(line: &str) -> (&str, Option<String>) {
    match line.split_once('~') {
        Some((s, rep)) => (s.trim(), Some(rep.trim().to_string())),
        None => (line, None),
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("bad function name `{name}`"));
    }
    Ok(())
}

fn parse_line(line: &str, kind: FunctionKind) -> Result<FunctionSig, String> {
    // Flags come last: `... -> type ~replacement !obsolete !hidden`.
    let mut line = line;
    let mut obsolete = false;
    let mut hidden = false;
    loop {
        if let Some(l) = line.strip_suffix("!obsolete") {
            obsolete = true;
            line = l.trim_end();
        } else if let Some(l) = line.strip_suffix("!hidden") {
            hidden = true;
            line = l.trim_end();
        } else {
            break;
        }
    }
    let (sig, deprecated_by) = split_replacement(line);
    let (head, ret) = sig
        .split_once("->")
        .ok_or("missing `-> return type`".to_string())?;
    let head = head.trim();
    let open = head.find('(').ok_or("missing `(`")?;
    let name = head[..open].trim();
    check_name(name)?;
    let inner = head[open + 1..]
        .strip_suffix(')')
        .ok_or("missing `)` at the end of the parameter list")?;
    let mut params = Vec::new();
    for p in inner.split(", ").map(str::trim).filter(|p| !p.is_empty()) {
        params.push(parse_param(p)?);
    }
    let repeated: Vec<usize> = (0..params.len()).filter(|&i| params[i].variadic).collect();
    if repeated.windows(2).any(|w| w[1] != w[0] + 1) {
        return Err("repeated parameters must be next to each other".into());
    }
    let returns = parse_return(ret.trim())?;
    let check = |i: usize| {
        if i < params.len() {
            Ok(())
        } else {
            Err(format!("the result refers to parameter {}", i + 1))
        }
    };
    match &returns {
        ReturnRule::SameAs(i) | ReturnRule::Widen(i) => check(*i)?,
        ReturnRule::Common(ix) => ix.iter().try_for_each(|i| check(*i))?,
        _ => {}
    }
    let takes_literal = params.iter().any(|p| p.literal);
    Ok(FunctionSig {
        name: name.to_string(),
        kind,
        signatures: vec![Signature { params, returns }],
        deprecated_by,
        obsolete,
        hidden,
        from_overlay: false,
        takes_literal,
    })
}

/// `name:type` with `?`, `*`, `+` or `{min,max}` after it.
fn parse_param(p: &str) -> Result<Param, String> {
    let (name, ty) = p
        .split_once(':')
        .ok_or_else(|| format!("parameter `{p}` has no `:type`"))?;
    let ty = ty.trim();
    let (ty, literal) = match ty.strip_suffix("!literal") {
        Some(t) => (t.trim_end(), true),
        None => (ty, false),
    };
    let (ty, min, max) = if let Some(t) = ty.strip_suffix('?') {
        (t, 0, Some(1))
    } else if let Some(t) = ty.strip_suffix('*') {
        (t, 0, None)
    } else if let Some(t) = ty.strip_suffix('+') {
        (t, 1, None)
    } else if let Some((t, range)) = ty.strip_suffix('}').and_then(|t| t.split_once('{')) {
        let bad = || format!("bad repetition `{{{range}}}` (expected {{min,max}} or {{min,}})");
        let (min, max) = range.split_once(',').ok_or_else(bad)?;
        let min: u32 = min.trim().parse().map_err(|_| bad())?;
        let max: Option<u32> = match max.trim() {
            "" => None,
            m => Some(m.parse().map_err(|_| bad())?),
        };
        if max.is_some_and(|m| m < min.max(1)) {
            return Err(bad());
        }
        (t, min, max)
    } else {
        (ty, 1, Some(1))
    };
    let parsed = ArgType::parse(ty).ok_or_else(|| format!("unknown parameter type `{ty}`"))?;
    Ok(Param {
        name: name.trim().to_string(),
        ty: parsed,
        optional: min == 0,
        variadic: max != Some(1),
        min_occurs: min,
        max_occurs: max,
        literal,
    })
}

fn parse_return(s: &str) -> Result<ReturnRule, String> {
    let index = |n: &str| -> Result<usize, String> {
        match n.trim().parse::<usize>() {
            Ok(i) if i >= 1 => Ok(i - 1),
            _ => Err(format!("bad parameter number `{n}` (1-based)")),
        }
    };
    if s == "tabular" {
        return Ok(ReturnRule::Tabular);
    }
    if let Some(t) = ScalarType::parse(s) {
        return Ok(ReturnRule::Fixed(t));
    }
    let Some(rule) = s.strip_prefix('$') else {
        return Err(format!("unknown return type `{s}`"));
    };
    if rule == "numeric" {
        return Ok(ReturnRule::Numeric);
    }
    if rule == "unknown" {
        return Ok(ReturnRule::Fixed(ScalarType::Unknown));
    }
    if let Some(args) = rule
        .strip_prefix("common(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return Ok(ReturnRule::Common(
            args.split(',').map(index).collect::<Result<_, _>>()?,
        ));
    }
    if let Some(n) = rule
        .strip_prefix("widen(")
        .and_then(|r| r.strip_suffix(')'))
    {
        return Ok(ReturnRule::Widen(index(n)?));
    }
    Ok(ReturnRule::SameAs(index(rule)?))
}
