# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning for the phonebook resource engine (phonebook.py): snapshot + desired -> the minimal operations.

Pure functions over a ``Snapshot`` and a ``Resource``: what to add, edit and delete, what the phone
should hold afterwards, and the diff of it. Nothing here talks to a phone, so the engine can plan
again from a fresh read whenever a write's outcome is unknown.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError


def merge_entry(base, desired):
    """``base`` with every field ``desired`` sets (not None) taken from ``desired``."""
    merged = dict(base)
    merged.update((name, value) for name, value in desired.items() if value is not None and name in base)
    return merged


def _target(resource, state, record, entry, snapshot):
    """What ``record`` must hold for ``entry``: merged keeps what config leaves out, the others blank it."""
    base = record.data if state == "merged" else resource.blank(entry, snapshot)
    return merge_entry(base, entry)


def _best_copy(resource, state, entry, records, snapshot):
    """(record, target): the copy to keep of an entry the phone holds one or more times.

    The copy that already holds the target wins, then the one with the most fields right, then the
    first in the phone's order (the lowest id): so converging duplicates never rewrites a good copy.
    """
    def rank(position_and_record):
        position, record = position_and_record
        target = _target(resource, state, record, entry, snapshot)
        right = sum(1 for name, value in target.items() if record.data.get(name) == value)
        return (target != record.data, -right, position)

    unused_position, record = min(enumerate(records), key=rank)
    return record, _target(resource, state, record, entry, snapshot)


def plan(resource, state, desired, snapshot):
    """The minimal operations that take the phone from ``snapshot`` to ``state`` for ``desired``.

    Deletes come first (they free room on a full phonebook), then edits and adds in config order.
    A desired entry the phone holds more than once is drift too, for resources that say so
    (``converges_duplicates``): the best copy is kept (and edited if needed), the others deleted.
    """
    if state == "deleted":
        return _plan_deletes(resource, desired, snapshot)
    index = snapshot.index(resource)
    claimed = set()
    duplicates, changes = [], []
    for entry in desired:
        key = resource.key(entry)
        records = index.get(key)
        if not records and resource.previous_key(entry) is not None:
            records = index.get(resource.previous_key(entry))
        if not records:
            changes.append(resource.add(merge_entry(resource.blank(entry, snapshot), entry), snapshot))
            continue
        record, target = _best_copy(resource, state, entry, records, snapshot)
        claimed.add(id(record))
        if target != record.data:
            changes.append(resource.edit(record, target, snapshot))
        if resource.converges_duplicates:
            for other in records:
                if other is not record:
                    claimed.add(id(other))
                    duplicate = resource.delete(other, snapshot)
                    duplicate.kept = record
                    duplicates.append(duplicate)
    deletes = []
    if state == "overridden":
        deletes = [resource.delete(record, snapshot) for record in snapshot.records
                   if id(record) not in claimed and not resource.is_protected(record)]
    return duplicates + deletes + changes


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
    """Name the keys the phone holds more than once, for resources that do not converge them (groups:
    deleting a copy would move its contacts to ``default``): merged and replaced manage only the first."""
    if resource.converges_duplicates:
        return []
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
    """Diff of the changed entries only: {"before": {key: entry}, "after": {key: entry}}.

    A duplicate's delete shows the copy that is kept on both sides (or its edit), under the plain key,
    and the deleted copies numbered after it: ``Jack Brown``, ``Jack Brown (2)``.
    """
    before, after = {}, {}

    def show(operation):
        for record in operation.removes:
            _put_unique(before, resource.key(record.data), resource.present(record.data))
        if operation.result is not None:
            _put_unique(after, resource.key(operation.result), resource.present(operation.result))

    shown = set()
    for operation in operations:
        kept = operation.kept
        if kept is None or id(kept) in shown:
            continue
        shown.add(id(kept))
        edit = next((other for other in operations if other.result is not None and kept in other.removes), None)
        if edit is None:
            _put_unique(before, resource.key(kept.data), resource.present(kept.data))
            _put_unique(after, resource.key(kept.data), resource.present(kept.data))
        else:
            show(edit)
            shown.add(id(edit))
    for operation in operations:
        if id(operation) not in shown:
            show(operation)
    return {"before": before, "after": after}


def _put_unique(mapping, key, value):
    # Duplicates on the phone share a key; number them so the diff shows each one.
    name, number = key, 2
    while name in mapping:
        name, number = "%s (%d)" % (key, number), number + 1
    mapping[name] = value
