# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The likely fix for a connection mistake, added to the error that shows it (runner.execute calls ``add_hint``).

answers.py says what went wrong (a reset, a TLS handshake with a plain-HTTP port, an answer no phone gives);
this says which connection option (and its inventory variable) is the likely cause and what to set. The
mistakes: plain HTTP against an HTTPS port, HTTPS against a plain-HTTP port, an address or port that reaches
some other web server, a ca_path that does not trust the phone.

Never a login attempt: the one check this may make is a TLS handshake with the port that reset a plain HTTP
request (no HTTP request at all, no credentials), to tell an HTTPS port from a phone that was going down.
"""

from __future__ import annotations

__metaclass__ = type

import os
import re
import socket
import ssl

# The answers.py phrases each hint keys on (tests/integration/test_connection_hints.py runs every case).
RESET_PHRASE = "connection reset by the phone"
# login_memory.py's refusal to resend a login that got no answer: the next task's answer to the same mistake.
UNANSWERED_PHRASE = "got no answer"
PLAIN_PORT_PHRASE = "the port does not speak HTTPS"
UNTRUSTED_PHRASES = ("is self-signed and not trusted", "is signed by a CA this controller does not trust",
                     "failed verification")
# The first request of every task is a login: an answer to it no phone gives means another server.
_LOGIN_ANSWER = re.compile(r"(?:HTTP (\d{3}) for (?:/cgi-bin/)?|the answer to )(dologin|loginrealm|login)\b")
# HTTP answers to a login that no phone gives. Not 401 (a session answer), 403 and 411 (current firmware's
# answers to a form without a same-origin Referer or a Content-Length: current-firmware-notes.md), nor 5xx.
NOT_A_PHONE_STATUSES = ("400", "404", "405")
DEFAULT_PORTS = {"https": 443, "http": 80}


def add_hint(error, conn, handshake=None):
    """``error`` (a PhoneError) with the likely fix appended to its message, when it shows a connection mistake.

    ``conn``: the task's ConnectionParams (None when the task never got that far: nothing to add).
    ``handshake(conn)``: whether the port completes a TLS handshake (tests pass their own).
    """
    if conn is None or getattr(error, "kind", None) not in ("connection", "timeout", "tls", "not_a_phone", "http"):
        return error
    hint = None
    if error.kind in ("connection", "timeout") and conn.protocol == "http" and (
            RESET_PHRASE in error.message or UNANSWERED_PHRASE in error.message):
        if (handshake or speaks_tls)(conn):
            # A TLS server cannot have read the request as HTTP: nothing reached the phone's web API.
            error.message = ("port %d speaks HTTPS, but protocol (gs_protocol) is http, so the phone reset the "
                             "plain HTTP request: set gs_protocol: https for this phone, or gs_port to its plain "
                             "HTTP port (%d by default)" % (conn.port, DEFAULT_PORTS["http"]))
            error.kind, error.may_have_acted = "connection", False
            return error
    elif error.kind == "tls" and PLAIN_PORT_PHRASE in error.message:
        hint = ("port %d answers without TLS, but protocol (gs_protocol) is https: set gs_protocol: http for this "
                "phone, or gs_port to its HTTPS port (%d by default)" % (conn.port, DEFAULT_PORTS["https"]))
    elif error.kind == "tls" and conn.ca_path and any(phrase in error.message for phrase in UNTRUSTED_PHRASES):
        hint = "ca_path (gs_ca_path) is %s, which holds neither this certificate nor the CA that signed it" % (
            conn.ca_path,)
        if os.path.isdir(conn.ca_path):
            hint += " (a directory is read through OpenSSL's hash links: run openssl rehash %s)" % conn.ca_path
    elif error.kind in ("not_a_phone", "http") and _not_a_phone_login(error):
        hint = ("%s is another web server, not a Grandstream phone's Web API: check host (gs_host or ansible_host), "
                "port (gs_port) and protocol (gs_protocol) for this phone" % conn.base_url)
    if hint:
        error.message = "%s; %s" % (error.message, hint)
    return error


def _not_a_phone_login(error):
    """An answer to a login that no phone gives: not JSON, or one of NOT_A_PHONE_STATUSES."""
    match = _LOGIN_ANSWER.search(error.message)
    if not match:
        return False
    return error.kind == "not_a_phone" or match.group(1) in NOT_A_PHONE_STATUSES


def speaks_tls(conn):
    """Whether ``conn``'s port completes a TLS handshake: no HTTP request is sent, no certificate checked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((conn.host, conn.port), timeout=min(5.0, conn.timeout or 5.0)) as raw:
            with context.wrap_socket(raw, server_hostname=conn.host):
                return True
    except (OSError, ValueError):
        return False
