#!/bin/sh
# The layers depend one way.  Each folder may include only its own headers
# and those of the layers below it:
#   util <- common <- probe
#   util <- model; util <- common;  common, model <- inspector, scanners
#   model <- reports;  everything <- cli
# and no meson.build outside tests/ compiles another folder's sources.
# Prints every arrow that points back up; exits 1 when there is one.
set -eu
cd "${1:-$(dirname "$0")/../..}"
allowed() {
    case $1 in
    util) echo "util" ;;
    common) echo "common util" ;;
    probe) echo "probe common util" ;;
    model) echo "model util" ;;
    inspector) echo "inspector common model util" ;;
    scanners) echo "scanners common model util" ;;
    reports) echo "reports model util" ;;
    cli) echo "cli inspector scanners reports common model util" ;;
    esac
}
bad=0
for layer in util common probe model inspector scanners reports cli; do
    [ -d "$layer" ] || { echo "missing layer folder: $layer"; bad=1; continue; }
    ok=$(allowed "$layer")
    # '#include "layer/...": the first path component names the layer
    grep -rnoE '^#include "[a-z_]+/[^"]+"' --include='*.c' --include='*.h' "$layer" |
    while IFS= read -r hit; do
        target=${hit#*#include \"}
        target=${target%%/*}
        case " $ok " in
        *" $target "*) ;;
        *) echo "$hit: $layer may not include $target/"; echo x >&3 ;;
        esac
    done 3>>"${TMPDIR:-/tmp}/layers.$$"
    if grep -rnE "'(\.\./)+[a-z_]+/[^']*\.c'" --include=meson.build "$layer"; then
        echo "$layer/meson.build compiles another folder's sources"
        bad=1
    fi
done
if [ -s "${TMPDIR:-/tmp}/layers.$$" ]; then bad=1; fi
rm -f "${TMPDIR:-/tmp}/layers.$$"
[ "$bad" = 0 ] && echo "layers: every include points down"
exit "$bad"
