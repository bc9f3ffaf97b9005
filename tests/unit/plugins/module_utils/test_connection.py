"""connection.py: the connection options (ports, the password, its environment variable)."""

import ssl

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils.connection import (
    ConnectionParams, check_ca_path, connection_params)
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


def _https_conn(ca_path):
    return ConnectionParams(host="127.0.0.1", protocol="https", password="x", ca_path=str(ca_path))


def test_a_ca_path_is_checked_by_loading_that_file_alone_not_the_system_store(tmp_path, monkeypatch):
    """check_ca_path runs in every task of every phone: it reads the one file, never the system's CA store
    (the ~10-20 ms ssl.create_default_context spends on it), and still refuses a file with no certificate."""
    from emulator.tls import ensure_certificate

    cert_path, unused_key = ensure_certificate(tmp_path / "certs")
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate\n")

    def no_system_store(*args, **kwargs):
        raise AssertionError("the system CA store was loaded for a ca_path check")

    monkeypatch.setattr(ssl.SSLContext, "load_default_certs", no_system_store)
    check_ca_path(_https_conn(cert_path))  # a PEM certificate: accepted
    with pytest.raises(ValidationError, match="holds no PEM certificate") as failure:
        check_ca_path(_https_conn(not_pem))
    assert failure.value.field == "ca_path"
    with pytest.raises(ValidationError, match="does not exist"):
        check_ca_path(_https_conn(tmp_path / "missing.pem"))
