"""Root on software RAID: md RAID1 over one partition of each of two disks
(images/build-fixtures.sh raid-0.img raid-1.img)."""

import lc


class TestRaid(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disks = [lc.fixture("raid-0.img"), lc.fixture("raid-1.img")]
        cls.runs = {"raid": lc.Run(cls.disks, inputs=cls.disks)}

    def setUp(self):
        self.run_ = self.runs["raid"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, self.disks)

    def test_os_on_the_array(self):
        self.check_os(self.rep, type="linux", distro="debian", major=12, hostname="raid")
        self.assertRegex(self.rep["os"]["root_device"], r"^/dev/md[0-9]+$")

    def test_array_spans_both_disks_reported_once(self):
        root = self.fs_by_uuid(self.rep, lc.fixture_uuid(701))
        self.assertRegex(root["device"], r"^/dev/md[0-9]+$")
        self.check_fs(root, type="ext4", label="root", mountpoint="/", volume=0, mounted=True)
        self.assertEqual(root["volumes"], [0, 1])
        self.assertIn(root, self.rep["volumes"][0]["filesystems"])
        self.assertEqual(self.rep["volumes"][1]["filesystems"], [])

    def test_root_stack(self):
        # images/build-fixtures.sh: md-create ... level:raid1
        root = self.fs_by_uuid(self.rep, lc.fixture_uuid(701))
        self.assertEqual(self.root_stack(self.rep), [("md", root["device"], "raid1")])
        self.check_no_kernel_no_root_needs(self.rep)

    def test_member_disk_is_not_empty(self):
        # the second disk holds half of the array: no "disk holds no filesystem"
        self.assertNotIn("FS-NONE", self.finding_ids(self.rep))
        self.assertNotIn("FS-MOUNT-FAILED", self.finding_ids(self.rep))

    def test_images_untouched(self):
        self.check_untouched(self.run_)


if __name__ == "__main__":
    lc.main()
