#!/bin/bash
# Build a lived-in server: the sample Debian 12 server (images/build-sample.sh,
# its saved tree debian12-root.tar.zst) with what years of use leave on a
# machine besides its applications (tests/integration/test_lived.py).
#
#   images/build-lived.sh [OUTDIR]
#
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/lived.
# Added to the sample's tree:
#   /root/backup/lib/modules/<kver>  a backup copy of the kernel's modules
#   /tmp/initrd-<kver>/              the sample's initramfs, unpacked
#   /opt/jdk-17/                     the host's openjdk-17-jre-headless files
#                                    (all but the lib/modules image)
#   /opt/tomcat/                     a Tomcat layout with a WAR in webapps/,
#                                    started by tomcat.service (enabled) on
#                                    JAVA_HOME=/opt/jdk-17
#   /opt/inventory/venv/             a Python virtualenv (--copies) with a
#                                    compiled extension, started by
#                                    inventory.service (enabled)
#   /opt/orders/                     a Node.js service (bin/node carries its
#                                    version string) with a native .node
#                                    addon, started by orders-api.service
#                                    (enabled)
#   /opt/acme/                       a vendor daemon and its own library,
#                                    started by /etc/init.d/acme-agent with
#                                    rc?.d links
#   /home/dev/src/acme/              its git checkout and build tree
# Output, all in OUTDIR:
#   lived.img   raw, MBR (disk id 0x1f000a00): sda1 /boot, sda2 / (the
#               sample's filesystem UUIDs, so its fstab and grub.cfg hold)
#   tree/       the staged root (with /boot) the filesystems were made from
#   expect/     what the builder used: kver, java_version (the JDK's
#               release file), python_version (pyvenv.cfg), node_version,
#               acme_glibc (objdump's highest GLIBC_ need of the daemon and
#               its library), files (regular files in the tree)
# Nothing is rebuilt when OUTDIR/.stamp matches this script, fixture-lib.sh
# and the saved tree.  Needs root (owners in the tree), e2fsprogs, fdisk,
# zstd, gcc, binutils, git, python3 with venv, node, unmkinitramfs
# (initramfs-tools-core) and openjdk-17-jre-headless.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
IMAGES=${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}
OUTDIR=${1:-$IMAGES/lived}
OUTDIR=$(mkdir -p "$OUTDIR" && cd "$OUTDIR" && pwd)
SAMPLE_DIR=$(dirname "$OUTDIR")
SAMPLE_TAR=$SAMPLE_DIR/debian12-root.tar.zst
JDK=/usr/lib/jvm/java-17-openjdk-amd64

NAME=build-lived
# shellcheck source=images/fixture-lib.sh
. "$HERE/fixture-lib.sh"
[ "$(id -u)" -eq 0 ] || die "must run as root (the tree keeps its owners)"
need_tools mkfs.ext4 sfdisk zstd tar gcc objdump git node unmkinitramfs /usr/bin/python3 \
    "$JDK/bin/java"
dpkg-query -W -f='${Status}' openjdk-17-jre-headless 2>/dev/null | grep -q "ok installed" ||
    die "openjdk-17-jre-headless is not installed"

"$HERE/build-sample.sh" "$SAMPLE_DIR"
[ -s "$SAMPLE_TAR" ] || die "$SAMPLE_TAR is missing after images/build-sample.sh"
stat -c '%s %Y' "$SAMPLE_TAR" >"$OUTDIR/.sample"
fixtures_begin "$HERE/build-lived.sh" "$HERE/fixture-lib.sh" "$OUTDIR/.sample"

R=$WORK/tree
E=$WORK/expect
B=$WORK/build
mkdir -p "$R" "$E" "$B"
log "unpacking the sample's root tree"
zstd -dc "$SAMPLE_TAR" | tar --numeric-owner --xattrs --xattrs-include='*' --acls -xf - -C "$R"
KVER=$(basename "$(ls -d "$R"/usr/lib/modules/* | sort -V | tail -n 1)")
[ -f "$R/boot/initrd.img-$KVER" ] || die "no initramfs for $KVER in the sample's tree"
echo "$KVER" >"$E/kver"

# ---- what use leaves: a backup of the modules, an unpacked initramfs
log "backup copies and an unpacked initramfs"
mkdir -p "$R/root/backup/lib/modules"
cp -a "$R/usr/lib/modules/$KVER" "$R/root/backup/lib/modules/"
unmkinitramfs "$R/boot/initrd.img-$KVER" "$R/tmp/initrd-$KVER"

# ---- a JDK and Tomcat with a web application
log "JDK 17 and Tomcat"
J=$R/opt/jdk-17
dpkg -L openjdk-17-jre-headless | while read -r f; do
    case $f in "$JDK"/lib/modules|"$JDK"/lib/ct.sym) continue ;; "$JDK"/*) ;; *) continue ;; esac
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    mkdir -p "$J/$(dirname "${f#"$JDK"/}")"
    cp -L "$f" "$J/${f#"$JDK"/}"
done
cp "$JDK/release" "$J/release"
sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$J/release" >"$E/java_version"
[ -s "$E/java_version" ] || die "no JAVA_VERSION in $JDK/release"
T=$R/opt/tomcat
mkdir -p "$T/bin" "$T/lib" "$T/conf" "$T/webapps" "$T/logs"
cat >"$T/bin/catalina.sh" <<'EOF'
#!/bin/sh
# Start Script for the CATALINA Server
CATALINA_HOME=$(cd "$(dirname "$0")/.." && pwd)
exec "$JAVA_HOME/bin/java" -classpath "$CATALINA_HOME/bin/bootstrap.jar" \
    -Dcatalina.home="$CATALINA_HOME" org.apache.catalina.startup.Bootstrap "$@" start
EOF
chmod 0755 "$T/bin/catalina.sh"
echo '<Server port="8005" shutdown="SHUTDOWN"/>' >"$T/conf/server.xml"
/usr/bin/python3 - "$T" <<'PY'
import sys, zipfile
t = sys.argv[1]
def jar(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        for name, data in entries:
            z.writestr(name, data)
jar(t + "/bin/bootstrap.jar", [("org/apache/catalina/startup/Bootstrap.class", b"\xca\xfe\xba\xbe")])
jar(t + "/lib/catalina.jar", [("org/apache/catalina/Server.class", b"\xca\xfe\xba\xbe")])
jar(t + "/webapps/shop.war", [("WEB-INF/web.xml", "<web-app/>\n"),
                              ("WEB-INF/classes/shop/Cart.class", b"\xca\xfe\xba\xbe"),
                              ("index.jsp", "<html>shop</html>\n")])
PY
unit() {   # name description ExecStart [Environment]
    cat >"$R/etc/systemd/system/$1.service" <<EOF
[Unit]
Description=$2
After=network.target

[Service]
${4:+Environment=$4}
ExecStart=$3
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
    ln -sf "/etc/systemd/system/$1.service" "$R/etc/systemd/system/multi-user.target.wants/$1.service"
}
mkdir -p "$R/etc/systemd/system/multi-user.target.wants" "$R/etc/init.d"
unit tomcat "Apache Tomcat" "/opt/tomcat/bin/catalina.sh run" "JAVA_HOME=/opt/jdk-17"

# ---- a Python virtualenv with a compiled extension
log "Python virtualenv"
P=$R/opt/inventory
mkdir -p "$P"
/usr/bin/python3 -m venv --copies --without-pip "$P/venv"
sed -n 's/^version *= *//p' "$P/venv/pyvenv.cfg" >"$E/python_version"
[ -s "$E/python_version" ] || die "no version in pyvenv.cfg"
PYLIB=$(ls -d "$P/venv/lib/python3."*)
mkdir -p "$PYLIB/site-packages"
printf '#include <stdio.h>\nint fast(void) { return puts("x"); }\n' >"$B/ext.c"
gcc -shared -fPIC -o "$PYLIB/site-packages/_fast.cpython-3-x86_64-linux-gnu.so" "$B/ext.c"
printf '#!/opt/inventory/venv/bin/python3\nimport _fast\n' >"$P/serve.py"
chmod 0755 "$P/serve.py"
unit inventory "Inventory API" "/opt/inventory/venv/bin/python3 /opt/inventory/serve.py"

# ---- a Node.js service with a native addon
log "Node.js service"
N=$R/opt/orders
NODE_VERSION=$(node --version | sed 's/^v//')
echo "$NODE_VERSION" >"$E/node_version"
mkdir -p "$N/bin" "$N/node_modules/fastcsv/build/Release"
printf '#include <stdio.h>\nint main(void) { return puts("node") < 0; }\n' >"$B/node.c"
gcc -O1 -o "$N/bin/node" "$B/node.c"
# The path of the headers URL every node binary carries, where its version
# is read (the host does not matter to it).
printf '\0/download/release/v%s/node-v%s-headers.tar.gz\0' \
    "$NODE_VERSION" "$NODE_VERSION" >>"$N/bin/node"
cat >"$B/addon.c" <<'EOF'
#include <string.h>
/* The N-API entry point node looks up in an addon. */
void *napi_register_module_v1(void *env, void *exports)
{
    (void)env;
    return memchr(exports, 0, 1);
}
EOF
gcc -shared -fPIC -O1 -o "$N/node_modules/fastcsv/build/Release/fastcsv.node" "$B/addon.c"
printf "const csv = require('fastcsv');\nrequire('http').createServer().listen(3000);\n" >"$N/server.js"
unit orders-api "Orders API" "/opt/orders/bin/node /opt/orders/server.js"

# ---- a vendor daemon from an init script, and its build tree in a home
log "vendor daemon and its build tree"
S=$R/home/dev/src/acme
mkdir -p "$S/src" "$S/build"
cat >"$S/src/libacme.c" <<'EOF'
#include <string.h>
#include <zlib.h>
unsigned long acme_crc(const char *s) { return crc32(0, (const unsigned char *)s, strlen(s)); }
EOF
cat >"$S/src/acmed.c" <<'EOF'
#include <stdio.h>
unsigned long acme_crc(const char *s);
int main(void) { printf("%lu\n", acme_crc("acme")); return 0; }
EOF
printf 'all:\n\tcc -shared -fPIC -o build/libacme.so.1 src/libacme.c -lz\n\tcc -o build/acmed src/acmed.c build/libacme.so.1\n' \
    >"$S/Makefile"
gcc -shared -fPIC -Wl,-soname,libacme.so.1 -o "$S/build/libacme.so.1" "$S/src/libacme.c" -lz
gcc -c -o "$S/build/acmed.o" "$S/src/acmed.c"
gcc -o "$S/build/acmed" "$S/build/acmed.o" "$S/build/libacme.so.1" -Wl,-rpath,/opt/acme/lib
git -C "$S" init -q
chown -R 1000:1000 "$R/home/dev"
A=$R/opt/acme
mkdir -p "$A/bin" "$A/lib" "$A/etc"
cp "$S/build/acmed" "$A/bin/acmed"
cp "$S/build/libacme.so.1" "$A/lib/libacme.so.1"
echo 'interval=60' >"$A/etc/acme.conf"
objdump -p "$A/bin/acmed" "$A/lib/libacme.so.1" | sed -n 's/.*GLIBC_\([0-9.]*\).*/\1/p' |
    sort -V | tail -n 1 >"$E/acme_glibc"
cat >"$R/etc/init.d/acme-agent" <<'EOF'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          acme-agent
# Required-Start:    $network $remote_fs
# Required-Stop:     $network $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: ACME monitoring agent
### END INIT INFO
case "$1" in
start) start-stop-daemon --start --background --exec /opt/acme/bin/acmed ;;
stop) start-stop-daemon --stop --exec /opt/acme/bin/acmed ;;
esac
EOF
chmod 0755 "$R/etc/init.d/acme-agent"
mkdir -p "$R"/etc/rc{0,1,2,3,4,5,6}.d
for l in 2 3 4 5; do ln -sf ../init.d/acme-agent "$R/etc/rc$l.d/S01acme-agent"; done
for l in 0 1 6; do ln -sf ../init.d/acme-agent "$R/etc/rc$l.d/K01acme-agent"; done

find "$R" -type f | wc -l >"$E/files"

# ---- the image: /boot and / as the sample has them
log "filesystems and disk image"
BOOT_UUID=$(sed -n 's|^UUID=\([^ ]*\) */boot .*|\1|p' "$R/etc/fstab")
ROOT_UUID=$(sed -n 's|^UUID=\([^ ]*\) */ .*|\1|p' "$R/etc/fstab")
[ -n "$BOOT_UUID" ] && [ -n "$ROOT_UUID" ] || die "the sample's fstab names no / and /boot by UUID"
size_mib() { echo $(( $(du -sm "$1" | cut -f1) * 13 / 10 + 64 )); }
# The root's filesystem gets an empty /boot, the mount point.
mv "$R/boot" "$WORK/boot"
mkdir "$R/boot"
BOOT_MIB=$(size_mib "$WORK/boot")
ROOT_MIB=$(size_mib "$R")
mkext4 "$WORK/boot" "$BOOT_UUID" boot "$BOOT_MIB" "$WORK/boot.ext4"
mkext4 "$R" "$ROOT_UUID" root "$ROOT_MIB" "$WORK/root.ext4"
rmdir "$R/boot"
mv "$WORK/boot" "$R/boot"
IMG=$WORK/lived.img
truncate -s "$((1 + BOOT_MIB + ROOT_MIB + 1))M" "$IMG"
printf 'label: dos\nlabel-id: 0x1f000a00\nunit: sectors\n\n%s\n%s\n' \
    "start=2048, size=$((BOOT_MIB * 2048)), type=83, bootable" \
    "start=$(((1 + BOOT_MIB) * 2048)), size=$((ROOT_MIB * 2048)), type=83" | sfdisk -q "$IMG"
dd if="$WORK/boot.ext4" of="$IMG" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$WORK/root.ext4" of="$IMG" bs=1M seek=$((1 + BOOT_MIB)) conv=notrunc,sparse status=none

rm -rf "$OUTDIR/tree" "$OUTDIR/expect"
mv "$R" "$OUTDIR/tree"
mv "$E" "$OUTDIR/expect"
mv "$IMG" "$OUTDIR/lived.img"
fixtures_end
