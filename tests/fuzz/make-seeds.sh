#!/bin/bash
# Regenerates the seed inputs of tests/fuzz/corpus/ from real files of this
# host (kernel header, os-release, fstab), real archives made with each
# compressor and a real module object built with gcc.  Regression inputs
# (regress-*) and the hand-written seeds are never touched: generated files
# are the ones named gen-*.  Usage: make-seeds.sh [CORPUS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/corpus}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for t in bzimage decompress cpio modinfo grub boot cmdline fstab os_release network utf8 nitro elf elf_scan elf_tables snapshot render; do
    mkdir -p "$out/$t"
    find "$out/$t" -type f -name 'gen-*' -delete
done

# ---- a small initramfs-like tree, archived as newc cpio ----
mkdir -p "$work/root/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/nvme/host" \
         "$work/root/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/net/ethernet/amazon/ena" \
         "$work/root/etc" "$work/root/bin" "$work/early/kernel/x86/microcode"
printf 'nvme\n' > "$work/root/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/nvme/host/nvme.ko"
printf 'ena\n' > "$work/root/usr/lib/modules/6.1.0-56-amd64/kernel/drivers/net/ethernet/amazon/ena/ena.ko.xz"
printf 'kernel/drivers/nvme/host/nvme-core.ko\n' > "$work/root/usr/lib/modules/6.1.0-56-amd64/modules.builtin"
cp /etc/os-release "$work/root/etc/os-release"
ln -s usr/lib "$work/root/lib"
printf '#!/bin/sh\n' > "$work/root/init"
printf 'GenuineIntel microcode' > "$work/early/kernel/x86/microcode/GenuineIntel.bin"
(cd "$work/root" && find . | sort | cpio -o -H newc --quiet) > "$work/main.cpio"
(cd "$work/early" && find . | sort | cpio -o -H newc --quiet) > "$work/early.cpio"

# comp enum order of scanners/nitro/nitro_int.h
declare -A code=([none]=0 [gzip]=1 [bzip2]=2 [lzma]=3 [xz]=4 [lzo]=5 [lz4]=6 [lz4f]=7 [zstd]=8)
compress() { # format < in > out, as the kernel's tools make them
    case $1 in
        gzip) gzip -9nc ;; bzip2) bzip2 -9c ;; lzma) lzma -9c ;;
        xz) xz --check=crc32 -9c ;; lzo) lzop -9c ;; lz4) lz4 -l -9 -q -c ;;
        lz4f) lz4 -9 -q -c ;; zstd) zstd -19 -q -c ;;
    esac
}

# ---- cpio: piece-size byte + archive; early cpio + compressed main ----
printf '\x0f' | cat - "$work/main.cpio" > "$out/cpio/gen-plain.cpio"
printf '\xff' | cat - "$work/early.cpio" "$work/main.cpio" > "$out/cpio/gen-two-archives.cpio"
for f in gzip bzip2 lzma xz lzo lz4 lz4f zstd; do
    compress $f < "$work/main.cpio" > "$work/main.$f"
    { printf '\x3f'; cat "$work/early.cpio"; head -c 512 /dev/zero; cat "$work/main.$f"; } \
        > "$out/cpio/gen-early+$f.img"
    # decompress: format byte, stop byte, stream
    { printf "\\x$(printf %02x ${code[$f]})\\x00"; cat "$work/main.$f"; } > "$out/decompress/gen-$f"
done
{ printf '\xff\x01'; cat "$work/main.gzip"; } > "$out/decompress/gen-detect-gzip-stop"
{ printf '\x01\x00'; head -c 200 "$work/main.gzip"; } > "$out/decompress/gen-truncated-gzip"
# a small bomb: 8 MiB of zeros, far past the harness cap
head -c 8388608 /dev/zero | zstd -19 -q -c | { printf '\x08\x00'; cat; } > "$out/decompress/gen-bomb-zstd"
head -c 16384 /boot/initrd.img-* 2>/dev/null | head -c 16384 | { printf '\x01'; cat; } \
    > "$out/cpio/gen-host-initrd-head" || true

# ---- bzImage: the host kernel's first 16 KB, and a minimal image whose
# payload (a tiny ELF head plus built-in parameter names) each tool packs ----
vmlinuz=$(ls /boot/vmlinuz-* 2>/dev/null | head -n1)
if [ -n "$vmlinuz" ]; then
    head -c 16384 "$vmlinuz" > "$out/bzimage/gen-host-vmlinuz-head"
    head -c 1024 "$vmlinuz" > "$work/hdr"
fi
$py - "$work/vmlinux" <<'PY'
import sys, struct
elf = bytearray(64)
elf[0:4] = b"\x7fELF"; elf[4] = 2; elf[5] = 1; elf[6] = 1
struct.pack_into("<HH", elf, 16, 2, 62)
body = bytes(elf) + b"\0nvme.io_timeout\0nvme_core.io_timeout\0ena.debug\0" + b"\0" * 64
open(sys.argv[1], "wb").write(body)
PY
for f in gzip xz zstd lz4 bzip2 lzma lzo; do
    compress $f < "$work/vmlinux" > "$work/payload.$f"
    [ -f "$work/hdr" ] || continue
    $py - "$work/hdr" "$work/payload.$f" "$out/bzimage/gen-mini-$f" <<'PY'
import sys, struct
hdr = bytearray(open(sys.argv[1], "rb").read()[:1024])
payload = open(sys.argv[2], "rb").read()
hdr[0x1f1] = 1                               # setup_sects: 1 -> setup is 1024 bytes
ver = b"6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP\0"
hdr[0x300:0x300 + len(ver)] = ver
struct.pack_into("<H", hdr, 0x20e, 0x100)    # version string at 0x200 + 0x100
struct.pack_into("<II", hdr, 0x248, 0, len(payload))
open(sys.argv[3], "wb").write(bytes(hdr) + payload)
PY
done
printf 'x\0nvme.io_queue_depth\0nvme_core.admin_timeout\0ena.debug\0' > "$out/bzimage/gen-vmlinux-strings"

# ---- modinfo: a real relocatable object with a .modinfo section ----
cat > "$work/mod.c" <<'C'
static const char modinfo[] __attribute__((section(".modinfo"), used, aligned(1))) =
    "version=2.8.1g\0license=GPL\0description=Elastic Network Adapter (ENA)\0"
    "srcversion=8E1F3A3F0C1B5C1D1B6A7E2\0alias=pci:v00001D0Fd0000EC20sv*sd*bc*sc*i*\0"
    "depends=\0retpoline=Y\0intree=Y\0name=ena\0"
    "vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions \0";
int ena_probe(void) { return 0; }
C
gcc -c -O2 -o "$work/ena.ko" "$work/mod.c"
cp "$work/ena.ko" "$out/modinfo/gen-ena.ko"
xz --check=crc32 -c "$work/ena.ko" > "$out/modinfo/gen-ena.ko.xz"
zstd -q -c "$work/ena.ko" > "$out/modinfo/gen-ena.ko.zst"
gzip -nc "$work/ena.ko" > "$out/modinfo/gen-ena.ko.gz"
# the same section added afterwards with objcopy, as out-of-tree builds can
printf 'int nvme_dummy(void) { return 1; }\n' > "$work/plain.c"
gcc -c -O2 -o "$work/plain.o" "$work/plain.c"
printf 'name=nvme\0vermagic=5.10.0-8-amd64 SMP mod_unload modversions \0version=1.0\0' > "$work/mi"
objcopy --add-section .modinfo="$work/mi" --set-section-flags .modinfo=alloc,readonly \
    "$work/plain.o" "$out/modinfo/gen-nvme-objcopy.ko"
gcc -m32 -c -O2 -o "$out/modinfo/gen-ena32.ko" "$work/mod.c" 2>/dev/null || true

# ---- elf: small real binaries (dynamic executable, shared object, object) ----
cat > "$work/hello.c" <<'C'
#include <stdio.h>
#include <math.h>
int main(int argc, char **argv) { printf("%s %f\n", argv[0], sqrt(argc)); return 0; }
C
gcc -O2 -o "$work/hello" "$work/hello.c" -lm -Wl,-rpath,/opt/app/lib
strip "$work/hello" && cp "$work/hello" "$out/elf/gen-hello-dyn"
gcc -O2 -shared -fPIC -Wl,-soname,libdemo.so.1 -o "$work/libdemo.so" "$work/plain.c"
strip "$work/libdemo.so" && cp "$work/libdemo.so" "$out/elf/gen-libdemo.so.1"
gcc -O2 -no-pie -o "$work/hello-nopie" "$work/hello.c" -lm
strip "$work/hello-nopie" && cp "$work/hello-nopie" "$out/elf/gen-hello-nopie"
cp "$work/ena.ko" "$out/elf/gen-ena.ko"
# a static program without libc: a few raw syscalls for the syscall scan
cat > "$work/tiny.c" <<'C'
void _start(void)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(39L) : "rcx", "r11", "memory");       /* getpid */
    __asm__ volatile("syscall" : "=a"(r) : "a"(318L), "D"(0L), "S"(0L), "d"(0L)
                     : "rcx", "r11", "memory");                                    /* getrandom */
    __asm__ volatile("syscall" : : "a"(60L), "D"(r) : "rcx", "r11", "memory");     /* exit */
    for (;;) ;
}
C
gcc -O2 -static -nostdlib -fno-asynchronous-unwind-tables -o "$work/tiny" "$work/tiny.c"
strip "$work/tiny" && cp "$work/tiny" "$out/elf/gen-static-tiny"
# elf_tables: the syscall sweep's static program, and a dynamic one that
# imports kernel-interface wrappers (iopl, ioperm)
cp "$work/tiny" "$out/elf_tables/gen-static-tiny"
cat > "$work/ports.c" <<'C'
#include <sys/io.h>
int main(void) { return iopl(3) + ioperm(0x378, 3, 1); }
C
gcc -O2 -o "$work/ports" "$work/ports.c" && strip "$work/ports" &&
    cp "$work/ports" "$out/elf_tables/gen-ports-dyn"

# ---- text inputs: the host's own files and real-world config formats ----
cp /etc/os-release "$out/os_release/gen-host-os-release"
cp /etc/fstab "$out/fstab/gen-host-fstab"
[ -r /proc/cmdline ] && cp /proc/cmdline "$out/cmdline/gen-host-proc-cmdline"

# ---- the whole-scan tree: kernel, initramfs, modules, boot and disk config ----
if [ -f "$out/bzimage/gen-mini-gzip" ]; then
    {
        printf '==> /boot/vmlinuz-6.1.0-56-amd64 <==\n'; cat "$out/bzimage/gen-mini-gzip"; printf '\n'
        printf '==> /boot/initrd.img-6.1.0-56-amd64 <==\n'; cat "$work/main.gzip"; printf '\n'
        printf '==> /boot/config-6.1.0-56-amd64 <==\nCONFIG_BLK_DEV_NVME=m\nCONFIG_NVME_CORE=y\nCONFIG_ENA_ETHERNET=m\n'
        printf '==> /lib/modules/6.1.0-56-amd64/modules.builtin <==\nkernel/drivers/nvme/host/nvme-core.ko\n'
        printf '==> /lib/modules/6.1.0-56-amd64/kernel/drivers/nvme/host/nvme.ko <==\n'; cat "$work/ena.ko"; printf '\n'
        printf '==> /lib/modules/6.1.0-56-amd64/kernel/drivers/net/ethernet/amazon/ena/ena.ko.xz <==\n'
        cat "$out/modinfo/gen-ena.ko.xz"; printf '\n'
        printf '==> /vmlinuz -> boot/vmlinuz-6.1.0-56-amd64 <==\n'
        printf '==> /lib/systemd/systemd <==\n\n'
        cat "$out/boot/grub2-debian"
        cat "$out/network/ifupdown-eth0"
        printf '==> /etc/fstab <==\n'; cat /etc/fstab
        printf '/dev/xvdb1 /data ext4 defaults 0 2\n'
    } > "$out/nitro/gen-debian-tree"
fi
# ---- the root's needs: a stack from the disks (LVM on LUKS on RAID5), the
# root modules in config, modules.builtin and modules.dep, an initramfs
# (uncompressed newc) holding some of them compressed; and a tree without
# disks whose fstab and command line say what they can ----
K=6.1.0-56-amd64
mkdir -p "$work/rn/usr/lib/modules/$K/kernel/drivers/md" "$work/rn/usr/lib/modules/$K/updates"
printf 'dm\n' > "$work/rn/usr/lib/modules/$K/kernel/drivers/md/dm-mod.ko.xz"
printf 'xfs\n' > "$work/rn/usr/lib/modules/$K/updates/xfs.ko.zst"
printf 'r5\n' > "$work/rn/usr/lib/modules/$K/kernel/drivers/md/raid456.ko"
(cd "$work/rn" && find . | sort | cpio -o -H newc --quiet) > "$work/rn.cpio"
rootneeds_kernel() {
    printf '==> /boot/vmlinuz-%s <==\n\n' "$K"
    printf '==> /boot/config-%s <==\nCONFIG_BLK_DEV_DM=m\nCONFIG_DM_CRYPT=m\nCONFIG_BLK_DEV_MD=y\nCONFIG_MD_RAID456=m\nCONFIG_XFS_FS=m\nCONFIG_EXT4_FS=y\n' "$K"
    printf '==> /lib/modules/%s/modules.builtin <==\nkernel/drivers/md/md-mod.ko\nkernel/fs/ext4/ext4.ko\n' "$K"
    printf '==> /lib/modules/%s/modules.dep <==\n' "$K"
    printf 'kernel/fs/xfs/xfs.ko.zst: kernel/lib/libcrc32c.ko.zst\n'
    printf 'kernel/drivers/md/raid456.ko: kernel/crypto/xor.ko kernel/lib/raid6/raid6_pq.ko\n'
    printf 'kernel/drivers/md/dm-crypt.ko.xz: kernel/drivers/md/dm-mod.ko.xz\nkernel/drivers/md/dm-mod.ko.xz:\n'
    printf '==> /boot/initramfs-%s.img <==\n' "$K"; cat "$work/rn.cpio"; printf '\n'
    printf '==> /boot/grub2/grub.cfg <==\nmenuentry "Linux" {\n\tlinux16 /vmlinuz-%s root=%s ro %s\n\tinitrd16 /initramfs-%s.img\n}\n' \
        "$K" "$1" "$2" "$K"
}
{
    printf '==> /.volumes <==\n'
    printf '[{"index": 0, "format": "raw", "filesystems": [{"device": "/dev/vg/root", "type": "xfs", '
    printf '"mountpoint": "/", "stack": [{"layer": "lvm", "device": "/dev/vg/root", "level": null}, '
    printf '{"layer": "crypt", "device": "/dev/md127", "level": null}, '
    printf '{"layer": "md", "device": "/dev/md127", "level": "raid5"}]}]}]\n'
    rootneeds_kernel /dev/mapper/vg-root "rd.lvm.lv=vg/root"
    printf '==> /etc/fstab <==\n/dev/mapper/vg-root / xfs defaults 0 0\n'
} > "$out/nitro/gen-rootneeds-lvm-luks-md"
{
    rootneeds_kernel /dev/md0 "rd.md.uuid=1:2:3:4 rd.luks.uuid=luks-5"
    printf '==> /etc/fstab <==\n/dev/md0 / ext3 defaults 0 0\n'
} > "$out/nitro/gen-rootneeds-config-only"

# ---- the ELF inventory tree: binaries, ld.so.conf, dpkg and apk databases ----
{
    printf '==> /usr/bin/hello <==\n'; cat "$work/hello"; printf '\n'
    printf '==> /usr/lib/x86_64-linux-gnu/libdemo.so.1 <==\n'; cat "$work/libdemo.so"; printf '\n'
    printf '==> /usr/lib/x86_64-linux-gnu/libdemo.so -> libdemo.so.1 <==\n'
    printf '==> /bin -> usr/bin <==\n'
    printf '==> /opt/app/bin/tool <==\n'; cat "$work/hello-nopie"; printf '\n'
    printf '==> /opt/tool/bin/static-tool <==\n'; cat "$work/tiny"; printf '\n'
    printf '==> /etc/ld.so.conf <==\ninclude /etc/ld.so.conf.d/*.conf\n'
    printf '==> /etc/ld.so.conf.d/x86_64-linux-gnu.conf <==\n# Multiarch support\n/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n'
    printf '==> /var/lib/dpkg/status <==\nPackage: demo\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n\nPackage: libdemo1\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\nVersion: 1.0-1\n'
    printf '==> /var/lib/dpkg/info/demo.list <==\n/.\n/usr\n/usr/bin\n/usr/bin/hello\n'
    printf '==> /var/lib/dpkg/info/libdemo1:amd64.list <==\n/usr/lib/x86_64-linux-gnu/libdemo.so.1\n'
    printf '==> /var/lib/dpkg/diversions <==\n/usr/bin/hello\n/usr/bin/hello.distrib\ndemo\n'
} > "$out/elf_scan/gen-debian-tree"
{
    printf '==> /usr/bin/hello <==\n'; cat "$work/hello"; printf '\n'
    printf '==> /etc/ld-musl-x86_64.path <==\n/lib:/usr/local/lib:/usr/lib\n'
    printf '==> /lib/apk/db/installed <==\nC:Q1abc=\nP:hello\nV:1.0-r0\nA:x86_64\nF:usr/bin\nR:hello\nZ:Q1def=\n\n'
} > "$out/elf_scan/gen-alpine-tree"
# ---- a lived-in tree: module loaders, an installed kernel, caches, homes ----
entry() { printf '==> %s <==\n' "$1"; cat "$2"; printf '\n'; }
{
    printf '==> /boot/vmlinuz-6.1.0-9 <==\n\n'
    printf '==> /lib/modules/6.1.0-9/modules.dep <==\nkernel/fs/ext4.ko: kernel/fs/jbd2.ko\nextra/vendor.ko:\n'
    printf '==> /lib/modules/6.1.0-9/modules.builtin <==\nkernel/drivers/block/loop.ko\n'
    entry /lib/modules/6.1.0-9/extra/vendor.ko "$work/ena.ko"
    entry /root/backup/lib/modules/6.1.0-9/kernel/fs/ext4.ko "$work/ena.ko"
    entry /tmp/x/lctmp.ko "$work/ena.ko"
    entry /srv/drv/lcload.ko "$work/ena.ko"
    entry /root/.cache/pip/tool "$work/hello-nopie"
    printf '==> /home/dev/proj/target/CACHEDIR.TAG <==\nSignature: 8a477f597d28d172789f06886806bc55\n'
    entry /home/dev/proj/target/app "$work/hello-nopie"
    entry /home/dev/proj/bin/app "$work/hello-nopie"
    entry /u01/app/db/bin/dbd "$work/hello-nopie"
    entry /u01/src/out/bin/t "$work/hello-nopie"
    printf '==> /u01/src/.git <==\ngitdir: /elsewhere\n'
    entry /usr/sap/LC1/SYS/exe/run/dw "$work/hello-nopie"
    entry /old_root/usr/bin/t "$work/hello-nopie"
    printf '==> /old_root/etc/hostname <==\nold\n==> /old_root/var/log/x <==\n\n'
    printf '==> /etc/systemd/system/multi-user.target.wants/drv.service -> ../drv.service <==\n'
    printf '==> /etc/rc2.d/S20lc -> ../init.d/lc <==\n==> /etc/init.d/lc <==\n#!/bin/sh\n/u01/app/db/bin/dbd\n'
    printf '==> /etc/inittab <==\nid:3:initdefault:\nx:2345:respawn:/u01/app/db/bin/dbd -f\n::::\n'
    printf '==> /etc/init/lc.conf <==\nexec /u01/app/db/bin/dbd\n==> /etc/xinetd.d/lc <==\nserver = /u01/app/db/bin/dbd\n'
    printf '==> /etc/passwd <==\nroot:x:0:0:root:/root:/bin/bash\napp:x:999:999::/srv/drv:/bin/sh\nbad:x\n'
    printf '==> /etc/modprobe.d/vendor.conf <==\ninstall vendor /sbin/modprobe --ignore-install vendor; /sbin/insmod /tmp/x/lctmp.ko\n'
    printf 'alias pci:v* lcload\noptions lcload debug=1\nsoftdep lcload pre: ext4 post: vendor\ninstall usb_storage /bin/false\nblacklist pcspkr\n'
    printf '==> /etc/modules-load.d/x.conf <==\n# boot\nlcload\n; comment\next4\n'
    printf '==> /etc/modules <==\nloop\n'
    printf '==> /etc/rc.d/rc.local <==\n#!/bin/sh\n[ -x /sbin/modprobe ] && modprobe -a -C /etc/x lcload vendor $X\ninsmod /tmp/x/lctmp.ko arg=1 # load\n'
    printf '==> /etc/rc.local -> rc.d/rc.local <==\n'
    printf '==> /etc/systemd/system/drv.service <==\n[Service]\nExecStartPre=/sbin/modprobe lcload\nExecStart=/srv/drv/run\n'
} > "$out/elf_scan/gen-lived-in-tree"
# ---- file-tree snapshots, as the appliance-side probe writes them ----
probe=${PROBE:-$here/../../build/probe/liftcheck-probe}
if [ -x "$probe" ]; then
    mkdir -p "$work/snap/usr/bin" "$work/snap/opt/app/lib" "$work/snap/etc"
    cp "$work/hello" "$work/snap/usr/bin/hello"
    cp "$work/libdemo.so" "$work/snap/opt/app/lib/libdemo.so.1"
    ln -s libdemo.so.1 "$work/snap/opt/app/lib/libdemo.so"
    ln -s usr/bin "$work/snap/bin"
    printf 'PRETTY_NAME="Demo"\n' > "$work/snap/etc/os-release"
    "$probe" "$work/snap" "$out/snapshot/gen-small-tree" 0 1000000 >/dev/null
    # A file mapped on the raw disk the fuzzer gives ('D' and 'X' records):
    # two extents with a hole between them.
    "$py" - "$out/snapshot/gen-extents" <<'PY'
import struct, sys
name = b"/mapped\0"
entry = struct.pack("<BBHHHI4xQQQQq", ord("E"), 0, len(name), 0, 0, 0o100755, 20000, 12, 1, 1, 0) + name
disk = struct.pack("<B7x32sQ16s", ord("D"), b"lcdiska", 0, bytes(16))
ext = struct.pack("<B3xIIIQ", ord("X"), 2, 0, 0, 0)
ext += struct.pack("<QQQ", 0, 4096, 4096) + struct.pack("<QQQ", 12288, 32768, 8192)
payload = entry + disk + ext
header = bytearray(4096)
header[:8] = b"LCSNAP03"
struct.pack_into("<QQQII", header, 8, len(payload), 1, 0, 1, 0)
open(sys.argv[1], "wb").write(bytes(header) + payload)
PY
else
    echo "no $probe: snapshot seeds not regenerated (build first)" >&2
fi
# ---- saved reports, as `liftcheck render` reads them ----
# The reports of tests/reports/data cut to size (every array to 3 items, every
# string to 300 characters), and some with a member of the wrong type.
trim='walk(if type == "array" then .[:3] elif type == "string" then .[:300] else . end)'
for f in "$here"/../reports/data/*.json; do
    jq -c "$trim" "$f" > "$out/render/gen-$(basename "$f")"
done
mistype() { # name jq-filter
    jq -c "$2" "$out/render/gen-blocked.json" > "$out/render/gen-mistyped-$1.json"
}
mistype findings-object '.findings = {"id": "BOOT-X"}'
mistype severity-null '.findings[0].severity = null'
mistype app-number '.applications[0] = 7'
mistype volumes-string '.volumes = "vda"'
mistype kernel-drivers '.kernels[0].nvme = ["module"] | .kernels[0].bits = "32"'
mistype os-array '.os = [.os]'
echo "seeds written to $out: $(du -sh "$out" | cut -f1)"
