# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import vars_validation
from ansible_collections.grandstream.phone.plugins.plugin_utils.action_base import PhoneAction

VARIABLE_PREFIXES = ("phone_", "gs_")
INTERNAL_PREFIX = "phone__"  # the role's own registered results, not user input


class ActionModule(PhoneAction):
    ENGINE = vars_validation

    def _host_var_defaults(self, task_vars):
        """Without explicit data, validate this host's own phone_* and gs_* variables."""
        defaults = {"name": task_vars.get("inventory_hostname", "vars")}
        if "data" not in self._task.args:
            defaults["data"] = {key: self._templar.template(value) for key, value in task_vars.items()
                                if key.startswith(VARIABLE_PREFIXES) and not key.startswith(INTERNAL_PREFIX)}
        return defaults
