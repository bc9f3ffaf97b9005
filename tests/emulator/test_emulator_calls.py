"""Accounts, lines, calls, phone status and time."""

from __future__ import annotations

import re
import time

import pytest

from tests.helpers.phone_http import forms_login

INVALID = {"response": "error", "body": "Invalid Request"}


def call(session, emulator, endpoint, index=0, **params):
    return session.get(emulator.url(index, endpoint), params=params).json()


def test_accounts_follow_pvalues(fresh_phones, admin):
    accounts = call(admin, fresh_phones, "api-get_accounts")
    assert accounts["response"] == "success"
    assert [a["id"] for a in accounts["body"]] == [1, 2, 3, 4, 5, 6]
    assert all(a["reg"] == 0 for a in accounts["body"])
    admin.post(fresh_phones.url(0, "api.values.post"),
               data={"P271": "1", "P47": "pbx.example.com", "P35": "1001", "P3": "Front desk"})
    first = call(admin, fresh_phones, "api-get_accounts")["body"][0]
    assert first == {"id": 1, "sip_server": "pbx.example.com", "sip_id": "1001", "name": "Front desk", "reg": 1}
    assert [a["id"] for a in call(admin, fresh_phones, "api-get_accounts", registered="true")["body"]] == [1]


def test_make_call_goes_calling_then_in_call_and_ends(fresh_phones, admin):
    fresh_phones.register_account(0, 1)
    assert call(admin, fresh_phones, "api-get_phone_status") == {"response": "success", "body": "available", "misc": "0"}
    assert call(admin, fresh_phones, "api-make_call", phonenumber="1002", account="0") == {"response": "success", "body": ""}
    line = call(admin, fresh_phones, "api-get_line_status", line="1")["body"]
    # "3" (calling) unless this read came more than 0.5 s after dialling, on a very loaded machine.
    assert line[0]["state"] in ("3", "4")
    assert line == [{"line": 1, "state": line[0]["state"], "acct": "0", "name": "", "number": "1002", "active": 1}]
    assert call(admin, fresh_phones, "api-get_phone_status")["body"] == "busy"
    deadline = time.monotonic() + 10
    while call(admin, fresh_phones, "api-get_line_status", line="1")["body"][0]["state"] != "4":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert call(admin, fresh_phones, "api-phone_operation", cmd="holdcall", line="1") == {"response": "success", "body": "true"}
    assert call(admin, fresh_phones, "api-get_line_status", line="1")["body"][0]["state"] == "5"
    assert call(admin, fresh_phones, "api-phone_operation", cmd="endcall", line="1")["body"] == "true"
    assert call(admin, fresh_phones, "api-get_line_status", line="1")["body"][0]["state"] == "0"


def test_second_call_takes_the_next_idle_line(fresh_phones, admin):
    fresh_phones.register_account(0, 1)
    fresh_phones.register_account(0, 2)
    call(admin, fresh_phones, "api-make_call", phonenumber="1", account="0")
    call(admin, fresh_phones, "api-make_call", phonenumber="2", account="1")
    states = [line["state"] for line in call(admin, fresh_phones, "api-get_line_status")["body"]]
    assert states[:2] in (["3", "3"], ["4", "4"], ["4", "3"]) and states[2:] == ["0", "0"]


def test_bad_call_parameters_are_invalid_requests(fresh_phones, admin):
    assert call(admin, fresh_phones, "api-make_call", account="0") == INVALID
    assert call(admin, fresh_phones, "api-make_call", phonenumber="abc", account="0") == INVALID
    assert call(admin, fresh_phones, "api-make_call", phonenumber="100", account="9") == INVALID
    assert call(admin, fresh_phones, "api-phone_operation", cmd="dance", line="1") == INVALID
    assert call(admin, fresh_phones, "api-phone_operation", cmd="endcall", line="9") == INVALID
    assert call(admin, fresh_phones, "api-get_line_status", line="5") == INVALID
    assert call(admin, fresh_phones, "api-get_line_status", line="x") == INVALID


def test_wp820_has_two_lines(emulator_factory):
    emulator = emulator_factory(count=1, extra_args=["--models", "WP820"])
    session = forms_login(emulator, 0)
    assert len(call(session, emulator, "api-get_line_status")["body"]) == 2


def test_incoming_call_ring_accept_and_reject(fresh_phones, admin):
    assert fresh_phones.incoming_call(0, number="2000", name="Alice") == 1
    assert call(admin, fresh_phones, "api-get_phone_status")["body"] == "ringing"
    line = call(admin, fresh_phones, "api-get_line_status", line="1")["body"][0]
    assert (line["state"], line["number"], line["name"]) == ("2", "2000", "Alice")
    assert call(admin, fresh_phones, "api-phone_operation", cmd="acceptcall", line="1")["body"] == "true"
    assert call(admin, fresh_phones, "api-get_line_status", line="1")["body"][0]["state"] == "4"
    assert fresh_phones.incoming_call(0, number="3000", line=3) == 3
    assert call(admin, fresh_phones, "api-phone_operation", cmd="rejectcall", line="3")["body"] == "true"
    assert call(admin, fresh_phones, "api-get_line_status", line="3")["body"][0]["state"] == "0"


def test_phone_status_needs_no_login(fresh_phones, http):
    assert http.get(fresh_phones.url(1, "api-get_phone_status")).json() == {
        "response": "success", "body": "available", "misc": "0"}


def test_get_time_shape(fresh_phones, admin):
    answer = call(admin, fresh_phones, "api-get_time")
    assert set(answer) == {"date", "time", "uptime"}
    assert re.fullmatch(r"[A-Z][a-z]{2} \d\d/\d\d/\d{4}", answer["date"])
    assert re.fullmatch(r" \d\d:\d\d", answer["time"])  # P122=1: 24-hour clock
    assert re.fullmatch(r" \d+ days?, \d+ hours?, \d+ minutes?, \d+seconds", answer["uptime"])
    admin.post(fresh_phones.url(0, "api.values.post"), data={"P122": "0"})
    assert re.fullmatch(r" \d\d:\d\d[AP]M", call(admin, fresh_phones, "api-get_time")["time"])


@pytest.mark.parametrize("cmd", ["endcall", "holdcall", "acceptcall", "rejectcall"])
def test_an_operation_on_a_line_without_a_call_is_not_handled(fresh_phones, admin, cmd):
    """The guide's success is body "true"; an idle line answers success without it, so a client that
    trusts "response" alone reports a call ended (or held) that never was."""
    answer = call(admin, fresh_phones, "api-phone_operation", cmd=cmd, line="1")
    assert answer == {"response": "success", "body": "false"}
    assert fresh_phones.state(0)["lines"][0]["state"] == "0"


def test_a_call_on_an_unregistered_account_fails_on_its_line(fresh_phones, admin):
    """Answered like any placed call; only the line (state 8) tells, until it is ended."""
    fresh_phones.register_account(0, 1)
    answer = call(admin, fresh_phones, "api-make_call", phonenumber="100", account="1")
    assert answer == {"response": "success", "body": ""}
    line = call(admin, fresh_phones, "api-get_line_status", line="1")["body"][0]
    assert (line["state"], line["active"], line["number"]) == ("8", 0, "100")
    assert call(admin, fresh_phones, "api-phone_operation", cmd="endcall", line="1")["body"] == "true"
    assert call(admin, fresh_phones, "api-get_line_status", line="1")["body"][0]["state"] == "0"
