"""plugin_utils/ansible_vars.py through ansible-playbook, on every ansible-core `make matrix-ends` runs (2.16, 2.21).

gs_fleet reads each host's variables as hostvars shows them: plain values as they are, templates rendered as that
host (a templated admin password logs in, a P-value templated from a host variable compares as its value), and
never a play variable. gs_validate's view of the other hosts (play vars included) is in test_gs_validate.py.
"""

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.integration.test_drift_fleet import playbook

FLEET_TASK = "Drift check of the batch"
phones, factory_phones = emulator_fixtures(count=2, protocol="http")


def _fleet_play(**play_vars):
    text = playbook("drift_fleet.yml")
    if play_vars:
        text = text.replace("  gather_facts: false\n", "  gather_facts: false\n  vars: %s\n" % play_vars, 1)
    return text


def _templated_inventory(phones):
    inventory = inventory_for(phones, "http", extra_vars={
        "site_admin_password": "admin",
        "gs_password": "{{ site_admin_password }}",  # a template in group_vars: rendered, or no login works
        "phone_pvalues": {"time.format": "24h"},
    })
    for index, host in enumerate(inventory["all"]["children"]["phones"]["hosts"].values()):
        host["desk_ntp"] = "ntp%d.site.test" % index
        host["phone_host_pvalues"] = {"ntp.server": "{{ desk_ntp }}"}  # rendered as each host
    return inventory


def test_fleet_renders_templated_inventory_variables_as_each_host(phones, tmp_path):
    inventory = _templated_inventory(phones)
    provisioned = run_playbook(tmp_path, playbook("provision.yml"), inventory, name="provision")
    assert provisioned.rc == 0, provisioned
    assert [phones.state(index)["pvalues"]["P30"] for index in range(2)] == ["ntp0.site.test", "ntp1.site.test"]
    phones.reset_counters()
    # Not provision's sessions: the fleet logs in with the rendered password.
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results", "GS_SESSION_CACHE_DIR": str(tmp_path / "fleet-sessions")}
    run = run_playbook(tmp_path, _fleet_play(), inventory, "-e", "fail_on_drift=true", name="fleet", env=env)
    assert run.rc == 0, run
    fleet = run.result("phone0", FLEET_TASK)
    assert fleet["clean_hosts"] == ["phone0", "phone1"], fleet["msg"]
    for index in range(2):
        counters = phones.counters(index)
        assert (counters["logins"], counters["failed_logins"], counters["writes"]) == (1, 0, 0), counters

    # One phone drifts to the other phone's server: only a value rendered as its own host tells them apart.
    phones.set_pvalues(1, {"P30": "ntp0.site.test"})
    again = run_playbook(tmp_path, _fleet_play(), inventory, name="fleet-drifted", env=env)
    assert again.rc == 0, again
    drifted = again.result("phone0", FLEET_TASK)
    assert drifted["drifted_hosts"] == ["phone1"] and drifted["clean_hosts"] == ["phone0"], drifted["msg"]
    changes = drifted["fleet"]["phone1"]["results"]["gs_pvalues"]["changes"]
    assert list(changes) == ["ntp.server"], changes
    assert (changes["ntp.server"]["before"], changes["ntp.server"]["after"]) == ("ntp0.site.test", "ntp1.site.test")


def test_fleet_does_not_see_play_vars(phones, tmp_path):
    inventory = inventory_for(phones, "http", extra_vars={"phone_pvalues": {"time.format": "24h"}})
    provisioned = run_playbook(tmp_path, playbook("provision.yml"), inventory, name="provision")
    assert provisioned.rc == 0, provisioned
    phones.reset_counters()
    # A play variable that would drift every phone, were it seen.
    play = _fleet_play(phone_pvalues={"time.format": "12h"})
    run = run_playbook(tmp_path, play, inventory, name="fleet", env={"ANSIBLE_CALLBACKS_ENABLED": "record_results"})
    assert run.rc == 0, run
    fleet = run.result("phone0", FLEET_TASK)
    assert fleet["clean_hosts"] == ["phone0", "phone1"] and fleet["drifted_hosts"] == [], fleet["msg"]
    assert all(phones.counters(index)["writes"] == 0 for index in range(2))
