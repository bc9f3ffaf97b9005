#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_group
short_description: Manage the phonebook contact groups of a Grandstream phone
version_added: 1.0.0
description:
  - Declares the contact groups of a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone through its Web API,
    in the style of the network resource modules (O(state=merged), V(overridden), V(deleted), V(gathered),
    V(rendered)).
  - Groups are keyed by name (case-sensitive). The built-in groups C(default) (id 0) and C(blacklist) (id 100)
    are never deleted or renamed; asking for that is an error.
  - A run reads the groups once (one request), sends only the calls needed, then reads them back once and
    fails if the phone does not hold what was asked. A run with nothing to change makes one request.
  - To manage the groups together with the contacts in them, in one task and one read of the phone, use the
    O(grandstream.phone.gs_contacts#module:groups) option of M(grandstream.phone.gs_contacts) (the
    C(grandstream.phone.phone) role does).
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  config:
    description:
      - The groups.
      - Required with O(state=merged), V(overridden) and V(rendered); optional with V(deleted); not used with
        V(gathered).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the group. Leading and trailing spaces are removed; control characters and characters XML 1.0
            cannot carry (such as U+FFFE) are refused; at most 64 bytes of UTF-8, as the phone counts (16 emoji
            are already 64 bytes). The same holds for O(config[].old_name).
          - Listing a name twice is an error.
        type: str
        required: true
      old_name:
        description:
          - Rename the group called O(config[].old_name) to O(config[].name). The group keeps its id, so its
            contacts stay in it.
          - Nothing is renamed when a group called O(config[].name) already exists and O(config[].old_name) does
            not (the rename already happened); the group is created when neither exists; it is an error when
            both exist.
          - Chained renames in one task (V(A) to V(B) and V(B) to V(C)) are refused. Not used with O(state=deleted).
        type: str
  state:
    description:
      - V(merged) creates the groups of O(config) that are missing and applies renames; other groups stay.
      - V(overridden) makes the phone hold exactly the groups of O(config) plus the built-in ones; groups not in
        O(config) are deleted first.
      - V(deleted) deletes the groups named in O(config), or every group except the built-in ones when O(config)
        is not given. The phone moves the contacts of a deleted group to C(default).
      - V(gathered) returns the groups on the phone in RV(gathered), in O(config) form; nothing changes.
      - V(rendered) returns the commands for O(config) in RV(rendered) without contacting any phone (no connection
        options are needed).
    type: str
    choices: [merged, overridden, deleted, gathered, rendered]
    default: merged
attributes:
  check_mode:
    description: Reads the phone and reports what would change and the commands it would send; writes nothing.
    support: full
  diff_mode:
    description: Shows the changed groups only, before and after.
    support: full
notes:
  - Group ids are chosen by the phone; a new group's id is known after the task (see M(grandstream.phone.gs_info)).
  - Adding a group is never sent twice blindly. When a write fails so that its outcome is unknown (connection
    reset or refused, timeout, HTTP 5xx), the task reads the groups again and sends only what did not happen,
    for at most 3 rounds.
  - Two groups of one name on the phone (the phone refuses them, but older firmware may hold them) are only
    warned about with V(merged), since deleting a copy would move its contacts to V(default).
seealso:
  - module: grandstream.phone.gs_contacts
  - module: grandstream.phone.gs_phonebook
  - module: grandstream.phone.gs_info
"""

EXAMPLES = r"""
- name: Make sure the groups exist (others stay)
  grandstream.phone.gs_group:
    password: "{{ phone_admin_password }}"
    config:
      - name: Sales
      - name: Support

- name: Rename a group; its contacts stay in it
  grandstream.phone.gs_group:
    config:
      - name: Field Sales
        old_name: Sales

- name: Exactly these groups (plus default and blacklist)
  grandstream.phone.gs_group:
    config:
      - name: Field Sales
      - name: Support
    state: overridden

- name: Delete one group
  grandstream.phone.gs_group:
    config:
      - name: Support
    state: deleted

- name: Delete every group except the built-in ones
  grandstream.phone.gs_group:
    state: deleted

- name: Read the groups in config form (for brownfield adoption)
  grandstream.phone.gs_group:
    state: gathered
  register: phone_groups

- name: Show the commands without a phone
  grandstream.phone.gs_group:
    config: "{{ phonebook_groups }}"
    state: rendered
  delegate_to: localhost
"""

RETURN = r"""
before:
  description: The groups on the phone before the task, in O(config) form, in the phone's order.
  returned: when O(state) is V(merged), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample: [{name: default}, {name: blacklist}, {name: Sales}]
after:
  description:
    - The groups on the phone after the task, as read back (in check mode, as they would be).
  returned: when O(state) is V(merged), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample: [{name: default}, {name: blacklist}, {name: Field Sales}]
commands:
  description:
    - The API calls made (in check mode, that would be made), readable, in order. C(add_group) is
      C(api-add_group); C(rename_group) and C(delete_group) are C(api-edit_delete_group) with the group id.
    - Empty when nothing changed.
  returned: always, except with O(state=gathered)
  type: list
  elements: str
  sample: ["delete_group id=2 name=Legacy", "rename_group id=1 old_name=Sales name='Field Sales'",
           "add_group name=Support"]
gathered:
  description: The groups on the phone, in O(config) form, built-in ones included.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample: [{name: default}, {name: blacklist}, {name: Sales}]
rendered:
  description: The commands for O(config) on a phone that has none of the groups yet (renames by name).
  returned: when O(state=rendered)
  type: list
  elements: str
  sample: ["add_group name=Sales", "rename_group old_name=Sales name='Field Sales'"]
diff:
  description: The changed groups only, keyed by name, before and after, as shown by C(--diff).
  returned: when changed and diff mode is on
  type: dict
  sample: {before: {Sales: {name: Sales}}, after: {Field Sales: {name: Field Sales}}}
applied:
  description:
    - On a failure after some calls went through, the commands that were applied (including a write whose
      answer was lost but which the phone, read again, turned out to hold).
  returned: when the task failed partway or the read-back did not match
  type: list
  elements: str
  sample: ["add_group name=Sales"]
failed:
  description: The command the phone refused.
  returned: when a call failed partway
  type: str
  sample: add_group name=Support
unverified:
  description:
    - Commands whose request may have reached the phone although the task could not tell whether it acted (the
      answer was lost, and the phone could not be read again, or an add timed out and is not resent). The task
      then reports C(changed); the next run reads the phone and converges.
  returned: when a write's outcome stayed unknown
  type: list
  elements: str
  sample: ["add_group name=Support"]
mismatches:
  description:
    - When the read-back does not show what was written (error kind C(not_applied)), per group name the
      groups expected and the groups the phone actually holds.
  returned: when the read-back did not match
  type: dict
  sample: {Support: {expected: [{name: Support}], actual: []}}
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: when a phone was contacted
  type: dict
  sample: {requests: 3, logins: 0, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import groups
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(groups)


if __name__ == "__main__":
    main()
