"""The file-tree snapshot gives the same report as reading the guest file
by file, wherever it is made.

Four runs over the hostile image (images/build-fixtures.sh hostile.img):
one as users run it (the host reads the image's ext4 tree from its
metadata and its files at the places that metadata gives), one with
LIFTCHECK_HOST_TREE=0 (the probe in the appliance reads the tree and maps
the files, the host reads them), one with LIFTCHECK_DIRECT=0 (the
appliance reads the tree and the files, as for compressed qcow2 and vmdk),
and one with --no-probe.  The image has hostile names, links, ELF files and a directory
chain deeper than the walk's depth limit, so the snapshot's name index, link
targets, recorded reads, extent maps and depth-limited walks are all
exercised against the libguestfs calls they replace.
"""

import re

import lc

# Fields that say how the run went rather than what the guest holds.
RUN_FIELDS = {"started_at", "finished_at", "duration_ms", "tool", "launch", "timing"}
SUMMARY_COST = {"elf_reads"}
HEADS = re.compile(r"(\d+) of (\d+) file heads and (\d+) of (\d+) ELF files read in disk order")
MAPPED = re.compile(r"(\d+) files mapped on the input disks, read by the host")
SNAPSHOT_RUNS = ("probe", "appliance_tree", "appliance")
APPLIANCE_TREE_RUNS = ("appliance_tree", "appliance")


def by_path(files):
    return {f["path"]: f for f in files}


class TestProbe(lc.ReportTest):
    IMAGE = "hostile.img"
    # directories and files on filesystems that are not ext2/3/4
    OTHER_DIRS = OTHER_FILES = 0

    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture(cls.IMAGE)
        cls.runs = {
            "probe": lc.Run(["--progress", cls.disk], inputs=[cls.disk]),
            "appliance_tree": lc.Run(["--progress", cls.disk], inputs=[cls.disk],
                                     env={"LIFTCHECK_HOST_TREE": "0"}),
            "appliance": lc.Run(["--progress", cls.disk], inputs=[cls.disk],
                                env={"LIFTCHECK_DIRECT": "0"}),
            "live": lc.Run(["--no-probe", "--progress", cls.disk], inputs=[cls.disk]),
        }

    def test_probe_was_used(self):
        for name in SNAPSHOT_RUNS:
            run = self.runs[name]
            self.report_of(run)
            self.assertIn("file tree ready", run.stderr)
            self.assertNotIn("reading files one by one", run.stderr, run.describe())
        for name in APPLIANCE_TREE_RUNS:
            run = self.runs[name]
            self.assertIn("reading the file tree inside the appliance", run.stderr, name)
            self.assertIn("file tree ready, read inside the appliance", run.stderr, name)
        live = self.runs["live"]
        self.assertNotIn("inside the appliance", live.stderr, live.describe())

    def test_tree_read_on_the_host(self):
        # Every filesystem is ext4 on a raw or uncompressed qcow2 disk: the
        # host reads the tree from the metadata itself and the appliance
        # runs no probe; a silent fallback would keep the report right and
        # cost the appliance's emulated walk.
        run = self.runs["probe"]
        self.assertIn("file tree ready, read on the host", run.stderr, run.describe())
        self.assertNotIn("reading the file tree inside the appliance", run.stderr)

    def test_files_read_by_the_host_from_the_image(self):
        # The image is raw or uncompressed qcow2: the probe maps the files and
        # the host reads them, so the appliance reads no file heads; a
        # silent fallback would keep the report right and cost the
        # appliance's emulated reads.
        for name in ("probe", "appliance_tree"):
            run = self.runs[name]
            m, heads = MAPPED.search(run.stderr), HEADS.search(run.stderr)
            self.assertIsNotNone(m, run.describe())
            self.assertIsNotNone(heads, run.describe())
            self.assertGreater(int(m.group(1)), 10, run.describe())
            self.assertLessEqual(int(heads.group(2)), int(m.group(1)) // 10 + self.OTHER_FILES,
                                 run.describe())
        off = self.runs["appliance"]
        m = MAPPED.search(off.stderr)
        self.assertIsNotNone(m, off.describe())
        self.assertEqual(int(m.group(1)), 0, off.describe())

    def test_heads_read_in_disk_order(self):
        # When the appliance reads the files (LIFTCHECK_DIRECT=0 here; a
        # qcow2 disk in use), on ext4 it places file heads on the device and
        # reads them in block order; a silent fallback to per-file reads
        # would keep the report right and make it minutes slower.
        run = self.runs["appliance"]
        m = HEADS.search(run.stderr)
        self.assertIsNotNone(m, run.describe())
        placed, heads = int(m.group(1)), int(m.group(2))
        self.assertGreater(heads, 10, run.describe())
        self.assertGreaterEqual(placed, heads * 9 // 10, run.describe())

    def test_directories_read_from_ext4_metadata(self):
        # hostile.img is ext4: the probe lists it from the metadata it read
        # in bulk (libext2fs), not one kernel call per entry; a silent
        # fallback would keep the report right and triple the tree's cost.
        # Only other filesystems' directories are listed by the kernel.
        for name in SNAPSHOT_RUNS:
            run = self.runs[name]
            m = re.search(r"(\d+) of (\d+) directories read from ext2/3/4 metadata", run.stderr)
            self.assertIsNotNone(m, run.describe())
            indexed, dirs = int(m.group(1)), int(m.group(2))
            self.assertGreater(dirs, 5, run.describe())
            self.assertEqual(indexed, dirs - self.OTHER_DIRS, run.describe())

    def test_same_exit_code(self):
        for name in SNAPSHOT_RUNS:
            self.assertEqual(self.runs[name].rc, self.runs["live"].rc,
                             self.runs[name].describe() + self.runs["live"].describe())

    def test_same_elf_inventory(self):
        b = by_path(self.report_of(self.runs["live"]).get("elf_files") or [])
        self.assertGreater(len(b), 0)
        for name in SNAPSHOT_RUNS:
            a = by_path(self.report_of(self.runs[name]).get("elf_files") or [])
            self.assertEqual(sorted(a), sorted(b), name)
            for path in a:
                self.assertEqual(a[path], b[path], name + ": " + path)

    def test_same_summary_findings_and_decisions(self):
        for name in SNAPSHOT_RUNS:
            with self.subTest(run=name):
                self.same_report(self.report_of(self.runs[name]),
                                 self.report_of(self.runs["live"]))

    def same_report(self, a, b):
        sa = {k: v for k, v in a["elf_summary"].items() if k not in SUMMARY_COST}
        sb = {k: v for k, v in b["elf_summary"].items() if k not in SUMMARY_COST}
        self.assertEqual(sa, sb)
        for key in sorted(set(a) | set(b)):
            if key in RUN_FIELDS or key in ("elf_files", "elf_summary"):
                continue
            if key == "findings":
                # the same findings with the same evidence, in any order
                fa = sorted((f["id"], sorted(map(str, f.get("evidence") or []))) for f in a[key])
                fb = sorted((f["id"], sorted(map(str, f.get("evidence") or []))) for f in b[key])
                self.assertEqual(fa, fb)
                continue
            if key == "applications":
                # libguestfs's find0 cannot list a directory whose name holds
                # a newline; the probe can: that one count may differ, and
                # only in the probe's favour.
                for x, y in zip(a[key], b[key]):
                    if "\n" in x["root"] and y["file_count"] == 0:
                        self.assertGreater(x["file_count"], 0)
                        y["file_count"] = x["file_count"]
            self.assertEqual(a.get(key), b.get(key), key)

    def test_depth_limit_still_reported(self):
        # the snapshot stops at the same depth as the direct walk, and says so
        for run in self.runs.values():
            rep = self.report_of(run)
            self.assertIs(rep["complete"], False)
            self.assertIn("SCAN-LIMIT", self.finding_ids(rep))

    def test_image_untouched(self):
        for run in self.runs.values():
            self.check_untouched(run)


class TestProbeDebian(TestProbe):
    """The Debian sample: a real tree on two ext4 filesystems (/ and /boot),
    so the index's mount-point handling and the ELF files parsed from bytes
    read off the device are checked against libguestfs's own reads."""
    IMAGE = "debian12-sep-boot.raw"

    def test_depth_limit_still_reported(self):
        for run in self.runs.values():
            self.assertIs(self.report_of(run)["complete"], True, run.describe())

    def test_elf_files_read_in_disk_order(self):
        run = self.runs["appliance"]
        m = HEADS.search(run.stderr)
        self.assertIsNotNone(m, run.describe())
        from_device, elf = int(m.group(3)), int(m.group(4))
        self.assertGreater(elf, 100, run.describe())
        self.assertGreaterEqual(from_device, elf * 9 // 10, run.describe())


class TestProbeDirtyJournal(TestProbe):
    """An uncompressed qcow2 whose ext4 (in a partition) holds a committed
    journal transaction that rewrites /etc/fstab: the appliance replays it
    into the overlay at mount, and the host, reading the tree and the files
    itself, must read the replayed bytes from the overlay and the rest from
    the qcow2's clusters, as qemu does.  Its EFI system partition (vfat, at
    /boot/efi) is a filesystem the host cannot read: the probe reads that
    subtree in the appliance and the host splices it in."""
    IMAGE = "dirty-journal.qcow2"
    OTHER_DIRS = 4              # /boot/efi, EFI, EFI/debian, EFI/tools
    OTHER_FILES = 3             # grub.cfg, grubx64.efi, true

    def test_efi_partition_read_by_the_appliance(self):
        run = self.runs["probe"]
        self.assertIn("reading a filesystem the host cannot read inside the appliance (1 of 1)",
                      run.stderr, run.describe())
        self.assertIn("file tree ready, read on the host", run.stderr, run.describe())
        # Its files are in the report as in the others: the ELF file on it
        # found and parsed from what the probe read.
        for name, r in self.runs.items():
            files = by_path(self.report_of(r).get("elf_files") or [])
            self.assertIn("/boot/efi/EFI/tools/true", files, name)
            self.assertEqual(files["/boot/efi/EFI/tools/true"]["machine"], "x86_64", name)

    def test_depth_limit_still_reported(self):
        for run in self.runs.values():
            self.assertIs(self.report_of(run)["complete"], True, run.describe())

    def test_boot_mode_uefi_only(self):
        # The builder's MBR disk: the root in a type 83 partition, the ESP
        # (vfat) in a type ef one holding EFI/debian/grubx64.efi, and no
        # grub-pc: only UEFI firmware boots it.
        for name, run in self.runs.items():
            rep = self.report_of(run)
            vol = rep["volumes"][0]
            self.assertEqual(vol["partition_table"], "dos", name)
            esp = self.fs_by_uuid(rep, "1F00-0901")["device"]
            parts = {p["device"]: p for p in vol["partitions"]}
            self.assertEqual(parts[esp]["type"], "0xef", name)
            self.assertEqual(parts[esp]["filesystem"], "vfat", name)
            self.assertEqual(sorted(p["type"] for p in parts.values()), ["0x83", "0xef"], name)
            m = rep["boot"]["mode"]
            self.assertEqual(m["mode"], "uefi", "%s: %s" % (name, m))
            self.assertEqual(m["partition_table"], "mbr", name)
            self.assertIs(m["table_seen"], True, name)
            self.assertEqual(m["esp"], esp, name)
            self.assertIsNone(m["bios_boot_partition"], name)
            self.assertIsNone(m["grub_pc"], name)
            self.assertEqual(m["efi_loaders"], ["/boot/efi/EFI/debian/grubx64.efi"], name)
            self.assertEqual(m["ami_boot_mode"], "uefi", name)
            found = [f for f in rep["findings"] if f["id"] == "BOOT-MODE-UEFI-ONLY"]
            self.assertEqual(len(found), 1, name)
            self.assertEqual(found[0]["severity"], "info", name)
            self.assertIn("EFI system partition: " + esp, found[0]["evidence"], name)
            self.assertNotIn("BOOT-MODE-UNKNOWN", self.finding_ids(rep), name)

    def test_fstab_as_replayed(self):
        # The file names the root by UUID on the image; the journal's copy
        # names /dev/xvda1, which only a replaying reader sees.
        for name, run in self.runs.items():
            rep = self.report_of(run)
            found = [f for f in rep["findings"] if f["id"] == "BOOT-FSTAB-DEVNAME"]
            self.assertTrue(found, name + run.describe())
            self.assertIn("/dev/xvda1", str(found[0].get("evidence")), name)


class TestProbeLvm(TestProbe):
    """Root on an LVM logical volume of one segment (a linear device-mapper
    target on a partition): the probe places the volume on its disk, and the
    host reads its files at that offset."""
    IMAGE = "lvm-root.img"

    def test_depth_limit_still_reported(self):
        for run in self.runs.values():
            self.assertIs(self.report_of(run)["complete"], True, run.describe())


if __name__ == "__main__":
    lc.main()
