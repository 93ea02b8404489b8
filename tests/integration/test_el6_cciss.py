"""A CentOS 6 server on an HP Smart Array controller (el6-cciss.img of
images/build-bootchains.sh): no os-release, grub legacy on a separate
/boot, the guest's disk named /dev/cciss/c0d0 everywhere, eth0 pinned to
the old MAC by udev's persistent-net rules and by HWADDR=, with a static
address.  The kernel is the host's real one, so what it can drive comes
from the builder's expect file, never from a constant.

Expected, from the domain facts (Nitro disks are NVMe, the NIC is a new
ENA with a new MAC, EL6 has no predictable names):
  /dev/cciss/* in fstab (/ and /boot)  BOOT-FSTAB-DEVNAME blocker, each
  root=/dev/cciss/c0d0p2 on the default  BOOT-CMDLINE-DEVNAME blocker
  entry's kernel line
  device.map (hd0) /dev/cciss/c0d0     BOOT-CONFIG-DEVNAME warning
  the new MAC becomes eth1: ifcfg-eth0 NET-NO-PRIMARY-CONFIG blocker (the
  (HWADDR=, static) brings nothing up  static address part of it), with
                                       NET-PERSISTENT-RULES and
                                       NET-MAC-PINNED as warnings
  nvme a module missing from the       NITRO-NVME-INITRAMFS blocker (when
  default entry's initramfs            the kernel has nvme =m)
  no nvme_core.io_timeout              NITRO-NVME-TIMEOUT info
  verdict: fixable (config changes and an initramfs rebuild), exit 1;
  boot mode BIOS (MBR, no ESP), AMI boot mode legacy-bios."""

import lc

MAC = "00:1f:29:0a:6b:10"


class TestEl6Cciss(lc.BootchainTest):
    IMAGE = "el6-cciss.img"

    def expected_findings(self):
        """(id, severity, subject) of every finding, from the domain facts
        and what the builder's kernel has."""
        want = {
            ("BOOT-FSTAB-DEVNAME", "blocker", "/dev/cciss/c0d0p2 on /"),
            ("BOOT-FSTAB-DEVNAME", "blocker", "/dev/cciss/c0d0p1 on /boot"),
            ("BOOT-CMDLINE-DEVNAME", "blocker", "root=/dev/cciss/c0d0p2"),
            ("BOOT-CONFIG-DEVNAME", "warning", "/boot/grub/device.map"),
            ("NET-NO-PRIMARY-CONFIG", "blocker", "eth1"),
            ("NET-PERSISTENT-RULES", "warning", "/etc/udev/rules.d/70-persistent-net.rules"),
            ("NET-MAC-PINNED", "warning", "/etc/sysconfig/network-scripts/ifcfg-eth0"),
            ("NITRO-NVME-TIMEOUT", "info", None),
        }
        nvme, ena = self.expect["nvme"], self.expect["ena"]
        if nvme == "m":
            want.add(("NITRO-NVME-INITRAMFS", "blocker", self.kver))
        elif nvme != "y":
            want.add(("NITRO-NVME-MISSING", "blocker", self.kver))
        if ena not in ("m", "y"):
            want.add(("NITRO-ENA-MISSING", "blocker", self.kver))
        return want

    def test_os_from_redhat_release_and_sysconfig_network(self):
        self.check_os(self.rep, type="linux", distro="centos", version="6.10", major=6, minor=10,
                      product_name="CentOS release 6.10 (Final)",
                      hostname="dbprod01.example.com", package_format="rpm",
                      root_device="/dev/sda2")

    def test_cciss_names_mount_boot(self):
        # fstab's /dev/cciss/c0d0p1 is the first partition of the first disk
        self.check_fs(self.fs_by_uuid(self.rep, lc.fixture_uuid(1601)), device="/dev/sda1",
                      mountpoint="/boot", mounted=True)
        self.check_fs(self.fs_by_uuid(self.rep, lc.fixture_uuid(1602)), device="/dev/sda2",
                      mountpoint="/", mounted=True)
        self.assertNotIn("FS-MOUNT-FAILED", self.finding_ids(self.rep))

    def test_findings_are_the_expected_table(self):
        got = set()
        for f in self.rep["findings"]:
            subject = f["title"].split(": ", 1)[1] if ": " in f["title"] else None
            got.add((f["id"], f["severity"], subject))
        self.assertEqual(got, self.expected_findings())

    def test_verdict(self):
        self.assertEqual(self.rep["verdict"]["nitro_boot"],
                         "fixable" if self.drivers_present() else "blocked")
        self.assertEqual(self.run_.rc, 1)

    def test_grub_legacy_default_entry(self):
        boot = self.rep["boot"]
        self.assertEqual(boot["loader"], "grub-legacy")
        self.assertIn(boot["config"], ("/boot/grub/menu.lst", "/boot/grub/grub.conf"))
        self.assertEqual(boot["default_kernel"], self.kver)
        k = self.default_kernel()
        self.assertEqual(k["version"], self.kver)
        self.assertEqual(k["vmlinuz"], "/boot/vmlinuz-" + self.kver)
        # default=0: the first title's kernel line, not the trial entry's
        self.assertIn("SYSFONT=latarcyrheb-sun16", k["cmdline"])
        self.assertTrue(k["cmdline"].startswith("ro root=/dev/cciss/c0d0p2 "), k["cmdline"])
        # its own initrd line, relative to the /boot partition (root (hd0,0)),
        # not the trial entry's initramfs that holds nvme
        self.assertEqual(k["initramfs"]["path"], "/boot/initramfs-%s.img" % self.kver)
        self.assertEqual(k["initramfs"]["compression"], "gzip")
        self.assertTrue(k["initramfs"]["readable"])

    def test_kernel_drivers_as_built(self):
        k = self.default_kernel()
        status = {"m": "module", "y": "builtin"}
        self.assertEqual(k["nvme"]["status"], status.get(self.expect["nvme"], "absent"))
        self.assertEqual(k["ena"]["status"], status.get(self.expect["ena"], "absent"))
        if self.expect["nvme"] == "m":
            self.assertFalse(k["nvme"]["in_initramfs"])
            ev = " ".join(self.findings("NITRO-NVME-INITRAMFS")[0]["evidence"])
            self.assertIn("/boot/initramfs-%s.img" % self.kver, ev)
            self.assertIn("no nvme", ev)

    def test_cciss_on_the_kernel_line(self):
        f = self.findings("BOOT-CMDLINE-DEVNAME")
        self.assertEqual(len(f), 1, f)
        ev = " ".join(f[0]["evidence"])
        self.assertIn("/dev/cciss/c0d0p2: hardware RAID controller name", ev)
        self.assertRegex(ev, r"/boot/grub/(menu\.lst|grub\.conf) \(%s\)" % self.kver)

    def test_network_pinned_to_the_old_mac(self):
        net = self.rep["network"]
        self.assertFalse(net["predictable_names"])
        self.assertEqual(net["predicted_primary"]["name"], "eth1")
        self.assertIn("70-persistent-net.rules", net["predicted_primary"]["reason"])
        self.assertFalse(net["primary_configured"])
        self.assertEqual(sorted((m["path"], m["interface"], m["mac"].lower())
                                for m in net["mac_pinned"]),
                         [("/etc/sysconfig/network-scripts/ifcfg-eth0", "eth0", MAC),
                          ("/etc/udev/rules.d/70-persistent-net.rules", "eth0", MAC)])
        cfg = [c for c in net["configs"] if c["interface"] == "eth0"]
        self.assertEqual(len(cfg), 1, net["configs"])
        self.check_fields(cfg[0], format="ifcfg", binds="mac", address="static", on_boot=True,
                      service_active=True, brings_up_primary=False)
        ev = " ".join(self.findings("NET-NO-PRIMARY-CONFIG")[0]["evidence"])
        self.assertIn("HWADDR=00:1F:29:0A:6B:10", ev)
        self.assertIn("static address", ev)

    def test_boot_mode_bios(self):
        mode = self.rep["boot"]["mode"]
        self.check_fields(mode, mode="bios", partition_table="mbr", esp=None,
                      bios_boot_partition=None, ami_boot_mode="legacy-bios")
        self.assertIn("legacy-bios", mode["meaning"])
        self.assertFalse([i for i in self.finding_ids(self.rep) if i.startswith("BOOT-MODE-")])


if __name__ == "__main__":
    lc.main()
