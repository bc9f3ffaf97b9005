# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_phone: a phone's phonebook, P-values and passwords in one task, through one client.

Ansible costs ~22 ms of controller CPU per host and task before a module does anything (docs/performance.md),
so a role of three tasks per phone pays three times for work one worker can do. Here one task runs the engines
of gs_contacts, gs_pvalues and gs_password (the same engines, validated by the same argument specs) in the
role's order, with the rules its tasks used to spell in a ``block`` / ``rescue``:

- a failed phonebook does not hold back the P-values and passwords, which do not depend on it;
- a failure that would repeat on the next part (a refused login or certificate, an unreachable phone, a missing
  library: STOPPING_KINDS) stops the phone at once, so a refused password is never sent again;
- a phone whose P-values failed gets no new password (its configuration is in doubt).
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import (
    contacts_with_groups, desired_state, password, pvalues)
from ansible_collections.grandstream.phone.plugins.module_utils.connection import CONNECTION_KEYS
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine, engine_of
from ansible_collections.grandstream.phone.plugins.module_utils.errors import UNREACHABLE, ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.runner import as_unreachable, execute

# A failure of these kinds would repeat on the next part: it stops the phone (gs_fleet stops a phone on them too).
STOPPING_KINDS = ("auth", "locked", "tls", "dependency")
# The parts, in the order they run: (result key, the module whose engine runs it, that engine). The drift report
# lists each part under its module, as it lists that module's own task.
PARTS = (
    ("phonebook", "gs_contacts", contacts_with_groups),
    ("pvalues", "gs_pvalues", pvalues),
    ("admin_password", "gs_password", password),
    ("user_password", "gs_password", password),
)
PART_MODULES = {name: module for name, module, _engine in PARTS}
ENGINES = {name: engine_of(engine) for name, _module, engine in PARTS}
# After a failed part of these, the later parts do not run even when its kind would not repeat.
HOLDS_BACK_LATER_PARTS = ("pvalues",)

ARGUMENT_SPEC = dict(
    # The whole desired state from this host's variables, as the role reads them (options_from_variables).
    from_variables=dict(type="bool", default=False),
    # The options of gs_contacts and gs_pvalues (without the connection ones), validated by their own specs.
    phonebook=dict(type="dict"),
    pvalues=dict(type="dict"),
    # gs_password's new_password and current_password; each role given is set, one left out is left alone.
    admin_password=dict(type="raw", no_log=True),
    user_password=dict(type="raw", no_log=True),
    user_current_password=dict(type="raw", no_log=True),
)
PART_OPTIONS = ("phonebook", "pvalues", "admin_password", "user_password", "user_current_password")
RELATIONS = dict(required_by={"user_current_password": ("user_password",)},
                 mutually_exclusive=[("from_variables", option) for option in PART_OPTIONS])
# The variables options_from_variables reads, besides the P-value layers (desired_state.layer_variable_names).
PHONEBOOK_VARIABLES = desired_state.GROUP_LAYERS + desired_state.CONTACT_LAYERS + (
    "phone_groups_state", "phone_contacts_state")
SETTING_VARIABLES = ("phone_pvalues_update_secrets", "phone_pvalues_strict", "gs_model")
PASSWORD_VARIABLES = ("phone_admin_password", "phone_user_password", "phone_user_current_password")


def variables_read(read):
    """{name: value} of every variable options_from_variables needs that ``read(name)`` finds (a KeyError: not
    set): the named layers' list first, since it says which layers to read."""
    found = {}
    names = PHONEBOOK_VARIABLES + SETTING_VARIABLES + PASSWORD_VARIABLES + desired_state.layer_variable_names({})
    for name in names:
        try:
            found[name] = read(name)
        except KeyError:
            pass
    for name in desired_state.layer_variable_names(found):
        if name not in found:
            try:
                found[name] = read(name)
            except KeyError:
                pass
    return found


def options_from_variables(variables, defaults=None):
    """This task's options for a phone whose desired state is ``variables`` (templated), the role's defaults under
    them: the one mapping of the role's variables to the engines' options (gs_fleet reads it too).

    The phonebook with nothing desired and an empty password are given as the role gives them: the phonebook part
    then skips itself without contacting the phone, and an empty password leaves that password alone."""
    desired = dict(desired_state.ROLE_DEFAULTS if defaults is None else defaults)
    desired.update(variables)
    groups = _joined(desired, desired_state.GROUP_LAYERS)
    phonebook = {"config": _joined(desired, desired_state.CONTACT_LAYERS),
                 "state": desired["phone_contacts_state"], "groups_state": desired["phone_groups_state"]}
    # Groups given make the part manage them (stricter references): only when there are some, or to remove.
    if groups or desired["phone_groups_state"] == "overridden":
        phonebook["groups"] = groups
    layers = {name: desired[name] for name in desired_state.layer_variable_names(desired) if name in desired}
    options = {"phonebook": phonebook,
               "pvalues": {"layers": layers, "model": desired.get("gs_model") or None,
                           "update_secrets": desired["phone_pvalues_update_secrets"],
                           "strict": desired["phone_pvalues_strict"]}}
    for role in ("admin", "user"):
        if desired["phone_%s_password" % role] not in (None, ""):
            options["%s_password" % role] = desired["phone_%s_password" % role]
    if "user_password" in options and desired["phone_user_current_password"] not in (None, ""):
        options["user_current_password"] = desired["phone_user_current_password"]
    return options


def _joined(desired, names):
    """The lists of ``names`` (a site and a host variable) one after the other; not set is empty, and anything but
    a list is refused naming the variable (gs_validate says so first in the role)."""
    joined = []
    for name in names:
        value = desired.get(name)
        if value is None:
            continue
        if not isinstance(value, (list, tuple)):
            raise ValidationError("%s must be a list, not a %s" % (name, desired_state.kind_name(value)), field=name)
        joined.extend(value)
    return joined


def _password_options(params, role):
    new = params.get("%s_password" % role)
    if new is None:
        return None
    options = {"role": role, "new_password": new}
    if role == "user" and params.get("user_current_password") is not None:
        options["current_password"] = params["user_current_password"]
    return options


def part_options(params):
    """{part: its module's options, as given} for every part this task was asked for, in PARTS order."""
    given = {"phonebook": params.get("phonebook"), "pvalues": params.get("pvalues"),
             "admin_password": _password_options(params, "admin"), "user_password": _password_options(params, "user")}
    return {name: given[name] for name, _module, _engine in PARTS if given[name] is not None}


def _validated_parts(params, conn):
    """{part: (engine, its validated options with this task's connection)}: every problem of every part at once,
    each naming its part (``phonebook: ...``), before any request, so bad input leaves nothing half-changed."""
    connection = {key: params.get(key) for key in CONNECTION_KEYS}
    parts, problems = {}, []
    for name, options in part_options(params).items():
        engine = ENGINES[name]
        outcome = engine.validate_options(options)
        if outcome.error_messages:
            problems.extend("%s: %s" % (name, message) for message in outcome.error_messages)
            continue
        part = dict(connection, **outcome.validated_parameters)
        try:
            engine.precheck(part, conn)
        except ValidationError as error:
            problems.extend("%s: %s" % (name, message) for message in error.problems)
        parts[name] = (engine, part)
    if problems:
        raise ValidationError("; ".join(problems), field=problems[0].split(":", 1)[0], problems=problems)
    return parts


def _not_run(stopped_by):
    return {"changed": False, "skipped": True, "msg": "not run: the %s failed first" % stopped_by}


def _stops_later_parts(name, result):
    return bool(result.get(UNREACHABLE)) or result.get("error_kind") in STOPPING_KINDS \
        or name in HOLDS_BACK_LATER_PARTS


def needs_phone(params):
    """Whether any part needs the phone: with nothing desired anywhere no client is built, so a phone without a
    password (or with a wrong one) is not contacted, as each module alone would skip. Asked of the options as
    given (run() validates them once): an option left out makes the answer yes, never a wrong no, and options of
    the wrong kind need the phone as far as this question goes, since run() reports them before any request."""
    for name, options in part_options(params).items():
        try:
            if ENGINES[name].needs_phone(options):
                return True
        except (AttributeError, TypeError, ValidationError):
            return True
    return bool(params.get("from_variables"))


def run_parts(client, parts, check_mode, diff=True):
    """Run ``parts`` ([(name, engine, validated options)]) in order through one client, with the rules of the
    module docstring: ({name: result} of the parts run, [names of the failed ones], the name of the part that
    stopped the later ones or None). Results are not scrubbed: the caller scrubs what it keeps (gs_fleet runs its
    drift check's parts through this too)."""
    results, failures = {}, []
    for name, engine, options in parts:
        result = as_unreachable(execute(engine, options, check_mode, diff, client=client, scrub_result=False))
        results[name] = result
        if result.get("failed") or result.get(UNREACHABLE):
            failures.append(name)
            if _stops_later_parts(name, result):
                return results, failures, name
    return results, failures, None


def run(client, params, check_mode):
    if params.get("from_variables"):
        raise ValidationError("from_variables needs gs_phone's action plugin (it reads this host's variables)",
                              field="from_variables")
    # No client: no part needs the phone, so none is a password part (those always need it).
    parts = _validated_parts(params, client.conn if client is not None else None)
    # Scrubbed by the caller (runner.execute), with secret_values below: every part's secrets at once.
    ran, failures, stopped_by = run_parts(client, [(name, engine, options) for name, (engine, options)
                                                   in parts.items()], check_mode)
    results = {}
    for name in parts:
        if name not in ran:
            results[name] = _not_run(stopped_by)
            continue
        results[name] = ran[name]
        results[name].pop("requests", None)  # the client's counts so far: the task's own ``requests`` has them all
    return _summary(results, failures)


def _summary(results, failures):
    """The task's result: each part's under ``results``, and what the role and a reader need at the top."""
    pvalue_result = results.get("pvalues") or {}
    changed_parts = [name for name, result in results.items() if result.get("changed")]
    outcome = {
        "results": results,
        # A reboot still pending from an earlier run is a change this run has to make (the handler reboots).
        "changed": bool(changed_parts) or bool(pvalue_result.get("reboot_pending")),
        "reboot_required": bool(pvalue_result.get("reboot_required")),
        "reboot_pending": bool(pvalue_result.get("reboot_pending")),
        "unverified": list(pvalue_result.get("unverified") or []),
    }
    diffs = [results[name]["diff"] for name in results if results[name].get("diff")]
    if diffs:
        outcome["diff"] = diffs
    warnings = [warning for result in results.values() for warning in result.get("warnings") or []]
    if warnings:
        outcome["warnings"] = list(dict.fromkeys(warnings))
    if not failures:
        if results and all(result.get("skipped") for result in results.values()):
            # Nothing desired in any part: no phone was contacted, as each module reports it alone.
            outcome.update(skipped=True, msg="nothing desired: %s" % "; ".join(
                "%s: %s" % (name, result.get("msg")) for name, result in results.items()))
        elif not results:
            outcome["msg"] = "no part given (phonebook, pvalues, admin_password, user_password): nothing to do"
        else:
            outcome["msg"] = "changed: %s" % ", ".join(changed_parts) if changed_parts else "no change"
        return outcome
    first = results[failures[0]]
    ran_after = [name for name in results if name != failures[0] and not results[name].get("skipped")]
    message = first.get("msg", "failed")
    if failures[0] == "phonebook" and ran_after:
        message += " (the phonebook failed; %s still ran)" % ", ".join(ran_after)
    message += "".join("; %s also failed: %s" % (name, results[name].get("msg", "failed")) for name in failures[1:])
    outcome.update(failed=True, msg=message, error_kind=first.get("error_kind"), failed_parts=failures)
    if first.get("field"):
        outcome["field"] = "%s.%s" % (failures[0], first["field"])
    if first.get(UNREACHABLE) and len(failures) == 1:
        outcome[UNREACHABLE] = True  # the action plugin reports it unreachable only when nothing may have acted
    applied = ["%s: %s" % (name, item) for name, result in results.items() for item in result.get("applied") or []]
    if applied or any("applied" in result for result in results.values()):
        outcome["applied"] = applied
    return outcome


def secret_values(params):
    """Every part's secrets (secret P-values in ``pvalues.values`` and its layers): scrubbed from every output."""
    found = set()
    for name, options in part_options(params).items():
        if isinstance(options, dict):
            found.update(ENGINES[name].secret_values(options))
    return found


ENGINE = Engine("phone_state", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True, relations=RELATIONS,
                needs_phone=needs_phone, secret_values=secret_values)
