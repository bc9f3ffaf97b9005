# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How PhoneClient opens a session: in the phone's dialect, through the login memory, at most once per password.

Part of PhoneClient (client.py keeps the transport and the calls). Every login, whatever its dialect (the
guide's forms login, the guide's password token, the current dialect's challenge), goes through
``_login_exchange``: a password this phone refused (or a lock, or a login whose answer was lost) is refused
at once without a request, and every answer is remembered (login_memory.py). ``password_previous`` is
tried once, only when the phone refuses ``password``.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.answers import decode_json, login_error
from ansible_collections.grandstream.phone.plugins.module_utils.dialect_guide import TOKEN_USERNAME
from ansible_collections.grandstream.phone.plugins.module_utils.dialects import clean_facts
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import refusal_error

SESSION_COOKIES = ("sid", "session-identity", "session-role")
# Never empty for a logged-in reader and not in the public subset: its emptiness betrays a dead session.
# Never empty for a logged-in reader and not in the public subset: its emptiness betrays a dead session.
SESSION_PROBE = catalog.MAC_PVALUE


class SessionLogin:
    """The login half of PhoneClient (a mixin: it uses the client's send, dialect, cache and memory)."""

    def _cookie_jar(self):
        return {name: value for name, value in self.session.cookies.items() if name in SESSION_COOKIES}

    def _adopt_session(self, sid, cookies):
        self.sid = sid
        self.session.cookies.clear()
        for name, value in (cookies or {}).items():
            self.session.cookies.set(name, value)
        if not cookies:
            self.session.cookies.set("sid", sid)

    def _ensure_session(self):
        if not self._has_forms_session():
            self.login()

    def _has_forms_session(self):
        """Whether a forms session is at hand (this task's, or one the play cached) without a login."""
        if self.sid:
            return True
        if self.cache is not None:
            cached = self.cache.load(self.conn.base_url, self.conn.username, self._password)
            previous = self._previous_password()
            if not cached and previous is not None:
                cached = self.cache.load(self.conn.base_url, self.conn.username, previous)
                if cached:
                    self._on_previous_password(previous)
            if cached:
                self._adopt_session(cached["sid"], cached["cookies"])
                self._retired_session = cached["retired"]
                self._session_proven = False
                self._adopt_cached_dialect(cached)
                return True
        return False

    def _store_session(self, password, retired_passwords=()):
        self.cache.store(self.conn.base_url, self.conn.username, password, self.sid, self._cookie_jar(),
                         retired_passwords=retired_passwords, dialect=self._dialect_name(), facts=self.facts)

    def login(self, password=None):
        """A session login in the phone's dialect. A refused password raises at once and is never retried."""
        if password is None and self._password == getattr(self.conn, "password_previous", None):
            self._password = self.conn.password  # a new login tries the configured password first (if not refused)
        password = self._password if password is None else password
        if self._retired_session and password == self._password:
            raise PhoneError(
                "the session expired and the configured password for user '%s' was changed on this phone "
                "earlier in the play; set the connection password to the new one (not retrying, so the "
                "phone does not lock)" % self.conn.username, host=self.conn.label, kind="auth")
        self.session.cookies.clear()
        self.sid = None
        try:
            payload = self._session_login(password)
        except PhoneError as error:
            previous = self._previous_password() if error.kind == "auth" and password == self._password else None
            if previous is None:
                raise
            # The configured password is refused (now, or earlier: then it was not sent): the previous one, once.
            payload = self._session_login(previous)
            password = self._on_previous_password(previous)
        body = payload["body"]
        self.role = body.get("role")
        self.facts.update(clean_facts(self.dialect.login_facts(body)))
        self._adopt_session(body["sid"], self._cookie_jar())
        self._session_proven = True
        if self.cache is not None and password == self._password:
            self._store_session(password)

    def _session_login(self, password):
        user = self.conn.username

        def send(repeatable):
            # Only once the login memory lets this password go (a refused one costs no request at all), and
            # never in a dialect the phone may no longer speak: a cached dialect is detected again first.
            self.confirm_dialect()
            return self.dialect.login_send(self, user, password)(repeatable)

        return self._login_exchange(user, password, send, "dologin")

    def _previous_password(self):
        """password_previous while the connection still uses its configured password, else None."""
        previous = getattr(self.conn, "password_previous", None)
        if not previous or previous == self.conn.password or self._password != self.conn.password:
            return None
        return previous

    @property
    def uses_previous_password(self):
        """Whether this client went on with password_previous (the phone refused password)."""
        previous = getattr(self.conn, "password_previous", None)
        return bool(previous) and previous != self.conn.password and self._password == previous

    def _on_previous_password(self, previous):
        """The phone holds password_previous, not password: go on with it, and say so."""
        self._password = previous
        self.warnings.append(
            "%s: the phone still holds password_previous (gs_password_previous) for user '%s', not password "
            "(gs_password): the rotation has not reached this phone; grandstream.phone.gs_password sets the new "
            "one, or set password to the phone's" % (self.conn.label, self.conn.username))
        return previous

    def _login_exchange(self, user, password, send, endpoint):
        """Send one login through the login memory: refused at once when this phone refused this password
        (or is locked, or an earlier try got no answer), and every answer remembered. Returns the
        success payload (whose body holds a ``sid``); raises PhoneError otherwise."""
        base_url = self.conn.base_url
        refused = self.memory.check(base_url, user, password)
        if refused is not None:
            raise refusal_error(self.conn, user, refused, self.memory.clear_hint(base_url, refused.get("scope")))
        try:
            # A login whose answer was lost is repeated only with a password this phone accepted before.
            response = send(self.memory.known_good(base_url, user, password))
        except PhoneError as error:
            if error.may_have_acted:
                self.memory.remember(base_url, user, password, "unanswered")
            raise
        self.stats["logins"] += 1
        payload = decode_json(response, endpoint, self.conn.label)
        body = payload.get("body")
        if payload.get("response") == "success" and isinstance(body, dict) and body.get("sid"):
            self.memory.accepted(base_url, user, password)
            return payload
        error = login_error(self.conn, payload, user)
        if error.kind in ("auth", "locked"):
            self.memory.remember(base_url, user, password, error.kind, error.attempts_left, error.lock_minutes)
        raise error

    def token_login(self):
        """The guide's password-token login (loginrealm + login), allowed for the four call/system endpoints.

        It spends the same login attempts as a forms login, so it shares the login memory: keyed by
        the connection user (``gmiadmin`` is the admin's token name for the admin's password).
        """
        user = TOKEN_USERNAME.get(self.conn.username, self.conn.username)
        send = self.dialect.token_login_send(self, user, self._password)
        payload = self._login_exchange(self.conn.username, self._password, send, "login")
        self.token_sid = payload["body"]["sid"]

    def _token_call(self, endpoint, params, method, idempotent):
        # call() sends a request here only without a forms session at hand (one is good for the token
        # endpoints too, and still works after gs_password retired the configured password).
        if not self.token_sid:
            self.token_login()
        for attempt in (0, 1):
            # Per-request cookie: must not overwrite the forms session's own "sid" cookie.
            response = self.send(method, endpoint, params=params, cookies={"sid": self.token_sid},
                                 idempotent=idempotent)
            if response.status_code == 401:
                if attempt:
                    raise PhoneError("the phone refused the token session right after a fresh login (%s)"
                                     % endpoint, host=self.conn.label, kind="session")
                self.stats["relogins"] += 1
                self.token_login()
                continue
            return self._answered(endpoint, params, None, decode_json(response, endpoint, self.conn.label))
        raise AssertionError("unreachable")  # pragma: no cover

    def use_password(self, password):
        """Connect with ``password`` from now on (gs_password: the one this controller set on the phone)."""
        self._password = password
        self.sid = None
        self._retired_session = False

    def session_holds(self, candidate):
        """Whether the phone holds ``candidate`` as the connection user's password, proven by this task's session
        (a login or the play's cached session; logs in if there is none). None when the session cannot tell:
        it is one that gs_password opened before replacing the configured password, and ``candidate`` is
        not the replacement."""
        self._ensure_session()
        if not self._session_proven:
            # A cached session proves nothing until the phone accepts it: read one value (a dead one logs in again).
            self.dialect.read_values(self, [SESSION_PROBE])
        if self._retired_session:
            cached = self.cache.load(self.conn.base_url, self.conn.username, candidate) if self.cache else None
            return True if cached and not cached["retired"] else None
        return candidate == self._password

    def remember_password(self, new_password, retired_password):
        """After gs_password changed the connection user's password: keep later tasks working."""
        self._password = new_password
        if self.cache is not None and self.sid:
            self._store_session(new_password, retired_passwords=[retired_password])
