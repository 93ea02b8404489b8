"""An EL7-style server (el7.img of images/build-el7.sh): CentOS 7.9 release
files, /boot on XFS, the root on XFS in LV centos/root, grub2 with
linux16/initrd16 and a grubenv saved_entry, an initramfs built by dracut with
a VMware guest's host-only drivers and no nvme, and only ifcfg-ens192 with a
static address.  Expected, from doc/facts.md: not ready; blockers for the
default kernel's initramfs without nvme and for the network (the ENA
interface will be ens5, nothing configures it); a warning that dracut's
host-only setting keeps nvme out of the next rebuild.

TestDefaultEntry: the same boot files in --root trees whose saved_entry names
a kernel that is not installed, or no entry at all: said, not replaced by the
newest kernel."""

import glob
import os
import shutil
import tempfile
import unittest

import lc

EL7_DIR = os.path.join(lc.CACHE, "el7")
BOOT_UUID = lc.fixture_uuid(7101)
ROOT_UUID = lc.fixture_uuid(7102)
SWAP_UUID = lc.fixture_uuid(7103)


def read_expect(path):
    with open(path) as f:
        return dict(l.rstrip("\n").split("=", 1) for l in f if "=" in l)


def title(kver):
    return "CentOS Linux (%s) 7 (Core)" % kver


class TestEl7(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        lc.build_with("build-el7.sh", EL7_DIR, "EL7 image")
        cls.disk = os.path.join(EL7_DIR, "el7.img")
        cls.expect = read_expect(os.path.join(EL7_DIR, "expect"))
        cls.kver = cls.expect["nitro_kernel"]
        cls.runs = {"el7": lc.Run([cls.disk], inputs=[cls.disk])}

    def setUp(self):
        self.run_ = self.runs["el7"]
        self.rep = self.report_of(self.run_)

    def ids(self, severity):
        return sorted(f["id"] for f in self.rep["findings"] if f["severity"] == severity)

    def finding(self, fid):
        found = [f for f in self.rep["findings"] if f["id"] == fid]
        self.assertEqual(len(found), 1, "%s: %s" % (fid, self.finding_ids(self.rep)))
        return found[0]

    def test_contract(self):
        self.check_common(self.run_, [self.disk])

    def test_os_is_centos_7(self):
        # os-release gives 7, centos-release the rest
        self.check_os(self.rep, type="linux", distro="centos", version="7.9.2009", major=7,
                      minor=9, product_name="CentOS Linux 7 (Core)", hostname="el7-app01",
                      package_format="rpm", root_device="/dev/centos/root")

    def test_xfs_on_lvm_and_xfs_boot_are_mounted(self):
        self.check_fs(self.fs_by_uuid(self.rep, ROOT_UUID), device="/dev/centos/root",
                      type="xfs", mountpoint="/", mounted=True, volume=0)
        self.check_fs(self.fs_by_uuid(self.rep, BOOT_UUID), device="/dev/sda1", type="xfs",
                      mountpoint="/boot", mounted=True, volume=0)
        self.check_fs(self.fs_by_uuid(self.rep, SWAP_UUID), device="/dev/centos/swap",
                      type="swap", mounted=False)
        self.assertNotIn("FS-MOUNT-FAILED", self.finding_ids(self.rep))
        self.assertEqual(self.rep["volumes"][0]["partition_table"], "dos")

    def test_default_entry_from_grubenv_and_its_initrd16(self):
        boot = self.rep["boot"]
        self.assertEqual((boot["loader"], boot["config"]), ("grub2", "/boot/grub2/grub.cfg"))
        self.assertEqual(boot["default_entry"], {
            "title": title(self.kver), "named_as": title(self.kver), "matched": True,
            "kernel": "/vmlinuz-" + self.kver, "initrd": "/initramfs-%s.img" % self.kver})
        self.assertEqual(boot["default_kernel"], self.kver)
        self.assertEqual((boot["mode"]["mode"], boot["mode"]["ami_boot_mode"]),
                         ("bios", "legacy-bios"))

    def test_kernel_on_xfs_boot_and_its_dracut_initramfs(self):
        ks = self.rep["kernels"]
        self.assertEqual([k["version"] for k in ks], [self.kver])
        k = ks[0]
        self.assertEqual(k["vmlinuz"], "/boot/vmlinuz-" + self.kver)
        self.assertTrue(k["default"])
        for word in ("root=/dev/mapper/centos-root", "rd.lvm.lv=centos/root",
                     "rd.lvm.lv=centos/swap"):
            self.assertIn(word, k["cmdline"].split())
        ird = k["initramfs"]
        self.assertEqual(ird["path"], "/boot/initramfs-%s.img" % self.kver)
        self.assertEqual(ird["entry_initrd"], "/initramfs-%s.img" % self.kver)
        self.assertEqual((ird["compression"], ird["readable"], ird["error"]),
                         ("gzip", True, None))
        # every module dracut put in, counted when the image was built
        self.assertEqual(ird["modules_count"], int(self.expect["initramfs_modules"]))
        self.assertEqual((k["nvme"]["status"], k["nvme"]["in_initramfs"]), ("module", False))
        self.assertEqual(k["ena"]["status"], "module")
        self.assertFalse(k["nitro_ready"])

    def test_root_needs_are_in_the_dracut_initramfs(self):
        # build-el7.sh: / is XFS on LV centos/root, /boot XFS on sda1; dracut was
        # given --filesystems xfs and --add-drivers dm-mod.  What the image's
        # initramfs and modules.builtin hold is read from the image itself.
        self.assertEqual(self.root_stack(self.rep), [("lvm", "/dev/centos/root", None)])
        rn = self.rep["boot"]["root_needs"]
        self.assertEqual((rn["kernel"], rn["root"], rn["type"], rn["source"]),
                         (self.kver, "/dev/centos/root", "xfs", "disks"))
        in_initrd, builtin = lc.image_initramfs(
            self.disk, ["/dev/centos/root", "/dev/sda1:/boot"],
            "/boot/initramfs-%s.img" % self.kver, "/usr/lib/modules/" + self.kver)
        want = {m: "builtin" if m in builtin else "in_initramfs" if m in in_initrd else "missing"
                for m in ("dm_mod", "xfs")}
        self.assertEqual({m["module"]: m["state"] for m in rn["modules"]}, want)
        # what the builder asked dracut for and checked went in
        self.assertTrue(want["xfs"] != "missing" and want["dm_mod"] != "missing", want)
        for m in rn["modules"]:
            if m["state"] == "in_initramfs":
                self.assertRegex(m["initramfs_path"],
                                 r"/%s\.ko(\.(xz|zst|gz))?$" % m["module"].replace("_", "[-_]"))
        for fid in ("NITRO-INITRAMFS-ROOT-DRIVER", "NITRO-ROOT-NEEDS-UNCHECKED"):
            self.assertNotIn(fid, self.finding_ids(self.rep))

    def test_verdict_and_blockers(self):
        self.assertEqual(self.rep["verdict"]["nitro_boot"], "fixable")
        self.assertEqual(self.ids("blocker"), ["NET-NO-PRIMARY-CONFIG", "NITRO-NVME-INITRAMFS"])
        self.assertEqual(self.run_.rc, 1)
        nvme = self.finding("NITRO-NVME-INITRAMFS")
        self.assertIn("/boot/initramfs-%s.img: %s modules, no nvme" % (
            self.kver, self.expect["initramfs_modules"]), nvme["evidence"])
        self.assertIn('dracut --add-drivers "nvme nvme_core" -f /boot/initramfs-%s.img %s' % (
            self.kver, self.kver), nvme["remediation"])
        net = self.finding("NET-NO-PRIMARY-CONFIG")
        self.assertIn("ens5", net["title"])
        self.assertIn("ifcfg-ens192", " ".join(net["evidence"]))
        self.assertIn("static address", " ".join(net["evidence"]))

    def test_warnings(self):
        warnings = self.ids("warning")
        for fid in ("NET-NAME-GONE", "NITRO-INITRAMFS-HOSTONLY"):
            self.assertIn(fid, warnings)
        self.assertIn('01-dist.conf:15: hostonly="yes"',
                      " ".join(self.finding("NITRO-INITRAMFS-HOSTONLY")["evidence"]))
        # LVM names and UUID= survive the move; the default entry is found
        for fid in ("BOOT-FSTAB-DEVNAME", "BOOT-CMDLINE-DEVNAME", "BOOT-CONFIG-DEVNAME",
                    "BOOT-UUID-UNRESOLVED", "BOOT-FSTAB-NOFAIL", "BOOT-DEFAULT-NO-KERNEL",
                    "BOOT-DEFAULT-UNMATCHED", "BOOT-LOADER-UNKNOWN", "NITRO-ENA-MISSING"):
            self.assertNotIn(fid, self.finding_ids(self.rep))

    def test_network(self):
        net = self.rep["network"]
        self.assertEqual(net["predicted_primary"]["name"], "ens5")
        cfgs = [c for c in net["configs"] if c["path"].endswith("ifcfg-ens192")]
        self.assertEqual(len(cfgs), 1, net["configs"])
        c = cfgs[0]
        self.assertEqual((c["binds"], c["interface"], c["address"], c["brings_up_primary"]),
                         ("name", "ens192", "static", False))

    def test_image_untouched(self):
        self.check_untouched(self.run_)


GRUB_CFG = """### BEGIN /etc/grub.d/00_header ###
if [ -s $prefix/grubenv ]; then
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="${saved_entry}"
fi
### END /etc/grub.d/00_header ###

### BEGIN /etc/grub.d/10_linux ###
%s### END /etc/grub.d/10_linux ###
"""
ENTRY = """menuentry '%(title)s' --class centos --class gnu-linux --class gnu --class os --unrestricted $menuentry_id_option 'gnulinux-%(kver)s-advanced' {
	load_video
	insmod xfs
	linux16 /vmlinuz-%(kver)s root=/dev/mapper/centos-root ro rd.lvm.lv=centos/root
	initrd16 /initramfs-%(kver)s.img
}
"""
# A kernel this tree does not install: yum removed it, grubenv still names it.
REMOVED = "3.10.0-1160.el7.x86_64"


def el7_tree(top, name, saved_entry, kver, kernel):
    """A CentOS 7 root whose grub.cfg lists REMOVED first and then kver
    (installed: the host's kernel image), grubenv naming saved_entry."""
    root = os.path.join(top, name)
    for d in ("etc", "boot/grub2"):
        os.makedirs(os.path.join(root, d))
    shutil.copyfile(kernel, os.path.join(root, "boot", "vmlinuz-" + kver))
    files = {
        "etc/os-release": 'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\n'
                          'ID_LIKE="rhel fedora"\nVERSION_ID="7"\n',
        "etc/centos-release": "CentOS Linux release 7.9.2009 (Core)\n",
        "etc/hostname": name + "\n",
        "etc/fstab": "/dev/mapper/centos-root / xfs defaults 0 0\n",
        "boot/grub2/grub.cfg": GRUB_CFG % "".join(
            ENTRY % {"title": title(v), "kver": v} for v in (REMOVED, kver)),
        "boot/grub2/grubenv": "# GRUB Environment Block\nsaved_entry=%s\n" % saved_entry,
    }
    for rel, text in files.items():
        with open(os.path.join(root, rel), "w") as f:
            f.write(text)
    return root


class TestDefaultEntry(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        kernels = sorted(glob.glob("/boot/vmlinuz-*"))
        if not kernels or not os.access(kernels[-1], os.R_OK):
            raise unittest.SkipTest("no readable /boot/vmlinuz-* on this host")
        cls.kver = os.path.basename(kernels[-1])[len("vmlinuz-"):]
        cls.dir = tempfile.mkdtemp(prefix="liftcheck-el7-default-")
        trees = {
            "removed": el7_tree(cls.dir, "removed", title(REMOVED), cls.kver, kernels[-1]),
            "unmatched": el7_tree(cls.dir, "unmatched", "CentOS Linux (gone) 7 (Core)",
                                  cls.kver, kernels[-1]),
            "installed": el7_tree(cls.dir, "installed", title(cls.kver), cls.kver, kernels[-1]),
        }
        cls.runs = {n: lc.Run(["--root", t], inputs=[t]) for n, t in trees.items()}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def rep(self, name):
        return self.report_of(self.runs[name])

    def findings(self, name, fid):
        return [f for f in self.rep(name)["findings"] if f["id"] == fid]

    def test_default_kernel_not_installed_is_a_blocker(self):
        rep = self.rep("removed")
        gone = self.findings("removed", "BOOT-DEFAULT-NO-KERNEL")
        self.assertEqual(len(gone), 1, self.finding_ids(rep))
        self.assertEqual(gone[0]["severity"], "blocker")
        self.assertIn("/vmlinuz-%s is not on the disks" % REMOVED, gone[0]["evidence"])
        self.assertEqual(self.runs["removed"].rc, 1)
        # no stand-in: the installed kernel is not called the default
        self.assertIsNone(rep["boot"]["default_kernel"])
        self.assertEqual(rep["boot"]["default_entry"]["title"], title(REMOVED))
        self.assertEqual([k["default"] for k in rep["kernels"]], [False])
        self.assertNotEqual(rep["verdict"]["nitro_boot"], "ready")

    def test_saved_entry_naming_no_entry_boots_the_first(self):
        rep = self.rep("unmatched")
        un = self.findings("unmatched", "BOOT-DEFAULT-UNMATCHED")
        self.assertEqual(len(un), 1, self.finding_ids(rep))
        self.assertEqual(un[0]["severity"], "warning")
        entry = rep["boot"]["default_entry"]
        self.assertEqual((entry["title"], entry["named_as"], entry["matched"]),
                         (title(REMOVED), "CentOS Linux (gone) 7 (Core)", False))
        # the first entry's kernel is not installed either: that is said too
        self.assertEqual(len(self.findings("unmatched", "BOOT-DEFAULT-NO-KERNEL")), 1)

    def test_saved_entry_of_an_installed_kernel(self):
        rep = self.rep("installed")
        self.assertEqual(rep["boot"]["default_kernel"], self.kver)
        self.assertEqual(rep["boot"]["default_entry"]["initrd"], "/initramfs-%s.img" % self.kver)
        for fid in ("BOOT-DEFAULT-NO-KERNEL", "BOOT-DEFAULT-UNMATCHED"):
            self.assertEqual(self.findings("installed", fid), [])
        self.assertEqual([k["default"] for k in rep["kernels"]], [True])

    def test_trees_untouched(self):
        for run in self.runs.values():
            self.check_untouched(run)


if __name__ == "__main__":
    lc.main()
