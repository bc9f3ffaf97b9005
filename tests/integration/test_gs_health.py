"""gs_health on its own: registration, firmware, reachability, pending reboots; never a write."""

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.dialect_requests import VALUES_READ
from tests.helpers.emulator_proc import emulator_fixtures

phones, factory_phones = emulator_fixtures(count=1, protocol="http", extra_args=["--models", "GXV3370"])
REGISTERED = {"P271": "1", "P47": "pbx.test", "P35": "1001"}


def health_task(**options):
    return {"name": "health", "grandstream.phone.gs_health": options}


def test_a_registered_phone_on_target_is_healthy_in_one_request_without_reported(phones, tmp_path):
    phones.set_pvalues(0, REGISTERED)
    running = phones.dialect(0)["firmware"]  # the guide-era version, or the current dialect's
    run = run_playbook(tmp_path, play(health_task(firmware={"GXV3370": running}, reboot_pending=False)),
                       inventory_for(phones), "--check")
    assert run.rc == 0, run
    result = run.result("phone0", "health")
    assert result["healthy"] is True and result["changed"] is False and result["msg"] == "healthy"
    assert result["accounts"][0] == {"id": 1, "sip_server": "pbx.test", "sip_id": "1001", "name": "",
                                     "registered": True}
    assert result["firmware"]["status"] == "on_target"
    by_endpoint = phones.counters(0)["by_endpoint"]
    # Without `reported` the version costs one values read; with it, none (see the drift test).
    assert by_endpoint["api-get_accounts"] == 1 and by_endpoint[VALUES_READ[phones.dialect(0)["dialect"]]] == 1
    assert phones.counters(0)["writes"] == 0


def test_an_expected_account_that_is_missing_or_unregistered_is_a_problem(phones, tmp_path):
    phones.set_pvalues(0, REGISTERED)
    run = run_playbook(tmp_path, play(health_task(accounts_expected=[1, 2, 9])), inventory_for(phones))
    assert run.rc == 0, run
    assert run.result("phone0", "health")["problems"] == [
        "account 2 (?@?) is not registered", "account 9 is expected registered but the phone does not list it"]


def test_an_unreachable_phone_is_reported_unhealthy_not_failed(phones, tmp_path):
    phones.faults(0, {"down": True})
    run = run_playbook(tmp_path, play(health_task()), inventory_for(phones, extra_vars={"gs_retries": 0}))
    assert run.rc == 0, run
    result = run.result("phone0", "health")
    assert result["reachable"] is False and result["healthy"] is False
    assert result["problems"][0].startswith("unreachable: ") and "refused" in result["problems"][0]


def test_a_reboot_marker_left_by_gs_pvalues_is_a_health_problem(phones, tmp_path):
    # gs_pvalues leaves the marker when it writes the web access mode (needs a reboot); no reboot follows.
    run = run_playbook(tmp_path, play({"name": "pv", "grandstream.phone.gs_pvalues": {"values": {"P1650": 1}}},
                                      health_task(accounts=False)), inventory_for(phones))
    assert run.rc == 0, run
    result = run.result("phone0", "health")
    assert result["reboot_pending"] is True and result["problems"][0].startswith("reboot pending")
    assert "api-get_accounts" not in phones.counters(0)["by_endpoint"]
