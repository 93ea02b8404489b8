"""Shared helpers for the liftcheck integration tests.

Every test module runs the liftcheck binary (env LIFTCHECK) once per image in
setUpClass and then asserts the report field by field.  The disk images come
from images/build-fixtures.sh, built once into a cache directory
(${LIFTCHECK_IMAGES:-$HOME/.cache/liftcheck/images}/fixtures) under a lock, so
that test modules running in parallel share one build.
"""

import atexit
import datetime
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
# LIFTCHECK_SCHEMA overrides the schema file (e.g. to try a draft).
SCHEMA_PATH = os.environ.get("LIFTCHECK_SCHEMA") or os.path.join(
    SOURCE_ROOT, "schema", "liftcheck-report.schema.json")
IMAGES_SCRIPTS = os.path.join(SOURCE_ROOT, "images")
CACHE = os.environ.get("LIFTCHECK_IMAGES") or os.path.join(
    os.path.expanduser("~"), ".cache", "liftcheck", "images")
FIXTURES = os.path.join(CACHE, "fixtures")

# Every run is bounded: the tool must never hang on an image.
RUN_TIMEOUT = 300
# util/stop.h: how long a stopped run may take to unwind before it exits.
STOP_GRACE_S = 30

# How a progress line starts (util/progress.c): "liftcheck: [  12.3s] stage";
# a stage's percentage is redrawn in place ("\r  42%").
PROGRESS_LINE = re.compile(r"^liftcheck: \[ *[0-9.]+s\] ")
PERCENT_LINE = re.compile(r"^ *[0-9]{1,3}% *$")


def messages(stderr):
    """The lines of stderr that are not progress lines."""
    return [l for l in stderr.splitlines()
            if l.strip() and not PROGRESS_LINE.match(l) and not PERCENT_LINE.match(l)]


def last_stage(stderr):
    """The last progress line of a run, or None."""
    stages = [l for l in stderr.splitlines() if PROGRESS_LINE.match(l)]
    return stages[-1] if stages else None

# Identifiers fixed by images/build-sample.sh and images/build-fixtures.sh.
SAMPLE_BOOT_UUID = "0b0e1a5e-0000-4000-8000-00000000b007"
SAMPLE_ROOT_UUID = "0b0e1a5e-0000-4000-8000-000000000001"


def fixture_uuid(n):
    return "1f000000-0000-4000-8000-%012d" % n


def liftcheck():
    exe = os.environ.get("LIFTCHECK")
    if not exe:
        raise unittest.SkipTest("LIFTCHECK is not set (run through meson test)")
    if not os.access(exe, os.X_OK):
        raise AssertionError("LIFTCHECK=%s is not an executable" % exe)
    return exe


_fixtures_ready = False


def ensure_fixtures():
    """Builds (or reuses) the sample image and the fixtures; returns FIXTURES."""
    global _fixtures_ready
    if _fixtures_ready:
        return FIXTURES
    os.makedirs(CACHE, exist_ok=True)
    with open(os.path.join(CACHE, ".build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        t0 = time.monotonic()
        r = subprocess.run([os.path.join(IMAGES_SCRIPTS, "build-fixtures.sh"), FIXTURES],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sys.stderr.write(r.stdout)
        if r.returncode != 0:
            raise RuntimeError("images/build-fixtures.sh failed (%d)" % r.returncode)
        sys.stderr.write("fixtures ready in %.1f s\n" % (time.monotonic() - t0))
    _fixtures_ready = True
    return FIXTURES


def fixture(name):
    return os.path.join(ensure_fixtures(), name)


# images/build-legacy.sh: the image, the tree it was made from and the
# expectations computed from that tree.
LEGACY_IMAGE = os.path.join(CACHE, "debian12-legacy.qcow2")
LEGACY_TREE = os.path.join(CACHE, "legacy-tree")
LEGACY_EXPECT = os.path.join(CACHE, "legacy-expect")


def build_with(script, outdir, what):
    """Runs images/SCRIPT OUTDIR, which builds or reuses its images under its
    own lock, so parallel callers share one build."""
    os.makedirs(CACHE, exist_ok=True)
    t0 = time.monotonic()
    r = subprocess.run([os.path.join(IMAGES_SCRIPTS, script), outdir],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stderr.write(r.stdout)
    if r.returncode != 0:
        raise RuntimeError("images/%s failed (%d)" % (script, r.returncode))
    sys.stderr.write("%s ready in %.1f s\n" % (what, time.monotonic() - t0))


def ensure_legacy():
    """Builds (or reuses) the legacy image; returns its path."""
    build_with("build-legacy.sh", CACHE, "legacy image")
    return LEGACY_IMAGE


STANDIN_QEMU = os.path.join(HERE, "standin-qemu.sh")


def standin_env(mode):
    """The environment that makes libguestfs launch the stand-in qemu
    (standin-qemu.sh) in `mode`, in front of the real one."""
    real = shutil.which("qemu-system-x86_64")
    if not real:
        raise unittest.SkipTest("no qemu-system-x86_64 to stand in front of")
    return {"LIBGUESTFS_HV": STANDIN_QEMU, "STANDIN_QEMU": real, "STANDIN_MODE": mode}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 22)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def sha256_tree(root):
    """Hash of a directory tree: names, modes, link targets and file contents."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for n in sorted(dirs + files):
            p = os.path.join(d, n)
            st = os.lstat(p)
            h.update(("%s %o\n" % (os.path.relpath(p, root), st.st_mode)).encode())
            if os.path.islink(p):
                h.update(os.readlink(p).encode())
            elif os.path.isfile(p):
                h.update(sha256_file(p).encode())
    return h.hexdigest()


def fingerprint(path):
    if os.path.isdir(path):
        return sha256_tree(path)
    if os.path.exists(path):
        return sha256_file(path)
    return None


def virtual_size(path, fmt=None):
    """What qemu-img says, read with the format liftcheck used (a raw disk
    may start with another format's header)."""
    r = subprocess.run(["qemu-img", "info", "--output=json", "-U"] +
                       (["-f", fmt] if fmt else []) + [path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    return json.loads(r.stdout)["virtual-size"]


_schema = None


def schema():
    global _schema
    if _schema is None:
        if not os.path.exists(SCHEMA_PATH):
            raise AssertionError("report schema %s is missing" % SCHEMA_PATH)
        with open(SCHEMA_PATH) as f:
            _schema = json.load(f)
    return _schema


def validate(report):
    import jsonschema
    s = schema()
    cls = jsonschema.validators.validator_for(s, default=jsonschema.Draft202012Validator)
    cls.check_schema(s)
    errors = sorted(cls(s).iter_errors(report), key=lambda e: list(e.path))
    if errors:
        raise AssertionError("report does not match %s:\n%s" % (
            os.path.relpath(SCHEMA_PATH, SOURCE_ROOT),
            "\n".join("  at /%s: %s" % ("/".join(map(str, e.path)), e.message)
                      for e in errors[:20])))


# images/build-volumes.sh: a root inside LUKS and its passphrases, /boot on
# md named /dev/md0 by the guest.
VOLUMES_DIR = os.path.join(CACHE, "volumes")


def ensure_volumes():
    """Builds (or reuses) the LUKS and md fixtures; returns their directory."""
    build_with("build-volumes.sh", VOLUMES_DIR, "volume fixtures")
    return VOLUMES_DIR


# images/build-bootchains.sh: an EL6 server on a Smart Array controller and
# a UEFI-only GPT server, and what their kernel was built from.
BOOTCHAINS_DIR = os.path.join(CACHE, "bootchains")


def ensure_bootchains():
    """Builds (or reuses) the boot chain images; returns (their directory,
    the expect file as a dict: kernel, nvme, ena)."""
    build_with("build-bootchains.sh", BOOTCHAINS_DIR, "boot chain images")
    with open(os.path.join(BOOTCHAINS_DIR, "expect")) as f:
        expect = dict(l.rstrip("\n").split("=", 1) for l in f if "=" in l)
    return BOOTCHAINS_DIR, expect


# Reports of earlier runs, for tests that compare what liftcheck said about
# an image with another tool (test_inspect_diff.py) without running it again:
# LIFTCHECK_REPORT_CACHE (set by meson to a directory of the build tree) holds
# one file per run, keyed by the binary, the arguments that decide the analysis
# and each input image's size and mtime, so a rebuilt binary or image misses.
REPORT_CACHE = os.environ.get("LIFTCHECK_REPORT_CACHE")
# Options that change only how the report is written or how long a stalled
# run waits, not what the report says.
OUTPUT_ONLY = {"--format": 1, "--output-dir": 1, "-o": 1, "--progress": 0,
               "--no-progress": 0, "-q": 0, "--stall-timeout": 1}
# The report sections the cache keeps (a whole report can be megabytes).
CACHED_SECTIONS = ("os", "volumes", "fstab", "verdict")


def module_names(paths):
    """Kernel module names of file paths: the base name without .ko and its
    compression, '-' as '_'."""
    names = set()
    for p in paths:
        m = re.match(r"^(.*)\.ko(\.(xz|zst|gz))?$", os.path.basename(p.strip()))
        if m:
            names.add(m.group(1).replace("-", "_"))
    return names


def image_initramfs(disk, mounts, initrd, modules_dir):
    """(module names in the initramfs, module names in modules.builtin) of a
    disk image, read with guestfish read-only (mounts: its -m arguments,
    DEVICE or DEVICE:MOUNTPOINT) and listed by cpio: an account of the image
    that owes nothing to liftcheck.  The initramfs is one archive,
    compressed or not."""
    tmp = tempfile.mkdtemp(prefix="liftcheck-initrd-")
    try:
        img, builtin = os.path.join(tmp, "initrd"), os.path.join(tmp, "builtin")
        subprocess.run(["guestfish", "--ro", "--format=raw", "-a", disk] +
                       [a for m in mounts for a in ("-m", m)] +
                       ["download", initrd, img, ":",
                        "download", modules_dir + "/modules.builtin", builtin],
                       check=True, stdout=subprocess.DEVNULL)
        with open(img, "rb") as f:
            magic = f.read(6)
        unpack = {b"\x28\xb5\x2f\xfd": ["zstd", "-dc"], b"\x1f\x8b": ["gzip", "-dc"],
                  b"\xfd7zXZ": ["xz", "-dc"]}
        cmd = next((c for m, c in unpack.items() if magic.startswith(m)), ["cat"])
        with open(img, "rb") as f:
            raw = subprocess.run(cmd, stdin=f, stdout=subprocess.PIPE, check=True).stdout
        listing = subprocess.run(["cpio", "-t", "--quiet"], input=raw, stdout=subprocess.PIPE,
                                 check=True).stdout.decode("utf-8", "replace").splitlines()
        with open(builtin) as f:
            return module_names(listing), module_names(f)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report_key(args, stdin=None):
    """The cache key of a run with these arguments, or None when there is
    no cache or no binary."""
    exe = os.environ.get("LIFTCHECK")
    if not REPORT_CACHE or not exe or not os.path.exists(exe):
        return None
    kept, skip = [], 0
    for a in args:
        if skip:
            skip -= 1
        elif a in OUTPUT_ONLY:
            skip = OUTPUT_ONLY[a]
        else:
            kept.append(a)
    files = []
    for a in kept:
        if os.path.isfile(a):
            st = os.stat(a)
            files.append([os.path.realpath(a), st.st_size, st.st_mtime_ns])
    st = os.stat(exe)
    what = {"exe": [os.path.realpath(exe), st.st_size, st.st_mtime_ns], "args": kept,
            "files": files, "stdin": stdin,
            "backend": os.environ.get("LIBGUESTFS_BACKEND_SETTINGS")}
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


def cache_report(key, rc, report):
    if not key or report is None:
        return
    os.makedirs(REPORT_CACHE, exist_ok=True)
    # entries older than the binary can never match again
    built = os.stat(os.environ["LIFTCHECK"]).st_mtime
    for n in os.listdir(REPORT_CACHE):
        p = os.path.join(REPORT_CACHE, n)
        try:
            if os.stat(p).st_mtime < built:
                os.unlink(p)
        except OSError:
            pass
    entry = {"rc": rc, "report": {k: report.get(k) for k in CACHED_SECTIONS}}
    tmp = os.path.join(REPORT_CACHE, ".%s.%d" % (key, os.getpid()))
    with open(tmp, "w") as f:
        json.dump(entry, f)
    os.replace(tmp, os.path.join(REPORT_CACHE, key + ".json"))


def cached_report(args, stdin=None):
    """(exit code, report sections) of an earlier run with these arguments
    on the same binary and images, or None."""
    key = report_key(args, stdin)
    try:
        with open(os.path.join(REPORT_CACHE, key + ".json")) as f:
            entry = json.load(f)
        return entry["rc"], entry["report"]
    except (TypeError, OSError, ValueError, KeyError):
        return None


class Run:
    """One liftcheck run: exit code, output, parsed report, image hashes."""

    def __init__(self, args, inputs=(), env=None, as_nobody=False, report=True, cwd=None,
                 timeout=None, stdin=None):
        self.tmp = tempfile.mkdtemp(prefix="liftcheck-it-")
        atexit.register(shutil.rmtree, self.tmp, True)
        os.chmod(self.tmp, 0o755)
        self.inputs = list(inputs)
        self.report_path = os.path.join(self.tmp, "report.json") if report else None
        cmd = []
        if as_nobody:
            cmd += ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            os.chmod(self.tmp, 0o777)
        # With --progress, a run that hangs leaves the last stage it reached
        # in its stderr (kept below); a run's own --no-progress or -q wins.
        cmd += ["timeout", "--kill-after=10", str(timeout or RUN_TIMEOUT), liftcheck(),
                "--progress"]
        if report:
            cmd += ["-o", self.report_path]
        cmd += list(args)
        self.cmd = cmd
        e = dict(os.environ)
        e.setdefault("LIBGUESTFS_BACKEND_SETTINGS", "force_tcg")
        if as_nobody:
            e.update(HOME=self.tmp, TMPDIR=self.tmp, LIBGUESTFS_CACHEDIR=self.tmp)
        if env:
            for k, v in env.items():
                if v is None:
                    e.pop(k, None)
                else:
                    e[k] = v
        self.before = {p: fingerprint(p) for p in self.inputs}
        # Only a run in the tests' usual environment speaks for the image.
        plain = not env and not as_nobody and cwd is None
        key = report_key(args, stdin) if plain else None
        t0 = time.monotonic()
        self.started = datetime.datetime.now(datetime.timezone.utc)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, cwd=cwd,
                           input=stdin.encode() if stdin is not None else None)
        self.elapsed_ms = (time.monotonic() - t0) * 1000
        self.rc = p.returncode
        self.stdout = p.stdout.decode("utf-8", "replace")
        self.stderr = p.stderr.decode("utf-8", "replace")
        self.after = {p: fingerprint(p) for p in self.inputs}
        self.report = None
        self.report_error = None
        if report and os.path.exists(self.report_path) and os.path.getsize(self.report_path):
            try:
                with open(self.report_path) as f:
                    self.report = json.load(f)
            except ValueError as ex:
                self.report_error = str(ex)
        if self.rc in (0, 1) and self.after == self.before:
            cache_report(key, self.rc, self.report)
        sys.stderr.write("$ %s\n  -> exit %d in %.1f s\n" % (
            " ".join(cmd), self.rc, self.elapsed_ms / 1000))
        if self.stderr:
            lines = self.stderr.splitlines()
            shown = lines if len(lines) <= 60 else lines[:20] + ["..."] + lines[-40:]
            sys.stderr.write("".join("  stderr: %s\n" % l for l in shown))

    def describe(self):
        """The command, its exit and the end of its stderr (where a run
        killed by the timeout shows the last stage it reached)."""
        tail = self.stderr.splitlines()[-60:]
        why = ""
        if self.rc in (124, 137):
            why = " (killed by timeout %s s; last stage: %s)" % (
                self.cmd[self.cmd.index("timeout") + 2], last_stage(self.stderr))
        return "command: %s\nexit: %d%s\nstderr (last %d lines):\n%s" % (
            " ".join(self.cmd), self.rc, why, len(tail), "\n".join(tail))

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    """unittest.main with meson's exit codes: 1 when a check failed, 77 when
    every check ran passed but some could not run (each named on a line
    "skipped: ..."), so that a skipped check shows in the summary instead of
    passing unseen; 0 otherwise."""
    result = unittest.main(verbosity=2, exit=False).result
    for test, why in result.skipped:
        print("skipped: %s: %s" % (test.id(), why))
    if not result.wasSuccessful():
        sys.exit(1)
    sys.exit(77 if result.skipped else 0)


class ReportTest(unittest.TestCase):
    """Assertions every report must satisfy; subclasses add per-image facts."""

    maxDiff = None
    runs = {}

    @classmethod
    def tearDownClass(cls):
        for r in cls.runs.values():
            r.cleanup()

    def get_report(self, run, allowed_exit=(0, 1)):
        self.assertIn(run.rc, allowed_exit, run.describe())
        self.assertIsNone(run.report_error, "report is not JSON: %s" % run.report_error)
        self.assertIsNotNone(run.report, "no report written to %s\n%s" % (run.report_path, run.describe()))
        return run.report

    def report_of(self, run):
        """The parsed report, for field tests (the exit code is checked by check_common)."""
        self.assertIsNone(run.report_error, "report is not JSON: %s" % run.report_error)
        self.assertIsNotNone(run.report, "no report written\n" + run.describe())
        missing = [k for k in ("volumes", "os", "findings", "verdict") if k not in run.report]
        self.assertFalse(missing, "report lacks %s\n%s" % (missing, run.describe()))
        return run.report

    def check_untouched(self, run):
        for p in run.inputs:
            self.assertIsNotNone(run.before[p], "%s does not exist" % p)
            self.assertEqual(run.before[p], run.after[p], "%s was modified by liftcheck" % p)

    def check_common(self, run, disks, accelerator="tcg"):
        """Schema, tool, timing, launch, volumes (order, paths, sizes), verdict
        consistent with the findings and with the exit code."""
        rep = self.get_report(run)
        validate(rep)
        self.assertEqual(rep["tool"]["name"], "liftcheck")
        want_version = os.environ.get("LIFTCHECK_VERSION")
        if want_version:
            self.assertEqual(rep["tool"]["version"], want_version)
        started = datetime.datetime.fromisoformat(rep["started_at"].replace("Z", "+00:00"))
        self.assertIsNotNone(started.tzinfo, "started_at has no time zone: %r" % rep["started_at"])
        self.assertLess(abs((started - run.started).total_seconds()), 60,
                        "started_at %s is not the time of the run" % rep["started_at"])
        self.assertIsInstance(rep["duration_ms"], int)
        self.assertGreaterEqual(rep["duration_ms"], 0)
        self.assertLessEqual(rep["duration_ms"], run.elapsed_ms + 1000,
                             "duration_ms exceeds the wall-clock time of the run")
        self.assertEqual(rep["launch"]["accelerator"], accelerator)

        vols = rep["volumes"]
        self.assertEqual([v["index"] for v in vols], list(range(len(disks))))
        for v, d in zip(vols, disks):
            self.assertEqual(os.path.realpath(v["path"]), os.path.realpath(d))
            if accelerator != "none":
                self.assertEqual(v["virtual_size"], virtual_size(d, v["format"]), d)
            for fs in v["filesystems"]:
                self.assertEqual(fs["volume"], v["index"],
                                 "%s is listed under volume %d" % (fs["device"], v["index"]))

        for f in rep["findings"]:
            self.assertTrue(f["id"])
            if f["volume"] is not None:
                self.assertIn(f["volume"], range(len(disks)), f)
        blockers = sum(1 for f in rep["findings"] if f["severity"] == "blocker")
        warnings = sum(1 for f in rep["findings"] if f["severity"] == "warning")
        self.assertEqual(rep["verdict"]["blockers"], blockers)
        self.assertEqual(rep["verdict"]["warnings"], warnings)
        self.assertEqual(run.rc, 1 if blockers else 0,
                         "exit code must say whether blockers were found\n" + run.describe())
        self.check_untouched(run)
        return rep

    def filesystems(self, rep):
        return [fs for v in rep["volumes"] for fs in v["filesystems"]]

    def fs_by_device(self, rep, device):
        found = [fs for fs in self.filesystems(rep) if fs["device"] == device]
        self.assertEqual(len(found), 1, "%s listed %d times: %s" % (
            device, len(found), json.dumps(self.filesystems(rep), indent=1)))
        return found[0]

    def fs_by_uuid(self, rep, uuid):
        found = [fs for fs in self.filesystems(rep) if fs["uuid"] == uuid]
        self.assertEqual(len(found), 1, "uuid %s listed %d times: %s" % (
            uuid, len(found), json.dumps(self.filesystems(rep), indent=1)))
        return found[0]

    def check_fs(self, fs, **want):
        got = {k: fs.get(k) for k in want}
        self.assertEqual(got, want, "filesystem %s" % fs.get("device"))

    def check_fields(self, obj, **want):
        """The named fields of any report object."""
        self.assertEqual({k: obj.get(k) for k in want}, want)

    def finding_ids(self, rep):
        return [f["id"] for f in rep["findings"]]

    def root_stack(self, rep):
        """(layer, device, level) of each layer under the root filesystem."""
        roots = [fs for fs in self.filesystems(rep) if "stack" in fs]
        self.assertEqual(len(roots), 1, "filesystems with a stack: %s" % roots)
        self.assertEqual(roots[0]["mountpoint"], "/")
        return [(l["layer"], l["device"], l["level"]) for l in roots[0]["stack"]]

    def check_no_kernel_no_root_needs(self, rep):
        """A root without a kernel: nothing to boot it, so no initramfs to judge."""
        self.assertEqual(rep.get("kernels"), [])
        self.assertIsNone(rep["boot"]["root_needs"])
        self.assertNotIn("NITRO-INITRAMFS-ROOT-DRIVER", self.finding_ids(rep))

    def check_os(self, rep, **want):
        self.assertIsNotNone(rep["os"], "no OS found; findings: %s" % self.finding_ids(rep))
        got = {k: rep["os"].get(k) for k in want}
        self.assertEqual(got, want)
        self.assertNotIn("OS-NOT-FOUND", self.finding_ids(rep))


class BootchainTest(ReportTest):
    """One liftcheck run on the image IMAGE of images/build-bootchains.sh,
    shared by every check; expect holds what its kernel was built from."""

    IMAGE = None

    @classmethod
    def setUpClass(cls):
        d, cls.expect = ensure_bootchains()
        cls.kver = cls.expect["kernel"]
        cls.disk = os.path.join(d, cls.IMAGE)
        cls.runs = {"run": Run([cls.disk], inputs=[cls.disk])}
        cls.run_ = cls.runs["run"]

    def setUp(self):
        self.rep = self.report_of(self.run_)

    def findings(self, fid):
        return [f for f in self.rep["findings"] if f["id"] == fid]

    def default_kernel(self):
        ks = [k for k in self.rep["kernels"] if k["default"]]
        self.assertEqual(len(ks), 1, self.rep["kernels"])
        return ks[0]

    def drivers_present(self):
        """The kernel has nvme and ena, built in or as modules."""
        return self.expect["nvme"] in ("m", "y") and self.expect["ena"] in ("m", "y")

    def test_contract(self):
        self.check_common(self.run_, [self.disk])

    def test_image_untouched(self):
        self.check_untouched(self.run_)
