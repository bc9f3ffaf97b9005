"""Logins, sessions, lockout and what each kind of session may call."""

from __future__ import annotations

import time

from tests.helpers.phone_http import forms_login, token_login, token_secret


def test_forms_login_sets_cookies_by_model(fresh_phones, http):
    # Phone 0 is a GXV3370, phone 2 a GXV3350 (models round-robin).
    gxv3370 = http.post(fresh_phones.url(0, "dologin"), data={"username": "admin", "password": "admin"})
    assert gxv3370.status_code == 200
    body = gxv3370.json()
    assert body["response"] == "success"
    assert body["body"]["role"] == "admin" and body["body"]["defaultAuth"] is False
    assert gxv3370.cookies["session-identity"] == body["body"]["sid"]
    assert gxv3370.cookies["session-role"] == "admin"
    assert "sid" not in gxv3370.cookies

    gxv3350 = http.post(fresh_phones.url(2, "dologin"), data={"username": "user", "password": "123"})
    assert gxv3350.json()["body"]["role"] == "user"
    assert gxv3350.cookies["sid"] == gxv3350.json()["body"]["sid"]
    assert "session-identity" not in gxv3350.cookies


def test_cookie_session_reads_everything(fresh_phones):
    for index in (0, 2):
        session = forms_login(fresh_phones, index)
        answer = session.get(fresh_phones.url(index, "api-values.get"), params={"request": "30:64:68"}).json()
        assert answer == {"response": "success", "body": {"30": "pool.ntp.org", "64": "GMT", "68": answer["body"]["68"]}}
        assert answer["body"]["68"]


def test_sid_as_query_and_form_field(fresh_phones, http):
    sid = forms_login(fresh_phones, 0).sid
    read = http.get(fresh_phones.url(0, "api-values.get"), params={"request": "30", "sid": sid}).json()
    assert read["body"]["30"] == "pool.ntp.org"
    write = http.post(fresh_phones.url(0, "api.values.post"), data={"sid": sid, "P30": "ntp.example.com"}).json()
    assert write == {"response": "success", "body": {"status": "right"}}
    assert fresh_phones.state(0)["pvalues"]["P30"] == "ntp.example.com"


def test_second_login_evicts_the_first_session(fresh_phones):
    first = forms_login(fresh_phones, 1)
    assert first.get(fresh_phones.url(1, "api-get_accounts")).status_code == 200
    second = forms_login(fresh_phones, 1)
    evicted = first.get(fresh_phones.url(1, "api-get_accounts"))
    assert evicted.status_code == 401
    # values.get is public without a sid, but an evicted sid is refused so the client notices.
    assert first.get(fresh_phones.url(1, "api-values.get"), params={"request": "89"}).status_code == 401
    assert second.get(fresh_phones.url(1, "api-get_accounts")).status_code == 200
    # Another user's login does not evict the admin.
    forms_login(fresh_phones, 1, "user")
    assert second.get(fresh_phones.url(1, "api-get_accounts")).status_code == 200


def test_without_session_get_is_401_html_and_post_is_session_expired(fresh_phones, http):
    unauthorized = http.get(fresh_phones.url(0, "api-get_contacts"))
    assert unauthorized.status_code == 401
    assert unauthorized.headers["Content-Type"].startswith("text/html")
    assert "Unauthorized" in unauthorized.text
    for spelling in ("api-values.post", "api.values.post"):
        expired = http.post(fresh_phones.url(0, spelling), data={"P30": "x"}, params={"sid": "deadbeef"})
        assert expired.status_code == 200
        assert expired.json() == {"response": "error", "body": {"status": "session-expired"}}
    assert fresh_phones.state(0)["pvalues"]["P30"] == "pool.ntp.org"


def test_public_subset_without_login(fresh_phones, http):
    names = "68:89:vendor_name:vendor_fullname:hw_rev:tp_fw_version:30:67:2"
    body = http.get(fresh_phones.url(2, "api-values.get"), params={"request": names}).json()["body"]
    assert body["89"] == "GXV3350"
    assert body["68"] and body["hw_rev"] and body["tp_fw_version"]
    assert body["vendor_name"] == "Grandstream"
    assert body["vendor_fullname"] == "Grandstream Networks, Inc."
    assert body["30"] == body["67"] == body["2"] == ""


def test_token_login_with_both_separators(fresh_phones, http):
    for separator in (":", "."):
        answer = token_login(fresh_phones, 0, separator=separator)
        body = answer.json()
        assert body["response"] == "success"
        assert answer.cookies["sid"] == body["body"]["sid"]
    assert fresh_phones.counters(0)["logins"] == 2


def test_token_session_is_limited_to_four_endpoints(fresh_phones, http):
    fresh_phones.register_account(0)
    sid = token_login(fresh_phones, 0).json()["body"]["sid"]
    allowed = http.get(fresh_phones.url(0, "api-make_call"), params={"sid": sid, "phonenumber": "100", "account": "0"})
    assert allowed.json() == {"response": "success", "body": ""}
    assert http.get(fresh_phones.url(0, "api-get_phone_status"), params={"sid": sid}).json()["body"] == "busy"
    assert http.get(fresh_phones.url(0, "api-phone_operation"),
                    params={"sid": sid, "cmd": "endcall", "line": "1"}).json()["body"] == "true"
    for endpoint in ("api-get_contacts", "api-get_accounts", "api-get_time", "phonebook_download"):
        refused = http.get(fresh_phones.url(0, endpoint), params={"sid": sid})
        assert refused.status_code == 401, endpoint
        assert "Unauthorized" in refused.text
    assert http.get(fresh_phones.url(0, "api-values.get"), params={"sid": sid, "request": "89"}).status_code == 401
    expired = http.post(fresh_phones.url(0, "api-values.post"), data={"sid": sid, "P30": "x"}).json()
    assert expired == {"response": "error", "body": {"status": "session-expired"}}


def test_token_realm_is_used_once(fresh_phones, http):
    realm = http.get(fresh_phones.url(0, "loginrealm")).text
    secret = token_secret("gmiadmin", realm, "admin")
    first = http.get(fresh_phones.url(0, "login"), params={"Username": "gmiadmin", "Secret": secret}).json()
    assert first["response"] == "success"
    replay = http.get(fresh_phones.url(0, "login"), params={"Username": "gmiadmin", "Secret": secret}).json()
    assert replay == {"response": "error", "body": "wrong4"}


def test_wrong_passwords_count_down_then_lock(fresh_phones, http):
    def attempt(password):
        return http.post(fresh_phones.url(1, "dologin"), data={"username": "admin", "password": password}).json()

    assert attempt("nope") == {"response": "error", "body": "wrong4"}
    forms_login(fresh_phones, 1)  # a successful login forgives earlier failures
    answers = [attempt("nope")["body"] for unused_attempt in range(4)]
    assert answers == ["wrong4", "wrong3", "wrong2", "wrong1"]
    assert attempt("nope") == {"response": "error", "body": "locked", "lockTime": 5}
    assert attempt("admin") == {"response": "error", "body": "locked", "lockTime": 5}
    lock = fresh_phones.state(1)["lock"]
    assert lock["locked"] is True and lock["attempts_left"] == 0
    counters = fresh_phones.counters(1)
    assert counters["failed_logins"] == 7 and counters["logins"] == 1
    fresh_phones.reset(1)
    assert attempt("admin")["response"] == "success"


def test_idle_sessions_expire(emulator_factory):
    emulator = emulator_factory(count=1, extra_args=["--session-idle", "2"])
    session = forms_login(emulator, 0)
    assert session.get(emulator.url(0, "api-get_accounts")).status_code == 200
    time.sleep(0.5)
    assert session.get(emulator.url(0, "api-get_accounts")).status_code == 200  # use restarts the clock
    time.sleep(2.6)
    assert session.get(emulator.url(0, "api-values.get"), params={"request": "30"}).status_code == 401
    assert session.get(emulator.url(0, "api-get_accounts")).status_code == 401
    expired = session.post(emulator.url(0, "api.values.post"), data={"P30": "x"}).json()
    assert expired == {"response": "error", "body": {"status": "session-expired"}}


def test_control_expire_sessions(fresh_phones):
    session = forms_login(fresh_phones, 2)
    assert fresh_phones.state(2)["sessions"][0]["user"] == "admin"
    fresh_phones.expire_sessions(2)
    assert session.get(fresh_phones.url(2, "api-get_groups")).status_code == 401
    assert fresh_phones.state(2)["sessions"] == []


def test_user_role_cannot_reset_or_provision(fresh_phones):
    user = forms_login(fresh_phones, 0, "user")
    for request in ("RESET", "PROV"):
        answer = user.get(fresh_phones.url(0, "api-sys_operation"), params={"request": request}).json()
        assert answer == {"response": "error", "body": "permission denied"}
    assert fresh_phones.state(0)["power"] == "up"
