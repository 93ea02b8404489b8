#!/bin/bash
# Servers per hour on this machine when P servers are inspected at once.
#
#   bench/wave.sh [N] [P...]      (defaults: N=4, P = 1 2 3)
#
# For each P, runs N servers (the sample image and fixtures, in turn:
# images/build-sample.sh and build-fixtures.sh, built if missing) through
# `xargs -P P`, each run under deploy/measure-server.sh, as the top README's
# wave line does; prints per P the wall time of the N runs, servers per
# hour, each run's median wall time, the largest peak memory of one run
# (liftcheck, qemu and what they start) and the load average before and
# after, and writes the same table to bench/results/wave-<UTC date-time>.md.
# LIFTCHECK names the binary (default ./build/liftcheck); the accelerator is
# TCG unless BENCH_ACCEL says otherwise (KVM launches fail on some hosts).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-4}
shift || true
PS=("$@")
[ ${#PS[@]} -gt 0 ] || PS=(1 2 3)
LIFTCHECK=$(readlink -f "${LIFTCHECK:-build/liftcheck}")
IMAGES=${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}
RESULTS=${LIFTCHECK_BENCH_RESULTS:-bench/results}
ACCEL=${BENCH_ACCEL:-tcg}

log() { printf '%s wave-bench: %s\n' "$(date +%T)" "$*" >&2; }
[ -x "$LIFTCHECK" ] || { log "error: $LIFTCHECK is not built"; exit 1; }
images/build-fixtures.sh "$IMAGES/fixtures" >/dev/null 2>&1 ||
    { log "error: images/build-fixtures.sh failed"; exit 1; }

# Servers of several kinds and sizes, taken in turn.
pool=("$IMAGES/debian12.qcow2" "$IMAGES/fixtures/nitro-fixable.img"
      "$IMAGES/fixtures/debian12-sep-boot.raw" "$IMAGES/fixtures/nitro-blocked.img")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((i = 0; i < N; i++)); do
    printf '%s\n' "${pool[i % ${#pool[@]}]}"
done >"$work/disks.txt"
# measure-server.sh runs `liftcheck` from PATH.
mkdir -p "$work/bin"
ln -s "$LIFTCHECK" "$work/bin/liftcheck"
export PATH=$work/bin:$PATH

loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' ','; }
table="| P | servers | wall (s) | servers/hour | median run (s) | peak MiB (one run) | load before | load after |
| --- | --- | --- | --- | --- | --- | --- | --- |"
for p in "${PS[@]}"; do
    log "N=$N P=$p"
    before=$(loadavg)
    start=$(date +%s.%N)
    xargs -P "$p" -n 1 deploy/measure-server.sh --accel "$ACCEL" <"$work/disks.txt" \
        >"$work/runs-$p.txt" 2>"$work/err-$p.txt" || true
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    after=$(loadavg)
    runs=$(grep -c '^peak_mib=' "$work/runs-$p.txt" || true)
    [ "$runs" -eq "$N" ] || { cat "$work/err-$p.txt" >&2; log "error: $runs of $N runs measured"; exit 1; }
    peak=$(sed -n 's/^peak_mib=\([0-9]*\).*/\1/p' "$work/runs-$p.txt" | sort -n | tail -n 1)
    median=$(sed -n 's/.* wall_s=\([0-9.]*\).*/\1/p' "$work/runs-$p.txt" | sort -n |
             awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    table+=$(printf '\n| %d | %d | %.0f | %.1f | %.0f | %d | %s | %s |' "$p" "$N" "$wall" \
             "$(awk -v n="$N" -v w="$wall" 'BEGIN { print n * 3600 / w }')" "$median" "$peak" "$before" "$after")
done
mkdir -p "$RESULTS"
out=$RESULTS/wave-$(date -u +%Y-%m-%dT%H%M%SZ).md
{
    echo "liftcheck $("$LIFTCHECK" --version | head -n 1 | cut -d' ' -f2), --accel $ACCEL," \
         "$(nproc) CPUs, $(($(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024 / 1024)) GiB;" \
         "servers: $(xargs -n 1 basename <"$work/disks.txt" | tr '\n' ' ')"
    echo
    echo "$table"
} | tee "$out"
log "written: $out"
