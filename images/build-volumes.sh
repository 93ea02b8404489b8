#!/bin/bash
# Build the fixtures of volume layers libguestfs assembles under other names
# or cannot open alone: a root inside LUKS (tests/integration/test_luks.py),
# /boot on md RAID1 named /dev/md0 by the guest and a btrfs root with /home
# in a subvolume of its own (test_md_names.py, test_btrfs_subvols.py).
#
#   images/build-volumes.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/volumes.
# luks-root.img, 128 MiB, MBR (disk id 0x1f000900):
#   sda1  ext4 /boot (UUID ...0901), no OS in it
#   sda2  LUKS2 (UUID ...0902, passphrase in luks-root.pass) holding the PV
#         of VG vgcrypt; LV vgcrypt/root is the root ext4 (UUID ...0903):
#         LVM on LUKS
#   sda3  PV of VG vgdata; LV vgdata/secret is LUKS1 (UUID ...0904,
#         passphrase in luks-srv.pass) holding an ext4 (UUID ...0905) that
#         fstab mounts at /srv: LUKS on LVM
# md-boot-0.img, md-boot-1.img, 48 MiB each, MBR (0x1f000910, 0x1f000911):
#   sd?1 on both  md RAID1, metadata 1.2, array UUID ...0912, name
#                 oldsrv:boot (home host oldsrv, so another host assembles
#                 it as /dev/md127), holding the /boot ext4 (UUID ...0913)
#   disk 0 sda2   root ext4 (UUID ...0914); fstab mounts /boot as /dev/md0,
#                 which only the guest's mdadm.conf ARRAY line ties to the array
# btrfs-subvols.img, 96 MiB, MBR (0x1f000920):
#   sdd1  btrfs (UUID ...0921, mixed block groups) with subvolumes @ (the
#         root) and @home; fstab mounts both, by the same UUID, with subvol=
# The roots are SYNTHETIC (release files, fstab, crypttab or mdadm.conf and
# one shell), labelled as such.  The LUKS volumes use PBKDF2 with few
# iterations so an emulated appliance opens them in a moment; every UUID is
# fixed.  Nothing is rebuilt when OUTDIR/.stamp matches this script's hash.
# Needs e2fsprogs, fdisk, guestfish (one appliance launch, no host
# privileges).
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
OUTDIR=${1:-${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/volumes}
OUTDIR=$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd)

NAME=build-volumes
# shellcheck source=images/fixture-lib.sh
. "$HERE/fixture-lib.sh"
need_tools mkfs.ext4 sfdisk guestfish sha256sum
fixtures_begin "$HERE/build-volumes.sh" "$HERE/fixture-lib.sh"

ROOT_PASS=lc-root-pass
SRV_PASS=lc-srv-pass

# stage_min_root DIR HOSTNAME: usr-merged, a real x86_64 /bin/sh, Debian
# 12's release files; the caller writes fstab and the volume configuration.
stage_min_root() {
    local d=$1
    mkdir -p "$d"/{etc,usr/bin,usr/lib,boot,srv,home,root,tmp,proc,sys,dev,run}
    ln -s usr/bin "$d/bin"
    ln -s usr/lib "$d/lib"
    cp /usr/bin/dash "$d/usr/bin/dash"
    ln -s dash "$d/usr/bin/sh"
    echo "$2" >"$d/etc/hostname"
    cat >"$d/etc/liftcheck-fixture" <<'EOF'
SYNTHETIC TEST FIXTURE built by liftcheck images/build-volumes.sh.
Release files, fstab, volume configuration and one shell only: not a real
installation.
EOF
    cat >"$d/etc/os-release" <<'EOF'
# Synthetic test fixture (liftcheck images/build-volumes.sh), not a real install.
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
EOF
    echo 12.5 >"$d/etc/debian_version"
}

# boot_tree DIR: a /boot with a grub.cfg and no kernel.
boot_tree() {
    mkdir -p "$1/grub"
    echo '# placeholder: this fixture has no kernel' >"$1/grub/grub.cfg"
}

# ------------------------------------------------------------------- LUKS
# fstab names the LV and the filesystems by UUID; crypttab both volumes.
R=$WORK/root
stage_min_root "$R" luks-root
cat >"$R/etc/fstab" <<EOF
/dev/mapper/vgcrypt-root  /      ext4  errors=remount-ro  0  1
UUID=$(uuid 901)  /boot  ext4  defaults  0  2
UUID=$(uuid 905)  /srv   ext4  defaults,nofail  0  2
EOF
cat >"$R/etc/crypttab" <<EOF
cryptroot  UUID=$(uuid 902)  none  luks
cryptsrv   UUID=$(uuid 904)  none  luks
EOF
mkext4 "$R" "$(uuid 903)" root 24 "$WORK/root.ext4"

B=$WORK/boot
boot_tree "$B"
mkext4 "$B" "$(uuid 901)" boot 16 "$WORK/boot.ext4"

S=$WORK/srv
mkdir -p "$S/www"
echo 'behind a second key' >"$S/www/index.html"
mkext4 "$S" "$(uuid 905)" srv 8 "$WORK/srv.ext4"

IMG=$WORK/luks-root.img
truncate -s 128M "$IMG"
printf 'label: dos\nlabel-id: 0x1f000900\nunit: sectors\n\n%s\n%s\n%s\n' \
    "start=2048, size=32768, type=83" "start=34816, size=98304, type=83" \
    "start=133120, size=126976, type=8e" | sfdisk -q "$IMG"
dd if="$WORK/boot.ext4" of="$IMG" bs=1M seek=1 conv=notrunc,sparse status=none

# --------------------------------------------------------------------- md
MD_UUID=1f000000:00004000:80000000:00000912
R=$WORK/md-root
stage_min_root "$R" md-boot
cat >"$R/etc/fstab" <<EOF
UUID=$(uuid 914)  /      ext4  errors=remount-ro  0  1
/dev/md0  /boot  ext4  defaults,nofail  0  2
EOF
mkdir -p "$R/etc/mdadm"
cat >"$R/etc/mdadm/mdadm.conf" <<EOF
# mdadm.conf
HOMEHOST <system>
MAILADDR root

# definitions of existing MD arrays
ARRAY /dev/md0 metadata=1.2 name=oldsrv:boot UUID=$MD_UUID
EOF
mkext4 "$R" "$(uuid 914)" root 24 "$WORK/md-root.ext4"
B=$WORK/md-boot
boot_tree "$B"
mkext4 "$B" "$(uuid 913)" boot 12 "$WORK/md-boot.ext4"
MD0=$WORK/md-boot-0.img MD1=$WORK/md-boot-1.img
truncate -s 48M "$MD0" "$MD1"
printf 'label: dos\nlabel-id: 0x1f000910\nunit: sectors\n\n%s\n%s\n' \
    "start=2048, size=32768, type=fd" "start=34816, size=57344, type=83" | sfdisk -q "$MD0"
printf 'label: dos\nlabel-id: 0x1f000911\nunit: sectors\n\n%s\n' \
    "start=2048, size=32768, type=fd" | sfdisk -q "$MD1"
dd if="$WORK/md-root.ext4" of="$MD0" bs=1M seek=17 conv=notrunc,sparse status=none

# ------------------------------------------------------------------ btrfs
R=$WORK/btrfs-root
stage_min_root "$R" btrfs-subvols
cat >"$R/etc/fstab" <<EOF
UUID=$(uuid 921)  /      btrfs  subvol=@,defaults      0  0
UUID=$(uuid 921)  /home  btrfs  subvol=@home,defaults  0  0
EOF
tar -C "$R" -cf "$WORK/btrfs-root.tar" .
BT=$WORK/btrfs-subvols.img
truncate -s 96M "$BT"
printf 'label: dos\nlabel-id: 0x1f000920\nunit: sectors\n\n%s\n' \
    "start=2048, size=194560, type=83" | sfdisk -q "$BT"

# API calls name the disks /dev/sda../dev/sdd in the order added, and
# libguestfs maps those names to the kernel's.  The kernel probes disks in
# no fixed order (under load /dev/sdb may be the fourth disk), so commands
# run by `debug sh` name each disk by the label it was added with:
# $(dev LABEL N) is partition N of that disk as the kernel names it.
FAST="--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --batch-mode"
dev() { printf '$(readlink -f /dev/disk/guestfs/%s)%s' "$1" "$2"; }
log "LUKS, LVM and md (guestfish)"
LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg} \
guestfish --rw <<EOF
add-drive $IMG format:raw label:luks
add-drive $MD0 format:raw label:mda
add-drive $MD1 format:raw label:mdb
add-drive $BT format:raw label:btrfs
run
debug sh "mkfs.btrfs -q -f --mixed -U $(uuid 921) -L btrfs $(dev btrfs 1)"
mount /dev/sdd1 /
btrfs-subvolume-create /@
btrfs-subvolume-create /@home
tar-in $WORK/btrfs-root.tar /@
mkdir-p /@home/alice
upload /usr/bin/dash /@home/alice/tool
chmod 0755 /@home/alice/tool
umount /
debug sh "mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 --homehost=oldsrv --name=boot --uuid=$MD_UUID $(dev mda 1) $(dev mdb 1)"
upload $WORK/md-boot.ext4 /dev/md0
debug sh "mdadm --stop /dev/md0"
debug sh "printf %s $ROOT_PASS | cryptsetup luksFormat --type luks2 $FAST --uuid $(uuid 902) --key-file - $(dev luks 2)"
debug sh "printf %s $ROOT_PASS | cryptsetup open --key-file - $(dev luks 2) cryptroot"
pvcreate /dev/mapper/cryptroot
vgcreate vgcrypt /dev/mapper/cryptroot
lvcreate-free root vgcrypt 100
upload $WORK/root.ext4 /dev/vgcrypt/root
pvcreate /dev/sda3
vgcreate vgdata /dev/sda3
lvcreate secret vgdata 16
debug sh "printf %s $SRV_PASS | cryptsetup luksFormat --type luks1 $FAST --uuid $(uuid 904) --key-file - /dev/vgdata/secret"
debug sh "printf %s $SRV_PASS | cryptsetup open --key-file - /dev/vgdata/secret cryptsrv"
upload $WORK/srv.ext4 /dev/mapper/cryptsrv
debug sh "cryptsetup close cryptsrv"
vg-activate false "vgcrypt vgdata"
debug sh "cryptsetup close cryptroot"
EOF

printf '%s\n' "$ROOT_PASS" >"$WORK/luks-root.pass"
printf '%s\n' "$SRV_PASS" >"$WORK/luks-srv.pass"
mv "$IMG" "$MD0" "$MD1" "$BT" "$WORK/luks-root.pass" "$WORK/luks-srv.pass" "$OUTDIR/"
fixtures_end
