"""The request log: one line per request, with every secret masked."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, quote

from .model import SECRET_PVALUES

MASK = "********"
MAX_LOGGED_TARGET = 512
# Query / form names whose values never reach a log: passwords, token secrets, session ids.
SECRET_PARAMETERS = frozenset(
    {name.lower() for name in SECRET_PVALUES} | {"password", "secret", "sid", "oldadmin", "olduser"}
)

request_log = logging.getLogger("emulator.requests")


def is_secret_parameter(name: str) -> bool:
    name = name.strip().lower()
    if name.isdigit():
        name = f"p{name}"
    return name in SECRET_PARAMETERS


def redact_target(target: str) -> str:
    """The request target with the value of every secret query parameter replaced by the mask.
    The query is re-encoded from its parsed pairs, so no raw (or differently encoded) secret survives."""
    path, has_query, query = target.partition("?")
    if has_query:
        pairs = parse_qsl(query, keep_blank_values=True, errors="replace")
        query = "&".join(
            f"{quote(name, safe='')}={MASK if is_secret_parameter(name) else quote(value, safe=':')}"
            for name, value in pairs
        )
        target = f"{path}?{query}"
    if len(target) > MAX_LOGGED_TARGET:
        target = target[:MAX_LOGGED_TARGET] + "...(truncated)"
    return target


def log_request(phone_index: int, method: str, target: str, status: str, form_names=()) -> None:
    line = f"phone={phone_index} {method} {redact_target(target)} {status}"
    if form_names:
        # Names only: form values may be secrets and are never logged.
        line += " form=" + ",".join(quote(name, safe="") for name in form_names)
    request_log.info(line)
