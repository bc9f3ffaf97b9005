"""Smoke run of the fleet benchmark (benchmarks/fleet.py): a handful of phones, one repetition, no curve.

Asserts what the benchmark counts (requests and logins per phone, from latest.json) and that every
section of the report is there. Never asserts on time: this machine's speed is not the code's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import desired_state, raw_client
from benchmarks.fleet import RESOURCES_READ, FleetBench
from tests.helpers.emulator_proc import EmulatorProcess

ROOT = Path(__file__).resolve().parents[2]
SMOKE_PHONES = 8
SECTIONS = ("machine", "config", "provision", "contestants", "emulator", "targets", "overall_seconds")
REPORT_HEADINGS = ("# Fleet benchmark: latest results", "## Targets", "## Requests per phone by endpoint",
                   "## Memory", "## Where A spends its time")
TARGET_NAMES = ("B/A", "A/C", "logins per phone per play, A", "logins per phone per play, D",
                "requests per unchanged phone, A", "D on top of A, per phone", "emulator peak RSS",
                "A controller CPU per phone", "A CPU / N CPU per host-task", "F/C")


def per_phone(results, contestant):
    return results["contestants"][contestant]["runs"][0]["per_phone"]


@pytest.mark.slow
def test_fleet_benchmark_smoke(tmp_path):
    results_dir = tmp_path / "results"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "fleet.py"), "--phones", str(SMOKE_PHONES),
                          "--reps", "1", "--forks", "10", "--results-dir", str(results_dir)],
                         cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    results = json.loads((results_dir / "latest.json").read_text())
    report = (results_dir / "latest.md").read_text()

    assert all(section in results for section in SECTIONS)
    assert set(results["contestants"]) == set("ABCDFN")
    for contestant in results["contestants"].values():
        assert len(contestant["runs"]) == 1 and contestant["runs"][0]["phones"] == SMOKE_PHONES
        assert {"median", "min", "max"} <= set(contestant)
    assert [target["name"].split(" (")[0].split(" at ")[0] for target in results["targets"]] == list(TARGET_NAMES)
    assert all(heading in report for heading in REPORT_HEADINGS)
    assert results["machine"]["cores"] >= 1 and results["machine"]["ansible-core"]

    ours, apply_run = per_phone(results, "A"), per_phone(results, "D")
    # A: one login per phone per play, one read of the P-values, nothing written.
    assert ours["logins"] == 1 and ours["by_endpoint"]["dologin"] == 1
    assert ours["by_endpoint"]["api-values.get"] == 1
    assert ours["writes"] == 0 and ours["posts"] == 1  # the only POST is the login
    # the dialect probe (unauthenticated, no login), login, values, contacts + phonebook XML (which lists the
    # groups): 1 probe + 1 login + 1 read per resource
    assert ours["requests"] == 5 and "api-get_groups" not in ours["by_endpoint"]
    assert ours["by_endpoint"]["model.define.js"] == 1
    # D: exactly one values POST and one read-back more than A, still one login.
    assert apply_run["logins"] == 1
    assert apply_run["by_endpoint"]["api-values.post"] == 1
    assert apply_run["by_endpoint"]["api-values.get"] == ours["by_endpoint"]["api-values.get"] + 1
    assert apply_run["requests"] == ours["requests"] + 2
    # The baselines make the minimal requests: 1 login + 1 read per resource, nothing written; C, the lower bound
    # F and A are compared with, also the one dialect probe they send (like for like).
    for baseline, probes in (("B", 0), ("C", 1)):
        counts = per_phone(results, baseline)
        assert counts["requests"] == probes + 1 + len(RESOURCES_READ)  # (probe,) login + values, groups, contacts
        assert counts["logins"] == 1 and counts["writes"] == 0
        assert counts["by_endpoint"].get("model.define.js", 0) == probes
    # F, the fleet path: the same requests as A in one task, one login per phone, nothing written.
    fleet = per_phone(results, "F")
    assert fleet["logins"] == 1 and fleet["writes"] == 0 and fleet["posts"] == 1
    assert fleet["by_endpoint"] == ours["by_endpoint"]
    assert per_phone(results, "N")["requests"] == 0  # the no-op floor talks to no phone
    assert "## The fleet path (F) and Ansible's no-op floor (N)" in report
    assert results["slicing"]["rows"] and set(results["slicing"]["models"]) == {"A", "F", "C"}
    measured = {target["name"].split(" (")[0]: target for target in results["targets"]}
    assert measured["logins per phone per play, A"]["met"] and measured["logins per phone per play, D"]["met"]
    assert measured["D on top of A, per phone"]["met"]


@pytest.mark.slow
def test_the_baselines_see_and_fix_real_drift(tmp_path):
    """B and C are not fast because they skip work: both notice a drifted value, B writes it back."""
    with EmulatorProcess(count=3, protocol="http") as emulator:
        bench = FleetBench(emulator, str(tmp_path), forks=5, playbook_timeout=300, log=lambda text: None)
        bench.provision(3)
        emulator.set_pvalues(1, {"P30": "ntp.rogue.example"})
        urls = ["http://127.0.0.1:%d/cgi-bin" % port for port in emulator.ports]
        outcomes = raw_client.check_fleet(urls, desired_state.phone_expectations, desired_state.ADMIN_PASSWORD)[1]
        assert [outcome.values for outcome in outcomes] == [{}, {"P30": "ntp.rogue.example"}, {}]

        fixed = bench.run_playbook("B fixes", str(ROOT / "benchmarks" / "baseline_uri.yml"), bench.uri_inventory(3), 3)
        assert fixed.counters["by_endpoint"].get("api-values.post") == 1
        assert emulator.state(1)["pvalues"]["P30"] == desired_state.phone_expectations(1)["pvalues"]["P30"]
        outcomes = raw_client.check_fleet(urls, desired_state.phone_expectations, desired_state.ADMIN_PASSWORD)[1]
        assert not any(outcome.drifted for outcome in outcomes)
