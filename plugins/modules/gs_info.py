#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_info
short_description: Read facts from a Grandstream phone
version_added: 1.0.0
description:
  - Reads the system data, status, clock, SIP accounts, lines, contact groups, contacts and chosen
    P-values of a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone through its Web API.
  - Each subset costs at most one HTTP request; C(system) and C(pvalues) share one.
  - Secret P-values (passwords) are never returned; a set secret shows as C(********).
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  gather_subset:
    description:
      - Which facts to read. V(all) reads every subset.
    type: list
    elements: str
    choices: [all, system, status, time, accounts, lines, groups, contacts, pvalues]
    default: [system]
  pvalues:
    description:
      - P-value names (V(P47), V(47)) or catalog aliases (V(account1.sip_server)) to read; Grandstream's own
        names the catalog knows (V(lcd.backlight.timeout)) too.
      - Giving names implies the C(pvalues) subset.
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    description: Read-only; runs the same in check mode.
    support: full
  diff_mode:
    description: Never changes anything, so there is never a diff.
    support: none
"""

EXAMPLES = r"""
- name: Read model, firmware and MAC of every phone
  grandstream.phone.gs_info:
    password: "{{ phone_admin_password }}"
  register: phone

- name: Show the firmware version
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} runs {{ phone.system.firmware }}"

- name: Read the SIP server of account 1 and the NTP server, plus the line states
  grandstream.phone.gs_info:
    gather_subset: [lines]
    pvalues:
      - account1.sip_server
      - P30
  register: phone

- name: Learn what current firmware calls two values (grandstream_aliases, by P-number)
  grandstream.phone.gs_info:
    gather_subset: []
    pvalues: [P1413, P334]
  register: names

- name: Show them
  ansible.builtin.debug:
    msg: "{{ names.grandstream_aliases | default('this phone names no values (guide firmware)') }}"

- name: Set the credentials once per play for every module of the collection
  module_defaults:
    group/grandstream.phone.phone:
      username: admin
      password: "{{ phone_admin_password }}"
      validate_certs: false
  block:
    - name: Read everything
      grandstream.phone.gs_info:
        gather_subset: [all]
"""

RETURN = r"""
gather_subset:
  description: The subsets that were read.
  returned: always
  type: list
  elements: str
  sample: [system, lines]
system:
  description: Identity of the phone.
  returned: when C(system) is gathered
  type: dict
  contains:
    model:
      description: Model name (P89; on current firmware from the unauthenticated C(model.define.js)).
      type: str
      sample: GXV3370
    firmware:
      description: Firmware version (P68; on current firmware from the login answer's C(ver)).
      type: str
      sample: 1.0.3.30
    mac:
      description: MAC address (P67; on current firmware from the login answer's C(mac)).
      type: str
      sample: 00:0B:82:12:34:56
    vendor:
      description: Vendor name (on current firmware from C(model.define.js)).
      type: str
      sample: Grandstream
    hw_rev:
      description: Hardware revision.
      type: str
      sample: V2.2A
status:
  description: Phone status from C(api-get_phone_status).
  returned: when C(status) is gathered
  type: dict
  contains:
    status:
      description:
        - V(available), V(ringing) or V(busy). A phone that answers V(unauthorized) (a lost session, per the guide)
          is logged in to again once; the module never returns V(unauthorized) as a status.
      type: str
      sample: available
    misc:
      description: V(1) when click-to-dial is enabled.
      type: str
      sample: "0"
time:
  description: System clock and uptime as the phone formats them.
  returned: when C(time) is gathered
  type: dict
  sample: {date: Tue 08/30/2016, time: "11:30AM", uptime: "21 days, 1 hour, 50 minutes, 23seconds"}
accounts:
  description: SIP accounts as C(api-get_accounts) reports them.
  returned: when C(accounts) is gathered
  type: list
  elements: dict
  sample: [{id: 1, sip_server: pbx.example.com, sip_id: "1001", name: Reception, reg: 1}]
lines:
  description:
    - Line states; C(state_name) is one of V(idle), V(ringing), V(calling), V(in_call), V(hold), V(failed) or
      V(unknown), read from C(state) given as a number (the guide) or a word (current firmware, e.g. V(connected)).
    - Where the phone names the other party C(remotenumber) / C(remotename), they are also given as C(number) / C(name).
  returned: when C(lines) is gathered
  type: list
  elements: dict
  sample: [{line: 1, state: "0", state_name: idle, acct: "", name: "", number: "", active: 0}]
groups:
  description: Contact groups.
  returned: when C(groups) is gathered
  type: list
  elements: dict
  sample: [{id: 0, name: default}, {id: 100, name: blacklist}]
contacts:
  description: Phonebook contacts.
  returned: when C(contacts) is gathered
  type: list
  elements: dict
  sample: [{id: 1, name: Jack Brown, group_id: 0, work: "123456", home: "", mobile: "", fax: "", email: ""}]
gathered:
  description:
    - The groups and contacts subsets again, in the shape that M(grandstream.phone.gs_group) and
      M(grandstream.phone.gs_contacts) return with O(grandstream.phone.gs_contacts#module:state=gathered) (and take
      as C(config)); groups by name, contacts by first and last name (the phone's own split, from the phonebook
      XML) with their group's name.
    - The contacts subset then also downloads the phonebook when the phone has contacts.
  returned: when C(groups) or C(contacts) is gathered
  type: dict
  sample:
    groups: [{name: default}, {name: blacklist}, {name: Sales}]
    contacts: [{first_name: Jack, last_name: Brown, group: Sales, work: "123456"}]
  contains:
    groups:
      description: As RV(grandstream.phone.gs_group#module:gathered).
      returned: when C(groups) is gathered
      type: list
      elements: dict
    contacts:
      description: As RV(grandstream.phone.gs_contacts#module:gathered).
      returned: when C(contacts) is gathered
      type: list
      elements: dict
pvalues:
  description: The requested P-values by the name they were asked for; secrets show as C(********) when set.
  returned: when P-values are requested
  type: dict
  sample: {account1.sip_server: pbx.example.com, P30: pool.ntp.org}
grandstream_aliases:
  description:
    - The phone's own names (Grandstream's aliases) of the P-values this task read, by P-number, as the phone
      answered them, so you can learn what your firmware calls a value. Only the names the phone gave (a value
      it has no name for, or does not have, is left out); the P-values of O(pvalues) and of the C(system)
      subset.
    - Only phones on current firmware (the dialect whose C(config_get) names each value) give them; the key is
      absent for phones that speak the guide's Web API, which names no value.
    - The emulator answers the values no public source names with the placeholder C(x-emulator.p<N>).
  returned: when P-values were read from a phone whose firmware names them
  type: dict
  sample: {P1413: lcd.backlight.timeout, P334: lcd.backlight.brightness.active}
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 2, logins: 1, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import info
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(info)


if __name__ == "__main__":
    main()
