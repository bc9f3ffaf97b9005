#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_fleet
short_description: Drift check of every phone of a play batch in one task
version_added: 1.0.0
description:
  - Compares every phone of O(hosts) with its desired state (the C(grandstream.phone.phone) role's variables) in
    one task, run once per play or C(serial) batch (C(run_once=true)), instead of a task per phone. Ansible's
    own cost per host and task is far larger than the HTTP work of a no-change drift check (see the collection's
    C(docs/performance.md), section "When to pick the fleet path").
  - For each phone, validates its variables with the validator of M(grandstream.phone.gs_validate), then runs the
    engines of M(grandstream.phone.gs_contacts) (contacts and groups) and M(grandstream.phone.gs_pvalues) in check
    mode, as the role's tasks call them, with one client per phone (one login) in a pool of O(forks) threads,
    spread over one process per core for a large batch (O(processes)).
    Passwords are not checked (M(grandstream.phone.gs_password) would spend a login of its own).
  - It never writes to a phone, in check mode or not. Applying stays per host (the role), where handlers,
    C(serial) canaries and C(max_fail_percentage) work per phone.
  - "Sees each host's variables through C(hostvars): inventory, C(group_vars) and C(host_vars) (and facts or
    registered values). It cannot see play vars, C(vars_files), role defaults or role parameters, which only the
    host's own tasks see: set the desired state in the inventory. The role's defaults
    (C(roles/phone/defaults/main.yml)) apply under the host's own variables. A variable that holds a template
    (C({{ }})) is rendered as that host, as C(hostvars[host][name]) renders it; plain values are read as they are."
  - It maps a host's variables to the engines' options with the same code as the role's M(grandstream.phone.gs_phone)
    task (O(grandstream.phone.gs_phone#module:from_variables)), and merges the P-value layers as the role does
    (C(phone_pvalues), the model layer, C(phone_group_pvalues), the named layers of C(phone_pvalues_layers),
    C(phone_host_pvalues)). The model layer is chosen by C(gs_model), or without it by the model the phone reports
    in the same read as the values (no extra request).
  - A phone that refused the login, is locked or refused TLS is not asked again by the next engine, and the login
    memory keeps a refused password from being sent again, as for the per-host modules.
  - The C(grandstream.phone.drift_report) callback lists each phone of the result on its own, exactly as it lists
    the phones of a per-host run.
author:
  - grandstream.phone maintainers (@grandstream-phone)
options:
  hosts:
    description:
      - The inventory hosts to check. Defaults to C(ansible_play_batch), the play's current batch.
    type: list
    elements: str
  forks:
    description:
      - How many phones are checked at the same time (threads, spread over the O(processes)).
    type: int
    default: 20
  processes:
    description:
      - Over how many processes of the controller the phones are spread, each with its own threads; each phone is
        checked in exactly one of them, with one client and one login, and its result is scrubbed there with its
        own secrets. The work holds Python's GIL, so the threads of one process use one core.
      - V(0) uses one process per core the controller may use (at most 4), and only for a batch of at least 100
        phones per process; smaller batches stay in one process. V(1) keeps the check in the task's one worker.
      - A process that ends without its result leaves its phones C(failed) (never C(clean)).
    type: int
    default: 0
notes:
  - Needs the action plugin, which reads the other hosts' variables; it runs on the controller.
  - Use it with C(run_once=true). On every host of the batch, C(register) then holds the same result.
  - The task itself is C(changed) when a phone drifted (in check mode, would change); it fails only for its own
    options. Each phone's status is in RV(fleet), and the phones of each status in the C(*_hosts) lists.
attributes:
  check_mode:
    support: full
    description: Always compares only; check mode changes nothing.
  diff_mode:
    support: full
    description: With C(--diff), each phone's results carry the differences.
"""

EXAMPLES = r"""
- name: Drift check of the whole batch in one task
  grandstream.phone.gs_fleet:
    forks: 20
  run_once: true
  register: fleet

- name: Fail each phone that failed or could not be reached, on its own line
  ansible.builtin.fail:
    msg: "{{ fleet.fleet[inventory_hostname].msg }}"
  when: inventory_hostname in fleet.failed_hosts + fleet.unreachable_hosts
"""

RETURN = r"""
fleet:
  description:
    - Per phone, its C(status) (V(drifted), V(clean), V(failed) or V(unreachable)), C(msg) for a failed or
      unreachable phone, C(problems) for invalid variables, and C(results), the result of each engine by module
      name (C(gs_contacts), C(gs_pvalues)) as those modules return it in check mode (C(changed), C(changes),
      C(diff) with C(--diff)), each scrubbed with that phone's own secrets; C(requests), the phone's request counts.
    - An engine that found nothing to change, did not fail and waits for no reboot returns only C(changed),
      C(reboot_pending), C(unverified), C(warnings) and C(requests) (the ones set). Its C(before) and C(after)
      equal the desired state, and kept for thousands of phones they made most of the task's result.
  returned: always
  type: dict
  sample: {"phone01": {"status": "drifted", "results": {"gs_pvalues": {"changed": true}}}}
processes:
  description: Over how many processes the phones were spread (see O(processes)).
  returned: always
  type: int
  sample: 2
drifted_hosts:
  description: The phones that differ from their desired state (or wait for a reboot), sorted.
  returned: always
  type: list
  elements: str
clean_hosts:
  description: The phones that match their desired state, sorted.
  returned: always
  type: list
  elements: str
failed_hosts:
  description: The phones that failed (invalid variables, a refused login, an error of the phone), sorted.
  returned: always
  type: list
  elements: str
unreachable_hosts:
  description: The phones that could not be reached, sorted.
  returned: always
  type: list
  elements: str
reboot_pending_hosts:
  description: The phones with a reboot-needing value written earlier that still waits for its reboot.
  returned: always
  type: list
  elements: str
msg:
  description: How many phones of each status.
  returned: always
  type: str
  sample: "8 phone(s): 3 drifted, 3 clean, 1 failed, 1 unreachable"
"""

from ansible_collections.grandstream.phone.plugins.module_utils import fleet
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(fleet)


if __name__ == "__main__":
    main()
