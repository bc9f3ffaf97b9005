"""The desired-state model: the generated role files match it, its rules are the engines', its merge order."""

import importlib.util
import json
import os
import subprocess
import sys

import jsonschema
import pytest
import yaml

from ansible_collections.grandstream.phone.plugins.module_utils import (
    contacts, desired_state, group_resource, phonebook, vars_validation)
from ansible_collections.grandstream.phone.plugins.module_utils.connection import CONNECTION_SPEC
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
TOOL = os.path.join(REPO, "tools", "gen_desired_state.py")


def _tool():
    sys.path.insert(0, os.path.join(REPO, "tools"))
    spec = importlib.util.spec_from_file_location("gen_desired_state", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(*parts):
    with open(os.path.join(REPO, *parts), encoding="utf-8") as handle:
        return handle.read()


# ------------------------------------------------------------------------------------- generated files
@pytest.mark.parametrize("path", ["schemas/phone.schema.json", "roles/phone/meta/argument_specs.yml",
                                  "roles/phone/defaults/main.yml"])
def test_each_generated_file_is_exactly_what_the_model_generates(path):
    tool = _tool()
    generated = {os.path.relpath(name, REPO): text for name, text in tool.generated_files(desired_state).items()}
    assert _read(path) == generated[path], "stale: run python tools/gen_desired_state.py (make generate)"


def test_the_generator_check_mode_agrees_and_finds_a_stale_file(tmp_path):
    completed = subprocess.run([sys.executable, TOOL, "--check"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    tool = _tool()
    tool.DEFAULTS_PATH = str(tmp_path / "main.yml")
    (tmp_path / "main.yml").write_text("---\nphone_pvalues: {}\n", encoding="utf-8")
    tool.SCHEMA_PATH, tool.ARGUMENT_SPECS_PATH = str(tmp_path / "s.json"), str(tmp_path / "a.yml")
    (tmp_path / "s.json").write_text(tool.schema_text(desired_state), encoding="utf-8")
    (tmp_path / "a.yml").write_text(tool.argument_specs_text(desired_state), encoding="utf-8")
    assert tool.main(["--check"]) == 1
    assert (tmp_path / "main.yml").read_text(encoding="utf-8") == "---\nphone_pvalues: {}\n"  # check writes nothing
    assert tool.main([]) == 0 and tool.main(["--check"]) == 0


def test_the_argument_spec_and_defaults_hold_every_role_option_with_its_type_default_and_secret_flag():
    options = yaml.safe_load(_read("roles", "phone", "meta", "argument_specs.yml"))["argument_specs"]["main"]["options"]
    defaults = yaml.safe_load(_read("roles", "phone", "defaults", "main.yml"))
    assert list(options) == [variable.name for variable in desired_state.ROLE_OPTIONS] == list(defaults)
    for variable in desired_state.ROLE_OPTIONS:
        assert options[variable.name]["type"] == variable.kind
        assert options[variable.name]["default"] == variable.default == defaults[variable.name]
        assert options[variable.name].get("no_log", False) is variable.secret
    assert {name for name, option in options.items() if option.get("no_log")} == {
        "phone_admin_password", "phone_user_password", "phone_user_current_password"}


def test_the_schema_is_valid_and_every_variable_of_the_model_is_in_it_once():
    schema = json.loads(_read("schemas", "phone.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(schema["properties"]) == [variable.name for variable in desired_state.VARIABLES]
    assert len(desired_state.BY_NAME) == len(desired_state.VARIABLES)


# ------------------------------------------------------------------------------- rules come from the engines
def test_the_phonebook_limits_and_patterns_are_the_engines_own():
    properties = json.loads(_read("schemas", "phone.schema.json"))["properties"]
    contact = properties["phone_contacts"]["items"]
    group = properties["phone_groups"]["items"]
    assert contact["properties"]["email"]["maxLength"] == contacts.EMAIL_BYTES
    assert contact["properties"]["email"]["pattern"] == "^$|" + contacts.EMAIL.pattern
    for field in contacts.NUMBER_FIELDS:
        assert contact["properties"][field]["maxLength"] == contacts.NUMBER_BYTES
        assert contact["properties"][field]["pattern"] == "^$|" + contacts.DIALABLE.pattern
    assert contact["properties"]["first_name"]["maxLength"] == phonebook.NAME_BYTES
    assert group["properties"]["name"]["maxLength"] == group_resource.FIELD_BYTES["name"] == phonebook.NAME_BYTES
    assert contact["required"] == ["first_name"] and group["required"] == ["name"]
    assert set(contact["properties"]) == set(contacts.ARGUMENT_SPEC["config"]["options"])


def test_the_connection_variables_are_the_connection_spec_with_the_gs_prefix():
    connection = {variable.name for variable in desired_state.VARIABLES if variable.layer == desired_state.CONNECTION}
    assert connection == {"gs_" + key for key in CONNECTION_SPEC}
    assert desired_state.BY_NAME["gs_protocol"].schema["enum"] == CONNECTION_SPEC["protocol"]["choices"]
    assert {"gs_password", "gs_password_previous"} <= desired_state.SECRET_VARIABLES


def test_a_limit_changed_in_the_engine_changes_the_generated_schema(monkeypatch):
    """The one-place change of docs/architecture.md: the model reads the limit when it is built."""
    monkeypatch.setitem(contacts.FIELD_BYTES, "email", 96)
    rebuilt = desired_state._entry_schema(contacts.ARGUMENT_SPEC, contacts.FIELD_BYTES, ("group",))
    assert rebuilt["items"]["properties"]["email"]["maxLength"] == 96


def test_the_layer_names_are_variables_of_the_model():
    for name in (desired_state.PVALUE_MAPPINGS + desired_state.GROUP_LAYERS + desired_state.CONTACT_LAYERS
                 + (desired_state.MODEL_LAYERS, desired_state.NAMED_LAYERS_LIST)):
        assert name in desired_state.BY_NAME, name
    assert vars_validation.PVALUE_LAYERS == desired_state.PVALUE_MAPPINGS


# ------------------------------------------------------------------------------------------- the merge
LAYERED = {
    "phone_pvalues": {"a": "site", "b": "site", "c": "site", "d": "site", "e": "site", "f": "site"},
    "phone_model_pvalues": {"GXV3370": {"b": "model", "c": "model"}, "WP820": {"f": "other model"}},
    "phone_group_pvalues": {"c": "group", "d": "group"},
    "phone_pvalues_layers": ["phone_layer_sales", "phone_layer_missing", "phone_layer_floor2"],
    "phone_layer_sales": {"d": "sales", "e": "sales"},
    "phone_layer_floor2": {"e": "floor2"},
    "phone_layer_unlisted": {"a": "never"},
    "phone_host_pvalues": {"a": "host"},
}


def test_the_layers_merge_in_the_documented_order_a_later_one_winning_value_by_value():
    assert desired_state.merged_pvalues(LAYERED, model="GXV3370") == {
        "a": "host", "b": "model", "c": "group", "d": "sales", "e": "floor2", "f": "site"}
    assert [name for name, _values in desired_state.pvalue_layers(LAYERED, model="GXV3370")] == [
        "phone_pvalues", "phone_model_pvalues.GXV3370", "phone_group_pvalues", "phone_layer_sales",
        "phone_layer_missing", "phone_layer_floor2", "phone_host_pvalues"]


def test_without_a_model_there_is_no_model_layer_and_the_baseline_leaves_the_host_layer_out():
    assert desired_state.merged_pvalues(LAYERED)["b"] == "site"
    baseline = desired_state.merged_pvalues(LAYERED, model="WP820", host_layer=False)
    assert baseline["a"] == "site" and baseline["f"] == "other model"


def test_a_later_layer_replaces_a_value_however_either_layer_spells_it():
    variables = {"phone_pvalues": {"P334": "40", "ntp.server": "site.example", "lcd.backlight.timeout": "0"},
                 "phone_group_pvalues": {"display.backlight_timeout": "30"},
                 "phone_host_pvalues": {"lcd.backlight.brightness.active": "80", "p30": "host.example"}}
    assert desired_state.merged_pvalues(variables) == {
        "display.backlight_timeout": "30", "lcd.backlight.brightness.active": "80", "p30": "host.example"}
    # Two names of one P-value in one layer both stay, for gs_pvalues to refuse naming both.
    doubled = {"phone_pvalues": {"P1": "x"},
               "phone_host_pvalues": {"P334": "1", "lcd.backlight.brightness.active": "2"}}
    assert desired_state.merged_pvalues(doubled) == {"P1": "x", "P334": "1", "lcd.backlight.brightness.active": "2"}
    # A key the catalog cannot read is merged by its own spelling (validation reports it).
    assert desired_state.merged_pvalues({"phone_pvalues": {"bogus": 1}, "phone_host_pvalues": {"bogus": 2}}) == {
        "bogus": 2}


def test_a_missing_layer_is_empty_and_a_malformed_one_is_refused_naming_it():
    assert desired_state.merged_pvalues({}) == {}
    assert desired_state.merged_pvalues({"phone_pvalues": {"a": 1}, "phone_model_pvalues": {"GXV3370": None}},
                                        model="GXV3370") == {"a": 1}
    for variables, named in (({"phone_group_pvalues": "junk"}, "phone_group_pvalues"),
                             ({"phone_pvalues_layers": "phone_layer_x"}, "phone_pvalues_layers"),
                             ({"phone_pvalues_layers": ["phone_layer_x"], "phone_layer_x": [1]}, "phone_layer_x"),
                             ({"phone_model_pvalues": {"WP820": "x"}}, "phone_model_pvalues.WP820")):
        with pytest.raises(ValidationError) as raised:
            desired_state.merged_pvalues(variables, model="WP820")
        assert raised.value.field == named
