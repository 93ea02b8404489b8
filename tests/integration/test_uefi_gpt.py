"""An Ubuntu 22.04 server that boots only by UEFI (uefi-gpt.img of
images/build-bootchains.sh): GPT with an EFI system partition (vfat,
/boot/efi, EFI/ubuntu/grubx64.efi built by grub-mkimage) and no BIOS boot
partition, / by UUID, the host's real kernel with nvme in its initramfs,
systemd-networkd DHCP on en*.

Expected, from the domain facts: the firmware can start it only from the
ESP, so the AMI must be registered with boot mode uefi (current x86 Nitro
types boot it; types that boot only by BIOS do not):
  boot mode uefi, AMI boot mode uefi   BOOT-MODE-UEFI-ONLY info
  no nvme_core.io_timeout              NITRO-NVME-TIMEOUT info
  nothing else; verdict ready, exit 0 (when the kernel has nvme and ena,
  as the builder's expect file says)."""

import lc

ESP_TYPE = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
BIOS_BOOT_TYPE = "21686148-6449-6e6f-744e-656564454649"
LOADER = "/boot/efi/EFI/ubuntu/grubx64.efi"


class TestUefiGpt(lc.BootchainTest):
    IMAGE = "uefi-gpt.img"

    def test_os(self):
        self.check_os(self.rep, type="linux", distro="ubuntu", major=22, minor=4, hostname="uefi-gpt",
                      package_format="deb", root_device="/dev/sda2")

    def test_gpt_with_esp_and_no_bios_boot_partition(self):
        vol = self.rep["volumes"][0]
        self.assertEqual(vol["partition_table"], "gpt")
        types = [p["type"].lower() for p in vol["partitions"]]
        self.assertEqual(types[0], ESP_TYPE)
        self.assertNotIn(BIOS_BOOT_TYPE, types)
        self.check_fs(self.fs_by_device(self.rep, "/dev/sda1"), type="vfat", uuid="1F00-1611",
                      mountpoint="/boot/efi", mounted=True)
        self.check_fs(self.fs_by_uuid(self.rep, lc.fixture_uuid(1612)), device="/dev/sda2",
                      mountpoint="/", mounted=True)

    def test_boot_mode_uefi_only(self):
        mode = self.rep["boot"]["mode"]
        self.check_fields(mode, mode="uefi", partition_table="gpt", table_seen=True,
                          esp="/dev/sda1", bios_boot_partition=None, grub_pc=None,
                          grub_efi="/boot/grub/x86_64-efi", efi_loaders=[LOADER],
                          ami_boot_mode="uefi")
        self.assertIn("register the AMI with boot mode uefi", mode["meaning"])
        f = self.findings("BOOT-MODE-UEFI-ONLY")
        self.assertEqual(len(f), 1, self.finding_ids(self.rep))
        self.check_fields(f[0], severity="info", volume=0)
        self.assertEqual(f[0]["evidence"], mode["evidence"])
        self.assertIn("EFI system partition: /dev/sda1", f[0]["evidence"])
        self.assertIn("EFI loader: " + LOADER, f[0]["evidence"])
        self.assertIn("boot mode uefi", f[0]["remediation"])

    def test_default_kernel_from_grub_cfg(self):
        boot = self.rep["boot"]
        self.check_fields(boot, loader="grub2", config="/boot/grub/grub.cfg",
                          default_kernel=self.kver)
        k = self.default_kernel()
        self.assertEqual(k["cmdline"], "root=UUID=%s ro  quiet" % lc.fixture_uuid(1612))
        self.assertEqual(k["initramfs"]["path"], "/boot/initrd.img-" + self.kver)
        if self.expect["nvme"] == "m":
            self.assertTrue(k["nvme"]["in_initramfs"])

    def test_findings_and_verdict(self):
        got = sorted((f["id"], f["severity"]) for f in self.rep["findings"])
        if not self.drivers_present():
            self.skipTest("the host kernel lacks nvme or ena (expect: %s)" % self.expect)
        self.assertEqual(got, [("BOOT-MODE-UEFI-ONLY", "info"), ("NITRO-NVME-TIMEOUT", "info")])
        self.assertEqual(self.rep["verdict"]["nitro_boot"], "ready")
        self.assertEqual(self.run_.rc, 0)


if __name__ == "__main__":
    lc.main()
