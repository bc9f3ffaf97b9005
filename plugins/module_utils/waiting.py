# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling until a phone reaches a state, shared by gs_sysop (back after a reboot) and gs_call (line states)."""

from __future__ import annotations

__metaclass__ = type

import time

# Progress is reported when the answer changes, and otherwise no more often than this: a poll every
# second must not flood the play's output.
REPORT_EVERY_SECONDS = 10.0


class WaitOutcome:
    """How a wait ended: ``reached`` False means the time ran out; ``answer`` is the last one seen."""

    __slots__ = ("reached", "elapsed", "answer", "value")

    def __init__(self, reached, elapsed, answer, value):
        self.reached = reached
        self.elapsed = elapsed
        self.answer = answer
        self.value = value


def poll_until(poll, timeout, interval, report=None, clock=time.monotonic, sleep=time.sleep,
               report_every=REPORT_EVERY_SECONDS, started=None):
    """Call ``poll(remaining_seconds)`` until it says done or ``timeout`` seconds have passed.

    ``poll`` returns ``(done, answer, value)``: ``answer`` is a short text describing what the phone
    said (compared between polls to decide when to report), ``value`` whatever the caller wants back.
    ``report(elapsed, answer)`` is called when the answer changes and every ``report_every`` seconds.
    ``started`` lets the clock start before the call (e.g. when the request that began the wait was sent).
    """
    started = clock() if started is None else started
    last_answer, last_report, value = None, None, None
    while True:
        elapsed = clock() - started
        done, answer, value = poll(max(0.0, timeout - elapsed))
        elapsed = clock() - started
        report_due = last_report is None or elapsed - last_report >= report_every
        if report is not None and (answer != last_answer or report_due):
            report(elapsed, answer)
            last_report = elapsed
        last_answer = answer
        if done:
            return WaitOutcome(True, elapsed, answer, value)
        remaining = timeout - elapsed
        if remaining <= 0:
            return WaitOutcome(False, elapsed, answer, value)
        sleep(min(interval, remaining))
