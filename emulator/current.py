"""The current dialect (current-firmware-notes.md): challenge login, config_get / config_update, word line
states, the transport rules. Each choice where the notes are silent is in docs/emulator.md.

Endpoints have the same signature as api.py's: (phone, params, session, now) -> Response; `params` is the
`Request` (query and form fields, plus `.body` / `.content_type` for config_update).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from urllib.parse import urlsplit

from . import api, responses
from .aliases import PVALUE_BY_ALIAS, alias_for, setting_name
from .api import ADMIN_ONLY, CONFIG, FORMS_ONLY, PUBLIC, Endpoint
from .auth import FORMS
from .model import (
    ACCOUNTS,
    PASSWORD_PVALUE,
    VENDOR_FULLNAME,
    VENDOR_NAME,
    account_registered,
)

# Guide line states (lines.py) as the current dialect's words. The notes show idle, ringing, connected and
# onhold; calling (3) and failed (8) take the guide's own names for those states.
LINE_STATE_WORDS = {"0": "idle", "2": "ringing", "3": "calling", "4": "connected", "5": "onhold", "8": "failed"}
ALL_LINES = "-1"
RUNTIME_VALUES = {":dnd": "0"}  # runtime names the emulator answers (DND is never on)
ACCOUNT_REGISTERED = "AccountRegistered"
SID_BITS = 256  # 64 hex digits
# Firmware before 1.0.3 behaves as the notes' 1.0.1.87: a short model.define.js, no session eviction.
EVICTING_FROM = (1, 0, 3)
WRITING_METHODS = ("POST", "PUT")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return ()


def is_early_firmware(phone) -> bool:
    return _version(phone.pvalues.get("P68", "")) < EVICTING_FROM


# transport ---------------------------------------------------------------------------------
def transport_refusal(request) -> responses.Response | None:
    """A POST / PUT without Content-Length -> 411; without a same-origin Referer -> bare 403 (any body)."""
    if request.method not in WRITING_METHODS:
        return None
    if not request.length_sent:
        refusal = responses.html_page(411, "Length Required")
        refusal.close = True  # a body of unknown length may follow: this connection cannot be reused
        return refusal
    referer = urlsplit(request.referer or "")
    origin = urlsplit(request.origin)
    if (referer.scheme, referer.netloc.lower()) != (origin.scheme, origin.netloc.lower()) or not referer.path:
        return responses.Response(403, b"<html><body>403 Forbidden</body></html>\n", "text/html")
    return None


# login -------------------------------------------------------------------------------------
def access(phone, params, session, now):
    """`access` = sha256(username): a nonce for that user. Not a login attempt (counted as a challenge)."""
    phone.counters.count_challenge()
    hashed = params.get("access", "")
    for username in PASSWORD_PVALUE:
        if hashed == sha256_hex(username):
            return responses.success(phone.nonces.issue(username, now))
    return responses.invalid_request()


def dologin(phone, params, session, now):
    """`password` = sha256(password + nonce) of the user's latest `access` nonce, which this uses up. Without
    a live nonce the password cannot match: a wrong password like any other (counted, moves the lockout)."""
    username = params.get("username", "")
    hashed = params.get("password", "")
    role = username if username in PASSWORD_PVALUE else None
    nonce = phone.nonces.take(username, now)

    def verify(password):
        return nonce is not None and hashed == sha256_hex(password + nonce)

    new_session, failure = phone.attempt_login(username, role, verify, FORMS, now, sid_bits=SID_BITS,
                                               evict=not is_early_firmware(phone))
    if failure:
        return failure
    sid = new_session.sid
    response = responses.success({"sid": sid, "role": sha256_hex(new_session.role + sid),
                                  "ver": phone.pvalues["P68"], "mac": phone.identity.mac,
                                  "defaultAuth": False, "defaultLogin": False})
    response.cookies = (f"sid={sid}; Path=/; HttpOnly",)
    return response


def dologout(phone, params, session, now):
    phone.sessions.drop(session.sid)
    return responses.success("logout")


def model_define(phone, params, session, now):
    """Unauthenticated identification; served as JavaScript (the file name), its text a JSON document."""
    defines = {"num_accounts": len(ACCOUNTS), "support_dnd": True}
    if is_early_firmware(phone):
        checksum = hashlib.md5(json.dumps(sorted(phone.pvalues)).encode()).hexdigest()
        document = {"model": phone.model.name, "defines": defines, "pvalue_json_checksum": checksum}
    else:
        document = {"model": phone.model.name, "vendor_name": VENDOR_NAME, "vendor_fullname": VENDOR_FULLNAME,
                    "oem_id": "0", "defines": defines}
    response = responses.json_response(document)
    response.content_type = "application/javascript; charset=utf-8"
    return response


# settings ----------------------------------------------------------------------------------
def _config_entry(phone, key: str) -> dict:
    name = setting_name(key)
    if name is not None and name in phone.pvalues:
        return {"alias": alias_for(name), "pvalue": key, "value": api.read_setting(phone, name)}
    if key in RUNTIME_VALUES:
        return {"alias": "", "pvalue": key, "value": RUNTIME_VALUES[key]}
    number = key[len(ACCOUNT_REGISTERED):] if key.startswith(ACCOUNT_REGISTERED) else ""
    if number.isdigit() and 1 <= int(number) <= len(ACCOUNTS) and str(int(number)) == number:
        registered = account_registered(phone.pvalues, ACCOUNTS[int(number) - 1])
        return {"alias": "", "pvalue": key, "value": "1" if registered else "0"}
    return {"alias": "", "pvalue": key, "value": ""}


def config_get(phone, params, session, now):
    keys = params.get("pvalues", "")
    if not keys:
        return responses.invalid_request()
    return responses.json_response({"configs": [_config_entry(phone, key) for key in keys.split(",")]})


def config_update(phone, params, session, now):
    """Writes by number (`pvalue`) and by sourced alias (`alias`); every value that is not a string of a
    setting this phone has, or fails a write rule, is ignored, and the answer is success all the same."""
    if not params.content_type.lower().startswith("application/json"):
        return responses.invalid_request()
    try:
        document = json.loads(params.body.decode("utf-8"))
    except ValueError:
        return responses.invalid_request()
    if not isinstance(document, dict) or not all(isinstance(document.get(part, {}), dict)
                                                 for part in ("alias", "pvalue")):
        return responses.invalid_request()
    values = {}
    for key, value in document.get("pvalue", {}).items():
        values[setting_name(key)] = value
    for alias, value in document.get("alias", {}).items():
        values[PVALUE_BY_ALIAS.get(alias)] = value
    api.store_values(phone, session, {name: value for name, value in values.items()
                                      if name in phone.pvalues and isinstance(value, str)})
    return responses.success("")


# status ------------------------------------------------------------------------------------
def get_line_status(phone, params, session, now):
    """`line=-1` for every line, else one line 1..N; anything else (also the guide's `0`) is refused."""
    requested = params.get("line", "")
    if requested == ALL_LINES:
        lines = phone.lines.view(now)
    elif requested.isdigit() and phone.lines.valid_line(int(requested)):
        lines = phone.lines.view(now, only_line=int(requested))
    else:
        return responses.invalid_request()
    return responses.success([
        {"line": line["line"], "conf": 0, "state": LINE_STATE_WORDS[line["state"]], "acct": int(line["acct"] or 0),
         "active": line["active"], "remotename": line["name"], "remotenumber": line["number"]}
        for line in lines])


def get_accounts(phone, params, session, now):
    return responses.success([{**account, "auto_cfg": ""} for account in api.account_list(phone, params)])


def _current_flavour(name: str, handler=None, access=FORMS_ONLY) -> Endpoint:
    """A guide endpoint as the current dialect serves it: a forms session needed (401 otherwise)."""
    guide = api.ENDPOINTS[name]
    return replace(guide, handler=handler or guide.handler, access=access)


# Current dialect: no api-values.*, no token login (loginrealm / login): the notes show neither.
ENDPOINTS: dict[str, Endpoint] = {
    "access": Endpoint(access, PUBLIC, methods=("POST",)),
    "dologin": Endpoint(dologin, PUBLIC, methods=("POST",)),
    "dologout": Endpoint(dologout, FORMS_ONLY, methods=("POST",)),
    "model.define.js": Endpoint(model_define, PUBLIC, read=True, methods=("GET",)),
    "config_get": Endpoint(config_get, CONFIG, read=True, methods=("GET",)),
    "config_update": Endpoint(config_update, CONFIG, write=True, methods=("PUT",)),
    "api-get_line_status": _current_flavour("api-get_line_status", get_line_status),
    "api-get_accounts": _current_flavour("api-get_accounts", get_accounts),
    "api-sys_operation": _current_flavour("api-sys_operation", access=ADMIN_ONLY),
    **{name: _current_flavour(name) for name in (
        "api-change_password", "api-get_contacts", "api-save_edit_contact", "api-delete_contact",
        "api-delete_all_contact", "api-add_group", "api-get_groups", "api-edit_delete_group",
        "api-get_phone_status", "api-get_time", "api-make_call", "api-phone_operation", "phonebook_download")},
}
