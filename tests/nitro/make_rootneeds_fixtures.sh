#!/bin/bash
# Builds trees whose root needs modules from the initramfs: LVM, md RAID1,
# LUKS and plain roots, each with an initramfs made by dracut from the
# host's kernel modules (or by hand, for compressed modules under another
# directory and a missing dependency), and a volumes.json with the root's
# device stack as inspection of the disks reports it.
# Usage: make_rootneeds_fixtures.sh OUT [CACHE]
# OUT/expect records, from each initramfs's own listing, which modules it
# holds (TREE.MODULE=0|1) and what the kernels have built in, so the tests
# never assume what dracut or the kernel of the day does.
set -euo pipefail
OUT=$1
CACHE=${2:-${LIFTCHECK_CACHE:-$HOME/.cache/liftcheck}}
GEN=$(ls /lib/modules | grep -E '^[0-9].*-amd64$' | grep -v cloud | sort -V | tail -1)
[ -n "$GEN" ] && [ -f "/boot/vmlinuz-$GEN" ] || { echo "need linux-image-amd64 installed" >&2; exit 1; }
command -v dracut >/dev/null || { echo "need dracut" >&2; exit 1; }
HM=/lib/modules/$GEN
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT" "$TMP/conf.d"
: > "$TMP/dracut.conf"
EXPECT=$OUT/expect
echo "generic_release=$GEN" > "$EXPECT"

# tree NAME KVER ROOTSPEC FSTYPE CMDLINE-EXTRA: a root with one kernel
tree() {
    local r=$OUT/$1 kv=$2
    mkdir -p "$r/boot/grub" "$r/etc" "$r/usr/lib/modules/$kv"
    ln -s usr/lib "$r/lib"
    printf '%s / %s defaults 0 1\n' "$3" "$4" > "$r/etc/fstab"
    cat > "$r/boot/grub/grub.cfg" <<G
menuentry 'Linux $kv' {
	linux	/boot/vmlinuz-$kv root=$3 ro $5
	initrd	/boot/initrd.img-$kv
}
G
}

# generic TREE: the host's kernel files in it
generic() {
    local r=$OUT/$1
    cp "/boot/vmlinuz-$GEN" "/boot/config-$GEN" "$r/boot/"
    cp "$HM/modules.builtin" "$HM/modules.dep" "$r/usr/lib/modules/$GEN/"
}

# built TREE ARGS...: dracut from the host's modules
built() {
    local out=$OUT/$1/boot/initrd.img-$GEN
    shift
    dracut --quiet --force --no-hostonly --kver "$GEN" --kmoddir "$HM" --no-early-microcode \
        --conf "$TMP/dracut.conf" --confdir "$TMP/conf.d" --modules "base rootfs-block" \
        "$@" "$out"
}

# record TREE MODULE...: whether the tree's initramfs holds each module,
# from lsinitrd-like listing by cpio itself
record() {
    local t=$1 img=$OUT/$1/boot/initrd.img-$GEN listing
    shift
    listing=$( (zstd -dc "$img" 2>/dev/null || gzip -dc "$img" 2>/dev/null || xz -dc "$img") | cpio -t --quiet)
    for m in "$@"; do
        local re=${m//_/[-_]}
        if grep -qE "/${re}\.ko(\.(xz|zst|gz))?$" <<<"$listing"; then echo "$t.$m=1"; else echo "$t.$m=0"; fi
    done >> "$EXPECT"
}

# volumes TREE DEVICE TYPE STACK-JSON: the root filesystem as inspection reports it
volumes() {
    cat > "$OUT/$1/volumes.json" <<J
[{"index": 0, "path": "/disk.img", "format": "raw", "format_source": "option", "virtual_size": 1,
  "filesystems": [{"device": "$2", "type": "$3", "uuid": "$(cat /proc/sys/kernel/random/uuid)",
                   "label": null, "mountpoint": "/", "mounted": true, "mounted_at": "/",
                   "volume": 0, "volumes": [0], "stack": $4}]}]
J
}

# XFS on LVM, dracut given device-mapper: everything / needs is there
tree lvm-ok "$GEN" /dev/mapper/vg-root xfs "rd.lvm.lv=vg/root"
generic lvm-ok
built lvm-ok --zstd --filesystems xfs --add-drivers "dm-mod"
volumes lvm-ok /dev/vg/root xfs '[{"layer": "lvm", "device": "/dev/vg/root", "level": null}]'
record lvm-ok dm_mod xfs libcrc32c

# the same without device-mapper
tree lvm-nodm "$GEN" /dev/mapper/vg-root xfs "rd.lvm.lv=vg/root"
generic lvm-nodm
built lvm-nodm --gzip --filesystems xfs --omit-drivers "dm-mod dm_mod"
volumes lvm-nodm /dev/vg/root xfs '[{"layer": "lvm", "device": "/dev/vg/root", "level": null}]'
record lvm-nodm dm_mod xfs libcrc32c

# ext4 on md RAID1, md but not its raid1 personality
tree md-noraid1 "$GEN" /dev/md0 ext4 ""
generic md-noraid1
built md-noraid1 --zstd --filesystems ext4 --add-drivers "md-mod" --omit-drivers "raid1"
volumes md-noraid1 /dev/md127 ext4 '[{"layer": "md", "device": "/dev/md127", "level": "raid1"}]'
record md-noraid1 md_mod raid1 ext4 crc16 mbcache jbd2

# the same array without disks (--root): fstab names /dev/md0, whose RAID
# level only the disks tell
tree md-config "$GEN" /dev/md0 ext4 ""
generic md-config
cp "$OUT/md-noraid1/boot/initrd.img-$GEN" "$OUT/md-config/boot/"
record md-config md_mod ext4 crc16 mbcache jbd2

# XFS on LVM on LUKS, device-mapper but no dm-crypt
tree luks-nocrypt "$GEN" /dev/mapper/vg-root xfs ""
generic luks-nocrypt
built luks-nocrypt --zstd --filesystems xfs --add-drivers "dm-mod" --omit-drivers "dm-crypt dm_crypt"
volumes luks-nocrypt /dev/vg/root xfs \
    '[{"layer": "lvm", "device": "/dev/vg/root", "level": null}, {"layer": "crypt", "device": "/dev/sda2", "level": null}]'
record luks-nocrypt dm_mod dm_crypt xfs libcrc32c

# without disks (--root): fstab and the command line only; an initramfs
# made by hand with compressed modules under updates/, xfs without the
# libcrc32c it depends on
tree config-only "$GEN" /dev/mapper/vg-root xfs "rd.lvm.lv=vg/root"
generic config-only
IR=$TMP/config-only
mkdir -p "$IR/lib/modules/$GEN/updates"
echo '#!/bin/sh' > "$IR/init"
xz -c "$HM/kernel/drivers/md/dm-mod.ko" > "$IR/lib/modules/$GEN/updates/dm-mod.ko.xz"
zstd -q -c "$HM/kernel/fs/xfs/xfs.ko" > "$IR/lib/modules/$GEN/updates/xfs.ko.zst"
( cd "$IR" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) | xz --check=crc32 > "$OUT/config-only/boot/initrd.img-$GEN"
record config-only dm_mod xfs libcrc32c

# the cloud kernel (downloaded by make_fixtures.sh's rules into the cache)
# has ext4 built in: an ext4 root needs no ext4 module in the initramfs
CR=$(ls -d "$CACHE"/cloud-*-cloud-amd64 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$CR" ] && [ -d "$CR/boot" ]; then
    CV=${CR##*/cloud-}
    tree cloud-ext4 "$CV" /dev/sda1 ext4 ""
    cp "$CR/boot/vmlinuz-$CV" "$CR/boot/config-$CV" "$OUT/cloud-ext4/boot/"
    cp "$CR/lib/modules/$CV/modules.builtin" "$OUT/cloud-ext4/usr/lib/modules/$CV/"
    mkdir -p "$TMP/cloud/lib/modules"
    cp -r "$CR/lib/modules/$CV" "$TMP/cloud/lib/modules/"
    depmod -b "$TMP/cloud" "$CV"
    cp "$TMP/cloud/lib/modules/$CV/modules.dep" "$OUT/cloud-ext4/usr/lib/modules/$CV/"
    mkdir -p "$TMP/empty"; echo '#!/bin/sh' > "$TMP/empty/init"
    ( cd "$TMP/empty" && find . | cpio -o -H newc --quiet ) | gzip > "$OUT/cloud-ext4/boot/initrd.img-$CV"
    volumes cloud-ext4 /dev/sda1 ext4 '[]'
    echo "cloud_release=$CV" >> "$EXPECT"
    if grep -qE '(^|/)ext4\.ko$' "$CR/lib/modules/$CV/modules.builtin"; then
        echo "cloud.ext4_builtin=1" >> "$EXPECT"
    else
        echo "cloud.ext4_builtin=0" >> "$EXPECT"
    fi
fi
echo "root-needs fixtures in $OUT"
