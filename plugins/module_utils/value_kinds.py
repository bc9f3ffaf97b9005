# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Value kinds of the P-value catalog: how a user's value becomes the string a phone stores.

Each kind turns what a user wrote into that string (``normalise``, strict), reads what the phone
reports into the same form (``normalise_current``, lenient: garbage stays as it is and simply
differs), and describes itself for the catalog export and the JSON Schema.
"""

from __future__ import annotations

__metaclass__ = type

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class InvalidValue(ValueError):
    """A value breaks its kind's rule; the message states the rule, never the value (it may be a secret)."""


class StrKind:
    """Text up to ``max_length`` characters (None: no limit known, the phone decides)."""

    name = "str"

    def __init__(self, max_length=255, min_length=0):
        self.max_length = max_length
        self.min_length = min_length

    def normalise(self, value):
        text = _scalar_text(value, self.name)
        if CONTROL_CHARACTERS.search(text):
            # Firmware keeps its configuration as lines of text: a newline would split the value.
            raise InvalidValue("must not contain control characters such as newlines or tabs")
        if self.max_length is not None and len(text) > self.max_length:
            raise InvalidValue("must be at most %d characters (is %d)" % (self.max_length, len(text)))
        if text and len(text) < self.min_length:
            raise InvalidValue("must be at least %d characters (is %d)" % (self.min_length, len(text)))
        return text

    def normalise_current(self, raw):
        return raw

    def describe(self):
        data = {"type": self.name}
        if self.max_length is not None:
            data["max_length"] = self.max_length
        if self.min_length:
            data["min_length"] = self.min_length
        return data

    def schema(self):
        schema = {"type": ["string", "number", "null"]}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.min_length:
            schema["anyOf"] = [{"const": ""}, {"not": {"type": "string"}}, {"minLength": self.min_length}]
        return schema


class HostKind(StrKind):
    """A host name, IPv4 or IPv6 address, optionally with :port; empty clears it. Checked loosely."""

    name = "host"
    PATTERN = (r"^(\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"
               r"|[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?(:[0-9]{1,5})?)$")
    _HOST = re.compile(PATTERN)

    def normalise(self, value):
        text = StrKind.normalise(self, value)
        if not text:
            return text
        if not self._HOST.match(text):
            raise InvalidValue("must be a host name or IP address, optionally with :port")
        port = text.rsplit(":", 1)[1] if text.count(":") == 1 or text.startswith("[") and "]:" in text else None
        if port is not None and not 1 <= int(port) <= 65535:
            raise InvalidValue("port must be between 1 and 65535")
        return text

    def schema(self):
        return {"type": ["string", "null"], "maxLength": self.max_length,
                "anyOf": [{"const": ""}, {"type": "null"}, {"pattern": self.PATTERN}]}


class IntKind:
    name = "int"

    def __init__(self, minimum, maximum, unit=None):
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit

    def normalise(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InvalidValue("must be an integer")
        try:
            number = int(value.strip()) if isinstance(value, str) else int(value)
        except (ValueError, OverflowError):
            raise InvalidValue("must be an integer")
        if isinstance(value, float) and number != value:
            raise InvalidValue("must be an integer")
        if not self.minimum <= number <= self.maximum:
            raise InvalidValue("must be between %d and %d%s" % (self.minimum, self.maximum,
                                                                (" " + self.unit) if self.unit else ""))
        return str(number)

    def normalise_current(self, raw):
        try:
            return str(int(raw.strip()))
        except ValueError:
            return raw

    def describe(self):
        data = {"type": self.name, "minimum": self.minimum, "maximum": self.maximum}
        if self.unit:
            data["unit"] = self.unit
        return data

    def schema(self):
        return {"anyOf": [{"type": "integer", "minimum": self.minimum, "maximum": self.maximum},
                          {"type": "string", "pattern": r"^\s*-?[0-9]+\s*$"}]}


class PortKind(IntKind):
    name = "port"

    def __init__(self):
        IntKind.__init__(self, 1, 65535)


class EnumKind:
    """A numeric code with readable names: ``2``, ``"2"``, ``tls`` and ``TLS`` are the same value."""

    name = "enum"

    def __init__(self, choices):
        self.choices = tuple(choices)  # ((code, name), ...)
        self._lookup = {}
        for code, label in self.choices:
            self._lookup[code] = self._lookup[label] = code

    def normalise(self, value):
        code = None
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            code = self._lookup.get(str(value).strip().lower())
        if code is None:
            allowed = ", ".join("%s(%s)" % (label, code) for code, label in self.choices)
            raise InvalidValue("must be one of %s" % allowed)
        return code

    def normalise_current(self, raw):
        return self._lookup.get(raw.strip().lower(), raw)

    def describe(self):
        return {"type": self.name, "choices": dict(self.choices)}

    def schema(self):
        codes = [code for code, _label in self.choices]
        labels = [label for _code, label in self.choices]
        return {"enum": [int(code) for code in codes] + codes + labels + [label.upper() for label in labels]}


class BoolKind:
    """A 0/1 switch. YAML booleans, 0/1 and the usual words all mean the same."""

    name = "bool"
    WORDS = {"1": "1", "true": "1", "yes": "1", "on": "1", "0": "0", "false": "0", "no": "0", "off": "0"}

    def normalise(self, value):
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, (int, str)):
            code = self.WORDS.get(str(value).strip().lower())
            if code is not None:
                return code
        raise InvalidValue("must be a boolean (true/false, yes/no, on/off, 1/0)")

    def normalise_current(self, raw):
        return self.WORDS.get(raw.strip().lower(), raw)

    def describe(self):
        return {"type": self.name}

    def schema(self):
        words = list(self.WORDS)
        spelled = words[1:4] + words[5:]
        capitalized = [word.capitalize() for word in spelled]
        return {"enum": [True, False, 1, 0] + words + capitalized + [word.upper() for word in spelled]}


def _scalar_text(value, kind_name):
    if value is None:
        return ""
    if isinstance(value, bool):
        # YAML turns an unquoted yes/no/on/off into a boolean; for a text field that is a mistake.
        raise InvalidValue("must be a %s, got a boolean (quote the value in YAML)" % kind_name)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise InvalidValue("must be a single value, not a %s" % ("list" if isinstance(value, list) else "mapping"))
