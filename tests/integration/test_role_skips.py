"""A part with nothing desired reports itself skipped, with why, and contacts no phone (no `when:` per host)."""

import os

from tests.helpers.ansible_run import ROOT, inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.role_results import PHONE_TASK, role_part

with open(os.path.join(ROOT, "playbooks", "drift.yml"), encoding="utf-8") as _handle:
    DRIFT = _handle.read()
HEALTH_TASK = "Fleet health"
NO_PVALUES = "no P-values desired (values, or layers merged, empty): nothing to compare, the phone was not contacted"
NO_PHONEBOOK = ("no contacts or groups desired (config and groups are empty, and no state removes what they do not "
                "list): nothing to compare, the phone was not contacted")

phones, factory_phones = emulator_fixtures(count=2, protocol="http")


def test_a_phone_with_nothing_desired_is_skipped_by_the_modules_without_a_login(phones, tmp_path):
    inventory = inventory_for(phones, "http")
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    # phone0 wants nothing and has a wrong password: any request would spend a login attempt.
    hosts["phone0"]["gs_password"] = "not-the-password"
    hosts["phone1"].update(phone_pvalues={"ntp.server": "ntp.skip.test"}, phone_contacts=[{"first_name": "Ada"}])
    phones.reset_counters()
    run = run_playbook(tmp_path, DRIFT, inventory, "-v", "-e", "fail_on_drift=true")
    assert run.rc != 0, run  # phone1 would change: fail_on_drift names it, and only it
    assert "Phones that differ from their desired state: phone1" in run.stdout
    for part, message in (("pvalues", NO_PVALUES), ("phonebook", NO_PHONEBOOK)):
        skipped = role_part(run, "phone0", part)
        assert skipped["_status"] == "skipped" and skipped["msg"] == message and skipped["changed"] is False
        assert role_part(run, "phone1", part)["_status"] == "ok" and role_part(run, "phone1", part)["changed"] is True
    # Every part skipped: the role's one task shows skipped, saying why each part was.
    whole = run.result("phone0", PHONE_TASK)
    assert whole["_status"] == "skipped" and whole["msg"] == "nothing desired: phonebook: %s; pvalues: %s" % (
        NO_PHONEBOOK, NO_PVALUES)
    assert "skipping: [phone0]" in run.stdout and NO_PVALUES in run.stdout  # -v shows why
    counters = phones.counters(0)
    assert counters["requests"] == 0 and counters["logins"] == 0 and counters["failed_logins"] == 0
    assert phones.counters(1)["logins"] == 1
    assert run.stats["phone0"]["changed"] == 0  # its failure is the run-once "Fail on drift" task's


def test_the_modules_skip_an_empty_desired_state_even_without_a_password(phones, tmp_path):
    inventory = inventory_for(phones, "http", count=1)
    del inventory["all"]["children"]["phones"]["vars"]["gs_password"]
    phones.reset_counters()
    run = run_playbook(tmp_path, play(
        {"name": "values", "grandstream.phone.gs_pvalues": {"values": {}}},
        {"name": "contacts", "grandstream.phone.gs_contacts": {"config": [], "groups": [], "state": "replaced"}},
        {"name": "all contacts", "grandstream.phone.gs_contacts": {"config": [], "state": "overridden"},
         "ignore_errors": True}), inventory, "--check")
    assert run.result("phone0", "values")["_status"] == "skipped"
    assert run.result("phone0", "values")["msg"] == NO_PVALUES
    assert run.result("phone0", "contacts")["_status"] == "skipped"
    # overridden with an empty config removes every contact: it is real work, and needs the password.
    overridden = run.result("phone0", "all contacts")
    assert overridden["_status"] == "failed" and "password is required" in overridden["msg"]
    assert phones.counters(0)["requests"] == 0


def test_only_the_passwords_given_are_parts_and_health_runs_only_when_asked(phones, tmp_path):
    # The role leaves an empty password out of its task instead of compiling a `when:`, and drift.yml's health play
    # has no hosts without -e health=true: neither costs a task per phone for work that is not asked for.
    inventory = inventory_for(phones, "http")
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    inventory["all"]["children"]["phones"]["vars"]["phone_pvalues"] = {"ntp.server": "ntp.skip.test"}
    hosts["phone0"]["phone_admin_password"] = "Skip-Admin-7x"  # the user password stays empty: left alone
    phones.reset_counters()
    run = run_playbook(tmp_path, DRIFT, inventory)
    assert run.rc == 0, run
    given = run.result("phone0", PHONE_TASK)
    assert sorted(given["results"]) == ["admin_password", "phonebook", "pvalues"]
    assert given["results"]["admin_password"]["changed"] is True
    assert "Skip-Admin-7x" not in run.stdout + run.stderr
    none_given = run.result("phone1", PHONE_TASK)
    assert sorted(none_given["results"]) == ["phonebook", "pvalues"]
    for host in ("phone0", "phone1"):
        assert HEALTH_TASK not in run.results[host]
    assert "skipping: no hosts matched" in run.stdout
    for index in (0, 1):
        counters = phones.counters(index)
        assert counters["logins"] == 1 and counters["failed_logins"] == 0 and counters["writes"] == 0
        assert "api-get_accounts" not in counters["by_endpoint"]  # gs_health's request
