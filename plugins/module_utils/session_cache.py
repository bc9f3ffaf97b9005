# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side cache of phone session ids, so a play logs in to each phone once, not once per task.

Ansible runs every task of every host in a fresh worker process, so an in-memory session cannot
outlive a task. The cache is a directory of small JSON files (0700 dir, 0600 files, atomic
replace), one per (url, user). A file holds the session id, the cookie names the phone used,
fingerprints of the passwords the session is valid for, and the phone's firmware dialect with the facts
its login gave (version, MAC, model: dialects.py), so a later task neither probes nor logs in again; it
never holds a password. Forgetting a session forgets its dialect: the next login detects it again.
A fingerprint check stops a task with a different password from riding on someone else's session.

A fingerprint is a keyed hash, HMAC-SHA256 of a per-file salt and the password, with a random key of this
controller (``fingerprint.key``, 0600 beside the files it protects, created once, read once per process):
microseconds, where the salted PBKDF2 of earlier releases cost milliseconds per task. Without the key a
fingerprint says nothing about the password, so a copied cache file cannot be brute-forced offline.
Fingerprints of the old scheme (no ``h1:`` prefix) are still recognised where forgetting them would cost
a phone a login attempt (the login memory's refusals); a session cache entry of the old scheme is simply
a miss (one login).
Refused passwords and locks live next to the sessions, in login_memory.py.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
import hmac
import os
import time

from ansible_collections.grandstream.phone.plugins.module_utils.private_files import (
    read_json, read_or_create_secret, write_json)

_LEGACY_ITERATIONS = 20000
KEY_FILE = "fingerprint.key"
KEYED_SCHEME = "h1:"  # prefix of a keyed (HMAC-SHA256) fingerprint
_keys = {}  # directory -> its key: read once per process
# "This password was replaced by gs_password" only means something within the play that replaced it.
RETIRED_SECONDS = 3600
DEFAULT_DIR_ENV = "GS_SESSION_CACHE_DIR"
DISABLE_ENV = "GS_SESSION_CACHE"  # "off" disables the cache


def default_cache_dir():
    explicit = os.environ.get(DEFAULT_DIR_ENV)
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "grandstream.phone", "sessions")


def controller_key(directory):
    """This controller's fingerprint key for the files in ``directory`` (bytes), or None when it cannot be had."""
    key = _keys.get(directory)
    if key is None:
        key = read_or_create_secret(os.path.join(directory, KEY_FILE))
        if key is not None:
            _keys[directory] = key
    return key


def key_id(directory):
    """A name of ``directory``'s key (not the key): a file records it, so a reader knows when the key changed."""
    key = controller_key(directory)
    return None if key is None else hmac.new(key, b"grandstream.phone key id", hashlib.sha256).hexdigest()[:16]


def legacy_fingerprint(password, salt):
    """Salted PBKDF2 (hex): the fingerprint of earlier releases, and the fallback when no key can be kept."""
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), _LEGACY_ITERATIONS).hex()


def fingerprint(password, salt, directory):
    """What the cache and the login memory keep instead of a password: keyed with ``directory``'s key.

    Raises ValueError for a salt that is not hex. Where no key can be read or created (an unwritable or
    damaged directory) it falls back to the slow salted PBKDF2, which needs no key, rather than keep nothing.
    """
    salt_bytes = bytes.fromhex(salt)
    key = controller_key(directory)
    if key is None:
        return legacy_fingerprint(password, salt)
    return KEYED_SCHEME + hmac.new(key, salt_bytes + password.encode("utf-8"), hashlib.sha256).hexdigest()


def fingerprint_matches(password, salt, directory, stored, legacy=True):
    """Whether ``stored`` is the fingerprint of ``password``; ``legacy``: also one of the old PBKDF2 scheme."""
    if not isinstance(stored, str) or not stored:
        return False
    try:
        if stored.startswith(KEYED_SCHEME):
            key = controller_key(directory)
            if key is None:
                return False
            given = KEYED_SCHEME + hmac.new(key, bytes.fromhex(salt) + password.encode("utf-8"),
                                            hashlib.sha256).hexdigest()
        elif legacy:
            given = legacy_fingerprint(password, salt)
        else:
            return False
    except ValueError:
        return False
    return hmac.compare_digest(given, stored)


class SessionCache:
    """Load, store and forget session ids; every failure to use the cache only costs a login."""

    def __init__(self, directory=None):
        self.directory = directory or default_cache_dir()

    @classmethod
    def from_environment(cls):
        if os.environ.get(DISABLE_ENV, "").lower() in ("off", "0", "false", "no"):
            return None
        return cls()

    def _path(self, base_url, username):
        key = hashlib.sha256(("%s\n%s" % (base_url, username)).encode("utf-8")).hexdigest()[:32]
        return os.path.join(self.directory, key + ".json")

    def _read(self, path):
        return read_json(path)

    def load(self, base_url, username, password):
        """The cached session for these credentials, or None.

        Returns a dict with ``sid``, ``cookies``, ``dialect`` and ``facts`` (None and {} in a file of an
        earlier release); ``retired`` is True when this password was replaced on the phone during the
        session (gs_password), so a fresh login with it would fail.
        """
        entry = self._read(self._path(base_url, username))
        if not entry or not entry.get("sid"):
            return None
        salt = entry.get("salt", "")

        def matches(stored):  # an entry of the old scheme is a miss: it costs one login, nothing else
            return fingerprint_matches(password, salt, self.directory, stored, legacy=False)

        def found(retired):
            facts = entry.get("facts")
            return {"sid": entry["sid"], "cookies": entry.get("cookies", {}), "retired": retired,
                    "dialect": entry.get("dialect"), "facts": facts if isinstance(facts, dict) else {}}

        if matches(entry.get("current")):
            return found(False)
        recent = time.time() - entry.get("saved_at", 0) < RETIRED_SECONDS
        if recent and any(matches(old) for old in entry.get("retired", [])):
            return found(True)
        return None

    def store(self, base_url, username, password, sid, cookies, retired_passwords=(), dialect=None, facts=None):
        salt = os.urandom(16).hex()
        entry = {
            "sid": sid,
            "cookies": cookies,
            "salt": salt,
            "current": fingerprint(password, salt, self.directory),
            "retired": [fingerprint(old, salt, self.directory) for old in retired_passwords],
            "saved_at": int(time.time()),
            "dialect": dialect,
            "facts": dict(facts or {}),
        }
        self._write(self._path(base_url, username), entry)

    def forget(self, base_url, username):
        try:
            os.unlink(self._path(base_url, username))
        except OSError:
            pass

    def _write(self, path, entry):
        try:
            write_json(path, entry)
        except OSError:
            # A read-only home or a full disk must not fail a task: the next task logs in again.
            pass
