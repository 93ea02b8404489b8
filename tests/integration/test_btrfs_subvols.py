"""A btrfs root whose /home is a subvolume of its own, mounted by fstab with
subvol= and the same UUID as / (btrfs-subvols.img of
images/build-volumes.sh), as SUSE and Ubuntu lay them out.  Before each fstab
line got its own mount, /home was left out and its files were never read."""

import os
import unittest

import lc


class TestBtrfsSubvols(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        d = lc.ensure_volumes()
        cls.disk = os.path.join(d, "btrfs-subvols.img")
        cls.runs = {"btrfs": lc.Run([cls.disk], inputs=[cls.disk])}

    def setUp(self):
        self.run_ = self.runs["btrfs"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, [self.disk])

    def test_root_in_subvolume(self):
        self.check_os(self.rep, type="linux", distro="debian", hostname="btrfs-subvols",
                      root_device="/dev/sda1")
        root = self.fs_by_uuid(self.rep, lc.fixture_uuid(921))
        self.check_fs(root, device="/dev/sda1", type="btrfs", mountpoint="/", mounted=True,
                      volume=0)

    def test_home_subvolume_is_read(self):
        self.assertNotIn("FS-MOUNT-FAILED", self.finding_ids(self.rep))
        paths = [e["path"] for e in self.rep.get("elf_files", [])]
        self.assertIn("/home/alice/tool", paths)
        self.assertIn("/usr/bin/dash", paths)

    def test_images_untouched(self):
        self.check_untouched(self.run_)


if __name__ == "__main__":
    unittest.main(verbosity=2)
