//! The deployment recipe (docs/deploy, issue 13) is what it says: the Kubernetes manifest parses and has the
//! gRPC probes, preStop drain and grace period the recipe promises (js-yaml, tests/node/check_manifest.js), and
//! the HAProxy configuration (the one tests/tests/balancer.rs runs) passes `haproxy -c`.

mod real_peers;

use hello_tests::process;
use real_peers::{node_command, run_peer};
use std::process::Command;

#[test]
fn the_kubernetes_manifest_parses_with_probes_drain_and_grace() {
    let mut cmd = node_command("check_manifest.js");
    cmd.arg(process::repo_root().join("docs/deploy/kubernetes.yaml"));
    println!("{}", run_peer("check_manifest.js", cmd));
}

#[test]
fn the_haproxy_configuration_is_valid() {
    let script = process::repo_root().join("scripts/haproxy-env.sh");
    let done = process::run("scripts/haproxy-env.sh", Command::new(&script));
    assert!(done.status.success(), "{}", done.stderr);
    let mut cmd = Command::new(done.stdout.trim());
    cmd.arg("-c")
        .arg("-f")
        .arg(process::repo_root().join("docs/deploy/haproxy.cfg"))
        .env("LB_ADDR", "127.0.0.1:1")
        .env("REPLICA_1", "127.0.0.1:2")
        .env("REPLICA_2", "127.0.0.1:3")
        .env("REPLICA_3", "127.0.0.1:4");
    let checked = process::run("haproxy -c", cmd);
    assert!(
        checked.status.success(),
        "haproxy -c:\n{}\n{}",
        checked.stdout,
        checked.stderr
    );
}
