"""Debian 12 sample server (qcow2, separate /boot): inspection facts."""

import os

import lc


class DebianSample:
    """Facts of images/build-sample.sh's server, whatever the container format."""

    IMAGE = None       # file name under the images cache
    FORMAT = None

    @classmethod
    def image_path(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.disk = cls.image_path()
        cls.runs = {"default": lc.Run([cls.disk], inputs=[cls.disk])}

    def setUp(self):
        self.run_ = self.runs["default"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, [self.disk])

    def test_volume(self):
        v = self.rep["volumes"][0]
        self.assertEqual(v["format"], self.FORMAT)
        self.assertEqual(v["format_source"], "extension")
        self.assertEqual(v["virtual_size"], 2 << 30)

    def test_os_identity(self):
        self.check_os(self.rep, type="linux", distro="debian", major=12, arch="x86_64",
                      hostname="liftcheck-sample", package_format="deb",
                      root_device="/dev/sda2")
        o = self.rep["os"]
        # The point release comes from /etc/debian_version ("12.N").
        with self.subTest(version=o["version"]):
            self.assertRegex(o["version"], r"^12\.\d+$")
            self.assertEqual(o["minor"], int(o["version"].split(".")[1]))
        self.assertIn("Debian GNU/Linux 12", o["product_name"])

    def test_filesystems(self):
        fss = self.rep["volumes"][0]["filesystems"]
        self.assertEqual(sorted(fs["device"] for fs in fss), ["/dev/sda1", "/dev/sda2"])
        self.check_fs(self.fs_by_device(self.rep, "/dev/sda1"), type="ext4",
                      uuid=lc.SAMPLE_BOOT_UUID, label="boot", mountpoint="/boot",
                      volume=0, mounted=True)
        self.check_fs(self.fs_by_device(self.rep, "/dev/sda2"), type="ext4",
                      uuid=lc.SAMPLE_ROOT_UUID, label="root", mountpoint="/",
                      volume=0, mounted=True)

    def test_no_inspection_failures(self):
        ids = self.finding_ids(self.rep)
        self.assertNotIn("OS-NOT-FOUND", ids)
        self.assertNotIn("FS-MOUNT-FAILED", ids)

    def test_report_only_in_output_file(self):
        # With -o the report goes to the file, not to stdout.
        self.assertEqual(self.run_.stdout, "")


class TestDebianQcow2(DebianSample, lc.ReportTest):
    FORMAT = "qcow2"

    @classmethod
    def image_path(cls):
        lc.ensure_fixtures()
        return os.path.join(lc.CACHE, "debian12.qcow2")


if __name__ == "__main__":
    lc.main()
