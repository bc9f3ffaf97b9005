# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift report model and renderers (JSON, Markdown, JUnit XML, HTML), used by the drift_report callback.

Plain Python so the renderers are unit-testable; the callback only feeds task results in.
"""

from __future__ import annotations

__metaclass__ = type

import html
import json
import os
import tempfile
import time
import xml.etree.ElementTree as ET

MASK = "********"
REBOOT_PENDING = "reboot pending"
UNVERIFIED = "unverified"
STATUSES = ("drifted", REBOOT_PENDING, UNVERIFIED, "clean", "failed", "unreachable")
# How bad a status is: a phone shows the worst one any of its tasks gave it.
_RANK = {status: rank for rank, status in enumerate(
    ("clean", UNVERIFIED, REBOOT_PENDING, "drifted", "failed", "unreachable"))}
# Modules that act rather than compare: in a drift check their "would reboot" follows from a difference
# another task found, so it is listed but does not make a phone drifted by itself.
ACTING_MODULES = ("gs_sysop",)
# Health (gs_health) is its own kind, next to drift: a phone can be clean and unhealthy.
HEALTHY = "healthy"
UNHEALTHY = "unhealthy"
HEALTH_MODULE = "gs_health"
# One gs_fleet task holds the results of a whole batch: fanned out, each phone is listed as a per-host run lists it.
FLEET_MODULE = "gs_fleet"


def _short(value, limit=120):
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def differences_of(result):
    """Turn one module result into a list of {item, before, after} rows."""
    rows = []
    changes = result.get("changes")
    if isinstance(changes, dict):
        for name, change in changes.items():
            change = change if isinstance(change, dict) else {"after": change}
            pvalue = change.get("pvalue")
            item = "%s (%s)" % (name, pvalue) if pvalue and pvalue != name else str(name)
            rows.append({"item": item, "before": change.get("before", ""), "after": change.get("after", "")})
    if not rows and result.get("commands"):
        rows.extend({"item": "command", "before": "", "after": command} for command in result["commands"])
    if not rows and isinstance(result.get("diff"), dict):
        diff = result["diff"]
        rows.append({"item": "state", "before": diff.get("before", ""), "after": diff.get("after", "")})
    if not rows and result.get("changed"):
        rows.append({"item": result.get("msg") or "changed", "before": "", "after": ""})
    return rows


class DriftReport:
    """Collects per-phone outcomes of the collection's tasks during a play."""

    def __init__(self):
        self.phones = {}
        self.started = time.time()
        # Set once a gs_health task starts: from then on every phone has a health, checked or not.
        self.health_asked = False

    def _phone(self, host):
        return self.phones.setdefault(host, {"status": "clean", "differences": [], "errors": [], "unverified": []})

    @staticmethod
    def _raise_status(phone, status):
        if _RANK[status] > _RANK[phone["status"]]:
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
            for row in differences_of(result):
                row.update(task=task, module=module)
                phone["differences"].append(row)
            if module not in ACTING_MODULES:
                self._raise_status(phone, "drifted")
        for label in result.get("unverified") or []:
            if label not in phone["unverified"]:
                phone["unverified"].append(label)
        if phone["unverified"]:
            self._raise_status(phone, UNVERIFIED)

    def add_failure(self, host, task, module, message, unreachable=False):
        phone = self._phone(host)
        phone["errors"].append({"task": task, "module": module, "message": message})
        self._raise_status(phone, "unreachable" if unreachable else "failed")

    def add_fleet(self, task, result):
        """gs_fleet's result: each phone's engine results as if each had been a task of that phone."""
        for host, entry in (result.get("fleet") or {}).items():
            phone = self._phone(host)
            reported = False
            for module, outcome in (entry.get("results") or {}).items():
                if outcome.get("failed") or outcome.get("unreachable"):
                    self.add_failure(host, task, module, outcome.get("msg", "failed"),
                                     unreachable=bool(outcome.get("unreachable")))
                    reported = True
                else:
                    self.add_result(host, task, module, outcome)
            if entry.get("status") in ("failed", "unreachable") and not reported:
                self.add_failure(host, task, FLEET_MODULE, entry.get("msg") or entry["status"],
                                 unreachable=entry["status"] == "unreachable")
            elif entry.get("status") == "drifted" and phone["status"] == "clean":
                self._raise_status(phone, "drifted")  # never shown clean when the fleet said otherwise

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

    def as_dict(self):
        phones = {}
        for host in sorted(self.phones):
            phone = dict(self.phones[host])
            if self.health_asked:
                phone["health"] = self._health(phone)
            phones[host] = phone
        return {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "summary": self.summary(),
                "phones": phones}

    # ------------------------------------------------------------------ renderers
    def to_json(self):
        return json.dumps(self.as_dict(), indent=2, sort_keys=True, default=str) + "\n"

    def to_markdown(self):
        data = self.as_dict()
        summary = data["summary"]
        lines = ["# Phone drift report", "",
                 "%(total)d phone(s): %(drifted)d drifted, %(reboot pending)d reboot pending, %(unverified)d "
                 "unverified, %(clean)d clean, %(failed)d failed, %(unreachable)d unreachable." % summary, "",
                 "| phone | status | what differs | before | after |", "|---|---|---|---|---|"]
        for host, phone in data["phones"].items():
            if not phone["differences"] and not phone["errors"] and not phone["unverified"]:
                lines.append("| %s | %s | | | |" % (_md(host), phone["status"]))
            for label in phone["unverified"]:
                lines.append("| %s | %s | %s | %s | |" % (_md(host), phone["status"], _md(label), UNVERIFIED_TEXT))
            for row in phone["differences"]:
                lines.append("| %s | %s | %s | %s | %s |" % (_md(host), phone["status"], _md(row["item"]),
                                                             _md(_short(row["before"])), _md(_short(row["after"]))))
            for error in phone["errors"]:
                lines.append("| %s | %s | %s | | |" % (_md(host), phone["status"], _md(_short(error["message"], 200))))
        if self.health_asked:
            lines += ["", "## Health", "", "%d healthy, %d unhealthy." % (summary[HEALTHY], summary[UNHEALTHY]), "",
                      "| phone | health | problem |", "|---|---|---|"]
            for host, phone in data["phones"].items():
                health = phone["health"]
                for problem in health["problems"] or [""]:
                    lines.append("| %s | %s | %s |" % (_md(host), health["status"], _md(_short(problem, 200))))
        return "\n".join(lines) + "\n"

    def to_junit(self):
        summary = self.summary()
        suite = ET.Element("testsuite", name="phone drift", tests=str(summary["total"]),
                           failures=str(summary["drifted"] + summary[REBOOT_PENDING]),
                           errors=str(summary["failed"] + summary["unreachable"]))
        for host, phone in sorted(self.phones.items()):
            case = ET.SubElement(suite, "testcase", classname="drift", name=host)
            if phone["status"] in ("drifted", REBOOT_PENDING):
                text = "\n".join("%s: %s -> %s" % (row["item"], _short(row["before"]), _short(row["after"]))
                                 for row in phone["differences"])
                failure = ET.SubElement(case, "failure", message="%d difference(s)" % len(phone["differences"])
                                        if phone["status"] == "drifted" else REBOOT_PENDING)
                failure.text = text
            elif phone["status"] in ("failed", "unreachable"):
                error = ET.SubElement(case, "error", message=phone["status"])
                error.text = "\n".join(item["message"] for item in phone["errors"])
            if phone["unverified"]:
                note = ET.SubElement(case, "system-out")
                note.text = "\n".join("%s: %s" % (label, UNVERIFIED_TEXT) for label in phone["unverified"])
        root = ET.Element("testsuites")
        root.append(suite)
        if self.health_asked:
            root.append(self._health_suite(summary))
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def _health_suite(self, summary):
        """One test case per phone; an unhealthy phone is a failure listing its problems."""
        suite = ET.Element("testsuite", name="phone health", tests=str(summary["total"]),
                           failures=str(summary[UNHEALTHY]), errors="0")
        for host, phone in sorted(self.phones.items()):
            health = self._health(phone)
            case = ET.SubElement(suite, "testcase", classname="health", name=host)
            if health["status"] == UNHEALTHY:
                failure = ET.SubElement(case, "failure", message="%d health problem(s)" % len(health["problems"]))
                failure.text = "\n".join(health["problems"])
        return suite

    def to_html(self):
        data = self.as_dict()
        summary = data["summary"]
        cards = "".join('<div class="card %s"><b>%s</b> %s</div>' % (_css(status), summary[status], status)
                        for status in STATUSES)
        if self.health_asked:
            cards += "".join('<div class="card %s"><b>%s</b> %s</div>' % (status, summary[status], status)
                             for status in (HEALTHY, UNHEALTHY))
        sections = []
        for host, phone in data["phones"].items():
            rows = "".join("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
                _h(row["item"]), _h(_short(row["before"], 300)), _h(_short(row["after"], 300)), _h(row["task"]))
                for row in phone["differences"])
            rows += "".join('<tr><td colspan="3" class="err">%s</td><td>%s</td></tr>' % (
                _h(error["message"]), _h(error["task"])) for error in phone["errors"])
            rows += "".join('<tr><td>%s</td><td colspan="3">%s</td></tr>' % (_h(label), _h(UNVERIFIED_TEXT))
                            for label in phone["unverified"])
            table = ("<table><tr><th>what differs</th><th>before</th><th>after</th><th>task</th></tr>%s</table>"
                     % rows) if rows else "<p>No differences.</p>"
            if self.health_asked:
                health = phone["health"]
                table += '<p>Health: <span class="badge %s">%s</span></p>' % (health["status"], health["status"])
                if health["problems"]:
                    items = "".join('<li class="err">%s</li>' % _h(problem) for problem in health["problems"])
                    table += "<ul>%s</ul>" % items
            sections.append('<section><h2>%s <span class="badge %s">%s</span></h2>%s</section>'
                            % (_h(host), _css(phone["status"]), phone["status"], table))
        return _HTML_PAGE % {"generated": _h(data["generated_at"]), "cards": cards, "sections": "".join(sections)}

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


UNVERIFIED_TEXT = "the phone cannot show whether this secret holds the desired value"


def _css(status):
    return status.replace(" ", "-")


def _md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _h(text):
    return html.escape(text if isinstance(text, str) else _short(text, 300))


_HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Phone drift report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
.cards{display:flex;gap:1em;margin:1em 0}.card{padding:1em 1.5em;border-radius:6px;background:#eee}
.card b{font-size:1.6em;display:block}.drifted,.reboot-pending{background:#ffe2b8}.clean,.healthy{background:#d6f5d6}
.unverified{background:#fff5c2}
.failed,.unreachable,.unhealthy{background:#f8c9c9}table{border-collapse:collapse;width:100%%}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top;font-family:monospace}
.badge{font-size:.6em;padding:.2em .6em;border-radius:4px}.err{color:#a00}
</style></head><body>
<h1>Phone drift report</h1><p>Generated %(generated)s</p>
<div class="cards">%(cards)s</div>
%(sections)s
</body></html>
"""
