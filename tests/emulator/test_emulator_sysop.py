"""Reboot, provision and factory reset: downtime phases and their effect on state and sessions."""

from __future__ import annotations

import socket
import time

from tests.helpers.phone_http import forms_login, token_login

PROBE_REQUEST = b"GET /cgi-bin/api-get_phone_status HTTP/1.1\r\nHost: phone\r\nConnection: close\r\n\r\n"


def probe(port: int) -> str:
    """"refused", "reset" (accepted but dropped) or the HTTP status code, on a new connection."""
    try:
        connection = socket.create_connection(("127.0.0.1", port), timeout=2)
    except ConnectionRefusedError:
        return "refused"
    with connection:
        try:
            connection.sendall(PROBE_REQUEST)
            status_line = connection.recv(64)
        except ConnectionResetError:
            return "reset"
    return status_line.split()[1].decode() if status_line else "reset"


def observe_downtime(port: int, limit_seconds: float = 20.0) -> tuple[list[str], float]:
    """Probe until the phone answers 200; returns the phases seen (consecutive repeats merged)
    and the seconds it took."""
    started = time.monotonic()
    phases: list[str] = []
    while time.monotonic() - started < limit_seconds:
        outcome = probe(port)
        if not phases or phases[-1] != outcome:
            phases.append(outcome)
        if outcome == "200":
            break
        time.sleep(0.05)
    return phases, time.monotonic() - started


def test_reboot_refuses_then_503_then_up(emulator_factory):
    emulator = emulator_factory(count=1, extra_args=["--reboot-seconds", "2"])
    session = forms_login(emulator, 0)
    answer = session.get(emulator.url(0, "api-sys_operation"), params={"request": "REBOOT"})
    assert answer.json() == {"response": "success", "body": "reboot"}
    assert answer.headers["Connection"] == "close"
    phases, took = observe_downtime(emulator.ports[0])
    # A probe that raced the closing of the listening socket is reset instead of refused.
    assert [phase for phase in phases if phase != "reset"] == ["refused", "503", "200"]
    assert took >= 1.5  # cannot be up before the downtime is over; no upper bound but the probe limit
    assert session.get(emulator.url(0, "api-get_accounts")).status_code == 401  # sessions are gone
    assert emulator.counters(0)["writes"] == 1
    assert emulator.counters(0)["reboots"] == 1


def test_a_reboot_needing_value_is_held_until_the_phone_reboots(emulator_factory):
    emulator = emulator_factory(count=1, extra_args=["--reboot-seconds", "0.4"])
    admin = forms_login(emulator, 0)
    admin.post(emulator.url(0, "api.values.post"), data={"P130": "2", "P30": "ntp.example"})
    admin.post(emulator.url(0, "api.values.post"), data={"P130": "2"})  # unchanged: nothing new held
    assert emulator.state(0)["pending_reboot"] == ["P130"]
    emulator.reboot(0, 0.4)  # a power cycle by hand counts like a requested reboot
    emulator.wait_until_up(0)
    assert emulator.state(0)["pending_reboot"] == []
    assert emulator.state(0)["pvalues"]["P130"] == "2"
    assert emulator.counters(0)["reboots"] == 1


def test_a_planned_one_shot_failure_hits_only_the_next_request_to_its_endpoint(emulator_factory):
    emulator = emulator_factory(count=1, extra_args=["--reboot-seconds", "0.4"])
    emulator.faults(0, {"fail_next": {"api-sys_operation": ["503"]}})
    session = forms_login(emulator, 0)
    assert session.get(emulator.url(0, "api-get_phone_status")).status_code == 200
    assert session.get(emulator.url(0, "api-sys_operation"), params={"request": "REBOOT"}).status_code == 503
    assert emulator.counters(0)["reboots"] == 0
    answer = session.get(emulator.url(0, "api-sys_operation"), params={"request": "REBOOT"})
    assert answer.json() == {"response": "success", "body": "reboot"}
    assert emulator.counters(0)["reboots"] == 1


def test_factory_reset_by_token_admin(emulator_factory):
    emulator = emulator_factory(count=1, extra_args=["--reboot-seconds", "0.4"])
    admin = forms_login(emulator, 0)
    admin.post(emulator.url(0, "api.values.post"), data={"P47": "pbx.example.com", "P2": "Changed-1"})
    admin.get(emulator.url(0, "api-add_group"), params={"name": "Sales"})
    admin.get(emulator.url(0, "api-save_edit_contact"), params={"firstname": "Jack"})
    sid = token_login(emulator, 0, password="Changed-1").json()["body"]["sid"]
    answer = admin.get(emulator.url(0, "api-sys_operation"), params={"request": "RESET", "sid": sid})
    assert answer.json() == {"response": "success", "body": "reset"}
    emulator.wait_until_up(0)
    state = emulator.state(0)
    assert state["passwords"] == {"admin": "admin", "user": "123"}
    assert state["pvalues"]["P47"] == ""
    assert state["contacts"] == [] and [g["id"] for g in state["groups"]] == [0, 100]
    forms_login(emulator, 0, "admin", "admin")


def test_provision_reboots_and_keeps_state(emulator_factory):
    emulator = emulator_factory(count=1, extra_args=["--reboot-seconds", "0.4"])
    admin = forms_login(emulator, 0)
    admin.post(emulator.url(0, "api.values.post"), data={"P47": "pbx.example.com"})
    assert admin.get(emulator.url(0, "api-sys_operation"), params={"request": "PROV"}).json()["body"] == "prov"
    emulator.wait_until_up(0)
    assert emulator.state(0)["pvalues"]["P47"] == "pbx.example.com"


def test_bad_sys_operation_is_invalid(fresh_phones, admin):
    answer = admin.get(fresh_phones.url(0, "api-sys_operation"), params={"request": "EXPLODE"}).json()
    assert answer == {"response": "error", "body": "Invalid Request"}
    assert admin.get(fresh_phones.url(0, "api-sys_operation")).json()["body"] == "Invalid Request"


def test_control_reboot_that_never_comes_back_until_reset(fresh_phones):
    fresh_phones.reboot(1, seconds=-1)
    deadline = time.monotonic() + 10
    while probe(fresh_phones.ports[1]) != "refused":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    assert probe(fresh_phones.ports[1]) == "refused"
    assert fresh_phones.state(1)["power"] == "refusing"
    assert probe(fresh_phones.ports[0]) == "200"  # the other phones are unaffected
    fresh_phones.reset(1)
    fresh_phones.wait_until_up(1, timeout=10)


def test_control_reboot_with_duration(fresh_phones):
    fresh_phones.reboot(2, seconds=2)
    phases, unused_elapsed = observe_downtime(fresh_phones.ports[2])
    assert [phase for phase in phases if phase != "reset"] == ["refused", "503", "200"]
