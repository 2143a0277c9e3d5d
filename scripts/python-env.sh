#!/usr/bin/env bash
# Sets up the Python peers of the wire tests (issue 3), once, under target/:
#   target/pyenv/       a venv with the pinned packages of tests/python/requirements.txt (from PyPI)
#   target/pyenv/gen/   hello_pb2.py and hello_pb2_grpc.py made by grpcio-tools from proto/hello.proto, and the
#                       seed's hello_client.py and hello_server.py, changed only in the address they use
# Idempotent: a second run only compares checksums (well under a second). Safe to run from parallel tests (flock).
# Fails, saying why, if Python or the packages cannot be had: the wire tests must never be skipped.
# Prints the venv's python and the gen directory, one per line, for the Rust tests to read.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
env_dir=$root/target/pyenv
gen=$env_dir/gen
req=$root/tests/python/requirements.txt
seed=$root/tests/python/seed
proto=$root/proto/hello.proto
python=${HELLO_PYTHON:-python3}

die() {
    echo "python-env: $*" >&2
    exit 1
}

mkdir -p "$root/target"
exec 9>"$root/target/pyenv.lock"
flock 9

# The copies in tests/python/seed/ must stay verbatim: where the seed itself is at hand, hold them to it.
shared_seed=$root/../shared/seed
if [[ -d $shared_seed ]]; then
    for f in hello_client.py hello_server.py; do
        cmp -s "$seed/$f" "$shared_seed/$f" ||
            die "tests/python/seed/$f is no longer a verbatim copy of shared/seed/$f: copy it again"
    done
fi

# 1. The venv, remade only when requirements.txt changes or the venv no longer imports grpc (say, a new python).
installed=$env_dir/.installed
want=$(sha256sum "$req" | cut -d' ' -f1)
if [[ ! -f $installed || $(cat "$installed") != "$want" ]] ||
    ! "$env_dir/bin/python" -c 'import grpc, grpc_tools' 2>/dev/null; then
    command -v "$python" >/dev/null ||
        die "no '$python' on PATH: install CPython 3 with venv and pip, or set HELLO_PYTHON"
    rm -rf "$env_dir"
    "$python" -m venv "$env_dir" ||
        die "'$python -m venv' failed (on Debian: apt-get install python3-venv)"
    "$env_dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" ||
        die "pip could not install tests/python/requirements.txt (is PyPI reachable? see pip's message above)"
    "$env_dir/bin/python" -c 'import grpc, grpc_tools' ||
        die "grpcio and grpcio-tools were installed but do not import"
    echo "$want" >"$installed"
fi

# 2. Generated and patched code, remade when any input (or this script) changes.
generated=$gen/.inputs
inputs=$(cat "$installed" "$proto" "$seed/hello_client.py" "$seed/hello_server.py" "${BASH_SOURCE[0]}" | sha256sum)
if [[ ! -f $generated || $(cat "$generated") != "$inputs" ]]; then
    rm -rf "$gen"
    mkdir -p "$gen"
    "$env_dir/bin/python" -m grpc_tools.protoc -I "$root/proto" --python_out="$gen" --grpc_python_out="$gen" \
        "$proto" || die "grpc_tools.protoc could not compile proto/hello.proto"

    # The one change to the seed's programs: the address. The client dials $HELLO_ADDR instead of
    # 127.0.0.1:50051; the server listens on $HELLO_ADDR (e.g. 127.0.0.1:0) instead of [::]:50051 and, once
    # started, prints `listening on HOST:PORT` as hello-server does, so a test can find the port it got.
    sed -e "s/'127\.0\.0\.1:50051'/__import__('os').environ['HELLO_ADDR']/" \
        "$seed/hello_client.py" >"$gen/hello_client.py"
    sed -e "s/server\.add_insecure_port('\[::\]:50051')/port = server.add_insecure_port(__import__('os').environ['HELLO_ADDR'])/" \
        -e "/^    server\.start()$/a\\    print('listening on %s:%d' % (__import__('os').environ['HELLO_ADDR'].rsplit(':', 1)[0], port), flush=True)" \
        "$seed/hello_server.py" >"$gen/hello_server.py"
    # If the seed ever changes shape, the patch must fail loudly rather than leave a program dialing 50051.
    [[ $(grep -c "environ\['HELLO_ADDR'\]" "$gen/hello_client.py") == 4 ]] ||
        die "patching hello_client.py did not replace its four addresses"
    [[ $(grep -c "environ\['HELLO_ADDR'\]" "$gen/hello_server.py") == 2 ]] ||
        die "patching hello_server.py did not replace its address and add the 'listening on' line"
    ! grep -q 50051 "$gen/hello_client.py" "$gen/hello_server.py" || die "a seed program still uses port 50051"

    echo "$inputs" >"$generated"
fi

echo "$env_dir/bin/python"
echo "$gen"
