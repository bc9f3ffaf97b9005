"""Debian's Chromium for the browser tests: installed with apt-get when missing, started headless and isolated.

The machine's rules for Chromium: --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
--disable-background-networking --disable-component-update --disable-sync and a new, empty --user-data-dir.
A test that needs it fails when it cannot be installed; it is skipped, saying why, only where apt-get is missing.
"""

import os
import shutil
import subprocess
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
APT_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive")


def ensure_chromium():
    """The path of chromium, installing the distribution's package when it is missing."""
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.skip("chromium is not installed (%s) and apt-get is unavailable to install the distribution's "
                    "package: the HTML drift report was not opened in a browser" % CHROMIUM)
    steps = [[apt, "update", "-q"], [apt, "install", "-y", "-q", "--no-install-recommends", "chromium"]]
    if os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if sudo is None:
            pytest.fail("chromium is missing and apt-get needs root: run `apt-get install chromium` as root")
        steps = [[sudo, "-n"] + step for step in steps]
    for step in steps:
        done = subprocess.run(step, env=APT_ENV, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            pytest.fail("could not install chromium (%s): %s" % (" ".join(step), (done.stderr or done.stdout)[-2000:]))
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail("apt-get installed the chromium package but %s is missing" % CHROMIUM)
    return CHROMIUM


def dump_dom(path, timeout=120):
    """(the DOM Chromium built from the local file ``path``, Chromium's log) in a fresh, empty profile."""
    binary = ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [binary] + list(FLAGS) + ["--user-data-dir=%s" % profile, "--enable-logging=stderr", "--v=0",
                                            "--dump-dom", "file://%s" % os.path.abspath(path)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, "chromium failed (%d): %s" % (done.returncode, done.stderr[-3000:])
    return done.stdout, done.stderr
