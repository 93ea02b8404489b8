#!/bin/bash
# Compares, on one reference image (bench/build-reference.sh), the time and
# peak memory of a full liftcheck report against: the appliance launch alone,
# virt-inspector, streaming the filesystem out with guestfish tar-out, and
# (for the directory backend) scanelf -R on the same tree.  On the EL7-style
# image (images/build-el7.sh: /boot and the root on XFS, the root in LVM)
# liftcheck is compared with virt-inspector as well, in the same rounds.
#
#   bench/run.sh [LIFTCHECK]         (default: a release build in ./build-bench)
#   bench/run.sh --el7 [LIFTCHECK]   only the EL7 image's comparison
#
# Prints one table (wall and CPU time, peak memory, files and ELF files
# found, host load) with liftcheck's stage times and an ELF count
# cross-check, and writes the same text to bench/results/<UTC date-time>.md.
# The launch, virt-inspector and liftcheck on the image run APP_RUNS times
# (default 3), the directory contenders DIR_RUNS times (default 5), in
# rounds, keeping the median run; tar-out runs once; the image or the tree
# is read once beforehand so that every contender finds it in the page cache,
# and the libguestfs appliance is built before the first timing.  Every
# appliance runs under the same accelerator (TCG unless
# LIBGUESTFS_BACKEND_SETTINGS says otherwise).  Needs root (the reference
# build runs debootstrap), libguestfs-tools, pax-utils (scanelf), time, jq,
# meson and ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${LIFTCHECK_BENCH:-$HOME/.cache/liftcheck/bench}
RESULTS=${LIFTCHECK_BENCH_RESULTS:-bench/results}
# Every contender gets the same accelerator; KVM is not usable everywhere.
export LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS-force_tcg}

log() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

need=()
command -v scanelf >/dev/null || need+=(pax-utils)
[ -x /usr/bin/time ] || need+=(time)
command -v jq >/dev/null || need+=(jq)
command -v virt-inspector >/dev/null || need+=(libguestfs-tools)
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get install -y -q "${need[@]}" >/dev/null
fi

EL7_ONLY=0
if [ "${1:-}" = --el7 ]; then
    EL7_ONLY=1
    shift
fi
if [ $# -ge 1 ]; then
    LC=$1
else
    [ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release >/dev/null
    ninja -C build-bench liftcheck probe/liftcheck-probe >/dev/null
    LC=build-bench/liftcheck
fi
[ -x "$LC" ] || die "no liftcheck binary at $LC"
# the source the binary was built from, before a long run lets it move on
commit_desc="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (modified tree)')"
LC=$(readlink -f "$LC")
buildtype=$(meson introspect --buildoptions "$(dirname "$LC")" 2>/dev/null |
            jq -r '.[] | select(.name == "buildtype") | .value' 2>/dev/null || true)
[ "$buildtype" = release ] || log "warning: $LC is not a release build (${buildtype:-unknown})"

[ "$EL7_ONLY" = 1 ] || bench/build-reference.sh "$OUT"
EL7_DIR=${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/el7
EL7_IMAGE=$EL7_DIR/el7.img
images/build-el7.sh "$EL7_DIR"
IMAGE=$OUT/reference.raw
TREE=$OUT/tree
INFO=$OUT/reference.info
info() { sed -n "s/^$1=//p" "$INFO"; }

WORK=$(mktemp -d /tmp/liftcheck-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# ---- the contenders --------------------------------------------------------

# Samples, every 0.2 s, the resident memory of the command's own process
# (VmHWM, its high-water mark) and the sum over its whole process tree
# (the libguestfs appliance's qemu included).
sample_rss() {   # root pid, output file
    local root=$1 outf=$2 tool=0 total=0 t p
    while kill -0 "$root" 2>/dev/null; do
        p=$(pgrep -P "$root" | head -n 1 || true)
        if [ -n "$p" ]; then
            t=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
            [ -n "$t" ] && [ "$t" -gt "$tool" ] && tool=$t
        fi
        t=$(ps -e -o pid=,ppid=,rss= | awk -v root="$root" '
            { par[$1] = $2; rss[$1] = $3 }
            END { for (p in par) { q = p; while (q in par && q != root && q > 1) q = par[q];
                                   if (q == root && p != root) s += rss[p] }
                  print s + 0 }')
        [ "$t" -gt "$total" ] && total=$t
        echo "$tool $total" >"$outf"
        sleep 0.2
    done
}

rows=()
# run_once KEY N STDOUT-FILE COMMAND...: one timed run, number N of KEY.  The
# command's stdout goes to STDOUT-FILE.N (unless /dev/null), its stderr to
# $WORK/KEY.N.err; one line "wall N maxrss exit own total load cpu" is added
# to $WORK/KEY.runs.
run_once() {
    local key=$1 i=$2 stdout=$3; shift 3
    local load out secs kb rc cpu tool total
    load=$(cut -d' ' -f1 /proc/loadavg)
    out=$stdout
    [ "$stdout" = /dev/null ] || out=$stdout.$i
    /usr/bin/time -f '%e %M %x %U %S' -o "$WORK/$key.$i.time" "$@" >"$out" 2>"$WORK/$key.$i.err" &
    local pid=$!
    sample_rss "$pid" "$WORK/$key.$i.rss" &
    local spid=$!
    wait "$pid" || true
    wait "$spid" || true
    read -r secs kb rc cpu < <(grep -E '^[0-9.]+ [0-9]+ -?[0-9]+ [0-9.]+ [0-9.]+$' "$WORK/$key.$i.time" |
                               tail -n 1 | awk '{ printf "%s %s %s %.2f\n", $1, $2, $3, $4 + $5 }') ||
        { secs=0; kb=0; rc=?; cpu=0; }
    read -r tool total <"$WORK/$key.$i.rss" 2>/dev/null || { tool=0; total=0; }
    log "  $key: ${secs}s wall, ${cpu}s CPU, max RSS $((kb / 1024)) MiB, exit $rc"
    echo "$secs $i $kb $rc $tool $total $load $cpu" >>"$WORK/$key.runs"
}
# keep KEY LABEL STDOUT-FILE: the run of KEY with the median wall time
# becomes its row, its output STDOUT-FILE and its stderr $WORK/KEY.err.
keep() {
    local key=$1 label=$2 stdout=$3
    local runs secs i kb rc tool total load cpu
    runs=$(wc -l <"$WORK/$key.runs")
    read -r secs i kb rc tool total load cpu < <(sort -n "$WORK/$key.runs" | sed -n "$(( (runs + 1) / 2 ))p")
    [ "$stdout" = /dev/null ] || mv "$stdout.$i" "$stdout"
    mv "$WORK/$key.$i.err" "$WORK/$key.err"
    eval "T_$key=\$secs C_$key=\$cpu RC_$key=\$rc M_$key=\$((kb / 1024)) S_$key=\$((total / 1024))"
    rows+=("$key|$label|$secs|$cpu|$((kb / 1024))|$((tool / 1024))|$((total / 1024))|$load|$rc|$runs")
}
# measure KEY LABEL STDOUT-FILE COMMAND...: one run, kept.
measure() {
    local key=$1 label=$2 stdout=$3; shift 3
    log "running: $label"
    run_once "$key" 1 "$stdout" "$@"
    keep "$key" "$label" "$stdout"
}
warm_image() { cat "$IMAGE" >/dev/null; }
warm_tree()  { find "$TREE" -xdev -type f -print0 | xargs -0 -r cat >/dev/null 2>&1 || true; }

# el7_round N: virt-inspector and liftcheck on the EL7 image, once each.
# libguestfs 1.48 fails to list the applications of its (empty, sqlite) RPM
# database (rpmtsInitIterator), so virt-inspector leaves them out.
el7_round() {
    run_once inspect_el7 "$1" "$WORK/inspector-el7.xml" \
        virt-inspector --no-applications --format=raw -a "$EL7_IMAGE"
    run_once lc_el7 "$1" /dev/null "$LC" --progress --fail-on never -o "$WORK/el7.json" "$EL7_IMAGE"
}
el7_keep() {
    keep inspect_el7 "virt-inspector --no-applications, EL7 image (XFS on LVM)" "$WORK/inspector-el7.xml"
    keep lc_el7 "liftcheck, EL7 image (XFS on LVM, full report)" /dev/null
}
# What each saw on the EL7 image, for the table's last column.
el7_notes() {
    case $1 in
    inspect_el7)
        echo "-|-|OS inspection: $(grep -o '<distro>[^<]*</distro>' "$WORK/inspector-el7.xml" |
                                   sed 's/<[^>]*>//g') $(grep -o '<major_version>[^<]*' "$WORK/inspector-el7.xml" |
                                   sed 's/<[^>]*>//g'), $(grep -c '<mountpoint ' "$WORK/inspector-el7.xml" || true) mount points" ;;
    lc_el7)
        echo "$(jq -r '.elf_summary.files_walked // "-"' "$WORK/el7.json")|$(jq -r '.elf_summary.count // "-"' "$WORK/el7.json")|verdict $(jq -r '.verdict.nitro_boot + ", blockers: " + ([.findings[] | select(.severity == "blocker") | .id] | join(" "))' "$WORK/el7.json")" ;;
    esac
}
el7_target() {
    echo "- EL7 image (XFS on LVM): the full report costs no more than virt-inspector:" \
         "wall $T_lc_el7 s vs $T_inspect_el7 s (x$(ratio "$T_lc_el7" "$T_inspect_el7")): $(le "$T_lc_el7" "$T_inspect_el7");" \
         "CPU $C_lc_el7 s vs $C_inspect_el7 s (x$(ratio "$C_lc_el7" "$C_inspect_el7")): $(le "$C_lc_el7" "$C_inspect_el7");" \
         "whole process tree $S_lc_el7 MiB vs $S_inspect_el7 MiB"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "-" || b == "-") ? "not measured" : (a + 0 <= b + 0) ? "met" : "NOT met" }'; }
run_header() {   # load before, load after
    echo "- liftcheck: $("$LC" -V 2>&1 | head -n 1), ${buildtype:-unknown} build, commit $commit_desc"
    echo "- host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r), $(guestfish --version 2>/dev/null), accelerator: ${LIBGUESTFS_BACKEND_SETTINGS:-auto}"
    echo "- load before: $1"
    echo "- load after:  $2"
}
table_head() {
    echo "| contender | wall s | CPU s ⁰ | max RSS MiB ¹ | own RSS MiB ² | total RSS MiB ³ | files walked | ELF files | runs ⁴ | load 1m | exit | what it did |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
}
table_row() {   # row, notes "files|elf|what"
    local key label secs cpu maxm tool total load rc runs nfiles nelf what
    IFS='|' read -r key label secs cpu maxm tool total load rc runs <<<"$1"
    IFS='|' read -r nfiles nelf what <<<"$2"
    [ "$tool" -gt 0 ] || tool=-
    [ "$total" -gt 0 ] || total=-
    echo "| $label | $secs | $cpu | $maxm | $tool | $total | $nfiles | $nelf | $runs | $load | $rc | $what |"
}

log "liftcheck: $("$LC" -V 2>&1 | head -n 1) ($LC, ${buildtype:-unknown} build)"
APP_RUNS=${APP_RUNS:-3}
if [ "$EL7_ONLY" = 1 ]; then
    log "warming up: libguestfs appliance, page cache for the EL7 image"
    guestfish --ro --format=raw -a "$EL7_IMAGE" run >/dev/null 2>&1 || die "the libguestfs appliance does not start"
    cat "$EL7_IMAGE" >/dev/null
    load_start=$(uptime)
    for ((round = 1; round <= APP_RUNS; round++)); do
        log "EL7 image, round $round/$APP_RUNS"
        el7_round "$round"
    done
    el7_keep
    {
    echo "# liftcheck benchmark, EL7 image, $(date -u '+%F %T') UTC"
    echo
    run_header "$load_start" "$(uptime)"
    echo "- image: $EL7_IMAGE, $(du -h --apparent-size "$EL7_IMAGE" | cut -f1) raw ($(du -h "$EL7_IMAGE" | cut -f1) allocated): MBR, /boot XFS, LVM centos/root XFS and centos/swap (images/build-el7.sh)"
    echo
    table_head
    for r in "${rows[@]}"; do table_row "$r" "$(el7_notes "${r%%|*}")"; done
    echo
    echo "⁰ ¹ ² ³ ⁴ as in the full benchmark (bench/run.sh without --el7): CPU of the whole process tree, /usr/bin/time's largest process, own and whole-tree RSS sampled every 0.2 s, the median of $APP_RUNS runs."
    echo
    el7_target
    } >"$WORK/report.md"
    mkdir -p "$RESULTS"
    dest=$RESULTS/$(date -u +%Y-%m-%dT%H%M%SZ)-el7.md
    cp "$WORK/report.md" "$dest"
    cat "$WORK/report.md"
    log "written to $dest"
    exit 0
fi
log "warming up: libguestfs appliance, page cache for the image"
guestfish --ro --format=raw -a "$IMAGE" run >/dev/null 2>&1 || die "the libguestfs appliance does not start"
warm_image

load_start=$(uptime)
# The launch alone, virt-inspector and liftcheck: an appliance launch under
# TCG varies by seconds from one run to the next, so APP_RUNS rounds of the
# three, the median run of each kept.
for ((round = 1; round <= APP_RUNS; round++)); do
    log "appliance contenders, round $round/$APP_RUNS"
    run_once launch  "$round" /dev/null guestfish --ro --format=raw -a "$IMAGE" run
    run_once inspect "$round" "$WORK/inspector.xml" virt-inspector --format=raw -a "$IMAGE"
    warm_image
    run_once lcimg   "$round" /dev/null \
        "$LC" --progress --fail-on never -o "$WORK/image.json" "$IMAGE"
    el7_round "$round"
    warm_image
done
keep launch  "appliance launch alone (guestfish run)" /dev/null
keep inspect "virt-inspector" "$WORK/inspector.xml"
keep lcimg   "liftcheck IMAGE (guestfs backend, full report)" /dev/null
el7_keep
# Streaming the filesystem out takes many minutes: one run.
mkfifo "$WORK/tar.fifo.1"
wc -c <"$WORK/tar.fifo.1" >"$WORK/tarout.bytes" &
wcpid=$!
measure tarout  "guestfish -i tar-out / - (stream the filesystem)" "$WORK/tar.fifo" \
    guestfish --ro --format=raw -a "$IMAGE" -i tar-out / -
wait "$wcpid" || true
# The directory contenders take seconds: DIR_RUNS rounds, one run of each
# per round (so that a change of host load hits all of them), after reading
# the whole tree once so that all of them find it in the page cache; the
# median run of each is kept.
DIR_RUNS=${DIR_RUNS:-5}
log "warming up: page cache for the tree"
warm_tree
for ((round = 1; round <= DIR_RUNS; round++)); do
    log "directory contenders, round $round/$DIR_RUNS"
    run_once lcroot  "$round" /dev/null \
        "$LC" --progress --fail-on never -o "$WORK/root.json" --root "$TREE"
    run_once lcelf   "$round" /dev/null \
        "$LC" --progress --fail-on never --skip nitro,apps -o "$WORK/root-elf.json" --root "$TREE"
    run_once scanelf "$round" "$WORK/scanelf.out" \
        scanelf -R -y -B -a -n -i -S "$TREE"
done
keep lcroot  "liftcheck --root TREE (directory backend, full report)" /dev/null
keep lcelf   "liftcheck --root TREE --skip nitro,apps (ELF inventory only)" /dev/null
keep scanelf "scanelf -R -y -a -n -i -S TREE" "$WORK/scanelf.out"
load_end=$(uptime)

# ---- counts ------------------------------------------------------------------

jqn() { jq -r "$2 // \"-\"" "$1" 2>/dev/null || echo -; }
lc_img_elf=$(jqn "$WORK/image.json" .elf_summary.count)
lc_img_files=$(jqn "$WORK/image.json" .elf_summary.files_walked)
lc_root_elf=$(jqn "$WORK/root.json" .elf_summary.count)
lc_root_files=$(jqn "$WORK/root.json" .elf_summary.files_walked)
lc_elf_elf=$(jqn "$WORK/root-elf.json" .elf_summary.count)
lc_elf_files=$(jqn "$WORK/root-elf.json" .elf_summary.files_walked)
apps=$(grep -c '<application>' "$WORK/inspector.xml" || true)
tar_mib=$(( $(cat "$WORK/tarout.bytes" 2>/dev/null || echo 0) / 1048576 ))
# scanelf lists every name of a hard-linked file; liftcheck lists the file once.
scanelf -R -y -B -F '%F' "$TREE" 2>/dev/null >"$WORK/scanelf.paths" || true
se_paths=$(grep -c . "$WORK/scanelf.paths" || true)
se_inodes=$(tr '\n' '\0' <"$WORK/scanelf.paths" | xargs -0 -r stat -c '%d:%i' | sort -u | wc -l)
se_elf=$se_paths

notes() {
    case $1 in
    launch)  echo "-|-|boots the appliance, no disk access" ;;
    inspect) echo "-|-|OS inspection, $apps applications listed" ;;
    tarout)  echo "-|-|$tar_mib MiB of tar streamed" ;;
    lcimg)   echo "$lc_img_files|$lc_img_elf|findings, ELF inventory, applications" ;;
    lcroot)  echo "$lc_root_files|$lc_root_elf|same report, from the tree" ;;
    lcelf)   echo "$lc_elf_files|$lc_elf_elf|ELF inventory and library resolution" ;;
    scanelf) echo "-|$se_elf|one line per ELF path: type, PaX, stack, TEXTREL, RPATH, BIND, NEEDED, INTERP, SONAME" ;;
    *)       el7_notes "$1" ;;
    esac
}

# ---- report -----------------------------------------------------------------

rate()  { awk -v n="$1" -v s="$2" 'BEGIN { if (n ~ /^[0-9]+$/ && s > 0) printf "%.0f", n / s; else print "-" }'; }

phases() {   # progress stderr file, total seconds: one "| phase | s |" line each
    tr '\r' '\n' <"$1" | sed -n 's/^liftcheck: \[ *\([0-9.]*\)s\] \(.*\)$/\1|\2/p' |
        awk -F'|' -v total="$2" '
            { t[NR] = $1; name[NR] = $2 }
            END { for (i = 1; i <= NR; i++) {
                      end = (i < NR) ? t[i + 1] : total
                      share = (total > 0) ? 100 * (end - t[i]) / total : 0
                      printf "| %s%s | %.1f | %.0f%% |\n", name[i],
                             (i < NR) ? "" : " (and writing the report)", end - t[i], share } }'
}

{
echo "# liftcheck benchmark, $(date -u '+%F %T') UTC"
echo
run_header "$load_start" "$load_end"
echo "- reference image: $IMAGE, $(du -h --apparent-size "$IMAGE" | cut -f1) raw ($(du -h "$IMAGE" | cut -f1) allocated), one ext4;" \
     "tree $(info tree_mib) MiB, $(info files) regular files, $(info elf_files) ELF files (magic), $(info packages_installed) packages;" \
     "built in $(info build_seconds) s at $(info built_at)"
echo "- page cache warm (image read before the appliance contenders, tree read before the directory ones), libguestfs appliance cached; load 1m: the load average when the kept run started"
case ${LIBGUESTFS_BACKEND_SETTINGS:-} in
*force_tcg*) lc_vcpus="1 (one under TCG)" ;;
*) lc_vcpus="$(c=$(nproc); [ "$c" -gt 4 ] && c=4; echo "$c") (one per host CPU, at most 4, under KVM)" ;;
esac
echo "- appliance vCPUs: liftcheck's $lc_vcpus, guestfish's and virt-inspector's libguestfs default (1)"
echo
table_head
for r in "${rows[@]}"; do table_row "$r" "$(notes "${r%%|*}")"; done
echo
echo "⁰ user + system CPU time of the contender and every process it waited for (qemu included): less sensitive to the host load than wall time."
echo "¹ /usr/bin/time %M: the largest single process.  For the appliance contenders that is qemu: the guest RAM it touched (the appliance has $(guestfish get-memsize 2>/dev/null || echo '?') MiB) plus, under TCG, its translation cache, which grows with the amount of guest code run."
echo "² the contender's own process (its VmHWM, sampled every 0.2 s); ³ the sum over its whole process tree (qemu included), sampled every 0.2 s; - : finished before the first sample."
echo "⁴ the launch, virt-inspector and liftcheck IMAGE run $APP_RUNS times and the directory contenders $DIR_RUNS times, in rounds, and the run with the median wall time is shown; tar-out runs once."
echo "liftcheck runs with --fail-on never, so exit 0 means a complete report (4: incomplete)."
echo
echo "## Targets"
echo
echo "- the full report costs no more than virt-inspector:" \
     "wall $T_lcimg s vs $T_inspect s (x$(ratio "$T_lcimg" "$T_inspect")): $(le "$T_lcimg" "$T_inspect");" \
     "CPU $C_lcimg s vs $C_inspect s (x$(ratio "$C_lcimg" "$C_inspect")): $(le "$C_lcimg" "$C_inspect")"
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
lc_launch=$(tr '\r' '\n' <"$WORK/lcimg.err" | awk 'match($0, /^liftcheck: \[ *[0-9.]+s\] /) { v = substr($0, 13, RLENGTH - 12); gsub(/[^0-9.]/, "", v); t[++n] = v }
                                                 END { if (n > 1) printf "%.1f", t[2] - t[1]; else print "-" }')
echo "- over the appliance launch alone ($T_launch s wall, $C_launch s CPU):" \
     "liftcheck +$(sub "$T_lcimg" "$T_launch") s wall, +$(sub "$C_lcimg" "$C_launch") s CPU;" \
     "virt-inspector +$(sub "$T_inspect" "$T_launch") s wall, +$(sub "$C_inspect" "$C_launch") s CPU" \
     "(liftcheck's own launch stage took $lc_launch s)"
echo "- memory: largest process $M_lcimg MiB vs $M_inspect MiB, whole process tree $S_lcimg MiB vs $S_inspect MiB:" \
     "$(le "$S_lcimg" "$S_inspect")"
el7_target
w_lc=$(rate "$lc_elf_elf" "$T_lcelf"); w_full=$(rate "$lc_root_elf" "$T_lcroot"); w_se=$(rate "$se_elf" "$T_scanelf")
c_lc=$(rate "$lc_elf_elf" "$C_lcelf"); c_full=$(rate "$lc_root_elf" "$C_lcroot"); c_se=$(rate "$se_elf" "$C_scanelf")
echo "- the directory backend analyses files at least as fast as scanelf (ELF files per second):" \
     "ELF inventory $w_lc/s wall, $c_lc/s CPU; scanelf $w_se/s wall, $c_se/s CPU:" \
     "$(le "$w_se" "$w_lc") on wall time, $(le "$c_se" "$c_lc") on CPU time"
echo "- the whole --root report (kernels, boot, network, applications as well): $w_full/s wall, $c_full/s CPU:" \
     "$(le "$w_se" "$w_full") on wall time, $(le "$c_se" "$c_full") on CPU time"
echo
echo "## Where liftcheck's time goes (--progress stage times)"
echo
echo "IMAGE (guestfs backend), ${T_lcimg} s:"
echo
echo "| stage | s | share |"
echo "| --- | ---: | ---: |"
phases "$WORK/lcimg.err" "$T_lcimg"
echo
echo "--root TREE (directory backend), ${T_lcroot} s:"
echo
echo "| stage | s | share |"
echo "| --- | ---: | ---: |"
phases "$WORK/lcroot.err" "$T_lcroot"
echo
echo "## ELF count cross-check"
echo
echo "- liftcheck on the image: $lc_img_elf ELF files ($lc_img_files regular files walked)"
echo "- liftcheck --root on the tree: $lc_root_elf ($lc_root_files walked)"
echo "- scanelf -R -y on the tree: $se_paths ELF paths, $se_inodes distinct files (liftcheck counts a hard-linked file once)"
echo "- \\177ELF magic, files of 52 bytes or more: $(info elf_files) (build-reference.sh, every path)"
if [ "$lc_img_elf" != "$lc_root_elf" ] || [ "$lc_root_elf" != "$se_inodes" ]; then
    echo "- the counts differ: image $lc_img_elf, tree $lc_root_elf, scanelf distinct $se_inodes"
fi
for key in lcimg lcroot lcelf; do
    rc_var=RC_$key
    case ${!rc_var} in 0) ;; *) echo "- $key exited ${!rc_var}: $(grep -v '^liftcheck: \[' "$WORK/$key.err" | tr '\r' '\n' | grep -v '^ *[0-9]*%$' | tail -n 3 | tr '\n' ' ')";; esac
done
} >"$WORK/report.md"

mkdir -p "$RESULTS"
dest=$RESULTS/$(date -u +%Y-%m-%dT%H%M%SZ).md
cp "$WORK/report.md" "$dest"
cat "$WORK/report.md"
echo
log "written to $dest"
