"""/boot on md RAID1 that the guest names /dev/md0 (md-boot-0.img and
md-boot-1.img of images/build-volumes.sh).  The array's home host is the old
server's, so the appliance assembles it as /dev/md127: only the ARRAY line of
the guest's mdadm.conf, by the array UUID, says that fstab's /dev/md0 is it.
Before that was read, /boot was not mounted and nothing on it was seen."""

import os
import unittest

import lc


class TestMdNames(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        d = lc.ensure_volumes()
        cls.disks = [os.path.join(d, "md-boot-0.img"), os.path.join(d, "md-boot-1.img")]
        cls.runs = {"md-boot": lc.Run(cls.disks, inputs=cls.disks)}

    def setUp(self):
        self.run_ = self.runs["md-boot"]
        self.rep = self.report_of(self.run_)

    def test_contract(self):
        self.check_common(self.run_, self.disks)

    def test_os(self):
        self.check_os(self.rep, type="linux", distro="debian", hostname="md-boot")

    def test_boot_on_the_array_is_mounted(self):
        boot = self.fs_by_uuid(self.rep, lc.fixture_uuid(913))
        # the appliance's name, not the guest's
        self.assertRegex(boot["device"], r"^/dev/md[0-9]+$")
        self.assertNotEqual(boot["device"], "/dev/md0")
        self.check_fs(boot, type="ext4", label="boot", mountpoint="/boot", volume=0, mounted=True)
        self.assertEqual(boot["volumes"], [0, 1])
        self.assertNotIn("FS-MOUNT-FAILED", self.finding_ids(self.rep))

    def test_boot_files_are_read(self):
        # the grub.cfg on the array is seen (unmounted, the loader was "none")
        self.assertEqual((self.rep["boot"]["loader"], self.rep["boot"]["config"]),
                         ("grub2", "/boot/grub/grub.cfg"))

    def test_images_untouched(self):
        self.check_untouched(self.run_)


if __name__ == "__main__":
    unittest.main(verbosity=2)
