# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling until a phone reaches a state, shared by gs_sysop and gs_firmware (back after a restart) and gs_call
(line states): the wait options' rules, how long one poll may wait, and when a restarted phone is back."""

from __future__ import annotations

__metaclass__ = type

import time

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

# Progress is reported when the answer changes, and otherwise no more often than this: a poll every
# second must not flood the play's output.
REPORT_EVERY_SECONDS = 10.0
# One poll never waits longer than this for an answer: a booting phone that drops packets must not
# stall the loop for the whole connection timeout.
MAX_POLL_SECONDS = 5.0


def check_wait_options(params):
    """wait_timeout, wait_delay and poll_interval, as gs_sysop and gs_firmware take them."""
    if params["wait_timeout"] <= 0:
        raise ValidationError("wait_timeout must be a positive number of seconds", field="wait_timeout")
    if params["wait_delay"] < 0:
        raise ValidationError("wait_delay must not be negative", field="wait_delay")
    if params["poll_interval"] <= 0:
        raise ValidationError("poll_interval must be a positive number of seconds", field="poll_interval")


def poll_timeout(client, remaining):
    """How long one unauthenticated status poll may wait for an answer."""
    return max(0.5, min(MAX_POLL_SECONDS, client.conn.timeout, remaining))


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


# How each client.ping answer of a phone that is not back reads in progress lines and errors: "connection reset"
# or "rebooting", never the bare word "reset" (which reads like a factory reset).
DOWN_ANSWERS = {
    "refused": "connection refused (rebooting)",
    "reset": "connection reset (rebooting)",
    "timeout": "no answer in time (rebooting)",
    "no answer": "no answer (rebooting)",
    "503": "HTTP 503 (booting)",
}


def describe_down(answer):
    """A ping answer of a phone that is not back, as a person reads it: ``connection reset (rebooting)``."""
    if answer in DOWN_ANSWERS:
        return DOWN_ANSWERS[answer]
    return "HTTP %s" % answer if answer.isdigit() else answer


class BackOnline:
    """Decides from successive answers whether the phone is back.

    Real phones may still answer for a moment after accepting the request, so an answering phone only
    counts as back once it was seen down (refused, no answer, HTTP 5xx) or ``wait_delay`` has passed.
    """

    def __init__(self, wait_delay, sent_at, clock):
        self.wait_delay = wait_delay
        self.sent_at = sent_at
        self.clock = clock
        self.seen_down = False

    def judge(self, answer):
        """(back, how to describe the answer)"""
        if answer != "up":
            self.seen_down = True
            return False, describe_down(answer)
        if self.seen_down or self.clock() - self.sent_at >= self.wait_delay:
            return True, "up"
        return False, "up (not restarted yet)"
