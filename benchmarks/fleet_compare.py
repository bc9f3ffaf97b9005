# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet path alone, before and after a change, next to the raw client, in one run on one emulator.

    python benchmarks/fleet_compare.py --sizes 500,2000 --reps 3 --before fb56093 [--after HEAD]

Much shorter than benchmarks/fleet.py (no role, no uri playbook): the phones are provisioned with the role's
engines (engine_fleet.py), then per size and repetition C (raw_client), F of ``--before`` and F of ``--after``
(git snapshots; the working tree without ``--after``) run in turn, so all three share the machine's load.
Prints, per size, the median wall and CPU per phone and F/C of each, and writes them as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import desired_state, engine_fleet, fleet, fleet_path  # noqa: E402
from tests.helpers.emulator_proc import EmulatorProcess  # noqa: E402


def median_of(measurements, key):
    return statistics.median(getattr(m, key) for m in measurements)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=fleet.parse_sizes, default=[500, 2000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--before", default=None, help="git ref of F before the change (none: F after only)")
    parser.add_argument("--after", default=None, help="git ref after it (default: the working tree)")
    parser.add_argument("--json", default=None, help="write the results there")
    options = parser.parse_args(argv)
    size = max(options.sizes)
    work = tempfile.mkdtemp(prefix="gs-fleet-compare-")
    results = {"machine": fleet.machine_facts(), "sizes": {}, "before": options.before,
               "after": options.after or "working tree", "reps": options.reps}
    try:
        roots = {}
        for name, ref in (("before", options.before), ("after", options.after)):
            if name == "before" and not ref:
                continue
            os.makedirs(os.path.join(work, name))
            roots[name] = fleet.prepare_collection(os.path.join(work, name), ref)
        results["collections"] = {name: described for name, (unused, described) in roots.items()}
        with EmulatorProcess(count=size, protocol="http", ready_timeout=300) as emulator:
            hosts = engine_fleet.host_inputs(desired_state.role_inventory(emulator.ports))
            print("provisioned %d phones in %.1f s" % (size, engine_fleet.provision(hosts)), flush=True)
            benches = {name: fleet.FleetBench(emulator, os.path.join(work, name), 50, 60 + 2 * size,
                                              collection_root=root) for name, (root, unused) in roots.items()}
            for phones in options.sizes:
                runs = {"C": [], "F before": [], "F after": []} if "before" in benches else {"C": [], "F after": []}
                loads = []
                for unused in range(options.reps):
                    loads.append(os.getloadavg()[0])
                    runs["C"].append(benches["after"].run_raw("C raw", phones))
                    if "before" in benches:
                        runs["F before"].append(fleet_path.fleet_run(benches["before"], phones, "F before"))
                    runs["F after"].append(fleet_path.fleet_run(benches["after"], phones, "F after"))
                row = {"load_average_1min": [round(load, 1) for load in loads]}
                c_wall, c_cpu = median_of(runs["C"], "seconds"), median_of(runs["C"], "cpu_seconds")
                for name, measurements in runs.items():
                    wall, cpu = median_of(measurements, "seconds"), median_of(measurements, "cpu_seconds")
                    row[name] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                                 "wall_ms_per_phone": round(1000 * wall / phones, 2),
                                 "cpu_ms_per_phone": round(1000 * cpu / phones, 2),
                                 "over_C_wall": round(wall / c_wall, 2), "over_C_cpu": round(cpu / c_cpu, 2),
                                 "requests_per_phone": measurements[-1].per_phone("requests"),
                                 "logins_per_phone": measurements[-1].per_phone("logins"),
                                 "by_endpoint": {endpoint: measurements[-1].endpoint_per_phone(endpoint)
                                                 for endpoint in sorted(measurements[-1].counters.get(
                                                     "by_endpoint") or {})}}
                results["sizes"][phones] = row
                print(json.dumps({phones: row}, indent=1), flush=True)
        results["machine"]["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if options.json:  # before the clean-up, which can take minutes (thousands of session files)
            with open(options.json, "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
