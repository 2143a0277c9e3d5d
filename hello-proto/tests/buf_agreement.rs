//! The gate agrees with `buf breaking` (issue 12): for every mutation pair of the table and every category (FILE,
//! WIRE_JSON, WIRE), our verdict and rule IDs (with their counts) equal buf's. buf comes from npm
//! (`@bufbuild/buf`, pinned in scripts/buf-env.sh, installed once under target/buf-env); it runs on two temporary
//! directories whose buf.yaml selects the category.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use hello::breaking::{Category, breaking_changes};

/// The schema every pair starts from: messages, a oneof, a map, an optional, a nested message, reserved numbers
/// and names, an enum, a well-known import, a service with three kinds of method.
const BASE: &str = r#"syntax = "proto3";

package shop.v1;

import "google/protobuf/timestamp.proto";

service Shop {
  rpc GetItem(GetItemRequest) returns (Item);
  rpc ListItems(ListItemsRequest) returns (stream Item);
  rpc Upload(stream Item) returns (UploadSummary);
}

message GetItemRequest {
  string id = 1;
}

message ListItemsRequest {
  int32 page_size = 1;
  string page_token = 2;
}

message UploadSummary {
  int32 count = 1;
}

message Legacy {
  string id = 1;
}

message Item {
  string id = 1;
  string name = 2;
  int32 quantity = 3;
  float price = 4;
  repeated string tags = 5;
  map<string, string> labels = 6;
  Color color = 7;
  google.protobuf.Timestamp created_at = 8;
  oneof source {
    string url = 9;
    bytes blob = 10;
  }
  optional string note = 11;
  Dimensions size = 12;
  reserved 20, 30 to 32;
  reserved "legacy";

  message Dimensions {
    double width = 1;
    double height = 2;
  }
}

enum Color {
  COLOR_UNSPECIFIED = 0;
  COLOR_RED = 1;
  COLOR_GREEN = 2;
  reserved 10;
  reserved "COLOR_PURPLE";
}
"#;

/// A mutation: its name, and the replacements that turn the base (the old schema) into the new one.
struct Pair {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
}

const fn pair(name: &'static str, edits: &'static [(&'static str, &'static str)]) -> Pair {
    Pair { name, edits }
}

const PAIRS: &[Pair] = &[
    // Fields: number, type, label, name, json_name.
    pair(
        "field number changed",
        &[("int32 quantity = 3;", "int32 quantity = 13;")],
    ),
    pair(
        "field numbers swapped",
        &[(
            "string id = 1;\n  string name = 2;",
            "string id = 2;\n  string name = 1;",
        )],
    ),
    pair(
        "int32 to int64",
        &[("int32 quantity = 3;", "int64 quantity = 3;")],
    ),
    pair(
        "int32 to uint32",
        &[("int32 quantity = 3;", "uint32 quantity = 3;")],
    ),
    pair(
        "int32 to sint32",
        &[("int32 quantity = 3;", "sint32 quantity = 3;")],
    ),
    pair(
        "int32 to bool",
        &[("int32 quantity = 3;", "bool quantity = 3;")],
    ),
    pair(
        "float to double",
        &[("float price = 4;", "double price = 4;")],
    ),
    pair(
        "float to fixed32",
        &[("float price = 4;", "fixed32 price = 4;")],
    ),
    pair(
        "string to bytes",
        &[("string name = 2;", "bytes name = 2;")],
    ),
    pair(
        "bytes to string",
        &[("bytes blob = 10;", "string blob = 10;")],
    ),
    pair(
        "enum field to int32",
        &[("Color color = 7;", "int32 color = 7;")],
    ),
    pair(
        "message field to another message",
        &[(
            "Dimensions size = 12;",
            "google.protobuf.Timestamp size = 12;",
        )],
    ),
    pair(
        "well-known type changed",
        &[
            (
                "google.protobuf.Timestamp created_at = 8;",
                "google.protobuf.Duration created_at = 8;",
            ),
            (
                "import \"google/protobuf/timestamp.proto\";",
                "import \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/duration.proto\";",
            ),
        ],
    ),
    pair(
        "map value type changed",
        &[(
            "map<string, string> labels = 6;",
            "map<string, int32> labels = 6;",
        )],
    ),
    pair(
        "singular to repeated",
        &[("int32 quantity = 3;", "repeated int32 quantity = 3;")],
    ),
    pair(
        "repeated to singular",
        &[("repeated string tags = 5;", "string tags = 5;")],
    ),
    pair(
        "repeated to map",
        &[("repeated string tags = 5;", "map<string, string> tags = 5;")],
    ),
    pair(
        "implicit to explicit presence",
        &[("int32 quantity = 3;", "optional int32 quantity = 3;")],
    ),
    pair(
        "explicit to implicit presence",
        &[("optional string note = 11;", "string note = 11;")],
    ),
    pair(
        "field renamed",
        &[("string name = 2;", "string title = 2;")],
    ),
    pair(
        "json_name set",
        &[(
            "string name = 2;",
            "string name = 2 [json_name = \"label\"];",
        )],
    ),
    // Deletions, with and without reserving.
    pair("field deleted", &[("  float price = 4;\n", "")]),
    pair(
        "field deleted, number reserved",
        &[("  float price = 4;\n", "  reserved 4;\n")],
    ),
    pair(
        "field deleted, name reserved",
        &[("  float price = 4;\n", "  reserved \"price\";\n")],
    ),
    pair(
        "field deleted, number and name reserved",
        &[(
            "  float price = 4;\n",
            "  reserved 4;\n  reserved \"price\";\n",
        )],
    ),
    pair(
        "map field deleted, reserved",
        &[(
            "  map<string, string> labels = 6;\n",
            "  reserved 6;\n  reserved \"labels\";\n",
        )],
    ),
    // Oneofs.
    pair(
        "field moved into a oneof",
        &[
            ("  int32 quantity = 3;\n", ""),
            (
                "string url = 9;",
                "string url = 9;\n    int32 quantity = 3;",
            ),
        ],
    ),
    pair(
        "field moved out of a oneof",
        &[
            ("    string url = 9;\n", ""),
            (
                "  optional string note = 11;",
                "  string url = 9;\n  optional string note = 11;",
            ),
        ],
    ),
    pair("oneof renamed", &[("oneof source {", "oneof origin {")]),
    pair(
        "oneof dissolved",
        &[(
            "  oneof source {\n    string url = 9;\n    bytes blob = 10;\n  }\n",
            "  string url = 9;\n  bytes blob = 10;\n",
        )],
    ),
    // Reserved ranges and names.
    pair(
        "reserved range narrowed",
        &[("reserved 20, 30 to 32;", "reserved 20, 30 to 31;")],
    ),
    pair("reserved name dropped", &[("  reserved \"legacy\";\n", "")]),
    pair("enum reserved number dropped", &[("  reserved 10;\n", "")]),
    // Enums.
    pair(
        "enum value renamed",
        &[("COLOR_GREEN = 2;", "COLOR_LIME = 2;")],
    ),
    pair(
        "enum value renumbered",
        &[("COLOR_GREEN = 2;", "COLOR_GREEN = 3;")],
    ),
    pair("enum value deleted", &[("  COLOR_GREEN = 2;\n", "")]),
    pair(
        "enum value deleted, number reserved",
        &[
            ("  COLOR_GREEN = 2;\n", ""),
            ("reserved 10;", "reserved 2, 10;"),
        ],
    ),
    pair(
        "enum value deleted, name reserved",
        &[
            ("  COLOR_GREEN = 2;\n", ""),
            (
                "reserved \"COLOR_PURPLE\";",
                "reserved \"COLOR_PURPLE\", \"COLOR_GREEN\";",
            ),
        ],
    ),
    pair(
        "enum renamed",
        &[
            ("enum Color {", "enum Colour {"),
            ("Color color = 7;", "Colour color = 7;"),
        ],
    ),
    pair(
        "enum deleted",
        &[
            (
                "enum Color {\n  COLOR_UNSPECIFIED = 0;\n  COLOR_RED = 1;\n  COLOR_GREEN = 2;\n  reserved 10;\n  reserved \"COLOR_PURPLE\";\n}\n",
                "",
            ),
            ("Color color = 7;", "int32 color = 7;"),
        ],
    ),
    // Messages.
    pair(
        "message renamed",
        &[
            ("message UploadSummary {", "message UploadResult {"),
            ("returns (UploadSummary)", "returns (UploadResult)"),
        ],
    ),
    pair(
        "message deleted",
        &[("message Legacy {\n  string id = 1;\n}\n\n", "")],
    ),
    pair(
        "nested message moved to top level",
        &[
            (
                "\n  message Dimensions {\n    double width = 1;\n    double height = 2;\n  }\n",
                "",
            ),
            (
                "message Legacy {",
                "message Dimensions {\n  double width = 1;\n  double height = 2;\n}\n\nmessage Legacy {",
            ),
        ],
    ),
    // Methods and services.
    pair(
        "method input changed",
        &[(
            "rpc GetItem(GetItemRequest)",
            "rpc GetItem(ListItemsRequest)",
        )],
    ),
    pair(
        "method output changed",
        &[(
            "rpc GetItem(GetItemRequest) returns (Item);",
            "rpc GetItem(GetItemRequest) returns (UploadSummary);",
        )],
    ),
    pair(
        "client streaming added",
        &[(
            "rpc GetItem(GetItemRequest)",
            "rpc GetItem(stream GetItemRequest)",
        )],
    ),
    pair(
        "server streaming removed",
        &[("returns (stream Item);", "returns (Item);")],
    ),
    pair(
        "method deleted",
        &[("  rpc Upload(stream Item) returns (UploadSummary);\n", "")],
    ),
    pair("method renamed", &[("rpc Upload(", "rpc Send(")]),
    pair(
        "service deleted",
        &[(
            "service Shop {\n  rpc GetItem(GetItemRequest) returns (Item);\n  rpc ListItems(ListItemsRequest) returns (stream Item);\n  rpc Upload(stream Item) returns (UploadSummary);\n}\n",
            "",
        )],
    ),
    pair("service renamed", &[("service Shop {", "service Store {")]),
    pair(
        "package changed",
        &[("package shop.v1;", "package shop.v2;")],
    ),
    pair(
        "file option go_package set",
        &[(
            "package shop.v1;",
            "package shop.v1;\n\noption go_package = \"example.com/shop/v1\";",
        )],
    ),
    // Compatible changes.
    pair("unchanged", &[]),
    pair(
        "field added",
        &[(
            "  Dimensions size = 12;\n",
            "  Dimensions size = 12;\n  string sku = 13;\n",
        )],
    ),
    pair(
        "enum value added",
        &[("COLOR_GREEN = 2;", "COLOR_GREEN = 2;\n  COLOR_BLUE = 3;")],
    ),
    pair(
        "method added",
        &[(
            "  rpc Upload(",
            "  rpc Delete(GetItemRequest) returns (UploadSummary);\n  rpc Upload(",
        )],
    ),
    pair(
        "message added",
        &[(
            "message Legacy {",
            "message Extra {\n  string id = 1;\n}\n\nmessage Legacy {",
        )],
    ),
    pair(
        "reserved range widened",
        &[("reserved 20, 30 to 32;", "reserved 20 to 25, 30 to 40;")],
    ),
    pair(
        "comment added",
        &[(
            "message Legacy {",
            "// Kept for old clients.\nmessage Legacy {",
        )],
    ),
];

fn mutate(pair: &Pair) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in pair.edits {
        assert!(
            text.contains(from),
            "{}: the base has no {from:?}",
            pair.name
        );
        text = text.replacen(from, to, 1);
    }
    text
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The buf binary, installed by scripts/buf-env.sh on first use.
fn buf() -> PathBuf {
    let output = Command::new(root().join("scripts/buf-env.sh"))
        .output()
        .expect("scripts/buf-env.sh runs");
    assert!(
        output.status.success(),
        "scripts/buf-env.sh failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// Rule IDs with how many findings each has.
type Verdict = BTreeMap<String, usize>;

/// What `buf breaking` says of `new` against `old` in `category`, and its lines for a failure message.
fn buf_verdict(
    buf: &Path,
    dir: &Path,
    old: &str,
    new: &str,
    category: Category,
) -> (Verdict, String) {
    for (side, text) in [("old", old), ("new", new)] {
        std::fs::create_dir_all(dir.join(side)).unwrap();
        std::fs::write(dir.join(side).join("shop.proto"), text).unwrap();
        std::fs::write(
            dir.join(side).join("buf.yaml"),
            format!("version: v2\nbreaking:\n  use:\n    - {category}\n"),
        )
        .unwrap();
    }
    let output = Command::new(buf)
        .current_dir(dir)
        .args([
            "breaking",
            "new",
            "--against",
            "old",
            "--error-format",
            "json",
        ])
        .env("BUF_CACHE_DIR", dir.join("cache"))
        .output()
        .expect("buf runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    match output.status.code() {
        Some(0) | Some(100) => {}
        other => panic!(
            "buf breaking failed ({other:?}):\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
    let mut verdict = Verdict::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let rule = line
            .split("\"type\":\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a buf finding without a type: {line}"));
        *verdict.entry(rule.to_owned()).or_default() += 1;
    }
    (verdict, stdout)
}

fn our_verdict(dir: &Path, category: Category) -> (Verdict, String) {
    let old = hello_proto::compile(&dir.join("old/shop.proto")).expect("old compiles");
    let new = hello_proto::compile(&dir.join("new/shop.proto")).expect("new compiles");
    let changes = breaking_changes(&old, &new, category);
    let mut verdict = Verdict::new();
    for finding in changes.findings() {
        *verdict.entry(finding.rule.to_owned()).or_default() += 1;
    }
    (verdict, changes.to_string())
}

#[test]
fn every_pair_in_every_category_agrees_with_buf_breaking() {
    assert!(PAIRS.len() >= 40, "the table has {} pairs", PAIRS.len());
    let buf = buf();
    let scratch = std::env::temp_dir().join(format!("hello-buf-agreement-{}", std::process::id()));
    let jobs: Vec<(usize, Category)> = (0..PAIRS.len())
        .flat_map(|i| Category::ALL.map(|c| (i, c)))
        .collect();
    let next = Mutex::new(jobs.into_iter());
    let disagreements = Mutex::new(Vec::new());
    let breaking_pairs = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                loop {
                    let Some((index, category)) = next.lock().unwrap().next() else {
                        break;
                    };
                    let pair = &PAIRS[index];
                    let dir = scratch.join(format!("{index}-{category}"));
                    let (theirs, buf_lines) = buf_verdict(&buf, &dir, BASE, &mutate(pair), category);
                    let (ours, our_lines) = our_verdict(&dir, category);
                    if category == Category::File && !theirs.is_empty() {
                        *breaking_pairs.lock().unwrap() += 1;
                    }
                    if ours != theirs {
                        disagreements.lock().unwrap().push(format!(
                            "pair {:?} in {category}:\n  buf:  {theirs:?}\n  ours: {ours:?}\n  buf said:\n{buf_lines}  we said:\n{our_lines}",
                            pair.name
                        ));
                    }
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    let disagreements = disagreements.into_inner().unwrap();
    assert!(
        disagreements.is_empty(),
        "{} of {} checks disagree with buf:\n\n{}",
        disagreements.len(),
        PAIRS.len() * 3,
        disagreements.join("\n")
    );
    // The table holds both kinds: changes buf calls breaking, and compatible ones.
    let breaking = breaking_pairs.into_inner().unwrap();
    assert!(
        breaking >= 40 && breaking < PAIRS.len(),
        "{breaking} of {} pairs break FILE",
        PAIRS.len()
    );
}
