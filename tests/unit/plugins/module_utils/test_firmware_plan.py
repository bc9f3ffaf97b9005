"""gs_firmware's pure logic: Grandstream version order, the desired map, the upgrade path."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import firmware_plan as plan
from ansible_collections.grandstream.phone.plugins.module_utils.errors import ValidationError


@pytest.mark.parametrize("older, newer", [
    ("1.0.3.35", "1.0.11.2"),   # a text comparison gets this one wrong
    ("1.0.3.9", "1.0.3.10"),
    ("1.0.3", "1.0.3.1"),
    ("1.2.7.6", "2.0"),
])
def test_versions_compare_part_by_part_as_numbers(older, newer):
    assert plan.compare_versions(older, newer) == -1
    assert plan.compare_versions(newer, older) == 1


def test_trailing_zero_parts_do_not_matter_and_junk_is_not_a_version():
    assert plan.compare_versions("1.0.3", "1.0.3.0") == 0
    for junk in ("", "1", "1.0.x", "v1.0.3", "1..3", None):
        assert plan.parse_version(junk) is None
    with pytest.raises(ValueError):
        plan.compare_versions("1.0.x", "1.0.3")


def desired(**spec):
    return plan.parse_desired({"GXV3370": dict({"version": "1.0.11.2"}, **spec)})


def test_the_path_skips_steps_the_phone_is_already_past():
    target = plan.target_for(desired(steps=["1.0.5.1", "1.0.8.0"]), "gxv3370", "")
    assert plan.judge("1.0.3.48", target) == (plan.BEHIND, ["1.0.5.1", "1.0.8.0", "1.0.11.2"])
    assert plan.judge("1.0.5.1", target) == (plan.BEHIND, ["1.0.8.0", "1.0.11.2"])
    assert plan.judge("1.0.11.2", target) == (plan.ON_TARGET, [])
    assert plan.judge("1.0.12.0", target) == (plan.AHEAD, [])
    assert plan.judge("unknown", target) == (plan.UNKNOWN, [])
    assert plan.judge("1.0.3.48", None) == (plan.UNKNOWN, [])


def test_a_hardware_revision_has_its_own_target_and_others_take_the_model_default():
    wanted = desired(hardware={"v1.0a": {"version": "1.0.5.1"}})
    assert plan.target_for(wanted, "GXV3370", "V1.0A").version == "1.0.5.1"
    assert plan.target_for(wanted, "GXV3370", "V1.2A").version == "1.0.11.2"
    assert plan.target_for(wanted, "WP820", "V1.0A") is None


def test_a_plain_version_string_is_a_target_without_steps():
    target = plan.target_for(plan.parse_desired({"WP820": "1.2.7.6"}), "WP820", None)
    assert target.as_dict() == {"version": "1.2.7.6", "steps": []}


@pytest.mark.parametrize("firmware, field", [
    ({}, "firmware"),
    ({"GXV3370": {"steps": ["1.0.5.1"]}}, "firmware.GXV3370.version"),
    ({"GXV3370": 1.0}, "firmware.GXV3370.version"),
    ({"GXV3370": True}, "firmware.GXV3370"),
    ({"GXV3370": {"version": "1.0.11.2", "steps": "1.0.5.1"}}, "firmware.GXV3370.steps"),
    ({"GXV3370": {"version": "1.0.11.2", "steps": ["1.0.12.0"]}}, "firmware.GXV3370.steps[0]"),
    ({"GXV3370": {"version": "1.0.11.2", "steps": ["1.0.5.1", "1.0.5.1"]}}, "firmware.GXV3370.steps[1]"),
    ({"GXV3370": {"version": "1.0.11.2", "hardware": {"V1": {"version": "1.0.x"}}}},
     "firmware.GXV3370.hardware.V1.version"),
    ({"GXV3370": {"version": "1.0.11.2", "hardware": {"V1": {"version": "1.0.5.1", "hardware": {}}}}},
     "firmware.GXV3370.hardware.V1.hardware"),
    ({"GXV3370": {"version": "1.0.11.2", "hardware": ["V1"]}}, "firmware.GXV3370.hardware"),
    ({"GXV3370": "1.0.11.2", "gxv3370": "1.0.11.2"}, "firmware.gxv3370"),
])
def test_a_bad_desired_map_names_the_field(firmware, field):
    with pytest.raises(ValidationError) as caught:
        plan.parse_desired(firmware)
    assert caught.value.field == field and field in caught.value.message


def test_placeholders_are_filled_per_step_and_unknown_ones_refused():
    assert plan.fill("fw/{model}/{version}", "GXV3370", "1.0.5.1") == "fw/GXV3370/1.0.5.1"
    assert plan.fill(True, "GXV3370", "1.0.5.1") is True  # a switch stays a switch
    plan.check_placeholders("fw/{model}/{version}", "server.path")
    with pytest.raises(ValidationError, match=r"unknown placeholder \{ver\}"):
        plan.check_placeholders("fw/{ver}", "server.path")
