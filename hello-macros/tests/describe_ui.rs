//! Mistakes in `#[derive(Describe)]`, with the message rustc shows for each (`tests/ui/describe_*.rs`).
//! Refresh the snapshots with `TRYBUILD=overwrite cargo test -p hello-macros --test describe_ui`.

#[test]
fn describe_ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/describe_*.rs");
}
