# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The P-values this collection knows: number, alias, type, limits, secret / read-only flags, models.

One source of truth, data-driven: gs_pvalues validates and normalises with it, gs_info resolves names
with it, and ``schemas/pvalue-catalog.json`` is generated from it (``tools/gen_catalog_schema.py``;
a unit test fails when the file and this module disagree).

Numbers come from ``real-firmware-notes.md`` and Grandstream's published configuration templates.
Where a number or meaning is an assumption, the entry's comment says so.

An entry may also carry Grandstream's own name for it (``grandstream_alias``, the name current firmware's
``config_get`` answers with), only where a source gives that pairing: ``current-firmware-notes.md`` does for
P1413 and P334; no Grandstream-published P-value-to-alias table was found (docs/emulator.md, "Grandstream
alias names"). Either alias, ``P47`` or ``47`` names the same entry.
"""

from __future__ import annotations

__metaclass__ = type

import difflib
import json
import re

from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from ansible_collections.grandstream.phone.plugins.module_utils.value_kinds import (
    BoolKind, EnumKind, HostKind, IntKind, PortKind, StrKind)

GXV_MODELS = ("GXV3370", "GXV3380", "GXV3350")
ALL_MODELS = GXV_MODELS + ("WP820",)
SCHEMA_ID = "https://github.com/grandstream-phone/grandstream.phone/blob/main/schemas/pvalue-catalog.json"
_PVALUE_NAME = re.compile(r"^p?0*([0-9]{1,5})$")


class PValue:
    """One catalogued (or passed-through) P-value."""

    __slots__ = ("number", "alias", "kind", "description", "secret", "read_only", "reboot_required", "models",
                 "exists_if", "renew_if_changed", "known", "grandstream_alias")

    def __init__(self, number, alias, kind, description, secret=False, read_only=False, reboot_required=False,
                 models=ALL_MODELS, exists_if=None, renew_if_changed=(), known=True, grandstream_alias=None):
        self.number = number
        self.alias = alias
        # Grandstream's own configuration name, only where a source pairs it with this number; an input name
        # beside ``alias``, never how results name the value (they keep ``key``).
        self.grandstream_alias = grandstream_alias
        self.kind = kind
        self.description = description
        self.secret = secret
        self.read_only = read_only
        self.reboot_required = reboot_required
        self.models = tuple(models)
        # Signals for gs_pvalues' update_secrets=on_create (pvalue_secrets.py). exists_if names a sibling
        # whose non-empty value on the phone means "this secret was set up": used only on phones that read
        # every secret back empty (a phone that shows set secrets is asked about the secret itself).
        # renew_if_changed names siblings whose change in the same task means "new credentials".
        self.exists_if = exists_if
        self.renew_if_changed = tuple(renew_if_changed)
        self.known = known

    @property
    def pname(self):
        return "P%d" % self.number

    @property
    def key(self):
        """How results name this value: the alias when catalogued, else the P-number."""
        return self.alias or self.pname

    @property
    def label(self):
        """How messages name this value: alias and P-number together."""
        return "%s (%s)" % (self.alias, self.pname) if self.alias else self.pname

    def as_dict(self):
        data = {"pvalue": self.pname, "description": self.description}
        if self.grandstream_alias:
            data["grandstream_alias"] = self.grandstream_alias
        data.update(self.kind.describe())
        data.update(secret=self.secret, read_only=self.read_only, reboot_required=self.reboot_required,
                    models=list(self.models))
        if self.exists_if:
            data["exists_if"] = self.exists_if
        if self.renew_if_changed:
            data["renew_if_changed"] = list(self.renew_if_changed)
        return data

    def __repr__(self):
        return "PValue(%s)" % self.label


def passthrough(number):
    """A P-value that is not in the catalog: written and compared as the plain string given.

    No length limit: it is unknown, so the phone decides and the read-back reports a dropped value.
    """
    return PValue(number, None, StrKind(max_length=None), "not catalogued", known=False)


# ---------------------------------------------------------------------------------------------- accounts
# Real firmware keeps each SIP account in its own block of P-values. Account 1 predates the scheme
# and has scattered numbers; accounts 2-4 use 4xx/5xx/6xx, accounts 5-6 the 17xx/18xx blocks, all with
# the same offsets inside the block (the GXV33xx layout; the password numbers P406/P506 of
# real-firmware-notes.md anchor it).
ACCOUNT_COUNT = 6
ACCOUNT1_NUMBERS = {"active": 271, "name": 270, "sip_server": 47, "outbound_proxy": 48, "sip_user_id": 35,
                    "auth_id": 36, "password": 34, "display_name": 3, "register_expiration": 32, "transport": 130}
ACCOUNT_BLOCK_BASE = {2: 400, 3: 500, 4: 600, 5: 1700, 6: 1800}
ACCOUNT_BLOCK_OFFSET = {"active": 1, "sip_server": 2, "outbound_proxy": 3, "sip_user_id": 4, "auth_id": 5,
                        "password": 6, "display_name": 7, "register_expiration": 12, "name": 17, "transport": 48}
# Assumption, kept honest: the GXV33xx phones offer more SIP accounts than the six catalogued here
# (only these six blocks are known); the WP820 has two.
ACCOUNT_MODELS = {number: (ALL_MODELS if number <= 2 else GXV_MODELS) for number in range(1, ACCOUNT_COUNT + 1)}
TRANSPORTS = (("0", "udp"), ("1", "tcp"), ("2", "tls"))
_IDENTITY_FIELDS = ("sip_server", "sip_user_id", "auth_id")


def _account_fields(n):
    """(field, kind, description, flags) of account ``n``; the numbers come from the tables above."""
    prefix = "account%d." % n
    return (
        ("active", BoolKind(), "Account %d active" % n, {}),
        ("name", StrKind(max_length=64), "Account %d name shown on the phone" % n, {}),
        ("sip_server", HostKind(), "Account %d SIP server (host[:port])" % n, {}),
        ("outbound_proxy", HostKind(), "Account %d outbound proxy (host[:port]); empty for none" % n, {}),
        ("sip_user_id", StrKind(max_length=64), "Account %d SIP user ID" % n, {}),
        ("auth_id", StrKind(max_length=64), "Account %d authenticate ID" % n, {}),
        # Where the phone cannot show the password, the account "exists" once its SIP user ID is set;
        # a new server, user or auth ID means new credentials, so the password goes with them
        # (update_secrets=on_create).
        ("password", StrKind(max_length=64), "Account %d SIP password (write-only)" % n,
         dict(secret=True, exists_if=prefix + "sip_user_id",
              renew_if_changed=tuple(prefix + field for field in _IDENTITY_FIELDS))),
        ("display_name", StrKind(max_length=64), "Account %d display name" % n, {}),
        ("register_expiration", IntKind(1, 64800, unit="minutes"),
         "Account %d registration expiration in minutes" % n, {}),
        ("transport", EnumKind(TRANSPORTS), "Account %d SIP transport" % n, dict(reboot_required=True)),
    )


def _account_number(n, field):
    if n == 1:
        return ACCOUNT1_NUMBERS[field]
    return ACCOUNT_BLOCK_BASE[n] + ACCOUNT_BLOCK_OFFSET[field]


def _account_entries():
    for n in range(1, ACCOUNT_COUNT + 1):
        for field, kind, description, flags in _account_fields(n):
            yield PValue(_account_number(n, field), "account%d.%s" % (n, field), kind, description,
                         models=ACCOUNT_MODELS[n], **flags)


# ---------------------------------------------------------------------------------------------- the rest
PHONEBOOK_DOWNLOAD = (("0", "disabled"), ("1", "http"), ("2", "tftp"), ("3", "https"))


def _general_entries():
    return (
        # Local SIP port: P40 is account 1's in Grandstream's configuration templates; the other
        # accounts' numbers are not confirmed, so only account 1's is catalogued.
        PValue(40, "account1.local_sip_port", PortKind(), "Account 1 local SIP port", reboot_required=True),
        PValue(30, "ntp.server", HostKind(max_length=64), "NTP server"),
        PValue(64, "time.zone", StrKind(max_length=64), "Time zone (firmware time zone code, e.g. GMT)"),
        PValue(122, "time.format", EnumKind((("0", "12h"), ("1", "24h"))), "Clock format"),
        PValue(1362, "display.language", StrKind(max_length=16), "Display language code (e.g. en, de)"),
        PValue(1650, "web.access_mode", EnumKind((("0", "https"), ("1", "http"))), "Web UI protocol",
               reboot_required=True),
        PValue(207, "syslog.server", HostKind(), "Syslog server (host[:port]); empty for none"),
        PValue(212, "upgrade.via", EnumKind((("0", "tftp"), ("1", "http"), ("2", "https"))),
               "Firmware upgrade and provisioning protocol"),
        PValue(237, "provisioning.config_server_path", StrKind(), "Config server path"),
        # The XML config password belongs to the config files behind the config server path: a new
        # path means a new password; nothing on the phone shows whether one is set.
        PValue(1359, "provisioning.xml_config_password", StrKind(max_length=32),
               "Password that decrypts the XML config file (write-only)", secret=True,
               renew_if_changed=("provisioning.config_server_path",)),
        # Phonebook XML download, P330-P333. Meanings as in Grandstream's configuration templates
        # (assumption: the notes only say "phonebook XML download"): 0 off / 1 HTTP / 2 TFTP / 3 HTTPS,
        # server path, interval in minutes (0 = only at boot), and whether a download removes
        # manually edited entries.
        PValue(330, "phonebook.xml_download", EnumKind(PHONEBOOK_DOWNLOAD), "Phonebook XML download protocol"),
        PValue(331, "phonebook.xml_server_path", StrKind(), "Phonebook XML server path"),
        PValue(332, "phonebook.download_interval", IntKind(0, 720, unit="minutes"),
               "Phonebook XML download interval in minutes (0: only at boot)"),
        PValue(333, "phonebook.remove_manual_entries", BoolKind(),
               "Remove manually edited entries when the phonebook XML is downloaded"),
        # P8404 is documented for the WP820 only; the GXV Wi-Fi models keep their key elsewhere.
        PValue(8404, "wifi.key", StrKind(min_length=8, max_length=63), "Wi-Fi WPA key (write-only)",
               secret=True, models=("WP820",)),
        # Login passwords: gs_password changes them idempotently (it can test a password by logging in).
        PValue(2, "admin_password", StrKind(max_length=32), "Web admin password (write-only)", secret=True),
        PValue(196, "user_password", StrKind(max_length=32), "Web user password (write-only)", secret=True),
        # Seen on current firmware only (current-firmware-notes.md: a WP826's config_get answered P1413 with
        # lcd.backlight.timeout and value "0", P334 with lcd.backlight.brightness.active and "60"). Nothing
        # gives their unit, range or type, so they are plain text with no limit known: the phone decides and
        # gs_pvalues' read-back reports a value it dropped.
        PValue(1413, "display.backlight_timeout", StrKind(max_length=None), "LCD backlight timeout",
               grandstream_alias="lcd.backlight.timeout"),
        PValue(334, "display.backlight_brightness", StrKind(max_length=None), "LCD backlight brightness when active",
               grandstream_alias="lcd.backlight.brightness.active"),
        PValue(67, "device.mac", StrKind(), "MAC address", read_only=True),
        PValue(68, "device.firmware", StrKind(), "Firmware version", read_only=True),
        PValue(89, "device.model", StrKind(), "Model name", read_only=True),
    )


# What a phone fresh from the factory (or a factory reset) reports, where it is known: the values the
# emulator's factory state models (docs/emulator.md). Empty factory values (unused accounts, no syslog server)
# are left out: gs_export's skip_empty covers them. Values not listed here are unknown, never assumed.
FACTORY_DEFAULTS = {
    "P30": "pool.ntp.org",                # ntp.server
    "P64": "GMT",                         # time.zone
    "P122": "1",                          # time.format (24h)
    "P1362": "en",                        # display.language
    "P1650": "0",                         # web.access_mode
    "P130": "0",                          # account1.transport (udp)
    "P32": "60",                          # account1.register_expiration
    "P212": "2",                          # upgrade.via
    "P237": "fm.grandstream.com/gs",      # provisioning.config_server_path
    "P330": "0",                          # phonebook.xml_download
    "P332": "0",                          # phonebook.download_interval
    "P333": "0",                          # phonebook.remove_manual_entries
}
FACTORY_DEFAULTS.update(("P%d" % _account_number(n, "active"), "0") for n in range(1, ACCOUNT_COUNT + 1))


def factory_default(entry):
    """The code ``entry`` holds on a phone fresh from the factory, or None when that is not known."""
    return FACTORY_DEFAULTS.get(entry.pname)


ENTRIES = tuple(sorted(list(_account_entries()) + list(_general_entries()), key=lambda entry: entry.alias))
BY_ALIAS = {entry.alias: entry for entry in ENTRIES}
BY_NUMBER = {entry.number: entry for entry in ENTRIES}
# Grandstream's names, lower-case as every lookup is; each names one entry, and none is another entry's alias.
BY_GRANDSTREAM_ALIAS = {entry.grandstream_alias.lower(): entry for entry in ENTRIES if entry.grandstream_alias}
if len(BY_ALIAS) != len(ENTRIES) or len(BY_NUMBER) != len(ENTRIES):  # pragma: no cover - a data bug
    raise AssertionError("catalog: an alias or P-number is listed twice")
if len(BY_GRANDSTREAM_ALIAS) != sum(1 for entry in ENTRIES if entry.grandstream_alias) or any(
        BY_ALIAS.get(name, entry) is not entry for name, entry in BY_GRANDSTREAM_ALIAS.items()):  # pragma: no cover
    raise AssertionError("catalog: a Grandstream alias is listed twice or is another entry's alias")

# The phone's identity, read by several engines next to the values they manage: named here, once.
MODEL_PVALUE = BY_ALIAS["device.model"].pname
FIRMWARE_PVALUE = BY_ALIAS["device.firmware"].pname
MAC_PVALUE = BY_ALIAS["device.mac"].pname


# ---------------------------------------------------------------------------------------------- lookup
def resolve(name, field=None, strict=False):
    """Find the entry for ``P47``, ``p47``, ``47``, ``account1.sip_server`` or a Grandstream alias such as
    ``lcd.backlight.timeout`` (all case-insensitive).

    Unknown P-numbers pass through as plain strings unless ``strict``; anything else unknown is a
    ValidationError naming ``field`` (default: the name) and suggesting close aliases (ours and Grandstream's).
    """
    text = str(name).strip()
    field = field or text
    entry = find(text)
    if entry is not None:
        if strict and not entry.known:
            raise ValidationError("%s: %s is not in the catalog (strict mode refuses uncatalogued P-values)"
                                  % (field, entry.pname), field=field)
        return entry
    raise ValidationError("%s: %r is neither a P-value (P47, 47) nor an alias of the catalog (ours or "
                          "Grandstream's)%s" % (field, text, _suggestion(text)), field=field)


def find(name):
    """The entry ``name`` (any spelling ``resolve`` takes) names, a pass-through one for an uncatalogued P-number,
    or None: the lookup without a message, for callers that only need to know which P-value a key means."""
    text = str(name).strip().lower()
    entry = BY_ALIAS.get(text) or BY_GRANDSTREAM_ALIAS.get(text)
    if entry is not None:
        return entry
    match = _PVALUE_NAME.match(text)
    if not match:
        return None
    number = int(match.group(1))
    return BY_NUMBER.get(number) or passthrough(number)


def _suggestion(text):
    close = difflib.get_close_matches(text.lower(), list(BY_ALIAS) + list(BY_GRANDSTREAM_ALIAS), n=3, cutoff=0.6)
    return "; did you mean %s?" % ", ".join(close) if close else ""


def model_of(reported):
    """The catalogued model a phone reports (P89), or None when it is not one of ours."""
    text = str(reported or "").upper()
    for model in ALL_MODELS:
        if model in text:
            return model
    return None


# ---------------------------------------------------------------------------------------------- export
def as_dict():
    """The whole catalog as plain data, keyed by alias."""
    return {entry.alias: entry.as_dict() for entry in ENTRIES}


def _entry_schema(entry):
    schema = {"description": "%s: %s" % (entry.pname, entry.description)}
    if entry.read_only:
        # gs_pvalues refuses to set read-only values, so the schema does too.
        schema.update(readOnly=True, **{"not": {}})
    else:
        schema.update(entry.kind.schema())
    if entry.secret:
        schema["writeOnly"] = True
    schema.update({"x-pvalue": entry.pname, "x-type": entry.kind.name, "x-reboot-required": entry.reboot_required,
                   "x-models": list(entry.models)})
    if entry.grandstream_alias:
        schema["x-grandstream-alias"] = entry.grandstream_alias
    return schema


def to_json_schema():
    """JSON Schema (draft 2020-12) of a gs_pvalues ``values`` mapping, one definition per alias.

    Aliases (ours and Grandstream's), ``P47`` and ``47`` are all accepted keys; other P-numbers are free-form
    values. What a schema cannot say (one value named twice, the phone's model) gs_pvalues checks at run time.
    """
    definitions, properties = {}, {}
    for entry in ENTRIES:
        definitions[entry.alias] = _entry_schema(entry)
        reference = {"$ref": "#/$defs/%s" % entry.alias}
        for key in (entry.alias, entry.grandstream_alias, entry.pname, str(entry.number)):
            if key:
                properties[key] = reference
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "grandstream.phone P-value catalog",
        "description": "Generated from plugins/module_utils/catalog.py by tools/gen_catalog_schema.py; "
                       "do not edit by hand.",
        "type": "object",
        "properties": properties,
        # Any other key must be a P-number; its value is passed through as a plain string.
        "propertyNames": {"anyOf": [{"enum": [entry.alias for entry in ENTRIES] + sorted(
            entry.grandstream_alias for entry in ENTRIES if entry.grandstream_alias)},
            {"pattern": "^[Pp]?[0-9]{1,5}$"}]},
        "additionalProperties": StrKind(max_length=None).schema(),
        "$defs": definitions,
    }


def schema_text():
    """The exact text of ``schemas/pvalue-catalog.json``."""
    return json.dumps(to_json_schema(), indent=2) + "\n"
