#!/bin/sh
# measure-server.sh [LIFTCHECK-OPTION...] DISK...: what one server's run
# needs, to size a wave's pods (deploy/README.md, "Resources").
#
# Runs liftcheck on the disks under setsid and samples, every 0.5 s, the
# resident memory of liftcheck and every process it starts (qemu among
# them; ps --sid finds them all) together; prints one line:
#   peak_mib=N wall_s=N accelerator=kvm|tcg exit=N load=1m,5m,15m
# and exits with liftcheck's code. Resident sizes count shared pages in each
# process, so the sum is an upper bound. Needs procps (ps), util-linux
# (setsid) and jq. MEASURE_OUTPUT_DIR keeps the reports (default: a
# temporary directory, removed).
set -eu

[ $# -gt 0 ] || { echo "usage: measure-server.sh [LIFTCHECK-OPTION...] DISK..." >&2; exit 2; }
for tool in ps setsid jq liftcheck; do
  command -v "$tool" > /dev/null || { echo "measure-server.sh: $tool is not installed" >&2; exit 2; }
done

if [ -n "${MEASURE_OUTPUT_DIR:-}" ]; then
  out=$MEASURE_OUTPUT_DIR
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

start=$(date +%s.%N)
setsid liftcheck -q --output-dir "$out" "$@" &
pid=$!
peak=0
while kill -0 "$pid" 2> /dev/null; do
  kib=$(ps -o rss= --sid "$pid" 2> /dev/null | awk '{ t += $1 } END { print t + 0 }')
  [ "$kib" -gt "$peak" ] && peak=$kib
  sleep 0.5
done
rc=0
wait "$pid" || rc=$?
end=$(date +%s.%N)

accel=none
[ -s "$out/report.json" ] && accel=$(jq -r '.launch.accelerator // "none"' "$out/report.json")
echo "peak_mib=$((peak / 1024)) wall_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" \
  "accelerator=$accel exit=$rc load=$(awk '{ print $1 "," $2 "," $3 }' /proc/loadavg)"
exit "$rc"
