"""Smoke run of the worker profiler (benchmarks/profile_worker.py): a few phones, every section of its report.

Asserts what it counts (a record per forked worker of every task of the drift check and of the floor, the
profiles merged for the two module tasks only) and never a time: this machine's speed is not the code's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PHONES = 3


@pytest.mark.slow
def test_profile_worker_smoke(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "profile_worker.py"), "--phones", str(PHONES),
                          "--forks", "5", "--top", "5", "--results-dir", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    report = (tmp_path / "worker-profile.md").read_text()
    drift, floor = report.split("## floor:")[0], report.split("## floor:")[1].split("## Own CPU")[0]
    # One row per task, with a worker per phone for the per-host ones: the role's one module task among them.
    assert "| grandstream.phone.gs_phone | grandstream.phone.phone : Phonebook, P-values and passwords | %d |" % (
        PHONES) in drift
    assert "| ansible.builtin.set_fact | No-op 0 | %d |" % PHONES in floor
    # The profiles of exactly that task's workers are merged, their own time split by area.
    assert "## Own CPU time of %d profiled module-task workers, by area" % PHONES in report
    assert "| grandstream.phone (our code) |" in report
    assert "## cProfile of %d module-task workers" % PHONES in report
    assert "/tmp/" not in report  # the merged profiles list no file names
