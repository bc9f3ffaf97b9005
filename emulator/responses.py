"""What an endpoint hands back to the HTTP layer, and the answer shapes the firmware uses."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    cookies: tuple[str, ...] = ()
    close: bool = False  # answer, then close the connection (reboot)
    abort: bool = False  # no answer: reset the connection (SO_LINGER 0)


def json_response(document, status: int = 200) -> Response:
    return Response(status, json.dumps(document, separators=(",", ":")).encode())


def success(body="", **extra) -> Response:
    return json_response({"response": "success", "body": body, **extra})


def error(body, **extra) -> Response:
    return json_response({"response": "error", "body": body, **extra})


def invalid_request() -> Response:
    return error("Invalid Request")


def res_success(msg) -> Response:
    return json_response({"res": "success", "msg": msg})


def res_error(msg: str) -> Response:
    return json_response({"res": "error", "msg": msg})


def html_page(status: int, title: str) -> Response:
    page = f"<html><head><title>{status} {title}</title></head><body><h1>{title}</h1></body></html>\n"
    return Response(status, page.encode(), "text/html; charset=utf-8")


def unauthorized() -> Response:
    return html_page(401, "Unauthorized")


def not_found() -> Response:
    return html_page(404, "Not Found")


def uri_too_long() -> Response:
    return html_page(414, "Request-URI Too Long")


def service_unavailable() -> Response:
    return html_page(503, "Service Unavailable")


def aborted() -> Response:
    return Response(abort=True)
