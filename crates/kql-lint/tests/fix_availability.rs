//! Fix availability is declared once, in each rule's header (`fix: None | Safe | Unsafe`); this
//! holds every rule to it over its own fixture: no fix of a kind the header does not declare
//! (the lint driver also asserts it in debug builds), and a rule that declares fixes shows one.

use kql_diagnostics::Applicability;
use kql_lint::{lint, FixAvailability, Settings, RULES};

fn only(rule: &str) -> Settings {
    let mut s = Settings::at_unix_ticks(
        kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").expect("a datetime"),
    )
    .expect("now within years 1..=9999");
    s.apply_selection(Some(&[rule.to_string()]), &[], &Default::default());
    s
}

#[test]
fn every_rule_attaches_exactly_the_fix_kinds_its_header_declares() {
    for r in RULES {
        let path = format!(
            "{}/tests/fixtures/{}.kql",
            env!("CARGO_MANIFEST_DIR"),
            r.name
        );
        let text = std::fs::read_to_string(&path).expect("every rule has a fixture");
        let found = lint(&text, &kql_syntax::parse(&text), &only(r.name));
        let kinds: Vec<Applicability> = found
            .iter()
            .filter(|d| d.rule.as_deref() == Some(r.name))
            .filter_map(|d| d.fix.as_ref().map(|f| f.applicability))
            .collect();
        match r.fix {
            FixAvailability::None => assert!(kinds.is_empty(), "{} declares no fix", r.name),
            FixAvailability::Unsafe => {
                assert!(
                    !kinds.is_empty(),
                    "{} declares fixes; its fixture shows none",
                    r.name
                );
                assert!(
                    kinds.iter().all(|k| *k == Applicability::Unsafe),
                    "{} declares only unsafe fixes",
                    r.name
                );
            }
            FixAvailability::Safe => assert!(
                kinds.contains(&Applicability::Safe),
                "{} declares safe fixes; its fixture shows none",
                r.name
            ),
        }
    }
}
