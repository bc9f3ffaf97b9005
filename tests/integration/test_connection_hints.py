"""Connection mistakes name the phone, the option and the likely fix (connection_hints.py), through ansible-playbook.

One emulated phone serves HTTP and HTTPS (``--protocol both``): plain HTTP is sent to its HTTPS port and HTTPS to
its HTTP port; a ca_path that is no certificate file, one without the phone's certificate and an empty directory
are tried on the HTTPS port. Loopback web servers that are no phones (tests/helpers/other_http.py) answer dologin
with HTTP 400, HTTP 404 and an HTML page. No case may spend a login attempt: the emulator counts none.
"""

from types import SimpleNamespace

import certifi
import pytest

from tests.helpers.ansible_run import play, run_playbook
from tests.helpers.emulator_proc import EmulatorProcess
from tests.helpers.other_http import OtherServer

HOST = "desk01"
CA_PATH_FIX = "set ca_path to the PEM file of the CA that signed the phone's certificate"


def _info(name, **options):
    return {"name": name, "grandstream.phone.gs_info": options, "ignore_errors": True}


def _inventory(port, protocol):
    return {"all": {"children": {"phones": {"hosts": {HOST: {"gs_port": port, "gs_protocol": protocol}}, "vars": {
        "ansible_connection": "local", "ansible_host": "127.0.0.1", "gs_password": "admin", "gs_retries": 0}}}}}


@pytest.fixture(scope="module")
def phone_run(tmp_path_factory, dialect):
    tmp_path = tmp_path_factory.mktemp("hints")
    not_pem = tmp_path / "phone-ca.pem"
    not_pem.write_text("-----BEGIN NOTHING-----\nthis is no certificate\n")
    empty_dir = tmp_path / "ca-dir"
    empty_dir.mkdir()
    with EmulatorProcess(count=1, protocol="both", firmware=dialect) as emulator:
        http_port, https_port = emulator.ports[0], emulator.https_ports[0]
        run = run_playbook(tmp_path, play(
            _info("http to the https port", port=https_port, protocol="http"),
            # The login memory does not resend the first one's login in this run: the same hint, not its refusal.
            _info("http to the https port again", port=https_port, protocol="http"),
            _info("https to the http port", port=http_port, protocol="https"),
            _info("ca_path no certificate", ca_path=str(not_pem)),
            _info("ca_path another CA", ca_path=certifi.where()),
            _info("ca_path empty directory", ca_path=str(empty_dir)),
            _info("right port and protocol", ca_path=str(emulator.cert_path)),
        ), _inventory(https_port, "https"))
        counters = emulator.counters(0)
    return SimpleNamespace(run=run, http_port=http_port, https_port=https_port, counters=counters,
                           not_pem=not_pem, empty_dir=empty_dir)


HTTP_TO_HTTPS = ("connection", "https_port",
                 "port %d speaks HTTPS, but protocol (gs_protocol) is http, so the phone reset the plain HTTP request: "
                 "set gs_protocol: https for this phone, or gs_port to its plain HTTP port (80 by default)")
WRONG_PROTOCOL = {
    # task: (error_kind, the port it went to, the message after "127.0.0.1:<port>: ", each %d that port)
    "http to the https port": HTTP_TO_HTTPS,
    "http to the https port again": HTTP_TO_HTTPS,
    "https to the http port": ("tls", "http_port",
                               "TLS handshake failed for https://127.0.0.1:%d: the port does not speak HTTPS; port %d "
                               "answers without TLS, but protocol (gs_protocol) is https: set gs_protocol: http for "
                               "this phone, or gs_port to its HTTPS port (443 by default)"),
}


@pytest.mark.parametrize("task", sorted(WRONG_PROTOCOL))
def test_a_wrong_protocol_names_the_port_and_gs_protocol(phone_run, task):
    kind, port_name, message = WRONG_PROTOCOL[task]
    port = getattr(phone_run, port_name)
    result = phone_run.run.result(HOST, task)
    assert result["_status"] == "failed" and result["error_kind"] == kind
    assert result["msg"] == "127.0.0.1:%d: %s" % (port, message % ((port,) * message.count("%d")))
    # Nothing reached the phone's web API, so nothing is reported as possibly changed.
    assert result["changed"] is False


def test_a_ca_path_without_a_certificate_is_refused_before_any_request(phone_run):
    result = phone_run.run.result(HOST, "ca_path no certificate")
    assert result["_status"] == "failed" and result["field"] == "ca_path"
    assert result["msg"] == ("127.0.0.1:%d: ca_path %s holds no PEM certificate: %s (or to the phone's own "
                             "certificate)" % (phone_run.https_port, phone_run.not_pem, CA_PATH_FIX))


def test_a_ca_path_that_does_not_trust_the_phone_is_named(phone_run):
    untrusted = ("127.0.0.1:%d: the TLS certificate of https://127.0.0.1:%d is self-signed and not trusted by this "
                 "controller (phones ship self-signed certificates): set ca_path to that certificate or to the CA "
                 "that signed it; ca_path (gs_ca_path) is %s, which holds neither this certificate nor the CA that "
                 "signed it")
    another_ca = phone_run.run.result(HOST, "ca_path another CA")
    assert another_ca["msg"] == untrusted % (phone_run.https_port, phone_run.https_port, certifi.where())
    directory = phone_run.run.result(HOST, "ca_path empty directory")
    empty_dir = phone_run.empty_dir
    assert directory["msg"] == (untrusted % (phone_run.https_port, phone_run.https_port, empty_dir)
                                + " (a directory is read through OpenSSL's hash links: run openssl rehash %s)"
                                % empty_dir)


def test_no_hint_spends_a_login_attempt(phone_run):
    assert phone_run.run.result(HOST, "right port and protocol")["_status"] == "ok"
    # One login: the task that reached the phone. The mistakes above counted neither a login nor a failed one.
    counters = phone_run.counters
    assert counters["logins"] == 1 and counters["failed_logins"] == 0, counters


@pytest.mark.parametrize("mode, today", [
    ("bad_request", "HTTP 400 for dologin"),
    ("not_phone", "HTTP 404 for /cgi-bin/dologin: this does not look like a Grandstream phone's Web API"),
    ("html", "the answer to dologin is not JSON (content type 'text/html'): this does not look like a Grandstream "
             "phone's Web API"),
])
def test_a_server_that_is_not_a_phone_names_host_port_and_protocol(tmp_path, mode, today):
    with OtherServer(mode) as server:
        run = run_playbook(tmp_path, play(_info("info")), _inventory(server.port, "http"))
        sent = list(server.requests)
    result = run.result(HOST, "info")
    assert result["_status"] == "failed"
    assert result["msg"] == (
        "127.0.0.1:%d: %s; http://127.0.0.1:%d is another web server, not a Grandstream phone's Web API: check host "
        "(gs_host or ansible_host), port (gs_port) and protocol (gs_protocol) for this phone"
        % (server.port, today, server.port))
    # The unauthenticated dialect probe (no answer: the guide dialect, dialects.py) and one login request, as
    # without the hint: diagnosing it sent nothing more.
    assert sent == [("GET", "/json/configs/model.define.js"), ("POST", "/cgi-bin/dologin")], sent
