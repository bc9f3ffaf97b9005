# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: wall time of every task, and of each host's run of it, as JSON.

ansible.posix.profile_tasks is not installed here, so the benchmark times tasks itself. Enable with
ANSIBLE_CALLBACK_PLUGINS=benchmarks/callback_plugins ANSIBLE_CALLBACKS_ENABLED=task_timer and name the
output file in BENCH_TASK_TIMES_FILE. Not part of the collection.
"""

from __future__ import annotations

__metaclass__ = type

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: task_timer
type: aggregate
short_description: Write per-task and per-host wall times to the JSON file named by BENCH_TASK_TIMES_FILE
description:
  - Benchmark helper of grandstream.phone, not part of the collection.
requirements:
  - BENCH_TASK_TIMES_FILE environment variable
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.play_started = time.monotonic()
        # Keyed by the task's uuid: the free strategy announces a task once per host.
        self.tasks = {}
        self.host_started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        now = time.monotonic()
        entry = self.tasks.setdefault(task._uuid, {"name": task.get_name(), "first_start": now, "last_event": now,
                                                   "host_seconds": [], "statuses": {}})
        entry["last_event"] = max(entry["last_event"], now)

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_runner_on_start(self, host, task):
        self.host_started[(host.get_name(), task._uuid)] = time.monotonic()

    def _host_done(self, result, status):
        now = time.monotonic()
        started = self.host_started.pop((result._host.get_name(), result._task._uuid), None)
        entry = self.tasks.get(result._task._uuid)
        if entry is None:
            return
        entry["last_event"] = now
        if started is not None:
            entry["host_seconds"].append(now - started)
        entry["statuses"][status] = entry["statuses"].get(status, 0) + 1

    def v2_runner_on_ok(self, result):
        self._host_done(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._host_done(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._host_done(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._host_done(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        summary = []
        for entry in self.tasks.values():
            host_seconds = sorted(entry["host_seconds"])
            count = len(host_seconds)
            summary.append({"name": entry["name"], "seconds": entry["last_event"] - entry["first_start"],
                            "statuses": entry["statuses"], "hosts": count,
                            "host_median": host_seconds[count // 2] if count else None,
                            "host_max": host_seconds[-1] if count else None, "host_sum": sum(host_seconds)})
        path = os.environ.get("BENCH_TASK_TIMES_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"play_seconds": time.monotonic() - self.play_started, "tasks": summary}, handle,
                          indent=1)
