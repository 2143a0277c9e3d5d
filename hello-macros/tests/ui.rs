//! Every trybuild case of both macros: services and derives that must compile (`ui/*/pass`), and every mistake a
//! user can make with the message rustc shows for it (`ui/*/fail`, with `.stderr` snapshots). Snapshots are pinned
//! to the toolchain in use here; after reading each diff, refresh them with
//! `TRYBUILD=overwrite cargo test --workspace --test ui`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/service/pass/*.rs");
    cases.compile_fail("tests/ui/service/fail/*.rs");
    cases.pass("tests/ui/describe/pass/*.rs");
    cases.compile_fail("tests/ui/describe/fail/*.rs");
}
