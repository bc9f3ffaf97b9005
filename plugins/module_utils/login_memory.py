# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What this controller knows about each phone's logins, so no path spends a login attempt twice.

A phone locks logins after five wrong passwords and forgets a wrong one only at a successful login
or when a lock ends, so a password it refused must not be sent again: not by the next task, not by
the next run, not by a nightly job. Every login path (forms, token, gs_password) asks ``check``
before it sends a password and tells ``remember`` what the phone answered.

One small JSON file per phone (0600, in a 0700 directory, atomic replace) holds:
- ``refusals``: user + fingerprint (session_cache.fingerprint: keyed, salted) of each password the phone
  refused, when, and the attempts it had left then. Held until cleared (the file removed, or the password changed in the
  inventory): any finite hold lets a scheduled job with a wrong password lock the phone in the end.
- ``lock``: the phone said ``locked``; every password waits until the lock time has passed.
- ``unanswered``: a login that got no answer (read timeout, reset after sending) may have been
  counted by the phone; it is not sent again during the same run (kept in the run's memory only).
- ``passwords_set``: fingerprint of the password this controller last set per role (gs_password).
Never a password.

Two places: the session cache directory (kept across runs) and a run directory keyed by the
``ansible-playbook`` process (its pid and start time, so a reused pid cannot inherit it), which
holds when the session cache is off (``GS_SESSION_CACHE=off``) and for answers worth one run only.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
import os
import shutil
import tempfile
import time

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.private_files import read_json, write_json
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import (
    KEYED_SCHEME, fingerprint, fingerprint_matches, key_id)

RUN_ROOT_PREFIX = "grandstream.phone-runs-"
MAX_REFUSALS = 20  # per phone: older ones are dropped first (a file must stay small)
KINDS = ("auth", "locked", "unanswered")


def describe_time(timestamp):
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))


def refusal_error(conn, user, refused, clear_hint):
    """The PhoneError for a login not sent because of what the memory holds (no attempt spent)."""
    seen = describe_time(refused.get("at", 0))
    kind = refused.get("kind")
    if kind == "locked":
        until = refused.get("until", 0)
        minutes = max(1, int(round((until - time.time()) / 60.0)))
        return PhoneError("logins on this phone were locked after too many wrong passwords (seen at %s); not "
                          "trying user '%s' again before %s (about %d minute(s)), so the lock is not extended"
                          % (seen, user, describe_time(until), minutes), host=conn.label, kind="locked",
                          lock_minutes=refused.get("lock_minutes"))
    if kind == "unanswered":
        return PhoneError("an earlier login for user '%s' with this password got no answer (at %s) and may have "
                          "been counted by the phone; not sending it again during this run (check the phone and "
                          "the timeout, then start a new run)" % (user, seen), host=conn.label, kind="timeout",
                          may_have_acted=False)
    left = refused.get("attempts_left")
    then = "" if left is None else ", when it had %s attempt(s) left before locking" % left
    return PhoneError("the phone refused this password for user '%s' at %s%s; it is not sent again, so repeated "
                      "tasks and runs cannot lock the phone (no attempt was spent now). Fix the password in the "
                      "inventory; if the phone has since been set to this password, %s to try it again"
                      % (user, seen, then, clear_hint), host=conn.label, kind="auth")


def _process_start(pid):
    """The start time of ``pid`` in clock ticks since boot (/proc), or None where there is no /proc."""
    try:
        with open("/proc/%d/stat" % pid, "r", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return fields[19]  # field 22 of stat; the two before the split (pid, comm) are gone
    except (OSError, IndexError):
        return None


_own_start = {}  # pid -> start time of the process with that pid, read by that process itself (remember_own_start)


def remember_own_start():
    """Read this process's start time once, now. The controller's main process calls it (action_base, at import)
    before it forks the task workers whose parent it is: each worker inherits the answer and finds its run
    directory without reading /proc again. A worker whose parent is another process reads /proc as before."""
    if os.getpid() not in _own_start:
        _own_start[os.getpid()] = _process_start(os.getpid())


def _parent_start(ppid):
    return _own_start[ppid] if _own_start.get(ppid) is not None else _process_start(ppid)


def _private_dir(path):
    """Create ``path`` 0700 and make sure it is ours and not a link; False when it cannot be used."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return False
    return not os.path.islink(path) and info.st_uid == os.getuid() and info.st_mode & 0o077 == 0


def run_directory(ppid=None):
    """The run memory of the ansible-playbook process this worker was forked from, or None.

    Ansible forks every task's worker from the ansible-playbook process, so the parent pid names the run;
    its start time makes the name unique even when the pid is reused. Directories of runs that ended
    are removed when a new run starts.
    """
    ppid = os.getppid() if ppid is None else ppid
    started = _parent_start(ppid)
    if started is None:
        return None
    root = os.path.join(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir(),
                        RUN_ROOT_PREFIX + str(os.getuid()))
    if not _private_dir(root):
        return None
    path = os.path.join(root, "%d-%s" % (ppid, started))
    if not os.path.isdir(path):
        _remove_ended_runs(root)
        if not _private_dir(path):
            return None
    return path


def _remove_ended_runs(root):
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        pid, unused, started = name.partition("-")
        if pid.isdigit() and _process_start(int(pid)) != started:
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)


class _PhoneFile:
    """One phone's file in one directory."""

    def __init__(self, directory, base_url):
        self.directory = directory
        key = hashlib.sha256(("logins\n%s" % base_url).encode("utf-8")).hexdigest()[:32]
        self.path = os.path.join(directory, key + ".logins.json")

    def read(self):
        return read_json(self.path) or {}

    def write(self, entry):
        # Which key the file's fingerprints are keyed with: set once, so fingerprints of a replaced key stay
        # recognisably unverifiable (check refuses for them) until the file is cleared.
        entry.setdefault("key_id", key_id(self.directory))
        try:
            write_json(self.path, entry)
        except OSError:
            pass  # a read-only home must not fail a task; the run memory still holds


def _matches(phone_file, entry, password, stored):
    """Also a fingerprint of the old PBKDF2 scheme: forgetting a refusal would let a refused password be resent."""
    return fingerprint_matches(password, entry.get("salt", ""), phone_file.directory, stored)


class LoginMemory:
    """Refusals, locks and set passwords per phone; ``persistent`` outlives the run, ``run`` does not."""

    def __init__(self, persistent=None, run=None):
        self.persistent = persistent
        self.run = run

    @classmethod
    def for_run(cls, session_cache):
        """The memory of an ansible-playbook run: the session cache's directory (when on) and the run's."""
        return cls(persistent=session_cache.directory if session_cache is not None else None, run=run_directory())

    def _files(self, base_url):
        return [(scope, _PhoneFile(directory, base_url))
                for scope, directory in (("persistent", self.persistent), ("run", self.run)) if directory]

    def clear_hint(self, base_url, scope="persistent"):
        """How a user makes the collection try a refused password again (``scope``: where it was found)."""
        files = dict(self._files(base_url))
        if scope == "persistent" and "persistent" in files:
            return "delete %s (this phone's login memory in GS_SESSION_CACHE_DIR)" % files["persistent"].path
        return "start a new ansible-playbook run"

    # ------------------------------------------------------------------ refusals
    def check(self, base_url, user, password):
        """Why this login must not be sent now (a dict), or None. A lock refuses every password."""
        now = time.time()
        for scope, phone_file in self._files(base_url):
            entry = phone_file.read()
            lock = entry.get("lock")
            if isinstance(lock, dict) and lock.get("until", 0) > now:
                return dict(lock, kind="locked", scope=scope)
            keyed_with_another = entry.get("key_id") != key_id(phone_file.directory)
            for refusal in entry.get("refusals", []):
                if refusal.get("user") != user:
                    continue
                if _matches(phone_file, entry, password, refusal.get("fingerprint")):
                    return dict(refusal, scope=scope)
                if keyed_with_another and str(refusal.get("fingerprint", "")).startswith(KEYED_SCHEME):
                    # The key was replaced (fingerprint.key deleted): this refusal can no longer be told from
                    # another password's, and sending it could spend an attempt. Refuse until the file is cleared.
                    return dict(refusal, scope=scope)
        return None

    def remember(self, base_url, user, password, kind, attempts_left=None, lock_minutes=None):
        """Note the phone's refusal (``auth``, ``locked``) or a login that got no answer (``unanswered``)."""
        files = dict(self._files(base_url))
        # An unanswered login is worth one run; a refusal is kept across runs when the cache is on.
        target = files.get("run") if kind == "unanswered" else files.get("persistent") or files.get("run")
        if target is None:
            return
        entry = target.read()
        salt = entry.get("salt") or os.urandom(16).hex()
        entry["salt"] = salt
        now = int(time.time())
        if kind == "locked":
            minutes = float(lock_minutes) if lock_minutes else 5.0
            entry["lock"] = {"at": now, "until": now + int(minutes * 60), "lock_minutes": lock_minutes}
        else:
            refusals = [r for r in entry.get("refusals", [])
                        if not (r.get("user") == user and _matches(target, entry, password, r.get("fingerprint")))]
            refusals.append({"user": user, "fingerprint": fingerprint(password, salt, target.directory), "kind": kind,
                             "at": now, "attempts_left": attempts_left})
            if kind == "auth":
                (entry.get("accepted") or {}).pop(user, None)
            entry["refusals"] = refusals[-MAX_REFUSALS:]
        target.write(entry)

    def accepted(self, base_url, user, password):
        """A successful login: the phone is not locked, this password is no longer refused, and it is
        remembered as the one this phone accepts for ``user`` (see ``known_good``)."""
        files = self._files(base_url)
        for unused, phone_file in files:
            entry = phone_file.read()
            if not entry:
                continue
            refusals = [r for r in entry.get("refusals", []) if not (
                r.get("user") == user and _matches(phone_file, entry, password, r.get("fingerprint")))]
            if refusals != entry.get("refusals", []) or entry.get("lock"):
                entry["refusals"] = refusals
                entry.pop("lock", None)
                phone_file.write(entry)
        if files and not self.known_good(base_url, user, password):
            target = files[0][1]  # the persistent file when the cache is on, else the run's
            entry = target.read()
            entry["salt"] = salt = entry.get("salt") or os.urandom(16).hex()
            entry.setdefault("accepted", {})[user] = {"fingerprint": fingerprint(password, salt, target.directory),
                                                      "at": int(time.time())}
            target.write(entry)

    def known_good(self, base_url, user, password):
        """Whether this phone accepted ``password`` for ``user`` at its last successful login seen here.

        Only then may a login whose answer was lost be sent again: with the right password the phone counted
        a success, not a failure, so repeating it spends nothing. (Should someone have changed the password on
        the phone since, the repeat is refused and remembered like any refusal.)
        """
        for unused, phone_file in self._files(base_url):
            entry = phone_file.read()
            record = (entry.get("accepted") or {}).get(user)
            if isinstance(record, dict) and _matches(phone_file, entry, password, record.get("fingerprint")):
                return True
        return False

    # ------------------------------------------------------------------ passwords this controller set
    def record_password(self, base_url, role, password):
        """gs_password set (or verified) ``role``'s password on this phone: keep its fingerprint."""
        files = dict(self._files(base_url))
        target = files.get("persistent") or files.get("run")
        if target is None:
            return
        entry = target.read()
        salt = entry.get("salt") or os.urandom(16).hex()
        entry["salt"] = salt
        entry.setdefault("passwords_set", {})[role] = {"fingerprint": fingerprint(password, salt, target.directory),
                                                       "at": int(time.time())}
        target.write(entry)
        # The phone confirmed it holds this password now: an earlier refusal of it (a rotation that reached the
        # inventory first, see gs_password_previous) no longer stands.
        for unused, phone_file in self._files(base_url):
            entry = phone_file.read()

            def refuses_it(refusal):
                return refusal.get("user") == role and refusal.get("kind") == "auth" and _matches(
                    phone_file, entry, password, refusal.get("fingerprint"))

            kept = [refusal for refusal in entry.get("refusals", []) if not refuses_it(refusal)]
            if kept != entry.get("refusals", []):
                entry["refusals"] = kept
                phone_file.write(entry)

    def password_set_at(self, base_url, role, password):
        """When this controller last set ``password`` as ``role``'s password on this phone, or None."""
        for unused, phone_file in self._files(base_url):
            entry = phone_file.read()
            record = (entry.get("passwords_set") or {}).get(role)
            if isinstance(record, dict):
                return record.get("at") if _matches(phone_file, entry, password, record.get("fingerprint")) else None
        return None
