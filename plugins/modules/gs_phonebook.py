#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_phonebook
short_description: Download the phonebook XML of a Grandstream phone
version_added: 1.0.0
description:
  - Downloads the phonebook of a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone (C(phonebook_download),
    GXP XML phonebook format) with one request, and returns it parsed.
  - With O(dest), saves the document to a file, replacing it only when the content (or O(mode)) differs, so the
    task is changed only when the phonebook changed. The file is written atomically.
  - The document is parsed safely before anything is written. A document with a DTD or entity declarations
    (entity expansion such as "billion laughs", external entities) is refused without being expanded, as is
    a malformed document; the task fails and O(dest) is left as it was.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  dest:
    description:
      - File to save the phonebook XML to, on the controller (the module runs there). Its directory must
        exist; a missing directory is an error before any request.
      - Left out, the phonebook is only returned, never saved, and the task is never changed.
    type: path
  mode:
    description:
      - Permissions of O(dest) as an octal number, for example V("0600") (quote it in YAML).
        Symbolic modes are not supported.
      - Left out, a new file gets the default permissions of the umask and an existing file keeps its own.
      - The phonebook holds personal data; V("0600") or V("0640") is a sensible choice.
    type: raw
attributes:
  check_mode:
    description: Downloads and compares; never writes O(dest).
    support: full
  diff_mode:
    description: Shows the old and new document (or the mode change).
    support: full
seealso:
  - module: grandstream.phone.gs_contacts
  - module: grandstream.phone.gs_group
"""

EXAMPLES = r"""
- name: Back up every phone's phonebook (changed only when it changed)
  grandstream.phone.gs_phonebook:
    password: "{{ phone_admin_password }}"
    dest: "backups/{{ inventory_hostname }}-phonebook.xml"
    mode: "0600"

- name: Read the phonebook without saving it
  grandstream.phone.gs_phonebook:
  register: book

- name: Feed it to another phone
  grandstream.phone.gs_contacts:
    config: "{{ book.contacts }}"
    state: overridden
  delegate_to: phone2
"""

RETURN = r"""
groups:
  description: The groups in the document (C(pbgroup)), with the phone's ids.
  returned: success
  type: list
  elements: dict
  sample: [{id: 0, name: default}, {id: 100, name: blacklist}, {id: 1, name: Sales}]
  contains:
    id:
      description: The group id.
      type: int
    name:
      description: The group name.
      type: str
contacts:
  description:
    - The contacts in the document in M(grandstream.phone.gs_contacts) O(grandstream.phone.gs_contacts#module:config)
      form, so they can be fed back to it. Empty fields are left out.
    - The group is given by name; a group id the document does not list is shown as its number.
    - The XML has no email field on some firmware; use M(grandstream.phone.gs_contacts) with V(gathered) for it.
  returned: success
  type: list
  elements: dict
  sample: [{first_name: Jack, last_name: Brown, group: Sales, work: "123456"}]
dest:
  description: The file the phonebook was saved to.
  returned: when O(dest) is given
  type: str
  sample: backups/phone1-phonebook.xml
mode:
  description: Permissions of O(dest) after the task (in check mode, as they would be).
  returned: when O(dest) is given and its mode is known
  type: str
  sample: "0600"
size:
  description: Size of the downloaded document in bytes.
  returned: success
  type: int
  sample: 454
checksum:
  description: SHA-1 of the downloaded document.
  returned: success
  type: str
  sample: be78c1607b7dc7628b917fabf99d354c0d333192
diff:
  description: The old and new document, or the old and new mode when only the mode changes.
  returned: when changed and diff mode is on
  type: dict
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 1, logins: 0, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import phonebook_download
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(phonebook_download)


if __name__ == "__main__":
    main()
