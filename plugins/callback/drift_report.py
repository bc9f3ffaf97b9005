# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

DOCUMENTATION = r"""
name: drift_report
type: aggregate
short_description: Write a drift report of grandstream.phone tasks (JSON, Markdown, JUnit XML, HTML)
version_added: 1.0.0
description:
  - Collects the results of the grandstream.phone modules during a play, typically C(playbooks/drift.yml) in
    check mode with C(--diff), and writes per phone what differs from the desired state.
  - C(drift.json) for machines, C(drift.md) for people, C(drift.junit.xml) for CI test reports (one test case
    per phone, a drifted phone is a failure, an unreachable or failed phone an error) and C(drift.html), one
    self-contained page with a summary and each phone's differences (no external assets or scripts).
  - Every format says what produced it (playbook, inventory, check mode, start time, collection version). For a
    person (Markdown, HTML) the phones with something to show come first, the worst first (unreachable, failed,
    drifted, reboot pending, unverified), and the clean ones are collapsed to one line (C(482 clean)); a summary
    card is coloured only when its count is above zero. JSON and JUnit XML keep one entry per phone.
  - >-
      Contacts and groups differ field by field, as C(--diff) shows them (C(Rita Roth: work 7099 -> 7002)); an
      entry on the phone that is not desired (removed in C(overridden) mode) is listed as extra, a duplicate as a
      second copy. A secret that will be written says why (C(written again because account1.sip_server
      changes)), since its value is never compared; a password that differs is named. In JUnit XML a failed or
      unreachable phone's error carries the phone's message.
  - A phone is C(drifted) when any task of this collection reported C(changed) (except M(grandstream.phone.gs_sysop),
    whose "would reboot" follows from another task's difference); secrets arrive masked by the modules and stay
    masked. Results of tasks with C(no_log) are counted but not detailed.
  - A phone is C(reboot pending) when M(grandstream.phone.gs_pvalues) says a reboot-needing value written earlier
    still waits for its reboot (C(reboot_pending)); in JUnit XML it is a failure, like a drifted phone.
  - A phone is C(unverified) when it shows no difference but holds secrets it cannot confirm (C(unverified) of
    M(grandstream.phone.gs_pvalues), for example on a phone that reads every secret back empty), never C(clean).
    The secrets are listed by name only.
  - A phone is C(unreachable) when it could not be reached at all (connection refused, timed out, no route);
    the modules report such a task unreachable to Ansible, not failed, when nothing can have reached the phone.
    C(failed) is for a phone that answered and refused, or a task that failed otherwise.
  - A phone whose variables are invalid is C(failed) with its own problems, from the one
    M(grandstream.phone.gs_validate) task of its batch; in a drift check (check mode) every valid phone is still
    checked. In an apply run every phone of the batch is stopped, and the valid ones say which phones stopped
    them.
  - One M(grandstream.phone.gs_fleet) task checks a whole batch. Its result is fanned out, so each phone it
    checked is listed on its own (drifted, clean, failed, unreachable) exactly as after a task per phone.
  - The worst status of a phone's tasks wins, in the order unreachable, failed, drifted, reboot pending,
    unverified, clean.
  - Health is its own kind, next to that status. Once a M(grandstream.phone.gs_health) task ran (C(playbooks/drift.yml)
    with C(-e health=true)), every phone is C(healthy) or C(unhealthy) with its problems (an unregistered SIP
    account, firmware behind its target, a pending reboot, not reachable; a phone the health task never reached
    is unhealthy, "not checked" with the reason). JSON has a C(health) object per phone and C(healthy) /
    C(unhealthy) counts, Markdown a Health table, HTML a health badge per phone, and JUnit XML a second test
    suite, C(phone health), where each unhealthy phone is a failed test case.
requirements:
  - Enable it with C(callbacks_enabled = grandstream.phone.drift_report) in C(ansible.cfg) or
    E(ANSIBLE_CALLBACKS_ENABLED).
options:
  output_dir:
    description: Directory the report files are written to (created if missing).
    type: path
    default: ./drift-report
    env:
      - name: GS_DRIFT_REPORT_DIR
    ini:
      - section: grandstream_drift_report
        key: output_dir
  formats:
    description: Which files to write.
    type: list
    elements: str
    default: [json, md, junit, html]
    env:
      - name: GS_DRIFT_REPORT_FORMATS
    ini:
      - section: grandstream_drift_report
        key: formats
"""

import os
import re

from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.grandstream.phone.plugins.module_utils.stop import STOPPED
from ansible_collections.grandstream.phone.plugins.plugin_utils import jinja_plugins
from ansible_collections.grandstream.phone.plugins.plugin_utils.drift import FLEET_MODULE, PHONE_MODULE, DriftReport
from ansible_collections.grandstream.phone.plugins.plugin_utils.drift_rows import HEALTH_MODULE

COLLECTION_PREFIX = "grandstream.phone."
COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def collection_version():
    """The installed collection's version (MANIFEST.json), or the checkout's (galaxy.yml); None if neither says."""
    for name, pattern in (("MANIFEST.json", r'"version":\s*"([^"]+)"'), ("galaxy.yml", r"(?m)^version:\s*(\S+)")):
        try:
            with open(os.path.join(COLLECTION_ROOT, name), encoding="utf-8") as handle:
                found = re.search(pattern, handle.read())
        except OSError:
            continue
        if found:
            return found.group(1).strip("'\"")
    return None


def _module_name(task):
    action = getattr(task, "resolved_action", None) or task.action or ""
    if action.startswith(COLLECTION_PREFIX):
        return action[len(COLLECTION_PREFIX):]
    return None


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "grandstream.phone.drift_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.report = DriftReport()

    def v2_playbook_on_start(self, playbook):
        jinja_plugins.load_before_fork()  # this runs in the main process: every forked worker inherits them
        args = context.CLIARGS
        self.report.produced_by.update(
            playbook=os.path.basename(getattr(playbook, "_file_name", "") or "") or None,
            inventory=[str(path) for path in args.get("inventory") or ()],
            check_mode=bool(args.get("check")), collection_version=collection_version())

    def v2_playbook_on_play_start(self, play):
        # A play with check_mode: true (playbooks/drift.yml) is a check run without --check on the command line.
        if getattr(play, "check_mode", None):
            self.report.produced_by["check_mode"] = True

    def _ours(self, result):
        return _module_name(result._task)

    def v2_runner_on_ok(self, result):
        module = self._ours(result)
        if module is None:
            return
        data = result._result
        if data.get("_ansible_no_log"):
            data = {"changed": data.get("changed"), "msg": "details hidden by no_log"}
        elif self._add_stopped(result, module):
            return
        if module == HEALTH_MODULE:
            self.report.add_health(result._host.get_name(), data)
            return
        if module == FLEET_MODULE and "fleet" in data:
            self.report.add_fleet(result._task.get_name(), data)
            return
        if module == PHONE_MODULE and "results" in data:
            self.report.add_phone(result._host.get_name(), result._task.get_name(), data)
            return
        self.report.add_result(result._host.get_name(), result._task.get_name(), module, data)

    def _add_stopped(self, result, module):
        """gs_validate ran once for the batch: each host it stopped failed, with its own message."""
        stopped = result._result.get("stopped")
        if not isinstance(stopped, dict):
            return False
        for host, message in stopped.items():
            self.report.add_failure(host, result._task.get_name(), module, message)
        return True

    def v2_runner_on_failed(self, result, ignore_errors=False):
        module = self._ours(result)
        if module is None:
            return
        if module == HEALTH_MODULE:
            self.report.health_asked = True  # the phone's health: "not checked", with this failure as the reason
        if result._result.get("_ansible_no_log"):
            self.report.add_failure(result._host.get_name(), result._task.get_name(), module,
                                    "details hidden by no_log")
            return
        if self._add_stopped(result, module):
            return
        message = result._result.get("msg", "failed")
        if result._result.get("error_kind") == STOPPED and self.report.lists_failure(result._host.get_name(), message):
            return  # the role's first task stopped by gs_validate's message, which _add_stopped listed already
        if module == PHONE_MODULE and "results" in result._result:
            # What its parts changed before the failure is listed too, each under its module.
            self.report.add_phone(result._host.get_name(), result._task.get_name(), result._result)
            return
        self.report.add_failure(result._host.get_name(), result._task.get_name(), module, message)

    def v2_runner_on_unreachable(self, result):
        self.report.add_failure(result._host.get_name(), result._task.get_name(), self._ours(result) or "",
                                result._result.get("msg", "unreachable"), unreachable=True)

    def v2_playbook_on_stats(self, stats):
        if not self.report.phones:
            return
        directory = self.get_option("output_dir")
        written = self.report.write(directory, self.get_option("formats"))
        self._display.display("drift report: %s" % ", ".join(written))
