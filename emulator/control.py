"""The control API for tests (plain HTTP on loopback, JSON in and out); see docs/emulator.md."""

from __future__ import annotations

import json
import re
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from .counters import sum_counters
from .faults import FaultError
from .firmware import VERSION, FirmwareError
from .model import DIALECTS, PASSWORD_PVALUE

MAX_BODY_BYTES = 1 << 20


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _phone_routes():
    """(method, pattern, handler name); `<i>` routes get the phone as their first argument."""
    return [
        ("GET", r"/phones", "list_phones"),
        ("GET", r"/phones/(\d+)/state", "phone_state"),
        ("POST", r"/phones/(\d+)/pvalues", "set_pvalues"),
        ("POST", r"/phones/(\d+)/reset", "reset_phone"),
        ("POST", r"/reset", "reset_all"),
        ("GET", r"/phones/(\d+)/counters", "phone_counters"),
        ("GET", r"/counters", "fleet_counters"),
        ("POST", r"/counters/reset", "reset_counters"),
        ("POST", r"/phones/(\d+)/faults", "set_phone_faults"),
        ("POST", r"/faults", "set_fleet_faults"),
        ("POST", r"/phones/(\d+)/expire_sessions", "expire_sessions"),
        ("POST", r"/phones/(\d+)/incoming_call", "incoming_call"),
        ("POST", r"/phones/(\d+)/reboot", "reboot"),
        ("GET", r"/phones/(\d+)/dialect", "phone_dialect"),
        ("POST", r"/phones/(\d+)/dialect", "set_phone_dialect"),
        ("POST", r"/phones/(\d+)/web_access", "set_web_access"),
        ("GET", r"/firmware", "firmware_images"),
        ("POST", r"/firmware", "set_firmware_images"),
        ("POST", r"/shutdown", "shutdown"),
    ]


ROUTES = [(method, re.compile(pattern + r"/?"), name) for method, pattern, name in _phone_routes()]


class ControlApi:
    """The operations, independent of HTTP. `fleet` provides phones, ports and request_shutdown()."""

    def __init__(self, fleet):
        self.fleet = fleet

    def dispatch(self, method: str, path: str, body: dict):
        for route_method, pattern, name in ROUTES:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                arguments = [self._phone(int(match.group(1)))] if match.groups() else []
                return getattr(self, name)(*arguments, body)
        raise ControlError(404, f"no control route {method} {path}")

    def _phone(self, index: int):
        if not 0 <= index < len(self.fleet.phones):
            raise ControlError(404, f"no phone {index}")
        return self.fleet.phones[index]

    def list_phones(self, body):
        return [
            {"index": phone.index, "port": self.fleet.ports[phone.index],
             "https_port": self.fleet.https_ports[phone.index] if self.fleet.https_ports else None,
             "model": phone.model.name, "mac": phone.identity.mac, "dialect": phone.dialect}
            for phone in self.fleet.phones
        ]

    def phone_state(self, phone, body):
        return phone.describe()

    def set_pvalues(self, phone, body):
        if not all(isinstance(value, (str, int, float)) for value in body.values()):
            raise ControlError(400, "P-values must be strings or numbers")
        phone.set_pvalues(body)
        return {"ok": True}

    def reset_phone(self, phone, body):
        phone.control_reset()
        return {"ok": True}

    def reset_all(self, body):
        for phone in self.fleet.phones:
            phone.control_reset()
        self.fleet.firmware_server.reset()
        return {"ok": True}

    def firmware_images(self, body):
        return self.fleet.firmware_server.describe()

    def set_firmware_images(self, body):
        try:
            return {"ok": True, **self.fleet.firmware_server.configure(body)}
        except FirmwareError as failure:
            raise ControlError(400, str(failure)) from None

    def phone_counters(self, phone, body):
        return phone.counters.snapshot()

    def fleet_counters(self, body):
        return sum_counters(phone.counters.snapshot() for phone in self.fleet.phones)

    def reset_counters(self, body):
        for phone in self.fleet.phones:
            phone.counters.reset()
        return {"ok": True}

    def set_phone_faults(self, phone, body):
        return {"ok": True, "faults": self._configure_faults(phone, body)}

    def set_fleet_faults(self, body):
        settings = None
        for phone in self.fleet.phones:
            settings = self._configure_faults(phone, body)
        return {"ok": True, "faults": settings}

    @staticmethod
    def _configure_faults(phone, body):
        try:
            return phone.faults.configure(body)
        except FaultError as failure:
            raise ControlError(400, str(failure)) from None

    def expire_sessions(self, phone, body):
        phone.expire_sessions()
        return {"ok": True}

    def incoming_call(self, phone, body):
        line = body.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
            raise ControlError(400, "line must be an integer")
        ringing = phone.incoming_call(str(body.get("number", "100")), str(body.get("name", "")), line)
        if ringing is None:
            raise ControlError(409, "no such idle line")
        return {"ok": True, "line": ringing}

    def reboot(self, phone, body):
        seconds = body.get("seconds")
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))):
            raise ControlError(400, "seconds must be a number")
        phone.reboot(seconds)
        return {"ok": True}

    def phone_dialect(self, phone, body):
        return {"dialect": phone.dialect, "firmware": phone.pvalues["P68"], "model": phone.model.name}

    def set_phone_dialect(self, phone, body):
        dialect, version = body.get("dialect"), body.get("version")
        if set(body) - {"dialect", "version"}:
            raise ControlError(400, "only dialect and version may be set")
        if dialect is not None and dialect not in DIALECTS:
            raise ControlError(400, f"dialect must be one of {', '.join(DIALECTS)}")
        if version is not None and not (isinstance(version, str) and VERSION.match(version)):
            raise ControlError(400, "version must look like 1.0.3.35")
        phone.set_dialect(dialect, version)
        return {"ok": True, **self.phone_dialect(phone, {})}

    def set_web_access(self, phone, body):
        if not all(user in PASSWORD_PVALUE and isinstance(allowed, bool) for user, allowed in body.items()):
            raise ControlError(400, "body maps admin / user to true or false")
        phone.set_web_access(body)
        return {"ok": True}

    def shutdown(self, body):
        self.fleet.request_shutdown()
        return {"ok": True}


class _ControlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Grandstream-Emulator-Control"

    def version_string(self) -> str:
        return self.server_version
    timeout = 30

    def do_GET(self):
        self._serve()

    do_POST = do_GET

    def _serve(self):
        try:
            body = self._json_body()
            result = self.server.api.dispatch(self.command, self.path.split("?", 1)[0], body)
            status = 200
        except ControlError as failure:
            result, status = {"error": str(failure)}, failure.status
        data = json.dumps(result).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json_body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise ControlError(413, "body too large")
        raw = self.rfile.read(length) if length else b""
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except ValueError:
            raise ControlError(400, "body is not JSON") from None
        if not isinstance(body, dict):
            raise ControlError(400, "body must be a JSON object")
        return body

    def log_message(self, format, *args):
        pass  # control traffic is test plumbing, not phone traffic


class ControlServer(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, host: str, port: int, fleet):
        self.api = ControlApi(fleet)
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _ControlHandler)
        self._thread = threading.Thread(target=self.serve_forever, name="control", daemon=True)

    def server_bind(self):
        # HTTPServer.server_bind would resolve the host name (getfqdn); a loopback bind needs none.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def start(self):
        self._thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()
