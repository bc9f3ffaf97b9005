# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where does a no-change drift check (benchmark A) spend its time? Settings and task lists compared.

    python benchmarks/profile_drift.py --phones 100 [--reps 1]

Against one provisioned emulator fleet it runs the drift check with different forks, strategies and
Ansible settings, the three modules alone, ten do-nothing tasks (Ansible's own floor), a warm session cache, and once under cProfile
(the controller's main process). Writes benchmarks/results/profile.md and profile.json.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import fleet  # noqa: E402  (needs ROOT on sys.path)
from tests.helpers.emulator_proc import EmulatorError, EmulatorProcess  # noqa: E402

PROFILING_DIR = os.path.join(fleet.BENCH_DIR, "profiling")
DRIFT_ARGS = ("-e", "fail_on_drift=true")


class Variant:
    """One way of running the drift check: playbook, forks, extra environment."""

    def __init__(self, label, playbook=None, forks=None, environment=None, args=DRIFT_ARGS,
                 note=""):
        self.label = label
        self.playbook = playbook  # None: the collection's playbooks/drift.yml
        self.forks = forks
        self.environment = environment or {}
        self.args = args
        self.note = note


def variants(default_forks):
    return [
        Variant("role, forks %d (as benchmark A)" % default_forks, note="baseline"),
        Variant("role, forks 5", forks=5),
        Variant("role, forks 10", forks=10),
        Variant("role, forks 20", forks=20),
        Variant("role, forks 100", forks=100),
        Variant("role, strategy free", environment={"ANSIBLE_STRATEGY": "free"}),
        Variant("role, vars plugins at start", environment={"ANSIBLE_RUN_VARS_PLUGINS": "start"},
                note="host_group_vars not re-run for every host and task"),
        Variant("role, ok/skipped hosts not shown",
                environment={"ANSIBLE_DISPLAY_OK_HOSTS": "False", "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "False"}),
        Variant("role, minimal stdout callback", environment={"ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.minimal"}),
        Variant("three module tasks only", playbook=os.path.join(PROFILING_DIR, "modules_only.yml"), args=(),
                note="floor for today's modules as separate tasks"),
        Variant("ten skipped debug tasks (no work)", playbook=os.path.join(PROFILING_DIR, "ansible_floor.yml"),
                args=(), note="Ansible's own cost per host and task"),
    ]


def host_task_count(measurement):
    return sum(task["hosts"] for task in measurement.detail.get("tasks", []))


def top_functions(profile_path, limit=18):
    """The controller main process's most expensive calls (cumulative), as rows for the report."""
    stats = pstats.Stats(profile_path)
    rows = []
    for (filename, line, function), timing in stats.stats.items():
        calls, own, cumulative = timing[0], timing[2], timing[3]
        rows.append({"function": "%s:%d(%s)" % (shorten_path(filename), line, function), "calls": calls,
                     "own_seconds": round(own, 3), "cumulative_seconds": round(cumulative, 3)})
    rows.sort(key=lambda row: row["cumulative_seconds"], reverse=True)
    interesting = [row for row in rows if not row["function"].startswith(("~", "<"))
                   and "ansible-playbook" not in row["function"] and "cli/" not in row["function"]]
    return interesting[:limit]


def shorten_path(filename):
    for marker in ("site-packages/", "lib/python3.11/", "ansible_collections/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def run(options, log=print):
    work_dir = tempfile.mkdtemp(prefix="gs-profile-")
    try:
        collection_root, collection = fleet.prepare_collection(work_dir, options.collection_ref)
    except BaseException:
        shutil.rmtree(work_dir, ignore_errors=True)
        raise
    results = {"machine": fleet.machine_facts(collection),
               "config": {"phones": options.phones, "reps": options.reps, "forks": options.forks}}
    emulator = EmulatorProcess(count=options.phones, protocol="http", ready_timeout=300)
    rows = []
    try:
        emulator.start()
        bench = fleet.FleetBench(emulator, work_dir, options.forks, 60 + 3 * options.phones, log, collection_root)
        inventory = bench.role_inventory(options.phones)
        bench.provision(options.phones)
        for variant in variants(options.forks):
            playbook = variant.playbook or bench.drift_playbook
            measurements = [bench.run_playbook(variant.label, playbook, inventory, options.phones, variant.args,
                                               variant.environment, forks=variant.forks)
                            for repetition in range(options.reps)]
            rows.append(row_of(variant, measurements))
        shared_sessions = {"GS_SESSION_CACHE_DIR": os.path.join(work_dir, "shared-sessions")}
        cold = bench.run_playbook("session cache cold", bench.drift_playbook, inventory, options.phones, DRIFT_ARGS,
                                  shared_sessions)
        warm = bench.run_playbook("session cache warm", bench.drift_playbook, inventory, options.phones, DRIFT_ARGS,
                                  shared_sessions)
        rows.append(row_of(Variant("role, session cache cold (first play)"), [cold]))
        rows.append(row_of(Variant("role, session cache warm (next play)", note="sessions reused across plays"),
                           [warm]))
        profile_path = os.path.join(work_dir, "drift.prof")
        profiled = bench.run_playbook("under cProfile", bench.drift_playbook, inventory, options.phones, DRIFT_ARGS,
                                      profile_path=profile_path)
        results["cprofile"] = {"seconds": round(profiled.seconds, 2), "top": top_functions(profile_path)}
        results["tasks_of_baseline"] = rows[0]["tasks"]
        results["emulator_peak_rss_bytes"] = fleet.status_field_bytes(emulator.pid, "VmHWM")
    finally:
        emulator.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    for row in rows[1:]:
        del row["tasks"]  # per-task times are reported for the baseline variant only
    results["variants"] = rows
    return results


def row_of(variant, measurements):
    seconds = [measurement.seconds for measurement in measurements]
    cpu = [measurement.cpu_seconds for measurement in measurements]
    last = measurements[-1]
    host_tasks = host_task_count(last)
    return {"label": variant.label, "note": variant.note, "seconds": round(statistics.median(seconds), 2),
            "cpu_seconds": round(statistics.median(cpu), 2), "host_tasks": host_tasks,
            "ms_per_host_task": round(1000 * statistics.median(seconds) / host_tasks, 1) if host_tasks else None,
            "requests_per_phone": last.per_phone("requests"), "logins_per_phone": last.per_phone("logins"),
            "load_average_before": last.detail.get("load_average_before"), "tasks": last.detail.get("tasks", [])}


def markdown_report(results):
    config, machine = results["config"], results["machine"]
    lines = ["# Profile of the drift check (benchmark A)", "",
             "`python benchmarks/profile_drift.py --phones %d --reps %d --forks %d` on %s, %d cores, ansible-core %s "
             "(%s). Load average at start %s: other work on the machine inflates wall times, compare CPU too."
             % (config["phones"], config["reps"], config["forks"], machine["date"], machine["cores"],
                machine["ansible-core"], machine["collection_measured"], machine["load_average_at_start"]), "",
             "| variant | wall s | CPU s | host-tasks | wall ms per host-task | requests/phone | logins/phone "
             "| load before | note |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in results["variants"]:
        lines.append("| %s | %.2f | %.2f | %d | %s | %g | %g | %s | %s |" % (
            row["label"], row["seconds"], row["cpu_seconds"], row["host_tasks"],
            row["ms_per_host_task"] if row["ms_per_host_task"] is not None else "-", row["requests_per_phone"],
            row["logins_per_phone"], row["load_average_before"], row["note"]))
    lines += ["", "## Per task, baseline variant", "", "| task | wall s | hosts | median per host s |",
              "|---|---:|---:|---:|"]
    for task in results["tasks_of_baseline"]:
        lines.append("| %s | %.2f | %d | %s |" % (task["name"], task["seconds"], task["hosts"],
                                                  "%.3f" % task["host_median"] if task["host_median"] else "-"))
    lines += ["", "## cProfile of the controller's main process (%.1f s under the profiler)"
              % results["cprofile"]["seconds"], "",
              "| function | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
    for row in results["cprofile"]["top"]:
        lines.append("| `%s` | %d | %.2f | %.2f |"
                     % (row["function"], row["calls"], row["own_seconds"], row["cumulative_seconds"]))
    lines += ["", "Findings and proposed patches: [docs/performance.md](../../docs/performance.md).", ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--results-dir", default=fleet.DEFAULT_RESULTS_DIR)
    parser.add_argument("--collection-ref", default=None, help="measure this git commit instead of the working tree")
    options = parser.parse_args(argv)
    started = time.monotonic()
    try:
        results = run(options, log=lambda text: print(text, flush=True))
    except (fleet.BenchmarkError, EmulatorError) as error:
        print("profiling failed: %s" % error, file=sys.stderr)
        return 1
    results["overall_seconds"] = round(time.monotonic() - started, 1)
    os.makedirs(options.results_dir, exist_ok=True)
    with open(os.path.join(options.results_dir, "profile.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)
        handle.write("\n")
    report = markdown_report(results)
    with open(os.path.join(options.results_dir, "profile.md"), "w", encoding="utf-8") as handle:
        handle.write(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
