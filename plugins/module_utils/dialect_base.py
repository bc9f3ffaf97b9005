# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The interface every firmware dialect fills in (dialects.py says which dialects there are and how one is found)."""

from __future__ import annotations

__metaclass__ = type

GUIDE = "guide"
CURRENT = "current"
# What a dialect may learn about the phone without reading a value (never a secret).
FACT_KEYS = ("firmware", "mac", "model", "vendor")


class Dialect:
    """How one firmware generation is spoken. Stateless: the client holds the session and the facts."""

    name = None
    # The guide dialect can answer a dead session like an anonymous one (values empty, HTTP 200), so the
    # client reads the MAC with every values read to notice; the current dialect says session-expired.
    probes_session = True
    # The guide's password-token login (loginrealm + login) for the call/system endpoints.
    has_token_login = True
    # Ends a session on request (dologout), so a play without a session cache leaves none behind.
    has_logout = False
    # A values read answers each value's Grandstream alias too (read_values records them in client.value_names).
    names_values = False

    def login_send(self, client, user, password):
        """A ``send(repeatable)`` for client._login_exchange: one login with ``password``, returns the response."""
        raise NotImplementedError

    def login_facts(self, body):
        """Facts (FACT_KEYS) the success body of a login gives, e.g. the firmware version."""
        return {}

    def values_prefix(self, client):
        """The request line before the first value name (its length bounds a chunk)."""
        raise NotImplementedError

    def read_values(self, client, names):
        """One read of ``names`` (``P47`` style): the answer keyed by those names; a name the phone does not
        have is absent (the engines read that as "not on this phone")."""
        raise NotImplementedError

    def write_values(self, client, values):
        """One write of ``{"P47": "text"}``; the caller reads back what stuck."""
        raise NotImplementedError

    def shape(self, endpoint, method, params, data):
        """(method, params, data) of an api-* request as this dialect expects it."""
        return method, params, data

    def session_role(self, role, sid):
        """``admin`` or ``user``: the role a login answer's ``role`` field gives the session ``sid``, or None
        when the dialect's login answer does not say."""
        return None

    def logout(self, client):
        """End the client's session on the phone (only called when ``has_logout``)."""
