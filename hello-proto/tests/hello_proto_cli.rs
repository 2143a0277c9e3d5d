//! `hello-proto breaking` as a user runs it: exit 0 when compatible, 1 with the findings (one per line: element,
//! buf's rule ID, what changed), 2 with protox's message and location when a file does not parse.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OLD: &str = r#"syntax = "proto3";
package hello;
import "google/protobuf/timestamp.proto";
message Point {
  float latitude = 1;
  float longitude = 2;
  google.protobuf.Timestamp seen_at = 3;
}
service Hello {
  rpc Nearest(Point) returns (Point);
}
"#;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("hello-proto-cli-{}-{name}", std::process::id()));
        std::fs::create_dir_all(dir.join("old")).unwrap();
        std::fs::write(dir.join("old/hello.proto"), OLD).unwrap();
        Dir(dir)
    }

    fn write(&self, text: &str) -> PathBuf {
        let path = self.0.join("hello.proto");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn old(&self) -> PathBuf {
        self.0.join("old/hello.proto")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&Path], extra: &[&str]) -> (Option<i32>, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hello-proto"));
    command
        .arg("breaking")
        .arg("--against")
        .arg(args[0])
        .arg(args[1])
        .args(extra);
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("hello-proto runs");
    (
        status.code(),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

#[test]
fn the_same_schema_is_compatible() {
    let dir = Dir::new("same");
    let new = dir.write(OLD);
    assert_eq!(
        run(&[&dir.old(), &new], &[]),
        (Some(0), String::new(), String::new())
    );
}

#[test]
fn compatible_changes_exit_zero() {
    let dir = Dir::new("compatible");
    let new = dir.write(&OLD.replace(
        "  google.protobuf.Timestamp seen_at = 3;\n",
        "  google.protobuf.Timestamp seen_at = 3;\n  string name = 4;\n",
    ));
    let (code, stdout, _) = run(&[&dir.old(), &new], &[]);
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
}

#[test]
fn breaking_changes_exit_one_with_one_line_each() {
    let dir = Dir::new("breaking");
    let new = dir.write(
        &OLD.replace("float latitude = 1;", "double latitude = 1;")
            .replace("  float longitude = 2;\n", "")
            .replace("rpc Nearest(Point)", "rpc Nearest(stream Point)"),
    );
    let (code, stdout, stderr) = run(&[&dir.old(), &new], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stdout,
        "hello.Hello.Nearest: RPC_SAME_CLIENT_STREAMING: changed from client unary to client streaming\n\
         hello.Point.latitude: FIELD_WIRE_JSON_COMPATIBLE_TYPE: type changed from float to double\n\
         hello.Point.longitude: FIELD_NO_DELETE_UNLESS_NAME_RESERVED: field 2 deleted without reserving the name \"longitude\"\n\
         hello.Point.longitude: FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED: field 2 deleted without reserving the number\n"
    );

    // Each category its own rules.
    let (code, stdout, _) = run(&[&dir.old(), &new], &["--category", "FILE"]);
    assert_eq!(code, Some(1));
    assert!(
        stdout
            .contains("hello.Point.latitude: FIELD_SAME_TYPE: type changed from float to double\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("hello.Point.longitude: FIELD_NO_DELETE: field 2 deleted\n"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&[&dir.old(), &new], &["--category", "WIRE"]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("FIELD_WIRE_COMPATIBLE_TYPE"), "{stdout}");
    assert!(
        !stdout.contains("NAME_RESERVED"),
        "WIRE does not care for names:\n{stdout}"
    );
}

#[test]
fn a_file_that_does_not_parse_exits_two_with_its_location() {
    let dir = Dir::new("unparsable");
    let new = dir
        .write("syntax = \"proto3\";\npackage hello;\nmessage Point {\n  float latitude = ;\n}\n");
    let (code, stdout, stderr) = run(&[&dir.old(), &new], &[]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("hello.proto:4:20:"),
        "protox's location: {stderr}"
    );
    assert!(
        stderr.contains("expected an integer"),
        "protox's message: {stderr}"
    );

    // The baseline too, and a missing file.
    let broken = dir.0.join("old/broken.proto");
    std::fs::write(&broken, "syntax = \"proto3\";\nmessage {}\n").unwrap();
    let (code, _, stderr) = run(&[&broken, &dir.write(OLD)], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("broken.proto:2:9:"), "{stderr}");
    let (code, _, stderr) = run(&[&dir.0.join("nowhere.proto"), &dir.write(OLD)], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("nowhere.proto"), "{stderr}");
}

#[test]
fn an_unknown_category_is_refused() {
    let dir = Dir::new("category");
    let new = dir.write(OLD);
    let (code, _, stderr) = run(&[&dir.old(), &new], &["--category", "PACKAGE"]);
    assert_eq!(code, Some(2), "clap's usage error");
    assert!(
        stderr.contains("expected FILE, WIRE_JSON or WIRE"),
        "{stderr}"
    );
}
