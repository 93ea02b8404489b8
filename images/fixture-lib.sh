# Sourced by the fixture builders (build-fixtures.sh, build-volumes.sh): one
# log format, one lock and stamp per output directory, fixed UUIDs and
# reproducible ext4 images.  The caller sets NAME (its log prefix) and OUTDIR.

log() { printf '%s %s: %s\n' "$(date +%T)" "$NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }
need_tools() { local t; for t; do command -v "$t" >/dev/null || die "missing tool: $t"; done; }

# fixtures_begin FILE...: one build at a time per OUTDIR (a second caller
# waits, then reuses it).  Exits the script when OUTDIR/.stamp matches the
# hash of the FILEs; otherwise sets stamp, start and a WORK directory that is
# removed on exit.  fixtures_end writes the stamp.
fixtures_begin() {
    exec 9>"$OUTDIR/.lock"
    flock 9
    stamp=$(cat "$@" | sha256sum | cut -d' ' -f1)
    if [ -f "$OUTDIR/.stamp" ] && [ "$(cat "$OUTDIR/.stamp")" = "$stamp" ]; then
        log "up to date: $OUTDIR"
        exit 0
    fi
    rm -f "$OUTDIR/.stamp"
    start=$(date +%s)
    WORK=$(mktemp -d "$OUTDIR/.work.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
}
fixtures_end() {
    echo "$stamp" >"$OUTDIR/.stamp"
    log "done: $OUTDIR in $(($(date +%s) - start)) s"
}

# Same bytes on every build: fixed times, hash seed and UUIDs.
export E2FSPROGS_FAKE_TIME=1700000000
HASH_SEED=1f000000-0000-4000-8000-0000000000a5
uuid() { printf '1f000000-0000-4000-8000-%012d' "$1"; }

# mkext4 TREE UUID LABEL SIZE_MIB OUT
mkext4() {
    mkfs.ext4 -q -F -t ext4 -U "$2" -L "$3" -E "hash_seed=$HASH_SEED" \
        -d "$1" "$5" "${4}M" >/dev/null
}
