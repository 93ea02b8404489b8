"""A run that waits on something that stops answering ends on its own within
--stall-timeout: one line names the stage and what it waited for, and the
report is written, marked incomplete (exit 4, SCAN-STALLED).  The stalls are
forced with a stand-in qemu (standin-qemu.sh): one whose CPUs never start,
one whose kernel panics while it boots (the run names the console's last
line), and one that stops once the appliance has booted and the run is under
way.  A second line says what qemu did meanwhile: sat idle, spun or was
stopped.  And a launch whose boot stops (its console silent for
LIFTCHECK_BOOT_SILENCE_S) is launched again and the run completes."""

import os
import re
import shutil
import tempfile
import unittest

import lc

STOPPED = re.compile(r"^liftcheck: stopped: no progress in (\d+) s waiting for (.+), "
                     r"in stage '(.+)'$", re.M)
ACCOUNT = re.compile(r"^liftcheck: (qemu \(pid \d+\) was ([a-z ]+) and had used (\d+\.\d) s of CPU "
                     r"in the last (\d+) s)$", re.M)


class TestStall(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture("debian12-sep-boot.raw")
        cls.tmp = tempfile.mkdtemp(prefix="liftcheck-stall-")
        cls.runs = {}
        env = dict(lc.standin_env("paused"), TMPDIR=cls.tmp, LIBGUESTFS_CACHEDIR="/var/tmp")
        cls.runs["launch"] = lc.Run(["--stall-timeout", "10", cls.disk], inputs=[cls.disk],
                                    env=env)
        # Its console goes quiet after the panic: the bound must outlast the
        # silence before the kernel's first line on a busy host.
        env = dict(lc.standin_env("panic"), LIBGUESTFS_CACHEDIR="/var/tmp")
        cls.runs["panic"] = lc.Run(["--stall-timeout", "45", cls.disk], inputs=[cls.disk],
                                   env=env, timeout=300)
        # The first boot never starts; the relaunch after 8 s of silence does.
        env = dict(lc.standin_env("paused-once"), LIBGUESTFS_CACHEDIR="/var/tmp",
                   STANDIN_ONCE=os.path.join(cls.tmp, "first-launch"),
                   LIFTCHECK_BOOT_SILENCE_S="8")
        cls.runs["relaunch"] = lc.Run([cls.disk], inputs=[cls.disk], env=env, timeout=420)
        # Long enough for a launch on a busy host, so that the stall comes after.
        # The tree and the files are read in the appliance, a window of seconds
        # in which the stand-in stops.
        env = dict(lc.standin_env("stall-after"), LIFTCHECK_HOST_TREE="0", LIFTCHECK_DIRECT="0")
        cls.runs["after_boot"] = lc.Run(["--stall-timeout", "120", cls.disk], inputs=[cls.disk],
                                        env=env, timeout=420)

    @classmethod
    def tearDownClass(cls):
        for r in cls.runs.values():
            r.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_stalled(self, run, bound):
        self.assertEqual(run.rc, 4, run.describe())
        m = STOPPED.search(run.stderr)
        self.assertIsNotNone(m, "no line saying where the run stopped\n" + run.describe())
        self.assertEqual(int(m.group(1)), bound)
        rep = run.report
        self.assertIsNotNone(rep, "no report\n" + run.describe())
        lc.validate(rep)
        self.assertFalse(rep["complete"])
        stalled = [f for f in rep["findings"] if f["id"] == "SCAN-STALLED"]
        self.assertEqual(len(stalled), 1, run.describe())
        self.assertIn(m.group(3), stalled[0]["evidence"][0])
        self.assertEqual([v["path"] for v in rep["volumes"]], [self.disk])
        self.assertEqual(lc.sha256_file(self.disk), run.before[self.disk])
        # What qemu did while the clock ran, on stderr and in the report.
        a = ACCOUNT.search(run.stderr)
        self.assertIsNotNone(a, "no line saying what qemu did\n" + run.describe())
        self.assertEqual(stalled[0]["evidence"][1:], [a.group(1)])
        self.qemu_state, self.qemu_cpu, self.qemu_window = \
            a.group(2), float(a.group(3)), int(a.group(4))
        return m.group(2), m.group(3), rep

    def test_launch_that_never_boots(self):
        run = self.runs["launch"]
        what, stage, rep = self.check_stalled(run, 10)
        self.assertEqual(what, "the appliance to start (nothing on its console yet)")
        self.assertEqual(stage, "launching the appliance (TCG)")
        self.assertEqual(self.qemu_state, "alive")
        self.assertLess(self.qemu_cpu, 5.0)             # its CPUs never ran
        self.assertEqual(self.qemu_window, 10)          # the wait's whole clock
        self.assertLess(run.elapsed_ms, 60 * 1000, "the stall took long to be seen")
        self.assertEqual(rep["os"], None)
        self.assertEqual(rep["verdict"]["nitro_boot"], "unknown")
        # qemu was killed and nothing was left in the temporary directory
        self.assertEqual([n for n in os.listdir(self.tmp) if n not in (".guestfs-0", "first-launch")],
                         [])

    def test_kernel_panic_names_the_console_line(self):
        run = self.runs["panic"]
        what, stage, rep = self.check_stalled(run, 45)
        self.assertEqual(stage, "launching the appliance (TCG)")
        if what == "the appliance to start (nothing on its console yet)":
            self.skipTest("the appliance wrote nothing in 45 s: the host is too busy to "
                          "reach the panic")
        self.assertTrue(what.startswith("the appliance to start (its console's last line: '"),
                        what)
        self.assertIn("Kernel panic", what)
        self.assertEqual(rep["os"], None)

    def test_boot_that_stops_once_is_launched_again(self):
        run = self.runs["relaunch"]
        self.assertEqual(run.rc, 0, run.describe())
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "first-launch")))
        # The first boot is the stand-in's; a busy host may hang the next
        # one too, which is launched again in turn.
        said = [l for l in run.stderr.splitlines() if "launching it again" in l]
        self.assertIn(len(said), (1, 2), run.describe())
        self.assertEqual(said[0], "liftcheck: the appliance's boot stopped: no console line in "
                                  "8 s; launching it again")
        rep = run.report
        lc.validate(rep)
        self.assertTrue(rep["complete"])
        self.assertEqual(rep["launch"]["relaunch_reason"],
                         "the appliance's boot stopped: no console line in 8 s")
        self.assertEqual(rep["os"]["distro"], "debian")
        self.assertEqual(lc.sha256_file(self.disk), run.before[self.disk])

    def test_appliance_that_stops_after_boot(self):
        run = self.runs["after_boot"]
        what, stage, rep = self.check_stalled(run, 120)
        self.assertNotIn("launching", stage)
        self.assertEqual(self.qemu_state, "stopped")    # the stand-in's SIGSTOP
        self.assertTrue(what.startswith("the appliance (libguestfs call ") or
                        what.startswith("the probe inside the appliance"), what)
        # the launch and the inspection before the stall are in the report
        self.assertEqual(rep["launch"]["accelerator"], "tcg")
        self.assertEqual(rep["os"]["distro"], "debian")


if __name__ == "__main__":
    lc.main()
