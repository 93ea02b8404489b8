#!/bin/bash
# Builds the guest tree the ELF scanner tests run on, from real binaries of
# this host, and independent expectations next to it:
#   OUT/root                 the guest's "/"
#   OUT/expect/elf.txt       every ELF inode: its paths, '|'-separated (python magic check)
#   OUT/expect/objdump.txt   path<TAB>glibc max<TAB>glibcxx max<TAB>cxxabi max<TAB>NEEDED,...
#   OUT/expect/skips.txt     optional parts this host cannot stage ("part: reason"; the
#                            test of each part then exits 77: static, i386, musl, go, rpm,
#                            schema), all staged once scripts/install-deps.sh test has run
#   OUT/expect/go_version    Go version of /opt/go/hello, when Go is installed
# Usage: stage.sh OUT
set -euo pipefail

OUT=${1:?usage: stage.sh OUT}
PY=/usr/bin/python3
rm -rf "$OUT"
R=$OUT/root
E=$OUT/expect
B=$OUT/build
mkdir -p "$R" "$E" "$B"
: > "$E/skips.txt"
skip() { echo "$1: $2" >> "$E/skips.txt"; }

TRIPLET=x86_64-linux-gnu
ML=$R/usr/lib/$TRIPLET

# usr-merge layout, as on Debian 12.
mkdir -p "$R/usr/bin" "$R/usr/sbin" "$ML" "$R/usr/lib64" "$R/usr/lib32" "$R/etc/ld.so.conf.d" \
    "$R/opt/app/bin" "$R/opt/app/lib" "$R/opt/conf/lib" "$R/opt/bad" "$R/opt/fuzz" "$R/srv/data" \
    "$R/proc/1" "$R/var/lib/dpkg/info"
ln -s usr/bin "$R/bin"
ln -s usr/sbin "$R/sbin"
ln -s usr/lib "$R/lib"
ln -s usr/lib64 "$R/lib64"
ln -s usr/lib32 "$R/lib32"

cat > "$R/etc/ld.so.conf" <<'EOF'
include /etc/ld.so.conf.d/*.conf
EOF
cat > "$R/etc/ld.so.conf.d/$TRIPLET.conf" <<EOF
# Multiarch support
/usr/local/lib/$TRIPLET
/lib/$TRIPLET
/usr/lib/$TRIPLET
EOF
# A relative include, resolved from the including file's directory.
cat > "$R/etc/ld.so.conf.d/zz-app.conf" <<'EOF'
/opt/conf/lib   # comment after a directory
include extra/*.conf
EOF
mkdir -p "$R/etc/ld.so.conf.d/extra"
echo "/opt/extra/lib" > "$R/etc/ld.so.conf.d/extra/more.conf"

# Copies a host library (following links) into a guest directory.
copy_lib() { cp -L "$1" "$2/"; }

# Programs and libraries of the host.
cp /bin/ls "$R/usr/bin/ls"
ln "$R/usr/bin/ls" "$R/usr/bin/ls-hardlink"
ln -s ls "$R/usr/bin/ls-symlink"
for lib in $(ldd /bin/ls | awk '/=>/ {print $3}'); do copy_lib "$lib" "$ML"; done
copy_lib /lib64/ld-linux-x86-64.so.2 "$ML"
ln -s ../lib/$TRIPLET/ld-linux-x86-64.so.2 "$R/usr/lib64/ld-linux-x86-64.so.2"
copy_lib "$(ldd /bin/ls | awk '/libc.so.6/ {print $3}' | xargs dirname)/libm.so.6" "$ML"
# A file that is named like a library but is not ELF.
echo 'INPUT(libc.so.6)' > "$ML/libfake.so"
# A library found by content under a data name, without the exec bit.
cp -L "$ML/libm.so.6" "$R/srv/data/blob.bin"
chmod 0644 "$R/srv/data/blob.bin"
mkdir -p "$R/usr/share/doc"
head -c 200000 /dev/zero | tr "\\0" "x" > "$R/usr/share/doc/readme.txt"
# An a.out (QMAGIC, i386) program, and a data file with the same first bytes.
$PY -c 'import struct,sys; open(sys.argv[1],"wb").write(struct.pack("<8I",0o314|100<<16,4096,0,0,0,0x1020,0,0)+bytes(4096))' "$R/usr/bin/oldaout"
chmod 0755 "$R/usr/bin/oldaout"
cp "$R/usr/bin/oldaout" "$R/srv/data/not-a-program.dat"
chmod 0644 "$R/srv/data/not-a-program.dat"
# A tiny ELF-magic file below the 52-byte minimum is not an ELF file.
printf '\177ELF\002\001\001' > "$R/opt/bad/tiny"

cat > "$B/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
EOF
cat > "$B/oldsym.c" <<'EOF'
#include <string.h>
#include <stdio.h>
/* Bind to the oldest x86-64 memcpy, as binaries built on old systems do. */
__asm__(".symver memcpy,memcpy@GLIBC_2.2.5");
int main(int argc, char **argv) { char b[64]; memcpy(b, argv[0], 8); b[8] = 0; (void)argc; puts(b); return 0; }
EOF
cat > "$B/hello.cpp" <<'EOF'
#include <iostream>
#include <string>
#include <stdexcept>
int main(int argc, char **) {
    std::string s = "hello";
    try { if (argc > 5) throw std::runtime_error("x"); } catch (const std::exception &e) { s += e.what(); }
    std::cout << s << std::endl;
    return 0;
}
EOF
cat > "$B/core.c" <<'EOF'
int core_answer(void) { return 42; }
EOF
cat > "$B/useapp.c" <<'EOF'
int core_answer(void);
int main(void) { return core_answer() == 42 ? 0 : 1; }
EOF
cat > "$B/ghost.c" <<'EOF'
int ghost(void) { return 7; }
EOF
cat > "$B/useghost.c" <<'EOF'
int ghost(void);
int main(void) { return ghost(); }
EOF

gcc -O1 -o "$R/opt/app/bin/oldsym" "$B/oldsym.c"
# A program whose NEEDED and version-needs name are not valid UTF-8.
$PY - "$R" <<'EOF'
import sys
R = sys.argv[1]
b = open(R + "/opt/app/bin/oldsym", "rb").read()
assert b.count(b"\0libc.so.6\0") == 1
open(R + "/opt/app/bin/badutf8", "wb").write(b.replace(b"\0libc.so.6\0", b"\0libc\xe9so.6\0"))
EOF
g++ -O1 -o "$R/opt/app/bin/cxxapp" "$B/hello.cpp"
# A versioned hard link beside the program, as perl5.36.0 beside perl.
ln "$R/opt/app/bin/cxxapp" "$R/opt/app/bin/cxxapp1.0"
for l in libstdc++.so.6 libgcc_s.so.1; do
    copy_lib "$(g++ -print-file-name=$l)" "$ML"
done
gcc -c -o "$R/opt/app/bin/hello.o" "$B/hello.c"

# $ORIGIN: the app's own library, one binary with RUNPATH, one with RPATH.
gcc -shared -fPIC -Wl,-soname,libappcore.so.1 -o "$R/opt/app/lib/libappcore.so.1.2.3" "$B/core.c"
ln -s libappcore.so.1.2.3 "$R/opt/app/lib/libappcore.so.1"
ln -s libappcore.so.1 "$R/opt/app/lib/libappcore.so"
gcc -o "$R/opt/app/bin/use-runpath" "$B/useapp.c" -L"$R/opt/app/lib" -lappcore \
    -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib'
gcc -o "$R/opt/app/bin/use-rpath" "$B/useapp.c" -L"$R/opt/app/lib" -lappcore \
    -Wl,--disable-new-dtags,-rpath,'${ORIGIN}/../lib'
# A library found only through ld.so.conf.
gcc -shared -fPIC -Wl,-soname,libconfonly.so.2 -o "$R/opt/conf/lib/libconfonly.so.2" "$B/ghost.c"
gcc -o "$R/opt/app/bin/use-conf" "$B/useghost.c" "$R/opt/conf/lib/libconfonly.so.2"
gcc -shared -fPIC -Wl,-soname,libghost.so.7 -o "$B/libghost.so.7" "$B/ghost.c"
# A JDK-like tree: libjava.so needs libjvm.so, which the launcher loads by
# path from lib/server; and an app library that needs its sibling but has
# no RUNPATH (the program's LD_LIBRARY_PATH or RPATH provides it).
mkdir -p "$R/opt/jdk/lib/server" "$R/usr/lib/someapp"
gcc -shared -fPIC -Wl,-soname,libjvm.so -o "$R/opt/jdk/lib/server/libjvm.so" "$B/core.c"
gcc -shared -fPIC -o "$R/opt/jdk/lib/libjava.so" "$B/useapp.c" "$R/opt/jdk/lib/server/libjvm.so" \
    -Wl,--enable-new-dtags,-rpath,'$ORIGIN'
gcc -shared -fPIC -o "$R/opt/app/lib/libsibling.so" "$B/useapp.c" -L"$R/opt/app/lib" -lappcore
# The same situation in a system directory stays a missing library.
cp "$B/libghost.so.7" "$R/usr/lib/someapp/libghost.so.7"
gcc -shared -fPIC -o "$ML/libneedsghost.so.1" "$B/useghost.c" "$B/libghost.so.7"
# A NEEDED that is itself a path with $ORIGIN in it.
gcc -shared -fPIC -Wl,-soname,'$ORIGIN/../lib/libdirect.so' -o "$R/opt/app/lib/libdirect.so" "$B/core.c"
gcc -o "$R/opt/app/bin/use-direct" "$B/useapp.c" "$R/opt/app/lib/libdirect.so"
# A program whose loader is not on the image.
gcc -o "$R/opt/app/bin/no-loader" "$B/hello.c" -Wl,--dynamic-linker=/lib/ld-nowhere.so.1
# A NEEDED that is not in the tree at all.
gcc -o "$R/opt/app/bin/use-ghost" "$B/useghost.c" "$B/libghost.so.7"

# Static binary.
if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
    cp /bin/busybox "$R/usr/bin/busybox"
    # The oldest kernel its C library supports, as file(1) reads it.
    file -b "$R/usr/bin/busybox" | sed -n 's|.*for GNU/Linux \([0-9.]*\).*|\1|p' > "$E/busybox_kernel"
else
    skip static "busybox-static is not installed"
fi

# i386 program with its own libc under /usr/lib32.
if echo 'int main(void){return 0;}' | gcc -m32 -x c -o "$R/opt/app/bin/hello32" - 2>/dev/null; then
    copy_lib /usr/lib32/libc.so.6 "$R/usr/lib32"
    copy_lib /usr/lib32/ld-linux.so.2 "$R/usr/lib32"
    ln -s ../lib32/ld-linux.so.2 "$R/usr/lib/ld-linux.so.2"
else
    rm -f "$R/opt/app/bin/hello32"
    skip i386 "gcc -m32 does not work (install gcc-multilib)"
fi

# musl program with the musl loader and its search path file.
if command -v musl-gcc >/dev/null; then
    mkdir -p "$R/opt/musl" "$R/usr/lib/x86_64-linux-musl"
    musl-gcc -o "$R/opt/musl/hello" "$B/hello.c"
    copy_lib /usr/lib/x86_64-linux-musl/libc.so "$R/usr/lib/x86_64-linux-musl"
    ln -s x86_64-linux-musl/libc.so "$R/usr/lib/ld-musl-x86_64.so.1"
    echo "/usr/lib/x86_64-linux-musl" > "$R/etc/ld-musl-x86_64.path"
    # A small Alpine-like guest with an apk database.
    A=$OUT/apkroot
    mkdir -p "$A/lib/apk/db" "$A/usr/bin" "$A/usr/local/bin" "$A/etc"
    cp -L /usr/lib/x86_64-linux-musl/libc.so "$A/lib/ld-musl-x86_64.so.1"
    ln -s ld-musl-x86_64.so.1 "$A/lib/libc.musl-x86_64.so.1"
    ln -s ld-musl-x86_64.so.1 "$A/lib/libc.so"    # what musl-gcc programs NEED
    musl-gcc -o "$A/usr/bin/hello" "$B/hello.c"
    cp "$A/usr/bin/hello" "$A/usr/local/bin/mine"
    cat > "$A/lib/apk/db/installed" <<'EOF'
C:Q1abc=
P:musl
V:1.2.4-r2
A:x86_64
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
R:libc.musl-x86_64.so.1

C:Q1def=
P:hello-app
V:1.0-r0
F:usr
F:usr/bin
R:hello
EOF
else
    skip musl "musl-gcc is not installed (musl-tools)"
fi

# An rpm-based guest: a database (rpmdb.sqlite) made by rpm itself, owning
# /usr/bin/rpmtool; /opt/vendor/bin/app is third-party.
if command -v rpmbuild >/dev/null && command -v rpm >/dev/null; then
    P=$OUT/rpmroot
    T=$B/rpmtop
    mkdir -p "$P/usr/bin" "$P/opt/vendor/bin" "$T/SOURCES"
    ln -s usr/bin "$P/bin"
    cp "$R/opt/app/bin/oldsym" "$T/SOURCES/rpmtool"
    cat > "$B/rpmtool.spec" <<'EOF'
Name: rpmtool
Version: 1.0
Release: 1
Summary: test package
License: MIT
AutoReqProv: no
%global debug_package %{nil}
%global __strip /bin/true
%global __os_install_post %{nil}
%global _build_id_links none
%description
test
%install
mkdir -p %{buildroot}/usr/bin
cp %{_sourcedir}/rpmtool %{buildroot}/usr/bin/rpmtool
%files
/usr/bin/rpmtool
EOF
    HOME=$B rpmbuild -bb --define "_topdir $T" --nodeps "$B/rpmtool.spec" >/dev/null 2>&1
    rpm --root "$P" --dbpath /var/lib/rpm --initdb
    rpm -i --justdb --nodeps --noscripts --ignorearch --ignoreos --root "$P" --dbpath /var/lib/rpm \
        "$T"/RPMS/*/rpmtool-1.0-1.*.rpm 2>/dev/null
    cp "$T/SOURCES/rpmtool" "$P/usr/bin/rpmtool"
    cp "$T/SOURCES/rpmtool" "$P/opt/vendor/bin/app"
else
    skip rpm "rpm and rpmbuild are not installed (rpm)"
fi

# Go program.
if command -v go >/dev/null; then
    mkdir -p "$R/opt/go" "$B/go"
    cat > "$B/go/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello") }
EOF
    (cd "$B/go" && HOME=$B GOCACHE=$B/gocache GOPATH=$B/gopath GO111MODULE=off GOFLAGS= \
        go build -o "$R/opt/go/hello" main.go)
    go env GOVERSION > "$E/go_version"
else
    skip go "the go toolchain is not installed (golang-go)"
fi

# Kernel module from the host, uncompressed.
ko=$(find /lib/modules -name '*.ko' -size -200k 2>/dev/null | sort | head -1 || true)
if [ -n "$ko" ]; then
    mkdir -p "$R/usr/lib/modules/test/kernel"
    cp "$ko" "$R/usr/lib/modules/test/kernel/"
else
    kox=$(find /lib/modules -name '*.ko.xz' 2>/dev/null | sort | head -1 || true)
    if [ -n "$kox" ]; then
        mkdir -p "$R/usr/lib/modules/test/kernel"
        xz -dc "$kox" > "$R/usr/lib/modules/test/kernel/$(basename "$kox" .xz)"
    else
        echo "no kernel module under /lib/modules (linux-image-amd64)" >&2
        exit 1
    fi
fi

# The schema check of the report (tests/elf/check_schema.py).
$PY -c 'import jsonschema' 2>/dev/null || skip schema "python3-jsonschema is not installed"

# Hostile and truncated files, a synthetic core file, a fuzzed corpus.
head -c 100 /bin/ls > "$R/opt/bad/truncated"
$PY - "$R" <<'EOF'
import os, random, struct, sys
R = sys.argv[1]
src = open(R + "/opt/app/bin/oldsym", "rb").read()

def patched(name, off, fmt, val):
    b = bytearray(src)
    struct.pack_into(fmt, b, off, val)
    open(R + "/opt/bad/" + name, "wb").write(b)

patched("hostile-shoff", 0x28, "<Q", 0xFFFFFFFFFFFF0000)   # e_shoff
patched("hostile-phoff", 0x20, "<Q", 0x7FFFFFFFFFFFFF00)   # e_phoff
patched("hostile-shnum", 0x3C, "<H", 0xFFFF)               # e_shnum
patched("hostile-phentsize", 0x36, "<H", 8)                # e_phentsize

# An ELF64 core file: header and one PT_NOTE program header.
eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
eh += struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, 64, 0, 0, 64, 56, 1, 0, 0, 0)
note = struct.pack("<III", 5, 4, 1) + b"CORE\0\0\0\0" + b"\0\0\0\0"
ph = struct.pack("<IIQQQQQQ", 4, 0, 64 + 56, 0, 0, len(note), 0, 4)
open(R + "/opt/bad/core.1234", "wb").write(eh + ph + note)

# Mutated copies: never a crash, whatever they hold.
rnd = random.Random(4)
for i in range(120):
    b = bytearray(src)
    for _ in range(rnd.randint(1, 12)):
        pos = rnd.randrange(4, 0x800) if rnd.random() < 0.7 else rnd.randrange(4, len(b))
        b[pos] = rnd.randrange(256)
    if rnd.random() < 0.2:
        b = b[: rnd.randrange(64, len(b))]
    open("%s/opt/fuzz/m%03d" % (R, i), "wb").write(b)
EOF

# dpkg database: coreutils lists /bin/ls (reached as /usr/bin/ls through the
# usr-merge link), libc6 its libraries, a removed package busybox, and a
# diversion that moves toolpkg's /usr/bin/tool to /usr/bin/tool.distrib.
cp "$R/opt/app/bin/oldsym" "$R/usr/bin/tool"
cp "$R/opt/app/bin/use-conf" "$R/usr/bin/tool.distrib"
cat > "$R/var/lib/dpkg/status" <<'EOF'
Package: coreutils
Status: install ok installed
Architecture: amd64
Version: 9.1-1

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9

Package: busybox-static
Status: deinstall ok config-files
Architecture: amd64
Version: 1:1.35.0-4

Package: toolpkg
Status: install ok installed
Architecture: amd64

Package: wrapper
Status: install ok installed
Architecture: all
EOF
printf '/.\n/bin\n/bin/ls\n/usr/bin/ls-hardlink\n' > "$R/var/lib/dpkg/info/coreutils.list"
printf '/lib/%s/libc.so.6\n/lib64/ld-linux-x86-64.so.2\n/lib/%s/ld-linux-x86-64.so.2\n' \
    $TRIPLET $TRIPLET > "$R/var/lib/dpkg/info/libc6:amd64.list"
printf '/bin/busybox\n' > "$R/var/lib/dpkg/info/busybox-static.list"
printf '/usr/bin/tool\n' > "$R/var/lib/dpkg/info/toolpkg.list"
printf '/usr/bin/tool\n' > "$R/var/lib/dpkg/info/wrapper.list"
printf '/usr/bin/tool\n/usr/bin/tool.distrib\nwrapper\n' > "$R/var/lib/dpkg/diversions"

# Something under a skipped pseudo-filesystem: never reported.
cp /bin/ls "$R/proc/1/exe"

# Independent listing of ELF files: magic check in python, one line per inode.
$PY - "$R" "$E" <<'EOF'
import os, sys
R, E = sys.argv[1], sys.argv[2]
groups = {}
for d, dirs, files in os.walk(R):
    rel = d[len(R):] or "/"
    if rel in ("/proc", "/sys", "/dev", "/run"):
        dirs[:] = []
        continue
    for f in files:
        p = os.path.join(d, f)
        st = os.lstat(p)
        if not os.path.isfile(p) or os.path.islink(p) or st.st_size < 52:
            continue
        with open(p, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        groups.setdefault((st.st_dev, st.st_ino), []).append(p[len(R):])
with open(E + "/elf.txt", "w") as out:
    for paths in sorted(groups.values()):
        out.write("|".join(sorted(paths)) + "\n")
EOF

# Version needs and NEEDED as objdump sees them, for the well-formed files.
$PY - "$R" "$E" <<'EOF'
import re, subprocess, sys
R, E = sys.argv[1], sys.argv[2]

def vkey(v):
    return [int(x) for x in re.findall(r"\d+", v)]

with open(E + "/elf.txt") as f, open(E + "/objdump.txt", "w", encoding="utf-8") as out:
    for line in f:
        path = line.strip().split("|")[0]
        if path.startswith(("/opt/bad/", "/opt/fuzz/")):
            continue
        r = subprocess.run(["objdump", "-p", R + path], capture_output=True, encoding="utf-8",
                           errors="replace")
        if r.returncode != 0:
            continue
        best, needed, in_refs = {}, [], False
        for l in r.stdout.splitlines():
            m = re.match(r"\s+NEEDED\s+(\S+)", l)
            if m:
                needed.append(m.group(1))
            if l.startswith("Version References:"):
                in_refs = True
                continue
            if in_refs and l and not l[0].isspace():
                in_refs = False
            m = re.match(r"\s+0x[0-9a-f]+ 0x[0-9a-f]+ \d+ (\S+)", l)
            if in_refs and m:
                fm = re.match(r"(.+?)_(\d.*)$", m.group(1))
                if fm and fm.group(1) in ("GLIBC", "GLIBCXX", "CXXABI"):
                    fam, num = fm.group(1), fm.group(2)
                    if fam not in best or vkey(num) > vkey(best[fam]):
                        best[fam] = num
        out.write("\t".join([path] + [best.get(k, "-") for k in ("GLIBC", "GLIBCXX", "CXXABI")]
                            + [",".join(needed) or "-"]) + "\n")
EOF
