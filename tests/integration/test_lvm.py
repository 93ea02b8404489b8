"""Root on LVM: one disk (lvm-root) and one VG spanning two disks (lvm-span)."""

import lc


class TestLvmRoot(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture("lvm-root.img")
        cls.runs = {"lvm-root": lc.Run([cls.disk], inputs=[cls.disk])}

    def setUp(self):
        self.run_ = self.runs["lvm-root"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, [self.disk])

    def test_volume(self):
        v = self.rep["volumes"][0]
        self.assertEqual((v["format"], v["format_source"]), ("raw", "extension"))

    def test_os(self):
        self.check_os(self.rep, type="linux", distro="debian", version="12.5", major=12,
                      minor=5, hostname="lvm-root", arch="x86_64", package_format="deb")
        # libguestfs names LVs /dev/VG/LV; /dev/mapper/VG-LV is the same device.
        self.assertIn(self.rep["os"]["root_device"],
                      ("/dev/vgroot/root", "/dev/mapper/vgroot-root"))

    def test_root_on_lv(self):
        root = self.fs_by_uuid(self.rep, lc.fixture_uuid(502))
        self.assertIn(root["device"], ("/dev/vgroot/root", "/dev/mapper/vgroot-root"))
        self.check_fs(root, type="ext4", label="root", mountpoint="/", volume=0, mounted=True)

    def test_root_stack(self):
        # images/build-fixtures.sh: / on LV vgroot/root, PV sda2; no kernel
        self.assertEqual(self.root_stack(self.rep), [("lvm", "/dev/vgroot/root", None)])
        self.check_no_kernel_no_root_needs(self.rep)

    def test_boot_partition(self):
        boot = self.fs_by_uuid(self.rep, lc.fixture_uuid(501))
        self.check_fs(boot, device="/dev/sda1", type="ext4", label="boot", mountpoint="/boot",
                      volume=0, mounted=True)

    def test_no_inspection_failures(self):
        self.assertNotIn("FS-MOUNT-FAILED", self.finding_ids(self.rep))


class TestLvmSpan(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disks = [lc.fixture("lvm-span-0.img"), lc.fixture("lvm-span-1.img")]
        cls.runs = {"lvm-span": lc.Run(cls.disks, inputs=cls.disks)}

    def setUp(self):
        self.run_ = self.runs["lvm-span"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, self.disks)

    def test_os(self):
        self.check_os(self.rep, type="linux", distro="debian", major=12, hostname="lvm-span")

    def test_spanning_lv_reported_once_on_first_disk(self):
        root = self.fs_by_uuid(self.rep, lc.fixture_uuid(601))
        self.assertIn(root["device"], ("/dev/vgspan/root", "/dev/mapper/vgspan-root"))
        self.check_fs(root, type="ext4", label="root", mountpoint="/", volume=0, mounted=True)
        self.assertIn(root, self.rep["volumes"][0]["filesystems"])
        self.assertNotIn(root["uuid"], [fs["uuid"] for fs in self.rep["volumes"][1]["filesystems"]])

    def test_root_stack(self):
        # one LV over PVs on both disks: one LVM layer, whatever the PVs
        self.assertEqual(self.root_stack(self.rep), [("lvm", "/dev/vgspan/root", None)])
        self.check_no_kernel_no_root_needs(self.rep)


if __name__ == "__main__":
    lc.main()
