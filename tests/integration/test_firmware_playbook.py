"""playbooks/firmware.yml through ansible-playbook: canary batch, failure threshold, per-site waves, pause."""

import json
import os

import pytest

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import EmulatorProcess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAYBOOK = "- import_playbook: %s\n" % os.path.join(ROOT, "playbooks", "firmware.yml")
SITES = {"phone0": "a", "phone1": "a", "phone2": "a", "phone3": "b"}


@pytest.fixture(scope="module")
def phones():
    args = ["--reboot-seconds", "1", "--models", "GXV3370",
            "--firmware-image", "GXV3370=1.0.11.2@fw.test/GXV3370/1.0.11.2"]
    # Guide dialect only: the rollout's canary, waves and threshold do not depend on the dialect, and its
    # upgrade path is the guide-era GXV3370 images; current firmware's upgrade (version from the login
    # answer) is test_firmware_current.py, and test_mixed_fleet.py upgrades a mixed fleet.
    with EmulatorProcess(count=4, extra_args=args, firmware="guide") as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def clean(phones):
    phones.reset()
    for index in range(4):
        phones.wait_until_up(index)
    phones.reset_counters()


def rollout(phones, tmp_path, **overrides):
    inventory = inventory_for(phones)
    for host, site in SITES.items():
        inventory["all"]["children"]["phones"]["hosts"][host]["site"] = site
    extra = {"firmware_desired": {"GXV3370": "1.0.11.2"},
             "firmware_server": {"path": "fw.test/{model}/{version}"},
             "firmware_serial": [1, "100%"], "firmware_pause_seconds": 1, "firmware_wait_timeout": 30}
    extra.update(overrides)
    extra_path = os.path.join(str(tmp_path), "extra.json")
    with open(extra_path, "w", encoding="utf-8") as handle:
        json.dump(extra, handle)
    return run_playbook(tmp_path, PLAYBOOK, inventory, "-e", "@" + extra_path)


def upgraded_in(run, host):
    """The waves in which gs_firmware ran (not skipped) on ``host``."""
    waves = []
    for task, results in run.results.get(host, {}).items():
        if task.startswith("Upgrade wave"):
            waves += [task for result in results if result["_status"] != "skipped"]
    return waves


def test_the_canary_goes_first_then_at_most_one_phone_per_site_per_wave(phones, tmp_path):
    run = rollout(phones, tmp_path)
    assert run.rc == 0, run
    for index in range(4):
        assert phones.state(index)["firmware"] == "1.0.11.2"
        assert phones.counters(index)["reboots"] == 1
    # Batch 1 is the canary (phone0); in batch 2 site a has two phones to upgrade, site b one.
    assert upgraded_in(run, "phone0") == ["Upgrade wave 0"]
    assert upgraded_in(run, "phone1") == ["Upgrade wave 0"] and upgraded_in(run, "phone3") == ["Upgrade wave 0"]
    assert upgraded_in(run, "phone2") == ["Upgrade wave 1"]
    # The emulator's own clock: site a's second phone went down only after its first was back up.
    reboots = {index: phones.state(index)["last_reboot"] for index in range(4)}
    assert reboots[2]["down_at"] >= reboots[1]["up_at"] >= reboots[0]["up_at"]
    # Paused after the canary batch only, never after the last.
    pauses = [result for results in run.results.values()
              for result in results.get("Pause before the next batch", []) if result["_status"] != "skipped"]
    assert len(pauses) == 1, run


def test_a_failed_canary_stops_the_rollout_before_the_next_batch(phones, tmp_path):
    phones.faults(0, {"upgrade": "old_version"})
    run = rollout(phones, tmp_path)
    assert run.rc != 0
    assert "reports firmware '1.0.3.48'" in run.result("phone0", "Upgrade wave 0")["msg"]
    for index in (1, 2, 3):
        counters = phones.counters(index)
        assert counters["reboots"] == 0 and counters["writes"] == 0 and counters["requests"] == 0
        assert phones.state(index)["firmware"] == "1.0.3.48"


def test_check_mode_reports_compliance_and_touches_nothing(phones, tmp_path):
    run = rollout(phones, tmp_path, firmware_pause_seconds=0)
    assert run.rc == 0
    phones.reset()
    for index in range(4):
        phones.wait_until_up(index)
    phones.reset_counters()
    check = run_playbook(tmp_path, PLAYBOOK, inventory_for(phones), "--check", "-e",
                         "@" + os.path.join(str(tmp_path), "extra.json"), name="check")
    assert check.rc == 0, check
    for index in range(4):
        assert check.result("phone%d" % index, "Firmware compliance of the batch (read only)")["status"] == "behind"
        counters = phones.counters(index)
        assert counters["reboots"] == 0 and counters["writes"] == 0
    loop = check.result("phone0", "Phones per compliance status (before this run's upgrades)")["results"]
    # A skipped loop item says so with "skipped" (ansible-core < 2.21) or only with its skip_reason (2.21).
    ran = [item for item in loop if not (item.get("skipped") or "skip_reason" in item)]
    summary = [item["msg"] for item in ran]
    assert summary == ["behind: phone0, phone1, phone2, phone3"]


def test_a_failure_in_one_wave_stops_the_later_waves_of_the_batch(phones, tmp_path):
    phones.faults(1, {"upgrade": "old_version"})
    run = rollout(phones, tmp_path, firmware_serial=["100%"], firmware_pause_seconds=0)
    assert run.rc != 0
    # One batch: site a's phones are waves 0, 1 and 2, site b's phone wave 0. phone1 failed in wave 1;
    # wave 0 (phone0, phone3) was done by then, and wave 2 (phone2) never started.
    assert "reports firmware '1.0.3.48'" in run.result("phone1", "Upgrade wave 1")["msg"]
    assert phones.state(0)["firmware"] == "1.0.11.2" and phones.state(3)["firmware"] == "1.0.11.2"
    assert phones.counters(2)["reboots"] == 0 and phones.state(2)["firmware"] == "1.0.3.48"
