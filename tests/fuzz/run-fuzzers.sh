#!/bin/bash
# Builds the fuzz targets with clang (ASan + UBSan + libFuzzer) in their own
# build directory and runs each for a bounded time on a copy of its corpus.
# A crash, hang or memory blow-up is copied into
# tests/fuzz/corpus/<target>/regress-<hash> (so the replay suite keeps it)
# and the script exits non-zero.
#
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET...]
#   SECONDS   time per target (default 60)
#   TARGET    names as in tests/fuzz/meson.build (default: all)
# Environment: FUZZ_BUILD (build dir, default build-fuzz), FUZZ_JOBS
# (targets run at once, default the number of CPUs), FUZZ_KEEP=1 keeps the
# work directory (grown corpora, logs), FUZZ_WORK=DIR uses and keeps DIR, so
# a later run goes on from the corpora an earlier one grew.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
build=${FUZZ_BUILD:-$root/build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}
all=(bzimage decompress cpio modinfo grub boot cmdline fstab os_release network net_config utf8 summary nitro elf elf_scan snapshot disk_map mount_listing disknames render mdadm_conf runtimes elf_tables)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$root" -Dfuzzing=true >/dev/null || {
        echo "run-fuzzers: meson setup of $build failed (is clang installed?)" >&2; exit 2; }
fi
# only the fuzz targets: other parts of the tree need not build with clang
ninja -C "$build" $(printf 'tests/fuzz/fuzz_%s ' "${targets[@]}") >/dev/null || {
    echo "run-fuzzers: build failed; run ninja -C $build to see why" >&2; exit 2; }

if [ -n "${FUZZ_WORK:-}" ]; then
    work=$FUZZ_WORK
    FUZZ_KEEP=1
    mkdir -p "$work"
else
    work=$(mktemp -d /tmp/liftcheck-fuzz.XXXXXX)
    [ "${FUZZ_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fi

run_one() {
    local t=$1 dir="$work/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    rm -f "$dir/artifacts/"*
    cp "$here/corpus/$t/"* "$dir/corpus/" 2>/dev/null
    local dict=()
    [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
        -malloc_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" > "$dir/log" 2>&1
    local rc=$? bad=0
    for a in "$dir"/artifacts/*; do
        [ -f "$a" ] || continue
        local h
        h=$(sha1sum "$a" | cut -c1-16)
        cp "$a" "$here/corpus/$t/regress-$h"
        echo "FAIL $t: $(basename "$a") -> tests/fuzz/corpus/$t/regress-$h"
        bad=1
    done
    local execs cov
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n1)
    cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -n1)
    if [ $rc -ne 0 ] || [ $bad -ne 0 ]; then
        echo "FAIL $t (exit $rc, ${execs:-?} runs); log:"
        grep -E -A40 '^==[0-9]+==ERROR|runtime error|ALARM|out-of-memory|Test unit written' \
            "$dir/log" | head -n 80
        return 1
    fi
    echo "ok   $t: ${execs:-?} runs in ${secs}s, ${cov:-cov ?}, corpus $(ls "$dir/corpus" | wc -l) inputs"
}

fail=0
running=0
for t in "${targets[@]}"; do
    if [ ! -d "$here/corpus/$t" ]; then
        echo "run-fuzzers: no corpus for target $t" >&2; fail=1; continue
    fi
    run_one "$t" > "$work/$t.out" 2>&1 &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then
        wait -n || fail=1
        running=$((running - 1))
    fi
done
while [ $running -gt 0 ]; do
    wait -n || fail=1
    running=$((running - 1))
done
for t in "${targets[@]}"; do
    [ -f "$work/$t.out" ] && cat "$work/$t.out"
done
[ "${FUZZ_KEEP:-0}" = 1 ] && echo "work directory kept: $work"
exit $fail
