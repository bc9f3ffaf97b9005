"""Small `requests` helpers to talk to emulated phones the way a real client does."""

from __future__ import annotations

import hashlib

import requests

FACTORY_PASSWORDS = {"admin": "admin", "user": "123"}


def new_http_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # never send loopback traffic through an environment proxy
    return session


def forms_login(emulator, index: int, username: str = "admin", password: str | None = None) -> requests.Session:
    """A requests session logged in by `POST dologin` (the cookie carries the sid); `.sid` holds it."""
    session = new_http_session()
    answer = session.post(emulator.url(index, "dologin"), timeout=10,
                          data={"username": username, "password": password or FACTORY_PASSWORDS[username]})
    assert answer.json()["response"] == "success", answer.text
    session.sid = answer.json()["body"]["sid"]
    return session


def token_secret(username: str, realm: str, password: str, separator: str = ":") -> str:
    """The guide's `Secret`: md5 of user, realm and password joined by `separator`."""
    return hashlib.md5(separator.join((username, realm, password)).encode()).hexdigest()


def token_login(emulator, index: int, username: str = "gmiadmin", password: str = "admin",
                separator: str = ":") -> requests.Response:
    """`GET loginrealm`, then `GET login`; returns the login answer (its JSON has the sid)."""
    session = new_http_session()
    realm = session.get(emulator.url(index, "loginrealm"), timeout=10).text
    return session.get(emulator.url(index, "login"), timeout=10,
                       params={"Username": username, "Secret": token_secret(username, realm, password, separator)})


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def origin(emulator, index: int) -> str:
    """`http://127.0.0.1:<port>` of phone `index` (its same-origin `Referer` is this plus "/")."""
    return emulator.url(index, "").rsplit("/cgi-bin/", 1)[0]


def current_http_session(emulator, index: int) -> requests.Session:
    """A session that sends the same-origin Referer the current dialect demands on every POST / PUT."""
    session = new_http_session()
    session.headers["Referer"] = origin(emulator, index) + "/"
    return session


def current_nonce(session: requests.Session, emulator, index: int, username: str = "admin") -> str:
    answer = session.post(emulator.url(index, "access"), data={"access": sha256_hex(username)}, timeout=10).json()
    assert answer["response"] == "success", answer
    return answer["body"]


def current_login(emulator, index: int, username: str = "admin", password: str | None = None) -> requests.Session:
    """The current dialect's challenge login (`access`, then `dologin` with sha256(password + nonce)); the
    session's cookie carries the sid, `.sid` and `.login_body` hold the answer."""
    session = current_http_session(emulator, index)
    nonce = current_nonce(session, emulator, index, username)
    password = password or FACTORY_PASSWORDS[username]
    answer = session.post(emulator.url(index, "dologin"), timeout=10,
                          data={"username": username, "password": sha256_hex(password + nonce)})
    assert answer.json()["response"] == "success", answer.text
    session.login_body = answer.json()["body"]
    session.sid = session.login_body["sid"]
    return session


def phone_login(emulator, index: int, username: str = "admin", password: str | None = None) -> requests.Session:
    """A session logged in the way phone `index`'s dialect logs in (`forms_login` or `current_login`), for tests
    that change a phone by hand on either dialect; `.sid` holds the sid."""
    login = current_login if emulator.dialect(index)["dialect"] == "current" else forms_login
    return login(emulator, index, username, password)
