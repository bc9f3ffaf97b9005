"""gs_pvalues end to end: real ansible-playbook against the emulator's phones over HTTP."""


from tests.helpers.ansible_run import inventory_for, run_playbook
from tests.helpers.dialect_requests import VALUES_WRITE, session_requests
from tests.helpers.emulator_proc import emulator_fixtures

SIP_SECRET = "sip-Secret-4711"
VALUES = {
    "account1.active": True, "account1.sip_server": "pbx.example.com", "account1.sip_user_id": "1001",
    "account1.password": SIP_SECRET, "account1.transport": "tls", "P30": "ntp.example.com", "time.format": "12h",
}


def play(values=None, **task_options):
    options = dict(values=values or VALUES, **task_options)
    return [{"name": "P-values", "hosts": "phones", "gather_facts": False, "tasks": [
        {"name": "apply", "grandstream.phone.gs_pvalues": options, "register": "applied"},
        {"name": "again", "grandstream.phone.gs_pvalues": options},
    ]}]


phones, factory_phones = emulator_fixtures(count=3)


def test_apply_then_idempotent_on_three_phones(phones, tmp_path, dialect):
    run = run_playbook(tmp_path, play(), inventory_for(phones, "http"))
    assert run.rc == 0, run
    for index in range(3):
        host = "phone%d" % index
        first, second = run.result(host, "apply"), run.result(host, "again")
        assert first["changed"] is True and first["reboot_required"] is True
        assert first["changes"]["account1.transport"] == {"pvalue": "P130", "before": "0", "after": "2"}
        assert first["changes"]["account1.password"]["after"] == "********"
        # The GXV3370 and GXV3380 show a set secret as a mask, so the new password is verified; the GXV3350
        # reads every secret back empty: written, but only ever reported as unverified.
        assert first["unverified"] == ([] if index < 2 else ["account1.password (P34)"])
        assert second["unverified"] == first["unverified"]
        assert second["changed"] is False and second["changes"] == {}
        # The transport waits for a reboot nobody did yet: the second task says so, and asked the phone's
        # uptime whether it rebooted meanwhile (one read, one api-get_time, no login, no write).
        assert first["reboot_pending"] is True and second["reboot_pending"] is True
        assert second["reboot_pending_values"] == ["account1.transport (P130)"]
        assert second["requests"]["requests"] == 2 and second["requests"]["logins"] == 0
        stored = phones.state(index)["pvalues"]
        assert (stored["P47"], stored["P34"], stored["P130"], stored["P122"]) == (
            "pbx.example.com", SIP_SECRET, "2", "0")
        counters = phones.counters(index)
        assert counters["logins"] == 1
        # The dialect probe (no login), one login for both tasks (on current firmware its access challenge and
        # the dologin), and the reads and the write in the dialect's own endpoints.
        assert counters["by_endpoint"] == session_requests(dialect, reads=3, writes=1, also={"api-get_time": 1})
    assert SIP_SECRET not in run.stdout + run.stderr + str(run.results)


def test_check_mode_with_diff_writes_nothing(phones, tmp_path):
    run = run_playbook(tmp_path, play(), inventory_for(phones, "http", count=1), "--check", "--diff", "-vvv")
    assert run.rc == 0, run
    result = run.result("phone0", "apply")
    assert result["changed"] is True
    assert result["diff"]["after"]["account1.password"] == "******** (written)"
    # The write it would send, by P-number, the secret masked (and nothing was sent).
    assert len(result["commands"]) == 1 and result["commands"][0].startswith("set ")
    assert "P47=pbx.example.com" in result["commands"][0] and "P34=********" in result["commands"][0]
    assert phones.counters(0)["by_endpoint"].get(VALUES_WRITE[phones.dialect(0)["dialect"]], 0) == 0
    assert "pbx.example.com" in run.stdout  # the diff is shown
    assert phones.counters(0)["writes"] == 0
    assert phones.state(0)["pvalues"]["P47"] == ""
    assert SIP_SECRET not in run.stdout + run.stderr + str(run.results)


def test_invalid_values_fail_before_any_request(phones, tmp_path):
    bad = {"account1.transport": "sctp", "device.mac": "00:11:22:33:44:55", "acount1.name": "x"}
    run = run_playbook(tmp_path, play(bad), inventory_for(phones, "http", count=1))
    assert run.rc != 0
    result = run.result("phone0", "apply")
    assert result["error_kind"] == "validation" and result["field"] == "values.account1.transport"
    assert "values.account1.transport: must be one of udp(0), tcp(1), tls(2), got 'sctp'" in result["msg"]
    assert "values.device.mac: device.mac (P67) is read-only" in result["msg"]
    assert "did you mean account1.name" in result["msg"]
    assert phones.counters(0)["requests"] == 0


def test_bad_option_is_refused_by_the_argument_spec(phones, tmp_path):
    run = run_playbook(tmp_path, play(update_secrets="sometimes"), inventory_for(phones, "http", count=1))
    assert run.rc != 0
    assert "update_secrets" in run.result("phone0", "apply")["msg"]
    assert phones.counters(0)["requests"] == 0


def test_dropped_write_fails_naming_the_value(phones, tmp_path):
    phones.faults(0, {"drop_writes": ["P30"]})
    run = run_playbook(tmp_path, play(), inventory_for(phones, "http", count=1))
    assert run.rc != 0
    result = run.result("phone0", "apply")
    assert result["_status"] == "failed" and result["error_kind"] == "not_applied"
    assert result["not_applied"] == ["ntp.server (P30)"]
    assert "account1.sip_server (P47)" in result["applied"]
    assert result["changed"] is True  # the rest was written
    assert "did not stick" in result["msg"]
    assert SIP_SECRET not in run.stdout + run.stderr + str(run.results)


def test_existing_account_keeps_its_password_under_on_create(phones, tmp_path):
    phones.set_pvalues(0, {"P35": "1001", "P34": "password-set-by-hand"})
    values = {"account1.sip_user_id": "1001", "account1.password": SIP_SECRET}
    run = run_playbook(tmp_path, play(values), inventory_for(phones, "http", count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "apply")["changed"] is False
    assert phones.state(0)["pvalues"]["P34"] == "password-set-by-hand"

    run = run_playbook(tmp_path, play(values, update_secrets="always"), inventory_for(phones, "http", count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "apply")["changed"] is True and run.result("phone0", "again")["changed"] is True
    assert phones.state(0)["pvalues"]["P34"] == SIP_SECRET


def test_secret_with_no_signal_is_skipped_with_a_warning(phones, tmp_path):
    run = run_playbook(tmp_path, play({"admin_password": "Another-Pass-1"}), inventory_for(phones, "http", count=1))
    assert run.rc == 0, run
    assert run.result("phone0", "apply")["changed"] is False
    assert "admin_password (P2) was not written" in run.stdout + run.stderr
    assert phones.state(0)["passwords"]["admin"] == "admin"
    assert "Another-Pass-1" not in run.stdout + run.stderr + str(run.results)


def test_module_defaults_group_sets_the_connection(phones, tmp_path):
    playbook = [{"hosts": "phones", "gather_facts": False,
                 "module_defaults": {"group/grandstream.phone.phone": {"password": "admin", "protocol": "http"}},
                 "tasks": [{"name": "apply", "grandstream.phone.gs_pvalues": {"values": {"ntp.server": "ntp.example.com"}}}]}]
    inventory = inventory_for(phones, "http", count=1)
    del inventory["all"]["children"]["phones"]["vars"]["gs_password"]
    run = run_playbook(tmp_path, playbook, inventory)
    assert run.rc == 0, run
    assert run.result("phone0", "apply")["changed"] is True


def test_a_no_log_task_shows_no_diff_and_no_values(phones, tmp_path):
    """Ansible's no_log hides the task's result and its --diff, as ActionBase does for the file modules."""
    marker = "ntp-no-log-marker.example.com"
    playbook = [{"name": "no_log", "hosts": "phones", "gather_facts": False, "tasks": [
        {"name": "hidden", "grandstream.phone.gs_pvalues": {"values": {"P30": marker}}, "no_log": True},
    ]}]
    run = run_playbook(tmp_path, playbook, inventory_for(phones, "http", count=1), "--check", "--diff", "-v")
    assert run.rc == 0, run
    assert "changed: [phone0]" in run.stdout
    assert marker not in run.stdout + run.stderr
    assert phones.counters(0)["by_endpoint"].get(VALUES_WRITE[phones.dialect(0)["dialect"]], 0) == 0
