# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every phone's phonebook holds by the guide, shared by the engines, the XML parser and the renderer."""

from __future__ import annotations

__metaclass__ = type

# The groups every phone has; they cannot be created, renamed or deleted.
BUILTIN_GROUPS = {0: "default", 100: "blacklist"}
BUILTIN_NAMES = frozenset(BUILTIN_GROUPS.values())
# A contact's phone numbers, in the order the phone shows them.
NUMBER_FIELDS = ("work", "home", "mobile", "fax")
