"""gs_validate over a whole play in one task (hosts + run_once), as the role runs it, through ansible-playbook."""

import json
import os

from tests.helpers.ansible_run import ROOT, inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

PHONES = 3
VALIDATE_TASK = "grandstream.phone.phone : Validate the desired state of every phone before touching any"
SECRET = "Bad Secret 7f3"  # a space: the schema refuses it, and the message must not quote it
phones, factory_phones = emulator_fixtures(count=PHONES, protocol="http")


def provision_play(**play_vars):
    with open(os.path.join(ROOT, "playbooks", "provision.yml"), encoding="utf-8") as handle:
        text = handle.read()
    if play_vars:
        # Play-level variables, which hostvars alone would not show for the other hosts.
        text = text.replace("  gather_facts: false\n", "  gather_facts: false\n  vars: %s\n" % play_vars, 1)
    return text


def test_one_task_reports_every_hosts_problems_before_any_phone_is_touched(phones, tmp_path):
    inventory = inventory_for(phones, "http", extra_vars={"phone_pvalues": {"ntp.server": "ntp.site.test"}})
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    hosts["phone1"]["phone_host_pvalues"] = {"time.format": "25h"}
    hosts["phone2"]["phone_admin_password"] = SECRET
    # A play variable templated per host: wrong only for phone2, so each host's own view is what is checked.
    play_text = provision_play(phone_groups_state="{{ 'present' if inventory_hostname == 'phone2' else 'merged' }}")
    phones.reset_counters()
    report_dir = tmp_path / "report"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir)}
    run = run_playbook(tmp_path, play_text, inventory, name="invalid", env=env)
    assert run.rc != 0, run
    failure = run.result("phone0", VALIDATE_TASK)
    assert sorted(failure["problems"]) == ["phone1", "phone2"] and len(failure["problems"]["phone2"]) == 2
    assert failure["stopped_hosts"] == ["phone0", "phone1", "phone2"]
    # The drift report puts each problem on its own phone, and shows the valid phone as stopped too.
    report = json.loads((report_dir / "drift.json").read_text())["phones"]
    assert {host: phone["status"] for host, phone in report.items()} == dict.fromkeys(failure["stopped_hosts"],
                                                                                      "failed")
    assert "time.format" in report["phone1"]["errors"][0]["message"]
    assert "phone_groups_state" in report["phone2"]["errors"][0]["message"]
    assert "another phone's variables are invalid" in report["phone0"]["errors"][0]["message"]
    assert SECRET not in (report_dir / "drift.json").read_text()
    message = failure["msg"]
    assert "3 problem(s)" in message and "nothing was sent to any phone" in message
    assert "phone1: phone_host_pvalues" in message and "time.format" in message
    assert "phone2: phone_admin_password" in message and "phone2: phone_groups_state" in message
    assert "phone0:" not in message
    assert SECRET not in run.stdout + run.stderr
    # The validation ran once for the play, and nothing reached any phone.
    assert [host for host, tasks in run.results.items() if VALIDATE_TASK in tasks] == ["phone0"]
    for index in range(PHONES):
        assert phones.counters(index)["requests"] == 0, index


def test_a_valid_play_is_validated_once_for_all_hosts(phones, tmp_path):
    inventory = inventory_for(phones, "http", extra_vars={"phone_groups": [{"name": "Sales"}]})
    run = run_playbook(tmp_path, provision_play(), inventory, name="valid")
    assert run.rc == 0, run
    validated = run.result("phone0", VALIDATE_TASK)
    assert validated["validated_hosts"] == ["phone0", "phone1", "phone2"]
    assert "phone_groups" in validated["validated"] and "gs_password" in validated["validated"]
    assert all(phones.state(index)["groups"][-1]["name"] == "Sales" for index in range(PHONES))


def test_data_and_hosts_together_are_refused(phones, tmp_path):
    task = {"name": "both", "grandstream.phone.gs_validate": {"data": {}, "hosts": ["phone0"]}}
    run = run_playbook(tmp_path, play(task), inventory_for(phones, "http", count=1), name="both")
    assert run.rc != 0
    assert "data and hosts are mutually exclusive" in run.result("phone0", "both")["msg"]


def test_an_unknown_host_is_named(phones, tmp_path):
    task = {"name": "unknown", "grandstream.phone.gs_validate": {"hosts": ["phone0", "nowhere"]}}
    run = run_playbook(tmp_path, play(task), inventory_for(phones, "http", count=1), name="unknown")
    assert run.rc != 0
    assert "'nowhere' is not a host of this inventory" in run.result("phone0", "unknown")["msg"]
