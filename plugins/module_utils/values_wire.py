# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How value names travel in ``api-values.get``: asked for as the guide does, read back keyed either way.

The engines name P-values ``P47``. The guide's example asks ``request=2:68:vendor_name`` and the phone
answers ``{"68": ..., "vendor_name": ...}``: bare numbers both ways. Older builds (and our emulator
before it was made strict) echoed ``P47``. So a request carries bare numbers, and an answer is read under
the bare number first, then under the ``P`` name; other names (``vendor_name``, ``hw_rev``) stay as they are.
"""

from __future__ import annotations

__metaclass__ = type

import re

_PVALUE = re.compile(r"^[Pp]([0-9]+)$")


def wire_name(name):
    """``P47`` -> ``47``; any other name unchanged."""
    match = _PVALUE.match(name)
    return match.group(1) if match else name


def values_by_name(body, names):
    """The answer ``body`` keyed by ``names`` as the engines spell them; a name the phone left out is absent."""
    result = {}
    for name in names:
        bare = wire_name(name)
        for key in (bare, "P" + bare) if bare != name or name.isdigit() else (name,):
            if key in body:
                result[name] = body[key]
                break
    return result
