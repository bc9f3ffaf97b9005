"""Sessions, the wrong-password lockout and the one-time token realms of one phone.

None of these classes lock: `Phone` calls them while holding its own lock.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import OrderedDict
from dataclasses import dataclass

from .model import LOCK_SECONDS, LOGIN_ATTEMPTS

FORMS = "forms"
TOKEN = "token"

REALM_LIFETIME_SECONDS = 120.0
MAX_OUTSTANDING_REALMS = 32


@dataclass
class Session:
    sid: str
    login_name: str  # as typed at login: admin, user or gmiadmin
    role: str  # admin or user
    kind: str  # FORMS or TOKEN
    last_used: float  # time.monotonic()


class Sessions:
    """One session per login name; a new login evicts the previous sid of that name."""

    def __init__(self, idle_seconds: float, rng: random.Random):
        self.idle_seconds = idle_seconds
        self._rng = rng
        self._by_sid: dict[str, Session] = {}
        self._sid_by_login: dict[str, str] = {}

    def create(self, login_name: str, role: str, kind: str, now: float, sid_bits: int = 128,
               evict: bool = True) -> Session:
        """A new session; `evict` ends the previous one of `login_name` (False: both stay alive)."""
        previous = self._sid_by_login.pop(login_name, None)
        if previous is not None and evict:
            self._by_sid.pop(previous, None)
        session = Session(f"{self._rng.getrandbits(sid_bits):0{sid_bits // 4}x}", login_name, role, kind, now)
        self._by_sid[session.sid] = session
        self._sid_by_login[login_name] = session.sid
        return session

    def lookup(self, sid: str, now: float) -> Session | None:
        """The live session for `sid` (its idle clock restarted), or None."""
        session = self._by_sid.get(sid)
        if session is None:
            return None
        if now - session.last_used > self.idle_seconds:
            self.drop(sid)
            return None
        session.last_used = now
        return session

    def drop(self, sid: str) -> None:
        session = self._by_sid.pop(sid, None)
        if session is not None and self._sid_by_login.get(session.login_name) == sid:
            del self._sid_by_login[session.login_name]

    def clear(self) -> None:
        self._by_sid.clear()
        self._sid_by_login.clear()

    def describe(self, now: float) -> list[dict]:
        """Live sessions for the control API (never the sid itself)."""
        return [
            {"user": s.login_name, "role": s.role, "kind": s.kind,
             "idle_seconds": round(now - s.last_used, 3)}
            for s in self._by_sid.values()
            if now - s.last_used <= self.idle_seconds
        ]


class LoginGuard:
    """Counts wrong passwords in the persisted `login` dict and locks the phone after the 5th."""

    def __init__(self, login_state: dict):
        self.state = login_state

    def lock_remaining(self, wall_now: float) -> float:
        remaining = self.state["locked_until"] - wall_now
        if remaining > 0:
            return remaining
        if self.state["locked_until"]:
            # The lock ran out: the phone forgives every earlier failure.
            self.state["locked_until"] = 0.0
            self.state["failures"] = 0
        return 0.0

    def record_failure(self, wall_now: float) -> int:
        """Count one wrong password; returns the attempts left (0 means now locked)."""
        self.state["failures"] += 1
        left = LOGIN_ATTEMPTS - self.state["failures"]
        if left <= 0:
            self.state["locked_until"] = wall_now + LOCK_SECONDS
            return 0
        return left

    def record_success(self) -> None:
        self.state["failures"] = 0
        self.state["locked_until"] = 0.0

    def describe(self, wall_now: float) -> dict:
        remaining = max(0.0, self.state["locked_until"] - wall_now)
        return {
            "failures": self.state["failures"],
            "attempts_left": max(0, LOGIN_ATTEMPTS - self.state["failures"]),
            "locked": remaining > 0,
            "locked_seconds_left": round(remaining, 1),
        }


def lock_minutes(remaining_seconds: float) -> int:
    return max(1, math.ceil(remaining_seconds / 60))


NONCES_KEPT = 1000  # login nonces and token realms the control API lists (the latest)


class TokenRealms:
    """One-time randoms handed out by `loginrealm`; a successful token login consumes its realm."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._issued: OrderedDict[str, float] = OrderedDict()
        self.handed_out: list[str] = []  # since the last control reset, for the control API (as Nonces.issued)

    def issue(self, now: float) -> str:
        realm = f"{self._rng.getrandbits(64):016x}"
        self._issued[realm] = now
        self.handed_out = (self.handed_out + [realm])[-NONCES_KEPT:]
        while len(self._issued) > MAX_OUTSTANDING_REALMS:
            self._issued.popitem(last=False)
        return realm

    def consume_matching(self, login_name: str, secret: str, password: str, now: float) -> bool:
        """True (and the realm is used up) when `secret` is md5(U:realm:password) or md5(U.realm.password)."""
        secret = secret.lower()
        for realm, issued in list(self._issued.items()):
            if now - issued > REALM_LIFETIME_SECONDS:
                del self._issued[realm]
                continue
            for separator in (":", "."):
                expected = hashlib.md5(
                    separator.join((login_name, realm, password)).encode()
                ).hexdigest()
                if secret == expected:
                    del self._issued[realm]
                    return True
        return False

    def clear(self, forget_issued: bool = False) -> None:
        """End every outstanding realm (a reboot, a reflash); a control reset also forgets the ones handed out."""
        self._issued.clear()
        if forget_issued:
            self.handed_out = []


NONCE_LIFETIME_SECONDS = 120.0


class Nonces:
    """The current dialect's `access` challenges: one outstanding nonce per user, single-use, expiring.

    A new `access` for a user replaces that user's previous nonce (the stricter reading: only the latest
    challenge is good)."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._by_user: dict[str, tuple[str, float]] = {}
        # Every nonce handed out since the last control reset (the latest NONCES_KEPT), for the control API: a
        # nonce is public (anyone may ask `access`); with it a test can tell a login hash leaked into an output.
        self.issued: list[str] = []

    def issue(self, username: str, now: float) -> str:
        nonce = f"{self._rng.getrandbits(128):032x}"
        self._by_user[username] = (nonce, now)
        self.issued = (self.issued + [nonce])[-NONCES_KEPT:]
        return nonce

    def take(self, username: str, now: float) -> str | None:
        """The user's live nonce, used up by this call; None when there is none (never asked, used, expired)."""
        nonce, issued = self._by_user.pop(username, (None, 0.0))
        if nonce is None or now - issued > NONCE_LIFETIME_SECONDS:
            return None
        return nonce

    def clear(self, forget_issued: bool = False) -> None:
        """End every outstanding nonce (a reboot, a reflash); a control reset also forgets the ones handed out."""
        self._by_user.clear()
        if forget_issued:
            self.issued = []
