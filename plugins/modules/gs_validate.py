#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_validate
short_description: Validate a phone's desired-state variables before touching any phone
version_added: 1.0.0
description:
  - Checks the variables of the C(grandstream.phone.phone) role (C(phone_*)) and the connection variables
    (C(gs_*)) against the JSON Schema C(schemas/phone.schema.json) (draft 2020-12), then checks every
    C(phone_pvalues) name and value against the P-value catalog (types, ranges, read-only names), and every
    group and contact text field against the phonebook's own rule (characters XML 1.0 cannot carry, such as
    U+FFFE, are refused; lengths count bytes of UTF-8, as the phone does), which JSON Schema cannot express.
  - "Lists every problem at once as C(host: path: message); a message about a password never shows its value."
  - Runs on the controller only; it never contacts a phone.
author:
  - grandstream.phone maintainers (@grandstream-phone)
options:
  data:
    description:
      - The variables to check.
      - When omitted, the action plugin collects this host's own C(phone_*) and C(gs_*) variables, or those of
        each host in O(hosts).
      - Mutually exclusive with O(hosts).
    type: dict
  hosts:
    description:
      - Check the C(phone_*) and C(gs_*) variables of each of these inventory hosts, as the tasks of this play
        will see them (inventory, group and host vars, play vars, role defaults and parameters), and report
        the problems of all of them at once.
      - With C(run_once=true) and V({{ ansible_play_batch }}), one task validates a whole play (or
        C(serial) batch) instead of one task per host; the C(grandstream.phone.phone) role does this. On a
        large fleet that saves Ansible's per-host cost of a task (see the collection's C(docs/performance.md)).
      - Needs the action plugin (the normal way the module runs).
    type: list
    elements: str
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

- name: Validate every phone of the play (or serial batch) in one task
  grandstream.phone.gs_validate:
    hosts: "{{ ansible_play_batch }}"
  run_once: true
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
validated_hosts:
  description: The hosts whose variables were checked, with O(hosts).
  returned: success, with O(hosts)
  type: list
  elements: str
  sample: [phone01, phone02]
problems:
  description:
    - "With O(hosts), when validation fails, the problems of each host that has any, as C(path: message) lines."
    - One task speaks for the whole play, so this says which host is wrong; the C(grandstream.phone.drift_report)
      callback reports each host with its own problems.
  returned: failure, with O(hosts)
  type: dict
  sample: {phone02: ["phone_host_pvalues.time.format: must be one of 12h(0), 24h(1), got '25h'"]}
stopped_hosts:
  description: With O(hosts), when validation fails, every host the failure stopped (all of O(hosts)).
  returned: failure, with O(hosts)
  type: list
  elements: str
  sample: [phone01, phone02]
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
