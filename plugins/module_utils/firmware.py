# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_firmware: firmware compliance, and upgrades that are seen installed, step by step.

1. Validate the desired map and the server settings before any request (firmware_plan.py).
2. One read: the firmware version (P68), the model (P89) and the hardware revision (``hw_rev``).
3. Judge: on target, behind (with the versions to install, in order), ahead, or unknown.
4. Check mode stops here. Otherwise, for each version on the path: set the server values through
   gs_pvalues' engine (written, read back), send ``api-sys_operation`` ``PROV``, wait until the phone
   restarted (seen down, then answering again: wait_for_restart) and read P68 again. A phone that
   answers on another version than the step's, never restarts, or does not answer at all fails the
   task with what it reported: a version that was served is not a version that was installed.
"""

from __future__ import annotations

__metaclass__ = type

import time

from ansible_collections.grandstream.phone.plugins.module_utils import firmware_plan as plan
from ansible_collections.grandstream.phone.plugins.module_utils import catalog, pvalues
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.operations import PROVISION, needs_admin
from ansible_collections.grandstream.phone.plugins.module_utils.pvalue_rules import set_command, validation_errors
from ansible_collections.grandstream.phone.plugins.module_utils.reboot_pending import RebootMarkers
from ansible_collections.grandstream.phone.plugins.module_utils.waiting import (
    BackOnline, check_wait_options, poll_timeout, poll_until)

UPGRADE_VIA = "upgrade.via"
SERVER_PATH = "provisioning.config_server_path"

ARGUMENT_SPEC = dict(
    firmware=dict(type="dict", required=True),
    server=dict(type="dict", default={}, options=dict(
        upgrade_via=dict(type="str", choices=["tftp", "http", "https"]),
        path=dict(type="str"),
        values=dict(type="dict", default={}),
    )),
    wait_timeout=dict(type="int", default=600),
    poll_interval=dict(type="float", default=2.0),
)


def _server_template(server):
    """The server P-values as given (placeholders unfilled), validated; {name as given: value}."""
    server = server or {}
    values = dict(server.get("values") or {})
    errors = validation_errors(values, path="server.values")
    if errors:
        raise ValidationError("; ".join(errors), field="server.values")
    own = {"upgrade_via": UPGRADE_VIA, "path": SERVER_PATH}
    template = {}
    for option, alias in own.items():
        if server.get(option) is None:
            continue
        number = catalog.resolve(alias).number
        for given in values:
            if catalog.resolve(given).number == number:
                raise ValidationError("server.values.%s: names the same P-value as server.%s; give it once"
                                      % (given, option), field="server.values.%s" % given)
        template[alias] = server[option]
    template.update(values)
    for given, value in template.items():
        if isinstance(value, str):
            plan.check_placeholders(value, "server.%s" % given)
    return template


def validate(conn, params):
    """Everything that can be refused before a request; returns (desired map, server template)."""
    desired = plan.parse_desired(params["firmware"])
    template = _server_template(params.get("server"))
    # PROV needs the admin user; the wait options follow gs_sysop's rules (one home for both).
    if needs_admin("provision") and conn.username != "admin":
        raise ValidationError("installing firmware (%s) needs the admin user; the connection user is '%s'"
                              % (PROVISION, conn.username), field="username")
    check_wait_options(dict(params, wait_delay=0))
    return desired, template


def _read(client):
    values = client.get_values(plan.IDENTITY_NAMES)
    phone = plan.reported(values, client.phone_facts())
    return phone["version"], phone["model"], phone["hardware_revision"]


def _commands(path, template, model):
    commands = []
    for version in path:
        server = {name: plan.fill(value, model, version) for name, value in template.items()}
        if server:
            commands.append(set_command(server))
        commands.append("api-sys_operation %s (install %s)" % (PROVISION, version))
    return commands


def wait_for_restart(client, params, version, sent_at):
    """Poll (unauthenticated api-get_phone_status) until the phone was seen down and answers again.

    Unlike a plain reboot, an upgrade may keep the phone answering for minutes while it downloads the
    image, so an answering phone only counts as back once it was seen down. Returns the WaitOutcome;
    not ``reached`` with an ``up...`` answer means the phone never went down within ``wait_timeout``.
    """
    label = client.conn.label
    judge = BackOnline(float("inf"), sent_at, time.monotonic)

    def poll(remaining):
        back, answer = judge.judge(client.ping(timeout=poll_timeout(client, remaining)))
        return back, answer, None

    def report(elapsed, answer):
        client.progress("%s: %d s after PROV (installing %s), the phone answers: %s"
                        % (label, elapsed, version, answer))

    client.progress("%s: PROV sent, waiting up to %d s for the phone to restart on %s"
                    % (label, params["wait_timeout"], version))
    return poll_until(poll, params["wait_timeout"], params["poll_interval"], report, started=sent_at)


def _install(client, params, template, model, version, before, done):
    """One upgrade step: server values, PROV, wait, and the version the phone reports afterwards."""
    label = client.conn.label
    server = {name: plan.fill(value, model, version) for name, value in template.items()}
    step = {"version": version, "server_changes": {}}
    if server:
        try:
            written = pvalues.run(client, {"values": server, "update_secrets": "on_create", "strict": False}, False)
        except PhoneError as error:
            # Nothing of this step was installed; earlier steps were. Keep gs_pvalues' details (what was written).
            error.message = "setting the server values for %s: %s" % (version, error.message)
            error.details = dict(error.details, installed=[entry["version"] for entry in done], expected=version,
                                 reported=before if not done else done[-1]["reported"], steps=done + [step])
            raise
        step["server_changes"] = written["changes"]
    client.progress("%s: installing %s (step %d), sending %s" % (label, version, len(done) + 1, PROVISION))
    sent_at = time.monotonic()
    # Never retried: a repeated request would provision twice.
    client.call("api-sys_operation", params={"request": PROVISION}, auth="token", idempotent=False)
    client.drop_session()
    applied = [entry["version"] for entry in done] + ["PROV %s" % version]
    details = {"changed": True, "applied": applied, "installed": [entry["version"] for entry in done],
               "reported": None, "expected": version, "steps": done + [step]}
    outcome = wait_for_restart(client, params, version, sent_at)
    if outcome.reached:
        RebootMarkers().forget(label)  # the phone restarted: whatever waited for a reboot has had it
    elif not outcome.answer.startswith("up"):
        raise PhoneError("the phone did not answer again within %d s after PROV (last answer: %s); expected it "
                         "back on %s (it ran %s before)" % (params["wait_timeout"], outcome.answer, version, before),
                         host=label, kind="timeout", details=details)
    elapsed = outcome.elapsed
    reported = _read(client)[0]
    step.update(elapsed=round(elapsed, 1), reported=reported)
    details["reported"] = reported
    if plan.parse_version(reported) is None or plan.compare_versions(reported, version) != 0:
        how = ("answered again after %.1f s" % elapsed if outcome.reached else
               "never went down within %d s after PROV (no restart, so nothing installed) and" % params["wait_timeout"])
        raise PhoneError("the phone %s reports firmware %r, not %s (it ran %s before); the image was served or "
                         "offered, not installed" % (how, reported, version, before),
                         host=label, kind="not_applied", details=details)
    client.progress("%s: now on %s after %.1f s" % (label, reported, elapsed))
    return step


def run(client, params, check_mode):
    desired, template = validate(client.conn, params)
    version, model, hardware = _read(client)
    state = plan.compliance(desired, version, model, hardware)
    status, path = state["status"], state["path"]
    result = {"changed": status == plan.BEHIND, "status": status, "model": model, "hardware_revision": hardware,
              "target": state["target"], "path": path,
              "before": {"firmware": version}, "after": {"firmware": path[-1] if path else version},
              "commands": _commands(path, template, model), "steps": [], "msg": state["msg"]}
    if status == plan.UNKNOWN:
        result["warnings"] = [result["msg"]]
    if status == plan.BEHIND:
        result["diff"] = {"before": {"firmware": version}, "after": {"firmware": path[-1]}}
    if check_mode or status != plan.BEHIND:
        return result
    for step_version in path:
        result["steps"].append(_install(client, params, template, model, step_version, version, result["steps"]))
    result["msg"] = "upgraded from %s to %s through %s" % (version, path[-1], " -> ".join(path))
    return result


ENGINE = Engine("firmware", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True,
                secret_pvalues=[("server", "values")])
