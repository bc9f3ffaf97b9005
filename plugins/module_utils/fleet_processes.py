# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Spreading gs_fleet's phones over a few forked processes, one per core, each with its own thread pool.

A no-change drift check is Python work that holds the GIL (the HTTP stack, parsing, validation), so the threads
of one process use one core however many there are (docs/performance.md, "The fleet path"). Here a batch is cut
into ``count`` slices; each slice is checked in a forked child with the same per-phone code (one client, one
login per phone; each phone is in exactly one slice) and its results, already scrubbed with each phone's own
secrets, come back through a pipe. The children inherit the batch's inputs by fork (nothing is pickled on the
way in) and write the session cache and login memory files as the threads do, each phone's own files only, by
atomic replace; the controller's fingerprint key is read (or created) before the fork, so every child keys its
fingerprints with the same key. A child that ends without its result leaves its phones failed, never clean.
"""

from __future__ import annotations

__metaclass__ = type

import multiprocessing
import os

MAX_PROCESSES = 4  # bounded whatever the machine: each child holds a slice of the batch and its own HTTP stack
# Below this many phones per process, forking costs more than a second core saves (one child is ~10 ms to start).
AUTO_MIN_PHONES_PER_PROCESS = 100
LOST_RESULT = ("the process that checked this phone ended without its result (exit code %s): whether it drifted is "
               "not known; gs_fleet never writes to a phone")


def usable_cores():
    """The cores this process may run on (its CPU affinity where the platform tells it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def process_count(phones, requested=None, cores=None):
    """How many processes check ``phones`` phones: ``requested`` (0 or None: one per usable core, and only for
    batches of at least AUTO_MIN_PHONES_PER_PROCESS phones per process), never more than MAX_PROCESSES or phones."""
    if requested:
        wanted = requested
    else:
        wanted = min(cores or usable_cores(), phones // AUTO_MIN_PHONES_PER_PROCESS)
    return max(1, min(int(wanted), MAX_PROCESSES, phones))


def slices(names, count):
    """``names`` dealt round-robin into ``count`` slices (neighbours in the inventory land in different ones)."""
    return [names[index::count] for index in range(count)]


def check_in_processes(names, count, check, log, lost_entry):
    """{name: entry} for every name: ``check(names, log)`` run on ``count`` slices in forked children.

    ``check`` returns {name: entry} with each entry scrubbed; ``log`` gets every child's log messages, in the
    parent (a child does not write to Ansible's display itself); ``lost_entry(message)`` is the entry of a
    phone whose child ended without a result.
    """
    if count <= 1:
        return check(names, log)
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for part in slices(names, count):
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(check, part, sender), daemon=True)
            child.start()
            sender.close()
            children.append((part, receiver, child))
        per_host = {}
        for part, receiver, child in children:
            try:
                found, messages = receiver.recv()
            except (EOFError, OSError):  # the child died before it sent anything
                found, messages = {}, []
            child.join()
            for message in messages:
                log(message)
            for name in part:
                entry = found.get(name)
                per_host[name] = entry if entry is not None else lost_entry(LOST_RESULT % child.exitcode)
        return per_host
    finally:
        for unused, receiver, child in children:
            receiver.close()
            if child.is_alive():  # only when the parent itself failed: do not leave a child behind
                child.terminate()
                child.join()


def _child(check, names, sender):
    messages = []
    try:
        sender.send((check(names, messages.append), messages))
    finally:
        sender.close()
