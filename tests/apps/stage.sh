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
