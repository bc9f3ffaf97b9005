# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side cache of phone session ids, so a play logs in to each phone once, not once per task.

Ansible runs every task of every host in a fresh worker process, so an in-memory session cannot
outlive a task. The cache is a directory of small JSON files (0700 dir, 0600 files, atomic
replace), one per (url, user). A file holds the session id, the cookie names the phone used and
salted PBKDF2 fingerprints of the passwords the session is valid for; it never holds a password.
A fingerprint check stops a task with a different password from riding on someone else's session.
Refused passwords and locks live next to the sessions, in login_memory.py.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
import hmac
import os
import time

from ansible_collections.grandstream.phone.plugins.module_utils.private_files import read_json, write_json

_ITERATIONS = 20000
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


def fingerprint(password, salt):
    """Salted PBKDF2 of a password (hex): what the cache and the login memory keep instead of it."""
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), _ITERATIONS).hex()


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

        Returns a dict with ``sid`` and ``cookies``; ``retired`` is True when this password was
        replaced on the phone during the session (gs_password), so a fresh login with it would fail.
        """
        entry = self._read(self._path(base_url, username))
        if not entry or not entry.get("sid"):
            return None
        salt = entry.get("salt", "")
        try:
            given = fingerprint(password, salt)
        except ValueError:
            return None
        if hmac.compare_digest(given, entry.get("current", "")):
            return {"sid": entry["sid"], "cookies": entry.get("cookies", {}), "retired": False}
        recent = time.time() - entry.get("saved_at", 0) < RETIRED_SECONDS
        if recent and any(hmac.compare_digest(given, old) for old in entry.get("retired", [])):
            return {"sid": entry["sid"], "cookies": entry.get("cookies", {}), "retired": True}
        return None

    def store(self, base_url, username, password, sid, cookies, retired_passwords=()):
        salt = os.urandom(16).hex()
        entry = {
            "sid": sid,
            "cookies": cookies,
            "salt": salt,
            "current": fingerprint(password, salt),
            "retired": [fingerprint(old, salt) for old in retired_passwords],
            "saved_at": int(time.time()),
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
