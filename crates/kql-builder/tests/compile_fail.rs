//! Ill-typed queries must not compile. The expected compiler messages are in
//! `tests/compile_fail/*.stderr` (regenerate with `TRYBUILD=overwrite` after a toolchain update,
//! then review them).

#[test]
fn ill_typed_queries_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/compile_fail/*.rs");
}
