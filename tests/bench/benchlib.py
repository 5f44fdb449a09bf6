# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the benchmarks that boot guests share (console-fps, create): a qemu:///session
# libvirtd of their own in a temp dir with its own XDG dirs, as root run as the test user
# greenhouse-e2e (like tests/e2e/run-e2e), one Xvfb and one D-Bus session for the measuring
# stage, and a cleanup that leaves no guest, daemon or client behind, also on Ctrl-C.
#
# A script runs in two stages: the outer one (as the caller) prepares an Isolated run and
# starts the script again, copied into it, with --inner STATE; the inner one measures and
# writes results.json next to STATE. This module is copied beside the script, so the copy
# imports it as the original does.
#
# Debian's python3 and its standard library only.
#
# Copyright 2026 The Greenhouse authors

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
GUESTS_DIR = os.path.join(REPO_DIR, "tests", "e2e", "guests")
TEST_USER = "greenhouse-e2e"
SCREEN = "1280x800x24"
PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
# What every run has; a script makes more with Isolated.path().
DIRS = ("runtime", "config", "data", "cache", "home", "bench", "config/libvirt",
        "cache/libvirt")


def make_log(program):
    def log(msg):
        print("%s: %s" % (program, msg), file=sys.stderr, flush=True)
    return log


def read_pidfile(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or 0) or None
    except (OSError, ValueError):
        return None


def missing_tools(programs, paths=()):
    """Which of PROGRAMS are not on the PATH (sbin included) and which of PATHS do not
    exist."""
    search = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    missing = [p for p in programs if shutil.which(p, path=search) is None]
    return missing + [p for p in paths if not os.path.exists(p)]


def ensure_test_user(log):
    try:
        return pwd.getpwnam(TEST_USER)
    except KeyError:
        log("creating the system user %s" % TEST_USER)
        subprocess.run(["useradd", "--system", "--create-home", "--shell", "/bin/bash",
                        TEST_USER], check=True)
        return pwd.getpwnam(TEST_USER)


def passthrough_env():
    """What the clients may inherit from the caller: renderer and driver knobs, debugging."""
    keep = {}
    for name, value in os.environ.items():
        if name.startswith(("GSK_", "GDK_", "GTK_", "LIBGL_", "MESA_", "GALLIUM_", "SPICE_",
                            "G_MESSAGES_DEBUG", "LP_", "NO_AT_BRIDGE")):
            keep[name] = value
    keep.pop("GDK_BACKEND", None)
    return keep


def stop_session(tmp, log):
    """Kills what the run left behind: QEMU first (a session daemon that goes away leaves its
    guests running), then the daemons and every client, found by their pid files and by their
    XDG_RUNTIME_DIR, as tests/e2e/run-e2e does."""
    runtime = os.path.join(tmp, "runtime")
    marker = ("XDG_RUNTIME_DIR=%s" % runtime).encode()
    pids = set()
    for directory in (os.path.join(runtime, "libvirt", "qemu", "run"),
                      os.path.join(runtime, "libvirt")):
        if os.path.isdir(directory):
            for name in os.listdir(directory):
                if name.endswith(".pid"):
                    pid = read_pidfile(os.path.join(directory, name))
                    if pid and os.path.isdir("/proc/%d" % pid):
                        pids.add(pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as f:
                if marker in f.read().split(b"\0"):
                    pids.add(int(entry))
        except OSError:
            continue
    if not pids:
        return
    log("stopping what the run left: %s" % " ".join(str(p) for p in sorted(pids)))
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(os.path.isdir("/proc/%d" % p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        if os.path.isdir("/proc/%d" % pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


class Isolated:
    """The outer stage's temp dir, as a context manager. Entering it makes the dir and turns
    SIGTERM, SIGHUP and SIGINT into KeyboardInterrupt; leaving it, however, stops everything
    the run started and removes the dir (unless keep)."""

    def __init__(self, program, keep=False):
        self.program = program
        self.keep = keep
        self.log = make_log(program)
        self.user = ensure_test_user(self.log) if os.geteuid() == 0 else None
        self.tmp = None
        self.inner_proc = None

    def __enter__(self):
        def on_signal(signum, _frame):
            raise KeyboardInterrupt

        # Also SIGINT: a shell starts a background job with it ignored.
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, on_signal)
        self.tmp = tempfile.mkdtemp(prefix="greenhouse-bench.", dir="/tmp")
        for d in DIRS:
            self.path(d)
        # The session daemon logs its warnings and errors where --keep keeps them.
        with open(self.path("config", "libvirt", "libvirtd.conf", directory=False), "w") as f:
            f.write('log_outputs="3:file:%s/cache/libvirt/libvirtd.log"\n' % self.tmp)
        return self

    def __exit__(self, *exc):
        # A second Ctrl-C must not leave the guest and the daemons behind.
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)
        proc = self.inner_proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
        stop_session(self.tmp, self.log)
        if self.keep:
            self.log("kept %s" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def path(self, *parts, directory=True):
        """A path in the temp dir; made (mode 0700) unless it names a file."""
        path = os.path.join(self.tmp, *parts)
        if directory:
            os.makedirs(path, mode=0o700, exist_ok=True)
        return path

    def copy(self, source, *dest):
        """Copies SOURCE into the temp dir: the test user may not be able to read it where it
        is (CI clones under /root). Returns the copy's path."""
        return shutil.copy2(source, self.path(*dest))

    def run_inner(self, script, state, passthrough=()):
        """Copies SCRIPT and this module into bench/, writes STATE to state.json and runs
        `SCRIPT --inner STATE_JSON` under its own Xvfb and D-Bus session, as the test user
        when root, with the run's XDG dirs. Returns what it wrote to results.json, or None."""
        bench = self.path("bench")
        inner_script = shutil.copy2(script, bench)
        shutil.copy2(os.path.realpath(__file__), bench)
        state_path = os.path.join(self.tmp, "state.json")
        with open(state_path, "w") as f:
            json.dump(dict(state, tmp=self.tmp, bench=bench), f)
        if self.user is not None:
            for root, dirs, files in os.walk(self.tmp):
                for name in dirs + files + ["."]:
                    os.lchown(os.path.join(root, name), self.user.pw_uid, self.user.pw_gid)
        os.chmod(self.tmp, 0o700)

        env = {"PATH": PATH,
               "HOME": self.path("home"),
               "TMPDIR": self.tmp,
               "XDG_RUNTIME_DIR": self.path("runtime"),
               "XDG_CONFIG_HOME": self.path("config"),
               "XDG_DATA_HOME": self.path("data"),
               "XDG_CACHE_HOME": self.path("cache"),
               "GSETTINGS_BACKEND": "memory",
               "GDK_BACKEND": "x11",
               "LANG": "C.UTF-8"}
        env.update(passthrough_env())
        env.update({k: os.environ[k] for k in passthrough if k in os.environ})
        argv = ["xvfb-run", "-a", "-s", "-screen 0 %s" % SCREEN,
                "dbus-run-session", "--", sys.executable, inner_script, "--inner", state_path]
        extra = {}
        if self.user is not None:
            extra = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
            self.log("isolated XDG dirs in %s, running as %s" % (self.tmp, TEST_USER))
        else:
            self.log("isolated XDG dirs in %s" % self.tmp)
        self.inner_proc = subprocess.Popen(argv, env=env, cwd=self.tmp, start_new_session=True,
                                           **extra)
        self.inner_proc.wait()

        results_path = os.path.join(self.tmp, "results.json")
        if not os.path.exists(results_path):
            self.log("the measuring stage ended with status %d and no results"
                     % self.inner_proc.returncode)
            return None
        with open(results_path) as f:
            return json.load(f)


def write_results(state, results):
    """The inner stage's last word: what run_inner() returns."""
    with open(os.path.join(state["tmp"], "results.json"), "w") as f:
        json.dump(results, f, indent=2)


def read_state(state_path):
    with open(state_path) as f:
        return json.load(f)
