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
  - "Lockout safety: the module never tries a password by logging in with it, in check mode or not, so it
    spends no login attempt beyond the connection's own login (which every module makes, once per play)."
  - When O(role) is the connection's own user, that login (or the play's session) proves which password the
    phone holds, so O(new_password) is set exactly when it is the connection O(password), and nothing is sent.
  - Otherwise (an admin connection setting the V(user) password), the phone is asked through
    C(api-change_password), which checks the current password without counting a failed login. First the
    change from O(current_password) to O(new_password), and when the phone answers that O(current_password)
    is wrong, a change from O(new_password) to itself, which succeeds exactly when O(new_password) is
    already set (it changes nothing).
  - After a change, the phone is asked the same way to confirm O(new_password) as the current password.
  - The controller keeps a fingerprint (a keyed, salted hash, never the password) of the password it last set per
    phone and role, next to the session cache (C(GS_SESSION_CACHE_DIR)); see RV(verified) for what check mode
    makes of it.
  - Passwords never appear in results, messages, logs or URLs.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
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
      - Must be a string (a whole number is taken as its digits); a list or a dictionary is refused naming the
        option, never stored as its Python text.
    type: raw
    required: true
  current_password:
    description:
      - The role's password on the phone now.
      - Defaults to the connection O(password) when O(role) is the connection's own user. Required to set
        the V(user) password over an V(admin) connection, because the phone checks the user's current password.
      - Must be a string, like O(new_password).
    type: raw
attributes:
  check_mode:
    description:
      - Sends no change and no login with O(new_password) or O(current_password).
      - For the connection's own role, C(changed) says whether the password would change, verified by the
        connection's login (RV(verified) is V(true)).
      - For the other role (the V(user) password over an V(admin) connection) the phone cannot be asked without
        a change or a login, so RV(verified) is V(false) and C(changed) is V(false) only when O(new_password) is
        the password this controller last set on this phone for that role (a hand change on the phone since then
        is found by the next run without check mode), else V(true).
    support: full
  diff_mode:
    description: Passwords are never shown, so there is no diff.
    support: none
notes:
  - The task connects with the connection O(password) (or the play's session); to rotate a password the
    inventory already holds, set O(password) on the task to the old one.
  - A wrong O(current_password) costs no login attempt; the phone refuses the change and the task fails
    naming the option. Asking whether O(new_password) is already set sends one C(api-change_password) that
    changes nothing.
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
before:
  description: The role's password before the task, always masked (a login password is always set).
  returned: success
  type: dict
  sample: {admin_password: "********"}
after:
  description:
    - The role's password after the task (in check mode, as it would be), always masked; V(******** (written\))
      when it was (or would be) changed.
  returned: success
  type: dict
  sample: {admin_password: "******** (written)"}
commands:
  description: The change that was sent (in check mode, would be sent); empty when the password was already the new one.
  returned: success
  type: list
  elements: str
  sample: ["change admin password"]
diff:
  description: RV(before) and RV(after), as shown by C(--diff).
  returned: when changed and diff mode is on
  type: dict
  sample: {before: {admin_password: "********"}, after: {admin_password: "******** (written)"}}
verified:
  description:
    - Whether the phone itself showed which password it holds (the connection's login, or its answer to
      C(api-change_password)). V(false) in check mode for the role that is not the connection's; C(changed)
      then rests on this controller's record of the password it set.
  returned: success
  type: bool
  sample: true
applied:
  description:
    - On a failure after the change reached the phone (for example the confirmation got no answer), what was
      applied; C(changed) is then V(true).
  returned: failure after a change
  type: list
  elements: str
  sample: [change admin password]
requests:
  description: HTTP requests and logins this task made (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 3, logins: 1, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import password
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(password)


if __name__ == "__main__":
    main()
