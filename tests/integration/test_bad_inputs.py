"""Inputs liftcheck cannot inspect: exit 3, exactly one error line on stderr
that names the file, no crash, bounded time (timeout 300), input untouched."""

import os
import shutil
import subprocess
import tempfile

import lc

# name -> (fixture or special, words one of which the error line should contain)
CASES = {
    "nonexistent": ("does-not-exist.img", None),
    "directory": ("a-directory.img", None),
    "empty": ("empty.img", None),
    "random": ("random.img", None),
    "truncated-qcow2": ("truncated.qcow2", None),
    "nofs": ("nofs.img", None),
    "backing-file": ("backing.qcow2", ("backing",)),
    "probed-qcow2-header": ("qcow2-header.bin", ("backing",)),
    "unreadable": ("unreadable.img", None),
}


class TestBadInputs(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        fixtures = lc.ensure_fixtures()
        cls.scratch = tempfile.mkdtemp(prefix="liftcheck-bad-")
        os.chmod(cls.scratch, 0o755)
        cls.paths = {}
        cls.runs = {}
        # The unreadable case runs liftcheck as another user, who must be able
        # to reach the binary (a build tree under a private directory is not).
        cls.skipped = {}
        probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                "test", "-x", lc.liftcheck()])
        if probe.returncode != 0:
            cls.skipped["unreadable"] = ("user 65534 cannot run %s: no other user to test "
                                         "an unreadable image with" % lc.liftcheck())
        for name, (fname, _) in CASES.items():
            if name in cls.skipped:
                continue
            if name == "nonexistent":
                path = os.path.join(cls.scratch, fname)
            elif name == "directory":
                path = os.path.join(cls.scratch, fname)
                os.mkdir(path)
            elif name == "unreadable":
                # The check needs a user that root's bypass does not apply to,
                # and a path that user can reach (the cache may be under /root).
                path = os.path.join(cls.scratch, fname)
                shutil.copyfile(os.path.join(fixtures, fname), path)
                os.chmod(path, 0)
            else:
                path = os.path.join(fixtures, fname)
            cls.paths[name] = path
            inputs = [] if name == "nonexistent" else [path]
            if name in ("backing-file", "probed-qcow2-header"):
                inputs.append("/etc/shadow")
            cls.runs[name] = lc.Run([path], inputs=inputs, as_nobody=(name == "unreadable"))

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def cases(self):
        return [name for name in CASES if name not in self.skipped]

    def test_unreadable_as_another_user(self):
        if "unreadable" in self.skipped:
            self.skipTest(self.skipped["unreadable"])
        self.assertEqual(self.runs["unreadable"].rc, 3, self.runs["unreadable"].describe())

    def test_exit_code_3(self):
        for name in self.cases():
            with self.subTest(name):
                self.assertEqual(self.runs[name].rc, 3, self.runs[name].describe())

    def test_one_error_line_naming_the_file(self):
        for name in self.cases():
            fname, words = CASES[name]
            with self.subTest(name):
                run = self.runs[name]
                lines = lc.messages(run.stderr)
                self.assertEqual(len(lines), 1, "expected exactly one stderr line\n" + run.describe())
                self.assertIn(fname, lines[0])
                if words:
                    self.assertTrue(any(w in lines[0].lower() for w in words),
                                    "%r should say why (%s)" % (lines[0], "/".join(words)))

    def test_input_untouched(self):
        for name in self.cases():
            with self.subTest(name):
                run = self.runs[name]
                for p in run.inputs:
                    self.assertEqual(run.before[p], run.after[p], "%s changed" % p)
                if name == "nonexistent":
                    self.assertFalse(os.path.exists(self.paths[name]), "liftcheck created the path")

    def test_no_backing_file_content_leaks(self):
        for name in ("backing-file", "probed-qcow2-header"):
            with self.subTest(name):
                run = self.runs[name]
                self.assertNotIn("root:", run.stdout + run.stderr)


if __name__ == "__main__":
    lc.main()
