"""500 phones in one emulator process: every one answers, memory stays bounded."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.helpers.emulator_proc import EmulatorProcess
from tests.helpers.phone_http import new_http_session

FLEET_SIZE = 500
MAX_RSS_BYTES = 1 << 30


def test_500_phones_in_one_process():
    started = time.monotonic()
    with EmulatorProcess(count=FLEET_SIZE, ready_timeout=120) as emulator:
        startup_seconds = time.monotonic() - started
        local = threading.local()

        def login_and_read(index: int) -> tuple[str, str]:
            if not hasattr(local, "http"):
                local.http = new_http_session()
            http = local.http
            login = http.post(emulator.url(index, "dologin"), data={"username": "admin", "password": "admin"},
                              timeout=30).json()
            read = http.get(emulator.url(index, "api.values.get"), timeout=30,
                            params={"request": "89:30", "sid": login["body"]["sid"]}).json()
            return read["body"]["89"], read["body"]["30"]

        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(login_and_read, range(FLEET_SIZE)))
        expected_models = ["GXV3370", "GXV3380", "GXV3350", "WP820"]
        assert answers == [(expected_models[i % 4], "pool.ntp.org") for i in range(FLEET_SIZE)]
        assert emulator.counters()["logins"] == FLEET_SIZE
        rss = emulator.rss_bytes()
        print(f"\n500 phones: ready in {startup_seconds:.1f} s, RSS {rss / 2**20:.0f} MiB")
        assert rss < MAX_RSS_BYTES
