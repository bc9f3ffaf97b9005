# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module (doc fragment ``grandstream.phone.connection``)."""

from __future__ import annotations

__metaclass__ = type

import os
import ssl

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

# Argument spec of the connection options. The doc fragment documents exactly these keys;
# tests/quality/test_docs.py keeps the two in step.
CONNECTION_SPEC = dict(
    host=dict(type="str"),
    port=dict(type="int"),
    protocol=dict(type="str", default="https", choices=["https", "http"]),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    username=dict(type="str", default="admin"),
    password=dict(type="str", no_log=True),
    # During a password rotation: tried once, only when the phone refuses password (client.login).
    password_previous=dict(type="str", no_log=True),
    timeout=dict(type="float", default=10.0),
    retries=dict(type="int", default=3),
    # Which Web API the phone's firmware speaks (dialects.py); auto detects it without a login.
    firmware_dialect=dict(type="str", default="auto", choices=["auto", "guide", "current"]),
)

CONNECTION_KEYS = tuple(CONNECTION_SPEC)

# Inventory variables an action plugin falls back to, so a fleet's per-phone connection data can
# live in host_vars instead of on every task.
HOST_VAR_PREFIX = "gs_"
# The phone's web users (gs_username, gs_password's role).
WEB_USERS = ("admin", "user")
ENV_FALLBACK = {"username": "GS_USERNAME", "password": "GS_PASSWORD"}


class ConnectionParams:
    """Validated connection settings for one phone."""

    __slots__ = CONNECTION_KEYS

    def __init__(self, **kwargs):
        for key in CONNECTION_KEYS:
            setattr(self, key, kwargs.get(key))
        if self.protocol is None:
            self.protocol = "https"
        if not self.port:
            self.port = 443 if self.protocol == "https" else 80
        if self.username is None:
            self.username = "admin"
        if self.validate_certs is None:
            self.validate_certs = True
        if self.timeout is None:
            self.timeout = 10.0
        if self.retries is None:
            self.retries = 3
        if self.firmware_dialect is None:
            self.firmware_dialect = "auto"

    @property
    def base_url(self):
        host = self.host
        if ":" in host and not host.startswith("["):
            host = "[%s]" % host
        return "%s://%s:%d" % (self.protocol, host, self.port)

    @property
    def label(self):
        """How messages name the phone: never includes credentials."""
        return "%s:%d" % (self.host, self.port)


def connection_params(params):
    """Build ConnectionParams from module params, filling documented environment fallbacks."""
    values = {key: params.get(key) for key in CONNECTION_KEYS}
    for key, env_name in ENV_FALLBACK.items():
        if values.get(key) in (None, "") and os.environ.get(env_name):
            values[key] = os.environ[env_name]
    if not values.get("host"):
        raise ValidationError("host is required: set host, ansible_host or gs_host", field="host")
    if values.get("password") in (None, ""):
        raise ValidationError(
            "password is required: set password, gs_password or the GS_PASSWORD environment variable",
            field="password")
    conn = ConnectionParams(**values)
    check_ca_path(conn)
    return conn


def check_ca_path(conn):
    """A ca_path that will be used must be a readable directory or a file of PEM certificates: say so before any
    request, naming the phone and the option (requests would fail later with a bare OSError or SSLError text)."""
    path = conn.ca_path
    if not path or conn.protocol != "https" or not conn.validate_certs:
        return
    if os.path.isdir(path):
        readable = os.access(path, os.R_OK | os.X_OK)
    else:
        readable = os.path.isfile(path) and os.access(path, os.R_OK)
    problem = None
    if not readable:
        problem = "cannot be read" if os.path.exists(path) else "does not exist"
    elif not os.path.isdir(path):
        problem = _not_a_ca_bundle(path)
    if problem:
        error = ValidationError("ca_path %s %s: set ca_path to the PEM file of the CA that signed the phone's "
                                "certificate (or to the phone's own certificate)" % (path, problem), field="ca_path")
        error.host = conn.label
        raise error


def _not_a_ca_bundle(path):
    """Why the file at ``path`` cannot serve as a CA bundle (requests would only say "SSLError"), or None."""
    try:
        ssl.create_default_context(cafile=path)
    except ssl.SSLError:
        return "holds no PEM certificate"
    except (OSError, ValueError):
        return "cannot be read as a certificate file"
    return None
