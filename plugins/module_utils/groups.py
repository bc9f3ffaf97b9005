# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Engine of gs_group: contact groups as a declarative resource, keyed by name (group_resource.py).

The built-in groups ``default`` (id 0) and ``blacklist`` (id 100) are never deleted or renamed.
A rename (``name`` + ``old_name``) edits the group in place, so it keeps its id and its contacts.
"""

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils.engine_contract import Engine
from ansible_collections.grandstream.phone.plugins.module_utils.group_resource import CONFIG_SPEC, STATES, GroupResource
from ansible_collections.grandstream.phone.plugins.module_utils.phonebook import needs_phone, run_resource

ARGUMENT_SPEC = dict(
    config=CONFIG_SPEC,
    state=dict(type="str", default="merged", choices=list(STATES)),
)


def run(client, params, check_mode):
    return run_resource(GroupResource(), client, params, check_mode)


ENGINE = Engine("groups", argument_spec=ARGUMENT_SPEC, run=run, uses_connection=True, needs_phone=needs_phone)
