"""The phone's `/cgi-bin/` endpoints: each a function (phone, params, session, now) -> Response.

`Phone` holds its lock while one of these runs, resolves the session and enforces `access`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable

from . import responses
from .model import (
    ACCOUNTS,
    ADMIN_USER,
    PASSWORD_PVALUE,
    PUBLIC_NAMES,
    PVALUE_NAME,
    READ_ONLY_PVALUES,
    REBOOT_PVALUES,
    SECRET_MASK,
    SECRET_PVALUES,
    account_registered,
    rule_for,
    special_values,
)
from .guide_login import dologin, loginrealm, token_login
from .lines import OPERATIONS as LINE_OPERATIONS
from .phonebook import Phonebook, PhonebookError

# Who may call an endpoint.
PUBLIC = "public"  # anyone
VALUES_GET = "values-get"  # anyone; only a forms session sees more than the public subset
VALUES_POST = "values-post"  # forms session, else 200 {"status":"session-expired"}
TOKEN_ALLOWED = "token"  # forms or token session, else 401
PHONE_STATUS = "status"  # anyone; a sid that is not live answers 200 with body "unauthorized"
FORMS_ONLY = "forms"  # forms session, else 401
CONFIG = "config"  # forms session, else 200 {"status":"session-expired"} (current dialect's config_*)
ADMIN_ONLY = "admin"  # an admin forms session, else 401 (current dialect)

DIALABLE = re.compile(r"^\+?[0-9*#]{1,64}$")
SYS_OPERATIONS = ("REBOOT", "RESET", "PROV")
ADMIN_ONLY_OPERATIONS = ("RESET", "PROV")


@dataclass(frozen=True)
class Endpoint:
    handler: Callable
    access: str
    read: bool = False  # a data read: subject to faults with error_on "reads"
    write: bool = False  # counted in `writes`
    methods: tuple[str, ...] = ("GET", "POST")  # others answer 405


# values ------------------------------------------------------------------------------------
def _read_value(phone, name: str, logged_in: bool) -> str:
    pvalue_name = f"P{name}" if name.isdigit() else name
    if not logged_in and pvalue_name not in PUBLIC_NAMES:
        return ""
    if PVALUE_NAME.match(pvalue_name):
        return read_setting(phone, pvalue_name)
    return special_values(phone.identity).get(name, "")


def read_setting(phone, name: str) -> str:
    """A stored value as a read answers it (both dialects): a secret never reads back its value."""
    value = phone.pvalues.get(name, "")
    if name in SECRET_PVALUES:
        return SECRET_MASK if value and phone.model.masks_secrets else ""
    return value


def values_get(phone, params, session, now):
    request = params.get("request", "")
    if not request:
        return responses.invalid_request()
    logged_in = session is not None
    # Keyed by the bare number, as the guide's example answers ("68", not "P68"), however it was asked:
    # a client that looks only for "P68" finds nothing (docs/emulator.md, "Strict readings").
    return responses.success({_answer_key(name): _read_value(phone, name, logged_in) for name in request.split(":")})


def _answer_key(name: str) -> str:
    return name[1:] if PVALUE_NAME.match(name) else name


def values_post(phone, params, session, now):
    """Store every acceptable `Pnnn` value; anything else is dropped without a word, as firmware does."""
    store_values(phone, session, {name: value for name, value in params.items() if PVALUE_NAME.match(name)})
    return responses.success({"status": "right"})


def store_values(phone, session, values: dict[str, str]) -> None:
    """Store each value that passes the write rules (both dialects); the others are dropped silently."""
    changed = False
    for name, value in values.items():
        if name in READ_ONLY_PVALUES or name in phone.faults.drop_writes:
            continue
        if name == PASSWORD_PVALUE[ADMIN_USER] and session.role != ADMIN_USER:
            continue
        if not rule_for(name).accepts(value) or phone.pvalues.get(name) == value:
            continue
        phone.pvalues[name] = value
        if name in REBOOT_PVALUES:
            phone.hold_for_reboot(name)
        changed = True
    if changed:
        phone.save()


def change_password(phone, params, session, now):
    """Change the admin (`P2`, needs `oldadmin`) and/or user (`P196`, needs `olduser`) password;
    all or nothing. A user session may change only the user password."""
    changes = {}
    for role, old_parameter in ((ADMIN_USER, "oldadmin"), ("user", "olduser")):
        new_parameter = PASSWORD_PVALUE[role]
        if new_parameter not in params:
            continue
        if session.role != ADMIN_USER and role == ADMIN_USER:
            return responses.error("permission denied")
        if params.get(old_parameter) != phone.password(role):
            return responses.error("wrong old password")
        new_password = params[new_parameter]
        if not new_password or not rule_for(new_parameter).accepts(new_password):
            return responses.invalid_request()
        changes[new_parameter] = new_password
    if not changes:
        return responses.invalid_request()
    phone.pvalues.update(changes)
    phone.save()
    return responses.success({"status": "right"})


# phonebook ---------------------------------------------------------------------------------
def _phonebook_change(change):
    """An endpoint that edits the phonebook: saves on success, {"res":"error"} on failure."""

    def handler(phone, params, session, now):
        try:
            change(Phonebook(phone.state), params)
        except PhonebookError as failure:
            return responses.res_error(str(failure))
        phone.save()
        return responses.success("")

    return handler


def get_contacts(phone, params, session, now):
    try:
        contacts = Phonebook(phone.state).list_contacts(
            params.get("contactid"), params.get("contactname"), params.get("groupid"))
    except PhonebookError as failure:
        return responses.res_error(str(failure))
    return responses.res_success(contacts)


def get_groups(phone, params, session, now):
    try:
        return responses.res_success(Phonebook(phone.state).list_groups(params.get("id")))
    except PhonebookError as failure:
        return responses.res_error(str(failure))


def phonebook_download(phone, params, session, now):
    return responses.Response(200, Phonebook(phone.state).to_xml(), "text/xml; charset=utf-8")


# status and calls --------------------------------------------------------------------------
def get_accounts(phone, params, session, now):
    return responses.success(account_list(phone, params))


def account_list(phone, params) -> list[dict]:
    registered_only = params.get("registered", "").lower() in ("1", "true")
    accounts = []
    for account in ACCOUNTS:
        server, user_id = phone.pvalues.get(account.server, ""), phone.pvalues.get(account.user_id, "")
        registered = int(account_registered(phone.pvalues, account))
        if registered_only and not registered:
            continue
        accounts.append({"id": account.number, "sip_server": server, "sip_id": user_id,
                         "name": phone.pvalues.get(account.display_name, ""), "reg": registered})
    return accounts


def _line_number(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


def get_line_status(phone, params, session, now):
    requested = params.get("line", "")
    if requested in ("", "0"):
        return responses.success(phone.lines.view(now))
    line = _line_number(requested)
    if line is None or not phone.lines.valid_line(line):
        return responses.invalid_request()
    return responses.success(phone.lines.view(now, only_line=line))


def get_phone_status(phone, params, session, now):
    return responses.success(phone.lines.phone_status(now), misc="0")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def get_time(phone, params, session, now):
    local = time.localtime()
    clock = time.strftime(" %H:%M" if phone.pvalues.get("P122") == "1" else " %I:%M%p", local)
    minutes, seconds = divmod(int(phone.power.uptime(now)), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    uptime = f" {_plural(days, 'day')}, {_plural(hours, 'hour')}, {_plural(minutes, 'minute')}, {seconds}seconds"
    return responses.json_response({"date": time.strftime("%a %m/%d/%Y", local), "time": clock, "uptime": uptime})


def make_call(phone, params, session, now):
    number = params.get("phonenumber", "")
    account = _line_number(params.get("account") or "0")
    if not DIALABLE.match(number) or account is None or not 0 <= account < len(ACCOUNTS):
        return responses.invalid_request()
    # A call on an account that is not registered is placed and fails at once (line state 8): the answer is the
    # same success, only the line tells (docs/emulator.md).
    if phone.lines.dial(number, account, now, account_registered(phone.pvalues, ACCOUNTS[account])) is None:
        return responses.invalid_request()
    return responses.success("")


def phone_operation(phone, params, session, now):
    line = _line_number(params.get("line"))
    if line is None or not phone.lines.valid_line(line) or params.get("cmd") not in LINE_OPERATIONS:
        return responses.invalid_request()
    # The guide: body "true" when the command is handled. A line without a call that allows it is answered
    # "success" without "true" (the stricter reading): a client must check the body (docs/emulator.md).
    return responses.success("true" if phone.lines.operate(params["cmd"], line, now) else "false")


def sys_operation(phone, params, session, now):
    operation = params.get("request", "").upper()
    if operation not in SYS_OPERATIONS:
        return responses.invalid_request()
    if operation in ADMIN_ONLY_OPERATIONS and session.role != ADMIN_USER:
        return responses.error("permission denied")
    if operation == "PROV":
        phone.provision()
    else:
        phone.reboot(factory_reset=operation == "RESET")
    response = responses.success(operation.lower())
    response.close = True
    return response


ENDPOINTS: dict[str, Endpoint] = {
    "dologin": Endpoint(dologin, PUBLIC),
    "loginrealm": Endpoint(loginrealm, PUBLIC),
    "login": Endpoint(token_login, PUBLIC),
    "api-values.get": Endpoint(values_get, VALUES_GET, read=True),
    "api-values.post": Endpoint(values_post, VALUES_POST, write=True),
    "api-change_password": Endpoint(change_password, FORMS_ONLY, write=True),
    "api-get_contacts": Endpoint(get_contacts, FORMS_ONLY, read=True),
    "api-save_edit_contact": Endpoint(_phonebook_change(Phonebook.save_contact), FORMS_ONLY, write=True),
    "api-delete_contact": Endpoint(
        _phonebook_change(lambda book, params: book.delete_contact(params.get("id"))), FORMS_ONLY, write=True),
    "api-delete_all_contact": Endpoint(
        _phonebook_change(lambda book, params: book.delete_all_contacts()), FORMS_ONLY, write=True),
    "api-add_group": Endpoint(
        _phonebook_change(lambda book, params: book.add_group(params.get("name"))), FORMS_ONLY, write=True),
    "api-get_groups": Endpoint(get_groups, FORMS_ONLY, read=True),
    "api-edit_delete_group": Endpoint(
        _phonebook_change(lambda book, params: book.edit_or_delete_group(params.get("id"), params.get("name"))),
        FORMS_ONLY, write=True),
    "api-get_accounts": Endpoint(get_accounts, FORMS_ONLY, read=True),
    "api-get_line_status": Endpoint(get_line_status, FORMS_ONLY, read=True),
    "api-get_phone_status": Endpoint(get_phone_status, PHONE_STATUS, read=True),
    "api-get_time": Endpoint(get_time, FORMS_ONLY, read=True),
    "api-make_call": Endpoint(make_call, TOKEN_ALLOWED, write=True),
    "api-phone_operation": Endpoint(phone_operation, TOKEN_ALLOWED, write=True),
    "api-sys_operation": Endpoint(sys_operation, TOKEN_ALLOWED, write=True),
    "phonebook_download": Endpoint(phonebook_download, FORMS_ONLY, read=True),
}
# Firmware answers to both spellings; counters use the guide's one.
ENDPOINT_ALIASES = {"api.values.get": "api-values.get", "api.values.post": "api-values.post"}
