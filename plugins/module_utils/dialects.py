# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Web API dialect a phone speaks, found without a login, and the interface every dialect fills in.

Two generations of firmware answer differently (``current-firmware-notes.md``):
- the **guide** dialect (``web-api-guide.txt``, 2021 firmware): forms login with the plain password,
  ``api-values.get`` / ``api-values.post``, call states as numbers;
- the **current** dialect (2026 firmware, e.g. WP826 1.0.1.87 and 1.0.3.35): challenge login
  (``access`` nonce, ``dologin`` with ``sha256(password + nonce)``), ``config_get`` / ``config_update``,
  call states as words, ``dologout``, an unauthenticated ``/json/configs/model.define.js``.

Detection is one unauthenticated GET of ``model.define.js``: a JSON object naming a model means current,
anything else (404, an HTML page, not JSON) means guide. It is not a login and spends no attempt, and it
does not rely on old phones having the file. Sending a forms login to a current phone would cost a failed
login (it takes the password field as a hash), so the client never logs in before it knows the dialect.

The engines never see a dialect: the client asks its dialect how to log in, how to read and write values
and how to shape a request, and gets back the guide's model (values keyed ``P47``, a login payload whose
body holds ``sid``, ``PhoneError`` for every error).
"""

from __future__ import annotations

__metaclass__ = type

import json

from ansible_collections.grandstream.phone.plugins.module_utils.dialect_base import CURRENT, FACT_KEYS, GUIDE
from ansible_collections.grandstream.phone.plugins.module_utils.dialect_current import CurrentDialect
from ansible_collections.grandstream.phone.plugins.module_utils.dialect_guide import GuideDialect
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError

AUTO = "auto"
CHOICES = (AUTO, GUIDE, CURRENT)
MODEL_DEFINE_PATH = "/json/configs/model.define.js"


def parse_model_define(response):
    """The facts in a ``model.define.js`` answer, or None when it is not one (a guide-dialect phone)."""
    if response.status_code != 200:
        return None
    try:
        document = json.loads(response.text)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("model"), str) or not document["model"]:
        return None
    facts = {"model": document["model"].strip()}
    if isinstance(document.get("vendor_name"), str):
        facts["vendor"] = document["vendor_name"]  # 1.0.3.35 names it; 1.0.1.87 does not
    return facts


def detect(client):
    """(dialect name, facts) of the phone behind ``client``: one unauthenticated GET, never a login.

    A transport failure raises (nothing is known, so nothing is guessed); every answer decides.
    """
    try:
        response = client.send_path("GET", MODEL_DEFINE_PATH)
    except PhoneError as error:
        error.may_have_acted = False  # a read of a static file changes nothing
        raise
    facts = parse_model_define(response)
    if facts is None:
        return GUIDE, {}
    return CURRENT, facts


def for_name(name):
    """The Dialect object of ``name`` (GUIDE or CURRENT)."""
    if name == CURRENT:
        return CurrentDialect()
    if name == GUIDE:
        return GuideDialect()
    raise ValueError("unknown firmware dialect %r" % (name,))


def clean_facts(facts):
    """Only FACT_KEYS with non-empty text values: what the session cache keeps and gs_info shows."""
    result = {}
    for key in FACT_KEYS:
        value = (facts or {}).get(key)
        if isinstance(value, str) and value.strip():
            result[key] = value.strip()
    return result
