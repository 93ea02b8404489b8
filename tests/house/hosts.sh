#!/bin/sh
# No URL in the source tree names a package source: the Debian mirror comes
# from the machine's own apt configuration (images/apt-mirror.sh) and a
# generated Dockerfile takes an end-of-life archive's address as a build
# argument.  URLs may name only placeholders (*.example, *.invalid, x, HOST,
# MIRROR), the documentation cited, and the homepages os-release files carry.
# Prints each other URL with its file and line; exits 1 when there is one.
set -eu
cd "${1:-$(dirname "$0")/../..}"
allowed='^https?://([a-z0-9.-]+\.(example|invalid)|x|HOST|MIRROR|json-schema\.org|libguestfs\.org|www\.debian\.org|bugs\.debian\.org|www\.centos\.org|bugs\.centos\.org|rockylinux\.org|almalinux\.org|amazonlinux\.com|archlinux\.org)([/:"]|$)'
bad=$(grep -rnIoE 'https?://[A-Za-z0-9.-]+[/:"]?' --exclude-dir=.git --exclude-dir='build*' \
        --exclude-dir=node_modules --exclude-dir=out . |
    while IFS= read -r hit; do
        url=${hit#*:*:}
        printf '%s\n' "$url" | grep -qE "$allowed" || printf '%s\n' "$hit"
    done)
[ -z "$bad" ] || { printf '%s\n' "$bad"; echo "URLs above name hosts outside the allowed list (tests/house/hosts.sh)"; exit 1; }
