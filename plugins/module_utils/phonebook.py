# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One declarative resource engine for the phonebook: contact groups and contacts.

Resource-module style (like cisco.ios / arista.eos): read the phone once, normalise what it holds
into the same shape as ``config``, key both sides, plan the minimal list of API calls for the state,
apply them, read back once and fail if the phone does not hold what was planned.

What differs between groups and contacts lives in a ``Resource`` subclass (groups.py, contacts.py):
how to read, how an entry is keyed, which entries are built in, and how an add / edit / delete
becomes a request. Everything else (states, ordering, diff, check mode, verification) is here, once:
the planning in phonebook_plan.py, the sending (reading and planning again after a write whose outcome
is unknown, so an add is never stored twice) and the verification in phonebook_apply.py.
"""

from __future__ import annotations

__metaclass__ = type

import shlex

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_apply import check_request_lines, settle
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_plan import (  # noqa: F401 (re-exported)
    changed_entries, duplicate_warnings, merge_entry, plan, predict)

STATES_WITH_CONFIG = ("merged", "replaced", "overridden", "rendered")
# Group and contact names: the phones refuse longer ones (bytes of UTF-8, see xml_text.py).
NAME_BYTES = 64


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

    __slots__ = ("endpoint", "params", "command", "removes", "result", "idempotent", "kept")

    def __init__(self, endpoint, params, command, removes=(), result=None, idempotent=True):
        self.endpoint = endpoint
        self.params = params
        self.command = command
        self.removes = list(removes)
        self.result = result
        self.idempotent = idempotent
        # For the delete of a duplicate: the copy of the entry that stays (shown in the diff).
        self.kept = None


class Resource:
    """What groups and contacts each define; see groups.py and contacts.py."""

    noun = "entry"
    states = ()
    # Whether a desired entry held more than once is drift that a run removes (keeping one copy).
    converges_duplicates = False

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
    check_request_lines(client, resource, operations)
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
        applied, after = settle(resource, client, state, desired, snapshot, operations)
        result["commands"] = applied  # as planned, unless a write's unknown outcome made the engine plan again
        result["after"] = [resource.present(record.data) for record in after.records]
    return _with_warnings(result, warnings)


def _with_warnings(result, warnings):
    if warnings:
        result["warnings"] = list(dict.fromkeys(warnings))
    return result
