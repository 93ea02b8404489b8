"""Distro detection on SYNTHETIC roots (release files only, see
images/build-fixtures.sh) for distros libguestfs 1.48 names poorly."""

import lc

CASES = {
    "amzn2": dict(distro="amazonlinux", version="2", major=2, minor=0,
                  product_name="Amazon Linux 2", hostname="al2-synthetic"),
    "rocky9": dict(distro="rocky", version="9.3", major=9, minor=3,
                   product_name="Rocky Linux 9.3 (Blue Onyx)", hostname="rocky9-synthetic"),
    "alma8": dict(distro="almalinux", version="8.9", major=8, minor=9,
                  product_name="AlmaLinux 8.9 (Midnight Oncilla)", hostname="alma8-synthetic"),
}
UUIDS = {"amzn2": 401, "rocky9": 402, "alma8": 403}


class TestDistros(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disks = {n: lc.fixture("synthetic-%s.img" % n) for n in CASES}
        cls.runs = {n: lc.Run([d], inputs=[d]) for n, d in cls.disks.items()}

    def test_contract(self):
        for n in CASES:
            with self.subTest(n):
                self.check_common(self.runs[n], [self.disks[n]])

    def test_os(self):
        for n, want in CASES.items():
            with self.subTest(n):
                rep = self.report_of(self.runs[n])
                self.check_os(rep, type="linux", arch="x86_64", package_format="rpm",
                              root_device="/dev/sda1", **want)

    def test_root_filesystem(self):
        for n in CASES:
            with self.subTest(n):
                rep = self.report_of(self.runs[n])
                self.check_fs(self.fs_by_device(rep, "/dev/sda1"), type="ext4",
                              uuid=lc.fixture_uuid(UUIDS[n]), label="synthetic",
                              mountpoint="/", volume=0, mounted=True)


if __name__ == "__main__":
    lc.main()
