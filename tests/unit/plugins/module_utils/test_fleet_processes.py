"""fleet_processes.py: how many processes, and that every phone gets exactly one result, from forked children."""

import os

from ansible_collections.grandstream.phone.plugins.module_utils import fleet_processes


def test_auto_uses_one_process_per_core_only_for_large_batches():
    assert fleet_processes.process_count(150, 0, cores=2) == 1  # fewer than 100 phones per process: not worth a fork
    assert fleet_processes.process_count(200, 0, cores=2) == 2
    assert fleet_processes.process_count(5000, None, cores=2) == 2
    assert fleet_processes.process_count(5000, 0, cores=64) == fleet_processes.MAX_PROCESSES


def test_an_explicit_count_is_bounded_by_the_phones_and_the_maximum():
    assert fleet_processes.process_count(3, 2, cores=1) == 2
    assert fleet_processes.process_count(1, 4, cores=8) == 1
    assert fleet_processes.process_count(50, 99, cores=8) == fleet_processes.MAX_PROCESSES
    assert fleet_processes.process_count(50, 1, cores=8) == 1


def test_slices_deal_every_name_to_exactly_one_process():
    names = ["phone%d" % index for index in range(7)]
    parts = fleet_processes.slices(names, 3)
    assert sorted(name for part in parts for name in part) == sorted(names)
    assert [len(part) for part in parts] == [3, 2, 2]


def _check(names, log):
    log("checked %s in %d" % (",".join(names), os.getpid()))
    return {name: {"status": "clean", "pid": os.getpid()} for name in names}


def test_each_slice_runs_in_its_own_child_and_its_log_comes_back_to_the_parent():
    names = ["phone%d" % index for index in range(6)]
    messages = []
    per_host = fleet_processes.check_in_processes(names, 2, _check, messages.append, _lost)
    assert sorted(per_host) == names
    pids = {entry["pid"] for entry in per_host.values()}
    assert len(pids) == 2 and os.getpid() not in pids
    assert len(messages) == 2 and all(message.startswith("checked phone") for message in messages)


def _lost(message):
    return {"status": "failed", "msg": message}


def _dies_for_phone1(names, log):
    if "phone1" in names:
        os._exit(3)  # a crash of the child: no result, no exception the parent could see
    return _check(names, log)


def test_a_child_that_ends_without_its_result_leaves_its_phones_failed_never_clean():
    names = ["phone%d" % index for index in range(4)]  # slices: phone0, phone2 | phone1, phone3
    per_host = fleet_processes.check_in_processes(names, 2, _dies_for_phone1, lambda message: None, _lost)
    assert {name: entry["status"] for name, entry in per_host.items()} == {
        "phone0": "clean", "phone2": "clean", "phone1": "failed", "phone3": "failed"}
    assert "exit code 3" in per_host["phone1"]["msg"] and "not known" in per_host["phone3"]["msg"]


def test_one_process_runs_in_this_one():
    per_host = fleet_processes.check_in_processes(["a", "b"], 1, _check, lambda message: None, _lost)
    assert {entry["pid"] for entry in per_host.values()} == {os.getpid()}
