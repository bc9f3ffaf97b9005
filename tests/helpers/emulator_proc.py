"""Run the phone emulator (`python -m emulator`) as a subprocess for tests, with a control client.

    with EmulatorProcess(count=3) as emulator:
        requests.post(emulator.url(0, "dologin"), data={"username": "admin", "password": "admin"})
        emulator.counters(0)["logins"]

Standard library only, so any test suite (unit, integration, molecule, benchmarks) can use it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# Ports are picked below Linux's ephemeral range (32768+), where client sockets of parallel tests
# would otherwise land on them.
PORT_RANGE = (10000, 32000)
EXIT_PORT_UNAVAILABLE = 3  # emulator/__main__.py: a port was taken
START_ATTEMPTS = 5


class EmulatorError(RuntimeError):
    """The emulator did not start, or the control API refused a request."""


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the emulator binds (emulator/server.py): a port whose last connection is in TIME_WAIT is one it can
        # take. Without this, the TIME_WAIT ports a test run leaves all over the range make a block of
        # thousands of ports (the benchmark's 5,000 phones) unfindable for a minute.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def find_free_port_block(size: int, attempts: int = 500) -> int:
    """First port of `size` consecutive free loopback ports. The start is random (from the OS's
    entropy, not the seeded `random`), so parallel pytest-xdist workers rarely pick the same block;
    a collision anyway makes the emulator exit with EXIT_PORT_UNAVAILABLE and is retried."""
    chooser = random.SystemRandom()
    low, high = PORT_RANGE
    for unused_attempt in range(attempts):
        start = chooser.randrange(low, high - size)
        if all(_port_is_free(port) for port in range(start, start + size)):
            return start
    raise EmulatorError(f"no block of {size} free ports found in {PORT_RANGE}")


class EmulatorProcess:
    """One emulator subprocess: `count` phones on consecutive ports, control port just below them."""

    def __init__(self, count: int = 3, protocol: str = "http", base_port: int | None = None,
                 state_dir: str | os.PathLike | None = None, extra_args=(), ready_timeout: float = 30.0,
                 keep_files: bool = False, firmware: str = "guide"):
        """`firmware`: the dialect every phone speaks, `guide` (default), `current`, or `mixed` (even
        indices guide, odd current); the emulator's --firmware."""
        self.count = count
        self.firmware = firmware
        self.protocol = protocol
        self.requested_base_port = base_port
        self.extra_args = tuple(str(arg) for arg in extra_args)
        self.ready_timeout = ready_timeout
        self.keep_files = keep_files
        self.work_dir = Path(tempfile.mkdtemp(prefix="gs-emulator-test-"))
        self.state_dir = Path(state_dir) if state_dir is not None else self.work_dir / "state"
        self.log_path = self.work_dir / "emulator.log"
        self.stderr_path = self.work_dir / "stderr.txt"
        self.process: subprocess.Popen | None = None
        self.ready: dict = {}
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> "EmulatorProcess":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> "EmulatorProcess":
        ports_needed = self.count * (2 if self.protocol == "both" else 1) + 1  # + control port
        for attempt in range(1, START_ATTEMPTS + 1):
            base_port = self.requested_base_port or find_free_port_block(ports_needed) + 1
            if self._launch(base_port):
                return self
            exit_code = self.process.returncode
            if self.requested_base_port or exit_code != EXIT_PORT_UNAVAILABLE or attempt == START_ATTEMPTS:
                raise EmulatorError(f"emulator exited with {exit_code}: {self._stderr_tail()}")
        raise AssertionError("unreachable")

    def _launch(self, base_port: int) -> bool:
        """Start the subprocess; True once it is ready, False if it exited first."""
        ready_file = self.work_dir / "ready.json"
        ready_file.unlink(missing_ok=True)
        command = [sys.executable, "-m", "emulator", "--count", str(self.count), "--protocol", self.protocol,
                   "--base-port", str(base_port), "--state-dir", str(self.state_dir),
                   "--log-file", str(self.log_path), "--ready-file", str(ready_file), "--firmware", self.firmware,
                   *self.extra_args]
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), environment.get("PYTHONPATH")]))
        with open(self.stderr_path, "ab") as stderr:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdin=subprocess.DEVNULL,
                                            stdout=stderr, stderr=stderr)
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if ready_file.exists():
                self.ready = json.loads(ready_file.read_text())
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        self._kill()
        raise EmulatorError(f"emulator not ready after {self.ready_timeout} s: {self._stderr_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Shut down through the control API, then terminate, then kill; each step bounded."""
        if self.process is not None and self.process.poll() is None:
            try:
                self.shutdown()
                self.process.wait(timeout)
            except (EmulatorError, OSError, subprocess.TimeoutExpired):
                self._kill()
        self.process = None
        if not self.keep_files:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def _kill(self) -> None:
        for stop_step in (self.process.terminate, self.process.kill):
            stop_step()
            try:
                self.process.wait(5)
                return
            except subprocess.TimeoutExpired:
                continue

    def _stderr_tail(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    # where things are ----------------------------------------------------------------------
    @property
    def pid(self) -> int:
        return self.ready["pid"]

    @property
    def ports(self) -> list[int]:
        """Each phone's main port (HTTP, or HTTPS with protocol="https")."""
        return self.ready["ports"]

    @property
    def https_ports(self) -> list[int]:
        return self.ready["https_ports"]

    @property
    def control_url(self) -> str:
        return f"http://{HOST}:{self.ready['control_port']}"

    @property
    def cert_path(self) -> Path | None:
        """The self-signed certificate (a `ca_path` / `verify=`), when the protocol includes HTTPS."""
        return Path(self.ready["cert_path"]) if self.ready.get("cert_path") else None

    def url(self, index: int, endpoint: str = "", https: bool | None = None) -> str:
        """`http(s)://127.0.0.1:<port>/cgi-bin/<endpoint>` of phone `index`; HTTPS when the
        protocol is https, or when asked for with protocol "both"."""
        use_https = self.protocol == "https" if https is None else https
        port = self.https_ports[index] if use_https else self.ports[index]
        return f"{'https' if use_https else 'http'}://{HOST}:{port}/cgi-bin/{endpoint}"

    def read_log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def rss_bytes(self) -> int:
        """Resident memory of the emulator process (Linux /proc)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise EmulatorError("VmRSS not found")

    # control client ------------------------------------------------------------------------
    def control(self, method: str, path: str, body: dict | None = None, timeout: float = 30.0):
        data = json.dumps(body).encode() if body is not None else (b"{}" if method == "POST" else None)
        request = urllib.request.Request(self.control_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as failure:
            raise EmulatorError(f"{method} {path}: HTTP {failure.code} {failure.read().decode(errors='replace')}") \
                from None
        except (urllib.error.URLError, OSError) as failure:
            raise EmulatorError(f"{method} {path}: {failure}") from None

    def phones(self) -> list[dict]:
        return self.control("GET", "/phones")

    def state(self, index: int) -> dict:
        return self.control("GET", f"/phones/{index}/state")

    def counters(self, index: int | None = None) -> dict:
        return self.control("GET", "/counters" if index is None else f"/phones/{index}/counters")

    def reset_counters(self) -> None:
        self.control("POST", "/counters/reset")

    def set_pvalues(self, index: int, values: dict) -> None:
        self.control("POST", f"/phones/{index}/pvalues", values)

    def register_account(self, index: int, account: int = 1) -> None:
        """Make SIP account ``account`` (1-based) of phone ``index`` registered: calls on it go through.
        A factory phone has none, and a call on an unregistered account fails (line state 8)."""
        from emulator.model import ACCOUNTS  # the one home of the account P-value names

        names = ACCOUNTS[account - 1]
        self.set_pvalues(index, {names.active: "1", names.server: "pbx.example.com",
                                 names.user_id: "10%02d" % account})

    def dialect(self, index: int) -> dict:
        """`{"dialect", "firmware", "model"}` of phone `index`."""
        return self.control("GET", f"/phones/{index}/dialect")

    def set_dialect(self, index: int, dialect: str | None = None, version: str | None = None) -> dict:
        """Reflash phone `index` by hand to `dialect` and/or firmware `version` (until the next control reset,
        which restores the command line's dialect)."""
        body = {key: value for key, value in (("dialect", dialect), ("version", version)) if value is not None}
        return self.control("POST", f"/phones/{index}/dialect", body)

    def set_web_access(self, index: int, **allowed: bool) -> None:
        """`set_web_access(0, user=False)`: that user's logins answer "user is not allow" (until a reset)."""
        self.control("POST", f"/phones/{index}/web_access", allowed)

    def faults(self, index: int | None, faults: dict) -> dict:
        """Set faults on phone `index`, or on every phone with None; `{}` clears them."""
        return self.control("POST", "/faults" if index is None else f"/phones/{index}/faults", faults)

    def reset(self, index: int | None = None) -> None:
        """Factory state, counters and faults cleared, for one phone or all."""
        self.control("POST", "/reset" if index is None else f"/phones/{index}/reset")

    def expire_sessions(self, index: int) -> None:
        self.control("POST", f"/phones/{index}/expire_sessions")

    def incoming_call(self, index: int, number: str = "1000", name: str = "", line: int | None = None) -> int:
        """Ring a line (the first idle one unless `line`); returns the line number."""
        body = {"number": number, "name": name}
        if line is not None:
            body["line"] = line
        return self.control("POST", f"/phones/{index}/incoming_call", body)["line"]

    def reboot(self, index: int, seconds: float | None = None) -> None:
        """Reboot without a client request; `seconds` < 0 never comes back."""
        self.control("POST", f"/phones/{index}/reboot", {} if seconds is None else {"seconds": seconds})

    def shutdown(self) -> None:
        self.control("POST", "/shutdown", timeout=5.0)

    def wait_until_up(self, index: int, timeout: float = 30.0) -> None:
        """Wait until phone `index` answers again (after a reboot): HTTP 200, or the 401 a current-dialect
        phone answers an unauthenticated status request; never a 503 (still booting)."""
        deadline = time.monotonic() + timeout
        url = self.url(index, "api-get_phone_status")
        opener = self._opener
        if url.startswith("https"):
            context = ssl.create_default_context(cafile=str(self.cert_path))
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                 urllib.request.HTTPSHandler(context=context))
        while time.monotonic() < deadline:
            try:
                with opener.open(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except urllib.error.HTTPError as answer:
                answer.close()
                if answer.code == 401:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise EmulatorError(f"phone {index} not up after {timeout} s")


DIALECTS = ("guide", "current")  # the emulator's one-dialect --firmware values; tests/integration runs each


def emulator_fixtures(**options):
    """The two fixtures most test modules need: ``phones`` (one emulator for the whole module, started
    with ``options``) and an autouse ``factory_phones`` that resets them (factory state, zero counters,
    no faults) before each test. Use: ``phones, factory_phones = emulator_fixtures(count=2)``.

    Without ``firmware`` the fleet speaks the dialect of the ``dialect`` fixture: "guide" everywhere
    (tests/conftest.py), each of `DIALECTS` in turn under tests/integration (its conftest.py: test ids
    ``[guide]`` / ``[current]``). A module that passes ``firmware`` keeps to that fleet."""
    import pytest  # only test modules call this; the helper itself also serves scripts

    if "firmware" in options:
        @pytest.fixture(scope="module", name="phones")
        def phones_fixture():
            with EmulatorProcess(**options) as emulator:
                yield emulator
    else:
        @pytest.fixture(scope="module", name="phones")
        def phones_fixture(dialect):
            with EmulatorProcess(firmware=dialect, **options) as emulator:
                yield emulator

    @pytest.fixture(autouse=True, name="factory_phones")
    def factory_phones_fixture(phones):
        phones.reset()
        return phones

    return phones_fixture, factory_phones_fixture
