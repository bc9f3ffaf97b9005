"""gs_fleet (fleet.py): the desired state as the role's tasks build it and the result (the report: test_drift.py)."""

import pytest

from ansible_collections.grandstream.phone.plugins.module_utils import fleet
from ansible_collections.grandstream.phone.plugins.plugin_utils.drift import DriftReport


@pytest.fixture(name="defaults")
def fixture_defaults():
    return fleet.role_defaults()


def test_the_role_defaults_are_read_from_the_role(defaults):
    assert defaults["phone_pvalues_update_secrets"] == "on_create" and defaults["phone_contacts_state"] == "merged"


def test_no_desired_state_runs_no_engine(defaults):
    assert fleet.desired_params({"gs_password": "x"}, defaults) == {}


def test_pvalue_layers_go_to_gs_pvalues_apart_as_the_role_gives_them(defaults):
    layers = {"phone_pvalues": {"ntp.server": "a.test"}, "phone_group_pvalues": {"time.zone": "GMT0"},
              "phone_host_pvalues": {"ntp.server": "c.test"}}
    params = fleet.desired_params(dict(layers, gs_model="GXV3370"), defaults)
    assert params == {"gs_pvalues": {"layers": dict(defaults_layers(defaults), **layers), "model": "GXV3370",
                                     "update_secrets": "on_create", "strict": False}}


def defaults_layers(defaults):
    """The layer variables the role's defaults set (empty ones)."""
    names = ("phone_pvalues", "phone_model_pvalues", "phone_group_pvalues", "phone_pvalues_layers",
             "phone_host_pvalues")
    return {name: defaults[name] for name in names if name in defaults}


def test_groups_are_given_only_when_listed_or_overridden_as_the_role_does(defaults):
    contacts = [{"first_name": "Ada", "work": "1"}]
    only_contacts = fleet.desired_params({"phone_contacts": contacts}, defaults)["gs_contacts"]
    assert "groups" not in only_contacts and only_contacts["config"] == contacts
    both = fleet.desired_params({"phone_groups": [{"name": "A"}], "phone_host_groups": [{"name": "B"}]}, defaults)
    assert both["gs_contacts"]["groups"] == [{"name": "A"}, {"name": "B"}] and both["gs_contacts"]["config"] == []
    overridden = fleet.desired_params({"phone_groups_state": "overridden"}, defaults)["gs_contacts"]
    assert overridden["groups"] == [] and overridden["groups_state"] == "overridden"


def test_an_invalid_phone_fails_alone_before_any_request_and_its_secret_is_scrubbed(defaults):
    variables = {"phone_pvalues": {"account1.password": "S3cret-Pass!" * 20}, "gs_password": "Adm1n-Secret!"}
    entry, secrets = fleet.check_host("phone1", variables, {"host": "127.0.0.1", "port": 1}, defaults)
    assert entry["status"] == "failed" and entry["results"] == {} and entry["problems"]
    assert "Adm1n-Secret!" in secrets and "S3cret-Pass!" * 20 in secrets


def test_the_result_lists_each_status_under_names_ansible_does_not_read_as_its_own():
    result = fleet.summarise({
        "a": {"status": "drifted", "results": {"gs_pvalues": {"changed": True, "reboot_pending": True}}},
        "b": {"status": "failed", "msg": "x", "results": {}},
        "c": {"status": "clean", "results": {}}})
    assert "failed" not in result and "unreachable" not in result
    assert (result["drifted_hosts"], result["failed_hosts"], result["clean_hosts"]) == (["a"], ["b"], ["c"])
    assert result["reboot_pending_hosts"] == ["a"] and result["changed"] is True


def test_a_phone_without_a_password_fails_alone_with_the_reason(defaults, monkeypatch):
    monkeypatch.delenv("GS_PASSWORD", raising=False)
    entry, unused = fleet.check_host("phone1", {"phone_pvalues": {"ntp.server": "ntp.site.test"}},
                                     {"host": "127.0.0.1", "port": 1}, defaults)
    assert entry["status"] == "failed" and "password is required" in entry["msg"]


def test_an_unchanged_engine_result_keeps_only_what_the_report_reads():
    result = {"changed": False, "before": {"a": "1"}, "after": {"a": "1"}, "firmware": {"version": "1"},
              "unverified": ["P9"], "warnings": [], "reboot_pending": False, "requests": {"requests": 2}}
    assert fleet.compact(result) == {"changed": False, "unverified": ["P9"], "reboot_pending": False,
                                     "requests": {"requests": 2}}


@pytest.mark.parametrize("flag", ["changed", "failed", "reboot_pending"])
def test_a_changed_failed_or_waiting_result_is_kept_whole(flag):
    result = {flag: True, "before": {"a": "1"}, "after": {"a": "2"}, "diff": {"before": "", "after": ""}}
    assert fleet.compact(result) == result


def test_a_compact_clean_result_still_reports_the_phone_clean():
    report = DriftReport()
    entry = {"status": "clean", "results": {"gs_pvalues": fleet.compact({"changed": False, "before": {"a": "1"}})}}
    report.add_fleet("Drift check of the batch", {"fleet": {"phone0": entry}})
    assert report.phones["phone0"]["status"] == "clean" and report.phones["phone0"]["differences"] == []


def test_a_model_layer_alone_is_something_to_compare_even_without_gs_model(defaults):
    """The phone's model is learned in gs_pvalues' own read: a phone whose only layer is a model layer is checked."""
    params = fleet.desired_params({"phone_model_pvalues": {"GXV3370": {"time.format": "24h"}}}, defaults)
    assert params["gs_pvalues"]["model"] is None and params["gs_pvalues"]["layers"]["phone_model_pvalues"] == {
        "GXV3370": {"time.format": "24h"}}
