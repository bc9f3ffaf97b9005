#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_export
short_description: Write what a Grandstream phone holds now as the phone role's variables (brownfield adoption)
version_added: 1.0.0
description:
  - Reads a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone and writes its current state into a variables
    file (usually C(host_vars/<phone>.yml)) in the shape the C(grandstream.phone.phone) role consumes, so that
    provisioning from the file right after the export changes nothing.
  - "P-values: every catalogued value that is not secret and not read-only and that the phone's model has, by
    catalog alias (C(account1.sip_server)), in as few reads as the URL limit allows. Values are written as a person
    would write them: V(true) / V(false) for switches, numbers, names for codes (V(tls), V(24h))."
  - "With the P-values comes C(phone_mac), the MAC address the phone reports (C(playbooks/render.yml) names the
    provisioning file after it); a C(phone_mac) the file already holds is kept when it is the same address."
  - "Groups: the phone's own groups (the built-in C(default) and C(blacklist) are always there). Contacts: in
    M(grandstream.phone.gs_contacts) O(grandstream.phone.gs_contacts#module:config) form, empty fields left out."
  - By default the export writes the role's host layer (C(phone_host_pvalues), C(phone_host_groups),
    C(phone_host_contacts)), so site and group defaults in C(group_vars) keep applying; what O(baseline) (those
    layers) already declares with the same value is not repeated. O(variables) picks other variable names.
  - The file is edited, not rewritten (ruamel.yaml round trip) - comments, key order, indentation and every other
    key are kept; a P-value any layer of the file already declares is updated where it is, under its spelling
    there. A second export of an unchanged phone leaves the file byte for byte as it was and reports no change.
  - Secrets (passwords, keys) are never read and never written, not even masked. Secret, vault-encrypted
    (C(!vault)) and templated (C({{ }})) values already in the file are left as they are, and masked in the diff
    and in the return values. Text from the phone that looks like a template is written tagged C(!unsafe).
  - The file is written atomically (a temporary file in the same directory, then a rename).
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  dest:
    description:
      - The variables file to write, on the controller (the module runs there). It may exist; its directory must.
      - A file encrypted with ansible-vault as a whole cannot be edited; keep secrets in C(host_vars/<phone>/vault.yml)
        and export into C(host_vars/<phone>/exported.yml).
    type: path
    required: true
  include:
    description:
      - What to export. Only these variables are touched in O(dest), and only these are read.
      - V(pvalues) includes C(phone_mac).
    type: list
    elements: str
    choices: [pvalues, groups, contacts]
    default: [pvalues, groups, contacts]
  skip_empty:
    description:
      - Leave out P-values that are empty on the phone (unused accounts, no syslog server), unless O(baseline)
        declares a value for them (then the empty value is exported, to override it).
      - V(false) declares every empty value too, so provisioning and drift reports also guard that they stay empty;
        such a host layer overrides whatever the site layer sets later.
      - A value the file already declares is always updated, empty or not.
    type: bool
    default: true
  skip_defaults:
    description:
      - Leave out P-values that hold their factory default (for example C(ntp.server) V(pool.ntp.org),
        C(time.zone) V(GMT), an inactive account), unless O(baseline) declares a value for them (then the default
        is exported, to override it). Only defaults the catalog knows are left out; a value whose factory default
        is not known is always exported.
      - The host layer is then shorter, but a drift check no longer guards those values on this phone, and a
        value set later in a site or group layer applies to it.
      - A value the file already declares is always updated, default or not.
    type: bool
    default: false
  variables:
    description: The variables the export writes into.
    type: dict
    suboptions:
      pvalues:
        description: Variable for the P-values (a mapping of alias to value).
        type: str
        default: phone_host_pvalues
      groups:
        description: Variable for the groups (a list of C({name})).
        type: str
        default: phone_host_groups
      contacts:
        description: Variable for the contacts (a list in M(grandstream.phone.gs_contacts) form).
        type: str
        default: phone_host_contacts
  baseline:
    description:
      - What the other layers of the desired state already declare for this phone (C(group_vars)); the export does
        not repeat it. C(playbooks/export.yml) passes the role's site and group layers.
      - Lists of the layers are added up, not merged, so a contact or group the baseline names is never exported
        again; where the phone differs from the baseline there, a warning says that provisioning will change the phone.
    type: dict
    suboptions:
      pvalues:
        description: P-values of the lower layers (merged), by alias or P-name.
        type: dict
        default: {}
      groups:
        description: Groups of the lower layers.
        type: list
        elements: dict
        default: []
      contacts:
        description: Contacts of the lower layers.
        type: list
        elements: dict
        default: []
  mode:
    description:
      - Permissions of O(dest) as an octal number, for example V("0640") (quote it in YAML).
      - Left out, a new file gets the default permissions of the umask and an existing file keeps its own.
    type: raw
attributes:
  check_mode:
    description: Reads the phone and compares; never writes O(dest).
    support: full
  diff_mode:
    description: Shows the file before and after, secrets masked.
    support: full
notes:
  - A P-value the phone holds that breaks the catalog's rule for it (out of range, unknown code) is not exported;
    a warning names it.
  - Needs the Python library C(ruamel.yaml) on the controller.
requirements:
  - ruamel.yaml >= 0.18
seealso:
  - module: grandstream.phone.gs_render
  - module: grandstream.phone.gs_info
"""

EXAMPLES = r"""
- name: Adopt phones that are already in use (what playbooks/export.yml does)
  grandstream.phone.gs_export:
    dest: "{{ inventory_dir }}/host_vars/{{ inventory_hostname }}.yml"
    baseline:
      pvalues: "{{ phone_pvalues | default({}) | combine(phone_group_pvalues | default({})) }}"
      groups: "{{ phone_groups | default([]) }}"
      contacts: "{{ phone_contacts | default([]) }}"

- name: Preview what an export would change, without writing
  grandstream.phone.gs_export:
    dest: "host_vars/{{ inventory_hostname }}.yml"
  check_mode: true
  diff: true

- name: Only the P-values, into the site-layer variable of a file of its own
  grandstream.phone.gs_export:
    dest: "host_vars/{{ inventory_hostname }}/exported.yml"
    include: [pvalues]
    variables:
      pvalues: phone_pvalues
    skip_empty: false
    mode: "0640"
"""

RETURN = r"""
dest:
  description: The file written (or, in check mode, that would be written).
  returned: success
  type: str
  sample: inventory/host_vars/phone01.yml
model:
  description: The phone's model as the catalog knows it; null for a model it does not know (then every catalogued
    P-value is exported).
  returned: when P-values are exported
  type: str
  sample: GXV3370
exported:
  description: The exported variables as O(dest) holds them after the task, secrets masked.
  returned: success
  type: dict
  sample:
    phone_mac: "00:0B:82:12:34:56"
    phone_host_pvalues: {account1.sip_server: pbx.example.org, account1.sip_user_id: "201", time.format: 24h}
    phone_host_groups: [{name: Sales}]
    phone_host_contacts: [{first_name: Jack, last_name: Brown, group: Sales, work: "1001"}]
mode:
  description: Permissions of O(dest) after the task (in check mode, as they would be).
  returned: when known
  type: str
  sample: "0644"
diff:
  description: The file before and after (or the old and new mode), secrets masked.
  returned: when changed and diff mode is on
  type: dict
requests:
  description: HTTP requests and logins this task made.
  returned: always
  type: dict
  sample: {requests: 4, logins: 0, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import export
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(export)


if __name__ == "__main__":
    main()
