"""Call lines of one phone. Time-driven transitions (calling -> in call) are computed on read."""

from __future__ import annotations

IDLE = "0"
RINGING = "2"
CALLING = "3"
IN_CALL = "4"
HOLD = "5"
FAILED = "8"

# An outgoing call is answered this long after it was dialled.
ANSWER_DELAY_SECONDS = 0.5

# api-phone_operation cmd -> (states it applies to, state afterwards).
OPERATIONS = {
    "endcall": ({RINGING, CALLING, IN_CALL, HOLD, FAILED}, IDLE),  # not on an idle line: there is no call
    "holdcall": ({IN_CALL, HOLD}, HOLD),
    "acceptcall": ({RINGING}, IN_CALL),
    "rejectcall": ({RINGING}, IDLE),
}


def _idle_line() -> dict:
    return {"state": IDLE, "acct": "", "name": "", "number": "", "since": 0.0}


class Lines:
    def __init__(self, count: int):
        self._lines = [_idle_line() for unused_index in range(count)]

    @property
    def count(self) -> int:
        return len(self._lines)

    def valid_line(self, number: int) -> bool:
        return 1 <= number <= len(self._lines)

    def _advance(self, now: float) -> None:
        for line in self._lines:
            if line["state"] == CALLING and now - line["since"] >= ANSWER_DELAY_SECONDS:
                line["state"] = IN_CALL

    def view(self, now: float, only_line: int | None = None) -> list[dict]:
        self._advance(now)
        return [
            {"line": number, "state": line["state"], "acct": line["acct"], "name": line["name"],
             "number": line["number"], "active": 1 if line["state"] in (CALLING, IN_CALL) else 0}
            for number, line in enumerate(self._lines, start=1)
            if only_line is None or number == only_line
        ]

    def _first_idle(self) -> int | None:
        for number, line in enumerate(self._lines, start=1):
            if line["state"] == IDLE:
                return number
        return None

    def _set(self, line_number: int, state: str, now: float, **fields) -> None:
        line = self._lines[line_number - 1]
        if state == IDLE:
            line.update(_idle_line())
        else:
            line.update(fields, state=state, since=now)

    def dial(self, number: str, account: int, now: float, registered: bool = True) -> int | None:
        """Put the first idle line into `calling` (`failed` when the account is not registered); None when
        every line is busy. A failed line stays failed until `endcall`."""
        self._advance(now)
        line_number = self._first_idle()
        if line_number is not None:
            self._set(line_number, CALLING if registered else FAILED, now, acct=str(account), name="", number=number)
        return line_number

    def ring(self, number: str, name: str, line_number: int | None, now: float) -> int | None:
        """An incoming call on `line_number` (or the first idle line); None when not possible."""
        self._advance(now)
        if line_number is None:
            line_number = self._first_idle()
        if line_number is None or not self.valid_line(line_number):
            return None
        if self._lines[line_number - 1]["state"] != IDLE:
            return None
        self._set(line_number, RINGING, now, acct="0", name=name, number=number)
        return line_number

    def operate(self, command: str, line_number: int, now: float) -> bool:
        """Apply a known api-phone_operation command to a valid line; False when the line's call (if any) does
        not allow it."""
        self._advance(now)
        applies_to, new_state = OPERATIONS[command]
        line = self._lines[line_number - 1]
        if line["state"] not in applies_to:
            return False
        if new_state == IDLE:
            self._set(line_number, IDLE, now)
        else:
            line["state"] = new_state
            line["since"] = now
        return True

    def phone_status(self, now: float) -> str:
        self._advance(now)
        states = {line["state"] for line in self._lines}
        if RINGING in states:
            return "ringing"
        if states - {IDLE, FAILED}:
            return "busy"
        return "available"

    def reset(self) -> None:
        for line in self._lines:
            line.update(_idle_line())
