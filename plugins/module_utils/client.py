# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client every module uses to talk to a Grandstream phone's Web API.

What it takes care of, so no module has to:
- forms login (``POST dologin``) and the password-token login (``loginrealm`` + ``login``), both through
  the login memory (a refused password is never sent again, see login_memory.py);
- the session id as whatever cookie the model uses, reused across tasks via SessionCache;
- exactly one re-login when the phone says the session is gone (HTTP 401 or ``session-expired``);
- never retrying a refused password (that is how phones get locked), clear ``wrongN`` / ``locked`` errors;
- retries with jittered backoff: of any request the phone certainly did not act on, of reads and idempotent
  writes after an ambiguous failure (transport.py); a journal of every write that may have reached the phone;
- one PhoneError with a readable message for every error shape real firmware produces.
Secrets never reach a URL, a message or a log line: writes go in POST form bodies.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
import random
import time
import warnings
from urllib.parse import quote

try:
    import requests
    from requests import exceptions as rexc
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as import_error:  # pragma: no cover - reported by the caller
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = import_error

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.answers import (
    check_payload,
    connection_message,
    decode_json,
    login_error,
    session_expired,
    tls_message,
)
from ansible_collections.grandstream.phone.plugins.module_utils.errors import UNREACHABLE, PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory, refusal_error
from ansible_collections.grandstream.phone.plugins.module_utils.transport import (
    AMBIGUOUS_STATUSES,
    LOGIN_ENDPOINTS,
    NOT_ACTED_STATUS,
    WRITE_ENDPOINTS,
    never_sent,
    write_label,
)
from ansible_collections.grandstream.phone.plugins.module_utils.values_wire import values_by_name, wire_name

VALUES_GET = "api.values.get"
VALUES_POST = "api.values.post"
# The guide's spellings; firmware accepts both, some older builds only these.
ALT_SPELLING = {"api.values.get": "api-values.get", "api.values.post": "api-values.post"}
SESSION_COOKIES = ("sid", "session-identity", "session-role")
TOKEN_USERNAME = {"admin": "gmiadmin"}
# Keep one request line under the ~2 KB the phones' web server accepts.
MAX_URL_BYTES = 1800
USER_AGENT = "grandstream.phone-ansible"
# Never empty for a logged-in reader and not in the public subset: its emptiness betrays a dead session.
SESSION_PROBE = catalog.MAC_PVALUE


def _unreachable(changed_nothing):
    """PhoneError details marking the phone unreachable: refused, no route, or no answer in time.

    Only when the failed request can have changed nothing: it never left (refused, no route, connect
    timeout), or it was a read or a login that got no answer. A write or reboot request sent and then
    lost may have reached the phone, so it stays a failure; so does a reset connection, since something
    answered on that port (a phone, or a server that is not one).
    """
    return {UNREACHABLE: True} if changed_nothing else None


def chunk_names(names, prefix_len, limit=MAX_URL_BYTES):
    """Split value names into ':'-joined groups whose request line stays under ``limit`` bytes."""
    chunks, current, size = [], [], prefix_len
    for name in names:
        extra = len(name) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append(current)
            current, size = [], prefix_len
            extra = len(name)
        current.append(name)
        size += extra
    if current:
        chunks.append(current)
    return chunks


class PhoneClient:
    """A logged-in conversation with one phone; cheap to create, one per task."""

    def __init__(self, conn, session_cache=None, log=None, sleep=time.sleep, progress=None, login_memory=None):
        if not HAS_REQUESTS:
            raise PhoneError("the Python library 'requests' is required on the controller: %s"
                             % REQUESTS_IMPORT_ERROR, kind="dependency")
        self.conn = conn
        self.cache = session_cache
        if login_memory is None:
            login_memory = LoginMemory(persistent=session_cache.directory if session_cache is not None else None)
        self.memory = login_memory
        self._log = log or (lambda message: None)
        # Shown to the user at default verbosity (e.g. while waiting for a reboot); never a secret.
        self.progress = progress or self._log
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Referer": conn.base_url + "/"})
        self.session.trust_env = False  # proxies from the environment must not see phone traffic
        self.sid = None
        self.role = None
        self.token_sid = None
        self._password = conn.password
        self._retired_session = False
        self._session_proven = False  # this task's forms session was accepted by the phone (not only cached)
        self._spelling = {}
        self._session_probe_enabled = True
        self.stats = {"requests": 0, "logins": 0, "relogins": 0, "retries": 0}
        # Every write that reached the phone or may have (endpoint and field names only, never a value).
        self.writes = []
        # Shown with the task's result (runner.py); never a secret.
        self.warnings = []

    # ------------------------------------------------------------------ transport
    def _verify(self):
        # Passed on every request: REQUESTS_CA_BUNDLE would otherwise override Session.verify.
        if not self.conn.validate_certs:
            return False
        return self.conn.ca_path or True

    def _url(self, endpoint):
        return "%s/cgi-bin/%s" % (self.conn.base_url, endpoint)

    def _send(self, method, endpoint, params=None, data=None, retry=True, idempotent=True, session=None,
              cookies=None, timeout=None):
        """One HTTP exchange with transport retries; returns the requests.Response.

        ``retry=False``: never repeated. Otherwise a failure that proves the phone did not act is
        retried up to ``retries`` times for any request, an ambiguous one only when ``idempotent``
        (transport.py); an ambiguous failure of any other request raises with ``may_have_acted``.
        """
        session = session or self.session
        timeout = timeout or self.conn.timeout
        attempts = 1 + (max(0, self.conn.retries) if retry else 0)
        is_write = endpoint in WRITE_ENDPOINTS
        last_error = None
        for attempt in range(attempts):
            if attempt:
                self.stats["retries"] += 1
                delay = min(8.0, 0.25 * (2 ** (attempt - 1))) * random.uniform(0.5, 1.0)
                self._log("%s %s: retry %d/%d in %.2fs (%s)" % (self.conn.label, endpoint, attempt,
                                                                attempts - 1, delay, last_error.message))
                self._sleep(delay)
            self.stats["requests"] += 1
            started = time.monotonic()
            ambiguous = None
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # InsecureRequestWarning when validate_certs is off
                    response = session.request(method, self._url(endpoint), params=params, data=data,
                                               cookies=cookies, timeout=timeout, verify=self._verify(),
                                               allow_redirects=False)
            except rexc.SSLError as error:
                raise PhoneError(tls_message(self.conn, error), host=self.conn.label, kind="tls")
            except rexc.ConnectTimeout:
                last_error = PhoneError("connection timed out after %ss" % timeout,
                                        host=self.conn.label, kind="timeout", details=_unreachable(True))
                continue
            except rexc.ReadTimeout:
                ambiguous = PhoneError("no answer to %s within %ss" % (endpoint, timeout),
                                       host=self.conn.label, kind="timeout",
                                       # A login changes nothing a report must show, even if it was counted.
                                       details=_unreachable(idempotent or endpoint in LOGIN_ENDPOINTS))
            except rexc.ConnectionError as error:
                sent = not never_sent(error)
                last_error = PhoneError(connection_message(error), host=self.conn.label, kind="connection",
                                        details=_unreachable(not sent))
                if not sent:
                    continue
                ambiguous = last_error
            except rexc.RequestException as error:
                raise PhoneError("HTTP request failed: %s" % type(error).__name__, host=self.conn.label,
                                 kind="connection", may_have_acted=True)
            else:
                self._log("%s %s %s -> %d in %.0f ms" % (self.conn.label, method, endpoint, response.status_code,
                                                         (time.monotonic() - started) * 1000))
                if response.status_code == NOT_ACTED_STATUS:
                    last_error = PhoneError("the phone answered HTTP 503 to %s (busy or booting)" % endpoint,
                                            host=self.conn.label, kind="booting", http_status=503)
                    continue
                if response.status_code not in AMBIGUOUS_STATUSES:
                    return response
                ambiguous = PhoneError("the phone answered HTTP %d to %s (busy or booting)"
                                       % (response.status_code, endpoint), host=self.conn.label, kind="http",
                                       http_status=response.status_code)
            # The request may have reached the phone.
            ambiguous.may_have_acted = True
            if is_write:
                self._note_write(endpoint, params, data, sure=False)
            last_error = ambiguous
            if not idempotent:
                ambiguous.message += ("; the %s may have reached the phone, so it is not repeated"
                                      % ("login" if endpoint in LOGIN_ENDPOINTS else "request"))
                raise ambiguous
        raise last_error

    def _note_write(self, endpoint, params, data, sure=True):
        """Journal a write that reached the phone (``sure``) or may have: runner.py reports it on a failure."""
        label = write_label(endpoint, params, data)
        if not sure:
            label += " (no clear answer)"
        if label not in self.writes:
            self.writes.append(label)

    # ------------------------------------------------------------------ login
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
                return True
        return False

    def login(self, password=None):
        """Forms login. A refused password raises at once and is never retried."""
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
            payload = self._forms_login(password)
        except PhoneError as error:
            previous = self._previous_password() if error.kind == "auth" and password == self._password else None
            if previous is None:
                raise
            # The configured password is refused (now, or earlier: then it was not sent): the previous one, once.
            payload = self._forms_login(previous)
            password = self._on_previous_password(previous)
        body = payload["body"]
        self.role = body.get("role")
        self._adopt_session(body["sid"], self._cookie_jar())
        self._session_proven = True
        if self.cache is not None and password == self._password:
            self.cache.store(self.conn.base_url, self.conn.username, password, self.sid, self._cookie_jar())

    def _forms_login(self, password):
        return self._login_exchange(self.conn.username, password, lambda repeatable: self._send(
            "POST", "dologin", data={"username": self.conn.username, "password": password}, idempotent=repeatable),
            "dologin")

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
        """Password-token login (loginrealm + login), allowed for the four call/system endpoints.

        It spends the same login attempts as a forms login, so it shares the login memory: keyed by
        the connection user (``gmiadmin`` is the admin's token name for the admin's password).
        """
        user = TOKEN_USERNAME.get(self.conn.username, self.conn.username)

        def send(unused_repeatable):
            try:
                realm = self._send("GET", "loginrealm").text.strip()
            except PhoneError as error:
                error.may_have_acted = False  # a realm is no login attempt
                raise
            secret = hashlib.md5(("%s:%s:%s" % (user, realm, self._password)).encode("utf-8")).hexdigest()
            # Never repeated, even with a good password: the realm is used up by the first try.
            return self._send("GET", "login", params={"Username": user, "Secret": secret}, idempotent=False)

        payload = self._login_exchange(self.conn.username, self._password, send, "login")
        self.token_sid = payload["body"]["sid"]

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
            self.call(VALUES_GET, params="request=" + wire_name(SESSION_PROBE))
        if self._retired_session:
            cached = self.cache.load(self.conn.base_url, self.conn.username, candidate) if self.cache else None
            return True if cached and not cached["retired"] else None
        return candidate == self._password

    def remember_password(self, new_password, retired_password):
        """After gs_password changed the connection user's password: keep later tasks working."""
        self._password = new_password
        if self.cache is not None and self.sid:
            self.cache.store(self.conn.base_url, self.conn.username, new_password, self.sid,
                             self._cookie_jar(), retired_passwords=[retired_password])

    def drop_session(self):
        """The phone dropped every session (reboot, reset): forget ours and the cached one, so the next
        task logs in again instead of presenting a dead sid (which api-values.get would answer with the
        public subset only, not with a 401)."""
        self.sid = self.token_sid = None
        self.session.cookies.clear()
        # Kept when the configured password was retired earlier in the play (gs_password): the next task
        # then stops with the clear "password was changed" error instead of a failed login with it.
        if self.cache is not None and not self._retired_session:
            self.cache.forget(self.conn.base_url, self.conn.username)

    # ------------------------------------------------------------------ API calls
    def call(self, endpoint, params=None, data=None, method=None, idempotent=True, auth="forms"):
        """Call an authenticated API endpoint and return its decoded JSON payload.

        ``data`` makes it a POST form body. Re-logs in exactly once if the session is gone.
        """
        method = method or ("POST" if data is not None else "GET")
        if auth == "token":
            return self._token_call(endpoint, params, method, idempotent)
        if auth == "none":
            response = self._send(method, endpoint, params=params, data=data, idempotent=idempotent)
            return self._answered(endpoint, params, data, decode_json(response, endpoint, self.conn.label))
        self._ensure_session()
        original, endpoint = endpoint, self._spelling.get(endpoint, endpoint)
        relogged = False
        while True:
            body = dict(data) if data is not None else None
            if body is not None:
                body["sid"] = self.sid
            response = self._send(method, endpoint, params=params, data=body, idempotent=idempotent)
            if response.status_code == 404 and endpoint in ALT_SPELLING:
                self._log("%s: %s unknown, switching to %s" % (self.conn.label, endpoint, ALT_SPELLING[endpoint]))
                endpoint = self._spelling[original] = ALT_SPELLING[endpoint]
                continue
            payload = None
            if response.status_code != 401:
                payload = decode_json(response, endpoint, self.conn.label)
            if response.status_code == 401 or session_expired(payload, endpoint):
                if relogged:
                    raise PhoneError("the phone refused the session right after a fresh login (%s)" % endpoint,
                                     host=self.conn.label, kind="session")
                relogged = True
                self._relogin()
                continue
            self._session_proven = True
            return self._answered(endpoint, params, data, payload)

    def _answered(self, endpoint, params, data, payload):
        """The payload of an answered request; a write the phone did not refuse goes into the journal."""
        payload = check_payload(payload, endpoint, self.conn.label)
        if endpoint in WRITE_ENDPOINTS:
            self._note_write(endpoint, params, data)
        return payload

    def _relogin(self):
        self._log("%s: session expired, logging in again" % self.conn.label)
        self.stats["relogins"] += 1
        self.sid = None
        if self.cache is not None:
            self.cache.forget(self.conn.base_url, self.conn.username)
        self.login()

    def _token_call(self, endpoint, params, method, idempotent):
        # A forms session is good for the token endpoints too: reuse one this task or the play already
        # has rather than log in a second time (it also still works after gs_password retired the
        # configured password, which a token login could not).
        if not self.token_sid and self._has_forms_session():
            return self.call(endpoint, params=params, method=method, idempotent=idempotent)
        if not self.token_sid:
            self.token_login()
        for attempt in (0, 1):
            # Per-request cookie: must not overwrite the forms session's own "sid" cookie.
            response = self._send(method, endpoint, params=params, cookies={"sid": self.token_sid},
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

    def ping(self, timeout):
        """How the phone answers right now: one unauthenticated ``api-get_phone_status``, no retries.

        Returns ``up`` (HTTP 200, or 401 from firmware that wants a login there), the HTTP status
        as text (``503`` while booting), ``refused``, ``reset``, ``timeout`` or ``no answer``. A fresh connection
        each time: kept-alive ones do not survive a reboot. TLS failures raise (waiting never fixes them).
        """
        probe = requests.Session()
        probe.headers.update(self.session.headers)
        probe.trust_env = False
        try:
            response = self._send("GET", "api-get_phone_status", retry=False, session=probe, timeout=timeout)
        except PhoneError as error:
            if error.kind == "booting" or error.http_status:
                return str(error.http_status)
            if error.kind == "timeout":
                return "timeout"
            if error.kind == "connection":
                for answer in ("refused", "reset"):
                    if answer in error.message:
                        return answer
                return "no answer"
            raise
        finally:
            probe.close()
        return "up" if response.status_code in (200, 401) else str(response.status_code)

    def download(self, endpoint):
        """Fetch a non-JSON document (e.g. phonebook_download) with the forms session."""
        self._ensure_session()
        for attempt in (0, 1):
            response = self._send("GET", endpoint)
            if response.status_code == 401 and not attempt:
                self.stats["relogins"] += 1
                self.login()
                continue
            if response.status_code != 200:
                raise PhoneError("HTTP %d for %s" % (response.status_code, endpoint), host=self.conn.label,
                                 kind="http", http_status=response.status_code)
            return response.content
        raise PhoneError("the phone refused the session right after a fresh login (%s)" % endpoint,
                         host=self.conn.label, kind="session")

    def get_values(self, names):
        """Read P-values (and other value names) in as few requests as the URL limit allows."""
        names = list(dict.fromkeys(str(name) for name in names))
        result = {}
        # Measured with the P of P-names: a little more than the bare numbers sent, never less.
        prefix = len(self._url(VALUES_GET)) + len("?request=")
        probe = self._session_probe_enabled and SESSION_PROBE not in names
        chunks = chunk_names(([SESSION_PROBE] if probe else []) + names, prefix)
        for index, chunk in enumerate(chunks):
            body = self._read_chunk(chunk)
            if index == 0 and probe and not body.get(SESSION_PROBE):
                body = self._recheck_session(chunk)
            for name in chunk:
                value = body.get(name, "")
                result[name] = "" if value is None else str(value)
        if probe:
            result.pop(SESSION_PROBE, None)
        return result

    def _read_chunk(self, chunk):
        """One values.get request; the answer keyed by the names asked for (``P47``), however the phone keys it.

        P-values go on the wire as bare numbers, as the guide's example does (``request=2:68:vendor_name``).
        """
        wire = [wire_name(name) for name in chunk]
        # A pre-encoded query keeps ':' literal (requests would send 3 bytes of %3A per name).
        payload = self.call(VALUES_GET, params="request=" + quote(":".join(wire), safe=":"))
        body = payload.get("body")
        if not isinstance(body, dict):
            raise PhoneError("unexpected answer to %s: body is not an object" % VALUES_GET,
                             host=self.conn.label, kind="not_a_phone")
        return values_by_name(body, chunk)

    def _recheck_session(self, chunk):
        """The MAC came back empty: the phone may have served us as anonymous (public subset only).

        Some firmware answers a stale session on values.get like no session at all (HTTP 200, every
        non-public value empty). Taken at face value that looks like a blank phone and would make
        gs_pvalues rewrite everything, so log in once more and read again. If the MAC is still empty
        this firmware does not expose it: stop probing for the rest of the task.
        """
        self._relogin()
        body = self._read_chunk(chunk)
        if not body.get(SESSION_PROBE):
            self._session_probe_enabled = False
        return body

    def post_values(self, values):
        """Write P-values in one POST form body; the caller reads back to learn what stuck."""
        if not values:
            return
        payload = self.call(VALUES_POST, data={str(k): str(v) for k, v in values.items()})
        body = payload.get("body")
        if isinstance(body, dict) and body.get("status") not in (None, "right"):
            raise PhoneError("the phone refused the write (status %r)" % body.get("status"),
                             host=self.conn.label, kind="api")

    def close(self):
        self.session.close()
