# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs an engine with a client and turns the outcome into an Ansible result dict.

Shared by the controller-side action plugins and the remote module fallback, so both behave alike.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import connection_params
from ansible_collections.grandstream.phone.plugins.module_utils.connection_hints import add_hint
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import engine_of
from ansible_collections.grandstream.phone.plugins.module_utils.errors import UNREACHABLE, PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK

# Secrets shorter than this are only scrubbed where a whole value equals them: a substring scrub of
# "admin" or "123" would mangle every role name and number in the output while protecting nothing.
_SUBSTRING_SCRUB_MIN = 6


def scrub(data, secrets):
    """Replace secrets anywhere in a result: defence in depth, engines mask by construction."""
    if not secrets:
        return data
    long_ones = sorted((s for s in secrets if len(s) >= _SUBSTRING_SCRUB_MIN), key=len, reverse=True)

    def clean(value):
        if isinstance(value, dict):
            return {clean(key): clean(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(item) for item in value]
        if isinstance(value, str):
            if value in secrets:
                return MASK
            for secret in long_ones:
                if secret in value:
                    value = value.replace(secret, MASK)
        return value

    return clean(data)


def failure_result(error, client_writes=()):
    """The result of a task that failed with ``error``: ``changed`` whenever a write may have reached the
    phone, and what it was (the engine's own ``applied``, else the client's journal of write requests)."""
    result = dict(failed=True, changed=bool(error.details.get("applied")), msg=str(error), error_kind=error.kind)
    if getattr(error, "field", None):
        result["field"] = error.field
    result.update(error.details)
    # An engine that says what it applied knows, unless the failing request itself may have acted (a reset after
    # sending); otherwise every write that may have reached the phone counts.
    if client_writes and ("applied" not in error.details or error.may_have_acted):
        result["changed"] = True
        if not result.get("applied"):
            result["applied"] = list(client_writes)
        result["msg"] += (" (before this failure, %d write request(s) reached the phone or may have: see applied)"
                          % len(client_writes))
    return result


def execute(engine, params, check_mode, diff, session_cache=None, log=None, secrets=(), progress=None,
            login_memory=None, client=None, scrub_result=True):
    """Run ``engine`` and return its result dict. Never raises for phone-side problems.

    ``client``: a client the caller owns (gs_fleet runs several engines on one phone with one client, so one
    login); it is not closed here, and the result's ``requests`` are that client's counts so far.
    ``scrub_result=False``: the caller scrubs what it keeps of the result, with at least
    ``engine.secret_values(params, secrets)`` (gs_fleet: it keeps a clean phone's result in part only).
    """
    engine = engine_of(engine)
    owned = client is None
    # A shared client's journal holds the writes of the engines before this one: only this engine's are its own.
    first_write = 0 if owned else len(client.writes)
    try:
        if owned and engine.needs_phone(params):
            client = PhoneClient(connection_params(params), session_cache=session_cache, log=log,
                                 progress=progress, login_memory=login_memory)
        result = engine.run(client, params, check_mode)
    except PhoneError as error:
        if client is not None and not error.host:  # an error of a task for a phone names the phone, not only a field
            error.host = client.conn.label
        error = add_hint(error, client.conn if client is not None else None)
        result = failure_result(error, client.writes[first_write:] if client is not None else ())
    finally:
        if owned and client is not None:
            client.close()
    if client is not None and client.warnings:
        result["warnings"] = list(dict.fromkeys(list(result.get("warnings") or []) + client.warnings))
    result.setdefault("changed", False)
    if not diff:
        result.pop("diff", None)
    if client is not None:
        result["requests"] = dict(client.stats)
    return scrub(result, engine.secret_values(params, secrets)) if scrub_result else result


def as_unreachable(outcome):
    """A phone that could not be reached is unreachable for Ansible (recap, callbacks), not failed.

    Ansible checks ``failed`` before ``unreachable``, so ``failed`` goes. Only when nothing may have reached
    the phone: once an engine started writing (``applied`` is set, even empty) or reports a change, the
    task stays failed and changed, so no change is hidden behind "unreachable".
    """
    if not outcome.pop(UNREACHABLE, False) or outcome.get("changed") or "applied" in outcome:
        return outcome
    outcome.pop("failed", None)
    outcome[UNREACHABLE] = True
    return outcome
