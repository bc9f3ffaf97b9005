"""gs_password never tries a password by logging in with it: drift checks and wrong inputs cost no attempt.

The emulator counts failed logins per phone and locks a phone after 5; these tests run the module
through ansible-playbook again and again (a nightly drift check, a provision run with a stale
current password) and prove with those counters that no phone is brought closer to a lock, on both firmware
dialects (the current one's challenge login and config_get / config_update included).
"""

import pytest

from tests.helpers.ansible_run import play
from tests.helpers.emulator_proc import emulator_fixtures
from tests.reliability.support import (SEED, both_dialects, desired_state_inventory, host_of, module_task, run,
                                       task_result)

FLEET = 5
RUNS = 6  # one more than the phones' five attempts
USER_TASK = {"role": "user", "current_password": "123", "new_password": "User-Pass-77"}

dialect = both_dialects()
phones, factory_phones = emulator_fixtures(count=FLEET, extra_args=["--seed", str(SEED)])


def password_play(**options):
    return play(module_task("password", "gs_password", options))


def assert_no_attempt_spent(emulator, count=FLEET):
    for index in range(count):
        assert emulator.counters(index)["failed_logins"] == 0, index
        lock = emulator.state(index)["lock"]
        assert lock["locked"] is False and lock["attempts_left"] == 5, (index, lock)


def test_drift_checks_of_a_hand_changed_user_password_cost_no_login(phones, tmp_path):
    inventory = desired_state_inventory(phones, FLEET)
    provision = run(tmp_path, password_play(**USER_TASK), inventory, name="provision")
    assert provision.rc == 0, provision
    for index in range(FLEET):
        phones.set_pvalues(index, {"P196": "Changed-By-Hand-%d" % index})
    phones.reset_counters()
    for number in range(RUNS):
        drift = run(tmp_path, password_play(**USER_TASK), inventory, "--check", "--diff", name="drift%d" % number)
        assert drift.rc == 0, drift
    assert_no_attempt_spent(phones)
    assert phones.counters()["writes"] == 0
    result = task_result(drift, host_of(0), "password")
    # What check mode can know without a login: the record of what this controller set, said to be unverified.
    assert result["changed"] is False and result["verified"] is False
    assert "not verified on the phone" in result["msg"]
    # The provision run finds the hand change (the phone answers "wrong old password", no login) and repairs it.
    repair = run(tmp_path, password_play(current_password="Changed-By-Hand-0", role="user",
                                         new_password="User-Pass-77"), desired_state_inventory(phones, 1))
    assert task_result(repair, host_of(0), "password")["changed"] is True
    assert phones.state(0)["passwords"]["user"] == "User-Pass-77"
    assert phones.counters(0)["failed_logins"] == 0


def test_drift_checks_without_a_record_say_they_cannot_verify(phones, tmp_path):
    inventory = desired_state_inventory(phones, FLEET)
    for number in range(RUNS):
        drift = run(tmp_path, password_play(**USER_TASK), inventory, "--check", name="drift%d" % number)
        assert drift.rc == 0, drift
    assert_no_attempt_spent(phones)
    result = task_result(drift, host_of(0), "password")
    assert result["changed"] is True and result["verified"] is False
    assert "not verified on the phone" in result["msg"]


def test_check_mode_of_the_connection_users_own_password_is_verified_by_its_login(phones, tmp_path):
    inventory = desired_state_inventory(phones, FLEET)
    for number in range(RUNS):
        drift = run(tmp_path, password_play(new_password="New-Admin-Pass-7"), inventory, "--check",
                    name="drift%d" % number)
        assert drift.rc == 0, drift
    assert_no_attempt_spent(phones)
    result = task_result(drift, host_of(0), "password")
    assert result["changed"] is True and result["verified"] is True
    same = run(tmp_path, password_play(new_password="admin"), inventory, "--check", name="same")
    assert task_result(same, host_of(0), "password")["changed"] is False


def test_provision_runs_with_a_wrong_current_password_never_lock(phones, tmp_path):
    inventory = desired_state_inventory(phones, FLEET)
    wrong = {**USER_TASK, "current_password": "Stale-Current-1"}
    for number in range(RUNS):
        provision = run(tmp_path, password_play(**wrong), inventory, name="provision%d" % number)
        assert provision.rc != 0
    assert_no_attempt_spent(phones)
    result = task_result(provision, host_of(0), "password")
    assert result["changed"] is False
    assert "current_password is not the phone's current user password, and new_password is not set" in result["msg"]
    assert phones.state(0)["passwords"]["user"] == "123"


def test_the_phone_already_holding_new_password_with_a_stale_current_one_is_no_change(phones, tmp_path):
    phones.set_pvalues(0, {"P196": "User-Pass-77"})
    wrong = {**USER_TASK, "current_password": "Stale-Current-1"}
    result = task_result(run(tmp_path, password_play(**wrong), desired_state_inventory(phones, 1)), host_of(0),
                         "password")
    assert result["_status"] == "ok" and result["changed"] is False and result["verified"] is True
    assert_no_attempt_spent(phones, 1)


@pytest.mark.parametrize("option, value, kind", [("new_password", ["Fresh-Admin-9x"], "list"),
                                                 ("new_password", {"a": "Fresh-Admin-9x"}, "dict"),
                                                 ("current_password", ["123"], "list")])
def test_a_password_that_is_not_a_string_is_refused_naming_the_option(phones, tmp_path, option, value, kind):
    options = dict(USER_TASK)
    options[option] = value
    playbook_run = run(tmp_path, password_play(**options), desired_state_inventory(phones, 1))
    result = task_result(playbook_run, host_of(0), "password")
    assert result["_status"] == "failed" and result["field"] == option
    assert result["msg"] == "127.0.0.1:%d: %s must be a string, not a %s (quote it in YAML)" % (
        phones.ports[0], option, kind)
    assert phones.counters(0)["requests"] == 0
    assert phones.state(0)["passwords"]["user"] == "123"
    assert "Fresh-Admin-9x" not in playbook_run.stdout + playbook_run.stderr


def test_a_failure_after_the_change_reports_the_change(phones, tmp_path):
    # The phone handles the change, then resets every request (it went away right after).
    phones.faults(0, {"reset_after_writes": 1})
    playbook_run = run(tmp_path, password_play(new_password="New-Admin-Pass-7"), desired_state_inventory(phones, 1))
    result = task_result(playbook_run, host_of(0), "password")
    assert result["_status"] == "failed"
    assert phones.state(0)["passwords"]["admin"] == "New-Admin-Pass-7"
    assert result["changed"] is True and result["applied"] == ["change admin password"]
    assert "the change was applied" in result["msg"]


def test_a_rotation_rerun_connects_with_the_password_this_controller_set(phones, tmp_path):
    rotate = password_play(new_password="New-Admin-Pass-7")  # the inventory still holds the old password
    inventory = desired_state_inventory(phones, FLEET)
    assert run(tmp_path, rotate, inventory, name="rotate").rc == 0
    for index in range(FLEET):
        phones.expire_sessions(index)  # the cached sessions are gone: the rerun has to log in
    phones.reset_counters()
    rerun = run(tmp_path, rotate, inventory, name="rerun")
    assert rerun.rc == 0, rerun
    assert task_result(rerun, host_of(0), "password")["changed"] is False
    assert_no_attempt_spent(phones)
    assert [phones.counters(index)["logins"] for index in range(FLEET)] == [1] * FLEET
