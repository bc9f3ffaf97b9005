"""gs_sysop end to end: real ansible-playbook against the emulator (reboot downtime 2 s)."""

import re

import pytest

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import EmulatorProcess


def sysop_task(name="sysop", **options):
    return {"name": name, "grandstream.phone.gs_sysop": options}


@pytest.fixture(scope="module")
def phones(dialect):
    with EmulatorProcess(count=2, extra_args=["--reboot-seconds", "2"], firmware=dialect) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def clean(phones):
    for index in range(2):
        phones.wait_until_up(index)
    phones.reset()
    phones.reset_counters()


def test_reboot_waits_reports_progress_and_the_play_goes_on(phones, tmp_path, dialect):
    run = run_playbook(tmp_path, play(
        sysop_task(operation="reboot", wait=True, poll_interval=0.2),
        {"name": "info", "grandstream.phone.gs_info": {}},
    ), inventory_for(phones))
    assert run.rc == 0, run
    for index in range(2):
        host = "phone%d" % index
        result = run.result(host, "sysop")
        assert result["changed"] is True and result["operation"] == "reboot"
        assert 1 <= result["elapsed"] < 10
        # The next task logged in again instead of riding on the session the reboot dropped.
        assert run.result(host, "info")["system"]["mac"] == phones.state(index)["mac"]
        counters = phones.counters(index)
        assert counters["by_endpoint"]["api-sys_operation"] == 1
        # No session yet: the guide's password token login (loginrealm + login) for the operation; current
        # firmware has one login only (access + dologin), whose session the operation uses.
        if dialect == "guide":
            assert counters["by_endpoint"]["loginrealm"] == 1
        else:  # one before the reboot (the operation's), one after (gs_info's)
            assert "loginrealm" not in counters["by_endpoint"] and counters["logins"] == 2
        progress = [line for line in run.stdout.splitlines() if line.startswith("[%s]" % host)]
        assert any("the phone answers: connection refused (rebooting)" in line for line in progress), run.stdout
        assert any("the phone answers: HTTP 503 (booting)" in line for line in progress), run.stdout
        assert any("back after" in line for line in progress), run.stdout
        # Reported when the answer changes, not on every poll.
        assert len(progress) <= 6, progress


def test_reboot_as_a_handler_reuses_the_play_session(phones, tmp_path):
    run = run_playbook(tmp_path, play(
        {"name": "info", "grandstream.phone.gs_info": {}},
        {"name": "something changed", "ansible.builtin.debug": {"msg": "changed"}, "changed_when": True,
         "notify": "reboot phone"},
        handlers=[sysop_task(name="reboot phone", operation="reboot", wait=True)],
    ), inventory_for(phones, count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "reboot phone")["elapsed"] >= 1
    counters = phones.counters(0)
    assert counters["logins"] == 1 and "loginrealm" not in counters["by_endpoint"]


def test_wait_timeout_names_the_phone_and_the_last_answer(phones, tmp_path):
    run = run_playbook(tmp_path, play(sysop_task(operation="reboot", wait=True, wait_timeout=1)),
                       inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "sysop")
    assert result["changed"] is True and result["error_kind"] == "timeout"
    assert "127.0.0.1:%d" % phones.ports[0] in result["msg"]
    assert "did not answer again within 1 s after reboot (last answer: connection refused (rebooting))" in result["msg"]


# "reset" alone, not as "connection reset" or "factory reset": it would read like a factory reset.
BARE_RESET = re.compile(r"(?<!connection )(?<!factory )\breset\b")


def test_reboot_progress_says_connection_reset_never_the_bare_word(phones, tmp_path):
    # The first status poll that reaches the booted phone has its connection reset.
    phones.faults(0, {"fail_next": {"api-get_phone_status": ["reset"]}})
    run = run_playbook(tmp_path, play(sysop_task(operation="reboot", wait=True, poll_interval=0.2)),
                       inventory_for(phones, count=1))
    assert run.rc == 0, run
    progress = [line for line in run.stdout.splitlines() if line.startswith("[phone0]")]
    assert any(line.endswith("the phone answers: connection reset (rebooting)") for line in progress), run.stdout
    assert not [line for line in progress if BARE_RESET.search(line)], progress
    assert run.result("phone0", "sysop")["msg"].startswith("reboot done, the phone answered again after ")


def test_factory_reset_progress_says_factory_reset(phones, tmp_path):
    run = run_playbook(tmp_path, play(sysop_task(operation="reset", confirm=True, wait=True, poll_interval=0.2)),
                       inventory_for(phones, count=1))
    assert run.rc == 0, run
    progress = [line for line in run.stdout.splitlines() if line.startswith("[phone0]")]
    assert any(line.endswith("factory reset sent, waiting up to 300 s for the phone to answer again")
               for line in progress), run.stdout
    assert any("s after factory reset, the phone answers: connection refused (rebooting)" in line
               for line in progress), run.stdout
    assert not [line for line in progress if BARE_RESET.search(line)], progress
    assert run.result("phone0", "sysop")["msg"].startswith("factory reset done, the phone answered again after ")


def test_reset_without_confirm_is_refused_before_any_request(phones, tmp_path):
    run = run_playbook(tmp_path, play(sysop_task(operation="reset")), inventory_for(phones, count=1))
    assert run.rc != 0
    result = run.result("phone0", "sysop")
    assert "confirm: true" in result["msg"] and result["field"] == "confirm"
    assert result["changed"] is False
    assert phones.counters(0)["requests"] == 0


def test_reset_with_confirm_restores_factory_state(phones, tmp_path):
    phones.set_pvalues(0, {"P30": "ntp.example.org", "P196": "changed-user-pass"})
    factory = phones.state(1)
    run = run_playbook(tmp_path, play(sysop_task(operation="reset", confirm=True, wait=True)),
                       inventory_for(phones, count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "sysop")["changed"] is True
    state = phones.state(0)
    assert state["passwords"] == {"admin": "admin", "user": "123"}
    assert state["pvalues"]["P30"] == factory["pvalues"]["P30"]
    assert state["groups"] == factory["groups"] and state["contacts"] == []
    assert phones.counters(0)["by_endpoint"]["api-sys_operation"] == 1


def test_check_mode_never_acts(phones, tmp_path):
    run = run_playbook(tmp_path, play(sysop_task(operation="reset", confirm=True, wait=True)),
                       inventory_for(phones, count=1), "--check")
    assert run.rc == 0, run
    result = run.result("phone0", "sysop")
    assert result["changed"] is True and result["msg"] == "would factory reset"
    assert phones.counters(0)["requests"] == 0


def test_provision_needs_the_admin_user(phones, tmp_path):
    inventory = inventory_for(phones, count=1, extra_vars={"gs_username": "user", "gs_password": "123"})
    run = run_playbook(tmp_path, play(sysop_task(operation="provision")), inventory)
    assert run.rc != 0
    assert run.result("phone0", "sysop")["field"] == "operation"
    assert phones.counters(0)["requests"] == 0


def test_reboot_without_wait_does_not_poll(phones, tmp_path):
    run = run_playbook(tmp_path, play(sysop_task(operation="reboot")), inventory_for(phones, count=1))
    assert run.rc == 0, run
    result = run.result("phone0", "sysop")
    assert result["changed"] is True and "elapsed" not in result
    assert "api-get_phone_status" not in phones.counters(0)["by_endpoint"]


def test_check_mode_returns_the_request_it_would_send_and_sends_none(phones, tmp_path):
    run = run_playbook(tmp_path, play(sysop_task(operation="reboot")), inventory_for(phones, count=1),
                       "--check", "--diff")
    assert run.rc == 0, run
    result = run.result("phone0", "sysop")
    assert result["changed"] is True and result["commands"] == ["api-sys_operation REBOOT"]
    assert result["before"] == {} and result["after"] == result["diff"]["after"] == {"operation": "reboot"}
    assert phones.counters(0)["by_endpoint"].get("api-sys_operation", 0) == 0


@pytest.mark.dialect("current", reason="current firmware answers a user session HTTP 401 on an admin-only "
                                       "endpoint (current-firmware-notes.md); a guide-dialect phone reboots for it")
def test_reboot_as_user_on_current_firmware_names_the_admin_user(phones, tmp_path):
    inventory = inventory_for(phones, count=1, extra_vars={"gs_username": "user", "gs_password": "123"})
    run = run_playbook(tmp_path, play(sysop_task(operation="reboot")), inventory)
    assert run.rc != 0
    message = run.result("phone0", "sysop")["msg"]
    assert "api-sys_operation needs the admin user on this phone; the connection user 'user' has the user role" \
        in message, message
    counters = phones.counters(0)
    # The first 401 may be an expired session: one fresh login (accepted) tells, then the role in its answer.
    assert counters["logins"] == 2 and counters["failed_logins"] == 0
    assert counters["by_endpoint"]["api-sys_operation"] == 2 and counters["reboots"] == 0
