# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contact groups as a declarative resource, keyed by name: read, validated and planned here for gs_group's
engine (groups.py), gs_contacts' groups option, gs_render, gs_export and the role's validation.

The built-in groups ``default`` (id 0) and ``blacklist`` (id 100) are never deleted or renamed.
A rename (``name`` + ``old_name``) edits the group in place, so it keeps its id and its contacts.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.numbers import as_int
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import (
    NAME_BYTES, Operation, Record, Resource, Snapshot, format_command)
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_fields import BUILTIN_GROUPS, BUILTIN_NAMES
from ansible_collections.grandstream.phone.plugins.module_utils.xml_text import clean_text

STATES = ("merged", "overridden", "deleted", "gathered", "rendered")
# Every text field of a group and its limit: what the validation of the role's variables checks too.
FIELD_BYTES = {"name": NAME_BYTES, "old_name": NAME_BYTES}
# One group as the options take it (gs_group's config, gs_contacts' groups, the role's phone_groups).
CONFIG_SPEC = dict(type="list", elements="dict", options=dict(
    name=dict(type="str", required=True),
    old_name=dict(type="str"),
))

__all__ = ("STATES", "FIELD_BYTES", "CONFIG_SPEC", "read_groups", "GroupDirectory", "GroupResource")


def read_groups(client):
    """The phone's groups as [(id, name)] in the phone's order: one api-get_groups request."""
    payload = client.call("api-get_groups")
    items = payload.get("msg")
    if not isinstance(items, list):
        raise PhoneError("unexpected answer to api-get_groups: 'msg' is not a list", host=client.conn.label,
                         kind="api")
    return [(as_int(item.get("groupID")), str(item.get("groupName", ""))) for item in items]


class GroupDirectory:
    """The phone's groups by id and by name, for the contacts, reading api-get_groups only when needed.

    A contacts read downloads the phonebook XML anyway, and it lists the groups (``<pbgroup>`` id and
    name): those answer first. api-get_groups, the phone's full list, is read once, and only when a
    lookup misses (firmware that leaves a group out of the XML, a group named in config that does not
    exist yet) or when the whole list is asked for. A miss never returns a wrong answer, only costs
    that one request.
    """

    def __init__(self, fetch, hint=()):
        self._fetch = fetch
        self._groups = [(group_id, name) for group_id, name in hint if group_id is not None]
        self._complete = False

    @classmethod
    def complete(cls, groups):
        """A directory of a known, full list (no phone behind it)."""
        directory = cls(None, groups)
        directory._complete = True
        return directory

    def known(self):
        """The groups known so far as [(id, name)]: the XML's, or the full list once it was read."""
        return list(self._groups)

    def listing(self):
        """Every group as [(id, name)] in the phone's order."""
        if not self._complete:
            self._groups = self._fetch()
            self._complete = True
        return list(self._groups)

    def _find(self, position, value):
        for group in self._groups:
            if group[position] == value:
                return group
        return None

    def _lookup(self, position, value):
        found = self._find(position, value)
        if found is None and not self._complete:
            self.listing()
            found = self._find(position, value)
        return found

    def name_of(self, group_id):
        """The name of ``group_id``; a built-in's documented name when the phone lists it under no other."""
        found = self._find(0, group_id) if group_id in BUILTIN_GROUPS else self._lookup(0, group_id)
        return found[1] if found is not None else BUILTIN_GROUPS.get(group_id)

    def id_of(self, name):
        """The id of the group called ``name``; built-ins also by their documented names (firmware may
        show them translated). None when the phone has no such group."""
        found = self._lookup(1, name)
        if found is not None:
            return found[0]
        return next((group_id for group_id, builtin in BUILTIN_GROUPS.items() if builtin == name), None)


class GroupResource(Resource):
    noun = "group"
    states = STATES

    def validate(self, config, state, option="config"):
        desired, seen, renamed_from = [], {}, {}
        for position, item in enumerate(config):
            where = "%s[%d]" % (option, position)
            name = clean_text(item.get("name"), where + ".name", FIELD_BYTES["name"], required=True)
            old_name = clean_text(item.get("old_name"), where + ".old_name", FIELD_BYTES["old_name"])
            if old_name == name or old_name == "":
                old_name = None
            if name in seen:
                raise ValidationError("%s.name: group %r is listed twice (also %s)" % (where, name, seen[name]),
                                      field=where + ".name")
            seen[name] = where
            if state == "deleted":
                if old_name is not None:
                    raise ValidationError("%s.old_name: not used with state deleted" % where,
                                          field=where + ".old_name")
                if name in BUILTIN_NAMES:
                    raise ValidationError("%s.name: the built-in group %r cannot be deleted" % (where, name),
                                          field=where + ".name")
            if old_name is not None:
                if old_name in BUILTIN_NAMES:
                    raise ValidationError("%s.old_name: the built-in group %r cannot be renamed"
                                          % (where, old_name), field=where + ".old_name")
                if name in BUILTIN_NAMES:
                    raise ValidationError("%s.name: cannot rename %r to the built-in group name %r"
                                          % (where, old_name, name), field=where + ".name")
                if old_name in renamed_from:
                    raise ValidationError("%s.old_name: group %r is renamed twice (also %s)"
                                          % (where, old_name, renamed_from[old_name]), field=where + ".old_name")
                renamed_from[old_name] = where
            desired.append({"name": name, "old_name": old_name})
        for old_name, where in renamed_from.items():
            # Chains and swaps (A->B, B->C) depend on order and could merge two groups: not supported.
            if old_name in seen:
                raise ValidationError("%s.old_name: %r is also a group name in %s; chained renames are not "
                                      "supported, rename in two tasks" % (where, old_name, seen[old_name]),
                                      field=where + ".old_name")
        return desired

    def key(self, data):
        return data["name"]

    def previous_key(self, desired):
        return desired.get("old_name")

    def blank(self, desired, snapshot):
        return {"name": None}

    def is_protected(self, record):
        return record.id in BUILTIN_GROUPS

    def read(self, client, previous=None):
        return Snapshot(Record(group_id, {"name": name}) for group_id, name in read_groups(client))

    def check_references(self, desired, snapshot, check_mode):
        names = snapshot.index(self)
        for position, entry in enumerate(desired):
            old_name = entry.get("old_name")
            if old_name is not None and entry["name"] in names and old_name in names:
                where = "config[%d]" % position
                raise ValidationError("%s: cannot rename %r to %r: both groups exist on the phone"
                                      % (where, old_name, entry["name"]), field=where + ".name")
        return []

    def present(self, data):
        return {"name": data["name"]}

    def add(self, data, snapshot):
        # Not idempotent: a retried add would create the group twice (or fail as a duplicate).
        return Operation("api-add_group", {"name": data["name"]}, format_command("add_group", ("name", data["name"])),
                         result=data, idempotent=False)

    def edit(self, record, data, snapshot):
        return Operation("api-edit_delete_group", {"id": record.id, "name": data["name"]},
                         format_command("rename_group", ("id", record.id), ("old_name", record.data["name"]),
                                        ("name", data["name"])),
                         removes=[record], result=data)

    def delete(self, record, snapshot):
        # An empty name is how api-edit_delete_group deletes; the phone moves its contacts to default.
        return Operation("api-edit_delete_group", {"id": record.id, "name": ""},
                         format_command("delete_group", ("id", record.id), ("name", record.data["name"])),
                         removes=[record])

    def render(self, desired):
        # Without a phone there is no id to edit: the rename is shown by name.
        if desired.get("old_name") is not None:
            return format_command("rename_group", ("old_name", desired["old_name"]), ("name", desired["name"]))
        return super().render(desired)
