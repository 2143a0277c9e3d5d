//! Every mistake a user can make in a service trait, with the message rustc shows for it (`tests/ui/fail`),
//! and services that must compile (`tests/ui/pass`). Snapshots are pinned to the toolchain in use here;
//! refresh them with `TRYBUILD=overwrite cargo test -p hello-macros --test compiletest`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
