"""liftcheck's OS facts and mountpoints against libguestfs's own inspection
(guestfs_inspect_os and the inspect_get_* calls), field by field, on every
image the integration tests build.  Where they differ on purpose, IMAGES
names the field and why liftcheck's answer is the better one; any other
difference fails, and so does a named difference that is no longer there.

libguestfs runs once, every image (or every image of this part, see
LIFTCHECK_DIFF_PART) added read-only to one appliance (inspection finds
every root across all drives), LUKS volumes opened with
their keys first.  liftcheck's side is the report another test already wrote
for the same binary, arguments and image (lc.cached_report), or a run of its
own when there is none.  Images share filesystem UUIDs (the sample and its raw
copy, for one), so the appliance may resolve a guest's UUID= to a twin on
another image: filesystems are compared by UUID (and btrfs subvolume), which
the twins share, not by the appliance's device name."""

import concurrent.futures
import os
import re
import sys
import time
import unittest

import lc

try:
    import guestfs
except ImportError:
    guestfs = None


def sample():
    lc.ensure_fixtures()
    return [os.path.join(lc.CACHE, "debian12.qcow2")]


def fixtures(*names):
    return lambda: [lc.fixture(n) for n in names]


def volumes(*names):
    return lambda: [os.path.join(lc.ensure_volumes(), n) for n in names]


def legacy():
    return [lc.ensure_legacy()]


def built(script, subdir, image, what):
    """An image of one of images/build-*.sh, built (or reused) as its own test does."""
    def disks():
        lc.build_with(script, os.path.join(lc.CACHE, subdir), what)
        return [os.path.join(lc.CACHE, subdir, image)]
    return disks


def bootchain(image):
    return lambda: [os.path.join(lc.ensure_bootchains()[0], image)]


def passphrase(name):
    with open(os.path.join(lc.VOLUMES_DIR, name)) as f:
        return f.readline().rstrip("\n")


# images/build-volumes.sh: the LUKS UUIDs of luks-root.img and their keys.
LUKS_ROOT = lc.fixture_uuid(902)
LUKS_SRV = lc.fixture_uuid(904)


def luks_keys():
    return {LUKS_ROOT: passphrase("luks-root.pass"), LUKS_SRV: passphrase("luks-srv.pass")}


def luks_args(disks):
    """test_luks.py's run with both keys (one on stdin), so its report is reused."""
    return (["--keys-from-stdin", "--key", "%s:file:%s" % (
        LUKS_SRV, os.path.join(lc.VOLUMES_DIR, "luks-srv.pass"))] + disks,
        passphrase("luks-root.pass") + "\n")


class Image:
    """disks: builds (or reuses) the image, returns its disk paths.
    args: liftcheck's arguments and standard input for those disks (the
    same as the test that runs it, so its report is reused).
    keys: LUKS UUID -> passphrase, for libguestfs.
    differs: field -> why liftcheck's answer is the better one."""

    def __init__(self, name, disks, args=None, keys=None, differs=None):
        self.name, self.disks_fn = name, disks
        self.args_fn = args or (lambda d: (d, None))
        self.keys_fn = keys or dict
        self.differs = differs or {}


# Where liftcheck is right and libguestfs is not, field -> why.
DEBIAN = {
    "product_name": "libguestfs replaces os-release's PRETTY_NAME (\"Debian GNU/Linux 12 "
                    "(bookworm)\") with the line of /etc/debian_version it reads the minor "
                    "version from (\"12.5\"), a version and not a product name",
}

# Fields: type distro major minor product_name hostname package_format arch
# root, and "mount PATH" for each mountpoint.  Adding an image is one line.
IMAGES = [
    Image("sample-qcow2", sample, differs=DEBIAN),
    Image("sample-raw", fixtures("debian12-sep-boot.raw"), differs=DEBIAN),
    Image("lvm-root", fixtures("lvm-root.img"), differs=DEBIAN),
    Image("lvm-span", fixtures("lvm-span-0.img", "lvm-span-1.img"), differs=DEBIAN),
    Image("raid", fixtures("raid-0.img", "raid-1.img"), differs=DEBIAN),
    Image("two-disks", fixtures("two-disk-0.img", "two-disk-1.img"),
          args=lambda d: (["--disk-format", "raw"] + d, None), differs=DEBIAN),
    Image("alma8", fixtures("synthetic-alma8.img"), differs={
        "distro": "libguestfs 1.48 does not know os-release's ID=almalinux: \"redhat-based\"",
        "product_name": "libguestfs, not knowing the distro, takes redhat-release's line; "
                        "liftcheck os-release's PRETTY_NAME"}),
    Image("amzn2", fixtures("synthetic-amzn2.img"), differs={
        "distro": "libguestfs 1.48 finds no distro in Amazon Linux 2's os-release (ID=amzn) "
                  "and system-release; liftcheck maps amzn to amazonlinux",
        "package_format": "follows from the distro: Amazon Linux installs rpm packages"}),
    Image("rocky9", fixtures("synthetic-rocky9.img")),
    Image("nitro-fixable", fixtures("nitro-fixable.img"), differs=DEBIAN),
    Image("nitro-blocked", fixtures("nitro-blocked.img"), differs=DEBIAN),
    Image("hostile", fixtures("hostile.img"), differs=dict(DEBIAN, mountpoints=(
        "python3-guestfs cannot return mountpoints that are not UTF-8, and this fstab's "
        "are hostile bytes; liftcheck reports them escaped"))),
    Image("dirty-journal", fixtures("dirty-journal.qcow2"), differs=DEBIAN),
    Image("whole-disk", fixtures("whole-disk.img")),
    Image("data-only", fixtures("data-only.disk")),
    Image("legacy", legacy, differs=DEBIAN),
    Image("luks-root", volumes("luks-root.img"), args=luks_args, keys=luks_keys, differs=DEBIAN),
    Image("md-boot", volumes("md-boot-0.img", "md-boot-1.img"), differs=DEBIAN),
    Image("btrfs-subvols", volumes("btrfs-subvols.img"), differs=DEBIAN),
    Image("el7", built("build-el7.sh", "el7", "el7.img", "EL7 image"), differs={
        "product_name": "libguestfs takes centos-release's line (\"CentOS Linux release "
                        "7.9.2009 (Core)\"), liftcheck os-release's PRETTY_NAME (\"CentOS "
                        "Linux 7 (Core)\"), the name the distro gives the product; the full "
                        "version is the version field's"}),
    Image("el6-cciss", bootchain("el6-cciss.img"), differs=dict.fromkeys(
        ("mount /", "mount /boot"),
        "fstab names the HP Smart Array's /dev/cciss/c0d0p2 and c0d0p1, which libguestfs "
        "leaves unresolved; liftcheck maps the first controller disk to the first input disk "
        "and mounts the partitions, as the server did")),
    Image("uefi-gpt", bootchain("uefi-gpt.img")),
    Image("lived", built("build-lived.sh", "lived", "lived.img", "lived-in image"),
          differs=DEBIAN),
]

# LIFTCHECK_DIFF_IMAGES=NAME,NAME compares only those (while working on one).
ONLY = [n for n in os.environ.get("LIFTCHECK_DIFF_IMAGES", "").split(",") if n]
if ONLY:
    IMAGES = [im for im in IMAGES if im.name in ONLY]

FIELDS = ["type", "distro", "major", "minor", "product_name", "hostname", "package_format",
          "arch", "root"]


def disk_format(path):
    """As the fixtures are made (data-only.disk is raw under a name to probe)."""
    return "qcow2" if path.endswith(".qcow2") else "raw"


def subvol_of(options):
    for o in (options or "").split(","):
        if o.startswith("subvol="):
            return o[len("subvol="):].lstrip("/")
    return None


def fs_key(uuid, device, subvol=None):
    """How a filesystem is compared: its UUID, else its device name; the
    btrfs subvolume after it."""
    k = ("UUID=" + uuid) if uuid else device
    return "%s[%s]" % (k, subvol) if subvol else k


def ours(rep):
    """The facts of a liftcheck report, or None when it found no OS."""
    o = rep.get("os")
    if not o:
        return None
    fss = {fs["device"]: fs for v in rep["volumes"] for fs in v["filesystems"]}

    def key(device, subvol=None):
        fs = fss.get(device) or {}
        return fs_key(fs.get("uuid"), device, subvol)

    root_fstab = [e for e in rep.get("fstab") or [] if e["mountpoint"] == "/"]
    facts = {f: o.get(f) for f in FIELDS if f != "root"}
    facts["root"] = key(o["root_device"],
                        subvol_of(root_fstab[0]["options"]) if root_fstab else None)
    for e in rep.get("fstab") or []:
        if e["filesystem"] and e["mountpoint"].startswith("/"):
            facts["mount " + e["mountpoint"]] = key(e["filesystem"], subvol_of(e["options"]))
    facts.setdefault("mount /", facts["root"])
    return facts


def hexdigits(uuid):
    """An md UUID as mdadm (8:8:8:8) and blkid (8-4-4-4-12) write it alike."""
    return re.sub(r"[^0-9a-f]", "", (uuid or "").lower())


def drive_label(index):
    """A drive's label: letters only, as libguestfs requires."""
    return "lcdiff" + chr(ord("a") + index // 26) + chr(ord("a") + index % 26)


class Appliance:
    """One libguestfs handle with every image's disks added read-only."""

    def __init__(self, images):
        self.g = guestfs.GuestFS(python_return_dict=True)
        self.owner = []   # disk index -> image name
        self.labels = []  # disk index -> its label (/dev/disk/guestfs/LABEL)
        self._kernel_names = None
        for im in images:
            for d in im.disks:
                label = drive_label(len(self.owner))
                self.g.add_drive_opts(d, readonly=1, format=disk_format(d), label=label)
                self.owner.append(im.name)
                self.labels.append(label)
        t0 = time.monotonic()
        self.g.launch()
        self.launch_s = time.monotonic() - t0
        self.devices = self.g.list_devices()
        self.luks = {}    # /dev/mapper/NAME -> the LUKS device it opens
        self._raid_members = None
        self.uuids = {}   # image name -> own_uuids
        keys = {u: k for im in images for u, k in im.keys.items()}
        self.open_luks(keys)
        t0 = time.monotonic()
        self.roots = self.g.inspect_os()
        self.inspect_s = time.monotonic() - t0

    def open_luks(self, keys):
        """Opens every LUKS volume a key is given for, then those that
        appear inside them (LUKS on LVM on LUKS...), a bounded number of rounds."""
        opened = set()
        for _ in range(4):
            found = 0
            # partitions, whole disks and LVs: cheaper than list_filesystems,
            # which inspect_os runs anyway
            for dev in self.devices + self.g.list_partitions() + self.g.lvs():
                if dev in opened or self.vfs_type(dev) != "crypto_LUKS":
                    continue
                uuid = self.g.vfs_uuid(dev)
                if uuid not in keys:
                    continue
                name = "lcdiff%d" % len(self.luks)
                self.g.cryptsetup_open(dev, keys[uuid], name, readonly=True)
                self.luks["/dev/mapper/" + name] = dev
                opened.add(dev)
                found += 1
            if not found:
                return
            self.g.lvm_scan(True)

    def kernel_disk(self, disk):
        """The API's name for a whole disk the appliance's kernel named
        `disk`, or None.  The drives' labels tie the two namings together;
        they differ when the kernel probed the drives in another order."""
        if self._kernel_names is None:
            out = self.g.debug("sh", ['for l in /dev/disk/guestfs/*; do '
                                      'echo "${l##*/}" "$(readlink -f "$l")"; done'])
            self._kernel_names = {}
            for line in out.splitlines():
                f = line.split()
                if len(f) == 2 and f[0] in self.labels:
                    self._kernel_names[f[1]] = self.devices[self.labels.index(f[0])]
        return self._kernel_names.get(disk)

    def from_kernel(self, mountable):
        """A btrfsvol: mountable named with the API's device.  libguestfs
        hands these out with the device as the appliance's kernel named it,
        another drive's name when the kernel probed the drives in another
        order (and then refuses the name it handed out)."""
        m = re.match(r"^btrfsvol:/dev/([a-z]+)([0-9]*)/(.*)$", mountable)
        if not m:
            return mountable
        disk = self.kernel_disk("/dev/" + m.group(1))
        return "btrfsvol:%s%s/%s" % (disk, m.group(2), m.group(3)) if disk else mountable

    def api_name(self, device):
        """A /dev/sdX[N] name the API does not list is the kernel's, handed
        out untranslated (a drive past the API's last letter): the API's
        name for the same partition, or the name itself."""
        m = re.match(r"^(/dev/sd[a-z]+)([0-9]*)$", device)
        if not m or m.group(1) in self.devices:
            return device
        disk = self.kernel_disk(m.group(1))
        return disk + m.group(2) if disk else device

    def raid_members(self):
        if self._raid_members is None:
            self._raid_members = [d for d in self.devices + self.g.list_partitions()
                                  if self.vfs_type(d) == "linux_raid_member"]
        return self._raid_members

    def vfs_type(self, device):
        try:
            return self.g.vfs_type(device)
        except RuntimeError:
            return None

    def disks_of(self, device, depth=0):
        """The disk indexes a device lives on (through partitions, md, LVM
        and LUKS)."""
        if depth > 8:
            return set()
        g = self.g
        m = re.match(r"^btrfsvol:(/dev/[^/]+)/", device)
        if m:
            device = m.group(1)
        device = self.api_name(device)
        if device in self.devices:
            return {self.devices.index(device)}
        if device in self.luks:
            return self.disks_of(self.luks[device], depth + 1)
        if re.match(r"^/dev/md", device):
            # md_stat names members as the appliance's kernel does, which
            # may differ from the API's names when it probed the disks in
            # another order: find them by the array's UUID instead.
            uuid = hexdigits(g.md_detail(device).get("uuid", ""))
            return set().union(*[self.disks_of(d, depth + 1) for d in self.raid_members()
                                 if hexdigits(self.g.vfs_uuid(d)) == uuid])
        try:
            return self.disks_of(g.part_to_dev(device), depth + 1)
        except RuntimeError:
            pass
        lv = g.lvm_canonical_lv_name(device)
        vg = lv.split("/")[2]
        pvs = set(g.vgpvuuids(vg))
        return set().union(*[self.disks_of(pv, depth + 1) for pv in g.pvs()
                             if g.pvuuid(pv) in pvs])

    def uuid(self, device):
        try:
            return self.g.vfs_uuid(device) or None
        except RuntimeError:
            return None

    def own_uuids(self, name):
        """The UUIDs of the filesystems on an image's disks and partitions."""
        if name not in self.uuids:
            mine = [d for i, d in enumerate(self.devices) if self.owner[i] == name]
            parts = [p for p in self.g.list_partitions() if self.g.part_to_dev(p) in mine]
            self.uuids[name] = {self.uuid(d) for d in mine + parts} - {None}
        return self.uuids[name]

    def local(self, device, name):
        """The device an image's own appliance would have named: the guest's
        sdX/vdX/xvdX/cciss names are resolved by drive position, which in
        this appliance is another image's drive.  A filesystem UUID shared by
        two images (a copy of the sample) is resolved to either: that one is
        kept."""
        device = self.api_name(device)
        m = re.match(r"^/dev/sd([a-z]+)([0-9]*)$", device)
        if not m or "/dev/sd" + m.group(1) not in self.devices:
            return device
        g = self.devices.index("/dev/sd" + m.group(1))
        if self.owner[g] == name:
            return device
        if self.uuid(device) in self.own_uuids(name):
            return device
        first = self.owner.index(name)
        if g >= self.owner.count(name):
            return device
        return self.devices[first + g] + m.group(2)

    def key(self, device, name):
        m = re.match(r"^btrfsvol:(/dev/[^/]+)/(.*)$", device)
        dev, subvol = (m.group(1), m.group(2)) if m else (device, None)
        dev = self.local(dev, name)
        return fs_key(self.uuid(dev), dev, subvol)

    def facts(self, root, name, kernel_names):
        g = self.g
        facts = {
            "type": g.inspect_get_type(root),
            "distro": g.inspect_get_distro(root),
            "major": g.inspect_get_major_version(root),
            "minor": g.inspect_get_minor_version(root),
            "product_name": g.inspect_get_product_name(root),
            "hostname": g.inspect_get_hostname(root),
            "package_format": g.inspect_get_package_format(root),
            "arch": g.inspect_get_arch(root),
            "root": self.key(root, name),
        }
        for f in ("distro", "product_name", "hostname", "package_format", "arch"):
            if facts[f] == "unknown":
                facts[f] = None
        try:
            mounts = g.inspect_get_mountpoints(root)
        except UnicodeDecodeError:
            # the binding decodes every mountpoint as UTF-8; hostile.img's are not
            facts["mountpoints"] = "not UTF-8"
            return facts
        for mp, dev in mounts.items():
            facts["mount " + mp] = self.key(self.from_kernel(dev) if kernel_names else dev, name)
        return facts

    def by_image(self):
        """image name -> [facts of each root found on its disks]."""
        out = {}
        for r in self.roots:
            # a root libguestfs cannot look up again was named the kernel's way
            kernel_names = False
            try:
                self.g.inspect_get_type(r)
            except RuntimeError:
                if self.from_kernel(r) != r:
                    r, kernel_names = self.from_kernel(r), True
            owners = {self.owner[i] for i in self.disks_of(r)}
            if len(owners) != 1:
                raise AssertionError("root %s is on the disks of %s" % (r, sorted(owners)))
            name = owners.pop()
            try:
                facts = self.facts(r, name, kernel_names)
            except RuntimeError as e:
                # said for this image, not lost with every other one
                facts = {"libguestfs error": str(e)}
            out.setdefault(name, []).append(facts)
        return out

    def close(self):
        self.g.close()


def compare(theirs, mine):
    """Every field either side has: name -> (libguestfs, liftcheck) where they differ."""
    return {f: (theirs.get(f), mine.get(f)) for f in sorted(set(theirs) | set(mine))
            if theirs.get(f) != mine.get(f)}


# LIFTCHECK_DIFF_PART=K/N keeps every Nth image from the Kth: meson runs the
# halves side by side, one appliance each.
_part = os.environ.get("LIFTCHECK_DIFF_PART", "")
if _part:
    _k, _n = (int(x) for x in _part.split("/"))
    IMAGES = IMAGES[_k - 1::_n]


@unittest.skipIf(guestfs is None, "python3-guestfs is not installed")
class TestInspectDiff(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        lc.liftcheck()
        for im in IMAGES:
            im.disks = im.disks_fn()
            im.args, im.stdin = im.args_fn(im.disks)
            im.keys = im.keys_fn()
        cls.mine = {}
        for im in IMAGES:
            hit = lc.cached_report(im.args, im.stdin)
            if hit:
                cls.mine[im.name] = hit
        missing = [im for im in IMAGES if im.name not in cls.mine]
        sys.stderr.write("liftcheck reports reused for %d of %d images; runs for: %s\n" % (
            len(IMAGES) - len(missing), len(IMAGES), " ".join(im.name for im in missing)))

        def run(im):
            # beside the appliance and each other: more time than alone
            r = lc.Run(["--stall-timeout", str(2 * lc.RUN_TIMEOUT)] + im.args, inputs=im.disks,
                       stdin=im.stdin, timeout=2 * lc.RUN_TIMEOUT)
            r.cleanup()
            return im.name, (r.rc, r.report)

        def inspect():
            t0 = time.monotonic()
            app = Appliance(IMAGES)
            try:
                theirs = app.by_image()
            finally:
                app.close()
            sys.stderr.write("libguestfs: %d disks, launch %.1f s, inspect_os %.1f s, "
                             "all %.1f s\n" % (len(app.owner), app.launch_s, app.inspect_s,
                                               time.monotonic() - t0))
            return theirs

        # The appliance boots while the missing reports are made, two at a
        # time (each run and the appliance is one emulated CPU).
        t0 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            theirs = pool.submit(inspect)
            runs = [pool.submit(run, im) for im in missing]
            cls.mine.update(f.result() for f in runs)
            cls.theirs = theirs.result()
        sys.stderr.write("both sides in %.1f s\n" % (time.monotonic() - t0))

    def test_every_root_is_one_image(self):
        names = [im.name for im in IMAGES]
        self.assertLessEqual(set(self.theirs), set(names))
        for name, roots in self.theirs.items():
            self.assertEqual(len(roots), 1, "libguestfs found %d roots on %s" % (len(roots), name))

    def test_images(self):
        for im in IMAGES:
            with self.subTest(image=im.name):
                rc, rep = self.mine[im.name]
                theirs = (self.theirs.get(im.name) or [None])[0]
                self.assertIn(rc, (0, 1), "liftcheck failed on %s; libguestfs: %s" % (
                    im.name, theirs))
                self.assertIsNotNone(rep, "no report for %s" % im.name)
                mine = ours(rep)
                sys.stderr.write("%s: libguestfs %s\n%s: liftcheck  %s\n" % (
                    im.name, theirs, im.name, mine))
                if theirs is None or mine is None:
                    self.assertEqual((theirs is None, mine is None), (True, True),
                                     "an OS on %s: libguestfs %s, liftcheck %s" % (
                                         im.name, theirs, mine))
                    continue
                if "mountpoints" in theirs:
                    mine = {f: v for f, v in mine.items() if not f.startswith("mount ")}
                diff = compare(theirs, mine)
                unexplained = {f: d for f, d in diff.items() if f not in im.differs}
                self.assertEqual(unexplained, {}, "%s: (libguestfs, liftcheck) differ" % im.name)
                stale = sorted(set(im.differs) - set(diff))
                self.assertEqual(stale, [], "%s: named differences no longer there" % im.name)


if __name__ == "__main__":
    lc.main()
