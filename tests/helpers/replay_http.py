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
from pathlib import Path
from urllib.parse import urlsplit

from tests.helpers.loopback_http import LoopbackServer, QuietHandler

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Both spellings of the values endpoints reach the same answers, as on the phones.
SPELLINGS = {"api.values.get": "api-values.get", "api.values.post": "api-values.post"}


def fixture(name):
    """``guide/values_get`` -> the fixture's document."""
    return json.loads((FIXTURES / (name + ".json")).read_text(encoding="utf-8"))


class _Handler(QuietHandler):
    def do_GET(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8") if length else ""
        self.server.requests.append((self.command, self.path, form))
        self.server.headers.append(dict(self.headers.items()))
        endpoint = urlsplit(self.path).path.rsplit("/", 1)[-1]
        queue = self.server.answers.get(SPELLINGS.get(endpoint, endpoint))
        if not queue:
            self.answer(404, "text/html", "<html><body>Not Found</body></html>")
            return
        recorded = queue.pop(0) if len(queue) > 1 else queue[0]
        if "text" in recorded:
            self.answer(recorded["status"], recorded["content_type"], recorded["text"])
        else:
            self.answer(recorded["status"], "application/json", json.dumps(recorded["answer"]))

    do_POST = do_PUT = do_GET


class ReplayPhone(LoopbackServer):
    """``with ReplayPhone("guide/dologin", "guide/values_get") as phone: phone.port``; several fixtures of
    one endpoint are answered in the order given."""

    def __init__(self, *names):
        answers = {}
        for name in names:
            recorded = fixture(name)
            answers.setdefault(recorded["endpoint"], []).append(recorded)
        super().__init__(_Handler, requests=[], headers=[], answers=answers)

    @property
    def requests(self):
        return list(self.httpd.requests)

    def exchanges(self):
        """(method, path, body, headers) of every request, in order."""
        return [request + (headers,) for request, headers in zip(self.httpd.requests, self.httpd.headers)]

    def count(self, endpoint):
        """Requests to ``endpoint`` (either spelling of the values endpoints)."""
        endpoints = [urlsplit(path).path.rsplit("/", 1)[-1] for unused_method, path, unused_form in self.requests]
        return sum(1 for name in endpoints if SPELLINGS.get(name, name) == endpoint)
