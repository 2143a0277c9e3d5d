#!/usr/bin/env bash
# Sets up the buf CLI for the breaking-change agreement tests (issue 12), once, under target/:
#   target/buf-env/   npm's install of @bufbuild/buf (pinned below), which ships buf's native binary
# Test-only: the library and the hello-proto command never need buf.
# Idempotent: a second run only checks the installed version (well under a second). Safe from parallel tests (flock).
# Fails, saying why, if npm or the package cannot be had: the agreement tests must never be skipped.
# Prints the path of the buf binary.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
env_dir=$root/target/buf-env
version=1.75.0

die() {
    echo "buf-env: $*" >&2
    exit 1
}

mkdir -p "$root/target"
exec 9>"$root/target/buf-env.lock"
flock 9

# The native binary, not node_modules/.bin/buf (a node shim that would add node's start-up to every call).
native() {
    local found
    found=$(find "$env_dir/node_modules/@bufbuild" -path '*/bin/buf' -type f 2>/dev/null | grep -v '/buf/bin/' | head -n1)
    [[ -n $found ]] && echo "$found"
}

buf=$(native || true)
if [[ -z $buf || $("$buf" --version 2>/dev/null) != "$version" ]]; then
    command -v npm >/dev/null || die "no npm on PATH: install Node.js (with npm) to run the buf agreement tests"
    rm -rf "$env_dir"
    mkdir -p "$env_dir"
    echo '{"private": true}' >"$env_dir/package.json"
    npm install --prefix "$env_dir" --no-audit --no-fund --silent "@bufbuild/buf@$version" ||
        die "npm could not install @bufbuild/buf@$version (is the npm registry reachable? see npm's message above)"
    buf=$(native) || die "@bufbuild/buf@$version installed but no native buf binary was found under $env_dir"
    [[ $("$buf" --version) == "$version" ]] || die "$buf does not report version $version"
fi

echo "$buf"
