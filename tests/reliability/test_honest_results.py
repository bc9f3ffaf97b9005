"""Honest results: a secret the phone dropped is never reported applied, a reboot that did not happen is
never forgotten. Real ``ansible-playbook`` runs of the role (playbooks/provision.yml, playbooks/drift.yml
with the drift_report callback) against the emulator; the emulator's counters (writes, reboots) and
state (P-values, ``pending_reboot``) prove what really happened on each phone, on both firmware dialects.
"""

import json
import os

from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.role_results import ROLE
from tests.reliability.support import (PLAYBOOKS, PVALUES, SEED, SIP_PASSWORD, both_dialects,
                                       desired_state_inventory,
                                       host_of, label_of, provision_playbook, run, task_result)

FLEET = 4  # one of each model: GXV3370, GXV3380 (show whether a secret is set), GXV3350, WP820 (never)
SHOWS_SECRETS, HIDES_SECRETS = (0, 1), (2, 3)
SIP_PASSWORD_LABEL = "account1.password (P34)"
TRANSPORT_LABEL = "account1.transport (P130)"
REBOOT_HANDLER = "%s : Reboot phone" % ROLE
DRIFT_CALLBACKS = "record_results,grandstream.phone.drift_report"

dialect = both_dialects()
phones, factory_phones = emulator_fixtures(count=FLEET, extra_args=["--seed", str(SEED), "--reboot-seconds", "1"])


def drift_playbook():
    with open(os.path.join(PLAYBOOKS, "drift.yml"), encoding="utf-8") as handle:
        return handle.read()


def drift_check(tmp_path, inventory, name):
    """playbooks/drift.yml with the drift_report callback: (the run, the report's phones from drift.json)."""
    report_dir = tmp_path / ("report-" + name)
    checked = run(tmp_path, drift_playbook(), inventory, name=name,
                  env={"ANSIBLE_CALLBACKS_ENABLED": DRIFT_CALLBACKS, "GS_DRIFT_REPORT_DIR": str(report_dir)})
    return checked, json.loads((report_dir / "drift.json").read_text())["phones"]


def markers(tmp_path):
    """The controller's reboot-pending marker files of every run in this test (ansible_run's cache dir)."""
    directory = tmp_path / "sessions" / "reboot-pending"
    return sorted(os.listdir(directory)) if directory.exists() else []


SETTINGS_WRITES = ("api-values.post", "config_update")  # the guide's and the current dialect's settings write


def writes(phones, index):
    by_endpoint = phones.counters(index)["by_endpoint"]
    return sum(by_endpoint.get(endpoint, 0) for endpoint in SETTINGS_WRITES)


# ------------------------------------------------------------------------------------------- dropped secret
def test_a_dropped_secret_is_never_reported_applied_and_the_drift_check_never_says_clean(phones, tmp_path):
    phones.faults(None, {"drop_writes": ["P34"]})
    inventory = desired_state_inventory(phones, FLEET)
    first = run(tmp_path, provision_playbook(), inventory, name="first")
    assert first.rc != 0, first
    for index in range(FLEET):
        assert phones.state(index)["pvalues"]["P34"] == "", "the fault must hold"
        result = task_result(first, host_of(index), "pvalues")
        assert result["changed"] is True  # the write reached the phone
        assert SIP_PASSWORD_LABEL not in result.get("applied", [])
        if index in SHOWS_SECRETS:
            # Set secrets read back as a mask here: empty right after the write is a dropped write.
            assert result["_status"] == "failed" and result["error_kind"] == "not_applied", result
            assert result["not_applied"] == [SIP_PASSWORD_LABEL]
            assert SIP_PASSWORD_LABEL in result["msg"] and label_of(phones, index) in result["msg"]
        else:
            # These phones read every secret back empty: written, reported unverified, with a warning.
            assert result["_status"] == "ok", result
            assert result["unverified"] == [SIP_PASSWORD_LABEL]
            assert any(SIP_PASSWORD_LABEL in warning and "not verified" in warning for warning in result["warnings"])

    # Reruns try again where the phone can show the secret is missing (one more write each), and
    # keep saying "unverified" where it cannot.
    phones.reset_counters()
    second = run(tmp_path, provision_playbook(), inventory, name="second")
    assert second.rc != 0, second
    for index in SHOWS_SECRETS:
        assert writes(phones, index) == 1
        assert task_result(second, host_of(index), "pvalues")["not_applied"] == [SIP_PASSWORD_LABEL]
    for index in HIDES_SECRETS:
        assert writes(phones, index) == 0
        assert task_result(second, host_of(index), "pvalues")["unverified"] == [SIP_PASSWORD_LABEL]

    # The drift check says "clean" for no phone: drifted (the password is missing) or unverified.
    phones.reset_counters()
    unused_run, report = drift_check(tmp_path, inventory, "drift")
    assert {host: phone["status"] for host, phone in report.items()} == {
        host_of(0): "drifted", host_of(1): "drifted", host_of(2): "unverified", host_of(3): "unverified"}
    for index in SHOWS_SECRETS:
        assert [row["item"] for row in report[host_of(index)]["differences"]] == [
            "account1.password (P34)"]
    for index in HIDES_SECRETS:
        assert report[host_of(index)]["unverified"] == [SIP_PASSWORD_LABEL]
    assert phones.counters()["writes"] == 0

    # Without the fault, on_create repairs the phones that show the secret missing; the others need
    # update_secrets=always once (they cannot tell), and still only ever say "unverified".
    phones.faults(None, {})
    third = run(tmp_path, provision_playbook(), inventory, name="third")
    assert third.rc == 0, third
    for index in SHOWS_SECRETS:
        assert phones.state(index)["pvalues"]["P34"] == SIP_PASSWORD
        assert task_result(third, host_of(index), "pvalues")["unverified"] == []
    for index in HIDES_SECRETS:
        assert phones.state(index)["pvalues"]["P34"] == ""
    always = desired_state_inventory(phones, FLEET, extra_vars={"phone_pvalues_update_secrets": "always"})
    repaired = run(tmp_path, provision_playbook(), always, "--limit", "phone2,phone3", name="always")
    assert repaired.rc == 0, repaired
    for index in HIDES_SECRETS:
        assert phones.state(index)["pvalues"]["P34"] == SIP_PASSWORD
        assert task_result(repaired, host_of(index), "pvalues")["unverified"] == [SIP_PASSWORD_LABEL]
    unused_run, report = drift_check(tmp_path, inventory, "drift-after")
    assert {host: phone["status"] for host, phone in report.items()} == {
        host_of(0): "clean", host_of(1): "clean", host_of(2): "unverified", host_of(3): "unverified"}
    assert SIP_PASSWORD not in json.dumps(report) + first.stdout + second.stdout + third.stdout


# ------------------------------------------------------------------------------------------- reboot pending
REBOOT_PVALUES = dict(PVALUES, **{"account1.transport": "tls"})


def reboot_inventory(phones):
    return desired_state_inventory(phones, 3, extra_vars={"phone_pvalues": REBOOT_PVALUES})


def reboots(phones, index):
    return phones.counters(index)["reboots"]


def test_a_reboot_that_failed_or_never_ran_happens_on_the_next_run(phones, tmp_path):
    # phone0: the reboot request is reset once (the phone did not act); phone1: another value is dropped, so the
    # role's task fails, and its rescue still reboots for what applied (the transport); phone2: healthy.
    phones.faults(0, {"fail_next": {"api-sys_operation": ["reset"]}})
    phones.faults(1, {"drop_writes": ["P30"]})
    inventory = reboot_inventory(phones)
    first = run(tmp_path, provision_playbook(), inventory, name="first")
    assert first.rc != 0, first
    assert first.results[host_of(0)][REBOOT_HANDLER][-1]["_status"] == "failed"
    assert first.results[host_of(1)][REBOOT_HANDLER][-1]["_status"] == "ok"
    failed = task_result(first, host_of(1), "pvalues")
    assert failed["_status"] == "failed" and failed["not_applied"] == ["ntp.server (P30)"]
    assert failed["reboot_pending"] is True  # until the handler's reboot, seen through, ended it
    assert [reboots(phones, index) for index in range(3)] == [0, 1, 1]
    assert [phones.state(index)["pending_reboot"] for index in range(3)] == [["P130"], [], []]
    assert len(markers(tmp_path)) == 1  # phone1's and phone2's reboots, seen through, removed their markers

    # The drift check in between: nothing differs on phone0, yet it is not clean but "reboot pending".
    phones.faults(None, {})
    phones.reset_counters()
    checked, report = drift_check(tmp_path, inventory, "drift")
    assert checked.rc == 0, checked
    assert report[host_of(0)]["status"] == "reboot pending"
    assert report[host_of(1)]["status"] == "drifted"  # P30 still differs; its reboot is done
    assert report[host_of(2)]["status"] == "unverified"  # a GXV3350: its SIP password cannot be shown
    pending_rows = {index: [row for row in report[host_of(index)]["differences"] if row["item"] == "reboot pending"]
                    for index in (0, 1)}
    assert len(pending_rows[0]) == 1 and TRANSPORT_LABEL in pending_rows[0][0]["before"], report[host_of(0)]
    assert pending_rows[1] == []
    assert phones.counters()["writes"] == 0 and phones.counters()["reboots"] == 0
    strict = run(tmp_path, drift_playbook(), inventory, "-e", "fail_on_drift=true", name="drift-strict")
    assert strict.result(host_of(0), "Fail on drift")["msg"] == (
        "Phones that differ from their desired state: phone0, phone1")

    # The next provision run reboots phone0 (and only it: phone1's P30 needs none), then nothing is pending anywhere.
    phones.reset_counters()
    second = run(tmp_path, provision_playbook(), inventory, name="second")
    assert second.rc == 0, second
    assert [reboots(phones, index) for index in range(3)] == [1, 0, 0]
    assert task_result(second, host_of(0), "pvalues")["reboot_pending"] is True
    assert task_result(second, host_of(0), "pvalues")["changes"] == {}
    assert [phones.state(index)["pending_reboot"] for index in range(3)] == [[], [], []]
    assert markers(tmp_path) == []

    phones.reset_counters()
    third = run(tmp_path, provision_playbook(), inventory, name="third")
    assert third.rc == 0, third
    for index in range(3):
        assert third.changed_count(host_of(index)) == 0
        assert task_result(third, host_of(index), "pvalues")["reboot_pending"] is False
    assert phones.counters()["writes"] == 0 and phones.counters()["reboots"] == 0


def test_a_phone_rebooted_by_hand_is_not_rebooted_again(phones, tmp_path):
    phones.faults(0, {"fail_next": {"api-sys_operation": ["reset"]}})
    inventory = desired_state_inventory(phones, 1, extra_vars={"phone_pvalues": REBOOT_PVALUES})
    first = run(tmp_path, provision_playbook(), inventory, name="first")
    assert first.rc != 0 and len(markers(tmp_path)) == 1, first
    # Someone power-cycles the phone (4 s of downtime: its uptime then shows it booted after the write).
    phones.reboot(0, 4)
    phones.wait_until_up(0)
    phones.reset_counters()
    second = run(tmp_path, provision_playbook(), inventory, name="second")
    assert second.rc == 0, second
    result = task_result(second, host_of(0), "pvalues")
    assert result["reboot_pending"] is False and result["changed"] is False
    assert second.changed_count(host_of(0)) == 0
    assert reboots(phones, 0) == 0 and markers(tmp_path) == []
    assert phones.counters(0)["by_endpoint"].get("api-get_time") == 1  # the one question that told
