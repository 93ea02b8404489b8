#!/bin/bash
# Builds the guest trees the application tests run on, and expectations:
#   OUT/root                  the guest's "/"
#   OUT/expect/sysctl_addr    address of the syscall instruction (objdump -d)
#   OUT/expect/skips.txt      what this host cannot stage, with the reason
# Usage: stage.sh OUT
set -euo pipefail

OUT=${1:?usage: stage.sh OUT}
rm -rf "$OUT"
R=$OUT/root
E=$OUT/expect
B=$OUT/build
mkdir -p "$R/etc/systemd/system" "$R/etc/init.d" "$R/etc/cron.d" "$E" "$B" \
    "$R/opt/sysctl/bin" "$R/opt/kmod/bin" "$R/opt/kmod/modules" "$R/opt/web/bin" \
    "$R/opt/old/bin" "$R/opt/old14/bin" "$R/opt/legacy/bin" "$R/opt/legacy/src" \
    "$R/opt/goapp/bin" "$R/usr/lib/x86_64-linux-gnu"
: > "$E/skips.txt"
skip() { echo "$1: $2" >> "$E/skips.txt"; }

# A static program that calls _sysctl (156) directly.
cat > "$B/sysctl.c" <<'C'
void _start(void)
{
    __asm__ volatile("mov $156, %%eax\n\tsyscall\n\tmov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall"
                     ::: "rax", "rdi", "rcx", "r11", "memory");
    for (;;) ;
}
C
gcc -nostdlib -static -O1 -o "$R/opt/sysctl/bin/oldsysctl" "$B/sysctl.c"
objdump -d "$R/opt/sysctl/bin/oldsysctl" | awk '/mov +\$0x9c,%eax/ {want=1; next}
    want && /syscall/ {sub(":", "", $1); print "0x" $1; exit}' > "$E/sysctl_addr"

# A third-party kernel module and a unit that loads it before its daemon.
cat > "$B/mod.c" <<'C'
__attribute__((section(".modinfo"), used)) static const char license[] = "license=GPL";
int init_module(void) { return 0; }
C
gcc -c -o "$R/opt/kmod/modules/lcfoo.ko" "$B/mod.c"
cat > "$B/daemon.c" <<'C'
#include <stdio.h>
int main(void) { puts("daemon"); return 0; }
C
gcc -O1 -o "$R/opt/kmod/bin/lcfood" "$B/daemon.c"
cat > "$R/etc/systemd/system/lcfoo.service" <<'U'
[Unit]
Description=foo daemon
[Service]
ExecStartPre=/sbin/modprobe lcfoo
ExecStart=/opt/kmod/bin/lcfood --foreground
[Install]
WantedBy=multi-user.target
U

# A plain modern daemon under /opt started by a unit, plus a cron job.
gcc -O1 -o "$R/opt/web/bin/web" "$B/daemon.c"
cat > "$R/etc/systemd/system/web.service" <<'U'
[Service]
ExecStart=/opt/web/bin/web --port 8080
U
echo '*/5 * * * * root /opt/web/bin/web --check' > "$R/etc/cron.d/web"
# A package-style unit naming nothing under an application root.
cat > "$R/etc/systemd/system/getty-x.service" <<'U'
[Service]
ExecStart=-/sbin/agetty -o '-p -- \\u' --noclear %I $TERM
ExecStartPre=-/sbin/modprobe -abq loop
U

# Old glibc programs: symbol versions bound explicitly, no modern start files.
oldprog() {   # name version
    cat > "$B/$1.c" <<C
#include <string.h>
__asm__(".symver memcpy,memcpy@GLIBC_$2");
char dst[16], src[16] = "x";
void _start(void)
{
    memcpy(dst, src, sizeof dst);
    __asm__ volatile("mov \$60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "rax", "rdi");
    for (;;) ;
}
C
    gcc -O0 -fno-builtin -nostartfiles -o "$3" "$B/$1.c"
}
oldprog old 2.2.5 "$R/opt/old/bin/old"
oldprog old14 2.14 "$R/opt/old14/bin/old14"

# A dynamic program reaching removed and port-I/O syscalls through libc:
# sysctl() is only a compat symbol since glibc 2.32, so bind it by version.
mkdir -p "$R/opt/oldtools/bin"
cat > "$B/oldtools.c" <<'C'
#include <stddef.h>
__asm__(".symver sysctl,sysctl@GLIBC_2.2.5");
int sysctl(int *name, int nlen, void *oldval, size_t *oldlenp, void *newval, size_t newlen);
int iopl(int level);
int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 5)
        return sysctl(NULL, 0, NULL, NULL, NULL, 0) + iopl(3);
    return 0;
}
C
gcc -O1 -o "$R/opt/oldtools/bin/oldtools" "$B/oldtools.c"

# Sources with a binary needing an OpenSSL no base image ships.
cat > "$B/ssl.c" <<'C'
int SSL_library_init(void) { return 1; }
C
gcc -shared -fPIC -Wl,-soname,libssl.so.0.9.8 -o "$B/libssl.so.0.9.8" "$B/ssl.c"
cat > "$R/opt/legacy/src/main.c" <<'C'
int SSL_library_init(void);
int main(void) { return !SSL_library_init(); }
C
printf 'all:\n\tcc -o ../bin/legacy main.c -lssl\n' > "$R/opt/legacy/src/Makefile"
gcc -o "$R/opt/legacy/bin/legacy" "$R/opt/legacy/src/main.c" "$B/libssl.so.0.9.8"
cat > "$R/etc/init.d/legacy" <<'S'
#!/bin/sh
case "$1" in start) /opt/legacy/bin/legacy & ;; esac
S
chmod +x "$R/etc/init.d/legacy"

# A Go program: static, makes its syscalls directly.
if command -v go >/dev/null 2>&1; then
    mkdir -p "$B/go"
    printf 'package main\nimport "fmt"\nfunc main() { fmt.Println("hi") }\n' > "$B/go/main.go"
    (cd "$B/go" && GOCACHE="$B/gocache" GOPATH="$B/gopath" GO111MODULE=off CGO_ENABLED=0 \
        go build -o "$R/opt/goapp/bin/hello" main.go) || skip go "go build failed"
else
    skip go "golang-go is not installed"
fi

# ---- A lived-in server: copies, caches and toolchains that are no
# applications, and the module files something can load that are.
#   OUT/expect/host_kver      the kernel whose modules were copied
#   OUT/expect/backup_mods    the copied module paths, as the guest sees them
KMODS=""
if [ -d "/lib/modules/$(uname -r)/kernel" ]; then
    HOST_KVER=$(uname -r)
else
    HOST_KVER=$(ls /lib/modules 2>/dev/null | sort -V | sed -n '$p')
fi
if [ -n "$HOST_KVER" ] && [ -d "/lib/modules/$HOST_KVER/kernel" ]; then
    KMODS=$(cd "/lib/modules/$HOST_KVER" && find kernel -name '*.ko' ! -name 'loop.ko' | sort | sed -n 1,6p)
fi
if [ -z "$KMODS" ]; then
    skip hostmods "no uncompressed kernel modules under /lib/modules"
    # Stand-ins so the rest of the tree still stages.
    HOST_KVER=0.0.0-none
    KMODS=kernel/lcstand.ko
    mkdir -p "$B/stand/kernel"
    gcc -c -o "$B/stand/kernel/lcstand.ko" "$B/mod.c"
    MODSRC=$B/stand
else
    MODSRC=/lib/modules/$HOST_KVER
fi
echo "$HOST_KVER" > "$E/host_kver"
: > "$E/backup_mods"
for m in $KMODS; do
    for dst in "root/backup/lib/modules/$HOST_KVER" "tmp/initrd-unpacked/usr/lib/modules/$HOST_KVER" \
               "root/.cache/kmods/$HOST_KVER"; do
        mkdir -p "$R/$dst/$(dirname "$m")"
        cp "$MODSRC/$m" "$R/$dst/$m"
    done
    echo "/root/backup/lib/modules/$HOST_KVER/$m" >> "$E/backup_mods"
done
mkdir -p "$R/tmp/initrd-unpacked/usr/bin" "$R/root/.cache/pip/wheels" \
    "$R/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin" \
    "$R/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib" \
    "$R/home/dev/project/bin" "$R/home/dev/project/target/debug"
cp "$R/opt/kmod/bin/lcfood" "$R/tmp/initrd-unpacked/usr/bin/busybox"
cat > "$B/speedups.c" <<'C'
int speedup(int x) { return x * 2; }
C
gcc -shared -fPIC -o "$R/root/.cache/pip/wheels/_speedups.cpython-311-x86_64-linux-gnu.so" "$B/speedups.c"
cp "$R/opt/web/bin/web" "$R/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc"
gcc -shared -fPIC -Wl,-soname,librustc_driver.so -o \
    "$R/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/librustc_driver.so" "$B/speedups.c"
# A build tree whose output directory is tagged as a cache (CACHEDIR.TAG).
cp "$R/opt/web/bin/web" "$R/home/dev/project/bin/tool"
cp "$R/opt/web/bin/web" "$R/home/dev/project/target/debug/app"
cp "$R/opt/kmod/modules/lcfoo.ko" "$R/home/dev/project/target/debug/lcbuilt.ko"
printf 'Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag.\n' \
    > "$R/home/dev/project/target/CACHEDIR.TAG"

# An installed kernel (its image and modules tree): an out-of-tree module
# there counts; a module it provides (modules.dep) is the one modprobe loads,
# so the backup's copy of that name stays inventory even when named.
KV=9.9.9-lc
mkdir -p "$R/boot" "$R/lib/modules/$KV/extra" "$R/etc/modules-load.d" "$R/srv/lcload"
: > "$R/boot/vmlinuz-$KV"
cp "$R/opt/kmod/modules/lcfoo.ko" "$R/lib/modules/$KV/extra/lcvendor.ko"
FIRST=$(echo "$KMODS" | sed -n 1p)
FIRST_NAME=$(basename "$FIRST" .ko)
printf '%s:\nextra/lcvendor.ko:\n' "$FIRST" > "$R/lib/modules/$KV/modules.dep"
echo "$FIRST_NAME" > "$E/provided_name"
# modules-load.d names a module shipped under /srv, and the provided one.
cp "$R/opt/kmod/modules/lcfoo.ko" "$R/srv/lcload/lcload.ko"
printf '# loaded at boot\nlcload\n%s\n' "$FIRST_NAME" > "$R/etc/modules-load.d/lc.conf"
# rc.local loads a module from /tmp by its path: that one counts.
mkdir -p "$R/tmp/lcdrv" "$R/etc/rc.d"
cp "$R/opt/kmod/modules/lcfoo.ko" "$R/tmp/lcdrv/lctmp.ko"
printf '#!/bin/sh\n/sbin/insmod /tmp/lcdrv/lctmp.ko debug=1\nexit 0\n' > "$R/etc/rc.d/rc.local"
chmod +x "$R/etc/rc.d/rc.local"
ln -s rc.d/rc.local "$R/etc/rc.local"
# A vendor bundle of 25 modules that modules-load.d names: one finding.
mkdir -p "$R/opt/many/modules"
for i in $(seq -w 1 25); do
    cp "$R/opt/kmod/modules/lcfoo.ko" "$R/opt/many/modules/lcm$i.ko"
    echo "lcm$i" >> "$R/etc/modules-load.d/lcmany.conf"
done

# The dpkg database: iproute2 owns a plugin whose optional library is not
# installed (missing before any move: information); a third-party program
# misses its library (a warning).
mkdir -p "$R/var/lib/dpkg/info" "$R/usr/lib/x86_64-linux-gnu/tc" "$R/opt/broken/bin"
cat > "$B/atm.c" <<'C'
int atm_open(void) { return 0; }
C
gcc -shared -fPIC -Wl,-soname,libatm.so.1 -o "$B/libatm.so.1" "$B/atm.c"
cat > "$B/q_atm.c" <<'C'
int atm_open(void);
int q_atm_init(void) { return atm_open(); }
C
gcc -shared -fPIC -o "$R/usr/lib/x86_64-linux-gnu/tc/q_atm.so" "$B/q_atm.c" "$B/libatm.so.1"
gcc -shared -fPIC -Wl,-soname,liblcgone.so.3 -o "$B/liblcgone.so.3" "$B/atm.c"
printf 'int atm_open(void);\nint main(void) { return atm_open(); }\n' > "$B/broken.c"
gcc -o "$R/opt/broken/bin/broken" "$B/broken.c" "$B/liblcgone.so.3"
# An application using a library of an OS package (libdemo1).
mkdir -p "$R/opt/demo/bin"
gcc -shared -fPIC -Wl,-soname,libdemo.so.1 -o "$R/usr/lib/libdemo.so.1" "$B/atm.c"
gcc -o "$R/opt/demo/bin/demo" "$B/broken.c" "$R/usr/lib/libdemo.so.1"
cat > "$R/var/lib/dpkg/status" <<'S'
Package: iproute2
Status: install ok installed
Architecture: amd64
Version: 6.1.0-3

Package: libdemo1
Status: install ok installed
Architecture: amd64
Version: 1.0-1

S
printf '/usr/lib/libdemo.so.1\n' > "$R/var/lib/dpkg/info/libdemo1.list"
printf '/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu/tc\n/usr/lib/x86_64-linux-gnu/tc/q_atm.so\n' \
    > "$R/var/lib/dpkg/info/iproute2.list"

# ---- What starts applications, and whether it runs at boot.
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/rc2.d" "$R/etc/rc3.d" \
    "$R/etc/rc5.d" "$R/etc/rc0.d" "$R/etc/init" "$R/etc/xinetd.d" \
    "$R/opt/upd/bin" "$R/opt/inittabd/bin" "$R/opt/xsvc/bin"
ln -s ../web.service "$R/etc/systemd/system/multi-user.target.wants/web.service"
for l in 2 3 5; do ln -s ../init.d/legacy "$R/etc/rc$l.d/S20legacy"; done
ln -s ../init.d/legacy "$R/etc/rc0.d/K01legacy"
cp "$R/opt/web/bin/web" "$R/opt/upd/bin/upd"
cp "$R/opt/web/bin/web" "$R/opt/inittabd/bin/itd"
cp "$R/opt/web/bin/web" "$R/opt/xsvc/bin/xsvc"
printf 'description "update daemon"\nstart on runlevel [2345]\nexec /opt/upd/bin/upd --daemon\n' \
    > "$R/etc/init/lcup.conf"
printf 'id:3:initdefault:\nit:2345:respawn:/opt/inittabd/bin/itd -f\n' > "$R/etc/inittab"
printf 'service lcx\n{\n\tsocket_type = stream\n\tserver = /opt/xsvc/bin/xsvc\n}\n' > "$R/etc/xinetd.d/lcx"
printf 'SHELL=/bin/sh\n7\t10\tlc.weekly\t/opt/web/bin/web --weekly\n' > "$R/etc/anacrontab"
printf '/opt/old/bin/old &\n' >> "$R/etc/rc.d/rc.local"

# ---- Install roots found by structure outside the usual places, and a
# copy of a whole root filesystem (a backup) that is none.
mkdir -p "$R/u01/app/oradb/product/19c/dbhome_1/bin" "$R/u01/app/oradb/product/19c/dbhome_1/lib" \
    "$R/usr/sap/LC1/SYS/exe/run" "$R/old_root/etc" "$R/old_root/var/log" "$R/old_root/usr/bin" \
    "$R/export/.state/bin" "$R/build/liftsrc/.git" "$R/build/liftsrc/out/bin"
cp "$R/opt/web/bin/web" "$R/u01/app/oradb/product/19c/dbhome_1/bin/oradaemon"
gcc -shared -fPIC -o "$R/u01/app/oradb/product/19c/dbhome_1/lib/libora.so" "$B/speedups.c"
cp "$R/opt/web/bin/web" "$R/usr/sap/LC1/SYS/exe/run/disp+work"
cp "$R/opt/web/bin/web" "$R/old_root/usr/bin/oldtool"
cp "$R/opt/web/bin/web" "$R/export/.state/bin/helper"
# A copy of /usr alone under /srv (its programs, libraries and a script):
# inventory, no application.  A tree laid out like usr/ without the sbin/
# of an OS's (an unpacked bundle) stays an application.
mkdir -p "$R/srv/backup/usr/bin" "$R/srv/backup/usr/sbin" "$R/srv/backup/usr/lib" \
    "$R/srv/backup/usr/share/doc" "$R/opt/lcbundle/usr/bin" "$R/opt/lcbundle/usr/lib" \
    "$R/opt/lcbundle/usr/share"
cp "$R/opt/web/bin/web" "$R/srv/backup/usr/bin/oldtool"
gcc -shared -fPIC -o "$R/srv/backup/usr/lib/libold.so" "$B/speedups.c"
# Its kernel modules stay inventory, even under a name modules-load.d
# gives: modprobe looks for names only in the installed kernels' trees.
mkdir -p "$R/srv/backup/usr/lib/modules/9.9.8-old/extra"
cp "$R/opt/kmod/modules/lcfoo.ko" "$R/srv/backup/usr/lib/modules/9.9.8-old/extra/lcbak.ko"
echo lcbak >> "$R/etc/modules-load.d/lc.conf"
printf '#!/bin/sh\nexec /srv/backup/usr/bin/oldtool "$@"\n' > "$R/srv/backup/usr/bin/oldwrap"
chmod 755 "$R/srv/backup/usr/bin/oldwrap"
cp "$R/opt/web/bin/web" "$R/opt/lcbundle/usr/bin/lcbundle"
# A version-control checkout with its build output: a build tree.
cp "$R/opt/web/bin/web" "$R/build/liftsrc/out/bin/tool"
printf '[Service]\nExecStart=/u01/app/oradb/product/19c/dbhome_1/bin/oradaemon -d\n' \
    > "$R/etc/systemd/system/oradb.service"

# ---- Interpreted applications: a JDK with a Tomcat-like web application
# on it, a Python virtualenv with a compiled extension, a Node.js service
# with a native addon, and scripts whose shebangs name their interpreters.
#   OUT/expect/java_version   JAVA_VERSION the JDK's release file says
#   OUT/expect/node_version   the version string in bin/node
mkdir -p "$R/opt/jdk8/bin" "$R/opt/jdk8/lib/server" "$R/opt/tomcat/bin" "$R/opt/tomcat/webapps"
cp "$R/opt/web/bin/web" "$R/opt/jdk8/bin/java"
gcc -shared -fPIC -o "$R/opt/jdk8/lib/server/libjvm.so" "$B/speedups.c"
JAVA_VERSION=1.8.0_392
printf 'IMPLEMENTOR="Eclipse Adoptium"\nJAVA_VERSION="%s"\nOS_ARCH="amd64"\n' "$JAVA_VERSION" \
    > "$R/opt/jdk8/release"
echo "$JAVA_VERSION" > "$E/java_version"
printf '#!/bin/sh\nexec "$JAVA_HOME/bin/java" org.apache.catalina.startup.Bootstrap "$@"\n' \
    > "$R/opt/tomcat/bin/catalina.sh"
chmod +x "$R/opt/tomcat/bin/catalina.sh"
python3 - "$R/opt/tomcat/webapps/shop.war" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    z.writestr("WEB-INF/web.xml", "<web-app/>\n")
PY
# Named like an archive, but text: libmagic keeps it out of the count.
echo "deployment notes" > "$R/opt/tomcat/webapps/notes.war"
printf '[Service]\nEnvironment="JAVA_HOME=/opt/jdk8/" CATALINA_BASE=/opt/tomcat\nExecStart=/opt/tomcat/bin/catalina.sh run\n' \
    > "$R/etc/systemd/system/tomcat.service"
# A second JDK: the unit's JAVA_HOME tells which one Tomcat runs on; a jar
# nothing starts has no runtime known.
mkdir -p "$R/opt/jdk17/bin" "$R/opt/jdk17/lib/server" "$R/opt/batch/lib"
cp "$R/opt/jdk8/bin/java" "$R/opt/jdk17/bin/java"
cp "$R/opt/jdk8/lib/server/libjvm.so" "$R/opt/jdk17/lib/server/libjvm.so"
printf 'JAVA_VERSION="17.0.9"\n' > "$R/opt/jdk17/release"
cp "$R/opt/tomcat/webapps/shop.war" "$R/opt/batch/lib/batch.jar"

mkdir -p "$R/opt/pyapp"
printf '#include <stdio.h>\nint fast(void) { return puts("x"); }\n' > "$B/ext.c"
if python3 -m venv --without-pip "$R/opt/pyapp/venv" 2>"$B/venv.err"; then
    PYLIB=$(ls -d "$R/opt/pyapp/venv/lib/python3."*)
    mkdir -p "$PYLIB/site-packages"
    gcc -shared -fPIC -o "$PYLIB/site-packages/_fast.cpython-3-x86_64-linux-gnu.so" "$B/ext.c"
    printf '#!/opt/pyapp/venv/bin/python3\nimport _fast\n' > "$R/opt/pyapp/serve.py"
    chmod +x "$R/opt/pyapp/serve.py"
else
    skip venv "python3 -m venv failed: $(head -c 200 "$B/venv.err")"
fi

NODE_VERSION=18.19.0
mkdir -p "$R/opt/nodesvc/bin" "$R/opt/nodesvc/lib/node_modules/fastcsv/build/Release"
cp "$R/opt/web/bin/web" "$R/opt/nodesvc/bin/node"
printf '\0/download/release/v%s/node-v%s-headers.tar.gz\0' \
    "$NODE_VERSION" "$NODE_VERSION" >> "$R/opt/nodesvc/bin/node"
echo "$NODE_VERSION" > "$E/node_version"
gcc -shared -fPIC -o "$R/opt/nodesvc/lib/node_modules/fastcsv/build/Release/fastcsv.node" "$B/ext.c"

mkdir -p "$R/opt/oldscripts/bin"
printf '#!/usr/bin/perl -w\nprint "report\\n";\n' > "$R/opt/oldscripts/bin/report.pl"
printf '#!/usr/bin/env python2\nprint "sync"\n' > "$R/opt/oldscripts/bin/sync"
chmod +x "$R/opt/oldscripts/bin/report.pl" "$R/opt/oldscripts/bin/sync"
