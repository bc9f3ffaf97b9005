"""gs_phone end to end: a phone's phonebook, P-values and passwords in one task, through real ansible-playbook.

Each claim is counted on the emulator: logins, failed logins, requests and writes per phone."""

import json

from tests.helpers.ansible_run import inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

SIP_SECRET = "Sip-Phone-State-5k"
NEW_ADMIN = "Phone-State-Admin-8q"
PHONEBOOK = {"groups": [{"name": "Sales"}], "config": [{"first_name": "Jack", "group": "Sales", "work": "1001"}]}
PVALUES = {"values": {"ntp.server": "ntp.state.test", "time.format": "24h", "account1.password": SIP_SECRET}}
phones, factory_phones = emulator_fixtures(count=2, protocol="http")


def phone_task(name="phone", **options):
    return {"name": name, "grandstream.phone.gs_phone": options, "register": "phone_result"}


def whole_state(**overrides):
    return dict({"phonebook": PHONEBOOK, "pvalues": PVALUES, "admin_password": NEW_ADMIN}, **overrides)


def test_every_part_in_one_task_with_one_login_then_nothing_to_do(phones, tmp_path):
    playbook = play(phone_task(**whole_state()))
    phones.reset_counters()
    first = run_playbook(tmp_path, playbook, inventory_for(phones, count=1), "--diff", "-vvv")
    assert first.rc == 0, first
    result = first.result("phone0", "phone")
    assert result["changed"] is True and result["msg"] == "changed: phonebook, pvalues, admin_password"
    assert sorted(result["results"]) == ["admin_password", "phonebook", "pvalues"]
    assert [part for part in result["results"] if result["results"][part]["changed"]] == [
        "phonebook", "pvalues", "admin_password"]
    state = phones.state(0)
    assert state["pvalues"]["P30"] == "ntp.state.test" and state["pvalues"]["P34"] == SIP_SECRET
    assert [contact["first"] for contact in state["contacts"]] == ["Jack"]
    assert state["passwords"]["admin"] == NEW_ADMIN
    assert phones.counters(0)["logins"] == 1 and phones.counters(0)["failed_logins"] == 0
    assert result["requests"]["logins"] == 1
    # Each changed part's difference, in part order, secrets masked (the diff, -vvv and the result).
    assert len(result["diff"]) == 3
    for secret in (SIP_SECRET, NEW_ADMIN):
        assert secret not in first.stdout + first.stderr + json.dumps(result)

    # The phone now holds the new admin password: the inventory says so, and nothing is left to change.
    phones.reset_counters()
    again = run_playbook(tmp_path, playbook, inventory_for(phones, count=1, extra_vars={"gs_password": NEW_ADMIN}),
                         name="again")
    assert again.rc == 0, again
    assert again.result("phone0", "phone")["changed"] is False
    assert again.result("phone0", "phone")["msg"] == "no change"
    # At most one login (the session cache may still hold the first run's session), none refused.
    assert phones.counters(0)["writes"] == 0 and phones.counters(0)["logins"] <= 1
    assert phones.counters(0)["failed_logins"] == 0


def test_a_drift_check_reports_each_part_and_sends_no_change(phones, tmp_path):
    phones.reset_counters()
    run = run_playbook(tmp_path, play(phone_task(**whole_state())), inventory_for(phones, count=1), "--check",
                       "--diff")
    assert run.rc == 0, run
    result = run.result("phone0", "phone")
    assert result["changed"] is True and result["results"]["pvalues"]["changes"]["ntp.server"]["after"] == (
        "ntp.state.test")
    assert result["results"]["admin_password"]["msg"] == "would change the admin password"
    assert phones.counters(0)["writes"] == 0 and phones.counters(0)["failed_logins"] == 0
    assert phones.state(0)["passwords"]["admin"] == "admin" and phones.state(0)["contacts"] == []


def test_bad_input_in_any_part_is_refused_before_any_request_naming_each_part(phones, tmp_path):
    task = phone_task(phonebook=dict(PHONEBOOK, state="present"),
                      pvalues={"values": {"time.format": "25h", "ntp.server": "ntp.ok.test"}},
                      admin_password="", user_password="with space")
    phones.reset_counters()
    run = run_playbook(tmp_path, play(dict(task, ignore_errors=True)), inventory_for(phones, count=1))
    result = run.result("phone0", "phone")
    assert result["_status"] == "failed" and result["error_kind"] == "validation", result
    label = "127.0.0.1:%d: " % phones.ports[0]
    assert result["msg"].startswith(label + "phonebook: value of state must be one of: "), result["msg"]
    assert "pvalues: values.time.format: must be one of 12h(0), 24h(1), got '25h'" in result["msg"]
    assert "admin_password: new_password must not be empty" in result["msg"]
    # The user's password needs the user's current one over an admin connection: known before any request too.
    assert "user_password: current_password is required to change the user password" in result["msg"]
    assert "with space" not in result["msg"]
    assert result["field"] == "phonebook" and result["changed"] is False
    assert phones.counters(0)["requests"] == 0  # not even the dialect probe


def test_a_failed_phonebook_does_not_hold_back_the_rest_but_a_refused_login_stops_the_phone(phones, tmp_path):
    inventory = inventory_for(phones, count=2)
    inventory["all"]["children"]["phones"]["hosts"]["phone1"]["gs_password"] = "not-the-password"
    phones.faults(0, {"fail_next": {"api-get_contacts": ["503"] * 12}})  # more than the retries
    phones.reset_counters()
    try:
        run = run_playbook(tmp_path, play(dict(phone_task(**whole_state()), ignore_errors=True)), inventory)
    finally:
        phones.faults(0, {})
    # phone0: the phonebook failed; the P-values and the admin password were still applied, and the task says so.
    first = run.result("phone0", "phone")
    assert first["_status"] == "failed" and first["failed_parts"] == ["phonebook"] and first["changed"] is True
    assert "HTTP 503" in first["msg"] and first["msg"].endswith(
        " (the phonebook failed; pvalues, admin_password still ran)")
    assert first["results"]["pvalues"]["changed"] is True and first["results"]["admin_password"]["changed"] is True
    assert phones.state(0)["pvalues"]["P30"] == "ntp.state.test" and phones.state(0)["passwords"]["admin"] == NEW_ADMIN
    # phone1: one refused login, and no later part sent the password again.
    second = run.result("phone1", "phone")
    assert second["error_kind"] == "auth" and second["failed_parts"] == ["phonebook"]
    assert second["results"]["pvalues"] == {"changed": False, "skipped": True,
                                            "msg": "not run: the phonebook failed first"}
    assert second["results"]["admin_password"]["skipped"] is True and second["changed"] is False
    assert phones.counters(1)["failed_logins"] == 1 and phones.counters(1)["writes"] == 0


def test_failed_pvalues_hold_back_the_passwords(phones, tmp_path):
    # wifi.key is catalogued for the WP820 only: the phone's model (read with the values) refuses it.
    task = phone_task(pvalues={"values": {"wifi.key": "Wifi-Key-4411"}}, admin_password=NEW_ADMIN)
    phones.reset_counters()
    run = run_playbook(tmp_path, play(dict(task, ignore_errors=True)), inventory_for(phones, count=1))
    result = run.result("phone0", "phone")
    assert result["_status"] == "failed" and result["failed_parts"] == ["pvalues"], result
    assert "wifi.key" in result["msg"] and "not available on a GXV3370" in result["msg"]
    assert result["results"]["admin_password"]["msg"] == "not run: the pvalues failed first"
    assert phones.state(0)["passwords"]["admin"] == "admin" and phones.counters(0)["writes"] == 0
    assert "Wifi-Key-4411" not in run.stdout + run.stderr


def test_nothing_desired_is_skipped_without_contacting_the_phone(phones, tmp_path):
    inventory = inventory_for(phones, count=1, extra_vars={"gs_password": "not-the-password"})
    phones.reset_counters()
    run = run_playbook(tmp_path, play(phone_task(phonebook={"config": []}, pvalues={"values": {}})), inventory)
    assert run.rc == 0, run
    result = run.result("phone0", "phone")
    assert result["_status"] == "skipped" and result["msg"].startswith("nothing desired: phonebook: no contacts")
    # No password at all: nothing to send, so nothing asks for one (the role's defaults, through from_variables).
    del inventory["all"]["children"]["phones"]["vars"]["gs_password"]
    bare = run_playbook(tmp_path, play(phone_task(from_variables=True)), inventory, name="no-password")
    assert bare.rc == 0, bare
    assert bare.result("phone0", "phone")["_status"] == "skipped"
    assert phones.counters(0)["requests"] == 0 and phones.counters(0)["failed_logins"] == 0


def test_from_variables_reads_the_role_variables_the_task_sees_templates_included(phones, tmp_path):
    inventory = inventory_for(phones, count=1, extra_vars={
        "site_ntp": "ntp.vars.test", "phone_pvalues": {"ntp.server": "{{ site_ntp }}", "account1.password": SIP_SECRET},
        "phone_contacts": [{"first_name": "Ada", "work": "100"}], "phone_admin_password": "{{ vault_admin }}",
        "vault_admin": NEW_ADMIN})
    inventory["all"]["children"]["phones"]["hosts"]["phone0"]["phone_host_pvalues"] = {"time.format": "12h"}
    # A play variable (which hostvars would not show) fills a layer too.
    playbook = play(phone_task(from_variables=True), vars={"phone_group_pvalues": {"time.zone": "CET-1CEST"}})
    phones.reset_counters()
    run = run_playbook(tmp_path, playbook, inventory, "--diff", "-vvv")
    assert run.rc == 0, run
    result = run.result("phone0", "phone")
    assert sorted(result["results"]) == ["admin_password", "phonebook", "pvalues"]
    state = phones.state(0)
    assert (state["pvalues"]["P30"], state["pvalues"]["P64"], state["pvalues"]["P122"]) == (
        "ntp.vars.test", "CET-1CEST", "0")
    assert state["pvalues"]["P34"] == SIP_SECRET and state["passwords"]["admin"] == NEW_ADMIN
    assert [contact["first"] for contact in state["contacts"]] == ["Ada"]
    # The user password is empty (the role's default): left alone, no part for it.
    assert state["passwords"]["user"] == "123"
    assert phones.counters(0)["logins"] == 1 and phones.counters(0)["failed_logins"] == 0
    for secret in (SIP_SECRET, NEW_ADMIN):
        assert secret not in run.stdout + run.stderr + json.dumps(result)


def test_from_variables_is_not_taken_with_the_parts_and_an_undefined_variable_fails_before_any_request(
        phones, tmp_path):
    inventory = inventory_for(phones, count=1, extra_vars={"phone_pvalues": {"ntp.server": "{{ no_such_variable }}"}})
    phones.reset_counters()
    run = run_playbook(tmp_path, play(
        dict(phone_task("both", from_variables=True, pvalues=PVALUES), ignore_errors=True),
        dict(phone_task("undefined", from_variables=True), ignore_errors=True)), inventory)
    both = run.result("phone0", "both")
    assert both["_status"] == "failed" and "mutually exclusive: from_variables|pvalues" in both["msg"], both
    undefined = run.result("phone0", "undefined")
    assert undefined["_status"] == "failed" and "no_such_variable" in undefined["msg"], undefined
    assert phones.counters(0)["requests"] == 0


def test_from_variables_refuses_a_variable_of_the_wrong_kind_naming_it(phones, tmp_path):
    inventory = inventory_for(phones, count=1, extra_vars={"phone_contacts": "Ada Lovelace",
                                                           "phone_pvalues_layers": "phone_layer_a"})
    phones.reset_counters()
    run = run_playbook(tmp_path, play(dict(phone_task(from_variables=True), ignore_errors=True)), inventory)
    result = run.result("phone0", "phone")
    assert result["_status"] == "failed", result
    assert "from_variables: phone_pvalues_layers must be a list of phone_layer_<name> variable names" in result["msg"]
    phones.reset_counters()
    inventory["all"]["children"]["phones"]["vars"].pop("phone_pvalues_layers")
    run = run_playbook(tmp_path, play(dict(phone_task(from_variables=True), ignore_errors=True)), inventory,
                       name="contacts")
    assert "from_variables: phone_contacts must be a list, not a str" in run.result("phone0", "phone")["msg"]
    assert phones.counters(0)["requests"] == 0
