"""The fleet: builds the phones, binds their ports and the control API, runs until shutdown."""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from .control import ControlServer
from .firmware import FirmwareServer
from .model import make_identity
from .phone import Phone, PhoneSettings
from .server import Acceptor, Listener
from .store import StateStore
from .tls import ensure_certificate, server_context

log = logging.getLogger("emulator")


@dataclass(frozen=True)
class FleetConfig:
    count: int
    base_port: int
    protocol: str  # http, https or both
    bind: str
    control_port: int
    state_dir: Path
    cert_dir: Path
    seed: int
    session_idle: float
    reboot_seconds: float
    models: tuple[str, ...]
    ready_file: Path | None
    firmware_images: tuple = ()  # image dicts (firmware.py) on the fake firmware server from the start
    install_seconds: float = 0.0
    firmware: str = "guide"  # guide, current or mixed (model.FIRMWARE_MODES)


class Fleet:
    def __init__(self, config: FleetConfig):
        self.config = config
        store = StateStore(config.state_dir)
        settings = PhoneSettings(config.seed, config.session_idle, config.reboot_seconds)
        self.firmware_server = FirmwareServer(config.firmware_images, config.install_seconds)
        identities = [make_identity(i, config.seed, config.models, config.firmware) for i in range(config.count)]
        self.phones = [Phone(identity, settings, store, self.firmware_server) for identity in identities]
        self.ports, self.https_ports = self._port_plan()
        self.cert_path = None
        listeners = []
        if config.protocol in ("https", "both"):
            self.cert_path, key_path = ensure_certificate(config.cert_dir)
            tls_context = server_context(self.cert_path, key_path)
            listeners += [Listener(phone, config.bind, port, tls_context)
                          for phone, port in zip(self.phones, self.https_ports)]
        if config.protocol in ("http", "both"):
            listeners += [Listener(phone, config.bind, port, None) for phone, port in zip(self.phones, self.ports)]
        self.acceptor = Acceptor(listeners)
        self.control = None
        self._stop = threading.Event()

    def _port_plan(self) -> tuple[list[int], list[int]]:
        """(`ports`, `https_ports`): `ports` are the phones' main ports whatever the protocol."""
        count, base = self.config.count, self.config.base_port
        main = [base + i for i in range(count)]
        if self.config.protocol == "https":
            return main, main
        if self.config.protocol == "both":
            return main, [base + count + i for i in range(count)]
        return main, []

    def start(self) -> None:
        """Bind everything (OSError when a port is taken), start serving, write the ready file."""
        self.acceptor.open_all()
        self.control = ControlServer(self.config.bind, self.config.control_port, self)
        self.acceptor.start()
        self.control.start()
        log.info("emulator: %d phones on %s ports %d-%d (%s), control port %d", self.config.count,
                 self.config.bind, self.ports[0], (self.https_ports or self.ports)[-1],
                 self.config.protocol, self.config.control_port)
        if self.config.ready_file:
            self._write_ready_file(self.config.ready_file)

    def _write_ready_file(self, path: Path) -> None:
        document = {"pid": os.getpid(), "control_port": self.config.control_port, "ports": self.ports,
                    "https_ports": self.https_ports, "cert_path": str(self.cert_path) if self.cert_path else None,
                    "state_dir": str(self.config.state_dir)}
        temp = path.with_name(path.name + ".tmp")
        temp.write_text(json.dumps(document))
        os.replace(temp, path)

    def request_shutdown(self) -> None:
        self._stop.set()

    def wait(self) -> None:
        # A timed wait keeps the main thread responsive to signals.
        while not self._stop.wait(0.5):
            pass

    def stop(self) -> None:
        self.acceptor.stop()
        if self.control is not None:
            self.control.stop()
