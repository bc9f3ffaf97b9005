"""Loopback HTTP servers that are not emulated guide-dialect phones, for the discovery tests.

- ``not_phone``: an ordinary web server (a printer, a router): an HTML page for ``/``, 404 for anything else.
- ``current``: a current-firmware handset seen without a login: ``/json/configs/model.define.js`` with the
  model, in the shape captured from a WP826 on 1.0.3.35 (current-firmware-notes.md). The captures do not
  show ``api-values.get`` on that firmware; here it answers 404, so the probe's fallback is what finds it.
- ``silent``: accepts connections and never answers, like a phone stalled in Wi-Fi power save.

Every request is recorded (method, path), so a test can prove what a probe sent.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL_DEFINE = {"model": "WP826", "vendor_name": "Grandstream", "vendor_fullname": "Grandstream Networks, Inc.",
                "oem_id": "0", "defines": {"num_accounts": 3, "support_dnd": True}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.requests.append((self.command, self.path))
        if self.server.mode == "current" and self.path == "/json/configs/model.define.js":
            self._answer(200, "application/javascript", json.dumps(dict(MODEL_DEFINE, model=self.server.model)))
        elif self.server.mode == "not_phone" and self.path == "/":
            self._answer(200, "text/html", "<html><body>Printer status: ready</body></html>")
        else:
            self._answer(404, "text/html", "<html><body>Not Found</body></html>")

    do_POST = do_GET

    def _answer(self, status, content_type, text):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class OtherServer:
    """``with OtherServer("not_phone") as server: server.port, server.requests``; ``model`` for ``current``."""

    def __init__(self, mode, model=MODEL_DEFINE["model"]):
        self.mode, self.model = mode, model
        self.requests = []
        self._server = None
        self._silent = None
        self._accepted = []

    def __enter__(self):
        if self.mode == "silent":
            self._silent = socket.socket()
            self._silent.bind(("127.0.0.1", 0))
            self._silent.listen(16)
            self.port = self._silent.getsockname()[1]
            threading.Thread(target=self._accept_and_hold, daemon=True).start()
            return self
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.mode, self._server.requests, self._server.model = self.mode, self.requests, self.model
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def _accept_and_hold(self):
        while True:
            try:
                connection, unused = self._silent.accept()
            except OSError:
                return
            self._accepted.append(connection)  # held open, never read or answered

    def __exit__(self, *exc_info):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._silent is not None:
            self._silent.close()
            for connection in self._accepted:
                connection.close()
