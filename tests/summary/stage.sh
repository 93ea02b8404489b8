#!/bin/bash
# Stages the server trees the summary test inspects with `liftcheck --root`,
# from the Nitro fixtures (tests/nitro/make_fixtures.sh: the host's Debian
# kernel and modules) and the application tree (tests/apps/stage.sh):
#   ready01  a Debian 12 server that boots on Nitro (DHCP on en*), with applications
#   net01    the same, its network bound to VMware's ens192: one blocker
#   web01    deb-generic: many blockers, net01's among them
#   db01     rhel-cloud: blockers and a kernel-module application
#   old01    nvmem-only: no NVMe and no ENA driver (blocked)
#   ena01    vmlinuz-only: no ENA driver, its only blocker
# Usage: stage.sh NITRO_FIXTURES APPS_STAGE_SH OUT
set -euo pipefail
F=${1:?usage: stage.sh NITRO_FIXTURES APPS_STAGE_SH OUT}
APPS=${2:?}
OUT=${3:?}
GEN=$(ls /lib/modules | grep -E '^[0-9].*-amd64$' | grep -v cloud | sort -V | tail -1)
HM=/lib/modules/$GEN
rm -rf "$OUT"
mkdir -p "$OUT"

os_release() { # dir hostname
    mkdir -p "$1/etc"
    printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' \
        > "$1/etc/os-release"
    echo "$2" > "$1/etc/hostname"
}

# ready01: the default kernel has nvme and ena as modules, nvme in its
# initramfs; root named by UUID; nothing pinned to a MAC.
R=$OUT/ready01
bash "$APPS" "$OUT/apps" > /dev/null
cp -a "$OUT/apps/root" "$R"
MD=$R/usr/lib/modules/$GEN
mkdir -p "$R/boot/grub" "$MD/kernel/drivers/nvme/host" "$MD/kernel/drivers/net/ethernet/amazon/ena"
[ -e "$R/lib" ] || ln -s usr/lib "$R/lib"
cp "/boot/vmlinuz-$GEN" "/boot/config-$GEN" "$R/boot/"
cp "$HM/modules.builtin" "$HM/modules.dep" "$MD/"
cp "$HM/kernel/drivers/nvme/host/nvme.ko" "$HM/kernel/drivers/nvme/host/nvme-core.ko" \
   "$MD/kernel/drivers/nvme/host/"
cp "$HM/kernel/drivers/net/ethernet/amazon/ena/ena.ko" "$MD/kernel/drivers/net/ethernet/amazon/ena/"
# its initramfs: the fixtures' (microcode, nvme, ena), then an archive with
# the ext4 module the root needs and what modules.dep says it depends on
RT=$(mktemp -d)
for m in $(sed -n 's|^\(kernel/fs/ext4/ext4\.ko[^:]*\):\(.*\)|\1 \2|p' "$HM/modules.dep"); do
    mkdir -p "$RT/usr/lib/modules/$GEN/$(dirname "$m")"
    cp "$HM/$m" "$RT/usr/lib/modules/$GEN/$m"
done
{ cat "$F/initrds/early-zstd"
  ( cd "$RT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) | zstd -q -T1; } > "$R/boot/initrd.img-$GEN"
rm -rf "$RT"
printf "menuentry 'Debian GNU/Linux' {\n\tlinux /boot/vmlinuz-%s root=UUID=1234 ro quiet\n\tinitrd /boot/initrd.img-%s\n}\n" \
    "$GEN" "$GEN" > "$R/boot/grub/grub.cfg"
printf 'UUID=1234 / ext4 errors=remount-ro 0 1\n' > "$R/etc/fstab"
mkdir -p "$R/etc/systemd/network"
printf '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n' > "$R/etc/systemd/network/50-dhcp.network"
os_release "$R" ready01
rm -rf "$OUT/apps"

# net01: ready01's boot; its only network config names VMware's ens192, and a
# persistent-net rule pins eth0 to the old MAC.
R=$OUT/net01
mkdir -p "$R"
cp -a "$OUT/ready01/boot" "$OUT/ready01/usr" "$OUT/ready01/lib" "$R/"
mkdir -p "$R/etc/udev/rules.d"
cp "$OUT/ready01/etc/fstab" "$R/etc/"
mkdir -p "$R/etc/systemd/network"
printf '[Match]\nName=ens192\n\n[Network]\nDHCP=yes\n' > "$R/etc/systemd/network/50-ens192.network"
os_release "$R" net01
printf 'SUBSYSTEM=="net", ACTION=="add", ATTR{address}=="52:54:00:12:34:56", KERNEL=="eth*", NAME="eth0"\n' \
    > "$R/etc/udev/rules.d/70-persistent-net.rules"

for pair in web01:deb-generic db01:rhel-cloud old01:nvmem-only ena01:vmlinuz-only; do
    cp -a "$F/${pair#*:}" "$OUT/${pair%%:*}"
    os_release "$OUT/${pair%%:*}" "${pair%%:*}"
done
# ena01's only blocker is the missing ENA driver: its network comes up by DHCP.
cp -a "$OUT/ready01/etc/systemd" "$OUT/ena01/etc/"
