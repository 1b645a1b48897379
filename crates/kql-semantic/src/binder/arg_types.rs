//! Literal arguments of built-in functions against Kusto's parameter types (KQL210), and
//! parameters that take only a literal (KQL211).
//!
//! Kusto's analyzer checks each argument's type against the parameter's declared types and
//! converts implicitly only upwards among numbers: `int` fits a `long` parameter, `int` and
//! `long` fit `real`, and nothing else converts (`long` does not fit `int`, a string does not
//! fit `guid` or `datetime`, a dynamic value fits only `dynamic`). Its messages are "A value of
//! type T expected" and the like (KS107, KS134, KS137, KS141, KS234).
//!
//! Only literal arguments are judged: their type is certain, where a column's or expression's
//! type is ours and may differ from Kusto's. Parameters whose Kusto rule is wider than the
//! catalog's words (summable `numeric|timespan` also takes datetime; `numeric|bool`; decimal
//! ones) and functions from our overlay (their types are not Kusto's) are not judged.
//!
//! Some parameters take only a literal (the catalog's `!literal`, Kusto's ArgumentKind
//! Literal): `datetime_diff("day", ...)`, not a `let` name, a parameter, `("day")` or
//! `strcat(...)` (Kusto's KS131, "The expression must be a literal").

use kql_schema::{ArgType, FunctionSig, Signature};

use super::*;

/// Whether a literal of type `ty` fits a parameter of type `param` (true when unsure).
fn literal_fits(param: &ArgType, ty: ScalarType) -> bool {
    use ScalarType as T;
    let listed = |ts: &[T]| {
        ts.contains(&ty)
            || (ty == T::Int && ts.contains(&T::Long))
            || (matches!(ty, T::Int | T::Long) && ts.contains(&T::Real))
    };
    match param {
        _ if ty == T::Unknown => true,
        ArgType::Numeric => ty.is_numeric(),
        ArgType::Exact(T::Decimal) => true,
        ArgType::Exact(t) => listed(&[*t]),
        ArgType::OneOf(ts)
            if ts.contains(&T::Decimal) || ts.contains(&T::Bool) || ts.contains(&T::TimeSpan) =>
        {
            // Summable, number-or-bool, real-or-decimal: Kusto's rules there are its own.
            true
        }
        ArgType::OneOf(ts) => listed(ts),
        ArgType::Scalar | ArgType::Any | ArgType::Tabular | ArgType::Lambda => true,
    }
}

/// The type of a literal argument, `Unknown` for anything else.
fn literal_type(arg: &SyntaxNode, ty: ScalarType) -> ScalarType {
    match arg.kind() {
        LITERAL | DYNAMIC_LITERAL => ty,
        _ => ScalarType::Unknown,
    }
}

/// Whether the argument binding of `sig` is plain: no parameter after a repeated one.
fn plain_binding(sig: &Signature) -> bool {
    let repeated = sig.params.iter().position(|p| p.variadic);
    repeated.is_none_or(|r| sig.params[r..].iter().all(|p| p.variadic))
}

/// The first argument (index) that is not a literal where `sig` takes only one (a `typeof`
/// parameter, `any`, is left alone).
fn not_literal(sig: &Signature, args: &[SyntaxNode]) -> Option<usize> {
    let n = args.len();
    if !plain_binding(sig) {
        return None;
    }
    (0..n).find(|&i| {
        sig.param_for(i, n).is_some_and(|p| {
            p.literal
                && p.ty != ArgType::Any
                && !matches!(args[i].kind(), LITERAL | DYNAMIC_LITERAL)
        })
    })
}

/// The first literal argument (index) that `sig` does not take, if any. A signature with
/// parameters after a repeated one is not judged: which parameter an argument binds to is
/// ambiguous there (`array_sort_asc(arrays:dynamic{1,64}, nulls_last:bool?)`).
fn rejected(sig: &Signature, literals: &[ScalarType]) -> Option<usize> {
    let n = literals.len();
    if !plain_binding(sig) {
        return None;
    }
    (0..n).find(|&i| {
        sig.param_for(i, n)
            .is_some_and(|p| !literal_fits(&p.ty, literals[i]))
    })
}

impl Binder<'_> {
    /// Reports the first argument that is not a literal where every overload of `f` (with room
    /// for this many arguments) takes only a literal (Kusto's KS131).
    pub(super) fn check_literal_only(&mut self, f: &FunctionSig, args: &[SyntaxNode]) {
        if !f.takes_literal || f.from_overlay {
            return;
        }
        let n = args.len();
        let mut fitting = f.signatures.iter().filter(|s| s.fits_count(n));
        let Some(first) = fitting.next() else {
            return;
        };
        let Some(bad) = not_literal(first, args) else {
            return;
        };
        if fitting.any(|s| not_literal(s, args) != Some(bad)) {
            return;
        }
        let Some(param) = first.param_for(bad, n) else {
            return;
        };
        self.error(
            codes::LITERAL_ARGUMENT,
            format!(
                "`{}` takes only a literal for parameter `{}`, not an expression or a name",
                f.name, param.name
            ),
            args[bad].text_range(),
            None,
        );
    }

    /// Reports the first literal argument that no overload of `f` (with room for this many
    /// arguments) takes. `arg_types` are the arguments' types, in order.
    pub(super) fn check_literal_args(
        &mut self,
        f: &FunctionSig,
        args: &[SyntaxNode],
        arg_types: &[ScalarType],
    ) {
        if f.from_overlay {
            return;
        }
        let n = args.len();
        let mut few = [ScalarType::Unknown; 8];
        if n > few.len()
            || args
                .iter()
                .all(|a| !matches!(a.kind(), LITERAL | DYNAMIC_LITERAL))
        {
            return;
        }
        for (i, a) in args.iter().enumerate() {
            few[i] = literal_type(a, arg_types[i]);
        }
        let literals = &few[..n];
        let mut fitting = f.signatures.iter().filter(|s| s.fits_count(n));
        let Some(first) = fitting.next() else {
            return;
        };
        let Some(bad) = rejected(first, literals) else {
            return;
        };
        if fitting.any(|s| rejected(s, literals).is_none()) {
            return;
        }
        let Some(param) = first.param_for(bad, n) else {
            return;
        };
        self.error(
            codes::ARGUMENT_TYPE,
            format!(
                "`{}` expects {} for parameter `{}`, not this {} literal",
                f.name,
                param.ty,
                param.name,
                literals[bad].as_str()
            ),
            args[bad].text_range(),
            None,
        );
    }
}
