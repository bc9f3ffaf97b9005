"""P-value layers that compose, through the phone role and real ansible-playbook.

A phone in two inventory groups gets both groups' named layers (phone_pvalues_layers, in list order), a model
layer is chosen by gs_model or by the model the phone reports (learned by the P-values task in its own read: no
task and no request of its own), and the merge order is site -> model -> group -> named layers -> host. The three
original layers keep working unchanged.
"""

import pytest

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.role_results import PHONE_TASK, role_part

ROLE_PLAY = [{"hosts": "phones", "gather_facts": False, "tasks": [
    {"name": "Phone role", "ansible.builtin.import_role": {"name": "grandstream.phone.phone"}}]}]
# The role's model read before gs_pvalues learned the model itself: no such task any more.
MODEL_TASK = "grandstream.phone.phone : Model of the phone for phone_model_pvalues"
phones, factory_phones = emulator_fixtures(count=3, protocol="http")  # GXV3370, GXV3380, GXV3350


def layered_inventory(phones, **site):
    """phone0 in sales, phone1 in sales and floor2, phone2 in floor2 with a host layer."""
    inventory = inventory_for(phones, "http", extra_vars=dict({
        "phone_pvalues": {"ntp.server": "ntp.site.test", "display.language": "en"},
        "phone_model_pvalues": {"GXV3370": {"display.language": "de"}, "GXV3380": {"time.zone": "EST5EDT"}},
        "phone_pvalues_layers": ["phone_layer_sales", "phone_layer_floor2"]}, **site))
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    hosts["phone2"]["phone_host_pvalues"] = {"ntp.server": "ntp.host.test"}
    inventory["all"]["children"]["phones"]["children"] = {
        "sales": {"hosts": {"phone0": {}, "phone1": {}},
                  "vars": {"phone_layer_sales": {"ntp.server": "ntp.sales.test", "time.format": "12h"}}},
        "floor2": {"hosts": {"phone1": {}, "phone2": {}},
                   "vars": {"phone_layer_floor2": {"time.zone": "CET-1CEST", "time.format": "24h"}}}}
    return inventory


def pvalues(phones, index):
    state = phones.state(index)["pvalues"]
    names = (("ntp", "P30"), ("format", "P122"), ("zone", "P64"), ("language", "P1362"))
    return {name: state[pname] for name, pname in names}


def test_a_phone_in_two_groups_gets_both_layers_in_order_and_the_model_layer(phones, tmp_path):
    run = run_playbook(tmp_path, ROLE_PLAY, layered_inventory(phones))
    assert run.rc == 0, run
    # phone0 (GXV3370, sales): the sales layer and its model's language.
    assert pvalues(phones, 0) == {"ntp": "ntp.sales.test", "format": "0", "zone": "GMT", "language": "de"}
    # phone1 (GXV3380, sales and floor2): floor2 comes after sales in phone_pvalues_layers, and over the model.
    assert pvalues(phones, 1) == {"ntp": "ntp.sales.test", "format": "1", "zone": "CET-1CEST", "language": "en"}
    # phone2 (GXV3350, floor2): no model layer for it; the host layer wins over every other.
    assert pvalues(phones, 2) == {"ntp": "ntp.host.test", "format": "1", "zone": "CET-1CEST", "language": "en"}
    # Without gs_model the P-values task learned each phone's model in its own read (no task of its own).
    assert [role_part(run, "phone%d" % index, "pvalues").get("model_layer") for index in range(3)] == [
        "GXV3370", "GXV3380", None]
    assert all(MODEL_TASK not in run.results["phone%d" % index] for index in range(3))

    phones.reset_counters()
    again = run_playbook(tmp_path, ROLE_PLAY, layered_inventory(phones), "--check", name="again")
    assert again.rc == 0, again
    assert all(again.changed_count("phone%d" % index) == 0 for index in range(3))
    assert all(phones.counters(index)["writes"] == 0 for index in range(3))


def test_gs_model_chooses_the_model_layer_without_a_request(phones, tmp_path):
    inventory = layered_inventory(phones)
    inventory["all"]["children"]["phones"]["hosts"]["phone2"]["gs_model"] = "GXV3370"  # as the inventory says
    run = run_playbook(tmp_path, ROLE_PLAY, inventory)
    assert run.rc == 0, run
    assert role_part(run, "phone2", "pvalues")["model_layer"] == "GXV3370"
    assert pvalues(phones, 2)["language"] == "de"


def test_the_original_layers_need_no_model_read(phones, tmp_path):
    inventory = inventory_for(phones, "http", count=1, extra_vars={
        "phone_pvalues": {"ntp.server": "ntp.site.test"}, "phone_group_pvalues": {"time.format": "12h"}})
    inventory["all"]["children"]["phones"]["hosts"]["phone0"]["phone_host_pvalues"] = {"ntp.server": "ntp.h.test"}
    run = run_playbook(tmp_path, ROLE_PLAY, inventory)
    assert run.rc == 0, run
    assert "model_layer" not in role_part(run, "phone0", "pvalues")
    assert pvalues(phones, 0)["ntp"] == "ntp.h.test" and pvalues(phones, 0)["format"] == "0"


def test_a_layer_never_applied_and_an_unknown_model_are_validation_errors(phones, tmp_path):
    inventory = layered_inventory(phones, phone_model_pvalues={"GXV3371": {"display.language": "de"}})
    sales = inventory["all"]["children"]["phones"]["children"]["sales"]
    sales["vars"] = {"phone_layer_salse": {"ntp.server": "x.test"}}
    phones.reset_counters()
    run = run_playbook(tmp_path, ROLE_PLAY, inventory, "--check")
    assert run.rc != 0
    first = run.result("phone0", PHONE_TASK)
    assert first["_status"] == "failed" and first["error_kind"] == "stopped"
    message = first["msg"]
    assert ("phone_layer_salse: not in phone_pvalues_layers, so it is never applied: add it there, in the place of "
            "the merge order it takes (did you mean phone_layer_sales?)") in message
    assert ("phone_model_pvalues.GXV3371: not a model this collection knows (GXV3370, GXV3380, GXV3350, WP820) "
            "(did you mean GXV3370?)") in message
    assert phones.counters(0)["requests"] == 0
    assert "phone_layer_salse" not in run.result("phone2", PHONE_TASK).get("msg", "")


def run_in(tmp_path, name, inventory, *args):
    """A run with a session cache of its own, so no run profits from another one's login."""
    directory = tmp_path / name
    directory.mkdir()
    return run_playbook(directory, ROLE_PLAY, inventory, *args, name=name)


def test_a_model_layer_without_gs_model_costs_no_request_more(phones, tmp_path):
    """The model layer learned in the P-values task's own read: the phones end as with the same values given
    without a model layer, with the same requests (both dialects: the current one knows the model from its
    unauthenticated model.define.js probe, the guide one reads P89 with the values), in apply and drift check."""
    layered = inventory_for(phones, "http", extra_vars={
        "phone_pvalues": {"ntp.server": "ntp.site.test", "display.language": "en"},
        "phone_model_pvalues": {"GXV3370": {"display.language": "de"}, "GXV3380": {"time.zone": "EST5EDT"}},
        "phone_group_pvalues": {"display.language": "fr"}})  # the group layer wins over the model layer
    phones.reset_counters()
    with_layer = run_in(tmp_path, "model-layer", layered)
    assert with_layer.rc == 0, with_layer
    applied = [pvalues(phones, index) for index in range(3)]
    assert [state["language"] for state in applied] == ["fr", "fr", "fr"]
    assert [state["zone"] for state in applied] == ["GMT", "EST5EDT", "GMT"]
    layer_counts = [phones.counters(index) for index in range(3)]
    phones.reset_counters()
    check = run_in(tmp_path, "model-layer-check", layered, "--check")
    assert check.rc == 0 and all(check.changed_count("phone%d" % index) == 0 for index in range(3)), check
    check_counts = [phones.counters(index) for index in range(3)]

    # The same phones from the factory state, each given its merged values without a model layer.
    phones.reset()
    merged_site = {"ntp.server": "ntp.site.test", "display.language": "fr"}
    flat = inventory_for(phones, "http", extra_vars={"phone_pvalues": merged_site})
    flat["all"]["children"]["phones"]["hosts"]["phone1"]["phone_host_pvalues"] = {"time.zone": "EST5EDT"}
    without_layer = run_in(tmp_path, "no-model-layer", flat)
    assert without_layer.rc == 0, without_layer
    assert [pvalues(phones, index) for index in range(3)] == applied
    assert [phones.counters(index) for index in range(3)] == layer_counts
    phones.reset_counters()
    flat_check = run_in(tmp_path, "no-model-layer-check", flat, "--check")
    assert flat_check.rc == 0, flat_check
    assert [phones.counters(index) for index in range(3)] == check_counts
    assert all(counts["writes"] == 0 for counts in check_counts)


@pytest.mark.dialect("guide", reason="a current-firmware phone names its model in model.define.js, whatever P89 says")
def test_a_phone_reporting_no_model_fails_naming_the_variable(phones, tmp_path):
    """No model to choose the entry of phone_model_pvalues: the phone fails, named, with nothing written; the
    others are applied."""
    phones.set_pvalues(0, {"P89": ""})
    inventory = inventory_for(phones, "http", extra_vars={
        "phone_pvalues": {"ntp.server": "ntp.site.test"},
        "phone_model_pvalues": {"GXV3380": {"time.zone": "EST5EDT"}}})
    phones.reset_counters()
    run = run_playbook(tmp_path, ROLE_PLAY, inventory)
    assert run.rc != 0
    failed = role_part(run, "phone0", "pvalues")
    assert failed["_status"] == "failed"
    assert failed["msg"] == ("127.0.0.1:%d: phone_model_pvalues is set, but the phone reported no model to "
                             "choose its entry (P89 is empty): set gs_model for this phone" % phones.ports[0])
    assert phones.counters(0)["writes"] == 0
    assert pvalues(phones, 1)["zone"] == "EST5EDT" and run.stats["phone1"]["failures"] == 0


def test_the_lookup_hands_the_layers_apart_templated(phones, tmp_path):
    """layers=true: the layer variables the host has (templated, the listed named layers included), not merged."""
    inventory = layered_inventory(phones, phone_group_pvalues={"time.zone": "{{ 'UTC' }}"})
    task = {"name": "layers", "ansible.builtin.debug": {
        "msg": "{{ query('grandstream.phone.desired_pvalues', layers=true)[0] }}"}}
    run = run_playbook(tmp_path, [{"hosts": "phones", "gather_facts": False, "tasks": [task]}], inventory)
    assert run.rc == 0, run
    layers = run.result("phone1", "layers")["msg"]
    assert layers["phone_group_pvalues"] == {"time.zone": "UTC"}
    assert layers["phone_model_pvalues"]["GXV3380"] == {"time.zone": "EST5EDT"}
    assert layers["phone_pvalues_layers"] == ["phone_layer_sales", "phone_layer_floor2"]
    assert layers["phone_layer_floor2"]["time.zone"] == "CET-1CEST" and "phone_layer_sales" in layers
    assert "phone_layer_sales" not in run.result("phone2", "layers")["msg"]  # phone2 is not in sales
