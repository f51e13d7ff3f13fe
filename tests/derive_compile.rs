//! Compile-fail tests for `#[derive(FromRow)]` and `#[derive(Insertable)]`: each bad attribute must
//! be an error that points at the offending tokens. The expected messages are in
//! `tests/ui/*.stderr`.

#[test]
fn derive_from_row_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
