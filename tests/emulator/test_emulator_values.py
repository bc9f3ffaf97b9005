"""api-values.get / api-values.post, passwords, and the HTTP-level answers (404, 414)."""

from __future__ import annotations

import pytest

from tests.helpers.phone_http import forms_login


@pytest.mark.parametrize("read, write", [("api-values.get", "api-values.post"),
                                         ("api.values.get", "api.values.post")])
def test_both_spellings_read_and_write(fresh_phones, admin, read, write):
    answer = admin.post(fresh_phones.url(0, write), data={"P47": "sip.example.com", "P35": "1001"}).json()
    assert answer == {"response": "success", "body": {"status": "right"}}
    values = admin.get(fresh_phones.url(0, read), params={"request": "47:35"}).json()
    assert values == {"response": "success", "body": {"47": "sip.example.com", "35": "1001"}}
    assert fresh_phones.counters(0)["by_endpoint"] == {"dologin": 1, "api-values.post": 1, "api-values.get": 1}


def test_query_string_write_is_accepted(fresh_phones, admin):
    admin.get(fresh_phones.url(0, "api-values.post"), params={"P207": "syslog.example.com"})
    assert fresh_phones.state(0)["pvalues"]["P207"] == "syslog.example.com"


def test_read_only_over_length_and_out_of_range_writes_are_silently_dropped(fresh_phones, admin):
    before = fresh_phones.state(0)["pvalues"]
    dropped = {"P67": "00:00:00:00:00:01", "P68": "9.9.9.9", "P89": "GXP2170",
               "P30": "n" * 65, "P122": "7", "P32": "abc", "P47": "s" * 256}
    answer = admin.post(fresh_phones.url(0, "api.values.post"), data={**dropped, "P64": "CET"}).json()
    assert answer == {"response": "success", "body": {"status": "right"}}
    after = fresh_phones.state(0)["pvalues"]
    for name in dropped:
        assert after[name] == before[name], name
    assert after["P64"] == "CET"
    # At the limit is fine.
    admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "n" * 64})
    assert fresh_phones.state(0)["pvalues"]["P30"] == "n" * 64


def test_secrets_are_stored_but_read_back_masked_when_set_on_gxv3370(fresh_phones, admin):
    admin.post(fresh_phones.url(0, "api.values.post"), data={"P34": "sip-secret", "P1359": "xml-secret"})
    body = admin.get(fresh_phones.url(0, "api.values.get"), params={"request": "34:1359:2:196:406"}).json()["body"]
    # Set secrets read as a mask, an unset one (account 2's password) as "": never the value.
    assert body == {"34": "********", "1359": "********", "2": "********", "196": "********", "406": ""}
    assert fresh_phones.state(0)["pvalues"]["P34"] == "sip-secret"


def test_secrets_always_read_back_empty_on_gxv3350(fresh_phones):
    admin = forms_login(fresh_phones, 2)  # phone 2 of the fresh fleet is a GXV3350
    admin.post(fresh_phones.url(2, "api.values.post"), data={"P34": "sip-secret"})
    body = admin.get(fresh_phones.url(2, "api.values.get"), params={"request": "34:2:406"}).json()["body"]
    assert body == {"34": "", "2": "", "406": ""}
    assert fresh_phones.state(2)["pvalues"]["P34"] == "sip-secret"


def test_unknown_names_read_empty_and_missing_request_is_invalid(fresh_phones, admin):
    body = admin.get(fresh_phones.url(0, "api.values.get"), params={"request": "99999:nonsense"}).json()["body"]
    assert body == {"99999": "", "nonsense": ""}
    assert admin.get(fresh_phones.url(0, "api.values.get")).json() == {"response": "error", "body": "Invalid Request"}


def test_values_post_as_admin_can_set_the_admin_password(fresh_phones, admin, http):
    admin.post(fresh_phones.url(0, "api.values.post"), data={"P2": "N3w-admin"})
    assert fresh_phones.state(0)["passwords"]["admin"] == "N3w-admin"
    user = forms_login(fresh_phones, 0, "user")
    user.post(fresh_phones.url(0, "api.values.post"), data={"P2": "hijack", "P30": "ntp.user.example"})
    state = fresh_phones.state(0)
    assert state["passwords"]["admin"] == "N3w-admin"
    assert state["pvalues"]["P30"] == "ntp.user.example"


def test_change_password_admin_and_user(fresh_phones, admin, http):
    url = fresh_phones.url(0, "api-change_password")
    wrong = admin.post(url, data={"oldadmin": "bad", "P2": "Secret-1"}).json()
    assert wrong == {"response": "error", "body": "wrong old password"}
    changed = admin.post(url, data={"oldadmin": "admin", "P2": "Secret-1", "olduser": "123", "P196": "User-1"}).json()
    assert changed == {"response": "success", "body": {"status": "right"}}
    assert fresh_phones.state(0)["passwords"] == {"admin": "Secret-1", "user": "User-1"}
    assert http.post(fresh_phones.url(0, "dologin"), data={"username": "admin", "password": "admin"}).json()["body"] == "wrong4"
    forms_login(fresh_phones, 0, "admin", "Secret-1")

    user = forms_login(fresh_phones, 0, "user", "User-1")
    refused = user.post(url, data={"oldadmin": "Secret-1", "P2": "mine-now"}).json()
    assert refused == {"response": "error", "body": "permission denied"}
    own = user.post(url, data={"olduser": "User-1", "P196": "User-2"}).json()
    assert own["response"] == "success"
    assert fresh_phones.state(0)["passwords"] == {"admin": "Secret-1", "user": "User-2"}
    assert user.post(url, data={}).json() == {"response": "error", "body": "Invalid Request"}
    assert fresh_phones.counters(0)["writes"] == 5


def test_unknown_path_is_404(fresh_phones, http):
    assert http.get(fresh_phones.url(0, "api-no_such_thing")).status_code == 404
    assert http.get(fresh_phones.url(0).replace("/cgi-bin/", "/index.html")).status_code == 404
    assert fresh_phones.counters(0)["by_endpoint"] == {"(unknown)": 2}


def test_url_over_2048_bytes_is_414(fresh_phones, admin):
    names = ":".join(str(number) for number in range(1000, 1500))  # ~2.5 KB of URL
    assert len(fresh_phones.url(0, "api.values.get") + "?request=" + names) > 2048
    assert admin.get(fresh_phones.url(0, "api.values.get"), params={"request": names}).status_code == 414
    short = ":".join(str(number) for number in range(1000, 1200))  # ~1.4 KB with %3A separators
    assert admin.get(fresh_phones.url(0, "api.values.get"), params={"request": short}).status_code == 200


def test_control_pvalues_bypass_the_write_rules(fresh_phones):
    fresh_phones.set_pvalues(1, {"P30": "x" * 100, "P47": "drifted.example.com"})
    pvalues = fresh_phones.state(1)["pvalues"]
    assert pvalues["P30"] == "x" * 100 and pvalues["P47"] == "drifted.example.com"
    assert fresh_phones.counters(1)["requests"] == 0


def test_values_are_answered_under_bare_numbers_however_asked(fresh_phones, admin):
    """As the guide's example answers ("68", not "P68"): a client that reads only "P47" keys finds nothing."""
    admin.post(fresh_phones.url(0, "api.values.post"), data={"P47": "sip.example.com"})
    body = admin.get(fresh_phones.url(0, "api.values.get"), params={"request": "P47:68:vendor_name"}).json()["body"]
    assert set(body) == {"47", "68", "vendor_name"}
    assert body["47"] == "sip.example.com" and body.get("P47") is None
