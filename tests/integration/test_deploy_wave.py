"""A wave as deploy/'s engines run it: deploy/liftcheck-wave.sh with the
Kubernetes Job's arguments, two servers' pods at once (one given its index
as Kubernetes does, one as AWS Batch does), then the summary Job's
`liftcheck summary` over the reports directory they share.  A third line
names a disk that is not there (no report: the pod fails with 3) and a
fourth index is past the end of the list (2)."""

import json
import os
import subprocess
import tempfile

import yaml

import lc

DEPLOY = os.path.join(lc.SOURCE_ROOT, "deploy")
ENTRYPOINT = os.path.join(DEPLOY, "liftcheck-wave.sh")


def job_container(name):
    with open(os.path.join(DEPLOY, "kubernetes", name)) as f:
        (c,) = yaml.safe_load(f)["spec"]["template"]["spec"]["containers"]
    return c


class TestDeployWave(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="liftcheck-wave-")
        t = cls.tmp.name
        cls.disks_dir = lc.ensure_fixtures()
        cls.servers = {
            "two-disk-0": ["two-disk-0.img", "two-disk-1.img"],
            "debian12-sep-boot": ["debian12-sep-boot.raw"],
        }
        cls.disks = [os.path.join(cls.disks_dir, d) for ds in cls.servers.values() for d in ds]
        cls.before = {p: lc.fingerprint(p) for p in cls.disks}
        cls.list_path = os.path.join(t, "servers.txt")
        with open(cls.list_path, "w") as f:
            for ds in cls.servers.values():
                f.write(" ".join(ds) + "\n")
            f.write("absent.qcow2\n")
        cls.reports = os.path.join(t, "wave", "reports")
        bindir = os.path.join(t, "bin")
        os.makedirs(bindir)
        with open(os.path.join(bindir, "liftcheck"), "w") as f:
            f.write('#!/bin/sh\nexec "%s" "$@"\n' % lc.liftcheck())
        os.chmod(os.path.join(bindir, "liftcheck"), 0o755)
        cls.args = job_container("wave.job.yaml")["args"]
        env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"],
                   LIFTCHECK_SERVERS=cls.list_path, LIFTCHECK_DISKS=cls.disks_dir,
                   LIFTCHECK_REPORTS=cls.reports)
        env.pop("JOB_COMPLETION_INDEX", None)
        env.pop("AWS_BATCH_JOB_ARRAY_INDEX", None)
        pods = {
            0: dict(env, JOB_COMPLETION_INDEX="0"),
            1: dict(env, AWS_BATCH_JOB_ARRAY_INDEX="1"),
        }
        procs = {i: subprocess.Popen(["timeout", "--kill-after=10", str(2 * lc.RUN_TIMEOUT),
                                      ENTRYPOINT] + cls.args, env=e,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i, e in pods.items()}
        cls.pods = {i: (p.wait(), p.stderr.read()) for i, p in procs.items()}
        for i, (rc, err) in cls.pods.items():
            print("pod %d: exit %d\n%s" % (i, rc, err))
        cls.after = {p: lc.fingerprint(p) for p in cls.disks}
        cls.bad = {}
        for i in (2, 3):
            r = subprocess.run([ENTRYPOINT] + cls.args, env=dict(env, JOB_COMPLETION_INDEX=str(i)),
                               capture_output=True, text=True, timeout=lc.RUN_TIMEOUT)
            cls.bad[i] = (r.returncode, r.stderr)
        summary = job_container("summary.job.yaml")["args"]
        cls.summary_dir = os.path.join(t, "wave", "summary")
        # The summary Job's arguments, its paths under this test's volume.
        cmd = [lc.liftcheck()] + [a.replace("/wave/", os.path.join(t, "wave") + "/")
                                  for a in summary]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=lc.RUN_TIMEOUT)
        cls.summary_rc, cls.summary_err = r.returncode, r.stderr
        print("$ %s\n  -> exit %d\n%s" % (" ".join(cmd), r.returncode, r.stderr))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def report(self, server):
        with open(os.path.join(self.reports, server, "report.json")) as f:
            return json.load(f)

    def test_pods_succeed_with_a_report(self):
        for i, (rc, err) in self.pods.items():
            self.assertEqual(rc, 0, err)
        for server, disks in self.servers.items():
            rep = self.report(server)
            lc.validate(rep)
            self.assertEqual([v["path"] for v in rep["volumes"]],
                             [os.path.join(self.disks_dir, d) for d in disks])
            self.assertEqual(rep["launch"]["accelerator"], "tcg")
            for n in range(len(disks)):
                self.assertTrue(os.path.exists(os.path.join(
                    self.reports, server, "volume-%d.json" % n)))

    def test_disks_untouched(self):
        self.assertEqual(self.after, self.before)

    def test_missing_disk_fails_the_pod(self):
        rc, err = self.bad[2]
        self.assertEqual(rc, 3, err)
        self.assertIn("no report (liftcheck exit 3)", err)
        self.assertFalse(os.path.exists(os.path.join(self.reports, "absent", "report.json")))

    def test_index_past_the_end(self):
        rc, err = self.bad[3]
        self.assertEqual(rc, 2, err)
        self.assertIn("JOB_COMPLETION_INDEX=3: the server list %s has 3 line(s)" % self.list_path,
                      err)

    def test_summary_gates_the_wave(self):
        with open(os.path.join(self.summary_dir, "summary.json")) as f:
            s = json.load(f)
        by_name = {e["name"]: e for e in s["servers"]}
        self.assertEqual(sorted(by_name), sorted(self.servers))
        failing = incomplete = 0
        for server in self.servers:
            rep, e = self.report(server), by_name[server]
            self.assertEqual(e["status"], "read", e)
            self.assertEqual((e["blockers"], e["warnings"]),
                             (rep["verdict"]["blockers"], rep["verdict"]["warnings"]))
            failing += rep["verdict"]["blockers"] > 0
            incomplete += rep["complete"] is False
        want = 1 if failing else 4 if incomplete else 0
        self.assertEqual(self.summary_rc, want, self.summary_err)
        for ext in ("json", "md", "html", "csv"):
            self.assertTrue(os.path.exists(os.path.join(self.summary_dir, "summary." + ext)))


if __name__ == "__main__":
    lc.main()
