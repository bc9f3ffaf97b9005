# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report's statuses, and one module result turned into its rows: what differs, in --diff's words.

A row is ``{"item", "before", "after"}``, or ``{"item", "note"}`` when there is no before/after to show (a
secret that will be re-sent, a password that differs, an entry that is extra on the phone). Phonebook entries
differ field by field (``Rita Roth: work 7099 -> 7002``), never as the API command that would fix them.
"""

from __future__ import annotations

__metaclass__ = type

import json

from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK

REBOOT_PENDING = "reboot pending"
UNVERIFIED = "unverified"
STATUSES = ("drifted", REBOOT_PENDING, UNVERIFIED, "clean", "failed", "unreachable")
# How bad a status is: a phone shows the worst one any of its tasks gave it.
RANK = {status: rank for rank, status in enumerate(
    ("clean", UNVERIFIED, REBOOT_PENDING, "drifted", "failed", "unreachable"))}
# Health (gs_health) is its own kind, next to drift: a phone can be clean and unhealthy.
HEALTHY = "healthy"
UNHEALTHY = "unhealthy"
HEALTH_MODULE = "gs_health"
# What the reader must see first: the worst phones, then by name. Clean phones are collapsed to one line.
PROBLEMS_FIRST = ("unreachable", "failed", "drifted", REBOOT_PENDING, UNVERIFIED, "clean")
UNVERIFIED_TEXT = "the phone cannot show whether this secret holds the desired value"
PHONEBOOK_MODULES = {"gs_contacts": "contact", "gs_group": "group"}
EXTRA = "extra on the phone, not desired: removed"
COPY = "a second copy on the phone: removed"
MISSING = "missing on the phone"


def short(value, limit=120):
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def what(row):
    """What differs: the item, and the field of a phonebook entry (``Rita Roth: work``)."""
    return "%s: %s" % (row["item"], row["field"]) if row.get("field") else str(row["item"])


def row_text(row, limit=120):
    """A row in one line: ``Rita Roth: work 7099 -> 7002``, ``ntp.server (P30): a -> b`` or ``item: note``."""
    if "note" in row:
        return "%s: %s" % (what(row), row["note"])
    return "%s%s %s -> %s" % (what(row), "" if row.get("field") else ":", short(row["before"], limit),
                              short(row["after"], limit))


def differences_of(module, result):
    """The rows of one module result, read from the shape every configuring module returns: ``before`` and
    ``after`` (lists of entries for the phonebook modules, mappings for the others) and, for P-values,
    ``changes``, which also says why a secret is written."""
    before, after = result.get("before"), result.get("after")
    if isinstance(before, list):
        rows = []
        groups = result.get("groups")
        if isinstance(groups, dict) and isinstance(groups.get("before"), list):
            rows += entry_rows("group", groups["before"], groups.get("after") or [])
        rows += entry_rows(PHONEBOOK_MODULES.get(module, "entry"), before, after or [])
        if rows or not result.get("changed"):
            return rows
    rows = []
    changes = result.get("changes")
    if isinstance(changes, dict):
        for name, change in changes.items():
            rows.append(_pvalue_row(name, change if isinstance(change, dict) else {"after": change}))
    if not rows and isinstance(before, dict) and isinstance(after, dict):
        rows = _mapping_rows(before, after, result.get("msg"))
    if not rows and result.get("changed"):
        rows.append({"item": result.get("msg") or "changed", "note": "would change"})
    return rows


def _mapping_rows(before, after, message):
    """A row per key that differs; a secret (masked on both sides) gets the module's words, never a value."""
    rows = []
    for key in dict.fromkeys(list(before) + list(after)):
        was, now = before.get(key, ""), after.get(key, "")
        if was == now:
            continue
        item = str(key).replace("_", " ")
        if str(was).startswith(MASK) and str(now).startswith(MASK):
            rows.append({"item": item, "note": message or "secret written (its value is never compared)",
                         "secret": True})
        else:
            rows.append({"item": item, "before": was, "after": now})
    return rows


def _pvalue_row(name, change):
    pvalue = change.get("pvalue")
    item = "%s (%s)" % (name, pvalue) if pvalue and pvalue != name else str(name)
    if change.get("secret"):
        # Secrets are never compared: the row says why the secret is sent, not a masked "before -> after".
        return {"item": item, "note": change.get("reason") or "secret written (its value is never compared)",
                "secret": True}
    return {"item": item, "before": change.get("before", ""), "after": change.get("after", "")}


def _keyed(entries):
    """Entries by the key the phonebook modules use (a group's name, a contact's full name), duplicates numbered."""
    keyed = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if "name" in entry:
            key = str(entry["name"])
        else:
            key = " ".join(part for part in (entry.get("first_name"), entry.get("last_name")) if part)
        name, number = key, 2
        while name in keyed:
            name, number = "%s (%d)" % (key, number), number + 1
        keyed[name] = entry
    return keyed


def _fields(entry):
    return ", ".join("%s %s" % (field, value) for field, value in entry.items() if value not in ("", None))


def entry_rows(kind, before, after):
    """Field by field rows between the phone's entries and the ones it will hold."""
    old, new = _keyed(before), _keyed(after)
    rows = []
    for key, entry in new.items():
        if key not in old:
            rows.append({"item": "%s %s" % (kind, key), "before": MISSING, "after": _fields(entry)})
            continue
        for field in list(dict.fromkeys(list(old[key]) + list(entry))):
            was, now = old[key].get(field, ""), entry.get(field, "")
            if was != now:
                rows.append({"item": key, "field": field, "before": was, "after": now})
    for key, entry in old.items():
        if key not in new:
            # A copy of a kept entry is removed as a duplicate; any other entry only in overridden (or deleted) mode.
            base = key.rsplit(" (", 1)[0] if key.endswith(")") else key
            note = COPY if base != key and base in old and base in new else EXTRA
            rows.append({"item": "%s %s" % (kind, key), "note": "%s (%s)" % (note, _fields(entry))})
    return rows
