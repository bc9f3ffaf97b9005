"""gs_info end to end: real ansible-playbook, real HTTP(S), the emulator's phones."""

import pytest

from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

PLAY = [{
    "name": "Read facts",
    "hosts": "phones",
    "gather_facts": False,
    "tasks": [
        {"name": "info", "grandstream.phone.gs_info": {"gather_subset": ["all"], "pvalues": ["P30", "P34"]},
         "register": "phone"},
        {"name": "second task", "grandstream.phone.gs_info": {"gather_subset": ["status"]}},
    ],
}]


phones, factory_phones = emulator_fixtures(count=3, protocol="both")


@pytest.mark.parametrize("protocol", ["http", "https"])
def test_gs_info_reads_three_phones(phones, tmp_path, protocol):
    extra = {"gs_validate_certs": False} if protocol == "https" else {}
    phones.set_pvalues(1, {"P30": "ntp.example.org", "P34": "sip-secret-value"})
    run = run_playbook(tmp_path, PLAY, inventory_for(phones, protocol, extra_vars=extra))
    assert run.rc == 0, run
    for index in range(3):
        state = phones.state(index)
        result = run.result("phone%d" % index, "info")
        assert result["changed"] is False
        assert result["system"]["model"] == state["model"]
        assert result["system"]["mac"] == state["mac"]
        assert result["status"]["status"] == "available"
        assert [g["name"] for g in result["groups"]] == ["default", "blacklist"]
        assert result["contacts"] == []
        assert len(result["lines"]) >= 2 and result["lines"][0]["state_name"] == "idle"
        assert set(result["time"]) >= {"date", "time", "uptime"}
    assert run.result("phone1", "info")["pvalues"]["P30"] == "ntp.example.org"
    # The account password is write-only: set or not, its value never comes back.
    assert "sip-secret-value" not in run.stdout + str(run.results)
    # Session reuse: one login per phone for the whole play, both tasks included.
    for index in range(3):
        assert phones.counters(index)["logins"] == 1


def test_gs_info_with_ca_path_and_module_defaults(phones, tmp_path):
    play = [{
        "hosts": "phones", "gather_facts": False,
        "module_defaults": {"group/grandstream.phone.phone": {
            "ca_path": str(phones.cert_path), "validate_certs": True, "password": "admin"}},
        "tasks": [{"name": "info", "grandstream.phone.gs_info": {}}],
    }]
    inventory = inventory_for(phones, "https", extra_vars={"gs_password": "not-used-module-defaults-win"})
    run = run_playbook(tmp_path, play, inventory)
    assert run.rc == 0, run
    assert run.result("phone0", "info")["system"]["model"]


def test_self_signed_certificate_is_refused_with_a_clear_message(phones, tmp_path):
    run = run_playbook(tmp_path, PLAY, inventory_for(phones, "https", count=1))
    assert run.rc != 0
    result = run.result("phone0", "info")
    assert result["_status"] == "failed"
    assert "certificate" in result["msg"] and "ca_path" in result["msg"]
    assert "Traceback" not in run.stdout + run.stderr


def test_wrong_password_fails_each_phone_once_and_locks_none(phones, tmp_path):
    inventory = inventory_for(phones, "http", extra_vars={"gs_password": "definitely-wrong"})
    run = run_playbook(tmp_path, PLAY, inventory)
    assert run.rc != 0
    for index in range(3):
        result = run.result("phone%d" % index, "info")
        assert "wrong password" in result["msg"] and "4 attempt(s) left" in result["msg"]
        assert phones.counters(index)["failed_logins"] == 1
        assert not phones.state(index).get("locked_until")
    assert "definitely-wrong" not in run.stdout + run.stderr


def test_bad_subset_names_the_field(phones, tmp_path):
    play = [{"hosts": "phones", "gather_facts": False,
             "tasks": [{"name": "info", "grandstream.phone.gs_info": {"gather_subset": ["everything"]}}]}]
    run = run_playbook(tmp_path, play, inventory_for(phones, "http", count=1))
    assert run.rc != 0
    assert "gather_subset" in run.result("phone0", "info")["msg"]
    assert phones.counters(0)["requests"] == 0


def test_status_answered_unauthorized_logs_in_again_once(phones, tmp_path):
    """api-get_phone_status answers a dead session with HTTP 200 and body "unauthorized" (the guide): gs_info
    logs in again and reads the real status, instead of reporting "unauthorized" as the phone's status."""
    expire = {"url": phones.control_url + "/phones/0/expire_sessions", "method": "POST", "body_format": "json",
              "body": {}}
    run = run_playbook(tmp_path, [{"hosts": "phones", "gather_facts": False, "tasks": [
        {"name": "first", "grandstream.phone.gs_info": {}},
        {"name": "expire", "ansible.builtin.uri": expire, "delegate_to": "localhost"},
        {"name": "status", "grandstream.phone.gs_info": {"gather_subset": ["status"]}, "register": "status"},
    ]}], inventory_for(phones, "http", count=1))
    assert run.rc == 0, run
    result = run.result("phone0", "status")
    assert result["status"] == {"status": "available", "misc": "0"}
    assert result["requests"]["relogins"] == 1 and result["requests"]["logins"] == 1
    counters = phones.counters(0)
    assert counters["logins"] == 2 and counters["failed_logins"] == 0


def test_groups_and_contacts_also_come_in_the_gathered_shape(phones, tmp_path):
    contacts = [{"first_name": "Mary Ann", "last_name": "Smith", "group": "Sales", "work": "1001"},
                {"first_name": "Jack", "last_name": "", "group": "default", "mobile": "555"}]
    playbook = [{"name": "gathered", "hosts": "phones", "gather_facts": False, "tasks": [
        {"name": "setup", "grandstream.phone.gs_contacts": {"config": contacts, "groups": [{"name": "Sales"}]}},
        {"name": "info", "grandstream.phone.gs_info": {"gather_subset": ["groups", "contacts"]}},
        {"name": "contacts", "grandstream.phone.gs_contacts": {"state": "gathered"}},
        {"name": "groups", "grandstream.phone.gs_group": {"state": "gathered"}},
    ]}]
    run = run_playbook(tmp_path, playbook, inventory_for(phones, "http", count=1))
    assert run.rc == 0, run
    info = run.result("phone0", "info")
    assert info["gathered"]["contacts"] == run.result("phone0", "contacts")["gathered"]
    assert info["gathered"]["groups"] == run.result("phone0", "groups")["gathered"]
    # The first / last name split is the phonebook's, not a guess from the full name.
    assert {"first_name": "Mary Ann", "last_name": "Smith", "group": "Sales", "work": "1001"} in \
        info["gathered"]["contacts"]
    assert {"name": "Sales"} in info["gathered"]["groups"]
    # The shape the docs promised before stays as it was.
    assert {contact["name"] for contact in info["contacts"]} >= {"Jack"}
    assert [group["name"] for group in info["groups"]][:2] == ["default", "blacklist"]
