"""The role stops a phone its run-once validation stopped in the phone's first module task (stop_message), with
the validation's own message and without a request, and no per-host `fail` task of its own (issue 19, item 2).

In a drift check only the invalid phones stop and every valid one is still checked; in an apply run the whole batch
stops with nothing written. The drift report and the PLAY RECAP tell each phone as before.
"""

import json

from tests.helpers.ansible_run import inventory_for, play, run_playbook, shipped_playbook as playbook
from tests.helpers.emulator_proc import emulator_fixtures
from tests.helpers.role_results import role_part, stopped_message

PHONES = 3
INVALID = 1
# The per-host task the role had before: it must not come back.
OLD_STOP_TASK = "grandstream.phone.phone : Stop the phones the validation stopped"
phones, factory_phones = emulator_fixtures(count=PHONES, protocol="http")


def fleet(phones):
    """Every phone with P-values, contacts and an admin password to hold; phone1 has an invalid contact."""
    inventory = inventory_for(phones, "http", extra_vars={
        "phone_pvalues": {"ntp.server": "ntp.stop.test"}, "phone_contacts": [{"first_name": "Ada", "work": "100"}],
        "phone_admin_password": "admin"})
    inventory["all"]["children"]["phones"]["hosts"]["phone%d" % INVALID]["phone_host_contacts"] = [
        {"first_name": "Yan", "work": "sip:yan@pbx"}]
    return inventory


def run_with_report(phones, tmp_path, name, *args):
    report_dir = tmp_path / (name + "-report")
    env = {"ANSIBLE_CALLBACKS_ENABLED": "record_results,grandstream.phone.drift_report",
           "GS_DRIFT_REPORT_DIR": str(report_dir)}
    phones.reset_counters()
    run = run_playbook(tmp_path, playbook(name + ".yml"), fleet(phones), *args, name=name, env=env)
    return run, json.loads((report_dir / "drift.json").read_text())["phones"]


def assert_stopped(run, host, message_start):
    """``host`` was stopped by the validation's message (stopped_message says how), and no per-host stop task ran."""
    message = stopped_message(run, host)
    assert message.startswith(message_start), message
    assert OLD_STOP_TASK not in run.results[host]
    return message


def test_a_drift_check_stops_the_invalid_phone_without_a_request_and_checks_the_others(phones, tmp_path):
    run, report = run_with_report(phones, tmp_path, "drift")
    assert run.rc == 2, run
    message = assert_stopped(run, "phone%d" % INVALID, "1 problem(s) in the variables of this phone, so it was not "
                             "checked: phone_host_contacts[0].work: 'sip:yan@pbx'")
    assert phones.counters(INVALID) == dict(phones.counters(INVALID), requests=0, logins=0, writes=0)
    for index in (0, 2):
        host = "phone%d" % index
        assert [role_part(run, host, part)["_status"] for part in ("phonebook", "pvalues", "admin_password")] == [
            "ok", "ok", "ok"]
        counters = phones.counters(index)
        assert counters["requests"] > 0 and counters["logins"] == 1 and counters["writes"] == 0
        assert run.stats[host]["failures"] == 0
    # The report: the invalid phone failed once, with its own message; the valid ones drifted (nothing applied).
    assert {host: phone["status"] for host, phone in report.items()} == {
        "phone0": "drifted", "phone%d" % INVALID: "failed", "phone2": "drifted"}
    assert [error["message"] for error in report["phone%d" % INVALID]["errors"]] == [message]


def test_an_apply_run_stops_the_whole_batch_with_nothing_sent(phones, tmp_path):
    run, report = run_with_report(phones, tmp_path, "provision")
    assert run.rc == 2, run
    for index in range(PHONES):
        counters = phones.counters(index)
        assert (counters["requests"], counters["logins"], counters["writes"]) == (0, 0, 0), index
    assert_stopped(run, "phone%d" % INVALID,
                   "1 problem(s) in the variables of this phone, so nothing was sent to any phone of this batch")
    for index in (0, 2):
        assert_stopped(run, "phone%d" % index,
                       "stopped before any phone was touched: the variables of phone%d are invalid" % INVALID)
    assert {phone["status"] for phone in report.values()} == {"failed"} and len(report) == PHONES
    assert all(len(phone["errors"]) == 1 for phone in report.values())


def test_stop_message_fails_any_module_task_before_a_request(phones, tmp_path):
    """The option of every module that talks to a phone: set, the task fails with it (even with options that are
    wrong, which the message's caller already judged); empty or omitted, the task runs."""
    tasks = [
        {"name": "stopped", "grandstream.phone.gs_pvalues": {"values": {"ntp.server": "x.test"},
                                                             "stop_message": "held back by the caller"},
         "ignore_errors": True, "register": "stopped"},
        {"name": "stopped with a wrong option", "ignore_errors": True,
         "grandstream.phone.gs_info": {"gather_subset": ["no-such"], "stop_message": "held back"}},
        {"name": "empty", "grandstream.phone.gs_pvalues": {"values": {"ntp.server": "x.test"}, "stop_message": ""}},
        {"name": "omitted", "grandstream.phone.gs_info": {"gather_subset": ["system"],
                                                          "stop_message": "{{ nothing | default(omit) }}"}},
    ]
    phones.reset_counters()
    run = run_playbook(tmp_path, play(*tasks), inventory_for(phones, "http", count=1), name="options")
    assert run.rc == 0, run
    stopped = run.result("phone0", "stopped")
    assert (stopped["_status"], stopped["msg"], stopped["error_kind"], stopped["changed"]) == (
        "failed", "held back by the caller", "stopped", False)
    assert run.result("phone0", "stopped with a wrong option")["msg"] == "held back"
    assert run.result("phone0", "empty")["changed"] is True and phones.state(0)["pvalues"]["P30"] == "x.test"
    assert run.result("phone0", "omitted")["system"]["model"]
    # Only the two tasks that ran reached the phone: one login for the play.
    assert phones.counters(0)["logins"] == 1
