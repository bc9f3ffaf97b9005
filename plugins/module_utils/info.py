# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_info: read-only facts about a phone, one request per subset at most."""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError

SUBSETS = ("system", "status", "time", "accounts", "lines", "groups", "contacts", "pvalues")
MASK = "********"

ARGUMENT_SPEC = dict(
    gather_subset=dict(type="list", elements="str", default=["system"], choices=("all",) + SUBSETS),
    pvalues=dict(type="list", elements="str", default=[]),
)

# Value names behind the "system" subset; read in the same request as any P-values asked for.
_SYSTEM_VALUES = {"model": "P89", "firmware": "P68", "mac": "P67", "vendor": "vendor_name", "hw_rev": "hw_rev"}
# One model of a line's state: the guide's table gives numbers, current firmware words (current-firmware-notes.md).
LINE_STATES = {"0": "idle", "2": "ringing", "3": "calling", "4": "in_call", "5": "hold", "8": "failed"}
LINE_STATE_WORDS = {"idle": "idle", "ringing": "ringing", "calling": "calling", "connected": "in_call",
                    "onhold": "hold", "failed": "failed"}


def line_state_name(state):
    """``idle``, ``ringing``, ``calling``, ``in_call``, ``hold``, ``failed`` or ``unknown``: from a number or a word."""
    text = str(state).strip()
    return LINE_STATES.get(text) or LINE_STATE_WORDS.get(text.lower(), "unknown")


def _resolve_names(names):
    """Map each requested name (P47, 47 or a catalog alias) to (display name, P-name, secret)."""
    resolved = []
    for index, name in enumerate(names):
        entry = catalog.resolve(str(name).strip(), field="pvalues[%d]" % index)
        resolved.append((str(name).strip(), entry.pname, entry.secret))
    return resolved


def _subsets(params):
    wanted = set(params["gather_subset"] or [])
    if "all" in wanted:
        wanted = set(SUBSETS)
    if params.get("pvalues"):
        wanted.add("pvalues")
    return [name for name in SUBSETS if name in wanted]


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _groups(client):
    return [{"id": _as_int(g.get("groupID")), "name": g.get("groupName", "")}
            for g in client.call("api-get_groups").get("msg") or []]


def _contacts(client):
    keys = ("work", "home", "mobile", "fax", "email")
    contacts = []
    for item in client.call("api-get_contacts").get("msg") or []:
        contact = {"id": _as_int(item.get("contactID")), "name": item.get("contactName", ""),
                   "group_id": _as_int(item.get("groupID"))}
        contact.update((key, item.get(key, "")) for key in keys)
        contacts.append(contact)
    return contacts


def read_lines(client):
    lines = []
    for item in client.call("api-get_line_status").get("body") or []:
        line = dict(item)
        line["state_name"] = line_state_name(item.get("state"))
        # Current firmware names the other party remotenumber / remotename, the guide number / name.
        for field in ("number", "name"):
            if field not in line and "remote" + field in line:
                line[field] = line["remote" + field]
        lines.append(line)
    return lines


_SIMPLE_SUBSETS = {
    "status": lambda client: _status(client.call("api-get_phone_status")),
    "time": lambda client: {key: str(value).strip() for key, value in client.call("api-get_time").items()},
    "accounts": lambda client: client.call("api-get_accounts").get("body") or [],
    "lines": read_lines,
    "groups": _groups,
    "contacts": _contacts,
}


def _status(payload):
    return {"status": payload.get("body"), "misc": payload.get("misc")}


def run(client, params, check_mode):
    subsets = _subsets(params)
    requested = _resolve_names(params.get("pvalues") or []) if "pvalues" in subsets else []
    result = {"changed": False, "gather_subset": subsets}

    value_names = [pname for unused_display, pname, unused_secret in requested]
    if "system" in subsets:
        value_names += list(_SYSTEM_VALUES.values())
    values = client.get_values(value_names) if value_names else {}

    if "system" in subsets:
        # What the dialect told (current firmware: version and MAC in the login answer, the model in
        # model.define.js) wins over the values read: read after them, so a re-login has refreshed it.
        facts = client.phone_facts()
        system = {key: facts.get(key) or values.get(name, "") for key, name in _SYSTEM_VALUES.items()}
        if not system["model"] and not system["firmware"]:
            raise PhoneError("the phone returned no model and no firmware version", host=client.conn.label,
                             kind="not_a_phone")
        result["system"] = system
    if "pvalues" in subsets:
        result["pvalues"] = {display: (MASK if secret and values.get(pname) else values.get(pname, ""))
                             for display, pname, secret in requested}
    for name in subsets:
        reader = _SIMPLE_SUBSETS.get(name)
        if reader is not None:
            result[name] = reader(client)
    return result
