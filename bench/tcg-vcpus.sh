#!/bin/bash
# Whether this host's qemu runs a multi-vCPU TCG appliance safely.
#
#   bench/tcg-vcpus.sh [VCPUS...]      (default: 1 2)
#
# liftcheck gives its appliance one vCPU under TCG (README, "KVM and TCG"):
# with two, qemu's multi-threaded TCG can keep executing its translation of
# an int3 the kernel has already removed from a static key's jump site, and
# the appliance then spins forever.  For each vCPU count this boots a
# libguestfs appliance under TCG and switches a scheduler static key
# (kernel.sched_schedstats) SWITCHES times (default 2000) while a second
# process forks in a loop, so that every vCPU runs the patched code.  A run
# that does not finish within BOUND seconds (default 300) hung; the last
# switch it reached is read from the appliance's console.  Rerun it after a
# qemu upgrade before giving the TCG appliance more vCPUs.
set -euo pipefail
SWITCHES=${SWITCHES:-2000}
BOUND=${BOUND:-300}
[ $# -gt 0 ] || set -- 1 2
command -v guestfish >/dev/null || { echo "needs guestfish (libguestfs-tools)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The appliance's /bin/sh runs this; every 50 switches go to the console.
cat >"$work/switch.sh" <<'EOF'
( while :; do /bin/true; done ) &
forker=$!
i=0
while [ $i -lt "$1" ]; do
    i=$((i + 1))
    echo 1 >/proc/sys/kernel/sched_schedstats
    echo 0 >/proc/sys/kernel/sched_schedstats
    [ $((i % 50)) -ne 0 ] || echo "<0>liftcheck-switch $i" >/dev/kmsg
done
kill $forker
echo "switched $i"
EOF
script=$(base64 -w0 "$work/switch.sh")

printf '%-6s %-8s %-10s %s\n' vCPUs result seconds "switches reached"
for n in "$@"; do
    log=$work/console-$n.log
    start=$(date +%s)
    rc=0
    LIBGUESTFS_BACKEND_SETTINGS=force_tcg timeout --kill-after=10 "$BOUND" \
        guestfish -v -a /dev/null set-smp "$n" : run : \
        debug sh "echo $script | base64 -d >/tmp/switch.sh; sh /tmp/switch.sh $SWITCHES" \
        >"$log" 2>&1 || rc=$?
    secs=$(($(date +%s) - start))
    reached=$(grep -ao 'liftcheck-switch [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    if [ $rc -eq 0 ] && grep -aq "switched $SWITCHES" "$log"; then
        result=passed
    elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        result=hung
    else
        result="failed($rc)"
    fi
    printf '%-6s %-8s %-10s %s\n' "$n" "$result" "$secs" "${reached:-0} of $SWITCHES"
done
