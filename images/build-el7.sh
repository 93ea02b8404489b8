#!/bin/bash
# Build an EL7-style server disk: the layout a CentOS 7 installer leaves on a
# VMware guest, made from Debian's own tools and the host's real kernel
# (tests/integration/test_el7.py, bench/run.sh).
#
#   images/build-el7.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/el7.
# el7.img, 700 MiB raw (sparse), MBR (disk id 0x1f007100):
#   sda1  /boot, XFS (UUID ...7101, crc=1 and none of the features newer
#         than EL7's kernel), bootable; the host kernel named as EL7 names
#         its kernels (vmlinuz-<kver>, initramfs-<kver>.img, config-<kver>)
#   sda2  LVM PV (type 8e) of VG centos: LV root, XFS (UUID ...7102), and
#         LV swap (UUID ...7103)
# The root: CentOS 7.9 release files and os-release as EL7 writes them,
# usr-merged, fstab by /dev/mapper/centos-root and UUID= for /boot, grub2's
# grub.cfg as grub2-mkconfig writes it (linux16/initrd16,
# set default="${saved_entry}") with a grubenv whose saved_entry names the
# entry, /etc/default/grub (rd.lvm.lv=centos/root rd.lvm.lv=centos/swap),
# dracut's EL7 distribution defaults (hostonly="yes"), and only
# /etc/sysconfig/network-scripts/ifcfg-ens192 with a static address for the
# network.  The modules tree of the kernel holds its index files and the
# drivers the checks look at (nvme, nvme-core, ena, xfs, dm-mod).
# The initramfs is built by dracut from the host's kernel modules, as a
# host-only build on a VMware guest holds them: its storage and network
# drivers (vmw_pvscsi, mptspi, ahci, vmxnet3...), LVM and XFS, and no nvme.
# The RPM database is empty, made by Debian's rpm (sqlite: EL7's Berkeley DB
# is one Debian's rpm only reads); without one, libguestfs's inspection of
# an rpm distribution fails (virt-inspector: rpmtsInitIterator).
# expect: nitro_kernel=<kver> (the host kernel the image holds) and
# initramfs_modules=<count of .ko files in the dracut image>.
# Nothing is rebuilt when OUTDIR/.stamp matches this script and
# fixture-lib.sh.  Needs xfsprogs, lvm2 and libguestfs-xfs (guestfish, one
# appliance launch), dracut-core, cpio, fdisk and linux-image-amd64.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
OUTDIR=${1:-${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/el7}
OUTDIR=$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd)

NAME=build-el7
# shellcheck source=images/fixture-lib.sh
. "$HERE/fixture-lib.sh"
need_tools sfdisk guestfish dracut cpio gzip tar rpm sha256sum
fixtures_begin "$HERE/build-el7.sh" "$HERE/fixture-lib.sh"

KVER=$(ls /lib/modules | grep -E '^[0-9].*-amd64$' | grep -v cloud | sort -V | tail -1 || true)
[ -n "$KVER" ] && [ -f "/boot/vmlinuz-$KVER" ] && [ -f "/boot/config-$KVER" ] ||
    die "need the host's generic kernel (apt-get install linux-image-amd64)"
HM=/lib/modules/$KVER
BOOT_UUID=$(uuid 7101)
ROOT_UUID=$(uuid 7102)
SWAP_UUID=$(uuid 7103)
TITLE="CentOS Linux ($KVER) 7 (Core)"

R=$WORK/root
B=$WORK/boot
mkdir -p "$R"/{etc,usr/bin,usr/sbin,usr/lib,usr/lib64,var/lib/rpm,var/log,root,tmp,home,srv,boot,dev,proc,sys,run,opt,mnt}
ln -s usr/bin "$R/bin"
ln -s usr/sbin "$R/sbin"
ln -s usr/lib "$R/lib"
ln -s usr/lib64 "$R/lib64"
cp /usr/bin/dash "$R/usr/bin/sh"
chmod 1777 "$R/tmp"
chmod 700 "$R/root"
cat >"$R/etc/liftcheck-fixture" <<'EOF'
SYNTHETIC TEST FIXTURE built by liftcheck images/build-el7.sh.
CentOS 7 release, boot and network files on a Debian kernel, one shell, no
packages: not a real installation.
EOF
echo el7-app01 >"$R/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
rpm --dbpath "$R/var/lib/rpm" --initdb
echo 'CentOS Linux release 7.9.2009 (Core)' >"$R/etc/centos-release"
ln -s centos-release "$R/etc/redhat-release"
ln -s centos-release "$R/etc/system-release"
cat >"$R/etc/os-release" <<'EOF'
NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"

CENTOS_MANTISBT_PROJECT="CentOS-7"
CENTOS_MANTISBT_PROJECT_VERSION="7"
REDHAT_SUPPORT_PRODUCT="centos"
REDHAT_SUPPORT_PRODUCT_VERSION="7"

EOF
cat >"$R/etc/fstab" <<EOF

#
# /etc/fstab
# Created by anaconda on Tue Mar  2 10:12:31 2021
#
# Accessible filesystems, by reference, are maintained under '/dev/disk'
# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info
#
/dev/mapper/centos-root /                       xfs     defaults        0 0
UUID=$BOOT_UUID /boot                   xfs     defaults        0 0
/dev/mapper/centos-swap swap                    swap    defaults        0 0
EOF
mkdir -p "$R/etc/sysconfig/network-scripts"
cat >"$R/etc/sysconfig/network" <<'EOF'
# Created by anaconda
EOF
cat >"$R/etc/sysconfig/network-scripts/ifcfg-ens192" <<'EOF'
TYPE=Ethernet
PROXY_METHOD=none
BROWSER_ONLY=no
BOOTPROTO=static
DEFROUTE=yes
IPV4_FAILURE_FATAL=no
IPV6INIT=no
NAME=ens192
UUID=5f4b0e4e-7c1e-4c5e-9d47-6a1f3b0c7101
DEVICE=ens192
ONBOOT=yes
IPADDR=10.20.30.41
PREFIX=24
GATEWAY=10.20.30.1
DNS1=10.20.30.2
EOF
cat >"$R/etc/sysconfig/network-scripts/ifcfg-lo" <<'EOF'
DEVICE=lo
IPADDR=127.0.0.1
NETMASK=255.0.0.0
NETWORK=127.0.0.0
BROADCAST=127.255.255.255
ONBOOT=yes
NAME=loopback
EOF
mkdir -p "$R/etc/default"
cat >"$R/etc/default/grub" <<'EOF'
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR="$(sed 's, release .*$,,g' /etc/system-release)"
GRUB_DEFAULT=saved
GRUB_DISABLE_SUBMENU=true
GRUB_TERMINAL_OUTPUT="console"
GRUB_CMDLINE_LINUX="crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet"
GRUB_DISABLE_RECOVERY="true"
EOF
ln -s ../boot/grub2/grub.cfg "$R/etc/grub2.cfg"
# dracut's EL7 distribution defaults: host-only images
mkdir -p "$R/usr/lib/dracut/dracut.conf.d" "$R/etc/dracut.conf.d"
cat >"$R/usr/lib/dracut/dracut.conf.d/01-dist.conf" <<'EOF'
# dracut config file customized for RedHat/Fedora.

# i18n
i18n_vars="/etc/sysconfig/keyboard:KEYTABLE-KEYMAP /etc/sysconfig/i18n:SYSFONT-FONT,FONTACM-FONT_MAP,FONT_UNIMAP"
i18n_default_font="latarcyrheb-sun16"
i18n_install_all="yes"
stdloglvl=3
sysloglvl=5
install_items+=" vi /etc/virc ps grep cat rm "
prefix="/"
systemdutildir=/usr/lib/systemd
systemdsystemunitdir=/usr/lib/systemd/system
systemdsystemconfdir=/etc/systemd/system
udevdir=/usr/lib/udev
hostonly="yes"
hostonly_cmdline="no"
early_microcode="yes"
EOF
printf '# PUT YOUR CONFIG IN separate files\n# in /etc/dracut.conf.d named "<name>.conf"\n' >"$R/etc/dracut.conf"

# The kernel's modules: index files and the drivers the checks name.
M=$R/usr/lib/modules/$KVER
mkdir -p "$M"
for f in modules.builtin modules.builtin.modinfo modules.order modules.dep \
         modules.dep.bin modules.builtin.bin modules.builtin.alias.bin; do
    [ -f "$HM/$f" ] && cp "$HM/$f" "$M/"
done
for f in kernel/drivers/nvme/host/nvme-core.ko kernel/drivers/nvme/host/nvme.ko \
         kernel/drivers/net/ethernet/amazon/ena/ena.ko kernel/fs/xfs/xfs.ko \
         kernel/drivers/md/dm-mod.ko; do
    mkdir -p "$M/$(dirname "$f")"
    cp "$HM/$f" "$M/$f"
done

# /boot, its own filesystem: grub paths are relative to it.
mkdir -p "$B/grub2"
cp "/boot/vmlinuz-$KVER" "$B/vmlinuz-$KVER"
cp "/boot/config-$KVER" "$B/config-$KVER"
log "dracut initramfs for $KVER (host-only drivers of a VMware guest, no nvme)"
mkdir -p "$WORK/dracut.conf.d"
: >"$WORK/dracut.conf"
dracut --quiet --force --no-hostonly --kver "$KVER" --kmoddir "$HM" --gzip \
    --conf "$WORK/dracut.conf" --confdir "$WORK/dracut.conf.d" --no-early-microcode \
    --modules "base rootfs-block lvm" --filesystems xfs \
    --add-drivers "vmw_pvscsi mptspi sd_mod ata_piix ahci vmxnet3 e1000 dm-mod" \
    --omit-drivers "nvme nvme_core" \
    "$B/initramfs-$KVER.img"
listing=$(gzip -dc "$B/initramfs-$KVER.img" | cpio -t --quiet)
grep -q '/nvme\.ko' <<<"$listing" && die "dracut put nvme in the initramfs"
grep -q '/xfs\.ko' <<<"$listing" || die "dracut left xfs out of the initramfs"
nmods=$(grep -cE '\.ko(\.[a-z]+)?$' <<<"$listing")

cat >"$B/grub2/grub.cfg" <<EOF
#
# DO NOT EDIT THIS FILE
#
# It is automatically generated by grub2-mkconfig using templates
# from /etc/grub.d and settings from /etc/default/grub
#

### BEGIN /etc/grub.d/00_header ###
set pager=1

if [ -s \$prefix/grubenv ]; then
  load_env
fi
if [ "\${next_entry}" ] ; then
   set default="\${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="\${saved_entry}"
fi

function savedefault {
  if [ -z "\${boot_once}" ]; then
    saved_entry="\${chosen}"
    save_env saved_entry
  fi
}

# (grub2-mkconfig's video, terminal and timeout settings left out)
### END /etc/grub.d/00_header ###

### BEGIN /etc/grub.d/00_tuned ###
set tuned_params=""
set tuned_initrd=""
### END /etc/grub.d/00_tuned ###

### BEGIN /etc/grub.d/01_users ###
if [ -f \${prefix}/user.cfg ]; then
  source \${prefix}/user.cfg
  if [ -n "\${GRUB2_PASSWORD}" ]; then
    set superusers="root"
    export superusers
    password_pbkdf2 root \${GRUB2_PASSWORD}
  fi
fi
### END /etc/grub.d/01_users ###

### BEGIN /etc/grub.d/10_linux ###
menuentry '$TITLE' --class centos --class gnu-linux --class gnu --class os --unrestricted \$menuentry_id_option 'gnulinux-$KVER-advanced-$ROOT_UUID' {
	set gfxpayload=keep
	insmod gzio
	insmod part_msdos
	insmod xfs
	set root='hd0,msdos1'
	if [ x\$feature_platform_search_hint = xy ]; then
	  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos1 --hint-efi=hd0,msdos1 --hint-baremetal=ahci0,msdos1 --hint='hd0,msdos1'  $BOOT_UUID
	else
	  search --no-floppy --fs-uuid --set=root $BOOT_UUID
	fi
	linux16 /vmlinuz-$KVER root=/dev/mapper/centos-root ro crashkernel=auto rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet LANG=en_US.UTF-8
	initrd16 /initramfs-$KVER.img
}
### END /etc/grub.d/10_linux ###

### BEGIN /etc/grub.d/20_linux_xen ###
### END /etc/grub.d/20_linux_xen ###

### BEGIN /etc/grub.d/30_os-prober ###
### END /etc/grub.d/30_os-prober ###

### BEGIN /etc/grub.d/40_custom ###
# This file provides an easy way to add custom menu entries.  Simply type the
# menu entries you want to add after this comment.  Be careful not to change
# the 'exec tail' line above.
### END /etc/grub.d/40_custom ###
EOF
# grubenv: one 1024-byte block, padded with '#', as grub2-editenv writes it
/usr/bin/python3 - "$B/grub2/grubenv" "$TITLE" <<'PY'
import sys
body = "# GRUB Environment Block\nsaved_entry=%s\n" % sys.argv[2]
open(sys.argv[1], "w").write(body + "#" * (1024 - len(body)))
PY

tar -C "$R" -cf "$WORK/root.tar" .
tar -C "$B" -cf "$WORK/boot.tar" .

IMG=$WORK/el7.img
truncate -s 700M "$IMG"
printf 'label: dos\nlabel-id: 0x1f007100\nunit: sectors\n\n%s\n%s\n' \
    "start=2048, size=634880, type=83, bootable" "start=636928, type=8e" | sfdisk -q "$IMG"

# XFS as EL7's mkfs.xfs makes it: v5 (crc) without the later features.
XFS_OPTS="-q -f -m crc=1,finobt=0,rmapbt=0,reflink=0,bigtime=0,inobtcount=0 -i sparse=0"
log "XFS /boot, LVM centos/root (XFS) and centos/swap (guestfish)"
# debug sh names the disk by its label: the kernel probes disks in no fixed
# order, so /dev/sda may be the appliance's own (API calls are translated)
LIBGUESTFS_BACKEND_SETTINGS=${LIBGUESTFS_BACKEND_SETTINGS:-force_tcg} \
guestfish --rw <<EOF
add-drive $IMG format:raw label:centos
run
debug sh "udevadm settle --timeout=60; mkfs.xfs $XFS_OPTS -m uuid=$BOOT_UUID \$(readlink -f /dev/disk/guestfs/centos)1"
pvcreate /dev/sda2
vgcreate centos /dev/sda2
lvcreate swap centos 32
lvcreate-free root centos 100
mkswap-U $SWAP_UUID /dev/centos/swap
debug sh "mkfs.xfs $XFS_OPTS -m uuid=$ROOT_UUID /dev/centos/root"
mount /dev/centos/root /
tar-in $WORK/root.tar /
mount /dev/sda1 /boot
tar-in $WORK/boot.tar /boot
umount-all
vg-activate-all false
EOF

mv "$IMG" "$OUTDIR/"
printf 'nitro_kernel=%s\ninitramfs_modules=%s\n' "$KVER" "$nmods" >"$OUTDIR/expect"
fixtures_end
