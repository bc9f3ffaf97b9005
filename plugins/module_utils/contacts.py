# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_contacts: phonebook contacts as a declarative resource, keyed by full name.

Reading the phone faithfully takes two documents. ``api-get_contacts`` has the ids, numbers, email
and group id, but only the joined ``contactName`` ("first last"); the phonebook XML has first and
last name apart, but no email. So a read is ``api-get_contacts`` + ``phonebook_download`` (skipped
when the phone has no contacts), the names matched by id when the XML carries ids, else by full name
in phone order. The XML also lists the groups, which resolve group names; ``api-get_groups`` is read
only when they do not suffice (see ``GroupDirectory``), at most once per run.
"""

from __future__ import annotations

__metaclass__ = type

import re
from collections import defaultdict, deque

from ansible_collections.grandstream.phone.plugins.module_utils.errors import (
    PhoneError, ValidationError, raise_together)
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupDirectory, read_groups
from ansible_collections.grandstream.phone.plugins.module_utils.numbers import as_int
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import (
    NAME_BYTES, Operation, Record, Resource, Snapshot, format_command, needs_phone, run_resource)
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_fields import NUMBER_FIELDS
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_xml import full_name, parse_phonebook
from ansible_collections.grandstream.phone.plugins.module_utils.xml_text import clean_text

STATES = ("merged", "replaced", "overridden", "deleted", "gathered", "rendered")
# Limits in bytes of UTF-8, as the phone counts them.
NUMBER_BYTES = 32
EMAIL_BYTES = 128
VALUE_FIELDS = NUMBER_FIELDS + ("email",)
FIELDS = ("first_name", "last_name", "group") + VALUE_FIELDS
# Every text field of a contact and its limit: what the validation of the role's variables checks too.
FIELD_BYTES = dict(dict.fromkeys(("first_name", "last_name", "group"), NAME_BYTES),
                   email=EMAIL_BYTES, **dict.fromkeys(NUMBER_FIELDS, NUMBER_BYTES))
# api-save_edit_contact parameter of each value field.
REQUEST_NAMES = {"work": "newphone1", "home": "newphone2", "mobile": "newphone3", "fax": "newphone4",
                 "email": "email"}
DEFAULT_GROUP_ID = 0
# Dialable: digits, * and # (feature codes), a leading + (international), and the separators people
# write in numbers (spaces, -, parentheses). At least one digit, * or #. SIP URIs are not accepted.
DIALABLE = re.compile(r"^\+?[0-9*#() -]*[0-9*#][0-9*#() -]*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

ARGUMENT_SPEC = dict(
    config=dict(type="list", elements="dict", options=dict(
        first_name=dict(type="str", required=True),
        last_name=dict(type="str"),
        group=dict(type="str"),
        work=dict(type="str"),
        home=dict(type="str"),
        mobile=dict(type="str"),
        fax=dict(type="str"),
        email=dict(type="str"),
    )),
    state=dict(type="str", default="merged", choices=list(STATES)),
)

__all__ = ("ARGUMENT_SPEC", "STATES", "needs_phone", "run", "ContactResource", "match_names")


def validate_entry(item, where):
    """The entry in config shape; every problem of its fields at once."""
    entry, errors = {}, []

    def check(name, rule, required=False):
        field = "%s.%s" % (where, name)
        try:
            entry[name] = rule(clean_text(item.get(name), field, FIELD_BYTES[name], required=required), field)
        except ValidationError as error:
            errors.append(error)

    check("first_name", lambda value, field: value, required=True)
    # The last name is part of the key: left out, it is empty (never "keep the phone's").
    check("last_name", lambda value, field: value or "")
    check("group", _group)
    for name in NUMBER_FIELDS:
        check(name, _number)
    check("email", _email)
    raise_together(errors)
    return entry


def _group(group, field):
    if group == "":
        raise ValidationError("%s must not be empty; leave it out for the default group" % field, field=field)
    return group


def _number(number, field):
    if number and not DIALABLE.match(number):
        raise ValidationError("%s: %r is not a dialable number (digits, a leading +, *, #, spaces, - and "
                              "parentheses)" % (field, number), field=field)
    return number


def _email(email, field):
    if email and not EMAIL.match(email):
        raise ValidationError("%s: %r is not an email address" % (field, email), field=field)
    return email


def match_names(items, xml_contacts):
    """First and last name of each api-get_contacts item, from the phonebook XML.

    Returns ([(first, last)] aligned with ``items``, warnings). Matched by id when the XML has ids,
    else by full name in document order (so duplicates pair up in order).
    """
    by_id = {contact["id"]: contact for contact in xml_contacts if "id" in contact}
    by_name = defaultdict(deque)
    for contact in xml_contacts:
        by_name[full_name(contact["first_name"], contact["last_name"])].append(contact)
    names, warnings = [], []
    for item in items:
        shown = str(item.get("contactName", "")).strip()
        contact = by_id.get(as_int(item.get("contactID")))
        if contact is None and by_name[shown]:
            contact = by_name[shown].popleft()
        if contact is None:
            warnings.append("contact %r (id %s) is missing from the phonebook XML; its whole name is read as "
                            "first_name" % (shown, item.get("contactID")))
            names.append((shown, ""))
        else:
            names.append((contact["first_name"], contact["last_name"]))
    return names, warnings


def _directory(snapshot):
    # A snapshot with no phone behind it (state rendered) knows only the built-in groups.
    return snapshot.context.get("groups") or GroupDirectory.complete(())


class ContactResource(Resource):
    noun = "contact"
    states = STATES
    # Two copies of a contact (two controllers at once, a worker outliving its controller) are drift.
    converges_duplicates = True

    def validate(self, config, state, option="config"):
        """Every bad entry is reported at once (the first problem of each), not only the first."""
        desired, seen, errors = [], {}, []
        for position, item in enumerate(config):
            where = "%s[%d]" % (option, position)
            try:
                entry = validate_entry(item, where)
            except ValidationError as error:
                errors.append(error)
                continue
            key = self.key(entry)
            if key in seen:
                errors.append(ValidationError("%s: contact %r is listed twice (also %s)" % (where, key, seen[key]),
                                              field=where + ".first_name"))
                continue
            seen[key] = where
            desired.append(entry)
        raise_together(errors)
        return desired

    def key(self, data):
        return full_name(data["first_name"], data["last_name"])

    def blank(self, desired, snapshot):
        entry = {"first_name": "", "last_name": "", "group": self._group_name(DEFAULT_GROUP_ID, snapshot)}
        entry.update(dict.fromkeys(VALUE_FIELDS, ""))
        return entry

    # ------------------------------------------------------------------ reading
    def read(self, client, previous=None):
        items = client.call("api-get_contacts").get("msg")
        if not isinstance(items, list):
            raise PhoneError("unexpected answer to api-get_contacts: 'msg' is not a list", host=client.conn.label,
                             kind="api")
        return self.snapshot_of(items, client, previous)

    def snapshot_of(self, items, client, previous=None):
        """The snapshot of api-get_contacts' ``items``: the first / last name split comes from the phonebook XML
        (one download when there are contacts), the group names from the XML's groups."""
        phonebook = {"groups": [], "contacts": []}
        if items:
            phonebook = parse_phonebook(client.download("phonebook_download"), host=client.conn.label)
        names, warnings = match_names(items, phonebook["contacts"])
        # Contacts never change groups, so the read-back keeps the first read's directory.
        groups = previous.context["groups"] if previous is not None else GroupDirectory(
            lambda: read_groups(client), [(group["id"], group["name"]) for group in phonebook["groups"]])
        context = {"groups": groups, "group_of": {}}
        records = []
        for item, (first_name, last_name) in zip(items, names):
            contact_id, group_id = as_int(item.get("contactID")), as_int(item.get("groupID"))
            context["group_of"][contact_id] = group_id
            data = {"first_name": first_name, "last_name": last_name, "group": groups.name_of(group_id)}
            data.update((field, str(item.get(field) or "").strip()) for field in VALUE_FIELDS)
            records.append(Record(contact_id, data))
            if data["group"] is None:
                warnings.append("contact %r is in group id %s, which the phone does not list"
                                % (self.key(data), group_id))
        return Snapshot(records, context, warnings)

    @staticmethod
    def _group_name(group_id, snapshot):
        return _directory(snapshot).name_of(group_id)

    @staticmethod
    def _group_id(name, snapshot):
        return _directory(snapshot).id_of(name)

    def check_references(self, desired, snapshot, check_mode, fix="create it with gs_group first"):
        """Every group named in config must exist: an error before any write, a warning in check mode.

        Check mode only warns because an earlier gs_group task in the same play may create the group
        for real, which it does not do in check mode; pass check_mode False when nothing else can create
        it. Every missing group is named at once.
        """
        messages = []
        for position, entry in enumerate(desired):
            if entry["group"] is None or self._group_id(entry["group"], snapshot) is not None:
                continue
            messages.append(("config[%d].group" % position, "config[%d].group: group %r of contact %r does not "
                             "exist on the phone (%s)" % (position, entry["group"], self.key(entry), fix)))
        if check_mode:
            return [message for _field, message in messages]
        raise_together([ValidationError(message + "; nothing was written", field=field)
                        for field, message in messages])
        return []

    def present(self, data):
        entry = {"first_name": data["first_name"], "last_name": data["last_name"], "group": data["group"]}
        entry.update((field, data[field]) for field in VALUE_FIELDS if data[field])
        return entry

    # ------------------------------------------------------------------ requests
    def _request(self, data, snapshot, record=None):
        group_id = self._group_id(data["group"], snapshot)
        if record is not None and data["group"] == record.data["group"]:
            group_id = snapshot.context["group_of"].get(record.id, group_id)  # same group, even if names repeat
        params = {"firstname": data["first_name"], "lastname": data["last_name"], "group": group_id}
        pairs = [("first_name", data["first_name"])]
        if data["last_name"] or (record is not None and record.data["last_name"]):
            pairs.append(("last_name", data["last_name"]))
        pairs.append(("group", data["group"]))
        for field in VALUE_FIELDS:
            # An edit sends every field, so the result does not depend on how firmware treats a missing one.
            if data[field] or record is not None:
                params[REQUEST_NAMES[field]] = data[field]
            # The command shows what is set, and what an edit clears.
            if data[field] or (record is not None and record.data[field]):
                pairs.append((field, data[field]))
        if record is not None:
            params = dict(id=record.id, **params)
            pairs.insert(0, ("id", record.id))
        return params, format_command("save_contact", *pairs)

    def add(self, data, snapshot):
        params, command = self._request(data, snapshot)
        # Not idempotent: a retried insert could store the contact twice.
        return Operation("api-save_edit_contact", params, command, result=data, idempotent=False)

    def edit(self, record, data, snapshot):
        params, command = self._request(data, snapshot, record)
        return Operation("api-save_edit_contact", params, command, removes=[record], result=data)

    def delete(self, record, snapshot):
        return Operation("api-delete_contact", {"id": record.id},
                         format_command("delete_contact", ("id", record.id), ("name", self.key(record.data))),
                         removes=[record])

    def delete_all(self, records, snapshot):
        return Operation("api-delete_all_contact", None, "delete_all_contacts", removes=records)


def run(client, params, check_mode):
    return run_resource(ContactResource(), client, params, check_mode)
