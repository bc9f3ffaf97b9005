"""Fleet health in the drift report: playbooks/drift.yml -e health=true against three emulated phones.

phone0 (GXV3370) is well; phone1 (GXV3380) has account 1 configured but not active, so not registered;
phone2 (GXV3350, 1.0.3.40 on guide firmware, 1.0.3.35 on current) is behind its desired firmware. None of them
drifted.
"""

import json
import os
import xml.etree.ElementTree as ET

import pytest

from tests.helpers.ansible_run import ROOT, inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

PLAYBOOKS = os.path.join(ROOT, "playbooks")
BEHIND_TARGET = "1.0.5.0"

phones, factory_phones = emulator_fixtures(count=3, protocol="http", extra_args=["--models", "GXV3370,GXV3380,GXV3350"])


def firmware_desired(phones):
    """phone0 and phone1 on the version they run (the guide-era one, or the current dialect's), phone2 behind."""
    return {"GXV3370": phones.dialect(0)["firmware"], "GXV3380": phones.dialect(1)["firmware"],
            "GXV3350": {"version": BEHIND_TARGET}}


def inventory(phones):
    result = inventory_for(phones, extra_vars={"firmware_desired": firmware_desired(phones)})
    for index, host_vars in enumerate(result["all"]["children"]["phones"]["hosts"].values()):
        host_vars["phone_pvalues"] = {"account1.active": index != 1, "account1.sip_server": "pbx.site.test",
                                      "account1.sip_user_id": "10%d" % index, "ntp.server": "ntp.site.test"}
    return result


def drift(phones, tmp_path, *args, name="drift"):
    report_dir = tmp_path / ("report-" + name)
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir)}
    text = open(os.path.join(PLAYBOOKS, "drift.yml")).read()
    return run_playbook(tmp_path, text, inventory(phones), *args, name=name, env=env), report_dir


@pytest.fixture
def provisioned(phones, tmp_path):
    run = run_playbook(tmp_path, open(os.path.join(PLAYBOOKS, "provision.yml")).read(), inventory(phones),
                       name="provision")
    assert run.rc == 0, run
    phones.reset_counters()
    return phones


def test_health_is_its_own_kind_in_every_format_and_costs_one_request_per_phone(provisioned, tmp_path):
    phones = provisioned
    plain = drift(phones, tmp_path, name="plain")[0]
    assert plain.rc == 0, plain
    without = [phones.counters(index) for index in range(3)]
    phones.reset_counters()
    run, report_dir = drift(phones, tmp_path, "-e", "health=true", name="health")
    assert run.rc == 0, run
    for index in range(3):
        counters = phones.counters(index)
        # Only when asked for, and then exactly one request more: api-get_accounts.
        assert "api-get_accounts" not in without[index]["by_endpoint"]
        assert counters["by_endpoint"]["api-get_accounts"] == 1
        assert counters["requests"] == without[index]["requests"] + 1
        assert counters["writes"] == 0 and counters["failed_logins"] == 0

    data = json.loads((report_dir / "drift.json").read_text())
    assert data["summary"]["drifted"] == 0 and data["summary"]["clean"] == 3
    assert data["summary"]["healthy"] == 1 and data["summary"]["unhealthy"] == 2
    health = {host: phone["health"] for host, phone in data["phones"].items()}
    assert health["phone0"]["status"] == "healthy" and health["phone0"]["problems"] == []
    running = phones.dialect(0)["firmware"]
    assert health["phone0"]["firmware"] == {"status": "on_target", "version": running, "model": "GXV3370"}
    assert health["phone1"]["problems"] == ["account 1 (101@pbx.site.test) is not registered"]
    assert health["phone2"]["problems"] == [
        "firmware: runs %s, behind the target 1.0.5.0; path: 1.0.5.0" % phones.dialect(2)["firmware"]]

    markdown = (report_dir / "drift.md").read_text()
    assert "## Health" in markdown and "1 healthy, 2 unhealthy." in markdown
    assert "| phone1 | unhealthy | account 1 (101@pbx.site.test) is not registered |" in markdown
    assert "| phone0 | healthy |  |" in markdown

    suites = {suite.get("name"): suite for suite in ET.parse(report_dir / "drift.junit.xml").getroot()}
    assert suites["phone drift"].get("failures") == "0"
    assert suites["phone health"].get("failures") == "2"
    cases = {case.get("name"): case for case in suites["phone health"].iter("testcase")}
    assert cases["phone0"].find("failure") is None
    assert "behind the target 1.0.5.0" in cases["phone2"].find("failure").text

    page = (report_dir / "drift.html").read_text()
    assert page.count('<span class="badge unhealthy">unhealthy</span>') == 2
    # The clean and healthy phone is collapsed with the clean ones; a clean but unhealthy one keeps its section.
    assert '<summary>1 clean</summary><ul class="names"><li class="clean-phone">phone0</li></ul>' in page
    assert '<section class="phone" data-host="phone0"' not in page


def test_fail_on_health_fails_the_run_naming_the_unhealthy_phones_and_fail_on_drift_does_not(provisioned, tmp_path):
    run = drift(provisioned, tmp_path, "-e", "health=true", "-e", "fail_on_drift=true", name="drift-only")[0]
    assert run.rc == 0, run
    run = drift(provisioned, tmp_path, "-e", "health=true", "-e", "fail_on_health=true", name="health-fails")[0]
    assert run.rc != 0
    assert "Phones with health problems: phone1, phone2" in run.stdout


def test_a_phone_the_health_check_never_reached_is_unhealthy_with_the_reason(provisioned, tmp_path):
    provisioned.faults(2, {"down": True})
    run, report_dir = drift(provisioned, tmp_path, "-e", "health=true", name="down")
    assert run.rc != 0
    health = json.loads((report_dir / "drift.json").read_text())["phones"]["phone2"]["health"]
    assert health["status"] == "unhealthy" and health["problems"][0].startswith("not checked: ")
    assert "refused" in health["problems"][0]
