#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_password
short_description: Set the admin or user web password of a Grandstream phone
version_added: 1.0.0
description:
  - Sets the password of the phone's C(admin) or C(user) web login through C(api-change_password), on a
    Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone.
  - Idempotent without reading the password (phones never return it) by first trying a login with
    O(new_password) as that role's user. When the phone accepts it nothing changes and no change is sent.
  - Otherwise the change is sent in a POST form body with O(current_password), then a login with the new
    password proves that it took.
  - "Lockout safety: the login that tries O(new_password) is the only one expected to fail. The phone's answer
    tells how many attempts it has left before it locks logins; with fewer than 3 the task stops with an
    error before anything else, because the change needs up to two more logins. The phone checks
    O(current_password) as part of the change, so a wrong one costs no login attempt."
  - Passwords never appear in results, messages, logs or URLs.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.action_group
options:
  role:
    description:
      - Whose password to set. Changing the V(admin) password needs an admin connection
        (O(username=admin)).
    type: str
    choices: [admin, user]
    default: admin
  new_password:
    description:
      - The password the role should have. Never logged, never returned.
    type: str
    required: true
  current_password:
    description:
      - The role's password on the phone now.
      - Defaults to the connection O(password) when O(role) is the connection's own user. Required to set
        the V(user) password over an V(admin) connection, because the phone checks the user's current password.
    type: str
attributes:
  check_mode:
    description: Tries the login with O(new_password) and reports whether the password would change; sends no change.
    support: full
  diff_mode:
    description: Passwords are never shown, so there is no diff.
    support: none
notes:
  - The task connects with the connection O(password) (or the play's session); to rotate a password the
    inventory already holds, set O(password) on the task to the old one.
  - Trying the new password is a login attempt, so a change counts one failed login on the phone (a rerun
    that finds the password already set counts none).
  - After a change of the connection user's own password, the later tasks of the same play keep working
    with the configured (now old) password, because they reuse the session opened with the new one. Once
    the phone drops that session (reboot, idle timeout), logins need the new password in the inventory.
seealso:
  - module: grandstream.phone.gs_pvalues
  - module: grandstream.phone.gs_info
"""

EXAMPLES = r"""
- name: Rotate the admin password (the connection still uses the old one)
  grandstream.phone.gs_password:
    password: "{{ phone_admin_password_old }}"
    role: admin
    new_password: "{{ phone_admin_password }}"

- name: Rotate the admin password when the inventory already holds the new one (connect with the old one)
  grandstream.phone.gs_password:
    password: "{{ phone_admin_password_old }}"
    new_password: "{{ gs_password }}"

- name: Set the user password over the admin connection
  grandstream.phone.gs_password:
    password: "{{ phone_admin_password }}"
    role: user
    current_password: "{{ phone_user_password_old }}"
    new_password: "{{ phone_user_password }}"

- name: Later tasks of the play keep working after the change
  grandstream.phone.gs_info:
    password: "{{ phone_admin_password_old }}"
"""

RETURN = r"""
msg:
  description: What happened, without any password.
  returned: always
  type: str
  sample: the admin password was changed
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 4, logins: 3, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import password
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(password)


if __name__ == "__main__":
    main()
