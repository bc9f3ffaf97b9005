"""The current dialect (current-firmware-notes.md) over real HTTP: each strictness has a test here that a
friendlier client (or a friendlier emulator) would fail. Phone 0 speaks the guide dialect, phone 1 the
current one (`--firmware mixed`: even indices guide, odd current)."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

import pytest
import requests

from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.phone_http import (
    current_http_session,
    current_login,
    current_nonce,
    forms_login,
    new_http_session,
    origin,
    sha256_hex,
)

phones, factory_phones = emulator_fixtures(count=2, firmware="mixed")

GUIDE, CURRENT = 0, 1
INVALID = {"response": "error", "body": "Invalid Request"}
SESSION_EXPIRED = {"response": "error", "body": {"status": "session-expired"}}


def probe_url(phones, index):
    return origin(phones, index) + "/json/configs/model.define.js"


def config_get(session, phones, keys):
    return session.get(phones.url(CURRENT, "config_get"), params={"pvalues": ",".join(keys)}).json()


def values_of(answer):
    return {entry["pvalue"]: entry["value"] for entry in answer["configs"]}


def raw_request(phones, index, method, endpoint, headers, body=None):
    """One request through http.client, which sends exactly the headers given (no Content-Length unless
    asked for): (status, body text)."""
    target = urlsplit(phones.url(index, endpoint))
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    try:
        connection.putrequest(method, target.path)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


# fleet and control -------------------------------------------------------------------------
def test_mixed_fleet_alternates_dialects_by_index(phones):
    assert [phone["dialect"] for phone in phones.phones()] == ["guide", "current"]
    assert phones.dialect(CURRENT) == {"dialect": "current", "firmware": "1.0.3.35", "model": "GXV3380"}
    assert phones.dialect(GUIDE)["firmware"] == "1.0.3.48"  # the GXV3370's guide-era firmware
    assert phones.state(CURRENT)["dialect"] == "current"


def test_control_api_reflashes_a_phone_until_the_next_reset(phones):
    admin = forms_login(phones, GUIDE)
    assert phones.set_dialect(GUIDE, "current")["firmware"] == "1.0.3.35"
    # The reflash ended the guide session, and the guide's endpoints are gone.
    assert admin.get(phones.url(GUIDE, "api-values.get"), params={"request": "68"}).status_code == 404
    assert current_login(phones, GUIDE).login_body["ver"] == "1.0.3.35"
    assert phones.set_dialect(GUIDE, version="1.0.1.87")["dialect"] == "current"
    phones.reset(GUIDE)
    assert phones.dialect(GUIDE)["dialect"] == "guide"
    assert new_http_session().get(probe_url(phones, GUIDE)).status_code == 404


def test_control_api_refuses_an_unknown_dialect_or_version(phones):
    for body in ({"dialect": "newest"}, {"version": "latest"}, {"dialect": "current", "model": "WP826"}):
        with pytest.raises(Exception, match="HTTP 400"):
            phones.control("POST", f"/phones/{CURRENT}/dialect", body)
    assert phones.dialect(CURRENT)["firmware"] == "1.0.3.35"


# login -------------------------------------------------------------------------------------
def test_challenge_login_answers_sid_hashed_role_version_and_mac(phones):
    session = current_login(phones, CURRENT)
    body = session.login_body
    assert re.fullmatch(r"[0-9a-f]{64}", body["sid"])
    assert body["role"] == sha256_hex("admin" + body["sid"]) and body["role"] != "admin"
    assert body["ver"] == "1.0.3.35" and body["mac"] == phones.state(CURRENT)["mac"]
    assert re.fullmatch(r"([0-9A-F]{2}:){5}[0-9A-F]{2}", body["mac"])
    assert body["defaultAuth"] is False and body["defaultLogin"] is False
    assert session.cookies["sid"] == body["sid"]
    user = current_login(phones, CURRENT, "user").login_body
    assert user["role"] == sha256_hex("user" + user["sid"])
    counters = phones.counters(CURRENT)
    assert (counters["logins"], counters["failed_logins"], counters["challenges"]) == (2, 0, 2)


def test_access_is_not_a_login_attempt(phones):
    session = current_http_session(phones, CURRENT)
    for unused in range(7):  # more than the five attempts a lockout allows
        current_nonce(session, phones, CURRENT)
    counters = phones.counters(CURRENT)
    assert (counters["challenges"], counters["logins"], counters["failed_logins"]) == (7, 0, 0)
    assert phones.state(CURRENT)["lock"]["attempts_left"] == 5
    assert current_login(phones, CURRENT).sid


def test_access_for_an_unknown_user_or_upper_case_hex_gets_no_nonce(phones):
    session = current_http_session(phones, CURRENT)
    for hashed in (sha256_hex("nobody"), sha256_hex("admin").upper(), "admin"):
        assert session.post(phones.url(CURRENT, "access"), data={"access": hashed}).json() == INVALID
    assert phones.counters(CURRENT)["failed_logins"] == 0


def test_a_reused_nonce_is_refused_and_costs_a_failed_login(phones):
    session = current_http_session(phones, CURRENT)
    nonce = current_nonce(session, phones, CURRENT)
    login = {"username": "admin", "password": sha256_hex("admin" + nonce)}
    assert session.post(phones.url(CURRENT, "dologin"), data=login).json()["response"] == "success"
    assert session.post(phones.url(CURRENT, "dologin"), data=login).json() == {"response": "error", "body": "wrong4"}
    assert phones.counters(CURRENT)["failed_logins"] == 1
    assert phones.state(CURRENT)["lock"]["failures"] == 1


def test_a_lost_dologin_answer_was_acted_on_the_nonce_is_used_up_and_the_session_lives(phones):
    # fail_next "lost": the phone handles the request, then drops the connection instead of answering.
    phones.faults(CURRENT, {"fail_next": {"dologin": ["lost"]}})
    session = current_http_session(phones, CURRENT)
    nonce = current_nonce(session, phones, CURRENT)
    login = {"username": "admin", "password": sha256_hex("admin" + nonce)}
    with pytest.raises(requests.ConnectionError):
        session.post(phones.url(CURRENT, "dologin"), data=login)
    assert phones.counters(CURRENT)["logins"] == 1  # it was a login the phone counted
    assert session.post(phones.url(CURRENT, "dologin"), data=login).json() == {"response": "error", "body": "wrong4"}


def test_only_the_latest_nonce_of_a_user_is_good_and_nonces_are_bound_to_their_user(phones):
    session = current_http_session(phones, CURRENT)
    first = current_nonce(session, phones, CURRENT)
    current_nonce(session, phones, CURRENT)
    stale = session.post(phones.url(CURRENT, "dologin"),
                         data={"username": "admin", "password": sha256_hex("admin" + first)}).json()
    assert stale == {"response": "error", "body": "wrong4"}
    users_nonce = current_nonce(session, phones, CURRENT, "user")
    crossed = session.post(phones.url(CURRENT, "dologin"),
                           data={"username": "admin", "password": sha256_hex("admin" + users_nonce)}).json()
    assert crossed == {"response": "error", "body": "wrong3"}
    assert phones.counters(CURRENT)["failed_logins"] == 2


def test_the_control_api_lists_the_nonces_handed_out_until_a_control_reset(phones):
    """`nonces_issued` (public values, for the secrets scan): every nonce asked since the last control reset, a
    reboot keeps them (its logins' hashes may still sit in an output); the guide's token realms likewise."""
    session = current_http_session(phones, CURRENT)
    nonces = [current_nonce(session, phones, CURRENT), current_nonce(session, phones, CURRENT, "user")]
    phones.reboot(CURRENT, 0)
    assert phones.state(CURRENT)["nonces_issued"] == nonces
    realm = new_http_session().get(phones.url(GUIDE, "loginrealm"), timeout=10).text
    assert phones.state(GUIDE)["realms_issued"] == [realm] and phones.state(GUIDE)["nonces_issued"] == []
    phones.reset()
    assert phones.state(CURRENT)["nonces_issued"] == [] and phones.state(GUIDE)["realms_issued"] == []


def test_a_guide_style_login_on_a_current_phone_is_a_wrong_password(phones):
    """The danger detection must avoid: a plain-password dologin spends one of the five attempts."""
    session = current_http_session(phones, CURRENT)
    answer = session.post(phones.url(CURRENT, "dologin"), data={"username": "admin", "password": "admin"}).json()
    assert answer == {"response": "error", "body": "wrong4"}
    assert phones.counters(CURRENT)["failed_logins"] == 1


def test_lockout_counts_as_in_the_guide_dialect(phones):
    session = current_http_session(phones, CURRENT)
    answers = []
    for unused in range(5):
        nonce = current_nonce(session, phones, CURRENT)
        answers.append(session.post(phones.url(CURRENT, "dologin"),
                                    data={"username": "admin", "password": sha256_hex("wrong" + nonce)}).json())
    assert [a["body"] for a in answers] == ["wrong4", "wrong3", "wrong2", "wrong1", "locked"]
    assert answers[-1]["lockTime"] == 5
    nonce = current_nonce(session, phones, CURRENT)  # access still answers while locked
    right = session.post(phones.url(CURRENT, "dologin"),
                         data={"username": "admin", "password": sha256_hex("admin" + nonce)}).json()
    assert right["body"] == "locked"
    assert phones.counters(CURRENT)["failed_logins"] == 6


def test_user_without_web_access_is_not_allowed(phones):
    phones.set_web_access(CURRENT, user=False)
    session = current_http_session(phones, CURRENT)
    nonce = current_nonce(session, phones, CURRENT, "user")
    answer = session.post(phones.url(CURRENT, "dologin"),
                          data={"username": "user", "password": sha256_hex("123" + nonce)}).json()
    assert answer == {"response": "error", "body": "user is not allow"}
    assert phones.counters(CURRENT)["failed_logins"] == 1
    assert phones.state(CURRENT)["lock"]["failures"] == 0  # not a wrong password
    assert current_login(phones, CURRENT).sid  # admin unaffected


def test_one_session_per_account_on_1_0_3_35_but_not_on_1_0_1_87(phones):
    first = current_login(phones, CURRENT)
    current_login(phones, CURRENT)
    assert first.get(phones.url(CURRENT, "api-get_accounts")).status_code == 401
    phones.set_dialect(CURRENT, version="1.0.1.87")
    first = current_login(phones, CURRENT)
    second = current_login(phones, CURRENT)
    assert first.get(phones.url(CURRENT, "api-get_accounts")).status_code == 200
    assert second.get(phones.url(CURRENT, "api-get_accounts")).status_code == 200


def test_dologout_ends_the_session(phones):
    session = current_login(phones, CURRENT)
    assert session.post(phones.url(CURRENT, "dologout")).json() == {"response": "success", "body": "logout"}
    assert config_get(session, phones, ["334"]) == SESSION_EXPIRED
    assert session.post(phones.url(CURRENT, "dologout")).status_code == 401


def test_sid_is_taken_from_the_cookie_or_a_form_field_not_the_query(phones):
    sid = current_login(phones, CURRENT).sid
    bare = current_http_session(phones, CURRENT)
    assert bare.post(phones.url(CURRENT, "api-get_phone_status"), data={"sid": sid}).json()["body"] == "available"
    assert bare.get(phones.url(CURRENT, "api-get_accounts"), params={"sid": sid}).status_code == 401


# transport ---------------------------------------------------------------------------------
def test_post_without_same_origin_referer_is_a_bare_403_and_no_login(phones):
    nonce_request = {"access": sha256_hex("admin")}
    plain = new_http_session()
    answer = plain.post(phones.url(CURRENT, "access"), data=nonce_request)
    assert answer.status_code == 403 and answer.headers["Content-Type"].startswith("text/html")
    other_port = f"http://127.0.0.1:{phones.ports[GUIDE]}/"
    no_slash = origin(phones, CURRENT)
    for referer in (other_port, no_slash, "https" + no_slash[4:] + "/"):
        assert plain.post(phones.url(CURRENT, "access"), data=nonce_request,
                          headers={"Referer": referer}).status_code == 403
    assert plain.post(phones.url(CURRENT, "dologin"), data={"username": "admin", "password": "x"}).status_code == 403
    counters = phones.counters(CURRENT)
    assert (counters["challenges"], counters["logins"], counters["failed_logins"]) == (0, 0, 0)
    with_page = plain.post(phones.url(CURRENT, "access"), data=nonce_request,
                           headers={"Referer": origin(phones, CURRENT) + "/index.html"})
    assert with_page.json()["response"] == "success"


def test_post_or_put_without_content_length_is_411(phones):
    referer = {"Referer": origin(phones, CURRENT) + "/"}
    assert raw_request(phones, CURRENT, "POST", "dologout", referer)[0] == 411
    assert raw_request(phones, CURRENT, "PUT", "config_update", {**referer, "Content-Type": "application/json"})[0] \
        == 411
    status, body = raw_request(phones, CURRENT, "POST", "dologout", {**referer, "Content-Length": "0"})
    assert status == 401  # with the length the request reaches the endpoint (no session here)


def test_guide_phones_keep_the_lenient_transport_and_lack_the_current_endpoints(phones):
    status, body = raw_request(phones, GUIDE, "POST", "dologin", {})  # no Referer, no Content-Length
    assert status == 200 and '"wrong4"' in body
    plain = new_http_session()
    assert plain.post(phones.url(GUIDE, "access"), data={"access": sha256_hex("admin")}).status_code == 404
    assert plain.get(probe_url(phones, GUIDE)).status_code == 404
    counters = phones.counters(GUIDE)
    assert counters["probes"] == 1 and counters["by_endpoint"]["access"] == 1 and counters["challenges"] == 0


# identification ----------------------------------------------------------------------------
def test_model_define_needs_no_login_and_is_a_probe(phones):
    answer = new_http_session().get(probe_url(phones, CURRENT))
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/javascript")
    assert answer.json() == {"model": "GXV3380", "vendor_name": "Grandstream",
                             "vendor_fullname": "Grandstream Networks, Inc.", "oem_id": "0",
                             "defines": {"num_accounts": 6, "support_dnd": True}}
    phones.set_dialect(CURRENT, version="1.0.1.87")
    early = new_http_session().get(probe_url(phones, CURRENT)).json()
    assert set(early) == {"model", "defines", "pvalue_json_checksum"}
    counters = phones.counters(CURRENT)
    assert (counters["probes"], counters["logins"], counters["failed_logins"]) == (2, 0, 0)


def test_guide_endpoints_the_notes_do_not_show_are_404_on_current(phones):
    session = current_login(phones, CURRENT)
    for endpoint in ("api-values.get", "api.values.get", "api-values.post", "api.values.post", "loginrealm", "login"):
        assert session.post(phones.url(CURRENT, endpoint), data={"request": "68", "P30": "x"}).status_code == 404
    assert phones.state(CURRENT)["pvalues"]["P30"] == "pool.ntp.org"


# settings ----------------------------------------------------------------------------------
def test_config_get_answers_every_key_and_alias_tells_unknown_from_empty(phones):
    phones.register_account(CURRENT, 1)
    session = current_login(phones, CURRENT)
    keys = ["1413", "22234", "334", ":dnd", "AccountRegistered1", "AccountRegistered2", "sp_vol", "47", "P47", "36"]
    answer = config_get(session, phones, keys)
    assert set(answer) == {"configs"} and [entry["pvalue"] for entry in answer["configs"]] == keys
    entries = {entry["pvalue"]: entry for entry in answer["configs"]}
    assert entries["1413"] == {"alias": "lcd.backlight.timeout", "pvalue": "1413", "value": "0"}
    assert entries["334"] == {"alias": "lcd.backlight.brightness.active", "pvalue": "334", "value": "60"}
    assert entries["sp_vol"] == {"alias": "audio.volume.speaker", "pvalue": "sp_vol", "value": "8"}
    # A setting without a sourced Grandstream alias exists all the same: a visibly made-up, non-empty alias.
    assert entries["47"] == {"alias": "x-emulator.p47", "pvalue": "47", "value": "pbx.example.com"}
    assert entries[":dnd"] == {"alias": "", "pvalue": ":dnd", "value": "0"}
    assert (entries["AccountRegistered1"]["value"], entries["AccountRegistered2"]["value"]) == ("1", "0")
    for unknown in ("22234", "P47"):  # P-numbers go without the P
        assert entries[unknown] == {"alias": "", "pvalue": unknown, "value": ""}
    # An empty setting the phone has keeps a (non-empty) alias.
    assert entries["36"]["value"] == "" and entries["36"]["alias"]


def test_config_update_answers_success_for_ignored_values_which_read_back_unchanged(phones):
    session = current_login(phones, CURRENT)
    answer = session.put(phones.url(CURRENT, "config_update"), json={
        "alias": {"lcd.backlight.brightness.active": "40", "no.such.alias": "1", "x-emulator.p64": "UTC"},
        "pvalue": {"30": "n" * 300, "99999": "1", "P32": "90", "sp_vol": "99", "1413": 5}})
    assert answer.json()["response"] == "success"
    after = values_of(config_get(session, phones, ["334", "30", "99999", "64", "32", "sp_vol", "1413"]))
    assert after == {"334": "40", "30": "pool.ntp.org", "99999": "", "64": "GMT", "32": "60", "sp_vol": "8",
                     "1413": "0"}
    assert "P99999" not in phones.state(CURRENT)["pvalues"]
    assert phones.counters(CURRENT)["writes"] == 1


def test_config_update_ignores_a_setting_the_model_lacks(phones):
    phones.set_dialect(GUIDE, "current")  # phone 0 is a GXV3370: no Wi-Fi, so no P8404
    session = current_login(phones, GUIDE)
    answer = session.put(phones.url(GUIDE, "config_update"), json={"pvalue": {"8404": "wifi-key", "334": "10"}})
    assert answer.json() == {"response": "success", "body": ""}
    pvalues = phones.state(GUIDE)["pvalues"]
    assert "P8404" not in pvalues and pvalues["P334"] == "10"


def test_config_update_wants_put_with_json(phones):
    session = current_login(phones, CURRENT)
    assert session.post(phones.url(CURRENT, "config_update"), json={"pvalue": {"334": "1"}}).status_code == 405
    text = session.put(phones.url(CURRENT, "config_update"), data='{"pvalue": {"334": "1"}}',
                       headers={"Content-Type": "text/plain"})
    assert text.json() == INVALID
    assert values_of(config_get(session, phones, ["334"])) == {"334": "60"}


def test_expired_session_is_session_expired_on_config_and_401_html_on_api(phones):
    session = current_login(phones, CURRENT)
    phones.expire_sessions(CURRENT)
    assert config_get(session, phones, ["334"]) == SESSION_EXPIRED
    assert session.put(phones.url(CURRENT, "config_update"), json={"pvalue": {"334": "1"}}).json() == SESSION_EXPIRED
    for endpoint in ("api-get_accounts", "api-get_phone_status", "api-get_line_status"):
        answer = session.post(phones.url(CURRENT, endpoint), data={"line": "-1"})
        assert answer.status_code == 401 and answer.headers["Content-Type"].startswith("text/html")


def test_admin_only_endpoints_answer_401_to_a_user_session(phones):
    user = current_login(phones, CURRENT, "user")
    assert user.post(phones.url(CURRENT, "api-sys_operation"), data={"request": "REBOOT"}).status_code == 401
    assert phones.state(CURRENT)["power"] == "up"


# status ------------------------------------------------------------------------------------
def test_line_states_are_words_and_all_lines_is_minus_one(phones):
    phones.register_account(CURRENT, 1)
    session = current_login(phones, CURRENT)

    def lines(line="-1"):
        return session.post(phones.url(CURRENT, "api-get_line_status"), data={"line": line}).json()

    idle = lines()["body"]
    assert [line["line"] for line in idle] == [1, 2, 3, 4] and {line["state"] for line in idle} == {"idle"}
    assert idle[0] == {"line": 1, "conf": 0, "state": "idle", "acct": 0, "active": 0, "remotename": "",
                       "remotenumber": ""}
    phones.incoming_call(CURRENT, number="+15555550100", name="Front desk", line=1)
    ringing = lines("1")["body"]
    assert ringing[0]["state"] == "ringing" and ringing[0]["remotenumber"] == "+15555550100"
    status = session.post(phones.url(CURRENT, "api-get_phone_status")).json()
    assert status == {"response": "success", "body": "ringing", "misc": "0"}
    operate = phones.url(CURRENT, "api-phone_operation")
    assert session.post(operate, data={"cmd": "acceptcall", "line": "1"}).json()["body"] == "true"
    assert lines("1")["body"][0]["state"] == "connected"
    assert session.post(operate, data={"cmd": "holdcall", "line": "1"}).json()["body"] == "true"
    assert lines("1")["body"][0]["state"] == "onhold"
    assert lines("0") == INVALID and lines("") == INVALID  # the guide's "0 = all lines" is not the notes'


def test_accounts_carry_auto_cfg_and_count_from_one(phones):
    session = current_login(phones, CURRENT)
    accounts = session.get(phones.url(CURRENT, "api-get_accounts")).json()["body"]
    assert [account["id"] for account in accounts] == [1, 2, 3, 4, 5, 6]
    assert accounts[0] == {"id": 1, "sip_server": "", "sip_id": "", "name": "", "auto_cfg": "", "reg": 0}


def test_reboot_of_a_current_phone_and_waiting_for_it(phones):
    admin = current_login(phones, CURRENT)
    answer = admin.post(phones.url(CURRENT, "api-sys_operation"), data={"request": "REBOOT"}).json()
    assert answer == {"response": "success", "body": "reboot"}
    phones.wait_until_up(CURRENT)
    assert phones.state(CURRENT)["power"] == "up" and phones.counters(CURRENT)["reboots"] == 1
    assert config_get(admin, phones, ["334"]) == SESSION_EXPIRED


def test_over_https_the_same_origin_includes_the_scheme(emulator_factory):
    secure = emulator_factory(count=1, protocol="https", firmware="current")
    session = new_http_session()
    session.verify = str(secure.cert_path)
    nonce_request = {"access": sha256_hex("admin")}
    https_origin = origin(secure, 0)
    assert https_origin.startswith("https://")
    plain_http = "http" + https_origin[len("https"):] + "/"
    assert session.post(secure.url(0, "access"), data=nonce_request, headers={"Referer": plain_http}).status_code \
        == 403
    answer = session.post(secure.url(0, "access"), data=nonce_request, headers={"Referer": https_origin + "/"})
    assert answer.json()["response"] == "success"
