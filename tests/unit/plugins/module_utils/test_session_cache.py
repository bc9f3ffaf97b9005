"""Password fingerprints of the session cache and the login memory: keyed (HMAC-SHA256), the key 0600 beside them."""

import hashlib
import json
import multiprocessing
import os
import stat

from ansible_collections.grandstream.phone.plugins.module_utils import session_cache
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory
from ansible_collections.grandstream.phone.plugins.module_utils.private_files import read_or_create_secret
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import (
    KEY_FILE, KEYED_SCHEME, SessionCache, fingerprint, legacy_fingerprint)

PASSWORD = "Distinctive-Pass-42"
URL = "http://127.0.0.1:8080"


def _fresh_keys(monkeypatch):
    monkeypatch.setattr(session_cache, "_keys", {})


def test_a_fingerprint_is_keyed_salted_and_the_key_file_is_0600_and_holds_no_password(tmp_path, monkeypatch):
    _fresh_keys(monkeypatch)
    directory = str(tmp_path / "sessions")
    SessionCache(directory).store(URL, "admin", PASSWORD, "sid-1", {})
    key_path = os.path.join(directory, KEY_FILE)
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    content = open(key_path, "rb").read()
    assert PASSWORD.encode() not in content and len(bytes.fromhex(content.decode())) == 32
    entry = next(json.load(open(os.path.join(directory, name))) for name in os.listdir(directory)
                 if name.endswith(".json"))
    assert entry["current"].startswith(KEYED_SCHEME) and PASSWORD not in json.dumps(entry)
    salt = "00" * 16
    assert fingerprint(PASSWORD, salt, directory) != fingerprint(PASSWORD, "11" * 16, directory)  # salted
    other = str(tmp_path / "elsewhere")
    assert fingerprint(PASSWORD, salt, directory) != fingerprint(PASSWORD, salt, other)  # keyed per directory


def test_the_key_is_read_once_per_process(tmp_path, monkeypatch):
    _fresh_keys(monkeypatch)
    directory = str(tmp_path)
    first = fingerprint(PASSWORD, "00" * 16, directory)
    os.unlink(os.path.join(directory, KEY_FILE))  # the process keeps the key it read
    assert fingerprint(PASSWORD, "00" * 16, directory) == first


def _create(path, queue):
    queue.put(read_or_create_secret(path))


def test_forked_workers_racing_to_create_the_key_all_end_with_the_same_one(tmp_path):
    path = str(tmp_path / "keys" / KEY_FILE)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_create, args=(path, queue)) for unused in range(8)]
    for worker in workers:
        worker.start()
    keys = [queue.get(timeout=30) for unused in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert len(set(keys)) == 1 and keys[0] is not None
    assert sorted(os.listdir(tmp_path / "keys")) == [KEY_FILE]  # no temporary file left


def test_a_session_of_the_old_pbkdf2_scheme_is_a_miss_so_one_login(tmp_path, monkeypatch):
    _fresh_keys(monkeypatch)
    cache = SessionCache(str(tmp_path))
    cache.store(URL, "admin", PASSWORD, "sid-1", {})
    path = cache._path(URL, "admin")
    entry = json.load(open(path))
    entry["current"] = legacy_fingerprint(PASSWORD, entry["salt"])
    json.dump(entry, open(path, "w"))
    assert cache.load(URL, "admin", PASSWORD) is None
    cache.store(URL, "admin", PASSWORD, "sid-2", {})  # the login that follows replaces it
    assert cache.load(URL, "admin", PASSWORD)["sid"] == "sid-2"
    assert cache.load(URL, "admin", PASSWORD + "x") is None


def test_a_refusal_of_the_old_scheme_still_refuses_that_password(tmp_path, monkeypatch):
    """An upgrade must not let a password the phone refused be sent again."""
    _fresh_keys(monkeypatch)
    salt = "ab" * 16
    old = {"salt": salt, "refusals": [{"user": "admin", "fingerprint": legacy_fingerprint(PASSWORD, salt),
                                       "kind": "auth", "at": 1, "attempts_left": 4}]}
    memory = LoginMemory(persistent=str(tmp_path))
    phone_file = memory._files(URL)[0][1]
    os.makedirs(str(tmp_path), exist_ok=True)
    json.dump(old, open(phone_file.path, "w"))
    assert memory.check(URL, "admin", PASSWORD)["kind"] == "auth"
    assert memory.check(URL, "admin", PASSWORD + "x") is None
    memory.remember(URL, "admin", PASSWORD + "x", "auth")  # a new refusal is keyed
    stored = json.load(open(phone_file.path))["refusals"][-1]["fingerprint"]
    assert stored.startswith(KEYED_SCHEME)
    assert memory.check(URL, "admin", PASSWORD + "x")["kind"] == "auth"


def test_without_a_usable_key_the_memory_still_remembers_refusals(tmp_path, monkeypatch):
    _fresh_keys(monkeypatch)
    directory = tmp_path / "memory"
    directory.mkdir()
    (directory / KEY_FILE).write_text("not a key")  # damaged: never replaced behind the user's back
    memory = LoginMemory(persistent=str(directory))
    memory.remember(URL, "admin", PASSWORD, "auth")
    assert memory.check(URL, "admin", PASSWORD)["kind"] == "auth"
    assert memory.check(URL, "admin", "other") is None


def test_with_a_key_no_path_runs_pbkdf2(tmp_path, monkeypatch):
    """The milliseconds went to PBKDF2's 20000 rounds: with a key, store, load, refusals and acceptances skip it."""
    _fresh_keys(monkeypatch)

    def no_pbkdf2(*args, **kwargs):
        raise AssertionError("PBKDF2 was run")

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", no_pbkdf2)
    cache = SessionCache(str(tmp_path))
    cache.store(URL, "admin", PASSWORD, "sid-1", {}, retired_passwords=["older-password"])
    assert cache.load(URL, "admin", PASSWORD)["sid"] == "sid-1"
    assert cache.load(URL, "admin", "older-password")["retired"] is True
    memory = LoginMemory(persistent=str(tmp_path))
    memory.remember(URL, "admin", "wrong-password", "auth")
    memory.accepted(URL, "admin", PASSWORD)
    assert memory.check(URL, "admin", "wrong-password")["kind"] == "auth"
    assert memory.known_good(URL, "admin", PASSWORD) and not memory.known_good(URL, "admin", "wrong-password")


def test_a_replaced_key_never_lets_a_refused_password_through(tmp_path, monkeypatch):
    """fingerprint.key deleted, the phone's login memory kept: its refusals cannot be verified any more, so
    every password of that user is held back (no attempt spent) until the file is cleared."""
    _fresh_keys(monkeypatch)
    memory = LoginMemory(persistent=str(tmp_path))
    memory.remember(URL, "admin", PASSWORD, "auth")
    os.unlink(os.path.join(str(tmp_path), KEY_FILE))
    _fresh_keys(monkeypatch)  # a new process: a new key is created
    assert memory.check(URL, "admin", PASSWORD)["kind"] == "auth"
    assert memory.check(URL, "admin", "another-password")["kind"] == "auth"
    assert memory.check(URL, "user", PASSWORD) is None  # another user's logins are not affected
    memory.remember(URL, "admin", "third-password", "auth")  # a later write keeps the file marked
    assert memory.check(URL, "admin", "another-password")["kind"] == "auth"
    os.unlink(memory._files(URL)[0][1].path)  # cleared, as the error message says
    assert memory.check(URL, "admin", PASSWORD) is None


def test_session_cache_round_trip_and_retired_passwords(tmp_path):
    cache = SessionCache(str(tmp_path / "c"))
    assert cache.load("http://h:1", "admin", "pw") is None
    cache.store("http://h:1", "admin", "new-pw", "abc", {"sid": "abc"}, retired_passwords=["old-pw"])
    assert cache.load("http://h:1", "admin", "new-pw") == {
        "sid": "abc", "cookies": {"sid": "abc"}, "retired": False, "dialect": None, "facts": {}}
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
