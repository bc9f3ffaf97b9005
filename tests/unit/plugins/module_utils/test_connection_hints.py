"""connection_hints.add_hint: which errors get a hint, and which are left as they are (pure logic, no phone).

The wording of each hint is tested end to end in tests/integration/test_connection_hints.py; here the cases
that must not get one: a reset on a port that does not speak TLS, an answer a phone does give, another endpoint.
"""

import socket

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.connection_hints import add_hint, speaks_tls
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError


def _conn(protocol="http", port=8443, ca_path=None):
    return ConnectionParams(host="127.0.0.1", port=port, protocol=protocol, password="x", ca_path=ca_path)


def _hinted(message, kind, conn, tls=False):
    handshakes = []

    def handshake(checked):
        handshakes.append(checked.port)
        return tls

    error = add_hint(PhoneError(message, host=conn.label, kind=kind, may_have_acted=True), conn, handshake)
    return error, handshakes


def test_a_reset_of_plain_http_is_an_https_port_only_when_the_port_completes_a_handshake():
    reset = "connection reset by the phone; the login may have reached the phone, so it is not repeated"
    error, handshakes = _hinted(reset, "connection", _conn(), tls=True)
    assert error.message.startswith("port 8443 speaks HTTPS, but protocol (gs_protocol) is http")
    assert error.may_have_acted is False and handshakes == [8443]
    # A phone going down resets too: without a handshake the message stays, and may_have_acted with it.
    error, handshakes = _hinted(reset, "connection", _conn(), tls=False)
    assert error.message == reset and error.may_have_acted is True and handshakes == [8443]
    # Over HTTPS a reset says nothing about the protocol: no handshake is even tried.
    error, handshakes = _hinted(reset, "connection", _conn("https"), tls=True)
    assert error.message == reset and handshakes == []


@pytest.mark.parametrize("message, kind", [
    ("HTTP 400 for dologin", "http"),
    ("HTTP 405 for dologin", "http"),
    ("HTTP 404 for /cgi-bin/dologin: this does not look like a Grandstream phone's Web API", "not_a_phone"),
    ("the answer to login is not JSON (content type 'text/html'): this does not look like a Grandstream phone's "
     "Web API", "not_a_phone"),
])
def test_an_answer_to_a_login_that_no_phone_gives_names_host_port_and_protocol(message, kind):
    error, handshakes = _hinted(message, kind, _conn(port=8080))
    assert error.message == message + (
        "; http://127.0.0.1:8080 is another web server, not a Grandstream phone's Web API: check host (gs_host or "
        "ansible_host), port (gs_port) and protocol (gs_protocol) for this phone")
    assert handshakes == []


@pytest.mark.parametrize("message, kind", [
    ("HTTP 403 for dologin", "http"),  # current firmware, a form without a same-origin Referer
    ("HTTP 411 for dologin", "http"),  # current firmware, a POST without Content-Length
    ("HTTP 401 Unauthorized for dologin", "session"),
    ("HTTP 400 for api-get_contacts", "http"),  # the phone answered the login: it is a phone
    ("HTTP 404 for /cgi-bin/api-get_phone_status: this does not look like a Grandstream phone's Web API",
     "not_a_phone"),
    ("connection refused (phone down, rebooting, or wrong port/protocol)", "connection"),
])
def test_answers_a_phone_gives_get_no_hint(message, kind):
    error, handshakes = _hinted(message, kind, _conn(port=8080))
    assert error.message == message and handshakes == []


def test_a_trust_failure_names_ca_path_only_when_one_is_set(tmp_path):
    untrusted = "the TLS certificate of https://127.0.0.1:8443 is self-signed and not trusted by this controller"
    assert _hinted(untrusted, "tls", _conn("https"))[0].message == untrusted
    pem = tmp_path / "ca.pem"
    assert _hinted(untrusted, "tls", _conn("https", ca_path=str(pem)))[0].message == (
        untrusted + "; ca_path (gs_ca_path) is %s, which holds neither this certificate nor the CA that signed it"
        % pem)
    expired = "the TLS certificate of https://127.0.0.1:8443 is outside its validity period"
    assert _hinted(expired, "tls", _conn("https", ca_path=str(pem)))[0].message == expired


def test_no_connection_no_hint():
    error = PhoneError("HTTP 400 for dologin", kind="http")
    assert add_hint(error, None).message == "HTTP 400 for dologin"


def test_speaks_tls_is_false_where_nothing_listens():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert speaks_tls(ConnectionParams(host="127.0.0.1", port=port, protocol="http", password="x", timeout=1)) is False
