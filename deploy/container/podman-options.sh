#!/bin/bash
# podman-options.sh IMAGE: the `podman run` options that let this host run
# IMAGE, one per line (none when podman's defaults do); exit 1, with each
# attempt's error on stderr, when none does.
#
# podman sets the container's open-file and process limits above the
# caller's; a host that denies raising them (no CAP_SYS_RESOURCE, as in some
# VMs and nested containers) refuses every container with "setrlimit ...:
# Operation not permitted". The limits are then given at the caller's own
# hard values (processes capped at 32768, what podman itself runs with).
# crun refuses hosts whose cgroups are mixed v1 and v2 ("cgroups in hybrid
# mode not supported"); runc runs there.
set -u
image=${1:?usage: podman-options.sh IMAGE}
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
if [ "$nofile" = unlimited ]; then nofile=1048576; fi
limits="--ulimit nofile=$nofile:$nofile --ulimit nproc=$nproc:$nproc"
for options in "" "$limits" "--runtime runc" "--runtime runc $limits"; do
  # shellcheck disable=SC2086 # the options are words
  if err=$(podman run --rm --network=none $options "$image" --version 2>&1 >/dev/null); then
    for o in $options; do printf '%s\n' "$o"; done
    exit 0
  fi
  printf 'podman run %s: %s\n' "${options:-(defaults)}" "$err" >&2
done
exit 1
