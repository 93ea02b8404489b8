"""One server whose disks come in several formats, each recognised from the
file name: two-disk-0.vmdk (/), two-disk-1.vhdx (/srv), data-only.vhd, and
whole-disk.img (raw, ext4 on the whole disk without a partition table)."""

import lc


class TestFormats(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disks = [lc.fixture("two-disk-0.vmdk"), lc.fixture("two-disk-1.vhdx"),
                     lc.fixture("data-only.vhd"), lc.fixture("whole-disk.img")]
        cls.runs = {"formats": lc.Run(cls.disks, inputs=cls.disks)}

    def setUp(self):
        self.run_ = self.runs["formats"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, self.disks)

    def test_formats_from_extension(self):
        # The report uses qemu's format names (schema: "vpc (vhd)").
        got = [(v["format"], v["format_source"]) for v in self.rep["volumes"]]
        self.assertEqual(got, [("vmdk", "extension"), ("vhdx", "extension"),
                               ("vpc", "extension"), ("raw", "extension")])

    def test_os(self):
        self.check_os(self.rep, distro="debian", hostname="two-disk", root_device="/dev/sda1")

    def test_filesystems_per_volume(self):
        self.check_fs(self.fs_by_uuid(self.rep, lc.fixture_uuid(201)), device="/dev/sda1",
                      mountpoint="/", volume=0, mounted=True)
        self.check_fs(self.fs_by_uuid(self.rep, lc.fixture_uuid(202)), device="/dev/sdb1",
                      mountpoint="/srv", volume=1, mounted=True)
        self.check_fs(self.fs_by_uuid(self.rep, lc.fixture_uuid(301)), device="/dev/sdc1",
                      mountpoint=None, volume=2)

    def test_whole_disk_filesystem(self):
        self.assertEqual(len(self.rep["volumes"][3]["filesystems"]), 1,
                         self.rep["volumes"][3]["filesystems"])
        self.check_fs(self.fs_by_uuid(self.rep, lc.fixture_uuid(702)), device="/dev/sdd",
                      type="ext4", label="whole", mountpoint=None, volume=3)


if __name__ == "__main__":
    lc.main()
