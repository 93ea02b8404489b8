#!/bin/bash
# Builds the benchmark's reference server: Debian 12 with a large set of real
# packages (compilers, runtimes, databases, desktop and media libraries:
# several GB and well over 10k ELF files) as a raw disk with one ext4 root,
# plus the staged tree itself for the directory backend.  Cached; rebuilt when
# this script changes.
#
#   bench/build-reference.sh [OUTDIR]    (default ~/.cache/liftcheck/bench)
#
# Output: OUTDIR/reference.raw (raw, one ext4 filesystem, no partition table),
# OUTDIR/tree (the same files), OUTDIR/reference.info (sizes, counts and how
# long the build took).  Needs root (debootstrap, chroot, mounts of /proc,
# /sys, /dev/pts inside the tree while packages are configured), debootstrap,
# e2fsprogs and network access to a Debian mirror: MIRROR, else the one this
# machine's apt sources use (images/apt-mirror.sh).
set -euo pipefail

OUTDIR=${1:-${LIFTCHECK_BENCH:-$HOME/.cache/liftcheck/bench}}
SUITE=bookworm
IMAGE=$OUTDIR/reference.raw
TREE=$OUTDIR/tree
INFO=$OUTDIR/reference.info
STAMP=$IMAGE.script-sha256
ROOT_UUID=be0c0000-0000-4000-8000-000000000001
HASH_SEED=be0c0000-0000-4000-8000-0000000000a5
# Installed with apt-get (Depends only, no Recommends) on top of minbase: a
# server that grew over the years.  Two kernels (the generic one it was
# installed with, the cloud one for the move), both GRUB platforms, toolchains
# with 32-bit multilib, language runtimes, databases and web servers, Go
# servers (static binaries), a scientific stack, media libraries and plugins,
# and a remote desktop.
PACKAGES="linux-image-amd64 linux-image-cloud-amd64 initramfs-tools
 grub-pc-bin grub-efi-amd64-bin grub2-common
 systemd-sysv udev ifupdown openssh-server rsync ca-certificates
 gcc g++ gfortran gcc-multilib g++-multilib gdb valgrind clang llvm
 python3 python3-numpy python3-scipy python3-pandas python3-sklearn python3-matplotlib
 perl libxml-libxml-perl libdbd-pg-perl libdbd-mysql-perl ruby golang-go
 openjdk-17-jdk-headless nodejs php-cli php-mysql php-pgsql php-gd php-curl php-xml php-intl
 tcl lua5.4 erlang-base octave
 postgresql mariadb-server nginx apache2 redis-server
 docker.io containerd restic rclone prometheus
 emacs-nox vim git subversion
 imagemagick ffmpeg vlc gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
 gstreamer1.0-plugins-ugly gstreamer1.0-libav libreoffice-core gimp inkscape
 qemu-utils kde-plasma-desktop xfce4 xrdp"

log() { printf '%s build-reference: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot)"
for t in debootstrap mkfs.ext4 sha256sum flock; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

hash=$(sha256sum "$(readlink -f "$0")" | cut -d' ' -f1)
mkdir -p "$OUTDIR"
# One build at a time per OUTDIR; a second caller waits and then reuses it.
exec 9>"$OUTDIR/.reference.lock"
flock 9
if [ -s "$IMAGE" ] && [ -d "$TREE" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$hash" ]; then
    log "up to date: $IMAGE"
    exit 0
fi

unmount_tree() {
    local m
    for m in dev/pts sys proc; do
        if mountpoint -q "$TREE/$m" 2>/dev/null; then umount -l "$TREE/$m" || true; fi
    done
}
trap unmount_tree EXIT

start=$(date +%s)
unmount_tree
rm -rf "$TREE" "$IMAGE" "$STAMP" "$INFO"

MIRROR=$("$(dirname "$(readlink -f "$0")")/../images/apt-mirror.sh" "$SUITE") || die "no Debian mirror (above)"
log "debootstrap $SUITE (minbase) from $MIRROR"
debootstrap --variant=minbase --arch=amd64 "$SUITE" "$TREE" "$MIRROR" \
    >"$OUTDIR/debootstrap.log" 2>&1 ||
    { tail -n 30 "$OUTDIR/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

# No service may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$TREE/usr/sbin/policy-rc.d"
chmod 755 "$TREE/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$TREE/etc/resolv.conf"
echo "deb $MIRROR $SUITE main" >"$TREE/etc/apt/sources.list"
mount -t proc proc "$TREE/proc"
mount -t sysfs sysfs "$TREE/sys"
mkdir -p "$TREE/dev/pts"
mount -t devpts devpts "$TREE/dev/pts"

npk=$(echo $PACKAGES | wc -w)
log "installing $npk packages and their dependencies (this takes a while)"
chroot_apt() {
    chroot "$TREE" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 \
        apt-get -q -y -o Dpkg::Use-Pty=0 "$@"
}
{ chroot_apt update && chroot_apt install --no-install-recommends $PACKAGES; } \
    >"$OUTDIR/apt.log" 2>&1 ||
    { tail -n 30 "$OUTDIR/apt.log" >&2; die "apt-get install failed (log above, $OUTDIR/apt.log)"; }
chroot_apt clean >/dev/null
unmount_tree

rm -f "$TREE/usr/sbin/policy-rc.d"
: >"$TREE/etc/resolv.conf"
: >"$TREE/etc/machine-id"
printf 'UUID=%s / ext4 errors=remount-ro 0 1\n' "$ROOT_UUID" >"$TREE/etc/fstab"
echo liftcheck-reference >"$TREE/etc/hostname"

tree_mib=$(du -sm "$TREE" | cut -f1)
inodes=$(find "$TREE" -xdev | wc -l)
size_mib=$(( tree_mib * 13 / 10 + 512 ))
log "tree is ${tree_mib} MiB in $inodes entries; making a ${size_mib} MiB ext4 image"
truncate -s "${size_mib}M" "$IMAGE"
mkfs.ext4 -q -F -d "$TREE" -U "$ROOT_UUID" -E hash_seed="$HASH_SEED" \
    -N $(( inodes * 2 + 65536 )) -L root "$IMAGE"

files=$(find "$TREE" -xdev -type f | wc -l)
# ELF files: regular files whose first four bytes are \177ELF.
elfs=$(find "$TREE" -xdev -type f -size +51c -print0 | xargs -0 -r head -q -c4 -- |
       od -An -v -tx1 -w4 | grep -c '^ 7f 45 4c 46$' || true)
secs=$(( $(date +%s) - start ))
cat >"$INFO" <<EOF
packages_requested=$npk
packages_installed=$(chroot "$TREE" dpkg-query -f '.\n' -W | wc -l)
tree_mib=$tree_mib
image_mib=$size_mib
files=$files
elf_files=$elfs
build_seconds=$secs
built_at=$(date -u +%FT%TZ)
EOF
echo "$hash" >"$STAMP"
log "done in ${secs}s: $IMAGE ($(tr '\n' ' ' <"$INFO"))"
