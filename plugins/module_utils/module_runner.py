# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module files' ``main()``: runs an engine inside a plain AnsibleModule.

It is not a second way to run the collection. Every module has an action plugin of the same name, and an
action plugin always wins over the module, whatever the connection (``ansible -m`` included), so in a play
the engine runs on the controller through plugins/plugin_utils/action_base.py. This path runs only where
the module file itself is executed: ansible-test sanity (validate-modules imports every module and checks
its argument spec against DOCUMENTATION) and tools that run a module file directly. It therefore behaves as
the action plugin does (same argument spec, same engine, same result) and feeds the engine's secrets into
AnsibleModule's own no_log list, so ``exit_json`` masks them as it masks no_log options.
"""

from __future__ import annotations

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.grandstream.phone.plugins.module_utils import client as client_module
from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import engine_of
from ansible_collections.grandstream.phone.plugins.module_utils.runner import execute
from ansible_collections.grandstream.phone.plugins.module_utils.stop import stop_message, stopped_result


def run_module(engine_file):
    engine = engine_of(engine_file)
    module = AnsibleModule(argument_spec=engine.module_argument_spec, supports_check_mode=True, **engine.relations)
    if not client_module.HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=str(client_module.REQUESTS_IMPORT_ERROR))
    params = dict(module.params)
    if engine.uses_connection and stop_message(params) is not None:
        module.fail_json(**stopped_result(stop_message(params)))
    module.no_log_values.update(engine.secret_values(params))
    result = execute(engine, params, module.check_mode, module._diff, secrets=module.no_log_values)
    if result.get("failed"):
        module.fail_json(**result)
    module.exit_json(**result)
