#!/bin/bash
# Configures (once) and builds liftcheck into ./build.
#   build.sh       everything: meson's default also builds what the tests run
#                  on (test programs, the nitro fixtures, which need the test
#                  packages and download Debian's cloud kernel)
#   build.sh run   only the tool and its probe (scripts/sample.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build >/dev/null
case ${1:-all} in
  all) ninja -C build ;;
  run) ninja -C build liftcheck probe/liftcheck-probe ;;
  *) echo "usage: $0 [run]" >&2; exit 2 ;;
esac
