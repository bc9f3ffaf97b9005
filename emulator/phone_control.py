"""What the control API does to one phone (a mixin of `Phone`, which owns the state and the lock)."""

from __future__ import annotations

import time
from dataclasses import replace

from .model import (
    PASSWORD_PVALUE,
    copy_state,
    default_firmware,
    fit_to_dialect,
    identity_pvalues,
)
from .power import REFUSING


class PhoneControl:
    def control_reset(self) -> None:
        """Factory state, no sessions, no calls, no faults, zero counters, up."""
        with self.lock:
            self.identity = self.configured_identity
            self.web_access_denied = set()
            self._restore_factory_state()
            self.sessions.clear()
            self.realms.clear(forget_issued=True)
            self.nonces.clear(forget_issued=True)
            self.lines.reset()
            self.power.power_on()
            self.power.last_reboot = None
            self.faults.configure({})
            self.counters.reset()

    def set_pvalues(self, values: dict[str, str]) -> None:
        """Drift: set values as they are, bypassing every write rule."""
        with self.lock:
            self.pvalues.update({str(name): str(value) for name, value in values.items()})
            self.save()

    def set_dialect(self, dialect: str | None, version: str | None) -> None:
        """Reflash by hand: another dialect and/or firmware version (default: the dialect's). Sessions and
        challenges end; settings the new dialect has and the phone lacks get their factory values."""
        with self.lock:
            dialect = dialect or self.dialect
            self.identity = replace(self.identity, dialect=dialect,
                                    firmware=version or default_firmware(dialect, self.model))
            self.state["firmware"] = None
            fit_to_dialect(self.pvalues, self.identity)
            self.pvalues.update(identity_pvalues(self.identity))
            self.sessions.clear()
            self.realms.clear()
            self.nonces.clear()
            self.save()

    def set_web_access(self, allowed: dict[str, bool]) -> None:
        """Turn a user's web access off (its logins answer "user is not allow") or on again."""
        with self.lock:
            for user, on in allowed.items():
                (self.web_access_denied.discard if on else self.web_access_denied.add)(user)

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def incoming_call(self, number: str, name: str, line: int | None) -> int | None:
        with self.lock:
            return self.lines.ring(number, name, line, time.monotonic())

    def describe(self) -> dict:
        with self.lock:
            now = time.monotonic()
            state = copy_state(self.state)
            return {
                "index": self.index,
                "model": self.model.name,
                "mac": self.identity.mac,
                "dialect": self.dialect,
                "pvalues": state["pvalues"],
                "passwords": {role: self.password(role) for role in PASSWORD_PVALUE},
                "groups": state["groups"],
                "contacts": state["contacts"],
                "lines": self.lines.view(now),
                "lock": self.login_guard.describe(time.time()),
                "pending_reboot": state["pending_reboot"],
                "firmware": state["pvalues"]["P68"],
                "last_reboot": dict(zip(("down_at", "up_at"), self.power.last_reboot)) if self.power.last_reboot
                else None,
                "sessions": self.sessions.describe(now),
                "nonces_issued": list(self.nonces.issued),
                "realms_issued": list(self.realms.handed_out),
                "power": self.power.phase(now) if not self.faults.down else REFUSING,
                "faults": dict(self.faults.settings),
            }
