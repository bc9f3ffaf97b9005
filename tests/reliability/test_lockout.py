"""Lockout safety: a wrong password never locks a phone, a locked phone is named with its lock time.

Phones lock logins after 5 wrong passwords (5 minutes). The emulator's counters count every login
attempt, so they prove how many attempts a play made. Every case runs on both firmware dialects: the
guide's forms login and the current firmware's challenge login (``access`` nonce, then ``dologin``).
"""

from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.phone_http import current_http_session, current_nonce, new_http_session, sha256_hex
from tests.helpers.ansible_run import play
from tests.reliability.support import (SEED, both_dialects, desired_state_inventory, host_of, label_of,
                                       login_requests, module_task, run, task_result)

FLEET = 20
WRONG_PASSWORD = "Wrong-Pass-31"
LOGIN_ATTEMPTS = 5  # the phones' limit before they lock


def three_tasks(**keywords):
    """A play whose every task needs a login: reading, writing values, writing groups."""
    return play(
        module_task("info", "gs_info", {}, **keywords),
        module_task("pvalues", "gs_pvalues", {"values": {"ntp.server": "ntp.site.test"}}, **keywords),
        module_task("groups", "gs_group", {"config": [{"name": "Sales"}]}, **keywords),
    )


dialect = both_dialects()
phones, factory_phones = emulator_fixtures(count=FLEET, extra_args=["--seed", str(SEED)])


def lock_by_hand(emulator, index, dialect):
    """Someone types a wrong password five times in the web UI: the phone locks logins."""
    session = current_http_session(emulator, index) if dialect == "current" else new_http_session()
    for unused_attempt in range(LOGIN_ATTEMPTS):
        password = "typo"
        if dialect == "current":  # the web UI's challenge login: a fresh nonce for each try
            password = sha256_hex(password + current_nonce(session, emulator, index))
        session.post(emulator.url(index, "dologin"), data={"username": "admin", "password": password}, timeout=5)
    assert emulator.state(index)["lock"]["locked"] is True
    emulator.reset_counters()


def test_wrong_password_on_twenty_phones_costs_one_failed_login_each_and_locks_none(phones, tmp_path, dialect):
    inventory = desired_state_inventory(phones, FLEET, extra_vars={"gs_password": WRONG_PASSWORD})
    playbook_run = run(tmp_path, three_tasks(), inventory)
    assert playbook_run.rc != 0
    for index in range(FLEET):
        result = task_result(playbook_run, host_of(index), "info")
        assert result["_status"] == "failed"
        assert "%s: login refused for user 'admin': wrong password (4 attempt(s) left" % label_of(phones, index) \
            in result["msg"], result["msg"]
        assert "Not retrying" in result["msg"]
        counters = phones.counters(index)
        # The dialect probe (an unauthenticated GET, no login) and the one refused login (on current firmware
        # after its one access step, no login either); the later tasks send nothing.
        assert (counters["failed_logins"], counters["logins"]) == (1, 0), counters
        assert counters["requests"] == 1 + login_requests(dialect), counters
        assert counters["probes"] == 1 and counters["challenges"] == login_requests(dialect) - 1
        lock = phones.state(index)["lock"]
        assert lock["locked"] is False and lock["attempts_left"] == LOGIN_ATTEMPTS - 1
    assert WRONG_PASSWORD not in playbook_run.stdout + playbook_run.stderr


def test_a_locked_phone_is_named_with_its_lock_time_and_not_tried_again(phones, tmp_path, dialect):
    lock_by_hand(phones, 0, dialect)
    # The inventory holds the right password: someone else locked the phone.
    playbook_run = run(tmp_path, three_tasks(), desired_state_inventory(phones, 2))
    assert playbook_run.rc != 0
    message = task_result(playbook_run, host_of(0), "info")["msg"]
    assert "%s: login for user 'admin' is locked" % label_of(phones, 0) in message
    assert "accepts logins again in 5 minute(s)" in message and "Not retrying" in message
    counters = phones.counters(0)
    # The dialect probe (no login), the one attempt that learnt of the lock, nothing after it.
    assert (counters["failed_logins"], counters["logins"]) == (1, 0), counters
    assert counters["requests"] == 1 + login_requests(dialect), counters
    # The other phone of the play is not held back by the locked one.
    assert playbook_run.stats[host_of(1)]["failures"] == 0 and playbook_run.changed_count(host_of(1)) == 2


def test_later_tasks_do_not_try_a_refused_password_again(phones, tmp_path):
    tasks = [module_task("info %d" % number, "gs_info", {}, ignore_errors=True) for number in range(LOGIN_ATTEMPTS)]
    inventory = desired_state_inventory(phones, 1, extra_vars={"gs_password": WRONG_PASSWORD})
    playbook_run = run(tmp_path, play(*tasks), inventory)
    last = task_result(playbook_run, host_of(0), "info %d" % (LOGIN_ATTEMPTS - 1))
    assert last["_status"] == "failed" and "password" in last["msg"]
    assert phones.state(0)["lock"]["locked"] is False
    assert phones.counters(0)["failed_logins"] == 1
