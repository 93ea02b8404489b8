#!/bin/bash
# Installs what is needed, builds, and runs every test suite: unit suites on
# the directory backend, integration suites that build disk images and run
# liftcheck through real libguestfs appliances, the parser suites under
# ASan+UBSan and valgrind, and every fuzz target for a bounded time.
# Arguments go to `meson test` (and then only meson's suites run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
# The build is quiet when it works and shows its whole output when it fails.
build_log=$(mktemp)
scripts/build.sh >"$build_log" 2>&1 || { cat "$build_log" >&2; echo "build failed" >&2; exit 1; }
rm -f "$build_log"
# The Dockerfile checks lint generated files with a maintained parser from npm.
# (Node.js comes with these machines; Debian's nodejs package conflicts with it.)
if command -v npm >/dev/null && [ ! -d build/tests/apps/node/node_modules/dockerfile-utils ]; then
  npm install --no-audit --no-fund --silent --prefix build/tests/apps/node dockerfile-utils@0.16.3 ||
    echo "dockerfile-utils not installed: the apps-dockerfile-lint test will skip" >&2
fi
# KVM launches hang on some hosts; the tool falls back by itself, but the
# suites skip the attempt to save time (one test covers the fallback).
export LIBGUESTFS_BACKEND_SETTINGS="${LIBGUESTFS_BACKEND_SETTINGS-force_tcg}"
set +e
# With no arguments the mutated-report suite runs once, under ASan in the
# sanitizer pass below, where a bad read is caught rather than survived.
args=("$@")
[ $# -eq 0 ] && args=(--no-suite reports)
meson test -C build --num-processes 2 --print-errorlogs "${args[@]}"
rc=$?
# Hostile-input checks: the parser suites under ASan+UBSan and valgrind, then
# every fuzz target for a bounded time (LIFTCHECK_FUZZ_SECONDS each).
extra_pass=0 extra_fail=0
if [ $# -eq 0 ]; then
  if tests/run-sanitizers.sh; then extra_pass=$((extra_pass + 1)); else extra_fail=$((extra_fail + 1)); rc=1; fi
  if tests/fuzz/run-fuzzers.sh "${LIFTCHECK_FUZZ_SECONDS:-30}"; then
    extra_pass=$((extra_pass + 1)); else extra_fail=$((extra_fail + 1)); rc=1; fi
fi
set -e
# The summary: what the image scripts built or reused, the skipped tests
# with their reason, then one line counting meson's tests and the two passes.
/usr/bin/python3 - build/meson-logs/testlog.json "$extra_pass" "$extra_fail" <<'PY'
import json, re, sys
passed, failed, skipped = int(sys.argv[2]), int(sys.argv[3]), 0
images = {}
for line in open(sys.argv[1]):
    t = json.loads(line)
    r = t["result"]
    out = (t.get("stdout") or "") + (t.get("stderr") or "")
    for m in re.finditer(r"build-(sample|fixtures|legacy|image): (done|up to date): (\S+)", out):
        if m.group(2) == "done" or m.group(1) not in images:
            images[m.group(1)] = "%s %s" % ("built" if m.group(2) == "done" else "reused", m.group(3))
    if r in ("OK", "EXPECTEDFAIL"): passed += 1
    elif r == "SKIP":
        skipped += 1
        why = re.search(r"^skipped: (.*)$", out, re.M)
        print("skipped %s%s" % (t["name"], ": " + why.group(1) if why else ""))
    else: failed += 1
for name in sorted(images):
    print("image %s: %s" % (name, images[name]))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $rc
