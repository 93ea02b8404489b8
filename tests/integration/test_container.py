"""The OCI image of liftcheck (deploy/container) run with podman as a wave's
pods run it: the image is built (or reused) by build-image.sh, then two
servers at once, the sample image and the nitro-blocked fixture, each in a
container with the Kubernetes Job's environment, volumes (disks and server
list read-only, reports on a shared directory) and security settings
(read-only root, no capability, no new privilege, the image's non-root
user). The first runs the Job's entrypoint with its index; the second runs
the image's own entrypoint, liftcheck, whose exit code must be liftcheck's.
Then the summary Job's command in a third container over both reports,
checked in every format against the roll-up computed here from the two
reports. Skips (77) when podman is missing, not root, or cannot run a
container on this host (podman-options.sh says why)."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

import lc

sys.path.insert(0, os.path.join(lc.SOURCE_ROOT, "tests", "summary"))
from rollup import Tables, expected_rollup, md_tables  # noqa: E402

CONTAINER = os.path.join(lc.SOURCE_ROOT, "deploy", "container")
KUBERNETES = os.path.join(lc.SOURCE_ROOT, "deploy", "kubernetes")
# The image build: debootstrap, apt-get and podman build (minutes the first time).
BUILD_TIMEOUT = 1800


def job_container(name):
    with open(os.path.join(KUBERNETES, name)) as f:
        (c,) = yaml.safe_load(f)["spec"]["template"]["spec"]["containers"]
    return c


def skip_reason():
    if not shutil.which("podman"):
        return "podman is not installed (Debian packages: podman runc)"
    if os.geteuid() != 0:
        return "the image is built with debootstrap and chroot: needs root"
    if not os.environ.get("LIFTCHECK_BUILD_DIR"):
        return "LIFTCHECK_BUILD_DIR is not set (run through meson test)"
    return None


class TestContainer(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        why = skip_reason()
        if why:
            raise unittest.SkipTest(why)
        lc.liftcheck()
        cls.sample = os.path.join(lc.CACHE, "debian12.qcow2")
        cls.blocked = lc.fixture("nitro-blocked.img")
        r = subprocess.run([os.path.join(CONTAINER, "build-image.sh"),
                            os.environ["LIFTCHECK_BUILD_DIR"], lc.CACHE],
                           capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        sys.stderr.write(r.stderr)
        assert r.returncode == 0, "build-image.sh failed (%d)" % r.returncode
        cls.image = r.stdout.strip().splitlines()[-1]
        r = subprocess.run([os.path.join(CONTAINER, "podman-options.sh"), cls.image],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise unittest.SkipTest("podman cannot run a container here:\n" + r.stderr)
        cls.options = r.stdout.split()
        print("podman run options for this host: %s" % (" ".join(cls.options) or "none"))
        cls.user = subprocess.run(["podman", "image", "inspect", "--format",
                                   "{{.Config.User}}", cls.image],
                                  capture_output=True, text=True, check=True).stdout.strip()
        uid, gid = (int(x) for x in cls.user.split(":"))

        cls.tmp = tempfile.TemporaryDirectory(prefix="liftcheck-container-")
        t = cls.tmp.name
        cls.servers_dir = os.path.join(t, "servers")
        os.makedirs(cls.servers_dir)
        with open(os.path.join(cls.servers_dir, "servers.txt"), "w") as f:
            f.write("debian12.qcow2\nnitro-blocked.img\n")
        cls.wave = os.path.join(t, "wave")
        cls.reports = os.path.join(cls.wave, "reports")
        os.makedirs(cls.reports)
        for d in (cls.wave, cls.reports):
            os.chown(d, uid, gid)
        cls.disks = [cls.sample, cls.blocked]
        cls.before = {p: lc.fingerprint(p) for p in cls.disks}

        job = job_container("wave.job.yaml")
        env = [a for e in job["env"] for a in ("-e", "%s=%s" % (e["name"], e["value"]))]
        base = ["podman", "run", "--rm", "--network=none", *cls.options,
                "--read-only", "--cap-drop=all", "--security-opt=no-new-privileges",
                "-v", "%s:/etc/liftcheck-wave:ro" % cls.servers_dir,
                "-v", "%s:/disks/debian12.qcow2:ro" % cls.sample,
                "-v", "%s:/disks/nitro-blocked.img:ro" % cls.blocked,
                "-v", "%s:/wave" % cls.wave, *env]
        timeout = ["timeout", "--kill-after=10", str(3 * lc.RUN_TIMEOUT)]
        pods = {
            # Kubernetes: the Job's entrypoint and arguments, its index.
            "debian12": [*timeout, *base, "-e", "JOB_COMPLETION_INDEX=0",
                         "--entrypoint", job["command"][0], cls.image, *job["args"]],
            # The image's entrypoint: liftcheck itself.
            "nitro-blocked": [*timeout, *base, cls.image, "-q", "--accel", "tcg",
                              "--output-dir", "/wave/reports/nitro-blocked",
                              "/disks/nitro-blocked.img"],
        }
        procs = {n: subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True) for n, c in pods.items()}
        cls.pods = {n: (p.wait(), p.communicate()[1]) for n, p in procs.items()}
        for n, (rc, err) in cls.pods.items():
            print("pod %s: exit %d\n%s" % (n, rc, err[-3000:]))
        cls.after = {p: lc.fingerprint(p) for p in cls.disks}

        # Exit codes of runs that need no appliance.
        cls.quick = {}
        for name, args in (("usage", ["--no-such-option"]),
                           ("missing", ["-q", "/disks/absent.qcow2"])):
            r = subprocess.run([*base, cls.image, *args], capture_output=True, text=True,
                               timeout=lc.RUN_TIMEOUT)
            cls.quick[name] = (r.returncode, r.stderr)

        summary = job_container("summary.job.yaml")
        cls.summary_dir = os.path.join(cls.wave, "summary")
        r = subprocess.run([*base, "--entrypoint", summary["command"][0], cls.image,
                            *summary["args"]], capture_output=True, text=True,
                           timeout=lc.RUN_TIMEOUT)
        cls.summary_rc, cls.summary_err = r.returncode, r.stderr
        print("summary: exit %d\n%s" % (r.returncode, r.stderr))
        cls.expect = expected_rollup([(n, cls.report(n)) for n in ("debian12", "nitro-blocked")])

    @classmethod
    def tearDownClass(cls):
        tmp = getattr(cls, "tmp", None)
        if tmp:
            # The containers wrote as the image's user: ownership goes back.
            subprocess.run(["chown", "-R", "%d:%d" % (os.getuid(), os.getgid()), tmp.name])
            tmp.cleanup()

    @classmethod
    def report(cls, server):
        try:
            with open(os.path.join(cls.reports, server, "report.json")) as f:
                return json.load(f)
        except OSError:
            return {"findings": [], "verdict": {}, "applications": []}

    def read(self, ext):
        with open(os.path.join(self.summary_dir, "summary." + ext), newline="") as f:
            return f.read()

    def test_image(self):
        self.assertTrue(self.image.startswith("localhost/liftcheck:"), self.image)
        self.assertNotEqual(self.user.split(":")[0], "0")
        for server in ("debian12", "nitro-blocked"):
            st = os.stat(os.path.join(self.reports, server, "report.json"))
            self.assertEqual("%d:%d" % (st.st_uid, st.st_gid), self.user)

    def test_pods(self):
        rc, err = self.pods["debian12"]
        self.assertEqual(rc, 0, err)
        self.assertIn("liftcheck-wave: index 0 (JOB_COMPLETION_INDEX): server debian12", err)
        for server, disk in (("debian12", "debian12.qcow2"),
                             ("nitro-blocked", "nitro-blocked.img")):
            rep = self.report(server)
            lc.validate(rep)
            self.assertEqual([v["path"] for v in rep["volumes"]], ["/disks/" + disk])
            self.assertEqual(rep["launch"]["accelerator"], "tcg")
        self.assertEqual(self.report("nitro-blocked")["verdict"]["nitro_boot"], "blocked")

    def test_exit_codes_are_liftcheck_s(self):
        rep = self.report("nitro-blocked")
        want = 1 if rep["verdict"]["blockers"] else 4 if rep["complete"] is False else 0
        rc, err = self.pods["nitro-blocked"]
        self.assertEqual((rc, want), (1, 1), err)
        self.assertEqual(self.quick["usage"][0], 2, self.quick["usage"][1])
        self.assertEqual(self.quick["missing"][0], 3, self.quick["missing"][1])
        self.assertIn("/disks/absent.qcow2", self.quick["missing"][1])

    def test_disks_untouched(self):
        self.assertEqual(self.after, self.before)

    def test_summary_json(self):
        servers, findings, images = self.expect
        failing = sum(s["blockers"] > 0 for s in servers)
        self.assertEqual(failing, 1)
        self.assertEqual(self.summary_rc, 1, self.summary_err)
        with open(os.path.join(self.summary_dir, "summary.json")) as f:
            doc = json.load(f)
        t = doc["totals"]
        self.assertEqual((t["servers"], t["read"], t["unreadable"], t["failing"]),
                         (2, 2, 0, failing))
        self.assertEqual([{k: s[k] for k in servers[0]} for s in doc["servers"]], servers)
        self.assertEqual([{k: e[k] for k in findings[0]} for e in doc["findings"]], findings)
        self.assertEqual(doc["base_images"], images)
        # Fixing nitro-blocked's only blocking id, if it has one, unblocks it.
        ids = servers[1]["blocker_ids"]
        if len(ids) == 1:
            self.assertEqual(doc["findings"][0]["id"], ids[0])
            self.assertEqual(doc["findings"][0]["servers_unblocked"], 1)

    def test_summary_csv(self):
        servers = self.expect[0]
        rows = list(csv.DictReader(io.StringIO(self.read("csv"))))
        self.assertEqual([r["server"] for r in rows], [s["name"] for s in servers])
        for r, s in zip(rows, servers):
            self.assertEqual(r["nitro_boot"], s["nitro_boot"])
            self.assertEqual((int(r["blockers"]), int(r["warnings"])),
                             (s["blockers"], s["warnings"]))
            self.assertEqual(r["blocker_ids"], "; ".join(s["blocker_ids"]))
            self.assertEqual(r["fails"], "yes" if s["blockers"] else "no")

    def test_summary_markdown(self):
        servers, findings, _ = self.expect
        text = self.read("md")
        first = text.split("\n")[0]
        self.assertTrue(first.startswith("**Wave: 2 servers: "), first)
        self.assertIn("1 blocked", first)
        self.assertIn("1 fail --fail-on blocker", first)
        tables = md_tables(text)
        fixes = tables[0]
        self.assertEqual([r[0].replace("\\", "") for r in fixes[1:]], [e["id"] for e in findings])
        self.assertEqual([int(r[2]) for r in fixes[1:]],
                         [e["servers_unblocked"] for e in findings])
        rows = next(tb for tb in tables if tb[0][0] == "Server")
        self.assertEqual([r[0] for r in rows[1:]], [s["name"] for s in servers])

    def test_summary_html(self):
        servers, findings, _ = self.expect
        p = Tables()
        p.feed(self.read("html"))
        self.assertNotIn("script", p.tags)
        self.assertEqual([r[0] for r in p.tables[0][1:]], [e["id"] for e in findings])
        rows = next(tb for tb in p.tables if tb[0][0] == "Server")
        self.assertEqual([r[0] for r in rows[1:]], [s["name"] for s in servers])


if __name__ == "__main__":
    lc.main()
