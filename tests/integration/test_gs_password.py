"""gs_password end to end: real ansible-playbook against the emulator, lockout safety counted by its counters."""

from urllib.parse import quote, quote_plus

import requests

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

NEW_ADMIN = "N3w-Admin-Pass"


def password_task(name="password", **options):
    return {"name": name, "grandstream.phone.gs_password": options}


phones, factory_phones = emulator_fixtures(count=1, extra_args=["--reboot-seconds", "1"])


def change_requests(phones):
    return phones.counters(0)["by_endpoint"].get("api-change_password", 0)


def test_change_then_rerun_is_idempotent(phones, tmp_path):
    playbook = play(password_task(role="admin", new_password=NEW_ADMIN))
    inventory = inventory_for(phones, count=1)
    first = run_playbook(tmp_path, playbook, inventory)
    assert first.rc == 0, first
    assert first.result("phone0", "password")["changed"] is True
    assert phones.state(0)["passwords"]["admin"] == NEW_ADMIN
    assert change_requests(phones) == 2  # the change, then the phone confirms the new one as current
    # No password is tried by logging in with it: the connection's own login tells which one the phone has.
    assert phones.counters(0)["failed_logins"] == 0

    phones.reset_counters()
    again = run_playbook(tmp_path, playbook, inventory, name="again")
    assert again.rc == 0, again
    assert again.result("phone0", "password")["changed"] is False
    assert change_requests(phones) == 0
    assert phones.counters(0)["failed_logins"] == 0


def test_rerun_with_updated_inventory_and_a_fresh_session_cache(phones, tmp_path):
    phones.set_pvalues(0, {"P2": NEW_ADMIN})
    inventory = inventory_for(phones, count=1, extra_vars={"gs_password": NEW_ADMIN})
    run = run_playbook(tmp_path, play(password_task(new_password=NEW_ADMIN), {
        "name": "info", "grandstream.phone.gs_info": {}}), inventory)
    assert run.rc == 0, run
    assert run.result("phone0", "password")["changed"] is False
    # The probe's session is the play's session: one login for both tasks, none failed.
    assert phones.counters(0)["logins"] == 1
    assert phones.counters(0)["failed_logins"] == 0


def test_later_tasks_keep_working_with_the_old_password_configured(phones, tmp_path):
    run = run_playbook(tmp_path, play(
        {"name": "before", "grandstream.phone.gs_info": {}},
        password_task(new_password=NEW_ADMIN),
        {"name": "after", "grandstream.phone.gs_info": {"gather_subset": ["system", "groups"]}},
        {"name": "values", "grandstream.phone.gs_info": {"pvalues": ["P30"]}},
    ), inventory_for(phones, count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "password")["changed"] is True
    assert run.result("phone0", "after")["system"]["model"]
    assert [group["name"] for group in run.result("phone0", "after")["groups"]] == ["default", "blacklist"]
    assert phones.state(0)["passwords"]["admin"] == NEW_ADMIN
    counters = phones.counters(0)
    assert counters["failed_logins"] == 0
    assert counters["by_endpoint"].get("api-change_password") == 2


def test_after_a_reboot_the_old_password_stops_with_a_clear_error_not_a_failed_login(phones, tmp_path):
    run = run_playbook(tmp_path, play(
        password_task(new_password=NEW_ADMIN),
        {"name": "reboot", "grandstream.phone.gs_sysop": {"operation": "reboot", "wait": True}},
        {"name": "after", "grandstream.phone.gs_info": {}},
    ), inventory_for(phones, count=1))
    assert run.rc != 0
    assert run.result("phone0", "reboot")["changed"] is True
    assert "was changed on this phone earlier in the play" in run.result("phone0", "after")["msg"]
    assert phones.counters(0)["failed_logins"] == 0


def test_user_password_over_the_admin_connection(phones, tmp_path):
    task = password_task(role="user", current_password="123", new_password="User-Pass-77")
    first = run_playbook(tmp_path, play(task), inventory_for(phones, count=1))
    assert first.rc == 0, first
    assert first.result("phone0", "password")["changed"] is True
    assert phones.state(0)["passwords"] == {"admin": "admin", "user": "User-Pass-77"}

    phones.reset_counters()
    again = run_playbook(tmp_path, play(task), inventory_for(phones, count=1), name="again")
    assert again.result("phone0", "password")["changed"] is False
    assert again.result("phone0", "password")["verified"] is True
    # The phone confirms the password through one change to itself: no login attempt, nothing changed.
    assert change_requests(phones) == 1 and phones.counters(0)["failed_logins"] == 0
    assert phones.state(0)["passwords"] == {"admin": "admin", "user": "User-Pass-77"}


def test_user_password_without_current_password_is_refused_before_any_request(phones, tmp_path):
    run = run_playbook(tmp_path, play(password_task(role="user", new_password="User-Pass-77")),
                       inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "password")
    assert "current_password is required" in result["msg"] and result["field"] == "current_password"
    assert phones.counters(0)["requests"] == 0


def test_wrong_current_password_is_a_clear_error_and_costs_no_login(phones, tmp_path):
    run = run_playbook(tmp_path, play(password_task(current_password="not-the-password", new_password=NEW_ADMIN)),
                       inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "password")
    assert "current_password is not the phone's current admin password" in result["msg"]
    assert result["changed"] is False
    state = phones.state(0)
    assert state["passwords"]["admin"] == "admin"
    assert state["lock"]["locked"] is False
    assert phones.counters(0)["failed_logins"] == 0
    assert "not-the-password" not in run.stdout + run.stderr


def test_check_mode_changes_nothing(phones, tmp_path):
    run = run_playbook(tmp_path, play(password_task(new_password=NEW_ADMIN)), inventory_for(phones, count=1),
                       "--check")
    assert run.rc == 0, run
    result = run.result("phone0", "password")
    assert result["changed"] is True and "would change" in result["msg"]
    assert phones.state(0)["passwords"]["admin"] == "admin"
    assert change_requests(phones) == 0


def test_a_phone_near_lockout_is_changed_without_spending_an_attempt(phones, tmp_path):
    for unused_attempt in range(3):  # someone else typed a wrong password three times: 2 attempts left
        requests.post(phones.url(0, "dologin"), data={"username": "admin", "password": "typo"}, timeout=5)
    phones.reset_counters()
    run = run_playbook(tmp_path, play(password_task(new_password=NEW_ADMIN)), inventory_for(phones, count=1))
    assert run.rc == 0, run
    assert phones.counters(0)["failed_logins"] == 0
    assert phones.state(0)["passwords"]["admin"] == NEW_ADMIN
    assert phones.state(0)["lock"]["locked"] is False


def test_changing_the_admin_password_over_a_user_connection_is_refused(phones, tmp_path):
    inventory = inventory_for(phones, count=1, extra_vars={"gs_username": "user", "gs_password": "123"})
    run = run_playbook(tmp_path, play(password_task(new_password=NEW_ADMIN)), inventory)
    assert run.rc != 0
    assert run.result("phone0", "password")["field"] == "role"
    assert phones.counters(0)["requests"] == 0


def test_no_password_reaches_verbose_output_or_the_emulator_log(phones, tmp_path):
    connection, new_admin = "Conn-Secret&Pass#1", "New Admin/Secret?2"
    user_old, user_new = "User+Old=Secret%3", "User:New'Secret\"4"
    phones.set_pvalues(0, {"P2": connection, "P196": user_old})
    phones.register_account(0)
    inventory = inventory_for(phones, count=1, extra_vars={"gs_password": connection})
    run = run_playbook(tmp_path, play(
        {"name": "info", "grandstream.phone.gs_info": {"gather_subset": ["all"]}},
        password_task(name="admin", new_password=new_admin),
        password_task(name="user", role="user", current_password=user_old, new_password=user_new),
        dict(password_task(name="wrong", role="user", current_password=user_old + "x", new_password=user_new + "y"),
             ignore_errors=True),
        {"name": "call", "grandstream.phone.gs_call": {"number": "100", "wait_for": "in_call"}},
        {"name": "reboot", "grandstream.phone.gs_sysop": {"operation": "reboot", "wait": True}},
    ), inventory, "-vvv")
    assert run.rc == 0, run
    assert run.result("phone0", "user")["changed"] is True
    assert run.result("phone0", "call")["line_status"]["state_name"] == "in_call"
    assert run.result("phone0", "reboot")["elapsed"] > 0
    assert "current_password is not" in run.result("phone0", "wrong")["msg"]
    assert phones.state(0)["passwords"] == {"admin": new_admin, "user": user_new}
    text = run.stdout + run.stderr + phones.read_log()
    for secret in (connection, new_admin, user_old, user_new, user_old + "x", user_new + "y"):
        for form in (secret, quote(secret), quote_plus(secret), quote(secret, safe="")):
            assert form not in text, "a password leaked in the form %r" % form


def test_returns_before_after_commands_and_diff_never_the_password(phones, tmp_path):
    playbook = play(password_task(role="user", current_password="123", new_password="Us3r-Pass-Uniform"))
    run = run_playbook(tmp_path, playbook, inventory_for(phones, count=1), "--diff")
    assert run.rc == 0, run
    result = run.result("phone0", "password")
    assert result["changed"] is True and result["commands"] == ["change user password"]
    assert result["before"] == {"user_password": "********"}
    assert result["after"] == result["diff"]["after"] == {"user_password": "******** (written)"}
    assert "Us3r-Pass-Uniform" not in run.stdout + run.stderr + str(run.results)
    assert phones.counters(0)["failed_logins"] == 0
