#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_render
short_description: Render zero-touch provisioning files (cfg<MAC>.xml, phonebook.xml) from the desired state
version_added: 1.0.0
description:
  - Turns a phone's desired state into the files Grandstream phones fetch from a provisioning server, without
    contacting any phone - new phones still in their boxes included.
  - C(cfg<mac>.xml) in O(dest_dir) holds the P-values in Grandstream's XML provisioning format
    (C(<gs_provision version="1">), C(<mac>), C(<config version="1">) with one C(<Pnnn>) element per value),
    the MAC lower-case without separators in both the file name and the document.
  - It does not write the C(<config version="2">) form, where settings are named by Grandstream's aliases. No
    Grandstream-published description of that element's syntax was found, and the third-party generators
    that write it disagree, so the module keeps to the P-value form Grandstream's SIP Device Provisioning
    Guide documents. Give Grandstream's aliases in O(pvalues) all the same; they are written as their P-numbers.
  - C(phonebook.xml) holds the groups and contacts in the AddressBook format phones download for their phonebook
    (see the C(phonebook.*) P-values); it is written when O(groups) or O(contacts) is given.
  - Values are validated and normalised exactly as M(grandstream.phone.gs_pvalues), M(grandstream.phone.gs_group)
    and M(grandstream.phone.gs_contacts) do it (aliases or P-names, V(true) for a switch, V(tls) for a transport), and
    every problem is reported before any file is written.
  - Files are written atomically and only when their content differs, so the task is changed only when a file changed.
  - Takes no connection options and is not part of the C(group/grandstream.phone.phone) action group.
author:
  - grandstream.phone maintainers (@grandstream-phone)
options:
  mac:
    description:
      - MAC address of the phone, with or without separators (V(00:0B:82:12:34:56), V(000b82123456)).
      - Quote it in YAML; C(playbooks/render.yml) takes it from the host variable C(phone_mac).
    type: str
    required: true
  dest_dir:
    description: Directory that receives C(cfg<mac>.xml) (and C(phonebook.xml) unless O(phonebook_dest)). It must exist.
    type: path
    required: true
  pvalues:
    description: P-values by catalog alias (C(account1.sip_server)), Grandstream's alias where the catalog knows
      it (C(lcd.backlight.timeout)) or P-name (C(P47), C(47)), as in the role's C(phone_pvalues). Read-only names
      are refused; two names of one P-value are an error naming both.
    type: dict
    default: {}
  strict:
    description: Refuse P-names that are not in the catalog.
    type: bool
    default: false
  groups:
    description: Contact groups (C(name)), as in M(grandstream.phone.gs_group) O(grandstream.phone.gs_group#module:config).
    type: list
    elements: dict
  contacts:
    description:
      - Contacts as in M(grandstream.phone.gs_contacts) O(grandstream.phone.gs_contacts#module:config).
      - A contact's C(group) must be in O(groups) or be a built-in group (C(default), C(blacklist)).
    type: list
    elements: dict
  phonebook_dest:
    description:
      - Path of the phonebook file instead of C(<dest_dir>/phonebook.xml); its directory must exist.
      - Phones that share O(dest_dir) share one C(phonebook.xml); give each phone (or site) its own file when
        their contacts differ, and point its phonebook server path (C(phonebook.xml_server_path)) there.
    type: path
  include_secrets:
    description:
      - V(false) leaves secret P-values (passwords, keys) out of the config file, with a warning naming them.
      - V(true) writes them, and the config file gets mode C(0600). Protect the provisioning server accordingly
        (HTTPS, and the C(provisioning.xml_config_password) encryption of the phone's firmware where available).
    type: bool
    default: false
attributes:
  check_mode:
    description: Renders and compares; never writes.
    support: full
  diff_mode:
    description: Shows each changed file before and after; secrets in config files are masked on both sides.
    support: full
seealso:
  - module: grandstream.phone.gs_export
  - module: grandstream.phone.gs_pvalues
"""

EXAMPLES = r"""
- name: Provisioning files for every phone (what playbooks/render.yml does)
  grandstream.phone.gs_render:
    mac: "{{ phone_mac }}"
    dest_dir: /srv/tftp
    pvalues: "{{ phone_pvalues | default({}) | combine(phone_group_pvalues | default({}), phone_host_pvalues | default({})) }}"
    groups: "{{ phone_groups | default([]) + phone_host_groups | default([]) }}"
    contacts: "{{ phone_contacts | default([]) + phone_host_contacts | default([]) }}"

- name: One new phone, SIP password included
  grandstream.phone.gs_render:
    mac: "00:0B:82:12:34:56"
    dest_dir: /srv/provisioning
    pvalues:
      account1.sip_server: pbx.example.org
      account1.sip_user_id: "201"
      account1.password: "{{ vault_sip_password_201 }}"
      account1.transport: tls
    include_secrets: true
"""

RETURN = r"""
mac:
  description: The MAC address as it names the config file.
  returned: success
  type: str
  sample: 000b82123456
config:
  description: The config file.
  returned: success
  type: dict
  contains:
    path:
      description: Its path.
      type: str
      sample: /srv/tftp/cfg000b82123456.xml
    changed:
      description: Whether it was (or in check mode would be) written.
      type: bool
    size:
      description: Its size in bytes.
      type: int
      sample: 412
    checksum:
      description: SHA-1 of its content.
      type: str
      sample: 2aae6c35c94fcfb415dbe95f408b9ce91ee846ed
    mode:
      description: Its permissions after the task; null when a new file gets the umask's (check mode).
      type: str
      sample: "0644"
    pvalues:
      description: How many P-values it holds.
      type: int
      sample: 12
phonebook:
  description: The phonebook file, with the same keys as RV(config) except C(pvalues), plus C(groups) and C(contacts)
    (how many it holds).
  returned: when O(groups) or O(contacts) is given
  type: dict
  sample: {path: /srv/tftp/phonebook.xml, changed: false, size: 388, checksum: 9c1185a5c5e9fc54612808977ee8f548b2258d31,
           mode: "0644", groups: 2, contacts: 3}
secrets_left_out:
  description: Secret P-values (by alias) that were given but left out because O(include_secrets) is V(false).
  returned: success
  type: list
  elements: str
  sample: [account1.password]
diff:
  description: Each changed file before and after (a list), secrets masked.
  returned: when changed and diff mode is on
  type: list
  elements: dict
"""

from ansible_collections.grandstream.phone.plugins.module_utils import render
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(render)


if __name__ == "__main__":
    main()
