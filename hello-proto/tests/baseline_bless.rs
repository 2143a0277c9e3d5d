//! `HELLO_PROTO_BLESS=1` makes the helper write the baseline instead of checking it: the one command that accepts
//! an intended change. Its own test binary, since it sets the environment variable.

use hello::demo::service::HELLO_SERVICE;
use hello_proto::{BLESS_VAR, assert_compatible};

#[test]
fn blessing_writes_the_current_proto_which_then_holds() {
    let dir = std::env::temp_dir().join(format!("hello-proto-bless-{}", std::process::id()));
    let baseline = dir.join("snapshots/hello.proto");
    // SAFETY: the only test of this binary; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var(BLESS_VAR, "1") };
    assert_compatible(&HELLO_SERVICE, &baseline);
    unsafe { std::env::remove_var(BLESS_VAR) };

    let written = std::fs::read_to_string(&baseline).expect("the baseline was written");
    let expected = hello::to_proto_texts(&HELLO_SERVICE.file_descriptor_set().unwrap());
    assert_eq!(written, expected[0].1);
    assert_compatible(&HELLO_SERVICE, &baseline);
    let _ = std::fs::remove_dir_all(&dir);
}
