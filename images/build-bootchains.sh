#!/bin/bash
# Build two servers whose boot chains are not Debian 12's BIOS/grub2 one:
# an HP Smart Array server of the RHEL 6 era and a UEFI-only GPT server
# (tests/integration/test_el6_cciss.py, test_uefi_gpt.py).
#
#   images/build-bootchains.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/bootchains.
# Both boot the host's real generic kernel (linux-image-amd64), named as
# their distributions name it, with its real index files and the modules
# the scanners look at, and an initramfs (cpio) holding real modules with
# every dependency modules.dep gives them.
#
# el6-cciss.img, 96 MiB, MBR (disk id 0x1f001600), CentOS 6.10 as installed
# on a Smart Array controller (the guest's disk is /dev/cciss/c0d0):
#   sda1  ext4 /boot (UUID ...1601): vmlinuz-<ver>, initramfs-<ver>.img
#         (gzip cpio, dracut layout: hpsa, sd_mod, ext4; no nvme) and
#         initramfs-<ver>-nvme.img (the same and nvme), grub legacy
#         grub/grub.conf (default=0, root (hd0,0), kernel line
#         root=/dev/cciss/c0d0p2 and initrd initramfs-<ver>.img; entry 1
#         loads the -nvme one), menu.lst -> grub.conf, device.map
#   sda2  ext4 / (UUID ...1602): no os-release, only redhat-release;
#         HOSTNAME= in sysconfig/network; fstab on /dev/cciss/c0d0p1 and p2;
#         70-persistent-net.rules binding eth0 to a MAC; ifcfg-eth0 with
#         HWADDR= and a static address; the network init script started in
#         runlevel 3; /lib/modules/<ver> (not usr-merged)
# uefi-gpt.img, 112 MiB, GPT (disk GUID ...1610), Ubuntu 22.04 booted by UEFI:
#   sda1  EFI system partition, vfat (id 1F00-1611): EFI/ubuntu/grubx64.efi
#         (grub-mkimage, x86_64-efi, from grub-efi-amd64-bin) and the grub.cfg
#         that sends it to /boot/grub; no BIOS boot partition
#   sda2  ext4 / (UUID ...1612): /boot/grub/grub.cfg and x86_64-efi/, the
#         kernel and initrd.img-<ver> (zstd cpio: nvme, ext4, vfat, ena);
#         fstab by UUID; systemd-networkd DHCP on en*
# expect: what the images were built from that the archive moves
#   (kernel=<ver>, nvme=, ena= as the kernel's config sets them).
# The roots are SYNTHETIC (release, boot and network files, one shell and the
# kernel), labelled as such.  No loop devices, mounts or appliance: trees are
# staged in directories, filesystems made with mkfs.ext4 -d and mtools.
# Nothing is rebuilt when OUTDIR/.stamp matches this script and fixture-lib.sh.
# Needs e2fsprogs, fdisk (sfdisk), dosfstools, mtools, cpio, gzip, zstd,
# grub-common and grub-efi-amd64-bin.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
OUTDIR=${1:-${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/bootchains}
OUTDIR=$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd)

NAME=build-bootchains
# shellcheck source=images/fixture-lib.sh
. "$HERE/fixture-lib.sh"
need_tools mkfs.ext4 sfdisk mkfs.vfat mmd mcopy cpio gzip zstd grub-mkimage busybox sha256sum
GRUB_EFI=/usr/lib/grub/x86_64-efi
[ -f "$GRUB_EFI/linux.mod" ] || die "need $GRUB_EFI (apt-get install grub-efi-amd64-bin)"
fixtures_begin "$HERE/build-bootchains.sh" "$HERE/fixture-lib.sh"

# The host's generic kernel: the newest one with a config and modules.
KVER=$(for m in /lib/modules/[0-9]*-amd64; do
           case $m in *-cloud-amd64) ;; *) [ -d "$m" ] && basename "$m" ;; esac
       done | sort -V | tail -1)
if [ -z "$KVER" ] || [ ! -r "/boot/vmlinuz-$KVER" ] || [ ! -f "/boot/config-$KVER" ]; then
    die "need the host's generic kernel (apt-get install linux-image-amd64)"
fi
HOSTMOD=/lib/modules/$KVER
config_of() { sed -n "s/^CONFIG_$1=\\(.\\)\$/\\1/p" "/boot/config-$KVER"; }

# modules_closure NAME...: the .ko paths (relative to HOSTMOD) of each module
# and of everything modules.dep says it needs, once each.
modules_closure() {
    local n
    for n; do
        awk -v want="/$n.ko" '{ k = $1; sub(/:$/, "", k) }
            substr(k, length(k) - length(want) + 1) == want {
                print k; for (i = 2; i <= NF; i++) print $i }' "$HOSTMOD/modules.dep"
    done | awk '!seen[$0]++'
}

# install_modules MODDIR NAME...: the index files and the named modules (with
# their dependencies) of the host's kernel under MODDIR.
install_modules() {
    local dst=$1 f
    shift
    mkdir -p "$dst"
    for f in modules.builtin modules.builtin.modinfo modules.order modules.dep modules.dep.bin \
             modules.builtin.bin modules.alias modules.symbols; do
        if [ -f "$HOSTMOD/$f" ]; then cp "$HOSTMOD/$f" "$dst/"; fi
    done
    modules_closure "$@" | while read -r f; do
        mkdir -p "$dst/$(dirname "$f")"
        cp "$HOSTMOD/$f" "$dst/$f"
    done
}

# initramfs OUT COMPRESS LIBDIR NAME...: a newc cpio with a shell as /init
# and the named modules under LIBDIR/modules/<ver>, compressed by COMPRESS.
initramfs() {
    local out=$1 compress=$2 libdir=$3 ir
    shift 3
    ir=$(mktemp -d "$WORK/initramfs.XXXXXX")
    mkdir -p "$ir/bin" "$ir/etc"
    cp /usr/bin/dash "$ir/bin/sh"
    printf '#!/bin/sh\n# synthetic init of a test fixture\nexec /bin/sh\n' >"$ir/init"
    chmod 755 "$ir/init"
    install_modules "$ir/$libdir/modules/$KVER" "$@"
    (cd "$ir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) |
        $compress >"$out"
}

# static_shell BINDIR: busybox (static, so it needs no libc on the image) as sh.
static_shell() {
    cp /bin/busybox "$1/busybox"
    ln -s busybox "$1/sh"
}

# fixture_label DIR: the note that says what the tree is.
fixture_label() {
    cat >"$1/etc/liftcheck-fixture" <<'EOF'
SYNTHETIC TEST FIXTURE built by liftcheck images/build-bootchains.sh.
Release, boot and network files, one shell and the host's kernel: not a real
installation.
EOF
}

# --------------------------------------------------------------- EL6, cciss
log "el6-cciss ($KVER)"
MAC=00:1f:29:0a:6b:10
R=$WORK/el6-root
mkdir -p "$R"/{bin,sbin,lib,lib64,usr/bin,usr/lib,var/lib/rpm,root,tmp,home,boot,dev,proc,sys,srv}
mkdir -p "$R"/etc/{sysconfig/network-scripts,udev/rules.d,rc.d/init.d,rc.d/rc3.d}
static_shell "$R/bin"
fixture_label "$R"
echo 'CentOS release 6.10 (Final)' >"$R/etc/redhat-release"
ln -s redhat-release "$R/etc/system-release"
ln -s redhat-release "$R/etc/centos-release"
cat >"$R/etc/sysconfig/network" <<'EOF'
NETWORKING=yes
HOSTNAME=dbprod01.example.com
GATEWAY=10.20.30.1
EOF
cat >"$R/etc/fstab" <<'EOF'

#
# /etc/fstab
# Created by anaconda on Tue Mar  6 10:12:44 2012
#
# Accessible filesystems, by reference, are maintained under '/dev/disk'
# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info
#
/dev/cciss/c0d0p2       /                       ext4    defaults        1 1
/dev/cciss/c0d0p1       /boot                   ext4    defaults        1 2
tmpfs                   /dev/shm                tmpfs   defaults        0 0
devpts                  /dev/pts                devpts  gid=5,mode=620  0 0
sysfs                   /sys                    sysfs   defaults        0 0
proc                    /proc                   proc    defaults        0 0
EOF
cat >"$R/etc/udev/rules.d/70-persistent-net.rules" <<EOF
# This file was automatically generated by the /lib/udev/write_net_rules
# program, run by the persistent-net-generator.rules rules file.
#
# You can modify it, as long as you keep each rule on a single
# line, and change only the value of the NAME= key.

# PCI device 0x14e4:0x1639 (bnx2)
SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{address}=="$MAC", ATTR{type}=="1", KERNEL=="eth*", NAME="eth0"
EOF
cat >"$R/etc/sysconfig/network-scripts/ifcfg-eth0" <<EOF
DEVICE=eth0
HWADDR=${MAC^^}
TYPE=Ethernet
UUID=5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03
ONBOOT=yes
NM_CONTROLLED=no
BOOTPROTO=none
IPADDR=10.20.30.41
NETMASK=255.255.255.0
GATEWAY=10.20.30.1
EOF
printf 'DEVICE=lo\nIPADDR=127.0.0.1\nNETMASK=255.0.0.0\nONBOOT=yes\nNAME=loopback\n' \
    >"$R/etc/sysconfig/network-scripts/ifcfg-lo"
# initscripts: the network service, started in runlevel 3
printf '#!/bin/sh\n# synthetic stand-in for initscripts'"'"' ifup-eth\n' \
    >"$R/etc/sysconfig/network-scripts/ifup-eth"
printf '#!/bin/sh\n# chkconfig: 2345 10 90\n# synthetic stand-in for the network init script\n' \
    >"$R/etc/rc.d/init.d/network"
chmod 755 "$R/etc/sysconfig/network-scripts/ifup-eth" "$R/etc/rc.d/init.d/network"
ln -s ../init.d/network "$R/etc/rc.d/rc3.d/S10network"
ln -s rc.d/init.d "$R/etc/init.d"
ln -s rc.d/rc3.d "$R/etc/rc3.d"
ln -s ../boot/grub/grub.conf "$R/etc/grub.conf"
install_modules "$R/lib/modules/$KVER" nvme ena hpsa sd_mod ext4

B=$WORK/el6-boot
mkdir -p "$B/grub"
cp "/boot/vmlinuz-$KVER" "/boot/config-$KVER" "$B/"
if [ -r "/boot/System.map-$KVER" ]; then cp "/boot/System.map-$KVER" "$B/"; fi
# dracut's host-only image on a Smart Array server: the controller, disks
# and the root filesystem; nvme never was there.  A second one with nvme,
# made for a trial boot, is loaded only by the second (not default) entry.
initramfs "$B/initramfs-$KVER.img" "gzip -n -9" lib hpsa sd_mod ext4
initramfs "$B/initramfs-$KVER-nvme.img" "gzip -n -9" lib hpsa sd_mod ext4 nvme
cat >"$B/grub/grub.conf" <<EOF
# grub.conf generated by anaconda
#
# Note that you do not have to rerun grub after making changes to this file
# NOTICE:  You have a /boot partition.  This means that
#          all kernel and initrd paths are relative to /boot/, eg.
#          root (hd0,0)
#          kernel /vmlinuz-version ro root=/dev/cciss/c0d0p2
#          initrd /initrd-[generic-]version.img
#boot=/dev/cciss/c0d0
default=0
timeout=5
splashimage=(hd0,0)/grub/splash.xpm.gz
hiddenmenu
title CentOS ($KVER)
	root (hd0,0)
	kernel /vmlinuz-$KVER ro root=/dev/cciss/c0d0p2 rd_NO_LUKS LANG=en_US.UTF-8 rd_NO_MD SYSFONT=latarcyrheb-sun16 crashkernel=auto  KEYBOARDTYPE=pc KEYTABLE=us rd_NO_DM rhgb quiet
	initrd /initramfs-$KVER.img
title CentOS ($KVER) nvme trial
	root (hd0,0)
	kernel /vmlinuz-$KVER ro root=/dev/cciss/c0d0p2 rd_NO_LUKS LANG=en_US.UTF-8 rd_NO_MD rd_NO_DM
	initrd /initramfs-$KVER-nvme.img
EOF
ln -s ./grub.conf "$B/grub/menu.lst"
printf '# this device map was generated by anaconda\n(hd0)     /dev/cciss/c0d0\n' \
    >"$B/grub/device.map"

mkext4 "$B" "$(uuid 1601)" "" 32 "$WORK/el6-boot.ext4"
mkext4 "$R" "$(uuid 1602)" "" 56 "$WORK/el6-root.ext4"
IMG=$WORK/el6-cciss.img
truncate -s 96M "$IMG"
printf 'label: dos\nlabel-id: 0x1f001600\nunit: sectors\n\n%s\n%s\n' \
    "start=2048, size=65536, type=83, bootable" "start=67584, size=126976, type=83" |
    sfdisk -q "$IMG"
dd if="$WORK/el6-boot.ext4" of="$IMG" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$WORK/el6-root.ext4" of="$IMG" bs=1M seek=33 conv=notrunc,sparse status=none

# --------------------------------------------------------------- UEFI, GPT
log "uefi-gpt ($KVER)"
ROOT_UUID=$(uuid 1612)
ESP_ID=1F001611
R=$WORK/uefi-root
mkdir -p "$R"/{etc,usr/bin,usr/sbin,usr/lib/systemd,var/lib/dpkg,root,tmp,home,boot/efi,dev,proc,sys,run,srv}
ln -s usr/bin "$R/bin"
ln -s usr/sbin "$R/sbin"
ln -s usr/lib "$R/lib"
static_shell "$R/usr/bin"
fixture_label "$R"
echo uefi-gpt >"$R/etc/hostname"
cat >"$R/etc/os-release" <<'EOF'
# Synthetic test fixture (liftcheck images/build-bootchains.sh), not a real install.
PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
EOF
printf 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n' >"$R/etc/lsb-release"
echo bookworm/sid >"$R/etc/debian_version"
cat >"$R/etc/fstab" <<EOF
# /etc/fstab: static file system information.
UUID=$ROOT_UUID  /          ext4  errors=remount-ro  0  1
UUID=${ESP_ID:0:4}-${ESP_ID:4:4}  /boot/efi  vfat  umask=0077  0  1
EOF
# systemd-networkd, enabled, takes DHCP on whatever en* name the NIC gets
mkdir -p "$R/etc/systemd/network" "$R/etc/systemd/system/multi-user.target.wants"
printf '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n' >"$R/etc/systemd/network/50-dhcp.network"
for f in systemd systemd-networkd; do
    printf '#!/bin/sh\n# synthetic stand-in for %s\n' "$f" >"$R/usr/lib/systemd/$f"
    chmod 755 "$R/usr/lib/systemd/$f"
done
ln -s /lib/systemd/system/systemd-networkd.service \
    "$R/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
install_modules "$R/usr/lib/modules/$KVER" nvme ena ext4 vfat
cp "/boot/vmlinuz-$KVER" "/boot/config-$KVER" "$R/boot/"
initramfs "$R/boot/initrd.img-$KVER" "zstd -q -T1 -19" usr/lib nvme ext4 vfat ena
mkdir -p "$R/boot/grub/x86_64-efi"
cp "$GRUB_EFI"/*.mod "$GRUB_EFI"/*.lst "$R/boot/grub/x86_64-efi/"
cat >"$R/boot/grub/grub.cfg" <<EOF
#
# DO NOT EDIT THIS FILE
#
# It is automatically generated by grub-mkconfig using templates
# from /etc/grub.d and settings from /etc/default/grub
#
set default="0"
insmod part_gpt
insmod ext2
search --no-floppy --fs-uuid --set=root $ROOT_UUID
menuentry 'Ubuntu' --class ubuntu --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-simple-$ROOT_UUID' {
	insmod part_gpt
	insmod ext2
	search --no-floppy --fs-uuid --set=root $ROOT_UUID
	linux	/boot/vmlinuz-$KVER root=UUID=$ROOT_UUID ro  quiet
	initrd	/boot/initrd.img-$KVER
}
EOF

# The ESP: grub-install's layout, the loader built by grub-mkimage
E=$WORK/esp
mkdir -p "$E"
cat >"$E/grub.cfg" <<EOF
search.fs_uuid $ROOT_UUID root
set prefix=(\$root)'/boot/grub'
configfile \$prefix/grub.cfg
EOF
grub-mkimage -O x86_64-efi -d "$GRUB_EFI" -p /EFI/ubuntu -o "$E/grubx64.efi" \
    part_gpt part_msdos fat ext2 normal configfile search search_fs_uuid linux echo
ESP=$WORK/esp.vfat
rm -f "$ESP"
mkfs.vfat -F 16 -n EFI -i "$ESP_ID" -C "$ESP" $((32 * 1024)) >/dev/null
mmd -i "$ESP" ::/EFI ::/EFI/ubuntu ::/EFI/BOOT
mcopy -i "$ESP" -m "$E/grubx64.efi" "$E/grub.cfg" ::/EFI/ubuntu/
mcopy -i "$ESP" -m "$E/grubx64.efi" ::/EFI/BOOT/BOOTX64.EFI

mkext4 "$R" "$ROOT_UUID" "" 72 "$WORK/uefi-root.ext4"
IMG2=$WORK/uefi-gpt.img
truncate -s 112M "$IMG2"
printf 'label: gpt\nlabel-id: %s\nunit: sectors\n\n%s\n%s\n' "$(uuid 1610)" \
    "start=2048, size=65536, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$(uuid 1613), name=\"EFI System Partition\"" \
    "start=67584, size=147456, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$(uuid 1614)" |
    sfdisk -q "$IMG2"
dd if="$ESP" of="$IMG2" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$WORK/uefi-root.ext4" of="$IMG2" bs=1M seek=33 conv=notrunc,sparse status=none

printf 'kernel=%s\nnvme=%s\nena=%s\n' "$KVER" "$(config_of BLK_DEV_NVME)" \
    "$(config_of ENA_ETHERNET)" >"$WORK/expect"
mv "$IMG" "$IMG2" "$WORK/expect" "$OUTDIR/"
fixtures_end
