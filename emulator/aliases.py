"""Grandstream's own configuration names ("aliases") for the settings the emulator models.

The current dialect's `config_get` answers each P-value with its alias and `config_update` accepts writes
by alias. Only names with a public source are listed (docs/emulator.md, "Grandstream alias names"); the
P-value pairs are the catalog's, checked by tests/unit/plugins/module_utils/test_catalog.py.
"""

from __future__ import annotations

import re

# P-value -> alias, only from current-firmware-notes.md: no Grandstream-published P-value-to-alias table was
# found (docs/emulator.md, "Grandstream alias names", says what was searched and why nothing else is used).
# The catalog (plugins/module_utils/catalog.py, grandstream_alias) is the home of these pairs; the emulator
# imports nothing of the collection, so a unit test keeps this copy equal to it.
ALIASES = {
    "P1413": "lcd.backlight.timeout",
    "P334": "lcd.backlight.brightness.active",
}

# Settings `config_get` names by text instead of a number: name -> alias (the notes: sp_vol).
TEXT_SETTINGS = {
    "sp_vol": "audio.volume.speaker",
}

# The P-values the emulator models but no public source names: they still exist, so `config_get` must
# not answer them with alias "" (which means "the phone has no such key"). They get this visibly made-up
# prefix instead, which no Grandstream name has and which `config_update` does not accept.
PLACEHOLDER_PREFIX = "x-emulator.p"

# Factory values of the settings only a current-dialect phone has (the notes' config_get example answer).
CURRENT_FACTORY_VALUES = {"P1413": "0", "P334": "60", "sp_vol": "8"}

# Names config_update takes by alias: the sourced aliases only (never a placeholder).
PVALUE_BY_ALIAS = {alias: name for name, alias in {**ALIASES, **TEXT_SETTINGS}.items()}

# A P-number as config_get / config_update take it: digits without the `P`, no leading zero.
BARE_PVALUE = re.compile(r"^[1-9][0-9]{0,4}$")


def alias_for(name: str) -> str:
    """The alias of an existing setting `name` (`P334`, `sp_vol`): the sourced one, else a placeholder."""
    if name in ALIASES:
        return ALIASES[name]
    if name in TEXT_SETTINGS:
        return TEXT_SETTINGS[name]
    return PLACEHOLDER_PREFIX + name[1:]


def setting_name(key: str) -> str | None:
    """The stored name (`P334`, `sp_vol`) for a config_get / config_update `pvalue` key, None if not a setting."""
    if BARE_PVALUE.match(key):
        return "P" + key
    return key if key in TEXT_SETTINGS else None
