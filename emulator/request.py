"""What the HTTP layer hands a phone: one request, already parsed (no sockets here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import CURRENT_DIALECT, GUIDE_DIALECT


class RequestParams(dict):
    """Query string, then form fields on top; plus the raw body for the endpoints that take JSON."""

    def __init__(self, fields=(), body: bytes = b"", content_type: str = ""):
        super().__init__(fields)
        self.body = body
        self.content_type = content_type


@dataclass
class Request:
    method: str
    endpoint: str  # canonical endpoint name ("api-values.get"), or "" for a path no dialect has
    params: dict[str, str] = field(default_factory=RequestParams)
    cookies: dict[str, str] = field(default_factory=dict)
    uri_too_long: bool = False
    form: dict[str, str] = field(default_factory=dict)  # the form fields alone
    referer: str | None = None
    origin: str = ""  # scheme://Host of this request, for the current dialect's same-origin check
    length_sent: bool = True  # a Content-Length header was sent

    def session_ids(self, dialect: str = GUIDE_DIALECT) -> list[str]:
        if dialect == CURRENT_DIALECT:  # the notes: the `sid` cookie, or a `sid` form field
            candidates = (self.form.get("sid"), self.cookies.get("sid"))
        else:
            candidates = (self.params.get("sid"), self.cookies.get("session-identity"), self.cookies.get("sid"))
        return [sid for sid in candidates if sid]
