# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet-scale benchmark: the role against the baselines users would otherwise use, in one run.

    python benchmarks/fleet.py --phones 500 --reps 3 --forks 50 [--curve 50,100,200,500]

Starts the emulator (HTTP, 127.0.0.1 only), provisions every phone once with the role, then measures:

  A  ours:  playbooks/drift.yml (check mode, the role), a no-change drift check;
  B  users: benchmarks/baseline_uri.yml, the same checks as ansible.builtin.uri tasks;
  C  bound: benchmarks/raw_client.py, a 50-thread pool making only the minimal requests, no Ansible;
  D  apply: playbooks/provision.yml with 20 changed values on every phone (a new variant each repetition).

Writes benchmarks/results/latest.md and latest.json (and scaling.png with --curve). The emulator is
stopped at the end whatever happens; every playbook run is bounded by a timeout.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from importlib import metadata

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import desired_state, fleet_path, raw_client  # noqa: E402  (needs ROOT on sys.path)
from tests.helpers.emulator_proc import EmulatorError, EmulatorProcess  # noqa: E402

BENCH_DIR = os.path.join(ROOT, "benchmarks")
DEFAULT_RESULTS_DIR = os.path.join(BENCH_DIR, "results")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
DRIFT_PLAYBOOK = os.path.join("playbooks", "drift.yml")  # relative to the collection measured
PROVISION_PLAYBOOK = os.path.join("playbooks", "provision.yml")
URI_PLAYBOOK = os.path.join(BENCH_DIR, "baseline_uri.yml")
RAW_CLIENT_WORKERS = 50
RESOURCES_READ = ("P-values", "groups", "contacts")
GIB = 1 << 30
SAMPLE_SECONDS = 0.25
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

TARGETS = {
    "B/A": 20.0,          # the uri playbook takes at least 20x as long as the role (issue 19)
    "A/C": 3.0,           # the role takes at most 3x the raw lower bound
    "logins_per_phone": 1,
    # The unauthenticated firmware-dialect probe (model.define.js: no login spent), 1 login, 1 read per resource.
    "requests_per_unchanged_phone": 2 + len(RESOURCES_READ),
    "apply_extra_requests_per_phone": 2,   # 1 POST + 1 read-back on top of A
    "emulator_rss_bytes": GIB,
    "A_cpu_ms_per_phone": 65.0,  # half of the ~130 ms of controller CPU per phone the role cost (issue 19)
    "A/N per task": 1.5,          # the role at most 1.5x the no-op floor for as many host-tasks per phone
}


# Why a target can be missed, shown under the targets table when it is (measured in docs/performance.md).
LIMITS = {
    "B/A": "B pays a Python interpreter per uri task (4 per phone); A pays Ansible's per-host-task overhead for "
           "every task of the role ({tasks_per_phone:g} per phone here) and for its own HTTP; see "
           "docs/performance.md.",
    "A controller CPU per phone": "Ansible's no-op floor N is ~20 ms of CPU per host-task here and the role runs "
                                  "{tasks_per_phone:g} host-tasks per phone; see docs/performance.md.",
    "A CPU / N CPU per host-task": "on top of Ansible's per-host-task floor (a no-op task, no request) the role's "
                                   "one task per phone makes the check's requests (the dialect probe, the login, "
                                   "a read per resource) in a fresh worker and runs the engines, and the play "
                                   "validates every phone once; see docs/performance.md.",
    "A/C": "Ansible costs tens of ms per host and task in its single main process (fork, get_vars, callbacks) "
           "before any HTTP; C needs ~8 ms per phone in all, so no per-host task design reaches 3x C.",
    "requests per unchanged phone": "more than the dialect probe, one login and one read per resource: a group "
                                    "missing from the phonebook XML costs an api-get_groups read, or a session "
                                    "was not kept.",
    "logins per phone": "a play logged in more than once per phone: check the session cache.",
    "D on top of A": "the apply run did more than one write and one read-back per phone.",
    "emulator peak RSS": "the emulator grew past 1 GiB.",
    "F/C": "F is a whole ansible-playbook run (start-up, inventory, the play) plus the engines' Python work per "
           "phone in one process, whose threads share one core (the GIL); C is bare requests. Where F's time goes: "
           "docs/performance.md.",
    "F cost per phone": "the average per phone falls as F's fixed start-up (one ansible-playbook run, the inventory) "
                        "spreads over more phones, and grows with Ansible's own part, which grows with the inventory "
                        "(the no-op floor N along the curve); the cost of one more phone takes the fixed part out.",
    "F cost of one more phone": "each further phone costs more at larger sizes: Ansible's own part grows with the "
                                "inventory (compare the no-op floor N along the curve); see docs/performance.md.",
    "F controller CPU per phone": "see F cost per phone.",
    "F at 5000": "see F/C.",
}


class BenchmarkError(RuntimeError):
    """A contestant failed or did not do the work it was asked to (never a slow one)."""


# ------------------------------------------------------------------------------------------- measuring
def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_tree_rss(root_pid):
    """(sum of VmRSS over root_pid and its descendants, VmRSS of root_pid), in bytes, from /proc."""
    parent_of = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            parent_of[int(entry)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree = {root_pid}
    grew = True
    while grew:
        grew = False
        for pid, parent in parent_of.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total, root_rss = 0, 0
    for pid in tree:
        try:
            with open("/proc/%d/statm" % pid, encoding="ascii") as handle:
                rss = int(handle.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
        total += rss
        if pid == root_pid:
            root_rss = rss
    return total, root_rss


def status_field_bytes(pid, field):
    """A kB field of /proc/<pid>/status (VmHWM, VmRSS) in bytes, or None once the process is gone."""
    try:
        with open("/proc/%d/status" % pid, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


class TreeMemorySampler(threading.Thread):
    """Samples the RSS of a process tree until stopped: peak sum over the tree, peak of the root."""

    def __init__(self, root_pid):
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.peak_tree_bytes = 0
        self.peak_root_bytes = 0
        self.root_high_water_bytes = 0
        self.finished = threading.Event()

    def run(self):
        while not self.finished.wait(SAMPLE_SECONDS):
            total, root_rss = process_tree_rss(self.root_pid)
            self.peak_tree_bytes = max(self.peak_tree_bytes, total)
            self.peak_root_bytes = max(self.peak_root_bytes, root_rss)
            high_water = status_field_bytes(self.root_pid, "VmHWM")
            if high_water:
                self.root_high_water_bytes = max(self.root_high_water_bytes, high_water)

    def stop(self):
        self.finished.set()
        self.join()


class Measurement:
    """One timed run of one contestant, with what the phones saw meanwhile."""

    def __init__(self, label, phones, seconds, cpu_seconds=None, counters=None, memory=None, detail=None):
        self.label = label
        self.phones = phones
        self.seconds = seconds
        self.cpu_seconds = cpu_seconds
        self.counters = counters or {}
        self.memory = memory or {}
        self.detail = detail or {}

    def per_phone(self, key):
        return self.counters.get(key, 0) / self.phones

    def endpoint_per_phone(self, endpoint):
        return self.counters.get("by_endpoint", {}).get(endpoint, 0) / self.phones

    def as_dict(self):
        counters = self.counters
        data = {"phones": self.phones, "seconds": round(self.seconds, 3),
                "cpu_seconds": None if self.cpu_seconds is None else round(self.cpu_seconds, 3)}
        if counters:
            data["per_phone"] = {
                "requests": self.per_phone("requests"),
                "logins": self.per_phone("logins"),
                "writes": self.per_phone("writes"),
                "posts": counters.get("by_method", {}).get("POST", 0) / self.phones,
                "by_endpoint": {name: count / self.phones for name, count
                                in sorted(counters.get("by_endpoint", {}).items())},
            }
        if self.memory:
            data["memory"] = self.memory
        data.update(self.detail)
        return data


def summary(measurements):
    seconds = [measurement.seconds for measurement in measurements]
    cpu = [measurement.cpu_seconds for measurement in measurements if measurement.cpu_seconds is not None]
    return {"median": round(statistics.median(seconds), 3), "min": round(min(seconds), 3),
            "max": round(max(seconds), 3),
            "cpu_median": round(statistics.median(cpu), 3) if cpu else None,
            "runs": [measurement.as_dict() for measurement in measurements]}


# ------------------------------------------------------------------------------------------- the bench
class FleetBench:
    """The emulator, a work directory and the ways to run each contestant against the first N phones."""

    def __init__(self, emulator, work_dir, forks, playbook_timeout, log=print, collection_root=ROOT):
        self.emulator = emulator
        self.collection_root = collection_root
        self.drift_playbook = os.path.join(collection_root, DRIFT_PLAYBOOK)
        self.provision_playbook = os.path.join(collection_root, PROVISION_PLAYBOOK)
        self.work_dir = work_dir
        self.forks = forks
        self.playbook_timeout = playbook_timeout
        self.log = log
        self.run_number = 0
        self.collections_path = os.path.join(work_dir, "collections")
        link = os.path.join(self.collections_path, "ansible_collections", "grandstream", "phone")
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(collection_root, link)

    # inventories ---------------------------------------------------------------------------------
    def write_inventory(self, name, inventory):
        path = os.path.join(self.work_dir, name + ".json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(inventory, handle)
        return path

    def role_inventory(self, phones, variant=0):
        return self.write_inventory("role-%d-v%d" % (phones, variant),
                                    desired_state.role_inventory(self.emulator.ports[:phones], variant))

    def uri_inventory(self, phones, variant=0):
        return self.write_inventory("uri-%d-v%d" % (phones, variant),
                                    desired_state.uri_inventory(self.emulator.ports[:phones], variant))

    # running -------------------------------------------------------------------------------------
    def ansible_environment(self, run_dir, extra=None):
        environment = dict(os.environ)
        for name in [name for name in environment if name.startswith("ANSIBLE_")]:
            del environment[name]  # a developer's own ansible settings must not change the numbers
        environment.update({
            "ANSIBLE_COLLECTIONS_PATH": self.collections_path,
            "ANSIBLE_HOME": os.path.join(self.work_dir, "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": os.path.join(run_dir, "tmp"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_HOST_KEY_CHECKING": "False",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            # What a tuned ansible.cfg has; it only helps B (its uri module runs) since our modules run in
            # the controller as action plugins and transfer nothing.
            "ANSIBLE_PIPELINING": "True",
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(BENCH_DIR, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "task_timer",
            "BENCH_TASK_TIMES_FILE": os.path.join(run_dir, "task-times.json"),
            # A cold session cache per play: every contestant logs in once per phone, as after a night.
            "GS_SESSION_CACHE_DIR": os.path.join(run_dir, "sessions"),
        })
        environment.pop("PYTHONPATH", None)
        environment.update(extra or {})
        return environment

    def run_playbook(self, label, playbook, inventory, phones, extra_args=(), extra_env=None, forks=None,
                     profile_path=None, launcher=None):
        """Run ansible-playbook once with reset counters; returns a Measurement, raises if it failed.

        ``profile_path``: run the controller's main process under cProfile and write its stats there.
        ``launcher``: a Python script run instead of ansible-playbook with the same arguments
        (benchmarks/profiling/worker_launcher.py measures every forked worker).
        """
        self.run_number += 1
        run_dir = os.path.join(self.work_dir, "run-%03d-%s" % (self.run_number, label.replace(" ", "_")))
        os.makedirs(run_dir)
        command = [ANSIBLE_PLAYBOOK, "-i", inventory, playbook, "--forks", str(forks or self.forks)] + list(extra_args)
        if launcher:
            command[0:1] = [sys.executable, launcher]
        if profile_path:
            command = [sys.executable, "-m", "cProfile", "-o", profile_path] + command
        environment = self.ansible_environment(run_dir, extra_env)
        output_path = os.path.join(run_dir, "output.txt")
        self.emulator.reset_counters()
        load_before = os.getloadavg()[0]
        cpu_before = children_cpu_seconds()
        started = time.monotonic()
        with open(output_path, "wb") as output:
            process = subprocess.Popen(command, cwd=run_dir, env=environment, stdin=subprocess.DEVNULL,
                                       stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
            sampler = TreeMemorySampler(process.pid)
            sampler.start()
            try:
                return_code = process.wait(timeout=self.playbook_timeout)
            except subprocess.TimeoutExpired:
                stop_process_group(process)
                raise BenchmarkError("%s: ansible-playbook still running after %d s (killed); output in %s"
                                     % (label, self.playbook_timeout, output_path)) from None
            except BaseException:
                stop_process_group(process)  # interrupted: leave no playbook behind
                raise
            finally:
                sampler.stop()
        seconds = time.monotonic() - started
        cpu_seconds = children_cpu_seconds() - cpu_before
        counters = self.emulator.counters()
        if return_code != 0:
            with open(output_path, encoding="utf-8", errors="replace") as handle:
                tail = handle.read()[-3000:]
            raise BenchmarkError("%s: ansible-playbook exited with %d:\n%s" % (label, return_code, tail))
        memory = {"controller_tree_peak_rss_bytes": sampler.peak_tree_bytes,
                  "controller_main_peak_rss_bytes": max(sampler.peak_root_bytes, sampler.root_high_water_bytes)}
        detail = {"load_average_before": round(load_before, 2), "tasks": read_task_times(run_dir)}
        measurement = Measurement(label, phones, seconds, cpu_seconds, counters, memory, detail)
        self.log("  %-22s %4d phones  %8.2f s wall  %8.2f s cpu  %5.2f requests/phone  %4.2f logins/phone"
                 "  (load %.1f)" % (label, phones, seconds, cpu_seconds, measurement.per_phone("requests"),
                                    measurement.per_phone("logins"), load_before))
        return measurement

    def run_raw(self, label, phones, variant=0):
        """Baseline C over the first ``phones`` phones; raises if it saw drift where there is none."""
        urls = ["http://127.0.0.1:%d/cgi-bin" % port for port in self.emulator.ports[:phones]]
        self.emulator.reset_counters()
        load_before = os.getloadavg()[0]
        cpu_before = time.process_time()
        seconds, outcomes = raw_client.check_fleet(
            urls, lambda index: desired_state.phone_expectations(index, variant), desired_state.ADMIN_PASSWORD,
            workers=RAW_CLIENT_WORKERS)
        cpu_seconds = time.process_time() - cpu_before
        counters = self.emulator.counters()
        drifted = [outcome.index for outcome in outcomes if outcome.drifted]
        if drifted:
            raise BenchmarkError("%s: the raw client saw drift on %d phone(s), e.g. phone %d: %s"
                                 % (label, len(drifted), drifted[0], vars(outcomes[drifted[0]])))
        measurement = Measurement(label, phones, seconds, cpu_seconds, counters,
                                  detail={"load_average_before": round(load_before, 2)})
        self.log("  %-22s %4d phones  %8.2f s wall  %8.2f s cpu  %5.2f requests/phone  %4.2f logins/phone"
                 "  (load %.1f)" % (label, phones, seconds, cpu_seconds, measurement.per_phone("requests"),
                                    measurement.per_phone("logins"), load_before))
        return measurement

    # contestants ---------------------------------------------------------------------------------
    def provision(self, phones, role_phones=None):
        """The role provisions the first ``role_phones`` phones (all by default), the role's engines the rest.

        The role at 5,000 phones takes ~20 minutes here; the engines straight from Python (engine_fleet.py, the
        same code the role's tasks run) take about a minute. Every drift check that follows proves the result.
        """
        role_phones = phones if role_phones is None else min(phones, role_phones)
        measurement = self.run_playbook("provision", self.provision_playbook, self.role_inventory(role_phones),
                                        role_phones)
        logins = measurement.per_phone("logins")
        expect(logins == 1, "provision: %.2f logins per phone" % logins)
        result = measurement.as_dict()
        if phones > role_phones:
            from benchmarks import engine_fleet  # needs the collection importable (make bench sets PYTHONPATH)

            inventory = desired_state.role_inventory(self.emulator.ports[:phones])
            hosts = engine_fleet.host_inputs(inventory)
            rest = {name: hosts[name] for name in list(hosts)[role_phones:]}
            self.log("provisioning phones %d-%d with the role's engines" % (role_phones, phones - 1))
            result["engines"] = {"phones": len(rest), "seconds": round(engine_fleet.provision(rest), 2)}
        return result

    def ours(self, phones, label="A ours"):
        # fail_on_drift: the run fails if any phone is not exactly as provisioned.
        measurement = self.run_playbook(label, self.drift_playbook, self.role_inventory(phones), phones,
                                        ["-e", "fail_on_drift=true"])
        expect(measurement.counters.get("writes") == 0, "%s wrote to a phone" % label)
        return measurement

    def users_uri(self, phones, label="B uri"):
        measurement = self.run_playbook(label, URI_PLAYBOOK, self.uri_inventory(phones), phones)
        writes = measurement.counters.get("writes", 0)
        expect(writes == 0, "%s wrote %d times to unchanged phones: its comparison is wrong" % (label, writes))
        return measurement

    def lower_bound(self, phones, label="C raw"):
        return self.run_raw(label, phones)

    def apply(self, phones, variant, label="D apply"):
        measurement = self.run_playbook(label, self.provision_playbook, self.role_inventory(phones, variant), phones)
        posts = measurement.endpoint_per_phone("api-values.post")
        expect(posts == 1, "%s: %.2f values.post per phone, expected exactly 1" % (label, posts))
        phone_tasks = [task for task in measurement.detail["tasks"]
                       if task["name"].endswith("Phonebook, P-values and passwords")]
        measurement.detail["changed_values_per_phone"] = desired_state.MANAGED_VALUE_COUNT
        measurement.detail["phone_task_statuses"] = phone_tasks[0]["statuses"] if phone_tasks else {}
        return measurement


def stop_process_group(process):
    """Kill the process group of our own child ansible-playbook (its workers included), nothing else."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def request_latency(emulator, samples=20):
    """Median and max milliseconds of one values.get on a kept-alive connection and on a fresh one.

    A server that waits for the client's delayed ACK (Nagle) costs ~40 ms per kept-alive request;
    this makes such a stall visible in the results instead of hiding it in the totals.
    """
    url = emulator.url(0, "api.values.get")
    with requests.Session() as http:
        http.trust_env = False
        http.post(emulator.url(0, "dologin"), data={"username": "admin", "password": desired_state.ADMIN_PASSWORD},
                  timeout=10)
        kept_alive = []
        while len(kept_alive) < samples:
            started = time.perf_counter()
            http.get(url, params="request=P30:P67:P89", timeout=10)
            kept_alive.append(1000 * (time.perf_counter() - started))
        cookies = dict(http.cookies)
    fresh = []
    while len(fresh) < samples:
        with requests.Session() as http:
            http.trust_env = False
            http.cookies.update(cookies)
            started = time.perf_counter()
            http.get(url, params="request=P30:P67:P89", timeout=10)
            fresh.append(1000 * (time.perf_counter() - started))
    return {"keepalive_median_ms": round(statistics.median(kept_alive), 2),
            "keepalive_max_ms": round(max(kept_alive), 2),
            "fresh_connection_median_ms": round(statistics.median(fresh), 2),
            "fresh_connection_max_ms": round(max(fresh), 2)}


def expect(condition, message):
    if not condition:
        raise BenchmarkError(message)


def read_task_times(run_dir):
    path = os.path.join(run_dir, "task-times.json")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return [{"name": task["name"], "seconds": round(task["seconds"], 3), "hosts": task["hosts"],
             "host_median": None if task["host_median"] is None else round(task["host_median"], 4),
             "statuses": task["statuses"]} for task in data.get("tasks", [])]


# ------------------------------------------------------------------------------------------- the run
def prepare_collection(work_dir, ref=None):
    """(directory of the collection to measure, what it is). ``ref``: a git snapshot of that commit
    (read with git archive), so edits in progress in the checkout do not change the numbers."""
    if not ref:
        return ROOT, "working tree %s" % git_output("describe", "--always", "--dirty")
    commit = git_output("rev-parse", "--verify", "--short", ref + "^{commit}")
    if not commit:
        raise BenchmarkError("--collection-ref %s: not a commit of %s" % (ref, ROOT))
    snapshot = os.path.join(work_dir, "collection-%s" % commit)
    os.makedirs(snapshot)
    archive = subprocess.run(["git", "-C", ROOT, "archive", "--format=tar", commit], capture_output=True,
                             timeout=120, check=False)
    if archive.returncode != 0:
        raise BenchmarkError("git archive %s failed: %s" % (commit, archive.stderr.decode(errors="replace")))
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(snapshot, filter="data")
    return snapshot, "commit %s (snapshot)" % commit


def git_output(*args):
    try:
        return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True, timeout=30,
                              check=False).stdout.strip() or None
    except OSError:
        return None


def machine_facts(collection="working tree"):
    facts = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
             "cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            facts["cpu"] = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        facts["cpu"] = ""
    for package in ("ansible-core", "requests", "jsonschema"):
        try:
            facts[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            facts[package] = None
    with open(os.path.join(ROOT, "galaxy.yml"), encoding="utf-8") as handle:
        facts["collection_version"] = next((line.split(":", 1)[1].strip() for line in handle
                                            if line.startswith("version:")), None)
    facts["collection_measured"] = collection
    facts["load_average_at_start"] = [round(value, 2) for value in os.getloadavg()]
    return facts


def parse_sizes(text):
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("--curve takes phone counts like 50,100,200,500")
    return sizes


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--phones", type=int, default=500, help="phones in A, B, C and D (default 500)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each measurement (default 3)")
    parser.add_argument("--forks", type=int, default=50, help="ansible-playbook --forks for A, B and D (default 50)")
    parser.add_argument("--curve", type=parse_sizes, default=None,
                        help="phone counts for the scaling curve of A and C, e.g. 50,100,200,500")
    parser.add_argument("--results-dir", default=DEFAULT_RESULTS_DIR, help="where latest.md / latest.json go")
    parser.add_argument("--playbook-timeout", type=int, default=None,
                        help="seconds one ansible-playbook run may take (default: 60 + 4 s per phone)")
    parser.add_argument("--uri-reps", type=int, default=None,
                        help="repetitions of B, the slowest contestant by far (default: --reps; 0: B not run)")
    parser.add_argument("--curve-role-max", type=int, default=None,
                        help="run A in the curve only up to this many phones (F, N and C run at every size)")
    parser.add_argument("--collection-ref", default=None,
                        help="measure this git commit (a snapshot) instead of the working tree, e.g. HEAD")
    parser.add_argument("--keep-work", action="store_true", help="keep the work directory (inventories, outputs)")
    parser.add_argument("--render-only", action="store_true",
                        help="measure nothing: rewrite latest.md (and scaling.png) from latest.json in --results-dir")
    return parser


def run(options, log=print):
    fleet_size = max([options.phones] + (options.curve or []))
    # B needs 2.1-2.3 s per phone on a busy 2-core machine; the bound only stops a hung run.
    timeout = options.playbook_timeout or 60 + 4 * fleet_size
    uri_reps = min(options.reps if options.uri_reps is None else options.uri_reps, options.reps)
    work_dir = tempfile.mkdtemp(prefix="gs-bench-")
    try:
        collection_root, collection = prepare_collection(work_dir, options.collection_ref)
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    results = {"machine": machine_facts(collection),
               "config": {"phones": options.phones, "reps": options.reps, "uri_reps": uri_reps, "forks": options.forks,
                          "curve": options.curve, "fleet_size": fleet_size, "protocol": "http",
                          "raw_client_workers": RAW_CLIENT_WORKERS, "strategy": "linear",
                          "managed_values": desired_state.MANAGED_VALUE_COUNT, "groups": len(desired_state.SITE_GROUPS),
                          "contacts": len(desired_state.SITE_CONTACTS) + 1}}
    started = time.monotonic()
    emulator = EmulatorProcess(count=fleet_size, protocol="http", ready_timeout=300)
    try:
        emulator.start()
        log("emulator: %d phones on 127.0.0.1:%d-%d (pid %d)" % (fleet_size, emulator.ports[0], emulator.ports[-1],
                                                                 emulator.pid))
        bench = FleetBench(emulator, work_dir, options.forks, timeout, log, collection_root)
        latency = request_latency(emulator)
        log("emulator request latency: %(keepalive_median_ms).1f ms kept-alive, %(fresh_connection_median_ms).1f ms "
            "fresh connection (medians)" % latency)
        role_phones = max([options.phones] + [size for size in options.curve or [] if options.curve_role_max is None
                                              or size <= options.curve_role_max])
        log("provisioning %d phones (once), %d of them with the role" % (fleet_size, min(role_phones, fleet_size)))
        results["provision"] = bench.provision(fleet_size, role_phones)
        contestants = {"A": [], "B": [], "C": [], "D": [], "F": [], "N": []}
        for repetition in range(1, options.reps + 1):
            log("repetition %d/%d" % (repetition, options.reps))
            contestants["A"].append(bench.ours(options.phones))
            if repetition <= uri_reps:
                contestants["B"].append(bench.users_uri(options.phones))
            contestants["C"].append(bench.lower_bound(options.phones))
            contestants["F"].append(fleet_path.fleet_run(bench, options.phones))
            contestants["N"].append(fleet_path.noop_run(bench, options.phones))
        if options.curve:
            log("scaling curve %s" % options.curve)
            results["curve"] = [curve_point(bench, size, options.curve_role_max) for size in options.curve]
        for repetition in range(1, options.reps + 1):
            contestants["D"].append(bench.apply(options.phones, variant=repetition))
        results["emulator"] = {"pid_peak_rss_bytes": status_field_bytes(emulator.pid, "VmHWM"),
                               "rss_bytes": status_field_bytes(emulator.pid, "VmRSS"), "phones": fleet_size,
                               "request_latency": latency}
        results["contestants"] = {name: summary(measurements) for name, measurements in contestants.items()
                                  if measurements}
        results["overall_seconds"] = round(time.monotonic() - started, 1)
        results["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    finally:
        emulator.stop()
        if options.keep_work:
            log("work directory kept: %s" % work_dir)
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    results["targets"] = evaluate_targets(results)
    results["slicing"] = fleet_path.slicing_estimate(results)
    return results


def curve_point(bench, size, role_max=None):
    """One size of the curve: F, N and C always, A (the role) up to ``role_max`` phones."""
    point = {"phones": size}
    if role_max is None or size <= role_max:
        point["A"] = bench.ours(size, "A curve").as_dict()
    point["F"] = fleet_path.fleet_run(bench, size, "F curve").as_dict()
    point["N"] = fleet_path.noop_run(bench, size, "N curve").as_dict()
    point["C"] = bench.lower_bound(size, "C curve").as_dict()
    return point


# ------------------------------------------------------------------------------------------- the verdict
def median_per_phone(contestant, key):
    values = [run_data["per_phone"][key] for run_data in contestant["runs"]]
    return statistics.median(values)


def median_endpoint_per_phone(contestant, endpoint):
    return statistics.median(run_data["per_phone"]["by_endpoint"].get(endpoint, 0) for run_data in contestant["runs"])


def evaluate_targets(results):
    contestants = results["contestants"]
    ours, lower, apply_runs = (contestants[name] for name in "ACD")
    users = contestants.get("B")
    ratio_users = users["median"] / ours["median"] if users else None
    ratio_lower = ours["median"] / lower["median"]
    logins = {name: median_per_phone(contestants[name], "logins") for name in "AD"}
    requests_unchanged = median_per_phone(ours, "requests")
    extra_requests = median_per_phone(apply_runs, "requests") - requests_unchanged
    posts = median_endpoint_per_phone(apply_runs, "api-values.post")
    read_backs = (median_endpoint_per_phone(apply_runs, "api-values.get")
                  - median_endpoint_per_phone(ours, "api-values.get"))
    emulator_rss = results["emulator"]["pid_peak_rss_bytes"] or 0
    fleet_size = results["emulator"]["phones"]
    return [
        {"name": "B/A (uri playbook / role)", "target": ">= %g" % TARGETS["B/A"],
         "measured": round(ratio_users, 2) if users else "not run (--uri-reps 0)",
         "met": ratio_users >= TARGETS["B/A"] if users else None},
        {"name": "A/C (role / raw Python)", "target": "<= %g" % TARGETS["A/C"], "measured": round(ratio_lower, 2),
         "met": ratio_lower <= TARGETS["A/C"]},
        {"name": "logins per phone per play, A", "target": "= 1", "measured": logins["A"],
         "met": logins["A"] == TARGETS["logins_per_phone"]},
        {"name": "logins per phone per play, D", "target": "= 1", "measured": logins["D"],
         "met": logins["D"] == TARGETS["logins_per_phone"]},
        {"name": "requests per unchanged phone, A", "target": "<= %d (dialect probe + 1 login + 1 read per resource)"
         % TARGETS["requests_per_unchanged_phone"], "measured": requests_unchanged,
         "met": requests_unchanged <= TARGETS["requests_per_unchanged_phone"]},
        {"name": "D on top of A, per phone", "target": "1 POST + 1 read-back",
         "measured": "%+g requests (%g values.post, %+g values.get)" % (extra_requests, posts, read_backs),
         "met": extra_requests == TARGETS["apply_extra_requests_per_phone"] and posts == 1 and read_backs == 1},
        {"name": "emulator peak RSS at %d phones" % fleet_size, "target": "< 1 GiB",
         "measured": "%.0f MiB" % (emulator_rss / 2 ** 20), "met": 0 < emulator_rss < TARGETS["emulator_rss_bytes"]},
    ] + role_cpu_targets(contestants) + fleet_path.targets(results)


def host_tasks_per_phone(run_data):
    """Tasks of a run that ran on every phone (run-once tasks count for one host), per phone."""
    return sum(task["hosts"] for task in run_data.get("tasks", []) if task["hosts"] == run_data["phones"]) \
        / run_data["phones"]


def role_cpu_targets(contestants):
    """The role's controller CPU per phone, alone and against the no-op floor N for as many host-tasks."""
    ours = contestants["A"]
    if ours.get("cpu_median") is None:
        return []
    phones = ours["runs"][-1]["phones"]
    cpu_ms = 1000.0 * ours["cpu_median"] / phones
    found = [{"name": "A controller CPU per phone", "target": "<= %g ms" % TARGETS["A_cpu_ms_per_phone"],
              "measured": "%.1f ms" % cpu_ms, "met": cpu_ms <= TARGETS["A_cpu_ms_per_phone"]}]
    floor = contestants.get("N")
    if floor and floor.get("cpu_median"):
        tasks = host_tasks_per_phone(ours["runs"][-1])
        floor_ms = 1000.0 * floor["cpu_median"] / floor["runs"][-1]["phones"]
        ratio = cpu_ms / (floor_ms * tasks)
        found.append({"name": "A CPU / N CPU per host-task", "target": "<= %g" % TARGETS["A/N per task"],
                      "measured": "%.2f (%.1f ms / (%.1f ms x %g))" % (ratio, cpu_ms, floor_ms, tasks),
                      "met": ratio <= TARGETS["A/N per task"]})
    return found


# ------------------------------------------------------------------------------------------- reports
def mib(value):
    return "%.0f MiB" % (value / 2 ** 20) if value else "n/a"


def uri_reps_option(config):
    """`` --uri-reps N`` when B ran fewer times than the others, else ""."""
    uri_reps = config["reps"] if config.get("uri_reps") is None else config["uri_reps"]
    return " --uri-reps %d" % uri_reps if uri_reps < config["reps"] else ""


def markdown_report(results, docs_link="../../docs/performance.md"):
    machine, config = results["machine"], results["config"]
    contestants = results["contestants"]
    lines = ["# Fleet benchmark: latest results", "",
             "`python benchmarks/fleet.py --phones %d --reps %d%s --forks %d%s` on %s: %d cores (%s), Python %s, "
             "ansible-core %s, requests %s, grandstream.phone %s (%s). Whole run %.0f s. Load average (1, 5, 15 min) "
             "at start %s, at end %s: "
             "the 2 cores are shared with other work, so wall times carry its noise."
             % (config["phones"], config["reps"], uri_reps_option(config), config["forks"],
                " --curve %s" % ",".join(map(str, config["curve"])) if config["curve"] else "",
                machine["date"], machine["cores"], machine["cpu"] or "unknown CPU", machine["python"],
                machine["ansible-core"], machine["requests"], machine["collection_version"],
                machine["collection_measured"],
                results["overall_seconds"], machine["load_average_at_start"],
                machine.get("load_average_at_end", "not recorded")),
             "",
             "Per phone: %d P-values + 1 write-only SIP password, %d groups, %d contacts. HTTP emulator on 127.0.0.1, "
             "cold session cache in every play. Wall times in seconds: median (min-max) over %d repetition(s)%s; "
             "CPU = user+sys of the whole process tree (less sensitive to other load on the machine)."
             % (config["managed_values"], config["groups"], config["contacts"], config["reps"],
                " (B: %d)" % config["uri_reps"] if uri_reps_option(config) else ""),
             "",
             "| contestant | what | wall median | min | max | CPU median | per phone (wall) | requests/phone "
             "| logins/phone |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    descriptions = {"A": "ours: drift.yml, role in check mode", "B": "users: ansible.builtin.uri playbook",
                    "C": "lower bound: raw Python, %d threads" % config["raw_client_workers"],
                    "D": "apply: provision.yml, %d values changed" % config["managed_values"],
                    "F": "fleet path: drift_fleet.yml, one gs_fleet task", "N": "no-op floor: one set_fact per phone"}
    for name in [name for name in "ABCDFN" if name in contestants]:
        contestant = contestants[name]
        lines.append("| %s | %s | %.2f | %.2f | %.2f | %s | %.1f ms | %g | %g |" % (
            name, descriptions[name], contestant["median"], contestant["min"], contestant["max"],
            "%.2f" % contestant["cpu_median"] if contestant["cpu_median"] is not None else "n/a",
            1000 * contestant["median"] / config["phones"], median_per_phone(contestant, "requests"),
            median_per_phone(contestant, "logins")))
    lines += ["", "## Targets", "", "| target | wanted | measured | met |", "|---|---|---|---|"]
    for target in results["targets"]:
        verdict = "met" if target["met"] else "not measured" if target["met"] is None else "**not met**"
        lines.append("| %s | %s | %s | %s |" % (target["name"], target["target"], target["measured"], verdict))
    missed = [target for target in results["targets"] if target["met"] is False]
    last_ours = contestants["A"]["runs"][-1]
    tasks_per_phone = host_tasks_per_phone(last_ours)
    if missed:
        lines += ["", "What limits the targets not met:", ""]
        for target in missed:
            reason = next((text for prefix, text in LIMITS.items() if target["name"].startswith(prefix)), "")
            lines.append("- %s: %s" % (target["name"], reason.format(tasks_per_phone=tasks_per_phone)))
    present = [name for name in "ABCDFN" if name in contestants and name != "N"]
    lines += ["", "## Requests per phone by endpoint (median run)", "",
              "| endpoint | %s |" % " | ".join(present), "|---|" + "---:|" * len(present)]
    endpoints = sorted({endpoint for name in present for run_data in contestants[name]["runs"]
                        for endpoint in run_data["per_phone"]["by_endpoint"]})
    for endpoint in endpoints:
        lines.append("| `%s` | %s |" % (endpoint, " | ".join(
            "%g" % median_endpoint_per_phone(contestants[name], endpoint) for name in present)))
    latency = results["emulator"]["request_latency"]
    lines += ["", "Emulator latency of one `api.values.get` (before the contestants, idle fleet): %.1f ms median "
              "(max %.1f) on a kept-alive connection, %.1f ms (max %.1f) on a fresh one."
              % (latency["keepalive_median_ms"], latency["keepalive_max_ms"], latency["fresh_connection_median_ms"],
                 latency["fresh_connection_max_ms"])]
    lines += ["", "## Memory", "",
              "| process | peak |", "|---|---:|",
              "| emulator, %d phones (VmHWM) | %s |"
              % (results["emulator"]["phones"], mib(results["emulator"]["pid_peak_rss_bytes"]))]
    for name in [name for name in "ABDF" if name in contestants]:
        memory = [run_data["memory"] for run_data in contestants[name]["runs"]]
        lines.append("| controller %s: ansible-playbook main process | %s |"
                     % (name, mib(max(item["controller_main_peak_rss_bytes"] for item in memory))))
        lines.append("| controller %s: whole process tree, sum of RSS (forks share pages: an upper bound) | %s |"
                     % (name, mib(max(item["controller_tree_peak_rss_bytes"] for item in memory))))
    lines += ["", "## Where A spends its time (last repetition, per task)", "",
              "| task | wall s | hosts | median per host s | statuses |", "|---|---:|---:|---:|---|"]
    for task in contestants["A"]["runs"][-1].get("tasks", []):
        statuses = ", ".join("%s %d" % item for item in sorted(task["statuses"].items()))
        host_median = "%.3f" % task["host_median"] if task["host_median"] else "-"
        lines.append("| %s | %.2f | %d | %s | %s |" % (task["name"], task["seconds"], task["hosts"], host_median,
                                                       statuses))
    if results.get("curve"):
        lines += ["", "## Scaling (A and C, one run each)", "",
                  "| phones | A s | C s | A/C | A ms/phone | C ms/phone |", "|---:|---:|---:|---:|---:|---:|"]
        for point in [point for point in results["curve"] if "A" in point]:
            lines.append("| %d | %.2f | %.2f | %.1f | %.1f | %.1f |" % (
                point["phones"], point["A"]["seconds"], point["C"]["seconds"],
                point["A"]["seconds"] / point["C"]["seconds"], 1000 * point["A"]["seconds"] / point["phones"],
                1000 * point["C"]["seconds"] / point["phones"]))
        if results.get("plot"):
            lines += ["", "![scaling](%s)" % results["plot"]]
    lines += fleet_path.markdown(results)
    provision = results["provision"]
    lines += ["", "Provisioning the fleet once (not a contestant): %.1f s for %d phones with the role%s."
              % (provision["seconds"], provision["phones"],
                 ", then %.1f s for %d more with the role's engines straight from Python (benchmarks/engine_fleet.py)"
                 % (provision["engines"]["seconds"], provision["engines"]["phones"])
                 if provision.get("engines") else ""),
              "", "What the numbers mean and what limits the targets not met: "
              "[docs/performance.md](%s)." % docs_link,
              ""]
    return "\n".join(lines)


def plot_curve(results, path):
    """scaling.png: wall time and time per phone of A and C against fleet size; None without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib import pyplot, ticker
    except ImportError:
        return None
    labels = {"A": "A: role, drift check (ansible-playbook)", "F": "F: fleet path, one gs_fleet task",
              "C": "C: raw Python, 50 threads (lower bound)"}
    series = {labels[name]: [(point["phones"], point[name]["seconds"]) for point in results["curve"] if name in point]
              for name in "AFC"}
    series = {label: points for label, points in series.items() if points}
    sizes = [point["phones"] for point in results["curve"]]
    figure, (total_axis, per_phone_axis) = pyplot.subplots(1, 2, figsize=(11, 4.2))
    for (label, points), marker in zip(series.items(), ("o", "^", "s")):
        sizes_here = [size for size, unused in points]
        seconds = [value for unused, value in points]
        per_phone = [1000 * value / size for value, size in zip(seconds, sizes_here)]
        total_axis.plot(sizes_here, seconds, marker=marker, label=label)
        per_phone_axis.plot(sizes_here, per_phone, marker=marker, label=label)
        for size, total, each in zip(sizes_here, seconds, per_phone):
            total_axis.annotate("%.0f s" % total if total >= 10 else "%.1f s" % total, (size, total),
                                textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
            per_phone_axis.annotate("%.0f ms" % each, (size, each), textcoords="offset points", xytext=(0, 6),
                                    ha="center", fontsize=8)
    total_axis.set_title("Wall time of a no-change drift check")
    total_axis.set_xlabel("phones")
    total_axis.set_ylabel("seconds")
    per_phone_axis.set_title("Wall time per phone")
    per_phone_axis.set_xlabel("phones")
    per_phone_axis.set_ylabel("milliseconds per phone")
    per_phone_axis.set_yscale("log")
    all_seconds = [value for points in series.values() for unused, value in points]
    all_per_phone = [1000 * value / size for points in series.values() for size, value in points]
    total_axis.set_ylim(0, max(all_seconds) * 1.15)  # room for the labels above the points
    per_phone_axis.set_ylim(min(all_per_phone) / 1.6, max(all_per_phone) * 1.8)
    per_phone_axis.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, position: "%g" % value))
    for axis in (total_axis, per_phone_axis):
        axis.grid(True, alpha=0.3)
        axis.set_xticks(sizes)
    total_axis.legend(loc="upper left", fontsize=8)
    config, machine = results["config"], results["machine"]
    figure.suptitle("grandstream.phone fleet benchmark: %d cores, forks %d, ansible-core %s, %s"
                    % (machine["cores"], config["forks"], machine["ansible-core"], machine["date"][:10]), fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return os.path.basename(path)


def write_results(results, results_dir):
    os.makedirs(results_dir, exist_ok=True)
    if results.get("curve"):
        results["plot"] = plot_curve(results, os.path.join(results_dir, "scaling.png"))
    with open(os.path.join(results_dir, "latest.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)
        handle.write("\n")
    # Relative to where the report lands, so the link works from any --results-dir inside the repository.
    docs_link = os.path.relpath(os.path.join(ROOT, "docs", "performance.md"), os.path.abspath(results_dir))
    report = markdown_report(results, docs_link)
    with open(os.path.join(results_dir, "latest.md"), "w", encoding="utf-8") as handle:
        handle.write(report)
    return report


def main(argv=None):
    options = build_parser().parse_args(argv)
    if options.render_only:
        with open(os.path.join(options.results_dir, "latest.json"), encoding="utf-8") as handle:
            results = json.load(handle)
        results["targets"] = evaluate_targets(results)
        results["slicing"] = fleet_path.slicing_estimate(results)
        print(write_results(results, options.results_dir))
        return 0
    if options.phones < 1 or options.reps < 1 or options.forks < 1:
        build_parser().error("--phones, --reps and --forks must be at least 1")
    try:
        results = run(options, log=lambda text: print(text, flush=True))
    except (BenchmarkError, EmulatorError, fleet_path.FleetPathError) as error:
        print("benchmark failed: %s" % error, file=sys.stderr)
        return 1
    print(write_results(results, options.results_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
