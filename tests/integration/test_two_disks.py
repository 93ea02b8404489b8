"""A server with two disks: / on disk 0, /srv on disk 1 (fstab by UUID), and
/var/backups on disk 1, a filesystem that will not mount.  Run with
--disk-format raw, so the format comes from the option."""

import lc


class TestTwoDisks(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disks = [lc.fixture("two-disk-0.img"), lc.fixture("two-disk-1.img")]
        cls.runs = {"two": lc.Run(["--disk-format", "raw"] + cls.disks, inputs=cls.disks)}

    def setUp(self):
        self.run_ = self.runs["two"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, self.disks)

    def test_format_from_option(self):
        for v in self.rep["volumes"]:
            self.assertEqual((v["format"], v["format_source"]), ("raw", "option"), v["path"])

    def test_os(self):
        self.check_os(self.rep, type="linux", distro="debian", version="12.5", major=12, minor=5,
                      hostname="two-disk", arch="x86_64", root_device="/dev/sda1")

    def test_root_on_volume_0(self):
        self.assertEqual([fs["device"] for fs in self.rep["volumes"][0]["filesystems"]],
                         ["/dev/sda1"])
        self.check_fs(self.fs_by_device(self.rep, "/dev/sda1"), type="ext4",
                      uuid=lc.fixture_uuid(201), label="root", mountpoint="/", volume=0,
                      mounted=True)

    def test_srv_on_volume_1(self):
        self.assertEqual(sorted(fs["device"] for fs in self.rep["volumes"][1]["filesystems"]),
                         ["/dev/sdb1", "/dev/sdb2"])
        self.check_fs(self.fs_by_device(self.rep, "/dev/sdb1"), type="ext4",
                      uuid=lc.fixture_uuid(202), label="srv", mountpoint="/srv", volume=1,
                      mounted=True)

    def test_unmountable_filesystem_is_a_finding(self):
        # /var/backups (fstab, nofail) is an ext4 whose group descriptors are
        # zeroed: listed, not mounted, reported, and the scan goes on.
        self.check_fs(self.fs_by_device(self.rep, "/dev/sdb2"), type="ext4",
                      uuid=lc.fixture_uuid(203), label="broken", mountpoint="/var/backups",
                      volume=1, mounted=False)
        found = [f for f in self.rep["findings"] if f["id"] == "FS-MOUNT-FAILED"]
        self.assertEqual(len(found), 1, self.finding_ids(self.rep))
        self.assertEqual(found[0]["volume"], 1)
        text = " ".join([found[0]["title"]] + found[0]["evidence"])
        self.assertTrue("/dev/sdb2" in text or "/var/backups" in text, found[0])


if __name__ == "__main__":
    lc.main()
