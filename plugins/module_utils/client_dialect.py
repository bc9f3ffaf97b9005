# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which dialect PhoneClient speaks to its phone, and what the dialect told about the phone (dialects.py).

Part of PhoneClient. The dialect comes from the ``firmware_dialect`` option, from the play's cached session
(it was detected when that session was opened) or from one unauthenticated probe now; never from a login.
A cached dialect is trusted only with its cached session: before any login, and when a request of that
dialect is unknown to the phone (HTTP 404), it is detected again, because a phone whose firmware changed may
speak another dialect, and a login in the wrong one could count as a failed login.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import dialects
from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError

# Where the dialect in use came from: the connection option, the play's cached session, or this task's probe.
FROM_OPTION, FROM_CACHE, DETECTED = "option", "cache", "detected"


class DialectChanged(PhoneError):
    """The phone no longer speaks the dialect the cache said (a firmware change): a dialect's own request (values)
    is redone once by get_values / post_values in the new dialect. A PhoneError, so one that is not redone
    still fails its task with a readable message."""

    def __init__(self, label, endpoint):
        PhoneError.__init__(self, "%s is unknown to the phone: its firmware changed dialect; run the task again"
                            % endpoint, host=label, kind="session")


class DialectChoice:
    """The dialect half of PhoneClient (a mixin: it uses the client's conn, cache, session and log)."""

    @property
    def dialect(self):
        """The phone's dialect (dialects.py): the connection option, the play's cached session's, or detected
        now with one unauthenticated request (never a login)."""
        if self._dialect is None:
            self._choose_dialect()
        return self._dialect

    def _choose_dialect(self):
        choice = getattr(self.conn, "firmware_dialect", None) or dialects.AUTO
        if choice != dialects.AUTO:
            self._dialect, self._dialect_source = dialects.for_name(choice), FROM_OPTION
        else:
            self._detect()

    def _dialect_name(self):
        return self._dialect.name if self._dialect is not None else None

    def _detect(self):
        name, facts = dialects.detect(self)
        if self._dialect is not None and self._dialect.name != name:
            self._log("%s: the phone now speaks the %s dialect, not %s" % (self.conn.label, name, self._dialect.name))
            self.facts = {}
        self._dialect, self._dialect_source = dialects.for_name(name), DETECTED
        self.facts.update(dialects.clean_facts(facts))
        self._log("%s: %s firmware dialect" % (self.conn.label, name))

    def _adopt_cached_dialect(self, cached):
        """A cached session brings the dialect and facts it was opened with (an older cache file: none)."""
        name = cached.get("dialect")
        if self._dialect is None and name in (dialects.GUIDE, dialects.CURRENT):
            self._dialect, self._dialect_source = dialects.for_name(name), FROM_CACHE
            self.facts.update(dialects.clean_facts(cached.get("facts")))

    def confirm_dialect(self):
        """Before a login: a dialect taken from the cache is detected again (no login), because a login in a
        dialect the phone no longer speaks (a firmware change) could count as a failed one. Returns True when
        the dialect changed."""
        before = self._dialect_name()
        if self._dialect_source == FROM_CACHE:
            self._detect()
        elif self._dialect is None:
            self._choose_dialect()
        return before is not None and before != self._dialect_name()

    def _dialect_gone(self, endpoint):
        """A 404 for a request of the cached dialect: is it the phone that changed dialect (detected again, no
        login)? If so the cached session is dropped and True returned: the caller logs in again in the new one."""
        if self._dialect_source != FROM_CACHE or not self.confirm_dialect():
            return False
        self._log("%s: %s unknown after a firmware change; the cached session is dropped" % (self.conn.label, endpoint))
        self.sid = None
        self.session.cookies.clear()
        if self.cache is not None:
            self.cache.forget(self.conn.base_url, self.conn.username)
        return True

    def grandstream_aliases(self):
        """Grandstream's own names of the values this client read (``{"P334": "lcd.backlight.brightness.active"}``,
        only those the phone named), or None when the phone's dialect names no values (the guide dialect)."""
        if self._dialect is None or not self._dialect.names_values:
            return None
        return dict(self.value_names)

    def phone_facts(self):
        """What the dialect told about the phone (``firmware``, ``mac``, ``model``; only those it gave)."""
        return dict(self.facts)
