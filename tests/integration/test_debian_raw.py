"""Raw copy of the Debian 12 sample: same facts, format raw."""

import lc
from test_debian_qcow2 import DebianSample


class TestDebianRaw(DebianSample, lc.ReportTest):
    FORMAT = "raw"

    @classmethod
    def image_path(cls):
        return lc.fixture("debian12-sep-boot.raw")


if __name__ == "__main__":
    lc.main()
