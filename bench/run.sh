#!/bin/bash
# Compares, on one reference image, the time and peak memory of a full
# liftcheck report against: the appliance launch alone, virt-inspector,
# streaming the filesystem out with guestfish tar-out, and (for the
# directory backend) scanelf -R on the extracted tree.
#
#   bench/run.sh [liftcheck binary]      (default ./build/liftcheck)
# Needs: bench/build-reference.sh (called), libguestfs-tools, pax-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
LC=${1:-build/liftcheck}
OUT=${LIFTCHECK_BENCH:-$HOME/.cache/liftcheck/bench}
bench/build-reference.sh "$OUT"
IMAGE=$OUT/reference.raw
TREE=$OUT/tree
command -v scanelf >/dev/null || apt-get install -y -q pax-utils >/dev/null
# Every contender gets the same accelerator.
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS-force_tcg}

results=()
measure() {   # name, command...
    local name=$1; shift
    local tf; tf=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$tf" "$@" >/dev/null 2>"$tf.err" || true
    read -r secs kb < <(tail -1 "$tf")
    results+=("$name|$secs|$((kb / 1024))")
    printf '%-34s %8.1f s %8d MiB\n' "$name" "$secs" "$((kb / 1024))" >&2
    rm -f "$tf" "$tf.err"
}

files=$(find "$TREE" -xdev -type f | wc -l)
elfs=$(scanelf -R -q -F '%F' "$TREE" 2>/dev/null | wc -l)
echo "reference: $(du -sh "$IMAGE" | cut -f1) image, $files files, $elfs ELF files (scanelf)" >&2

measure "appliance launch alone"        guestfish --ro -a "$IMAGE" run
measure "virt-inspector"                virt-inspector --format=raw -a "$IMAGE"
measure "guestfish tar-out (stream fs)" sh -c "guestfish --ro --format=raw -a '$IMAGE' -i tar-out / - | wc -c"
measure "liftcheck (image, full report)" "$LC" -q -o /tmp/liftcheck-bench.json "$IMAGE"
measure "scanelf -R (directory)"        scanelf -R -a "$TREE"
measure "liftcheck --root (ELF only)"   "$LC" -q --skip nitro -o /tmp/liftcheck-bench-root.json --root "$TREE"

lc_elf=$(jq '.elf_summary.count' /tmp/liftcheck-bench.json 2>/dev/null || echo '?')
echo
echo "| contender | seconds | peak MiB | time vs liftcheck |"
echo "| --- | ---: | ---: | ---: |"
lc_secs=$(printf '%s\n' "${results[@]}" | awk -F'|' '/^liftcheck \(image/ {print $2}')
for r in "${results[@]}"; do
    IFS='|' read -r name secs mib <<<"$r"
    ratio=$(awk -v a="$secs" -v b="$lc_secs" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
    echo "| $name | $secs | $mib | $ratio |"
done
echo
echo "liftcheck found $lc_elf ELF files on the image; scanelf found $elfs in the tree."
