"""A hostile image (images/build-fixtures.sh hostile.img): file names, fstab
mount points and an initramfs made to attack the scanners and the renderers.

One run with --output-dir (every format).  Exit code: 1.  The image holds
blockers (fstab entries on /dev/xvdb1, /dev/sdc1, /dev/sdd1), and blockers
take precedence over exit 4: the report is marked `complete: false` only
because the 100 nested directories go past the ELF walk's depth limit (64),
which the report says with SCAN-LIMIT; nothing else may be cut short.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.dom.minidom

import lc

# Strings the fixture puts into names that reach the report.
SCRIPT = "<script>document.title='PWNED'</script>"
IMG = '"><img src=x onerror=alert(1)>'
TICKS = "pipe|col|`tick`|```fence"
MDLINK = "[x](javascript:alert(1))"
ESC = "esc\x1b[31mred"
# The run must stay well below lc.RUN_TIMEOUT: a bomb or a loop must not
# stretch it (TCG appliance launch and scan of a 40 MiB disk).
MAX_SECONDS = 240


class TestHostile(lc.ReportTest):

    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture("hostile.img")
        cls.outdir_parent = tempfile.mkdtemp(prefix="liftcheck-hostile-")
        cls.outdir = os.path.join(cls.outdir_parent, "out")
        cls.runs = {"default": lc.Run(["--output-dir", cls.outdir, cls.disk],
                                      inputs=[cls.disk], report=False)}
        run = cls.runs["default"]
        p = os.path.join(cls.outdir, "report.json")
        run.report_path = p
        run.raw_json = None
        if os.path.exists(p):
            with open(p, "rb") as f:
                run.raw_json = f.read()
            try:
                run.report = json.loads(run.raw_json.decode("utf-8"))
            except ValueError as ex:
                run.report_error = str(ex)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.outdir_parent, ignore_errors=True)

    def setUp(self):
        self.run_ = self.runs["default"]

    def read(self, name, mode="r"):
        p = os.path.join(self.outdir, name)
        self.assertTrue(os.path.exists(p), "%s not written; files: %s\n%s" % (
            name, sorted(os.listdir(self.outdir)) if os.path.isdir(self.outdir) else None,
            self.run_.describe()))
        with open(p, "rb") as f:
            data = f.read()
        return data if mode == "rb" else data.decode("utf-8")

    # ------------------------------------------------------------- contract
    def test_exit_code(self):
        # 1: complete report with blockers (see the module docstring).
        self.assertEqual(self.run_.rc, 1, self.run_.describe())

    def test_bounded_time(self):
        self.assertLess(self.run_.elapsed_ms / 1000, MAX_SECONDS, self.run_.describe())

    def test_contract(self):
        rep = self.check_common(self.run_, [self.disk])
        ids = self.finding_ids(rep)
        self.assertNotIn("SCAN-TIMEOUT", ids)
        self.assertNotIn("SCAN-READ-ERROR", ids)
        # the depth limit is the one thing the 100 nested directories may cut
        self.assertIs(rep["complete"], False)
        lim = [f for f in rep["findings"] if f["id"] == "SCAN-LIMIT"]
        self.assertEqual(len(lim), 1, ids)
        self.assertIn("depth limit", lim[0]["title"])

    def test_image_untouched(self):
        self.check_untouched(self.run_)

    def test_all_files_written(self):
        names = sorted(os.listdir(self.outdir))
        for ext in ("json", "md", "html", "junit.xml"):
            self.assertIn("report." + ext, names)
            self.assertIn("volume-0." + ext, names)

    def test_json_valid_utf8(self):
        self.assertIsNotNone(self.run_.raw_json, self.run_.describe())
        for name in ("report.json", "volume-0.json"):
            data = self.read(name, "rb")
            data.decode("utf-8")      # strict: raises on invalid UTF-8
            doc = json.loads(data)
            self.assertIsInstance(doc, dict)
            # no raw control characters: JSON escapes them
            self.assertIsNone(re.search(rb"[\x00-\x08\x0b-\x1f]", data), name)
        lc.validate(self.report_of(self.run_))

    def test_os_found(self):
        rep = self.report_of(self.run_)
        self.check_os(rep, type="linux", distro="debian", major=12, root_device="/dev/sda1")

    # ---------------------------------------------------- hostile inputs
    def test_bomb_initramfs_not_readable(self):
        rep = self.report_of(self.run_)
        ks = rep.get("kernels") or []
        self.assertEqual(len(ks), 1, ks)
        i = ks[0]["initramfs"]
        self.assertIsNotNone(i, ks[0])
        self.assertTrue(i["path"].startswith("/boot/initrd.img-"), i)
        self.assertEqual(i["compression"], "zstd")
        self.assertIs(i["readable"], False, i)
        self.assertTrue(i.get("error"), "no reason given: %s" % i)
        fs = [f for f in rep["findings"] if f["id"] == "NITRO-INITRAMFS-UNREADABLE"]
        self.assertEqual(len(fs), 1, self.finding_ids(rep))
        self.assertIn(i["path"], " ".join([fs[0]["title"]] + fs[0]["evidence"]))

    def test_hostile_names_reach_report(self):
        rep = self.report_of(self.run_)
        paths = [e["path"] for e in rep.get("elf_files") or []]
        for s in (SCRIPT, IMG, TICKS, MDLINK):
            with self.subTest(s=s):
                self.assertTrue(any(s in p for p in paths),
                                "%r not in elf_files: %s" % (s, [p for p in paths if p.startswith("/opt")]))
        self.assertTrue(any("new\nline" in p for p in paths), "newline name not in elf_files")
        self.assertTrue(any(ESC in p for p in paths), "escape name not in elf_files")
        mps = [e["mountpoint"] for e in rep.get("fstab") or []]
        self.assertTrue(any(SCRIPT in m for m in mps), mps)
        # the fstab line writes its spaces as \\040
        self.assertTrue(any("<img" in m for m in mps), mps)
        self.assertIn("BOOT-FSTAB-DEVNAME", self.finding_ids(rep))

    def test_symlink_loops_and_depth(self):
        # finishing at all (bounded by lc.RUN_TIMEOUT) shows the loops did not
        # hang; no program was found through a loop or through the / link
        rep = self.report_of(self.run_)
        paths = [e["path"] for e in rep.get("elf_files") or []]
        for p in paths:
            self.assertNotIn("/srv/hostile/loop/", p)
        self.assertEqual(len(paths), len(set(paths)), "duplicate elf_files paths")

    # ------------------------------------------------------------ renderers
    def test_html_escaped(self):
        for name in ("report.html", "volume-0.html"):
            h = self.read(name)
            low = h.lower()
            self.assertNotIn("<script", low, name)
            self.assertNotIn("<img", low, name)
            self.assertNotIn("\x1b", h, name)
            self.assertNotIn("javascript:alert", re.sub(r">[^<]*<", "><", low),
                             "%s: javascript: inside a tag" % name)

    def test_markdown_escaped(self):
        for name in ("report.md", "volume-0.md"):
            md = self.read(name)
            low = md.lower()
            # outside code spans too: Markdown renderers pass raw HTML through
            self.assertNotIn("<script", low, name)
            self.assertNotIn("<img", low, name)
            self.assertNotIn("\x1b", md, name)
            # a link needs an unescaped "]("; "\\[x\\](javascript:...)" is text
            self.assertIsNone(re.search(r"(?<!\\)\]\(javascript:", low), name)

    def test_markdown_tables_keep_columns(self):
        for name in ("report.md", "volume-0.md"):
            md = self.read(name)
            tables, cur = [], []
            for line in md.split("\n"):
                if line.startswith("|"):
                    cur.append(line)
                elif cur:
                    tables.append(cur)
                    cur = []
            if cur:
                tables.append(cur)
            self.assertTrue(tables, "%s has no table" % name)
            for t in tables:
                def cols(row):
                    # split on unescaped pipes that are not inside a code span
                    # (GFM: \| inside a code span in a table is still escaped)
                    return len(re.findall(r"(?<!\\)\|", row))
                self.assertGreaterEqual(len(t), 2, t)
                self.assertRegex(t[1], r"^\|(\s*:?-+:?\s*\|)+\s*$", "%s: %r" % (name, t[:2]))
                n = cols(t[0])
                for row in t:
                    self.assertEqual(cols(row), n, "%s: row %r has another column count than %r"
                                     % (name, row, t[0]))

    def test_dockerfiles(self):
        # names with newlines must not break out of comments into instructions
        files = sorted(glob.glob(os.path.join(self.outdir, "Dockerfile*")))
        instructions = ("FROM", "COPY", "RUN", "CMD", "ENV", "WORKDIR", "USER", "EXPOSE",
                        "ENTRYPOINT", "LABEL", "ARG", "VOLUME", "SHELL", "ADD",
                        "HEALTHCHECK", "STOPSIGNAL", "ONBUILD")
        for p in files:
            with open(p, "rb") as f:
                data = f.read()
            text = data.decode("utf-8")
            name = os.path.basename(p)
            with self.subTest(file=name, check="instructions"):
                cont = False
                for i, line in enumerate(text.split("\n"), 1):
                    if cont or not line.strip() or line.startswith("#"):
                        cont = line.endswith("\\") and not line.startswith("#")
                        continue
                    self.assertIn(line.split()[0].upper(), instructions,
                                  "%s line %d is neither a comment nor an instruction: %r"
                                  % (name, i, line))
                    cont = line.endswith("\\")
            with self.subTest(file=name, check="control characters"):
                self.assertIsNone(re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text),
                                  "%s holds raw control characters: %r" % (name, text))

    def test_junit_parses(self):
        for name in ("report.junit.xml", "volume-0.junit.xml"):
            data = self.read(name, "rb")
            doc = xml.dom.minidom.parseString(data)
            self.assertIn(doc.documentElement.tagName, ("testsuites", "testsuite"))
            self.assertTrue(doc.getElementsByTagName("testcase"), name)

    def test_chromium_dom(self):
        chromium = "/usr/bin/chromium"
        if not os.access(chromium, os.X_OK):
            self.skipTest("no %s" % chromium)
        html = os.path.join(self.outdir, "report.html")
        self.assertTrue(os.path.exists(html))
        profile = tempfile.mkdtemp(prefix="liftcheck-chromium-")
        try:
            r = subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                 "--dump-dom", "file://" + html],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        dom = r.stdout.decode("utf-8", "replace")
        self.assertIn("<html", dom.lower(), r.stderr.decode("utf-8", "replace")[-2000:])
        m = re.search(r"<title>(.*?)</title>", dom, re.S | re.I)
        self.assertIsNotNone(m, "no <title> in the DOM")
        self.assertNotIn("PWNED", m.group(1))
        self.assertNotIn("<script", dom.lower())
        self.assertNotIn("<img", dom.lower())


if __name__ == "__main__":
    lc.main()
