# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phone's lines (api-get_line_status) and their states, read by gs_info's lines subset and gs_call."""

from __future__ import annotations

__metaclass__ = type

# One model of a line's state: the guide's table gives numbers, current firmware words (current-firmware-notes.md).
LINE_STATES = {"0": "idle", "2": "ringing", "3": "calling", "4": "in_call", "5": "hold", "8": "failed"}
LINE_STATE_WORDS = {"idle": "idle", "ringing": "ringing", "calling": "calling", "connected": "in_call",
                    "onhold": "hold", "failed": "failed"}


def line_state_name(state):
    """``idle``, ``ringing``, ``calling``, ``in_call``, ``hold``, ``failed`` or ``unknown``: from a number or a word."""
    text = str(state).strip()
    return LINE_STATES.get(text) or LINE_STATE_WORDS.get(text.lower(), "unknown")


def read_lines(client):
    lines = []
    for item in client.call("api-get_line_status").get("body") or []:
        line = dict(item)
        line["state_name"] = line_state_name(item.get("state"))
        # Current firmware names the other party remotenumber / remotename, the guide number / name.
        for field in ("number", "name"):
            if field not in line and "remote" + field in line:
                line[field] = line["remote" + field]
        lines.append(line)
    return lines
