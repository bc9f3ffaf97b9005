#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_contacts
short_description: Manage the phonebook contacts of a Grandstream phone
version_added: 1.0.0
description:
  - Declares the phonebook contacts of a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone through its Web
    API, in the style of the network resource modules (O(state=merged), V(replaced), V(overridden), V(deleted),
    V(gathered), V(rendered)).
  - Contacts are keyed by full name, C(first_name last_name). How the name is split between first and last
    name is part of the contact (V(Mary Ann) V(Smith) and V(Mary) V(Ann Smith) are the same key; V(replaced)
    fixes the split in place).
  - Everything in O(config) is checked before the first request, every problem of every entry at once, each
    naming its field (for example C(config[3].email)). A group is given by name and must exist on the phone, or
    be created by O(groups) in the same task (or by M(grandstream.phone.gs_group)); an unknown group fails the
    task before anything is written. Without O(groups), in check mode it is only a warning, because an earlier
    task of the play may create the group for real; with O(groups) the task manages the groups itself, so it
    is an error in check mode too (a drift check cannot pass while the real run would fail).
  - With O(groups), the task also manages the contact groups, before the contacts, with the states of
    M(grandstream.phone.gs_group). Both come from one read of the phone (the phonebook XML lists the groups), so
    a phonebook with groups and contacts costs one task and two reads when nothing changes; check mode plans the
    contacts against the groups as they would be.
  - An edit keeps the contact's id (C(api-save_edit_contact) with the id); moving a contact to another group is
    an edit. After the calls, the contacts are read back once and the task fails if the phone does not hold
    what was asked.
  - Adding a contact or a group is never sent twice blindly (it would be stored twice). When a write fails so
    that its outcome is unknown (connection reset or refused, timeout, HTTP 5xx), the task reads the phone again
    and plans again from what it holds, sending only what did not happen, for at most 3 rounds. An add that
    timed out and does not show yet is not resent (the phone may still carry it out); the task then fails,
    lists it under RV(unverified) and reports C(changed), and the next run converges.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  config:
    description:
      - The contacts. Listing one full name twice is an error.
      - An empty O(config) with O(groups) empty or left out, under a state that only acts on what is listed
        (V(merged), V(replaced), V(deleted); O(groups_state) V(merged) or V(deleted)), has nothing to do - the
        task reports itself C(skipped), saying so in RV(ignore:msg), and contacts no phone.
      - Required with O(state=merged), V(replaced), V(overridden) and V(rendered); optional with V(deleted); not
        used with V(gathered).
      - Text values are stripped of leading and trailing spaces; control characters and characters XML 1.0
        cannot carry (such as U+FFFE, U+FFFF) are refused, since the phone would store them and then fail to read
        its own phonebook.
      - Lengths are in bytes of UTF-8, as the phone counts them, not characters; names (and O(config[].group))
        at most 64 bytes (16 emoji are already 64), numbers 32, O(config[].email) 128.
      - Quote numbers in YAML (V("0301234")), or a leading zero is lost.
    type: list
    elements: dict
    suboptions:
      first_name:
        description: First name; must not be empty.
        type: str
        required: true
      last_name:
        description: Last name. Left out, the contact has no last name (it is part of the key, never "keep").
        type: str
      group:
        description:
          - Name of the contact's group. The built-in ones are V(default) and V(blacklist).
          - Left out, V(merged) keeps the contact's group and a new contact goes to V(default); V(replaced) and
            V(overridden) put the contact in V(default).
        type: str
      work:
        description:
          - Work number. A number may hold digits, C(*) and C(#), a leading C(+), spaces, C(-) and parentheses,
            with at least one digit, C(*) or C(#); SIP URIs are not accepted.
          - With V(merged), V("") clears the number and leaving it out keeps the phone's; V(replaced) and
            V(overridden) clear every number that is not given. The same holds for O(config[].home),
            O(config[].mobile), O(config[].fax) and O(config[].email).
        type: str
      home:
        description: Home number, same rules as O(config[].work).
        type: str
      mobile:
        description: Mobile number, same rules as O(config[].work).
        type: str
      fax:
        description: Work fax number, same rules as O(config[].work).
        type: str
      email:
        description: Email address (C(local@domain.tld)).
        type: str
  state:
    description:
      - V(merged) adds missing contacts and changes only the fields given of existing ones.
      - V(replaced) makes each contact of O(config) exactly as given (fields not given are cleared); other
        contacts stay.
      - V(overridden) makes the phone hold exactly O(config); other contacts are deleted (first, one call each).
      - V(deleted) deletes the contacts named in O(config) (only the names matter), one call each; without
        O(config) it deletes every contact with one C(api-delete_all_contact) call.
      - V(gathered) returns the contacts on the phone in RV(gathered), in O(config) form; nothing changes.
      - V(rendered) returns the commands for O(config) in RV(rendered) without contacting any phone (no
        connection options are needed).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
    default: merged
  groups:
    description:
      - The contact groups, managed in the same task before the contacts, as O(groups_state) says. Same entries
        as the O(grandstream.phone.gs_group#module:config) of M(grandstream.phone.gs_group).
      - Left out, the task leaves the groups alone. Not used with O(state=gathered) or V(rendered).
      - A contact may name a group of this list that does not exist yet, also in check mode. A contact in a group
        that O(groups_state=overridden) or V(deleted) removes is an error before anything is written.
    type: list
    elements: dict
    suboptions:
      name:
        description: Group name (the key). The built-in groups are V(default) and V(blacklist).
        type: str
        required: true
      old_name:
        description: Rename the group called this to O(groups[].name), keeping its id and its contacts.
        type: str
  groups_state:
    description:
      - How O(groups) applies, as O(grandstream.phone.gs_group#module:state) does.
      - V(merged) adds missing groups and renames; V(overridden) also deletes every other group except the
        built-ins (their contacts move to V(default)); V(deleted) deletes the groups named.
    type: str
    choices: [merged, overridden, deleted]
    default: merged
attributes:
  check_mode:
    description: Reads the phone and reports what would change and the commands it would send; writes nothing.
    support: full
  diff_mode:
    description: Shows the changed contacts only, keyed by full name, before and after.
    support: full
notes:
  - "Requests: C(api-get_contacts) has the ids, numbers and email but only the joined name, the phonebook XML
    (C(phonebook_download)) has first and last name apart, and lists the groups. A run reads the contacts and
    the XML once (the XML is skipped when the phone has no contacts; C(api-get_groups) is read only when a group
    is missing from the XML, or for O(groups_state=overridden) and V(deleted)), sends one call per group or
    contact to add, change or delete, and reads back once. 300 new contacts on an empty phone cost 304 requests
    (plus a login when the play has none yet); a run with nothing to change costs 2."
  - A contact of O(config) that the phone holds more than once (two plays at once, a worker that outlived a
    killed controller, or by hand) is drift in every state. The task keeps one copy (the one that already holds
    the desired fields, else the one with most of them right, then the lowest id), edits it if needed, and
    deletes the others; check mode reports it as a change, and the diff shows every copy (V(Jack Brown),
    V(Jack Brown (2))). With V(merged) and V(replaced), duplicates of contacts not in O(config) are left alone.
seealso:
  - module: grandstream.phone.gs_group
  - module: grandstream.phone.gs_phonebook
  - module: grandstream.phone.gs_info
"""

EXAMPLES = r"""
- name: Groups first, then the contacts in them
  module_defaults:
    group/grandstream.phone.phone:
      password: "{{ phone_admin_password }}"
  block:
    - name: Groups
      grandstream.phone.gs_group:
        config:
          - name: Sales

    - name: Contacts (others on the phone stay; only the given fields change)
      grandstream.phone.gs_contacts:
        config:
          - first_name: Jack
            last_name: Brown
            group: Sales
            work: "+1 (555) 010-0100"
            email: jack.brown@example.com
          - first_name: Reception
            work: "100"

- name: Jack gets exactly these fields; his work number and email are cleared
  grandstream.phone.gs_contacts:
    config:
      - first_name: Jack
        last_name: Brown
        mobile: "+1 555 0199"
    state: replaced

- name: Groups and contacts in one task (one read of the phone for both)
  grandstream.phone.gs_contacts:
    groups:
      - name: Sales
      - name: Support
    config:
      - first_name: Jack
        last_name: Brown
        group: Sales
        work: "1001"

- name: The phonebook holds exactly the list from the inventory
  grandstream.phone.gs_contacts:
    config: "{{ phonebook_contacts }}"
    state: overridden

- name: Delete one contact
  grandstream.phone.gs_contacts:
    config:
      - first_name: Jack
        last_name: Brown
    state: deleted

- name: Delete every contact (one request)
  grandstream.phone.gs_contacts:
    state: deleted

- name: Read the contacts in config form
  grandstream.phone.gs_contacts:
    state: gathered
  register: phone_contacts
"""

RETURN = r"""
before:
  description: The contacts on the phone before the task, in O(config) form (empty fields left out), phone order.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample: [{first_name: Jack, last_name: Brown, group: Sales, work: "123456"}]
after:
  description: The contacts after the task, as read back (in check mode, as they would be).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample: [{first_name: Jack, last_name: Brown, group: Sales, work: "123456", email: jack.brown@example.com}]
commands:
  description:
    - The API calls made (in check mode, that would be made), readable, in order; with O(groups), the group
      calls (as RV(groups.commands)) come first. C(save_contact) is
      C(api-save_edit_contact) (with C(id=) for an edit, which sends every field; it shows the fields set and
      the ones it clears as C('')), C(delete_contact) is C(api-delete_contact), C(delete_all_contacts) is
      C(api-delete_all_contact). Groups are shown by name; the call sends the group id.
    - Empty when nothing changed.
  returned: always, except with O(state=gathered)
  type: list
  elements: str
  sample: ["save_contact id=3 first_name=Jack last_name=Brown group=Sales work=123456 email=jack@example.com",
           "save_contact first_name=Ann last_name=Lee group=default mobile='+1 555 0100'",
           "delete_contact id=4 name='Mary Smith'"]
gathered:
  description: The contacts on the phone in O(config) form (empty fields left out).
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample: [{first_name: Jack, last_name: Brown, group: default, work: "123456"}]
rendered:
  description: The commands for O(config) on a phone that has none of the contacts yet.
  returned: when O(state=rendered)
  type: list
  elements: str
  sample: ["save_contact first_name=Jack last_name=Brown group=Sales work=123456"]
groups:
  description: With O(groups), the groups part of the task.
  returned: when O(groups) is given
  type: dict
  contains:
    before:
      description: The groups before the task, in O(groups) form (those the phonebook XML lists, or all).
      type: list
      elements: dict
      sample: [{name: default}, {name: blacklist}, {name: Sales}]
    after:
      description: The groups after the task, as read back (in check mode, as they would be).
      type: list
      elements: dict
      sample: [{name: default}, {name: blacklist}, {name: Sales}, {name: Support}]
    commands:
      description: The group calls, as RV(grandstream.phone.gs_group#module:commands) of M(grandstream.phone.gs_group).
      type: list
      elements: str
      sample: ["add_group name=Support"]
diff:
  description:
    - The changed contacts only, keyed by full name, before and after, as shown by C(--diff).
    - With O(groups), a list of two such diffs, headed C(groups) and C(contacts), each present when it changed.
  returned: when changed and diff mode is on
  type: raw
  sample: {before: {Jack Brown: {first_name: Jack, last_name: Brown, group: default}},
           after: {Jack Brown: {first_name: Jack, last_name: Brown, group: Sales}}}
warnings:
  description: Unknown groups in check mode, duplicate full names on the phone, names missing from the XML.
  returned: when there is something to warn about
  type: list
  elements: str
applied:
  description:
    - On a failure after some calls went through, the commands that were applied (including a write whose
      answer was lost but which the phone, read again, turned out to hold).
  returned: when the task failed partway or the read-back did not match
  type: list
  elements: str
  sample: ["save_contact first_name=Jack last_name=Brown group=Sales"]
failed:
  description: The command the phone refused.
  returned: when a call failed partway
  type: str
  sample: save_contact first_name=Ann group=default
unverified:
  description:
    - Commands whose request may have reached the phone although the task could not tell whether it acted (the
      answer was lost, and the phone could not be read again, or an add timed out and is not resent). The task
      then reports C(changed); the next run reads the phone and converges.
  returned: when a write's outcome stayed unknown
  type: list
  elements: str
  sample: ["save_contact first_name=Ann group=default"]
mismatches:
  description:
    - When the read-back does not show what was written (error kind C(not_applied)), per full name the
      contacts expected and the contacts the phone actually holds.
  returned: when the read-back did not match
  type: dict
  sample: {Jack Brown: {expected: [{first_name: Jack, last_name: Brown, group: Sales}], actual: []}}
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: when a phone was contacted
  type: dict
  sample: {requests: 5, logins: 0, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import contacts_with_groups
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(contacts_with_groups)


if __name__ == "__main__":
    main()
