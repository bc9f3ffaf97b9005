# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a forked worker of the drift check costs per task, and where its time goes.

    python benchmarks/profile_worker.py --phones 100 [--collection-ref HEAD] [--top 30]

Against one provisioned emulator fleet it runs playbooks/drift.yml and a one-task no-op floor through
benchmarks/profiling/worker_launcher.py: each forked worker records its own CPU (a fork's counters start at
zero), so the median per task is that task's cost in the worker, apart from the main process's share (fork,
variables, results). A second run profiles every worker with cProfile; the profiles of the module tasks
(gs_* actions) are merged and their most expensive functions listed. Prints a Markdown report and writes it
to benchmarks/results/task-cost/worker-profile.md (``--results-dir``).
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import fleet  # noqa: E402  (needs ROOT on sys.path)
from benchmarks.compare_role import floor_playbook  # noqa: E402
from tests.helpers.emulator_proc import EmulatorProcess  # noqa: E402

LAUNCHER = os.path.join(fleet.BENCH_DIR, "profiling", "worker_launcher.py")
RESULTS_DIR = os.path.join(fleet.BENCH_DIR, "results", "task-cost")


def worker_records(directory):
    records = []
    for path in glob.glob(os.path.join(directory, "*.json")):
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
        record["pid"] = os.path.basename(path)[:-5]
        records.append(record)
    return records


def per_task(records):
    tasks = {}
    for record in records:
        tasks.setdefault((record["action"], record["task"]), []).append(record["cpu_seconds"])
    return [{"action": action, "task": task, "workers": len(cpu), "median_ms": round(1000 * statistics.median(cpu), 2)}
            for (action, task), cpu in sorted(tasks.items(), key=lambda item: -len(item[1]))]


def merged_profile(directory, records, actions, top, sort, dump_path=None):
    paths = [os.path.join(directory, record["pid"] + ".prof") for record in records if record["action"] in actions]
    paths = [path for path in paths if os.path.exists(path)]
    if not paths:
        return "(no profiles)", 0, {}
    stream = io.StringIO()
    stats = pstats.Stats(paths[0], stream=stream)
    for path in paths[1:]:
        stats.add(path)
    if dump_path:
        stats.dump_stats(dump_path)
    stats.files = []  # not the list of every profile merged
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return stream.getvalue(), len(paths), own_time_by_area(paths)


# Where a function's own CPU time is counted, by the first of these its file's path contains.
AREAS = (("grandstream.phone (our code)", ("ansible_collections/grandstream/", "/grandstream/phone/")),
         ("HTTP: requests, urllib3, http.client, email", ("/requests/", "/urllib3/", "/http/", "/email/")),
         ("Jinja and Ansible templating", ("/jinja2/", "/_templating/")),
         ("rest of ansible-core", ("/ansible/",)))


def own_time_by_area(paths):
    """Seconds of own (not cumulative) CPU time per area over the merged profiles; builtins count as "other"."""
    stats = pstats.Stats(paths[0])
    for path in paths[1:]:
        stats.add(path)
    totals = dict.fromkeys([name for name, unused in AREAS] + ["other (builtins, stdlib)"], 0.0)
    for (filename, unused_line, unused_name), timing in stats.stats.items():
        area = next((name for name, markers in AREAS if any(marker in filename for marker in markers)),
                    "other (builtins, stdlib)")
        totals[area] += timing[2]
    return {name: round(seconds, 3) for name, seconds in totals.items()}


def run(options, log=print):
    work_dir = tempfile.mkdtemp(prefix="gs-worker-profile-")
    emulator = EmulatorProcess(count=options.phones, protocol="http", ready_timeout=300)
    report = {}
    try:
        root, measured = fleet.prepare_collection(work_dir, options.collection_ref)
        emulator.start()
        bench = fleet.FleetBench(emulator, work_dir, options.forks, 60 + 3 * options.phones, log, root)
        inventory = bench.role_inventory(options.phones)
        bench.provision(options.phones)
        floor = floor_playbook(os.path.join(work_dir, "floor-1.yml"), 1)
        for label, playbook, args, cprofile in (
                ("drift", bench.drift_playbook, ["-e", "fail_on_drift=true"], False),
                ("floor", floor, [], False),
                ("drift-cprofile", bench.drift_playbook, ["-e", "fail_on_drift=true"], True)):
            directory = os.path.join(work_dir, "workers-" + label)
            environment = {"WORKER_PROFILE_DIR": directory, "WORKER_CPROFILE": "1" if cprofile else "0"}
            measurement = bench.run_playbook(label, playbook, inventory, options.phones, args, environment,
                                             launcher=LAUNCHER)
            records = worker_records(directory)
            entry = {"cpu_seconds": round(measurement.cpu_seconds, 2), "tasks": per_task(records),
                     "load_average_before": measurement.detail["load_average_before"]}
            if cprofile:
                for sort in ("cumulative", "tottime"):
                    entry["profile_" + sort], entry["profiled_workers"], entry["areas"] = merged_profile(
                        directory, records, options.actions.split(","), options.top, sort, options.dump_profile)
            report[label] = entry
        report["measured"] = measured
    finally:
        emulator.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    return report


def markdown(report, options):
    lines = ["# Forked workers of the drift check", "",
             "`python benchmarks/profile_worker.py --phones %d` (%s), load %s" % (
                 options.phones, report["measured"], os.getloadavg()[0]), ""]
    for label in ("drift", "floor"):
        entry = report[label]
        lines += ["## %s: whole run %.2f s CPU (load before %s)"
                  % (label, entry["cpu_seconds"], entry["load_average_before"]), "",
                  "| action | task | workers | median worker CPU ms |", "|---|---|---:|---:|"]
        lines += ["| %s | %s | %d | %.2f |" % (t["action"], t["task"], t["workers"], t["median_ms"])
                  for t in entry["tasks"]]
        lines.append("")
    entry = report["drift-cprofile"]
    total = sum(entry["areas"].values()) or 1
    lines += ["## Own CPU time of %d profiled module-task workers, by area" % entry["profiled_workers"], "",
              "| area | s | share |", "|---|---:|---:|"]
    lines += ["| %s | %.2f | %.0f%% |" % (name, seconds, 100 * seconds / total)
              for name, seconds in entry["areas"].items()]
    lines.append("")
    for sort in ("cumulative", "tottime"):
        lines += ["## cProfile of %d module-task workers, by %s" % (entry["profiled_workers"], sort), "", "```",
                  entry["profile_" + sort].strip(), "```", ""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--collection-ref", default=None)
    parser.add_argument("--actions", default="grandstream.phone.gs_phone",
                        help="the tasks whose workers are profiled (those that run, not the skipped ones)")
    parser.add_argument("--results-dir", default=RESULTS_DIR)
    parser.add_argument("--dump-profile", default=None, help="also write the merged profile there (pstats)")
    options = parser.parse_args(argv)
    report = markdown(run(options, log=lambda text: print(text, flush=True)), options)
    os.makedirs(options.results_dir, exist_ok=True)
    with open(os.path.join(options.results_dir, "worker-profile.md"), "w", encoding="utf-8") as handle:
        handle.write(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
