# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's drift check (contestant A) of several commits side by side, next to Ansible's no-op floor.

    python benchmarks/compare_role.py --phones 100 --reps 3 --refs 1e6e764,HEAD --floor-tasks 1,5

One emulator fleet, provisioned once; each repetition runs A for every ref in turn (a git snapshot each, as
``fleet.py --collection-ref``), then the no-op floor with 1, 5, ... ``set_fact`` tasks per phone, so the commits
and the floors share the machine's state. Controller CPU (user + sys of the whole ansible-playbook tree) is what
to compare on a shared machine; wall times are reported too. Writes benchmarks/results/role-ab/latest.json and
latest.md (``--results-dir``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import fleet  # noqa: E402  (needs ROOT on sys.path)
from tests.helpers.emulator_proc import EmulatorProcess  # noqa: E402

RESULTS_DIR = os.path.join(fleet.BENCH_DIR, "results", "role-ab")


def floor_playbook(path, tasks):
    """Ansible's no-op floor with ``tasks`` host-tasks per phone."""
    lines = ["---", "- name: Ansible's per-host floor, %d no-op tasks per phone" % tasks, "  hosts: phones",
             "  gather_facts: false", "  tasks:"]
    for index in range(tasks):
        lines += ["    - name: No-op %d" % index, "      ansible.builtin.set_fact:",
                  "        bench_noop_%d: true" % index]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def run_data(measurement):
    return {"seconds": round(measurement.seconds, 3), "cpu_seconds": round(measurement.cpu_seconds, 3),
            "load_average_before": measurement.detail["load_average_before"],
            "logins_per_phone": measurement.per_phone("logins"),
            "requests_per_phone": measurement.per_phone("requests"),
            "writes": measurement.counters.get("writes", 0), "tasks": measurement.detail.get("tasks", [])}


def compare(options, log=print):
    work_dir = tempfile.mkdtemp(prefix="gs-role-ab-")
    emulator = EmulatorProcess(count=options.phones, protocol="http", ready_timeout=300)
    results = {"machine": fleet.machine_facts("commits %s" % options.refs),
               "config": {"phones": options.phones, "reps": options.reps, "forks": options.forks,
                          "refs": options.refs.split(","), "floor_tasks": options.floor_tasks},
               "runs": {}}
    try:
        emulator.start()
        benches = {}
        for ref in options.refs.split(","):
            directory = os.path.join(work_dir, ref)
            os.makedirs(directory)
            root, unused = fleet.prepare_collection(directory, ref)
            benches[ref] = fleet.FleetBench(emulator, directory, options.forks, options.playbook_timeout, log, root)
        last = benches[list(benches)[-1]]
        last.provision(options.phones)
        for repetition in range(1, options.reps + 1):
            log("repetition %d/%d" % (repetition, options.reps))
            for ref, bench in benches.items():
                results["runs"].setdefault("A " + ref, []).append(run_data(bench.ours(options.phones)))
            for tasks in options.floor_tasks:
                playbook = floor_playbook(os.path.join(work_dir, "floor-%d.yml" % tasks), tasks)
                measurement = last.run_playbook("N %d" % tasks, playbook, last.role_inventory(options.phones),
                                                options.phones)
                results["runs"].setdefault("N %d task(s)" % tasks, []).append(run_data(measurement))
        results["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    finally:
        emulator.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    return results


def per_phone_ms(runs, key, phones):
    return [1000.0 * run[key] / phones for run in runs]


def markdown(results):
    phones = results["config"]["phones"]
    machine = results["machine"]
    lines = ["# The role's drift check across commits, side by side", "",
             "`python benchmarks/compare_role.py --phones %d --reps %d --refs %s --floor-tasks %s` on %s: %s. "
             "Load average at the end %s." % (phones, results["config"]["reps"], ",".join(results["config"]["refs"]),
                                              ",".join(str(n) for n in results["config"]["floor_tasks"]),
                                              machine.get("date", ""), machine.get("cpu", ""),
                                              machine.get("load_average_at_end")),
             "", "Per phone, in ms; CPU = user + sys of the whole ansible-playbook tree. A: `playbooks/drift.yml` "
             "with `fail_on_drift=true` (the benchmark's contestant A), N: no-op `set_fact` tasks.", "",
             "| run | host-tasks / phone | CPU per run | CPU median | wall median | load before each run | "
             "logins / phone | writes |", "|---|---:|---|---:|---:|---|---:|---:|"]
    for name, runs in results["runs"].items():
        cpu = per_phone_ms(runs, "cpu_seconds", phones)
        wall = per_phone_ms(runs, "seconds", phones)
        tasks = fleet.host_tasks_per_phone(dict(runs[-1], phones=phones)) if runs[-1]["tasks"] else "-"
        lines.append("| %s | %s | %s | %.1f | %.1f | %s | %s | %s |" % (
            name, tasks, ", ".join("%.0f" % value for value in cpu), statistics.median(cpu),
            statistics.median(wall), ", ".join("%.1f" % run["load_average_before"] for run in runs),
            runs[-1]["logins_per_phone"], sum(run["writes"] for run in runs)))
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--refs", default="HEAD", help="comma-separated commits, each measured as a git snapshot")
    parser.add_argument("--floor-tasks", type=lambda text: [int(n) for n in text.split(",")], default=[1])
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--playbook-timeout", type=int, default=900)
    parser.add_argument("--results-dir", default=RESULTS_DIR)
    options = parser.parse_args(argv)
    results = compare(options)
    os.makedirs(options.results_dir, exist_ok=True)
    with open(os.path.join(options.results_dir, "latest.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)
    report = markdown(results)
    with open(os.path.join(options.results_dir, "latest.md"), "w", encoding="utf-8") as handle:
        handle.write(report)
    print(report)


if __name__ == "__main__":
    main()
