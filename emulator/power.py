"""Reboot timing of one phone: refused connections for the first half, HTTP 503 for the rest."""

from __future__ import annotations

import time

UP = "up"
REFUSING = "refusing"  # the listening socket is closed
BOOTING = "booting"  # it listens again but answers 503


class Power:
    def __init__(self):
        # Connections accepted before a reboot must not survive it; they compare generations.
        self.generation = 0
        # (went down, back up) of the last reboot, monotonic seconds; back None: never. Lets a test
        # check that two phones' reboots did not overlap.
        self.last_reboot = None
        self.power_on()

    def power_on(self) -> None:
        """Up now, whatever reboot was going on."""
        self.booted_at = time.monotonic()
        self._refuse_until = 0.0
        self._unavailable_until = 0.0
        self._never_back = False

    def reboot(self, seconds: float, now: float) -> None:
        """Start a reboot lasting `seconds`; a negative duration never comes back."""
        self.generation += 1
        if seconds < 0:
            self._never_back = True
            self.last_reboot = (now, None)
            return
        self.last_reboot = (now, now + seconds)
        self._refuse_until = now + seconds / 2
        self._unavailable_until = now + seconds
        self.booted_at = self._unavailable_until

    def phase(self, now: float) -> str:
        if self._never_back or now < self._refuse_until:
            return REFUSING
        if now < self._unavailable_until:
            return BOOTING
        return UP

    def uptime(self, now: float) -> float:
        return max(0.0, now - self.booted_at)
