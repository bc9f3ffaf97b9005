"""Pure logic shared by every module: secret scrubbing, connection defaults, session cache."""

import os
import time

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import runner
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams, connection_params
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import SessionCache


def test_scrub_masks_long_secrets_inside_strings_and_short_ones_only_as_whole_values():
    result = {"msg": "pushed s3cret-value to P34", "role": "admin", "list": ["admin", "x"], "admin": 1}
    cleaned = runner.scrub(result, {"s3cret-value", "admin"})
    assert cleaned["msg"] == "pushed ******** to P34"
    assert cleaned["list"] == ["********", "x"]
    assert cleaned["role"] == "********"


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


def test_session_cache_round_trip_and_retired_passwords(tmp_path):
    cache = SessionCache(str(tmp_path / "c"))
    assert cache.load("http://h:1", "admin", "pw") is None
    cache.store("http://h:1", "admin", "new-pw", "abc", {"sid": "abc"}, retired_passwords=["old-pw"])
    assert cache.load("http://h:1", "admin", "new-pw") == {"sid": "abc", "cookies": {"sid": "abc"}, "retired": False}
    assert cache.load("http://h:1", "admin", "old-pw")["retired"] is True
    assert cache.load("http://h:1", "admin", "other") is None
    assert cache.load("http://h:1", "user", "new-pw") is None
    assert oct(os.stat(tmp_path / "c").st_mode & 0o777) == "0o700"
    cache.forget("http://h:1", "admin")
    assert cache.load("http://h:1", "admin", "new-pw") is None


def test_session_cache_survives_a_corrupt_file(tmp_path):
    cache = SessionCache(str(tmp_path))
    cache.store("http://h:1", "admin", "pw", "abc", {})
    for path in tmp_path.iterdir():
        path.write_text("{not json")
    assert cache.load("http://h:1", "admin", "pw") is None


def test_a_refused_password_is_remembered_but_not_another_one(tmp_path):
    cache = SessionCache(str(tmp_path))
    cache.remember_refusal("http://h:1", "admin", "wrong", "auth", attempts_left=4)
    refused = cache.refusal("http://h:1", "admin", "wrong")
    assert refused["kind"] == "auth" and refused["attempts_left"] == 4
    assert cache.refusal("http://h:1", "admin", "right") is None
    assert "wrong" not in next(tmp_path.iterdir()).read_text()
    cache.store("http://h:1", "admin", "right", "sid", {})  # a successful login clears it
    assert cache.refusal("http://h:1", "admin", "wrong") is None


def test_a_lock_refuses_every_password_until_it_expires(tmp_path, monkeypatch):
    cache = SessionCache(str(tmp_path))
    cache.remember_refusal("http://h:1", "admin", "wrong", "locked", lock_minutes=5)
    assert cache.refusal("http://h:1", "admin", "any")["kind"] == "locked"
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert cache.refusal("http://h:1", "admin", "any") is None
