# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_validate: check a phone's desired-state variables before any phone is touched.

JSON Schema (draft 2020-12, schemas/phone.schema.json) checks shapes; the P-value catalog checks each
phone_pvalues name and value. Every error is reported at once, each as ``path: message``; messages
about secrets never quote the value.
"""

from __future__ import annotations

__metaclass__ = type

import functools
import json
import os

try:
    import jsonschema
    HAS_JSONSCHEMA = True
except ImportError:  # pragma: no cover - reported when used
    HAS_JSONSCHEMA = False

from ansible_collections.grandstream.phone.plugins.module_utils import catalog, contacts, groups, xml_text
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

ARGUMENT_SPEC = dict(
    # Filled from the host's variables by the action plugin when omitted.
    data=dict(type="dict"),
    # With the action plugin, data then maps each of these hosts to its variables.
    hosts=dict(type="list", elements="str"),
    schema=dict(type="path"),
    name=dict(type="str", default="vars"),
)

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "schemas")
DEFAULT_SCHEMA = os.path.join(SCHEMA_DIR, "phone.schema.json")
_SECRET_WORDS = ("password", "secret", "key")
PVALUE_LAYERS = ("phone_pvalues", "phone_group_pvalues", "phone_host_pvalues")
GROUP_LAYERS = ("phone_groups", "phone_host_groups")
CONTACT_LAYERS = ("phone_contacts", "phone_host_contacts")
_QUOTE_LIMIT = 60


USES_CONNECTION = False  # no connection options: it never talks to a phone


def needs_phone(params):
    return False


def _is_secret_path(path):
    """Password-like variable names, and P-values the catalog marks secret however they are named (P34)."""
    parts = [str(part) for part in path]
    if any(word in part.lower() for part in parts for word in _SECRET_WORDS):
        return True
    return len(parts) >= 2 and parts[0] in PVALUE_LAYERS and _is_secret_pvalue(parts[1])


def _is_secret_pvalue(name):
    try:
        return catalog.resolve(name).secret
    except ValidationError:
        return False


def secret_values(params):
    """Values of every password-like variable, so the runner scrubs them from any output."""
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

    for variables in _variable_sets(params).values():
        walk(variables if isinstance(variables, dict) else {}, ())
    return found


def _variable_sets(params):
    """{label: variables}: one set, or one per host when ``hosts`` is given."""
    data = params.get("data") or {}
    if params.get("hosts") is None:
        return {params.get("name") or "vars": data}
    return {host: data.get(host) for host in params["hosts"]}


def _path_text(path):
    text = ""
    for part in path:
        text += "[%d]" % part if isinstance(part, int) else ("." if text else "") + str(part)
    return text or "(top)"


def _message(error):
    if not _is_secret_path(error.absolute_path):
        # jsonschema quotes the whole value; a 10 KB value would make a 10 KB message.
        quoted = repr(error.instance)
        if len(quoted) <= _QUOTE_LIMIT:
            return error.message
        return error.message.replace(quoted, "%s... (%d characters)" % (quoted[:_QUOTE_LIMIT], len(quoted)))
    # jsonschema quotes the offending value in error.message: describe the rule instead.
    rule = error.validator_value
    return "invalid value (not shown): fails %s %s" % (error.validator, json.dumps(rule) if not isinstance(
        rule, dict) else "")


def _catalog_errors(pvalues, path):
    try:
        from ansible_collections.grandstream.phone.plugins.module_utils import pvalues as engine
    except ImportError:
        return []
    check = getattr(engine, "validation_errors", None)
    return check(pvalues, path=path) if check is not None else []


def _phonebook_text_errors(data):
    """The phonebook's text rule (xml_text.clean_text: characters XML can carry, lengths in UTF-8 bytes),
    which JSON Schema cannot express, on every group and contact text field of the role's variables."""
    errors = []
    for layers, limits in ((GROUP_LAYERS, groups.FIELD_BYTES), (CONTACT_LAYERS, contacts.FIELD_BYTES)):
        for layer in layers:
            for position, entry in enumerate(data.get(layer) or []):
                for name, value in sorted(entry.items()):
                    if name in limits and value is not None:
                        try:
                            xml_text.clean_text(value, "%s[%d].%s" % (layer, position, name), limits[name])
                        except ValidationError as error:
                            errors.append(error.message)
    return errors


@functools.lru_cache(maxsize=8)
def _validator(schema_path):
    # Loaded once per process: one task may validate a whole play's hosts.
    with open(schema_path, encoding="utf-8") as handle:
        return jsonschema.Draft202012Validator(json.load(handle))


def validation_errors(data, schema_path=None):
    """All problems in ``data`` as ``path: message`` strings (empty when valid)."""
    if not HAS_JSONSCHEMA:
        raise ValidationError("the Python library 'jsonschema' is required on the controller", field="schema")
    validator = _validator(schema_path or DEFAULT_SCHEMA)
    errors = ["%s: %s" % (_path_text(error.absolute_path), _message(error))
              for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if not errors:
        for layer in PVALUE_LAYERS:
            if isinstance(data.get(layer), dict):
                errors.extend(_catalog_errors(data[layer], layer))
        errors.extend(_phonebook_text_errors(data))
    return errors


def run(client, params, check_mode):
    if params.get("data") is None:
        raise ValidationError("data is required when gs_validate runs without its action plugin", field="data")
    variable_sets = _variable_sets(params)
    problems = {}
    for label, variables in variable_sets.items():
        if not isinstance(variables, dict):
            problems[label] = ["no variables were collected for this host"]
            continue
        errors = validation_errors(variables, params.get("schema"))
        if errors:
            problems[label] = errors
    if problems:
        lines = ["%s: %s" % (label, error) for label, errors in problems.items() for error in errors]
        error = ValidationError("%d problem(s) in the desired state; nothing was sent to any phone:\n%s"
                                % (len(lines), "\n".join(lines)), field="data")
        if params.get("hosts") is not None:
            # One task speaks for the whole play: say which host has which problem, and which hosts the
            # failure stopped although their own variables are valid.
            error.details = {"problems": problems, "stopped_hosts": list(variable_sets)}
        raise error
    validated = sorted({name for variables in variable_sets.values() for name in variables})
    if params.get("hosts") is None:
        return {"changed": False, "msg": "%s: %d variable(s) valid" % (params["name"], len(params["data"])),
                "validated": validated}
    return {"changed": False, "validated": validated, "validated_hosts": list(variable_sets),
            "msg": "%d host(s): every variable valid" % len(variable_sets)}
