"""The probe's ext2/3/4 readers give the snapshot the kernel's view gives.

Two ext4 images are made with mkfs.ext4 -d (1 KiB blocks; mkfs leaves
zero blocks as holes, so ELF files have holes and several extents) from a
tree of the host's own binaries and libraries, then loop-mounted read-only,
the second inside the first (a mount point hiding a directory).  The probe
runs twice on the mounted tree: once reading the filesystems from their
devices (libext2fs index, ELF files parsed from device reads), once through
the kernel only (LIFTCHECK_PROBE_NO_EXT=1).  Entries and recorded ranges
must be identical, and the summary must show the device paths were used.
A third run maps the files for the host instead of reading them (--direct,
with /dev/disk/guestfs labels made for the loop devices, as the appliance
has them): every regular file's bytes, read from the image file at the
mapped places, must equal what the kernel reads.

Needs root and loop devices: without them the test is skipped (exit 77).
"""

import collections
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HEADER = 4096
ENTRY = struct.Struct("<BBHHHI4xQQQQq")
RANGE = struct.Struct("<B3xIQQ")
DISK = struct.Struct("<B7x32sQ16s")
EXTENTS = struct.Struct("<B3xIIIQ")
EXTENT = struct.Struct("<QQQ")
LABELS = "/dev/disk/guestfs"


def load(path, want_extents=False):
    with open(path, "rb") as f:
        d = f.read()
    assert d[:8] == b"LCSNAP03", "no snapshot in %s" % path
    plen = struct.unpack_from("<Q", d, 8)[0]
    p, end = HEADER, HEADER + plen
    entries, ranges = [], collections.defaultdict(list)
    disks, extents = [], {}
    while p < end:
        if d[p] == ord("E"):
            f = ENTRY.unpack_from(d, p)
            p += ENTRY.size
            name = d[p:p + f[2]].rstrip(b"\0")
            p += f[2]
            link = d[p:p + f[3]].rstrip(b"\0")
            p += f[3]
            entries.append((name, link) + f[1:2] + f[5:])
        elif d[p] == ord("R"):
            _, ln, off, ent = RANGE.unpack_from(d, p)
            p += RANGE.size
            ranges[ent].append((off, d[p:p + ln]))
            p += ln
        elif d[p] == ord("D"):
            _, label, start, _uuid = DISK.unpack_from(d, p)
            p += DISK.size
            disks.append((label.split(b"\0")[0].decode(), start))
        elif d[p] == ord("X"):
            _, count, disk, _, ent = EXTENTS.unpack_from(d, p)
            p += EXTENTS.size
            extents[ent] = (disks[disk], [EXTENT.unpack_from(d, p + i * EXTENT.size)
                                          for i in range(count)])
            p += count * EXTENT.size
        else:
            raise AssertionError("bad record at %d" % p)
    if not want_extents:
        assert not extents, "extents recorded without --direct"
        return entries, dict(ranges)
    return entries, dict(ranges), extents


def read_mapped(image, size, maps):
    """A file's bytes as the host reads them: extents from the image, the
    rest zeros."""
    data = bytearray(size)
    with open(image, "rb") as f:
        for off, disk_off, ln in maps:
            if off >= size:
                break
            ln = min(ln, size - off)
            f.seek(disk_off)
            data[off:off + ln] = f.read(ln)
    return bytes(data)


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def stage(root):
    """Real ELF files (programs, libraries, i386 and static if present),
    symlinks, a sparse ELF file and a directory a mount will hide."""
    os.makedirs(root + "/usr/bin")
    os.makedirs(root + "/usr/lib")
    os.makedirs(root + "/usr/lib32")
    os.makedirs(root + "/hidden/sub")
    with open(root + "/hidden/sub/under-the-mount", "w") as f:
        f.write("not visible once mounted\n")
    picked, total = 0, 0
    for src, dst in (("/usr/bin", "/usr/bin"), ("/usr/lib/x86_64-linux-gnu", "/usr/lib"),
                     ("/usr/lib32", "/usr/lib32")):
        if not os.path.isdir(src):
            continue
        for name in sorted(os.listdir(src))[:150]:
            s = os.path.join(src, name)
            if os.path.islink(s):
                os.symlink(os.readlink(s), root + dst + "/" + name)
            elif (os.path.isfile(s) and is_elf(s) and os.path.getsize(s) < (8 << 20) and
                  total < (200 << 20)):
                shutil.copy2(s, root + dst + "/" + name)
                picked += 1
                total += os.path.getsize(s)
    with open("/bin/true", "rb") as f:
        head = f.read(4096)
    with open(root + "/usr/bin/sparse-elf", "wb") as f:
        f.write(head)
        f.seek(3 << 20)
        f.write(b"tail after a hole")
    return picked


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def main():
    probe = sys.argv[1]
    if os.geteuid() != 0 or not shutil.which("losetup"):
        print("SKIP: needs root and loop devices")
        return 77
    work = tempfile.mkdtemp(prefix="liftcheck-probe-ext-")
    mnt = work + "/mnt"
    mounted = []
    try:
        picked = stage(work + "/a")
        os.makedirs(work + "/b/deeper")
        shutil.copy2(probe, work + "/b/deeper/probe-copy")
        os.symlink("deeper/probe-copy", work + "/b/link")
        for name, size in (("a", "512M"), ("b", "64M")):
            run(["mkfs.ext4", "-q", "-F", "-b", "1024", "-d", work + "/" + name,
                 work + "/" + name + ".img", size])
        os.makedirs(mnt)
        for img, at in (("a.img", mnt), ("b.img", mnt + "/hidden/sub")):
            r = subprocess.run(["mount", "-o", "loop,ro", work + "/" + img, at],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print("SKIP: cannot loop-mount: " + r.stderr.strip())
                return 77
            mounted.insert(0, at)

        env = dict(os.environ)
        out = {}
        for mode in ("device", "kernel"):
            if mode == "kernel":
                env["LIFTCHECK_PROBE_NO_EXT"] = "1"
            snap = work + "/" + mode + ".snap"
            r = run([probe, mnt, snap, "0", str(256 << 20)], env=env)
            out[mode] = (load(snap), r.stdout)

        (ea, ra), summary = out["device"]
        (eb, rb), _ = out["kernel"]
        fail = check_direct(probe, work, mnt, mounted, eb, env)
        if ea != eb:
            fail.append("entries differ: %d vs %d" % (len(ea), len(eb)))
        if ra != rb:
            diff = sorted(set(ra) ^ set(rb)) or [k for k in ra if ra[k] != rb.get(k)]
            fail.append("ranges differ for %d entries, first %r" %
                        (len(diff), ea[diff[0]][0] if diff[0] < len(ea) else diff[0]))
        names = {e[0] for e in ea}
        if b"/hidden/sub/under-the-mount" in names or b"/hidden/sub/link" not in names:
            fail.append("the mount point was not crossed as the kernel does")
        m = re.search(r"ext (\d+) inodes \d+ dirs (\d+)", summary)
        d = re.search(r"elf-device (\d+)", summary)
        if not m or int(m.group(1)) != 2 or int(m.group(2)) < 5:
            fail.append("filesystems not read through their indexes: " + summary)
        if not d or int(d.group(1)) < picked:
            fail.append("ELF files not parsed from the device (%d copied): %s" %
                        (picked, summary))
        for f in fail:
            print("FAIL: " + f)
        if not fail:
            print("ok: %d entries, %d with ranges, %d ELF files copied; %s" %
                  (len(ea), len(ra), picked, summary.strip()))
        return 1 if fail else 0
    finally:
        for at in mounted:
            subprocess.run(["umount", at], capture_output=True)
        for link in made_labels:
            os.unlink(link)
        for d in made_dirs:
            os.rmdir(d)
        shutil.rmtree(work, ignore_errors=True)


made_labels, made_dirs = [], []


def check_direct(probe, work, mnt, mounted, kernel_entries, env):
    """The third run: --direct for both loop devices."""
    for d in ("/dev/disk", LABELS):
        if not os.path.isdir(d):
            os.mkdir(d)
            made_dirs.insert(0, d)
    images, args = {}, []
    for img, at in (("a.img", mnt), ("b.img", mnt + "/hidden/sub")):
        dev = run(["findmnt", "-n", "-o", "SOURCE", at]).stdout.strip()
        label = "lctest%d%s" % (os.getpid(), img[0])
        os.symlink(dev, LABELS + "/" + label)
        made_labels.append(LABELS + "/" + label)
        images[label] = work + "/" + img
        args += ["--direct", label + ":0"]
    env = dict(env)
    env.pop("LIFTCHECK_PROBE_NO_EXT", None)
    snap = work + "/direct.snap"
    r = run([probe] + args + [mnt, snap, "0", str(256 << 20)], env=env)
    entries, ranges, extents = load(snap, want_extents=True)
    fail = []
    if entries != kernel_entries:
        fail.append("direct: entries differ: %d vs %d" % (len(entries), len(kernel_entries)))
    regular = [i for i, e in enumerate(entries) if e[2] == 0]     # VFS_REG
    if len(extents) != len(regular):
        fail.append("direct: %d of %d regular files mapped: %s" %
                    (len(extents), len(regular), r.stdout))
    if set(extents) & set(ranges):
        fail.append("direct: a mapped file was also read by the probe")
    holes = 0
    for i, ((label, _start), maps) in extents.items():
        path = mnt + entries[i][0].decode("utf-8", "surrogateescape")
        with open(path, "rb") as f:
            want = f.read()
        got = read_mapped(images[label], len(want), maps)   # the image is the disk
        holes += sum(n for _, _, n in maps) < len(want)
        if got != want:
            fail.append("direct: %s differs from the kernel's bytes" % path)
            break
    if not holes:
        fail.append("direct: no file with a hole was mapped")
    return fail


if __name__ == "__main__":
    sys.exit(main())
