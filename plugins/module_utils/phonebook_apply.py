# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Applying a phonebook plan (phonebook_plan.py) to a phone, so that a lost answer never duplicates an entry.

Adding a contact or a group is not idempotent: sent twice, it is stored twice. So a write is never
blindly resent. When a write fails in a way that leaves its outcome unknown (the connection dropped,
a timeout, a 5xx: the phone may or may not have acted), the engine reads the phone again and plans
again from what it holds: a write that did reach the phone is not in the new plan, one that did not
is, and only that is sent. A bounded number of rounds; then the task fails, saying what was applied,
what failed, and what may have reached the phone without the engine being able to tell.
"""

from __future__ import annotations

__metaclass__ = type

from urllib.parse import urlencode

from ansible_collections.grandstream.phone.plugins.module_utils.client import MAX_URL_BYTES
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_plan import plan, predict

# Rounds of sending: the first, and up to two more after reading the phone again.
MAX_ROUNDS = 3
# Failures after which the phone may or may not have acted on the write (a 503 says it did not, but
# reading again is right for it too: the write is then simply planned again).
OUTCOME_UNKNOWN_KINDS = ("connection", "timeout", "booting", "http")


def outcome_unknown(error):
    """Whether the phone may or may not have acted on a write that failed with ``error``."""
    return error.kind in OUTCOME_UNKNOWN_KINDS or error.may_have_acted


def may_have_acted(error):
    """Whether a write that failed with ``error`` may have reached the phone: the client knows (transport.py)."""
    return error.may_have_acted


def may_still_land(error, operation):
    """A non-idempotent write that timed out may still be carried out after the phone was read again;
    resending it then could store it twice, so it is not resent (a later run converges)."""
    return error.kind == "timeout" and not operation.idempotent and may_have_acted(error)


# ---------------------------------------------------------------------------------------------- request size
def request_line_bytes(client, operation):
    """Bytes of the request line of ``operation`` (its parameters go in the query string, as requests
    encodes them)."""
    query = urlencode(operation.params or {})
    return len(client._url(operation.endpoint)) + (1 + len(query) if query else 0)


def check_request_lines(client, resource, operations):
    """Refuse, before any write, an operation whose request line the phone's web server would refuse (414)."""
    if client is None:
        return
    for operation in operations:
        size = request_line_bytes(client, operation)
        if size > MAX_URL_BYTES:
            key = resource.key(operation.result if operation.result is not None else operation.removes[0].data)
            raise ValidationError("%s %r: the request for it would be %d bytes of URL, over the %d bytes the phone "
                                  "accepts; shorten its fields; nothing was written"
                                  % (resource.noun, key, size, MAX_URL_BYTES), field="config")


# ---------------------------------------------------------------------------------------------- sending
def _note(applied, command):
    if command not in applied:
        applied.append(command)


def _send(client, operations, applied):
    """Send ``operations`` in order; None when all were answered, else (index, operation, error) of the first
    that failed."""
    for index, operation in enumerate(operations):
        try:
            client.call(operation.endpoint, params=operation.params, idempotent=operation.idempotent)
        except PhoneError as error:
            return index, operation, error
        _note(applied, operation.command)
    return None


def _failed(error, applied, operation, left, rounds, unverified=(), note=""):
    """``error`` with what was applied, what failed and what may have reached the phone unverified."""
    unverified = [command for command in unverified if command not in applied]
    details = dict(error.details, applied=list(applied), failed=operation.command)
    message = "%s (after %d of %d change(s) were applied; failed: %s" % (
        error.message, len(applied), len(applied) + left, operation.command)
    if rounds > 1:
        message += "; the phone was read again and the rest retried %d time(s)" % (rounds - 1)
    if unverified:
        details["unverified"] = unverified
        # Reached the phone or not, nobody can tell: reported as a change (the runner takes this over).
        details["changed"] = True
        message += "; may have reached the phone, unverified: %s" % ", ".join(unverified)
    error.details = details
    error.message = message + note + ")"
    return error


def settle(resource, client, state, desired, snapshot, operations):
    """Apply ``operations`` (planned from ``snapshot``), reading and planning again after a write whose outcome
    is unknown; read back and verify. Returns (applied commands, the phone's records afterwards)."""
    applied, current, pending = [], snapshot, operations
    for round_number in range(1, MAX_ROUNDS + 1):
        failure = _send(client, pending, applied)
        if failure is None:
            try:
                after = resource.read(client, previous=snapshot)
            except PhoneError as error:
                error.details = dict(error.details, applied=list(applied))
                error.message += " (reading back after %d change(s) were applied)" % len(applied)
                raise
            verify(resource, pending, predict(current, pending), after, applied, host=client.conn.label)
            return applied, after
        index, operation, error = failure
        left = len(pending) - index
        if not outcome_unknown(error):
            raise _failed(error, applied, operation, left, round_number)
        try:
            current = resource.read(client, previous=snapshot)
        except PhoneError:
            unverified = [operation.command] if may_have_acted(error) else []
            raise _failed(error, applied, operation, left, round_number, unverified,
                          "; the phone could not be read again to tell")
        pending = plan(resource, state, desired, current)
        if operation.command not in [other.command for other in pending]:
            _note(applied, operation.command)  # the phone did act on it: it is not planned again
            left -= 1
        elif may_still_land(error, operation):
            raise _failed(error, applied, operation, left, round_number, [operation.command],
                          "; not sent again, as the phone may still carry it out: the next run converges")
        if not pending:
            return applied, current
        if round_number == MAX_ROUNDS:
            raise _failed(error, applied, operation, len(pending), round_number)
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------------------------- verifying
def verify(resource, operations, expected, snapshot, applied, host=None):
    """Fail with kind not_applied when a key touched by ``operations`` does not read back as planned."""
    touched = set()
    for operation in operations:
        touched.update(resource.key(record.data) for record in operation.removes)
        if operation.result is not None:
            touched.add(resource.key(operation.result))
    wanted = _group_by_key(resource, [data for unused_key, data in expected], touched)
    actual = _group_by_key(resource, [record.data for record in snapshot.records], touched)
    mismatches = {}
    for key in sorted(touched):
        if _sorted_entries(wanted.get(key)) != _sorted_entries(actual.get(key)):
            mismatches[key] = {"expected": [resource.present(d) for d in wanted.get(key, [])],
                               "actual": [resource.present(d) for d in actual.get(key, [])]}
    if mismatches:
        raise PhoneError("the phone does not hold what was written for %d %s(s): %s"
                         % (len(mismatches), resource.noun, ", ".join(sorted(mismatches))),
                         host=host, kind="not_applied", details={"applied": applied, "mismatches": mismatches})


def _group_by_key(resource, entries, keys):
    grouped = {}
    for data in entries:
        key = resource.key(data)
        if key in keys:
            grouped.setdefault(key, []).append(data)
    return grouped


def _sorted_entries(entries):
    return sorted(sorted(data.items()) for data in entries or [])
