# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Remote fallback: lets a module run as a plain Ansible module when no action plugin is used.

The action plugins are the fast path (they run on the controller, design section 5); this keeps the
module usable from ``ansible -m`` with a non-local connection and from ansible-test.
"""

from __future__ import annotations

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.grandstream.phone.plugins.module_utils import client as client_module
from ansible_collections.grandstream.phone.plugins.module_utils.connection import CONNECTION_SPEC
from ansible_collections.grandstream.phone.plugins.module_utils.runner import execute


def argument_spec(engine):
    spec = dict(CONNECTION_SPEC) if getattr(engine, "USES_CONNECTION", True) else {}
    spec.update(engine.ARGUMENT_SPEC)
    return spec


def argument_spec_options(engine):
    """The engine's option relations (mutually_exclusive, required_one_of, required_if, required_by,
    required_together) as keyword arguments, accepted alike by AnsibleModule and ArgumentSpecValidator."""
    return dict(getattr(engine, "ARGUMENT_SPEC_OPTIONS", None) or {})


def run_module(engine):
    module = AnsibleModule(argument_spec=argument_spec(engine), supports_check_mode=True,
                           **argument_spec_options(engine))
    if not client_module.HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=str(client_module.REQUESTS_IMPORT_ERROR))
    result = execute(engine, dict(module.params), module.check_mode, module._diff)
    if result.get("failed"):
        module.fail_json(**result)
    module.exit_json(**result)
