"""gs_fleet through ansible-playbook and playbooks/drift_fleet.yml: one task checks the whole batch.

Nine phones: phone1's variables are invalid, phone2 / phone3 / phone4 drifted (a P-value, a contact's number, a
deleted group), phone5 is down, phone6 has a wrong password in the inventory; phone0, phone7 and phone8 are
clean. The report lists exactly that, nothing is written, each phone costs at most one login, and the wrong
password costs one failed login in the first run and none in the next.
"""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.integration.test_drift_fleet import SITE_VARS, drift_apart, playbook

PHONES = 9
INVALID, PVALUE, CONTACT, GROUP, DOWN, WRONG_PASSWORD = 1, 2, 3, 4, 5, 6
CLEAN = (0, 7, 8)
FLEET_TASK = "Drift check of the batch"
STOP_TASK = "Fail the phones the check could not compare or found drifted"
phones, factory_phones = emulator_fixtures(count=PHONES, protocol="http")


def _name(index):
    return "phone%d" % index


def _drift_run(tmp_path, inventory, name, *args, processes=0):
    report_dir = tmp_path / ("report-" + name)
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir), "ANSIBLE_TIMEOUT": "5",
           # Not provision's sessions: the first drift run logs in to every phone it reaches.
           "GS_SESSION_CACHE_DIR": str(tmp_path / "fleet-sessions")}
    run = run_playbook(tmp_path, playbook("drift_fleet.yml"), inventory, "-e", "fleet_forks=4",
                       "-e", "fleet_processes=%d" % processes, *args, name=name, env=env)
    return run, report_dir


# 0: the default, one process for a batch this small; 2: the batch spread over two forked processes (the phones
# dealt alternately), which must report, log in and remember refusals exactly as one process does.
@pytest.mark.parametrize("processes", [0, 2])
def test_one_fleet_task_reports_every_phone_as_drift_yml_does_and_writes_nothing(phones, tmp_path, processes):
    inventory = inventory_for(phones, "http", extra_vars=dict(SITE_VARS, gs_retries=0, gs_timeout=3))
    provisioned = run_playbook(tmp_path, playbook("provision.yml"), inventory, name="provision")
    assert provisioned.rc == 0, provisioned
    drift_apart(phones)
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    hosts[_name(INVALID)]["phone_host_contacts"] = [{"first_name": "Yan", "work": "sip:yan@pbx"}]
    hosts[_name(WRONG_PASSWORD)]["gs_password"] = "not-the-password"
    phones.reset_counters()
    run, report_dir = _drift_run(tmp_path, inventory, "fleet", "-e", "fail_on_drift=true", processes=processes)

    assert run.rc == 2, run  # the failed phones' own lines
    fleet = run.result(_name(0), FLEET_TASK)
    assert fleet["_status"] == "ok"
    assert fleet["processes"] == (processes or 1)
    # One task for the batch: no other host ran it.
    assert all(FLEET_TASK not in run.results.get(_name(index), {}) for index in range(1, PHONES))
    for index in range(PHONES):
        counters = phones.counters(index)
        assert counters["writes"] == 0, index
        assert counters["logins"] <= 1, (index, counters)
    for index in CLEAN + (PVALUE, CONTACT, GROUP):
        assert phones.counters(index)["logins"] == 1, index  # one client per phone: one login for both engines
    assert phones.counters(INVALID)["requests"] == 0
    assert (phones.counters(WRONG_PASSWORD)["failed_logins"], phones.counters(WRONG_PASSWORD)["logins"]) == (1, 0)

    expected = {_name(INVALID): "failed", _name(WRONG_PASSWORD): "failed", _name(DOWN): "unreachable"}
    expected.update((_name(index), "drifted") for index in (PVALUE, CONTACT, GROUP))
    expected.update((_name(index), "clean") for index in CLEAN)
    assert {host: entry["status"] for host, entry in fleet["fleet"].items()} == expected
    assert fleet["drifted_hosts"] == [_name(PVALUE), _name(CONTACT), _name(GROUP)]
    assert fleet["failed_hosts"] == [_name(INVALID), _name(WRONG_PASSWORD)]
    assert fleet["unreachable_hosts"] == [_name(DOWN)]
    assert "not-the-password" not in json.dumps(fleet)
    # Each failed, unreachable and (fail_on_drift) drifted phone fails on its own line, with its own message; no
    # other phone does, and no other phone runs a task of its own.
    stopped = {host for host, tasks in run.results.items()
               if STOP_TASK in tasks and tasks[STOP_TASK][-1]["_status"] == "failed"}
    assert stopped == {_name(index) for index in (INVALID, WRONG_PASSWORD, DOWN, PVALUE, CONTACT, GROUP)}
    assert all(STOP_TASK not in run.results.get(_name(index), {}) for index in CLEAN)
    assert "sip:yan@pbx" in run.result(_name(INVALID), STOP_TASK)["msg"]
    assert "refused" in run.result(_name(WRONG_PASSWORD), STOP_TASK)["msg"]
    assert run.result(_name(PVALUE), STOP_TASK)["msg"] == "differs from its desired state (fail_on_drift)"

    report = json.loads((report_dir / "drift.json").read_text())
    assert {host: phone["status"] for host, phone in report["phones"].items()} == expected
    summary = report["summary"]
    assert (summary["failed"], summary["unreachable"], summary["drifted"], summary["clean"]) == (2, 1, 3, 3)
    phone = report["phones"]
    assert "sip:yan@pbx" in phone[_name(INVALID)]["errors"][0]["message"]
    assert "refused" in phone[_name(WRONG_PASSWORD)]["errors"][0]["message"]
    assert "connection refused" in phone[_name(DOWN)]["errors"][0]["message"]
    assert any(row["item"].startswith("ntp.server") and row["after"] == "ntp.site.test"
               for row in phone[_name(PVALUE)]["differences"])
    assert "7002" in json.dumps(phone[_name(CONTACT)]["differences"])
    assert "Support" in json.dumps(phone[_name(GROUP)]["differences"])
    for index in CLEAN:
        assert phone[_name(index)]["differences"] == [] and phone[_name(index)]["errors"] == []
    suite = ET.parse(report_dir / "drift.junit.xml").getroot().find("testsuite")
    assert (suite.get("errors"), suite.get("failures")) == ("3", "3")
    assert "3 clean, 2 failed, 1 unreachable." in (report_dir / "drift.md").read_text()

    # The next run does not send the refused password again: no failed login, and the phone is still reported.
    phones.reset_counters()
    again, report_dir = _drift_run(tmp_path, inventory, "fleet-again", processes=processes)
    assert phones.counters(WRONG_PASSWORD)["failed_logins"] == 0
    assert phones.counters(WRONG_PASSWORD)["requests"] == 0
    assert again.result(_name(0), FLEET_TASK)["fleet"][_name(WRONG_PASSWORD)]["status"] == "failed"
    assert all(phones.counters(index)["writes"] == 0 for index in range(PHONES))


SIP_ONE = "S1p&Fleet=One@P:w/!"
SIP_TWO = "S2p Fleet=Two&P@ss:w/d!"
ADMIN = "Adm1n&Fleet=K@q:v/!"


@pytest.mark.parametrize("processes", [1, 2])
def test_each_phone_is_scrubbed_with_its_own_secrets_even_at_vvv(phones, tmp_path, processes):
    """Two phones, each with its own SIP password (one of them drifted to another), a shared admin password; with
    two processes each phone is checked and scrubbed in a child of its own, whose log the task shows at -vvv."""
    from tests.reliability.support import find_leaks, read_tree

    inventory = inventory_for(phones, "http", count=2, extra_vars={"phone_pvalues": {"account1.sip_user_id": "1001"}})
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    hosts["phone0"]["phone_host_pvalues"] = {"account1.password": SIP_ONE}
    hosts["phone1"]["phone_host_pvalues"] = {"account1.password": SIP_TWO}
    hosts["phone1"]["phone_admin_password"] = ADMIN
    provisioned = run_playbook(tmp_path, playbook("provision.yml"), inventory, name="provision")
    assert provisioned.rc == 0, provisioned
    phones.set_pvalues(1, {"P35": "2002"})  # account1.sip_user_id drifted on phone1
    phones.reset_counters()
    report_dir = tmp_path / "report"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir)}
    run = run_playbook(tmp_path, playbook("drift_fleet.yml"), inventory, "-vvv", "-e", "fleet_processes=%d" % processes,
                       name="fleet", env=env)
    assert run.rc == 0, run
    fleet = run.result("phone0", FLEET_TASK)
    assert fleet["drifted_hosts"] == ["phone1"] and fleet["clean_hosts"] == ["phone0"]
    assert fleet["processes"] == processes
    for index in range(2):  # each phone's requests are in the -vvv log, wherever they were sent from
        assert "grandstream.phone: 127.0.0.1:%d GET " % phones.ports[index] in run.stdout, index
    assert all(phones.counters(index)["writes"] == 0 for index in range(2))
    texts = {"stdout": run.stdout, "stderr": run.stderr}
    texts.update(read_tree(str(report_dir)))
    texts.update(read_tree(str(tmp_path / "sessions")))
    assert find_leaks((SIP_ONE, SIP_TWO, ADMIN), texts) == []


def test_a_model_layer_without_gs_model_is_merged_for_the_model_the_phone_reports(phones, tmp_path):
    """No gs_model: gs_pvalues learns each phone's model in its own read, as in the role, and compares the model
    layer of that model (phone0 is a GXV3370, phone1 a GXV3380), with no request more than without the layer."""
    inventory = inventory_for(phones, "http", count=2, extra_vars={
        "phone_pvalues": {"ntp.server": "ntp.site.test"},
        "phone_model_pvalues": {"GXV3370": {"ntp.server": "ntp.model.test"}}})
    phones.reset_counters()
    run, unused = _drift_run(tmp_path, inventory, "layers")
    assert run.rc == 0, run
    fleet = run.result(_name(0), FLEET_TASK)
    assert fleet["drifted_hosts"] == ["phone0", "phone1"], fleet["msg"]
    wanted = {host: fleet["fleet"][host]["results"]["gs_pvalues"]["changes"]["ntp.server"]["after"]
              for host in ("phone0", "phone1")}
    assert wanted == {"phone0": "ntp.model.test", "phone1": "ntp.site.test"}
    assert fleet["fleet"]["phone0"]["results"]["gs_pvalues"]["model_layer"] == "GXV3370"
    assert [phones.counters(index)["writes"] for index in range(2)] == [0, 0]


def test_a_host_whose_variables_cannot_be_read_fails_alone_and_the_others_are_checked(phones, tmp_path):
    """A template of an undefined variable in one host's desired state: that phone is reported failed with
    Ansible's message and gets no request; the rest of the batch is still compared (one login each)."""
    inventory = inventory_for(phones, "http", count=3, extra_vars={"phone_pvalues": {"time.format": "24h"}})
    inventory["all"]["children"]["phones"]["hosts"]["phone1"]["phone_host_pvalues"] = "{{ no_such_variable }}"
    provisioned = run_playbook(tmp_path, playbook("provision.yml"), inventory, "--limit", "phone0,phone2",
                               name="provision")
    assert provisioned.rc == 0, provisioned
    phones.reset_counters()
    run, unused = _drift_run(tmp_path, inventory, "unreadable", processes=2)
    assert run.rc == 2, run  # phone1 fails on its own line
    fleet = run.result(_name(0), FLEET_TASK)
    assert fleet["processes"] == 2
    assert fleet["failed_hosts"] == ["phone1"] and fleet["clean_hosts"] == ["phone0", "phone2"], fleet["msg"]
    assert "no_such_variable" in fleet["fleet"]["phone1"]["msg"]
    assert phones.counters(1)["requests"] == 0
    assert [phones.counters(index)["logins"] for index in (0, 2)] == [1, 1]
    assert all(phones.counters(index)["writes"] == 0 for index in range(3))
