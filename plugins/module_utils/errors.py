# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception type every part of the collection raises for a phone-side problem."""

from __future__ import annotations

__metaclass__ = type


# Key of PhoneError.details (and so of the task result) for a phone that could not be reached at all:
# refused, timed out, no route. The action plugins then report the task unreachable, not failed; "failed"
# is for a phone that answered and refused.
UNREACHABLE = "unreachable"


class PhoneError(Exception):
    """A readable failure talking to one phone.

    ``kind`` lets callers branch without parsing text:
    connection, tls, timeout, auth, locked, session, booting, http, api, invalid_request,
    not_a_phone, validation, not_applied, file (a local file could not be read or written).
    The message never contains a secret: callers build it from names, never from values.
    ``may_have_acted`` is True when a request failed after it may have reached the phone (no answer
    within the timeout, a reset after sending, HTTP 500/502/504): a caller that wrote should read
    the phone's state again before it decides what to repeat.
    """

    def __init__(self, message, host=None, kind="api", attempts_left=None, lock_minutes=None,
                 http_status=None, details=None, may_have_acted=False):
        super().__init__(message)
        self.message = message
        self.host = host
        self.kind = kind
        self.attempts_left = attempts_left
        self.lock_minutes = lock_minutes
        self.http_status = http_status
        self.details = details or {}
        self.may_have_acted = may_have_acted

    def __str__(self):
        if self.host:
            return "%s: %s" % (self.host, self.message)
        return self.message


class ValidationError(PhoneError):
    """Bad input found before any request was made; names the offending field."""

    def __init__(self, message, field=None, problems=None):
        super().__init__(message, kind="validation")
        self.field = field
        # Every problem found, one message each (message may join several): gs_validate lists them apiece.
        self.problems = list(problems) if problems else [message]


def raise_together(errors):
    """Raise one ValidationError for every error in ``errors`` (none: return), naming the first one's field."""
    if not errors:
        return
    if len(errors) == 1:
        raise errors[0]
    messages = [message for error in errors for message in error.problems]
    raise ValidationError("%d problems: %s" % (len(messages), "; ".join(messages)), field=errors[0].field,
                          problems=messages)
