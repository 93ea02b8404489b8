"""Command line: --help, --version, usage errors (exit 2), and --root DIR on a
staged tree (no appliance: launch.accelerator "none"), -o versus stdout, -q,
--elf-list."""

import json
import os
import shutil
import tempfile
import unittest

import lc


def strip_volatile(rep):
    rep = dict(rep)
    rep.pop("started_at", None)
    rep.pop("duration_ms", None)
    return rep


class TestCli(unittest.TestCase):
    def test_help(self):
        r = lc.Run(["--help"], report=False)
        self.assertEqual(r.rc, 0, r.describe())
        for opt in ("--root", "--disk-format", "--allow-backing-file", "--accel", "-o"):
            self.assertIn(opt, r.stdout)

    def test_version(self):
        r = lc.Run(["--version"], report=False)
        self.assertEqual(r.rc, 0, r.describe())
        self.assertIn("liftcheck", r.stdout)
        want = os.environ.get("LIFTCHECK_VERSION")
        if want:
            self.assertIn(want, r.stdout)

    def test_usage_errors_exit_2(self):
        disk = os.path.join(tempfile.gettempdir(), "x.img")
        cases = {
            "no disk": ([], None),
            "unknown option": (["--no-such-option", disk], "--no-such-option"),
            "bad disk format": (["--disk-format", "floppy", disk], "floppy"),
            "bad accelerator": (["--accel", "warp", disk], "warp"),
            "--root without dir": (["--root"], None),
            "bad --timeout": (["--timeout", "0", disk], "--timeout"),
            "bad --stall-timeout": (["--stall-timeout", "5s", disk], "5s"),
            "bad --kvm-timeout": (["--kvm-timeout", "3601", disk], "3601"),
        }
        for name, (args, word) in cases.items():
            with self.subTest(name):
                r = lc.Run(args, report=False)
                self.assertEqual(r.rc, 2, r.describe())
                self.assertTrue(r.stderr.strip(), "usage error without a message")
                self.assertNotIn('"schema_version"', r.stdout)
                if word:
                    self.assertIn(word, r.stderr)


class TestRootDir(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="liftcheck-root-")
        cls.tree = os.path.join(cls.scratch, "tree")
        shutil.copytree(lc.fixture("root-tree"), cls.tree, symlinks=True)
        # A second tree with more ELF files, one named with a newline.
        cls.tree2 = os.path.join(cls.scratch, "tree2")
        shutil.copytree(lc.fixture("root-tree"), cls.tree2, symlinks=True)
        os.makedirs(os.path.join(cls.tree2, "opt", "tools"))
        for name in ("true", "odd\nname"):
            shutil.copy("/usr/bin/true", os.path.join(cls.tree2, "opt", "tools", name))
        cls.elf_list = os.path.join(cls.scratch, "elf.jsonl")
        cls.runs = {
            "file": lc.Run(["--root", cls.tree], inputs=[cls.tree]),
            "stdout": lc.Run(["--root", cls.tree, "-q"], inputs=[cls.tree], report=False),
            "list": lc.Run(["--root", cls.tree2, "--elf-list", cls.elf_list], inputs=[cls.tree2]),
        }

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def setUp(self):
        self.rep = self.report_of(self.runs["file"])

    def test_contract(self):
        rep = self.get_report(self.runs["file"])
        lc.validate(rep)
        self.assertEqual(rep["launch"]["accelerator"], "none")
        self.assertEqual(rep["tool"]["name"], "liftcheck")
        blockers = sum(1 for f in rep["findings"] if f["severity"] == "blocker")
        self.assertEqual(rep["verdict"]["blockers"], blockers)
        self.assertEqual(self.runs["file"].rc, 1 if blockers else 0)
        self.check_untouched(self.runs["file"])

    def test_os(self):
        self.check_os(self.rep, type="linux", distro="debian", version="12.5", major=12,
                      minor=5, hostname="root-tree", arch="x86_64", package_format="deb")

    def test_stdout_report_equals_file_report(self):
        r = self.runs["stdout"]
        self.assertEqual(r.rc, self.runs["file"].rc, r.describe())
        rep = json.loads(r.stdout)
        lc.validate(rep)
        self.assertEqual(strip_volatile(rep), strip_volatile(self.rep))

    def test_quiet_prints_nothing_on_stderr(self):
        self.assertEqual(self.runs["stdout"].stderr, "")

    def test_elf_list_is_the_inventory_as_json_lines(self):
        rep = self.report_of(self.runs["list"])
        with open(self.elf_list, encoding="utf-8") as f:
            lines = f.read().split("\n")
        self.assertEqual(lines[-1], "")         # every record ends with a newline
        records = [json.loads(line) for line in lines[:-1]]
        self.assertEqual(records, rep["elf_files"])
        paths = [r["path"] for r in records]
        self.assertIn("/opt/tools/odd\nname", paths)
        self.assertIn("/opt/tools/true", paths)


if __name__ == "__main__":
    lc.main()
