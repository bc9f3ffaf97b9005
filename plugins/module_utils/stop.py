# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stop_message option every module that talks to a phone takes (doc fragment grandstream.phone.stop).

A task given a stop_message fails at once with that message, before its other options are checked and
before any request: a caller that already decided this phone must not be touched (the role, after its run-once
gs_validate stopped the phone) says so in the task that would otherwise contact it, instead of paying for a
per-host ``fail`` task of its own. The result's ``error_kind`` is STOPPED, so a rescue or a callback tells this
failure from one of the phone.
"""

from __future__ import annotations

__metaclass__ = type

STOP_OPTION = "stop_message"
STOP_SPEC = {STOP_OPTION: dict(type="str")}
# error_kind of a task stopped by stop_message: nothing was sent, the message is the caller's own.
STOPPED = "stopped"


def stop_message(args):
    """The message the task must stop with, or None (left out, omitted or empty: the task runs)."""
    message = args.get(STOP_OPTION)
    return str(message) if message not in (None, "") else None


def stopped_result(message):
    """The failed result of a stopped task: no request made, nothing changed."""
    return {"failed": True, "changed": False, "msg": message, "error_kind": STOPPED}
