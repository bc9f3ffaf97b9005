"""Recorded answers of real phones (the guide's examples, current-firmware-notes.md) fed to the client and
the engines through a loopback server that replays them as they are (tests/helpers/replay_http.py).

These are the closest thing to a real phone the suite has: a change that breaks one of them breaks a phone.
Current-firmware answers are replayed behind the guide's forms login (the current dialect's challenge login
is not in the client yet), so they check how the answers are read, not how the session was opened.
"""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import call, info, lines
from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from tests.helpers.replay_http import ReplayPhone, fixture

LOGIN = "guide/dologin"


def client_for(phone):
    conn = ConnectionParams(host="127.0.0.1", port=phone.port, protocol="http", password="admin", retries=0,
                            timeout=5)
    return PhoneClient(conn, sleep=lambda seconds: None)


def info_of(phone, *subsets):
    return info.run(client_for(phone), {"gather_subset": list(subsets), "pvalues": []}, check_mode=False)


def test_the_guides_values_example_is_read_and_asked_for_with_bare_numbers():
    with ReplayPhone(LOGIN, "guide/values_get") as phone:
        client = client_for(phone)
        values = client.get_values(["P68", "P1561", "P7033", "vendor_name", "hw_rev"])
        assert values == {"P68": "11.16.8.20", "P1561": "", "P7033": "1.0.1.7", "vendor_name": "Grandstream",
                          "hw_rev": "V2.2A"}
        reads = [path for method, path, unused in phone.requests if "values.get" in path]
        assert reads[0].endswith("?request=67:68:1561:7033:vendor_name:hw_rev")
        # The example does not carry the session probe (the MAC, 67): the client rechecks its session once
        # with a fresh login, finds the MAC still absent and stops probing; it never loops.
        assert phone.count("dologin") == 2 and client.stats["relogins"] == 1
        client.get_values(["P68"])
        assert phone.count("dologin") == 2


def test_gs_info_system_from_the_guides_example():
    with ReplayPhone(LOGIN, "guide/values_get") as phone:
        result = info_of(phone, "system")
    assert result["system"] == {"model": "", "firmware": "11.16.8.20", "mac": "", "vendor": "Grandstream",
                                "hw_rev": "V2.2A"}
    # The guide's api-values.get answer names no value: gs_info has no Grandstream aliases to return.
    assert "grandstream_aliases" not in result


@pytest.mark.parametrize("dialect, expected", [
    ("guide", [(1, "ringing", ""), (2, "calling", ""), (3, "calling", ""), (4, "failed", "")]),
    ("current", [(1, "in_call", "+15555550100"), (2, "idle", "")]),
])
def test_line_states_of_both_dialects_read_into_one_model(dialect, expected):
    with ReplayPhone(LOGIN, dialect + "/get_line_status") as phone:
        lines = info_of(phone, "lines")["lines"]
    assert [(line["line"], line["state_name"], line["number"]) for line in lines] == expected


def test_a_call_on_a_current_firmware_line_is_seen_in_call():
    with ReplayPhone(LOGIN, "current/get_line_status") as phone:
        watch = call.LineWatch("in_call", line=1)
        reached, answer, entry = watch.judge(lines.read_lines(client_for(phone)))
    assert reached and answer == "line 1 is in_call" and entry["name"] == "+15555550100"


@pytest.mark.parametrize("dialect", ["guide", "current"])
def test_phone_status_and_accounts_of_both_dialects(dialect):
    with ReplayPhone(LOGIN, dialect + "/get_phone_status", dialect + "/get_accounts") as phone:
        result = info_of(phone, "status", "accounts")
    assert result["status"] == {"status": "available", "misc": "0"}
    assert result["accounts"] == fixture(dialect + "/get_accounts")["answer"]["body"]
    assert [account["id"] for account in result["accounts"]] == [1, 2]


def test_status_unauthorized_then_available_logs_in_again_once():
    with ReplayPhone(LOGIN, "guide/get_phone_status_unauthorized", "guide/get_phone_status") as phone:
        client = client_for(phone)
        status = info.run(client, {"gather_subset": ["status"], "pvalues": []}, check_mode=False)["status"]
        assert status == {"status": "available", "misc": "0"}
        assert phone.count("dologin") == 2 and client.stats["relogins"] == 1


def test_status_unauthorized_right_after_a_login_is_an_error_not_a_status():
    with ReplayPhone(LOGIN, "guide/get_phone_status_unauthorized") as phone:
        with pytest.raises(PhoneError) as raised:
            info_of(phone, "status")
        assert raised.value.kind == "session" and phone.count("dologin") == 2


def test_the_guides_phone_operation_answer_is_a_handled_operation():
    with ReplayPhone(LOGIN, "guide/phone_operation") as phone:
        client = client_for(phone)
        client.login()
        call.operate(client, "end", 1)
        assert client.writes == ["api-phone_operation (cmd, line)"]
        assert phone.count("api-phone_operation") == 1
