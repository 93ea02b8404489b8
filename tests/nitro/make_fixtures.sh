#!/bin/bash
# Builds the Nitro scanner's fixture trees from real parts: the host's Debian
# generic kernel (nvme and ena are modules) and Debian's cloud kernel (nvme
# built in, downloaded once into the cache).  Usage: make_fixtures.sh OUT [CACHE]
# OUT/expect records what was used (kernel releases, their compression), so
# the tests take their expected values from it rather than from the archive
# of the day they were written.
set -euo pipefail
OUT=$1
CACHE=${2:-${LIFTCHECK_CACHE:-$HOME/.cache/liftcheck}}
GEN=$(ls /lib/modules | grep -E '^[0-9].*-amd64$' | grep -v cloud | sort -V | tail -1)
[ -n "$GEN" ] && [ -f "/boot/vmlinuz-$GEN" ] || { echo "need linux-image-amd64 installed" >&2; exit 1; }
# The cloud kernel of the same ABI; when the archive has moved past the host's
# kernel, the one Debian's cloud metapackage points to today.
CLOUD=${GEN%-amd64}-cloud-amd64
HM=/lib/modules/$GEN
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT" "$CACHE"

# --- the cloud kernel package, cached outside the source tree ---
# Several fixture builds may share the cache at once (the nitro and summary
# suites each build a copy): one downloads and unpacks while the others wait.
exec 9>"$CACHE/.cloud-kernel.lock"
flock 9
if [ ! -d "$CACHE/cloud-$CLOUD/boot" ] && ! ls "$CACHE"/linux-image-"$CLOUD"_*.deb >/dev/null 2>&1 &&
   ! ( cd "$CACHE" && apt-get download "linux-image-$CLOUD" ); then
    CLOUD=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/^ *Depends: linux-image-\(.*-cloud-amd64\)$/\1/p' | head -1)
    [ -n "$CLOUD" ] || { echo "no cloud kernel package found (apt-get update?)" >&2; exit 1; }
    echo "using the archive's cloud kernel $CLOUD" >&2
fi
if [ ! -d "$CACHE/cloud-$CLOUD/boot" ]; then
    ( cd "$CACHE" && { ls linux-image-"$CLOUD"_*.deb >/dev/null 2>&1 || apt-get download "linux-image-$CLOUD"; } )
    rm -rf "$CACHE/cloud-$CLOUD.tmp"
    mkdir -p "$CACHE/cloud-$CLOUD.tmp"
    dpkg-deb -x "$CACHE"/linux-image-"$CLOUD"_*.deb "$CACHE/cloud-$CLOUD.tmp"
    mv "$CACHE/cloud-$CLOUD.tmp" "$CACHE/cloud-$CLOUD"
fi
CR=$CACHE/cloud-$CLOUD
exec 9>&-

# initramfs content: a few real modules in a cpio newc archive
mkinitrd_tree() { # dir kver with_nvme
    local d=$1 kv=$2
    mkdir -p "$d/usr/lib/modules/$kv/kernel/drivers/nvme/host" \
             "$d/usr/lib/modules/$kv/kernel/drivers/net/ethernet/amazon/ena" "$d/bin" "$d/etc"
    echo "#!/bin/sh" > "$d/init"; chmod +x "$d/init"
    cp "$HM/kernel/drivers/net/ethernet/amazon/ena/ena.ko" "$d/usr/lib/modules/$kv/kernel/drivers/net/ethernet/amazon/ena/"
    if [ "$3" = 1 ]; then
        cp "$HM/kernel/drivers/nvme/host/nvme.ko" "$HM/kernel/drivers/nvme/host/nvme-core.ko" \
           "$d/usr/lib/modules/$kv/kernel/drivers/nvme/host/"
    fi
    # a module name that only looks like nvme must not count
    mkdir -p "$d/usr/lib/modules/$kv/kernel/drivers/nvmem"
    cp "$HM/kernel/drivers/net/ethernet/amazon/ena/ena.ko" "$d/usr/lib/modules/$kv/kernel/drivers/nvmem/nvmem_u-boot-env.ko"
}
# early microcode archive: synthetic bytes under the real path layout
mkearly() {
    local d=$TMP/early
    rm -rf "$d"; mkdir -p "$d/kernel/x86/microcode"
    head -c 3000 /dev/urandom > "$d/kernel/x86/microcode/GenuineIntel.bin"
    ( cd "$d" && find . | LC_ALL=C sort | cpio -o -H newc --quiet )
}
mkcpio() { ( cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ); }
compress() { # fmt < in > out
    case $1 in
        gzip) gzip -9 -n ;; xz) xz --check=crc32 -T1 ;; zstd) zstd -q -T1 -19 ;;
        lz4) lz4 -l -q -9 ;; bzip2) bzip2 -9 ;; lzma) xz --format=lzma ;; none) cat ;;
    esac
}

# --- initramfs variants ---
I=$OUT/initrds
mkdir -p "$I"
rm -rf "$TMP/with" "$TMP/without"; mkinitrd_tree "$TMP/with" "$GEN" 1; mkinitrd_tree "$TMP/without" "$GEN" 0
mkcpio "$TMP/with" > "$TMP/with.cpio"; mkcpio "$TMP/without" > "$TMP/without.cpio"
mkearly > "$TMP/early.cpio"
for c in gzip xz zstd lz4 bzip2 lzma none; do
    compress $c < "$TMP/with.cpio" > "$I/plain-$c"
    { cat "$TMP/early.cpio"; compress $c < "$TMP/with.cpio"; } > "$I/early-$c"
    { cat "$TMP/early.cpio"; compress $c < "$TMP/without.cpio"; } > "$I/early-nonvme-$c"
done
# two early archives, the second padded to 512 bytes with zeros
{ cat "$TMP/early.cpio"; cat "$TMP/early.cpio"; head -c 512 /dev/zero; compress zstd < "$TMP/with.cpio"; } > "$I/early2-zstd"
# a decompression bomb: one 600 MiB file of zeros, a few hundred KiB compressed
mkdir -p "$TMP/bomb"
( cd "$TMP/bomb" && truncate -s 600M zeros && echo zeros | cpio -o -H newc --quiet | zstd -q -T1 -3 ) > "$I/bomb-zstd"
rm -rf "$TMP/bomb"
# truncated and garbage archives
head -c 20000 "$I/early-xz" > "$I/truncated-xz"
head -c 65536 /dev/urandom > "$I/garbage"

# --- modules in every compression, and a synthetic out-of-tree ena ---
M=$OUT/modules
mkdir -p "$M"
cp "$HM/kernel/drivers/net/ethernet/amazon/ena/ena.ko" "$M/ena.ko"
gzip -9 -n -c "$M/ena.ko" > "$M/ena.ko.gz"
xz -c "$M/ena.ko" > "$M/ena.ko.xz"
zstd -q -c "$M/ena.ko" > "$M/ena.ko.zst"
# synthetic: a tiny relocatable object whose .modinfo claims another kernel
cat > "$TMP/synth.c" <<'C'
__attribute__((section(".modinfo"), used)) static const char mi[] =
    "version=2.8.1g\0license=GPL\0name=ena\0vermagic=4.18.0-80.el8.x86_64 SMP mod_unload modversions ";
int ena_synthetic_marker;
C
gcc -c -o "$M/ena-synthetic.ko" "$TMP/synth.c"
head -c 200 "$M/ena.ko" > "$M/ena-truncated.ko"

# --- root: Debian generic kernel, grub2 + grubenv, naming traps ---
R=$OUT/deb-generic
mkdir -p "$R/boot/grub" "$R/etc/udev/rules.d" "$R/etc/network" "$R/etc/default" "$R/usr/lib/modules" "$R/lib/systemd"
ln -s usr/lib "$R/lib.tmp" && rmdir "$R/lib/systemd" && rmdir "$R/lib" && mv "$R/lib.tmp" "$R/lib"
mkdir -p "$R/usr/lib/systemd" && touch "$R/usr/lib/systemd/systemd"
cp "/boot/vmlinuz-$GEN" "/boot/config-$GEN" "$R/boot/"
MD=$R/usr/lib/modules/$GEN
mkdir -p "$MD/kernel/drivers/nvme/host" "$MD/kernel/drivers/net/ethernet/amazon/ena"
cp "$HM/modules.builtin" "$HM/modules.dep" "$MD/"
cp "$HM/kernel/drivers/nvme/host/nvme.ko" "$HM/kernel/drivers/nvme/host/nvme-core.ko" "$MD/kernel/drivers/nvme/host/"
cp "$HM/kernel/drivers/net/ethernet/amazon/ena/ena.ko" "$MD/kernel/drivers/net/ethernet/amazon/ena/"
cp "$I/early-zstd" "$R/boot/initrd.img-$GEN"
# an older kernel whose initramfs lacks nvme (Debian naming)
OLD=5.10.0-30-amd64
cp "/boot/vmlinuz-$GEN" "$R/boot/vmlinuz-$OLD"
mkdir -p "$R/usr/lib/modules/$OLD/kernel/drivers/nvme/host" "$R/usr/lib/modules/$OLD/kernel/drivers/net/ethernet/amazon/ena"
sed "s/$GEN/$OLD/g" "/boot/config-$GEN" > "$R/boot/config-$OLD"
: > "$R/usr/lib/modules/$OLD/modules.builtin"
printf 'kernel/drivers/nvme/host/nvme.ko.xz: kernel/drivers/nvme/host/nvme-core.ko.xz\nkernel/drivers/nvme/host/nvme-core.ko.xz:\nkernel/drivers/net/ethernet/amazon/ena/ena.ko.xz:\n' > "$R/usr/lib/modules/$OLD/modules.dep"
xz -c "$HM/kernel/drivers/nvme/host/nvme.ko" > "$R/usr/lib/modules/$OLD/kernel/drivers/nvme/host/nvme.ko.xz"
xz -c "$HM/kernel/drivers/nvme/host/nvme-core.ko" > "$R/usr/lib/modules/$OLD/kernel/drivers/nvme/host/nvme-core.ko.xz"
xz -c "$HM/kernel/drivers/net/ethernet/amazon/ena/ena.ko" > "$R/usr/lib/modules/$OLD/kernel/drivers/net/ethernet/amazon/ena/ena.ko.xz"
cp "$I/early-nonvme-gzip" "$R/boot/initrd.img-$OLD"
cat > "$R/boot/grub/grub.cfg" <<G
if [ -s \$prefix/grubenv ]; then
  load_env
fi
if [ "\${next_entry}" ] ; then
   set default="\${next_entry}"
   set next_entry=
else
   set default="\${saved_entry}"
fi
function load_video {
  insmod all_video
}
menuentry 'Debian GNU/Linux' --class debian \$menuentry_id_option 'gnulinux-simple-1234' {
	load_video
	linux	/boot/vmlinuz-$GEN root=UUID=1234 ro quiet
	initrd	/boot/initrd.img-$GEN
}
submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-1234' {
	menuentry 'Debian GNU/Linux, with Linux $GEN' --class debian \$menuentry_id_option 'gnulinux-$GEN-advanced-1234' {
		linux	/boot/vmlinuz-$GEN root=UUID=1234 ro quiet
		initrd	/boot/initrd.img-$GEN
	}
	menuentry 'Debian GNU/Linux, with Linux $OLD' --class debian \$menuentry_id_option 'gnulinux-$OLD-advanced-1234' {
		linux	/boot/vmlinuz-$OLD root=/dev/sda1 ro console=hvc0 resume=/dev/vdb2
		initrd	/boot/initrd.img-$OLD
	}
}
G
printf '# GRUB Environment Block\nsaved_entry=gnulinux-advanced-1234>gnulinux-%s-advanced-1234\n' "$OLD" > "$R/boot/grub/grubenv"
head -c 1024 /dev/zero | tr '\0' '#' >> "$R/boot/grub/grubenv"
cat > "$R/etc/fstab" <<F
# <file system> <mount point> <type> <options> <dump> <pass>
UUID=1234 / ext4 errors=remount-ro 0 1
/dev/hda1 /boot ext2 defaults 0 2
LABEL=data /data xfs defaults 0 2
LABEL=backup /backup xfs defaults,nofail 0 2
/dev/mapper/vg0-home /home ext4 defaults,nofail 0 2
/dev/vdc1 /srv ext4 defaults,nofail 0 2
proc /proc proc defaults 0 0
/dev/nvmem0 /x auto noauto 0 0
F
printf 'cryptdata /dev/xvdf1 none luks\ncryptok UUID=5678 none luks\n' > "$R/etc/crypttab"
cat > "$R/etc/udev/rules.d/70-persistent-net.rules" <<U
# net device ()
SUBSYSTEM=="net", ACTION=="add", DRIVERS=="?*", ATTR{address}=="52:54:00:12:34:56", ATTR{dev_id}=="0x0", ATTR{type}=="1", KERNEL=="eth*", NAME="eth0"
U
printf 'auto lo\niface lo inet loopback\nallow-hotplug eth0\niface eth0 inet dhcp\n' > "$R/etc/network/interfaces"
mkdir -p "$R/etc/initramfs-tools" "$R/etc/modprobe.d"
printf 'MODULES=dep\nBUSYBOX=auto\n' > "$R/etc/initramfs-tools/initramfs.conf"
printf 'alias eth0 xennet\nalias scsi_hostadapter xenblk\n' > "$R/etc/modprobe.d/xen.conf"
mkdir -p "$R/var/lib/aws-replication-agent"
cp "$I/early-gzip" "$R/boot/aws-launch-initramfs-$GEN.img"
cp "/boot/vmlinuz-$GEN" "$R/boot/aws-launch-vmlinuz-$GEN"

# --- root: RHEL-family naming, cloud kernel (nvme built in), BLS, DKMS ena ---
R=$OUT/rhel-cloud
KV=$CLOUD
mkdir -p "$R/boot/grub2" "$R/boot/loader/entries" "$R/lib/modules/$KV" "$R/etc/sysconfig/network-scripts" \
         "$R/etc/lvm/devices" "$R/etc/dracut.conf.d" "$R/usr/lib/systemd" "$R/etc/NetworkManager/system-connections"
touch "$R/usr/lib/systemd/systemd"
cp "$CR/boot/vmlinuz-$KV" "$R/lib/modules/$KV/vmlinuz"
cp "$CR/boot/config-$KV" "$R/lib/modules/$KV/config"
cp "$CR/lib/modules/$KV/modules.builtin" "$R/lib/modules/$KV/"
mkdir -p "$R/lib/modules/$KV/updates"
cp "$M/ena-synthetic.ko" "$R/lib/modules/$KV/updates/ena.ko"
cp "$I/early-xz" "$R/boot/initramfs-$KV.img"
printf 'set default="${saved_entry}"\ninsmod blscfg\nblscfg\n' > "$R/boot/grub2/grub.cfg"
printf '# GRUB Environment Block\nsaved_entry=abc-%s\nkernelopts=root=/dev/mapper/rl-root ro crashkernel=auto nvme_core.io_timeout=4294967295 net.ifnames=0\n' "$KV" > "$R/boot/grub2/grubenv"
printf 'title Rocky Linux (%s)\nversion %s\nlinux /vmlinuz-%s\ninitrd /initramfs-%s.img\noptions $kernelopts\n' "$KV" "$KV" "$KV" "$KV" > "$R/boot/loader/entries/abc-$KV.conf"
printf 'title Rocky Linux (0-rescue)\nversion 0\nlinux /vmlinuz-0-rescue-abc\noptions root=/dev/sda2\n' > "$R/boot/loader/entries/abc-0-rescue.conf"
printf 'DEVICE=eth0\nBOOTPROTO=dhcp\nHWADDR="52:54:00:ab:cd:ef"\nONBOOT=yes\n' > "$R/etc/sysconfig/network-scripts/ifcfg-eth0"
printf '[connection]\nid=Wired\ninterface-name=eth0\n[ethernet]\nmac-address=52:54:00:AB:CD:EF\n' > "$R/etc/NetworkManager/system-connections/Wired.nmconnection"
printf 'hostonly="yes"\n' > "$R/etc/dracut.conf.d/hostonly.conf"
echo "# devices" > "$R/etc/lvm/devices/system.devices"
printf '/dev/mapper/rl-root / xfs defaults 0 0\nUUID=aa /boot xfs defaults 0 0\n' > "$R/etc/fstab"

# --- root: kernel image is the only evidence (no config, no modules.builtin) ---
R=$OUT/vmlinuz-only
mkdir -p "$R/boot" "$R/lib/modules/$CLOUD" "$R/lib/modules/$GEN"
cp "$CR/boot/vmlinuz-$CLOUD" "/boot/vmlinuz-$GEN" "$R/boot/"
# the host's System.map-like file and a config that mention only nvmem
printf 'ffffffff81000000 T nvmem_register\nffffffff81000100 T nvmem_device_read\n' > "$R/boot/System.map-$GEN"

R=$OUT/nvmem-only
mkdir -p "$R/boot" "$R/lib/modules/$GEN"
cp "/boot/vmlinuz-$GEN" "$R/boot/"
printf 'CONFIG_NVMEM=y\nCONFIG_NVMEM_SYSFS=y\n# CONFIG_BLK_DEV_NVME is not set\n' > "$R/boot/config-$GEN"
printf 'ffffffff81000000 T nvmem_register\n' > "$R/boot/System.map-$GEN"
printf 'kernel/drivers/nvmem/nvmem_core.ko\n' > "$R/lib/modules/$GEN/modules.builtin"

# --- root: SUSE naming, GRUB legacy, 32-bit-looking config ---
R=$OUT/suse-legacy
mkdir -p "$R/boot/grub" "$R/lib/modules/$GEN/kernel/drivers/nvme/host" "$R/etc/sysconfig/network"
cp "/boot/vmlinuz-$GEN" "$R/boot/vmlinuz-$GEN"
cp "/boot/vmlinuz-$GEN" "$R/boot/vmlinuz-2.6.16-xenpv"
printf 'CONFIG_X86_64_XEN=y\nCONFIG_BLK_DEV_NVME=y\n' > "$R/boot/config-2.6.16-xenpv"
cp "/boot/config-$GEN" "$R/boot/"
cp "$HM/modules.builtin" "$R/lib/modules/$GEN/"
cp "$HM/kernel/drivers/nvme/host/nvme.ko" "$R/lib/modules/$GEN/kernel/drivers/nvme/host/"
cp "$I/early-nonvme-lz4" "$R/boot/initrd-$GEN"
cat > "$R/boot/grub/menu.lst" <<L
# Modified by YaST2.
default 1
timeout 8
title SUSE Linux Enterprise Server 11 - xenpv
    root (hd0,1)
    kernel /boot/vmlinuz-2.6.16-xenpv root=/dev/sda2 console=xvc0
title SUSE Linux Enterprise Server 11 - $GEN
    root (hd0,1)
    kernel (hd0,1)/boot/vmlinuz-$GEN root=/dev/disk/by-id/ata-disk-part2 resume=/dev/sda1 splash=silent
    initrd /boot/initrd-$GEN
L
printf "BOOTPROTO='dhcp'\nLLADDR='52:54:00:00:00:01'\nSTARTMODE='auto'\n" > "$R/etc/sysconfig/network/ifcfg-eth0"

# --- roots: grub legacy entries whose initrd lines name other images than the
# kernel's usual initramfs, paths relative to a separate /boot (root (hd0,0)) ---
# entry-initrd: the default entry loads a rebuilt image with nvme; the image
# of the usual name lacks it.  entry-initrd-gone: the default entry names an
# image that is not there; the one of the usual name has nvme.
for variant in entry-initrd entry-initrd-gone; do
    R=$OUT/$variant
    mkdir -p "$R/boot/grub" "$R/lib/modules/$GEN/kernel/drivers/nvme/host"
    cp "/boot/vmlinuz-$GEN" "/boot/config-$GEN" "$R/boot/"
    cp "$HM/modules.builtin" "$R/lib/modules/$GEN/"
    cp "$HM/kernel/drivers/nvme/host/nvme.ko" "$R/lib/modules/$GEN/kernel/drivers/nvme/host/"
    if [ $variant = entry-initrd ]; then
        cp "$I/early-nonvme-gzip" "$R/boot/initramfs-$GEN.img"
        cp "$I/early-gzip" "$R/boot/initramfs-$GEN-rebuilt.img"
    else
        cp "$I/early-gzip" "$R/boot/initramfs-$GEN.img"
    fi
    printf 'default=0\ntitle A\n\troot (hd0,0)\n\tkernel /vmlinuz-%s ro root=UUID=aa\n\tinitrd /initramfs-%s-rebuilt.img\ntitle B\n\tkernel /vmlinuz-%s ro root=UUID=aa\n\tinitrd /initramfs-%s.img\n' \
        "$GEN" "$GEN" "$GEN" "$GEN" > "$R/boot/grub/grub.conf"
done

# --- root: netplan and networkd matching MACs, cloud-init present ---
R=$OUT/netplan
mkdir -p "$R/etc/netplan" "$R/etc/systemd/network" "$R/etc/cloud" "$R/lib/systemd"
touch "$R/lib/systemd/systemd" "$R/etc/cloud/cloud.cfg"
cat > "$R/etc/netplan/50-cloud-init.yaml" <<N
network:
    version: 2
    ethernets:
        eth0:
            dhcp4: true
            match:
                macaddress: 52:54:00:11:22:33
            set-name: eth0
N
printf '[Match]\nMACAddress=52:54:00:44:55:66\n[Link]\nName=lan0\n' > "$R/etc/systemd/network/10-lan.link"

# --- root: nothing at all ---
mkdir -p "$OUT/empty/etc"

# --- what the fixtures were built from, for the tests to expect ---
kernel_compression() { # config file: the compression of the kernel image it built
    sed -n 's/^CONFIG_KERNEL_\(GZIP\|BZIP2\|LZMA\|XZ\|LZO\|LZ4\|ZSTD\)=y$/\1/p' "$1" | tr 'A-Z' 'a-z'
}
cat > "$OUT/expect" <<X
generic_release=$GEN
generic_compression=$(kernel_compression "/boot/config-$GEN")
cloud_release=$CLOUD
cloud_compression=$(kernel_compression "$CR/boot/config-$CLOUD")
old_release=$OLD
X
