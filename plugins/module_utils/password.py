# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_password: set the admin or user web password, idempotently and without spending a login attempt.

Passwords are write-only on the phone, and a login with a wrong one costs one of the phone's five
attempts. So this engine never tries a password by logging in with it. What it knows instead:

- The connection's own login (or the play's session) proves that the phone holds the connection
  password. When ``role`` is the connection's user, that answers the question: ``new_password`` is
  set exactly when it is that password.
- ``api-change_password`` checks the current password itself and answers ``wrong old password``
  without counting a failed login. Sending ``new_password`` as both the current and the new password
  therefore asks "is it set?" at no risk (and changes nothing when it is).
- The login memory (login_memory.py) keeps a fingerprint of the password this controller last set
  per phone and role. Check mode sends no change, so for the role that is not the connection's it
  can only compare with that record; the result says ``verified: false`` when the phone was not asked.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.connection import WEB_USERS
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import describe_time
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK, SECRET_WRITTEN
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import InvalidValue

ROLES = WEB_USERS
# api-change_password form fields per role: (current password, new password).
CHANGE_FIELDS = {"admin": ("oldadmin", "P2"), "user": ("olduser", "P196")}

ARGUMENT_SPEC = dict(
    role=dict(type="str", default="admin", choices=list(ROLES)),
    # raw, not str: Ansible's str conversion turns a list into its Python text ("['x']") without a word.
    new_password=dict(type="raw", required=True, no_log=True),
    current_password=dict(type="raw", no_log=True),
)


def password_option(params, name):
    """The option as text: a string (or a whole number, as YAML reads an unquoted 123456); anything else is
    refused naming the option, never stored as its Python text."""
    value = params.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    # Ansible hands tagged subclasses of list / dict (_AnsibleTaggedList): name the plain type.
    kind = next((plain.__name__ for plain in (list, dict, bool, float) if isinstance(value, plain)),
                type(value).__name__)
    raise ValidationError("%s must be a string, not a %s (quote it in YAML)" % (name, kind), field=name)


def current_password(conn, role, given):
    """The password the phone should have now: given, else the connection's own when it is that role's."""
    if role == "admin" and conn.username != "admin":
        raise ValidationError("only the admin can change the admin password: connect as username 'admin' "
                              "(the connection user is '%s')" % conn.username, field="role")
    if given:
        return given
    if role == conn.username:
        return conn.password
    raise ValidationError("current_password is required to change the %s password over a connection as '%s': "
                          "the phone checks the %s's current password and the connection password is not it"
                          % (role, conn.username, role), field="current_password")


def _change(client, role, current, new):
    """api-change_password; False when the phone says ``current`` is not the password (no login attempt spent)."""
    old_field, new_field = CHANGE_FIELDS[role]
    try:
        client.call("api-change_password", data={old_field: current, new_field: new}, idempotent=False)
    except PhoneError as error:
        if error.kind == "invalid_request":
            error.message = ("the phone refused new_password for %s (Invalid Request): it is empty, too long or "
                             "has characters the firmware does not accept" % role)
        elif error.kind == "api" and "wrong" in error.message:
            return False
        raise
    return True


def _is_set(client, role, new):
    """Ask the phone whether ``role`` has ``new`` without a login: a change from ``new`` to ``new``."""
    return _change(client, role, new, new)


def _confirm(client, role, new):
    """After a change: the phone must accept ``new`` as the current password. Any failure says what was applied."""
    try:
        confirmed = _is_set(client, role, new)
    except PhoneError as error:
        error.message += " (after the %s password was changed: the change was applied)" % role
        error.details.setdefault("applied", ["change %s password" % role])
        raise
    if not confirmed:
        raise PhoneError("the phone accepted the change of the %s password but does not confirm the new one as "
                         "current; check the password in the phone's web UI" % role, host=client.conn.label,
                         kind="auth", details={"applied": ["change %s password" % role]})


def _keep_later_tasks_working(client, role, new):
    """After the connection user's own password became ``new``: let the play go on with its configured one."""
    if role == client.conn.username and new != client.conn.password:
        client.remember_password(new, client.conn.password)
    elif role == client.conn.username and client.uses_previous_password:
        client.remember_password(new, client.conn.password_previous)  # the rotation reached the phone


def _done(client, role, new, changed, msg, verified=True):
    if verified:
        client.memory.record_password(client.conn.base_url, role, new)
    _keep_later_tasks_working(client, role, new)
    return {"changed": changed, "verified": verified, "msg": msg}


def _own_password(client, role, new, current, check_mode):
    """``role`` is the connection's user: the session proves which password the phone holds."""
    conn = client.conn
    set_at = client.memory.password_set_at(conn.base_url, role, new)
    if set_at and new != conn.password and client.memory.check(conn.base_url, conn.username, new) is None:
        # This controller set new_password on this phone: connect with it rather than with a password it replaced.
        client.use_password(new)
    holds_new = client.session_holds(new)
    if holds_new:
        return _done(client, role, new, False, "the %s password is already the new one" % role)
    if check_mode:
        return {"changed": True, "verified": holds_new is False,
                "msg": "would change the %s password" % role}
    if not _change(client, role, current, new):
        raise PhoneError("current_password is not the phone's current %s password: the phone refused the change "
                         "(this costs no login attempt, the phone is not closer to a lockout)" % role,
                         host=conn.label, kind="auth")
    _confirm(client, role, new)
    return _done(client, role, new, True, "the %s password was changed" % role)


def _other_password(client, role, new, current, check_mode):
    """An admin sets the user password: only api-change_password can tell, and it costs no login attempt."""
    conn = client.conn
    set_at = client.memory.password_set_at(conn.base_url, role, new)
    if check_mode:
        if set_at:
            return {"changed": False, "verified": False,
                    "msg": "the %s password is the one this controller set on %s; not verified on the phone "
                           "(check mode sends no change, and a login attempt could count as a failed one)"
                           % (role, describe_time(set_at))}
        return {"changed": True, "verified": False,
                "msg": "would set the %s password; not verified on the phone (this controller has no record of "
                       "setting it, and check mode sends no change nor a login attempt)" % role}
    attempts = [(new, new), (current, new)] if set_at else [(current, new), (new, new)]
    for old, target in dict.fromkeys(attempts):
        if _change(client, role, old, target):
            if old == new:
                return _done(client, role, new, False, "the %s password is already the new one (confirmed by "
                             "the phone without a login)" % role)
            _confirm(client, role, new)
            return _done(client, role, new, True, "the %s password was changed" % role)
    raise PhoneError("current_password is not the phone's current %s password, and new_password is not set either: "
                     "the phone refused both (this costs no login attempt, the phone is not closer to a lockout)"
                     % role, host=conn.label, kind="auth")


def precheck(params, conn):
    """(role, new, current) of the options, or a ValidationError naming the option, before any request."""
    role = params["role"]
    new = password_option(params, "new_password")
    given = password_option(params, "current_password")
    if not new:
        raise ValidationError("new_password must not be empty", field="new_password")
    try:
        # The phone's own rule for P2 / P196, checked before any request.
        catalog.resolve("%s_password" % role).kind.normalise(new)
    except InvalidValue as problem:
        raise ValidationError("new_password %s" % problem, field="new_password")
    return role, new, current_password(conn, role, given)


def run(client, params, check_mode):
    role, new, current = precheck(params, client.conn)
    if role == client.conn.username:
        return _with_changes(_own_password(client, role, new, current, check_mode), role)
    return _with_changes(_other_password(client, role, new, current, check_mode), role)


def _with_changes(result, role):
    """before, after, commands and diff as every configuring module returns them; a password only ever masked."""
    key = "%s_password" % role
    result.update(before={key: MASK}, after={key: SECRET_WRITTEN if result["changed"] else MASK},
                  commands=["change %s password" % role] if result["changed"] else [])
    if result["changed"]:
        result["diff"] = {"before": dict(result["before"]), "after": dict(result["after"])}
    return result


ENGINE = Engine("password", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True, precheck=precheck)
