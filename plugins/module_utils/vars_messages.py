# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON Schema errors in words a person reads, as the modules word them: ``path: message``.

A variable is named as the user wrote it (``phone_contacts[0].work``), a rule by what it means (a
dialable number, one of a list of choices), never by a regular expression or a JSON Schema keyword; a
misspelled name gets its likely meaning ("did you mean phone_contacts?"). Values of secrets are never
quoted.
"""

from __future__ import annotations

__metaclass__ = type

import difflib
import re

QUOTE_LIMIT = 60
# How the schema names a failed pattern: its ``x-invalid`` text, after the quoted value.
INVALID_KEYWORD = "x-invalid"
_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "a mapping", "null": "empty"}


def path_text(path):
    """``phone_contacts[0].work`` for the path ("phone_contacts", 0, "work")."""
    text = ""
    for part in path:
        text += "[%d]" % part if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def located(path, message):
    where = path_text(path)
    return "%s: %s" % (where, message) if where else message


def quoted(value):
    """repr of a value, shortened: a 10 KB value must not make a 10 KB message."""
    text = repr(value)
    if len(text) <= QUOTE_LIMIT:
        return text
    return "%s... (%d characters)" % (text[:QUOTE_LIMIT], len(str(value)))


def did_you_mean(name, known):
    close = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.75)
    return " (did you mean %s?)" % close[0] if close else ""


def _type_word(type_name):
    names = type_name if isinstance(type_name, list) else [type_name]
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _type_of(value):
    for json_type, python_types in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                                    ("array", list), ("object", dict)):
        if isinstance(value, python_types):
            return _TYPE_WORDS[json_type]
    return "empty" if value is None else type(value).__name__


def _unknown_names(error):
    """``additionalProperties`` errors: one message per unexpected name, with the likely meant one."""
    known = set((error.schema.get("properties") or {}))
    patterns = list(error.schema.get("patternProperties") or {})

    def matches_a_pattern(name):
        return any(re.search(pattern, str(name)) for pattern in patterns)

    unexpected = [name for name in error.instance if name not in known and not matches_a_pattern(name)]
    top = not list(error.absolute_path)
    messages = []
    for name in sorted(unexpected, key=str):
        # A variable's fields are few: without a close match, list them; the role's variables are many.
        hint = did_you_mean(name, known) or ("" if top else " (known: %s)" % ", ".join(sorted(known)))
        messages.append((list(error.absolute_path) + [name], "unknown %s%s" % ("variable" if top else "field", hint)))
    return messages


def schema_messages(error, secret):
    """[(path, message)] for one jsonschema error; ``secret`` means the value must not be quoted."""
    kind, rule, value = error.validator, error.validator_value, error.instance
    path = list(error.absolute_path)
    shown = "the value (not shown)" if secret else quoted(value)
    if kind == "additionalProperties" and isinstance(value, dict):
        return _unknown_names(error)
    if kind == "required":
        missing = [name for name in rule if isinstance(value, dict) and name not in value]
        return [(path + [name], "is required") for name in missing] or [(path, error.message)]
    if kind == "pattern":
        words = error.schema.get(INVALID_KEYWORD)
        if words:
            # A failed propertyNames rule reports the key itself: it is the name of the entry.
            return [(path, "%s %s" % (shown, words))]
        return [(path, "%s is not valid here" % shown)]
    if kind == "enum":
        return [(path, "must be one of %s, got %s" % (", ".join(str(choice) for choice in rule), shown))]
    if kind == "type":
        return [(path, "must be %s, got %s" % (_type_word(rule), _type_of(value)))]
    if kind == "minLength":
        return [(path, "must not be empty" if rule == 1 else "must be at least %d characters" % rule)]
    if kind == "maxLength":
        return [(path, "must be at most %d characters (is %d)" % (rule, len(value)))]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                 "exclusiveMaximum": "less than"}[kind]
        return [(path, "must be %s %s, got %s" % (words, rule, shown))]
    return [(path, error.message if not secret else "invalid value (not shown)")]
