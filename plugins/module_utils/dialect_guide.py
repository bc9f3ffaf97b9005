# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The guide dialect (``web-api-guide.txt``, 2021 firmware): forms login, ``api-values.get`` / ``.post``.

Values are asked for with bare numbers as the guide's example does (``request=2:68:vendor_name``) and read
back keyed either way (values_wire.py). A value the phone does not have is left out of its answer.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
from urllib.parse import quote

from ansible_collections.grandstream.phone.plugins.module_utils.dialect_base import GUIDE, Dialect
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.values_wire import values_by_name, wire_name

VALUES_GET = "api.values.get"
VALUES_POST = "api.values.post"
# The guide's token login names the admin "gmiadmin".
TOKEN_USERNAME = {"admin": "gmiadmin"}


class GuideDialect(Dialect):
    name = GUIDE

    def login_send(self, client, user, password):
        def send(repeatable):
            return client.send("POST", "dologin", data={"username": user, "password": password},
                               idempotent=repeatable)
        return send

    def token_login_send(self, client, user, password):
        """The password-token login (loginrealm + login); ``user`` is the token user (``gmiadmin``)."""
        def send(unused_repeatable):
            try:
                realm = client.send("GET", "loginrealm").text.strip()
            except PhoneError as error:
                error.may_have_acted = False  # a realm is no login attempt
                raise
            secret = hashlib.md5(("%s:%s:%s" % (user, realm, password)).encode("utf-8")).hexdigest()
            # Never repeated, even with a good password: the realm is used up by the first try.
            return client.send("GET", "login", params={"Username": user, "Secret": secret}, idempotent=False)
        return send

    def values_prefix(self, client):
        # Measured with the P of P-names: a little more than the bare numbers sent, never less.
        return client.url(VALUES_GET) + "?request="

    def read_values(self, client, names):
        wire = [wire_name(name) for name in names]
        # A pre-encoded query keeps ':' literal (requests would send 3 bytes of %3A per name).
        payload = client.call(VALUES_GET, params="request=" + quote(":".join(wire), safe=":"))
        body = payload.get("body")
        if not isinstance(body, dict):
            raise PhoneError("unexpected answer to %s: body is not an object" % VALUES_GET,
                             host=client.conn.label, kind="not_a_phone")
        return values_by_name(body, names)

    def write_values(self, client, values):
        payload = client.call(VALUES_POST, data={str(k): str(v) for k, v in values.items()})
        body = payload.get("body")
        if isinstance(body, dict) and body.get("status") not in (None, "right"):
            raise PhoneError("the phone refused the write (status %r)" % body.get("status"),
                             host=client.conn.label, kind="api")
