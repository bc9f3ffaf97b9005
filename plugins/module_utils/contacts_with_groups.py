# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_contacts: contacts (contacts.py), and with ``groups`` also the groups they live in, in one task.

One read serves both. The contacts read downloads the phonebook XML, which lists the groups, so an
unchanged phone costs ``api-get_contacts`` + ``phonebook_download``; ``api-get_groups`` is read only
when a group of ``groups`` is missing from the XML, or for ``groups_state`` overridden and deleted,
which need the phone's full list.

Groups change first, since contacts need their ids. The contacts are then planned against the phone
as the group changes leave it: read again after real changes, predicted in check mode (a deleted
group's contacts move to ``default``, as the phone moves them; a renamed group keeps its contacts).
Every reference is checked against that prediction before anything is written, so a contact in a
group that will not exist fails the task with nothing changed.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import contacts as contacts_engine
from ansible_collections.grandstream.phone.plugins.module_utils import groups as groups_engine
from ansible_collections.grandstream.phone.plugins.module_utils.contacts import DEFAULT_GROUP_ID, ContactResource
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupDirectory, GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import (
    Record, Snapshot, check_config_presence, converge, plan, predict)

GROUP_STATES = ("merged", "overridden", "deleted")
CONTACT_STATES = ("merged", "replaced", "overridden", "deleted")
# Stands in for the id of a group check mode would create: only shown, never sent.
PLANNED_GROUP_ID = "(new)"

ARGUMENT_SPEC = dict(
    contacts_engine.ARGUMENT_SPEC,
    groups=groups_engine.ARGUMENT_SPEC["config"],
    groups_state=dict(type="str", default="merged", choices=list(GROUP_STATES)),
)
NOTHING_DESIRED = ("no contacts or groups desired (config and groups are empty, and no state removes what they do "
                   "not list): nothing to compare, the phone was not contacted")


def nothing_desired(params):
    """Empty config and groups under states that only act on what is listed: nothing to read or change."""
    groups = params.get("groups")
    only_listed = params.get("state") in ("merged", "replaced", "deleted") and (
        groups is None or params.get("groups_state") in ("merged", "deleted"))
    return params.get("config") == [] and not groups and only_listed


def needs_phone(params):
    return contacts_engine.needs_phone(params) and not nothing_desired(params)


def run(client, params, check_mode):
    if nothing_desired(params):
        return {"changed": False, "skipped": True, "msg": NOTHING_DESIRED}
    if params.get("groups") is None:
        return contacts_engine.run(client, params, check_mode)
    return run_with_groups(client, params, check_mode)


def run_with_groups(client, params, check_mode):
    state, groups_state = params["state"], params["groups_state"]
    if state not in CONTACT_STATES:
        raise ValidationError("groups is not used with state %s" % state, field="groups")
    check_config_presence(params.get("config"), state)
    contact_resource, group_resource = ContactResource(), GroupResource()
    desired_groups = group_resource.validate(params["groups"], groups_state, option="groups")
    desired_contacts = contact_resource.validate(params["config"], state) if params.get("config") is not None else None

    contacts = contact_resource.read(client)
    before = [contact_resource.present(record.data) for record in contacts.records]
    group_snapshot = _group_snapshot(contacts.context["groups"], desired_groups, groups_state)
    group_operations = plan(group_resource, groups_state, desired_groups, group_snapshot)
    predicted = _as_group_changes_leave_it(contacts, group_snapshot, group_operations)
    if state != "deleted":
        # Before any write, and in check mode too: this task manages the groups, so a group that neither
        # exists nor is in groups will not exist when the contacts are written. A warning would let a
        # drift check pass that the real run fails.
        contact_resource.check_references(desired_contacts, predicted, check_mode=False,
                                          fix="add it to groups, or create it on the phone")

    groups_result = converge(group_resource, client, groups_state, desired_groups, group_snapshot, check_mode)
    try:
        if group_operations and not check_mode:
            contacts = contact_resource.read(client)  # new group ids, contacts moved out of deleted groups
        else:
            contacts = predicted
        contacts_result = converge(contact_resource, client, state, desired_contacts, contacts, check_mode)
    except PhoneError as error:
        if not check_mode and groups_result["commands"]:
            error.details = dict(error.details, applied=groups_result["commands"] + error.details.get("applied", []))
            error.message += "; the group changes before it were applied: %s" % ", ".join(groups_result["commands"])
        raise
    contacts_result["before"] = before  # the phone's, not as the group changes leave it
    return _combined(groups_result, contacts_result)


def _group_snapshot(directory, desired, state):
    """The groups to plan against: the XML's when they name every group of ``desired``, else the full list."""
    if state == "merged":
        for entry in desired:
            # A lookup that misses reads the phone's full list into the directory.
            directory.id_of(entry["name"])
            if entry.get("old_name") is not None:
                directory.id_of(entry["old_name"])
    else:
        directory.listing()
    return Snapshot(Record(group_id, {"name": name}) for group_id, name in directory.known())


def _as_group_changes_leave_it(contacts, group_snapshot, group_operations):
    """The contacts snapshot as the phone will hold it once ``group_operations`` are applied."""
    if not group_operations:
        return contacts
    directory = GroupDirectory.complete([(PLANNED_GROUP_ID if group_id is None else group_id, data["name"])
                                         for group_id, data in predict(group_snapshot, group_operations)])
    group_of, records = {}, []
    for record in contacts.records:
        group_id = contacts.context["group_of"][record.id]
        name = directory.name_of(group_id)
        if name is None:
            group_id, name = DEFAULT_GROUP_ID, directory.name_of(DEFAULT_GROUP_ID)
        group_of[record.id] = group_id
        records.append(Record(record.id, dict(record.data, group=name)))
    return Snapshot(records, {"groups": directory, "group_of": group_of}, contacts.warnings)


def _combined(groups_result, contacts_result):
    result = dict(contacts_result)
    result["changed"] = groups_result["changed"] or contacts_result["changed"]
    result["commands"] = groups_result["commands"] + contacts_result["commands"]
    result["groups"] = {key: groups_result[key] for key in ("before", "after", "commands")}
    diffs = [dict(part["diff"], before_header=name, after_header=name)
             for name, part in (("groups", groups_result), ("contacts", contacts_result)) if "diff" in part]
    result.pop("diff", None)
    if diffs:
        result["diff"] = diffs
    warnings = groups_result.get("warnings", []) + contacts_result.get("warnings", [])
    if warnings:
        result["warnings"] = list(dict.fromkeys(warnings))
    return result


ENGINE = Engine("contacts_with_groups", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True,
                needs_phone=needs_phone)
