use super::prelude::*;

declare_rule! {
    /// `has`/`contains` with an IPv4 address.
    ///
    /// ## What it does
    /// Reports `has`, `contains` (and negations) whose literal is an IPv4 address.
    ///
    /// ## Why is this bad?
    /// `has_ipv4` matches the address as a whole (not `10.1.1.10` for `10.1.1.1`) and is index-assisted.
    ///
    /// ## Example
    /// ```kql
    /// DeviceNetworkEvents | where RemoteIP has "10.1.1.1"
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceNetworkEvents | where has_ipv4(RemoteIP, "10.1.1.1")
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `has_ipv4` is stricter about what surrounds the address.
    pub struct HasIpv4Literal { code: "AH106", name: "has-ipv4-literal", category: Performance, severity: Info, fix: Unsafe, weight: 1 }
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (bin, op, _) in cx.bin_ops() {
        let negated = match op.as_str() {
            "has" | "contains" | "has_cs" | "contains_cs" => false,
            "!has" | "!contains" | "!has_cs" | "!contains_cs" => true,
            _ => continue,
        };
        let (Some(l), Some(r)) = (bin.first_child(), bin.children().nth(1)) else {
            continue;
        };
        let Some(v) = string_value(&r) else { continue };
        if !is_ipv4(&v) {
            continue;
        }
        let call = format!("has_ipv4({}, {})", l.text(), r.text());
        let replacement = if negated {
            format!("not({call})")
        } else {
            call
        };
        out.push(
            cx.report(
                format!("`{op}` with the IPv4 address \"{v}\"; `has_ipv4` matches it exactly"),
                bin.text_range(),
            )
            .with_fix(Fix::unsafe_(
                "Use `has_ipv4`",
                vec![TextEdit::replace(bin.text_range(), replacement)],
            )),
        );
    }
    out
}
