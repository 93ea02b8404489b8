#!/bin/bash
# Build the sample server disk used by the README quick start and the
# integration tests: a Debian 12 (bookworm) x86_64 server installed with
# debootstrap, with a separate /boot partition (ext4) and a root (ext4), an
# fstab with UUID= entries, a hostname, ifupdown networking for eth0/ens5 and
# a GRUB configuration in Debian's format.
#
#   images/build-sample.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}.
# Output: OUTDIR/debian12.qcow2 (2 GiB virtual, MBR, fixed UUIDs), and
# OUTDIR/debian12-root.tar.zst: the configured root tree, /boot included, as it
# was before being split into the two filesystems (numeric owners, xattrs), so
# that other images (images/build-legacy.sh) start from the same installation
# without a second debootstrap.
# Both are rebuilt only when one is missing or this script changed
# (OUTDIR/debian12.qcow2.script-sha256 holds the hash of the script that built them).
#
# No loop devices and no mounts: the trees are staged with debootstrap, turned
# into filesystem images with `mkfs.ext4 -d`, written at the partition offsets
# of a raw disk laid out with sfdisk, and the disk is converted to qcow2.
# Needs root (debootstrap, chroot), debootstrap, e2fsprogs, fdisk, qemu-utils
# and network access to a Debian mirror: MIRROR, else the one this machine's
# apt sources use (images/apt-mirror.sh).
set -euo pipefail

OUTDIR=${1:-${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}}
SUITE=bookworm
IMAGE=$OUTDIR/debian12.qcow2
TREE_TAR=$OUTDIR/debian12-root.tar.zst
STAMP=$IMAGE.script-sha256

# Fixed identifiers, so that reports on the image are reproducible.
DISK_ID=0x6c667431                              # MBR disk identifier
BOOT_UUID=0b0e1a5e-0000-4000-8000-00000000b007  # /boot ext4
ROOT_UUID=0b0e1a5e-0000-4000-8000-000000000001  # /     ext4
HASH_SEED=0b0e1a5e-0000-4000-8000-0000000000a5  # ext4 directory hash seed
HOSTNAME_=liftcheck-sample
# Layout (MiB): 1 MiB gap, /boot 256 MiB, root up to the end of a 2 GiB disk.
DISK_MIB=2048
BOOT_START_MIB=1
BOOT_MIB=256
ROOT_START_MIB=$((BOOT_START_MIB + BOOT_MIB))
ROOT_MIB=$((DISK_MIB - ROOT_START_MIB))

log() { printf '%s build-sample: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot)"
for t in debootstrap mkfs.ext4 sfdisk qemu-img sha256sum zstd; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

script_hash=$(sha256sum "$(readlink -f "$0")" | cut -d' ' -f1)
mkdir -p "$OUTDIR"
# One build at a time per OUTDIR; a second caller waits and then reuses it.
exec 9>"$OUTDIR/.debian12.lock"
flock 9
if [ -s "$IMAGE" ] && [ -s "$TREE_TAR" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$script_hash" ]; then
    log "up to date: $IMAGE"
    exit 0
fi

start=$(date +%s)
WORK=$(mktemp -d "$OUTDIR/.sample-work.XXXXXX")
cleanup() {
    # debootstrap mounts /proc and /sys inside the target while it runs; make
    # sure nothing stays mounted if it was interrupted.
    for m in proc sys dev/pts dev; do
        mountpoint -q "$WORK/root/$m" 2>/dev/null && umount -l "$WORK/root/$m" || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
ROOT=$WORK/root
BOOT=$WORK/boot

# Drop documentation, man pages and translations from every package.
mkdir -p "$ROOT/etc/dpkg/dpkg.cfg.d"
cat >"$ROOT/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF

MIRROR=$("$(dirname "$(readlink -f "$0")")/apt-mirror.sh" "$SUITE") || die "no Debian mirror (above)"
log "debootstrap $SUITE from $MIRROR"
debootstrap --variant=minbase --arch=amd64 \
    --include=linux-image-cloud-amd64,initramfs-tools,zstd,systemd-sysv,udev,ifupdown,isc-dhcp-client,grub-pc-bin,grub2-common,openssh-server,ca-certificates \
    "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

KVER=$(basename "$(ls -d "$ROOT"/lib/modules/* | sort -V | tail -n 1)")
[ -f "$ROOT/boot/vmlinuz-$KVER" ] || die "kernel $KVER not installed"
[ -f "$ROOT/boot/initrd.img-$KVER" ] || die "initramfs for $KVER not built"
log "kernel $KVER"

log "configuring"
echo "$HOSTNAME_" >"$ROOT/etc/hostname"
cat >"$ROOT/etc/hosts" <<EOF
127.0.0.1	localhost
127.0.1.1	$HOSTNAME_

::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
EOF
cat >"$ROOT/etc/fstab" <<EOF
# /etc/fstab: static file system information.
#
# <file system>                           <mount point> <type> <options>          <dump> <pass>
UUID=$ROOT_UUID  /             ext4   errors=remount-ro  0      1
UUID=$BOOT_UUID  /boot         ext4   defaults           0      2
EOF
cat >"$ROOT/etc/network/interfaces" <<'EOF'
# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface (name on the old hypervisor)
allow-hotplug eth0
iface eth0 inet dhcp

# The same interface under its predictable name on Nitro (ENA)
allow-hotplug ens5
iface ens5 inet dhcp
EOF
cat >"$ROOT/etc/default/grub" <<'EOF'
# If you change this file, run 'update-grub' afterwards to update
# /boot/grub/grub.cfg.
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX="console=tty0 console=ttyS0,115200"
EOF
: >"$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id" "$ROOT/etc/ssh/ssh_host_"*
echo "root:*" | chroot "$ROOT" chpasswd -e

# update-grub cannot run in a chroot without a block device behind /
# (grub-probe fails), so write the grub.cfg it would produce for this layout.
mkdir -p "$ROOT/boot/grub"
cat >"$ROOT/boot/grub/grub.cfg" <<EOF
#
# DO NOT EDIT THIS FILE
#
# It is automatically generated by grub-mkconfig using templates
# from /etc/grub.d and settings from /etc/default/grub
#

### BEGIN /etc/grub.d/00_header ###
if [ -s \$prefix/grubenv ]; then
  set have_grubenv=true
  load_env
fi
if [ "\${next_entry}" ] ; then
   set default="\${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="0"
fi

if [ x"\${feature_menuentry_id}" = xy ]; then
  menuentry_id_option="--id"
else
  menuentry_id_option=""
fi

export menuentry_id_option

if [ "\${prev_saved_entry}" ]; then
  set saved_entry="\${prev_saved_entry}"
  save_env saved_entry
  set prev_saved_entry=
  save_env prev_saved_entry
  set boot_once=true
fi

function savedefault {
  if [ -z "\${boot_once}" ]; then
    saved_entry="\${chosen}"
    save_env saved_entry
  fi
}
function load_video {
  if [ x\$feature_all_video_module = xy ]; then
    insmod all_video
  else
    insmod efi_gop
    insmod efi_uga
    insmod ieee1275_fb
    insmod vbe
    insmod vga
    insmod video_bochs
    insmod video_cirrus
  fi
}

terminal_input console
terminal_output console
if [ x\$feature_timeout_style = xy ] ; then
  set timeout_style=menu
  set timeout=5
# Fallback normal timeout code in case the timeout_style feature is
# unavailable.
else
  set timeout=5
fi
### END /etc/grub.d/00_header ###

### BEGIN /etc/grub.d/05_debian_theme ###
set menu_color_normal=cyan/blue
set menu_color_highlight=white/blue
### END /etc/grub.d/05_debian_theme ###

### BEGIN /etc/grub.d/10_linux ###
function gfxmode {
	set gfxpayload="\${1}"
}
set linux_gfx_mode=
export linux_gfx_mode
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-simple-$ROOT_UUID' {
	load_video
	insmod gzio
	if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
	insmod part_msdos
	insmod ext2
	set root='hd0,msdos1'
	if [ x\$feature_platform_search_hint = xy ]; then
	  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos1 --hint-efi=hd0,msdos1 --hint-baremetal=ahci0,msdos1  $BOOT_UUID
	else
	  search --no-floppy --fs-uuid --set=root $BOOT_UUID
	fi
	echo	'Loading Linux $KVER ...'
	linux	/vmlinuz-$KVER root=UUID=$ROOT_UUID ro console=tty0 console=ttyS0,115200 quiet
	echo	'Loading initial ramdisk ...'
	initrd	/initrd.img-$KVER
}
submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-$ROOT_UUID' {
	menuentry 'Debian GNU/Linux, with Linux $KVER' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-$KVER-advanced-$ROOT_UUID' {
		load_video
		insmod gzio
		if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
		insmod part_msdos
		insmod ext2
		set root='hd0,msdos1'
		if [ x\$feature_platform_search_hint = xy ]; then
		  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos1 --hint-efi=hd0,msdos1 --hint-baremetal=ahci0,msdos1  $BOOT_UUID
		else
		  search --no-floppy --fs-uuid --set=root $BOOT_UUID
		fi
		echo	'Loading Linux $KVER ...'
		linux	/vmlinuz-$KVER root=UUID=$ROOT_UUID ro console=tty0 console=ttyS0,115200 quiet
		echo	'Loading initial ramdisk ...'
		initrd	/initrd.img-$KVER
	}
	menuentry 'Debian GNU/Linux, with Linux $KVER (recovery mode)' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-$KVER-recovery-$ROOT_UUID' {
		load_video
		insmod gzio
		if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
		insmod part_msdos
		insmod ext2
		set root='hd0,msdos1'
		if [ x\$feature_platform_search_hint = xy ]; then
		  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos1 --hint-efi=hd0,msdos1 --hint-baremetal=ahci0,msdos1  $BOOT_UUID
		else
		  search --no-floppy --fs-uuid --set=root $BOOT_UUID
		fi
		echo	'Loading Linux $KVER ...'
		linux	/vmlinuz-$KVER root=UUID=$ROOT_UUID ro single console=tty0 console=ttyS0,115200
		echo	'Loading initial ramdisk ...'
		initrd	/initrd.img-$KVER
	}
}

### END /etc/grub.d/10_linux ###

### BEGIN /etc/grub.d/30_os-prober ###
### END /etc/grub.d/30_os-prober ###

### BEGIN /etc/grub.d/40_custom ###
# This file provides an easy way to add custom menu entries.  Simply type the
# menu entries you want to add after this comment.  Be careful not to
# change the 'exec tail' line above.
### END /etc/grub.d/40_custom ###
EOF

log "shrinking"
chroot "$ROOT" apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin \
       "$ROOT"/var/log/*.log "$ROOT"/var/log/apt/* "$ROOT"/tmp/* "$ROOT"/var/tmp/* \
       "$ROOT"/var/cache/debconf/*-old "$ROOT"/var/lib/dpkg/*-old
find "$ROOT/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
find "$ROOT/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/*
for m in proc sys dev/pts; do
    mountpoint -q "$ROOT/$m" && die "$ROOT/$m is still mounted"
done
find "$ROOT/proc" "$ROOT/sys" -mindepth 1 -delete 2>/dev/null || true

log "saving the root tree"
tar --numeric-owner --xattrs --xattrs-include='*' --acls -C "$ROOT" -cf - . |
    zstd -q -T0 -3 -o "$WORK/root.tar.zst"

# Split /boot off the root tree: its content goes to the /boot filesystem,
# the root keeps an empty /boot directory as mount point.
mkdir -p "$BOOT"
cp -a "$ROOT/boot/." "$BOOT/"
find "$ROOT/boot" -mindepth 1 -delete

boot_kib=$(du -sk "$BOOT" | cut -f1)
root_kib=$(du -sk "$ROOT" | cut -f1)
log "trees: /boot $((boot_kib / 1024)) MiB, root $((root_kib / 1024)) MiB"
[ $((boot_kib / 1024 * 13 / 10)) -lt $BOOT_MIB ] || die "/boot tree does not fit in $BOOT_MIB MiB"
[ $((root_kib / 1024 * 13 / 10)) -lt $ROOT_MIB ] || die "root tree does not fit in $ROOT_MIB MiB"

log "making filesystems"
export E2FSPROGS_FAKE_TIME=1700000000
mkfs.ext4 -q -F -t ext4 -U "$BOOT_UUID" -L boot -E "hash_seed=$HASH_SEED" \
    -d "$BOOT" "$WORK/boot.ext4" "${BOOT_MIB}M" >/dev/null
mkfs.ext4 -q -F -t ext4 -U "$ROOT_UUID" -L root -E "hash_seed=$HASH_SEED" \
    -d "$ROOT" "$WORK/root.ext4" "${ROOT_MIB}M" >/dev/null
unset E2FSPROGS_FAKE_TIME

log "partitioning"
truncate -s "${DISK_MIB}M" "$WORK/disk.raw"
sfdisk -q "$WORK/disk.raw" <<EOF
label: dos
label-id: $DISK_ID
unit: sectors

start=$((BOOT_START_MIB * 2048)), size=$((BOOT_MIB * 2048)), type=83, bootable
start=$((ROOT_START_MIB * 2048)), size=$((ROOT_MIB * 2048)), type=83
EOF
dd if="$WORK/boot.ext4" of="$WORK/disk.raw" bs=1M seek=$BOOT_START_MIB conv=notrunc,sparse status=none
dd if="$WORK/root.ext4" of="$WORK/disk.raw" bs=1M seek=$ROOT_START_MIB conv=notrunc,sparse status=none

log "converting to qcow2"
qemu-img convert -f raw -O qcow2 -c "$WORK/disk.raw" "$WORK/debian12.qcow2"
rm -f "$STAMP"
mv -f "$WORK/debian12.qcow2" "$IMAGE"
mv -f "$WORK/root.tar.zst" "$TREE_TAR"
echo "$script_hash" >"$STAMP"
log "done: $IMAGE ($(du -h "$IMAGE" | cut -f1) on disk), $TREE_TAR ($(du -h "$TREE_TAR" | cut -f1)), $(($(date +%s) - start)) s"
