"""One emulated phone: its state, sessions, faults and the request pipeline, free of sockets.

The HTTP layer turns a request into a `Request`, calls `Phone.handle` in the connection's thread
and writes the `Response` back. Endpoint logic lives in `api.py` (the guide dialect) and `current.py`
(the current dialect); each phone speaks one (`Identity.dialect`).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from . import api, current, responses
from .api import (
    ADMIN_ONLY,
    CONFIG,
    FORMS_ONLY,
    PHONE_STATUS,
    PUBLIC,
    TOKEN_ALLOWED,
    VALUES_GET,
    VALUES_POST,
    Endpoint,
)
from .auth import FORMS, LoginGuard, Nonces, Session, Sessions, TokenRealms, lock_minutes
from .counters import Counters
from .faults import Faults
from .firmware import FirmwareServer
from .lines import Lines
from .model import (
    ADMIN_USER,
    CURRENT_DIALECT,
    GUIDE_DIALECT,
    PASSWORD_PVALUE,
    Identity,
    factory_state,
    fit_to_dialect,
    identity_pvalues,
)
from .phone_control import PhoneControl
from .power import BOOTING, REFUSING, Power
from .request import Request
from .responses import Response
from .store import StateStore

UNKNOWN_ENDPOINT = "(unknown)"
PROBE_ENDPOINT = "model.define.js"
ENDPOINTS_BY_DIALECT = {GUIDE_DIALECT: api.ENDPOINTS, CURRENT_DIALECT: current.ENDPOINTS}
# Names counted under their own name in `by_endpoint` (a phone of the other dialect answers them 404).
KNOWN_ENDPOINTS = frozenset(api.ENDPOINTS) | frozenset(current.ENDPOINTS)


def endpoint_name(name: str) -> str:
    """The emulator's name of the endpoint `name` spells (the URL's `api.values.get` is `api-values.get`), or ""."""
    name = api.ENDPOINT_ALIASES.get(name, name)
    return name if name in KNOWN_ENDPOINTS else ""


@dataclass(frozen=True)
class PhoneSettings:
    seed: int
    session_idle: float
    reboot_seconds: float


class Phone(PhoneControl):
    def __init__(self, identity: Identity, settings: PhoneSettings, store: StateStore,
                 firmware_server: FirmwareServer | None = None):
        self.identity = identity
        self.firmware_server = firmware_server or FirmwareServer()
        self.index = identity.index
        self.model = identity.model
        self.settings = settings
        self.store = store
        # Reentrant: control operations call helpers that take the lock again.
        self.lock = threading.RLock()
        self.counters = Counters()
        self.faults = Faults(settings.seed + self.index, endpoint_name)
        session_rng = random.Random(f"sessions:{settings.seed}:{self.index}")
        self.sessions = Sessions(settings.session_idle, session_rng)
        self.realms = TokenRealms(session_rng)
        self.nonces = Nonces(session_rng)
        self.configured_identity = identity  # what the command line gave; a control reset returns to it
        self.web_access_denied: set[str] = set()  # users whose login answers "user is not allow"
        self.power = Power()
        self.lines = Lines(self.model.lines)
        self.state = self._load_state()
        self.login_guard = LoginGuard(self.state["login"])

    # state ---------------------------------------------------------------------------------
    def _load_state(self) -> dict:
        state = factory_state(self.identity)
        saved = self.store.load(self.index)
        if saved is not None:
            try:
                state["pvalues"].update({str(k): str(v) for k, v in saved["pvalues"].items()})
                state["groups"] = [{"id": int(g["id"]), "name": str(g["name"])} for g in saved["groups"]]
                state["contacts"] = [dict(c) for c in saved["contacts"]]
                state["login"] = {"failures": int(saved["login"]["failures"]),
                                  "locked_until": float(saved["login"]["locked_until"])}
                state["pending_reboot"] = sorted(str(name) for name in saved.get("pending_reboot", []))
                state["firmware"] = str(saved["firmware"]) if saved.get("firmware") else None
            except (KeyError, TypeError, ValueError, AttributeError):
                state = factory_state(self.identity)
        # Identity values follow the command line (--seed, --models, --firmware), never the file.
        fit_to_dialect(state["pvalues"], self.identity)
        state["pvalues"].update(identity_pvalues(self.identity))
        if state.get("firmware"):
            state["pvalues"]["P68"] = state["firmware"]  # installed by a PROV, kept across restarts
        return state

    def save(self) -> None:
        self.store.save(self.index, self.state)

    @property
    def dialect(self) -> str:
        return self.identity.dialect

    @property
    def pvalues(self) -> dict[str, str]:
        return self.state["pvalues"]

    def password(self, role: str) -> str:
        return self.pvalues[PASSWORD_PVALUE[role]]

    def hold_for_reboot(self, name: str) -> None:
        """A value that takes effect only after a reboot was changed (saved with the next save())."""
        if name not in self.state["pending_reboot"]:
            self.state["pending_reboot"] = sorted(self.state["pending_reboot"] + [name])

    # request pipeline ----------------------------------------------------------------------
    def accepting_connections(self, now: float) -> bool:
        """Whether the listening socket should be open (closed: connection refused)."""
        return not self.faults.down and self.power.phase(now) != REFUSING

    def handle(self, request: Request, connection_generation: int) -> Response:
        now = time.monotonic()
        if not self.accepting_connections(now) or connection_generation != self.power.generation:
            return responses.aborted()
        endpoint = ENDPOINTS_BY_DIALECT[self.dialect].get(request.endpoint)
        self.counters.count_request(request.endpoint if request.endpoint in KNOWN_ENDPOINTS else UNKNOWN_ENDPOINT,
                                    request.method)
        if request.endpoint == PROBE_ENDPOINT:
            self.counters.count_probe()
        if self.power.phase(now) == BOOTING:
            return responses.service_unavailable()
        if request.uri_too_long:
            return responses.uri_too_long()
        if self.dialect == CURRENT_DIALECT:
            refusal = current.transport_refusal(request)
            if refusal is not None:
                return refusal
        one_shot = self.faults.take_one_shot(request.endpoint)
        if one_shot == "reset":
            return responses.aborted()
        if one_shot == "503":
            return responses.service_unavailable()
        if self.faults.gone_after_writes():
            return responses.aborted()
        decision = self.faults.decide(is_read=endpoint is not None and endpoint.read,
                                      is_write=endpoint is not None and endpoint.write)
        if decision.reset:
            return responses.aborted()
        if decision.latency_seconds and self.faults.delays(request.endpoint):
            time.sleep(decision.latency_seconds)
        if decision.error:
            return responses.service_unavailable()
        if endpoint is None:
            return responses.not_found()
        if request.method not in endpoint.methods:
            return responses.html_page(405, "Method Not Allowed")
        with self.lock:
            response = self._dispatch(endpoint, request, time.monotonic())
        # The phone acted (and saved) but the answer is lost: the client cannot tell whether it did.
        return responses.aborted() if decision.reset_after or one_shot == "lost" else response

    def _dispatch(self, endpoint: Endpoint, request: Request, now: float) -> Response:
        session = self._find_session(request, now)
        # A token session is only good for the four token endpoints; elsewhere it is not valid.
        if session is not None and session.kind != FORMS and endpoint.access not in (TOKEN_ALLOWED, PHONE_STATUS):
            session = None
        if session is None:
            # The guide: body "unauthorized" = the session is expired or the credential invalid (HTTP 200).
            if endpoint.access == PHONE_STATUS and request.session_ids():
                return responses.success("unauthorized", misc="0")
            if endpoint.access in (FORMS_ONLY, TOKEN_ALLOWED, ADMIN_ONLY):
                return responses.unauthorized()
            if endpoint.access == CONFIG:
                return responses.error({"status": "session-expired"})
            if endpoint.access == VALUES_POST:
                return responses.error({"status": "session-expired"})
            # No sid at all reads the public subset; a sid that is expired, evicted or a token
            # session's is refused like on any other api-* GET, so the client notices.
            if endpoint.access == VALUES_GET and request.session_ids():
                return responses.unauthorized()
        elif endpoint.access == ADMIN_ONLY and session.role != ADMIN_USER:
            return responses.unauthorized()
        if endpoint.write:
            self.counters.count_write()
        response = endpoint.handler(self, request.params, session, now)
        if endpoint.write:
            self.faults.note_write()
        if session is not None and endpoint.access not in (PUBLIC, PHONE_STATUS) and self.faults.session_expires_now():
            self.sessions.drop(session.sid)
        return response

    def _find_session(self, request: Request, now: float) -> Session | None:
        for sid in request.session_ids(self.dialect):
            session = self.sessions.lookup(sid, now)
            if session is not None:
                return session
        return None

    # login ---------------------------------------------------------------------------------
    def attempt_login(self, login_name: str, role: str | None, verify, kind: str, now: float, **session_options):
        """Check the lockout, then `verify()`; returns (session, None) or (None, error response).
        A right password of a user whose web access is off is refused (a failed login, lockout unmoved)."""
        wall_now = time.time()
        remaining = self.login_guard.lock_remaining(wall_now)
        if remaining:
            self.counters.count_login(False)
            return None, responses.error("locked", lockTime=lock_minutes(remaining))
        if role is None or not verify(self.password(role)):
            self.counters.count_login(False)
            attempts_left = self.login_guard.record_failure(wall_now)
            self.save()
            if attempts_left == 0:
                return None, responses.error("locked", lockTime=lock_minutes(self.login_guard.lock_remaining(wall_now)))
            return None, responses.error(f"wrong{attempts_left}")
        if role in self.web_access_denied:
            self.counters.count_login(False)
            return None, responses.error("user is not allow")
        self.counters.count_login(True)
        if self.state["login"]["failures"]:
            self.login_guard.record_success()
            self.save()
        return self.sessions.create(login_name, role, kind, now, **session_options), None

    # reboot --------------------------------------------------------------------------------
    def reboot(self, seconds: float | None = None, factory_reset: bool = False) -> None:
        """Any reboot: a client's request, the control API (a power cycle by hand) or a reset."""
        with self.lock:
            self.counters.count_reboot()
            if factory_reset:
                self._restore_factory_state(keep_firmware=True)  # a factory reset keeps the firmware
            elif self.state["pending_reboot"]:
                # The values written before the reboot take effect now.
                self.state["pending_reboot"] = []
                self.save()
            self.sessions.clear()
            self.realms.clear()
            self.nonces.clear()
            self.lines.reset()
            self.power.reboot(self.settings.reboot_seconds if seconds is None else seconds, time.monotonic())

    def provision(self) -> None:
        """`PROV`: install the image the firmware server holds for this phone (if any), then restart."""
        with self.lock:
            version = self.firmware_server.image_for(self.pvalues.get("P237", ""), self.model.name)
            if version is None or version == self.pvalues["P68"]:
                self.reboot()
                return
            outcome = self.faults.settings["upgrade"]
            if outcome == "no_restart":
                return
            if outcome == "no_return":
                self.reboot(-1)
                return
            if outcome != "old_version":
                self.state["firmware"] = self.pvalues["P68"] = version
                self.save()
            self.reboot(self.settings.reboot_seconds + self.firmware_server.install_seconds)

    def _restore_factory_state(self, keep_firmware: bool = False) -> None:
        # Keep the dict objects other helpers hold (login guard), replace their content.
        installed = self.state.get("firmware") if keep_firmware else None
        fresh = factory_state(self.identity)
        if installed:
            fresh["firmware"] = fresh["pvalues"]["P68"] = installed
        for key, value in fresh.items():
            if isinstance(self.state.get(key), dict):
                self.state[key].clear()
                self.state[key].update(value)
            else:
                self.state[key] = value
        self.save()
