# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which failed requests may have reached the phone, and which requests change it.

The one rule for repeating a request: a failure that proves the phone did not act (the connection
was refused or never opened, HTTP 503 while booting or busy) is retried for every request, up to
``retries``. A failure after the request may have been sent (no answer within the timeout, a reset
after sending, HTTP 500/502/504) is retried only for a request that is safe to repeat (reads,
idempotent writes); any other request, a login above all (a repeated wrong password counts twice),
is raised with ``may_have_acted=True`` instead.
"""

from __future__ import annotations

__metaclass__ = type

# Requests that change the phone (the emulator's "writes"); both spellings of the values endpoints.
WRITE_ENDPOINTS = frozenset((
    "api.values.post", "api-values.post", "api-change_password", "api-save_edit_contact",
    "api-delete_all_contact", "api-delete_contact", "api-add_group", "api-edit_delete_group",
    "api-make_call", "api-phone_operation", "api-sys_operation",
    "config_update",  # the current firmware dialect's values write (dialect_current.py)
))
LOGIN_ENDPOINTS = frozenset(("dologin", "login"))
# HTTP answers after which the phone may or may not have acted (a proxy or the firmware failed mid-way).
AMBIGUOUS_STATUSES = (500, 502, 504)
NOT_ACTED_STATUS = 503
# Request fields that are not the caller's data.
_PLUMBING_FIELDS = ("sid",)


def never_sent(error):
    """True when a requests ConnectionError proves that nothing reached the phone's web server.

    urllib3 raises NewConnectionError (connection refused, no route) and NameResolutionError before a
    single byte is sent; a reset or a closed connection after that is ProtocolError, which is ambiguous.
    """
    seen = set()
    current = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        if name in ("NewConnectionError", "NameResolutionError", "ConnectionRefusedError", "ConnectTimeoutError"):
            return True
        if name in ("ProtocolError", "RemoteDisconnected", "ConnectionResetError", "BrokenPipeError",
                    "ReadTimeoutError", "IncompleteRead"):
            return False
        nested = getattr(current, "reason", None)
        if nested is None and getattr(current, "args", None):
            nested = next((arg for arg in current.args if isinstance(arg, BaseException)), None)
        current = nested or current.__cause__ or current.__context__
    text = str(error)
    return "Failed to establish a new connection" in text or "Connection refused" in text


def write_label(endpoint, params=None, data=None):
    """A write request as its endpoint and field names (never a value): ``api.values.post (P30, P64)``."""
    names = []
    for fields in (params, data):
        if isinstance(fields, dict):
            names.extend(str(name) for name in fields if name not in _PLUMBING_FIELDS)
    names = list(dict.fromkeys(names))
    return "%s (%s)" % (endpoint, ", ".join(names)) if names else endpoint
