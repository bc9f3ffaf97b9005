"""Fault injection for one phone, deterministic per `--seed` and phone index."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

DEFAULT_FAULTS = {
    "latency_ms": 0,
    "latency_on": [],  # endpoint names latency_ms delays (as fail_next spells them); empty: every request
    "error_rate": 0.0,
    "error_on": "all",
    "reset_rate": 0.0,
    "reset_after_rate": 0.0,
    "reset_on": "all",
    "reset_after_writes": 0,
    "expire_every": 0,
    "drop_writes": [],
    "down": False,
    "fail_next": {},
    # How firmware installs (a PROV that finds an image, firmware.py) end: "" installs the image,
    # "old_version" reboots and comes back on the old firmware, "no_return" never comes back,
    # "no_restart" accepts the PROV and never restarts (it keeps answering on the old firmware).
    "upgrade": "",
}
UPGRADE_OUTCOMES = ("", "old_version", "no_return", "no_restart")
ONE_SHOT_ANSWERS = ("reset", "503", "lost")  # lost: the phone acts, then the answer is lost


class FaultError(ValueError):
    """A faults body the control API refuses (answered 400)."""


def _number(value, name: str, low: float, high: float | None = None):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FaultError(f"{name} must be a number")
    if value < low or (high is not None and value > high):
        raise FaultError(f"{name} must be between {low} and {high}" if high is not None
                         else f"{name} must be >= {low}")
    return value


def validate_faults(body: dict, endpoint_name=None) -> dict:
    """The complete fault settings `body` asks for; names left out take their default (no fault).

    `endpoint_name(name)`: the emulator's own name of an endpoint a `fail_next` key spells (the URL's
    `api.values.post` is `api-values.post`), "" for none; a key it does not know is refused, since a one-shot
    fault on a name no request has would never fire and the test relying on it would pass for the wrong reason.
    """
    if not isinstance(body, dict):
        raise FaultError("faults must be a JSON object")
    unknown = set(body) - set(DEFAULT_FAULTS)
    if unknown:
        raise FaultError(f"unknown faults: {', '.join(sorted(unknown))}")
    settings = {**DEFAULT_FAULTS, **body}
    _number(settings["latency_ms"], "latency_ms", 0, 600_000)
    _number(settings["error_rate"], "error_rate", 0, 1)
    _number(settings["reset_rate"], "reset_rate", 0, 1)
    _number(settings["reset_after_rate"], "reset_after_rate", 0, 1)
    if not isinstance(settings["expire_every"], int) or isinstance(settings["expire_every"], bool) \
            or settings["expire_every"] < 0:
        raise FaultError("expire_every must be an integer >= 0")
    if settings["error_on"] not in ("reads", "all"):
        raise FaultError('error_on must be "reads" or "all"')
    if settings["reset_on"] not in ("writes", "all"):
        raise FaultError('reset_on must be "writes" or "all"')
    after = settings["reset_after_writes"]
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise FaultError("reset_after_writes must be an integer >= 0")
    drop = settings["drop_writes"]
    if not isinstance(drop, list) or not all(isinstance(name, str) for name in drop):
        raise FaultError("drop_writes must be a list of P-value names")
    settings["drop_writes"] = sorted({name if name.startswith("P") else f"P{name}" for name in drop})
    if not isinstance(settings["down"], bool):
        raise FaultError("down must be true or false")
    fail_next = settings["fail_next"]
    if not isinstance(fail_next, dict) or not all(
            isinstance(endpoint, str) and isinstance(answers, list) and all(answer in ONE_SHOT_ANSWERS
                                                                            for answer in answers)
            for endpoint, answers in fail_next.items()):
        raise FaultError('fail_next must map endpoint names to lists of "reset" / "503" / "lost"')
    if settings["upgrade"] not in UPGRADE_OUTCOMES:
        raise FaultError('upgrade must be "", "old_version", "no_return" or "no_restart"')
    latency_on = settings["latency_on"]
    if not isinstance(latency_on, list) or not all(isinstance(endpoint, str) for endpoint in latency_on):
        raise FaultError("latency_on must be a list of endpoint names")
    if endpoint_name is not None:
        for name, endpoints in (("fail_next", fail_next), ("latency_on", latency_on)):
            unknown = sorted(endpoint for endpoint in endpoints if not endpoint_name(endpoint))
            if unknown:
                raise FaultError(f"{name} names endpoints no phone has: {', '.join(unknown)}")
        fail_next = {endpoint_name(endpoint): answers for endpoint, answers in fail_next.items()}
        latency_on = [endpoint_name(endpoint) for endpoint in latency_on]
    settings["fail_next"] = {endpoint: list(answers) for endpoint, answers in fail_next.items()}
    settings["latency_on"] = sorted(set(latency_on))
    return settings


@dataclass(frozen=True)
class Decision:
    latency_seconds: float
    reset: bool  # reset the connection before the phone acts on the request
    error: bool
    reset_after: bool = False  # the phone acts on the request, then resets the connection instead of answering


NO_FAULT = Decision(0.0, False, False)


class Faults:
    def __init__(self, seed_value: int, endpoint_name=None):
        self._seed_value = seed_value
        self._endpoint_name = endpoint_name
        self._lock = threading.Lock()
        self.configure({})

    def configure(self, body: dict) -> dict:
        """Replace every fault setting. The random sequence restarts, so the same settings followed
        by the same requests always give the same faults."""
        settings = validate_faults(body, self._endpoint_name)
        with self._lock:
            self.settings = settings
            self.drop_writes = frozenset(settings["drop_writes"])
            self._one_shots = {endpoint: list(answers) for endpoint, answers in settings["fail_next"].items()}
            self._rng = random.Random(self._seed_value)
            self._authenticated_requests = 0
            self._writes_handled = 0
        return settings

    @property
    def down(self) -> bool:
        return self.settings["down"]

    def decide(self, is_read: bool, is_write: bool = False) -> Decision:
        settings = self.settings
        if not (settings["latency_ms"] or settings["reset_rate"] or settings["error_rate"]
                or settings["reset_after_rate"]):
            return NO_FAULT
        with self._lock:
            # Draw only for the faults that are on, so one fault's sequence does not depend on
            # whether another is configured.
            reset_applies = settings["reset_on"] == "all" or is_write
            reset = (reset_applies and bool(settings["reset_rate"])
                     and self._rng.random() < settings["reset_rate"])
            error_applies = settings["error_on"] == "all" or is_read
            error = (not reset and error_applies and bool(settings["error_rate"])
                     and self._rng.random() < settings["error_rate"])
            # Drawn last, so adding this fault leaves the sequence of the others as it was.
            reset_after = (not (reset or error) and bool(settings["reset_after_rate"])
                           and self._rng.random() < settings["reset_after_rate"])
        return Decision(settings["latency_ms"] / 1000.0, reset, error, reset_after)

    def delays(self, endpoint: str) -> bool:
        """Whether ``latency_ms`` applies to a request to ``endpoint`` (the emulator's name)."""
        latency_on = self.settings["latency_on"]
        return not latency_on or endpoint in latency_on

    def take_one_shot(self, endpoint: str) -> str | None:
        """The next planned failure of a request to ``endpoint`` ("reset", "503" or "lost"), used up once taken."""
        if not self._one_shots:
            return None
        with self._lock:
            answers = self._one_shots.get(endpoint)
            return answers.pop(0) if answers else None

    def note_write(self) -> None:
        """Count one handled write (for `reset_after_writes`)."""
        with self._lock:
            self._writes_handled += 1

    def gone_after_writes(self) -> bool:
        """True once `reset_after_writes` writes were handled: every later request is reset."""
        after = self.settings["reset_after_writes"]
        return bool(after) and self._writes_handled >= after

    def session_expires_now(self) -> bool:
        """Count one authenticated request; True on every `expire_every`-th."""
        every = self.settings["expire_every"]
        if not every:
            return False
        with self._lock:
            self._authenticated_requests += 1
            return self._authenticated_requests % every == 0
