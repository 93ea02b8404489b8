#!/bin/sh
# A stand-in for qemu (LIBGUESTFS_HV) that misbehaves on purpose, for the
# tests of the launch fallback and of stalls.  libguestfs's own queries of
# qemu (-help, -device ?, QMP) go to the real qemu unchanged; an appliance
# launch (-kernel among the arguments) is changed by $STANDIN_MODE:
#   no-kvm       a KVM launch fails at once, as on a host with broken KVM
#   paused       qemu starts with its CPUs stopped: the appliance never boots
#   paused-once  the first launch is paused, the next ones run as usual
#                ($STANDIN_ONCE names the file that marks the first)
#   stall-after  qemu stops (SIGSTOP) once the host has written the probe
#                into its disk, i.e. after boot and mounts, mid-run
#   panic        the appliance's kernel looks for an init that is not there,
#                panics, says so on the console and hangs (panic=0)
# $STANDIN_QEMU is the real qemu.  When $STANDIN_ARGS names a file, each
# launch appends its arguments to it, one line per launch.
set -eu
real=${STANDIN_QEMU:?STANDIN_QEMU names the real qemu}
launch=no
for a; do
    [ "$a" = -kernel ] && launch=yes
done
[ "$launch" = yes ] || exec "$real" "$@"
[ -z "${STANDIN_ARGS:-}" ] || printf '%s\n' "$*" >>"$STANDIN_ARGS"
case ${STANDIN_MODE:-} in
no-kvm)
    case " $* " in
    *accel=kvm*) echo "stand-in qemu: KVM refused" >&2; exit 1 ;;
    esac
    ;;
paused)
    exec "$real" -S "$@"
    ;;
paused-once)
    once=${STANDIN_ONCE:?STANDIN_ONCE names the file that marks the first launch}
    if [ ! -e "$once" ]; then
        : >"$once"
        exec "$real" -S "$@"
    fi
    ;;
panic)
    prev=
    for a; do
        shift
        [ "$prev" = -append ] && a="$a rdinit=/liftcheck-no-init panic=0"
        set -- "$@" "$a"
        prev=$a
    done
    ;;
stall-after)
    disk=
    for a; do
        case $a in
        file=*probe.img,*) disk=${a#file=}; disk=${disk%%,*} ;;
        esac
    done
    me=$$
    # Bounded, and gone with qemu: never outlives the test.
    (
        i=0
        while [ $i -lt 3000 ] && kill -0 "$me" 2>/dev/null; do
            if [ -n "$disk" ] && head -c 4 "$disk" 2>/dev/null | grep -qa ELF; then
                kill -STOP "$me"
                exit 0
            fi
            sleep 0.2
            i=$((i + 1))
        done
    ) </dev/null >/dev/null 2>&1 &
    ;;
esac
exec "$real" "$@"
