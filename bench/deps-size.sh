#!/bin/bash
# What the README's quick start downloads and installs on a fresh Debian 12
# machine: a minimal bookworm system is debootstrapped (the mirror from this
# machine's apt sources, images/apt-mirror.sh), given this machine's apt
# sources, and apt is asked, without installing, for the run set
# (scripts/sample.sh) and then for the test set on top of it
# (scripts/test.sh), both from scripts/install-deps.sh.
#
#   bench/deps-size.sh [--installed FILE] [WORKDIR]
#
# WORKDIR defaults to a new directory under /var/tmp, removed after.  FILE
# lists the packages a fresh machine already has (`dpkg-query -W` output, or
# lines "apt NAME VERSION": the name is the first field that is not "apt");
# they are left out of each set, as apt would not download them there.
# Without it the sizes are those on a minimal (minbase) system, an upper bound.
#
# Prints a Markdown table: per set, the packages apt adds, their download
# and their installed size (MB = 10^6 bytes), from apt's plan, not an install.
# Needs root (debootstrap, chroot) and network access to the mirror.
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")/.."
export LC_ALL=C   # one collation for sort and join
log() { printf '%s deps-size: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot)"

INSTALLED=
if [ "${1:-}" = --installed ]; then
    INSTALLED=$(readlink -f "$2")
    shift 2
fi
WORK=${1:-}
if [ -z "$WORK" ]; then
    WORK=$(mktemp -d /var/tmp/deps-size.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
fi
ROOT=$WORK/root
MIRROR=$(images/apt-mirror.sh bookworm) || die "no Debian mirror (above)"
if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
    log "debootstrap bookworm (minbase) from $MIRROR"
    debootstrap --variant=minbase --arch=amd64 bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
        { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
fi
# The same sources as this machine: what a fresh machine of this site sees.
rm -f "$ROOT/etc/apt/sources.list"
cp -a /etc/apt/sources.list "$ROOT/etc/apt/" 2>/dev/null || true
cp -a /etc/apt/sources.list.d/. "$ROOT/etc/apt/sources.list.d/"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
chroot "$ROOT" apt-get update -qq >/dev/null || die "apt-get update failed in the fresh system"

# The packages apt would install for a set, one per line: "name bytes"
# (the .deb's size, from --print-uris), none installed for real.
plan() {
    chroot "$ROOT" apt-get install -qq --no-install-recommends --print-uris "$@" |
        awk -F"'" '/^'"'"'/ { split($3, f, " "); sub(/_.*/, "", f[1]); print f[1], f[2] }' | sort
}
# Installed-Size (KiB) of the candidate version of each package named on stdin.
installed_kib() {
    xargs -r chroot "$ROOT" apt-cache show --no-all-versions |
        awk '/^Installed-Size:/ { s += $2 } END { print s + 0 }'
}
row() {   # label, file of "name bytes" lines
    local n bytes kib
    n=$(wc -l <"$2")
    bytes=$(awk '{ s += $2 } END { print s + 0 }' "$2")
    kib=$(cut -d' ' -f1 "$2" | installed_kib)
    printf '| %s | %d | %d MB | %d MB |\n' "$1" "$n" $((bytes / 1000000)) $((kib * 1024 / 1000000))
}
mapfile -t run < <(scripts/install-deps.sh list-run)
mapfile -t test < <(scripts/install-deps.sh list-test)
plan "${run[@]}" >"$WORK/run.plan"
plan "${test[@]}" >"$WORK/test.plan"
if [ ! -s "$WORK/run.plan" ] || [ ! -s "$WORK/test.plan" ]; then
    die "apt planned nothing: are the packages already there?"
fi
# what the test set adds once the run set is installed
join -v 1 "$WORK/test.plan" "$WORK/run.plan" >"$WORK/added.plan"
if [ -n "$INSTALLED" ]; then
    awk '$1 == "apt" { print $2; next } /^[^#]/ { print $1 }' "$INSTALLED" | sed 's/:.*//' | sort -u >"$WORK/installed"
    for f in run added; do
        join -v 1 "$WORK/$f.plan" "$WORK/installed" >"$WORK/$f.new"
        mv "$WORK/$f.new" "$WORK/$f.plan"
    done
fi
echo "| set | packages | download | installed |"
echo "| --- | --- | --- | --- |"
row "run (scripts/sample.sh)" "$WORK/run.plan"
row "test, after run (scripts/test.sh)" "$WORK/added.plan"
