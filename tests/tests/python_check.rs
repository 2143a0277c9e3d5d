//! tests/python/check_server.py, a strict grpcio client of our own, against our server: every field of every
//! response, all four kinds, a RouteChat where client and server take turns, and the refusals of bad input.

use hello_tests::demo::{features_json, quick};
use hello_tests::python;
use hello_tests::served::Served;

#[test]
fn python_checker_against_our_server() {
    let py = python::env();
    let server = Served::hello(quick());
    let out = py.run_checker(server.addr(), &features_json());
    let out = out.expect_success("tests/python/check_server.py");
    // One `ok` line per check, so that a checker that silently ran nothing cannot pass.
    let oks = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("ok   check_"))
        .count();
    assert_eq!(oks, 5, "stdout:\n{}", out.stdout);
}
