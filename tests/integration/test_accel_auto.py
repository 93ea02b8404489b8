"""--accel auto without LIBGUESTFS_BACKEND_SETTINGS: KVM first, TCG on failure,
and the report says which accelerator ran, why it fell back, and the size of
the translation cache it gave TCG."""

import os

import lc


class TestAccelAuto(lc.ReportTest):
    @classmethod
    def setUpClass(cls):
        cls.disk = lc.fixture("two-disk-0.img")
        cls.runs = {"auto": lc.Run(["--accel", "auto", cls.disk], inputs=[cls.disk],
                                   env={"LIBGUESTFS_BACKEND_SETTINGS": None})}

    def test_launch(self):
        run = self.runs["auto"]
        rep = self.get_report(run)
        lc.validate(rep)
        launch = rep["launch"]
        self.assertIn(launch["accelerator"], ("kvm", "tcg"))
        if launch["accelerator"] == "kvm":
            self.assertIsNone(launch["fallback_reason"])
            self.assertIsNone(launch["tcg_cache_mib"])
        else:
            # TCG under --accel auto is always a fallback, and says why.
            self.assertIsInstance(launch["fallback_reason"], str)
            self.assertTrue(launch["fallback_reason"].strip())
            # qemu ran through liftcheck-qemu-tcg (found in the build tree)
            self.assertEqual(launch["tcg_cache_mib"], 64)
        self.check_os(rep, distro="debian", hostname="two-disk")
        self.check_untouched(run)


if __name__ == "__main__":
    lc.main()
