# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client every module uses to talk to a Grandstream phone's Web API.

What it takes care of, so no module has to:
- the phone's firmware dialect (guide or current, dialects.py), found once per phone without a login and
  kept beside the session id; the engines never see it;
- the login of that dialect, through the login memory (a refused password is never sent again, see
  client_login.py and login_memory.py);
- the session id as whatever cookie the model uses, reused across tasks via SessionCache;
- exactly one re-login when the phone says the session is gone (HTTP 401 or ``session-expired``);
- a same-origin Referer on every request (current firmware answers 403 to a POST without one); requests
  itself sends a Content-Length on every POST and PUT, 0 for an empty one (current firmware: else 411);
- ``dologout`` at the end of a task whose session nobody will reuse (no session cache);
- never retrying a refused password (that is how phones get locked), clear ``wrongN`` / ``locked`` errors;
- retries with jittered backoff: of any request the phone certainly did not act on, of reads and idempotent
  writes after an ambiguous failure (transport.py); a journal of every write that may have reached the phone;
- one PhoneError with a readable message for every error shape real firmware produces.
Secrets never reach a URL, a message or a log line: writes go in POST form bodies.
"""

from __future__ import annotations

__metaclass__ = type

import random
import time
import warnings

try:
    import requests
    from requests import exceptions as rexc
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
    session_expired,
    tls_message,
)
from ansible_collections.grandstream.phone.plugins.module_utils.client_dialect import (
    FROM_CACHE, FROM_OPTION, DialectChanged, DialectChoice)
from ansible_collections.grandstream.phone.plugins.module_utils.client_login import SESSION_PROBE, SessionLogin
from ansible_collections.grandstream.phone.plugins.module_utils.errors import UNREACHABLE, PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory
from ansible_collections.grandstream.phone.plugins.module_utils.transport import (
    AMBIGUOUS_STATUSES,
    LOGIN_ENDPOINTS,
    NOT_ACTED_STATUS,
    WRITE_ENDPOINTS,
    never_sent,
    write_label,
)

# The guide's spellings; firmware accepts both, some older builds only these.
ALT_SPELLING = {"api.values.get": "api-values.get", "api.values.post": "api-values.post"}
# Keep one request line under the ~2 KB the phones' web server accepts.
MAX_URL_BYTES = 1800
USER_AGENT = "grandstream.phone-ansible"


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


class PhoneClient(SessionLogin, DialectChoice):
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
        self._dialect = None
        self._dialect_source = None
        # What the dialect told about the phone without a value read (firmware, mac, model); never a secret.
        self.facts = {}
        # Grandstream's names of the values read, where the dialect's answer gives them ({"P334": alias}).
        self.value_names = {}
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

    def url(self, endpoint):
        """The URL of ``endpoint``: a CGI name (``dologin``) or a path from the root (``/json/...``)."""
        if endpoint.startswith("/"):
            return self.conn.base_url + endpoint
        return "%s/cgi-bin/%s" % (self.conn.base_url, endpoint)

    _url = url

    def send_path(self, method, path):
        """An unauthenticated request of a path from the root (dialect detection): the response, any status."""
        return self.send(method, path)

    def send(self, method, endpoint, params=None, data=None, retry=True, idempotent=True, session=None,
             cookies=None, timeout=None, json_body=None):
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
                    response = session.request(method, self.url(endpoint), params=params, data=data,
                                               json=json_body, cookies=cookies, timeout=timeout,
                                               verify=self._verify(), allow_redirects=False)
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
                self._note_write(endpoint, params, data if json_body is None else _journal_fields(json_body),
                                 sure=False)
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

    def drop_session(self):
        """The phone dropped every session (reboot, reset, firmware install): forget ours and the cached one, so
        the next task logs in again instead of presenting a dead sid (which api-values.get would answer with
        the public subset only, not with a 401). The dialect and its facts go too: new firmware may speak
        another dialect and runs another version, so the next login detects it again (no login spent)."""
        self.sid = self.token_sid = None
        self.session.cookies.clear()
        if self._dialect_source != FROM_OPTION:
            self._dialect_source = FROM_CACHE if self._dialect is not None else None
        self.facts = {}
        # Kept when the configured password was retired earlier in the play (gs_password): the next task
        # then stops with the clear "password was changed" error instead of a failed login with it.
        if self.cache is not None and not self._retired_session:
            self.cache.forget(self.conn.base_url, self.conn.username)

    # ------------------------------------------------------------------ API calls
    def call(self, endpoint, params=None, data=None, method=None, idempotent=True, auth="forms", json_body=None):
        """Call an authenticated API endpoint and return its decoded JSON payload.

        ``data`` makes it a POST form body (``json_body`` a JSON one, with ``method``). The phone's dialect
        shapes the request (dialects.py). Re-logs in exactly once if the session is gone.
        """
        method = method or ("POST" if data is not None else "GET")
        if auth == "token" and not self.token_sid and (self._has_forms_session() or not self.dialect.has_token_login):
            # A forms session at hand (this task's or the play's) serves the token endpoints too: no second
            # login. And the current dialect has one login only, whose session serves every endpoint.
            auth = "forms"
        if auth == "token":
            return self._token_call(endpoint, params, method, idempotent)
        if auth == "none":
            response = self.send(method, endpoint, params=params, data=data, idempotent=idempotent)
            return self._answered(endpoint, params, data, decode_json(response, endpoint, self.conn.label))
        self._ensure_session()
        asked = (method, params, data)
        method, params, data = self.dialect.shape(endpoint, *asked)
        original, endpoint = endpoint, self._spelling.get(endpoint, endpoint)
        relogged = False
        while True:
            body = dict(data) if data is not None else None
            if body is not None:
                body["sid"] = self.sid
            response = self.send(method, endpoint, params=params, data=body, idempotent=idempotent,
                                 json_body=json_body)
            if response.status_code == 404 and endpoint in ALT_SPELLING:
                self._log("%s: %s unknown, switching to %s" % (self.conn.label, endpoint, ALT_SPELLING[endpoint]))
                endpoint = self._spelling[original] = ALT_SPELLING[endpoint]
                continue
            if response.status_code == 404 and self._dialect_gone(endpoint):
                if not original.startswith("api-") or original in ALT_SPELLING.values():
                    raise DialectChanged(self.conn.label, endpoint)  # a values request: the dialect's own
                self.login()  # in the new dialect; the guide's api-* endpoints are in both
                method, params, data = self.dialect.shape(original, *asked)
                continue
            payload = None
            if response.status_code != 401:
                payload = decode_json(response, endpoint, self.conn.label)
            if response.status_code == 401 or session_expired(payload, endpoint):
                if relogged:
                    raise self._refused_after_login(endpoint)
                relogged = True
                self._relogin()
                continue
            self._session_proven = True
            return self._answered(endpoint, params, data if json_body is None else _journal_fields(json_body),
                                  payload)

    def _refused_after_login(self, endpoint):
        """The error for an endpoint that refuses a session the phone has just granted: on current firmware
        an admin-only endpoint answers a ``user`` session HTTP 401 (the login answer names the role)."""
        if self.dialect.session_role(self.role, self.sid) == "user":
            return PhoneError("%s needs the admin user on this phone; the connection user '%s' has the user role"
                              % (endpoint, self.conn.username), host=self.conn.label, kind="auth")
        return PhoneError("the phone refused the session right after a fresh login (%s)" % endpoint,
                          host=self.conn.label, kind="session")

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
            response = self.send("GET", "api-get_phone_status", retry=False, session=probe, timeout=timeout)
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
            response = self.send("GET", endpoint)
            if response.status_code == 401 and not attempt:
                self.stats["relogins"] += 1
                self.login()
                continue
            if response.status_code != 200:
                raise PhoneError("HTTP %d for %s" % (response.status_code, endpoint), host=self.conn.label,
                                 kind="http", http_status=response.status_code)
            return response.content
        raise self._refused_after_login(endpoint)

    def get_values(self, names):
        """Read P-values (and other value names) in as few requests as the URL limit allows.

        A name the phone does not have reads as "" (both dialects: left out of a guide answer, alias and
        value empty in a config_get one); the engines' read-back calls such a value dropped.
        """
        try:
            return self._get_values(names)
        except DialectChanged:
            return self._get_values(names)

    def _get_values(self, names):
        names = list(dict.fromkeys(str(name) for name in names))
        result = {}
        self._ensure_session()
        prefix = len(self.dialect.values_prefix(self))
        probe = self.dialect.probes_session and self._session_probe_enabled and SESSION_PROBE not in names
        chunks = chunk_names(([SESSION_PROBE] if probe else []) + names, prefix)
        for index, chunk in enumerate(chunks):
            body = self.dialect.read_values(self, chunk)
            if index == 0 and probe and not body.get(SESSION_PROBE):
                body = self._recheck_session(chunk)
            for name in chunk:
                value = body.get(name, "")
                result[name] = "" if value is None else str(value)
        if probe:
            result.pop(SESSION_PROBE, None)
        return result

    def _recheck_session(self, chunk):
        """The MAC came back empty: the phone may have served us as anonymous (public subset only).

        Some guide-dialect firmware answers a stale session on values.get like no session at all (HTTP 200,
        every non-public value empty). Taken at face value that looks like a blank phone and would make
        gs_pvalues rewrite everything, so log in once more and read again. If the MAC is still empty
        this firmware does not expose it: stop probing for the rest of the task.
        """
        self._relogin()
        body = self.dialect.read_values(self, chunk)
        if not body.get(SESSION_PROBE):
            self._session_probe_enabled = False
        return body

    def post_values(self, values):
        """Write P-values in one request; the caller reads back to learn what stuck."""
        if not values:
            return
        self._ensure_session()
        try:
            self.dialect.write_values(self, values)
        except DialectChanged:
            self.dialect.write_values(self, values)

    def close(self):
        """End the task's conversation; ``dologout`` when no later task will reuse the session (no cache)."""
        try:
            if self.cache is None and self.sid and self._dialect is not None and self._dialect.has_logout:
                self._dialect.logout(self)
        except PhoneError as error:
            self._log("%s: logout failed (%s); the phone ends the session when it expires"
                      % (self.conn.label, error.message))
        finally:
            self.sid = None
            self.session.close()


def _journal_fields(json_body):
    """The field names of a JSON write for the write journal (config_update: its P-values, named ``P334`` as
    the engines and the guide dialect's journal name them, and its aliases)."""
    fields = {}
    for name, value in ((json_body or {}).get("pvalue") or {}).items():
        fields["P" + name if str(name).isdigit() else name] = value
    fields.update((json_body or {}).get("alias") or {})
    return fields
