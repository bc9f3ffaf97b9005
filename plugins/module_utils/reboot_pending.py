# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's memory of phones that hold a change needing a reboot they have not had yet.

A value such as the SIP transport takes effect only after a reboot, and nothing the phone answers shows
that it still runs the old one: once written, the next run sees no difference. So gs_pvalues leaves a
marker file per phone *before* it sends such a value (a crash between the two still leaves it), and
gs_sysop removes it once a reboot or reset it asked for was seen to finish (``wait: true``). While a
marker exists, gs_pvalues reports ``reboot_pending`` and a drift check shows the phone as
"reboot pending".

The phone can tell one thing itself: its uptime (``api-get_time``). A phone that booted after the
marker's last write was rebooted by someone else (a power cycle by hand), so the marker is stale.

Files: one small JSON file per phone (0600) in ``reboot-pending/`` inside the session cache directory
(0700), keyed by the phone's address and port; they hold P-value names and times, never a value.
The memory is only as durable as that directory: a fresh CI runner without it knows of no pending reboot.
"""

from __future__ import annotations

__metaclass__ = type

import hashlib
import os
import re
import time

from ansible_collections.grandstream.phone.plugins.module_utils.errors import PhoneError
from ansible_collections.grandstream.phone.plugins.module_utils.private_files import read_json, write_json
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import default_cache_dir

SUBDIRECTORY = "reboot-pending"
# The phone reports uptime in whole seconds, and our clock reads are a request apart: a phone whose
# uptime is this much shorter than the time since our last write has certainly booted since.
UPTIME_MARGIN_SECONDS = 2.0
_UPTIME_PART = re.compile(r"(\d+)\s*(day|hour|min|sec)", re.IGNORECASE)
_UNIT_SECONDS = {"day": 86400, "hour": 3600, "min": 60, "sec": 1}


def parse_uptime(text):
    """Seconds from the guide's uptime text (`` 21 days, 1 hour, 50 minutes, 23seconds``), or None."""
    parts = _UPTIME_PART.findall(str(text or ""))
    if not parts:
        return None
    return sum(int(count) * _UNIT_SECONDS[unit.lower()] for count, unit in parts)


def booted_since(uptime_seconds, last_write_at, now):
    """Whether a phone with this uptime (read at ``now``) booted after ``last_write_at`` (both epoch seconds)."""
    return uptime_seconds + UPTIME_MARGIN_SECONDS < now - last_write_at


class RebootMarkers:
    """Record, read and clear the per-phone markers; a marker that cannot be written fails the task."""

    def __init__(self, directory=None):
        self.directory = directory or os.path.join(default_cache_dir(), SUBDIRECTORY)

    def _path(self, label):
        return os.path.join(self.directory, hashlib.sha256(label.encode("utf-8")).hexdigest()[:32] + ".json")

    def load(self, label):
        """The phone's marker: {label, values, since, last_write_at}, or None."""
        marker = read_json(self._path(label))
        return marker if marker and marker.get("values") else None

    def record(self, label, values, previous=None, now=None):
        """Note (before sending them) that ``values`` (labels) need a reboot; kept with earlier ones."""
        now = time.time() if now is None else now
        known = list((previous or {}).get("values") or [])
        marker = {"label": label, "values": sorted(set(known) | set(values)),
                  "since": (previous or {}).get("since") or now, "last_write_at": now}
        self._write(label, marker)
        return marker

    def forget(self, label):
        try:
            os.unlink(self._path(label))
        except OSError:
            pass

    def _write(self, label, marker):
        # Unlike the session cache, a marker that cannot be written is not a cost but a lost reboot:
        # the write that needs it is not sent.
        try:
            # 0700 for the session cache directory too, when this creates it (makedirs gives parents 0755).
            os.makedirs(os.path.dirname(self.directory), mode=0o700, exist_ok=True)
            write_json(self._path(label), marker)
        except OSError as error:
            raise PhoneError("cannot record that the phone will need a reboot (%s: %s); nothing was written"
                             % (self.directory, error.strerror or error), host=label, kind="local")


def phone_uptime(client):
    """The phone's uptime in seconds, or None when it does not say (no api-get_time, an odd answer)."""
    try:
        answer = client.call("api-get_time")
    except PhoneError:
        return None
    return parse_uptime(answer.get("uptime")) if isinstance(answer, dict) else None


def pending_marker(markers, client, check_mode, clock=time.time):
    """The phone's marker if its reboot is still pending; a marker the phone's uptime proves stale
    (it booted after our last write) is removed (kept in check mode, which changes nothing) and None returned."""
    label = client.conn.label
    marker = markers.load(label)
    if marker is None:
        return None
    asked_at = clock()
    uptime = phone_uptime(client)
    if uptime is not None and booted_since(uptime, float(marker.get("last_write_at") or 0), asked_at):
        client.progress("%s: the phone booted after the reboot-needing write (%s); no reboot pending"
                        % (label, ", ".join(marker["values"])))
        if not check_mode:
            markers.forget(label)
        return None
    return marker
