#!/usr/bin/env bash
# Sets up the third-party peers of the web protocol tests (issue 14), once, under target/web-env/ (a cache: a
# second run only compares checksums):
#   node_modules/   buf (npm @bufbuild/buf ships the native binary), @connectrpc/connect-node and
#                   @bufbuild/protoc-gen-es, pinned in tests/web/package.json
#   gen/            TypeScript-free ES modules for proto/hello.proto, made by `buf generate` (no protoc)
#   client/         tests/web/*.mjs, beside gen/ and node_modules/ so that their imports resolve
#   pyenv/          a venv with Python's connectrpc client and selenium (tests/python/web-requirements.txt),
#                   and the hello_pb2 messages for it from proto/hello.proto (grpcio-tools' protoc)
# and Debian's chromium, chromium-driver and fonts-wqy-zenhei (apt-get), for the browser test of the demo page.
# Safe to run from parallel tests (flock). Fails, saying why, when a peer cannot be had: never skipped.
# Prints KEY=VALUE lines (buf, node_dir, python, gen_py, chromium, chromedriver) for the Rust tests to read.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
env_dir=$root/target/web-env
web=$root/tests/web
proto_dir=$root/proto
python=${HELLO_PYTHON:-python3}

die() {
    echo "web-env: $*" >&2
    exit 1
}

mkdir -p "$env_dir"
exec 9>"$env_dir.lock"
flock 9

stamp() { cat "$@" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1; }

# 1. npm packages.
want=$(stamp "$web/package.json")
if [[ ! -f $env_dir/.npm || $(cat "$env_dir/.npm") != "$want" ]] || [[ ! -x $env_dir/node_modules/.bin/buf ]]; then
    command -v npm >/dev/null || die "no npm on PATH: apt-get install nodejs npm"
    cp "$web/package.json" "$env_dir/package.json"
    (cd "$env_dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null) ||
        die "npm install failed (is the npm registry reachable?)"
    "$env_dir/node_modules/.bin/buf" --version >/dev/null || die "buf was installed but does not run"
    echo "$want" >"$env_dir/.npm"
fi

# 2. Generated messages and the clients, remade when an input changes.
want=$(stamp "$env_dir/.npm" "$proto_dir/hello.proto" "$web"/*.mjs "$web/buf.gen.yaml")
if [[ ! -f $env_dir/.gen || $(cat "$env_dir/.gen") != "$want" ]]; then
    rm -rf "$env_dir/gen" "$env_dir/client"
    (cd "$env_dir" && PATH=$env_dir/node_modules/.bin:$PATH buf generate "$proto_dir" --path "$proto_dir/hello.proto" \
        --template "$web/buf.gen.yaml" -o "$env_dir") || die "buf generate failed"
    mkdir -p "$env_dir/client"
    cp "$web"/*.mjs "$env_dir/client/"
    echo "$want" >"$env_dir/.gen"
fi

# 3. Python: connectrpc and selenium in a venv, hello_pb2 for the connectrpc client.
pyenv=$env_dir/pyenv
req=$root/tests/python/web-requirements.txt
want=$(stamp "$req" "$proto_dir/hello.proto")
if [[ ! -f $pyenv/.installed || $(cat "$pyenv/.installed") != "$want" ]] ||
    ! "$pyenv/bin/python" -c 'import connectrpc, selenium' 2>/dev/null; then
    command -v "$python" >/dev/null || die "no '$python' on PATH: install CPython 3 with venv, or set HELLO_PYTHON"
    rm -rf "$pyenv"
    "$python" -m venv "$pyenv" || die "'$python -m venv' failed (on Debian: apt-get install python3-venv)"
    "$pyenv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" ||
        die "pip could not install tests/python/web-requirements.txt (is PyPI reachable?)"
    mkdir -p "$pyenv/gen"
    "$pyenv/bin/python" -m grpc_tools.protoc -I "$proto_dir" --python_out="$pyenv/gen" "$proto_dir/hello.proto" ||
        die "grpc_tools.protoc could not compile proto/hello.proto"
    echo "$want" >"$pyenv/.installed"
fi

# 4. Chromium and its WebDriver, from Debian (and a CJK font, so that the screenshot shows the places' names).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
    [[ ! -d /usr/share/fonts/truetype/wqy ]]; then
    command -v apt-get >/dev/null || die "no chromium and no apt-get: install chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-wqy-zenhei >/dev/null ||
        die "apt-get could not install chromium and chromium-driver"
fi

echo "buf=$env_dir/node_modules/.bin/buf"
echo "node_dir=$env_dir/client"
echo "python=$pyenv/bin/python"
echo "gen_py=$pyenv/gen"
echo "chromium=$(command -v chromium)"
echo "chromedriver=$(command -v chromedriver)"
