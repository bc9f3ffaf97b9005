"""Request counters of one phone (cheap: one small lock, plain dict increments)."""

from __future__ import annotations

import threading


class Counters:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._requests = 0
            self._by_endpoint: dict[str, int] = {}
            self._by_method: dict[str, int] = {}
            self._logins = 0
            self._failed_logins = 0
            self._writes = 0
            self._reboots = 0
            self._challenges = 0
            self._probes = 0

    def count_request(self, endpoint: str, method: str) -> None:
        with self._lock:
            self._requests += 1
            self._by_endpoint[endpoint] = self._by_endpoint.get(endpoint, 0) + 1
            self._by_method[method] = self._by_method.get(method, 0) + 1

    def count_login(self, succeeded: bool) -> None:
        with self._lock:
            if succeeded:
                self._logins += 1
            else:
                self._failed_logins += 1

    def count_write(self) -> None:
        with self._lock:
            self._writes += 1

    def count_challenge(self) -> None:
        """A current-dialect `access` request (a nonce asked for): not a login attempt."""
        with self._lock:
            self._challenges += 1

    def count_probe(self) -> None:
        """An unauthenticated identification request (`model.define.js`), whatever the dialect answered."""
        with self._lock:
            self._probes += 1

    def count_reboot(self) -> None:
        with self._lock:
            self._reboots += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "requests": self._requests,
                "by_endpoint": dict(self._by_endpoint),
                "by_method": dict(self._by_method),
                "logins": self._logins,
                "failed_logins": self._failed_logins,
                "writes": self._writes,
                "reboots": self._reboots,
                "challenges": self._challenges,
                "probes": self._probes,
            }


def sum_counters(snapshots) -> dict:
    total = {"requests": 0, "by_endpoint": {}, "by_method": {}, "logins": 0, "failed_logins": 0, "writes": 0,
             "reboots": 0, "challenges": 0, "probes": 0}
    for snapshot in snapshots:
        for key, value in snapshot.items():
            if isinstance(value, dict):
                for name, count in value.items():
                    total[key][name] = total[key].get(name, 0) + count
            else:
                total[key] += value
    return total
