#!/usr/bin/env bash
# The benchmark of the README: our generated server against tonic-build's for the same proto, connect-rust's
# (connectrpc), the seed's Python server and a bare HTTP/2 ceiling, with our load generator and with h2load; then
# instructions per call under callgrind (every Rust server, the top functions of each unary server, and the
# generated clients) and heap allocations per call.
# Writes BENCHMARKS.md. Works from a fresh clone: installs h2load/nghttp (Debian's nghttp2-client) and valgrind if missing,
# sets up the Python venv (scripts/python-env.sh), builds the release binaries it runs.
#
#   scripts/bench.sh                5 rounds, about 20 minutes after the build; writes BENCHMARKS.md
#   scripts/bench.sh --quick        1 short round, callgrind on GetFeature and ListFeatures 100k only, a few
#                                   minutes; writes target/bench/BENCHMARKS-quick.md
#   scripts/bench.sh --profile KIND only callgrind's top functions per call of each Rust server on one workload
#                                   (unary, list, record, chat); writes target/bench/profile-<Method>-<n>.md
#   scripts/bench.sh --connect      only the Connect layer's cost per unary call: hello-server's GetFeature under
#                                   callgrind over gRPC, Connect proto and Connect JSON (and connect-rust's);
#                                   writes target/bench/connect-cost.md (about two minutes after the build)
#   scripts/bench.sh --build-cost   also times clean release builds, ours against tonic-build's (adds minutes)
#   scripts/bench.sh --no-build     runs the release binaries already in target/release (the report gives the
#                                   commit at the run and when the binaries were built)
# Other arguments go to `hello-bench suite` (see `target/release/hello-bench suite --help`), e.g. --rounds 5.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() {
    echo "bench: $*" >&2
    exit 1
}

# Said in the report, before the arguments are taken apart.
invocation="scripts/bench.sh${*:+ $*}"
mode=(--rounds 5 --warmup 0.5 --duration 2.5 --report BENCHMARKS.md)
rest=()
profile=
connect=
build=1
while (($#)); do
    case $1 in
    --no-build) build= ;;
    --connect) connect=1 ;;
    --quick) mode=(--rounds 1 --warmup 0.3 --duration 1 --alloc-calls 2000 --quick-instructions --report target/bench/BENCHMARKS-quick.md) ;;
    --profile)
        (($# >= 2)) || die "--profile needs a workload: unary, list, record or chat"
        profile=$2
        shift
        ;;
    -h | --help)
        sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) rest+=("$1") ;;
    esac
    shift
done

# Servers go on core 0, the load on core 1: two cores at least.
(($(nproc) >= 2)) || die "needs at least 2 CPU cores (found $(nproc))"

# 1. Tools: taskset (util-linux), h2load and nghttp (nghttp2-client), valgrind and callgrind_control (valgrind).
missing=()
command -v taskset >/dev/null || missing+=(util-linux)
{ command -v h2load >/dev/null && command -v nghttp >/dev/null; } || missing+=(nghttp2-client)
{ command -v valgrind >/dev/null && command -v callgrind_control >/dev/null; } || missing+=(valgrind)
if ((${#missing[@]})); then
    sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    echo "bench: installing ${missing[*]} with apt-get" >&2
    "${sudo[@]}" apt-get update -qq || die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" ||
        die "cannot install ${missing[*]} (Debian/Ubuntu: apt-get install ${missing[*]})"
fi

# 2. The release binaries: hello-server (ours); from the bench crate hello-bench, tonic-build-server,
#    ceiling-server, alloc-bench, client-bench; from bench/connect-peer connect-server.
if [[ -n $build ]]; then
    cargo build --release -p hello -p hello-bench -p hello-bench-connect --bins
fi

# A per-function profile only: each Rust server under callgrind on one workload (ListFeatures: 100k features).
if [[ -n $profile ]]; then
    case $profile in
    unary) args=(--kind unary --n 1 --calls 5000) ;;
    list) args=(--kind list --n 100000 --calls 4) ;;
    record) args=(--kind record --n 100 --calls 1000) ;;
    chat) args=(--kind chat --n 100 --calls 1000) ;;
    *) die "--profile $profile: expected unary, list, record or chat" ;;
    esac
    exec target/release/hello-bench profile "${args[@]}" --bin-dir target/release --out-dir target/bench "${rest[@]}"
fi

# The Connect layer's cost only: GetFeature over gRPC and Connect under callgrind.
if [[ -n $connect ]]; then
    exec target/release/hello-bench connect-cost --bin-dir target/release --out-dir target/bench "${rest[@]}"
fi

# 3. The seed's Python server: the venv and the patched seed programs.
mapfile -t py < <(./scripts/python-env.sh)
((${#py[@]} == 2)) || die "scripts/python-env.sh did not print the python path and the gen directory"

# 4. Everything else is run by the suite.
exec target/release/hello-bench suite \
    --bin-dir target/release --out-dir target/bench \
    --python "${py[0]}" --python-gen "${py[1]}" \
    --invocation "$invocation" \
    "${mode[@]}" "${rest[@]}"
