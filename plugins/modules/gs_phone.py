#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_phone
short_description: Bring a Grandstream phone's phonebook, P-values and passwords to their desired state in one task
version_added: 1.0.0
description:
  - Runs, for one phone and in this order, what M(grandstream.phone.gs_contacts), M(grandstream.phone.gs_pvalues)
    and M(grandstream.phone.gs_password) (admin, then user) do - the same code, validated by the same option
    specifications - through one connection and one login.
  - One task per phone instead of three - Ansible costs about 22 ms of controller CPU per phone and task before a
    module does any work, which for a no-change drift check is most of the cost (C(docs/performance.md)). The role
    C(grandstream.phone.phone) uses it.
  - Every part's options are checked, and every P-value and password against the catalog, before the first
    request; all problems are reported at once, each naming its part (for example C(pvalues) and the option), and
    nothing is sent.
  - A failed phonebook does not hold back the P-values and passwords, which do not depend on it - the task then
    fails with the phonebook's message, saying which parts still ran, and reports what they changed. A failure
    that would repeat in the next part (a refused login or certificate, a locked or unreachable phone, a missing
    library) stops the phone at once, so a refused password is never sent again. A phone whose P-values failed
    gets no new password.
  - With nothing desired in any part the task reports itself C(skipped) without contacting the phone.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  from_variables:
    description:
      - Take every part from this host's variables, as the role C(grandstream.phone.phone) reads them, instead of
        the options below - C(phone_groups) and C(phone_host_groups), C(phone_groups_state), C(phone_contacts) and
        C(phone_host_contacts), C(phone_contacts_state) for O(phonebook); the P-value layers (C(phone_pvalues),
        C(phone_model_pvalues) chosen by C(gs_model) or the model the phone reports, C(phone_group_pvalues),
        C(phone_pvalues_layers) with each C(phone_layer_<name>) it lists, C(phone_host_pvalues)),
        C(phone_pvalues_update_secrets) and C(phone_pvalues_strict) for O(pvalues); C(phone_admin_password),
        C(phone_user_password) and C(phone_user_current_password) (empty - left alone).
      - The variables are those the task sees (inventory, C(group_vars) and C(host_vars), play variables, role
        defaults and parameters); one not set takes the role's default. A variable is templated only when it
        holds a template, and none of the task's own arguments has to be one, so Ansible compiles no template per
        host for them - the role's task uses it for that (C(docs/performance.md)).
      - Validate the variables first (M(grandstream.phone.gs_validate), as the role does); here a problem is
        named by the part's option it fills.
      - Not together with O(phonebook), O(pvalues) or the password options.
    type: bool
    default: false
  phonebook:
    description:
      - The options of M(grandstream.phone.gs_contacts) (O(grandstream.phone.gs_contacts#module:config),
        O(grandstream.phone.gs_contacts#module:state), O(grandstream.phone.gs_contacts#module:groups),
        O(grandstream.phone.gs_contacts#module:groups_state)), without the connection options, which this task's
        own are.
      - Validated as that module validates them; a problem names the part, for example
        C(phonebook) and the option.
      - Left out, the phonebook is not managed.
    type: dict
  pvalues:
    description:
      - The options of M(grandstream.phone.gs_pvalues) (O(grandstream.phone.gs_pvalues#module:values) or
        O(grandstream.phone.gs_pvalues#module:layers), O(grandstream.phone.gs_pvalues#module:model),
        O(grandstream.phone.gs_pvalues#module:update_secrets), O(grandstream.phone.gs_pvalues#module:strict)),
        without the connection options.
      - Secret P-values in them are masked in every output, as that module masks them.
      - Left out, no P-value is managed.
    type: dict
  admin_password:
    description:
      - The admin web password to hold, as M(grandstream.phone.gs_password) sets it with
        O(grandstream.phone.gs_password#module:role=admin) (O(grandstream.phone.gs_password#module:new_password)).
      - Left out, the admin password is left alone. An empty one is refused.
    type: raw
  user_password:
    description:
      - The user web password to hold, as M(grandstream.phone.gs_password) sets it with
        O(grandstream.phone.gs_password#module:role=user).
      - Left out, the user password is left alone.
    type: raw
  user_current_password:
    description:
      - The user password the phone holds now, when the connection is not the user's own
        (O(grandstream.phone.gs_password#module:current_password)); only with O(user_password).
    type: raw
notes:
  - Check mode is supported and is a drift check - each part reports what it would change, and nothing is sent
    that changes the phone. With C(--diff) each part's difference is shown, secrets masked.
  - C(changed) is also V(true) while a reboot-needing value written earlier still waits for its reboot (see
    RV(reboot_pending)) - the reboot is a change this run still has to make, and a handler notified by the task
    can make it.
  - Runs on the controller (an action plugin); the phone needs no Python.
seealso:
  - module: grandstream.phone.gs_contacts
  - module: grandstream.phone.gs_pvalues
  - module: grandstream.phone.gs_password
  - module: grandstream.phone.gs_fleet
"""

EXAMPLES = r"""
- name: One phone's phonebook, P-values and admin password in one task
  grandstream.phone.gs_phone:
    host: 192.0.2.10
    password: "{{ vault_phone_admin_password }}"
    phonebook:
      groups:
        - name: Sales
      config:
        - first_name: Jack
          last_name: Brown
          group: Sales
          work: "100"
    pvalues:
      values:
        ntp.server: pool.ntp.org
        time.zone: GMT+1
    admin_password: "{{ vault_phone_new_admin_password }}"
  register: phone_result
  notify: Reboot phone

- name: The whole desired state from this host's variables, as the role grandstream.phone.phone reads them
  grandstream.phone.gs_phone:
    from_variables: true
  register: phone_result

- name: What would change (a drift check)
  grandstream.phone.gs_phone:
    pvalues:
      layers: "{{ query('grandstream.phone.desired_pvalues', layers=true)[0] }}"
  check_mode: true
  diff: true
"""

RETURN = r"""
results:
  description:
    - Each part's result by part, exactly as its module returns it (without RV(requests), which the task returns
      for all parts) - V(phonebook) as M(grandstream.phone.gs_contacts), V(pvalues) as
      M(grandstream.phone.gs_pvalues), V(admin_password) and V(user_password) as M(grandstream.phone.gs_password).
    - Only the parts given are in it. A part not run because an earlier one failed is V(skipped), its C(msg)
      saying which part failed first.
  returned: always
  type: dict
  sample:
    phonebook: {changed: false, before: [], after: [], commands: []}
    pvalues: {changed: true, changes: {time.zone: {before: GMT, after: GMT+1}}, commands: ["set P64"],
              reboot_required: false, reboot_pending: false, unverified: []}
msg:
  description: Which parts changed, V(no change), or on failure the first failed part's message and what still ran.
  returned: always
  type: str
  sample: "changed: pvalues"
reboot_required:
  description: Whether a changed P-value needs a reboot to take effect (or an earlier one still does).
  returned: always
  type: bool
  sample: false
reboot_pending:
  description:
    - Whether a reboot-needing value written earlier still waits for its reboot (the P-values part's
      RV(grandstream.phone.gs_pvalues#module:reboot_pending)); C(changed) is then V(true).
  returned: always
  type: bool
  sample: false
unverified:
  description: The secret P-values the phone could not confirm (the P-values part's).
  returned: always
  type: list
  elements: str
  sample: []
diff:
  description: Each changed part's difference, in part order, as its module shows it with C(--diff).
  returned: when changed and diff mode is on
  type: list
  elements: dict
failed_parts:
  description: The parts that failed, in order.
  returned: failure of a part
  type: list
  elements: str
  sample: [phonebook]
error_kind:
  description: The first failed part's error kind (V(auth), V(locked), V(tls), V(validation), ...).
  returned: failure
  type: str
  sample: auth
field:
  description: The option of the first failed part a validation problem names, as V(<part>.<option>).
  returned: failure naming an option
  type: str
applied:
  description:
    - On failure, what the parts applied before it, each as the part's name, a colon and its command;
      C(changed) is then V(true).
  returned: failure after a change may have reached the phone
  type: list
  elements: str
  sample: ["pvalues: set P64"]
requests:
  description: HTTP requests and logins this task made, for all parts (for tuning and benchmarks).
  returned: always
  type: dict
  sample: {requests: 3, logins: 1, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import phone_state
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(phone_state)


if __name__ == "__main__":
    main()
