"""HTTP(S) serving for the whole fleet.

One selector thread watches every listening socket and accepts; each accepted connection is served
(TLS handshake included) by its own daemon thread with `http.server`'s HTTP/1.1 keep-alive handler.
The same thread opens and closes listening sockets when a phone reboots, so a rebooting phone
really refuses connections.
"""

from __future__ import annotations

import logging
import selectors
import socket
import ssl
import struct
import threading
import time
import traceback
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from . import responses
from .model import GUIDE_DIALECT
from .phone import PROBE_ENDPOINT, Phone, endpoint_name
from .request import Request, RequestParams
from .redact import log_request

IDLE_TIMEOUT_SECONDS = 30  # an idle keep-alive connection is closed after this
HANDSHAKE_TIMEOUT_SECONDS = 10
TICK_SECONDS = 0.05  # how often listening sockets are matched to the phones' reboot state
LISTEN_BACKLOG = 128
MAX_URL_BYTES = 2048
MAX_BODY_BYTES = 1 << 20
CGI_PREFIX = "/cgi-bin/"
PROBE_PATH = "/json/configs/model.define.js"  # the current dialect's unauthenticated identification

log = logging.getLogger("emulator")


class Listener:
    """The listening socket of one phone on one port (None while the phone refuses connections)."""

    def __init__(self, phone: Phone, host: str, port: int, tls_context: ssl.SSLContext | None):
        self.phone = phone
        self.host = host
        self.port = port
        self.tls_context = tls_context
        self.sock: socket.socket | None = None

    def open(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(LISTEN_BACKLOG)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self.sock = sock
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class ConnectionContext:
    """What a request handler needs to know about its connection (passed as its `server`)."""

    def __init__(self, listener: Listener, generation: int):
        self.phone = listener.phone
        self.port = listener.port
        self.host = listener.host
        self.tls = listener.tls_context
        # The phone's power generation when the connection was accepted; a reboot since then
        # kills the connection at its next request.
        self.generation = generation


class Acceptor:
    def __init__(self, listeners: list[Listener]):
        self.listeners = listeners
        self._selector = selectors.DefaultSelector()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="acceptor", daemon=True)

    def open_all(self) -> None:
        """Bind every port now; raises OSError (port in use) before anything is served."""
        for listener in self.listeners:
            self._selector.register(listener.open(), selectors.EVENT_READ, listener)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for listener in self.listeners:
            listener.close()
        self._selector.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                for key, unused_events in self._selector.select(TICK_SECONDS):
                    self._accept_pending(key.data)
                self._match_listeners_to_phones(time.monotonic())
            except Exception:  # the acceptor must survive anything one connection does
                log.exception("acceptor loop error")

    def _accept_pending(self, listener: Listener) -> None:
        while listener.sock is not None:
            try:
                connection, address = listener.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            generation = listener.phone.power.generation
            thread = threading.Thread(target=serve_connection, args=(listener, connection, address, generation),
                                      daemon=True)
            try:
                thread.start()
            except RuntimeError:  # out of threads: drop this connection, keep serving others
                connection.close()

    def _match_listeners_to_phones(self, now: float) -> None:
        for listener in self.listeners:
            wanted = listener.phone.accepting_connections(now)
            if wanted and listener.sock is None:
                try:
                    self._selector.register(listener.open(), selectors.EVENT_READ, listener)
                except OSError:
                    pass  # port briefly unavailable: retried on the next tick
            elif not wanted and listener.sock is not None:
                self._selector.unregister(listener.sock)
                listener.close()


def serve_connection(listener: Listener, connection: socket.socket, address, generation: int) -> None:
    try:
        if listener.tls_context is not None:
            connection.settimeout(HANDSHAKE_TIMEOUT_SECONDS)
            connection = listener.tls_context.wrap_socket(
                connection, server_side=True, do_handshake_on_connect=False)
            connection.do_handshake()
        PhoneRequestHandler(connection, address, ConnectionContext(listener, generation))
    except (OSError, ValueError):
        pass  # the client went away, a TLS handshake failed, a reset fault: nothing to answer
    finally:
        connection.close()


def canonical_endpoint(path: str) -> str:
    """The endpoint name of `path` in either dialect ("" for a path neither has); the phone's own dialect
    decides whether it serves it."""
    if path == PROBE_PATH:
        return PROBE_ENDPOINT
    if not path.startswith(CGI_PREFIX):
        return ""
    name = endpoint_name(path[len(CGI_PREFIX):])
    return name if name != PROBE_ENDPOINT else ""


def parse_cookies(header: str | None) -> dict[str, str]:
    cookie = SimpleCookie()
    try:
        cookie.load(header or "")
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in cookie.items()}


class PhoneRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, a kept-alive connection then waits for the
    # peer's delayed ACK (~40 ms) on every request. Real phones answer in milliseconds.
    disable_nagle_algorithm = True
    server_version = "Grandstream-Emulator"

    def version_string(self) -> str:
        return self.server_version
    timeout = IDLE_TIMEOUT_SECONDS

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_GET

    def do_PUT(self) -> None:
        if self.server.phone.dialect == GUIDE_DIALECT:  # as before the current dialect existed
            self.send_error(501, f"Unsupported method ({self.command!r})")
            return
        self._serve()

    def _serve(self) -> None:
        context: ConnectionContext = self.server
        phone = context.phone
        body = self._read_body()
        if body is None:
            return
        target = urlsplit(self.path)
        uri_too_long = len(self.path.encode("utf-8", "replace")) > MAX_URL_BYTES
        params, form = {}, {}
        if not uri_too_long:
            params.update(parse_qsl(target.query, keep_blank_values=True, errors="replace"))
            form = self._form_fields(body)
            params.update(form)
        scheme = "http" if context.tls is None else "https"
        request = Request(self.command, canonical_endpoint(target.path),
                          RequestParams(params, body, self.headers.get("Content-Type", "")),
                          parse_cookies(self.headers.get("Cookie")), uri_too_long, form,
                          referer=self.headers.get("Referer"),
                          origin=f"{scheme}://{self.headers.get('Host') or f'{context.host}:{context.port}'}",
                          length_sent=self.headers.get("Content-Length") is not None)
        try:
            response = phone.handle(request, context.generation)
        except Exception as failure:  # type and place only: a message may quote a secret value
            frames = traceback.extract_tb(failure.__traceback__)
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-4:]))
            log.error("phone=%d internal error %s at %s", phone.index, type(failure).__name__, where)
            response = responses.html_page(500, "Internal Server Error")
        if response.abort:
            log_request(phone.index, self.command, self.path, "reset", form)
            self._abort_connection()
            return
        self._send(response)
        log_request(phone.index, self.command, self.path, str(response.status), form)

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering a body the emulator will not read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "Length Required")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self._refuse(413 if length > 0 else 400, "Bad Request Body")
            return None
        return self.rfile.read(length) if length else b""

    def _form_fields(self, body: bytes) -> dict[str, str]:
        content_type = self.headers.get("Content-Type", "application/x-www-form-urlencoded")
        if not body or not content_type.lower().startswith("application/x-www-form-urlencoded"):
            return {}
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))

    def _refuse(self, status: int, title: str) -> None:
        response = responses.html_page(status, title)
        response.close = True
        self._send(response)
        log_request(self.server.phone.index, self.command, self.path, str(status))

    def _send(self, response: responses.Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for cookie in response.cookies:
            self.send_header("Set-Cookie", cookie)
        # Say so whenever this connection ends here (also when the client asked for it): a client
        # that is not told may reuse the connection and race the close.
        if response.close or self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(response.body)

    def _abort_connection(self) -> None:
        """Reset the connection: SO_LINGER 0 makes the coming close() send RST instead of FIN."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    # http.server's own logging would print the raw request line (query string with secrets).
    def log_request(self, code="-", size="-") -> None:
        pass

    def log_error(self, format, *args) -> None:
        if "timed out" in format:
            return  # an idle keep-alive connection ending is not worth a line
        # Only the status code: the other arguments may quote the raw request line.
        code = args[0] if args and isinstance(args[0], int) else "-"
        log.info("phone=%d malformed request refused %s", self.server.phone.index, code)

    def log_message(self, format, *args) -> None:
        pass
