# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The current dialect (2026 firmware, ``current-firmware-notes.md``): challenge login, config_get/config_update.

- Login: ``POST access`` (``access`` = sha256(username)) answers a nonce; ``POST dologin`` with the plain
  username and ``password`` = sha256(password + nonce). The access step is no login and may be repeated;
  the dologin is the attempt the phone counts, sent through the client's login memory like a forms login.
  The success body holds ``sid``, a hashed ``role``, the firmware version ``ver`` and the ``mac``.
- Values: ``GET config_get?pvalues=68,67,:dnd`` answers ``{"configs": [{"alias", "pvalue", "value"}]}``
  with every key asked for; a key the phone does not have comes back with alias "" and value "". That is
  "not on this phone" (left out, as the guide dialect's phones leave it out), never an empty value. The
  non-empty aliases are kept in ``client.value_names`` (gs_info returns them as ``grandstream_aliases``).
- Writes: ``PUT config_update`` with ``{"alias": {}, "pvalue": {"334": "60"}}``; success is no proof that a
  value stuck (the caller reads back).
- ``dologout`` ends a session; an expired one is HTTP 401 on api-* and HTTP 200 ``session-expired`` on
  config_get (answers.session_expired), both handled by the client's one re-login.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
from urllib.parse import quote

from ansible_collections.grandstream.phone.plugins.module_utils.answers import decode_json
from ansible_collections.grandstream.phone.plugins.module_utils.connection import WEB_USERS
from ansible_collections.grandstream.phone.plugins.module_utils.dialect_base import CURRENT, Dialect
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.values_wire import values_by_name, wire_name

ACCESS = "access"
CONFIG_GET = "config_get"
CONFIG_UPDATE = "config_update"
LOGOUT = "dologout"
# Status endpoints the captures show as form POSTs (with the sid as a field), and their fields.
FORM_POSTS = {"api-get_line_status": {"line": "-1"}, "api-get_phone_status": {}}


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def challenge_answer(password, nonce):
    """What dologin's password field carries: lowercase hex sha256(password + nonce)."""
    return sha256_hex(password + nonce)


def _configs(payload):
    """The entries of a config_get answer that name a key; ValueError when the answer has no ``configs`` list."""
    configs = payload.get("configs")
    if configs is None and isinstance(payload.get("body"), dict):
        configs = payload["body"].get("configs")
    if not isinstance(configs, list):
        raise ValueError("no configs list")
    return [item for item in configs if isinstance(item, dict) and "pvalue" in item]


def configs_by_key(payload):
    """A config_get answer as {pvalue key: value}; keys the phone does not have (alias and value empty) are
    left out. Raises ValueError when the answer has no ``configs`` list."""
    known = {}
    for item in _configs(payload):
        value = item.get("value")
        value = "" if value is None else str(value)
        if not item.get("alias") and value == "":
            continue  # unknown to this phone: a real empty setting still has its alias
        known[str(item["pvalue"])] = value
    return known


def aliases_by_key(payload):
    """A config_get answer's Grandstream aliases as {pvalue key: alias}, only the non-empty ones (an empty
    alias names nothing: a key the phone does not have, or a runtime value such as ``:dnd``)."""
    aliases = {}
    for item in _configs(payload):
        alias = item.get("alias")
        if isinstance(alias, str) and alias.strip():
            aliases[str(item["pvalue"])] = alias.strip()
    return aliases


class CurrentDialect(Dialect):
    name = CURRENT
    probes_session = False
    has_token_login = False
    has_logout = True
    names_values = True

    def nonce(self, client, user):
        """The access step: a fresh nonce for one dologin. Not a login: failures spend no attempt."""
        try:
            response = client.send("POST", ACCESS, data={"access": sha256_hex(user)})
            payload = decode_json(response, ACCESS, client.conn.label)
        except PhoneError as error:
            error.may_have_acted = False
            if error.http_status == 404:
                error.message = ("the phone does not answer /cgi-bin/access, so it does not speak the current "
                                 "firmware dialect (set firmware_dialect to auto or guide)")
            raise
        nonce = payload.get("body")
        if payload.get("response") != "success" or not isinstance(nonce, str) or not nonce:
            raise PhoneError("unexpected answer to access (no nonce)", host=client.conn.label, kind="auth")
        return nonce

    def login_send(self, client, user, password):
        def send(repeatable):
            # A lost dologin answer is repeated only when the login memory says this password was accepted
            # here before (``repeatable``), and then with a fresh nonce: the first one may be used up.
            attempts = 1 + (max(0, client.conn.retries) if repeatable else 0)
            for attempt in range(attempts):
                nonce = self.nonce(client, user)
                try:
                    return client.send("POST", "dologin", idempotent=False,
                                       data={"username": user, "password": challenge_answer(password, nonce)})
                except PhoneError as error:
                    if not (error.may_have_acted and attempt + 1 < attempts):
                        raise
            raise AssertionError("unreachable")  # pragma: no cover
        return send

    def login_facts(self, body):
        return {"firmware": body.get("ver"), "mac": body.get("mac")}

    def session_role(self, role, sid):
        # The notes: ``role`` is sha256(role_name + sid) in hex, for role_name admin or user.
        for name in WEB_USERS:
            if role and sid and role == sha256_hex(name + sid):
                return name
        return None

    def values_prefix(self, client):
        return client.url(CONFIG_GET) + "?pvalues="

    def read_values(self, client, names):
        wire = [wire_name(name) for name in names]
        payload = client.call(CONFIG_GET, params="pvalues=" + quote(",".join(wire), safe=":,"))
        try:
            known = configs_by_key(payload)
        except ValueError:
            raise PhoneError("unexpected answer to %s: no configs list" % CONFIG_GET, host=client.conn.label,
                             kind="not_a_phone")
        client.value_names.update(values_by_name(aliases_by_key(payload), names))
        return values_by_name(known, names)

    def write_values(self, client, values):
        pvalues = {wire_name(str(name)): str(value) for name, value in values.items()}
        client.call(CONFIG_UPDATE, method="PUT", json_body={"alias": {}, "pvalue": pvalues})

    def shape(self, endpoint, method, params, data):
        fields = FORM_POSTS.get(endpoint)
        if fields is None or data is not None or not isinstance(params or {}, dict):
            return method, params, data
        form = dict(fields)
        form.update(params or {})
        return "POST", None, form

    def logout(self, client):
        client.send("POST", LOGOUT, data={}, retry=False)
