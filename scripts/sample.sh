#!/bin/bash
# Quick start: installs what is needed, builds liftcheck, builds the Debian 12
# sample server image (cached after the first run) and inspects it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
# The build is quiet when it works and shows its whole output when it fails.
build_log=$(mktemp)
scripts/build.sh run >"$build_log" 2>&1 || { cat "$build_log" >&2; echo "build failed" >&2; exit 1; }
rm -f "$build_log"
images_dir="${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}"
images/build-sample.sh "$images_dir"
mkdir -p out
set +e
build/liftcheck -o out/sample-report.json "$images_dir/debian12.qcow2"
rc=$?
set -e
echo "report: out/sample-report.json (exit code $rc)" >&2
jq '{os: .os, volumes: [.volumes[] | {path, format, filesystems: [.filesystems[] | {device, type, mountpoint}]}], verdict}' out/sample-report.json
exit $rc
