//! Runs one stage once over every `.kql` file under a folder, for `valgrind --tool=callgrind`:
//!
//!     perf_driver DIR [parse|analyze|lint|all]
//!
//! Texts are parsed before the measured stage too, so compare stages against `parse`; `lint`
//! builds the model first (the rules read it), so compare it against `analyze`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .expect("usage: perf_driver DIR [parse|analyze|lint|all]");
    let mode = args.next().unwrap_or_else(|| "all".to_string());
    let texts = kql_syntax::corpus::kql_texts(std::path::Path::new(&dir));
    let schema = kql_schema::Schema::advanced_hunting();
    let settings = kql_lint::Settings::at_unix_ticks(
        kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").expect("valid datetime"),
    )
    .expect("now within years 1..=9999");
    let mut n = 0;
    for t in &texts {
        let parse = kql_syntax::parse(t);
        if mode == "analyze" || mode == "lint" || mode == "all" {
            // `lint` runs on the model (as `kql lint` does): compare it against `analyze`.
            let model = kql_semantic::analyze(&parse, schema);
            n += model.diagnostics().len();
            if mode != "analyze" {
                n += kql_lint::lint_with_model(t, &parse, &settings, schema, &model).len();
            }
        }
    }
    println!("{} files, {n} diagnostics", texts.len());
}
