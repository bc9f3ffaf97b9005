# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_password: set the admin or user web password, idempotently and without risking a lockout.

Passwords are write-only on the phone, so the only way to learn whether the new one is already set is
to log in with it. That probe is the one login of the task that is expected to fail; its answer tells
how many attempts the phone has left, and the task stops before anything else when that is fewer than
``MIN_ATTEMPTS_LEFT``. The remaining logins (a session to send the change, a login that proves the new
password) can then fail at most once each, so even the worst case leaves the phone one attempt.
A wrong current password costs no login at all: ``api-change_password`` checks it itself.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import InvalidValue

ROLES = ("admin", "user")
# api-change_password form fields per role: (current password, new password).
CHANGE_FIELDS = {"admin": ("oldadmin", "P2"), "user": ("olduser", "P196")}
# With fewer attempts left than this after the probe, the session login and the proof login could lock the phone.
MIN_ATTEMPTS_LEFT = 3

ARGUMENT_SPEC = dict(
    role=dict(type="str", default="admin", choices=list(ROLES)),
    new_password=dict(type="str", required=True, no_log=True),
    current_password=dict(type="str", no_log=True),
)


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


def refuse_near_lockout(conn, role, attempts_left):
    if attempts_left is not None and attempts_left < MIN_ATTEMPTS_LEFT:
        raise PhoneError(
            "not changing the %s password: the phone has only %d login attempt(s) left before it locks logins "
            "(earlier wrong passwords), and the change needs up to two more logins (a session and a login that "
            "proves the new password). A successful login resets the count: log in once with the right password "
            "or wait for the lock to expire, then run again" % (role, attempts_left),
            host=conn.label, kind="auth", attempts_left=attempts_left)


def _change(client, role, current, new):
    old_field, new_field = CHANGE_FIELDS[role]
    try:
        client.call("api-change_password", data={old_field: current, new_field: new}, idempotent=False)
    except PhoneError as error:
        if error.kind == "invalid_request":
            error.message = ("the phone refused new_password for %s (Invalid Request): it is empty, too long or "
                             "has characters the firmware does not accept" % role)
        elif error.kind == "api" and "wrong" in error.message:
            error.message = ("current_password is not the phone's current %s password: the phone refused the "
                             "change (this costs no login attempt, the phone is not closer to a lockout)" % role)
            error.kind = "auth"
        raise


def _keep_later_tasks_working(client, role, new):
    """After the connection user's own password became ``new``: let the play go on with its configured one."""
    if role == client.conn.username and new != client.conn.password:
        client.remember_password(new, client.conn.password)


def run(client, params, check_mode):
    role = params["role"]
    new = params["new_password"]
    if not new:
        raise ValidationError("new_password must not be empty", field="new_password")
    try:
        # The phone's own rule for P2 / P196; checked before the login probe, which would cost an attempt.
        catalog.resolve("%s_password" % role).kind.normalise(new)
    except InvalidValue as problem:
        raise ValidationError("new_password %s" % problem, field="new_password")
    conn = client.conn
    current = current_password(conn, role, params.get("current_password"))

    accepted, attempts_left = client.probe_password(role, new)
    if accepted:
        _keep_later_tasks_working(client, role, new)
        return {"changed": False, "msg": "the %s password is already the new one" % role}
    if check_mode:
        return {"changed": True, "msg": "would change the %s password" % role}
    refuse_near_lockout(conn, role, attempts_left)

    # The session is the connection's (cached, or a login with the connection password); the phone checks
    # current_password itself, so a wrong one costs no login attempt.
    _change(client, role, current, new)

    proved, attempts_left = client.probe_password(role, new)
    if not proved:
        raise PhoneError("the phone accepted the change of the %s password but then refused a login with the new "
                         "one (%s attempt(s) left); check the password in the phone's web UI"
                         % (role, "unknown" if attempts_left is None else attempts_left),
                         host=conn.label, kind="auth", attempts_left=attempts_left,
                         details={"applied": ["change %s password" % role]})
    _keep_later_tasks_working(client, role, new)
    return {"changed": True, "msg": "the %s password was changed" % role}
