//! Property tests: escaped text reads back (through kqlkit's parser) as exactly the input.
//! Needs kql-syntax's real `string_literal_value` and `parse`.

use proptest::prelude::*;

/// Strings heavy in the characters that break naive escaping, mixed with arbitrary Unicode.
fn tricky_string() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        3 => any::<char>(),
        1 => prop::sample::select(vec!['\'', '"', '\\', '\n', '\r', '\t', '\0', '\u{7f}', '\u{85}', '\u{2028}', '\u{feff}', '@', 'h', '[', ']', '`', '😀']),
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn escape_string_round_trips(s in tricky_string()) {
        let lit = kql_builder::escape_string(&s);
        prop_assert_eq!(kql_syntax::string_literal_value(&lit), Some(s.clone()), "literal {}", lit);
        let query = format!("print x = {lit}");
        let parse = kql_syntax::parse(&query);
        prop_assert!(!parse.has_errors(), "{query:?}: {:?}", parse.diagnostics());
    }

    #[test]
    fn escape_identifier_round_trips(s in tricky_string()) {
        let id = kql_builder::escape_identifier(&s);
        let name = match id.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(inner) => kql_syntax::string_literal_value(inner),
            None => Some(id.clone()),
        };
        prop_assert_eq!(name, Some(s.clone()), "identifier {}", id);
        for query in [format!("T | project {id}"), format!("T | extend {id} = 1"), format!("T | where {id} == 1")] {
            let parse = kql_syntax::parse(&query);
            prop_assert!(!parse.has_errors(), "{query:?}: {:?}", parse.diagnostics());
        }
    }
}
