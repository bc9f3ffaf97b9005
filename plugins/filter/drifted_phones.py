# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""drifted_phones: the phones the drift report lists as differing, from the role's registered results.

playbooks/drift.yml fails on drift with it: the same DriftReport.add_result that the drift_report callback feeds
decides, so the failure message and the report never disagree about a phone.
"""

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
name: drifted_phones
version_added: 1.0.0
short_description: The phones whose registered role results show a difference from their desired state
description:
  - Returns the sorted names of the input hosts that the C(grandstream.phone.drift_report) callback lists as
    C(drifted) or C(reboot pending), judged from the results the C(grandstream.phone.phone) role registers
    (C(phone__result), the M(grandstream.phone.gs_phone) result with a part for the phonebook, the P-values and
    each password).
  - In check mode a changed result means "would change"; a reboot still pending from an earlier run counts.
  - A host that did not run that task (failed before it) is not listed.
options:
  _input:
    description: Host names, for example C(ansible_play_hosts_all).
    type: list
    elements: str
    required: true
  hostvars:
    description: The C(hostvars) magic variable.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Fail on drift
  ansible.builtin.fail:
    msg: "Phones that differ from their desired state: {{ drifted | join(', ') }}"
  vars:
    drifted: "{{ ansible_play_hosts_all | grandstream.phone.drifted_phones(hostvars) }}"
  when: drifted | length > 0
  run_once: true
"""

RETURN = r"""
_value:
  description: Sorted host names.
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.grandstream.phone.plugins.module_utils.desired_state import ROLE_RESULT
from ansible_collections.grandstream.phone.plugins.plugin_utils.drift import DriftReport
from ansible_collections.grandstream.phone.plugins.plugin_utils.drift_rows import REBOOT_PENDING

DIFFERING = ("drifted", REBOOT_PENDING)


def drifted_phones(hosts, hostvars):
    if not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError("drifted_phones: the input must be a list of host names")
    report = DriftReport()
    for host in hosts:
        variables = hostvars[host]
        result = variables[ROLE_RESULT] if ROLE_RESULT in variables else None
        if isinstance(result, dict):
            report.add_phone(str(host), ROLE_RESULT, result)
    return sorted(host for host, phone in report.phones.items() if phone["status"] in DIFFERING)


class FilterModule(object):

    def filters(self):
        return {"drifted_phones": drifted_phones}
