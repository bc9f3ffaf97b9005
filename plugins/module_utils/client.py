# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client every module uses to talk to a Grandstream phone's Web API.

What it takes care of, so no module has to:
- forms login (``POST dologin``) and the password-token login (``loginrealm`` + ``login``);
- the session id as whatever cookie the model uses, reused across tasks via SessionCache;
- exactly one re-login when the phone says the session is gone (HTTP 401 or ``session-expired``);
- never retrying a refused password (that is how phones get locked), clear ``wrongN`` / ``locked`` errors;
- retries with jittered backoff for reads and idempotent writes only;
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
    from urllib3.exceptions import NewConnectionError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as import_error:  # pragma: no cover - reported by the caller
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = import_error

from ansible_collections.grandstream.phone.plugins.module_utils.answers import (
    check_payload,
    connection_message,
    decode_json,
    login_error,
    session_expired,
    tls_message,
)
from ansible_collections.grandstream.phone.plugins.module_utils.errors import UNREACHABLE, PhoneError

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
SESSION_PROBE = "P67"


def _unreachable(nothing_sent):
    """PhoneError details marking the phone unreachable: refused, no route, or no answer in time.

    Only when the failed request can have changed nothing: it never left (refused, no route, connect
    timeout) or was a read (sent with retries) that got no answer. A write, login or reboot request
    sent and then lost may have reached the phone, so it stays a failure; so does a reset connection,
    since something answered on that port (a phone, or a server that is not one).
    """
    return {UNREACHABLE: True} if nothing_sent else None


def _never_connected(error):
    """Refused, no route, a name that does not resolve: the request never left the controller."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


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

    def __init__(self, conn, session_cache=None, log=None, sleep=time.sleep, progress=None):
        if not HAS_REQUESTS:
            raise PhoneError("the Python library 'requests' is required on the controller: %s"
                             % REQUESTS_IMPORT_ERROR, kind="dependency")
        self.conn = conn
        self.cache = session_cache
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
        self._spelling = {}
        self._session_probe_enabled = True
        self.stats = {"requests": 0, "logins": 0, "relogins": 0, "retries": 0}

    # ------------------------------------------------------------------ transport
    def _verify(self):
        # Passed on every request: REQUESTS_CA_BUNDLE would otherwise override Session.verify.
        if not self.conn.validate_certs:
            return False
        return self.conn.ca_path or True

    def _url(self, endpoint):
        return "%s/cgi-bin/%s" % (self.conn.base_url, endpoint)

    def _send(self, method, endpoint, params=None, data=None, retry=True, session=None, cookies=None,
              timeout=None):
        """One HTTP exchange with transport retries; returns the requests.Response."""
        session = session or self.session
        timeout = timeout or self.conn.timeout
        attempts = 1 + (max(0, self.conn.retries) if retry else 0)
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
                last_error = PhoneError("no answer to %s within %ss" % (endpoint, timeout),
                                        host=self.conn.label, kind="timeout", details=_unreachable(retry))
                continue
            except rexc.ConnectionError as error:
                last_error = PhoneError(connection_message(error), host=self.conn.label, kind="connection",
                                        details=_unreachable(_never_connected(error)))
                continue
            except rexc.RequestException as error:
                raise PhoneError("HTTP request failed: %s" % type(error).__name__, host=self.conn.label,
                                 kind="connection")
            self._log("%s %s %s -> %d in %.0f ms" % (self.conn.label, method, endpoint, response.status_code,
                                                     (time.monotonic() - started) * 1000))
            if response.status_code in (500, 502, 503, 504):
                last_error = PhoneError("the phone answered HTTP %d to %s (busy or booting)"
                                        % (response.status_code, endpoint), host=self.conn.label,
                                        kind="booting" if response.status_code == 503 else "http",
                                        http_status=response.status_code)
                continue
            return response
        raise last_error

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
            if cached:
                self._adopt_session(cached["sid"], cached["cookies"])
                self._retired_session = cached["retired"]
                return True
        return False

    def login(self, password=None):
        """Forms login. A refused password raises at once and is never retried."""
        password = self._password if password is None else password
        if self._retired_session and password == self._password:
            raise PhoneError(
                "the session expired and the configured password for user '%s' was changed on this phone "
                "earlier in the play; set the connection password to the new one (not retrying, so the "
                "phone does not lock)" % self.conn.username, host=self.conn.label, kind="auth")
        self._refuse_known_refusal(password)
        self.session.cookies.clear()
        self.sid = None
        response = self._send("POST", "dologin", data={"username": self.conn.username, "password": password})
        self.stats["logins"] += 1
        payload = decode_json(response, "dologin", self.conn.label)
        body = payload.get("body")
        if payload.get("response") == "success" and isinstance(body, dict) and body.get("sid"):
            self.role = body.get("role")
            cookies = self._cookie_jar()
            self._adopt_session(body["sid"], cookies)
            if self.cache is not None and password == self._password:
                self.cache.store(self.conn.base_url, self.conn.username, password, self.sid, self._cookie_jar())
            return
        error = login_error(self.conn, payload)
        if self.cache is not None and error.kind in ("auth", "locked"):
            self.cache.remember_refusal(self.conn.base_url, self.conn.username, password, error.kind,
                                        error.attempts_left, error.lock_minutes)
        raise error

    def _refuse_known_refusal(self, password):
        """Fail without sending when this phone refused this login moments ago (or is locked)."""
        refused = self.cache.refusal(self.conn.base_url, self.conn.username, password) if self.cache else None
        if refused is None:
            return
        minutes = max(1, int(round((refused["until"] - time.time()) / 60.0)))
        if refused["kind"] == "locked":
            raise PhoneError("login for user '%s' is locked after too many wrong passwords (seen by an earlier "
                             "task); not trying again for about %d minute(s)" % (self.conn.username, minutes),
                             host=self.conn.label, kind="locked", lock_minutes=refused.get("lock_minutes"))
        left = refused.get("attempts_left")
        raise PhoneError("the phone refused this password for user '%s' in an earlier task (%s attempt(s) left "
                         "before it locks); not sending it again for about %d minute(s). Fix the password, or "
                         "remove the session cache (GS_SESSION_CACHE_DIR) once the phone accepts it"
                         % (self.conn.username, "unknown" if left is None else left, minutes),
                         host=self.conn.label, kind="auth", attempts_left=left)

    def probe_password(self, username, password):
        """Try a login for ``username`` on a separate session; True if the phone accepts it.

        Raises PhoneError for ``locked`` and anything that is not a plain yes/no, and reports the
        attempts left so callers can stop probing long before a lockout. A successful probe as the
        connection's own user becomes this client's session: the phone keeps one session per user,
        so the probe has just evicted the previous one.
        """
        probe = requests.Session()
        probe.headers.update(self.session.headers)
        probe.trust_env = False
        try:
            response = self._send("POST", "dologin", data={"username": username, "password": password},
                                  session=probe)
            cookies = {name: value for name, value in probe.cookies.items() if name in SESSION_COOKIES}
        finally:
            probe.close()
        self.stats["logins"] += 1
        payload = decode_json(response, "dologin", self.conn.label)
        body = payload.get("body")
        if payload.get("response") == "success":
            if username == self.conn.username and isinstance(body, dict) and body.get("sid"):
                self.role = body.get("role")
                self._retired_session = False
                self._adopt_session(body["sid"], cookies)
                if self.cache is not None and password == self._password:
                    self.cache.store(self.conn.base_url, self.conn.username, password, self.sid, self._cookie_jar())
            return True, None
        error = login_error(self.conn, payload, username)
        if error.kind == "auth":
            return False, error.attempts_left
        raise error

    def token_login(self):
        """Password-token login (loginrealm + login), allowed for the four call/system endpoints."""
        realm = self._send("GET", "loginrealm").text.strip()
        user = TOKEN_USERNAME.get(self.conn.username, self.conn.username)
        secret = hashlib.md5(("%s:%s:%s" % (user, realm, self._password)).encode("utf-8")).hexdigest()
        response = self._send("GET", "login", params={"Username": user, "Secret": secret}, retry=False)
        self.stats["logins"] += 1
        payload = decode_json(response, "login", self.conn.label)
        body = payload.get("body")
        if payload.get("response") == "success" and isinstance(body, dict) and body.get("sid"):
            self.token_sid = body["sid"]
            return
        raise login_error(self.conn, payload)

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
            response = self._send(method, endpoint, params=params, data=data, retry=idempotent)
            return check_payload(decode_json(response, endpoint, self.conn.label), endpoint, self.conn.label)
        self._ensure_session()
        original, endpoint = endpoint, self._spelling.get(endpoint, endpoint)
        relogged = False
        while True:
            body = dict(data) if data is not None else None
            if body is not None:
                body["sid"] = self.sid
            response = self._send(method, endpoint, params=params, data=body, retry=idempotent)
            if response.status_code == 404 and endpoint in ALT_SPELLING:
                self._log("%s: %s unknown, switching to %s" % (self.conn.label, endpoint, ALT_SPELLING[endpoint]))
                endpoint = self._spelling[original] = ALT_SPELLING[endpoint]
                continue
            payload = None
            if response.status_code != 401:
                payload = decode_json(response, endpoint, self.conn.label)
            if response.status_code == 401 or session_expired(payload):
                if relogged:
                    raise PhoneError("the phone refused the session right after a fresh login (%s)" % endpoint,
                                     host=self.conn.label, kind="session")
                relogged = True
                self._relogin()
                continue
            return check_payload(payload, endpoint, self.conn.label)

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
                                  retry=idempotent)
            if response.status_code == 401:
                if attempt:
                    raise PhoneError("the phone refused the token session right after a fresh login (%s)"
                                     % endpoint, host=self.conn.label, kind="session")
                self.stats["relogins"] += 1
                self.token_login()
                continue
            return check_payload(decode_json(response, endpoint, self.conn.label), endpoint, self.conn.label)
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
        # A pre-encoded query keeps ':' literal (requests would send 3 bytes of %3A per name).
        payload = self.call(VALUES_GET, params="request=" + quote(":".join(chunk), safe=":"))
        body = payload.get("body")
        if not isinstance(body, dict):
            raise PhoneError("unexpected answer to %s: body is not an object" % VALUES_GET,
                             host=self.conn.label, kind="not_a_phone")
        return body

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
