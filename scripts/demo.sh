#!/usr/bin/env bash
# The demo command of the README: builds the server and client, starts the server on a free local port,
# runs the client's four calls against it, and stops the server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cargo build --release -p hello --features demo --bins
out=$(mktemp)
trap 'kill "$server" 2>/dev/null || true; rm -f "$out"' EXIT
./target/release/hello-server --addr 127.0.0.1:0 >"$out" &
server=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$out" && break
    sleep 0.1
done
addr=$(sed -n 's/^listening on //p' "$out")
[[ -n $addr ]] || { echo "demo: the server did not start" >&2; exit 1; }
./target/release/hello-client --addr "http://$addr" "$@"
