# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_export: write what a phone holds now as the role's variables (brownfield adoption).

One chunked read of every catalogued, non-secret, writable P-value (plus the model, and the uncatalogued
P-values the file already names), the groups, and the contacts, all through the readers the resource
modules use. The result goes into a ``host_vars`` file as the role's *host layer* (``phone_host_pvalues``,
``phone_host_groups``, ``phone_host_contacts`` by default): the site and group layers keep working, and
what ``baseline`` (those layers) already declares is not repeated.

The file is edited, not rewritten (``vars_file.py``): comments, key order, formatting and every other
key survive; values the file already declares are updated where they are, under the spelling they
have there. Secrets are never read and never written; secret, vault-encrypted and templated values in
the file are left as they are. Nothing changed on the phone: the file stays byte-identical.
"""

from __future__ import annotations

__metaclass__ = type

import re

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.contacts import ContactResource
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.files import check_destination, parse_mode, sync_file
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import GroupResource, read_groups
from ansible_collections.grandstream.phone.plugins.module_utils.mac import normalise_mac
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import merge_entry
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook_fields import BUILTIN_GROUPS
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import BoolKind, EnumKind, IntKind
from ansible_collections.grandstream.phone.plugins.module_utils.vars_file import VarsFile

PARTS = ("pvalues", "groups", "contacts")
DEFAULT_VARIABLES = {"pvalues": "phone_host_pvalues", "groups": "phone_host_groups", "contacts": "phone_host_contacts"}
_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAC_VARIABLE = "phone_mac"  # what playbooks/render.yml names the provisioning file after

ARGUMENT_SPEC = dict(
    dest=dict(type="path", required=True),
    include=dict(type="list", elements="str", choices=list(PARTS), default=list(PARTS)),
    skip_empty=dict(type="bool", default=True),
    skip_defaults=dict(type="bool", default=False),
    variables=dict(type="dict", apply_defaults=True, options=dict(
        (part, dict(type="str", default=name)) for part, name in DEFAULT_VARIABLES.items())),
    baseline=dict(type="dict", apply_defaults=True, options=dict(
        pvalues=dict(type="dict", default={}),
        groups=dict(type="list", elements="dict", default=[]),
        contacts=dict(type="list", elements="dict", default=[]),
    )),
    mode=dict(type="raw"),
)


def _resolve(name):
    try:
        return catalog.resolve(name)
    except ValidationError:
        return None


# ---------------------------------------------------------------------------------------------- P-values
def present_value(entry, code):
    """A stored value as a person writes it (``true``, ``60``, ``tls``); None when it cannot be declared.

    The readable form is kept only when the catalog normalises it back to the very same code, so an
    export always provisions to exactly what the phone holds.
    """
    kind = entry.kind
    if isinstance(kind, BoolKind):
        readable = {"1": True, "0": False}.get(code, code)
    elif isinstance(kind, EnumKind):
        readable = dict(kind.choices).get(code, code)
    elif isinstance(kind, IntKind):
        readable = int(code) if re.match(r"^-?[0-9]+$", code) else code
    else:
        readable = code
    for candidate in (readable, code):
        try:
            if kind.normalise(candidate) == code:
                return candidate
        except ValueError:
            continue
    return None


def declared_code(entry, value):
    """The code a value written in a file stands for; None when it is invalid or not a plain value."""
    if VarsFile.is_opaque(value):
        return None
    try:
        return entry.kind.normalise(VarsFile.plain(value))
    except ValueError:
        return None


def _names_in_file(vars_file):
    """Entries the file's P-value layers name (uncatalogued P-numbers included)."""
    entries = {}
    for layer in vars_file.pvalue_layers():
        for key in layer:
            entry = _resolve(key)
            if entry is not None:
                entries.setdefault(entry.number, entry)
    return entries


def read_pvalues(client, named_in_file):
    """{number: (entry, code)} of every exportable P-value the phone's model has; the model and the MAC.

    One chunked read; the MAC costs nothing (the client asks for it anyway to detect a dead session).
    """
    candidates = {entry.number: entry for entry in catalog.ENTRIES if not entry.secret and not entry.read_only}
    candidates.update((number, entry) for number, entry in named_in_file.items()
                      if not entry.known and not entry.secret)
    names = [entry.pname for entry in candidates.values()] + [catalog.MODEL_PVALUE, catalog.MAC_PVALUE]
    raw = client.get_values(names)
    model = catalog.model_of(raw.get(catalog.MODEL_PVALUE))
    values = {}
    for number, entry in candidates.items():
        if model is None or model in entry.models:
            values[number] = (entry, entry.kind.normalise_current(raw.get(entry.pname, "")))
    return values, model, raw.get(catalog.MAC_PVALUE, "")


def _baseline_codes(pvalues):
    codes = {}
    for name, value in (pvalues or {}).items():
        entry = _resolve(name)
        code = declared_code(entry, value) if entry is not None and not entry.secret else None
        if code is not None:
            codes[entry.number] = code
    return codes


def _update_declared(vars_file, values, presented):
    """Give every P-value a layer of the file declares the phone's value, in place; return their numbers."""
    declared = set()
    for layer in vars_file.pvalue_layers():
        for key in list(layer):
            entry = _resolve(key)
            if entry is None:
                continue
            declared.add(entry.number)
            if entry.secret or presented.get(entry.number) is None or VarsFile.is_opaque(layer[key]):
                continue  # secrets, templates and vault values stay as the user wrote them
            if declared_code(entry, layer[key]) != values[entry.number][1]:
                vars_file.set_item(layer, key, presented[entry.number])
    return declared


def export_pvalues(vars_file, values, target, baseline, skip_empty, warnings, skip_defaults=False):
    """Update the values the file declares in place; add the others to ``target`` unless the baseline has them.

    ``skip_defaults``: a value equal to its factory default (catalog.FACTORY_DEFAULTS) is not added, unless
    the baseline declares that value (then it is exported, to override the baseline).
    """
    presented = {}
    for number, (entry, code) in values.items():
        presented[number] = present_value(entry, code)
        if presented[number] is None and code:
            warnings.append("%s is not exported: the value the phone holds breaks the catalog's rule for it "
                            "(%s)" % (entry.label, entry.kind.name))
    declared = _update_declared(vars_file, values, presented)
    baseline_codes = _baseline_codes(baseline)
    additions = {}
    for number, (entry, code) in sorted(values.items(), key=lambda item: item[1][0].key):
        if number in declared or presented[number] is None or baseline_codes.get(number) == code:
            continue
        if skip_empty and code == "" and number not in baseline_codes:
            continue
        if skip_defaults and code == catalog.factory_default(entry) and number not in baseline_codes:
            continue
        additions[entry.key] = presented[number]
    if additions and not vars_file.add_items(target, additions):
        warnings.append("%s in dest is not a mapping (a template?); %d P-value(s) were not added to it"
                        % (target, len(additions)))


def export_mac(vars_file, reported, warnings):
    """``phone_mac`` as the phone reports it, unless the file already holds the same address (in any notation)."""
    try:
        mac = normalise_mac(reported)
    except ValidationError:
        if reported:
            warnings.append("the phone reports a MAC address that is not one (%r); phone_mac is not exported"
                            % reported)
        return
    current = vars_file.data.get(MAC_VARIABLE)
    if VarsFile.is_opaque(current):
        return
    try:
        if current is not None and normalise_mac(VarsFile.plain(current)) == mac:
            return
    except ValidationError:
        pass
    vars_file.set_item(vars_file.data, MAC_VARIABLE, reported)


# ---------------------------------------------------------------------------------------------- phonebook
def export_groups(groups, baseline, warnings):
    """The phone's own groups (not the built-in ones) that the baseline does not declare."""
    declared = [str(item.get("name", "")).strip() for item in baseline or []]
    exported, held = [], set()
    for group_id, name in groups:
        if group_id in BUILTIN_GROUPS:
            continue
        if name in held:
            warnings.append("the phone holds group %r more than once; it is exported once" % name)
            continue
        try:
            GroupResource().validate([{"name": name}], "merged")
        except ValidationError as error:
            warnings.append("group %r is not exported: %s" % (name, error.message))
            continue
        held.add(name)
        if name not in declared:
            exported.append({"name": name})
    missing = [name for name in declared if name and name not in held and name not in BUILTIN_GROUPS.values()]
    if missing:
        warnings.append("baseline groups the phone does not hold (provisioning will add them): %s"
                        % ", ".join(missing))
    return exported


def _contact_entry(data):
    """A contact the phone holds in the role's shape: empty fields (and an empty last name) left out."""
    entry = ContactResource().present(data)
    if not entry.get("last_name"):
        entry.pop("last_name", None)
    if entry.get("group") is None:
        entry.pop("group", None)
    return entry


def _declared_contacts(resource, baseline, warnings):
    declared = {}
    for position, item in enumerate(baseline or []):
        try:
            entry = resource.validate([item], "merged")[0]
        except ValidationError as error:
            warnings.append("baseline contact %d is ignored: %s" % (position, error.message))
            continue
        declared[resource.key(entry)] = entry
    return declared


def export_contacts(snapshot, baseline, warnings):
    """The phone's contacts the baseline does not declare; contacts it declares differently are named."""
    resource = ContactResource()
    declared = _declared_contacts(resource, baseline, warnings)
    exported, held = [], set()
    for record in snapshot.records:
        key = resource.key(record.data)
        if key in held:
            warnings.append("the phone holds contact %r more than once; only the first is exported" % key)
            continue
        entry = _contact_entry(record.data)
        try:
            resource.validate([entry], "merged")
        except ValidationError as error:
            warnings.append("contact %r is not exported: %s" % (key, error.message))
            continue
        held.add(key)
        if key not in declared:
            exported.append(entry)
        elif merge_entry(record.data, declared[key]) != record.data:
            # Lists of the layers are added up, not merged by key: the host layer cannot hold a second copy.
            warnings.append("contact %r differs from the baseline's; a host layer cannot override a contact, so "
                            "provisioning will change it to the baseline's" % key)
    missing = [key for key in declared if key not in held]
    if missing:
        warnings.append("baseline contacts the phone does not hold (provisioning will add them): %s"
                        % ", ".join(missing))
    return exported


# ---------------------------------------------------------------------------------------------- the run
def _variables(params):
    chosen = params.get("variables") or {}
    variables = dict(DEFAULT_VARIABLES, **{part: name for part, name in chosen.items() if name})
    for part, name in variables.items():
        if not _VARIABLE_NAME.match(name):
            raise ValidationError("variables.%s: %r is not a variable name" % (part, name), field="variables." + part)
    if len(set(variables.values())) != len(variables):
        raise ValidationError("variables: each part needs its own variable", field="variables")
    return variables


def run(client, params, check_mode):
    dest, mode = params["dest"], parse_mode(params.get("mode"))
    check_destination(dest)
    include = [part for part in PARTS if part in (params.get("include") or [])]
    if not include:
        raise ValidationError("include must name at least one of %s" % ", ".join(PARTS), field="include")
    variables = _variables(params)
    baseline = params.get("baseline") or {}
    vars_file = VarsFile.load(dest, extra_pvalue_layers=[variables["pvalues"]])
    warnings, result = [], {}

    if "pvalues" in include:
        values, model, mac = read_pvalues(client, _names_in_file(vars_file))
        export_mac(vars_file, mac, warnings)
        export_pvalues(vars_file, values, variables["pvalues"], baseline.get("pvalues"), params["skip_empty"],
                       warnings, skip_defaults=params["skip_defaults"])
        result["model"] = model
    snapshot = ContactResource().read(client) if "contacts" in include else None
    if "groups" in include:
        groups = snapshot.context["groups"].listing() if snapshot is not None else read_groups(client)
        vars_file.set_list(variables["groups"], export_groups(groups, baseline.get("groups"), warnings), warnings)
    if snapshot is not None:
        warnings.extend(snapshot.warnings)
        vars_file.set_list(variables["contacts"], export_contacts(snapshot, baseline.get("contacts"), warnings),
                           warnings)

    outcome = sync_file(dest, vars_file.content(), mode, check_mode)
    exported = [variables[part] for part in include] + ([MAC_VARIABLE] if "pvalues" in include else [])
    result.update(changed=outcome["changed"], dest=dest, exported=vars_file.masked_values(exported))
    if outcome["content_changed"]:
        result["diff"] = {"before_header": dest, "after_header": dest,
                          "before": vars_file.masked_text(original=True), "after": vars_file.masked_text()}
    elif outcome["changed"]:
        result["diff"] = {"before": {"mode": "%04o" % outcome["before_mode"]},
                          "after": {"mode": "%04o" % outcome["mode"]}}
    if outcome["mode"] is not None:
        result["mode"] = "%04o" % outcome["mode"]
    if warnings:
        result["warnings"] = list(dict.fromkeys(warnings))
    return result


# The baseline's secret P-values (templated from vault) are scrubbed from any output.
ENGINE = Engine("export", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True,
                secret_pvalues=[("baseline", "pvalues")])
