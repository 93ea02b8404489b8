#!/bin/sh
# Runs shellcheck on FILE... ([-s SHELL] FILE...): no warning, POSIX sh unless
# -s names another shell. Exit 77 without shellcheck.
command -v shellcheck > /dev/null || { echo "shellcheck is not installed: skipped"; exit 77; }
case ${1:-} in
  -s) exec shellcheck "$@" ;;
esac
exec shellcheck -s sh "$@"
