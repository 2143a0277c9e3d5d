#!/usr/bin/env bash
# The test command of the README: sets up what the tests need on a fresh machine, then runs every test.
#   - the Python peers of the wire tests (a venv under target/pyenv with grpcio, made once and reused);
#   - the Node.js peers (grpc-js and js-yaml under target/node, installed once with npm from tests/node);
#   - HAProxy, the load balancer of the many-replicas tests (Debian's package, installed once with apt-get);
#   - the whole workspace's tests: end-to-end, compatibility, trybuild UI cases, doc tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/python-env.sh >/dev/null
./scripts/node-env.sh >/dev/null
./scripts/haproxy-env.sh >/dev/null
./scripts/buf-env.sh >/dev/null
./scripts/web-env.sh >/dev/null
cargo build --workspace --bins
cargo test --workspace --all-targets --no-fail-fast
cargo test --workspace --doc
