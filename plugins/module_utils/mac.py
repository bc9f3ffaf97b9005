# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MAC addresses as this collection writes them: twelve lower-case hexadecimal digits (``000b82123456``),
the form of the phone's provisioning file names (cfg000b82123456.xml) and of gs_export's mac variable."""

from __future__ import annotations

__metaclass__ = type

import re

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

_MAC = re.compile(r"^[0-9a-f]{12}$")


def normalise_mac(mac):
    """``00:0B:82:12:34:56``, ``00-0b-82-...``, ``000b.8212.3456`` -> ``000b82123456``; anything else is a
    ValidationError naming the ``mac`` option."""
    text = re.sub(r"[\s:.-]", "", str(mac if mac is not None else "")).lower()
    if not _MAC.match(text):
        raise ValidationError("mac %r is not a MAC address: 12 hexadecimal digits, optionally separated by ':', "
                              "'-' or '.' (quote it in YAML)" % str(mac), field="mac")
    return text


def mac_or_none(text):
    """The MAC in a phone's unauthenticated answer, whatever separates its digits; None when there is none
    (discovery reports what it could read and never fails on it)."""
    digits = "".join(char for char in str(text or "").lower() if char in "0123456789abcdef")
    return digits if len(digits) == 12 else None
