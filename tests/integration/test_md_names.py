"""/boot on md RAID1 that the guest names /dev/md0 (md-boot-0.img and
md-boot-1.img of images/build-volumes.sh).  The array's home host is the old
server's, so the appliance assembles it as /dev/md127: only the ARRAY line of
the guest's mdadm.conf, by the array UUID, says that fstab's /dev/md0 is it.
Before that was read, /boot was not mounted and nothing on it was seen.
TestPlainBoot: a plain ext4 /boot, on disks built here with mkfs.ext4 -d."""

import glob
import os
import shutil
import subprocess
import tempfile
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

    def test_root_stack(self):
        # only /boot is on the array: the root is a plain partition
        self.assertEqual(self.root_stack(self.rep), [])
        self.check_no_kernel_no_root_needs(self.rep)

    def test_boot_files_are_read(self):
        # the grub.cfg on the array is seen (unmounted, the loader was "none")
        self.assertEqual((self.rep["boot"]["loader"], self.rep["boot"]["config"]),
                         ("grub2", "/boot/grub/grub.cfg"))

    def test_images_untouched(self):
        self.check_untouched(self.run_)


def host_kernel():
    """A kernel image of the host's packages, or None."""
    ks = sorted(glob.glob("/boot/vmlinuz-*"))
    return ks[-1] if ks and os.access(ks[-1], os.R_OK) else None


def plain_boot_disk(outdir, name, with_mount_point, kernel):
    """An MBR disk: sda1 a plain ext4 /boot holding the host's kernel and a
    zstd initramfs, sda2 a synthetic root whose fstab mounts it (with or
    without a /boot directory to mount it on).  Built with mkfs.ext4 -d, no
    appliance."""
    work = tempfile.mkdtemp(dir=outdir)
    boot, root = os.path.join(work, "boot"), os.path.join(work, "root")
    os.makedirs(os.path.join(boot, "grub"))
    os.makedirs(os.path.join(root, "etc", "mdadm"))
    kver = os.path.basename(kernel)[len("vmlinuz-"):]
    with open(kernel, "rb") as src, open(os.path.join(boot, "vmlinuz-" + kver), "wb") as dst:
        dst.write(src.read())
    # 1 MiB of zeros: zstd shrinks it to a few hundred bytes.
    blob = os.path.join(work, "blob")
    with open(blob, "wb") as f:
        f.write(bytes(1 << 20))
    cpio = subprocess.run(["cpio", "-o", "-H", "newc"], input=b"blob\n", cwd=work,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    with open(os.path.join(boot, "initrd.img-" + kver), "wb") as f:
        f.write(subprocess.run(["zstd", "-q", "-c"], input=cpio, stdout=subprocess.PIPE,
                               check=True).stdout)
    with open(os.path.join(boot, "grub", "grub.cfg"), "w") as f:
        f.write("# synthetic test fixture\n")
    if with_mount_point:
        os.makedirs(os.path.join(root, "boot"))
    files = {
        "etc/hostname": name + "\n",
        "etc/os-release": 'ID=debian\nVERSION_ID="12"\nNAME="Debian GNU/Linux"\n',
        "etc/debian_version": "12.5\n",
        # present, so no failed read of it stands as the last error
        "etc/mdadm/mdadm.conf": "# no arrays\n",
        "etc/fstab": "UUID=%s / ext4 errors=remount-ro 0 1\nUUID=%s /boot ext4 defaults 0 2\n"
                     % (lc.fixture_uuid(952), lc.fixture_uuid(951)),
    }
    for rel, text in files.items():
        with open(os.path.join(root, rel), "w") as f:
            f.write(text)
    env = dict(os.environ, E2FSPROGS_FAKE_TIME="1700000000")
    for tree, uuid, label in ((boot, 951, "boot"), (root, 952, "root")):
        subprocess.run(["mkfs.ext4", "-q", "-F", "-t", "ext4", "-U", lc.fixture_uuid(uuid),
                        "-L", label, "-d", tree, os.path.join(work, label + ".ext4"), "24M"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    img = os.path.join(outdir, name + ".img")
    with open(img, "wb") as f:
        f.truncate(64 << 20)
    subprocess.run(["sfdisk", "-q", img], check=True, input=(
        b"label: dos\nunit: sectors\n\nstart=2048, size=49152, type=83\n"
        b"start=51200, size=49152, type=83\n"))
    for label, sector in (("boot", 2048), ("root", 51200)):
        with open(os.path.join(work, label + ".ext4"), "rb") as src, open(img, "r+b") as dst:
            dst.seek(sector * 512)
            dst.write(src.read())
    return img, kver


class TestPlainBoot(lc.ReportTest):
    """A /boot that is a plain ext4 partition is mounted; when its mount
    point is missing from the read-only root, the finding says so, not the
    stale last error of an earlier call (it read "setting not found", from
    the launch)."""

    @classmethod
    def setUpClass(cls):
        kernel = host_kernel()
        if not kernel:
            raise unittest.SkipTest("no readable /boot/vmlinuz-* on this host")
        cls.dir = tempfile.mkdtemp(prefix="liftcheck-plain-boot-")
        cls.images = {}
        for name, point in (("plain-boot", True), ("no-boot-dir", False)):
            img, cls.kver = plain_boot_disk(cls.dir, name, point, kernel)
            cls.images[name] = img
        cls.runs = {n: lc.Run([img], inputs=[img]) for n, img in cls.images.items()}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_plain_boot_is_mounted_and_its_kernel_found(self):
        rep = self.report_of(self.runs["plain-boot"])
        self.check_fs(self.fs_by_uuid(rep, lc.fixture_uuid(951)), type="ext4",
                      mountpoint="/boot", mounted=True)
        self.assertNotIn("FS-MOUNT-FAILED", self.finding_ids(rep))
        self.assertNotIn("NITRO-NO-KERNEL", self.finding_ids(rep))
        self.assertEqual([k["version"] for k in rep.get("kernels") or []], [self.kver])

    def test_missing_mount_point_is_named(self):
        rep = self.report_of(self.runs["no-boot-dir"])
        failed = [f for f in rep["findings"] if f["id"] == "FS-MOUNT-FAILED"]
        self.assertEqual(len(failed), 1, failed)
        evidence = " ".join(failed[0]["evidence"])
        self.assertIn("mount point /boot does not exist", evidence)
        self.assertNotIn("setting not found", evidence)

    def test_images_untouched(self):
        for run in self.runs.values():
            self.check_untouched(run)


if __name__ == "__main__":
    lc.main()
