"""One JSON file per phone (`phone-<i>.json`), written atomically and reloaded at start."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

STATE_FORMAT_VERSION = 1


class StateStore:
    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._remove_leftover_temp_files()

    def path(self, index: int) -> Path:
        return self.directory / f"phone-{index}.json"

    def load(self, index: int) -> dict | None:
        """The saved state, or None when there is none (or it is unreadable: factory state then)."""
        try:
            document = json.loads(self.path(index).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(document, dict) or document.get("version") != STATE_FORMAT_VERSION:
            return None
        return document.get("state")

    def save(self, index: int, state: dict) -> None:
        """Write to a temporary file in the same directory, fsync, then rename over the old file:
        a crash leaves either the old or the new state, never half of one."""
        data = json.dumps({"version": STATE_FORMAT_VERSION, "state": state}, indent=1, sort_keys=True)
        descriptor, temp_name = tempfile.mkstemp(prefix=f".phone-{index}.", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as temp_file:
                temp_file.write(data)
                temp_file.flush()
                os.fsync(temp_file.fileno())
            os.replace(temp_name, self.path(index))
        except BaseException:
            try:
                os.unlink(temp_name)
            except OSError:
                pass
            raise

    def _remove_leftover_temp_files(self) -> None:
        for leftover in self.directory.glob(".phone-*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass
