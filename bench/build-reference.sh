#!/bin/bash
# Builds the benchmark's reference server: Debian 12 with a large set of real
# packages (compilers, runtimes, databases, desktop libraries: several GB and
# well over 10k ELF files) as a raw disk with one ext4 root, plus the staged
# tree itself for the directory backend.  Cached; rebuilt when this script
# changes.
#
#   bench/build-reference.sh [OUTDIR]    (default ~/.cache/liftcheck/bench)
set -euo pipefail

OUTDIR=${1:-${LIFTCHECK_BENCH:-$HOME/.cache/liftcheck/bench}}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
IMAGE=$OUTDIR/reference.raw
TREE=$OUTDIR/tree
STAMP=$IMAGE.script-sha256
ROOT_UUID=be0c0000-0000-4000-8000-000000000001
PACKAGES=linux-image-cloud-amd64,initramfs-tools,systemd-sysv,gcc,g++,gfortran,gdb,python3,python3-numpy,python3-scipy,perl,ruby,golang-go,openjdk-17-jdk-headless,postgresql,mariadb-server,nginx,apache2,redis-server,emacs-nox,vim,git,subversion,imagemagick,ffmpeg,libreoffice-core,qemu-utils,valgrind,clang,llvm,nodejs,php-cli,tcl,lua5.4,erlang-base,rsync,openssh-server

log() { printf '%s build-reference: %s\n' "$(date +%T)" "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { log "must run as root"; exit 1; }

hash=$(sha256sum "$(readlink -f "$0")" | cut -d' ' -f1)
mkdir -p "$OUTDIR"
if [ -s "$IMAGE" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$hash" ]; then
    log "up to date: $IMAGE"
    exit 0
fi
rm -rf "$TREE" "$IMAGE"
log "debootstrap with $(echo "$PACKAGES" | tr ',' '\n' | wc -l) extra packages (this takes a while)"
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$TREE" "$MIRROR" >"$OUTDIR/debootstrap.log" 2>&1 ||
    { tail -20 "$OUTDIR/debootstrap.log" >&2; exit 1; }
rm -rf "$TREE"/var/cache/apt/archives/*.deb
printf 'UUID=%s / ext4 errors=remount-ro 0 1\n' "$ROOT_UUID" > "$TREE/etc/fstab"
echo liftcheck-reference > "$TREE/etc/hostname"
size_mib=$(( $(du -sm "$TREE" | cut -f1) * 13 / 10 + 512 ))
log "tree is $(du -sh "$TREE" | cut -f1); making a ${size_mib} MiB ext4 image"
truncate -s "${size_mib}M" "$IMAGE"
mkfs.ext4 -q -F -d "$TREE" -U "$ROOT_UUID" -L root "$IMAGE"
echo "$hash" > "$STAMP"
log "done: $IMAGE"
