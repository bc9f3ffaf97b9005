"""Concurrency: two plays on the same phones at once, and an emulator killed in the middle of writes.

Two ansible-playbook processes (separate session caches, as from two controllers: each login
evicts the other's session) apply the same exact desired state to the same phones at the same
moment. Each phone must either converge in both or fail clearly in one; a later run converges and
a last one changes nothing. Then the emulator is killed with SIGKILL while it writes, round after
round (bounded), and its state files must always parse and come back consistent. Both run on each firmware
dialect (``[guide]`` / ``[current]``): the current one's challenge logins race each other too, and its writes
are ``config_update`` PUTs.
"""

import json
import random
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers.ansible_run import play
from tests.helpers.emulator_proc import EmulatorProcess
from tests.helpers.phone_http import phone_login
from tests.reliability.support import (GROUPS, SEED, SETTINGS_WRITE, both_dialects, desired_state_inventory,
                                       failed_results, fleet_writes, host_of, label_of, module_task, run,
                                       state_mismatches)

PHONES = 2
KILL_ROUNDS = 8
MAX_WRITES_PER_ROUND = 2000
STOP_SECONDS = 10  # every join and wait below is bounded by this
# Both tests start and kill processes: a hard limit of their own besides the suite's.
pytestmark = pytest.mark.timeout(300)
dialect = both_dialects()
# Current firmware keeps one login nonce per user (docs/emulator.md), and a dologin uses it up whatever its
# outcome: two controllers logging in to one phone at the same moment (access, access, dologin, dologin) spend
# each other's nonce, so the right password is refused, a counted failed login for each, and each controller's
# login memory then holds it as refused. Not told apart by the client yet (docs/reliability.md): at most one
# per controller and phone, since a refused password is never sent again; guide phones have no nonce to race.
NONCE_RACE_FAILED_LOGINS = {"guide": 0, "current": 2}


def desired_state_playbook(state):
    """The desired state with groups and contacts ``overridden`` (exactly), or ``merged`` (the role's default:
    a contact a race stored twice is still a desired contact held twice, which the next run removes)."""
    return play(
        module_task("groups", "gs_group", {"config": "{{ phone_groups }}", "state": state}),
        module_task("contacts", "gs_contacts", {"config": "{{ phone_contacts }}", "state": state}),
        module_task("pvalues", "gs_pvalues", {"values": "{{ phone_pvalues }}"}),
    )


def clear_failure_problems(playbook_run, emulator, host, index):
    """Failures of ``host`` that are not clear: a failure must name the phone and be a phone-side error."""
    problems = []
    for task, result in failed_results(playbook_run, host):
        message = str(result.get("msg", ""))
        if label_of(emulator, index) not in message or not result.get("error_kind") or "Traceback" in message:
            problems.append("%s %s: %s" % (host, task, message))
    return problems


@pytest.mark.parametrize("state", ["overridden", "merged"])
def test_two_plays_on_the_same_phones_at_once_converge_or_fail_clearly(tmp_path, state, dialect):
    with EmulatorProcess(count=PHONES, firmware=dialect, extra_args=["--seed", str(SEED)]) as emulator:
        if state == "merged":
            # The groups exist already, so both plays reach the contacts: both read none, both add them.
            for index in range(PHONES):
                session = phone_login(emulator, index)
                for group in GROUPS:
                    session.get(emulator.url(index, "api-add_group"), params=group, timeout=10).raise_for_status()
                session.close()
            emulator.reset_counters()
        emulator.faults(None, {"latency_ms": 20})  # widens every race window a little
        inventory = desired_state_inventory(emulator, PHONES)
        playbook = desired_state_playbook(state)

        def one_controller(name):
            return run(tmp_path, playbook, inventory, name=name, env={"GS_SESSION_CACHE_DIR": str(tmp_path / name)})

        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(one_controller, ["controller-a", "controller-b"])
        problems = []
        for index in range(PHONES):
            host = host_of(index)
            problems += clear_failure_problems(first, emulator, host, index)
            problems += clear_failure_problems(second, emulator, host, index)
            both_ok = not failed_results(first, host) and not failed_results(second, host)
            if both_ok:
                problems += ["%s: both plays succeeded but %s" % (host, mismatch)
                             for mismatch in state_mismatches(emulator.state(index))]
        assert not problems, "\n".join(problems)
        # The right password throughout: a session the other controller evicted costs a login, never a failed one;
        # except where two challenge logins race (see NONCE_RACE_FAILED_LOGINS): never more, never a lock.
        for index in range(PHONES):
            messages = [result.get("msg") for playbook_run in (first, second)
                        for unused_task, result in failed_results(playbook_run, host_of(index))]
            assert emulator.counters(index)["failed_logins"] <= NONCE_RACE_FAILED_LOGINS[dialect], (
                host_of(index), emulator.counters(index), messages)
            assert emulator.state(index)["lock"]["locked"] is False

        emulator.faults(None, {})
        again = run(tmp_path, playbook, inventory, name="again")
        assert again.rc == 0, again
        emulator.reset_counters()
        last = run(tmp_path, playbook, inventory, name="last")
        assert last.rc == 0, last
        for index in range(PHONES):
            assert not state_mismatches(emulator.state(index))
            assert last.changed_count(host_of(index)) == 0
            counters = emulator.counters(index)
            # At most one login per task (the session cache may spare them), no failed one, no write.
            assert (counters["failed_logins"], counters["writes"]) == (0, 0), counters
            assert counters["logins"] <= 3, counters
        assert fleet_writes(emulator) == 0
        for index in range(PHONES):
            saved = json.loads((emulator.state_dir / ("phone-%d.json" % index)).read_text(encoding="utf-8"))
            assert not state_mismatches(saved["state"])


class Writer(threading.Thread):
    """Writes generation after generation (three P-values per request) until the phone goes away."""

    VALUES = ("P3", "P35", "P36")  # empty at the factory

    def __init__(self, emulator, index, dialect):
        super().__init__(daemon=True)
        self.session = phone_login(emulator, index)
        self.dialect = dialect
        self.url = emulator.url(index, SETTINGS_WRITE[dialect])
        self.acknowledged = 0  # the last generation the phone answered success for
        self.stopping = threading.Event()

    def write(self, generation):
        """One write of all three values, as the dialect writes (a form POST, or config_update's JSON PUT)."""
        values = {name: "gen-%d" % generation for name in self.VALUES}
        if self.dialect == "current":
            body = {"alias": {}, "pvalue": {name[len("P"):]: value for name, value in values.items()}}
            return self.session.put(self.url, json=body, timeout=5)
        return self.session.post(self.url, data=dict(values, sid=self.session.sid), timeout=5)

    def run(self):
        for generation in range(1, MAX_WRITES_PER_ROUND + 1):
            if self.stopping.is_set():
                return
            try:
                answer = self.write(generation)
            except OSError:
                return  # the emulator was killed
            if answer.status_code == 200 and answer.json().get("response") == "success":
                self.acknowledged = generation


def saved_generation(state_dir, index):
    """The generation phone ``index``'s state file holds; its three values must agree (atomic writes)."""
    path = state_dir / ("phone-%d.json" % index)
    if not path.exists():
        return 0  # nothing written yet
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    values = {document["state"]["pvalues"].get(name, "") for name in Writer.VALUES}
    assert len(values) == 1, "a write was torn: %s" % values
    value = values.pop()
    return int(value[len("gen-"):]) if value else 0


def test_sigkill_in_the_middle_of_writes_never_corrupts_the_state(tmp_path, dialect):
    state_dir = tmp_path / "state"
    chooser = random.Random(SEED)
    generations = [0] * PHONES
    for round_number in range(KILL_ROUNDS):
        emulator = EmulatorProcess(count=PHONES, state_dir=state_dir, firmware=dialect,
                                   extra_args=["--seed", str(SEED)]).start()
        try:
            for index in range(PHONES):
                restarted = emulator.state(index)["pvalues"]
                # Restarted with exactly what the file held: the last complete write before the kill.
                assert {restarted[name] for name in Writer.VALUES} == {
                    "gen-%d" % generations[index] if generations[index] else ""}, (round_number, restarted)
            assert not list(state_dir.glob(".phone-*.tmp")), "leftover temporary files were not cleaned"
            writers = [Writer(emulator, index, dialect) for index in range(PHONES)]
            for writer in writers:
                writer.start()
            threading.Event().wait(chooser.uniform(0.05, 0.4))
            emulator.process.send_signal(signal.SIGKILL)
            emulator.process.wait(STOP_SECONDS)
            for writer in writers:
                writer.stopping.set()
                writer.join(STOP_SECONDS)
                assert not writer.is_alive()
        finally:
            emulator.stop()
        for index, writer in enumerate(writers):
            generations[index] = saved_generation(state_dir, index)
            # Durable: what the phone acknowledged is on disk (it may hold one more, answered too late).
            assert generations[index] in (writer.acknowledged, writer.acknowledged + 1), (
                round_number, index, generations[index], writer.acknowledged)
    assert all(generations), "no write landed in %d rounds" % KILL_ROUNDS
