# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rule of a P-value mapping ({name: value}), checked before any request: every name resolved by the
catalog, every value normalised by its kind, every problem reported at once and no secret quoted.

gs_pvalues, gs_render, gs_firmware's server values and the role's validation (gs_validate) all check
P-values with these.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK, is_secret
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import InvalidValue


class Desired:
    """One value the user asked for: the catalog entry, the name as given and the normalised value."""

    __slots__ = ("entry", "given", "value")

    def __init__(self, entry, given, value):
        self.entry = entry
        self.given = given
        self.value = value


def _resolve_all(values, strict, path):
    """(desired, errors): every value resolved and normalised, every problem as (field, message)."""
    desired, errors, seen = [], [], {}
    for given, raw in (values or {}).items():
        field = "%s.%s" % (path, given)
        try:
            entry = catalog.resolve(given, field=field, strict=strict)
        except ValidationError as error:
            errors.append((field, error.message))
            continue
        if entry.read_only:
            errors.append((field, "%s: %s is read-only on the phone and cannot be set" % (field, entry.label)))
            continue
        if entry.number in seen:
            errors.append((field, "%s: names the same P-value as %s.%s (%s); give it once"
                           % (field, path, seen[entry.number], entry.label)))
            continue
        seen[entry.number] = given
        try:
            value = entry.kind.normalise(raw)
        except InvalidValue as error:
            shown = "" if entry.secret else ", got %s" % _shorten(raw)
            errors.append((field, "%s: %s%s" % (field, error, shown)))
            continue
        desired.append(Desired(entry, str(given), value))
    return desired, errors


def prepare(values, strict=False):
    """Resolve and normalise ``values``; raise one ValidationError listing every problem found."""
    desired, errors = _resolve_all(values, strict, "values")
    raise_all(errors)
    return desired


def validation_errors(values, path="values", strict=False):
    """Every problem in a values mapping as ``path.name: message`` strings (gs_validate uses this)."""
    return [message for _field, message in _resolve_all(values, strict, path)[1]]


def _shorten(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else "%s...%s (%d characters)" % (text[:limit - 10], text[-4:], len(str(value)))


def raise_all(errors):
    if not errors:
        return
    if len(errors) == 1:
        raise ValidationError(errors[0][1], field=errors[0][0])
    raise ValidationError("%d invalid values: %s" % (len(errors), "; ".join(message for _field, message in errors)),
                          field=errors[0][0])


def set_command(values):
    """How one write of ``{name: value}`` is shown in ``commands``: ``set P30=pool.ntp.org, P34=********``."""
    return "set %s" % ", ".join("%s=%s" % (name, MASK if is_secret(name, pvalue=True) else value)
                                for name, value in values.items())
