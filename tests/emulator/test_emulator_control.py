"""The control API: faults, counters, phones listing."""

from __future__ import annotations

import time

import pytest
import requests

from tests.helpers.emulator_proc import EmulatorError
from tests.helpers.phone_http import forms_login


def status_codes(http, url, count):
    return [http.get(url, headers={"Connection": "close"}).status_code for unused_request in range(count)]


def test_phones_listing(fresh_phones):
    phones = fresh_phones.phones()
    assert [p["model"] for p in phones] == ["GXV3370", "GXV3380", "GXV3350"]
    assert [p["port"] for p in phones] == fresh_phones.ports
    assert len({p["mac"] for p in phones}) == 3
    assert fresh_phones.state(0)["pvalues"]["P67"] == phones[0]["mac"]


def test_latency_is_added(fresh_phones, http):
    fresh_phones.faults(1, {"latency_ms": 400})
    started = time.monotonic()
    assert http.get(fresh_phones.url(1, "api-get_phone_status")).status_code == 200
    assert time.monotonic() - started >= 0.4


def test_latency_on_delays_only_the_endpoints_it_names(fresh_phones, http):
    """`latency_on` (spelt as a URL spells it) limits `latency_ms`: what it does not name answers at once."""
    assert fresh_phones.faults(1, {"latency_ms": 3000, "latency_on": ["api.values.get"]})["faults"]["latency_on"] == [
        "api-values.get"]
    assert http.get(fresh_phones.url(1, "api-get_phone_status"), timeout=1.5).status_code == 200
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.get(fresh_phones.url(1, "api.values.get"), params={"request": "P30"}, timeout=1.5)
    with pytest.raises(EmulatorError, match="400.*no_such_endpoint"):
        fresh_phones.faults(1, {"latency_ms": 10, "latency_on": ["no_such_endpoint"]})
    fresh_phones.reset()


def test_error_rate_is_deterministic(fresh_phones, http):
    url = fresh_phones.url(1, "api-get_phone_status")
    fresh_phones.faults(1, {"error_rate": 0.5})
    first = status_codes(http, url, 30)
    fresh_phones.faults(1, {"error_rate": 0.5})  # setting faults restarts the seeded sequence
    second = status_codes(http, url, 30)
    assert first == second
    assert set(first) == {200, 503}
    fresh_phones.faults(1, {})
    assert set(status_codes(http, url, 5)) == {200}


def test_error_on_reads_spares_writes(fresh_phones):
    admin = forms_login(fresh_phones, 0)
    fresh_phones.faults(0, {"error_rate": 1.0, "error_on": "reads"})
    assert admin.get(fresh_phones.url(0, "api.values.get"), params={"request": "30"}).status_code == 503
    assert admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "a.example"}).json()["body"] == {"status": "right"}
    fresh_phones.faults(0, {"error_rate": 1.0})
    assert admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "b.example"}).status_code == 503
    assert fresh_phones.state(0)["pvalues"]["P30"] == "a.example"


def test_reset_rate_drops_the_connection(fresh_phones, http):
    fresh_phones.faults(2, {"reset_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        http.get(fresh_phones.url(2, "api-get_phone_status"))
    assert fresh_phones.counters(2)["requests"] == 1


def test_reset_after_rate_acts_then_drops_the_connection(fresh_phones, admin):
    fresh_phones.faults(0, {"reset_after_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        admin.get(fresh_phones.url(0, "api-add_group"), params={"name": "Acted"})
    with pytest.raises(requests.ConnectionError):
        admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "after.example"})
    fresh_phones.faults(0, {})
    state = fresh_phones.state(0)
    # The phone did what was asked; only the answer was lost.
    assert "Acted" in [group["name"] for group in state["groups"]]
    assert state["pvalues"]["P30"] == "after.example"
    assert fresh_phones.counters(0)["writes"] == 2


def test_reset_before_and_after_draws_are_separate(fresh_phones, admin):
    fresh_phones.faults(0, {"reset_rate": 1.0, "reset_after_rate": 1.0})
    with pytest.raises(requests.ConnectionError):
        admin.get(fresh_phones.url(0, "api-add_group"), params={"name": "Never"})
    fresh_phones.faults(0, {})
    # A reset before acting wins: nothing was done.
    assert "Never" not in [group["name"] for group in fresh_phones.state(0)["groups"]]


def test_drop_writes(fresh_phones, admin):
    fresh_phones.faults(0, {"drop_writes": ["P30", "47"]})
    answer = admin.post(fresh_phones.url(0, "api.values.post"),
                        data={"P30": "dropped.example", "P47": "dropped.example", "P64": "CET"}).json()
    assert answer == {"response": "success", "body": {"status": "right"}}
    pvalues = fresh_phones.state(0)["pvalues"]
    assert (pvalues["P30"], pvalues["P47"], pvalues["P64"]) == ("pool.ntp.org", "", "CET")


def test_expire_every_nth_authenticated_request(fresh_phones):
    admin = forms_login(fresh_phones, 1)
    fresh_phones.faults(1, {"expire_every": 3})
    url = fresh_phones.url(1, "api-get_groups")
    assert [admin.get(url).status_code for unused_request in range(4)] == [200, 200, 200, 401]


def test_down_refuses_until_cleared(fresh_phones, http):
    fresh_phones.faults(2, {"down": True})
    deadline = time.monotonic() + 10
    while True:
        try:
            http.get(fresh_phones.url(2, "api-get_phone_status"), headers={"Connection": "close"}, timeout=2)
        except requests.ConnectionError:
            break
        assert time.monotonic() < deadline
        time.sleep(0.05)
    fresh_phones.faults(2, {})
    fresh_phones.wait_until_up(2, timeout=10)


def test_fleet_faults_and_bad_faults(fresh_phones, http):
    fresh_phones.faults(None, {"error_rate": 1.0})
    assert all(http.get(fresh_phones.url(i, "api-get_phone_status")).status_code == 503 for i in range(3))
    with pytest.raises(EmulatorError, match="400"):
        fresh_phones.faults(0, {"no_such_fault": 1})
    with pytest.raises(EmulatorError, match="400"):
        fresh_phones.faults(0, {"error_rate": 2})
    with pytest.raises(EmulatorError, match="400"):
        fresh_phones.faults(0, {"fail_next": {"api-sys_operation": ["timeout"]}})
    # A one-shot fault on a name no request has would never fire: refused, naming it.
    with pytest.raises(EmulatorError, match="400.*no_such_endpoint"):
        fresh_phones.faults(0, {"fail_next": {"no_such_endpoint": ["reset"]}})
    fresh_phones.reset()
    assert fresh_phones.state(0)["faults"]["error_rate"] == 0.0


def test_a_one_shot_fault_spelt_as_the_url_spells_it_fires(fresh_phones, http):
    """`api.values.post` in a URL is the endpoint `api-values.post`: a fail_next key takes either spelling."""
    admin = forms_login(fresh_phones, 0)
    assert fresh_phones.faults(0, {"fail_next": {"api.values.post": ["503"]}})["faults"]["fail_next"] == {
        "api-values.post": ["503"]}
    assert admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "x.example"}).status_code == 503
    assert admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "x.example"}).status_code == 200
    fresh_phones.reset()


def test_counters_per_phone_and_fleet(fresh_phones, http):
    admin = forms_login(fresh_phones, 0)
    admin.post(fresh_phones.url(0, "api.values.post"), data={"P30": "x.example"})
    http.post(fresh_phones.url(1, "dologin"), data={"username": "admin", "password": "wrong"})
    http.get(fresh_phones.url(1, "api-get_phone_status"))
    assert fresh_phones.counters(0) == {"requests": 2, "by_endpoint": {"dologin": 1, "api-values.post": 1},
                                        "by_method": {"POST": 2}, "logins": 1, "failed_logins": 0, "writes": 1,
                                        "reboots": 0, "challenges": 0, "probes": 0}
    fleet = fresh_phones.counters()
    assert fleet["requests"] == 4 and fleet["by_method"] == {"POST": 3, "GET": 1}
    assert (fleet["logins"], fleet["failed_logins"], fleet["writes"]) == (1, 1, 1)
    assert fleet["by_endpoint"]["dologin"] == 2
    fresh_phones.reset_counters()
    assert fresh_phones.counters()["requests"] == 0


def test_unknown_phone_is_404(fresh_phones):
    with pytest.raises(EmulatorError, match="404"):
        fresh_phones.state(99)
