"""A disk with one ext4 data filesystem and no OS; its name has no known
extension, so the format is probed."""

import lc


class TestDataOnly(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture("data-only.disk")
        cls.runs = {"data": lc.Run([cls.disk], inputs=[cls.disk])}

    def setUp(self):
        self.run_ = self.runs["data"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, [self.disk])

    def test_format_probed(self):
        v = self.rep["volumes"][0]
        self.assertEqual((v["format"], v["format_source"]), ("raw", "probed"))

    def test_no_os(self):
        self.assertIsNone(self.rep["os"])
        found = [f for f in self.rep["findings"] if f["id"] == "OS-NOT-FOUND"]
        self.assertEqual(len(found), 1, self.finding_ids(self.rep))

    def test_filesystem_listed(self):
        fss = self.rep["volumes"][0]["filesystems"]
        self.assertEqual(len(fss), 1, fss)
        self.check_fs(fss[0], device="/dev/sda1", type="ext4", uuid=lc.fixture_uuid(301),
                      label="data", mountpoint=None, volume=0)


class TestQcow2HeaderReadAsRaw(lc.ReportTest):
    """A raw disk (whole-disk ext4) whose first bytes are a qcow2 header naming
    /etc/shadow as backing file: the .raw name decides, it is read as raw.

    Found while writing this test: libguestfs 1.48.6 (add_drive readonly=1,
    format=raw) passes qemu `-drive file.file.filename=OVERLAY,file.driver=qcow2`
    with no top-level format, so qemu probes the guest's bytes, takes them
    for a qcow2 and reads the host's /etc/shadow as the disk
    (`guestfish --ro --format=raw -a qcow2-header.raw` then
    `pread-device /dev/sda 16 0` prints the start of /etc/shadow).  A tool
    that asks libguestfs for readonly=1 fails this test."""

    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture("qcow2-header.raw")
        cls.runs = {"q": lc.Run([cls.disk], inputs=[cls.disk, "/etc/shadow"])}

    def setUp(self):
        self.run_ = self.runs["q"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, [self.disk])

    def test_read_as_raw(self):
        v = self.rep["volumes"][0]
        self.assertEqual((v["format"], v["format_source"]), ("raw", "extension"))
        self.assertEqual(v["virtual_size"], 16 << 20)

    def test_whole_disk_filesystem(self):
        self.assertIsNone(self.rep["os"])
        self.assertIn("OS-NOT-FOUND", self.finding_ids(self.rep))
        fss = self.rep["volumes"][0]["filesystems"]
        self.assertEqual(len(fss), 1, fss)
        self.check_fs(fss[0], device="/dev/sda", type="ext4", uuid=lc.fixture_uuid(701),
                      label="qhdr", mountpoint=None, volume=0)

    def test_shadow_not_in_report(self):
        with open(self.run_.report_path) as f:
            self.assertNotIn("/etc/shadow", f.read())


class TestBackingFileAllowed(lc.ReportTest):
    """overlay.qcow2 is a qcow2 overlay of data-only.img: refused by default,
    read (through the backing file, untouched) with --allow-backing-file."""

    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture("overlay.qcow2")
        cls.base = lc.fixture("data-only.img")
        cls.runs = {
            "refused": lc.Run([cls.disk], inputs=[cls.disk, cls.base]),
            "allowed": lc.Run(["--allow-backing-file", cls.disk], inputs=[cls.disk, cls.base]),
        }

    def test_refused_by_default(self):
        run = self.runs["refused"]
        self.assertEqual(run.rc, 3, run.describe())
        lines = lc.messages(run.stderr)
        self.assertEqual(len(lines), 1, run.describe())
        self.assertIn("overlay.qcow2", lines[0])
        self.assertIn("backing", lines[0].lower())
        self.check_untouched(run)

    def test_contract_when_allowed(self):
        self.check_common(self.runs["allowed"], [self.disk])

    def test_reads_through_backing_file(self):
        rep = self.report_of(self.runs["allowed"])
        v = rep["volumes"][0]
        self.assertEqual((v["format"], v["format_source"]), ("qcow2", "extension"))
        self.assertIsNone(rep["os"])
        self.check_fs(self.fs_by_uuid(rep, lc.fixture_uuid(301)), device="/dev/sda1",
                      type="ext4", label="data", volume=0)


if __name__ == "__main__":
    lc.main()
