# -*- coding: utf-8 -*-
# Copyright: (c) 2026, grandstream.phone maintainers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Load Ansible's filter and test plugins in the controller's main process, before it forks a worker per task.

A worker is a fork of the main process: what the main process loaded, every worker has for free; what it did
not, each worker loads again for each host and task that templates a filter (the role's ``combine``, the
playbooks' ``default`` / ``bool`` / ``dict2items``). Measured on ansible-core 2.19 (docs/performance.md,
"Filter plugins before the fork"): a few ms of controller CPU per host-task. Called from the drift_report
callback's ``v2_playbook_on_start``, which Ansible runs in the main process before the first play.
"""

from __future__ import annotations

__metaclass__ = type


def load_before_fork():
    """Load every filter and test plugin of ansible.builtin (and the legacy paths); never fails a run."""
    try:
        from ansible.plugins.loader import filter_loader, test_loader
    except ImportError:  # pragma: no cover - every supported ansible-core has both loaders
        return 0
    loaded = 0
    for loader in (filter_loader, test_loader):
        try:
            loaded += sum(1 for unused in loader.all())
        except Exception:  # an optimisation only: a plugin that fails to load fails where it is used, as before
            continue
    return loaded
