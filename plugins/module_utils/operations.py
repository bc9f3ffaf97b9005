# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phone's system operations (api-sys_operation): what they are called and who may ask for them,
for gs_sysop and gs_firmware (which installs through PROV)."""

from __future__ import annotations

__metaclass__ = type

# Module choice -> api-sys_operation request value.
OPERATIONS = {"reboot": "REBOOT", "provision": "PROV", "reset": "RESET"}
PROVISION = OPERATIONS["provision"]
# The guide: RESET and PROV require admin.
ADMIN_ONLY = ("provision", "reset")
# Operations that restart the phone for sure: once seen back, no reboot is pending (reboot_pending.py).
# PROV may or may not restart it.
RESTARTS = ("reboot", "reset")


def needs_admin(operation):
    return operation in ADMIN_ONLY
