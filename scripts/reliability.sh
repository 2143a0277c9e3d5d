#!/usr/bin/env bash
# The opt-in reliability runs at full size (RELIABILITY.md); not part of scripts/test.sh or CI. On loopback only,
# each bounded in time. Builds the release binaries, starts hello-server on a free local port, drives it with
# hello-bench (bench/), checks zero errors, samples the server's memory, and stops it (SIGTERM, exit 0 expected).
#
#   scripts/reliability.sh           all four runs below (about 10 minutes after the builds)
#   scripts/reliability.sh unary     1,000,000 GetFeature calls or more, zero errors
#   scripts/reliability.sh soak      RouteChat soak: 64 clients (connections), 4 calls in flight each, 3 minutes
#   scripts/reliability.sh flood     tests/tests/flood.rs beyond CI's sizes, against the release build: RecordRoute
#                                    with 3,000,000 points, RouteChat with 100,000 notes, 32 calls x 3,000 notes,
#                                    from grpcio and grpc-js (CI: 1,000,000, 20,000, 16 x 3,000)
#   scripts/reliability.sh overload  tests/tests/overload.rs beyond CI's size, release build: 20,000 calls in
#                                    flight on 200 connections, 64 admitted (CI: 5,000 on 100)
#
# Environment: UNARY_CALLS (1000000), SOAK_SECS (180), SOAK_CLIENTS (64), SOAK_IN_FLIGHT (4), SOAK_NOTES (20,
# notes per call), FLOOD_POINTS (3000000), FLOOD_NOTES (100000), FLOOD_CALLS (32,3000), OVERLOAD (20000,200,64:
# in flight, connections, admitted), CARGO_TARGET_DIR (where the binaries are built). flood needs the grpcio and
# grpc-js peers (scripts/python-env.sh, scripts/node-env.sh; the tests set them up on first use).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs=("$@")
((${#runs[@]})) || runs=(unary soak flood overload)
unary_calls=${UNARY_CALLS:-1000000}
soak_secs=${SOAK_SECS:-180}
soak_clients=${SOAK_CLIENTS:-64}
soak_in_flight=${SOAK_IN_FLIGHT:-4}
soak_notes=${SOAK_NOTES:-20}
flood_points=${FLOOD_POINTS:-3000000}
flood_notes=${FLOOD_NOTES:-100000}
flood_calls=${FLOOD_CALLS:-32,3000}
overload=${OVERLOAD:-20000,200,64}

die() {
    echo "reliability: $*" >&2
    exit 1
}

cargo build --release -p hello --bins -p hello-bench
bin=${CARGO_TARGET_DIR:-target}/release
work=$(mktemp -d)
server=
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

# One note kept per place: each RouteChat note is answered by exactly the one before it, as hello-bench checks.
"$bin/hello-server" --addr 127.0.0.1:0 --notes-per-location 1 >"$work/server.out" 2>"$work/server.err" &
server=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/server.out" && break
    sleep 0.1
done
addr=$(sed -n 's/^listening on //p' "$work/server.out")
[[ -n $addr ]] || die "hello-server did not start: $(cat "$work/server.err")"

rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$server/status"; }
# Reads one hello-bench JSON result: prints "calls errors calls_per_s p99_us", or fails on a bad line.
fields() {
    python3 -c 'import json,sys; r=json.loads(sys.stdin.readline()); print(r["calls"], r["errors"], round(r["calls_per_s"]), r["latency_us"]["p99"], r["error_detail"] or "")'
}
echo "hello-server $addr (pid $server), RSS $(rss) MiB at start"

unary() {
    local total=0 errors=0 chunks=0 started=$SECONDS
    # Windows of 10 s until the count is reached (at most 100 of them: a hang guard).
    while ((total < unary_calls && chunks < 100)); do
        read -r calls errs rate p99 detail < <("$bin/hello-bench" run --addr "$addr" --kind unary -c 4 -m 32 \
            --warmup 0 --duration 10 2>>"$work/bench.err" | fields)
        [[ -n ${calls:-} ]] || die "hello-bench failed: $(tail -3 "$work/bench.err")"
        total=$((total + calls)) errors=$((errors + errs)) chunks=$((chunks + 1))
        echo "  unary window $chunks: $calls calls ($rate/s, p99 ${p99} us), $errs errors $detail"
    done
    echo "unary: $total GetFeature calls in $((SECONDS - started)) s on 4 connections, 128 in flight: $errors errors;" \
        "server RSS $(rss) MiB"
    ((errors == 0)) || die "unary: $errors errors (see above)"
    ((total >= unary_calls)) || die "unary: only $total calls"
}

soak() {
    local peak=0 sampler
    (while sleep 5; do rss >>"$work/rss"; done) &
    sampler=$!
    read -r calls errs rate p99 detail < <("$bin/hello-bench" run --addr "$addr" --kind chat --n "$soak_notes" \
        -c "$soak_clients" -m "$soak_in_flight" --warmup 0 --duration "$soak_secs" 2>>"$work/bench.err" | fields)
    kill "$sampler" 2>/dev/null || true
    [[ -n ${calls:-} ]] || die "hello-bench failed: $(tail -3 "$work/bench.err")"
    peak=$(sort -n "$work/rss" | tail -1)
    echo "soak: RouteChat ($soak_notes notes per call), $soak_clients clients x $soak_in_flight calls in flight for" \
        "$soak_secs s: $calls calls ($rate/s, p99 ${p99} us), $errs errors $detail; server RSS sampled every 5 s:" \
        "min $(sort -n "$work/rss" | head -1) MiB, peak $peak MiB, now $(rss) MiB"
    ((errs == 0)) || die "soak: $errs errors"
}

# The issue-13 tests at larger sizes, against the release build (their own servers; they print their figures).
flood() {
    local log=$work/flood.log
    HELLO_FLOOD_POINTS=$flood_points HELLO_FLOOD_NOTES=$flood_notes HELLO_FLOOD_CALLS=$flood_calls \
        cargo test --release -p hello-tests --test flood -- --nocapture --test-threads 1 >"$log" 2>&1 ||
        die "flood failed: $(grep -E 'panicked|FAILED' -A3 "$log" | head -8)"
    grep -E '(grpcio|grpc-js): ok|hostile tiny frames' "$log" | sed -E 's/^test [a-z_]+ \.\.\. //'
}

overload_run() {
    local log=$work/overload.log
    HELLO_OVERLOAD=$overload cargo test --release -p hello-tests --test overload -- --nocapture >"$log" 2>&1 ||
        die "overload failed: $(grep -E 'panicked|assert' -A2 "$log" | head -5)"
    sed -n '/^overload:/,/server peak RSS/p' "$log"
}

for run in "${runs[@]}"; do
    case $run in
    unary) unary ;;
    soak) soak ;;
    flood) flood ;;
    overload) overload_run ;;
    *) die "unknown run '$run' (unary, soak, flood, overload)" ;;
    esac
done

# Still serving, then a clean stop.
"$bin/hello-client" --addr "http://$addr" get-feature 39.92 116.46 >/dev/null || die "the server no longer answers"
kill -TERM "$server"
wait "$server" || die "hello-server exited with $? on SIGTERM"
server=
echo "hello-server answered a call after the runs and stopped cleanly on SIGTERM"
