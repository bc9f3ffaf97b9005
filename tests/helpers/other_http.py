"""Loopback HTTP servers that are not emulated guide-dialect phones, for the discovery tests.

- ``not_phone``: an ordinary web server (a printer, a router): an HTML page for ``/``, 404 for anything else.
- ``current``: a current-firmware handset seen without a login: ``/json/configs/model.define.js`` with the
  model, in the shape captured from a WP826 on 1.0.3.35 (current-firmware-notes.md). The captures do not
  show ``api-values.get`` on that firmware; here it answers 404, so the probe's fallback is what finds it.
- ``silent``: accepts connections and never answers, like a phone stalled in Wi-Fi power save.
- ``bad_request``: a web server that answers HTTP 400 to every ``/cgi-bin/`` request (the connection-hint tests).
- ``html``: a web server that answers every path with an HTML page, HTTP 200 (a captive portal, a router's UI).

Every request is recorded (method, path), so a test can prove what a probe sent.
"""

import json
import socket
import threading

from tests.helpers.loopback_http import LoopbackServer, QuietHandler

MODEL_DEFINE = {"model": "WP826", "vendor_name": "Grandstream", "vendor_fullname": "Grandstream Networks, Inc.",
                "oem_id": "0", "defines": {"num_accounts": 3, "support_dnd": True}}


class _Handler(QuietHandler):
    def do_GET(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # read (and drop) a form body, so the connection stays in step
        self.server.requests.append((self.command, self.path))
        mode = self.server.mode
        if mode == "current" and self.path == "/json/configs/model.define.js":
            self.answer(200, "application/javascript", json.dumps(dict(MODEL_DEFINE, model=self.server.model)))
        elif (mode == "not_phone" and self.path == "/") or mode == "html":
            self.answer(200, "text/html", "<html><body>Printer status: ready</body></html>")
        elif mode == "bad_request" and self.path.startswith("/cgi-bin/"):
            self.answer(400, "text/html", "<html><body>400 Bad Request</body></html>")
        else:
            self.answer(404, "text/html", "<html><body>Not Found</body></html>")

    do_POST = do_GET


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
        self._server = LoopbackServer(_Handler, mode=self.mode, requests=self.requests, model=self.model)
        self.port = self._server.port
        self._server.__enter__()
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
            self._server.__exit__(*exc_info)
        if self._silent is not None:
            self._silent.close()
            for connection in self._accepted:
                connection.close()
