"""Command line: --help, --version, usage errors (exit 2), and --root DIR on a
staged tree (no appliance: launch.accelerator "none"), -o versus stdout, -q."""

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
        cls.runs = {
            "file": lc.Run(["--root", cls.tree], inputs=[cls.tree]),
            "stdout": lc.Run(["--root", cls.tree, "-q"], inputs=[cls.tree], report=False),
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
