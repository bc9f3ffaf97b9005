#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_call
short_description: Dial, end, hold, accept or reject calls on a Grandstream phone
version_added: 1.0.0
description:
  - Dials a number (C(api-make_call)) or acts on the call on a line (C(api-phone_operation)) of a
    Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone, and optionally waits until the line reaches a state
    (C(api-get_line_status)).
  - Calls are actions, not state, so the task reports C(changed) whenever it acts. In check mode it never acts.
  - An operation counts as done only when the phone answers body C("true") (the guide); any other answer fails
    the task with C(error_kind=not_handled) and C(changed=false).
  - Uses the play's web session when there is one, else the guide's password token login.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  number:
    description:
      - Number to dial, digits, C(*) and C(#) with an optional leading C(+). The phone picks a free line.
      - Mutually exclusive with O(operation) and O(line).
    type: str
  account:
    description:
      - Account to dial from, V(0) being the first. Only with O(number); defaults to V(0).
    type: int
  operation:
    description:
      - What to do with the call on O(line), which is then required.
    type: str
    choices: [end, hold, accept, reject]
  line:
    description:
      - Line to act on or wait on, as C(api-get_line_status) numbers them (see M(grandstream.phone.gs_info)).
    type: int
  wait_for:
    description:
      - Wait until the line is in this state. After O(number), the line is the one the call was placed on.
      - Without O(number) and O(operation), the task only waits on O(line), for example for an incoming call to
        ring before accepting it.
      - The task fails early when the call fails, or when a dialled call ends before reaching the state.
    type: str
    choices: [ringing, in_call, idle]
  wait_timeout:
    description:
      - Seconds to wait for O(wait_for).
    type: int
    default: 30
  poll_interval:
    description:
      - Seconds between two reads of the line status while waiting.
    type: float
    default: 0.5
attributes:
  check_mode:
    description: Sends nothing; reports C(changed) and what it would do.
    support: full
  diff_mode:
    description: Nothing to compare.
    support: none
notes:
  - Parameters the phone rejects (no such line, no call on it that the operation applies to, an account it lacks)
    fail the task with a message naming the option.
seealso:
  - module: grandstream.phone.gs_info
"""

EXAMPLES = r"""
- name: Call the conference room and wait until it answers
  grandstream.phone.gs_call:
    number: "4711"
    account: 0
    wait_for: in_call
  register: call

- name: Put it on hold
  grandstream.phone.gs_call:
    operation: hold
    line: "{{ call.line }}"

- name: Hang up and wait until the line is free
  grandstream.phone.gs_call:
    operation: end
    line: "{{ call.line }}"
    wait_for: idle

- name: Wait for an incoming call on line 1, then take it
  grandstream.phone.gs_call:
    line: 1
    wait_for: ringing
    wait_timeout: 60

- name: Accept it
  grandstream.phone.gs_call:
    operation: accept
    line: 1
"""

RETURN = r"""
line:
  description: The line acted on or waited on; after dialling with O(wait_for), the line the call was placed on.
  returned: when known
  type: int
  sample: 1
line_status:
  description: The line's status when the wait ended; C(state_name) translates C(state), given as a number or a word.
  returned: when O(wait_for) is set
  type: dict
  sample: {line: 1, state: "4", state_name: in_call, acct: "0", name: "", number: "4711", active: 1}
elapsed:
  description: Seconds spent waiting for O(wait_for).
  returned: when O(wait_for) is set
  type: float
  sample: 1.5
msg:
  description: What happened.
  returned: always
  type: str
  sample: "dial 4711 on account 0: done"
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 4, logins: 1, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import call
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(call)


if __name__ == "__main__":
    main()
