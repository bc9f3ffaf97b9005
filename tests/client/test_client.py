"""The phone client against the real emulator over real HTTP(S) on loopback."""

import http.server
import socket
import threading

import pytest
import requests

from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient, chunk_names
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import SessionCache
from tests.helpers.emulator_proc import EmulatorProcess

# Round-robin models: 0 GXV3370 and 1 GXV3380 use the session-identity cookie, 2 GXV3350 and 3 WP820 use sid.
SESSION_IDENTITY_PHONE, SID_PHONE = 0, 2


@pytest.fixture(scope="module")
def phones():
    with EmulatorProcess(count=4, protocol="both", extra_args=["--session-idle", "2"]) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def clean(phones):
    phones.reset()
    phones.reset_counters()
    yield


def make_client(phones, index=0, password="admin", protocol="http", cache=None, **extra):
    port = phones.https_ports[index] if protocol == "https" else phones.ports[index]
    conn = ConnectionParams(host="127.0.0.1", port=port, protocol=protocol, password=password,
                            validate_certs=extra.pop("validate_certs", False), retries=extra.pop("retries", 2),
                            timeout=extra.pop("timeout", 5), **extra)
    return PhoneClient(conn, session_cache=cache, sleep=lambda seconds: None)


def raw_login(phones, index, password="admin", username="admin"):
    url = "http://127.0.0.1:%d/cgi-bin/dologin" % phones.ports[index]
    return requests.post(url, data={"username": username, "password": password}, timeout=5).json()


@pytest.mark.parametrize("index,cookie", [(SESSION_IDENTITY_PHONE, "session-identity"), (SID_PHONE, "sid")])
def test_forms_login_uses_the_models_cookie_and_reads_values(phones, index, cookie):
    client = make_client(phones, index)
    values = client.get_values(["P89", "P68"])
    assert values["P89"] == phones.state(index)["model"]
    assert values["P68"]
    assert cookie in client.session.cookies.keys()
    counters = phones.counters(index)
    # The dialect probe (an unauthenticated GET of model.define.js, 404 on a guide phone), the login, the read.
    assert counters["logins"] == 1 and counters["requests"] == 3


def test_both_endpoint_spellings(phones):
    client = make_client(phones)
    dotted = client.call("api.values.get", params={"request": "89"})
    dashed = client.call("api-values.get", params={"request": "89"})
    assert dotted["body"] == dashed["body"] and dotted["body"]["89"]


def change_admin_password(phones, index, new_password):
    sid = raw_login(phones, index)["body"]["sid"]
    url = "http://127.0.0.1:%d/cgi-bin/api-change_password" % phones.ports[index]
    answer = requests.post(url, data={"oldadmin": "admin", "P2": new_password, "sid": sid}, timeout=5).json()
    assert answer["response"] == "success", answer
    phones.reset_counters()


def test_session_is_reused_across_clients_through_the_cache(phones, tmp_path):
    change_admin_password(phones, 0, "Distinctive-Pass-42")
    cache = SessionCache(str(tmp_path))
    make_client(phones, cache=cache, password="Distinctive-Pass-42").get_values(["P89"])
    second = make_client(phones, cache=cache, password="Distinctive-Pass-42")
    second.get_values(["P89"])
    assert second.stats["logins"] == 0
    assert phones.counters(0)["logins"] == 1
    # The session, the login memory (the password this phone accepted) and the controller's fingerprint key,
    # each 0600, none with the password.
    cached = sorted(tmp_path.iterdir(), key=lambda path: (path.name.endswith(".logins.json"), path.name))
    assert "fingerprint.key" in [path.name for path in cached]
    assert [path.name.endswith(".logins.json") for path in cached] == [False, False, True]
    for path in cached:
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert "Distinctive-Pass-42" not in path.read_text()  # fingerprints, never the password


def test_cache_is_not_used_with_a_different_password(phones, tmp_path):
    cache = SessionCache(str(tmp_path))
    make_client(phones, cache=cache).get_values(["P89"])
    with pytest.raises(PhoneError) as failure:
        make_client(phones, cache=cache, password="not-the-password").get_values(["P89"])
    assert failure.value.kind == "auth"


def test_evicted_session_costs_exactly_one_relogin(phones):
    client = make_client(phones)
    client.get_values(["P89"])
    assert raw_login(phones, 0)["response"] == "success"  # someone else logs in as admin: evicts us
    assert client.get_values(["P30"])["P30"]  # P30 is not in the public subset: needs the session
    assert client.stats["logins"] == 2 and client.stats["relogins"] == 1
    assert phones.counters(0)["logins"] == 3


def test_expired_session_on_write_relogs_once_and_the_write_lands(phones):
    client = make_client(phones)
    client.get_values(["P89"])
    phones.expire_sessions(0)
    client.post_values({"P30": "ntp.example.org"})
    assert client.stats["relogins"] == 1
    assert phones.state(0)["pvalues"]["P30"] == "ntp.example.org"


def test_idle_expiry_is_survived(phones):
    client = make_client(phones)
    client.get_values(["P89"])
    phones.expire_sessions(0)
    assert client.get_values(["P30"])["P30"]
    assert client.stats["relogins"] == 1


def test_wrong_password_fails_once_without_retry_and_does_not_lock(phones):
    client = make_client(phones, password="wrong-secret-value")
    with pytest.raises(PhoneError) as failure:
        client.get_values(["P89"])
    error = failure.value
    assert error.kind == "auth" and error.attempts_left == 4
    assert "4 attempt(s) left" in str(error) and "127.0.0.1" in str(error)
    assert "wrong-secret-value" not in str(error)
    counters = phones.counters(0)
    assert counters["failed_logins"] == 1 and counters["requests"] == 2  # the dialect probe and the login
    assert raw_login(phones, 0)["response"] == "success"  # not locked


def test_locked_phone_gives_the_lock_time_and_no_further_attempts(phones):
    for unused_attempt in range(5):
        raw_login(phones, 0, password="bad")
    phones.reset_counters()
    with pytest.raises(PhoneError) as failure:
        make_client(phones).get_values(["P89"])
    assert failure.value.kind == "locked" and failure.value.lock_minutes == 5
    assert "5 minute" in str(failure.value)
    assert phones.counters(0)["requests"] == 2  # the dialect probe and the refused login


def test_token_login_reaches_token_endpoints(phones):
    client = make_client(phones)
    payload = client.call("api-get_phone_status", auth="token")
    assert payload["response"] == "success" and payload["body"] in ("available", "ringing", "busy")
    assert client.token_sid and client.sid is None  # no forms login was needed


def test_token_login_with_wrong_password_is_a_clear_error(phones):
    with pytest.raises(PhoneError) as failure:
        make_client(phones, password="nope").call("api-make_call", params={"phonenumber": "100", "account": "0"},
                                                  auth="token")
    assert failure.value.kind in ("auth", "session")


def test_invalid_request_is_mapped(phones):
    client = make_client(phones)
    with pytest.raises(PhoneError) as failure:
        client.call("api-make_call", params={"account": "0"}, auth="token")
    assert failure.value.kind == "invalid_request" and "Invalid Request" in str(failure.value)


def test_reads_are_retried_through_5xx(phones):
    phones.faults(0, {"error_rate": 0.5, "error_on": "reads"})
    client = make_client(phones, retries=6)
    for unused_read in range(5):
        assert client.get_values(["P89"])["P89"]
    assert client.stats["retries"] >= 1


def test_closed_port_is_one_clear_error(phones):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conn = ConnectionParams(host="127.0.0.1", port=port, protocol="http", password="admin", retries=1)
    with pytest.raises(PhoneError) as failure:
        PhoneClient(conn, sleep=lambda s: None).get_values(["P89"])
    assert failure.value.kind == "connection"
    assert "127.0.0.1:%d" % port in str(failure.value) and "refused" in str(failure.value)


class _NotAPhone(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        body = b"<html><body>It works!</body></html>"
        self.send_response(200 if self.path.endswith("dologin") else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_web_server_that_is_not_a_phone_is_named_as_such():
    server = http.server.HTTPServer(("127.0.0.1", 0), _NotAPhone)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn = ConnectionParams(host="127.0.0.1", port=server.server_port, protocol="http", password="admin")
        with pytest.raises(PhoneError) as failure:
            PhoneClient(conn).get_values(["P89"])
        assert failure.value.kind == "not_a_phone" and "Grandstream" in str(failure.value)
    finally:
        server.shutdown()
        server.server_close()


def test_https_client_on_an_http_port_is_a_tls_error(phones):
    conn = ConnectionParams(host="127.0.0.1", port=phones.ports[0], protocol="https", password="admin",
                            validate_certs=False)
    with pytest.raises(PhoneError) as failure:
        PhoneClient(conn).get_values(["P89"])
    assert failure.value.kind == "tls" and "the port does not speak HTTPS" in str(failure.value)


def test_self_signed_certificate_is_refused_by_default(phones):
    with pytest.raises(PhoneError) as failure:
        make_client(phones, protocol="https", validate_certs=True).get_values(["P89"])
    assert failure.value.kind == "tls" and "ca_path" in str(failure.value)


def test_ca_path_trusts_the_phone(phones, monkeypatch):
    # REQUESTS_CA_BUNDLE must not override ca_path (design section 3).
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/bundle.pem")
    client = make_client(phones, protocol="https", validate_certs=True, ca_path=phones.cert_path)
    assert client.get_values(["P89"])["P89"]


def test_validate_certs_false_accepts_the_phone(phones):
    assert make_client(phones, protocol="https", validate_certs=False).get_values(["P89"])["P89"]


def test_chunking_keeps_every_request_line_short():
    names = ["P%d" % number for number in range(1000, 2000)]
    chunks = chunk_names(names, prefix_len=60, limit=500)
    assert [name for chunk in chunks for name in chunk] == names
    assert all(60 + len(":".join(chunk)) <= 500 for chunk in chunks)
    assert len(chunks) > 1


def test_many_values_are_read_in_few_requests(phones):
    names = ["P%d" % number for number in range(1000, 1400)]
    client = make_client(phones)
    values = client.get_values(names)
    assert set(values) == set(names)
    reads = client.stats["requests"] - client.stats["logins"] - 1  # the dialect probe is no values read
    assert reads == 2  # 400 names of 5 characters: ~2.4 KB of names, two requests under the 1.8 KB limit
