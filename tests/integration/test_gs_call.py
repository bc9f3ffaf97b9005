"""gs_call end to end: real ansible-playbook against the emulator's call lines."""


import pytest

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures


def call_task(name, **options):
    return {"name": name, "grandstream.phone.gs_call": options, "register": name}


phones, factory_phones = emulator_fixtures(count=1)


def line_state(phones, line):
    return next(entry["state"] for entry in phones.state(0)["lines"] if entry["line"] == line)


def test_dial_wait_hold_and_end(phones, tmp_path):
    phones.register_account(0)
    run = run_playbook(tmp_path, play(
        call_task("dial", number="+4930123", account=0, wait_for="in_call"),
        call_task("hold", operation="hold", line="{{ dial.line }}"),
        call_task("end", operation="end", line="{{ dial.line }}", wait_for="idle"),
    ), inventory_for(phones))
    assert run.rc == 0, run
    dial = run.result("phone0", "dial")
    assert dial["changed"] is True and dial["line"] == 1
    assert dial["line_status"]["state_name"] == "in_call" and dial["line_status"]["number"] == "+4930123"
    assert run.result("phone0", "hold")["changed"] is True
    end = run.result("phone0", "end")
    assert end["line_status"]["state_name"] == "idle" and end["line"] == 1
    assert line_state(phones, 1) == "0"
    counters = phones.counters(0)
    assert counters["by_endpoint"]["api-make_call"] == 1 and counters["by_endpoint"]["api-phone_operation"] == 2
    # The line-status read opened a forms session first; the call endpoints reused it: one login in all.
    assert counters["logins"] == 1 and "loginrealm" not in counters["by_endpoint"]


def test_hold_is_visible_on_the_phone(phones, tmp_path):
    phones.register_account(0)
    run = run_playbook(tmp_path, play(
        call_task("dial", number="100", wait_for="in_call"),
        call_task("hold", operation="hold", line="{{ dial.line }}"),
    ), inventory_for(phones))
    assert run.rc == 0, run
    assert line_state(phones, run.result("phone0", "dial")["line"]) == "5"


@pytest.mark.dialect("guide", reason="the guide's password-token login (loginrealm + login); current firmware "
                                     "has one login, test_dial_wait_hold_and_end counts it")
def test_dial_without_wait_uses_the_token_login(phones, tmp_path):
    run = run_playbook(tmp_path, play(call_task("dial", number="100")), inventory_for(phones))
    assert run.rc == 0, run
    assert run.result("phone0", "dial")["changed"] is True
    counters = phones.counters(0)
    assert counters["by_endpoint"]["loginrealm"] == 1 and counters["by_endpoint"]["login"] == 1
    assert "dologin" not in counters["by_endpoint"]


@pytest.mark.dialect("current", reason="current firmware has no token login: the dial uses its one challenge login")
def test_dial_without_wait_on_current_firmware_uses_the_one_login(phones, tmp_path):
    run = run_playbook(tmp_path, play(call_task("dial", number="100")), inventory_for(phones))
    assert run.rc == 0, run
    assert run.result("phone0", "dial")["changed"] is True
    counters = phones.counters(0)
    assert counters["logins"] == 1 and counters["failed_logins"] == 0
    assert counters["by_endpoint"]["access"] == 1 and counters["by_endpoint"]["dologin"] == 1
    assert "loginrealm" not in counters["by_endpoint"] and "login" not in counters["by_endpoint"]


def test_incoming_call_is_accepted(phones, tmp_path):
    line = phones.incoming_call(0, number="200", name="Front desk")
    run = run_playbook(tmp_path, play(
        call_task("ringing", line=line, wait_for="ringing"),
        call_task("accept", operation="accept", line=line, wait_for="in_call"),
    ), inventory_for(phones))
    assert run.rc == 0, run
    ringing = run.result("phone0", "ringing")
    assert ringing["changed"] is False and ringing["line_status"]["name"] == "Front desk"
    assert run.result("phone0", "accept")["line_status"]["state_name"] == "in_call"
    assert line_state(phones, line) == "4"


def test_incoming_call_is_rejected(phones, tmp_path):
    line = phones.incoming_call(0, number="200")
    run = run_playbook(tmp_path, play(call_task("reject", operation="reject", line=line, wait_for="idle")),
                       inventory_for(phones))
    assert run.rc == 0, run
    assert line_state(phones, line) == "0"


def test_invalid_line_is_a_clear_error_naming_the_option(phones, tmp_path):
    run = run_playbook(tmp_path, play(call_task("end", operation="end", line=99)), inventory_for(phones))
    assert run.rc != 0
    result = run.result("phone0", "end")
    assert "rejected 'end' on line 99 (Invalid Request): check line" in result["msg"]
    assert result["error_kind"] == "invalid_request"


def test_waiting_on_a_line_the_phone_lacks_lists_its_lines(phones, tmp_path):
    run = run_playbook(tmp_path, play(call_task("wait", line=99, wait_for="ringing")), inventory_for(phones))
    assert run.rc != 0
    result = run.result("phone0", "wait")
    assert "line 99 does not exist on this phone (it has lines 1, 2" in result["msg"] and result["field"] == "line"


def test_accepting_a_line_that_does_not_ring_is_refused(phones, tmp_path):
    run = run_playbook(tmp_path, play(call_task("accept", operation="accept", line=1)), inventory_for(phones))
    assert run.rc != 0
    assert "check line" in run.result("phone0", "accept")["msg"]


def test_wait_timeout_reports_the_last_state(phones, tmp_path):
    run = run_playbook(tmp_path, play(call_task("wait", line=1, wait_for="ringing", wait_timeout=1)),
                       inventory_for(phones))
    assert run.rc != 0
    result = run.result("phone0", "wait")
    assert "line 1 did not reach ringing within 1 s (last: line 1 is idle)" in result["msg"]
    assert result["changed"] is False and result["error_kind"] == "timeout"


BAD_OPTIONS = [
    ({"number": "12-34"}, "number '12-34' can only contain digits"),
    ({"number": "sip:100@pbx"}, "can only contain digits"),
    ({"number": "100", "operation": "end"}, "mutually exclusive: number|operation"),
    ({"number": "100", "line": 1}, "mutually exclusive: number|line"),
    ({"operation": "end"}, "missing parameter(s) required by 'operation': line"),
    ({"account": 1, "operation": "end", "line": 1}, "required by 'account': number"),
    ({"line": -1, "operation": "end"}, "line must be 0 or more"),
    ({}, "one of the following is required: number, operation, wait_for"),
    ({"wait_for": "idle"}, "line is required to wait on an existing call"),
]


def test_bad_options_are_refused_before_any_request(phones, tmp_path):
    tasks = [dict(call_task("bad%d" % index, **options), ignore_errors=True)
             for index, (options, unused_message) in enumerate(BAD_OPTIONS)]
    run = run_playbook(tmp_path, play(*tasks), inventory_for(phones))
    assert run.rc == 0, run
    for index, (options, message) in enumerate(BAD_OPTIONS):
        result = run.result("phone0", "bad%d" % index)
        assert result["_status"] == "failed" and message in result["msg"], (options, result["msg"])
    assert phones.counters(0)["requests"] == 0


def test_check_mode_never_acts(phones, tmp_path):
    run = run_playbook(tmp_path, play(call_task("dial", number="100", wait_for="in_call")), inventory_for(phones),
                       "--check")
    assert run.rc == 0, run
    result = run.result("phone0", "dial")
    assert result["changed"] is True and result["msg"] == "would dial 100 on account 0"
    assert phones.counters(0)["requests"] == 0


@pytest.mark.parametrize("operation", ["end", "hold"])
def test_an_operation_the_phone_does_not_handle_fails_and_changes_nothing(phones, tmp_path, operation):
    """The phone answers success without body "true" on a line with no call: not done, not changed."""
    run = run_playbook(tmp_path, play(call_task("op", operation=operation, line=1)), inventory_for(phones))
    assert run.rc != 0
    result = run.result("phone0", "op")
    assert result["changed"] is False and result["error_kind"] == "not_handled"
    assert "did not handle '%s' on line 1" % operation in result["msg"]
    assert phones.counters(0)["by_endpoint"]["api-phone_operation"] == 1


def test_a_call_on_an_unregistered_account_fails_while_waiting(phones, tmp_path):
    """A factory phone has no registered account: the call is placed, its line goes to state 8 (failed)."""
    run = run_playbook(tmp_path, play(call_task("dial", number="100", wait_for="in_call")), inventory_for(phones))
    assert run.rc != 0
    result = run.result("phone0", "dial")
    assert "the call on line 1 failed while waiting for in_call" in result["msg"]
    # The dial reached the phone: reported as applied, not hidden.
    assert result["changed"] is True and result["applied"] == ["dial 100 on account 0"]
    assert line_state(phones, 1) == "8"
