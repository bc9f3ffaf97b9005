"""Current-firmware answers (current-firmware-notes.md, written out by us under tests/fixtures/current/) replayed
to the client through a loopback server that answers as recorded (tests/helpers/replay_http.py).

Each test checks what a module would get from a real current-dialect handset: how the dialect is found
(without a login), the challenge login, config_get / config_update, the error shapes, dologout, and the
transport rules (same-origin Referer, Content-Length) the handsets enforce.
"""

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import firmware, info, pvalues
from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.dialect_current import CurrentDialect
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import SessionCache
from tests.helpers.replay_http import ReplayPhone, fixture

LOGIN = ("current/model_define", "current/access", "current/dologin")
NONCE = fixture("current/access")["answer"]["body"]
PASSWORD = "admin"


def client_for(phone, cache=None, memory=None, password=PASSWORD, dialect="auto"):
    conn = ConnectionParams(host="127.0.0.1", port=phone.port, protocol="http", password=password, retries=0,
                            timeout=5, firmware_dialect=dialect)
    return PhoneClient(conn, session_cache=cache, sleep=lambda seconds: None, login_memory=memory)


def forms(phone, endpoint):
    return [parse_qs(body) for unused_method, path, body in phone.requests if urlsplit(path).path.endswith(endpoint)]


def test_the_dialect_is_found_without_a_login():
    with ReplayPhone(*LOGIN) as phone:
        client = client_for(phone)
        assert client.dialect.name == "current"
        assert client.phone_facts() == {"model": "WP826", "vendor": "Grandstream"}
        assert phone.count("dologin") == 0 and phone.count("access") == 0
        assert [path for unused_method, path, unused_body in phone.requests] == ["/json/configs/model.define.js"]


@pytest.mark.parametrize("recorded", ["current/model_define", "current/model_define_1.0.1.87"])
def test_both_firmware_versions_model_define_answers_mean_current(recorded):
    with ReplayPhone(recorded) as phone:
        client = client_for(phone)
        assert client.dialect.name == "current" and client.phone_facts()["model"] == "WP826"


def test_a_phone_without_model_define_speaks_the_guide_dialect():
    # The replay server answers 404 to anything it has no recording for, as a guide-dialect phone does.
    with ReplayPhone("guide/dologin") as phone:
        client = client_for(phone)
        assert client.dialect.name == "guide" and client.phone_facts() == {}
        assert phone.count("dologin") == 0


def test_the_challenge_login_sends_hashes_never_the_password():
    with ReplayPhone(*LOGIN) as phone:
        client = client_for(phone)
        client.login()
        access, = forms(phone, "access")
        login, = forms(phone, "dologin")
        assert access == {"access": [hashlib.sha256(b"admin").hexdigest()]}
        assert login == {"username": ["admin"],
                         "password": [hashlib.sha256((PASSWORD + NONCE).encode()).hexdigest()]}
        assert all(PASSWORD not in body.split("&password=")[-1] for unused, unused_path, body in phone.requests
                   if body)
        assert client.sid == fixture("current/dologin")["answer"]["body"]["sid"]
        # The login answer identifies the phone: version and MAC, beside the model from model.define.js.
        assert client.phone_facts() == {"model": "WP826", "vendor": "Grandstream", "firmware": "1.0.3.35",
                                        "mac": "00:0B:82:12:34:56"}
        assert ("sid", client.sid) in client.session.cookies.items()


def test_config_get_maps_unknown_keys_to_absent_never_to_empty():
    with ReplayPhone(*LOGIN, "current/config_get") as phone:
        client = client_for(phone)
        values = client.get_values(["P1413", "P22234", "P334", ":dnd", "AccountRegistered1", "sp_vol"])
        reads = [path for unused, path, unused_body in phone.requests if "config_get" in path]
        assert reads == ["/cgi-bin/config_get?pvalues=1413,22234,334,:dnd,AccountRegistered1,sp_vol"]
        # 22234 came back with alias "" and value "": the phone does not have it (read as "", as for a key a
        # guide-dialect phone leaves out of its answer); the others are the phone's values.
        assert values == {"P1413": "0", "P22234": "", "P334": "60", ":dnd": "0", "AccountRegistered1": "1",
                          "sp_vol": "8"}
        # The current dialect says session-expired itself: no MAC probe rides along with the read.
        assert "67" not in reads[0]


def test_gs_pvalues_reports_a_key_the_phone_does_not_have_as_dropped_not_as_written():
    with ReplayPhone(*LOGIN, "current/config_get", "current/config_update") as phone:
        client = client_for(phone)
        with pytest.raises(PhoneError) as raised:
            pvalues.run(client, {"values": {"P22234": "5", "P334": "60"}}, check_mode=False)
        assert raised.value.message.startswith("1 of 1 written value(s) did not stick")
        assert raised.value.details["not_applied"] == ["P22234"] and raised.value.details["applied"] == []
        update, = [json.loads(body) for method, unused_path, body in phone.requests if method == "PUT"]
        # Only the value that differs is written; P334 already is 60.
        assert update == {"alias": {}, "pvalue": {"22234": "5"}}


def test_gs_pvalues_sees_a_phone_in_the_desired_state_as_unchanged():
    with ReplayPhone(*LOGIN, "current/config_get") as phone:
        result = pvalues.run(client_for(phone), {"values": {"P1413": "0", "P334": "60"}}, check_mode=False)
        assert result["changed"] is False and result["changes"] == {}
        assert phone.count("config_update") == 0
        # The firmware gs_health judges comes from the login answer and model.define.js (config_get lacks P68).
        assert result["firmware"] == {"version": "1.0.3.35", "model": "WP826", "hardware_revision": ""}


def test_a_config_update_is_journaled_by_field_names_only():
    with ReplayPhone(*LOGIN, "current/config_update") as phone:
        client = client_for(phone)
        client.post_values({"P334": "70"})
        assert client.writes == ["config_update (P334)"]


def test_session_expired_on_config_get_logs_in_again_once():
    with ReplayPhone(*LOGIN, "current/config_get_expired", "current/config_get") as phone:
        client = client_for(phone)
        assert client.get_values(["P334"]) == {"P334": "60"}
        assert client.stats["relogins"] == 1
        assert phone.count("dologin") == 2 and phone.count("access") == 2
        assert phone.count("model.define.js") == 1  # the dialect is not detected again for a re-login


def test_an_html_401_on_an_api_endpoint_logs_in_again_once():
    with ReplayPhone(*LOGIN, "current/line_status_401", "current/get_line_status") as phone:
        lines = info.read_lines(client_for(phone))
        assert [line["state_name"] for line in lines] == ["in_call", "idle"]
        assert phone.count("dologin") == 2
        # Sent as the captures show: a form POST for all lines, with the sid as a field.
        assert all(form["line"] == ["-1"] and form["sid"] for form in forms(phone, "api-get_line_status"))


def test_a_wrong_password_costs_one_login_and_is_never_sent_again(tmp_path):
    memory = LoginMemory(persistent=str(tmp_path))
    with ReplayPhone("current/model_define", "current/access", "current/dologin_wrong") as phone:
        with pytest.raises(PhoneError) as first:
            client_for(phone, memory=memory, password="wrong-secret").login()
        assert first.value.kind == "auth" and first.value.attempts_left == 4
        assert "wrong-secret" not in str(first.value)
        for unused_run in range(2):
            with pytest.raises(PhoneError) as again:
                client_for(phone, memory=LoginMemory(persistent=str(tmp_path)), password="wrong-secret").login()
            assert again.value.kind == "auth"
        assert phone.count("dologin") == 1


@pytest.mark.parametrize("recorded, kind", [("current/dologin_locked", "locked"),
                                            ("current/dologin_not_allowed", "auth")])
def test_refusals_have_the_guide_dialects_shapes(recorded, kind, tmp_path):
    with ReplayPhone("current/model_define", "current/access", recorded) as phone:
        with pytest.raises(PhoneError) as raised:
            client_for(phone, memory=LoginMemory(persistent=str(tmp_path))).login()
        assert raised.value.kind == kind and phone.count("dologin") == 1


def test_every_post_and_put_carries_a_same_origin_referer_and_a_length():
    with ReplayPhone(*LOGIN, "current/config_get", "current/config_update", "current/get_phone_status",
                     "current/dologout") as phone:
        client = client_for(phone)
        client.post_values({"P334": "70"})
        info.run(client, {"gather_subset": ["status"], "pvalues": []}, check_mode=False)
        client.close()
        writes = [(method, path, headers) for method, path, unused, headers in phone.exchanges()
                  if method in ("POST", "PUT")]
        assert {urlsplit(path).path.rsplit("/", 1)[-1] for unused, path, unused_headers in writes} == {
            "access", "dologin", "config_update", "api-get_phone_status", "dologout"}
        for unused_method, unused_path, headers in writes:
            assert headers["Referer"] == "http://127.0.0.1:%d/" % phone.port
            assert headers["Content-Length"].isdigit()
        logout, = [headers for unused, path, headers in writes if path.endswith("dologout")]
        assert logout["Content-Length"] == "0"


def test_without_a_session_cache_the_session_is_ended_with_dologout():
    with ReplayPhone(*LOGIN, "current/config_get", "current/dologout") as phone:
        client = client_for(phone)
        client.get_values(["P334"])
        client.close()
        assert phone.count("dologout") == 1


def test_a_cached_session_brings_its_dialect_and_facts_and_is_not_logged_out(tmp_path):
    cache = SessionCache(str(tmp_path / "sessions"))
    with ReplayPhone(*LOGIN, "current/config_get", "current/dologout") as phone:
        first = client_for(phone, cache=cache)
        first.get_values(["P334"])
        first.close()
        second = client_for(phone, cache=cache)
        assert second.get_values(["P334"]) == {"P334": "60"}
        assert second.dialect.name == "current"
        assert second.phone_facts()["firmware"] == "1.0.3.35"
        second.close()
        assert phone.count("model.define.js") == 1 and phone.count("dologin") == 1
        assert phone.count("dologout") == 0


def test_gs_info_and_gs_firmware_read_version_and_model_from_the_login_answer():
    with ReplayPhone(*LOGIN, "current/config_get") as phone:
        system = info.run(client_for(phone), {"gather_subset": ["system"], "pvalues": []}, check_mode=False)["system"]
        assert system["firmware"] == "1.0.3.35" and system["model"] == "WP826" and system["mac"] == "00:0B:82:12:34:56"
        version, model, unused_hardware = firmware._read(client_for(phone))
        assert (version, model) == ("1.0.3.35", "WP826")


def test_gs_info_returns_the_aliases_the_phone_named_and_only_those():
    with ReplayPhone(*LOGIN, "current/config_get") as phone:
        result = info.run(client_for(phone), {"gather_subset": [], "pvalues": [
            "lcd.backlight.timeout", "P22234", "display.backlight_brightness"]}, check_mode=False)
    # The values keep the names they were asked by; the phone's own names come beside them, by P-number.
    assert result["pvalues"] == {"lcd.backlight.timeout": "0", "P22234": "", "display.backlight_brightness": "60"}
    # 22234 came back with alias "": the phone does not have it, so it has no name to learn.
    assert result["grandstream_aliases"] == {"P1413": "lcd.backlight.timeout",
                                             "P334": "lcd.backlight.brightness.active"}


def test_a_dialect_given_by_the_option_is_trusted_without_a_probe():
    with ReplayPhone(*LOGIN) as phone:
        client = client_for(phone, dialect="guide")
        assert client.dialect.name == "guide"
        assert phone.count("model.define.js") == 0


def test_the_current_dialect_forced_on_a_guide_phone_says_so_without_a_login():
    with ReplayPhone("guide/dologin") as phone:
        with pytest.raises(PhoneError) as raised:
            client_for(phone, dialect="current").login()
        assert "does not speak the current firmware dialect" in raised.value.message
        assert phone.count("dologin") == 0


def test_a_cached_current_session_on_a_phone_now_speaking_the_guide_dialect_is_redone_in_the_guide_one(tmp_path):
    cache = SessionCache(str(tmp_path / "sessions"))
    with ReplayPhone("guide/dologin", "guide/values_get") as phone:
        # What a play left behind before this phone's firmware went back to the guide dialect.
        cache.store("http://127.0.0.1:%d" % phone.port, "admin", PASSWORD, "old-sid", {}, dialect="current",
                    facts={"firmware": "1.0.3.35"})
        client = client_for(phone, cache=cache)
        assert client.get_values(["P68"]) == {"P68": "11.16.8.20"}
        paths = [urlsplit(path).path.rsplit("/", 1)[-1] for unused, path, unused_body in phone.requests]
        # config_get is unknown: the dialect is detected again (no login), then one forms login in the guide one.
        assert paths[:3] == ["config_get", "model.define.js", "dologin"]
        assert client.dialect.name == "guide" and "firmware" not in client.phone_facts()
        assert phone.count("dologin") == 2  # the guide example lacks the MAC: its session recheck, as in guide


def test_the_login_answers_role_names_the_sessions_role():
    # The notes: role is sha256(role_name + sid); the client names a 401 after a fresh user login by it.
    body = fixture("current/dologin")["answer"]["body"]
    dialect = CurrentDialect()
    assert dialect.session_role(body["role"], body["sid"]) == "admin"
    user_role = hashlib.sha256(("user" + body["sid"]).encode()).hexdigest()
    assert dialect.session_role(user_role, body["sid"]) == "user"
    assert dialect.session_role(body["role"], "0" * 64) is None and dialect.session_role(None, body["sid"]) is None
