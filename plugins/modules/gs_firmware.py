#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
module: gs_firmware
short_description: Firmware compliance and step-by-step upgrades of Grandstream phones
version_added: 1.0.0
description:
  - Compares the firmware a Grandstream GXV3370, GXV3380, GXV3350 or WP820 phone runs (C(P68)) with the version
    desired for its model (C(P89)) and, optionally, its hardware revision (C(hw_rev)); one read. On current
    firmware (the current dialect, see O(firmware_dialect)) the running version is the one the login answer
    names and the model the one C(model.define.js) names; after an install the dialect is detected again.
  - In check mode it only reports compliance (RV(status)) and the path an upgrade would take; it writes nothing
    and reboots nothing.
  - Otherwise a phone behind its target is upgraded one version at a time, through the O(firmware) C(steps) in
    order, then the target. Each step sets the server values (through M(grandstream.phone.gs_pvalues)'s engine,
    written and read back), sends C(api-sys_operation) C(PROV), waits until the phone answers again and then
    reads C(P68). The next step starts only when the phone reports the step's version.
  - A phone that comes back on another version, or does not answer again within O(wait_timeout), fails the task
    with what it reported. An image that was served is not an image that was installed.
  - A phone already on (or newer than) its target is not touched, so a second run reports no change and
    reboots nothing.
  - Version comparison is numeric part by part (V(1.0.11.2) is newer than V(1.0.3.35)); trailing zero parts are
    ignored.
author:
  - grandstream.phone maintainers (@grandstream-phone)
extends_documentation_fragment:
  - grandstream.phone.connection
  - grandstream.phone.stop
  - grandstream.phone.action_group
options:
  firmware:
    description:
      - The desired firmware, keyed by model as the phone reports it (C(P89); case is ignored).
      - Each value is a version string, or a mapping with C(version) (required), C(steps) (versions that must
        be installed before it, oldest first; each older than C(version)) and C(hardware) (a mapping from
        hardware revision, e.g. V(V1.2A), to its own C(version) and C(steps)).
      - Quote versions in YAML (V("1.0.3.40")); an unquoted V(1.0) is a number.
      - A bad map fails before any request, naming the field (for example C(firmware.GXV3370.steps[1])).
    type: dict
    required: true
  server:
    description:
      - The server settings an upgrade step sets before C(PROV). Only written when the phone is upgraded.
      - Strings may hold C({model}) and C({version}), filled per step, so each step can point to the directory
        holding that version.
    type: dict
    default: {}
    suboptions:
      upgrade_via:
        description: Firmware upgrade protocol (C(P212), C(upgrade.via)).
        type: str
        choices: [tftp, http, https]
      path:
        description:
          - The server path the phone provisions from (C(P237), C(provisioning.config_server_path)).
          - The collection's sources name no separate firmware server path P-value. Where a model keeps one
            (Grandstream's configuration templates use C(P192)), give it in O(server.values).
        type: str
      values:
        description:
          - More P-values to set before each C(PROV), as in
            O(grandstream.phone.gs_pvalues#module:values) (catalog aliases or P-numbers; placeholders allowed).
          - Must not name C(P212) or C(P237) when O(server.upgrade_via) or O(server.path) is given.
        type: dict
        default: {}
  wait_timeout:
    description:
      - Seconds each step may take, from C(PROV) until the phone answers again. Real phones download, write and
        restart for several minutes.
      - A phone may keep answering while it downloads the image, so an answering phone counts as back only once
        it was seen down (refused, no answer, HTTP 5xx). One that never goes down within this time is asked its
        version once; unless it reports the step's version the task fails (nothing was installed).
    type: int
    default: 600
  poll_interval:
    description: Seconds between two polls (unauthenticated C(api-get_phone_status)) while waiting.
    type: float
    default: 2
attributes:
  check_mode:
    description: Reads the version once; writes nothing, sends no C(PROV); reports RV(status) and RV(path).
    support: full
  diff_mode:
    description: Shows the firmware version before and after.
    support: full
notes:
  - Needs the admin user (C(PROV) is admin only); refused before any request otherwise.
  - A phone whose model is not in O(firmware) is reported as V(unknown) with a warning and left alone.
  - A phone newer than its target is reported as V(ahead) and never downgraded.
  - Seen going down and back, an upgrade ends a reboot M(grandstream.phone.gs_pvalues) remembered as pending.
  - For fleets, run it with C(serial) batches; see C(playbooks/firmware.yml) and C(docs/firmware.md).
seealso:
  - module: grandstream.phone.gs_sysop
  - module: grandstream.phone.gs_info
"""

EXAMPLES = r"""
- name: Firmware compliance (run with --check)
  grandstream.phone.gs_firmware:
    firmware:
      GXV3370: "1.0.3.48"
      WP820: "1.2.7.6"
  register: compliance

- name: Upgrade through an intermediate version, one directory per version on the firmware server
  grandstream.phone.gs_firmware:
    firmware:
      GXV3370:
        version: "1.0.11.2"
        steps: ["1.0.5.1"]
        hardware:
          V1.0A: {version: "1.0.5.1"}
    server:
      upgrade_via: https
      path: "fw.example.com/grandstream/{model}/{version}"
    wait_timeout: 900
"""

RETURN = r"""
status:
  description: V(on_target), V(behind) (before the upgrade), V(ahead), or V(unknown) (model not in the map, or a
    version that is not dotted numbers).
  returned: always
  type: str
  sample: behind
model:
  description: The model the phone reports (C(P89)).
  returned: always
  type: str
  sample: GXV3370
hardware_revision:
  description: The hardware revision the phone reports (C(hw_rev)); empty when it does not say.
  returned: always
  type: str
  sample: V1.2A
target:
  description: The desired version and steps that apply to this phone; null when its model is not in the map.
  returned: always
  type: dict
  sample: {version: 1.0.11.2, steps: [1.0.5.1]}
path:
  description: The versions installed (or, in check mode, to install), in order; empty unless behind.
  returned: always
  type: list
  elements: str
  sample: [1.0.5.1, 1.0.11.2]
before:
  description: The firmware the phone ran before the task.
  returned: always
  type: dict
  sample: {firmware: 1.0.3.48}
after:
  description: The firmware the phone runs after the task (in check mode, would run).
  returned: always
  type: dict
  sample: {firmware: 1.0.11.2}
commands:
  description: What was (in check mode, would be) sent, in order; secrets masked.
  returned: always
  type: list
  elements: str
  sample: ["set upgrade.via=https, provisioning.config_server_path=fw.example.com/GXV3370/1.0.5.1",
           "api-sys_operation PROV (install 1.0.5.1)"]
steps:
  description: One entry per installed step, with C(version), C(server_changes) (as gs_pvalues' C(changes)),
    C(elapsed) seconds and the C(reported) version; on failure also returned, the last entry being the step
    that failed.
  returned: always
  type: list
  elements: dict
reported:
  description: On failure, the version the phone reported after the failed step (null when it did not answer).
  returned: failure
  type: str
  sample: 1.0.3.48
expected:
  description: On failure, the version the failed step should have installed.
  returned: failure
  type: str
  sample: 1.0.5.1
installed:
  description: On failure, the steps that were seen installed before the failed one.
  returned: failure
  type: list
  elements: str
not_applied:
  description: On failure to set the server values, the values the phone dropped (as in gs_pvalues).
  returned: failure
  type: list
  elements: str
  sample: ["provisioning.config_server_path (P237)"]
msg:
  description: What happened, or the compliance in words.
  returned: always
  type: str
  sample: "runs 1.0.3.48, behind the target 1.0.11.2; path: 1.0.5.1 -> 1.0.11.2"
requests:
  description: HTTP requests and logins this task made.
  returned: always
  type: dict
  sample: {requests: 12, logins: 3, relogins: 0, retries: 0}
"""

from ansible_collections.grandstream.phone.plugins.module_utils import firmware
from ansible_collections.grandstream.phone.plugins.module_utils.module_runner import run_module


def main():
    run_module(firmware)


if __name__ == "__main__":
    main()
