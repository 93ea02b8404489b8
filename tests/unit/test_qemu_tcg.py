"""inspector/liftcheck-qemu-tcg.sh: the qemu that libguestfs starts under TCG
gets the arguments libguestfs gave, with the accelerator moved from -machine
to -accel with a translation cache size (qemu refuses both forms at once)."""

import os
import stat
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "inspector",
                      "liftcheck-qemu-tcg.sh")


class TestQemuTcgWrapper(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="liftcheck-qemu-tcg-")
        cls.fake = os.path.join(cls.tmp, "qemu")
        # prints each argument on a line of its own, as qemu received it
        with open(cls.fake, "w") as f:
            f.write("#!/bin/sh\nfor a; do printf '%s\\n' \"$a\"; done\n")
        os.chmod(cls.fake, stat.S_IRWXU)

    def run_wrapper(self, args, mib=None):
        env = dict(os.environ, LIFTCHECK_QEMU=self.fake)
        env.pop("LIFTCHECK_TCG_CACHE_MIB", None)
        if mib is not None:
            env["LIFTCHECK_TCG_CACHE_MIB"] = str(mib)
        out = subprocess.run(["sh", SCRIPT] + args, env=env, check=True,
                             capture_output=True, text=True).stdout
        return out.split("\n")[:-1]

    def test_accel_alone(self):
        self.assertEqual(self.run_wrapper(["-nodefaults", "-machine", "accel=tcg", "-m", "1280"]),
                         ["-nodefaults", "-accel", "tcg,tb-size=64", "-m", "1280"])

    def test_accel_among_machine_options(self):
        for given, kept in (("accel=tcg,graphics=off", "graphics=off"),
                            ("q35,accel=tcg", "q35"),
                            ("q35,accel=tcg,graphics=off", "q35,graphics=off")):
            with self.subTest(given=given):
                self.assertEqual(self.run_wrapper(["-machine", given, "-cpu", "max"]),
                                 ["-machine", kept, "-accel", "tcg,tb-size=64", "-cpu", "max"])

    def test_other_arguments_untouched(self):
        # libguestfs's own queries of qemu, KVM, and awkward arguments pass
        # through as they are
        for args in (["-help"], ["-machine", "accel=kvm:tcg", "-qmp", "stdio"],
                     ["-machine", "accel=tcgx"], ["a b", "", "*", "-machine"], []):
            with self.subTest(args=args):
                self.assertEqual(self.run_wrapper(args), args)

    def test_size_from_environment(self):
        self.assertEqual(self.run_wrapper(["-machine", "accel=tcg"], mib=32),
                         ["-accel", "tcg,tb-size=32"])

    def test_needs_the_real_qemu(self):
        env = dict(os.environ)
        env.pop("LIFTCHECK_QEMU", None)
        r = subprocess.run(["sh", SCRIPT, "-help"], env=env, capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("LIFTCHECK_QEMU", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
