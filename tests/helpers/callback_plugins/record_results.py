# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: records every task result per host as JSON so tests assert on real results."""

from __future__ import annotations

__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: record_results
type: aggregate
short_description: Write every task result to the JSON file named by RECORD_RESULTS_FILE (tests only)
description:
  - Test helper of grandstream.phone, not part of the collection.
requirements:
  - RECORD_RESULTS_FILE environment variable
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.results = {}
        self.stats = {}

    def _record(self, result, status):
        host = result._host.get_name()
        entry = dict(result._result)
        entry["_status"] = status
        self.results.setdefault(host, {}).setdefault(result._task.get_name(), []).append(entry)

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        for host in sorted(stats.processed):
            self.stats[host] = stats.summarize(host)
        path = os.environ.get("RECORD_RESULTS_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"results": self.results, "stats": self.stats}, handle, default=str)
