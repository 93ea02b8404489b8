#!/bin/sh
# Writes the syscall names by number of x86-64 and i386 as the kernel's uapi
# headers (asm/unistd_64.h, asm/unistd_32.h) that the compiler finds define
# them: two C array initialisers.  Fails when a header yields too few names.
#   gen-syscall-table.sh OUTPUT CC [ARGS...]
set -eu
out=$1
shift
table() {
    name=$1 header=$2
    shift 2
    echo "static const char *const $name[] = {"
    "$@" -E -dM -x c -include "$header" /dev/null |
        sed -n 's/^#define __NR_\([A-Za-z0-9_]*\) \([0-9][0-9]*\)$/\2 \1/p' | sort -n |
        awk '{ printf "    [%s] = \"%s\",\n", $1, $2; n++ } END { if (n < 300) exit 1 }'
    echo "};"
}
{
    echo "/* Generated at build time from the kernel's uapi headers. */"
    table names64 asm/unistd_64.h "$@"
    echo
    table names32 asm/unistd_32.h "$@"
} > "$out.tmp"
mv "$out.tmp" "$out"
