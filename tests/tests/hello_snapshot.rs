//! The field-number guard: the `.proto` emitted for `hello` is committed in `tests/snapshots/baseline/hello.proto`,
//! the same baseline the breaking-change gate holds the demo to (hello-proto/tests/demo_baseline.rs).
//! A changed field number or type, or a number reused by another field, fails here with the lines of the
//! schema diff. When the change is on purpose (and old data or peers do not matter), refresh the snapshot:
//!
//! ```text
//! UPDATE_SNAPSHOTS=1 cargo test -p hello-tests --test hello_snapshot
//! ```

use hello::demo::service::HELLO_SERVICE;
use hello::{SchemaDiff, diff, to_proto_texts};
use hello_testkit::proto;
use prost_types::FileDescriptorSet;

const SNAPSHOT: &str = "tests/snapshots/baseline/hello.proto";

fn current() -> FileDescriptorSet {
    HELLO_SERVICE
        .file_descriptor_set()
        .expect("every message derives Describe")
}

/// What changed from the committed schema to the current one, if anything.
fn guard(snapshot: &FileDescriptorSet, current: &FileDescriptorSet) -> Result<(), String> {
    let report: SchemaDiff = diff(snapshot, current);
    if report.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the schema of hello changed since {SNAPSHOT} (\"proto\" below is the snapshot):\n{report}\
         If this is on purpose, refresh the snapshot: UPDATE_SNAPSHOTS=1 cargo test -p hello-tests --test hello_snapshot"
    ))
}

#[test]
fn schema_matches_the_committed_snapshot() {
    let texts = to_proto_texts(&current());
    let [(_, text)] = texts.as_slice() else {
        panic!("hello is one file: {texts:?}")
    };
    // SNAPSHOT is relative to the repository, as the messages name it.
    let path = hello_tests::process::repo_root().join(SNAPSHOT);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, text).expect("write the snapshot");
    }
    let committed = std::fs::read_to_string(&path).expect("the snapshot is committed");
    let snapshot = proto::compile(&[("hello.proto", &committed)]);
    if let Err(message) = guard(&snapshot, &current()) {
        panic!("{message}");
    }
    // Same schema, so the text differs only if emission changed: keep the file as the code writes it.
    assert_eq!(
        committed, *text,
        "refresh {SNAPSHOT}: UPDATE_SNAPSHOTS=1 cargo test -p hello-tests --test hello_snapshot"
    );
}

/// Changes one field of the current descriptors, as an edit of the Rust struct would.
fn with_field(
    message: &str,
    field: &str,
    edit: impl FnOnce(&mut prost_types::FieldDescriptorProto),
) -> FileDescriptorSet {
    let mut set = current();
    let field = set.file[0]
        .message_type
        .iter_mut()
        .find(|m| m.name() == message)
        .and_then(|m| m.field.iter_mut().find(|f| f.name() == field))
        .expect("the field exists");
    edit(field);
    set
}

#[test]
fn a_changed_number_is_caught() {
    let changed = with_field("Point", "latitude", |f| f.number = Some(7));
    let message = guard(&current(), &changed).expect_err("a changed number");
    assert!(
        message.contains("Point.latitude: proto says float = 1, Rust says float = 7"),
        "{message}"
    );
    assert!(message.contains("UPDATE_SNAPSHOTS=1"), "{message}");
}

#[test]
fn a_changed_type_is_caught() {
    let changed = with_field("RouteSummary", "distance", |f| {
        f.r#type = Some(prost_types::field_descriptor_proto::Type::Int64 as i32)
    });
    let message = guard(&current(), &changed).expect_err("a changed type");
    assert!(
        message.contains("RouteSummary.distance: proto says int32 = 3, Rust says int64 = 3"),
        "{message}"
    );
}

#[test]
fn a_reused_number_is_caught() {
    // `elapsed_time` removed and its number 4 given to a new field.
    let changed = with_field("RouteSummary", "elapsed_time", |f| {
        f.name = Some("duration_ms".into());
        f.json_name = Some("durationMs".into());
    });
    let message = guard(&current(), &changed).expect_err("a reused number");
    assert!(
        message.contains("RouteSummary.elapsed_time: proto has int32 = 4, Rust does not"),
        "{message}"
    );
    assert!(
        message.contains("RouteSummary.duration_ms: Rust has int32 = 4, proto does not (number 4 was elapsed_time's)"),
        "{message}"
    );
}
