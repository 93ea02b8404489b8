"""The in-appliance file-tree snapshot gives the same report as reading the
guest file by file.

Two runs over the hostile image (images/build-fixtures.sh hostile.img):
one as users run it, one with --no-probe.  The image has hostile names,
links, ELF files and a directory chain deeper than the walk's depth limit,
so the snapshot's name index, link targets, recorded reads and depth-limited
walks are all exercised against the libguestfs calls they replace.
"""

import re
import unittest

import lc

# Fields that say how the run went rather than what the guest holds.
RUN_FIELDS = {"started_at", "finished_at", "duration_ms", "tool", "launch", "timing"}
SUMMARY_COST = {"elf_reads"}
HEADS = re.compile(r"(\d+) of (\d+) file heads and (\d+) of (\d+) ELF files read in disk order")


def by_path(files):
    return {f["path"]: f for f in files}


class TestProbe(lc.ReportTest):
    IMAGE = "hostile.img"

    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture(cls.IMAGE)
        cls.runs = {
            "probe": lc.Run(["--progress", cls.disk], inputs=[cls.disk]),
            "direct": lc.Run(["--no-probe", "--progress", cls.disk], inputs=[cls.disk]),
        }

    def test_probe_was_used(self):
        run = self.runs["probe"]
        self.report_of(run)
        self.assertIn("reading the file tree inside the appliance", run.stderr)
        self.assertIn("file tree ready", run.stderr)
        self.assertNotIn("reading files one by one", run.stderr, run.describe())
        direct = self.runs["direct"]
        self.assertNotIn("inside the appliance", direct.stderr, direct.describe())

    def test_heads_read_in_disk_order(self):
        # On ext4 the probe places file heads on the device and reads them
        # in block order; a silent fallback to per-file reads would keep the
        # report right and make it minutes slower on a real server.
        run = self.runs["probe"]
        m = HEADS.search(run.stderr)
        self.assertIsNotNone(m, run.describe())
        placed, heads = int(m.group(1)), int(m.group(2))
        self.assertGreater(heads, 10, run.describe())
        self.assertGreaterEqual(placed, heads * 9 // 10, run.describe())

    def test_directories_read_from_ext4_metadata(self):
        # hostile.img is ext4: the probe lists it from the metadata it read
        # in bulk (libext2fs), not one kernel call per entry; a silent
        # fallback would keep the report right and triple the tree's cost.
        run = self.runs["probe"]
        m = re.search(r"(\d+) of (\d+) directories read from ext2/3/4 metadata", run.stderr)
        self.assertIsNotNone(m, run.describe())
        indexed, dirs = int(m.group(1)), int(m.group(2))
        self.assertGreater(dirs, 5, run.describe())
        self.assertEqual(indexed, dirs, run.describe())

    def test_same_exit_code(self):
        self.assertEqual(self.runs["probe"].rc, self.runs["direct"].rc,
                         self.runs["probe"].describe() + self.runs["direct"].describe())

    def test_same_elf_inventory(self):
        a = by_path(self.report_of(self.runs["probe"]).get("elf_files") or [])
        b = by_path(self.report_of(self.runs["direct"]).get("elf_files") or [])
        self.assertGreater(len(a), 0)
        self.assertEqual(sorted(a), sorted(b))
        for path in a:
            self.assertEqual(a[path], b[path], path)

    def test_same_summary_findings_and_decisions(self):
        a = self.report_of(self.runs["probe"])
        b = self.report_of(self.runs["direct"])
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
        run = self.runs["probe"]
        m = HEADS.search(run.stderr)
        self.assertIsNotNone(m, run.describe())
        from_device, elf = int(m.group(3)), int(m.group(4))
        self.assertGreater(elf, 100, run.describe())
        self.assertGreaterEqual(from_device, elf * 9 // 10, run.describe())


if __name__ == "__main__":
    unittest.main(verbosity=2)
