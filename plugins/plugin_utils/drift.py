# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift report model, used by the drift_report callback; rows in drift_rows.py, renderers in drift_render.py.

Plain Python so the model and the renderers are unit-testable; the callback only feeds task results in.
"""

from __future__ import annotations

__metaclass__ = type

import os
import tempfile
import time

from ansible_collections.grandstream.phone.plugins.module_utils.phone_state import PART_MODULES
from ansible_collections.grandstream.phone.plugins.plugin_utils import drift_render
from ansible_collections.grandstream.phone.plugins.plugin_utils.drift_rows import (
    RANK, HEALTHY, PROBLEMS_FIRST, REBOOT_PENDING, STATUSES, UNHEALTHY, UNVERIFIED, differences_of)

# Modules that act rather than compare: in a drift check their "would reboot" follows from a difference
# another task found, so it is listed but does not make a phone drifted by itself.
ACTING_MODULES = ("gs_sysop",)
# One gs_fleet task holds the results of a whole batch: fanned out, each phone is listed as a per-host run lists it.
FLEET_MODULE = "gs_fleet"
# One gs_phone task holds a phone's phonebook, P-value and password results: each listed under its own module.
PHONE_MODULE = "gs_phone"


class DriftReport:
    """Collects per-phone outcomes of the collection's tasks during a play."""

    def __init__(self, produced_by=None):
        self.phones = {}
        self.started = time.time()
        # What produced the report: playbook, inventory, check mode, collection version (the callback's).
        self.produced_by = dict(produced_by or {})
        # Set once a gs_health task starts: from then on every phone has a health, checked or not.
        self.health_asked = False

    def _phone(self, host):
        return self.phones.setdefault(host, {"status": "clean", "differences": [], "errors": [], "unverified": []})

    @staticmethod
    def _raise_status(phone, status):
        if RANK[status] > RANK[phone["status"]]:
            phone["status"] = status

    def add_result(self, host, task, module, result):
        phone = self._phone(host)
        pending = bool(result.get("reboot_pending"))
        if pending:
            values = ", ".join(result.get("reboot_pending_values") or [])
            phone["differences"].append({"item": REBOOT_PENDING, "before": "written%s%s" % (
                ": " if values else "", values), "after": "reboot (since %s)" % result.get("reboot_pending_since", "?"),
                "task": task, "module": module})
            self._raise_status(phone, REBOOT_PENDING)
        if result.get("changed") and not (pending and not result.get("changes")):
            for row in differences_of(module, result):
                row.update(task=task, module=module)
                phone["differences"].append(row)
            if module not in ACTING_MODULES:
                self._raise_status(phone, "drifted")
        for label in result.get("unverified") or []:
            if label not in phone["unverified"]:
                phone["unverified"].append(label)
        if phone["unverified"]:
            self._raise_status(phone, UNVERIFIED)

    def lists_failure(self, host, message):
        """Whether ``host`` already failed with ``message`` (a task stopped by gs_validate's message: told once)."""
        return any(error["message"] == message for error in self.phones.get(host, {}).get("errors", ()))

    def add_failure(self, host, task, module, message, unreachable=False):
        phone = self._phone(host)
        phone["errors"].append({"task": task, "module": module, "message": message})
        self._raise_status(phone, "unreachable" if unreachable else "failed")

    def _add_parts(self, host, task, parts):
        """Results of several modules for one phone, each as that module's own task is listed; whether one failed."""
        reported = False
        for module, outcome in parts:
            if outcome.get("failed") or outcome.get("unreachable"):
                self.add_failure(host, task, module, outcome.get("msg", "failed"),
                                 unreachable=bool(outcome.get("unreachable")))
                reported = True
            else:
                self.add_result(host, task, module, outcome)
        return reported

    def add_fleet(self, task, result):
        """gs_fleet's result: each phone's engine results as if each had been a task of that phone."""
        for host, entry in (result.get("fleet") or {}).items():
            phone = self._phone(host)
            reported = self._add_parts(host, task, (entry.get("results") or {}).items())
            if entry.get("status") in ("failed", "unreachable") and not reported:
                self.add_failure(host, task, FLEET_MODULE, entry.get("msg") or entry["status"],
                                 unreachable=entry["status"] == "unreachable")
            elif entry.get("status") == "drifted" and phone["status"] == "clean":
                self._raise_status(phone, "drifted")  # never shown clean when the fleet said otherwise

    def add_phone(self, host, task, result, unreachable=False):
        """gs_phone's result: each part under its module (phonebook as gs_contacts, ...). A failure no part holds
        (bad input found before any part ran) is listed as the task's own."""
        parts = [(PART_MODULES.get(name, PHONE_MODULE), outcome)
                 for name, outcome in (result.get("results") or {}).items() if isinstance(outcome, dict)]
        reported = self._add_parts(host, task, parts)
        if (result.get("failed") or unreachable) and not reported:
            self.add_failure(host, task, PHONE_MODULE, result.get("msg", "failed"), unreachable=unreachable)
        elif not parts and not result.get("failed"):
            self.add_result(host, task, PHONE_MODULE, result)

    def add_health(self, host, result):
        """gs_health's result: the phone's health problems (an empty list: healthy)."""
        self.health_asked = True
        firmware = result.get("firmware") if isinstance(result.get("firmware"), dict) else None
        problems = [str(problem) for problem in result.get("problems") or []]
        if "healthy" not in result:  # e.g. no_log hid the result: nothing proves the phone healthy
            problems = problems or ["health not shown: %s" % (result.get("msg") or "no health result")]
        self._phone(host)["health"] = {
            "status": UNHEALTHY if problems else HEALTHY,
            "problems": problems,
            "reachable": bool(result.get("reachable", True)),
            "reboot_pending": bool(result.get("reboot_pending")),
            "accounts": [{"id": account.get("id"), "registered": bool(account.get("registered"))}
                         for account in result.get("accounts") or [] if isinstance(account, dict)],
            "firmware": {key: firmware.get(key) for key in ("status", "version", "model")} if firmware else None,
        }

    def _health(self, phone):
        """The phone's health; a phone the health task never reached is unhealthy, saying why."""
        if "health" in phone:
            return phone["health"]
        reason = phone["errors"][0]["message"] if phone["errors"] else "the health task did not run for it"
        return {"status": UNHEALTHY, "problems": ["not checked: %s" % reason], "reachable": None,
                "reboot_pending": None, "accounts": [], "firmware": None}

    def summary(self):
        counts = dict.fromkeys(STATUSES, 0)
        for phone in self.phones.values():
            counts[phone["status"]] += 1
        counts["total"] = len(self.phones)
        if self.health_asked:
            health = [self._health(phone)["status"] for phone in self.phones.values()]
            counts[HEALTHY], counts[UNHEALTHY] = health.count(HEALTHY), health.count(UNHEALTHY)
        return counts

    def ordered_hosts(self):
        """Hosts, the worst status first, then by name."""
        return sorted(self.phones, key=lambda host: (PROBLEMS_FIRST.index(self.phones[host]["status"]), host))

    def as_dict(self):
        phones = {}
        for host in sorted(self.phones):
            phone = dict(self.phones[host])
            if self.health_asked:
                phone["health"] = self._health(phone)
            phones[host] = phone
        produced_by = dict(self.produced_by, started=_iso(self.started))
        return {"generated_at": _iso(time.time()), "produced_by": produced_by, "summary": self.summary(),
                "order": self.ordered_hosts(), "phones": phones}

    # ------------------------------------------------------------------ renderers (drift_render.py)
    def to_json(self):
        return drift_render.to_json(self)

    def to_markdown(self):
        return drift_render.to_markdown(self)

    def to_junit(self):
        return drift_render.to_junit(self)

    def to_html(self):
        return drift_render.to_html(self)

    def write(self, directory, formats=("json", "md", "junit", "html")):
        """Write the report files atomically; returns the paths written."""
        os.makedirs(directory, exist_ok=True)
        renderers = {"json": ("drift.json", self.to_json), "md": ("drift.md", self.to_markdown),
                     "junit": ("drift.junit.xml", self.to_junit), "html": ("drift.html", self.to_html)}
        written = []
        for fmt in formats:
            name, render = renderers[fmt]
            path = os.path.join(directory, name)
            handle, tmp = tempfile.mkstemp(dir=directory, prefix=".drift-")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(render())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
            written.append(path)
        return written


def _iso(timestamp):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
