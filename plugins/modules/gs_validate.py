#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_validate
short_description: Validate a phone's desired-state variables before touching any phone
version_added: 0.1.0
description:
  - Checks the variables of the C(grandstream.phone.phone) role (C(phone_*)) and the connection variables
    (C(gs_*)) against the JSON Schema C(schemas/phone.schema.json) (draft 2020-12), then checks every
    C(phone_pvalues) name and value against the P-value catalog (types, ranges, read-only names).
  - "Lists every problem at once as C(host: path: message); a message about a password never shows its value."
  - Runs on the controller only; it never contacts a phone.
author:
  - grandstream.phone maintainers (@grandstream-phone)
options:
  data:
    description:
      - The variables to check.
      - When omitted, the action plugin collects this host's own C(phone_*) and C(gs_*) variables.
    type: dict
  schema:
    description: JSON Schema file to use instead of the collection's C(schemas/phone.schema.json).
    type: path
  name:
    description: Label of the checked variables in messages; defaults to the inventory host name.
    type: str
    default: vars
attributes:
  check_mode:
    description: Read-only; runs the same in check mode.
    support: full
  diff_mode:
    description: Never changes anything.
    support: none
notes:
  - Needs the Python library C(jsonschema) on the controller.
requirements:
  - jsonschema >= 4.18
"""

EXAMPLES = r"""
- name: Stop the whole play before any phone is touched when one host's variables are wrong
  grandstream.phone.gs_validate:
  any_errors_fatal: true

- name: Validate a variables file of your own
  grandstream.phone.gs_validate:
    data: "{{ lookup('ansible.builtin.file', 'host_vars/phone01.yml') | from_yaml }}"
    name: phone01
"""

RETURN = r"""
validated:
  description: Names of the variables that were checked.
  returned: success
  type: list
  elements: str
  sample: [gs_password, phone_contacts, phone_pvalues]
msg:
  description: Summary, or every problem found (one per line) when validation fails.
  returned: always
  type: str
  sample: "phone01: 2 variable(s) valid"
"""

from ansible_collections.grandstream.phone.plugins.module_utils import vars_validation
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(vars_validation)


if __name__ == "__main__":
    main()
