#!/bin/sh
# liftcheck-wave [LIFTCHECK-OPTION...]: inspect one server of a wave.
#
# The entrypoint of a Kubernetes Indexed Job's pods and of an AWS Batch array
# job's children (deploy/README.md). The engine gives each pod or child an
# index; line INDEX+1 of the server list names that server's disks, in order,
# separated by blanks, the first naming the server. Its reports go to
# $LIFTCHECK_REPORTS/<server>/ (liftcheck --output-dir), for
# `liftcheck summary $LIFTCHECK_REPORTS` once every index has run.
#
# Environment:
#   JOB_COMPLETION_INDEX       the index, set by Kubernetes (Indexed Job)
#   AWS_BATCH_JOB_ARRAY_INDEX  the index, set by AWS Batch (array job)
#   LIFTCHECK_SERVERS          the server list (/etc/liftcheck-wave/servers.txt)
#   LIFTCHECK_DISKS            where relative disk paths are found (/disks)
#   LIFTCHECK_REPORTS          where each server's report directory goes (/wave/reports)
#
# Exit code: 0 when liftcheck wrote a report (its own 0, 1: blockers found,
# or 4: the scan is incomplete): a server's findings are a result of the
# wave, which `liftcheck summary` gates. Any other code is liftcheck's
# (2 usage, 3 could not inspect, 130/143 interrupted): no report was written,
# so the pod or child fails. 2 also when this script cannot pick the server.
set -eu

me=liftcheck-wave
servers=${LIFTCHECK_SERVERS:-/etc/liftcheck-wave/servers.txt}
disks_dir=${LIFTCHECK_DISKS:-/disks}
reports_dir=${LIFTCHECK_REPORTS:-/wave/reports}

die() {
  echo "$me: $*" >&2
  exit 2
}

# The server a list line names: its first disk's file name without the
# disk-image extension (the xargs lines of the top README do the same).
server_name() {
  name=${1##*/}
  for ext in .qcow2 .raw .img .vmdk .vhdx .vhd; do
    case $name in
      ?*"$ext") name=${name%"$ext"}; break ;;
    esac
  done
  printf '%s\n' "$name"
}

if [ -n "${JOB_COMPLETION_INDEX:-}" ]; then
  index=$JOB_COMPLETION_INDEX
  from=JOB_COMPLETION_INDEX
elif [ -n "${AWS_BATCH_JOB_ARRAY_INDEX:-}" ]; then
  index=$AWS_BATCH_JOB_ARRAY_INDEX
  from=AWS_BATCH_JOB_ARRAY_INDEX
else
  die "no index: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set"
fi
case $index in
  '' | *[!0-9]*) die "$from='$index' is not a non-negative integer" ;;
esac
# Leading zeros would read as octal in $(( )); no wave has a billion servers.
index=$(printf '%s\n' "$index" | sed 's/^0*\([0-9]\)/\1/')
[ "${#index}" -le 9 ] || die "$from=$index is too large"

[ -r "$servers" ] || die "$servers: cannot read the server list"
count=$(awk 'END { print NR }' "$servers")
line_no=$((index + 1))
[ "$line_no" -le "$count" ] ||
  die "$from=$index: the server list $servers has $count line(s) (indices 0 to $((count - 1))); completions or the array size must equal its line count"
line=$(awk -v n="$line_no" 'NR == n { print; exit }' "$servers")

# Disk paths are split on blanks and never globbed.
set -f
first=
for first in $line; do break; done
set +f
[ -n "$first" ] || die "$servers line $line_no (index $index) is empty: it must name the server's disks"

server=$(server_name "$first")
case $server in
  '' | .* | *[!A-Za-z0-9._-]*)
    die "$servers line $line_no: server name '$server' (from $first) must be letters, digits, '.', '_' or '-', not starting with '.'" ;;
esac
# Two lines naming one server would write over each other's reports.
dups=0
while IFS= read -r other || [ -n "$other" ]; do
  set -f
  other_first=
  for other_first in $other; do break; done
  set +f
  [ -n "$other_first" ] && [ "$(server_name "$other_first")" = "$server" ] && dups=$((dups + 1))
done < "$servers"
[ "$dups" -le 1 ] || die "$servers: $dups lines name server '$server'; each server takes one line"

mkdir -p "$reports_dir" || die "$reports_dir: cannot create the reports directory"

# liftcheck LIFTCHECK-OPTION... --output-dir DIR DISK...; a relative disk is
# found under $disks_dir, so no disk can be taken for an option.
set -- "$@" --output-dir "$reports_dir/$server"
n_disks=0
set -f
for disk in $line; do
  case $disk in
    /*) set -- "$@" "$disk" ;;
    *) set -- "$@" "$disks_dir/$disk" ;;
  esac
  n_disks=$((n_disks + 1))
done
set +f

echo "$me: index $index ($from): server $server, $n_disks disk(s), reports in $reports_dir/$server" >&2
rc=0
liftcheck "$@" || rc=$?
case $rc in
  0) exit 0 ;;
  1) echo "$me: $server: findings at the --fail-on level (liftcheck exit 1); the report is the result" >&2
     exit 0 ;;
  4) echo "$me: $server: the scan is incomplete (liftcheck exit 4); the report says what was cut short" >&2
     exit 0 ;;
  *) echo "$me: $server: no report (liftcheck exit $rc)" >&2
     exit "$rc" ;;
esac
