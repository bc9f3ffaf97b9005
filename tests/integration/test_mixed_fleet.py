"""Both firmware generations in one inventory: guide-dialect and current-dialect phones (the emulator's
``--firmware mixed``: even indices guide, odd current), through real ansible-playbook.

The emulator counts what each phone was sent: ``probes`` (the unauthenticated model.define.js the client
detects the dialect with), ``challenges`` (the current dialect's access step, no login), ``logins`` and
``failed_logins``. Dialect detection must never cost a login.
"""

import os

from tests.helpers.ansible_run import ROOT, inventory_for, play, run_playbook
from tests.helpers.emulator_proc import emulator_fixtures

PHONES = 4
GUIDE, CURRENT = (0, 2), (1, 3)
VALUES = {"ntp.server": "ntp.mixed.test", "time.format": "12h", "account1.sip_server": "pbx.mixed.test"}
NEW_ADMIN = "N3w-Admin-Pass"

phones, factory_phones = emulator_fixtures(count=PHONES, firmware="mixed", protocol="both",
                                           extra_args=["--reboot-seconds", "1"])


def host(index):
    return "phone%d" % index


def task(module, name, **options):
    return {"name": name, "grandstream.phone." + module: options, "register": name}


def counters(phones, index):
    return phones.counters(index)


def test_the_fleet_is_mixed(phones):
    assert [phones.dialect(index)["dialect"] for index in range(PHONES)] == ["guide", "current"] * 2


def test_gs_pvalues_applies_then_is_idempotent_with_one_login_and_one_probe_per_phone(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("gs_pvalues", "apply", values=VALUES),
                                      task("gs_pvalues", "again", values=VALUES)), inventory_for(phones))
    assert run.rc == 0, run
    for index in range(PHONES):
        first, second = run.result(host(index), "apply"), run.result(host(index), "again")
        assert first["changed"] is True and set(first["changes"]) == set(VALUES)
        assert second["changed"] is False and second["changes"] == {}
        stored = phones.state(index)["pvalues"]
        assert (stored["P30"], stored["P122"], stored["P47"]) == ("ntp.mixed.test", "0", "pbx.mixed.test")
        seen = counters(phones, index)
        assert seen["logins"] == 1 and seen["failed_logins"] == 0
        assert seen["probes"] == 1  # detected once per play: the session cache keeps the dialect
        assert seen["challenges"] == (1 if index in CURRENT else 0)
        values_write = "config_update" if index in CURRENT else "api-values.post"
        assert seen["by_endpoint"][values_write] == 1


def test_check_mode_drift_names_only_the_drifted_phone_and_spends_no_login(phones, tmp_path):
    inventory = inventory_for(phones)
    assert run_playbook(tmp_path, play(task("gs_pvalues", "apply", values=VALUES)), inventory).rc == 0
    phones.set_pvalues(3, {"P30": "rogue.ntp.test"})
    phones.reset_counters()
    drift = run_playbook(tmp_path, play(task("gs_pvalues", "apply", values=VALUES)), inventory, "--check", "--diff",
                         name="drift")
    assert drift.rc == 0, drift
    for index in range(PHONES):
        result = drift.result(host(index), "apply")
        if index == 3:
            assert result["changed"] is True
            assert result["changes"] == {"ntp.server": {"pvalue": "P30", "before": "rogue.ntp.test",
                                                        "after": "ntp.mixed.test"}}
        else:
            assert result["changed"] is False and result["changes"] == {}
        seen = counters(phones, index)
        # The play's cached session (with its dialect) is reused: no probe, no login, no write.
        assert seen["writes"] == 0 and seen["logins"] == 0 and seen["probes"] == 0
    assert phones.state(3)["pvalues"]["P30"] == "rogue.ntp.test"


def test_gs_info_gives_version_model_and_mac_on_both_generations(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("gs_info", "info", gather_subset=["system", "lines"])),
                       inventory_for(phones))
    assert run.rc == 0, run
    for index in range(PHONES):
        system = run.result(host(index), "info")["system"]
        flashed = phones.dialect(index)
        assert (system["firmware"], system["model"]) == (flashed["firmware"], flashed["model"])
        assert system["mac"] == phones.state(index)["pvalues"]["P67"]
        assert [line["state_name"] for line in run.result(host(index), "info")["lines"]][:1] == ["idle"]
        assert counters(phones, index)["logins"] == 1


def test_a_wrong_password_costs_one_failed_login_per_phone_over_three_runs(phones, tmp_path):
    inventory = inventory_for(phones, extra_vars={"gs_password": "Wrong-Pass-1"})
    for run_number in range(3):
        run = run_playbook(tmp_path, play(task("gs_info", "info")), inventory, name="run%d" % run_number)
        assert run.rc != 0
        for index in range(PHONES):
            result = run.result(host(index), "info")
            assert result["_status"] == "failed" and result["error_kind"] == "auth"
    for index in range(PHONES):
        seen = counters(phones, index)
        assert seen["failed_logins"] == 1 and seen["logins"] == 0  # logins counts the accepted ones
        # Run 1: the dialect probe (no login), then the one refused login. Runs 2 and 3: the login memory refuses
        # the password before any request, the probe included.
        assert seen["probes"] == 1 and seen["requests"] == (3 if index in CURRENT else 2)
        assert seen["challenges"] == (1 if index in CURRENT else 0)
    assert "Wrong-Pass-1" not in run.stdout + run.stderr


def test_gs_password_changes_the_admin_password_on_both_generations_without_a_failed_login(phones, tmp_path):
    playbook = play(task("gs_password", "password", role="admin", new_password=NEW_ADMIN))
    first = run_playbook(tmp_path, playbook, inventory_for(phones))
    assert first.rc == 0, first
    phones_now = range(PHONES)
    assert all(first.result(host(index), "password")["changed"] is True for index in phones_now)
    assert all(phones.state(index)["passwords"]["admin"] == NEW_ADMIN for index in phones_now)
    again = run_playbook(tmp_path, playbook, inventory_for(phones, extra_vars={"gs_password": NEW_ADMIN}),
                         name="again")
    assert again.rc == 0, again
    assert all(again.result(host(index), "password")["changed"] is False for index in phones_now)
    assert all(counters(phones, index)["failed_logins"] == 0 for index in phones_now)
    assert NEW_ADMIN not in first.stdout + again.stdout


def test_gs_call_and_gs_sysop_on_current_phones_with_one_session(phones, tmp_path):
    for index in CURRENT:
        phones.register_account(index)
    run = run_playbook(tmp_path, play(
        task("gs_call", "dial", number="+4930123", account=0, wait_for="in_call"),
        task("gs_call", "end", operation="end", line="{{ dial.line }}", wait_for="idle"),
        task("gs_sysop", "reboot", operation="reboot", wait=True, poll_interval=0.2),
        task("gs_info", "after"),
    ), inventory_for(phones, indexes=CURRENT))
    assert run.rc == 0, run
    for index in CURRENT:
        dial = run.result(host(index), "dial")
        assert dial["changed"] is True and dial["line_status"]["state_name"] == "in_call"
        assert run.result(host(index), "end")["line_status"]["state_name"] == "idle"
        assert run.result(host(index), "reboot")["changed"] is True
        assert run.result(host(index), "after")["system"]["firmware"] == phones.dialect(index)["firmware"]
        seen = counters(phones, index)
        assert seen["reboots"] == 1 and seen["failed_logins"] == 0
        # One login before the reboot serves the call and the reboot (no token login on current firmware),
        # one after it (the reboot ended every session); the dialect is detected again after the reboot.
        assert seen["logins"] == 2 and "loginrealm" not in seen["by_endpoint"]
        assert seen["probes"] == 2


def test_without_a_session_cache_every_current_session_is_logged_out(phones, tmp_path):
    run = run_playbook(tmp_path, play(task("gs_info", "one"), task("gs_info", "two")), inventory_for(phones),
                       env={"GS_SESSION_CACHE": "off"})
    assert run.rc == 0, run
    for index in range(PHONES):
        seen = counters(phones, index)
        assert seen["logins"] == 2 and seen["failed_logins"] == 0
        # The guide dialect has no logout; a current phone is left without the task's session.
        assert seen["by_endpoint"].get("dologout", 0) == (2 if index in CURRENT else 0)


def test_a_phone_reflashed_between_plays_is_detected_again_without_a_failed_login(phones, tmp_path):
    inventory = inventory_for(phones, indexes=(0, 1))
    assert run_playbook(tmp_path, play(task("gs_info", "info")), inventory).rc == 0
    phones.set_dialect(0, dialect="current", version="1.0.3.35")
    phones.set_dialect(1, dialect="guide", version="1.0.3.48")
    phones.reset_counters()
    run = run_playbook(tmp_path, play(task("gs_info", "info"), task("gs_pvalues", "values", values=VALUES)),
                       inventory, name="after")
    assert run.rc == 0, run
    for index in (0, 1):
        assert run.result(host(index), "info")["system"]["firmware"] == phones.dialect(index)["firmware"]
        assert run.result(host(index), "values")["changed"] is True
        seen = counters(phones, index)
        assert seen["failed_logins"] == 0 and seen["logins"] == 1
    assert phones.state(0)["pvalues"]["P30"] == phones.state(1)["pvalues"]["P30"] == "ntp.mixed.test"


def test_the_role_provisions_a_mixed_fleet_and_then_has_nothing_to_do(phones, tmp_path):
    site = {"phone_pvalues": {"ntp.server": "ntp.site.test", "time.format": "24h", "account1.active": True,
                              "account1.sip_server": "pbx.site.test"},
            "phone_groups": [{"name": "Sales"}],
            "phone_contacts": [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "1001"}]}
    playbook = open(os.path.join(ROOT, "playbooks", "provision.yml")).read()
    first = run_playbook(tmp_path, playbook, inventory_for(phones, extra_vars=site))
    assert first.rc == 0, first
    phones.reset_counters()
    second = run_playbook(tmp_path, playbook, inventory_for(phones, extra_vars=site), name="again")
    assert second.rc == 0, second
    for index in range(PHONES):
        state = phones.state(index)
        assert state["pvalues"]["P30"] == "ntp.site.test" and state["pvalues"]["P47"] == "pbx.site.test"
        assert "Sales" in [group["name"] for group in state["groups"]]
        assert second.changed_count(host(index)) == 0
        seen = counters(phones, index)
        assert seen["writes"] == 0 and seen["failed_logins"] == 0 and seen["logins"] <= 1


def test_a_lost_challenge_login_answer_is_repeated_only_for_a_proven_password_and_with_a_fresh_nonce(phones,
                                                                                                     tmp_path):
    # Both current phones lose the answer to their next dologin (reset after sending); phone 1 accepted the
    # inventory's password in an earlier run, phone 3 never saw it. Only the proven password is sent again, and
    # then after a new access step: the first nonce may be used up.
    proven, unproven = CURRENT
    inventory = inventory_for(phones, indexes=CURRENT)
    first = run_playbook(tmp_path, play(task("gs_info", "info")), inventory, "--limit", host(proven))
    assert first.rc == 0, first
    phones.reset_counters()
    for index in CURRENT:
        phones.faults(index, {"fail_next": {"dologin": ["reset"]}})
    phones.expire_sessions(proven)  # the cached session would spare phone 1 its login
    run = run_playbook(tmp_path, play(dict(task("gs_info", "info"), ignore_errors=True)), inventory, name="lost")
    assert run.result(host(proven), "info")["_status"] == "ok"
    assert counters(phones, proven)["by_endpoint"]["dologin"] == 2
    assert counters(phones, proven)["challenges"] == 2
    failed = run.result(host(unproven), "info")
    assert failed["_status"] == "failed" and "so it is not repeated" in failed["msg"]
    assert counters(phones, unproven)["by_endpoint"]["dologin"] == 1
    assert all(counters(phones, index)["failed_logins"] == 0 for index in CURRENT)


def test_over_verified_https_the_current_phones_accept_the_writes_same_origin(phones, tmp_path):
    # Current firmware answers a POST or PUT without a same-origin Referer (https://host:port/) with a bare 403.
    inventory = inventory_for(phones, "https", extra_vars={"gs_ca_path": str(phones.cert_path),
                                                           "gs_validate_certs": True})
    run = run_playbook(tmp_path, play(task("gs_pvalues", "apply", values=VALUES)), inventory)
    assert run.rc == 0, run
    for index in range(PHONES):
        assert run.result(host(index), "apply")["changed"] is True
        assert phones.state(index)["pvalues"]["P30"] == "ntp.mixed.test"
        assert counters(phones, index)["logins"] == 1 and counters(phones, index)["failed_logins"] == 0
