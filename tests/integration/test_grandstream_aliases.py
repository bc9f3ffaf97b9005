"""Grandstream's own names of P-values (issue #16 item 6), through real ansible-playbook on both dialects.

A value may be given by Grandstream's alias (``lcd.backlight.brightness.active``, the name current firmware's
config_get answers with) beside our alias and P334; it is written by number, named by our alias in results, and
two names of one P-value are refused. gs_info returns the names a current-dialect phone gives its values.
"""

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

BRIGHTNESS = "lcd.backlight.brightness.active"  # P334, current-firmware-notes.md
ROLE_PLAY = [{"hosts": "phones", "gather_facts": False, "tasks": [
    {"name": "Phone role", "ansible.builtin.import_role": {"name": "grandstream.phone.phone"}}]}]

phones, factory_phones = emulator_fixtures(count=1)


def pvalues_play(values):
    return [{"name": "by Grandstream's name", "hosts": "phones", "gather_facts": False, "tasks": [
        {"name": "apply", "grandstream.phone.gs_pvalues": {"values": values}},
        {"name": "again", "grandstream.phone.gs_pvalues": {"values": values}},
    ]}]


def test_a_value_set_by_grandstreams_name_is_written_once_and_then_unchanged(factory_phones, tmp_path, dialect):
    before = factory_phones.state(0)["pvalues"].get("P334", "")
    run = run_playbook(tmp_path, pvalues_play({BRIGHTNESS: 80}), inventory_for(factory_phones))
    assert run.rc == 0, run
    first, second = run.result("phone0", "apply"), run.result("phone0", "again")
    # Written by number, named by our alias, as any other value.
    assert first["changed"] is True
    assert first["changes"] == {"display.backlight_brightness": {"pvalue": "P334", "before": before, "after": "80"}}
    assert second["changed"] is False and second["changes"] == {}
    assert factory_phones.state(0)["pvalues"]["P334"] == "80"
    assert factory_phones.counters(0)["writes"] == 1

    factory_phones.reset_counters()
    again = run_playbook(tmp_path, pvalues_play({BRIGHTNESS: "80"}), inventory_for(factory_phones), name="again")
    assert again.rc == 0, again
    assert again.changed_count("phone0") == 0
    assert factory_phones.counters(0)["writes"] == 0


def test_two_names_of_one_pvalue_are_refused_naming_both_before_any_request(factory_phones, tmp_path, dialect):
    run = run_playbook(tmp_path, pvalues_play({"P334": 70, BRIGHTNESS: 80}), inventory_for(factory_phones))
    assert run.rc != 0
    result = run.result("phone0", "apply")
    assert result["error_kind"] == "validation" and result["field"] == "values." + BRIGHTNESS
    assert ("values.%s: names the same P-value as values.P334 (display.backlight_brightness (P334)); give it once"
            % BRIGHTNESS) in result["msg"]
    assert factory_phones.counters(0)["writes"] == 0 and factory_phones.counters(0)["logins"] == 0


def test_an_unknown_grandstream_name_gets_the_close_one_suggested(factory_phones, tmp_path, dialect):
    run = run_playbook(tmp_path, pvalues_play({"lcd.backlight.timout": 0}), inventory_for(factory_phones))
    assert run.rc != 0
    result = run.result("phone0", "apply")
    assert result["field"] == "values.lcd.backlight.timout" and "did you mean lcd.backlight.timeout" in result["msg"]
    assert factory_phones.counters(0)["requests"] == 0


def test_gs_info_returns_the_phones_own_names_on_current_firmware_only(factory_phones, tmp_path, dialect):
    play = [{"hosts": "phones", "gather_facts": False, "tasks": [
        {"name": "info", "register": "info", "grandstream.phone.gs_info": {
            "gather_subset": ["system"], "pvalues": ["lcd.backlight.timeout", "display.backlight_brightness", "P30"]}},
    ]}]
    run = run_playbook(tmp_path, play, inventory_for(factory_phones))
    assert run.rc == 0, run
    result = run.result("phone0", "info")
    assert set(result["pvalues"]) == {"lcd.backlight.timeout", "display.backlight_brightness", "P30"}
    if dialect == "guide":
        # api-values.get names no value: nothing to learn, and no empty mapping pretending otherwise.
        assert "grandstream_aliases" not in result
        return
    aliases = result["grandstream_aliases"]
    # The names current-firmware-notes.md shows; the emulator answers the values no source names with its
    # visibly made-up placeholder (docs/emulator.md), and gs_info passes on what the phone said.
    assert aliases["P1413"] == "lcd.backlight.timeout" and aliases["P334"] == BRIGHTNESS
    assert aliases["P30"] == "x-emulator.p30"
    # The system subset's P-values were read too (model, firmware, MAC); vendor_name is no P-value.
    assert set(aliases) == {"P1413", "P334", "P30", "P89", "P68", "P67"}


def test_the_roles_layers_merge_a_value_by_the_pvalue_its_key_names(factory_phones, tmp_path, dialect):
    site = {"P334": "40", "ntp.server": "ntp.site.test"}
    inventory = inventory_for(factory_phones, extra_vars={"phone_pvalues": site})
    inventory["all"]["children"]["phones"]["hosts"]["phone0"]["phone_host_pvalues"] = {BRIGHTNESS: "70"}
    run = run_playbook(tmp_path, ROLE_PLAY, inventory)
    assert run.rc == 0, run
    # The host layer's Grandstream name replaces the site layer's P334: one value, the host's.
    stored = factory_phones.state(0)["pvalues"]
    assert (stored["P334"], stored["P30"]) == ("70", "ntp.site.test")

    factory_phones.reset_counters()
    again = run_playbook(tmp_path, ROLE_PLAY, inventory, "--check", name="again")
    assert again.rc == 0, again
    assert again.changed_count("phone0") == 0 and factory_phones.counters(0)["writes"] == 0
