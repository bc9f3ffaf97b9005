"""Shared by the reliability suite: playbooks, the desired state, outcome checks and secret scans.

Every playbook runs as a real ``ansible-playbook`` against the emulator on 127.0.0.1
(tests/helpers); every run has a timeout, every loop a bound.
"""

import fcntl
import html
import json
import os
import shlex
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

import pytest

from emulator.phone import endpoint_name
from tests.helpers.ansible_run import ROOT, inventory_for, play, run_playbook
from tests.helpers.emulator_proc import DIALECTS
from tests.helpers.phone_http import origin, sha256_hex
from tests.helpers.role_results import PHONE_TASK, part_status, role_part

SEED = 4242
PLAYBOOK_TIMEOUT = 240  # seconds one ansible-playbook run may take before the test fails
RECOVERY_SECONDS = 30  # a rebooting phone must answer again within this before the rerun
PLAYBOOKS = os.path.join(ROOT, "playbooks")
COLLECTION = "grandstream.phone."
BUILTIN_GROUPS = ("default", "blacklist")

# The desired state every fault scenario converges to.
GROUPS = [{"name": "Sales"}, {"name": "Support"}]
CONTACTS = [{"first_name": "Jack", "last_name": "Brown", "group": "Sales", "work": "1001"},
            {"first_name": "Ada", "last_name": "King", "group": "Support", "mobile": "+442079460000"}]
SIP_PASSWORD = "Sip-Fault-Secret-7"
PVALUES = {"ntp.server": "ntp.site.test", "time.zone": "CET-1CEST", "time.format": "24h",
           "account1.active": True, "account1.sip_server": "pbx.site.test", "account1.sip_user_id": "1001",
           "account1.password": SIP_PASSWORD}
EXPECTED_PVALUES = {"P30": "ntp.site.test", "P64": "CET-1CEST", "P122": "1", "P271": "1",
                    "P47": "pbx.site.test", "P35": "1001", "P34": SIP_PASSWORD}
EXPECTED_CONTACTS = sorted([("Jack", "Brown", "Sales", "1001", ""), ("Ada", "King", "Support", "", "+442079460000")])

# The role's parts (playbooks/provision.yml): a task of this file's playbooks, or a part of the role's gs_phone task.
ROLE_PARTS = ("phonebook", "pvalues")
HOOK_POINTS = ("after_groups", "after_contacts")


# ------------------------------------------------------------------------------------------- dialects
def both_dialects():
    """A module-scoped ``dialect`` fixture over both firmware dialects (test ids ``[guide]`` / ``[current]``):
    a module that binds it (``dialect = both_dialects()``) starts its ``emulator_fixtures`` fleet once per
    dialect. The rest of the suite keeps the guide-only default of tests/conftest.py."""

    @pytest.fixture(scope="module", name="dialect", params=DIALECTS)
    def dialect_fixture(request):
        return request.param

    return dialect_fixture


def only_on(dialect, wanted, reason):
    """Skip (with ``reason`` in the report, never silently) a case about one dialect's own requests."""
    if dialect != wanted:
        pytest.skip("%s-dialect test: %s" % (wanted, reason))


# The settings endpoints of each dialect as the URL, fail_next and the results spell them (api.values.post);
# the emulator counts them under its own name (``counted_as``: api-values.post).
SETTINGS_READ = {"guide": "api.values.get", "current": "config_get"}
SETTINGS_WRITE = {"guide": "api.values.post", "current": "config_update"}


def counted_as(endpoint):
    """The emulator's ``by_endpoint`` name of ``endpoint`` as a URL spells it (api.values.post: api-values.post)."""
    name = endpoint_name(endpoint)
    assert name, "the emulator has no endpoint %r" % endpoint
    return name


def login_requests(dialect):
    """Requests one login sends: ``dologin``, after the current dialect's ``access`` step (a nonce, no login)."""
    return 2 if dialect == "current" else 1


# ------------------------------------------------------------------------------------------- playbooks
def module_task(name, module, args=None, **keywords):
    """A task of this collection's ``module`` (short name) with a readable ``name``."""
    task = {"name": name, COLLECTION + module: dict(args or {})}
    task.update(keywords)
    return task


def hook_task(point):
    """A task that fires this host's fault hook ``point`` (an HTTP POST), when the host has one.

    It is how a fault lands *between* two tasks of a running play: the play itself asks the
    emulator's control API (or the phone, for a second login) at that moment. A hook with a
    ``challenge`` (a current-firmware login) first asks that URL for a nonce and sends the body's
    password as ``sha256(password + nonce)``, as the phone's web UI does.
    """
    hook = "fault_hooks.%s" % point
    password = "(%s.body.password ~ fault_nonce.json.body) | hash('sha256')" % hook
    body = "{{ %s.body if %s.challenge is not defined else %s.body | combine({'password': %s}) }}" % (
        hook, hook, hook, password)
    return {"name": "fault " + point, "when": "%s is defined" % hook, "block": [
        {"name": "fault %s: nonce" % point, "when": "%s.challenge is defined" % hook, "register": "fault_nonce",
         "ansible.builtin.uri": {"url": "{{ %s.challenge.url }}" % hook, "method": "POST",
                                 "body_format": "form-urlencoded", "body": "{{ %s.challenge.body }}" % hook,
                                 "headers": "{{ %s.headers }}" % hook, "use_proxy": False, "timeout": 10}},
        {"name": "fault " + point, "ansible.builtin.uri": {
            "url": "{{ %s.url }}" % hook, "method": "POST", "body_format": "{{ %s.format }}" % hook, "body": body,
            "headers": "{{ %s.headers | default({}) }}" % hook, "use_proxy": False, "timeout": 10}}]}


def desired_state_playbook():
    """The role's work as separate tasks, with a fault hook between each two of them."""
    return play(
        module_task("groups", "gs_group", {"config": "{{ phone_groups }}"}),
        hook_task(HOOK_POINTS[0]),
        module_task("contacts", "gs_contacts", {"config": "{{ phone_contacts }}"}),
        hook_task(HOOK_POINTS[1]),
        module_task("pvalues", "gs_pvalues", {"values": "{{ phone_pvalues }}"}),
    )


def provision_playbook():
    """The collection's own playbooks/provision.yml (the role), as text."""
    with open(os.path.join(PLAYBOOKS, "provision.yml"), encoding="utf-8") as handle:
        return handle.read()


def control_hook(path, body=None):
    """A hook that POSTs ``body`` to the emulator's control API at ``path`` (``%d``: the phone's index)."""

    def hook(emulator, index):
        return {"url": emulator.control_url + path % index, "format": "json", "body": body or {}}

    return hook


EXPIRE_SESSIONS_HOOK = control_hook("/phones/%d/expire_sessions")
GO_DOWN_HOOK = control_hook("/phones/%d/faults", {"down": True})


def reboot_hook(seconds):
    """A hook that reboots the phone for ``seconds`` (negative: it never comes back)."""
    return control_hook("/phones/%d/reboot", {"seconds": seconds})


def second_login_hook(emulator, index):
    """A hook where someone else logs in as admin on the phone, in its dialect: the phone evicts our session."""
    hook = {"url": emulator.url(index, "dologin"), "format": "form-urlencoded",
            "body": {"username": "admin", "password": "admin"}}
    if emulator.dialect(index)["dialect"] == "current":
        # The challenge login: a nonce for sha256("admin"), and every POST with a same-origin Referer.
        hook.update(challenge={"url": emulator.url(index, "access"), "body": {"access": sha256_hex("admin")}},
                    headers={"Referer": origin(emulator, index) + "/"})
    return hook


def desired_state_inventory(emulator, count, host_vars=None, extra_vars=None):
    """Inventory of phones 0..count-1 holding the desired state as role variables."""
    group_vars = {"phone_groups": GROUPS, "phone_contacts": CONTACTS, "phone_pvalues": PVALUES}
    group_vars.update(extra_vars or {})
    inventory = inventory_for(emulator, "http", count=count, extra_vars=group_vars)
    hosts = inventory["all"]["children"]["phones"]["hosts"]
    for host, variables in (host_vars or {}).items():
        hosts[host].update(variables)
    return inventory


def run(tmp_path, playbook, inventory, *args, name="play", env=None, timeout=PLAYBOOK_TIMEOUT):
    """run_playbook with the suite's bound on time and enough forks for a whole fleet in one batch."""
    full_env = {"ANSIBLE_FORKS": "25"}
    full_env.update(env or {})
    return run_playbook(tmp_path, playbook, inventory, *args, name=name, env=full_env, timeout=timeout)


def computed_once(tmp_path_factory, name, produce):
    """``produce()`` (JSON data) computed once per test session, also when pytest-xdist workers
    share the module: the first worker computes under a file lock, the others read its answer."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run_id:
        return produce()
    path = tmp_path_factory.getbasetemp().parent / ("%s-%s.json" % (name, run_id))
    with open(str(path) + ".lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # bounded: the holder's playbook runs have timeouts
        try:
            if path.exists():
                return json.loads(path.read_text(encoding="utf-8"))
            data = produce()
            path.write_text(json.dumps(data), encoding="utf-8")
            return data
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class RecordedRun:
    """A playbook run as plain data (what computed_once can hand between workers)."""

    def __init__(self, data):
        self.rc = data["rc"]
        self.results = data["results"]
        self.stats = data["stats"]
        self.stdout = data["stdout"]
        self.stderr = data["stderr"]
        self.facts = data.get("facts", {})

    @staticmethod
    def data_of(playbook_run, **facts):
        """JSON data of a PlaybookRun, plus ``facts`` the test needs about the phones afterwards."""
        return {"rc": playbook_run.rc, "results": playbook_run.results, "stats": playbook_run.stats,
                "stdout": playbook_run.stdout, "stderr": playbook_run.stderr, "facts": facts}

    def __repr__(self):
        return "RecordedRun(rc=%s)\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
            self.rc, self.stdout[-6000:], self.stderr[-3000:])


def host_of(index):
    return "phone%d" % index


def label_of(emulator, index):
    """How the collection's messages name phone ``index`` (host:port)."""
    return "127.0.0.1:%d" % emulator.ports[index]


def task_result(playbook_run, host, task):
    """The recorded result of ``task`` on ``host``: a playbook's own task, or a part of the role's task."""
    results = playbook_run.results.get(host, {})
    if task in results:
        return results[task][-1]
    if task in ROLE_PARTS and PHONE_TASK in results:
        return role_part(playbook_run, host, task)
    raise AssertionError("no result for task %r on %s; tasks seen: %s\n%r"
                         % (task, host, sorted(results), playbook_run))


def failed_results(playbook_run, host):
    """[(task name, result)] of every failed or unreachable task of ``host``."""
    return [(task, result) for task, results in playbook_run.results.get(host, {}).items() for result in results
            if result.get("_status") in ("failed", "unreachable")]


# ------------------------------------------------------------------------------------------- phone state
def state_mismatches(state):
    """How a phone's state (control API) differs from the desired state; empty when it is exact."""
    problems = []
    names = sorted(group["name"] for group in state["groups"])
    wanted_names = sorted(list(BUILTIN_GROUPS) + [group["name"] for group in GROUPS])
    if names != wanted_names:
        problems.append("groups %s, wanted %s" % (names, wanted_names))
    group_names = {group["id"]: group["name"] for group in state["groups"]}
    contacts = sorted((contact["first"], contact["last"], group_names.get(contact["group"]), contact["work"],
                       contact["mobile"]) for contact in state["contacts"])
    if contacts != EXPECTED_CONTACTS:
        problems.append("contacts %s, wanted %s" % (contacts, EXPECTED_CONTACTS))
    for pname, value in sorted(EXPECTED_PVALUES.items()):
        if state["pvalues"].get(pname) != value:
            problems.append("%s is %r, wanted %r" % (pname, state["pvalues"].get(pname), value))
    return problems


def with_parts(result):
    """A task's result, then each part of it when it is the role's gs_phone result (its own status each)."""
    yield result
    if isinstance(result.get("results"), dict):
        for part in result["results"].values():
            yield dict(part, _status=part_status(part))


def reported_changes(playbook_run, host):
    """Everything the results of ``host`` say was changed: commands of changed tasks, the ``applied``
    and ``unverified`` parts of failed ones (a written secret the phone could not confirm) and the
    P-values of ``changes``, as one text to search."""
    texts = []
    for results in playbook_run.results.get(host, {}).values():
        for result in (item for task_result in results for item in with_parts(task_result)):
            texts.extend(str(part) for part in result.get("applied") or [])
            # May have reached the phone, unverified: owned up to as well.
            texts.extend(str(part) for part in result.get("unverified") or [])
            if result.get("_status") == "ok":
                texts.extend(result.get("commands") or [])
                texts.extend("%s (%s)" % (key, change.get("pvalue")) for key, change in
                             (result.get("changes") or {}).items() if isinstance(change, dict))
    return "\n".join(texts)


def unreported_changes(playbook_run, host, factory_state, state):
    """Changes on the phone that no result of the run owns up to (a silent half-applied change)."""
    reported = reported_changes(playbook_run, host)
    silent = []
    for group in state["groups"]:
        if group["name"] not in BUILTIN_GROUPS and "name=%s" % shlex.quote(group["name"]) not in reported:
            silent.append("group %s" % group["name"])
    for contact in state["contacts"]:
        if "first_name=%s" % shlex.quote(contact["first"]) not in reported:
            silent.append("contact %s %s" % (contact["first"], contact["last"]))
    for pname, value in state["pvalues"].items():
        if factory_state["pvalues"].get(pname) != value and "(%s)" % pname not in reported:
            silent.append("P-value %s" % pname)
    return silent


def fleet_writes(emulator):
    return emulator.counters()["writes"]


# ------------------------------------------------------------------------------------------- fault scenarios
@dataclass
class Scenario:
    """One phone's fault and what the play must make of it.

    ``expect``: ``converged`` (the play succeeds and the phone holds exactly the desired state),
    ``failed`` (a task fails with a message naming the phone and one of ``causes``) or ``either``.
    ``setup(emulator, index)`` runs before the play; ``hooks`` (hook point -> ``hook(emulator, index)``)
    fire during it (see hook_task); ``revive`` factory-resets a phone that never came back before the rerun.
    """

    name: str
    faults: dict = field(default_factory=dict)
    hooks: dict = field(default_factory=dict)
    host_vars: dict = field(default_factory=dict)
    expect: str = "converged"
    causes: tuple = ()
    setup: object = None
    revive: bool = False


@dataclass
class FaultOutcome:
    faulty: object  # the run with faults
    rerun: object  # faults cleared
    third: object  # the idempotence proof (the rerun itself when it changed nothing)
    failed_hosts: set
    faulty_log: str  # what the emulator logged during the faulty run


def _scenario_problems(emulator, faulty_run, index, scenario, factory_state):
    host, label = host_of(index), label_of(emulator, index)
    state = emulator.state(index)
    failures = failed_results(faulty_run, host)
    problems = ["never half-applied without saying so: %s" % change
                for change in unreported_changes(faulty_run, host, factory_state, state)]
    if failures:
        if scenario.expect == "converged":
            problems.append("failed: %s" % [result.get("msg") for unused_task, result in failures])
        for task, result in failures:
            message = str(result.get("msg", ""))
            if label not in message or not any(cause in message for cause in scenario.causes):
                problems.append("task %r failed without naming the phone (%s) and a cause %s: %s"
                                % (task, label, scenario.causes, message))
            if result.get("changed") and not result.get("applied"):
                problems.append("task %r changed the phone but does not say what was applied" % task)
    else:
        if scenario.expect == "failed":
            problems.append("expected a failure, the play succeeded")
        problems.extend("not the desired state: %s" % mismatch for mismatch in state_mismatches(state))
    return ["%s (%s): %s" % (scenario.name, host, problem) for problem in problems]


def _inject_faults(emulator, scenarios):
    """Set every phone's faults and setup; return the host variables carrying each phone's hooks."""
    host_vars = {}
    for index, scenario in enumerate(scenarios):
        if scenario.faults:
            emulator.faults(index, scenario.faults)
        if scenario.setup:
            scenario.setup(emulator, index)
        hooks = {point: hook(emulator, index) for point, hook in scenario.hooks.items()}
        host_vars[host_of(index)] = dict(scenario.host_vars, fault_hooks=hooks)
    return host_vars


def _converge_after_faults(tmp_path, emulator, scenarios, playbook, behind):
    """Clear the faults, rerun (it must converge every phone, changing those ``behind``), then prove
    idempotence: (rerun, last run)."""
    emulator.faults(None, {})
    for index, scenario in enumerate(scenarios):
        if scenario.revive:
            emulator.reset(index)
            behind.add(host_of(index))
        emulator.wait_until_up(index, timeout=RECOVERY_SECONDS)
    inventory = desired_state_inventory(emulator, len(scenarios), {
        host_of(index): scenario.host_vars for index, scenario in enumerate(scenarios)})
    rerun = run(tmp_path, playbook, inventory, name="rerun")
    assert rerun.rc == 0, rerun
    for index, scenario in enumerate(scenarios):
        assert not state_mismatches(emulator.state(index)), (scenario.name, state_mismatches(emulator.state(index)))
        changed = rerun.changed_count(host_of(index))
        assert bool(changed) == (host_of(index) in behind), (scenario.name, changed, rerun)
    if not behind:
        return rerun, rerun  # the rerun changed nothing: it is the idempotence proof
    emulator.reset_counters()
    third = run(tmp_path, playbook, inventory, name="third")
    assert third.rc == 0, third
    for index, scenario in enumerate(scenarios):
        assert third.changed_count(host_of(index)) == 0, (scenario.name, third)
    assert fleet_writes(emulator) == 0
    return rerun, third


def _judge_faulty_run(emulator, faulty, scenarios, factory_states):
    """Fail on any phone that broke the rule; return (hosts that failed, hosts not in the desired state)."""
    problems = []
    for index, scenario in enumerate(scenarios):
        problems += _scenario_problems(emulator, faulty, index, scenario, factory_states[index])
    assert not problems, "\n".join(problems) + "\n%r" % faulty
    hosts = [host_of(index) for index in range(len(scenarios))]
    return ({host for host in hosts if failed_results(faulty, host)},
            {host for index, host in enumerate(hosts) if state_mismatches(emulator.state(index))})


def run_fault_scenarios(tmp_path, emulator, scenarios, playbook, proven=False):
    """Phone i gets scenarios[i]; run the play with the faults, then without them until idempotent.

    Checks for every phone: the faulty run either converged exactly or failed clearly (phone and
    cause named), nothing changed silently; the rerun converges every phone, changing the ones the
    faulty run left behind; a last run changes nothing and sends no write. ``proven``: this controller
    logged in to the phones before (a read-only run, then the phones' sessions end), so its login memory
    knows their password is right and repeats a login whose answer was lost (docs/reliability.md).
    """
    emulator.reset()
    if proven:
        inventory = desired_state_inventory(emulator, len(scenarios))
        earlier = run(tmp_path, play(module_task("earlier run", "gs_info", {})), inventory, name="earlier")
        assert earlier.rc == 0, earlier
        emulator.reset()  # sessions end, counters start at zero: the faulty run logs in again
    factory_states = [emulator.state(index) for index in range(len(scenarios))]
    host_vars = _inject_faults(emulator, scenarios)
    log_start = len(emulator.read_log())
    faulty = run(tmp_path, playbook, desired_state_inventory(emulator, len(scenarios), host_vars), name="faulty")
    faulty_log = emulator.read_log()[log_start:]
    failed_hosts, behind = _judge_faulty_run(emulator, faulty, scenarios, factory_states)
    rerun, third = _converge_after_faults(tmp_path, emulator, scenarios, playbook, behind)
    return FaultOutcome(faulty, rerun, third, failed_hosts, faulty_log)


def log_lines(log, index, status):
    """Lines of the emulator's request ``log`` for phone ``index`` answered ``status`` (``503``, ``reset``)."""
    prefix = "phone=%d " % index
    return [line for line in log.splitlines() if prefix in line and line.rstrip().endswith(" " + status)]


# ------------------------------------------------------------------------------------------- secrets
def secret_forms(secret):
    """A secret as it could leak: raw, URL-encoded (path and form style, fully encoded) and escaped for
    XML / HTML (the rendered files, drift.html, drift.junit.xml)."""
    return {secret, quote(secret), quote_plus(secret), quote(secret, safe=""), html.escape(secret),
            html.escape(secret, quote=False)}


def find_leaks(secrets, texts):
    """[(where, secret form)] for every secret form found in ``texts`` ({where: text})."""
    leaks = []
    for where, text in sorted(texts.items()):
        for secret in secrets:
            leaks.extend((where, form) for form in sorted(secret_forms(secret)) if form in text)
    return leaks


def read_tree(directory):
    """{path: text} of every file under ``directory``."""
    texts = {}
    for folder, unused_dirs, files in os.walk(directory):
        for file_name in files:
            path = os.path.join(folder, file_name)
            with open(path, "rb") as handle:
                texts[path] = handle.read().decode("utf-8", errors="replace")
    return texts
