# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_health: is the phone well, beyond matching its desired configuration?

Checks, each a health problem when it fails:
- reachability: the phone answers (a phone that does not is reported, not failed, so the report is whole);
- SIP registration: ``api-get_accounts`` (the one request this module makes); an account with a SIP server
  and user ID that is not registered is a problem (or every account listed in ``accounts_expected``);
- firmware compliance against a gs_firmware ``firmware`` map: from ``reported`` (gs_pvalues' ``firmware``
  result, read at no extra request) or, when not given, one ``api-values.get`` more;
- a pending reboot: gs_pvalues' ``reboot_pending`` when given, else the controller's marker file
  (reboot_pending.py; no request).
Never writes: the same in check mode and out of it.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import firmware_plan as plan
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.reboot_pending import RebootMarkers

# A phone that does not answer these ways is unreachable, a health problem; anything else fails the task.
UNREACHABLE_KINDS = ("connection", "timeout", "booting")
# A firmware status that is a health problem (ahead is the admin's choice; unknown says the map lacks the model).
FIRMWARE_PROBLEMS = (plan.BEHIND, plan.UNKNOWN)

ARGUMENT_SPEC = dict(
    accounts=dict(type="bool", default=True),
    accounts_expected=dict(type="list", elements="int"),
    firmware=dict(type="dict"),
    reported=dict(type="dict"),
    reboot_pending=dict(type="bool"),
)


def _number(value):
    """Account ids as numbers (the guide shows 1; some firmware may send "1"), anything else as it is."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _accounts(client, expected):
    """([{id, sip_server, sip_id, name, registered}], problems)."""
    answer = client.call("api-get_accounts")
    body = answer.get("body") if isinstance(answer, dict) else None
    if not isinstance(body, list):
        raise PhoneError("unexpected answer to api-get_accounts: body is not a list", host=client.conn.label,
                         kind="not_a_phone")
    accounts, problems = [], []
    for entry in body:
        if not isinstance(entry, dict):
            continue
        account = {"id": _number(entry.get("id")), "sip_server": str(entry.get("sip_server") or ""),
                   "sip_id": str(entry.get("sip_id") or ""), "name": str(entry.get("name") or ""),
                   "registered": str(entry.get("reg")) == "1"}
        accounts.append(account)
        configured = bool(account["sip_server"] and account["sip_id"])
        wanted = account["id"] in expected if expected is not None else configured
        if wanted and not account["registered"]:
            problems.append("account %s (%s@%s) is not registered" % (account["id"], account["sip_id"] or "?",
                                                                      account["sip_server"] or "?"))
    if expected is not None:
        missing = sorted(set(expected) - {account["id"] for account in accounts})
        problems.extend("account %s is expected registered but the phone does not list it" % number
                        for number in missing)
    return accounts, problems


def _firmware(client, desired, reported):
    if reported is None:
        values = client.get_values(plan.IDENTITY_NAMES)
        reported = plan.reported(values, client.phone_facts())
    state = plan.compliance(desired, reported.get("version") or "", reported.get("model") or "",
                            reported.get("hardware_revision") or "")
    problems = ["firmware: %s" % state["msg"]] if state["status"] in FIRMWARE_PROBLEMS else []
    return state, problems


def validate(params):
    return plan.parse_desired(params["firmware"]) if params.get("firmware") is not None else None


def run(client, params, check_mode):
    desired = validate(params)
    result = {"changed": False, "reachable": True, "problems": [], "accounts": None, "firmware": None}
    try:
        if params["accounts"]:
            result["accounts"], problems = _accounts(client, params.get("accounts_expected"))
            result["problems"].extend(problems)
        if desired is not None:
            result["firmware"], problems = _firmware(client, desired, params.get("reported"))
            result["problems"].extend(problems)
    except PhoneError as error:
        if error.kind not in UNREACHABLE_KINDS:
            raise
        result["reachable"] = False
        result["problems"].append("unreachable: %s" % error.message)
    pending = params.get("reboot_pending")
    if pending is None:
        pending = RebootMarkers().load(client.conn.label) is not None
    result["reboot_pending"] = bool(pending)
    if pending:
        result["problems"].append("reboot pending: a value that needs a reboot was written and the phone has "
                                  "not rebooted since")
    result["healthy"] = not result["problems"]
    result["msg"] = "healthy" if result["healthy"] else "; ".join(result["problems"])
    return result


ENGINE = Engine("health", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True)
