#!/bin/bash
# Build the OCI image of liftcheck with podman, from Debian 12 packages only.
#
#   deploy/container/build-image.sh BUILD_DIR [OUTDIR]
#
# BUILD_DIR is a configured and built meson build directory of liftcheck;
# OUTDIR defaults to ${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}.
# Prints the image's name (localhost/liftcheck:KEY, also tagged :latest).
#
# 1. The base: debootstrap (minbase) a Debian 12 root from the mirror this
#    machine's apt uses, with the same Debian sources, then apt-get the
#    packages libguestfs builds its appliance from (scripts/install-deps.sh
#    list-appliance) and those holding the libraries the installed binaries
#    link (found with ldd and dpkg -S on this machine, so the image has what
#    the build linked, no second list); a liftcheck user (uid 10001), and
#    the kernel made readable by it (supermin reads it to boot the appliance).
#    Saved as OUTDIR/container/base-KEY.tar.zst, KEY a hash of this script
#    and of the package list; reused while they stay the same.
# 2. `meson install` of BUILD_DIR into a DESTDIR, with deploy/liftcheck-wave.sh
#    as /usr/local/bin/liftcheck-wave (the Job's entrypoint), then `podman
#    build` of deploy/container/Containerfile over the base: USER 10001,
#    ENTRYPOINT liftcheck. The image's tag hashes the base key, the
#    Containerfile and every installed file; an existing tag is reused.
#
# Needs root (debootstrap, chroot), debootstrap, podman, zstd, and network
# access to the Debian mirror. The build runs no container.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 BUILD_DIR [OUTDIR]" >&2; exit 2; fi
BUILD=$(readlink -f "$1")
OUTDIR=${2:-${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}}/container
HERE=$(dirname "$(readlink -f "$0")")
SOURCE_ROOT=$(readlink -f "$HERE/../..")
SUITE=bookworm
USER_ID=10001

log() { printf '%s build-image: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot)"
for t in debootstrap podman zstd meson sha256sum; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
[ -f "$BUILD/build.ninja" ] || die "$BUILD is not a meson build directory"
mkdir -p "$OUTDIR"
exec 9>"$OUTDIR/.lock"
flock 9
start=$(date +%s)
WORK=$(mktemp -d "$OUTDIR/.work.XXXXXX")
ROOT=$WORK/root
CTX=$WORK/context
cleanup() {
    for m in proc sys dev/pts dev; do
        if mountpoint -q "$ROOT/$m" 2>/dev/null; then umount -l "$ROOT/$m"; fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- the install
log "meson install into a staging root"
meson install -C "$BUILD" --no-rebuild --quiet --destdir "$CTX/dest" >&2 ||
    die "meson install failed (is $BUILD built?)"
install -D -m 0755 "$SOURCE_ROOT/deploy/liftcheck-wave.sh" "$CTX/dest/usr/local/bin/liftcheck-wave"
mapfile -t binaries < <(find "$CTX/dest" -type f -perm -u+x)
[ "${#binaries[@]}" -gt 0 ] || die "meson install staged no program"

# ---------------------------------------------------------------- packages
# The package of each library an installed program loads (the dynamic ones;
# the probe is static). dpkg knows a file under /lib or /usr/lib, whichever
# its package ships.
lib_packages() {
    local bin lib real
    for bin in "${binaries[@]}"; do
        { ldd "$bin" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
    done | sort -u | while read -r lib; do
        real=$(readlink -f "$lib")
        { dpkg -S "$real" 2>/dev/null || dpkg -S "/usr$real" 2>/dev/null ||
          dpkg -S "${real#/usr}" 2>/dev/null || die "$real: no Debian package ships it"; } |
            head -n 1 | cut -d: -f1 | tr ',' '\n'
    done
}
libs=$(lib_packages)
[ -n "$libs" ] || die "found no library package for ${binaries[*]}"
appliance=$("$SOURCE_ROOT/scripts/install-deps.sh" list-appliance)
mapfile -t packages < <(printf '%s\n' "$appliance" "$libs" | sort -u)
# The Debian sources apt uses here ("URI SUITE" for each), main only.
# shellcheck disable=SC2016 # apt's format fields, not shell expansions
mapfile -t sources < <(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' \
                           'Origin: Debian' 'Component: main' 'Identifier: Packages' | sort -u)
mirror=$(printf '%s\n' "${sources[@]}" | awk -v s="$SUITE" '$2 == s { print $1; exit }')
[ -n "$mirror" ] || die "apt has no Debian $SUITE main source configured"

base_key=$({ sha256sum <"$(readlink -f "$0")"; printf '%s\n' "${packages[@]}" "${sources[@]}"; } |
           sha256sum | cut -c1-16)
BASE_TAR=$OUTDIR/base-$base_key.tar.zst
BASE_IMAGE=localhost/liftcheck-base:$base_key

# ---------------------------------------------------------------- the base
if [ -s "$BASE_TAR" ]; then
    log "base up to date: $BASE_TAR"
else
    log "debootstrap $SUITE (minbase) from $mirror"
    mkdir -p "$ROOT/etc/dpkg/dpkg.cfg.d"
    # No documentation, manuals or translations: nothing in the image reads them.
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
        'path-exclude /usr/share/locale/*' >"$ROOT/etc/dpkg/dpkg.cfg.d/01-nodoc"
    debootstrap --variant=minbase --arch=amd64 "$SUITE" "$ROOT" "$mirror" \
        >"$WORK/debootstrap.log" 2>&1 ||
        { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    printf '%s main\n' "${sources[@]}" | sed 's/^/deb /' >"$ROOT/etc/apt/sources.list"
    # No service starts in the chroot, and no initramfs is made: supermin
    # builds the appliance's own.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
    chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
    chroot "$ROOT" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs
    ln -s /bin/true "$ROOT/usr/sbin/update-initramfs"
    mount -t proc proc "$ROOT/proc"
    log "installing ${#packages[@]} packages and their dependencies"
    if ! { chroot "$ROOT" apt-get -q update &&
           DEBIAN_FRONTEND=noninteractive chroot "$ROOT" apt-get install -y -q \
               --no-install-recommends "${packages[@]}"; } >"$WORK/apt.log" 2>&1; then
        tail -n 30 "$WORK/apt.log" >&2
        die "apt-get in the new root failed (log above)"
    fi
    umount "$ROOT/proc"
    ls "$ROOT"/boot/vmlinuz-* >/dev/null 2>&1 || die "no kernel installed in the new root"
    chmod 0644 "$ROOT"/boot/vmlinuz-*
    chroot "$ROOT" useradd --uid "$USER_ID" --user-group --create-home \
        --shell /usr/sbin/nologin liftcheck
    chroot "$ROOT" apt-get clean
    rm -f "$ROOT/usr/sbin/policy-rc.d"
    rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/log/*.log \
           "$ROOT"/var/log/apt/* "$ROOT"/tmp/* "$ROOT"/var/tmp/* "$ROOT"/var/lib/dpkg/*-old \
           "$ROOT"/var/cache/debconf/*-old
    find "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" -mindepth 1 -delete 2>/dev/null || true
    log "saving the base ($(du -sm "$ROOT" | cut -f1) MiB)"
    tar --numeric-owner --xattrs --xattrs-include='*' -C "$ROOT" -cf - . |
        zstd -q -T0 -3 -o "$WORK/base.tar.zst"
    rm -rf "$ROOT"
    rm -f "$OUTDIR"/base-*.tar.zst
    mv -f "$WORK/base.tar.zst" "$BASE_TAR"
fi
if ! podman image exists "$BASE_IMAGE"; then
    log "podman import $BASE_IMAGE"
    zstd -q -d -c "$BASE_TAR" | podman import --quiet - "$BASE_IMAGE" >/dev/null
fi

# ---------------------------------------------------------------- the image
key=$({ echo "$base_key"; sha256sum <"$HERE/Containerfile"
        (cd "$CTX/dest" && find . \( -type f -o -type l \) -printf '%p %m %l\n' | sort &&
         find . -type f -print0 | sort -z | xargs -0 sha256sum); } | sha256sum | cut -c1-16)
IMAGE=localhost/liftcheck:$key
if podman image exists "$IMAGE"; then
    log "up to date: $IMAGE"
else
    podman build --quiet --pull=never --build-arg "BASE=$BASE_IMAGE" -t "$IMAGE" \
        -f "$HERE/Containerfile" "$CTX" >/dev/null
    log "done: $IMAGE ($(($(date +%s) - start)) s)"
fi
podman tag "$IMAGE" localhost/liftcheck:latest
# Older builds are dropped: each holds a base of about 950 MB.
podman images --format '{{.Repository}}:{{.Tag}}' |
    grep -E '^localhost/liftcheck(-base)?:' |
    grep -vxF -e "$IMAGE" -e "$BASE_IMAGE" -e localhost/liftcheck:latest |
    xargs -r podman rmi --force >/dev/null 2>&1 || true
echo "$IMAGE"
