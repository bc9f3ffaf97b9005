"""The guide dialect's logins: forms (`dologin` with the plain password) and the token login
(`loginrealm` + `login`). Same endpoint signature as api.py's."""

from __future__ import annotations

from . import responses
from .auth import FORMS, TOKEN
from .model import PASSWORD_PVALUE, TOKEN_ALIASES


def dologin(phone, params, session, now):
    username = params.get("username", "")
    password = params.get("password", "")
    role = username if username in PASSWORD_PVALUE else None
    new_session, failure = phone.attempt_login(username, role, lambda expected: password == expected, FORMS, now)
    if failure:
        return failure
    sid = new_session.sid
    if phone.model.session_cookies:
        cookies = (f"session-identity={sid}; Path=/; HttpOnly", f"session-role={new_session.role}; Path=/")
    else:
        cookies = (f"sid={sid}; Path=/; HttpOnly",)
    response = responses.success({"sid": sid, "role": new_session.role, "defaultAuth": False})
    response.cookies = cookies
    return response


def loginrealm(phone, params, session, now):
    return responses.Response(200, phone.realms.issue(now).encode(), "text/plain; charset=utf-8")


def token_login(phone, params, session, now):
    username = params.get("Username", "")
    secret = params.get("Secret", "")
    role = TOKEN_ALIASES.get(username, username)
    role = role if role in PASSWORD_PVALUE else None

    def verify(password):
        return phone.realms.consume_matching(username, secret, password, now)

    new_session, failure = phone.attempt_login(username, role, verify, TOKEN, now)
    if failure:
        return failure
    response = responses.success({"sid": new_session.sid})
    response.cookies = (f"sid={new_session.sid}; Path=/; HttpOnly",)
    return response
