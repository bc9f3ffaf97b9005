# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets in gs_pvalues: what a phone shows of them, when they are written, what a read-back proves.

No phone reads a secret's value back. Some show whether one is set (a mask for a set secret, ``""``
for an unset one); others read every secret back as ``""``, set or not (real-firmware-notes.md:
"empty or masked"). A phone shows which kind it is through its admin password (P2), which is never
empty on a phone one can log in to: read in the same request as the managed values, a non-empty P2
means "this phone shows which secrets are set". An empty one means it cannot tell (or hides even
that from this user): the safe reading, which never claims a secret is verified.

- Phone shows set secrets: ``on_create`` decides on the secret's own state. It writes a secret the
  phone does not have (or has, when the task wants it empty), and one whose ``renew_if_changed``
  sibling changes in the task. After the write, a secret that still reads back unset was dropped
  (``not_applied``, like any other dropped value). One that was set before and is written again
  cannot be told from the old one: it is reported ``unverified``.
- Phone reads every secret back empty: the phone cannot tell, so ``on_create`` falls back to the
  catalog's ``exists_if`` sibling (an account with a SIP user ID has a password) and every managed
  secret is reported ``unverified``, written or not.

Values are never compared or shown: only "set" / "unset" is used, and only here.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog

# The admin password: set on every phone one can log in to, so how it reads back shows how this phone
# reads back secrets.
READBACK_PROBE = catalog.BY_ALIAS["admin_password"].pname
SET, UNSET, UNKNOWN = "set", "unset", "unknown"
LOGIN_PASSWORDS = ("admin_password", "user_password")
LOGIN_PASSWORD_HINT = " (grandstream.phone.gs_password changes login passwords idempotently)"


def names_to_read(secret_entries):
    """What the read must include for these secrets: each one, its exists_if sibling and the probe."""
    names = []
    for entry in secret_entries:
        names.append(entry.pname)
        if entry.exists_if:
            names.append(catalog.BY_ALIAS[entry.exists_if].pname)
    if names:
        names.append(READBACK_PROBE)
    return names


class SecretView:
    """What this phone shows of its secrets, from the values read in the task's first request."""

    def __init__(self, current):
        self.current = current
        self.shows_set = bool(current.get(READBACK_PROBE))

    def state(self, entry):
        """SET, UNSET or UNKNOWN (the phone reads every secret back empty)."""
        if not self.shows_set:
            return UNKNOWN
        return SET if self.current.get(entry.pname) else UNSET

    def writes(self, item, update_secrets, changing_aliases):
        """Whether the task writes this secret (``item``: a Desired)."""
        entry = item.entry
        if update_secrets == "always" or changing_aliases.intersection(entry.renew_if_changed):
            return True
        state = self.state(entry)
        if state != UNKNOWN:
            return (state == SET) != (item.value != "")
        # The phone cannot tell: a sibling that is empty on the phone means "not set up yet".
        return bool(entry.exists_if) and not self.current.get(catalog.BY_ALIAS[entry.exists_if].pname, "")

    def write_reason(self, item, update_secrets, changing_aliases):
        """Why the task writes this secret (``writes`` said it does), in words for the drift report."""
        entry = item.entry
        state = self.state(entry)
        if state == SET and item.value == "":
            return "cleared: the phone has one set and the desired value is empty"
        if state == UNSET and item.value != "":
            return "written because the phone has none set"
        renewing = sorted(changing_aliases.intersection(entry.renew_if_changed))
        if renewing:
            return "written again because %s change%s" % (" and ".join(renewing), "" if len(renewing) > 1 else "s")
        if update_secrets == "always":
            return "written because update_secrets=always"
        return "written because %s is empty on the phone (not set up yet)" % entry.exists_if

    def unwritable_warning(self, entry, managed_aliases):
        """A warning when on_create can never write this secret as the task stands, else None."""
        login_password = entry.alias in LOGIN_PASSWORDS
        if self.shows_set:
            if not login_password:
                return None  # written whenever the phone has none
            return ("%s was not written: a login password is always set, so update_secrets=on_create never "
                    "writes it; update_secrets=always writes it%s" % (entry.label, LOGIN_PASSWORD_HINT))
        if entry.exists_if or managed_aliases.intersection(entry.renew_if_changed):
            return None
        hint = ""
        if login_password:
            hint = LOGIN_PASSWORD_HINT
        elif entry.renew_if_changed:
            hint = " or when %s changes in the same task" % " / ".join(entry.renew_if_changed)
        return ("%s was not written: it is write-only and this phone does not show whether it is set; "
                "update_secrets=always writes it%s" % (entry.label, hint))

    def judge_written(self, item, read_back):
        """After writing ``item``: "applied", "dropped" (not_applied) or "unverified"."""
        if not self.shows_set:
            return "unverified"
        now_set, wanted_set = bool(read_back.get(item.entry.pname)), item.value != ""
        if now_set != wanted_set:
            return "dropped"
        if self.state(item.entry) == SET and wanted_set:
            return "unverified"  # set before and after: the new value cannot be told from the old
        return "applied"


def unverified_warning(items, view):
    """The warning for written secrets whose arrival the phone could not confirm."""
    why = ("the phone shows only that a value is set, not which" if view.shows_set
           else "this phone reads secrets back empty whether they are set or not")
    return ("%s written but not verified: %s" % (", ".join(item.entry.label for item in items), why))
