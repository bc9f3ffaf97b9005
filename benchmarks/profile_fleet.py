# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the fleet path's time goes: the gs_fleet engine alone under cProfile, next to the raw client.

    python benchmarks/profile_fleet.py --phones 500 [--top 40] [--cache] [--processes 2]

Starts the emulator, provisions the phones with the engines (engine_fleet.provision), then measures, in
this one process: C (raw_client, the lower bound), the fleet engine (fleet.run_fleet, what gs_fleet's action
plugin runs in its worker) without and under cProfile. Prints wall and CPU time and the top functions by
cumulative and by own time. ansible-playbook's own part of F is what is left of F's wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import desired_state, engine_fleet, raw_client  # noqa: E402
from tests.helpers.emulator_proc import EmulatorProcess  # noqa: E402

from ansible_collections.grandstream.phone.plugins.module_utils import fleet  # noqa: E402
from ansible_collections.grandstream.phone.plugins.module_utils.session_cache import SessionCache  # noqa: E402


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the fleet's processes, once they were joined
    return usage.ru_utime + usage.ru_stime


def timed(function):
    wall, cpu, children = time.monotonic(), time.process_time(), _children_cpu()
    value = function()
    return value, time.monotonic() - wall, time.process_time() - cpu + _children_cpu() - children


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--cache", action="store_true", help="with a (cold) session cache, as gs_fleet runs")
    parser.add_argument("--processes", type=int, default=1, help="gs_fleet's processes option (0: one per core)")
    options = parser.parse_args(argv)
    with EmulatorProcess(count=options.phones, protocol="http", ready_timeout=300) as emulator:
        hosts = engine_fleet.host_inputs(desired_state.role_inventory(emulator.ports))
        print("provisioned %d phones in %.1f s" % (options.phones, engine_fleet.provision(hosts)))
        urls = ["http://127.0.0.1:%d/cgi-bin" % port for port in emulator.ports]

        def raw():
            return raw_client.check_fleet(urls, desired_state.phone_expectations, desired_state.ADMIN_PASSWORD,
                                          workers=options.forks)

        def engine():
            cache = SessionCache(tempfile.mkdtemp(prefix="gs-prof-")) if options.cache else None
            result = fleet.run_fleet(hosts, forks=options.forks, session_cache=cache, processes=options.processes)
            if result["drifted_hosts"] or result["failed_hosts"] or result["unreachable_hosts"]:
                raise SystemExit("the fleet engine did not find every phone clean: %s" % result["msg"])
            return result

        for name, function in (("C raw", raw), ("fleet engine", engine), ("C raw", raw), ("fleet engine", engine)):
            unused, wall, cpu = timed(function)
            print("%-14s %5d phones  %6.2f s wall  %6.2f s cpu  %5.2f ms/phone wall  %5.2f ms/phone cpu"
                  % (name, options.phones, wall, cpu, 1000 * wall / options.phones, 1000 * cpu / options.phones))
        # cProfile sees only the thread it runs in: each phone's check (what a pool thread runs) in this one.
        defaults = fleet.role_defaults()
        cache = SessionCache(tempfile.mkdtemp(prefix="gs-prof-")) if options.cache else None
        profiler = cProfile.Profile()
        profiler.enable()
        for name, host in hosts.items():
            entry, secrets = fleet.check_host(name, host["variables"], host["connection"], defaults,
                                              session_cache=cache)
            fleet.scrub(entry, secrets)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(options.top)
    stats.sort_stats("tottime").print_stats(options.top)


if __name__ == "__main__":
    main()
