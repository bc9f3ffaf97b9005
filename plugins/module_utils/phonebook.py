# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One declarative resource engine for the phonebook: contact groups and contacts.

Resource-module style (like cisco.ios / arista.eos): read the phone once, normalise what it holds
into the same shape as ``config``, key both sides, plan the minimal list of API calls for the state,
apply them, read back once and fail if the phone does not hold what was planned.

What differs between groups and contacts lives in a ``Resource`` subclass (groups.py, contacts.py):
how to read, how an entry is keyed, which entries are built in, and how an add / edit / delete
becomes a request. Everything else (states, ordering, diff, check mode, verification) is here, once.
"""

from __future__ import annotations

__metaclass__ = type

import shlex

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import CONTROL_CHARACTERS

STATES_WITH_CONFIG = ("merged", "replaced", "overridden", "rendered")
# Control characters cannot be stored in the phone's XML phonebook; refuse them up front.
# Names longer than this the phones refuse (and the request line would outgrow the web server).
NAME_LENGTH = 64


def needs_phone(params):
    """``state: rendered`` turns config into commands without contacting any phone."""
    return params.get("state") != "rendered"


def format_command(verb, *pairs):
    """``verb key=value ...`` with shell-style quoting, so values with spaces stay readable and unambiguous."""
    words = [verb]
    for name, value in pairs:
        if value is not None:
            words.append("%s=%s" % (name, shlex.quote(str(value))))
    return " ".join(words)


def clean_text(value, field, required=False, max_length=NAME_LENGTH):
    """Strip a text option; refuse control characters, over-long text, and emptiness when ``required``."""
    if value is None:
        if required:
            raise ValidationError("%s is required" % field, field=field)
        return None
    text = str(value).strip()
    if required and not text:
        raise ValidationError("%s must not be empty" % field, field=field)
    if CONTROL_CHARACTERS.search(text):
        raise ValidationError("%s contains control characters, which the phonebook cannot store" % field,
                              field=field)
    if len(text) > max_length:
        raise ValidationError("%s must be at most %d characters (is %d)" % (field, max_length, len(text)),
                              field=field)
    return text


class Record:
    """One entry as the phone holds it: the phone's id and the entry in ``config`` shape."""

    __slots__ = ("id", "data")

    def __init__(self, record_id, data):
        self.id = record_id
        self.data = data

    def __repr__(self):
        return "Record(%r, %r)" % (self.id, self.data)


class Snapshot:
    """What one read of the phone returned: records in the phone's order plus resource context."""

    def __init__(self, records, context=None, warnings=None):
        self.records = list(records)
        self.context = context if context is not None else {}
        self.warnings = list(warnings or [])

    def index(self, resource):
        """key -> records with that key; a phone edited by hand may hold duplicates."""
        by_key = {}
        for record in self.records:
            by_key.setdefault(resource.key(record.data), []).append(record)
        return by_key


class Operation:
    """One API call: the request, its readable form, and its effect on the records.

    ``removes`` are the records the call deletes or replaces; ``result`` is the entry the phone holds
    afterwards (None for a delete). An edit replaces its record in place, an add appends.
    """

    __slots__ = ("endpoint", "params", "command", "removes", "result", "idempotent")

    def __init__(self, endpoint, params, command, removes=(), result=None, idempotent=True):
        self.endpoint = endpoint
        self.params = params
        self.command = command
        self.removes = list(removes)
        self.result = result
        self.idempotent = idempotent


class Resource:
    """What groups and contacts each define; see groups.py and contacts.py."""

    noun = "entry"
    states = ()

    def validate(self, config, state, option="config"):
        """Return the desired entries (dicts, unset fields None), raising ValidationError up front.

        ``option`` is how messages name the list (gs_render calls it ``groups`` / ``contacts``)."""
        raise NotImplementedError

    def key(self, data):
        raise NotImplementedError

    def previous_key(self, desired):
        """Key the entry had before a rename asked for in ``desired``; None when no rename."""
        return None

    def blank(self, desired, snapshot):
        """The entry ``replaced`` / ``overridden`` build on: only what ``desired`` names, defaults elsewhere."""
        raise NotImplementedError

    def is_protected(self, record):
        """Built-in entries that no state may delete."""
        return False

    def read(self, client, previous=None):
        """Return a Snapshot; ``previous`` is the first read, for context the run cannot change."""
        raise NotImplementedError

    def check_references(self, desired, snapshot, check_mode):
        """Resolve names the entries refer to; return warnings, raise ValidationError when unresolvable."""
        return []

    def present(self, data):
        """An entry as the module returns it (same shape as ``config``)."""
        return dict(data)

    def add(self, data, snapshot):
        raise NotImplementedError

    def edit(self, record, data, snapshot):
        raise NotImplementedError

    def delete(self, record, snapshot):
        raise NotImplementedError

    def delete_all(self, records, snapshot):
        """One call that deletes every record, or None when the API has none (then deletes go one by one)."""
        return None

    def render(self, desired):
        """The command for ``desired`` with no phone at hand (state rendered): an add to an empty phone."""
        empty = Snapshot([])
        return self.add(merge_entry(self.blank(desired, empty), desired), empty).command


# ---------------------------------------------------------------------------------------------- planning
def merge_entry(base, desired):
    """``base`` with every field ``desired`` sets (not None) taken from ``desired``."""
    merged = dict(base)
    merged.update((name, value) for name, value in desired.items() if value is not None and name in base)
    return merged


def plan(resource, state, desired, snapshot):
    """The minimal operations that take the phone from ``snapshot`` to ``state`` for ``desired``.

    Deletes come first (they free room on a full phonebook), then edits and adds in config order.
    """
    if state == "deleted":
        return _plan_deletes(resource, desired, snapshot)
    index = snapshot.index(resource)
    claimed = set()
    changes = []
    for entry in desired:
        key = resource.key(entry)
        records = index.get(key)
        if not records and resource.previous_key(entry) is not None:
            records = index.get(resource.previous_key(entry))
        if records:
            record = records[0]
            claimed.add(id(record))
            base = record.data if state == "merged" else resource.blank(entry, snapshot)
            target = merge_entry(base, entry)
            if target != record.data:
                changes.append(resource.edit(record, target, snapshot))
        else:
            changes.append(resource.add(merge_entry(resource.blank(entry, snapshot), entry), snapshot))
    deletes = []
    if state == "overridden":
        deletes = [resource.delete(record, snapshot) for record in snapshot.records
                   if id(record) not in claimed and not resource.is_protected(record)]
    return deletes + changes


def _plan_deletes(resource, desired, snapshot):
    if desired is None:
        doomed = [record for record in snapshot.records if not resource.is_protected(record)]
        if not doomed:
            return []
        everything = resource.delete_all(doomed, snapshot)
        return [everything] if everything is not None else [resource.delete(r, snapshot) for r in doomed]
    keys = set(resource.key(entry) for entry in desired)
    doomed = [record for record in snapshot.records if resource.key(record.data) in keys]
    for record in doomed:
        if resource.is_protected(record):
            raise ValidationError("the built-in %s %r cannot be deleted" % (resource.noun, resource.key(record.data)),
                                  field="config")
    return [resource.delete(record, snapshot) for record in doomed]


def duplicate_warnings(resource, desired, snapshot):
    """Name the keys the phone holds more than once: merged and replaced manage only the first of them."""
    index = snapshot.index(resource)
    warnings = []
    for key in dict.fromkeys(resource.key(entry) for entry in desired):
        records = index.get(key) or []
        if len(records) > 1:
            ids = ", ".join(str(record.id) for record in records)
            warnings.append("the phone holds %d %ss keyed %r (ids %s); only id %s is managed, overridden or "
                            "deleted would remove the others" % (len(records), resource.noun, key, ids, records[0].id))
    return warnings


def predict(snapshot, operations):
    """The records the phone should hold after ``operations``: [(id or None, data)] in phone order."""
    entries = [(record.id, record.data) for record in snapshot.records]
    for operation in operations:
        gone = set(record.id for record in operation.removes)
        if operation.result is None:
            entries = [(rid, data) for rid, data in entries if rid not in gone]
        elif operation.removes:
            entries = [(rid, operation.result if rid in gone else data) for rid, data in entries]
        else:
            entries.append((None, operation.result))
    return entries


def changed_entries(resource, operations):
    """Diff of the changed entries only: {"before": {key: entry}, "after": {key: entry}}."""
    before, after = {}, {}
    for operation in operations:
        for record in operation.removes:
            _put_unique(before, resource.key(record.data), resource.present(record.data))
        if operation.result is not None:
            _put_unique(after, resource.key(operation.result), resource.present(operation.result))
    return {"before": before, "after": after}


def _put_unique(mapping, key, value):
    # Duplicates on the phone share a key; number them so the diff shows each one.
    name, number = key, 2
    while name in mapping:
        name, number = "%s (%d)" % (key, number), number + 1
    mapping[name] = value


# ---------------------------------------------------------------------------------------------- applying
def apply(client, operations):
    """Send the operations in order; on failure say which were applied and which one failed."""
    applied = []
    for operation in operations:
        try:
            client.call(operation.endpoint, params=operation.params, idempotent=operation.idempotent)
        except PhoneError as error:
            error.details = dict(error.details, applied=list(applied), failed=operation.command)
            error.message = "%s (after %d of %d change(s) were applied; failed: %s)" % (
                error.message, len(applied), len(operations), operation.command)
            raise
        applied.append(operation.command)
    return applied


def verify(resource, operations, expected, snapshot, applied):
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
                         kind="not_applied", details={"applied": applied, "mismatches": mismatches})


def _group_by_key(resource, entries, keys):
    grouped = {}
    for data in entries:
        key = resource.key(data)
        if key in keys:
            grouped.setdefault(key, []).append(data)
    return grouped


def _sorted_entries(entries):
    return sorted(sorted(data.items()) for data in entries or [])


# ---------------------------------------------------------------------------------------------- the run
def check_config_presence(config, state):
    """``config`` is required by the states that need it and meaningless for ``gathered``."""
    if state in STATES_WITH_CONFIG and config is None:
        raise ValidationError("config is required with state %s" % state, field="config")
    if state == "gathered" and config is not None:
        raise ValidationError("config is not used with state gathered", field="config")


def run_resource(resource, client, params, check_mode):
    """The engine ``run()`` of gs_group and gs_contacts."""
    state = params["state"]
    config = params.get("config")
    check_config_presence(config, state)
    desired = resource.validate(config, state) if config is not None else None
    if state == "rendered":
        commands = [resource.render(entry) for entry in desired]
        return {"changed": False, "rendered": commands, "commands": commands}

    snapshot = resource.read(client)
    if state == "gathered":
        present = [resource.present(record.data) for record in snapshot.records]
        return _with_warnings({"changed": False, "gathered": present}, snapshot.warnings)
    return converge(resource, client, state, desired, snapshot, check_mode)


def converge(resource, client, state, desired, snapshot, check_mode):
    """Plan from ``snapshot``, then (not in check mode) apply, read back and verify: a resource result."""
    warnings = list(snapshot.warnings)
    if state in ("merged", "replaced"):
        warnings += duplicate_warnings(resource, desired, snapshot)
    if state != "deleted":
        warnings += resource.check_references(desired, snapshot, check_mode)
    operations = plan(resource, state, desired, snapshot)
    expected = predict(snapshot, operations)
    result = {
        "changed": bool(operations),
        "before": [resource.present(record.data) for record in snapshot.records],
        "after": [resource.present(data) for unused_key, data in expected],
        "commands": [operation.command for operation in operations],
    }
    if operations:
        result["diff"] = changed_entries(resource, operations)
    if operations and not check_mode:
        applied = apply(client, operations)
        after = resource.read(client, previous=snapshot)
        verify(resource, operations, expected, after, applied)
        result["after"] = [resource.present(record.data) for record in after.records]
    return _with_warnings(result, warnings)


def _with_warnings(result, warnings):
    if warnings:
        result["warnings"] = list(dict.fromkeys(warnings))
    return result
