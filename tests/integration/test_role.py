"""The phone role and the fleet playbooks against five emulated phones, through real ansible-playbook."""

import json
import os
import xml.etree.ElementTree as ET


from tests.helpers.ansible_run import ROOT, inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.phone_http import phone_login
from tests.helpers.role_results import FAIL_TASK, PHONE_TASK, role_part

PLAYBOOKS = os.path.join(ROOT, "playbooks")
PHONES = 5
SITE_VARS = {
    "phone_pvalues": {"ntp.server": "ntp.site.test", "time.zone": "CET-1CEST", "time.format": "24h",
                      "account1.active": True, "account1.sip_server": "pbx.site.test",
                      "account1.password": "Sip-Secret-9f3"},
    "phone_groups": [{"name": "Sales"}, {"name": "Support"}],
    "phone_contacts": [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "1001"},
                       {"first_name": "Ada", "last_name": "King", "group": "Support", "mobile": "+44 20 7946 0000"}],
}
# config_update: the current dialect's values write.
WRITE_ENDPOINTS = ("api-values.post", "api.values.post", "config_update", "api-add_group",
                   "api-edit_delete_group", "api-save_edit_contact", "api-delete_contact", "api-delete_all_contact",
                   "api-change_password")


def fleet_inventory(phones, **extra):
    inventory = inventory_for(phones, "http", extra_vars=dict(SITE_VARS, **extra))
    for index, (host, host_vars) in enumerate(sorted(inventory["all"]["children"]["phones"]["hosts"].items())):
        host_vars["phone_pvalues"] = dict(SITE_VARS["phone_pvalues"], **{"account1.sip_user_id": "10%d" % index})
    return inventory


def writes(phones, index):
    by_endpoint = phones.counters(index)["by_endpoint"]
    return sum(by_endpoint.get(name, 0) for name in WRITE_ENDPOINTS)


phones, factory_phones = emulator_fixtures(count=PHONES, protocol="http")


def provision(tmp_path, phones, *args, inventory=None, name="provision", env=None):
    return run_playbook(tmp_path, open(os.path.join(PLAYBOOKS, "provision.yml")).read(),
                        inventory or fleet_inventory(phones), *args, name=name, env=env)


def test_provision_then_nothing_to_do(phones, tmp_path):
    first = provision(tmp_path, phones)
    assert first.rc == 0, first
    for index in range(PHONES):
        host = "phone%d" % index
        assert first.changed_count(host) == 1  # the role's one task for the phonebook, P-values and passwords
        assert role_part(first, host, "phonebook")["changed"] and role_part(first, host, "pvalues")["changed"]
        state = phones.state(index)
        assert state["pvalues"]["P30"] == "ntp.site.test" and state["pvalues"]["P35"] == "10%d" % index
        assert state["pvalues"]["P34"] == "Sip-Secret-9f3"
        assert {g["name"] for g in state["groups"]} >= {"Sales", "Support"}
    phones.reset_counters()
    second = provision(tmp_path, phones, name="again")
    assert second.rc == 0, second
    for index in range(PHONES):
        assert second.changed_count("phone%d" % index) == 0
        assert writes(phones, index) == 0
        # One play, one login per phone (the session cache carries it across the role's tasks).
        assert phones.counters(index)["logins"] <= 1
    assert "Sip-Secret-9f3" not in first.stdout + second.stdout


def test_drift_report_names_exactly_the_drifted_phone_and_key(phones, tmp_path):
    assert provision(tmp_path, phones).rc == 0
    phones.set_pvalues(3, {"P30": "rogue.ntp.test"})
    phones.reset_counters()
    report_dir = tmp_path / "report"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir)}
    drift_play = open(os.path.join(PLAYBOOKS, "drift.yml")).read()
    run = run_playbook(tmp_path, drift_play, fleet_inventory(phones), name="drift", env=env)
    assert run.rc == 0, run
    data = json.loads((report_dir / "drift.json").read_text())
    drifted = {host for host, phone in data["phones"].items() if phone["status"] == "drifted"}
    assert drifted == {"phone3"}
    items = [row["item"] for row in data["phones"]["phone3"]["differences"]]
    assert len(items) == 1 and "P30" in items[0]
    assert "rogue.ntp.test" in (report_dir / "drift.md").read_text()
    junit = ET.parse(report_dir / "drift.junit.xml").getroot()
    failed = [case.get("name") for case in junit.iter("testcase") if case.find("failure") is not None]
    assert failed == ["phone3"]
    assert "<script" not in (report_dir / "drift.html").read_text()
    for index in range(PHONES):
        assert writes(phones, index) == 0  # check mode touched nothing
    assert phones.state(3)["pvalues"]["P30"] == "rogue.ntp.test"
    # A second kind of drift: phone1 should hold one more contact (the phonebook task's result).
    strict_inventory = fleet_inventory(phones)
    strict_inventory["all"]["children"]["phones"]["hosts"]["phone1"]["phone_host_contacts"] = [
        {"first_name": "Night", "last_name": "Desk", "work": "199"}]
    strict = run_playbook(tmp_path, drift_play, strict_inventory, "-e", "fail_on_drift=true",
                          name="drift-strict", env=env)
    assert strict.rc != 0
    assert strict.result("phone0", "Fail on drift")["msg"] == (
        "Phones that differ from their desired state: phone1, phone3")
    assert writes(phones, 1) == 0


def test_bad_variables_are_all_listed_and_nothing_is_written(phones, tmp_path):
    inventory = fleet_inventory(phones)
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    hosts["phone1"]["phone_contacts"] = [{"first_name": "", "email": "not-an-email"}]
    hosts["phone2"]["phone_pvalues"] = {"time.format": "25h", "no.such.alias": "x"}
    run = provision(tmp_path, phones, inventory=inventory)
    assert run.rc != 0
    # Each host fails with its own problems, every one of them (both fields of phone1's contact).
    # The role's first task that contacts a phone stops it with the validation's message (stop_message).
    phone1, phone2 = run.result("phone1", PHONE_TASK)["msg"], run.result("phone2", PHONE_TASK)["msg"]
    assert {run.result(host, PHONE_TASK)["error_kind"] for host in ("phone0", "phone1", "phone2")} == {"stopped"}
    assert "phone_contacts[0].first_name must not be empty" in phone1
    assert "phone_contacts[0].email: 'not-an-email' is not an email address" in phone1
    assert "phone_pvalues.time.format: must be one of 12h(0), 24h(1), got '25h'" in phone2
    assert "phone_pvalues.no.such.alias" in phone2 and "phone_contacts" not in phone2
    for index in range(PHONES):
        assert phones.counters(index)["requests"] == 0


def test_rollout_stops_after_a_failed_canary(phones, tmp_path):
    phones.faults(0, {"down": True})  # the canary (first host) cannot be reached
    rollout = open(os.path.join(PLAYBOOKS, "rollout.yml")).read()
    run = run_playbook(tmp_path, rollout, fleet_inventory(phones, gs_retries=0, gs_timeout=2), name="rollout")
    assert run.rc != 0
    for index in range(1, PHONES):
        assert phones.counters(index)["requests"] == 0, "phone%d was touched after the canary failed" % index


def test_role_sets_admin_and_user_passwords_then_stays_unchanged(phones, tmp_path):
    passwords = {"phone_admin_password": "Role-Admin-7x", "phone_user_password": "Role-User-7x",
                 "phone_user_current_password": "123"}
    first = provision(tmp_path, phones, inventory=fleet_inventory(phones, **passwords))
    assert first.rc == 0, first
    for index in range(PHONES):
        assert phones.state(index)["passwords"] == {"admin": "Role-Admin-7x", "user": "Role-User-7x"}
    # The inventory now holds the new admin password for the connection too.
    second = provision(tmp_path, phones, name="again",
                       inventory=fleet_inventory(phones, gs_password="Role-Admin-7x", **passwords))
    assert second.rc == 0, second
    for index in range(PHONES):
        assert second.changed_count("phone%d" % index) == 0
        assert phones.counters(index)["failed_logins"] <= 2  # the two first-run probes, never more
    for secret in ("Role-Admin-7x", "Role-User-7x"):
        assert secret not in first.stdout + second.stdout


def test_a_failed_phonebook_does_not_hold_back_the_pvalues_but_a_refused_login_stops_the_phone(phones, tmp_path):
    inventory = fleet_inventory(phones)
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    hosts["phone0"]["phone_host_contacts"] = [{"first_name": "Zed"}]
    hosts["phone1"]["gs_password"] = "not-the-password"
    # Only the phone can make this fail: it answers every read of its contacts with 503 (more than the retries).
    phones.faults(0, {"fail_next": {"api-get_contacts": ["503"] * 12}})
    try:
        run = provision(tmp_path, phones, inventory=inventory)
    finally:
        phones.faults(0, {})
    assert run.rc != 0
    # phone0: the phonebook failed before writing a contact; the P-values still ran; the phone fails at the end.
    phonebook = role_part(run, "phone0", "phonebook")
    assert phonebook["_status"] == "failed" and "HTTP 503" in phonebook["msg"], phonebook
    assert role_part(run, "phone0", "pvalues")["changed"] is True
    assert phones.state(0)["pvalues"]["P30"] == "ntp.site.test" and phones.state(0)["contacts"] == []
    task = run.result("phone0", PHONE_TASK)
    assert task["_status"] == "failed" and task["changed"] is True and task["failed_parts"] == ["phonebook"]
    assert task["msg"] == phonebook["msg"] + " (the phonebook failed; pvalues still ran)"
    final = run.result("phone0", FAIL_TASK)
    assert final["_status"] == "failed" and final["msg"] == task["msg"]
    assert run.stats["phone0"]["failures"] == 1 and run.stats["phone0"]["rescued"] == 1
    # phone1: the login was refused once, and nothing after it tried the password again.
    assert run.result("phone1", PHONE_TASK)["error_kind"] == "auth"
    assert role_part(run, "phone1", "pvalues")["msg"] == "not run: the phonebook failed first"
    assert phones.counters(1)["failed_logins"] == 1 and phones.counters(1)["writes"] == 0
    # The other phones converge as usual.
    for index in range(2, PHONES):
        assert run.stats["phone%d" % index]["failures"] == 0
        assert phones.state(index)["pvalues"]["P30"] == "ntp.site.test"


def test_the_drift_report_names_a_contact_held_twice_and_provision_removes_the_copy(phones, tmp_path):
    assert provision(tmp_path, phones).rc == 0
    session = phone_login(phones, 2)  # a second controller, or a worker that outlived its controller
    twin = {"firstname": "Jack", "lastname": "Brown", "group": "1", "newphone1": "1001"}
    assert session.get(phones.url(2, "api-save_edit_contact"), params=twin, timeout=10).json()["response"] == "success"
    session.close()
    report_dir = tmp_path / "report"
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir)}
    drift_play = open(os.path.join(PLAYBOOKS, "drift.yml")).read()
    phones.reset_counters()
    run = run_playbook(tmp_path, drift_play, fleet_inventory(phones), name="drift", env=env)
    assert run.rc == 0, run
    data = json.loads((report_dir / "drift.json").read_text())
    assert {host for host, phone in data["phones"].items() if phone["status"] == "drifted"} == {"phone2"}
    assert [(row["item"], row["note"]) for row in data["phones"]["phone2"]["differences"]] == [
        ("contact Jack Brown (2)", "a second copy on the phone: removed (first_name Jack, last_name Brown, "
                                   "group Sales, work 1001)")]  # never the API command (delete_contact id=3)
    assert sum(writes(phones, index) for index in range(PHONES)) == 0
    fixed = provision(tmp_path, phones, name="fix")
    assert fixed.rc == 0 and fixed.changed_count("phone2") == 1, fixed
    assert [c["first"] for c in phones.state(2)["contacts"]].count("Jack") == 1


def test_rollout_stops_after_a_batch_with_an_unreachable_phone(phones, tmp_path):
    # An unreachable phone is not "failed", and max_fail_percentage counts only failed hosts: the rollout's
    # own check stops the next batch. Batches of 2, then the rest, so the down phone shares its batch.
    phones.faults(1, {"down": True})
    rollout = open(os.path.join(PLAYBOOKS, "rollout.yml")).read()
    rollout = rollout.replace('    - 1\n    - "10%"\n    - "100%"\n', '    - 2\n    - "100%"\n')
    assert '    - 2\n    - "100%"\n' in rollout
    run = run_playbook(tmp_path, rollout, fleet_inventory(phones, gs_retries=0, gs_timeout=2), name="rollout")
    assert run.rc != 0
    assert run.stats["phone1"]["unreachable"] == 1
    assert run.stats["phone0"]["failures"] == 1  # the phone that ran the batch's check, so the batch counts failed
    for index in range(2, PHONES):
        assert phones.counters(index)["requests"] == 0, "phone%d was touched after phone1 was unreachable" % index
