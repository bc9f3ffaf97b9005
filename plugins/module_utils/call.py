# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_call: dial, end, hold, accept or reject a call, and optionally wait for a line state."""

from __future__ import annotations

__metaclass__ = type

import re

from ansible_collections.grandstream.phone.plugins.module_utils.answers import safe_text
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.lines import read_lines
from ansible_collections.grandstream.phone.plugins.module_utils.waiting import poll_until

# Module choice -> api-phone_operation cmd.
OPERATIONS = {"end": "endcall", "hold": "holdcall", "accept": "acceptcall", "reject": "rejectcall"}
WAIT_STATES = ("ringing", "in_call", "idle")
# What the phones dial: digits, * and #, optionally a leading + (no spaces or dashes: they would be sent as they are).
DIALABLE = re.compile(r"^\+?[0-9*#]+$")

ARGUMENT_SPEC = dict(
    number=dict(type="str"),
    account=dict(type="int"),
    operation=dict(type="str", choices=list(OPERATIONS)),
    line=dict(type="int"),
    wait_for=dict(type="str", choices=list(WAIT_STATES)),
    wait_timeout=dict(type="int", default=30),
    poll_interval=dict(type="float", default=0.5),
)
OPTION_RELATIONS = dict(
    mutually_exclusive=[("number", "operation"), ("number", "line")],
    required_one_of=[("number", "operation", "wait_for")],
    required_by={"operation": ("line",), "account": ("number",)},
)


def validate(params):
    """Everything that can be refused before a request: nothing is sent when this raises."""
    number = params.get("number")
    if number is not None and not DIALABLE.match(number):
        raise ValidationError("number %r can only contain digits, * and #, with an optional leading +" % number,
                              field="number")
    if (params.get("account") or 0) < 0:
        raise ValidationError("account must be 0 (the first account) or more", field="account")
    if params.get("line") is not None and params["line"] < 0:
        raise ValidationError("line must be 0 or more", field="line")
    if number is None and params.get("line") is None:
        raise ValidationError("line is required to wait on an existing call", field="line")
    if params["wait_timeout"] <= 0:
        raise ValidationError("wait_timeout must be a positive number of seconds", field="wait_timeout")
    if params["poll_interval"] <= 0:
        raise ValidationError("poll_interval must be a positive number of seconds", field="poll_interval")


def _invalid_request(error, message):
    if error.kind == "invalid_request":
        error.message = message
    return error


def dial(client, number, account):
    try:
        client.call("api-make_call", params={"phonenumber": number, "account": account}, auth="token",
                    idempotent=False)
    except PhoneError as error:
        raise _invalid_request(error, "the phone rejected the call to number %s on account %d (Invalid Request): "
                                      "check number and account (an account the phone lacks, or no free line)"
                               % (number, account))


def operate(client, operation, line):
    try:
        payload = client.call("api-phone_operation", params={"cmd": OPERATIONS[operation], "line": line},
                              auth="token", idempotent=False)
    except PhoneError as error:
        raise _invalid_request(error, "the phone rejected '%s' on line %d (Invalid Request): check line (a line "
                                      "the phone lacks, or no call on it that can be %s)"
                               % (operation, line, _PAST[operation]))
    # The guide: body "true" when the command is handled. Anything else is not a done operation.
    answer = payload.get("body")
    if str(answer).strip().lower() != "true":
        # Answered as not handled: nothing changed, whatever the client's journal says.
        raise PhoneError("the phone did not handle '%s' on line %d (it answered %s, not \"true\"): check line "
                         "(no call on it that can be %s)" % (operation, line, safe_text(answer, 40), _PAST[operation]),
                         host=client.conn.label, kind="not_handled", details={"applied": []})


_PAST = {"end": "ended", "hold": "held", "accept": "accepted", "reject": "rejected"}


class LineWatch:
    """Follows one line through api-get_line_status answers.

    A dialled call's line is not known in advance: it is a line that was idle before the call was
    placed (``idle_before``) and is busy now, showing the dialled number; after that it is followed by its id.
    """

    def __init__(self, target, line=None, number=None, idle_before=None):
        self.target = target
        self.line = line
        self.number = number
        self.idle_before = idle_before or set()
        self.seen_busy = False

    def _find(self, lines):
        if self.line is None:
            # Lines that were idle and are busy now; the one showing the dialled number, else the only one.
            fresh = [entry for entry in lines
                     if entry.get("line") in self.idle_before and entry["state_name"] != "idle"]
            matching = [entry for entry in fresh if entry.get("number") == self.number] or fresh
            if len(matching) != 1:
                return None
            self.line = matching[0]["line"]
        for entry in lines:
            if entry.get("line") == self.line:
                return entry
        raise ValidationError("line %s does not exist on this phone (it has lines %s)"
                              % (self.line, ", ".join(str(entry.get("line")) for entry in lines)), field="line")

    def judge(self, lines):
        """(reached, answer text, line entry or None); raises when the call can no longer get there."""
        entry = self._find(lines)
        if entry is None:
            return False, "the call is not on a line yet", None
        state = entry["state_name"]
        if state == self.target:
            return True, "line %s is %s" % (self.line, state), entry
        if state == "failed":
            raise PhoneError("the call on line %s failed while waiting for %s" % (self.line, self.target),
                             kind="api", details={"line": self.line, "line_status": entry})
        if self.number is not None and state == "idle" and self.seen_busy:
            raise PhoneError("the call on line %s ended before it was %s" % (self.line, self.target), kind="api",
                             details={"line": self.line, "line_status": entry})
        self.seen_busy = self.seen_busy or state != "idle"
        return False, "line %s is %s" % (self.line, state), entry


def wait_for_state(client, watch, params, applied):
    label = client.conn.label

    def poll(remaining):
        try:
            return watch.judge(read_lines(client))
        except PhoneError as error:
            error.host = label
            error.details = dict(error.details, applied=applied)
            raise

    def report(elapsed, answer):
        client.progress("%s: %s (%d s)" % (label, answer, elapsed))

    outcome = poll_until(poll, params["wait_timeout"], params["poll_interval"], report)
    if not outcome.reached:
        raise PhoneError("%s did not reach %s within %d s (last: %s)"
                         % ("the call" if watch.line is None else "line %s" % watch.line, watch.target,
                            params["wait_timeout"], outcome.answer),
                         host=label, kind="timeout",
                         details={"applied": applied, "line": watch.line, "line_status": outcome.value})
    return outcome


def _describe(params):
    if params.get("number") is not None:
        return "dial %s on account %d" % (params["number"], params.get("account") or 0)
    if params.get("operation"):
        return "%s the call on line %d" % (params["operation"], params["line"])
    return None


def run(client, params, check_mode):
    validate(params)
    number, operation, target = params.get("number"), params.get("operation"), params.get("wait_for")
    action = _describe(params)
    if check_mode:
        result = {"changed": bool(action), "msg": ("would " + action) if action else "would wait for %s" % target}
        if params.get("line") is not None:
            result["line"] = params["line"]
        return result

    watch = None
    if number is not None:
        idle_before = None
        if target:
            # Read first (this also opens the forms session the call then reuses): the call's line is one
            # that is idle now.
            idle_before = {entry["line"] for entry in read_lines(client) if entry["state_name"] == "idle"}
            watch = LineWatch(target, number=number, idle_before=idle_before)
        dial(client, number, params.get("account") or 0)
    else:
        if operation:
            operate(client, operation, params["line"])
        if target:
            watch = LineWatch(target, line=params["line"])

    result = {"changed": bool(action), "msg": (action + ": done") if action else "%s reached" % target}
    if params.get("line") is not None:
        result["line"] = params["line"]
    if watch is not None:
        outcome = wait_for_state(client, watch, params, [action] if action else [])
        result.update(line=watch.line, line_status=outcome.value, elapsed=round(outcome.elapsed, 1))
    return result


ENGINE = Engine("call", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True, relations=OPTION_RELATIONS)
