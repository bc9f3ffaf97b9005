# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_sysop: reboot, provision or factory-reset a phone, and optionally wait until it answers again."""

from __future__ import annotations

__metaclass__ = type

import time

from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.operations import OPERATIONS, RESTARTS, needs_admin
from ansible_collections.grandstream.phone.plugins.module_utils.reboot_pending import RebootMarkers
from ansible_collections.grandstream.phone.plugins.module_utils.waiting import (
    BackOnline, check_wait_options, poll_timeout, poll_until)

ARGUMENT_SPEC = dict(
    operation=dict(type="str", required=True, choices=list(OPERATIONS)),
    confirm=dict(type="bool", default=False),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=300),
    wait_delay=dict(type="float", default=10.0),
    poll_interval=dict(type="float", default=1.0),
)


def validate(conn, params):
    """Everything that can be refused before a request: nothing is sent when this raises."""
    operation = params["operation"]
    if operation == "reset" and not params["confirm"]:
        raise ValidationError("reset restores the phone's factory settings (passwords, accounts, phonebook); "
                              "set confirm: true to do it", field="confirm")
    if needs_admin(operation) and conn.username != "admin":
        raise ValidationError("%s needs the admin user; the connection user is '%s'" % (operation, conn.username),
                              field="operation")
    check_wait_options(params)


# How messages and progress lines name an operation: the option value "reset" alone reads like a reset connection.
SPOKEN = {"reboot": "reboot", "provision": "provision", "reset": "factory reset"}


def wait_until_back(client, operation, params, sent_at, clock=time.monotonic, sleep=time.sleep):
    """Poll api-get_phone_status without a session until the phone is back.

    Returns (seconds since sent_at, whether the phone was seen down in between).
    """
    label = client.conn.label
    timeout = params["wait_timeout"]
    judge = BackOnline(params["wait_delay"], sent_at, clock)
    spoken = SPOKEN[operation]

    def poll(remaining):
        answer = client.ping(timeout=poll_timeout(client, remaining))
        back, answer = judge.judge(answer)
        return back, answer, None

    def report(elapsed, answer):
        client.progress("%s: %d s after %s, the phone answers: %s" % (label, elapsed, spoken, answer))

    client.progress("%s: %s sent, waiting up to %d s for the phone to answer again" % (label, spoken, timeout))
    outcome = poll_until(poll, timeout, params["poll_interval"], report, clock=clock, sleep=sleep, started=sent_at)
    if not outcome.reached:
        raise PhoneError("the phone did not answer again within %d s after %s (last answer: %s)"
                         % (timeout, spoken, outcome.answer), host=label, kind="timeout",
                         details={"applied": [operation], "elapsed": round(outcome.elapsed, 1)})
    client.progress("%s: back after %.1f s" % (label, outcome.elapsed))
    return outcome.elapsed, judge.seen_down


def _with_changes(result):
    """before, after, commands and diff as every configuring module returns them: the operation is the change."""
    operation = result["operation"]
    result.update(before={}, after={"operation": operation},
                  commands=["api-sys_operation %s" % OPERATIONS[operation]])
    result["diff"] = {"before": {}, "after": dict(result["after"])}
    return result


def run(client, params, check_mode):
    operation = params["operation"]
    validate(client.conn, params)
    if check_mode:
        return _with_changes({"changed": True, "operation": operation, "msg": "would %s" % SPOKEN[operation]})
    sent_at = time.monotonic()
    # Never retried: a repeated request would reboot twice, and the phone going down is the expected answer.
    client.call("api-sys_operation", params={"request": OPERATIONS[operation]}, auth="token", idempotent=False)
    client.drop_session()
    result = _with_changes({"changed": True, "operation": operation, "msg": "%s sent" % SPOKEN[operation]})
    if params["wait"]:
        elapsed, seen_down = wait_until_back(client, operation, params, sent_at)
        result["elapsed"] = round(elapsed, 1)
        result["msg"] = "%s done, the phone answered again after %.1f s" % (SPOKEN[operation], elapsed)
        # Only a restart seen happening ends a pending reboot; otherwise gs_pvalues asks the phone's uptime.
        if operation in RESTARTS and seen_down:
            RebootMarkers().forget(client.conn.label)
    return result


ENGINE = Engine("sysop", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True)
