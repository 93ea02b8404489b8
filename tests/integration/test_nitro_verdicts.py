"""Nitro readiness through the appliance, one image per verdict.

`ready` is the Debian 12 sample (test_debian_qcow2.py).  The two images here
come from images/build-fixtures.sh and boot the host's real generic kernel
(nvme, nvme-core and ena are modules):
  nitro-fixable.img  modules present, initramfs without nvme   -> fixable
  nitro-blocked.img  nvme and ena removed, config "is not set"  -> blocked
"""

import lc


def kernel_version():
    """The host kernel images/build-fixtures.sh copied, as it wrote it down
    (the host may have moved to another kernel since)."""
    with open(lc.fixture("expect")) as f:
        for line in f:
            if line.startswith("nitro_kernel="):
                return line.split("=", 1)[1].strip()
    raise AssertionError("%s names no nitro_kernel" % lc.fixture("expect"))


class NitroImage:
    IMAGE = None
    ROOT_UUID = None

    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture(cls.IMAGE)
        cls.kver = kernel_version()
        cls.runs = {"default": lc.Run([cls.disk], inputs=[cls.disk])}

    def setUp(self):
        self.run_ = self.runs["default"]
        self.rep = self.report_of(self.run_)

    def kernel(self):
        ks = self.rep.get("kernels") or []
        self.assertEqual([k["version"] for k in ks], [self.kver],
                         "kernels: %s" % [k.get("version") for k in ks])
        return ks[0]

    def findings(self, fid):
        return [f for f in self.rep["findings"] if f["id"] == fid]

    def test_contract(self):
        self.check_common(self.run_, [self.disk])
        self.assertTrue(self.rep["complete"])

    def test_exit_code_blockers(self):
        self.assertEqual(self.run_.rc, 1, self.run_.describe())

    def test_os(self):
        self.check_os(self.rep, type="linux", distro="debian", major=12, arch="x86_64",
                      package_format="deb", root_device="/dev/sda1")

    def test_filesystem(self):
        self.check_fs(self.fs_by_device(self.rep, "/dev/sda1"), type="ext4",
                      uuid=self.ROOT_UUID, label="root", mountpoint="/", volume=0,
                      mounted=True)

    def test_kernel_identity(self):
        k = self.kernel()
        self.assertEqual(k["vmlinuz"], "/boot/vmlinuz-%s" % self.kver)
        self.assertEqual(k["arch"], "x86_64")
        self.assertEqual(k["bits"], 64)
        self.assertFalse(k["xen_pv_only"])
        self.assertTrue(k["default"])
        self.assertEqual(k["modules_dir"], "/lib/modules/%s" % self.kver)
        self.assertFalse(k["nitro_ready"])
        self.assertIsNotNone(k["cmdline"])
        self.assertIn("root=UUID=%s" % self.ROOT_UUID, k["cmdline"])

    def test_boot(self):
        b = self.rep["boot"]
        self.assertEqual(b["loader"], "grub2")
        self.assertEqual(b["config"], "/boot/grub/grub.cfg")
        self.assertEqual(b["default_kernel"], self.kver)

    def test_initramfs(self):
        i = self.kernel()["initramfs"]
        self.assertIsNotNone(i)
        self.assertEqual(i["path"], "/boot/initrd.img-%s" % self.kver)
        self.assertEqual(i["compression"], "zstd")
        self.assertTrue(i["readable"], i)
        self.assertIsNone(i.get("error"))
        self.assertGreaterEqual(i["modules_count"], 1)
        self.assertNotIn("NITRO-INITRAMFS-MISSING", self.finding_ids(self.rep))
        self.assertNotIn("NITRO-INITRAMFS-UNREADABLE", self.finding_ids(self.rep))

    def test_fstab(self):
        fstab = self.rep["fstab"]
        self.assertEqual([(e["spec"], e["mountpoint"], e["issue"]) for e in fstab],
                         [("UUID=%s" % self.ROOT_UUID, "/", None)])
        self.assertNotIn("BOOT-FSTAB-DEVNAME", self.finding_ids(self.rep))
        # the UUID resolves to the filesystem the image was built with
        self.assertEqual(fstab[0]["filesystem"], "/dev/sda1")
        self.assertNotIn("BOOT-UUID-UNRESOLVED", self.finding_ids(self.rep))
        self.assertNotIn("BOOT-UUID-UNCHECKED", self.finding_ids(self.rep))

    def test_root_needs_match_the_initramfs(self):
        # the root is a plain ext4 partition (images/build-fixtures.sh): it
        # needs ext4, built in or in the initramfs with what modules.dep names
        self.assertEqual(self.root_stack(self.rep), [])
        rn = self.rep["boot"]["root_needs"]
        self.assertEqual((rn["kernel"], rn["type"], rn["source"]), (self.kver, "ext4", "disks"))
        [need] = rn["modules"]
        self.assertEqual(need["module"], "ext4")
        in_initrd, builtin = lc.image_initramfs(self.disk, ["/dev/sda1"],
                                                "/boot/initrd.img-" + self.kver,
                                                "/lib/modules/" + self.kver)
        found = [f for f in self.rep["findings"] if f["id"] == "NITRO-INITRAMFS-ROOT-DRIVER"]
        if "ext4" in builtin:
            self.assertEqual((need["state"], found), ("builtin", []))
        elif "ext4" not in in_initrd:
            self.assertEqual((need["state"], need["missing"]), ("missing", "ext4"))
            self.assertEqual(len(found), 1, self.finding_ids(self.rep))
            self.assertEqual((found[0]["severity"], found[0]["title"].rsplit(": ", 1)[-1]),
                             ("blocker", "ext4 (%s)" % self.kver))
            self.assertIn("/boot/initrd.img-%s: %d modules, no ext4" % (
                self.kver, self.kernel()["initramfs"]["modules_count"]), found[0]["evidence"])
            self.assertNotEqual(self.rep["verdict"]["nitro_boot"], "ready")
        else:
            self.assertNotEqual(need["state"], "builtin")
            self.assertEqual(need["state"] == "in_initramfs", found == [])

    def test_no_scan_errors(self):
        ids = self.finding_ids(self.rep)
        for bad in ("OS-NOT-FOUND", "FS-MOUNT-FAILED", "SCAN-READ-ERROR", "NITRO-NO-KERNEL"):
            self.assertNotIn(bad, ids)


class TestNitroFixable(NitroImage, lc.ReportTest):
    IMAGE = "nitro-fixable.img"
    ROOT_UUID = lc.fixture_uuid(801)

    def test_verdict(self):
        self.assertEqual(self.rep["verdict"]["nitro_boot"], "fixable")

    def test_nvme_module_not_in_initramfs(self):
        n = self.kernel()["nvme"]
        self.assertEqual(n["status"], "module")
        self.assertIs(n["in_initramfs"], False)
        want = "/lib/modules/%s/kernel/drivers/nvme/host/nvme.ko" % self.kver
        self.assertIn(want, n["evidence"])

    def test_ena_module(self):
        e = self.kernel()["ena"]
        self.assertEqual(e["status"], "module")
        self.assertIn("/lib/modules/%s/kernel/drivers/net/ethernet/amazon/ena/ena.ko" % self.kver,
                      e["evidence"])
        # the fixture's initramfs carries ena.ko
        self.assertIs(e["in_initramfs"], True)

    def test_finding_nvme_initramfs(self):
        fs = self.findings("NITRO-NVME-INITRAMFS")
        self.assertEqual(len(fs), 1, self.finding_ids(self.rep))
        f = fs[0]
        self.assertEqual(f["severity"], "blocker")
        text = " ".join([f["title"]] + f["evidence"])
        self.assertIn(self.kver, text)
        self.assertIn("/boot/initrd.img-%s" % self.kver, text)
        self.assertIn("update-initramfs -u -k %s" % self.kver, f["remediation"] or "")

    def test_no_missing_driver_findings(self):
        ids = self.finding_ids(self.rep)
        self.assertNotIn("NITRO-NVME-MISSING", ids)
        self.assertNotIn("NITRO-ENA-MISSING", ids)


class TestNitroBlocked(NitroImage, lc.ReportTest):
    IMAGE = "nitro-blocked.img"
    ROOT_UUID = lc.fixture_uuid(802)

    def test_verdict(self):
        self.assertEqual(self.rep["verdict"]["nitro_boot"], "blocked")

    def test_nvme_absent(self):
        n = self.kernel()["nvme"]
        self.assertEqual(n["status"], "absent", n)
        self.assertNotEqual(n["in_initramfs"], True)

    def test_ena_absent(self):
        e = self.kernel()["ena"]
        self.assertEqual(e["status"], "absent", e)
        self.assertNotEqual(e["in_initramfs"], True)

    def test_findings_missing(self):
        for fid in ("NITRO-NVME-MISSING", "NITRO-ENA-MISSING"):
            with self.subTest(fid=fid):
                fs = self.findings(fid)
                self.assertEqual(len(fs), 1, self.finding_ids(self.rep))
                self.assertEqual(fs[0]["severity"], "blocker")
                self.assertIn(self.kver, " ".join([fs[0]["title"]] + fs[0]["evidence"]))
        # nvme is not a module here, so the initramfs finding does not apply
        self.assertNotIn("NITRO-NVME-INITRAMFS", self.finding_ids(self.rep))


if __name__ == "__main__":
    lc.main()
