"""connection.py: the connection options (ports, the password, its environment variable)."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams, connection_params
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError


def test_port_defaults_follow_the_protocol():
    assert ConnectionParams(host="h", protocol="https").port == 443
    assert ConnectionParams(host="h", protocol="http").port == 80
    assert ConnectionParams(host="::1", protocol="http", port=8080).base_url == "http://[::1]:8080"


def test_password_is_required_and_named(monkeypatch):
    monkeypatch.delenv("GS_PASSWORD", raising=False)
    with pytest.raises(ValidationError) as failure:
        connection_params({"host": "h"})
    assert failure.value.field == "password"


def test_password_from_environment(monkeypatch):
    monkeypatch.setenv("GS_PASSWORD", "from-env")
    assert connection_params({"host": "h"}).password == "from-env"
