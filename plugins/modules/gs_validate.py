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
  - "Lists every problem at once, every stage together, as C(path: message) in the words the modules use: a
    variable is named as written (C(phone_host_contacts[0].work)), a rule by what it means (C('sip:yan@pbx' is
    not a dialable number)), an unknown name with its likely meaning (C(phone_contactz: unknown variable (did
    you mean phone_contacts?))). A message about a password never shows its value."
  - Contacts and groups are checked with the rules of M(grandstream.phone.gs_contacts) and
    M(grandstream.phone.gs_group) themselves; a contact's group must be built in (C(default), C(blacklist)) or
    listed in C(phone_groups) / C(phone_host_groups), since the role creates no other.
  - The composing P-value layers are checked like C(phone_pvalues) (the collection's C(docs/layers.md)) -
    each C(phone_layer_<name>) variable, which C(phone_pvalues_layers) must list or it would never be
    applied, and each model of C(phone_model_pvalues), which must be a model the collection knows.
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
  report_per_host:
    description:
      - With O(hosts), do not fail this one task. Return in RV(stopped) what stops each host, for a following
        per-host task (C(ansible.builtin.fail) with C(when)) to fail each host on its own line with its own
        problems. C(run_once) registers the result on every host of the batch.
      - In check mode only the invalid hosts are stopped, so a drift check still checks every valid phone; in an
        apply run every host of the batch is stopped (each valid one saying which hosts are invalid), so no
        phone is touched while another one's variables are wrong. The C(grandstream.phone.phone) role does this.
      - V(false) fails this task for the whole batch, whatever the mode (every host in RV(stopped_hosts)).
    type: bool
    default: false
  sources:
    description:
      - "Where each variable was set, C({host: {variable: 'file:line'}}), so a message says where to fix it and
        names a variable shared by several hosts (a group variable) as shared."
      - The action plugin fills it with O(hosts) from what ansible-core 2.19+ knows of each value's origin;
        leave it out.
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

- name: Validate every phone of the play (or serial batch) in one task
  grandstream.phone.gs_validate:
    hosts: "{{ ansible_play_batch }}"
  run_once: true
  any_errors_fatal: true

- name: Validate the batch in one task, as the role does
  grandstream.phone.gs_validate:
    hosts: "{{ ansible_play_batch }}"
    report_per_host: true
  run_once: true
  register: validation

- name: Fail each stopped host with its own problems (check mode - only the invalid ones)
  ansible.builtin.fail:
    msg: "{{ validation.stopped[inventory_hostname] }}"
  when: inventory_hostname in validation.stopped

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
  description: The hosts whose variables were checked and found valid, with O(hosts).
  returned: with O(hosts), on success or with O(report_per_host)
  type: list
  elements: str
  sample: [phone01, phone02]
problems:
  description:
    - "With O(hosts), the problems of each host that has any, as C(path: message) lines, each followed by where
      the variable was set when known (C((set in host_vars/phone02.yml:3))), or
      C((a shared variable, set in group_vars/phones.yml:2: the same problem on 5 phones)))."
    - One task speaks for the whole play, so this says which host is wrong; the C(grandstream.phone.drift_report)
      callback reports each host with its own problems.
  returned: with O(hosts), on failure, or always with O(report_per_host)
  type: dict
  sample: {phone02: ["phone_host_pvalues.time.format: must be one of 12h(0), 24h(1), got '25h'"]}
stopped:
  description:
    - With O(hosts), the message each stopped host fails with; empty when every variable is valid.
    - An invalid host's message lists its own problems; with O(report_per_host) in an apply run (and always
      without it) a valid host's message names the invalid hosts that stopped it.
  returned: with O(hosts), on failure, or always with O(report_per_host)
  type: dict
  sample: {phone02: "1 problem(s) in the variables of this phone, so it was not checked: gs_port: must be ..."}
stopped_hosts:
  description: With O(hosts), the hosts in RV(stopped), in the order of O(hosts).
  returned: with O(hosts), on failure, or always with O(report_per_host)
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
