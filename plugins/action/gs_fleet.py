# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gs_fleet: collects each host's variables through hostvars; the work is module_utils/fleet.py."""

from __future__ import annotations

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.utils.display import Display

from ansible_collections.grandstream.phone.plugins.module_utils import fleet, vars_validation
from ansible_collections.grandstream.phone.plugins.module_utils.connection import CONNECTION_KEYS, HOST_VAR_PREFIX
from ansible_collections.grandstream.phone.plugins.module_utils.login_memory import LoginMemory
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import SessionCache
from ansible_collections.grandstream.phone.plugins.plugin_utils import ansible_vars
from ansible_collections.grandstream.phone.plugins.plugin_utils.action_base import PhoneAction

display = Display()


class ActionModule(PhoneAction):
    ENGINE = fleet

    def run(self, tmp=None, task_vars=None):
        result = super(PhoneAction, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        validated = ArgumentSpecValidator(fleet.ARGUMENT_SPEC).validate(dict(self._task.args))
        if validated.error_messages:
            result.update(failed=True, msg="; ".join(validated.error_messages))
            return result
        params = validated.validated_parameters
        if params["processes"] < 0:
            result.update(failed=True, msg="processes must be 0 (one per core for a large batch) or more")
            return result
        names = params["hosts"] if params["hosts"] is not None else task_vars.get("ansible_play_batch") or []
        names = list(dict.fromkeys(str(name) for name in names))  # a host listed twice is still checked once
        unknown = ansible_vars.unknown_hosts(task_vars, names)
        if unknown:
            result.update(failed=True, msg="gs_fleet: %s not a host of this inventory" % ", ".join(
                "%r is" % name for name in unknown))
            return result
        plain = {}  # per process: a group variable shared by many hosts is scanned for templates once

        def inputs(name):  # called in the process that checks the phone: reading hostvars is shared out too
            return self._host_inputs(name, task_vars, plain)

        def log(message):
            display.vvv("grandstream.phone: %s" % message)

        session_cache = SessionCache.from_environment()
        result.update(fleet.run_fleet(names, forks=params["forks"], inputs=inputs, diff=bool(self._play_context.diff),
                                      session_cache=session_cache, log=log,
                                      login_memory=LoginMemory.for_run(session_cache),
                                      processes=params["processes"]))
        return result

    @staticmethod
    def _host_inputs(name, task_vars, plain=None):
        """What gs_fleet sees of a host: hostvars, i.e. inventory, group_vars and host_vars (and facts or
        registered values); not play vars, role defaults or role parameters, which only its own tasks see."""
        variables = ansible_vars.inventory_variables(task_vars, name, _wanted, caller="gs_fleet", plain=plain)
        ansible_host = variables.pop("ansible_host", None)
        connection = {}
        for key in CONNECTION_KEYS:
            if HOST_VAR_PREFIX + key in variables:
                connection[key] = variables[HOST_VAR_PREFIX + key]
        if "host" not in connection:
            connection["host"] = ansible_host or name
        return {"variables": variables, "connection": connection}


def _wanted(name):
    return name == "ansible_host" or vars_validation.is_phone_variable(name)
