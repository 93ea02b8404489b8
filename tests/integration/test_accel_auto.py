"""--accel auto without LIBGUESTFS_BACKEND_SETTINGS: KVM first, TCG when the
KVM launch fails.  The failure is forced with a stand-in qemu that refuses
KVM launches (standin-qemu.sh), so the fallback runs every time: the report
says TCG ran, why, and the size of the translation cache it gave TCG; stderr
says so in one line; the failure is remembered for the next runs.  The TCG
appliance gets one vCPU (README, "KVM and TCG": two can hang it), the KVM
one a vCPU per host CPU, at most four."""

import os
import re
import shutil
import tempfile
import unittest

import lc


class TestAccelAuto(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        if not os.access("/dev/kvm", os.R_OK | os.W_OK):
            raise unittest.SkipTest("no usable /dev/kvm: auto mode goes straight to TCG")
        cls.disk = lc.fixture("two-disk-0.img")
        cls.cache = tempfile.mkdtemp(prefix="liftcheck-kvm-cache-")
        cls.launches = os.path.join(cls.cache, "launches")
        env = dict(lc.standin_env("no-kvm"), LIBGUESTFS_BACKEND_SETTINGS=None,
                   XDG_CACHE_HOME=cls.cache, STANDIN_ARGS=cls.launches)
        cls.runs = {"auto": lc.Run(["--accel", "auto", cls.disk], inputs=[cls.disk], env=env)}

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.cache, ignore_errors=True)

    def test_fallback_to_tcg(self):
        run = self.runs["auto"]
        rep = self.get_report(run)
        lc.validate(rep)
        launch = rep["launch"]
        self.assertEqual(launch["accelerator"], "tcg", run.describe())
        # the reason is the KVM launch's failure, not a setting or the cache
        self.assertIsInstance(launch["fallback_reason"], str)
        self.assertTrue(launch["fallback_reason"].strip())
        for other in ("force_tcg", "/dev/kvm", "earlier"):
            self.assertNotIn(other, launch["fallback_reason"])
        self.assertIn("LAUNCH-TCG-FALLBACK", self.finding_ids(rep))
        # qemu ran through liftcheck-qemu-tcg (found in the build tree)
        self.assertEqual(launch["tcg_cache_mib"], 64)
        self.check_os(rep, distro="debian", hostname="two-disk")
        self.check_untouched(run)

    def test_one_line_on_stderr(self):
        run = self.runs["auto"]
        lines = [l for l in lc.messages(run.stderr) if "KVM" in l]
        self.assertEqual(lines, ["liftcheck: KVM launch failed (the appliance did not start); "
                                 "continuing under TCG (slower)"], run.describe())
        # libguestfs's own advice only under -v
        self.assertNotIn("LIBGUESTFS_DEBUG", run.stderr)

    def test_vcpus(self):
        with open(self.launches) as f:
            launches = f.read().splitlines()
        kvm = [l for l in launches if "accel=kvm" in l]
        tcg = [l for l in launches if "accel=kvm" not in l]
        self.assertTrue(kvm and tcg, launches)

        def vcpus(args):   # libguestfs leaves -smp out for one
            m = re.search(r"(?:^| )-smp (\d+)", args)
            return int(m.group(1)) if m else 1
        self.assertEqual([vcpus(l) for l in kvm], [min(os.cpu_count(), 4)] * len(kvm))
        self.assertEqual([vcpus(l) for l in tcg], [1] * len(tcg))

    def test_failure_remembered(self):
        with open(os.path.join(self.cache, "liftcheck", "kvm-broken")) as f:
            self.assertTrue(f.read().strip())


if __name__ == "__main__":
    lc.main()
