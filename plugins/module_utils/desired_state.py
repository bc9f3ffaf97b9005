# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired-state model: every variable of a phone's desired state, written once.

Each variable has its name, its layer (where it is set and how it composes), its type, its default, its
rule (a JSON Schema fragment; the limits and patterns come from the engines that enforce them: contacts.py,
groups.py, phonebook.py, connection.py, the catalog) and whether it is secret. From ``VARIABLES``
``tools/gen_desired_state.py`` writes ``schemas/phone.schema.json``, ``roles/phone/meta/argument_specs.yml``
and ``roles/phone/defaults/main.yml`` (tests/unit/plugins/module_utils/test_desired_state.py fails when they are stale).

The merge of the P-value layers (docs/layers.md) is ``pvalue_layers`` / ``merged_pvalues``: the role (through
the ``grandstream.phone.desired_pvalues`` lookup), render.yml, export.yml, gs_validate and gs_fleet use it.
"""

from __future__ import annotations

__metaclass__ = type

import re

from ansible_collections.grandstream.phone.plugins.module_utils import catalog, contacts, group_resource
from ansible_collections.grandstream.phone.plugins.module_utils.connection import (
    CONNECTION_SPEC, HOST_VAR_PREFIX, WEB_USERS)
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

# Layers, in the order the P-values merge (a later one wins, value by value).
SITE, MODEL, GROUP, NAMED, HOST = "site", "model", "group", "named", "host"
PVALUE_MERGE_ORDER = (SITE, MODEL, GROUP, NAMED, HOST)
# Not layered: a setting of the whole desired state, a connection option, a fact about the phone.
SETTING, CONNECTION, INVENTORY = "setting", "connection", "inventory"

# Role variables start with phone_; the role's own names (registered results, internals) with phone__.
ROLE_PREFIX = "phone_"
INTERNAL_PREFIX = "phone__"
VARIABLE_PREFIXES = (ROLE_PREFIX, HOST_VAR_PREFIX)
NAMED_LAYER_PREFIX = "phone_layer_"
NAMED_LAYER = re.compile(r"^phone_layer_[a-z0-9_]+$")
# What a P-value key may look like before the catalog checks it: a P-number (P47, 47) or an alias.
PVALUE_KEY = r"^([Pp]?[0-9]+|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*)$"
# Phone passwords: the firmware takes at most 64 characters and no white space.
PASSWORD_MAX = 64
PASSWORD_PATTERN = r"^[^\s]*$"
MAC_PATTERN = r"^([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}$"
REBOOT_TIMEOUT_RANGE = (10, 3600)
PORT_RANGE = (1, 65535)
RETRIES_RANGE = (0, 10)


class Variable:
    """One variable of the desired state.

    ``kind``: the argument-spec type (str, int, bool, float, list, dict, path); ``schema``: the JSON Schema of
    its value; ``role_option``: an option of the role (argument spec and defaults), not only an inventory
    variable the role reads (gs_*, phone_mac); ``secret``: its value is never shown.
    """

    __slots__ = ("name", "layer", "kind", "default", "schema", "description", "secret", "elements", "choices",
                 "role_option")

    def __init__(self, name, layer, kind, description, schema, default=None, secret=False, elements=None,
                 choices=None, role_option=True):
        self.name = name
        self.layer = layer
        self.kind = kind
        self.default = default
        self.schema = schema
        self.description = description
        self.secret = secret
        self.elements = elements
        self.choices = choices
        self.role_option = role_option

    def __repr__(self):
        return "Variable(%r, %r)" % (self.name, self.layer)


def _ref(name):
    return {"$ref": "#/properties/%s" % name}


def _invalid(pattern, words):
    return {"pattern": pattern, "x-invalid": words}


def _entry_schema(spec, field_bytes, non_empty, extra=None):
    """An entry of a phonebook resource: its fields, required ones and byte limits from the engine.

    ``non_empty``: the fields the engine refuses empty when given (the required ones always are).
    """
    options = spec["config"]["options"]
    properties = {}
    for field in options:
        rule = {"type": "string", "maxLength": field_bytes[field]}
        if options[field].get("required") or field in non_empty:
            rule["minLength"] = 1
        rule.update((extra or {}).get(field, {}))
        properties[field] = rule
    return {"type": "array", "items": {
        "type": "object", "required": [field for field, option in options.items() if option.get("required")],
        "additionalProperties": False, "properties": properties}}


def _contact_rules():
    number = dict(_invalid("^$|" + contacts.DIALABLE.pattern,
                           "is not a dialable number (digits, a leading +, *, #, spaces, - and parentheses)"),
                  type=["string", "integer"])
    rules = {field: number for field in contacts.NUMBER_FIELDS}
    rules["email"] = _invalid("^$|" + contacts.EMAIL.pattern, "is not an email address")
    return rules


PVALUES_SCHEMA = {
    "type": "object",
    "propertyNames": _invalid(PVALUE_KEY, "is not a P-value name (P47) or alias (account1.sip_server)"),
    "additionalProperties": {"type": ["string", "integer", "boolean"]},
}
PASSWORD_SCHEMA = dict(_invalid(PASSWORD_PATTERN, "contains white space, which a phone password cannot hold"),
                       type="string", maxLength=PASSWORD_MAX, description="Empty leaves the password alone.")


def _connection(key, description, secret=False, **rule):
    """A gs_<option> host variable: the type from the connection spec, the rule from ``rule``."""
    types = {"str": "string", "path": "string", "int": "integer", "float": "number", "bool": "boolean"}
    spec = CONNECTION_SPEC[key]
    schema = {"enum": list(spec["choices"])} if spec.get("choices") else {"type": types[spec["type"]]}
    schema.update(rule)
    return Variable(HOST_VAR_PREFIX + key, CONNECTION, spec["type"], description, schema,
                    secret=secret or bool(spec.get("no_log")), role_option=False)


VARIABLES = (
    Variable("phone_pvalues", SITE, "dict", "P-values to hold, by catalog alias (C(account1.sip_server)), "
             "Grandstream's alias where the catalog knows it (C(lcd.backlight.timeout)) or P-name (C(P47)).",
             PVALUES_SCHEMA, default={}),
    Variable("phone_model_pvalues", MODEL, "dict", [
        "Model layer, each model (C(GXV3370)) mapped to its P-values, merged over O(phone_pvalues) and under "
        "O(phone_group_pvalues).",
        "The model is C(gs_model) when set (the C(grandstream.phone.phones) inventory plugin sets it), else the "
        "model the phone reports, learned by the P-values task in its own read (no extra request)."],
        {"type": "object", "additionalProperties": _ref("phone_pvalues")}, default={}),
    Variable("phone_group_pvalues", GROUP, "dict", "Group layer of O(phone_pvalues), merged over it (set it in "
             "C(group_vars/<group>)).", _ref("phone_pvalues"), default={}),
    Variable("phone_pvalues_layers", NAMED, "list", [
        "Named layers merged in this order over O(phone_group_pvalues) and under O(phone_host_pvalues), the names "
        "of C(phone_layer_<name>) variables, each set in the C(group_vars) of its group, so a phone in two groups "
        "gets both groups' values instead of one C(phone_group_pvalues) hiding the other.",
        "A listed layer a phone does not have is empty for it; a C(phone_layer_<name>) variable this list does not "
        "name is an error (it would never be applied)."],
        {"type": "array", "uniqueItems": True, "items": dict(_invalid(
            NAMED_LAYER.pattern, "is not a layer variable name (phone_layer_<name>: lower-case letters, digits, _)"),
            type="string")}, default=[], elements="str"),
    Variable("phone_host_pvalues", HOST, "dict", "Host layer of O(phone_pvalues), merged over every other layer "
             "(set it in C(host_vars/<phone>)).", _ref("phone_pvalues"), default={}),
    Variable("phone_pvalues_update_secrets", SETTING, "str", "When secret P-values (passwords) are written; see "
             "C(grandstream.phone.gs_pvalues).", {}, default="on_create", choices=["on_create", "always"]),
    Variable("phone_pvalues_strict", SETTING, "bool", "Refuse P-names that are not in the catalog.",
             {"type": "boolean"}, default=False),
    Variable("phone_groups", SITE, "list", "Contact groups (C(name), optional C(old_name) to rename).",
             _entry_schema({"config": group_resource.CONFIG_SPEC}, group_resource.FIELD_BYTES, ("old_name",)),
             default=[], elements="dict"),
    Variable("phone_host_groups", HOST, "list", "Groups added to O(phone_groups) for this host.",
             _ref("phone_groups"), default=[], elements="dict"),
    Variable("phone_groups_state", SETTING, "str", [
        "How O(phone_groups) is applied, as O(grandstream.phone.gs_contacts#module:groups_state).",
        "The role manages groups and contacts in one C(gs_contacts) task."], {}, default="merged",
        choices=["merged", "overridden", "deleted"]),
    Variable("phone_contacts", SITE, "list", [
        "Contacts (C(first_name), C(last_name), C(group), C(work), C(home), C(mobile), C(fax), C(email)).",
        "A C(group) must be built in (C(default), C(blacklist)) or listed in O(phone_groups) or "
        "O(phone_host_groups)."], _entry_schema(
        contacts.ARGUMENT_SPEC, contacts.FIELD_BYTES, ("group",), _contact_rules()),
        default=[], elements="dict"),
    Variable("phone_host_contacts", HOST, "list", "Contacts added to O(phone_contacts) for this host.",
             _ref("phone_contacts"), default=[], elements="dict"),
    Variable("phone_contacts_state", SETTING, "str", "How O(phone_contacts) is applied; see "
             "C(grandstream.phone.gs_contacts).", {}, default="merged",
             choices=["merged", "replaced", "overridden", "deleted"]),
    Variable("phone_admin_password", SETTING, "str", "Admin password the phone should have; empty leaves it alone.",
             PASSWORD_SCHEMA, default="", secret=True),
    Variable("phone_user_password", SETTING, "str", "User password the phone should have; empty leaves it alone.",
             PASSWORD_SCHEMA, default="", secret=True),
    Variable("phone_user_current_password", SETTING, "str", [
        "The user password the phone holds now; the firmware needs it to set O(phone_user_password).",
        "Once the phone has the new one, the role finds that out by a login and does not need this any more."],
        PASSWORD_SCHEMA, default="", secret=True),
    Variable("phone_reboot_on_change", SETTING, "bool", "Reboot after any change, not only after changes of values "
             "that need a reboot.", {"type": "boolean"}, default=False),
    Variable("phone_reboot_timeout", SETTING, "int", "Seconds the reboot handler waits for the phone to answer "
             "again.", {"type": "integer", "minimum": REBOOT_TIMEOUT_RANGE[0], "maximum": REBOOT_TIMEOUT_RANGE[1]},
             default=300),
    _connection("host", "The phone's address (else ansible_host, else the inventory name).", minLength=1),
    _connection("port", "HTTP(S) port of the phone's web interface.", minimum=PORT_RANGE[0], maximum=PORT_RANGE[1]),
    _connection("protocol", "https or http."),
    _connection("validate_certs", "Check the phone's TLS certificate."),
    _connection("ca_path", "PEM file or directory of the CA that signed the phone's certificate.", minLength=1),
    _connection("username", "The web user to log in as.", enum=list(WEB_USERS)),
    _connection("password", "The web password.", minLength=1),
    _connection("password_previous", "During a password rotation, the password before gs_password: sent at most "
                "once, when the phone refuses gs_password.", minLength=1),
    _connection("timeout", "Seconds per request.", exclusiveMinimum=0),
    _connection("retries", "Retries of a request that can have changed nothing.", minimum=RETRIES_RANGE[0],
                maximum=RETRIES_RANGE[1]),
    _connection("firmware_dialect", "The phone's Web API generation: auto (found once per phone without a login), "
                "guide or current."),
    Variable("gs_model", INVENTORY, "str", "The phone's model (set by the phones inventory plugin); chooses the "
             "phone_model_pvalues layer without a request.", {"type": "string", "minLength": 1}, role_option=False),
    Variable("phone_mac", INVENTORY, "str", "MAC address, used to name rendered provisioning files (cfg<MAC>.xml).",
             dict(_invalid(MAC_PATTERN, "is not a MAC address (six pairs of hex digits, : or - between them)"),
                  type="string"), role_option=False),
)
BY_NAME = {variable.name: variable for variable in VARIABLES}
ROLE_OPTIONS = tuple(variable for variable in VARIABLES if variable.role_option)
ROLE_DEFAULTS = {variable.name: variable.default for variable in ROLE_OPTIONS}
SECRET_VARIABLES = frozenset(variable.name for variable in VARIABLES if variable.secret)


# The layer variables by what they hold. NAMED_LAYERS_LIST names the phone_layer_<name> variables in merge order.
PVALUE_SITE, PVALUE_GROUP, PVALUE_HOST = "phone_pvalues", "phone_group_pvalues", "phone_host_pvalues"
MODEL_LAYERS = "phone_model_pvalues"
NAMED_LAYERS_LIST = "phone_pvalues_layers"
# The layers that are one mapping of P-values each (validated like phone_pvalues).
PVALUE_MAPPINGS = (PVALUE_SITE, PVALUE_GROUP, PVALUE_HOST)
GROUP_LAYERS = ("phone_groups", "phone_host_groups")
CONTACT_LAYERS = ("phone_contacts", "phone_host_contacts")


# What the role registers: its gs_phone task's result, a part per resource. drift.yml's fail_on_drift reads it (the
# drifted_phones filter) and the reboot handler and drift.yml's health play read its parts; the role's task
# registers it (a test keeps the two equal).
ROLE_RESULT = "phone__result"


def is_phone_variable(name):
    """A variable of the desired state (phone_*, gs_*), not one of the role's own (phone__*)."""
    return name.startswith(VARIABLE_PREFIXES) and not name.startswith(INTERNAL_PREFIX)


def is_pvalue_layer(name):
    """A variable that is one mapping of P-values: phone_pvalues, the group and host layers, a named layer."""
    return name in PVALUE_MAPPINGS or bool(NAMED_LAYER.match(str(name)))


def _mapping(value, name):
    """A layer's mapping; not set (None) is empty, anything else is refused: a layer is never silently dropped."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("%s must be a mapping of P-value names to values, not a %s"
                              % (name, kind_name(value)),
                              field=name)
    return value


def pvalue_layers(variables, model=None, host_layer=True):
    """The P-value layers of one phone, in merge order: [(layer variable, mapping)].

    ``variables``: the phone's variables, templated (a missing one counts as empty); ``model``: the phone's
    model, choosing its entry of phone_model_pvalues (none: no model layer); ``host_layer``: False leaves
    phone_host_pvalues out (export.yml's baseline: what every layer under the host layer declares).
    """
    layers = [(PVALUE_SITE, _mapping(variables.get(PVALUE_SITE), PVALUE_SITE))]
    if model:
        name = "%s.%s" % (MODEL_LAYERS, model)
        layers.append((name, _mapping(model_layers(variables).get(model), name)))
    layers.append((PVALUE_GROUP, _mapping(variables.get(PVALUE_GROUP), PVALUE_GROUP)))
    for name in _listed_layers(variables):
        layers.append((name, _mapping(variables.get(name), name)))
    if host_layer:
        layers.append((PVALUE_HOST, _mapping(variables.get(PVALUE_HOST), PVALUE_HOST)))
    return layers


def model_layers(variables):
    """The phone_model_pvalues mapping (model -> P-values) of these variables; not set is empty."""
    return _mapping(variables.get(MODEL_LAYERS), MODEL_LAYERS)


def kind_name(value):
    """The plain type's name: Ansible hands tagged subclasses (_AnsibleTaggedList) that mean nothing to a user."""
    return next((plain.__name__ for plain in (bool, int, float, str, list, tuple) if isinstance(value, plain)),
                type(value).__name__)


def _listed_layers(variables):
    listed = variables.get(NAMED_LAYERS_LIST)
    if listed is None:
        return []
    if not isinstance(listed, list):
        raise ValidationError("%s must be a list of phone_layer_<name> variable names" % NAMED_LAYERS_LIST,
                              field=NAMED_LAYERS_LIST)
    return [str(name) for name in listed]


def merged_pvalues(variables, model=None, host_layer=True):
    """The P-values the phone is held to: its layers merged, a later layer winning value by value.

    A value is the P-value a key names, however it is spelled: a later layer's ``lcd.backlight.timeout``
    replaces an earlier one's ``P1413`` (the later key is kept). Two keys of one layer naming the same P-value
    both stay, so gs_pvalues refuses them naming both.
    """
    merged, spelling = {}, {}  # spelling: the P-value (or the unresolvable key itself) -> its key in merged
    for _name, values in pvalue_layers(variables, model, host_layer):
        layer_spelling = {}
        for key, value in values.items():
            meaning = _meaning(key)
            earlier = spelling.get(meaning)
            if earlier is not None and earlier != key and earlier not in values:
                merged.pop(earlier, None)
            merged[key] = value
            layer_spelling.setdefault(meaning, key)
        spelling.update(layer_spelling)
    return merged


def _meaning(key):
    """What a P-value key names for the merge: its P-number, or the key itself when the catalog cannot tell
    (validation reports that key)."""
    entry = catalog.find(key)
    return entry.number if entry is not None else ("key", str(key))


def layer_variable_names(variables):
    """The variables the P-value merge reads for these variables (the named layers listed included)."""
    return (PVALUE_SITE, MODEL_LAYERS, PVALUE_GROUP, NAMED_LAYERS_LIST, PVALUE_HOST) + tuple(_listed_layers(variables))
