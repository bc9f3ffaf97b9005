# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is secret, how it is shown, and how a task's secret values are collected: written once.

- A P-value is secret when the catalog says so (``PValue.secret``, catalog.py): that flag is the one place
  to mark a value secret; the runner's scrub, every engine's masking, the generated JSON schema
  (``writeOnly``) and gs_export's vars files all read it through ``is_secret``.
- A variable or YAML key that is not a P-value is secret when its name looks like one (``SECRET_WORDS``).
- ``MASK`` is what every output shows instead of a secret. It is Ansible's own: ``remove_values`` (the
  no_log machinery of ``AnsibleModule``) puts the same eight stars where a no_log value was.
- ``values_in_pvalues`` collects the secret values of a P-value mapping; engines declare where their
  P-value mappings are (engine_contract.Engine ``secret_pvalues``), so one collector serves all of them.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog

MASK = "********"
# What --diff (and a password's "after") shows for a secret that is, or in check mode would be, written: still
# masked, but visibly different from the "before" side, so a secret-only change is not an empty diff.
SECRET_WRITTEN = MASK + " (written)"
# A written secret the phone could not confirm (pvalue_secrets.py): said so in the diff, too.
SECRET_UNVERIFIED = MASK + " (written, unverified)"
# Names of variables and YAML keys that hold secrets whatever their value (gs_password's options,
# gs_password, the WiFi key...), matched as parts of the lower-cased name.
SECRET_WORDS = ("password", "secret", "key")


def is_secret_name(*parts):
    """True when any part of a (variable) name looks like a secret's name."""
    return any(word in str(part).lower() for part in parts for word in SECRET_WORDS)


def is_secret_pvalue(name):
    """True when the catalog marks the P-value ``name`` (P34, 34, account1.password) secret."""
    entry = catalog.find(name)
    return entry is not None and entry.secret


def is_secret(name, pvalue=False):
    """Whether a value named ``name`` is secret: for a P-value the catalog decides (a name it does not know
    falls back to the words), otherwise the name's words."""
    if pvalue:
        entry = catalog.find(name)
        if entry is not None:
            return entry.secret
    return is_secret_name(name)


def values_in_pvalues(values):
    """The secret values of a P-value mapping ({name: value}), as strings; names the catalog cannot resolve
    and empty values are skipped (an empty secret hides nothing)."""
    found = set()
    for name, value in (values or {}).items() if isinstance(values, dict) else ():
        if value not in (None, "") and is_secret_pvalue(name):
            found.add(str(value))
    return found


def strings(values):
    """The non-empty strings of ``values`` (no_log values may be of any type; only strings can be scrubbed)."""
    return {value for value in values if isinstance(value, str) and value}
