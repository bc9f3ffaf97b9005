"""A loopback HTTP server that replays recorded phone answers (``tests/fixtures/<dialect>/*.json``).

Each fixture is one answer as the guide's examples or current-firmware-notes.md show it, written out by us:
``{"source", "method", "endpoint", "status", "answer"}`` (a JSON answer), or ``"content_type"`` and
``"text"`` instead of ``"answer"`` for one that is not JSON (the HTML of a 401). The server answers a request
to ``/cgi-bin/<endpoint>`` (or any path ending in ``<endpoint>``) with the next fixture queued for that
endpoint (the last one repeats), exactly as recorded: it neither reads the request nor fills in values, so a
client is fed what a real phone said, not what we would have it say.
Unknown endpoints answer 404. Every request is recorded (method, path with query, body), with its headers.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Both spellings of the values endpoints reach the same answers, as on the phones.
SPELLINGS = {"api.values.get": "api-values.get", "api.values.post": "api-values.post"}


def fixture(name):
    """``guide/values_get`` -> the fixture's document."""
    return json.loads((FIXTURES / (name + ".json")).read_text(encoding="utf-8"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8") if length else ""
        self.server.requests.append((self.command, self.path, form))
        self.server.headers.append(dict(self.headers.items()))
        endpoint = urlsplit(self.path).path.rsplit("/", 1)[-1]
        queue = self.server.answers.get(SPELLINGS.get(endpoint, endpoint))
        if not queue:
            self._answer(404, "text/html", "<html><body>Not Found</body></html>")
            return
        recorded = queue.pop(0) if len(queue) > 1 else queue[0]
        if "text" in recorded:
            self._answer(recorded["status"], recorded["content_type"], recorded["text"])
        else:
            self._answer(recorded["status"], "application/json", json.dumps(recorded["answer"]))

    do_POST = do_PUT = do_GET

    def _answer(self, status, content_type, text):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


class ReplayPhone:
    """``with ReplayPhone("guide/dologin", "guide/values_get") as phone: phone.port``; several fixtures of
    one endpoint are answered in the order given."""

    def __init__(self, *names):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.requests = []
        self.server.headers = []
        self.server.answers = {}
        for name in names:
            recorded = fixture(name)
            self.server.answers.setdefault(recorded["endpoint"], []).append(recorded)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def requests(self):
        return list(self.server.requests)

    def exchanges(self):
        """(method, path, body, headers) of every request, in order."""
        return [request + (headers,) for request, headers in zip(self.server.requests, self.server.headers)]

    def count(self, endpoint):
        """Requests to ``endpoint`` (either spelling of the values endpoints)."""
        endpoints = [urlsplit(path).path.rsplit("/", 1)[-1] for unused_method, path, unused_form in self.requests]
        return sum(1 for name in endpoints if SPELLINGS.get(name, name) == endpoint)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
