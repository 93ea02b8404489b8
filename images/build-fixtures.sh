#!/bin/bash
# Build the small disk images the integration tests run liftcheck on.
#
#   images/build-fixtures.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/fixtures.
# The Debian 12 sample (images/build-sample.sh) is built, or reused, in the
# parent of OUTDIR unless SAMPLE names an existing debian12.qcow2.
# Nothing is rebuilt when OUTDIR/.stamp matches the hashes of this script, of
# the sample's build script and of fixture-lib.sh.
#
# Images (all filesystem UUIDs and MBR disk identifiers are fixed):
#   debian12-sep-boot.raw         raw copy of the sample (/boot sda1, / sda2)
#   lvm-root.img                  /boot on sda1, / on LV vgroot/root (PV sda2)
#   two-disk-0.img two-disk-1.img / on disk 0, /srv on disk 1 (fstab by UUID),
#                                 /var/backups on disk 1: an ext4 that won't mount
#   two-disk-0.vmdk two-disk-1.vhdx data-only.vhd: the same disks in other formats
#   whole-disk.img                ext4 on the whole disk, no partition table
#   lvm-span-0.img lvm-span-1.img VG vgspan on both disks, / on LV vgspan/root
#   raid-0.img raid-1.img         md RAID1 over both disks (partitions type fd),
#                                 / on the array, fstab by UUID
#   overlay.qcow2                 qcow2 overlay whose backing file is data-only.img
#   data-only.img, data-only.disk one ext4 data filesystem, no OS (.disk: same
#                                 bytes, a name whose format has to be probed)
#   synthetic-amzn2.img, synthetic-rocky9.img, synthetic-alma8.img
#                                 SYNTHETIC roots: release files, fstab and a
#                                 shell only, labelled as such; for distro
#                                 detection, not real installs
#   root-tree/                    staged Debian-like tree for --root DIR
#   nitro-fixable.img             Debian-like root with the host's real generic
#                                 kernel, its nvme/ena modules and an initramfs
#                                 without nvme (verdict fixable)
#   dirty-journal.qcow2           ext4 root whose journal holds a transaction
#                                 (written by debugfs) that rewrites /etc/fstab,
#                                 and an EFI system partition (vfat) at /boot/efi
#   nitro-blocked.img             SYNTHETIC: the same without nvme and ena
#                                 (modules, modules.dep and config; blocked)
#   hostile.img                   root with hostile file names, fstab mount
#                                 points and an initramfs decompression bomb
#   expect                        what the images were built from that the
#                                 archive moves (nitro_kernel=: the host kernel)
# Bad inputs:
#   empty.img (0 bytes), random.img (8 MiB, fixed seed), truncated.qcow2 (a
#   qcow2 cut in half), backing.qcow2 (backing file /etc/shadow),
#   qcow2-header.raw (whole-disk ext4 whose first bytes are a qcow2 header
#   naming /etc/shadow as backing file), qcow2-header.bin (same bytes, name
#   without a known extension), nofs.img (zeros), unreadable.img (mode 000).
#
# No loop devices or mounts: trees are staged in directories, filesystems are
# made with `mkfs.ext4 -d`, disks are laid out with sfdisk and filled with dd.
# Only the LVM and RAID images need libguestfs (guestfish, one appliance launch).
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
CACHE=${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}
OUTDIR=${1:-$CACHE/fixtures}
OUTDIR=$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd)
SAMPLE=${SAMPLE:-$(dirname "$OUTDIR")/debian12.qcow2}

NAME=build-fixtures
# shellcheck source=images/fixture-lib.sh
. "$HERE/fixture-lib.sh"
need_tools mkfs.ext4 debugfs dumpe2fs sfdisk qemu-img guestfish sha256sum setpriv

if [ -z "${SAMPLE_GIVEN:-}" ] && [ "$SAMPLE" = "$(dirname "$OUTDIR")/debian12.qcow2" ]; then
    "$HERE/build-sample.sh" "$(dirname "$OUTDIR")"
fi
[ -s "$SAMPLE" ] || die "sample image $SAMPLE not found (run images/build-sample.sh)"

fixtures_begin "$HERE/build-fixtures.sh" "$HERE/build-sample.sh" "$HERE/fixture-lib.sh"

# mkdisk OUT SIZE_MIB DISK_ID "START_MIB SIZE_MIB TYPE [FSIMG]"...
# MBR disk; a partition without FSIMG is left empty (for LVM).
mkdisk() {
    local out=$1 size=$2 id=$3 spec="" p start psize type img
    shift 3
    for p in "$@"; do
        read -r start psize type img <<<"$p"
        spec+="start=$((start * 2048)), size=$((psize * 2048)), type=$type"$'\n'
    done
    rm -f "$out"
    truncate -s "${size}M" "$out"
    printf 'label: dos\nlabel-id: %s\nunit: sectors\n\n%s' "$id" "$spec" | sfdisk -q "$out"
    for p in "$@"; do
        read -r start psize type img <<<"$p"
        if [ -n "${img:-}" ]; then
            dd if="$img" of="$out" bs=1M seek="$start" conv=notrunc,sparse status=none
        fi
    done
}

# stage_root DIR HOSTNAME: a minimal usr-merged Linux root that libguestfs
# inspection recognises (/etc with fstab, /bin, a real x86_64 ELF /bin/sh).
# The caller adds release files and /etc/fstab.
stage_root() {
    local d=$1
    mkdir -p "$d"/{etc,usr/bin,usr/sbin,usr/lib,usr/lib64,var/lib,var/log,root,tmp,home,srv,boot,dev,proc,sys,run,opt,mnt}
    ln -s usr/bin "$d/bin"
    ln -s usr/sbin "$d/sbin"
    ln -s usr/lib "$d/lib"
    ln -s usr/lib64 "$d/lib64"
    cp /usr/bin/dash "$d/usr/bin/dash"
    ln -s dash "$d/usr/bin/sh"
    chmod 1777 "$d/tmp"
    chmod 700 "$d/root"
    echo "$2" >"$d/etc/hostname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$2" >"$d/etc/hosts"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$d/etc/passwd"
    cat >"$d/etc/liftcheck-fixture" <<'EOF'
SYNTHETIC TEST FIXTURE built by liftcheck images/build-fixtures.sh.
Release files, fstab and one shell only: not a real installation.
EOF
}

debian_release() {
    local d=$1
    cat >"$d/etc/os-release" <<'EOF'
# Synthetic test fixture (liftcheck images/build-fixtures.sh), not a real install.
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
EOF
    echo 12.5 >"$d/etc/debian_version"
}

# ---------------------------------------------------------------- sample raw
log "debian12-sep-boot.raw from $SAMPLE"
qemu-img convert -f qcow2 -O raw -S 64k "$SAMPLE" "$WORK/debian12-sep-boot.raw"

# ----------------------------------------------------------------- two disks
log "two-disk"
T=$WORK/two-disk-root
stage_root "$T" two-disk
debian_release "$T"
cat >"$T/etc/fstab" <<EOF
# <file system>                           <mount point> <type> <options>          <dump> <pass>
UUID=$(uuid 201)  /      ext4   errors=remount-ro  0  1
UUID=$(uuid 202)  /srv   ext4   defaults,nofail    0  2
UUID=$(uuid 203)  /var/backups  ext4  defaults,nofail  0  2
EOF
S=$WORK/two-disk-srv
mkdir -p "$S/www"
echo '<h1>two-disk fixture</h1>' >"$S/www/index.html"
# /var/backups: an ext4 that blkid recognises (intact superblock) but that
# will not mount (group descriptor table zeroed).
X=$WORK/two-disk-broken
mkdir -p "$X"
echo 'never readable' >"$X/file"
mkext4 "$T" "$(uuid 201)" root 40 "$WORK/two-disk-root.ext4"
mkext4 "$S" "$(uuid 202)" srv 24 "$WORK/two-disk-srv.ext4"
mkext4 "$X" "$(uuid 203)" broken 8 "$WORK/two-disk-broken.ext4"
dd if=/dev/zero of="$WORK/two-disk-broken.ext4" bs=1024 seek=2 count=2 conv=notrunc status=none
mkdisk "$WORK/two-disk-0.img" 48 0x1f000201 "1 40 83 $WORK/two-disk-root.ext4"
mkdisk "$WORK/two-disk-1.img" 40 0x1f000202 "1 24 83 $WORK/two-disk-srv.ext4" \
    "25 8 83 $WORK/two-disk-broken.ext4"

# ---------------------------------------------------------------- --root tree
cp -a "$T" "$WORK/root-tree"
echo root-tree >"$WORK/root-tree/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\troot-tree\n' >"$WORK/root-tree/etc/hosts"

# ---------------------------------------------------------------- data only
log "data-only"
D=$WORK/data
mkdir -p "$D/backups" "$D/exports"
printf 'data volume, no operating system\n' >"$D/README"
/usr/bin/python3 -c 'import random,sys; random.seed(7); sys.stdout.buffer.write(random.randbytes(3 << 20))' \
    >"$D/backups/blob.bin"
mkext4 "$D" "$(uuid 301)" data 40 "$WORK/data.ext4"
mkdisk "$WORK/data-only.img" 48 0x1f000301 "1 40 83 $WORK/data.ext4"
cp --sparse=always "$WORK/data-only.img" "$WORK/data-only.disk"

# A legitimate overlay: qcow2 whose backing file is data-only.img (relative
# name, resolved next to the overlay); read only with --allow-backing-file.
(cd "$WORK" && qemu-img create -q -f qcow2 -F raw -b data-only.img overlay.qcow2)

# ------------------------------------------------------------ other formats
# One server whose disks are in three formats: vmdk, vhdx and vhd (vpc).
qemu-img convert -f raw -O vmdk "$WORK/two-disk-0.img" "$WORK/two-disk-0.vmdk"
qemu-img convert -f raw -O vhdx "$WORK/two-disk-1.img" "$WORK/two-disk-1.vhdx"
qemu-img convert -f raw -O vpc "$WORK/data-only.img" "$WORK/data-only.vhd"
# A data disk formatted whole, without a partition table (common for cloud
# data volumes).
mkdir -p "$WORK/whole"
echo 'whole-disk filesystem, no partition table' >"$WORK/whole/README"
mkext4 "$WORK/whole" "$(uuid 702)" whole 16 "$WORK/whole-disk.img"

# ---------------------------------------------------------- synthetic distros
# synthetic NAME HOSTNAME UUIDNUM; release files written by the caller into $R
synthetic() {
    local name=$1 num=$3
    cat >"$R/etc/fstab" <<EOF
UUID=$(uuid "$num")  /  ext4  defaults  1 1
EOF
    mkext4 "$R" "$(uuid "$num")" synthetic 24 "$WORK/$name.ext4"
    mkdisk "$WORK/$name.img" 32 "0x1f000$num" "1 24 83 $WORK/$name.ext4"
}

log "synthetic distro roots"
R=$WORK/amzn2
stage_root "$R" al2-synthetic
cat >"$R/etc/os-release" <<'EOF'
# Synthetic test fixture (liftcheck images/build-fixtures.sh), not a real install.
NAME="Amazon Linux"
VERSION="2"
ID="amzn"
ID_LIKE="centos rhel fedora"
VERSION_ID="2"
PRETTY_NAME="Amazon Linux 2"
ANSI_COLOR="0;33"
CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"
HOME_URL="https://amazonlinux.com/"
SUPPORT_END="2026-06-30"
EOF
echo 'Amazon Linux release 2 (Karoo)' >"$R/etc/system-release"
synthetic synthetic-amzn2 al2-synthetic 401

R=$WORK/rocky9
stage_root "$R" rocky9-synthetic
cat >"$R/etc/os-release" <<'EOF'
# Synthetic test fixture (liftcheck images/build-fixtures.sh), not a real install.
NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.3"
EOF
echo 'Rocky Linux release 9.3 (Blue Onyx)' >"$R/etc/rocky-release"
ln -s rocky-release "$R/etc/redhat-release"
ln -s rocky-release "$R/etc/system-release"
synthetic synthetic-rocky9 rocky9-synthetic 402

R=$WORK/alma8
stage_root "$R" alma8-synthetic
cat >"$R/etc/os-release" <<'EOF'
# Synthetic test fixture (liftcheck images/build-fixtures.sh), not a real install.
NAME="AlmaLinux"
VERSION="8.9 (Midnight Oncilla)"
ID="almalinux"
ID_LIKE="rhel centos fedora"
VERSION_ID="8.9"
PLATFORM_ID="platform:el8"
PRETTY_NAME="AlmaLinux 8.9 (Midnight Oncilla)"
ANSI_COLOR="0;34"
LOGO="fedora-logo-almalinux"
CPE_NAME="cpe:/o:almalinux:almalinux:8::baseos"
HOME_URL="https://almalinux.org/"
EOF
echo 'AlmaLinux release 8.9 (Midnight Oncilla)' >"$R/etc/almalinux-release"
ln -s almalinux-release "$R/etc/redhat-release"
ln -s almalinux-release "$R/etc/system-release"
synthetic synthetic-alma8 alma8-synthetic 403

# ---------------------------------------------------------------------- LVM
log "lvm-root, lvm-span (guestfish)"
B=$WORK/lvm-boot
mkdir -p "$B/grub"
echo '# placeholder: this fixture has no kernel' >"$B/grub/grub.cfg"
mkext4 "$B" "$(uuid 501)" boot 16 "$WORK/lvm-boot.ext4"
R=$WORK/lvm-root-tree
stage_root "$R" lvm-root
debian_release "$R"
# a few real programs: files for the host to read off the volume
mkdir -p "$R/opt/app/bin"
for p in true false ls cat cp mv rm sleep; do cp "/usr/bin/$p" "$R/opt/app/bin/$p"; done
cat >"$R/etc/fstab" <<EOF
/dev/mapper/vgroot-root  /      ext4  errors=remount-ro  0  1
UUID=$(uuid 501)  /boot  ext4  defaults  0  2
EOF
mkext4 "$R" "$(uuid 502)" root 40 "$WORK/lvm-root.ext4"
mkdisk "$WORK/lvm-root.img" 64 0x1f000500 "1 16 83 $WORK/lvm-boot.ext4" "17 47 8e"

R=$WORK/lvm-span-tree
stage_root "$R" lvm-span
debian_release "$R"
cat >"$R/etc/fstab" <<'EOF'
/dev/mapper/vgspan-root  /  ext4  errors=remount-ro  0  1
EOF
# 64 MiB LV on two 40 MiB PVs (9 extents of 4 MiB each): it has to span.
mkext4 "$R" "$(uuid 601)" root 64 "$WORK/lvm-span.ext4"
mkdisk "$WORK/lvm-span-0.img" 48 0x1f000601 "1 40 8e"
mkdisk "$WORK/lvm-span-1.img" 48 0x1f000602 "1 40 8e"

log "raid (guestfish)"
R=$WORK/raid-tree
stage_root "$R" raid
debian_release "$R"
printf 'UUID=%s  /  ext4  errors=remount-ro  0  1\n' "$(uuid 701)" >"$R/etc/fstab"
mkext4 "$R" "$(uuid 701)" root 32 "$WORK/raid-root.ext4"
mkdisk "$WORK/raid-0.img" 48 0x1f000701 "1 40 fd"
mkdisk "$WORK/raid-1.img" 48 0x1f000702 "1 40 fd"

LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg} \
guestfish --rw -a "$WORK/lvm-root.img" -a "$WORK/lvm-span-0.img" -a "$WORK/lvm-span-1.img" \
    -a "$WORK/raid-0.img" -a "$WORK/raid-1.img" <<EOF
run
md-create md0 "/dev/sdd1 /dev/sde1" level:raid1
# mdadm names the array /dev/md127 (with /dev/md/md0 pointing to it)
upload $WORK/raid-root.ext4 /dev/md127
md-stop /dev/md127
pvcreate /dev/sda2
vgcreate vgroot /dev/sda2
lvcreate root vgroot 40
upload $WORK/lvm-root.ext4 /dev/vgroot/root
pvcreate /dev/sdb1
pvcreate /dev/sdc1
vgcreate vgspan "/dev/sdb1 /dev/sdc1"
lvcreate root vgspan 64
upload $WORK/lvm-span.ext4 /dev/vgspan/root
vg-activate-all false
EOF

# --------------------------------------------------------------- bad inputs
log "bad inputs"
: >"$WORK/empty.img"
/usr/bin/python3 -c 'import random,sys; random.seed(20260101); sys.stdout.buffer.write(random.randbytes(8 << 20))' \
    >"$WORK/random.img"
truncate -s 16M "$WORK/nofs.img"
qemu-img convert -f raw -O qcow2 "$WORK/data-only.img" "$WORK/full.qcow2"
size=$(stat -c %s "$WORK/full.qcow2")
head -c $((size / 2)) "$WORK/full.qcow2" >"$WORK/truncated.qcow2"
rm -f "$WORK/full.qcow2"
qemu-img create -q -f qcow2 -F raw -b /etc/shadow -u "$WORK/backing.qcow2" 64M
# A guest can write anything into its raw disk: here a whole-disk ext4
# filesystem (no partition table) whose first 1 KiB (the unused boot block of an ext4 with 1 KiB blocks) holds a
# qcow2 header naming /etc/shadow as backing file.  Read as raw it is a data
# disk; probed, it claims to be a qcow2 overlay of a host file.
mkdir -p "$WORK/q"
echo 'raw disk with a qcow2 header in its first sector' >"$WORK/q/README"
mkext4 "$WORK/q" "$(uuid 701)" qhdr 16 "$WORK/qcow2-header.raw"
dd if="$WORK/backing.qcow2" of="$WORK/qcow2-header.raw" bs=1024 count=1 conv=notrunc status=none
cp "$WORK/qcow2-header.raw" "$WORK/qcow2-header.bin"
cp --sparse=always "$WORK/data-only.img" "$WORK/unreadable.img"
chmod 000 "$WORK/unreadable.img"

# ------------------------------------------------------------ nitro verdicts
# Debian-like roots booting the host's real generic kernel (linux-image-amd64:
# nvme, nvme-core and ena are modules).  Only the index files and the three
# driver modules of /lib/modules/<ver> are copied, not the whole tree.
#   nitro-fixable.img  real kernel, config and modules; an initramfs (cpio newc
#                      + zstd) with some real modules but not nvme: fixable.
#   nitro-blocked.img  SYNTHETIC: the same, with the nvme and ena modules
#                      removed (files and modules.dep lines) and the config
#                      saying "is not set" for them: blocked.
KVER=$(ls /lib/modules | grep -E '^[0-9].*-amd64$' | grep -v cloud | sort -V | tail -1 || true)
[ -n "$KVER" ] && [ -f "/boot/vmlinuz-$KVER" ] && [ -f "/boot/config-$KVER" ] ||
    die "need the host's generic kernel (apt-get install linux-image-amd64)"
HM=/lib/modules/$KVER
for t in cpio zstd; do command -v "$t" >/dev/null || die "missing tool: $t"; done
NITRO_DRIVERS="kernel/drivers/nvme/host/nvme-core.ko kernel/drivers/nvme/host/nvme.ko
kernel/drivers/net/ethernet/amazon/ena/ena.ko"

# nitro_root DIR HOSTNAME ROOTUUID: tree with kernel, modules subset, grub.cfg, fstab
nitro_root() {
    local d=$1 host=$2 ru=$3 m f
    stage_root "$d" "$host"
    debian_release "$d"
    cp "/boot/vmlinuz-$KVER" "/boot/config-$KVER" "$d/boot/"
    m=$d/usr/lib/modules/$KVER
    mkdir -p "$m"
    for f in modules.builtin modules.builtin.modinfo modules.order modules.dep \
             modules.dep.bin modules.builtin.bin modules.builtin.alias.bin; do
        [ -f "$HM/$f" ] && cp "$HM/$f" "$m/"
    done
    for f in $NITRO_DRIVERS; do
        mkdir -p "$m/$(dirname "$f")"
        cp "$HM/$f" "$m/$f"
    done
    cat >"$d/etc/fstab" <<EOF
# /etc/fstab: static file system information.
#
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
UUID=$ru /               ext4    errors=remount-ro 0       1
EOF
    mkdir -p "$d/boot/grub"
    cat >"$d/boot/grub/grub.cfg" <<EOF
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

terminal_output console
if [ "\${recordfail}" = 1 ] ; then
  set timeout=30
else
  if [ x\$feature_timeout_style = xy ] ; then
    set timeout_style=menu
    set timeout=5
  else
    set timeout=5
  fi
fi
### END /etc/grub.d/00_header ###

### BEGIN /etc/grub.d/10_linux ###
function gfxmode {
	set gfxpayload="\${1}"
}
set linux_gfx_mode=
export linux_gfx_mode
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-simple-$ru' {
	load_video
	insmod gzio
	if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
	insmod part_msdos
	insmod ext2
	search --no-floppy --fs-uuid --set=root $ru
	echo	'Loading Linux $KVER ...'
	linux	/boot/vmlinuz-$KVER root=UUID=$ru ro  quiet
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-$KVER
}
submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-$ru' {
	menuentry 'Debian GNU/Linux, with Linux $KVER' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-$KVER-advanced-$ru' {
		load_video
		insmod gzio
		if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
		insmod part_msdos
		insmod ext2
		search --no-floppy --fs-uuid --set=root $ru
		echo	'Loading Linux $KVER ...'
		linux	/boot/vmlinuz-$KVER root=UUID=$ru ro  quiet
		echo	'Loading initial ramdisk ...'
		initrd	/boot/initrd.img-$KVER
	}
	menuentry 'Debian GNU/Linux, with Linux $KVER (recovery mode)' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-$KVER-recovery-$ru' {
		load_video
		insmod gzio
		if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
		insmod part_msdos
		insmod ext2
		search --no-floppy --fs-uuid --set=root $ru
		echo	'Loading Linux $KVER ...'
		linux	/boot/vmlinuz-$KVER root=UUID=$ru ro single 
		echo	'Loading initial ramdisk ...'
		initrd	/boot/initrd.img-$KVER
	}
}

### END /etc/grub.d/10_linux ###
EOF
}

# An initramfs in the layout of initramfs-tools: real modules, but no nvme.
I=$WORK/initrd-nonvme
mkdir -p "$I/usr/bin" "$I/etc" "$I/scripts" "$I/conf"
ln -s usr/bin "$I/bin"
ln -s usr/lib "$I/lib"
cp /usr/bin/dash "$I/usr/bin/sh"
printf '#!/bin/sh\n# synthetic init of a test fixture\nexec /bin/sh\n' >"$I/init"
chmod 755 "$I/init"
for f in kernel/drivers/net/ethernet/amazon/ena/ena.ko kernel/drivers/block/virtio_blk.ko \
         kernel/drivers/net/virtio_net.ko kernel/drivers/net/net_failover.ko \
         kernel/net/core/failover.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko; do
    if [ -f "$HM/$f" ]; then
        mkdir -p "$I/usr/lib/modules/$KVER/$(dirname "$f")"
        cp "$HM/$f" "$I/usr/lib/modules/$KVER/$f"
    fi
done
(cd "$I" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | zstd -q -T1 -19 >"$WORK/initrd-nonvme.zst"

log "nitro-fixable ($KVER)"
R=$WORK/nitro-fixable
nitro_root "$R" nitro-fixable "$(uuid 801)"
cp "$WORK/initrd-nonvme.zst" "$R/boot/initrd.img-$KVER"
mkext4 "$R" "$(uuid 801)" root 40 "$WORK/nitro-fixable.ext4"
mkdisk "$WORK/nitro-fixable.img" 48 0x1f000801 "1 40 83 $WORK/nitro-fixable.ext4"

log "nitro-blocked ($KVER, synthetic)"
R=$WORK/nitro-blocked
nitro_root "$R" nitro-blocked "$(uuid 802)"
cp "$WORK/initrd-nonvme.zst" "$R/boot/initrd.img-$KVER"
cat >>"$R/etc/liftcheck-fixture" <<'EOF'
nitro-blocked: the nvme, nvme-core and ena modules of the real kernel were
removed (files and modules.dep lines) and its config edited to say they are
not set, to model a kernel without them.
EOF
m=$R/usr/lib/modules/$KVER
rm -rf "$m/kernel/drivers/nvme" "$m/kernel/drivers/net/ethernet/amazon"
# the binary indexes would still name them: drop them with the edited text index
rm -f "$m/modules.dep.bin"
grep -v -e '^kernel/drivers/nvme/host/nvme\(-core\)\?\.ko' -e '^kernel/drivers/net/ethernet/amazon/ena/ena\.ko' \
    "$HM/modules.dep" | sed -e 's# kernel/drivers/nvme/host/nvme-core\.ko##g' >"$m/modules.dep"
sed -i -e 's/^CONFIG_BLK_DEV_NVME=.*/# CONFIG_BLK_DEV_NVME is not set/' \
       -e 's/^CONFIG_NVME_CORE=.*/# CONFIG_NVME_CORE is not set/' \
       -e 's/^CONFIG_ENA_ETHERNET=.*/# CONFIG_ENA_ETHERNET is not set/' "$R/boot/config-$KVER"
mkext4 "$R" "$(uuid 802)" root 40 "$WORK/nitro-blocked.ext4"
mkdisk "$WORK/nitro-blocked.img" 48 0x1f000802 "1 40 83 $WORK/nitro-blocked.ext4"

# -------------------------------------------------------------------- hostile
# hostile.img: a small root whose file names, fstab and initramfs are built to
# break scanners and renderers: markup, Markdown, terminal escapes, invalid
# UTF-8 and newlines in names, a 250-byte name, 100 nested directories,
# symlink loops, and a decompression bomb (1 GiB of zeros in a cpio member,
# zstd) as the initramfs of a copy of the host's kernel.
log "hostile"
H=$WORK/hostile
stage_root "$H" hostile-fixture
debian_release "$H"
cat >>"$H/etc/liftcheck-fixture" <<'EOF'
hostile: file names, fstab entries and an initramfs made to attack the scanners
and the report renderers.  Nothing here is a real program or configuration.
EOF
SCRIPT_A="<script>document.title='PWNED'<"     # with the next path component:
SCRIPT_B="script>"                             # <script>document.title='PWNED'</script>
IMG='"><img src=x onerror=alert(1)>'
TICKS='pipe|col|`tick`|```fence'
MDLINK='[x](javascript:alert(1))'
ESC=$'esc\x1b[31mred'
BADUTF=$'bad\xff\xfeutf8'
NL=$'new\nline'
LONG=$(/usr/bin/python3 -c 'print(("<b>" + "L" * 300)[:250])')
# third-party programs (real ELF files) under hostile directory names
for p in "opt/$SCRIPT_A/$SCRIPT_B/bin/$IMG" "opt/$TICKS/bin/$MDLINK" "opt/$ESC/bin/$BADUTF" \
         "opt/$NL/bin/tool" "opt/$LONG/bin/$LONG"; do
    mkdir -p "$H/$(dirname "$p")"
    cp /usr/bin/true "$H/$p"
done
S=$H/srv/hostile
mkdir -p "$S"
for n in "$NL" "$IMG" "$TICKS" "$MDLINK" "$ESC" "$BADUTF" "$LONG"; do
    echo hostile >"$S/$n"
done
mkdir -p "$S/$SCRIPT_A/$SCRIPT_B"
# 100 nested directories
deep=$S/deep
for i in $(seq 1 100); do deep=$deep/d; done
mkdir -p "$deep"
echo bottom >"$deep/bottom"
# symlink loops: a -> b -> a, a directory pointing at itself, one at /
mkdir -p "$S/loop"
ln -s b "$S/loop/a"
ln -s a "$S/loop/b"
ln -s . "$S/loop/self"
ln -s / "$S/loop/root"
ln -s selfdir "$S/loop/selfdir"
# fstab entries whose mount points carry hostile strings
cat >"$H/etc/fstab" <<EOF
UUID=$(uuid 811)  /  ext4  errors=remount-ro  0  1
/dev/xvdb1  /srv/<script>document.title='PWNED'</script>|a|\`b\`  ext4  defaults  0  2
UUID=$(uuid 899)  /srv/"><img\\040src=x\\040onerror=alert(1)>  ext4  defaults,nofail  0  2
/dev/sdc1  /srv/[x](javascript:alert(1))  ext4  defaults  0  2
EOF
printf '/dev/sdd1  /srv/%s  ext4  defaults,nofail  0  2\n' "$ESC$BADUTF" >>"$H/etc/fstab"
# the kernel (nvme a module, so the initramfs matters) and its decompression bomb
cp "/boot/vmlinuz-$KVER" "$H/boot/"
m=$H/usr/lib/modules/$KVER
mkdir -p "$m"
for f in modules.builtin modules.order modules.dep; do cp "$HM/$f" "$m/"; done
for f in $NITRO_DRIVERS; do
    mkdir -p "$m/$(dirname "$f")"
    cp "$HM/$f" "$m/$f"
done
mkdir -p "$H/boot/grub"
cat >"$H/boot/grub/grub.cfg" <<EOF
set default="0"
menuentry 'Debian <img src=x onerror=alert(1)> | \`x\`' {
	linux	/boot/vmlinuz-$KVER root=UUID=$(uuid 811) ro quiet x=<script>document.title='PWNED'</script>|y
	initrd	/boot/initrd.img-$KVER
}
EOF
mkdir -p "$WORK/bomb"
truncate -s 1G "$WORK/bomb/zeros"
(cd "$WORK/bomb" && echo zeros | cpio -o -H newc --quiet) | zstd -q -T0 -3 >"$H/boot/initrd.img-$KVER"
rm -rf "$WORK/bomb"
mkext4 "$H" "$(uuid 811)" root 32 "$WORK/hostile.ext4"
mkdisk "$WORK/hostile.img" 40 0x1f000811 "1 32 83 $WORK/hostile.ext4"

# ------------------------------------------------------------ dirty journal
# dirty-journal.qcow2: an ext4 root left as a snapshot of a mounted server
# leaves it, with a committed transaction not yet written in place.  The
# transaction replaces the data block of /etc/fstab, which names the root by
# UUID, with one that names /dev/xvda1: only a reader that replays the
# journal (the kernel, at mount) sees /dev/xvda1.  Uncompressed qcow2, so
# the host can read the disk's clusters where qemu-img map places them.
log "dirty-journal"
D=$WORK/dirty-root
stage_root "$D" dirty-journal
debian_release "$D"
mkdir -p "$D/opt/app/bin" "$D/boot/efi"
for p in true false ls cat cp mv rm sleep; do cp "/usr/bin/$p" "$D/opt/app/bin/$p"; done
# An EFI system partition (vfat) at /boot/efi, as UEFI servers have: a
# filesystem the host cannot read, so the appliance reads that subtree.
ESP_LINE="UUID=1F00-0901 /boot/efi vfat umask=0077 0 1"
printf 'UUID=%s / ext4 errors=remount-ro 0 1\n%s\n' "$(uuid 901)" "$ESP_LINE" >"$D/etc/fstab"
fstab_len=$(stat -c %s "$D/etc/fstab")
rm -f "$WORK/dirty-esp.vfat"
mkfs.vfat -C -i 1F000901 -n ESP "$WORK/dirty-esp.vfat" 5120 >/dev/null
printf 'set root=(hd0,msdos1)\nconfigfile /boot/grub/grub.cfg\n' >"$WORK/esp-grub.cfg"
printf 'MZ: placeholder for a signed EFI loader\n' >"$WORK/esp-grubx64.efi"
mmd -i "$WORK/dirty-esp.vfat" ::/EFI ::/EFI/debian ::/EFI/tools
mcopy -i "$WORK/dirty-esp.vfat" "$WORK/esp-grub.cfg" ::/EFI/debian/grub.cfg
mcopy -i "$WORK/dirty-esp.vfat" "$WORK/esp-grubx64.efi" ::/EFI/debian/grubx64.efi
mcopy -i "$WORK/dirty-esp.vfat" /usr/bin/true ::/EFI/tools/true
mkext4 "$D" "$(uuid 901)" root 32 "$WORK/dirty.ext4"
block=$(debugfs -R 'blocks /etc/fstab' "$WORK/dirty.ext4" 2>/dev/null | tr -d ' \n')
[[ "$block" =~ ^[0-9]+$ ]] || die "dirty-journal: no block for /etc/fstab"
/usr/bin/python3 - "$WORK/dirty-block" "$fstab_len" "$ESP_LINE" <<'PY'
import sys
line = b"/dev/xvda1 / ext4 errors=remount-ro 0 1\n" + sys.argv[3].encode() + b"\n"
n = int(sys.argv[2])
body = line + b"#" * (n - len(line) - 1) + b"\n"
open(sys.argv[1], "wb").write(body.ljust(4096, b"\0"))
PY
printf 'jo\njw -b %s %s\njc\n' "$block" "$WORK/dirty-block" >"$WORK/dirty.cmds"
debugfs -w -f "$WORK/dirty.cmds" "$WORK/dirty.ext4" >/dev/null 2>&1
dumpe2fs -h "$WORK/dirty.ext4" 2>/dev/null | grep -q '^Filesystem features:.*needs_recovery' ||
    die "dirty-journal: the journal holds no transaction"
mkdisk "$WORK/dirty.raw" 40 0x1f000901 "1 32 83 $WORK/dirty.ext4" "34 5 ef $WORK/dirty-esp.vfat"
qemu-img convert -f raw -O qcow2 "$WORK/dirty.raw" "$WORK/dirty-journal.qcow2"
rm -f "$WORK/dirty.raw" "$WORK/dirty.ext4" "$WORK/dirty-esp.vfat" "$WORK"/esp-*

# ------------------------------------------------------------------ install
for f in "$WORK"/*.img "$WORK"/*.raw "$WORK"/*.qcow2 "$WORK"/*.bin "$WORK"/*.disk \
         "$WORK"/*.vmdk "$WORK"/*.vhd "$WORK"/*.vhdx; do
    mv -f "$f" "$OUTDIR/"
done
rm -rf "$OUTDIR/root-tree"
mv "$WORK/root-tree" "$OUTDIR/root-tree"
# What the images hold that the archive moves, for the tests to expect.
printf 'nitro_kernel=%s\n' "$KVER" >"$OUTDIR/expect"
fixtures_end
