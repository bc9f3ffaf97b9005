# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_pvalues: declarative P-values with one read, one write and one read-back at most.

1. Validate every name and value against the catalog before any request; report all problems at once.
2. Read the managed values (plus the model, P89, and the siblings secrets depend on) in one chunked read.
3. Diff in normalised form (``true`` and ``"1"`` are equal for a switch, ``tls`` and ``2`` for the transport).
4. Write only what differs, in one POST form body; read the written values back and fail naming the
   values the phone silently dropped.

Secrets read back empty on real firmware, so they are never compared; ``update_secrets`` decides
when they are written (see ``_writes_secret``). Secret values never leave this module: every
returned or raised structure shows them as ``********``.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import InvalidValue

MASK = "********"
# What --diff shows for a secret that is (or in check mode would be) written: still masked, but
# visibly different from the "before" side, so a secret-only change is not an empty diff.
SECRET_WRITTEN = MASK + " (written)"
MODEL_PVALUE = "P89"
UPDATE_SECRETS = ("on_create", "always")

ARGUMENT_SPEC = dict(
    values=dict(type="dict", required=True),
    update_secrets=dict(type="str", default="on_create", choices=list(UPDATE_SECRETS)),
    strict=dict(type="bool", default=False),
)
USES_CONNECTION = True


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
    _raise_all(errors)
    return desired


def validation_errors(values, path="values", strict=False):
    """Every problem in a values mapping as ``path.name: message`` strings (gs_validate uses this)."""
    return [message for _field, message in _resolve_all(values, strict, path)[1]]


def _shorten(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else "%s...%s (%d characters)" % (text[:limit - 10], text[-4:], len(str(value)))


def _raise_all(errors):
    if not errors:
        return
    if len(errors) == 1:
        raise ValidationError(errors[0][1], field=errors[0][0])
    raise ValidationError("%d invalid values: %s" % (len(errors), "; ".join(message for _field, message in errors)),
                          field=errors[0][0])


def secret_values(params):
    """The secret strings in this task's arguments, for the runner's defence-in-depth scrub."""
    secrets = set()
    for given, raw in (params.get("values") or {}).items():
        try:
            entry = catalog.resolve(given)
        except ValidationError:
            continue
        if entry.secret and raw not in (None, ""):
            secrets.add(str(raw))
    return secrets


def _names_to_read(desired):
    """Non-secret managed names, the siblings secrets depend on, and the model: one chunked read."""
    names = [item.entry.pname for item in desired if not item.entry.secret]
    for item in desired:
        if item.entry.secret and item.entry.exists_if:
            names.append(catalog.BY_ALIAS[item.entry.exists_if].pname)
    names.append(MODEL_PVALUE)
    return list(dict.fromkeys(names))


def _check_model(desired, current, host):
    model = catalog.model_of(current.get(MODEL_PVALUE))
    if model is None:
        return None  # not a model we know: trust the user rather than refuse
    errors = [("values.%s" % item.given, "values.%s: %s is not available on a %s (catalogued for %s)"
               % (item.given, item.entry.label, model, ", ".join(item.entry.models)))
              for item in desired if model not in item.entry.models]
    try:
        _raise_all(errors)
    except ValidationError as error:
        error.host = host
        raise
    return model


def _writes_secret(entry, update_secrets, current, changing_aliases):
    """Whether a secret is written this run.

    ``always``: every run. ``on_create``: the phone cannot tell us whether a secret is set (it reads
    back empty either way), so the catalog names siblings that can: the secret is written when its
    ``exists_if`` sibling is empty on the phone (e.g. account 1 has no SIP user ID yet: a new account),
    or when a ``renew_if_changed`` sibling changes in this task (new server / user / auth ID: new
    credentials). No controller-side state is kept.
    """
    if update_secrets == "always":
        return True
    if entry.exists_if and not current.get(catalog.BY_ALIAS[entry.exists_if].pname, ""):
        return True
    return bool(changing_aliases.intersection(entry.renew_if_changed))


def _unwritable_secret_warning(entry, managed_aliases):
    """A warning when on_create can never write this secret as the task stands."""
    if entry.exists_if or managed_aliases.intersection(entry.renew_if_changed):
        return None
    hint = ""
    if entry.alias in ("admin_password", "user_password"):
        hint = " (grandstream.phone.gs_password changes login passwords idempotently)"
    elif entry.renew_if_changed:
        hint = " or when %s changes in the same task" % " / ".join(entry.renew_if_changed)
    return ("%s was not written: it is write-only and nothing on the phone shows whether it is set; "
            "update_secrets=always writes it%s" % (entry.label, hint))


def plan(desired, current, update_secrets):
    """Compare desired with current values; return (changes, before, after, warnings), all masked."""
    before, after, changes, warnings = {}, {}, {}, []
    changing_aliases = set()
    for item in desired:
        if item.entry.secret:
            continue
        now = item.entry.kind.normalise_current(current.get(item.entry.pname, ""))
        before[item.entry.key] = now
        after[item.entry.key] = item.value
        if now != item.value:
            changes[item.entry.key] = {"pvalue": item.entry.pname, "before": now, "after": item.value}
            changing_aliases.add(item.entry.alias)
    managed_aliases = {item.entry.alias for item in desired}
    for item in desired:
        if not item.entry.secret:
            continue
        before[item.entry.key] = after[item.entry.key] = MASK
        if _writes_secret(item.entry, update_secrets, current, changing_aliases):
            changes[item.entry.key] = {"pvalue": item.entry.pname, "before": MASK, "after": MASK, "secret": True}
        elif update_secrets == "on_create":
            warning = _unwritable_secret_warning(item.entry, managed_aliases)
            if warning:
                warnings.append(warning)
    return changes, before, after, warnings


def _diff(changes):
    return {"before": {key: change["before"] for key, change in changes.items()},
            "after": {key: SECRET_WRITTEN if change.get("secret") else change["after"]
                      for key, change in changes.items()}}


def _verify(client, desired, changes):
    """Read back the written non-secret values; raise not_applied naming the ones that did not stick."""
    written = [item for item in desired if item.entry.key in changes]
    readable = [item for item in written if not item.entry.secret]
    stuck = client.get_values([item.entry.pname for item in readable]) if readable else {}
    dropped = [item for item in readable
               if item.entry.kind.normalise_current(stuck.get(item.entry.pname, "")) != item.value]
    if not dropped:
        return
    applied = [item for item in written if item not in dropped]
    raise PhoneError(
        "%d of %d written value(s) did not stick (the phone answered success but dropped them; firmware "
        "silently drops read-only, out-of-range and over-length values): %s"
        % (len(dropped), len(written), ", ".join(item.entry.label for item in dropped)),
        host=client.conn.label, kind="not_applied",
        details={"not_applied": [item.entry.label for item in dropped],
                 "applied": [item.entry.label for item in applied],
                 "reboot_required": any(item.entry.reboot_required for item in applied)})


def _keep_session_after_password_change(client, desired, changes):
    """Writing the connection user's own login password: later tasks must log in with the new one."""
    own = {"admin": "admin_password", "user": "user_password"}.get(client.conn.username)
    for item in desired:
        if item.entry.alias == own and own in changes and item.value != client.conn.password:
            client.remember_password(item.value, client.conn.password)


def run(client, params, check_mode):
    desired = prepare(params["values"], params.get("strict", False))
    update_secrets = params.get("update_secrets") or "on_create"
    if not desired:
        return {"changed": False, "before": {}, "after": {}, "changes": {}}

    current = client.get_values(_names_to_read(desired))
    model = _check_model(desired, current, client.conn.label)
    changes, before, after, warnings = plan(desired, current, update_secrets)
    result = {"changed": bool(changes), "before": before, "after": after, "changes": changes,
              "reboot_required": any(item.entry.reboot_required and item.entry.key in changes for item in desired)}
    if model:
        result["model"] = model
    if warnings:
        result["warnings"] = warnings
    if changes:
        result["diff"] = _diff(changes)
    if changes and not check_mode:
        client.post_values({item.entry.pname: item.value for item in desired if item.entry.key in changes})
        _keep_session_after_password_change(client, desired, changes)
        _verify(client, desired, changes)
    return result
