#!/bin/bash
# Runs the unit, nitro, elf and fuzz-replay suites (and, under ASan, probe and reports) twice: built with
# ASan + UBSan (gcc, build-asan) and under valgrind (plain gcc build,
# build-san).  Any sanitizer report, valgrind error or definite leak fails.
#
# Usage: tests/run-sanitizers.sh [asan|valgrind]...   (default: both)
# Environment: SAN_SUITES overrides the suite list (space separated).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
suites=${SAN_SUITES:-unit nitro elf fuzz-replay}
modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(asan valgrind)
suite_args=()
for s in $suites; do suite_args+=(--suite "$s"); done
# Those of the ELF suite's optional parts that only read the main test's scan.
suite_args+=(--no-suite elf-parts)
fail=0

# Sanitizer reports are fatal and name the faulting line.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:print_summary=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:print_summary=1}

setup() { # dir, meson options...
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$root" "$@" >/dev/null || return 1
    fi
}

for m in "${modes[@]}"; do
    case $m in
    asan)
        dir=$root/build-asan
        echo "== ASan + UBSan ($dir): $suites"
        if ! setup "$dir" -Db_sanitize=address,undefined -Db_lundef=false; then
            echo "meson setup $dir failed" >&2; fail=1; continue
        fi
        # The probe and reports suites run the probe and liftcheck from Python
        # tests: under ASan they are instrumented; under valgrind only the
        # interpreter would be.
        meson test -C "$dir" --print-errorlogs --num-processes 2 "${suite_args[@]}" \
            --suite probe --suite reports || fail=1
        ;;
    valgrind)
        dir=$root/build-san
        echo "== valgrind ($dir): $suites"
        command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; fail=1; continue; }
        if ! setup "$dir"; then
            echo "meson setup $dir failed" >&2; fail=1; continue
        fi
        meson test -C "$dir" --setup valgrind --print-errorlogs --num-processes 2 \
            "${suite_args[@]}" || fail=1
        ;;
    *)
        echo "usage: $0 [asan|valgrind]..." >&2; exit 2 ;;
    esac
done
exit $fail
