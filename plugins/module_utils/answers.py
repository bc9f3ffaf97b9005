# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a phone's answers mean: every error shape real firmware produces, mapped to one PhoneError.

Messages are built from endpoint names, status codes and the phone's own short error words, never
from anything the client sent, so no secret can end up in one.
"""

from __future__ import annotations

__metaclass__ = type

import json

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError


def decode_json(response, endpoint, label):
    """The JSON object of a phone answer, or PhoneError for an HTTP error or an answer no phone gives."""
    if response.status_code == 404:
        raise PhoneError("HTTP 404 for /cgi-bin/%s: this does not look like a Grandstream phone's Web API"
                         % endpoint, host=label, kind="not_a_phone", http_status=404)
    if response.status_code == 401:
        raise PhoneError("HTTP 401 Unauthorized for %s" % endpoint, host=label, kind="session",
                         http_status=401)
    if response.status_code != 200:
        raise PhoneError("HTTP %d for %s" % (response.status_code, endpoint), host=label,
                         kind="http", http_status=response.status_code)
    try:
        payload = json.loads(response.text)
    except ValueError:
        raise PhoneError("the answer to %s is not JSON (content type %r): this does not look like a "
                         "Grandstream phone's Web API" % (endpoint, response.headers.get("Content-Type", "")),
                         host=label, kind="not_a_phone")
    if not isinstance(payload, dict):
        raise PhoneError("the answer to %s is not a JSON object" % endpoint, host=label,
                         kind="not_a_phone")
    return payload


def check_payload(payload, endpoint, label):
    """Map the firmware's error shapes to PhoneError; return successful payloads unchanged."""
    if payload.get("response") == "error":
        body = payload.get("body")
        if body == "Invalid Request":
            raise PhoneError("the phone rejected the parameters of %s (Invalid Request)" % endpoint,
                             host=label, kind="invalid_request")
        detail = body.get("status") if isinstance(body, dict) else body
        raise PhoneError("%s failed: %s" % (endpoint, safe_text(detail)), host=label, kind="api")
    if payload.get("res") == "error":
        raise PhoneError("%s failed: %s" % (endpoint, safe_text(payload.get("msg"))), host=label,
                         kind="api")
    return payload


# Answers HTTP 200 with body "unauthorized" for a session that is gone (the guide: "the session is expired or
# the given credential is invalid"), where other endpoints answer 401.
STATUS_ENDPOINT = "api-get_phone_status"


def session_expired(payload, endpoint=None):
    """Whether an HTTP 200 answer says the session is gone (so: log in again, once)."""
    if not payload:
        return False
    body = payload.get("body")
    if endpoint == STATUS_ENDPOINT and payload.get("response") == "success" and body == "unauthorized":
        return True
    if payload.get("response") != "error":
        return False
    return (isinstance(body, dict) and body.get("status") == "session-expired") or body == "session-expired"


def safe_text(value, limit=200):
    text = value if isinstance(value, str) else json.dumps(value)
    return text[:limit]


def login_error(conn, payload, username=None):
    username = username or conn.username
    body = payload.get("body")
    if body == "locked":
        minutes = payload.get("lockTime")
        return PhoneError("login for user '%s' is locked after too many wrong passwords; the phone accepts "
                          "logins again in %s minute(s). Not retrying." % (username, minutes),
                          host=conn.label, kind="locked", lock_minutes=minutes)
    if isinstance(body, str) and body.startswith("wrong"):
        left = body[len("wrong"):]
        attempts_left = int(left) if left.isdigit() else None
        left_text = "unknown" if attempts_left is None else attempts_left
        return PhoneError("login refused for user '%s': wrong password (%s attempt(s) left before the phone "
                          "locks logins). Not retrying." % (username, left_text),
                          host=conn.label, kind="auth", attempts_left=attempts_left)
    return PhoneError("login for user '%s' failed: unexpected answer %s" % (username, safe_text(body, 80)),
                      host=conn.label, kind="auth")


def connection_message(error):
    text = str(error)
    if "Connection refused" in text or "ECONNREFUSED" in text or "Errno 111" in text:
        return "connection refused (phone down, rebooting, or wrong port/protocol)"
    if "Name or service not known" in text or "NameResolutionError" in text or "getaddrinfo" in text:
        return "host name could not be resolved"
    if "reset by peer" in text or "RemoteDisconnected" in text or "Connection aborted" in text:
        return "connection reset by the phone"
    if "timed out" in text:
        return "connection timed out"
    return "could not connect (%s)" % type(error).__name__


def tls_message(conn, error):
    """What is wrong with the phone's certificate, and the fix that keeps verification on."""
    text = str(error)
    where = "the TLS certificate of %s" % conn.base_url
    if "certificate has expired" in text or "certificate is not yet valid" in text:
        return ("%s is outside its validity period (expired, or not valid yet: check the phone's clock and the "
                "controller's): renew the phone's certificate (or fix the date) and keep validate_certs on" % where)
    if "Hostname mismatch" in text or "IP address mismatch" in text:
        return ("%s is not valid for the name '%s' (hostname mismatch): connect with a host name the certificate "
                "holds (its subject alternative names), or give the phone a certificate for this name"
                % (where, conn.host))
    if "self-signed certificate" in text or "self signed certificate" in text:
        return ("%s is self-signed and not trusted by this controller (phones ship self-signed certificates): set "
                "ca_path to that certificate or to the CA that signed it" % where)
    if "unable to get local issuer certificate" in text or "unable to get issuer certificate" in text:
        return ("%s is signed by a CA this controller does not trust (unknown CA): set ca_path to the PEM file of "
                "the CA that signed it" % where)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        detail = text.split("certificate verify failed:", 1)[-1].split("(_ssl", 1)[0].strip(" :)'\"")
        return ("%s failed verification (%s): fix the certificate, or set ca_path to the CA that signed it"
                % (where, safe_text(detail, 80) or "no detail"))
    if "WRONG_VERSION_NUMBER" in text or "wrong version number" in text or "record layer" in text:
        return "TLS handshake failed for %s: the port does not speak HTTPS" % conn.base_url
    return "TLS error talking to %s (%s)" % (conn.base_url, type(error).__name__)
