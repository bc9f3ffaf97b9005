# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

from ansible.errors import AnsibleActionFail

from ansible_collections.grandstream.phone.plugins.module_utils import phone_state
from ansible_collections.grandstream.phone.plugins.module_utils.connection import ConnectionParams
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.plugin_utils.action_base import PhoneAction
from ansible_collections.grandstream.phone.plugins.plugin_utils.ansible_vars import may_hold_template


class ActionModule(PhoneAction):
    ENGINE = phone_state

    def _expanded_args(self, args, validated, task_vars):
        """from_variables: the parts' options from this host's variables, as the task sees them (inventory, play
        vars, role defaults), each templated only when it may hold a template: the role's task then compiles no
        template per host for its arguments (docs/performance.md)."""
        if not validated.validated_parameters.get("from_variables"):
            return args

        def read(name):
            value = task_vars[name]  # a KeyError: not set
            return self._templar.template(value) if may_hold_template(value) else value

        expanded = {key: value for key, value in args.items() if key != "from_variables"}
        try:
            expanded.update(phone_state.options_from_variables(phone_state.variables_read(read)))
        except ValidationError as error:  # a variable of the wrong kind: named, before any request
            label = ConnectionParams(**validated.validated_parameters).label  # the phone, as every message names it
            raise AnsibleActionFail("%s: from_variables: %s" % (label, error)) from None
        return expanded
