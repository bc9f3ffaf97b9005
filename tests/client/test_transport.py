"""Which failed requests the client repeats, against the emulator's faults over real HTTP on loopback.

A failure that proves the phone did not act (connection refused, HTTP 503) is retried for every request;
a failure after the request may have reached the phone (a reset, no answer in time) only for requests
that are safe to repeat, and is raised with ``may_have_acted`` otherwise.
"""

import socket

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.transport import write_label
from tests.helpers.emulator_proc import EmulatorProcess

RETRIES = 3


@pytest.fixture(scope="module")
def phones():
    with EmulatorProcess(count=1) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def clean(phones):
    phones.reset()
    yield


def make_client(port, timeout=5, firmware_dialect="auto"):
    conn = ConnectionParams(host="127.0.0.1", port=port, protocol="http", password="admin", retries=RETRIES,
                            timeout=timeout, firmware_dialect=firmware_dialect)
    return PhoneClient(conn, sleep=lambda seconds: None)


def sent(phones, endpoint):
    return phones.counters(0)["by_endpoint"].get(endpoint, 0)


def test_a_503_is_retried_also_for_a_non_idempotent_write(phones):
    client = make_client(phones.ports[0])
    client.login()
    phones.faults(0, {"error_rate": 1.0, "error_on": "all"})
    with pytest.raises(PhoneError) as failure:
        client.call("api-add_group", params={"name": "Sales"}, idempotent=False)
    assert failure.value.kind == "booting" and failure.value.may_have_acted is False
    assert sent(phones, "api-add_group") == 1 + RETRIES
    assert client.writes == []  # the phone answered 503 every time: it did not act


def test_a_reset_write_is_sent_once_and_journaled_as_possibly_applied(phones):
    client = make_client(phones.ports[0])
    client.login()
    phones.faults(0, {"reset_rate": 1.0, "reset_on": "writes"})
    with pytest.raises(PhoneError) as failure:
        client.call("api-add_group", params={"name": "Sales"}, idempotent=False)
    assert failure.value.kind == "connection" and failure.value.may_have_acted is True
    assert "may have reached the phone, so it is not repeated" in failure.value.message
    assert sent(phones, "api-add_group") == 1
    assert client.writes == ["api-add_group (name) (no clear answer)"]


def test_a_reset_read_is_retried(phones):
    client = make_client(phones.ports[0])
    client.login()
    phones.faults(0, {"reset_rate": 1.0})
    with pytest.raises(PhoneError) as failure:
        client.call("api-get_groups")
    assert failure.value.may_have_acted is True
    assert sent(phones, "api-get_groups") == 1 + RETRIES


def test_a_login_without_an_answer_is_not_repeated(phones):
    phones.faults(0, {"latency_ms": 1500})
    # The dialect is given: detecting it would be the first request to time out (and be retried, it is a read).
    client = make_client(phones.ports[0], timeout=0.5, firmware_dialect="guide")
    with pytest.raises(PhoneError) as failure:
        client.login()
    assert failure.value.kind == "timeout" and failure.value.may_have_acted is True
    assert failure.value.message == ("no answer to dologin within 0.5s; the login may have reached the phone, "
                                     "so it is not repeated")
    assert client.stats["requests"] == 1


def test_a_refused_connection_is_retried_for_a_login():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(port)
    with pytest.raises(PhoneError) as failure:
        client.login()
    assert failure.value.kind == "connection" and failure.value.may_have_acted is False
    assert client.stats["requests"] == 1 + RETRIES and client.stats["retries"] == RETRIES


def test_an_answered_write_is_journaled_by_field_names_only(phones):
    client = make_client(phones.ports[0])
    client.post_values({"P30": "ntp.secret-looking.test", "P64": "CET"})
    assert client.writes == ["api.values.post (P30, P64)"]
    assert write_label("api-change_password", data={"oldadmin": "x", "P2": "y", "sid": "z"}) == \
        "api-change_password (oldadmin, P2)"
