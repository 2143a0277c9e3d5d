#!/usr/bin/env bash
# Sets up the Node.js peers of the wire tests (issue 13), once, under target/:
#   target/node/node_modules/   the pinned packages of tests/node/package.json (@grpc/grpc-js, @grpc/proto-loader),
#                               installed with npm from tests/node/package-lock.json
# Idempotent: a second run only compares a checksum. Safe to run from parallel tests (flock).
# Fails, saying why, if node or npm or the packages cannot be had: the wire tests must never be skipped.
# Prints the node binary and the directory holding node_modules, one per line, for the Rust tests to read.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
env_dir=$root/target/node
src=$root/tests/node
node=${HELLO_NODE:-node}

die() {
    echo "node-env: $*" >&2
    exit 1
}

command -v "$node" >/dev/null || die "no '$node' on PATH: install Node.js 18 or later (on Debian: apt-get install nodejs npm)"
command -v npm >/dev/null || die "no npm on PATH (on Debian: apt-get install npm)"

mkdir -p "$root/target"
exec 9>"$root/target/node.lock"
flock 9

installed=$env_dir/.installed
want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
if [[ ! -f $installed || $(cat "$installed") != "$want" ]] ||
    ! (cd "$env_dir" && "$node" -e 'require("@grpc/grpc-js"); require("@grpc/proto-loader")') 2>/dev/null; then
    rm -rf "$env_dir"
    mkdir -p "$env_dir"
    cp "$src/package.json" "$src/package-lock.json" "$env_dir/"
    (cd "$env_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
        die "npm could not install tests/node/package.json (is the npm registry reachable? see npm's message above)"
    (cd "$env_dir" && "$node" -e 'require("@grpc/grpc-js"); require("@grpc/proto-loader")') ||
        die "@grpc/grpc-js and @grpc/proto-loader were installed but do not load"
    echo "$want" >"$installed"
fi

command -v "$node"
echo "$env_dir"
