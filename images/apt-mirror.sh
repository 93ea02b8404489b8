#!/bin/bash
# Prints the Debian mirror this machine's own apt configuration uses for a
# release's main component (default bookworm), for debootstrap:
#
#   images/apt-mirror.sh [SUITE]
#
# MIRROR, when set, wins.  Otherwise apt itself is asked (`apt-get
# indextargets` reads sources.list and the deb822 .sources files alike), and
# the first source of SUITE is taken, else the first of any release without a
# suffix (a Debian mirror serves them all), never an -updates, -security or
# -backports source, which debootstrap cannot start from.
# Fails with a message naming MIRROR when apt has no such source.
set -euo pipefail

suite=${1:-bookworm}
if [ -n "${MIRROR:-}" ]; then
    printf '%s\n' "$MIRROR"
    exit 0
fi
command -v apt-get >/dev/null || { echo "apt-mirror: no apt-get here: set MIRROR to a Debian mirror" >&2; exit 1; }
# shellcheck disable=SC2016 # $(...) are apt's format fields, not the shell's
uri=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Identifier: Packages' 'Component: main' 2>/dev/null |
    awk -v s="$suite" '$1 == s && !exact { exact = $2 } $1 !~ /-/ && !bare { bare = $2 }
        END { if (exact) print exact; else if (bare) print bare }')
[ -n "$uri" ] || {
    echo "apt-mirror: this machine's apt sources have no main component of $suite: set MIRROR to a Debian mirror" >&2
    exit 1
}
printf '%s\n' "${uri%/}"
