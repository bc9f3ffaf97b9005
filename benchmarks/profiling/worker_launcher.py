# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-playbook with every forked worker measured: its CPU, and (optionally) a cProfile of its task.

    WORKER_PROFILE_DIR=/tmp/w [WORKER_CPROFILE=1] [MAIN_CPROFILE=/tmp/main.prof] \
        python worker_launcher.py -i inv playbook.yml ...

A worker is a fork of the main process, so its CPU clock (time.process_time) starts at zero: what it has used
when its task's result is about to be sent is the task's cost in the worker (the send itself left out). Each worker writes <dir>/<pid>-<ns>.json (task name,
action, CPU seconds) and, with WORKER_CPROFILE=1, <dir>/<pid>-<ns>.prof; MAIN_CPROFILE profiles the main
process. Both profiles count CPU time, not the wait for a phone or a core. Profiling only; used by
benchmarks/profile_worker.py.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _patch(directory, with_cprofile):
    from ansible.executor.process import worker

    original = worker.WorkerProcess._run

    def measured_run(self):
        profiler = None
        if with_cprofile:
            import cProfile
            profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the phone or for a core
            profiler.enable()
        send = self._final_q.send_task_result

        def record_then_send(*args, **kwargs):
            # Before the result leaves: once the main process has the last task's results the play can end and
            # take the workers still writing with it (a worker lost that way went missing from the counts).
            name = os.path.join(directory, "%d-%d" % (os.getpid(), time.monotonic_ns()))
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(name + ".prof")
            record = {"task": self._task.get_name(), "action": self._task.action, "cpu_seconds": time.process_time()}
            with open(name + ".tmp", "w", encoding="utf-8") as handle:
                json.dump(record, handle)
            os.replace(name + ".tmp", name + ".json")  # a reader never sees half a record
            return send(*args, **kwargs)

        self._final_q.send_task_result = record_then_send
        return original(self)

    worker.WorkerProcess._run = measured_run


def main():
    directory = os.environ["WORKER_PROFILE_DIR"]
    os.makedirs(directory, exist_ok=True)
    _patch(directory, os.environ.get("WORKER_CPROFILE") == "1")
    from ansible.cli.playbook import main as playbook_main
    sys.argv[0] = "ansible-playbook"
    main_profile = os.environ.get("MAIN_CPROFILE")  # a path: the main process's CPU profile goes there
    if not main_profile:
        return playbook_main(sys.argv)
    import cProfile
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    try:
        return playbook_main(sys.argv)
    finally:
        profiler.disable()
        profiler.dump_stats(main_profile)


if __name__ == "__main__":
    sys.exit(main())
