# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the role's schema, argument spec and defaults from the desired-state model (``--check``: only compare).

Usage: python tools/gen_desired_state.py [--check]     (or: make generate / make generate-check)
Writes schemas/phone.schema.json, roles/phone/meta/argument_specs.yml and roles/phone/defaults/main.yml;
tests/unit/plugins/module_utils/test_desired_state.py fails when one of them is stale, so run this after editing
the model.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))

from gen_catalog_schema import import_collection_module  # noqa: E402  (tools/ on sys.path)

SCHEMA_PATH = os.path.join(REPO, "schemas", "phone.schema.json")
ARGUMENT_SPECS_PATH = os.path.join(REPO, "roles", "phone", "meta", "argument_specs.yml")
DEFAULTS_PATH = os.path.join(REPO, "roles", "phone", "defaults", "main.yml")
GENERATED = ("Generated from plugins/module_utils/desired_state.py by tools/gen_desired_state.py: edit the model, "
             "not this file.")
_MARKUP = re.compile(r"\b[COV]\(([^)]*)\)")

SCHEMA_HEADER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/grandstream-phone/grandstream.phone/schemas/phone.schema.json",
    "title": "Variables of the grandstream.phone.phone role",
    "description": "Desired state of one phone. P-value names and values are further checked against the catalog "
                   "(pvalue-catalog.json) by grandstream.phone.gs_validate. x-invalid: how gs_validate words a failed "
                   "pattern, after the quoted value. " + GENERATED,
}
ROLE_SPEC = {
    "version_added": "1.0.0",
    "short_description": "Bring a Grandstream phone to the desired state held in inventory variables",
    "description": [
        "Validates the variables of every phone first, in one task for the play or C(serial) batch, then applies "
        "contact groups, contacts, P-values and passwords, changing only what differs.",
        "A phone with invalid variables fails on its own line with its own problems. In check mode (a drift check) "
        "every other phone is still checked; in an apply run every phone of the batch stops before any phone is "
        "touched (PLAY RECAP counts each one failed).",
        "Connection data comes from the C(gs_*) host variables (C(gs_password), C(gs_port), C(gs_protocol), "
        "C(gs_ca_path), ...) or from C(module_defaults) for C(group/grandstream.phone.phone).",
        "In check mode with C(--diff) it is a drift report; see C(playbooks/drift.yml).",
        "One M(grandstream.phone.gs_phone) task per phone applies the phonebook (groups and contacts), the P-values "
        "and the passwords through one login. A failed phonebook does not stop the P-values and passwords of that "
        "phone, which do not depend on it; the reboot handler runs for what applied, then the phone fails with the "
        "phonebook's message. A refused login or connection (error kinds C(auth), C(locked), C(tls)) stops the "
        "phone at once, so a refused password is never sent again.",
        "Its result is registered as C(phone__result): C(phone__result.results) holds a part per resource "
        "(C(phonebook), C(pvalues), C(admin_password), C(user_password)), each as its own module returns it; a "
        "C(changed) result (in check mode, would change) means the phone drifted. C(phone__result.reboot_pending) "
        "is true while a reboot-needing value written earlier still waits for its reboot (the task then counts as "
        "changed and the handler reboots); C(phone__result.unverified) lists the secrets the phone could not "
        "confirm.",
        "A part with nothing desired reports itself C(skipped) with a message saying why, without contacting the "
        "phone; an empty password leaves that password alone.",
        "That validation covers this argument spec, so C(import_role) with C(rolespec_validate=false) spares a task "
        "per phone on large fleets.",
    ],
    "author": "grandstream.phone maintainers",
}
DEFAULTS_HEADER = """\
# Desired state of one phone. Put site defaults in group_vars/all and per-phone data in host_vars:
# Ansible merges them; every variable is checked by grandstream.phone.gs_validate first.
# P-value layers, merged in this order (later wins; docs/layers.md):
#   phone_pvalues (site) -> phone_model_pvalues[<model>] -> phone_group_pvalues
#   -> each variable named in phone_pvalues_layers, in list order -> phone_host_pvalues.
"""


def _plain(description):
    text = " ".join(description) if isinstance(description, list) else description
    return _MARKUP.sub(r"\1", text)


def schema_document(model):
    properties = {}
    for variable in model.VARIABLES:
        rule = dict(variable.schema)
        if variable.choices:
            rule["enum"] = list(variable.choices)
        rule["description"] = _plain(variable.description)
        properties[variable.name] = rule
    return dict(SCHEMA_HEADER, type="object", additionalProperties=False, properties=properties, patternProperties={
        model.NAMED_LAYER.pattern: {"$ref": "#/properties/%s" % model.PVALUE_SITE,
                                    "description": "A named P-value layer, applied when %s lists it."
                                    % model.NAMED_LAYERS_LIST}})


def schema_text(model):
    return json.dumps(schema_document(model), indent=2) + "\n"


def _option(variable):
    option = {"type": variable.kind}
    if variable.elements:
        option["elements"] = variable.elements
    if variable.choices:
        option["choices"] = list(variable.choices)
    option["default"] = variable.default
    if variable.secret:
        option["no_log"] = True
    option["description"] = variable.description
    return option


def _yaml(data):
    return yaml.safe_dump(data, sort_keys=False, width=90, allow_unicode=True, default_flow_style=False)


def argument_specs_text(model):
    spec = dict(ROLE_SPEC, options={variable.name: _option(variable) for variable in model.ROLE_OPTIONS})
    return "---\n# %s\n%s" % (GENERATED, _yaml({"argument_specs": {"main": spec}}))


def defaults_text(model):
    lines = ["---", "# " + GENERATED, DEFAULTS_HEADER.rstrip("\n")]
    for variable in model.ROLE_OPTIONS:
        lines.extend(textwrap.wrap(_plain(variable.description), 116, initial_indent="# ", subsequent_indent="# "))
        lines.append(_yaml({variable.name: variable.default}).rstrip("\n"))
    return "\n".join(lines) + "\n"


def generated_files(model):
    return {SCHEMA_PATH: schema_text(model), ARGUMENT_SPECS_PATH: argument_specs_text(model),
            DEFAULTS_PATH: defaults_text(model)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is not up to date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generated_files(import_collection_module("desired_state")).items():
        try:
            with open(path, encoding="utf-8") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            print("wrote %s" % os.path.relpath(path, REPO))
    if args.check and stale:
        for path in stale:
            print("%s is stale: run python tools/gen_desired_state.py" % os.path.relpath(path, REPO), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
