"""Pure logic shared by every module: secret scrubbing, connection defaults, session cache."""

import os
import time

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import runner
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams, connection_params
from ansible_collections.grandstream.phone.plugins.module_utils import login_memory
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory
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


def test_a_refused_password_is_remembered_until_cleared_but_not_another_one(tmp_path, monkeypatch):
    memory = LoginMemory(persistent=str(tmp_path))
    memory.remember("http://h:1", "admin", "wrong", "auth", attempts_left=4)
    refused = memory.check("http://h:1", "admin", "wrong")
    assert refused["kind"] == "auth" and refused["attempts_left"] == 4
    assert memory.check("http://h:1", "admin", "right") is None
    assert memory.check("http://h:1", "user", "wrong") is None
    assert "wrong" not in next(tmp_path.iterdir()).read_text()
    later = time.time() + 30 * 24 * 3600  # a month of nightly runs later: still not sent again
    monkeypatch.setattr(time, "time", lambda: later)
    assert memory.check("http://h:1", "admin", "wrong")["kind"] == "auth"
    memory.accepted("http://h:1", "admin", "wrong")  # the phone accepted it after all (it was set by hand)
    assert memory.check("http://h:1", "admin", "wrong") is None


def test_only_a_password_the_phone_accepted_is_known_good_and_a_refusal_ends_it(tmp_path):
    memory = LoginMemory(persistent=str(tmp_path))
    assert memory.known_good("http://h:1", "admin", "pw") is False
    memory.accepted("http://h:1", "admin", "pw")
    assert memory.known_good("http://h:1", "admin", "pw") is True
    assert memory.known_good("http://h:1", "admin", "other") is False
    assert memory.known_good("http://h:1", "user", "pw") is False
    assert memory.known_good("http://h:2", "admin", "pw") is False
    assert "pw" not in next(tmp_path.iterdir()).read_text()
    memory.remember("http://h:1", "admin", "pw", "auth", attempts_left=4)  # changed on the phone since
    assert memory.known_good("http://h:1", "admin", "pw") is False


def test_a_lock_refuses_every_password_until_it_expires(tmp_path, monkeypatch):
    memory = LoginMemory(persistent=str(tmp_path))
    memory.remember("http://h:1", "admin", "wrong", "locked", lock_minutes=5)
    assert memory.check("http://h:1", "user", "any")["kind"] == "locked"
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert memory.check("http://h:1", "admin", "any") is None


def test_an_unanswered_login_is_remembered_for_the_run_only(tmp_path):
    memory = LoginMemory(persistent=str(tmp_path / "cache"), run=str(tmp_path / "run"))
    memory.remember("http://h:1", "admin", "pw", "unanswered")
    assert memory.check("http://h:1", "admin", "pw")["scope"] == "run"
    assert LoginMemory(persistent=str(tmp_path / "cache")).check("http://h:1", "admin", "pw") is None


def test_the_run_directory_is_private_and_named_by_the_parent_and_its_start(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    path = login_memory.run_directory()
    assert os.path.basename(path) == "%d-%s" % (os.getppid(), login_memory._process_start(os.getppid()))
    assert oct(os.stat(path).st_mode & 0o777) == "0o700"
    stale = os.path.join(os.path.dirname(path), "%d-1" % os.getpid())  # our pid, another start: an ended run
    os.makedirs(stale)
    os.rmdir(path)
    login_memory.run_directory()
    assert not os.path.exists(stale)


def test_failure_result_reports_journaled_writes_when_the_engine_has_no_applied():
    error = PhoneError("connection reset by the phone", host="h:1", kind="connection")
    result = runner.failure_result(error, ["api.values.post (P30)"])
    assert result["changed"] is True and result["applied"] == ["api.values.post (P30)"]
    own = PhoneError("x", details={"applied": ["add group Sales"]})
    assert runner.failure_result(own, ["api-add_group (name)"])["applied"] == ["add group Sales"]
    assert runner.failure_result(PhoneError("x"), [])["changed"] is False
    # The engine read back that nothing stuck: its empty applied is the truth, not the journal.
    dropped = PhoneError("1 of 1 written value(s) did not stick", details={"applied": [], "not_applied": ["P30"]})
    assert runner.failure_result(dropped, ["api.values.post (P30)"])["changed"] is False
    reset = PhoneError("connection reset by the phone", kind="connection", details={"applied": []}, may_have_acted=True)
    assert runner.failure_result(reset, ["api-add_group (name) (no clear answer)"])["changed"] is True
