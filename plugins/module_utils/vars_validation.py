# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_validate: check a phone's desired-state variables before any phone is touched.

Every stage runs and every problem is reported at once, each as ``path: message`` in the words the
modules use (vars_messages.py): JSON Schema (draft 2020-12, schemas/phone.schema.json) checks shapes;
the phonebook engines check contacts and groups with their own rules; every contact's group must be
one phone_groups creates or a built-in one; the P-value catalog checks each P-value name and value.
Messages about secrets never quote the value.

With ``hosts`` one task checks a whole batch and says, per host, what stops it (``stopped``): in a
drift check (check mode) only the invalid hosts, in an apply run every host of the batch, so no phone
is touched while another one's variables are wrong.
"""

from __future__ import annotations

__metaclass__ = type

import functools
import json
import os
import re

try:
    import jsonschema
    HAS_JSONSCHEMA = True
except ImportError:  # pragma: no cover - reported when used
    HAS_JSONSCHEMA = False

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.contacts import ContactResource
from ansible_collections.grandstream.phone.plugins.module_utils import desired_state
from ansible_collections.grandstream.phone.plugins.module_utils.desired_state import (
    CONTACT_LAYERS, GROUP_LAYERS, MODEL_LAYERS, NAMED_LAYER, NAMED_LAYERS_LIST as NAMED_LAYERS, PVALUE_MAPPINGS,
    is_pvalue_layer)
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine, never
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_fields import BUILTIN_NAMES
from ansible_collections.grandstream.phone.plugins.module_utils.pvalue_rules import validation_errors as pvalue_errors
from ansible_collections.grandstream.phone.plugins.module_utils.secrets import is_secret_name, is_secret_pvalue
from ansible_collections.grandstream.phone.plugins.module_utils.vars_messages import (
    did_you_mean, located, quoted, schema_messages)

ARGUMENT_SPEC = dict(
    # Filled from the host's variables by the action plugin when omitted.
    data=dict(type="dict"),
    # With the action plugin, data then maps each of these hosts to its variables.
    hosts=dict(type="list", elements="str"),
    schema=dict(type="path"),
    name=dict(type="str", default="vars"),
    # With hosts: return what stops each host instead of failing this one task (a following per-host
    # task fails each host with its own problems; the role does this).
    report_per_host=dict(type="bool", default=False),
    # {host: {variable: "file:line"}}, where each variable was set: filled by the action plugin.
    sources=dict(type="dict"),
)

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "schemas")
DEFAULT_SCHEMA = os.path.join(SCHEMA_DIR, "phone.schema.json")
# The layers (their names, their merge order) are the desired-state model's (desired_state.py).
PVALUE_LAYERS = PVALUE_MAPPINGS
# Schema rules the phonebook engines also check, in the words of gs_contacts / gs_group: theirs are shown.
_ENGINE_RULES = ("pattern", "maxLength", "minLength", "required")
_NAMED_HOSTS = 5


# The variables validated per host (is_phone_variable): the role's phone_* and the connection's gs_*, not the
# role's own results.
is_phone_variable = desired_state.is_phone_variable


def _is_secret_path(path):
    """Password-like variable names, and P-values the catalog marks secret however they are named (P34)."""
    parts = [str(part) for part in path]
    if is_secret_name(*parts):
        return True
    if len(parts) >= 3 and parts[0] == MODEL_LAYERS:
        return is_secret_pvalue(parts[2])
    return len(parts) >= 2 and is_pvalue_layer(parts[0]) and is_secret_pvalue(parts[1])


def secret_values(params, memo=None):
    """Values of every password-like variable, so the runner scrubs them from any output.

    ``memo``: a ValidationMemo of the batch; a variable's value shared by many hosts (a group layer) is walked
    once (what it holds depends only on its name and the value)."""
    found = []
    for variables in _variable_sets(params).values():
        for key, value in (variables if isinstance(variables, dict) else {}).items():
            if memo is None or not isinstance(value, (dict, list)):
                found.extend(_secrets_in(value, (key,)))
            else:
                found.extend(memo.get(("secrets", key), value, lambda: _secrets_in(value, (key,))))
    return found


def _secrets_in(value, path):
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,))
        elif isinstance(value, list):
            for item in value:
                walk(item, path)
        elif isinstance(value, str) and _is_secret_path(path):
            found.append(value)

    walk(value, path)
    return found


def _variable_sets(params):
    """{label: variables}: one set, or one per host when ``hosts`` is given."""
    data = params.get("data") or {}
    if params.get("hosts") is None:
        return {params.get("name") or "vars": data}
    return {host: data.get(host) for host in params["hosts"]}


def _catalog_errors(pvalues, path):
    return pvalue_errors(pvalues, path=path)


@functools.lru_cache(maxsize=8)
def _validator(schema_path):
    # Loaded once per process: one task may validate a whole play's hosts.
    with open(schema_path, encoding="utf-8") as handle:
        return jsonschema.Draft202012Validator(json.load(handle))


def _entries(data, layer):
    """The entries of a contacts or groups layer when every one is a mapping (else the schema speaks)."""
    items = data.get(layer)
    if isinstance(items, list) and all(isinstance(item, dict) for item in items):
        return items
    return None


def _engine_problems(resource, items, state, layer):
    try:
        resource.validate(items, state, option=layer)
    except ValidationError as error:
        return error.problems
    return []


class ValidationMemo:
    """What validating a value gave, kept for one batch of hosts: most phones share their group layers (the same
    objects in every host's variables), so each shared layer is checked once per batch, not once per host.

    Keyed by the value's identity, and holding the value, so its id cannot be reused by another object while the
    memo lives; nothing may change a host's variables during the batch (the engines validate copies). Results
    are the same as without the memo: every stage that reads one variable only is memoised per variable, the
    stages across variables (group references, layer lists) run per host.
    """

    def __init__(self):
        self._found = {}

    def get(self, kind, value, compute):
        """compute() (a list), or what it gave for this very ``value`` object and ``kind`` before."""
        key = (kind, id(value))
        found = self._found.get(key)
        if found is None or found[0] is not value:
            found = (value, tuple(compute()))
            self._found[key] = found
        return list(found[1])


def _memoised(memo, kind, value, compute):
    return compute() if memo is None else memo.get(kind, value, compute)


@functools.lru_cache(maxsize=8)
def _schema_keys(schema_path):
    """(property names, patterns of pattern properties) of the schema's top level."""
    schema = _validator(schema_path).schema
    return frozenset(schema.get("properties") or {}), tuple(schema.get("patternProperties") or {})


def _schema_problems(data, schema_path, engine_layers, memo=None):
    if memo is None or not all(isinstance(name, str) for name in data):
        return _problems_of(_validator(schema_path).iter_errors(data), engine_layers)
    # The top level has no keyword across variables (no required, no dependencies: a test keeps it so), so each
    # variable's errors are those of a mapping of it alone; unknown names give the one additionalProperties error.
    names, patterns = _schema_keys(schema_path)
    known = sorted(name for name in data if name in names or any(re.search(pattern, name) for pattern in patterns))
    listed = set(known)
    unknown = {name: value for name, value in data.items() if name not in listed}
    # Errors are sorted by path: the root's (unknown names) first, then by variable name.
    problems = _problems_of(_validator(schema_path).iter_errors(unknown), engine_layers) if unknown else []
    for name in known:
        problems.extend(memo.get(("schema", schema_path, name, name in engine_layers), data[name], lambda: _problems_of(
            _validator(schema_path).iter_errors({name: data[name]}), engine_layers)))
    return problems


def _problems_of(errors, engine_layers):
    problems = []
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        layer = path[0] if path else None
        if layer in engine_layers and error.validator in _ENGINE_RULES:
            continue  # the engine's message says the same in the module's words
        if (is_pvalue_layer(layer) or layer == MODEL_LAYERS) and "propertyNames" in error.schema_path:
            continue  # the catalog names an unknown P-value, with its likely meaning
        problems.extend(located(where, message) for where, message in schema_messages(error, _is_secret_path(path)))
    return problems


def _group_reference_problems(data):
    """A contact's group must be built in or in phone_groups / phone_host_groups: the role creates no other."""
    if data.get("phone_contacts_state") == "deleted":
        return []
    declared = {str(item.get("name")).strip() for layer in GROUP_LAYERS for item in (_entries(data, layer) or [])}
    deleting = data.get("phone_groups_state") == "deleted"
    problems = []
    for layer in CONTACT_LAYERS:
        for position, contact in enumerate(_entries(data, layer) or []):
            group = contact.get("group")
            if not isinstance(group, str) or not group.strip() or group.strip() in BUILTIN_NAMES:
                continue
            where = "%s[%d].group" % (layer, position)
            if group.strip() not in declared:
                problems.append("%s: group %s is neither in phone_groups nor built in (%s): add it to phone_groups"
                                % (where, quoted(group.strip()), ", ".join(sorted(BUILTIN_NAMES))))
            elif deleting:
                problems.append("%s: group %s is deleted by phone_groups_state: deleted"
                                % (where, quoted(group.strip())))
    return problems


def validation_errors(data, schema_path=None, memo=None):
    """All problems in ``data`` as ``path: message`` strings (empty when valid), every stage at once.

    ``memo``: a ValidationMemo shared by the hosts of one batch (the same problems, found once per shared layer).
    """
    if not HAS_JSONSCHEMA:
        raise ValidationError("the Python library 'jsonschema' is required on the controller", field="schema")
    if not isinstance(data, dict):
        return ["the variables must be a mapping of variable names to values"]
    engine_problems, engine_layers = [], set()
    groups_state = data.get("phone_groups_state")
    for layers, resource, state in ((CONTACT_LAYERS, ContactResource(), "merged"),
                                    (GROUP_LAYERS, GroupResource(), groups_state if groups_state in (
                                        "merged", "overridden", "deleted") else "merged")):
        for layer in layers:
            items = _entries(data, layer)
            if items is not None:
                engine_layers.add(layer)
                engine_problems.extend(_memoised(memo, ("engine", layer, state), items, functools.partial(
                    _engine_problems, resource, items, state, layer)))
    errors = _schema_problems(data, schema_path or DEFAULT_SCHEMA, engine_layers, memo) + engine_problems
    errors.extend(_group_reference_problems(data))
    for layer in PVALUE_LAYERS + tuple(sorted(name for name in data if NAMED_LAYER.match(str(name)))):
        if isinstance(data.get(layer), dict):
            errors.extend(_memoised(memo, ("catalog", layer), data[layer], functools.partial(
                _catalog_errors, data[layer], layer)))
    errors.extend(_layer_problems(data))
    return errors


def _layer_problems(data):
    """A named layer no phone_pvalues_layers lists is never applied; a model layer must name a known model."""
    problems = []
    listed = data.get(NAMED_LAYERS) if isinstance(data.get(NAMED_LAYERS), list) else []
    for name in sorted(name for name in data if NAMED_LAYER.match(str(name)) and name not in listed):
        problems.append("%s: not in %s, so it is never applied: add it there, in the place of the merge order it "
                        "takes%s" % (name, NAMED_LAYERS, did_you_mean(name, [str(item) for item in listed])))
    models = data.get(MODEL_LAYERS)
    for model, values in (models.items() if isinstance(models, dict) else ()):
        if model not in catalog.ALL_MODELS:
            problems.append("%s.%s: not a model this collection knows (%s)%s" % (
                MODEL_LAYERS, model, ", ".join(catalog.ALL_MODELS), did_you_mean(model, catalog.ALL_MODELS)))
        elif isinstance(values, dict):
            problems.extend(_catalog_errors(values, "%s.%s" % (MODEL_LAYERS, model)))
    return problems


def _variable_of(problem):
    """The variable a ``path: message`` problem is about: the text before the first . [ or :."""
    for index, char in enumerate(problem):
        if char in ".[: ":
            return problem[:index]
    return problem


def _with_sources(problems, sources):
    """Say where a wrong variable was set, and when several hosts share it (a group variable), say so."""
    if not sources:
        return problems
    sharing = {}
    for host, errors in problems.items():
        for error in errors:
            origin = (sources.get(host) or {}).get(_variable_of(error))
            if origin:
                sharing.setdefault((error, origin), []).append(host)
    annotated = {}
    for host, errors in problems.items():
        annotated[host] = []
        for error in errors:
            origin = (sources.get(host) or {}).get(_variable_of(error))
            hosts = sharing.get((error, origin), [])
            if origin and len(hosts) > 1:
                error += " (a shared variable, set in %s: the same problem on %d phones)" % (origin, len(hosts))
            elif origin:
                error += " (set in %s)" % origin
            annotated[host].append(error)
    return annotated


def _named(hosts):
    shown = ", ".join(hosts[:_NAMED_HOSTS])
    return shown if len(hosts) <= _NAMED_HOSTS else "%s and %d more" % (shown, len(hosts) - _NAMED_HOSTS)


def stop_messages(problems, hosts, check_mode):
    """{host: why it stops}: each invalid host with its own problems; in an apply run every other host too."""
    invalid = [host for host in hosts if host in problems]
    stopped = {}
    for host in hosts:
        if host in problems:
            errors = problems[host]
            stopped[host] = "%d problem(s) in the variables of this phone, %s: %s" % (
                len(errors), "so it was not checked" if check_mode else "so nothing was sent to any phone of "
                "this batch", "; ".join(errors))
        elif not check_mode:
            stopped[host] = ("stopped before any phone was touched: the variables of %s are invalid (this "
                             "phone's own are valid; an apply run stops the whole batch, a drift check in check "
                             "mode checks every valid phone)" % _named(invalid))
    return stopped


def run(client, params, check_mode):
    if params.get("data") is None:
        raise ValidationError("data is required when gs_validate runs without its action plugin", field="data")
    variable_sets = _variable_sets(params)
    problems = {}
    memo = ValidationMemo()  # this task's hosts share their group layers
    for label, variables in variable_sets.items():
        if not isinstance(variables, dict):
            problems[label] = ["no variables were collected for this host"]
            continue
        errors = validation_errors(variables, params.get("schema"), memo)
        if errors:
            problems[label] = errors
    validated = sorted({name for variables in variable_sets.values() if isinstance(variables, dict)
                        for name in variables})
    if problems:
        problems = _with_sources(problems, params.get("sources"))
        lines = ["%s: %s" % (label, error) for label, errors in problems.items() for error in errors]
        message = "%d problem(s) in the desired state; nothing was sent to any phone:\n%s" % (
            len(lines), "\n".join(lines))
        if params.get("hosts") is None:
            raise ValidationError(message, field="data", problems=lines)
        # Failing here, one task fails for the whole batch: every host is stopped, whatever the mode.
        per_host = params["report_per_host"]
        stopped = stop_messages(problems, list(variable_sets), check_mode and per_host)
        details = {"problems": problems, "stopped": stopped, "stopped_hosts": list(stopped)}
        if not per_host:
            error = ValidationError(message, field="data", problems=lines)
            error.details = details
            raise error
        return dict(details, changed=False, validated=validated, msg=message,
                    validated_hosts=[host for host in variable_sets if host not in problems])
    if params.get("hosts") is None:
        return {"changed": False, "msg": "%s: %d variable(s) valid" % (params["name"], len(params["data"])),
                "validated": validated}
    result = {"changed": False, "validated": validated, "validated_hosts": list(variable_sets),
              "msg": "%d host(s): every variable valid" % len(variable_sets)}
    if params["report_per_host"]:
        result.update(problems={}, stopped={}, stopped_hosts=[])
    return result


# No connection options: it never talks to a phone. Its secrets are the password-like host variables.
ENGINE = Engine("vars_validation", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=False, needs_phone=never,
                secret_values=secret_values)
