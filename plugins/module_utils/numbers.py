# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Numbers in the phone's JSON answers, which give ids as numbers on some firmware and as text on others."""

from __future__ import annotations

__metaclass__ = type


def as_int(value):
    """``value`` as an int when it is one (``"7"`` -> 7), else unchanged (so an odd id stays visible)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
