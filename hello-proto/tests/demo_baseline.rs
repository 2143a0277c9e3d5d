//! The demo's schema held against its committed baseline with buf's WIRE_JSON rules (issue 12), as a user's test
//! would hold theirs: one line. Beside it, tests/tests/hello_proto.rs keeps the strict equality with
//! proto/hello.proto. To accept an intended change: `HELLO_PROTO_BLESS=1 cargo test --test demo_baseline`.

use hello::breaking::Category;
use hello::demo::service::HELLO_SERVICE;
use hello_proto::{BaselineError, assert_compatible, check_baseline};

const BASELINE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/snapshots/baseline/hello.proto"
);

#[test]
fn the_demo_schema_holds_against_its_baseline() {
    assert_compatible(&HELLO_SERVICE, BASELINE);
}

#[test]
fn it_holds_in_every_category() {
    for category in Category::ALL {
        if let Err(e) = check_baseline(&HELLO_SERVICE, BASELINE, category) {
            panic!("{category}: {e}");
        }
    }
}

/// A baseline the demo has since broken: the failure lists each finding and the command that accepts them.
#[test]
fn a_broken_baseline_fails_with_the_findings_and_the_command() {
    let dir = std::env::temp_dir().join(format!("hello-demo-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("hello.proto");
    let text = std::fs::read_to_string(BASELINE).unwrap();
    // The baseline's Point had latitude as a double, and a field `altitude` the demo no longer has.
    let old = text
        .replacen("float latitude = 1;", "double latitude = 1;", 1)
        .replacen(
            "float longitude = 2;",
            "float longitude = 2;\n  float altitude = 3;",
            1,
        );
    assert_ne!(old, text, "the baseline still declares Point as expected");
    std::fs::write(&baseline, old).unwrap();

    match check_baseline(&HELLO_SERVICE, &baseline, Category::WireJson) {
        Err(BaselineError::Breaking(changes)) => {
            let lines: Vec<String> = changes.findings().iter().map(ToString::to_string).collect();
            assert_eq!(
                lines,
                [
                    "hello.Point.altitude: FIELD_NO_DELETE_UNLESS_NAME_RESERVED: field 3 deleted without reserving the name \"altitude\"",
                    "hello.Point.altitude: FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED: field 3 deleted without reserving the number",
                    "hello.Point.latitude: FIELD_WIRE_JSON_COMPATIBLE_TYPE: type changed from double to float",
                ]
            );
        }
        other => panic!("expected the breaking changes, got {other:?}"),
    }
    let panic = std::panic::catch_unwind(|| assert_compatible(&HELLO_SERVICE, &baseline))
        .expect_err("assert_compatible fails");
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("hello.Hello: the schema breaks its baseline (WIRE_JSON rules):\n"),
        "{message}"
    );
    assert!(
        message.contains("hello.Point.latitude: FIELD_WIRE_JSON_COMPATIBLE_TYPE"),
        "{message}"
    );
    assert!(
        message.contains("\n    HELLO_PROTO_BLESS=1 cargo test\n"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
