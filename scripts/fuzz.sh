#!/usr/bin/env bash
# Fuzzing (fuzz/README.md) with cargo-afl on the stable toolchain: builds the targets of fuzz/ with AFL++'s
# instrumentation and runs each for a bounded time, starting from the seeds in fuzz/seeds/<target>/. Fails if a target
# found a crash: the inputs are kept under target/fuzz/<target>/default/crashes/ and printed in hex.
# Installs what it needs on a fresh machine: cargo-afl from crates.io, then AFL++ for this toolchain (built from the
# source cargo-afl ships, with gcc and make).
#
#   scripts/fuzz.sh                  every target, FUZZ_SECS (default 60) seconds each
#   scripts/fuzz.sh service_macro    one of them (decode_serve, service_macro)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

secs=${FUZZ_SECS:-60}
targets=("$@")
((${#targets[@]})) || targets=(decode_serve service_macro)

die() {
    echo "fuzz: $*" >&2
    exit 1
}

# 1. cargo-afl, and AFL++ built for this rustc (once per toolchain; `config --build` refuses to build it twice).
if ! command -v cargo-afl >/dev/null; then
    cargo install cargo-afl --locked --version '^0.18' || die "could not install cargo-afl from crates.io"
fi
if ! out=$(cargo afl config --build 2>&1); then
    grep -q "already built" <<<"$out" || die "could not build AFL++: $out"
fi

# 2. The targets, instrumented (fuzz/ is a workspace of its own with its own target dir: everything in it is
# compiled with AFL's instrumentation).
(cd fuzz && cargo afl build --release --locked) || die "could not build the fuzz targets"

# 3. Each target for $secs seconds, from its seeds. No UI; the machine's core_pattern and CPU governor are left as
# they are (AFL only warns that a crash might be missed by a core-dump handler, and that timing may vary).
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
failed=0
for t in "${targets[@]}"; do
    [[ -d fuzz/seeds/$t ]] || die "no target '$t' (fuzz/seeds/$t is missing)"
    out_dir=target/fuzz/$t
    rm -rf "$out_dir"
    mkdir -p "$out_dir"
    cargo afl fuzz -i "fuzz/seeds/$t" -o "$out_dir" -V "$secs" -- "fuzz/target/release/$t" >"$out_dir.log" 2>&1 ||
        die "afl-fuzz failed on $t: $(tail -20 "$out_dir.log")"
    stats=$out_dir/default/fuzzer_stats
    [[ -f $stats ]] || die "afl-fuzz left no stats for $t: $(tail -20 "$out_dir.log")"
    get() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
    crashes=$(get saved_crashes)
    hangs=$(get saved_hangs)
    echo "fuzz $t: $(get run_time) s, $(get execs_done) inputs run ($(get execs_per_sec)/s), corpus $(get corpus_count)" \
        "(from $(ls "fuzz/seeds/$t" | wc -l) seeds), edges found $(get edges_found), crashes $crashes, hangs $hangs"
    if ((crashes > 0)); then
        failed=1
        for c in "$out_dir"/default/crashes/id:*; do
            echo "crash input $c:"
            od -A x -t x1z -v "$c" | head -20
        done
    fi
done
((failed == 0)) || die "crashes found (inputs above and under target/fuzz/)"
