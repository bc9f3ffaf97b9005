# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_pvalues: declarative P-values with one read, one write and one read-back at most.

1. Validate every name and value against the catalog before any request; report all problems at once.
   ``layers`` (the role's P-value layer variables) are merged first, by desired_state.merged_pvalues; a model
   layer whose model is not given is resolved in step 2 (the names of every model's entry are read too).
2. Read the managed values (plus the model, P89, and the siblings secrets depend on) in one chunked read.
3. Diff in normalised form (``true`` and ``"1"`` are equal for a switch, ``tls`` and ``2`` for the transport).
4. Write only what differs, in one POST form body; read the written values back and fail naming the
   values the phone silently dropped.

Secrets are never compared: a phone shows at most whether one is set, and ``update_secrets`` decides
when they are written (pvalue_secrets.py); a secret the phone cannot confirm is listed as ``unverified``,
never as applied. Secret values never leave this module: every returned or raised structure shows
them as ``********``.

A value that needs a reboot leaves a controller-side marker before it is sent (reboot_pending.py), so a
reboot that fails or never runs is not forgotten: while the marker exists the result says
``reboot_pending`` (and ``reboot_required``), until gs_sysop's reboot removes it.
"""

from __future__ import annotations

__metaclass__ = type

import time

from ansible_collections.grandstream.phone.plugins.module_utils import catalog, desired_state, firmware_plan
from ansible_collections.grandstream.phone.plugins.module_utils import pvalue_secrets, secrets
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.pvalue_rules import prepare, raise_all, set_command
from ansible_collections.grandstream.phone.plugins.module_utils.reboot_pending import RebootMarkers, pending_marker
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import MASK, SECRET_UNVERIFIED, SECRET_WRITTEN

MODEL_PVALUE = catalog.MODEL_PVALUE
UPDATE_SECRETS = ("on_create", "always")

ARGUMENT_SPEC = dict(
    values=dict(type="dict"),
    layers=dict(type="dict"),
    model=dict(type="str"),
    update_secrets=dict(type="str", default="on_create", choices=list(UPDATE_SECRETS)),
    strict=dict(type="bool", default=False),
)
OPTION_RELATIONS = dict(mutually_exclusive=[("values", "layers")], required_one_of=[("values", "layers")],
                        required_by={"model": ("layers",)})
NOTHING_DESIRED = ("no P-values desired (values, or layers merged, empty): nothing to compare, the phone was not "
                   "contacted")
NOTHING_FOR_MODEL = "no P-values desired for this phone's model %s: nothing to compare, nothing written"


def _model_to_learn(params):
    """``layers`` with a model layer and no ``model``: the task learns the model from its own read."""
    layers = params.get("layers")
    return layers is not None and not params.get("model") and bool(desired_state.model_layers(layers))


def _given_values(params):
    """The P-values asked for when no model is left to learn: ``values``, or ``layers`` merged for ``model``."""
    if params.get("layers") is None:
        return params.get("values") or {}
    return desired_state.merged_pvalues(params["layers"], model=params.get("model") or None)


def needs_phone(params):
    """Nothing desired has nothing to compare: the task contacts no phone and reports itself skipped."""
    try:
        return _model_to_learn(params) or bool(_given_values(params))
    except ValidationError:
        return True  # run() raises it, naming the layer, before any request


def precheck(params, conn):
    """Every name and value checked against the catalog, as run checks them before its first request (each model's
    merge while the model is still to learn): gs_phone refuses bad P-values before its phonebook part acts."""
    strict = params.get("strict", False)
    if not _model_to_learn(params):
        prepare(_given_values(params), strict)
        return
    for model in [None] + list(desired_state.model_layers(params["layers"])):
        prepare(desired_state.merged_pvalues(params["layers"], model=model), strict)


def _layer_secrets(params):
    """Secret P-values in ``layers`` (every model's entry too): scrubbed from every output like ``values``'."""
    found = set()
    for name, layer in (params.get("layers") or {}).items():
        entries = layer.values() if name == desired_state.MODEL_LAYERS and isinstance(layer, dict) else [layer]
        for entry in entries:
            if isinstance(entry, dict):
                found.update(secrets.values_in_pvalues(entry))
    return found


def _names_to_read(desired):
    """Non-secret managed names, what the secrets need (see pvalue_secrets), the model and, for gs_health's
    firmware compliance at no extra request, the firmware version and hardware revision: one chunked read."""
    names = [item.entry.pname for item in desired if not item.entry.secret]
    names.extend(pvalue_secrets.names_to_read([item.entry for item in desired if item.entry.secret]))
    names.append(MODEL_PVALUE)
    names.extend(firmware_plan.IDENTITY_NAMES)
    return list(dict.fromkeys(names))


def _check_model(desired, current, host):
    model = catalog.model_of(current.get(MODEL_PVALUE))
    if model is None:
        return None  # not a model we know: trust the user rather than refuse
    errors = [("values.%s" % item.given, "values.%s: %s is not available on a %s (catalogued for %s)"
               % (item.given, item.entry.label, model, ", ".join(item.entry.models)))
              for item in desired if model not in item.entry.models]
    try:
        raise_all(errors)
    except ValidationError as error:
        error.host = host
        raise
    return model


def plan(desired, current, update_secrets):
    """Compare desired with current values; return (changes, before, after, warnings, unverified), all masked.

    ``unverified``: the managed secrets whose state this phone cannot show (pvalue_secrets).
    """
    before, after, changes, warnings, unverified = {}, {}, {}, [], []
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
    view = pvalue_secrets.SecretView(current)
    for item in desired:
        if not item.entry.secret:
            continue
        before[item.entry.key] = after[item.entry.key] = MASK
        if not view.shows_set:
            unverified.append(item.entry.label)
        if view.writes(item, update_secrets, changing_aliases):
            changes[item.entry.key] = {"pvalue": item.entry.pname, "before": MASK, "after": MASK, "secret": True,
                                       "reason": view.write_reason(item, update_secrets, changing_aliases)}
        elif update_secrets == "on_create":
            warning = view.unwritable_warning(item.entry, managed_aliases)
            if warning:
                warnings.append(warning)
    return changes, before, after, warnings, unverified


def _diff(changes, unverified_keys=()):
    def shown_after(key, change):
        if not change.get("secret"):
            return change["after"]
        return SECRET_UNVERIFIED if key in unverified_keys else SECRET_WRITTEN

    return {"before": {key: change["before"] for key, change in changes.items()},
            "after": {key: shown_after(key, change) for key, change in changes.items()}}


def _verify(client, desired, changes, view):
    """Read back what was written: (applied, dropped, unverified) lists of Desired.

    Non-secret values must read back equal; secrets only as set or unset, where the phone shows that.
    """
    written = [item for item in desired if item.entry.key in changes]
    readable = [item for item in written if not item.entry.secret or view.shows_set]
    stuck = client.get_values([item.entry.pname for item in readable]) if readable else {}
    applied, dropped, unverified = [], [], []
    for item in written:
        if item.entry.secret:
            outcome = view.judge_written(item, stuck)
        elif item.entry.kind.normalise_current(stuck.get(item.entry.pname, "")) == item.value:
            outcome = "applied"
        else:
            outcome = "dropped"
        {"applied": applied, "dropped": dropped, "unverified": unverified}[outcome].append(item)
    return applied, dropped, unverified


def _labels(items):
    return [item.entry.label for item in items]


def _not_applied(client, written, applied, dropped, unverified_labels, reboot_pending):
    return PhoneError(
        "%d of %d written value(s) did not stick (the phone answered success but dropped them; firmware "
        "silently drops read-only, out-of-range and over-length values): %s"
        % (len(dropped), len(written), ", ".join(_labels(dropped))),
        host=client.conn.label, kind="not_applied",
        # changed: the write reached the phone, even when nothing of it stuck.
        details={"changed": True, "not_applied": _labels(dropped), "applied": _labels(applied),
                 "unverified": unverified_labels, "reboot_pending": reboot_pending,
                 "reboot_required": reboot_pending or any(item.entry.reboot_required for item in applied)})


def _keep_session_after_password_change(client, desired, changes):
    """Writing the connection user's own login password: later tasks must log in with the new one."""
    own = {"admin": "admin_password", "user": "user_password"}.get(client.conn.username)
    for item in desired:
        if item.entry.alias == own and own in changes and item.value != client.conn.password:
            client.remember_password(item.value, client.conn.password)


def _pending_fields(marker):
    """Result keys describing a pending reboot (the marker's value names and since when)."""
    if marker is None:
        return {"reboot_pending": False}
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(float(marker.get("since") or 0)))
    return {"reboot_pending": True, "reboot_pending_values": list(marker["values"]), "reboot_pending_since": since}


def _apply(client, desired, changes, view, pending, markers, unverified_labels):
    """Write the changes (the reboot marker first), read them back; returns (pending marker, written unverified).

    Raises not_applied naming the values the phone dropped (and every secret that stays unverified).
    """
    label = client.conn.label
    reboot_items = [item for item in desired if item.entry.reboot_required and item.entry.key in changes]
    if reboot_items:
        markers.record(label, _labels(reboot_items), previous=pending)  # before the write: a crash keeps it
    client.post_values({item.entry.pname: item.value for item in desired if item.entry.key in changes})
    _keep_session_after_password_change(client, desired, changes)
    applied, dropped, unverified = _verify(client, desired, changes, view)
    if reboot_items:
        stuck = _labels(item for item in applied if item.entry.reboot_required)
        # Recorded again after the write: the uptime check compares with the time the phone had it.
        if stuck or pending:
            pending = markers.record(label, stuck, previous=pending)
        else:
            markers.forget(label)  # every reboot-needing value was dropped: nothing waits for a reboot
    if dropped:
        all_unverified = list(dict.fromkeys(unverified_labels + _labels(unverified)))
        raise _not_applied(client, applied + dropped + unverified, applied, dropped, all_unverified,
                           pending is not None)
    return pending, unverified


def _learned_model(client, current):
    """The model the phone told in this task's session: the dialect's facts (current firmware's unauthenticated
    model.define.js, no request of its own), else P89 of the read. Fails naming the phone and the variable."""
    reported = (client.phone_facts().get("model") or current.get(MODEL_PVALUE) or "").strip()
    if not reported:
        raise PhoneError("%s is set, but the phone reported no model to choose its entry (P89 is empty): set "
                         "gs_model for this phone" % desired_state.MODEL_LAYERS, host=client.conn.label,
                         kind="not_a_phone")
    return catalog.model_of(reported) or reported


def _desired_and_current(client, params, strict):
    """(desired, current or None, learned model or None). With a model to learn, one read of the names every
    model's merge needs (P89 among them), then the merge for the model found: the same one request as without."""
    if not _model_to_learn(params):
        return prepare(_given_values(params), strict), None, None
    layers = params["layers"]
    candidates = [None] + list(desired_state.model_layers(layers))
    names = [name for model in candidates
             for name in _names_to_read(prepare(desired_state.merged_pvalues(layers, model=model), strict))]
    current = client.get_values(list(dict.fromkeys(names)))
    model = _learned_model(client, current)
    return prepare(desired_state.merged_pvalues(layers, model=model), strict), current, model


def run(client, params, check_mode):
    strict = params.get("strict", False)
    desired, current, learned = _desired_and_current(client, params, strict)
    update_secrets = params.get("update_secrets") or "on_create"
    if not desired:
        msg = NOTHING_DESIRED if current is None else NOTHING_FOR_MODEL % learned
        return {"changed": False, "skipped": current is None, "msg": msg, "before": {}, "after": {}, "changes": {},
                "commands": [], "reboot_required": False, "reboot_pending": False, "unverified": []}

    if current is None:
        current = client.get_values(_names_to_read(desired))
    model = _check_model(desired, current, client.conn.label)
    markers = RebootMarkers()
    pending = earlier = pending_marker(markers, client, check_mode)
    changes, before, after, warnings, unverified = plan(desired, current, update_secrets)
    written = {item.entry.pname: item.value for item in desired if item.entry.key in changes}
    result = {"changed": bool(changes), "before": before, "after": after, "changes": changes,
              "commands": [set_command(written)] if written else [],
              "reboot_required": any(item.entry.reboot_required and item.entry.key in changes for item in desired)}
    if model:
        result["model"] = model
    layer_model = learned or params.get("model")
    if layer_model and layer_model in desired_state.model_layers(params.get("layers") or {}):
        result["model_layer"] = layer_model
    result["firmware"] = firmware_plan.reported(current, client.phone_facts())
    written_unverified = []
    if changes and not check_mode:
        view = pvalue_secrets.SecretView(current)
        pending, written_unverified = _apply(client, desired, changes, view, pending, markers, unverified)
        if written_unverified:
            warnings.append(pvalue_secrets.unverified_warning(written_unverified, view))
    result["unverified"] = list(dict.fromkeys(unverified + _labels(written_unverified)))
    result.update(_pending_fields(pending))
    result["reboot_required"] = result["reboot_required"] or result["reboot_pending"]
    if earlier is not None:
        warnings.append("reboot pending since %s: %s was written and the phone has not rebooted since"
                        % (result["reboot_pending_since"], ", ".join(pending["values"])))
    if warnings:
        result["warnings"] = warnings
    if changes:
        result["diff"] = _diff(changes, {item.entry.key for item in written_unverified})
    return result


ENGINE = Engine("pvalues", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True, needs_phone=needs_phone,
                relations=OPTION_RELATIONS, secret_pvalues=[("values",)], secret_values=_layer_secrets,
                precheck=precheck)
