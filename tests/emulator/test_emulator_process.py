"""Process-level behaviour: persistence across restarts, HTTPS, command line checks, secret-free logs."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from urllib.parse import quote, quote_plus

import pytest
import requests

from tests.helpers.emulator_proc import REPO_ROOT, EmulatorProcess
from tests.helpers.phone_http import forms_login, new_http_session, token_login


def test_state_survives_a_restart(tmp_path):
    with EmulatorProcess(count=2, state_dir=tmp_path) as emulator:
        admin = forms_login(emulator, 1)
        admin.post(emulator.url(1, "api.values.post"), data={"P47": "persisted.example.com", "P2": "Kept-pw1"})
        admin.get(emulator.url(1, "api-save_edit_contact"), params={"firstname": "Ann", "lastname": "Lee"})
    assert (tmp_path / "phone-1.json").exists()
    assert not list(tmp_path.glob("*.tmp"))
    with EmulatorProcess(count=2, state_dir=tmp_path) as emulator:
        state = emulator.state(1)
        assert state["pvalues"]["P47"] == "persisted.example.com"
        assert state["contacts"][0]["first"] == "Ann"
        forms_login(emulator, 1, "admin", "Kept-pw1")
        assert emulator.state(0)["pvalues"]["P47"] == ""


def test_https_with_the_generated_certificate(emulator_factory):
    emulator = emulator_factory(count=2, protocol="both")
    assert emulator.cert_path.exists()
    session = new_http_session()
    for index in range(2):
        secure = session.get(emulator.url(index, "api-get_phone_status", https=True), verify=str(emulator.cert_path))
        assert secure.json()["body"] == "available"
        assert session.get(emulator.url(index, "api-get_phone_status", https=False)).status_code == 200
    by_name = f"https://localhost:{emulator.https_ports[0]}/cgi-bin/api-get_phone_status"
    assert session.get(by_name, verify=str(emulator.cert_path)).status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        session.get(emulator.url(0, "api-get_phone_status", https=True))  # not in the default trust store


def test_https_only_login(emulator_factory):
    emulator = emulator_factory(count=1, protocol="https")
    session = new_http_session()
    session.verify = str(emulator.cert_path)
    answer = session.post(emulator.url(0, "dologin"), data={"username": "admin", "password": "admin"})
    assert answer.json()["response"] == "success"
    assert emulator.ports == emulator.https_ports


@pytest.mark.parametrize("arguments", [["--bind", "0.0.0.0"], ["--models", "GXP9999"], ["--count", "0"],
                                       ["--firmware", "newest"]])
def test_bad_command_lines_are_refused(arguments):
    finished = subprocess.run([sys.executable, "-m", "emulator", *arguments], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=30, check=False)
    assert finished.returncode == 2
    assert "emulator:" in finished.stderr


def test_a_taken_port_is_reported(fresh_phones, tmp_path):
    finished = subprocess.run([sys.executable, "-m", "emulator", "--base-port", str(fresh_phones.ports[0]),
                               "--state-dir", str(tmp_path)],
                              cwd=REPO_ROOT, capture_output=True, text=True, timeout=30, check=False)
    assert finished.returncode == 3


def test_logs_contain_no_secrets(emulator_factory):
    emulator = emulator_factory(count=1)
    admin_password = "Adm!n pass/1"
    sip_password = "sip secret&=%"
    xml_password = "xml:Secret+7"
    http = new_http_session()

    admin = forms_login(emulator, 0)
    changed = admin.post(emulator.url(0, "api-change_password"), data={"oldadmin": "admin", "P2": admin_password})
    assert changed.json()["response"] == "success"
    admin = forms_login(emulator, 0, "admin", admin_password)
    admin.post(emulator.url(0, "api.values.post"), data={"P34": sip_password, "P47": "visible.example.com"})
    admin.get(emulator.url(0, "api.values.post"), params={"P1359": xml_password, "sid": admin.sid})
    admin.get(emulator.url(0, "api-change_password"), params={"oldadmin": admin_password, "P2": admin_password})
    http.post(emulator.url(0, "dologin"), data={"username": "admin", "password": "wrong guess"})
    token_answer = token_login(emulator, 0, password=admin_password)
    token_sid = token_answer.json()["body"]["sid"]
    token_secret = token_answer.request.url.split("Secret=")[1]

    log = emulator.read_log()
    assert "api.values.post" in log and "P1359=********" in log
    forbidden = {admin_password, sip_password, xml_password, "wrong guess", admin.sid, token_sid, token_secret}
    for secret in list(forbidden):
        forbidden |= {quote(secret), quote_plus(secret), quote(secret, safe="")}
    forbidden |= {hashlib.md5(admin_password.encode()).hexdigest()}
    for secret in forbidden:
        assert secret not in log, f"secret leaked into the log: {secret!r}"
