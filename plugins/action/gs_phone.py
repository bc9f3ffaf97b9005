# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

__metaclass__ = type

from ansible_collections.grandstream.phone.plugins.module_utils import phone_state
from ansible_collections.grandstream.phone.plugins.plugin_utils.action_base import PhoneAction


class ActionModule(PhoneAction):
    ENGINE = phone_state
