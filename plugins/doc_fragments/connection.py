# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  host:
    description:
      - Address or name of the phone.
      - Falls back to the host variable C(gs_host), then C(ansible_host), then C(inventory_hostname).
    type: str
  port:
    description:
      - TCP port of the phone's web server.
      - Falls back to the host variable C(gs_port), then 443 for C(https) and 80 for C(http).
    type: int
  protocol:
    description:
      - Protocol of the phone's web server. Falls back to the host variable C(gs_protocol).
    type: str
    choices: [https, http]
    default: https
  validate_certs:
    description:
      - Verify the phone's TLS certificate. Phones ship self-signed certificates; prefer O(ca_path)
        over turning this off.
      - Falls back to the host variable C(gs_validate_certs).
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA (or the self-signed certificate) to trust for the phone.
      - Falls back to the host variable C(gs_ca_path).
    type: path
  username:
    description:
      - Web user to log in as (C(admin) or C(user)).
      - Falls back to the host variable C(gs_username), then the environment variable E(GS_USERNAME).
    type: str
    default: admin
  password:
    description:
      - Password of O(username). Never logged, never returned.
      - Falls back to the host variable C(gs_password), then the environment variable E(GS_PASSWORD).
      - Required unless one of the fallbacks is set.
    type: str
  password_previous:
    description:
      - During a password rotation, the password O(username) had before O(password). Never logged, never
        returned.
      - Sent at most once, and only when the phone refuses O(password) (now, or earlier as the login memory
        recalls); a password the phone refused is never sent again. When the phone accepts it, the task warns
        that O(password) is not yet the phone's password.
      - Falls back to the host variable C(gs_password_previous).
    type: str
  timeout:
    description:
      - Seconds to wait for each HTTP request. Falls back to the host variable C(gs_timeout).
    type: float
    default: 10
  retries:
    description:
      - How often a read (or an idempotent write) is retried after a connection error or an HTTP 5xx
        answer, with jittered exponential backoff. A refused password is never retried.
      - Falls back to the host variable C(gs_retries).
    type: int
    default: 3
  firmware_dialect:
    description:
      - Which Web API the phone's firmware speaks. V(guide) is the 2021 firmware of the Web API guide (forms
        login, C(api-values.get)); V(current) is later firmware (challenge login with C(access) and
        C(dologin), C(config_get) and C(config_update), C(dologout)).
      - V(auto) finds out once per phone with one unauthenticated request (C(/json/configs/model.define.js),
        which only current firmware answers), never with a login attempt, and keeps the answer beside the
        play's cached session. A dialect taken from the cache is checked again before any login.
      - Falls back to the host variable C(gs_firmware_dialect).
    type: str
    choices: [auto, guide, current]
    default: auto
notes:
  - "The module runs on the controller and talks HTTP(S) to the phone; no Python or SSH is needed on the phone.
    Use O(host) or inventory variables and C(gather_facts: false)."
  - All modules of this collection are in the action group C(group/grandstream.phone.phone), so
    C(module_defaults) can set the connection options once per play.
  - A session is reused across the tasks of a play (at most one login per phone when nothing fails); the
    session ids are cached in C(~/.cache/grandstream.phone/sessions) (files with mode 0600, no passwords).
    Set E(GS_SESSION_CACHE_DIR) to move it or E(GS_SESSION_CACHE=off) to disable it. With the cache off, each
    task ends its session on a current-firmware phone (C(dologout)), so a play leaves no sessions behind; the
    guide's firmware has no logout, its sessions expire on the phone.
requirements:
  - requests >= 2.31 (on the controller)
"""
