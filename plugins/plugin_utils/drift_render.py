# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report's renderers: JSON, Markdown, JUnit XML and HTML, from one DriftReport (drift.py).

People read the worst phones first (unreachable, failed, drifted, ...) and the clean ones collapsed to one
line; JSON and JUnit keep one entry per phone for machines. Every format says what produced the report.
"""

from __future__ import annotations

__metaclass__ = type

import html
import json
import xml.etree.ElementTree as ET

from ansible_collections.grandstream.phone.plugins.plugin_utils.drift_rows import (
    HEALTHY, REBOOT_PENDING, STATUSES, UNHEALTHY, UNVERIFIED_TEXT, row_text, short, what)

# Names of clean phones written out in Markdown and HTML before "and N more" (drift.json lists every one).
CLEAN_NAMES_SHOWN = 50


def produced_by_text(produced):
    """``playbook drift.yml, inventory inventory/, check mode, started ..., grandstream.phone 1.0.0``."""
    check = produced.get("check_mode")
    parts = ["playbook %s" % (produced.get("playbook") or "unknown"),
             "inventory %s" % (", ".join(produced.get("inventory") or []) or "unknown"),
             "check mode" if check else ("not check mode" if check is False else "check mode unknown"),
             "started %s" % produced.get("started", "unknown"),
             "grandstream.phone %s" % (produced.get("collection_version") or "unknown version")]
    return ", ".join(parts)


def _clean_line(hosts):
    shown = ", ".join(hosts[:CLEAN_NAMES_SHOWN])
    more = " and %d more" % (len(hosts) - CLEAN_NAMES_SHOWN) if len(hosts) > CLEAN_NAMES_SHOWN else ""
    return "%d clean%s%s%s" % (len(hosts), ": " if hosts else "", shown, more)


def _split(report):
    """(hosts with something to show, worst first; clean hosts)."""
    order = report.ordered_hosts()
    shown = [host for host in order if report.phones[host]["status"] != "clean"]
    return shown, [host for host in order if report.phones[host]["status"] == "clean"]


def to_json(report):
    return json.dumps(report.as_dict(), indent=2, sort_keys=True, default=str) + "\n"


def to_markdown(report):
    data = report.as_dict()
    summary = data["summary"]
    shown, clean = _split(report)
    lines = ["# Phone drift report", "", "Produced by %s; written %s." % (
        _md(produced_by_text(data["produced_by"])), data["generated_at"]), "",
        "%(total)d phone(s): %(drifted)d drifted, %(reboot pending)d reboot pending, %(unverified)d "
        "unverified, %(clean)d clean, %(failed)d failed, %(unreachable)d unreachable." % summary, ""]
    if shown:
        lines += ["| phone | status | what differs | before | after |", "|---|---|---|---|---|"]
    for host in shown:
        phone = data["phones"][host]
        cells = [(_md(label), UNVERIFIED_TEXT, "") for label in phone["unverified"]]
        cells += [(_md(what(row)), "", _md(row["note"])) if "note" in row else
                  (_md(what(row)), _md(short(row["before"])), _md(short(row["after"])))
                  for row in phone["differences"]]
        cells += [(_md(short(error["message"], 200)), "", "") for error in phone["errors"]]
        for item, before, after in cells or [("", "", "")]:
            lines.append("| %s | %s | %s | %s | %s |" % (_md(host), phone["status"], item, before, after))
    if shown:
        lines.append("")
    lines.append(_md(_clean_line(clean)))
    if report.health_asked:
        lines += ["", "## Health", "", "%d healthy, %d unhealthy." % (summary[HEALTHY], summary[UNHEALTHY]), "",
                  "| phone | health | problem |", "|---|---|---|"]
        for host in data["order"]:
            health = data["phones"][host]["health"]
            for problem in health["problems"] or [""]:
                lines.append("| %s | %s | %s |" % (_md(host), health["status"], _md(short(problem, 200))))
    return "\n".join(lines) + "\n"


def to_junit(report):
    summary = report.summary()
    suite = ET.Element("testsuite", name="phone drift", tests=str(summary["total"]),
                       failures=str(summary["drifted"] + summary[REBOOT_PENDING]),
                       errors=str(summary["failed"] + summary["unreachable"]))
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="produced_by",
                  value=produced_by_text(report.as_dict()["produced_by"]))
    for host in report.ordered_hosts():
        phone = report.phones[host]
        case = ET.SubElement(suite, "testcase", classname="drift", name=host)
        if phone["status"] in ("drifted", REBOOT_PENDING):
            failure = ET.SubElement(case, "failure", message="%d difference(s)" % len(phone["differences"])
                                    if phone["status"] == "drifted" else REBOOT_PENDING)
            failure.text = "\n".join(row_text(row) for row in phone["differences"])
        elif phone["status"] in ("failed", "unreachable"):
            # The phone's own words, not the bare status: CI lists only this attribute.
            first = phone["errors"][0]["message"] if phone["errors"] else phone["status"]
            error = ET.SubElement(case, "error", type=phone["status"], message=short(first, 300))
            error.text = "\n".join("%s: %s" % (item["task"], item["message"]) for item in phone["errors"])
        if phone["unverified"]:
            note = ET.SubElement(case, "system-out")
            note.text = "\n".join("%s: %s" % (label, UNVERIFIED_TEXT) for label in phone["unverified"])
    root = ET.Element("testsuites")
    root.append(suite)
    if report.health_asked:
        root.append(_health_suite(report, summary))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _health_suite(report, summary):
    """One test case per phone; an unhealthy phone is a failure listing its problems."""
    suite = ET.Element("testsuite", name="phone health", tests=str(summary["total"]),
                       failures=str(summary[UNHEALTHY]), errors="0")
    for host in report.ordered_hosts():
        health = report._health(report.phones[host])
        case = ET.SubElement(suite, "testcase", classname="health", name=host)
        if health["status"] == UNHEALTHY:
            failure = ET.SubElement(case, "failure", message="%d health problem(s)" % len(health["problems"]))
            failure.text = "\n".join(health["problems"])
    return suite


def _card(status, count):
    # A card is coloured by its status only when it counts something: "0 failed" is not an alarm.
    css = _css(status) if count else "zero"
    return '<div class="card %s" data-status="%s" data-count="%d"><b>%d</b> %s</div>' % (
        css, _h(status), count, count, _h(status))


def _phone_section(host, phone, health_asked):
    rows = "".join('<tr><td>%s</td><td colspan="2">%s</td><td>%s</td></tr>' % (
        _h(what(row)), _h(row["note"]), _h(row["task"])) if "note" in row else
        "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
        _h(what(row)), _h(short(row["before"], 300)), _h(short(row["after"], 300)), _h(row["task"]))
        for row in phone["differences"])
    rows += "".join('<tr><td colspan="3" class="err">%s</td><td>%s</td></tr>' % (
        _h(error["message"]), _h(error["task"])) for error in phone["errors"])
    rows += "".join('<tr><td>%s</td><td colspan="3">%s</td></tr>' % (_h(label), _h(UNVERIFIED_TEXT))
                    for label in phone["unverified"])
    table = ("<table><tr><th>what differs</th><th>before</th><th>after</th><th>task</th></tr>%s</table>"
             % rows) if rows else "<p>No differences.</p>"
    if health_asked:
        health = phone["health"]
        table += '<p>Health: <span class="badge %s">%s</span></p>' % (health["status"], health["status"])
        if health["problems"]:
            table += "<ul>%s</ul>" % "".join('<li class="err">%s</li>' % _h(problem) for problem in health["problems"])
    return '<section class="phone" data-host="%s" data-status="%s"><h2>%s <span class="badge %s">%s</span></h2>%s' \
           '</section>' % (_h(host), _h(phone["status"]), _h(host), _css(phone["status"]), phone["status"], table)


def to_html(report):
    data = report.as_dict()
    summary = data["summary"]
    statuses = STATUSES + ((HEALTHY, UNHEALTHY) if report.health_asked else ())
    cards = "".join(_card(status, summary[status]) for status in statuses)
    shown, clean = _split(report)
    # With a health check, a clean but unhealthy phone needs its own section too.
    if report.health_asked:
        unhealthy = [host for host in clean if data["phones"][host]["health"]["status"] == UNHEALTHY]
        shown += unhealthy
        clean = [host for host in clean if host not in unhealthy]
    sections = "".join(_phone_section(host, data["phones"][host], report.health_asked) for host in shown)
    clean_names = "".join('<li class="clean-phone">%s</li>' % _h(host) for host in clean)
    clean_block = ('<details id="clean-phones"><summary>%d clean</summary><ul class="names">%s</ul></details>'
                   % (len(clean), clean_names)) if clean else '<p id="clean-phones">0 clean</p>'
    return _HTML_PAGE % {"generated": _h(data["generated_at"]), "produced": _h(produced_by_text(data["produced_by"])),
                         "cards": cards, "sections": sections, "clean": clean_block}


def _css(status):
    return status.replace(" ", "-")


def _md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _h(text):
    return html.escape(text if isinstance(text, str) else short(text, 300))


_HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Phone drift report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
.cards{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}.card{padding:1em 1.5em;border-radius:6px;background:#eee}
.card b{font-size:1.6em;display:block}.drifted,.reboot-pending{background:#ffe2b8}.clean,.healthy{background:#d6f5d6}
.unverified{background:#fff5c2}.card.zero{background:#f2f2f2;color:#777}
.failed,.unreachable,.unhealthy{background:#f8c9c9}table{border-collapse:collapse;width:100%%}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top;font-family:monospace}
.badge{font-size:.6em;padding:.2em .6em;border-radius:4px}.err{color:#a00}
.names{columns:12em;list-style:none;padding:0;font-family:monospace}summary{cursor:pointer;font-size:1.2em}
</style></head><body>
<h1>Phone drift report</h1><p id="produced-by">Produced by %(produced)s; written %(generated)s.</p>
<div class="cards">%(cards)s</div>
%(sections)s
%(clean)s
</body></html>
"""
