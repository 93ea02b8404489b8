#!/bin/bash
# Scale on a lived-in server: the whole --root report against scanelf on a
# tree of at least 500k files, and the lived-in fixture's disk image
# (images/build-lived.sh) against virt-inspector.
#
#   bench/lived-scale.sh [LIFTCHECK]     (default: ./build/liftcheck)
#
# The tree, in $LIFTCHECK_BENCH/lived-scale (default
# ~/.cache/liftcheck/bench/lived-scale), is images/build-lived.sh's staged
# root plus what servers accumulate: a copy of the host's /usr under /srv
# (real data), two more of it as hard links (a backup under /root, a sysroot
# in a home: names the walk visits, data read once), 30,000 small files in a
# spool directory and an unpacked tarball of /usr/include under /tmp.  It is
# generated once and reused.  Prints, and appends to
# bench/results/lived-scale-<UTC date-time>.md: files in the tree, wall time
# and peak RSS of each contender (GNU time; for an image run that is the
# largest of liftcheck and its appliance's processes), the report's size,
# applications and warnings.  A disk image of the 500k-file tree is not
# built: under TCG its scan would take hours here.
# Needs pax-utils (scanelf), time, jq, libguestfs-tools (virt-inspector).
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=lived-scale
# shellcheck source=images/fixture-lib.sh
. images/fixture-lib.sh
need_tools scanelf /usr/bin/time jq virt-inspector
LC=$(readlink -f "${1:-build/liftcheck}")
[ -x "$LC" ] || die "no liftcheck binary at $LC"
OUT=${LIFTCHECK_BENCH:-$HOME/.cache/liftcheck/bench}/lived-scale
IMAGES=${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}
RESULTS=${LIFTCHECK_BENCH_RESULTS:-bench/results}
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS-force_tcg}
TREE=$OUT/tree
mkdir -p "$OUT" "$RESULTS"

images/build-lived.sh "$IMAGES/lived"
if [ ! -f "$OUT/.tree-done" ]; then
    log "generating the tree"
    rm -rf "$TREE"
    cp -a "$IMAGES/lived/tree" "$TREE"
    mkdir -p "$TREE/srv/mirror" "$TREE/root/backup-usr" "$TREE/home/dev/sysroot" \
        "$TREE/var/spool/queue" "$TREE/tmp/unpacked"
    cp -a --one-file-system /usr "$TREE/srv/mirror/"
    cp -al "$TREE/srv/mirror/usr" "$TREE/root/backup-usr/"
    cp -al "$TREE/srv/mirror/usr" "$TREE/home/dev/sysroot/"
    /usr/bin/python3 - "$TREE/var/spool/queue" <<'PY'
import os, sys
for i in range(30000):
    d = os.path.join(sys.argv[1], "%03d" % (i // 1000))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "msg-%05d.eml" % i), "w") as f:
        f.write("From: job%d@example.invalid\n\nqueued\n" % i)
PY
    tar -C /usr -cf - include | tar -C "$TREE/tmp/unpacked" -xf -
    touch "$OUT/.tree-done"
fi
FILES=$(find "$TREE" -type f | wc -l)
log "tree: $FILES files"

# measure LABEL CMD...: wall seconds and peak RSS (KiB) into $OUT/LABEL.time
measure() {
    local label=$1
    shift
    log "$label"
    /usr/bin/time -f '%e %M %U %S' -o "$OUT/$label.time" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err" || true
}
row() {   # label what
    local wall rss user sys
    # GNU time's last line; a failed command's exit status comes before it
    read -r wall rss user sys < <(tail -n 1 "$OUT/$1.time")
    printf '| %s | %s | %.1f s | %.1f s | %d MB |\n' "$1" "$2" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" \
        $((rss / 1024))
}
report_facts() {   # report.json
    printf '%s bytes, %s applications, %s warnings, %s ELF files' "$(stat -c %s "$1")" \
        "$(jq '.applications | length' "$1")" \
        "$(jq '[.findings[] | select(.severity == "warning")] | length' "$1")" \
        "$(jq '.elf_files | length' "$1")"
}

cat "$TREE"/usr/bin/* >/dev/null 2>&1 || true
measure liftcheck-root "$LC" --root "$TREE" -q -o "$OUT/root.json"
measure scanelf-root scanelf -R -q -F '%F %n' "$TREE"
IMG=$IMAGES/lived/lived.img
IMG_FILES=$(find "$IMAGES/lived/tree" -type f | wc -l)
measure liftcheck-image "$LC" "$IMG" -q -o "$OUT/image.json"
measure virt-inspector virt-inspector --format=raw -a "$IMG"

RES=$RESULTS/lived-scale-$(date -u +%Y%m%dT%H%M%SZ).md
{
    echo "# Lived-in scale, $(date -u +%F) ($(git rev-parse --short HEAD), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
    echo
    echo "| contender | input | wall | CPU | peak RSS |"
    echo "|---|---|---|---|---|"
    row liftcheck-root "--root, $FILES files"
    row scanelf-root "scanelf -R, same tree"
    row liftcheck-image "lived.img ($IMG_FILES files), $LIBGUESTFS_BACKEND_SETTINGS"
    row virt-inspector "lived.img, same accelerator"
    echo
    echo "- --root report: $(report_facts "$OUT/root.json")"
    echo "- image report: $(report_facts "$OUT/image.json")"
    echo "- scanelf listed $(wc -l <"$OUT/scanelf-root.out") ELF files"
} | tee "$RES"
