#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_health
short_description: Health of a Grandstream phone - SIP registration, firmware compliance, reachability, reboot pending
version_added: 1.0.0
description:
  - Reports whether a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone is well, beyond matching its desired
    configuration. Never writes; never C(changed).
  - "Checks: the phone answers (an unreachable phone is reported as a problem, not a failed task); each SIP
    account's registration (C(api-get_accounts), the one request this module makes); firmware compliance
    against a M(grandstream.phone.gs_firmware) map; a reboot that is still pending."
  - Firmware compliance uses O(reported), the version M(grandstream.phone.gs_pvalues) read in its own request
    (its RV(grandstream.phone.gs_pvalues#module:firmware)), so it costs no request; without O(reported) the module
    reads it (one C(api-values.get) more).
  - The C(grandstream.phone.drift_report) callback shows the result as the phone's health, its own kind next to
    drift (C(playbooks/drift.yml) with C(-e health=true)).
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  accounts:
    description:
      - Check SIP registration with one C(api-get_accounts) request. An account with a SIP server and a SIP user
        ID that is not registered is a problem.
    type: bool
    default: true
  accounts_expected:
    description:
      - The account numbers that must be registered, instead of every configured one (an account the phone does
        not list is then a problem too).
    type: list
    elements: int
  firmware:
    description:
      - The desired firmware map, exactly as
        O(grandstream.phone.gs_firmware#module:firmware).
        A phone behind its target, or whose model the map lacks, has a problem; one newer than its target does not.
      - Without it, firmware is not checked.
    type: dict
  reported:
    description:
      - What the phone reported about its firmware earlier in the play (C(version), C(model),
        C(hardware_revision)), typically gs_pvalues' RV(grandstream.phone.gs_pvalues#module:firmware) result.
    type: dict
  reboot_pending:
    description:
      - Whether a reboot is pending, typically gs_pvalues' RV(grandstream.phone.gs_pvalues#module:reboot_pending)
        (which asked the phone's uptime). Without it the controller's marker file decides (no request).
    type: bool
attributes:
  check_mode:
    description: Reads only, in check mode or not.
    support: full
  diff_mode:
    description: Nothing to compare.
    support: none
notes:
  - Needs no admin user; the C(user) account may read C(api-get_accounts).
seealso:
  - module: grandstream.phone.gs_firmware
  - module: grandstream.phone.gs_pvalues
"""

EXAMPLES = r"""
- name: Health, with the firmware the P-values task already read
  grandstream.phone.gs_health:
    firmware: "{{ firmware_desired }}"
    reported: "{{ pvalues_result.firmware }}"
    reboot_pending: "{{ pvalues_result.reboot_pending }}"
  register: health

- name: Only SIP registration of accounts 1 and 2
  grandstream.phone.gs_health:
    accounts_expected: [1, 2]
"""

RETURN = r"""
healthy:
  description: No problem found.
  returned: always
  type: bool
  sample: false
problems:
  description: Each health problem, in words.
  returned: always
  type: list
  elements: str
  sample: ["account 1 (1001@pbx.example.com) is not registered"]
reachable:
  description: Whether the phone answered.
  returned: always
  type: bool
accounts:
  description: The accounts the phone lists (C(id), C(sip_server), C(sip_id), C(name), C(registered)); null when
    not checked or unreachable.
  returned: always
  type: list
  elements: dict
firmware:
  description: Firmware compliance (C(status), C(version), C(model), C(hardware_revision), C(target), C(path),
    C(msg)) as gs_firmware judges it; null when O(firmware) is not given.
  returned: always
  type: dict
reboot_pending:
  description: Whether a reboot is pending.
  returned: always
  type: bool
msg:
  description: V(healthy), or the problems.
  returned: always
  type: str
requests:
  description: HTTP requests and logins this task made.
  returned: always
  type: dict
  sample: {requests: 1, logins: 0, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import health
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(health)


if __name__ == "__main__":
    main()
