# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_info: read-only facts about a phone, one request per subset at most; the contacts subset adds
the phonebook download when there are contacts (their first / last name split is only in the XML)."""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.contacts import ContactResource
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.lines import read_lines
from ansible_collections.grandstream.phone.plugins.module_utils.numbers import as_int
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK

SUBSETS = ("system", "status", "time", "accounts", "lines", "groups", "contacts", "pvalues")

ARGUMENT_SPEC = dict(
    gather_subset=dict(type="list", elements="str", default=["system"], choices=("all",) + SUBSETS),
    pvalues=dict(type="list", elements="str", default=[]),
)

# Value names behind the "system" subset; read in the same request as any P-values asked for.
_SYSTEM_VALUES = {"model": catalog.MODEL_PVALUE, "firmware": catalog.FIRMWARE_PVALUE, "mac": catalog.MAC_PVALUE,
                  "vendor": "vendor_name", "hw_rev": "hw_rev"}


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


def _groups(client, gathered):
    groups = [{"id": as_int(g.get("groupID")), "name": g.get("groupName", "")}
              for g in client.call("api-get_groups").get("msg") or []]
    resource = GroupResource()
    gathered["groups"] = [resource.present({"name": group["name"]}) for group in groups]
    return groups, []


def _contacts(client, gathered):
    keys = ("work", "home", "mobile", "fax", "email")
    items = [item for item in client.call("api-get_contacts").get("msg") or [] if isinstance(item, dict)]
    contacts = []
    for item in items:
        contact = {"id": as_int(item.get("contactID")), "name": item.get("contactName", ""),
                   "group_id": as_int(item.get("groupID"))}
        contact.update((key, item.get(key, "")) for key in keys)
        contacts.append(contact)
    # The same entries in gs_contacts' gathered shape, read by its own resource from the same answer.
    resource = ContactResource()
    snapshot = resource.snapshot_of(items, client)
    gathered["contacts"] = [resource.present(record.data) for record in snapshot.records]
    return contacts, snapshot.warnings


# Subsets also returned in the gathered shape of gs_group / gs_contacts (under "gathered").
_PHONEBOOK_SUBSETS = {"groups": _groups, "contacts": _contacts}
_SIMPLE_SUBSETS = {
    "status": lambda client: _status(client.call("api-get_phone_status")),
    "time": lambda client: {key: str(value).strip() for key, value in client.call("api-get_time").items()},
    "accounts": lambda client: client.call("api-get_accounts").get("body") or [],
    "lines": read_lines,
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
    aliases = client.grandstream_aliases() if value_names else None
    if aliases is not None:
        # The phone's own names of the P-values read (current firmware's config_get gives them), so an admin
        # can learn what their firmware calls a value; only P-values, only the names the phone gave.
        result["grandstream_aliases"] = {name: aliases[name] for name in dict.fromkeys(value_names)
                                         if catalog.find(name) is not None and aliases.get(name)}
    warnings = []
    for name in subsets:
        if name in _SIMPLE_SUBSETS:
            result[name] = _SIMPLE_SUBSETS[name](client)
        elif name in _PHONEBOOK_SUBSETS:
            result[name], found = _PHONEBOOK_SUBSETS[name](client, result.setdefault("gathered", {}))
            warnings += found
    if warnings:
        result["warnings"] = list(dict.fromkeys(warnings))
    return result


ENGINE = Engine("info", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True)
