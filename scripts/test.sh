#!/usr/bin/env bash
# The test command of the README: sets up what the tests need on a fresh machine, then runs every test.
#   - the Python peers of the wire tests (a venv under target/pyenv with grpcio, made once and reused);
#   - the whole workspace's tests: end-to-end, compatibility, trybuild UI cases, doc tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/python-env.sh >/dev/null
./scripts/buf-env.sh >/dev/null
cargo build --workspace --bins
cargo test --workspace --all-targets --no-fail-fast
cargo test --workspace --doc
