# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet engine (module_utils/fleet.py) driven straight from Python, without ansible-playbook.

Two uses in the benchmark:

- ``provision``: bring phones to the benchmark's desired state with the same engines the role runs
  (gs_contacts, gs_pvalues, not in check mode), one client per phone in a thread pool. The role provisions
  the phones the role's contestants measure; this provisions the rest of a 5,000-phone curve in seconds
  instead of the role's ~20 minutes. Every drift check that follows (``fail_on_drift``) proves the result.
- ``host_inputs``: what gs_fleet's action plugin collects from ``hostvars`` for one host of the benchmark's
  role inventory (group vars under host vars), so ``profile_fleet.py`` can profile the engine alone.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.grandstream.phone.plugins.module_utils import fleet, vars_validation
from ansible_collections.grandstream.phone.plugins.module_utils.client import PhoneClient
from ansible_collections.grandstream.phone.plugins.module_utils.connection import (CONNECTION_KEYS,
                                                                                   HOST_VAR_PREFIX, connection_params)
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import engine_of
from ansible_collections.grandstream.phone.plugins.module_utils.runner import execute


def host_inputs(inventory):
    """{host: {"variables", "connection"}} as gs_fleet's action plugin builds them from hostvars."""
    group = inventory["all"]["children"]["phones"]
    hosts = {}
    for name, host_vars in group["hosts"].items():
        variables = dict(group["vars"])
        variables.update(host_vars)
        phone = {key: value for key, value in variables.items() if vars_validation.is_phone_variable(key)}
        connection = {key: phone[HOST_VAR_PREFIX + key] for key in CONNECTION_KEYS if HOST_VAR_PREFIX + key in phone}
        connection.setdefault("host", variables.get("ansible_host") or name)
        hosts[name] = {"variables": phone, "connection": connection}
    return hosts


def _provision_one(host, defaults):
    """Apply one phone's desired state with the role's engines; returns its result per module."""
    results = {}
    client = None
    try:
        for module, options in fleet.desired_params(host["variables"], defaults).items():
            engine = engine_of(dict(fleet.ENGINES)[module])
            args = dict(host["connection"])
            args.update(options)
            outcome = engine.validate(args)
            if outcome.error_messages:
                raise RuntimeError("%s: %s" % (module, "; ".join(outcome.error_messages)))
            if client is None:
                client = PhoneClient(connection_params(outcome.validated_parameters))
            results[module] = execute(engine, outcome.validated_parameters, False, False, client=client)
            if results[module].get("failed"):
                raise RuntimeError("%s: %s" % (module, results[module].get("msg")))
    finally:
        if client is not None:
            client.close()
    return results


def provision(hosts, workers=50):
    """Apply every host's desired state; returns seconds. Raises on the first phone that failed."""
    defaults = fleet.role_defaults()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda name: _provision_one(hosts[name], defaults), list(hosts)))
    return time.monotonic() - started
