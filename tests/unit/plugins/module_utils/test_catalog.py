"""The P-value catalog (catalog.py): account layout, lookups and the exported JSON Schema (kinds: test_value_kinds)."""

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import catalog
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError
from emulator import aliases as emulator_aliases

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SCHEMA_PATH = os.path.join(REPO, "schemas", "pvalue-catalog.json")

ACCOUNT_LAYOUT = {
    1: dict(active=271, name=270, sip_server=47, outbound_proxy=48, sip_user_id=35, auth_id=36, password=34,
            display_name=3, register_expiration=32, transport=130),
    2: dict(active=401, name=417, sip_server=402, outbound_proxy=403, sip_user_id=404, auth_id=405, password=406,
            display_name=407, register_expiration=412, transport=448),
    3: dict(active=501, name=517, sip_server=502, outbound_proxy=503, sip_user_id=504, auth_id=505, password=506,
            display_name=507, register_expiration=512, transport=548),
    4: dict(active=601, name=617, sip_server=602, outbound_proxy=603, sip_user_id=604, auth_id=605, password=606,
            display_name=607, register_expiration=612, transport=648),
    5: dict(active=1701, name=1717, sip_server=1702, outbound_proxy=1703, sip_user_id=1704, auth_id=1705,
            password=1706, display_name=1707, register_expiration=1712, transport=1748),
    6: dict(active=1801, name=1817, sip_server=1802, outbound_proxy=1803, sip_user_id=1804, auth_id=1805,
            password=1806, display_name=1807, register_expiration=1812, transport=1848),
}


# ------------------------------------------------------------------------------------------- layout
@pytest.mark.parametrize("account", sorted(ACCOUNT_LAYOUT))
def test_every_account_field_has_the_published_number(account):
    for field, number in ACCOUNT_LAYOUT[account].items():
        assert catalog.resolve("account%d.%s" % (account, field)).number == number, field


@pytest.mark.parametrize("alias, number", [
    ("ntp.server", 30), ("time.zone", 64), ("time.format", 122), ("display.language", 1362),
    ("web.access_mode", 1650), ("syslog.server", 207), ("upgrade.via", 212),
    ("provisioning.config_server_path", 237), ("provisioning.xml_config_password", 1359), ("wifi.key", 8404),
    ("phonebook.xml_download", 330), ("phonebook.xml_server_path", 331), ("phonebook.download_interval", 332),
    ("phonebook.remove_manual_entries", 333), ("admin_password", 2), ("user_password", 196),
    ("device.mac", 67), ("device.firmware", 68), ("device.model", 89),
])
def test_general_aliases(alias, number):
    assert catalog.resolve(alias).pname == "P%d" % number


def test_secrets_are_exactly_the_ones_real_firmware_hides():
    # The emulator (like real firmware) reads these back empty.
    hidden = {"P2", "P196", "P34", "P406", "P506", "P606", "P1706", "P1806", "P1359", "P8404"}
    assert {entry.pname for entry in catalog.ENTRIES if entry.secret} == hidden


def test_flags_and_models():
    assert {e.alias for e in catalog.ENTRIES if e.read_only} == {"device.mac", "device.firmware", "device.model"}
    assert catalog.resolve("web.access_mode").reboot_required
    assert catalog.resolve("account3.transport").reboot_required
    assert not catalog.resolve("ntp.server").reboot_required
    assert catalog.resolve("wifi.key").models == ("WP820",)
    assert "WP820" in catalog.resolve("account2.sip_server").models
    assert "WP820" not in catalog.resolve("account3.sip_server").models


def test_account_password_is_anchored_to_its_own_account():
    password = catalog.resolve("account5.password")
    assert password.exists_if == "account5.sip_user_id"
    assert password.renew_if_changed == ("account5.sip_server", "account5.sip_user_id", "account5.auth_id")
    for entry in catalog.ENTRIES:
        for alias in ((entry.exists_if,) if entry.exists_if else ()) + entry.renew_if_changed:
            assert alias in catalog.BY_ALIAS and not catalog.BY_ALIAS[alias].secret


# ------------------------------------------------------------------------------------------- lookups
@pytest.mark.parametrize("name", ["P47", "p47", "47", " P47 ", "P047", "account1.sip_server", "Account1.SIP_Server",
                                  47])
def test_resolve_spellings(name):
    entry = catalog.resolve(name)
    assert (entry.pname, entry.alias, entry.label) == ("P47", "account1.sip_server", "account1.sip_server (P47)")


def test_unknown_pvalues_pass_through_unless_strict():
    entry = catalog.resolve("P9999")
    assert (entry.pname, entry.key, entry.label, entry.known, entry.secret) == ("P9999", "P9999", "P9999", False, False)
    with pytest.raises(ValidationError) as failure:
        catalog.resolve("9999", field="values.9999", strict=True)
    assert failure.value.field == "values.9999"
    assert "values.9999: P9999 is not in the catalog" in failure.value.message


def test_unknown_alias_names_the_field_and_suggests_close_aliases():
    with pytest.raises(ValidationError) as failure:
        catalog.resolve("acount1.sip_sever", field="values.acount1.sip_sever")
    assert failure.value.field == "values.acount1.sip_sever"
    assert failure.value.message.startswith("values.acount1.sip_sever: ")
    assert "did you mean account1.sip_server" in failure.value.message


def test_unknown_name_without_close_match_has_no_suggestion():
    with pytest.raises(ValidationError) as failure:
        catalog.resolve("zzzz")
    assert "did you mean" not in failure.value.message


# ------------------------------------------------------------------------------------------- Grandstream's names
GRANDSTREAM_ALIASES = {"P1413": "lcd.backlight.timeout", "P334": "lcd.backlight.brightness.active"}


def test_grandstream_aliases_are_exactly_the_ones_the_notes_pair_with_a_number():
    # current-firmware-notes.md's config_get answer is the only source pairing a number with Grandstream's name.
    assert {entry.pname: entry.grandstream_alias for entry in catalog.ENTRIES if entry.grandstream_alias} == \
        GRANDSTREAM_ALIASES


def test_the_emulators_aliases_are_the_catalogs():
    # The emulator keeps its own table (it is a stand-in, not a user of the collection): checked against the
    # catalog, so a phone it emulates never names a value otherwise than the catalog does.
    assert emulator_aliases.ALIASES == GRANDSTREAM_ALIASES


@pytest.mark.parametrize("name", ["lcd.backlight.brightness.active", "LCD.Backlight.Brightness.Active",
                                  " lcd.backlight.brightness.active ", "display.backlight_brightness", "P334", "334"])
def test_a_grandstream_alias_names_the_same_entry_as_ours_and_results_keep_ours(name):
    entry = catalog.resolve(name)
    assert entry is catalog.BY_NUMBER[334]
    assert (entry.key, entry.label) == ("display.backlight_brightness", "display.backlight_brightness (P334)")


def test_strict_mode_takes_a_grandstream_alias():
    assert catalog.resolve("lcd.backlight.timeout", strict=True).pname == "P1413"


def test_an_unknown_grandstream_alias_suggests_the_close_one():
    with pytest.raises(ValidationError) as failure:
        catalog.resolve("LCD.backlight.timout", field="values.LCD.backlight.timout")
    assert failure.value.field == "values.LCD.backlight.timout"
    assert "nor an alias of the catalog (ours or Grandstream's)" in failure.value.message
    assert "did you mean lcd.backlight.timeout" in failure.value.message


def test_a_name_that_is_no_alias_at_all_is_found_by_neither_lookup():
    assert catalog.find("lcd.backlight") is None and catalog.find("network.ntp.server") is None
    assert catalog.find("P9999").known is False and catalog.find("lcd.backlight.timeout").number == 1413


def test_the_catalog_describes_grandstreams_name_only_where_it_is_known():
    data = catalog.as_dict()
    assert data["display.backlight_timeout"]["grandstream_alias"] == "lcd.backlight.timeout"
    assert "grandstream_alias" not in data["ntp.server"]
    # Nothing says more than the values seen ("0", "60"): no range, no length limit.
    assert data["display.backlight_brightness"] == {
        "pvalue": "P334", "description": "LCD backlight brightness when active",
        "grandstream_alias": "lcd.backlight.brightness.active", "type": "str", "secret": False, "read_only": False,
        "reboot_required": False, "models": list(catalog.ALL_MODELS)}


@pytest.mark.parametrize("reported, model", [("GXV3370", "GXV3370"), ("gxv3380", "GXV3380"), ("WP820", "WP820"),
                                             ("", None), ("GXP2170", None)])
def test_model_of(reported, model):
    assert catalog.model_of(reported) == model


# ------------------------------------------------------------------------------------------- export
def test_schema_file_is_generated_from_the_catalog():
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        assert handle.read() == catalog.schema_text(), "run: python tools/gen_catalog_schema.py"


def test_generator_check_mode_agrees():
    completed = subprocess.run([sys.executable, os.path.join(REPO, "tools", "gen_catalog_schema.py"), "--check"],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


def test_as_dict_describes_every_entry():
    data = catalog.as_dict()
    assert len(data) == len(catalog.ENTRIES)
    assert data["account1.transport"]["choices"] == {"0": "udp", "1": "tcp", "2": "tls"}
    assert data["account1.password"]["secret"] is True
    assert data["account1.register_expiration"]["maximum"] == 64800
    json.dumps(data)


@pytest.fixture(scope="module")
def validator():
    schema = catalog.to_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("values", [
    {"account1.transport": "tls", "P130": 2, "account1.active": True, "P271": "yes"},
    {"account1.sip_server": "pbx.example.com:5060", "47": "pbx", "P9999": "anything", "p9999": 1},
    {"account1.register_expiration": 3600, "P32": "60", "wifi.key": "", "account1.outbound_proxy": None},
    {"lcd.backlight.brightness.active": 60, "lcd.backlight.timeout": "0", "display.backlight_timeout": "0"},
])
def test_schema_accepts_what_the_engine_accepts(validator, values):
    assert list(validator.iter_errors(values)) == []
    for name, value in values.items():
        catalog.resolve(name).kind.normalise(value)


@pytest.mark.parametrize("values", [
    {"account1.transport": "sctp"}, {"device.mac": "00:11"}, {"acount1.sip_server": "x"},
    {"account1.register_expiration": 0}, {"ntp.server": "bad host"}, {"wifi.key": "short"},
    {"account1.active": "maybe"}, {"P9999": True}, {"time.zone": "x" * 65}, {"lcd.backlight.timout": "0"},
])
def test_schema_refuses_what_the_engine_refuses(validator, values):
    assert list(validator.iter_errors(values))
