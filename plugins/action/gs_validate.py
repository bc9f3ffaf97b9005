# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

import os

from ansible.errors import AnsibleActionFail

from ansible_collections.grandstream.phone.plugins.module_utils import vars_validation
from ansible_collections.grandstream.phone.plugins.plugin_utils import ansible_vars
from ansible_collections.grandstream.phone.plugins.plugin_utils.action_base import PhoneAction

try:  # ansible-core 2.19+ tags every loaded value with the file and line it came from
    from ansible._internal._datatag._tags import Origin
except ImportError:  # pragma: no cover - older ansible-core: messages just do not say where
    Origin = None


class ActionModule(PhoneAction):
    ENGINE = vars_validation

    def _host_var_defaults(self, task_vars):
        """Without explicit data, validate the phone_* and gs_* variables of this host, or of each of ``hosts``."""
        defaults = {"name": task_vars.get("inventory_hostname", "vars")}
        if "data" in self._task.args:
            if self._task.args.get("hosts") is not None:
                raise AnsibleActionFail("gs_validate: data and hosts are mutually exclusive")
            return defaults
        hosts = self._task.args.get("hosts")
        if hosts is None:
            defaults["data"] = self._phone_variables(task_vars, self._templar)
        elif isinstance(hosts, list):
            variables = {str(host): self._variables_of(str(host), task_vars) for host in hosts}
            defaults["data"] = {host: self._phone_variables(*pair) for host, pair in variables.items()}
            defaults["sources"] = {host: _sources(pair[0]) for host, pair in variables.items()}
        return defaults

    @staticmethod
    def _phone_variables(variables, templar):
        return {key: templar.template(value) for key, value in variables.items()
                if vars_validation.is_phone_variable(key)}

    def _variables_of(self, host, task_vars):
        """The variables a task of this play sees on ``host``, and a templar that resolves them as that host.

        The same call Ansible makes for each host and task, so play vars, role defaults and parameters
        count as they will for the tasks that follow; hostvars alone would miss them (plugin_utils/ansible_vars.py).
        """
        return ansible_vars.task_variables(self._task, self._templar, host, task_vars, caller="gs_validate")


def _sources(variables):
    """{variable: "file:line"} for the phone variables whose origin Ansible knows (never their values)."""
    if Origin is None:
        return {}
    found = {}
    for name, value in variables.items():
        origin = Origin.get_tag(value) if vars_validation.is_phone_variable(name) else None
        if origin is not None and origin.path:
            found[name] = "%s%s" % (_shown_path(origin.path), ":%d" % origin.line_num if origin.line_num else "")
    return found


def _shown_path(path):
    """Relative to the working directory when below it (group_vars/phones.yml), else as it is."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative
