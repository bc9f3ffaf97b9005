"""A wrong password costs at most one failed login per phone: on every login path, across tasks and runs.

Phones lock logins after 5 wrong passwords and forget a wrong one only at a successful login (or when
a lock ends). The emulator counts every login attempt (``failed_logins``, ``by_endpoint``), so these
tests prove how many attempts a play made, whichever module logged in (forms login, token login,
gs_password), with the session cache kept, removed, or switched off. Every case runs on both firmware
dialects (the current one logs in with an ``access`` nonce, then ``dologin``), but the token login's own: current
firmware has no token login (gs_call and gs_sysop use the forms session there).
"""

import glob
import json
import os

from tests.helpers.ansible_run import play
from tests.helpers.emulator_proc import emulator_fixtures
from tests.reliability.support import (SEED, both_dialects, desired_state_inventory, host_of, label_of, module_task,
                                       only_on, run, task_result)

FLEET = 20
WRONG_PASSWORD = "Wrong-Pass-31"
LOGIN_ATTEMPTS = 5  # the phones' limit before they lock

dialect = both_dialects()
phones, factory_phones = emulator_fixtures(count=FLEET, extra_args=["--seed", str(SEED)])


def every_module():
    """One task of every module that talks to a phone, each allowed to fail so the next one still tries."""
    tasks = [
        ("info", "gs_info", {}),
        ("pvalues", "gs_pvalues", {"values": {"ntp.server": "ntp.site.test"}}),
        ("groups", "gs_group", {"config": [{"name": "Sales"}]}),
        ("contacts", "gs_contacts", {"config": [{"first_name": "Jack", "work": "1001"}]}),
        ("phonebook", "gs_phonebook", {"dest": "phonebook-{{ inventory_hostname }}.xml"}),
        ("export", "gs_export", {"dest": "export-{{ inventory_hostname }}"}),
        ("call", "gs_call", {"number": "100"}),
        ("sysop", "gs_sysop", {"operation": "reboot"}),
        ("password", "gs_password", {"new_password": "New-Admin-Pass-7"}),
    ]
    return play(*(module_task(name, module, args, ignore_errors=True) for name, module, args in tasks))


def token_and_forms_modules():
    """The issue's play: forms login (gs_pvalues, gs_info) and token login (gs_call, gs_sysop)."""
    return play(
        module_task("pvalues", "gs_pvalues", {"values": {"ntp.server": "ntp.site.test"}}, ignore_errors=True),
        module_task("call", "gs_call", {"number": "100"}, ignore_errors=True),
        module_task("info", "gs_info", {}, ignore_errors=True),
        module_task("sysop", "gs_sysop", {"operation": "reboot"}, ignore_errors=True),
    )


def wrong_password_inventory(emulator, count):
    return desired_state_inventory(emulator, count, extra_vars={"gs_password": WRONG_PASSWORD})


def failed_logins(emulator, count):
    return [emulator.counters(index)["failed_logins"] for index in range(count)]


def assert_none_locked(emulator, count):
    for index in range(count):
        lock = emulator.state(index)["lock"]
        assert lock["locked"] is False and lock["attempts_left"] == LOGIN_ATTEMPTS - 1, (index, lock)


def test_token_and_forms_logins_share_one_refusal_memory_across_runs(phones, tmp_path):
    count = 3
    for number in range(3):  # the session cache (GS_SESSION_CACHE_DIR under tmp_path) is kept between runs
        playbook_run = run(tmp_path, token_and_forms_modules(), wrong_password_inventory(phones, count),
                           name="run%d" % number)
        assert playbook_run.rc == 0, playbook_run  # every failure is an ignored one
        assert failed_logins(phones, count) == [1] * count, (number, playbook_run)
    for index in range(count):
        counters = phones.counters(index)
        assert counters["by_endpoint"].get("login", 0) == 0  # the token login was refused before sending
        assert counters["writes"] == 0
        message = task_result(playbook_run, host_of(index), "call")["msg"]
        assert message.startswith("%s: the phone refused this password for user 'admin' at " % label_of(phones, index))
    assert_none_locked(phones, count)


def test_a_token_login_refusal_is_remembered_by_the_forms_login(phones, tmp_path, dialect):
    only_on(dialect, "guide", "current firmware has no token login (no /cgi-bin/login): gs_call logs in by dologin")
    playbook_run = run(tmp_path, play(
        module_task("call", "gs_call", {"number": "100"}, ignore_errors=True),
        module_task("info", "gs_info", {}, ignore_errors=True),
        module_task("pvalues", "gs_pvalues", {"values": {"ntp.server": "ntp.site.test"}}, ignore_errors=True),
    ), wrong_password_inventory(phones, 1))
    counters = phones.counters(0)
    assert counters["by_endpoint"].get("login") == 1 and counters["by_endpoint"].get("dologin", 0) == 0
    assert counters["failed_logins"] == 1
    assert "wrong password (4 attempt(s) left" in task_result(playbook_run, host_of(0), "call")["msg"]
    assert "refused this password" in task_result(playbook_run, host_of(0), "info")["msg"]


def test_wrong_password_on_twenty_phones_across_three_runs_and_every_module(phones, tmp_path):
    inventory = wrong_password_inventory(phones, FLEET)
    for number in range(3):
        playbook_run = run(tmp_path, every_module(), inventory, name="run%d" % number)
        assert playbook_run.rc == 0, playbook_run
        assert failed_logins(phones, FLEET) == [1] * FLEET, (number, playbook_run)
    # A drift check (check mode) after them spends no attempt either.
    check_run = run(tmp_path, every_module(), inventory, "--check", name="check")
    assert check_run.rc == 0, check_run
    assert failed_logins(phones, FLEET) == [1] * FLEET
    assert phones.counters()["writes"] == 0
    assert_none_locked(phones, FLEET)
    assert WRONG_PASSWORD not in check_run.stdout + check_run.stderr


def test_check_mode_on_a_fresh_controller_costs_the_one_connection_login_only(phones, tmp_path):
    playbook_run = run(tmp_path, every_module(), wrong_password_inventory(phones, FLEET), "--check")
    assert playbook_run.rc == 0, playbook_run
    assert failed_logins(phones, FLEET) == [1] * FLEET
    assert_none_locked(phones, FLEET)


def test_with_the_session_cache_off_the_run_still_remembers_a_refusal(phones, tmp_path):
    five_tasks = play(*(module_task("info %d" % number, "gs_info", {}, ignore_errors=True)
                        for number in range(LOGIN_ATTEMPTS)))
    playbook_run = run(tmp_path, five_tasks, wrong_password_inventory(phones, FLEET), env={"GS_SESSION_CACHE": "off"})
    assert playbook_run.rc == 0, playbook_run
    assert failed_logins(phones, FLEET) == [1] * FLEET
    assert_none_locked(phones, FLEET)
    last = task_result(playbook_run, host_of(0), "info %d" % (LOGIN_ATTEMPTS - 1))["msg"]
    assert "refused this password" in last and "start a new ansible-playbook run" in last
    assert not os.path.exists(tmp_path / "sessions")  # nothing was kept on disk by the cache
    # A new run is a new run memory: it may try once more (the documented cost of running without a cache).
    again = run(tmp_path, five_tasks, wrong_password_inventory(phones, 1), env={"GS_SESSION_CACHE": "off"},
                name="again")
    assert again.rc == 0, again
    assert phones.counters(0)["failed_logins"] == 2


def age_cache(directory, seconds):
    """Make every time stamp in the controller's cache files ``seconds`` older: a night passes."""
    def older(value):
        if isinstance(value, dict):
            return {key: (item - seconds if key in ("at", "until", "saved_at") and isinstance(item, (int, float))
                          else older(item)) for key, item in value.items()}
        if isinstance(value, list):
            return [older(item) for item in value]
        return value

    for path in glob.glob(os.path.join(str(directory), "*.json")):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(older(data), handle)


def test_nightly_runs_with_a_wrong_password_never_lock_and_say_how_to_clear(phones, tmp_path):
    tasks = play(module_task("info", "gs_info", {}, ignore_errors=True))
    for night in range(6):
        playbook_run = run(tmp_path, tasks, wrong_password_inventory(phones, 1), name="night%d" % night)
        assert phones.counters(0)["failed_logins"] == 1, night
        age_cache(tmp_path / "sessions", 24 * 3600)
    message = task_result(playbook_run, host_of(0), "info")["msg"]
    # What the phone said then, marked as then (not a current "4 attempt(s) left"), and how to clear it.
    assert "when it had 4 attempt(s) left before locking" in message
    assert "(4 attempt(s) left before" not in message
    memory_files = glob.glob(str(tmp_path / "sessions" / "*.logins.json"))
    assert len(memory_files) == 1 and ("delete %s" % memory_files[0]) in message
    assert oct(os.stat(memory_files[0]).st_mode & 0o777) == "0o600"
    assert WRONG_PASSWORD not in open(memory_files[0], encoding="utf-8").read()
    assert phones.state(0)["lock"]["attempts_left"] == LOGIN_ATTEMPTS - 1
    # Following the message: the password is tried again, once.
    os.unlink(memory_files[0])
    run(tmp_path, tasks, wrong_password_inventory(phones, 1), name="cleared")
    assert phones.counters(0)["failed_logins"] == 2


def test_a_remembered_lock_names_when_logins_will_be_tried_again(phones, tmp_path):
    phones.set_pvalues(0, {"P2": "Changed-By-Hand-1"})
    tasks = play(*(module_task("info %d" % number, "gs_info", {}, ignore_errors=True) for number in range(2)))
    inventory = wrong_password_inventory(phones, 1)
    for number in range(LOGIN_ATTEMPTS):  # five different wrong passwords, one run each: the phone locks
        inventory["all"]["children"]["phones"]["vars"]["gs_password"] = "Wrong-%d" % number
        playbook_run = run(tmp_path, tasks, inventory, name="run%d" % number)
    assert phones.state(0)["lock"]["locked"] is True
    assert phones.counters(0)["failed_logins"] == LOGIN_ATTEMPTS  # one per different password, none repeated
    inventory["all"]["children"]["phones"]["vars"]["gs_password"] = "Changed-By-Hand-1"
    playbook_run = run(tmp_path, tasks, inventory, name="right")
    assert phones.counters(0)["failed_logins"] == LOGIN_ATTEMPTS  # the lock is not extended by a try
    message = task_result(playbook_run, host_of(0), "info 0")["msg"]
    assert "were locked after too many wrong passwords (seen at " in message and "not trying user 'admin' again " \
        "before " in message, message


# ------------------------------------------------------------------- lost answers to the login's own requests
def sent(emulator, index, endpoint):
    return emulator.counters(index)["by_endpoint"].get(endpoint, 0)


def info_tasks(count):
    return play(*(module_task("info %d" % number, "gs_info", {}, ignore_errors=True) for number in range(count)))


def test_a_lost_answer_to_a_refused_login_is_never_followed_by_a_second_attempt_in_the_run(
        phones, tmp_path, dialect):
    # The phone counts the wrong password (and, on current firmware, uses up the nonce), then the answer to
    # dologin is lost: the controller cannot know it was refused. No later task of the run sends it again.
    count = 3
    for index in range(count):
        phones.faults(index, {"fail_next": {"dologin": ["lost"]}})
    lost = run(tmp_path, info_tasks(LOGIN_ATTEMPTS), wrong_password_inventory(phones, count), name="lost")
    assert lost.rc == 0, lost
    for index in range(count):
        assert (sent(phones, index, "dologin"), phones.counters(index)["failed_logins"]) == (1, 1), index
        assert "so it is not repeated" in task_result(lost, host_of(index), "info 0")["msg"]
        assert "got no answer" in task_result(lost, host_of(index), "info %d" % (LOGIN_ATTEMPTS - 1))["msg"]
    # An unanswered login is held for its run only (docs/reliability.md): the next run sends it once, sees the
    # refusal and remembers it; the runs after it send nothing. 2 failed logins in all, far from the lock.
    for number in range(3):
        again = run(tmp_path, info_tasks(2), wrong_password_inventory(phones, count), name="again%d" % number)
        assert again.rc == 0, again
        assert failed_logins(phones, count) == [2] * count, (number, again)
    for index in range(count):
        assert sent(phones, index, "dologin") == 2
        assert sent(phones, index, "access") == (2 if dialect == "current" else 0)
        lock = phones.state(index)["lock"]
        assert lock["locked"] is False and lock["attempts_left"] == LOGIN_ATTEMPTS - 2, (index, lock)


def test_a_lost_answer_to_an_accepted_login_is_sent_again_with_a_fresh_nonce_and_costs_no_failed_login(
        phones, tmp_path, dialect):
    # The phone accepted the password in an earlier run. The next login is handled (a session made, on
    # current firmware its nonce used up) and its answer lost: the repeat must not reuse the spent nonce,
    # which the phone would count as a wrong password.
    count = 3
    inventory = desired_state_inventory(phones, count)
    assert run(tmp_path, info_tasks(1), inventory, name="proven").rc == 0
    phones.reset_counters()
    for index in range(count):
        phones.expire_sessions(index)  # the cached session would spare the phone its login
        phones.faults(index, {"fail_next": {"dologin": ["lost"]}})
    lost = run(tmp_path, info_tasks(2), inventory, name="lost")
    assert lost.rc == 0, lost
    for index in range(count):
        assert task_result(lost, host_of(index), "info 1")["_status"] == "ok"
        counters = phones.counters(index)
        assert (counters["failed_logins"], counters["logins"], sent(phones, index, "dologin")) == (0, 2, 2), counters
        assert counters["challenges"] == (2 if dialect == "current" else 0), counters  # one nonce per dologin
        assert phones.state(index)["lock"]["attempts_left"] == LOGIN_ATTEMPTS


def test_a_lost_answer_to_the_access_step_is_asked_again_and_spends_no_attempt(phones, tmp_path, dialect):
    only_on(dialect, "current", "the access step (a nonce before dologin) is the current firmware's own")
    # Phone 0 holds the inventory's password, phone 1 another one. Their next three access requests lose the
    # nonce (answered, then the answer dropped), are reset before the phone acts, answer 503: each is asked
    # again (access is no login), and only the latest nonce goes into the one dologin.
    inventory = desired_state_inventory(phones, 2, host_vars={host_of(1): {"gs_password": WRONG_PASSWORD}})
    for index in range(2):
        phones.faults(index, {"fail_next": {"access": ["lost", "reset", "503"]}})
    for number in range(2):
        playbook_run = run(tmp_path, info_tasks(2), inventory, name="run%d" % number)
        assert playbook_run.rc == 0, playbook_run
    assert task_result(playbook_run, host_of(0), "info 1")["_status"] == "ok"
    assert (phones.counters(0)["failed_logins"], phones.counters(0)["logins"], sent(phones, 0, "access")) == (0, 1, 4)
    assert "wrong password" in task_result(playbook_run, host_of(1), "info 0")["msg"] or \
        "refused this password" in task_result(playbook_run, host_of(1), "info 0")["msg"]
    assert phones.counters(1)["failed_logins"] == 1 and sent(phones, 1, "dologin") == 1
    assert phones.state(1)["lock"]["attempts_left"] == LOGIN_ATTEMPTS - 1


def test_lost_answers_everywhere_never_turn_the_right_password_into_a_failed_login(phones, tmp_path, dialect):
    # A third of all answers lost after the phone acted (probes, nonces, logins, reads) and the session expired
    # after every other request, so logins come often: three runs. A repeated login that reused a spent
    # nonce, or any blind repeat the phone could count, would show as a failed login.
    count = 10
    for index in range(count):
        phones.faults(index, {"reset_after_rate": 0.3, "expire_every": 2})
    inventory = desired_state_inventory(phones, count)
    for number in range(3):
        run(tmp_path, info_tasks(3), inventory, name="run%d" % number)
        assert failed_logins(phones, count) == [0] * count, number
    assert sum(phones.counters(index)["logins"] for index in range(count)) >= 2 * count  # logins were tried
    for index in range(count):
        assert phones.state(index)["lock"]["attempts_left"] == LOGIN_ATTEMPTS, index
