"""What is repeated after a failed request: only what certainly did not reach the phone, or is safe to repeat.

A 503, a refused connection or a connect timeout means the phone did not act: every request is retried
(``retries``). No answer in time, or a reset after sending, may mean the phone did act: reads are
retried, a login or a non-idempotent write is not, and the task says so (and reports the write).
The emulator counts each request by endpoint, which proves how often each was sent.
Every case runs on both firmware dialects (``[guide]`` / ``[current]``); on current firmware a login is the
``access`` nonce step (no login, safe to ask again) and then ``dologin``.
"""

import time

from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_apply import MAX_ROUNDS
from tests.helpers.ansible_run import play
from tests.helpers.emulator_proc import emulator_fixtures
from tests.reliability.support import (SEED, SETTINGS_WRITE, both_dialects, desired_state_inventory, host_of,
                                       label_of, module_task, run, task_result)

dialect = both_dialects()
phones, factory_phones = emulator_fixtures(count=2, extra_args=["--seed", str(SEED)])
LATE_LOGIN = {"latency_ms": 1500, "latency_on": ["dologin"]}  # handled after a gs_timeout of 1 s gave up


def sent(emulator, index, endpoint):
    return emulator.counters(index)["by_endpoint"].get(endpoint, 0)


def settled_failures(emulator, index, bound=50):
    """Wait (bounded) until the emulator has handled the late login: it answers after the client gave up."""
    for unused_poll in range(bound):
        if emulator.counters(index)["failed_logins"]:
            return
        time.sleep(0.1)


def test_a_login_without_an_answer_in_time_is_sent_once(phones, tmp_path, dialect):
    # Only the login is late: on current firmware its access step (a nonce, no login) answers in time.
    phones.faults(0, LATE_LOGIN)
    inventory = desired_state_inventory(phones, 1, extra_vars={"gs_timeout": 1})
    # No answer in time is "unreachable" (docs/reliability.md): ignore_unreachable keeps the host in the play.
    playbook_run = run(tmp_path, play(module_task("info", "gs_info", {}, ignore_unreachable=True),
                                      module_task("info again", "gs_info", {}, ignore_unreachable=True)), inventory)
    assert sent(phones, 0, "dologin") == 1  # not once per retry (4), and not again by the next task
    assert phones.counters(0)["failed_logins"] == 0  # handled late, with the right password (and a fresh nonce)
    assert task_result(playbook_run, host_of(0), "info")["_status"] == "unreachable"
    first = task_result(playbook_run, host_of(0), "info")["msg"]
    assert first == ("%s: no answer to dologin within 1.0s; the login may have reached the phone, so it is not "
                     "repeated" % label_of(phones, 0))
    second = task_result(playbook_run, host_of(0), "info again")["msg"]
    assert "got no answer" in second and "not sending it again during this run" in second


def test_a_wrong_password_without_an_answer_in_time_costs_one_failed_login(phones, tmp_path, dialect):
    phones.faults(0, LATE_LOGIN)
    inventory = desired_state_inventory(phones, 1, extra_vars={"gs_timeout": 1, "gs_password": "Wrong-Pass-31"})
    run(tmp_path, play(*(module_task("info %d" % number, "gs_info", {}, ignore_errors=True, ignore_unreachable=True)
                         for number in range(5))), inventory)
    settled_failures(phones, 0)
    assert phones.counters(0)["failed_logins"] == 1 and sent(phones, 0, "dologin") == 1
    assert phones.state(0)["lock"]["locked"] is False


def test_a_lost_login_answer_is_repeated_only_with_a_password_this_phone_accepted_before(phones, tmp_path, dialect):
    # Phone 0 accepted the inventory's password in an earlier run, phone 1 never saw it: both lose the
    # answer to their next login (reset after sending). Only the proven password is sent again.
    inventory = desired_state_inventory(phones, 2)
    first = run(tmp_path, play(module_task("info", "gs_info", {})), inventory, "--limit", host_of(0))
    assert first.rc == 0, first
    phones.reset_counters()
    for index in (0, 1):
        phones.faults(index, {"fail_next": {"dologin": ["reset"]}})
    phones.expire_sessions(0)  # the cached session would spare phone 0 its login
    playbook_run = run(tmp_path, play(module_task("info", "gs_info", {}, ignore_errors=True)), inventory)
    assert task_result(playbook_run, host_of(0), "info")["_status"] == "ok"
    assert sent(phones, 0, "dologin") == 2  # the reset one, and its repeat
    unproven = task_result(playbook_run, host_of(1), "info")
    assert unproven["_status"] == "failed" and "so it is not repeated" in unproven["msg"]
    assert sent(phones, 1, "dologin") == 1
    assert phones.counters(1)["failed_logins"] == 0


def test_adds_are_retried_through_503_and_land_once(phones, tmp_path, dialect):
    # Half of all requests (logins and writes included) answer 503: the phone did not act on them.
    phones.faults(0, {"error_rate": 0.5, "error_on": "all"})
    groups = [{"name": "Sales"}, {"name": "Support"}, {"name": "Stock"}]
    inventory = desired_state_inventory(phones, 1, extra_vars={"gs_retries": 10})
    playbook_run = run(tmp_path, play(module_task("groups", "gs_group", {"config": groups})), inventory)
    assert playbook_run.rc == 0, playbook_run
    names = sorted(group["name"] for group in phones.state(0)["groups"])
    assert names == sorted(["default", "blacklist", "Sales", "Support", "Stock"])
    assert task_result(playbook_run, host_of(0), "groups")["requests"]["retries"] >= 1


def test_an_add_reset_after_sending_is_sent_again_only_after_a_read_shows_it_missing(phones, tmp_path, dialect):
    phones.faults(0, {"reset_rate": 1.0, "reset_on": "writes"})
    playbook_run = run(tmp_path, play(module_task("groups", "gs_group", {"config": [{"name": "Sales"}]})),
                       desired_state_inventory(phones, 1))
    result = task_result(playbook_run, host_of(0), "groups")
    assert result["_status"] == "failed"
    # Not repeated by the client; the phonebook engine reads the groups again before each new round.
    assert sent(phones, 0, "api-add_group") == MAX_ROUNDS
    assert sent(phones, 0, "api-get_groups") >= MAX_ROUNDS
    assert "connection reset by the phone" in result["msg"] and "not repeated" in result["msg"]
    assert result["changed"] is True  # it may have been applied: never reported as nothing done


def test_a_read_back_failing_after_the_write_reports_the_write(phones, tmp_path, dialect):
    # The phone handles the write, then resets every request: gs_pvalues' read-back fails.
    phones.faults(0, {"reset_after_writes": 1})
    playbook_run = run(tmp_path, play(module_task("pvalues", "gs_pvalues", {"values": {"ntp.server": "ntp.new.test"}})),
                       desired_state_inventory(phones, 1))
    result = task_result(playbook_run, host_of(0), "pvalues")
    assert result["_status"] == "failed" and "connection reset by the phone" in result["msg"]
    assert phones.state(0)["pvalues"]["P30"] == "ntp.new.test"
    assert result["changed"] is True
    assert result["applied"] == ["%s (P30)" % SETTINGS_WRITE[dialect]]  # names only, never a value
    assert "ntp.new.test" not in str(result["applied"]) and "write request(s) reached the phone" in result["msg"]
