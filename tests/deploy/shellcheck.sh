#!/bin/sh
# shellcheck -s sh FILE...: POSIX sh only, no warning. Exit 77 without shellcheck.
command -v shellcheck > /dev/null || { echo "shellcheck is not installed: skipped"; exit 77; }
exec shellcheck -s sh "$@"
