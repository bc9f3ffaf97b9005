"""The server boilerplate of the tests' small loopback HTTP servers (other_http.py, replay_http.py).

A handler subclasses ``QuietHandler`` (HTTP/1.1, ``answer()`` with a length, no log lines) and answers from
``self.server``'s attributes; ``LoopbackServer(handler, **attributes)`` serves it on 127.0.0.1 in a thread,
with ``attributes`` set on the server and ``port`` known before ``with`` starts serving.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, content_type, text):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet: the tests read what the server recorded instead
        pass


class LoopbackServer:
    """``with LoopbackServer(Handler, requests=[]) as server: server.port``; ``server.httpd`` is the server."""

    def __init__(self, handler, **attributes):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        for name, value in attributes.items():
            setattr(self.httpd, name, value)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()
