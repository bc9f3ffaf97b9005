#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_sysop
short_description: Reboot, provision or factory-reset a Grandstream phone
version_added: 1.0.0
description:
  - Sends a system operation (C(api-sys_operation)) to a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone
    and optionally waits until the phone answers again.
  - Always reports C(changed) when it acts; in check mode it never acts and reports what it would do.
  - Made for handlers (C(notify) a reboot after configuration changes).
  - A V(reboot) or V(reset) with O(wait=true) that saw the phone go down and come back ends the reboot
    M(grandstream.phone.gs_pvalues) remembered as pending for this phone
    (its RV(grandstream.phone.gs_pvalues#module:reboot_pending)).
    A failed request, a timeout, or no O(wait) leaves it pending; gs_pvalues then asks the phone's uptime.
  - Uses the play's web session when there is one, else the guide's password token login.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  operation:
    description:
      - V(reboot) restarts the phone.
      - V(provision) starts provisioning (fetching the configuration from the config server); the phone restarts.
        Needs the admin user.
      - V(reset) restores the factory settings, including the admin password, the SIP accounts and the phonebook.
        Needs the admin user and O(confirm=true).
    type: str
    required: true
    choices: [reboot, provision, reset]
  confirm:
    description:
      - Must be V(true) for O(operation=reset); without it the task fails and sends nothing.
    type: bool
    default: false
  wait:
    description:
      - Wait until the phone answers again (C(api-get_phone_status), which needs no login).
      - While it waits, the task prints progress at default verbosity when the phone's answer changes
        (V(refused), V(503), V(up)) and every 10 seconds.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait, counted from the request. The task fails naming the phone and its last answer when
        the phone is not back by then (the operation was still sent, so the task is C(changed)).
    type: int
    default: 300
  wait_delay:
    description:
      - A phone may still answer for a moment after accepting the request. An answering phone counts as back
        only after it was seen down (refused, no answer, HTTP 5xx) or after this many seconds.
    type: float
    default: 10
  poll_interval:
    description:
      - Seconds between two polls while waiting. Each poll waits at most 5 seconds (or O(timeout)) for an answer
        and is never retried.
    type: float
    default: 1
attributes:
  check_mode:
    description: Sends nothing; reports C(changed) and what it would do.
    support: full
  diff_mode:
    description: Nothing to compare.
    support: none
notes:
  - The phone's sessions are gone after the operation; the next task logs in again by itself.
  - After O(operation=reset) the admin password is the factory one; later tasks need it as the connection password.
seealso:
  - module: grandstream.phone.gs_info
"""

EXAMPLES = r"""
- name: Reboot and wait until the phone is back
  grandstream.phone.gs_sysop:
    operation: reboot
    wait: true
    wait_timeout: 600
  register: reboot

- name: Show how long it took
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} was back after {{ reboot.elapsed }} s"

- name: Change a setting that takes effect after a reboot, and notify the handler
  grandstream.phone.gs_pvalues:
    values:
      web.access_mode: 1
  notify: reboot phone

# In the play's handlers: one reboot per phone, however many tasks notified it
- name: reboot phone
  grandstream.phone.gs_sysop:
    operation: reboot
    wait: true

- name: Factory reset (needs confirm)
  grandstream.phone.gs_sysop:
    operation: reset
    confirm: true
"""

RETURN = r"""
operation:
  description: The operation that was sent (or would be, in check mode).
  returned: always
  type: str
  sample: reboot
before:
  description: Empty; the operation is the whole change (uniform with the other configuring modules).
  returned: success
  type: dict
  sample: {}
after:
  description: The operation that was sent (or would be, in check mode).
  returned: success
  type: dict
  sample: {operation: reboot}
commands:
  description: The request that was sent (or would be, in check mode).
  returned: success
  type: list
  elements: str
  sample: ["api-sys_operation REBOOT"]
diff:
  description: RV(before) and RV(after), as shown by C(--diff).
  returned: when diff mode is on
  type: dict
  sample: {before: {}, after: {operation: reboot}}
elapsed:
  description: Seconds from the request until the phone answered again.
  returned: when O(wait=true) and the phone came back
  type: float
  sample: 74.2
msg:
  description:
    - What happened. The operation C(reset) is named C(factory reset) here and in progress lines, and a phone
      going down as C(connection refused (rebooting)) or C(connection reset (rebooting)), never a bare C(reset).
  returned: always
  type: str
  sample: reboot done, the phone answered again after 74.2 s
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 40, logins: 1, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import sysop
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(sysop)


if __name__ == "__main__":
    main()
