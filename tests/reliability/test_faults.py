"""Faults survived or named: real playbooks against phones that misbehave on purpose.

Each test gives every phone of a fleet its own fault (emulator control API, seeded), runs a real
play, and holds it to one rule (support.run_fault_scenarios): a phone ends in exactly the desired
state, or its task fails with a message naming the phone and the cause and saying what it applied;
with the faults cleared a rerun converges every phone, and a last run changes nothing.
Faults that must land between two tasks are fired by the play itself (support.hook_task).
Every case runs on both firmware dialects (``[guide]`` / ``[current]``); a fault aimed at one endpoint names the
dialect's own (support.SETTINGS_WRITE: api.values.post, config_update), a second login is the dialect's own.
"""


from tests.helpers.ansible_run import play
from tests.helpers.emulator_proc import emulator_fixtures
from tests.reliability.support import (EXPIRE_SESSIONS_HOOK, GO_DOWN_HOOK, SEED, SETTINGS_WRITE, Scenario,
                                       both_dialects, counted_as, desired_state_inventory, desired_state_playbook,
                                       failed_results, host_of, log_lines, module_task, provision_playbook,
                                       reboot_hook, run, run_fault_scenarios, second_login_hook, task_result)
from tests.helpers.role_results import PHONE_TASK

FLEET = 8
REFUSED = "connection refused"
# How a phone fails under most connections reset: the reset named, or (a later task) the login whose every
# attempt lost its answer, which is not sent again during the run.
RESET_CAUSES = ("connection reset by the phone", "with this password got no answer")


# run_fault_scenarios resets the phones itself; the reboots take their length from the control API request.
dialect = both_dialects()
phones, factory_phones = emulator_fixtures(count=FLEET, extra_args=["--seed", str(SEED)])


def relogins(playbook_run, index, task):
    return task_result(playbook_run, host_of(index), task)["requests"]["relogins"]


def test_lost_sessions_cost_one_login_each_and_nothing_else(phones, tmp_path):
    scenarios = [
        Scenario("session expires after every request", faults={"expire_every": 1}),
        Scenario("session expires after every third request", faults={"expire_every": 3}),
        Scenario("sessions expire between tasks", hooks={"after_groups": EXPIRE_SESSIONS_HOOK,
                                                         "after_contacts": EXPIRE_SESSIONS_HOOK}),
        Scenario("someone else logs in mid-play", hooks={"after_groups": second_login_hook}),
    ]
    outcome = run_fault_scenarios(tmp_path, phones, scenarios, desired_state_playbook())
    assert outcome.failed_hosts == set()
    # Inside a task: every lost session costs one login again, never a failed one.
    for index in (0, 1):
        again = sum(relogins(outcome.faulty, index, task) for task in ("groups", "contacts", "pvalues"))
        assert again >= 3, (scenarios[index].name, again)
    # Between tasks: the next task notices on its first request and logs in once.
    assert [relogins(outcome.faulty, 2, task) for task in ("groups", "contacts", "pvalues")] == [0, 1, 1]
    assert [relogins(outcome.faulty, 3, task) for task in ("groups", "contacts", "pvalues")] == [0, 1, 0]


def test_read_errors_and_latency_are_absorbed_by_the_role(phones, tmp_path):
    read_errors = {"error_rate": 0.05, "error_on": "reads"}
    scenarios = [Scenario("5%% HTTP 503 on reads (%d)" % number, faults=read_errors) for number in range(4)]
    scenarios.append(Scenario("200 ms latency, gs_timeout 1", faults={"latency_ms": 200},
                              host_vars={"gs_timeout": 1}))
    outcome = run_fault_scenarios(tmp_path, phones, scenarios, provision_playbook())
    assert outcome.failed_hosts == set()
    errors = sum(len(log_lines(outcome.faulty_log, index, "503")) for index in range(4))
    # The role's one task per phone counts the requests of all its parts.
    retries = sum(outcome.faulty.result(host_of(index), PHONE_TASK)["requests"]["retries"] for index in range(4))
    assert errors > 0, "seed %d no longer draws a 5xx for these requests: choose another" % SEED
    assert retries == errors  # each 503 cost exactly one retry of an idempotent read


def test_partial_failures_say_what_was_applied(phones, tmp_path, dialect):
    # 10 % resets, also after the phone acted: the phonebook reads the phone again and resends only what did
    # not happen, so these phones converge. 60 % resets exhaust the rounds: those fail, saying what was applied.
    survived = [Scenario("connections reset (%d)" % number, faults={"reset_rate": 0.1}) for number in range(3)]
    survived += [Scenario("connections reset before and after acting (%d)" % number,
                          faults={"reset_rate": 0.1, "reset_after_rate": 0.1}) for number in range(2)]
    # The dialect is given for these two: with the seed, their request sequence (no dialect probe first) is
    # the one whose resets hit a multi-request change mid-way, which the assertions below need.
    resetting = survived + [Scenario("most connections reset (%d)" % number, faults={"reset_rate": 0.6},
                                     host_vars={"gs_firmware_dialect": dialect},
                                     expect="either", causes=RESET_CAUSES) for number in range(2)]
    scenarios = resetting + [Scenario("P30 and P64 silently dropped", faults={"drop_writes": ["P30", "P64"]},
                                      expect="failed", causes=("did not stick",))]
    # On current firmware a login is two requests (access, dologin): with the seed, resets hit the first dologin of
    # three of the phones that must survive, which a controller that never saw the password work cannot repeat.
    # There this controller has managed the phones before, as a fleet's controller has.
    outcome = run_fault_scenarios(tmp_path, phones, scenarios, provision_playbook(), proven=dialect == "current")
    resets = sum(len(log_lines(outcome.faulty_log, index, "reset")) for index in range(len(survived)))
    assert resets >= len(survived), "seed %d: only %d reset(s) on the phones that must survive them" % (SEED, resets)
    reset_failures = outcome.failed_hosts - {host_of(len(resetting))}
    assert reset_failures, "seed %d: 60 %% resets failed no phone; the test needs a failed one" % SEED
    # A failed multi-request change lists what it had applied (support.unreported_changes checks the phone).
    partial = [result for host in reset_failures for unused_task, result in failed_results(outcome.faulty, host)
               if result.get("applied")]
    assert partial, "seed %d: no reset hit a multi-request change after its first request" % SEED
    dropped = task_result(outcome.faulty, host_of(len(resetting)), "pvalues")
    assert dropped["changed"] is True and dropped["error_kind"] == "not_applied"
    assert dropped["not_applied"] == ["ntp.server (P30)", "time.zone (P64)"]
    assert "did not stick" in dropped["msg"] and "ntp.server (P30), time.zone (P64)" in dropped["msg"]
    assert sorted(dropped["applied"]) == ["account1.active (P271)", "account1.sip_server (P47)",
                                          "account1.sip_user_id (P35)"]
    # Phone 7 is a WP820, which reads every secret back empty: the password was written, never verified.
    assert dropped["unverified"] == ["account1.password (P34)"]


def never_back_from_the_start(emulator, index):
    emulator.reboot(index, -1)


def test_reboots_are_ridden_out_and_phones_that_never_come_back_fail_alone(phones, tmp_path):
    scenarios = [
        # Backoff of 8 retries: at least 15 s in all, so a 6 s reboot is ridden out however late the task starts.
        Scenario("6 s reboot between tasks, gs_retries 8", hooks={"after_groups": reboot_hook(6)},
                 host_vars={"gs_retries": 8}),
        # The default 3 retries back off for at most 1.75 s: usually named, ridden out if the task starts late.
        Scenario("10 s reboot between tasks, default retries", hooks={"after_groups": reboot_hook(10)},
                 expect="either", causes=(REFUSED, "HTTP 503")),
        Scenario("down from the start", faults={"down": True}, expect="failed", causes=(REFUSED,)),
        Scenario("endless reboot from the start", setup=never_back_from_the_start, expect="failed",
                 causes=(REFUSED,), revive=True),
        Scenario("goes down mid-play", hooks={"after_groups": GO_DOWN_HOOK}, expect="failed", causes=(REFUSED,)),
        Scenario("endless reboot mid-play", hooks={"after_contacts": reboot_hook(-1)}, expect="failed",
                 causes=(REFUSED,), revive=True),
        Scenario("answers after 3 s, gs_timeout 1", faults={"latency_ms": 3000},
                 host_vars={"gs_timeout": 1, "gs_retries": 1}, expect="failed", causes=("within 1.0s",)),
        Scenario("healthy"),
    ]
    outcome = run_fault_scenarios(tmp_path, phones, scenarios, desired_state_playbook())
    assert outcome.failed_hosts - {host_of(1)} == {host_of(index) for index in range(2, 7)}
    # The reboot dropped the session (one login again) while the phone refused or answered 503 (retries).
    ridden_out = task_result(outcome.faulty, host_of(0), "contacts")["requests"]
    assert ridden_out["retries"] >= 1 and ridden_out["relogins"] == 1, ridden_out
    assert task_result(outcome.faulty, host_of(4), "groups")["changed"] is True  # before it went down
    assert task_result(outcome.faulty, host_of(5), "contacts")["changed"] is True


# ------------------------------------------------------------------- a settings write whose answer is lost
WRITE_VALUES = {"ntp.server": "ntp.site.test", "time.zone": "CET-1CEST"}
WRITE_PNAMES = {"P30": "ntp.site.test", "P64": "CET-1CEST"}
# Per phone: the faults of its settings write. Every attempt (1 + gs_retries 3) handled and its answer lost; every
# attempt reset before the phone acts (the client cannot tell these two apart); one answer lost, then answered.
WRITE_FAULTS = (["lost"] * 4, ["reset"] * 4, ["lost"])


def test_a_settings_write_whose_answer_is_lost_is_reported_as_possibly_applied_and_a_rerun_converges(
        phones, tmp_path, dialect):
    write_endpoint, counted = SETTINGS_WRITE[dialect], counted_as(SETTINGS_WRITE[dialect])
    for index, answers in enumerate(WRITE_FAULTS):
        phones.faults(index, {"fail_next": {write_endpoint: answers}})
    phones.faults(len(WRITE_FAULTS), {"reset_after_writes": 1})  # handles the write, then goes away
    playbook = play(module_task("pvalues", "gs_pvalues", {"values": WRITE_VALUES}, ignore_errors=True))
    inventory = desired_state_inventory(phones, len(WRITE_FAULTS) + 1)
    faulty = run(tmp_path, playbook, inventory, name="faulty")
    for index in range(len(WRITE_FAULTS) + 1):
        result = task_result(faulty, host_of(index), "pvalues")
        # Whether or not the phone holds the values now, the write may have reached it: never hidden.
        assert result["changed"] is True, (index, result)
        held = {pname: phones.state(index)["pvalues"][pname] for pname in WRITE_PNAMES}
        if result["_status"] == "ok":
            assert held == WRITE_PNAMES, (index, result)
            continue
        assert "127.0.0.1:%d" % phones.ports[index] in result["msg"], result["msg"]
        # The write is owned up to by name (endpoint and P-numbers, never values), unanswered ones marked so.
        owned = " ".join(result.get("applied", []) + result.get("unverified", []))
        assert write_endpoint in owned and all(pname in owned for pname in WRITE_PNAMES), (index, result)
        if index < 2:  # no attempt was answered: the write is marked as one whose outcome is unknown
            assert "no clear answer" in owned, (index, result)
    assert task_result(faulty, host_of(2), "pvalues")["_status"] == "ok"  # one lost answer: written again, read back
    assert 1 <= phones.counters(0)["by_endpoint"][counted] <= 4, phones.counters(0)  # at most 1 + gs_retries
    assert all(phones.counters(index)["failed_logins"] == 0 for index in range(len(WRITE_FAULTS) + 1))
    # With the faults cleared (fail_next used up; the phone that went away restarted), a rerun converges every
    # phone, writing only where the faulty run left the phone behind, and a last run changes nothing.
    phones.faults(len(WRITE_FAULTS), {})
    rerun = run(tmp_path, playbook, inventory, name="rerun")
    assert rerun.rc == 0, rerun
    for index in range(len(WRITE_FAULTS) + 1):
        assert {pname: phones.state(index)["pvalues"][pname] for pname in WRITE_PNAMES} == WRITE_PNAMES, index
    assert task_result(rerun, host_of(1), "pvalues")["changed"] is True
    assert task_result(rerun, host_of(0), "pvalues")["changed"] is False
    phones.reset_counters()
    last = run(tmp_path, playbook, inventory, name="last")
    assert last.rc == 0 and all(last.changed_count(host_of(index)) == 0 for index in range(len(WRITE_FAULTS) + 1))
    assert phones.counters()["writes"] == 0
