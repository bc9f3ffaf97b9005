"""How each firmware dialect's requests are named in the emulator's ``by_endpoint`` counters, for tests that
count requests exactly on either dialect (tests/integration runs each test on both, tests/integration/conftest.py).

    assert phones.counters(0)["by_endpoint"] == session_requests(dialect, reads=2, writes=1)
"""

from __future__ import annotations

VALUES_READ = {"guide": "api-values.get", "current": "config_get"}
VALUES_WRITE = {"guide": "api-values.post", "current": "config_update"}


def login_requests(dialect: str, logins: int = 1) -> dict:
    """``logins`` logins: a forms ``dologin`` each (guide), the ``access`` challenge and a ``dologin`` (current)."""
    if not logins:
        return {}
    return {"access": logins, "dologin": logins} if dialect == "current" else {"dologin": logins}


def session_requests(dialect: str, logins: int = 1, reads: int = 0, writes: int = 0, logouts: int = 0,
                     also: dict | None = None) -> dict:
    """The exact ``by_endpoint`` counts of a phone's conversation in ``dialect``: the one unauthenticated dialect
    probe (``model.define.js``, once per phone per play or client), ``logins`` logins, ``reads`` values reads,
    ``writes`` values writes, ``logouts`` ``dologout`` requests (current only: a client with no session cache
    ends its session), and ``also`` (endpoint -> count) for the rest."""
    counts = {"model.define.js": 1}
    counts.update(login_requests(dialect, logins))
    for endpoint, count in ((VALUES_READ[dialect], reads), (VALUES_WRITE[dialect], writes), ("dologout", logouts)):
        if count:
            counts[endpoint] = count
    counts.update(also or {})
    return counts
