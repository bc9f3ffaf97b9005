"""Factory state of an emulated phone: models, P-value defaults and the rules a write must pass.

Everything here is data plus small pure functions; `phone.py` owns the live state.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass

from .aliases import CURRENT_FACTORY_VALUES

VENDOR_NAME = "Grandstream"
VENDOR_FULLNAME = "Grandstream Networks, Inc."
GRANDSTREAM_OUI = (0x00, 0x0B, 0x82)


@dataclass(frozen=True)
class Model:
    name: str
    firmware: str
    hw_rev: str
    tp_fw_version: str
    lines: int
    # GXV3370/GXV3380 firmware answers a forms login with `session-identity` + `session-role`
    # cookies, the others with a plain `sid` cookie (see the firmware notes).
    session_cookies: bool
    has_wifi: bool
    # How `api-values.get` answers a secret: True reads a set secret back as SECRET_MASK and an unset
    # one as "" (the GXV3370/GXV3380 here), False reads every secret back as "" (GXV3350, WP820).
    # The firmware notes only say "empty or masked"; the emulator gives both, so clients handle both.
    masks_secrets: bool


MODELS = {
    model.name: model
    for model in (
        Model("GXV3370", "1.0.3.48", "V1.2A", "22", 4, True, False, True),
        Model("GXV3380", "1.0.3.48", "V1.1B", "22", 4, True, True, True),
        Model("GXV3350", "1.0.3.40", "V1.0A", "21", 4, False, True, False),
        Model("WP820", "1.2.7.6", "V1.3A", "12", 2, False, True, False),
    )
}
DEFAULT_MODELS = ("GXV3370", "GXV3380", "GXV3350", "WP820")

# The two API dialects a phone may speak (docs/emulator.md, "Firmware generations").
GUIDE_DIALECT = "guide"  # web-api-guide.txt and real-firmware-notes.md (2021 firmware)
CURRENT_DIALECT = "current"  # current-firmware-notes.md (WP826 1.0.1.87 / 1.0.3.35)
DIALECTS = (GUIDE_DIALECT, CURRENT_DIALECT)
MIXED_FIRMWARE = "mixed"  # --firmware mixed: even phone indices guide, odd current
FIRMWARE_MODES = DIALECTS + (MIXED_FIRMWARE,)
CURRENT_FIRMWARE = "1.0.3.35"  # the newer of the two versions in the notes

ADMIN_USER = "admin"
PLAIN_USER = "user"
# The guide's token login uses the user name `gmiadmin`, which stands for the admin account.
TOKEN_ALIASES = {"gmiadmin": ADMIN_USER}
PASSWORD_PVALUE = {ADMIN_USER: "P2", PLAIN_USER: "P196"}

SECRET_PVALUES = frozenset(
    ["P2", "P196", "P34", "P406", "P506", "P606", "P1706", "P1806", "P1359", "P8404"]
)
SECRET_MASK = "********"
READ_ONLY_PVALUES = frozenset(["P67", "P68", "P89"])
# Values that take effect only after a reboot: a write that changes one leaves the phone "holding a
# change that needs a reboot" (state `pending_reboot`) until it reboots. SIP transport of accounts 1-6,
# account 1's local SIP port, web access mode.
REBOOT_PVALUES = frozenset(["P130", "P448", "P548", "P648", "P1748", "P1848", "P40", "P1650"])
# Names `api-values.get` answers without a login (firmware, model, vendor).
PUBLIC_NAMES = frozenset(["P68", "P89", "vendor_name", "vendor_fullname", "hw_rev", "tp_fw_version"])
PVALUE_NAME = re.compile(r"^P[0-9]{1,5}$")

DEFAULT_GROUP_ID = 0
BLACKLIST_GROUP_ID = 100
FACTORY_GROUPS = ((DEFAULT_GROUP_ID, "default"), (BLACKLIST_GROUP_ID, "blacklist"))

LOGIN_ATTEMPTS = 5
LOCK_SECONDS = 5 * 60


@dataclass(frozen=True)
class Account:
    """The P-value names that describe one SIP account."""

    number: int
    active: str
    server: str
    user_id: str
    auth_id: str
    password: str
    display_name: str
    account_name: str


ACCOUNTS = (
    Account(1, "P271", "P47", "P35", "P36", "P34", "P3", "P270"),
    Account(2, "P401", "P402", "P404", "P405", "P406", "P407", "P417"),
    Account(3, "P501", "P502", "P504", "P505", "P506", "P507", "P517"),
    Account(4, "P601", "P602", "P604", "P605", "P606", "P607", "P617"),
    Account(5, "P1701", "P1702", "P1704", "P1705", "P1706", "P1707", "P1717"),
    Account(6, "P1801", "P1802", "P1804", "P1805", "P1806", "P1807", "P1817"),
)


@dataclass(frozen=True)
class Rule:
    """What a written value must satisfy; a value that does not is silently dropped."""

    max_length: int = 255
    choices: frozenset[str] | None = None
    int_range: tuple[int, int] | None = None

    def accepts(self, value: str) -> bool:
        if len(value) > self.max_length:
            return False
        if self.choices is not None and value not in self.choices:
            return False
        if self.int_range is not None:
            if not re.fullmatch(r"-?[0-9]+", value):
                return False
            low, high = self.int_range
            return low <= int(value) <= high
        return True


DEFAULT_RULE = Rule()
_SWITCH = Rule(max_length=1, choices=frozenset({"0", "1"}))
_SHORT = Rule(max_length=64)
_PASSWORD = Rule(max_length=32)

RULES: dict[str, Rule] = {
    "P2": _PASSWORD,
    "P196": _PASSWORD,
    "P30": _SHORT,  # NTP server
    "P64": _SHORT,  # time zone
    "P122": _SWITCH,  # 12h / 24h clock
    "P1362": Rule(max_length=16),  # display language
    "P1650": _SWITCH,  # web access HTTPS / HTTP
    "P130": Rule(max_length=1, choices=frozenset({"0", "1", "2"})),  # SIP transport
    "P32": Rule(max_length=5, int_range=(1, 64800)),  # registration expiration, minutes
    "P212": Rule(max_length=1, choices=frozenset({"0", "1", "2"})),  # upgrade via
    "P330": Rule(max_length=1, choices=frozenset({"0", "1", "2", "3"})),  # phonebook download
    "P332": Rule(max_length=3, int_range=(0, 720)),  # phonebook download interval
    "P1359": _PASSWORD,
    "P8404": Rule(max_length=63),  # WPA key
}
for _account in ACCOUNTS:
    RULES[_account.active] = _SWITCH
    for _name in (_account.user_id, _account.auth_id, _account.display_name, _account.account_name):
        RULES[_name] = _SHORT
    RULES[_account.password] = Rule(max_length=64)
# The speaker volume (current dialect only): the notes show "8"; the range is the emulator's assumption.
RULES["sp_vol"] = Rule(max_length=2, int_range=(0, 15))


def account_registered(pvalues: dict[str, str], account: Account) -> bool:
    """Registered as far as the emulator can tell: active, with a SIP server and a user id."""
    return pvalues.get(account.active) == "1" and bool(pvalues.get(account.server)) and \
        bool(pvalues.get(account.user_id))


def rule_for(name: str) -> Rule:
    return RULES.get(name, DEFAULT_RULE)


@dataclass(frozen=True)
class Identity:
    """What makes one phone of the fleet unique; derived from --seed, the index and --models."""

    index: int
    model: Model
    mac: str
    dialect: str = GUIDE_DIALECT
    firmware: str = ""  # the factory firmware version (P68); "" = the model's

    @property
    def factory_firmware(self) -> str:
        return self.firmware or self.model.firmware


def dialect_for(firmware_mode: str, index: int) -> str:
    """The dialect of phone `index` under --firmware `firmware_mode` (mixed: even guide, odd current)."""
    if firmware_mode == MIXED_FIRMWARE:
        return CURRENT_DIALECT if index % 2 else GUIDE_DIALECT
    return firmware_mode


def default_firmware(dialect: str, model: Model) -> str:
    return CURRENT_FIRMWARE if dialect == CURRENT_DIALECT else model.firmware


def make_identity(index: int, seed: int, model_names: tuple[str, ...], firmware_mode: str = GUIDE_DIALECT) -> Identity:
    model = MODELS[model_names[index % len(model_names)]]
    dialect = dialect_for(firmware_mode, index)
    # The low 24 bits are a seed-dependent offset plus the index: unique across any fleet size
    # up to 16 million, yet different for different seeds.
    offset = int.from_bytes(hashlib.sha256(f"mac:{seed}".encode()).digest()[:3], "big")
    low = (offset + index) % (1 << 24)
    octets = GRANDSTREAM_OUI + (low >> 16, (low >> 8) & 0xFF, low & 0xFF)
    return Identity(index, model, ":".join(f"{octet:02X}" for octet in octets), dialect,
                    default_firmware(dialect, model))


def identity_pvalues(identity: Identity) -> dict[str, str]:
    """The read-only values no write and no reset can change."""
    return {"P67": identity.mac, "P68": identity.factory_firmware, "P89": identity.model.name}


def dialect_factory_values(identity: Identity) -> dict[str, str]:
    """Settings only a phone of this dialect has (a guide-dialect phone has none of these)."""
    return dict(CURRENT_FACTORY_VALUES) if identity.dialect == CURRENT_DIALECT else {}


def fit_to_dialect(pvalues: dict[str, str], identity: Identity) -> None:
    """Give `pvalues` the settings the phone's dialect has and take away those only the other one has."""
    for name, value in CURRENT_FACTORY_VALUES.items():
        if identity.dialect == CURRENT_DIALECT:
            pvalues.setdefault(name, value)
        else:
            pvalues.pop(name, None)


def factory_pvalues(identity: Identity) -> dict[str, str]:
    values = {
        "P2": "admin",
        "P196": "123",
        "P30": "pool.ntp.org",
        "P64": "GMT",
        "P122": "1",
        "P1362": "en",
        "P1650": "0",
        "P130": "0",
        "P32": "60",
        "P48": "",
        "P207": "",
        "P212": "2",
        "P237": "fm.grandstream.com/gs",
        "P1359": "",
        "P330": "0",
        "P331": "",
        "P332": "0",
        "P333": "0",
    }
    for account in ACCOUNTS:
        values[account.active] = "0"
        for name in (account.server, account.user_id, account.auth_id, account.password,
                     account.display_name, account.account_name):
            values[name] = ""
    if identity.model.has_wifi:
        values["P8404"] = ""
    values.update(dialect_factory_values(identity))
    values.update(identity_pvalues(identity))
    return values


def factory_state(identity: Identity) -> dict:
    """The whole persisted state of a phone fresh from the factory (a JSON-able dict)."""
    return {
        "pvalues": factory_pvalues(identity),
        "groups": [{"id": group_id, "name": name} for group_id, name in FACTORY_GROUPS],
        "contacts": [],
        "login": {"failures": 0, "locked_until": 0.0},
        "pending_reboot": [],
        "firmware": None,  # a version installed by PROV (firmware.py); None: the model's factory firmware
    }


def special_values(identity: Identity) -> dict[str, str]:
    """Names `api-values.get` knows besides P-values."""
    return {
        "vendor_name": VENDOR_NAME,
        "vendor_fullname": VENDOR_FULLNAME,
        "hw_rev": identity.model.hw_rev,
        "tp_fw_version": identity.model.tp_fw_version,
    }


def copy_state(state: dict) -> dict:
    return copy.deepcopy(state)
