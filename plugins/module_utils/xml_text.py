# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text that ends up in an XML document a phone keeps (its phonebook) or reads (a rendered config file).

One home for two rules the phone enforces only by breaking:
- XML 1.0 carries only tab, LF, CR and U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF. A contact named
  with U+FFFE is stored, then written raw into the phone's phonebook XML, which no longer parses: every
  later read of the phonebook fails. Such text is refused before any request.
- The firmware counts lengths in bytes of UTF-8, not in characters: 16 emoji are already 64 bytes.
"""

from __future__ import annotations

__metaclass__ = type

import re

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import CONTROL_CHARACTERS

# Any character outside XML 1.0's Char production.
NOT_XML = re.compile(u"[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def utf8_length(text):
    """Length of ``text`` in bytes of UTF-8, as the phone counts it (a lone surrogate counts 3)."""
    return len(text.encode("utf-8", "surrogatepass"))


def not_xml_problem(text):
    """Why XML cannot carry ``text`` (the first offending character, by code point), or None."""
    found = NOT_XML.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code < 0x20:
        return "contains control characters (U+%04X), which XML 1.0 cannot carry" % code
    return "contains U+%04X, a character XML 1.0 cannot carry" % code


def clean_text(value, field, max_bytes, required=False):
    """A phonebook text option, stripped; refuses control characters, characters XML cannot carry,
    text over ``max_bytes`` bytes of UTF-8, and emptiness when ``required``. ``field`` names it in errors."""
    if value is None:
        if required:
            raise ValidationError("%s is required" % field, field=field)
        return None
    text = str(value).strip()
    if required and not text:
        raise ValidationError("%s must not be empty" % field, field=field)
    if CONTROL_CHARACTERS.search(text):
        raise ValidationError("%s contains control characters, which the phonebook cannot store" % field,
                              field=field)
    problem = not_xml_problem(text)
    if problem:
        raise ValidationError("%s %s; the phone would store it and then fail to read its own phonebook"
                              % (field, problem), field=field)
    size = utf8_length(text)
    if size > max_bytes:
        raise ValidationError("%s must be at most %d bytes of UTF-8, as the phone counts (is %d bytes, %d characters)"
                              % (field, max_bytes, size, len(text)), field=field)
    return text
